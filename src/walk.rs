//! The walk down the response's path to its image URLs, in one forward pass.
//!
//! The path (SPEC §3): `data` → `taskResult` (array) → each item →
//! `taskResult` → its `result` member if it has one, else itself → `data` →
//! `structData` → `data` (array of URL strings). Each hop may be inline or a
//! string holding JSON (read one level in, in place).
//!
//! Descending, the walker keeps a frame for every object it entered and every
//! run of embedding levels it went through. When an item's URLs end, it
//! climbs back out through those frames from where it stands — finishing each
//! object from the member it was in, closing each embedded text — so that it
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

#[derive(Clone, Copy, Debug)]
enum Frame<'a> {
    /// An object entered at one of its members.
    Object(Cursor<'a>),
    /// Text at level `inner` inside a string (inside strings...) at level
    /// `outer`.
    Embed { outer: u8, inner: u8 },
}

/// The frames to climb out through. Fixed size: the path is at most six
/// objects deep and each hop adds at most one embedding frame.
#[derive(Clone, Debug)]
pub(crate) struct Frames<'a> {
    frames: [Option<Frame<'a>>; 16],
    len: usize,
    /// An embedding frame is pushed: `climb` goes from there, so frames
    /// further in would never be read and are not pushed.
    sealed: bool,
}

impl<'a> Frames<'a> {
    pub fn new() -> Frames<'a> {
        Frames {
            frames: [None; 16],
            len: 0,
            sealed: false,
        }
    }

    #[inline(always)]
    fn push(&mut self, f: Frame<'a>) {
        if self.sealed {
            return;
        }
        // The path bounds the count; see the type's docs.
        if let Some(slot) = self.frames.get_mut(self.len) {
            *slot = Some(f);
            self.len += 1;
        }
    }

    pub fn clear(&mut self) {
        self.len = 0;
        self.sealed = false;
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
        let rd = v.reader();
        let outermost = self.frames[..self.len]
            .iter()
            .position(|f| matches!(f, Some(Frame::Embed { .. })));
        if let Some(i) = outermost {
            if let Some(Frame::Embed { outer, .. }) = self.frames[i] {
                end = rd.string_end(outer, end)?;
                self.len = i;
            }
        }
        while self.len > 0 {
            self.len -= 1;
            match self.frames[self.len].take() {
                Some(Frame::Object(mut cur)) => {
                    cur.resume(end);
                    end = cur.finish()?;
                }
                Some(Frame::Embed { outer, inner }) => end = rd.end_of_levels(outer, inner, end)?,
                None => {}
            }
        }
        self.sealed = false;
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
        if inner > outer {
            self.push(Frame::Embed { outer, inner });
            self.sealed = true;
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
        self.push(Frame::Object(cur));
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
        self.push(Frame::Object(cur));
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
                self.push(Frame::Object(cur));
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
