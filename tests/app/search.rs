//! Search through the API: freshness after writes, withdrawn material, drafts kept out, bad
//! queries, and repair of an index left behind by a crash.

use std::sync::Arc;

use index::SearchIndex;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fresh_database};
use normen_registry::services::{Store, editing, search, users};

fn external_ids(res: &Value) -> Vec<i64> {
    res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["document_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn published_text_is_searchable_in_the_same_request_path() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet(
            "15",
            "Logging og innsyn i logg",
            "Virksomheten skal logge alle oppslag i journalen.",
        )
        .await;
    let res = app.get("/api/v1/search?q=journalen").await;
    res.assert_status(200);
    let res = res.json();
    assert_eq!(res["total"], 1);
    let hit = &res["hits"][0];
    assert_eq!(hit["document_id"], id);
    assert_eq!(hit["number"], "15");
    assert_eq!(hit["kind"], "fact_sheet");
    assert_eq!(hit["status"], "published");
    assert_eq!(hit["version"], "1.0");
    assert_eq!(hit["url"], "/faktaark/15");
    assert!(
        hit["snippet"].as_str().unwrap().contains("<mark>journalen</mark>"),
        "{}",
        hit["snippet"]
    );

    // A new version replaces the old text at once.
    app.draft(
        id,
        "Virksomheten skal logge alle oppslag i pasientjournalen og kontrollere loggene.",
    )
    .await
    .assert_status(201);
    app.publish(id, "nb", "substantive", "Kontroll")
        .await
        .assert_status(200);
    let res = app.get("/api/v1/search?q=kontrollere").await.json();
    assert_eq!(res["hits"][0]["version"], "2.0");
    assert_eq!(res["facets"]["kind"], json!([{"value": "fact_sheet", "count": 1}]));
}

#[tokio::test]
async fn drafts_never_reach_hits_snippets_or_facets() {
    let app = TestApp::new().await;
    app.create(
        "fact_sheet",
        Some("99"),
        "Hemmelig utkast om zebraordning",
        "zebraordning i utkastet",
    )
    .await;
    let id = app
        .published_sheet("98", "Publisert ark", "Dette arket handler om tilgangsstyring.")
        .await;
    app.draft(id, "Utkastet nevner zebraordning og tilgangsstyring.")
        .await
        .assert_status(201);
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "1.0", "title": "Zebra draft", "body": "zebraordning in English"}),
    )
    .await
    .assert_status(201);

    let res = app
        .get("/api/v1/search?q=zebraordning&include_withdrawn=true")
        .await
        .json();
    assert_eq!(res["total"], 0);
    assert_eq!(res["withdrawn_hidden"], 0);
    assert_eq!(res["facets"]["kind"], json!([]));
    let res = app.get("/api/v1/search?q=tilgangsstyring").await.json();
    assert_eq!(res["total"], 1);
    let text = res.to_string();
    assert!(!text.contains("zebra") && !text.contains("Utkastet"), "{text}");
    // Listing everything (empty query) shows only the published sheet, in one language.
    let all = app.get("/api/v1/search?q=").await.json();
    assert_eq!(external_ids(&all), [id]);
    assert_eq!(all["facets"]["language"], json!([{"value": "nb", "count": 1}]));
}

