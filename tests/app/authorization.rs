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
        get(format!("/api/v1/documents/{p}/reviews"), STAFF),
        Case {
            method: Method::PATCH,
            path: format!("/api/v1/documents/{p}"),
            body: Some(json!({"review_interval_months": 24})),
            want: [401, 403, 200, 200],
        },
        get("/api/v1/reviews/due?before=2099-01-01".into(), READ),
        // Every staff role reviews; a document never published has nothing to review.
        post(
            format!("/api/v1/documents/{p}/reviews"),
            json!({"outcome": "reaffirm"}),
            [401, 201, 201, 201],
        ),
        post(
            format!("/api/v1/documents/{d}/reviews"),
            json!({"outcome": "reaffirm"}),
            [401, 409, 409, 409],
        ),
        get("/api/v1/tokens".into(), ADMIN),
        // Approval before publishing: staff read and comment, writers submit and decide.
        get(format!("/api/v1/documents/{p}/drafts/nb/approval"), STAFF),
        get(format!("/api/v1/documents/{d}/drafts/nb/approval"), STAFF),
        post(
            format!("/api/v1/documents/{p}/drafts/nb/submit"),
            json!({}),
            [401, 403, 200, 200],
        ),
        post(
            format!("/api/v1/documents/{p}/drafts/nb/approve"),
            json!({}),
            [401, 403, 409, 409],
        ),
        post(
            format!("/api/v1/documents/{p}/drafts/nb/return"),
            json!({"comment": "Nei"}),
            [401, 403, 409, 409],
        ),
        post(
            format!("/api/v1/documents/{p}/drafts/nb/comments"),
            json!({"body": "Fint"}),
            [401, 200, 200, 200],
        ),
        get("/api/v1/approvals".into(), STAFF),
        get("/api/v1/approval-rules".into(), STAFF),
        Case {
            method: Method::PUT,
            path: "/api/v1/approval-rules".into(),
            body: Some(json!({"required_for": ["guide"]})),
            want: ADMIN,
        },
        get("/api/v1/revision-sources".into(), STAFF),
        post(
            "/api/v1/revision-sources".into(),
            json!({"title": "Ny lov", "reference": "Prop. 1 L", "targets": [{"document_id": p}]}),
            [401, 403, 201, 201],
        ),
        // Corrections of records.
        get(format!("/api/v1/revision-needs/{n}"), STAFF),
        Case {
            method: Method::PATCH,
            path: format!("/api/v1/revision-needs/{n}"),
            body: Some(json!({"priority": 2})),
            want: [401, 403, 200, 200],
        },
        Case {
            method: Method::PATCH,
            path: "/api/v1/decisions/1".into(),
            body: Some(json!({"outcome": "Faktaarket saneres."})),
            want: [401, 403, 200, 200],
        },
        Case {
            method: Method::DELETE,
            path: format!("/api/v1/documents/{p}/relations/related/{d}"),
            body: None,
            want: [401, 403, 404, 404],
        },
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

/// Runs `check(case index, role index)` for every case and role, a few at a time (each on a fresh
/// registry), and returns the mismatches.
async fn run_matrix<F, Fut>(count: usize, check: F) -> Vec<String>
where
    F: Fn(usize, usize) -> Fut,
    Fut: std::future::Future<Output = Option<String>> + Send + 'static,
{
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(6));
    let mut set = tokio::task::JoinSet::new();
    for i in 0..count {
        for role in 0..4 {
            let job = check(i, role);
            let permits = permits.clone();
            set.spawn(async move {
                let _permit = permits.acquire_owned().await.unwrap();
                job.await
            });
        }
    }
    set.join_all().await.into_iter().flatten().collect()
}

