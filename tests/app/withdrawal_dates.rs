//! Material withdrawn on a date nobody recorded says "dato ukjent" instead of an invented date:
//! through the API, the form, every page that shows the date, and the migration that made the
//! date optional.

use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use serde_json::json;

use crate::helpers::TestApp;
use crate::web::{assert_html, signed_in};
use normen_registry::domain::Role;
use normen_registry::entities::{external_successor, withdrawal};

#[tokio::test]
async fn an_unknown_withdrawal_date_is_said_so_everywhere() {
    let app = TestApp::new().await;
    let id = app
        .published_sheet_on("01", "Ansvar og organisering", "Tekst.\n", "2012-03-01")
        .await;

    // A date and "unknown" at once is a contradiction, and changes nothing.
    let res = app
        .post(
            &format!("/api/v1/documents/{id}/withdraw"),
            json!({"reason": "Sanert", "withdrawn_on": "2020-01-01", "date_unknown": true}),
        )
        .await;
    res.assert_status(422);
    assert!(res.header("content-type").starts_with("application/problem+json"));
    assert_eq!(
        app.get(&format!("/api/v1/documents/{id}")).await.json()["status"],
        "published"
    );

    app.post(
        &format!("/api/v1/documents/{id}/withdraw"),
        json!({"reason": "Sanert", "date_unknown": true}),
    )
    .await
    .assert_status(200);

    let res = app.get(&format!("/api/v1/documents/{id}")).await;
    let doc = res.json();
    assert_eq!(doc["status"], "withdrawn");
    assert!(doc["withdrawal"]["withdrawn_on"].is_null(), "{doc}");
    assert!(doc["withdrawal"]["recorded_at"].is_string(), "{doc}");
    // Clients still learn it is deprecated (no later than the day it was recorded).
    assert!(res.header("deprecation").starts_with('@'));

    let html = app.get("/faktaark/01").await.text();
    let banner = &html[html.find("banner-withdrawn").expect("the banner")..];
    assert!(
        banner[..banner.find("</dl>").unwrap()].contains("dato ukjent"),
        "{banner}"
    );
    // The history's withdrawal row, the timeline's mark and the JSON-LD say no date either.
    assert!(html.contains(r#"<td class="date">dato ukjent</td>"#), "{html}");
    assert!(html.contains("<title>Utgått dato ukjent</title>"), "{html}");
    assert!(html.contains("utgått dato ukjent."), "{html}");
    assert!(
        html.contains(r#""creativeWorkStatus":"Obsolete""#) && !html.contains(r#""expires""#),
        "{html}"
    );
    let list = app.get("/utgatt").await.text();
    assert!(list.contains("dato ukjent"), "{list}");
    assert!(app.get("/endringer").await.text().contains("dato ukjent"));
    let feed = app.get("/endringer.atom").await.text();
    assert!(roxmltree::Document::parse(&feed).is_ok(), "{feed}");

    // Known dates come first in the list of withdrawn material, on both databases.
    let known = app
        .published_sheet_on("02", "Styringssystem", "Tekst.\n", "2012-03-01")
        .await;
    app.post(
        &format!("/api/v1/documents/{known}/withdraw"),
        json!({"reason": "Sanert", "withdrawn_on": "2019-06-01"}),
    )
    .await
    .assert_status(200);
    let list = app.get("/utgatt").await.text();
    assert!(
        list.find("Styringssystem").unwrap() < list.find("Ansvar og organisering").unwrap(),
        "{list}"
    );
}

#[tokio::test]
async fn the_withdraw_form_can_say_the_date_is_unknown() {
    let app = TestApp::new().await;
    let id = app.published_sheet("08", "Avviksbehandling", "Tekst.\n").await;
    let mut b = signed_in(&app, "Eva", Role::Editor).await;
    let form = assert_html(&b.get(&format!("/redaksjon/dokumenter/{id}/trekk-tilbake")).await, 200);
    assert!(form.contains(r#"name="date_unknown""#), "{form}");
    // Both a date and "unknown" is refused by the field.
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/trekk-tilbake"),
            &[
                ("reason", "Sanert"),
                ("withdrawn_on", "2020-01-01"),
                ("date_unknown", "on"),
            ],
        )
        .await;
    let html = assert_html(&res, 422);
    assert!(html.contains(r#"id="f-withdrawn_on-error""#), "{html}");
    let res = b
        .post(
            &format!("/redaksjon/dokumenter/{id}/trekk-tilbake"),
            &[("reason", "Sanert"), ("date_unknown", "on")],
        )
        .await;
    res.assert_status(303);
    assert!(app.get(&format!("/api/v1/documents/{id}")).await.json()["withdrawal"]["withdrawn_on"].is_null());
}

#[tokio::test]
async fn the_migration_keeps_withdrawals_and_what_points_at_them() {
    let app = TestApp::new().await;
    let a = app
        .published_sheet_on("37", "Sikkerhetskrav", "Tekst.\n", "2012-03-01")
        .await;
    app.post(
        &format!("/api/v1/documents/{a}/withdraw"),
        json!({"reason": "Sanert", "withdrawn_on": "2025-09-16",
               "external_successors": [{"title": "Prosjektveiviseren", "url": "https://www.digdir.no/prosjektveiviseren"}]}),
    )
    .await
    .assert_status(200);
    let b = app.published_sheet_on("01", "Ansvar", "Tekst.\n", "2012-03-01").await;
    app.post(
        &format!("/api/v1/documents/{b}/withdraw"),
        json!({"reason": "Sanert", "date_unknown": true}),
    )
    .await
    .assert_status(200);
    let before = withdrawal::Entity::find()
        .order_by_asc(withdrawal::Column::Id)
        .all(&app.db)
        .await
        .unwrap();

    // Down: the unknown date becomes the day it was recorded; nothing else moves.
    let all = migration::Migrator::migrations();
    let mine = all
        .iter()
        .position(|m| m.name() == "m20261203_000001_withdrawal_date_unknown")
        .unwrap();
    migration::Migrator::down(&app.db, Some((all.len() - mine) as u32))
        .await
        .unwrap();
    let rows = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id, CAST(withdrawn_on AS TEXT) AS d FROM withdrawal ORDER BY id",
        ))
        .await
        .unwrap();
    let dates: Vec<(i32, String)> = rows
        .iter()
        .map(|r| (r.try_get("", "id").unwrap(), r.try_get("", "d").unwrap()))
        .collect();
    let recorded = before[1].created_at.date_naive().to_string();
    assert_eq!(
        dates,
        [(before[0].id, "2025-09-16".to_string()), (before[1].id, recorded)]
    );

    // Up again: the same rows, the external successor still points at its withdrawal, and an
    // unknown date can be stored again.
    migration::Migrator::up(&app.db, None).await.unwrap();
    let after = withdrawal::Entity::find()
        .order_by_asc(withdrawal::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(after.len(), 2);
    assert_eq!(
        (after[0].id, after[0].withdrawn_on, &after[0].reason),
        (before[0].id, before[0].withdrawn_on, &before[0].reason)
    );
    let external = external_successor::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(external.len(), 1);
    assert_eq!(external[0].withdrawal_id, before[0].id);
    let c = app.published_sheet_on("02", "Styring", "Tekst.\n", "2012-03-01").await;
    app.post(
        &format!("/api/v1/documents/{c}/withdraw"),
        json!({"reason": "Sanert", "date_unknown": true}),
    )
    .await
    .assert_status(200);
    let newest = withdrawal::Entity::find()
        .order_by_desc(withdrawal::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert!(newest[0].id > before[1].id, "no id is reissued");
    assert_eq!(newest[0].withdrawn_on, None);
    let page = app.get("/faktaark/37").await.text();
    assert!(page.contains("Prosjektveiviseren"), "{page}");
}
