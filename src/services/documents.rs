//! Reading the registry: documents, their current versions, translations, withdrawals and
//! version histories, with drafts shown only to staff.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{self, ChangeKind, DocumentKind, DocumentStatus, Language, VersionLabel};
use crate::entities::{decision, document, relation, version, withdrawal};
use crate::error::{AppError, AppResult};

/// A version's place in a list: everything but the body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionInfo {
    pub id: i32,
    /// "1.0"; null for a draft.
    pub label: Option<String>,
    pub language: String,
    /// `draft` or `published`.
    pub state: String,
    pub title: String,
    pub summary: String,
    pub change_note: String,
    pub change_kind: Option<String>,
    pub published_on: Option<NaiveDate>,
    /// The approving steering-group decision, e.g. "25/25".
    pub decision: Option<String>,
    /// For a translation: the source version it translates.
    pub source: Option<SourceRef>,
    pub content_hash: String,
}

/// The source version a translation is pinned to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceRef {
    pub language: String,
    pub label: String,
}

/// A version with its Markdown body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionFull {
    #[serde(flatten)]
    pub info: VersionInfo,
    pub document_id: i32,
    pub body: String,
}

/// Label and date of a document's current version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurrentVersion {
    pub label: String,
    pub published_on: Option<NaiveDate>,
    pub change_kind: Option<String>,
}

/// A document as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentSummary {
    pub id: i32,
    pub kind: String,
    pub number: Option<String>,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub language: String,
    pub external_id: Option<String>,
    pub normen_version: Option<String>,
    pub current_version: Option<CurrentVersion>,
    /// The public page.
    pub url: String,
}

/// A decision as other records refer to it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionRef {
    pub case_number: String,
    pub meeting_date: NaiveDate,
    pub title: String,
}

/// A document another one points to (successor, relation).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentRef {
    pub id: i32,
    pub kind: String,
    pub number: Option<String>,
    pub title: String,
    pub status: String,
    pub url: String,
}

/// Why and when a document was withdrawn ("utgått"), and what replaces it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WithdrawalView {
    pub withdrawn_on: NaiveDate,
    pub reason: String,
    pub decision: Option<DecisionRef>,
    pub successors: Vec<DocumentRef>,
}

/// The latest published translation in one language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TranslationView {
    pub language: String,
    pub label: String,
    pub title: String,
    pub published_on: Option<NaiveDate>,
    /// The label of the source version it translates.
    pub source_label: String,
    /// True when a substantive source version was published after `source_label`.
    pub outdated: bool,
}

/// A typed link to another document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelationView {
    pub kind: String,
    /// `outgoing` (this document → other) or `incoming`.
    pub direction: String,
    pub document: DocumentRef,
}

/// A whole document as its page and the API show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentView {
    #[serde(flatten)]
    pub summary: DocumentSummary,
    /// Date of the last substantive change in the primary language ("siste faglige endring").
    pub last_substantive_change: Option<NaiveDate>,
    pub withdrawal: Option<WithdrawalView>,
    pub translations: Vec<TranslationView>,
    pub relations: Vec<RelationView>,
    /// Languages with an open draft (staff only; empty for the public).
    pub drafts: Vec<String>,
    /// The value to send in `If-Match` when changing this document.
    pub etag: String,
}

/// Filters of the document list.
#[derive(Debug, Default, Clone)]
pub struct DocumentFilter {
    pub kind: Option<DocumentKind>,
    pub status: Option<DocumentStatus>,
    pub language: Option<Language>,
    pub external_id: Option<String>,
    pub number: Option<String>,
    pub limit: u64,
    pub offset: u64,
}

/// Version columns without the body, for lists and for working out current versions.
#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct VersionMeta {
    pub id: i32,
    pub document_id: i32,
    pub language: String,
    pub state: String,
    pub label: Option<String>,
    pub label_major: Option<i32>,
    pub label_minor: Option<i32>,
    pub title: String,
    pub summary: String,
    pub change_note: String,
    pub change_kind: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub decision_id: Option<i32>,
    pub source_version_id: Option<i32>,
    pub content_hash: String,
}

impl VersionMeta {
    fn is_published(&self) -> bool {
        self.state == "published"
    }

    pub(crate) fn label_value(&self) -> Option<VersionLabel> {
        Some(VersionLabel {
            major: u32::try_from(self.label_major?).ok()?,
            minor: u32::try_from(self.label_minor?).ok()?,
        })
    }
}

