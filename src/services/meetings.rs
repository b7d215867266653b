//! The steering group's meetings: the agenda (cases with background and *forslag til vedtak*),
//! the outcome of each case, the call and the minutes as Markdown, and the public case page.
//! A decided item becomes (or takes over) the `decision` row of its case number, so every
//! publication, withdrawal and plan that cites "23/25" keeps citing it; decisions recorded
//! without a meeting stay cases without one.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, ModelTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{self, AgendaKind, Caller, CaseNumber, Fault, FieldError, ItemOutcome, MeetingState, RuleError};
use crate::entities::{
    agenda_item, agenda_item_link, decision, meeting, plan_item, plan_period, revision_need, version, withdrawal,
};
use crate::error::{AppError, AppResult};
use crate::services::audit;
use crate::services::checks::{FieldErrors, collect, parse_field, refuse_first};
use crate::services::documents::{self, DocumentRef};
use crate::services::revision_needs;

/// Most items one meeting's agenda holds.
pub const MAX_ITEMS: u64 = 100;
/// Most documents and revision needs one item links to.
pub const MAX_LINKS: usize = 50;
/// Most meetings a list returns.
pub const LIST_LIMIT: u64 = 500;

/// A meeting to put in the registry.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeeting {
    pub date: NaiveDate,
    /// "Styringsgruppemøte i Normen".
    pub title: String,
    /// "Digitalt møte", "Helsedirektoratet, Vitaminveien 4".
    pub place: String,
    /// "10:00".
    #[serde(default)]
    pub starts_at: Option<String>,
    /// "16:00".
    #[serde(default)]
    pub ends_at: Option<String>,
    /// planned (default), called or held: an old meeting is recorded as held.
    #[serde(default)]
    pub state: Option<String>,
}

/// Changes to a meeting; absent fields stay as they are. The state moves forward only.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingChange {
    pub date: Option<NaiveDate>,
    pub title: Option<String>,
    pub place: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub state: Option<String>,
}

/// A case to put on a meeting's agenda.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgendaItem {
    /// "23/25"; the next number of the meeting's year when left out.
    #[serde(default)]
    pub case: Option<String>,
    /// decision (beslutningssak), information (orientering) or approval (godkjenning).
    pub kind: String,
    pub title: String,
    /// Background, Markdown.
    #[serde(default)]
    pub background: String,
    /// *Forslag til vedtak* (decision and approval items).
    #[serde(default)]
    pub proposal: String,
    #[serde(default)]
    pub presenter: Option<String>,
    /// "11:45".
    #[serde(default)]
    pub starts_at: Option<String>,
    /// Documents the case is about.
    #[serde(default)]
    pub documents: Vec<i32>,
    /// Revision needs the case is about.
    #[serde(default)]
    pub revision_needs: Vec<i32>,
    /// Items of the action plan the case is about.
    #[serde(default)]
    pub plan_items: Vec<i32>,
}

/// What came of an item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOutcome {
    /// decided, deferred, rejected or noted.
    pub status: String,
    /// The decision as adopted (the proposal when left empty for a decided item), or a note.
    #[serde(default)]
    pub text: String,
}

/// A revision need as an agenda item names it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedRef {
    pub id: i32,
    pub document_id: i32,
    pub title: String,
}

/// An item of the action plan as an agenda item or a case names it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanRef {
    pub id: i32,
    pub period: String,
    pub title: String,
}

/// One case on an agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgendaItemView {
    pub id: i32,
    pub meeting_id: i32,
    pub position: i32,
    pub case: String,
    /// Whether the case number is used by another item too (a mistake in the paper).
    pub repeated_case: bool,
    pub kind: AgendaKind,
    pub title: String,
    pub background: String,
    pub proposal: String,
    pub presenter: Option<String>,
    pub starts_at: Option<String>,
    pub outcome: Option<ItemOutcome>,
    pub outcome_text: String,
    /// The public case page.
    pub case_url: String,
    pub documents: Vec<DocumentRef>,
    /// Staff only.
    pub revision_needs: Vec<NeedRef>,
    /// Staff only (the plan is the secretariat's working paper).
    pub plan_items: Vec<PlanRef>,
}

/// A meeting with its agenda.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: i32,
    pub date: NaiveDate,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: String,
    pub title: String,
    pub state: MeetingState,
    pub items: Vec<AgendaItemView>,
    /// The number a new case on this meeting gets unless another is given.
    pub next_case: String,
    /// For the secretariat: case numbers used twice, and the like.
    pub warnings: Vec<String>,
}

/// A meeting in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingSummary {
    pub id: i32,
    pub date: NaiveDate,
    pub title: String,
    pub place: String,
    pub state: MeetingState,
    pub items: u64,
}

/// A document version that cites a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CitingVersion {
    pub document: DocumentRef,
    pub label: String,
    pub language: domain::Language,
    pub published_on: NaiveDate,
}

/// A withdrawal that cites a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CitingWithdrawal {
    pub document: DocumentRef,
    pub withdrawn_on: Option<NaiveDate>,
    pub reason: String,
}

/// A case and everything it touched.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    pub case: String,
    /// The decision as adopted, once the case is decided.
    pub decision: Option<crate::services::decisions::DecisionView>,
    /// The agenda items with this number, each with its meeting (more than one when a
    /// paper reused the number, or a case was deferred to a later meeting).
    pub items: Vec<CaseItem>,
    pub versions: Vec<CitingVersion>,
    pub withdrawals: Vec<CitingWithdrawal>,
    /// Revision needs the decision planned or resolved (the public sees the public ones).
    pub revision_needs: Vec<NeedRef>,
    /// Plan items the case asked for or is about.
    pub plan_items: Vec<PlanRef>,
    /// Plan periods the decision adopted.
    pub plan_periods: Vec<String>,
}

/// An agenda item of a case, with its meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseItem {
    pub meeting: MeetingSummary,
    pub item: AgendaItemView,
}

