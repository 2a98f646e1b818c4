//! `Value` at every embedding level: the escape arithmetic of SPEC §2 for
//! every encoder style, JSONTestSuite verdicts through `validate()` at levels
//! 0 to 3, and the level and depth limits at exactly N and N + 1.

mod common;

use common::{check_get, check_value, embed_in, encode, same, serde_accepts, Style, J, STYLES};
use handfoot::{ErrorKind, Options, Value};

/// A value with every character class the styles treat differently.
fn tricky() -> J {
    J::Obj(vec![
        ("plain".into(), J::s("https://example.com/a/b.png?x=1&y=2")),
        ("quote\"key".into(), J::s("a \"quoted\" \\ back\\slash /")),
        ("controls".into(), J::s("\n\r\t\u{8}\u{c}\u{0}\u{1f}")),
        ("html".into(), J::s("<b>&amp;</b>\u{2028}\u{2029}")),
        ("unicode".into(), J::s("é中文😀𝄞")),
        ("empty".into(), J::s("")),
        (
            "nested".into(),
            J::Arr(vec![
                J::Null,
                J::Bool(true),
                J::Bool(false),
                J::Num("-12.5e3".into()),
                J::Num("0".into()),
                J::Obj(vec![]),
                J::Arr(vec![J::Arr(vec![])]),
                J::s("{\"structData\":[1,2]}"),
            ]),
        ),
        ("plain".into(), J::s("a duplicate key; the first wins")),
    ])
}

/// Reads `text` `k` levels in.
fn level_in(text: &[u8], k: usize, opts: Options) -> Result<Value<'_>, handfoot::Error> {
    let mut v = Value::from_slice_with(text, opts)?;
    for _ in 0..k {
        v = v.embedded()?;
    }
    Ok(v)
}

#[test]
fn quote_and_backslash_runs_double_per_level() {
    // A quote of level-k text, seen in the buffer, is 2^k - 1 backslashes
    // then `"`; a backslash of level-k text is 2^k backslashes.
    let mut inner = "\"\\".to_owned();
    for k in 1..=4u32 {
        inner = encode(&J::s(&inner), common::COMPACT);
        let quotes = (1u32 << k) - 1;
        let want_quote = format!("{}\"", "\\".repeat(quotes as usize));
        assert_eq!(handfoot::escape::quote_run(k as u8), quotes as usize);
        assert_eq!(handfoot::escape::backslash_run(k as u8), 1 << k);
        assert!(inner.contains(&want_quote), "level {k}: {inner}");
    }
}

#[test]
fn every_style_at_levels_1_to_3() {
    let j = tricky();
    for &a in STYLES {
        for k in 1..=3 {
            // The same style at every level, then each style under compact
            // ones and compact ones under it.
            let layouts: [Vec<Style>; 3] = [
                vec![a; k],
                std::iter::once(a)
                    .chain(std::iter::repeat(common::COMPACT).take(k - 1))
                    .collect(),
                std::iter::repeat(common::COMPACT)
                    .take(k - 1)
                    .chain(std::iter::once(a))
                    .collect(),
            ];
            for styles in layouts {
                let inner = encode(&j, styles[0]);
                let buf = embed_in(&inner, &styles);
                let v = level_in(buf.as_bytes(), k, Options::new()).unwrap();
                assert_eq!(v.level() as usize, k);
                v.validate().unwrap();
                same(v, &j).unwrap_or_else(|e| panic!("{} level {k}: {e}\n{buf}", a.name));
                check_value(buf.as_bytes(), 10_000);
            }
        }
    }
}

#[test]
fn plain_strings_borrow_at_every_level() {
    for k in 0..=3 {
        let buf = embed_in(
            r#"{"u":"https://x.test/a.png","e":"a\nb"}"#,
            &vec![common::COMPACT; k],
        );
        let v = level_in(buf.as_bytes(), k, Options::new()).unwrap();
        let u = v.get("u").unwrap().unwrap().as_str().unwrap();
        assert!(matches!(u, std::borrow::Cow::Borrowed(_)), "level {k}");
        let range = buf.as_bytes().as_ptr_range();
        assert!(range.contains(&u.as_ptr()));
        let e = v.get("e").unwrap().unwrap().as_str().unwrap();
        assert!(matches!(e, std::borrow::Cow::Owned(_)), "level {k}");
        assert_eq!(e, "a\nb");
    }
}

