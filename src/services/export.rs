//! Export of the whole registry as JSON lines, and the import of such an export into an empty
//! database, which gives back the same registry (same ids, same content hashes).

use std::collections::HashSet;
use std::io::Write;

use sea_orm::DatabaseConnection;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, PaginatorTrait, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::domain::text::is_clean;
use crate::domain::{
    self, AgendaKind, ApprovalState, CaseNumber, ChangeKind, DocumentKind, DocumentStatus, ItemOutcome, Language,
    Lines, MeetingState, PlanItemKind, PlanItemState, PlanPeriod, PlanPeriodState, RelationKind, ReviewOutcome,
    RevisionKind, RevisionOrigin, RevisionState, VersionLabel, VersionState,
};
use crate::entities::{
    agenda_item, agenda_item_link, approval, approval_rule, decision, document, draft_comment, external_successor,
    meeting, path_alias, plan_item, plan_period, registry_meta, relation, review, revision_need, revision_source,
    version, withdrawal,
};
use crate::services::approvals;
use crate::services::import::NumberedLines;
use crate::services::users::sha256_hex;

/// Name in the header line that marks a registry export.
pub const FORMAT: &str = "normen-registry-export";

/// One line of an export.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExportRecord {
    Header { format: String, version: u32 },
    Meta(registry_meta::Model),
    Decision(decision::Model),
    Document(document::Model),
    Version(version::Model),
    Withdrawal(withdrawal::Model),
    Relation(relation::Model),
    RevisionSource(revision_source::Model),
    RevisionNeed(revision_need::Model),
    Meeting(meeting::Model),
    AgendaItem(agenda_item::Model),
    AgendaItemLink(agenda_item_link::Model),
    Review(review::Model),
    PathAlias(path_alias::Model),
    ExternalSuccessor(external_successor::Model),
    ApprovalRule(approval_rule::Model),
    Approval(approval::Model),
    DraftComment(draft_comment::Model),
    PlanPeriod(plan_period::Model),
    PlanItem(plan_item::Model),
}

/// Counts of what an export holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExportCounts {
    pub documents: usize,
    pub versions: usize,
    pub other: usize,
}

fn line(out: &mut impl Write, record: &ExportRecord) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes everything, in id order so two exports of the same registry are byte for byte equal.
pub async fn export(db: &impl ConnectionTrait, out: &mut impl Write) -> anyhow::Result<ExportCounts> {
    let mut counts = ExportCounts::default();
    line(
        out,
        &ExportRecord::Header {
            format: FORMAT.into(),
            version: 1,
        },
    )?;
    for m in registry_meta::Entity::find()
        .order_by_asc(registry_meta::Column::Key)
        .all(db)
        .await?
    {
        line(out, &ExportRecord::Meta(m))?;
    }
    for m in decision::Entity::find()
        .order_by_asc(decision::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::Decision(m))?;
    }
    for m in document::Entity::find()
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?
    {
        counts.documents += 1;
        line(out, &ExportRecord::Document(m))?;
    }
    // Versions hold most of the bytes: page through them instead of loading all at once.
    let mut pages = version::Entity::find()
        .order_by_asc(version::Column::Id)
        .paginate(db, 500);
    while let Some(batch) = pages.fetch_and_next().await? {
        for m in batch {
            counts.versions += 1;
            line(out, &ExportRecord::Version(m))?;
        }
    }
    for m in withdrawal::Entity::find()
        .order_by_asc(withdrawal::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::Withdrawal(m))?;
    }
    for m in relation::Entity::find()
        .order_by_asc(relation::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::Relation(m))?;
    }
    for m in revision_source::Entity::find()
        .order_by_asc(revision_source::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::RevisionSource(m))?;
    }
    for m in revision_need::Entity::find()
        .order_by_asc(revision_need::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::RevisionNeed(m))?;
    }
    for m in plan_period::Entity::find()
        .order_by_asc(plan_period::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::PlanPeriod(m))?;
    }
    for m in plan_item::Entity::find()
        .order_by_asc(plan_item::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::PlanItem(m))?;
    }
    for m in meeting::Entity::find()
        .order_by_asc(meeting::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::Meeting(m))?;
    }
    for m in agenda_item::Entity::find()
        .order_by_asc(agenda_item::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::AgendaItem(m))?;
    }
    for m in agenda_item_link::Entity::find()
        .order_by_asc(agenda_item_link::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::AgendaItemLink(m))?;
    }
    for m in review::Entity::find().order_by_asc(review::Column::Id).all(db).await? {
        counts.other += 1;
        line(out, &ExportRecord::Review(m))?;
    }
    for m in path_alias::Entity::find()
        .order_by_asc(path_alias::Column::Path)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::PathAlias(m))?;
    }
    for m in external_successor::Entity::find()
        .order_by_asc(external_successor::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::ExternalSuccessor(m))?;
    }
    for m in approval_rule::Entity::find()
        .order_by_asc(approval_rule::Column::Kind)
        .all(db)
        .await?
    {
        line(out, &ExportRecord::ApprovalRule(m))?;
    }
    for m in approval::Entity::find()
        .order_by_asc(approval::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::Approval(m))?;
    }
    for m in draft_comment::Entity::find()
        .order_by_asc(draft_comment::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::DraftComment(m))?;
    }
    out.flush()?;
    Ok(counts)
}