fn one_line(field: &'static str, value: &str) -> Result<String, RuleError> {
    revision_needs::short_text(field, value)
}

fn clock(field: &'static str, value: Option<&str>) -> Result<Option<String>, RuleError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => domain::parse_clock(v).map(Some).map_err(|e| e.in_field(field)),
    }
}

fn required(e: &mut FieldErrors, field: &'static str, value: &str, what: &str) {
    if value.trim().is_empty() {
        e.push(FieldError::new(field, Fault::Required, format!("give the {what}")));
    }
}

/// Every field error of a new meeting.
pub fn check_new_meeting(input: &NewMeeting) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, domain::clean_title(&input.title))?;
    collect(&mut e, one_line("place", &input.place))?;
    required(&mut e, "place", &input.place, "place, e.g. Digitalt møte");
    collect(&mut e, clock("starts_at", input.starts_at.as_deref()))?;
    collect(&mut e, clock("ends_at", input.ends_at.as_deref()))?;
    if let Some(s) = &input.state {
        collect(&mut e, parse_field::<MeetingState>("state", s))?;
    }
    Ok(e)
}

/// Every field error of a meeting's change.
pub fn check_meeting_change(input: &MeetingChange) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    if let Some(t) = &input.title {
        collect(&mut e, domain::clean_title(t))?;
    }
    if let Some(p) = &input.place {
        collect(&mut e, one_line("place", p))?;
        required(&mut e, "place", p, "place, e.g. Digitalt møte");
    }
    collect(&mut e, clock("starts_at", input.starts_at.as_deref()))?;
    collect(&mut e, clock("ends_at", input.ends_at.as_deref()))?;
    if let Some(s) = &input.state {
        collect(&mut e, parse_field::<MeetingState>("state", s))?;
    }
    Ok(e)
}

/// Every field error of a new agenda item (whether what it links to exists is the use case's
/// question).
pub fn check_new_item(input: &NewAgendaItem) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    if let Some(c) = input.case.as_deref().filter(|c| !c.trim().is_empty()) {
        collect(&mut e, parse_field::<CaseNumber>("case", c))?;
    }
    collect(&mut e, parse_field::<AgendaKind>("kind", &input.kind))?;
    collect(&mut e, domain::clean_title(&input.title))?;
    collect(&mut e, revision_needs::long_text("background", &input.background))?;
    collect(&mut e, revision_needs::long_text("proposal", &input.proposal))?;
    if let Some(p) = &input.presenter {
        collect(&mut e, one_line("presenter", p))?;
    }
    collect(&mut e, clock("starts_at", input.starts_at.as_deref()))?;
    if input.documents.len() + input.revision_needs.len() + input.plan_items.len() > MAX_LINKS {
        e.push(FieldError::new(
            "documents",
            Fault::Malformed,
            format!("an item links to at most {MAX_LINKS} documents and revision needs"),
        ));
    }
    Ok(e)
}

/// Every field error of an outcome (whether it fits the item is the use case's question).
pub fn check_outcome(input: &NewOutcome) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, parse_field::<ItemOutcome>("status", &input.status))?;
    collect(
        &mut e,
        crate::services::decisions::clean_outcome(&input.text).map_err(|r| r.in_field("text")),
    )?;
    Ok(e)
}

fn trimmed(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// Puts a meeting in the registry.
pub async fn create(db: &DatabaseConnection, caller: &Caller, input: NewMeeting) -> AppResult<MeetingView> {
    refuse_first(check_new_meeting(&input)?)?;
    let state = match &input.state {
        Some(s) => s.parse()?,
        None => MeetingState::Planned,
    };
    let txn = crate::db::begin_write(db).await?;
    let m = meeting::ActiveModel {
        date: Set(input.date),
        starts_at: Set(clock("starts_at", input.starts_at.as_deref())?),
        ends_at: Set(clock("ends_at", input.ends_at.as_deref())?),
        place: Set(one_line("place", &input.place)?),
        title: Set(domain::clean_title(&input.title)?),
        state: Set(state.as_str().into()),
        created_by: Set(caller.name.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        &caller.name,
        "meeting.create",
        "meeting",
        Some(m.id),
        serde_json::json!({"date": m.date, "title": m.title}),
    )
    .await?;
    txn.commit().await?;
    get(db, m.id, true).await
}

/// Changes a meeting's facts or moves its state forward.
pub async fn change(db: &DatabaseConnection, caller: &Caller, id: i32, input: MeetingChange) -> AppResult<MeetingView> {
    refuse_first(check_meeting_change(&input)?)?;
    let txn = crate::db::begin_write(db).await?;
    let m = find(&txn, id).await?;
    let mut active: meeting::ActiveModel = m.clone().into();
    if let Some(s) = &input.state {
        let to: MeetingState = s.parse()?;
        domain::check_meeting_state_change(stored_state(&m), to)?;
        active.state = Set(to.as_str().into());
    }
    if let Some(d) = input.date {
        active.date = Set(d);
    }
    if let Some(t) = &input.title {
        active.title = Set(domain::clean_title(t)?);
    }
    if let Some(p) = &input.place {
        active.place = Set(one_line("place", p)?);
    }
    if input.starts_at.is_some() {
        active.starts_at = Set(clock("starts_at", input.starts_at.as_deref())?);
    }
    if input.ends_at.is_some() {
        active.ends_at = Set(clock("ends_at", input.ends_at.as_deref())?);
    }
    let updated = active.update(&txn).await?;
    if updated.date != m.date {
        // The decisions taken at the meeting carry its date.
        let decided: Vec<i32> = items_of(&txn, id).await?.iter().filter_map(|i| i.decision_id).collect();
        for d in decision::Entity::find()
            .filter(decision::Column::Id.is_in(decided))
            .all(&txn)
            .await?
        {
            let mut d: decision::ActiveModel = d.into();
            d.meeting_date = Set(updated.date);
            d.update(&txn).await?;
        }
    }
    audit::record(
        &txn,
        &caller.name,
        "meeting.change",
        "meeting",
        Some(id),
        serde_json::json!({"before": {"date": m.date, "title": m.title, "place": m.place, "state": m.state}}),
    )
    .await?;
    txn.commit().await?;
    get(db, id, true).await
}

fn stored_state(m: &meeting::Model) -> MeetingState {
    m.state.parse().unwrap_or(MeetingState::Planned)
}

async fn find(db: &impl ConnectionTrait, id: i32) -> AppResult<meeting::Model> {
    meeting::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("meeting {id}")))
}

