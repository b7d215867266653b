//! What a reader sees: front matter and site markup kept out of the page, one line-ending
//! convention for every writer, English pages in English, newest first, bokmål that agrees
//! in number, and the small addresses and labels that readers trip over.

use normen_registry::domain::Role;
use serde_json::json;

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
        main.contains(r#"<h2 id="introduction">Introduction<a"#) && main.contains(r#"<h3 id="details">Details<a"#),
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

#[tokio::test]
async fn the_history_lists_the_newest_first_with_the_withdrawal_on_top() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet_on("40", "Historikk", "Første tekst.\n", "2020-03-02")
        .await;
    app.draft(id, "Andre tekst.\n").await.assert_status(201);
    app.post(
        &format!("/api/v1/documents/{id}/publish"),
        json!({"change_kind": "substantive", "change_note": "Andre versjon", "published_on": "2021-05-05"}),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Erstattet av nytt ark"}),
    )
    .await
    .assert_status(200);
    let html = app.get("/faktaark/40").await.text();
    assert!(html.contains("<title>Faktaark 40: Historikk (Utgått) – "), "{html}");
    let main = main_of(&html);
    let withdrawn = main.find("<td>Erstattet av nytt ark</td>").expect("a withdrawal row");
    let v2 = main.find(r#"<th scope="row">2.0 <span"#).expect("row 2.0");
    let v1 = main.find(">1.0</a>").expect("row 1.0");
    assert!(withdrawn < v2 && v2 < v1, "not newest first: {main}");
    assert!(main.contains("nyeste først"));
    // Dates stay on one line (the stylesheet's `td.date`), not three on a phone.
    assert!(main.contains(r#"<td class="date">5. mai 2021</td>"#), "{main}");

    // An older version says when it was in force, not the current version's last change.
    let old = app.get("/faktaark/40/versjon/1.0").await.text();
    let old = main_of(&old);
    assert!(
        old.contains("<dt>Gjaldt</dt><dd>2. mars 2020 – 5. mai 2021</dd>"),
        "{old}"
    );
    assert!(!old.contains("Siste faglige endring"), "{old}");
}

#[tokio::test]
async fn events_of_one_day_are_listed_in_the_order_they_happened() {
    let app = TestApp::new().await;
    let id = app.published_sheet("41", "Samme dag", "Tekst.\n").await;
    let other = app.published_sheet("42", "Senere publisert", "Tekst.\n").await;
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Ikke lenger aktuelt"}),
    )
    .await
    .assert_status(200);
    let feed = app.get("/faktaark/41/endringer.atom").await.text();
    let withdrawn = feed.find("Utgått").expect("the withdrawal in the feed");
    let first = feed.find("Versjon 1.0").expect("version 1.0 in the feed");
    assert!(withdrawn < first, "the withdrawal is listed after version 1.0: {feed}");
    assert!(!feed.contains("T00:00:00Z"), "times are only dates: {feed}");
    // The change log: the withdrawal made last is on top, before the later publication.
    let log = app.get("/endringer").await.text();
    let w = log.find("Ikke lenger aktuelt").expect("the withdrawal in the log");
    let p = log.find("Senere publisert").expect("the other sheet in the log");
    assert!(w < p, "{log}");
    let _ = other;
}

#[tokio::test]
async fn a_translation_takes_its_sources_label() {
    let app = TestApp::new().await;
    let id = app.create("norm", None, "Normen", "Tekst 1.\n").await;
    app.post(
        &format!("/api/v1/documents/{id}/publish"),
        json!({"change_kind": "substantive", "change_note": "Første", "label": "6.0"}),
    )
    .await
    .assert_status(200);
    app.draft(id, "Tekst 2.\n").await.assert_status(201);
    app.publish(id, "nb", "editorial", "Rettelser").await.assert_status(200);
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "6.1", "title": "Code of Conduct", "body": "Text.\n"}),
    )
    .await
    .assert_status(201);
    let res = app.publish(id, "en", "substantive", "English translation").await;
    res.assert_status(200);
    let en = app.get(&format!("/api/v1/documents/{id}/versions/6.1?lang=en")).await;
    en.assert_status(200);
    assert_eq!(en.json()["source"]["label"], "6.1");
}

