//! A typed model of the whole response, borrowed from the input `'a`.
//!
//! Every member the response embeds as a string holding JSON is an
//! [`Embedded`], read one level in only when asked, except level 2's `data`
//! and `structData`, which are typed and read with level 2 through
//! [`Resolved`] (inline or in a string, as any hop of the
//! response may be); strings are `Cow<'a, str>`, borrowed whenever their
//! bytes stand as themselves.
//! Members are optional, as the API leaves them out of pending and failed
//! responses. Works through either deserializer, and fastest read straight
//! from a [`Value`] with [`Response::from_value`] (the same result as
//! `deserialize`, without serde's visitors; an item's
//! [`level1`](Item::level1) and [`level2`](Item::level2) are read so too):
//!
//! ```
//! use handfoot::model;
//! let body = include_bytes!("../tests/fixtures/sample_response.json");
//!
//! // The envelope through serde_json, the embedded levels in place.
//! let r: model::Response = serde_json::from_slice(body).unwrap();
//! // Or all of it in place, through serde or read straight.
//! let r2: model::Response = handfoot::Value::from_slice(body)?.deserialize()?;
//! let r3 = model::Response::from_value(handfoot::Value::from_slice(body)?)?;
//!
//! let mut urls = Vec::new();
//! for item in r.data.unwrap().task_result.unwrap_or_default() {
//!     for url in item.image_urls()? {
//!         urls.push(url.into_owned());
//!     }
//! }
//! assert_eq!(urls.len(), 4);
//! assert_eq!(r2.code.as_deref(), Some("0"));
//! assert_eq!(r3.trace_id, r2.trace_id);
//! # Ok::<(), handfoot::Error>(())
//! ```
//!
//! Unlike [`Response`](crate::Response), the model follows serde's rules,
//! not the reference's: a key that appears twice is an error, and the first
//! occurrence does not win.

use std::borrow::Cow;

use serde::Deserialize;

use crate::embedded::{open, Embedded, Resolved};
use crate::error::Error;
use crate::value::Value;

mod read;

/// The envelope (level 0).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Response<'a> {
    /// `"0"` on success.
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    pub code: Option<Cow<'a, str>>,
    /// The request's id.
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    pub request_id: Option<Cow<'a, str>>,
    /// The trace id.
    #[serde(
        borrow,
        default,
        deserialize_with = "borrowed_str",
        rename = "_trace_id_"
    )]
    pub trace_id: Option<Cow<'a, str>>,
    /// The task and its results.
    #[serde(borrow, default)]
    pub data: Option<Data<'a>>,
}

/// `data`: the task.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Data<'a> {
    /// Usage units.
    #[serde(default)]
    pub usage: Option<u64>,
    /// The task's id.
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    pub task_id: Option<Cow<'a, str>>,
    /// The task's status: `pending`, `running`, `finished`, `failed`.
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    pub task_status: Option<Cow<'a, str>>,
    /// One item per sub-task.
    #[serde(borrow, default)]
    pub task_result: Option<Vec<Item<'a>>>,
}

/// One item of `data.taskResult`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item<'a> {
    /// Usage units.
    #[serde(default)]
    pub usage: Option<u64>,
    /// The caller's business id.
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    pub request_biz_id: Option<Cow<'a, str>>,
    /// The item's status.
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    pub task_status: Option<Cow<'a, str>>,
    /// Level 1, a string holding JSON (empty while pending).
    #[serde(borrow, default)]
    pub task_result: Option<Embedded<'a>>,
}

/// Level 1 as the service sends it: `result` holds level 2.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Level1<'a> {
    /// Level 2.
    #[serde(borrow, default)]
    pub result: Option<Embedded<'a>>,
    /// Usage units.
    #[serde(default)]
    pub usage: Option<u64>,
    /// JSON text: `{"usage": n}`.
    #[serde(borrow, default)]
    pub usage_map: Option<Embedded<'a>>,
}

/// Level 2: the generation result.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Level2<'a> {
    /// The result data: inline, or a string holding it.
    #[serde(borrow, default, deserialize_with = "resolved")]
    pub data: Option<Level2Data<'a>>,
    /// Whether generation succeeded.
    #[serde(default)]
    pub success: Option<bool>,
    /// The generation request's id.
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    pub request_id: Option<Cow<'a, str>>,
}

/// `data` of level 2.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Level2Data<'a> {
    /// JSON text: `{"usage": n}`.
    #[serde(borrow, default)]
    pub usage_map: Option<Embedded<'a>>,
    /// The structured data: inline, or a string holding it.
    #[serde(borrow, default, deserialize_with = "resolved")]
    pub struct_data: Option<StructData<'a>>,
}