#[tokio::test]
async fn withdrawn_material_is_hidden_but_counted_and_found_on_purpose() {
    let app = TestApp::new().await;
    // Published before the withdrawal date below (a withdrawal is not dated before the first
    // publication, issue 10).
    let old = app
        .published_sheet_on(
            "37",
            "Sikkerhetskrav i IKT-prosjekter",
            "Krav til sikkerhetsdokumentasjon i prosjekter.",
            "2025-01-02",
        )
        .await;
    let new = app
        .published_sheet(
            "60",
            "Prosjektveiviseren",
            "Se Prosjektveiviseren for sikkerhetsdokumentasjon.",
        )
        .await;
    app.post(
        &format!("/api/v1/documents/{old}/withdraw"),
        json!({"reason": "Sanert", "successors": [new], "withdrawn_on": "2025-09-16"}),
    )
    .await
    .assert_status(200);

    let res = app.get("/api/v1/search?q=sikkerhetsdokumentasjon").await.json();
    assert_eq!(external_ids(&res), [new]);
    assert_eq!(res["withdrawn_hidden"], 1);
    let res = app
        .get("/api/v1/search?q=sikkerhetsdokumentasjon&include_withdrawn=true")
        .await
        .json();
    assert_eq!(res["total"], 2);
    let hit = res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["document_id"] == old)
        .unwrap();
    assert_eq!(hit["status"], "withdrawn");
    assert_eq!(hit["withdrawn_on"], "2025-09-16");
    assert_eq!(hit["successors"][0]["url"], "/faktaark/60");
    assert_eq!(hit["successors"][0]["title"], "Prosjektveiviseren");
    // Asking for the number finds the withdrawn sheet first even without the toggle.
    let res = app.get("/api/v1/search?q=faktaark%2037").await.json();
    assert_eq!(res["hits"][0]["document_id"], old);
    // Reinstating brings it back into the default results.
    app.post(
        &format!("/api/v1/documents/{old}/reinstate"),
        json!({"reason": "Omgjort"}),
    )
    .await
    .assert_status(200);
    let res = app.get("/api/v1/search?q=sikkerhetsdokumentasjon").await.json();
    assert_eq!(res["total"], 2);
    assert_eq!(res["withdrawn_hidden"], 0);
}

#[tokio::test]
async fn number_queries_put_the_sheet_first() {
    let app = TestApp::new().await;
    normen_registry::services::demo::load(&app.db).await.unwrap();
    app.reindex().await;
    for (q, number) in [
        ("faktaark 37", "37"),
        ("FA 15", "15"),
        ("fa15", "15"),
        ("faktaark 01", "01"),
        ("Faktaark 0", "0"),
    ] {
        let res = app
            .get(&format!("/api/v1/search?q={}", q.replace(' ', "%20")))
            .await
            .json();
        assert_eq!(res["hits"][0]["number"], number, "{q}");
    }
}

#[tokio::test]
async fn unreadable_queries_and_bad_parameters() {
    let app = TestApp::new().await;
    app.published_sheet("15", "Logging", "tekst om logging").await;
    for q in ["%22unclosed", "AND%20OR%20((", "*", "%3A%3A%3A", "-"] {
        app.get(&format!("/api/v1/search?q={q}")).await.assert_status(200);
    }
    app.get("/api/v1/search?q=x&limit=0").await.assert_problem(400, "limit");
    app.get("/api/v1/search?q=x&limit=1000")
        .await
        .assert_problem(400, "limit");
    app.get("/api/v1/search?q=x&sort=popular")
        .await
        .assert_problem(400, "sort");
    app.get("/api/v1/search?q=x&status=draft")
        .await
        .assert_problem(400, "drafts");
    app.get("/api/v1/search?q=x&kind=poster")
        .await
        .assert_problem(422, "kind");
    app.get("/api/v1/search?q=x&include_withdrawn=maybe")
        .await
        .assert_problem(400, "");
    app.get(&format!("/api/v1/search?q={}", "a".repeat(600)))
        .await
        .assert_problem(400, "at most");
    app.get("/api/v1/search?q=a%01b").await.assert_problem(400, "control");
}

