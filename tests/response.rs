//! The API view against the multi-pass reference: the sample, every encoder
//! style at every level, both shapes, pending and failed responses, wrong
//! types, duplicates, escaped keys, and input cut short or damaged.

mod common;

use std::borrow::Cow;

use common::*;
use handfoot::{ErrorKind, Expected, Kind, Request, Response, TaskStatus};

fn inside(s: &str, input: &[u8]) -> bool {
    let range = input.as_ptr_range();
    range.contains(&s.as_ptr()) && s.len() <= input.len()
}

#[test]
fn sample_gives_its_four_urls_borrowed() {
    let r = Response::parse(SAMPLE).unwrap();
    let got: Vec<_> = r.image_urls().collect::<Result<_, _>>().unwrap();
    assert_eq!(got.len(), 4);
    for u in &got {
        assert!(matches!(u, Cow::Borrowed(_)), "{u} was copied");
        assert!(inside(u, SAMPLE));
        assert!(u.starts_with("https://aib-image.oss-ap-southeast-1.aliyuncs.com/"));
    }
    assert_eq!(assert_agrees(SAMPLE), got);
    assert!(r.validate().is_ok());
}

#[test]
fn sample_accessors() {
    let r = Response::parse(SAMPLE).unwrap();
    assert_eq!(r.code().unwrap().as_deref(), Some("0"));
    assert_eq!(
        r.request_id().unwrap().as_deref(),
        Some("2102e47617569586773697613")
    );
    assert_eq!(
        r.trace_id().unwrap().as_deref(),
        Some("21059dbe17569586772376150e66db")
    );
    assert_eq!(
        r.task_id().unwrap().as_deref(),
        Some("06f836d7-b12c-4686-a87b-0966fc4a2d7d")
    );
    assert_eq!(r.task_status().unwrap(), Some(TaskStatus::Finished));
    let items: Vec<_> = r.results().collect::<Result<_, _>>().unwrap();
    assert_eq!(items.len(), 1);
    let item = items[0];
    assert_eq!(item.task_status().unwrap(), Some(TaskStatus::Finished));
    assert_eq!(item.usage().unwrap(), Some(1));
    assert_eq!(item.request_biz_id().unwrap().as_deref(), Some(""));
    assert_eq!(item.success().unwrap(), Some(true));
    assert_eq!(
        item.request_id().unwrap().as_deref(),
        Some("21011ad517569586762002055d1020")
    );
    let map = item.usage_map().unwrap().unwrap();
    assert_eq!(map.level(), 2);
    assert_eq!(map.get("usage").unwrap().unwrap().as_u64().unwrap(), 4);
    assert_eq!(item.image_urls().count(), 4);
    let result = item.result().unwrap().unwrap();
    assert_eq!(result.level(), 2);
    assert_eq!(
        result.get("success").unwrap().unwrap().kind().unwrap(),
        Kind::Bool
    );
}

