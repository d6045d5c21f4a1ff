//! Corpus benchmark: `cargo bench --bench corpus [-- --bundles N --mem 1000,10000]`;
//! `-- --bundles N --generate DIR` only writes the corpus; `-- --once floor|text|check --root DIR`
//! runs one job once on 1 thread over a written corpus (for an instruction count).
//!
//! Generates N report bundles (a ~15 KB 部门整体 narrative with figures and its 部门整体支出绩效
//! 自评表 workbook each; a department report is not cross-checked against a project's sheet,
//! `check::pairing`) into a temporary folder, then prints, side by side in one run:
//! - the read-only floor: walk, read and decode every narrative, open every workbook with
//!   calamine and visit every cell of every sheet;
//! - suanpan's full check (`check_paths`) over the same folder;
//!
//! each with 1 thread and with all threads, the best of 7 rounds (the jobs taking turns within a
//! round) after a warm-up round, and the ratios. Then, in separate child processes (so each
//! starts from a fresh heap), the peak resident memory
//! (`VmHWM`) of a full check over each corpus size given with `--mem`, as the CLI runs it for
//! line output and for json output (both streamed; sarif is json's path with another writer).

use calamine::{Reader, open_workbook_auto};
use rust_xlsxwriter::Workbook;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use suanpan::settings::Settings;

/// A small deterministic generator (no dependency, same corpus on every machine).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    /// A money amount in 万元 with 2 decimals, as cents.
    fn cents(&mut self, lo: u64, hi: u64) -> u64 {
        self.range(lo * 100, hi * 100)
    }
}

/// The execution rate as the sheet states it (to 0.01%), in hundredths of a percent, rounded
/// half up: the one figure the sheet's rate cell and the execution score are both made from.
fn rate_bp(actual: u64, full: u64) -> u64 {
    (actual * 10000 + full.max(1) / 2) / full.max(1)
}

