//! The typed model read straight from a [`Value`], without serde's visitor
//! protocol: the fast path of [`Response::from_value`] and of an item's
//! levels.
//!
//! It reads with the primitives the serde path reads with (the member step,
//! the strict string, number and skip readers), so that what it accepts it
//! reads to the same result; anything else — a member of another type than
//! the model's, a key seen twice, a struct written as an array, any error —
//! makes it give up (`None`), and serde's path ([`Value::deserialize`])
//! reads the value instead and says what is wrong. The tests hold the two to
//! the same results.

use std::borrow::Cow;

use crate::bytes::same;
use crate::embedded::{opened, Embedded};
use crate::error::Error;
use crate::value::{Cursor, Value};

use super::{Data, Item, Level1, Level2, Level2Data, Response, StructData};

/// A model type read straight from a value: itself and where the value
/// ends, or `None` for serde's path.
pub(super) trait Read<'a>: Sized {
    fn read(v: &Value<'a>) -> Option<(Self, usize)>;
}

/// `v` read into `T`: straight when it can be, else through serde, which
/// gives the same result and says what is wrong. As
/// [`Value::deserialize`], a value that is the whole text of its level
/// must be followed by nothing but whitespace there.
pub(super) fn read<'a, T: Read<'a> + serde::Deserialize<'a>>(v: Value<'a>) -> Result<T, Error> {
    if let Some((t, end)) = T::read(&v) {
        if !v.is_root() || v.reader().end_of_text(v.level(), end).is_ok() {
            return Ok(t);
        }
    }
    slow(v)
}

#[cold]
fn slow<'a, T: serde::Deserialize<'a>>(v: Value<'a>) -> Result<T, Error> {
    v.deserialize()
}

/// An optional member: `null` is `None`, anything else is read by `f`.
#[inline(always)]
fn opt<'a, T>(
    v: &Value<'a>,
    f: impl FnOnce(&Value<'a>) -> Option<(T, usize)>,
) -> Option<(Option<T>, usize)> {
    if v.is_null().ok()? {
        return Some((None, v.strict_end().ok()?));
    }
    f(v).map(|(t, end)| (Some(t), end))
}

/// A `u64` as serde's path reads one: a number written as a non-negative
/// integer that fits. Anything but a number is an error here, and `u64`'s
/// parse refuses a sign, a fraction and an exponent, which serde's path
/// visits as `i64` or `f64`, both errors for a `u64`.
fn number(v: &Value<'_>) -> Option<(u64, usize)> {
    let (text, end) = v.number_strict().ok()?;
    Some((text.parse().ok()?, end))
}

/// A string, borrowed where it stands as itself.
fn string<'a>(v: &Value<'a>) -> Option<(Cow<'a, str>, usize)> {
    // Anything but a string is an error here.
    v.str_and_end().ok()
}

/// A boolean (`as_bool` refuses anything else).
fn boolean(v: &Value<'_>) -> Option<(bool, usize)> {
    Some((v.as_bool().ok()?, v.strict_end().ok()?))
}

/// Any value, kept as it stands (checked in full).
fn embedded<'a>(v: &Value<'a>) -> Option<(Embedded<'a>, usize)> {
    let end = v.strict_end().ok()?;
    let raw = v.reader().buf.get(v.offset()..end)?;
    Some((Embedded::new(raw, v.level()), end))
}

/// A `T` inline or in strings holding it, as [`Resolved`](crate::Resolved)
/// reads one.
fn resolved<'a, T: Read<'a>>(v: &Value<'a>) -> Option<(T, usize)> {
    let inner = opened(*v).ok()?;
    let (t, end) = T::read(&inner)?;
    let end = v
        .reader()
        .end_of_levels(v.level(), inner.level(), end)
        .ok()?;
    Some((t, end))
}

/// An array of what `f` reads.
fn array<'a, T>(
    v: &Value<'a>,
    f: impl Fn(&Value<'a>) -> Option<(T, usize)>,
) -> Option<(Vec<T>, usize)> {
    // Anything but an array is an error here.
    let mut cur = Cursor::open(v, false).ok()?;
    let mut out = Vec::new();
    while let Some(entry) = cur.next().ok()? {
        let (t, end) = f(&cur.value(&entry))?;
        cur.resume(end);
        out.push(t);
    }
    Some((out, cur.finish().ok()?))
}

/// The members of the object `v`, each handed to `field`, which says where
/// its value ends; where the object ends.
#[inline(always)]
fn members<'a>(
    v: &Value<'a>,
    mut field: impl FnMut(&str, &Value<'a>) -> Option<usize>,
) -> Option<usize> {
    // Anything but an object is an error here.
    Cursor::open(v, true).ok()?.for_members(&mut field)
}

/// `Read` for a model struct: each field by its key and reader (every field
/// is optional: `null` or absent is `None`); a key seen twice is for
/// serde's path (which reports it), other members are checked and passed
/// over.
macro_rules! read_struct {
    ($ty:ident { $($key:literal => $field:ident: $read:expr,)* }) => {
        impl<'a> Read<'a> for $ty<'a> {
            fn read(v: &Value<'a>) -> Option<(Self, usize)> {
                let mut out = $ty::default();
                let mut seen = 0u32;
                let end = members(v, |key, v| {
                    let mut bit = 1u32;
                    $(
                        if same(key.as_bytes(), $key.as_bytes()) {
                            if seen & bit != 0 {
                                return None;
                            }
                            seen |= bit;
                            let (x, end) = opt(v, $read)?;
                            out.$field = x;
                            return Some(end);
                        }
                        bit <<= 1;
                    )*
                    let _ = bit;
                    v.strict_end().ok()
                })?;
                Some((out, end))
            }
        }
    };
}

read_struct!(Response {
    "code" => code: string,
    "request_id" => request_id: string,
    "_trace_id_" => trace_id: string,
    "data" => data: Data::read,
});

read_struct!(Data {
    "usage" => usage: number,
    "taskId" => task_id: string,
    "taskStatus" => task_status: string,
    "taskResult" => task_result: |v| array(v, Item::read),
});

read_struct!(Item {
    "usage" => usage: number,
    "requestBizId" => request_biz_id: string,
    "taskStatus" => task_status: string,
    "taskResult" => task_result: embedded,
});

read_struct!(Level1 {
    "result" => result: embedded,
    "usage" => usage: number,
    "usageMap" => usage_map: embedded,
});

read_struct!(Level2 {
    "data" => data: resolved,
    "success" => success: boolean,
    "requestId" => request_id: string,
});

read_struct!(Level2Data {
    "usageMap" => usage_map: embedded,
    "structData" => struct_data: resolved,
});

read_struct!(StructData {
    "code" => code: string,
    "data" => data: |v| array(v, string),
    "message" => message: string,
    "usageMap" => usage_map: embedded,
});
