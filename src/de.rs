//! serde: typed structs straight from a value at any embedding level, read in
//! place.
//!
//! [`Value::deserialize`] drives a user's `Deserialize` type over the value
//! without unescaping its level into a copy: strings are handed to the type
//! borrowed from the input (`&'a str`, `Cow<'a, str>`) whenever their bytes
//! stand as themselves, and values the type ignores are skipped at `memchr`
//! speed. Numbers, options, sequences, maps, enums (externally tagged),
//! `#[serde(flatten)]` and `deny_unknown_fields` behave as with serde_json.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer as _, IntoDeserializer, Visitor};

use crate::embedded::opened;
use crate::error::{Error, ErrorKind};
use crate::value::{Cursor, Kind, Value};

impl de::Error for Error {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::custom(msg.to_string())
    }
}

impl<'a> Value<'a> {
    /// Deserializes this value, read in place at its level, into `T`.
    ///
    /// The value is checked in full first (as [`validate`](Value::validate)
    /// does), so `T` sees only valid JSON and the result is what
    /// `serde_json::from_str` gives on the value's unescaped text — errors
    /// included. A `&'a str` field borrows from the input; on a string that
    /// needs unescaping it is an error, as with serde_json (`Cow<'a, str>`
    /// and `String` always work).
    ///
    /// ```
    /// use std::borrow::Cow;
    /// #[derive(serde::Deserialize)]
    /// struct Image<'a> {
    ///     #[serde(borrow)]
    ///     url: Cow<'a, str>,
    ///     #[serde(borrow)]
    ///     name: Cow<'a, str>,
    ///     size: u32,
    /// }
    /// // `image` holds a level-1 JSON text.
    /// let body = br#"{"image": "{\"url\":\"https://a.test/1.png\",\"name\":\"caf\\u00e9\",\"size\":7}"}"#;
    /// let inner = handfoot::Value::from_slice(body)?.get("image")?.unwrap().embedded()?;
    /// let image: Image = inner.deserialize()?;
    /// assert!(matches!(image.url, Cow::Borrowed("https://a.test/1.png")));
    /// assert!(matches!(image.name, Cow::Owned(_)));
    /// assert_eq!((&*image.name, image.size), ("café", 7));
    /// # Ok::<(), handfoot::Error>(())
    /// ```
    pub fn deserialize<T: de::Deserialize<'a>>(&self) -> Result<T, Error> {
        let end = Cell::new(self.offset());
        let out = T::deserialize(De {
            value: self,
            end: &end,
        })?;
        if self.is_root() {
            self.reader().end_of_text(self.level(), end.get())?;
        }
        Ok(out)
    }
}

/// A serde `Deserializer` over one [`Value`], reading it in place. Made by
/// [`Deserializer::new`]; [`Value::deserialize`] is the usual way in, and
/// also checks that nothing but whitespace follows a value that is the whole
/// text of its level.
///
/// It reads in one pass and checks everything it reads in full, including
/// the values the type ignores: what it accepts is what serde_json accepts.
#[derive(Clone, Copy, Debug)]
pub struct Deserializer<'a> {
    value: Value<'a>,
}

impl<'a> Deserializer<'a> {
    /// A deserializer for `value`.
    pub fn new(value: Value<'a>) -> Deserializer<'a> {
        Deserializer { value }
    }
}

/// The deserializer proper: a value, and where to say it ended, so that the
/// array or object around it goes on from there instead of skipping it again.
/// The value by reference: serde moves its deserializers by value, and a
/// value built a field at a time and copied whole just after is read back
/// wide from narrow stores, which the CPU does not forward (BENCHMARKS.md);
/// two references travel in registers.
#[derive(Clone, Copy)]
struct De<'a, 'c> {
    value: &'c Value<'a>,
    end: &'c Cell<usize>,
}

impl<'a> De<'a, '_> {
    fn place<T>(&self, r: Result<T, Error>) -> Result<T, Error> {
        r.map_err(|e| e.place(self.value.offset(), self.value.level()))
    }

