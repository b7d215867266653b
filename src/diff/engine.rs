//! Diffing one pair of byte ranges at line, then word granularity.
//!
//! Both texts are cut into *units* (lines or tokens). A unit's key is its
//! normalised text (per the ignore options) interned to a `u32`, and
//! `similar` diffs the key sequences under a deadline. Ops are then emitted
//! as byte ranges of the original texts, so they always join back to the
//! exact inputs; units whose keys match but whose texts differ become
//! `ignorable` delete/insert pairs.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

use super::{CompareOptions, Granularity, Op, OpKind};

/// Replace regions larger than this (bytes, both sides) stay line-level:
/// word-diffing them would spend the whole budget on one hunk.
const MAX_WORD_REGION: usize = 256 * 1024;

/// Kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    /// A run of alphanumeric characters.
    Word,
    /// A run of whitespace.
    Space,
    /// A run of one repeated other character (`**`, `---`, `(`).
    Punct,
}

/// Iterator over the tokens of a text: (byte range, kind).
pub(crate) struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

/// Tokenizes `text`; tokens tile it.
pub(crate) fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, pos: 0 }
}

impl Iterator for Tokens<'_> {
    type Item = (Range<usize>, TokKind);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = &self.text[self.pos..];
        let first = rest.chars().next()?;
        let (kind, len) = if first.is_whitespace() {
            (TokKind::Space, run_len(rest, char::is_whitespace))
        } else if first.is_alphanumeric() {
            (TokKind::Word, run_len(rest, char::is_alphanumeric))
        } else {
            (TokKind::Punct, run_len(rest, |c| c == first))
        };
        let start = self.pos;
        self.pos += len;
        Some((start..self.pos, kind))
    }
}

/// Iterator over the byte ranges of the words (alphanumeric runs) of a text;
/// cheaper than [`tokens`] when only words matter.
pub(crate) struct Words<'a> {
    text: &'a str,
    pos: usize,
}

/// Words of `text`, as byte ranges.
pub(crate) fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

impl Iterator for Words<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    break;
                }
                self.pos += 1;
            } else {
                let c = self.text[self.pos..].chars().next().unwrap_or_default();
                if c.is_alphanumeric() {
                    break;
                }
                self.pos += c.len_utf8();
            }
        }
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        self.pos += run_len(&self.text[start..], char::is_alphanumeric);
        Some(start..self.pos)
    }
}

/// Length of the leading run of `text` whose characters satisfy `pred`.
fn run_len(text: &str, pred: impl Fn(char) -> bool) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    // Most text is ASCII; decode characters only where it is not.
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if !pred(char::from(b)) {
                return i;
            }
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            if !pred(c) {
                return i;
            }
            i += c.len_utf8();
        }
    }
    i
}

/// The ignore options as they affect keys.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Norm {
    ws: bool,
    punct: bool,
    case: bool,
}

impl Norm {
    pub(crate) fn new(opts: &CompareOptions) -> Self {
        Norm {
            ws: opts.ignore_whitespace,
            punct: opts.ignore_punctuation,
            case: opts.ignore_case,
        }
    }

    fn exact(self) -> bool {
        !(self.ws || self.punct || self.case)
    }

    fn ignores(self, kind: TokKind) -> bool {
        match kind {
            TokKind::Space => self.ws,
            TokKind::Punct => self.punct,
            TokKind::Word => false,
        }
    }

    fn key(self, tok: &str, kind: TokKind) -> Cow<'_, str> {
        if self.case && kind == TokKind::Word && tok.chars().any(char::is_uppercase) {
            Cow::Owned(tok.to_lowercase())
        } else {
            Cow::Borrowed(tok)
        }
    }

    /// Key of a whole line: its significant tokens, separated so that
    /// `a b` and `ab` stay different when whitespace is ignored.
    fn line_key(self, line: &str) -> Cow<'_, str> {
        if self.exact() {
            return Cow::Borrowed(line);
        }
        let mut key = String::with_capacity(line.len());
        for (range, kind) in tokens(line) {
            if !self.ignores(kind) {
                key.push_str(&self.key(&line[range], kind));
                key.push('\u{1}');
            }
        }
        Cow::Owned(key)
    }
}

