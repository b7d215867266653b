//! Structure-aware comparison of two Markdown versions of a document.
//!
//! # How a comparison is built
//!
//! 1. Both bodies are split into sections at ATX headings (`#` … `######`,
//!    not inside fenced code). Front matter (`---` … `---` at the very top)
//!    and any text before the first heading are pseudo-sections.
//! 2. Sections are paired by heading text (lower-cased words, so markup and
//!    case edits keep the pair) with an order-preserving diff of the heading
//!    sequences. Of the sections left over, one whose heading appears on the
//!    other side out of order, or whose body is identical there, is *moved*;
//!    sections in the same gap whose bodies or headings share words (Dice
//!    coefficient ≥ 0.5, best in-order assignment) are *renamed*; the rest are
//!    *added* or *removed*.
//! 3. Inside a pair, a line diff runs first and each changed line region is
//!    then diffed word by word (words, whitespace runs and runs of one
//!    punctuation character are the tokens).
//!
//! # The reconstruction invariant
//!
//! Over [`Comparison::sections`] in order, joining the `text` of all `equal`
//! and `delete` ops gives the *from* body exactly, and joining `equal` and
//! `insert` ops gives the *to* body exactly. This holds with and without the
//! ignore options: an op is `equal` only when both texts are identical. Text
//! that differs only in what the options ignore is emitted as a
//! delete + insert pair with [`Op::ignorable`] set; such ops are left out of
//! every count in the [`Summary`] and do not make a section `changed`. A moved
//! section appears twice: as a `delete` at its old place and an `insert` at
//! its new place, both with status `moved` and linked by
//! [`SectionDiff::counterpart`]; its words and normative changes are counted
//! once, on the insert half. No op has empty text.
//!
//! # Summary heuristics
//!
//! * Words are runs of letters and digits; markup never counts as a word.
//! * A *hunk* is a run of non-ignorable delete/insert ops. It is a
//!   *normative change* when it deletes or inserts one of `skal`, `bør`, `må`,
//!   `kan`, `shall`, `should`, `must`, `may` (any case, also `cannot`), or a
//!   negation (`ikke`, `ikkje`, `aldri`, `ingen`, `not`, `never`, `no`) within
//!   three words of one. An added or removed section containing such a word
//!   is one normative change.
//! * `change_kind` is `none` when there is no non-ignorable change;
//!   `substantive` when there is a normative change, an added or removed
//!   section with words in it, a hunk touching more than
//!   [`EDITORIAL_HUNK_WORDS`] words on one side, or more changed words than
//!   both [`SUBSTANTIVE_MIN_WORDS`] and 10 % of the *from* body's words;
//!   `editorial` otherwise (typo fixes, markup, moves, renamed headings,
//!   front matter).
//! * Front matter changes are reported in their own section and in
//!   [`Summary::front_matter_changed`], but not counted in words, sections or
//!   normative changes, so metadata churn does not drown the text changes.
//!
//! # Bounded time
//!
//! The whole comparison gets [`CompareOptions::deadline`]. A reserve for
//! assembling the result, which is linear in the input size (10 ns per input
//! byte, at most 60 % of the budget), is set aside from the last 30 %; the
//! diff stages share the rest: section pairing its first 20 %, word-level
//! refinement starts only within its first 70 %, line diffs within all of it.
//! Each `similar` diff gets its stage's deadline; after the last one, changed
//! sections are emitted whole. [`Comparison::granularity`] is the coarsest
//! level used and [`Comparison::degraded`] says whether anything was coarser
//! than words or approximated. For a 250 ms budget this holds up to inputs of
//! a few megabytes on a 2-core machine; beyond that, copying and counting
//! alone approach the budget.

mod engine;
mod limit;
mod markdown;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{Algorithm, DiffTag, TextDiff, capture_diff_slices_deadline};

use engine::{Budget, Norm, OpBuf, words};
use markdown::{Kind, Section, split_sections};

pub use limit::{OUTPUT_LIMITS, OutputLimit, OutputLimits, compare_bounded, limit_output};

/// A hunk touching more words than this on one side is substantive.
pub const EDITORIAL_HUNK_WORDS: usize = 3;

