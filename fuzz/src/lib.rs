//! Shared by the fuzz targets: the test suite's reference decode, checks
//! and choice-driven generators, so fuzzing and the property tests judge by
//! the same rules.

#[path = "../../tests/common/mod.rs"]
pub mod common;

/// Calls every accessor of the response view on `input`; panics only when
/// `validate()` accepts and the lazy walk still errs.
pub fn decode_all(input: &[u8]) {
    let Ok(r) = handfoot::Response::parse(input) else {
        return;
    };
    let _ = (
        r.code(),
        r.request_id(),
        r.trace_id(),
        r.task_id(),
        r.task_status(),
    );
    let _ = r.data().map(|d| d.map(|d| d.raw()));
    let lazy: Result<Vec<_>, _> = r.image_urls().collect();
    for item in r.results().take(64) {
        let Ok(item) = item else { break };
        let _ = (item.task_status(), item.usage(), item.request_biz_id());
        let _ = (
            item.result(),
            item.usage_map(),
            item.success(),
            item.request_id(),
        );
        for u in item.image_urls() {
            if u.is_err() {
                break;
            }
        }
    }
    if r.validate().is_ok() {
        if let Err(e) = lazy {
            panic!("validate() accepts but the lazy walk errs: {e}");
        }
    }
}
