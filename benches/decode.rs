//! Decode the response and walk every image URL, summing their lengths so
//! nothing is optimised away: handfoot against the libraries people use
//! today, every contender in one group per fixture.
//!
//! `python3 benches/table.py` runs this and prints the comparison table of
//! BENCHMARKS.md.

#[path = "../tests/common/mod.rs"]
mod common;

use std::borrow::Cow;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde::Deserialize;

type Contender = fn(&[u8]) -> usize;

/// handfoot, lazy: the URLs as the walk reaches them.
fn handfoot_lazy(input: &[u8]) -> usize {
    let r = handfoot::Response::parse(input).unwrap();
    r.image_urls().map(|u| u.unwrap().len()).sum()
}

/// handfoot, strict: the whole document checked first.
fn handfoot_strict(input: &[u8]) -> usize {
    let r = handfoot::Response::parse(input).unwrap();
    r.validate().unwrap();
    r.image_urls().map(|u| u.unwrap().len()).sum()
}

/// The usual pipeline: typed structs with `String` fields, parse, unescape
/// into a `String`, parse again, twice.
#[path = "../tests/common/typed.rs"]
mod typed;

#[path = "../tests/common/floor.rs"]
mod floor;

/// serde_json's `Value` tree at every level.
fn serde_value(input: &[u8]) -> usize {
    let root: serde_json::Value = serde_json::from_slice(input).unwrap();
    let mut sum = 0;
    for item in root["data"]["taskResult"].as_array().unwrap() {
        let Some(tr) = item["taskResult"].as_str().filter(|s| !s.is_empty()) else {
            continue;
        };
        let l1: serde_json::Value = serde_json::from_str(tr).unwrap();
        let l2: serde_json::Value = serde_json::from_str(l1["result"].as_str().unwrap()).unwrap();
        for u in l2["data"]["structData"]["data"].as_array().unwrap() {
            sum += u.as_str().unwrap().len();
        }
    }
    sum
}

/// serde_json borrowing where it can: `&RawValue` to skip what is off the
/// path, `Cow<str>` for the embedded strings (owned whenever they hold
/// escapes, which embedded JSON always does).
mod borrowed {
    use super::*;
    use serde_json::value::RawValue;

    #[derive(Deserialize)]
    pub struct Envelope<'a> {
        #[serde(borrow)]
        pub data: Data<'a>,
    }
    #[derive(Deserialize)]
    pub struct Data<'a> {
        #[serde(borrow, rename = "taskResult")]
        pub task_result: Vec<Item<'a>>,
    }
    #[derive(Deserialize)]
    pub struct Item<'a> {
        #[serde(borrow, rename = "taskResult")]
        pub task_result: Cow<'a, str>,
    }
    #[derive(Deserialize)]
    pub struct Level1<'a> {
        #[serde(borrow)]
        pub result: Cow<'a, str>,
    }
    #[derive(Deserialize)]
    pub struct Level2<'a> {
        #[serde(borrow)]
        pub data: Level2Data<'a>,
    }
    #[derive(Deserialize)]
    pub struct Level2Data<'a> {
        #[serde(borrow, rename = "structData")]
        pub struct_data: StructData<'a>,
        #[serde(borrow, rename = "usageMap", default)]
        pub _usage_map: Option<&'a RawValue>,
    }
    #[derive(Deserialize)]
    pub struct StructData<'a> {
        // handfoot's `CowStr`: serde's own `Vec<Cow<str>>` copies every
        // element, `borrow` or not.
        #[serde(borrow)]
        pub data: Vec<handfoot::model::CowStr<'a>>,
    }

    pub fn run(input: &[u8]) -> usize {
        let env: Envelope<'_> = serde_json::from_slice(input).unwrap();
        let mut sum = 0;
        for item in &env.data.task_result {
            if item.task_result.is_empty() {
                continue;
            }
            let l1: Level1<'_> = serde_json::from_str(&item.task_result).unwrap();
            let l2: Level2<'_> = serde_json::from_str(&l1.result).unwrap();
            sum += l2
                .data
                .struct_data
                .data
                .iter()
                .map(|u| u.0.len())
                .sum::<usize>();
        }
        sum
    }
}

/// simd-json's borrowed values, each level parsed from a mutable copy as its
/// API requires (the copies are counted).
fn simd_json_borrowed(input: &[u8]) -> usize {
    use simd_json::prelude::*;
    let mut buf = input.to_vec();
    let root = simd_json::to_borrowed_value(&mut buf).unwrap();
    let mut sum = 0;
    let items = root.get("data").unwrap().get("taskResult").unwrap();
    for item in items.as_array().unwrap() {
        let Some(tr) = item.get_str("taskResult").filter(|s| !s.is_empty()) else {
            continue;
        };
        let mut b1 = tr.as_bytes().to_vec();
        let l1 = simd_json::to_borrowed_value(&mut b1).unwrap();
        let mut b2 = l1.get_str("result").unwrap().as_bytes().to_vec();
        let l2 = simd_json::to_borrowed_value(&mut b2).unwrap();
        let urls = l2
            .get("data")
            .unwrap()
            .get("structData")
            .unwrap()
            .get("data")
            .unwrap();
        for u in urls.as_array().unwrap() {
            sum += u.as_str().unwrap().len();
        }
    }
    sum
}

