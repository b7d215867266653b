//! The append-only audit log: every write records who did what to which target, and when.
//! There is deliberately no function here to change or delete an entry.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect, Set};
use serde::Serialize;

use crate::entities::audit_event;
use crate::error::AppResult;

/// Appends one event, inside the caller's transaction.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &str,
    action: &str,
    target_type: &str,
    target_id: Option<i32>,
    details: serde_json::Value,
) -> AppResult<()> {
    audit_event::ActiveModel {
        at: Set(Utc::now()),
        actor: Set(actor.to_string()),
        action: Set(action.to_string()),
        target_type: Set(target_type.to_string()),
        target_id: Set(target_id),
        details: Set(details.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// One audit entry as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i32,
    pub at: chrono::DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<i32>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// Returns the newest entries first, with the total count.
pub async fn list(db: &impl ConnectionTrait, limit: u64, offset: u64) -> AppResult<(u64, Vec<AuditEntry>)> {
    let total = audit_event::Entity::find().count(db).await?;
    let rows = audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: r.at,
            actor: r.actor,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
        })
        .collect();
    Ok((total, items))
}
