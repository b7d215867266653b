//! "Mente du …": for a query that found nothing, the same query with each unknown word replaced
//! by the most frequent spelling the index knows within two edits (one for short words). The
//! spellings come from the spelling field, which holds the words of indexed (public) entries
//! only: drafts are never indexed.

use std::collections::{BTreeSet, HashMap};

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

/// Candidate spellings of one word (lowercased) and the documents holding each, over all
/// segments: what the suggestion chooses from.
pub type Candidates = HashMap<String, u64>;

/// How many edits from `word` (lowercased) a suggestion may be; `None` when it gets none.
fn suggestion_distance(word: &str) -> Option<u8> {
    let chars = word.chars().count();
    if chars < MIN_WORD_CHARS || word.chars().any(|c| !c.is_alphabetic()) {
        return None;
    }
    Some(if chars >= TWO_EDITS_FROM_CHARS { 2 } else { 1 })
}

/// Whether the spelling field lacks `word` (lowercased) and it may get a suggestion two edits
/// away: then one walk serves both the typo expansion and the suggestion ([`walk`]).
pub fn wants_two_edit_walk(searcher: &Searcher, field: Field, word: &str) -> bool {
    suggestion_distance(word) == Some(2) && !is_known(searcher, field, word)
}

fn is_known(searcher: &Searcher, field: Field, word: &str) -> bool {
    searcher.doc_freq(&Term::from_field_text(field, word)).unwrap_or(0) > 0
}

/// One walk of every segment's spelling terms within `distance` edits of `word` (lowercased),
/// first letter kept: the first [`MAX_CANDIDATES`] per segment become the candidates, and when
/// `neighbours` is given, the terms one edit away (not `word`) go there too until it holds
/// `max_neighbours`. A query that finds nothing would otherwise walk the dictionaries twice:
/// one edit for the typos, then two for the suggestion.
pub fn walk(
    searcher: &Searcher,
    field: Field,
    word: &str,
    distance: u8,
    mut neighbours: Option<(&mut BTreeSet<String>, usize)>,
) -> Candidates {
    let mut counts = Candidates::new();
    // The first letter as typed: people seldom mistype it, and the walk then stays inside one
    // branch of the dictionary (two edits over all of it would cost more than the search).
    let Some(automaton) = levenshtein(field, word, distance, true) else {
        return counts;
    };
    let wants_neighbours =
        |n: &Option<(&mut BTreeSet<String>, usize)>| n.as_ref().is_some_and(|(set, max)| set.len() < *max);
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
            continue;
        };
        let mut seen = 0;
        while (seen < MAX_CANDIDATES || wants_neighbours(&neighbours)) && stream.advance() {
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if seen < MAX_CANDIDATES {
                seen += 1;
                *counts.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
            if let Some((set, max)) = neighbours.as_mut()
                && set.len() < *max
                && term != word
                && within_one_edit(word, term)
            {
                set.insert(term.to_string());
            }
        }
    }
    counts
}

/// The best known spelling of `word` (lowercased), or `None` when it is known as typed or
/// nothing is near enough. `walked` holds the candidates of words whose walk the query
/// builder already made (and found them unknown).
fn best_spelling(
    searcher: &Searcher,
    field: Field,
    word: &str,
    walked: &HashMap<String, Candidates>,
) -> Option<String> {
    let distance = suggestion_distance(word)?;
    let fresh;
    let counts = match walked.get(word) {
        Some(counts) => counts,
        None if is_known(searcher, field, word) => return None,
        None => {
            fresh = walk(searcher, field, word, distance, None);
            &fresh
        }
    };
    // Nearest first, then the most documents, then alphabetical (a stable answer).
    counts
        .iter()
        .map(|(term, docs)| (edits(word, term), std::cmp::Reverse(*docs), term))
        .min()
        .map(|(_, _, term)| term.clone())
}

/// The query as typed with its unknown words replaced, if any was; `None` otherwise.
pub fn suggest(
    searcher: &Searcher,
    field: Field,
    input: &str,
    parsed: &ParsedQuery,
    walked: &HashMap<String, Candidates>,
) -> Option<String> {
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
            if let Some(better) = best_spelling(searcher, field, &lower, walked) {
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

/// Whether `a` and `b` are at most one edit apart (a swap of neighbours is one), as the typo
/// expansion's one-edit automaton has it; cheaper than [`edits`] for every term of a walk.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a.chars(), b.chars());
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => {}
            (None, None) => return true,
            // One left over at the end: an insertion or a deletion.
            (Some(_), None) | (None, Some(_)) => return a.next().is_none() && b.next().is_none(),
            (Some(x), Some(y)) => {
                let (rest_a, rest_b) = (a.as_str(), b.as_str());
                // Substitution, swap, deletion from `a`, or insertion into `a`.
                return rest_a == rest_b
                    || (rest_a.starts_with(y)
                        && rest_b.starts_with(x)
                        && rest_a[y.len_utf8()..] == rest_b[x.len_utf8()..])
                    || rest_a.starts_with(y) && rest_a[y.len_utf8()..] == *rest_b
                    || rest_b.starts_with(x) && rest_b[x.len_utf8()..] == *rest_a;
            }
        }
    }
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

    #[test]
    fn within_one_edit_agrees_with_edits() {
        let words = [
            "risiko",
            "rsiiko",
            "risko",
            "riisiko",
            "risikoo",
            "resiko",
            "rsikoo",
            "isiko",
            "risik",
            "riskio",
            "åpenhet",
            "apenhet",
            "åpenhett",
            "åpnehet",
            "",
            "r",
            "ri",
            "ir",
            "risikø",
            "risøko",
        ];
        for a in words {
            for b in words {
                assert_eq!(within_one_edit(a, b), edits(a, b) <= 1, "{a} {b}");
            }
        }
    }
}
