//! The action plan through the real router: items added to a period (created on first use),
//! listed by priority, moved to another period (both boards show it), exported as JSON, CSV
//! and Markdown, adopted by a decision; bad input changes nothing; staff only; the workspace
//! board and its forms; plan rows survive export and import.

use axum::http::Method;
use serde_json::{Value, json};

use normen_registry::domain::Role;
use normen_registry::services::{export, import};

use crate::assert_unchanged;
use crate::helpers::{TestApp, assert_round_trip, fresh_database};
use crate::web::signed_in;

async fn decision(app: &TestApp, case: &str, title: &str) {
    app.post(
        "/api/v1/decisions",
        json!({"case_number": case, "meeting_date": "2025-09-16", "title": title, "outcome": ""}),
    )
    .await
    .assert_status(201);
}

async fn add(app: &TestApp, period: &str, body: Value) -> Value {
    let res = app.post(&format!("/api/v1/plans/{period}/items"), body).await;
    res.assert_status(201);
    res.json()
}

async fn board(app: &TestApp, period: &str) -> Value {
    let res = app.get_as(&format!("/api/v1/plans/{period}"), &app.reviewer).await;
    res.assert_status(200);
    res.json()
}

#[tokio::test]
async fn items_are_listed_by_priority_moved_and_exported() {
    let app = TestApp::new().await;
    decision(&app, "22/25", "Forslag om etablering av faktaark om KI").await;
    decision(&app, "29/25", "Handlingsplan 2026").await;
    let doc = app
        .create("fact_sheet", Some("55"), "Trusselutsatte personer", "Tekst")
        .await;

    // A period comes into being with its first item, drafted.
    assert_eq!(board(&app, "2026-H1").await["items"].as_array().unwrap().len(), 0);
    let ki = add(
        &app,
        "2026-H1",
        json!({"title": "Faktaark om KI", "kind": "new_document", "priority": 1, "case": "22/25"}),
    )
    .await;
    assert_eq!(ki["state"], "proposed");
    assert_eq!(ki["case"], "22/25");
    assert_eq!(ki["document_id"], Value::Null);
    assert!(ki.get("moved_to").is_none(), "moved_to is absent until the item moves");
    let fix = add(
        &app,
        "2026-H1",
        json!({"title": "=HYPERLINK(\"x\"), rettet \"55\"", "kind": "revision", "priority": 2, "document_id": doc, "state": "planned"}),
    )
    .await;
    assert_eq!(fix["document"]["title"], "Trusselutsatte personer");
    let low = add(
        &app,
        "2026-H1",
        json!({"title": "Kartlegging av små virksomheter", "kind": "project", "priority": 3}),
    )
    .await;

    let b = board(&app, "2026-H1").await;
    assert_eq!(b["period"], "2026-H1");
    assert_eq!(b["state"], "drafted");
    let titles: Vec<&str> = b["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles[0], "Faktaark om KI");
    assert_eq!(titles[2], "Kartlegging av små virksomheter");
    let periods = app.get_as("/api/v1/plans", &app.reviewer).await.json();
    assert_eq!(periods["items"][0]["period"], "2026-H1");
    assert_eq!(periods["items"][0]["items"], 3);

    // Filters.
    let only = app
        .get_as("/api/v1/plans/2026-H1?kind=project", &app.reviewer)
        .await
        .json();
    assert_eq!(only["items"].as_array().unwrap().len(), 1);
    let on_sheets = app
        .get_as("/api/v1/plans/2026-H1?document_kind=fact_sheet", &app.reviewer)
        .await
        .json();
    assert_eq!(on_sheets["items"][0]["id"], fix["id"]);
    assert_eq!(on_sheets["items"].as_array().unwrap().len(), 1);
    app.get_as("/api/v1/plans/2026-H1?state=ferdig", &app.reviewer)
        .await
        .assert_problem(422, "plan item state");

    // Moving: the old board shows where it went, the new one where it came from.
    let id = low["id"].as_i64().unwrap();
    let moved = app
        .post(
            &format!("/api/v1/plan-items/{id}/move"),
            json!({"period": "2026-H2", "reason": "Utsatt: mangler kapasitet"}),
        )
        .await;
    moved.assert_status(200);
    let moved = moved.json();
    assert_eq!(moved["period"], "2026-H2");
    assert_eq!(moved["moved_from_item_id"], id);
    assert_eq!(moved["moved_from"], "2026-H1");
    let old = board(&app, "2026-H1").await;
    let old_item = old["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(old_item["moved_to"], "2026-H2");
    assert_eq!(old_item["moved_reason"], "Utsatt: mangler kapasitet");
    let new = board(&app, "2026-H2").await;
    assert_eq!(new["state"], "drafted");
    assert_eq!(new["items"][0]["title"], "Kartlegging av små virksomheter");

    // CSV: a header row, RFC 4180 quoting, formulas neutralised.
    let csv = app.get_as("/api/v1/plans/2026-H1.csv", &app.reviewer).await;
    csv.assert_status(200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let text = csv.text();
    assert!(text.starts_with("id,period,priority,title,kind,state,document_id,document,revision_need_id,case,moved_to,moved_reason,description\r\n"));
    assert!(text.contains(&format!(
        "{},2026-H1,1,Faktaark om KI,new_document,proposed,,,,22/25,,,\r\n",
        ki["id"]
    )));
    assert!(text.contains("\"'=HYPERLINK(\"\"x\"\"), rettet \"\"55\"\"\""), "{text}");
    assert!(text.contains(",2026-H2,Utsatt: mangler kapasitet,"));

    // Markdown for the steering group's paper.
    let md = app.get_as("/api/v1/plans/2026-H1.md", &app.reviewer).await;
    md.assert_status(200);
    assert!(md.header("content-type").starts_with("text/markdown"));
    let md = md.text();
    assert!(md.starts_with("# Handlingsplan 2026-H1\n\nStatus: Utkast\n\n## Prioritet 1\n\n- **Faktaark om KI** (Nytt dokument; foreslått; sak 22/25)\n"), "{md}");
    assert!(md.contains("## Prioritet 3\n\n- **Kartlegging av små virksomheter** (Prosjekt; foreslått) – flyttet til 2026-H2: Utsatt: mangler kapasitet\n"), "{md}");

    // States of items, and adopting the period by a decision.
    let fid = fix["id"].as_i64().unwrap();
    let st = app
        .post(
            &format!("/api/v1/plan-items/{fid}/state"),
            json!({"state": "in_progress"}),
        )
        .await;
    st.assert_status(200);
    assert_eq!(st.json()["state"], "in_progress");
    app.post("/api/v1/plans/2026-H1/state", json!({"state": "discussed"}))
        .await
        .assert_status(200);
    let adopted = app
        .post(
            "/api/v1/plans/2026-H1/state",
            json!({"state": "adopted", "decision": "29/25"}),
        )
        .await;
    adopted.assert_status(200);
    assert_eq!(adopted.json()["state"], "adopted");
    assert_eq!(adopted.json()["decision"], "29/25");

    // Whole years are periods too.
    let year = add(
        &app,
        "2024",
        json!({"title": "Revisjon FA Bytte EPJ", "kind": "revision", "priority": 2}),
    )
    .await;
    assert_eq!(year["period"], "2024");

    // Every write is audited.
    let audit = app.get_as("/api/v1/audit?limit=100", &app.admin).await.json();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "plan_item.add",
        "plan_item.move",
        "plan_item.state",
        "plan_period.state",
    ] {
        assert!(actions.contains(&a), "{a} not audited: {actions:?}");
    }
}

#[tokio::test]
async fn bad_plan_input_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    decision(&app, "29/25", "Handlingsplan 2026").await;
    let item = add(
        &app,
        "2026-H1",
        json!({"title": "Faktaark om KI", "kind": "new_document", "priority": 1}),
    )
    .await;
    let id = item["id"].as_i64().unwrap();
    let ok = json!({"title": "X", "kind": "project", "priority": 2});

    for bad in ["2026-H3", "26-H1", "2026-h1", "Q1-2026"] {
        assert_unchanged!(
            app,
            app.post(&format!("/api/v1/plans/{bad}/items"), ok.clone())
                .await
                .assert_problem(422, "half-year")
        );
        app.get_as(&format!("/api/v1/plans/{bad}"), &app.reviewer)
            .await
            .assert_problem(422, "half-year");
    }
    for (body, needle) in [
        (json!({"title": "", "kind": "project", "priority": 2}), "title"),
        (
            json!({"title": "X", "kind": "faktaark", "priority": 2}),
            "plan item kind",
        ),
        (json!({"title": "X", "kind": "project", "priority": 4}), "priority"),
        (
            json!({"title": "X", "kind": "project", "priority": 2, "case": "99/99"}),
            "unknown decision",
        ),
        (
            json!({"title": "X", "kind": "project", "priority": 2, "document_id": 999}),
            "document 999",
        ),
        (
            json!({"title": "X", "kind": "project", "priority": 2, "revision_need_id": 999}),
            "revision need 999",
        ),
        (
            json!({"title": "X", "kind": "project", "priority": 2, "state": "ferdig"}),
            "plan item state",
        ),
    ] {
        assert_unchanged!(
            app,
            app.post("/api/v1/plans/2026-H1/items", body)
                .await
                .assert_problem(422, needle)
        );
    }
    assert_unchanged!(app, {
        app.post(
            "/api/v1/plans/2026-H1/items",
            json!({"title": "X", "kind": "project", "priority": 2, "owner": "x"}),
        )
        .await
        .assert_status(422);
    });

    let mv = format!("/api/v1/plan-items/{id}/move");
    assert_unchanged!(
        app,
        app.post(&mv, json!({"period": "2026-H1", "reason": "utsatt"}))
            .await
            .assert_problem(422, "in 2026-H1 already")
    );
    assert_unchanged!(
        app,
        app.post(&mv, json!({"period": "2026-H3", "reason": "utsatt"}))
            .await
            .assert_problem(422, "half-year")
    );
    assert_unchanged!(
        app,
        app.post(&mv, json!({"period": "2026-H2", "reason": " "}))
            .await
            .assert_problem(422, "why")
    );
    assert_unchanged!(app, {
        app.post(
            "/api/v1/plan-items/999/move",
            json!({"period": "2026-H2", "reason": "utsatt"}),
        )
        .await
        .assert_status(404);
    });

    // A moved item moves on from its new period, and changes no more in the old one.
    app.post(&mv, json!({"period": "2026-H2", "reason": "utsatt"}))
        .await
        .assert_status(200);
    assert_unchanged!(
        app,
        app.post(&mv, json!({"period": "2027", "reason": "utsatt"}))
            .await
            .assert_problem(409, "moved")
    );
    assert_unchanged!(
        app,
        app.post(&format!("/api/v1/plan-items/{id}/state"), json!({"state": "planned"}))
            .await
            .assert_problem(409, "moved")
    );

    // Done work stays where it was done.
    let done = add(
        &app,
        "2026-H1",
        json!({"title": "Ferdig", "kind": "project", "priority": 2, "state": "in_progress"}),
    )
    .await;
    let did = done["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/plan-items/{did}/state"), json!({"state": "done"}))
        .await
        .assert_status(200);
    assert_unchanged!(
        app,
        app.post(
            &format!("/api/v1/plan-items/{did}/move"),
            json!({"period": "2026-H2", "reason": "x"})
        )
        .await
        .assert_problem(409, "done")
    );
    assert_unchanged!(
        app,
        app.post(&format!("/api/v1/plan-items/{did}/state"), json!({"state": "planned"}))
            .await
            .assert_problem(409, "cannot become")
    );

    // Adopting needs a known decision, and happens once.
    let st = "/api/v1/plans/2026-H1/state";
    assert_unchanged!(
        app,
        app.post(st, json!({"state": "adopted"}))
            .await
            .assert_problem(422, "decision")
    );
    assert_unchanged!(
        app,
        app.post(st, json!({"state": "adopted", "decision": "98/25"}))
            .await
            .assert_problem(422, "unknown decision")
    );
    assert_unchanged!(
        app,
        app.post(st, json!({"state": "vedtatt"}))
            .await
            .assert_problem(422, "plan period state")
    );
    app.post(st, json!({"state": "adopted", "decision": "29/25"}))
        .await
        .assert_status(200);
    assert_unchanged!(
        app,
        app.post(st, json!({"state": "discussed"}))
            .await
            .assert_problem(409, "adopted")
    );
}

