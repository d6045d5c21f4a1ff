//! Which narrative of a bundle is cross-checked (SP0301) against which sheet, and SP0302 for the
//! pairs that are not.
//!
//! A folder often holds more than one report: a department's 部门整体 narrative beside the
//! 项目支出绩效自评表 of its projects. Cross-checking those against each other gives one false
//! SP0301 per figure, so a narrative and a sheet are cross-checked only when they are about the
//! same report:
//!
//! 1. a pairing stated in `suanpan.toml` (`[[bundle]]`) is always taken;
//! 2. a department-wide document (部门整体 / 单位整体) is never paired with a project one (a
//!    项目支出 sheet, a sheet with a 项目名称, a narrative titled …项目…), nor the reverse;
//! 3. names that match pair them: the narrative's title or file stem against the sheet's title
//!    cell, 项目名称, sheet names or file stem, each made comparable by `name_key` (years, spaces,
//!    punctuation and the words every report has — 绩效, 自评, 报告, 表 … — dropped), equal or
//!    one holding the other (at least 4 characters);
//! 4. two department-wide documents pair (a department has one such report a year); two
//!    project ones with names that do not match do not;
//! 5. one narrative and one sheet alone in a bundle pair (one folder per report).
//!
//! Anything else is unclear, and is not cross-checked: a false error costs more than a missed
//! one. Every pair left out is an SP0302 info naming both files and why, so nothing is dropped
//! in silence; so is a workbook left alone in a folder of several narratives (`lone_sheet`). The cost is a few scans of each document's head and a key comparison per
//! narrative and sheet of one bundle (a bundle holds one narrative unless its files share a
//! stem).

use crate::Document;
use crate::diagnostic::{Finding, Place, Rule, Severity, Text};
use crate::source::sheet::Value;
use crate::source::{Kind, kind_of};
use std::borrow::Cow;

pub static RULE: Rule = Rule {
    code: "SP0302",
    name: "bundle-unpaired",
    severity: Severity::Info,
    summary: (
        "同一文件夹中的正文与评价表未作交叉核对（不属于同一份报告或无法确定）",
        "a narrative and a sheet of one folder not cross-checked (not one report, or unclear)",
    ),
    doc: (
        "## SP0302 bundle-unpaired（正文与评价表未配对）\n\n\
说明什么：同一文件夹（或同一组文件）中的正文与评价表没有作 SP0301 交叉核对，并说明原因：\n\
一个是部门（单位）整体报告、另一个是项目支出自评表；二者是名称不同的项目；或无法从标题、\n\
项目名称、文件名确定二者属于同一份报告；或文件夹中有多份正文，而评价表的文件名不能确定它属于哪一份。\n\
配对规则：suanpan.toml 中 [[bundle]] 指明的总是配对；部门整体与项目从不配对；\n\
正文标题或文件名与评价表的标题单元格、项目名称、工作表名或文件名一致（去掉年份、标点和\n\
“绩效”“自评”“报告”“表”等通用词后相同，或一个包含另一个且至少 4 个字）即配对；\n\
两个部门整体文件配对；文件夹中只有一份正文和一张评价表时配对。其余情况不核对。\n\n\
为什么：把部门整体报告与项目自评表互相核对，会把每个数字都报成不一致；宁可少报，不可误报，\n\
但不配对的文件要说出来，不能悄悄放过。\n\n\
怎么办：如二者确属同一份报告，在 suanpan.toml 中写明：\n\n\
    [[bundle]]\n    narrative = \"报告.docx\"\n    sheets = [\"自评表.xlsx\"]\n\n\
示例：文件夹中有“部门整体支出绩效自评报告.txt”和“职工疗休养项目自评表.xlsx” → 提示，不核对。\n",
        "## SP0302 bundle-unpaired\n\n\
What: a narrative and a sheet found together (one folder, or one group of files) were not \
cross-checked (SP0301), and why: one is a department-wide (部门整体 / 单位整体) report and the \
other a project sheet; both are projects with different names; or their titles, project names \
and file names do not tell that they are one report; or the sheet's folder holds several \
narratives and its file name tells none of them.\n\
Pairing: a [[bundle]] in suanpan.toml always pairs; department-wide and project documents never \
pair; the narrative's title or file stem matching the sheet's title cell, 项目名称, sheet names \
or file stem (equal once years, punctuation and the words every report has — 绩效, 自评, 报告, \
表 … — are dropped, or one holding the other, at least 4 characters) pairs; two department-wide \
documents pair; one narrative and one sheet alone in a folder pair. Nothing else is \
cross-checked.\n\n\
Why: checking a department report against its projects' sheets reports every figure as a \
mismatch; a false error costs more than a missed one, but a file left out is said, not dropped \
in silence.\n\n\
What to do: if the two are one report, say so in suanpan.toml:\n\n\
    [[bundle]]\n    narrative = \"report.docx\"\n    sheets = [\"sheet.xlsx\"]\n\n\
Example: a folder with 部门整体支出绩效自评报告.txt and 职工疗休养项目自评表.xlsx → info, not \
cross-checked.\n",
    ),
};

