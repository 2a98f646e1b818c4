//! The benchmark fixtures, generated rather than stored: the sample, and
//! responses of the sample's shape scaled up or written in other styles.
//! Shared by the benches and the zero-allocation test.

use super::{build, reference_items, style, Style, COMPACT, OBSERVED, SAMPLE};

/// The names of the fixtures, in the order the benches report them.
pub const NAMES: &[&str] = &[
    "sample",
    "items-1000",
    "urls-1000",
    "sample-php",
    "pretty-inner",
    "10mb",
];

fn sample_items() -> Vec<Option<Vec<String>>> {
    reference_items(SAMPLE)
        .expect("sample")
        .into_iter()
        .map(Some)
        .collect()
}

fn repeat(n: usize, styles: [Style; 4]) -> Vec<u8> {
    let items = sample_items();
    let many: Vec<_> = items.iter().cycle().take(n).cloned().collect();
    build(&many, OBSERVED, styles)
}

/// The fixture called `name` (one of [`NAMES`]).
pub fn fixture(name: &str) -> Vec<u8> {
    match name {
        "sample" => SAMPLE.to_vec(),
        // 1000 finished items, each like the sample's.
        "items-1000" => repeat(1000, [COMPACT; 4]),
        // One item with 1000 URLs.
        "urls-1000" => {
            let urls: Vec<String> = sample_items().into_iter().flatten().flatten().collect();
            let many = urls.iter().cycle().take(1000).cloned().collect();
            build(&[Some(many)], OBSERVED, [COMPACT; 4])
        }
        // PHP's json_encode at every level: `\/` everywhere, non-ASCII as
        // `\u` escapes.
        "sample-php" => build(&sample_items(), OBSERVED, [style("php"); 4]),
        // The envelope compact, the embedded levels pretty-printed.
        "pretty-inner" => {
            let p = style("pretty");
            build(&sample_items(), OBSERVED, [COMPACT, p, p, p])
        }
        // About 10 MB of items.
        "10mb" => {
            let one = repeat(1, [COMPACT; 4]).len();
            repeat(10_000_000 / one + 1, [COMPACT; 4])
        }
        _ => panic!("no fixture {name}"),
    }
}
