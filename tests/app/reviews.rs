//! The review cycle through the real router: a reviewer reaffirms a sheet and its page says
//! "Sist vurdert"; the due list shows the rest, overdue ones marked; other outcomes open a
//! revision need; bad reviews change nothing; reviews survive export and import.

use axum::http::Method;
use chrono::{Months, Utc};
use serde_json::{Value, json};

use normen_registry::domain::Role;
use normen_registry::services::{export, import};

use crate::assert_unchanged;
use crate::helpers::{TestApp, assert_round_trip, fresh_database};
use crate::web::signed_in;

async fn review(app: &TestApp, id: i64, token: &str, body: &Value) -> crate::helpers::TestResponse {
    app.json(
        Method::POST,
        &format!("/api/v1/documents/{id}/reviews"),
        Some(token),
        body,
        &[],
    )
    .await
}

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

#[tokio::test]
async fn a_reviewer_reaffirms_a_sheet_and_its_page_says_so() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet_on("12", "Logging", "# Logging\n\nLogg tilgang.\n", "2020-05-04")
        .await;
    // Never reviewed: due three years after its first publication, long ago.
    let doc = app.get(&format!("/api/v1/documents/{id}")).await.json();
    assert_eq!(doc["review"]["last_reviewed_on"], Value::Null);
    assert_eq!(doc["review"]["next_review_on"], "2023-05-04");
    assert_eq!(doc["review"]["overdue"], true);
    let page = app.get("/faktaark/12").await.text();
    assert!(page.contains("Vurderingen er forsinket"), "{page}");
    assert!(page.contains("4. mai 2023"), "the due date is said plainly");

    let reviewer = app.reviewer.clone();
    let res = review(
        &app,
        id,
        &reviewer,
        &json!({"outcome": "reaffirm", "reviewed_on": "2026-01-15", "note": "Gjennomgått mot Normen 6.1"}),
    )
    .await;
    res.assert_status(201);
    let r = res.json();
    assert_eq!(r["outcome"], "reaffirm");
    assert_eq!(r["reviewer"], "Rolf Reviewer");
    assert_eq!(r["revision_need_id"], Value::Null, "reaffirm opens no revision need");

    let doc = app.get(&format!("/api/v1/documents/{id}")).await.json();
    assert_eq!(doc["review"]["last_reviewed_on"], "2026-01-15");
    assert_eq!(doc["review"]["outcome"], "reaffirm");
    assert_eq!(doc["review"]["next_review_on"], "2029-01-15");
    assert_eq!(doc["review"]["overdue"], false);
    let page = app.get("/faktaark/12").await.text();
    assert!(
        page.contains("Sist vurdert 15. januar 2026: innholdet er fortsatt gyldig."),
        "{page}"
    );
    assert!(!page.contains("Vurderingen er forsinket"));

    // The reviews are listed for staff, and not for the public (notes are working notes).
    let list = app.get_as(&format!("/api/v1/documents/{id}/reviews"), &reviewer).await;
    list.assert_status(200);
    assert_eq!(list.json()["items"][0]["note"], "Gjennomgått mot Normen 6.1");
    app.get(&format!("/api/v1/documents/{id}/reviews"))
        .await
        .assert_status(401);
}

#[tokio::test]
async fn the_due_list_shows_what_is_due_with_the_overdue_marked() {
    let app = TestApp::new().await;
    let old = app.published_sheet_on("1", "Zeta gammelt", "x", "2019-03-01").await;
    let new = app.published_sheet("2", "Alfa nytt", "y").await;
    let guide = app.create("guide", None, "Veileder om logging", "z").await;
    app.publish(guide, "nb", "substantive", "Første")
        .await
        .assert_status(200);

    let due = app.get("/api/v1/reviews/due?before=2024-01-01").await;
    due.assert_status(200);
    let due = due.json();
    assert_eq!(due["total"], 1, "{due}");
    assert_eq!(due["items"][0]["document_id"], old);
    assert_eq!(due["items"][0]["next_review_on"], "2022-03-01");
    assert_eq!(due["items"][0]["overdue"], true);

    let far = today().checked_add_months(Months::new(40)).unwrap();
    let all = app.get(&format!("/api/v1/reviews/due?before={far}")).await.json();
    assert_eq!(all["total"], 3, "{all}");
    assert_eq!(all["items"][0]["document_id"], old, "the most overdue first");
    let sheets = app
        .get(&format!("/api/v1/reviews/due?before={far}&kind=fact_sheet&sort=title"))
        .await
        .json();
    let ids: Vec<i64> = sheets["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["document_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![new, old], "fact sheets only, by title");

    app.get("/api/v1/reviews/due?before=soon").await.assert_problem(400, "");
    app.get(&format!("/api/v1/reviews/due?before={far}&sort=size"))
        .await
        .assert_problem(400, "sort");
    app.get(&format!("/api/v1/reviews/due?before={far}&kind=poster"))
        .await
        .assert_problem(422, "kind");

    // The workspace list: overdue marked, filter by kind.
    let mut b = signed_in(&app, "Rita", Role::Reviewer).await;
    let html = b.get("/redaksjon/vurderinger").await.text();
    assert!(html.contains("Zeta gammelt") && html.contains("Forsinket"), "{html}");
    assert!(
        !html.contains("Veileder om logging"),
        "the guide is not due within three months"
    );
    let html = b.get("/redaksjon/vurderinger?type=guide").await.text();
    assert!(!html.contains("Zeta gammelt"), "a filter by kind");
}

