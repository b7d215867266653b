//! Changing the registry: create documents, draft, publish, translate, withdraw, reinstate and
//! relate. Every change runs in one transaction that first takes the document's row (bumping its
//! revision, checking `If-Match`), then applies the domain rules, then writes the audit entry and
//! bumps the change counter, so a refused change leaves nothing behind.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::Caller;
use crate::domain::{
    self, ChangeKind, DocumentKind, DocumentStatus, Fault, FieldError, Language, Lines, RelationKind, RevisionState,
    RuleError, VersionLabel, VersionState,
};
use crate::entities::{
    approval, decision, document, draft_comment, external_successor, path_alias, relation, revision_need, version,
    withdrawal,
};
use crate::error::{AppError, AppResult};
use crate::services::checks::{collect, parse_field, refuse_first};
use crate::services::documents::VersionMeta;
use crate::services::{Store, approvals, audit, changes, documents, rendering, users::sha256_hex};

use crate::services::checks::FieldErrors;

/// What a write did: the document it touched, its new revision, the change counter after it,
/// and for a publication the label the new version got.
#[derive(Debug, Clone, Copy)]
pub struct WriteOutcome {
    pub document_id: i32,
    pub revision: i32,
    pub generation: i64,
    pub published: Option<VersionLabel>,
}

/// A new document with its first draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDocument {
    /// fact_sheet, guide, norm, template or other.
    pub kind: String,
    /// Fact-sheet number, kept as text ("01", "20a").
    pub number: Option<String>,
    /// URL slug; made from the title when absent.
    pub slug: Option<String>,
    /// Primary language: nb, nn or en.
    pub language: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    /// The Normen version the document is aligned with, e.g. "6.1".
    pub normen_version: Option<String>,
    pub external_id: Option<String>,
}

/// A new draft beside the published versions, in the primary language.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDraft {
    /// Defaults to the document's primary language.
    pub language: Option<String>,
    /// Defaults to the current title.
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: String,
}

/// Changes to an open draft; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftUpdate {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
}

/// Publishing the open draft of a language.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publish {
    /// Defaults to the document's primary language.
    pub language: Option<String>,
    pub change_note: String,
    /// substantive or editorial.
    pub change_kind: String,
    /// A label higher than the current one; by default the next one for the change kind.
    pub label: Option<String>,
    /// Approving steering-group case, e.g. "25/25" (must be recorded first).
    pub decision: Option<String>,
    /// Defaults to today.
    pub published_on: Option<NaiveDate>,
    /// The Normen version the new version follows, e.g. "7.0"; recorded on the version and, in
    /// the primary language, as the document's. Absent: the document's stays as it is.
    #[serde(default)]
    pub normen_version: Option<String>,
    /// Admins only: publish without the approval the kind needs, for this reason (recorded on
    /// the version and in the audit log).
    #[serde(default)]
    pub force_reason: Option<String>,
}

/// Corrections to a document's own facts; absent fields stay as they are. A new number or slug
/// moves the public address, and the old one answers with a permanent redirect.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentChange {
    /// Fact-sheet number, kept as text ("01", "20a").
    pub number: Option<String>,
    /// URL slug: lowercase letters a-z, digits and dashes.
    pub slug: Option<String>,
    /// The Normen version the document follows, e.g. "7.0".
    pub normen_version: Option<String>,
    /// Months between reviews, 1 to 120.
    pub review_interval_months: Option<i64>,
}

/// Withdrawing a document ("utgått").
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdraw {
    pub reason: String,
    /// Defaults to today, unless `date_unknown`.
    pub withdrawn_on: Option<NaiveDate>,
    /// Nobody knows when it was withdrawn (material withdrawn before the registry kept it):
    /// the pages say "dato ukjent". `withdrawn_on` is then left out.
    #[serde(default)]
    pub date_unknown: bool,
    /// The deciding case, e.g. "23/25".
    pub decision: Option<String>,
    /// Ids of the documents that replace this one.
    #[serde(default)]
    pub successors: Vec<i32>,
    /// Ids of open revision needs of this document that the withdrawal resolves, besides those
    /// raised by the deciding case, which it always resolves.
    #[serde(default)]
    pub resolves: Vec<i32>,
    /// Replacements outside the registry, each with a title and an address.
    #[serde(default)]
    pub external_successors: Vec<ExternalSuccessor>,
}

/// A replacement outside the registry.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalSuccessor {
    pub title: String,
    /// An `https://` address.
    pub url: String,
}

/// Reinstating a withdrawn document.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reinstate {
    pub reason: String,
}

/// A translation draft of a published source version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTranslation {
    /// nb, nn or en; not the primary language.
    pub language: String,
    /// The label of the primary-language version translated.
    pub source_label: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub body: String,
}

/// A typed link from this document to another.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRelation {
    /// replaced_by, split_into, merged_into or related.
    pub kind: String,
    pub to_document_id: i32,
}

/// Words of the conflict a taken document number gives (the forms put it by the number field).
pub const NUMBER_TAKEN: &str = "with number";

/// Checks a body: the text rule and the size limit (`domain::text`), then the structure rule
/// (`domain::body`, on the blocking pool) when the first passed.
async fn check_body(errors: &mut FieldErrors, body: &str) -> AppResult<()> {
    if let Some(body) = collect(errors, domain::clean_body("body", body))? {
        collect(errors, rendering::require_structure(&body).await)?;
    }
    Ok(())
}

