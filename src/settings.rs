//! Settings in force for a run: grade bands and tolerances, from schemas/ defaults, overridable
//! by configuration.

use crate::diagnostic::{Finding, Rule, Severity};
use crate::quantity::Unit;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One grade band: the score interval [min, max) (the top band includes max) and its words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    pub grade: String,
    pub words: Vec<String>,
    pub min: Decimal,
    pub max: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeBands {
    pub band: Vec<GradeBand>,
}

impl GradeBands {
    /// The band a score falls in.
    pub fn band_of(&self, score: Decimal) -> Option<&GradeBand> {
        let top = self.band.iter().map(|b| b.max).max()?;
        self.band
            .iter()
            .find(|b| b.min <= score && (score < b.max || (score == top && b.max == top)))
    }

    /// The band a grade word names.
    pub fn band_named(&self, word: &str) -> Option<&GradeBand> {
        self.band.iter().find(|b| b.words.iter().any(|w| w == word))
    }

    /// Every grade word, longest first (for matching).
    pub fn words(&self) -> Vec<&str> {
        let mut w: Vec<&str> = self
            .band
            .iter()
            .flat_map(|b| b.words.iter().map(String::as_str))
            .collect();
        w.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        w
    }
}

const DEFAULT_GRADES: &str = include_str!("../schemas/grades.toml");

/// Extra slack, beyond the rounding of the stated figures, that relations are allowed before
/// they are reported. Zero by default: a relation fails only when no value inside the stated
/// intervals satisfies it. Otherwise the interval of the figure a relation is checked against is
/// widened on both sides by the tolerance of its unit class (`in_unit` / `normalised`) first:
/// `money` for amounts, `percent` for rates, `score` for scores and weights.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tolerance {
    /// Money, in 万元.
    pub money: Decimal,
    /// Rates and shares, in percentage points.
    pub percent: Decimal,
    /// Scores, in points.
    pub score: Decimal,
}

impl Tolerance {
    /// The tolerance for a figure of `unit`, expressed in that unit: money converted from 万元
    /// (×10 000 for 元, ÷10 000 for 亿元), percentage points as they are (×10 for ‰), score points
    /// for 分. Counts and plain numbers get none.
    pub fn in_unit(&self, unit: Unit) -> Decimal {
        match unit {
            Unit::Yuan => self.money * Decimal::from(10_000),
            Unit::Wan => self.money,
            Unit::Yi => self.money / Decimal::from(10_000),
            Unit::Percent => self.percent,
            Unit::Permille => self.percent * Decimal::TEN,
            Unit::Points => self.score,
            Unit::Count | Unit::Plain => Decimal::ZERO,
        }
    }

    /// The tolerance for a figure of `unit` in the scale of `Quantity::interval_normalised`:
    /// money in 万元, everything else in its own unit.
    pub fn normalised(&self, unit: Unit) -> Decimal {
        if unit.is_money() {
            self.money
        } else {
            self.in_unit(unit)
        }
    }
}

/// Which rules run and how severe their findings are.
#[derive(Debug, Clone, Default)]
pub struct RuleSelection {
    /// Selectors of the rules to run (a code, a code prefix such as `SP01`, a rule name, or
    /// `ALL`); `None` runs every rule.
    pub select: Option<Vec<String>>,
    /// Selectors of rules not to run; they win over `select`.
    pub ignore: Vec<String>,
    /// Severity overrides by rule code.
    pub severity: BTreeMap<String, Severity>,
}

/// Rules to ignore for the files a glob matches.
#[derive(Debug, Clone)]
pub struct PathIgnore {
    pub glob: String,
    pub matcher: globset::GlobMatcher,
    pub rules: Vec<String>,
}

/// A report's files as the configuration states them (`[[bundle]]`), paths made canonical: its
/// narrative is cross-checked against each of its sheets whatever their names say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatedBundle {
    pub narrative: PathBuf,
    pub sheets: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub grades: GradeBands,
    pub rules: RuleSelection,
    pub path_ignores: Vec<PathIgnore>,
    pub tolerance: Tolerance,
    /// Extra vocabulary files (concept synonyms), resolved against the configuration's folder;
    /// loaded by the extractor.
    pub vocabulary: Vec<PathBuf>,
    /// Extra sheet template files or folders, resolved likewise; loaded by the sheet reader.
    pub templates: Vec<PathBuf>,
    /// The templates read from `templates`, used beside the built-in ones.
    pub extra_templates: Vec<crate::extract::table::Template>,
    /// The vocabulary in force when `vocabulary` files extend the built-in one.
    pub extended_vocabulary: Option<std::sync::Arc<crate::extract::vocab::Vocabulary>>,
    /// The folder of the configuration file: per-path globs also match paths relative to it.
    pub root: Option<PathBuf>,
    /// Reports whose files the configuration names (`[[bundle]]`).
    pub bundles: Vec<StatedBundle>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            grades: toml::from_str(DEFAULT_GRADES).expect("schemas/grades.toml is valid"),
            rules: RuleSelection::default(),
            path_ignores: Vec::new(),
            tolerance: Tolerance::default(),
            vocabulary: Vec::new(),
            templates: Vec::new(),
            extra_templates: Vec::new(),
            extended_vocabulary: None,
            root: None,
            bundles: Vec::new(),
        }
    }
}

