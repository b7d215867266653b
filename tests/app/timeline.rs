//! The picture of a document's life on its page: versions as marks (substantive larger than
//! editorial), translations on their own row, the withdrawal ending the lines; drafts never.

use serde_json::json;

use crate::helpers::TestApp;

/// The timeline's figure on a page, if it has one.
fn figure(html: &str) -> Option<&str> {
    let start = html.find(r#"<figure class="timeline-figure" id="tidslinje">"#)?;
    let end = start + html[start..].find("</figure>").unwrap();
    Some(&html[start..end])
}

#[tokio::test]
async fn a_document_page_draws_its_versions_translations_and_withdrawal() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet_on("37", "Sikkerhetskrav", "# A\n\nEn.\n", "2019-05-01")
        .await;
    app.draft(id, "# A\n\nEn, rettet.\n").await.assert_status(201);
    app.post(
        &format!("/api/v1/documents/{id}/publish"),
        json!({"change_kind": "editorial", "change_note": "Språk", "published_on": "2021-03-01"}),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "1.1", "title": "Security requirements", "body": "# A\n\nOne.\n"}),
    )
    .await
    .assert_status(201);
    app.post(
        &format!("/api/v1/documents/{id}/publish"),
        json!({"language": "en", "change_kind": "substantive", "change_note": "Translation", "published_on": "2022-01-10"}),
    )
    .await
    .assert_status(200);
    // A draft is never drawn.
    app.draft(id, "# A\n\nTo.\n").await.assert_status(201);

    let html = app.get("/faktaark/37").await.text();
    let fig = figure(&html).expect("a timeline");
    assert!(
        fig.contains(r#"aria-label="Tidslinje: 3 versjoner fra 2019 til 2022.""#),
        "{fig}"
    );
    assert_eq!(fig.matches(r#"<circle class="tl-substantive""#).count(), 1, "{fig}");
    assert_eq!(fig.matches(r#"<circle class="tl-editorial""#).count(), 1, "{fig}");
    assert_eq!(fig.matches(r#"<rect class="tl-translation""#).count(), 1, "{fig}");
    assert_eq!(fig.matches(r#"class="tl-arrow""#).count(), 2, "in force: {fig}");
    assert!(!fig.contains("tl-withdrawal"), "{fig}");
    assert!(
        fig.contains("<title>Versjon 1.1, 1. mars 2021: Redaksjonell endring</title>"),
        "{fig}"
    );
    // This page's language first, the translation below it.
    let (nb, en) = (
        fig.find(">Norsk bokmål</text>").unwrap(),
        fig.find(">English</text>").unwrap(),
    );
    assert!(nb < en, "{fig}");
    assert!(
        fig.contains("Oversettelse</li>") && !fig.contains("Utgått</li>"),
        "{fig}"
    );

    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Erstattet", "withdrawn_on": "2025-09-16"}),
    )
    .await
    .assert_status(200);
    let html = app.get("/faktaark/37").await.text();
    let fig = figure(&html).unwrap();
    assert!(
        fig.contains(r#"aria-label="Tidslinje: 3 versjoner fra 2019 til 2022, utgått 2025.""#),
        "{fig}"
    );
    assert_eq!(fig.matches(r#"<rect class="tl-withdrawal""#).count(), 1, "{fig}");
    assert!(fig.contains("<title>Utgått 16. september 2025</title>"), "{fig}");
    assert!(!fig.contains("tl-arrow"), "a withdrawal ends the lines: {fig}");
    assert!(fig.contains("Utgått</li>"), "{fig}");

    // The English page speaks English and puts English first.
    let html = app.get("/faktaark/37?lang=en").await.text();
    let fig = figure(&html).unwrap();
    assert!(
        fig.contains(r#"aria-label="Timeline: 3 versions from 2019 to 2022, withdrawn 2025.""#),
        "{fig}"
    );
    assert!(fig.find(">English</text>").unwrap() < fig.find(">Norsk bokmål</text>").unwrap());
    assert!(
        fig.contains("<title>Version 1.0, 1 May 2019: Substantive</title>"),
        "{fig}"
    );
    // An old version's page shows the same life.
    let old = app.get("/faktaark/37/versjon/1.0").await.text();
    assert_eq!(figure(&old), figure(&app.get("/faktaark/37").await.text()));
}

#[tokio::test]
async fn a_single_version_has_no_timeline() {
    let app = TestApp::new().await;
    app.published_sheet("12", "Én versjon", "Tekst.").await;
    let html = app.get("/faktaark/12").await.text();
    assert!(figure(&html).is_none());
    assert!(!html.contains("<svg"), "no picture at all");
}