/// Changing more words than this (and than 10 % of the text) is substantive.
pub const SUBSTANTIVE_MIN_WORDS: usize = 10;

/// Default time budget for one comparison.
pub const DEFAULT_DEADLINE: Duration = Duration::from_millis(250);

/// Options for [`compare`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareOptions {
    /// Treat whitespace-only differences (including re-wrapped lines and
    /// blank lines) as no change.
    pub ignore_whitespace: bool,
    /// Treat differences in punctuation and Markdown markup as no change.
    pub ignore_punctuation: bool,
    /// Treat differences in letter case as no change.
    pub ignore_case: bool,
    /// Time budget for the whole comparison.
    pub deadline: Duration,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            ignore_whitespace: true,
            ignore_punctuation: false,
            ignore_case: false,
            deadline: DEFAULT_DEADLINE,
        }
    }
}

/// Level at which a diff was computed, finest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// Word by word.
    Word,
    /// Whole lines.
    Line,
    /// Whole sections.
    Section,
}

/// What happened to a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionStatus {
    /// Identical, or different only in ignored characters.
    Unchanged,
    /// Same heading, changed content.
    Changed,
    /// Only in the *to* version.
    Added,
    /// Only in the *from* version.
    Removed,
    /// Present in both versions at different places (reported twice).
    Moved,
    /// Heading text changed, content similar.
    Renamed,
}

/// Kind of an [`Op`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    /// Text in both versions.
    Equal,
    /// Text only in the *to* version.
    Insert,
    /// Text only in the *from* version.
    Delete,
}

/// One piece of a section diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Op {
    /// Equal, insert or delete.
    pub op: OpKind,
    /// The exact text.
    pub text: String,
    /// A delete or insert that differs from its counterpart only in what the
    /// ignore options ignore; display it as unchanged.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignorable: bool,
    /// Bytes of this op's text left out after `text` to bound the output (see
    /// [`limit_output`]); absent when nothing was left out.
    #[serde(skip_serializing_if = "limit::is_zero")]
    pub omitted_bytes: usize,
}

/// The diff of one section (or one half of a moved section).
#[derive(Debug, Clone, Serialize)]
pub struct SectionDiff {
    /// Heading in the *from* version (`None` for front matter and preamble).
    pub from_heading: Option<String>,
    /// Heading in the *to* version.
    pub to_heading: Option<String>,
    /// What happened to the section.
    pub status: SectionStatus,
    /// Whether a change touches a normative word (see the module docs).
    pub normative: bool,
    /// Whether this is the front matter pseudo-section.
    pub front_matter: bool,
    /// Id for jump links, `s1`, `s2`, … in order.
    pub anchor: String,
    /// For a moved section: the anchor of its other half.
    pub counterpart: Option<String>,
    /// Words inserted (for a move: changed inside the moved section).
    pub words_added: usize,
    /// Words deleted.
    pub words_removed: usize,
    /// Level this section was diffed at.
    pub granularity: Granularity,
    /// The ops, in order.
    pub ops: Vec<Op>,
    /// Set on an entry that stands for this many consecutive unchanged sections, whose ops
    /// are left out to bound the output (see [`limit_output`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collapsed: Option<usize>,
    /// Ops of this section left out at the end to bound the output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ops_omitted: Option<usize>,
}

/// Counts over a whole comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Words inserted, front matter excluded.
    pub words_added: usize,
    /// Words deleted, front matter excluded.
    pub words_removed: usize,
    /// Sections only in *to*.
    pub sections_added: usize,
    /// Sections only in *from*.
    pub sections_removed: usize,
    /// Paired sections with changes (renamed ones included).
    pub sections_changed: usize,
    /// Of those, sections whose heading text changed.
    pub sections_renamed: usize,
    /// Moved sections (each counted once).
    pub sections_moved: usize,
    /// Hunks touching normative words.
    pub normative_changes: usize,
    /// Whether the front matter changed.
    pub front_matter_changed: bool,
    /// `none`, `editorial` or `substantive` (see the module docs).
    pub change_kind: Assessment,
}

/// How much a comparison changes: the registry's guess at the change kind of the newer text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// No change that is not ignored.
    #[default]
    None,
    /// Wording, links, spelling.
    Editorial,
    /// What the guidance says.
    Substantive,
}

