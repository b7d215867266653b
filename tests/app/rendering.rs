//! Bodies the renderer would choke on are refused where they enter; published versions are
//! rendered once and served from the stored HTML; a body at the bounds still renders.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use normen_registry::domain::body::MAX_NESTING_DEPTH;
use normen_registry::entities::{version, version_html};

use crate::assert_unchanged;
use crate::helpers::TestApp;

/// Block quotes `levels` deep around one paragraph (`levels + 1` elements).
fn quotes(levels: usize) -> String {
    format!("{} Dypt sitat.\n", ">".repeat(levels))
}

/// List items `levels` deep (two elements a level).
fn lists(levels: usize) -> String {
    (0..levels)
        .map(|i| format!("{}- punkt {i}\n", "  ".repeat(i)))
        .collect()
}

#[tokio::test]
async fn deeply_nested_bodies_are_refused_with_422_and_change_nothing() {
    let app = TestApp::new().await;
    let id = app.published_sheet("40", "Nesting", "Tekst.\n").await;
    for body in [
        quotes(20_000),
        lists(40),
        format!("{}x{}", "*".repeat(200), "*".repeat(200)),
        "<div>".repeat(10_000),
        // html5ever reopens formatting elements in each new paragraph.
        (0..2000).map(|k| format!("<p><b id={k}></p>\n")).collect(),
    ] {
        let res = assert_unchanged!(
            app,
            app.post(
                "/api/v1/documents",
                json!({"kind": "guide", "language": "nb", "title": "Dyp", "body": body}),
            )
            .await
        );
        res.assert_problem(422, "levels deep");
        assert_unchanged!(app, app.draft(id, &body).await).assert_problem(422, "levels deep");
    }
    // Editing an open draft is checked the same way.
    app.draft(id, "Utkast.\n").await.assert_status(201);
    let res = assert_unchanged!(
        app,
        app.json(
            axum::http::Method::PUT,
            &format!("/api/v1/documents/{id}/drafts/nb"),
            Some(&app.editor.clone()),
            &json!({"body": quotes(5000)}),
            &[],
        )
        .await
    );
    res.assert_problem(422, "levels deep");
}

#[tokio::test]
async fn a_body_that_renders_to_too_much_html_is_refused() {
    let app = TestApp::new().await;
    let body = format!("[^a]: x\n\n{}", "[^a] ".repeat(200_000));
    let res = assert_unchanged!(
        app,
        app.post(
            "/api/v1/documents",
            json!({"kind": "guide", "language": "nb", "title": "Stor", "body": body}),
        )
        .await
    );
    res.assert_problem(422, "MiB of HTML");
}

#[tokio::test]
async fn a_body_at_the_nesting_limit_is_accepted_and_its_page_renders() {
    let app = TestApp::new().await;
    // The paragraph inside is the last level.
    let body = quotes(MAX_NESTING_DEPTH - 1);
    let id = app.published_sheet("41", "Grensetilfelle", &body).await;
    let res = app.get("/faktaark/41").await;
    res.assert_status(200);
    let html = res.text();
    assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING_DEPTH - 1);
    assert!(html.contains("<p>Dypt sitat.</p>"));
    // One level more is refused.
    app.draft(id, &quotes(MAX_NESTING_DEPTH))
        .await
        .assert_problem(422, "levels deep");
}