/// Whether a document is about a department (unit) as a whole or about one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Department,
    Project,
    Unknown,
}

impl Scope {
    fn text(self) -> Text {
        match self {
            Scope::Department => Text::new("部门（单位）整体", "department-wide"),
            Scope::Project => Text::new("项目支出", "project"),
            Scope::Unknown => Text::new("类型不明", "of unknown kind"),
        }
    }
}

/// Words that mark a department-wide document.
const DEPARTMENT: [&str; 3] = ["部门整体", "单位整体", "整体支出"];

/// What pairing knows of one document: its scope, a name to show, and its comparable names.
#[derive(Debug, Clone)]
pub struct Profile {
    pub scope: Scope,
    /// The title or project name it is known by (for messages), else its file name.
    pub shown: String,
    /// Comparable names (`name_key`), none empty.
    pub keys: Vec<String>,
}

/// The scope some names state: department-wide when one names 部门整体 / 单位整体, project when
/// one names 项目.
fn scope_of<'a>(names: impl Iterator<Item = &'a str> + Clone) -> Scope {
    const DROPPED: [char; 6] = ['（', '）', '(', ')', ' ', '\u{3000}'];
    // Each name made plain once (most have nothing to drop), not once per word.
    let department = |n: &str| {
        let plain = if n.contains(DROPPED) {
            Cow::Owned(n.replace(DROPPED, ""))
        } else {
            Cow::Borrowed(n)
        };
        DEPARTMENT.iter().any(|w| plain.contains(w))
    };
    if names.clone().any(department) {
        Scope::Department
    } else if names.into_iter().any(|n| n.contains("项目")) {
        Scope::Project
    } else {
        Scope::Unknown
    }
}

/// How far into a narrative's text the department words are looked for when its title and file
/// name say nothing.
const HEAD_BYTES: usize = 2048;

