//! The usual pipeline, the one the benchmarks compare against: typed structs
//! with `String` fields, `from_str` on each embedded level. Shared by the
//! benches and `examples/profile.rs` (included by path).

use serde::Deserialize;

#[derive(Deserialize)]
pub struct Envelope {
    pub data: Data,
}
#[derive(Deserialize)]
pub struct Data {
    #[serde(rename = "taskResult")]
    pub task_result: Vec<Item>,
}
#[derive(Deserialize)]
pub struct Item {
    #[serde(rename = "taskResult")]
    pub task_result: String,
}
#[derive(Deserialize)]
pub struct Level1 {
    pub result: String,
}
#[derive(Deserialize)]
pub struct Level2 {
    pub data: Level2Data,
}
#[derive(Deserialize)]
pub struct Level2Data {
    #[serde(rename = "structData")]
    pub struct_data: StructData,
}
#[derive(Deserialize)]
pub struct StructData {
    pub data: Vec<String>,
}

pub fn run(input: &[u8]) -> usize {
    let env: Envelope = serde_json::from_slice(input).unwrap();
    let mut sum = 0;
    for item in env.data.task_result {
        if item.task_result.is_empty() {
            continue;
        }
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
