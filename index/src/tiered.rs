//! The ranking of a whole query in one pass over flat posting lists.
//!
//! A query is a list of clauses (a word, a phrase, a prefix). Each clause has exact parts (the
//! word's stemmed form in title and body) and alternatives (folded, compound tail, typo, or the
//! phrase or prefix itself). A document's score is, per clause it matches: [`CLAUSE_BONUS`]
//! (only when there are several clauses), plus [`EXACT_BONUS`] and the sum of the exact parts'
//! BM25 when any exact part matches, else the best alternative's score (BM25 capped below
//! [`EXACT_BONUS`]). So documents matching
//! more clauses come first, then those matching more of them exactly, then by BM25.
//!
//! The same can be written with tantivy's boolean, disjunction-max and boost queries (and a
//! query adding a constant) nested three or four deep, where every level merges its children's
//! documents again. Here every part's scorer is merged once, in one place that states the rule.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Added per clause matched in any form: larger than the exact bonuses and BM25 of a query of
/// [`crate::query::MAX_CLAUSES`] clauses, so documents matching more clauses always rank higher.
/// Scores stay exact enough in f32.
pub const CLAUSE_BONUS: Score = 10_000.0;
/// Added per clause matched in its exact (stemmed) form: larger than any BM25 score, so a
/// document matching a word exactly outranks one reaching it only through folding, compounds or
/// typos, whatever their lengths.
pub const EXACT_BONUS: Score = 100.0;
/// A clause's BM25 counts up to this: below [`EXACT_BONUS`], so the tiers hold even for a long
/// phrase of rare words, and a document's score has a bound without computing BM25.
const BM25_CAP: Score = EXACT_BONUS - 1.0;
/// Added, per clause of the query, when a bonus part matches (the title holds the query's words
/// as a phrase): more than the BM25 of all clauses, so such a document ranks above those that
/// match the same clauses as exactly but only repeat the words in their bodies; and, even
/// with [`crate::query::MAX_CLAUSES`] clauses, less than one [`CLAUSE_BONUS`].
pub const BONUS_PER_CLAUSE: Score = EXACT_BONUS;

/// One clause: parts whose scores add up (with [`EXACT_BONUS`]) and alternatives of which the
/// best counts when no exact part matches.
#[derive(Debug, Default)]
pub struct Clause {
    pub exact: Vec<Box<dyn Query>>,
    pub alternatives: Vec<Box<dyn Query>>,
}

