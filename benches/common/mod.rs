//! Shared by the benchmark binaries: the real corpus, percentiles, plain tables and arguments.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One line of the corpus: one version of one document.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct CorpusLine {
    pub doc: String,
    pub status: String,
    pub n: u32,
    pub of: u32,
    pub date: String,
    pub title: Option<String>,
    pub lang: String,
    pub text: String,
}

/// `../shared/corpus/<file>` next to the workspace (override the folder with `NORMEN_CORPUS_DIR`).
pub fn corpus_path(file: &str) -> PathBuf {
    let dir = std::env::var_os("NORMEN_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    dir.join(file)
}

/// Every version in the file, in file order (oldest version of each document first).
pub fn read_corpus(file: &str) -> Vec<CorpusLine> {
    let path = corpus_path(file);
    let f = std::fs::File::open(&path).unwrap_or_else(|e| panic!("cannot open the corpus {}: {e}", path.display()));
    BufReader::new(flate2::read::GzDecoder::new(f))
        .lines()
        .map(|l| serde_json::from_str(&l.expect("corpus line")).expect("corpus JSON"))
        .collect()
}

/// The versions of each document in order, keyed by document id.
pub fn histories(lines: Vec<CorpusLine>) -> BTreeMap<String, Vec<CorpusLine>> {
    let mut out: BTreeMap<String, Vec<CorpusLine>> = BTreeMap::new();
    for l in lines {
        out.entry(l.doc.clone()).or_default().push(l);
    }
    for v in out.values_mut() {
        v.sort_by_key(|l| l.n);
    }
    out
}

/// Milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Times `f`, returning its result and the elapsed milliseconds.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let out = f();
    (out, ms(started.elapsed()))
}

/// Nearest-rank percentile of unsorted samples (`p` in 0..=100).
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

/// p50, p99 and max of samples.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub n: usize,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

pub fn stats(samples: &[f64]) -> Stats {
    Stats {
        n: samples.len(),
        p50: percentile(samples, 50.0),
        p99: percentile(samples, 99.0),
        max: samples.iter().copied().fold(f64::NAN, f64::max),
    }
}

/// A figure in milliseconds with sensible precision.
pub fn fmt_ms(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else if v < 1.0 {
        format!("{v:.3}")
    } else if v < 100.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.0}")
    }
}

/// A ratio such as `31x`.
pub fn fmt_ratio(v: f64) -> String {
    if v.is_nan() || v.is_infinite() {
        "-".into()
    } else if v < 10.0 {
        format!("{v:.1}x")
    } else {
        format!("{v:.0}x")
    }
}

/// Prints a table in Markdown pipe syntax (readable as plain text, pastes into BENCHMARKS.md).
pub fn print_table(title: &str, header: &[&str], rows: &[Vec<String>]) {
    println!();
    println!("{title}");
    println!();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(c.chars().count());
                if i == 0 {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect();
        println!("| {} |", padded.join(" | "));
    };
    line(header.iter().map(std::string::ToString::to_string).collect());
    println!(
        "|{}|",
        widths
            .iter()
            .enumerate()
            .map(|(i, w)| if i == 0 {
                format!(":{}", "-".repeat(w + 1))
            } else {
                format!("{}:", "-".repeat(w + 1))
            })
            .collect::<Vec<_>>()
            .join("|")
    );
    for row in rows {
        line(row.clone());
    }
}

/// Command-line flags after `cargo bench --bench NAME --`: `--name value` pairs. Cargo adds a
/// bare `--bench`, which is ignored.
pub struct Args {
    pairs: Vec<(String, Option<String>)>,
}

impl Args {
    pub fn parse(known: &[&str]) -> Args {
        let mut pairs = Vec::new();
        let mut it = std::env::args().skip(1).peekable();
        while let Some(a) = it.next() {
            if a == "--bench" {
                continue;
            }
            let Some(name) = a.strip_prefix("--") else {
                eprintln!("ignoring argument {a:?}");
                continue;
            };
            let (name, value) = if let Some((n, v)) = name.split_once('=') {
                (n.to_string(), Some(v.to_string()))
            } else {
                let value = it.next_if(|v| !v.starts_with("--"));
                (name.to_string(), value)
            };
            if name == "help" {
                println!(
                    "flags: {}",
                    known.iter().map(|k| format!("--{k}")).collect::<Vec<_>>().join(" ")
                );
                std::process::exit(0);
            }
            if !known.contains(&name.as_str()) {
                eprintln!("unknown flag --{name}; known: {}", known.join(", "));
                std::process::exit(2);
            }
            pairs.push((name, value));
        }
        Args { pairs }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    pub fn flag(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| n == name)
    }

    pub fn number(&self, name: &str, default: usize) -> usize {
        self.get(name).map_or(default, |v| {
            v.replace('_', "").parse().unwrap_or_else(|_| panic!("--{name} {v}"))
        })
    }

    pub fn list(&self, name: &str, default: &[usize]) -> Vec<usize> {
        match self.get(name) {
            Some(v) => v
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.replace('_', "").parse().unwrap_or_else(|_| panic!("--{name} {v}")))
                .collect(),
            None => default.to_vec(),
        }
    }
}

/// What the machine is, for the report header.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    format!("{cores} cores, {cpu}, load average {load}")
}

/// What `wrk --latency` reported.
pub struct WrkResult {
    pub requests_per_s: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub non_2xx: u64,
}

impl WrkResult {
    /// A table row: name, requests/s, p50, p90, p99, non-2xx.
    pub fn row(&self, name: &str) -> Vec<String> {
        vec![
            name.to_string(),
            format!("{:.0}", self.requests_per_s),
            fmt_ms(self.p50),
            fmt_ms(self.p90),
            fmt_ms(self.p99),
            self.non_2xx.to_string(),
        ]
    }
}

/// Runs `wrk` (one thread) for `seconds` with `connections` against `url`, with a Lua
/// `script` if given, and reads its latency report (milliseconds).
pub fn run_wrk(script: Option<&Path>, url: &str, connections: usize, seconds: usize) -> Result<WrkResult, String> {
    let out = Command::new("wrk")
        .args([
            "-t",
            "1",
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--latency",
        ])
        .args(
            script
                .map(|s| [std::ffi::OsStr::new("-s"), s.as_os_str()])
                .into_iter()
                .flatten(),
        )
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!("wrk failed: {text} {}", String::from_utf8_lossy(&out.stderr)));
    }
    let duration = |s: &str| -> f64 {
        let num = |suffix: &str| s.strip_suffix(suffix).and_then(|v| v.parse::<f64>().ok());
        num("us")
            .map(|v| v / 1000.0)
            .or_else(|| num("ms"))
            .or_else(|| num("s").map(|v| v * 1000.0))
            .or_else(|| num("m").map(|v| v * 60_000.0))
            .unwrap_or(f64::NAN)
    };
    let mut r = WrkResult {
        requests_per_s: f64::NAN,
        p50: f64::NAN,
        p90: f64::NAN,
        p99: f64::NAN,
        non_2xx: 0,
    };
    for line in text.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["50%", v] => r.p50 = duration(v),
            ["90%", v] => r.p90 = duration(v),
            ["99%", v] => r.p99 = duration(v),
            ["Requests/sec:", v] => r.requests_per_s = v.parse().unwrap_or(f64::NAN),
            ["Non-2xx", "or", "3xx", "responses:", v] => r.non_2xx = v.parse().unwrap_or(0),
            _ => {}
        }
    }
    Ok(r)
}
