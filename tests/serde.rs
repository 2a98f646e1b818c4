#![cfg(feature = "serde")]
//! serde integration: `Value::deserialize` at levels 0 to 3 against
//! `serde_json::from_str` on the unescaped text (results and errors),
//! borrowing where the bytes allow, `Embedded` through serde_json, and the
//! typed model.

mod common;

use std::borrow::Cow;
use std::collections::BTreeMap;

use common::gen::{self, Choices};
use common::{check_model, encode, opened, reference, J, SAMPLE};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Debug, PartialEq, Deserialize)]
enum Shape {
    Unit,
    Newtype(u8),
    Tuple(i32, bool),
    Struct { x: Option<f64> },
}

#[derive(Debug, PartialEq, Deserialize)]
struct Rec<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(default)]
    n: Option<i64>,
    #[serde(default)]
    u: Option<u8>,
    #[serde(default)]
    f: Option<f64>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    shape: Option<Shape>,
    #[serde(default)]
    ignored: Option<serde::de::IgnoredAny>,
    #[serde(flatten)]
    rest: BTreeMap<String, J>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Strict<'a> {
    #[serde(borrow)]
    name: &'a str,
    #[serde(default)]
    n: Option<u32>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct StrictOwned {
    name: String,
    #[serde(default)]
    n: Option<u32>,
}

/// A member read through `Resolved`, and one after it.
#[derive(Debug, PartialEq, Deserialize)]
struct Outer<T> {
    r: handfoot::Resolved<T>,
    #[serde(default)]
    after: Option<u32>,
}

const KEYS: &[&str] = &["name", "n", "u", "f", "tags", "shape", "ignored", "other"];

/// An object that often, not always, fits `Rec` and `Strict`.
fn record(c: &mut Choices) -> J {
    let mut m = Vec::new();
    for &k in KEYS {
        if c.below(4) == 0 {
            continue;
        }
        let fits = c.below(4) != 0;
        let v = if !fits {
            gen::json(c, 2)
        } else {
            match k {
                "name" | "other" => J::Str(gen::text(c)),
                "n" => J::Num(
                    c.pick(&["-5", "0", "9223372036854775807", "-0", "1.5", "1e3"])
                        .into(),
                ),
                "u" => J::Num(c.pick(&["0", "255", "256", "-1"]).into()),
                "f" => J::Num(c.pick(&["1.25", "-0", "3", "1e308", "2.5e-310"]).into()),
                "tags" => J::Arr((0..c.below(3)).map(|_| J::Str(gen::text(c))).collect()),
                "shape" => match c.below(4) {
                    0 => J::s("Unit"),
                    1 => J::Obj(vec![(
                        "Newtype".into(),
                        J::Num(c.pick(&["7", "300"]).into()),
                    )]),
                    2 => J::Obj(vec![(
                        "Tuple".into(),
                        J::Arr(vec![J::n(-3), J::Bool(c.flag())]),
                    )]),
                    _ => J::Obj(vec![(
                        "Struct".into(),
                        J::Obj(vec![("x".into(), if c.flag() { J::Null } else { J::n(2) })]),
                    )]),
                },
                _ => gen::json(c, 2),
            }
        };
        m.push((k.to_owned(), v));
    }
    if c.rare() && !m.is_empty() {
        let dup = m[0].clone();
        m.push(dup);
    }
    J::Obj(m)
}

/// `text` embedded `k` times in chosen styles; the value `k` levels in.
fn embedded(c: &mut Choices, text: &str) -> (String, usize) {
    let k = c.below(4);
    let mut t = text.to_owned();
    for _ in 0..k {
        t = encode(&J::Str(t), gen::style(c));
    }
    (t, k)
}

fn level_in(buf: &[u8], k: usize) -> Result<handfoot::Value<'_>, handfoot::Error> {
    let mut v = handfoot::Value::from_slice(buf)?;
    for _ in 0..k {
        v = v.embedded()?;
    }
    Ok(v)
}