    /// The number, visited as serde_json visits it: `u64` for non-negative
    /// integers that fit, `i64` for negative ones, `f64` otherwise (and for
    /// `-0`).
    fn number<V: Visitor<'a>>(&self, visitor: V) -> Result<V::Value, Error> {
        let (text, end) = self.value.number_strict()?;
        self.end.set(end);
        let integer = !text.contains(['.', 'e', 'E']);
        if integer {
            if let Some(digits) = text.strip_prefix('-') {
                if digits.bytes().any(|b| b != b'0') {
                    if let Ok(n) = text.parse::<i64>() {
                        return visitor.visit_i64(n);
                    }
                }
            } else if let Ok(n) = text.parse::<u64>() {
                return visitor.visit_u64(n);
            }
        }
        // Checked by `number_strict`, out-of-range values included.
        let f: f64 = text.parse().map_err(|_| {
            Error::new(
                ErrorKind::InvalidNumber,
                self.value.offset(),
                self.value.level(),
            )
        })?;
        visitor.visit_f64(f)
    }
}

impl<'a> De<'a, '_> {
    /// For [`Resolved`](crate::Resolved): the value, with strings holding
    /// JSON opened until what is inside is not one, handed to `visitor` as a
    /// one-element sequence. The text inside is read once, at its level,
    /// which checks the strings around it in full as well; the end said is
    /// past the outermost string, whose text must hold nothing more.
    fn resolved<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        let inner = opened(*self.value)?;
        let end = Cell::new(inner.offset());
        let out = visitor.visit_seq(Inner {
            de: Some(De {
                value: &inner,
                end: &end,
            }),
        })?;
        let rd = self.value.reader();
        self.end
            .set(rd.end_of_levels(self.value.level(), inner.level(), end.get())?);
        Ok(out)
    }
}

/// Hands [`Resolved`](crate::Resolved) the value it stands for.
struct Inner<'a, 'c> {
    de: Option<De<'a, 'c>>,
}

impl<'a> de::SeqAccess<'a> for Inner<'a, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.de.take().map(|de| seed.deserialize(de)).transpose()
    }
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'a>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Error> {
            let end = Cell::new(self.value.offset());
            De { value: &self.value, end: &end }.$method($($arg,)* visitor)
        }
    )*};
}

impl<'a> de::Deserializer<'a> for Deserializer<'a> {
    type Error = Error;

    forward! {
        deserialize_any(); deserialize_bool(); deserialize_i8(); deserialize_i16();
        deserialize_i32(); deserialize_i64(); deserialize_i128(); deserialize_u8();
        deserialize_u16(); deserialize_u32(); deserialize_u64(); deserialize_u128();
        deserialize_f32(); deserialize_f64(); deserialize_char(); deserialize_str();
        deserialize_string(); deserialize_bytes(); deserialize_byte_buf();
        deserialize_option(); deserialize_unit(); deserialize_seq(); deserialize_map();
        deserialize_identifier(); deserialize_ignored_any();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
    }
}

/// The placeholder name by which [`Embedded`](crate::Embedded) asks a
/// deserializer for the raw text of a member.
pub(crate) const EMBEDDED: &str = "$handfoot::Embedded";

/// The placeholder name by which [`Resolved`](crate::Resolved) asks a
/// deserializer to open strings holding JSON before it reads the value.
pub(crate) const RESOLVED: &str = "$handfoot::Resolved";

