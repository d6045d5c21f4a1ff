//! Checks: relations over facts. One file per rule, each with its code, name, severity and doc
//! (what `suanpan rule CODE` prints). A check never parses text.

pub mod budget_sum;
pub mod change;
pub mod components;
pub mod count_listed;
pub mod cross;
pub mod grade_band;
pub mod input;
pub mod pairing;
pub mod rate;
pub mod restated;
pub mod score_cap;
pub mod score_sum;
pub mod sheet;
mod util;

use crate::diagnostic::{Finding, Rule, Source};
use crate::fact::Fact;
use crate::settings::Settings;
use std::sync::Arc;

/// What a check sees: the facts of one report bundle, and the settings in force.
pub struct Context<'a> {
    pub facts: &'a [Fact],
    pub settings: &'a Settings,
    /// The bundle's primary source (findings that have no better home are filed here).
    pub primary: &'a Arc<Source>,
}

type CheckFn = fn(&Context, &mut Vec<Finding>);

/// Every rule suanpan knows, in code order.
pub fn all_rules() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = input::RULES.to_vec();
    rules.extend(CHECKS.iter().map(|(r, _)| *r));
    rules.extend(COMPANION_RULES.iter().copied());
    rules.extend(sheet::RULES.iter().copied());
    rules.push(&cross::RULE);
    rules.push(&pairing::RULE);
    rules.sort_by_key(|r| r.code);
    rules
}

/// Looks a rule up by code (SP0105) or name (score-sum), case-insensitively.
pub fn find_rule(key: &str) -> Option<&'static Rule> {
    all_rules()
        .into_iter()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

/// The fact checks, each with its rule.
static CHECKS: &[(&Rule, CheckFn)] = &[
    (&budget_sum::RULE, budget_sum::check),
    (&rate::MISMATCH, rate::check),
    (&components::RULE, components::check),
    (&score_sum::RULE, score_sum::check),
    (&score_cap::RULE, score_cap::check),
    (&grade_band::RULE, grade_band::check),
    (&restated::RULE, restated::check),
    (&change::RULE, change::check),
    (&count_listed::RULE, count_listed::check),
];

/// Rules reported by a check listed under another rule (rate-rounding comes with rate-mismatch).
static COMPANION_RULES: &[&Rule] = &[&rate::ROUNDING, &components::ROUNDING];

/// Runs every fact check over one bundle's facts.
pub fn run(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (_, check) in CHECKS {
        check(ctx, &mut out);
    }
    out
}
