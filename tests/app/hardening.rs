//! Hardening against an anonymous public: headers on every response, validators and errors that
//! say nothing about drafts, an index that is told the truth, and connections that cannot pile up.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use axum::http::Method;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn every_kind_of_response_says_nosniff() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    app.draft(id, "v2").await.assert_status(201);
    app.publish(id, "nb", "editorial", "Språk").await.assert_status(200);
    let uris = [
        format!("/api/v1/documents/{id}"),                                  // JSON
        "/api/v1/documents/999999".to_string(),                             // problem+json
        "/endringer.atom".to_string(),                                      // Atom
        "/faktaark/37/endringer.atom".to_string(),                          // Atom of one document
        "/faktaark/37".to_string(),                                         // HTML
        "/finnes-ikke".to_string(),                                         // HTML 404
        "/api/openapi.json".to_string(),                                    // JSON
        format!("/api/v1/documents/{id}/diff?from=1.0&to=1.1&format=diff"), // download
    ];
    for uri in &uris {
        let res = app.get(uri).await;
        assert_eq!(
            res.header("x-content-type-options"),
            "nosniff",
            "{uri} ({})",
            res.status
        );
    }
    let css = app.get("/static/site.css").await;
    css.assert_status(200);
    assert_eq!(css.header("x-content-type-options"), "nosniff");
    let res = app.send(Method::DELETE, "/faktaark/37", None, None, &[]).await;
    assert_eq!(res.status.as_u16(), 405);
    assert_eq!(res.header("x-content-type-options"), "nosniff", "web 405");
}

#[tokio::test]
async fn wrong_methods_and_options_on_the_api_are_problem_json() {
    let app = TestApp::new().await;
    for method in [Method::DELETE, Method::OPTIONS, Method::PATCH] {
        let res = app.send(method.clone(), "/api/v1/documents", None, None, &[]).await;
        res.assert_problem(405, "not allowed");
        assert!(
            res.header("allow").contains("GET"),
            "{method}: Allow {}",
            res.header("allow")
        );
        assert_eq!(res.header("x-content-type-options"), "nosniff");
    }
}

#[tokio::test]
async fn the_public_etag_does_not_move_when_an_editor_saves_a_draft() {
    let app = TestApp::new().await;
    let id = app.published_sheet("37", "Sikkerhetskrav", "v1").await;
    let uri = format!("/api/v1/documents/{id}");
    let before = app.get(&uri).await;
    let public_tag = before.header("etag");
    assert!(!public_tag.is_empty());
    assert_eq!(
        before.json()["etag"],
        public_tag.as_str(),
        "the body carries the same validator"
    );

    app.draft(id, "v2 i arbeid").await.assert_status(201);
    let during = app.get(&uri).await;
    assert_eq!(
        during.header("etag"),
        public_tag,
        "a draft save is visible through the ETag"
    );
    assert_eq!(during.body, before.body, "the public view is unchanged");
    // Staff see the revision, which did move.
    let staff = app.get_as(&uri, &app.editor).await;
    assert_ne!(staff.header("etag"), public_tag);

    app.publish(id, "nb", "editorial", "Språk").await.assert_status(200);
    assert_ne!(
        app.get(&uri).await.header("etag"),
        public_tag,
        "publishing changes the public view"
    );
}