#[tokio::test]
async fn the_plan_is_for_staff_and_written_by_editors() {
    let app = TestApp::new().await;
    let body = json!({"title": "Faktaark om KI", "kind": "new_document", "priority": 1});
    app.get("/api/v1/plans").await.assert_problem(401, "");
    app.get("/api/v1/plans/2026-H1").await.assert_problem(401, "");
    app.get("/api/v1/plans/2026-H1.csv").await.assert_problem(401, "");
    assert_unchanged!(
        app,
        app.json(Method::POST, "/api/v1/plans/2026-H1/items", None, &body, &[])
            .await
            .assert_problem(401, "")
    );
    assert_unchanged!(app, {
        app.json(
            Method::POST,
            "/api/v1/plans/2026-H1/items",
            Some(&app.reviewer.clone()),
            &body,
            &[],
        )
        .await
        .assert_status(403);
    });
    let item = add(&app, "2026-H1", body).await;
    let id = item["id"].as_i64().unwrap();
    let mv = json!({"period": "2026-H2", "reason": "utsatt"});
    assert_unchanged!(app, {
        app.json(
            Method::POST,
            &format!("/api/v1/plan-items/{id}/move"),
            Some(&app.reviewer.clone()),
            &mv,
            &[],
        )
        .await
        .assert_status(403);
    });
    assert_unchanged!(app, {
        app.json(
            Method::POST,
            "/api/v1/plans/2026-H1/state",
            None,
            &json!({"state": "discussed"}),
            &[],
        )
        .await
        .assert_status(401);
    });
    board(&app, "2026-H1").await;
    // The workspace board wants a session.
    assert_eq!(app.get("/redaksjon/plan/2026-H1").await.status.as_u16(), 303);
}