/// Deadlines for the stages of one comparison.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    /// Section pairing must be done by then.
    pub pairing: Instant,
    /// No word-level refinement starts after this.
    pub word: Instant,
    /// No line diff starts after this; later pairs are whole-section.
    pub line: Instant,
}

impl Budget {
    /// Splits `total` so that the coarser stages and the final assembly of
    /// the result still fit after a finer stage ran out of time. Assembly
    /// (copying texts, counting words) is linear in the input, so large
    /// inputs get their diff stages cut short to leave room for it.
    pub(crate) fn new(start: Instant, total: Duration, input_bytes: usize) -> Self {
        // Keeps `Instant` arithmetic from overflowing on absurd deadlines.
        let total = total.min(Duration::from_hours(1));
        let per_byte_ns = u64::try_from(input_bytes)
            .unwrap_or(u64::MAX)
            .saturating_mul(ASSEMBLY_NS_PER_BYTE);
        let reserve = Duration::from_nanos(per_byte_ns).min(total.mul_f32(0.6));
        let stages = total.mul_f32(0.7).saturating_sub(reserve);
        Budget {
            pairing: start + stages.mul_f32(0.2),
            word: start + stages.mul_f32(0.7),
            line: start + stages,
        }
    }
}

/// Time to reserve per input byte for assembling the result (measured
/// about 5 ns/byte on a 2-core build machine; doubled for slack).
const ASSEMBLY_NS_PER_BYTE: u64 = 10;

/// An op by byte range: `Equal` and `Delete` index the old text, `Insert`
/// the new one.
#[derive(Debug, Clone)]
struct RawOp {
    kind: OpKind,
    ignorable: bool,
    range: Range<usize>,
}

/// Ops of one section under construction.
pub(crate) struct OpBuf<'a> {
    old: &'a str,
    new: &'a str,
    ops: Vec<RawOp>,
    /// Coarsest granularity used so far.
    pub granularity: Granularity,
    /// Whether a diff ran past its deadline (its result is an approximation).
    pub approximate: bool,
}

impl<'a> OpBuf<'a> {
    pub(crate) fn new(old: &'a str, new: &'a str) -> Self {
        OpBuf {
            old,
            new,
            ops: Vec::new(),
            granularity: Granularity::Word,
            approximate: false,
        }
    }

    fn push(&mut self, kind: OpKind, ignorable: bool, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        if let Some(last) = self.ops.last_mut()
            && last.kind == kind
            && last.ignorable == ignorable
            && last.range.end == range.start
        {
            last.range.end = range.end;
            return;
        }
        self.ops.push(RawOp { kind, ignorable, range });
    }

    /// Equal if the texts are identical, else delete + insert.
    fn pair(&mut self, old: Range<usize>, new: Range<usize>, ignorable: bool) {
        if self.old[old.clone()] == self.new[new.clone()] {
            self.push(OpKind::Equal, false, old);
        } else {
            self.push(OpKind::Delete, ignorable, old);
            self.push(OpKind::Insert, ignorable, new);
        }
    }

    fn coarsen(&mut self, granularity: Granularity) {
        self.granularity = self.granularity.max(granularity);
    }

    /// Turns the byte ranges into owned ops.
    pub(crate) fn finish(self) -> Vec<Op> {
        self.ops
            .into_iter()
            .map(|raw| {
                let source = if raw.kind == OpKind::Insert { self.new } else { self.old };
                Op {
                    op: raw.kind,
                    text: source[raw.range].to_owned(),
                    ignorable: raw.ignorable,
                    omitted_bytes: 0,
                }
            })
            .collect()
    }

    /// Whole-range delete of old text.
    pub(crate) fn delete_all(&mut self, old: Range<usize>) {
        self.push(OpKind::Delete, false, old);
    }

    /// Whole-range insert of new text.
    pub(crate) fn insert_all(&mut self, new: Range<usize>) {
        self.push(OpKind::Insert, false, new);
    }
}

