//! Any bytes through the workbook reader in each format, and what it reads through the sheet rules.
#![no_main]
use libfuzzer_sys::fuzz_target;
use suanpan::diagnostic::Source;
use suanpan::settings::Settings;

fuzz_target!(init: {
    // libfuzzer-sys aborts on any panic, even one suanpan catches; the reader contains calamine's
    // panics by design, so use the default hook and let only uncaught panics count as crashes.
    let _ = std::panic::take_hook();
}, |data: &[u8]| {
    for ext in ["xlsx", "xls", "ods", "xlsb"] {
        if let Ok(book) = suanpan::source::sheet::parse(data, ext) {
            let src = Source::new(format!("fuzz.{ext}").into(), String::new());
            let _ = suanpan::check_workbook(&src, &book.sheets, &Settings::default());
        }
    }
});
