//! Generators of responses and JSON values, driven by a sequence of choice
//! bytes. The same generator serves proptest (which shrinks the bytes, and
//! a zero byte always means the simplest choice) and the fuzz targets (which
//! mutate them), so both reach deep levels instead of dying at level 0.

use super::{encode, Style, COMPACT, J, STYLES};

/// A sequence of choices; exhausted, every choice is the simplest one.
pub struct Choices<'c> {
    bytes: &'c [u8],
    pos: usize,
}

impl<'c> Choices<'c> {
    pub fn new(bytes: &'c [u8]) -> Choices<'c> {
        Choices { bytes, pos: 0 }
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        match n {
            0 | 1 => 0,
            2..=256 => self.byte() as usize % n,
            _ => (usize::from(self.byte()) << 8 | usize::from(self.byte())) % n,
        }
    }

    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// True about one time in eight.
    pub fn rare(&mut self) -> bool {
        self.byte() >= 224
    }

    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }

    /// A count: usually below `small`, now and then below `large`.
    pub fn count(&mut self, small: usize, large: usize) -> usize {
        if self.rare() {
            self.below(large + 1)
        } else {
            self.below(small + 1)
        }
    }

    /// What is left, for a generator of raw bytes.
    pub fn rest(&self) -> &'c [u8] {
        &self.bytes[self.pos.min(self.bytes.len())..]
    }
}

/// An encoder style: one of the named ones, or any mix of their quirks.
pub fn style(c: &mut Choices) -> Style {
    if !c.flag() {
        return c.pick(STYLES);
    }
    Style {
        name: "mixed",
        indent: c.pick(&[None, Some("  "), Some("\t"), Some("    ")]),
        spaced: c.flag(),
        random_ws: if c.rare() {
            Some(u64::from(c.byte()) + 1)
        } else {
            None
        },
        solidus: c.flag(),
        html: c.flag(),
        upper: c.flag(),
        ascii: c.flag(),
        every: c.rare(),
        esc_keys: c.rare(),
    }
}

const PIECES: &[&str] = &[
    "https://img.example.com/",
    "repair/2026/a_b-c.png",
    "?x=1&y=2#f",
    "é",
    "中文",
    "😀",
    "\"",
    "\\",
    "\n\t\u{0}\u{1f}\u{7f}",
    "{}[],:",
    "\u{2028}\u{2029}",
    "<>&/",
    "\\\"\\u0041",
    " ",
    "{\"structData\":{\"data\":[\"x\"]}}",
];

/// A string with the characters every style treats differently.
pub fn text(c: &mut Choices) -> String {
    let n = c.count(3, 12);
    (0..n).map(|_| c.pick(PIECES)).collect()
}

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "1.5",
    "1e5",
    "1E+5",
    "-1.25e-3",
    "0.000001",
    "123456789012345678901234567890",
    "18446744073709551615",
    "-9223372036854775808",
    "2.5e-310",
];

/// Any JSON value, at most `depth` containers deep.
pub fn json(c: &mut Choices, depth: usize) -> J {
    let k = if depth == 0 { c.below(4) } else { c.below(6) };
    match k {
        0 => J::Null,
        1 => J::Bool(c.flag()),
        2 => J::Num(c.pick(NUMBERS).to_owned()),
        3 => J::Str(text(c)),
        4 => J::Arr((0..c.count(3, 20)).map(|_| json(c, depth - 1)).collect()),
        _ => J::Obj(
            (0..c.count(3, 20))
                .map(|_| (key(c), json(c, depth - 1)))
                .collect(),
        ),
    }
}

const DECOY_KEYS: &[&str] = &[
    "dat",
    "data2",
    "Data",
    "DATA",
    "taskResul",
    "taskResults",
    "TaskResult",
    "structdata",
    "structData2",
    "resul",
    "results",
    "Result",
    "imageUrls",
    "data ",
    "",
    "d\"ata",
    "usage",
    "message",
];

fn key(c: &mut Choices) -> String {
    if c.flag() {
        c.pick(DECOY_KEYS).to_owned()
    } else {
        text(c)
    }
}

