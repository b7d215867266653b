//! Approval before publishing: submitting a draft, approving it or sending it back, reviewers'
//! comments on its sections, the list of drafts waiting, and which kinds need approval. The
//! rules are `domain::approval`; `editing::publish` asks [`gate`] before it publishes.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{
    self, ApprovalState, Caller, DocumentKind, DraftApproval, Language, Lines, PublishGate, RuleError, VersionState,
};
use crate::entities::{approval, approval_rule, document, draft_comment, version};
use crate::error::{AppError, AppResult};
use crate::services::checks::{FieldErrors, collect, refuse_first};
use crate::services::{audit, documents, editing, users::sha256_hex};

/// Longest comment or note, in characters.
pub const MAX_COMMENT_CHARS: usize = domain::MAX_NOTE_CHARS;
/// Most comments one draft holds: bounds the draft form and the API answer.
pub const MAX_COMMENTS_PER_DRAFT: u64 = 200;

/// Submitting a draft for approval.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// A word to whoever approves it.
    #[serde(default)]
    pub note: String,
}

/// Approving a draft, or sending it back (the comment is then required).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    #[serde(default)]
    pub comment: String,
}

/// A comment on a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// One of the draft's headings as written; absent or empty for the whole draft.
    #[serde(default)]
    pub section: String,
    pub body: String,
}

/// Which kinds need approval before publishing.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRules {
    /// Kinds whose drafts must be approved by someone else than their author: fact_sheet,
    /// guide, norm, template, other.
    pub required_for: Vec<String>,
}

/// A comment on a draft.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommentView {
    pub id: i32,
    /// The heading it is about; empty for the whole draft.
    pub section: String,
    pub body: String,
    pub author: String,
    pub created_at: DateTime<Utc>,
}

/// Where a draft stands on its way to publication (staff only).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApprovalView {
    pub document_id: i32,
    pub language: Language,
    pub state: DraftApproval,
    /// Whether the document's kind needs approval before publishing.
    pub required: bool,
    /// Who wrote the draft: they cannot approve it.
    pub author: String,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub note: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Why it was sent back, or a word with the approval.
    pub comment: String,
    /// The draft's headings, which comments can name.
    pub sections: Vec<String>,
    /// Oldest first.
    pub comments: Vec<CommentView>,
    /// The document's ETag after this.
    pub etag: String,
}

/// A draft waiting for approval, for the dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WaitingItem {
    pub document_id: i32,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub title: String,
    pub language: Language,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
}

/// What a draft's approval holds for: its title, summary and body (by their hash).
pub(crate) fn fingerprint(title: &str, summary: &str, content_hash: &str) -> String {
    sha256_hex(&format!("{content_hash}\u{0}{title}\u{0}{summary}"))
}

fn fingerprint_of(draft: &version::Model) -> String {
    fingerprint(&draft.title, &draft.summary, &draft.content_hash)
}

fn check_comment_text(field: &'static str, value: &str, required: bool) -> Result<String, RuleError> {
    let text = domain::clean_text(field, value, Lines::Many, MAX_COMMENT_CHARS)?
        .trim()
        .to_string();
    if required && text.is_empty() {
        return Err(RuleError::field(
            field,
            domain::Fault::Required,
            format!("{field} must not be empty"),
        ));
    }
    Ok(text)
}

/// The field errors of a submission.
pub fn check_submission(input: &Submission) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, check_comment_text("note", &input.note, false))?;
    Ok(e)
}

/// The field errors of a verdict; sending back needs a comment.
pub fn check_verdict(input: &Verdict, sending_back: bool) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, check_comment_text("comment", &input.comment, sending_back))?;
    Ok(e)
}

/// The field errors of a comment (whether the section exists is checked against the draft).
pub fn check_new_comment(input: &NewComment) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(
        &mut e,
        domain::clean_text("section", &input.section, Lines::One, domain::MAX_SHORT_CHARS),
    )?;
    collect(&mut e, check_comment_text("body", &input.body, true))?;
    Ok(e)
}

