//! The action plan ("handlingsplan"): periods (a half-year "2026-H1" or a whole year "2024")
//! that are drafted, discussed and adopted by a decision, and their items of work. A period
//! comes into being with its first item (or a state change), drafted. Moving an item keeps it
//! in its old period, marked with where it went and why, and creates its continuation in the
//! target period, pointing back. Each write is one transaction with its audit entry.
//!
//! The board of a period also lists the revision needs planned for it (`revision_need.period`
//! equal to the period's key, state `planned`), read-only.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{
    self, Caller, DocumentKind, Fault, FieldError, Lines, PlanItemKind, PlanItemState, PlanPeriod, PlanPeriodState,
    RevisionState, RuleError,
};
use crate::entities::{decision, document, plan_item, plan_period, revision_need};
use crate::error::{AppError, AppResult};
use crate::services::checks::{FieldErrors, collect, parse_field, refuse_first};
use crate::services::documents::{self, DocumentRef};
use crate::services::{audit, editing};

/// Longest reason for a move, in characters.
pub const MAX_MOVE_REASON_CHARS: usize = domain::MAX_SHORT_CHARS;
/// Most items one period holds.
pub const MAX_ITEMS_PER_PERIOD: u64 = 500;
/// Most periods the list returns.
pub const MAX_PERIODS: u64 = 200;

/// A new item of a period.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlanItem {
    /// What is to be done, e.g. "Faktaark om KI".
    pub title: String,
    /// revision, new_document, translation, withdrawal or project.
    pub kind: String,
    /// 1 (highest) to 3.
    pub priority: i32,
    /// More about it, for the steering group.
    #[serde(default)]
    pub description: Option<String>,
    /// The document the work is on (none for a document yet to be written).
    #[serde(default)]
    pub document_id: Option<i32>,
    /// The revision need the work answers; its document becomes the item's.
    #[serde(default)]
    pub revision_need_id: Option<i32>,
    /// The case that asked for the work, e.g. "22/25".
    #[serde(default)]
    pub case: Option<String>,
    /// proposed (default), planned, in_progress, done or dropped.
    #[serde(default)]
    pub state: Option<String>,
}

/// Moving an item to another period.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovePlanItem {
    /// The period it moves to, e.g. "2026-H2".
    pub period: String,
    /// Why, e.g. "Utsatt: mangler kapasitet".
    pub reason: String,
}

/// A new state of an item.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanItemStateChange {
    /// proposed, planned, in_progress, done or dropped.
    pub state: String,
}

/// A new state of a period: discussed, or adopted by a decision.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodStateChange {
    /// discussed or adopted.
    pub state: String,
    /// For adopted: the case that adopted the plan, e.g. "29/25".
    #[serde(default)]
    pub decision: Option<String>,
}

/// The document an item is on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanDocument {
    pub id: i32,
    pub kind: DocumentKind,
    pub number: Option<String>,
    /// Its current title (drafts' titles too: the plan is read by staff).
    pub title: String,
}

/// One item of a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanItemView {
    pub id: i32,
    pub period: String,
    pub title: String,
    pub description: String,
    pub kind: PlanItemKind,
    pub priority: i32,
    pub state: PlanItemState,
    pub document_id: Option<i32>,
    pub document: Option<PlanDocument>,
    pub revision_need_id: Option<i32>,
    /// The case that asked for the work, e.g. "22/25".
    pub case: Option<String>,
    /// The period the item moved to; absent while it has not moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    /// Why it moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_reason: Option<String>,
    /// The item this one continues, when it was moved here.
    pub moved_from_item_id: Option<i32>,
    /// The period that item is in.
    pub moved_from: Option<String>,
    pub created_by: String,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

/// A revision need planned for the period (read-only on the board).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlannedNeed {
    pub id: i32,
    pub title: String,
    pub priority: i32,
    pub document_id: i32,
    pub document: Option<PlanDocument>,
}

/// A period's board: its state and items, by priority then age.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanBoard {
    pub period: String,
    /// drafted until discussed or adopted; a period with nothing in it yet is drafted.
    pub state: PlanPeriodState,
    /// The case that adopted the plan.
    pub decision: Option<String>,
    pub items: Vec<PlanItemView>,
    pub revision_needs: Vec<PlannedNeed>,
}