/// Returns the ETag of a document at a revision.
pub fn etag(document_id: i32, revision: i32) -> String {
    format!("\"{document_id}.{revision}\"")
}

/// Loads the metadata of all versions of the given documents (published only unless `drafts`),
/// ordered by language and label.
pub(crate) async fn version_metas(
    db: &impl ConnectionTrait,
    document_ids: &[i32],
    drafts: bool,
) -> AppResult<Vec<VersionMeta>> {
    if document_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = version::Entity::find()
        .select_only()
        .columns([
            version::Column::Id,
            version::Column::DocumentId,
            version::Column::Language,
            version::Column::State,
            version::Column::Label,
            version::Column::LabelMajor,
            version::Column::LabelMinor,
            version::Column::Title,
            version::Column::Summary,
            version::Column::ChangeNote,
            version::Column::ChangeKind,
            version::Column::PublishedOn,
            version::Column::DecisionId,
            version::Column::SourceVersionId,
            version::Column::ContentHash,
        ])
        .filter(version::Column::DocumentId.is_in(document_ids.iter().copied()));
    if !drafts {
        q = q.filter(version::Column::State.eq("published"));
    }
    let mut rows: Vec<VersionMeta> = q.into_model::<VersionMeta>().all(db).await?;
    rows.sort_by_key(|v| {
        (
            v.document_id,
            v.language.clone(),
            v.label_value().is_none(),
            v.label_value(),
        )
    });
    Ok(rows)
}

/// The latest published version of a document in a language.
pub(crate) fn latest_published<'a>(
    metas: &'a [VersionMeta],
    document_id: i32,
    language: &str,
) -> Option<&'a VersionMeta> {
    metas
        .iter()
        .filter(|v| v.document_id == document_id && v.language == language && v.is_published())
        .max_by_key(|v| v.label_value())
}

fn summary_of(doc: &document::Model, metas: &[VersionMeta]) -> AppResult<DocumentSummary> {
    let current = latest_published(metas, doc.id, &doc.language);
    let title = current
        .map(|v| v.title.clone())
        .or_else(|| {
            metas
                .iter()
                .find(|v| v.document_id == doc.id && v.language == doc.language)
                .map(|v| v.title.clone())
        })
        .unwrap_or_default();
    Ok(DocumentSummary {
        id: doc.id,
        kind: doc.kind.clone(),
        number: doc.number.clone(),
        slug: doc.slug.clone(),
        title,
        status: doc.status.clone(),
        language: doc.language.clone(),
        external_id: doc.external_id.clone(),
        normen_version: doc.normen_version.clone(),
        current_version: current.map(|v| CurrentVersion {
            label: v.label.clone().unwrap_or_default(),
            published_on: v.published_on,
            change_kind: v.change_kind.clone(),
        }),
        url: url_of(doc)?,
    })
}

/// Returns the public path of a document.
pub fn url_of(doc: &document::Model) -> AppResult<String> {
    let kind: DocumentKind = doc
        .kind
        .parse()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(domain::public_path(kind, doc.number.as_deref(), &doc.slug))
}

/// Lists documents with a total count; drafts only for staff.
pub async fn list_documents(
    db: &impl ConnectionTrait,
    filter: &DocumentFilter,
    drafts: bool,
) -> AppResult<(u64, Vec<DocumentSummary>)> {
    let mut q = document::Entity::find();
    if !drafts {
        q = q.filter(document::Column::Status.ne(DocumentStatus::Draft.as_str()));
    }
    if let Some(kind) = filter.kind {
        q = q.filter(document::Column::Kind.eq(kind.as_str()));
    }
    if let Some(status) = filter.status {
        q = q.filter(document::Column::Status.eq(status.as_str()));
    }
    if let Some(ext) = &filter.external_id {
        q = q.filter(document::Column::ExternalId.eq(ext.as_str()));
    }
    if let Some(number) = &filter.number {
        // By the normal form when the filter is a number ("037" finds "37"), else as typed.
        q = match domain::number_key(number) {
            Ok(key) => q.filter(document::Column::NumberKey.eq(key)),
            Err(_) => q.filter(document::Column::Number.eq(number.as_str())),
        };
    }
    if let Some(lang) = filter.language {
        q = q.filter(
            document::Column::Id.in_subquery(
                Query::select()
                    .column(version::Column::DocumentId)
                    .from(version::Entity)
                    .and_where(version::Column::Language.eq(lang.as_str()))
                    .and_where(version::Column::State.eq("published"))
                    .to_owned(),
            ),
        );
    }
    let total = q.clone().count(db).await?;
    let docs = q
        .order_by_asc(document::Column::Id)
        .limit(filter.limit)
        .offset(filter.offset)
        .all(db)
        .await?;
    let ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
    let metas = version_metas(db, &ids, drafts).await?;
    // A row that cannot be read is logged and left out; the rest of the list is served.
    let items = docs
        .iter()
        .filter_map(|d| match summary_of(d, &metas) {
            Ok(s) => Some(s),
            Err(e) => {
                tracing::warn!(document_id = d.id, error = %e, "document left out of the list: its row cannot be read");
                None
            }
        })
        .collect();
    Ok((total, items))
}

