//! Text analyzers: one per language family for the main fields, plus an
//! ASCII-folded analyzer (queries typed without æ/ø/å) and a compound analyzer
//! that indexes the trailing and leading parts of long words (so `styring` reaches
//! `tilgangsstyring`, and `risiko` reaches `risikostyring`).

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Bokmål and nynorsk: lowercase, Snowball Norwegian, then [`NORWEGIAN_SUFFIXES`].
pub const NO_MAIN: &str = "no_main";
/// English: lowercase and Snowball English.
pub const EN_MAIN: &str = "en_main";
/// Any language, index side: the words written with letters beyond ASCII (`utgått`), lowercased,
/// ASCII-folded, Norwegian-stemmed and [`NORWEGIAN_SUFFIXES`]-stripped. Queries use [`fold`] on it.
pub const FOLD: &str = "no_fold";
/// Bokmål and nynorsk, index side only: the trailing and leading parts of each Snowball stem,
/// each normalised like a word of its own by [`NO_MAIN`].
pub const COMPOUND: &str = "no_compound";

/// Any language: lowercased words as written, for spelling suggestions.
pub const SPELL: &str = "spell";

/// Tokens longer than this (in bytes) are dropped: they are hashes, URLs and base64.
const MAX_TOKEN_LEN: usize = 40;
/// A stem must keep at least this many characters when [`NORWEGIAN_SUFFIXES`] strips it.
const MIN_STEM_CHARS: usize = 5;
/// The shortest leading part a compound may have (`ny-`, `sms-`).
pub const MIN_COMPOUND_HEAD: usize = 3;
/// The shortest trailing part of a compound that is indexed (`data` in `metadata`).
pub const MIN_COMPOUND_TAIL: usize = 4;

/// Registers every analyzer this crate uses on `index`.
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(NO_MAIN, no_main());
    manager.register(EN_MAIN, en_main());
    manager.register(FOLD, fold_index());
    manager.register(COMPOUND, compound());
    manager.register(SPELL, spell());
}

/// The spelling analyzer: words lowercased, nothing else (digits-only words dropped).
pub fn spell() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(HAS_LETTER)
        .build()
}

/// Drops tokens without a letter (numbers are no spelling).
pub const HAS_LETTER: TokenFn = TokenFn(|token| token.text.chars().any(char::is_alphabetic));

/// The main Norwegian analyzer.
pub fn no_main() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Norwegian))
        .filter(NORWEGIAN_SUFFIXES)
        .build()
}

/// The main English analyzer.
pub fn en_main() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// An ASCII-folded analyzer stemming for `language`; Norwegian also gets [`NORWEGIAN_SUFFIXES`].
/// The Norwegian one feeds the folded field; both are used to find words to highlight.
pub fn fold(language: Language) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(language));
    if language == Language::Norwegian {
        builder.filter(NORWEGIAN_SUFFIXES).build()
    } else {
        builder.build()
    }
}

/// The analyzer of the folded field. Only words that folding changes are indexed: a query for
/// an ASCII word already finds its ASCII spelling in the main fields, so this field only has to
/// add the spellings with æ, ø, å (and other letters beyond ASCII). That keeps its posting lists
/// short, and a search does not walk the same documents twice.
pub fn fold_index() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(BEYOND_ASCII)
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::Norwegian))
        .filter(NORWEGIAN_SUFFIXES)
        .build()
}

/// Lowercased and ASCII-folded, not stemmed: for `prefix*` on the folded field
/// and for highlighting prefixes.
pub fn fold_plain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The compound analyzer (index side; queries use [`no_main`] on this field).
pub fn compound() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Norwegian))
        // Tails before suffix stripping: a tail must be stripped like the same
        // word standing alone, and stripping depends on length.
        .filter(CompoundTails)
        .filter(NORWEGIAN_SUFFIXES)
        .build()
}

/// Runs `analyzer` over `text` and returns the token texts.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// A token filter made of a function that may change a token and says whether to keep it.
#[derive(Clone, Copy)]
pub struct TokenFn(fn(&mut Token) -> bool);

/// Strips one inflectional suffix that Snowball Norwegian leaves behind, so
/// that the forms of a noun meet: `veileder`/`veilederen`/`veiledere`/`veilederne`
/// (Snowball: `veiled`, `veileder`, `veileder`, `veiledern`) all become `veiled`,
/// and nynorsk `rettleiar`/`rettleiaren`/`rettleiarar` become `rettlei`.
pub const NORWEGIAN_SUFFIXES: TokenFn = TokenFn(|token| {
    if let Some(rest) = strip_norwegian_suffix(&token.text) {
        let len = rest.len();
        token.text.truncate(len);
    }
    true
});

