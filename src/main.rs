//! The `suanpan` command line: parse arguments, run the library, render, set the exit code.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use suanpan::diagnostic::Lang;
use suanpan::settings::Settings;

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
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Write the report to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
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
        } => check(&paths, format, output, lang),
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

fn check(paths: &[PathBuf], format: Format, output: Option<PathBuf>, lang: Lang) -> ExitCode {
    let settings = Settings::default();
    let report = suanpan::check_paths(paths, &settings);
    let text = match format {
        Format::Human => {
            let color = output.is_none() && std::io::stdout().is_terminal();
            suanpan::render::human::render(&report, lang, color)
        }
        Format::Json => suanpan::render::json::render(&report, lang),
    };
    let written = match &output {
        Some(path) => std::fs::write(path, text.as_bytes()),
        None => std::io::stdout().write_all(text.as_bytes()),
    };
    if let Err(e) = written {
        eprintln!("suanpan: {e}");
        return ExitCode::from(2);
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
