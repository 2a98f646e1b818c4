//! The in-place reader: JSON text of any embedding level, read straight from
//! the buffer through its escapes.
//!
//! Everything here works on `(level, position)` pairs. [`Reader::read`] is the
//! one primitive: it decodes one character of level-`k` text that starts at a
//! byte position, and says where the next one starts. Its fast path is a byte
//! that stands as itself; a run of backslashes is settled by the arithmetic in
//! [`escape`](crate::escape); anything else goes the general way, reading the
//! character one level down and unescaping it (recursion as deep as the level,
//! never as deep as the input wants).
//!
//! On top of it: strings (scanned with `memchr` between escapes), numbers,
//! literals, and [`Reader::skip`], a non-recursive grammar check that finds
//! where a value ends.

use std::borrow::Cow;

use crate::bytes::{
    ascii_str, backslashes, checked_end0, find_stop, has_control, level_quote, plain_prefix,
    skip_ws, unescaped_quote,
};
use crate::error::{Error, ErrorKind, Expected};
use crate::escape::{
    backslash_run, decode_run, hex_digit, quote_run, quote_word, simple_escape, Run,
};
use crate::options::Options;

/// One character of level-`k` text, or what stands instead of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ch {
    /// A Unicode scalar value of level-`k` text.
    Char(u32),
    /// An unescaped `"` at level `j < k`: the string holding level `j + 1`
    /// text closed, so level-`k` text has ended.
    Close(u8),
    /// The end of the buffer.
    Eof,
}

pub(crate) const QUOTE: Ch = Ch::Char(b'"' as u32);
const BACKSLASH: u32 = b'\\' as u32;

/// Where a string ended, as found by [`Reader::string`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct StrEnd {
    /// The position of the closing quote's first byte: the content is
    /// `start..end` when `plain`.
    pub end: usize,
    /// The position just after the closing quote.
    pub next: usize,
    /// No byte of the content needed unescaping at any level, so the content
    /// stands as itself in the buffer.
    pub plain: bool,
}

/// What [`Reader::string`] does with the characters it reads.
pub(crate) trait Sink<'a> {
    /// Whether the sink wants characters (and so escapes must be decoded).
    const WANTS: bool;
    /// Whether the sink looks at spans at all (else they are only checked).
    const SPANS: bool = true;
    /// Whether backslash runs may be settled whole; `false` only for the
    /// tests' oracle, which has the general reader take every escape.
    const SETTLE: bool = true;
    /// A run of characters that stand as themselves.
    fn span(&mut self, s: &'a str);
    /// One character that came from an escape.
    fn ch(&mut self, c: char);
}

/// Discards everything.
pub(crate) struct NoSink;

impl<'a> Sink<'a> for NoSink {
    const WANTS: bool = false;
    const SPANS: bool = false;
    #[inline]
    fn span(&mut self, _: &'a str) {}
    #[inline]
    fn ch(&mut self, _: char) {}
}

/// A string's content as it is read: borrowed while it is one run of
/// characters that stand as themselves, copied from the first character an
/// escape gives.
struct Unescaped<'a>(Cow<'a, str>);

impl<'a> Unescaped<'a> {
    /// The copy, made at the first escape, with room to grow: twice the run
    /// before it, and at least 64 bytes (a URL's worth of escapes and runs
    /// without reallocating twice).
    #[cold]
    fn owned(&mut self) -> &mut String {
        if let Cow::Borrowed(first) = self.0 {
            let mut text = String::with_capacity((first.len() * 2).max(64));
            text.push_str(first);
            self.0 = Cow::Owned(text);
        }
        self.0.to_mut()
    }
}

impl<'a> Sink<'a> for Unescaped<'a> {
    const WANTS: bool = true;
    #[inline]
    fn span(&mut self, s: &'a str) {
        match &mut self.0 {
            Cow::Borrowed(first) if first.is_empty() => *first = s,
            Cow::Owned(text) => text.push_str(s),
            Cow::Borrowed(_) => self.owned().push_str(s),
        }
    }
    #[inline]
    fn ch(&mut self, c: char) {
        match &mut self.0 {
            Cow::Owned(text) => text.push(c),
            Cow::Borrowed(_) => self.owned().push(c),
        }
    }
}

/// Compares a string with a key, without copying either.
pub(crate) struct KeyEq<'k> {
    pub rest: &'k [u8],
    pub equal: bool,
}

impl<'a> Sink<'a> for KeyEq<'_> {
    const WANTS: bool = true;
    #[inline]
    fn span(&mut self, s: &'a str) {
        self.eat(s.as_bytes());
    }
    #[inline]
    fn ch(&mut self, c: char) {
        self.eat(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
}

impl KeyEq<'_> {
    #[inline]
    fn eat(&mut self, s: &[u8]) {
        if self.equal && self.rest.starts_with(s) {
            self.rest = &self.rest[s.len()..];
        } else {
            self.equal = false;
        }
    }
}

/// The buffer and the limits: everything a read needs besides the position.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    pub buf: &'a [u8],
    pub opts: Options,
}

/// Whether `s` is exactly a JSON number:
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_number(s: &[u8]) -> bool {
    let digits = |s: &[u8], i: usize| i + s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = usize::from(s.first() == Some(&b'-'));
    match s.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits(s, i),
        _ => return false,
    }
    if s.get(i) == Some(&b'.') {
        let j = digits(s, i + 1);
        if j == i + 1 {
            return false;
        }
        i = j;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let j = digits(s, i);
        if j == i {
            return false;
        }
        i = j;
    }
    i == s.len()
}

#[inline]
fn is_ws(c: u32) -> bool {
    matches!(c, 0x20 | 0x09 | 0x0A | 0x0D)
}

