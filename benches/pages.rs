//! Page benchmark (issue 12): what each public page and API list costs over HTTP at the size of
//! the real corpus and at 10,000 documents, beside the search endpoint measured in the same run,
//! and what importing the corpus costs on SQLite and on PostgreSQL.
//!
//! ```sh
//! cargo bench --bench pages                                  # about 4 minutes
//! cargo bench --bench pages -- --size 10000 --seconds 3 --connections 16 --no-pg
//! ```
//!
//! The registry is the real Digdir corpus (every version of its 418 documents) imported through
//! `services::import` into a fresh SQLite registry, served by the real router on 127.0.0.1 and
//! driven by `wrk` (one connection, keep-alive, so p50 and p99 are per-request latencies). It
//! is then grown to `--size` documents by importing the corpus's histories again under new
//! keys (same bodies, same number of versions per document), and measured again. The import
//! of the corpus file is timed on SQLite and on PostgreSQL (`--pg URL` / `BENCH_PG_URL`; the
//! bench creates a database `bench_pages_<pid>` and drops it).

mod common;

use std::io::Read;
use std::sync::Arc;
use std::time::Instant;

use common::{Args, WrkResult, corpus_path, fmt_ms, fmt_ratio, machine, print_table, run_wrk};
use index::SearchIndex;
use migration::MigratorTrait;
use normen_registry::entities::version;
use normen_registry::services::{documents, import, search as search_service};
use normen_registry::{AppState, build_router, db};
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};

/// The figures in issue 12, measured on the code before it: p50 at the corpus's size and at
/// 10,000 documents (ms), in the order of `PAGES`.
const BEFORE: &[(&str, f64, f64)] = &[
    ("/", 26.0, 80.0),
    ("/endringer", 53.0, 92.0),
    ("/endringer.atom", 53.0, 104.0),
    ("/veiledere", 57.0, 667.0),
    ("/faktaark", f64::NAN, f64::NAN),
    ("/utgatt", 18.0, 23.0),
    ("/api/v1/documents?limit=50", 5.0, 9.0),
    ("document page", 4.4, 5.4),
    ("old version", 4.4, 6.0),
    ("compare page", 4.4, 6.0),
    ("document feed", 3.5, 13.0),
];

struct Settings {
    size: usize,
    seconds: usize,
    connections: usize,
    pg: Option<String>,
}

/// What one page cost at one size.
struct Measured {
    name: String,
    result: Result<WrkResult, String>,
}

fn main() {
    let args = Args::parse(&["size", "seconds", "connections", "pg", "no-pg"]);
    let settings = Settings {
        size: args.number("size", 10_000).max(500),
        seconds: args.number("seconds", 3).max(1),
        connections: args.number("connections", 16).max(2),
        pg: (!args.flag("no-pg")).then(|| {
            args.get("pg")
                .map(str::to_string)
                .or_else(|| std::env::var("BENCH_PG_URL").ok())
                .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".into())
        }),
    };
    println!("pages over HTTP; {}", machine());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let corpus = read_gz("digdir-docs.jsonl.gz");
    rt.block_on(run(&settings, &corpus));
}

fn read_gz(file: &str) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(corpus_path(file)).expect("corpus file"))
        .read_to_string(&mut text)
        .expect("corpus text");
    text
}

/// The corpus again under new keys, `copies` times: the same histories, other documents.
fn copies_of(corpus: &str, first: usize, copies: usize, limit: usize) -> String {
    let lines: Vec<serde_json::Value> = corpus
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("corpus line"))
        .collect();
    let mut keys: Vec<String> = lines
        .iter()
        .filter_map(|v| v["doc"].as_str().map(str::to_string))
        .collect();
    keys.sort();
    keys.dedup();
    let mut out = String::new();
    let mut made = 0;
    'copies: for c in first..first + copies {
        for key in &keys {
            if made == limit {
                break 'copies;
            }
            made += 1;
            for line in lines.iter().filter(|v| v["doc"].as_str() == Some(key.as_str())) {
                let mut line = line.clone();
                for field in ["doc", "origin", "path"] {
                    if let Some(s) = line[field].as_str() {
                        line[field] = format!("kopi{c}/{s}").into();
                    }
                }
                if let Some(t) = line["title"].as_str() {
                    line["title"] = format!("{t} (kopi {c})").into();
                }
                out.push_str(&line.to_string());
                out.push('\n');
            }
        }
    }
    out
}

async fn import_timed(db: &DatabaseConnection, text: &str) -> (usize, f64) {
    let started = Instant::now();
    let summary = import::import_corpus(db, text, &mut |_, _| {}).await.expect("import");
    assert!(
        summary.skipped.is_empty(),
        "import skipped lines: {:?}",
        &summary.skipped[..3.min(summary.skipped.len())]
    );
    (summary.documents_added, started.elapsed().as_secs_f64())
}

