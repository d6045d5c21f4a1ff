//! Cost against input size: the shapes that once grew faster than their input (issue "linear
//! cost"), each checked at three sizes, doubling. Run with `cargo bench --bench shapes`.
//!
//! Prints the time per MB at each size and its ratio to the smallest size's; a ratio well above
//! 1.5 at the largest size means a step that grows faster than the text (a search over all
//! figures per figure, a re-scan of the line per clause). In memory, one thread, no file I/O.
//!
//! Then one finding that labels thousands of cells (a score sheet whose total disagrees with its
//! rows' scores, at 2,000, 4,000 and 8,000 rows), checked and written as the CLI does: with
//! human output, which should take no more than twice as long as with line output, and each
//! against its time per row at the smallest size.

use std::hint::black_box;
use std::time::Instant;
use suanpan::diagnostic::{Lang, Source};
use suanpan::settings::Settings;
use suanpan::source::sheet::{Sheet, Value};

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

/// A score sheet of `rows` indicator rows (weight 1, score 1 each) under a header, with a total
/// row stating twice what they add up to (beyond the rows' rounding, ±0.005 each): one SP0203
/// labelling every score cell.
fn score_sheet(rows: usize) -> Sheet {
    let text = |t: &str| Value::Text(t.to_string());
    let num = |n: usize| Value::Number(n.into(), 0);
    let mut cells = vec![
        vec![text("项目支出绩效自评表")],
        vec![
            text("一级指标"),
            text("二级指标"),
            text("三级指标"),
            text("分值"),
            text("得分"),
        ],
    ];
    for i in 0..rows {
        cells.push(vec![
            text("产出指标"),
            text("数量指标"),
            text(&format!("指标{i}")),
            num(1),
            num(1),
        ]);
    }
    cells.push(vec![
        text("总分"),
        Value::Empty,
        Value::Empty,
        num(rows),
        num(rows * 2),
    ]);
    Sheet {
        name: "评分表".into(),
        cells,
        uncached: Vec::new(),
    }
}

/// The human format against the line format on one finding of thousands of labelled cells, as
/// the CLI runs them: the sheet checked, then its findings written (a line says only the
/// finding; human output shows every labelled cell with its row and column headings).
fn labelled_cells(settings: &Settings) {
    let mut base: Option<(f64, f64)> = None;
    for k in 0..3 {
        let rows = 2000 << k;
        let src = Source::workbook("评分表.xlsx".into(), vec![score_sheet(rows)]);
        let started = Instant::now();
        let (_, findings) = suanpan::check_workbook(&src, &src.sheets, settings);
        let check_s = started.elapsed().as_secs_f64();
        let labels: usize = findings.iter().map(|f| f.labels.len()).sum();
        let started = Instant::now();
        black_box(suanpan::render::line::render_findings(&findings, Lang::Zh));
        let line_s = check_s + started.elapsed().as_secs_f64();
        let started = Instant::now();
        black_box(suanpan::render::human::render_findings(
            &findings,
            Lang::Zh,
            false,
        ));
        let human_s = check_s + started.elapsed().as_secs_f64();
        let per_row = (line_s / rows as f64, human_s / rows as f64);
        let (line0, human0) = *base.get_or_insert(per_row);
        println!(
            "labelled cells, {rows} rows ({} findings, {labels} labels): check + line {:.3} s \
             (×{:.2} per row of the smallest), check + human {:.3} s (×{:.2}); human/line ×{:.2}",
            findings.len(),
            line_s,
            per_row.0 / line0,
            human_s,
            per_row.1 / human0,
            human_s / line_s
        );
    }
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
    labelled_cells(&settings);
}