/// A meeting the caller may see: the public sees called and held meetings.
async fn find_visible(db: &impl ConnectionTrait, id: i32, staff: bool) -> AppResult<meeting::Model> {
    let m = find(db, id).await?;
    if staff || stored_state(&m).is_public() {
        Ok(m)
    } else {
        Err(AppError::not_found(format!("meeting {id}")))
    }
}

fn summary(m: &meeting::Model, items: u64) -> MeetingSummary {
    MeetingSummary {
        id: m.id,
        date: m.date,
        title: m.title.clone(),
        place: m.place.clone(),
        state: stored_state(m),
        items,
    }
}

/// Meetings, newest first (the public sees called and held ones).
pub async fn list(db: &impl ConnectionTrait, staff: bool) -> AppResult<Vec<MeetingSummary>> {
    let mut q = meeting::Entity::find()
        .order_by_desc(meeting::Column::Date)
        .order_by_desc(meeting::Column::Id)
        .limit(LIST_LIMIT);
    if !staff {
        q = q.filter(meeting::Column::State.ne(MeetingState::Planned));
    }
    let meetings = q.all(db).await?;
    let ids: Vec<i32> = meetings.iter().map(|m| m.id).collect();
    let mut counts: HashMap<i32, u64> = HashMap::new();
    if !ids.is_empty() {
        for (meeting_id,) in agenda_item::Entity::find()
            .select_only()
            .column(agenda_item::Column::MeetingId)
            .filter(agenda_item::Column::MeetingId.is_in(ids))
            .into_tuple::<(i32,)>()
            .all(db)
            .await?
        {
            *counts.entry(meeting_id).or_default() += 1;
        }
    }
    Ok(meetings
        .iter()
        .map(|m| summary(m, counts.get(&m.id).copied().unwrap_or(0)))
        .collect())
}

fn stored_kind(i: &agenda_item::Model) -> AgendaKind {
    i.kind.parse().unwrap_or(AgendaKind::Information)
}

fn stored_outcome(i: &agenda_item::Model) -> Option<ItemOutcome> {
    i.outcome.as_deref().and_then(|o| o.parse().ok())
}

fn case_of(i: &agenda_item::Model) -> CaseNumber {
    i.case_number
        .parse()
        .unwrap_or_else(|_| CaseNumber::of(i.case_seq as u32, i.case_year))
}

/// The public case page of a case number.
pub fn case_url(case: &str) -> String {
    format!("/sak/{}", case.replace('/', "-"))
}

/// The views of `items`, with their links as the caller may see them.
async fn item_views(
    db: &impl ConnectionTrait,
    items: &[agenda_item::Model],
    repeated: &HashSet<(u32, i32)>,
    staff: bool,
) -> AppResult<Vec<AgendaItemView>> {
    let ids: Vec<i32> = items.iter().map(|i| i.id).collect();
    let links = if ids.is_empty() {
        Vec::new()
    } else {
        agenda_item_link::Entity::find()
            .filter(agenda_item_link::Column::ItemId.is_in(ids))
            .order_by_asc(agenda_item_link::Column::Id)
            .all(db)
            .await?
    };
    let doc_ids: Vec<i32> = links.iter().filter_map(|l| l.document_id).collect();
    let refs = documents::document_refs(db, &doc_ids, staff).await?;
    let need_ids: Vec<i32> = links.iter().filter_map(|l| l.revision_need_id).collect();
    let needs: HashMap<i32, NeedRef> = if staff && !need_ids.is_empty() {
        revision_need::Entity::find()
            .filter(revision_need::Column::Id.is_in(need_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|n| {
                (
                    n.id,
                    NeedRef {
                        id: n.id,
                        document_id: n.document_id,
                        title: n.title,
                    },
                )
            })
            .collect()
    } else {
        HashMap::new()
    };
    let plan_ids: Vec<i32> = links.iter().filter_map(|l| l.plan_item_id).collect();
    let plans: HashMap<i32, PlanRef> = if staff && !plan_ids.is_empty() {
        plan_refs(db, sea_orm::Condition::all().add(plan_item::Column::Id.is_in(plan_ids)))
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect()
    } else {
        HashMap::new()
    };
    Ok(items
        .iter()
        .map(|i| {
            let case = case_of(i);
            let mine = links.iter().filter(|l| l.item_id == i.id);
            AgendaItemView {
                id: i.id,
                meeting_id: i.meeting_id,
                position: i.position,
                repeated_case: repeated.contains(&(case.number(), case.year())),
                case_url: case_url(case.as_str()),
                case: i.case_number.clone(),
                kind: stored_kind(i),
                title: i.title.clone(),
                background: i.background.clone(),
                proposal: i.proposal.clone(),
                presenter: i.presenter.clone(),
                starts_at: i.starts_at.clone(),
                outcome: stored_outcome(i),
                outcome_text: i.outcome_text.clone(),
                documents: mine
                    .clone()
                    .filter_map(|l| l.document_id.and_then(|d| refs.get(&d).cloned()))
                    .collect(),
                revision_needs: mine
                    .clone()
                    .filter_map(|l| l.revision_need_id.and_then(|n| needs.get(&n).cloned()))
                    .collect(),
                plan_items: mine
                    .filter_map(|l| l.plan_item_id.and_then(|p| plans.get(&p).cloned()))
                    .collect(),
            }
        })
        .collect())
}

async fn plan_refs(db: &impl ConnectionTrait, which: sea_orm::Condition) -> AppResult<Vec<PlanRef>> {
    Ok(plan_item::Entity::find()
        .filter(which)
        .order_by_asc(plan_item::Column::Id)
        .limit(LIST_LIMIT)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PlanRef {
            id: p.id,
            period: p.period,
            title: p.title,
        })
        .collect())
}

