//! The typed model read straight (`model::Response::from_value`, an item's
//! levels) against the same read through serde's visitors: the same result,
//! errors included. The first byte chooses raw bytes, or a generated
//! response (maybe damaged), so the model's shape is reached.
#![no_main]
use handfoot_fuzz::common::{self, gen::FuzzInput};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some(input) = FuzzInput::new(data) {
        common::check_model(input.bytes());
    }
});
