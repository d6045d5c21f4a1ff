//! Writes the demonstration workbooks of fixtures/sheets/ (a clean project sheet with its
//! narrative, and a department sheet with planted errors), and the fixtures of the four template
//! families (`workbooks::families`): each as .xlsx with its `.expected`, and as JSON that
//! scripts/make_xls.py turns into the same workbook as .xls:
//! `cargo run --example make_sheets fixtures/sheets && python3 scripts/make_xls.py fixtures/sheets`
#[path = "../tests/support/workbooks.rs"]
mod workbooks;

use workbooks::{
    SheetSpec, book_json, dept_rows, families, project_rows, write_book_xlsx, write_ods, write_xlsx,
};

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or("fixtures/sheets".into()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        std::process::exit(1);
    }
    let project = vec![SheetSpec {
        name: "自评表",
        origin: (0, 0),
        rows: project_rows(),
    }];
    write_xlsx(&dir.join("职工疗休养项目.xlsx"), &project);
    write_ods(&dir.join("职工疗休养项目（ODS）.ods"), &project);
    let mut dept = dept_rows();
    dept[3][4] = "6".into(); // 绩效指标明确性: score 6 above its weight 5
    dept[7][5] = String::new(); // 预算调整率: shortfall without a reason
    dept[13][1] = "良".into(); // 92 graded 良
    write_xlsx(
        &dir.join("部门整体自评表（有错）.xlsx"),
        &[SheetSpec {
            name: "评分表",
            origin: (1, 1),
            rows: dept,
        }],
    );
    for f in families() {
        write_book_xlsx(&dir.join(format!("{}.xlsx", f.name)), &f.book);
        let mut expected = format!("# {}\n", f.note);
        for e in &f.expect {
            expected.push_str(&format!("{} {} {}\n", e.code, e.severity, e.cell));
        }
        let written =
            std::fs::write(dir.join(format!("{}.expected", f.name)), expected).and_then(|()| {
                std::fs::write(dir.join(format!("{}.json", f.name)), book_json(&f.book))
            });
        if let Err(e) = written {
            eprintln!("{}: {e}", f.name);
            std::process::exit(1);
        }
    }
}
