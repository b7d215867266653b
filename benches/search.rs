//! Search benchmark: `cargo bench --bench search [-- --flags]`. Needs no network.
//!
//! Loads the current versions of the real Digdir corpus, grows them to each size by recombining
//! real paragraphs (plus 40 synthetic fact sheets for number queries), imports them through
//! `services::import` into a fresh SQLite registry, and measures on the same documents and the
//! same queries:
//!
//! * in-process `SearchIndex::search`: top-10 with snippets, without, and by date;
//! * the real HTTP server (127.0.0.1, random port) driven by `wrk` in a second process;
//! * publish-to-searchable through `editing::publish` + `SearchHandle::sync_documents`, as the API does;
//! * a full reindex (`services::search::rebuild`, database to index) and the index's own rebuild;
//! * the peers: SQLite FTS5 (bm25 + snippet) and PostgreSQL full-text search (`norwegian`,
//!   ts_rank + ts_headline, GIN index).
//!
//! Flags: `--sizes 10000,100000` (default 10000), `--reps N` (in-process repetitions per query,
//! default 30), `--peer-reps N`, `--wrk-seconds N` (default 10), `--connections N` (default 16),
//! `--publishes N` (default 50), `--import-above N` (default 20000: larger sizes import only the
//! real documents and put the recombined ones straight into the index), `--no-http`, `--no-peers`, `--pg URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`, or `BENCH_PG_URL`).

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{
    Args, WrkResult, fmt_ms, fmt_ratio, histories, machine, ms, percentile, print_table, read_corpus, run_wrk, stats,
    timed,
};
use index::{IndexedDocument, SearchIndex, SearchRequest, Sort};
use migration::MigratorTrait;
use normen_registry::domain::{Caller, DocumentKind, Role};
use normen_registry::entities::document;
use normen_registry::services::editing::{self, NewDocument, NewDraft, Publish};
use normen_registry::services::{Store, approvals, import, search as search_service, users};
use normen_registry::{AppState, build_router, db};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement, TransactionTrait, Value,
};