fn stem(doc: &Document) -> String {
    doc.source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn file_name(doc: &Document) -> String {
    doc.source
        .path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A narrative's profile: its title (as the summary finds it) and file stem; the start of its
/// text when those do not tell its scope.
pub fn narrative_profile(doc: &Document) -> Profile {
    let title = crate::extract::title_line(&doc.source.text);
    let stem = stem(doc);
    let mut scope = scope_of(title.into_iter().chain([stem.as_str()]));
    if scope == Scope::Unknown {
        let text = &doc.source.text;
        let mut end = text.len().min(HEAD_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if scope_of(std::iter::once(&text[..end])) == Scope::Department {
            scope = Scope::Department;
        }
    }
    let keys = title
        .into_iter()
        .chain([stem.as_str()])
        .map(name_key)
        .filter(|k| !k.is_empty())
        .collect();
    Profile {
        scope,
        shown: title.map_or_else(|| file_name(doc), str::to_string),
        keys,
    }
}

/// How many rows and columns of a sheet's top-left corner are read for its title and 项目名称.
const HEAD_ROWS: usize = 8;
const HEAD_COLS: usize = 12;

/// Words of a sheet's title cell ("项目支出绩效自评表"; not "报表编号").
const TITLE_WORDS: [&str; 5] = ["自评表", "评价表", "评分表", "绩效", "报告"];

/// A sheet's profile: its title cell (the first text in its top rows with a `TITLE_WORDS` word), its
/// 项目名称 (the text right of that label), its sheet names and file stem.
pub fn sheet_profile(doc: &Document) -> Profile {
    let (mut title, mut project) = (None::<String>, None::<String>);
    for sheet in &doc.source.sheets {
        for row in sheet.cells.iter().take(HEAD_ROWS) {
            let texts = row.iter().take(HEAD_COLS).filter_map(|v| match v {
                Value::Text(t) if !t.trim().is_empty() => Some(t.trim()),
                _ => None,
            });
            let mut after_label = false;
            for t in texts {
                // Copied only when it holds a space to drop, or is kept.
                let squeezed: Cow<str> = if t.contains(char::is_whitespace) {
                    Cow::Owned(t.chars().filter(|c| !c.is_whitespace()).collect())
                } else {
                    Cow::Borrowed(t)
                };
                if after_label && project.is_none() {
                    project = Some(squeezed.to_string());
                }
                after_label = squeezed.trim_end_matches(['：', ':']) == "项目名称";
                if title.is_none()
                    && squeezed.chars().count() <= 60
                    && TITLE_WORDS.iter().any(|w| squeezed.contains(w))
                {
                    title = Some(squeezed.into_owned());
                }
            }
        }
    }
    let stem = stem(doc);
    let names: Vec<&str> = title
        .as_deref()
        .into_iter()
        .chain(doc.source.sheets.iter().map(|s| s.name.as_str()))
        .chain([stem.as_str()])
        .collect();
    let mut scope = scope_of(names.iter().copied());
    if scope == Scope::Unknown && project.is_some() {
        scope = Scope::Project;
    }
    let keys = project
        .as_deref()
        .into_iter()
        .chain(names.iter().copied())
        .map(name_key)
        .filter(|k| !k.is_empty())
        .collect();
    Profile {
        scope,
        shown: project.or(title).unwrap_or_else(|| file_name(doc)),
        keys,
    }
}

/// Words every report's name has, dropped from comparable names (longest first).
const BOILERPLATE: [&str; 21] = [
    "部门单位整体",
    "部门预算",
    "部门整体",
    "单位整体",
    "整体",
    "项目支出",
    "项目",
    "支出",
    "绩效",
    "自评",
    "评价",
    "报告",
    "评分",
    "年度",
    "附件",
    "附表",
    "工作表",
    "情况",
    "结果",
    "表",
    "的",
];

/// A name made comparable: without spaces, punctuation, digits with the 年度 / 年 after them,
/// and the words every report's name has (`BOILERPLATE`); empty when fewer than two characters
/// or no Chinese character is left (Sheet1, a bare year, 附表3). "2024年度职工疗休养项目支出绩效自评报告" → "职工疗休养".
pub fn name_key(name: &str) -> String {
    let mut kept = String::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            while chars
                .peek()
                .is_some_and(|d| d.is_ascii_digit() || ('０'..='９').contains(d))
            {
                chars.next();
            }
            if chars.peek() == Some(&'年') {
                chars.next();
                if chars.peek() == Some(&'度') {
                    chars.next();
                }
            }
            continue;
        }
        if c.is_alphanumeric() {
            kept.push(c);
        }
    }
    // Only CJK words are dropped below, and an ASCII name has no key.
    if kept.is_ascii() {
        return String::new();
    }
    // A word is looked for only when each of its chars may be in the name: a 64-bit mask of the
    // name's chars (dropping words only removes chars, so the mask stays a superset).
    let bit = |c: char| 1u64 << (c as u32 % 64);
    let mask = kept.chars().fold(0u64, |m, c| m | bit(c));
    for w in BOILERPLATE {
        if w.chars().all(|c| mask & bit(c) != 0) && kept.contains(w) {
            kept = kept.replace(w, "");
        }
    }
    if !kept.is_ascii() && kept.chars().nth(1).is_some() {
        kept
    } else {
        String::new()
    }
}

/// Whether two comparable names name the same report: equal, or one holding the other when the
/// shorter has at least 4 characters.
fn keys_match(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short == long || (short.chars().count() >= 4 && long.contains(short))
}

/// Why a narrative and a sheet are not cross-checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// One is department-wide, the other a project's.
    Scope { narrative: Scope, sheet: Scope },
    /// Both are projects' and their names do not match.
    OtherProject,
    /// Nothing tells that they are one report.
    Unclear,
}

