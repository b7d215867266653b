//! Levenshtein automata for walking term dictionaries: tantivy's DFA (`FuzzyTermQuery`'s), with
//! swaps of neighbours counting one edit, optionally anchored on the word's first character.

use tantivy::Term;
use tantivy::query::{DfaWrapper, FuzzyTermQuery};
use tantivy::schema::Field;
use tantivy_fst::Automaton;

/// A Levenshtein automaton that also requires the first character as typed: people seldom
/// mistype the first letter, and anchoring it keeps the walk inside one branch of the term
/// dictionary (a two-edit walk over all of it would cost more than the search).
pub struct Anchored<A> {
    first: Vec<u8>,
    inner: A,
}

impl<A: Automaton> Automaton for Anchored<A>
where
    A::State: Clone,
{
    /// Bytes of the first character matched so far, and the inner state; `None` is dead.
    type State = Option<(usize, A::State)>;

    fn start(&self) -> Self::State {
        Some((0, self.inner.start()))
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state
            .as_ref()
            .is_some_and(|(at, inner)| *at == self.first.len() && self.inner.is_match(inner))
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.as_ref().is_some_and(|(_, inner)| self.inner.can_match(inner))
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let (at, inner) = state.as_ref()?;
        if *at < self.first.len() && self.first[*at] != byte {
            return None;
        }
        Some(((*at + 1).min(self.first.len()), self.inner.accept(inner, byte)))
    }
}

/// The terms of `field` within `distance` edits of `word` (characters; a swap is one edit);
/// with `anchored`, only those that start with its first character.
pub fn levenshtein(field: Field, word: &str, distance: u8, anchored: bool) -> Option<Anchored<DfaWrapper>> {
    let dfa = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true)
        .automaton()
        .ok()?;
    let first = if anchored {
        word.chars().next()?.to_string().into_bytes()
    } else {
        Vec::new()
    };
    Some(Anchored { first, inner: dfa })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{STRING, Schema};

    fn matches(word: &str, distance: u8, anchored: bool, term: &str) -> bool {
        let field = Schema::builder().add_text_field("f", STRING);
        let a = levenshtein(field, word, distance, anchored).unwrap();
        let mut s = a.start();
        for b in term.bytes() {
            s = a.accept(&s, b);
            if !a.can_match(&s) {
                return false;
            }
        }
        a.is_match(&s)
    }

    #[test]
    fn anchored_walks_keep_the_first_letter() {
        for term in ["risko", "riisiko", "rsiiko", "resiko", "risikoo"] {
            assert!(matches("risiko", 1, true, term), "{term}");
        }
        assert!(!matches("risiko", 1, true, "pisiko"));
        assert!(matches("risiko", 1, false, "pisiko"));
        assert!(!matches("risiko", 1, true, "isiko"));
        assert!(matches("smatykek", 2, true, "samtykke"));
        assert!(!matches("smatykek", 1, true, "samtykke"));
        // A first letter beyond ASCII is one character.
        assert!(matches("åpenhet", 1, true, "åpenhett"));
        assert!(!matches("åpenhet", 1, true, "apenhet"));
    }
}
