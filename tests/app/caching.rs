//! HTTP caching (issue 12): validators on what the public reads, 304 for a copy that is still
//! right, `Cache-Control` by audience, and compression when asked.

use std::io::Read;
use std::time::Duration;

use axum::http::Method;
use normen_registry::caching::{FRESH_FOR, http_date, parse_http_date};
use normen_registry::entities::version_html;
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn public_pages_revalidate_with_an_etag_that_drafts_never_change() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet("37", "Tilgangsstyring", "Første tekst om tilgang.")
        .await;
    for path in [
        "/",
        "/faktaark/37",
        "/endringer",
        "/endringer.atom",
        "/api/v1/documents?limit=5",
    ] {
        let first = app.get(path).await;
        first.assert_status(200);
        let etag = first.header("etag");
        assert!(etag.starts_with("W/\"") || etag.starts_with('"'), "{path}: {etag:?}");
        assert_eq!(
            first.header("cache-control"),
            "public, max-age=60, must-revalidate",
            "{path}"
        );
        let again = app
            .send(Method::GET, path, None, None, &[("if-none-match", etag.as_str())])
            .await;
        again.assert_status(304);
        assert!(again.body.is_empty(), "{path}: a 304 has no body");
        assert_eq!(again.header("etag"), etag, "{path}");
        let other = app
            .send(
                Method::GET,
                path,
                None,
                None,
                &[("if-none-match", "W/\"not-this-one\"")],
            )
            .await;
        other.assert_status(200);
    }
    let page = app.get("/faktaark/37").await;
    // A draft changes nothing the public sees: the same ETag.
    app.draft(id, "Hemmelig utkast om tilgang.").await.assert_status(201);
    let after_draft = app.get("/faktaark/37").await;
    assert_eq!(
        after_draft.header("etag"),
        page.header("etag"),
        "a draft must not show in the ETag"
    );
    assert!(!after_draft.text().contains("Hemmelig"));
    // Publishing it does.
    app.publish(id, "nb", "substantive", "Ny tekst")
        .await
        .assert_status(200);
    let published = app.get("/faktaark/37").await;
    assert_ne!(published.header("etag"), page.header("etag"));
    app.send(
        Method::GET,
        "/faktaark/37",
        None,
        None,
        &[("if-none-match", page.header("etag").as_str())],
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn signed_in_readers_get_private_answers_without_validators() {
    let app = TestApp::new().await;
    app.published_sheet("37", "Tilgangsstyring", "Tekst.").await;
    let as_editor = app.get_as("/api/v1/documents?limit=5", &app.editor.clone()).await;
    as_editor.assert_status(200);
    assert_eq!(as_editor.header("cache-control"), "private, no-store");
    assert_eq!(
        as_editor.header("etag"),
        "",
        "an answer that may hold drafts has no ETag"
    );
    let sign_in = app.get("/redaksjon/logg-inn").await;
    assert_eq!(sign_in.header("cache-control"), "private, no-store");
    assert_eq!(app.get("/readyz").await.header("cache-control"), "private, no-store");
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_asks() {
    let app = TestApp::new().await;
    app.published_sheet("37", "Tilgangsstyring", &"Tekst om tilgang og logging. ".repeat(200))
        .await;
    let plain = app.get("/faktaark/37").await;
    assert_eq!(plain.header("content-encoding"), "");
    let gz = app
        .send(Method::GET, "/faktaark/37", None, None, &[("accept-encoding", "gzip")])
        .await;
    gz.assert_status(200);
    assert_eq!(gz.header("content-encoding"), "gzip");
    assert!(gz.header("vary").to_ascii_lowercase().contains("accept-encoding"));
    assert!(
        gz.body.len() * 3 < plain.body.len(),
        "{} vs {}",
        gz.body.len(),
        plain.body.len()
    );
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_end(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, plain.body);
    assert_eq!(
        gz.header("etag"),
        plain.header("etag"),
        "one representation, one weak ETag"
    );
}

/// A meeting in the future, called, so the public sees it.
async fn called_meeting(app: &TestApp, title: &str) {
    let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
    let res = app
        .post(
            "/api/v1/meetings",
            json!({"date": date, "title": title, "place": "Digitalt møte"}),
        )
        .await;
    res.assert_status(201);
    let id = res.json()["id"].as_i64().unwrap();
    app.json(
        Method::PATCH,
        &format!("/api/v1/meetings/{id}"),
        Some(&app.editor.clone()),
        &json!({"state": "called"}),
        &[],
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn a_kept_page_is_served_until_the_public_state_changes_and_no_longer() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Tilgangsstyring", "Første tekst.").await;
    let first = app.get("/faktaark/37").await;
    first.assert_status(200);

    // Changed behind the server's back (no write through it, no change-log row): the kept page
    // is served, which shows that it is kept, until it is older than `FRESH_FOR`.
    version_html::Entity::update_many()
        .col_expr(version_html::Column::Html, Expr::value("<p>BAK-RYGGEN</p>"))
        .exec(&app.db)
        .await
        .unwrap();
    let kept = app.get("/faktaark/37").await;
    assert_eq!(kept.body, first.body, "a kept page is served again");
    assert_eq!(kept.header("last-modified"), first.header("last-modified"));
    tokio::time::sleep(FRESH_FOR + Duration::from_millis(100)).await;
    let remade = app.get("/faktaark/37").await;
    assert!(
        remade.text().contains("BAK-RYGGEN"),
        "a page older than FRESH_FOR is made again"
    );

    // A publication through the server shows at once, on the page, the lists and the feed.
    app.draft(id, "Andre tekst.").await.assert_status(201);
    app.publish(id, "nb", "substantive", "Andre versjon")
        .await
        .assert_status(200);
    for path in [
        "/faktaark/37",
        "/endringer",
        "/endringer.atom",
        &format!("/api/v1/documents/{id}"),
    ] {
        let page = app.get(path).await;
        page.assert_status(200);
        assert!(page.text().contains("2.0"), "{path} shows the new version at once");
    }

    // So does a write that leaves no change-log row: a meeting called on the list of meetings.
    let before = app.get("/moter").await;
    assert!(!before.text().contains("Ekstramøte om logging"));
    called_meeting(&app, "Ekstramøte om logging").await;
    assert!(app.get("/moter").await.text().contains("Ekstramøte om logging"));
}

#[tokio::test]
async fn kept_pages_carry_last_modified_and_answer_if_modified_since() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Tilgangsstyring", "Første tekst.").await;
    let first = app.get("/faktaark/37").await;
    let modified = first.header("last-modified");
    let at = parse_http_date(&modified).expect("an HTTP date");
    assert!(modified.ends_with(" GMT"), "{modified}");
    let held = app
        .send(
            Method::GET,
            "/faktaark/37",
            None,
            None,
            &[("if-modified-since", &modified)],
        )
        .await;
    held.assert_status(304);
    assert!(held.body.is_empty());
    assert_eq!(held.header("last-modified"), modified);
    // An older copy, or one with the wrong ETag (which decides when both are sent), is not.
    let older = http_date(at - Duration::from_secs(1));
    app.send(
        Method::GET,
        "/faktaark/37",
        None,
        None,
        &[("if-modified-since", &older)],
    )
    .await
    .assert_status(200);
    app.send(
        Method::GET,
        "/faktaark/37",
        None,
        None,
        &[("if-modified-since", &modified), ("if-none-match", "W/\"annen\"")],
    )
    .await
    .assert_status(200);
    // A date that cannot be read is ignored.
    app.send(
        Method::GET,
        "/faktaark/37",
        None,
        None,
        &[("if-modified-since", "i går")],
    )
    .await
    .assert_status(200);

    // A draft keeps the date; a publication moves it on, and the old date no longer holds.
    app.draft(id, "Hemmelig utkast.").await.assert_status(201);
    assert_eq!(app.get("/faktaark/37").await.header("last-modified"), modified);
    app.publish(id, "nb", "substantive", "Andre versjon")
        .await
        .assert_status(200);
    let changed = app.get("/faktaark/37").await;
    let later = parse_http_date(&changed.header("last-modified")).unwrap();
    assert!(later > at, "{} after {modified}", changed.header("last-modified"));
    app.send(
        Method::GET,
        "/faktaark/37",
        None,
        None,
        &[("if-modified-since", &modified)],
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn head_answers_from_a_kept_page_and_search_is_never_kept() {
    let app = TestApp::new().await;
    app.published_sheet("37", "Tilgangsstyring", "Tekst om tilgang.").await;
    let get = app.get("/faktaark/37").await;
    let head = app.send(Method::HEAD, "/faktaark/37", None, None, &[]).await;
    head.assert_status(200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), get.header("etag"));
    assert_eq!(head.header("last-modified"), get.header("last-modified"));
    // A HEAD first keeps nothing (its body is empty): the GET after it is whole.
    let head_first = app.send(Method::HEAD, "/faktaark", None, None, &[]).await;
    head_first.assert_status(200);
    let list = app.get("/faktaark").await;
    assert!(list.text().contains("Tilgangsstyring"));
    assert_eq!(list.header("etag"), head_first.header("etag"));
    // Search answers go out with an ETag but are not kept (no Last-Modified).
    for path in ["/sok?q=tilgang", "/api/v1/search?q=tilgang"] {
        let res = app.get(path).await;
        res.assert_status(200);
        assert!(!res.header("etag").is_empty(), "{path}");
        assert_eq!(res.header("last-modified"), "", "{path}");
    }
}