#[tokio::test]
async fn revision_needs_planned_for_a_period_appear_on_its_board() {
    let app = TestApp::new().await;
    let doc = app
        .published_sheet("20a", "Sikkerhets- og samhandlingsarkitektur (a)", "Tekst")
        .await;
    let need = app
        .post(
            &format!("/api/v1/documents/{doc}/revision-needs"),
            json!({"title": "Revisjonsbehov kartlegges", "origin": "action_plan", "period": "2024", "kind": "substantive", "priority": 2}),
        )
        .await;
    need.assert_status(201);
    let nid = need.json()["id"].as_i64().unwrap();
    let mv = format!("/api/v1/revision-needs/{nid}/state");
    app.post(&mv, json!({"state": "accepted"})).await.assert_status(200);
    // Whole years are periods for revision needs too.
    app.post(&mv, json!({"state": "planned", "period": "2024"}))
        .await
        .assert_status(200);
    let b = board(&app, "2024").await;
    assert_eq!(b["revision_needs"][0]["id"], nid);
    assert_eq!(b["revision_needs"][0]["document"]["number"], "20a");
    assert_eq!(
        board(&app, "2026-H1").await["revision_needs"].as_array().unwrap().len(),
        0
    );

    // An item on the need takes the need's document.
    let item = add(
        &app,
        "2024",
        json!({"title": "FA 20 a,b,c", "kind": "revision", "priority": 2, "revision_need_id": nid}),
    )
    .await;
    assert_eq!(item["document_id"], doc);
    let other = app.create("guide", None, "Veileder", "Tekst").await;
    assert_unchanged!(app, {
        app.post(
            "/api/v1/plans/2024/items",
            json!({"title": "X", "kind": "revision", "priority": 2, "revision_need_id": nid, "document_id": other}),
        )
        .await
        .assert_problem(422, "is about document");
    });
    let md = app.get_as("/api/v1/plans/2024.md", &app.reviewer).await.text();
    assert!(md.contains("## Revisjonsbehov planlagt for perioden\n\n- **Revisjonsbehov kartlegges** (Faktaark 20a: Sikkerhets- og samhandlingsarkitektur (a); prioritet 2)"), "{md}");
}

