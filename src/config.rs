//! `suanpan.toml`: found from the working directory upward (or given with `--config`), read
//! strictly (unknown keys are errors), validated, and turned into `Settings`. Every error points
//! at its span in the TOML file.
//!
//! ```toml
//! select = ["ALL"]                  # rule codes, code prefixes (SP01), rule names, or ALL
//! ignore = ["SP0003"]
//!
//! [severity]                        # per-rule severity: error | warning | info
//! SP0002 = "info"
//!
//! [per-path-ignores]                # glob → rules, globs match the path as given or
//! "archive/**" = ["SP0002"]         # relative to this file's folder
//!
//! [tolerance]                       # extra slack beyond rounding; default 0
//! money = 0.01                      # 万元: amounts (×10 000 for sheets kept in 元)
//! percent = 0.01                    # percentage points: rates, change rates
//! score = 0                         # points: scores, weights, totals
//!
//! vocabulary = ["vocab/local.toml"] # extra vocabulary files, relative to this file
//! templates = ["templates/"]        # extra sheet templates (files or folders)
//!
//! [[bundle]]                        # a report's files, relative to this file: the narrative is
//! narrative = "报告.docx"           # cross-checked against these sheets (SP0301) whatever
//! sheets = ["自评表.xlsx"]          # their names say
//!
//! [grades]                          # replaces the grade bands as a whole
//! [[grades.band]]
//! grade = "优"
//! words = ["优", "优秀"]
//! min = 90
//! max = 100
//! ```
//!
//! A tolerance widens, on both sides, the stated figure a relation is checked against (the
//! 全年预算 for 年初 + 调整, the stated rate for 决算 ÷ 预算, the stated total for a sum of scores,
//! the weight for a score …) after its rounding interval; the relation is reported only if it
//! still fails. Each comparison takes the key of its unit class (`Tolerance::in_unit`). Grades,
//! missing reasons and SP0103 rate-rounding do not depend on it; README.md lists the rules.

// A configuration error carries the whole TOML text for miette to show; it is built at most once
// per run, so its size does not matter.
#![allow(clippy::result_large_err)]

use crate::check;
use crate::diagnostic::{Lang, Severity};
use crate::settings::{GradeBands, PathIgnore, Settings, selector_matches};
use miette::{Diagnostic, NamedSource, SourceSpan};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The configuration file's name.
pub const FILE_NAME: &str = "suanpan.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    per_path_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    tolerance: Option<RawTolerance>,
    grades: Option<Spanned<GradeBands>>,
    vocabulary: Option<Vec<Spanned<String>>>,
    templates: Option<Vec<Spanned<String>>>,
    bundle: Option<Vec<RawBundle>>,
}

/// `[[bundle]]`: a report's narrative and sheets, relative to the configuration's folder.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBundle {
    narrative: Spanned<String>,
    sheets: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTolerance {
    money: Option<Spanned<Decimal>>,
    percent: Option<Spanned<Decimal>>,
    score: Option<Spanned<Decimal>>,
}

/// Why a configuration could not be used. Rendered by miette, with the TOML source and span.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ConfigError {
    #[error("{message}")]
    #[diagnostic(code(suanpan::config))]
    Io { message: String },
    #[error("{message}")]
    #[diagnostic(code(suanpan::config))]
    Invalid {
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("{label}")]
        span: Option<SourceSpan>,
        label: String,
    },
}

/// The nearest `suanpan.toml` in `dir` or a folder above it.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// The settings for a run: from the explicit file if given, else the nearest `suanpan.toml`
/// above the working directory, else the defaults. Returns the file used, if any.
pub fn load(
    explicit: Option<&Path>,
    lang: Lang,
) -> Result<(Settings, Option<PathBuf>), ConfigError> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => std::env::current_dir().ok().and_then(|d| discover(&d)),
    };
    match path {
        None => Ok((Settings::default(), None)),
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Io {
                message: match lang {
                    Lang::Zh => format!("无法读取配置文件 {}：{e}", path.display()),
                    Lang::En => format!("cannot read the configuration {}: {e}", path.display()),
                },
            })?;
            let settings = parse(&text, &path, lang)?;
            Ok((settings, Some(path)))
        }
    }
}

struct Ctx<'a> {
    text: &'a str,
    path: &'a Path,
    lang: Lang,
}

