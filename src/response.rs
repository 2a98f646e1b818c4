//! The API view: the repair-results response, its items and their image URLs.

use std::borrow::Cow;
use std::fmt;
use std::iter::FusedIterator;

use crate::error::{Error, ErrorKind, Expected};
use crate::options::Options;
use crate::reader::Ch;
use crate::value::{Cursor, Kind, Value};
use crate::walk::{Frames, Hop};

/// The response of `POST/GET /ai/hand-foot/repair-results`, borrowed from the
/// input buffer `'a`.
///
/// [`parse`](Response::parse) only checks that the input starts with an
/// object; everything else is read when asked for, in place.
///
/// ```
/// let body = include_bytes!("../tests/fixtures/sample_response.json");
/// let response = handfoot::Response::parse(body)?;
/// let urls = response.image_urls().collect::<Result<Vec<_>, _>>()?;
/// assert_eq!(urls.len(), 4);
/// assert_eq!(response.task_status()?, Some(handfoot::TaskStatus::Finished));
/// # Ok::<(), handfoot::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Response<'a> {
    root: Value<'a>,
}

impl<'a> Response<'a> {
    /// Checks that `input` starts (after whitespace) with an object. O(1)
    /// beyond the leading whitespace.
    pub fn parse(input: &'a [u8]) -> Result<Response<'a>, Error> {
        Response::parse_with(input, Options::new())
    }

    /// [`parse`](Response::parse) under the given limits.
    pub fn parse_with(input: &'a [u8], opts: Options) -> Result<Response<'a>, Error> {
        let root = Value::from_slice_with(input, opts)?;
        let (c, _) = root.reader().read(0, root.offset())?;
        if c != Ch::Char(u32::from(b'{')) {
            return Err(Error::new(
                ErrorKind::Expected(Expected::ObjectStart),
                root.offset(),
                0,
            ));
        }
        Ok(Response { root })
    }

    /// The root object as a [`Value`], for anything this view does not name.
    pub fn value(&self) -> Value<'a> {
        self.root
    }

    /// Every image URL of every item, in document order. Lazy: each URL comes
    /// out after reading only what precedes it. Borrowed from the input
    /// whenever its bytes need no unescaping.
    pub fn image_urls(&self) -> ImageUrls<'a> {
        ImageUrls::new(self.root, true, false)
    }

    /// The items of `data.taskResult`, one [`TaskResult`] each (`null` items
    /// are passed over).
    pub fn results(&self) -> TaskResults<'a> {
        TaskResults {
            root: self.root,
            items: None,
            started: false,
            done: false,
        }
    }

    /// The strict mode: checks that the whole document is valid JSON, that
    /// every string the URL path unwraps holds valid JSON in full, and that
    /// the path's types are right. Accepts exactly what the multi-pass
    /// reference accepts.
    pub fn validate(&self) -> Result<(), Error> {
        self.root.validate()?;
        for url in ImageUrls::new(self.root, true, true) {
            url?;
        }
        Ok(())
    }

    /// `code`: the status code, `"0"` for success (a number is given as
    /// written).
    pub fn code(&self) -> Result<Option<Cow<'a, str>>, Error> {
        match self.root.get("code")? {
            Some(v) if v.kind()? == Kind::Number => v.number_str().map(Some),
            Some(v) => v.as_str().map(Some),
            None => Ok(None),
        }
    }

    /// `request_id`.
    pub fn request_id(&self) -> Result<Option<Cow<'a, str>>, Error> {
        string_member(&self.root, "request_id")
    }

    /// `_trace_id_`.
    pub fn trace_id(&self) -> Result<Option<Cow<'a, str>>, Error> {
        string_member(&self.root, "_trace_id_")
    }

    /// `data`, resolved to an object (read in place if it is a string
    /// holding JSON).
    pub fn data(&self) -> Result<Option<Value<'a>>, Error> {
        object_member(&self.root, "data")
    }

    /// `data.taskId`.
    pub fn task_id(&self) -> Result<Option<Cow<'a, str>>, Error> {
        match self.data()? {
            Some(d) => string_member(&d, "taskId"),
            None => Ok(None),
        }
    }

    /// `data.taskStatus`.
    pub fn task_status(&self) -> Result<Option<TaskStatus<'a>>, Error> {
        match self.data()? {
            Some(d) => Ok(string_member(&d, "taskStatus")?.map(TaskStatus::from)),
            None => Ok(None),
        }
    }
}

/// `obj[key]` as a string; `None` when absent or null.
fn string_member<'a>(obj: &Value<'a>, key: &str) -> Result<Option<Cow<'a, str>>, Error> {
    match obj.get(key)? {
        Some(v) if v.is_null()? => Ok(None),
        Some(v) => v.as_str().map(Some),
        None => Ok(None),
    }
}

/// `obj[key]` resolved to an object as the URL path resolves its hops.
fn object_member<'a>(obj: &Value<'a>, key: &str) -> Result<Option<Value<'a>>, Error> {
    match obj.get(key)? {
        Some(v) => resolve(v, Kind::Object),
        None => Ok(None),
    }
}