/// Finds a document the caller may see, or 404.
pub async fn find_visible(db: &impl ConnectionTrait, id: i32, drafts: bool) -> AppResult<document::Model> {
    match document::Entity::find_by_id(id).one(db).await? {
        Some(doc) if drafts || doc.status != DocumentStatus::Draft.as_str() => Ok(doc),
        _ => Err(AppError::not_found(format!("document {id}"))),
    }
}

/// Finds a visible document by its kind and number or slug (the public URL).
pub async fn find_by_path(
    db: &impl ConnectionTrait,
    kinds: &[DocumentKind],
    key: &str,
    drafts: bool,
) -> AppResult<document::Model> {
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    // A number resolves by its normal form ("/faktaark/037" is Faktaark 37); the number as
    // typed is the fallback for rows that predate the normal form and clash with another.
    let by_key = match domain::number_key(key) {
        Ok(k) => {
            document::Entity::find()
                .filter(document::Column::Kind.is_in(kinds.clone()))
                .filter(document::Column::NumberKey.eq(k))
                .one(db)
                .await?
        }
        Err(_) => None,
    };
    let by_number = match by_key {
        Some(d) => Some(d),
        None => {
            document::Entity::find()
                .filter(document::Column::Kind.is_in(kinds.clone()))
                .filter(document::Column::Number.eq(key))
                .one(db)
                .await?
        }
    };
    let doc = match by_number {
        Some(d) => Some(d),
        None => {
            document::Entity::find()
                .filter(document::Column::Kind.is_in(kinds))
                .filter(document::Column::Slug.eq(key))
                .one(db)
                .await?
        }
    };
    match doc {
        Some(d) if drafts || d.status != DocumentStatus::Draft.as_str() => Ok(d),
        _ => Err(AppError::not_found(format!("document {key:?}"))),
    }
}

async fn document_refs(db: &impl ConnectionTrait, ids: &[i32], drafts: bool) -> AppResult<HashMap<i32, DocumentRef>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let docs = document::Entity::find()
        .filter(document::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let docs: Vec<_> = docs
        .into_iter()
        .filter(|d| drafts || d.status != DocumentStatus::Draft.as_str())
        .collect();
    let doc_ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
    let metas = version_metas(db, &doc_ids, drafts).await?;
    let mut out = HashMap::new();
    for d in &docs {
        // A row that cannot be read is left out of the references (and logged by url_of's
        // callers elsewhere), so one bad row never breaks the page that points to it.
        let Ok(s) = summary_of(d, &metas) else {
            tracing::warn!(
                document_id = d.id,
                "document reference left out: its row cannot be read"
            );
            continue;
        };
        out.insert(
            d.id,
            DocumentRef {
                id: s.id,
                kind: s.kind,
                number: s.number,
                title: s.title,
                status: s.status,
                url: s.url,
            },
        );
    }
    Ok(out)
}

/// Returns the active withdrawal of a document, if any.
pub(crate) async fn active_withdrawal(
    db: &impl ConnectionTrait,
    document_id: i32,
) -> AppResult<Option<withdrawal::Model>> {
    Ok(withdrawal::Entity::find()
        .filter(withdrawal::Column::DocumentId.eq(document_id))
        .filter(withdrawal::Column::ReinstatedAt.is_null())
        .order_by_desc(withdrawal::Column::Id)
        .one(db)
        .await?)
}

