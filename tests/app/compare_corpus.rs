//! The compare module's reconstruction invariant on real version histories:
//! every consecutive version pair of both corpus files, with the ignore
//! options off and at their defaults.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::{Duration, Instant};

use normen_registry::diff::{CompareOptions, Comparison, OpKind, compare, side_by_side, unified_diff};

const CORPORA: [&str; 2] = [
    concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/digdir-docs.jsonl.gz"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/designsystemet.jsonl.gz"),
];

/// Texts of each document's versions, oldest first, in file order.
fn versions(path: &Path) -> Vec<Vec<String>> {
    let file = std::fs::File::open(path).expect("open corpus");
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let mut docs: Vec<Vec<String>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for line in reader.lines() {
        let line = line.expect("read corpus line");
        let value: serde_json::Value = serde_json::from_str(&line).expect("corpus line is JSON");
        let doc = value["doc"].as_str().expect("doc field").to_owned();
        let text = value["text"].as_str().unwrap_or_default().to_owned();
        let slot = *index.entry(doc).or_insert_with(|| {
            docs.push(Vec::new());
            docs.len() - 1
        });
        docs[slot].push(text);
    }
    docs
}

/// Joins equal+delete and equal+insert ops over all sections.
fn rebuild(c: &Comparison) -> (String, String) {
    let (mut from, mut to) = (String::new(), String::new());
    for section in &c.sections {
        for op in &section.ops {
            match op.op {
                OpKind::Equal => {
                    from.push_str(&op.text);
                    to.push_str(&op.text);
                }
                OpKind::Delete => from.push_str(&op.text),
                OpKind::Insert => to.push_str(&op.text),
            }
        }
    }
    (from, to)
}

/// Asserts the invariant and the side-by-side split for one comparison.
fn check(from: &str, to: &str, c: &Comparison, what: &str) {
    let (rebuilt_from, rebuilt_to) = rebuild(c);
    assert!(rebuilt_from == from, "from body not rebuilt: {what}");
    assert!(rebuilt_to == to, "to body not rebuilt: {what}");
    for section in &c.sections {
        let (left, right) = side_by_side(section);
        assert!(left.iter().all(|op| op.op != OpKind::Insert), "{what}");
        assert!(right.iter().all(|op| op.op != OpKind::Delete), "{what}");
        assert!(
            section.ops.iter().all(|op| op.op != OpKind::Equal || !op.ignorable),
            "{what}"
        );
    }
}

/// Applies a unified diff to `from`; panics on a malformed or mismatching
/// patch.
fn apply_patch(from: &str, patch: &str) -> String {
    let old: Vec<&str> = from.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut next = 0;
    let mut lines = patch.split_inclusive('\n').peekable();
    assert!(lines.next().is_none_or(|l| l.starts_with("--- ")));
    assert!(lines.next().is_none_or(|l| l.starts_with("+++ ")));
    while let Some(header) = lines.next() {
        let start: usize = header
            .strip_prefix("@@ -")
            .and_then(|h| h.split([',', ' ']).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("bad hunk header {header:?}"));
        // `-0,0` means "insert before line 1".
        let start = start.saturating_sub(1).max(next);
        old[next..start].iter().for_each(|l| out.push_str(l));
        next = start;
        while let Some(line) = lines.next_if(|l| !l.starts_with("@@ ")) {
            let no_newline = lines.next_if(|l| l.starts_with('\\')).is_some();
            let body = if no_newline {
                line[1..].strip_suffix('\n').unwrap_or(&line[1..])
            } else {
                &line[1..]
            };
            match line.as_bytes()[0] {
                b' ' => {
                    assert_eq!(old[next], body, "context mismatch");
                    out.push_str(body);
                    next += 1;
                }
                b'-' => {
                    assert_eq!(old[next], body, "deleted line mismatch");
                    next += 1;
                }
                b'+' => out.push_str(body),
                other => panic!("bad patch line prefix {other}"),
            }
        }
    }
    old[next..].iter().for_each(|l| out.push_str(l));
    out
}

#[test]
fn unified_diff_applies_on_every_corpus_version_pair() {
    let mut checked = 0usize;
    for path in CORPORA.map(Path::new) {
        if !path.exists() {
            println!("skipped: corpus not found at {}", path.display());
            return;
        }
        for texts in versions(path) {
            for pair in texts.windows(2) {
                let patch = unified_diff(&pair[0], &pair[1], "a/doc.md", "b/doc.md");
                assert_eq!(apply_patch(&pair[0], &patch), pair[1]);
                checked += 1;
            }
        }
    }
    println!("unified diff applied on {checked} corpus version pairs");
    assert!(checked > 1000);
}

#[test]
fn invariant_holds_on_every_corpus_version_pair() {
    let exact = CompareOptions {
        ignore_whitespace: false,
        ..CompareOptions::default()
    };
    let all_ignored = CompareOptions {
        ignore_punctuation: true,
        ignore_case: true,
        ..CompareOptions::default()
    };
    let mut checked = 0usize;
    let mut slowest = Duration::ZERO;
    for path in CORPORA.map(Path::new) {
        if !path.exists() {
            println!("skipped: corpus not found at {}", path.display());
            return;
        }
        for (doc, texts) in versions(path).iter().enumerate() {
            for (n, pair) in texts.windows(2).enumerate() {
                let (from, to) = (pair[0].as_str(), pair[1].as_str());
                for (label, opts) in [
                    ("exact", &exact),
                    ("default", &CompareOptions::default()),
                    ("all ignored", &all_ignored),
                ] {
                    let started = Instant::now();
                    let c = compare(from, to, opts);
                    slowest = slowest.max(started.elapsed());
                    let what = format!("{} doc #{doc} versions {}-{} ({label})", path.display(), n + 1, n + 2);
                    check(from, to, &c, &what);
                }
                checked += 1;
            }
        }
    }
    println!("compare invariant checked on {checked} corpus version pairs x 3 option sets; slowest {slowest:?}");
    assert!(checked > 1000, "expected thousands of version pairs, got {checked}");
    // Generous: debug builds and loaded CI machines are slow, the bound is
    // about never hanging.
    assert!(slowest < Duration::from_secs(2), "slowest comparison took {slowest:?}");
}