impl<'a> Reader<'a> {
    #[inline]
    pub fn new(buf: &'a [u8], opts: Options) -> Reader<'a> {
        Reader { buf, opts }
    }

    #[inline]
    pub fn err(&self, kind: ErrorKind, offset: usize, level: u8) -> Error {
        Error::new(kind, offset, level)
    }

    #[cold]
    pub fn eof(&self, level: u8) -> Error {
        Error::new(ErrorKind::Eof, self.buf.len(), level)
    }

    /// The error for finding `c` at `pos` where `what` was expected.
    #[cold]
    pub fn unexpected(&self, c: Ch, pos: usize, level: u8, what: Expected) -> Error {
        match c {
            Ch::Eof => self.eof(level),
            Ch::Close(_) => self.err(ErrorKind::EmbeddedEnd, pos, level),
            Ch::Char(_) => self.err(ErrorKind::Expected(what), pos, level),
        }
    }

    /// Reads one character of level-`k` text starting at `pos`; returns it
    /// and the position of the next one.
    #[inline(always)]
    pub fn read(&self, k: u8, pos: usize) -> Result<(Ch, usize), Error> {
        let Some(&b) = self.buf.get(pos) else {
            return Ok((Ch::Eof, pos));
        };
        if (0x20..0x80).contains(&b) && b != b'"' && b != b'\\' {
            return Ok((Ch::Char(u32::from(b)), pos + 1));
        }
        if k == 0 && b < 0x80 {
            return Ok((Ch::Char(u32::from(b)), pos + 1));
        }
        if b == b'\\' {
            if let Some(next) = self.quote_at(k, pos) {
                return Ok((QUOTE, next));
            }
        }
        self.read_special(k, pos, b)
    }

    /// If a level-`k` quote (2^k - 1 backslashes and `"`, the commonest run
    /// of embedded text) starts at `pos`, the position after it.
    #[inline(always)]
    pub fn quote_at(&self, k: u8, pos: usize) -> Option<usize> {
        // Levels 1 to 3 (the response's) as one word compared whole.
        let word = |k: u8| {
            let n = backslash_run(k);
            let run = self.buf.get(pos..pos + n)?;
            let mut b = [0u8; 8];
            b[..n].copy_from_slice(run);
            (u64::from_le_bytes(b) == quote_word(k)).then_some(pos + n)
        };
        match k {
            0 => (self.buf.get(pos) == Some(&b'"')).then_some(pos + 1),
            1 => word(1),
            2 => word(2),
            3 => word(3),
            _ => {
                let q = quote_run(k);
                let run = self.buf.get(pos..pos + q + 1)?;
                let (last, slashes) = run.split_last()?;
                (*last == b'"' && slashes.iter().all(|&b| b == b'\\')).then_some(pos + q + 1)
            }
        }
    }

    /// The key whose content starts at `start`, if it stands as itself:
    /// printable ASCII up to a level-`k` closing quote. `None` for anything
    /// else (escapes, UTF-8, errors), which the general reader settles.
    #[inline(always)]
    pub fn plain_key(&self, k: u8, start: usize) -> Option<StrEnd> {
        self.plain_str(k, start).map(|(_, end)| end)
    }

    /// The string whose content starts at `start`, if it stands as itself:
    /// printable ASCII up to a level-`k` closing quote, found and checked in
    /// one pass. `None` for anything else, which
    /// [`string`](Reader::string) settles.
    #[inline(always)]
    pub fn plain_str(&self, k: u8, start: usize) -> Option<(&'a str, StrEnd)> {
        let s = plain_prefix(self.buf.get(start..)?);
        let end = start + s.len();
        let next = self.quote_at(k, end)?;
        Some((
            s,
            StrEnd {
                end,
                next,
                plain: true,
            },
        ))
    }

    /// The content of the level-`k` string that starts at `start`, checked
    /// and unescaped in one pass: borrowed while it stands as itself, copied
    /// from its first escape on.
    pub fn unescape(&self, k: u8, start: usize) -> Result<(Cow<'a, str>, StrEnd), Error> {
        let mut text = Unescaped(Cow::Borrowed(""));
        let end = self.string(k, start, true, &mut text)?;
        Ok((text.0, end))
    }

    /// The end of the string value at `pos` (past its closing quote), found
    /// lazily as [`string`](Reader::string) finds it but without its set-up:
    /// a string that stands as itself in one scan, any other by the
    /// backslash arithmetic. `None` when that cannot tell (see
    /// [`level_quote`]) or there is something to report: the general reader
    /// reads it then.
    #[inline(always)]
    pub fn skip_str(&self, k: u8, pos: usize) -> Option<usize> {
        let start = self.quote_at(k, pos)?;
        if let Some(end) = self.plain_key(k, start) {
            return Some(end.next);
        }
        self.lazy_end(k, start).map(|end| end.next)
    }

    /// Where the level-`k` string whose content goes on from `from` (a
    /// character boundary) ends, for a lazy read: at level 0 by the parity
    /// of each backslash run, 64 bytes at a time; above it by the run
    /// arithmetic, `None` where that cannot tell ([`level_quote`]). `None`
    /// at level 0 only when no quote closes it.
    #[inline(always)]
    fn lazy_end(&self, k: u8, from: usize) -> Option<StrEnd> {
        let (end, next) = if k == 0 {
            unescaped_quote(self.buf, from).map(|end| (end, end + 1))?
        } else {
            level_quote(self.buf, k, from)?
        };
        Some(StrEnd {
            end,
            next,
            plain: false,
        })
    }

    /// Where the level-`k` string whose content goes on from `from` ends,
    /// read lazily: past its closing quote. By [`lazy_end`](Reader::lazy_end)
    /// where the backslash runs tell, else as [`string`](Reader::string)
    /// reads it, which also says what is wrong. For leaving a string from
    /// inside it, where no string starts and none of its first stops is
    /// worth a look.
    #[inline(always)]
    pub fn string_end(&self, k: u8, from: usize) -> Result<usize, Error> {
        match self.lazy_end(k, from) {
            Some(end) => Ok(end.next),
            None => Ok(self.string(k, from, false, &mut NoSink)?.next),
        }
    }

    /// [`read`](Reader::read) for a byte that does not stand as a plain ASCII
    /// character: UTF-8, a quote, a control byte or a run of backslashes.
    fn read_special(&self, k: u8, pos: usize, b: u8) -> Result<(Ch, usize), Error> {
        if b >= 0x80 {
            return self.utf8(k, pos);
        }
        if b == b'"' {
            return Ok((Ch::Close(0), pos + 1));
        }
        if b < 0x20 {
            return Err(self.err(ErrorKind::ControlCharacter, pos, 0));
        }
        // A run of backslashes. One of 2^k or more begins with a level-k
        // backslash; a shorter one is settled by the arithmetic.
        let cap = 1usize << k;
        let n = self.buf[pos..]
            .iter()
            .take(cap)
            .take_while(|&&b| b == b'\\')
            .count();
        if n >= cap {
            return Ok((Ch::Char(BACKSLASH), pos + cap));
        }
        match decode_run(self.buf, pos, n, k) {
            Run::Char(c, next) => Ok((Ch::Char(c), next)),
            Run::Close(j, next) => Ok((Ch::Close(j), next)),
            Run::General => self.read_general(k, pos),
        }
    }

    /// The general way: read one level-`(k-1)` character and unescape it.
    #[cold]
    #[inline(never)]
    fn read_general(&self, k: u8, pos: usize) -> Result<(Ch, usize), Error> {
        let (c, p) = self.read(k - 1, pos)?;
        match c {
            Ch::Char(0x22) => Ok((Ch::Close(k - 1), p)),
            Ch::Char(BACKSLASH) => self.read_escape(k - 1, p),
            Ch::Char(c) if c < 0x20 => Err(self.err(ErrorKind::ControlCharacter, pos, k - 1)),
            other => Ok((other, p)),
        }
    }

    /// Decodes the escape whose `\` (a level-`l` character) ends just before
    /// `pos`. Returns the character it stands for, or [`Ch::Eof`].
    pub fn read_escape(&self, l: u8, pos: usize) -> Result<(Ch, usize), Error> {
        let (e, p) = self.read(l, pos)?;
        let e = match e {
            Ch::Char(e) => e,
            Ch::Eof => return Ok((Ch::Eof, p)),
            Ch::Close(_) => return Err(self.err(ErrorKind::InvalidEscape, pos, l)),
        };
        if let Some(c) = simple_escape(e) {
            return Ok((Ch::Char(c), p));
        }
        if e != u32::from(b'u') {
            return Err(self.err(ErrorKind::InvalidEscape, pos, l));
        }
        let Some((cu, p)) = self.hex4(l, p)? else {
            return Ok((Ch::Eof, self.buf.len()));
        };
        match cu {
            0xD800..=0xDBFF => {
                let bad = self.err(ErrorKind::InvalidUnicodeEscape, pos, l);
                let (c1, p1) = self.read(l, p)?;
                let (c2, p2) = match c1 {
                    Ch::Char(BACKSLASH) => self.read(l, p1)?,
                    Ch::Eof => return Ok((Ch::Eof, p1)),
                    _ => return Err(bad),
                };
                match c2 {
                    Ch::Char(0x75) => {}
                    Ch::Eof => return Ok((Ch::Eof, p2)),
                    _ => return Err(bad),
                }
                let Some((lo, p3)) = self.hex4(l, p2)? else {
                    return Ok((Ch::Eof, self.buf.len()));
                };
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(bad);
                }
                let c = 0x10000 + ((cu - 0xD800) << 10) + (lo - 0xDC00);
                Ok((Ch::Char(c), p3))
            }
            0xDC00..=0xDFFF => Err(self.err(ErrorKind::InvalidUnicodeEscape, pos, l)),
            _ => Ok((Ch::Char(cu), p)),
        }
    }

