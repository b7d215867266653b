//! Extractors of the HTML pages: path and query with HTML error pages, the signed-in staff
//! member, the peer's address, and forms checked against a CSRF token (the session's, or the
//! sign-in form's signed one), with every field bounded before a handler sees it.
// The one place that names axum's own `Query` and `Path` (`clippy.toml` bans them elsewhere).
#![allow(clippy::disallowed_types)]

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, header, request::Parts};
use serde::de::DeserializeOwned;

use crate::csrf::{self, LoginNonce};
use crate::domain::Caller;
use crate::domain::account::{PASSWORD_MAX_CHARS, USER_NAME_MAX_CHARS};
use crate::error::AppError;
use crate::session::{self, Session};
use crate::state::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::paths;

/// Most fields a form may have.
pub const MAX_FORM_FIELDS: usize = 64;
/// Longest field name, in bytes (every real one is far shorter).
pub const MAX_FIELD_NAME_BYTES: usize = 64;
/// Longest value of a field of prose (summary, description, change note, reason, outcome).
pub const LONG_TEXT_MAX_CHARS: usize = 20_000;
/// Longest value of any other short field (titles, labels, dates, choices, tokens).
pub const SHORT_TEXT_MAX_CHARS: usize = 1_000;

/// Longest accepted value of a form field, in characters. Each bound is at or above the
/// domain's rule for the field, so the handler still explains a near miss by the field; what
/// is beyond it is refused here, before anything is stored, throttled or logged.
pub fn field_max_chars(name: &str) -> usize {
    match name {
        "navn" => USER_NAME_MAX_CHARS,
        "passord" | "gammelt_passord" | "nytt_passord" | "gjenta_passord" => PASSWORD_MAX_CHARS,
        // Markdown: the request's size limit bounds it; the editing service checks its own.
        "body" | "origin_body" => crate::routes::BODY_LIMIT,
        "summary" | "description" | "outcome" | "change_note" | "reason" | "successors" | "background" | "proposal"
        | "text" => LONG_TEXT_MAX_CHARS,
        _ => SHORT_TEXT_MAX_CHARS,
    }
}

/// The field names a form's labels are known by, for the refusal message.
fn field_label(name: &str) -> &str {
    match name {
        "navn" => "Brukernavn",
        "passord" => "Passord",
        "gammelt_passord" => "Nåværende passord",
        "nytt_passord" => "Nytt passord",
        "gjenta_passord" => "Gjenta nytt passord",
        _ => "",
    }
}

/// Refuses too many fields or a field over its bound (422, naming the field and the bound;
/// nothing of the value is kept).
pub fn check_bounds(fields: &[(String, String)]) -> WebResult<()> {
    if fields.len() > MAX_FORM_FIELDS {
        return Err(WebError::App(AppError::Invalid(format!(
            "Skjemaet har for mange felter (høyst {MAX_FORM_FIELDS})."
        ))));
    }
    for (name, value) in fields {
        if name.len() > MAX_FIELD_NAME_BYTES {
            return Err(WebError::App(AppError::Invalid(
                "Skjemaet har et felt med et for langt navn.".into(),
            )));
        }
        let max = field_max_chars(name);
        if value.len() > max && value.chars().count() > max {
            let label = field_label(name);
            let shown = if label.is_empty() || name.len() > 40 {
                "Et felt"
            } else {
                label
            };
            return Err(WebError::App(AppError::Invalid(format!(
                "{shown} er for langt: høyst {max} tegn er tillatt. Ingenting er lagret."
            ))));
        }
    }
    Ok(())
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

/// Checks what every workspace form post must be: same-site and urlencoded.
fn check_form_request(headers: &HeaderMap) -> WebResult<()> {
    if csrf::is_cross_site(headers) {
        return Err(WebError::Csrf);
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(WebError::App(AppError::UnsupportedMediaType(
            "expected a form (application/x-www-form-urlencoded)".into(),
        )));
    }
    Ok(())
}

fn deserialize<T: DeserializeOwned>(bytes: &[u8]) -> WebResult<T> {
    serde_urlencoded::from_bytes(bytes)
        .map_err(|e| WebError::App(AppError::BadRequest(format!("the form cannot be read: {e}"))))
}

/// The IP address of the peer, as the server saw the connection (`ConnectInfo`); `None` when
/// the server was not run with it. `X-Forwarded-For` is not trusted: any client can send it.
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(PeerAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        ))
    }
}

/// `axum::extract::Query` whose rejection is an HTML 400 page.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(WebError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` whose rejection is an HTML 404 page.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(WebError))]
pub struct Path<T>(pub T);