#[tokio::test]
async fn a_title_that_begins_with_its_kind_is_not_repeated() {
    let app = TestApp::new().await;
    let guide = app
        .create("guide", None, "Veileder om internkontroll", "Tekst.\n")
        .await;
    app.publish(guide, "nb", "substantive", "Første")
        .await
        .assert_status(200);
    let id = app.published_sheet("43", "Gammelt ark", "Tekst.\n").await;
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Tatt inn i veilederen", "successors": [guide]}),
    )
    .await
    .assert_status(200);
    for page in ["/faktaark/43", "/utgatt", "/endringer"] {
        let html = app.get(page).await.text();
        assert!(!html.contains("Veileder: Veileder"), "{page}: {html}");
        assert!(html.contains("Veileder om internkontroll"), "{page}");
    }
}

#[tokio::test]
async fn the_compare_page_names_its_sides_and_says_when_they_are_equal() {
    let app = TestApp::new().await;
    let id = app.published_sheet("44", "Sammenligning", "# Del\n\nFørste.\n").await;
    app.draft(id, "# Del\n\nAndre.\n").await.assert_status(201);
    app.publish(id, "nb", "substantive", "Nytt innhold i delen")
        .await
        .assert_status(200);
    let html = app
        .get("/faktaark/44/sammenlign?fra=1.0&til=2.0&visning=side")
        .await
        .text();
    let main = main_of(&html);
    // Menus say when each version came and what changed; columns have headings, not aria-label.
    assert!(
        main.contains("2.0 – ") && main.contains(" – Nytt innhold i delen</option>"),
        "{main}"
    );
    assert!(main.contains(r#"<h4 class="diff-side">Versjon 1.0</h4>"#), "{main}");
    assert!(main.contains(r#"<h4 class="diff-side">Versjon 2.0</h4>"#), "{main}");
    assert!(!main.contains("aria-label="), "{main}");
    assert!(main.contains("Versjon 1.0 sammenlignet med versjon 2.0"), "{main}");
    let same = app.get("/faktaark/44/sammenlign?fra=2.0&til=2.0").await.text();
    assert!(
        same.contains("Du sammenligner versjon 2.0 med seg selv: de er like."),
        "{same}"
    );
    // The draft is "utkastet" in the workspace's comparison.
    app.draft(id, "# Del\n\nTredje.\n").await.assert_status(201);
    let mut b = signed_in(&app, "Siri", Role::Editor).await;
    let ws = b
        .get(&format!("/redaksjon/dokumenter/{id}/sammenlign?fra=2.0&til=draft"))
        .await
        .text();
    assert!(ws.contains("Versjon 2.0 sammenlignet med utkastet"), "{ws}");
    assert!(!ws.contains("versjon draft"), "{ws}");
}

#[tokio::test]
async fn small_addresses_and_marks_readers_trip_over() {
    let app = TestApp::new().await;
    let norm = app.create("norm", None, "Normen", "Tekst.\n").await;
    app.publish(norm, "nb", "substantive", "Første")
        .await
        .assert_status(200);
    let res = app.get("/normen?lang=en").await;
    res.assert_status(302);
    assert_eq!(res.header("location"), "/normen/normen?lang=en");

    let new = app.published_sheet("45", "Nytt ark", "Tekst.\n").await;
    let old = app.published_sheet("46", "Gammelt ark", "Tekst.\n").await;
    app.post(
        &format!("/api/v1/documents/{old}/withdraw"),
        json!({"reason": "Erstattet", "successors": [new]}),
    )
    .await
    .assert_status(200);
    // The fact-sheet list shows the successors it promises.
    let list = app.get("/faktaark").await.text();
    assert!(list.contains(r#"<th scope="col">Erstattet av</th>"#), "{list}");
    assert!(
        list.contains(r#"<a href="/faktaark/45">Faktaark 45: Nytt ark</a>"#),
        "{list}"
    );
    // The home page's recent publications mark the withdrawn one.
    let home = app.get("/").await.text();
    let start = home.find("nylig-publisert").unwrap();
    let recent = &home[start..home.find("nylig-utgatt").unwrap()];
    let item = recent.find(r#"href="/faktaark/46"#).expect("sheet 46 among the recent");
    assert!(
        recent[item..].split("</li>").next().unwrap().contains("tag-withdrawn"),
        "{recent}"
    );
}

#[tokio::test]
async fn english_pages_mark_norwegian_text_and_names_keep_their_case() {
    let app = TestApp::new().await;
    let id = app.published_sheet("47", "Tilgang", "Tekst.\n").await;
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "1.0", "title": "Access", "body": "# Introduction\n\nText.\n"}),
    )
    .await
    .assert_status(201);
    app.publish(id, "en", "substantive", "Translation")
        .await
        .assert_status(200);
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Ikke lenger i bruk"}),
    )
    .await
    .assert_status(200);
    let en = app.get("/faktaark/47?lang=en").await.text();
    assert!(en.contains(r#"<dd lang="nb">Ikke lenger i bruk</dd>"#), "{en}");
    assert_eq!(main_of(&en).matches("<h1").count(), 1);
    // The navigation of an English page leads to English lists, which are in English.
    assert!(en.contains(r#"<a href="/faktaark?lang=en">Fact sheets</a>"#), "{en}");
    let list = app.get("/faktaark?lang=en").await.text();
    assert!(
        list.contains(r#"<html lang="en">"#) && list.contains(r#"<th scope="col">Title</th>"#),
        "{list}"
    );
    assert!(
        list.contains(r#"<a href="/faktaark/47" lang="nb">Tilgang</a>"#),
        "{list}"
    );
    app.get("/faktaark?lang=xx").await.assert_status(404);
    let log = app.get("/endringer").await.text();
    assert!(log.contains("(faglig endring, English)"), "{log}");
    assert!(!log.contains("english"), "{log}");
}

/// Faktaark 47, published 1 May 2019 and withdrawn 16 September 2025 ("Ikke lenger i bruk").
async fn withdrawn_sheet_47(app: &TestApp) {
    let id = app
        .published_sheet_on("47", "Tilgangsstyring", "Tekst om tilgangsstyring.\n", "2019-05-01")
        .await;
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Ikke lenger i bruk", "withdrawn_on": "2025-09-16"}),
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn the_withdrawn_list_change_log_and_search_come_in_english() {
    let app = TestApp::new().await;
    withdrawn_sheet_47(&app).await;
    app.published_sheet("48", "Logging av tilgang", "Tekst om tilgangsstyring og logg.\n")
        .await;

    // Every list in the navigation of an English page is English.
    let en = app.get("/faktaark?lang=en").await.text();
    for link in [
        r#"<a href="/utgatt?lang=en">Withdrawn material</a>"#,
        r#"<a href="/endringer?lang=en">Change log</a>"#,
        r#"<a href="/sok?lang=en">"#,
    ] {
        assert!(en.contains(link), "{link}: {en}");
    }
    assert!(!en.contains("(in Norwegian)"), "{en}");

    let list = app.get("/utgatt?lang=en").await.text();
    assert!(
        list.contains(r#"<html lang="en">"#) && list.contains("<h1>Withdrawn material</h1>"),
        "{list}"
    );
    assert!(
        list.contains("1 withdrawn document.") && list.contains("16 September 2025"),
        "{list}"
    );
    assert!(list.contains(r#"<td lang="nb">Ikke lenger i bruk</td>"#), "{list}");
    assert!(
        list.contains(r#"<a href="/faktaark/47" lang="nb">Fact sheet 47"#),
        "{list}"
    );
    // Bokmål stays bokmål, singular included.
    let nb = app.get("/utgatt").await.text();
    assert!(
        nb.contains("1 utgått dokument.") && nb.contains("16. september 2025"),
        "{nb}"
    );
    app.get("/utgatt?lang=xx").await.assert_status(404);

    let log = app.get("/endringer?lang=en").await.text();
    assert!(
        log.contains("<h1>Change log</h1>") && log.contains("Version 1.0 (substantive)"),
        "{log}"
    );
    assert!(
        log.contains(r#"<span class="tag tag-withdrawn">Withdrawn</span>"#),
        "{log}"
    );
    assert!(!log.contains("Versjon 1.0"), "{log}");

    let search = app.get("/sok?q=tilgangsstyring&lang=en").await.text();
    assert!(
        search.contains(r#"<html lang="en">"#) && search.contains("<h1>Search</h1>"),
        "{search}"
    );
    assert!(search.contains("1 result</strong>"), "{search}");
    assert!(
        search.contains(r#"<input type="hidden" name="lang" value="en">"#),
        "{search}"
    );
    assert!(search.contains("1 withdrawn result"), "{search}");
    // Its links keep the language: showing the withdrawn hit, and the facets.
    assert!(
        search.contains("/sok?q=tilgangsstyring&#38;utgatte=1&#38;lang=en"),
        "{search}"
    );
    assert!(search.contains("<h2>Language</h2>"), "{search}");
    let shown = app.get("/sok?q=tilgangsstyring&utgatte=1&lang=en").await.text();
    assert!(
        shown.contains(r#"<span class="tag tag-withdrawn">Withdrawn</span> 16 September 2025"#),
        "{shown}"
    );
    assert!(shown.contains("Hide withdrawn results"), "{shown}");
    let nothing = app.get("/sok?q=xyzzyplugh&lang=en").await.text();
    assert!(
        nothing.contains("0 results") && nothing.contains("No results. Try other words"),
        "{nothing}"
    );
    app.get("/sok?q=x&lang=xx").await.assert_status(404);
}

#[tokio::test]
async fn a_reviewer_is_refused_in_bokmal() {
    let app = TestApp::new().await;
    let mut b = signed_in(&app, "Rita", Role::Reviewer).await;
    let res = b.get("/redaksjon/dokumenter/ny").await;
    res.assert_status(403);
    let html = res.text();
    assert!(
        html.contains("Du har ikke tilgang") && html.contains("ikke gjøre endringer"),
        "{html}"
    );
    assert!(!html.contains("cannot make changes"), "{html}");
}

#[tokio::test]
async fn the_publish_form_says_the_numbers_it_will_give() {
    let app = TestApp::new().await;
    let id = app.published_sheet("48", "Nummer", "Tekst.\n").await;
    app.draft(id, "Ny tekst.\n").await.assert_status(201);
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "1.0", "title": "Numbers", "body": "Text.\n"}),
    )
    .await
    .assert_status(201);
    let mut b = signed_in(&app, "Siri", Role::Editor).await;
    let nb = b
        .get(&format!("/redaksjon/dokumenter/{id}/publiser?lang=nb"))
        .await
        .text();
    assert!(
        nb.contains(
            "Gjeldende versjon er 1.0. En faglig endring gir versjon 2.0, en redaksjonell endring versjon 1.1."
        ),
        "{nb}"
    );
    let en = b
        .get(&format!("/redaksjon/dokumenter/{id}/publiser?lang=en"))
        .await
        .text();
    assert!(
        en.contains("samme versjonsnummer som versjonen den er oversatt fra"),
        "{en}"
    );
    assert!(!en.contains("(2.0)"), "{en}");
}

#[tokio::test]
async fn the_lifecycle_is_in_http_headers_deprecation_and_version_links() {
    let app = TestApp::new().await;
    let guide = app
        .create("guide", None, "Veileder om internkontroll", "# A\n\nB.\n")
        .await;
    app.publish(guide, "nb", "substantive", "Første versjon")
        .await
        .assert_status(200);
    let old = app
        .published_sheet_on("01", "Ansvar og organisering", "# A\n\nEn.\n", "2016-01-01")
        .await;
    app.draft(old, "# A\n\nTo.\n").await.assert_status(201);
    app.publish(old, "nb", "substantive", "Andre").await.assert_status(200);
    app.draft(old, "# A\n\nTre.\n").await.assert_status(201);
    app.publish(old, "nb", "substantive", "Tredje").await.assert_status(200);

    // An old version points to the latest and to its neighbours; every page to the history.
    let v2 = app.get("/faktaark/01/versjon/2.0").await;
    v2.assert_status(200);
    let link = v2.header("link");
    assert!(link.contains("</faktaark/01>; rel=\"latest-version\""), "{link}");
    assert!(
        link.contains("</faktaark/01/versjon/1.0>; rel=\"predecessor-version\""),
        "{link}"
    );
    assert!(
        link.contains("</faktaark/01/versjon/3.0>; rel=\"successor-version\""),
        "{link}"
    );
    assert!(
        link.contains(&format!("</api/v1/documents/{old}/versions>; rel=\"version-history\"")),
        "{link}"
    );
    let current = app.get("/faktaark/01").await;
    assert!(!current.header("link").contains("latest-version"));
    assert!(
        current.headers.get("deprecation").is_none(),
        "a published document is not deprecated"
    );

    // Withdrawn: Deprecation at the start of the withdrawal's day, and the successor.
    app.post(
        &format!("/api/v1/documents/{old}/withdraw"),
        serde_json::json!({"reason": "Flyttet til veilederen", "withdrawn_on": "2025-09-16", "successors": [guide]}),
    )
    .await
    .assert_status(200);
    let page = app.get("/faktaark/01").await;
    assert_eq!(page.header("deprecation"), "@1757980800");
    let guide_url = app.get(&format!("/api/v1/documents/{guide}")).await.json()["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        page.header("link")
            .contains(&format!("<{guide_url}>; rel=\"successor-version\"")),
        "{}",
        page.header("link")
    );
    let api = app.get(&format!("/api/v1/documents/{old}")).await;
    assert_eq!(api.header("deprecation"), "@1757980800");
    assert!(
        api.header("link")
            .contains(&format!("</api/v1/documents/{guide}>; rel=\"successor-version\""))
    );
}

#[tokio::test]
async fn a_translated_page_names_its_languages_for_crawlers_and_describes_itself() {
    let app = TestApp::new().await;
    let res = app
        .post(
            "/api/v1/documents",
            json!({"kind": "fact_sheet", "number": "15", "language": "nb", "title": "Logging og innsyn i logg",
                   "summary": "Hva som skal logges, og hvem som får se loggen.", "body": "Alle oppslag skal logges."}),
        )
        .await;
    res.assert_status(201);
    let id = res.json()["id"].as_i64().unwrap();
    app.publish(id, "nb", "substantive", "Første versjon")
        .await
        .assert_status(200);
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "1.0", "title": "Logging and access to logs", "body": "All lookups shall be logged."}),
    )
    .await
    .assert_status(201);
    app.publish(id, "en", "substantive", "English translation")
        .await
        .assert_status(200);
    let nb = app.get("/faktaark/15").await.text();
    assert!(
        nb.contains(r#"<link rel="alternate" hreflang="en" href="http://127.0.0.1:8080/faktaark/15?lang=en">"#),
        "{nb}"
    );
    assert!(
        nb.contains(r#"<link rel="alternate" hreflang="nb" href="http://127.0.0.1:8080/faktaark/15">"#),
        "{nb}"
    );
    let en = app.get("/faktaark/15?lang=en").await.text();
    assert!(
        en.contains(r#"<link rel="alternate" hreflang="nb" href="http://127.0.0.1:8080/faktaark/15">"#),
        "{en}"
    );
    assert!(
        en.contains(r#"hreflang="en" href="http://127.0.0.1:8080/faktaark/15?lang=en""#),
        "{en}"
    );
    assert!(
        nb.contains(r#"<meta name="description" content="Hva som skal logges, og hvem som får se loggen.">"#),
        "{nb}"
    );
}

#[tokio::test]
async fn the_sitemap_lists_every_public_page_and_no_draft() {
    let app = TestApp::new().await;
    app.published_sheet_on("37", "Tilgangsstyring", "# A\n\nB.\n", "2024-03-01")
        .await;
    app.create("fact_sheet", Some("90"), "Hemmelig utkast", "# U\n\nUtkast.\n")
        .await;
    let res = app.get("/sitemap.xml").await;
    res.assert_status(200);
    assert!(res.header("content-type").starts_with("application/xml"));
    let xml = res.text();
    assert!(xml.starts_with("<?xml"));
    assert!(
        xml.contains("<loc>http://127.0.0.1:8080/faktaark/37</loc><lastmod>2024-03-01</lastmod>"),
        "{xml}"
    );
    assert!(xml.contains("<loc>http://127.0.0.1:8080/utgatt</loc>"));
    assert!(xml.contains("<loc>http://127.0.0.1:8080/utgatt?lang=en</loc>"));
    assert!(!xml.contains("/faktaark/90"), "a draft is not in the sitemap");
    assert!(
        xml.contains("<loc>http://127.0.0.1:8080/faktaark/37/versjon/1.0</loc><lastmod>2024-03-01</lastmod>"),
        "{xml}"
    );

    // Every published version at its own address, and the translation's pages with ?lang=en;
    // a draft (of either language) is not there.
    let id = app.get("/api/v1/documents?limit=5").await.json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.draft(id, "# A\n\nC.\n").await.assert_status(201);
    app.publish(id, "nb", "substantive", "Andre").await.assert_status(200);
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        serde_json::json!({"language": "en", "source_label": "2.0", "title": "Access control", "body": "# A\n\nB in English.\n"}),
    )
    .await
    .assert_status(201);
    app.publish(id, "en", "substantive", "English").await.assert_status(200);
    app.draft(id, "# A\n\nUtkast til 3.0.\n").await.assert_status(201);
    let xml = app.get("/sitemap.xml").await.text();
    for loc in [
        "/faktaark/37/versjon/1.0<",
        "/faktaark/37/versjon/2.0<",
        "/faktaark/37?lang=en<",
        "/faktaark/37/versjon/2.0?lang=en<",
    ] {
        assert!(
            xml.contains(&format!("<loc>http://127.0.0.1:8080{loc}")),
            "{loc} in {xml}"
        );
    }
    assert!(!xml.contains("versjon/3.0"), "a draft version is not in the sitemap");
    // The request's host is used when it is a plain host name; anything else is not echoed.
    let own = app
        .send(
            axum::http::Method::GET,
            "/sitemap.xml",
            None,
            None,
            &[("host", "normen.example.no")],
        )
        .await
        .text();
    assert!(own.contains("<loc>http://normen.example.no/faktaark/37</loc>"));
    let hostile = app
        .send(
            axum::http::Method::GET,
            "/robots.txt",
            None,
            None,
            &[("host", "evil\"><x")],
        )
        .await
        .text();
    assert!(
        hostile.contains("Sitemap: http://127.0.0.1:8080/sitemap.xml"),
        "{hostile}"
    );
    assert!(hostile.contains("Disallow: /redaksjon"));
}

#[tokio::test]
async fn the_home_page_and_the_registry_on_a_date_come_in_english() {
    let app = TestApp::new().await;
    withdrawn_sheet_47(&app).await;

    // Home: English headings and links that keep lang=en; Norwegian titles marked as such.
    let home = app.get("/?lang=en").await;
    home.assert_status(200);
    let home = home.text();
    assert!(home.contains(r#"<html lang="en">"#), "{home}");
    for part in [
        "<h2 id=\"nylig-publisert\">Recently published</h2>",
        "<h2 id=\"nylig-utgatt\">Recently withdrawn</h2>",
        r#"<a href="/endringer?lang=en">All changes</a>"#,
        r#"<a href="/utgatt?lang=en">All withdrawn material</a>"#,
        r#"<a href="/per?lang=en">The registry on a date</a>"#,
        r#"<input type="hidden" name="lang" value="en">"#,
        r#"<a href="/faktaark/47" lang="nb">"#,
        r#"<span class="tag tag-withdrawn">Withdrawn</span>"#,
    ] {
        assert!(home.contains(part), "{part}: {home}");
    }
    assert!(!home.contains("Nylig publisert</h2>") && !home.contains("Alle endringer"));
    // The English navigation leads home in English; bokmål stays bokmål.
    let list = app.get("/faktaark?lang=en").await.text();
    assert!(list.contains(r#"<li><a href="/?lang=en">Home</a></li>"#), "{list}");
    let nb = app.get("/").await.text();
    assert!(nb.contains("Nylig publisert") && nb.contains(r#"<li><a href="/">Forside</a></li>"#));
    app.get("/?lang=xx").await.assert_status(404);
    // Dates on the withdrawn list stay on one line (the `date` cell keeps them whole).
    let withdrawn = app.get("/utgatt").await.text();
    assert!(
        withdrawn.contains(r#"<td class="date">16. september 2025</td>"#),
        "{withdrawn}"
    );

    // The registry on a date: the notice, the count (singular), the table and the form in English.
    let on = app.get("/per/2024-06-30?lang=en").await;
    on.assert_status(200);
    let on = on.text();
    for part in [
        r#"<html lang="en">"#,
        "Historical view: the registry as it was on 30 June 2024.",
        "<h1>The registry on 30 June 2024</h1>",
        "1 document was published on that day.",
        "<th scope=\"col\">Version in force</th>",
        "In force</td>",
        r#"lang="nb">Tilgangsstyring</a>"#,
        r#"<input type="hidden" name="lang" value="en">"#,
        "1 May 2019",
    ] {
        assert!(on.contains(part), "{part}: {on}");
    }
    let later = app.get("/per/2025-10-01?lang=en").await.text();
    assert!(
        later.contains(r#"<span class="tag tag-withdrawn">Withdrawn</span>"#),
        "{later}"
    );
    let nb = app.get("/per/2024-06-30").await.text();
    assert!(
        nb.contains("1 dokument var publisert denne dagen.") && nb.contains("Gjeldende</td>"),
        "{nb}"
    );
    // The form keeps the language through its answer; a bad date is refused in English.
    let answer = app.get("/per?dato=2024-06-30&lang=en").await;
    answer.assert_status(303);
    assert_eq!(answer.header("location"), "/per/2024-06-30?lang=en");
    let bad = app.get("/per/2024-02-30?lang=en").await;
    bad.assert_status(422);
    assert!(bad.text().contains("<h1>The registry on a date</h1>"), "{}", bad.text());
    app.get("/per/2024-06-30?lang=xx").await.assert_status(404);
}

#[tokio::test]
async fn counts_on_the_guides_list_agree_with_their_number() {
    let app = TestApp::new().await;
    let id = app
        .create("guide", None, "Veileder om logging", "# Logging\n\nTekst.\n")
        .await;
    app.publish(id, "nb", "substantive", "Første").await.assert_status(200);
    let one = app.get("/veiledere").await.text();
    assert!(one.contains("1 gjeldende veileder etter tittel."), "{one}");
    assert!(
        app.get("/veiledere?lang=en")
            .await
            .text()
            .contains("1 guide in force, by title")
    );
    let id = app
        .create("guide", None, "Veileder om tilgang", "# Tilgang\n\nTekst.\n")
        .await;
    app.publish(id, "nb", "substantive", "Første").await.assert_status(200);
    let two = app.get("/veiledere").await.text();
    assert!(two.contains("2 gjeldende veiledere etter tittel."), "{two}");
    let en = app.get("/veiledere?lang=en").await.text();
    assert!(
        en.contains(r#"<html lang="en">"#) && en.contains("2 guides in force, by title"),
        "{en}"
    );
}

#[tokio::test]
async fn one_normative_change_is_said_in_the_singular_and_a_current_page_links_its_history() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet(
            "37",
            "Tilgangsstyring",
            "# Tilgang\n\nVirksomheten skal logge alle oppslag i journalen.\n",
        )
        .await;
    let page = app.get("/faktaark/37").await;
    assert!(
        page.header("link")
            .contains(&format!("</api/v1/documents/{id}/versions>; rel=\"version-history\"")),
        "{}",
        page.header("link")
    );
    app.draft(id, "# Tilgang\n\nVirksomheten bør logge alle oppslag i journalen.\n")
        .await
        .assert_status(201);
    app.publish(id, "nb", "substantive", "Skal ble bør")
        .await
        .assert_status(200);
    let nb = app.get("/faktaark/37/sammenlign?fra=1.0&til=2.0").await.text();
    assert!(nb.contains("(1 endring i normerende ord (skal, bør, må))"), "{nb}");
}
