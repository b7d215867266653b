//! Corpus import (messy lines, idempotence, withdrawn documents), export and round trip,
//! migrations up and down.

use std::io::Write;

use migration::MigratorTrait;
use normen_registry::services::{demo, export, import};

use crate::helpers::{TestApp, fresh_database};

fn corpus_line(doc: &str, n: u32, of: u32, status: &str, date: &str, title: Option<&str>, text: &str) -> String {
    serde_json::json!({"doc": doc, "origin": doc, "status": status, "n": n, "of": of, "commit": "abc", "date": date,
        "path": doc, "subject": format!("Endring {n}"), "title": title, "lang": "nb", "bytes": text.len(), "text": text})
    .to_string()
}

fn write_temp(lines: &[String], gzip: bool) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    let text = lines.join("\n") + "\n";
    if gzip {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(text.as_bytes()).unwrap();
        f.write_all(&enc.finish().unwrap()).unwrap();
    } else {
        f.write_all(text.as_bytes()).unwrap();
    }
    f
}

#[tokio::test]
async fn messy_corpus_lines_are_reported_and_the_rest_goes_in_once() {
    let app = TestApp::new().await;
    let lines = vec![
        corpus_line(
            "_docs/a.md",
            1,
            2,
            "current",
            "2020-01-01",
            Some("Om A"),
            "# A\n\nførste",
        ),
        "{ this is not json".to_string(),
        corpus_line("_docs/a.md", 2, 2, "current", "2021-02-03", None, "# A\n\nandre"),
        corpus_line("_docs/b.md", 1, 1, "removed", "2019-05-06", None, "bare b"),
        r#"{"doc": "_docs/c.md", "n": 1, "date": "not a date", "text": "x"}"#.to_string(),
        corpus_line("_docs/a.md", 2, 2, "current", "2021-02-03", None, "duplicate"),
    ];
    let file = write_temp(&lines, true);
    let mut seen = Vec::new();
    let summary = import::import_file(&app.db, file.path(), &mut |d, t| seen.push((d, t)))
        .await
        .unwrap();
    assert_eq!(summary.documents_added, 2);
    assert_eq!(summary.versions_added, 3);
    assert_eq!(summary.withdrawn, 1);
    let skipped: Vec<usize> = summary.skipped.iter().map(|(n, _)| *n).collect();
    assert_eq!(skipped, [2, 5, 6], "{:?}", summary.skipped);
    assert_eq!(seen.last(), Some(&(2, 2)));

    let a = app.get("/api/v1/documents?external_id=_docs/a.md").await.json();
    assert_eq!(a["total"], 1);
    let a = &a["items"][0];
    assert_eq!(a["kind"], "guide");
    assert_eq!(a["title"], "Om A", "a version without a title keeps the last known one");
    assert_eq!(a["current_version"]["label"], "2.0");
    assert_eq!(a["current_version"]["published_on"], "2021-02-03");
    let v1 = app
        .get(&format!("/api/v1/documents/{}/versions/1.0", a["id"]))
        .await
        .json();
    assert_eq!(v1["body"], "# A\n\nførste");
    assert_eq!(v1["change_note"], "Endring 1");

    let b = app.get("/api/v1/documents?external_id=_docs/b.md").await.json();
    let b = app
        .get(&format!("/api/v1/documents/{}", b["items"][0]["id"]))
        .await
        .json();
    assert_eq!(b["status"], "withdrawn");
    assert_eq!(b["withdrawal"]["reason"], import::REMOVED_REASON);
    assert_eq!(b["withdrawal"]["withdrawn_on"], "2019-05-06");
    assert_eq!(b["title"], "b", "no title anywhere: made from the path");

    // The same file again adds nothing.
    let before = app.state_fingerprint().await;
    let again = import::import_file(&app.db, file.path(), &mut |_, _| {}).await.unwrap();
    assert_eq!(
        (
            again.documents_added,
            again.versions_added,
            again.withdrawn,
            again.unchanged_documents
        ),
        (0, 0, 0, 2)
    );
    assert_eq!(before, app.state_fingerprint().await);

    // A longer history of the same document adds only the new version.
    let mut longer = lines.clone();
    longer.push(corpus_line(
        "_docs/a.md",
        3,
        3,
        "current",
        "2022-03-04",
        Some("Om A"),
        "tredje",
    ));
    let more = import::import_file(&app.db, write_temp(&longer, false).path(), &mut |_, _| {})
        .await
        .unwrap();
    assert_eq!(
        (more.documents_added, more.documents_extended, more.versions_added),
        (0, 1, 1)
    );
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_gives_the_same_registry() {
    let app = TestApp::new().await;
    demo::load(&app.db).await.unwrap();
    let lines = vec![corpus_line(
        "_docs/x.md",
        1,
        1,
        "removed",
        "2020-01-01",
        Some("X"),
        "tekst æøå \"sitat\"",
    )];
    import::import_file(&app.db, write_temp(&lines, false).path(), &mut |_, _| {})
        .await
        .unwrap();
    let mut first = Vec::new();
    let counts = export::export(&app.db, &mut first).await.unwrap();
    assert!(counts.documents > 30 && counts.versions > 30);

    let (db2, _dir) = fresh_database().await;
    let file = write_temp(&[String::from_utf8(first.clone()).unwrap()], true);
    let summary = import::import_file(&db2, file.path(), &mut |_, _| {}).await.unwrap();
    assert_eq!(summary.export.unwrap(), counts);
    let mut second = Vec::new();
    export::export(&db2, &mut second).await.unwrap();
    assert!(first == second, "the round trip changed the export");

    // The restored registry takes new writes (ids and sequences continue after the import).
    let token = normen_registry::services::users::add_user(&db2, "Etter", normen_registry::domain::Role::Editor, None)
        .await
        .unwrap();
    let caller = normen_registry::services::users::caller_for_token(&db2, &token)
        .await
        .unwrap()
        .unwrap();
    let created = normen_registry::services::editing::create_document(
        normen_registry::services::Store::without_index(&db2),
        &caller,
        serde_json::from_value(
            serde_json::json!({"kind": "guide", "language": "nb", "title": "Ny etter gjenoppretting"}),
        )
        .unwrap(),
    )
    .await
    .unwrap();
    assert!(created.document_id as u64 > counts.documents as u64);

    // An export is refused by a database that holds documents.
    let refused = import::import_file(&db2, file.path(), &mut |_, _| {}).await;
    assert!(refused.unwrap_err().to_string().contains("empty database"));
}

#[tokio::test]
async fn real_corpus_imports_exactly() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/digdir-docs.jsonl.gz");
    if !path.exists() {
        eprintln!(
            "skipped: {} not found (the corpus lives beside the project in CI)",
            path.display()
        );
        return;
    }
    let app = TestApp::new().await;
    let summary = import::import_file(&app.db, &path, &mut |_, _| {}).await.unwrap();
    assert_eq!(
        (summary.documents_added, summary.versions_added, summary.withdrawn),
        (418, 4708, 99)
    );
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    let again = import::import_file(&app.db, &path, &mut |_, _| {}).await.unwrap();
    assert_eq!(
        (again.documents_added, again.versions_added, again.unchanged_documents),
        (0, 0, 418)
    );
    let withdrawn = app.get("/api/v1/documents?status=withdrawn&limit=1").await.json();
    assert_eq!(withdrawn["total"], 99);
}

#[tokio::test]
async fn migrations_go_down_and_up_again() {
    let (db, _dir) = fresh_database().await;
    migration::Migrator::down(&db, None).await.unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    demo::load(&db).await.unwrap();
}

#[tokio::test]
async fn online_sqlite_backup_restores_the_same_registry() {
    if crate::helpers::postgres_url().is_some() {
        eprintln!("skipped: the SQLite backup test does not apply on PostgreSQL (CI drills pg_dump instead)");
        return;
    }
    let app = TestApp::new().await;
    demo::load(&app.db).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("registry.db");
    export::backup_sqlite(&app.db, &copy).await.unwrap();
    assert!(
        export::backup_sqlite(&app.db, &copy)
            .await
            .unwrap_err()
            .to_string()
            .contains("exists")
    );
    let restored = normen_registry::db::connect(None, dir.path()).await.unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    export::export(&app.db, &mut a).await.unwrap();
    export::export(&restored, &mut b).await.unwrap();
    assert!(a == b, "the backup differs from the live database");
}
