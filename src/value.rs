//! The lazy `Value`: a handle on one JSON value at any embedding level.
//!
//! A [`Value<'a>`] is a position in the input buffer (`'a` is the buffer's
//! lifetime) and the level its text is at. Creating one reads nothing past its
//! first character; every method reads only what it must.

use std::borrow::Cow;
use std::fmt;
use std::iter::FusedIterator;

use crate::bytes::{ascii_str, same, skip_ws};
use crate::error::{Error, ErrorKind, Expected};
use crate::options::Options;
use crate::reader::{Ch, KeyEq, Reader, StrEnd, QUOTE};

/// The kind of a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `{...}`
    Object,
    /// `[...]`
    Array,
    /// `"..."`
    String,
    /// `-1.5e3`
    Number,
    /// `true` or `false`
    Bool,
    /// `null`
    Null,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Null => "null",
        })
    }
}

/// A lazy handle on one JSON value at some embedding level of the buffer
/// `'a`.
///
/// Level 0 is the buffer itself; [`embedded`](Value::embedded) moves from a
/// string at level `k` to the JSON text it holds, at level `k + 1`, without
/// unescaping anything: the text is read in place, through its escapes.
///
/// ```
/// use handfoot::{Kind, Value};
///
/// let body = br#"{"inner": "{\"urls\": [\"https://a/1.png\"]}"}"#;
/// let root = Value::from_slice(body)?;
/// let inner = root.get("inner")?.unwrap().embedded()?;
/// assert_eq!(inner.level(), 1);
/// assert_eq!(inner.kind()?, Kind::Object);
/// let url = inner.get("urls")?.unwrap().elements().next().unwrap()?.as_str()?;
/// assert_eq!(url, "https://a/1.png");
/// assert!(matches!(url, std::borrow::Cow::Borrowed(_)));
/// # Ok::<(), handfoot::Error>(())
/// ```
#[derive(Clone, Copy)]
#[repr(C)]
pub struct Value<'a> {
    rd: Reader<'a>,
    place: Place,
    pos: usize,
}

/// The small fields of a [`Value`] or a [`Cursor`] in one word: the level
/// (bits 0 to 7); a flag (bit 8): for a value, whether it is the whole text
/// of its level, so that nothing but whitespace may follow it, for a
/// cursor, whether it walks an object; a cursor's [`State`] (bits 9 and 10);
/// and how many arrays and objects enclose the value, or the cursor's
/// members, within the level (bits 16 to 31).
///
/// One word rather than `u8`, `bool` and `u16` fields, because values and
/// cursors are built field by field and then copied whole (returned, passed
/// by value): with narrow fields the copies' wide loads read what narrow
/// stores had just written, which the CPU does not forward from its store
/// buffer, and the walk took about 30% longer on the sample for the same
/// instructions (measured; `BENCHMARKS.md`). The same holds for a whole
/// value copied just after its words were written one by one, which is why
/// the walk moves one value in place ([`Value::step_in`],
/// [`Cursor::find_into`]) rather than passing values.
///
/// Both types are `repr(C)` with this word at offset 24, where
/// `Result<_, Error>` puts the error's narrow fields (its payload starts
/// after the buffer pointer, the niche): the word is written whole either
/// way, where the position would be cut into pieces.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Place(u64);

impl Place {
    #[inline(always)]
    fn new(level: u8, flag: bool, state: State, depth: u16) -> Place {
        Place(
            u64::from(level) | u64::from(flag) << 8 | (state as u64) << 9 | u64::from(depth) << 16,
        )
    }

    #[inline(always)]
    fn level(self) -> u8 {
        self.0 as u8
    }

    #[inline(always)]
    fn flag(self) -> bool {
        self.0 & 1 << 8 != 0
    }

    #[inline(always)]
    fn depth(self) -> u16 {
        (self.0 >> 16) as u16
    }

    #[inline(always)]
    fn state(self) -> State {
        match (self.0 >> 9) & 3 {
            0 => State::First,
            1 => State::InValue,
            2 => State::After,
            _ => State::Done,
        }
    }

    #[inline(always)]
    fn with_state(self, state: State) -> Place {
        Place(self.0 & !(3 << 9) | (state as u64) << 9)
    }
}

impl fmt::Debug for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Place")
            .field("level", &self.level())
            .field("flag", &self.flag())
            .field("state", &self.state())
            .field("depth", &self.depth())
            .finish()
    }
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raw = &self.rd.buf[self.pos..];
        let shown = &raw[..raw.len().min(40)];
        f.debug_struct("Value")
            .field("level", &self.level())
            .field("offset", &self.pos)
            .field("starts", &String::from_utf8_lossy(shown))
            .finish()
    }
}

