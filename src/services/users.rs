//! Users and API tokens. Tokens are random, shown once, and stored only as a SHA-256 hash.

use chrono::Utc;
use rand::RngCore;
use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::domain::Role;
use crate::entities::{api_token, app_user};
use crate::error::{AppError, AppResult};
use crate::services::audit;

/// Returns the hex SHA-256 of a token (or any text).
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Adds a user with a role (and optionally a password hash) and returns a fresh API token.
pub async fn add_user(
    db: &DatabaseConnection,
    name: &str,
    role: Role,
    password_hash: Option<String>,
) -> AppResult<String> {
    let name = crate::domain::clean_text("name", name.trim(), crate::domain::Lines::One, 100)
        .map_err(|e| AppError::Invalid(format!("a user name must be 1 to 100 printable characters: {e}")))?;
    let name = name.as_str();
    if name.is_empty() || name.len() > 100 {
        return Err(AppError::Invalid(
            "a user name must be 1 to 100 printable characters".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    if app_user::Entity::find()
        .filter(app_user::Column::Name.eq(name))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!("a user named {name:?} exists already")));
    }
    let user = app_user::ActiveModel {
        name: Set(name.to_string()),
        role: Set(role.as_str().to_string()),
        password_hash: Set(password_hash),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let token = issue_token(&txn, user.id).await?;
    audit::record(
        &txn,
        "cli",
        "user.add",
        "user",
        Some(user.id),
        serde_json::json!({"name": name, "role": role}),
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// Issues a new API token for a user and returns it in clear text.
pub async fn issue_token(db: &impl ConnectionTrait, user_id: i32) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("nrt_{}", hex::encode(bytes));
    api_token::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(sha256_hex(&token)),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Resolves a token to its user, if it exists and is not revoked.
pub async fn caller_for_token(db: &impl ConnectionTrait, token: &str) -> AppResult<Option<Caller>> {
    let Some(row) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(sha256_hex(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(user) = app_user::Entity::find_by_id(row.user_id).one(db).await? else {
        return Ok(None);
    };
    Ok(Some(Caller {
        user_id: user.id,
        role: user
            .role
            .parse()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("bad role in database: {e}")))?,
        name: user.name,
    }))
}

/// Hashes a password with argon2 (a fresh random salt each time). CPU-heavy: call it from
/// `spawn_blocking` on the request path.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    use argon2::PasswordHasher;
    if password.chars().count() < 10 {
        anyhow::bail!("a password must be at least 10 characters");
    }
    let hash = argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))?;
    Ok(hash.to_string())
}

/// Checks a password against a stored argon2 hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::PasswordVerifier;
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// An API token as admins see it: never the token itself.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: i32,
    pub user: String,
    pub role: String,
    pub created_at: chrono::DateTime<Utc>,
    pub revoked_at: Option<chrono::DateTime<Utc>>,
}

/// Lists every API token with its user.
pub async fn list_tokens(db: &impl ConnectionTrait) -> AppResult<Vec<TokenInfo>> {
    use sea_orm::QueryOrder;
    let users: std::collections::HashMap<i32, app_user::Model> = app_user::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let tokens = api_token::Entity::find()
        .order_by_asc(api_token::Column::Id)
        .all(db)
        .await?;
    Ok(tokens
        .into_iter()
        .map(|t| {
            let user = users.get(&t.user_id);
            TokenInfo {
                id: t.id,
                user: user.map(|u| u.name.clone()).unwrap_or_default(),
                role: user.map(|u| u.role.clone()).unwrap_or_default(),
                created_at: t.created_at,
                revoked_at: t.revoked_at,
            }
        })
        .collect())
}

/// Issues a new token for a named user (admins), returning it once.
pub async fn issue_token_for(db: &DatabaseConnection, admin: &Caller, user_name: &str) -> AppResult<String> {
    let txn = crate::db::begin_write(db).await?;
    let user = app_user::Entity::find()
        .filter(app_user::Column::Name.eq(user_name))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::Invalid(format!("no user named {user_name:?}")))?;
    let token = issue_token(&txn, user.id).await?;
    audit::record(
        &txn,
        &admin.name,
        "token.issue",
        "user",
        Some(user.id),
        serde_json::json!({"user": user.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// Revokes a token; a revoked token is refused from then on.
pub async fn revoke_token(db: &DatabaseConnection, admin: &Caller, token_id: i32) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    let token = api_token::Entity::find_by_id(token_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("token {token_id}")))?;
    if token.revoked_at.is_some() {
        return Err(AppError::Conflict(format!("token {token_id} is revoked already")));
    }
    let mut active: api_token::ActiveModel = token.into();
    active.revoked_at = Set(Some(Utc::now()));
    active.update(&txn).await?;
    audit::record(
        &txn,
        &admin.name,
        "token.revoke",
        "api_token",
        Some(token_id),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