impl Ctx<'_> {
    fn error(
        &self,
        span: Option<Range<usize>>,
        zh: String,
        en: String,
        label: &str,
    ) -> ConfigError {
        let (message, label) = match self.lang {
            Lang::Zh => (
                format!("配置文件 {} 有误：{zh}", self.path.display()),
                label.to_string(),
            ),
            Lang::En => (
                format!("invalid configuration {}: {en}", self.path.display()),
                label.to_string(),
            ),
        };
        ConfigError::Invalid {
            message,
            src: NamedSource::new(self.path.display().to_string(), self.text.to_string()),
            span: span.map(|r| SourceSpan::new(r.start.into(), r.end.saturating_sub(r.start))),
            label,
        }
    }

    /// An error inside another file the configuration names (a vocabulary file), shown with
    /// that file's text and span.
    fn error_in(
        &self,
        file: &Path,
        text: &str,
        span: Range<usize>,
        zh: String,
        en: String,
    ) -> ConfigError {
        let message = match self.lang {
            Lang::Zh => format!("配置文件 {} 有误：{zh}", self.path.display()),
            Lang::En => format!("invalid configuration {}: {en}", self.path.display()),
        };
        ConfigError::Invalid {
            message,
            src: NamedSource::new(file.display().to_string(), text.to_string()),
            span: Some(SourceSpan::new(
                span.start.into(),
                span.end.saturating_sub(span.start),
            )),
            label: self.here().to_string(),
        }
    }

    fn here(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "这里",
            Lang::En => "here",
        }
    }

    /// A rule selector must name a rule, be the prefix of a rule's code (SP, SP01 …) or ALL:
    /// a selector that picks no rule (`SP105`, a typo) is an error, as it would silently
    /// select nothing or ignore nothing.
    fn selector(&self, s: &Spanned<String>) -> Result<String, ConfigError> {
        let v = s.get_ref().trim();
        if is_selector(v) {
            Ok(v.to_string())
        } else {
            Err(self.error(
                Some(s.span()),
                format!("未知规则“{v}”（`suanpan rules` 列出全部规则）"),
                format!("unknown rule `{v}` (`suanpan rules` lists them)"),
                self.here(),
            ))
        }
    }

    fn selectors(&self, list: &[Spanned<String>]) -> Result<Vec<String>, ConfigError> {
        list.iter().map(|s| self.selector(s)).collect()
    }

    fn tolerance(&self, v: &Option<Spanned<Decimal>>) -> Result<Decimal, ConfigError> {
        match v {
            None => Ok(Decimal::ZERO),
            Some(d) if d.get_ref().is_sign_negative() => Err(self.error(
                Some(d.span()),
                "容差不能为负数".into(),
                "a tolerance cannot be negative".into(),
                self.here(),
            )),
            Some(d) => Ok(*d.get_ref()),
        }
    }

    fn paths(&self, list: &Option<Vec<Spanned<String>>>) -> Result<Vec<PathBuf>, ConfigError> {
        let base = self.path.parent().unwrap_or(Path::new("."));
        let mut out = Vec::new();
        for p in list.iter().flatten() {
            let resolved = base.join(p.get_ref());
            if !resolved.exists() {
                return Err(self.error(
                    Some(p.span()),
                    format!("找不到文件或目录 {}", resolved.display()),
                    format!("no such file or folder {}", resolved.display()),
                    self.here(),
                ));
            }
            out.push(resolved);
        }
        Ok(out)
    }
}