impl<'a> Value<'a> {
    /// A handle on the JSON text in `input` (level 0), under the default
    /// [`Options`]. Reads only up to the value's first character.
    pub fn from_slice(input: &'a [u8]) -> Result<Value<'a>, Error> {
        Value::from_slice_with(input, Options::new())
    }

    /// [`from_slice`](Value::from_slice) under the given limits.
    pub fn from_slice_with(input: &'a [u8], opts: Options) -> Result<Value<'a>, Error> {
        let rd = Reader::new(input, opts);
        let (_, at, _) = rd.peek(0, 0)?;
        Ok(Value::at(rd, at, 0, 0, true))
    }

    #[inline]
    pub(crate) fn at(rd: Reader<'a>, pos: usize, level: u8, depth: u16, root: bool) -> Value<'a> {
        Value {
            rd,
            pos,
            place: Place::new(level, root, State::First, depth),
        }
    }

    #[inline]
    pub(crate) fn reader(&self) -> Reader<'a> {
        self.rd
    }

    /// The embedding level of this value's text: 0 for the buffer itself.
    #[inline]
    pub fn level(&self) -> u8 {
        self.place.level()
    }

    /// How many arrays and objects enclose this value within its level.
    #[inline]
    fn depth(&self) -> u16 {
        self.place.depth()
    }

    /// The byte offset in the buffer where this value starts.
    #[inline]
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// The limits this value is read under.
    #[inline]
    pub fn options(&self) -> Options {
        self.rd.opts
    }

    #[inline]
    fn err(&self, kind: ErrorKind) -> Error {
        Error::new(kind, self.pos, self.level())
    }

    /// The first character and where the next one starts.
    #[inline]
    fn first(&self) -> Result<(Ch, usize), Error> {
        self.rd.read(self.level(), self.pos)
    }

    /// What kind of value this is, from its first character.
    #[inline(always)]
    pub fn kind(&self) -> Result<Kind, Error> {
        // The first byte tells, unless it is an escape of some level.
        let kind = match self.rd.buf.get(self.pos) {
            Some(b'{') => Some(Kind::Object),
            Some(b'[') => Some(Kind::Array),
            Some(b'-' | b'0'..=b'9') => Some(Kind::Number),
            Some(b't' | b'f') => Some(Kind::Bool),
            Some(b'n') => Some(Kind::Null),
            Some(b'"' | b'\\') if self.rd.quote_at(self.level(), self.pos).is_some() => {
                Some(Kind::String)
            }
            _ => None,
        };
        match kind {
            Some(kind) => Ok(kind),
            None => self.kind_general(),
        }
    }

    #[cold]
    fn kind_general(&self) -> Result<Kind, Error> {
        let (c, _) = self.first()?;
        Ok(match c {
            Ch::Char(0x7B) => Kind::Object,
            Ch::Char(0x5B) => Kind::Array,
            Ch::Char(0x22) => Kind::String,
            Ch::Char(0x2D | 0x30..=0x39) => Kind::Number,
            Ch::Char(0x74 | 0x66) => Kind::Bool,
            Ch::Char(0x6E) => Kind::Null,
            c => {
                return Err(self
                    .rd
                    .unexpected(c, self.pos, self.level(), Expected::Value))
            }
        })
    }

    /// Checks that this is a `want`; returns where its second character
    /// starts.
    #[inline(always)]
    fn expect(&self, want: Kind) -> Result<usize, Error> {
        let fast = match want {
            Kind::Object => (self.rd.buf.get(self.pos) == Some(&b'{')).then_some(self.pos + 1),
            Kind::Array => (self.rd.buf.get(self.pos) == Some(&b'[')).then_some(self.pos + 1),
            Kind::String => self.rd.quote_at(self.level(), self.pos),
            // Digits and letters stand as themselves at every level.
            Kind::Number => matches!(self.rd.buf.get(self.pos), Some(b'-' | b'0'..=b'9'))
                .then_some(self.pos + 1),
            Kind::Bool => {
                matches!(self.rd.buf.get(self.pos), Some(b't' | b'f')).then_some(self.pos + 1)
            }
            Kind::Null => (self.rd.buf.get(self.pos) == Some(&b'n')).then_some(self.pos + 1),
        };
        match fast {
            Some(next) => Ok(next),
            None => self.expect_general(want),
        }
    }

    #[cold]
    fn expect_general(&self, want: Kind) -> Result<usize, Error> {
        let (c, next) = self.first()?;
        let ok = match want {
            Kind::Object => c == Ch::Char(0x7B),
            Kind::Array => c == Ch::Char(0x5B),
            Kind::String => c == QUOTE,
            _ => self.kind()? == want,
        };
        if ok {
            Ok(next)
        } else {
            Err(self.wrong_type(want))
        }
    }

    #[cold]
    fn wrong_type(&self, expected: Kind) -> Error {
        match self.kind() {
            Ok(found) => self.err(ErrorKind::WrongType { expected, found }),
            Err(e) => e,
        }
    }

    /// The first member named `key` (compared after unescaping), or `None`.
    /// Stops reading at that member: the first occurrence wins and what
    /// follows it is not looked at.
    pub fn get(&self, key: &str) -> Result<Option<Value<'a>>, Error> {
        Cursor::open(self, true)?.find(key)
    }

    /// The members of this object, in document order, keys unescaped.
    pub fn members(&self) -> Members<'a> {
        Members {
            cur: Cursor::open(self, true),
        }
    }