/// A unit of diffing: `start..sig_end` is compared by key, `sig_end..end`
/// is trailing text the options ignore.
#[derive(Debug, Clone, Copy)]
struct Unit {
    start: usize,
    sig_end: usize,
    end: usize,
}

/// The units of one side; `lead` is leading ignored text.
struct Side {
    lead: Range<usize>,
    units: Vec<Unit>,
    keys: Vec<u32>,
}

#[derive(Default)]
struct Interner<'a> {
    ids: HashMap<Cow<'a, str>, u32>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, key: Cow<'a, str>) -> u32 {
        let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        *self.ids.entry(key).or_insert(next)
    }
}

fn word_side<'a>(text: &'a str, range: Range<usize>, norm: Norm, ids: &mut Interner<'a>) -> Side {
    let base = range.start;
    let slice = &text[range.clone()];
    let mut side = Side {
        lead: base..base,
        units: Vec::new(),
        keys: Vec::new(),
    };
    for (r, kind) in tokens(slice) {
        let r = r.start + base..r.end + base;
        if norm.ignores(kind) {
            match side.units.last_mut() {
                Some(unit) => unit.end = r.end,
                None => side.lead.end = r.end,
            }
        } else {
            side.keys.push(ids.id(norm.key(&text[r.clone()], kind)));
            side.units.push(Unit {
                start: r.start,
                sig_end: r.end,
                end: r.end,
            });
        }
    }
    side
}

fn line_side<'a>(text: &'a str, range: Range<usize>, norm: Norm, ids: &mut Interner<'a>) -> Side {
    let base = range.start;
    let mut side = Side {
        lead: base..base,
        units: Vec::new(),
        keys: Vec::new(),
    };
    let mut pos = base;
    for line in text[range].split_inclusive('\n') {
        side.keys.push(ids.id(norm.line_key(line)));
        side.units.push(Unit {
            start: pos,
            sig_end: pos + line.len(),
            end: pos + line.len(),
        });
        pos += line.len();
    }
    side
}

/// Byte range covered by units `r` of a side (empty ranges emit nothing).
fn span(side: &Side, r: &Range<usize>) -> Range<usize> {
    if r.is_empty() {
        0..0
    } else {
        side.units[r.start].start..side.units[r.end - 1].end
    }
}

/// Diffs `old` against `new` and appends the ops: a line diff first, then a
/// word diff inside each changed line region while the budget allows.
pub(crate) fn diff_ranges(buf: &mut OpBuf<'_>, old: Range<usize>, new: Range<usize>, norm: Norm, budget: &Budget) {
    if buf.old[old.clone()] == buf.new[new.clone()] {
        buf.push(OpKind::Equal, false, old);
        return;
    }
    if Instant::now() >= budget.line {
        buf.coarsen(Granularity::Section);
        buf.pair(old, new, false);
        return;
    }
    let (old_text, new_text) = (buf.old, buf.new);
    let mut ids = Interner::default();
    // Lines with no significant token (blank lines when whitespace is
    // ignored) share this key; adding or dropping them is ignorable.
    let blank = ids.id(Cow::Borrowed(""));
    let a = line_side(old_text, old, norm, &mut ids);
    let b = line_side(new_text, new, norm, &mut ids);
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &a.keys, &b.keys, Some(budget.line));
    if Instant::now() > budget.line {
        buf.approximate = true;
    }
    for op in ops {
        let (tag, ro, rn) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                // Same keys; texts can still differ in ignored characters.
                let mut k = 0;
                while k < ro.len() {
                    let (ua, ub) = (a.units[ro.start + k], b.units[rn.start + k]);
                    if old_text[ua.start..ua.end] == new_text[ub.start..ub.end] {
                        buf.push(OpKind::Equal, false, ua.start..ua.end);
                        k += 1;
                        continue;
                    }
                    let first = k;
                    while k < ro.len() && {
                        let (ua, ub) = (a.units[ro.start + k], b.units[rn.start + k]);
                        old_text[ua.start..ua.end] != new_text[ub.start..ub.end]
                    } {
                        k += 1;
                    }
                    let ra = span(&a, &(ro.start + first..ro.start + k));
                    let rb = span(&b, &(rn.start + first..rn.start + k));
                    refine(buf, ra, rb, norm, budget, true);
                }
            }
            DiffTag::Delete => {
                let blank_only = a.keys[ro.clone()].iter().all(|&k| k == blank);
                buf.push(OpKind::Delete, blank_only, span(&a, &ro));
            }
            DiffTag::Insert => {
                let blank_only = b.keys[rn.clone()].iter().all(|&k| k == blank);
                buf.push(OpKind::Insert, blank_only, span(&b, &rn));
            }
            DiffTag::Replace => {
                let ra = span(&a, &ro);
                let rb = span(&b, &rn);
                refine(buf, ra, rb, norm, budget, false);
            }
        }
    }
}

