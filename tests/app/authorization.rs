//! The authorization matrix: every API route, sent as anonymous, reviewer, editor and admin,
//! each on a fresh registry, with the status each must get. Drafts stay invisible to the public
//! on every read route.

use axum::http::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Ids in the fixture every case runs against.
struct Fixture {
    app: TestApp,
    published: i64,
    draft_only: i64,
    need: i64,
    token_id: i64,
}

async fn fixture() -> Fixture {
    let app = TestApp::new().await;
    let published = app
        .published_sheet("37", "Sikkerhetskrav", "# Krav\n\nDu skal dokumentere.")
        .await;
    app.draft(published, "UTKAST: neste versjon").await.assert_status(201);
    let successor = app.published_sheet("60", "Prosjektveiviseren", "ny").await;
    let _ = successor;
    let draft_only = app.create("fact_sheet", Some("99"), "UTKAST-ark", "UTKAST-tekst").await;
    let need = app
        .post(
            &format!("/api/v1/documents/{published}/revision-needs"),
            json!({"title": "Feil", "origin": "internal", "kind": "error", "priority": 1, "public": true}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    app.post(
        "/api/v1/decisions",
        json!({"case_number": "23/25", "meeting_date": "2025-09-16", "title": "Sanering"}),
    )
    .await
    .assert_status(201);
    let tokens = app.get_as("/api/v1/tokens", &app.admin).await.json();
    let token_id = tokens["items"][0]["id"].as_i64().unwrap();
    Fixture {
        app,
        published,
        draft_only,
        need,
        token_id,
    }
}

struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    /// Expected status as anonymous, reviewer, editor, admin.
    want: [u16; 4],
}

fn cases(f: &Fixture) -> Vec<Case> {
    let (p, d, n, t) = (f.published, f.draft_only, f.need, f.token_id);
    let get = |path: String, want| Case {
        method: Method::GET,
        path,
        body: None,
        want,
    };
    let post = |path: String, body: Value, want| Case {
        method: Method::POST,
        path,
        body: Some(body),
        want,
    };
    const READ: [u16; 4] = [200, 200, 200, 200];
    const DRAFT_READ: [u16; 4] = [404, 200, 200, 200];
    const STAFF: [u16; 4] = [401, 200, 200, 200];
    const ADMIN: [u16; 4] = [401, 403, 403, 200];
    vec![
        get("/api/openapi.json".into(), READ),
        get("/api/v1/documents".into(), READ),
        get(format!("/api/v1/documents/{p}"), READ),
        get(format!("/api/v1/documents/{d}"), DRAFT_READ),
        get(format!("/api/v1/documents/{p}/versions"), READ),
        get(format!("/api/v1/documents/{d}/versions"), DRAFT_READ),
        get(format!("/api/v1/documents/{p}/versions/1.0"), READ),
        get(format!("/api/v1/documents/{p}/versions/draft"), DRAFT_READ),
        get(format!("/api/v1/documents/{p}/diff?from=1.0&to=1.0"), READ),
        get(format!("/api/v1/documents/{p}/revision-needs"), READ),
        get(format!("/api/v1/documents/{d}/revision-needs"), DRAFT_READ),
        get("/api/v1/revision-needs".into(), STAFF),
        get("/api/v1/decisions".into(), READ),
        get("/api/v1/search?q=krav".into(), READ),
        get("/api/v1/audit".into(), ADMIN),
        get("/api/v1/tokens".into(), ADMIN),
        post(
            "/api/v1/documents".into(),
            json!({"kind": "guide", "language": "nb", "title": "Ny"}),
            [401, 403, 201, 201],
        ),
        post(
            format!("/api/v1/documents/{d}/drafts"),
            json!({"body": "x"}),
            [401, 403, 409, 409],
        ),
        Case {
            method: Method::PUT,
            path: format!("/api/v1/documents/{p}/drafts/nb"),
            body: Some(json!({"body": "endret"})),
            want: [401, 403, 200, 200],
        },
        Case {
            method: Method::DELETE,
            path: format!("/api/v1/documents/{p}/drafts/nb"),
            body: None,
            want: [401, 403, 200, 200],
        },
        post(
            format!("/api/v1/documents/{p}/publish"),
            json!({"change_kind": "editorial", "change_note": "x"}),
            [401, 403, 200, 200],
        ),
        post(
            format!("/api/v1/documents/{p}/translations"),
            json!({"language": "en", "source_label": "1.0", "title": "Requirements", "body": "x"}),
            [401, 403, 201, 201],
        ),
        post(
            format!("/api/v1/documents/{p}/withdraw"),
            json!({"reason": "Sanert", "decision": "23/25"}),
            [401, 403, 200, 200],
        ),
        post(
            format!("/api/v1/documents/{p}/reinstate"),
            json!({"reason": "x"}),
            [401, 403, 409, 409],
        ),
        post(
            format!("/api/v1/documents/{p}/relations"),
            json!({"kind": "related", "to_document_id": d}),
            [401, 403, 200, 200],
        ),
        post(
            format!("/api/v1/documents/{p}/revision-needs"),
            json!({"title": "Ny", "origin": "internal", "kind": "editorial", "priority": 2}),
            [401, 403, 201, 201],
        ),
        post(
            format!("/api/v1/revision-needs/{n}/state"),
            json!({"state": "accepted"}),
            [401, 403, 200, 200],
        ),
        post(
            "/api/v1/decisions".into(),
            json!({"case_number": "1/26", "meeting_date": "2026-01-01", "title": "x"}),
            [401, 403, 201, 201],
        ),
        post(
            "/api/v1/tokens".into(),
            json!({"user": "Eva Editor"}),
            [401, 403, 403, 201],
        ),
        Case {
            method: Method::DELETE,
            path: format!("/api/v1/tokens/{t}"),
            body: None,
            want: [401, 403, 403, 204],
        },
    ]
}

#[tokio::test]
async fn every_route_by_every_role() {
    let template = fixture().await;
    let count = cases(&template).len();
    drop(template);
    let mut checked = 0;
    for i in 0..count {
        for (role, want_index) in [("anonymous", 0), ("reviewer", 1), ("editor", 2), ("admin", 3)] {
            // A fresh registry per request, so one write cannot change what the next one meets.
            let f = fixture().await;
            let case = &cases(&f)[i];
            let token = match role {
                "reviewer" => Some(f.app.reviewer.clone()),
                "editor" => Some(f.app.editor.clone()),
                "admin" => Some(f.app.admin.clone()),
                _ => None,
            };
            let res = match &case.body {
                Some(body) => {
                    f.app
                        .json(case.method.clone(), &case.path, token.as_deref(), body, &[])
                        .await
                }
                None => {
                    f.app
                        .send(case.method.clone(), &case.path, token.as_deref(), None, &[])
                        .await
                }
            };
            assert_eq!(
                res.status.as_u16(),
                case.want[want_index],
                "{} {} as {role}: {}",
                case.method,
                case.path,
                res.text()
            );
            if role == "anonymous" {
                assert!(
                    !res.text().contains("UTKAST"),
                    "{} {} leaks a draft: {}",
                    case.method,
                    case.path,
                    res.text()
                );
            }
            checked += 1;
        }
    }
    eprintln!("authorization matrix: {count} routes x 4 roles = {checked} requests checked");
    assert_eq!(checked, count * 4);
}
