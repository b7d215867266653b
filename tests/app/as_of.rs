//! The registry as of a date: `as_of` on the document list and on one document, the `/per`
//! pages and a document's "Vis slik det var". A date counts from its start.

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Faktaark 37: 1.0 on 2024-03-01, 2.0 on 2024-06-30, withdrawn on 2025-09-16.
async fn sheet_with_history(app: &TestApp) -> i64 {
    let id = app
        .published_sheet_on("37", "Tilgangsstyring", "Første tekst.\n", "2024-03-01")
        .await;
    app.draft(id, "Andre tekst.\n").await.assert_status(201);
    app.post(
        &format!("/api/v1/documents/{id}/publish"),
        json!({"change_kind": "substantive", "change_note": "Andre versjon", "published_on": "2024-06-30"}),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Erstattet", "withdrawn_on": "2025-09-16"}),
    )
    .await
    .assert_status(200);
    id
}

async fn list(app: &TestApp, query: &str) -> Value {
    let res = app.get(&format!("/api/v1/documents?{query}")).await;
    res.assert_status(200);
    res.json()
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_list_as_of_a_date_has_the_status_and_version_of_that_day() {
    let app = TestApp::new().await;
    let id = sheet_with_history(&app).await;

    let before = list(&app, "as_of=2024-02-29").await;
    assert_eq!((before["total"].as_u64(), ids(&before)), (Some(0), vec![]), "{before}");
    assert_eq!(before["as_of"], "2024-02-29");

    // Published on the day: in force on it.
    let first = list(&app, "as_of=2024-03-01").await;
    assert_eq!(ids(&first), vec![id], "{first}");
    assert_eq!(first["items"][0]["status"], "published");
    assert_eq!(first["items"][0]["current_version"]["label"], "1.0");
    assert_eq!(first["items"][0]["current_version"]["published_on"], "2024-03-01");

    // The day before the second version, the first was still in force.
    let eve = list(&app, "as_of=2024-06-29").await;
    assert_eq!(eve["items"][0]["current_version"]["label"], "1.0", "{eve}");
    let second = list(&app, "as_of=2024-06-30").await;
    assert_eq!(second["items"][0]["current_version"]["label"], "2.0", "{second}");
    assert_eq!(second["items"][0]["title"], "Tilgangsstyring");

    // Withdrawn on 2025-09-16: published the day before, withdrawn on the day.
    let day_before = list(&app, "as_of=2025-09-15").await;
    assert_eq!(day_before["items"][0]["status"], "published", "{day_before}");
    let on_the_day = list(&app, "as_of=2025-09-16").await;
    assert_eq!(on_the_day["items"][0]["status"], "withdrawn", "{on_the_day}");
    assert_eq!(on_the_day["items"][0]["current_version"]["label"], "2.0");

    // Without as_of the list is today's, and echoes no date.
    let now = list(&app, "").await;
    assert_eq!(now["items"][0]["status"], "withdrawn");
    assert!(now.get("as_of").is_none(), "{now}");
}

#[tokio::test]
async fn status_and_language_filter_as_of_the_date_and_paging_holds() {
    let app = TestApp::new().await;
    let old = sheet_with_history(&app).await;
    let young = app.published_sheet_on("38", "Logging", "Tekst.\n", "2025-01-10").await;

    let published = list(&app, "as_of=2025-09-15&status=published").await;
    assert_eq!(
        (published["total"].as_u64(), ids(&published)),
        (Some(2), vec![old, young])
    );
    let withdrawn = list(&app, "as_of=2025-09-16&status=withdrawn").await;
    assert_eq!((withdrawn["total"].as_u64(), ids(&withdrawn)), (Some(1), vec![old]));
    let still = list(&app, "as_of=2025-09-16&status=published").await;
    assert_eq!(ids(&still), vec![young]);
    assert_eq!(list(&app, "as_of=2024-12-31&status=withdrawn").await["total"], 0);

    let paged = list(&app, "as_of=2025-09-16&limit=1&offset=1").await;
    assert_eq!((paged["total"].as_u64(), ids(&paged)), (Some(2), vec![young]));

    // An English translation published today is not in force on a date in the past.
    app.post(
        &format!("/api/v1/documents/{young}/translations"),
        json!({"language": "en", "source_label": "1.0", "title": "Logging", "body": "Text.\n"}),
    )
    .await
    .assert_status(201);
    app.publish(young, "en", "substantive", "Translated")
        .await
        .assert_status(200);
    assert_eq!(ids(&list(&app, "lang=en").await), vec![young]);
    assert_eq!(list(&app, "as_of=2025-09-16&lang=en").await["total"], 0);
    assert_eq!(ids(&list(&app, "as_of=9999-12-31&lang=en").await), vec![young]);
}

#[tokio::test]
async fn a_reinstated_document_was_withdrawn_only_until_its_reinstatement() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet_on("39", "Gjeninnsatt", "Tekst.\n", "2024-03-01")
        .await;
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Ved en feil", "withdrawn_on": "2024-06-01"}),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/v1/documents/{id}/reinstate"),
        json!({"reason": "Gjelder likevel"}),
    )
    .await
    .assert_status(200);
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let then = list(&app, &format!("as_of={yesterday}")).await;
    assert_eq!(then["items"][0]["status"], "withdrawn", "{then}");
    assert_eq!(
        list(&app, &format!("as_of={yesterday}&status=withdrawn")).await["total"],
        1
    );
    let today = chrono::Utc::now().date_naive().to_string();
    let now = list(&app, &format!("as_of={today}&status=published")).await;
    assert_eq!(ids(&now), vec![id], "{now}");
}