fn money(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

const INDICATORS: &[(&str, &str, &str)] = &[
    ("产出指标", "数量指标", "开展职工培训场次"),
    ("产出指标", "数量指标", "慰问困难职工人数"),
    ("产出指标", "质量指标", "培训合格率"),
    ("产出指标", "质量指标", "资金使用合规率"),
    ("产出指标", "时效指标", "资金拨付及时率"),
    ("产出指标", "成本指标", "人均慰问成本"),
    ("效益指标", "社会效益指标", "职工权益保障水平"),
    ("效益指标", "可持续影响指标", "长效机制建立情况"),
    ("满意度指标", "服务对象满意度指标", "职工满意度"),
    ("预算执行", "预算执行率", "预算执行率"),
];

const FILLER: &[&str] = &[
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，围绕中心、服务大局，扎实推进各项工作。",
    "严格执行《预算法》及其实施条例，规范预算编制、执行和决算管理，强化预算约束和绩效管理，提高财政资金使用效益。",
    "单位建立健全内部控制制度，对资金支出实行事前审批、事中监控、事后评价的全过程管理，确保资金安全规范使用。",
    "在“5.12护士节”“10.26世界环卫工人日”等节点开展走访慰问，覆盖一线职工，活动得到广泛好评。",
    "下一步将进一步加强绩效目标管理，细化量化绩效指标，提高绩效目标的科学性和可衡量性，推动绩效评价结果应用。",
    "部分指标设置不够细化，个别项目前期论证不充分，资金支付进度前慢后快，需在今后工作中加以改进。",
];

/// One ~15 KB narrative and its sheet figures. Every tenth report states a total score that
/// disagrees with the sum of its indicator scores.
/// A generated report: narrative text, (indicator, weight, score) rows, and the initial budget,
/// full-year budget and actual spending in cents of 万元.
type Generated = (String, Vec<(usize, u64, u64)>, u64, u64, u64);

fn bundle(i: usize) -> Generated {
    let mut r = Lcg(i as u64 * 7919 + 17);
    let initial = r.cents(100, 2000);
    let adjust = r.cents(0, 300);
    let full = initial + adjust;
    let actual = full - r.cents(0, 20).min(full);
    let mut t = String::with_capacity(16 * 1024);
    t.push_str(&format!(
        "2024年度第{i}号单位部门整体支出绩效自评报告\n\n一、部门基本情况\n"
    ));
    t.push_str(&format!(
        "本单位内设科室{}个，编制人数{}人，实有人数{}人。{}\n\n二、预算执行情况\n",
        r.range(3, 12),
        r.range(10, 80),
        r.range(10, 80),
        FILLER[0]
    ));
    t.push_str(&format!(
        "2024年度年初预算为{}万元，预算调整增加{}万元，全年预算为{}万元，全年执行数为{}万元，\
         预算执行率为{:.2}%。其中：基本支出{}万元，项目支出{}万元。{}\n\n",
        money(initial),
        money(adjust),
        money(full),
        money(actual),
        actual as f64 * 100.0 / full.max(1) as f64,
        money(actual / 3),
        money(actual - actual / 3),
        FILLER[1]
    ));
    t.push_str("三、绩效指标完成情况\n");
    let mut scores = Vec::new();
    let mut total = 0;
    let rate_bp = rate_bp(actual, full);
    for (k, (l1, l2, l3)) in INDICATORS.iter().enumerate() {
        let weight = 10u64;
        let score = if *l1 == "预算执行" {
            // Scored by the form's rule: rate × weight, to the cent.
            (rate_bp * weight + 50) / 100
        } else {
            weight * 100 - r.range(0, 150)
        };
        total += score;
        scores.push((k, weight, score));
        t.push_str(&format!(
            "（{}）{}（{}—{}），年度指标值为{}，实际完成值为{}，分值{}分，得分为{}分。{}\n",
            k + 1,
            l3,
            l1,
            l2,
            r.range(50, 100),
            r.range(50, 100),
            weight,
            money(score),
            FILLER[k % FILLER.len()]
        ));
    }
    let stated = if i.is_multiple_of(10) {
        total + 1000
    } else {
        total
    };
    while t.len() < 14 * 1024 {
        t.push_str(FILLER[r.range(0, FILLER.len() as u64 - 1) as usize]);
        t.push('\n');
    }
    let grade = match stated / 100 {
        90.. => "优",
        80..=89 => "良",
        60..=79 => "中",
        _ => "差",
    };
    t.push_str(&format!(
        "\n四、自评结论\n经自评，本单位2024年度部门整体支出绩效自评分数为{}分，评价等级为{}。\n",
        money(stated),
        grade
    ));
    (t, scores, initial, full, actual)
}

fn write_sheet(path: &Path, scores: &[(usize, u64, u64)], initial: u64, full: u64, actual: u64) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = |c: u64| c as f64 / 100.0;
    let _ = ws.write_string(0, 0, "部门整体支出绩效自评表");
    let header = [
        "项目资金（万元）",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ];
    for (c, h) in header.iter().enumerate() {
        let _ = ws.write_string(2, c as u16, *h);
    }
    let _ = ws.write_string(3, 0, "年度资金总额");
    let _ = ws.write_number(3, 1, f(initial));
    let _ = ws.write_number(3, 2, f(full));
    let _ = ws.write_number(3, 3, f(actual));
    // Typed as a rounded rate (99.91%), as most forms are filled in.
    let rate = rate_bp(actual, full) as f64 / 10000.0;
    let _ = ws.write_number(3, 5, rate);
    let _ = ws.write_string(4, 0, "其中：当年财政拨款");
    let _ = ws.write_number(4, 1, f(initial));
    let _ = ws.write_number(4, 2, f(full));
    let _ = ws.write_number(4, 3, f(actual));
    let ind = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ];
    for (c, h) in ind.iter().enumerate() {
        let _ = ws.write_string(6, c as u16, *h);
    }
    let mut row = 7;
    let mut total = 0.0;
    for &(k, weight, score) in scores {
        let (l1, l2, l3) = INDICATORS[k];
        if l1 == "预算执行" {
            // The execution indicator is scored in the fund block, as the form has it.
            let _ = ws.write_number(3, 4, weight as f64);
            let _ = ws.write_number(3, 6, f(score));
            total += f(score);
            continue;
        }
        if score < weight * 100 {
            let _ = ws.write_string(row, 7, "部分任务受客观因素影响未全部完成，已制定整改措施。");
        }
        let _ = ws.write_string(row, 0, l1);
        let _ = ws.write_string(row, 1, l2);
        let _ = ws.write_string(row, 2, l3);
        let _ = ws.write_string(row, 3, "≥90%");
        let _ = ws.write_string(row, 4, "95%");
        let _ = ws.write_number(row, 5, weight as f64);
        let _ = ws.write_number(row, 6, f(score));
        total += f(score);
        row += 1;
    }
    let _ = ws.write_string(row, 0, "总分");
    let _ = ws.write_number(row, 5, 100.0);
    let _ = ws.write_number(row, 6, (total * 100.0).round() / 100.0);
    if let Err(e) = wb.save(path) {
        eprintln!("cannot write {}: {e}", path.display());
    }
}

