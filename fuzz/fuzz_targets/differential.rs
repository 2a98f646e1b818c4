//! Responses against the multi-pass serde_json reference. The first byte
//! chooses raw bytes, or a response built from a skeleton (each level in a
//! chosen escaping style) and then maybe damaged, so deep levels are reached.
#![no_main]
use handfoot_fuzz::common::{self, gen};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        common::check_response(rest);
        return;
    }
    let mut c = gen::Choices::new(rest);
    let mut input = gen::response(&mut c);
    if mode & 2 == 2 {
        gen::damage(&mut c, &mut input);
    } else {
        common::check_borrowing(&input);
    }
    common::check_response(&input);
});