#[test]
fn every_style_at_every_level_agrees_with_the_reference() {
    let urls: Vec<String> = [
        "https://host/a.png?x=1&y=%2F",
        "https://h\u{e9}te/\u{1F600}/\u{2028}<b>",
        "quote\" back\\slash",
        "ctl\n\t\u{1}\u{1f}",
        "{}[],:",
        "",
        "https://plain.example/path_only-ascii.png",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut n = 0;
    for s0 in STYLES {
        for s1 in STYLES {
            for s2 in STYLES {
                let input = build(&[Some(urls.clone())], OBSERVED, [*s0, *s1, *s2, *s2]);
                assert_eq!(
                    assert_agrees(&input),
                    urls,
                    "{} {} {}",
                    s0.name,
                    s1.name,
                    s2.name
                );
                let r = Response::parse(&input).unwrap();
                for (got, want) in r.image_urls().zip(&urls) {
                    let got = got.unwrap();
                    let plain = want
                        .chars()
                        .all(|c| [s0, s1, s2].iter().all(|s| stands(c, s)));
                    assert_eq!(
                        matches!(got, Cow::Borrowed(_)),
                        plain,
                        "{want:?} in {} {} {}",
                        s0.name,
                        s1.name,
                        s2.name
                    );
                    if let Cow::Borrowed(b) = got {
                        assert!(inside(b, &input));
                    }
                }
                n += 1;
            }
        }
    }
    assert_eq!(n, STYLES.len().pow(3));
}

#[test]
fn every_layout_agrees_with_the_reference() {
    let urls = vec![
        "https://a/1.png".to_string(),
        "https://a/\"2\".png".to_string(),
    ];
    for observed in [true, false] {
        for tr_string in [true, false] {
            for result_string in [true, false] {
                for sd_string in [true, false] {
                    let layout = Layout {
                        observed,
                        tr_string,
                        result_string,
                        sd_string,
                    };
                    for s in STYLES {
                        let input = build(
                            &[Some(urls.clone()), None, Some(vec![]), Some(urls.clone())],
                            layout,
                            [*s, style("php"), style("pretty"), style("go")],
                        );
                        let got = assert_agrees(&input);
                        assert_eq!(got.len(), 4, "{layout:?} {}", s.name);
                    }
                }
            }
        }
    }
}

#[test]
fn documented_shape_without_result_wrapper() {
    let input = br#"{"code":"0","data":{"taskResult":[{"taskResult":"{\"data\":{\"message\":[],\"structData\":{\"code\":\"200\",\"data\":[\"https://x/1.png\"]},\"success\":true},\"requestId\":\"r\"}"}]}}"#;
    assert_eq!(assert_agrees(input), ["https://x/1.png"]);
    let item = Response::parse(input)
        .unwrap()
        .results()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(item.success().unwrap(), Some(true));
    assert_eq!(item.request_id().unwrap().as_deref(), Some("r"));
}

#[test]
fn pending_failed_and_error_responses_have_no_urls() {
    let cases: &[&[u8]] = &[
        br#"{"code":"0","data":{"taskStatus":"running","taskResult":[{"taskStatus":"running","taskResult":""}]}}"#,
        br#"{"code":"0","data":{"taskStatus":"pending","taskResult":[{"taskResult":null}]}}"#,
        br#"{"code":"0","data":{"taskStatus":"pending","taskResult":[{}]}}"#,
        br#"{"code":"0","data":{"taskStatus":"failed","taskResult":[]}}"#,
        br#"{"code":"0","data":{"taskStatus":"failed"}}"#,
        br#"{"code":"500","request_id":"x","data":null}"#,
        br#"{"code":"1001","message":"task not found"}"#,
        br#"{"data":{"taskResult":null}}"#,
        br#"{"data":{"taskResult":[null, "null"]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":"{\"result\":null}"}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":{"result":{"data":{"structData":null}}}}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":{"result":{"data":{"structData":{"data":null}}}}}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":{"result":{"data":{"structData":{}}}}}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":{"result":"{}"}}]}}"#,
        br#"{"data":"{\"taskResult\":\"[]\"}"}"#,
    ];
    for input in cases {
        assert_eq!(assert_agrees(input), Vec::<String>::new());
    }
    let r = Response::parse(cases[0]).unwrap();
    assert_eq!(r.task_status().unwrap(), Some(TaskStatus::Running));
    let item = r.results().next().unwrap().unwrap();
    assert_eq!(item.task_status().unwrap(), Some(TaskStatus::Running));
    assert!(item.result().unwrap().is_none());
    assert_eq!(item.success().unwrap(), None);
    let failed = Response::parse(cases[3]).unwrap();
    assert_eq!(failed.task_status().unwrap(), Some(TaskStatus::Failed));
    assert_eq!(
        Response::parse(cases[5])
            .unwrap()
            .code()
            .unwrap()
            .as_deref(),
        Some("500")
    );
}

#[test]
fn wrong_types_are_errors_in_both_modes() {
    let cases: &[&[u8]] = &[
        br#"{"data":5}"#,
        br#"{"data":[]}"#,
        br#"{"data":{"taskResult":{}}}"#,
        br#"{"data":{"taskResult":[5]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":[]}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":{"result":true}}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":{"data":{"structData":{"data":{}}}}}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":{"data":{"structData":{"data":["a",1]}}}}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":{"data":{"structData":{"data":[["a"]]}}}}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":"\"just a string\""}]}}"#,
        br#"{"data":"not json"}"#,
        br#"{"data":""}"#,
    ];
    for input in cases {
        let text = String::from_utf8_lossy(input);
        assert!(reference(input).is_err(), "reference accepts {text}");
        assert!(lazy(input).1.is_some(), "lazy accepts {text}");
        assert!(strict(input).is_err(), "strict accepts {text}");
    }
    let e = lazy(cases[0]).1.unwrap();
    assert_eq!(
        e.kind(),
        ErrorKind::WrongType {
            expected: Kind::Object,
            found: Kind::Number
        }
    );
    assert_eq!((e.offset(), e.level()), (8, 0));
    let e = lazy(cases[7]).1.unwrap();
    assert_eq!(lazy(cases[7]).0, ["a"]);
    assert!(matches!(
        e.kind(),
        ErrorKind::WrongType {
            expected: Kind::String,
            ..
        }
    ));
}

#[test]
fn root_must_be_an_object() {
    for input in [&b"[]"[..], b"\"{}\"", b"null", b"", b"  "] {
        assert!(reference(input).is_err());
        assert!(Response::parse(input).is_err());
    }
    let e = Response::parse(b"  [1]").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Expected(Expected::ObjectStart));
    assert_eq!(e.offset(), 2);
}

