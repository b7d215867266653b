//! Approval before publishing, through the real router: an author submits, a second editor
//! approves, the version records the approver; the author cannot approve their own draft; an
//! edit after submission voids it; an admin may force-publish with a reason; reviewers comment
//! on sections; refusals change nothing; everything survives export and import.

use axum::http::Method;
use serde_json::{Value, json};

use normen_registry::domain::Role;
use normen_registry::services::{approvals, export, users};

use crate::assert_unchanged;
use crate::helpers::{TestApp, TestResponse, assert_round_trip, fresh_database};

const BODY: &str = "# Innledning\n\nFørste tekst.\n\n# Tilgang\n\nTilgang styres etter tjenstlig behov.\n";

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: &Value) -> TestResponse {
    app.json(method, path, Some(token), body, &[]).await
}

async fn act(app: &TestApp, token: &str, id: i64, what: &str, body: &Value) -> TestResponse {
    call(
        app,
        token,
        Method::POST,
        &format!("/api/v1/documents/{id}/drafts/nb/{what}"),
        body,
    )
    .await
}

async fn second_editor(app: &TestApp) -> String {
    users::add_user(&app.db, "Per Fagredaktør", Role::Editor, None)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_fresh_registry_asks_approval_for_fact_sheets_and_guides() {
    let (db, _guard) = fresh_database().await;
    let rules = approvals::rules(&db).await.unwrap();
    assert_eq!(rules.required_for, vec!["fact_sheet".to_string(), "guide".to_string()]);
    let app = TestApp::with_default_rules().await;
    let res = app.get_as("/api/v1/approval-rules", &app.reviewer).await;
    res.assert_status(200);
    assert_eq!(res.json()["required_for"], json!(["fact_sheet", "guide"]));
}

#[tokio::test]
async fn an_author_submits_a_second_editor_approves_and_the_version_shows_the_approver() {
    let app = TestApp::with_default_rules().await;
    let per = second_editor(&app).await;
    let id = app.create("fact_sheet", Some("40"), "Tilgangsstyring", BODY).await;

    // Not submitted: publishing is refused and changes nothing.
    let res = assert_unchanged!(app, app.publish(id, "nb", "substantive", "Første versjon").await);
    res.assert_problem(409, "needs approval");

    let res = act(&app, &app.editor, id, "submit", &json!({"note": "Klar for gjennomsyn"})).await;
    res.assert_status(200);
    let v = res.json();
    assert_eq!(v["state"], "pending");
    assert_eq!(v["required"], true);
    assert_eq!(v["submitted_by"], "Eva Editor");
    assert_eq!(v["author"], "Eva Editor");
    assert_eq!(v["sections"], json!(["Innledning", "Tilgang"]));
    assert!(!res.header("etag").is_empty());

    // Waiting: on the list, and publishing is still refused.
    let waiting = app.get_as("/api/v1/approvals", &app.reviewer).await.json();
    assert_eq!(waiting["total"], 1);
    assert_eq!(waiting["items"][0]["document_id"], id);
    assert_eq!(waiting["items"][0]["submitted_by"], "Eva Editor");
    assert_unchanged!(app, app.publish(id, "nb", "substantive", "Første versjon").await)
        .assert_problem(409, "needs approval");

    // The author cannot approve their own draft, nor send it back.
    let editor = app.editor.clone();
    assert_unchanged!(app, act(&app, &editor, id, "approve", &json!({})).await).assert_problem(403, "author");
    assert_unchanged!(app, act(&app, &editor, id, "return", &json!({"comment": "nei"})).await)
        .assert_problem(403, "author");
    // A reviewer is no approver.
    let reviewer = app.reviewer.clone();
    assert_unchanged!(app, act(&app, &reviewer, id, "approve", &json!({})).await).assert_status(403);

    let res = act(&app, &per, id, "approve", &json!({})).await;
    res.assert_status(200);
    assert_eq!(res.json()["state"], "approved");
    assert_eq!(res.json()["decided_by"], "Per Fagredaktør");
    assert_eq!(app.get_as("/api/v1/approvals", &app.reviewer).await.json()["total"], 0);

    app.publish(id, "nb", "substantive", "Første versjon")
        .await
        .assert_status(200);
    let versions = app
        .get_as(&format!("/api/v1/documents/{id}/versions"), &app.reviewer)
        .await
        .json();
    let approval = &versions["items"][0]["approval"];
    assert_eq!(approval["approved_by"], "Per Fagredaktør");
    assert!(approval["approved_at"].is_string());
    assert_eq!(approval["forced_reason"], Value::Null);
    // The public sees the version, not who approved it.
    let public = app.get(&format!("/api/v1/documents/{id}/versions")).await.json();
    assert_eq!(public["items"][0]["label"], "1.0");
    assert!(public["items"][0].get("approval").is_none(), "{public}");
    // The audit log has the whole story.
    let audit = app.get_as("/api/v1/audit?limit=20", &app.admin).await.text();
    for action in ["draft.submit", "draft.approve", "version.publish"] {
        assert!(audit.contains(action), "{action} missing from {audit}");
    }
}

#[tokio::test]
async fn an_edit_after_submission_voids_it() {
    let app = TestApp::with_default_rules().await;
    let per = second_editor(&app).await;
    let id = app.create("guide", None, "Veileder om tilgang", BODY).await;
    act(&app, &app.editor, id, "submit", &json!({}))
        .await
        .assert_status(200);
    // Submitting twice is refused.
    let editor = app.editor.clone();
    assert_unchanged!(app, act(&app, &editor, id, "submit", &json!({})).await).assert_problem(409, "already");

    app.json(
        Method::PUT,
        &format!("/api/v1/documents/{id}/drafts/nb"),
        Some(&app.editor),
        &json!({"body": format!("{BODY}\nEn ny setning.\n")}),
        &[],
    )
    .await
    .assert_status(200);
    let status = app
        .get_as(&format!("/api/v1/documents/{id}/drafts/nb/approval"), &app.reviewer)
        .await
        .json();
    assert_eq!(status["state"], "changed_since_submitted");
    assert_eq!(app.get_as("/api/v1/approvals", &app.reviewer).await.json()["total"], 0);
    assert_unchanged!(app, act(&app, &per, id, "approve", &json!({})).await).assert_problem(409, "changed after");

    // Submitted again and approved; then edited once more: publishing is refused again.
    act(&app, &app.editor, id, "submit", &json!({}))
        .await
        .assert_status(200);
    act(&app, &per, id, "approve", &json!({})).await.assert_status(200);
    app.json(
        Method::PUT,
        &format!("/api/v1/documents/{id}/drafts/nb"),
        Some(&app.editor),
        &json!({"title": "Veileder om tilgangsstyring"}),
        &[],
    )
    .await
    .assert_status(200);
    assert_unchanged!(app, app.publish(id, "nb", "substantive", "Første versjon").await)
        .assert_problem(409, "changed after");
}

#[tokio::test]
async fn a_draft_sent_back_carries_the_comment_and_can_be_submitted_again() {
    let app = TestApp::with_default_rules().await;
    let per = second_editor(&app).await;
    let id = app.create("fact_sheet", Some("41"), "Logging", BODY).await;
    act(&app, &app.editor, id, "submit", &json!({}))
        .await
        .assert_status(200);
    // Sending back needs a comment.
    assert_unchanged!(app, act(&app, &per, id, "return", &json!({"comment": "  "})).await)
        .assert_problem(422, "comment");
    let res = act(
        &app,
        &per,
        id,
        "return",
        &json!({"comment": "Avsnittet om tilgang mangler hjemmel."}),
    )
    .await;
    res.assert_status(200);
    assert_eq!(res.json()["state"], "returned");
    assert_eq!(res.json()["comment"], "Avsnittet om tilgang mangler hjemmel.");
    assert_unchanged!(app, act(&app, &per, id, "approve", &json!({})).await).assert_problem(409, "sent back");
    act(&app, &app.editor, id, "submit", &json!({}))
        .await
        .assert_status(200);
    act(&app, &per, id, "approve", &json!({})).await.assert_status(200);
    app.publish(id, "nb", "substantive", "Første versjon")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn only_an_admin_may_publish_without_approval_and_the_reason_is_kept() {
    let app = TestApp::with_default_rules().await;
    let id = app.create("fact_sheet", Some("42"), "Hastesak", BODY).await;
    let publish =
        |reason: &str| json!({"change_kind": "substantive", "change_note": "Første versjon", "force_reason": reason});
    let path = format!("/api/v1/documents/{id}/publish");
    let editor = app.editor.clone();
    assert_unchanged!(app, call(&app, &editor, Method::POST, &path, &publish("Haster")).await)
        .assert_problem(403, "only an admin");
    let long = "x".repeat(5000);
    let admin = app.admin.clone();
    assert_unchanged!(app, call(&app, &admin, Method::POST, &path, &publish(&long)).await).assert_status(422);
    call(
        &app,
        &app.admin,
        Method::POST,
        &path,
        &publish("Rettelse av feil lenke, haster"),
    )
    .await
    .assert_status(200);
    let versions = app
        .get_as(&format!("/api/v1/documents/{id}/versions"), &app.admin)
        .await
        .json();
    assert_eq!(
        versions["items"][0]["approval"]["forced_reason"],
        "Rettelse av feil lenke, haster"
    );
    assert_eq!(versions["items"][0]["approval"]["approved_by"], Value::Null);
    let audit = app.get_as("/api/v1/audit?limit=5", &app.admin).await.text();
    assert!(audit.contains("Rettelse av feil lenke, haster"), "{audit}");
}

#[tokio::test]
async fn kinds_without_the_rule_publish_directly_and_admins_set_the_rule() {
    let app = TestApp::with_default_rules().await;
    let id = app.create("template", None, "Mal for risikovurdering", BODY).await;
    app.publish(id, "nb", "substantive", "Første versjon")
        .await
        .assert_status(200);

    let editor = app.editor.clone();
    assert_unchanged!(
        app,
        call(
            &app,
            &editor,
            Method::PUT,
            "/api/v1/approval-rules",
            &json!({"required_for": []})
        )
        .await
    )
    .assert_status(403);
    let admin = app.admin.clone();
    assert_unchanged!(
        app,
        call(
            &app,
            &admin,
            Method::PUT,
            "/api/v1/approval-rules",
            &json!({"required_for": ["poster"]})
        )
        .await
    )
    .assert_status(422);
    let res = call(
        &app,
        &app.admin,
        Method::PUT,
        "/api/v1/approval-rules",
        &json!({"required_for": ["template", "guide"]}),
    )
    .await;
    res.assert_status(200);
    assert_eq!(res.json()["required_for"], json!(["guide", "template"]));
    // Fact sheets now publish directly; templates need approval.
    app.published_sheet("43", "Direkte", BODY).await;
    app.draft(id, &format!("{BODY}\nTillegg.\n")).await.assert_status(201);
    app.publish(id, "nb", "editorial", "Tillegg")
        .await
        .assert_problem(409, "needs approval");
}

#[tokio::test]
async fn reviewers_comment_on_sections_and_the_author_sees_them() {
    let app = TestApp::with_default_rules().await;
    let id = app.create("fact_sheet", Some("44"), "Kommentarer", BODY).await;
    let comments = format!("/api/v1/documents/{id}/drafts/nb/comments");
    let reviewer = app.reviewer.clone();
    // Only a section the draft has, and a comment with text.
    assert_unchanged!(
        app,
        call(
            &app,
            &reviewer,
            Method::POST,
            &comments,
            &json!({"section": "Logging", "body": "Hm"})
        )
        .await
    )
    .assert_problem(422, "no section");
    assert_unchanged!(
        app,
        call(
            &app,
            &reviewer,
            Method::POST,
            &comments,
            &json!({"section": "Tilgang", "body": ""})
        )
        .await
    )
    .assert_problem(422, "body");
    // Anonymous visitors cannot comment, nor see drafts' approval.
    app.json(Method::POST, &comments, None, &json!({"body": "Hei"}), &[])
        .await
        .assert_status(401);
    app.get(&format!("/api/v1/documents/{id}/drafts/nb/approval"))
        .await
        .assert_status(401);

    let res = call(
        &app,
        &app.reviewer,
        Method::POST,
        &comments,
        &json!({"section": "Tilgang", "body": "Nevn tjenstlig behov med henvisning til Normen 5.4."}),
    )
    .await;
    res.assert_status(200);
    call(
        &app,
        &app.editor,
        Method::POST,
        &comments,
        &json!({"body": "Takk, retter."}),
    )
    .await
    .assert_status(200);
    let status = app
        .get_as(&format!("/api/v1/documents/{id}/drafts/nb/approval"), &app.editor)
        .await
        .json();
    let list = status["comments"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["section"], "Tilgang");
    assert_eq!(list[0]["author"], "Rolf Reviewer");
    assert_eq!(list[1]["section"], "");

    // The draft form shows them to its author, by section.
    let mut browser = crate::web::signed_in(&app, "Eva Form", Role::Editor).await;
    let page = browser
        .get(&format!("/redaksjon/dokumenter/{id}/utkast/nb"))
        .await
        .text();
    assert!(
        page.contains("Nevn tjenstlig behov med henvisning til Normen 5.4."),
        "{page}"
    );
    assert!(page.contains("Tilgang"));
}

#[tokio::test]
async fn approvals_and_comments_survive_export_and_import() {
    let app = TestApp::with_default_rules().await;
    let per = second_editor(&app).await;
    let id = app.create("fact_sheet", Some("45"), "Eksport", BODY).await;
    call(
        &app,
        &app.reviewer,
        Method::POST,
        &format!("/api/v1/documents/{id}/drafts/nb/comments"),
        &json!({"section": "Innledning", "body": "Kort og godt."}),
    )
    .await
    .assert_status(200);
    act(&app, &app.editor, id, "submit", &json!({}))
        .await
        .assert_status(200);
    act(&app, &per, id, "approve", &json!({})).await.assert_status(200);
    app.publish(id, "nb", "substantive", "Første versjon")
        .await
        .assert_status(200);
    let id2 = app.create("guide", None, "Venter", BODY).await;
    act(&app, &app.editor, id2, "submit", &json!({}))
        .await
        .assert_status(200);

    let mut out = Vec::new();
    export::export(&app.db, &mut out).await.unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.contains("\"type\":\"approval\""));
    assert!(text.contains("\"type\":\"draft_comment\""));
    assert!(text.contains("\"type\":\"approval_rule\""));
    assert!(text.contains("\"approved_by\":\"Per Fagredaktør\""));
    assert_round_trip(&out).await;
}

/// The etag hidden field of a page's first form.
fn etag_in(html: &str) -> String {
    let start = html.find(r#"name="etag" value=""#).expect("etag field") + r#"name="etag" value=""#.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].replace("&quot;", "\"").replace("&#34;", "\"")
}

#[tokio::test]
async fn the_workspace_forms_take_a_draft_from_submission_to_publication() {
    let app = TestApp::with_default_rules().await;
    let mut eva = crate::web::signed_in(&app, "Eva Skjema", Role::Editor).await;
    let mut per = crate::web::signed_in(&app, "Per Skjema", Role::Editor).await;
    let mut rolf = crate::web::signed_in(&app, "Rolf Skjema", Role::Reviewer).await;
    let id = app.create("fact_sheet", Some("46"), "Skjemaflyt", BODY).await;
    app.publish_forced(id).await;
    // Eva's new version.
    let res = eva
        .post(
            &format!("/redaksjon/dokumenter/{id}/utkast"),
            &[
                ("title", "Skjemaflyt"),
                ("summary", ""),
                ("body", &format!("{BODY}\nNy setning.\n")),
                ("etag", ""),
            ],
        )
        .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    let page_url = format!("/redaksjon/dokumenter/{id}/utkast/nb/godkjenning");

    // The working page links the approval page; the approval page compares in one click.
    let work = eva.get(&format!("/redaksjon/dokumenter/{id}")).await.text();
    assert!(work.contains(&page_url), "{work}");
    let page = eva.get(&page_url).await;
    page.assert_status(200);
    let html = page.text();
    assert!(html.contains("ikke sendt til godkjenning"), "{html}");
    assert!(html.contains("fra=1.0&#38;til=draft&#38;lang=nb"), "{html}");
    let compare = eva
        .get(&format!(
            "/redaksjon/dokumenter/{id}/sammenlign?fra=1.0&til=draft&lang=nb"
        ))
        .await;
    compare.assert_status(200);
    assert!(compare.text().contains("Ny setning"));

    let etag = etag_in(&html);
    let res = eva
        .post(&page_url, &[("handling", "send"), ("note", "Se over"), ("etag", &etag)])
        .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    let dashboard = per.get("/redaksjon").await.text();
    assert!(dashboard.contains("Venter på godkjenning (1)"), "{dashboard}");
    assert!(dashboard.contains(&page_url));

    // A reviewer comments by section; Eva sees it in her draft form.
    rolf.get(&page_url).await.assert_status(200);
    let res = rolf
        .post(
            &page_url,
            &[
                ("handling", "kommenter"),
                ("section", "Tilgang"),
                ("body", "Presiser tjenstlig behov."),
            ],
        )
        .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    let form = eva.get(&format!("/redaksjon/dokumenter/{id}/utkast/nb")).await.text();
    assert!(form.contains("Presiser tjenstlig behov."), "{form}");
    assert!(form.contains("venter på godkjenning"));

    // Eva cannot approve her own draft: a Norwegian page, 403, nothing changed.
    let html = eva.get(&page_url).await.text();
    assert!(
        !html.contains(r#"value="godkjenn""#),
        "the author gets no approve button"
    );
    let res = assert_unchanged!(
        app,
        eva.post(&page_url, &[("handling", "godkjenn"), ("comment", "")]).await
    );
    res.assert_status(403);
    assert!(res.text().contains("En annen redaktør må gjøre det"), "{}", res.text());
    // Sending back without a comment is refused by the field.
    per.get(&page_url).await;
    let res = assert_unchanged!(
        app,
        per.post(&page_url, &[("handling", "tilbake"), ("comment", "")]).await
    );
    res.assert_status(422);

    let html = per.get(&page_url).await.text();
    let res = per
        .post(
            &page_url,
            &[("handling", "godkjenn"), ("comment", ""), ("etag", &etag_in(&html))],
        )
        .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    assert!(per.get("/redaksjon").await.text().contains("Venter på godkjenning (0)"));

    // Published through the form, the history shows the approver.
    let form = eva
        .get(&format!("/redaksjon/dokumenter/{id}/publiser?lang=nb"))
        .await
        .text();
    assert!(form.contains("Utkastet er godkjent av Per Skjema."), "{form}");
    let res = eva
        .post(
            &format!("/redaksjon/dokumenter/{id}/publiser"),
            &[
                ("language", "nb"),
                ("change_kind", "editorial"),
                ("change_note", "Ny setning"),
                ("etag", &etag_in(&form)),
            ],
        )
        .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    let work = eva.get(&format!("/redaksjon/dokumenter/{id}")).await.text();
    assert!(work.contains("Godkjent av Per Skjema"), "{work}");
}

#[tokio::test]
async fn staff_compare_a_draft_with_the_current_version_through_the_api() {
    let app = TestApp::new().await;
    let id = app.published_sheet("47", "Sammenligning", BODY).await;
    app.draft(id, &format!("{BODY}\nEn ny setning.\n"))
        .await
        .assert_status(201);
    let path = format!("/api/v1/documents/{id}/diff?from=1.0&to=draft");
    let res = app.get_as(&path, &app.reviewer).await;
    res.assert_status(200);
    assert!(res.text().contains("ny setning"), "{}", res.text());
    // The public cannot name a draft.
    app.get(&path).await.assert_status(404);
}

#[tokio::test]
async fn an_admin_sets_the_rules_in_the_workspace_and_an_editor_cannot() {
    let app = TestApp::with_default_rules().await;
    let mut ada = crate::web::signed_in(&app, "Ada Skjema", Role::Admin).await;
    let html = ada.get("/redaksjon/godkjenningsregler").await.text();
    assert!(
        html.contains(r#"name="fact_sheet" value="on" id="f-fact_sheet" checked"#),
        "{html}"
    );
    assert!(!html.contains(r#"name="template" value="on" id="f-template" checked"#));
    let res = ada
        .post("/redaksjon/godkjenningsregler", &[("guide", "on"), ("template", "on")])
        .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.text());
    let rules = app.get_as("/api/v1/approval-rules", &app.reviewer).await.json();
    assert_eq!(rules["required_for"], json!(["guide", "template"]));

    let mut eva = crate::web::signed_in(&app, "Eva Regler", Role::Editor).await;
    eva.get("/redaksjon/godkjenningsregler").await.assert_status(403);
    let res = assert_unchanged!(app, eva.post("/redaksjon/godkjenningsregler", &[("other", "on")]).await);
    res.assert_status(403);
}
