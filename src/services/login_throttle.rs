//! Failed sign-ins, kept in the `login_throttle` table so that every process serving the
//! database applies one throttle (the rule is `domain::throttle`). Rows are keyed by a SHA-256,
//! so each has a fixed size whatever name was typed; rows older than the rule remembers are
//! purged on every failure, and the table never holds more than `MAX_ROWS`.

use std::net::IpAddr;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, Set};

use crate::domain::throttle::{FORGET_AFTER, Failures, LoginGate, MAX_ROWS, address_key, login_gate, name_key};
use crate::entities::login_throttle::{self, Column, Entity};
use crate::error::AppResult;
use crate::services::users::sha256_hex;

/// The two counters one sign-in attempt touches.
#[derive(Debug, Clone)]
pub struct Attempt {
    pair: String,
    address: String,
}

impl Attempt {
    /// The attempt of `name` from `ip` (`None` when the peer address is not known).
    pub fn new(ip: Option<IpAddr>, name: &str) -> Self {
        let addr = address_key(ip);
        Attempt {
            pair: sha256_hex(&format!("pair\0{addr}\0{}", name_key(name))),
            address: sha256_hex(&format!("address\0{addr}")),
        }
    }
}

/// Whether the attempt may be checked now.
pub async fn gate(db: &impl ConnectionTrait, attempt: &Attempt) -> AppResult<LoginGate> {
    let rows = Entity::find()
        .filter(Column::Key.is_in([attempt.pair.as_str(), attempt.address.as_str()]))
        .all(db)
        .await?;
    let now = Utc::now();
    let of = |key: &str| {
        rows.iter().find(|r| r.key == key).map(|r| Failures {
            count: u32::try_from(r.failures).unwrap_or(0),
            since_last: (now - r.last_failure_at).to_std().unwrap_or_default(),
        })
    };
    Ok(login_gate(of(&attempt.pair), of(&attempt.address)))
}

/// Records a failed attempt (both counters, each in one statement, so concurrent failures in
/// several processes all count).
pub async fn failed(db: &impl ConnectionTrait, attempt: &Attempt) -> AppResult<()> {
    let now = Utc::now();
    let forget = chrono::Duration::from_std(FORGET_AFTER).unwrap_or_default();
    Entity::delete_many()
        .filter(Column::LastFailureAt.lte(now - forget))
        .exec(db)
        .await?;
    for key in [&attempt.pair, &attempt.address] {
        Entity::insert(login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(1),
            last_failure_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(Column::Key)
                .value(Column::Failures, Expr::col((Entity, Column::Failures)).add(1))
                .value(Column::LastFailureAt, now)
                .to_owned(),
        )
        .exec(db)
        .await?;
    }
    trim_to(db, MAX_ROWS).await
}

/// Drops the oldest rows beyond `cap`.
pub async fn trim_to(db: &impl ConnectionTrait, cap: u64) -> AppResult<()> {
    let n = Entity::find().count(db).await?;
    if n <= cap {
        return Ok(());
    }
    let oldest = Query::select()
        .column(Column::Key)
        .from(Entity)
        .order_by(Column::LastFailureAt, Order::Asc)
        .limit(n - cap)
        .to_owned();
    Entity::delete_many()
        .filter(Column::Key.in_subquery(oldest))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets this name's failures from this address after a successful sign-in (the address's
/// own budget runs down by itself).
pub async fn succeeded(db: &impl ConnectionTrait, attempt: &Attempt) -> AppResult<()> {
    Entity::delete_by_id(attempt.pair.clone()).exec(db).await?;
    Ok(())
}

/// How many rows the throttle holds (for tests and figures).
pub async fn row_count(db: &impl ConnectionTrait) -> AppResult<u64> {
    Ok(Entity::find().count(db).await?)
}
