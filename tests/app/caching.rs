//! HTTP caching (issue 12): validators on what the public reads, 304 for a copy that is still
//! right, `Cache-Control` by audience, and compression when asked.

use std::io::Read;

use axum::http::Method;

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
