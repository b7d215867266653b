//! The comparison endpoints: version pairs, translation sources, successors, downloads, errors.

use serde_json::{Value, json};

use crate::assert_unchanged;
use crate::helpers::TestApp;

fn rebuild(d: &Value) -> (String, String) {
    let (mut from, mut to) = (String::new(), String::new());
    for s in d["sections"].as_array().unwrap() {
        for op in s["ops"].as_array().unwrap() {
            let text = op["text"].as_str().unwrap();
            match op["op"].as_str().unwrap() {
                "equal" => {
                    from.push_str(text);
                    to.push_str(text);
                }
                "delete" => from.push_str(text),
                "insert" => to.push_str(text),
                other => panic!("unknown op {other}"),
            }
        }
    }
    (from, to)
}

const V1: &str = "# Logging\n\nVirksomheten bør logge oppslag.\n\n## Kontroll\n\nLoggene kontrolleres månedlig.\n";
const V2: &str = "# Logging\n\nVirksomheten skal logge alle oppslag.\n\n## Kontroll\n\nLoggene kontrolleres  månedlig.\n\n## Innsyn\n\nPasienten har rett til innsyn.\n";

#[tokio::test]
async fn two_versions_compare_section_by_section_and_rebuild_exactly() {
    let app = TestApp::new().await;
    let id = app.published_sheet("15", "Logging", V1).await;
    app.draft(id, V2).await.assert_status(201);
    app.publish(id, "nb", "substantive", "Krav skjerpet")
        .await
        .assert_status(200);

    let d = app
        .get(&format!(
            "/api/v1/documents/{id}/diff?from=1.0&to=2.0&ignore_whitespace=false"
        ))
        .await;
    d.assert_status(200);
    let d = d.json();
    assert_eq!(rebuild(&d), (V1.to_string(), V2.to_string()));
    assert_eq!(d["from"]["label"], "1.0");
    assert_eq!(d["to"]["label"], "2.0");
    assert_eq!(d["summary"]["sections_added"], 1);
    assert!(
        d["summary"]["normative_changes"].as_u64().unwrap() >= 1,
        "bør → skal is normative"
    );
    assert_eq!(d["summary"]["change_kind"], "substantive");
    let statuses: Vec<&str> = d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"added"));
    let logging = d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["to_heading"] == "Logging")
        .unwrap();
    assert_eq!(logging["normative"], true);

    // With whitespace ignored (the default) the double space is not a change, and the ops still rebuild both bodies.
    let d = app
        .get(&format!("/api/v1/documents/{id}/diff?from=1.0&to=2.0"))
        .await
        .json();
    assert_eq!(rebuild(&d), (V1.to_string(), V2.to_string()));
    let kontroll = d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["to_heading"] == "Kontroll")
        .unwrap();
    assert_eq!(kontroll["status"], "unchanged");

    // Newer first works too.
    let d = app
        .get(&format!(
            "/api/v1/documents/{id}/diff?from=2.0&to=1.0&ignore_whitespace=false"
        ))
        .await
        .json();
    assert_eq!(rebuild(&d), (V2.to_string(), V1.to_string()));

    // A unified diff download.
    let res = app
        .get(&format!("/api/v1/documents/{id}/diff?from=1.0&to=2.0&format=diff"))
        .await;
    res.assert_status(200);
    assert!(res.header("content-type").starts_with("text/x-diff"));
    assert!(res.header("content-disposition").contains("attachment"));
    assert!(res.text().contains("+Virksomheten skal logge alle oppslag."));
}

#[tokio::test]
async fn bad_comparisons_are_clear_4xx() {
    let app = TestApp::new().await;
    let id = app.published_sheet("15", "Logging", V1).await;
    let hidden = app.create("fact_sheet", Some("99"), "Utkast", "x").await;
    app.get(&format!("/api/v1/documents/{id}/diff?from=1.0&to=9.0"))
        .await
        .assert_problem(404, "9.0");
    app.get(&format!("/api/v1/documents/{id}/diff?from=zz&to=1.0"))
        .await
        .assert_problem(404, "zz");
    app.get(&format!("/api/v1/documents/{id}/diff?from=1.0&to=1.0&lang=en"))
        .await
        .assert_problem(404, "en");
    app.get(&format!("/api/v1/documents/{id}/diff?from=1.0"))
        .await
        .assert_problem(400, "to");
    app.get(&format!("/api/v1/documents/{id}/diff?from=1.0&to=1.0&format=xml"))
        .await
        .assert_problem(400, "format");
    app.get(&format!(
        "/api/v1/documents/{id}/diff?from=1.0&to=1.0&ignore_case=perhaps"
    ))
    .await
    .assert_problem(400, "");
    app.get("/api/v1/documents/999999/diff?from=1.0&to=1.0")
        .await
        .assert_problem(404, "999999");
    app.get(&format!("/api/v1/documents/{hidden}/diff?from=1.0&to=1.0"))
        .await
        .assert_problem(404, "");
    app.get(&format!("/api/v1/documents/{id}/successor-diff"))
        .await
        .assert_problem(409, "not withdrawn");
    app.get(&format!("/api/v1/documents/{id}/translations/nb/source-diff"))
        .await
        .assert_problem(422, "own language");
    app.get(&format!("/api/v1/documents/{id}/translations/en/source-diff"))
        .await
        .assert_problem(404, "en");
    // The same version against itself is all equal.
    let d = app
        .get(&format!("/api/v1/documents/{id}/diff?from=1.0&to=1.0"))
        .await
        .json();
    assert_eq!(d["summary"]["change_kind"], "none");
}