/// Whether drafts of this kind need approval.
pub async fn required_for(db: &impl ConnectionTrait, kind: DocumentKind) -> AppResult<bool> {
    Ok(approval_rule::Entity::find_by_id(kind.as_str())
        .one(db)
        .await?
        .is_some_and(|r| r.required))
}

/// The kinds that need approval.
pub async fn rules(db: &impl ConnectionTrait) -> AppResult<ApprovalRules> {
    let rows = approval_rule::Entity::find()
        .filter(approval_rule::Column::Required.eq(true))
        .order_by_asc(approval_rule::Column::Kind)
        .all(db)
        .await?;
    Ok(ApprovalRules {
        required_for: rows.into_iter().map(|r| r.kind).collect(),
    })
}

/// Sets which kinds need approval (admins), audited.
pub async fn set_rules(db: &DatabaseConnection, actor: &str, input: &ApprovalRules) -> AppResult<ApprovalRules> {
    let mut kinds = Vec::new();
    for k in &input.required_for {
        let kind: DocumentKind = k.trim().parse().map_err(|e: RuleError| e.in_field("required_for"))?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let txn = crate::db::begin_write(db).await?;
    approval_rule::Entity::delete_many().exec(&txn).await?;
    for &kind in DocumentKind::ALL {
        approval_rule::ActiveModel {
            kind: Set(kind.as_str().into()),
            required: Set(kinds.contains(&kind)),
        }
        .insert(&txn)
        .await?;
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    audit::record(
        &txn,
        actor,
        "approval.rules",
        "registry",
        None,
        serde_json::json!({"required_for": names}),
    )
    .await?;
    txn.commit().await?;
    rules(db).await
}

async fn draft_of(db: &impl ConnectionTrait, document_id: i32, language: Language) -> AppResult<version::Model> {
    version::Entity::find()
        .filter(version::Column::DocumentId.eq(document_id))
        .filter(version::Column::Language.eq(language))
        .filter(version::Column::State.eq(VersionState::Draft))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("draft in {language} of document {document_id}")))
}

async fn latest_submission(db: &impl ConnectionTrait, version_id: i32) -> AppResult<Option<approval::Model>> {
    Ok(approval::Entity::find()
        .filter(approval::Column::VersionId.eq(version_id))
        .order_by_desc(approval::Column::Id)
        .one(db)
        .await?)
}

fn approval_state(latest: Option<&approval::Model>, draft: &version::Model) -> AppResult<DraftApproval> {
    let latest = latest
        .map(|a| a.state.parse::<ApprovalState>().map(|s| (s, a.fingerprint.as_str())))
        .transpose()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("bad approval state in database: {e}")))?;
    Ok(DraftApproval::of(latest, &fingerprint_of(draft)))
}

/// Where a language's draft stands, with its comments.
pub async fn status(db: &impl ConnectionTrait, document_id: i32, language: Language) -> AppResult<ApprovalView> {
    let doc = documents::find_visible(db, document_id, true).await?;
    let draft = draft_of(db, document_id, language).await?;
    let latest = latest_submission(db, draft.id).await?;
    let comments = draft_comment::Entity::find()
        .filter(draft_comment::Column::VersionId.eq(draft.id))
        .order_by_asc(draft_comment::Column::Id)
        .limit(MAX_COMMENTS_PER_DRAFT)
        .all(db)
        .await?;
    let revision: i32 = document::Entity::find_by_id(document_id)
        .select_only()
        .column(document::Column::Revision)
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or_default();
    Ok(ApprovalView {
        document_id,
        language,
        state: approval_state(latest.as_ref(), &draft)?,
        required: required_for(db, doc.kind).await?,
        author: draft.created_by.clone(),
        submitted_by: latest.as_ref().map(|a| a.submitted_by.clone()),
        submitted_at: latest.as_ref().map(|a| a.submitted_at),
        note: latest.as_ref().map(|a| a.note.clone()).unwrap_or_default(),
        decided_by: latest.as_ref().and_then(|a| a.decided_by.clone()),
        decided_at: latest.as_ref().and_then(|a| a.decided_at),
        comment: latest.as_ref().map(|a| a.comment.clone()).unwrap_or_default(),
        sections: crate::diff::headings(&draft.body),
        comments: comments
            .into_iter()
            .map(|c| CommentView {
                id: c.id,
                section: c.section,
                body: c.body,
                author: c.author,
                created_at: c.created_at,
            })
            .collect(),
        etag: documents::etag(document_id, revision),
    })
}