/// Generates bundles [from, to) under `root`, one folder each.
fn generate(root: &Path, from: usize, to: usize) {
    use rayon::prelude::*;
    (from..to).into_par_iter().for_each(|i| {
        let dir = root.join(format!("b{i:05}"));
        let _ = std::fs::create_dir_all(&dir);
        let (text, scores, initial, full, actual) = bundle(i);
        let _ = std::fs::write(dir.join("自评报告.txt"), text);
        write_sheet(&dir.join("自评表.xlsx"), &scores, initial, full, actual);
    });
}

/// The bundle folders of a corpus, first `n` in name order.
fn corpus_paths(root: &Path, n: usize) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs.truncate(n);
    dirs
}

/// The floor: what any tool must do to look at these files at all.
fn read_only(paths: &[PathBuf], workbooks: bool) -> usize {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = paths.iter().flat_map(|p| suanpan::walk(p)).collect();
    files
        .par_iter()
        .map(|f| match suanpan::source::kind_of(f) {
            suanpan::source::Kind::Workbook if !workbooks => 0,
            suanpan::source::Kind::Workbook => {
                let Ok(mut wb) = open_workbook_auto(f) else {
                    return 0;
                };
                let mut cells = 0;
                for name in wb.sheet_names() {
                    if let Ok(range) = wb.worksheet_range(&name) {
                        cells += range
                            .used_cells()
                            .filter(|(_, _, c)| !matches!(black_box(c), calamine::Data::Empty))
                            .count();
                    }
                }
                cells
            }
            _ => suanpan::source::read_bounded(f, u64::MAX)
                .ok()
                .and_then(|b| suanpan::source::text::decode(&b).ok())
                .map(|(t, _)| black_box(t).len())
                .unwrap_or(0),
        })
        .sum()
}

fn full_check(paths: &[PathBuf]) -> usize {
    let report = suanpan::check_paths(paths, &Settings::default());
    black_box(report.findings.len())
}

/// What the CLI does for human and line output: findings written out bundle by bundle, only
/// the per-report summaries kept.
fn streamed_check(paths: &[PathBuf]) -> usize {
    use std::io::Write;
    let settings = Settings::default();
    let bundles = suanpan::bundles(paths);
    let mut sink = std::io::sink();
    let mut summaries = suanpan::Summaries::with_capacity(bundles.len());
    let mut findings = 0;
    suanpan::for_each_checked(&bundles, &settings, &|| {}, |f, summary| {
        findings += f.len();
        let text = suanpan::render::line::render_findings(&f, suanpan::diagnostic::Lang::Zh);
        let _ = sink.write_all(text.as_bytes());
        summaries.push(summary);
    });
    black_box(summaries.len());
    findings
}

/// What the CLI does for json output (sarif differs only in the writer): bundles checked in the
/// whole report's order, each bundle's findings written as they are ready, only the per-report
/// summaries kept.
fn streamed_json(paths: &[PathBuf]) -> usize {
    let settings = Settings::default();
    let bundles = suanpan::bundles(paths);
    let mut order = suanpan::render::order::ReportOrder::new(&bundles);
    let run = order.run_order(bundles);
    let lang = suanpan::diagnostic::Lang::Zh;
    let Ok(mut doc) = suanpan::render::json::JsonWriter::begin(std::io::sink(), lang) else {
        return 0;
    };
    let mut summaries = suanpan::Summaries::with_capacity(run.len());
    let (mut findings, mut files) = (0, 0);
    suanpan::for_each_checked(&run, &settings, &|| {}, |f, summary| {
        findings += f.len();
        files += summary.files;
        let (_, ready) = order.push(f);
        let _ = doc.findings(&ready);
        summaries.push(summary);
    });
    let _ = doc.findings(&order.finish());
    let _ = doc.finish(files);
    black_box(summaries.len());
    findings
}