/// A signed-in member of staff (reviewer, editor or admin) with the session; anyone else is
/// sent to the sign-in page.
pub struct Staff {
    pub session: Session,
    pub user: Caller,
}

impl Staff {
    /// The signed-in user if they may write (editor or admin); reviewers are refused.
    pub fn editor(&self) -> WebResult<Caller> {
        crate::auth::require_writer(&self.user)?;
        Ok(self.user.clone())
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> WebResult<Self> {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| paths::WORKSPACE.into());
        let login = || WebError::LoginRequired { next: next.clone() };
        let value = session::cookie_value(&parts.headers).ok_or_else(login)?;
        match session::load(&state.db, &value).await? {
            Some(s) => match s.user.clone() {
                Some(user) => Ok(Staff { session: s, user }),
                None => Err(login()),
            },
            None => Err(login()),
        }
    }
}

/// The session, if the request carries a live one.
pub struct MaybeSession(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> WebResult<Self> {
        match session::cookie_value(&parts.headers) {
            Some(v) => Ok(MaybeSession(session::load(&state.db, &v).await?)),
            None => Ok(MaybeSession(None)),
        }
    }
}

/// A posted form whose `csrf_token` matches its session's token. Refused (403 page, nothing
/// read further) when the session, the token or the origin is wrong.
pub struct CsrfForm<T> {
    pub session: Session,
    pub form: T,
}

/// A form post by a staff member (one who may write, for `into_editor_post`): the request's
/// staff view, its session (for a flash message) and the form.
pub struct StaffPost<T> {
    pub staff: Staff,
    pub session: Session,
    pub form: T,
}

impl<T> CsrfForm<T> {
    /// Splits a post by an editor or admin into its parts; anyone else is refused.
    pub fn into_editor_post(self) -> WebResult<StaffPost<T>> {
        let user = self.editor()?;
        let staff = Staff {
            session: self.session.clone(),
            user,
        };
        Ok(StaffPost {
            staff,
            session: self.session,
            form: self.form,
        })
    }

    /// Splits a post by any signed-in staff member (reviewers too) into its parts.
    pub fn into_staff_post(self) -> WebResult<StaffPost<T>> {
        let user = self.session.user.clone().ok_or_else(|| WebError::LoginRequired {
            next: paths::WORKSPACE.into(),
        })?;
        let staff = Staff {
            session: self.session.clone(),
            user,
        };
        Ok(StaffPost {
            staff,
            session: self.session,
            form: self.form,
        })
    }

    /// The signed-in user who may write (editor or admin): anyone else is refused.
    pub fn editor(&self) -> WebResult<Caller> {
        match &self.session.user {
            None => Err(WebError::LoginRequired {
                next: paths::WORKSPACE.into(),
            }),
            Some(u) => {
                crate::auth::require_writer(u)?;
                Ok(u.clone())
            }
        }
    }
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> WebResult<Self> {
        check_form_request(req.headers())?;
        let session = match session::cookie_value(req.headers()) {
            Some(v) => session::load(&state.db, &v).await?,
            None => None,
        }
        .ok_or(WebError::Csrf)?;
        let bytes = Bytes::from_request(req, state).await?;
        let fields = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes).map_err(|_| WebError::Csrf)?;
        if !csrf::tokens_match(&session.data.csrf, field(&fields, csrf::FIELD)) {
            return Err(WebError::Csrf);
        }
        check_bounds(&fields)?;
        Ok(CsrfForm {
            session,
            form: deserialize(&bytes)?,
        })
    }
}

/// A posted sign-in form: checked against the signed token of its nonce cookie
/// (`csrf::LoginNonce`), since no session exists before sign-in. Also carries the session the
/// browser may still hold, so that signing in replaces it.
pub struct SignInForm<T> {
    pub form: T,
    /// The form's nonce, to draw the form again with the same token.
    pub nonce: LoginNonce,
    pub old_session: Option<Session>,
}

impl<T: DeserializeOwned> FromRequest<AppState> for SignInForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> WebResult<Self> {
        check_form_request(req.headers())?;
        let nonce: LoginNonce = csrf::login_nonce(req.headers()).ok_or(WebError::Csrf)?;
        let old_session = match session::cookie_value(req.headers()) {
            Some(v) => session::load(&state.db, &v).await?,
            None => None,
        };
        let bytes = Bytes::from_request(req, state).await?;
        let fields = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes).map_err(|_| WebError::Csrf)?;
        let key = state.login_csrf_key().await?;
        if !nonce.verify(&key, field(&fields, csrf::FIELD), chrono::Utc::now().timestamp()) {
            return Err(WebError::Csrf);
        }
        check_bounds(&fields)?;
        Ok(SignInForm {
            form: deserialize(&bytes)?,
            nonce,
            old_session,
        })
    }
}