/// `bytes` as a JSON string's content, escaping only what must be: `"`,
/// `\` and control characters. Other bytes, invalid UTF-8 included, stay.
fn embed_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![b'"'];
    for &b in bytes {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0..=0x1f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
    out
}

fn verdict(buf: &[u8], k: usize) -> Result<(), handfoot::Error> {
    level_in(buf, k, Options::new())?.validate()
}

#[test]
fn jsontestsuite_at_levels_0_to_3() {
    let Some(dir) = common::jsontestsuite_dir() else {
        return;
    };
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let want = match name.as_bytes()[0] {
            b'y' => Some(true),
            b'n' => Some(false),
            _ => None,
        };
        let bytes = std::fs::read(&path).unwrap();
        // Level 0: the file itself.
        let got = verdict(&bytes, 0);
        if let Some(want) = want {
            assert_eq!(got.is_ok(), want, "{name} at level 0: {got:?}");
            assert_eq!(want, serde_accepts(&bytes), "{name}: serde_json disagrees");
        }
        // Levels 1 to 3, the minimal escaping that keeps invalid UTF-8 as is.
        let mut buf = bytes.clone();
        for k in 1..=3 {
            buf = embed_bytes(&buf);
            let got = verdict(&buf, k);
            if let Some(want) = want {
                assert_eq!(got.is_ok(), want, "{name} at level {k}: {got:?}");
            }
            checked += 1;
        }
        // And every encoder style, for the files that are UTF-8.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            for &s in STYLES {
                for k in 1..=3 {
                    let buf = embed_in(text, &vec![s; k]);
                    let got = verdict(buf.as_bytes(), k);
                    if let Some(want) = want {
                        assert_eq!(
                            got.is_ok(),
                            want,
                            "{name} at level {k} ({}): {got:?}",
                            s.name
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} checks");
}

#[test]
fn depth_limit_at_n_and_n_plus_1() {
    for n in [1u32, 2, 16, 128, 1000] {
        let opts = Options::new().max_depth(n);
        for k in 0..=2 {
            let nest = |d: u32| {
                let t = format!("{}{}", "[".repeat(d as usize), "]".repeat(d as usize));
                embed_in(&t, &vec![common::COMPACT; k])
            };
            let ok = nest(n);
            level_in(ok.as_bytes(), k, opts)
                .unwrap()
                .validate()
                .unwrap();
            let deep = nest(n + 1);
            let e = level_in(deep.as_bytes(), k, opts)
                .unwrap()
                .validate()
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::DepthLimit, "n {n} level {k}");
            assert_eq!(e.level() as usize, k);
            // Objects count the same.
            let t = format!(
                "{}1{}",
                "{\"a\":".repeat(n as usize + 1),
                "}".repeat(n as usize + 1)
            );
            let buf = embed_in(&t, &vec![common::COMPACT; k]);
            let e = level_in(buf.as_bytes(), k, opts)
                .unwrap()
                .validate()
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::DepthLimit);
        }
    }
    // The default is what serde_json lets through: 127 accepted, 128 refused.
    let t = format!("{}{}", "[".repeat(127), "]".repeat(127));
    assert!(serde_accepts(t.as_bytes()));
    Value::from_slice(t.as_bytes()).unwrap().validate().unwrap();
    let t = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert!(!serde_accepts(t.as_bytes()));
    assert!(Value::from_slice(t.as_bytes()).unwrap().validate().is_err());
    // Far past the limit: an error, not a stack overflow.
    let t = "[".repeat(1 << 20);
    let e = Value::from_slice(t.as_bytes())
        .unwrap()
        .validate()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DepthLimit);
}

#[test]
fn level_limit_at_n_and_n_plus_1() {
    for n in [0u8, 1, 3, 8, 12] {
        let opts = Options::new().max_level(n);
        let buf = embed_in("[\"x\"]", &vec![common::COMPACT; n as usize]);
        let v = level_in(buf.as_bytes(), n as usize, opts).unwrap();
        assert_eq!(v.level(), n);
        v.validate().unwrap();
        // The string inside level n may not be opened.
        let s = v.elements().next().unwrap().unwrap();
        assert_eq!(s.as_str().unwrap(), "x");
        let e = s.embedded().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LevelLimit);
        assert_eq!(e.level(), n);
        // One more level of embedding: reading n + 1 levels in is refused.
        let buf = embed_in("1", &vec![common::COMPACT; n as usize + 1]);
        let e = level_in(buf.as_bytes(), n as usize + 1, opts).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LevelLimit);
    }
    // Clamped at the most that can be set.
    assert_eq!(
        Options::new().max_level(200).level_limit(),
        Options::MAX_LEVEL
    );
    assert_eq!(
        Options::new().max_depth(1 << 30).depth_limit(),
        Options::MAX_DEPTH
    );
}

