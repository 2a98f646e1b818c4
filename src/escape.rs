//! The escape arithmetic of embedding levels.
//!
//! Level 0 is the buffer. The content of a JSON string at level `k`, once
//! unescaped, is level `k + 1` text. Written out in the buffer:
//!
//! * a character that needs no escape stands as itself at every level;
//! * a `"` of level-`k` text is preceded by 2<sup>k</sup> − 1 backslashes
//!   ([`quote_run`]);
//! * a `\` of level-`k` text is 2<sup>k</sup> backslashes ([`backslash_run`]).
//!
//! So a run of `n` backslashes followed by a byte decodes one level at a time
//! by halving: with an odd count the last backslash escapes the byte at that
//! level, with an even count the byte stands as itself there. For a `"` this
//! means the quote is structural at level `n.trailing_ones()`.
//!
//! `decode_run` carries that out for one run, including `\u` escapes whose
//! hex digits stand as themselves; the rare forms it cannot settle (an escape
//! that yields a `\` of the next level, surrogates, damaged input) it leaves
//! to the reader's general path.
//!
//! [`embed`] goes the other way: it writes text as a JSON string, one level
//! deeper, the way a minimal encoder does.

/// The number of backslashes before a `"` of level-`k` text, as it stands in
/// the buffer: 2<sup>k</sup> − 1.
///
/// ```
/// assert_eq!(handfoot::escape::quote_run(0), 0);
/// assert_eq!(handfoot::escape::quote_run(3), 7);
/// ```
#[inline]
pub const fn quote_run(level: u8) -> usize {
    backslash_run(level) - 1
}

/// The number of backslashes that stand for one `\` of level-`k` text:
/// 2<sup>k</sup>.
///
/// ```
/// assert_eq!(handfoot::escape::backslash_run(2), 4);
/// ```
#[inline]
pub const fn backslash_run(level: u8) -> usize {
    1usize << level
}

/// A `"` of level-`k` text, its [`quote_run`] and the quote, as the
/// little-endian word of its 2<sup>k</sup> bytes, for levels 1 to 3, the
/// response's, whose quotes fit in a `u64`: compared whole where those
/// levels are read.
#[inline]
pub(crate) const fn quote_word(level: u8) -> u64 {
    let n = backslash_run(level);
    0x5C5C_5C5C_5C5C_5C5C >> (8 * (9 - n)) | 0x22 << (8 * (n - 1))
}

/// The character a one-letter escape (`\n`, `\"`, ...) stands for; `None` for
/// `u` and for letters JSON does not allow.
#[inline]
pub(crate) fn simple_escape(letter: u32) -> Option<u32> {
    Some(match letter {
        0x22 => 0x22,
        0x5C => 0x5C,
        0x2F => 0x2F,
        0x62 => 0x08,
        0x66 => 0x0C,
        0x6E => 0x0A,
        0x72 => 0x0D,
        0x74 => 0x09,
        _ => return None,
    })
}

/// The value of one hex digit, either case.
#[inline]
pub(crate) fn hex_digit(c: u32) -> Option<u32> {
    match c {
        0x30..=0x39 => Some(c - 0x30),
        0x41..=0x46 => Some(c - 0x41 + 10),
        0x61..=0x66 => Some(c - 0x61 + 10),
        _ => None,
    }
}

/// What one run of backslashes and the character after it mean at level `k`,
/// as settled by [`decode_run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Run {
    /// One level-`k` character, spanning the whole run up to `next`.
    Char(u32, usize),
    /// An unescaped `"` at level `j < k`: the string holding level `j + 1`
    /// text closes here, so the level-`k` text has ended.
    Close(u8, usize),
    /// Not settled by the arithmetic alone; read it the general way.
    General,
}

/// Decodes the run of `n` backslashes at `buf[pos..]` and the character after
/// it, as one character of level `k`. Requires `0 < n < 2^k` (a longer run
/// starts with a level-`k` backslash, which needs no arithmetic).
///
/// Works one level at a time by halving, as the module docs describe. Returns
/// [`Run::General`] whenever the answer depends on more than the run: a tail
/// that is not printable ASCII, a `\u` whose digits do not stand as
/// themselves, a surrogate, an escape that yields a `\`, or anything invalid
/// (the general path then reports the exact error).
#[inline]
pub(crate) fn decode_run(buf: &[u8], pos: usize, n: usize, k: u8) -> Run {
    let mut p = pos + n;
    let t = match buf.get(p) {
        Some(&t) if (0x20..0x80).contains(&t) => t,
        _ => return Run::General,
    };
    p += 1;
    let mut x = u32::from(t);
    let mut m = n;
    let mut j = 0u8;
    loop {
        if x == u32::from(b'"') && m % 2 == 0 {
            // An unescaped quote at level j: the end of a level-j string.
            return if j < k {
                Run::Close(j, p)
            } else {
                Run::Char(x, p)
            };
        }
        if m == 0 {
            // `x` stands as itself from level j up to level k.
            return Run::Char(x, p);
        }
        // m > 0 and m < 2^(k-j), so j < k: `x` is inside a level-j string.
        if m % 2 == 0 {
            m /= 2;
        } else {
            x = match x {
                0x75 => {
                    let Some(cu) = raw_hex4(buf, p) else {
                        return Run::General;
                    };
                    p += 4;
                    if (0xD800..0xE000).contains(&cu) || cu == 0x5C {
                        return Run::General;
                    }
                    cu
                }
                0x5C => return Run::General,
                _ => match simple_escape(x) {
                    Some(c) if c != 0x5C => c,
                    _ => return Run::General,
                },
            };
            m /= 2;
        }
        j += 1;
        if x < 0x20 && j < k {
            // A control character inside a level-j string: invalid, and the
            // general path says so precisely.
            return Run::General;
        }
    }
}

