//! Narrative throughput: extraction and checks over a generated corpus of realistic reports,
//! in memory (no file I/O). Run with `cargo bench --bench narrative [-- REPORTS]`.
//!
//! Each generated report is built from the phrasings of real reports (budget sentences, 三公
//! with 其中 parts, indicator scores under headings, the total and grade, long prose) with
//! figures varied per report, about 15 KB each.

use std::hint::black_box;
use std::time::Instant;
use suanpan::diagnostic::Source;
use suanpan::settings::Settings;

/// A small deterministic generator so every run measures the same corpus.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn cents(&mut self, max: u64) -> f64 {
        (self.next() % (max * 100)) as f64 / 100.0
    }
}

const PROSE: &str = "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，按照全总“559”统一部署，开展2024年“5.12”护士节送温暖、“10.26”世界环卫工人日送温暖等系列活动，切实维护职工合法权益，提升职工生活质量和满意度。";

fn report(rng: &mut Lcg, i: usize) -> String {
    let mut s = String::with_capacity(16 * 1024);
    let initial = 500.0 + rng.cents(1000);
    let adjust = rng.cents(200);
    let actual = initial + adjust - rng.cents(50);
    s.push_str(&format!(
        "一、部门基本情况\n（一）部门概况\n第{i}号单位。{PROSE}\n"
    ));
    s.push_str(&format!(
        "（二）支出情况\n2024年度本局支出年初预算为{initial:.2}万元，预算调整数为{adjust:.2}万元，决算数为{actual:.2}万元，完成年初预算数的{:.2}%。\n",
        actual / initial * 100.0
    ));
    let car = rng.cents(10);
    let reception = rng.cents(5);
    s.push_str(&format!(
        "“三公”经费支出全年预算数为{:.2}万元，支出决算为{:.2}万元。其中：公务用车运行维护费支出决算为{car:.2}万元，公务接待费支出决算为{reception:.2}万元。\n",
        car + reception + 1.0,
        car + reception
    ));
    for _ in 0..18 {
        s.push_str(PROSE);
        s.push('\n');
    }
    s.push_str("二、绩效自评结论\n");
    let mut scores = Vec::new();
    for _ in 0..20 {
        scores.push((rng.next() % 5 + 1) as f64);
    }
    let total: f64 = scores.iter().sum();
    s.push_str(&format!(
        "根据评分表，自评分数为{total:.2}分，等级为良好。\n三、绩效自评分析\n"
    ));
    for (k, sc) in scores.iter().enumerate() {
        s.push_str(&format!(
            "{}.指标{k}\n第{k}项指标得分为{sc}分，{PROSE}\n",
            k + 1
        ));
    }
    s
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    let mut rng = Lcg(42);
    let corpus: Vec<String> = (0..n).map(|i| report(&mut rng, i)).collect();
    let bytes: usize = corpus.iter().map(String::len).sum();
    let settings = Settings::default();
    let sources: Vec<_> = corpus
        .iter()
        .enumerate()
        .map(|(i, t)| Source::new(format!("r{i}.txt").into(), t.clone()))
        .collect();
    // Warm up lazily built tables (regexes, vocabulary).
    black_box(suanpan::check_narrative(&sources[0], &settings));
    let started = Instant::now();
    let mut findings = 0;
    for src in &sources {
        findings += black_box(suanpan::check_narrative(src, &settings)).len();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "narrative corpus: {n} reports, {:.1} MB, {:.1} KB/report",
        bytes as f64 / 1e6,
        bytes as f64 / n as f64 / 1e3
    );
    println!(
        "extract + check, 1 thread: {:.3} s, {:.1} MB/s, {:.0} reports/s, {findings} findings",
        secs,
        bytes as f64 / 1e6 / secs,
        n as f64 / secs
    );
}