/// A value that must not be taken for a real one.
fn decoy(c: &mut Choices, depth: usize) -> J {
    match c.below(4) {
        // A string that holds JSON with a structData inside.
        0 => {
            let inner = J::obj(vec![(
                "data",
                J::obj(vec![(
                    "structData",
                    J::obj(vec![(
                        "data",
                        J::Arr(vec![J::s("https://decoy.test/no.png")]),
                    )]),
                )]),
            )]);
            J::Str(encode(&inner, style(c)))
        }
        1 => J::Obj(vec![(
            "structData".into(),
            J::obj(vec![("data", J::Arr(vec![J::s("https://decoy.test/no")]))]),
        )]),
        _ => json(c, depth),
    }
}

/// `real` members with decoys among them, maybe shuffled, maybe followed by
/// a duplicate of a real key (the first occurrence wins).
fn object(c: &mut Choices, real: Vec<(&str, J)>) -> J {
    let mut m: Vec<(String, J)> = real.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let real_keys: Vec<String> = m.iter().map(|(k, _)| k.clone()).collect();
    for _ in 0..c.count(0, 3) {
        let at = c.below(m.len() + 1);
        let d = decoy(c, 2);
        m.insert(at, (c.pick(DECOY_KEYS).to_owned(), d));
    }
    if c.rare() {
        for i in (1..m.len()).rev() {
            let j = c.below(i + 1);
            m.swap(i, j);
        }
    }
    if c.rare() && !real_keys.is_empty() {
        let k = c
            .pick(&real_keys.iter().map(String::as_str).collect::<Vec<_>>())
            .to_owned();
        let d = decoy(c, 1);
        m.push((k, d));
    }
    J::Obj(m)
}

/// `v` as a string holding it in JSON (one more level), or inline.
fn hop(c: &mut Choices, v: J, string_odds: bool) -> J {
    let embed = if string_odds { !c.rare() } else { c.rare() };
    if !embed {
        return v;
    }
    let text = encode(&v, style(c));
    // Escaping every character at every level grows the text sixfold a
    // level; past a size that finds nothing new, write compactly.
    if text.len() > 1 << 16 {
        return J::Str(encode(&v, COMPACT));
    }
    J::Str(text)
}

fn usage_map(c: &mut Choices) -> J {
    J::Str(encode(&J::obj(vec![("usage", J::n(1))]), style(c)))
}

fn item(c: &mut Choices) -> J {
    match c.below(16) {
        // A pending item: taskResult empty, null or missing.
        13 | 14 => {
            let mut m = vec![
                ("usage", J::n(0)),
                ("requestBizId", J::s("")),
                ("taskStatus", J::s("running")),
            ];
            match c.below(3) {
                0 => m.push(("taskResult", J::s(""))),
                1 => m.push(("taskResult", J::Null)),
                _ => {}
            }
            return object(c, m);
        }
        15 if c.flag() => return J::Null,
        _ => {}
    }
    let urls = (0..c.count(4, 40)).map(|_| J::Str(text(c))).collect();
    let sd = object(
        c,
        vec![
            ("code", J::s("200")),
            ("data", J::Arr(urls)),
            ("message", J::s("success")),
        ],
    );
    let sd = hop(c, sd, false);
    let mut data = vec![("message", J::Arr(vec![])), ("structData", sd)];
    if c.flag() {
        data.insert(1, ("usageMap", usage_map(c)));
    }
    let data = object(c, data);
    let data = hop(c, data, false);
    let level2 = object(
        c,
        vec![
            ("data", data),
            ("success", J::Bool(true)),
            ("requestId", J::s("21011ad517569586762002055d1020")),
        ],
    );
    // The observed shape wraps level 2 in `result`; the documented one
    // does not.
    let level1 = if c.below(4) != 3 {
        let result = if c.rare() {
            J::Null
        } else {
            hop(c, level2, true)
        };
        let m = vec![
            ("result", result),
            ("usage", J::n(1)),
            ("usageMap", usage_map(c)),
        ];
        object(c, m)
    } else {
        level2
    };
    let tr = hop(c, level1, true);
    let it = object(
        c,
        vec![
            ("usage", J::n(1)),
            ("requestBizId", J::s("")),
            ("taskStatus", J::s("finished")),
            ("taskResult", tr),
        ],
    );
    if c.rare() {
        J::Str(encode(&it, style(c)))
    } else {
        it
    }
}