impl Assessment {
    /// The serialized form.
    pub fn as_str(self) -> &'static str {
        match self {
            Assessment::None => "none",
            Assessment::Editorial => "editorial",
            Assessment::Substantive => "substantive",
        }
    }
}

/// Lets a test compare an assessment with the text the API shows.
impl PartialEq<&str> for Assessment {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Result of [`compare`].
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Counts and classification.
    pub summary: Summary,
    /// Section diffs in document order; see the module docs for the
    /// reconstruction invariant.
    pub sections: Vec<SectionDiff>,
    /// Coarsest level used in any section.
    pub granularity: Granularity,
    /// Whether the deadline forced coarser or approximate diffs, or the output was limited.
    pub degraded: bool,
    /// What was left out to bound the output, when anything was (see [`limit_output`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_limit: Option<OutputLimit>,
}

/// Compares two Markdown bodies; finishes within about `opts.deadline`.
pub fn compare(from: &str, to: &str, opts: &CompareOptions) -> Comparison {
    let budget = Budget::new(Instant::now(), opts.deadline, from.len() + to.len());
    let norm = Norm::new(opts);
    let a = split_sections(from);
    let b = split_sections(to);
    let (slots, mut degraded) = pair_sections(from, to, &a, &b, budget.pairing);

    let anchor = |idx: usize| format!("s{}", idx + 1);
    let mut moved_to_slot = HashMap::new();
    for (idx, slot) in slots.iter().enumerate() {
        if let Slot::MovedTo { j, .. } = *slot {
            moved_to_slot.insert(j, idx);
        }
    }
    let mut moved_from_slot = HashMap::new();
    let mut move_stats = HashMap::new();
    for (idx, slot) in slots.iter().enumerate() {
        if let Slot::MovedFrom { i, j } = *slot {
            moved_from_slot.insert(i, idx);
            let mut buf = OpBuf::new(from, to);
            engine::diff_ranges(&mut buf, a[i].range.clone(), b[j].range.clone(), norm, &budget);
            degraded |= buf.approximate;
            move_stats.insert(i, stats(&buf.finish()));
        }
    }

    let mut summary = Summary::default();
    let mut tallied = Tally::default();
    let mut granularity = Granularity::Word;
    let mut sections = Vec::with_capacity(slots.len());
    for (idx, slot) in slots.iter().enumerate() {
        let mut buf = OpBuf::new(from, to);
        let (from_sec, to_sec, status, counterpart) = match *slot {
            Slot::Pair { i, j, renamed } => {
                let (old, new) = (a[i].range.clone(), b[j].range.clone());
                engine::diff_ranges(&mut buf, old, new, norm, &budget);
                let status = renamed.then_some(SectionStatus::Renamed);
                (Some(&a[i]), Some(&b[j]), status, None)
            }
            Slot::Removed(i) => {
                buf.delete_all(a[i].range.clone());
                (Some(&a[i]), None, Some(SectionStatus::Removed), None)
            }
            Slot::Added(j) => {
                buf.insert_all(b[j].range.clone());
                (None, Some(&b[j]), Some(SectionStatus::Added), None)
            }
            Slot::MovedFrom { i, j } => {
                buf.delete_all(a[i].range.clone());
                let other = moved_to_slot.get(&j).map(|&k| anchor(k));
                (Some(&a[i]), None, Some(SectionStatus::Moved), other)
            }
            Slot::MovedTo { i, j } => {
                buf.insert_all(b[j].range.clone());
                let other = moved_from_slot.get(&i).map(|&k| anchor(k));
                (None, Some(&b[j]), Some(SectionStatus::Moved), other)
            }
        };
        degraded |= buf.approximate;
        granularity = granularity.max(buf.granularity);
        let section_granularity = buf.granularity;
        let ops = buf.finish();
        let mut st = match *slot {
            Slot::MovedFrom { i, .. } | Slot::MovedTo { i, .. } => move_stats[&i],
            _ => stats(&ops),
        };
        let status = status.unwrap_or(if st.changed {
            SectionStatus::Changed
        } else {
            SectionStatus::Unchanged
        });
        let front_matter = from_sec.or(to_sec).is_some_and(|s| s.kind == Kind::FrontMatter);
        if let Slot::MovedFrom { .. } = slot {
            // A move is counted once, on its insert half.
            st.added = 0;
            st.removed = 0;
        } else {
            tallied.add(&mut summary, status, st, front_matter);
        }
        sections.push(SectionDiff {
            from_heading: from_sec.and_then(|s| s.heading.clone()),
            to_heading: to_sec.and_then(|s| s.heading.clone()),
            status,
            normative: !front_matter && st.normative > 0,
            front_matter,
            anchor: anchor(idx),
            counterpart,
            words_added: st.added,
            words_removed: st.removed,
            granularity: section_granularity,
            ops,
            collapsed: None,
            ops_omitted: None,
        });
    }
    summary.change_kind = tallied.change_kind(&summary, from);
    Comparison {
        summary,
        sections,
        granularity,
        degraded: degraded || granularity != Granularity::Word,
        output_limit: None,
    }
}

