//! Records that can be corrected: a document's number, slug, Normen version and review
//! interval, through the API and the form, each audited and behind `If-Match`; an old address
//! answers 301 to the new one, forever.

use axum::http::Method;
use serde_json::{Value, json};

use normen_registry::domain::Role;

use crate::assert_unchanged;
use crate::helpers::{TestApp, assert_round_trip};
use crate::web::signed_in;
use normen_registry::services::export;

async fn change(app: &TestApp, id: i64, body: Value, etag: Option<&str>) -> crate::helpers::TestResponse {
    let headers: Vec<(&str, &str)> = etag.map(|e| vec![("if-match", e)]).unwrap_or_default();
    app.json(
        Method::PATCH,
        &format!("/api/v1/documents/{id}"),
        Some(&app.editor.clone()),
        &body,
        &headers,
    )
    .await
}

#[tokio::test]
async fn a_new_number_moves_the_page_and_the_old_address_answers_301() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet("37", "Tilgangsstyring", "# Krav\n\nEgen konto.\n")
        .await;
    let etag = app
        .get_as(&format!("/api/v1/documents/{id}"), &app.editor.clone())
        .await
        .header("etag");
    let res = change(
        &app,
        id,
        json!({"number": "38", "normen_version": "7.0", "review_interval_months": 24}),
        Some(&etag),
    )
    .await;
    res.assert_status(200);
    let doc = res.json();
    assert_eq!(doc["number"], "38");
    assert_eq!(doc["url"], "/faktaark/38");
    assert_eq!(doc["normen_version"], "7.0");
    assert_eq!(doc["review"]["interval_months"], 24);

    app.get("/faktaark/38").await.assert_status(200);
    for (old, new) in [
        ("/faktaark/37", "/faktaark/38"),
        ("/faktaark/37/versjon/1.0", "/faktaark/38/versjon/1.0"),
        (
            "/faktaark/37/sammenlign?fra=1.0&til=1.0",
            "/faktaark/38/sammenlign?fra=1.0&til=1.0",
        ),
        ("/faktaark/37/endringer.atom", "/faktaark/38/endringer.atom"),
    ] {
        let res = app.get(old).await;
        res.assert_status(301);
        assert_eq!(res.header("location"), new, "{old}");
    }
    // Search finds it at the new address.
    let hits = app.get("/api/v1/search?q=tilgangsstyring").await.json();
    assert_eq!(hits["hits"][0]["url"], "/faktaark/38");
    // The change is audited.
    let audit = app.get_as("/api/v1/audit", &app.admin.clone()).await.json();
    assert!(audit.to_string().contains("document.change"), "{audit}");

    // Moving back gives the address back: no redirect loop.
    change(&app, id, json!({"number": "37"}), None).await.assert_status(200);
    app.get("/faktaark/37").await.assert_status(200);
    let res = app.get("/faktaark/38").await;
    res.assert_status(301);
    assert_eq!(res.header("location"), "/faktaark/37");
    // An address nobody had stays a 404.
    app.get("/faktaark/39").await.assert_status(404);

    // The old addresses are part of the registry: an export round trip keeps them.
    let mut first = Vec::new();
    export::export(&app.db, &mut first).await.unwrap();
    assert!(String::from_utf8_lossy(&first).contains(r#""type":"path_alias","path":"/faktaark/38""#));
    assert_round_trip(&first).await;
}

#[tokio::test]
async fn a_guide_gets_a_new_slug_and_the_old_one_redirects() {
    let app = TestApp::new().await;
    let id = app.create("guide", None, "Veileder om logging", "x").await;
    app.publish(id, "nb", "substantive", "Første").await.assert_status(200);
    change(&app, id, json!({"slug": "logging"}), None)
        .await
        .assert_status(200);
    let res = app.get("/veileder/veileder-om-logging?lang=nb").await;
    res.assert_status(301);
    assert_eq!(res.header("location"), "/veileder/logging?lang=nb");
    app.get("/veileder/logging").await.assert_status(200);
}

#[tokio::test]
async fn bad_corrections_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let a = app.published_sheet("1", "En", "x").await;
    app.published_sheet("2", "To", "y").await;
    let g = app.create("guide", None, "Veileder", "z").await;
    for (body, status, needle) in [
        (json!({"number": "02"}), 409, "exists already"),
        (json!({"number": "abc"}), 422, "digits"),
        (json!({"slug": "Store Bokstaver"}), 422, "lowercase"),
        (json!({"normen_version": "sju"}), 422, "normen_version"),
        (json!({"review_interval_months": 0}), 422, "review_interval_months"),
        (json!({"review_interval_months": 121}), 422, "review_interval_months"),
        (json!({"title": "Ny"}), 422, "unknown field"),
    ] {
        assert_unchanged!(app, change(&app, a, body, None).await.assert_problem(status, needle));
    }
    let taken = app.get(&format!("/api/v1/documents/{g}")).await;
    let slug = app
        .get_as(&format!("/api/v1/documents/{g}"), &app.editor.clone())
        .await
        .json()["slug"]
        .clone();
    assert_eq!(taken.status.as_u16(), 404, "a draft guide is not public");
    assert_unchanged!(
        app,
        change(&app, a, json!({"slug": slug}), None)
            .await
            .assert_problem(409, "taken")
    );
    assert_unchanged!(
        app,
        change(&app, a, json!({"number": "9"}), Some("\"1.1\""))
            .await
            .assert_problem(412, "")
    );
    assert_unchanged!(
        app,
        app.json(
            Method::PATCH,
            &format!("/api/v1/documents/{a}"),
            Some(&app.reviewer.clone()),
            &json!({"number": "9"}),
            &[],
        )
        .await
        .assert_problem(403, "")
    );
}

