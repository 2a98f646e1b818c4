//! Responses against the multi-pass serde_json reference. The first byte
//! chooses raw bytes, or a response built from a skeleton (each level in a
//! chosen escaping style) and then maybe damaged, so deep levels are reached.
#![no_main]
use handfoot_fuzz::common::{self, gen::FuzzInput};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(input) = FuzzInput::new(data) else {
        return;
    };
    if let FuzzInput::Generated(bytes) = &input {
        common::check_borrowing(bytes);
    }
    common::check_response(input.bytes());
});