    /// Four hex digits of level-`l` text; `None` at the end of the buffer.
    fn hex4(&self, l: u8, mut p: usize) -> Result<Option<(u32, usize)>, Error> {
        let mut v = 0;
        for _ in 0..4 {
            let (c, next) = self.read(l, p)?;
            match c {
                Ch::Char(c) => match hex_digit(c) {
                    Some(d) => v = v * 16 + d,
                    None => return Err(self.err(ErrorKind::InvalidEscape, p, l)),
                },
                Ch::Eof => return Ok(None),
                Ch::Close(_) => return Err(self.err(ErrorKind::InvalidEscape, p, l)),
            }
            p = next;
        }
        Ok(Some((v, p)))
    }

    /// One UTF-8 encoded scalar value at `pos`, which stands as itself at
    /// every level.
    #[cold]
    fn utf8(&self, k: u8, pos: usize) -> Result<(Ch, usize), Error> {
        let rest = &self.buf[pos..];
        let width = match rest[0] {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return Err(self.err(ErrorKind::InvalidUtf8, pos, k)),
        };
        let take = width.min(rest.len());
        match core::str::from_utf8(&rest[..take]) {
            Ok(s) => {
                let c = s.chars().next().map_or(0, u32::from);
                if take < width {
                    Ok((Ch::Eof, self.buf.len()))
                } else {
                    Ok((Ch::Char(c), pos + width))
                }
            }
            // Cut short by the end of the buffer, and fine so far.
            Err(e) if e.error_len().is_none() => Ok((Ch::Eof, self.buf.len())),
            Err(_) => Err(self.err(ErrorKind::InvalidUtf8, pos, k)),
        }
    }

