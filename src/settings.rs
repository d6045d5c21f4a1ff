//! Settings in force for a run: grade bands and tolerances, from schemas/ defaults, overridable
//! by configuration.

use rust_decimal::Decimal;
use serde::Deserialize;

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

#[derive(Debug, Clone)]
pub struct Settings {
    pub grades: GradeBands,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            grades: toml::from_str(DEFAULT_GRADES).expect("schemas/grades.toml is valid"),
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
}