fn assert_same<T>(
    ours: Result<T, handfoot::Error>,
    theirs: Result<T, serde_json::Error>,
    what: &str,
) where
    T: PartialEq + std::fmt::Debug,
{
    match (ours, theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{what}"),
        (Err(_), Err(_)) => {}
        (a, b) => panic!("handfoot {a:?} but serde_json {b:?} on {what}"),
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if cfg!(miri) { 4 } else { 1000 })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_value_deserializes_as_serde_json_does(b in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut c = Choices::new(&b);
        let j = gen::json(&mut c, 4);
        let text = encode(&j, gen::style(&mut c));
        let (buf, k) = embedded(&mut c, &text);
        let v = level_in(buf.as_bytes(), k).unwrap();
        let ours: J = v.deserialize().unwrap();
        let theirs: J = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(ours, theirs);
    }

    #[test]
    fn derived_types_agree_with_serde_json(b in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut c = Choices::new(&b);
        let j = record(&mut c);
        let text = encode(&j, gen::style(&mut c));
        let (buf, k) = embedded(&mut c, &text);
        let v = level_in(buf.as_bytes(), k).unwrap();
        assert_same(v.deserialize::<Rec>(), serde_json::from_str::<Rec>(&text), &text);
        // A `&str` borrows from the text each side reads: serde_json from the
        // unescaped level, handfoot from the buffer, where an outer level may
        // have escaped the name's characters. Then only the owned form can
        // agree.
        match (v.deserialize::<Strict>(), serde_json::from_str::<Strict>(&text)) {
            (Err(e), Ok(_)) if e.message().is_some_and(|m| m.contains("borrowed string")) => {
                assert_same(
                    v.deserialize::<StrictOwned>(),
                    serde_json::from_str::<StrictOwned>(&text),
                    &text,
                );
            }
            (ours, theirs) => assert_same(ours, theirs, &text),
        }
        assert_same(
            v.deserialize::<BTreeMap<String, J>>(),
            serde_json::from_str::<BTreeMap<String, J>>(&text),
            &text,
        );
        assert_same(v.deserialize::<Vec<J>>(), serde_json::from_str::<Vec<J>>(&text), &text);
        // Borrowing: a `&str` works exactly when the name stands as itself.
        if let Ok(s) = v.deserialize::<Strict>() {
            let range = buf.as_bytes().as_ptr_range();
            prop_assert!(range.contains(&s.name.as_ptr()) || s.name.is_empty());
        }
    }

    #[test]
    fn resolved_members_agree_with_serde_json(b in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut c = Choices::new(&b);
        let mut text = encode(&record(&mut c), gen::style(&mut c));
        if c.rare() {
            // Something after the value, inside the string that holds it.
            text.push_str(c.pick(&[" 1", "}", " ", "\n"]));
        }
        // The member inline or embedded up to three times, in an object
        // with a member after it, itself at level 0 to 3.
        let mut member = text.clone();
        for _ in 0..c.below(4) {
            member = encode(&J::Str(member), gen::style(&mut c));
        }
        let outer = format!(r#"{{"r": {member}, "after": 7}}"#);
        let (buf, k) = embedded(&mut c, &outer);
        let v = level_in(buf.as_bytes(), k).unwrap();
        let ours = v.deserialize::<Outer<Rec>>();
        // The reference: serde_json opening the strings one at a time.
        match opened(member.as_bytes()) {
            Some(t) => {
                let theirs = serde_json::from_slice::<Rec>(&t);
                if let Ok(o) = &ours {
                    prop_assert_eq!(o.after, Some(7), "{}", outer);
                }
                assert_same(ours.map(|o| o.r.0), theirs, &outer);
            }
            None => prop_assert!(ours.is_err(), "{}", outer),
        }
        // serde_json reading the object, the member through `RawValue`.
        let through = serde_json::from_str::<Outer<Rec>>(&outer).map(|o| o.r.0);
        assert_same(v.deserialize::<Outer<Rec>>().map(|o| o.r.0), through, &outer);
    }

    #[test]
    fn the_model_read_straight_agrees_with_serde(b in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut c = Choices::new(&b);
        let mut input = gen::response(&mut c);
        // Members of other types than the model's, or written twice, for
        // serde's path to say what is wrong.
        let (from, to) = c.pick(&[
            ("", ""),
            ("\"taskId\"", "\"usage\""),
            ("\"requestBizId\"", "\"usage\""),
            ("\"code\"", "\"_trace_id_\""),
            ("\"finished\"", "7"),
            ("\"0\"", "0"),
            ("\"taskId\"", "\"data\""),
        ]);
        let text = String::from_utf8(input).unwrap().replacen(from, to, 1);
        input = text.into_bytes();
        if c.flag() {
            gen::damage(&mut c, &mut input);
        }
        check_model(&input);
    }

    #[test]
    fn bytes_are_accepted_as_serde_json_accepts_them(
        b in proptest::collection::vec(
            prop_oneof![Just(b'"'), Just(b'\\'), Just(b'{'), Just(b'}'), Just(b'['), Just(b']'),
                        Just(b','), Just(b':'), Just(b'1'), Just(b'n'), Just(b' '), any::<u8>()],
            0..48,
        )
    ) {
        let ours = handfoot::Value::from_slice(&b).and_then(|v| v.deserialize::<J>());
        let theirs = serde_json::from_slice::<J>(&b);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}", String::from_utf8_lossy(&b));
    }
}