/// The body as stored (its structure was checked with the rest of the input).
fn clean_body(body: &str) -> AppResult<String> {
    Ok(domain::clean_body("body", body)?)
}

/// The summary as stored: trimmed clean text of at most 2000 characters.
fn clean_summary(summary: &str) -> Result<String, RuleError> {
    domain::clean_text("summary", summary.trim(), Lines::Many, domain::MAX_SUMMARY_CHARS)
}

const WITHDRAWAL_REASON: &str = "a withdrawal needs a reason";
const REINSTATEMENT_REASON: &str = "reinstating needs a reason";

/// A reason (withdrawal, reinstatement) as stored: present, clean text.
fn clean_reason(reason: &str, missing: &'static str) -> Result<String, RuleError> {
    let reason = domain::clean_text("reason", reason.trim(), Lines::Many, domain::MAX_REASON_CHARS)?;
    if reason.is_empty() {
        return Err(RuleError::field("reason", Fault::Required, missing));
    }
    Ok(reason)
}

/// The change note as stored: present, clean text.
fn clean_change_note(note: &str) -> Result<String, RuleError> {
    let note = domain::clean_text("change_note", note.trim(), Lines::Many, domain::MAX_NOTE_CHARS)?;
    if note.is_empty() {
        return Err(RuleError::field(
            "change_note",
            Fault::Required,
            "publishing needs a change note",
        ));
    }
    Ok(note)
}

fn check_normen_version(v: &str) -> Result<VersionLabel, RuleError> {
    v.parse::<VersionLabel>().map_err(|_| {
        RuleError::field(
            "normen_version",
            Fault::Malformed,
            format!("normen_version {v:?} must look like 6.1"),
        )
    })
}

/// The title of a replacement outside the registry: present, one line.
fn clean_external_title(title: &str) -> Result<String, RuleError> {
    let t = domain::clean_text("external_successors", title.trim(), Lines::One, domain::MAX_TITLE_CHARS)?;
    if t.is_empty() {
        return Err(RuleError::field(
            "external_successors",
            Fault::Required,
            "an external successor needs a title",
        ));
    }
    Ok(t)
}

fn check_slug(s: &str) -> Result<(), RuleError> {
    if domain::slugify(s) == s {
        Ok(())
    } else {
        Err(RuleError::field(
            "slug",
            Fault::Malformed,
            format!("slug {s:?} may only hold lowercase letters a-z, digits and dashes"),
        ))
    }
}

/// Every field error of a new document (the form shows them all; the use case stops at the
/// first).
pub async fn check_new_document(input: &NewDocument) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, parse_field::<DocumentKind>("kind", &input.kind))?;
    collect(&mut e, parse_field::<Language>("language", &input.language))?;
    if let Some(n) = &input.number {
        collect(
            &mut e,
            domain::parse_document_number(n).map_err(|x| x.in_field("number")),
        )?;
    }
    collect(&mut e, domain::clean_title(&input.title))?;
    collect(&mut e, clean_summary(&input.summary))?;
    check_body(&mut e, &input.body).await?;
    if let Some(x) = &input.external_id {
        collect(&mut e, domain::clean_text("external_id", x, Lines::One, 1000))?;
    }
    if let Some(s) = &input.slug {
        collect(&mut e, check_slug(s))?;
    }
    if let Some(v) = &input.normen_version {
        collect(&mut e, check_normen_version(v))?;
    }
    Ok(e)
}

/// Every field error of a correction to a document.
pub fn check_document_change(input: &DocumentChange) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    if let Some(n) = &input.number {
        collect(
            &mut e,
            domain::parse_document_number(n).map_err(|x| x.in_field("number")),
        )?;
    }
    if let Some(s) = &input.slug {
        collect(&mut e, check_slug(s))?;
    }
    if let Some(v) = &input.normen_version {
        collect(&mut e, check_normen_version(v))?;
    }
    if let Some(m) = input.review_interval_months {
        collect(&mut e, domain::check_review_interval(m))?;
    }
    Ok(e)
}

/// Every field error of a new draft's own values (the title may come from the current version).
pub async fn check_new_draft(input: &NewDraft) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    if let Some(l) = &input.language {
        collect(&mut e, parse_field::<Language>("language", l))?;
    }
    if let Some(t) = &input.title {
        collect(&mut e, domain::clean_title(t))?;
    }
    if let Some(s) = &input.summary {
        collect(&mut e, clean_summary(s))?;
    }
    check_body(&mut e, &input.body).await?;
    Ok(e)
}

/// Every field error of a change to a draft.
pub async fn check_draft_update(input: &DraftUpdate) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    if let Some(t) = &input.title {
        collect(&mut e, domain::clean_title(t))?;
    }
    if let Some(s) = &input.summary {
        collect(&mut e, clean_summary(s))?;
    }
    if let Some(b) = &input.body {
        check_body(&mut e, b).await?;
    }
    Ok(e)
}

/// Every field error of a publication that can be told without the document's history.
pub fn check_publish(input: &Publish, today: NaiveDate) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, parse_field::<ChangeKind>("change_kind", &input.change_kind))?;
    if let Some(l) = &input.label {
        collect(&mut e, parse_field::<VersionLabel>("label", l))?;
    }
    collect(&mut e, clean_change_note(&input.change_note))?;
    if let Some(d) = input.published_on {
        collect(&mut e, domain::check_date_bounds("published_on", d, today))?;
    }
    if let Some(v) = &input.normen_version {
        collect(&mut e, check_normen_version(v))?;
    }
    if let Some(r) = &input.force_reason {
        collect(
            &mut e,
            domain::clean_text("force_reason", r, Lines::One, domain::MAX_REASON_CHARS),
        )?;
    }
    Ok(e)
}

