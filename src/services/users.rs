//! Users and API tokens. Tokens are random, shown once, and stored only as a SHA-256 hash.

use chrono::Utc;
use rand::RngCore;
use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::domain::Caller;
use crate::domain::account;
use crate::domain::{Role, UserStatus};
use crate::entities::{api_token, app_user, web_session};
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
    // The text rule (NFC, no control or non-characters), then the account's own bounds.
    let name = crate::domain::clean_text(
        "name",
        name.trim(),
        crate::domain::Lines::One,
        account::USER_NAME_MAX_CHARS,
    )?;
    account::check_user_name(&name)?;
    let name = name.as_str();
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
        status: Set(UserStatus::Active.as_str().to_string()),
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
    if user_status(&user)? != UserStatus::Active {
        return Ok(None);
    }
    Ok(Some(Caller {
        user_id: user.id,
        role: user
            .role
            .parse()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("bad role in database: {e}")))?,
        name: user.name,
    }))
}

fn user_status(user: &app_user::Model) -> AppResult<UserStatus> {
    user.status
        .parse()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("bad user status in database: {e}")))
}

/// Hashes a password with argon2 (a fresh random salt each time). CPU-heavy: call it from
/// `spawn_blocking` on the request path.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    use argon2::PasswordHasher;
    account::check_new_password(password)?;
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

/// A user as the admin page shows it.
#[derive(Debug, Clone)]
pub struct UserInfo {
    pub id: i32,
    pub name: String,
    pub role: Role,
    pub status: UserStatus,
    pub has_password: bool,
    /// Live web sessions.
    pub sessions: u64,
}

/// Lists every user by name, with their status and live sessions.
pub async fn list_users(db: &impl ConnectionTrait) -> AppResult<Vec<UserInfo>> {
    use sea_orm::{PaginatorTrait, QueryOrder};
    let rows = app_user::Entity::find()
        .order_by_asc(app_user::Column::Name)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for u in rows {
        let sessions = web_session::Entity::find()
            .filter(web_session::Column::UserId.eq(u.id))
            .filter(web_session::Column::ExpiresAt.gt(Utc::now()))
            .count(db)
            .await?;
        out.push(UserInfo {
            id: u.id,
            status: user_status(&u)?,
            role: u
                .role
                .parse()
                .map_err(|e| AppError::Internal(anyhow::anyhow!("bad role in database: {e}")))?,
            has_password: u.password_hash.is_some(),
            name: u.name,
            sessions,
        });
    }
    Ok(out)
}

/// Which user: by name (the command line) or by id (the workspace).
#[derive(Debug, Clone, Copy)]
pub enum UserRef<'a> {
    Name(&'a str),
    Id(i32),
}

async fn find_user(db: &impl ConnectionTrait, user: UserRef<'_>) -> AppResult<app_user::Model> {
    match user {
        UserRef::Name(name) => app_user::Entity::find()
            .filter(app_user::Column::Name.eq(name.trim()))
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found(format!("user {:?}", name.trim()))),
        UserRef::Id(id) => app_user::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found(format!("user {id}"))),
    }
}

/// Sets a user's password (an admin or the command line; `hash` from `hash_password`) and
/// ends all of the user's web sessions.
pub async fn set_password(db: &DatabaseConnection, actor: &str, user: UserRef<'_>, hash: String) -> AppResult<u64> {
    let txn = crate::db::begin_write(db).await?;
    let user = find_user(&txn, user).await?;
    let id = user.id;
    let mut active: app_user::ActiveModel = user.into();
    active.password_hash = Set(Some(hash));
    active.update(&txn).await?;
    let ended = crate::session::end_sessions_of(&txn, id, None).await?;
    audit::record(&txn, actor, "user.password", "user", Some(id), serde_json::json!({})).await?;
    txn.commit().await?;
    Ok(ended)
}