async fn kept_html(app: &TestApp, document_id: i64) -> Option<version_html::Model> {
    let v = version::Entity::find()
        .filter(version::Column::DocumentId.eq(document_id as i32))
        .filter(version::Column::State.eq("published"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a published version");
    version_html::Entity::find_by_id(v.id).one(&app.db).await.unwrap()
}

#[tokio::test]
async fn published_html_is_kept_at_publication_and_served_from_store() {
    let app = TestApp::new().await;
    let id = app
        .create("fact_sheet", Some("42"), "Lagret", "# Overskrift\n\nTekst.\n")
        .await;
    // A draft is never kept.
    let drafts = version_html::Entity::find().all(&app.db).await.unwrap();
    assert!(drafts.is_empty(), "a draft's HTML was kept");
    app.publish(id, "nb", "substantive", "Første versjon")
        .await
        .assert_status(200);
    let kept = kept_html(&app, id).await.expect("HTML kept at publication");
    assert!(
        kept.html.contains(r#"<h2 id="overskrift">Overskrift<a"#),
        "{}",
        kept.html
    );

    // The page prints what is stored, not a fresh rendering of the body.
    version_html::Entity::update_many()
        .col_expr(
            version_html::Column::Html,
            sea_orm::sea_query::Expr::value("<p>FRA-LAGERET</p>"),
        )
        .exec(&app.db)
        .await
        .unwrap();
    // Written behind the server's back: tell its page cache, as a write through it would.
    app.state.pages().wrote();
    let html = app.get("/faktaark/42").await.text();
    assert!(html.contains("<p>FRA-LAGERET</p>"));
    assert!(!html.contains(r#"<h2 id="overskrift">"#));

    // HTML kept for other content (a stale hash) is redone on view.
    version_html::Entity::update_many()
        .col_expr(
            version_html::Column::ContentHash,
            sea_orm::sea_query::Expr::value("stale"),
        )
        .exec(&app.db)
        .await
        .unwrap();
    app.state.pages().wrote();
    let html = app.get("/faktaark/42").await.text();
    assert!(html.contains(r#"<h2 id="overskrift">"#) && !html.contains("FRA-LAGERET"));
    let kept = kept_html(&app, id).await.unwrap();
    assert_ne!(kept.content_hash, "stale");
}

#[tokio::test]
async fn versions_without_kept_html_are_rendered_and_kept_on_first_view() {
    let app = TestApp::new().await;
    let id = app.published_sheet("43", "Eldre", "Tekst fra før.\n").await;
    // As for a version published before the table existed, or imported.
    version_html::Entity::delete_many().exec(&app.db).await.unwrap();
    let res = app.get("/faktaark/43").await;
    res.assert_status(200);
    assert!(res.text().contains("<p>Tekst fra før.</p>"));
    let kept = kept_html(&app, id).await.expect("kept on first view");
    assert_eq!(kept.html, "<p>Tekst fra før.</p>\n");
}

#[tokio::test]
async fn a_stored_body_beyond_the_bounds_is_shown_as_escaped_text() {
    let app = TestApp::new().await;
    app.published_sheet("44", "Gammel", "Tekst.\n").await;
    // A body stored before the rule existed (straight into the table).
    let deep = format!("{} <b>x</b>\n", ">".repeat(20_000));
    version::Entity::update_many()
        .col_expr(version::Column::Body, sea_orm::sea_query::Expr::value(deep))
        .col_expr(version::Column::ContentHash, sea_orm::sea_query::Expr::value("changed"))
        .exec(&app.db)
        .await
        .unwrap();
    let res = app.get("/faktaark/44").await;
    res.assert_status(200);
    let html = res.text();
    assert!(html.contains("<pre class=\"unrendered\">&gt;&gt;&gt;"));
    assert!(html.contains("&lt;b&gt;x&lt;/b&gt;") && !html.contains("<blockquote>"));
}

#[tokio::test]
async fn a_long_guide_has_a_contents_list_and_every_section_a_link_to_itself() {
    let app = TestApp::new().await;
    let body = "# Innledning\n\nTekst.\n\n# Tilgangsstyring\n\n## Roller og rettigheter\n\nTekst.\n\n# Logging\n\n# Innhold\n\nSiste.\n";
    let id = app.published_sheet("45", "Lang", body).await;
    let html = app.get("/faktaark/45").await.text();
    let toc_start = html
        .find(r#"<nav class="toc" aria-labelledby="innholdsliste">"#)
        .expect("a contents list");
    let toc = &html[toc_start..toc_start + html[toc_start..].find("</nav>").unwrap()];
    // Top-level sections in order, the next level nested, each linking to its heading's id.
    let links: Vec<&str> = toc
        .split("<a href=\"#")
        .skip(1)
        .map(|p| &p[..p.find('"').unwrap()])
        .collect();
    assert_eq!(
        links,
        [
            "innledning",
            "tilgangsstyring",
            "roller-og-rettigheter",
            "logging",
            "innhold-2"
        ]
    );
    assert!(
        toc.contains("<ol><li><a href=\"#roller-og-rettigheter\">Roller og rettigheter</a></li></ol>"),
        "{toc}"
    );
    for id in &links {
        assert!(html.contains(&format!(r#" id="{id}">"#)), "no heading with id {id}");
        assert!(
            html.contains(&format!(
                r##"<a class="section-link" href="#{id}" aria-label="Lenke til dette avsnittet""##
            )),
            "no section link to {id}"
        );
    }
    // The skip link still leads to the page's content, not to the body's "Innhold".
    assert_eq!(html.matches(r#" id="innhold""#).count(), 1);
    // The sections are kept with the HTML, so a view renders nothing.
    let kept = kept_html(&app, id).await.unwrap();
    assert!(kept.sections.contains("\"roller-og-rettigheter\""), "{}", kept.sections);

    // A short document has no contents list.
    app.published_sheet("46", "Kort", "## En\n\n## To\n").await;
    let short = app.get("/faktaark/46").await.text();
    assert!(!short.contains(r#"class="toc""#) && short.contains(r#"<h2 id="en">"#));
}

#[tokio::test]
async fn html_kept_by_an_older_renderer_is_redone_with_its_sections() {
    let app = TestApp::new().await;
    let id = app.published_sheet("47", "Gammel", "## A\n\n## B\n\n## C\n").await;
    // As a row kept before headings had ids: an older generation, no sections.
    version_html::Entity::update_many()
        .col_expr(version_html::Column::Renderer, sea_orm::sea_query::Expr::value(2))
        .col_expr(
            version_html::Column::Html,
            sea_orm::sea_query::Expr::value("<h2>A</h2>"),
        )
        .col_expr(version_html::Column::Sections, sea_orm::sea_query::Expr::value("[]"))
        .exec(&app.db)
        .await
        .unwrap();
    let html = app.get("/faktaark/47").await.text();
    assert!(
        html.contains(r##"<a href="#c">C</a>"##) && html.contains(r#"<h2 id="c">"#),
        "{html}"
    );
    let kept = kept_html(&app, id).await.unwrap();
    assert_eq!(kept.renderer, normen_registry::services::rendering::RENDERER);
    assert!(kept.sections.contains("\"c\""));
}
