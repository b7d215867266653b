//! Concurrent editors: several requests on the same document at the same moment. Exactly one
//! wins, the others get a 409 or 412, and no label, draft or withdrawal is duplicated.

use std::sync::Arc;

use axum::http::Method;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::helpers::TestApp;

const RACERS: usize = 8;

/// Sends the same request from `RACERS` tasks at once and returns the statuses, sorted.
async fn race(app: &Arc<TestApp>, uri: String, body: Value, if_match: Option<String>) -> Vec<u16> {
    let mut set = JoinSet::new();
    for _ in 0..RACERS {
        let (app, uri, body, if_match) = (app.clone(), uri.clone(), body.clone(), if_match.clone());
        set.spawn(async move {
            let headers: Vec<(&str, &str)> = if_match.as_deref().map(|t| vec![("if-match", t)]).unwrap_or_default();
            app.json(Method::POST, &uri, Some(&app.editor), &body, &headers)
                .await
                .status
                .as_u16()
        });
    }
    let mut statuses: Vec<u16> = set.join_all().await;
    statuses.sort_unstable();
    statuses
}

fn one_winner(statuses: &[u16], win: u16, lose: &[u16]) {
    assert_eq!(statuses.iter().filter(|s| **s == win).count(), 1, "{statuses:?}");
    assert!(
        statuses.iter().filter(|s| **s != win).all(|s| lose.contains(s)),
        "{statuses:?}"
    );
}

async fn labels(app: &TestApp, id: i64) -> Vec<String> {
    let v = app.get(&format!("/api/v1/documents/{id}/versions")).await.json();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_publishes_with_the_same_etag() {
    let app = Arc::new(TestApp::new().await);
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    let res = app.draft(id, "v2").await;
    let etag = res.header("etag");
    let statuses = race(
        &app,
        format!("/api/v1/documents/{id}/publish"),
        json!({"change_kind": "substantive", "change_note": "Ny"}),
        Some(etag),
    )
    .await;
    one_winner(&statuses, 200, &[409, 412]);
    assert_eq!(labels(&app, id).await, ["1.0", "2.0"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_publishes_without_etag_publish_the_draft_once() {
    let app = Arc::new(TestApp::new().await);
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    app.draft(id, "v2").await.assert_status(201);
    let statuses = race(
        &app,
        format!("/api/v1/documents/{id}/publish"),
        json!({"change_kind": "editorial", "change_note": "Ny"}),
        None,
    )
    .await;
    one_winner(&statuses, 200, &[409]);
    assert_eq!(labels(&app, id).await, ["1.0", "1.1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_drafts_withdrawals_and_creations() {
    let app = Arc::new(TestApp::new().await);
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;

    let statuses = race(
        &app,
        format!("/api/v1/documents/{id}/drafts"),
        json!({"body": "utkast"}),
        None,
    )
    .await;
    one_winner(&statuses, 201, &[409]);

    let statuses = race(
        &app,
        format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Sanert"}),
        None,
    )
    .await;
    one_winner(&statuses, 200, &[409]);
    let audit = app.get_as("/api/v1/audit?limit=100", &app.admin).await.json();
    let withdrawals = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "document.withdraw")
        .count();
    assert_eq!(withdrawals, 1);

    let statuses = race(
        &app,
        "/api/v1/documents".into(),
        json!({"kind": "fact_sheet", "number": "55", "language": "nb", "title": "Adressesperre"}),
        None,
    )
    .await;
    one_winner(&statuses, 201, &[409]);
    let sheets = app.get_as("/api/v1/documents?number=55", &app.reviewer).await.json();
    assert_eq!(sheets["total"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn publish_and_withdraw_race_on_one_etag() {
    let app = Arc::new(TestApp::new().await);
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    let etag = app.draft(id, "v2").await.header("etag");
    let (publish_uri, withdraw_uri) = (
        format!("/api/v1/documents/{id}/publish"),
        format!("/api/v1/documents/{id}/withdraw"),
    );
    let (publish, withdraw) = (
        json!({"change_kind": "substantive", "change_note": "Ny"}),
        json!({"reason": "Sanert"}),
    );
    let headers = [("if-match", etag.as_str())];
    let (a, b) = tokio::join!(
        app.json(Method::POST, &publish_uri, Some(&app.editor), &publish, &headers),
        app.json(Method::POST, &withdraw_uri, Some(&app.editor), &withdraw, &headers),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412]);
    let doc = app.get(&format!("/api/v1/documents/{id}")).await.json();
    // Whichever won, its change is whole and the loser's left no trace.
    if a.status == 200 {
        assert_eq!(doc["status"], "published");
        assert_eq!(labels(&app, id).await, ["1.0", "2.0"]);
    } else {
        assert_eq!(doc["status"], "withdrawn");
        assert_eq!(labels(&app, id).await, ["1.0"]);
    }
}
