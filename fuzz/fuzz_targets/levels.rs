//! A JSON value embedded k times, each level in a chosen style, read back
//! through `embedded()` k times: the same value serde_json sees.
#![no_main]
use handfoot_fuzz::common::{gen, same};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (j, k, buf) = gen::embedded_value(&mut gen::Choices::new(data));
    let mut v = handfoot::Value::from_slice(buf.as_bytes()).unwrap();
    for _ in 0..k {
        v = v.embedded().unwrap();
    }
    assert_eq!(usize::from(v.level()), k);
    v.validate().unwrap();
    if let Err(e) = same(v, &j) {
        panic!("level {k}: {e}\n{buf}");
    }
});
