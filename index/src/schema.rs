//! The tantivy schema: which field holds what, and how an [`IndexedDocument`]
//! becomes a tantivy document.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::{FAST, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};

use crate::tokenizer::{COMPOUND, EN_MAIN, FOLD, NO_MAIN, SPELL};
use crate::{IndexedDocument, SuccessorRef, text};

/// Bump when fields or analyzers change, or when what is projected into them changes: an
/// index with another version is rebuilt. 3: indexes written before could hold a withdrawn
/// document's successor list as of its withdrawal, missing successors published later.
/// 4: the compound field also holds the leading parts of long words (`risiko` in
/// `risikostyring`), and the spelling field is new.
pub const SCHEMA_VERSION: u32 = 4;

/// Handles to every field.
#[derive(Clone, Debug)]
pub struct Fields {
    pub document_id: tantivy::schema::Field,
    pub kind: tantivy::schema::Field,
    pub language: tantivy::schema::Field,
    pub status: tantivy::schema::Field,
    pub number: tantivy::schema::Field,
    pub normen_version: tantivy::schema::Field,
    /// Days since 0001-01-01 (fast, for sorting by date).
    pub published: tantivy::schema::Field,
    /// Lowercased title (fast, for listing by title).
    pub title_sort: tantivy::schema::Field,
    /// Kind, language and status in one value (fast): the collector counts facets and spots
    /// withdrawn entries with one column read per match instead of three.
    pub facet_key: tantivy::schema::Field,
    pub title_no: tantivy::schema::Field,
    pub title_en: tantivy::schema::Field,
    /// Title, summary and body of nb/nn entries.
    pub body_no: tantivy::schema::Field,
    /// Title, summary and body of en entries.
    pub body_en: tantivy::schema::Field,
    /// Everything, ASCII-folded.
    pub fold: tantivy::schema::Field,
    /// Trailing and leading parts of long nb/nn words.
    pub compound: tantivy::schema::Field,
    /// Every word as written (lowercased, not stemmed), of every language: the spellings the
    /// index knows, for "Mente du …".
    pub spell: tantivy::schema::Field,
    /// [`StoredMeta`] as JSON.
    pub meta: tantivy::schema::Field,
    /// Plain text of summary and body, for snippets.
    pub plain: tantivy::schema::Field,
}

/// Field names that the collector reads as fast columns.
pub const FACET_KEY: &str = "facet_key";
pub const PUBLISHED: &str = "published";
pub const TITLE_SORT: &str = "title_sort";
pub const DOCUMENT_ID: &str = "document_id";
/// The status of withdrawn entries (hidden from searches by default).
pub const WITHDRAWN: &str = "withdrawn";

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let keyword = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic),
    );
    let text = |tokenizer: &str, option: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(option),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let fields = Fields {
        document_id: b.add_i64_field(DOCUMENT_ID, INDEXED | FAST),
        kind: b.add_text_field("kind", keyword.clone()),
        language: b.add_text_field("language", keyword.clone()),
        status: b.add_text_field("status", keyword.clone()),
        number: b.add_text_field("number", keyword.clone()),
        normen_version: b.add_text_field("normen_version", keyword),
        published: b.add_i64_field(PUBLISHED, FAST),
        title_sort: b.add_text_field(TITLE_SORT, TextOptions::default().set_fast("raw")),
        facet_key: b.add_text_field(FACET_KEY, TextOptions::default().set_fast("raw")),
        title_no: b.add_text_field("title_no", text(NO_MAIN, positions)),
        title_en: b.add_text_field("title_en", text(EN_MAIN, positions)),
        body_no: b.add_text_field("body_no", text(NO_MAIN, positions)),
        body_en: b.add_text_field("body_en", text(EN_MAIN, positions)),
        fold: b.add_text_field("fold", text(FOLD, IndexRecordOption::WithFreqs)),
        compound: b.add_text_field("compound", text(COMPOUND, IndexRecordOption::WithFreqs)),
        spell: b.add_text_field("spell", text(SPELL, IndexRecordOption::Basic)),
        meta: b.add_text_field("meta", STORED),
        plain: b.add_text_field("plain", STORED),
    };
    (b.build(), fields)
}

