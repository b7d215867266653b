//! The steering group's meetings through the API: the call with its *forslag til vedtak*, the
//! outcome that becomes the decision others cite, the minutes, and the public case page; the
//! secretary's stories end to end (an error report, a withdrawal), and bad input refused with
//! nothing changed.

use axum::http::Method;
use serde_json::{Value, json};

use crate::assert_unchanged;
use crate::helpers::{TestApp, assert_round_trip};
use normen_registry::services::export;

/// A meeting some days ahead, planned, and its id.
async fn meeting(app: &TestApp, date: &str) -> i64 {
    let res = app
        .post(
            "/api/v1/meetings",
            json!({"date": date, "title": "Styringsgruppemøte i Normen", "place": "Digitalt møte", "starts_at": "10:00", "ends_at": "14:00"}),
        )
        .await;
    res.assert_status(201);
    let m = res.json();
    assert_eq!(m["state"], "planned");
    m["id"].as_i64().unwrap()
}

fn future(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

async fn item(app: &TestApp, meeting: i64, body: Value) -> Value {
    let res = app.post(&format!("/api/v1/meetings/{meeting}/items"), body).await;
    res.assert_status(201);
    res.json()
}

async fn outcome(app: &TestApp, meeting: i64, item: i64, body: Value) -> crate::helpers::TestResponse {
    app.post(&format!("/api/v1/meetings/{meeting}/items/{item}/outcome"), body)
        .await
}

#[tokio::test]
async fn an_error_report_goes_through_a_meeting_to_a_corrected_version_and_the_case_page_lists_it() {
    let app = TestApp::new().await;
    let doc = app
        .published_sheet(
            "55",
            "Trusselutsatte personer med adressesperre",
            "# Adressesperre\n\nFeil opplysning.\n",
        )
        .await;
    let need = app
        .post(
            &format!("/api/v1/documents/{doc}/revision-needs"),
            json!({"title": "Feil i faktaarket", "description": "Flere feil er meldt.", "origin": "external_report",
                   "origin_reference": "Brev fra Bufdir", "kind": "error", "priority": 1, "public": true}),
        )
        .await;
    need.assert_status(201);
    let need = need.json()["id"].as_i64().unwrap();
    let date = future(10);
    let m = meeting(&app, &date).await;
    let year = &date[2..4];

    // Proposed on the next meeting: the item is prefilled from the need and numbered in sequence.
    let proposed = app
        .post(&format!("/api/v1/revision-needs/{need}/propose"), json!({}))
        .await;
    proposed.assert_status(201);
    let proposed = proposed.json();
    assert_eq!(proposed["meeting_id"], m);
    assert_eq!(proposed["case"], format!("1/{year}"));
    assert_eq!(proposed["kind"], "decision");
    assert!(
        proposed["title"].as_str().unwrap().contains("faktaark 55"),
        "{proposed}"
    );
    assert_eq!(proposed["documents"][0]["id"], doc);
    assert_eq!(proposed["revision_needs"][0]["id"], need);
    let item_id = proposed["id"].as_i64().unwrap();
    let case = proposed["case"].as_str().unwrap().to_string();
    let slug = case.replace('/', "-");

    // Not decided yet: citing the case is refused, and says why.
    app.post(
        &format!("/api/v1/documents/{doc}/drafts"),
        json!({"body": "# Adressesperre\n\nRiktig opplysning.\n"}),
    )
    .await
    .assert_status(201);
    let early = assert_unchanged!(
        app,
        app.post(
            &format!("/api/v1/documents/{doc}/publish"),
            json!({"change_kind": "editorial", "change_note": "Feil rettet", "decision": case}),
        )
        .await
    );
    early.assert_problem(422, "only a decided case can be cited");

    // The call carries the proposal.
    let call = app
        .get_as(&format!("/api/v1/meetings/{m}/agenda.md"), &app.editor.clone())
        .await;
    call.assert_status(200);
    assert!(call.header("content-type").starts_with("text/markdown"));
    let call = call.text();
    assert!(
        call.contains(&format!("## Sak {case}: Oppdatering av faktaark 55")),
        "{call}"
    );
    assert!(call.contains("Forslag til vedtak: Sekretariatet retter"), "{call}");
    assert!(call.contains("Sted: Digitalt møte"), "{call}");
    assert!(call.contains("10:00–14:00"), "{call}");

    // Decided with the proposal as adopted; the meeting is held.
    let decided = outcome(&app, m, item_id, json!({"status": "decided"})).await;
    decided.assert_status(200);
    assert_eq!(decided.json()["outcome"], "decided");
    assert!(
        decided.json()["outcome_text"]
            .as_str()
            .unwrap()
            .starts_with("Sekretariatet retter")
    );
    let shown = app
        .get_as(&format!("/api/v1/meetings/{m}"), &app.editor.clone())
        .await
        .json();
    assert_eq!(shown["state"], "held");
    let decisions = app.get("/api/v1/decisions").await.json();
    assert!(
        decisions["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["case_number"] == case)
    );

    // The corrected version cites the case; the need is resolved by it.
    app.post(
        &format!("/api/v1/documents/{doc}/publish"),
        json!({"change_kind": "editorial", "change_note": "Feil rettet", "decision": case}),
    )
    .await
    .assert_status(200);
    for state in ["accepted", "planned", "in_revision"] {
        let mut body = json!({"state": state});
        if state == "planned" {
            body["period"] = json!("2026-H2");
        }
        app.post(&format!("/api/v1/revision-needs/{need}/state"), body)
            .await
            .assert_status(200);
    }
    app.post(
        &format!("/api/v1/revision-needs/{need}/state"),
        json!({"state": "resolved", "resolved_label": "1.1"}),
    )
    .await
    .assert_status(200);

    // The minutes show the decision.
    let minutes = app.get(&format!("/api/v1/meetings/{m}/minutes.md")).await;
    minutes.assert_status(200);
    let minutes = minutes.text();
    assert!(minutes.contains(&format!("## Sak {case}")), "{minutes}");
    assert!(minutes.contains("Vedtak: Sekretariatet retter"), "{minutes}");

    // The case lists the meeting, the decision, the version and the need.
    let c = app.get(&format!("/api/v1/cases/{slug}")).await;
    c.assert_status(200);
    let c = c.json();
    assert_eq!(c["case"], case);
    assert_eq!(c["items"][0]["meeting"]["id"], m);
    assert!(
        c["decision"]["outcome"]
            .as_str()
            .unwrap()
            .starts_with("Sekretariatet retter")
    );
    assert_eq!(c["versions"][0]["label"], "1.1");
    assert_eq!(c["versions"][0]["document"]["id"], doc);
    assert_eq!(c["revision_needs"][0]["id"], need);

    let page = app.get(&format!("/sak/{slug}")).await;
    page.assert_status(200);
    let html = page.text();
    assert!(html.contains(&format!("Sak {case}")), "{html}");
    assert!(html.contains("/faktaark/55/versjon/1.1"), "{html}");
    assert!(html.contains(&format!("/moter/{m}")), "{html}");
    // The document's history links to the case.
    let history = app.get("/faktaark/55").await.text();
    assert!(
        history.contains(&format!("/sak/{slug}")),
        "the history links to the case"
    );
}

#[tokio::test]
async fn the_withdrawal_cases_of_2025_cite_their_decisions_and_the_banner_links_the_case() {
    let app = TestApp::new().await;
    let fa37 = app
        .published_sheet_on(
            "37",
            "Sikkerhetskrav og sikkerhetsdokumentasjon i IKT-prosjekter",
            "# Krav\n\nTekst.\n",
            "2016-01-01",
        )
        .await;
    let fa0 = app
        .published_sheet_on("0", "Målgrupper i faktaark", "# Målgrupper\n\nTekst.\n", "2016-01-01")
        .await;
    let res = app
        .post(
            "/api/v1/meetings",
            json!({"date": "2025-09-16", "title": "Styringsgruppemøte i Normen", "place": "Helsedirektoratet – Vitaminveien 4 - Oslo", "state": "called"}),
        )
        .await;
    res.assert_status(201);
    let m = res.json()["id"].as_i64().unwrap();
    let i23 = item(
        &app,
        m,
        json!({"case": "23/25", "kind": "decision", "title": "Sanering av faktaark 37 – Sikkerhetskrav og sikkerhetsdokumentasjon i IKT-prosjekter",
               "background": "Faktaarket er utdatert og lite spesifikt rettet mot helsesektoren.",
               "proposal": "Styringsgruppen vedtar at faktaark 37 saneres.", "documents": [fa37]}),
    )
    .await;
    let i24 = item(
        &app,
        m,
        json!({"case": "24/25", "kind": "decision", "title": "Sanering av Målgrupper i faktaark (faktaark 0)",
               "proposal": "Styringsgruppen vedtar at faktaark 0 saneres.", "documents": [fa0]}),
    )
    .await;
    assert_eq!((i23["position"].as_i64(), i24["position"].as_i64()), (Some(1), Some(2)));
    for (i, doc) in [(&i23, fa37), (&i24, fa0)] {
        outcome(&app, m, i["id"].as_i64().unwrap(), json!({"status": "decided"}))
            .await
            .assert_status(200);
        app.post(
            &format!("/api/v1/documents/{doc}/withdraw"),
            json!({"reason": "Utdatert", "decision": i["case"], "withdrawn_on": "2025-09-16"}),
        )
        .await
        .assert_status(200);
    }
    let c = app.get("/api/v1/cases/23-25").await.json();
    assert_eq!(c["withdrawals"][0]["document"]["id"], fa37);
    assert_eq!(c["withdrawals"][0]["withdrawn_on"], "2025-09-16");
    let banner = app.get("/faktaark/37").await.text();
    assert!(banner.contains("/sak/23-25"), "the withdrawn banner links the case");
    let feed = app.get("/faktaark/37/endringer.atom").await.text();
    assert!(feed.contains("/sak/23-25"), "the Atom entry links the case");
    let meeting_page = app.get(&format!("/moter/{m}")).await;
    meeting_page.assert_status(200);
    let html = meeting_page.text();
    assert!(html.contains("/sak/23-25") && html.contains("/sak/24-25"), "{html}");

    // A decided and cited case stays decided.
    let undo = assert_unchanged!(
        app,
        outcome(&app, m, i23["id"].as_i64().unwrap(), json!({"status": "deferred"})).await
    );
    undo.assert_problem(409, "stays decided");

    let mut out = Vec::new();
    export::export(&app.db, &mut out).await.unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.contains(r#""type":"meeting""#) && text.contains(r#""type":"agenda_item""#));
    assert!(text.contains(r#""type":"agenda_item_link""#));
    assert_round_trip(&out).await;
}

#[tokio::test]
async fn a_reused_number_is_recorded_as_the_paper_has_it_with_a_warning_and_new_numbers_follow() {
    let app = TestApp::new().await;
    let res = app
        .post(
            "/api/v1/meetings",
            json!({"date": "2023-09-27", "title": "Styringsgruppemøte i Normen", "place": "Digitalt møte", "state": "held"}),
        )
        .await;
    let m = res.json()["id"].as_i64().unwrap();
    let a = item(
        &app,
        m,
        json!({"case": "27/23", "kind": "decision", "title": "Handlingsplan 2024"}),
    )
    .await;
    let b = item(
        &app,
        m,
        json!({"case": "27/23", "kind": "information", "title": "Eventuelt"}),
    )
    .await;
    assert_ne!(a["id"], b["id"]);
    let public = app.get(&format!("/api/v1/meetings/{m}")).await.json();
    assert!(
        public["warnings"].as_array().unwrap().is_empty(),
        "warnings are for the secretariat"
    );
    let shown = app
        .get_as(&format!("/api/v1/meetings/{m}"), &app.editor.clone())
        .await
        .json();
    assert_eq!(shown["items"][0]["repeated_case"], true);
    assert_eq!(shown["items"][1]["repeated_case"], true);
    assert!(shown["warnings"][0].as_str().unwrap().contains("27/23"), "{shown}");
    assert_eq!(shown["next_case"], "28/23");
    let next = item(&app, m, json!({"kind": "information", "title": "Neste sak"})).await;
    assert_eq!(next["case"], "28/23");

    // Information is noted, not decided; the other 27/23 can be decided once only.
    let wrong = assert_unchanged!(
        app,
        outcome(
            &app,
            m,
            b["id"].as_i64().unwrap(),
            json!({"status": "decided", "text": "x"})
        )
        .await
    );
    wrong.assert_problem(422, "information");
    outcome(
        &app,
        m,
        a["id"].as_i64().unwrap(),
        json!({"status": "decided", "text": "Planen drøftes videre."}),
    )
    .await
    .assert_status(200);
    outcome(&app, m, b["id"].as_i64().unwrap(), json!({"status": "noted"}))
        .await
        .assert_status(200);
    let c = app.get("/api/v1/cases/27-23").await.json();
    assert_eq!(c["items"].as_array().unwrap().len(), 2);
    assert_eq!(c["decision"]["meeting_date"], "2023-09-27");
    // A corrected meeting date moves the decisions taken at it.
    app.json(
        Method::PATCH,
        &format!("/api/v1/meetings/{m}"),
        Some(&app.editor.clone()),
        &json!({"date": "2023-09-28"}),
        &[],
    )
    .await
    .assert_status(200);
    let c = app.get("/api/v1/cases/27-23").await.json();
    assert_eq!(c["decision"]["meeting_date"], "2023-09-28");
    let minutes = app.get(&format!("/api/v1/meetings/{m}/minutes.md")).await.text();
    assert!(minutes.contains("Vedtak: Planen drøftes videre."), "{minutes}");
    assert!(minutes.contains("Tatt til orientering."), "{minutes}");
}

#[tokio::test]
async fn bad_meetings_items_and_outcomes_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let m = meeting(&app, &future(5)).await;
    let it = item(
        &app,
        m,
        json!({"case": "40/26", "kind": "decision", "title": "Sak", "proposal": "Forslag"}),
    )
    .await;
    let it = it["id"].as_i64().unwrap();
    let cases: Vec<(Method, String, Value, u16, &str)> = vec![
        (
            Method::POST,
            "/api/v1/meetings".into(),
            json!({"date": "2026-01-01", "title": "", "place": "X"}),
            422,
            "title",
        ),
        (
            Method::POST,
            "/api/v1/meetings".into(),
            json!({"date": "2026-01-01", "title": "M", "place": "X", "starts_at": "25:00"}),
            422,
            "25:00",
        ),
        (
            Method::POST,
            "/api/v1/meetings".into(),
            json!({"date": "2026-01-01", "title": "M", "place": ""}),
            422,
            "place",
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{m}/items"),
            json!({"case": "23", "kind": "decision", "title": "T"}),
            422,
            "case",
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{m}/items"),
            json!({"kind": "beslutning", "title": "T"}),
            422,
            "kind",
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{m}/items"),
            json!({"kind": "decision", "title": "T", "documents": [999]}),
            422,
            "document 999",
        ),
        (
            Method::POST,
            "/api/v1/meetings/9999/items".into(),
            json!({"kind": "decision", "title": "T"}),
            404,
            "meeting",
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{m}/items/9999/outcome"),
            json!({"status": "decided"}),
            404,
            "agenda item",
        ),
        (
            Method::POST,
            format!("/api/v1/meetings/{m}/items/{it}/outcome"),
            json!({"status": "vedtatt"}),
            422,
            "status",
        ),
        (
            Method::PATCH,
            format!("/api/v1/meetings/{m}"),
            json!({"state": "planned"}),
            409,
            "planned already",
        ),
        (
            Method::POST,
            "/api/v1/documents/9999/propose-withdrawal".into(),
            json!({}),
            404,
            "document",
        ),
    ];
    for (method, uri, body, status, needle) in cases {
        let res = assert_unchanged!(app, app.json(method, &uri, Some(&app.editor.clone()), &body, &[]).await);
        res.assert_problem(status, needle);
    }
    // An empty change changes nothing and says so plainly.
    let same = app
        .json(
            Method::PATCH,
            &format!("/api/v1/meetings/{m}"),
            Some(&app.editor.clone()),
            &json!({}),
            &[],
        )
        .await;
    same.assert_status(200);
    assert_eq!(same.json()["state"], "planned");
    // Citing a case nobody has put on an agenda.
    let doc = app.published_sheet("12", "Ark", "# A\n\nB.\n").await;
    let res = assert_unchanged!(
        app,
        app.post(
            &format!("/api/v1/documents/{doc}/withdraw"),
            json!({"reason": "Utdatert", "decision": "77/26"})
        )
        .await
    );
    res.assert_problem(422, "unknown decision 77/26");
    // The public and reviewers cannot write.
    let res = assert_unchanged!(
        app,
        app.json(
            Method::POST,
            "/api/v1/meetings",
            None,
            &json!({"date": "2026-01-01", "title": "M", "place": "X"}),
            &[]
        )
        .await
    );
    assert_eq!(res.status, 401);
    let res = assert_unchanged!(
        app,
        app.json(
            Method::POST,
            &format!("/api/v1/meetings/{m}/items/{it}/outcome"),
            Some(&app.reviewer.clone()),
            &json!({"status": "decided"}),
            &[]
        )
        .await
    );
    assert_eq!(res.status, 403);
}

#[tokio::test]
async fn a_planned_meeting_and_draft_documents_stay_out_of_public_view() {
    let app = TestApp::new().await;
    let m = meeting(&app, &future(3)).await;
    let draft = app
        .create("fact_sheet", Some("90"), "Hemmelig utkast om KI", "# KI\n\nUtkast.\n")
        .await;
    item(
        &app,
        m,
        json!({"case": "3/26", "kind": "decision", "title": "Forslag om faktaark om KI", "documents": [draft]}),
    )
    .await;
    app.get(&format!("/api/v1/meetings/{m}")).await.assert_status(404);
    app.get(&format!("/api/v1/meetings/{m}/agenda.md"))
        .await
        .assert_status(404);
    app.get("/api/v1/cases/3-26").await.assert_status(404);
    app.get(&format!("/moter/{m}")).await.assert_status(404);
    assert!(
        app.get("/api/v1/meetings").await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Called: the public sees the agenda, but not the draft it links to.
    app.json(
        Method::PATCH,
        &format!("/api/v1/meetings/{m}"),
        Some(&app.editor.clone()),
        &json!({"state": "called"}),
        &[],
    )
    .await
    .assert_status(200);
    let public = app.get(&format!("/api/v1/meetings/{m}")).await;
    public.assert_status(200);
    let text = public.text();
    assert!(text.contains("Forslag om faktaark om KI"));
    assert!(!text.contains("Hemmelig utkast"), "a draft's title leaked: {text}");
    assert!(!app.get("/sak/3-26").await.text().contains("Hemmelig utkast"));
    let staff = app
        .get_as(&format!("/api/v1/meetings/{m}"), &app.editor.clone())
        .await
        .text();
    assert!(staff.contains("Hemmelig utkast"), "staff see the draft it links to");
}

#[tokio::test]
async fn the_demo_holds_both_seed_meetings_with_their_cases_as_the_papers_have_them() {
    let app = TestApp::new().await;
    normen_registry::services::demo::load(&app.db).await.unwrap();
    let list = app.get("/api/v1/meetings").await.json();
    let dates: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2025-09-16", "2023-09-27"]);
    let m2025 = list["items"][0]["id"].as_i64().unwrap();
    let m = app.get(&format!("/api/v1/meetings/{m2025}")).await.json();
    assert_eq!(m["place"], "Helsedirektoratet – Vitaminveien 4 - Oslo");
    assert_eq!(m["state"], "held");
    let cases: Vec<&str> = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["case"].as_str().unwrap())
        .collect();
    assert_eq!(cases.first(), Some(&"16/25"));
    assert_eq!(cases.last(), Some(&"32/25"));
    assert_eq!(
        cases.iter().filter(|c| **c == "29/25").count(),
        2,
        "the paper's reused number stays"
    );
    let i23 = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["case"] == "23/25")
        .unwrap();
    assert_eq!(i23["outcome"], "decided");
    assert_eq!(i23["documents"][0]["number"], "37");
    let i25 = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["case"] == "25/25")
        .unwrap();
    assert_eq!(
        i25["outcome_text"],
        "Sekretariatet rettet opp feilen, og publiserer ny versjon når den er klar."
    );
    // An item the papers give no outcome for has none.
    let i18 = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["case"] == "18/25")
        .unwrap();
    assert!(i18["outcome"].is_null());
    let call = app.get(&format!("/api/v1/meetings/{m2025}/agenda.md")).await.text();
    assert!(call.contains("Møtetidspunkt: Tirsdag 16.09.2025 10:00–16:00"), "{call}");
    assert!(call.contains("Forslag til vedtak: Styringsgruppen godkjenner innkalling og dagsorden"));
    let case = app.get("/api/v1/cases/25-25").await.json();
    assert_eq!(case["revision_needs"][0]["title"], "Feil meldt av Bufdir", "{case}");
    assert_eq!(case["items"][0]["item"]["documents"][0]["number"], "55");
    app.get("/sak/23-25").await.assert_status(200);
    app.get(&format!("/moter/{m2025}")).await.assert_status(200);
}

#[tokio::test]
async fn the_secretary_builds_the_agenda_records_the_outcome_and_prints_the_minutes_through_the_forms() {
    let app = TestApp::new().await;
    let doc = app
        .published_sheet("55", "Trusselutsatte personer med adressesperre", "# A\n\nB.\n")
        .await;
    let need = app
        .post(
            &format!("/api/v1/documents/{doc}/revision-needs"),
            json!({"title": "Feil meldt av Bufdir", "origin": "external_report", "origin_reference": "Brev fra Bufdir",
                   "kind": "error", "priority": 1}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let mut b = crate::web::signed_in(&app, "Siri Sekretær", normen_registry::domain::Role::Editor).await;

    // No meeting yet: proposing says so.
    let none = b.get(&format!("/redaksjon/foreslag?behov={need}")).await;
    assert_eq!(none.status, 409, "{}", none.text());

    // A bad time is named by its field, and nothing is stored.
    b.get("/redaksjon/moter/ny").await.assert_status(200);
    let date = future(14);
    let bad = assert_unchanged!(
        app,
        b.post(
            "/redaksjon/moter/ny",
            &[
                ("date", date.as_str()),
                ("title", "Styringsgruppemøte i Normen"),
                ("place", "Digitalt møte"),
                ("starts_at", "kl ti"),
                ("ends_at", "")
            ],
        )
        .await
    );
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("Skriv klokkeslettet som tt:mm"), "{}", bad.text());
    let made = b
        .post(
            "/redaksjon/moter/ny",
            &[
                ("date", date.as_str()),
                ("title", "Styringsgruppemøte i Normen"),
                ("place", "Digitalt møte"),
                ("starts_at", "10:00"),
                ("ends_at", "14:00"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.text());
    let meeting_url = made.header("location");
    let m: i64 = meeting_url.rsplit('/').next().unwrap().parse().unwrap();

    // "Foreslå på neste møte" opens the new-case form prefilled from the need.
    let go = b.get(&format!("/redaksjon/foreslag?behov={need}")).await;
    assert_eq!(go.status, 303);
    let form = b.get(&go.header("location")).await;
    form.assert_status(200);
    let html = form.text();
    assert!(html.contains("Oppdatering av faktaark 55"), "{html}");
    assert!(
        html.contains(&format!("value=\"{need}\"")),
        "the need travels with the form"
    );
    let year = &date[2..4];
    let case = format!("1/{year}");
    let added = b
        .post(
            &format!("/redaksjon/moter/{m}/saker/ny"),
            &[
                ("case", case.as_str()),
                ("kind", "decision"),
                (
                    "title",
                    "Oppdatering av faktaark 55 – Trusselutsatte personer med adressesperre",
                ),
                ("background", "Flere feil er meldt i brev fra Bufdir."),
                ("proposal", "Sekretariatet retter feilene og publiserer ny versjon."),
                ("presenter", ""),
                ("starts_at", "10:10"),
                ("documents", &doc.to_string()),
                ("revision_needs", &need.to_string()),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.text());
    let page = b.get(&meeting_url).await.text();
    assert!(page.contains(&format!("Sak {case} er satt på dagsordenen.")), "{page}");
    assert!(
        page.contains("Forslag til vedtak:</strong> Sekretariatet retter feilene"),
        "{page}"
    );
    // Called: the public sees it.
    let called = b
        .post(&format!("/redaksjon/moter/{m}/status"), &[("state", "called")])
        .await;
    assert_eq!(called.status, 303);
    app.get(&format!("/moter/{m}")).await.assert_status(200);
    let call = b.get(&format!("/redaksjon/moter/{m}/innkalling")).await.text();
    assert!(
        call.contains("Forslag til vedtak: Sekretariatet retter feilene"),
        "{call}"
    );

    // The outcome, through its form.
    let shown = app
        .get_as(&format!("/api/v1/meetings/{m}"), &app.editor.clone())
        .await
        .json();
    let item = shown["items"][0]["id"].as_i64().unwrap();
    let outcome_url = format!("/redaksjon/moter/{m}/saker/{item}/utfall");
    let form = b.get(&outcome_url).await.text();
    assert!(
        form.contains("Sekretariatet retter feilene"),
        "the form offers the proposal"
    );
    let refused = assert_unchanged!(app, b.post(&outcome_url, &[("status", ""), ("text", "x")]).await);
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("Velg utfallet"));
    let done = b
        .post(
            &outcome_url,
            &[
                ("status", "decided"),
                ("text", "Sekretariatet retter feilene og publiserer ny versjon."),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text());
    let minutes = b.get(&format!("/redaksjon/moter/{m}/referat")).await.text();
    assert!(
        minutes.contains("Vedtak: Sekretariatet retter feilene og publiserer ny versjon."),
        "{minutes}"
    );
    let public = app.get(&format!("/sak/{}", case.replace('/', "-"))).await.text();
    assert!(public.contains("Sekretariatet retter feilene og publiserer ny versjon."));
    assert!(public.contains("/faktaark/55"), "{public}");

    // A reviewer reads the agenda but gets no forms.
    let mut r = crate::web::signed_in(&app, "Rita Redaksjonskomité", normen_registry::domain::Role::Reviewer).await;
    let page = r.get(&meeting_url).await.text();
    assert!(!page.contains("Registrer utfall") && !page.contains("Rett utfallet"));
    assert_eq!(r.get(&format!("/redaksjon/moter/{m}/saker/ny")).await.status, 403);
}

#[tokio::test]
async fn a_plan_item_goes_to_the_next_meeting_and_its_case_lists_the_plan() {
    let app = TestApp::new().await;
    let m = meeting(&app, &future(7)).await;
    let plan = app
        .post(
            "/api/v1/plans/2026-H2/items",
            json!({"title": "Faktaark om KI", "kind": "new_document", "priority": 1}),
        )
        .await;
    plan.assert_status(201);
    let plan_id = plan.json()["id"].as_i64().unwrap();
    // The board's "Foreslå på neste møte" opens the new-case form prefilled from the item.
    let mut b = crate::web::signed_in(&app, "Siri Sekretær", normen_registry::domain::Role::Editor).await;
    let board = b.get("/redaksjon/plan/2026-H2").await.text();
    assert!(
        board.contains(&format!("/redaksjon/foreslag?planpunkt={plan_id}")),
        "{board}"
    );
    let go = b.get(&format!("/redaksjon/foreslag?planpunkt={plan_id}")).await;
    assert_eq!(go.status, 303);
    let form = b.get(&go.header("location")).await.text();
    assert!(form.contains("Fra handlingsplanen for 2026-H2."), "{form}");
    assert!(
        form.contains(&format!("name=\"plan_items\" value=\"{plan_id}\"")),
        "{form}"
    );
    let proposed = app
        .post(&format!("/api/v1/plan-items/{plan_id}/propose"), json!({}))
        .await;
    proposed.assert_status(201);
    let proposed = proposed.json();
    assert_eq!(proposed["meeting_id"], m);
    assert_eq!(proposed["title"], "Faktaark om KI");
    assert_eq!(proposed["plan_items"][0]["id"], plan_id);
    assert_eq!(proposed["plan_items"][0]["period"], "2026-H2");
    let item = proposed["id"].as_i64().unwrap();
    outcome(
        &app,
        m,
        item,
        json!({"status": "decided", "text": "Det utarbeides et faktaark om KI."}),
    )
    .await
    .assert_status(200);
    let case = proposed["case"].as_str().unwrap().replace('/', "-");
    let c = app.get(&format!("/api/v1/cases/{case}")).await.json();
    assert_eq!(c["plan_items"][0]["title"], "Faktaark om KI", "{c}");
    let page = app.get(&format!("/sak/{case}")).await.text();
    assert!(page.contains("Faktaark om KI (handlingsplan 2026-H2)"), "{page}");
    // An unknown plan item is refused and changes nothing.
    let res = assert_unchanged!(app, app.post("/api/v1/plan-items/9999/propose", json!({})).await);
    res.assert_problem(404, "plan item");
    let res = assert_unchanged!(
        app,
        app.post(
            &format!("/api/v1/meetings/{m}/items"),
            json!({"kind": "decision", "title": "T", "plan_items": [9999]})
        )
        .await
    );
    res.assert_problem(422, "plan item 9999");
}