impl Ctx<'_> {
    /// A `[[bundle]]` file: relative to the configuration's folder, an existing file of the
    /// kind wanted (a narrative, or a workbook), made canonical.
    fn bundle_file(&self, p: &Spanned<String>, sheet: bool) -> Result<PathBuf, ConfigError> {
        use crate::source::{Kind, kind_of};
        let base = self.path.parent().unwrap_or(Path::new("."));
        let resolved = base.join(p.get_ref());
        let canonical = std::fs::canonicalize(&resolved)
            .ok()
            .filter(|c| c.is_file());
        let Some(canonical) = canonical else {
            return Err(self.error(
                Some(p.span()),
                format!("[[bundle]] 中的文件 {} 不存在", resolved.display()),
                format!("[[bundle]]: no such file {}", resolved.display()),
                self.here(),
            ));
        };
        let kind = kind_of(&resolved);
        let fits = if sheet {
            kind == Kind::Workbook
        } else {
            matches!(kind, Kind::Narrative | Kind::Docx)
        };
        if !fits {
            let (zh, en) = if sheet {
                (
                    "评价表（.xlsx .xlsm .xls .xlsb .ods）",
                    "a sheet (.xlsx .xlsm .xls .xlsb .ods)",
                )
            } else {
                ("正文（.txt .md .docx）", "a narrative (.txt .md .docx)")
            };
            return Err(self.error(
                Some(p.span()),
                format!("[[bundle]] 中的 {} 不是{zh}", resolved.display()),
                format!("[[bundle]]: {} is not {en}", resolved.display()),
                self.here(),
            ));
        }
        Ok(canonical)
    }

    /// The `[[bundle]]` entries, each file checked; a file named twice is an error at its
    /// second mention.
    fn bundles(
        &self,
        raw: &[RawBundle],
    ) -> Result<Vec<crate::settings::StatedBundle>, ConfigError> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for b in raw {
            if b.sheets.get_ref().is_empty() {
                return Err(self.error(
                    Some(b.sheets.span()),
                    "[[bundle]] 的 sheets 至少要列出一张评价表".into(),
                    "[[bundle]]: `sheets` must name at least one sheet".into(),
                    self.here(),
                ));
            }
            let narrative = self.bundle_file(&b.narrative, false)?;
            let mut sheets = Vec::new();
            for s in b.sheets.get_ref() {
                sheets.push((s, self.bundle_file(s, true)?));
            }
            let named = std::iter::once((&b.narrative, &narrative))
                .chain(sheets.iter().map(|(s, c)| (*s, c)));
            for (entry, canonical) in named {
                if !seen.insert(canonical.clone()) {
                    return Err(self.error(
                        Some(entry.span()),
                        format!("文件 {} 已在另一个 [[bundle]] 中列出", entry.get_ref()),
                        format!("{} is already named by a [[bundle]]", entry.get_ref()),
                        self.here(),
                    ));
                }
            }
            out.push(crate::settings::StatedBundle {
                narrative,
                sheets: sheets.into_iter().map(|(_, c)| c).collect(),
            });
        }
        Ok(out)
    }
}

/// Whether a selector picks at least one rule: `ALL`, a rule's code or the prefix of one
/// (`SP01`), or a rule's name (case aside).
pub fn is_selector(v: &str) -> bool {
    !v.is_empty() && check::all_rules().iter().any(|r| selector_matches(v, r))
}

/// Selectors given on the command line (`--select SP01,score-sum`): comma-separated, spaces
/// around each ignored. An entry that picks no rule is an error naming it (a usage error: the
/// run does not start).
pub fn cli_selectors(list: &str, lang: Lang) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for entry in list.split(',').map(str::trim) {
        if !is_selector(entry) {
            return Err(match lang {
                Lang::Zh => format!("未知规则“{entry}”（`suanpan rules` 列出全部规则）"),
                Lang::En => format!("unknown rule `{entry}` (`suanpan rules` lists them)"),
            });
        }
        out.push(entry.to_string());
    }
    Ok(out)
}

