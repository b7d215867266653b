//! Comparing versions for reviewers, translators and readers: two versions of a document, a
//! translation's source against the current source, and a withdrawn document against its
//! successor. The diff itself is `crate::diff`; this module finds the versions.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use sha2::Digest;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::diff::{self, CompareOptions, Comparison};
use crate::domain::{DocumentStatus, Language, RelationKind};
use crate::entities::relation;
use crate::error::{AppError, AppResult};
use crate::services::documents::{self, DocumentRecord, VersionFull, VersionPick};

/// One side of a comparison.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionSide {
    pub document_id: i32,
    pub label: String,
    pub language: Language,
    pub title: String,
    pub published_on: Option<NaiveDate>,
    pub url: String,
}

/// A comparison with the versions it compares.
#[derive(Debug, Clone, Serialize)]
pub struct VersionComparison {
    pub from: VersionSide,
    pub to: VersionSide,
    #[serde(flatten)]
    pub comparison: Comparison,
}

/// The two bodies and their sides, before diffing.
pub struct Pair {
    pub from: (VersionSide, String),
    pub to: (VersionSide, String),
}

fn side(doc: &DocumentRecord, v: VersionFull) -> (VersionSide, String) {
    let label = v.info.label.clone().unwrap_or_else(|| VersionPick::Draft.to_string());
    (
        VersionSide {
            document_id: doc.id,
            url: format!("{}/versjon/{label}", doc.url()),
            label,
            language: v.info.language,
            title: v.info.title,
            published_on: v.info.published_on,
        },
        v.body,
    )
}

/// The newest (or, with `oldest`, the first) published version of a document in a language.
async fn newest(
    db: &impl ConnectionTrait,
    doc: &DocumentRecord,
    language: Language,
    oldest: bool,
) -> AppResult<VersionFull> {
    let versions = documents::list_versions(db, doc, Some(language), false).await?;
    let pick = if oldest { versions.first() } else { versions.last() };
    let label = pick
        .and_then(|v| v.label.as_deref())
        .and_then(|l| l.parse().ok())
        .ok_or_else(|| AppError::not_found(format!("a published {language} version of document {}", doc.id)))?;
    documents::get_picked_version(db, doc, VersionPick::Published(label), Some(language), false).await
}

/// Two versions of one document in one language: published ones, or for staff (`drafts`)
/// also the open draft. The one way every compare view and diff picks its versions.
pub async fn version_pair(
    db: &impl ConnectionTrait,
    doc: &DocumentRecord,
    from: VersionPick,
    to: VersionPick,
    language: Option<Language>,
    drafts: bool,
) -> AppResult<Pair> {
    let from = documents::get_picked_version(db, doc, from, language, drafts).await?;
    let to = documents::get_picked_version(db, doc, to, language, drafts).await?;
    Ok(Pair {
        from: side(doc, from),
        to: side(doc, to),
    })
}

/// The source version a translation was made from, against the newest source version.
pub async fn translation_source_pair(
    db: &impl ConnectionTrait,
    doc: &DocumentRecord,
    language: Language,
) -> AppResult<Pair> {
    if language == doc.language {
        return Err(AppError::Invalid(format!(
            "{language} is the document's own language; name the language of a translation"
        )));
    }
    let translation = newest(db, doc, language, false).await?;
    let source = translation
        .info
        .source
        .ok_or_else(|| AppError::Invalid(format!("the {language} version does not record its source version")))?;
    let source_label = source
        .label
        .parse()
        .map_err(|_| AppError::not_found(format!("source version {} of document {}", source.label, doc.id)))?;
    let source = documents::get_picked_version(
        db,
        doc,
        VersionPick::Published(source_label),
        Some(source.language),
        false,
    )
    .await?;
    let current = newest(db, doc, doc.language, false).await?;
    Ok(Pair {
        from: side(doc, source),
        to: side(doc, current),
    })
}

