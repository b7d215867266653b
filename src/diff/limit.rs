//! Bounding what a comparison hands out. A comparison holds every section with all its text,
//! so a large body with a small change (400,000 headings, one character changed) would give a
//! response of many times the body's size. Past [`OutputLimits::max_bytes`] (an estimate of the
//! JSON) or [`OutputLimits::max_sections`] entries, runs of unchanged sections away from the
//! changes become one collapsed entry with a count, unchanged text inside a section is cut to
//! some context around the changes, and what still does not fit is left out at the end, all
//! said in [`Comparison::output_limit`] and `degraded`. Smaller comparisons are left exactly as
//! they are, and the summary always counts the whole comparison.

use serde::Serialize;

use super::{CompareOptions, Comparison, Op, OpKind, SectionDiff, SectionStatus, compare};

/// Bounds on a comparison's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputLimits {
    /// Output estimated at this many bytes of JSON or fewer is handed out whole; more is cut
    /// down to about this.
    pub max_bytes: usize,
    /// Most entries in `sections`.
    pub max_sections: usize,
    /// Unchanged sections kept on each side of a changed one.
    pub context_sections: usize,
    /// Unchanged text kept on each side of a change, in bytes.
    pub context_bytes: usize,
}

/// The limits the API and the pages use: a response of at most about 300 KB of JSON.
pub const OUTPUT_LIMITS: OutputLimits = OutputLimits {
    max_bytes: 256 * 1024,
    max_sections: 500,
    context_sections: 1,
    context_bytes: 300,
};

/// What [`limit_output`] left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutputLimit {
    /// Sections in the whole comparison.
    pub sections: usize,
    /// Unchanged sections folded into collapsed entries.
    pub sections_collapsed: usize,
    /// Sections left out at the end, past the cap.
    pub sections_omitted: usize,
    /// Ops left out (in sections cut short and in collapsed ones not counted).
    pub ops_omitted: usize,
    /// Bytes of op text left out.
    pub bytes_omitted: usize,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
pub(super) fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// JSON of a section's fixed fields, and of an op's, roughly.
const SECTION_COST: usize = 320;
const OP_COST: usize = 40;
/// Longest heading kept in limited output.
const MAX_HEADING: usize = 200;

fn section_cost(s: &SectionDiff) -> usize {
    let headings = s.from_heading.as_ref().map_or(0, String::len) + s.to_heading.as_ref().map_or(0, String::len);
    SECTION_COST + headings + s.ops.iter().map(|o| OP_COST + o.text.len()).sum::<usize>()
}

/// The largest char boundary of `s` at or below `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `s` at or above `i`.
fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

fn cut_heading(h: Option<String>) -> Option<String> {
    h.map(|h| {
        if h.len() <= MAX_HEADING {
            h
        } else {
            format!("{}…", &h[..floor_boundary(&h, MAX_HEADING)])
        }
    })
}

/// Compares and bounds the output: what the API and the pages use.
pub fn compare_bounded(from: &str, to: &str, opts: &CompareOptions) -> Comparison {
    let mut c = compare(from, to, opts);
    limit_output(&mut c, &OUTPUT_LIMITS);
    c
}

