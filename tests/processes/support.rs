//! Real `serve` processes over one database: PostgreSQL when `TEST_DATABASE_URL` is set (a
//! fresh database per test), else one SQLite file that every process opens by URL. Each
//! process has its own data dir (its own search index). A small blocking HTTP client talks to
//! them, so the test sees exactly what a client sees.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_normen-registry");

/// One database that several processes share, and the temporary files of a test.
pub struct Cluster {
    pub database_url: String,
    pub dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
    pub token: String,
}

impl Cluster {
    /// A fresh, migrated database with approval off (the tests publish directly) and an
    /// editor, whose API token is `token`.
    pub fn new() -> Cluster {
        Cluster::on(std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()))
    }

    /// The same on a fresh database of the PostgreSQL server `postgres_admin` (a URL of a
    /// database there to connect to first), or on one SQLite file when `None`.
    pub fn on(postgres_admin: Option<String>) -> Cluster {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, postgres) = match postgres_admin {
            Some(admin) => {
                let name = format!(
                    "test_proc_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                psql(&admin, &format!("CREATE DATABASE {name}"));
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_string();
                (format!("{base}/{name}"), Some((admin, name)))
            }
            None => (
                format!("sqlite://{}?mode=rwc", dir.path().join("shared.db").display()),
                None,
            ),
        };
        let mut c = Cluster {
            database_url,
            dir,
            postgres,
            token: String::new(),
        };
        c.cli(&["migrate"]);
        c.cli(&["approval", "--required-for", "none"]);
        c.token = c
            .cli(&["user", "add", "Eva Editor", "--role", "editor"])
            .trim()
            .to_string();
        c
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// Runs a CLI command on the shared database; panics with its output if it fails.
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new(BIN)
            .args(args)
            .arg("--data-dir")
            .arg(self.dir.path().join("cli"))
            .env("DATABASE_URL", &self.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run the CLI");
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The data dir of process `name`.
    pub fn data_dir(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Starts `serve` with its own data dir `name`, and waits until it answers.
    pub fn start(&self, name: &str) -> Proc {
        Proc::start(self, name, &[]).unwrap_or_else(|e| panic!("{e}"))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.postgres {
            psql(admin, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn psql(url: &str, sql: &str) {
    let out = Command::new("psql")
        .args([url, "-qc", sql])
        .output()
        .expect("psql is installed beside PostgreSQL");
    assert!(out.status.success(), "{sql}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A running `serve` process.
pub struct Proc {
    pub child: Child,
    pub addr: String,
    pub log: PathBuf,
}

impl Proc {
    /// Starts `serve` on a free port with the data dir `name` and `extra` flags; returns once
    /// it prints its address, or the error output if it exits first.
    pub fn start(cluster: &Cluster, name: &str, extra: &[&str]) -> Result<Proc, String> {
        let log = cluster.dir.path().join(format!(
            "{name}-{}.log",
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let mut child = Command::new(BIN)
            .args(["serve", "--no-demo", "--addr", "127.0.0.1:0"])
            .args(if extra.contains(&"--poll-interval-ms") {
                &[][..]
            } else {
                &["--poll-interval-ms", "200"][..]
            })
            .args(extra)
            .arg("--data-dir")
            .arg(cluster.data_dir(name))
            .env("DATABASE_URL", &cluster.database_url)
            .env("RUST_LOG", "info,sqlx=warn")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the address line");
        let Some(addr) = line.trim().strip_prefix("normen-registry is running at http://") else {
            let _ = child.wait();
            return Err(std::fs::read_to_string(&log).unwrap_or_default());
        };
        Ok(Proc {
            addr: addr.trim_end_matches('/').to_string(),
            child,
            log,
        })
    }

    /// Sends a request; returns the status and the body (JSON, or a string for other text).
    pub fn request(&self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> (u16, Value) {
        let (status, text) = self.raw(method, path, token, body);
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// Sends a request; returns the status and the body as text.
    pub fn raw(&self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> (u16, String) {
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        if !body.is_empty() {
            head.push_str("Content-Type: application/json\r\n");
        }
        if let Some(t) = token {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        head.push_str("\r\n");
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_mins(1))).unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the response");
        let text = String::from_utf8_lossy(&raw);
        let (headers, rest) = text.split_once("\r\n\r\n").expect("a complete response");
        let status: u16 = headers
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let chunked = headers.to_ascii_lowercase().contains("transfer-encoding: chunked");
        let body = if chunked { dechunk(rest) } else { rest.to_string() };
        (status, body)
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        self.request("GET", path, None, None)
    }

    /// Total hits of `word`, withdrawn material included or not.
    pub fn hits(&self, word: &str, include_withdrawn: bool) -> i64 {
        let (status, res) = self.get(&format!(
            "/api/v1/search?limit=1&include_withdrawn={include_withdrawn}&q={word}"
        ));
        assert_eq!(status, 200, "{res}");
        res["total"].as_i64().expect("total")
    }

    /// Creates a guide whose body holds `words`, and publishes it: two writes.
    pub fn publish_guide(&self, token: &str, title: &str, words: &str) -> i64 {
        let (status, doc) = self.request(
            "POST",
            "/api/v1/documents",
            Some(token),
            Some(&json!({"kind": "guide", "language": "nb", "title": title, "body": format!("Tekst om {words}.")})),
        );
        assert_eq!(status, 201, "{doc}");
        let id = doc["id"].as_i64().expect("id");
        let (status, res) = self.request(
            "POST",
            &format!("/api/v1/documents/{id}/publish"),
            Some(token),
            Some(&json!({"change_kind": "substantive", "change_note": "Første utgave"})),
        );
        assert_eq!(status, 200, "{res}");
        id
    }

    /// The value of a metric line `name` (without labels) in `/metrics`.
    pub fn metric(&self, name: &str) -> Option<f64> {
        let (status, text) = self.raw("GET", "/metrics", None, None);
        assert_eq!(status, 200);
        text.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
            .and_then(|v| v.trim().parse().ok())
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `kill -9`.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, and the exit status once the process has ended.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "serve did not stop within 30 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

/// Polls `f` until it returns true; panics with `what` after `limit`. Returns how long it took.
pub fn eventually(what: &str, limit: Duration, mut f: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    loop {
        if f() {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The real corpus beside the workspace (`../shared/corpus`), as CI has it.
pub fn corpus_file() -> PathBuf {
    let dir = std::env::var("NORMEN_CORPUS_DIR").map_or_else(
        |_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    dir.join("digdir-docs.jsonl.gz")
}
