//! The typed model read straight (`model::Response::from_value`, an item's
//! levels) against the same read through serde's visitors: the same result,
//! errors included. The first byte chooses raw bytes, or a generated
//! response (maybe damaged), so the model's shape is reached.
#![no_main]
use handfoot_fuzz::common::{self, gen};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        common::check_model(rest);
        return;
    }
    let mut c = gen::Choices::new(rest);
    let mut input = gen::response(&mut c);
    if mode & 2 == 2 {
        gen::damage(&mut c, &mut input);
    }
    common::check_model(&input);
});
