//! Wording in two languages: `Lang`, the language output is written in, and `Text`, a message
//! in Chinese and English from which a renderer takes one. It depends on nothing in the crate,
//! so that the readers (`source`), whose refusals are worded, and the findings (`diagnostic`),
//! which keep a workbook's sheets, do not depend on each other both ways.
//!
//! Example: `Text::new("工作簿内部结构损坏", "the workbook is damaged").get(Lang::En)` is
//! "the workbook is damaged".

/// Output language of messages and labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// A message in both languages; renderers pick one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}
