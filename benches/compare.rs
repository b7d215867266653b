//! Version comparison timing: `cargo bench --bench compare [-- --flags]`.
//!
//! Times `diff::compare` (default options, 250 ms deadline) and `diff::unified_diff` on
//! every consecutive version pair of the real Digdir corpus, on first-against-last pairs of the
//! longest histories, and on synthetic 1 MB pairs with 1 %, 10 % and total rewrites; and
//! `git diff --no-index --word-diff` (a process per pair) on the same pairs in the same run
//! (a sample of the real consecutive pairs, all the others).
//!
//! Flags: `--git-sample N` real consecutive pairs given to git (default 300, 0 = all),
//! `--longest N` histories compared first against last (default 20), `--synthetic N` pairs per
//! rewrite rate (default 10), `--reps N` timings per synthetic pair (default 3), `--no-git`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{Args, CorpusLine, fmt_ms, fmt_ratio, histories, machine, ms, print_table, read_corpus, stats, timed};
use normen_registry::diff::{CompareOptions, Granularity, compare, unified_diff};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const DEADLINE_MS: f64 = 250.0;
const ONE_MB: usize = 1_000_000;

struct Pair {
    group: &'static str,
    from: String,
    to: String,
}

#[derive(Default)]
struct Timings {
    ours: Vec<f64>,
    unified: Vec<f64>,
    degraded: usize,
    coarse: usize,
    /// (index into `ours`, git milliseconds) for the pairs given to git.
    git: Vec<(usize, f64)>,
}

fn size_group(bytes: usize) -> &'static str {
    if bytes < 5_000 {
        "real consecutive, < 5 KB"
    } else if bytes <= 20_000 {
        "real consecutive, 5-20 KB (typical ~10 KB)"
    } else {
        "real consecutive, > 20 KB"
    }
}

/// Paragraphs of the real text (front matter left out).
fn paragraphs(lines: &[CorpusLine]) -> Vec<String> {
    let mut out = Vec::new();
    for l in lines {
        let body = strip_front_matter(&l.text);
        out.extend(
            body.split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from),
        );
    }
    out.sort();
    out.dedup();
    out
}

fn strip_front_matter(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix("---\n")
        && let Some(end) = rest.find("\n---\n")
    {
        return &rest[end + 5..];
    }
    text
}

/// About 1 MB of real paragraphs in a random order.
fn synthetic_document(pool: &[String], rng: &mut StdRng) -> String {
    let mut out = String::with_capacity(ONE_MB + 10_000);
    while out.len() < ONE_MB {
        out.push_str(&pool[rng.random_range(0..pool.len())]);
        out.push_str("\n\n");
    }
    out
}

/// Rewrites `percent` % of the non-empty lines: words swapped, lines replaced, lines deleted
/// and others inserted.
fn rewrite(text: &str, percent: f64, pool_lines: &[&str], rng: &mut StdRng) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 10);
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() || rng.random::<f64>() * 100.0 >= percent {
            out.push_str(line);
            continue;
        }
        let other = pool_lines[rng.random_range(0..pool_lines.len())];
        match rng.random_range(0..4) {
            0 | 1 => {
                let mut words: Vec<&str> = line.trim_end().split(' ').collect();
                let donor: Vec<&str> = other.split(' ').filter(|w| !w.is_empty()).collect();
                for _ in 0..rng.random_range(1..=3) {
                    if donor.is_empty() {
                        break;
                    }
                    let at = rng.random_range(0..words.len());
                    words[at] = donor[rng.random_range(0..donor.len())];
                }
                out.push_str(&words.join(" "));
                out.push('\n');
            }
            2 => {
                out.push_str(other);
                out.push('\n');
            }
            _ => {
                // Deleted here, something else inserted a little later.
                out.push_str(other);
                out.push('\n');
                out.push('\n');
            }
        }
    }
    out
}

