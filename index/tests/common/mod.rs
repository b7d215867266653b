//! Shared fixtures: the real Digdir corpus (latest version of each document)
//! and synthetic fact sheets, indexed once per test binary.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::sync::OnceLock;

use index::{IndexedDocument, SearchIndex, SearchRequest, SearchResults, SuccessorRef};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/digdir-docs.jsonl.gz");

#[derive(serde::Deserialize)]
struct Line {
    doc: String,
    status: String,
    date: String,
    title: Option<String>,
    lang: String,
    text: String,
}

/// Document ids of synthetic fact sheets start here; corpus documents count from 1.
pub const FACT_SHEET_IDS: i64 = 100_000;

/// The latest version of each corpus document, keyed by its path, as entries
/// with ids 1.. in path order. Removed documents are withdrawn.
pub fn corpus() -> &'static Vec<IndexedDocument> {
    static CORPUS_DOCS: OnceLock<Vec<IndexedDocument>> = OnceLock::new();
    CORPUS_DOCS.get_or_init(|| {
        let file = std::fs::File::open(CORPUS).expect("corpus at ../shared/corpus");
        let reader = BufReader::new(flate2::read::GzDecoder::new(file));
        let mut latest: BTreeMap<String, Line> = BTreeMap::new();
        for line in reader.lines() {
            let line: Line = serde_json::from_str(&line.unwrap()).unwrap();
            latest.insert(line.doc.clone(), line);
        }
        latest
            .into_values()
            .enumerate()
            .map(|(i, line)| {
                let date = chrono::NaiveDate::parse_from_str(&line.date, "%Y-%m-%d").ok();
                let withdrawn = line.status == "removed";
                IndexedDocument {
                    document_id: i as i64 + 1,
                    external_id: Some(line.doc.clone()),
                    kind: "guide".into(),
                    number: None,
                    language: line.lang,
                    status: if withdrawn { "withdrawn" } else { "published" }.into(),
                    normen_version: None,
                    version_label: "1.0".into(),
                    title: line.title.unwrap_or_else(|| line.doc.clone()),
                    summary: String::new(),
                    body_markdown: line.text,
                    published_on: date,
                    withdrawn_on: if withdrawn { date } else { None },
                    successors: Vec::new(),
                    url: format!("https://example.org/{}", line.doc),
                }
            })
            .collect()
    })
}

/// A synthetic fact sheet.
pub fn fact_sheet(id: i64, number: &str, title: &str, body: &str) -> IndexedDocument {
    IndexedDocument {
        document_id: FACT_SHEET_IDS + id,
        external_id: Some(format!("FA-{number}")),
        kind: "fact_sheet".into(),
        number: Some(number.into()),
        language: "nb".into(),
        status: "published".into(),
        normen_version: Some("6.0".into()),
        version_label: "2.0".into(),
        title: title.into(),
        summary: format!("Faktaark {number}: {title}"),
        body_markdown: body.into(),
        published_on: chrono::NaiveDate::from_ymd_opt(2024, 1, 1 + id as u32),
        withdrawn_on: None,
        successors: Vec::new(),
        url: format!("https://example.org/faktaark/{number}"),
    }
}

/// Fact sheets numbered "0", "01", "1", "20a", "20", "37" (withdrawn, with a successor).
pub fn fact_sheets() -> Vec<IndexedDocument> {
    let mut withdrawn = fact_sheet(
        6,
        "37",
        "Logging og sporbarhet",
        "Krav til logging av tilgang til helseopplysninger.",
    );
    withdrawn.status = "withdrawn".into();
    withdrawn.withdrawn_on = chrono::NaiveDate::from_ymd_opt(2024, 6, 1);
    withdrawn.successors = vec![SuccessorRef {
        document_id: FACT_SHEET_IDS + 5,
        title: "Logging".into(),
        url: "https://example.org/faktaark/20".into(),
    }];
    vec![
        fact_sheet(1, "0", "Oversikt over faktaark", "Liste over alle faktaark i Normen."),
        fact_sheet(
            2,
            "01",
            "Ledelsens ansvar",
            "Ledelsen har ansvar for informasjonssikkerhet.",
        ),
        fact_sheet(3, "1", "Styringssystem", "Et styringssystem for informasjonssikkerhet."),
        fact_sheet(
            4,
            "20a",
            "Mobilt utstyr",
            "Sikring av mobilt utstyr som nettbrett og telefoner.",
        ),
        fact_sheet(5, "20", "Logging", "Logging av hendelser og tilgang. Se faktaark 37."),
        withdrawn,
    ]
}

/// The corpus and the fact sheets, indexed once.
pub fn shared() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = SearchIndex::in_memory().unwrap();
        let entries = corpus().iter().cloned().chain(fact_sheets());
        index.rebuild(entries, 1, &mut |_| {}).unwrap();
        index
    })
}

/// A request for `q` with defaults.
pub fn req(q: &str) -> SearchRequest {
    SearchRequest {
        q: q.into(),
        limit: 10,
        ..SearchRequest::default()
    }
}

/// Runs `req` on the shared index.
pub fn search(req: &SearchRequest) -> SearchResults {
    shared().search(req).unwrap()
}

/// External ids of the hits, in order.
pub fn ids(results: &SearchResults) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| h.external_id.clone().unwrap_or_default())
        .collect()
}

/// 1-based rank of the document whose external id ends with `suffix`.
pub fn rank(results: &SearchResults, suffix: &str) -> Option<usize> {
    ids(results).iter().position(|id| id.ends_with(suffix)).map(|i| i + 1)
}

/// Asserts that the document ending with `suffix` is at rank <= `at_most` for `q`.
pub fn assert_rank(q: &str, suffix: &str, at_most: usize) {
    let results = search(&req(q));
    let r = rank(&results, suffix);
    assert!(
        r.is_some_and(|r| r <= at_most),
        "{q:?}: expected {suffix} within top {at_most}, got rank {r:?} in {:#?}",
        ids(&results)
    );
}
