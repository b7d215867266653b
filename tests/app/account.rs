//! Sign-in and account hardening through the real router: bounded form fields, a throttle
//! that slows the attacker and not the account's owner (shared through the database), escaped
//! log values, no stored session before sign-in, and account care (own password, disabling
//! users) in the workspace and on the command line.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tower::ServiceExt;

use crate::assert_unchanged;
use crate::helpers::{TestApp, TestResponse};
use normen_registry::domain::Role;
use normen_registry::entities::{app_user, web_session};
use normen_registry::services::{login_throttle, users};
use normen_registry::{AppState, build_router};

const PASSWORD: &str = "et-langt-passord";
const OWNER: &str = "198.51.100.7:50000";
const ATTACKER: &str = "203.0.113.9:40000";

/// A browser at one address: a cookie jar and the last CSRF token it saw.
struct Client<'a> {
    router: &'a Router,
    peer: Option<SocketAddr>,
    cookies: BTreeMap<String, String>,
    csrf: String,
}

fn token_in(html: &str) -> Option<String> {
    let start = html.find(r#"name="csrf_token" value=""#)? + r#"name="csrf_token" value=""#.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

impl<'a> Client<'a> {
    fn new(router: &'a Router, peer: Option<&str>) -> Self {
        Client {
            router,
            peer: peer.map(|p| p.parse().unwrap()),
            cookies: BTreeMap::new(),
            csrf: String::new(),
        }
    }

    async fn send(
        &mut self,
        method: Method,
        uri: &str,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut req = Request::builder().method(method).uri(uri);
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req = req.header("cookie", jar.join("; "));
        }
        if body.is_some() {
            req = req.header("content-type", "application/x-www-form-urlencoded");
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut req = req.body(body.map(Body::from).unwrap_or_else(Body::empty)).unwrap();
        if let Some(peer) = self.peer {
            req.extensions_mut().insert(ConnectInfo(peer));
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let res = TestResponse { status, headers, body };
        for set in res.headers.get_all("set-cookie") {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        if let Some(t) = token_in(&res.text()) {
            self.csrf = t;
        }
        res
    }

    async fn get(&mut self, uri: &str) -> TestResponse {
        self.send(Method::GET, uri, None, &[]).await
    }

    /// Posts a form with the last CSRF token seen.
    async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("csrf_token", self.csrf.clone())];
        all.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
        self.send(Method::POST, uri, Some(serde_urlencoded::to_string(&all).unwrap()), &[])
            .await
    }

    async fn sign_in(&mut self, name: &str, password: &str) -> TestResponse {
        self.get("/redaksjon/logg-inn").await.assert_status(200);
        self.post("/redaksjon/logg-inn", &[("navn", name), ("passord", password)])
            .await
    }
}

async fn with_password(app: &TestApp, name: &str, role: Role) -> String {
    users::add_user(&app.db, name, role, Some(users::hash_password(PASSWORD).unwrap()))
        .await
        .unwrap()
}

async fn sessions_of(app: &TestApp, name: &str) -> u64 {
    let user = app_user::Entity::find()
        .filter(app_user::Column::Name.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    web_session::Entity::find()
        .filter(web_session::Column::UserId.eq(user.id))
        .count(&app.db)
        .await
        .unwrap()
}

async fn all_sessions(app: &TestApp) -> u64 {
    web_session::Entity::find().count(&app.db).await.unwrap()
}

/// Collects what the app logs while a test runs on this thread, without colour codes.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    fn install(&self) -> tracing::subscriber::DefaultGuard {
        let writer = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

#[tokio::test]
async fn oversized_form_fields_are_refused_before_they_are_throttled_or_logged() {
    let app = TestApp::new().await;
    with_password(&app, "Siri", Role::Editor).await;
    let log = LogBuffer::default();
    let _guard = log.install();
    let mut c = Client::new(&app.router, Some(ATTACKER));
    c.get("/redaksjon/logg-inn").await.assert_status(200);
    let huge = "A".repeat(3 * 1024 * 1024);
    for _ in 0..5 {
        let res = c
            .post(
                "/redaksjon/logg-inn",
                &[("navn", &huge), ("passord", "feil-passord-her")],
            )
            .await;
        res.assert_status(422);
        assert!(
            res.text().contains("Brukernavn er for langt: høyst 100 tegn"),
            "{}",
            res.text()
        );
        assert!(!res.text().contains("AAAAAAAAAA"), "the value is not echoed");
    }
    // One character over the domain's bound is refused as well; a huge password too.
    let res = c
        .post("/redaksjon/logg-inn", &[("navn", &"ø".repeat(101)), ("passord", "x")])
        .await;
    res.assert_status(422);
    let res = c
        .post(
            "/redaksjon/logg-inn",
            &[("navn", "Siri"), ("passord", &"p".repeat(2000))],
        )
        .await;
    res.assert_status(422);
    assert_eq!(
        login_throttle::row_count(&app.db).await.unwrap(),
        0,
        "nothing was throttled"
    );
    let text = log.text();
    assert!(text.len() < 10_000, "the log grew by {} bytes", text.len());
    // The owner is not affected.
    c.post("/redaksjon/logg-inn", &[("navn", "Siri"), ("passord", PASSWORD)])
        .await
        .assert_status(303);

    // Every workspace form is bounded the same way, and a refusal changes nothing.
    let mut editor = Client::new(&app.router, Some(OWNER));
    with_password(&app, "Ed", Role::Editor).await;
    editor.sign_in("Ed", PASSWORD).await.assert_status(303);
    editor.get("/redaksjon/dokumenter/ny").await.assert_status(200);
    let long_title = "T".repeat(5_000);
    let res = assert_unchanged!(
        app,
        editor
            .post(
                "/redaksjon/dokumenter/ny",
                &[
                    ("kind", "guide"),
                    ("language", "nb"),
                    ("title", &long_title),
                    ("body", "x")
                ],
            )
            .await
    );
    res.assert_status(422);
    assert!(res.text().contains("for langt"), "{}", res.text());
    let many: Vec<(String, String)> = (0..100).map(|i| (format!("f{i}"), "x".into())).collect();
    let mut fields: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.push(("kind", "guide"));
    editor
        .post("/redaksjon/dokumenter/ny", &fields)
        .await
        .assert_status(422);
    let long_name = "n".repeat(100_000);
    editor
        .post(
            "/redaksjon/dokumenter/ny",
            &[(long_name.as_str(), "x"), ("kind", "guide")],
        )
        .await
        .assert_status(422);
}

#[tokio::test]
async fn the_throttle_keeps_fixed_size_keys_and_a_bounded_number_of_rows() {
    let app = TestApp::new().await;
    // One failure through the router, the rest straight into the throttle (argon2 is slow in
    // debug builds); each from its own address with its own long name.
    Client::new(&app.router, Some("192.0.2.200:1000"))
        .sign_in(&format!("navn-{}", "x".repeat(95)), "feil-passord-her")
        .await
        .assert_status(401);
    for i in 0..29 {
        let ip = format!("192.0.2.{i}").parse().unwrap();
        let attempt = login_throttle::Attempt::new(Some(ip), &format!("navn-{i}-{}", "x".repeat(90)));
        login_throttle::failed(&app.db, &attempt).await.unwrap();
    }
    use normen_registry::entities::login_throttle as lt;
    let rows = lt::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 60, "one row per (address, name) and one per address");
    assert!(
        rows.iter()
            .all(|r| r.key.len() == 64 && r.key.bytes().all(|b| b.is_ascii_hexdigit())),
        "keys are hashes"
    );
    login_throttle::trim_to(&app.db, 10).await.unwrap();
    assert_eq!(login_throttle::row_count(&app.db).await.unwrap(), 10);
}

#[tokio::test]
async fn an_attacker_slows_only_themselves_and_never_locks_out_the_owner() {
    let app = TestApp::new().await;
    with_password(&app, "Eva", Role::Editor).await;
    let mut attacker = Client::new(&app.router, Some(ATTACKER));
    attacker.get("/redaksjon/logg-inn").await;
    let mut statuses = Vec::new();
    for _ in 0..50 {
        let res = attacker
            .post("/redaksjon/logg-inn", &[("navn", "eva"), ("passord", "gjetting-1234")])
            .await;
        statuses.push(res.status.as_u16());
    }
    assert_eq!(&statuses[..3], &[401, 401, 401]);
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    // Delayed, with the wait stated.
    let res = attacker
        .post("/redaksjon/logg-inn", &[("navn", "Eva"), ("passord", PASSWORD)])
        .await;
    res.assert_status(429);
    assert!(res.text().contains("For mange mislykkede innlogginger"));
    assert!(!res.header("retry-after").is_empty());

    // The owner, from their own address, signs in at once with the right password.
    let mut owner = Client::new(&app.router, Some(OWNER));
    owner.sign_in("Eva", PASSWORD).await.assert_status(303);
    owner.get("/redaksjon").await.assert_status(200);
}

#[tokio::test]
async fn one_address_has_a_budget_across_names() {
    let app = TestApp::new().await;
    with_password(&app, "Eva", Role::Editor).await;
    let mut sprayer = Client::new(&app.router, Some(ATTACKER));
    sprayer.get("/redaksjon/logg-inn").await;
    for i in 0..2 {
        sprayer
            .post(
                "/redaksjon/logg-inn",
                &[("navn", &format!("bruker{i}")), ("passord", "gjetting-1234")],
            )
            .await
            .assert_status(401);
    }
    // The rest of the budget straight into the throttle (argon2 is slow in debug builds).
    let ip = Some(ATTACKER.parse::<SocketAddr>().unwrap().ip());
    for i in 2..20 {
        login_throttle::failed(&app.db, &login_throttle::Attempt::new(ip, &format!("bruker{i}")))
            .await
            .unwrap();
    }
    sprayer
        .post("/redaksjon/logg-inn", &[("navn", "Eva"), ("passord", "gjetting-1234")])
        .await
        .assert_status(429);
    // Another address is not slowed by it.
    Client::new(&app.router, Some(OWNER))
        .sign_in("Eva", PASSWORD)
        .await
        .assert_status(303);
}

#[tokio::test]
async fn two_processes_over_one_database_share_the_throttle_and_the_sign_in_key() {
    let app = TestApp::new().await;
    with_password(&app, "Eva", Role::Editor).await;
    let other = build_router(AppState::new(app.db.clone(), app.state.index().clone()));
    let mut a = Client::new(&app.router, Some(ATTACKER));
    a.get("/redaksjon/logg-inn").await;
    for _ in 0..3 {
        a.post("/redaksjon/logg-inn", &[("navn", "Eva"), ("passord", "gjetting-1234")])
            .await
            .assert_status(401);
    }
    // The same browser's next attempt reaches the other process: it knows the failures, and
    // it accepts the form's token, signed with the key both read from the database.
    let mut b = Client::new(&other, Some(ATTACKER));
    b.cookies = a.cookies.clone();
    b.csrf = a.csrf.clone();
    b.post("/redaksjon/logg-inn", &[("navn", "Eva"), ("passord", "gjetting-1234")])
        .await
        .assert_status(429);
    let mut owner = Client::new(&app.router, Some(OWNER));
    owner.get("/redaksjon/logg-inn").await;
    let mut owner_b = Client::new(&other, Some(OWNER));
    owner_b.cookies = owner.cookies.clone();
    owner_b.csrf = owner.csrf.clone();
    owner_b
        .post("/redaksjon/logg-inn", &[("navn", "Eva"), ("passord", PASSWORD)])
        .await
        .assert_status(303);
}

#[tokio::test]
async fn viewing_the_sign_in_form_stores_no_session_and_its_csrf_protection_holds() {
    let app = TestApp::new().await;
    with_password(&app, "Eva", Role::Editor).await;
    for _ in 0..100 {
        let mut c = Client::new(&app.router, Some(ATTACKER));
        c.get("/redaksjon/logg-inn").await.assert_status(200);
    }
    assert_eq!(all_sessions(&app).await, 0, "no session rows for visitors");

    let mut c = Client::new(&app.router, Some(OWNER));
    c.get("/redaksjon/logg-inn").await.assert_status(200);
    let fields = |token: &str| {
        serde_urlencoded::to_string([("csrf_token", token), ("navn", "Eva"), ("passord", PASSWORD)]).unwrap()
    };
    let token = c.csrf.clone();
    let cookie = c.cookies.clone();
    // No cookie: refused, even with the right password and a real token.
    c.cookies.clear();
    let res = c
        .send(Method::POST, "/redaksjon/logg-inn", Some(fields(&token)), &[])
        .await;
    res.assert_status(403);
    c.cookies = cookie.clone();
    // No token, a wrong token, or a token of another form: refused.
    for bad in [String::new(), "0".repeat(64), {
        let mut other = Client::new(&app.router, Some(OWNER));
        other.get("/redaksjon/logg-inn").await;
        other.csrf
    }] {
        c.send(Method::POST, "/redaksjon/logg-inn", Some(fields(&bad)), &[])
            .await
            .assert_status(403);
        c.cookies = cookie.clone();
    }
    // A forged nonce cookie does not help either.
    c.cookies.insert(
        "nr_login".into(),
        format!("{}.{}", "a".repeat(64), chrono::Utc::now().timestamp()),
    );
    c.send(Method::POST, "/redaksjon/logg-inn", Some(fields(&token)), &[])
        .await
        .assert_status(403);
    c.cookies = cookie;
    assert_eq!(all_sessions(&app).await, 0);
    // With both, signing in works and stores exactly one session; the nonce cookie is cleared.
    let res = c
        .send(Method::POST, "/redaksjon/logg-inn", Some(fields(&token)), &[])
        .await;
    res.assert_status(303);
    assert_eq!(all_sessions(&app).await, 1);
    assert!(c.cookies.contains_key("nr_session") && !c.cookies.contains_key("nr_login"));
    c.get("/redaksjon").await.assert_status(200);
}

#[tokio::test]
async fn user_supplied_values_are_logged_escaped() {
    let app = TestApp::new().await;
    let log = LogBuffer::default();
    let _guard = log.install();
    let forged = "eva\n1999-01-01T00:00:00.000000Z  INFO normen_registry::web::auth: signed in user=adm\u{1b}[31m";
    let mut c = Client::new(&app.router, Some(ATTACKER));
    c.sign_in(forged, "feil-passord-her").await.assert_status(401);
    let text = log.text();
    assert!(text.contains("failed sign-in"), "{text}");
    assert!(!text.contains('\u{1b}'), "a raw ESC reached the log: {text:?}");
    for line in text.lines() {
        assert!(!line.starts_with("1999-01-01"), "a forged log line: {line:?}");
    }
    assert!(text.contains(r"eva\n1999-01-01"), "the name is logged, escaped: {text}");
}

#[tokio::test]
async fn users_change_their_own_password_and_their_other_sessions_end() {
    let app = TestApp::new().await;
    with_password(&app, "Siri", Role::Editor).await;
    let mut here = Client::new(&app.router, Some(OWNER));
    here.sign_in("Siri", PASSWORD).await.assert_status(303);
    let mut elsewhere = Client::new(&app.router, Some(ATTACKER));
    elsewhere.sign_in("Siri", PASSWORD).await.assert_status(303);
    assert_eq!(sessions_of(&app, "Siri").await, 2);

    let html = here.get("/redaksjon/passord").await;
    html.assert_status(200);
    assert!(html.text().contains("Nåværende passord"));
    let new = "et-helt-nytt-passord";
    // Without the CSRF token: refused, nothing changed.
    let body = serde_urlencoded::to_string([
        ("gammelt_passord", PASSWORD),
        ("nytt_passord", new),
        ("gjenta_passord", new),
    ])
    .unwrap();
    here.send(Method::POST, "/redaksjon/passord", Some(body), &[])
        .await
        .assert_status(403);
    // Wrong current password, a short one, a mismatch: the form again with the message by the field.
    for (fields, message) in [
        (["feil-passord-her", new, new], "Det nåværende passordet er feil"),
        ([PASSWORD, "kort", "kort"], "minst 10 tegn"),
        ([PASSWORD, new, "et-annet-passord"], "Passordene er ikke like"),
    ] {
        let res = here
            .post(
                "/redaksjon/passord",
                &[
                    ("gammelt_passord", fields[0]),
                    ("nytt_passord", fields[1]),
                    ("gjenta_passord", fields[2]),
                ],
            )
            .await;
        res.assert_status(422);
        assert!(res.text().contains(message), "{message}: {}", res.text());
    }
    assert_eq!(sessions_of(&app, "Siri").await, 2, "a refused change ends nothing");
    let res = here
        .post(
            "/redaksjon/passord",
            &[
                ("gammelt_passord", PASSWORD),
                ("nytt_passord", new),
                ("gjenta_passord", new),
            ],
        )
        .await;
    res.assert_status(303);
    let page = here.get("/redaksjon").await;
    page.assert_status(200);
    assert!(page.text().contains("Passordet er byttet"), "{}", page.text());
    elsewhere.get("/redaksjon").await.assert_status(303);
    assert_eq!(sessions_of(&app, "Siri").await, 1);
    Client::new(&app.router, Some(OWNER))
        .sign_in("Siri", PASSWORD)
        .await
        .assert_status(401);
    Client::new(&app.router, Some("192.0.2.44:1"))
        .sign_in("Siri", new)
        .await
        .assert_status(303);
}

#[tokio::test]
async fn admins_disable_users_whose_sessions_and_tokens_end_at_once() {
    let app = TestApp::new().await;
    let token = with_password(&app, "Tor", Role::Editor).await;
    with_password(&app, "Anne", Role::Admin).await;
    let mut tor = Client::new(&app.router, Some(OWNER));
    tor.sign_in("Tor", PASSWORD).await.assert_status(303);
    let mut anne = Client::new(&app.router, Some("192.0.2.10:1"));
    anne.sign_in("Anne", PASSWORD).await.assert_status(303);
    let tor_id = users::caller_for_token(&app.db, &token).await.unwrap().unwrap().user_id;
    let anne_id = app_user::Entity::find()
        .filter(app_user::Column::Name.eq("Anne"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    app.get_as("/api/v1/documents", &token).await.assert_status(200);

    let page = anne.get("/redaksjon/brukere").await;
    page.assert_status(200);
    assert!(page.text().contains(&format!("/redaksjon/brukere/{tor_id}/deaktiver")));
    tor.get("/redaksjon/brukere").await.assert_status(403);
    let disable = format!("/redaksjon/brukere/{tor_id}/deaktiver");
    // An editor cannot disable anyone; without the CSRF token nobody can.
    let res = assert_unchanged!(
        app,
        tor.post(&format!("/redaksjon/brukere/{anne_id}/deaktiver"), &[]).await
    );
    res.assert_status(403);
    let res = assert_unchanged!(app, anne.send(Method::POST, &disable, Some(String::new()), &[]).await);
    res.assert_status(403);
    // Nobody disables themselves.
    anne.get("/redaksjon/brukere").await;
    anne.post(&format!("/redaksjon/brukere/{anne_id}/deaktiver"), &[])
        .await
        .assert_status(409);

    anne.post(&disable, &[]).await.assert_status(303);
    assert!(anne.get("/redaksjon/brukere").await.text().contains("Deaktivert"));
    tor.get("/redaksjon").await.assert_status(303);
    assert_eq!(sessions_of(&app, "Tor").await, 0);
    app.get_as("/api/v1/documents", &token).await.assert_status(401);
    Client::new(&app.router, Some(OWNER))
        .sign_in("Tor", PASSWORD)
        .await
        .assert_status(401);
    anne.get("/redaksjon").await.assert_status(200);

    // Enabled again: Tor signs in; the revoked token stays revoked.
    anne.get("/redaksjon/brukere").await;
    anne.post(&format!("/redaksjon/brukere/{tor_id}/aktiver"), &[])
        .await
        .assert_status(303);
    Client::new(&app.router, Some(OWNER))
        .sign_in("Tor", PASSWORD)
        .await
        .assert_status(303);
    app.get_as("/api/v1/documents", &token).await.assert_status(401);
}

#[tokio::test]
async fn a_disabled_users_token_is_refused_even_if_not_revoked() {
    // Tokens of a disabled user stop working through the status check alone.
    let app = TestApp::new().await;
    let token = users::add_user(&app.db, "Tokenbruker", Role::Editor, None)
        .await
        .unwrap();
    use sea_orm::{ActiveModelTrait, Set};
    let user = app_user::Entity::find()
        .filter(app_user::Column::Name.eq("Tokenbruker"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: app_user::ActiveModel = user.into();
    active.status = Set("disabled".into());
    active.update(&app.db).await.unwrap();
    app.get_as("/api/v1/documents", &token).await.assert_status(401);
}

/// Runs the built binary on a data dir.
fn cli(dir: &std::path::Path, args: &[&str], password: Option<&str>, stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_normen-registry"));
    cmd.args(args)
        .env("NORMEN_DATA_DIR", dir)
        .env_remove("DATABASE_URL")
        .env_remove("NORMEN_PASSWORD")
        .env("RUST_LOG", "info")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(p) = password {
        cmd.env("NORMEN_PASSWORD", p);
    }
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn the_command_line_sets_passwords_and_disables_users() {
    use normen_registry::session;
    let dir = tempfile::tempdir().unwrap();
    let out = cli(
        dir.path(),
        &["user", "add", "Siri", "--role", "editor"],
        Some(PASSWORD),
        "",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    // Piped, the log has no colour codes.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("INFO"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "colour codes in a piped log: {stderr:?}");

    let db = normen_registry::db::connect(None, dir.path()).await.unwrap();
    let siri = users::caller_for_token(&db, &token).await.unwrap().unwrap();
    session::create(&db, siri.clone()).await.unwrap();
    let count = |db: sea_orm::DatabaseConnection| async move { web_session::Entity::find().count(&db).await.unwrap() };
    assert_eq!(count(db.clone()).await, 1);

    // The password from standard input; the sessions end.
    let new = "et-nytt-passord-fra-stdin";
    let out = cli(dir.path(), &["user", "password", "Siri"], None, &format!("{new}\n"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(db.clone()).await, 0);
    assert!(session::check_password(&db, "Siri", new).await.unwrap().is_some());
    assert!(session::check_password(&db, "Siri", PASSWORD).await.unwrap().is_none());
    // A short password is refused and changes nothing.
    let out = cli(dir.path(), &["user", "password", "Siri"], Some("kort"), "");
    assert!(!out.status.success());
    assert!(session::check_password(&db, "Siri", new).await.unwrap().is_some());

    session::create(&db, siri).await.unwrap();
    let out = cli(dir.path(), &["user", "disable", "Siri"], None, "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ended 1 web sessions, revoked 1 API tokens"));
    assert_eq!(count(db.clone()).await, 0);
    assert!(session::check_password(&db, "Siri", new).await.unwrap().is_none());
    assert!(users::caller_for_token(&db, &token).await.unwrap().is_none());
    let out = cli(dir.path(), &["user", "disable", "Siri"], None, "");
    assert!(!out.status.success(), "disabling twice is refused");
    let out = cli(dir.path(), &["user", "disable", "Ingen"], None, "");
    assert!(!out.status.success(), "an unknown user is refused");

    let out = cli(dir.path(), &["user", "enable", "Siri"], None, "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(session::check_password(&db, "Siri", new).await.unwrap().is_some());
}
