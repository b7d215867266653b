//! The `login_throttle` table: failed sign-ins per hashed (address, name) or address.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttle")]
pub struct Model {
    /// SHA-256 (hex) of what is counted; never the name or address itself.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub failures: i32,
    pub last_failure_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