/// Every field error of a new translation's own values.
pub async fn check_new_translation(input: &NewTranslation) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, parse_field::<Language>("language", &input.language))?;
    collect(&mut e, parse_field::<VersionLabel>("source_label", &input.source_label))?;
    collect(&mut e, domain::clean_title(&input.title))?;
    collect(&mut e, clean_summary(&input.summary))?;
    check_body(&mut e, &input.body).await?;
    Ok(e)
}

/// Every field error of a withdrawal that can be told without the document's history.
pub fn check_withdraw(input: &Withdraw, today: NaiveDate) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, clean_reason(&input.reason, WITHDRAWAL_REASON))?;
    if let Some(d) = input.withdrawn_on {
        collect(&mut e, domain::check_date_bounds("withdrawn_on", d, today))?;
        if input.date_unknown {
            e.push(FieldError::new(
                "withdrawn_on",
                Fault::Malformed,
                "a date was given, but the date is said to be unknown",
            ));
        }
    }
    if input.external_successors.len() > domain::MAX_EXTERNAL_SUCCESSORS {
        e.push(FieldError::new(
            "external_successors",
            Fault::Malformed,
            format!("at most {} external successors", domain::MAX_EXTERNAL_SUCCESSORS),
        ));
    }
    for x in &input.external_successors {
        collect(&mut e, clean_external_title(&x.title))?;
        collect(&mut e, domain::check_external_url(x.url.trim()))?;
    }
    Ok(e)
}

/// Every field error of a reinstatement.
pub fn check_reinstate(input: &Reinstate) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, clean_reason(&input.reason, REINSTATEMENT_REASON))?;
    Ok(e)
}

pub(crate) fn status_of(doc: &document::Model) -> AppResult<DocumentStatus> {
    doc.status
        .parse()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("bad status in database: {e}")))
}

/// Parses an `If-Match` value of the form `"ID.REVISION"` for this document.
fn expected_revision(if_match: Option<&str>, document_id: i32) -> AppResult<Option<i32>> {
    let Some(tag) = if_match.map(str::trim) else {
        return Ok(None);
    };
    if tag == "*" {
        return Ok(None);
    }
    let inner = tag.trim_start_matches("W/").trim_matches('"');
    let parsed = inner
        .split_once('.')
        .and_then(|(id, rev)| Some((id.parse::<i32>().ok()?, rev.parse::<i32>().ok()?)));
    match parsed {
        Some((id, rev)) if id == document_id => Ok(Some(rev)),
        _ => Err(AppError::PreconditionFailed(format!(
            "If-Match {tag} is not an ETag of document {document_id}"
        ))),
    }
}