/// The best time of each job over `rounds` rounds, after a warm-up round (page cache,
/// allocator). The jobs take turns within a round, so a slow spell of the machine falls on all
/// of them rather than on whichever was being timed.
fn best_of_each(
    pool: &rayon::ThreadPool,
    rounds: usize,
    jobs: &[&(dyn Fn() -> usize + Sync)],
) -> Vec<Duration> {
    pool.install(|| {
        for job in jobs {
            black_box(job());
        }
        let mut best = vec![Duration::MAX; jobs.len()];
        for _ in 0..rounds {
            for (job, best) in jobs.iter().zip(&mut best) {
                let t = Instant::now();
                black_box(job());
                *best = (*best).min(t.elapsed());
            }
        }
        best
    })
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // Child mode: a full check over the first N bundles of a corpus; prints the peak memory.
    if let (Some(root), Some(n)) = (arg(&args, "--child-root"), arg(&args, "--child-n")) {
        let n: usize = n.parse().unwrap_or(0);
        let paths = corpus_paths(Path::new(&root), n);
        let findings = if arg(&args, "--child-mode").as_deref() == Some("json") {
            streamed_json(&paths)
        } else {
            streamed_check(&paths)
        };
        println!("{} {}", vm_hwm_kib().unwrap_or(0), findings);
        return;
    }
    // `--once floor|text|check --root DIR`: one run of one job on 1 thread over a written corpus,
    // to count its instructions (valgrind --tool=callgrind), which a shared machine's clock
    // cannot resolve to a per cent.
    if let (Some(job), Some(root)) = (arg(&args, "--once"), arg(&args, "--root")) {
        let paths = corpus_paths(Path::new(&root), usize::MAX);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a thread pool");
        let out = one.install(|| match job.as_str() {
            "floor" => read_only(&paths, true),
            "text" => read_only(&paths, false),
            _ => full_check(&paths),
        });
        println!("{job}: {out}");
        return;
    }
    let n: usize = arg(&args, "--bundles")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let mem_sizes: Vec<usize> = arg(&args, "--mem")
        .unwrap_or_else(|| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let max = mem_sizes.iter().copied().chain([n]).max().unwrap_or(n);
    // `--generate DIR`: only write the corpus there (to time the CLI on it, or to look at it).
    if let Some(out) = arg(&args, "--generate") {
        generate(Path::new(&out), 0, n);
        println!("{n} bundles written under {out}");
        return;
    }
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot create a temporary folder: {e}");
            return;
        }
    };
    let root = dir.path();
    let t = Instant::now();
    generate(root, 0, n);
    let bytes: u64 = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    println!(
        "corpus: {n} bundles (narrative + workbook), {:.1} MB, generated in {:.1?}",
        bytes as f64 / 1e6,
        t.elapsed()
    );
    let paths = corpus_paths(root, n);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let pool = |k: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .expect("a thread pool")
    };
    let (one, all) = (pool(1), pool(cores));
    let floor = || read_only(&paths, true);
    let text = || read_only(&paths, false);
    let check = || full_check(&paths);
    let jobs: [&(dyn Fn() -> usize + Sync); 3] = [&floor, &text, &check];
    let (one, all) = (best_of_each(&one, 7, &jobs), best_of_each(&all, 7, &jobs));
    let (floor1, text1, check1) = (one[0], one[1], one[2]);
    let (floor_n, text_n, check_n) = (all[0], all[1], all[2]);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!();
    println!(
        "| threads | read-only floor (text + workbooks) | floor, text only | full check | check / floor |"
    );
    println!("|---|---|---|---|---|");
    println!(
        "| 1 | {:.0} ms | {:.0} ms | {:.0} ms | {:.2}× |",
        ms(floor1),
        ms(text1),
        ms(check1),
        ms(check1) / ms(floor1)
    );
    println!(
        "| {cores} | {:.0} ms | {:.0} ms | {:.0} ms | {:.2}× |",
        ms(floor_n),
        ms(text_n),
        ms(check_n),
        ms(check_n) / ms(floor_n)
    );
    println!(
        "| speed-up 1 → {cores} | {:.2}× | {:.2}× | {:.2}× | |",
        ms(floor1) / ms(floor_n),
        ms(text1) / ms(text_n),
        ms(check1) / ms(check_n)
    );

    if mem_sizes.is_empty() {
        return;
    }
    generate(root, n, max);
    println!();
    println!(
        "| bundles | peak RSS, streamed (CLI human/line) | peak RSS, streamed (CLI json/sarif) | findings |"
    );
    println!("|---|---|---|---|");
    let exe = std::env::current_exe().expect("the bench binary");
    let child = |size: usize, mode: &str| -> (f64, String) {
        let out = std::process::Command::new(&exe)
            .args(["--child-root", &root.display().to_string()])
            .args(["--child-n", &size.to_string()])
            .args(["--child-mode", mode])
            .output();
        match out {
            Ok(o) => {
                let text = String::from_utf8_lossy(&o.stdout);
                let mut it = text.split_whitespace();
                let kib: u64 = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
                (kib as f64 / 1024.0, it.next().unwrap_or("?").to_string())
            }
            Err(e) => (0.0, format!("child failed: {e}")),
        }
    };
    for size in mem_sizes {
        let (streamed, findings) = child(size, "stream");
        let (json, _) = child(size, "json");
        println!("| {size} | {streamed:.1} MiB | {json:.1} MiB | {findings} |");
    }
}
