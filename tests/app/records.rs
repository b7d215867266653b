//! Decisions, revision needs and the audit log.

use serde_json::json;

use crate::assert_unchanged;
use crate::helpers::TestApp;

#[tokio::test]
async fn decisions_are_recorded_once_and_referenced_by_case_number() {
    let app = TestApp::new().await;
    let d = json!({"case_number": "25/25", "meeting_date": "2025-09-16", "title": "Oppdatering av faktaark 55", "outcome": "Rettet versjon publiseres"});
    let res = app.post("/api/v1/decisions", d.clone()).await;
    res.assert_status(201);
    assert_eq!(res.json()["case_number"], "25/25");
    assert_unchanged!(app, app.post("/api/v1/decisions", d).await.assert_problem(409, "25/25"));
    assert_unchanged!(app, {
        app.post(
            "/api/v1/decisions",
            json!({"case_number": "sak 25", "meeting_date": "2025-09-16", "title": "x"}),
        )
        .await
        .assert_problem(422, "NUMBER/YEAR");
    });
    assert_unchanged!(app, {
        app.post(
            "/api/v1/decisions",
            json!({"case_number": "26/25", "meeting_date": "16.09.2025", "title": "x"}),
        )
        .await
        .assert_problem(422, "meeting_date");
    });
    let list = app.get("/api/v1/decisions").await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    let id = app
        .create(
            "fact_sheet",
            Some("55"),
            "Trusselutsatte personer med adressesperre",
            "v1",
        )
        .await;
    app.publish(id, "nb", "substantive", "Første").await.assert_status(200);
    app.draft(id, "v2").await.assert_status(201);
    let res = app
        .post(
            &format!("/api/v1/documents/{id}/publish"),
            json!({"change_kind": "editorial", "change_note": "Feil rettet", "decision": "25/25"}),
        )
        .await;
    res.assert_status(200);
    let v = app.get(&format!("/api/v1/documents/{id}/versions/1.1")).await.json();
    assert_eq!(v["decision"], "25/25");
}

#[tokio::test]
async fn revision_needs_move_through_their_states() {
    let app = TestApp::new().await;
    let id = app.published_sheet("55", "Adressesperre", "v1").await;
    let uri = format!("/api/v1/documents/{id}/revision-needs");
    assert_unchanged!(app, {
        app.post(
            &uri,
            json!({"title": "Feil", "origin": "external_report", "kind": "error", "priority": 1}),
        )
        .await
        .assert_problem(422, "origin_reference");
    });
    assert_unchanged!(app, {
        app.post(&uri, json!({"title": "Plan", "origin": "action_plan", "kind": "substantive", "priority": 2, "period": "2026-H3"}))
            .await
            .assert_problem(422, "2026-H1");
    });
    assert_unchanged!(app, {
        app.post(
            &uri,
            json!({"title": "x", "origin": "internal", "kind": "error", "priority": 4}),
        )
        .await
        .assert_problem(422, "priority");
    });
    let res = app
        .post(
            &uri,
            json!({"title": "Feil meldt av Bufdir", "origin": "external_report", "origin_reference": "Brev fra Bufdir",
                   "origin_body": "Feil i avsnitt 2", "kind": "error", "priority": 1, "version_label": "1.0",
                   "section": "2 Adressesperre", "public": true}),
        )
        .await;
    res.assert_status(201);
    let need = res.json();
    assert_eq!(need["state"], "reported");
    assert_eq!(need["version_label"], "1.0");
    let nid = need["id"].as_i64().unwrap();
    app.post(
        &uri,
        json!({"title": "Intern merknad", "origin": "internal", "kind": "editorial", "priority": 3}),
    )
    .await
    .assert_status(201);

    // The public sees only open needs marked public; staff see all.
    let public = app.get(&uri).await.json();
    assert_eq!(public["items"].as_array().unwrap().len(), 1);
    assert_eq!(public["items"][0]["title"], "Feil meldt av Bufdir");
    let staff = app.get_as(&uri, &app.reviewer).await.json();
    assert_eq!(staff["items"].as_array().unwrap().len(), 2);
    app.get("/api/v1/revision-needs").await.assert_problem(401, "");
    assert_eq!(
        app.get_as("/api/v1/revision-needs?state=reported", &app.reviewer)
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let mv = format!("/api/v1/revision-needs/{nid}/state");
    assert_unchanged!(
        app,
        app.post(&mv, json!({"state": "resolved", "resolved_label": "1.0"}))
            .await
            .assert_problem(409, "cannot move")
    );
    app.post(&mv, json!({"state": "accepted"})).await.assert_status(200);
    let planned = app.post(&mv, json!({"state": "planned", "period": "2026-H1"})).await;
    planned.assert_status(200);
    assert_eq!(planned.json()["period"], "2026-H1");
    app.post(&mv, json!({"state": "in_revision"})).await.assert_status(200);
    assert_unchanged!(
        app,
        app.post(&mv, json!({"state": "resolved"}))
            .await
            .assert_problem(422, "published version")
    );
    assert_unchanged!(
        app,
        app.post(&mv, json!({"state": "resolved", "resolved_label": "1.1"}))
            .await
            .assert_problem(422, "1.1")
    );
    app.draft(id, "rettet").await.assert_status(201);
    app.publish(id, "nb", "editorial", "Feil rettet")
        .await
        .assert_status(200);
    let done = app
        .post(&mv, json!({"state": "resolved", "resolved_label": "1.1"}))
        .await;
    done.assert_status(200);
    assert_eq!(done.json()["resolved_label"], "1.1");
    assert_unchanged!(
        app,
        app.post(&mv, json!({"state": "reported"}))
            .await
            .assert_problem(409, "none")
    );
    // Resolved needs leave the public list.
    assert!(app.get(&uri).await.json()["items"].as_array().unwrap().is_empty());
    app.post("/api/v1/revision-needs/999999/state", json!({"state": "accepted"}))
        .await
        .assert_problem(404, "999999");
}

#[tokio::test]
async fn every_write_is_audited_and_only_admins_read_the_log() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    app.post(&format!("/api/v1/documents/{id}/withdraw"), json!({"reason": "Sanert"}))
        .await
        .assert_status(200);
    app.get("/api/v1/audit").await.assert_problem(401, "");
    app.get_as("/api/v1/audit", &app.editor).await.assert_problem(403, "");
    let log = app.get_as("/api/v1/audit?limit=100", &app.admin).await;
    log.assert_status(200);
    let log = log.json();
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    // Newest first: withdraw, publish, create, then the three users of the test app.
    assert_eq!(
        &actions[..3],
        ["document.withdraw", "version.publish", "document.create"]
    );
    let entry = &log["items"][0];
    assert_eq!(entry["actor"], "Eva Editor");
    assert_eq!(entry["target_id"], id);
    assert_eq!(entry["details"]["reason"], "Sanert");
    assert!(entry["at"].as_str().unwrap().starts_with("20"));
}