/// Returns why, when and by what decision a withdrawn document was withdrawn, and its
/// successors; `None` unless the document is withdrawn.
pub async fn withdrawal_view(
    db: &impl ConnectionTrait,
    doc: &document::Model,
    drafts: bool,
) -> AppResult<Option<WithdrawalView>> {
    Ok(match active_withdrawal(db, doc.id).await? {
        Some(w) if doc.status == DocumentStatus::Withdrawn.as_str() => {
            let decision = match w.decision_id {
                Some(id) => decision::Entity::find_by_id(id).one(db).await?.map(decision_ref),
                None => None,
            };
            let succ_ids: Vec<i32> = relation::Entity::find()
                .filter(relation::Column::FromDocumentId.eq(doc.id))
                .filter(relation::Column::Kind.is_in(["replaced_by", "split_into", "merged_into"]))
                .order_by_asc(relation::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(|r| r.to_document_id)
                .collect();
            let refs = document_refs(db, &succ_ids, drafts).await?;
            Some(WithdrawalView {
                withdrawn_on: w.withdrawn_on,
                reason: w.reason,
                decision,
                successors: succ_ids.iter().filter_map(|id| refs.get(id).cloned()).collect(),
            })
        }
        _ => None,
    })
}

/// Builds the whole view of a document.
pub async fn document_view(db: &impl ConnectionTrait, doc: &document::Model, drafts: bool) -> AppResult<DocumentView> {
    let metas = version_metas(db, &[doc.id], drafts).await?;
    let summary = summary_of(doc, &metas)?;

    let source_history: Vec<(VersionLabel, ChangeKind)> = metas
        .iter()
        .filter(|v| v.language == doc.language && v.is_published())
        .filter_map(|v| Some((v.label_value()?, v.change_kind.as_deref()?.parse().ok()?)))
        .collect();
    let last_substantive_change = metas
        .iter()
        .filter(|v| v.language == doc.language && v.is_published())
        .filter(|v| v.change_kind.as_deref() == Some(ChangeKind::Substantive.as_str()))
        .filter_map(|v| v.published_on)
        .max();

    let mut translations = Vec::new();
    for lang in Language::ALL {
        if lang.as_str() == doc.language {
            continue;
        }
        let Some(t) = latest_published(&metas, doc.id, lang.as_str()) else {
            continue;
        };
        let source = t.source_version_id.and_then(|sid| metas.iter().find(|v| v.id == sid));
        let (source_label, outdated) = match source.and_then(|s| Some((s.label.clone()?, s.label_value()?))) {
            Some((text, label)) => (text, domain::is_translation_outdated(label, &source_history)),
            None => (String::new(), false),
        };
        translations.push(TranslationView {
            language: lang.as_str().to_string(),
            label: t.label.clone().unwrap_or_default(),
            title: t.title.clone(),
            published_on: t.published_on,
            source_label,
            outdated,
        });
    }

    let withdrawal = withdrawal_view(db, doc, drafts).await?;

    let rels = relation::Entity::find()
        .filter(
            relation::Column::FromDocumentId
                .eq(doc.id)
                .or(relation::Column::ToDocumentId.eq(doc.id)),
        )
        .order_by_asc(relation::Column::Id)
        .all(db)
        .await?;
    let other_ids: Vec<i32> = rels
        .iter()
        .map(|r| {
            if r.from_document_id == doc.id {
                r.to_document_id
            } else {
                r.from_document_id
            }
        })
        .collect();
    let refs = document_refs(db, &other_ids, drafts).await?;
    let relations = rels
        .iter()
        .filter_map(|r| {
            let outgoing = r.from_document_id == doc.id;
            let other = if outgoing { r.to_document_id } else { r.from_document_id };
            Some(RelationView {
                kind: r.kind.clone(),
                direction: if outgoing { "outgoing" } else { "incoming" }.to_string(),
                document: refs.get(&other)?.clone(),
            })
        })
        .collect();

    let drafts_open = if drafts {
        metas
            .iter()
            .filter(|v| v.state == "draft")
            .map(|v| v.language.clone())
            .collect()
    } else {
        Vec::new()
    };

    let mut view = DocumentView {
        summary,
        last_substantive_change,
        withdrawal,
        translations,
        relations,
        drafts: drafts_open,
        etag: String::new(),
    };
    // Staff get the revision, to send back in `If-Match`. The revision also counts draft
    // saves, so the public gets a validator built from what it is shown, and nothing else.
    view.etag = if drafts {
        etag(doc.id, doc.revision)
    } else {
        public_etag(&view)
    };
    Ok(view)
}

/// A validator of a public view: a digest of the view itself (whose `etag` is still empty).
fn public_etag(view: &DocumentView) -> String {
    let json = serde_json::to_vec(view).unwrap_or_default();
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&json));
    format!("\"p{}\"", &digest[..20])
}

