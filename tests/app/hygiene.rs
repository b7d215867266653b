//! Nothing bad gets in (issue 10): one text rule for API, forms, corpus import and export
//! import; labels the reader can read; dates in order; exports checked record by record;
//! fact-sheet numbers unique by their normal form; start-up that survives a bad row.

use std::io::Write;

use migration::MigratorTrait;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use normen_registry::domain::Role;
use normen_registry::entities::{document, version};
use normen_registry::services::{export, import, search};

use crate::assert_unchanged;
use crate::helpers::{TestApp, fresh_database};
use crate::web::signed_in;

/// Text no field may take: control characters and non-characters.
const HOSTILE: &[(&str, &str)] = &[
    ("NUL", "a\u{0}b"),
    ("bell", "a\u{7}b"),
    ("ESC", "a\u{1b}[31mb"),
    ("C1", "a\u{85}b"),
    ("U+FFFE", "a\u{FFFE}b"),
    ("U+FFFF", "a\u{FFFF}b"),
    ("U+FDD0", "a\u{FDD0}b"),
    ("U+1FFFE", "a\u{1FFFE}b"),
];

fn parse_xml(what: &str, text: &str) {
    if let Err(e) = roxmltree::Document::parse(text) {
        panic!("{what} is not well-formed XML: {e}\n{text}");
    }
}

/// Fetches the global feed and every public document's feed and parses each as XML.
async fn every_feed_parses(app: &TestApp) -> usize {
    let res = app.get("/endringer.atom").await;
    res.assert_status(200);
    parse_xml("/endringer.atom", &res.text());
    let docs = app.get("/api/v1/documents?limit=100").await.json();
    let mut n = 1;
    for d in docs["items"].as_array().unwrap() {
        let uri = format!("{}/endringer.atom", d["url"].as_str().unwrap());
        let res = app.get(&uri).await;
        res.assert_status(200);
        parse_xml(&uri, &res.text());
        n += 1;
    }
    n
}

