//! The `suanpan` command line: parse arguments, load the configuration, run the library (in
//! parallel, with a progress bar on a terminal), render, and set the exit code:
//! 0 clean, 1 findings at or above `--fail-on` (error by default), 2 the run itself failed.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use suanpan::diagnostic::{Lang, Severity};

#[derive(Parser)]
#[command(
    name = "suanpan",
    version,
    about = "算盘：绩效自评报告与自评表的数字核对工具 / a linter for budget-performance self-evaluation reports"
)]
struct Cli {
    /// Message language: zh (default) or en.
    #[arg(long, value_enum, default_value_t = LangArg::Zh, global = true)]
    lang: LangArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports: files, or directories walked recursively.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format: human (with a summary), json, sarif (2.1.0), line
        /// (`path:line:col: SEVERITY CODE message`, for grep and editors), or jsonl (one
        /// diagnostic per line, then one summary line per report), or html (one self-contained
        /// page: an overview table of the reports, then each report's findings).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Write the report to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Configuration file; by default the nearest suanpan.toml from the working directory up.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Exit with 1 when a finding is at this severity or above.
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
        /// Worker threads (default: one per core).
        #[arg(short = 'j', long, value_name = "N")]
        threads: Option<usize>,
        /// Check only shard K of N (1 ≤ K ≤ N): the bundles whose path hashes to K − 1
        /// modulo N. N runs, one per shard, check every bundle once (for a job array).
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<(u64, u64)>,
        /// Rules to run, comma-separated: codes, code prefixes (SP01), names, or ALL. Replaces
        /// the configuration's `select`.
        #[arg(long, value_name = "RULES")]
        select: Option<String>,
        /// Rules not to run, comma-separated as for --select; added to the configuration's
        /// `ignore` (ignore wins over select).
        #[arg(long, value_name = "RULES")]
        ignore: Option<String>,
        /// Also write the per-report summary (files, title, stated score, grade, counts,
        /// unreadable) to FILE as csv (UTF-8 with BOM, for Excel) or json (an array), beside
        /// any --format.
        #[arg(long, num_args = 2, value_names = ["csv|json", "FILE"])]
        summary: Option<Vec<String>>,
        /// Also write an annotated copy of each input file with findings into OUTDIR (paths
        /// mirrored under it; the inputs are never written): .xlsx/.xlsm edited with a note
        /// (批注) and a fill on each labelled cell and a first sheet "suanpan" listing the
        /// findings with links; .xls/.xlsb/.ods written out as NAME.xls.xlsx from their values
        /// (formulas and formatting not carried over); .docx with a Word comment on each
        /// labelled figure; .txt/.md get no copy. One line per file on standard error.
        #[arg(long, value_name = "OUTDIR")]
        annotate: Option<PathBuf>,
    },
    /// Print the documentation of one rule, by code (SP0105) or name (score-sum).
    Rule { code: String },
    /// List every rule.
    Rules,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
    Line,
    Jsonl,
    Html,
}

/// `--shard K/N`: 1 ≤ K ≤ N.
fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("`{s}`: expected K/N with 1 ≤ K ≤ N, e.g. 2/8");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

fn main() -> ExitCode {
    // The workbook reader contains panics of calamine on damaged files and reports them as a
    // diagnostic for that file; their message would only be noise. Every other panic is shown.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_calamine = info
            .location()
            .is_some_and(|l| l.file().contains("calamine"));
        if !in_calamine {
            default_hook(info);
        }
    }));
    let cli = Cli::parse();
    let lang = match cli.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    match cli.command {
        Command::Check {
            paths,
            format,
            output,
            config,
            fail_on,
            threads,
            select,
            ignore,
            shard,
            summary,
            annotate,
        } => {
            let summary_file = match summary.as_deref() {
                None => None,
                Some([kind, file]) => {
                    let kind = match kind.to_ascii_lowercase().as_str() {
                        "csv" => SummaryKind::Csv,
                        "json" => SummaryKind::Json,
                        _ => {
                            eprintln!(
                                "suanpan: --summary: {}",
                                match lang {
                                    Lang::Zh => format!("“{kind}”不是 csv 或 json"),
                                    Lang::En => format!("`{kind}` is not csv or json"),
                                }
                            );
                            return ExitCode::from(2);
                        }
                    };
                    Some((kind, PathBuf::from(file)))
                }
                // clap takes exactly two values.
                Some(_) => return ExitCode::from(2),
            };
            let fail_on = match fail_on {
                FailOn::Error => Severity::Error,
                FailOn::Warning => Severity::Warning,
                FailOn::Info => Severity::Info,
            };
            let run = Run {
                paths,
                format,
                output,
                config,
                fail_on,
                threads,
                select,
                ignore,
                shard,
                lang,
                summary_file,
                annotate,
            };
            run.check()
        }
        Command::Rule { code } => match suanpan::check::find_rule(&code) {
            Some(rule) => {
                print!("{}", rule.doc(lang));
                ExitCode::SUCCESS
            }
            None => {
                eprintln!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("没有规则 {code}；用 `suanpan rules` 查看全部规则"),
                        Lang::En => format!("no rule {code}; `suanpan rules` lists them"),
                    }
                );
                ExitCode::from(2)
            }
        },
        Command::Rules => {
            for rule in suanpan::check::all_rules() {
                println!(
                    "{}  {:<22} {:<8} {}",
                    rule.code,
                    rule.name,
                    rule.severity.as_str(),
                    rule.summary(lang)
                );
            }
            ExitCode::SUCCESS
        }
    }
}