    /// Skips whitespace of level-`k` text from `pos`. Returns the next
    /// character, where it starts, and where the one after it starts. The end
    /// of the buffer is an error here: every caller needs something more.
    #[inline(always)]
    pub fn peek(&self, k: u8, pos: usize) -> Result<(Ch, usize, usize), Error> {
        // Most tokens follow the one before directly: a printable byte that
        // stands as itself at every level.
        if let Some(&b) = self.buf.get(pos) {
            if b > b' ' && b < 0x7F && b != b'\\' && (b != b'"' || k == 0) {
                return Ok((Ch::Char(u32::from(b)), pos, pos + 1));
            }
            if b == b'\\' {
                if let Some(next) = self.quote_at(k, pos) {
                    return Ok((QUOTE, pos, next));
                }
            }
        }
        self.peek_slow(k, pos)
    }

    /// [`peek`](Reader::peek) with the level's whitespace skipped by bytes
    /// first: for reading a whole value, pretty-printed or not, where
    /// [`peek`](Reader::peek) alone is kept for single tokens, which follow
    /// the one before directly.
    #[inline(always)]
    fn peek_ws(&self, k: u8, pos: usize) -> Result<(Ch, usize, usize), Error> {
        self.peek(k, skip_ws(self.buf, k, pos))
    }

    #[inline(never)]
    fn peek_slow(&self, k: u8, mut pos: usize) -> Result<(Ch, usize, usize), Error> {
        loop {
            pos = skip_ws(self.buf, k, pos);
            let (c, next) = self.read(k, pos)?;
            match c {
                Ch::Char(c) if is_ws(c) => pos = next,
                Ch::Eof => return Err(self.eof(k)),
                _ => return Ok((c, pos, next)),
            }
        }
    }

    /// Checks that only whitespace follows `pos` to the end of the level-`k`
    /// text: the end of the buffer at level 0, the close of the enclosing
    /// string above it. Returns the position after that close.
    pub fn end_of_text(&self, k: u8, pos: usize) -> Result<usize, Error> {
        if k == 0 {
            let rest = &self.buf[pos..];
            return match rest.iter().position(|b| !b" \t\n\r".contains(b)) {
                None => Ok(self.buf.len()),
                Some(i) => Err(self.err(ErrorKind::Expected(Expected::End), pos + i, 0)),
            };
        }
        let (c, at, next) = self.peek(k, pos)?;
        match c {
            Ch::Close(j) if j == k - 1 => Ok(next),
            Ch::Close(_) => Err(self.err(ErrorKind::EmbeddedEnd, at, k)),
            _ => Err(self.err(ErrorKind::Expected(Expected::End), at, k)),
        }
    }

    /// From `pos` in level-`inner` text that strings embed in level-`outer`
    /// text, [`end_of_text`](Reader::end_of_text) at each level on the way
    /// out: the position past the outermost of those strings (`pos` itself
    /// when the levels are the same). For a [`Resolved`](crate::Resolved)
    /// member, which reads the text inside its strings.
    #[cfg(feature = "serde")]
    pub fn end_of_levels(&self, outer: u8, inner: u8, mut pos: usize) -> Result<usize, Error> {
        for level in (outer + 1..=inner).rev() {
            pos = self.end_of_text(level, pos)?;
        }
        Ok(pos)
    }

