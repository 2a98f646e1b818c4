//! One job, many times over, for a profiler: `valgrind --tool=callgrind`
//! counts instructions whatever the machine's load (BENCHMARKS.md).
//!
//! ```sh
//! cargo build --profile bench --example profile
//! valgrind --tool=callgrind target/release/examples/profile lazy 1000 tests/fixtures/sample_response.json
//! ```
//!
//! Jobs: `lazy` (every URL), `envelope` (to the first item), `path` (down to
//! the first item's URL array with `Value::get`), `model` (the typed model
//! through handfoot), `serde_json` (the typed serde_json pipeline),
//! `get-last` (`get` of an object's last key).

use handfoot::Value;
use serde::Deserialize;

#[derive(Deserialize)]
struct Envelope {
    data: Data,
}
#[derive(Deserialize)]
struct Data {
    #[serde(rename = "taskResult")]
    task_result: Vec<Item>,
}
#[derive(Deserialize)]
struct Item {
    #[serde(rename = "taskResult")]
    task_result: String,
}
#[derive(Deserialize)]
struct Level1 {
    result: String,
}
#[derive(Deserialize)]
struct Level2 {
    data: Level2Data,
}
#[derive(Deserialize)]
struct Level2Data {
    #[serde(rename = "structData")]
    struct_data: StructData,
}
#[derive(Deserialize)]
struct StructData {
    data: Vec<String>,
}

fn serde_json_typed(input: &[u8]) -> usize {
    let env: Envelope = serde_json::from_slice(input).unwrap();
    let mut sum = 0;
    for item in env.data.task_result {
        let l1: Level1 = serde_json::from_str(&item.task_result).unwrap();
        let l2: Level2 = serde_json::from_str(&l1.result).unwrap();
        sum += l2
            .data
            .struct_data
            .data
            .iter()
            .map(String::len)
            .sum::<usize>();
    }
    sum
}

fn member<'a>(v: Value<'a>, key: &str) -> Value<'a> {
    v.get(key).unwrap().unwrap()
}

fn job(name: &str, input: &[u8]) -> usize {
    match name {
        "lazy" => {
            let r = handfoot::Response::parse(input).unwrap();
            r.image_urls().map(|u| u.unwrap().len()).sum()
        }
        "envelope" => {
            let items = member(
                member(Value::from_slice(input).unwrap(), "data"),
                "taskResult",
            );
            items.elements().next().unwrap().unwrap().offset()
        }
        "path" => {
            let items = member(
                member(Value::from_slice(input).unwrap(), "data"),
                "taskResult",
            );
            let item = items.elements().next().unwrap().unwrap();
            let level1 = member(item, "taskResult").embedded().unwrap();
            let level2 = member(level1, "result").embedded().unwrap();
            member(member(member(level2, "data"), "structData"), "data").offset()
        }
        "model" => {
            let r: handfoot::model::Response =
                Value::from_slice(input).unwrap().deserialize().unwrap();
            let items = r.data.unwrap().task_result.unwrap_or_default();
            items.iter().map(|i| i.image_urls().unwrap().len()).sum()
        }
        "serde_json" => serde_json_typed(input),
        "get-last" => {
            let v = Value::from_slice(input).unwrap();
            let last = v.members().last().unwrap().unwrap().0;
            v.get(&last).unwrap().unwrap().offset()
        }
        _ => panic!("no job {name}"),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "lazy".into());
    let n: usize = args.next().map_or(1000, |n| n.parse().expect("a count"));
    let input = match args.next() {
        Some(path) => std::fs::read(path).expect("readable input"),
        None => include_bytes!("../tests/fixtures/sample_response.json").to_vec(),
    };
    let mut sum = 0;
    for _ in 0..n {
        sum += job(&name, std::hint::black_box(&input));
    }
    println!("{sum}");
}
