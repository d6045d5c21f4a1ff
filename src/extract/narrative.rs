//! Narrative facts. (Filled in by the narrative work.)

use crate::diagnostic::Source;
use crate::fact::Fact;
use crate::settings::Settings;
use std::sync::Arc;

pub fn extract(_src: &Arc<Source>, _settings: &Settings) -> Vec<Fact> {
    Vec::new()
}
