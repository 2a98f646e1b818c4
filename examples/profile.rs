//! One job, many times over, for a profiler: `valgrind --tool=callgrind`
//! counts instructions whatever the machine's load (BENCHMARKS.md).
//!
//! ```sh
//! cargo build --profile bench --example profile
//! valgrind --tool=callgrind target/release/examples/profile lazy 1000 tests/fixtures/sample_response.json
//! valgrind --tool=callgrind target/release/examples/profile lazy 10 @items-1000
//! ```
//!
//! The input is the sample, a file, or with `@` one of the benches' fixtures.
//!
//! Jobs: `lazy` (every URL), `strict` (`validate`, then every URL), `envelope` (to the first item), `path` (down to
//! the first item's URL array with `Value::get`), `model` (the typed model
//! through handfoot, `model::Response::from_value`), `model-serde` (its
//! envelope through serde's visitors, `Value::deserialize`), `serde_json` (the typed serde_json pipeline), `floor` (the benches'
//! memchr floor),
//! `get-last` (`get` of an object's last key).

use handfoot::Value;

#[path = "../tests/common/typed.rs"]
mod typed;

#[path = "../tests/common/floor.rs"]
mod floor;

#[path = "../tests/common/mod.rs"]
mod common;

fn member<'a>(v: Value<'a>, key: &str) -> Value<'a> {
    v.get(key).unwrap().unwrap()
}

/// The job called `name`. Each is a function of its own, called through a
/// pointer, so that adding or changing one does not change how the others
/// are compiled.
fn job(name: &str) -> fn(&[u8]) -> usize {
    match name {
        "lazy" => lazy,
        "strict" => strict,
        "envelope" => envelope,
        "path" => path,
        "model" => model,
        "model-serde" => model_serde,
        "model-envelope" => model_envelope,
        "serde_json" => typed::run,
        "floor" => floor::floor_memchr,
        "get-last" => get_last,
        _ => panic!("no job {name}"),
    }
}

#[inline(never)]
fn lazy(input: &[u8]) -> usize {
    let r = handfoot::Response::parse(input).unwrap();
    r.image_urls().map(|u| u.unwrap().len()).sum()
}

#[inline(never)]
fn strict(input: &[u8]) -> usize {
    let r = handfoot::Response::parse(input).unwrap();
    r.validate().unwrap();
    r.image_urls().map(|u| u.unwrap().len()).sum()
}

#[inline(never)]
fn envelope(input: &[u8]) -> usize {
    let items = member(
        member(Value::from_slice(input).unwrap(), "data"),
        "taskResult",
    );
    items.elements().next().unwrap().unwrap().offset()
}

#[inline(never)]
fn path(input: &[u8]) -> usize {
    let items = member(
        member(Value::from_slice(input).unwrap(), "data"),
        "taskResult",
    );
    let item = items.elements().next().unwrap().unwrap();
    let level1 = member(item, "taskResult").embedded().unwrap();
    let level2 = member(level1, "result").embedded().unwrap();
    member(member(member(level2, "data"), "structData"), "data").offset()
}

#[inline(never)]
fn model(input: &[u8]) -> usize {
    let v = Value::from_slice(input).unwrap();
    let r = handfoot::model::Response::from_value(v).unwrap();
    let items = r.data.unwrap().task_result.unwrap_or_default();
    items.iter().map(|i| i.image_urls().unwrap().len()).sum()
}

/// The model's envelope through serde's visitors (`Value::deserialize`).
#[inline(never)]
fn model_serde(input: &[u8]) -> usize {
    let r: handfoot::model::Response = Value::from_slice(input).unwrap().deserialize().unwrap();
    let items = r.data.unwrap().task_result.unwrap_or_default();
    items.iter().map(|i| i.image_urls().unwrap().len()).sum()
}

/// The model with its envelope read by serde_json (`Embedded` through
/// `RawValue`), the embedded levels in place.
#[inline(never)]
fn model_envelope(input: &[u8]) -> usize {
    let r: handfoot::model::Response = serde_json::from_slice(input).unwrap();
    let items = r.data.unwrap().task_result.unwrap_or_default();
    items.iter().map(|i| i.image_urls().unwrap().len()).sum()
}

#[inline(never)]
fn get_last(input: &[u8]) -> usize {
    let v = Value::from_slice(input).unwrap();
    let last = v.members().last().unwrap().unwrap().0;
    v.get(&last).unwrap().unwrap().offset()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "lazy".into());
    let n: usize = args.next().map_or(1000, |n| n.parse().expect("a count"));
    let input = match args.next() {
        Some(path) => match path.strip_prefix('@') {
            Some(name) => common::fixtures::fixture(name),
            None => std::fs::read(path).expect("readable input"),
        },
        None => include_bytes!("../tests/fixtures/sample_response.json").to_vec(),
    };
    let job = job(&name);
    let mut sum = 0;
    for _ in 0..n {
        sum += job(std::hint::black_box(&input));
    }
    println!("{sum}");
}
