//! Snippets: a passage of a hit's plain text with the query's words in
//! `<mark>`, everything else HTML-escaped.
//!
//! tantivy's `SnippetGenerator` analyses the whole stored text of every hit
//! (about 0.3 ms a hit on 11 KB texts) and cannot highlight fuzzy terms. This
//! scans words with a cheap byte-level prefilter and runs the analyzer only on
//! candidate words, stops soon after the first match, and highlights the
//! exact, folded, compound-part and prefix forms of the query, and the index
//! terms its typos were expanded to (never the typo's whole neighbourhood).

use tantivy::tokenizer::{Language, TextAnalyzer};

use crate::query::{Clause, ParsedQuery};
use crate::tokenizer::{self, MIN_COMPOUND_HEAD, MIN_COMPOUND_TAIL, analyze};

/// Default passage length in characters.
pub const SNIPPET_CHARS: usize = 220;
/// Matches after the first one are looked for this many passage lengths on.
const LOOKAHEAD_PASSAGES: usize = 3;
/// At most this many matches are considered for the passage.
const MAX_MATCHES: usize = 64;

/// The query's terms in one language's highlight form.
#[derive(Clone)]
struct Terms {
    /// Folded stems, with their first bytes as the prefilter.
    stems: Vec<String>,
    /// Folded, unstemmed prefixes.
    prefixes: Vec<String>,
    /// The first [`MIN_COMPOUND_TAIL`] bytes of each stem that can be a compound's tail: a word
    /// without one of them inside cannot end in such a stem.
    compound_heads: Vec<Vec<u8>>,
    /// Which bytes (in either case) start a compound head: most positions of a long word are
    /// ruled out by one table lookup.
    head_starts: [bool; 256],
    /// Which bytes (in either case) start a stem or prefix: most words are ruled out by one
    /// table lookup.
    first_bytes: [bool; 256],
}

impl Default for Terms {
    fn default() -> Self {
        Terms {
            stems: Vec::new(),
            prefixes: Vec::new(),
            compound_heads: Vec::new(),
            head_starts: [false; 256],
            first_bytes: [false; 256],
        }
    }
}

/// Highlights one query in any number of texts.
pub struct Highlighter {
    norwegian: Terms,
    english: Terms,
    no_analyzer: TextAnalyzer,
    en_analyzer: TextAnalyzer,
    buffer: String,
}

impl Highlighter {
    /// Prepares the highlight terms of `parsed` (exclusions are not
    /// highlighted) and the index terms its typos matched, as (is English, stem).
    pub fn new(parsed: &ParsedQuery, expansions: &[(bool, String)]) -> Self {
        let mut no_analyzer = tokenizer::fold(Language::Norwegian);
        let mut en_analyzer = tokenizer::fold(Language::English);
        let mut plain = tokenizer::fold_plain();
        let mut norwegian = Terms::default();
        let mut english = Terms::default();
        let mut add_word = |word: &str| {
            norwegian.stems.extend(analyze(&mut no_analyzer, word));
            english.stems.extend(analyze(&mut en_analyzer, word));
        };
        for clause in &parsed.clauses {
            match clause {
                Clause::Word(w) => add_word(w),
                Clause::Phrase(ws) => ws.iter().for_each(|w| add_word(w)),
                Clause::Prefix(p) => {
                    let folded = analyze(&mut plain, p);
                    norwegian.prefixes.extend(folded.iter().cloned());
                    english.prefixes.extend(folded);
                }
                Clause::Not(_) => {}
            }
        }
        // Compound tails are highlighted for the query's own words, not for typo expansions
        // (those matched as whole words).
        for terms in [&mut norwegian, &mut english] {
            terms.compound_heads = terms
                .stems
                .iter()
                .filter(|t| t.chars().count() >= MIN_COMPOUND_TAIL)
                .map(|t| t.as_bytes()[..MIN_COMPOUND_TAIL].to_vec())
                .collect();
            terms.compound_heads.sort();
            terms.compound_heads.dedup();
            for head in &terms.compound_heads {
                mark_both_cases(&mut terms.head_starts, head[0]);
            }
        }
        for (is_english, stem) in expansions {
            if *is_english {
                english.stems.extend(analyze(&mut en_analyzer, stem));
            } else {
                norwegian.stems.extend(analyze(&mut no_analyzer, stem));
            }
        }
        for terms in [&mut norwegian, &mut english] {
            terms.stems.sort();
            terms.stems.dedup();
            for first in terms
                .stems
                .iter()
                .chain(&terms.prefixes)
                .filter_map(|t| t.bytes().next())
            {
                mark_both_cases(&mut terms.first_bytes, first);
            }
        }
        Highlighter {
            norwegian,
            english,
            no_analyzer,
            en_analyzer,
            buffer: String::new(),
        }
    }

