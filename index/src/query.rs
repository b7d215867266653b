//! User queries: a forgiving parser (words, `"phrases"`, `prefix*`, `-excluded`,
//! document numbers such as `FA 37`) and the tantivy query built from it.
//!
//! Each clause becomes a [`tiered::Clause`]: a word's exact form (title and body, stemmed) and
//! weaker alternatives (the ASCII-folded form, the word as the tail of a compound, the index
//! terms one edit away); a phrase or prefix is an alternative of its own. [`TieredQuery`] ranks
//! documents by the clauses they match, then by exact matches, then BM25.

use std::collections::{BTreeSet, HashMap};

use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::SearchError;
use crate::levenshtein::levenshtein;
use crate::schema::Fields;
use crate::suggest;
use crate::tiered::{self, TieredQuery};
use crate::tokenizer::{self, MIN_COMPOUND_TAIL, analyze};

/// Longer queries are refused as not a search.
pub const MAX_QUERY_CHARS: usize = 1000;
/// More clauses than this are refused: each one costs several term lookups.
pub const MAX_CLAUSES: usize = 32;

const TITLE_BOOST: f32 = 2.0;
const PHRASE_BOOST: f32 = 1.5;
const FOLD_BOOST: f32 = 0.4;
const COMPOUND_BOOST: f32 = 0.25;
const FUZZY_BOOST: f32 = 0.2;
const PREFIX_BOOST: f32 = 0.5;
/// A typo expands to at most this many spellings in the index (each to its stem per language).
const MAX_FUZZY_EXPANSIONS: usize = 32;
/// Fuzzy matching only for words at least this long...
const FUZZY_MIN_WORD_CHARS: usize = 5;
/// ...whose stem is at least this long (`token` stems to `tok`).
const FUZZY_MIN_STEM_CHARS: usize = 4;
/// A word found in at least this many documents (in any language) is taken as typed: looking for
/// its neighbours one edit away would cost an automaton walk over every segment's terms and could
/// only add hits ranked below the exact ones.
const FUZZY_MAX_DOC_FREQ: u64 = 50;

/// One unit of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A plain word.
    Word(String),
    /// Words that must appear in this order (`"..."`, or a hyphenated word).
    Phrase(Vec<String>),
    /// `word*`: any word starting with it.
    Prefix(String),
    /// `-word`: documents with it are left out.
    Not(String),
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
    /// A fact-sheet number the query names (`faktaark 37`, `FA 20a`, `fa01`, or a query that is
    /// only a number: `37`).
    pub number: Option<String>,
}

impl ParsedQuery {
    /// Whether any clause selects documents (exclusions alone do not).
    pub fn has_positive(&self) -> bool {
        self.clauses.iter().any(|c| !matches!(c, Clause::Not(_)))
    }
}

/// Splits text into words the way the index tokenizer does.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// `input` in NFC (borrowed when it already is).
pub fn to_nfc(input: &str) -> std::borrow::Cow<'_, str> {
    match is_nfc_quick(input.chars()) {
        IsNormalized::Yes => input.into(),
        _ => input.nfc().collect::<String>().into(),
    }
}

/// Parses user input. Never fails on syntax: an unclosed quote or stray
/// operators are read as plain words. Only refuses queries too big to run.
pub fn parse(input: &str) -> Result<ParsedQuery, SearchError> {
    // Text typed in NFD (`å` as `a` and a combining ring) is read as NFC, as the index holds it:
    // the tokenizer would otherwise split the word at the combining mark.
    let input = to_nfc(input);
    let input = input.as_ref();
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::InvalidQuery(format!(
            "the query is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    let mut clauses = Vec::new();
    let mut rest = input;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            break;
        };
        if first == '"'
            && let Some(close) = rest[1..].find('"')
        {
            let mut phrase = words(&rest[1..=close]);
            match phrase.len() {
                0 => {}
                1 => clauses.push(Clause::Word(phrase.remove(0))),
                _ => clauses.push(Clause::Phrase(phrase)),
            }
            rest = &rest[close + 2..];
            continue;
        }
        // An unclosed quote is just punctuation.
        let start = usize::from(first == '"');
        let end = rest[start..]
            .find(|c: char| c.is_whitespace() || c == '"')
            .map_or(rest.len(), |i| i + start);
        let chunk = &rest[start..end];
        rest = &rest[end..];
        let negated = chunk.len() > 1 && chunk.starts_with('-');
        let prefix = chunk.ends_with('*');
        let mut parts = words(chunk);
        match parts.len() {
            0 => {}
            _ if negated => clauses.extend(parts.into_iter().map(Clause::Not)),
            1 if prefix && parts[0].chars().count() >= 2 => {
                clauses.push(Clause::Prefix(parts.remove(0)));
            }
            1 => clauses.push(Clause::Word(parts.remove(0))),
            _ => clauses.push(Clause::Phrase(parts)),
        }
    }
    if clauses.len() > MAX_CLAUSES {
        return Err(SearchError::InvalidQuery(format!(
            "the query has more than {MAX_CLAUSES} words"
        )));
    }
    if let Some(number) = find_number(input) {
        canonicalize_number(&mut clauses, &number);
        return Ok(ParsedQuery {
            clauses,
            number: Some(number),
        });
    }
    // A query that is only a number (`37`, `20a`) names the fact sheet too; the word stays, so
    // documents mentioning the number still follow the sheet.
    let number = match clauses.as_slice() {
        [Clause::Word(w)] if is_number(&w.to_lowercase()) => Some(w.to_lowercase()),
        _ => None,
    };
    Ok(ParsedQuery { clauses, number })
}