    /// The elements of this array, in document order.
    pub fn elements(&self) -> Elements<'a> {
        Elements {
            cur: Cursor::open(self, false),
        }
    }

    /// The content of this string, unescaped at its level, with every
    /// character checked.
    ///
    /// Fast path: when no byte of the content needs unescaping at any level,
    /// the result is `Cow::Borrowed`, a slice of the input buffer. Only a
    /// string with escapes in it is copied.
    pub fn as_str(&self) -> Result<Cow<'a, str>, Error> {
        self.str_and_end().map(|(s, _)| s)
    }

    /// [`as_str`](Value::as_str), and where the string ends.
    pub(crate) fn str_and_end(&self) -> Result<(Cow<'a, str>, usize), Error> {
        let start = self.expect(Kind::String)?;
        if let Some((s, end)) = self.rd.plain_str(self.level(), start) {
            return Ok((Cow::Borrowed(s), end.next));
        }
        let (text, end) = self.rd.unescape(self.level(), start)?;
        Ok((text, end.next))
    }

    /// If this is the empty string, where it ends.
    #[inline(always)]
    pub(crate) fn empty_str_end(&self) -> Result<Option<usize>, Error> {
        // A string whose first character stands as itself is not empty.
        if let Some(start) = self.rd.quote_at(self.level(), self.pos) {
            if let Some(&b) = self.rd.buf.get(start) {
                if (0x20..0x7F).contains(&b) && b != b'"' && b != b'\\' {
                    return Ok(None);
                }
            }
        }
        self.empty_str_end_general()
    }

    /// [`empty_str_end`](Value::empty_str_end) by the general reader.
    fn empty_str_end_general(&self) -> Result<Option<usize>, Error> {
        let (c, next) = self.first()?;
        if c != QUOTE {
            return Ok(None);
        }
        let (c, after) = self.rd.read(self.level(), next)?;
        Ok((c == QUOTE).then_some(after))
    }

    /// The JSON text held by this string, one level in: the value it holds,
    /// positioned at its first character. Nothing is unescaped or copied;
    /// the text is read in place through its escapes.
    ///
    /// Errors with [`ErrorKind::LevelLimit`] past
    /// [`Options::max_level`], and when the string holds no value.
    #[inline(always)]
    pub fn embedded(&self) -> Result<Value<'a>, Error> {
        let mut v = *self;
        v.step_in()?;
        Ok(v)
    }

    /// [`embedded`](Value::embedded) in place: this value becomes the one
    /// its string holds. Field by field, for the walk: a value returned
    /// whole is written a field at a time and read back wide by the next
    /// copy, which the CPU does not forward from its store buffer.
    #[inline(always)]
    pub(crate) fn step_in(&mut self) -> Result<(), Error> {
        let start = self.expect(Kind::String)?;
        if self.level() >= self.rd.opts.level_limit() {
            return Err(self.err(ErrorKind::LevelLimit));
        }
        let inner = self.level() + 1;
        let (c, at, _) = self.rd.peek(inner, start)?;
        if let Ch::Close(_) = c {
            return Err(Error::new(ErrorKind::Expected(Expected::Value), at, inner));
        }
        self.pos = at;
        self.place = Place::new(inner, true, State::First, 0);
        Ok(())
    }

    /// Checks this value in full at its level: grammar, nesting, every string
    /// (UTF-8, control characters, escapes at every level below) and number.
    /// For a value that is the whole text of its level (from
    /// [`from_slice`](Value::from_slice) or [`embedded`](Value::embedded)),
    /// also that only whitespace follows it there.
    ///
    /// Strings are checked as strings: the JSON a string may hold is checked
    /// only by calling `validate` on its [`embedded`](Value::embedded) value.
    pub fn validate(&self) -> Result<(), Error> {
        let end = self
            .rd
            .skip(self.level(), self.pos, self.depth().into(), true)?;
        if self.is_root() {
            self.rd.end_of_text(self.level(), end)?;
        }
        Ok(())
    }

    /// Whether this value is the whole text of its level.
    pub(crate) fn is_root(&self) -> bool {
        self.place.flag()
    }

    /// Where this value ends, checking it in full on the way (as
    /// [`validate`](Value::validate), without what may follow it).
    #[cfg(feature = "serde")]
    pub(crate) fn strict_end(&self) -> Result<usize, Error> {
        self.rd
            .skip(self.level(), self.pos, self.depth().into(), true)
    }

    /// The number's text, checked in full, and where it ends.
    #[cfg(feature = "serde")]
    pub(crate) fn number_strict(&self) -> Result<(Cow<'a, str>, usize), Error> {
        self.expect(Kind::Number)?;
        let end = self.rd.number(self.level(), self.pos, true)?;
        Ok((self.number_text(end)?, end))
    }

    /// Where this value ends (the position just after it), found by skipping
    /// it lazily.
    pub(crate) fn end(&self) -> Result<usize, Error> {
        self.rd
            .skip(self.level(), self.pos, self.depth().into(), false)
    }

    /// The value's bytes as they stand in the buffer, escapes of its level
    /// and below included. For a malformed value, the bytes up to where the
    /// fault was found; [`try_raw`](Value::try_raw) returns the error instead.
    pub fn raw(&self) -> &'a [u8] {
        let end = match self.end() {
            Ok(end) => end,
            Err(e) => e.offset(),
        };
        &self.rd.buf[self.pos..end.max(self.pos)]
    }

    /// [`raw`](Value::raw), or the error that stopped it.
    pub fn try_raw(&self) -> Result<&'a [u8], Error> {
        Ok(&self.rd.buf[self.pos..self.end()?])
    }

    /// `Some(b)` for `true` or `false`, an error for anything else.
    pub fn as_bool(&self) -> Result<bool, Error> {
        let (c, next) = self.first()?;
        match c {
            Ch::Char(0x74) => self.rd.literal(self.level(), next, b"rue").map(|_| true),
            Ch::Char(0x66) => self.rd.literal(self.level(), next, b"alse").map(|_| false),
            _ => Err(self.wrong_type(Kind::Bool)),
        }
    }

    /// Whether this is `null` (checked in full).
    #[inline(always)]
    pub fn is_null(&self) -> Result<bool, Error> {
        // As in `kind`: the first byte tells, unless it is an escape of some
        // level (or something to report).
        match self.rd.buf.get(self.pos) {
            Some(b'n') => {
                return self
                    .rd
                    .literal(self.level(), self.pos + 1, b"ull")
                    .map(|_| true)
            }
            Some(&b) if (0x21..0x7F).contains(&b) && b != b'\\' => return Ok(false),
            _ => {}
        }
        let (c, next) = self.first()?;
        if c != Ch::Char(0x6E) {
            return Ok(false);
        }
        self.rd.literal(self.level(), next, b"ull").map(|_| true)
    }

    /// The text of this number, as written (after unescaping at its level).
    /// Borrowed unless an encoder escaped its digits.
    pub fn number_str(&self) -> Result<Cow<'a, str>, Error> {
        self.expect(Kind::Number)?;
        let end = self.rd.number(self.level(), self.pos, false)?;
        self.number_text(end)
    }

    /// The text of this number, which ends at `end`.
    fn number_text(&self, end: usize) -> Result<Cow<'a, str>, Error> {
        let raw = &self.rd.buf[self.pos..end];
        if !raw.contains(&b'\\') {
            if let Some(text) = ascii_str(raw) {
                return Ok(Cow::Borrowed(text));
            }
        }
        self.rd
            .number_text(self.level(), self.pos, end)
            .map(Cow::Owned)
    }

    /// This number as an `f64`. Errors for numbers an `f64` cannot hold
    /// (`1e400`), as serde_json does.
    pub fn as_f64(&self) -> Result<f64, Error> {
        let v: f64 = self
            .number_str()?
            .parse()
            .map_err(|_| self.err(ErrorKind::InvalidNumber))?;
        if v.is_infinite() {
            return Err(self.err(ErrorKind::NumberOutOfRange));
        }
        Ok(v)
    }

    /// This number as an `i64`; an error when it has a fraction or exponent
    /// or does not fit.
    pub fn as_i64(&self) -> Result<i64, Error> {
        self.number_str()?
            .parse()
            .map_err(|_| self.err(ErrorKind::NumberOutOfRange))
    }

    /// This number as a `u64`; an error when it has a fraction or exponent,
    /// is negative or does not fit.
    pub fn as_u64(&self) -> Result<u64, Error> {
        self.number_str()?
            .parse()
            .map_err(|_| self.err(ErrorKind::NumberOutOfRange))
    }
}

