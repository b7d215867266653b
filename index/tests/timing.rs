//! Timing at 10,000 entries (every version of both corpora, then repeated).
//! Ignored by default; run in release:
//! `cargo test --release -p index --test timing -- --ignored --nocapture`

mod common;

use std::io::{BufRead, BufReader};
use std::time::Instant;

use common::*;
use index::{IndexedDocument, SearchIndex, SearchRequest, Sort};

fn all_versions(file: &str) -> Vec<IndexedDocument> {
    #[derive(serde::Deserialize)]
    struct Line {
        doc: String,
        status: String,
        date: String,
        title: Option<String>,
        lang: String,
        text: String,
    }
    let path = format!("{}/../../shared/corpus/{file}", env!("CARGO_MANIFEST_DIR"));
    let reader = BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()));
    reader
        .lines()
        .map(|line| {
            let line: Line = serde_json::from_str(&line.unwrap()).unwrap();
            let withdrawn = line.status == "removed";
            IndexedDocument {
                document_id: 0,
                external_id: Some(line.doc.clone()),
                kind: "guide".into(),
                number: None,
                language: if line.lang == "no" { "nb".into() } else { line.lang },
                status: if withdrawn { "withdrawn" } else { "published" }.into(),
                normen_version: None,
                version_label: "1.0".into(),
                title: line.title.unwrap_or(line.doc),
                summary: String::new(),
                body_markdown: line.text,
                published_on: chrono::NaiveDate::parse_from_str(&line.date, "%Y-%m-%d").ok(),
                withdrawn_on: None,
                successors: Vec::new(),
                url: String::new(),
            }
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[test]
#[ignore]
fn timing_at_10k() {
    let mut docs = all_versions("digdir-docs.jsonl.gz");
    docs.extend(all_versions("designsystemet.jsonl.gz"));
    let base = docs.len();
    let mut entries: Vec<IndexedDocument> = docs.iter().cycle().take(10_000).cloned().collect();
    for (i, e) in entries.iter_mut().enumerate() {
        e.document_id = i as i64 + 1;
    }
    entries.extend(fact_sheets());
    let bytes: usize = entries.iter().map(|e| e.body_markdown.len()).sum();
    let index = SearchIndex::in_memory().unwrap();
    let started = Instant::now();
    let n = index.rebuild(entries, 1, &mut |_| {}).unwrap();
    println!(
        "rebuild: {n} entries ({base} distinct versions, {} MB) in {:.1} s",
        bytes / 1_000_000,
        started.elapsed().as_secs_f64()
    );

    let queries = [
        "maskinporten",
        "tilgangsstyring",
        "sikkerhet",
        "logging tilgang",
        "handtering av nøkler",
        "virksomhetssertfikat",
        "button variant",
        "\"høye krav til sikkerhet\"",
        "faktaark 37",
        "integrasjonspunktet konfigurasjon",
        "tokens",
        "utgatt",
    ];
    for (label, snippets, sort) in [
        ("top-10, snippets", true, Sort::Relevance),
        ("top-10, no snippets", false, Sort::Relevance),
        ("top-10 by date, snippets", true, Sort::Date),
    ] {
        let mut times = Vec::new();
        for _ in 0..20 {
            for q in queries {
                let req = SearchRequest {
                    snippets,
                    sort,
                    ..req(q)
                };
                let started = Instant::now();
                let results = index.search(&req).unwrap();
                times.push(started.elapsed().as_secs_f64() * 1000.0);
                assert!(results.total > 0, "{q}");
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{label}: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.9),
            percentile(&times, 0.99)
        );
    }
    for q in queries {
        let mut times: Vec<f64> = (0..20)
            .map(|_| {
                let started = Instant::now();
                index.search(&req(q)).unwrap();
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let total = index.search(&req(q)).unwrap().total;
        println!("  {q:?}: p50 {:.3} ms ({total} matches)", percentile(&times, 0.5));
    }
    let started = Instant::now();
    index.replace_document(1, Vec::new(), 2).unwrap();
    println!(
        "replace_document (commit + reload): {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
}