/// A fact sheet's number as typed: one to three digits and at most one letter (`0`, `06`, `20a`).
fn is_number(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && digits <= 3 && t[digits..].len() <= 1 && t[digits..].bytes().all(|b| b.is_ascii_lowercase())
}

/// Whether a (lowercased) word names a fact sheet: `fa`, `faktaark`, or `faktaark` with one
/// letter wrong, missing, added or two swapped (`faktark`, `faktarak`).
fn is_label(t: &str) -> bool {
    t == "fa" || t == "faktaark" || (t.len() >= 7 && t.len() <= 9 && edit_distance_at_most_one(t, "faktaark"))
}

/// Whether `a` and `b` are at most one edit apart (a letter replaced, left out, added, or two
/// neighbours swapped).
fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[common..], &b[common..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y => ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..]),
        (x, y) if x == y + 1 => ra[1..] == *rb,
        (x, y) if y == x + 1 => *ra == rb[1..],
        _ => false,
    }
}

/// Replaces the words naming a fact sheet (`FA`, `37`, `fa37`, `nr`) by the
/// phrase `faktaark 37`: the sheet itself is pinned, and documents citing it
/// come next (`få`, which `fa` folds to, does not).
fn canonicalize_number(clauses: &mut Vec<Clause>, number: &str) {
    let is_reference = |w: &str| {
        let w = w.to_lowercase();
        w == number || w == "nr" || is_label(&w) || split_glued(&w).is_some_and(|n| n == number)
    };
    clauses.retain(|clause| match clause {
        Clause::Word(w) => !is_reference(w),
        Clause::Phrase(ws) => !ws.iter().all(|w| is_reference(w)),
        _ => true,
    });
    clauses.push(Clause::Phrase(vec!["faktaark".into(), number.into()]));
}

/// The number of a label glued to it (`fa37`, `faktark37`).
fn split_glued(token: &str) -> Option<&str> {
    let at = token.find(|c: char| c.is_ascii_digit())?;
    let (label, number) = token.split_at(at);
    (is_label(label) && is_number(number)).then_some(number)
}

/// Finds a fact-sheet number: `faktaark 37`, `faktaark nr. 37`, `FA 20a`, `fa37`, also with the
/// label misspelt by one letter (`faktark 37`).
pub fn find_number(input: &str) -> Option<String> {
    let lower = input.to_lowercase();
    let tokens = words(&lower);
    for (i, token) in tokens.iter().enumerate() {
        if is_label(token) {
            let mut next = tokens.get(i + 1);
            if next.is_some_and(|t| t == "nr") {
                next = tokens.get(i + 2);
            }
            if let Some(n) = next.filter(|t| is_number(t)) {
                return Some(n.clone());
            }
        }
        if let Some(n) = split_glued(token) {
            return Some(n.to_string());
        }
    }
    None
}