/// A withdrawn document's last version against the first version of a successor (the first
/// successor unless one is named).
pub async fn successor_pair(
    db: &impl ConnectionTrait,
    doc: &DocumentRecord,
    successor: Option<i32>,
    drafts: bool,
) -> AppResult<Pair> {
    if doc.status != DocumentStatus::Withdrawn {
        return Err(AppError::Conflict(format!(
            "document {} is not withdrawn, so it has no successor",
            doc.id
        )));
    }
    let links = relation::Entity::find()
        .filter(relation::Column::FromDocumentId.eq(doc.id))
        .filter(relation::Column::Kind.is_in(RelationKind::SUCCESSORS.iter().copied()))
        .order_by_asc(relation::Column::Id)
        .all(db)
        .await?;
    // Only successors the caller may see count: a draft successor is not named, not even by id.
    let mut visible = Vec::new();
    for link in &links {
        match documents::find_visible(db, link.to_document_id, drafts).await {
            Ok(d) => visible.push(d),
            Err(AppError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let succ = match successor {
        Some(s) => visible
            .into_iter()
            .find(|d| d.id == s)
            .ok_or_else(|| AppError::not_found(format!("document {s} as a successor of document {}", doc.id)))?,
        None => visible
            .into_iter()
            .next()
            .ok_or_else(|| AppError::not_found(format!("a successor of document {}", doc.id)))?,
    };
    let last = newest(db, doc, doc.language, false).await?;
    // A successor that staff see before it is published starts with its draft.
    let first = match newest(db, &succ, succ.language, true).await {
        Err(AppError::NotFound(_)) if drafts && !succ.status.is_public() => {
            documents::get_picked_version(db, &succ, VersionPick::Draft, Some(succ.language), true).await?
        }
        other => other?,
    };
    Ok(Pair {
        from: side(doc, last),
        to: side(&succ, first),
    })
}

/// Diffs a pair off the async runtime (a 1 MB pair takes tens of milliseconds), with the
/// output bounded (`diff::OUTPUT_LIMITS`). A comparison is a pure function of the two texts and
/// the options, so one already made is served again from [`MADE`].
pub async fn run(pair: Pair, opts: CompareOptions) -> AppResult<VersionComparison> {
    let Pair { from, to } = pair;
    let comparison = tokio::task::spawn_blocking(move || {
        let c = compare_once(&from.1, &to.1, &opts);
        (from.0, to.0, c)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("compare task failed: {e}")))?;
    Ok(VersionComparison {
        from: comparison.0,
        to: comparison.1,
        comparison: comparison.2,
    })
}

/// Texts up to this size have their comparisons kept; larger pairs are rare and their output
/// large, so they are diffed each time.
const KEPT_TEXT_BYTES: usize = 256 * 1024;
/// How many comparisons are kept (oldest out first): with the texts' bound and the output
/// limits, a few tens of megabytes at most.
const KEPT_COMPARISONS: usize = 64;

/// The two texts' SHA-256 and the options that change the result.
type MadeKey = ([u8; 32], [u8; 32], bool, bool, bool);

/// Comparisons already made, keyed by the texts themselves (their hashes), so a kept one is
/// only ever found by the same two texts: a draft edited since is a new key.
static MADE: LazyLock<Mutex<Memo<MadeKey, Arc<Comparison>>>> =
    LazyLock::new(|| Mutex::new(Memo::new(KEPT_COMPARISONS)));

fn compare_once(from: &str, to: &str, opts: &CompareOptions) -> Comparison {
    if from.len() > KEPT_TEXT_BYTES || to.len() > KEPT_TEXT_BYTES {
        return diff::compare_bounded(from, to, opts);
    }
    let digest = |t: &str| -> [u8; 32] { sha2::Sha256::digest(t.as_bytes()).into() };
    let key = (
        digest(from),
        digest(to),
        opts.ignore_whitespace,
        opts.ignore_punctuation,
        opts.ignore_case,
    );
    let made = || MADE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(c) = made().get(&key) {
        return (*c).clone();
    }
    let c = diff::compare_bounded(from, to, opts);
    // One cut short by its time budget depends on the moment: not kept.
    if !c.degraded {
        made().insert(key, Arc::new(c.clone()));
    }
    c
}

/// A map of at most `capacity` entries that drops the oldest first.
struct Memo<K, V> {
    map: HashMap<K, V>,
    order: VecDeque<K>,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V: Clone> Memo<K, V> {
    fn new(capacity: usize) -> Self {
        Memo {
            map: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    fn get(&self, key: &K) -> Option<V> {
        self.map.get(key).cloned()
    }

    fn insert(&mut self, key: K, value: V) {
        if self.map.contains_key(&key) {
            return;
        }
        if self.map.len() == self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.map.remove(&oldest);
        }
        self.order.push_back(key.clone());
        self.map.insert(key, value);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.map.len()
    }
}

/// A unified diff of a pair, for download.
pub async fn unified(pair: Pair) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let from_label = format!("{} {} ({})", pair.from.0.title, pair.from.0.label, pair.from.0.language);
        let to_label = format!("{} {} ({})", pair.to.0.title, pair.to.0.label, pair.to.0.language);
        diff::unified_diff(&pair.from.1, &pair.to.1, &from_label, &to_label)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("diff task failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_keeps_at_most_its_capacity_and_drops_the_oldest() {
        let mut memo = Memo::new(3);
        for k in 0..5 {
            memo.insert(k, k * 10);
        }
        assert_eq!(memo.len(), 3);
        assert_eq!(memo.get(&0), None);
        assert_eq!(memo.get(&1), None);
        assert_eq!(memo.get(&4), Some(40));
        memo.insert(4, 99);
        assert_eq!(memo.get(&4), Some(40), "a key already kept keeps its value");
    }

    #[test]
    fn a_kept_comparison_is_found_only_by_the_same_texts_and_options() {
        let opts = CompareOptions::default();
        let a = "# Tilgang\n\nFørste tekst om tilgang.\n";
        let b = "# Tilgang\n\nAndre tekst om tilgang.\n";
        let first = compare_once(a, b, &opts);
        let again = compare_once(a, b, &opts);
        assert_eq!(
            serde_json::to_value(&first).unwrap(),
            serde_json::to_value(&again).unwrap()
        );
        let same = compare_once(a, a, &opts);
        assert_ne!(
            serde_json::to_value(&first).unwrap(),
            serde_json::to_value(&same).unwrap(),
            "other texts, another comparison"
        );
        let ignoring = CompareOptions {
            ignore_case: true,
            ..CompareOptions::default()
        };
        let upper = "# TILGANG\n\nFørste tekst om tilgang.\n";
        assert_ne!(
            serde_json::to_value(compare_once(a, upper, &opts)).unwrap(),
            serde_json::to_value(compare_once(a, upper, &ignoring)).unwrap(),
            "the options are part of the key"
        );
    }
}