#[tokio::test]
async fn one_document_as_of_a_date() {
    let app = TestApp::new().await;
    let id = sheet_with_history(&app).await;
    let res = app.get(&format!("/api/v1/documents/{id}?as_of=2024-07-01")).await;
    res.assert_status(200);
    let doc = res.json();
    assert_eq!(doc["as_of"], "2024-07-01");
    assert_eq!(doc["status"], "published");
    assert_eq!(doc["current_version"]["label"], "2.0");
    assert_eq!(doc["withdrawn_on"], Value::Null);
    assert_eq!(
        doc["versions"],
        json!([{"language": "nb", "label": "2.0", "title": "Tilgangsstyring", "published_on": "2024-06-30"}])
    );

    let gone = app
        .get(&format!("/api/v1/documents/{id}?as_of=2025-09-16"))
        .await
        .json();
    assert_eq!(
        (&gone["status"], &gone["withdrawn_on"]),
        (&json!("withdrawn"), &json!("2025-09-16"))
    );

    app.get(&format!("/api/v1/documents/{id}?as_of=2024-02-29"))
        .await
        .assert_problem(404, "not published yet on 2024-02-29");
}

#[tokio::test]
async fn a_draft_never_shows_as_of_any_date() {
    let app = TestApp::new().await;
    let published = app
        .published_sheet_on("37", "Publisert", "Tekst.\n", "2024-03-01")
        .await;
    let draft = app.create("fact_sheet", Some("99"), "Bare utkast", "Hemmelig.\n").await;
    // A new draft of the published one is not in force either.
    app.draft(published, "Utkasttekst.\n").await.assert_status(201);

    let far = list(&app, "as_of=9999-12-31").await;
    assert_eq!(ids(&far), vec![published], "{far}");
    assert_eq!(far["items"][0]["current_version"]["label"], "1.0");
    let staff = app
        .get_as("/api/v1/documents?as_of=9999-12-31", &app.editor)
        .await
        .json();
    assert_eq!(ids(&staff), vec![published], "{staff}");
    assert_eq!(list(&app, "as_of=9999-12-31&status=draft").await["total"], 0);
    app.get(&format!("/api/v1/documents/{draft}?as_of=9999-12-31"))
        .await
        .assert_status(404);
    app.get_as(&format!("/api/v1/documents/{draft}?as_of=9999-12-31"), &app.editor)
        .await
        .assert_status(404);
    let page = app.get("/per/9999-12-31").await.text();
    assert!(!page.contains("Bare utkast"), "{page}");
    assert!(!page.contains("Utkasttekst"), "{page}");
}