/// The numbers a named number may mean, best first: itself, then (without a letter of its
/// own) its lettered parts (`20` → `20a`, `20b`, …). When none of those exists, the same with
/// the leading zero added or dropped (`6` → `06`, `01` → `1`).
pub fn number_candidates(number: &str) -> (Vec<String>, Vec<String>) {
    let with_letters = |n: &str| -> Vec<String> {
        let mut out = vec![n.to_string()];
        if n.bytes().all(|b| b.is_ascii_digit()) {
            out.extend((b'a'..=b'z').map(|l| format!("{n}{}", char::from(l))));
        }
        out
    };
    let digits = number.bytes().take_while(u8::is_ascii_digit).count();
    let (num, letter) = number.split_at(digits);
    let mut padded = Vec::new();
    let trimmed = num.trim_start_matches('0');
    let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
    if trimmed != num {
        padded.push(format!("{trimmed}{letter}"));
    }
    if num.len() == 1 && num != "0" {
        padded.push(format!("0{num}{letter}"));
    }
    (
        with_letters(number),
        padded.iter().flat_map(|n| with_letters(n)).collect(),
    )
}

/// Which language fields a query looks at.
#[derive(Debug, Clone, Copy)]
pub struct Languages {
    pub norwegian: bool,
    pub english: bool,
}

impl Languages {
    /// From the request's language filter.
    pub fn for_filter(language: Option<&str>) -> Self {
        match language {
            None => Languages {
                norwegian: true,
                english: true,
            },
            Some(l) => Languages {
                norwegian: !crate::schema::is_english(l),
                english: crate::schema::is_english(l),
            },
        }
    }
}

/// Turns a [`ParsedQuery`] into a tantivy query.
pub struct QueryBuilder<'a> {
    fields: &'a Fields,
    /// Fuzzy terms are expanded against this searcher's term dictionaries.
    searcher: &'a Searcher,
    /// The index terms typos were expanded to, as (is English, stem): the
    /// snippets highlight them.
    pub expansions: Vec<(bool, String)>,
    /// Spelling candidates of the words whose typo walk went two edits (words the index does
    /// not know): a query finding nothing takes its suggestion from them without walking again.
    pub spellings: HashMap<String, suggest::Candidates>,
    languages: Languages,
    no: TextAnalyzer,
    en: TextAnalyzer,
    fold: TextAnalyzer,
    fold_plain: TextAnalyzer,
}

fn first_token(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    analyze(analyzer, word).into_iter().next()
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boost(query: Box<dyn Query>, factor: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, factor))
}

impl<'a> QueryBuilder<'a> {
    /// A builder for the given fields and languages.
    pub fn new(fields: &'a Fields, searcher: &'a Searcher, languages: Languages) -> Self {
        QueryBuilder {
            fields,
            searcher,
            expansions: Vec::new(),
            spellings: HashMap::new(),
            languages,
            no: tokenizer::no_main(),
            en: tokenizer::en_main(),
            fold: tokenizer::fold(tantivy::tokenizer::Language::Norwegian),
            fold_plain: tokenizer::fold_plain(),
        }
    }

    /// The language fields in use: (analyzer, title field, body field, is Norwegian).
    fn families(&self) -> Vec<(TextAnalyzer, Field, Field, bool)> {
        let mut out = Vec::with_capacity(2);
        if self.languages.norwegian {
            out.push((self.no.clone(), self.fields.title_no, self.fields.body_no, true));
        }
        if self.languages.english {
            out.push((self.en.clone(), self.fields.title_en, self.fields.body_en, false));
        }
        out
    }

    /// The query for the text part, or `None` when there is nothing to match
    /// (the request then lists documents).
    pub fn build(&mut self, parsed: &ParsedQuery) -> Option<Box<dyn Query>> {
        let mut clauses = Vec::new();
        let mut negatives = Vec::new();
        for clause in &parsed.clauses {
            match clause {
                Clause::Word(w) => clauses.push(self.word(w)),
                Clause::Phrase(ws) => clauses.push(self.phrase(ws)),
                Clause::Prefix(p) => clauses.push(self.prefix(p)),
                Clause::Not(w) => negatives.extend(self.exact_only(w)),
            }
        }
        let positive: Box<dyn Query> = if parsed.has_positive() {
            let tiered = TieredQuery::new(clauses);
            if tiered.is_empty() {
                // Words that analyse to nothing (all too long): nothing matches.
                return Some(Box::new(tantivy::query::EmptyQuery));
            }
            Box::new(tiered.with_bonus(self.title_phrase(parsed)))
        } else if negatives.is_empty() {
            return None;
        } else {
            Box::new(AllQuery)
        };
        if negatives.is_empty() {
            return Some(positive);
        }
        let mut all = vec![(Occur::Must, positive)];
        all.extend(negatives.into_iter().map(|q| (Occur::MustNot, q)));
        Some(Box::new(BooleanQuery::new(all)))
    }