/// Returns whether the first line of a file is an export header.
pub fn is_export_header(first_line: &str) -> bool {
    matches!(serde_json::from_str::<ExportRecord>(first_line), Ok(ExportRecord::Header { format, .. }) if format == FORMAT)
}

/// An export that was refused: every record that breaks a rule, by line number. Nothing of
/// the file was stored.
#[derive(Debug)]
pub struct ExportRefused {
    pub refusals: Vec<(usize, String)>,
}

impl std::fmt::Display for ExportRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "the export was refused and nothing was stored: {} line(s) break the registry's rules",
            self.refusals.len()
        )?;
        for (no, why) in self.refusals.iter().take(100) {
            writeln!(f, "line {no}: {why}")?;
        }
        if self.refusals.len() > 100 {
            writeln!(f, "… and {} more", self.refusals.len() - 100)?;
        }
        Ok(())
    }
}

impl std::error::Error for ExportRefused {}

/// What the records read so far hold, for checking references and uniqueness line by line.
#[derive(Default)]
struct Seen {
    header: bool,
    decisions: HashSet<i32>,
    documents: HashSet<i32>,
    number_keys: HashSet<(String, String)>,
    versions: HashSet<i32>,
    labels: HashSet<(i32, String, String)>,
    needs: HashSet<i32>,
    withdrawals: HashSet<i32>,
    sources: HashSet<i32>,
    meetings: HashSet<i32>,
    agenda_items: HashSet<i32>,
    plan_periods: HashSet<String>,
    plan_items: HashSet<i32>,
}

fn text(field: &str, value: &str, lines: Lines, max_chars: usize) -> Result<(), String> {
    if let Some(why) = domain::text::text_problem(value, lines) {
        return Err(format!("{field} holds {why}"));
    }
    if !is_clean(value, lines) {
        return Err(format!(
            "{field} is not in the registry's normal form (NFC, LF newlines)"
        ));
    }
    if value.chars().count() > max_chars {
        return Err(format!("{field} is longer than {max_chars} characters"));
    }
    Ok(())
}

fn title(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err("title is empty".into());
    }
    text("title", value, Lines::One, domain::MAX_TITLE_CHARS)
}

fn opt_text(field: &str, value: Option<&str>, lines: Lines, max_chars: usize) -> Result<(), String> {
    value.map_or(Ok(()), |v| text(field, v, lines, max_chars))
}

fn parse<T: std::str::FromStr<Err = domain::RuleError>>(value: &str) -> Result<T, String> {
    value.parse::<T>().map_err(|e| e.to_string())
}

fn known(what: &str, set: &HashSet<i32>, id: Option<i32>) -> Result<(), String> {
    match id {
        Some(id) if !set.contains(&id) => Err(format!("{what} {id} does not come before it in the export")),
        _ => Ok(()),
    }
}