impl<'a> de::Deserializer<'a> for De<'a, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        let v = self.value;
        let r = match v.kind()? {
            kind @ (Kind::Null | Kind::Bool) => {
                self.end.set(v.strict_end()?);
                if kind == Kind::Null {
                    visitor.visit_unit()
                } else {
                    visitor.visit_bool(v.as_bool()?)
                }
            }
            Kind::Number => self.number(visitor),
            Kind::String => {
                let (s, end) = v.str_and_end()?;
                self.end.set(end);
                match s {
                    Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
                    Cow::Owned(s) => visitor.visit_string(s),
                }
            }
            Kind::Array => {
                let mut seq = SeqAccess {
                    cur: Cursor::open(v, false)?,
                    seen: 0,
                    end: Cell::new(0),
                };
                let out = visitor.visit_seq(&mut seq)?;
                self.end.set(seq.end()?);
                Ok(out)
            }
            Kind::Object => {
                let mut map = MapAccess {
                    cur: Cursor::open(v, true)?,
                    value: None,
                    end: Cell::new(0),
                };
                let out = visitor.visit_map(&mut map)?;
                self.end.set(map.end()?);
                Ok(out)
            }
        };
        self.place(r)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.value.is_null()? {
            self.end.set(self.value.strict_end()?);
            self.place(visitor.visit_none())
        } else {
            self.place(visitor.visit_some(self))
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == EMBEDDED {
            let start = self.value.offset();
            let end = self.value.strict_end()?;
            self.end.set(end);
            let raw = &self.value.reader().buf[start..end];
            let level = self.value.level();
            return self.place(visitor.visit_seq(RawAccess {
                level: Some(level),
                raw: Some(raw),
            }));
        }
        if name == RESOLVED {
            return self.place(self.resolved(visitor));
        }
        self.place(visitor.visit_newtype_struct(self))
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let v = self.value;
        match v.kind()? {
            Kind::String => {
                let (variant, end) = v.str_and_end()?;
                self.end.set(end);
                self.place(visitor.visit_enum(variant.into_deserializer()))
            }
            Kind::Object => {
                let mut cur = Cursor::open(v, true)?;
                let Some((key, value)) = cur.next_member()? else {
                    return Err(de::Error::invalid_value(
                        de::Unexpected::Map,
                        &"a map with a single key",
                    ))
                    .map_err(|e: Error| e.place(v.offset(), v.level()));
                };
                let inner = Cell::new(value.offset());
                let out = self.place(visitor.visit_enum(EnumAccess {
                    key,
                    value: &value,
                    end: &inner,
                }))?;
                cur.resume(inner.get());
                match cur.next_member()? {
                    None => {
                        self.end.set(cur.finish()?);
                        Ok(out)
                    }
                    Some(_) => Err(Error::custom("expected a map with a single key".into())
                        .place(v.offset(), v.level())),
                }
            }
            _ => Err(de::Error::invalid_type(unexpected(v)?, &"string or map"))
                .map_err(|e: Error| e.place(v.offset(), v.level())),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        // Skipped, but checked in full: serde_json rejects what it ignores.
        self.end.set(self.value.strict_end()?);
        visitor.visit_unit()
    }

    fn deserialize_bytes<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.value.kind()? == Kind::String {
            let (s, end) = self.value.str_and_end()?;
            self.end.set(end);
            return self.place(match s {
                Cow::Borrowed(s) => visitor.visit_borrowed_bytes(s.as_bytes()),
                Cow::Owned(s) => visitor.visit_byte_buf(s.into_bytes()),
            });
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// What serde says was found, for an error message.
fn unexpected<'a>(v: &Value<'a>) -> Result<de::Unexpected<'a>, Error> {
    Ok(match v.kind()? {
        Kind::Null => de::Unexpected::Unit,
        Kind::Bool => de::Unexpected::Bool(v.as_bool()?),
        Kind::Number => de::Unexpected::Other("number"),
        Kind::String => de::Unexpected::Other("string"),
        Kind::Array => de::Unexpected::Seq,
        Kind::Object => de::Unexpected::Map,
    })
}

struct SeqAccess<'a> {
    cur: Cursor<'a>,
    seen: usize,
    end: Cell<usize>,
}

impl SeqAccess<'_> {
    /// After the visitor: where the array ends. Elements it left are an
    /// error, as with serde_json, which counts them (an element it cannot
    /// read counted too).
    fn end(&mut self) -> Result<usize, Error> {
        if self.cur.next()?.is_none() {
            return self.cur.finish();
        }
        let mut rest = 1;
        while !matches!(self.cur.next(), Ok(None)) {
            rest += 1;
        }
        Err(de::Error::invalid_length(
            self.seen + rest,
            &"fewer elements in array",
        ))
    }
}