async fn items_of(db: &impl ConnectionTrait, meeting_id: i32) -> AppResult<Vec<agenda_item::Model>> {
    Ok(agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .order_by_asc(agenda_item::Column::Position)
        .order_by_asc(agenda_item::Column::Id)
        .limit(MAX_ITEMS)
        .all(db)
        .await?)
}

/// The case numbers used in `year`, on agendas and by decisions recorded without a meeting.
async fn cases_of_year(db: &impl ConnectionTrait, year: i32) -> AppResult<Vec<CaseNumber>> {
    let mut used: Vec<CaseNumber> = agenda_item::Entity::find()
        .select_only()
        .column(agenda_item::Column::CaseNumber)
        .filter(agenda_item::Column::CaseYear.eq(year))
        .into_tuple::<String>()
        .all(db)
        .await?
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
    let yy = format!("/{:02}", year.rem_euclid(100));
    let yyyy = format!("/{year}");
    used.extend(
        decision::Entity::find()
            .select_only()
            .column(decision::Column::CaseNumber)
            .filter(
                sea_orm::Condition::any()
                    .add(decision::Column::CaseNumber.ends_with(yy.as_str()))
                    .add(decision::Column::CaseNumber.ends_with(yyyy.as_str())),
            )
            .into_tuple::<String>()
            .all(db)
            .await?
            .iter()
            .filter_map(|c| c.parse::<CaseNumber>().ok()),
    );
    Ok(used)
}

/// A meeting with its agenda; the public sees called and held meetings, and of what the items
/// link to only the published documents.
pub async fn get(db: &impl ConnectionTrait, id: i32, staff: bool) -> AppResult<MeetingView> {
    let m = find_visible(db, id, staff).await?;
    let items = items_of(db, id).await?;
    let cases: Vec<CaseNumber> = items.iter().map(case_of).collect();
    let repeated = domain::repeated_cases(&cases);
    let repeated_keys: HashSet<(u32, i32)> = repeated.iter().map(|c| (c.number(), c.year())).collect();
    let warnings = repeated
        .iter()
        .map(|c| {
            format!(
                "Saksnummer {} er brukt på flere saker i denne innkallingen; sakene er registrert slik de står, men bør få hvert sitt nummer.",
                c.as_str()
            )
        })
        .filter(|_| staff)
        .collect();
    let next = domain::next_case_number(m.date.year(), &cases_of_year(db, m.date.year()).await?);
    Ok(MeetingView {
        id: m.id,
        date: m.date,
        starts_at: m.starts_at.clone(),
        ends_at: m.ends_at.clone(),
        place: m.place.clone(),
        title: m.title.clone(),
        state: stored_state(&m),
        items: item_views(db, &items, &repeated_keys, staff).await?,
        next_case: next.as_str().to_string(),
        warnings,
    })
}

async fn check_links(txn: &impl ConnectionTrait, documents: &[i32], needs: &[i32], plans: &[i32]) -> AppResult<()> {
    for &p in plans {
        if plan_item::Entity::find_by_id(p).one(txn).await?.is_none() {
            return Err(AppError::Field(FieldError::new(
                "plan_items",
                Fault::Malformed,
                format!("plan item {p} does not exist; nothing was recorded"),
            )));
        }
    }
    for &d in documents {
        if crate::entities::document::Entity::find_by_id(d)
            .one(txn)
            .await?
            .is_none()
        {
            return Err(AppError::Field(FieldError::new(
                "documents",
                Fault::Malformed,
                format!("document {d} does not exist; nothing was recorded"),
            )));
        }
    }
    for &n in needs {
        if revision_need::Entity::find_by_id(n).one(txn).await?.is_none() {
            return Err(AppError::Field(FieldError::new(
                "revision_needs",
                Fault::Malformed,
                format!("revision need {n} does not exist; nothing was recorded"),
            )));
        }
    }
    Ok(())
}

fn dedup(ids: &[i32]) -> Vec<i32> {
    let mut seen = HashSet::new();
    ids.iter().copied().filter(|i| seen.insert(*i)).collect()
}

/// Puts a case on a meeting's agenda, last; without a case number it gets the next of the
/// meeting's year. A number used already is recorded as given (the paper is the record) and
/// the meeting warns of it.
pub async fn add_item(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: i32,
    input: NewAgendaItem,
) -> AppResult<AgendaItemView> {
    refuse_first(check_new_item(&input)?)?;
    let kind: AgendaKind = input.kind.parse()?;
    let documents = dedup(&input.documents);
    let needs = dedup(&input.revision_needs);
    let plans = dedup(&input.plan_items);
    let txn = crate::db::begin_write(db).await?;
    let m = find(&txn, meeting_id).await?;
    let count = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .count(&txn)
        .await?;
    if count >= MAX_ITEMS {
        return Err(AppError::Conflict(format!(
            "a meeting holds at most {MAX_ITEMS} agenda items"
        )));
    }
    check_links(&txn, &documents, &needs, &plans).await?;
    let case: CaseNumber = match input.case.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.parse()?,
        None => domain::next_case_number(m.date.year(), &cases_of_year(&txn, m.date.year()).await?),
    };
    let position = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .order_by_desc(agenda_item::Column::Position)
        .one(&txn)
        .await?
        .map_or(1, |i| i.position + 1);
    let item = agenda_item::ActiveModel {
        meeting_id: Set(meeting_id),
        position: Set(position),
        case_number: Set(case.as_str().into()),
        case_year: Set(case.year()),
        case_seq: Set(case.number() as i32),
        kind: Set(kind.as_str().into()),
        title: Set(domain::clean_title(&input.title)?),
        background: Set(revision_needs::long_text("background", &input.background)?),
        proposal: Set(revision_needs::long_text("proposal", &input.proposal)?),
        presenter: Set(trimmed(input.presenter.as_deref())
            .map(|p| one_line("presenter", &p))
            .transpose()?),
        starts_at: Set(clock("starts_at", input.starts_at.as_deref())?),
        outcome: Set(None),
        outcome_text: Set(String::new()),
        decision_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_links(&txn, item.id, &documents, &needs, &plans).await?;
    audit::record(
        &txn,
        &caller.name,
        "meeting.item.add",
        "agenda_item",
        Some(item.id),
        serde_json::json!({"meeting": meeting_id, "case": item.case_number, "documents": documents, "revision_needs": needs, "plan_items": plans}),
    )
    .await?;
    txn.commit().await?;
    item_view(db, meeting_id, item.id, true).await
}

