//! Reading documents and versions, and keeping drafts from the public.

use serde_json::json;

use crate::helpers::TestApp;
use normen_registry::services::demo;

#[tokio::test]
async fn demo_catalogue_is_served_with_withdrawn_sheets_and_successors() {
    let app = TestApp::new().await;
    demo::load(&app.db).await.unwrap();
    let page = app.get("/api/v1/documents?kind=fact_sheet&limit=100").await;
    page.assert_status(200);
    let page = page.json();
    // The catalogue has 29 fact sheets, one of them (Faktaark Integritet) a draft.
    assert_eq!(page["total"], 28);
    let withdrawn = app.get("/api/v1/documents?status=withdrawn").await.json();
    assert_eq!(withdrawn["total"], 8, "01, 02, 04, 05, 07, 08, 09 and 27 are withdrawn");
    let fa01 = withdrawn["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["number"] == "01")
        .unwrap();
    let view = app.get(&format!("/api/v1/documents/{}", fa01["id"])).await.json();
    assert_eq!(view["status"], "withdrawn");
    let successors = view["withdrawal"]["successors"].as_array().unwrap();
    assert_eq!(successors.len(), 1);
    assert_eq!(
        successors[0]["title"],
        "Veileder om internkontroll for informasjonssikkerhet og personvern"
    );
    assert!(
        view["withdrawal"]["reason"]
            .as_str()
            .unwrap()
            .contains("internkontroll")
    );
    // Demo bodies say what they are.
    let body = app
        .get(&format!("/api/v1/documents/{}/versions/1.0", fa01["id"]))
        .await
        .json();
    assert!(body["body"].as_str().unwrap().contains("Demonstrasjonsinnhold"));
    // The English translation of Normen 6.0 is outdated by the substantive 6.1.
    let norm = app.get("/api/v1/documents?kind=norm").await.json();
    let norm = app
        .get(&format!("/api/v1/documents/{}", norm["items"][0]["id"]))
        .await
        .json();
    assert_eq!(norm["current_version"]["label"], "6.1");
    assert_eq!(norm["translations"][0]["language"], "en");
    assert_eq!(norm["translations"][0]["title"], "Code of conduct version 6.0");
    assert_eq!(norm["translations"][0]["source_label"], "6.0");
    assert_eq!(norm["translations"][0]["outdated"], true);
}

#[tokio::test]
async fn list_filters_and_paging() {
    let app = TestApp::new().await;
    let a = app.published_sheet("37", "Sikkerhetskrav", "tekst").await;
    let _b = app.published_sheet("55", "Adressesperre", "tekst").await;
    let g = app.create("guide", None, "Veileder for tilgangsstyring", "tekst").await;
    app.publish(g, "nb", "substantive", "Første").await.assert_status(200);

    let all = app.get("/api/v1/documents").await.json();
    assert_eq!(all["total"], 3);
    let sheets = app.get("/api/v1/documents?kind=fact_sheet").await.json();
    assert_eq!(sheets["total"], 2);
    let page = app.get("/api/v1/documents?limit=1&offset=1").await.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["total"], 3);
    let en = app.get("/api/v1/documents?lang=en").await.json();
    assert_eq!(en["total"], 0);
    let one = app.get("/api/v1/documents?number=37").await.json();
    assert_eq!(one["items"][0]["id"], a);
    assert_eq!(one["items"][0]["url"], "/faktaark/37");

    app.get("/api/v1/documents?limit=-1").await.assert_problem(400, "");
    app.get("/api/v1/documents?limit=0").await.assert_problem(400, "limit");
    app.get("/api/v1/documents?limit=100000")
        .await
        .assert_problem(400, "limit");
    app.get("/api/v1/documents?kind=factsheet")
        .await
        .assert_problem(422, "fact_sheet");
    app.get("/api/v1/documents?colour=blue")
        .await
        .assert_problem(400, "colour");
}