/// Takes the document's row for this transaction: bumps its revision (the first statement is a
/// write, so SQLite takes its write lock at once) and checks `If-Match` against the old one.
pub(crate) async fn lock_document(
    txn: &DatabaseTransaction,
    id: i32,
    if_match: Option<&str>,
) -> AppResult<document::Model> {
    let expected = expected_revision(if_match, id)?;
    let mut update = document::Entity::update_many()
        .col_expr(document::Column::Revision, Expr::col(document::Column::Revision).add(1))
        .col_expr(document::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(document::Column::Id.eq(id));
    if let Some(rev) = expected {
        update = update.filter(document::Column::Revision.eq(rev));
    }
    let res = update.exec(txn).await?;
    let current = document::Entity::find_by_id(id).one(txn).await?;
    match current {
        None => Err(AppError::not_found(format!("document {id}"))),
        Some(doc) if res.rows_affected == 0 => Err(AppError::PreconditionFailed(format!(
            "document {id} has changed since your copy; its ETag is now {}",
            documents::etag(id, doc.revision)
        ))),
        Some(doc) => Ok(doc),
    }
}

/// Resolves a case number ("23/25") to the recorded decision's id.
pub(crate) async fn decision_id(db: &impl ConnectionTrait, case: Option<&str>) -> AppResult<Option<i32>> {
    let Some(case) = case.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let case: domain::CaseNumber = case.parse()?;
    match decision::Entity::find()
        .filter(decision::Column::CaseNumber.eq(case.as_str()))
        .one(db)
        .await?
    {
        Some(d) => Ok(Some(d.id)),
        None => Err(AppError::Invalid(
            crate::services::meetings::undecided_reason(db, &case)
                .await?
                .unwrap_or_else(|| format!("unknown decision {}; record the case first", case.as_str())),
        )),
    }
}

/// Ends a write: the audit entry and the change log in the same transaction, the commit, then
/// the search index (which only ever follows a committed write).
async fn finish(
    store: Store<'_>,
    txn: DatabaseTransaction,
    actor: &str,
    action: &str,
    doc: &document::Model,
    details: serde_json::Value,
) -> AppResult<WriteOutcome> {
    audit::record(&txn, actor, action, "document", Some(doc.id), details).await?;
    let generation = changes::record(&txn, &[doc.id]).await?;
    txn.commit().await?;
    store.after_write().await;
    Ok(WriteOutcome {
        document_id: doc.id,
        revision: doc.revision,
        generation,
        published: None,
    })
}

pub(crate) async fn open_draft(
    txn: &DatabaseTransaction,
    document_id: i32,
    language: &str,
) -> AppResult<Option<version::Model>> {
    Ok(version::Entity::find()
        .filter(version::Column::DocumentId.eq(document_id))
        .filter(version::Column::Language.eq(language))
        .filter(version::Column::State.eq(VersionState::Draft))
        .one(txn)
        .await?)
}

/// The newest published version of a language, by the one rule `documents::latest_published`.
async fn latest_published(
    txn: &DatabaseTransaction,
    document_id: i32,
    language: &str,
) -> AppResult<Option<VersionMeta>> {
    let language: Language = language.parse()?;
    let metas = documents::version_metas(txn, &[document_id], false).await?;
    Ok(documents::latest_published(&metas, document_id, language).cloned())
}

/// The label of the version a translation translates, if it has one.
async fn source_label(txn: &DatabaseTransaction, source: Option<i32>) -> AppResult<Option<VersionLabel>> {
    let Some(id) = source else { return Ok(None) };
    let v = version::Entity::find_by_id(id).one(txn).await?;
    Ok(v.and_then(|v| v.label).and_then(|l| l.parse().ok()))
}

/// The date the document was first published (any language), if it was.
async fn first_publication(txn: &DatabaseTransaction, document_id: i32) -> AppResult<Option<NaiveDate>> {
    Ok(version::Entity::find()
        .select_only()
        .column(version::Column::PublishedOn)
        .filter(version::Column::DocumentId.eq(document_id))
        .filter(version::Column::State.eq(VersionState::Published))
        .filter(version::Column::PublishedOn.is_not_null())
        .order_by_asc(version::Column::PublishedOn)
        .into_tuple::<Option<NaiveDate>>()
        .one(txn)
        .await?
        .flatten())
}

/// A draft row ready to insert.
pub(crate) fn draft_row(
    document_id: i32,
    language: &str,
    title: &str,
    summary: &str,
    body: &str,
    source_version_id: Option<i32>,
    actor: &str,
) -> version::ActiveModel {
    version::ActiveModel {
        document_id: Set(document_id),
        language: Set(language.to_string()),
        state: Set(VersionState::Draft.as_str().into()),
        label: Set(None),
        label_major: Set(None),
        label_minor: Set(None),
        title: Set(title.trim().to_string()),
        summary: Set(summary.trim().to_string()),
        body: Set(body.to_string()),
        change_note: Set(String::new()),
        change_kind: Set(None),
        published_on: Set(None),
        decision_id: Set(None),
        source_version_id: Set(source_version_id),
        content_hash: Set(sha256_hex(body)),
        created_at: Set(Utc::now()),
        created_by: Set(actor.to_string()),
        ..Default::default()
    }
}

/// Picks a free slug: the wanted one, or it with "-2", "-3", … appended.
pub(crate) async fn free_slug(db: &impl ConnectionTrait, wanted: &str) -> AppResult<String> {
    let slug_taken = |slug: String| async move {
        Ok::<_, AppError>(
            document::Entity::find()
                .filter(document::Column::Slug.eq(slug))
                .one(db)
                .await?
                .is_some(),
        )
    };
    if !slug_taken(wanted.to_string()).await? {
        return Ok(wanted.to_string());
    }
    // The numbered variants sort between "wanted-" and "wanted." ('.' follows '-'): a range the
    // slug index answers, where LIKE would scan the table (SQLite's LIKE ignores case).
    let taken: Vec<String> = document::Entity::find()
        .select_only()
        .column(document::Column::Slug)
        .filter(document::Column::Slug.gte(format!("{wanted}-")))
        .filter(document::Column::Slug.lt(format!("{wanted}.")))
        .into_tuple()
        .all(db)
        .await?;
    #[expect(clippy::maybe_infinite_iter, reason = "at most taken.len() + 1 numbers are tried")]
    let n = (2..).find(|n| !taken.contains(&format!("{wanted}-{n}"))).unwrap_or(2);
    Ok(format!("{wanted}-{n}"))
}

/// Creates a document in status draft with its first draft version.
pub async fn create_document(store: Store<'_>, caller: &Caller, input: NewDocument) -> AppResult<WriteOutcome> {
    refuse_first(check_new_document(&input).await?)?;
    let kind: DocumentKind = input.kind.parse()?;
    let language: Language = input.language.parse()?;
    let number = input.number.as_deref().map(domain::parse_document_number).transpose()?;
    let number_key = number.as_deref().map(domain::number_key).transpose()?;
    let title = domain::clean_title(&input.title)?;
    let summary = clean_summary(&input.summary)?;
    let body = clean_body(&input.body)?;
    let external_id = input
        .external_id
        .as_deref()
        .map(|e| domain::clean_text("external_id", e, Lines::One, 1000))
        .transpose()?;
    let slug = input.slug.clone().unwrap_or_else(|| domain::slugify(&title));

    let txn = crate::db::begin_write(store.db).await?;
    if let (Some(n), Some(key)) = (&number, &number_key) {
        // Unique by the normal form: "037" clashes with "37", "1" with "01".
        check_number_free(&txn, kind, n, key, None).await?;
    }
    if let Some(ext) = &external_id
        && document::Entity::find()
            .filter(document::Column::ExternalId.eq(ext.as_str()))
            .one(&txn)
            .await?
            .is_some()
    {
        return Err(AppError::Conflict(format!(
            "a document with external_id {ext:?} exists already"
        )));
    }
    let slug = if input.slug.is_some() {
        if document::Entity::find()
            .filter(document::Column::Slug.eq(slug.as_str()))
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict(format!("the slug {slug:?} is taken")));
        }
        slug
    } else {
        free_slug(&txn, &slug).await?
    };
    let now = Utc::now();
    let doc = document::ActiveModel {
        kind: Set(kind.as_str().into()),
        number: Set(number),
        number_key: Set(number_key),
        slug: Set(slug),
        language: Set(language.as_str().into()),
        status: Set(DocumentStatus::Draft.as_str().into()),
        external_id: Set(external_id),
        normen_version: Set(input.normen_version.clone()),
        revision: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    draft_row(doc.id, language.as_str(), &title, &summary, &body, None, &caller.name)
        .insert(&txn)
        .await?;
    finish(
        store,
        txn,
        &caller.name,
        "document.create",
        &doc,
        serde_json::json!({"kind": kind, "title": title}),
    )
    .await
}

