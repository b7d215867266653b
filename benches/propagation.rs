//! Several processes on one database (issue 16): how long a change committed through process
//! A takes to be searchable through process B, beside the same figure on A itself (the writer
//! brings its own index up to date before it answers), and the read throughput of one process
//! and of two under the same load. Real release `serve` processes, driven over HTTP.
//!
//! ```sh
//! cargo bench --bench propagation                     # PostgreSQL, then SQLite (about 2 minutes)
//! cargo bench --bench propagation -- --writes 300 --wrk-seconds 10 --connections 16
//! ```
//! PostgreSQL from `--pg URL` / `BENCH_PG_URL` (default the local server); unreachable: skipped.

#[path = "../tests/processes/support.rs"]
#[allow(dead_code)]
mod support;

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{Args, fmt_ms, machine, ms, percentile, print_table, run_wrk};
use support::{Cluster, Proc};

struct Settings {
    writes: usize,
    wrk_seconds: usize,
    connections: usize,
    pg: String,
}

fn main() {
    let args = Args::parse(&["writes", "wrk-seconds", "connections", "pg"]);
    let settings = Settings {
        writes: args.number("writes", 300).max(10),
        wrk_seconds: args.number("wrk-seconds", 10).max(1),
        connections: args.number("connections", 16).max(2),
        pg: args
            .get("pg")
            .map(str::to_string)
            .or_else(|| std::env::var("BENCH_PG_URL").ok())
            .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".into()),
    };
    println!("propagation between processes; {}", machine());
    let pg_up = Command::new("pg_isready")
        .args(["-q", "-d", &settings.pg])
        .status()
        .is_ok_and(|s| s.success());
    let mut rows = Vec::new();
    let mut throughput = Vec::new();
    if pg_up {
        let (row, tp) = run(
            "PostgreSQL (LISTEN/NOTIFY)",
            &Cluster::on(Some(settings.pg.clone())),
            &[],
            &settings,
        );
        rows.push(row);
        throughput.extend(tp);
    } else {
        println!("PostgreSQL: skipped (unreachable at {})", settings.pg);
    }
    let (row, tp) = run(
        "SQLite, one file (polling, 1 s)",
        &Cluster::on(None),
        &["--poll-interval-ms", "1000"],
        &settings,
    );
    rows.push(row);
    throughput.extend(tp);
    print_table(
        &format!(
            "commit on A to searchable on B, {} writes one after another (ms); beside it, A's own create + publish round trip, after which A's search has the write",
            settings.writes
        ),
        &[
            "database",
            "A write p50",
            "A write p99",
            "B searchable p50",
            "B p99",
            "B max",
        ],
        &rows,
    );
    print_table(
        &format!(
            "read throughput, GET /api/v1/search (snippets), wrk {} s, {} connections in all",
            settings.wrk_seconds, settings.connections
        ),
        &["database", "processes", "requests/s", "p50", "p99", "non-2xx"],
        &throughput,
    );
}

/// One database: A and B, the writes, then the load.
fn run(name: &str, cluster: &Cluster, flags: &[&str], settings: &Settings) -> (Vec<String>, Vec<Vec<String>>) {
    let a = Proc::start(cluster, "a", flags).unwrap_or_else(|e| panic!("{e}"));
    let b = Proc::start(cluster, "b", flags).unwrap_or_else(|e| panic!("{e}"));
    // Warm both (first connections, caches).
    for i in 0..5 {
        a.publish_guide(&cluster.token, &format!("Oppvarming {i}"), "benkeord oppvarming");
    }
    support::eventually("warm-up", Duration::from_secs(30), || b.hits("oppvarming", false) == 5);
    let mut on_a = Vec::new();
    let mut on_b = Vec::new();
    for i in 0..settings.writes {
        // Ends in "x" so the Norwegian stemmer leaves every word its own ("spredninge" and
        // "spredninga" would share a stem and tie).
        let word = format!("spredning{}x", letters(i));
        // `publish_guide` returns when A's commit (and its own index) is done.
        let started = Instant::now();
        a.publish_guide(&cluster.token, &format!("Måling {i}"), &format!("benkeord {word}"));
        // A answers after its own index holds the write: searchable there at once.
        let committed = Instant::now();
        on_a.push(ms(committed - started));
        let title = format!("Måling {i}");
        let query = format!("/api/v1/search?limit=1&q={word}");
        // The exact word is the top hit once it is there (typo tolerance finds neighbours first).
        while b.get(&query).1["hits"][0]["title"] != title.as_str() {
            assert!(committed.elapsed() < Duration::from_mins(1), "{word} never reached B");
            std::thread::sleep(Duration::from_micros(500));
        }
        on_b.push(ms(committed.elapsed()));
    }
    let pct = |v: &[f64], p: f64| fmt_ms(percentile(v, p));
    let max = on_b.iter().copied().fold(0.0, f64::max);
    let row = vec![
        name.to_string(),
        pct(&on_a, 50.0),
        pct(&on_a, 99.0),
        pct(&on_b, 50.0),
        pct(&on_b, 99.0),
        fmt_ms(max),
    ];
    let path = "/api/v1/search?limit=10&q=benkeord";
    let url = |p: &Proc| format!("http://{}{path}", p.addr);
    let mut tp = Vec::new();
    let _ = run_wrk(None, &url(&a), 2, 1);
    match run_wrk(None, &url(&a), settings.connections, settings.wrk_seconds) {
        Ok(one) => tp.push(vec![
            name.to_string(),
            "1".into(),
            format!("{:.0}", one.requests_per_s),
            fmt_ms(one.p50),
            fmt_ms(one.p99),
            one.non_2xx.to_string(),
        ]),
        Err(e) => println!("wrk: {e}"),
    }
    // The same connections split over both processes, at the same time.
    let half = settings.connections / 2;
    let (ra, rb) = std::thread::scope(|s| {
        let ja = s.spawn(|| run_wrk(None, &url(&a), half, settings.wrk_seconds));
        let jb = s.spawn(|| run_wrk(None, &url(&b), half, settings.wrk_seconds));
        (ja.join().expect("wrk A"), jb.join().expect("wrk B"))
    });
    if let (Ok(ra), Ok(rb)) = (ra, rb) {
        tp.push(vec![
            name.to_string(),
            "2".into(),
            format!("{:.0}", ra.requests_per_s + rb.requests_per_s),
            format!("{} / {}", fmt_ms(ra.p50), fmt_ms(rb.p50)),
            format!("{} / {}", fmt_ms(ra.p99), fmt_ms(rb.p99)),
            (ra.non_2xx + rb.non_2xx).to_string(),
        ]);
    }
    drop((a, b));
    (row, tp)
}

/// A number as letters ("a", "b" … "ba"): words without digits, one per write.
fn letters(mut n: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}