async fn run(settings: &Settings, corpus: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = db::connect(None, &dir.path().join("db")).await.expect("sqlite");
    migration::Migrator::up(&db, None).await.expect("migrate");
    let (base_docs, sqlite_import) = import_timed(&db, corpus).await;
    let pg_import = match &settings.pg {
        Some(url) => pg_import(url, corpus).await,
        None => Err("--no-pg".into()),
    };
    print_table(
        "Import of digdir-docs.jsonl.gz (every version) into a fresh registry, services::import",
        &["database", "documents", "seconds", "vs SQLite"],
        &[
            vec![
                "SQLite".into(),
                base_docs.to_string(),
                format!("{sqlite_import:.2}"),
                "1.0x".into(),
            ],
            match &pg_import {
                Ok(s) => vec![
                    "PostgreSQL".into(),
                    base_docs.to_string(),
                    format!("{s:.2}"),
                    fmt_ratio(s / sqlite_import),
                ],
                Err(e) => vec![
                    "PostgreSQL".into(),
                    format!("skipped ({e})"),
                    String::new(),
                    String::new(),
                ],
            },
        ],
    );

    let index_dir = dir.path().join("index");
    let search = search_service::SearchHandle::new(Arc::new(SearchIndex::open(&index_dir).expect("index")));
    search.catch_up(&db).await.expect("index");
    // Two servers on the same registry: one keeps rendered pages (as `serve` does), the other
    // makes every page for each request, which is what a page costs when it is not kept.
    let state = AppState::new(db.clone(), search.clone());
    let (url, server) = serve(state.clone()).await;
    let (made_url, made_server) = serve(state.without_page_cache()).await;

    let pages = pages_of(&db).await;
    let small_made = measure(&made_url, &pages, settings.seconds).await;
    let small = measure(&url, &pages, settings.seconds).await;

    let extra = settings.size.saturating_sub(base_docs);
    let copies = extra.div_ceil(base_docs.max(1));
    let grown = copies_of(corpus, 1, copies, extra);
    let (added, grow_secs) = import_timed(&db, &grown).await;
    let started = Instant::now();
    search.catch_up(&db).await.expect("index");
    println!(
        "\n  grown by {added} documents ({copies} copies of the corpus's histories) in {grow_secs:.1} s; index caught up in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let total = base_docs + added;
    let large_made = measure(&made_url, &pages, settings.seconds).await;
    let large = measure(&url, &pages, settings.seconds).await;
    report(
        "made for each request (page cache off)",
        &small_made,
        &large_made,
        base_docs,
        total,
    );
    report(
        "served by `serve` (rendered pages kept)",
        &small,
        &large,
        base_docs,
        total,
    );

    let mut rows = Vec::new();
    for (server, base) in [("kept", &url), ("made each time", &made_url)] {
        for (name, path) in pages
            .iter()
            .filter(|(n, _)| ["/", "document page", "/endringer"].contains(&n.as_str()))
        {
            let name = format!("{name} ({server})");
            let url = format!("{base}{path}");
            let connections = settings.connections;
            let result = tokio::task::spawn_blocking(move || {
                let _ = run_wrk(None, &url, connections, 1);
                run_wrk(None, &url, connections, 10)
            })
            .await
            .expect("wrk task");
            rows.push(match result {
                Ok(r) => r.row(&name),
                Err(e) => vec![name.clone(), format!("skipped ({e})")],
            });
        }
    }
    print_table(
        &format!(
            "wrk, {} connections, {total} documents (target: at least 2,000 requests/s each)",
            settings.connections
        ),
        &["page", "requests/s", "p50", "p90", "p99", "non-2xx"],
        &rows,
    );
    server.abort();
    made_server.abort();
}

/// Serves the router around `state` on a free local port.
async fn serve(state: AppState) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let router = build_router(state);
    (url, tokio::spawn(async move { axum::serve(listener, router).await }))
}