#[test]
fn first_key_wins_and_keys_compare_unescaped() {
    let cases: &[&[u8]] = &[
        br#"{"data":{"taskResult":[{"taskResult":{"data":{"structData":{"data":["first"],"data":["second"]}}}}]}}"#,
        br#"{"d\u0061ta":{"taskResult":[{"taskResult":{"data":{"structData":{"data":["esc"]}}}}]},"data":null}"#,
        br#"{"data":{"taskResult":[{"taskResult":"{\"d\\u0061ta\":{\"structData\":{\"\\u0064ata\":[\"deep\"]}}}"}]}}"#,
        br#"{"dat":1,"datA":2,"Data":3,"data_":4,"data":{"taskResult":[{"taskResult":{"data":{"structData":{"data":["x"]}}}}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":{"data":{"structData":{"data":["a"]}}},"taskResult":{"data":{"structData":{"data":["b"]}}}}]}}"#,
        br#"{"data":{"taskResult":[{"taskResult":{"result":{"data":{"structData":{"data":["r"]}}},"data":{"structData":{"data":["no"]}}}}]}}"#,
    ];
    let want: &[&[&str]] = &[&["first"], &["esc"], &["deep"], &["x"], &["a"], &["r"]];
    for (input, want) in cases.iter().zip(want) {
        assert_eq!(assert_agrees(input), *want);
    }
}

#[test]
fn decoys_holding_json_do_not_confuse_the_walk() {
    let decoy = r#"{\"structData\":{\"data\":[\"decoy\"]}}"#;
    let input = format!(
        r#"{{"x":"{decoy}","data":{{"y":[{{"data":"{decoy}"}}],"taskResult":[{{"note":"{decoy}","taskResult":"{{\"z\":\"{{\\\"data\\\":1}}\",\"data\":{{\"structData\":{{\"data\":[\"real\"],\"n\":[1.5e3,-0,0.25E-2]}}}}}}"}}]}}}}"#
    );
    assert_eq!(assert_agrees(input.as_bytes()), ["real"]);
}

#[test]
fn input_cut_anywhere_errs_without_wrong_or_missing_urls() {
    let inputs = [
        SAMPLE.to_vec(),
        build(
            &[
                Some(vec!["https://a/é\"1".into(), "u2".into()]),
                None,
                Some(vec!["u3".into()]),
            ],
            OBSERVED,
            [
                style("pretty"),
                style("python"),
                style("every-char"),
                style("go"),
            ],
        ),
    ];
    for input in &inputs {
        let full = reference(input).unwrap();
        let last = input.iter().rposition(|&b| b == b'}').unwrap();
        for cut in 0..input.len() {
            let part = &input[..cut];
            let (got, err) = lazy(part);
            assert!(full.starts_with(&got), "cut {cut}: {got:?}");
            if cut <= last {
                assert!(strict(part).is_err(), "cut {cut}: strict accepted");
            }
            match err {
                Some(e) => {
                    assert_eq!(e.kind(), ErrorKind::Eof, "cut {cut}: {e}");
                    assert_eq!(e.offset(), cut, "cut {cut}: {e}");
                }
                None => assert_eq!(got, full, "cut {cut}: quiet early end"),
            }
        }
    }
}

#[test]
fn damaged_input_is_judged_as_the_reference_judges_it() {
    let base = build(
        &[Some(vec![
            "https://a/1.png".into(),
            "https://a/é.png".into(),
        ])],
        OBSERVED,
        [COMPACT, style("php"), style("pretty"), COMPACT],
    );
    for input in [SAMPLE.to_vec(), base] {
        for i in 0..input.len() {
            let mut variants = Vec::new();
            for b in [b'"', b'\\', b'x', 0xFF, b'{', b'1', b' '] {
                let mut v = input.clone();
                v[i] = b;
                variants.push(v);
                let mut v = input.clone();
                v.insert(i, b);
                variants.push(v);
            }
            let mut v = input.clone();
            v.remove(i);
            variants.push(v);
            for v in &variants {
                check_damaged(v);
            }
        }
    }
}

