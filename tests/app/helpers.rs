//! The test application: the real router over a fresh database (a temporary SQLite file, or a
//! fresh PostgreSQL database when `TEST_DATABASE_URL` is set), with one user per role.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::Value;
use tower::ServiceExt;

use normen_registry::domain::Role;
use std::sync::Arc;

use index::SearchIndex;
use normen_registry::services::{export, import, search, users};
use normen_registry::{AppState, build_router, db};

/// A response, read whole.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn assert_status(&self, want: u16) -> &Self {
        assert_eq!(self.status.as_u16(), want, "body: {}", self.text());
        self
    }

    /// Asserts a problem+json error with this status whose detail contains `needle`.
    #[track_caller]
    pub fn assert_problem(&self, want: u16, needle: &str) {
        self.assert_status(want);
        assert!(
            self.header("content-type").starts_with("application/problem+json"),
            "content-type {}",
            self.header("content-type")
        );
        let detail = self.json()["detail"].as_str().unwrap_or_default().to_string();
        assert!(detail.contains(needle), "detail {detail:?} lacks {needle:?}");
    }
}

/// Which database the suite runs on.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty())
}

/// Keeps a test database alive. Dropping it removes the database: the temp dir on SQLite, and on
/// PostgreSQL `DROP DATABASE … WITH (FORCE)` through psql, so a run leaves no databases behind.
pub struct DbGuard {
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres {
            // Best effort: CI also drops leftover test_* databases before and after the suite.
            let _ = std::process::Command::new("psql")
                .arg(admin_url)
                .arg("-qc")
                .arg(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .output();
        }
    }
}

/// Connects to a fresh, migrated database.
pub async fn fresh_database() -> (DatabaseConnection, DbGuard) {
    if let Some(url) = postgres_url() {
        let admin = Database::connect(&url).await.expect("connect to TEST_DATABASE_URL");
        let name = format!("test_{}", hex_id());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&url);
        let db = db::connect(Some(&format!("{base}/{name}")), std::path::Path::new("."))
            .await
            .expect("connect to test database");
        migration::Migrator::up(&db, None).await.expect("migrate");
        (
            db,
            DbGuard {
                _dir: None,
                postgres: Some((url.clone(), name)),
            },
        )
    } else {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = db::connect(None, dir.path()).await.expect("connect sqlite");
        migration::Migrator::up(&db, None).await.expect("migrate");
        (
            db,
            DbGuard {
                _dir: Some(dir),
                postgres: None,
            },
        )
    }
}

fn hex_id() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let counter = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}_{}_{}", std::process::id(), nanos % 1_000_000_000, counter)
}

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub db: DatabaseConnection,
    pub editor: String,
    pub reviewer: String,
    pub admin: String,
    /// Last, so the database goes after everything that uses it.
    _db: DbGuard,
}

impl TestApp {
    pub async fn new() -> Self {
        let app = Self::with_default_rules().await;
        // Most tests are about something else than the second pair of eyes: they publish
        // straight away. The approval tests start from `with_default_rules`.
        app.db
            .execute_unprepared("UPDATE approval_rule SET required = false")
            .await
            .unwrap();
        app
    }

    /// The application with the rules a fresh registry has: approval before publishing for
    /// fact sheets and guides.
    pub async fn with_default_rules() -> Self {
        let (db, dir) = fresh_database().await;
        let editor = users::add_user(&db, "Eva Editor", Role::Editor, None).await.unwrap();
        let reviewer = users::add_user(&db, "Rolf Reviewer", Role::Reviewer, None)
            .await
            .unwrap();
        let admin = users::add_user(&db, "Ada Admin", Role::Admin, None).await.unwrap();
        let search = Arc::new(SearchIndex::in_memory().unwrap());
        let handle = search::SearchHandle::new(search.clone());
        handle.catch_up(&db).await.unwrap();
        let state = AppState::new(db.clone(), handle);
        let router = build_router(state.clone());
        TestApp {
            router,
            state,
            db,
            editor,
            reviewer,
            admin,
            _db: dir,
        }
    }

    /// The same application serving under a configured public address (`--base-url`).
    pub fn with_base_url(mut self, base_url: &str) -> Self {
        self.state = self.state.with_base_url(Some(base_url.to_string()));
        self.router = build_router(self.state.clone());
        self
    }

    /// Rebuilds the search index from the database (after loading data behind the API's back).
    pub async fn reindex(&self) {
        search::rebuild(&self.db, &self.state.search, &mut |_, _| {})
            .await
            .unwrap();
    }