const FACT_SHEETS: usize = 40;
const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// How PostgreSQL gets a query.
#[derive(Clone, Copy)]
enum Pg {
    /// `websearch_to_tsquery('norwegian', ..)`.
    Web(&'static str),
    /// `to_tsquery('norwegian', ..)` (prefixes: `word:*`).
    Raw(&'static str),
}

/// One query, as the registry, FTS5 and PostgreSQL each take it.
struct BenchQuery {
    class: &'static str,
    ours: &'static str,
    fts5: &'static str,
    pg: Pg,
}

const fn q(class: &'static str, ours: &'static str, fts5: &'static str, pg: Pg) -> BenchQuery {
    BenchQuery { class, ours, fts5, pg }
}

/// The query set. The registry has one semantics for several words (any may match; documents
/// matching all of them rank first, then by exact matches, then BM25), so its AND and OR
/// queries are both plain word lists; the peers get `AND` / `OR`. The peers have no typo
/// tolerance (they get the misspelt word) and no fact-sheet numbers (`FA 12` becomes
/// `faktaark 12`).
const QUERIES: &[BenchQuery] = &[
    q("single word", "maskinporten", "maskinporten", Pg::Web("maskinporten")),
    q(
        "single word",
        "tilgangsstyring",
        "tilgangsstyring",
        Pg::Web("tilgangsstyring"),
    ),
    q("single word", "sikkerhet", "sikkerhet", Pg::Web("sikkerhet")),
    q(
        "single word",
        "virksomhetssertifikat",
        "virksomhetssertifikat",
        Pg::Web("virksomhetssertifikat"),
    ),
    q("single word", "leverandør", "leverandør", Pg::Web("leverandør")),
    q("single word", "samtykke", "samtykke", Pg::Web("samtykke")),
    q(
        "two words, AND",
        "maskinporten token",
        "maskinporten AND token",
        Pg::Web("maskinporten token"),
    ),
    q(
        "two words, AND",
        "integrasjonspunktet konfigurasjon",
        "integrasjonspunktet AND konfigurasjon",
        Pg::Web("integrasjonspunktet konfigurasjon"),
    ),
    q(
        "two words, AND",
        "delegering tilgang",
        "delegering AND tilgang",
        Pg::Web("delegering tilgang"),
    ),
    q(
        "two words, OR",
        "altinn ansattporten",
        "altinn OR ansattporten",
        Pg::Web("altinn or ansattporten"),
    ),
    q(
        "two words, OR",
        "signering sertifikat",
        "signering OR sertifikat",
        Pg::Web("signering or sertifikat"),
    ),
    q(
        "two words, OR",
        "logging nøkler",
        "logging OR nøkler",
        Pg::Web("logging or nøkler"),
    ),
    q(
        "phrase",
        "\"digital post til\"",
        "\"digital post til\"",
        Pg::Web("\"digital post til\""),
    ),
    q(
        "phrase",
        "\"private key jwt\"",
        "\"private key jwt\"",
        Pg::Web("\"private key jwt\""),
    ),
    q(
        "phrase",
        "\"ta kontakt med\"",
        "\"ta kontakt med\"",
        Pg::Web("\"ta kontakt med\""),
    ),
    q("prefix", "integrasjon*", "integrasjon*", Pg::Raw("integrasjon:*")),
    q("prefix", "sertifik*", "sertifik*", Pg::Raw("sertifik:*")),
    q("prefix", "autentiser*", "autentiser*", Pg::Raw("autentiser:*")),
    q(
        "typo",
        "virksomhetssertfikat",
        "virksomhetssertfikat",
        Pg::Web("virksomhetssertfikat"),
    ),
    q("typo", "maskinprten", "maskinprten", Pg::Web("maskinprten")),
    q("typo", "autentisring", "autentisring", Pg::Web("autentisring")),
    q("number", "faktaark 37", "faktaark AND 37", Pg::Web("faktaark 37")),
    q("number", "FA 12", "faktaark AND 12", Pg::Web("faktaark 12")),
    q("number", "RFC 7523", "rfc AND 7523", Pg::Web("rfc 7523")),
];

const CLASSES: &[&str] = &[
    "single word",
    "two words, AND",
    "two words, OR",
    "phrase",
    "prefix",
    "typo",
    "number",
];

/// Queries that match nothing and are long enough for typo expansion (each word is looked for
/// one edit away in the term dictionaries): their cost over [`ZERO_HIT_FLOOR`] is that search.
const ZERO_HIT: &[&str] = &["zqxjkvwy", "grmpfhtzl", "xylofonkvartett", "bvqlrtem"];
/// Queries that match nothing and are too short for typo expansion: the floor.
const ZERO_HIT_FLOOR: &[&str] = &["zqx", "grmp", "xyq", "bvql"];

/// The query set without the typos, which the peers answer with nothing (quickly).
const NOT_TYPOS: &str = "all but typos";

/// One document of the grown corpus.
struct Doc {
    key: String,
    title: String,
    lang: String,
    text: String,
    /// A fact sheet's number.
    number: Option<String>,
}

/// Timings (ms) per query, in `QUERIES` order.
type PerQuery = Vec<Vec<f64>>;

struct Settings {
    reps: usize,
    peer_reps: Option<usize>,
    wrk_seconds: usize,
    connections: usize,
    publishes: usize,
    import_above: usize,
    http: bool,
    peers: bool,
    pg_url: String,
}

/// What one size produced, for the summary.
#[derive(Default)]
struct Outcome {
    size: usize,
    ours_snip: Vec<f64>,
    ours_plain: Vec<f64>,
    fts5_snip: Option<Vec<f64>>,
    pg_snip: Option<Vec<f64>>,
    ours_snip_no_typo: Vec<f64>,
    fts5_snip_no_typo: Option<Vec<f64>>,
    pg_snip_no_typo: Option<Vec<f64>>,
    publish_ram: Vec<f64>,
    http_c1: Option<WrkResult>,
    http_load: Option<WrkResult>,
    publish: Vec<f64>,
    reindex_ms: f64,
    index_rebuild_ms: f64,
}

fn main() {
    let args = Args::parse(&[
        "sizes",
        "docs",
        "reps",
        "peer-reps",
        "wrk-seconds",
        "connections",
        "publishes",
        "import-above",
        "no-http",
        "no-peers",
        "pg",
    ]);
    let sizes = match args.get("docs") {
        Some(_) => args.list("docs", &[10_000]),
        None => args.list("sizes", &[10_000]),
    };
    let settings = Settings {
        reps: args.number("reps", 30).max(1),
        peer_reps: args.get("peer-reps").map(|_| args.number("peer-reps", 5).max(1)),
        wrk_seconds: args.number("wrk-seconds", 10).max(1),
        connections: args.number("connections", 16).max(1),
        publishes: args.number("publishes", 50),
        import_above: args.number("import-above", 20_000),
        http: !args.flag("no-http"),
        peers: !args.flag("no-peers"),
        pg_url: args
            .get("pg")
            .map(String::from)
            .or_else(|| std::env::var("BENCH_PG_URL").ok())
            .unwrap_or_else(|| DEFAULT_PG.into()),
    };

    println!("# search benchmark");
    println!("machine: {}", machine());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let base = current_versions();
    println!(
        "corpus: {} current documents of digdir-docs ({} MB); queries: {}",
        base.len(),
        base.iter().map(|d| d.text.len()).sum::<usize>() / 1_000_000,
        QUERIES.len()
    );

    let mut outcomes = Vec::new();
    for &size in &sizes {
        outcomes.push(run_size(&rt, &settings, &base, size));
    }
    summary(&outcomes);
}

/// The newest version of every document that still exists upstream.
fn current_versions() -> Vec<Doc> {
    let docs = histories(read_corpus("digdir-docs.jsonl.gz"));
    docs.into_values()
        .filter_map(|mut versions| versions.pop())
        .filter(|l| l.status == "current")
        .map(|l| Doc {
            title: l.title.clone().unwrap_or_else(|| l.doc.clone()),
            key: l.doc,
            lang: l.lang,
            text: l.text,
            number: None,
        })
        .collect()
}

fn split_front_matter(text: &str) -> (&str, &str) {
    if text.starts_with("---\n")
        && let Some(end) = text[4..].find("\n---\n")
    {
        return text.split_at(4 + end + 5);
    }
    ("", text)
}

/// The real documents, then recombinations of them up to `size` (fact sheets included): each
/// new document keeps a real document's front matter, title, language and paragraph count, and
/// takes each paragraph from it or, half the time, from any document in the same language.
fn grow(base: &[Doc], size: usize) -> Vec<Doc> {
    let mut rng = StdRng::seed_from_u64(size as u64);
    let mut pools: HashMap<&str, Vec<&str>> = HashMap::new();
    let split: Vec<(&str, Vec<&str>)> = base
        .iter()
        .map(|d| {
            let (front, body) = split_front_matter(&d.text);
            let paras: Vec<&str> = body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
            pools.entry(d.lang.as_str()).or_default().extend(paras.iter().copied());
            (front, paras)
        })
        .collect();
    let corpus_docs = size.saturating_sub(FACT_SHEETS);
    let mut out = Vec::with_capacity(size);
    for j in 0..corpus_docs {
        let t = &base[j % base.len()];
        if j < base.len() {
            out.push(Doc {
                key: t.key.clone(),
                title: t.title.clone(),
                lang: t.lang.clone(),
                text: t.text.clone(),
                number: None,
            });
            continue;
        }
        let (front, paras) = &split[j % base.len()];
        let pool = &pools[t.lang.as_str()];
        let mut text = front.to_string();
        for p in paras.iter().copied() {
            let p = if rng.random_bool(0.5) {
                p
            } else {
                pool[rng.random_range(0..pool.len())]
            };
            text.push_str(p);
            text.push_str("\n\n");
        }
        out.push(Doc {
            key: format!("bench/{j}/{}", t.key),
            title: format!("{} ({})", t.title, j / base.len()),
            lang: t.lang.clone(),
            text,
            number: None,
        });
    }
    let nb: Vec<&Doc> = base.iter().filter(|d| d.lang == "nb" && d.text.len() > 2_000).collect();
    for n in 1..=FACT_SHEETS.min(size) {
        let src = nb[(n * 7) % nb.len()];
        let (_, body) = split_front_matter(&src.text);
        out.push(Doc {
            key: format!("FA-{n}"),
            title: format!("Faktaark {n}: {}", src.title),
            lang: "nb".into(),
            text: format!("# Faktaark {n}\n\n{body}"),
            number: Some(n.to_string()),
        });
    }
    out
}

/// A registry with the documents in it, and its HTTP router's state.
struct App {
    state: AppState,
    caller: Caller,
    dir: tempfile::TempDir,
}

async fn build_app(docs: &[Doc], imported: usize) -> App {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = db::connect(None, &dir.path().join("db")).await.expect("sqlite");
    migration::Migrator::up(&db, None).await.expect("migrate");
    // The bench measures publishing, not the second pair of eyes.
    approvals::set_rules(&db, "bench", &approvals::ApprovalRules { required_for: vec![] })
        .await
        .expect("approval rules");
    let token = users::add_user(&db, "Bench Editor", Role::Editor, None)
        .await
        .expect("user");
    let caller = users::caller_for_token(&db, &token)
        .await
        .expect("caller")
        .expect("caller");

    let mut jsonl = String::new();
    for d in docs.iter().filter(|d| d.number.is_none()).take(imported) {
        let line = serde_json::json!({
            "doc": d.key, "status": "current", "n": 1, "of": 1, "date": "2024-06-01",
            "subject": "Import", "title": d.title, "lang": d.lang, "text": d.text,
        });
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    let started = Instant::now();
    let summary = import::import_corpus(&db, &jsonl, &mut |_, _| {})
        .await
        .expect("import");
    assert!(
        summary.skipped.is_empty(),
        "import skipped lines: {:?}",
        &summary.skipped[..3.min(summary.skipped.len())]
    );
    for d in docs.iter().filter(|d| d.number.is_some()) {
        let out = editing::create_document(
            Store::without_index(&db),
            &caller,
            NewDocument {
                kind: "fact_sheet".into(),
                number: d.number.clone(),
                slug: None,
                language: "nb".into(),
                title: d.title.clone(),
                summary: String::new(),
                body: d.text.clone(),
                normen_version: Some("6.0".into()),
                external_id: Some(d.key.clone()),
            },
        )
        .await
        .expect("create fact sheet");
        editing::publish(
            Store::without_index(&db),
            &caller,
            out.document_id,
            None,
            publish_input(),
        )
        .await
        .expect("publish");
    }
    println!(
        "  import into SQLite through services::import: {} documents in {:.1} s",
        summary.documents_added + FACT_SHEETS.min(docs.len()),
        started.elapsed().as_secs_f64()
    );
    let search =
        search_service::SearchHandle::new(Arc::new(SearchIndex::open(&dir.path().join("index")).expect("index")));
    search.catch_up(&db).await.expect("first index build");
    App {
        state: AppState::new(db, search),
        caller,
        dir,
    }
}

/// Document ids of entries put straight into the index start here.
const DIRECT_IDS: i64 = 1_000_000;

/// An index entry for a document that is not in the database.
fn direct_entry(j: usize, d: &Doc) -> IndexedDocument {
    IndexedDocument {
        document_id: DIRECT_IDS + j as i64,
        external_id: Some(d.key.clone()),
        kind: "guide".into(),
        number: None,
        language: d.lang.clone(),
        status: "published".into(),
        normen_version: None,
        version_label: "1.0".into(),
        title: d.title.clone(),
        summary: String::new(),
        body_markdown: d.text.clone(),
        published_on: chrono::NaiveDate::from_ymd_opt(2024, 6, 1),
        withdrawn_on: None,
        successors: Vec::new(),
        url: format!("https://example.org/{}", d.key),
    }
}

/// The database's projection (in batches, as `search::rebuild` does) plus `extra`.
async fn all_entries(db: &DatabaseConnection, extra: &[IndexedDocument]) -> Vec<IndexedDocument> {
    let ids: Vec<i32> = document::Entity::find()
        .select_only()
        .column(document::Column::Id)
        .order_by_asc(document::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .expect("ids");
    let mut out = Vec::with_capacity(ids.len() + extra.len());
    for chunk in ids.chunks(100) {
        let docs = document::Entity::find()
            .filter(document::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await
            .expect("documents");
        out.extend(search_service::project(db, docs).await.expect("project"));
    }
    out.extend(extra.iter().cloned());
    out
}

fn publish_input() -> Publish {
    Publish {
        language: None,
        change_note: "Benchmark".into(),
        change_kind: "editorial".into(),
        label: None,
        decision: None,
        published_on: None,
        normen_version: None,
        force_reason: None,
    }
}

fn request(q: &str, snippets: bool, sort: Sort) -> SearchRequest {
    SearchRequest {
        q: q.into(),
        limit: 10,
        snippets,
        sort,
        ..SearchRequest::default()
    }
}

fn run_size(rt: &tokio::runtime::Runtime, settings: &Settings, base: &[Doc], size: usize) -> Outcome {
    println!("\n## {size} documents");
    let docs = grow(base, size);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    println!(
        "  grown corpus: {} documents, {} MB of Markdown",
        docs.len(),
        bytes / 1_000_000
    );
    // Above `--import-above` documents only the real ones (and the fact sheets) go through
    // services::import; the rest go straight into the index (import is slow at that size).
    let direct = size > settings.import_above;
    let imported = if direct { base.len() } else { docs.len() };
    let app = rt.block_on(build_app(&docs, imported));
    let index = app.state.search.clone();
    let extra: Vec<IndexedDocument> = docs
        .iter()
        .filter(|d| d.number.is_none())
        .enumerate()
        .skip(imported)
        .map(|(j, d)| direct_entry(j, d))
        .collect();
    let mut out = Outcome {
        size,
        ..Outcome::default()
    };

    // Full reindex: database -> index, then the index alone from the same entries.
    let mut n = 0;
    if direct {
        out.reindex_ms = f64::NAN;
    } else {
        let (count, took) = timed(|| {
            rt.block_on(search_service::rebuild(&app.state.db, &index, &mut |_, _| {}))
                .expect("rebuild")
        });
        n = count;
        out.reindex_ms = took;
    }
    let entries = rt.block_on(all_entries(&app.state.db, &extra));
    let generation = index.generation().unwrap_or(0);
    let runs = if size <= 20_000 { 3 } else { 1 };
    let mut index_only = Vec::new();
    for _ in 0..runs {
        let e = entries.clone();
        let (_, t) = timed(|| index.rebuild(e, generation, &mut |_| {}).expect("index rebuild"));
        index_only.push(t);
    }
    out.index_rebuild_ms = percentile(&index_only, 50.0);
    let stats_now = index.stats().expect("stats");
    if direct {
        println!(
            "  {} documents imported, {} put straight into the index; index.rebuild: {} entries in {:.2} s; {} segments",
            imported + FACT_SHEETS,
            extra.len(),
            entries.len(),
            out.index_rebuild_ms / 1000.0,
            stats_now.segments
        );
    } else {
        println!(
            "  full reindex (services::search::rebuild, DB -> index): {n} entries in {:.2} s; index.rebuild alone: {:.2} s (median of {runs}); {} segments",
            out.reindex_ms / 1000.0,
            out.index_rebuild_ms / 1000.0,
            stats_now.segments
        );
    }
    drop(entries);

    // In-process.
    let totals: Vec<usize> = QUERIES
        .iter()
        .map(|bq| {
            index
                .search(&request(bq.ours, false, Sort::Relevance))
                .expect("search")
                .total
        })
        .collect();
    let mut modes: Vec<(&str, PerQuery)> = Vec::new();
    for (label, snippets, sort) in [
        ("top-10 with snippets", true, Sort::Relevance),
        ("top-10 without snippets", false, Sort::Relevance),
        ("top-10 by date, with snippets", true, Sort::Date),
    ] {
        let mut per: PerQuery = vec![Vec::new(); QUERIES.len()];
        for rep in 0..=settings.reps {
            for (i, bq) in QUERIES.iter().enumerate() {
                let req = request(bq.ours, snippets, sort);
                let (res, t) = timed(|| index.search(&req).expect("search"));
                std::hint::black_box(res);
                if rep > 0 {
                    per[i].push(t);
                }
            }
        }
        modes.push((label, per));
    }
    zero_hit_in_process(&index, settings.reps);
    out.ours_snip = modes[0].1.iter().flatten().copied().collect();
    out.ours_plain = modes[1].1.iter().flatten().copied().collect();

    // Peers.
    let peer_reps = settings.peer_reps.unwrap_or(if size <= 20_000 { 10 } else { 3 });
    let fts5 = settings.peers.then(|| rt.block_on(fts5_peer(&docs, peer_reps)));
    let pg = if settings.peers {
        rt.block_on(pg_peer(&settings.pg_url, &docs, peer_reps.div_ceil(2)))
    } else {
        None
    };
    let peer_cell = |p: &Option<PeerResult>, i: usize| match p {
        Some(p) => format!("{} / {}", fmt_ms(percentile(&p.snip[i], 50.0)), p.totals[i]),
        None => "-".into(),
    };
    let rows: Vec<Vec<String>> = QUERIES
        .iter()
        .enumerate()
        .map(|(i, bq)| {
            vec![
                format!("{} `{}`", bq.class, bq.ours),
                totals[i].to_string(),
                fmt_ms(percentile(&modes[0].1[i], 50.0)),
                fmt_ms(percentile(&modes[1].1[i], 50.0)),
                peer_cell(&fts5, i),
                peer_cell(&pg, i),
            ]
        })
        .collect();
    print_table(
        &format!("Per query at {size} documents: p50 ms (peers: p50 ms / matches), top 10"),
        &[
            "query",
            "matches",
            "registry, snippets",
            "registry, no snippets",
            "FTS5 (snippet)",
            "PostgreSQL (ts_headline)",
        ],
        &rows,
    );

    let pick = |per: &PerQuery, class: Option<&str>| -> Vec<f64> {
        QUERIES
            .iter()
            .enumerate()
            .filter(|(_, bq)| class.is_none_or(|c| bq.class == c || (c == NOT_TYPOS && bq.class != "typo")))
            .flat_map(|(i, _)| per[i].iter().copied())
            .collect()
    };
    let mut rows = Vec::new();
    for class in CLASSES.iter().map(|c| Some(*c)).chain([Some(NOT_TYPOS), None]) {
        let mut row = vec![class.unwrap_or("all queries").to_string()];
        for (_, per) in &modes {
            let s = stats(&pick(per, class));
            row.push(format!("{} / {}", fmt_ms(s.p50), fmt_ms(s.p99)));
        }
        let ours = stats(&pick(&modes[0].1, class)).p50;
        for peer in [&fts5, &pg] {
            match peer {
                Some(p) => {
                    let s = stats(&pick(&p.snip, class));
                    let plain = stats(&pick(&p.plain, class));
                    row.push(format!("{} / {}", fmt_ms(s.p50), fmt_ms(s.p99)));
                    row.push(format!("{} / {}", fmt_ms(plain.p50), fmt_ms(plain.p99)));
                    row.push(fmt_ratio(s.p50 / ours));
                }
                None => row.extend(["skipped".to_string(), "-".into(), "-".into()]),
            }
        }
        rows.push(row);
    }
    print_table(
        &format!(
            "In-process top 10 at {size} documents, p50 / p99 ms ({} timings per query for the registry, {peer_reps} for FTS5, {} for PostgreSQL)",
            settings.reps,
            peer_reps.div_ceil(2)
        ),
        &[
            "queries",
            "registry, snippets",
            "registry, no snippets",
            "registry by date, snippets",
            "FTS5, snippet()",
            "FTS5, no snippet",
            "FTS5 / registry (p50, snippets)",
            "PostgreSQL, ts_headline",
            "PostgreSQL, no headline",
            "PostgreSQL / registry",
        ],
        &rows,
    );
    for (name, p) in [("SQLite FTS5", &fts5), ("PostgreSQL", &pg)] {
        if let Some(p) = p {
            println!("  {name}: build {:.1} s ({})", p.build_ms / 1000.0, p.note);
        }
    }
    out.fts5_snip = fts5.as_ref().map(|p| p.snip.iter().flatten().copied().collect());
    out.pg_snip = pg.as_ref().map(|p| p.snip.iter().flatten().copied().collect());
    out.ours_snip_no_typo = pick(&modes[0].1, Some(NOT_TYPOS));
    out.fts5_snip_no_typo = fts5.as_ref().map(|p| pick(&p.snip, Some(NOT_TYPOS)));
    out.pg_snip_no_typo = pg.as_ref().map(|p| pick(&p.snip, Some(NOT_TYPOS)));

    // HTTP under load from a second process.
    if settings.http {
        match http_bench(rt, &app.state, settings) {
            Ok((c1, load)) => {
                print_table(
                    &format!(
                        "HTTP GET /api/v1/search?q=..&limit=10 (snippets) at {size} documents, wrk, {} s per run, the {} queries in turn",
                        settings.wrk_seconds,
                        QUERIES.len()
                    ),
                    &["run", "requests/s", "p50 ms", "p90 ms", "p99 ms", "non-2xx"],
                    &[
                        c1.row("1 connection (latency)"),
                        load.row(&format!("{} connections (load)", settings.connections)),
                    ],
                );
                out.http_c1 = Some(c1);
                out.http_load = Some(load);
            }
            Err(why) => println!("\nHTTP load: skipped ({why})"),
        }
    }

    // Publish to searchable: with the served index (on disk), then with one in RAM as the tests
    // use, on other documents.
    if settings.publishes > 0 {
        let disk = rt.block_on(publish_bench(&app.state, &app.caller, &docs, settings.publishes, 0));
        let segments = index.stats().expect("stats").segments;
        let ram_index = Arc::new(SearchIndex::in_memory().expect("index"));
        let generation = index.generation().unwrap_or(0);
        let entries = rt.block_on(all_entries(&app.state.db, &extra));
        ram_index.rebuild(entries, generation, &mut |_| {}).expect("rebuild");
        let ram_state = AppState::new(app.state.db.clone(), search_service::SearchHandle::new(ram_index));
        let ram = rt.block_on(publish_bench(
            &ram_state,
            &app.caller,
            &docs,
            settings.publishes,
            settings.publishes,
        ));
        let fsync = fsync_probe(app.dir.path(), settings.publishes);
        let row = |name: &str, v: &[f64]| {
            let s = stats(v);
            vec![name.to_string(), fmt_ms(s.p50), fmt_ms(s.p99), fmt_ms(s.max)]
        };
        print_table(
            &format!(
                "Publish to searchable at {size} documents, {} publishes each (ms)",
                settings.publishes
            ),
            &["step", "p50", "p99", "max"],
            &[
                row("index on disk: editing::publish (database transaction)", &disk.publish),
                row(
                    "index on disk: SearchHandle::sync_documents (project, replace_document: commit + reload)",
                    &disk.sync,
                ),
                row(
                    "index on disk: publish call to first search that finds the new word",
                    &disk.total,
                ),
                row("index in RAM: editing::publish", &ram.publish),
                row("index in RAM: SearchHandle::sync_documents", &ram.sync),
                row(
                    "index in RAM: publish call to first search that finds the new word",
                    &ram.total,
                ),
                row("for scale: write 64 KB and fsync it, next to the index", &fsync),
            ],
        );
        println!("  segments in the served index after its publishes: {segments}");
        out.publish = disk.total;
        out.publish_ram = ram.total;
    }
    out
}

/// In-process cost of queries that match nothing: the floor ([`ZERO_HIT_FLOOR`]) and words long
/// enough for typo expansion ([`ZERO_HIT`]), top 10 with snippets as the API asks.
fn zero_hit_in_process(index: &SearchIndex, reps: usize) {
    let reps = reps.max(1) * 10;
    let mut rows = Vec::new();
    let mut p50s = Vec::new();
    for (label, queries) in [("floor", ZERO_HIT_FLOOR), ("zero hits", ZERO_HIT)] {
        let mut times = Vec::new();
        for rep in 0..=reps {
            for q in queries {
                let req = request(q, true, Sort::Relevance);
                let (res, t) = timed(|| index.search(&req).expect("search"));
                assert_eq!(res.total + res.withdrawn_hidden, 0, "{q:?} should match nothing");
                std::hint::black_box(res);
                if rep > 0 {
                    times.push(t);
                }
            }
        }
        let s = stats(&times);
        p50s.push(s.p50);
        rows.push(vec![
            format!("{label}: {}", queries.join(", ")),
            fmt_ms(s.p50),
            fmt_ms(s.p99),
        ]);
    }
    rows.push(vec![
        "zero hits over the floor (p50)".into(),
        fmt_ms(p50s[1] - p50s[0]),
        String::new(),
    ]);
    print_table(
        &format!("In-process, queries that match nothing ({reps} timings per query), ms"),
        &["queries", "p50", "p99"],
        &rows,
    );
}

/// Peer timings: per query, top 10 with and without snippets.
struct PeerResult {
    snip: PerQuery,
    plain: PerQuery,
    totals: Vec<usize>,
    build_ms: f64,
    note: String,
}

async fn time_peer(
    db: &DatabaseConnection,
    reps: usize,
    snip: impl Fn(&BenchQuery) -> Statement,
    plain: impl Fn(&BenchQuery) -> Statement,
    count: impl Fn(&BenchQuery) -> Statement,
) -> Result<(PerQuery, PerQuery, Vec<usize>), sea_orm::DbErr> {
    let mut totals = Vec::new();
    for bq in QUERIES {
        let row = db.query_one_raw(count(bq)).await?;
        totals.push(row.map_or(0, |r| r.try_get_by_index::<i64>(0).unwrap_or(0)) as usize);
    }
    let mut out = Vec::new();
    for make in [&snip as &dyn Fn(&BenchQuery) -> Statement, &plain] {
        let mut per: PerQuery = vec![Vec::new(); QUERIES.len()];
        for rep in 0..=reps {
            for (i, bq) in QUERIES.iter().enumerate() {
                let started = Instant::now();
                let rows = db.query_all_raw(make(bq)).await?;
                let t = ms(started.elapsed());
                std::hint::black_box(rows);
                if rep > 0 {
                    per[i].push(t);
                }
            }
        }
        out.push(per);
    }
    let plain = out.pop().unwrap_or_default();
    let snip = out.pop().unwrap_or_default();
    Ok((snip, plain, totals))
}

/// SQLite FTS5 in a temporary file: `fts5(title, body)`, default unicode61 tokenizer.
async fn fts5_peer(docs: &[Doc], reps: usize) -> PeerResult {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("fts5.db").display());
    let mut opts = ConnectOptions::new(url);
    opts.max_connections(1).sqlx_logging(false);
    let db = Database::connect(opts).await.expect("sqlite");
    let version = db
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, "SELECT sqlite_version()"))
        .await
        .ok()
        .flatten()
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    if let Err(e) = db
        .execute_unprepared("CREATE VIRTUAL TABLE docs USING fts5(title, body)")
        .await
    {
        panic!("SQLite FTS5 is not compiled into the bundled libsqlite3: {e}");
    }
    let started = Instant::now();
    let txn = db.begin().await.expect("begin");
    for (i, d) in docs.iter().enumerate() {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
            [Value::from(i as i64 + 1), d.title.clone().into(), d.text.clone().into()],
        ))
        .await
        .expect("insert");
    }
    txn.commit().await.expect("commit");
    db.execute_unprepared("INSERT INTO docs(docs) VALUES('optimize')")
        .await
        .expect("optimize");
    let build_ms = ms(started.elapsed());
    let stmt = |sql: &str, bq: &BenchQuery| Statement::from_sql_and_values(DbBackend::Sqlite, sql, [bq.fts5.into()]);
    let (snip, plain, totals) = time_peer(
        &db,
        reps,
        |bq| {
            stmt(
                "SELECT rowid, title, snippet(docs, 1, '<mark>', '</mark>', '…', 24) FROM docs \
                 WHERE docs MATCH ? ORDER BY rank LIMIT 10",
                bq,
            )
        },
        |bq| {
            stmt(
                "SELECT rowid, title FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10",
                bq,
            )
        },
        |bq| stmt("SELECT count(*) FROM docs WHERE docs MATCH ?", bq),
    )
    .await
    .expect("FTS5 query");
    db.close().await.ok();
    PeerResult {
        snip,
        plain,
        totals,
        build_ms,
        note: format!("SQLite {version}, bundled with libsqlite3-sys; one transaction, then 'optimize'"),
    }
}

