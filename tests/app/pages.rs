//! Bounded pages (issue 12): the change log pages without counting the registry, and reads
//! the newest publications along an index instead of sorting them all.

use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, QuerySelect, QueryTrait, Statement, TransactionTrait};

use normen_registry::services::feeds;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_change_log_offers_a_next_page_exactly_when_one_more_entry_exists() {
    let app = TestApp::new().await;
    for n in 1..=50 {
        app.published_sheet(&n.to_string(), &format!("Ark nummer {n:03}"), "Tekst.")
            .await;
    }
    let one_page = app.get("/endringer").await;
    one_page.assert_status(200);
    assert!(!one_page.text().contains("rel=\"next\""), "50 entries fit on one page");
    assert!(one_page.text().contains("Ark nummer 050") && one_page.text().contains("Ark nummer 001"));

    app.published_sheet("51", "Ark nummer 051", "Tekst.").await;
    let first = app.get("/endringer").await.text();
    assert!(
        first.contains("href=\"/endringer?side=2\" rel=\"next\""),
        "a 51st entry needs a page 2"
    );
    assert!(first.contains("Ark nummer 051"), "newest first");
    assert!(!first.contains("Ark nummer 001"), "the oldest is on page 2");
    let second = app.get("/endringer?side=2").await.text();
    assert!(second.contains("Ark nummer 001"));
    assert!(!second.contains("Ark nummer 002"), "page 2 holds only what page 1 left");
    assert!(!second.contains("rel=\"next\""));
}

/// The plan of the change log's query, as the database would run it.
async fn plan(app: &TestApp) -> String {
    let backend = app.db.get_database_backend();
    explain(app, feeds::publications_query(None).limit(51).build(backend)).await
}