#[tokio::test]
async fn unknown_documents_and_versions_are_404() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "tekst").await;
    app.get("/api/v1/documents/999999999")
        .await
        .assert_problem(404, "document 999999999");
    app.get("/api/v1/documents/abc").await.assert_problem(404, "");
    app.get(&format!("/api/v1/documents/{id}/versions/9.0"))
        .await
        .assert_problem(404, "9.0");
    app.get(&format!("/api/v1/documents/{id}/versions/zz"))
        .await
        .assert_problem(404, "zz");
    app.get(&format!("/api/v1/documents/{id}/versions/1.0?lang=en"))
        .await
        .assert_problem(404, "en");
    app.get(&format!("/api/v1/documents/{id}/versions/1.0?lang=de"))
        .await
        .assert_problem(422, "language");
    app.get("/api/v1/nothing-here").await.assert_problem(404, "no route");
}

#[tokio::test]
async fn a_version_has_its_body_label_and_hash() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet(
            "15",
            "Logging og innsyn i logg",
            "# Logging\n\nAlle oppslag skal logges.",
        )
        .await;
    let v = app.get(&format!("/api/v1/documents/{id}/versions/1.0")).await;
    v.assert_status(200);
    let v = v.json();
    assert_eq!(v["label"], "1.0");
    assert_eq!(v["title"], "Logging og innsyn i logg");
    assert_eq!(v["body"], "# Logging\n\nAlle oppslag skal logges.");
    assert_eq!(v["change_note"], "Første versjon");
    assert_eq!(v["content_hash"].as_str().unwrap().len(), 64);
    let list = app.get(&format!("/api/v1/documents/{id}/versions")).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(list["items"][0].get("body").is_none(), "lists carry no bodies");
}

#[tokio::test]
async fn drafts_never_reach_the_public() {
    let app = TestApp::new().await;
    // A document that is only a draft.
    let hidden = app
        .create("fact_sheet", Some("99"), "Hemmelig utkast", "UTKASTTEKST")
        .await;
    // A published document with a draft of its next version.
    let id = app.published_sheet("98", "Publisert", "publisert tekst").await;
    app.draft(id, "NESTE UTKAST").await.assert_status(201);

    for uri in [
        format!("/api/v1/documents/{hidden}"),
        format!("/api/v1/documents/{hidden}/versions"),
        format!("/api/v1/documents/{hidden}/versions/draft"),
        format!("/api/v1/documents/{id}/versions/draft"),
        format!("/api/v1/documents/{hidden}/revision-needs"),
    ] {
        let res = app.get(&uri).await;
        res.assert_status(404);
        assert!(
            !res.text().contains("UTKAST") && !res.text().contains("Hemmelig"),
            "{uri} leaks"
        );
    }
    for uri in [
        "/api/v1/documents".to_string(),
        "/api/v1/documents?status=draft".to_string(),
        "/api/v1/documents?number=99".to_string(),
        format!("/api/v1/documents/{id}"),
        format!("/api/v1/documents/{id}/versions"),
    ] {
        let res = app.get(&uri).await;
        res.assert_status(200);
        let text = res.text();
        assert!(
            !text.contains("UTKAST") && !text.contains("Hemmelig") && !text.contains("\"draft\""),
            "{uri} leaks: {text}"
        );
    }
    let all = app.get("/api/v1/documents").await.json();
    assert_eq!(all["total"], 1);

    // Reviewers see drafts.
    let r = app.reviewer.clone();
    app.get_as(&format!("/api/v1/documents/{hidden}"), &r)
        .await
        .assert_status(200);
    let d = app.get_as(&format!("/api/v1/documents/{id}/versions/draft"), &r).await;
    d.assert_status(200);
    assert_eq!(d.json()["body"], "NESTE UTKAST");
    let drafts = app.get_as("/api/v1/documents?status=draft", &r).await.json();
    assert_eq!(drafts["total"], 1);
    let view = app.get_as(&format!("/api/v1/documents/{id}"), &r).await.json();
    assert_eq!(view["drafts"], json!(["nb"]));
}

#[tokio::test]
async fn openapi_document_lists_the_api() {
    let app = TestApp::new().await;
    let res = app.get("/api/openapi.json").await;
    res.assert_status(200);
    let doc = res.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/documents",
        "/api/v1/documents/{id}",
        "/api/v1/documents/{id}/versions/{label}",
        "/api/v1/documents/{id}/publish",
        "/api/v1/documents/{id}/withdraw",
        "/api/v1/revision-needs/{id}/state",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing from OpenAPI");
    }
}