/// Refuses a number another document of the kind has (by its normal form).
async fn check_number_free(
    txn: &DatabaseTransaction,
    kind: DocumentKind,
    number: &str,
    key: &str,
    except: Option<i32>,
) -> AppResult<()> {
    let mut q = document::Entity::find()
        .filter(document::Column::Kind.eq(kind))
        .filter(document::Column::NumberKey.eq(key));
    if let Some(id) = except {
        q = q.filter(document::Column::Id.ne(id));
    }
    match q.one(txn).await? {
        None => Ok(()),
        Some(c) => {
            let existing = c.number.unwrap_or_default();
            Err(AppError::Conflict(if existing == number {
                format!("a {kind} {NUMBER_TAKEN} {number} exists already")
            } else {
                format!(
                    "a {kind} {NUMBER_TAKEN} {number} exists already (written {existing}; leading zeros and case do not count)"
                )
            }))
        }
    }
}

/// Corrects a document's number, slug, Normen version or review interval. When its public
/// address changes, the old one is kept as an alias that redirects to the new.
pub async fn change_document(
    store: Store<'_>,
    caller: &Caller,
    id: i32,
    if_match: Option<&str>,
    input: DocumentChange,
) -> AppResult<WriteOutcome> {
    refuse_first(check_document_change(&input)?)?;
    let txn = crate::db::begin_write(store.db).await?;
    let doc = lock_document(&txn, id, if_match).await?;
    let old = documents::DocumentRecord::try_from(doc.clone())?;
    let (old_url, kind) = (old.url(), old.kind);
    let mut active: document::ActiveModel = doc.clone().into();
    if let Some(n) = &input.number {
        let n = domain::parse_document_number(n)?;
        let key = domain::number_key(&n)?;
        check_number_free(&txn, kind, &n, &key, Some(id)).await?;
        active.number = Set(Some(n));
        active.number_key = Set(Some(key));
    }
    if let Some(s) = &input.slug {
        let taken = document::Entity::find()
            .filter(document::Column::Slug.eq(s.as_str()))
            .filter(document::Column::Id.ne(id))
            .one(&txn)
            .await?;
        if taken.is_some() {
            return Err(AppError::Conflict(format!("the slug {s:?} is taken")));
        }
        active.slug = Set(s.clone());
    }
    if let Some(v) = &input.normen_version {
        active.normen_version = Set(Some(v.trim().to_string()));
    }
    if let Some(m) = input.review_interval_months {
        let m = domain::check_review_interval(m)?;
        active.review_interval_months = Set(Some(i32::try_from(m).unwrap_or(i32::MAX)));
    }
    let updated = active.update(&txn).await?;
    let new_url = documents::DocumentRecord::try_from(updated)?.url();
    if new_url != old_url {
        // The new address is the document's own now, whatever pointed there before.
        path_alias::Entity::delete_many()
            .filter(path_alias::Column::Path.is_in([old_url.clone(), new_url.clone()]))
            .exec(&txn)
            .await?;
        path_alias::ActiveModel {
            path: Set(old_url.clone()),
            document_id: Set(id),
        }
        .insert(&txn)
        .await?;
    }
    finish(
        store,
        txn,
        &caller.name,
        "document.change",
        &doc,
        serde_json::json!({"number": input.number, "slug": input.slug, "normen_version": input.normen_version,
            "review_interval_months": input.review_interval_months, "moved_from": (new_url != old_url).then_some(old_url)}),
    )
    .await
}

/// Opens a new draft in the primary language beside the published versions.
pub async fn add_draft(
    store: Store<'_>,
    caller: &Caller,
    id: i32,
    if_match: Option<&str>,
    input: NewDraft,
) -> AppResult<WriteOutcome> {
    refuse_first(check_new_draft(&input).await?)?;
    let txn = crate::db::begin_write(store.db).await?;
    let doc = lock_document(&txn, id, if_match).await?;
    domain::check_accepts_new_version(status_of(&doc)?)?;
    let language = match &input.language {
        Some(l) => l.parse::<Language>()?.as_str().to_string(),
        None => doc.language.clone(),
    };
    if language != doc.language {
        return Err(AppError::Invalid(format!(
            "a draft in {language} is a translation: create it with POST /api/v1/documents/{id}/translations, naming its source version"
        )));
    }
    domain::check_no_open_draft(open_draft(&txn, id, &language).await?.is_some(), &language)?;
    let body = clean_body(&input.body)?;
    let latest = latest_published(&txn, id, &language).await?;
    let title = match (&input.title, &latest) {
        (Some(t), _) => t.clone(),
        (None, Some(v)) => v.title.clone(),
        (None, None) => String::new(),
    };
    let title = domain::clean_title(&title)?;
    let summary = input
        .summary
        .clone()
        .or_else(|| latest.as_ref().map(|v| v.summary.clone()))
        .unwrap_or_default();
    let summary = clean_summary(&summary)?;
    draft_row(id, &language, &title, &summary, &body, None, &caller.name)
        .insert(&txn)
        .await?;
    finish(
        store,
        txn,
        &caller.name,
        "draft.create",
        &doc,
        serde_json::json!({"language": language}),
    )
    .await
}