fn decision_ref(d: decision::Model) -> DecisionRef {
    DecisionRef {
        case_number: d.case_number,
        meeting_date: d.meeting_date,
        title: d.title,
    }
}

async fn decision_numbers(db: &impl ConnectionTrait, metas: &[VersionMeta]) -> AppResult<HashMap<i32, String>> {
    let ids: Vec<i32> = metas.iter().filter_map(|v| v.decision_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(decision::Entity::find()
        .filter(decision::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.case_number))
        .collect())
}

async fn source_refs(db: &impl ConnectionTrait, metas: &[VersionMeta]) -> AppResult<HashMap<i32, SourceRef>> {
    let ids: Vec<i32> = metas.iter().filter_map(|v| v.source_version_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(version::Entity::find()
        .select_only()
        .columns([version::Column::Id, version::Column::Language, version::Column::Label])
        .filter(version::Column::Id.is_in(ids))
        .into_tuple::<(i32, String, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, language, label)| {
            (
                id,
                SourceRef {
                    language,
                    label: label.unwrap_or_default(),
                },
            )
        })
        .collect())
}

fn info_of(v: &VersionMeta, decisions: &HashMap<i32, String>, sources: &HashMap<i32, SourceRef>) -> VersionInfo {
    VersionInfo {
        id: v.id,
        label: v.label.clone(),
        language: v.language.clone(),
        state: v.state.clone(),
        title: v.title.clone(),
        summary: v.summary.clone(),
        change_note: v.change_note.clone(),
        change_kind: v.change_kind.clone(),
        published_on: v.published_on,
        decision: v.decision_id.and_then(|id| decisions.get(&id).cloned()),
        source: v.source_version_id.and_then(|id| sources.get(&id).cloned()),
        content_hash: v.content_hash.clone(),
    }
}

/// Lists a document's versions (all languages unless one is given), oldest first.
pub async fn list_versions(
    db: &impl ConnectionTrait,
    doc: &document::Model,
    language: Option<Language>,
    drafts: bool,
) -> AppResult<Vec<VersionInfo>> {
    let metas: Vec<VersionMeta> = version_metas(db, &[doc.id], drafts)
        .await?
        .into_iter()
        .filter(|v| language.is_none_or(|l| v.language == l.as_str()))
        .collect();
    let decisions = decision_numbers(db, &metas).await?;
    let sources = source_refs(db, &metas).await?;
    Ok(metas.iter().map(|v| info_of(v, &decisions, &sources)).collect())
}

/// Returns one version with its body. `label` is "1.0", or "draft" for staff.
pub async fn get_version(
    db: &impl ConnectionTrait,
    doc: &document::Model,
    label: &str,
    language: Option<Language>,
    drafts: bool,
) -> AppResult<VersionFull> {
    let lang = language
        .map(|l| l.as_str().to_string())
        .unwrap_or_else(|| doc.language.clone());
    let mut q = version::Entity::find()
        .filter(version::Column::DocumentId.eq(doc.id))
        .filter(version::Column::Language.eq(lang.as_str()));
    if label == "draft" {
        if !drafts {
            return Err(AppError::not_found(format!("version {label} in {lang}")));
        }
        q = q.filter(version::Column::State.eq("draft"));
    } else {
        let parsed: VersionLabel = label
            .parse()
            .map_err(|_| AppError::not_found(format!("version {label:?} of document {}", doc.id)))?;
        q = q
            .filter(version::Column::State.eq("published"))
            .filter(version::Column::Label.eq(parsed.to_string()));
    }
    let v = q
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("version {label} in {lang} of document {}", doc.id)))?;
    let meta = VersionMeta {
        id: v.id,
        document_id: v.document_id,
        language: v.language.clone(),
        state: v.state.clone(),
        label: v.label.clone(),
        label_major: v.label_major,
        label_minor: v.label_minor,
        title: v.title.clone(),
        summary: v.summary.clone(),
        change_note: v.change_note.clone(),
        change_kind: v.change_kind.clone(),
        published_on: v.published_on,
        decision_id: v.decision_id,
        source_version_id: v.source_version_id,
        content_hash: v.content_hash.clone(),
    };
    let metas = [meta];
    let decisions = decision_numbers(db, &metas).await?;
    let sources = source_refs(db, &metas).await?;
    Ok(VersionFull {
        info: info_of(&metas[0], &decisions, &sources),
        document_id: doc.id,
        body: v.body,
    })
}