#[tokio::test]
async fn other_outcomes_open_a_revision_need() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Tilgangsstyring", "krav").await;
    let editor = app.editor.clone();
    for (outcome, kind) in [
        ("update", "editorial"),
        ("revise", "substantive"),
        ("withdraw", "substantive"),
    ] {
        let r = review(
            &app,
            id,
            &editor,
            &json!({"outcome": outcome, "note": format!("Funn: {outcome}")}),
        )
        .await;
        r.assert_status(201);
        let need = r.json()["revision_need_id"].as_i64().expect("a revision need");
        let needs = app
            .get_as(&format!("/api/v1/documents/{id}/revision-needs"), &editor)
            .await
            .json();
        let n = needs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == need)
            .unwrap()
            .clone();
        assert_eq!(n["kind"], kind, "{outcome}");
        assert_eq!(n["state"], "reported");
        assert_eq!(n["description"], format!("Funn: {outcome}"));
    }
}

#[tokio::test]
async fn bad_reviews_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let id = app.published_sheet_on("5", "Kryptering", "x", "2021-06-01").await;
    let draft = app.create("fact_sheet", Some("6"), "Utkast", "y").await;
    let reviewer = app.reviewer.clone();
    let tomorrow = today().succ_opt().unwrap();
    let cases = [
        (json!({"outcome": "reaffirm", "reviewed_on": tomorrow}), 422, "future"),
        (
            json!({"outcome": "reaffirm", "reviewed_on": "2021-05-31"}),
            422,
            "first published",
        ),
        (json!({"outcome": "approve"}), 422, "reaffirm"),
        (json!({"outcome": "reaffirm", "note": "a\u{0007}b"}), 422, "control"),
        (
            json!({"outcome": "reaffirm", "decision": "99/99"}),
            422,
            "unknown decision",
        ),
        (json!({"outcome": "reaffirm", "extra": 1}), 422, "unknown field"),
    ];
    for (body, status, needle) in cases {
        assert_unchanged!(
            app,
            review(&app, id, &reviewer, &body).await.assert_problem(status, needle)
        );
    }
    assert_unchanged!(
        app,
        review(&app, draft, &reviewer, &json!({"outcome": "reaffirm"}))
            .await
            .assert_problem(409, "never published")
    );
    assert_unchanged!(
        app,
        app.json(
            Method::POST,
            &format!("/api/v1/documents/{id}/reviews"),
            None,
            &json!({"outcome": "reaffirm"}),
            &[]
        )
        .await
        .assert_problem(401, "")
    );
    assert_unchanged!(
        app,
        app.json(
            Method::POST,
            &format!("/api/v1/documents/{id}/reviews"),
            Some(&reviewer),
            &json!({"outcome": "reaffirm"}),
            &[("if-match", "\"5.1\"")],
        )
        .await
        .assert_problem(412, "")
    );
}

#[tokio::test]
async fn a_reviewer_records_a_review_in_the_workspace_form() {
    let app = TestApp::new().await;
    let id = app.published_sheet_on("20a", "Tilgang", "x", "2022-02-02").await;
    let mut b = signed_in(&app, "Rita", Role::Reviewer).await;
    let page = b.get(&format!("/redaksjon/dokumenter/{id}")).await.text();
    assert!(page.contains("Registrer vurdering"), "reviewers may review");
    assert!(page.contains("Aldri vurdert"));
    b.get(&format!("/redaksjon/dokumenter/{id}/vurdering"))
        .await
        .assert_status(200);
    // A date in the future: the message stands by the field, and nothing is stored.
    let tomorrow = today().succ_opt().unwrap().to_string();
    let res = assert_unchanged!(
        app,
        b.post(
            &format!("/redaksjon/dokumenter/{id}/vurdering"),
            &[("outcome", "reaffirm"), ("reviewed_on", tomorrow.as_str())],
        )
        .await
    );
    res.assert_status(422);
    assert!(
        res.text().contains("Datoen kan ikke være senere enn i dag"),
        "{}",
        res.text()
    );
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/vurdering"),
            &[("outcome", "reaffirm"), ("reviewed_on", "2026-01-15"), ("note", "OK")],
        )
        .await;
    res.assert_status(303);
    let page = b.get(&format!("/redaksjon/dokumenter/{id}")).await.text();
    assert!(page.contains("Vurderingen er registrert"), "{page}");
    assert!(page.contains("Sist vurdert 15. januar 2026"), "{page}");
    let public = app.get("/faktaark/20a").await.text();
    assert!(public.contains("Sist vurdert 15. januar 2026: innholdet er fortsatt gyldig."));
}