/// A whole response, each embedded level written in its own style.
pub fn response(c: &mut Choices) -> Vec<u8> {
    let items = (0..c.count(3, 30)).map(|_| item(c)).collect();
    let data = object(
        c,
        vec![
            ("usage", J::n(0)),
            ("taskId", J::s("06f836d7-b12c-4686-a87b-0966fc4a2d7d")),
            ("taskStatus", J::s("finished")),
            ("taskResult", J::Arr(items)),
        ],
    );
    let data = hop(c, data, false);
    let root = object(
        c,
        vec![
            ("data", data),
            ("code", J::s("0")),
            ("request_id", J::s("2102e47617569586773697613")),
            ("_trace_id_", J::s("21059dbe17569586772376150e66db")),
        ],
    );
    let s = if c.flag() { style(c) } else { COMPACT };
    encode(&root, s).into_bytes()
}

/// One byte of `bytes` damaged: flipped, inserted, deleted, or a stray `"`,
/// `\` or invalid UTF-8 byte put in. Returns what was done, for messages.
pub fn damage(c: &mut Choices, bytes: &mut Vec<u8>) -> String {
    if bytes.is_empty() {
        return "nothing".into();
    }
    let at = (usize::from(c.byte()) << 16 | usize::from(c.byte()) << 8 | usize::from(c.byte()))
        % bytes.len();
    match c.below(8) {
        0 => {
            let bit = 1 << c.below(8);
            bytes[at] ^= bit;
            format!("flip {bit:#x} at {at}")
        }
        1 => {
            let b = c.byte();
            bytes.insert(at, b);
            format!("insert {b:#x} at {at}")
        }
        2 => {
            bytes.remove(at);
            format!("delete at {at}")
        }
        3 => {
            bytes.insert(at, b'"');
            format!("insert '\"' at {at}")
        }
        4 => {
            bytes.insert(at, b'\\');
            format!("insert '\\' at {at}")
        }
        5 => {
            bytes.insert(at, 0xff);
            format!("insert 0xff at {at}")
        }
        6 => {
            bytes[at] = b'\\';
            format!("replace with '\\' at {at}")
        }
        _ => {
            bytes[at] = b'"';
            format!("replace with '\"' at {at}")
        }
    }
}

/// A JSON value, a level and a style per level: the value's text embedded
/// that many times. Returns the value, the level and the buffer.
pub fn embedded_value(c: &mut Choices) -> (J, usize, String) {
    let j = json(c, 4);
    let k = c.below(5);
    let mut t = encode(&j, style(c));
    for _ in 0..k {
        let s = style(c);
        // Escaping every character at every level grows the text sixfold a
        // level: past a size that finds nothing new, write compactly.
        let s = if t.len() > 1 << 14 { COMPACT } else { s };
        t = encode(&J::Str(t), s);
    }
    (j, k, t)
}

/// A fuzz input as the `differential` and `model` targets read it (their
/// seeds share the format): the first byte chooses raw bytes (bit 0 clear),
/// or a response generated from the rest, damaged when bit 1 is set.
pub enum FuzzInput<'d> {
    /// The bytes as they came.
    Raw(&'d [u8]),
    /// A generated response.
    Generated(Vec<u8>),
    /// A generated response with one byte damaged.
    Damaged(Vec<u8>),
}

impl FuzzInput<'_> {
    /// `data` read as a fuzz input; `None` when it is empty.
    pub fn new(data: &[u8]) -> Option<FuzzInput<'_>> {
        let (&mode, rest) = data.split_first()?;
        if mode & 1 == 0 {
            return Some(FuzzInput::Raw(rest));
        }
        let mut c = Choices::new(rest);
        let mut input = response(&mut c);
        Some(if mode & 2 == 2 {
            damage(&mut c, &mut input);
            FuzzInput::Damaged(input)
        } else {
            FuzzInput::Generated(input)
        })
    }

    /// The bytes to decode.
    pub fn bytes(&self) -> &[u8] {
        match self {
            FuzzInput::Raw(b) => b,
            FuzzInput::Generated(b) | FuzzInput::Damaged(b) => b,
        }
    }
}