/// What an agenda item is about, added to it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLinks {
    #[serde(default)]
    pub documents: Vec<i32>,
    #[serde(default)]
    pub revision_needs: Vec<i32>,
    #[serde(default)]
    pub plan_items: Vec<i32>,
}

/// Links an item to more documents and revision needs (ones it links to already are skipped).
pub async fn add_links(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: i32,
    item_id: i32,
    input: NewLinks,
) -> AppResult<AgendaItemView> {
    let documents = dedup(&input.documents);
    let needs = dedup(&input.revision_needs);
    let plans = dedup(&input.plan_items);
    let txn = crate::db::begin_write(db).await?;
    agenda_item::Entity::find_by_id(item_id)
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("agenda item {item_id} of meeting {meeting_id}")))?;
    let existing = agenda_item_link::Entity::find()
        .filter(agenda_item_link::Column::ItemId.eq(item_id))
        .all(&txn)
        .await?;
    let documents: Vec<i32> = documents
        .into_iter()
        .filter(|d| !existing.iter().any(|l| l.document_id == Some(*d)))
        .collect();
    let needs: Vec<i32> = needs
        .into_iter()
        .filter(|n| !existing.iter().any(|l| l.revision_need_id == Some(*n)))
        .collect();
    let plans: Vec<i32> = plans
        .into_iter()
        .filter(|p| !existing.iter().any(|l| l.plan_item_id == Some(*p)))
        .collect();
    if existing.len() + documents.len() + needs.len() + plans.len() > MAX_LINKS {
        return Err(AppError::Field(FieldError::new(
            "documents",
            Fault::Malformed,
            format!("an item links to at most {MAX_LINKS} documents and revision needs"),
        )));
    }
    check_links(&txn, &documents, &needs, &plans).await?;
    insert_links(&txn, item_id, &documents, &needs, &plans).await?;
    audit::record(
        &txn,
        &caller.name,
        "meeting.item.link",
        "agenda_item",
        Some(item_id),
        serde_json::json!({"documents": documents, "revision_needs": needs, "plan_items": plans}),
    )
    .await?;
    txn.commit().await?;
    item_view(db, meeting_id, item_id, true).await
}