/// Edits the open draft of a language.
pub async fn update_draft(
    store: Store<'_>,
    caller: &Caller,
    id: i32,
    language: Language,
    if_match: Option<&str>,
    input: DraftUpdate,
) -> AppResult<WriteOutcome> {
    refuse_first(check_draft_update(&input).await?)?;
    let txn = crate::db::begin_write(store.db).await?;
    let doc = lock_document(&txn, id, if_match).await?;
    let draft = open_draft(&txn, id, language.as_str())
        .await?
        .ok_or_else(|| AppError::not_found(format!("draft in {language} of document {id}")))?;
    let mut active: version::ActiveModel = draft.into();
    if let Some(t) = &input.title {
        active.title = Set(domain::clean_title(t)?);
    }
    if let Some(s) = &input.summary {
        active.summary = Set(clean_summary(s)?);
    }
    if let Some(b) = &input.body {
        let b = clean_body(b)?;
        active.content_hash = Set(sha256_hex(&b));
        active.body = Set(b);
    }
    active.update(&txn).await?;
    finish(
        store,
        txn,
        &caller.name,
        "draft.update",
        &doc,
        serde_json::json!({"language": language}),
    )
    .await
}

/// Throws away the open draft of a language.
pub async fn discard_draft(
    store: Store<'_>,
    caller: &Caller,
    id: i32,
    language: Language,
    if_match: Option<&str>,
) -> AppResult<WriteOutcome> {
    let txn = crate::db::begin_write(store.db).await?;
    let doc = lock_document(&txn, id, if_match).await?;
    let draft = open_draft(&txn, id, language.as_str())
        .await?
        .ok_or_else(|| AppError::not_found(format!("draft in {language} of document {id}")))?;
    approval::Entity::delete_many()
        .filter(approval::Column::VersionId.eq(draft.id))
        .exec(&txn)
        .await?;
    draft_comment::Entity::delete_many()
        .filter(draft_comment::Column::VersionId.eq(draft.id))
        .exec(&txn)
        .await?;
    version::Entity::delete_by_id(draft.id).exec(&txn).await?;
    finish(
        store,
        txn,
        &caller.name,
        "draft.discard",
        &doc,
        serde_json::json!({"language": language}),
    )
    .await
}

/// Publishes the open draft of a language with a change note; the new version supersedes the
/// previous one and the document becomes published.
pub async fn publish(
    store: Store<'_>,
    caller: &Caller,
    id: i32,
    if_match: Option<&str>,
    input: Publish,
) -> AppResult<WriteOutcome> {
    let today = Utc::now().date_naive();
    refuse_first(check_publish(&input, today)?)?;
    let change_kind: ChangeKind = input.change_kind.parse()?;
    let chosen = input.label.as_deref().map(str::parse::<VersionLabel>).transpose()?;
    let change_note = clean_change_note(&input.change_note)?;
    let txn = crate::db::begin_write(store.db).await?;
    let doc = lock_document(&txn, id, if_match).await?;
    let status = status_of(&doc)?;
    domain::check_accepts_new_version(status)?;
    let language = match &input.language {
        Some(l) => l.parse::<Language>()?.as_str().to_string(),
        None => doc.language.clone(),
    };
    let draft = open_draft(&txn, id, &language)
        .await?
        .ok_or_else(|| AppError::Conflict(format!("document {id} has no draft in {language} to publish")))?;
    if language != doc.language && status == DocumentStatus::Draft {
        return Err(AppError::Conflict(
            "publish the primary language before its translations".into(),
        ));
    }
    let latest = latest_published(&txn, id, &language).await?;
    let latest_label = latest.as_ref().and_then(|v| v.label_value);
    let label = match source_label(&txn, draft.source_version_id).await? {
        Some(source) if language != doc.language => {
            domain::label_for_translation(latest_label, source, change_kind, chosen)?
        }
        _ => domain::label_for_publication(latest_label, change_kind, chosen)?,
    };
    let published_on = input.published_on.unwrap_or(today);
    domain::check_publication_date(published_on, latest.as_ref().and_then(|v| v.published_on), today)?;
    let decision = decision_id(&txn, input.decision.as_deref()).await?;
    let kind: DocumentKind = doc
        .kind
        .parse()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("bad kind in database: {e}")))?;
    let clearance = approvals::gate(&txn, kind, &draft, caller, input.force_reason.as_deref()).await?;
    let mut active: version::ActiveModel = draft.into();
    active.state = Set(VersionState::Published.as_str().into());
    active.approved_by = Set(clearance.approved_by.clone());
    active.approved_at = Set(clearance.approved_at);
    active.forced_reason = Set(clearance.forced_reason.clone());
    active.label = Set(Some(label.to_string()));
    let (major, minor) = label.to_stored()?;
    active.label_major = Set(Some(major));
    active.label_minor = Set(Some(minor));
    active.change_note = Set(change_note);
    active.change_kind = Set(Some(change_kind.as_str().into()));
    active.decision_id = Set(decision);
    active.published_on = Set(Some(published_on));
    active.published_at = Set(Some(Utc::now()));
    active.normen_version = Set(input.normen_version.as_deref().map(|v| v.trim().to_string()));
    let version_id = active.update(&txn).await?.id;
    let aligned = input.normen_version.as_deref().map(|v| v.trim().to_string());
    let primary = language == doc.language;
    if status == DocumentStatus::Draft || (primary && aligned.is_some()) {
        let mut d: document::ActiveModel = doc.clone().into();
        d.status = Set(DocumentStatus::Published.as_str().into());
        if primary && aligned.is_some() {
            d.normen_version = Set(aligned.clone());
        }
        d.update(&txn).await?;
    }
    let outcome = finish(
        store,
        txn,
        &caller.name,
        "version.publish",
        &doc,
        serde_json::json!({"language": language, "label": label.to_string(), "change_kind": change_kind,
            "approved_by": clearance.approved_by, "forced_reason": clearance.forced_reason}),
    )
    .await?;
    // A published version never changes: render it once, now, rather than on page views.
    if let Err(e) = rendering::keep_published(store.db, version_id).await {
        tracing::warn!(error = %e, version_id, "could not keep rendered HTML; the first view renders it");
    }
    Ok(WriteOutcome {
        published: Some(label),
        ..outcome
    })
}

