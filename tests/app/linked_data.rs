//! What machines read of a page: schema.org JSON-LD, and absolute addresses in canonical links,
//! `hreflang` alternates and feeds, from `--base-url` (or a plain `Host`).

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// The JSON-LD of a page: the one data block in its head, parsed.
fn json_ld(html: &str) -> Value {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("a JSON-LD block")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let text = &html[start..end];
    assert!(!text.contains('<'), "markup inside the data block: {text}");
    serde_json::from_str(text).expect("JSON-LD is JSON")
}

#[tokio::test]
async fn a_document_page_describes_its_version_in_json_ld() {
    let app = TestApp::new().await.with_base_url("https://normen.example.no");
    let title = "Tilgang </script><script>alert(1)</script> & styring";
    let id = app.published_sheet_on("37", title, "# A\n\nEn.\n", "2019-05-01").await;
    app.draft(id, "# A\n\nTo.\n").await.assert_status(201);
    app.publish(id, "nb", "substantive", "Andre").await.assert_status(200);

    let html = app.get("/faktaark/37").await.text();
    assert!(
        !html.contains("<script>alert(1)"),
        "the title broke out of the data block"
    );
    let ld = json_ld(&html);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "DigitalDocument");
    assert_eq!(ld["headline"], title, "the title survives the escaping");
    assert_eq!(ld["version"], "2.0");
    assert_eq!(ld["inLanguage"], "nb");
    assert_eq!(ld["datePublished"], "2019-05-01");
    assert_eq!(ld["dateModified"].as_str().unwrap().len(), 10);
    assert_eq!(ld["url"], "https://normen.example.no/faktaark/37");
    assert_eq!(ld["isBasedOn"], "https://normen.example.no/faktaark/37/versjon/1.0");
    assert_eq!(ld["creativeWorkStatus"], "Published");
    // The first version is based on nothing before it.
    let first = json_ld(&app.get("/faktaark/37/versjon/1.0").await.text());
    assert_eq!(first["version"], "1.0");
    assert_eq!(first["dateModified"], "2019-05-01");
    assert!(first.get("isBasedOn").is_none());

    // Withdrawn: obsolete, and since when.
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Erstattet", "withdrawn_on": "2025-09-16"}),
    )
    .await
    .assert_status(200);
    let ld = json_ld(&app.get("/faktaark/37").await.text());
    assert_eq!(ld["creativeWorkStatus"], "Obsolete");
    assert_eq!(ld["expires"], "2025-09-16");
}

#[tokio::test]
async fn a_translation_names_the_work_it_translates() {
    let app = TestApp::new().await;
    let id = app.published_sheet("15", "Logging", "Alle oppslag skal logges.").await;
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "1.0", "title": "Logging", "body": "All lookups shall be logged."}),
    )
    .await
    .assert_status(201);
    app.publish(id, "en", "substantive", "English translation")
        .await
        .assert_status(200);
    let ld = json_ld(&app.get("/faktaark/15?lang=en").await.text());
    assert_eq!(ld["inLanguage"], "en");
    assert_eq!(
        ld["translationOfWork"]["url"],
        "http://127.0.0.1:8080/faktaark/15/versjon/1.0"
    );
    assert!(
        json_ld(&app.get("/faktaark/15").await.text())
            .get("translationOfWork")
            .is_none()
    );
}

#[tokio::test]
async fn canonical_links_alternates_and_feeds_are_absolute() {
    let app = TestApp::new().await.with_base_url("https://normen.example.no");
    let id = app.published_sheet("15", "Logging", "Alle oppslag skal logges.").await;
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "1.0", "title": "Logging", "body": "All lookups."}),
    )
    .await
    .assert_status(201);
    app.publish(id, "en", "substantive", "English").await.assert_status(200);

    let page = app.get("/faktaark/15").await.text();
    assert!(
        page.contains(r#"<link rel="canonical" href="https://normen.example.no/faktaark/15">"#),
        "{page}"
    );
    assert!(page.contains(r#"hreflang="en" href="https://normen.example.no/faktaark/15?lang=en""#));
    let list = app.get("/utgatt").await.text();
    assert!(list.contains(r#"<link rel="canonical" href="https://normen.example.no/utgatt">"#));

    for feed in ["/endringer.atom", "/faktaark/15/endringer.atom"] {
        let xml = app.get(feed).await.text();
        let doc = roxmltree::Document::parse(&xml).expect("the feed is XML");
        let hrefs: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("link"))
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert!(hrefs.len() >= 3, "{feed}: {hrefs:?}");
        for h in &hrefs {
            assert!(h.starts_with("https://normen.example.no/"), "{feed}: relative link {h}");
        }
        assert!(
            hrefs.contains(&format!("https://normen.example.no{feed}").as_str()),
            "{feed}: {hrefs:?}"
        );
    }

    // Without a configured address, a plain Host is the origin; a hostile one is not echoed.
    let plain = TestApp::new().await;
    plain.published_sheet("16", "Logg", "Tekst.").await;
    let own = plain
        .send(
            axum::http::Method::GET,
            "/faktaark/16",
            None,
            None,
            &[("host", "normen.test:8443")],
        )
        .await
        .text();
    assert!(own.contains(r#"<link rel="canonical" href="http://normen.test:8443/faktaark/16">"#));
    let hostile = plain
        .send(
            axum::http::Method::GET,
            "/endringer.atom",
            None,
            None,
            &[("host", "x\"/><y")],
        )
        .await
        .text();
    assert!(
        hostile.contains(r#"href="http://127.0.0.1:8080/endringer.atom""#),
        "{hostile}"
    );
}