/// `structData`: the image URLs.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StructData<'a> {
    /// `"200"` on success.
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    pub code: Option<Cow<'a, str>>,
    /// The generated images' URLs, borrowed where they stand as themselves
    /// (serde's own `Vec<Cow<str>>` never borrows).
    #[serde(borrow, default, deserialize_with = "borrowed_strs")]
    pub data: Option<Vec<Cow<'a, str>>>,
    /// `"success"`.
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    pub message: Option<Cow<'a, str>>,
    /// JSON text: `{"usage": n}`.
    #[serde(borrow, default)]
    pub usage_map: Option<Embedded<'a>>,
}

/// A string that borrows when the deserializer lends it, for fields of your
/// own types: serde's own `Cow<str>` inside an `Option`, a `Vec` or any
/// other container always copies, `#[serde(borrow)]` or not.
///
/// ```
/// use std::borrow::Cow;
/// use handfoot::model::CowStr;
///
/// #[derive(serde::Deserialize)]
/// struct Urls<'a> {
///     #[serde(borrow)]
///     data: Vec<CowStr<'a>>,
/// }
///
/// let text = r#"{"data": ["https://a/1", "https:\/\/a\/2"]}"#;
/// let urls: Urls = serde_json::from_str(text)?;
/// assert!(matches!(urls.data[0].0, Cow::Borrowed("https://a/1")));
/// // Escaped, it is decoded into a copy.
/// assert!(matches!(urls.data[1].0, Cow::Owned(ref s) if s == "https://a/2"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CowStr<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for CowStr<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CowStr<'a>, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Cow<'de, str>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
                Ok(Cow::Borrowed(s))
            }
            fn visit_str<E>(self, s: &str) -> Result<Cow<'de, str>, E> {
                Ok(Cow::Owned(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Cow<'de, str>, E> {
                Ok(Cow::Owned(s))
            }
        }
        d.deserialize_str(V).map(CowStr)
    }
}

/// An optional string that borrows when the deserializer lends it: serde's
/// own `Option<Cow<str>>` always copies, `borrow` or not.
fn borrowed_str<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    let s: Option<CowStr<'a>> = Deserialize::deserialize(d)?;
    Ok(s.map(|s| s.0))
}

fn borrowed_strs<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<Cow<'a, str>>>, D::Error> {
    let v: Option<Vec<CowStr<'a>>> = Deserialize::deserialize(d)?;
    Ok(v.map(|v| v.into_iter().map(|s| s.0).collect()))
}

/// An optional member read through [`Resolved`]: inline, or in a string.
fn resolved<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    let r: Option<Resolved<T>> = Deserialize::deserialize(d)?;
    Ok(r.map(Resolved::into_inner))
}

/// `v`, unless it is absent, JSON `null` or the empty string (a pending
/// item's `taskResult`).
fn present<'a>(v: Option<Embedded<'a>>) -> Result<Option<Embedded<'a>>, Error> {
    match v {
        Some(e) if !e.member().is_null()? && e.member().empty_str_end()?.is_none() => Ok(Some(e)),
        _ => Ok(None),
    }
}

impl<'a> Response<'a> {
    /// The model of the response `v`, read in place: what
    /// [`v.deserialize()`](Value::deserialize) gives, errors included, read
    /// faster. For a response in the shape the model describes, the
    /// members are read straight, without serde's visitors; anything else
    /// (a member of another type, a key written twice, an error) is read
    /// through serde instead, which gives the same result or error.
    ///
    /// ```
    /// let body = include_bytes!("../tests/fixtures/sample_response.json");
    /// let v = handfoot::Value::from_slice(body)?;
    /// let r = handfoot::model::Response::from_value(v)?;
    /// let items = r.data.unwrap().task_result.unwrap();
    /// assert_eq!(items[0].image_urls()?.len(), 4);
    /// # Ok::<(), handfoot::Error>(())
    /// ```
    pub fn from_value(v: Value<'a>) -> Result<Response<'a>, Error> {
        read::read(v)
    }
}

impl<'a> Item<'a> {
    /// Level 1, read in place; `None` while the item is pending (no
    /// `taskResult`, `null` or `""`).
    pub fn level1(&self) -> Result<Option<Level1<'a>>, Error> {
        match present(self.task_result)? {
            Some(e) => read::read(e.value()?).map(Some),
            None => Ok(None),
        }
    }

    /// Level 2: `result` of level 1, or level 1 itself in the documented
    /// shape that has no `result` wrapper.
    pub fn level2(&self) -> Result<Option<Level2<'a>>, Error> {
        let Some(e) = present(self.task_result)? else {
            return Ok(None);
        };
        let level1 = e.value()?;
        match level1.get("result")? {
            Some(r) if r.is_null()? => Ok(None),
            // Read in place where it stands: no second pass to cut it out.
            Some(r) => read::read(open(r)?).map(Some),
            None => read::read(level1).map(Some),
        }
    }

    /// The image URLs of this item, decoded through the model.
    pub fn image_urls(&self) -> Result<Vec<Cow<'a, str>>, Error> {
        Ok(self
            .level2()?
            .and_then(|l| l.data)
            .and_then(|d| d.struct_data)
            .and_then(|sd| sd.data)
            .unwrap_or_default())
    }
}