#[tokio::test]
async fn hostile_text_is_refused_through_api_forms_and_import_and_every_feed_stays_well_formed() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    app.draft(id, "v2").await.assert_status(201);
    app.post(
        "/api/v1/decisions",
        json!({"case_number": "1/25", "meeting_date": "2025-01-01", "title": "Sak"}),
    )
    .await
    .assert_status(201);

    // The API: a 422 naming the field, and nothing changes.
    for (name, bad) in HOSTILE {
        let cases: Vec<(String, Value, &str)> = vec![
            (
                "/api/v1/documents".into(),
                json!({"kind": "guide", "language": "nb", "title": bad}),
                "title",
            ),
            (
                "/api/v1/documents".into(),
                json!({"kind": "guide", "language": "nb", "title": "Ok", "summary": bad}),
                "summary",
            ),
            (
                "/api/v1/documents".into(),
                json!({"kind": "guide", "language": "nb", "title": "Ok", "body": bad}),
                "body",
            ),
            (
                format!("/api/v1/documents/{id}/publish"),
                json!({"change_kind": "editorial", "change_note": bad}),
                "change_note",
            ),
            (
                format!("/api/v1/documents/{id}/withdraw"),
                json!({"reason": bad}),
                "reason",
            ),
            (
                "/api/v1/decisions".into(),
                json!({"case_number": "2/25", "meeting_date": "2025-01-01", "title": "Sak", "outcome": bad}),
                "outcome",
            ),
            (
                format!("/api/v1/documents/{id}/revision-needs"),
                json!({"title": "Feil", "description": bad, "origin": "internal", "kind": "error", "priority": 1}),
                "description",
            ),
        ];
        for (uri, body, field) in cases {
            assert_unchanged!(app, {
                let res = app.post(&uri, body.clone()).await;
                res.assert_problem(422, field);
                assert!(
                    res.json()["detail"].as_str().unwrap().contains("U+"),
                    "{name}: {}",
                    res.text()
                );
            });
        }
    }
    // A line break in a one-line field.
    assert_unchanged!(app, {
        app.post(
            "/api/v1/documents",
            json!({"kind": "guide", "language": "nb", "title": "to\nlinjer"}),
        )
        .await
        .assert_problem(422, "one line");
    });

    // The forms: a 422 page with the message by the field, and nothing changes.
    let mut b = signed_in(&app, "Siri", Role::Editor).await;
    for (_, bad) in HOSTILE {
        let html = assert_unchanged!(app, {
            let res = b
                .post(
                    "/redaksjon/dokumenter/ny",
                    &[("kind", "guide"), ("language", "nb"), ("title", bad), ("body", "ok")],
                )
                .await;
            res.assert_status(422);
            res.text()
        });
        assert!(html.contains(r#"id="f-title-error""#), "no message by the title field");
        assert!(
            html.contains("kontrolltegn") || html.contains("ugyldig Unicode-tegn"),
            "{html}"
        );
        let etag = app.get_as(&format!("/api/v1/documents/{id}"), &app.editor).await.json()["etag"]
            .as_str()
            .unwrap()
            .to_string();
        let res = assert_unchanged!(app, {
            b.post(
                &format!("/redaksjon/dokumenter/{id}/publiser"),
                &[
                    ("language", "nb"),
                    ("change_kind", "editorial"),
                    ("change_note", bad),
                    ("etag", &etag),
                ],
            )
            .await
        });
        res.assert_status(422);
        assert!(res.text().contains(r#"id="f-change_note-error""#));
        let res = assert_unchanged!(app, {
            b.post(&format!("/redaksjon/dokumenter/{id}/trekk-tilbake"), &[("reason", bad)])
                .await
        });
        res.assert_status(422);
        assert!(res.text().contains(r#"id="f-reason-error""#));
    }

    // The corpus import: each hostile line is reported with its number and skipped.
    let mut lines = vec![
        json!({"doc": "_docs/ok.md", "n": 1, "date": "2021-01-01", "title": "Go\u{308}dt", "subject": "Første", "text": "Bla\u{30A}fjell"})
            .to_string(),
    ];
    for (i, (_, bad)) in HOSTILE.iter().enumerate() {
        lines.push(
            json!({"doc": format!("_docs/bad{i}.md"), "n": 1, "date": "2021-01-01", "subject": bad, "text": "x"})
                .to_string(),
        );
    }
    let file = write_lines(&lines, true);
    let summary = import::import_file(&app.db, file.path(), &mut |_, _| {}).await.unwrap();
    let skipped: Vec<usize> = summary.skipped.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        skipped,
        (2..=HOSTILE.len() + 1).collect::<Vec<_>>(),
        "{:?}",
        summary.skipped
    );
    assert!(
        summary.skipped.iter().all(|(_, why)| why.contains("subject")),
        "{:?}",
        summary.skipped
    );
    assert_eq!(summary.documents_added, 1);

    // A good change note with markup characters and a combining sequence goes in, composed.
    let res = app
        .post(
            &format!("/api/v1/documents/{id}/publish"),
            json!({"change_kind": "editorial", "change_note": "<&> \"sitat\" 'x' Ma\u{308}rz"}),
        )
        .await;
    res.assert_status(200);

    // Rows written behind the API's back (an old database) still give well-formed feeds and
    // pages: the writers drop what XML cannot hold.
    version::Entity::update_many()
        .col_expr(
            version::Column::ChangeNote,
            // (No NUL: PostgreSQL cannot store it in text at all.)
            Expr::value("gammel\u{1b}[31m\u{7}\u{FFFE}note"),
        )
        .col_expr(version::Column::Title, Expr::value("Tittel\u{7}\u{FFFF}"))
        .filter(version::Column::DocumentId.eq(id as i32))
        .exec(&app.db)
        .await
        .unwrap();
    assert!(every_feed_parses(&app).await >= 3);
    let page = app.get("/faktaark/37").await;
    page.assert_status(200);
    assert!(
        !page.text().contains(['\u{1b}', '\u{0}', '\u{7}', '\u{FFFF}']),
        "raw control characters in the HTML"
    );
    let changes = app.get("/endringer").await;
    assert!(!changes.text().contains(['\u{1b}', '\u{0}', '\u{FFFE}']));
}

fn write_lines(lines: &[String], gzip: bool) -> tempfile::NamedTempFile {
    let mut bytes = Vec::new();
    for l in lines {
        bytes.extend_from_slice(l.as_bytes());
        bytes.push(b'\n');
    }
    write_bytes(&bytes, gzip)
}

fn write_bytes(bytes: &[u8], gzip: bool) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    if gzip {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(bytes).unwrap();
        f.write_all(&enc.finish().unwrap()).unwrap();
    } else {
        f.write_all(bytes).unwrap();
    }
    f
}

#[tokio::test]
async fn text_sent_decomposed_is_stored_composed() {
    let app = TestApp::new().await;
    let res = app
        .post(
            "/api/v1/documents",
            json!({"kind": "fact_sheet", "number": "5", "language": "nb", "title": "Ha\u{30A}ndtering av lagringsmedia",
                   "summary": "Sa\u{30A}rbarhet", "body": "# Ma\u{308}rz\r\n\r\nBla\u{30A}"}),
        )
        .await;
    res.assert_status(201);
    let id = res.json()["id"].as_i64().unwrap();
    assert_eq!(res.json()["title"], "Håndtering av lagringsmedia");
    app.post(
        &format!("/api/v1/documents/{id}/publish"),
        json!({"change_kind": "substantive", "change_note": "Fo\u{308}rste"}),
    )
    .await
    .assert_status(200);
    let v = app.get(&format!("/api/v1/documents/{id}/versions/1.0")).await.json();
    assert_eq!(v["title"], "Håndtering av lagringsmedia");
    assert_eq!(v["summary"], "Sårbarhet");
    assert_eq!(v["body"], "# März\n\nBlå");
    assert_eq!(v["change_note"], "Förste");
    assert_eq!(
        v["content_hash"],
        normen_registry::services::users::sha256_hex("# März\n\nBlå")
    );
}

#[tokio::test]
async fn the_writer_refuses_labels_the_reader_cannot_read() {
    let app = TestApp::new().await;
    let id = app.create("fact_sheet", Some("37"), "Sikkerhetskrav", "v1").await;
    app.post(
        &format!("/api/v1/documents/{id}/publish"),
        json!({"change_kind": "substantive", "change_note": "Første", "label": "999999.999999"}),
    )
    .await
    .assert_status(200);
    app.draft(id, "v2").await.assert_status(201);
    for kind in ["editorial", "substantive"] {
        assert_unchanged!(app, {
            app.publish(id, "nb", kind, "Neste")
                .await
                .assert_problem(422, "largest label");
        });
    }
    assert_unchanged!(app, {
        app.post(
            &format!("/api/v1/documents/{id}/publish"),
            json!({"change_kind": "editorial", "change_note": "Neste", "label": "1000000.0"}),
        )
        .await
        .assert_problem(422, "MAJOR.MINOR");
    });
    // The document stays readable at its URL and its version's URL.
    app.get("/faktaark/37").await.assert_status(200);
    app.get("/faktaark/37/versjon/999999.999999").await.assert_status(200);
    app.get(&format!("/api/v1/documents/{id}/versions/999999.999999"))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn publication_and_withdrawal_dates_are_checked() {
    let app = TestApp::new().await;
    let id = app.create("fact_sheet", Some("37"), "Sikkerhetskrav", "v1").await;
    let publish =
        |date: &'static str| json!({"change_kind": "substantive", "change_note": "Versjon", "published_on": date});
    let uri = format!("/api/v1/documents/{id}/publish");
    for (date, why) in [("9999-12-31", "future"), ("1900-01-01", "before 1990")] {
        assert_unchanged!(app, { app.post(&uri, publish(date)).await.assert_problem(422, why) });
    }
    app.post(&uri, publish("2024-05-01")).await.assert_status(200);
    app.draft(id, "v2").await.assert_status(201);
    assert_unchanged!(app, {
        app.post(&uri, publish("2024-04-30"))
            .await
            .assert_problem(422, "previous version");
    });
    app.post(&uri, publish("2024-05-01")).await.assert_status(200);

    let withdraw = format!("/api/v1/documents/{id}/withdraw");
    for (date, why) in [
        ("2024-04-30", "first published"),
        ("9999-12-31", "future"),
        ("1900-01-01", "before 1990"),
    ] {
        assert_unchanged!(app, {
            app.post(&withdraw, json!({"reason": "Utgått", "withdrawn_on": date}))
                .await
                .assert_problem(422, why);
        });
    }

    // The forms say it by the date field.
    let mut b = signed_in(&app, "Siri", Role::Editor).await;
    let res = assert_unchanged!(app, {
        b.post(
            &withdraw_form(id),
            &[("reason", "Utgått"), ("withdrawn_on", "9999-12-31")],
        )
        .await
    });
    res.assert_status(422);
    assert!(res.text().contains("Datoen kan ikke være senere enn i dag"));

    app.post(&withdraw, json!({"reason": "Utgått", "withdrawn_on": "2024-06-01"}))
        .await
        .assert_status(200);
}

fn withdraw_form(id: i64) -> String {
    format!("/redaksjon/dokumenter/{id}/trekk-tilbake")
}

#[tokio::test]
async fn fact_sheet_numbers_are_unique_by_their_normal_form() {
    let app = TestApp::new().await;
    let first = app.create("fact_sheet", Some("037"), "Sikkerhetskrav", "v1").await;
    for clash in ["37", "0037", "037"] {
        assert_unchanged!(app, {
            app.post(
                "/api/v1/documents",
                json!({"kind": "fact_sheet", "number": clash, "language": "nb", "title": "Kopi"}),
            )
            .await
            .assert_problem(409, "exists already");
        });
    }
    app.create("fact_sheet", Some("1"), "En", "v").await;
    app.create("fact_sheet", Some("0"), "Null", "v").await;
    app.create("fact_sheet", Some("20A"), "Tjue a", "v").await;
    for clash in ["01", "20a", "00"] {
        assert_unchanged!(app, {
            app.post(
                "/api/v1/documents",
                json!({"kind": "fact_sheet", "number": clash, "language": "nb", "title": "Kopi"}),
            )
            .await
            .assert_problem(409, "exists already");
        });
    }
    // Another kind may use the same number.
    app.create("guide", Some("37"), "Veileder 37", "v").await;

    // The number is kept as typed; lookups go by the normal form.
    app.publish(first, "nb", "substantive", "Første")
        .await
        .assert_status(200);
    let doc = app.get(&format!("/api/v1/documents/{first}")).await.json();
    assert_eq!(doc["number"], "037");
    for path in ["/faktaark/037", "/faktaark/37", "/faktaark/0037"] {
        assert!(app.get(path).await.text().contains("Sikkerhetskrav"), "{path}");
    }
    let listed = app.get("/api/v1/documents?kind=fact_sheet&number=37").await.json();
    assert_eq!(listed["total"], 1);

    // The form puts the clash by the number field.
    let mut b = signed_in(&app, "Siri", Role::Editor).await;
    let res = assert_unchanged!(app, {
        b.post(
            "/redaksjon/dokumenter/ny",
            &[
                ("kind", "fact_sheet"),
                ("number", "0037"),
                ("language", "nb"),
                ("title", "Kopi"),
                ("body", "x"),
            ],
        )
        .await
    });
    res.assert_status(422);
    let html = res.text();
    assert!(
        html.contains(r#"id="f-number-error""#) && html.contains("finnes allerede et faktaark"),
        "{html}"
    );
}

#[tokio::test]
async fn the_number_key_migration_fills_existing_rows() {
    let (db, _guard) = fresh_database().await;
    // Back to the schema before the normal form, with numbers that clash by it.
    let all = migration::Migrator::migrations();
    let mine = all
        .iter()
        .position(|m| m.name() == "m20261201_000003_number_key")
        .unwrap();
    migration::Migrator::down(&db, Some((all.len() - mine) as u32))
        .await
        .unwrap();
    let now = "2026-01-01 00:00:00+00:00";
    for (id, number, slug) in [(1, "037", "a"), (2, "37", "b"), (3, "20A", "c")] {
        db.execute_unprepared(&format!(
            "INSERT INTO document (id, kind, number, slug, language, status, revision, created_at, updated_at) \
             VALUES ({id}, 'fact_sheet', '{number}', '{slug}', 'nb', 'draft', 1, '{now}', '{now}')"
        ))
        .await
        .unwrap();
    }
    migration::Migrator::up(&db, None).await.unwrap();
    let keys: Vec<(i32, Option<String>)> = document::Entity::find()
        .order_by_asc(document::Column::Id)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.id, d.number_key))
        .collect();
    assert_eq!(
        keys,
        [(1, Some("37".into())), (2, None), (3, Some("20a".into()))],
        "the oldest keeps the key; the later clash keeps working under its number as typed"
    );
}

/// A registry with a bit of everything, exported.
async fn exported_registry() -> (TestApp, Vec<String>) {
    let app = TestApp::new().await;
    let old = app
        .published_sheet_on("37", "Sikkerhetskrav", "# v1", "2025-01-02")
        .await;
    let new = app.published_sheet("60", "Prosjektveiviseren", "ny").await;
    app.post(
        &format!("/api/v1/documents/{old}/withdraw"),
        json!({"reason": "Sanert", "successors": [new]}),
    )
    .await
    .assert_status(200);
    let mut out = Vec::new();
    export::export(&app.db, &mut out).await.unwrap();
    let lines = String::from_utf8(out).unwrap().lines().map(str::to_string).collect();
    (app, lines)
}

#[tokio::test]
async fn a_tampered_export_is_refused_with_line_numbers_and_stores_nothing() {
    let (_app, lines) = exported_registry().await;
    let find = |kind: &str| {
        lines
            .iter()
            .position(|l| serde_json::from_str::<Value>(l).unwrap()["type"] == kind)
            .unwrap()
    };
    let tampers: Vec<(usize, &str, Value, &str)> = vec![
        (find("document"), "kind", json!("weird"), "unknown kind"),
        (find("document"), "status", json!("secret"), "unknown status"),
        (find("document"), "language", json!("xx"), "unknown language"),
        (find("document"), "number", json!("38"), "number_key"),
        (find("version"), "label", json!("1000000.0"), "version label"),
        (find("version"), "body", json!("# endret"), "content_hash"),
        (find("version"), "change_note", json!("a\u{1b}b"), "control"),
        (find("version"), "title", json!("a\u{FFFE}b"), "non-character"),
        (find("version"), "published_on", json!("9999-12-31"), "future"),
        (find("meta"), "value", json!(-5), "negative"),
        (find("withdrawal"), "reason", json!("a\u{0}"), "control"),
    ];
    for (index, field, value, why) in tampers {
        let mut tampered = lines.clone();
        let mut record: Value = serde_json::from_str(&tampered[index]).unwrap();
        record[field] = value.clone();
        tampered[index] = record.to_string();
        let (db, _guard) = fresh_database().await;
        let err = import::import_file(&db, write_lines(&tampered, false).path(), &mut |_, _| {})
            .await
            .expect_err(&format!("{field} = {value} was taken"))
            .to_string();
        let line = format!("line {}: ", index + 1);
        assert!(err.contains(&line) && err.contains(why), "{field} = {value}: {err}");
        assert_eq!(
            document::Entity::find().count(&db).await.unwrap(),
            0,
            "something was stored"
        );
    }

    // Every refusal of a file is listed, not only the first.
    let mut tampered = lines.clone();
    for index in [find("document"), find("version")] {
        let mut record: Value = serde_json::from_str(&tampered[index]).unwrap();
        record["language"] = json!("xx");
        tampered[index] = record.to_string();
    }
    let (db, _guard) = fresh_database().await;
    let err = import::import_file(&db, write_lines(&tampered, false).path(), &mut |_, _| {})
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("line {}:", find("document") + 1))
            && err.contains(&format!("line {}:", find("version") + 1)),
        "{err}"
    );

    // The untouched export still goes in.
    let (db, _guard) = fresh_database().await;
    import::import_file(&db, write_lines(&lines, false).path(), &mut |_, _| {})
        .await
        .unwrap();
    assert_eq!(document::Entity::find().count(&db).await.unwrap(), 2);
}

#[tokio::test]
async fn a_row_that_cannot_be_read_does_not_stop_the_start_or_the_lists() {
    let app = TestApp::new().await;
    let bad = app.published_sheet("37", "Ødelagt rad", "sikkerhetskrav").await;
    app.published_sheet("60", "Prosjektveiviseren", "sikkerhetskrav").await;
    document::Entity::update_many()
        .col_expr(document::Column::Kind, Expr::value("weird"))
        .filter(document::Column::Id.eq(bad as i32))
        .exec(&app.db)
        .await
        .unwrap();
    // What `serve` runs at start: a fresh index is rebuilt from the database.
    let index = std::sync::Arc::new(index::SearchIndex::in_memory().unwrap());
    let done = search::SearchHandle::new(index).catch_up(&app.db).await.unwrap();
    assert!(done.rebuilt);
    app.reindex().await;
    let hits = app.get("/api/v1/search?q=sikkerhetskrav").await.json();
    assert_eq!(hits["total"], 1, "{hits}");
    let list = app.get("/api/v1/documents").await;
    list.assert_status(200);
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 1);
    app.get("/endringer.atom").await.assert_status(200);
    app.get("/").await.assert_status(200);
}