const ROLES: [&str; 4] = ["anonymous", "reviewer", "editor", "admin"];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_route_by_every_role() {
    let count = cases(&fixture().await).len();
    let mismatches = run_matrix(count, |i, idx| async move {
        // A fresh registry per request, so one write cannot change what the next one meets.
        let f = fixture().await;
        let case = &cases(&f)[i];
        let role = ROLES[idx];
        let token = [
            None,
            Some(f.app.reviewer.clone()),
            Some(f.app.editor.clone()),
            Some(f.app.admin.clone()),
        ][idx]
            .clone();
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
        let mut problems = Vec::new();
        if res.status.as_u16() != case.want[idx] {
            problems.push(format!(
                "{} {} as {role}: got {}, want {}: {}",
                case.method,
                case.path,
                res.status.as_u16(),
                case.want[idx],
                res.text()
            ));
        }
        if role == "anonymous" && res.text().contains("UTKAST") {
            problems.push(format!("{} {} leaks a draft: {}", case.method, case.path, res.text()));
        }
        (!problems.is_empty()).then(|| problems.join("\n"))
    })
    .await;
    eprintln!(
        "authorization matrix (API): {count} routes x 4 roles = {} requests checked",
        count * 4
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Staff sessions for the web matrix: cookie and CSRF token per role, made directly in the
/// session table (signing in itself is tested in `web`).
struct WebFixture {
    f: Fixture,
    sessions: Vec<Option<(String, String)>>,
}

async fn web_fixture() -> WebFixture {
    use normen_registry::services::users;
    let f = fixture().await;
    let mut sessions = vec![None];
    for token in [&f.app.reviewer, &f.app.editor, &f.app.admin] {
        let caller = users::caller_for_token(&f.app.db, token).await.unwrap().unwrap();
        let (value, session) = normen_registry::session::create(&f.app.db, caller).await.unwrap();
        let cookie = normen_registry::session::set_cookie(&value, &session, false);
        let pair = cookie.to_str().unwrap().split(';').next().unwrap().to_string();
        sessions.push(Some((pair, session.data.csrf.clone())));
    }
    WebFixture { f, sessions }
}

struct PageCase {
    post: bool,
    path: String,
    fields: Vec<(&'static str, String)>,
    /// Expected status as anonymous, reviewer, editor, admin.
    want: [u16; 4],
}

fn page_cases(f: &Fixture) -> Vec<PageCase> {
    let (p, d, n) = (f.published, f.draft_only, f.need);
    let get = |path: String, want| PageCase {
        post: false,
        path,
        fields: Vec::new(),
        want,
    };
    let post = |path: String, fields: Vec<(&'static str, &str)>, want| PageCase {
        post: true,
        path,
        fields: fields.into_iter().map(|(k, v)| (k, v.to_string())).collect(),
        want,
    };
    const PUBLIC: [u16; 4] = [200, 200, 200, 200];
    const HIDDEN: [u16; 4] = [404, 404, 404, 404];
    const STAFF: [u16; 4] = [303, 200, 200, 200];
    const EDITOR_FORM: [u16; 4] = [303, 403, 200, 200];
    const EDITOR_WRITE: [u16; 4] = [403, 403, 303, 303];
    vec![
        get("/".into(), PUBLIC),
        get("/sok?q=krav".into(), PUBLIC),
        get("/sok?q=krav&utgatte=1".into(), PUBLIC),
        get("/faktaark".into(), PUBLIC),
        get("/veiledere".into(), PUBLIC),
        get("/utgatt".into(), PUBLIC),
        get("/endringer".into(), PUBLIC),
        get("/endringer.atom".into(), PUBLIC),
        get("/static/site.css".into(), PUBLIC),
        get("/static/print.css".into(), PUBLIC),
        get("/faktaark/37".into(), PUBLIC),
        get("/faktaark/37/versjon/1.0".into(), PUBLIC),
        get("/faktaark/37/sammenlign?fra=1.0&til=1.0".into(), PUBLIC),
        get("/faktaark/37/endringer.atom".into(), PUBLIC),
        // Public pages never show drafts, whoever asks: staff read drafts in the workspace.
        get("/faktaark/99".into(), HIDDEN),
        get("/faktaark/37/versjon/draft".into(), HIDDEN),
        get("/faktaark/99/endringer.atom".into(), HIDDEN),
        // Signed-in users are sent on from the sign-in page.
        get("/redaksjon/logg-inn".into(), [200, 303, 303, 303]),
        get("/redaksjon".into(), STAFF),
        get("/redaksjon/dokumenter".into(), STAFF),
        get(format!("/redaksjon/dokumenter/{d}"), STAFF),
        get(format!("/redaksjon/dokumenter/{p}/sammenlign?fra=1.0&til=draft"), STAFF),
        get("/redaksjon/vedtak".into(), STAFF),
        get("/redaksjon/revisjonsbehov".into(), STAFF),
        get(format!("/redaksjon/revisjonsbehov/{n}"), STAFF),
        get("/redaksjon/logg".into(), [303, 403, 403, 200]),
        get("/redaksjon/brukere".into(), [303, 403, 403, 200]),
        get("/redaksjon/passord".into(), STAFF),
        get("/redaksjon/dokumenter/ny".into(), EDITOR_FORM),
        get(format!("/redaksjon/dokumenter/{p}/publiser"), EDITOR_FORM),
        get(format!("/redaksjon/dokumenter/{p}/trekk-tilbake"), EDITOR_FORM),
        get(format!("/redaksjon/dokumenter/{p}/oversettelse"), EDITOR_FORM),
        // Reviewers read the draft there; editors get the form to edit it.
        get(format!("/redaksjon/dokumenter/{p}/utkast/nb"), STAFF),
        get(format!("/redaksjon/dokumenter/{p}/revisjonsbehov/ny"), EDITOR_FORM),
        get("/redaksjon/vedtak/ny".into(), EDITOR_FORM),
        get("/redaksjon/vurderinger".into(), STAFF),
        get(format!("/redaksjon/dokumenter/{p}/rediger"), EDITOR_FORM),
        post(
            format!("/redaksjon/dokumenter/{p}/rediger"),
            vec![("review_interval_months", "24")],
            EDITOR_WRITE,
        ),
        get(format!("/redaksjon/dokumenter/{p}/vurdering"), STAFF),
        post(
            format!("/redaksjon/dokumenter/{p}/vurdering"),
            vec![("outcome", "reaffirm")],
            [403, 303, 303, 303],
        ),
        post(
            "/redaksjon/dokumenter/ny".into(),
            vec![
                ("kind", "guide"),
                ("language", "nb"),
                ("title", "Ny veileder"),
                ("body", "x"),
            ],
            EDITOR_WRITE,
        ),
        post(
            format!("/redaksjon/dokumenter/{p}/utkast/nb"),
            vec![("title", "Sikkerhetskrav"), ("body", "endret")],
            EDITOR_WRITE,
        ),
        post(
            format!("/redaksjon/dokumenter/{p}/utkast/nb/forkast"),
            vec![],
            EDITOR_WRITE,
        ),
        post(
            format!("/redaksjon/dokumenter/{p}/publiser"),
            vec![
                ("language", "nb"),
                ("change_kind", "editorial"),
                ("change_note", "Rettet"),
            ],
            EDITOR_WRITE,
        ),
        post(
            format!("/redaksjon/dokumenter/{p}/trekk-tilbake"),
            vec![("reason", "Sanert"), ("decision", "23/25")],
            EDITOR_WRITE,
        ),
        post(
            format!("/redaksjon/dokumenter/{p}/oversettelse"),
            vec![
                ("language", "en"),
                ("source_label", "1.0"),
                ("title", "Requirements"),
                ("body", "x"),
            ],
            EDITOR_WRITE,
        ),
        post(
            format!("/redaksjon/dokumenter/{p}/revisjonsbehov/ny"),
            vec![
                ("title", "Ny"),
                ("origin", "internal"),
                ("kind", "editorial"),
                ("priority", "2"),
            ],
            EDITOR_WRITE,
        ),
        post(
            format!("/redaksjon/revisjonsbehov/{n}"),
            vec![("state", "accepted")],
            EDITOR_WRITE,
        ),
        post(
            "/redaksjon/vedtak/ny".into(),
            vec![
                ("case_number", "1/26"),
                ("meeting_date", "2026-01-01"),
                ("title", "Nytt vedtak"),
            ],
            EDITOR_WRITE,
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_page_by_every_role() {
    let count = page_cases(&fixture().await).len();
    let mismatches = run_matrix(count, |i, idx| async move {
        // Reads share nothing that changes, but a fresh registry keeps every case independent.
        let w = web_fixture().await;
        let case = &page_cases(&w.f)[i];
        let role = ROLES[idx];
        let mut headers: Vec<(&str, &str)> = Vec::new();
        let session = w.sessions[idx].clone();
        if let Some((cookie, _)) = &session {
            headers.push(("cookie", cookie.as_str()));
        }
        let res = if case.post {
            let mut fields: Vec<(&str, String)> = case.fields.clone();
            if let Some((_, csrf)) = &session {
                fields.push(("csrf_token", csrf.clone()));
            }
            let body = serde_urlencoded::to_string(&fields).unwrap();
            headers.push(("content-type", "application/x-www-form-urlencoded"));
            w.f.app
                .send(
                    Method::POST,
                    &case.path,
                    None,
                    Some(axum::body::Body::from(body)),
                    &headers,
                )
                .await
        } else {
            w.f.app.send(Method::GET, &case.path, None, None, &headers).await
        };
        let method = if case.post { "POST" } else { "GET" };
        let mut problems = Vec::new();
        if res.status.as_u16() != case.want[idx] {
            let text: String = res.text().chars().take(300).collect();
            problems.push(format!(
                "{method} {} as {role}: got {}, want {}: {text}",
                case.path,
                res.status.as_u16(),
                case.want[idx]
            ));
        }
        if (role == "anonymous" || !case.path.starts_with("/redaksjon")) && res.text().contains("UTKAST") {
            problems.push(format!("{method} {} leaks a draft to {role}", case.path));
        }
        (!problems.is_empty()).then(|| problems.join("\n"))
    })
    .await;
    eprintln!(
        "authorization matrix (web): {count} routes x 4 roles = {} requests checked",
        count * 4
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[tokio::test]
async fn admins_read_the_audit_log_as_a_page() {
    let w = web_fixture().await;
    let (cookie, _) = w.sessions[3].clone().unwrap();
    let res =
        w.f.app
            .send(Method::GET, "/redaksjon/logg", None, None, &[("cookie", &cookie)])
            .await;
    res.assert_status(200);
    let html = res.text();
    for action in [
        "document.create",
        "version.publish",
        "decision.record",
        "revision_need.register",
    ] {
        assert!(html.contains(action), "{action} missing from the audit page");
    }
    assert!(html.contains("Eva Editor"));
    assert!(
        !html.contains("action=\"/redaksjon/logg\""),
        "the log offers no way to change it"
    );
}