/// Creates a translation draft pinned to a published source version.
pub async fn add_translation(
    store: Store<'_>,
    caller: &Caller,
    id: i32,
    if_match: Option<&str>,
    input: NewTranslation,
) -> AppResult<WriteOutcome> {
    refuse_first(check_new_translation(&input).await?)?;
    let language: Language = input.language.parse()?;
    let source_label: VersionLabel = input.source_label.parse()?;
    let title = domain::clean_title(&input.title)?;
    let summary = clean_summary(&input.summary)?;
    let body = clean_body(&input.body)?;
    let txn = crate::db::begin_write(store.db).await?;
    let doc = lock_document(&txn, id, if_match).await?;
    domain::check_accepts_new_version(status_of(&doc)?)?;
    if language.as_str() == doc.language {
        return Err(AppError::Invalid(format!(
            "{language} is the document's own language; a translation is into another language"
        )));
    }
    let source = version::Entity::find()
        .filter(version::Column::DocumentId.eq(id))
        .filter(version::Column::Language.eq(doc.language.as_str()))
        .filter(version::Column::State.eq(VersionState::Published))
        .filter(version::Column::Label.eq(source_label.to_string()))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "document {id} has no published {} version {source_label} to translate",
                doc.language
            ))
        })?;
    domain::check_no_open_draft(
        open_draft(&txn, id, language.as_str()).await?.is_some(),
        language.as_str(),
    )?;
    draft_row(
        id,
        language.as_str(),
        &title,
        &summary,
        &body,
        Some(source.id),
        &caller.name,
    )
    .insert(&txn)
    .await?;
    finish(
        store,
        txn,
        &caller.name,
        "translation.create",
        &doc,
        serde_json::json!({"language": language, "source_label": source_label.to_string()}),
    )
    .await
}

