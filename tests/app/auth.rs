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
            .assert_problem(401, "Bearer")
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
        .assert_problem(401, "")
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
        .assert_problem(403, "")
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