    /// Checks that `start..end` holds characters that may stand in a string as
    /// themselves: UTF-8 and no control bytes.
    #[inline]
    pub fn check_span(&self, k: u8, start: usize, end: usize) -> Result<&'a str, Error> {
        let span = &self.buf[start..end];
        if let Some(s) = ascii_str(span) {
            return Ok(s);
        }
        let s = match core::str::from_utf8(span) {
            Ok(s) => s,
            Err(e) => {
                return Err(self.err(ErrorKind::InvalidUtf8, start + e.valid_up_to(), k));
            }
        };
        if has_control(span) {
            let i = span.iter().position(|&b| b < 0x20).unwrap_or(0);
            return Err(self.err(ErrorKind::ControlCharacter, start + i, k));
        }
        Ok(s)
    }

    /// Settles the run of backslashes at `h` whole where it can, giving
    /// `sink` its characters, and returns where reading goes on; `None`
    /// leaves it to the general reader, one escape at a time.
    ///
    /// A run of n backslashes is n >> k level-`k` backslashes and a rest.
    /// When what follows them is one level-`k` character X (a level-`k`
    /// quote, or a byte that stands as itself), pairs are escaped
    /// backslashes, and an odd one out escapes X, which must then be a
    /// one-letter escape. A solidus after any rest is `/` at level `k`,
    /// escaped or not at each level below (`/`, `\/`, `\\/` or `\\\/` at
    /// level 2; PHP writes every solidus so). Anything else (`\u`, a lower
    /// level's escape or quote, an error, the end) is the general reader's,
    /// after the pairs that are sure.
    #[inline(always)]
    fn settle_run<S: Sink<'a>>(&self, k: u8, h: usize, sink: &mut S) -> Option<usize> {
        let n = backslashes(self.buf, h);
        let q = 1usize << k;
        let (m, r) = (n >> k, n & (q - 1));
        let c = self.buf.get(h + n).copied();
        let x_quote = c == Some(b'"') && r == q - 1;
        let x_plain = r == 0 && c.is_some() && c != Some(b'"');
        let escaped = |c: u8| simple_escape(u32::from(c)).and_then(char::from_u32);
        let (pairs, x, next) = match c {
            Some(b'/') => (m / 2, Some('/'), h + n + 1),
            // Escaped backslashes, then X for the next round.
            Some(_) if (x_quote || x_plain) && m & 1 == 0 && m > 0 => (m / 2, None, h + m * q),
            Some(c) if (x_quote || x_plain) && m & 1 == 1 && escaped(c).is_some() => {
                (m / 2, escaped(c), h + n + 1)
            }
            _ => {
                let sure = m - (m & 1);
                if sure == 0 {
                    return None;
                }
                (sure / 2, None, h + sure * q)
            }
        };
        if S::WANTS {
            for _ in 0..pairs {
                sink.ch('\\');
            }
            if let Some(x) = x {
                sink.ch(x);
            }
        }
        Some(next)
    }

    /// The run of bytes from `p` that stand as themselves (printable ASCII),
    /// if it ends at a quote or backslash: a span of string content that
    /// needs no other check.
    #[inline(always)]
    fn checked_run(&self, p: usize) -> Option<&'a str> {
        let run = plain_prefix(self.buf.get(p..)?);
        matches!(self.buf.get(p + run.len()), Some(b'"' | b'\\')).then_some(run)
    }

    /// Reads the rest of a level-`k` string whose content starts at `start`
    /// (just after the opening quote) and finds its end.
    ///
    /// Lazily (`strict == false`, no sink) it checks only what it needs to
    /// find the end. Strictly, or with a sink that wants characters, it checks
    /// everything (UTF-8, control characters, every escape at every level)
    /// and feeds the sink.
    #[inline(always)]
    pub fn string<S: Sink<'a>>(
        &self,
        k: u8,
        start: usize,
        strict: bool,
        sink: &mut S,
    ) -> Result<StrEnd, Error> {
        // Strictly, the commonest string first, without the general loop's
        // set-up: printable ASCII up to its own closing quote, found and
        // checked in one pass. (Lazily the byte step has its own.)
        if strict || S::WANTS {
            if let Some((run, end)) = self.plain_str(k, start) {
                if S::SPANS {
                    sink.span(run);
                }
                return Ok(end);
            }
        }
        self.string_general(k, start, strict, sink)
    }

    /// [`string`](Reader::string) for all that is not a plain string read
    /// strictly.
    fn string_general<S: Sink<'a>>(
        &self,
        k: u8,
        start: usize,
        strict: bool,
        sink: &mut S,
    ) -> Result<StrEnd, Error> {
        let strict = strict || S::WANTS;
        let mut p = start;
        let mut plain = true;
        let mut blocks = k == 0 && strict && !S::WANTS && !S::SPANS;
        let mut lazily = !strict;
        loop {
            // Strictly, a run of plain ASCII up to the stop is found and
            // checked in one pass.
            let run = if strict { self.checked_run(p) } else { None };
            let h = match run {
                Some(run) => {
                    if S::SPANS {
                        sink.span(run);
                    }
                    p + run.len()
                }
                None => {
                    let Some(i) = find_stop(&self.buf[p..]) else {
                        return Err(self.eof(k));
                    };
                    let h = p + i;
                    if strict {
                        let span = self.check_span(k, p, h)?;
                        if S::SPANS {
                            sink.span(span);
                        }
                    }
                    h
                }
            };
            // The common stop: the string's own closing quote.
            if let Some(next) = self.quote_at(k, h) {
                return Ok(StrEnd {
                    end: h,
                    next,
                    plain,
                });
            }
            if blocks {
                // Level 0, checked but not read: from the first escape, the
                // rest is checked a block at a time while it holds nothing
                // but ASCII and one-letter escapes (once: whatever else it
                // holds is for the loop below).
                blocks = false;
                let (end, slashed) = checked_end0(self.buf, h);
                plain &= !slashed;
                match end {
                    Ok(end) => {
                        return Ok(StrEnd {
                            end,
                            next: end + 1,
                            plain,
                        })
                    }
                    Err(at) if at > h => {
                        p = at;
                        continue;
                    }
                    Err(_) => {}
                }
            }
            if lazily {
                // Lazily the end is found by the backslash runs alone:
                // their parity at level 0, 64 bytes at a time; above it the
                // run arithmetic, unless a lower level's `\u005c` could be
                // a backslash (once: the loop below settles whatever it
                // could not).
                lazily = false;
                match self.lazy_end(k, h) {
                    Some(end) => return Ok(end),
                    None if k == 0 => return Err(self.eof(k)),
                    None => {}
                }
            }
            if S::SETTLE {
                if let Some(next) = self.settle_run(k, h, sink) {
                    plain = false;
                    p = next;
                    continue;
                }
            }
            let (c, next) = self.read(k, h)?;
            match c {
                QUOTE => {
                    return Ok(StrEnd {
                        end: h,
                        next,
                        plain,
                    })
                }
                Ch::Char(BACKSLASH) => {
                    plain = false;
                    let (e, after) = if strict {
                        self.read_escape(k, next)?
                    } else {
                        self.read(k, next)?
                    };
                    match e {
                        Ch::Char(e) => {
                            if S::WANTS {
                                sink.ch(char::from_u32(e).unwrap_or('\u{FFFD}'));
                            }
                        }
                        Ch::Eof => return Err(self.eof(k)),
                        Ch::Close(_) => {
                            return Err(self.err(ErrorKind::InvalidEscape, next, k));
                        }
                    }
                    p = after;
                }
                Ch::Char(c) => {
                    // A character that came from an escape at a lower level.
                    plain = false;
                    if strict && c < 0x20 {
                        return Err(self.err(ErrorKind::ControlCharacter, h, k));
                    }
                    if S::WANTS {
                        sink.ch(char::from_u32(c).unwrap_or('\u{FFFD}'));
                    }
                    p = next;
                }
                Ch::Close(_) => return Err(self.err(ErrorKind::EmbeddedEnd, h, k)),
                Ch::Eof => return Err(self.eof(k)),
            }
        }
    }

    /// Reads a number starting at `pos` and returns the position after it.
    /// Strictly, it also rejects numbers too large for an `f64`, as
    /// serde_json does.
    #[inline]
    pub fn number(&self, k: u8, pos: usize, strict: bool) -> Result<usize, Error> {
        // The commonest number of all: a small non-negative integer, followed
        // by a byte that cannot go on a number.
        let digits = self.buf[pos..]
            .iter()
            .take(16)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if (digits == 1 || (digits > 1 && digits < 16 && self.buf[pos] != b'0'))
            && !matches!(
                self.buf.get(pos + digits),
                Some(b'.' | b'e' | b'E' | b'-' | b'+' | b'\\' | b'0'..=b'9') | None
            )
        {
            return Ok(pos + digits);
        }
        // Numbers stand as themselves but for an encoder that escapes every
        // character: take the run of number bytes, and if it is followed by
        // anything but a backslash and is a whole JSON number, that is it.
        let run = self.buf[pos..]
            .iter()
            .take_while(|&&b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
            .count();
        let end = pos + run;
        if self.buf.get(end) != Some(&b'\\') && is_number(&self.buf[pos..end]) {
            let big = run > 300 || self.buf[pos..end].iter().any(|&b| b | 0x20 == b'e');
            if strict && big {
                return self.number_general(k, pos, strict);
            }
            return Ok(end);
        }
        self.number_general(k, pos, strict)
    }

    /// [`number`](Reader::number) one level-`k` character at a time, with
    /// the exact error.
    #[cold]
    fn number_general(&self, k: u8, pos: usize, strict: bool) -> Result<usize, Error> {
        let bad = |at| self.err(ErrorKind::InvalidNumber, at, k);
        let (mut c, mut next) = self.read(k, pos)?;
        let mut p = pos;
        let mut chars = 0usize;
        let mut big = false;
        macro_rules! bump {
            () => {{
                p = next;
                chars += 1;
                let r = self.read(k, p)?;
                c = r.0;
                next = r.1;
            }};
        }
        let digit = |c: Ch| matches!(c, Ch::Char(0x30..=0x39));
        if c == Ch::Char(u32::from(b'-')) {
            bump!();
        }
        if c == Ch::Char(u32::from(b'0')) {
            bump!();
        } else if digit(c) {
            while digit(c) {
                bump!();
            }
        } else {
            return Err(self.number_end(c, p, k));
        }
        if c == Ch::Char(u32::from(b'.')) {
            bump!();
            if !digit(c) {
                return Err(self.number_end(c, p, k));
            }
            while digit(c) {
                bump!();
            }
        }
        if matches!(c, Ch::Char(0x45 | 0x65)) {
            big = true;
            bump!();
            if matches!(c, Ch::Char(0x2B | 0x2D)) {
                bump!();
            }
            if !digit(c) {
                return Err(self.number_end(c, p, k));
            }
            while digit(c) {
                bump!();
            }
        }
        if strict && (big || chars > 300) {
            let value: f64 = if p - pos == chars {
                core::str::from_utf8(&self.buf[pos..p])
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| bad(pos))?
            } else {
                self.number_text(k, pos, p)?.parse().map_err(|_| bad(pos))?
            };
            if value.is_infinite() {
                return Err(self.err(ErrorKind::NumberOutOfRange, pos, k));
            }
        }
        Ok(p)
    }

    #[cold]
    fn number_end(&self, c: Ch, p: usize, k: u8) -> Error {
        match c {
            Ch::Eof => self.eof(k),
            _ => self.err(ErrorKind::InvalidNumber, p, k),
        }
    }

    /// The text of a number between `start` and `end` whose characters came
    /// through escapes (rare: only an every-character-escaping encoder does
    /// that).
    #[cold]
    pub fn number_text(&self, k: u8, start: usize, end: usize) -> Result<String, Error> {
        let mut s = String::new();
        let mut p = start;
        while p < end {
            let (c, next) = self.read(k, p)?;
            if let Ch::Char(c) = c {
                s.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            p = next;
        }
        Ok(s)
    }

    /// Checks the rest of a literal (`rest` is `b"rue"` after a `t`, ...).
    pub fn literal(&self, k: u8, mut pos: usize, rest: &[u8]) -> Result<usize, Error> {
        for &want in rest {
            let (c, next) = self.read(k, pos)?;
            if c != Ch::Char(u32::from(want)) {
                return Err(match c {
                    Ch::Eof => self.eof(k),
                    _ => self.err(ErrorKind::Expected(Expected::Literal), pos, k),
                });
            }
            pos = next;
        }
        Ok(pos)
    }

    /// Reads an object key starting with `c` at `at` (next character at
    /// `next`), then the `:`; returns where the key's content starts, where it
    /// ended, and where the value starts.
    #[inline(always)]
    pub fn member(
        &self,
        k: u8,
        (c, at, next): (Ch, usize, usize),
        strict: bool,
    ) -> Result<(usize, StrEnd, usize), Error> {
        if c != QUOTE {
            return Err(self.unexpected(c, at, k, Expected::Key));
        }
        let key = self.string(k, next, strict, &mut NoSink)?;
        let (c, at, after) = self.peek_ws(k, key.next)?;
        if c != Ch::Char(u32::from(b':')) {
            return Err(self.unexpected(c, at, k, Expected::Colon));
        }
        let (_, value, _) = self.peek_ws(k, after)?;
        Ok((next, key, value))
    }

    /// Skips the value that starts at `pos` (not whitespace) in level-`k`
    /// text, where `depth` containers already enclose it, and returns the
    /// position just after it.
    ///
    /// Not recursive: the kinds of the open containers are kept as bits.
    /// Grammar and nesting are always checked; strings and numbers in full
    /// only when `strict`.
    pub fn skip(&self, k: u8, pos: usize, depth: u32, strict: bool) -> Result<usize, Error> {
        // Scalars first: no stack to set up for them.
        let (c, next) = self.token(k, pos)?;
        match c {
            QUOTE => return Ok(self.string(k, next, strict, &mut NoSink)?.next),
            Ch::Char(0x2D | 0x30..=0x39) => return self.number(k, pos, strict),
            _ => {}
        }
        self.skip_nested(k, pos, depth, strict)
    }

    /// [`read`](Reader::read) at the start of a value, where a level-`k`
    /// quote, the commonest run there, is taken without decoding the run.
    #[inline(always)]
    fn token(&self, k: u8, pos: usize) -> Result<(Ch, usize), Error> {
        match self.quote_at(k, pos) {
            Some(next) => Ok((QUOTE, next)),
            None => self.read(k, pos),
        }
    }

    /// [`skip`](Reader::skip) for anything but a string or number.
    fn skip_nested(&self, k: u8, pos: usize, depth: u32, strict: bool) -> Result<usize, Error> {
        let mut stack = BitStack::default();
        let mut depth = depth;
        let mut p = pos;
        'value: loop {
            let (c, next) = self.token(k, p)?;
            let Ch::Char(b) = c else {
                return Err(self.unexpected(c, p, k, Expected::Value));
            };
            match b {
                0x7B | 0x5B => {
                    let object = b == 0x7B;
                    if depth >= self.opts.depth_limit() {
                        return Err(self.err(ErrorKind::DepthLimit, p, k));
                    }
                    let peeked = self.peek_ws(k, next)?;
                    if peeked.0 == Ch::Char(if object { 0x7D } else { 0x5D }) {
                        p = peeked.2;
                    } else {
                        depth += 1;
                        stack.push(object);
                        p = if object {
                            self.member(k, peeked, strict)?.2
                        } else {
                            peeked.1
                        };
                        continue 'value;
                    }
                }
                0x22 => p = self.string(k, next, strict, &mut NoSink)?.next,
                0x2D | 0x30..=0x39 => p = self.number(k, p, strict)?,
                0x74 => p = self.literal(k, next, b"rue")?,
                0x66 => p = self.literal(k, next, b"alse")?,
                0x6E => p = self.literal(k, next, b"ull")?,
                _ => return Err(self.err(ErrorKind::Expected(Expected::Value), p, k)),
            }
            // After a value: close containers until one goes on.
            loop {
                let Some(object) = stack.top() else {
                    return Ok(p);
                };
                let (c, at, next) = self.peek_ws(k, p)?;
                match c {
                    Ch::Char(0x2C) => {
                        let peeked = self.peek_ws(k, next)?;
                        p = if object {
                            self.member(k, peeked, strict)?.2
                        } else {
                            peeked.1
                        };
                        continue 'value;
                    }
                    Ch::Char(0x7D) if object => {}
                    Ch::Char(0x5D) if !object => {}
                    _ => {
                        let what = if object {
                            Expected::CommaOrBrace
                        } else {
                            Expected::CommaOrBracket
                        };
                        return Err(self.unexpected(c, at, k, what));
                    }
                }
                stack.pop();
                depth -= 1;
                p = next;
            }
        }
    }
}

