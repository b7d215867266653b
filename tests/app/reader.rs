//! What a reader sees: front matter and site markup kept out of the page, one line-ending
//! convention for every writer, English pages in English, newest first, bokmål that agrees
//! in number, and the small addresses and labels that readers trip over.

use normen_registry::domain::Role;

use crate::helpers::TestApp;
use crate::web::signed_in;

const JEKYLL: &str = "---\ntitle: About the new ICD\ndescription: Explanation of the new ICD (0192).\nsummary: \"In this guide, we explain the ICD.\"\nsidebar: elma_sidebar\nredirect_from:\n  - /elma_old\n---\n\n* TOC\n{:toc}\n\n# Introduction\nNorway is migrating.\n{: .note}\n\n{% include note.html content=\"Read the upgrade page first.\" %}\n\n## Details\nMore.\n";

/// The `<main>` of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("a closed main");
    &html[start..end]
}

#[tokio::test]
async fn front_matter_is_metadata_and_site_markup_is_hidden() {
    let app = TestApp::new().await;
    let id = app.create("guide", None, "About the new ICD", JEKYLL).await;
    app.publish(id, "nb", "substantive", "Første versjon")
        .await
        .assert_status(200);
    let page = app.get("/veileder/about-the-new-icd").await;
    page.assert_status(200);
    let html = page.text();
    let main = main_of(&html);
    for shown_as_text in [
        "title:",
        "sidebar:",
        "redirect_from",
        "summary:",
        "{:toc}",
        "{: .note}",
        "{%",
        "TOC",
    ] {
        assert!(!main.contains(shown_as_text), "{shown_as_text:?} on the page: {main}");
    }
    // The description is the summary; the body's headings sit below the page's one h1.
    assert!(
        main.contains(r#"<p class="lead">Explanation of the new ICD (0192).</p>"#),
        "{main}"
    );
    assert_eq!(main.matches("<h1").count(), 1, "{main}");
    assert!(
        main.contains("<h2>Introduction</h2>") && main.contains("<h3>Details</h3>"),
        "{main}"
    );
    assert!(main.contains("Read the upgrade page first."), "{main}");
    // The body itself is kept byte for byte.
    let v = app.get(&format!("/api/v1/documents/{id}/versions/1.0")).await.json();
    assert_eq!(v["body"], JEKYLL);
}

#[tokio::test]
async fn a_version_written_in_the_browser_has_the_same_line_endings_as_the_api() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet("12", "Linjeskift", "# Innhold\n\nFørste linje.\nAndre linje.\n")
        .await;
    let mut b = signed_in(&app, "Siri", Role::Editor).await;
    // Browsers send a textarea's newlines as CRLF.
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/utkast"),
            &[
                ("title", "Linjeskift"),
                ("body", "# Innhold\r\n\r\nFørste linje.\r\nAndre linje, endret.\r\n"),
                ("handling", "lagre"),
            ],
        )
        .await;
    res.assert_status(303);
    let res = b
        .post(
            "/redaksjon/dokumenter/ny",
            &[
                ("kind", "fact_sheet"),
                ("number", "13"),
                ("language", "nb"),
                ("title", "Nytt ark"),
                ("summary", "Linje én\r\nlinje to"),
                ("body", "a\r\nb\rc\r\n"),
                ("handling", "lagre"),
            ],
        )
        .await;
    res.assert_status(303);
    app.publish(id, "nb", "editorial", "Rettet").await.assert_status(200);
    let v = app.get(&format!("/api/v1/documents/{id}/versions/1.1")).await.json();
    assert_eq!(v["body"], "# Innhold\n\nFørste linje.\nAndre linje, endret.\n", "{v}");
    let new_id = res.header("location").rsplit('/').next().unwrap().to_string();
    let other = app
        .get_as(&format!("/api/v1/documents/{new_id}/versions/draft"), &app.editor)
        .await
        .json();
    assert_eq!(other["body"], "a\nb\nc\n", "{other}");
    assert_eq!(other["summary"], "Linje én\nlinje to", "{other}");
}