/// The plan of a query, as the database would run it.
async fn explain(app: &TestApp, stmt: sea_orm::Statement) -> String {
    let backend = app.db.get_database_backend();
    // One connection for the settings and the question.
    let txn = app.db.begin().await.unwrap();
    let explain = match backend {
        DbBackend::Postgres => {
            // With a handful of rows PostgreSQL would rather sort; ask what it does when it must not.
            txn.execute_unprepared("SET LOCAL enable_sort = off").await.unwrap();
            txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.unwrap();
            "EXPLAIN"
        }
        _ => "EXPLAIN QUERY PLAN",
    };
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!("{explain} {}", stmt.sql),
            stmt.values.unwrap_or(sea_orm::Values(Vec::new())),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            r.try_get_by_index::<String>(if backend == DbBackend::Postgres { 0 } else { 3 })
                .unwrap()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_newest_withdrawals_are_read_along_an_index_without_sorting() {
    let app = TestApp::new().await;
    for (number, on) in [("37", Some("2025-09-16")), ("38", None), ("39", Some("2024-01-02"))] {
        let id = app
            .published_sheet_on(number, "Tilgangsstyring", "Tekst.", "2023-05-01")
            .await;
        let body = match on {
            Some(d) => serde_json::json!({"reason": "Erstattet", "withdrawn_on": d}),
            None => serde_json::json!({"reason": "Erstattet", "date_unknown": true}),
        };
        app.post(&format!("/api/v1/documents/{id}/withdraw"), body)
            .await
            .assert_status(200);
    }
    let backend = app.db.get_database_backend();
    let plan = explain(&app, feeds::withdrawals_query(None, None).limit(51).build(backend)).await;
    // PostgreSQL's index says NULLS LAST; SQLite reads its plain one backwards (see the migration).
    let index = match backend {
        DbBackend::Postgres => "idx_withdrawal_list",
        _ => "idx_withdrawal_withdrawn_on",
    };
    assert!(plan.contains(index), "{plan}");
    assert!(
        !plan.contains("TEMP B-TREE") && !plan.contains("Sort"),
        "no sort of every withdrawal: {plan}"
    );
    // The order the index gives: newest first, the unknown date last.
    let list = app.get("/utgatt").await.text();
    let at = |n: &str| list.find(&format!("Faktaark {n}")).expect(n);
    assert!(at("37") < at("39") && at("39") < at("38"), "{list}");
}

#[tokio::test]
async fn the_newest_publications_are_read_along_an_index_without_sorting() {
    let app = TestApp::new().await;
    app.published_sheet("37", "Tilgangsstyring", "Tekst.").await;
    let plan = plan(&app).await;
    assert!(plan.contains("idx_version_published"), "{plan}");
    assert!(
        !plan.contains("TEMP B-TREE") && !plan.contains("Sort"),
        "no sort of every version: {plan}"
    );
}

/// The guide titles in the order `/veiledere` (page `side`) lists them.
async fn guide_titles(app: &TestApp, side: u64) -> Vec<String> {
    let html = app.get(&format!("/veiledere?side={side}")).await.text();
    html.split("\">Veileder ")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .map(|t| format!("Veileder {t}"))
        .collect()
}

#[tokio::test]
async fn guides_are_paged_by_title_in_sql_with_the_norwegian_letters_last() {
    let app = TestApp::new().await;
    let mut ids = Vec::new();
    for n in (0..98).rev() {
        let id = app.create("guide", None, &format!("Veileder b{n:03}"), "Tekst.").await;
        app.publish(id, "nb", "substantive", "Første versjon")
            .await
            .assert_status(200);
        ids.push(id);
    }
    for title in [
        "Veileder Åpenhet",
        "Veileder øvelser",
        "Veileder Ærlighet",
        "Veileder Z",
    ] {
        let id = app.create("guide", None, title, "Tekst.").await;
        app.publish(id, "nb", "substantive", "Første versjon")
            .await
            .assert_status(200);
    }
    let first = guide_titles(&app, 1).await;
    assert_eq!(first.len(), 100, "{first:?}");
    assert_eq!(first[0], "Veileder b000");
    assert_eq!(first[97], "Veileder b097");
    assert_eq!(&first[98..], ["Veileder Z", "Veileder Ærlighet"]);
    assert_eq!(guide_titles(&app, 2).await, ["Veileder øvelser", "Veileder Åpenhet"]);
    assert_eq!(
        guide_titles(&app, 9).await,
        guide_titles(&app, 2).await,
        "past the end: the last page"
    );

    // A new version's title moves the guide; the list follows the write.
    let moved = ids[0]; // "Veileder b097"
    app.post(
        &format!("/api/v1/documents/{moved}/drafts"),
        serde_json::json!({"title": "Veileder a-først", "body": "Tekst."}),
    )
    .await
    .assert_status(201);
    let before = guide_titles(&app, 1).await;
    assert_eq!(before[0], "Veileder b000", "a draft's title does not move it");
    app.publish(moved, "nb", "editorial", "Ny tittel")
        .await
        .assert_status(200);
    let after = guide_titles(&app, 1).await;
    assert_eq!(after[0], "Veileder a-først");
    assert!(!after.contains(&"Veileder b097".to_string()));
}

#[tokio::test]
async fn the_migration_fills_the_list_keys_of_the_documents_there_are() {
    let app = TestApp::new().await;
    let id = app.create("guide", None, "Veileder Øst", "Tekst.").await;
    app.publish(id, "nb", "substantive", "Første versjon")
        .await
        .assert_status(200);
    // Steps down to before the migration that added the list keys, and up again.
    let all = migration::Migrator::migrations();
    let at = all
        .iter()
        .position(|m| m.name() == "m20261204_000001_page_indexes")
        .expect("the page indexes migration");
    let steps = (all.len() - at) as u32;
    migration::Migrator::down(&app.db, Some(steps)).await.unwrap();
    let undone = normen_registry::entities::document::Entity::find_by_id(id as i32)
        .one(&app.db)
        .await;
    assert!(undone.is_err(), "the list key's column is gone after down");
    migration::Migrator::up(&app.db, None).await.unwrap();
    let doc = normen_registry::entities::document::Entity::find_by_id(id as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc.sort_title.as_deref(), Some("veileder |st"));
}
