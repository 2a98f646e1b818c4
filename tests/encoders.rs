//! Responses written by real encoders — Python's `json` and Node's
//! `JSON.stringify`, each level by its own — decode to exactly the URLs they
//! were made from, and every path agrees with the reference. The files come
//! from `tests/fixtures/encoders/make.py`.

mod common;

use std::path::Path;

#[test]
fn real_encoders_at_every_level() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/encoders");
    let want: Vec<String> =
        serde_json::from_slice(&std::fs::read(dir.join("urls.json")).unwrap()).unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.contains('+') {
            continue;
        }
        let input = std::fs::read(&path).unwrap();
        assert_eq!(common::assert_agrees(&input), want, "{name}");
        common::check_borrowing(&input);
        let r = handfoot::Response::parse(&input).unwrap();
        assert_eq!(r.validate(), Ok(()), "{name}");
        assert_eq!(r.results().count(), 3, "{name}");
        seen += 1;
    }
    assert_eq!(seen, 12);
}