/// Inputs serde reads its own way: structs written as arrays, numbers that
/// are not `u64`s, keys written twice, a string where an object goes,
/// something after the text.
#[test]
fn the_model_read_straight_agrees_with_serde_on_odd_shapes() {
    let inputs: &[&[u8]] = &[
        br#"{"data": []}"#,
        br#"{"data": [5, "t"]}"#,
        br#"{"data": [5, "t", "s", [], 9]}"#,
        br#"{"data": {"usage": -0}}"#,
        br#"{"data": {"usage": -1}}"#,
        br#"{"data": {"usage": 1.0}}"#,
        br#"{"data": {"usage": 1e2}}"#,
        br#"{"data": {"usage": 18446744073709551616}}"#,
        br#"{"data": {"usage": 18446744073709551615}}"#,
        br#"{"code": null, "code": "x"}"#,
        br#"{"code": "x", "other": "y", "other": [1, {"a": null}]}"#,
        br#"{"data": "{}"}"#,
        br#"{"data": null, "code": "0"}"#,
        br#"{"data": {"taskResult": [null]}}"#,
        br#"{"data": {"taskResult": [{"taskResult": null}, {}]}}"#,
        br#"{"data": {"taskResult": {}}}"#,
        br#"{"code":"0"} x"#,
        br#"{"code":"0"}  "#,
        br#"{"data": {"taskResult": [{"taskResult": "{"result": "{\"success\": 1}"}"}]}}"#,
        br#"{"data": {"taskResult": [{"taskResult": "{"result": "{\"data\": \"{}\"}"}"}]}}"#,
        br#"{"data": {"taskResult": [{"taskResult": "{"result": "{\"data\": [], \"data\": 1}"}"}]}}"#,
        br#"{"data": {"taskResult": [{"taskResult": "{"result": "{\"data\": {\"structData\": {\"data\": [1]}}}"}"}]}}"#,
        br#"{"data": {"taskResult": [{"taskResult": "{"result": "{\"data\": {\"structData\": \"{\\\"data\\\": [\\\"u\\\"]}\"}}"}"}]}}"#,
        br#"{"data": {"taskResult": [{"taskResult": "{"result": {"success": true, "requestId": "r"}} "}]}}"#,
        br#"{"data": {"taskResult": [{"taskResult": "{"usage": 1, "usageMap": "{}"} x"}]}}"#,
        SAMPLE,
    ];
    for input in inputs {
        check_model(input);
    }
}

#[test]
fn strings_borrow_where_they_stand() {
    #[derive(Debug, Deserialize)]
    struct S<'a> {
        #[serde(borrow)]
        a: Cow<'a, str>,
        #[serde(borrow)]
        b: Cow<'a, str>,
        c: &'a str,
    }
    for k in 0..=3 {
        let buf = common::embed_in(
            r#"{"a":"plain","b":"tab\there","c":"x"}"#,
            &vec![common::COMPACT; k],
        );
        let v = level_in(buf.as_bytes(), k).unwrap();
        let s: S = v.deserialize().unwrap();
        assert!(matches!(s.a, Cow::Borrowed("plain")), "level {k}");
        assert!(matches!(s.b, Cow::Owned(_)));
        assert_eq!(s.b, "tab\there");
        assert_eq!(s.c, "x");
        // A `&str` on a string that needs unescaping is an error, as in serde_json.
        let buf = common::embed_in(r#"{"a":"","b":"","c":"a\"b"}"#, &vec![common::COMPACT; k]);
        let e = level_in(buf.as_bytes(), k)
            .unwrap()
            .deserialize::<S>()
            .unwrap_err();
        assert_eq!(e.kind(), handfoot::ErrorKind::Custom);
        assert!(e.message().unwrap().contains("borrowed"), "{e}");
    }
}

#[test]
fn errors_say_what_and_where() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct S {
        n: u8,
    }
    let buf = br#"{"x": "{\"n\": 300}"}"#;
    let v = handfoot::Value::from_slice(buf)
        .unwrap()
        .get("x")
        .unwrap()
        .unwrap()
        .embedded()
        .unwrap();
    let e = v.deserialize::<S>().unwrap_err();
    assert_eq!(e.level(), 1);
    assert_eq!(&buf[e.offset()..e.offset() + 3], b"300");
    assert!(e.to_string().contains("300"), "{e}");
    let e = v.deserialize::<Vec<u8>>().unwrap_err();
    assert!(e.to_string().contains("invalid type: map"), "{e}");
    // Invalid JSON anywhere in the value is an error, read or not.
    let v = handfoot::Value::from_slice(br#"{"n": 1, "z": [1,]}"#).unwrap();
    assert!(v.deserialize::<S>().is_err());
}