/// Cuts unchanged text in a kept section down to context around its changes.
fn trim_equal_ops(ops: Vec<Op>, keep: usize, report: &mut OutputLimit) -> Vec<Op> {
    let n = ops.len();
    let mut out = Vec::with_capacity(n + 2);
    for (k, op) in ops.into_iter().enumerate() {
        if op.op != OpKind::Equal || op.text.len() <= 3 * keep {
            out.push(op);
            continue;
        }
        let text = &op.text;
        // Context after the change before it, and before the change after it.
        let head_len = if k == 0 { 0 } else { floor_boundary(text, keep) };
        let tail_start = if k + 1 == n && k != 0 {
            text.len()
        } else {
            ceil_boundary(text, text.len() - keep)
        };
        let (head_len, tail_start) = if k == 0 && k + 1 == n {
            // An unchanged section kept as context: its beginning.
            (floor_boundary(text, keep), text.len())
        } else {
            (head_len, tail_start)
        };
        let omitted = tail_start - head_len;
        report.bytes_omitted += omitted;
        if head_len > 0 {
            out.push(Op {
                op: OpKind::Equal,
                text: text[..head_len].to_string(),
                ignorable: false,
                omitted_bytes: omitted,
            });
            if tail_start < text.len() {
                out.push(Op {
                    op: OpKind::Equal,
                    text: text[tail_start..].to_string(),
                    ignorable: false,
                    omitted_bytes: 0,
                });
            }
        } else {
            // Nothing kept before the gap: an empty-text op would break "no op is empty", so
            // the gap is carried by the previous op when there is one, else by a marker op.
            match out.last_mut() {
                Some(prev) => prev.omitted_bytes += omitted,
                None => out.push(Op {
                    op: OpKind::Equal,
                    text: "…".into(),
                    ignorable: false,
                    omitted_bytes: omitted,
                }),
            }
            out.push(Op {
                op: OpKind::Equal,
                text: text[tail_start..].to_string(),
                ignorable: false,
                omitted_bytes: 0,
            });
        }
    }
    out
}