struct Run {
    paths: Vec<PathBuf>,
    format: Format,
    output: Option<PathBuf>,
    config: Option<PathBuf>,
    fail_on: Severity,
    threads: Option<usize>,
    select: Option<String>,
    ignore: Option<String>,
    shard: Option<(u64, u64)>,
    lang: Lang,
    /// `--summary csv|json FILE`.
    summary_file: Option<(SummaryKind, PathBuf)>,
    /// `--annotate OUTDIR`.
    annotate: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SummaryKind {
    Csv,
    Json,
}

/// Bundles from this many on get a progress bar (when standard error is a terminal).
const PROGRESS_FROM: usize = 8;

impl Run {
    fn check(self) -> ExitCode {
        let lang = self.lang;
        let mut settings = match suanpan::config::load(self.config.as_deref(), lang) {
            Ok((settings, _)) => settings,
            Err(e) => {
                eprint!("{}", render_error(&e));
                return ExitCode::from(2);
            }
        };
        // --select / --ignore, validated as the configuration's lists are: an entry that picks
        // no rule would silently run everything or ignore nothing.
        for (option, list) in [("--select", &self.select), ("--ignore", &self.ignore)] {
            let Some(list) = list else { continue };
            match suanpan::config::cli_selectors(list, lang) {
                Ok(selectors) if option == "--select" => settings.rules.select = Some(selectors),
                Ok(selectors) => settings.rules.ignore.extend(selectors),
                Err(why) => {
                    eprintln!("suanpan: {option}: {why}");
                    return ExitCode::from(2);
                }
            }
        }
        if let Some(n) = self.threads
            && let Err(e) = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global()
        {
            eprintln!("suanpan: {e}");
            return ExitCode::from(2);
        }
        let bundles = suanpan::bundles_with(&self.paths, &settings.bundles);
        // A folder without report files is no error (exit 0), but a CI job pointed at the
        // wrong folder should say so rather than pass in silence: each such path is named.
        let empty: Vec<String> = self
            .paths
            .iter()
            .filter(|p| {
                !bundles
                    .iter()
                    .flat_map(|b| b.files.iter())
                    .any(|f| f.starts_with(p))
            })
            .map(|p| p.display().to_string())
            .collect();
        if !empty.is_empty() {
            eprintln!(
                "suanpan: {}",
                match lang {
                    Lang::Zh => format!(
                        "{} 下没有找到报告文件（.txt .text .md .docx .xlsx .xlsm .xls .xlsb .ods）",
                        empty.join("、")
                    ),
                    Lang::En => format!(
                        "no report files (.txt .text .md .docx .xlsx .xlsm .xls .xlsb .ods) found under {}",
                        empty.join(", ")
                    ),
                }
            );
        }
        // suanpan never writes to its inputs: refuse an output file that is one of them.
        let outputs = self
            .output
            .iter()
            .chain(self.summary_file.as_ref().map(|(_, f)| f));
        for out in outputs.filter_map(|o| o.canonicalize().ok()) {
            let is_input = bundles
                .iter()
                .flat_map(|b| b.files.iter())
                .any(|f| f.canonicalize().is_ok_and(|f| f == out));
            if is_input {
                eprintln!(
                    "suanpan: {}",
                    match lang {
                        Lang::Zh =>
                            format!("输出文件 {} 是被检查的文件之一，不会覆盖", out.display()),
                        Lang::En => format!(
                            "the output file {} is one of the inputs; it will not be overwritten",
                            out.display()
                        ),
                    }
                );
                return ExitCode::from(2);
            }
        }
        // Annotated copies never take an input's place: refused before anything is checked.
        let mut annotator = self
            .annotate
            .as_ref()
            .map(|dir| suanpan::annotate::Annotator::new(dir, &self.paths, lang));
        if let Some(a) = &annotator {
            let inputs: Vec<&std::path::Path> = bundles
                .iter()
                .flat_map(|b| b.files.iter().map(PathBuf::as_path))
                .collect();
            if let Some(why) = a.refuse(&inputs) {
                eprintln!("suanpan: {why}");
                return ExitCode::from(2);
            }
            if let Some(note) = a.inside_inputs() {
                eprintln!("suanpan: {note}");
            }
        }
        // A shard keeps its bundles, after the checks above saw every path.
        let bundles = match self.shard {
            Some((k, n)) => bundles
                .into_iter()
                .filter(|b| suanpan::shard_of(b, n) == k - 1)
                .collect(),
            None => bundles,
        };
        let bar = if std::io::stderr().is_terminal() && bundles.len() >= PROGRESS_FROM {
            let bar = indicatif::ProgressBar::new(bundles.len() as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} {per_sec} {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        let mut out: Box<dyn Write> = match &self.output {
            Some(path) => match std::fs::File::create(path) {
                Ok(f) => Box::new(std::io::BufWriter::new(f)),
                Err(e) => {
                    eprintln!("suanpan: {}", cannot_write(path, &e, lang));
                    return ExitCode::from(2);
                }
            },
            None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        };
        let color = self.output.is_none() && std::io::stdout().is_terminal();
        // The first write error is kept and nothing more is written; the run ends with exit 2.
        let mut write_error: Option<std::io::Error> = None;
        let (fails, summary) = match self.format {
            // Each bundle's findings are written as soon as it and the bundles before it are
            // done, so memory does not grow with the number of reports.
            Format::Human | Format::Line | Format::Jsonl | Format::Html => {
                let mut summary = suanpan::Report {
                    bundles: suanpan::Summaries::with_capacity(bundles.len()),
                    ..suanpan::Report::default()
                };
                let mut failed = false;
                // The page's head first; its overview, known at the end, is written last.
                let mut page = (self.format == Format::Html)
                    .then(|| suanpan::render::html::HtmlPage::new(lang));
                if let Some(page) = &page {
                    let head = page.begin();
                    put(&bar, &mut write_error, || out.write_all(head.as_bytes()));
                }
                suanpan::for_each_checked(
                    &bundles,
                    &settings,
                    &|| bar.inc(1),
                    |findings, bundle| {
                        failed |= findings.iter().any(|f| f.severity >= self.fail_on);
                        if let Some(a) = annotator.as_mut() {
                            let lines = a.bundle(&findings, &bundle.paths);
                            bar.suspend(|| lines.iter().for_each(|l| eprintln!("{l}")));
                        }
                        let text = match (self.format, page.as_mut()) {
                            (Format::Html, Some(page)) => page.report(&findings, &bundle),
                            (Format::Human, _) => {
                                suanpan::render::human::render_findings(&findings, lang, color)
                            }
                            (Format::Jsonl, _) => {
                                suanpan::render::jsonl::render_report(&findings, &bundle, lang)
                            }
                            _ => suanpan::render::line::render_findings(&findings, lang),
                        };
                        put(&bar, &mut write_error, || out.write_all(text.as_bytes()));
                        summary.files += bundle.files;
                        summary.bundles.push(bundle);
                    },
                );
                if let Some(page) = &page {
                    put(&bar, &mut write_error, || page.finish(&summary, &mut out));
                }
                (failed, summary)
            }
            // Documents, streamed too, in the order of the whole report.
            Format::Json | Format::Sarif => self.stream_document(
                bundles,
                &settings,
                &bar,
                &mut out,
                &mut write_error,
                annotator.as_mut(),
            ),
        };
        bar.finish_and_clear();
        let summary_text = suanpan::render::summary::render(&summary, lang);
        // Human output ends with the summary; machine formats keep stdout (or the file) to the
        // format, and the summary goes to standard error, where a person watching sees it.
        if self.format == Format::Human {
            put(&bar, &mut write_error, || {
                out.write_all(summary_text.as_bytes())
            });
        } else {
            eprint!("{summary_text}");
        }
        put(&bar, &mut write_error, || out.flush());
        if let Some((kind, path)) = &self.summary_file {
            let text = match kind {
                SummaryKind::Csv => suanpan::render::table::csv(&summary, lang),
                SummaryKind::Json => suanpan::render::table::json(&summary),
            };
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("suanpan: {}", cannot_write(path, &e, lang));
                return ExitCode::from(2);
            }
        }
        if let Some(a) = &annotator {
            eprintln!("{}", a.closing());
            if a.failed > 0 {
                return ExitCode::from(2);
            }
        }
        if let Some(e) = write_error {
            let msg = match &self.output {
                Some(path) => cannot_write(path, &e, lang),
                None => e.to_string(),
            };
            eprintln!("suanpan: {msg}");
            return ExitCode::from(2);
        }
        if fails {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }

    /// json and sarif: the document's opening, then each bundle's findings as the bundles are
    /// done, in the order of the whole report (`ReportOrder`), then its end. Only the per-report
    /// summaries are kept (for standard error), and the findings that wait for an earlier file.
    /// Returns whether a finding is at `--fail-on` or above, and the summary.
    fn stream_document(
        &self,
        bundles: Vec<suanpan::Bundle>,
        settings: &suanpan::settings::Settings,
        bar: &indicatif::ProgressBar,
        out: &mut dyn Write,
        write_error: &mut Option<std::io::Error>,
        mut annotator: Option<&mut suanpan::annotate::Annotator>,
    ) -> (bool, suanpan::Report) {
        let mut order = suanpan::render::order::ReportOrder::new(&bundles);
        let count = bundles.len();
        let run = order.run_order(bundles);
        let mut doc = match bar.suspend(|| Document::begin(self.format, &mut *out, self.lang)) {
            Ok(doc) => Some(doc),
            Err(e) => {
                *write_error = Some(e);
                None
            }
        };
        let mut summaries = suanpan::Summaries::with_capacity(count);
        let (mut files, mut failed) = (0, false);
        suanpan::for_each_checked(&run, settings, &|| bar.inc(1), |findings, summary| {
            failed |= findings.iter().any(|f| f.severity >= self.fail_on);
            if let Some(a) = annotator.as_mut() {
                let lines = a.bundle(&findings, &summary.paths);
                bar.suspend(|| lines.iter().for_each(|l| eprintln!("{l}")));
            }
            files += summary.files;
            let (index, ready) = order.push(findings);
            summaries.push_at(index, summary);
            write_findings(&mut doc, &ready, bar, write_error);
        });
        write_findings(&mut doc, &order.finish(), bar, write_error);
        if let Some(doc) = doc
            && let Err(e) = bar.suspend(|| doc.finish(files))
        {
            *write_error = Some(e);
        }
        let summary = suanpan::Report {
            findings: Vec::new(),
            files,
            bundles: summaries,
        };
        (failed, summary)
    }
}

/// Runs one write unless an earlier one failed (with the progress bar out of the way); keeps
/// the first error.
fn put(
    bar: &indicatif::ProgressBar,
    error: &mut Option<std::io::Error>,
    write: impl FnOnce() -> std::io::Result<()>,
) {
    if error.is_none()
        && let Err(e) = bar.suspend(write)
    {
        *error = Some(e);
    }
}

/// Writes findings into a document; after a write error the document is dropped, so nothing
/// more is written.
fn write_findings<W: Write>(
    doc: &mut Option<Document<W>>,
    findings: &[suanpan::diagnostic::Finding],
    bar: &indicatif::ProgressBar,
    error: &mut Option<std::io::Error>,
) {
    if findings.is_empty() {
        return;
    }
    if let Some(d) = doc.as_mut()
        && let Err(e) = bar.suspend(|| d.findings(findings))
    {
        *error = Some(e);
        *doc = None;
    }
}

/// A json or sarif document being written.
enum Document<W: Write> {
    Json(suanpan::render::json::JsonWriter<W>),
    Sarif(suanpan::render::sarif::SarifWriter<W>),
}

impl<W: Write> Document<W> {
    fn begin(format: Format, out: W, lang: Lang) -> std::io::Result<Self> {
        Ok(if format == Format::Sarif {
            Document::Sarif(suanpan::render::sarif::SarifWriter::begin(out, lang)?)
        } else {
            Document::Json(suanpan::render::json::JsonWriter::begin(out, lang)?)
        })
    }

    fn findings(&mut self, findings: &[suanpan::diagnostic::Finding]) -> std::io::Result<()> {
        match self {
            Document::Json(w) => w.findings(findings),
            Document::Sarif(w) => w.findings(findings),
        }
    }

    fn finish(self, files: usize) -> std::io::Result<W> {
        match self {
            Document::Json(w) => w.finish(files),
            Document::Sarif(w) => w.finish(),
        }
    }
}

fn cannot_write(path: &std::path::Path, e: &std::io::Error, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("无法写入 {}：{e}", path.display()),
        Lang::En => format!("cannot write {}: {e}", path.display()),
    }
}

fn render_error(e: &suanpan::config::ConfigError) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, e).is_err() {
        out = format!("{e}\n");
    }
    out
}
