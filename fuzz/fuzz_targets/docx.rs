//! Any bytes through the .docx reader (zip, then XML), and what it reads through the checks.
#![no_main]
use libfuzzer_sys::fuzz_target;
use suanpan::diagnostic::Source;
use suanpan::settings::Settings;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = suanpan::source::docx::text_of(data) {
        let src = Source::new("fuzz.docx".into(), text);
        let _ = suanpan::check_narrative(&src, &Settings::default());
    }
    let _ = suanpan::source::docx::text_of_document_xml(data);
});