/// Four hex digits standing as themselves at `buf[pos..pos + 4]`.
#[inline]
fn raw_hex4(buf: &[u8], pos: usize) -> Option<u32> {
    let d = buf.get(pos..pos + 4)?;
    let mut v = 0;
    for &b in d {
        v = v * 16 + hex_digit(u32::from(b))?;
    }
    Some(v)
}

/// Appends `text` to `out` as a JSON string (with its quotes): `"` and `\`
/// escaped, control characters as `\n`, `\t`, ... or `\u00XX`, everything else
/// as itself. This is what a minimal encoder does, and how level `k + 1` text
/// becomes a string at level `k`.
///
/// ```
/// let mut s = String::new();
/// handfoot::escape::write_str(&mut s, r#"{"a":"b"}"#);
/// assert_eq!(s, r#""{\"a\":\"b\"}""#);
/// ```
pub fn write_str(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let mut plain = 0;
    for (i, b) in text.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0..=0x1F => "",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        if esc.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        } else {
            out.push_str(esc);
        }
        plain = i + 1;
    }
    out.push_str(&text[plain..]);
    out.push('"');
}

/// `text` written as a JSON string one level deeper: the inverse of
/// [`Value::embedded`](crate::Value::embedded).
///
/// ```
/// let inner = r#"{"url":"https://x/y.png"}"#;
/// let outer = handfoot::escape::embed(inner);
/// let v = handfoot::Value::from_slice(outer.as_bytes())?.embedded()?;
/// assert_eq!(v.get("url")?.unwrap().as_str()?, "https://x/y.png");
/// # Ok::<(), handfoot::Error>(())
/// ```
pub fn embed(text: &str) -> String {
    let mut s = String::new();
    write_str(&mut s, text);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_words_are_the_quote_runs() {
        for level in 1..=3 {
            let n = backslash_run(level);
            let mut want = vec![b'\\'; quote_run(level)];
            want.push(b'"');
            assert_eq!(&quote_word(level).to_le_bytes()[..n], &want[..]);
            assert!(quote_word(level).to_le_bytes()[n..].iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn runs_grow_as_powers_of_two() {
        for k in 0..8u8 {
            assert_eq!(backslash_run(k), 1 << k);
            assert_eq!(quote_run(k), (1 << k) - 1);
        }
    }

    /// A quote embedded k times has 2^k - 1 backslashes before it, by
    /// construction with the encoder.
    #[test]
    fn embedding_a_quote_matches_the_arithmetic() {
        let mut text = String::from("\"");
        for k in 1..=6u8 {
            let s = embed(&text);
            text = s[1..s.len() - 1].to_string();
            assert_eq!(text.len(), quote_run(k) + 1, "level {k}");
            assert!(text.ends_with('"'));
            assert_eq!(text.bytes().filter(|&b| b == b'\\').count(), quote_run(k));
        }
    }

    #[test]
    fn decode_run_finds_quote_levels() {
        // n backslashes then '"', read at level 3.
        let cases: &[(usize, Run)] = &[
            (1, Run::Close(1, 3)),
            (3, Run::Close(2, 5)),
            (7, Run::Char(0x22, 9)),
            (5, Run::Close(1, 7)),
        ];
        for &(n, want) in cases {
            let mut buf = vec![b'x'];
            buf.extend(std::iter::repeat(b'\\').take(n));
            buf.push(b'"');
            assert_eq!(decode_run(&buf, 1, n, 3), want, "n = {n}");
        }
    }

    #[test]
    fn decode_run_reads_u_escapes_and_simple_ones() {
        // Level 1: `\/` is '/', `\u0041` is 'A', `\u0022` is a level-1 quote.
        assert_eq!(decode_run(br"\/", 0, 1, 1), Run::Char(u32::from(b'/'), 2));
        assert_eq!(decode_run(br"\u0041", 0, 1, 1), Run::Char(0x41, 6));
        assert_eq!(decode_run(br"\u0022", 0, 1, 1), Run::Char(0x22, 6));
        // Level 2: `\\u0022` is `\u0022` at level 1, a level-2 quote.
        assert_eq!(decode_run(br"\\u0022", 0, 2, 2), Run::Char(0x22, 7));
        // `\u005c` yields a backslash: general path.
        assert_eq!(decode_run(br"\u005c", 0, 1, 1), Run::General);
        // A newline inside a level-1 string, read at level 2: invalid.
        assert_eq!(decode_run(br"\n", 0, 1, 2), Run::General);
        // Level 1 `\n` read at level 1 is a newline character.
        assert_eq!(decode_run(br"\n", 0, 1, 1), Run::Char(0x0A, 2));
    }

    #[test]
    fn write_str_escapes_what_json_requires() {
        let mut s = String::new();
        write_str(&mut s, "a\"b\\c\nd\u{1}é/");
        assert_eq!(s, "\"a\\\"b\\\\c\\nd\\u0001é/\"");
    }
}