#[tokio::test]
async fn a_crash_between_database_and_index_commit_is_repaired_at_start() {
    let (db, _dir) = fresh_database().await;
    let index_dir = tempfile::tempdir().unwrap();
    // The story is about the index, not the second pair of eyes: guides publish directly.
    normen_registry::services::approvals::set_rules(
        &db,
        "test",
        &normen_registry::services::approvals::ApprovalRules { required_for: vec![] },
    )
    .await
    .unwrap();
    let token = users::add_user(&db, "Eva", normen_registry::domain::Role::Editor, None)
        .await
        .unwrap();
    let caller = users::caller_for_token(&db, &token).await.unwrap().unwrap();
    let new_doc = |title: &str, body: &str| {
        serde_json::from_value::<editing::NewDocument>(
            json!({"kind": "guide", "language": "nb", "title": title, "body": body}),
        )
        .unwrap()
    };
    let publish = || {
        serde_json::from_value::<editing::Publish>(json!({"change_kind": "substantive", "change_note": "Første"}))
            .unwrap()
    };

    let first = editing::create_document(
        Store::without_index(&db),
        &caller,
        new_doc("Første veileder", "om fjernaksess"),
    )
    .await
    .unwrap();
    editing::publish(Store::without_index(&db), &caller, first.document_id, None, publish())
        .await
        .unwrap();
    {
        let index = search::SearchHandle::new(Arc::new(SearchIndex::open(index_dir.path()).unwrap()));
        let done = index.catch_up(&db).await.unwrap();
        assert!(done.rebuilt, "a new index is built from the database");
        let done = index.catch_up(&db).await.unwrap();
        assert_eq!(
            (done.rebuilt, done.changes),
            (false, 0),
            "an index that matches is left alone"
        );
        // The database commits a publication; the process dies before the index commit.
        let second = editing::create_document(
            Store::without_index(&db),
            &caller,
            new_doc("Andre veileder", "om skytjenester"),
        )
        .await
        .unwrap();
        editing::publish(Store::without_index(&db), &caller, second.document_id, None, publish())
            .await
            .unwrap();
    }
    let index = Arc::new(SearchIndex::open(index_dir.path()).unwrap());
    let req = index::SearchRequest {
        q: "skytjenester".into(),
        ..Default::default()
    };
    assert_eq!(index.search(&req).unwrap().total, 0, "the index missed the last write");
    let handle = search::SearchHandle::new(index.clone());
    let done = handle.catch_up(&db).await.unwrap();
    assert_eq!(
        (done.rebuilt, done.changes),
        (false, 2),
        "the change log brings the index up to date without a rebuild (create, publish)"
    );
    assert_eq!(index.search(&req).unwrap().total, 1);
    // A log trimmed past the index's place: the index is rebuilt instead.
    let third = editing::create_document(
        Store::without_index(&db),
        &caller,
        new_doc("Tredje veileder", "om loggføring"),
    )
    .await
    .unwrap();
    editing::publish(Store::without_index(&db), &caller, third.document_id, None, publish())
        .await
        .unwrap();
    normen_registry::services::changes::trim(&db, 1).await.unwrap();
    let done = handle.catch_up(&db).await.unwrap();
    assert!(done.rebuilt, "{done:?}");
    let req = index::SearchRequest {
        q: "loggføring".into(),
        ..Default::default()
    };
    assert_eq!(index.search(&req).unwrap().total, 1);
}

fn q(text: &str) -> String {
    serde_urlencoded::to_string([("q", text)]).unwrap()
}

fn numbers(res: &Value) -> Vec<String> {
    res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["number"].as_str().unwrap_or("").to_string())
        .collect()
}

fn titles(res: &Value) -> Vec<String> {
    res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

async fn demo_app() -> TestApp {
    let app = TestApp::new().await;
    normen_registry::services::demo::load(&app.db).await.unwrap();
    app.reindex().await;
    app
}

#[tokio::test]
async fn numbers_as_people_type_them() {
    let app = demo_app().await;
    // The catalogue has 06, 01 and 20a, but no 6, 1 or 20.
    for (typed, number) in [
        ("faktaark 6", "06"),
        ("FA 6", "06"),
        ("faktaark 1", "01"),
        ("FA 20", "20a"),
        ("37", "37"),
        ("faktark 37", "37"),
        ("Faktaark 0", "0"),
    ] {
        let res = app.get(&format!("/api/v1/search?{}", q(typed))).await.json();
        assert_eq!(res["hits"][0]["number"], number, "{typed}: {:?}", numbers(&res));
    }
    // The page says the same.
    let page = app.get(&format!("/sok?{}", q("faktaark 6"))).await;
    page.assert_status(200);
    let html = page.text();
    let first = html.find("class=\"hit\"").expect("a hit");
    assert!(html[first..].contains("Sikkerhetsrevisjon"), "{html}");
}

#[tokio::test]
async fn compound_heads_find_the_whole_word() {
    let app = demo_app().await;
    let res = app
        .get(&format!(
            "/api/v1/search?include_withdrawn=true&limit=50&{}",
            q("risiko")
        ))
        .await
        .json();
    let found = titles(&res);
    assert!(
        found.iter().any(|t| t.starts_with("Veileder om risikostyring")),
        "{found:?}"
    );
    assert!(found.iter().any(|t| t == "Risikovurdering"), "{found:?}");
    let res = app.get(&format!("/api/v1/search?{}", q("samhandling"))).await.json();
    assert_eq!(res["hits"][0]["number"], "20a", "{:?}", titles(&res));
}

#[tokio::test]
async fn text_typed_in_nfd_finds_what_nfc_finds() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet("15", "Håndtering av avvik", "Rutiner for håndtering av avvik.")
        .await;
    let nfc = app.get("/api/v1/search?q=H%C3%A5ndtering").await.json();
    let nfd = app.get("/api/v1/search?q=Ha%CC%8Andtering").await.json();
    assert_eq!(external_ids(&nfc), [id]);
    assert_eq!(external_ids(&nfd), [id]);
    assert_eq!(nfd["hits"][0]["snippet"], nfc["hits"][0]["snippet"]);
    let page = app.get("/sok?q=Ha%CC%8Andtering").await.text();
    assert!(page.contains("Håndtering av avvik</a>"), "{page}");
}