/// The absolute form of a path with `.` and `..` resolved lexically (no file system access).
pub fn lexical_absolute(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let abs = std::path::absolute(path).ok()?;
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// Whether a selector (`ALL`, a code, a code prefix, or a rule name) picks a rule.
pub fn selector_matches(selector: &str, rule: &Rule) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || rule
            .code
            .get(..selector.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(selector))
        || rule.name.eq_ignore_ascii_case(selector)
}

impl Settings {
    /// Whether a rule runs at all (select / ignore).
    pub fn rule_enabled(&self, rule: &Rule) -> bool {
        let selected = match &self.rules.select {
            None => true,
            Some(sel) => sel.iter().any(|s| selector_matches(s, rule)),
        };
        selected && !self.rules.ignore.iter().any(|s| selector_matches(s, rule))
    }

    /// The severity the configuration sets for a rule's findings, if it sets one.
    pub fn severity_override(&self, rule: &Rule) -> Option<Severity> {
        self.rules
            .severity
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(rule.code) || k.eq_ignore_ascii_case(rule.name))
            .map(|(_, s)| *s)
    }

    /// The severity a rule's findings are reported at by default (a check may still grade one
    /// finding lower, e.g. a relation that holds only within rounding).
    pub fn severity_of(&self, rule: &Rule) -> Severity {
        self.severity_override(rule).unwrap_or(rule.severity)
    }

    /// Whether a per-path ignore silences a rule for a file.
    pub fn ignored_for_path(&self, rule: &Rule, path: &Path) -> bool {
        if self.path_ignores.is_empty() {
            return false;
        }
        let given = path.strip_prefix(".").unwrap_or(path);
        let relative = self.root.as_ref().and_then(|root| {
            let abs = lexical_absolute(path)?;
            abs.strip_prefix(root).ok().map(Path::to_path_buf)
        });
        self.path_ignores.iter().any(|pi| {
            (pi.matcher.is_match(given)
                || relative.as_ref().is_some_and(|r| pi.matcher.is_match(r)))
                && pi.rules.iter().any(|s| selector_matches(s, rule))
        })
    }

    /// Applies selection, per-path ignores and severity overrides to a finding: `None` when it
    /// is not to be reported.
    pub fn apply(&self, mut finding: Finding) -> Option<Finding> {
        if !self.rule_enabled(finding.rule)
            || self.ignored_for_path(finding.rule, &finding.source.path)
        {
            return None;
        }
        // Only an explicit override changes a finding's severity: the check's own grading of
        // one finding (an error rule reporting a warning) is kept otherwise.
        if let Some(severity) = self.severity_override(finding.rule) {
            finding.severity = severity;
        }
        Some(finding)
    }
}

impl Settings {
    /// The vocabulary in force: the built-in one, or the one extended by the configuration.
    pub fn vocabulary(&self) -> &crate::extract::vocab::Vocabulary {
        match &self.extended_vocabulary {
            Some(v) => v,
            None => crate::extract::vocab::builtin(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_bands_are_half_open() {
        let s = Settings::default();
        let g = |v: &str| {
            s.grades
                .band_of(v.parse().unwrap())
                .map(|b| b.grade.clone())
                .unwrap()
        };
        assert_eq!(g("88.35"), "良");
        assert_eq!(g("78.35"), "中");
        assert_eq!(g("90"), "优");
        assert_eq!(g("89.99"), "良");
        assert_eq!(g("100"), "优");
        assert_eq!(g("59.5"), "差");
        assert_eq!(s.grades.band_named("良好").unwrap().grade, "良");
    }

    #[test]
    fn tolerance_is_expressed_in_the_unit_compared() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let t = Tolerance {
            money: d("0.01"),
            percent: d("0.05"),
            score: d("0.5"),
        };
        assert_eq!(t.in_unit(Unit::Wan), d("0.01"));
        assert_eq!(t.in_unit(Unit::Yuan), d("100"));
        assert_eq!(t.in_unit(Unit::Yi), d("0.000001"));
        assert_eq!(t.normalised(Unit::Yuan), d("0.01"));
        assert_eq!(t.in_unit(Unit::Percent), d("0.05"));
        assert_eq!(t.in_unit(Unit::Permille), d("0.5"));
        assert_eq!(t.in_unit(Unit::Points), d("0.5"));
        assert_eq!(t.normalised(Unit::Count), Decimal::ZERO);
        assert_eq!(t.normalised(Unit::Plain), Decimal::ZERO);
        let zero = Tolerance::default();
        for u in [Unit::Yuan, Unit::Wan, Unit::Percent, Unit::Points] {
            assert_eq!(zero.in_unit(u), Decimal::ZERO);
        }
    }
}