    /// The HTML snippet of `text` (an English text if `english`): about
    /// `max_chars` characters around the first matches, or the start of the
    /// text when nothing matches.
    pub fn snippet(&mut self, text: &str, english: bool, max_chars: usize) -> String {
        let matches = self.find_matches(text, english, max_chars);
        let start = match matches.first() {
            Some(first) => passage_start(text, first.0, max_chars / 5),
            None => 0,
        };
        let end = passage_end(text, start, max_chars);
        render(text, start, end, &matches)
    }

    /// Byte ranges of matching words, in order.
    fn find_matches(&mut self, text: &str, english: bool, max_chars: usize) -> Vec<(usize, usize)> {
        let terms = if english { &self.english } else { &self.norwegian };
        let mut matches = Vec::new();
        if terms.stems.is_empty() && terms.prefixes.is_empty() {
            return matches;
        }
        let analyzer = if english {
            &mut self.en_analyzer
        } else {
            &mut self.no_analyzer
        };
        let mut stop_at = usize::MAX;
        for (start, end, ascii) in word_ranges(text) {
            if start > stop_at || matches.len() >= MAX_MATCHES {
                break;
            }
            let word = &text[start..end];
            // ASCII words are tested in place (case-insensitively); others folded first.
            let folded = if ascii {
                word.as_bytes()
            } else {
                fold_into(word, &mut self.buffer);
                self.buffer.as_bytes()
            };
            if !is_candidate(terms, folded, english) {
                continue;
            }
            if is_match(terms, folded, word, analyzer, english) {
                if matches.is_empty() {
                    stop_at = start.saturating_add(max_chars * LOOKAHEAD_PASSAGES);
                }
                matches.push((start, end));
            }
        }
        // Prefer the passage whose window holds the most distinct matches.
        if let Some(best) = best_window_start(text, &matches, max_chars) {
            matches.drain(..best);
        }
        matches
    }
}

/// Sets `byte` in `table`, in lower and upper case.
fn mark_both_cases(table: &mut [bool; 256], byte: u8) {
    table[usize::from(byte.to_ascii_lowercase())] = true;
    table[usize::from(byte.to_ascii_uppercase())] = true;
}