#[tokio::test]
async fn an_editor_corrects_a_number_in_the_form() {
    let app = TestApp::new().await;
    let id = app.published_sheet("20a", "Tilgang", "x").await;
    app.published_sheet("21", "Annen", "y").await;
    let mut b = signed_in(&app, "Eva Skjema", Role::Editor).await;
    let form = b.get(&format!("/redaksjon/dokumenter/{id}/rediger")).await;
    form.assert_status(200);
    assert!(form.text().contains(r#"value="20a""#));
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/rediger"),
            &[("number", "021"), ("slug", "tilgang"), ("review_interval_months", "36")],
        )
        .await;
    // The taken number stands by its field, as on the new-document form.
    res.assert_status(422);
    assert!(
        res.text()
            .contains("Det finnes allerede et faktaark med dette nummeret")
    );
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/rediger"),
            &[
                ("number", "22"),
                ("slug", "tilgang"),
                ("review_interval_months", "mange"),
            ],
        )
        .await;
    res.assert_status(422);
    assert!(res.text().contains("Skriv antall måneder som et tall"));
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/rediger"),
            &[("number", "22"), ("slug", "tilgang"), ("review_interval_months", "12")],
        )
        .await;
    res.assert_status(303);
    let res = app.get("/faktaark/20a").await;
    res.assert_status(301);
    assert_eq!(res.header("location"), "/faktaark/22");
    let doc = app.get(&format!("/api/v1/documents/{id}")).await.json();
    assert_eq!(doc["review"]["interval_months"], 12);
}