/// Parses and validates the text of a configuration file.
pub fn parse(text: &str, path: &Path, lang: Lang) -> Result<Settings, ConfigError> {
    let cx = Ctx { text, path, lang };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let msg = e.message().trim().to_string();
        cx.error(e.span(), msg.clone(), msg, cx.here())
    })?;
    let mut settings = Settings::default();
    if let Some(sel) = &raw.select {
        settings.rules.select = Some(cx.selectors(sel)?);
    }
    if let Some(ign) = &raw.ignore {
        settings.rules.ignore = cx.selectors(ign)?;
    }
    for (key, value) in raw.severity.iter().flatten() {
        let code = key.get_ref();
        let Some(rule) = check::find_rule(code) else {
            return Err(cx.error(
                Some(key.span()),
                format!("未知规则“{code}”"),
                format!("unknown rule `{code}`"),
                cx.here(),
            ));
        };
        let Some(sev) = Severity::parse(value.get_ref()) else {
            return Err(cx.error(
                Some(value.span()),
                format!(
                    "严重程度“{}”无效，应为 error、warning 或 info",
                    value.get_ref()
                ),
                format!(
                    "invalid severity `{}`: expected error, warning or info",
                    value.get_ref()
                ),
                cx.here(),
            ));
        };
        settings.rules.severity.insert(rule.code.to_string(), sev);
    }
    for (glob, rules) in raw.per_path_ignores.iter().flatten() {
        let matcher = globset::Glob::new(glob.get_ref())
            .map_err(|e| {
                cx.error(
                    Some(glob.span()),
                    format!("路径模式无效：{e}"),
                    format!("invalid glob: {e}"),
                    cx.here(),
                )
            })?
            .compile_matcher();
        settings.path_ignores.push(PathIgnore {
            glob: glob.get_ref().clone(),
            matcher,
            rules: cx.selectors(rules)?,
        });
    }
    if let Some(t) = &raw.tolerance {
        settings.tolerance.money = cx.tolerance(&t.money)?;
        settings.tolerance.percent = cx.tolerance(&t.percent)?;
        settings.tolerance.score = cx.tolerance(&t.score)?;
    }
    if let Some(g) = &raw.grades {
        let bands = g.get_ref();
        let bad = bands.band.is_empty()
            || bands
                .band
                .iter()
                .any(|b| b.min >= b.max || b.words.is_empty());
        if bad {
            return Err(cx.error(
                Some(g.span()),
                "等级档次须至少一档，每档 min 小于 max 且有等级用语".into(),
                "grade bands need at least one band, each with min < max and some words".into(),
                cx.here(),
            ));
        }
        let mut sorted: Vec<_> = bands.band.iter().collect();
        sorted.sort_by_key(|b| b.min);
        if let Some(w) = sorted.windows(2).find(|w| w[1].min < w[0].max) {
            return Err(cx.error(
                Some(g.span()),
                format!("等级档次“{}”与“{}”重叠", w[0].grade, w[1].grade),
                format!("grade bands `{}` and `{}` overlap", w[0].grade, w[1].grade),
                cx.here(),
            ));
        }
        settings.grades = bands.clone();
    }
    settings.vocabulary = cx.paths(&raw.vocabulary)?;
    if !settings.vocabulary.is_empty() {
        let mut texts = Vec::new();
        for (path, entry) in settings
            .vocabulary
            .iter()
            .zip(raw.vocabulary.iter().flatten())
        {
            let read = std::fs::read_to_string(path).map_err(|e| {
                cx.error(
                    Some(entry.span()),
                    format!("词表 {} 无法读取：{e}", path.display()),
                    format!("vocabulary {} cannot be read: {e}", path.display()),
                    cx.here(),
                )
            })?;
            texts.push(read);
        }
        // Each file alone first, so that an error points into the file that has it.
        for ((path, entry), text) in settings
            .vocabulary
            .iter()
            .zip(raw.vocabulary.iter().flatten())
            .zip(&texts)
        {
            let alone = crate::extract::vocab::check_extra(text).and_then(|()| {
                crate::extract::vocab::extended(std::slice::from_ref(text))
                    .map(|_| ())
                    .map_err(|why| (why, None))
            });
            if let Err((why, span)) = alone {
                return Err(match span {
                    Some(span) => cx.error_in(
                        path,
                        text,
                        span,
                        format!("词表 {} 有误：{why}", path.display()),
                        format!("invalid vocabulary {}: {why}", path.display()),
                    ),
                    None => cx.error(
                        Some(entry.span()),
                        format!("词表 {} 无效：{why}", path.display()),
                        format!("invalid vocabulary {}: {why}", path.display()),
                        cx.here(),
                    ),
                });
            }
        }
        let first = raw.vocabulary.iter().flatten().next().map(|e| e.span());
        let vocab = crate::extract::vocab::extended(&texts).map_err(|why| {
            cx.error(
                first,
                format!("词表无效：{why}"),
                format!("invalid vocabulary: {why}"),
                cx.here(),
            )
        })?;
        settings.extended_vocabulary = Some(std::sync::Arc::new(vocab));
    }
    settings.templates = cx.paths(&raw.templates)?;
    // Extra sheet templates are read and validated now, so a bad one stops the run here with the
    // configuration entry that named it.
    for (path, entry) in settings
        .templates
        .clone()
        .iter()
        .zip(raw.templates.iter().flatten())
    {
        let files: Vec<PathBuf> = if path.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(path)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                        .collect()
                })
                .unwrap_or_default();
            v.sort();
            v
        } else {
            vec![path.clone()]
        };
        for file in files {
            let parsed = std::fs::read_to_string(&file)
                .map_err(|e| e.to_string())
                .and_then(|t| crate::extract::table::parse_template(&t));
            match parsed {
                Ok(t) => settings.extra_templates.push(t),
                Err(why) => {
                    return Err(cx.error(
                        Some(entry.span()),
                        format!("模板 {} 无效：{why}", file.display()),
                        format!("template {} is invalid: {why}", file.display()),
                        cx.here(),
                    ));
                }
            }
        }
    }
    if let Some(b) = &raw.bundle {
        settings.bundles = cx.bundles(b)?;
    }
    settings.root = path.parent().and_then(|p| {
        std::path::absolute(if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        })
        .ok()
    });
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (String, Option<SourceSpan>) {
        match parse(text, Path::new("suanpan.toml"), Lang::En) {
            Err(ConfigError::Invalid { message, span, .. }) => (message, span),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn full_config_parses() {
        let s = parse(
            "select = [\"SP0\"]\nignore = [\"no-figures\"]\n[severity]\nSP0002 = \"info\"\n\
             [per-path-ignores]\n\"old/**\" = [\"SP0001\"]\n[tolerance]\nmoney = 0.01\n",
            Path::new("suanpan.toml"),
            Lang::Zh,
        )
        .unwrap();
        assert_eq!(s.rules.select, Some(vec!["SP0".to_string()]));
        assert!(!s.rule_enabled(&check::input::NO_FIGURES));
        assert!(s.rule_enabled(&check::input::UNREADABLE));
        assert_eq!(s.severity_of(&check::input::UNSUPPORTED), Severity::Info);
        assert!(s.ignored_for_path(&check::input::UNREADABLE, Path::new("old/a/b.txt")));
        assert!(!s.ignored_for_path(&check::input::UNSUPPORTED, Path::new("old/a/b.txt")));
        assert_eq!(s.tolerance.money, "0.01".parse::<Decimal>().unwrap());
    }

    #[test]
    fn unknown_key_points_at_it() {
        let text = "select = [\"ALL\"]\nsevrity = 1\n";
        let (msg, span) = err(text);
        assert!(msg.contains("sevrity"), "{msg}");
        let span = span.expect("a span");
        assert_eq!(&text[span.offset()..span.offset() + span.len()], "sevrity");
    }

    #[test]
    fn bad_values_point_at_them() {
        let text = "[severity]\nSP0001 = \"fatal\"\n";
        let (msg, span) = err(text);
        assert!(msg.contains("fatal"), "{msg}");
        let span = span.unwrap();
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "\"fatal\""
        );

        // A code-like entry that is the prefix of no code would silently match nothing.
        for entry in ["SP105", "SP04", "SP00011", "score_sum"] {
            let text = format!("select = [\"ALL\"]\nignore = [\"{entry}\"]\n");
            let (msg, span) = err(&text);
            assert!(msg.contains(entry), "{msg}");
            let span = span.unwrap();
            assert_eq!(
                &text[span.offset()..span.offset() + span.len()],
                format!("\"{entry}\"")
            );
            let text = format!("select = [\"{entry}\"]\n");
            assert!(err(&text).0.contains(entry));
        }
        let text = "ignore = [\"SP0001\", \"nonsense\"]\n";
        let (msg, span) = err(text);
        assert!(msg.contains("nonsense"), "{msg}");
        let span = span.unwrap();
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "\"nonsense\""
        );

        let (msg, _) = err("[tolerance]\nmoney = -1\n");
        assert!(msg.contains("negative"), "{msg}");
        let (msg, _) = err("[per-path-ignores]\n\"a[\" = [\"SP0001\"]\n");
        assert!(msg.contains("glob"), "{msg}");
        let (msg, _) =
            err("[[grades.band]]\ngrade = \"优\"\nwords = [\"优\"]\nmin = 90\nmax = 80\n");
        assert!(msg.contains("min < max"), "{msg}");
        let (msg, _) = err(
            "[[grades.band]]\ngrade = \"优\"\nwords = [\"优\"]\nmin = 80\nmax = 100\n\
             [[grades.band]]\ngrade = \"良\"\nwords = [\"良\"]\nmin = 70\nmax = 90\n",
        );
        assert!(msg.contains("overlap"), "{msg}");
        let text = "vocabulary = [\"no-such-vocabulary.toml\"]\n";
        let (msg, span) = err(text);
        assert!(msg.contains("no such file"), "{msg}");
        let span = span.unwrap();
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "\"no-such-vocabulary.toml\""
        );
    }

    #[test]
    fn severity_changes_only_when_configured() {
        use crate::diagnostic::{Source, Text};
        let src = Source::new("a.txt".into(), String::new());
        let mut f =
            crate::diagnostic::Finding::new(&check::input::UNREADABLE, src, Text::new("", ""));
        // A check graded this finding below its rule's default (error).
        f.severity = Severity::Warning;
        let default = Settings::default();
        assert_eq!(
            default.apply(f.clone()).unwrap().severity,
            Severity::Warning
        );
        let s = parse(
            "[severity]\ninput-unreadable = \"info\"\n",
            Path::new("suanpan.toml"),
            Lang::En,
        )
        .unwrap();
        assert_eq!(s.apply(f.clone()).unwrap().severity, Severity::Info);
        let s = parse("ignore = [\"SP00\"]\n", Path::new("suanpan.toml"), Lang::En).unwrap();
        assert!(s.apply(f).is_none());
    }

    #[test]
    fn discovery_walks_upward() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(discover(&deep), None);
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&deep), Some(dir.path().join(FILE_NAME)));
    }
}