#[tokio::test]
async fn a_search_finding_only_withdrawn_material_names_its_successors() {
    let app = demo_app().await;
    let res = app
        .get(&format!("/api/v1/search?{}", q("risikovurdering")))
        .await
        .json();
    assert_eq!(res["total"], 0, "{res}");
    assert_eq!(res["withdrawn_hidden"], 1);
    let gone = &res["withdrawn_only"][0];
    assert_eq!(gone["number"], "07");
    assert_eq!(gone["title"], "Risikovurdering");
    let successor = gone["successors"][0]["title"].as_str().unwrap();
    assert!(successor.starts_with("Veileder om risikostyring"), "{successor}");
    assert_eq!(res["suggestion"], Value::Null);
    let html = app.get(&format!("/sok?{}", q("risikovurdering"))).await.text();
    assert!(
        html.contains("Faktaark 07 er utgått; se <a href=\"/veileder/"),
        "{html}"
    );
    assert!(html.contains(">Veileder om risikostyring"), "{html}");
    // A search with hits carries no notice.
    let res = app.get(&format!("/api/v1/search?{}", q("risiko"))).await.json();
    assert_eq!(res["withdrawn_only"], json!([]));
}

#[tokio::test]
async fn a_withdrawn_only_notice_names_no_draft_successor() {
    let app = TestApp::new().await;
    let old = app
        .published_sheet_on("37", "Sikkerhetskrav", "Om zebrakrav i prosjekter.", "2025-01-02")
        .await;
    let new = app
        .published_sheet("60", "Prosjektveiviseren", "Veiviser for prosjekter.")
        .await;
    app.post(
        &format!("/api/v1/documents/{old}/withdraw"),
        json!({"reason": "Sanert", "successors": [new], "withdrawn_on": "2025-09-16"}),
    )
    .await
    .assert_status(200);
    // The successor gets a draft with a new title: the notice keeps the published one.
    app.post(
        &format!("/api/v1/documents/{new}/drafts"),
        json!({"title": "Hemmelig nytt navn", "body": "Utkast"}),
    )
    .await
    .assert_status(201);
    let res = app.get("/api/v1/search?q=zebrakrav").await.json();
    assert_eq!(res["withdrawn_only"][0]["document_id"], old);
    assert_eq!(res["withdrawn_only"][0]["successors"][0]["title"], "Prosjektveiviseren");
    assert!(!res.to_string().contains("Hemmelig"), "{res}");
}

#[tokio::test]
async fn a_search_with_no_hits_suggests_a_published_spelling_only() {
    let app = TestApp::new().await;
    app.published_sheet("15", "Logging", "Virksomheten skal logge alle oppslag i journalen.")
        .await;
    app.create("fact_sheet", Some("99"), "Utkast", "zebraordningen i utkastet")
        .await;
    // Two letters wrong: no typo match, but a spelling the index knows.
    let res = app.get("/api/v1/search?q=jurnalne").await.json();
    assert_eq!(res["total"], 0, "{res}");
    assert_eq!(res["suggestion"], "journalen");
    let html = app.get("/sok?q=jurnalne").await.text();
    assert!(
        html.contains("Mente du <a href=\"/sok?q=journalen\">journalen</a>?"),
        "{html}"
    );
    // A draft's words are never suggested.
    let res = app.get("/api/v1/search?q=zebraordnignen").await.json();
    assert_eq!(res["total"], 0);
    assert_eq!(res["suggestion"], Value::Null, "{res}");
    // Hits: no suggestion.
    let res = app.get("/api/v1/search?q=journalen").await.json();
    assert_eq!(res["suggestion"], Value::Null);
}
