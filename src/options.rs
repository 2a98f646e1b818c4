//! Limits: how deep embedding and nesting may go.

use crate::reader::MAX_DEPTH;
use crate::{Error, Response, Value};

/// The limits a decode runs under, each with an error of its own.
///
/// ```
/// use handfoot::{ErrorKind, Options, Value};
///
/// let opts = Options::new().max_depth(2);
/// let v = Value::from_slice_with(b"[[[1]]]", opts)?;
/// assert_eq!(v.validate().unwrap_err().kind(), ErrorKind::DepthLimit);
/// # Ok::<(), handfoot::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    max_level: u8,
    max_depth: u16,
}

impl Default for Options {
    fn default() -> Self {
        Options::new()
    }
}

impl Options {
    /// The default embedding-level limit.
    pub const DEFAULT_MAX_LEVEL: u8 = 8;
    /// The highest embedding-level limit that can be set: a quote at level 30
    /// already takes a gigabyte of backslashes.
    pub const MAX_LEVEL: u8 = 30;
    /// The default nesting-depth limit: 127 arrays and objects inside one
    /// another are read, the 128th is refused. This is exactly what
    /// serde_json's recursion limit of 128 lets through, so that
    /// [`Value::validate`] accepts what serde_json accepts.
    pub const DEFAULT_MAX_DEPTH: u32 = 127;
    /// The highest nesting-depth limit that can be set.
    pub const MAX_DEPTH: u32 = MAX_DEPTH;

    /// The defaults: embedding level 8, nesting depth 127 (serde_json's).
    pub const fn new() -> Options {
        Options {
            max_level: Self::DEFAULT_MAX_LEVEL,
            max_depth: Self::DEFAULT_MAX_DEPTH as u16,
        }
    }

    /// Sets the deepest embedding level that may be read: text at level
    /// `limit` is read, a string there is not opened further
    /// ([`ErrorKind::LevelLimit`](crate::ErrorKind::LevelLimit)). At most
    /// [`Options::MAX_LEVEL`]; larger values are clamped.
    pub const fn max_level(mut self, limit: u8) -> Options {
        self.max_level = if limit > Self::MAX_LEVEL {
            Self::MAX_LEVEL
        } else {
            limit
        };
        self
    }

    /// Sets how many arrays and objects may nest inside one another within
    /// the text of one level: `limit` levels of nesting are read, one more is
    /// [`ErrorKind::DepthLimit`](crate::ErrorKind::DepthLimit). At most
    /// [`Options::MAX_DEPTH`]; larger values are clamped.
    pub const fn max_depth(mut self, limit: u32) -> Options {
        self.max_depth = if limit > Self::MAX_DEPTH {
            Self::MAX_DEPTH as u16
        } else {
            limit as u16
        };
        self
    }

    /// The embedding-level limit in force.
    pub const fn level_limit(&self) -> u8 {
        self.max_level
    }

    /// The nesting-depth limit in force.
    pub const fn depth_limit(&self) -> u32 {
        self.max_depth as u32
    }

    /// [`Value::from_slice_with`] under these limits.
    pub fn value<'a>(&self, input: &'a [u8]) -> Result<Value<'a>, Error> {
        Value::from_slice_with(input, *self)
    }

    /// [`Response::parse_with`] under these limits.
    pub fn response<'a>(&self, input: &'a [u8]) -> Result<Response<'a>, Error> {
        Response::parse_with(input, *self)
    }
}