/// Splits a section diff into the left (*from*: equal + delete) and right
/// (*to*: equal + insert) columns of a side-by-side view.
pub fn side_by_side(section: &SectionDiff) -> (Vec<Op>, Vec<Op>) {
    let left = section
        .ops
        .iter()
        .filter(|op| op.op != OpKind::Insert)
        .cloned()
        .collect();
    let right = section
        .ops
        .iter()
        .filter(|op| op.op != OpKind::Delete)
        .cloned()
        .collect();
    (left, right)
}

/// A standard line-based unified diff (3 lines of context) of two bodies,
/// with `---`/`+++` labels; empty when the bodies are equal. Lines end at
/// `\n` only, as for `patch` and `git apply`. Bounded by
/// [`DEFAULT_DEADLINE`] (past it the hunks are coarser, never wrong).
pub fn unified_diff(from: &str, to: &str, from_label: &str, to_label: &str) -> String {
    // similar's own line splitting also ends lines at a lone `\r`, which
    // would glue patch lines together for every other tool.
    let old: Vec<&str> = from.split_inclusive('\n').collect();
    let new: Vec<&str> = to.split_inclusive('\n').collect();
    // Writing the hunks takes time too; leave room for it within the budget.
    let diff = TextDiff::configure()
        .timeout(DEFAULT_DEADLINE.mul_f32(0.6))
        .newline_terminated(true)
        .diff_slices(&old, &new);
    // A label is one header line; a newline in it would corrupt the patch.
    let clean = |label: &str| label.replace(['\n', '\r'], " ");
    let mut out = String::new();
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        if out.is_empty() {
            out = format!("--- {}\n+++ {}\n", clean(from_label), clean(to_label));
        }
        out.push_str(&format!("{}\n", hunk.header()));
        for change in hunk.iter_changes() {
            out.push_str(&change.tag().to_string());
            out.push_str(change.value());
            if !change.value().ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// Place of a section (or half of a move) in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Pair { i: usize, j: usize, renamed: bool },
    Removed(usize),
    Added(usize),
    MovedFrom { i: usize, j: usize },
    MovedTo { i: usize, j: usize },
}

/// Below this Dice coefficient two sections in one gap are not a rename.
const RENAME_SIMILARITY: f64 = 0.5;
/// Cap on section similarity computations per comparison.
const RENAME_BUDGET: usize = 4096;

/// Pairs sections and orders the output so that *from* sections appear in
/// *from* order and *to* sections in *to* order. Returns whether pairing ran
/// past its deadline.
fn pair_sections(from: &str, to: &str, a: &[Section], b: &[Section], deadline: Instant) -> (Vec<Slot>, bool) {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut all_keys = Vec::with_capacity(a.len() + b.len());
    for s in a.iter().chain(b) {
        let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        all_keys.push(*ids.entry(s.key.as_str()).or_insert(next));
    }
    let (ka, kb) = all_keys.split_at(a.len());
    let ops = capture_diff_slices_deadline(Algorithm::Patience, ka, kb, Some(deadline));
    let approximate = Instant::now() > deadline;

    let mut a_pair: Vec<Option<(usize, bool)>> = vec![None; a.len()];
    let mut a_move: Vec<Option<usize>> = vec![None; a.len()];
    let mut b_move: Vec<Option<usize>> = vec![None; b.len()];
    let mut b_paired = vec![false; b.len()];
    let mut gaps: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    for op in &ops {
        let (tag, ro, rn) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            for (i, j) in ro.zip(rn) {
                a_pair[i] = Some((j, false));
                b_paired[j] = true;
            }
        } else if let Some(last) = gaps
            .last_mut()
            .filter(|(ga, gb)| ga.end == ro.start && gb.end == rn.start)
        {
            last.0.end = ro.end;
            last.1.end = rn.end;
        } else {
            gaps.push((ro, rn));
        }
    }

    // Same heading elsewhere: moved.
    let mut by_key: HashMap<u32, VecDeque<usize>> = HashMap::new();
    for (_, gb) in &gaps {
        for j in gb.clone() {
            by_key.entry(kb[j]).or_default().push_back(j);
        }
    }
    for (ga, _) in &gaps {
        for i in ga.clone() {
            if let Some(j) = by_key.get_mut(&ka[i]).and_then(VecDeque::pop_front) {
                a_move[i] = Some(j);
                b_move[j] = Some(i);
            }
        }
    }

    // Different heading, similar words, same place: renamed.
    let mut budget = RENAME_BUDGET;
    for (ga, gb) in &gaps {
        let ua: Vec<usize> = ga
            .clone()
            .filter(|&i| a_move[i].is_none() && a[i].kind == Kind::Heading)
            .collect();
        let ub: Vec<usize> = gb
            .clone()
            .filter(|&j| b_move[j].is_none() && b[j].kind == Kind::Heading)
            .collect();
        let cost = ua.len() * ub.len();
        if cost == 0 || cost > budget || Instant::now() > deadline {
            continue;
        }
        budget -= cost;
        let sa: Vec<Similarity> = ua.iter().map(|&i| Similarity::new(from, &a[i])).collect();
        let sb: Vec<Similarity> = ub.iter().map(|&j| Similarity::new(to, &b[j])).collect();
        for (x, y) in best_in_order(ua.len(), ub.len(), |x, y| sa[x].score(&sb[y])) {
            a_pair[ua[x]] = Some((ub[y], true));
            b_paired[ub[y]] = true;
        }
    }

    // Different heading, identical body elsewhere: moved (and renamed).
    let mut by_body: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (j, s) in b.iter().enumerate() {
        let body = to[s.body.clone()].trim();
        if !b_paired[j] && b_move[j].is_none() && s.kind == Kind::Heading && !body.is_empty() {
            by_body.entry(body).or_default().push_back(j);
        }
    }
    for (i, s) in a.iter().enumerate() {
        if a_pair[i].is_some() || a_move[i].is_some() || s.kind != Kind::Heading {
            continue;
        }
        if let Some(j) = by_body
            .get_mut(from[s.body.clone()].trim())
            .and_then(VecDeque::pop_front)
        {
            a_move[i] = Some(j);
            b_move[j] = Some(i);
        }
    }

    let mut slots = Vec::with_capacity(a.len() + b.len());
    let mut next_b = 0;
    let flush_b = |slots: &mut Vec<Slot>, upto: usize, next_b: &mut usize| {
        slots.extend((*next_b..upto).map(|j| match b_move[j] {
            Some(i) => Slot::MovedTo { i, j },
            None => Slot::Added(j),
        }));
        *next_b = upto.max(*next_b);
    };
    let mut pending_a = Vec::new();
    for i in 0..a.len() {
        match a_pair[i] {
            Some((j, renamed)) => {
                slots.append(&mut pending_a);
                flush_b(&mut slots, j, &mut next_b);
                slots.push(Slot::Pair { i, j, renamed });
                next_b = j + 1;
            }
            None => pending_a.push(match a_move[i] {
                Some(j) => Slot::MovedFrom { i, j },
                None => Slot::Removed(i),
            }),
        }
    }
    slots.append(&mut pending_a);
    flush_b(&mut slots, b.len(), &mut next_b);
    // Two empty preambles have nothing to show.
    slots.retain(|slot| match *slot {
        Slot::Pair { i, j, .. } => !(a[i].range.is_empty() && b[j].range.is_empty()),
        _ => true,
    });
    (slots, approximate)
}

