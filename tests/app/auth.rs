//! API tokens and roles: who may write and who may read what.

use axum::http::Method;
use serde_json::json;

use crate::assert_unchanged;
use crate::helpers::TestApp;
use normen_registry::domain::Role;
use normen_registry::services::users;

#[tokio::test]
async fn writes_need_an_editor_token() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    let body = json!({"reason": "x"});
    let uri = format!("/api/v1/documents/{id}/withdraw");
    let res = assert_unchanged!(app, app.json(Method::POST, &uri, None, &body, &[]).await);
    res.assert_problem(401, "editor");
    assert_eq!(res.header("www-authenticate"), "Bearer");
    assert_unchanged!(
        app,
        app.json(Method::POST, &uri, Some("nrt_forged"), &body, &[])
            .await
            .assert_problem(401, "not valid")
    );
    assert_unchanged!(app, {
        app.send(Method::POST, &uri, None, None, &[("authorization", "Basic YTpi")])
            .await
            .assert_problem(401, "Bearer");
    });
    assert_unchanged!(
        app,
        app.json(Method::POST, &uri, Some(&app.reviewer), &body, &[])
            .await
            .assert_problem(403, "reviewer")
    );
    assert_unchanged!(app, {
        app.json(
            Method::POST,
            "/api/v1/documents",
            None,
            &json!({"kind": "guide", "language": "nb", "title": "x"}),
            &[],
        )
        .await
        .assert_problem(401, "");
    });
    assert_unchanged!(app, {
        app.json(
            Method::POST,
            "/api/v1/decisions",
            Some(&app.reviewer),
            &json!({"case_number": "1/25", "meeting_date": "2025-01-01", "title": "x"}),
            &[],
        )
        .await
        .assert_problem(403, "");
    });
    app.json(Method::POST, &uri, Some(&app.admin), &body, &[])
        .await
        .assert_status(200);
}

#[tokio::test]
async fn tokens_are_stored_only_as_hashes() {
    let app = TestApp::new().await;
    let token = users::add_user(&app.db, "Tore Token", Role::Editor, None)
        .await
        .unwrap();
    assert!(token.starts_with("nrt_"));
    let mut export = Vec::new();
    normen_registry::services::export::export(&app.db, &mut export)
        .await
        .unwrap();
    assert!(!String::from_utf8(export).unwrap().contains(&token));
    use sea_orm::EntityTrait;
    let rows = normen_registry::entities::api_token::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(rows.iter().all(|r| r.token_hash != token && r.token_hash.len() == 64));
    assert!(rows.iter().any(|r| r.token_hash == users::sha256_hex(&token)));
    // A second user of the same name is refused.
    assert!(
        users::add_user(&app.db, "Tore Token", Role::Editor, None)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn passwords_hash_and_verify() {
    let hash = users::hash_password("korrekt hest batteri").unwrap();
    assert!(hash.starts_with("$argon2"));
    assert!(users::verify_password("korrekt hest batteri", &hash));
    assert!(!users::verify_password("feil passord her", &hash));
    assert!(users::hash_password("kort").is_err());
}

#[tokio::test]
async fn revoked_tokens_are_refused() {
    let app = TestApp::new().await;
    let token = users::add_user(&app.db, "Kortvarig", Role::Editor, None).await.unwrap();
    let body = json!({"kind": "guide", "language": "nb", "title": "Før tilbakekalling"});
    app.json(Method::POST, "/api/v1/documents", Some(&token), &body, &[])
        .await
        .assert_status(201);
    let list = app.get_as("/api/v1/tokens", &app.admin).await.json();
    let id = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["user"] == "Kortvarig")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert!(!list.to_string().contains(&token), "the list never shows a token");
    app.send(
        Method::DELETE,
        &format!("/api/v1/tokens/{id}"),
        Some(&app.admin),
        None,
        &[],
    )
    .await
    .assert_status(204);
    assert_unchanged!(
        app,
        app.json(Method::POST, "/api/v1/documents", Some(&token), &body, &[])
            .await
            .assert_problem(401, "not valid")
    );
    app.send(
        Method::DELETE,
        &format!("/api/v1/tokens/{id}"),
        Some(&app.admin),
        None,
        &[],
    )
    .await
    .assert_problem(409, "revoked");
    // A fresh token for the same user works again.
    let issued = app
        .json(
            Method::POST,
            "/api/v1/tokens",
            Some(&app.admin),
            &json!({"user": "Kortvarig"}),
            &[],
        )
        .await;
    issued.assert_status(201);
    let fresh = issued.json()["token"].as_str().unwrap().to_string();
    app.json(
        Method::POST,
        "/api/v1/documents",
        Some(&fresh),
        &json!({"kind": "guide", "language": "nb", "title": "Etter"}),
        &[],
    )
    .await
    .assert_status(201);
}

/// Collects everything the app logs while a test runs on this thread.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_never_reach_the_log() {
    let app = TestApp::new().await;
    let password = "et-svært-hemmelig-passord";
    users::add_user(
        &app.db,
        "Logga",
        Role::Editor,
        Some(users::hash_password(password).unwrap()),
    )
    .await
    .unwrap();
    let buffer = LogBuffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // API calls with a token, a bad token, and web sign-ins with right and wrong passwords.
    app.get_as("/api/v1/documents", &app.editor).await.assert_status(200);
    app.get_as("/api/v1/documents", "nrt_not-a-real-token-but-secret")
        .await
        .assert_status(401);
    let page = app.get("/redaksjon/logg-inn").await;
    let cookie = page.header("set-cookie").split(';').next().unwrap().to_string();
    let html = page.text();
    let start = html.find(r#"name="csrf_token" value=""#).unwrap() + r#"name="csrf_token" value=""#.len();
    let csrf = &html[start..start + html[start..].find('"').unwrap()];
    for attempt in ["feil-passord-som-er-hemmelig", password] {
        let body =
            serde_urlencoded::to_string([("csrf_token", csrf), ("navn", "Logga"), ("passord", attempt)]).unwrap();
        app.send(
            Method::POST,
            "/redaksjon/logg-inn",
            None,
            Some(axum::body::Body::from(body)),
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", &cookie),
            ],
        )
        .await;
    }
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("failed sign-in"), "the log was captured: {log}");
    for secret in [
        app.editor.as_str(),
        "nrt_not-a-real-token-but-secret",
        password,
        "feil-passord-som-er-hemmelig",
        csrf,
    ] {
        assert!(!log.contains(secret), "{secret:?} is in the log");
    }
}