/// Whether `word` starts with `prefix`, ignoring ASCII case.
fn starts_with_ignoring_case(word: &[u8], prefix: &[u8]) -> bool {
    word.len() >= prefix.len() && word[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Cheap test on the folded word: could it match any term? Compares at most a few bytes per
/// term: this runs on every word of every hit's text.
fn is_candidate(terms: &Terms, folded: &[u8], english: bool) -> bool {
    let Some(first) = folded.first() else {
        return false;
    };
    (terms.first_bytes[usize::from(*first)]
        && (terms
            .stems
            .iter()
            .any(|t| starts_with_ignoring_case(folded, &t.as_bytes()[..t.len().min(3)]))
            || terms
                .prefixes
                .iter()
                .any(|p| starts_with_ignoring_case(folded, p.as_bytes()))))
        || (!english
            && folded.len() >= MIN_COMPOUND_HEAD + MIN_COMPOUND_TAIL
            && folded[1..=folded.len() - MIN_COMPOUND_TAIL]
                .iter()
                .enumerate()
                .any(|(i, b)| {
                    terms.head_starts[usize::from(*b)]
                        && terms
                            .compound_heads
                            .iter()
                            .any(|head| starts_with_ignoring_case(&folded[1 + i..], head))
                }))
}

/// Full test of a candidate with the language's analyzer.
fn is_match(terms: &Terms, folded: &[u8], word: &str, analyzer: &mut TextAnalyzer, english: bool) -> bool {
    if terms
        .prefixes
        .iter()
        .any(|p| starts_with_ignoring_case(folded, p.as_bytes()))
    {
        return true;
    }
    let Some(stem) = analyze(analyzer, word).into_iter().next() else {
        return false;
    };
    terms.stems.iter().any(|t| {
        *t == stem
            || (!english
                && t.chars().count() >= MIN_COMPOUND_TAIL
                && ((stem.ends_with(t.as_str()) && stem[..stem.len() - t.len()].chars().count() >= MIN_COMPOUND_HEAD)
                    || (stem.starts_with(t.as_str()) && stem[t.len()..].chars().count() >= MIN_COMPOUND_HEAD)))
    })
}

/// Lowercases and folds the Norwegian and common Latin letters the way
/// `AsciiFoldingFilter` does, into `out`; exotic letters are only lowercased
/// (a missed highlight, never a wrong one: matches are confirmed by the analyzer).
fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' => out.push_str("ae"),
            'ø' | 'ò' | 'ó' | 'ô' | 'õ' | 'ö' => out.push('o'),
            'å' | 'à' | 'á' | 'â' | 'ã' | 'ä' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ü' | 'ù' | 'ú' | 'û' => out.push('u'),
            'ï' | 'ì' | 'í' | 'î' => out.push('i'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            _ => out.push(c),
        }
    }
}

/// Byte classes for [`word_ranges`]: ASCII letters and digits, other ASCII, and the bytes of
/// wider characters (decoded to tell).
const SEPARATOR: u8 = 0;
const WORD: u8 = 1;
const WIDE: u8 = 2;
const BYTE_CLASS: [u8; 256] = {
    let mut table = [WIDE; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = if (b as u8).is_ascii_alphanumeric() {
            WORD
        } else {
            SEPARATOR
        };
        b += 1;
    }
    table
};

/// The alphanumeric runs of `text` (the tokenizer's words) as (start, end, is ASCII) byte ranges.
/// ASCII bytes are classified by a table without decoding: this runs over every byte of every
/// hit's text up to its matches.
fn word_ranges(text: &str) -> impl Iterator<Item = (usize, usize, bool)> + '_ {
    let bytes = text.as_bytes();
    // Whether the character at `i` is alphanumeric, and its length.
    let wide = move |i: usize| -> (bool, usize) {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c.is_alphanumeric(), c.len_utf8())
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            match BYTE_CLASS[usize::from(bytes[at])] {
                WORD => break,
                SEPARATOR => at += 1,
                _ => match wide(at) {
                    (true, _) => break,
                    (false, len) => at += len,
                },
            }
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let mut ascii = true;
        while at < bytes.len() {
            match BYTE_CLASS[usize::from(bytes[at])] {
                WORD => at += 1,
                SEPARATOR => break,
                _ => match wide(at) {
                    (true, len) => {
                        ascii = false;
                        at += len;
                    }
                    (false, _) => break,
                },
            }
        }
        Some((start, at, ascii))
    })
}

/// Index of the match that starts the window of `max_chars` with the most
/// distinct words (earliest on ties).
fn best_window_start(text: &str, matches: &[(usize, usize)], max_chars: usize) -> Option<usize> {
    let words: Vec<String> = matches.iter().map(|m| text[m.0..m.1].to_lowercase()).collect();
    let mut best = (0, 0);
    for i in 0..matches.len() {
        let limit = matches[i].0 + max_chars * 3 / 4;
        let mut seen: Vec<&str> = Vec::new();
        for (_, word) in matches[i..].iter().zip(&words[i..]).take_while(|(m, _)| m.1 <= limit) {
            if !seen.contains(&word.as_str()) {
                seen.push(word);
            }
        }
        if seen.len() > best.1 {
            best = (i, seen.len());
        }
    }
    (best.1 > 0).then_some(best.0)
}