#[tokio::test]
async fn plan_rows_survive_export_and_import() {
    let app = TestApp::new().await;
    decision(&app, "29/25", "Handlingsplan 2026").await;
    let doc = app.create("fact_sheet", None, "Faktaark Integritet", "Utkast").await;
    let item = add(&app, "2026-H1", json!({"title": "Faktaark Integritet", "kind": "revision", "priority": 1, "document_id": doc, "description": "kort faktaark\nog en veileder"})).await;
    add(
        &app,
        "2024",
        json!({"title": "Revisjon FA Bytte EPJ", "kind": "revision", "priority": 2}),
    )
    .await;
    let id = item["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/plan-items/{id}/move"),
        json!({"period": "2026-H2", "reason": "utsatt"}),
    )
    .await
    .assert_status(200);
    app.post(
        "/api/v1/plans/2026-H1/state",
        json!({"state": "adopted", "decision": "29/25"}),
    )
    .await
    .assert_status(200);
    let mut out = Vec::new();
    export::export(&app.db, &mut out).await.unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert_eq!(text.matches("\"type\":\"plan_period\"").count(), 3);
    assert_eq!(text.matches("\"type\":\"plan_item\"").count(), 3);
    assert_round_trip(&out).await;

    // Plan rows are checked on import like every other line: a tampered one refuses the file.
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let find = |kind: &str| {
        lines
            .iter()
            .position(|l| serde_json::from_str::<Value>(l).unwrap()["type"] == kind)
            .unwrap()
    };
    for (index, field, value, why) in [
        (find("plan_period"), "key", json!("2026-H3"), "half-year"),
        (find("plan_period"), "state", json!("vedtatt"), "plan period state"),
        (find("plan_item"), "period", json!("2099"), "does not come before"),
        (find("plan_item"), "kind", json!("faktaark"), "plan item kind"),
        (find("plan_item"), "priority", json!(7), "priority"),
        (find("plan_item"), "moved_to", json!("2026-H1"), "its own period"),
        (find("plan_item"), "title", json!("a\u{1b}b"), "control"),
    ] {
        let mut tampered = lines.clone();
        let mut record: Value = serde_json::from_str(&tampered[index]).unwrap();
        record[field] = value.clone();
        tampered[index] = record.to_string();
        let (db, _guard) = fresh_database().await;
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), tampered.join("\n") + "\n").unwrap();
        let err = import::import_file(&db, file.path(), &mut |_, _| {})
            .await
            .expect_err(&format!("{field} = {value} was taken"))
            .to_string();
        assert!(
            err.contains(&format!("line {}: ", index + 1)) && err.contains(why),
            "{field} = {value}: {err}"
        );
    }
}