fn resolve<'a>(mut v: Value<'a>, want: Kind) -> Result<Option<Value<'a>>, Error> {
    Ok(match Frames::new().resolve(&mut v, want, false)? {
        Hop::Node => Some(v),
        Hop::Nothing(_) => None,
    })
}

/// The image URLs of a response or of one item, in document order. Returned
/// by [`Response::image_urls`] and [`TaskResult::image_urls`].
///
/// Each item is `Cow::Borrowed` when the URL's bytes stand as themselves in
/// the input. Stops after the first error.
#[derive(Clone, Debug)]
pub struct ImageUrls<'a> {
    root: Value<'a>,
    /// Walking a whole response (else one item).
    response: bool,
    strict: bool,
    started: bool,
    done: bool,
    items: Option<Cursor<'a>>,
    urls: Option<Cursor<'a>>,
    frames: Frames,
}

impl<'a> ImageUrls<'a> {
    fn new(root: Value<'a>, response: bool, strict: bool) -> ImageUrls<'a> {
        ImageUrls {
            root,
            response,
            strict,
            started: false,
            done: false,
            items: None,
            urls: None,
            frames: Frames::new(),
        }
    }

    fn step(&mut self) -> Result<Option<Cow<'a, str>>, Error> {
        if !self.started {
            self.started = true;
            if self.response {
                let mut items = self.root;
                if self.frames.items(&mut items, self.strict)? {
                    self.items = Some(Cursor::open(&items, false)?);
                }
                self.frames.clear();
            } else {
                let mut item = self.root;
                self.enter(&mut item)?;
            }
        }
        loop {
            if let Some(urls) = &mut self.urls {
                // The common URL: a string that stands as itself.
                if let Some(url) = urls.next_plain_str() {
                    return Ok(Some(Cow::Borrowed(url)));
                }
                match urls.next()? {
                    Some(entry) => {
                        let (url, end) = urls.value(&entry).str_and_end()?;
                        urls.resume(end);
                        return Ok(Some(url));
                    }
                    None => {
                        let end = urls.finish()?;
                        self.urls = None;
                        self.leave(end)?;
                    }
                }
                continue;
            }
            let Some(items) = &mut self.items else {
                return Ok(None);
            };
            let Some(entry) = items.next()? else {
                return Ok(None);
            };
            let mut item = self.root;
            items.point(&mut item, entry.value());
            self.enter(&mut item)?;
        }
    }

    /// Walks down from `item` to its URL array (moving `item` there).
    fn enter(&mut self, item: &mut Value<'a>) -> Result<(), Error> {
        self.frames.clear();
        if let Hop::Nothing(end) = self.frames.resolve(item, Kind::Object, self.strict)? {
            return self.leave(end);
        }
        match self.frames.url_array(item, self.strict)? {
            Hop::Node => {
                self.urls = Some(Cursor::open(item, false)?);
                Ok(())
            }
            Hop::Nothing(end) => self.leave(end),
        }
    }

    /// Climbs out of the current item from `end` and moves on to the next.
    fn leave(&mut self, end: usize) -> Result<(), Error> {
        match &mut self.items {
            Some(items) => {
                let end = self.frames.climb(end, &self.root)?;
                items.resume(end);
            }
            None => self.frames.clear(),
        }
        Ok(())
    }
}

impl<'a> Iterator for ImageUrls<'a> {
    type Item = Result<Cow<'a, str>, Error>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.step() {
            Ok(Some(url)) => Some(Ok(url)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            (0, Some(0))
        } else {
            // Every URL takes at least its two quotes.
            (0, Some(self.root.reader().buf.len() / 2))
        }
    }
}

impl FusedIterator for ImageUrls<'_> {}

/// The items of a response. Returned by [`Response::results`]; stops after
/// the first error.
#[derive(Clone, Debug)]
pub struct TaskResults<'a> {
    root: Value<'a>,
    items: Option<Cursor<'a>>,
    started: bool,
    done: bool,
}

impl<'a> TaskResults<'a> {
    fn step(&mut self) -> Result<Option<TaskResult<'a>>, Error> {
        if !self.started {
            self.started = true;
            let mut items = self.root;
            if Frames::new().items(&mut items, false)? {
                self.items = Some(Cursor::open(&items, false)?);
            }
        }
        let Some(items) = &mut self.items else {
            return Ok(None);
        };
        while let Some(entry) = items.next()? {
            if let Some(item) = resolve(items.value(&entry), Kind::Object)? {
                return Ok(Some(TaskResult { item }));
            }
        }
        Ok(None)
    }
}

impl<'a> Iterator for TaskResults<'a> {
    type Item = Result<TaskResult<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let r = self.step();
        if !matches!(r, Ok(Some(_))) {
            self.done = true;
        }
        r.transpose()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            (0, Some(0))
        } else {
            (0, Some(self.root.reader().buf.len() / 2))
        }
    }
}

impl FusedIterator for TaskResults<'_> {}

