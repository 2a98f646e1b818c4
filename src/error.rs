//! Errors: what went wrong, the byte offset in the input buffer where it was
//! seen, and the embedding level the reader was at.
//!
//! An [`Error`] is 24 bytes, so returning it costs little on the hot path:
//! only the message of a serde error is kept on the heap. Line and column are
//! not tracked while reading; they are worked out on request by
//! [`Error::line_col`].

use core::fmt;

use crate::value::Kind;

/// One error of any kind, with its position.
///
/// The offset counts bytes from the start of the input buffer (level 0), even
/// when the fault is in text embedded several levels deep. For input that ends
/// too early the offset is the input's length, and the level is the level the
/// reader was at when the input ran out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    level: u8,
    offset: usize,
    /// The message of an [`ErrorKind::Custom`] error.
    message: Option<Box<Message>>,
}

/// A serde error's message, boxed once more so that an [`Error`] stays small.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Message(Box<str>);

/// What went wrong.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input buffer ended in the middle of a value.
    Eof,
    /// The embedded text ended (its enclosing string closed) in the middle of
    /// a value, or a string inside it was left open.
    EmbeddedEnd,
    /// A different character was expected here.
    Expected(Expected),
    /// An escape sequence that JSON does not allow (`\x`, `\u12`, or a `\`
    /// with nothing after it before the string ends).
    InvalidEscape,
    /// A `\u` escape that names no character: a lone surrogate, or a high
    /// surrogate followed by something other than a low one.
    InvalidUnicodeEscape,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// A control character (below U+0020) inside a string.
    ControlCharacter,
    /// A number that is not JSON (`01`, `1.`, `-`, `.5`, ...).
    InvalidNumber,
    /// A number too large for an `f64` (as serde_json rejects it), or one
    /// asked for as an integer that does not fit.
    NumberOutOfRange,
    /// The embedding-level limit ([`Options::max_level`](crate::Options::max_level))
    /// would be exceeded by reading one level further in.
    LevelLimit,
    /// The nesting-depth limit ([`Options::max_depth`](crate::Options::max_depth))
    /// would be exceeded by entering one more array or object.
    DepthLimit,
    /// A value of one kind where the caller (or the response's shape) needs
    /// another.
    WrongType {
        /// What was needed.
        expected: Kind,
        /// What was found.
        found: Kind,
    },
    /// An error raised while deserializing into a user's type (a missing
    /// field, a value of the wrong type for it, ...);
    /// [`Error::message`] says what.
    Custom,
}

/// What the reader expected to see when it found something else.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// The start of a JSON value.
    Value,
    /// `{`: the response must be an object.
    ObjectStart,
    /// A string key (or `}` right after `{`).
    Key,
    /// `:` after an object key.
    Colon,
    /// `,` or `}` after an object member.
    CommaOrBrace,
    /// `,` or `]` after an array element.
    CommaOrBracket,
    /// The rest of a `true`, `false` or `null` literal.
    Literal,
    /// Nothing but whitespace after the value: the end of the input at level
    /// 0, or the end of the embedded text at deeper levels.
    End,
}

impl Error {
    #[inline]
    pub(crate) const fn new(kind: ErrorKind, offset: usize, level: u8) -> Error {
        Error {
            kind,
            level,
            offset,
            message: None,
        }
    }

    /// An [`ErrorKind::Custom`] error with `message`, not yet placed.
    #[cfg(feature = "serde")]
    #[cold]
    pub(crate) fn custom(message: String) -> Error {
        Error {
            kind: ErrorKind::Custom,
            level: 0,
            offset: usize::MAX,
            message: Some(Box::new(Message(message.into_boxed_str()))),
        }
    }

    /// Places an error made without a position (by a serde visitor) at the
    /// value being read.
    #[cfg(feature = "serde")]
    pub(crate) fn place(mut self, offset: usize, level: u8) -> Error {
        if self.offset == usize::MAX {
            self.offset = offset;
            self.level = level;
        }
        self
    }

    /// The message of an [`ErrorKind::Custom`] error: what a serde
    /// `Deserialize` implementation said.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref().map(|m| &*m.0)
    }

    /// What went wrong.
    #[inline]
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The byte offset in the input buffer where the fault was seen.
    #[inline]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The embedding level the reader was at: 0 for the buffer itself, `k` for
    /// JSON text inside a string at level `k - 1`.
    #[inline]
    pub fn level(&self) -> u8 {
        self.level
    }

    /// Whether the input ended too early (as opposed to holding bad bytes).
    #[inline]
    pub fn is_eof(&self) -> bool {
        matches!(self.kind, ErrorKind::Eof)
    }

    /// The 1-based line and column (in bytes) of [`offset`](Error::offset)
    /// within `input`, which must be the buffer that was decoded.
    ///
    /// Worked out on request by counting newlines, so that reading never pays
    /// for it.
    pub fn line_col(&self, input: &[u8]) -> (usize, usize) {
        let upto = &input[..self.offset.min(input.len())];
        let line = 1 + memchr::memchr_iter(b'\n', upto).count();
        let col = 1 + match memchr::memrchr(b'\n', upto) {
            Some(nl) => upto.len() - nl - 1,
            None => upto.len(),
        };
        (line, col)
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::Value => "a JSON value",
            Expected::ObjectStart => "'{'",
            Expected::Key => "a string key",
            Expected::Colon => "':'",
            Expected::CommaOrBrace => "',' or '}'",
            Expected::CommaOrBracket => "',' or ']'",
            Expected::Literal => "'true', 'false' or 'null'",
            Expected::End => "the end of the JSON text",
        })
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Eof => f.write_str("unexpected end of input"),
            ErrorKind::EmbeddedEnd => f.write_str("embedded JSON text ended early"),
            ErrorKind::Expected(e) => write!(f, "expected {e}"),
            ErrorKind::InvalidEscape => f.write_str("invalid escape"),
            ErrorKind::InvalidUnicodeEscape => {
                f.write_str("invalid \\u escape (lone or unpaired surrogate)")
            }
            ErrorKind::InvalidUtf8 => f.write_str("invalid UTF-8"),
            ErrorKind::ControlCharacter => f.write_str("control character in string"),
            ErrorKind::InvalidNumber => f.write_str("invalid number"),
            ErrorKind::NumberOutOfRange => f.write_str("number out of range"),
            ErrorKind::LevelLimit => f.write_str("embedding level limit exceeded"),
            ErrorKind::DepthLimit => f.write_str("nesting depth limit exceeded"),
            ErrorKind::WrongType { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ErrorKind::Custom => f.write_str("invalid value"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            Some(m) => f.write_str(m)?,
            None => write!(f, "{}", self.kind)?,
        }
        if self.offset == usize::MAX {
            return Ok(());
        }
        write!(
            f,
            " at byte {} (embedded level {})",
            self.offset, self.level
        )
    }
}

impl std::error::Error for Error {}