/// Word sets that judge whether two sections are one renamed section.
struct Similarity {
    heading: HashSet<String>,
    body: HashSet<String>,
}

impl Similarity {
    fn new(text: &str, section: &Section) -> Self {
        let word_set = |range: std::ops::Range<usize>| -> HashSet<String> {
            let slice = &text[range];
            words(slice).map(|r| slice[r].to_lowercase()).collect()
        };
        let mut body = word_set(section.body.clone());
        if body.len() < 3 {
            body = word_set(section.range.clone());
        }
        let heading = section
            .key
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        Similarity { heading, body }
    }

    /// Dice coefficient of the bodies or of the headings, whichever is
    /// higher: a rewritten body under a lightly edited heading is still the
    /// same section, and so is a new heading over the same text.
    fn score(&self, other: &Similarity) -> f64 {
        dice(&self.body, &other.body).max(dice(&self.heading, &other.heading))
    }
}

fn dice(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(b).count();
    (2 * common) as f64 / (a.len() + b.len()) as f64
}

/// The in-order pairs `(x, y)` with `score >= RENAME_SIMILARITY` whose total
/// score is highest (a weighted longest common subsequence).
fn best_in_order(n: usize, m: usize, score: impl Fn(usize, usize) -> f64) -> Vec<(usize, usize)> {
    let scores: Vec<f64> = (0..n * m)
        .map(|k| score(k / m, k % m))
        .map(|s| if s >= RENAME_SIMILARITY { s } else { 0.0 })
        .collect();
    // best[x][y]: best total using the first x and first y sections.
    let width = m + 1;
    let mut best = vec![0.0f64; (n + 1) * width];
    for x in 1..=n {
        for y in 1..=m {
            let s = scores[(x - 1) * m + y - 1];
            let diagonal = if s > 0.0 {
                best[(x - 1) * width + y - 1] + s
            } else {
                0.0
            };
            best[x * width + y] = best[(x - 1) * width + y].max(best[x * width + y - 1]).max(diagonal);
        }
    }
    let mut pairs = Vec::new();
    let (mut x, mut y) = (n, m);
    // The table's cells are copies of one another, so equality here is exact.
    #[expect(clippy::float_cmp, reason = "comparing copied values, not computed ones")]
    while x > 0 && y > 0 {
        let here = best[x * width + y];
        if here == best[(x - 1) * width + y] {
            x -= 1;
        } else if here == best[x * width + y - 1] {
            y -= 1;
        } else {
            pairs.push((x - 1, y - 1));
            x -= 1;
            y -= 1;
        }
    }
    pairs.reverse();
    pairs
}