fn check_date(what: &str, date: chrono::NaiveDate, today: chrono::NaiveDate) -> Result<(), String> {
    // A day of slack: the export may come from a machine a time zone ahead.
    if date > today + chrono::Days::new(1) {
        return Err(format!("{what} {date} is in the future"));
    }
    if date < domain::EARLIEST_DATE {
        return Err(format!("{what} {date} is before {}", domain::EARLIEST_DATE));
    }
    Ok(())
}

/// Checks one record against the rules the API applies (kinds, states, languages, labels,
/// text hygiene, body limits, dates, content hashes) and the records before it (references,
/// uniqueness). A document without `number_key` (an older export) gets it computed.
fn check_record(record: &mut ExportRecord, seen: &mut Seen, today: chrono::NaiveDate) -> Result<(), String> {
    // Ids count as seen even when their record is refused: the file is refused anyway, and the
    // records that refer to them are then judged on their own faults, not reported in a cascade.
    match record {
        ExportRecord::Decision(d) => seen.decisions.insert(d.id),
        ExportRecord::Document(d) => seen.documents.insert(d.id),
        ExportRecord::Version(v) => seen.versions.insert(v.id),
        ExportRecord::RevisionNeed(n) => seen.needs.insert(n.id),
        ExportRecord::Withdrawal(w) => seen.withdrawals.insert(w.id),
        ExportRecord::RevisionSource(s) => seen.sources.insert(s.id),
        ExportRecord::Meeting(m) => seen.meetings.insert(m.id),
        ExportRecord::AgendaItem(i) => seen.agenda_items.insert(i.id),
        ExportRecord::PlanItem(i) => seen.plan_items.insert(i.id),
        _ => false,
    };
    match record {
        ExportRecord::Header { format, version } => {
            if format != FORMAT || *version != 1 {
                return Err(format!(
                    "unknown export format {format:?} version {version}; this registry reads {FORMAT} version 1"
                ));
            }
            seen.header = true;
        }
        _ if !seen.header => return Err("the export header must come first".into()),
        ExportRecord::Meta(m) => {
            if m.key.is_empty() || m.key.len() > 64 || !m.key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(format!("meta key {:?} is not a registry setting", m.key));
            }
            if m.key == "generation" && m.value < 0 {
                return Err(format!(
                    "the change counter (generation) is {}; it cannot be negative",
                    m.value
                ));
            }
        }
        ExportRecord::Decision(d) => {
            let case: CaseNumber = parse(&d.case_number)?;
            if case.as_str() != d.case_number {
                return Err(format!(
                    "case number {:?} is not written as the registry writes it",
                    d.case_number
                ));
            }
            title(&d.title)?;
            text("outcome", &d.outcome, Lines::Many, domain::MAX_LONG_TEXT_CHARS)?;
        }
        ExportRecord::Document(d) => {
            parse::<DocumentKind>(&d.kind)?;
            parse::<DocumentStatus>(&d.status)?;
            parse::<Language>(&d.language)?;
            if domain::slugify(&d.slug) != d.slug {
                return Err(format!(
                    "slug {:?} may only hold lowercase letters a-z, digits and dashes",
                    d.slug
                ));
            }
            opt_text("external_id", d.external_id.as_deref(), Lines::One, 1000)?;
            if let Some(v) = &d.normen_version {
                parse::<VersionLabel>(v)?;
            }
            if d.revision < 1 {
                return Err(format!("revision {} must be at least 1", d.revision));
            }
            if let Some(m) = d.review_interval_months {
                domain::check_review_interval(i64::from(m)).map_err(|e| e.to_string())?;
            }
            match &d.number {
                None if d.number_key.is_some() => return Err("number_key without a number".into()),
                None => {}
                Some(n) => {
                    if domain::parse_document_number(n).map_err(|e| e.to_string())? != *n {
                        return Err(format!("number {n:?} is not written as the registry writes it"));
                    }
                    let key = domain::number_key(n).map_err(|e| e.to_string())?;
                    match &d.number_key {
                        Some(k) if *k != key => {
                            return Err(format!("number_key {k:?} does not match number {n:?} ({key})"));
                        }
                        Some(_) => {}
                        None => d.number_key = Some(key.clone()),
                    }
                    if !seen.number_keys.insert((d.kind.clone(), key)) {
                        return Err(format!(
                            "a {} with number {n} (or the same number written otherwise) comes earlier",
                            d.kind
                        ));
                    }
                }
            }
        }
        ExportRecord::Version(v) => {
            known("document", &seen.documents, Some(v.document_id))?;
            known("decision", &seen.decisions, v.decision_id)?;
            known("source version", &seen.versions, v.source_version_id)?;
            if v.source_version_id == Some(v.id) {
                return Err("a version cannot translate itself".into());
            }
            parse::<Language>(&v.language)?;
            match parse::<VersionState>(&v.state)? {
                VersionState::Published => {
                    let label_text = v.label.as_deref().ok_or("a published version needs a label")?;
                    let label: VersionLabel = parse(label_text)?;
                    if label.to_string() != label_text
                        || VersionLabel::from_stored(v.label_major, v.label_minor) != Some(label)
                    {
                        return Err(format!(
                            "label {label_text:?} does not match label_major/label_minor or is not written as the registry writes it"
                        ));
                    }
                    parse::<ChangeKind>(
                        v.change_kind
                            .as_deref()
                            .ok_or("a published version needs a change_kind")?,
                    )?;
                    check_date(
                        "published_on",
                        v.published_on.ok_or("a published version needs published_on")?,
                        today,
                    )?;
                    if !seen
                        .labels
                        .insert((v.document_id, v.language.clone(), label_text.to_string()))
                    {
                        return Err(format!(
                            "version {label_text} in {} of document {} comes twice",
                            v.language, v.document_id
                        ));
                    }
                }
                VersionState::Draft => {
                    if v.label.is_some()
                        || v.label_major.is_some()
                        || v.label_minor.is_some()
                        || v.published_on.is_some()
                        || v.published_at.is_some()
                    {
                        return Err("a draft has no label and no publication date".into());
                    }
                }
            }
            title(&v.title)?;
            if let Some(n) = &v.normen_version {
                parse::<VersionLabel>(n)?;
            }
            text("summary", &v.summary, Lines::Many, domain::MAX_SUMMARY_CHARS)?;
            text("change_note", &v.change_note, Lines::Many, domain::MAX_NOTE_CHARS)?;
            if v.body.len() > domain::MAX_BODY_BYTES {
                return Err("body is larger than 2 MiB".into());
            }
            text("body", &v.body, Lines::Many, usize::MAX)?;
            domain::body::check_body_structure(&v.body).map_err(|e| format!("body: {e}"))?;
            text("created_by", &v.created_by, Lines::One, 100)?;
            opt_text("approved_by", v.approved_by.as_deref(), Lines::One, 100)?;
            opt_text(
                "forced_reason",
                v.forced_reason.as_deref(),
                Lines::One,
                domain::MAX_REASON_CHARS,
            )?;
            if sha256_hex(&v.body) != v.content_hash {
                return Err(format!(
                    "content_hash {:?} is not the SHA-256 of the body",
                    v.content_hash
                ));
            }
        }
        ExportRecord::Withdrawal(w) => {
            known("document", &seen.documents, Some(w.document_id))?;
            known("decision", &seen.decisions, w.decision_id)?;
            if w.reason.trim().is_empty() {
                return Err("a withdrawal needs a reason".into());
            }
            text("reason", &w.reason, Lines::Many, domain::MAX_REASON_CHARS)?;
            opt_text(
                "reinstate_reason",
                w.reinstate_reason.as_deref(),
                Lines::Many,
                domain::MAX_REASON_CHARS,
            )?;
            if let Some(on) = w.withdrawn_on {
                check_date("withdrawn_on", on, today)?;
            }
        }
        ExportRecord::Relation(r) => {
            known("document", &seen.documents, Some(r.from_document_id))?;
            known("document", &seen.documents, Some(r.to_document_id))?;
            parse::<RelationKind>(&r.kind)?;
            if r.from_document_id == r.to_document_id {
                return Err("a document cannot relate to itself".into());
            }
        }
        ExportRecord::RevisionNeed(n) => {
            known("document", &seen.documents, Some(n.document_id))?;
            known("version", &seen.versions, n.version_id)?;
            known("version", &seen.versions, n.resolved_version_id)?;
            known("withdrawal", &seen.withdrawals, n.resolved_withdrawal_id)?;
            known("revision source", &seen.sources, n.source_id)?;
            known("decision", &seen.decisions, n.decision_id)?;
            parse::<RevisionOrigin>(&n.origin)?;
            parse::<RevisionKind>(&n.kind)?;
            parse::<RevisionState>(&n.state)?;
            if !(1..=3).contains(&n.priority) {
                return Err(format!("priority {} must be 1, 2 or 3", n.priority));
            }
            if let Some(p) = &n.period {
                parse::<PlanPeriod>(p)?;
            }
            title(&n.title)?;
            let long = domain::MAX_LONG_TEXT_CHARS;
            text("description", &n.description, Lines::Many, long)?;
            opt_text("origin_body", n.origin_body.as_deref(), Lines::Many, long)?;
            opt_text(
                "origin_reference",
                n.origin_reference.as_deref(),
                Lines::One,
                domain::MAX_SHORT_CHARS,
            )?;
            opt_text("section", n.section.as_deref(), Lines::One, domain::MAX_SHORT_CHARS)?;
        }
        ExportRecord::RevisionSource(s) => {
            title(&s.title)?;
            text("reference", &s.reference, Lines::One, domain::MAX_SHORT_CHARS)?;
            if let Some(u) = &s.url {
                domain::check_external_url(u).map_err(|e| e.to_string())?;
            }
            text("description", &s.description, Lines::Many, domain::MAX_LONG_TEXT_CHARS)?;
            parse::<RevisionKind>(&s.kind)?;
            text("created_by", &s.created_by, Lines::One, 100)?;
        }
        ExportRecord::Meeting(m) => {
            parse::<MeetingState>(&m.state)?;
            title(&m.title)?;
            text("place", &m.place, Lines::One, domain::MAX_SHORT_CHARS)?;
            for t in [&m.starts_at, &m.ends_at].into_iter().flatten() {
                domain::parse_clock(t).map_err(|e| e.to_string())?;
            }
            text("created_by", &m.created_by, Lines::One, 100)?;
        }
        ExportRecord::AgendaItem(i) => {
            known("meeting", &seen.meetings, Some(i.meeting_id))?;
            known("decision", &seen.decisions, i.decision_id)?;
            let case = parse::<CaseNumber>(&i.case_number)?;
            if (case.year(), case.number() as i32) != (i.case_year, i.case_seq) {
                return Err(format!("case_year and case_seq do not match case {}", i.case_number));
            }
            parse::<AgendaKind>(&i.kind)?;
            if let Some(o) = &i.outcome {
                parse::<ItemOutcome>(o)?;
            }
            title(&i.title)?;
            let long = domain::MAX_LONG_TEXT_CHARS;
            text("background", &i.background, Lines::Many, long)?;
            text("proposal", &i.proposal, Lines::Many, long)?;
            text("outcome_text", &i.outcome_text, Lines::Many, long)?;
            opt_text("presenter", i.presenter.as_deref(), Lines::One, domain::MAX_SHORT_CHARS)?;
            if let Some(t) = &i.starts_at {
                domain::parse_clock(t).map_err(|e| e.to_string())?;
            }
        }
        ExportRecord::AgendaItemLink(l) => {
            known("agenda item", &seen.agenda_items, Some(l.item_id))?;
            known("document", &seen.documents, l.document_id)?;
            known("revision need", &seen.needs, l.revision_need_id)?;
            known("plan item", &seen.plan_items, l.plan_item_id)?;
            let named = [l.document_id, l.revision_need_id, l.plan_item_id]
                .iter()
                .filter(|x| x.is_some())
                .count();
            if named != 1 {
                return Err("an agenda item link names one document, revision need or plan item".into());
            }
        }
        ExportRecord::Review(r) => {
            known("document", &seen.documents, Some(r.document_id))?;
            known("decision", &seen.decisions, r.decision_id)?;
            known("revision need", &seen.needs, r.revision_need_id)?;
            parse::<ReviewOutcome>(&r.outcome)?;
            text("note", &r.note, Lines::Many, domain::MAX_NOTE_CHARS)?;
            text(
                "reviewer",
                &r.reviewer,
                Lines::One,
                domain::account::USER_NAME_MAX_CHARS,
            )?;
            check_date("reviewed_on", r.reviewed_on, today)?;
        }
        ExportRecord::ExternalSuccessor(x) => {
            known("withdrawal", &seen.withdrawals, Some(x.withdrawal_id))?;
            title(&x.title)?;
            domain::check_external_url(&x.url).map_err(|e| e.to_string())?;
        }
        ExportRecord::ApprovalRule(r) => {
            parse::<DocumentKind>(&r.kind)?;
        }
        ExportRecord::Approval(a) => {
            known("version", &seen.versions, Some(a.version_id))?;
            parse::<ApprovalState>(&a.state)?;
            text("submitted_by", &a.submitted_by, Lines::One, 100)?;
            opt_text("decided_by", a.decided_by.as_deref(), Lines::One, 100)?;
            text("note", &a.note, Lines::Many, approvals::MAX_COMMENT_CHARS)?;
            text("comment", &a.comment, Lines::Many, approvals::MAX_COMMENT_CHARS)?;
            if a.fingerprint.len() != 64 || !a.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err("fingerprint is not a SHA-256 in hex".into());
            }
        }
        ExportRecord::DraftComment(c) => {
            known("version", &seen.versions, Some(c.version_id))?;
            text("section", &c.section, Lines::One, domain::MAX_SHORT_CHARS)?;
            text("body", &c.body, Lines::Many, approvals::MAX_COMMENT_CHARS)?;
            if c.body.trim().is_empty() {
                return Err("a comment needs a body".into());
            }
            text("author", &c.author, Lines::One, 100)?;
        }
        ExportRecord::PlanPeriod(p) => {
            parse::<PlanPeriod>(&p.key)?;
            parse::<PlanPeriodState>(&p.state)?;
            known("decision", &seen.decisions, p.decision_id)?;
            if (p.state == PlanPeriodState::Adopted.as_str()) != p.decision_id.is_some() {
                return Err("an adopted plan period, and only one, names the decision that adopted it".into());
            }
            if !seen.plan_periods.insert(p.key.clone()) {
                return Err(format!("plan period {} comes twice", p.key));
            }
        }
        ExportRecord::PlanItem(i) => {
            let known_period = |key: &str| {
                if seen.plan_periods.contains(key) {
                    Ok(())
                } else {
                    Err(format!("plan period {key} does not come before it in the export"))
                }
            };
            known_period(&i.period)?;
            if let Some(to) = &i.moved_to {
                known_period(to)?;
                if *to == i.period {
                    return Err("a plan item cannot have moved to its own period".into());
                }
                if i.moved_reason.is_none() {
                    return Err("a moved plan item needs the reason it moved".into());
                }
            }
            known("document", &seen.documents, i.document_id)?;
            known("revision need", &seen.needs, i.revision_need_id)?;
            known("decision", &seen.decisions, i.decision_id)?;
            if i.moved_from_item_id == Some(i.id) {
                return Err("a plan item cannot continue itself".into());
            }
            known("plan item", &seen.plan_items, i.moved_from_item_id)?;
            parse::<PlanItemKind>(&i.kind)?;
            parse::<PlanItemState>(&i.state)?;
            if !(1..=3).contains(&i.priority) {
                return Err(format!("priority {} must be 1, 2 or 3", i.priority));
            }
            title(&i.title)?;
            text("description", &i.description, Lines::Many, domain::MAX_LONG_TEXT_CHARS)?;
            opt_text(
                "moved_reason",
                i.moved_reason.as_deref(),
                Lines::One,
                crate::services::plans::MAX_MOVE_REASON_CHARS,
            )?;
            text("created_by", &i.created_by, Lines::One, 100)?;
        }
        ExportRecord::PathAlias(a) => {
            known("document", &seen.documents, Some(a.document_id))?;
            let ok = a.path.len() <= 200
                && a.path.starts_with('/')
                && a.path[1..].split('/').count() == 2
                && a.path
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'/');
            if !ok {
                return Err(format!(
                    "path {:?} is not a document address such as /faktaark/37",
                    a.path
                ));
            }
        }
    }
    Ok(())
}