/// `git diff --no-index --word-diff` on the pair, as a process; returns milliseconds.
fn git_word_diff(dir: &Path, from: &str, to: &str) -> Option<f64> {
    let (a, b) = (dir.join("from.md"), dir.join("to.md"));
    std::fs::write(&a, from).ok()?;
    std::fs::write(&b, to).ok()?;
    let started = Instant::now();
    let out = Command::new("git")
        .args(["diff", "--no-index", "--no-color", "--no-ext-diff", "--word-diff"])
        .arg(&a)
        .arg(&b)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let elapsed = ms(started.elapsed());
    // 0: same, 1: different; anything else is a failure.
    matches!(out.status.code(), Some(0 | 1)).then_some(elapsed)
}

fn main() {
    let args = Args::parse(&["git-sample", "longest", "synthetic", "reps", "no-git"]);
    let git_sample = args.number("git-sample", 300);
    let longest = args.number("longest", 20);
    let synthetic = args.number("synthetic", 10);
    let reps = args.number("reps", 3).max(1);
    let git_ok = !args.flag("no-git")
        && Command::new("git")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());

    println!("# compare benchmark");
    println!("machine: {}", machine());
    let lines = read_corpus("digdir-docs.jsonl.gz");
    let pool = paragraphs(&lines);
    let docs = histories(lines);

    // The pairs, in groups.
    let mut pairs: Vec<Pair> = Vec::new();
    for versions in docs.values() {
        for w in versions.windows(2) {
            let bytes = w[0].text.len().max(w[1].text.len());
            pairs.push(Pair {
                group: size_group(bytes),
                from: w[0].text.clone(),
                to: w[1].text.clone(),
            });
        }
    }
    let consecutive = pairs.len();
    let mut by_length: Vec<&Vec<CorpusLine>> = docs.values().filter(|v| v.len() > 2).collect();
    by_length.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for v in by_length.iter().take(longest) {
        pairs.push(Pair {
            group: "real first vs last (longest histories)",
            from: v[0].text.clone(),
            to: v[v.len() - 1].text.clone(),
        });
    }
    let pool_lines: Vec<&str> = pool
        .iter()
        .flat_map(|p| p.lines())
        .filter(|l| !l.trim().is_empty())
        .collect();
    // A total rewrite draws its new text from the other half of the paragraphs (shared
    // boilerplate lines such as code fences and table rules still occur on both sides).
    let halves: [Vec<String>; 2] = [
        pool.iter().step_by(2).cloned().collect(),
        pool.iter().skip(1).step_by(2).cloned().collect(),
    ];
    let mut rng = StdRng::seed_from_u64(7);
    for (group, percent) in [
        ("synthetic 1 MB, 1 % of lines rewritten", 1.0),
        ("synthetic 1 MB, 10 % of lines rewritten", 10.0),
        ("synthetic 1 MB, total rewrite", 100.0),
    ] {
        for _ in 0..synthetic {
            let from = synthetic_document(&halves[0], &mut rng);
            let to = if percent >= 100.0 {
                synthetic_document(&halves[1], &mut rng)
            } else {
                rewrite(&from, percent, &pool_lines, &mut rng)
            };
            pairs.push(Pair { group, from, to });
        }
    }
    println!(
        "pairs: {consecutive} consecutive real pairs from {} documents, {} first-vs-last, {} synthetic 1 MB pairs",
        docs.len(),
        longest.min(by_length.len()),
        synthetic * 3
    );

    // Which pairs git gets: an even sample of the real consecutive ones, all the others.
    let stride = if git_sample == 0 || git_sample >= consecutive {
        1
    } else {
        consecutive.div_ceil(git_sample)
    };
    let to_git = |i: usize| i >= consecutive || i.is_multiple_of(stride);

    let opts = CompareOptions::default();
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut groups: BTreeMap<&'static str, Timings> = BTreeMap::new();
    let mut all = Timings::default();
    let mut worst: (f64, usize, usize) = (0.0, 0, 0);
    let started = Instant::now();
    // Warm-up: page in code and allocator.
    for p in pairs.iter().take(50) {
        std::hint::black_box(compare(&p.from, &p.to, &opts));
    }
    for (i, p) in pairs.iter().enumerate() {
        let runs = if i >= consecutive + longest.min(by_length.len()) {
            reps
        } else {
            1
        };
        let t = groups.entry(p.group).or_default();
        let (first, first_all) = (t.ours.len(), all.ours.len());
        for _ in 0..runs {
            let (c, took) = timed(|| compare(&p.from, &p.to, &opts));
            t.ours.push(took);
            all.ours.push(took);
            if c.degraded {
                t.degraded += 1;
                all.degraded += 1;
            }
            if c.granularity != Granularity::Word {
                t.coarse += 1;
                all.coarse += 1;
            }
            if took > worst.0 {
                worst = (took, p.from.len(), p.to.len());
            }
            let (_, u) = timed(|| unified_diff(&p.from, &p.to, "a", "b"));
            t.unified.push(u);
            all.unified.push(u);
        }
        if git_ok
            && to_git(i)
            && let Some(g) = git_word_diff(tmp.path(), &p.from, &p.to)
        {
            t.git.push((first, g));
            all.git.push((first_all, g));
        }
    }
    println!("all timings done in {:.1} s", started.elapsed().as_secs_f64());

    let mut rows = Vec::new();
    let mut push = |name: &str, t: &Timings| {
        let s = stats(&t.ours);
        let u = stats(&t.unified);
        let git: Vec<f64> = t.git.iter().map(|(_, g)| *g).collect();
        let ours_same: Vec<f64> = t.git.iter().map(|(i, _)| t.ours[*i]).collect();
        let g = stats(&git);
        let o = stats(&ours_same);
        rows.push(vec![
            name.to_string(),
            s.n.to_string(),
            fmt_ms(s.p50),
            fmt_ms(s.p99),
            fmt_ms(s.max),
            format!("{}/{}", t.degraded, t.coarse),
            fmt_ms(u.p50),
            fmt_ms(u.max),
            g.n.to_string(),
            fmt_ms(o.p50),
            fmt_ms(g.p50),
            fmt_ms(g.p99),
            fmt_ms(g.max),
            fmt_ratio(g.p50 / o.p50),
        ]);
    };
    for (name, t) in &groups {
        push(name, t);
    }
    push("all pairs", &all);
    print_table(
        "Time per diff in ms (compare = structure-aware word diff, default options; git = `git diff --no-index --word-diff`, one process per pair)",
        &[
            "pairs",
            "timings",
            "compare p50",
            "p99",
            "max",
            "degraded/coarser",
            "unified_diff p50",
            "unified max",
            "git pairs",
            "compare p50 (git's pairs)",
            "git p50",
            "git p99",
            "git max",
            "git/compare",
        ],
        &rows,
    );

    let typical = stats(
        &groups
            .get("real consecutive, 5-20 KB (typical ~10 KB)")
            .map_or(Vec::new(), |t| t.ours.clone()),
    );
    let ten = stats(
        &groups
            .get("synthetic 1 MB, 10 % of lines rewritten")
            .map_or(Vec::new(), |t| t.ours.clone()),
    );
    let over = all.ours.iter().filter(|&&t| t > DEADLINE_MS).count();
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" }.to_string();
    print_table(
        "Targets",
        &["target", "measured", "verdict"],
        &[
            vec![
                "typical 10 KB pair (5-20 KB) under 1 ms".into(),
                format!("p50 {} ms, p99 {} ms", fmt_ms(typical.p50), fmt_ms(typical.p99)),
                verdict(typical.p50 < 1.0),
            ],
            vec![
                "1 MB pair with 10 % changes under 50 ms".into(),
                format!("p50 {} ms, max {} ms", fmt_ms(ten.p50), fmt_ms(ten.max)),
                verdict(ten.max < 50.0),
            ],
            vec![
                format!("no pair over the {DEADLINE_MS} ms deadline"),
                format!(
                    "max {} ms ({} over; slowest pair {} -> {} bytes)",
                    fmt_ms(worst.0),
                    over,
                    worst.1,
                    worst.2
                ),
                verdict(over == 0),
            ],
        ],
    );
    if !git_ok {
        println!("\ngit: skipped (not installed, or --no-git)");
    } else if stride > 1 {
        println!(
            "\ngit ran on every {stride}th real consecutive pair ({} of {consecutive}) and on all other pairs; \
             its times include starting a process (about 1-2 ms).",
            all.git.iter().filter(|(i, _)| *i < consecutive).count()
        );
    }
}
