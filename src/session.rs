//! Sessions of the editors' web workspace, kept in the `web_session` table.
//!
//! The cookie holds 32 random bytes (hex); the table keeps only their SHA-256, so a copy of the
//! database gives nobody a live session. A session is stored only when someone signs in (the
//! sign-in form needs none: see `csrf::LoginNonce`), and each carries its own CSRF token (see
//! `csrf`). Signing in replaces any session with a new one (no session fixation); signing out
//! deletes it. The user's role and status are read from `app_user` on every request, so a
//! changed role takes effect at once and a disabled user is signed out at once.

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use crate::domain::Caller;
use crate::domain::UserStatus;
use crate::entities::{app_user, web_session};
use crate::error::{AppError, AppResult};
use crate::services::users;

/// Name of the session cookie.
pub const COOKIE: &str = "nr_session";
/// The cookie is only sent to the workspace.
pub const COOKIE_PATH: &str = "/redaksjon";
/// Lifetime of a signed-in session.
const SIGNED_IN_TTL: Duration = Duration::hours(8);

/// What a session remembers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionData {
    /// The signed-in user, if any.
    pub user_id: Option<i32>,
    /// The token every form of this session must send back.
    pub csrf: String,
    /// A message for the next page ("Versjon 2.0 er publisert").
    #[serde(default)]
    pub flash: Option<String>,
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    key_hash: String,
    pub data: SessionData,
    pub expires_at: DateTime<Utc>,
    /// The signed-in user as of this request.
    pub user: Option<Caller>,
}

impl Session {
    /// The stored key (SHA-256 of the cookie value), to name this session in the database.
    pub fn key_hash(&self) -> &str {
        &self.key_hash
    }
}

/// Returns 32 random bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("{e}"))
}

/// Loads the session a cookie value names; `None` when unknown, expired or unreadable.
pub async fn load(db: &impl ConnectionTrait, cookie_value: &str) -> AppResult<Option<Session>> {
    if cookie_value.len() != 64 || !cookie_value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let key_hash = users::sha256_hex(cookie_value);
    let Some(row) = web_session::Entity::find_by_id(key_hash.clone()).one(db).await? else {
        return Ok(None);
    };
    if row.expires_at <= Utc::now() {
        web_session::Entity::delete_by_id(key_hash).exec(db).await?;
        return Ok(None);
    }
    let Ok(data) = serde_json::from_str::<SessionData>(&row.data) else {
        return Ok(None);
    };
    let user = match data.user_id {
        Some(id) => app_user::Entity::find_by_id(id)
            .one(db)
            .await?
            .and_then(|u| caller_of(u).ok()),
        None => None,
    };
    // A session without a live, active user is worth nothing: end it.
    let Some(user) = user else {
        web_session::Entity::delete_by_id(key_hash).exec(db).await?;
        return Ok(None);
    };
    let user = Some(user);
    Ok(Some(Session {
        key_hash,
        data,
        expires_at: row.expires_at,
        user,
    }))
}

/// The caller a user row stands for; an error for a disabled user (or a bad row).
pub(crate) fn caller_of(u: app_user::Model) -> AppResult<Caller> {
    let status: UserStatus = u.status.parse().map_err(internal)?;
    if status != UserStatus::Active {
        return Err(AppError::Unauthorized(format!("the user {:?} is disabled", u.name)));
    }
    Ok(Caller {
        user_id: u.id,
        role: u.role.parse().map_err(internal)?,
        name: u.name,
    })
}

/// Starts a signed-in session and returns the cookie value with it. Expired sessions are
/// cleared on the way.
pub async fn create(db: &impl ConnectionTrait, user: Caller) -> AppResult<(String, Session)> {
    let now = Utc::now();
    web_session::Entity::delete_many()
        .filter(web_session::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    let value = random_token();
    let key_hash = users::sha256_hex(&value);
    let data = SessionData {
        user_id: Some(user.user_id),
        csrf: random_token(),
        flash: None,
    };
    let expires_at = now + SIGNED_IN_TTL;
    web_session::ActiveModel {
        id: Set(key_hash.clone()),
        data: Set(serde_json::to_string(&data).map_err(internal)?),
        expires_at: Set(expires_at),
        user_id: Set(Some(user.user_id)),
    }
    .insert(db)
    .await?;
    Ok((
        value,
        Session {
            key_hash,
            data,
            expires_at,
            user: Some(user),
        },
    ))
}

/// Writes the session's data back.
pub async fn save(db: &impl ConnectionTrait, session: &Session) -> AppResult<()> {
    web_session::Entity::update_many()
        .col_expr(
            web_session::Column::Data,
            sea_orm::sea_query::Expr::value(serde_json::to_string(&session.data).map_err(internal)?),
        )
        .filter(web_session::Column::Id.eq(session.key_hash.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends a session.
pub async fn destroy(db: &impl ConnectionTrait, session: &Session) -> AppResult<()> {
    web_session::Entity::delete_by_id(session.key_hash.clone())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user except `keep` (the one making the change, if any).
pub async fn end_sessions_of(db: &impl ConnectionTrait, user_id: i32, keep: Option<&str>) -> AppResult<u64> {
    let mut q = web_session::Entity::delete_many().filter(web_session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        q = q.filter(web_session::Column::Id.ne(keep));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// Returns the session cookie's value from the request headers.
pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    cookie_named(headers, COOKIE)
}

/// Returns the value of the cookie `name` from the request headers.
pub fn cookie_named(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.trim_matches('"').to_string())
}

/// Whether the request reached us over TLS (through a proxy that says so).
pub fn is_https(headers: &HeaderMap) -> bool {
    let forwarded_proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    let forwarded = headers
        .get(header::FORWARDED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("proto=https"));
    forwarded_proto || forwarded
}

/// The `Set-Cookie` value that stores a session: HttpOnly, SameSite=Lax, only for the
/// workspace, and Secure behind TLS.
pub fn set_cookie(value: &str, session: &Session, secure: bool) -> HeaderValue {
    let max_age = (session.expires_at - Utc::now()).num_seconds().max(0);
    cookie_header(value, max_age, secure)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    cookie_header("", 0, secure)
}

fn cookie_header(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{COOKIE}={value}; Path={COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("nr_session=; Max-Age=0"))
}

/// A stored hash to verify against when the user name is unknown, so that a wrong name costs
/// as much time as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| users::hash_password("not-a-real-password-at-all").unwrap_or_default());

/// Checks a user name and password; returns the user when both are right, the user has a
/// password and is not disabled. argon2 runs off the async runtime.
pub async fn check_password(db: &impl ConnectionTrait, name: &str, password: &str) -> AppResult<Option<Caller>> {
    let user = app_user::Entity::find()
        .filter(app_user::Column::Name.eq(name.trim()))
        .one(db)
        .await?;
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || users::verify_password(&password, &hash))
        .await
        .map_err(internal)?;
    match user {
        // A disabled user is refused like a wrong password (nothing is revealed).
        Some(u) if ok && u.password_hash.is_some() => Ok(caller_of(u).ok()),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; nr_session=abc; b=2"));
        assert_eq!(cookie_value(&h).as_deref(), Some("abc"));
        assert_eq!(cookie_value(&HeaderMap::new()), None);
    }

    #[test]
    fn cookie_flags() {
        let v = cookie_header("x", 10, true);
        let v = v.to_str().unwrap();
        for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/redaksjon", "Max-Age=10"] {
            assert!(v.contains(flag), "{v} lacks {flag}");
        }
        assert!(!cookie_header("x", 10, false).to_str().unwrap().contains("Secure"));
    }
}
