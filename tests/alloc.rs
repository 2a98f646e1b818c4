//! Decoding the sample, the 1000-item and the 1000-URL fixtures and walking
//! every URL allocates nothing, and the typed model allocates only its
//! vectors: a counting global allocator in its own test binary, counting per thread, so that tests running beside each other do
//! not count each other's allocations.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    // `const`: no lazy initialisation, which would itself allocate.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: a thread being torn down may still free or allocate.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is passed on to the system allocator unchanged; the
// counter is only a side effect.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn walking_every_url_allocates_nothing() {
    for name in ["sample", "items-1000", "urls-1000"] {
        let input = common::fixtures::fixture(name);
        let want = common::reference(&input).unwrap();
        let mut count = 0;
        let mut bytes = 0;
        let n = allocations(|| {
            let r = handfoot::Response::parse(&input).unwrap();
            for u in r.image_urls() {
                let u = u.unwrap();
                assert!(matches!(u, std::borrow::Cow::Borrowed(_)));
                count += 1;
                bytes += u.len();
            }
        });
        assert_eq!(n, 0, "{name}: {n} allocations");
        assert_eq!(count, want.len(), "{name}");
        assert_eq!(bytes, want.iter().map(String::len).sum::<usize>());
        // The strict pass and the item view too.
        let n = allocations(|| {
            let r = handfoot::Response::parse(&input).unwrap();
            r.validate().unwrap();
            for item in r.results() {
                let item = item.unwrap();
                item.task_status().unwrap();
                for u in item.image_urls() {
                    u.unwrap();
                }
            }
        });
        assert_eq!(n, 0, "{name} (validate, results): {n} allocations");
    }
}

/// The typed model copies no string of the sample: its only allocations are
/// its two vectors (the items, an item's URLs), through either deserializer
/// and read straight.
#[test]
fn the_model_allocates_only_its_vectors() {
    use handfoot::model;
    let input = common::fixtures::fixture("sample");
    let urls = |r: model::Response<'_>| {
        let mut n = 0;
        for item in r.data.unwrap().task_result.unwrap() {
            // Level 2 whole, its URL vector the one allocation.
            let level2 = item.level2().unwrap().unwrap();
            n += level2
                .data
                .unwrap()
                .struct_data
                .unwrap()
                .data
                .unwrap()
                .len();
        }
        n
    };
    let mut found = 0;
    let n = allocations(|| {
        let r: model::Response = handfoot::Value::from_slice(&input)
            .unwrap()
            .deserialize()
            .unwrap();
        found = urls(r);
    });
    assert_eq!((n, found), (2, 4), "in place");
    let n = allocations(|| {
        let v = handfoot::Value::from_slice(&input).unwrap();
        found = urls(model::Response::from_value(v).unwrap());
    });
    assert_eq!((n, found), (2, 4), "read straight");
    let n = allocations(|| {
        let r: model::Response = serde_json::from_slice(&input).unwrap();
        found = urls(r);
    });
    assert_eq!((n, found), (2, 4), "envelope through serde_json");
}

#[test]
fn the_counter_counts() {
    let n = allocations(|| drop(std::hint::black_box(vec![1u8; 10])));
    assert_eq!(n, 1);
}