async fn insert_links(
    txn: &impl ConnectionTrait,
    item_id: i32,
    documents: &[i32],
    needs: &[i32],
    plans: &[i32],
) -> AppResult<()> {
    for p in plans {
        agenda_item_link::ActiveModel {
            item_id: Set(item_id),
            document_id: Set(None),
            revision_need_id: Set(None),
            plan_item_id: Set(Some(*p)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    for d in documents {
        agenda_item_link::ActiveModel {
            item_id: Set(item_id),
            document_id: Set(Some(*d)),
            revision_need_id: Set(None),
            plan_item_id: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    for n in needs {
        agenda_item_link::ActiveModel {
            item_id: Set(item_id),
            document_id: Set(None),
            revision_need_id: Set(Some(*n)),
            plan_item_id: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// One item of a meeting as the caller may see it.
pub async fn item_view(
    db: &impl ConnectionTrait,
    meeting_id: i32,
    item_id: i32,
    staff: bool,
) -> AppResult<AgendaItemView> {
    get(db, meeting_id, staff)
        .await?
        .items
        .into_iter()
        .find(|i| i.id == item_id)
        .ok_or_else(|| AppError::not_found(format!("agenda item {item_id} of meeting {meeting_id}")))
}

/// Whether any publication, withdrawal or revision need cites a decision.
async fn is_cited(db: &impl ConnectionTrait, decision_id: i32) -> AppResult<bool> {
    Ok(version::Entity::find()
        .filter(version::Column::DecisionId.eq(decision_id))
        .count(db)
        .await?
        > 0
        || withdrawal::Entity::find()
            .filter(withdrawal::Column::DecisionId.eq(decision_id))
            .count(db)
            .await?
            > 0
        || revision_need::Entity::find()
            .filter(revision_need::Column::DecisionId.eq(decision_id))
            .count(db)
            .await?
            > 0
        || plan_item::Entity::find()
            .filter(plan_item::Column::DecisionId.eq(decision_id))
            .count(db)
            .await?
            > 0
        || plan_period::Entity::find()
            .filter(plan_period::Column::DecisionId.eq(decision_id))
            .count(db)
            .await?
            > 0)
}

/// Records what came of an item. A decided item becomes the decision of its case number (a
/// decision recorded earlier without a meeting is taken over); an outcome can be corrected,
/// but a decision that something already cites stays decided. Recording an outcome marks the
/// meeting held.
pub async fn record_outcome(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: i32,
    item_id: i32,
    input: NewOutcome,
) -> AppResult<AgendaItemView> {
    refuse_first(check_outcome(&input)?)?;
    let outcome: ItemOutcome = input.status.parse()?;
    let txn = crate::db::begin_write(db).await?;
    let m = find(&txn, meeting_id).await?;
    let item = agenda_item::Entity::find_by_id(item_id)
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("agenda item {item_id} of meeting {meeting_id}")))?;
    domain::check_outcome_fits(stored_kind(&item), outcome)?;
    let text = domain::adopted_text(outcome, &input.text, &item.proposal)?;
    let text = crate::services::decisions::clean_outcome(&text)?;
    let mut decision_id = item.decision_id;
    if outcome == ItemOutcome::Decided {
        let existing = decision::Entity::find()
            .filter(decision::Column::CaseNumber.eq(item.case_number.as_str()))
            .one(&txn)
            .await?;
        let d = match existing {
            Some(d) => {
                let other = agenda_item::Entity::find()
                    .filter(agenda_item::Column::DecisionId.eq(d.id))
                    .filter(agenda_item::Column::Id.ne(item.id))
                    .one(&txn)
                    .await?;
                if let Some(other) = other {
                    return Err(AppError::Conflict(format!(
                        "case {} is decided already as another agenda item ({}); the number is used twice: give one of the items its own number",
                        item.case_number, other.title
                    )));
                }
                let mut active: decision::ActiveModel = d.into();
                active.meeting_date = Set(m.date);
                active.title = Set(item.title.clone());
                active.outcome = Set(text.clone());
                active.update(&txn).await?
            }
            None => {
                decision::ActiveModel {
                    case_number: Set(item.case_number.clone()),
                    meeting_date: Set(m.date),
                    title: Set(item.title.clone()),
                    outcome: Set(text.clone()),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        decision_id = Some(d.id);
    } else if let Some(id) = item.decision_id {
        if is_cited(&txn, id).await? {
            return Err(AppError::Conflict(format!(
                "case {} is decided and its decision is cited by a publication, withdrawal, revision need or plan; it stays decided",
                item.case_number
            )));
        }
        decision_id = None;
    }
    let old_decision = item.decision_id;
    let mut active: agenda_item::ActiveModel = item.clone().into();
    active.outcome = Set(Some(outcome.as_str().into()));
    active.outcome_text = Set(text.clone());
    active.decision_id = Set(decision_id);
    active.update(&txn).await?;
    if let (Some(old), None) = (old_decision, decision_id)
        && let Some(d) = decision::Entity::find_by_id(old).one(&txn).await?
    {
        d.delete(&txn).await?;
    }
    if stored_state(&m) != MeetingState::Held {
        let mut active: meeting::ActiveModel = m.into();
        active.state = Set(MeetingState::Held.as_str().into());
        active.update(&txn).await?;
    }
    audit::record(
        &txn,
        &caller.name,
        "meeting.item.outcome",
        "agenda_item",
        Some(item_id),
        serde_json::json!({
            "case": item.case_number,
            "outcome": outcome.as_str(),
            "text": text,
            "before": {"outcome": item.outcome, "text": item.outcome_text},
        }),
    )
    .await?;
    txn.commit().await?;
    item_view(db, meeting_id, item_id, true).await
}

/// The meeting that new proposals go to: the first not yet held, from today on.
pub async fn next_meeting(db: &impl ConnectionTrait, today: NaiveDate) -> AppResult<Option<meeting::Model>> {
    Ok(meeting::Entity::find()
        .filter(meeting::Column::State.ne(MeetingState::Held))
        .filter(meeting::Column::Date.gte(today))
        .order_by_asc(meeting::Column::Date)
        .order_by_asc(meeting::Column::Id)
        .one(db)
        .await?)
}

/// The id of the meeting new proposals go to, or a clear refusal.
pub async fn next_meeting_id(db: &impl ConnectionTrait) -> AppResult<i32> {
    next_meeting(db, Utc::now().date_naive())
        .await?
        .map(|m| m.id)
        .ok_or_else(|| {
            AppError::Conflict("no meeting is planned from today on; put the next meeting in the registry first".into())
        })
}

/// Puts a proposal on the meeting given, or on the next one not yet held.
pub async fn propose(
    db: &DatabaseConnection,
    caller: &Caller,
    meeting_id: Option<i32>,
    item: NewAgendaItem,
) -> AppResult<AgendaItemView> {
    let meeting_id = match meeting_id {
        Some(id) => id,
        None => next_meeting_id(db).await?,
    };
    add_item(db, caller, meeting_id, item).await
}

/// An agenda item that proposes a revision need for decision, prefilled from the need: its
/// title, what it is about, and a *forslag til vedtak* the secretariat can edit.
pub async fn proposal_from_need(db: &impl ConnectionTrait, need_id: i32) -> AppResult<NewAgendaItem> {
    let need = revision_needs::get(db, need_id).await?;
    let doc = documents::document_refs(db, &[need.document_id], true).await?;
    let name = doc
        .get(&need.document_id)
        .map(|d| match &d.number {
            Some(n) => format!("{} {n} – {}", kind_word(d.kind), d.title),
            None => d.title.clone(),
        })
        .unwrap_or_else(|| format!("dokument {}", need.document_id));
    let mut background = need.description.clone();
    if let Some(r) = &need.origin_reference {
        background = format!("{background}\n\nMeldt av: {r}").trim().to_string();
    }
    Ok(NewAgendaItem {
        case: None,
        kind: AgendaKind::Decision.as_str().into(),
        title: format!("Oppdatering av {name}"),
        background,
        proposal: format!("Sekretariatet retter {name} og publiserer ny versjon når den er klar."),
        presenter: None,
        starts_at: None,
        documents: vec![need.document_id],
        revision_needs: vec![need.id],
        plan_items: Vec::new(),
    })
}

/// An agenda item that puts an item of the action plan to the group: its title and
/// description, linked to the plan item and its document.
pub async fn proposal_from_plan_item(db: &impl ConnectionTrait, plan_item_id: i32) -> AppResult<NewAgendaItem> {
    let p = plan_item::Entity::find_by_id(plan_item_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("plan item {plan_item_id}")))?;
    Ok(NewAgendaItem {
        case: None,
        kind: AgendaKind::Decision.as_str().into(),
        title: p.title.clone(),
        background: format!("Fra handlingsplanen for {}. {}", p.period, p.description)
            .trim()
            .to_string(),
        proposal: String::new(),
        presenter: None,
        starts_at: None,
        documents: p.document_id.into_iter().collect(),
        revision_needs: p.revision_need_id.into_iter().collect(),
        plan_items: vec![p.id],
    })
}

/// An agenda item that proposes withdrawing a document (sanering).
pub async fn proposal_of_withdrawal(db: &impl ConnectionTrait, document_id: i32) -> AppResult<NewAgendaItem> {
    let doc = documents::document_refs(db, &[document_id], true).await?;
    let d = doc
        .get(&document_id)
        .ok_or_else(|| AppError::not_found(format!("document {document_id}")))?;
    let name = match &d.number {
        Some(n) => format!("{} {n} – {}", kind_word(d.kind), d.title),
        None => d.title.clone(),
    };
    Ok(NewAgendaItem {
        case: None,
        kind: AgendaKind::Decision.as_str().into(),
        title: format!("Sanering av {name}"),
        background: "Sanert veiledningsmateriell vil fortsatt være tilgjengelig på Normen.no, merket som utgått."
            .into(),
        proposal: format!("Styringsgruppen vedtar at {name} saneres."),
        presenter: None,
        starts_at: None,
        documents: vec![document_id],
        revision_needs: Vec::new(),
        plan_items: Vec::new(),
    })
}

fn kind_word(kind: domain::DocumentKind) -> &'static str {
    match kind {
        domain::DocumentKind::FactSheet => "faktaark",
        domain::DocumentKind::Guide => "veileder",
        domain::DocumentKind::Norm => "Normen",
        domain::DocumentKind::Template => "mal",
        domain::DocumentKind::Other => "dokument",
    }
}

const WEEKDAYS: [&str; 7] = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"];

fn when(m: &MeetingView) -> String {
    let day = WEEKDAYS[m.date.weekday().num_days_from_monday() as usize];
    let date = m.date.format("%d.%m.%Y");
    match domain::time_span(m.starts_at.as_deref(), m.ends_at.as_deref()) {
        Some(span) => format!("{day} {date} {span}"),
        None => format!("{day} {date}"),
    }
}

/// The kind as the papers write it.
pub fn kind_heading(kind: AgendaKind) -> &'static str {
    match kind {
        AgendaKind::Decision => "Beslutningssak",
        AgendaKind::Information => "Orientering",
        AgendaKind::Approval => "Godkjenning",
    }
}

/// The outcome as the minutes write it.
pub fn outcome_heading(outcome: ItemOutcome) -> &'static str {
    match outcome {
        ItemOutcome::Decided => "Vedtak",
        ItemOutcome::Deferred => "Utsatt",
        ItemOutcome::Rejected => "Ikke vedtatt",
        ItemOutcome::Noted => "Tatt til orientering",
    }
}

fn item_heading(i: &AgendaItemView) -> String {
    let mut h = format!("## Sak {}: {}", i.case, i.title);
    if let Some(t) = &i.starts_at {
        h.push_str(&format!(" (kl. {t})"));
    }
    h
}

/// The call (møteinnkalling) as Markdown: time, place, and each case with its number, title,
/// kind, background and, for decisions, "Forslag til vedtak:".
pub fn agenda_markdown(m: &MeetingView) -> String {
    let mut out = format!(
        "# Møteinnkalling: {}\n\nMøtetidspunkt: {}\n\nSted: {}\n",
        m.title,
        when(m),
        m.place
    );
    for i in &m.items {
        out.push_str(&format!("\n{}\n\n{}", item_heading(i), kind_heading(i.kind)));
        if let Some(p) = &i.presenter {
            out.push_str(&format!(" · ved {p}"));
        }
        out.push('\n');
        if !i.background.trim().is_empty() {
            out.push_str(&format!("\n{}\n", i.background.trim()));
        }
        if !i.proposal.trim().is_empty() {
            out.push_str(&format!("\nForslag til vedtak: {}\n", i.proposal.trim()));
        }
    }
    out
}

/// The minutes (referat) as Markdown: each case with its outcome, "Vedtak:" and the text.
pub fn minutes_markdown(m: &MeetingView) -> String {
    let mut out = format!(
        "# Referat: {}\n\nMøtetidspunkt: {}\n\nSted: {}\n",
        m.title,
        when(m),
        m.place
    );
    for i in &m.items {
        out.push_str(&format!("\n{}\n\n", item_heading(i)));
        match i.outcome {
            Some(o) if i.outcome_text.trim().is_empty() => out.push_str(&format!("{}.\n", outcome_heading(o))),
            Some(o) => out.push_str(&format!("{}: {}\n", outcome_heading(o), i.outcome_text.trim())),
            None => out.push_str("Utfallet er ikke registrert.\n"),
        }
    }
    out
}

/// A case and everything it touched: its agenda items and meetings, the decision as adopted,
/// and the versions, withdrawals and revision needs that cite it. The public sees the items
/// of called and held meetings, published documents and public needs; an unknown case, or
/// one the caller may not see, is 404.
pub async fn case_view(db: &impl ConnectionTrait, case: &CaseNumber, staff: bool) -> AppResult<CaseView> {
    let not_found = || AppError::not_found(format!("case {}", case.as_str()));
    let rows = agenda_item::Entity::find()
        .filter(agenda_item::Column::CaseYear.eq(case.year()))
        .filter(agenda_item::Column::CaseSeq.eq(case.number() as i32))
        .order_by_asc(agenda_item::Column::Id)
        .limit(MAX_ITEMS)
        .all(db)
        .await?;
    let row_ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let linked_needs: Vec<i32> = if row_ids.is_empty() {
        Vec::new()
    } else {
        agenda_item_link::Entity::find()
            .filter(agenda_item_link::Column::ItemId.is_in(row_ids))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|l| l.revision_need_id)
            .collect()
    };
    let mut items = Vec::new();
    for row in rows {
        let m = find(db, row.meeting_id).await?;
        if !staff && !stored_state(&m).is_public() {
            continue;
        }
        let count = agenda_item::Entity::find()
            .filter(agenda_item::Column::MeetingId.eq(m.id))
            .count(db)
            .await?;
        let repeated: HashSet<(u32, i32)> = HashSet::new();
        let view = item_views(db, std::slice::from_ref(&row), &repeated, staff).await?;
        items.extend(view.into_iter().map(|item| CaseItem {
            meeting: summary(&m, count),
            item,
        }));
    }
    let decision = decision::Entity::find()
        .filter(decision::Column::CaseNumber.eq(case.as_str()))
        .one(db)
        .await?;
    if items.is_empty() && decision.is_none() {
        return Err(not_found());
    }
    if items.len() > 1 {
        for i in &mut items {
            i.item.repeated_case = true;
        }
    }
    let (mut versions, mut withdrawals) = (Vec::new(), Vec::new());
    let mut cited = sea_orm::Condition::any();
    if !linked_needs.is_empty() {
        cited = cited.add(revision_need::Column::Id.is_in(linked_needs));
    }
    if let Some(d) = &decision {
        cited = cited.add(revision_need::Column::DecisionId.eq(d.id));
    }
    let mut needs = Vec::new();
    if !cited.is_empty() {
        let mut q = revision_need::Entity::find()
            .filter(cited)
            .order_by_asc(revision_need::Column::Id)
            .limit(LIST_LIMIT);
        if !staff {
            q = q.filter(revision_need::Column::Public.eq(true));
        }
        let cited_needs = q.all(db).await?;
        let need_docs: Vec<i32> = cited_needs.iter().map(|n| n.document_id).collect();
        let visible = documents::document_refs(db, &need_docs, staff).await?;
        needs = cited_needs
            .into_iter()
            .filter(|n| visible.contains_key(&n.document_id))
            .map(|n| NeedRef {
                id: n.id,
                document_id: n.document_id,
                title: n.title,
            })
            .collect();
    }
    let mut plan_cited = sea_orm::Condition::any();
    let linked_plans: Vec<i32> = agenda_item_link::Entity::find()
        .filter(agenda_item_link::Column::ItemId.is_in(items.iter().map(|i| i.item.id)))
        .filter(agenda_item_link::Column::PlanItemId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|l| l.plan_item_id)
        .collect();
    if !linked_plans.is_empty() {
        plan_cited = plan_cited.add(plan_item::Column::Id.is_in(linked_plans));
    }
    if let Some(d) = &decision {
        plan_cited = plan_cited.add(plan_item::Column::DecisionId.eq(d.id));
    }
    let plan_items = if plan_cited.is_empty() {
        Vec::new()
    } else {
        plan_refs(db, sea_orm::Condition::all().add(plan_cited)).await?
    };
    let plan_periods = match &decision {
        Some(d) => plan_period::Entity::find()
            .filter(plan_period::Column::DecisionId.eq(d.id))
            .order_by_asc(plan_period::Column::Key)
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.key)
            .collect(),
        None => Vec::new(),
    };
    if let Some(d) = &decision {
        let cited_versions = version::Entity::find()
            .filter(version::Column::DecisionId.eq(d.id))
            .filter(version::Column::State.eq(domain::VersionState::Published))
            .order_by_asc(version::Column::Id)
            .limit(LIST_LIMIT)
            .all(db)
            .await?;
        let cited_withdrawals = withdrawal::Entity::find()
            .filter(withdrawal::Column::DecisionId.eq(d.id))
            .order_by_asc(withdrawal::Column::Id)
            .limit(LIST_LIMIT)
            .all(db)
            .await?;
        let mut ids: Vec<i32> = cited_versions.iter().map(|v| v.document_id).collect();
        ids.extend(cited_withdrawals.iter().map(|w| w.document_id));
        let refs = documents::document_refs(db, &ids, staff).await?;
        for v in cited_versions {
            let (Some(doc), Some(label), Some(on)) = (refs.get(&v.document_id), v.label.clone(), v.published_on) else {
                continue;
            };
            versions.push(CitingVersion {
                document: doc.clone(),
                label,
                language: v.language.parse().unwrap_or(domain::Language::Nb),
                published_on: on,
            });
        }
        for w in cited_withdrawals {
            if let Some(doc) = refs.get(&w.document_id) {
                withdrawals.push(CitingWithdrawal {
                    document: doc.clone(),
                    withdrawn_on: w.withdrawn_on,
                    reason: w.reason,
                });
            }
        }
    }
    Ok(CaseView {
        case: case.as_str().to_string(),
        decision: decision.map(Into::into),
        items,
        versions,
        withdrawals,
        revision_needs: needs,
        plan_items,
        plan_periods,
    })
}

/// Why a cited case has no decision yet, when it is on an agenda: the message for a citation
/// of a case that is not decided.
pub(crate) async fn undecided_reason(db: &impl ConnectionTrait, case: &CaseNumber) -> AppResult<Option<String>> {
    let item = agenda_item::Entity::find()
        .filter(agenda_item::Column::CaseYear.eq(case.year()))
        .filter(agenda_item::Column::CaseSeq.eq(case.number() as i32))
        .order_by_desc(agenda_item::Column::Id)
        .one(db)
        .await?;
    Ok(match item {
        Some(i) => {
            let m = find(db, i.meeting_id).await?;
            let status = match stored_outcome(&i) {
                None => "has no outcome yet".to_string(),
                Some(o) => format!("was {}", o.as_str()),
            };
            Some(format!(
                "case {} is on the agenda of the meeting on {} but {status}; only a decided case can be cited",
                case.as_str(),
                m.date
            ))
        }
        None => None,
    })
}