/// One item of `data.taskResult`: a sub-task and its result. Its accessors
/// read lazily, in place.
#[derive(Clone, Copy, Debug)]
pub struct TaskResult<'a> {
    item: Value<'a>,
}

impl<'a> TaskResult<'a> {
    /// The item object as a [`Value`].
    pub fn value(&self) -> Value<'a> {
        self.item
    }

    /// The item's `taskStatus`.
    pub fn task_status(&self) -> Result<Option<TaskStatus<'a>>, Error> {
        Ok(string_member(&self.item, "taskStatus")?.map(TaskStatus::from))
    }

    /// The item's `usage`.
    pub fn usage(&self) -> Result<Option<u64>, Error> {
        match self.item.get("usage")? {
            Some(v) if v.is_null()? => Ok(None),
            Some(v) => v.as_u64().map(Some),
            None => Ok(None),
        }
    }

    /// The item's `requestBizId`.
    pub fn request_biz_id(&self) -> Result<Option<Cow<'a, str>>, Error> {
        string_member(&self.item, "requestBizId")
    }

    /// The result object the URLs are in (level 2 in the observed shape):
    /// the item's `taskResult`, read in place, and in it the `result` member
    /// if it has one. `None` for an item still pending.
    pub fn result(&self) -> Result<Option<Value<'a>>, Error> {
        let mut v = self.item;
        Ok(match Frames::new().payload(&mut v, false)? {
            Hop::Node => Some(v),
            Hop::Nothing(_) => None,
        })
    }

    /// The usage map, read one level in: the item's `usageMap`, else the one
    /// beside `result` in its `taskResult`, else `data.usageMap` in the
    /// result object.
    pub fn usage_map(&self) -> Result<Option<Value<'a>>, Error> {
        if let Some(m) = object_member(&self.item, "usageMap")? {
            return Ok(Some(m));
        }
        if let Some(level1) = object_member(&self.item, "taskResult")? {
            if let Some(m) = object_member(&level1, "usageMap")? {
                return Ok(Some(m));
            }
        }
        match self.result()? {
            Some(r) => match object_member(&r, "data")? {
                Some(d) => object_member(&d, "usageMap"),
                None => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// `success` of the result object (or of its `data`, where the API
    /// reference's table puts it).
    pub fn success(&self) -> Result<Option<bool>, Error> {
        let Some(r) = self.result()? else {
            return Ok(None);
        };
        if let Some(v) = r.get("success")? {
            return v.as_bool().map(Some);
        }
        match object_member(&r, "data")? {
            Some(d) => match d.get("success")? {
                Some(v) => v.as_bool().map(Some),
                None => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// `requestId` of the result object.
    pub fn request_id(&self) -> Result<Option<Cow<'a, str>>, Error> {
        match self.result()? {
            Some(r) => string_member(&r, "requestId"),
            None => Ok(None),
        }
    }

    /// This item's image URLs, in document order.
    pub fn image_urls(&self) -> ImageUrls<'a> {
        ImageUrls::new(self.item, false, false)
    }
}

/// The status of a task, from a `taskStatus` string.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TaskStatus<'a> {
    /// `"pending"`: queued, not started.
    Pending,
    /// `"running"`: in progress.
    Running,
    /// `"finished"`: done; the results are there.
    Finished,
    /// `"failed"`: done without results.
    Failed,
    /// Any other value, as sent.
    Unknown(Cow<'a, str>),
}

impl<'a> TaskStatus<'a> {
    /// The status as the API writes it.
    pub fn as_str(&self) -> &str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::Running => "running",
            TaskStatus::Finished => "finished",
            TaskStatus::Failed => "failed",
            TaskStatus::Unknown(s) => s,
        }
    }

    /// Whether the task is over (finished or failed): asking again will not
    /// change its result.
    pub fn is_done(&self) -> bool {
        matches!(self, TaskStatus::Finished | TaskStatus::Failed)
    }
}

impl<'a> From<Cow<'a, str>> for TaskStatus<'a> {
    fn from(s: Cow<'a, str>) -> TaskStatus<'a> {
        match &*s {
            "pending" => TaskStatus::Pending,
            "running" => TaskStatus::Running,
            "finished" => TaskStatus::Finished,
            "failed" => TaskStatus::Failed,
            _ => TaskStatus::Unknown(s),
        }
    }
}

impl fmt::Display for TaskStatus<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The query: the body of `POST /ai/hand-foot/repair-results`.
///
/// ```
/// let body = handfoot::Request::new("06f836d7-b12c").to_json();
/// assert_eq!(body, r#"{"taskId":"06f836d7-b12c"}"#);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request<'t> {
    /// The task ID that the submit API returned.
    pub task_id: &'t str,
}

impl<'t> Request<'t> {
    /// A query for `task_id`.
    pub fn new(task_id: &'t str) -> Request<'t> {
        Request { task_id }
    }

    /// The JSON body, `{"taskId":"..."}`, with the ID escaped as JSON needs.
    pub fn to_json(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut id = String::new();
        crate::escape::write_str(&mut id, self.task_id);
        write!(f, "{{\"taskId\":{id}}}")
    }
}
