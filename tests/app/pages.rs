//! Bounded pages (issue 12): the change log pages without counting the registry, and reads
//! the newest publications along an index instead of sorting them all.

use sea_orm::{ConnectionTrait, DbBackend, QuerySelect, QueryTrait, Statement, TransactionTrait};

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
    let stmt = feeds::publications_query(None).limit(51).build(backend);
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
