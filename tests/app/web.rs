//! The HTML pages through the real router: public pages (banners, canonical links, languages,
//! sanitised Markdown, no drafts anywhere), HTML error pages, and the workspace (sign-in,
//! CSRF, forms that re-render with the input kept).

use axum::body::Body;
use axum::http::Method;
use serde_json::json;

use normen_registry::domain::Role;
use normen_registry::services::users;

use crate::assert_unchanged;
use crate::helpers::{TestApp, TestResponse};

const PASSWORD: &str = "et-langt-passord";

/// A browser: keeps the session cookie and the last CSRF token it saw.
pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    cookie: Option<String>,
    csrf: String,
}

fn token_in(html: &str) -> Option<String> {
    let start = html.find(r#"name="csrf_token" value=""#)? + r#"name="csrf_token" value=""#.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            cookie: None,
            csrf: String::new(),
        }
    }

    fn remember(&mut self, res: &TestResponse) {
        if let Some(set) = res.headers.get("set-cookie").and_then(|v| v.to_str().ok()) {
            let pair = set.split(';').next().unwrap_or_default().to_string();
            self.cookie = if pair.ends_with('=') { None } else { Some(pair) };
        }
        if let Some(t) = token_in(&res.text()) {
            self.csrf = t;
        }
    }

    pub(crate) async fn get(&mut self, uri: &str) -> TestResponse {
        let cookie = self.cookie.clone();
        let mut headers = Vec::new();
        if let Some(c) = &cookie {
            headers.push(("cookie", c.as_str()));
        }
        let res = self.app.send(Method::GET, uri, None, None, &headers).await;
        self.remember(&res);
        res
    }

    /// Posts a form with the session's CSRF token added.
    pub(crate) async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&all).unwrap();
        self.post_raw(uri, body, &[]).await
    }

    async fn post_raw(&mut self, uri: &str, body: String, extra: &[(&str, &str)]) -> TestResponse {
        let cookie = self.cookie.clone();
        let mut headers = vec![("content-type", "application/x-www-form-urlencoded")];
        if let Some(c) = &cookie {
            headers.push(("cookie", c.as_str()));
        }
        headers.extend_from_slice(extra);
        let res = self
            .app
            .send(Method::POST, uri, None, Some(Body::from(body)), &headers)
            .await;
        self.remember(&res);
        res
    }
}

/// Adds a user with a password and signs in as them.
pub(crate) async fn signed_in<'a>(app: &'a TestApp, name: &str, role: Role) -> Browser<'a> {
    let hash = users::hash_password(PASSWORD).unwrap();
    users::add_user(&app.db, name, role, Some(hash)).await.unwrap();
    let mut b = Browser::new(app);
    b.get("/redaksjon/logg-inn").await.assert_status(200);
    let res = b
        .post(
            "/redaksjon/logg-inn",
            &[("navn", name), ("passord", PASSWORD), ("neste", "")],
        )
        .await;
    res.assert_status(303);
    assert_eq!(res.header("location"), "/redaksjon");
    b.get("/redaksjon").await.assert_status(200);
    b
}

#[track_caller]
pub(crate) fn assert_html(res: &TestResponse, status: u16) -> String {
    res.assert_status(status);
    assert!(
        res.header("content-type").starts_with("text/html"),
        "content-type {}",
        res.header("content-type")
    );
    res.text()
}

/// Publishes 1.0 and 2.0 (substantive) of a fact sheet and returns its id.
async fn two_versions(app: &TestApp, number: &str) -> i64 {
    let id = app
        .published_sheet(
            number,
            "Tilgangsstyring",
            "# Innledning\n\nBrukere skal ha egen konto.\n",
        )
        .await;
    app.draft(
        id,
        "# Innledning\n\nBrukere skal ha egen konto og sterk autentisering.\n",
    )
    .await
    .assert_status(201);
    app.publish(id, "nb", "substantive", "Krav om sterk autentisering")
        .await
        .assert_status(200);
    id
}

