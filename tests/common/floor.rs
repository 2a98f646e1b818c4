//! The floor of the benchmarks: the least an in-place reader must look at.
//! Shared by the benches and `examples/profile.rs` (included by path).

/// The floor: one `memchr` pass that stops at every run of backslashes,
/// the least an in-place reader must look at. Returns the number of runs.
pub fn floor_memchr(input: &[u8]) -> usize {
    let mut runs = 0;
    let mut pos = 0;
    while let Some(i) = memchr::memchr(b'\\', &input[pos..]) {
        let mut end = pos + i + 1;
        while input.get(end) == Some(&b'\\') {
            end += 1;
        }
        runs += 1;
        pos = end;
    }
    runs
}