impl<'a> de::SeqAccess<'a> for &mut SeqAccess<'a> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.cur.next()? {
            None => Ok(None),
            Some(entry) => {
                self.seen += 1;
                let (out, end) = read(seed, &self.cur.value(&entry), &self.end)?;
                self.cur.resume(end);
                Ok(Some(out))
            }
        }
    }
}

/// Deserializes the member or element `value` with `seed`; returns where it
/// ended too, for its array or object to go on from.
fn read<'a, T: DeserializeSeed<'a>>(
    seed: T,
    value: &Value<'a>,
    end: &Cell<usize>,
) -> Result<(T::Value, usize), Error> {
    let out = seed.deserialize(De { value, end })?;
    Ok((out, end.get()))
}

struct MapAccess<'a> {
    cur: Cursor<'a>,
    value: Option<Value<'a>>,
    end: Cell<usize>,
}

impl MapAccess<'_> {
    /// After the visitor: where the object ends. A visitor that stops early
    /// (an enum's single key) leaves members; serde_json reports them as
    /// trailing. Read them to find errors.
    fn end(&mut self) -> Result<usize, Error> {
        while self.cur.next_member()?.is_some() {}
        self.cur.finish()
    }
}

impl<'a> de::MapAccess<'a> for &mut MapAccess<'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.cur.next_member()? {
            None => Ok(None),
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(KeyDeserializer { key })
                    .map(Some)
                    .map_err(|e| e.place(value.offset(), value.level()))
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(v) => {
                let (out, end) = read(seed, &v, &self.end)?;
                self.cur.resume(end);
                Ok(out)
            }
            None => Err(Error::custom("value asked for before its key".into())),
        }
    }
}

/// An object key, already unescaped. Integer types parse it, as serde_json
/// lets maps have integer keys.
struct KeyDeserializer<'a> {
    key: Cow<'a, str>,
}

macro_rules! integer_key {
    ($($method:ident => $visit:ident,)*) => {$(
        fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.key.parse() {
                Ok(n) => visitor.$visit(n),
                Err(_) => Err(de::Error::invalid_type(
                    de::Unexpected::Str(&self.key),
                    &visitor,
                )),
            }
        }
    )*};
}

impl<'a> de::Deserializer<'a> for KeyDeserializer<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.key {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    integer_key! {
        deserialize_i8 => visit_i8,
        deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64,
        deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64,
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(self.key.into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i128 u128 f32 f64 char str string bytes byte_buf unit unit_struct
        seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An externally tagged enum variant written as `{"Variant": value}`.
struct EnumAccess<'a, 'c> {
    key: Cow<'a, str>,
    value: &'c Value<'a>,
    end: &'c Cell<usize>,
}

impl<'a, 'c> de::EnumAccess<'a> for EnumAccess<'a, 'c> {
    type Error = Error;
    type Variant = De<'a, 'c>;

    fn variant_seed<S: DeserializeSeed<'a>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), Error> {
        let key: de::value::CowStrDeserializer<'a, Error> = self.key.into_deserializer();
        let variant = seed.deserialize(key)?;
        Ok((
            variant,
            De {
                value: self.value,
                end: self.end,
            },
        ))
    }
}

impl<'a> de::VariantAccess<'a> for De<'a, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<S: DeserializeSeed<'a>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'a>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }
}

/// Hands [`Embedded`](crate::Embedded) its level and raw bytes.
struct RawAccess<'a> {
    level: Option<u8>,
    raw: Option<&'a [u8]>,
}

impl<'a> de::SeqAccess<'a> for RawAccess<'a> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if let Some(level) = self.level.take() {
            return seed.deserialize(level.into_deserializer()).map(Some);
        }
        match self.raw.take() {
            Some(raw) => seed
                .deserialize(de::value::BorrowedBytesDeserializer::new(raw))
                .map(Some),
            None => Ok(None),
        }
    }
}