/// Whether a narrative and a sheet of one bundle are one report. `alone`: the bundle holds just
/// the two of them. `same_stem`: their files share a stem.
pub fn decide(n: &Profile, s: &Profile, alone: bool, same_stem: bool) -> Result<(), Why> {
    use Scope::{Department, Project};
    match (n.scope, s.scope) {
        (Department, Project) | (Project, Department) => {
            return Err(Why::Scope {
                narrative: n.scope,
                sheet: s.scope,
            });
        }
        _ => {}
    }
    let named = same_stem
        || n.keys
            .iter()
            .any(|a| s.keys.iter().any(|b| keys_match(a, b)));
    match (n.scope, s.scope) {
        _ if named => Ok(()),
        // Two projects, each with a name, and the names differ.
        (Project, Project) if !n.keys.is_empty() && !s.keys.is_empty() => Err(Why::OtherProject),
        (Department, Department) => Ok(()),
        _ if alone => Ok(()),
        _ => Err(Why::Unclear),
    }
}

/// The pairs (narrative, sheet) of a bundle's documents to cross-check, by index into `docs`;
/// an SP0302 info in `out` for each pair left out. `stated`: the bundle was stated in the
/// configuration, and every pair is checked.
pub fn pairs(docs: &[Document], stated: bool, out: &mut Vec<Finding>) -> Vec<(usize, usize)> {
    let is_sheet = |d: &Document| kind_of(&d.source.path) == Kind::Workbook;
    let narratives: Vec<usize> = (0..docs.len()).filter(|&i| !is_sheet(&docs[i])).collect();
    let sheets: Vec<usize> = (0..docs.len()).filter(|&i| is_sheet(&docs[i])).collect();
    if narratives.is_empty() || sheets.is_empty() {
        return Vec::new();
    }
    if stated {
        return narratives
            .iter()
            .flat_map(|&n| sheets.iter().map(move |&s| (n, s)))
            .collect();
    }
    let alone = narratives.len() == 1 && sheets.len() == 1;
    let sheet_profiles: Vec<Profile> = sheets.iter().map(|&s| sheet_profile(&docs[s])).collect();
    let mut paired = Vec::new();
    for &n in &narratives {
        let np = narrative_profile(&docs[n]);
        for (&s, sp) in sheets.iter().zip(&sheet_profiles) {
            let same_stem =
                docs[n].source.path.with_extension("") == docs[s].source.path.with_extension("");
            match decide(&np, sp, alone, same_stem) {
                Ok(()) => paired.push((n, s)),
                Err(why) => out.push(unpaired(&docs[n], &np, &docs[s], sp, &why)),
            }
        }
    }
    paired
}

