//! The walk down the response's path to its image URLs, in one forward pass.
//!
//! The path (SPEC §3): `data` → `taskResult` (array) → each item →
//! `taskResult` → its `result` member if it has one, else itself → `data` →
//! `structData` → `data` (array of URL strings). Each hop may be inline or a
//! string holding JSON (read one level in, in place).
//!
//! Descending, the walker keeps a frame for every object it entered, up to
//! the first string it reads as JSON. When an item's URLs end, it climbs back
//! out from where it stands — to the end of that string, scanned at its own
//! level, then finishing each object from the member it was in — so that it
//! reaches the end of the item without reading any byte of it twice.

use crate::error::{Error, ErrorKind};
use crate::value::{Cursor, Frame, Kind, Value};

/// What resolving a hop found.
pub(crate) enum Hop {
    /// The object or array the path goes on in: the value walked, moved
    /// there in place.
    Node,
    /// Nothing to go on in (`null`, a pending item); the hop's value ends at
    /// this position (at the level of the value the hop started from, once
    /// the pushed frames are climbed).
    Nothing(usize),
}

/// What the walk climbs out through when an item's URLs end: the objects
/// it entered, each at the member it went into, up to the first string it
/// read as JSON, and that string's level. Nothing further in is kept: the
/// climb goes from the end of that string. Fixed size: the path is at most
/// six objects deep. Each object is kept as a [`Frame`], one word, not as
/// its cursor: copied whole just after the byte step wrote its fields, a
/// cursor is read back wide from narrow stores, which the CPU does not
/// forward (measured: BENCHMARKS.md).
#[derive(Clone, Debug)]
pub(crate) struct Frames {
    objects: [Frame; 8],
    len: usize,
    /// The level of the outermost string read as JSON, once there is one.
    embedded_in: Option<u8>,
}

impl Frames {
    pub fn new() -> Frames {
        Frames {
            objects: [Frame::NONE; 8],
            len: 0,
            embedded_in: None,
        }
    }

    #[inline(always)]
    fn push(&mut self, cur: &Cursor<'_>) {
        if self.embedded_in.is_some() {
            return;
        }
        // The path bounds the count; see the type's docs.
        if let Some(slot) = self.objects.get_mut(self.len) {
            *slot = cur.frame();
            self.len += 1;
        }
    }

    pub fn clear(&mut self) {
        self.len = 0;
        self.embedded_in = None;
    }

    /// Climbs out of every frame from `end`, the end of the innermost value;
    /// returns the end of the outermost one.
    ///
    /// Everything inside the outermost embedded text is left unread: `end`
    /// is a character boundary at every level, so the string holding that
    /// text can be scanned to its closing quote at its own level, where
    /// finding the end costs a `memchr` per backslash run. First key wins, so
    /// nothing after the URLs in there can change them; `validate()` is what
    /// checks the rest.
    pub fn climb(&mut self, mut end: usize, v: &Value<'_>) -> Result<usize, Error> {
        if let Some(outer) = self.embedded_in.take() {
            end = v.reader().string_end(outer, end)?;
        }
        while self.len > 0 {
            self.len -= 1;
            let mut cur = Cursor::resumed(v.reader(), self.objects[self.len], end);
            end = cur.finish()?;
        }
        Ok(end)
    }

    /// Resolves `v` to a `want` (object or array), in place: a string is
    /// read as the JSON it holds, again and again up to the level limit;
    /// `null` is nothing. With `strict`, each embedded text is validated in
    /// full first.
    ///
    /// The walk moves one value down the path, field by field, rather than
    /// passing values whole: a value is built a field at a time, and copied
    /// whole just after, its fields are read back wide from narrow stores,
    /// which the CPU does not forward (measured: BENCHMARKS.md).
    #[inline(always)]
    pub fn resolve(&mut self, v: &mut Value<'_>, want: Kind, strict: bool) -> Result<Hop, Error> {
        let outer = v.level();
        loop {
            let kind = v.kind()?;
            if kind == want {
                break;
            }
            match kind {
                Kind::String => {
                    v.step_in()?;
                    if strict {
                        v.validate()?;
                    }
                }
                Kind::Null => {
                    let end = v.end()?;
                    self.embed(outer, v.level());
                    return Ok(Hop::Nothing(end));
                }
                found => {
                    return Err(Error::new(
                        ErrorKind::WrongType {
                            expected: want,
                            found,
                        },
                        v.offset(),
                        v.level(),
                    ))
                }
            }
        }
        self.embed(outer, v.level());
        Ok(Hop::Node)
    }

    fn embed(&mut self, outer: u8, inner: u8) {
        if inner > outer && self.embedded_in.is_none() {
            self.embedded_in = Some(outer);
        }
    }

    /// Finds member `key` of the object `v` and resolves it to a `want`,
    /// moving `v` there. `Hop::Nothing(end)` when there is nothing there: no
    /// such member, or null; `end` is then where the object ends, once the
    /// frames pushed are climbed.
    #[inline(always)]
    pub fn descend(
        &mut self,
        v: &mut Value<'_>,
        key: &str,
        want: Kind,
        strict: bool,
    ) -> Result<Hop, Error> {
        let mut cur = Cursor::open(v, true)?;
        if !cur.find_into(key, v)? {
            return Ok(Hop::Nothing(cur.finish()?));
        }
        self.push(&cur);
        self.resolve(v, want, strict)
    }

    /// Moves the item object `v` to its level-2 object: its `taskResult`,
    /// and in that the `result` member if there is one. `Hop::Nothing(end)`
    /// for a pending item.
    pub fn payload(&mut self, v: &mut Value<'_>, strict: bool) -> Result<Hop, Error> {
        let mut cur = Cursor::open(v, true)?;
        if !cur.find_into("taskResult", v)? {
            return Ok(Hop::Nothing(cur.finish()?));
        }
        self.push(&cur);
        if let Some(end) = v.empty_str_end()? {
            return Ok(Hop::Nothing(end));
        }
        if let Hop::Nothing(end) = self.resolve(v, Kind::Object, strict)? {
            return Ok(Hop::Nothing(end));
        }
        let mut cur = Cursor::open(v, true)?;
        if cur.find_into("result", v)? {
            self.push(&cur);
            return self.resolve(v, Kind::Object, strict);
        }
        // The documented shape: level 1 is the object itself (`v`, which
        // `find_into` leaves as it was when it finds nothing).
        Ok(Hop::Node)
    }

    /// Moves the item object `v` to its URL array; `Hop::Nothing(end)` when
    /// it has none.
    pub fn url_array(&mut self, v: &mut Value<'_>, strict: bool) -> Result<Hop, Error> {
        if let Hop::Nothing(end) = self.payload(v, strict)? {
            return Ok(Hop::Nothing(end));
        }
        if let Hop::Nothing(end) = self.descend(v, "data", Kind::Object, strict)? {
            return Ok(Hop::Nothing(end));
        }
        if let Hop::Nothing(end) = self.descend(v, "structData", Kind::Object, strict)? {
            return Ok(Hop::Nothing(end));
        }
        self.descend(v, "data", Kind::Array, strict)
    }

    /// Moves the response's root object `v` to its items array; `false`
    /// when there is none (no `data`, no `taskResult`, or null).
    pub fn items(&mut self, v: &mut Value<'_>, strict: bool) -> Result<bool, Error> {
        if let Hop::Nothing(_) = self.descend(v, "data", Kind::Object, strict)? {
            return Ok(false);
        }
        let hop = self.descend(v, "taskResult", Kind::Array, strict)?;
        Ok(matches!(hop, Hop::Node))
    }
}
