//! Extractors of the HTML pages: path and query with HTML error pages, the signed-in staff
//! member, and forms checked against the session's CSRF token.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::auth::Caller;
use crate::csrf;
use crate::error::AppError;
use crate::session::{self, Session};
use crate::state::AppState;
use crate::web::error::{WebError, WebResult};

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

impl FromRequestParts<AppState> for Staff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> WebResult<Self> {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/redaksjon".into());
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

/// A form post by a user who may write: the request's staff view, its session (for a flash
/// message) and the form.
pub struct EditorPost<T> {
    pub staff: Staff,
    pub session: Session,
    pub form: T,
}

impl<T> CsrfForm<T> {
    /// Splits a post by an editor or admin into its parts; anyone else is refused.
    pub fn into_editor_post(self) -> WebResult<EditorPost<T>> {
        let user = self.editor()?;
        let staff = Staff {
            session: self.session.clone(),
            user,
        };
        Ok(EditorPost {
            staff,
            session: self.session,
            form: self.form,
        })
    }

    /// The signed-in user who may write (editor or admin): anyone else is refused.
    pub fn editor(&self) -> WebResult<Caller> {
        match &self.session.user {
            None => Err(WebError::LoginRequired {
                next: "/redaksjon".into(),
            }),
            Some(u) if u.role.can_write() => Ok(u.clone()),
            Some(u) => Err(WebError::App(AppError::Forbidden(format!(
                "the role {} cannot make changes",
                u.role
            )))),
        }
    }
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf_token: String,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> WebResult<Self> {
        if csrf::is_cross_site(req.headers()) {
            return Err(WebError::Csrf);
        }
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(WebError::App(AppError::UnsupportedMediaType(
                "expected a form (application/x-www-form-urlencoded)".into(),
            )));
        }
        let session = match session::cookie_value(req.headers()) {
            Some(v) => session::load(&state.db, &v).await?,
            None => None,
        }
        .ok_or(WebError::Csrf)?;
        let bytes = Bytes::from_request(req, state).await?;
        let token: TokenOnly = serde_urlencoded::from_bytes(&bytes).map_err(|_| WebError::Csrf)?;
        if !csrf::tokens_match(&session.data.csrf, &token.csrf_token) {
            return Err(WebError::Csrf);
        }
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| WebError::App(AppError::BadRequest(format!("the form cannot be read: {e}"))))?;
        Ok(CsrfForm { session, form })
    }
}