#[tokio::test]
async fn a_withdrawal_resolves_the_needs_that_proposed_it() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Gammelt faktaark", "x").await;
    let other = app.published_sheet("38", "Annet", "y").await;
    for (case, title) in [("23/25", "Sanering av faktaark"), ("25/25", "Rettelser")] {
        app.post(
            "/api/v1/decisions",
            json!({"case_number": case, "meeting_date": "2025-06-12", "title": title}),
        )
        .await
        .assert_status(201);
    }
    let need = |title: &str, case: &str| json!({"title": title, "origin": "decision", "decision": case, "kind": "substantive", "priority": 1, "public": true});
    let proposed = app
        .post(
            &format!("/api/v1/documents/{id}/revision-needs"),
            need("Foreslått sanert", "23/25"),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let unrelated = app
        .post(
            &format!("/api/v1/documents/{id}/revision-needs"),
            need("Rettelse", "25/25"),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let named = app
        .post(
            &format!("/api/v1/documents/{id}/revision-needs"),
            json!({"title": "Intern", "origin": "internal", "kind": "error", "priority": 2}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let elsewhere = app
        .post(
            &format!("/api/v1/documents/{other}/revision-needs"),
            json!({"title": "Annet", "origin": "internal", "kind": "error", "priority": 2}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    // A need of another document cannot be resolved by this withdrawal: nothing changes.
    assert_unchanged!(
        app,
        app.post(
            &format!("/api/v1/documents/{id}/withdraw"),
            json!({"reason": "Sanert", "decision": "23/25", "resolves": [elsewhere]}),
        )
        .await
        .assert_problem(422, "is not one of")
    );
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Sanert", "decision": "23/25", "resolves": [named]}),
    )
    .await
    .assert_status(200);
    let needs = app
        .get_as(&format!("/api/v1/documents/{id}/revision-needs"), &app.editor.clone())
        .await
        .json();
    let state = |nid: i64| {
        let n = needs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == nid)
            .unwrap()
            .clone();
        (
            n["state"].as_str().unwrap().to_string(),
            n["resolved_withdrawal_id"].is_number(),
        )
    };
    assert_eq!(state(proposed), ("resolved".into(), true), "the case that proposed it");
    assert_eq!(state(named), ("resolved".into(), true), "named in the withdrawal");
    assert_eq!(
        state(unrelated),
        ("reported".into(), false),
        "another case's need stays open"
    );
    // The public page no longer lists the proposal as a known issue.
    let page = app.get("/faktaark/37").await.text();
    assert!(!page.contains("Foreslått sanert"), "{page}");
}

#[tokio::test]
async fn a_withdrawal_names_a_replacement_outside_the_registry() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Prosjektstyring", "x").await;
    let url = "https://www.digdir.no/prosjektveiviseren";
    for bad in ["javascript:alert(1)", "https://", "https://x.no/a b"] {
        assert_unchanged!(
            app,
            app.post(
                &format!("/api/v1/documents/{id}/withdraw"),
                json!({"reason": "Sanert", "external_successors": [{"title": "X", "url": bad}]}),
            )
            .await
            .assert_problem(422, "address")
        );
    }
    assert_unchanged!(
        app,
        app.post(
            &format!("/api/v1/documents/{id}/withdraw"),
            json!({"reason": "Sanert", "external_successors": [{"title": " ", "url": url}]}),
        )
        .await
        .assert_problem(422, "title")
    );
    let res = app
        .post(
            &format!("/api/v1/documents/{id}/withdraw"),
            json!({"reason": "Sanert", "external_successors": [{"title": "Prosjektveiviseren (Digdir)", "url": url}]}),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["withdrawal"]["external_successors"][0]["url"], url);
    let page = app.get("/faktaark/37").await.text();
    assert!(
        page.contains(&format!(r#"<a href="{url}">Prosjektveiviseren (Digdir)</a>"#)),
        "{page}"
    );

    // In the export, and back.
    let mut first = Vec::new();
    export::export(&app.db, &mut first).await.unwrap();
    assert!(String::from_utf8_lossy(&first).contains(r#""type":"external_successor""#));
    assert_round_trip(&first).await;
}

#[tokio::test]
async fn the_withdraw_form_takes_a_replacement_outside_the_registry() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Prosjektstyring", "x").await;
    let mut b = signed_in(&app, "Eva Trekk", Role::Editor).await;
    b.get(&format!("/redaksjon/dokumenter/{id}/trekk-tilbake"))
        .await
        .assert_status(200);
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/trekk-tilbake"),
            &[("reason", "Sanert"), ("external_successors", "bare tekst uten adresse")],
        )
        .await;
    res.assert_status(422);
    assert!(res.text().contains("Skriv tittelen og så adressen"), "{}", res.text());
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/trekk-tilbake"),
            &[
                ("reason", "Sanert"),
                (
                    "external_successors",
                    "Prosjektveiviseren (Digdir) – https://www.digdir.no/prosjektveiviseren",
                ),
            ],
        )
        .await;
    res.assert_status(303);
    let page = app.get("/faktaark/37").await.text();
    assert!(page.contains(">Prosjektveiviseren (Digdir)</a>"), "{page}");
}

async fn patch(app: &TestApp, path: &str, body: Value, etag: &str) -> crate::helpers::TestResponse {
    app.json(
        Method::PATCH,
        path,
        Some(&app.editor.clone()),
        &body,
        &[("if-match", etag)],
    )
    .await
}

#[tokio::test]
async fn a_decision_is_corrected_behind_if_match_and_audited() {
    let app = TestApp::new().await;
    let res = app
        .post(
            "/api/v1/decisions",
            json!({"case_number": "23/25", "meeting_date": "2025-09-16", "title": "Sanering av faktaark",
                "outcome": "Faktaark 37 saneres"}),
        )
        .await;
    res.assert_status(201);
    let d = res.json();
    let (id, etag) = (d["id"].as_i64().unwrap(), d["etag"].as_str().unwrap().to_string());
    let path = format!("/api/v1/decisions/{id}");
    // A stale copy, a control character and a blank title change nothing.
    assert_unchanged!(
        app,
        patch(&app, &path, json!({"title": "Ny"}), "\"decision-1-0000\"").await
    )
    .assert_problem(412, "changed since");
    assert_unchanged!(app, patch(&app, &path, json!({"outcome": "a\u{7}b"}), &etag).await).assert_status(422);
    assert_unchanged!(app, patch(&app, &path, json!({"title": "  "}), &etag).await).assert_status(422);

    let res = patch(
        &app,
        &path,
        json!({"outcome": "Faktaark 37 saneres. Innholdet dekkes av Prosjektveiviseren."}),
        &etag,
    )
    .await;
    res.assert_status(200);
    let changed = res.json();
    assert_eq!(changed["title"], "Sanering av faktaark");
    assert_eq!(
        changed["outcome"],
        "Faktaark 37 saneres. Innholdet dekkes av Prosjektveiviseren."
    );
    assert_ne!(changed["etag"], etag.as_str(), "a correction gives a new ETag");
    assert_eq!(res.header("etag"), changed["etag"].as_str().unwrap());
    // The old ETag is stale now.
    patch(&app, &path, json!({"title": "Igjen"}), &etag)
        .await
        .assert_status(412);
    let list = app.get("/api/v1/decisions").await.json();
    assert_eq!(
        list["items"][0]["outcome"],
        "Faktaark 37 saneres. Innholdet dekkes av Prosjektveiviseren."
    );
    let audit = app.get_as("/api/v1/audit?limit=3", &app.admin).await.text();
    assert!(
        audit.contains("decision.change") && audit.contains("outcome_before"),
        "{audit}"
    );
    // The reviewer reads, never corrects.
    app.json(
        Method::PATCH,
        &path,
        Some(&app.reviewer.clone()),
        &json!({"title": "x"}),
        &[],
    )
    .await
    .assert_status(403);
}

#[tokio::test]
async fn a_planned_need_moves_to_another_half_year_and_a_closed_one_stays() {
    let app = TestApp::new().await;
    let id = app.published_sheet("12", "Logging", "# Logging\n\nLogg.\n").await;
    let need = app
        .post(
            &format!("/api/v1/documents/{id}/revision-needs"),
            json!({"title": "Oppdater etter ny lov", "origin": "action_plan", "kind": "legal_change",
                "priority": 2, "period": "2026-H1"}),
        )
        .await
        .json();
    let nid = need["id"].as_i64().unwrap();
    for state in ["accepted", "planned"] {
        app.post(&format!("/api/v1/revision-needs/{nid}/state"), json!({"state": state}))
            .await
            .assert_status(200);
    }
    let path = format!("/api/v1/revision-needs/{nid}");
    let current = app.get_as(&path, &app.reviewer).await;
    current.assert_status(200);
    let etag = current.header("etag");
    assert_eq!(current.json()["state"], "planned");
    // Bad input changes nothing: a period that is no half-year, a priority of 5.
    assert_unchanged!(app, patch(&app, &path, json!({"period": "2026-H3"}), &etag).await).assert_status(422);
    assert_unchanged!(app, patch(&app, &path, json!({"priority": 5}), &etag).await).assert_status(422);

    let res = patch(
        &app,
        &path,
        json!({"period": "2026-H2", "priority": 1, "section": "3.2 Loggkontroll",
            "description": "Utsatt: venter på forskriften"}),
        &etag,
    )
    .await;
    res.assert_status(200);
    let n = res.json();
    assert_eq!(n["period"], "2026-H2");
    assert_eq!(n["state"], "planned", "the need stays planned, in its new half-year");
    assert_eq!(n["priority"], 1);
    assert_eq!(n["section"], "3.2 Loggkontroll");
    assert_eq!(n["description"], "Utsatt: venter på forskriften");
    patch(&app, &path, json!({"priority": 3}), &etag)
        .await
        .assert_problem(412, "changed since");

    // An external report keeps who sent it.
    let report = app
        .post(
            &format!("/api/v1/documents/{id}/revision-needs"),
            json!({"title": "Feil lenke", "origin": "external_report", "origin_reference": "Brev fra Bufdir",
                "kind": "error", "priority": 1}),
        )
        .await
        .json();
    let rpath = format!("/api/v1/revision-needs/{}", report["id"]);
    let retag = report["etag"].as_str().unwrap().to_string();
    assert_unchanged!(app, patch(&app, &rpath, json!({"origin_reference": ""}), &retag).await).assert_status(422);
    // A closed need keeps its facts.
    app.post(&format!("{rpath}/state"), json!({"state": "rejected"}))
        .await
        .assert_status(200);
    let retag = app.get_as(&rpath, &app.editor).await.header("etag");
    assert_unchanged!(app, patch(&app, &rpath, json!({"priority": 2}), &retag).await).assert_problem(409, "closed");
}

#[tokio::test]
async fn a_relation_is_removed_and_the_pages_follow() {
    let app = TestApp::new().await;
    let a = app.published_sheet("20", "Tilgangsstyring", "# A\n\nTekst.\n").await;
    let b = app.published_sheet("21", "Logging", "# B\n\nTekst.\n").await;
    app.post(
        &format!("/api/v1/documents/{a}/relations"),
        json!({"kind": "related", "to_document_id": b}),
    )
    .await
    .assert_status(200);
    let page = app.get("/faktaark/20").await.text();
    assert!(page.contains("/faktaark/21"), "a related document is shown: {page}");
    let other = app.get("/faktaark/21").await.text();
    assert!(other.contains("/faktaark/20"), "and from the other side: {other}");

    let path = format!("/api/v1/documents/{a}/relations/related/{b}");
    let editor = app.editor.clone();
    assert_unchanged!(
        app,
        app.send(
            Method::DELETE,
            &format!("/api/v1/documents/{a}/relations/replaced_by/{b}"),
            Some(&editor),
            None,
            &[]
        )
        .await
    )
    .assert_status(404);
    assert_unchanged!(
        app,
        app.send(
            Method::DELETE,
            &format!("/api/v1/documents/{a}/relations/cousin/{b}"),
            Some(&editor),
            None,
            &[]
        )
        .await
    )
    .assert_status(422);
    let res = app.send(Method::DELETE, &path, Some(&editor), None, &[]).await;
    res.assert_status(200);
    assert_eq!(res.json()["relations"], json!([]));
    assert!(!app.get("/faktaark/20").await.text().contains("/faktaark/21"));
    let audit = app.get_as("/api/v1/audit?limit=2", &app.admin).await.text();
    assert!(audit.contains("relation.remove"), "{audit}");

    // A withdrawn sheet naming a successor: the successor's page says what it replaces.
    app.post(
        &format!("/api/v1/documents/{a}/withdraw"),
        json!({"reason": "Dekkes av Faktaark 21", "successors": [b]}),
    )
    .await
    .assert_status(200);
    let page = app.get("/faktaark/21").await.text();
    let at = page.find("Erstatter").expect("a Replaces section");
    assert!(page[at..].contains("/faktaark/20"), "{page}");
}

#[tokio::test]
async fn a_law_change_creates_needs_on_three_sheets_at_once() {
    let app = TestApp::new().await;
    let a = app
        .published_sheet("10", "Journalføring", "# Journal\n\nTekst.\n")
        .await;
    let b = app.published_sheet("11", "Innsyn", "# Innsyn\n\nTekst.\n").await;
    let c = app.published_sheet("12", "Logging", "# Logging\n\nTekst.\n").await;
    let source = |targets: Value| {
        json!({"title": "Endringer i pasientjournalloven", "reference": "Prop. 152 L (2024-2025)",
            "url": "https://www.regjeringen.no/no/dokumenter/prop.-152-l-20242025/id3099999/",
            "description": "Nye regler for tilgang til journal på tvers av virksomheter.", "targets": targets})
    };
    // Bad input changes nothing: an unknown document, none at all, one twice, a bad address.
    for (body, status) in [
        (source(json!([{"document_id": a}, {"document_id": 9999}])), 422),
        (source(json!([])), 422),
        (source(json!([{"document_id": a}, {"document_id": a}])), 422),
    ] {
        assert_unchanged!(app, app.post("/api/v1/revision-sources", body).await).assert_status(status);
    }
    let mut bad = source(json!([{"document_id": a}]));
    bad["url"] = json!("javascript:alert(1)");
    assert_unchanged!(app, app.post("/api/v1/revision-sources", bad).await).assert_status(422);
    let many: Vec<Value> = (0..101).map(|i| json!({"document_id": i})).collect();
    assert_unchanged!(app, app.post("/api/v1/revision-sources", source(json!(many))).await).assert_status(422);

    let res = app
        .post(
            "/api/v1/revision-sources",
            source(json!([{"document_id": a, "section": "Tilgang"}, {"document_id": b}, {"document_id": c}])),
        )
        .await;
    res.assert_status(201);
    let s = res.json();
    let needs = s["needs"].as_array().unwrap();
    assert_eq!(needs.len(), 3);
    assert_eq!(s["kind"], "legal_change");
    for (n, doc) in needs.iter().zip([a, b, c]) {
        assert_eq!(n["document_id"], doc);
        assert_eq!(n["source_id"], s["id"]);
        assert_eq!(n["origin"], "external_report");
        assert_eq!(n["origin_reference"], "Prop. 152 L (2024-2025)");
        assert_eq!(n["state"], "reported");
    }
    assert_eq!(needs[0]["section"], "Tilgang");
    // Each sheet has its need; the source lists them.
    for doc in [a, b, c] {
        let list = app
            .get_as(&format!("/api/v1/documents/{doc}/revision-needs"), &app.reviewer)
            .await
            .json();
        assert_eq!(list["items"][0]["title"], "Endringer i pasientjournalloven");
    }
    let one = app
        .get_as(&format!("/api/v1/revision-sources/{}", s["id"]), &app.reviewer)
        .await
        .json();
    assert_eq!(one["needs"].as_array().unwrap().len(), 3);

    // Through export and import, byte for byte.
    let mut out = Vec::new();
    export::export(&app.db, &mut out).await.unwrap();
    assert!(String::from_utf8_lossy(&out).contains("\"type\":\"revision_source\""));
    assert_round_trip(&out).await;
}

/// The `etag` hidden field of a form page.
fn etag_field(html: &str) -> String {
    let start = html.find(r#"name="etag" value=""#).expect("etag field") + r#"name="etag" value=""#.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].replace("&#34;", "\"").replace("&quot;", "\"")
}

#[tokio::test]
async fn the_workspace_forms_correct_records_and_record_a_law_change_once() {
    let app = TestApp::new().await;
    let a = app
        .published_sheet("10", "Journalføring", "# Journal\n\nTekst.\n")
        .await;
    let b = app.published_sheet("11", "Innsyn", "# Innsyn\n\nTekst.\n").await;
    app.published_sheet("12", "Logging", "# Logging\n\nTekst.\n").await;
    let mut eva = signed_in(&app, "Eva Retter", Role::Editor).await;

    // A law change on three sheets, by address, number and section.
    eva.get("/redaksjon/kilder/ny").await.assert_status(200);
    let fields = [
        ("title", "Endringer i pasientjournalloven"),
        ("reference", "Prop. 152 L (2024-2025)"),
        ("url", ""),
        ("description", "Tilgang på tvers av virksomheter."),
        ("kind", "legal_change"),
        ("targets", "/faktaark/10 | Tilgang\nFaktaark 11\n12\n/faktaark/99"),
    ];
    let res = assert_unchanged!(app, eva.post("/redaksjon/kilder/ny", &fields).await);
    res.assert_status(422);
    assert!(
        res.text()
            .contains("Fant ikke et gjeldende dokument for «/faktaark/99»"),
        "{}",
        res.text()
    );
    let mut fields = fields;
    fields[5].1 = "/faktaark/10 | Tilgang\nFaktaark 11\n12";
    let res = eva.post("/redaksjon/kilder/ny", &fields).await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    let list = eva.get("/redaksjon/revisjonsbehov").await.text();
    assert!(list.contains("er registrert med 3 revisjonsbehov"), "{list}");
    for doc in [a, b] {
        let needs = app
            .get_as(&format!("/api/v1/documents/{doc}/revision-needs"), &app.reviewer)
            .await
            .json();
        assert_eq!(needs["items"][0]["origin_reference"], "Prop. 152 L (2024-2025)");
    }

    // The need moves to another half-year through its form.
    let nid = app
        .get_as(&format!("/api/v1/documents/{a}/revision-needs"), &app.reviewer)
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let page = eva.get(&format!("/redaksjon/revisjonsbehov/{nid}")).await.text();
    assert!(
        page.contains(&format!("/redaksjon/revisjonsbehov/{nid}/rediger")),
        "{page}"
    );
    let form = eva
        .get(&format!("/redaksjon/revisjonsbehov/{nid}/rediger"))
        .await
        .text();
    let etag = etag_field(&form);
    let change = |period: &'static str, etag: String| {
        vec![
            ("title", "Endringer i pasientjournalloven".to_string()),
            ("description", "Tilgang på tvers av virksomheter.".to_string()),
            ("section", "3.2 Tilgang".to_string()),
            ("priority", "1".to_string()),
            ("origin_reference", "Prop. 152 L (2024-2025)".to_string()),
            ("period", period.to_string()),
            ("etag", etag),
        ]
    };
    let bad = change("2026-H9", etag.clone());
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_unchanged!(
        app,
        eva.post(&format!("/redaksjon/revisjonsbehov/{nid}/rediger"), &bad)
            .await
    )
    .assert_status(422);
    let good = change("2026-H2", etag);
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = eva
        .post(&format!("/redaksjon/revisjonsbehov/{nid}/rediger"), &good)
        .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    let n = app
        .get_as(&format!("/api/v1/revision-needs/{nid}"), &app.reviewer)
        .await
        .json();
    assert_eq!(
        (n["period"].as_str(), n["priority"].as_i64(), n["section"].as_str()),
        (Some("2026-H2"), Some(1), Some("3.2 Tilgang"))
    );
    // The same form again, from the stale copy: 412, nothing changed.
    let res = assert_unchanged!(
        app,
        eva.post(&format!("/redaksjon/revisjonsbehov/{nid}/rediger"), &good)
            .await
    );
    res.assert_status(412);

    // A decision's outcome corrected through its form.
    app.post(
        "/api/v1/decisions",
        json!({"case_number": "23/25", "meeting_date": "2025-09-16", "title": "Sanering", "outcome": "Saneres"}),
    )
    .await
    .assert_status(201);
    let list = eva.get("/redaksjon/vedtak").await.text();
    assert!(list.contains("/redaksjon/vedtak/1/rediger"), "{list}");
    let form = eva.get("/redaksjon/vedtak/1/rediger").await.text();
    let etag = etag_field(&form);
    let res = eva
        .post(
            "/redaksjon/vedtak/1/rediger",
            &[
                ("title", "Sanering av faktaark"),
                ("outcome", "Faktaark 37 saneres."),
                ("etag", &etag),
            ],
        )
        .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    assert!(
        eva.get("/redaksjon/vedtak")
            .await
            .text()
            .contains("Faktaark 37 saneres.")
    );

    // A relation removed with its button on the working page.
    app.post(
        &format!("/api/v1/documents/{a}/relations"),
        json!({"kind": "related", "to_document_id": b}),
    )
    .await
    .assert_status(200);
    let work = eva.get(&format!("/redaksjon/dokumenter/{a}")).await.text();
    assert!(work.contains("Relatert: <a href=\"/faktaark/11\">"), "{work}");
    let etag = etag_field(&work);
    let res = eva
        .post(
            &format!("/redaksjon/dokumenter/{a}/relasjoner/fjern"),
            &[("kind", "related"), ("to", &b.to_string()), ("etag", &etag)],
        )
        .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    assert!(!app.get("/faktaark/10").await.text().contains("/faktaark/11"));
}