/// Withdraws `old` and names the draft `successor` as what replaces it (a withdrawal names only
/// published successors; a relation added afterwards may point at a draft).
async fn withdraw_with_draft_successor(app: &TestApp, old: i64, successor: i64) {
    app.post(
        &format!("/api/v1/documents/{old}/withdraw"),
        json!({"reason": "Erstattes"}),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/v1/documents/{old}/relations"),
        json!({"kind": "replaced_by", "to_document_id": successor}),
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn successor_diff_does_not_name_a_draft_successor() {
    let app = TestApp::new().await;
    let old = app.published_sheet("37", "Gammel", "v1").await;
    let hidden = app.create("fact_sheet", Some("60"), "Hemmelig utkast", "utkast").await;
    withdraw_with_draft_successor(&app, old, hidden).await;
    let res = app.get(&format!("/api/v1/documents/{old}/successor-diff")).await;
    res.assert_problem(404, "successor");
    assert!(
        !res.text().contains(&hidden.to_string()),
        "the hidden id leaks: {}",
        res.text()
    );
    // Naming it outright is the same answer as naming a document that does not exist.
    let named = app
        .get(&format!("/api/v1/documents/{old}/successor-diff?successor={hidden}"))
        .await;
    let absent = app
        .get(&format!("/api/v1/documents/{old}/successor-diff?successor=424242"))
        .await;
    named.assert_problem(404, "successor");
    assert_eq!(
        named.text().replace(&hidden.to_string(), "N"),
        absent.text().replace("424242", "N")
    );
}

fn withdrawn_hit(res: &serde_json::Value, id: i64) -> serde_json::Value {
    res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["document_id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no hit for {id}: {res}"))
}

#[tokio::test]
async fn a_withdrawn_hit_learns_of_its_successor_when_the_successor_is_published() {
    let app = TestApp::new().await;
    let old = app
        .published_sheet("37", "Loggkontroll", "Om loggkontroll i journalsystemer.")
        .await;
    let new = app
        .create("fact_sheet", Some("60"), "Ny loggkontroll", "Ny tekst.")
        .await;
    withdraw_with_draft_successor(&app, old, new).await;
    let uri = "/api/v1/search?q=journalsystemer&include_withdrawn=true";
    let hit = withdrawn_hit(&app.get(uri).await.json(), old);
    assert_eq!(hit["successors"], json!([]), "a draft successor is not shown");

    app.publish(new, "nb", "substantive", "Første versjon")
        .await
        .assert_status(200);
    let hit = withdrawn_hit(&app.get(uri).await.json(), old);
    assert_eq!(hit["successors"][0]["url"], "/faktaark/60", "{hit}");
    assert_eq!(hit["successors"][0]["title"], "Ny loggkontroll");
    // The API's document view and the index agree.
    let doc = app.get(&format!("/api/v1/documents/{old}")).await.json();
    assert_eq!(doc["withdrawal"]["successors"][0]["url"], "/faktaark/60");
}

/// A `serve` process on a free port with tight connection limits, killed on drop.
struct Server {
    child: std::process::Child,
    addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(max_connections: usize) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_normen-registry"))
            .args(["serve", "--no-demo", "--addr", &addr, "--header-timeout", "1"])
            .args(["--max-connections", &max_connections.to_string()])
            .arg("--data-dir")
            .arg(dir.path())
            // Always SQLite: this test is about sockets, not the database.
            .env_remove("DATABASE_URL")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let server = Server { child, addr, _dir: dir };
        let started = Instant::now();
        while TcpStream::connect(&server.addr).is_err() {
            assert!(started.elapsed() < Duration::from_mins(1), "serve did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn open_fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .map(std::iter::Iterator::count)
            .unwrap_or(0)
    }
}

/// Reads until the server closes the connection; returns what it sent, or `None` if it was
/// still open after `patience`.
fn read_until_closed(stream: &mut TcpStream, patience: Duration) -> Option<Vec<u8>> {
    stream.set_read_timeout(Some(patience)).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(out),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Some(out),
            Err(_) => return None,
        }
    }
}

fn get_status(addr: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET /api/v1/documents HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let reply = read_until_closed(&mut s, Duration::from_secs(30)).expect("no answer");
    String::from_utf8_lossy(&reply)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn half_sent_and_idle_connections_are_closed_and_cannot_pile_up() {
    let server = Server::start(8);
    // Half-sent headers: closed by the header deadline (1 s here), not kept for ever.
    let mut half = TcpStream::connect(&server.addr).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").unwrap();
    assert!(
        read_until_closed(&mut half, Duration::from_secs(20)).is_some(),
        "a half-sent request stayed open"
    );
    // An idle kept-alive connection is closed too, after its answer.
    let mut idle = TcpStream::connect(&server.addr).unwrap();
    idle.write_all(b"GET /api/v1/documents HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let reply = read_until_closed(&mut idle, Duration::from_secs(20)).expect("an idle connection stayed open");
    assert!(String::from_utf8_lossy(&reply).starts_with("HTTP/1.1 200"));

    // Eight times as many silent connections than the cap: the process's descriptors stay bounded by the
    // cap, and once the deadlines have freed the slots a normal request is answered.
    let baseline = server.open_fds();
    let silent: Vec<TcpStream> = (0..64).map(|_| TcpStream::connect(&server.addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(500));
    let during = server.open_fds();
    assert!(
        during <= baseline + 8 + 2,
        "{during} descriptors open with 64 silent connections (baseline {baseline}, cap 8)"
    );
    assert!(get_status(&server.addr).starts_with("HTTP/1.1 200"));
    drop(silent);
}
