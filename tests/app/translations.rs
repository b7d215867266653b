//! Translations pinned to a source version, and when they are outdated.

use serde_json::json;

use crate::assert_unchanged;
use crate::helpers::TestApp;

#[tokio::test]
async fn translation_is_outdated_only_by_a_substantive_source_change() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet("15", "Logging og innsyn i logg", "Alle oppslag skal logges.")
        .await;
    let res = app
        .post(
            &format!("/api/v1/documents/{id}/translations"),
            json!({"language": "en", "source_label": "1.0", "title": "Logging and access to logs", "body": "All lookups shall be logged."}),
        )
        .await;
    res.assert_status(201);
    // An unpublished translation is invisible to the public.
    assert!(
        app.get(&format!("/api/v1/documents/{id}")).await.json()["translations"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    app.get(&format!("/api/v1/documents/{id}/versions/1.0?lang=en"))
        .await
        .assert_status(404);
    app.publish(id, "en", "substantive", "English translation")
        .await
        .assert_status(200);

    let doc = app.get(&format!("/api/v1/documents/{id}")).await.json();
    assert_eq!(
        doc["translations"],
        json!([{
            "language": "en", "label": "1.0", "title": "Logging and access to logs",
            "published_on": doc["translations"][0]["published_on"], "source_label": "1.0", "outdated": false
        }])
    );
    let en = app
        .get(&format!("/api/v1/documents/{id}/versions/1.0?lang=en"))
        .await
        .json();
    assert_eq!(en["source"], json!({"language": "nb", "label": "1.0"}));

    // An editorial source change does not outdate it.
    app.draft(id, "Alle oppslag skal logges.").await.assert_status(201);
    app.publish(id, "nb", "editorial", "Komma").await.assert_status(200);
    let doc = app.get(&format!("/api/v1/documents/{id}")).await.json();
    assert_eq!(doc["translations"][0]["outdated"], false);

    // A substantive one does.
    app.draft(id, "Alle oppslag skal logges og kontrolleres.")
        .await
        .assert_status(201);
    app.publish(id, "nb", "substantive", "Nytt krav")
        .await
        .assert_status(200);
    let doc = app.get(&format!("/api/v1/documents/{id}")).await.json();
    assert_eq!(doc["translations"][0]["outdated"], true);
    assert_eq!(doc["translations"][0]["source_label"], "1.0");

    // A new translation of 2.0 is current again.
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "2.0", "title": "Logging and access to logs", "body": "All lookups shall be logged and checked."}),
    )
    .await
    .assert_status(201);
    app.publish(id, "en", "substantive", "Updated translation")
        .await
        .assert_status(200);
    let doc = app.get(&format!("/api/v1/documents/{id}")).await.json();
    assert_eq!(doc["translations"][0]["label"], "2.0");
    assert_eq!(doc["translations"][0]["source_label"], "2.0");
    assert_eq!(doc["translations"][0]["outdated"], false);
}

#[tokio::test]
async fn translation_rules() {
    let app = TestApp::new().await;
    let id = app.published_sheet("15", "Logging", "tekst").await;
    let t = |lang: &str, source: &str| json!({"language": lang, "source_label": source, "title": "Logging", "body": "text"});
    let uri = format!("/api/v1/documents/{id}/translations");
    assert_unchanged!(
        app,
        app.post(&uri, t("nb", "1.0")).await.assert_problem(422, "own language")
    );
    assert_unchanged!(
        app,
        app.post(&uri, t("en", "3.0"))
            .await
            .assert_problem(422, "no published nb version 3.0")
    );
    assert_unchanged!(
        app,
        app.post(&uri, t("de", "1.0")).await.assert_problem(422, "language")
    );
    assert_unchanged!(app, {
        app.post(
            &format!("/api/v1/documents/{id}/drafts"),
            json!({"language": "en", "body": "x"}),
        )
        .await
        .assert_problem(422, "translation");
    });
    app.post(&uri, t("nn", "1.0")).await.assert_status(201);
    assert_unchanged!(
        app,
        app.post(&uri, t("nn", "1.0"))
            .await
            .assert_problem(409, "already has a draft in nn")
    );
}