/// Separates the parts of a facet key; never part of a kind, language or status.
const FACET_KEY_SEPARATOR: char = '\u{1f}';

/// The [`Fields::facet_key`] value of an entry.
pub fn facet_key(kind: &str, language: &str, status: &str) -> String {
    [kind, language, status].join(&FACET_KEY_SEPARATOR.to_string())
}

/// The (kind, language, status) of a facet key.
pub fn split_facet_key(key: &str) -> Option<(&str, &str, &str)> {
    let mut parts = key.split(FACET_KEY_SEPARATOR);
    let out = (parts.next()?, parts.next()?, parts.next()?);
    parts.next().is_none().then_some(out)
}

/// Whether `language` is analysed as English (everything else as Norwegian).
pub fn is_english(language: &str) -> bool {
    language == "en"
}

/// What a hit needs besides its snippet; stored as JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredMeta {
    pub document_id: i64,
    pub external_id: Option<String>,
    pub kind: String,
    pub number: Option<String>,
    pub language: String,
    pub status: String,
    pub version_label: String,
    pub title: String,
    pub url: String,
    pub published_on: Option<chrono::NaiveDate>,
    pub withdrawn_on: Option<chrono::NaiveDate>,
    pub successors: Vec<SuccessorRef>,
}

/// Normalises a fact-sheet number for exact matching: trimmed and lowercased,
/// leading zeros kept (`"01"` is not `"1"`).
pub fn normalize_number(number: &str) -> String {
    number.trim().to_lowercase()
}

/// Converts an entry to a tantivy document.
pub fn to_document(fields: &Fields, entry: IndexedDocument) -> Result<TantivyDocument, String> {
    let plain_body = text::markdown_to_text(&entry.body_markdown);
    let summary = text::markdown_to_text(&entry.summary);
    let mut plain = String::with_capacity(summary.len() + plain_body.len() + 1);
    plain.push_str(&summary);
    if !summary.is_empty() && !plain_body.is_empty() {
        plain.push('\n');
    }
    plain.push_str(&plain_body);

    let mut doc = TantivyDocument::default();
    doc.add_i64(fields.document_id, entry.document_id);
    doc.add_text(fields.kind, &entry.kind);
    doc.add_text(fields.language, &entry.language);
    doc.add_text(fields.status, &entry.status);
    doc.add_text(fields.facet_key, facet_key(&entry.kind, &entry.language, &entry.status));
    if let Some(number) = &entry.number {
        doc.add_text(fields.number, normalize_number(number));
    }
    if let Some(version) = &entry.normen_version {
        doc.add_text(fields.normen_version, version);
    }
    if let Some(date) = entry.published_on {
        doc.add_i64(fields.published, days(date));
    }
    doc.add_text(fields.title_sort, entry.title.to_lowercase());
    let (title_field, body_field) = if is_english(&entry.language) {
        (fields.title_en, fields.body_en)
    } else {
        (fields.title_no, fields.body_no)
    };
    doc.add_text(title_field, &entry.title);
    for value in [&entry.title, &plain] {
        doc.add_text(body_field, value);
        doc.add_text(fields.spell, value);
        doc.add_text(fields.fold, value);
        if !is_english(&entry.language) {
            doc.add_text(fields.compound, value);
        }
    }
    let meta = StoredMeta {
        document_id: entry.document_id,
        external_id: entry.external_id,
        kind: entry.kind,
        number: entry.number,
        language: entry.language,
        status: entry.status,
        version_label: entry.version_label,
        title: entry.title,
        url: entry.url,
        published_on: entry.published_on,
        withdrawn_on: entry.withdrawn_on,
        successors: entry.successors,
    };
    let meta = serde_json::to_string(&meta).map_err(|e| e.to_string())?;
    doc.add_text(fields.meta, meta);
    doc.add_text(fields.plain, plain);
    Ok(doc)
}

/// The value stored in the `published` fast field.
pub fn days(date: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(date.num_days_from_ce())
}