/// PostgreSQL full-text search in a fresh database `bench_<pid>`, dropped afterwards.
async fn pg_peer(url: &str, docs: &[Doc], reps: usize) -> Option<PeerResult> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.max_connections(1)
        .connect_timeout(Duration::from_secs(3))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    let admin = match Database::connect(opts).await {
        Ok(db) => db,
        Err(e) => {
            println!("  PostgreSQL: skipped (unreachable)");
            println!("    ({e})");
            return None;
        }
    };
    let name = format!("bench_{}", std::process::id());
    if let Err(e) = admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await {
        println!("  PostgreSQL: skipped (cannot create a database: {e})");
        return None;
    }
    let base = url.rsplit_once('/').map_or(url, |(b, _)| b);
    let mut opts = ConnectOptions::new(format!("{base}/{name}"));
    opts.max_connections(1).sqlx_logging(false);
    let result = async {
        let db = Database::connect(opts).await?;
        let result = pg_run(&db, docs, reps).await;
        db.close().await.ok();
        result
    }
    .await;
    if let Err(e) = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
    {
        println!("  PostgreSQL: could not drop {name}: {e}");
    }
    match result {
        Ok(r) => Some(r),
        Err(e) => {
            println!("  PostgreSQL: failed ({e})");
            None
        }
    }
}

