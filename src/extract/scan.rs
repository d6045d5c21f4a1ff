//! Small pieces the text scanners share: merging two byte searches into one stream of
//! positions, and splitting a text into lines with their offsets.

/// Two ascending streams merged into one ascending stream. The scanners search for two kinds
/// of byte at once this way (ASCII marks with memchr3, and the bytes of wider chars with a
/// second search), since one search for six bytes would stop too often.
pub(crate) fn merged<T: Ord>(
    a: impl Iterator<Item = T>,
    b: impl Iterator<Item = T>,
) -> impl Iterator<Item = T> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if x < y => a.next(),
        (_, Some(_)) => b.next(),
        (Some(_), None) => a.next(),
        (None, None) => None,
    })
}

/// The lines of a text, with their byte offsets and without their line breaks (as
/// `split_inclusive('\n')` and trimming CR and LF at the end would give them).
pub(crate) fn lines_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        // A text ending in '\n' has no empty line after it.
        let rest = text.get(start..).filter(|r| !r.is_empty())?;
        // A '\n' is a char of its own, so the line's end is a char boundary.
        let len = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |nl| nl + 1);
        let (at, line) = (start, &rest[..len]);
        start += len;
        // Only the line's end can be a '\n': strip it, then any CRs before it.
        Some((
            at,
            line.strip_suffix('\n')
                .unwrap_or(line)
                .trim_end_matches('\r'),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The merge of two ascending streams is their sorted union.
        #[test]
        fn merged_streams_are_the_sorted_union(
            mut a in proptest::collection::vec(0u32..100, 0..20),
            mut b in proptest::collection::vec(0u32..100, 0..20),
        ) {
            a.sort_unstable();
            b.sort_unstable();
            let mut all: Vec<u32> = a.iter().chain(&b).copied().collect();
            all.sort_unstable();
            let got: Vec<u32> = merged(a.into_iter(), b.into_iter()).collect();
            proptest::prop_assert_eq!(got, all);
        }
    }
}