/// Drops every token that is plain ASCII.
pub const BEYOND_ASCII: TokenFn = TokenFn(|token| !token.text.is_ascii());

/// Longest first: the first that fits (leaving [`MIN_STEM_CHARS`]) is stripped.
const EXTRA_SUFFIXES: &[&str] = &["arne", "erne", "ane", "ene", "ern", "arn", "ar", "er", "en"];

/// Applies [`NORWEGIAN_SUFFIXES`] to one stem.
pub fn strip_norwegian_suffix(stem: &str) -> Option<&str> {
    let chars = stem.chars().count();
    EXTRA_SUFFIXES.iter().find_map(|suffix| {
        let rest = stem.strip_suffix(suffix)?;
        (chars - suffix.len() >= MIN_STEM_CHARS).then_some(rest)
    })
}

impl TokenFilter for TokenFn {
    type Tokenizer<T: Tokenizer> = TokenFnFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        TokenFnFilter {
            inner: tokenizer,
            apply: self.0,
        }
    }
}

/// The [`Tokenizer`] made by a [`TokenFn`].
#[derive(Clone)]
pub struct TokenFnFilter<T> {
    inner: T,
    apply: fn(&mut Token) -> bool,
}

impl<T: Tokenizer> Tokenizer for TokenFnFilter<T> {
    type TokenStream<'a> = TokenFnStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        TokenFnStream {
            tail: self.inner.token_stream(text),
            apply: self.apply,
        }
    }
}

/// The [`TokenStream`] made by [`TokenFnFilter`].
pub struct TokenFnStream<T> {
    tail: T,
    apply: fn(&mut Token) -> bool,
}

impl<T: TokenStream> TokenStream for TokenFnStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if (self.apply)(self.tail.token_mut()) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Replaces each stem by its parts: every suffix of at least [`MIN_COMPOUND_TAIL`] characters
/// that leaves a head of at least [`MIN_COMPOUND_HEAD`] (`tilgangsstyring` gives
/// `gangsstyring`, ..., `styring`, `tyring`, `yring`), and every prefix of at least
/// [`MIN_COMPOUND_TAIL`] characters that leaves at least [`MIN_COMPOUND_HEAD`] (`risikostyring`
/// gives `risi`, `risik`, `risiko`, ..., `risikosty`). No dictionary: the extra terms that are
/// not words are never asked for, and the field is boosted low.
#[derive(Clone, Copy, Debug, Default)]
pub struct CompoundTails;

/// The byte ranges of `stem` that may be a compound's tail or head, tails first.
pub fn compound_parts(stem: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let n = stem.chars().count();
    let tails = stem
        .char_indices()
        .enumerate()
        .filter(move |(i, _)| *i >= MIN_COMPOUND_HEAD && n - i >= MIN_COMPOUND_TAIL)
        .map(|(_, (byte, _))| (byte, stem.len()));
    let heads = stem
        .char_indices()
        .enumerate()
        .filter(move |(i, _)| *i >= MIN_COMPOUND_TAIL && n - i >= MIN_COMPOUND_HEAD)
        .map(|(_, (byte, _))| (0, byte));
    tails.chain(heads)
}

impl TokenFilter for CompoundTails {
    type Tokenizer<T: Tokenizer> = CompoundTailsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        CompoundTailsFilter { inner: tokenizer }
    }
}

/// The [`Tokenizer`] made by [`CompoundTails`].
#[derive(Clone)]
pub struct CompoundTailsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CompoundTailsFilter<T> {
    type TokenStream<'a> = CompoundTailsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundTailsStream {
            tail: self.inner.token_stream(text),
            token: Token::default(),
            stem: String::new(),
            parts: Vec::new(),
            next: 0,
        }
    }
}

/// The [`TokenStream`] made by [`CompoundTailsFilter`].
pub struct CompoundTailsStream<T> {
    tail: T,
    token: Token,
    stem: String,
    parts: Vec<(usize, usize)>,
    next: usize,
}

impl<T: TokenStream> TokenStream for CompoundTailsStream<T> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(&(start, end)) = self.parts.get(self.next) {
                self.next += 1;
                self.token.text.clear();
                self.token.text.push_str(&self.stem[start..end]);
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token();
            self.stem.clear();
            self.stem.push_str(&token.text);
            self.parts.clear();
            self.parts.extend(compound_parts(&self.stem));
            self.next = 0;
            self.token.offset_from = token.offset_from;
            self.token.offset_to = token.offset_to;
            self.token.position = token.position;
            self.token.position_length = token.position_length;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(analyzer: &mut TextAnalyzer, word: &str) -> String {
        let tokens = analyze(analyzer, word);
        assert_eq!(tokens.len(), 1, "{word}: {tokens:?}");
        tokens.into_iter().next().unwrap()
    }