    /// A word: exact (title boosted) or, weaker, folded / compound tail / fuzzy.
    fn word(&mut self, word: &str) -> tiered::Clause {
        let mut clause = tiered::Clause::default();
        let families: Vec<_> = self
            .families()
            .into_iter()
            .filter_map(|(mut analyzer, title, body, norwegian)| {
                let stem = first_token(&mut analyzer, word)?;
                Some((analyzer, title, body, norwegian, stem))
            })
            .collect();
        // Typos are looked for only when the word is rare in every language: a word found as
        // typed in many documents is no typo, and its neighbours could only rank below them.
        let typo_tolerant = word.chars().count() >= FUZZY_MIN_WORD_CHARS
            && families
                .iter()
                .map(|(_, _, body, _, stem)| self.searcher.doc_freq(&Term::from_field_text(*body, stem)).unwrap_or(0))
                .sum::<u64>()
                < FUZZY_MAX_DOC_FREQ;
        // The words one edit away from it as typed, of every language, in one walk of the
        // spelling field's terms (one walk instead of one per language's stem field).
        let neighbours = if typo_tolerant {
            self.neighbours(&word.to_lowercase())
        } else {
            Vec::new()
        };
        // The word as typed without æ, ø, å: `leverandør` also finds `leverandor`.
        let ascii = first_token(&mut self.fold_plain, word).filter(|_| !word.is_ascii());
        for (mut analyzer, title, body, norwegian, stem) in families {
            clause.exact.push(boost(term_query(title, &stem), TITLE_BOOST));
            clause.exact.push(term_query(body, &stem));
            if let Some(ascii_stem) = ascii.as_deref().and_then(|a| first_token(&mut analyzer, a))
                && ascii_stem != stem
            {
                clause
                    .alternatives
                    .push(boost(term_query(body, &ascii_stem), FOLD_BOOST));
            }
            let stem_chars = stem.chars().count();
            if stem_chars >= FUZZY_MIN_STEM_CHARS && !neighbours.is_empty() {
                clause
                    .alternatives
                    .extend(self.fuzzy(&mut analyzer, body, &stem, &neighbours, !norwegian));
            }
            if norwegian && stem_chars >= MIN_COMPOUND_TAIL {
                clause
                    .alternatives
                    .push(boost(term_query(self.fields.compound, &stem), COMPOUND_BOOST));
            }
        }
        if clause.exact.is_empty() {
            return tiered::Clause::default();
        }
        // The folded field holds only words written with letters beyond ASCII: it is what lets
        // `utgatt` find `utgått`.
        if word.is_ascii()
            && let Some(folded) = first_token(&mut self.fold, word)
        {
            clause
                .alternatives
                .push(boost(term_query(self.fields.fold, &folded), FOLD_BOOST));
        }
        clause
    }

