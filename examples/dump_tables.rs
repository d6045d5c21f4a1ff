//! Prints the tables suanpan finds inside a text, one row per line with cells separated by
//! ` | `: `cargo run --example dump_tables FILE`.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_tables FILE");
        std::process::exit(2);
    };
    let settings = suanpan::settings::Settings::default();
    match suanpan::read_document(std::path::Path::new(&path), &settings) {
        Ok(doc) => {
            for (i, t) in suanpan::extract::text_table::find(&doc.source.text)
                .iter()
                .enumerate()
            {
                let first = t.span(0, 0).map(|(s, _)| doc.source.line_col(s).0);
                println!("== table {i} (line {})", first.unwrap_or(0));
                for row in &t.sheet.cells {
                    let cells: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
                    println!("{}", cells.join(" | "));
                }
            }
        }
        Err(e) => eprintln!("{}", e.describe().zh),
    }
}
