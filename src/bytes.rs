//! Byte-level scans: the fast paths under the in-place reader.
//!
//! Most of what the reader looks at stands as itself at every level: key and
//! URL characters, whitespace, brackets. These functions look at such runs
//! of bytes eight at a time (SWAR on `u64` words) or hand over to `memchr`,
//! and say nothing about escapes, which are the reader's business.
//!
//! The crate's one `unsafe` block is here, in [`ascii_str`], for a measured
//! win (BENCHMARKS.md): a span already checked byte by byte to be printable
//! ASCII is valid UTF-8, so it is turned into `&str` without checking it a
//! second time.

use memchr::memchr2;

/// The first `"` or `\\` in `hay`. Keys and the gaps between backslash runs
/// of embedded text are short, shorter than `memchr2`'s set-up costs: look
/// at the first words eight bytes at a time, then hand over.
#[inline]
pub(crate) fn find_stop(hay: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const SLASHES: u64 = ONES * b'\\' as u64;
    let mut at = 0;
    for w in hay.chunks_exact(8).take(4) {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let x = u64::from_le_bytes(b);
        let (q, s) = (x ^ QUOTES, x ^ SLASHES);
        // A zero byte of q or s sets its top bit here; the lowest one set is
        // exact (only bits above a true zero byte can be false alarms).
        let found = (q.wrapping_sub(ONES) & !q | s.wrapping_sub(ONES) & !s) & HI;
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    memchr2(b'"', b'\\', &hay[at..]).map(|i| i + at)
}

const LO: u64 = 0x2020_2020_2020_2020;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether `word` sets a top bit for any eight-byte word of `span` (read
/// little endian), or `byte` holds for any byte of the tail that does not
/// fill a word. The words' results are gathered without a branch each: the
/// spans are short and nearly always pass.
#[inline(always)]
fn any_word(span: &[u8], word: impl Fn(u64) -> u64, byte: impl Fn(u8) -> bool) -> bool {
    let mut words = span.chunks_exact(8);
    let mut acc = 0;
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        acc |= word(u64::from_le_bytes(b));
    }
    acc & HI != 0 || words.remainder().iter().any(|&b| byte(b))
}

/// Whether every byte of `span` is printable ASCII or DEL (0x20 to 0x7F):
/// such a span is valid string content at every level. A byte below 0x20
/// borrows when 0x20 is taken from it; one above 0x7F has its top bit set.
#[inline]
pub(crate) fn plain_ascii(span: &[u8]) -> bool {
    !any_word(
        span,
        |x| x.wrapping_sub(LO) | x,
        |b| !(0x20..0x80).contains(&b),
    )
}

/// Whether `span` has a byte below 0x20: one that borrows when 0x20 is
/// taken from it and had its top bit clear.
#[inline]
pub(crate) fn has_control(span: &[u8]) -> bool {
    any_word(span, |x| x.wrapping_sub(LO) & !x, |b| b < 0x20)
}

/// Skips whitespace that stands as itself in level-`k` text: a space, and at
/// level 0 also tab, newline and carriage return (above level 0 those are
/// escapes, for the general reader).
#[inline(always)]
pub(crate) fn plain_ws(buf: &[u8], k: u8, mut p: usize) -> usize {
    while let Some(&b) = buf.get(p) {
        if b == b' ' || (k == 0 && matches!(b, b'\r' | b'\t')) {
            p += 1;
        } else if b == b'\n' && k == 0 {
            p += 1;
            // Indentation follows a newline: eight spaces at a time.
            while buf.get(p..p + 8) == Some(b"        ") {
                p += 8;
            }
        } else {
            break;
        }
    }
    p
}

/// `span` as a `&str` if every byte is printable ASCII or DEL (0x20 to
/// 0x7F): content that stands as itself in a string at every level.
#[inline]
pub(crate) fn ascii_str(span: &[u8]) -> Option<&str> {
    if !plain_ascii(span) {
        return None;
    }
    debug_assert!(span.is_ascii());
    // SAFETY: `plain_ascii` checked that every byte of `span` is below 0x80,
    // and a sequence of ASCII bytes is valid UTF-8.
    #[allow(unsafe_code)]
    Some(unsafe { core::str::from_utf8_unchecked(span) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spans of every length up to 40 with two odd bytes at every pair of
    /// places (under miri, where it is slow: up to 20, one odd byte): the
    /// word scans agree with the byte-at-a-time definitions, and `ascii_str`
    /// hands out exactly what `from_utf8` would, or nothing.
    #[test]
    fn scans_agree_with_bytewise_definitions() {
        let odd = [0x00, 0x1F, 0x20, b'"', b'\\', 0x7E, 0x7F, 0x80, 0xC3, 0xFF];
        let (max, pairs) = if cfg!(miri) { (20, false) } else { (40, true) };
        let mut checked = 0;
        for len in 0..max {
            for at in 0..len.max(1) {
                let last = if pairs { len.max(1) } else { at + 1 };
                for later in at..last {
                    for &b in &odd {
                        for &c in if pairs { &odd[..] } else { &[b'a'][..] } {
                            let mut span = vec![b'a'; len];
                            if len > 0 {
                                span[later] = c;
                                span[at] = b;
                            }
                            check_scans(&span);
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > if pairs { 1_000_000 } else { 1_900 });
    }

    fn check_scans(span: &[u8]) {
        let ascii = span.iter().all(|b| (0x20..0x80).contains(b));
        assert_eq!(plain_ascii(span), ascii, "{span:?}");
        assert_eq!(has_control(span), span.iter().any(|&b| b < 0x20));
        let stop = span.iter().position(|&b| b == b'"' || b == b'\\');
        assert_eq!(find_stop(span), stop);
        let want = ascii.then(|| core::str::from_utf8(span).unwrap());
        assert_eq!(ascii_str(span), want);
    }

    #[test]
    fn whitespace_that_stands_as_itself() {
        let text = b"  \n            \t\r x";
        assert_eq!(plain_ws(text, 0, 0), text.len() - 1);
        // Above level 0, only spaces stand as themselves.
        assert_eq!(plain_ws(text, 1, 0), 2);
        assert_eq!(plain_ws(b"   ", 2, 0), 3);
    }
}
