/// "比上年增加" → Some(false), "较上年减少" → Some(true) (negative); None if the prefix does
/// not end with a change word.
pub(super) fn change_word_at_end(prefix: &str) -> Option<bool> {
    let p = prefix.trim_end();
    let p = p.strip_suffix('了').unwrap_or(p);
    let p = p.strip_suffix('约').unwrap_or(p);
    const UP: &[&str] = &["增加", "增长", "上升", "提高", "增幅为", "增幅", "多"];
    const DOWN: &[&str] = &[
        "减少",
        "下降",
        "降低",
        "下滑",
        "减幅为",
        "降幅",
        "少",
        "节约",
    ];
    // Whether the prefix compares with something: asked only of prefixes ending in a change
    // word, since most end otherwise.
    let compared = || {
        ["比", "较", "同比", "环比", "相比"]
            .iter()
            .any(|w| p.contains(w))
    };
    if UP.iter().any(|w| p.ends_with(w)) && (p.ends_with("增长") || compared()) {
        return Some(false);
    }
    if DOWN.iter().any(|w| p.ends_with(w)) && (p.ends_with("下降") || compared()) {
        return Some(true);
    }
    None
}