#[tokio::test]
async fn a_hostile_corpus_file_is_skipped_line_by_line_and_the_good_lines_go_in() {
    let app = TestApp::new().await;
    // An editor's draft with the external id a corpus line names.
    app.post(
        "/api/v1/documents",
        json!({"kind": "guide", "language": "nb", "title": "Utkast", "external_id": "_docs/draft.md"}),
    )
    .await
    .assert_status(201);
    let line = |doc: &str, extra: Value| {
        let mut v =
            json!({"doc": doc, "n": 1, "date": "2021-01-01", "subject": "Endring", "title": "Tittel", "text": "tekst"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v.to_string().into_bytes()
    };
    let long_text = "x".repeat(import::MAX_LINE_BYTES + 10);
    let lines: Vec<(Vec<u8>, Option<&str>)> = vec![
        (line("_docs/good.md", json!({"text": "# God\n\nBla\u{30A}"})), None),
        (
            line("_docs/big-n.md", json!({"n": 2_147_483_648_u64})),
            Some("outside 1 to 999999"),
        ),
        (line("_docs/nul.md", json!({"text": "a\u{0}b"})), Some("control")),
        (line("_docs/bell.md", json!({"text": "a\u{7}b"})), Some("control")),
        (line("_docs/esc.md", json!({"title": "a\u{1b}[1mb"})), Some("title")),
        (
            line("_docs/status.md", json!({"status": "archived"})),
            Some("unknown status"),
        ),
        (
            [
                &line("_docs/utf8.md", json!({}))[..20],
                &[0xff, 0xfe],
                &line("_docs/utf8.md", json!({}))[20..],
            ]
            .concat(),
            Some("not valid UTF-8"),
        ),
        (line("_docs/draft.md", json!({})), Some("is a draft")),
        (
            line("_docs/nonchar.md", json!({"text": "a\u{FFFF}b"})),
            Some("non-character"),
        ),
        (line("_docs/long.md", json!({"text": long_text})), Some("longer than")),
        (
            line("_docs/body.md", json!({"text": "y".repeat(2 * 1024 * 1024 + 1)})),
            Some("2 MiB"),
        ),
        (
            line("_docs/deep.md", json!({"text": format!("{}x\n", "> ".repeat(20_000))})),
            Some("levels deep"),
        ),
        (line("_docs/good.md", json!({"n": 2, "text": "# God\n\nandre"})), None),
    ];
    let mut bytes = Vec::new();
    for (l, _) in &lines {
        bytes.extend_from_slice(l);
        bytes.push(b'\n');
    }
    for gzip in [true, false] {
        let file = write_bytes(&bytes, gzip);
        let summary = import::import_file(&app.db, file.path(), &mut |_, _| {}).await.unwrap();
        let want: Vec<(usize, &str)> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, (_, why))| why.map(|w| (i + 1, w)))
            .collect();
        assert_eq!(summary.skipped.len(), want.len(), "{:?}", summary.skipped);
        for ((no, why), (want_no, want_why)) in summary.skipped.iter().zip(&want) {
            assert_eq!(no, want_no, "{why}");
            assert!(why.contains(want_why), "line {no}: {why:?} lacks {want_why:?}");
        }
        if gzip {
            assert_eq!((summary.documents_added, summary.versions_added), (1, 2));
        } else {
            assert_eq!(
                (summary.documents_added, summary.versions_added),
                (0, 0),
                "a second import adds nothing"
            );
        }
    }
    // None of the refused lines is stored; the draft stays a draft without published versions.
    let all = document::Entity::find()
        .order_by_asc(document::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let ext: Vec<Option<String>> = all.iter().map(|d| d.external_id.clone()).collect();
    assert_eq!(ext, [Some("_docs/draft.md".into()), Some("_docs/good.md".into())]);
    assert_eq!(all[0].status, "draft");
    let published = version::Entity::find()
        .filter(version::Column::DocumentId.eq(all[0].id))
        .filter(version::Column::State.eq("published"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(published, 0);
    let good = app
        .get(&format!("/api/v1/documents/{}/versions/1.0", all[1].id))
        .await
        .json();
    assert_eq!(good["body"], "# God\n\nBlå");
}
