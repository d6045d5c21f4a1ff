//! Facts: labelled, located quantities. Extraction produces them; checks consume them and never
//! look at text again.

use crate::diagnostic::{Place, Source};
use crate::quantity::Quantity;
use std::sync::Arc;

/// What a figure is. Names follow schemas/vocabulary.toml.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Concept {
    /// 年初预算
    InitialBudget,
    /// 预算调整 / 追加 (signed: 调减 is negative)
    Adjustment,
    /// 全年预算 / 调整后预算
    FullYearBudget,
    /// 预算 with no qualifier; resolved to 全年预算 or 年初预算 by the checks.
    Budget,
    /// 决算 / 执行数 / 实际支出
    Actual,
    /// A rate: 执行率 / 完成…的X% (the base is in `Fact::base`)
    Rate,
    /// A share: 占…的X%
    Share,
    /// 增加/减少 X (signed)
    Change,
    /// 增长/下降 Y% (signed)
    ChangeRate,
    /// 得分 of one indicator or section
    Score,
    /// 分值 / 权重 / 满分
    Weight,
    /// 自评分数 / 自评得分 / 综合得分 / 总分
    TotalScore,
    /// 等级 (value is the band index; the word is in `Fact::word`)
    Grade,
    /// A subject's amount whose words do not say what kind it is ("“三公”经费41万元，较上年减少
    /// 19万元"): the current figure of a change about it, here or in a later sentence, and
    /// summed only with its parts of the same kind; never compared as a budget or an actual.
    Amount,
    /// A count stated with the items it counts ("A、B、C等3个部门", "有4个，分别为…"): the
    /// count as written (the subject is the counted noun).
    Count,
    /// The items listed beside a count: how many (`Fact::listing` says how else they may be
    /// counted and whether the list is open, with 等).
    Listed,
}

impl Concept {
    /// 年初预算, 全年预算 or a plain 预算.
    pub fn is_budget(self) -> bool {
        matches!(
            self,
            Concept::InitialBudget | Concept::FullYearBudget | Concept::Budget
        )
    }

    pub fn zh(self) -> &'static str {
        match self {
            Concept::InitialBudget => "年初预算",
            Concept::Adjustment => "预算调整",
            Concept::FullYearBudget => "全年预算",
            Concept::Budget => "预算数",
            Concept::Actual => "决算（执行）数",
            Concept::Rate => "完成率",
            Concept::Share => "占比",
            Concept::Change => "增减额",
            Concept::ChangeRate => "增减幅度",
            Concept::Score => "得分",
            Concept::Weight => "分值",
            Concept::TotalScore => "自评总分",
            Concept::Grade => "等级",
            Concept::Amount => "金额",
            Concept::Count => "所写个数",
            Concept::Listed => "列出的项数",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Concept::InitialBudget => "initial budget",
            Concept::Adjustment => "budget adjustment",
            Concept::FullYearBudget => "full-year budget",
            Concept::Budget => "budget",
            Concept::Actual => "actual spending",
            Concept::Rate => "rate",
            Concept::Share => "share",
            Concept::Change => "change",
            Concept::ChangeRate => "change rate",
            Concept::Score => "score",
            Concept::Weight => "weight",
            Concept::TotalScore => "total score",
            Concept::Grade => "grade",
            Concept::Amount => "amount",
            Concept::Count => "stated count",
            Concept::Listed => "items listed",
        }
    }
}

/// What a change's words name of the figure that changed: "2022年“三公”经费决算数相较于上年
/// 增加275.76万元" names its kind (决算数) and its year (2022年).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Changed {
    pub kind: Option<Concept>,
    pub year_named: bool,
}

/// How a list beside a count may be counted: "A、B和C" is 3 items, or 2 when 和 is inside a
/// name (人力资源和社会保障部); 等 leaves it open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listing {
    pub also: u32,
    pub open: bool,
}

/// Which year a figure belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Current,
    Previous,
    /// A later year: plans and next year's budget (2025年计划安排预算), never checked against
    /// this year's figures.
    Next,
}

/// Where a fact was found, in the file it came from.
#[derive(Clone, Debug)]
pub struct Located {
    pub source: Arc<Source>,
    pub place: Place,
}

/// One checkable figure.
#[derive(Clone, Debug)]
pub struct Fact {
    pub concept: Concept,
    /// What the figure is about: "" for the report as a whole, else a subject such as 三公经费,
    /// a project, or an indicator name. Normalised (no quotes or spaces).
    pub subject: String,
    /// The subject this one is a 其中 part of, if any.
    pub part_of: Option<String>,
    pub period: Period,
    pub quantity: Quantity,
    /// For rates and shares: the concept the rate is taken of (完成年初预算数的 → InitialBudget).
    pub base: Option<Concept>,
    /// For changes: what the words name of the figure that changed, which lets a change find
    /// its current figure in another sentence.
    pub changed: Option<Changed>,
    /// For listed items: the other count a 和 inside a name allows, and whether 等 leaves the
    /// list open.
    pub listing: Option<Listing>,
    /// For grades: the grade word as written.
    pub word: Option<String>,
    /// Index of the sentence the fact was stated in (narratives), or of the table row (sheets).
    pub sentence: usize,
    /// Index of the document section (heading tree node) the fact sits in.
    pub section: usize,
    pub at: Located,
}

impl Fact {
    /// Whether this is the report's own total score: a stated total of this year (a report may
    /// also state last year's, "上年自评得分88分").
    pub fn is_this_years_total(&self) -> bool {
        self.concept == Concept::TotalScore && self.period == Period::Current
    }
}
