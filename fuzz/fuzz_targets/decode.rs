//! Arbitrary bytes through every entry point of the response view.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    handfoot_fuzz::decode_all(data);
});
