//! Writes a .docx with one paragraph per line of a text file, dropping the Word bookmark
//! artefacts ("[bookmark: _Toc…]") that the text export left in:
//! `cargo run --example make_docx fixtures/000_b73ab5ecdce5c643.txt fixtures/000_b73ab5ecdce5c643.docx`
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: make_docx TEXT DOCX");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{input}: {e}");
            std::process::exit(1);
        }
    };
    let bookmark = regex::Regex::new(r"\[bookmark: [^\]]*\]").expect("valid regex");
    let clean = bookmark.replace_all(&text, "");
    let lines: Vec<&str> = clean.lines().collect();
    if let Err(e) = std::fs::write(output, suanpan::source::docx::write_minimal(&lines)) {
        eprintln!("{output}: {e}");
        std::process::exit(1);
    }
}