#[tokio::test]
async fn reviews_survive_export_and_import_byte_for_byte() {
    let app = TestApp::new().await;
    let id = app.published_sheet_on("3", "Sikkerhet", "x", "2020-01-01").await;
    let editor = app.editor.clone();
    review(
        &app,
        id,
        &editor,
        &json!({"outcome": "revise", "reviewed_on": "2025-03-03", "note": "Nytt regelverk"}),
    )
    .await
    .assert_status(201);
    review(
        &app,
        id,
        &editor,
        &json!({"outcome": "reaffirm", "reviewed_on": "2025-04-04"}),
    )
    .await
    .assert_status(201);
    let mut first = Vec::new();
    export::export(&app.db, &mut first).await.unwrap();
    let text = String::from_utf8(first.clone()).unwrap();
    assert_eq!(text.matches(r#""type":"review""#).count(), 2);

    assert_round_trip(&first).await;

    // An export whose review names a revision need that is not in it is refused whole.
    let (db3, _dir3) = fresh_database().await;
    let broken = text.replace(r#""revision_need_id":1"#, r#""revision_need_id":999"#);
    assert_ne!(broken, text);
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), broken).unwrap();
    let err = import::import_file(&db3, file.path(), &mut |_, _| {})
        .await
        .unwrap_err();
    assert!(err.to_string().contains("revision need 999"), "{err}");
}

#[tokio::test]
async fn the_update_status_shows_which_sheets_follow_the_current_normen() {
    let app = TestApp::new().await;
    let norm = app.create("norm", None, "Normen", "n").await;
    app.post(
        &format!("/api/v1/documents/{norm}/publish"),
        json!({"change_kind": "substantive", "change_note": "6.1", "label": "6.1", "normen_version": "6.1"}),
    )
    .await
    .assert_status(200);
    let a = app.published_sheet("1", "Oppdatert", "x").await;
    let b = app.published_sheet("2", "Gammel", "y").await;
    app.published_sheet("3", "Uten versjon", "z").await;
    for (id, v) in [(a, "6.1"), (b, "6.0")] {
        app.draft(id, "ny tekst").await.assert_status(201);
        app.post(
            &format!("/api/v1/documents/{id}/publish"),
            json!({"change_kind": "editorial", "change_note": "Tilpasset", "normen_version": v}),
        )
        .await
        .assert_status(200);
    }
    // Recorded per version, and as the document's.
    let versions = app.get(&format!("/api/v1/documents/{a}/versions")).await.json();
    let items = versions["items"].as_array().unwrap();
    assert_eq!(items[0]["normen_version"], Value::Null, "1.0 said nothing");
    assert_eq!(items[1]["normen_version"], "6.1");
    assert_eq!(
        app.get(&format!("/api/v1/documents/{a}")).await.json()["normen_version"],
        "6.1"
    );

    let report = app.get("/api/v1/normen-alignment").await.json();
    assert_eq!(report["current_normen_version"], "6.1");
    assert_eq!(report["kinds"][0]["kind"], "fact_sheet");
    assert_eq!(
        (
            &report["kinds"][0]["total"],
            &report["kinds"][0]["current"],
            &report["kinds"][0]["older"],
            &report["kinds"][0]["unknown"]
        ),
        (&json!(3), &json!(1), &json!(1), &json!(1))
    );
    let html = app.get("/oppdateringsstatus").await.text();
    assert!(html.contains("Gjeldende versjon av Normen er 6.1"), "{html}");
    assert!(html.contains("1 av 3 følger gjeldende versjon"), "{html}");
    let page = app.get("/faktaark/1").await.text();
    assert!(
        page.contains("Tilpasset Normen versjon 6.1"),
        "the history shows when it was aligned"
    );

    // A Normen version that is not a version is refused, and changes nothing.
    app.draft(b, "igjen").await.assert_status(201);
    assert_unchanged!(
        app,
        app.post(
            &format!("/api/v1/documents/{b}/publish"),
            json!({"change_kind": "editorial", "change_note": "x", "normen_version": "sju"}),
        )
        .await
        .assert_problem(422, "normen_version")
    );
}