/// Where the passage starts: a sentence start within `context` characters
/// before `first`, else a word start about `context` characters before it.
fn passage_start(text: &str, first: usize, context: usize) -> usize {
    let mut start = first;
    for (n, (i, c)) in text[..first].char_indices().rev().enumerate() {
        if n >= context {
            break;
        }
        if c == '\n' || (c == ' ' && text[..i].ends_with(['.', '!', '?', ':'])) {
            return i + 1;
        }
        if c == ' ' {
            start = i + 1;
        }
    }
    if first - start < 2 {
        return first;
    }
    start
}

/// The passage end: `max_chars` characters on, backed off to a word end.
fn passage_end(text: &str, start: usize, max_chars: usize) -> usize {
    let Some((hard, _)) = text[start..].char_indices().nth(max_chars) else {
        return text.len();
    };
    let hard = start + hard;
    match text[start..hard].rfind(char::is_whitespace) {
        Some(space) if space > 0 => start + space,
        _ => hard,
    }
}

/// Escapes `text[start..end]`, wrapping matches in `<mark>`; newlines become spaces.
fn render(text: &str, start: usize, end: usize, matches: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(end - start + 32);
    if start > 0 {
        out.push_str("… ");
    }
    let mut at = start;
    for &(m_start, m_end) in matches {
        if m_start < at || m_end > end {
            continue;
        }
        escape_into(&text[at..m_start], &mut out);
        out.push_str("<mark>");
        escape_into(&text[m_start..m_end], &mut out);
        out.push_str("</mark>");
        at = m_end;
    }
    escape_into(&text[at..end], &mut out);
    if end < text.len() {
        out.push_str(" …");
    }
    out
}

/// HTML-escapes `text` into `out`; newlines become spaces. Runs of plain text are copied whole.
pub fn escape_into(text: &str, out: &mut String) {
    let mut plain = 0;
    for (i, b) in text.bytes().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\n' | b'\r' => " ",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        out.push_str(replacement);
        plain = i + 1;
    }
    out.push_str(&text[plain..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn snippet(q: &str, text: &str) -> String {
        Highlighter::new(&parse(q).unwrap(), &[]).snippet(text, false, 80)
    }

    #[test]
    fn marks_inflections_compounds_and_folded_forms() {
        let text = "Veilederen beskriver tilgangsstyring. Se også håndtering av <logger> & mer.";
        assert_eq!(
            snippet("veileder styring handtering", text),
            "<mark>Veilederen</mark> beskriver <mark>tilgangsstyring</mark>. Se også <mark>håndtering</mark> av &lt;logger&gt; &amp; mer."
        );
    }

    #[test]
    fn passage_starts_near_the_first_match() {
        let text = format!(
            "{} Her står ordet logging i en setning. {}",
            "fyll ".repeat(60),
            "mer ".repeat(60)
        );
        let s = snippet("logging", &text);
        assert!(s.starts_with("… Her står ordet <mark>logging</mark>"), "{s}");
        assert!(s.ends_with(" …"), "{s}");
    }

    #[test]
    fn no_match_gives_the_start_unmarked() {
        let s = snippet("finnesikke", "Første setning. Andre setning.");
        assert_eq!(s, "Første setning. Andre setning.");
    }

    #[test]
    fn prefixes_and_phrases_are_marked_but_not_exclusions() {
        let s = snippet(r#"sikr* "mobilt utstyr" -bruk"#, "Sikring av mobilt utstyr i bruk.");
        assert_eq!(
            s,
            "<mark>Sikring</mark> av <mark>mobilt</mark> <mark>utstyr</mark> i bruk."
        );
    }

    #[test]
    fn prefers_the_window_with_more_distinct_words() {
        let text = format!("logging alene. {} logging og tilgang sammen.", "fyll ".repeat(30));
        let s = snippet("logging tilgang", &text);
        assert!(s.contains("<mark>logging</mark> og <mark>tilgang</mark>"), "{s}");
    }
}
