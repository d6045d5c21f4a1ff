//! Prints the facts suanpan extracts from a narrative: `cargo run --example dump_facts FILE`.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_facts FILE");
        std::process::exit(2);
    };
    let settings = suanpan::settings::Settings::default();
    match suanpan::read_document(std::path::Path::new(&path), &settings) {
        Ok(doc) => {
            for f in &doc.facts {
                let (line, col) = match &f.at.place {
                    suanpan::diagnostic::Place::Text { start, .. } => doc.source.line_col(*start),
                    _ => (0, 0),
                };
                println!(
                    "{line}:{col}\tg{} s{}\t{:?}\t[{}]{}\t{:?}\t{}{}",
                    f.section,
                    f.sentence,
                    f.concept,
                    f.subject,
                    f.part_of
                        .as_ref()
                        .map(|p| format!(" <{p}"))
                        .unwrap_or_default(),
                    f.period,
                    f.word.clone().unwrap_or_else(|| f.quantity.to_string()),
                    f.base.map(|b| format!(" of {b:?}")).unwrap_or_default(),
                );
            }
        }
        Err(e) => eprintln!("{}", e.describe().zh),
    }
}