fn check_damaged(v: &[u8]) {
    let text = String::from_utf8_lossy(v);
    match reference(v) {
        Ok(want) => {
            assert_eq!(strict(v), Ok(want.clone()), "strict on {text}");
            let (got, err) = lazy(v);
            assert_eq!(err, None, "lazy on {text}");
            assert_eq!(got, want, "lazy on {text}");
        }
        Err(_) => {
            assert!(strict(v).is_err(), "strict accepted {text}");
            if let (_, Some(e)) = lazy(v) {
                assert!(e.offset() <= v.len());
            }
        }
    }
}

#[test]
fn errors_name_what_where_and_level() {
    let input = br#"{"data":{"taskResult":[{"taskResult":"{\"result\":\"{\\\"data\\\":{\\\"structData\\\":{\\\"data\\\":[\\\"a\\\" \\\"b\\\"]}}}\"}"}]}}"#;
    let (got, err) = lazy(input);
    assert_eq!(got, ["a"]);
    let e = err.unwrap();
    assert_eq!(e.kind(), ErrorKind::Expected(Expected::CommaOrBracket));
    assert_eq!(e.level(), 2);
    let at = input.windows(5).position(|w| w == br#"\\\"b"#).unwrap();
    assert_eq!(e.offset(), at);
    assert_eq!(
        e.to_string(),
        format!("expected ',' or ']' at byte {at} (embedded level 2)")
    );
    assert_eq!(e.line_col(input), (1, at + 1));
    let e = Response::parse(b"{\n\n  \"data\": [}")
        .unwrap()
        .image_urls()
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(e.line_col(b"{\n\n  \"data\": [}"), (3, 11));
}

#[test]
fn request_body_and_status_names() {
    assert_eq!(Request::new("abc").to_json(), r#"{"taskId":"abc"}"#);
    let odd = Request::new("a\"b\\c\n").to_json();
    let parsed: serde_json::Value = serde_json::from_str(&odd).unwrap();
    assert_eq!(parsed["taskId"], "a\"b\\c\n");
    for s in ["pending", "running", "finished", "failed", "other"] {
        let st = TaskStatus::from(Cow::Borrowed(s));
        assert_eq!(st.as_str(), s);
        assert_eq!(st.to_string(), s);
    }
    assert!(matches!(
        TaskStatus::from(Cow::Borrowed("x")),
        TaskStatus::Unknown(_)
    ));
    assert!(TaskStatus::Failed.is_done() && !TaskStatus::Running.is_done());
}

#[test]
fn iterators_are_fused_after_an_error() {
    // With a `result` member first, the walk reaches "a" before the fault.
    let input = br#"{"data":{"taskResult":[{"taskResult":{"result":{"data":{"structData":{"data":["a",}}}}}]}}"#;
    let r = Response::parse(input).unwrap();
    let mut it = r.image_urls();
    assert_eq!(it.next().unwrap().unwrap(), "a");
    assert!(it.next().unwrap().is_err());
    assert!(it.next().is_none());
    assert!(it.next().is_none());
    let (lo, hi) = it.size_hint();
    assert_eq!((lo, hi), (0, Some(0)));
}

/// Input that runs out inside a URL runs out at the URL's level; before the
/// first item's `taskResult`, at level 0.
#[test]
fn cut_errors_name_the_level_the_reader_was_in() {
    let full = common::SAMPLE;
    let spans: Vec<(usize, usize, u8)> = common::url_values(full)
        .unwrap()
        .into_iter()
        .map(|(v, _)| {
            let start = v.offset();
            (start, start + v.raw().len(), v.level())
        })
        .collect();
    let first_hop = full
        .windows(12)
        .position(|w| w == b"\"taskResult\"")
        .unwrap();
    let mut inside = 0;
    for cut in 0..full.len() {
        let (_, err) = common::lazy(&full[..cut]);
        let Some(e) = err else { continue };
        assert_eq!(e.offset(), cut);
        if let Some(&(_, _, level)) = spans.iter().find(|(s, e, _)| *s < cut && cut < *e) {
            assert_eq!(e.level(), level, "cut {cut} inside a URL: {e}");
            inside += 1;
        } else if cut < first_hop {
            assert_eq!(e.level(), 0, "cut {cut}: {e}");
        }
    }
    assert!(inside > 100, "{inside} cuts inside URLs");
}
