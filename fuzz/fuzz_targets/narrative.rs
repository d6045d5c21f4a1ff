//! Any bytes through the text decoder, and any decoded text through extraction and the checks.
#![no_main]
use libfuzzer_sys::fuzz_target;
use suanpan::diagnostic::Source;
use suanpan::settings::Settings;

fuzz_target!(|data: &[u8]| {
    if let Ok((text, _)) = suanpan::source::text::decode(data) {
        let src = Source::new("fuzz.txt".into(), text);
        let _ = suanpan::check_narrative(&src, &Settings::default());
    }
});