#[tokio::test]
async fn translators_see_what_changed_in_the_source_and_readers_the_successor() {
    let app = TestApp::new().await;
    let id = app.published_sheet("15", "Logging", V1).await;
    app.post(
        &format!("/api/v1/documents/{id}/translations"),
        json!({"language": "en", "source_label": "1.0", "title": "Logging", "body": "# Logging\n\nShould log lookups.\n"}),
    )
    .await
    .assert_status(201);
    app.publish(id, "en", "substantive", "Translation")
        .await
        .assert_status(200);
    app.draft(id, V2).await.assert_status(201);
    app.publish(id, "nb", "substantive", "Krav skjerpet")
        .await
        .assert_status(200);

    let d = app
        .get(&format!(
            "/api/v1/documents/{id}/translations/en/source-diff?ignore_whitespace=false"
        ))
        .await
        .json();
    assert_eq!(d["from"]["label"], "1.0");
    assert_eq!(d["from"]["language"], "nb");
    assert_eq!(d["to"]["label"], "2.0");
    assert_eq!(rebuild(&d), (V1.to_string(), V2.to_string()));

    let successor = app
        .published_sheet("16", "Ny logging", "# Logging\n\nNy tekst.\n")
        .await;
    assert_unchanged!(
        app,
        app.get(&format!("/api/v1/documents/{id}/successor-diff"))
            .await
            .assert_problem(409, "not withdrawn")
    );
    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Erstattet", "successors": [successor]}),
    )
    .await
    .assert_status(200);
    let d = app
        .get(&format!(
            "/api/v1/documents/{id}/successor-diff?ignore_whitespace=false"
        ))
        .await
        .json();
    assert_eq!(d["from"]["document_id"], id);
    assert_eq!(d["from"]["label"], "2.0");
    assert_eq!(d["to"]["document_id"], successor);
    assert_eq!(d["to"]["url"], "/faktaark/16/versjon/1.0");
    assert_eq!(rebuild(&d), (V2.to_string(), "# Logging\n\nNy tekst.\n".to_string()));
    app.get(&format!("/api/v1/documents/{id}/successor-diff?successor=424242"))
        .await
        .assert_problem(404, "successor");
}

#[tokio::test]
async fn a_huge_diff_is_bounded_and_says_so() {
    let app = TestApp::new().await;
    // 400,000 headings (1.6 MB), then one character changed in the middle.
    let v1 = "# x\n".repeat(400_000);
    let mut v2 = v1.clone();
    v2.replace_range(800_002..800_003, "y");
    let id = app.published_sheet("77", "Mange overskrifter", &v1).await;
    app.draft(id, &v2).await.assert_status(201);
    app.publish(id, "nb", "editorial", "Én bokstav")
        .await
        .assert_status(200);

    let res = app.get(&format!("/api/v1/documents/{id}/diff?from=1.0&to=1.1")).await;
    res.assert_status(200);
    println!("diff JSON: {} bytes", res.body.len());
    assert!(res.body.len() < 1_000_000, "JSON of {} bytes", res.body.len());
    let d = res.json();
    assert_eq!(d["degraded"], true);
    let limit = &d["output_limit"];
    assert!(limit["sections"].as_u64().unwrap() >= 400_000, "{limit}");
    let collapsed: u64 = d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["collapsed"].as_u64())
        .sum();
    assert_eq!(collapsed, limit["sections_collapsed"].as_u64().unwrap());
    assert!(collapsed > 399_000, "{collapsed}");
    // The change itself is there.
    let ops: Vec<&Value> = d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["ops"].as_array().unwrap())
        .collect();
    assert!(
        ops.iter()
            .any(|o| o["op"] == "insert" && o["text"].as_str().unwrap().contains('y'))
    );

    let page = app.get("/faktaark/77/sammenlign?fra=1.0&til=1.1").await;
    page.assert_status(200);
    println!("compare page: {} bytes", page.body.len());
    assert!(page.body.len() < 2_000_000, "page of {} bytes", page.body.len());
    let html = page.text();
    assert!(html.contains("Sammenligningen er for stor til å vises i sin helhet"));
    assert!(html.contains("uendrede avsnitt, fra"));
}

#[tokio::test]
async fn a_small_diff_has_no_output_limit() {
    let app = TestApp::new().await;
    let id = app.published_sheet("78", "Liten", V1).await;
    app.draft(id, V2).await.assert_status(201);
    app.publish(id, "nb", "substantive", "Endret").await.assert_status(200);
    let d = app
        .get(&format!("/api/v1/documents/{id}/diff?from=1.0&to=2.0"))
        .await
        .json();
    assert!(d.get("output_limit").is_none());
    for s in d["sections"].as_array().unwrap() {
        assert!(s.get("collapsed").is_none() && s.get("ops_omitted").is_none());
        assert!(
            s["ops"]
                .as_array()
                .unwrap()
                .iter()
                .all(|o| o.get("omitted_bytes").is_none())
        );
    }
    assert_eq!(rebuild(&d), (V1.to_string(), V2.to_string()));
}