/// Counts for one section's ops.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    added: usize,
    removed: usize,
    normative: usize,
    largest_hunk: usize,
    changed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    Normative,
    Negation,
    Other,
}

const NORMATIVE_WORDS: &[&str] = &[
    "skal", "bør", "må", "kan", "shall", "should", "must", "may", "cannot", "mustn", "shouldn",
];
const NEGATIONS: &[&str] = &["ikke", "ikkje", "aldri", "ingen", "not", "never", "no"];

fn classify(word: &str) -> WordClass {
    // Runs for every changed word: compare without allocating.
    let is = |list: &[&str]| {
        list.iter()
            .any(|w| w.len() == word.len() && word.chars().flat_map(char::to_lowercase).eq(w.chars()))
    };
    let first = word.as_bytes().first().map(u8::to_ascii_lowercase);
    if word.len() > 7 || !matches!(first, Some(b's' | b'b' | b'm' | b'k' | b'c' | b'i' | b'a' | b'n')) {
        WordClass::Other
    } else if is(NORMATIVE_WORDS) {
        WordClass::Normative
    } else if is(NEGATIONS) {
        WordClass::Negation
    } else {
        WordClass::Other
    }
}

/// How many neighbouring words a negation may be from a normative word.
const NEGATION_REACH: usize = 3;
/// Bytes of context inspected around a hunk (enough for a few words).
const CONTEXT_BYTES: usize = 120;