/// Word diff of a changed line region; falls back to whole lines when out of
/// time or the region is huge. `same_keys` marks regions whose lines only
/// differ in ignored characters.
fn refine(buf: &mut OpBuf<'_>, old: Range<usize>, new: Range<usize>, norm: Norm, budget: &Budget, same_keys: bool) {
    if Instant::now() >= budget.word || old.len() + new.len() > MAX_WORD_REGION {
        buf.coarsen(Granularity::Line);
        buf.pair(old, new, same_keys);
        return;
    }
    let (old_text, new_text) = (buf.old, buf.new);
    let mut ids = Interner::default();
    let a = word_side(old_text, old.clone(), norm, &mut ids);
    let b = word_side(new_text, new.clone(), norm, &mut ids);
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &a.keys, &b.keys, Some(budget.word));
    if Instant::now() > budget.word {
        buf.approximate = true;
    }
    buf.pair(a.lead.clone(), b.lead.clone(), true);
    for op in ops {
        let (tag, ro, rn) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                let whole_a = span(&a, &ro);
                let whole_b = span(&b, &rn);
                if old_text[whole_a.clone()] == new_text[whole_b] {
                    buf.push(OpKind::Equal, false, whole_a);
                    continue;
                }
                for k in 0..ro.len() {
                    let (ua, ub) = (a.units[ro.start + k], b.units[rn.start + k]);
                    buf.pair(ua.start..ua.sig_end, ub.start..ub.sig_end, true);
                    buf.pair(ua.sig_end..ua.end, ub.sig_end..ub.end, true);
                }
            }
            _ if ro.is_empty() || rn.is_empty() => {
                buf.push(OpKind::Delete, false, span(&a, &ro));
                buf.push(OpKind::Insert, false, span(&b, &rn));
            }
            _ => {
                // The last units' trailing ignored text (usually the space
                // after the word) is not part of the change.
                let (la, lb) = (a.units[ro.end - 1], b.units[rn.end - 1]);
                buf.push(OpKind::Delete, false, a.units[ro.start].start..la.sig_end);
                buf.push(OpKind::Insert, false, b.units[rn.start].start..lb.sig_end);
                buf.pair(la.sig_end..la.end, lb.sig_end..lb.end, true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_word_tokens() {
        let text = "«Må» vi—ikke? a\u{30A}b x_y 42 \u{2003}z";
        let from_tokens: Vec<_> = tokens(text)
            .filter(|(_, k)| *k == TokKind::Word)
            .map(|(r, _)| r)
            .collect();
        assert_eq!(words(text).collect::<Vec<_>>(), from_tokens);
    }

    #[test]
    fn tokens_tile_text() {
        let text = "Virksomheten **skal** logge — 3 ganger.\n\n";
        let toks: Vec<_> = tokens(text).collect();
        let joined: String = toks.iter().map(|(r, _)| &text[r.clone()]).collect();
        assert_eq!(joined, text);
        assert_eq!(toks[2], (13..15, TokKind::Punct));
        assert_eq!(&text[toks[3].0.clone()], "skal");
    }

    #[test]
    fn line_keys_keep_word_boundaries() {
        let norm = Norm {
            ws: true,
            punct: false,
            case: false,
        };
        assert_eq!(norm.line_key("a  b \n"), norm.line_key("a b\n"));
        assert_ne!(norm.line_key("a b\n"), norm.line_key("ab\n"));
    }
}
