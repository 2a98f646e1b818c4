//! [`Embedded`]: a field type for a member whose string holds JSON.

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::de::EMBEDDED;
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