#[tokio::test]
async fn the_workspace_board_has_forms_for_the_plan() {
    let app = TestApp::new().await;
    app.post(
        "/api/v1/decisions",
        json!({"case_number": "29/25", "meeting_date": "2025-09-16", "title": "Handlingsplan 2026", "outcome": ""}),
    )
    .await
    .assert_status(201);
    let mut b = signed_in(&app, "Sekretær", Role::Editor).await;
    let page = b.get("/redaksjon/plan/2026-H1").await;
    page.assert_status(200);
    let html = page.text();
    assert!(html.contains("<h1>Handlingsplan 2026-H1</h1>"));
    assert!(html.contains("Prioritet 1") && html.contains("Prioritet 3"));
    b.get("/redaksjon/plan/2026-H3").await.assert_status(422);

    // A refused form comes back with the message by its field, and nothing is added.
    let form = "/redaksjon/plan/2026-H1/nytt-punkt";
    b.get(form).await.assert_status(200);
    let refused = assert_unchanged!(
        app,
        b.post(
            form,
            &[
                ("title", ""),
                ("kind", "new_document"),
                ("priority", "1"),
                ("state", "proposed")
            ]
        )
        .await
    );
    refused.assert_status(422);
    assert!(refused.text().contains("Skriv en tittel"));
    let refused = assert_unchanged!(
        app,
        b.post(form, &[("title", "Faktaark om KI"), ("kind", "x"), ("priority", "1")])
            .await
    );
    refused.assert_status(422);
    assert!(refused.text().contains("Velg hva slags arbeid punktet gjelder"));

    let res = b
        .post(
            form,
            &[
                ("title", "Faktaark om KI"),
                ("kind", "new_document"),
                ("priority", "1"),
                ("state", "proposed"),
                ("description", ""),
                ("document_id", ""),
                ("case", ""),
            ],
        )
        .await;
    res.assert_status(303);
    assert_eq!(res.header("location"), "/redaksjon/plan/2026-H1");
    let html = b.get("/redaksjon/plan/2026-H1").await.text();
    assert!(html.contains("«Faktaark om KI» er lagt til i handlingsplan 2026-H1."));
    assert!(html.contains("<strong>Faktaark om KI</strong>"));
    let id = board(&app, "2026-H1").await["items"][0]["id"].as_i64().unwrap();

    // Filters by kind.
    let filtered = b.get("/redaksjon/plan/2026-H1?type=project").await.text();
    assert!(!filtered.contains("<strong>Faktaark om KI</strong>"));

    // Moving to the period it is in is refused by the field.
    let mv = format!("/redaksjon/plan/punkt/{id}/flytt");
    b.get(&mv).await.assert_status(200);
    let refused = assert_unchanged!(app, b.post(&mv, &[("period", "2026-H1"), ("reason", "utsatt")]).await);
    refused.assert_status(422);
    assert!(refused.text().contains("Punktet er allerede i 2026-H1"));
    let refused = assert_unchanged!(app, b.post(&mv, &[("period", "2026-H2"), ("reason", "")]).await);
    assert!(refused.text().contains("Skriv hvorfor punktet flyttes"));
    b.post(&mv, &[("period", "2026-H2"), ("reason", "Utsatt")])
        .await
        .assert_status(303);
    let html = b.get("/redaksjon/plan/2026-H1").await.text();
    assert!(html.contains("Flyttet til 2026-H2: Utsatt"), "{html}");
    let html = b.get("/redaksjon/plan/2026-H2").await.text();
    assert!(html.contains("Flyttet hit fra 2026-H1"));

    // The item's state, in the new period.
    let new_id = board(&app, "2026-H2").await["items"][0]["id"].as_i64().unwrap();
    let st = format!("/redaksjon/plan/punkt/{new_id}/status");
    b.get(&st).await.assert_status(200);
    b.post(&st, &[("state", "planned")]).await.assert_status(303);
    assert_eq!(board(&app, "2026-H2").await["items"][0]["state"], "planned");

    // Adopting the period needs the decision.
    let ps = "/redaksjon/plan/2026-H1/status";
    b.get(ps).await.assert_status(200);
    let refused = assert_unchanged!(app, b.post(ps, &[("state", "adopted"), ("decision", "")]).await);
    refused.assert_status(422);
    assert!(refused.text().contains("Velg vedtaket som vedtok planen"));
    b.post(ps, &[("state", "adopted"), ("decision", "29/25")])
        .await
        .assert_status(303);
    let html = b.get("/redaksjon/plan/2026-H1").await.text();
    assert!(html.contains("Vedtatt</strong> (sak 29/25)"));

    // The list and the downloads.
    let list = b.get("/redaksjon/plan").await.text();
    assert!(list.contains("Handlingsplan 2026-H2") && list.contains("Handlingsplan 2026-H1"));
    let open = b.get("/redaksjon/plan?periode=2027").await;
    open.assert_status(303);
    assert_eq!(open.header("location"), "/redaksjon/plan/2027");
    b.get("/redaksjon/plan?periode=2027-H3").await.assert_status(422);
    let md = b.get("/redaksjon/plan/2026-H1/markdown").await;
    md.assert_status(200);
    assert!(md.text().starts_with("# Handlingsplan 2026-H1"));
    let csv = b.get("/redaksjon/plan/2026-H1/csv").await;
    assert!(csv.text().starts_with("id,period,"));

    // A reviewer reads the board but does not write.
    let mut r = signed_in(&app, "Leser", Role::Reviewer).await;
    r.get("/redaksjon/plan/2026-H1").await.assert_status(200);
    let refused = assert_unchanged!(
        app,
        r.post(form, &[("title", "X"), ("kind", "project"), ("priority", "2")])
            .await
    );
    refused.assert_status(403);
}
