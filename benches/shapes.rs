//! Cost against input size: the shapes that once grew faster than their input (issue "linear
//! cost"), each checked at three sizes, doubling. Run with `cargo bench --bench shapes`.
//!
//! Prints the time per MB at each size and its ratio to the smallest size's; a ratio well above
//! 1.5 at the largest size means a step that grows faster than the text (a search over all
//! figures per figure, a re-scan of the line per clause). In memory, one thread, no file I/O.

use std::hint::black_box;
use std::time::Instant;
use suanpan::diagnostic::Source;
use suanpan::settings::Settings;

/// The bundled example report, as a realistic 13 KB page to repeat.
const REPORT: &str = include_str!("../fixtures/000_b73ab5ecdce5c643.txt");

/// A shape's name, and its text at size step `k`: each step doubles the text.
type Shape = (&'static str, Box<dyn Fn(usize) -> String>);

fn shapes() -> Vec<Shape> {
    vec![
        (
            "report repeated (汇编)",
            Box::new(|k| REPORT.repeat(50 << k)),
        ),
        (
            "one budget sentence repeated",
            Box::new(|k| "2023年全年预算100万元，实际支出95万元，执行率95%。\n".repeat(1000 << k)),
        ),
        (
            "one line of clauses",
            Box::new(|k| {
                format!(
                    "“三公”经费决算数为5.55万元，其中：{}。\n",
                    "公务接待费0.76万元，".repeat(500 << k)
                )
            }),
        ),
        (
            "scores under headings",
            Box::new(|k| {
                let mut s = String::new();
                for i in 0..(200 << k) {
                    s.push_str(&format!(
                        "（{i}）指标{i}（5分）得分4分。其中子项{i}得分4分。\n"
                    ));
                }
                s
            }),
        ),
    ]
}

fn main() {
    let settings = Settings::default();
    for (name, make) in shapes() {
        let mut base: Option<f64> = None;
        for k in 0..3 {
            let text = make(k);
            let mb = text.len() as f64 / 1e6;
            let src = Source::new(format!("{name}.txt").into(), text);
            let started = Instant::now();
            let findings = black_box(suanpan::check_narrative(&src, &settings)).len();
            let per_mb = started.elapsed().as_secs_f64() / mb;
            let ratio = per_mb / *base.get_or_insert(per_mb);
            println!(
                "{name}: {mb:.2} MB, {:.3} s/MB, ×{ratio:.2} of the smallest, {findings} findings",
                per_mb
            );
        }
    }
}