/// Why changing one's own password was refused.
#[derive(Debug, thiserror::Error)]
pub enum PasswordChangeError {
    #[error("the current password is wrong")]
    WrongPassword,
    #[error(transparent)]
    App(#[from] AppError),
}

/// A signed-in user changes their own password: the current one must be right. Every other
/// session of the user ends; `keep` (the session making the change) stays.
pub async fn change_own_password(
    db: &DatabaseConnection,
    caller: &Caller,
    keep: &str,
    current: &str,
    new: &str,
) -> Result<u64, PasswordChangeError> {
    account::check_new_password(new).map_err(AppError::from)?;
    let user = app_user::Entity::find_by_id(caller.user_id)
        .one(db)
        .await
        .map_err(AppError::from)?
        .ok_or_else(|| AppError::not_found("user"))?;
    let Some(stored) = user.password_hash.clone() else {
        return Err(PasswordChangeError::WrongPassword);
    };
    let (current, new) = (current.to_string(), new.to_string());
    let hash = tokio::task::spawn_blocking(move || {
        if !verify_password(&current, &stored) {
            return Ok(None);
        }
        hash_password(&new).map(Some)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?
    .map_err(AppError::Internal)?
    .ok_or(PasswordChangeError::WrongPassword)?;
    let txn = crate::db::begin_write(db).await.map_err(AppError::from)?;
    let mut active: app_user::ActiveModel = user.into();
    active.password_hash = Set(Some(hash));
    active.update(&txn).await.map_err(AppError::from)?;
    let ended = crate::session::end_sessions_of(&txn, caller.user_id, Some(keep)).await?;
    audit::record(
        &txn,
        &caller.name,
        "user.password",
        "user",
        Some(caller.user_id),
        serde_json::json!({"own": true}),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)?;
    Ok(ended)
}

/// What disabling a user ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disabled {
    pub name: String,
    pub sessions: u64,
    pub tokens: u64,
}

/// Disables a user: no sign-in, every web session ended, every API token revoked.
/// `actor_id` is the admin doing it (`None` from the command line); nobody disables themselves.
pub async fn disable_user(
    db: &DatabaseConnection,
    actor: &str,
    actor_id: Option<i32>,
    user: UserRef<'_>,
) -> AppResult<Disabled> {
    let txn = crate::db::begin_write(db).await?;
    let user = find_user(&txn, user).await?;
    if let Some(actor_id) = actor_id {
        account::check_may_disable(actor_id, user.id)?;
    }
    let (id, name) = (user.id, user.name.clone());
    if user_status(&user)? == UserStatus::Disabled {
        return Err(AppError::Conflict(format!(
            "the user {:?} is disabled already",
            user.name
        )));
    }
    let mut active: app_user::ActiveModel = user.into();
    active.status = Set(UserStatus::Disabled.as_str().to_string());
    active.update(&txn).await?;
    let sessions = crate::session::end_sessions_of(&txn, id, None).await?;
    let tokens = api_token::Entity::update_many()
        .col_expr(
            api_token::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(api_token::Column::UserId.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    audit::record(
        &txn,
        actor,
        "user.disable",
        "user",
        Some(id),
        serde_json::json!({"sessions": sessions, "tokens": tokens}),
    )
    .await?;
    txn.commit().await?;
    Ok(Disabled { name, sessions, tokens })
}

/// Enables a disabled user again (they sign in anew; revoked tokens stay revoked). Returns
/// the user's name.
pub async fn enable_user(db: &DatabaseConnection, actor: &str, user: UserRef<'_>) -> AppResult<String> {
    let txn = crate::db::begin_write(db).await?;
    let user = find_user(&txn, user).await?;
    let (id, name) = (user.id, user.name.clone());
    if user_status(&user)? == UserStatus::Active {
        return Err(AppError::Conflict(format!(
            "the user {:?} is active already",
            user.name
        )));
    }
    let mut active: app_user::ActiveModel = user.into();
    active.status = Set(UserStatus::Active.as_str().to_string());
    active.update(&txn).await?;
    audit::record(&txn, actor, "user.enable", "user", Some(id), serde_json::json!({})).await?;
    txn.commit().await?;
    Ok(name)
}
