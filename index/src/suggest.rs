//! "Mente du …": for a query that found nothing, the same query with each unknown word replaced
//! by the most frequent spelling the index knows within two edits (one for short words). The
//! spellings come from the spelling field, which holds the words of indexed (public) entries
//! only: drafts are never indexed.

use std::collections::HashMap;

use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::levenshtein::levenshtein;
use crate::query::{Clause, ParsedQuery};

/// Words shorter than this get no suggestion: too many words are two edits from them.
const MIN_WORD_CHARS: usize = 3;
/// Words this long may be two edits from their suggestion; shorter ones one.
const TWO_EDITS_FROM_CHARS: usize = 5;
/// At most this many candidate spellings are weighed per word and segment.
const MAX_CANDIDATES: usize = 256;

/// The best known spelling of `word` (lowercased), or `None` when it is known as typed or
/// nothing is near enough.
fn best_spelling(searcher: &Searcher, field: Field, word: &str) -> Option<String> {
    let chars = word.chars().count();
    if chars < MIN_WORD_CHARS || word.chars().any(|c| !c.is_alphabetic()) {
        return None;
    }
    if searcher.doc_freq(&Term::from_field_text(field, word)).unwrap_or(0) > 0 {
        return None;
    }
    let distance = if chars >= TWO_EDITS_FROM_CHARS { 2 } else { 1 };
    // The first letter as typed: people seldom mistype it, and the walk then stays inside one
    // branch of the dictionary (two edits over all of it would cost more than the search).
    let automaton = levenshtein(field, word, distance, true)?;
    let mut counts: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
            continue;
        };
        let mut seen = 0;
        while seen < MAX_CANDIDATES && stream.advance() {
            seen += 1;
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                *counts.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    // Nearest first, then the most documents, then alphabetical (a stable answer).
    counts
        .into_iter()
        .map(|(term, docs)| (edits(word, &term), std::cmp::Reverse(docs), term))
        .min()
        .map(|(_, _, term)| term)
}

/// The query as typed with its unknown words replaced, if any was; `None` otherwise.
pub fn suggest(searcher: &Searcher, field: Field, input: &str, parsed: &ParsedQuery) -> Option<String> {
    if parsed.number.is_some() {
        return None;
    }
    let mut replacements: HashMap<String, String> = HashMap::new();
    for clause in &parsed.clauses {
        let words: &[String] = match clause {
            Clause::Word(w) => std::slice::from_ref(w),
            Clause::Phrase(ws) => ws,
            Clause::Prefix(_) | Clause::Not(_) => &[],
        };
        for w in words {
            let lower = w.to_lowercase();
            if let Some(better) = best_spelling(searcher, field, &lower) {
                replacements.insert(lower, better);
            }
        }
    }
    if replacements.is_empty() {
        return None;
    }
    // Replace word by word in the text as typed, keeping quotes, signs and spacing.
    let mut out = String::with_capacity(input.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match replacements.get(&word.to_lowercase()) {
            Some(better) => out.push_str(better),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in input.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    Some(out)
}

/// Edit distance with swaps of neighbours counting one (optimal string alignment).
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_count_swaps_as_one() {
        assert_eq!(edits("risiko", "risiko"), 0);
        assert_eq!(edits("rsiiko", "risiko"), 1);
        assert_eq!(edits("risko", "risiko"), 1);
        assert_eq!(edits("rsikoo", "risiko"), 2);
    }
}