    /// The spellings in the index one edit away from `word` (lowercased, as typed; not `word`
    /// itself) that keep its first letter, from every segment, at most [`MAX_FUZZY_EXPANSIONS`].
    /// For a word the index does not know, the walk goes two edits and keeps what it found
    /// beyond one for the suggestion ([`Self::spellings`]).
    fn neighbours(&mut self, word: &str) -> Vec<String> {
        let field = self.fields.spell;
        let mut out = BTreeSet::new();
        if suggest::wants_two_edit_walk(self.searcher, field, word) {
            let candidates = suggest::walk(self.searcher, field, word, 2, Some((&mut out, MAX_FUZZY_EXPANSIONS)));
            self.spellings.insert(word.to_string(), candidates);
            return out.into_iter().collect();
        }
        // The first letter as typed: a walk that may change it visits every branch of the
        // dictionary's root and cost twice as much (a query matching nothing paid it whole).
        let Some(automaton) = levenshtein(field, word, 1, true) else {
            return Vec::new();
        };
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while out.len() < MAX_FUZZY_EXPANSIONS && stream.advance() {
                if stream.key() != word.as_bytes()
                    && let Ok(term) = std::str::from_utf8(stream.key())
                {
                    out.insert(term.to_string());
                }
            }
        }
        out.into_iter().collect()
    }

    /// The stems of `neighbours` in one language's body field (not `stem` itself), each scored
    /// by BM25: tantivy's `FuzzyTermQuery` gives every match the same score.
    fn fuzzy(
        &mut self,
        analyzer: &mut TextAnalyzer,
        field: Field,
        stem: &str,
        neighbours: &[String],
        english: bool,
    ) -> Option<Box<dyn Query>> {
        let expansions: BTreeSet<String> = neighbours
            .iter()
            .filter_map(|n| first_token(analyzer, n))
            .filter(|t| t != stem)
            .collect();
        if expansions.is_empty() {
            return None;
        }
        let union = BooleanQuery::union(expansions.iter().map(|t| term_query(field, t)).collect());
        self.expansions.extend(expansions.into_iter().map(|t| (english, t)));
        Some(boost(Box::new(union), FUZZY_BOOST))
    }

    /// A title holding the query's words (of its words and phrases, in order) as one phrase:
    /// the bonus parts of the query. Only for queries of several words that name no number.
    fn title_phrase(&mut self, parsed: &ParsedQuery) -> Vec<Box<dyn Query>> {
        if parsed.number.is_some() {
            return Vec::new();
        }
        let words: Vec<&String> = parsed
            .clauses
            .iter()
            .flat_map(|c| match c {
                Clause::Word(w) => std::slice::from_ref(w),
                Clause::Phrase(ws) => ws.as_slice(),
                Clause::Prefix(_) | Clause::Not(_) => &[],
            })
            .collect();
        if words.len() < 2 {
            return Vec::new();
        }
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        for (mut analyzer, title, _, _) in self.families() {
            let terms: Vec<(usize, Term)> = words
                .iter()
                .enumerate()
                .filter_map(|(i, w)| first_token(&mut analyzer, w).map(|t| (i, Term::from_field_text(title, &t))))
                .collect();
            if terms.len() >= 2 {
                out.push(Box::new(PhraseQuery::new_with_offset(terms)));
            }
        }
        out
    }

    /// Only the exact form, for exclusions.
    fn exact_only(&mut self, word: &str) -> Vec<Box<dyn Query>> {
        let mut out = Vec::new();
        for (mut analyzer, _, body, _) in self.families() {
            if let Some(stem) = first_token(&mut analyzer, word) {
                out.push(term_query(body, &stem));
            }
        }
        out
    }

    /// Words in order, in the body field of each language.
    fn phrase(&mut self, words: &[String]) -> tiered::Clause {
        let mut clause = tiered::Clause::default();
        for (mut analyzer, _, body, _) in self.families() {
            let terms: Vec<(usize, Term)> = words
                .iter()
                .enumerate()
                .filter_map(|(i, w)| first_token(&mut analyzer, w).map(|t| (i, Term::from_field_text(body, &t))))
                .collect();
            match terms.len() {
                0 => {}
                1 => clause.alternatives.push(Box::new(TermQuery::new(
                    terms[0].1.clone(),
                    IndexRecordOption::WithFreqs,
                ))),
                _ => clause
                    .alternatives
                    .push(boost(Box::new(PhraseQuery::new_with_offset(terms)), PHRASE_BOOST)),
            }
        }
        clause
    }

    /// `prefix*` over the (stemmed) body fields and, typed without æ, ø, å, the folded field
    /// (typed with them, the body fields are also asked for the ASCII spelling).
    fn prefix(&mut self, prefix: &str) -> tiered::Clause {
        let lower = prefix.to_lowercase();
        let folded = first_token(&mut self.fold_plain, prefix);
        let prefix_query = |field: Field, text: &str, factor: f32| -> Box<dyn Query> {
            let query = Box::new(FuzzyTermQuery::new_prefix(Term::from_field_text(field, text), 0, false));
            boost(query, factor * PREFIX_BOOST)
        };
        let mut clause = tiered::Clause::default();
        for (_, _, body, _) in self.families() {
            clause.alternatives.push(prefix_query(body, &lower, 1.0));
            if let Some(folded) = folded.as_deref().filter(|f| *f != lower) {
                clause.alternatives.push(prefix_query(body, folded, FOLD_BOOST));
            }
        }
        if let Some(folded) = folded.as_deref().filter(|_| lower.is_ascii()) {
            clause
                .alternatives
                .push(prefix_query(self.fields.fold, folded, FOLD_BOOST));
        }
        clause
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Clause {
        Clause::Word(w.into())
    }

    #[test]
    fn parses_words_phrases_prefixes_and_exclusions() {
        let p = parse(r#"tilgang "sikring av utstyr" styr* -mobil e-helse"#).unwrap();
        assert_eq!(
            p.clauses,
            vec![
                word("tilgang"),
                Clause::Phrase(vec!["sikring".into(), "av".into(), "utstyr".into()]),
                Clause::Prefix("styr".into()),
                Clause::Not("mobil".into()),
                Clause::Phrase(vec!["e".into(), "helse".into()]),
            ]
        );
    }

    #[test]
    fn broken_syntax_is_read_as_words() {
        assert_eq!(parse(r#""unclosed"#).unwrap().clauses, vec![word("unclosed")]);
        assert_eq!(parse("AND OR ((").unwrap().clauses, vec![word("AND"), word("OR")]);
        assert_eq!(parse(r#"a "" * - ((( ""#).unwrap().clauses, vec![word("a")]);
        assert!(parse("").unwrap().clauses.is_empty());
    }

    #[test]
    fn oversized_queries_are_invalid() {
        assert!(matches!(parse(&"a ".repeat(600)), Err(SearchError::InvalidQuery(_))));
        assert!(matches!(parse(&"ord ".repeat(40)), Err(SearchError::InvalidQuery(_))));
    }

    #[test]
    fn number_references_become_one_phrase() {
        let p = parse("FA-20a logging").unwrap();
        assert_eq!(p.number.as_deref(), Some("20a"));
        assert_eq!(
            p.clauses,
            vec![word("logging"), Clause::Phrase(vec!["faktaark".into(), "20a".into()])]
        );
        assert_eq!(
            parse("fa37").unwrap().clauses,
            vec![Clause::Phrase(vec!["faktaark".into(), "37".into()])]
        );
    }

    #[test]
    fn finds_fact_sheet_numbers() {
        for (q, n) in [
            ("faktaark 37", Some("37")),
            ("FA 37", Some("37")),
            ("fa37", Some("37")),
            ("Faktaark 0", Some("0")),
            ("FA 20a", Some("20a")),
            ("faktaark 01", Some("01")),
            ("faktaark nr. 5 om logging", Some("5")),
            ("Faktaark37", Some("37")),
            ("fasit 37", None),
            ("faktaark om logging", None),
            ("fa 2024-01", None),
            ("37", None),
            ("faktark 37", Some("37")),
            ("faktarak 37", Some("37")),
            ("Faktaarkk 6", Some("6")),
            ("faktark37", Some("37")),
            ("fakta 37", None),
            ("faktura 37", None),
        ] {
            assert_eq!(find_number(q).as_deref(), n, "{q}");
        }
    }

    #[test]
    fn a_query_that_is_only_a_number_names_the_sheet() {
        let p = parse("37").unwrap();
        assert_eq!(p.number.as_deref(), Some("37"));
        assert_eq!(p.clauses, vec![word("37")]);
        assert_eq!(parse("20A").unwrap().number.as_deref(), Some("20a"));
        assert_eq!(parse("37 logging").unwrap().number, None);
        assert_eq!(parse("2024").unwrap().number, None);
        // A misspelt label is still a reference, and leaves the phrase alone.
        assert_eq!(
            parse("faktark 37").unwrap().clauses,
            vec![Clause::Phrase(vec!["faktaark".into(), "37".into()])]
        );
    }

    #[test]
    fn numbers_mean_their_lettered_parts_then_their_padded_forms() {
        let (own, padded) = number_candidates("20");
        assert_eq!(own[..3], ["20", "20a", "20b"]);
        assert_eq!(own.len(), 27);
        assert!(padded.is_empty());
        let (own, padded) = number_candidates("6");
        assert_eq!(own[0], "6");
        assert_eq!(padded[..2], ["06", "06a"]);
        let (own, padded) = number_candidates("01");
        assert_eq!(own[0], "01");
        assert_eq!(padded[0], "1");
        let (own, padded) = number_candidates("20a");
        assert_eq!(own, ["20a"]);
        assert!(padded.is_empty());
        let (_, padded) = number_candidates("0");
        assert!(padded.is_empty());
    }

    #[test]
    fn nfd_input_reads_as_nfc() {
        let nfd = "Ha\u{30a}ndtering";
        assert_eq!(parse(nfd).unwrap(), parse("Håndtering").unwrap());
        assert_eq!(parse(nfd).unwrap().clauses, vec![word("Håndtering")]);
    }
}