/// The SP0302 info for a narrative and a sheet not cross-checked.
fn unpaired(n: &Document, np: &Profile, s: &Document, sp: &Profile, why: &Why) -> Finding {
    let (npath, spath) = (n.source.display_path(), s.source.display_path());
    let why = match why {
        Why::Scope { narrative, sheet } => {
            let (a, b) = (narrative.text(), sheet.text());
            Text::new(
                format!(
                    "正文是{}报告（“{}”），评价表是{}自评表（“{}”），不是同一份报告",
                    a.zh, np.shown, b.zh, sp.shown
                ),
                format!(
                    "the narrative is a {} report (\"{}\") and the sheet a {} sheet (\"{}\"): not one report",
                    a.en, np.shown, b.en, sp.shown
                ),
            )
        }
        Why::OtherProject => Text::new(
            format!(
                "二者都是项目支出，但名称不同（正文“{}”，评价表“{}”）",
                np.shown, sp.shown
            ),
            format!(
                "both are projects, with different names (narrative \"{}\", sheet \"{}\")",
                np.shown, sp.shown
            ),
        ),
        Why::Unclear => Text::new(
            format!(
                "标题、项目名称和文件名都不能确定二者属于同一份报告（正文“{}”，评价表“{}”）",
                np.shown, sp.shown
            ),
            format!(
                "neither titles, project names nor file names tell that they are one report (narrative \"{}\", sheet \"{}\")",
                np.shown, sp.shown
            ),
        ),
    };
    Finding::new(
        &RULE,
        s.source.clone(),
        Text::new(
            format!(
                "评价表 {spath} 与正文 {npath} 未作交叉核对：{}；如属同一份报告，请在 suanpan.toml 中用 [[bundle]] 指明",
                why.zh
            ),
            format!(
                "the sheet {spath} and the narrative {npath} were not cross-checked: {}; if they are one report, state it with [[bundle]] in suanpan.toml",
                why.en
            ),
        ),
    )
    .label(&s.source, Place::File, Text::new("评价表", "sheet"))
    .label(&n.source, Place::File, Text::new("正文", "narrative"))
}