/// For [`Cursor::step_plain`]: the cursor's own level, not one compiled in.
const ANY_LEVEL: u8 = u8::MAX;

/// Calls the cursor method `$f::<K>` with the cursor's level as `K` for the
/// levels of the response (0 to 3), so that its quote and whitespace checks
/// are compiled for the level, and with [`ANY_LEVEL`] above them.
macro_rules! at_level {
    ($cur:ident . $f:ident ( $($arg:expr),* )) => {
        match $cur.level() {
            0 => $cur.$f::<0>($($arg),*),
            1 => $cur.$f::<1>($($arg),*),
            2 => $cur.$f::<2>($($arg),*),
            3 => $cur.$f::<3>($($arg),*),
            _ => $cur.$f::<ANY_LEVEL>($($arg),*),
        }
    };
}

/// A cursor in a value that is being read elsewhere: see
/// [`Cursor::frame`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame(Place);

impl Frame {
    /// A placeholder for an empty slot.
    pub const NONE: Frame = Frame(Place(0));
}

/// One member or element found by a [`Cursor`]: where its key is (for an
/// object member) and where its value starts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    key: Option<(usize, StrEnd)>,
    value: usize,
}

impl Entry {
    /// Where the value starts.
    #[inline(always)]
    pub fn value(&self) -> usize {
        self.value
    }
}

/// What [`Cursor::find_plain`] came to.
enum Plain {
    /// The member, its value at this position.
    Found(usize),
    /// The closing brace, or the cursor was done.
    End,
    /// Something for the general step.
    Unsure,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Just after the opening bracket.
    First,
    /// `pos` is the start of the current member's value, not yet read.
    InValue,
    /// `pos` is just after the current member's value.
    After,
    /// `pos` is just after the closing bracket.
    Done,
}

/// Steps through an object's members or an array's elements, one at a time,
/// skipping each value lazily unless told where it ended
/// ([`resume`](Cursor::resume)).
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub(crate) struct Cursor<'a> {
    rd: Reader<'a>,
    /// The level, whether an object, the state and the depth of the
    /// members' values.
    place: Place,
    pos: usize,
}

impl<'a> Cursor<'a> {
    #[inline(always)]
    fn level(&self) -> u8 {
        self.place.level()
    }

    #[inline(always)]
    fn object(&self) -> bool {
        self.place.flag()
    }

    #[inline(always)]
    fn depth(&self) -> u16 {
        self.place.depth()
    }

    #[inline(always)]
    fn state(&self) -> State {
        self.place.state()
    }

    #[inline(always)]
    fn set_state(&mut self, state: State) {
        self.place = self.place.with_state(state);
    }

