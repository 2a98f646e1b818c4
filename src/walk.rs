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
use crate::value::{Cursor, Kind, Value};

/// What resolving a hop found.
pub(crate) enum Hop<'a> {
    /// The object or array the path goes on in.
    Node(Value<'a>),
    /// Nothing to go on in (`null`, a pending item); the hop's value ends at
    /// this position (at the level of the value the hop started from, once
    /// the pushed frames are climbed).
    Nothing(usize),
}

/// What the walk climbs out through when an item's URLs end: the objects
/// it entered, each at the member it went into, up to the first string it
/// read as JSON, and that string's level. Nothing further in is kept: the
/// climb goes from the end of that string. Fixed size: the path is at most
/// six objects deep.
#[derive(Clone, Debug)]
pub(crate) struct Frames<'a> {
    objects: [Option<Cursor<'a>>; 8],
    len: usize,
    /// The level of the outermost string read as JSON, once there is one.
    embedded_in: Option<u8>,
}

impl<'a> Frames<'a> {
    pub fn new() -> Frames<'a> {
        Frames {
            objects: [None; 8],
            len: 0,
            embedded_in: None,
        }
    }

    #[inline(always)]
    fn push(&mut self, cur: Cursor<'a>) {
        if self.embedded_in.is_some() {
            return;
        }
        // The path bounds the count; see the type's docs.
        if let Some(slot) = self.objects.get_mut(self.len) {
            *slot = Some(cur);
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
    pub fn climb(&mut self, mut end: usize, v: &Value<'a>) -> Result<usize, Error> {
        if let Some(outer) = self.embedded_in.take() {
            end = v.reader().string_end(outer, end)?;
        }
        while self.len > 0 {
            self.len -= 1;
            if let Some(mut cur) = self.objects[self.len].take() {
                cur.resume(end);
                end = cur.finish()?;
            }
        }
        Ok(end)
    }

    /// Resolves `v` to a `want` (object or array): a string is read as the
    /// JSON it holds, again and again up to the level limit; `null` is
    /// nothing. With `strict`, each embedded text is validated in full first.
    #[inline(always)]
    pub fn resolve(&mut self, v: Value<'a>, want: Kind, strict: bool) -> Result<Hop<'a>, Error> {
        let outer = v.level();
        let mut v = v;
        loop {
            let kind = v.kind()?;
            if kind == want {
                break;
            }
            match kind {
                Kind::String => {
                    v = v.embedded()?;
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
        Ok(Hop::Node(v))
    }

    fn embed(&mut self, outer: u8, inner: u8) {
        if inner > outer && self.embedded_in.is_none() {
            self.embedded_in = Some(outer);
        }
    }

    /// Finds member `key` of the object `obj` and resolves it to a `want`.
    /// `Ok(Err(end))` when there is nothing there: no such member, or null;
    /// `end` is then where `obj` ends, once the frames pushed are climbed.
    #[inline(always)]
    pub fn descend(
        &mut self,
        obj: &Value<'a>,
        key: &str,
        want: Kind,
        strict: bool,
    ) -> Result<Result<Value<'a>, usize>, Error> {
        let mut cur = Cursor::open(obj, true)?;
        let Some(v) = cur.find(key)? else {
            return Ok(Err(cur.finish()?));
        };
        self.push(cur);
        Ok(match self.resolve(v, want, strict)? {
            Hop::Node(n) => Ok(n),
            Hop::Nothing(end) => Err(end),
        })
    }

    /// The level-2 object of an item object: its `taskResult`, and in that
    /// the `result` member if there is one. `Err(end)` for a pending item.
    pub fn payload(
        &mut self,
        item: &Value<'a>,
        strict: bool,
    ) -> Result<Result<Value<'a>, usize>, Error> {
        let mut cur = Cursor::open(item, true)?;
        let Some(tr) = cur.find("taskResult")? else {
            return Ok(Err(cur.finish()?));
        };
        self.push(cur);
        if let Some(end) = tr.empty_str_end()? {
            return Ok(Err(end));
        }
        let level1 = match self.resolve(tr, Kind::Object, strict)? {
            Hop::Node(n) => n,
            Hop::Nothing(end) => return Ok(Err(end)),
        };
        let mut cur = Cursor::open(&level1, true)?;
        match cur.find("result")? {
            Some(r) => {
                self.push(cur);
                Ok(match self.resolve(r, Kind::Object, strict)? {
                    Hop::Node(n) => Ok(n),
                    Hop::Nothing(end) => Err(end),
                })
            }
            // The documented shape: level 1 is the object itself.
            None => Ok(Ok(level1)),
        }
    }

    /// The URL array of an item object, or `Err(end)` when it has none.
    pub fn url_array(
        &mut self,
        item: &Value<'a>,
        strict: bool,
    ) -> Result<Result<Value<'a>, usize>, Error> {
        let payload = match self.payload(item, strict)? {
            Ok(p) => p,
            Err(end) => return Ok(Err(end)),
        };
        let data = match self.descend(&payload, "data", Kind::Object, strict)? {
            Ok(d) => d,
            Err(end) => return Ok(Err(end)),
        };
        let sd = match self.descend(&data, "structData", Kind::Object, strict)? {
            Ok(d) => d,
            Err(end) => return Ok(Err(end)),
        };
        self.descend(&sd, "data", Kind::Array, strict)
    }

    /// The items array of the response's root object, or `None` when there
    /// is none (no `data`, no `taskResult`, or null).
    pub fn items(&mut self, root: &Value<'a>, strict: bool) -> Result<Option<Value<'a>>, Error> {
        let data = match self.descend(root, "data", Kind::Object, strict)? {
            Ok(d) => d,
            Err(_) => return Ok(None),
        };
        Ok(self.descend(&data, "taskResult", Kind::Array, strict)?.ok())
    }
}
