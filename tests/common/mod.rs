//! Test-only code shared by the integration tests: the multi-pass reference
//! decode of SPEC §3 (serde_json, first key wins), a JSON value type that
//! keeps key order and duplicates, and encoders in the styles of real JSON
//! libraries (SPEC §2).

#![allow(dead_code)]

pub mod fixtures;
pub mod gen;

use std::fmt;
use std::path::PathBuf;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value that keeps member order and duplicate keys.
#[derive(Clone, Debug, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    /// The number as serde_json read it (so range checks are serde_json's),
    /// and the text to write it back with.
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = J;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<J, E> {
                Ok(J::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<J, E> {
                Ok(J::Bool(b))
            }
            fn visit_u64<E>(self, n: u64) -> Result<J, E> {
                Ok(J::Num(n.to_string()))
            }
            fn visit_i64<E>(self, n: i64) -> Result<J, E> {
                Ok(J::Num(n.to_string()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<J, E> {
                Ok(J::Num(format!("{n:?}")))
            }
            fn visit_str<E>(self, s: &str) -> Result<J, E> {
                Ok(J::Str(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<J, E> {
                Ok(J::Str(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(J::Arr(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut v = Vec::new();
                while let Some((k, x)) = a.next_entry::<String, J>()? {
                    v.push((k, x));
                }
                Ok(J::Obj(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl J {
    pub fn parse(text: &[u8]) -> Result<J, String> {
        serde_json::from_slice(text).map_err(|e| e.to_string())
    }

    /// The first member named `key`.
    pub fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn obj(members: Vec<(&str, J)>) -> J {
        J::Obj(
            members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    pub fn s(s: &str) -> J {
        J::Str(s.to_owned())
    }

    pub fn n(n: i64) -> J {
        J::Num(n.to_string())
    }
}

/// The reference's embedding limit, as the crate's default.
pub const MAX_LEVEL: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Object,
    Array,
}

/// Resolves a hop: null is nothing, a string is parsed and used instead
/// (repeatedly, up to the limit), a value of the wrong kind is an error.
fn node(v: &J, want: Want, level: &mut usize) -> Result<Option<J>, String> {
    let mut v = v.clone();
    loop {
        match (&v, want) {
            (J::Null, _) => return Ok(None),
            (J::Obj(_), Want::Object) | (J::Arr(_), Want::Array) => return Ok(Some(v)),
            (J::Str(s), _) => {
                *level += 1;
                if *level > MAX_LEVEL {
                    return Err("level limit".into());
                }
                v = J::parse(s.as_bytes())?;
            }
            _ => return Err(format!("wrong type: {v:?}")),
        }
    }
}

fn member(v: &J, key: &str, want: Want, level: usize) -> Result<Option<(J, usize)>, String> {
    let mut level = level;
    match v.get(key) {
        None => Ok(None),
        Some(x) => Ok(node(x, want, &mut level)?.map(|n| (n, level))),
    }
}

/// The multi-pass reference of SPEC §3: the URLs of each item (null items
/// left out), or an error.
pub fn reference_items(input: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let root = J::parse(input)?;
    if !matches!(root, J::Obj(_)) {
        return Err("root is not an object".into());
    }
    let Some((data, l)) = member(&root, "data", Want::Object, 0)? else {
        return Ok(vec![]);
    };
    let Some((items, l)) = member(&data, "taskResult", Want::Array, l)? else {
        return Ok(vec![]);
    };
    let J::Arr(items) = items else { unreachable!() };
    let mut out = Vec::new();
    for item in &items {
        let mut il = l;
        let Some(item) = node(item, Want::Object, &mut il)? else {
            continue;
        };
        out.push(item_urls(&item, il)?);
    }
    Ok(out)
}

fn item_urls(item: &J, l: usize) -> Result<Vec<String>, String> {
    let tr = match item.get("taskResult") {
        None | Some(J::Null) => return Ok(vec![]),
        Some(J::Str(s)) if s.is_empty() => return Ok(vec![]),
        Some(_) => member(item, "taskResult", Want::Object, l)?,
    };
    let Some((level1, l)) = tr else {
        return Ok(vec![]);
    };
    let (payload, l) = if level1.get("result").is_some() {
        match member(&level1, "result", Want::Object, l)? {
            Some(p) => p,
            None => return Ok(vec![]),
        }
    } else {
        (level1, l)
    };
    let Some((data, l)) = member(&payload, "data", Want::Object, l)? else {
        return Ok(vec![]);
    };
    let Some((sd, l)) = member(&data, "structData", Want::Object, l)? else {
        return Ok(vec![]);
    };
    let Some((urls, _)) = member(&sd, "data", Want::Array, l)? else {
        return Ok(vec![]);
    };
    let J::Arr(urls) = urls else { unreachable!() };
    urls.into_iter()
        .map(|u| match u {
            J::Str(s) => Ok(s),
            other => Err(format!("URL is not a string: {other:?}")),
        })
        .collect()
}

/// All URLs, items in order.
pub fn reference(input: &[u8]) -> Result<Vec<String>, String> {
    reference_items(input).map(|v| v.concat())
}

/// What handfoot's lazy walk yields: the URLs before the first error, and
/// that error.
pub fn lazy(input: &[u8]) -> (Vec<String>, Option<handfoot::Error>) {
    let mut urls = Vec::new();
    let r = match handfoot::Response::parse(input) {
        Ok(r) => r,
        Err(e) => return (urls, Some(e)),
    };
    for u in r.image_urls() {
        match u {
            Ok(u) => urls.push(u.into_owned()),
            Err(e) => return (urls, Some(e)),
        }
    }
    (urls, None)
}

/// handfoot's strict decode: validate, then the URLs.
pub fn strict(input: &[u8]) -> Result<Vec<String>, handfoot::Error> {
    let r = handfoot::Response::parse(input)?;
    r.validate()?;
    r.image_urls().map(|u| u.map(|u| u.into_owned())).collect()
}

/// handfoot item by item through `results()`.
pub fn by_items(input: &[u8]) -> Result<Vec<Vec<String>>, handfoot::Error> {
    let r = handfoot::Response::parse(input)?;
    let mut out = Vec::new();
    for item in r.results() {
        let item = item?;
        out.push(
            item.image_urls()
                .map(|u| u.map(|u| u.into_owned()))
                .collect::<Result<_, _>>()?,
        );
    }
    Ok(out)
}

/// Checks every decode path against the reference on one input the
/// reference accepts; returns the URLs.
pub fn assert_agrees(input: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(input);
    let want = reference_items(input).unwrap_or_else(|e| panic!("reference rejects: {e}\n{text}"));
    let flat = want.concat();
    let (lazy_urls, err) = lazy(input);
    assert_eq!(err, None, "lazy errs on {text}");
    assert_eq!(lazy_urls, flat, "lazy URLs differ on {text}");
    assert_eq!(strict(input), Ok(flat.clone()), "strict differs on {text}");
    assert_eq!(by_items(input), Ok(want), "results() differs on {text}");
    flat
}

/// How an encoder writes JSON text (SPEC §2's table).
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub name: &'static str,
    /// Indentation for pretty printing (`None`: compact).
    pub indent: Option<&'static str>,
    /// Space after `:` and `,` (Python's default separators).
    pub spaced: bool,
    /// Random whitespace between tokens, from this seed.
    pub random_ws: Option<u64>,
    /// `/` as `\/` (PHP).
    pub solidus: bool,
    /// `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes (Go).
    pub html: bool,
    /// Upper-case hex digits in `\u` escapes.
    pub upper: bool,
    /// Non-ASCII as `\u` escapes, surrogate pairs beyond the BMP (Python,
    /// PHP).
    pub ascii: bool,
    /// Every character of every string as a `\u` escape.
    pub every: bool,
    /// The first character of every key as a `\u` escape (`"d\u0061ta"`).
    pub esc_keys: bool,
}

pub const COMPACT: Style = Style {
    name: "compact",
    indent: None,
    spaced: false,
    random_ws: None,
    solidus: false,
    html: false,
    upper: false,
    ascii: false,
    every: false,
    esc_keys: false,
};

/// One style per row of SPEC §2's table, and the common defaults.
pub const STYLES: &[Style] = &[
    COMPACT,
    Style {
        name: "pretty",
        indent: Some("    "),
        ..COMPACT
    },
    Style {
        name: "pretty-tab",
        indent: Some("\t"),
        ..COMPACT
    },
    Style {
        name: "python",
        spaced: true,
        ascii: true,
        ..COMPACT
    },
    Style {
        name: "php",
        solidus: true,
        ascii: true,
        ..COMPACT
    },
    Style {
        name: "go",
        html: true,
        ..COMPACT
    },
    Style {
        name: "jackson-upper",
        upper: true,
        ascii: true,
        ..COMPACT
    },
    Style {
        name: "random-ws",
        random_ws: Some(7),
        ..COMPACT
    },
    Style {
        name: "every-char",
        every: true,
        ..COMPACT
    },
    Style {
        name: "escaped-keys",
        esc_keys: true,
        spaced: true,
        ..COMPACT
    },
    Style {
        name: "every-char-pretty",
        every: true,
        indent: Some("  "),
        upper: true,
        ..COMPACT
    },
];

pub fn style(name: &str) -> Style {
    *STYLES.iter().find(|s| s.name == name).expect("style")
}

struct Writer {
    out: String,
    style: Style,
    rng: u64,
}

impl Writer {
    fn ws(&mut self) {
        if self.style.random_ws.is_some() {
            loop {
                self.rng = self
                    .rng
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let r = (self.rng >> 33) % 6;
                if r >= 4 {
                    break;
                }
                self.out.push([' ', '\t', '\r', '\n'][r as usize]);
            }
        }
    }

    fn newline(&mut self, depth: usize) {
        if let Some(ind) = self.style.indent {
            self.out.push('\n');
            for _ in 0..depth {
                self.out.push_str(ind);
            }
        }
    }

    fn hex(&mut self, cu: u32) {
        if self.style.upper {
            self.out.push_str(&format!("\\u{cu:04X}"));
        } else {
            self.out.push_str(&format!("\\u{cu:04x}"));
        }
    }

    fn char_escaped(&mut self, c: char) {
        let mut buf = [0u16; 2];
        for cu in c.encode_utf16(&mut buf) {
            self.hex(u32::from(*cu));
        }
    }

    fn string(&mut self, s: &str) {
        self.string_with(s, false)
    }

    fn string_with(&mut self, s: &str, esc_first: bool) {
        self.out.push('"');
        for (i, c) in s.chars().enumerate() {
            let st = self.style;
            if st.every || (esc_first && i == 0) {
                self.char_escaped(c);
                continue;
            }
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '/' if st.solidus => self.out.push_str("\\/"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                c if (c as u32) < 0x20 => self.hex(c as u32),
                '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if st.html => self.char_escaped(c),
                c if !c.is_ascii() && st.ascii => self.char_escaped(c),
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    /// Before the `i`th element or member of a container at `depth`.
    fn separator(&mut self, i: usize, depth: usize) {
        if i > 0 {
            self.out.push(',');
            if self.style.spaced && self.style.indent.is_none() {
                self.out.push(' ');
            }
        }
        self.newline(depth + 1);
        self.ws();
    }

    fn value(&mut self, v: &J, depth: usize) {
        match v {
            J::Null => self.out.push_str("null"),
            J::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => self.out.push_str(n),
            J::Str(s) => self.string(s),
            J::Arr(a) => {
                self.out.push('[');
                for (i, x) in a.iter().enumerate() {
                    self.separator(i, depth);
                    self.value(x, depth + 1);
                    self.ws();
                }
                if !a.is_empty() {
                    self.newline(depth);
                }
                self.out.push(']');
            }
            J::Obj(m) => {
                self.out.push('{');
                for (i, (k, x)) in m.iter().enumerate() {
                    self.separator(i, depth);
                    self.string_with(k, self.style.esc_keys);
                    self.ws();
                    self.out.push(':');
                    if self.style.spaced || self.style.indent.is_some() {
                        self.out.push(' ');
                    }
                    self.ws();
                    self.value(x, depth + 1);
                    self.ws();
                }
                if !m.is_empty() {
                    self.newline(depth);
                }
                self.out.push('}');
            }
        }
    }
}

/// `v` written as JSON text in `style`.
pub fn encode(v: &J, style: Style) -> String {
    let mut w = Writer {
        out: String::new(),
        style,
        rng: style.random_ws.unwrap_or(0),
    };
    w.ws();
    w.value(v, 0);
    w.ws();
    w.out
}

/// The folder of JSONTestSuite's `test_parsing` files: `$JSONTESTSUITE_DIR`,
/// or `../shared/jsontestsuite/test_parsing` beside the repository. `None`
/// when missing, which fails the caller under `CI`.
pub fn jsontestsuite_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("JSONTESTSUITE_DIR") {
        Some(d) => PathBuf::from(d),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/jsontestsuite/test_parsing")
        }
    };
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "JSONTestSuite not found at {} (set JSONTESTSUITE_DIR); CI must not skip it",
            dir.display()
        );
    }
    eprintln!("skipping: JSONTestSuite not found at {}", dir.display());
    None
}

/// The sample response.
pub const SAMPLE: &[u8] = include_bytes!("../fixtures/sample_response.json");

/// Whether `c` stands as itself in a string written in `style`.
pub fn stands(c: char, style: &Style) -> bool {
    !(style.every
        || matches!(c, '"' | '\\')
        || (c as u32) < 0x20
        || (c == '/' && style.solidus)
        || (matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') && style.html)
        || (!c.is_ascii() && style.ascii))
}

/// How a response is laid out: which hops are strings holding JSON.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    /// Level 1 as the sample sends it (`{"result": "<level 2>", ...}`), else
    /// as the API reference documents it (level 2 directly).
    pub observed: bool,
    /// The item's `taskResult` is a string (else an inline object).
    pub tr_string: bool,
    /// `result` is a string (else inline).
    pub result_string: bool,
    /// `structData` is a string holding JSON (one more level).
    pub sd_string: bool,
}

pub const OBSERVED: Layout = Layout {
    observed: true,
    tr_string: true,
    result_string: true,
    sd_string: false,
};

/// A response with one item per entry of `items` (`None`: a pending item),
/// laid out as `layout`, each level written in its own style: `styles[0]`
/// for the buffer, `styles[1]` for level 1, and so on.
pub fn build(items: &[Option<Vec<String>>], layout: Layout, styles: [Style; 4]) -> Vec<u8> {
    let usage_map = |s: Style| J::Str(encode(&J::obj(vec![("usage", J::n(4))]), s));
    let items: Vec<J> = items
        .iter()
        .map(|urls| {
            let Some(urls) = urls else {
                return J::obj(vec![
                    ("usage", J::n(0)),
                    ("requestBizId", J::s("")),
                    ("taskStatus", J::s("running")),
                    ("taskResult", J::s("")),
                ]);
            };
            let sd = J::obj(vec![
                ("code", J::s("200")),
                ("data", J::Arr(urls.iter().map(|u| J::s(u)).collect())),
                ("message", J::s("success")),
                ("usageMap", usage_map(styles[3])),
            ]);
            let sd = if layout.sd_string {
                J::Str(encode(&sd, styles[3]))
            } else {
                sd
            };
            let level2 = J::obj(vec![
                (
                    "data",
                    J::obj(vec![
                        ("message", J::Arr(vec![])),
                        ("usageMap", usage_map(styles[3])),
                        ("structData", sd),
                    ]),
                ),
                ("success", J::Bool(true)),
                ("requestId", J::s("21011ad517569586762002055d1020")),
            ]);
            let level1 = if layout.observed {
                let result = if layout.result_string {
                    J::Str(encode(&level2, styles[2]))
                } else {
                    level2
                };
                J::obj(vec![
                    ("result", result),
                    ("usage", J::n(1)),
                    ("usageMap", usage_map(styles[2])),
                ])
            } else {
                level2
            };
            let tr = if layout.tr_string {
                J::Str(encode(&level1, styles[1]))
            } else {
                level1
            };
            J::obj(vec![
                ("usage", J::n(1)),
                ("requestBizId", J::s("")),
                ("taskStatus", J::s("finished")),
                ("taskResult", tr),
            ])
        })
        .collect();
    let root = J::obj(vec![
        (
            "data",
            J::obj(vec![
                ("usage", J::n(0)),
                ("taskId", J::s("06f836d7-b12c-4686-a87b-0966fc4a2d7d")),
                ("taskStatus", J::s("finished")),
                ("taskResult", J::Arr(items)),
            ]),
        ),
        ("code", J::s("0")),
        ("request_id", J::s("2102e47617569586773697613")),
        ("_trace_id_", J::s("21059dbe17569586772376150e66db")),
    ]);
    encode(&root, styles[0]).into_bytes()
}

/// Whether serde_json accepts `bytes` as one JSON text when it reads it as
/// a value, as the reference does (`IgnoredAny` would let out-of-range
/// numbers and deeper nesting through).
pub fn serde_accepts(bytes: &[u8]) -> bool {
    J::parse(bytes).is_ok()
}

/// `text` embedded once per style, innermost first: the result is a JSON
/// text at level 0 whose string, read `styles.len()` levels in, is `text`.
pub fn embed_in(text: &str, styles: &[Style]) -> String {
    let mut t = text.to_owned();
    for s in styles {
        t = encode(&J::Str(t), *s);
    }
    t
}

/// Checks every decode path of the response view against the reference on
/// any input: same URLs and no error when the reference accepts, a strict
/// error when it rejects, error offsets inside the input. Panics on a
/// disagreement.
pub fn check_response(input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    let want = reference_items(input);
    let (lazy_urls, lazy_err) = lazy(input);
    let strict_r = strict(input);
    let items = by_items(input);
    for e in [
        lazy_err.clone(),
        strict_r.clone().err(),
        items.clone().err(),
    ]
    .into_iter()
    .flatten()
    {
        assert!(
            e.offset() <= input.len(),
            "offset {e:?} past the end of {text}"
        );
    }
    match want {
        Ok(items_want) => {
            let flat = items_want.concat();
            assert_eq!(
                lazy_err, None,
                "lazy errs where the reference accepts: {text}"
            );
            assert_eq!(lazy_urls, flat, "lazy URLs differ on {text}");
            assert_eq!(strict_r, Ok(flat), "strict differs on {text}");
            assert_eq!(items, Ok(items_want), "results() differs on {text}");
        }
        Err(why) => {
            assert!(
                strict_r.is_err(),
                "validate() accepts what the reference rejects ({why}): {text}"
            );
        }
    }
}

/// Whether a handfoot [`Value`](handfoot::Value) reads as the JSON value
/// `j`: same kind, same strings, same numbers, members in order.
pub fn same(v: handfoot::Value<'_>, j: &J) -> Result<(), String> {
    use handfoot::Kind;
    let kind = v.kind().map_err(|e| e.to_string())?;
    let err = |e: handfoot::Error| e.to_string();
    match (kind, j) {
        (Kind::Null, J::Null) => Ok(()),
        (Kind::Bool, J::Bool(b)) if v.as_bool().map_err(err)? == *b => Ok(()),
        (Kind::Number, J::Num(n)) => {
            let got = v.as_f64().map_err(err)?;
            let want: f64 = n.parse().map_err(|_| format!("bad reference number {n}"))?;
            if got == want {
                Ok(())
            } else {
                Err(format!("number {got} != {want}"))
            }
        }
        (Kind::String, J::Str(s)) => {
            let got = v.as_str().map_err(err)?;
            if got == s.as_str() {
                Ok(())
            } else {
                Err(format!("string {got:?} != {s:?}"))
            }
        }
        (Kind::Array, J::Arr(a)) => {
            let mut n = 0;
            for (x, y) in v.elements().zip(a.iter()) {
                same(x.map_err(err)?, y)?;
                n += 1;
            }
            let got = v.elements().count();
            if n == a.len() && got == a.len() {
                Ok(())
            } else {
                Err(format!("{got} elements, want {}", a.len()))
            }
        }
        (Kind::Object, J::Obj(m)) => {
            let mut n = 0;
            for (x, (k, y)) in v.members().zip(m.iter()) {
                let (key, x) = x.map_err(err)?;
                if key != k.as_str() {
                    return Err(format!("key {key:?} != {k:?}"));
                }
                same(x, y)?;
                n += 1;
            }
            let got = v.members().count();
            if n != m.len() || got != m.len() {
                return Err(format!("{got} members, want {}", m.len()));
            }
            // get() is first-key-wins.
            for (k, _) in m {
                let first = j.get(k).expect("key");
                let x = v
                    .get(k)
                    .map_err(err)?
                    .ok_or(format!("get({k:?}) is None"))?;
                same(x, first)?;
            }
            Ok(())
        }
        (k, j) => Err(format!("kind {k:?} for {j:?}")),
    }
}

/// Checks a [`Value`](handfoot::Value) on any input against serde_json:
/// `validate()` accepts exactly what serde_json accepts, a valid value
/// reads the same, and every string that holds JSON reads the same one
/// level in. Visits at most `budget` values.
pub fn check_value(input: &[u8], budget: usize) {
    let text = String::from_utf8_lossy(input);
    let v = match handfoot::Value::from_slice(input) {
        Ok(v) => v,
        Err(e) => {
            assert!(
                !serde_accepts(input),
                "from_slice rejects valid {text}: {e}"
            );
            return;
        }
    };
    let ok = v.validate();
    assert_eq!(
        ok.is_ok(),
        serde_accepts(input),
        "validate() says {ok:?} on {text}"
    );
    if ok.is_ok() {
        let j = J::parse(input).expect("serde_json accepts");
        if let Err(e) = same(v, &j) {
            panic!("Value differs from serde_json ({e}) on {text}");
        }
    }
    check_deserialize(v, input);
    let mut budget = budget;
    explore(v, &mut budget);
}

/// `get` is the first member of that name as `members()` reads them, on
/// any input: the byte loop behind `get` and the general step agree,
/// errors included (what and where). Its first keys and one absent.
pub fn check_get(v: handfoot::Value<'_>) {
    let keys: Vec<String> = v
        .members()
        .take(8)
        .map_while(|m| m.ok().map(|(k, _)| k.into_owned()))
        .collect();
    for key in keys.iter().map(String::as_str).chain(["\u{1}absent"]) {
        let naive = v
            .members()
            .find_map(|m| match m {
                Ok((k, x)) if k == key => Some(Ok(Some(x.offset()))),
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .unwrap_or(Ok(None));
        let got = v.get(key).map(|x| x.map(|x| x.offset()));
        let what =
            |r: Result<Option<usize>, handfoot::Error>| r.map_err(|e| (e.kind(), e.offset()));
        assert_eq!(
            what(got),
            what(naive),
            "get({key:?}) on {:?}",
            String::from_utf8_lossy(v.raw())
        );
    }
}

/// Walks `v` through every accessor, checking each string's embedded level
/// against serde_json on its unescaped text.
fn explore(v: handfoot::Value<'_>, budget: &mut usize) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    let _ = v.raw();
    let _ = v.number_str();
    let _ = v.as_bool();
    check_get(v);
    for m in v.members() {
        let Ok((_, x)) = m else { break };
        explore(x, budget);
    }
    for x in v.elements() {
        let Ok(x) = x else { break };
        explore(x, budget);
    }
    let Ok(s) = v.as_str() else { return };
    let inner = match v.embedded() {
        Ok(inner) => inner,
        Err(e) => {
            assert!(
                e.kind() == handfoot::ErrorKind::LevelLimit || !serde_accepts(s.as_bytes()),
                "embedded() rejects valid {s:?}: {e}"
            );
            return;
        }
    };
    let ok = inner.validate();
    assert_eq!(
        ok.is_ok(),
        serde_accepts(s.as_bytes()),
        "embedded validate() says {ok:?} on {s:?}"
    );
    if ok.is_ok() {
        let j = J::parse(s.as_bytes()).expect("serde_json accepts");
        if let Err(e) = same(inner, &j) {
            panic!("embedded Value differs ({e}) on {s:?}");
        }
    }
    check_deserialize(inner, s.as_bytes());
    explore(inner, budget);
}

/// A hop of SPEC §3 through the public `Value` API: strings are opened,
/// `null` is nothing.
fn resolve(v: handfoot::Value<'_>) -> Result<Option<handfoot::Value<'_>>, handfoot::Error> {
    let mut v = v;
    loop {
        match v.kind()? {
            handfoot::Kind::String => v = v.embedded()?,
            handfoot::Kind::Null => return Ok(None),
            _ => return Ok(Some(v)),
        }
    }
}

/// Every URL as a `Value`, found through `results()` and the `Value` API,
/// with the URL handed out by `image_urls()` beside it.
pub fn url_values(
    input: &[u8],
) -> Result<Vec<(handfoot::Value<'_>, std::borrow::Cow<'_, str>)>, handfoot::Error> {
    let r = handfoot::Response::parse(input)?;
    let mut values = Vec::new();
    for item in r.results() {
        let Some(mut v) = item?.result()? else {
            continue;
        };
        for key in ["data", "structData", "data"] {
            match v.get(key)?.map(resolve).transpose()?.flatten() {
                Some(x) => v = x,
                None => break,
            }
        }
        if v.kind()? == handfoot::Kind::Array {
            for u in v.elements() {
                values.push(u?);
            }
        }
    }
    let urls: Vec<_> = r.image_urls().collect::<Result<_, _>>()?;
    assert_eq!(
        values.len(),
        urls.len(),
        "results() and image_urls() disagree"
    );
    Ok(values.into_iter().zip(urls).collect())
}

/// Checks that every URL whose bytes stand as themselves in the buffer (no
/// backslash between its quotes) comes out borrowed from the input, and
/// that a borrowed URL is a slice of it.
pub fn check_borrowing(input: &[u8]) {
    let range = input.as_ptr_range();
    for (v, u) in url_values(input).expect("valid response") {
        let raw = v.raw();
        let mut quote = vec![b'\\'; handfoot::escape::quote_run(v.level())];
        quote.push(b'"');
        // Quotes written in another escape form (`\u0022`) are not looked at.
        let standard =
            raw.len() >= 2 * quote.len() && raw.starts_with(&quote) && raw.ends_with(&quote);
        let content = standard.then(|| &raw[quote.len()..raw.len() - quote.len()]);
        match &u {
            std::borrow::Cow::Borrowed(s) => {
                assert!(range.contains(&s.as_ptr()) || s.is_empty());
                if let Some(content) = content {
                    assert_eq!(s.as_bytes(), content, "borrowed URL is not its bytes");
                }
            }
            std::borrow::Cow::Owned(s) => {
                if let Some(content) = content {
                    assert!(
                        content.contains(&b'\\'),
                        "URL {s:?} copied though its bytes stand as themselves"
                    );
                }
            }
        }
    }
}

/// The text inside `text`, strings holding JSON opened by serde_json one
/// at a time until what is inside is not one: the reference for
/// `handfoot::Resolved`. `None` when a level is not JSON.
pub fn opened(text: &[u8]) -> Option<Vec<u8>> {
    let mut t = text.to_vec();
    loop {
        match J::parse(&t).ok()? {
            J::Str(s) => t = s.into_bytes(),
            _ => return Some(t),
        }
    }
}

/// `Value::deserialize` into a value type agrees with serde_json on the
/// same text: same value, or both refuse.
#[cfg(feature = "serde")]
pub fn check_deserialize(v: handfoot::Value<'_>, text: &[u8]) {
    let ours = v.deserialize::<J>();
    let theirs = J::parse(text);
    match (ours, theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", String::from_utf8_lossy(text)),
        (Err(_), Err(_)) => {}
        (a, b) => panic!(
            "deserialize {a:?} but serde_json {b:?} on {}",
            String::from_utf8_lossy(text)
        ),
    }
    // Through `Resolved`: strings holding JSON opened until what is inside
    // is not one, as serde_json opens them one at a time.
    let ours = v.deserialize::<handfoot::Resolved<J>>();
    let theirs = opened(text).map(|t| J::parse(&t).expect("opened parses"));
    match (ours, theirs) {
        (Ok(a), Some(b)) => assert_eq!(a.0, b, "{}", String::from_utf8_lossy(text)),
        (Err(_), None) => {}
        (Err(e), Some(_)) if e.kind() == handfoot::ErrorKind::LevelLimit => {}
        (a, b) => panic!(
            "Resolved {a:?} but serde_json {b:?} on {}",
            String::from_utf8_lossy(text)
        ),
    }
}

/// The model read straight (`Response::from_value`, an item's levels) and
/// through serde's visitors (`Value::deserialize`) give the same results,
/// errors included.
#[cfg(feature = "serde")]
pub fn check_model(input: &[u8]) {
    use handfoot::model;
    let Ok(v) = handfoot::Value::from_slice(input) else {
        return;
    };
    let text = String::from_utf8_lossy(input);
    let fast = model::Response::from_value(v);
    let slow = v.deserialize::<model::Response>();
    assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text}");
    let Ok(r) = fast else { return };
    for item in r.data.and_then(|d| d.task_result).unwrap_or_default() {
        let Some(e) = item.task_result else {
            continue;
        };
        let m = e.member();
        if m.is_null().unwrap() || m.as_str().is_ok_and(|s| s.is_empty()) {
            continue;
        }
        // Level 1, and level 2 as `Item::level2` finds it, through serde.
        let slow1 = e.deserialize::<model::Level1>();
        assert_eq!(
            format!("{:?}", item.level1().map(Option::unwrap)),
            format!("{slow1:?}"),
            "{text}"
        );
        let slow2 = e.value().and_then(|level1| match level1.get("result")? {
            Some(r) if r.is_null()? => Ok(None),
            Some(r) => {
                let r = if r.kind()? == handfoot::Kind::String {
                    r.embedded()?
                } else {
                    r
                };
                r.deserialize::<model::Level2>().map(Some)
            }
            None => level1.deserialize::<model::Level2>().map(Some),
        });
        assert_eq!(
            format!("{:?}", item.level2()),
            format!("{slow2:?}"),
            "{text}"
        );
    }
}

#[cfg(not(feature = "serde"))]
pub fn check_deserialize(_: handfoot::Value<'_>, _: &[u8]) {}
