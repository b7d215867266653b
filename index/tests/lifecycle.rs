//! Writes, removals, generations and reopening from disk.

mod common;

use common::*;
use index::{SearchIndex, SearchRequest};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn index_is_send_and_sync() {
    assert_send_sync::<SearchIndex>();
}

fn entry(id: i64, language: &str, kind: &str, body: &str) -> index::IndexedDocument {
    let mut e = fact_sheet(id, &id.to_string(), &format!("Dokument {id}"), body);
    e.document_id = id;
    e.language = language.into();
    e.kind = kind.into();
    e
}

#[test]
fn replace_with_nothing_removes_hits_snippets_and_facets() {
    let index = SearchIndex::in_memory().unwrap();
    index
        .replace_document(
            1,
            vec![
                entry(1, "nb", "guide", "Hemmelig kodeord blåbærsyltetøy i veilederen."),
                entry(1, "en", "guide", "Secret blåbærsyltetøy in the guide."),
            ],
            1,
        )
        .unwrap();
    index
        .replace_document(2, vec![entry(2, "nb", "template", "Malen nevner blåbærsyltetøy.")], 2)
        .unwrap();
    let before = index.search(&req("blåbærsyltetøy")).unwrap();
    assert_eq!(before.total, 3);
    assert!(before.facets.kind.contains(&("guide".into(), 2)));

    index.replace_document(1, Vec::new(), 3).unwrap();
    assert_eq!(index.generation(), Some(3));
    let after = index.search(&req("blåbærsyltetøy")).unwrap();
    assert_eq!(after.total, 1);
    assert_eq!(after.hits[0].document_id, 2);
    assert_eq!(after.facets.kind, vec![("template".to_string(), 1)]);
    assert_eq!(after.facets.language, vec![("nb".to_string(), 1)]);
    let everything = serde_json::to_string(&after).unwrap();
    assert!(!everything.contains("Hemmelig") && !everything.contains("Secret"));
    // Nor by listing, nor by a word only document 1 had.
    assert_eq!(index.search(&req("hemmelig")).unwrap().total, 0);
    assert_eq!(index.search(&req("")).unwrap().total, 1);
    assert_eq!(index.stats().unwrap().entries, 1);
}

#[test]
fn replace_swaps_old_text_for_new() {
    let index = SearchIndex::in_memory().unwrap();
    index
        .replace_document(7, vec![entry(7, "nb", "guide", "Gammel tekst om brannmur.")], 1)
        .unwrap();
    index
        .replace_document(7, vec![entry(7, "nb", "guide", "Ny tekst om kryptering.")], 2)
        .unwrap();
    assert_eq!(index.search(&req("brannmur")).unwrap().total, 0);
    let hits = index.search(&req("kryptering")).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert!(hits[0].snippet_html.contains("<mark>kryptering</mark>"));
}

#[test]
fn rebuild_replaces_everything_and_reports_progress() {
    let index = SearchIndex::in_memory().unwrap();
    index
        .replace_document(
            99,
            vec![entry(99, "nb", "guide", "Kvakkelvakk forsvinner ved rebuild.")],
            1,
        )
        .unwrap();
    let mut reported = Vec::new();
    let n = index
        .rebuild(corpus().iter().cloned(), 2, &mut |done| reported.push(done))
        .unwrap();
    assert_eq!(n, corpus().len());
    assert_eq!(reported.last(), Some(&n));
    assert!(reported.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(index.generation(), Some(2));
    assert_eq!(index.search(&req("kvakkelvakk")).unwrap().total, 0);
    let listed = index
        .search(&SearchRequest {
            include_withdrawn: true,
            ..req("")
        })
        .unwrap();
    assert_eq!(listed.total, corpus().len());
}

#[test]
fn generation_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(index.generation(), None);
        index
            .replace_document(5, vec![entry(5, "nn", "guide", "Rettleiaren om tryggleik.")], 41)
            .unwrap();
        index
            .replace_document(6, vec![entry(6, "nb", "guide", "Veileder om sikkerhet.")], 42)
            .unwrap();
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.generation(), Some(42));
    let hits = index.search(&req("rettleiar")).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].document_id, 5);
}

#[test]
fn a_foreign_schema_is_wiped_and_recreated() {
    use tantivy::schema::{Schema, TEXT};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.txt"), "not ours").unwrap();
    {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let old = tantivy::Index::create_in_dir(dir.path(), builder.build()).unwrap();
        let mut writer: tantivy::IndexWriter = old.writer(15_000_000).unwrap();
        writer.add_document(tantivy::doc!(text => "old")).unwrap();
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload(r#"{"schema":0,"generation":9}"#);
        commit.commit().unwrap();
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.generation(), None);
    assert_eq!(index.stats().unwrap().entries, 0);
    assert!(dir.path().join("README.txt").exists());
    index
        .replace_document(1, vec![entry(1, "nb", "guide", "Ny start.")], 1)
        .unwrap();
    drop(index);
    assert_eq!(SearchIndex::open(dir.path()).unwrap().generation(), Some(1));
}

#[test]
fn deletes_are_merged_away() {
    let index = SearchIndex::in_memory().unwrap();
    for round in 0..30 {
        for id in 0..5 {
            let body = format!("Runde {round} for dokument {id}.");
            index
                .replace_document(id, vec![entry(id, "nb", "guide", &body)], round)
                .unwrap();
        }
    }
    assert_eq!(index.search(&req("")).unwrap().total, 5);
    assert_eq!(index.search(&req("runde 29")).unwrap().hits.len(), 5);
    let stats = index.stats().unwrap();
    assert_eq!(stats.entries, 5);
}