/// A period in the list of periods.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanPeriodSummary {
    pub period: String,
    pub state: PlanPeriodState,
    pub decision: Option<String>,
    pub items: u64,
}

/// Which items a board shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct BoardFilter {
    pub kind: Option<PlanItemKind>,
    pub state: Option<PlanItemState>,
    /// Only items on a document of this kind.
    pub document_kind: Option<DocumentKind>,
}

fn check_priority(priority: i32) -> Result<(), RuleError> {
    if (1..=3).contains(&priority) {
        Ok(())
    } else {
        Err(RuleError::field(
            "priority",
            Fault::Malformed,
            format!("priority {priority} must be 1, 2 or 3"),
        ))
    }
}

fn description(value: Option<&str>) -> Result<String, RuleError> {
    domain::clean_text(
        "description",
        value.unwrap_or_default().trim(),
        Lines::Many,
        domain::MAX_LONG_TEXT_CHARS,
    )
}

fn reason(value: &str) -> Result<String, RuleError> {
    let r = domain::clean_text("reason", value.trim(), Lines::One, MAX_MOVE_REASON_CHARS)?;
    if r.is_empty() {
        return Err(RuleError::field(
            "reason",
            Fault::Required,
            "say why the item moves, e.g. utsatt",
        ));
    }
    Ok(r)
}

fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|c| !c.is_empty())
}

/// Every field error of a new item (whether the linked records exist is the use case's question).
pub fn check_new_item(period: &str, input: &NewPlanItem) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, period.parse::<PlanPeriod>())?;
    collect(&mut e, domain::clean_title(&input.title))?;
    collect(&mut e, parse_field::<PlanItemKind>("kind", &input.kind))?;
    collect(&mut e, check_priority(input.priority))?;
    collect(&mut e, description(input.description.as_deref()))?;
    if let Some(s) = given(input.state.as_deref()) {
        collect(&mut e, parse_field::<PlanItemState>("state", s))?;
    }
    if let Some(c) = given(input.case.as_deref()) {
        collect(&mut e, parse_field::<domain::CaseNumber>("case", c))?;
    }
    Ok(e)
}

/// Every field error of a move (whether the item may move is the use case's question).
pub fn check_move(input: &MovePlanItem) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, input.period.trim().parse::<PlanPeriod>())?;
    collect(&mut e, reason(&input.reason))?;
    Ok(e)
}

/// Every field error of a period's state change.
pub fn check_period_change(input: &PeriodStateChange) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, parse_field::<PlanPeriodState>("state", &input.state))?;
    if let Some(c) = given(input.decision.as_deref()) {
        collect(&mut e, parse_field::<domain::CaseNumber>("decision", c))?;
    }
    Ok(e)
}

fn corrupt(what: &str, id: i32, e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("{what} {id}: {e}"))
}

async fn find_period(db: &impl ConnectionTrait, key: &PlanPeriod) -> AppResult<Option<plan_period::Model>> {
    Ok(plan_period::Entity::find()
        .filter(plan_period::Column::Key.eq(key.as_str()))
        .one(db)
        .await?)
}