/// The paths measured: the lists, and the pages of the document with the longest history.
async fn pages_of(db: &DatabaseConnection) -> Vec<(String, String)> {
    let (doc_id, _): (i32, i64) = version::Entity::find()
        .select_only()
        .column(version::Column::DocumentId)
        .column_as(version::Column::Id.count(), "n")
        .group_by(version::Column::DocumentId)
        .order_by_desc(version::Column::Id.count())
        .into_tuple()
        .one(db)
        .await
        .expect("versions")
        .expect("a document");
    let doc = documents::find_visible(db, doc_id, false).await.expect("document");
    let labels: Vec<Option<String>> = version::Entity::find()
        .select_only()
        .column(version::Column::Label)
        .filter(version::Column::DocumentId.eq(doc_id))
        .order_by_asc(version::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .expect("labels");
    let labels: Vec<String> = labels.into_iter().flatten().collect();
    let (first, last) = (labels.first().expect("a label"), labels.last().expect("a label"));
    let url = doc.url();
    // The lists are the entries of `BEFORE` named by their path.
    let mut pages: Vec<(String, String)> = BEFORE
        .iter()
        .filter(|(path, _, _)| path.starts_with('/'))
        .map(|(path, _, _)| (path.to_string(), path.to_string()))
        .collect();
    pages.push(("document page".into(), url.clone()));
    pages.push(("old version".into(), format!("{url}/versjon/{first}")));
    pages.push((
        "compare page".into(),
        format!("{url}/sammenlign?fra={first}&til={last}"),
    ));
    pages.push(("document feed".into(), format!("{url}/endringer.atom")));
    pages.push((
        "search endpoint".into(),
        "/api/v1/search?q=tilgangsstyring&limit=10".into(),
    ));
    pages
}

async fn measure(url: &str, pages: &[(String, String)], seconds: usize) -> Vec<Measured> {
    let mut out = Vec::new();
    for (name, path) in pages {
        let target = format!("{url}{path}");
        let result = tokio::task::spawn_blocking(move || {
            // Warm (the first view of a version renders and keeps its HTML), then measure.
            let _ = run_wrk(None, &target, 1, 1);
            run_wrk(None, &target, 1, seconds)
        })
        .await
        .expect("wrk task");
        if let Ok(r) = &result
            && r.non_2xx > 0
        {
            println!("  {name} ({path}): {} answers were not 2xx", r.non_2xx);
        }
        out.push(Measured {
            name: name.clone(),
            result,
        });
    }
    out
}

fn report(what: &str, small: &[Measured], large: &[Measured], small_docs: usize, large_docs: usize) {
    let p50 = |m: &Measured| m.result.as_ref().map(|r| r.p50).unwrap_or(f64::NAN);
    let p99 = |m: &Measured| m.result.as_ref().map(|r| r.p99).unwrap_or(f64::NAN);
    let search_large = large
        .iter()
        .find(|m| m.name == "search endpoint")
        .map(p50)
        .unwrap_or(f64::NAN);
    let rows: Vec<Vec<String>> = small
        .iter()
        .zip(large)
        .map(|(s, l)| {
            let before = BEFORE.iter().find(|(n, _, _)| *n == s.name);
            let old = |v: Option<f64>| v.filter(|v| v.is_finite()).map(fmt_ms).unwrap_or_default();
            vec![
                s.name.clone(),
                fmt_ms(p50(s)),
                fmt_ms(p99(s)),
                fmt_ms(p50(l)),
                fmt_ms(p99(l)),
                fmt_ratio(p50(l) / p50(s)),
                fmt_ratio(p50(l) / search_large),
                old(before.map(|b| b.1)),
                old(before.map(|b| b.2)),
            ]
        })
        .collect();
    let (a, b) = (small_docs.to_string(), large_docs.to_string());
    print_table(
        &format!(
            "GET over HTTP keep-alive, wrk, 1 connection, pages {what} (ms; targets: {b} docs at most 2x {a} docs and at most 4x search)"
        ),
        &[
            "page",
            &format!("{a} p50"),
            &format!("{a} p99"),
            &format!("{b} p50"),
            &format!("{b} p99"),
            "growth",
            "vs search",
            "before p50 (418)",
            "before p50 (10k)",
        ],
        &rows,
    );
}

async fn pg_import(admin: &str, corpus: &str) -> Result<f64, String> {
    let admin_db = Database::connect(admin)
        .await
        .map_err(|e| format!("unreachable: {e}"))?;
    let name = format!("bench_pages_{}", std::process::id());
    let exec = |sql: String| Statement::from_string(DbBackend::Postgres, sql);
    admin_db
        .execute_raw(exec(format!("DROP DATABASE IF EXISTS {name}")))
        .await
        .map_err(|e| e.to_string())?;
    admin_db
        .execute_raw(exec(format!("CREATE DATABASE {name}")))
        .await
        .map_err(|e| e.to_string())?;
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    let result = async {
        let db = Database::connect(format!("{base}/{name}"))
            .await
            .map_err(|e| e.to_string())?;
        migration::Migrator::up(&db, None).await.map_err(|e| e.to_string())?;
        let (_, secs) = import_timed(&db, corpus).await;
        db.close().await.map_err(|e| e.to_string())?;
        Ok(secs)
    }
    .await;
    let _ = admin_db
        .execute_raw(exec(format!("DROP DATABASE IF EXISTS {name}")))
        .await;
    result
}