#[tokio::test]
async fn a_document_page_has_lang_canonical_print_css_and_history() {
    let app = TestApp::new().await;
    two_versions(&app, "37").await;
    let html = assert_html(&app.get("/faktaark/37").await, 200);
    for needle in [
        r#"<html lang="nb">"#,
        r#"<link rel="canonical" href="http://127.0.0.1:8080/faktaark/37">"#,
        r#"href="/static/print.css" media="print""#,
        r##"href="#innhold" class="skip-link""##,
        "Faktaark 37",
        "Tilgangsstyring",
        "sterk autentisering",
        "Versjonshistorikk",
        "Krav om sterk autentisering",
        "Siste faglige endring",
        r#"href="/faktaark/37/versjon/1.0""#,
        r#"href="/faktaark/37/sammenlign?fra=1.0&#38;til=2.0""#,
        r#"href="/faktaark/37/endringer.atom""#,
    ] {
        assert!(html.contains(needle), "page lacks {needle:?}");
    }
    assert!(!html.contains("Dette er en eldre versjon"));
    let res = app.get("/static/print.css").await;
    res.assert_status(200);
    assert!(res.header("content-type").starts_with("text/css"));
}

#[tokio::test]
async fn an_old_version_has_its_own_url_a_banner_and_a_compare_link() {
    let app = TestApp::new().await;
    two_versions(&app, "37").await;
    let html = assert_html(&app.get("/faktaark/37/versjon/1.0").await, 200);
    assert!(
        html.contains("Dette er en eldre versjon. Gjeldende versjon er"),
        "{html}"
    );
    assert!(html.contains(r#"<a href="/faktaark/37">2.0</a>"#));
    assert!(html.contains(r#"<link rel="canonical" href="http://127.0.0.1:8080/faktaark/37/versjon/1.0">"#));
    assert!(html.contains("Brukere skal ha egen konto."));
    assert!(html.contains(r"/faktaark/37/sammenlign?fra=1.0&#38;til=2.0"));

    let html = assert_html(&app.get("/faktaark/37/sammenlign?fra=1.0&til=2.0").await, 200);
    assert!(html.contains("Sammenlign versjoner"));
    assert!(html.contains("<ins>"), "{html}");
    assert!(html.contains("sterk"));
    assert!(html.contains("Vurdering"));
    // Jump links to each section, and the unified diff for download.
    assert!(html.contains(r##"<a href="#s1">Innledning</a>"##), "{html}");
    assert!(html.contains("format=diff"));
    let download = app
        .get("/api/v1/documents/1/diff?from=1.0&to=2.0&lang=nb&format=diff")
        .await;
    download.assert_status(200);
    assert!(
        download
            .text()
            .contains("+Brukere skal ha egen konto og sterk autentisering.")
    );
    // The side-by-side view: the old text with <del>, the new with <ins>, in two columns.
    let html = assert_html(
        &app.get("/faktaark/37/sammenlign?fra=1.0&til=2.0&visning=side").await,
        200,
    );
    assert!(html.contains(r#"class="diff-columns""#));
    assert!(html.contains(r#"id="visning-side" name="visning" value="side" checked"#));
    for bad in [
        "/faktaark/37/versjon/9.9",
        "/faktaark/37/versjon/draft",
        "/faktaark/37/versjon/x%2Fy",
    ] {
        assert_html(&app.get(bad).await, 404);
    }
    assert_html(&app.get("/faktaark/37/sammenlign?fra=1.0&til=7.0").await, 404);
}

#[tokio::test]
async fn markdown_is_sanitised_on_the_page() {
    let app = TestApp::new().await;
    app.published_sheet(
        "12",
        "Farlig innhold",
        "Tekst <script>alert('x')</script>\n\n<img src=x onerror=\"alert(1)\">\n\n[lenke](javascript:alert(2))\n\n<a href=\"javascript:alert(3)\" onclick=\"alert(4)\">a</a>",
    )
    .await;
    let html = assert_html(&app.get("/faktaark/12").await, 200);
    // The page's own JSON-LD block is the one script element, and it is data.
    let body = &html[html.find("</head>").unwrap()..];
    assert!(!body.contains("<script"), "script survived");
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("alert("), "script text survived");
    assert!(!html.contains("onerror"));
    assert!(!html.contains("onclick"));
    assert!(!html.contains("javascript:"));
    assert!(html.contains("Tekst"));
    assert!(
        app.get("/faktaark/12")
            .await
            .header("content-security-policy")
            .contains("script-src 'none'")
    );
}

#[tokio::test]
async fn drafts_never_reach_public_pages_feeds_or_search() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet("20", "Offentlig ark", "Offentlig tekst om logging.\n")
        .await;
    app.draft(id, "Hemmeligutkastord i neste versjon.\n")
        .await
        .assert_status(201);
    let res = app
        .post(
            "/api/v1/documents",
            json!({"kind": "fact_sheet", "number": "21", "language": "nb", "title": "Skjultdokumenttittel", "body": "Skjult kropp"}),
        )
        .await;
    res.assert_status(201);
    for uri in [
        "/",
        "/faktaark",
        "/veiledere",
        "/utgatt",
        "/endringer",
        "/endringer.atom",
        "/faktaark/20",
        "/faktaark/20/endringer.atom",
        "/sok?q=logging",
    ] {
        let res = app.get(uri).await;
        res.assert_status(200);
        let text = res.text();
        assert!(!text.contains("Hemmeligutkastord"), "{uri} shows the draft text");
        assert!(!text.contains("Skjultdokumenttittel"), "{uri} shows the draft document");
    }
    assert!(app.get("/sok?q=logging").await.text().contains("Offentlig ark"));
    for q in ["Hemmeligutkastord", "Skjultdokumenttittel"] {
        let html = assert_html(&app.get(&format!("/sok?q={q}&utgatte=1")).await, 200);
        assert!(
            html.contains("<strong>0 treff</strong>"),
            "a search for {q} finds a draft"
        );
    }
    assert_html(&app.get("/faktaark/21").await, 404);
    assert_html(&app.get("/faktaark/21/endringer.atom").await, 404);
    assert_html(&app.get("/faktaark/20/versjon/draft").await, 404);
    assert_html(&app.get("/faktaark/20/sammenlign?fra=1.0&til=draft").await, 404);
}

/// Withdraws a published sheet through the API with a recorded decision and a successor.
async fn withdrawn_sheet(app: &TestApp) -> (i64, i64) {
    let old = app.published_sheet("08", "Avviksbehandling", "Gammel tekst.\n").await;
    let new = app.published_sheet("60", "Nytt ark om avvik", "Ny tekst.\n").await;
    app.post(
        "/api/v1/decisions",
        json!({"case_number": "23/25", "meeting_date": "2025-09-16", "title": "Sanering av faktaark"}),
    )
    .await
    .assert_status(201);
    app.post(
        &format!("/api/v1/documents/{old}/withdraw"),
        json!({"reason": "Innholdet er flyttet til et nytt ark", "decision": "23/25", "successors": [new]}),
    )
    .await
    .assert_status(200);
    (old, new)
}

#[tokio::test]
async fn a_withdrawn_document_keeps_its_url_with_a_banner_on_every_version() {
    let app = TestApp::new().await;
    withdrawn_sheet(&app).await;
    for uri in ["/faktaark/08", "/faktaark/08/versjon/1.0"] {
        let html = assert_html(&app.get(uri).await, 200);
        for needle in [
            "banner-withdrawn",
            "Utgått",
            "Innholdet er flyttet til et nytt ark",
            "Sak 23/25, møte 16. september 2025: Sanering av faktaark",
            r#"<a href="/faktaark/60">Faktaark 60: Nytt ark om avvik</a>"#,
        ] {
            assert!(html.contains(needle), "{uri} lacks {needle:?}");
        }
    }
    let html = assert_html(&app.get("/utgatt").await, 200);
    assert!(html.contains("Avviksbehandling") && html.contains("Sak 23/25"));
    let html = assert_html(&app.get("/").await, 200);
    assert!(html.contains("Nylig utgått") && html.contains("Avviksbehandling"));
    let atom = app.get("/endringer.atom").await;
    assert!(atom.header("content-type").starts_with("application/atom+xml"));
    assert!(atom.text().contains("Utgått"));
}

#[tokio::test]
async fn search_hides_withdrawn_hits_behind_a_toggle() {
    let app = TestApp::new().await;
    withdrawn_sheet(&app).await;
    let html = assert_html(&app.get("/sok?q=Avviksbehandling").await, 200);
    // No current hit and one withdrawn: said once, in the singular (was "0 treff · 1 utgåtte
    // treff: vis · Ingen treff").
    assert!(
        html.contains("Ingen gjeldende treff.") && html.contains("Ett utgått treff"),
        "{html}"
    );
    assert!(!html.contains("0 treff") && !html.contains("Ingen treff."), "{html}");
    assert!(html.contains(r#"href="/sok?q=Avviksbehandling&#38;utgatte=1""#));
    assert!(!html.contains(r#"href="/faktaark/08""#));
    let html = assert_html(&app.get("/sok?q=Avviksbehandling&utgatte=1").await, 200);
    assert!(html.contains(r#"href="/faktaark/08""#));
    assert!(html.contains("tag-withdrawn"));
    assert!(html.contains("Skjul utgåtte treff"));
    assert_html(&app.get("/sok?status=draft&q=x").await, 400);
    assert_html(&app.get("/sok?side=abc&q=x").await, 400);
}

#[tokio::test]
async fn a_translation_says_what_it_is_based_on_and_when_it_is_outdated() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet("37", "Tilgangsstyring", "# Innledning\n\nBrukere skal ha konto.\n")
        .await;
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "1.0", "title": "Access control", "body": "Users shall have accounts.\n"}),
    )
    .await
    .assert_status(201);
    app.publish(id, "en", "substantive", "Translation")
        .await
        .assert_status(200);
    let html = assert_html(&app.get("/faktaark/37?lang=en").await, 200);
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("This translation is based on version"));
    assert!(html.contains("up to date"));
    assert!(html.contains(r#"<link rel="canonical" href="http://127.0.0.1:8080/faktaark/37?lang=en">"#));
    assert!(assert_html(&app.get("/faktaark/37").await, 200).contains(r#"href="/faktaark/37?lang=en""#));

    app.draft(id, "# Innledning\n\nBrukere skal ha konto og passord.\n")
        .await
        .assert_status(201);
    app.publish(id, "nb", "substantive", "Nytt krav")
        .await
        .assert_status(200);
    let html = assert_html(&app.get("/faktaark/37?lang=en").await, 200);
    assert!(html.contains("has changed substantively"), "{html}");
    assert!(html.contains(r#"href="/faktaark/37/sammenlign?fra=1.0&#38;til=2.0""#));
    assert_html(&app.get("/faktaark/37?lang=xx").await, 404);
    assert_html(&app.get("/faktaark/37?lang=nn").await, 404);
}

#[tokio::test]
async fn unknown_pages_are_html_404s_and_the_api_keeps_problem_json() {
    let app = TestApp::new().await;
    let html = assert_html(&app.get("/finnes-ikke").await, 404);
    assert!(html.contains("Fant ikke siden"));
    assert_html(&app.get("/faktaark/999").await, 404);
    assert_html(&app.get("/veileder/ingen-slik").await, 404);
    app.get("/api/v1/finnes-ikke").await.assert_problem(404, "no route");
}

#[tokio::test]
async fn signing_in_and_out() {
    let app = TestApp::new().await;
    let hash = users::hash_password(PASSWORD).unwrap();
    users::add_user(&app.db, "Siri", Role::Editor, Some(hash))
        .await
        .unwrap();

    let res = app.get("/redaksjon").await;
    res.assert_status(303);
    assert!(
        res.header("location")
            .starts_with("/redaksjon/logg-inn?neste=/redaksjon")
    );

    let mut b = Browser::new(&app);
    let res = b.get("/redaksjon/logg-inn").await;
    let cookie = res.header("set-cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/redaksjon"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    assert!(!cookie.contains("Secure"));
    let anonymous = b.cookie.clone();

    let res = b
        .post(
            "/redaksjon/logg-inn",
            &[("navn", "Siri"), ("passord", "feil-passord-her")],
        )
        .await;
    assert!(assert_html(&res, 401).contains("Brukernavnet eller passordet er feil"));
    assert!(res.text().contains(r#"value="Siri""#), "the name is kept");

    let res = b
        .post(
            "/redaksjon/logg-inn",
            &[
                ("navn", "Siri"),
                ("passord", PASSWORD),
                ("neste", "https://evil.example/"),
            ],
        )
        .await;
    res.assert_status(303);
    assert_eq!(res.header("location"), "/redaksjon", "no open redirect");
    assert_ne!(b.cookie, anonymous, "signing in gives a new session");
    let html = assert_html(&b.get("/redaksjon").await, 200);
    assert!(html.contains("Redaksjonens oversikt") && html.contains("Siri"));
    assert_eq!(b.get("/redaksjon").await.header("cache-control"), "private, no-store");

    // The old anonymous session is gone.
    let old = app
        .send(
            Method::GET,
            "/redaksjon",
            None,
            None,
            &[("cookie", anonymous.as_deref().unwrap())],
        )
        .await;
    old.assert_status(303);

    let res = b.post("/redaksjon/logg-ut", &[]).await;
    res.assert_status(303);
    assert!(res.header("set-cookie").contains("Max-Age=0"));
    b.get("/redaksjon").await.assert_status(303);

    // Behind TLS the cookie is Secure.
    let res = app
        .send(
            Method::GET,
            "/redaksjon/logg-inn",
            None,
            None,
            &[("x-forwarded-proto", "https")],
        )
        .await;
    assert!(res.header("set-cookie").contains("Secure"));
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let mut b = signed_in(&app, "Siri", Role::Editor).await;
    let fields = "kind=fact_sheet&number=77&language=nb&title=Nytt&body=x";
    assert_unchanged!(app, {
        let res = b.post_raw("/redaksjon/dokumenter/ny", fields.into(), &[]).await;
        assert!(assert_html(&res, 403).contains("Skjemaet kunne ikke sendes"));
        let res = b
            .post_raw("/redaksjon/dokumenter/ny", format!("csrf_token=feil&{fields}"), &[])
            .await;
        assert_html(&res, 403);
        let good = format!("csrf_token={}&{fields}", b.csrf);
        let res = b
            .post_raw(
                "/redaksjon/dokumenter/ny",
                good.clone(),
                &[("origin", "https://evil.example"), ("host", "localhost")],
            )
            .await;
        assert_html(&res, 403);
        // No session at all.
        let res = app
            .send(
                Method::POST,
                "/redaksjon/dokumenter/ny",
                None,
                Some(Body::from(good)),
                &[("content-type", "application/x-www-form-urlencoded")],
            )
            .await;
        assert_html(&res, 403);
    });
}

#[tokio::test]
async fn a_form_with_errors_comes_back_with_the_input_and_the_messages() {
    let app = TestApp::new().await;
    let mut b = signed_in(&app, "Siri", Role::Editor).await;
    let res = assert_unchanged!(
        app,
        b.post(
            "/redaksjon/dokumenter/ny",
            &[
                ("kind", "fact_sheet"),
                ("number", "abc"),
                ("language", "nb"),
                ("title", ""),
                ("body", "Min <tekst> her"),
            ],
        )
        .await
    );
    let html = assert_html(&res, 422);
    assert!(html.contains("Det er noe som må rettes"));
    assert!(html.contains("Skriv en tittel"));
    assert!(html.contains("Nummeret må være sifre"));
    assert!(html.contains(r#"value="abc""#), "number kept");
    assert!(html.contains("Min &#60;tekst&#62; her"), "body kept, escaped");
    assert!(html.contains(r##"<a href="#f-title">"##), "summary links to the field");
    assert!(html.contains(r#"aria-describedby="f-title-error""#));

    // A preview renders the Markdown and saves nothing.
    let res = assert_unchanged!(
        app,
        b.post(
            "/redaksjon/dokumenter/ny",
            &[
                ("kind", "guide"),
                ("language", "nb"),
                ("title", "Veileder"),
                ("body", "# Overskrift\n\n<script>x()</script>"),
                ("handling", "forhandsvis"),
            ],
        )
        .await
    );
    let html = assert_html(&res, 200);
    assert!(html.contains("Forhåndsvisning") && html.contains(r#"<h2 id="overskrift">Overskrift<a"#));
    assert!(!html.contains("<script>x()"));
}

#[tokio::test]
async fn an_editor_runs_a_fact_sheet_through_its_life_in_the_workspace() {
    let app = TestApp::new().await;
    let successor = app.published_sheet("60", "Etterfølger", "Ny tekst.\n").await;
    let mut b = signed_in(&app, "Siri", Role::Editor).await;
    let res = b
        .post(
            "/redaksjon/dokumenter/ny",
            &[
                ("kind", "fact_sheet"),
                ("number", "99"),
                ("language", "nb"),
                ("title", "Prøveark"),
                ("body", "# Innhold\n\nFørste tekst.\n"),
                ("handling", "lagre"),
            ],
        )
        .await;
    res.assert_status(303);
    let page = res.header("location");
    assert!(page.starts_with("/redaksjon/dokumenter/"));
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    assert!(assert_html(&b.get(&page).await, 200).contains("Dokumentet er opprettet som utkast."));
    assert_html(&app.get("/faktaark/99").await, 404);

    let form = assert_html(&b.get(&format!("/redaksjon/dokumenter/{id}/publiser")).await, 200);
    assert!(form.contains("Publiser utkastet"));
    let etag = format!("\"{id}.1\"");
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/publiser"),
            &[
                ("language", "nb"),
                ("change_kind", "substantive"),
                ("change_note", "Første versjon"),
                ("etag", &etag),
            ],
        )
        .await;
    res.assert_status(303);
    assert!(assert_html(&b.get(&page).await, 200).contains("Versjon 1.0 er publisert."));
    assert!(assert_html(&app.get("/faktaark/99").await, 200).contains("Første tekst."));
    assert!(assert_html(&app.get("/sok?q=Prøveark").await, 200).contains(r#"href="/faktaark/99""#));

    // A stale ETag is refused with the form kept.
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/trekk-tilbake"),
            &[("reason", "Utdatert"), ("etag", &etag)],
        )
        .await;
    let html = assert_html(&res, 412);
    assert!(html.contains("endret av noen andre") && html.contains("Utdatert"));

    // An unknown successor is a field error.
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/trekk-tilbake"),
            &[("reason", "Utdatert"), ("successors", "/faktaark/12345")],
        )
        .await;
    assert!(assert_html(&res, 422).contains("Fant ikke et gjeldende dokument"));

    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/trekk-tilbake"),
            &[("reason", "Utdatert etter ny lov"), ("successors", "/faktaark/60")],
        )
        .await;
    res.assert_status(303);
    let html = assert_html(&app.get("/faktaark/99").await, 200);
    assert!(html.contains("Utdatert etter ny lov") && html.contains(r#"href="/faktaark/60""#));
    let _ = successor;
}

#[tokio::test]
async fn a_reviewer_reads_drafts_but_cannot_change_anything() {
    let app = TestApp::new().await;
    let id = app.published_sheet("30", "Mobilt utstyr", "Tekst.\n").await;
    app.draft(id, "Utkasttekst for komiteen.\n").await.assert_status(201);
    let mut b = signed_in(&app, "Rita", Role::Reviewer).await;
    let html = assert_html(&b.get(&format!("/redaksjon/dokumenter/{id}/utkast/nb")).await, 200);
    assert!(html.contains("Utkasttekst for komiteen.") && html.contains("ikke publisert"));
    let html = assert_html(
        &b.get(&format!("/redaksjon/dokumenter/{id}/sammenlign?fra=1.0&til=draft"))
            .await,
        200,
    );
    assert!(html.contains("<ins>"));
    assert_html(&b.get("/redaksjon/dokumenter/ny").await, 403);
    assert_unchanged!(app, {
        let res = b
            .post(
                &format!("/redaksjon/dokumenter/{id}/trekk-tilbake"),
                &[("reason", "Ikke lov")],
            )
            .await;
        assert_html(&res, 403);
    });
}

#[tokio::test]
async fn decisions_and_revision_needs_through_forms() {
    let app = TestApp::new().await;
    let id = app.published_sheet("55", "Trusselutsatte", "Tekst.\n").await;
    let mut b = signed_in(&app, "Siri", Role::Editor).await;
    let res = b
        .post(
            "/redaksjon/vedtak/ny",
            &[
                ("case_number", "23-25"),
                ("meeting_date", "2025-13-01"),
                ("title", "Sak"),
            ],
        )
        .await;
    let html = assert_html(&res, 422);
    assert!(html.contains("nummer/år") && html.contains("møtedatoen"));
    let res = b
        .post(
            "/redaksjon/vedtak/ny",
            &[
                ("case_number", "23/25"),
                ("meeting_date", "2025-09-16"),
                ("title", "Sanering"),
            ],
        )
        .await;
    res.assert_status(303);
    assert!(assert_html(&b.get("/redaksjon/vedtak").await, 200).contains("Sanering"));

    let uri = format!("/redaksjon/dokumenter/{id}/revisjonsbehov/ny");
    let res = b
        .post(
            &uri,
            &[
                ("title", "Feil i avsnitt 2"),
                ("kind", "error"),
                ("origin", "external_report"),
                ("priority", "1"),
            ],
        )
        .await;
    assert!(assert_html(&res, 422).contains("Skriv hvem som meldte behovet"));
    let res = b
        .post(
            &uri,
            &[
                ("title", "Feil i avsnitt 2"),
                ("kind", "error"),
                ("origin", "external_report"),
                ("origin_reference", "Brev fra Bufdir"),
                ("priority", "1"),
                ("public", "on"),
            ],
        )
        .await;
    res.assert_status(303);
    let html = assert_html(&app.get("/faktaark/55").await, 200);
    assert!(html.contains("Kjente feil og planlagte endringer") && html.contains("Feil i avsnitt 2"));

    let dash = assert_html(&b.get("/redaksjon").await, 200);
    assert!(dash.contains("Feil i avsnitt 2"));
    let need = dash
        .split("/redaksjon/revisjonsbehov/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let res = b
        .post(&format!("/redaksjon/revisjonsbehov/{need}"), &[("state", "resolved")])
        .await;
    assert_html(&res, 422);
    let res = b
        .post(&format!("/redaksjon/revisjonsbehov/{need}"), &[("state", "accepted")])
        .await;
    res.assert_status(303);
    assert!(assert_html(&b.get(&format!("/redaksjon/revisjonsbehov/{need}")).await, 200).contains("Akseptert"));
}

#[tokio::test]
async fn repeated_failed_sign_ins_slow_down() {
    let app = TestApp::new().await;
    let hash = users::hash_password(PASSWORD).unwrap();
    users::add_user(&app.db, "Siri", Role::Editor, Some(hash))
        .await
        .unwrap();
    let mut b = Browser::new(&app);
    b.get("/redaksjon/logg-inn").await.assert_status(200);
    for _ in 0..3 {
        let res = b
            .post(
                "/redaksjon/logg-inn",
                &[("navn", "Siri"), ("passord", "feil-passord-her")],
            )
            .await;
        assert_html(&res, 401);
    }
    // The fourth attempt right away is refused before the password is checked, even a right one.
    let res = b
        .post("/redaksjon/logg-inn", &[("navn", "siri "), ("passord", PASSWORD)])
        .await;
    assert!(assert_html(&res, 429).contains("For mange mislykkede innlogginger"));
    b.get("/redaksjon").await.assert_status(303);
    // After the wait the right password works again and clears the count.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let res = b
        .post("/redaksjon/logg-inn", &[("navn", "Siri"), ("passord", PASSWORD)])
        .await;
    res.assert_status(303);
    b.get("/redaksjon").await.assert_status(200);
}

#[tokio::test]
async fn readers_of_a_withdrawn_sheet_can_see_how_the_successor_differs() {
    let app = TestApp::new().await;
    let (_old, new) = withdrawn_sheet(&app).await;
    let html = assert_html(&app.get("/faktaark/08").await, 200);
    let link = format!("/faktaark/08/sammenlign-med-etterfolger?etterfolger={new}");
    assert!(html.contains(&link), "{html}");
    let html = assert_html(&app.get(&link).await, 200);
    assert!(html.contains("Sammenlign med det som erstatter"));
    assert!(
        html.contains("Avviksbehandling 1.0 sammenlignet med Nytt ark om avvik 1.0"),
        "{html}"
    );
    assert!(html.contains("<del>") && html.contains("<ins>"));
    assert!(html.contains("successor-diff"), "a .diff download");
    assert!(
        !html.contains(r#"<form method="get""#),
        "no version choice between two documents"
    );
    // Not a successor, or not withdrawn: a clear 4xx page.
    assert_html(
        &app.get("/faktaark/08/sammenlign-med-etterfolger?etterfolger=999").await,
        404,
    );
    assert_html(&app.get("/faktaark/60/sammenlign-med-etterfolger").await, 409);
    assert_html(
        &app.get("/faktaark/08/sammenlign-med-etterfolger?etterfolger=abc").await,
        400,
    );
}

#[tokio::test]
async fn a_deeply_nested_body_gets_a_message_by_the_field_and_no_preview() {
    let app = TestApp::new().await;
    let mut b = signed_in(&app, "Dina", Role::Editor).await;
    let deep = format!("{} x\n", ">".repeat(20_000));
    for handling in ["", "forhandsvis"] {
        let res = assert_unchanged!(
            app,
            b.post(
                "/redaksjon/dokumenter/ny",
                &[
                    ("kind", "guide"),
                    ("language", "nb"),
                    ("title", "Dypt"),
                    ("body", deep.as_str()),
                    ("handling", handling),
                ],
            )
            .await
        );
        let html = assert_html(&res, 422);
        assert!(html.contains("Teksten er nestet for dypt"), "no message by the field");
        assert!(html.contains(r#"id="f-body-error""#) && html.contains(r##"<a href="#f-body">"##));
        assert!(!html.contains("<blockquote>"), "the body was rendered");
    }
}