/// The kinds of the open containers, one bit each (1 for an object), for
/// [`Reader::skip`]. Its size bounds [`Options::max_depth`].
#[derive(Default)]
struct BitStack {
    bits: [u64; BitStack::WORDS],
    len: usize,
}

impl BitStack {
    const WORDS: usize = 16;
    /// The deepest nesting it holds.
    pub const CAPACITY: usize = Self::WORDS * 64;

    #[inline]
    fn push(&mut self, object: bool) {
        let (w, b) = (self.len / 64, self.len % 64);
        if object {
            self.bits[w] |= 1 << b;
        } else {
            self.bits[w] &= !(1 << b);
        }
        self.len += 1;
    }

    #[inline]
    fn top(&self) -> Option<bool> {
        let i = self.len.checked_sub(1)?;
        Some(self.bits[i / 64] & (1 << (i % 64)) != 0)
    }

    #[inline]
    fn pop(&mut self) {
        self.len -= 1;
    }
}

/// The largest nesting depth [`Reader::skip`] can follow.
pub(crate) const MAX_DEPTH: u32 = BitStack::CAPACITY as u32;

#[cfg(test)]
mod tests {
    use super::*;

    /// The general reader alone: every escape read one at a time.
    struct OneByOne(String);

    impl<'a> Sink<'a> for OneByOne {
        const WANTS: bool = true;
        const SETTLE: bool = false;
        fn span(&mut self, s: &'a str) {
            self.0.push_str(s);
        }
        fn ch(&mut self, c: char) {
            self.0.push(c);
        }
    }