    /// Sends a request through the real router.
    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Body>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(body.unwrap_or_else(Body::empty)).unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        TestResponse { status, headers, body }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.send(Method::GET, uri, None, None, &[]).await
    }

    pub async fn get_as(&self, uri: &str, token: &str) -> TestResponse {
        self.send(Method::GET, uri, Some(token), None, &[]).await
    }

    /// Sends JSON with a token (and optional extra headers).
    pub async fn json(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.send(method, uri, token, Some(Body::from(body.to_string())), &all)
            .await
    }

    /// POSTs JSON as the editor.
    pub async fn post(&self, uri: &str, body: Value) -> TestResponse {
        self.json(Method::POST, uri, Some(&self.editor.clone()), &body, &[])
            .await
    }

    /// The whole registry as an export, plus the audit count: equal before and after a refused
    /// request proves the refusal changed nothing.
    pub async fn state_fingerprint(&self) -> String {
        let mut out = Vec::new();
        export::export(&self.db, &mut out).await.unwrap();
        let audit = normen_registry::services::audit::list(&self.db, 1, 0).await.unwrap().0;
        format!("{}\naudit={audit}", String::from_utf8(out).unwrap())
    }

    /// Creates a document as the editor and returns its id.
    pub async fn create(&self, kind: &str, number: Option<&str>, title: &str, body: &str) -> i64 {
        let res = self
            .post(
                "/api/v1/documents",
                serde_json::json!({"kind": kind, "number": number, "language": "nb", "title": title, "body": body}),
            )
            .await;
        res.assert_status(201);
        res.json()["id"].as_i64().unwrap()
    }

    /// Publishes the open draft of a language.
    pub async fn publish(&self, id: i64, lang: &str, kind: &str, note: &str) -> TestResponse {
        self.post(
            &format!("/api/v1/documents/{id}/publish"),
            serde_json::json!({"language": lang, "change_kind": kind, "change_note": note}),
        )
        .await
    }

    /// Opens a new draft in the primary language.
    pub async fn draft(&self, id: i64, body: &str) -> TestResponse {
        self.post(
            &format!("/api/v1/documents/{id}/drafts"),
            serde_json::json!({"body": body}),
        )
        .await
    }

    /// Creates and publishes version 1.0 of a fact sheet dated `date` (YYYY-MM-DD).
    pub async fn published_sheet_on(&self, number: &str, title: &str, body: &str, date: &str) -> i64 {
        let id = self.create("fact_sheet", Some(number), title, body).await;
        self.post(
            &format!("/api/v1/documents/{id}/publish"),
            serde_json::json!({"change_kind": "substantive", "change_note": "Første versjon", "published_on": date}),
        )
        .await
        .assert_status(200);
        id
    }

    /// Publishes the open primary draft as the admin, without approval (for tests whose story
    /// starts after a first version).
    pub async fn publish_forced(&self, id: i64) {
        self.json(
            Method::POST,
            &format!("/api/v1/documents/{id}/publish"),
            Some(&self.admin.clone()),
            &serde_json::json!({"change_kind": "substantive", "change_note": "Første versjon", "force_reason": "Testoppsett"}),
            &[],
        )
        .await
        .assert_status(200);
    }

    /// Creates and publishes version 1.0 of a fact sheet, returning its id.
    pub async fn published_sheet(&self, number: &str, title: &str, body: &str) -> i64 {
        let id = self.create("fact_sheet", Some(number), title, body).await;
        self.publish(id, "nb", "substantive", "Første versjon")
            .await
            .assert_status(200);
        id
    }
}

/// Imports an export into a fresh database and asserts that exporting it again gives the same
/// bytes.
pub async fn assert_round_trip(first: &[u8]) {
    let (db2, _dir) = fresh_database().await;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), first).unwrap();
    import::import_file(&db2, file.path(), &mut |_, _| {}).await.unwrap();
    let mut second = Vec::new();
    export::export(&db2, &mut second).await.unwrap();
    assert!(first == second.as_slice(), "the round trip changed the export");
}

/// Runs `f` and asserts that the registry is exactly as before.
#[macro_export]
macro_rules! assert_unchanged {
    ($app:expr, $body:expr) => {{
        let before = $app.state_fingerprint().await;
        let out = $body;
        let after = $app.state_fingerprint().await;
        assert!(before == after, "a refused request changed the registry");
        out
    }};
}