/// The period's row, created drafted when it does not exist yet.
async fn ensure_period(txn: &DatabaseTransaction, key: &PlanPeriod) -> AppResult<plan_period::Model> {
    if let Some(p) = find_period(txn, key).await? {
        return Ok(p);
    }
    let now = Utc::now();
    Ok(plan_period::ActiveModel {
        key: Set(key.as_str().to_string()),
        state: Set(PlanPeriodState::Drafted.as_str().into()),
        decision_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

async fn item_count(db: &impl ConnectionTrait, key: &PlanPeriod) -> AppResult<u64> {
    Ok(plan_item::Entity::find()
        .filter(plan_item::Column::Period.eq(key.as_str()))
        .count(db)
        .await?)
}

async fn room_for_one_more(db: &impl ConnectionTrait, key: &PlanPeriod) -> AppResult<()> {
    if item_count(db, key).await? >= MAX_ITEMS_PER_PERIOD {
        return Err(AppError::Conflict(format!(
            "{key} holds {MAX_ITEMS_PER_PERIOD} items already, the most a period holds"
        )));
    }
    Ok(())
}

/// Adds an item to a period, creating the period (drafted) when it is the first.
pub async fn add_item(
    db: &DatabaseConnection,
    caller: &Caller,
    period: &str,
    input: NewPlanItem,
) -> AppResult<PlanItemView> {
    refuse_first(check_new_item(period, &input)?)?;
    let key: PlanPeriod = period.parse()?;
    let title = domain::clean_title(&input.title)?;
    let kind: PlanItemKind = input.kind.parse()?;
    let state = match given(input.state.as_deref()) {
        Some(s) => s.parse()?,
        None => PlanItemState::Proposed,
    };
    let description = description(input.description.as_deref())?;
    let txn = crate::db::begin_write(db).await?;
    let mut document_id = input.document_id;
    if let Some(n) = input.revision_need_id {
        let need = revision_need::Entity::find_by_id(n)
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::Invalid(format!("revision need {n} does not exist; nothing was added")))?;
        match document_id {
            Some(d) if d != need.document_id => {
                return Err(AppError::Invalid(format!(
                    "revision need {n} is about document {}, not document {d}",
                    need.document_id
                )));
            }
            _ => document_id = Some(need.document_id),
        }
    }
    if let Some(d) = document_id
        && document::Entity::find_by_id(d).one(&txn).await?.is_none()
    {
        return Err(AppError::Invalid(format!(
            "document {d} does not exist; nothing was added"
        )));
    }
    let decision_id = editing::decision_id(&txn, given(input.case.as_deref())).await?;
    let p = ensure_period(&txn, &key).await?;
    room_for_one_more(&txn, &key).await?;
    let now = Utc::now();
    let item = plan_item::ActiveModel {
        period: Set(key.as_str().to_string()),
        title: Set(title.clone()),
        description: Set(description),
        kind: Set(kind.as_str().into()),
        priority: Set(input.priority),
        state: Set(state.as_str().into()),
        document_id: Set(document_id),
        revision_need_id: Set(input.revision_need_id),
        decision_id: Set(decision_id),
        moved_to: Set(None),
        moved_reason: Set(None),
        moved_from_item_id: Set(None),
        created_by: Set(caller.name.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        &caller.name,
        "plan_item.add",
        "plan_item",
        Some(item.id),
        serde_json::json!({"period": key.as_str(), "period_id": p.id, "title": title, "kind": kind, "priority": input.priority}),
    )
    .await?;
    txn.commit().await?;
    get_item(db, item.id).await
}

async fn lock_item(txn: &DatabaseTransaction, id: i32) -> AppResult<plan_item::Model> {
    let mut q = plan_item::Entity::find_by_id(id);
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.one(txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("plan item {id}")))
}

fn item_state(m: &plan_item::Model) -> AppResult<PlanItemState> {
    m.state.parse().map_err(|e| corrupt("plan item", m.id, e))
}

/// Moves an item to another period: it stays in its own, marked as moved with the reason, and
/// continues as a new item in the target period (created drafted if needed), which points back.
/// Returns the new item.
pub async fn move_item(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    input: MovePlanItem,
) -> AppResult<PlanItemView> {
    refuse_first(check_move(&input)?)?;
    let to: PlanPeriod = input.period.trim().parse()?;
    let why = reason(&input.reason)?;
    let txn = crate::db::begin_write(db).await?;
    let old = lock_item(&txn, id).await?;
    let from: PlanPeriod = old.period.parse().map_err(|e| corrupt("plan item", id, e))?;
    domain::check_item_move(item_state(&old)?, old.moved_to.is_some(), &from, &to)?;
    ensure_period(&txn, &to).await?;
    room_for_one_more(&txn, &to).await?;
    let now = Utc::now();
    let new = plan_item::ActiveModel {
        period: Set(to.as_str().to_string()),
        title: Set(old.title.clone()),
        description: Set(old.description.clone()),
        kind: Set(old.kind.clone()),
        priority: Set(old.priority),
        state: Set(old.state.clone()),
        document_id: Set(old.document_id),
        revision_need_id: Set(old.revision_need_id),
        decision_id: Set(old.decision_id),
        moved_to: Set(None),
        moved_reason: Set(None),
        moved_from_item_id: Set(Some(old.id)),
        created_by: Set(caller.name.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut am: plan_item::ActiveModel = old.into();
    am.moved_to = Set(Some(to.as_str().to_string()));
    am.moved_reason = Set(Some(why.clone()));
    am.updated_at = Set(now);
    am.update(&txn).await?;
    audit::record(
        &txn,
        &caller.name,
        "plan_item.move",
        "plan_item",
        Some(id),
        serde_json::json!({"from": from.as_str(), "to": to.as_str(), "reason": why, "new_item_id": new.id}),
    )
    .await?;
    txn.commit().await?;
    get_item(db, new.id).await
}

/// Moves an item to another state (see `domain::check_item_transition`).
pub async fn change_item_state(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    input: PlanItemStateChange,
) -> AppResult<PlanItemView> {
    let to: PlanItemState = parse_field("state", &input.state)?;
    let txn = crate::db::begin_write(db).await?;
    let item = lock_item(&txn, id).await?;
    let from = item_state(&item)?;
    domain::check_item_transition(from, to, item.moved_to.is_some())?;
    let mut am: plan_item::ActiveModel = item.into();
    am.state = Set(to.as_str().into());
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    audit::record(
        &txn,
        &caller.name,
        "plan_item.state",
        "plan_item",
        Some(id),
        serde_json::json!({"from": from, "to": to}),
    )
    .await?;
    txn.commit().await?;
    get_item(db, id).await
}

/// Moves a period to discussed, or adopts it by a decision. A period not yet stored is created
/// (drafted) first.
pub async fn change_period_state(
    db: &DatabaseConnection,
    caller: &Caller,
    period: &str,
    input: PeriodStateChange,
) -> AppResult<PlanBoard> {
    let key: PlanPeriod = period.parse()?;
    refuse_first(check_period_change(&input)?)?;
    let to: PlanPeriodState = input.state.parse()?;
    let case = given(input.decision.as_deref());
    let txn = crate::db::begin_write(db).await?;
    let decision_id = editing::decision_id(&txn, case).await?;
    let p = ensure_period(&txn, &key).await?;
    let from: PlanPeriodState = p.state.parse().map_err(|e| corrupt("plan period", p.id, e))?;
    domain::check_period_transition(from, to, decision_id.is_some())?;
    let id = p.id;
    let mut am: plan_period::ActiveModel = p.into();
    am.state = Set(to.as_str().into());
    if to == PlanPeriodState::Adopted {
        am.decision_id = Set(decision_id);
    }
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    audit::record(
        &txn,
        &caller.name,
        "plan_period.state",
        "plan_period",
        Some(id),
        serde_json::json!({"period": key.as_str(), "from": from, "to": to, "decision": case}),
    )
    .await?;
    txn.commit().await?;
    board(db, period, BoardFilter::default()).await
}

async fn case_numbers(db: &impl ConnectionTrait, ids: impl Iterator<Item = i32>) -> AppResult<HashMap<i32, String>> {
    let mut ids: Vec<i32> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
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

fn plan_document(r: &DocumentRef) -> PlanDocument {
    PlanDocument {
        id: r.id,
        kind: r.kind,
        number: r.number.clone(),
        title: r.title.clone(),
    }
}

async fn views(db: &impl ConnectionTrait, rows: Vec<plan_item::Model>) -> AppResult<Vec<PlanItemView>> {
    let docs =
        documents::document_refs(db, &rows.iter().filter_map(|i| i.document_id).collect::<Vec<_>>(), true).await?;
    let cases = case_numbers(db, rows.iter().filter_map(|i| i.decision_id)).await?;
    let origins: Vec<i32> = rows.iter().filter_map(|i| i.moved_from_item_id).collect();
    let from: HashMap<i32, String> = if origins.is_empty() {
        HashMap::new()
    } else {
        plan_item::Entity::find()
            .filter(plan_item::Column::Id.is_in(origins))
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.id, i.period))
            .collect()
    };
    rows.into_iter()
        .map(|m| {
            Ok(PlanItemView {
                id: m.id,
                kind: m.kind.parse().map_err(|e| corrupt("plan item", m.id, e))?,
                state: item_state(&m)?,
                document: m.document_id.and_then(|d| docs.get(&d)).map(plan_document),
                case: m.decision_id.and_then(|d| cases.get(&d).cloned()),
                moved_from: m.moved_from_item_id.and_then(|i| from.get(&i).cloned()),
                period: m.period,
                title: m.title,
                description: m.description,
                priority: m.priority,
                document_id: m.document_id,
                revision_need_id: m.revision_need_id,
                moved_to: m.moved_to,
                moved_reason: m.moved_reason,
                moved_from_item_id: m.moved_from_item_id,
                created_by: m.created_by,
                created_at: m.created_at,
                updated_at: m.updated_at,
            })
        })
        .collect()
}

/// One item.
pub async fn get_item(db: &impl ConnectionTrait, id: i32) -> AppResult<PlanItemView> {
    let m = plan_item::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("plan item {id}")))?;
    Ok(views(db, vec![m]).await?.remove(0))
}

/// A period's board, filtered. A valid period with nothing stored is an empty, drafted board.
pub async fn board(db: &impl ConnectionTrait, period: &str, filter: BoardFilter) -> AppResult<PlanBoard> {
    let key: PlanPeriod = period.parse()?;
    let p = find_period(db, &key).await?;
    let rows = plan_item::Entity::find()
        .filter(plan_item::Column::Period.eq(key.as_str()))
        .order_by_asc(plan_item::Column::Priority)
        .order_by_asc(plan_item::Column::Id)
        .limit(MAX_ITEMS_PER_PERIOD)
        .all(db)
        .await?;
    let items: Vec<PlanItemView> = views(db, rows)
        .await?
        .into_iter()
        .filter(|i| filter.kind.is_none_or(|k| i.kind == k))
        .filter(|i| filter.state.is_none_or(|s| i.state == s))
        .filter(|i| {
            filter
                .document_kind
                .is_none_or(|k| i.document.as_ref().is_some_and(|d| d.kind == k))
        })
        .collect();
    let needs = revision_need::Entity::find()
        .filter(revision_need::Column::Period.eq(key.as_str()))
        .filter(revision_need::Column::State.eq(RevisionState::Planned))
        .order_by_asc(revision_need::Column::Priority)
        .order_by_asc(revision_need::Column::Id)
        .limit(MAX_ITEMS_PER_PERIOD)
        .all(db)
        .await?;
    let need_docs =
        documents::document_refs(db, &needs.iter().map(|n| n.document_id).collect::<Vec<_>>(), true).await?;
    let (state, decision) = match &p {
        Some(p) => (
            p.state.parse().map_err(|e| corrupt("plan period", p.id, e))?,
            case_numbers(db, p.decision_id.into_iter()).await?.into_values().next(),
        ),
        None => (PlanPeriodState::Drafted, None),
    };
    Ok(PlanBoard {
        period: key.as_str().to_string(),
        state,
        decision,
        items,
        revision_needs: needs
            .into_iter()
            .filter(|n| {
                filter
                    .document_kind
                    .is_none_or(|k| need_docs.get(&n.document_id).is_some_and(|d| d.kind == k))
            })
            .filter(|_| filter.kind.is_none_or(|k| k == PlanItemKind::Revision) && filter.state.is_none())
            .map(|n| PlannedNeed {
                id: n.id,
                document: need_docs.get(&n.document_id).map(plan_document),
                title: n.title,
                priority: n.priority,
                document_id: n.document_id,
            })
            .collect(),
    })
}

/// The stored periods, latest first, with their item counts.
pub async fn list_periods(db: &impl ConnectionTrait) -> AppResult<Vec<PlanPeriodSummary>> {
    let rows = plan_period::Entity::find()
        .order_by_desc(plan_period::Column::Key)
        .limit(MAX_PERIODS)
        .all(db)
        .await?;
    let cases = case_numbers(db, rows.iter().filter_map(|p| p.decision_id)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        let key: PlanPeriod = p.key.parse().map_err(|e| corrupt("plan period", p.id, e))?;
        out.push(PlanPeriodSummary {
            items: item_count(db, &key).await?,
            state: p.state.parse().map_err(|e| corrupt("plan period", p.id, e))?,
            decision: p.decision_id.and_then(|d| cases.get(&d).cloned()),
            period: p.key,
        });
    }
    Ok(out)
}

/// Most documents the item form offers.
pub const MAX_DOCUMENT_CHOICES: u64 = 2000;

/// The documents an item may be on (drafts too), for the item form: by kind, number and title.
pub async fn document_choices(db: &impl ConnectionTrait) -> AppResult<Vec<PlanDocument>> {
    let ids: Vec<i32> = document::Entity::find()
        .select_only()
        .column(document::Column::Id)
        .order_by_asc(document::Column::Id)
        .limit(MAX_DOCUMENT_CHOICES)
        .into_tuple()
        .all(db)
        .await?;
    let refs = documents::document_refs(db, &ids, true).await?;
    let mut out: Vec<PlanDocument> = ids.iter().filter_map(|i| refs.get(i)).map(plan_document).collect();
    out.sort_by(|a, b| (a.kind.as_str(), &a.number, &a.title).cmp(&(b.kind.as_str(), &b.number, &b.title)));
    Ok(out)
}

/// A CSV cell: quoted per RFC 4180 when needed, and a cell a spreadsheet would read as a
/// formula (starting with = + - @, or a tab or carriage return) prefixed with `'`.
fn csv_cell(value: &str) -> String {
    let v = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// The columns of the CSV export.
pub const CSV_HEADER: [&str; 13] = [
    "id",
    "period",
    "priority",
    "title",
    "kind",
    "state",
    "document_id",
    "document",
    "revision_need_id",
    "case",
    "moved_to",
    "moved_reason",
    "description",
];

/// The board as CSV (header row, CRLF line ends as RFC 4180 has them), items only.
pub fn board_csv(board: &PlanBoard) -> String {
    let mut out = String::new();
    let mut row = |cells: Vec<String>| {
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    };
    row(CSV_HEADER.iter().map(|h| (*h).to_string()).collect());
    let opt = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_default();
    for i in &board.items {
        row(vec![
            i.id.to_string(),
            i.period.clone(),
            i.priority.to_string(),
            i.title.clone(),
            i.kind.as_str().into(),
            i.state.as_str().into(),
            opt(i.document_id),
            i.document.as_ref().map(|d| d.title.clone()).unwrap_or_default(),
            opt(i.revision_need_id),
            i.case.clone().unwrap_or_default(),
            i.moved_to.clone().unwrap_or_default(),
            i.moved_reason.clone().unwrap_or_default(),
            i.description.clone(),
        ]);
    }
    out
}

/// A field error of a period given in a path, for a handler that has not parsed it yet.
pub fn period_error(period: &str) -> Option<FieldError> {
    match period.parse::<PlanPeriod>() {
        Err(RuleError::Field(f)) => Some(f),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_cell("Faktaark om KI"), "Faktaark om KI");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("si \"hei\""), "\"si \"\"hei\"\"\"");
        assert_eq!(csv_cell("to\nlinjer"), "\"to\nlinjer\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for f in ["+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(csv_cell(f).trim_start_matches('"').starts_with('\''), "{f}");
        }
    }

    #[test]
    fn new_items_are_checked_field_by_field() {
        let input = NewPlanItem {
            title: String::new(),
            kind: "faktaark".into(),
            priority: 4,
            case: Some("22-25".into()),
            state: Some("ferdig".into()),
            ..Default::default()
        };
        let e = check_new_item("2026-H3", &input).unwrap();
        let fields: Vec<&str> = e.iter().map(|f| f.field).collect();
        assert_eq!(fields, ["period", "title", "kind", "priority", "state", "case"]);
        let ok = NewPlanItem {
            title: "Faktaark om KI".into(),
            kind: "new_document".into(),
            priority: 1,
            case: Some("22/25".into()),
            ..Default::default()
        };
        assert!(check_new_item("2026-H1", &ok).unwrap().is_empty());
        assert!(check_new_item("2024", &ok).unwrap().is_empty());
    }

    #[test]
    fn a_move_needs_a_period_and_a_reason() {
        let e = check_move(&MovePlanItem {
            period: "H2".into(),
            reason: " ".into(),
        })
        .unwrap();
        assert_eq!(e.iter().map(|f| f.field).collect::<Vec<_>>(), ["period", "reason"]);
        assert!(
            check_move(&MovePlanItem {
                period: "2026-H2".into(),
                reason: "Utsatt".into()
            })
            .unwrap()
            .is_empty()
        );
    }
}