/// Bounds a comparison's output in place (see the module docs); does nothing to one within
/// `limits`.
pub fn limit_output(c: &mut Comparison, limits: &OutputLimits) {
    let total: usize = c.sections.iter().map(section_cost).sum();
    if c.sections.len() <= limits.max_sections && total <= limits.max_bytes {
        return;
    }
    let sections = std::mem::take(&mut c.sections);
    let n = sections.len();
    let mut report = OutputLimit {
        sections: n,
        ..OutputLimit::default()
    };
    let mut keep = vec![false; n];
    for (i, s) in sections.iter().enumerate() {
        if s.status != SectionStatus::Unchanged {
            let lo = i.saturating_sub(limits.context_sections);
            let hi = (i + limits.context_sections).min(n - 1);
            keep[lo..=hi].iter_mut().for_each(|k| *k = true);
        }
    }
    let mut out: Vec<SectionDiff> = Vec::new();
    let mut budget = limits.max_bytes;
    let mut full = false;
    for (i, mut s) in sections.into_iter().enumerate() {
        if full {
            report.sections_omitted += 1;
            report.ops_omitted += s.ops.len();
            continue;
        }
        if !keep[i] {
            report.sections_collapsed += 1;
            report.ops_omitted += s.ops.len();
            if let Some(last) = out.last_mut()
                && let Some(count) = last.collapsed.as_mut()
            {
                *count += 1;
                last.to_heading = cut_heading(s.to_heading);
                continue;
            }
            if out.len() >= limits.max_sections || budget < SECTION_COST {
                full = true;
                report.sections_collapsed -= 1;
                report.sections_omitted += 1;
                continue;
            }
            budget -= SECTION_COST;
            s.from_heading = cut_heading(s.from_heading);
            s.to_heading = cut_heading(s.to_heading);
            s.ops = Vec::new();
            s.collapsed = Some(1);
            out.push(s);
            continue;
        }
        if out.len() >= limits.max_sections || budget < SECTION_COST {
            full = true;
            report.sections_omitted += 1;
            report.ops_omitted += s.ops.len();
            continue;
        }
        budget -= SECTION_COST;
        s.from_heading = cut_heading(s.from_heading);
        s.to_heading = cut_heading(s.to_heading);
        let ops = trim_equal_ops(std::mem::take(&mut s.ops), limits.context_bytes, &mut report);
        let mut kept = Vec::with_capacity(ops.len());
        let mut left = ops.len();
        for mut op in ops {
            if budget < OP_COST + 1 {
                break;
            }
            left -= 1;
            budget -= OP_COST;
            if op.text.len() > budget {
                let cut = floor_boundary(&op.text, budget).max(ceil_boundary(&op.text, 1));
                let cut = cut.min(op.text.len());
                report.bytes_omitted += op.text.len() - cut;
                op.omitted_bytes += op.text.len() - cut;
                op.text.truncate(cut);
            }
            budget = budget.saturating_sub(op.text.len());
            kept.push(op);
        }
        if left > 0 {
            s.ops_omitted = Some(left);
            report.ops_omitted += left;
            full = true;
        }
        s.ops = kept;
        out.push(s);
    }
    c.sections = out;
    c.degraded = true;
    c.output_limit = Some(report);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(n: usize, changed: Option<usize>) -> String {
        let mut s = String::new();
        for i in 0..n {
            let word = if Some(i) == changed { "endret" } else { "tekst" };
            s.push_str(&format!("# H{i}\n\n{word} {i}\n\n"));
        }
        s
    }

    #[test]
    fn a_small_comparison_is_left_as_it_is() {
        let (a, b) = (headings(20, None), headings(20, Some(3)));
        let whole = compare(&a, &b, &CompareOptions::default());
        let mut limited = whole.clone();
        limit_output(&mut limited, &OUTPUT_LIMITS);
        assert_eq!(
            serde_json::to_string(&whole).unwrap(),
            serde_json::to_string(&limited).unwrap()
        );
        assert!(limited.output_limit.is_none());
    }

    #[test]
    fn unchanged_sections_away_from_changes_are_collapsed() {
        let (a, b) = (headings(5000, None), headings(5000, Some(2500)));
        let c = compare_bounded(&a, &b, &CompareOptions::default());
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.len() < 8 * 1024, "{} bytes", json.len());
        assert!(c.degraded);
        // Collapsed, context, the change, context, collapsed.
        assert_eq!(c.sections.len(), 5);
        let shape: Vec<_> = c.sections.iter().map(|s| (s.status, s.collapsed)).collect();
        assert_eq!(c.sections[0].collapsed, Some(2499), "{shape:?}");
        assert_eq!(c.sections[2].status, SectionStatus::Changed);
        assert_eq!(c.sections[4].collapsed, Some(2498));
        let limit = c.output_limit.unwrap();
        assert_eq!(
            (limit.sections, limit.sections_collapsed, limit.sections_omitted),
            (5000, 4997, 0)
        );
        // The summary still counts the whole comparison.
        assert_eq!(c.summary.sections_changed, 1);
    }

    #[test]
    fn long_unchanged_text_is_cut_to_context() {
        let filler = "ord ord ord ord ord ord ord ord\n".repeat(12_000);
        let a = format!("# A\n\n{filler}gammel linje\n{filler}");
        let b = format!("# A\n\n{filler}ny linje\n{filler}");
        let c = compare_bounded(&a, &b, &CompareOptions::default());
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.len() < 16 * 1024, "{} bytes", json.len());
        let ops = &c.sections[0].ops;
        assert!(ops.iter().any(|o| o.op == OpKind::Delete && o.text.contains("gammel")));
        assert!(ops.iter().any(|o| o.op == OpKind::Insert && o.text.contains("ny")));
        assert!(ops.iter().all(|o| !o.text.is_empty()));
        let omitted: usize = ops.iter().map(|o| o.omitted_bytes).sum();
        assert_eq!(omitted, c.output_limit.unwrap().bytes_omitted);
        assert!(omitted > 700_000);
    }

    #[test]
    fn everything_changed_is_capped() {
        let a = headings(20_000, None);
        let b = a.replace("tekst", "endret");
        let c = compare_bounded(&a, &b, &CompareOptions::default());
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.len() < 400 * 1024, "{} bytes", json.len());
        let limit = c.output_limit.unwrap();
        assert!(c.sections.len() <= OUTPUT_LIMITS.max_sections);
        assert_eq!(limit.sections_omitted + c.sections.len(), 20_000);
        assert_eq!(c.summary.sections_changed, 20_000);
    }
}
