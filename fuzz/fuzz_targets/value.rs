//! Arbitrary bytes through `Value`: every accessor at every level reachable,
//! `validate()` against serde_json's accept/reject.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    handfoot_fuzz::common::check_value(data, 2000);
});