/// Loads an export into an empty database, in one transaction. Every record is checked first
/// (see `check_record`); if any is refused, the file is refused whole, with the line number and
/// reason of each refusal, and nothing is stored.
pub async fn import_export(db: &DatabaseConnection, lines: NumberedLines) -> anyhow::Result<ExportCounts> {
    if document::Entity::find().count(db).await? > 0 {
        anyhow::bail!("an export is imported into an empty database; this one holds documents already");
    }
    let today = chrono::Utc::now().date_naive();
    let mut seen = Seen::default();
    let mut refusals = Vec::new();
    let mut records = Vec::new();
    for (no, line) in lines {
        let text = match line {
            Ok(t) => t,
            Err(why) => {
                refusals.push((no, why));
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        let mut record: ExportRecord = match serde_json::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                refusals.push((no, format!("not an export record: {e}")));
                continue;
            }
        };
        match check_record(&mut record, &mut seen, today) {
            Ok(()) => records.push(record),
            Err(why) => refusals.push((no, why)),
        }
    }
    if !refusals.is_empty() {
        return Err(ExportRefused { refusals }.into());
    }
    let txn = crate::db::begin_write(db).await?;
    let mut counts = ExportCounts::default();
    for record in records {
        match record {
            ExportRecord::Header { .. } => {}
            ExportRecord::Meta(m) => {
                registry_meta::Entity::delete_by_id(m.key.clone()).exec(&txn).await?;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Decision(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Document(m) => {
                counts.documents += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Version(m) => {
                counts.versions += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Withdrawal(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Relation(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::RevisionSource(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::RevisionNeed(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Meeting(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::AgendaItem(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::AgendaItemLink(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Review(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::PathAlias(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::ExternalSuccessor(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::ApprovalRule(m) => {
                // The migration wrote the defaults; the export's rules replace them.
                approval_rule::Entity::delete_by_id(m.kind.clone()).exec(&txn).await?;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Approval(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::DraftComment(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::PlanPeriod(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::PlanItem(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
        }
    }
    // Rows came with their ids: move PostgreSQL's sequences past them.
    if txn.get_database_backend() == DbBackend::Postgres {
        for table in [
            "decision",
            "document",
            "version",
            "withdrawal",
            "relation",
            "revision_need",
            "review",
            "external_successor",
            "approval",
            "draft_comment",
            "revision_source",
            "meeting",
            "agenda_item",
            "agenda_item_link",
            "plan_period",
            "plan_item",
        ] {
            txn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .await?;
        }
    }
    // The list keys are derived, not exported: derive them for every document imported.
    let ids: Vec<i32> = document::Entity::find()
        .select_only()
        .column(document::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    crate::services::documents::refresh_sort_titles(&txn, &ids).await?;
    txn.commit().await?;
    Ok(counts)
}

/// Writes a consistent copy of a live SQLite database to `target` (`VACUUM INTO`: an online
/// backup that readers and writers need not stop for). PostgreSQL is backed up with `pg_dump`.
pub async fn backup_sqlite(db: &impl ConnectionTrait, target: &std::path::Path) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Sqlite {
        anyhow::bail!("backup copies a SQLite database; for PostgreSQL use pg_dump (see the README)");
    }
    if target.exists() {
        anyhow::bail!("{} exists already; a backup never overwrites a file", target.display());
    }
    let path = target
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the backup path must be UTF-8"))?;
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [path.into()],
    ))
    .await?;
    Ok(())
}