async fn pg_run(db: &DatabaseConnection, docs: &[Doc], reps: usize) -> Result<PeerResult, sea_orm::DbErr> {
    let version = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, "SHOW server_version"))
        .await?
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    db.execute_unprepared(
        "CREATE TABLE docs (id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL, \
         tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('norwegian', title), 'A') || \
         setweight(to_tsvector('norwegian', body), 'B')) STORED)",
    )
    .await?;
    let started = Instant::now();
    for (c, chunk) in docs.chunks(200).enumerate() {
        let mut sql = String::from("INSERT INTO docs (id, title, body) VALUES ");
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 3);
        for (k, d) in chunk.iter().enumerate() {
            if k > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("(${}, ${}, ${})", k * 3 + 1, k * 3 + 2, k * 3 + 3));
            values.push(((c * 200 + k) as i64 + 1).into());
            values.push(d.title.clone().into());
            values.push(d.text.clone().into());
        }
        db.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, values))
            .await?;
    }
    let loaded = ms(started.elapsed());
    db.execute_unprepared("CREATE INDEX docs_tsv ON docs USING gin (tsv)")
        .await?;
    db.execute_unprepared("VACUUM ANALYZE docs").await?;
    let build_ms = ms(started.elapsed());
    let tsq = |bq: &BenchQuery| match bq.pg {
        Pg::Web(s) => ("websearch_to_tsquery", s),
        Pg::Raw(s) => ("to_tsquery", s),
    };
    let stmt = |sql: String, text: &str| Statement::from_sql_and_values(DbBackend::Postgres, sql, [text.into()]);
    let (snip, plain, totals) = time_peer(
        db,
        reps,
        |bq| {
            let (f, text) = tsq(bq);
            stmt(
                format!(
                    "SELECT id, title, ts_headline('norwegian', body, q, \
                     'MaxFragments=1, MinWords=15, MaxWords=35, StartSel=<mark>, StopSel=</mark>') \
                     FROM (SELECT id, title, body, ts_rank(tsv, q) AS rank FROM docs, {f}('norwegian', $1) q \
                     WHERE tsv @@ q ORDER BY rank DESC LIMIT 10) top, {f}('norwegian', $1) q ORDER BY rank DESC"
                ),
                text,
            )
        },
        |bq| {
            let (f, text) = tsq(bq);
            stmt(
                format!(
                    "SELECT id, title, ts_rank(tsv, q) AS rank FROM docs, {f}('norwegian', $1) q \
                     WHERE tsv @@ q ORDER BY rank DESC LIMIT 10"
                ),
                text,
            )
        },
        |bq| {
            let (f, text) = tsq(bq);
            stmt(
                format!("SELECT count(*) FROM docs WHERE tsv @@ {f}('norwegian', $1)"),
                text,
            )
        },
    )
    .await?;
    Ok(PeerResult {
        snip,
        plain,
        totals,
        build_ms,
        note: format!(
            "PostgreSQL {version}; rows with a stored generated tsvector column: {:.1} s, GIN index + VACUUM ANALYZE: {:.1} s",
            loaded / 1000.0,
            (build_ms - loaded) / 1000.0
        ),
    })
}

