//! Every recorded golden (tests/golden/*.out) is in the transcript format:
//! it parses and renders back byte for byte, and it agrees with itself after
//! normalisation.

use std::path::Path;
use vnet_transcript::{diff, normalise, parse, render};

fn goldens() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    let mut v: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "out"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn goldens_round_trip_through_parse_and_render() {
    let all = goldens();
    assert!(!all.is_empty());
    for (name, text) in all {
        let entries = parse(&text);
        assert!(!entries.is_empty(), "{name}: no commands");
        assert_eq!(render(&entries), text, "{name}: render(parse) differs");
        assert!(diff(&entries, &entries).is_empty(), "{name}");
        let n = normalise(&text);
        assert_eq!(normalise(&n), n, "{name}: normalise not idempotent");
    }
}
