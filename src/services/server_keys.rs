//! Secrets shared by every process that serves one database, kept in `server_key` (not in
//! `registry_meta`, which goes into exports). The first process to need a key creates it;
//! the others read the same row.

use rand::RngCore;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::entities::server_key;
use crate::error::{AppError, AppResult};

/// The key that signs the sign-in form's CSRF token.
pub const LOGIN_CSRF: &str = "login_csrf";

/// Returns the 32-byte key `name`, creating it if no process has yet.
pub async fn get_or_create(db: &impl ConnectionTrait, name: &str) -> AppResult<[u8; 32]> {
    if let Some(key) = read(db, name).await? {
        return Ok(key);
    }
    let mut fresh = [0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    // Two processes may race here: the first insert wins and both read it back.
    server_key::Entity::insert(server_key::ActiveModel {
        name: Set(name.to_string()),
        value: Set(hex::encode(fresh)),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    read(db, name)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("server key {name} was not stored")))
}

async fn read(db: &impl ConnectionTrait, name: &str) -> AppResult<Option<[u8; 32]>> {
    let Some(row) = server_key::Entity::find_by_id(name.to_string()).one(db).await? else {
        return Ok(None);
    };
    let bytes = hex::decode(&row.value)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("server key {name} is not 32 bytes of hex")))?;
    Ok(Some(bytes))
}
