//! The vocabulary of concepts and subjects, loaded from schemas/vocabulary.toml (embedded), and
//! validated at load.

use crate::fact::Concept;
use aho_corasick::AhoCorasick;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabFile {
    concept: Vec<ConceptEntry>,
    subject: Vec<SubjectEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptEntry {
    id: String,
    unit: String,
    terms: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct SubjectEntry {
    pub name: String,
    pub aliases: Vec<String>,
    #[serde(default)]
    pub parts: Vec<String>,
    #[serde(default)]
    pub part_of: Option<String>,
}

/// A concept term: the words, the concept, and the sign it gives (调减 is negative).
#[derive(Debug, Clone)]
pub struct Term {
    pub text: String,
    pub concept: Concept,
    pub negative: bool,
}

#[derive(Debug)]
pub struct Vocabulary {
    /// All concept terms, longest first.
    pub terms: Vec<Term>,
    pub subjects: Vec<SubjectEntry>,
    /// (alias, subject index), longest alias first.
    aliases: Vec<(String, usize)>,
    /// Automata over the terms and the aliases: one pass finds every mention.
    term_matcher: AhoCorasick,
    alias_matcher: AhoCorasick,
}

impl Vocabulary {
    pub fn parse(text: &str) -> Result<Vocabulary, String> {
        let file: VocabFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut terms = Vec::new();
        for c in file.concept {
            let (concept, negative) = match c.id.as_str() {
                "initial_budget" => (Concept::InitialBudget, false),
                "adjustment" => (Concept::Adjustment, false),
                "adjustment_negative" => (Concept::Adjustment, true),
                "full_year_budget" => (Concept::FullYearBudget, false),
                "budget" => (Concept::Budget, false),
                "actual" => (Concept::Actual, false),
                "score" => (Concept::Score, false),
                "weight" => (Concept::Weight, false),
                "total_score" => (Concept::TotalScore, false),
                other => return Err(format!("unknown concept id `{other}`")),
            };
            if !matches!(c.unit.as_str(), "money" | "points") {
                return Err(format!("concept `{}`: unknown unit `{}`", c.id, c.unit));
            }
            for t in c.terms {
                terms.push(Term {
                    text: t,
                    concept,
                    negative,
                });
            }
        }
        terms.sort_by_key(|t| std::cmp::Reverse(t.text.len()));
        let mut aliases = Vec::new();
        for (i, s) in file.subject.iter().enumerate() {
            for a in &s.aliases {
                aliases.push((a.clone(), i));
            }
        }
        for s in &file.subject {
            for p in s.parts.iter().chain(s.part_of.iter()) {
                if !file.subject.iter().any(|o| &o.name == p) {
                    return Err(format!("subject `{}` names unknown subject `{p}`", s.name));
                }
            }
        }
        aliases.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
        let term_matcher =
            AhoCorasick::new(terms.iter().map(|t| t.text.as_str())).map_err(|e| e.to_string())?;
        let alias_matcher =
            AhoCorasick::new(aliases.iter().map(|(a, _)| a.as_str())).map_err(|e| e.to_string())?;
        Ok(Vocabulary {
            terms,
            subjects: file.subject,
            aliases,
            term_matcher,
            alias_matcher,
        })
    }

    /// The subject a normalised name is an alias of.
    pub fn subject(&self, name: &str) -> Option<&SubjectEntry> {
        self.subjects.iter().find(|s| s.name == name)
    }

    /// The last (then longest) known subject mentioned in `text`, with its byte range.
    pub fn find_subject(&self, text: &str) -> Option<(usize, usize, &SubjectEntry)> {
        let m = last_longest(&self.alias_matcher, text, |_| true)?;
        let (_, idx) = &self.aliases[m.pattern().as_usize()];
        Some((m.start(), m.end(), &self.subjects[*idx]))
    }

    /// The concept term that ends last in `text` (then the longest), among the wanted concepts,
    /// with its start.
    pub fn last_term(&self, text: &str, want: impl Fn(Concept) -> bool) -> Option<(&Term, usize)> {
        let m = last_longest(&self.term_matcher, text, |p| want(self.terms[p].concept))?;
        Some((&self.terms[m.pattern().as_usize()], m.start()))
    }
}

/// The match ending last, then the longest, among every (overlapping) match.
fn last_longest(
    matcher: &AhoCorasick,
    text: &str,
    keep: impl Fn(usize) -> bool,
) -> Option<aho_corasick::Match> {
    matcher
        .find_overlapping_iter(text)
        .filter(|m| keep(m.pattern().as_usize()))
        .max_by_key(|m| (m.end(), m.len()))
}

const DEFAULT_VOCAB: &str = include_str!("../../schemas/vocabulary.toml");

/// The built-in vocabulary extended by user files (their `[[concept]]` and `[[subject]]` entries
/// are added to the built-in ones).
pub fn extended(extra: &[String]) -> Result<Vocabulary, String> {
    let mut text = DEFAULT_VOCAB.to_string();
    for e in extra {
        text.push('\n');
        text.push_str(e);
    }
    Vocabulary::parse(&text)
}

/// The built-in vocabulary.
pub fn builtin() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| match Vocabulary::parse(DEFAULT_VOCAB) {
        Ok(v) => v,
        // The embedded file is checked by a unit test; reaching this is a build defect.
        Err(e) => panic!("schemas/vocabulary.toml: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_vocabulary_is_valid() {
        let v = Vocabulary::parse(DEFAULT_VOCAB).unwrap();
        assert!(v.terms.iter().any(|t| t.text == "年初预算数"));
        assert_eq!(
            v.find_subject("市总工会三公经费支出").unwrap().2.name,
            "三公经费"
        );
        assert_eq!(
            v.find_subject("其中公务用车运行维护费").unwrap().2.name,
            "公务用车运行维护费"
        );
    }

    #[test]
    fn user_entries_extend_the_builtin_vocabulary() {
        let v = extended(&["[[concept]]\nid = \"actual\"\nunit = \"money\"\nterms = [\"实际兑付\"]\n[[subject]]\nname = \"送温暖资金\"\naliases = [\"送温暖资金\"]\n".into()]).unwrap();
        assert!(v.terms.iter().any(|t| t.text == "实际兑付"));
        assert!(v.subject("送温暖资金").is_some());
        assert!(v.terms.iter().any(|t| t.text == "年初预算数"));
    }

    #[test]
    fn unknown_ids_are_refused() {
        let bad = "[[concept]]\nid = \"x\"\nunit = \"money\"\nterms = []\n[[subject]]\nname=\"a\"\naliases=[]\n";
        assert!(
            Vocabulary::parse(bad)
                .unwrap_err()
                .contains("unknown concept")
        );
    }
}