#[test]
fn level_limit_through_the_response() {
    // The sample needs three levels (buffer, taskResult, result).
    let r = Options::new()
        .max_level(1)
        .response(common::SAMPLE)
        .unwrap();
    let e = r.image_urls().find_map(Result::err).expect("an error");
    assert_eq!(e.kind(), ErrorKind::LevelLimit);
    assert!(r.validate().is_err());
    let r = Options::new()
        .max_level(2)
        .response(common::SAMPLE)
        .unwrap();
    assert_eq!(r.image_urls().count(), 4);
}

#[test]
fn values_agree_with_serde_json_on_small_inputs() {
    let cases: &[&[u8]] = &[
        b"",
        b" ",
        b"1",
        b"-0",
        b"1e400",
        b"-1e400",
        b"1.5e-400",
        b"18446744073709551616",
        b"-9223372036854775809",
        b"[1,]",
        b"{\"a\":1,}",
        b"\"\\ud800\"",
        b"\"\\udc00\\ud800\"",
        b"\"\\ud83d\\ude00\"",
        b"\"\xff\"",
        b"\"\xed\xa0\x80\"",
        b"\"\xf4\x90\x80\x80\"",
        b"\"a\x7fb\"",
        b"\"\t\"",
        b"[\"{\\\"a\\\":[1,2,\\\"\\\\u0041\\\"]}\"]",
        b"\"\\\"\"",
        b"\"[\\\"\\\\\\\"\\\"]\"",
        b"\"\\u005c\\u0022\"",
        b"\"\\u005c\"",
        b"\"\\\\u0022\"",
        b"\"\\u005cu0022\"",
        b"\"\\u005C\\u005C\\u0022\\u0022\"",
        b"\"\\/\\\\\\/\"",
        b"{\"a\":\"b\" ,\"a\":2}",
        b"[[[]]]",
        b"nul",
        b"truex",
        b"1 2",
        b"\"\\u0031\\u0020\"",
        b"\"\\u007b\\u007d\"",
        b"\" [ 1 , 2 ] \"",
    ];
    for c in cases {
        check_value(c, 1000);
    }
}

/// `get` agrees with `members()` on objects damaged next to the members it
/// reads and skips (a stray or missing separator, a value cut short, a
/// number that is not one), written at levels 0 to 3 in every style: the
/// byte loop behind `get` hands over where the general step reports.
#[test]
fn get_agrees_with_members_on_damaged_objects() {
    let objects = [
        r#"{,"a":1}"#,
        r#"{"a":1,}"#,
        r#"{"b":1,,"a":2}"#,
        r#"{"b" 1,"a":2}"#,
        r#"{"b":1 "a":2}"#,
        r#"{"b":,"a":2}"#,
        r#"{"b":01,"a":2}"#,
        r#"{"b":12,"a":2}"#,
        r#"{"b":1e5,"a":2}"#,
        r#"{"b"=1,"a":2}"#,
        r#"{"b":"x","a":2}"#,
        r#"{"b":-,"a":2}"#,
        r#"{"b":1.,"a":2}"#,
        r#"{"b":[],"a":2,"a":3}"#,
        r#"{"b":{},"a"}"#,
        r#"{"b":[1],"a":2}"#,
        r#"{"b":"x" , "a" : 2 }"#,
        r#"{"b":"x\u0022","a":2}"#,
        r#"{"b\u0061":1,"a":2}"#,
        r#"{"b":tru,"a":2}"#,
        r#"{"b":"x"]"#,
        r#"{"b":2"#,
        r#"{"b":"#,
        r#"{"b""#,
        r#"{"#,
        r#"{}"#,
        r#"{"a":1}x"#,
    ];
    let mut checked = 0;
    for text in objects {
        for k in 0..4 {
            for style in STYLES {
                let buf = embed_in(text, &vec![*style; k]);
                let mut v = handfoot::Value::from_slice(buf.as_bytes()).unwrap();
                for _ in 0..k {
                    v = v.embedded().unwrap();
                }
                check_get(v);
                checked += 1;
            }
        }
    }
    assert!(checked >= objects.len() * 4);
}