    fn assert_same(analyzer: &mut TextAnalyzer, words: &[&str]) {
        let stems: Vec<String> = words.iter().map(|w| one(analyzer, w)).collect();
        assert!(stems.windows(2).all(|w| w[0] == w[1]), "{words:?} -> {stems:?}");
    }

    #[test]
    fn bokmal_inflections_meet() {
        let mut a = no_main();
        assert_same(&mut a, &["veileder", "veilederen", "veiledere", "veilederne"]);
        assert_same(&mut a, &["tjenesteeier", "tjenesteeieren", "tjenesteeiere"]);
        assert_same(&mut a, &["integrasjon", "integrasjonen", "integrasjoner"]);
        assert_same(
            &mut a,
            &["personopplysninger", "personopplysningene", "personopplysning"],
        );
        assert_same(&mut a, &["faktaark", "faktaarket", "faktaarkene"]);
        assert_same(&mut a, &["virksomhet", "virksomheten", "virksomheter"]);
        assert_same(&mut a, &["utgått", "utgåtte"]);
    }

    #[test]
    fn nynorsk_inflections_meet() {
        let mut a = no_main();
        assert_same(&mut a, &["rettleiar", "rettleiaren", "rettleiarar"]);
        assert_same(&mut a, &["verksemd", "verksemda", "verksemder"]);
        assert_same(&mut a, &["opplysningane", "opplysningar", "opplysning"]);
    }

    #[test]
    fn short_words_are_not_overstemmed() {
        let mut a = no_main();
        // A stem keeps five letters: "sikkerhet" stays "sikker", not "sikk".
        assert_eq!(one(&mut a, "sikkerhet"), "sikker");
        assert_eq!(one(&mut a, "får"), "får");
    }

    #[test]
    fn english_stems() {
        let mut a = en_main();
        assert_same(&mut a, &["token", "tokens"]);
        assert_same(&mut a, &["integration", "integrations"]);
        assert_same(&mut a, &["authenticate", "authenticated", "authenticating"]);
    }

    #[test]
    fn folding_drops_diacritics_only_in_fold() {
        let mut f = fold(Language::Norwegian);
        assert_eq!(one(&mut f, "håndtering"), one(&mut f, "handtering"));
        assert_eq!(one(&mut f, "utgått"), one(&mut f, "utgatt"));
        assert_eq!(one(&mut f, "Søknad"), one(&mut f, "soknad"));
        let mut a = no_main();
        assert_ne!(one(&mut a, "får"), one(&mut a, "far"));
    }

    #[test]
    fn the_folded_field_keeps_only_words_beyond_ascii() {
        let mut index_side = fold_index();
        let mut query_side = fold(Language::Norwegian);
        assert_eq!(
            analyze(&mut index_side, "Håndtering av utgåtte faktaark"),
            vec![one(&mut query_side, "handtering"), one(&mut query_side, "utgatt")]
        );
        assert!(analyze(&mut index_side, "logging og tilgangsstyring").is_empty());
    }

    #[test]
    fn compound_tails_contain_the_head_word() {
        let mut c = compound();
        let tails = analyze(&mut c, "informasjonssikkerhet");
        let mut a = no_main();
        assert!(tails.contains(&one(&mut a, "sikkerhet")), "{tails:?}");
        let tails = analyze(&mut c, "tilgangsstyringen");
        assert!(tails.contains(&one(&mut a, "styring")), "{tails:?}");
        assert!(tails.iter().all(|t| t.chars().count() >= MIN_COMPOUND_TAIL));
        // Short words give nothing: they live in the main field.
        assert!(analyze(&mut c, "data og lov").is_empty());
        let tails = analyze(&mut c, "sikkerhetsbruddene");
        assert!(tails.contains(&one(&mut a, "brudd")), "{tails:?}");
    }

    #[test]
    fn compound_parts_contain_the_head_word() {
        let mut c = compound();
        let mut a = no_main();
        let parts = analyze(&mut c, "risikostyring");
        assert!(parts.contains(&one(&mut a, "risiko")), "{parts:?}");
        let parts = analyze(&mut c, "Risikovurdering");
        assert!(parts.contains(&one(&mut a, "risiko")), "{parts:?}");
        let parts = analyze(&mut c, "samhandlingsarkitektur");
        assert!(parts.contains(&one(&mut a, "samhandling")), "{parts:?}");
        assert!(
            parts.iter().all(|t| t.chars().count() >= MIN_COMPOUND_TAIL),
            "{parts:?}"
        );
        // The whole word is the main field's, and a head leaves a part of its own.
        assert!(!parts.contains(&one(&mut a, "samhandlingsarkitektur")), "{parts:?}");
        assert!(!analyze(&mut c, "risikoen").contains(&"risikoe".to_string()));
    }
}