#[tokio::test]
async fn a_date_that_cannot_be_read_is_a_422() {
    let app = TestApp::new().await;
    let id = sheet_with_history(&app).await;
    for bad in ["2024-02-30", "x", "2024-6-30", "30.06.2024"] {
        let res = app.get(&format!("/api/v1/documents?as_of={bad}")).await;
        res.assert_problem(422, "as_of");
        app.get(&format!("/api/v1/documents/{id}?as_of={bad}"))
            .await
            .assert_problem(422, "YYYY-MM-DD");
    }
    // Far in the future is fine: the registry as it stands.
    assert_eq!(list(&app, "as_of=9999-12-31").await["total"], 1);
}

#[tokio::test]
async fn the_per_page_lists_what_was_in_force_with_the_notice() {
    let app = TestApp::new().await;
    sheet_with_history(&app).await;
    let res = app.get("/per/2024-06-30").await;
    res.assert_status(200);
    let html = res.text();
    assert!(
        html.contains(
            "Historisk visning: slik registeret så ut 30. juni 2024.</strong> <a href=\"/\">Se gjeldende innhold.</a>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/faktaark/37/per/2024-06-30\">Tilgangsstyring</a>"),
        "{html}"
    );
    assert!(html.contains("<td>2.0</td>"), "{html}");
    assert!(html.contains("<td>Faktaark</td>"), "{html}");
    assert!(html.contains("<td>Gjeldende</td>"), "{html}");
    assert!(!html.contains("<script"), "{html}");

    let before = app.get("/per/2024-06-29").await.text();
    assert!(before.contains("<td>1.0</td>"), "{before}");
    let withdrawn = app.get("/per/2025-09-16").await.text();
    assert!(
        withdrawn.contains("<span class=\"tag tag-withdrawn\">Utgått</span>"),
        "{withdrawn}"
    );
    let empty = app.get("/per/2020-01-01").await.text();
    assert!(empty.contains("Ingen dokumenter var publisert denne dagen."), "{empty}");
}

#[tokio::test]
async fn the_per_form_redirects_and_a_bad_date_is_shown_by_its_field() {
    let app = TestApp::new().await;
    let res = app.get("/per?dato=2024-06-30").await;
    res.assert_status(303);
    assert_eq!(res.header("location"), "/per/2024-06-30");

    let form = app.get("/per").await;
    form.assert_status(200);
    assert!(form.text().contains("name=\"dato\""), "{}", form.text());

    for uri in ["/per?dato=2024-02-30", "/per/2024-02-30", "/per/x"] {
        let res = app.get(uri).await;
        res.assert_status(422);
        let html = res.text();
        assert!(html.contains("id=\"f-dato-error\""), "{uri}: {html}");
        assert!(html.contains("Skriv en dato som finnes"), "{uri}: {html}");
        assert!(html.contains("aria-invalid=\"true\""), "{uri}: {html}");
    }
}