/// sonic-rs's lazy `get` and array iterator: only the path is parsed, each
/// embedded level unescaped by `as_str` and searched again.
fn sonic_lazy(input: &[u8]) -> usize {
    use sonic_rs::JsonValueTrait;
    let items = sonic_rs::get(input, &["data", "taskResult"]).unwrap();
    let mut sum = 0;
    for item in sonic_rs::to_array_iter(items.as_raw_str()) {
        let item = item.unwrap();
        let tr = sonic_rs::get(item.as_raw_str(), &["taskResult"]).unwrap();
        let Some(tr) = tr.as_str().filter(|s| !s.is_empty()) else {
            continue;
        };
        let result = sonic_rs::get(tr, &["result"]).unwrap();
        let l2 = result.as_str().unwrap();
        let urls = sonic_rs::get(l2, &["data", "structData", "data"]).unwrap();
        for u in sonic_rs::to_array_iter(urls.as_raw_str()) {
            sum += u.unwrap().as_str().unwrap().len();
        }
    }
    sum
}

const CONTENDERS: &[(&str, Contender)] = &[
    ("handfoot-lazy", handfoot_lazy),
    ("handfoot-strict", handfoot_strict),
    ("serde_json-typed", typed::run),
    ("serde_json-value", serde_value),
    ("serde_json-borrowed", borrowed::run),
    ("simd-json", simd_json_borrowed),
    ("sonic-rs-lazy", sonic_lazy),
];

fn decode(c: &mut Criterion) {
    for &name in common::fixtures::NAMES {
        let input = common::fixtures::fixture(name);
        let want: usize = common::reference(&input)
            .unwrap()
            .iter()
            .map(String::len)
            .sum();
        for (who, f) in CONTENDERS {
            assert_eq!(f(&input), want, "{who} on {name}");
        }
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(input.len() as u64));
        if input.len() > 1_000_000 {
            g.sample_size(10);
        }
        for (who, f) in CONTENDERS {
            g.bench_with_input(BenchmarkId::from_parameter(who), &input[..], |b, i| {
                b.iter(|| f(black_box(i)))
            });
        }
        g.bench_with_input(
            BenchmarkId::from_parameter("floor-memchr"),
            &input[..],
            |b, i| b.iter(|| floor::floor_memchr(black_box(i))),
        );
        g.finish();
    }
}

/// How long until the first URL of the 1000-item response is in hand.
fn first_url(c: &mut Criterion) {
    let input = common::fixtures::fixture("items-1000");
    let mut g = c.benchmark_group("first-url-items-1000");
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.bench_function("handfoot-lazy", |b| {
        b.iter(|| {
            let r = handfoot::Response::parse(black_box(&input)).unwrap();
            r.image_urls().next().unwrap().unwrap().len()
        })
    });
    g.bench_function("serde_json-typed", |b| {
        b.iter(|| {
            let env: typed::Envelope = serde_json::from_slice(black_box(&input)).unwrap();
            let l1: typed::Level1 =
                serde_json::from_str(&env.data.task_result[0].task_result).unwrap();
            let l2: typed::Level2 = serde_json::from_str(&l1.result).unwrap();
            l2.data.struct_data.data[0].len()
        })
    });
    g.bench_function("sonic-rs-lazy", |b| {
        use sonic_rs::JsonValueTrait;
        b.iter(|| {
            let tr = sonic_rs::get(
                black_box(&input[..]),
                &sonic_rs::pointer!["data", "taskResult", 0, "taskResult"],
            )
            .unwrap();
            let result = sonic_rs::get(tr.as_str().unwrap(), &["result"]).unwrap();
            let u = sonic_rs::get(
                result.as_str().unwrap(),
                &sonic_rs::pointer!["data", "structData", "data", 0],
            )
            .unwrap();
            u.as_str().unwrap().len()
        })
    });
    g.finish();
}

/// The sample decoded into the typed model (`handfoot::model`), every URL
/// walked, against serde_json's typed pipeline: read straight
/// (`Response::from_value`), through serde's visitors (`Value::deserialize`),
/// and with serde_json reading the envelope.
fn model(c: &mut Criterion) {
    fn walk(r: handfoot::model::Response<'_>) -> usize {
        let mut sum = 0;
        for item in r.data.unwrap().task_result.unwrap_or_default() {
            sum += item
                .image_urls()
                .unwrap()
                .iter()
                .map(|u| u.len())
                .sum::<usize>();
        }
        sum
    }
    let input = common::SAMPLE;
    let want = typed::run(input);
    let mut g = c.benchmark_group("model-sample");
    g.throughput(Throughput::Bytes(input.len() as u64));
    let in_place = |i: &[u8]| {
        let v = handfoot::Value::from_slice(i).unwrap();
        walk(handfoot::model::Response::from_value(v).unwrap())
    };
    let through_serde = |i: &[u8]| {
        walk(
            handfoot::Value::from_slice(i)
                .unwrap()
                .deserialize()
                .unwrap(),
        )
    };
    let envelope_by_serde_json = |i: &[u8]| walk(serde_json::from_slice(i).unwrap());
    assert_eq!(in_place(input), want);
    assert_eq!(through_serde(input), want);
    assert_eq!(envelope_by_serde_json(input), want);
    g.bench_function("handfoot-model", |b| b.iter(|| in_place(black_box(input))));
    g.bench_function("handfoot-model-deserialize", |b| {
        b.iter(|| through_serde(black_box(input)))
    });
    g.bench_function("handfoot-model-serde_json-envelope", |b| {
        b.iter(|| envelope_by_serde_json(black_box(input)))
    });
    g.bench_function("serde_json-typed", |b| {
        b.iter(|| typed::run(black_box(input)))
    });
    g.finish();
}

criterion_group!(benches, decode, first_url, model);
criterion_main!(benches);
