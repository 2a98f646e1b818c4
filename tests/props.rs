//! Differential property tests: every decode path agrees with the
//! multi-pass serde_json reference of SPEC §3 (`common::reference_items`).
//!
//! Inputs come from `common::gen`, driven by a vector of choice bytes that
//! proptest shrinks toward zeros (the simplest choice) and fewer bytes, so a
//! failure shrinks to a small response. `PROPTEST_CASES` raises the count
//! from the default of 1,000 per property.

mod common;

use common::gen::{self, Choices};
use common::{check_borrowing, check_response, check_value, reference, same, serde_accepts};
use proptest::prelude::*;

fn cases() -> u32 {
    let default = if cfg!(miri) { 4 } else { 1000 };
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn choices() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..1024)
}

fn response(bytes: &[u8]) -> Vec<u8> {
    gen::response(&mut Choices::new(bytes))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_responses_agree_with_the_reference(c in choices()) {
        let input = response(&c);
        let text = String::from_utf8_lossy(&input);
        prop_assert!(reference(&input).is_ok(), "generator made an invalid response: {}", text);
        check_response(&input);
        let r = handfoot::Response::parse(&input).unwrap();
        prop_assert_eq!(r.validate(), Ok(()));
    }

    #[test]
    fn plain_urls_are_borrowed_slices(c in choices()) {
        let input = response(&c);
        check_borrowing(&input);
    }

    #[test]
    fn a_cut_response_errs_at_its_end(c in choices(), cuts in proptest::collection::vec(any::<u32>(), 8)) {
        let input = response(&c);
        let full = reference(&input).unwrap();
        // Cutting off trailing whitespace leaves a valid response.
        let end = input.iter().rposition(|b| !b" \t\r\n".contains(b)).unwrap() + 1;
        for cut in cuts {
            let cut = cut as usize % end;
            let short = &input[..cut];
            let r = handfoot::Response::parse(short);
            let (urls, err) = common::lazy(short);
            prop_assert!(full.starts_with(&urls), "cut {}: URLs not a prefix", cut);
            match err {
                Some(e) => {
                    prop_assert!(e.is_eof(), "cut {}: {}", cut, e);
                    prop_assert_eq!(e.offset(), cut);
                    prop_assert!(usize::from(e.level()) <= common::MAX_LEVEL);
                }
                None => prop_assert_eq!(&urls, &full, "cut {}: quiet early end", cut),
            }
            if let Ok(r) = r {
                // The strict pass reads level 0 in full first, so it runs
                // out there.
                let e = r.validate().unwrap_err();
                prop_assert!(e.is_eof() && e.offset() == cut, "cut {}: {}", cut, e);
                prop_assert_eq!(e.level(), 0);
            }
        }
    }

    #[test]
    fn a_damaged_response_never_misleads(c in choices(), d in proptest::collection::vec(any::<u8>(), 8)) {
        let mut input = response(&c);
        let mut dc = Choices::new(&d);
        let _what = gen::damage(&mut dc, &mut input);
        check_response(&input);
    }

    #[test]
    fn values_read_the_same_k_levels_in(c in choices()) {
        let (j, k, buf) = gen::embedded_value(&mut Choices::new(&c));
        let mut v = handfoot::Value::from_slice(buf.as_bytes()).unwrap();
        for _ in 0..k {
            v = v.embedded().unwrap();
        }
        prop_assert_eq!(usize::from(v.level()), k);
        prop_assert_eq!(v.validate(), Ok(()));
        if let Err(e) = same(v, &j) {
            prop_assert!(false, "level {}: {}\n{}", k, e, buf);
        }
        check_value(buf.as_bytes(), 200);
    }

    #[test]
    fn validate_agrees_with_serde_json_on_any_bytes(
        b in proptest::collection::vec(
            prop_oneof![
                Just(b'"'), Just(b'\\'), Just(b'{'), Just(b'}'), Just(b'['), Just(b']'),
                Just(b','), Just(b':'), Just(b'u'), Just(b'0'), Just(b'1'), Just(b'e'),
                Just(b'-'), Just(b'.'), Just(b' '), Just(b'n'), Just(b't'), any::<u8>(),
            ],
            0..64,
        )
    ) {
        check_value(&b, 200);
        let _ = serde_accepts(&b);
    }
}