impl Clone for Clause {
    fn clone(&self) -> Self {
        Clause {
            exact: self.exact.iter().map(|q| q.box_clone()).collect(),
            alternatives: self.alternatives.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl Clause {
    fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.alternatives.is_empty()
    }
}

/// Matches documents matching any part of any clause, scored as the module says.
#[derive(Debug)]
pub struct TieredQuery {
    clauses: Vec<Clause>,
    /// Parts that add [`BONUS_PER_CLAUSE`] per clause (once) to a document they match. They
    /// must only match documents some clause matches.
    bonus: Vec<Box<dyn Query>>,
}

impl Clone for TieredQuery {
    fn clone(&self) -> Self {
        TieredQuery {
            clauses: self.clauses.clone(),
            bonus: self.bonus.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl TieredQuery {
    /// The query of `clauses` (empty clauses are dropped).
    pub fn new(clauses: Vec<Clause>) -> Self {
        TieredQuery {
            clauses: clauses.into_iter().filter(|c| !c.is_empty()).collect(),
            bonus: Vec::new(),
        }
    }

    /// Adds parts that lift the documents they match above the others of their tier.
    pub fn with_bonus(mut self, bonus: Vec<Box<dyn Query>>) -> Self {
        self.bonus = bonus;
        self
    }

    /// Whether no clause can match anything.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }
}

/// Where a part belongs.
#[derive(Debug, Clone, Copy)]
struct Role {
    clause: usize,
    exact: bool,
    /// A bonus part (then `clause` is the number of clauses, after every real one).
    bonus: bool,
}

impl Query for TieredQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut parts = Vec::new();
        let mut roles = Vec::new();
        for (clause, c) in self.clauses.iter().enumerate() {
            for (exact, queries) in [(true, &c.exact), (false, &c.alternatives)] {
                for query in queries {
                    parts.push(query.weight(enable_scoring)?);
                    roles.push(Role {
                        clause,
                        exact,
                        bonus: false,
                    });
                }
            }
        }
        for query in &self.bonus {
            parts.push(query.weight(enable_scoring)?);
            roles.push(Role {
                clause: self.clauses.len(),
                exact: false,
                bonus: true,
            });
        }
        Ok(Box::new(TieredWeight {
            parts,
            roles,
            clauses: self.clauses.len(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            for query in clause.exact.iter().chain(&clause.alternatives) {
                query.query_terms(visitor);
            }
        }
        for query in &self.bonus {
            query.query_terms(visitor);
        }
    }
}

struct TieredWeight {
    parts: Vec<Box<dyn Weight>>,
    roles: Vec<Role>,
    clauses: usize,
}

impl Weight for TieredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut parts = Vec::with_capacity(self.parts.len());
        let mut roles = Vec::with_capacity(self.parts.len());
        for (weight, role) in self.parts.iter().zip(&self.roles) {
            let scorer = weight.scorer(reader, boost)?;
            // Parts with nothing in this segment (most terms of the other language) drop out.
            if scorer.doc() != TERMINATED {
                parts.push(scorer);
                roles.push(*role);
            }
        }
        Ok(Box::new(TieredScorer::new(parts, roles, self.clauses, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new("tiered clauses", scorer.score()))
    }
}

pub struct TieredScorer {
    parts: Vec<Box<dyn Scorer>>,
    roles: Vec<Role>,
    /// Each part's current document, so the merge reads a plain array.
    docs: Vec<DocId>,
    doc: DocId,
    clause_bonus: Score,
    exact_bonus: Score,
    bm25_cap: Score,
    /// What a matching bonus part adds.
    bonus: Score,
    /// Per clause, while scoring one document: the sum of its exact parts (if any matched) and
    /// the best alternative (if any matched).
    exact: Vec<Option<Score>>,
    best_alternative: Vec<Option<Score>>,
}

impl TieredScorer {
    fn new(parts: Vec<Box<dyn Scorer>>, roles: Vec<Role>, clauses: usize, boost: Score) -> Self {
        let docs: Vec<DocId> = parts.iter().map(tantivy::DocSet::doc).collect();
        let mut scorer = TieredScorer {
            parts,
            roles,
            docs,
            doc: TERMINATED,
            // With one clause, every match would get it: it would rank nothing.
            clause_bonus: if clauses > 1 { CLAUSE_BONUS * boost } else { 0.0 },
            exact_bonus: EXACT_BONUS * boost,
            bm25_cap: BM25_CAP * boost,
            bonus: BONUS_PER_CLAUSE * clauses as Score * boost,
            exact: vec![None; clauses],
            best_alternative: vec![None; clauses],
        };
        scorer.settle();
        scorer
    }

    /// An upper bound of [`Scorer::score`] for the current document, found without computing
    /// BM25: the bonuses of the clauses it matches, each with the most BM25 can add.
    pub fn score_bound(&self) -> Score {
        let mut matched = 0u64;
        let mut exact = 0u64;
        let mut bonus = false;
        let mut last = None;
        // Parts are grouped by clause, exact ones first, bonus parts last.
        for (doc, role) in self.docs.iter().zip(&self.roles) {
            if *doc == self.doc && last != Some(role.clause) {
                last = Some(role.clause);
                if role.bonus {
                    bonus = true;
                } else {
                    matched += 1;
                    exact += u64::from(role.exact);
                }
            }
        }
        matched as Score * (self.clause_bonus + self.bm25_cap)
            + exact as Score * self.exact_bonus
            + if bonus { self.bonus } else { 0.0 }
    }

    fn settle(&mut self) -> DocId {
        self.doc = self.docs.iter().copied().min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for TieredScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        for (part, doc) in self.parts.iter_mut().zip(self.docs.iter_mut()) {
            if *doc == self.doc {
                *doc = part.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for (part, doc) in self.parts.iter_mut().zip(self.docs.iter_mut()) {
            if *doc < target {
                *doc = part.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts.iter().map(tantivy::DocSet::size_hint).max().unwrap_or(0)
    }

    fn cost(&self) -> u64 {
        self.parts.iter().map(tantivy::DocSet::cost).sum()
    }
}

impl Scorer for TieredScorer {
    fn score(&mut self) -> Score {
        self.exact.fill(None);
        self.best_alternative.fill(None);
        let mut total = 0.0;
        let mut bonus = false;
        for ((part, doc), role) in self.parts.iter_mut().zip(&self.docs).zip(&self.roles) {
            if *doc != self.doc {
                continue;
            }
            if role.bonus {
                bonus = true;
                continue;
            }
            let score = part.score();
            if role.exact {
                *self.exact[role.clause].get_or_insert(0.0) += score;
            } else {
                let best = self.best_alternative[role.clause].get_or_insert(score);
                *best = best.max(score);
            }
        }
        if bonus {
            total += self.bonus;
        }
        for (exact, alternative) in self.exact.iter().zip(&self.best_alternative) {
            match (exact, alternative) {
                (Some(exact), _) => {
                    total += self.clause_bonus + self.exact_bonus + exact.min(self.bm25_cap);
                }
                (None, Some(alternative)) => total += self.clause_bonus + alternative.min(self.bm25_cap),
                (None, None) => {}
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{Index, TantivyDocument};

    fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))
    }

    #[test]
    fn more_clauses_then_exact_matches_rank_first() {
        let mut builder = Schema::builder();
        let exact = builder.add_text_field("exact", STRING);
        let alt = builder.add_text_field("alt", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // doc 0: clause a exact; doc 1: a and b through alternatives; doc 2: a alternative only;
        // doc 3: nothing.
        for (e, a) in [
            (vec!["a"], vec![]),
            (vec![], vec!["a", "b"]),
            (vec![], vec!["a"]),
            (vec![], vec!["z"]),
        ] {
            let mut doc = TantivyDocument::default();
            for t in e {
                doc.add_text(exact, t);
            }
            for t in a {
                doc.add_text(alt, t);
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let query = TieredQuery::new(vec![
            Clause {
                exact: vec![term(exact, "a")],
                alternatives: vec![term(alt, "a")],
            },
            Clause {
                exact: vec![term(exact, "b")],
                alternatives: vec![term(alt, "b")],
            },
            Clause::default(),
        ]);
        let top = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        let order: Vec<u32> = top.iter().map(|(_, address)| address.doc_id).collect();
        assert_eq!(order, vec![1, 0, 2]);
        let scores: Vec<Score> = top.iter().map(|(score, _)| *score).collect();
        assert!(scores[0] > 2.0 * CLAUSE_BONUS, "{scores:?}");
        assert!(
            scores[1] > CLAUSE_BONUS + EXACT_BONUS && scores[1] < 2.0 * CLAUSE_BONUS,
            "{scores:?}"
        );
        assert!(scores[2] < CLAUSE_BONUS + EXACT_BONUS, "{scores:?}");
        assert_eq!(searcher.search(&query, &tantivy::collector::Count).unwrap(), 3);

        // The bound the page collector skips scoring by is never below the score.
        let weight = query.weight(EnableScoring::enabled_from_searcher(&searcher)).unwrap();
        let mut scorer = weight.scorer(searcher.segment_reader(0), 1.0).unwrap();
        let tiered = scorer.downcast_mut::<TieredScorer>().expect("a tiered scorer");
        let mut seen = 0;
        while tiered.doc() != TERMINATED {
            let bound = tiered.score_bound();
            let score = tiered.score();
            assert!(
                bound >= score && bound < score + 2.0 * (EXACT_BONUS + BM25_CAP),
                "{bound} {score}"
            );
            seen += 1;
            tiered.advance();
        }
        assert_eq!(seen, 3);
    }

    #[test]
    fn a_bonus_part_lifts_its_documents_above_their_tier_only() {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", tantivy::schema::TEXT);
        let title = builder.add_text_field("title", tantivy::schema::TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // doc 0: a and b many times; doc 1: a, with the bonus; doc 2: a; doc 3: a and b once
        // among other words, with the bonus.
        for (text, bonus) in [
            ("a a a a a a a a b b b b b b b b", false),
            ("a", true),
            ("a", false),
            ("a b z z z z z z z z z z z z z z", true),
        ] {
            let mut doc = TantivyDocument::default();
            doc.add_text(body, text);
            if bonus {
                doc.add_text(title, "x");
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let clause = |w: &str| Clause {
            exact: vec![term(body, w)],
            alternatives: vec![],
        };
        let plain = TieredQuery::new(vec![clause("a"), clause("b")]);
        let lifted = plain.clone().with_bonus(vec![term(title, "x")]);
        let order = |q: &TieredQuery| -> Vec<u32> {
            searcher
                .search(q, &TopDocs::with_limit(10).order_by_score())
                .unwrap()
                .iter()
                .map(|(_, a)| a.doc_id)
                .collect()
        };
        // Without the bonus the repeated words win; with it the title match does, and the
        // document matching one clause stays below both that match two.
        assert_eq!(order(&plain)[..2], [0, 3]);
        assert_eq!(order(&lifted), vec![3, 0, 1, 2]);
        let weight = lifted.weight(EnableScoring::enabled_from_searcher(&searcher)).unwrap();
        let mut scorer = weight.scorer(searcher.segment_reader(0), 1.0).unwrap();
        let tiered = scorer.downcast_mut::<TieredScorer>().expect("a tiered scorer");
        while tiered.doc() != TERMINATED {
            let bound = tiered.score_bound();
            assert!(bound >= tiered.score());
            tiered.advance();
        }
    }
}