#[test]
fn embedded_fields_through_serde_json() {
    #[derive(Deserialize)]
    struct Item<'a> {
        #[serde(borrow, rename = "taskResult")]
        task_result: handfoot::Embedded<'a>,
    }
    #[derive(Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        data: Data<'a>,
    }
    #[derive(Deserialize)]
    struct Data<'a> {
        #[serde(borrow, rename = "taskResult")]
        items: Vec<Item<'a>>,
    }
    let env: Envelope = serde_json::from_slice(SAMPLE).unwrap();
    let level1 = env.data.items[0].task_result.value().unwrap();
    assert_eq!(level1.level(), 1);
    let level2 = level1.get("result").unwrap().unwrap().embedded().unwrap();
    let urls: Vec<&str> = level2
        .get("data")
        .unwrap()
        .unwrap()
        .get("structData")
        .unwrap()
        .unwrap()
        .get("data")
        .unwrap()
        .unwrap()
        .deserialize()
        .unwrap();
    assert_eq!(
        urls.iter().map(|u| u.to_string()).collect::<Vec<_>>(),
        reference(SAMPLE).unwrap()
    );
    // The raw text is a slice of the input: nothing was unescaped.
    let raw = env.data.items[0].task_result.raw();
    assert!(SAMPLE.as_ptr_range().contains(&raw.as_ptr()));
    // And through handfoot's own deserializer, at the member's level.
    let env: Envelope = handfoot::Value::from_slice(SAMPLE)
        .unwrap()
        .deserialize()
        .unwrap();
    assert_eq!(env.data.items[0].task_result.level(), 0);
    assert_eq!(env.data.items[0].task_result.value().unwrap().level(), 1);
}

/// `input` into the typed model through serde_json (the envelope; the
/// embedded levels in place), through handfoot's own deserializer and read
/// straight (`from_value`).
fn both_ways(input: &[u8]) -> [handfoot::model::Response<'_>; 3] {
    let v = handfoot::Value::from_slice(input).unwrap();
    [
        serde_json::from_slice(input).unwrap(),
        v.deserialize().unwrap(),
        handfoot::model::Response::from_value(v).unwrap(),
    ]
}

#[test]
fn the_model_finds_the_reference_urls() {
    use handfoot::model;
    let layouts = [
        common::OBSERVED,
        common::Layout {
            observed: false,
            tr_string: true,
            result_string: false,
            sd_string: false,
        },
        common::Layout {
            observed: true,
            tr_string: false,
            result_string: true,
            sd_string: true,
        },
    ];
    let mut inputs = vec![SAMPLE.to_vec()];
    for l in layouts {
        for &s in common::STYLES {
            let items = [
                Some(vec!["https://a.test/é \"q\"".to_string(), "u2".into()]),
                None,
                Some(vec![]),
            ];
            inputs.push(common::build(&items, l, [s, common::COMPACT, s, s]));
        }
    }
    for input in &inputs {
        let want = reference(input).unwrap();
        for r in both_ways(input) {
            let mut urls = Vec::new();
            for item in r.data.unwrap().task_result.unwrap_or_default() {
                urls.extend(item.image_urls().unwrap().into_iter().map(Cow::into_owned));
            }
            assert_eq!(urls, want, "{}", String::from_utf8_lossy(input));
        }
    }
    // The sample's strings are all borrowed from the input, through
    // either deserializer (serde's own `Option<Cow<str>>` would copy them).
    for r in both_ways(SAMPLE) {
        let data = r.data.unwrap();
        let item = &data.task_result.as_ref().unwrap()[0];
        let level2 = item.level2().unwrap().unwrap();
        let sd = level2.data.as_ref().unwrap().struct_data.as_ref().unwrap();
        let strings = [
            (&r.code, "0"),
            (&r.request_id, "2102e47617569586773697613"),
            (&r.trace_id, "21059dbe17569586772376150e66db"),
            (&data.task_id, "06f836d7-b12c-4686-a87b-0966fc4a2d7d"),
            (&data.task_status, "finished"),
            (&item.request_biz_id, ""),
            (&item.task_status, "finished"),
            (&level2.request_id, "21011ad517569586762002055d1020"),
            (&sd.code, "200"),
            (&sd.message, "success"),
        ];
        for (got, want) in strings {
            assert!(
                matches!(got, Some(Cow::Borrowed(s)) if *s == want),
                "{got:?}"
            );
        }
    }
    // Escaped, a string is decoded into a copy.
    let escaped = br#"{"code":"\u0030","request_id":null}"#;
    let r: model::Response = handfoot::Value::from_slice(escaped)
        .unwrap()
        .deserialize()
        .unwrap();
    assert!(matches!(r.code, Some(Cow::Owned(ref s)) if s == "0"));
    assert_eq!(r.request_id, None);
    // The sample's URLs are borrowed from the input.
    let r: model::Response = handfoot::Value::from_slice(SAMPLE)
        .unwrap()
        .deserialize()
        .unwrap();
    let item = &r.data.unwrap().task_result.unwrap()[0];
    assert!(item
        .image_urls()
        .unwrap()
        .iter()
        .all(|u| matches!(u, Cow::Borrowed(_))));
}