    /// Every string of up to six characters over an alphabet of backslashes,
    /// quotes, escape letters and plain bytes, closed by a level-`k` quote,
    /// at levels 0 to 2. Backslash runs settled whole agree with the general
    /// reader taking one escape at a time: the same end strictly, errors
    /// included, the same characters when decoded, and lazily the same end
    /// wherever the strict read succeeds.
    #[test]
    fn runs_settled_whole_agree_with_the_general_reader() {
        let mut agreed = 0;
        for (alphabet, len) in [(&b"\\\"nu0 /"[..], 6), (&b"\\\"bfnrtu/a"[..], 4)] {
            let mut texts: Vec<Vec<u8>> = vec![vec![]];
            let mut from = 0;
            for _ in 0..len {
                let to = texts.len();
                for i in from..to {
                    for &c in alphabet {
                        let mut t = texts[i].clone();
                        t.push(c);
                        texts.push(t);
                    }
                }
                from = to;
            }
            for t in &texts {
                for k in 0..=2u8 {
                    check_settled(t, k);
                    agreed += 1;
                }
            }
        }
        assert!(agreed > 350_000);
    }

    /// `t` closed by a level-`k` quote, read every way, against the general
    /// reader taking one escape at a time.
    fn check_settled(t: &[u8], k: u8) {
        let mut buf = t.to_vec();
        buf.extend(std::iter::repeat(b'\\').take(quote_run(k)));
        buf.extend_from_slice(b"\"x");
        let rd = Reader::new(&buf, Options::new());
        let what = format!("{:?} at level {k}", String::from_utf8_lossy(t));
        let mut one_by_one = OneByOne(String::new());
        let general = rd.string(k, 0, true, &mut one_by_one).map(|e| e.next);
        let strict = rd.string(k, 0, true, &mut NoSink).map(|e| e.next);
        assert_eq!(strict, general, "{what}");
        let decoded = rd.unescape(k, 0);
        assert_eq!(
            decoded.as_ref().map(|(_, e)| e.next),
            general.as_ref().copied(),
            "{what}"
        );
        if let (Ok(end), Ok((text, _))) = (general, decoded) {
            assert_eq!(text, one_by_one.0, "{what}");
            let lazy = rd.string(k, 0, false, &mut NoSink).map(|e| e.next);
            assert_eq!(lazy, Ok(end), "{what}");
        }
    }