/// The SP0302 info for a sheet left alone in a folder of several narratives, none of whose file
/// names matched its own (bundles are made by file name, before reading).
pub fn lone_sheet(s: &Document, narratives: usize) -> Finding {
    let spath = s.source.display_path();
    Finding::new(
        &RULE,
        s.source.clone(),
        Text::new(
            format!(
                "评价表 {spath} 未与任何正文交叉核对：所在文件夹有 {narratives} 份正文，文件名都不能确定它属于哪一份；如属同一份报告，请在 suanpan.toml 中用 [[bundle]] 指明"
            ),
            format!(
                "the sheet {spath} was not cross-checked against any narrative: its folder holds {narratives} narratives and no file name tells which one it belongs to; if it is one report with one of them, state it with [[bundle]] in suanpan.toml"
            ),
        ),
    )
    .label(&s.source, Place::File, Text::new("评价表", "sheet"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `name_key` as first written: every word of `BOILERPLATE` looked for in turn.
    fn name_key_plain(name: &str) -> String {
        let mut kept = String::new();
        let mut chars = name.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii_digit() || ('０'..='９').contains(&c) {
                while chars
                    .peek()
                    .is_some_and(|d| d.is_ascii_digit() || ('０'..='９').contains(d))
                {
                    chars.next();
                }
                if chars.peek() == Some(&'年') {
                    chars.next();
                    if chars.peek() == Some(&'度') {
                        chars.next();
                    }
                }
                continue;
            }
            if c.is_alphanumeric() {
                kept.push(c);
            }
        }
        for w in BOILERPLATE {
            kept = kept.replace(w, "");
        }
        if !kept.is_ascii() && kept.chars().nth(1).is_some() {
            kept
        } else {
            String::new()
        }
    }

    fn name_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(BOILERPLATE.to_vec()).prop_map(str::to_string),
            proptest::sample::select(vec![
                "2024",
                "年",
                "度",
                "（",
                "）",
                " ",
                "Sheet",
                "1",
                "职工",
                "疗休养",
                "某某局",
                "部门",
                "单位",
                "项",
                "目",
                "绩",
                "效",
                "预算",
                "附",
                "工作",
            ])
            .prop_map(str::to_string),
            any::<char>().prop_map(|c| c.to_string()),
        ]
    }

    proptest! {
        /// The char mask only skips searches that cannot find their word.
        #[test]
        fn name_keys_are_as_a_plain_search_gives(parts in proptest::collection::vec(name_piece(), 0..12)) {
            let name = parts.concat();
            prop_assert_eq!(name_key(&name), name_key_plain(&name));
        }
    }

    #[test]
    fn names_lose_years_punctuation_and_common_words() {
        assert_eq!(
            name_key("2024年度职工疗休养项目支出绩效自评报告"),
            "职工疗休养"
        );
        assert_eq!(name_key("职工疗休养项目自评表"), "职工疗休养");
        assert_eq!(name_key("（2024年度）项目支出绩效自评表"), "");
        assert_eq!(name_key("Sheet1"), "");
        assert_eq!(name_key("自评报告"), "");
        assert_eq!(name_key("某某局2024年部门整体支出绩效自评报告"), "某某局");
    }

    fn profile(scope: Scope, keys: &[&str]) -> Profile {
        Profile {
            scope,
            shown: String::new(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    #[test]
    fn a_sheet_is_known_by_its_title_cell_and_project_name() {
        use crate::source::sheet::{Sheet, Value};
        let text = |t: &str| Value::Text(t.to_string());
        let sheet = Sheet {
            name: "Sheet1".into(),
            cells: vec![
                vec![text("报表编号:510000_0013zp")],
                vec![text("部门预算项目支出绩效自评表(2023年度)")],
                vec![text("项目名称："), Value::Empty, text("农村公路 养护")],
                vec![text("单位：万元")],
            ],
            uncached: Vec::new(),
        };
        let doc = Document {
            source: crate::diagnostic::Source::workbook("甲/附表3.xlsx".into(), vec![sheet]),
            facts: Vec::new(),
            findings: Vec::new(),
        };
        let p = sheet_profile(&doc);
        assert_eq!(p.scope, Scope::Project);
        assert_eq!(p.shown, "农村公路养护");
        assert_eq!(p.keys, ["农村公路养护"]);
    }

    #[test]
    fn department_and_project_never_pair() {
        use Scope::*;
        let dept = profile(Department, &["某某局"]);
        let proj = profile(Project, &["某某局"]);
        for (alone, stem) in [(true, true), (true, false), (false, false)] {
            assert!(matches!(
                decide(&dept, &proj, alone, stem),
                Err(Why::Scope { .. })
            ));
            assert!(matches!(
                decide(&proj, &dept, alone, stem),
                Err(Why::Scope { .. })
            ));
        }
        let a = profile(Project, &["某某局职工疗休养"]);
        let b = profile(Project, &["职工疗休养"]);
        let c = profile(Project, &["办公设备购置"]);
        assert_eq!(decide(&a, &b, false, false), Ok(()));
        assert_eq!(decide(&a, &c, false, false), Err(Why::OtherProject));
        assert_eq!(decide(&a, &c, true, false), Err(Why::OtherProject));
        let u = profile(Unknown, &[]);
        assert_eq!(decide(&u, &c, true, false), Ok(()));
        assert_eq!(decide(&u, &c, false, false), Err(Why::Unclear));
        assert_eq!(decide(&u, &c, false, true), Ok(()));
        assert_eq!(
            decide(&dept, &profile(Department, &[]), false, false),
            Ok(())
        );
        // Short names match only when equal.
        assert!(!keys_match("疗休养", "职工疗休养"));
        assert!(keys_match("疗休养", "疗休养"));
    }
}
