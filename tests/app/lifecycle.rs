//! Draft, publish, new versions, labels, withdraw, reinstate, If-Match: every rule, with the
//! refusals checked to change nothing.

use axum::http::Method;
use serde_json::json;

use crate::assert_unchanged;
use crate::helpers::TestApp;

#[tokio::test]
async fn versions_supersede_and_labels_follow_change_kind() {
    let app = TestApp::new().await;
    let id = app.create("fact_sheet", Some("37"), "Sikkerhetskrav", "v1").await;
    let doc = app
        .get_as(&format!("/api/v1/documents/{id}"), &app.reviewer)
        .await
        .json();
    assert_eq!(doc["status"], "draft");
    assert!(doc["current_version"].is_null());

    let res = app.publish(id, "nb", "substantive", "Første versjon").await;
    res.assert_status(200);
    assert_eq!(res.json()["status"], "published");
    assert_eq!(res.json()["current_version"]["label"], "1.0");

    app.draft(id, "v1.1").await.assert_status(201);
    let res = app.publish(id, "nb", "editorial", "Skrivefeil rettet").await;
    assert_eq!(res.json()["current_version"]["label"], "1.1");
    app.draft(id, "v2").await.assert_status(201);
    let res = app.publish(id, "nb", "substantive", "Nye krav").await;
    assert_eq!(res.json()["current_version"]["label"], "2.0");
    assert_eq!(res.json()["current_version"]["change_kind"], "substantive");

    // An editor may choose a higher label.
    app.draft(id, "v3.5").await.assert_status(201);
    let res = app
        .post(
            &format!("/api/v1/documents/{id}/publish"),
            json!({"change_kind": "editorial", "change_note": "Hopp", "label": "3.5"}),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["current_version"]["label"], "3.5");

    let versions = app.get(&format!("/api/v1/documents/{id}/versions")).await.json();
    let labels: Vec<&str> = versions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["1.0", "1.1", "2.0", "3.5"]);
    // Old versions stay readable with their own text.
    let old = app.get(&format!("/api/v1/documents/{id}/versions/1.1")).await.json();
    assert_eq!(old["body"], "v1.1");
    assert_eq!(old["change_note"], "Skrivefeil rettet");
}

#[tokio::test]
async fn labels_never_go_backwards() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    app.draft(id, "v2").await.assert_status(201);
    app.post(
        &format!("/api/v1/documents/{id}/publish"),
        json!({"change_kind": "substantive", "change_note": "x", "label": "2.0"}),
    )
    .await
    .assert_status(200);
    app.draft(id, "v3").await.assert_status(201);
    for label in ["2.0", "1.9", "0.1"] {
        assert_unchanged!(app, {
            app.post(
                &format!("/api/v1/documents/{id}/publish"),
                json!({"change_kind": "editorial", "change_note": "x", "label": label}),
            )
            .await
            .assert_problem(409, "only grow");
        });
    }
    assert_unchanged!(app, {
        app.post(
            &format!("/api/v1/documents/{id}/publish"),
            json!({"change_kind": "editorial", "change_note": "x", "label": "2"}),
        )
        .await
        .assert_problem(422, "MAJOR.MINOR");
    });
}

#[tokio::test]
async fn publishing_needs_a_draft_a_note_and_a_known_kind() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    assert_unchanged!(
        app,
        app.publish(id, "nb", "substantive", "ingen utkast")
            .await
            .assert_problem(409, "no draft")
    );
    app.draft(id, "v2").await.assert_status(201);
    assert_unchanged!(
        app,
        app.publish(id, "nb", "substantive", "   ")
            .await
            .assert_problem(422, "change note")
    );
    assert_unchanged!(
        app,
        app.publish(id, "nb", "major", "x")
            .await
            .assert_problem(422, "change kind")
    );
    app.publish(id, "nb", "substantive", "x").await.assert_status(200);
}

#[tokio::test]
async fn one_draft_per_language() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    app.draft(id, "first draft").await.assert_status(201);
    assert_unchanged!(
        app,
        app.draft(id, "second draft")
            .await
            .assert_problem(409, "already has a draft")
    );
    // Editing and discarding the draft.
    let res = app
        .json(
            Method::PUT,
            &format!("/api/v1/documents/{id}/drafts/nb"),
            Some(&app.editor),
            &json!({"body": "edited"}),
            &[],
        )
        .await;
    res.assert_status(200);
    let d = app
        .get_as(&format!("/api/v1/documents/{id}/versions/draft"), &app.reviewer)
        .await
        .json();
    assert_eq!(d["body"], "edited");
    app.send(
        Method::DELETE,
        &format!("/api/v1/documents/{id}/drafts/nb"),
        Some(&app.editor),
        None,
        &[],
    )
    .await
    .assert_status(200);
    app.draft(id, "a new one").await.assert_status(201);
}

