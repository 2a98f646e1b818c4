//! Lazy, in-place decoding of the Hands & Feet Repair query response, down to
//! its image URLs.
//!
//! ```
//! let body = include_bytes!("../tests/fixtures/sample_response.json");
//! let response = handfoot::Response::parse(body)?;
//! for url in response.image_urls() {
//!     let url = url?; // a Cow<'_, str>, borrowed from `body` here
//!     assert!(url.starts_with("https://"));
//! }
//! # Ok::<(), handfoot::Error>(())
//! ```
//!
//! The response of `POST/GET /ai/hand-foot/repair-results` carries its
//! results as JSON inside JSON strings, three levels deep. The usual way to
//! get at them parses, unescapes, parses again, unescapes, parses again, and
//! allocates at every step. This crate reads each embedded level **in place**:
//! a [`Value`] is a position in the buffer and a level, and the reader decodes
//! level-`k` text straight from the bytes through its escapes (a `"` at level
//! `k` is 2<sup>k</sup> − 1 backslashes and a quote; see [`escape`]). Nothing
//! is unescaped into a new buffer, and a URL whose bytes stand as themselves
//! comes out as a slice of the input: decoding the sample allocates nothing.
//!
//! # The pieces
//!
//! * [`Response`] — the API view: [`image_urls`](Response::image_urls),
//!   [`results`](Response::results) (a [`TaskResult`] per item), the envelope
//!   accessors, and [`validate`](Response::validate), the strict mode.
//! * [`Value`] — the engine: a lazy handle on one JSON value at any level,
//!   with [`embedded`](Value::embedded) to step one level in.
//! * [`escape`] — the arithmetic of backslash runs across levels.
//! * [`Error`] — small and positional: kind, byte offset, level.
//! * [`Options`] — the embedding-level and nesting-depth limits.
//! * [`Value::deserialize`], [`Deserializer`], [`Embedded`], [`Resolved`]
//!   and [`model`] — serde (the `serde` feature, on by default): typed
//!   structs read in place from any level, and field types for members
//!   whose string holds JSON, kept to be read later ([`Embedded`]) or read
//!   at once wherever they stand ([`Resolved`]).
//!
//! # Laziness and validation
//!
//! [`Response::parse`] only checks that the input starts with an object.
//! Iterators read as they go: the first URL comes out after reading only what
//! precedes it, and what is off the path is skipped with `memchr`, checked
//! only as far as needed to find its end. Whatever they yield is right: on
//! input cut short or damaged on the path they yield an error, never a wrong
//! or silently missing URL. [`Response::validate`] checks everything the
//! multi-pass reference would.
//!
//! # Lifetimes
//!
//! `'a` is always the input buffer: every [`Value<'a>`], every borrowed
//! string, every iterator borrows from it and from nothing else.

#![deny(unsafe_code)]
#![deny(missing_docs)]
#![warn(rust_2018_idioms)]

mod bytes;
#[cfg(feature = "serde")]
mod de;
#[cfg(feature = "serde")]
mod embedded;
mod error;
pub mod escape;
#[cfg(feature = "serde")]
pub mod model;
mod options;
mod reader;
mod response;
mod value;
mod walk;

#[cfg(feature = "serde")]
pub use de::Deserializer;
#[cfg(feature = "serde")]
pub use embedded::{Embedded, Resolved};
pub use error::{Error, ErrorKind, Expected};
pub use options::Options;
pub use response::{ImageUrls, Request, Response, TaskResult, TaskResults, TaskStatus};
pub use value::{Elements, Kind, Members, Value};

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