fn stats(ops: &[Op]) -> Stats {
    let is_change = |op: &Op| op.op != OpKind::Equal && !op.ignorable;
    let mut st = Stats::default();
    let mut i = 0;
    while i < ops.len() {
        if !is_change(&ops[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < ops.len() && is_change(&ops[i]) {
            i += 1;
        }
        st.changed = true;
        let (mut added, mut removed) = (0, 0);
        let (mut normative, mut negation) = (false, false);
        for op in &ops[start..i] {
            for range in words(&op.text) {
                if op.op == OpKind::Insert {
                    added += 1;
                } else {
                    removed += 1;
                }
                let word = &op.text[range.clone()];
                // "May 7" is a date, not permission.
                let month = word == "May"
                    && op.text[range.end..]
                        .trim_start()
                        .starts_with(|c: char| c.is_ascii_digit());
                match if month { WordClass::Other } else { classify(word) } {
                    WordClass::Normative => normative = true,
                    WordClass::Negation => negation = true,
                    WordClass::Other => {}
                }
            }
        }
        if negation && !normative {
            let before = ops[..start].iter().rev().find(|op| op.op == OpKind::Equal);
            let after = ops[i..].iter().find(|op| op.op == OpKind::Equal);
            let near_before = before.is_some_and(|op| {
                let tail = &op.text[op.text.floor_char_boundary(op.text.len().saturating_sub(CONTEXT_BYTES))..];
                let near: Vec<_> = words(tail).collect();
                near.iter()
                    .rev()
                    .take(NEGATION_REACH)
                    .any(|r| classify(&tail[r.clone()]) == WordClass::Normative)
            });
            let near_after = after.is_some_and(|op| {
                let head = &op.text[..op.text.floor_char_boundary(CONTEXT_BYTES)];
                words(head)
                    .take(NEGATION_REACH)
                    .any(|r| classify(&head[r]) == WordClass::Normative)
            });
            normative = near_before || near_after;
        }
        st.added += added;
        st.removed += removed;
        st.normative += usize::from(normative);
        st.largest_hunk = st.largest_hunk.max(added.max(removed));
    }
    st
}

/// Accumulates section counts into the summary.
#[derive(Debug, Default)]
struct Tally {
    largest_hunk: usize,
    added_or_removed_text: bool,
}

impl Tally {
    fn add(&mut self, summary: &mut Summary, status: SectionStatus, st: Stats, front_matter: bool) {
        if front_matter {
            summary.front_matter_changed |= st.changed;
            return;
        }
        summary.words_added += st.added;
        summary.words_removed += st.removed;
        summary.normative_changes += st.normative;
        self.largest_hunk = self.largest_hunk.max(st.largest_hunk);
        match status {
            SectionStatus::Unchanged => {}
            SectionStatus::Changed => summary.sections_changed += 1,
            SectionStatus::Renamed => {
                summary.sections_changed += 1;
                summary.sections_renamed += 1;
            }
            SectionStatus::Added => summary.sections_added += 1,
            SectionStatus::Removed => summary.sections_removed += 1,
            SectionStatus::Moved => summary.sections_moved += 1,
        }
        if matches!(status, SectionStatus::Added | SectionStatus::Removed) {
            self.added_or_removed_text |= st.added + st.removed > 0;
        }
    }

    fn change_kind(&self, summary: &Summary, from: &str) -> Assessment {
        let changed_words = summary.words_added + summary.words_removed;
        let structural =
            summary.sections_added + summary.sections_removed + summary.sections_changed + summary.sections_moved;
        if changed_words == 0 && structural == 0 && !summary.front_matter_changed {
            Assessment::None
        } else if summary.normative_changes > 0
            || self.added_or_removed_text
            || self.largest_hunk > EDITORIAL_HUNK_WORDS
            || changed_words > SUBSTANTIVE_MIN_WORDS.max(from.split_whitespace().count() / 10)
        {
            Assessment::Substantive
        } else {
            Assessment::Editorial
        }
    }
}

/// The headings of a body, in order, as written (without the `#` markers): the sections a
/// reviewer can comment on.
pub fn headings(text: &str) -> Vec<String> {
    markdown::split_sections(text)
        .into_iter()
        .filter_map(|s| s.heading)
        .collect()
}