/// Ends a write on a draft: the audit entry, the commit, and the draft's state as it is now.
async fn finish(
    db: &DatabaseConnection,
    txn: sea_orm::DatabaseTransaction,
    caller: &Caller,
    action: &str,
    document_id: i32,
    language: Language,
) -> AppResult<ApprovalView> {
    audit::record(
        &txn,
        &caller.name,
        action,
        "document",
        Some(document_id),
        serde_json::json!({"language": language}),
    )
    .await?;
    txn.commit().await?;
    status(db, document_id, language).await
}

/// Submits a language's draft for approval (editors and admins).
pub async fn submit(
    db: &DatabaseConnection,
    caller: &Caller,
    document_id: i32,
    language: Language,
    if_match: Option<&str>,
    input: Submission,
) -> AppResult<ApprovalView> {
    refuse_first(check_submission(&input)?)?;
    let note = check_comment_text("note", &input.note, false)?;
    let txn = crate::db::begin_write(db).await?;
    editing::lock_document(&txn, document_id, if_match).await?;
    let draft = draft_of(&txn, document_id, language).await?;
    let latest = latest_submission(&txn, draft.id).await?;
    domain::check_may_submit(approval_state(latest.as_ref(), &draft)?)?;
    // An older submission that still waits (for a text since changed) gives way to this one.
    approval::Entity::update_many()
        .col_expr(
            approval::Column::State,
            sea_orm::sea_query::Expr::value(ApprovalState::Superseded.as_str()),
        )
        .filter(approval::Column::VersionId.eq(draft.id))
        .filter(approval::Column::State.is_in([ApprovalState::Pending, ApprovalState::Approved]))
        .exec(&txn)
        .await?;
    approval::ActiveModel {
        version_id: Set(draft.id),
        state: Set(ApprovalState::Pending.as_str().into()),
        fingerprint: Set(fingerprint_of(&draft)),
        submitted_by: Set(caller.name.clone()),
        submitted_at: Set(Utc::now()),
        note: Set(note),
        decided_by: Set(None),
        decided_at: Set(None),
        comment: Set(String::new()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    finish(db, txn, caller, "draft.submit", document_id, language).await
}

/// Approves a waiting draft, or sends it back with a comment: someone else than its author.
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    document_id: i32,
    language: Language,
    if_match: Option<&str>,
    input: Verdict,
    approve: bool,
) -> AppResult<ApprovalView> {
    refuse_first(check_verdict(&input, !approve)?)?;
    let comment = check_comment_text("comment", &input.comment, !approve)?;
    let txn = crate::db::begin_write(db).await?;
    editing::lock_document(&txn, document_id, if_match).await?;
    let draft = draft_of(&txn, document_id, language).await?;
    let latest = latest_submission(&txn, draft.id).await?;
    domain::check_decidable(approval_state(latest.as_ref(), &draft)?)?;
    let Some(submission) = latest else {
        return Err(AppError::Conflict(
            "the draft has not been submitted for approval".into(),
        ));
    };
    domain::check_may_decide(&caller.name, &submission.submitted_by, &draft.created_by)?;
    let state = if approve {
        ApprovalState::Approved
    } else {
        ApprovalState::Returned
    };
    let mut active: approval::ActiveModel = submission.into();
    active.state = Set(state.as_str().into());
    active.decided_by = Set(Some(caller.name.clone()));
    active.decided_at = Set(Some(Utc::now()));
    active.comment = Set(comment);
    active.update(&txn).await?;
    finish(
        db,
        txn,
        caller,
        if approve { "draft.approve" } else { "draft.return" },
        document_id,
        language,
    )
    .await
}

/// Adds a comment to a language's draft (any staff role, reviewers too).
pub async fn comment(
    db: &DatabaseConnection,
    caller: &Caller,
    document_id: i32,
    language: Language,
    input: NewComment,
) -> AppResult<ApprovalView> {
    refuse_first(check_new_comment(&input)?)?;
    let section = domain::clean_text("section", &input.section, Lines::One, domain::MAX_SHORT_CHARS)?
        .trim()
        .to_string();
    let body = check_comment_text("body", &input.body, true)?;
    let txn = crate::db::begin_write(db).await?;
    documents::find_visible(&txn, document_id, true).await?;
    let draft = draft_of(&txn, document_id, language).await?;
    domain::check_comment_section(&section, &crate::diff::headings(&draft.body))?;
    let count = draft_comment::Entity::find()
        .filter(draft_comment::Column::VersionId.eq(draft.id))
        .count(&txn)
        .await?;
    if count >= MAX_COMMENTS_PER_DRAFT {
        return Err(AppError::Conflict(format!(
            "the draft holds {MAX_COMMENTS_PER_DRAFT} comments, the most it can"
        )));
    }
    draft_comment::ActiveModel {
        version_id: Set(draft.id),
        section: Set(section),
        body: Set(body),
        author: Set(caller.name.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    finish(db, txn, caller, "draft.comment", document_id, language).await
}

/// Drafts waiting for approval as they stand, oldest submission first (at most `limit`).
pub async fn waiting(db: &impl ConnectionTrait, limit: u64) -> AppResult<Vec<WaitingItem>> {
    let pending = approval::Entity::find()
        .filter(approval::Column::State.eq(ApprovalState::Pending))
        .order_by_asc(approval::Column::SubmittedAt)
        .limit(limit)
        .all(db)
        .await?;
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let drafts = version::Entity::find()
        .select_only()
        .columns([
            version::Column::Id,
            version::Column::DocumentId,
            version::Column::Language,
            version::Column::Title,
            version::Column::Summary,
            version::Column::ContentHash,
        ])
        .filter(version::Column::Id.is_in(pending.iter().map(|a| a.version_id)))
        .filter(version::Column::State.eq(VersionState::Draft))
        .into_tuple::<(i32, i32, String, String, String, String)>()
        .all(db)
        .await?;
    let docs = documents::readable_records(
        document::Entity::find()
            .filter(document::Column::Id.is_in(drafts.iter().map(|d| d.1)))
            .all(db)
            .await?,
    );
    Ok(pending
        .into_iter()
        .filter_map(|a| {
            let (_, doc_id, language, title, summary, hash) = drafts.iter().find(|d| d.0 == a.version_id)?;
            // Edited since it was submitted: not waiting any more, the author must resubmit.
            if fingerprint(title, summary, hash) != a.fingerprint {
                return None;
            }
            let doc = docs.iter().find(|d| d.id == *doc_id)?;
            Some(WaitingItem {
                document_id: doc.id,
                kind: doc.kind,
                number: doc.number.clone(),
                title: title.clone(),
                language: language.parse().ok()?,
                submitted_by: a.submitted_by,
                submitted_at: a.submitted_at,
            })
        })
        .collect())
}

/// What a publication records about its approval.
pub(crate) struct Clearance {
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub forced_reason: Option<String>,
}

/// Decides, inside the publishing transaction, whether this draft may be published.
pub(crate) async fn gate(
    txn: &impl ConnectionTrait,
    kind: DocumentKind,
    draft: &version::Model,
    caller: &Caller,
    force_reason: Option<&str>,
) -> AppResult<Clearance> {
    let required = required_for(txn, kind).await?;
    let latest = latest_submission(txn, draft.id).await?;
    let state = approval_state(latest.as_ref(), draft)?;
    Ok(
        match domain::check_publishable(required, state, force_reason, caller.role)? {
            PublishGate::NotRequired => Clearance {
                approved_by: None,
                approved_at: None,
                forced_reason: None,
            },
            PublishGate::Approved => Clearance {
                approved_by: latest.as_ref().and_then(|a| a.decided_by.clone()),
                approved_at: latest.as_ref().and_then(|a| a.decided_at),
                forced_reason: None,
            },
            PublishGate::Forced(reason) => Clearance {
                approved_by: None,
                approved_at: None,
                forced_reason: Some(reason),
            },
        },
    )
}
