//! Field types for members whose string holds JSON: [`Embedded`], kept as
//! it stands and read when asked, and [`Resolved`], read through at once.

use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::de::{EMBEDDED, RESOLVED};
use crate::error::Error;
use crate::options::Options;
use crate::reader::Reader;
use crate::value::{Kind, Value};

/// A member whose value is a string holding JSON (or the JSON inline), kept
/// as it stands in the input `'a` and read one level in only when asked.
///
/// Put it in your own struct where the response embeds JSON in a string. It
/// deserializes from `serde_json::from_slice` / `from_str` (borrowing the raw
/// string through serde_json's `RawValue`, nothing unescaped) and from
/// [`Value::deserialize`]. It needs a deserializer that borrows from the
/// input: not `serde_json::from_reader`, and not inside
/// `#[serde(flatten)]` or untagged enums, which buffer their content.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Item<'a> {
///     #[serde(borrow, rename = "taskResult")]
///     task_result: handfoot::Embedded<'a>,
/// }
/// let body = br#"{"taskResult": "{\"result\":\"ok\"}"}"#;
/// let item: Item = serde_json::from_slice(body).unwrap();
/// let level1 = item.task_result.value()?;
/// assert_eq!(level1.get("result")?.unwrap().as_str()?, "ok");
/// # Ok::<(), handfoot::Error>(())
/// ```
///
/// Error offsets from an `Embedded` count from the start of its raw text
/// ([`raw`](Embedded::raw)), which is all it holds of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embedded<'a> {
    raw: &'a [u8],
    level: u8,
}

impl<'a> Embedded<'a> {
    /// The member whose value stands as `raw` at `level`.
    pub(crate) fn new(raw: &'a [u8], level: u8) -> Embedded<'a> {
        Embedded { raw, level }
    }

    /// The member's value as it stands in the input (quotes and escapes
    /// included).
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The embedding level of [`raw`](Embedded::raw): 0 when it came from
    /// serde_json, the member's level when it came from [`Value`].
    pub fn level(&self) -> u8 {
        self.level
    }

    /// The member's value as it stands, not opened.
    pub fn member(&self) -> Value<'a> {
        Value::at(
            Reader::new(self.raw, Options::new()),
            0,
            self.level,
            0,
            false,
        )
    }

    /// The JSON the member holds: a string is read one level in, in place;
    /// anything else (an inline object, `null`) is the value itself.
    pub fn value(&self) -> Result<Value<'a>, Error> {
        open(self.member())
    }

    /// [`value`](Embedded::value) deserialized into `T`, in place.
    pub fn deserialize<T: Deserialize<'a>>(&self) -> Result<T, Error> {
        self.value()?.deserialize()
    }
}

/// A member that may hold JSON in a string: the string read one level in,
/// anything else as it is.
pub(crate) fn open(v: Value<'_>) -> Result<Value<'_>, Error> {
    if v.kind()? == Kind::String {
        v.embedded()
    } else {
        Ok(v)
    }
}

/// `v` with strings holding JSON opened, one level in at a time, until
/// what is inside is not a string: where a [`Resolved`] member's value
/// stands.
#[inline(always)]
pub(crate) fn opened(mut v: Value<'_>) -> Result<Value<'_>, Error> {
    while v.kind()? == Kind::String {
        v.step_in()?;
    }
    Ok(v)
}

impl<'de: 'a, 'a> Deserialize<'de> for Embedded<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Embedded<'a>, D::Error> {
        d.deserialize_newtype_struct(EMBEDDED, EmbeddedVisitor)
    }
}

struct EmbeddedVisitor;

impl<'de> Visitor<'de> for EmbeddedVisitor {
    type Value = Embedded<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value borrowed from the input")
    }

    /// From serde_json: its `RawValue` is the member's text at level 0.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Embedded<'de>, D::Error> {
        let raw = <&'de serde_json::value::RawValue>::deserialize(d)?;
        Ok(Embedded {
            raw: raw.get().as_bytes(),
            level: 0,
        })
    }

    /// From handfoot's own deserializer: the level, then the raw bytes.
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Embedded<'de>, A::Error> {
        let level: u8 = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let raw: &'de [u8] = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        Ok(Embedded { raw, level })
    }
}

/// A member that holds a `T` either inline or as a string holding its JSON
/// (SPEC §3: any hop of the response may be string-embedded), deserialized
/// into `T` from wherever it stands: strings are opened, one level in at a
/// time, until what is inside is not a string.
///
/// Through [`Value::deserialize`] the member is read once, in place at the
/// level it turns out to be at: nothing is checked twice and nothing is
/// unescaped, unlike an [`Embedded`] that is deserialized later (checked
/// when its struct is read, read again when opened). Through serde_json it
/// borrows the raw text (`RawValue`) and reads that in place, so it has
/// [`Embedded`]'s needs: a deserializer that borrows from the input, not
/// inside `#[serde(flatten)]` or untagged enums.
///
/// ```
/// use handfoot::Resolved;
/// #[derive(serde::Deserialize)]
/// struct Size {
///     w: u32,
///     h: u32,
/// }
/// #[derive(serde::Deserialize)]
/// struct Image {
///     size: Resolved<Size>,
/// }
/// // The same member inline, embedded once and embedded twice.
/// for body in [
///     &br#"{"size": {"w": 3, "h": 4}}"#[..],
///     br#"{"size": "{\"w\": 3, \"h\": 4}"}"#,
///     br#"{"size": "\"{\\\"w\\\": 3, \\\"h\\\": 4}\""}"#,
/// ] {
///     let a: Image = handfoot::Value::from_slice(body)?.deserialize()?;
///     let b: Image = serde_json::from_slice(body).unwrap();
///     assert_eq!((a.size.0.w, a.size.0.h, b.size.0.w), (3, 4, 3));
/// }
/// # Ok::<(), handfoot::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resolved<T>(pub T);

impl<T> Resolved<T> {
    /// The `T` inside.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Resolved<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Resolved<T>, D::Error> {
        d.deserialize_newtype_struct(RESOLVED, ResolvedVisitor(PhantomData))
    }
}

struct ResolvedVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ResolvedVisitor<T> {
    type Value = Resolved<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value, inline or in a string")
    }

    /// Any deserializer but handfoot's: the raw text, read in place.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Resolved<T>, D::Error> {
        let raw = <&'de serde_json::value::RawValue>::deserialize(d)?;
        Value::from_slice(raw.get().as_bytes())
            .and_then(opened)
            .and_then(|v| v.deserialize())
            .map(Resolved)
            .map_err(de::Error::custom)
    }

    /// handfoot's deserializer, which has opened the strings already and
    /// hands over the `T` as a one-element sequence.
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Resolved<T>, A::Error> {
        seq.next_element()?
            .map(Resolved)
            .ok_or_else(|| de::Error::invalid_length(0, &self))
    }
}