    /// Opens the object (or array) `v`.
    #[inline(always)]
    pub fn open(v: &Value<'a>, object: bool) -> Result<Cursor<'a>, Error> {
        let next = v.expect(if object { Kind::Object } else { Kind::Array })?;
        if u32::from(v.depth()) >= v.rd.opts.depth_limit() {
            return Err(v.err(ErrorKind::DepthLimit));
        }
        Ok(Cursor {
            rd: v.rd,
            pos: next,
            place: Place::new(v.level(), object, State::First, v.depth() + 1),
        })
    }

    /// The next member or element; `None` after the closing bracket. After an
    /// error the cursor is done.
    #[inline]
    pub fn next(&mut self) -> Result<Option<Entry>, Error> {
        let r = self.step();
        if r.is_err() {
            self.set_state(State::Done);
        }
        r
    }

    fn step(&mut self) -> Result<Option<Entry>, Error> {
        // As in `find`: the level compiled in.
        at_level!(self.step_at())
    }

    fn step_at<const K: u8>(&mut self) -> Result<Option<Entry>, Error> {
        if let Some(entry) = self.step_plain::<K>()? {
            return Ok(entry);
        }
        self.step_general()
    }

    /// The value of the first member named `key` (compared after
    /// unescaping), reading members from where the cursor, an object's,
    /// stands; `None` after the closing brace. After an error the cursor is
    /// done.
    #[inline]
    pub fn find(&mut self, key: &str) -> Result<Option<Value<'a>>, Error> {
        // The value built here from the position, not by the step: returned
        // whole through memory, a value written a field at a time is read
        // back wide by the next copy, which the CPU does not forward from
        // its store buffer.
        match self.find_pos(key) {
            Ok(Some(pos)) => Ok(Some(self.value_at(pos))),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// [`find`](Cursor::find) into `v`, a value over the same input: on
    /// `true`, `v` is the member's value, moved there field by field (see
    /// [`Value::step_in`]); on `false` it is left as it was.
    #[inline]
    pub fn find_into(&mut self, key: &str, v: &mut Value<'a>) -> Result<bool, Error> {
        match self.find_pos(key) {
            Ok(Some(pos)) => {
                self.point(v, pos);
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Where the value of the member found starts. After an error the
    /// cursor is done.
    #[inline(always)]
    fn find_pos(&mut self, key: &str) -> Result<Option<usize>, Error> {
        let r = self.find_inner(key);
        if r.is_err() {
            self.set_state(State::Done);
        }
        r
    }

    /// Moves `v` (a value over the same input) to the member's or element's
    /// value that starts at `pos`: [`value_at`](Cursor::value_at) in place.
    #[inline(always)]
    pub fn point(&self, v: &mut Value<'a>, pos: usize) {
        debug_assert!(core::ptr::eq(v.rd.buf, self.rd.buf));
        v.pos = pos;
        v.place = self.value_place();
    }

    fn find_inner(&mut self, key: &str) -> Result<Option<usize>, Error> {
        // The levels of the response get a byte step of their own, with
        // their quote compiled in.
        at_level!(self.find_at(key))
    }

    fn find_at<const K: u8>(&mut self, key: &str) -> Result<Option<usize>, Error> {
        match self.find_plain::<K>(key.as_bytes()) {
            Plain::Found(value) => return Ok(Some(value)),
            Plain::End => return Ok(None),
            Plain::Unsure => {}
        }
        loop {
            // The byte step, inlined here so that its entry stays in
            // registers; lengths first, as most keys differ in length.
            let entry = match self.step_plain::<K>()? {
                Some(Some(Entry {
                    key: Some((start, end)),
                    value,
                })) => {
                    let have = &self.rd.buf[start..end.end];
                    if same(have, key.as_bytes()) {
                        return Ok(Some(value));
                    }
                    continue;
                }
                Some(None) => return Ok(None),
                Some(Some(entry)) => entry,
                None => match self.step_general()? {
                    Some(entry) => entry,
                    None => return Ok(None),
                },
            };
            if self.key_is(&entry, key)? {
                return Ok(Some(entry.value));
            }
        }
    }

    /// [`find`](Cursor::find) by bytes while the members stand as
    /// themselves, as [`step_plain`](Cursor::step_plain) reads them, in a
    /// loop that keeps its place in registers: the cursor is written once,
    /// when it stops. `Unsure` leaves the cursor where the general step
    /// goes on from (a value to skip, or past one). It reads what
    /// `step_plain` reads: the value skip is theirs both
    /// ([`plain_value_end`](Cursor::plain_value_end)); the key and the
    /// value's first byte are written again, as sharing them measured 1.3%
    /// more instructions on the typed model, and one step function shared by
    /// both (returning where it stopped) 11% more on the sample.
    #[inline(always)]
    fn find_plain<const K: u8>(&mut self, key: &[u8]) -> Plain {
        let k = if K == ANY_LEVEL { self.level() } else { K };
        // `find` is for objects: every caller opens one.
        debug_assert!(self.object());
        let buf = self.rd.buf;
        let mut p = self.pos;
        let mut state = self.state();
        let found = 'walk: loop {
            if state == State::InValue {
                p = match self.plain_value_end(k, p) {
                    Ok(Some(end)) => end,
                    _ => break 'walk Plain::Unsure,
                };
                state = State::After;
            }
            let mut q = skip_ws(buf, k, p);
            match (buf.get(q), state) {
                (Some(b'}'), State::First | State::After) => {
                    p = q + 1;
                    state = State::Done;
                    break 'walk Plain::End;
                }
                (Some(b','), State::After) => q = skip_ws(buf, k, q + 1),
                (_, State::First) => {}
                (_, State::Done) => break 'walk Plain::End,
                _ => break 'walk Plain::Unsure,
            }
            let Some(start) = self.rd.quote_at(k, q) else {
                break 'walk Plain::Unsure;
            };
            let Some(name) = self.rd.plain_key(k, start) else {
                break 'walk Plain::Unsure;
            };
            let colon = skip_ws(buf, k, name.next);
            if buf.get(colon) != Some(&b':') {
                break 'walk Plain::Unsure;
            }
            let v = skip_ws(buf, k, colon + 1);
            // `value_starts` written out: through it this loop measured 100
            // instructions more on the sample (a different register plan).
            match buf.get(v) {
                Some(b'{' | b'[' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {}
                Some(b'"' | b'\\') if self.rd.quote_at(k, v).is_some() => {}
                _ => break 'walk Plain::Unsure,
            }
            p = v;
            state = State::InValue;
            if same(&buf[start..name.end], key) {
                break 'walk Plain::Found(v);
            }
        };
        self.pos = p;
        self.set_state(state);
        found
    }

    /// Whether a value that stands as itself starts at `v`, as the byte
    /// steps take it: anything else (whitespace written as an escape, an
    /// error to report) is for the general step.
    #[inline(always)]
    fn value_starts(&self, k: u8, v: usize) -> bool {
        match self.rd.buf.get(v) {
            Some(b'{' | b'[' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => true,
            Some(b'"' | b'\\') if self.rd.quote_at(k, v).is_some() => true,
            _ => false,
        }
    }

    /// Where the value at `pos` ends, skipped lazily by bytes: the
    /// commonest values (strings, numbers, empty containers within the depth
    /// limit as the general skip checks it), without the general skip's
    /// dispatch. `Ok(None)` for the general skip.
    #[inline(always)]
    fn plain_value_end(&self, k: u8, pos: usize) -> Result<Option<usize>, Error> {
        let buf = self.rd.buf;
        Ok(match buf.get(pos) {
            Some(b'"' | b'\\') => self.rd.skip_str(k, pos),
            // A one-digit number, the commonest (counts, flags), is whole
            // when a separator follows it.
            Some(b'0'..=b'9') if matches!(buf.get(pos + 1), Some(b',' | b'}' | b']')) => {
                Some(pos + 1)
            }
            Some(b'-' | b'0'..=b'9') => Some(self.rd.number(k, pos, false)?),
            Some(&open @ (b'[' | b'{'))
                if buf.get(pos + 1) == Some(&(open + 2))
                    && u32::from(self.depth()) < self.rd.opts.depth_limit() =>
            {
                Some(pos + 2)
            }
            _ => None,
        })
    }

    /// [`step`](Cursor::step) by bytes, for the common shape of every level:
    /// whitespace as [`skip_ws`] takes it, `,` and brackets, and a key that
    /// needs no unescaping between two level-`k` quotes. `K` is the level
    /// compiled in, or [`ANY_LEVEL`] for the cursor's. `Ok(None)` when the
    /// bytes ask for more (an escape, an error to report, anything else):
    /// nothing of the member is consumed then (only the previous value's
    /// skip, which the general step does the same way), and the general
    /// step reads it instead, so both leave the cursor in the same place.
    #[inline(always)]
    fn step_plain<const K: u8>(&mut self) -> Result<Option<Option<Entry>>, Error> {
        let k = if K == ANY_LEVEL { self.level() } else { K };
        let buf = self.rd.buf;
        let mut p = match self.state() {
            State::InValue => {
                // The commonest values, strings that stand as themselves and
                // numbers, without the general skip's dispatch.
                let end = match self.plain_value_end(k, self.pos)? {
                    Some(end) => end,
                    None => self.rd.skip(k, self.pos, self.depth().into(), false)?,
                };
                self.pos = end;
                self.set_state(State::After);
                end
            }
            State::After | State::First => self.pos,
            State::Done => return Ok(Some(None)),
        };
        p = skip_ws(buf, k, p);
        let Some(&b) = buf.get(p) else {
            return Ok(None);
        };
        if b == if self.object() { b'}' } else { b']' } {
            self.pos = p + 1;
            self.set_state(State::Done);
            return Ok(Some(None));
        }
        let Some(mut p) = self.plain_separator(k, p) else {
            return Ok(None);
        };
        let entry = if self.object() {
            let Some(start) = self.rd.quote_at(k, p) else {
                return Ok(None);
            };
            let Some(key) = self.rd.plain_key(k, start) else {
                return Ok(None);
            };
            let colon = skip_ws(buf, k, key.next);
            if buf.get(colon) != Some(&b':') {
                return Ok(None);
            }
            p = skip_ws(buf, k, colon + 1);
            Entry {
                key: Some((start, key)),
                value: p,
            }
        } else {
            Entry {
                key: None,
                value: p,
            }
        };
        // The value must start here and stand as itself; whitespace
        // written another way before it (a `\u` escape), or anything to
        // report, is for the general step.
        if !self.value_starts(k, p) {
            return Ok(None);
        }
        self.pos = p;
        self.set_state(State::InValue);
        Ok(Some(Some(entry)))
    }

    /// The next member of an object, its key unescaped and checked, and
    /// its value; `None` after the closing brace. After an error the cursor
    /// is done. For serde's map access: a key that stands as itself is
    /// handed over as the byte step found it, not checked again.
    #[cfg(feature = "serde")]
    pub fn next_member(&mut self) -> Result<Option<(Cow<'a, str>, Value<'a>)>, Error> {
        let r = at_level!(self.next_member_at());
        if r.is_err() {
            self.set_state(State::Done);
        }
        r
    }

    #[cfg(feature = "serde")]
    #[inline(always)]
    fn next_member_at<const K: u8>(&mut self) -> Result<Option<(Cow<'a, str>, Value<'a>)>, Error> {
        match self.plain_member::<K>() {
            Some(Some((key, v))) => return Ok(Some((Cow::Borrowed(key), self.value_at(v)))),
            Some(None) => return Ok(None),
            None => {}
        }
        match self.step_at::<K>()? {
            Some(entry) => Ok(Some((self.key(&entry)?, self.value(&entry)))),
            None => Ok(None),
        }
    }

    /// Hands each member left, its key unescaped and checked, to `field`,
    /// which says where the member's value ends; where the object ends.
    /// `None` when `field` says `None` or there is an error. The member
    /// step is compiled into the loop, for each level, rather than called
    /// a member.
    #[cfg(feature = "serde")]
    #[inline(always)]
    pub fn for_members(
        &mut self,
        field: impl FnMut(&str, &Value<'a>) -> Option<usize>,
    ) -> Option<usize> {
        at_level!(self.for_members_at(field))
    }

    #[cfg(feature = "serde")]
    #[inline(always)]
    fn for_members_at<const K: u8>(
        &mut self,
        mut field: impl FnMut(&str, &Value<'a>) -> Option<usize>,
    ) -> Option<usize> {
        // Not built on `next_member_at`: the key and value taken as they
        // are found, not through its `Result`, measured 770 instructions
        // fewer on the typed model.
        loop {
            let end = match self.plain_member::<K>() {
                Some(Some((key, v))) => field(key, &self.value_at(v))?,
                Some(None) => return Some(self.pos),
                None => match self.step_at::<K>().ok()? {
                    Some(entry) => field(&self.key(&entry).ok()?, &self.value(&entry))?,
                    None => return Some(self.pos),
                },
            };
            self.resume(end);
        }
    }

    /// The next member if all of it up to its value stands as itself, as
    /// [`step_plain`](Cursor::step_plain) reads it, with the previous value
    /// already passed ([`resume`](Cursor::resume)): the key, borrowed, and
    /// where the value starts, with the cursor moved there; `Some(None)`
    /// past the closing brace. `None` for anything else, with nothing
    /// consumed.
    #[cfg(feature = "serde")]
    #[inline(always)]
    fn plain_member<const K: u8>(&mut self) -> Option<Option<(&'a str, usize)>> {
        let k = if K == ANY_LEVEL { self.level() } else { K };
        let buf = self.rd.buf;
        let q = skip_ws(buf, k, self.pos);
        if buf.get(q) == Some(&b'}') && matches!(self.state(), State::First | State::After) {
            self.pos = q + 1;
            self.set_state(State::Done);
            return Some(None);
        }
        let p = self.plain_separator(k, q)?;
        // `step_plain`'s member head again, with the key as a `&str`: one
        // helper for both measured `members()` 21% slower in time
        // (`get-last`), the cursor's step compiled worse.
        let start = self.rd.quote_at(k, p)?;
        let (key, end) = self.rd.plain_str(k, start)?;
        let colon = skip_ws(buf, k, end.next);
        if buf.get(colon) != Some(&b':') {
            return None;
        }
        let v = skip_ws(buf, k, colon + 1);
        if !self.value_starts(k, v) {
            return None;
        }
        self.pos = v;
        self.set_state(State::InValue);
        Some(Some((key, v)))
    }

    /// The next element of an array if it is a string that stands as
    /// itself (printable ASCII between two level-`k` quotes), borrowed, with
    /// the cursor moved past it. `None` for anything else, with nothing
    /// consumed: the caller steps the general way.
    #[inline]
    pub fn next_plain_str(&mut self) -> Option<&'a str> {
        // As in `find`: the level compiled in.
        at_level!(self.next_plain_str_at())
    }

    #[inline(always)]
    fn next_plain_str_at<const K: u8>(&mut self) -> Option<&'a str> {
        let k = if K == ANY_LEVEL { self.level() } else { K };
        let p = self.plain_separator(k, skip_ws(self.rd.buf, k, self.pos))?;
        let start = self.rd.quote_at(k, p)?;
        let (s, end) = self.rd.plain_str(k, start)?;
        self.pos = end.next;
        self.set_state(State::After);
        Some(s)
    }

    /// From `p`, past whitespace: where the next member or element starts.
    /// After one, that is past the `,` and the whitespace after it; `None`
    /// when the `,` is not there (or the cursor is in a value or done).
    #[inline(always)]
    fn plain_separator(&self, k: u8, p: usize) -> Option<usize> {
        let buf = self.rd.buf;
        match self.state() {
            State::First => Some(p),
            State::After if buf.get(p) == Some(&b',') => Some(skip_ws(buf, k, p + 1)),
            _ => None,
        }
    }

    #[cold]
    fn step_general(&mut self) -> Result<Option<Entry>, Error> {
        let k = self.level();
        let close = if self.object() { 0x7D } else { 0x5D };
        match self.state() {
            State::Done => return Ok(None),
            State::InValue => {
                self.pos = self.rd.skip(k, self.pos, self.depth().into(), false)?;
                self.set_state(State::After);
            }
            State::First | State::After => {}
        }
        let (c, at, next) = self.rd.peek(k, self.pos)?;
        let first = self.state() == State::First;
        if c == Ch::Char(close) {
            self.pos = next;
            self.set_state(State::Done);
            return Ok(None);
        }
        let peeked = if first {
            (c, at, next)
        } else if c == Ch::Char(0x2C) {
            self.rd.peek(k, next)?
        } else {
            let what = if self.object() {
                Expected::CommaOrBrace
            } else {
                Expected::CommaOrBracket
            };
            return Err(self.rd.unexpected(c, at, k, what));
        };
        let entry = if self.object() {
            let (key_start, key, value) = self.rd.member(k, peeked, false)?;
            Entry {
                key: Some((key_start, key)),
                value,
            }
        } else {
            Entry {
                key: None,
                value: peeked.1,
            }
        };
        self.pos = entry.value;
        self.set_state(State::InValue);
        Ok(Some(entry))
    }

    /// Tells the cursor that the current value ends at `end`, so that it need
    /// not skip it.
    #[inline]
    pub fn resume(&mut self, end: usize) {
        if self.state() == State::InValue {
            self.pos = end;
            self.set_state(State::After);
        }
    }

    /// What [`resumed`](Cursor::resumed) needs to go on with this cursor
    /// after its current value: its level, kind and depth, one word. The
    /// walk keeps these for the objects it climbs out of rather than whole
    /// cursors, which it would copy just after the byte step wrote them
    /// (a wide load over narrow stores).
    #[inline(always)]
    pub fn frame(&self) -> Frame {
        Frame(self.place)
    }

    /// The cursor `frame` was taken of (in a member's value, where `find`
    /// left it), over `rd`, moved past that value, which ends at `end`.
    #[inline(always)]
    pub fn resumed(rd: Reader<'a>, frame: Frame, end: usize) -> Cursor<'a> {
        Cursor {
            rd,
            place: frame.0.with_state(State::After),
            pos: end,
        }
    }

    /// Reads to the closing bracket; returns the position just after it.
    #[inline]
    pub fn finish(&mut self) -> Result<usize, Error> {
        // Past the closing bracket, the cursor is done: no step to ask.
        while self.state() != State::Done {
            self.next()?;
        }
        Ok(self.pos)
    }

    /// The value of `entry`.
    #[inline]
    pub fn value(&self, entry: &Entry) -> Value<'a> {
        self.value_at(entry.value)
    }

    /// A member's or an element's value starting at `pos`.
    #[inline(always)]
    fn value_at(&self, pos: usize) -> Value<'a> {
        Value {
            rd: self.rd,
            pos,
            place: self.value_place(),
        }
    }

    /// The place word of a member's or an element's value: at the cursor's
    /// level and depth, not the whole text of its level.
    #[inline(always)]
    fn value_place(&self) -> Place {
        Place::new(self.level(), false, State::First, self.depth())
    }

    /// Whether `entry`'s key, unescaped, is `key`.
    pub fn key_is(&self, entry: &Entry, key: &str) -> Result<bool, Error> {
        let Some((start, end)) = entry.key else {
            return Ok(false);
        };
        if end.plain {
            // Checked as `members` checks it: what is read is validated.
            return Ok(self.rd.check_span(self.level(), start, end.end)? == key);
        }
        let mut eq = KeyEq {
            rest: key.as_bytes(),
            equal: true,
        };
        self.rd.string(self.level(), start, true, &mut eq)?;
        Ok(eq.equal && eq.rest.is_empty())
    }

    /// `entry`'s key, unescaped and checked. Always inlined: called from
    /// the serde member steps too, LLVM had put it out of line, a call a
    /// member for `members()` (`get-last` +21% in time).
    #[inline(always)]
    fn key(&self, entry: &Entry) -> Result<Cow<'a, str>, Error> {
        let Some((start, end)) = entry.key else {
            return Ok(Cow::Borrowed(""));
        };
        if end.plain {
            return self
                .rd
                .check_span(self.level(), start, end.end)
                .map(Cow::Borrowed);
        }
        self.rd.unescape(self.level(), start).map(|(text, _)| text)
    }

    /// An honest bound: every member takes at least one byte.
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state() {
            State::Done => (0, Some(0)),
            _ => (0, Some(self.rd.buf.len().saturating_sub(self.pos))),
        }
    }
}

/// Skips what a [`Cursor`] could not open: yields its error once.
fn fused<T>(cur: &mut Result<Cursor<'_>, Error>) -> Option<Result<T, Error>> {
    match cur {
        Ok(_) => None,
        Err(e) => {
            let e = e.clone();
            *cur = Ok(Cursor {
                rd: Reader::new(&[], Options::new()),
                pos: 0,
                place: Place::new(0, false, State::Done, 0),
            });
            Some(Err(e))
        }
    }
}

/// The members of an object: `(key, value)` pairs in document order, keys
/// unescaped (borrowed when they need no unescaping). Returned by
/// [`Value::members`]; stops after the first error.
#[derive(Clone, Debug)]
pub struct Members<'a> {
    cur: Result<Cursor<'a>, Error>,
}

impl<'a> Iterator for Members<'a> {
    type Item = Result<(Cow<'a, str>, Value<'a>), Error>;

    // Out of line: inlined into its caller's loop, it measured 8% slower
    // there (`get-last`, a member at a time through 101).
    #[inline(never)]
    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = fused(&mut self.cur) {
            return Some(e);
        }
        let cur = self.cur.as_mut().ok()?;
        let r = (|| {
            let Some(entry) = cur.next()? else {
                return Ok(None);
            };
            Ok(Some((cur.key(&entry)?, cur.value(&entry))))
        })();
        match r {
            Ok(item) => item.map(Ok),
            Err(e) => {
                cur.set_state(State::Done);
                Some(Err(e))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.cur {
            Ok(c) => c.size_hint(),
            Err(_) => (1, Some(1)),
        }
    }
}

impl FusedIterator for Members<'_> {}

/// The elements of an array, in document order. Returned by
/// [`Value::elements`]; stops after the first error.
#[derive(Clone, Debug)]
pub struct Elements<'a> {
    cur: Result<Cursor<'a>, Error>,
}

impl<'a> Iterator for Elements<'a> {
    type Item = Result<Value<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = fused(&mut self.cur) {
            return Some(e);
        }
        let cur = self.cur.as_mut().ok()?;
        match cur.next() {
            Ok(entry) => entry.map(|e| Ok(cur.value(&e))),
            Err(e) => Some(Err(e)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.cur {
            Ok(c) => c.size_hint(),
            Err(_) => (1, Some(1)),
        }
    }
}

impl FusedIterator for Elements<'_> {}

#[cfg(test)]
mod tests {
    use std::mem::{offset_of, size_of};

    use super::{Cursor, Place, State, Value};
    use crate::error::Error;
    use crate::options::Options;

    /// The layout `Place`'s docs ask for: every field a word, the place
    /// word where a `Result<_, Error>` keeps the error's narrow fields.
    #[test]
    fn values_and_cursors_are_words_with_the_place_at_24() {
        assert_eq!(offset_of!(Value<'_>, place), 24);
        assert_eq!(offset_of!(Cursor<'_>, place), 24);
        assert_eq!(size_of::<Value<'_>>(), 40);
        assert_eq!(size_of::<Cursor<'_>>(), 40);
        assert_eq!(size_of::<Result<Value<'_>, Error>>(), 40);
    }

    /// Every field of a `Place` reads back as written, whatever the others
    /// hold, and a new state leaves the rest alone.
    #[test]
    fn places_keep_their_fields_apart() {
        let states = [State::First, State::InValue, State::After, State::Done];
        for level in [0, 1, 7, Options::MAX_LEVEL, u8::MAX] {
            for depth in [0, 1, 255, 256, Options::MAX_DEPTH as u16, u16::MAX] {
                for flag in [false, true] {
                    for state in states {
                        let p = Place::new(level, flag, state, depth);
                        assert_eq!(
                            (p.level(), p.flag(), p.state(), p.depth()),
                            (level, flag, state, depth)
                        );
                        for other in states {
                            let q = p.with_state(other);
                            assert_eq!(
                                (q.level(), q.flag(), q.state(), q.depth()),
                                (level, flag, other, depth)
                            );
                        }
                    }
                }
            }
        }
    }
}