    /// `text` written as the content of a JSON string: `"` and `\` escaped
    /// with a backslash (`how` 0), every character as `\u` (1), or `"` and
    /// `\` alone as `\u` (2).
    fn encode(text: &str, how: u32) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match (how, c) {
                (1, c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                (2, '"') => out.push_str("\\u0022"),
                (2, '\\') => out.push_str("\\u005c"),
                (_, '"' | '\\') => {
                    out.push('\\');
                    out.push(c);
                }
                (_, c) => out.push(c),
            }
        }
        out
    }

    /// Level-`k` strings (`k` 1 to 3) written down through every mix of
    /// encoders, one per level, and followed by a plainly written `,"z"`:
    /// skipped lazily, by the run arithmetic where it can tell and the
    /// general reader where it cannot (a lower level's `\u` escape writing
    /// a quote or backslash), they end where the strict read says.
    #[test]
    fn lazy_skips_above_level_0_end_where_strict_reads_do() {
        let contents = [
            "a",
            "",
            r#"a\"b"#,
            r"\\",
            r#"{\"u\":[1,\"\\\"\"]}"#,
            r#"x\\\"y"#,
            r"\u0041\/",
        ];
        let mut checked = 0;
        for k in 1..=3u8 {
            for content in contents {
                for mix in 0..3u32.pow(k.into()) {
                    let (mut string, mut open, mut tail) = (
                        format!("\"{content}\""),
                        "\"".to_string(),
                        ",\"z\"".to_string(),
                    );
                    for level in 0..u32::from(k) {
                        let how = mix / 3u32.pow(level) % 3;
                        string = encode(&string, how);
                        open = encode(&open, how);
                        tail = encode(&tail, 0);
                    }
                    let buf = format!("{string}{tail}");
                    let rd = Reader::new(buf.as_bytes(), Options::new());
                    let what = format!("{buf} at level {k}");
                    let strict = rd.string(k, open.len(), true, &mut NoSink).map(|e| e.next);
                    assert_eq!(strict, Ok(string.len()), "{what}");
                    let lazy = rd.string(k, open.len(), false, &mut NoSink).map(|e| e.next);
                    assert_eq!(lazy, strict, "{what}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 7 * (3 + 9 + 27));
        // A quote of a lower level in there ends the text the string is in:
        // lazily too, an error where it stands, not a later quote taken for
        // the end.
        for k in 1..=3u8 {
            for j in 0..k {
                let plain =
                    |text: &str, times: u8| (0..times).fold(text.to_string(), |t, _| encode(&t, 0));
                let (open, cut) = (plain("\"ab", k), plain("\"", j));
                let buf = format!("{open}{cut}{}", plain("\",\"z\"", k));
                let rd = Reader::new(buf.as_bytes(), Options::new());
                let start = plain("\"", k).len();
                let strict = rd.string(k, start, true, &mut NoSink).map(|e| e.next);
                let lazy = rd.string(k, start, false, &mut NoSink).map(|e| e.next);
                let what = format!("{buf} at level {k}");
                assert_eq!(strict, lazy, "{what}");
                assert_eq!(
                    lazy.map_err(|e| (e.kind(), e.offset())),
                    Err((ErrorKind::EmbeddedEnd, open.len())),
                    "{what}"
                );
            }
        }
    }

    /// Every string of up to five number characters, followed by each kind
    /// of terminator: the byte-run fast path agrees with the general one,
    /// errors included.
    #[test]
    fn number_fast_path_agrees_with_the_general_one() {
        const ALPHABET: &[u8] = b"0129-+.eE";
        let mut texts: Vec<Vec<u8>> = vec![vec![]];
        for len in 1..=5 {
            let mut next = Vec::new();
            for t in texts.iter().filter(|t| t.len() == len - 1) {
                for &c in ALPHABET {
                    let mut u = t.clone();
                    u.push(c);
                    next.push(u);
                }
            }
            texts.extend(next);
        }
        let mut checked = 0;
        for t in &texts {
            for tail in [&b","[..], b"", b"x", b"\\", b"\\\"", b" "] {
                let mut buf = t.clone();
                buf.extend_from_slice(tail);
                for k in 0..=2 {
                    for strict in [false, true] {
                        let rd = Reader::new(&buf, Options::new());
                        assert_eq!(
                            rd.number(k, 0, strict),
                            rd.number_general(k, 0, strict),
                            "{:?} at level {k}",
                            String::from_utf8_lossy(&buf)
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 300_000);
    }
}