#[tokio::test]
async fn withdrawal_needs_a_reason_and_blocks_new_versions_until_reinstated() {
    let app = TestApp::new().await;
    // Published before the withdrawal date below: a withdrawal is not dated before the first
    // publication (issue 10).
    let id = app.published_sheet_on("37", "Sikkerhetskrav", "v1", "2025-01-02").await;
    let successor = app.published_sheet("60", "Ny veiledning", "ny").await;
    app.post(
        "/api/v1/decisions",
        json!({"case_number": "23/25", "meeting_date": "2025-09-16", "title": "Sanering av faktaark 37"}),
    )
    .await
    .assert_status(201);

    assert_unchanged!(
        app,
        app.post(&format!("/api/v1/documents/{id}/withdraw"), json!({"reason": "  "}))
            .await
            .assert_problem(422, "reason")
    );
    assert_unchanged!(
        app,
        app.post(&format!("/api/v1/documents/{id}/withdraw"), json!({}))
            .await
            .assert_problem(422, "reason")
    );
    assert_unchanged!(app, {
        app.post(
            &format!("/api/v1/documents/{id}/withdraw"),
            json!({"reason": "x", "successors": [id]}),
        )
        .await
        .assert_problem(422, "itself");
    });
    assert_unchanged!(app, {
        app.post(
            &format!("/api/v1/documents/{id}/withdraw"),
            json!({"reason": "x", "decision": "99/25"}),
        )
        .await
        .assert_problem(422, "unknown decision");
    });

    let res = app
        .post(
            &format!("/api/v1/documents/{id}/withdraw"),
            json!({"reason": "Erstattet av Prosjektveiviseren", "decision": "23/25", "withdrawn_on": "2025-09-16", "successors": [successor]}),
        )
        .await;
    res.assert_status(200);
    let doc = res.json();
    assert_eq!(doc["status"], "withdrawn");
    assert_eq!(doc["withdrawal"]["withdrawn_on"], "2025-09-16");
    assert_eq!(doc["withdrawal"]["reason"], "Erstattet av Prosjektveiviseren");
    assert_eq!(doc["withdrawal"]["decision"]["case_number"], "23/25");
    assert_eq!(doc["withdrawal"]["successors"][0]["id"], successor);
    assert_eq!(doc["withdrawal"]["successors"][0]["url"], "/faktaark/60");

    // Withdrawn material stays readable by the public.
    app.get(&format!("/api/v1/documents/{id}")).await.assert_status(200);
    app.get(&format!("/api/v1/documents/{id}/versions/1.0"))
        .await
        .assert_status(200);

    // No new versions while withdrawn.
    assert_unchanged!(app, app.draft(id, "v2").await.assert_problem(409, "withdrawn"));
    assert_unchanged!(
        app,
        app.publish(id, "nb", "editorial", "x")
            .await
            .assert_problem(409, "withdrawn")
    );
    assert_unchanged!(app, {
        app.post(&format!("/api/v1/documents/{id}/withdraw"), json!({"reason": "igjen"}))
            .await
            .assert_problem(409, "already withdrawn");
    });

    // Reinstating.
    assert_unchanged!(app, {
        app.post(
            &format!("/api/v1/documents/{successor}/reinstate"),
            json!({"reason": "x"}),
        )
        .await
        .assert_problem(409, "only a withdrawn");
    });
    let res = app
        .post(
            &format!("/api/v1/documents/{id}/reinstate"),
            json!({"reason": "Vedtaket omgjort"}),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["status"], "published");
    assert!(res.json()["withdrawal"].is_null());
    app.draft(id, "v2").await.assert_status(201);
    app.publish(id, "nb", "substantive", "Oppdatert")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn a_draft_document_cannot_be_withdrawn() {
    let app = TestApp::new().await;
    let id = app.create("fact_sheet", Some("37"), "Sikkerhetskrav", "v1").await;
    assert_unchanged!(app, {
        app.post(&format!("/api/v1/documents/{id}/withdraw"), json!({"reason": "x"}))
            .await
            .assert_problem(409, "never published");
    });
}

#[tokio::test]
async fn stale_if_match_is_412_and_changes_nothing() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    let first = app.get_as(&format!("/api/v1/documents/{id}"), &app.editor).await;
    let etag = first.header("etag");
    assert_eq!(etag, first.json()["etag"]);
    let res = app
        .json(
            Method::POST,
            &format!("/api/v1/documents/{id}/drafts"),
            Some(&app.editor),
            &json!({"body": "v2"}),
            &[("if-match", &etag)],
        )
        .await;
    res.assert_status(201);
    let new_etag = res.header("etag");
    assert_ne!(new_etag, etag);
    // The old ETag is now stale.
    assert_unchanged!(app, {
        app.json(
            Method::POST,
            &format!("/api/v1/documents/{id}/publish"),
            Some(&app.editor),
            &json!({"change_kind": "editorial", "change_note": "x"}),
            &[("if-match", &etag)],
        )
        .await
        .assert_problem(412, "changed since");
    });
    assert_unchanged!(app, {
        app.json(
            Method::POST,
            &format!("/api/v1/documents/{id}/publish"),
            Some(&app.editor),
            &json!({"change_kind": "editorial", "change_note": "x"}),
            &[("if-match", "\"garbage\"")],
        )
        .await
        .assert_problem(412, "not an ETag");
    });
    app.json(
        Method::POST,
        &format!("/api/v1/documents/{id}/publish"),
        Some(&app.editor),
        &json!({"change_kind": "editorial", "change_note": "x"}),
        &[("if-match", &new_etag)],
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn malformed_and_mistyped_bodies_are_refused() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    let uri = format!("/api/v1/documents/{id}/withdraw");
    let raw = |body: &'static str, ctype: &'static str| {
        let app = &app;
        let uri = uri.clone();
        async move {
            app.send(
                Method::POST,
                &uri,
                Some(&app.editor),
                Some(axum::body::Body::from(body)),
                &[("content-type", ctype)],
            )
            .await
        }
    };
    assert_unchanged!(
        app,
        raw("{\"reason\": ", "application/json").await.assert_problem(400, "")
    );
    assert_unchanged!(app, raw("not json", "application/json").await.assert_problem(400, ""));
    assert_unchanged!(
        app,
        raw("{\"reason\": 42}", "application/json")
            .await
            .assert_problem(422, "reason")
    );
    assert_unchanged!(
        app,
        raw("{\"reason\": \"x\", \"successors\": \"all\"}", "application/json")
            .await
            .assert_problem(422, "")
    );
    assert_unchanged!(
        app,
        raw("{\"reason\": \"x\", \"reson\": \"typo\"}", "application/json")
            .await
            .assert_problem(422, "reson")
    );
    assert_unchanged!(
        app,
        raw("{\"reason\": \"x\"}", "text/plain").await.assert_problem(415, "")
    );
    assert_unchanged!(app, {
        app.post(
            "/api/v1/documents",
            json!({"kind": "fact_sheet", "language": "nb", "title": "", "body": "x"}),
        )
        .await
        .assert_problem(422, "title");
    });
    assert_unchanged!(app, {
        app.post(
            "/api/v1/documents",
            json!({"kind": "poster", "language": "nb", "title": "x"}),
        )
        .await
        .assert_problem(422, "kind");
    });
    assert_unchanged!(app, {
        app.post(
            "/api/v1/documents",
            json!({"kind": "fact_sheet", "number": "37", "language": "nb", "title": "Duplikat"}),
        )
        .await
        .assert_problem(409, "number 37");
    });
    assert_unchanged!(app, {
        app.post(
            "/api/v1/documents",
            json!({"kind": "fact_sheet", "number": "x/../1", "language": "nb", "title": "x"}),
        )
        .await
        .assert_problem(422, "number");
    });
    assert_unchanged!(app, {
        app.post(
            "/api/v1/documents",
            json!({"kind": "guide", "language": "nb", "title": "x", "body": "a\u{0}b"}),
        )
        .await
        .assert_problem(422, "control");
    });
    assert_unchanged!(
        app,
        app.post("/api/v1/documents/999999/withdraw", json!({"reason": "x"}))
            .await
            .assert_problem(404, "999999")
    );
    // A body over the size limit.
    let big = "x".repeat(5 * 1024 * 1024);
    let body = format!("{{\"reason\": \"{big}\"}}");
    let res = assert_unchanged!(app, {
        app.send(
            Method::POST,
            &uri,
            Some(&app.editor),
            Some(axum::body::Body::from(body)),
            &[("content-type", "application/json")],
        )
        .await
    });
    res.assert_status(413);
}

#[tokio::test]
async fn equal_titles_get_numbered_slugs() {
    let app = TestApp::new().await;
    let mut slugs = Vec::new();
    for _ in 0..3 {
        let id = app.create("guide", None, "Samme tittel", "x").await;
        slugs.push(
            app.get_as(&format!("/api/v1/documents/{id}"), &app.reviewer)
                .await
                .json()["slug"]
                .clone(),
        );
    }
    // A slug that merely starts the same is not a numbered variant.
    let other = app.create("guide", None, "Samme tittel mer", "x").await;
    assert_eq!(
        slugs,
        [json!("samme-tittel"), json!("samme-tittel-2"), json!("samme-tittel-3")]
    );
    assert_eq!(
        app.get_as(&format!("/api/v1/documents/{other}"), &app.reviewer)
            .await
            .json()["slug"],
        "samme-tittel-mer"
    );
}