/// Starts the real router on 127.0.0.1:0 and runs wrk against it twice: one connection (latency)
/// and `connections` (load).
fn http_bench(
    rt: &tokio::runtime::Runtime,
    state: &AppState,
    settings: &Settings,
) -> Result<(WrkResult, WrkResult), String> {
    let wrk_version = Command::new("wrk")
        .arg("--version")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output();
    if wrk_version.is_err() {
        return Err("wrk is not installed: apt-get install -y wrk".into());
    }
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .map_err(|e| format!("cannot bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let router = build_router(state.clone());
    let server = rt.spawn(async move { axum::serve(listener, router).await });

    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let queries: Vec<&str> = QUERIES.iter().map(|bq| bq.ours).collect();
    let script = wrk_script(dir.path(), "queries", &queries)?;
    let url = format!("http://{addr}");
    let run = |connections: usize| run_wrk(Some(&script), &url, connections, settings.wrk_seconds);
    // Warm-up, then the two measured runs.
    let _ = run_wrk(Some(&script), &url, 2, 1);
    let c1 = run(1);
    let load = run(settings.connections);
    // The fixed cost of a query that matches nothing, one connection: the floor (words too
    // short for typo expansion) and words long enough to be looked for one edit away.
    let floor = wrk_script(dir.path(), "floor", ZERO_HIT_FLOOR)?;
    let zero = wrk_script(dir.path(), "zero", ZERO_HIT)?;
    let _ = run_wrk(Some(&zero), &url, 1, 1);
    let zero_floor = run_wrk(Some(&floor), &url, 1, settings.wrk_seconds);
    let zero_hit = run_wrk(Some(&zero), &url, 1, settings.wrk_seconds);
    server.abort();
    match (zero_floor, zero_hit) {
        (Ok(floor), Ok(zero)) => print_table(
            "HTTP GET /api/v1/search?q=..&limit=10 for queries that match nothing, wrk, 1 connection (ms)",
            &["queries", "requests/s", "p50", "p90", "p99", "non-2xx"],
            &[
                floor.row(&format!("floor: {}", ZERO_HIT_FLOOR.join(", "))),
                zero.row(&format!("zero hits: {}", ZERO_HIT.join(", "))),
                vec![
                    "zero hits over the floor (p50)".into(),
                    String::new(),
                    fmt_ms(zero.p50 - floor.p50),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            ],
        ),
        (Err(e), _) | (_, Err(e)) => println!("  zero-hit HTTP: skipped ({e})"),
    }
    Ok((c1?, load?))
}

/// A wrk script cycling through `queries` as `GET /api/v1/search?q=..&limit=10`.
fn wrk_script(dir: &Path, name: &str, queries: &[&str]) -> Result<std::path::PathBuf, String> {
    let script = dir.join(format!("{name}.lua"));
    let mut lua = String::from("local paths = {\n");
    for q in queries {
        let query = serde_urlencoded::to_string([("q", *q), ("limit", "10")]).map_err(|e| e.to_string())?;
        lua.push_str(&format!("  \"/api/v1/search?{query}\",\n"));
    }
    lua.push_str(
        "}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i - 1) % #paths + 1])\nend\n",
    );
    std::fs::write(&script, lua).map_err(|e| e.to_string())?;
    Ok(script)
}

/// Milliseconds per publish.
struct PublishTimes {
    /// From the publish call to the first search that finds the new word.
    total: Vec<f64>,
    /// `editing::publish` alone.
    publish: Vec<f64>,
    /// `SearchHandle::sync_documents` alone.
    sync: Vec<f64>,
}

/// Publishes new versions of `count` existing guides (after skipping `skip`) through the service
/// path the API uses, and searches until each new word is found.
async fn publish_bench(state: &AppState, caller: &Caller, docs: &[Doc], count: usize, skip: usize) -> PublishTimes {
    let db = &state.db;
    let ids: Vec<i32> = document::Entity::find()
        .select_only()
        .column(document::Column::Id)
        .filter(document::Column::Kind.eq(DocumentKind::Guide))
        .order_by_asc(document::Column::Id)
        .offset(skip as u64)
        .limit(count as u64)
        .into_tuple()
        .all(db)
        .await
        .expect("ids");
    let mut out = PublishTimes {
        total: Vec::new(),
        publish: Vec::new(),
        sync: Vec::new(),
    };
    for (k, &id) in ids.iter().enumerate() {
        // A made-up word no document has, several edits away from the other runs' words.
        let word = format!("benkmerke{}", letters(skip + k));
        let body = format!("{}\n\nNy merknad: {word}.\n", docs[k % docs.len()].text);
        let draft = NewDraft {
            language: None,
            title: None,
            summary: None,
            body,
        };
        // The index step is timed on its own below, so the writes go to the database alone.
        editing::add_draft(Store::without_index(db), caller, id, None, draft)
            .await
            .expect("draft");
        state.index().catch_up(db).await.expect("sync");

        let started = Instant::now();
        editing::publish(Store::without_index(db), caller, id, None, publish_input())
            .await
            .expect("publish");
        let published = ms(started.elapsed());
        state.index().catch_up(db).await.expect("sync");
        let synced = ms(started.elapsed());
        let req = request(&word, true, Sort::Relevance);
        loop {
            let res = state.index().search(req.clone()).await.expect("search");
            if res.hits.first().is_some_and(|h| h.document_id == i64::from(id)) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{word} never became searchable"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        out.total.push(ms(started.elapsed()));
        out.publish.push(published);
        out.sync.push(synced - published);
    }
    out
}

/// How long the disk takes to write and fsync a small file (a commit fsyncs several).
fn fsync_probe(dir: &Path, count: usize) -> Vec<f64> {
    use std::io::Write;
    let path = dir.join("fsync-probe");
    let data = vec![7u8; 64 * 1024];
    let times = (0..count.max(1))
        .map(|_| {
            let started = Instant::now();
            let mut f = std::fs::File::create(&path).expect("probe file");
            f.write_all(&data).expect("write");
            f.sync_all().expect("fsync");
            ms(started.elapsed())
        })
        .collect();
    let _ = std::fs::remove_file(&path);
    times
}

/// `k` as letters (`a`, `b`, ..., `ba`, ...), each repeated twice so two runs' words differ by
/// at least two edits.
fn letters(mut k: usize) -> String {
    let mut out = Vec::new();
    loop {
        let c = (b'a' + (k % 26) as u8) as char;
        out.push(c);
        out.push(c);
        k /= 26;
        if k == 0 {
            break;
        }
    }
    out.into_iter().rev().collect()
}

fn summary(outcomes: &[Outcome]) {
    let mut rows = Vec::new();
    for o in outcomes {
        let ours = stats(&o.ours_snip);
        let plain = stats(&o.ours_plain);
        let peer = |v: &Option<Vec<f64>>| match v {
            Some(v) => {
                let s = stats(v);
                format!("{} ({})", fmt_ms(s.p50), fmt_ratio(s.p50 / ours.p50))
            }
            None => "skipped".into(),
        };
        let http = |w: &Option<WrkResult>, f: fn(&WrkResult) -> String| w.as_ref().map_or("skipped".into(), f);
        let publish = stats(&o.publish);
        rows.push(vec![
            o.size.to_string(),
            format!("{} / {}", fmt_ms(ours.p50), fmt_ms(ours.p99)),
            format!("{} / {}", fmt_ms(plain.p50), fmt_ms(plain.p99)),
            peer(&o.fts5_snip),
            peer(&o.pg_snip),
            http(&o.http_c1, |w| format!("{} / {}", fmt_ms(w.p50), fmt_ms(w.p99))),
            http(&o.http_load, |w| format!("{:.0} / {}", w.requests_per_s, fmt_ms(w.p99))),
            format!("{} / {}", fmt_ms(publish.p50), fmt_ms(publish.p99)),
            if o.reindex_ms.is_nan() {
                "- (not imported)".into()
            } else {
                format!("{:.2}", o.reindex_ms / 1000.0)
            },
            format!("{:.2}", o.index_rebuild_ms / 1000.0),
        ]);
    }
    print_table(
        "Summary (ms unless noted; peers: p50 of top 10 with snippets, and how many times slower than the registry)",
        &[
            "documents",
            "in-process snippets p50 / p99",
            "no snippets p50 / p99",
            "FTS5 p50 (x)",
            "PostgreSQL p50 (x)",
            "HTTP 1 conn p50 / p99",
            "HTTP load req/s / p99",
            "publish->searchable p50 / p99",
            "reindex DB->index s",
            "index.rebuild s",
        ],
        &rows,
    );

    let Some(o) = outcomes.iter().find(|o| o.size == 10_000) else {
        println!("\n(targets are for 10,000 documents: run with --sizes 10000 to check them)");
        return;
    };
    let ours = stats(&o.ours_snip).p50;
    let verdict = |ok: Option<bool>| match ok {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "skipped",
    };
    let ratio = |v: &Option<Vec<f64>>| v.as_ref().map(|v| stats(v).p50 / ours);
    let fts5 = ratio(&o.fts5_snip);
    let pg = ratio(&o.pg_snip);
    let ours_nt = stats(&o.ours_snip_no_typo).p50;
    let ratio_nt = |v: &Option<Vec<f64>>| v.as_ref().map(|v| stats(v).p50 / ours_nt);
    let both = |all: Option<f64>, nt: Option<f64>| match (all, nt) {
        (Some(a), Some(b)) => format!(
            "{} (all queries); {} without the typo queries",
            fmt_ratio(a),
            fmt_ratio(b)
        ),
        _ => "skipped".into(),
    };
    let http = o.http_c1.as_ref().map(|w| w.p50);
    let publish = stats(&o.publish).p99;
    let publish_ram = stats(&o.publish_ram).p99;
    let rows = vec![
        vec![
            "top-10 with snippets p50 in-process < 1 ms".to_string(),
            format!("{} ms", fmt_ms(ours)),
            verdict(Some(ours < 1.0)).into(),
        ],
        vec![
            "top-10 with snippets p50 through HTTP < 2 ms".into(),
            http.map_or("skipped".into(), |v| format!("{} ms (1 connection)", fmt_ms(v))),
            verdict(http.map(|v| v < 2.0)).into(),
        ],
        vec![
            ">= 5x faster than SQLite FTS5 (p50, snippets)".into(),
            both(fts5, ratio_nt(&o.fts5_snip_no_typo)),
            verdict(fts5.map(|r| r >= 5.0)).into(),
        ],
        vec![
            ">= 50x faster than PostgreSQL FTS (p50, snippets)".into(),
            both(pg, ratio_nt(&o.pg_snip_no_typo)),
            verdict(pg.map(|r| r >= 50.0)).into(),
        ],
        vec![
            "publish-to-searchable p99 < 100 ms".into(),
            format!(
                "{} ms (index on disk, as served); {} ms with the index in RAM",
                fmt_ms(publish),
                fmt_ms(publish_ram)
            ),
            verdict((!o.publish.is_empty()).then_some(publish < 100.0)).into(),
        ],
        vec![
            "full reindex of 10,000 documents < 5 s".into(),
            format!(
                "{:.2} s DB -> index, {:.2} s index alone",
                o.reindex_ms / 1000.0,
                o.index_rebuild_ms / 1000.0
            ),
            verdict(Some(o.reindex_ms < 5000.0)).into(),
        ],
    ];
    print_table("Targets at 10,000 documents", &["target", "measured", "verdict"], &rows);
}