#[tokio::test]
async fn a_document_page_has_the_form_and_its_historical_page_the_notice() {
    let app = TestApp::new().await;
    sheet_with_history(&app).await;
    let page = app.get("/faktaark/37").await.text();
    assert!(page.contains("Vis slik det var"), "{page}");
    assert!(
        page.contains("<form method=\"get\" action=\"/faktaark/37/per\""),
        "{page}"
    );
    assert!(!page.contains("Historisk visning"), "{page}");

    let res = app.get("/faktaark/37/per?dato=2024-06-29").await;
    res.assert_status(303);
    assert_eq!(res.header("location"), "/faktaark/37/per/2024-06-29");

    let res = app.get("/faktaark/37/per/2024-06-29").await;
    res.assert_status(200);
    let html = res.text();
    assert!(
        html.contains("Historisk visning: slik dokumentet så ut 29. juni 2024.</strong> <a href=\"/faktaark/37\">Se gjeldende innhold.</a>"),
        "{html}"
    );
    // The version in force then, rendered as its own old-version page.
    assert!(html.contains("Første tekst."), "{html}");
    assert!(!html.contains("Andre tekst."), "{html}");
    assert!(html.contains("Dette er en eldre versjon."), "{html}");
    assert!(html.contains("/faktaark/37/versjon/1.0\">"), "{html}");
    // It was not withdrawn then: no banner.
    assert!(!html.contains("banner-withdrawn"), "{html}");

    let gone = app.get("/faktaark/37/per/2025-09-16").await.text();
    assert!(
        gone.contains("Dokumentet var utgått denne dagen, fra 16. september 2025."),
        "{gone}"
    );
    assert!(gone.contains("banner-withdrawn"), "{gone}");
    assert!(gone.contains("Andre tekst."), "{gone}");

    let early = app.get("/faktaark/37/per/2024-02-29").await;
    early.assert_status(404);
    assert!(
        early.text().contains("Dokumentet var ikke publisert ennå denne dagen."),
        "{}",
        early.text()
    );

    for uri in ["/faktaark/37/per/2024-02-30", "/faktaark/37/per?dato=nei"] {
        let res = app.get(uri).await;
        res.assert_status(422);
        let html = res.text();
        assert!(html.contains("id=\"f-dato-error\""), "{uri}: {html}");
        assert!(html.contains("Skriv en dato som finnes"), "{uri}: {html}");
    }
}

#[tokio::test]
async fn a_withdrawal_whose_date_is_unknown_counts_from_the_day_it_was_recorded() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet_on("01", "Ansvar og organisering", "Tekst.\n", "2012-03-01")
        .await;
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Sanert", "date_unknown": true}),
    )
    .await
    .assert_status(200);
    let today = chrono::Utc::now().date_naive();
    let yesterday = today.pred_opt().unwrap();
    // Before it was recorded it may still have been in force: the view cannot say it was not.
    let then = app
        .get(&format!("/api/v1/documents/{id}?as_of={yesterday}"))
        .await
        .json();
    assert_eq!(then["status"], "published", "{then}");
    let now = app.get(&format!("/api/v1/documents/{id}?as_of={today}")).await.json();
    assert_eq!(now["status"], "withdrawn", "{now}");
    // The list agrees (the SQL and the rule are one).
    let listed = list(&app, &format!("as_of={today}&status=withdrawn")).await;
    assert_eq!(ids(&listed), [id], "{listed}");
    let listed = list(&app, &format!("as_of={yesterday}&status=withdrawn")).await;
    assert!(ids(&listed).is_empty(), "{listed}");
    // The historical page of today says the date is unknown.
    let page = app.get(&format!("/faktaark/01/per/{today}")).await.text();
    assert!(page.contains("dato ukjent"), "{page}");
}

#[tokio::test]
async fn the_per_page_lists_by_kind_then_title_whatever_order_they_came_in() {
    let app = TestApp::new().await;
    for (number, title) in [("40", "Åpenhet"), ("41", "Behandlingsgrunnlag"), ("42", "Zonering")] {
        app.published_sheet_on(number, title, "Tekst.", "2024-01-02").await;
    }
    let guide = app.create("guide", None, "Veileder om avvik", "Tekst.").await;
    app.post(
        &format!("/api/v1/documents/{guide}/publish"),
        serde_json::json!({"language": "nb", "change_kind": "substantive", "change_note": "Første", "published_on": "2024-01-02"}),
    )
    .await
    .assert_status(200);
    let html = app.get("/per/2024-06-30").await.text();
    let at = |t: &str| {
        html.find(&format!(">{t}</a>"))
            .unwrap_or_else(|| panic!("{t} missing: {html}"))
    };
    assert!(at("Behandlingsgrunnlag") < at("Zonering"), "{html}");
    assert!(at("Zonering") < at("Åpenhet"), "Å after Z: {html}");
    assert!(
        at("Åpenhet") < at("Veileder om avvik"),
        "fact sheets before guides: {html}"
    );
}