/// Withdraws a published document with a reason, an optional decision and successors.
pub async fn withdraw(
    store: Store<'_>,
    caller: &Caller,
    id: i32,
    if_match: Option<&str>,
    input: Withdraw,
) -> AppResult<WriteOutcome> {
    let today = Utc::now().date_naive();
    refuse_first(check_withdraw(&input, today)?)?;
    let reason = clean_reason(&input.reason, WITHDRAWAL_REASON)?;
    let txn = crate::db::begin_write(store.db).await?;
    let doc = lock_document(&txn, id, if_match).await?;
    domain::check_withdrawal(status_of(&doc)?, &reason)?;
    let withdrawn_on = (!input.date_unknown).then(|| input.withdrawn_on.unwrap_or(today));
    if let Some(on) = withdrawn_on {
        domain::check_withdrawal_date(on, first_publication(&txn, id).await?, today)?;
    }
    let decision = decision_id(&txn, input.decision.as_deref()).await?;
    let mut successors = input.successors.clone();
    successors.dedup();
    for s in &successors {
        if *s == id {
            return Err(AppError::Invalid("a document cannot succeed itself".into()));
        }
        match document::Entity::find_by_id(*s).one(&txn).await? {
            Some(d) if d.status != DocumentStatus::Draft.as_str() => {}
            _ => return Err(AppError::Invalid(format!("successor {s} is not a published document"))),
        }
    }
    let now = Utc::now();
    let withdrawal_id = withdrawal::ActiveModel {
        document_id: Set(id),
        withdrawn_on: Set(withdrawn_on),
        reason: Set(reason.clone()),
        decision_id: Set(decision),
        reinstated_at: Set(None),
        reinstate_reason: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?
    .id;
    for s in &successors {
        insert_relation(&txn, id, *s, RelationKind::ReplacedBy).await?;
    }
    for x in &input.external_successors {
        external_successor::ActiveModel {
            withdrawal_id: Set(withdrawal_id),
            title: Set(clean_external_title(&x.title)?),
            url: Set(x.url.trim().to_string()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let resolved = resolve_needs_by_withdrawal(&txn, id, withdrawal_id, decision, &input.resolves).await?;
    let mut d: document::ActiveModel = doc.clone().into();
    d.status = Set(DocumentStatus::Withdrawn.as_str().into());
    d.update(&txn).await?;
    finish(
        store,
        txn,
        &caller.name,
        "document.withdraw",
        &doc,
        serde_json::json!({"reason": reason, "decision": input.decision, "successors": successors, "resolved_needs": resolved}),
    )
    .await
}

/// Resolves the open revision needs a withdrawal answers: those raised by its deciding case,
/// and those named. A named need of another document, or one that is closed, is refused.
async fn resolve_needs_by_withdrawal(
    txn: &DatabaseTransaction,
    document_id: i32,
    withdrawal_id: i32,
    decision_id: Option<i32>,
    named: &[i32],
) -> AppResult<Vec<i32>> {
    let needs = revision_need::Entity::find()
        .filter(revision_need::Column::DocumentId.eq(document_id))
        .all(txn)
        .await?;
    for n in named {
        let Some(need) = needs.iter().find(|x| x.id == *n) else {
            return Err(AppError::Invalid(format!(
                "revision need {n} is not one of document {document_id}'s"
            )));
        };
        let state: RevisionState = need.state.parse()?;
        domain::check_resolution_by_withdrawal(state)?;
    }
    let mut resolved = Vec::new();
    for need in needs {
        let Ok(state) = need.state.parse::<RevisionState>() else {
            continue;
        };
        let by_case = decision_id.is_some() && need.decision_id == decision_id;
        if !state.is_open() || !(by_case || named.contains(&need.id)) {
            continue;
        }
        resolved.push(need.id);
        let mut active: revision_need::ActiveModel = need.into();
        active.state = Set(RevisionState::Resolved.as_str().into());
        active.resolved_withdrawal_id = Set(Some(withdrawal_id));
        active.updated_at = Set(Utc::now());
        active.update(txn).await?;
    }
    Ok(resolved)
}

pub(crate) async fn insert_relation(
    db: &impl ConnectionTrait,
    from: i32,
    to: i32,
    kind: RelationKind,
) -> AppResult<()> {
    let exists = relation::Entity::find()
        .filter(relation::Column::FromDocumentId.eq(from))
        .filter(relation::Column::ToDocumentId.eq(to))
        .filter(relation::Column::Kind.eq(kind.as_str()))
        .one(db)
        .await?;
    if exists.is_none() {
        relation::ActiveModel {
            from_document_id: Set(from),
            to_document_id: Set(to),
            kind: Set(kind.as_str().into()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Reinstates a withdrawn document: it is published again and no longer replaced.
pub async fn reinstate(
    store: Store<'_>,
    caller: &Caller,
    id: i32,
    if_match: Option<&str>,
    input: Reinstate,
) -> AppResult<WriteOutcome> {
    refuse_first(check_reinstate(&input)?)?;
    let reason = clean_reason(&input.reason, REINSTATEMENT_REASON)?;
    let txn = crate::db::begin_write(store.db).await?;
    let doc = lock_document(&txn, id, if_match).await?;
    domain::check_reinstatement(status_of(&doc)?)?;
    if let Some(w) = documents::active_withdrawal(&txn, id).await? {
        let mut w: withdrawal::ActiveModel = w.into();
        w.reinstated_at = Set(Some(Utc::now()));
        w.reinstate_reason = Set(Some(reason.clone()));
        w.update(&txn).await?;
    }
    relation::Entity::delete_many()
        .filter(relation::Column::FromDocumentId.eq(id))
        .filter(relation::Column::Kind.is_in(RelationKind::SUCCESSORS.iter().copied()))
        .exec(&txn)
        .await?;
    let mut d: document::ActiveModel = doc.clone().into();
    d.status = Set(DocumentStatus::Published.as_str().into());
    d.update(&txn).await?;
    finish(
        store,
        txn,
        &caller.name,
        "document.reinstate",
        &doc,
        serde_json::json!({"reason": reason}),
    )
    .await
}

/// Adds a typed link from one document to another.
pub async fn add_relation(
    store: Store<'_>,
    caller: &Caller,
    id: i32,
    if_match: Option<&str>,
    input: NewRelation,
) -> AppResult<WriteOutcome> {
    let kind: RelationKind = input.kind.parse()?;
    if input.to_document_id == id {
        return Err(AppError::Invalid("a document cannot relate to itself".into()));
    }
    let txn = crate::db::begin_write(store.db).await?;
    let doc = lock_document(&txn, id, if_match).await?;
    if document::Entity::find_by_id(input.to_document_id)
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(AppError::Invalid(format!(
            "document {} does not exist",
            input.to_document_id
        )));
    }
    insert_relation(&txn, id, input.to_document_id, kind).await?;
    finish(
        store,
        txn,
        &caller.name,
        "relation.add",
        &doc,
        serde_json::json!({"kind": kind, "to": input.to_document_id}),
    )
    .await
}

/// Removes a relation from this document to another (of this kind); 404 when there is none.
pub async fn remove_relation(
    store: Store<'_>,
    caller: &Caller,
    id: i32,
    if_match: Option<&str>,
    kind: RelationKind,
    to_document_id: i32,
) -> AppResult<WriteOutcome> {
    let txn = crate::db::begin_write(store.db).await?;
    let doc = lock_document(&txn, id, if_match).await?;
    let removed = relation::Entity::delete_many()
        .filter(relation::Column::FromDocumentId.eq(id))
        .filter(relation::Column::ToDocumentId.eq(to_document_id))
        .filter(relation::Column::Kind.eq(kind))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        return Err(AppError::not_found(format!(
            "relation {kind} from document {id} to document {to_document_id}",
            kind = kind.as_str()
        )));
    }
    finish(
        store,
        txn,
        &caller.name,
        "relation.remove",
        &doc,
        serde_json::json!({"kind": kind, "to": to_document_id}),
    )
    .await
}
