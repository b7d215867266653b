//! Signing in and out of the workspace. Passwords are checked with argon2 (off the async
//! runtime). Nothing is stored for a visitor who only looks at the sign-in form: its CSRF
//! protection is a signed nonce cookie (`csrf::LoginNonce`). A successful sign-in replaces any
//! session, so a session id planted before sign-in is worthless afterwards. Failures slow down
//! the address they come from (`domain::throttle`), never the account's owner elsewhere.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use crate::csrf::{self, LOGIN_FORM_TTL_SECS, LoginNonce};
use crate::domain::throttle::LoginGate;
use crate::logging::logged;
use crate::services::login_throttle::{self, Attempt};
use crate::session::{self, Session};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::{CsrfForm, MaybeSession, PeerAddr, Query, SignInForm};
use crate::web::forms::{Errors, Field, FormPage, Input};
use crate::web::paths;
use crate::web::ui::{Layout, NB};

#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    pub neste: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub navn: String,
    #[serde(default)]
    pub passord: String,
    #[serde(default)]
    pub neste: String,
}

/// Longest path followed after sign-in; the value is echoed into the form, so it is bounded.
const MAX_NEXT_BYTES: usize = 512;

/// Only workspace paths are followed after sign-in (no open redirect).
fn safe_next(next: &str) -> String {
    let ok = next.len() <= MAX_NEXT_BYTES
        && next.starts_with(paths::WORKSPACE)
        && !next.starts_with(paths::SIGN_IN)
        && !next.starts_with(paths::SIGN_OUT)
        && !next.contains("//")
        && !next.contains('\\')
        && next.chars().all(|c| !c.is_control());
    if ok {
        next.to_string()
    } else {
        paths::WORKSPACE.to_string()
    }
}

fn login_page(csrf: &str, form: &LoginForm, errors: &Errors, failed: bool) -> FormPage {
    let mut page = FormPage::new(
        Layout::public(format!("Logg inn – {}", NB.site_name), Some(paths::SIGN_IN.into())),
        "Logg inn i redaksjonen",
        paths::SIGN_IN,
        csrf,
    );
    page.intro = vec!["Arbeidsflaten er for sekretariatet og redaksjonskomiteen. Leser du bare materiellet, trenger du ikke logge inn.".into()];
    page.hidden = vec![("neste", safe_next(&form.neste))];
    page.fields = vec![
        Field::new("navn", "Brukernavn", Input::Text, form.navn.clone()).autocomplete("username"),
        Field::new("passord", "Passord", Input::Password, "").autocomplete("current-password"),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Logg inn".into();
    if failed {
        page.general_error = Some("Brukernavnet eller passordet er feil.".into());
    }
    page
}

fn with_cookie(mut res: Response, value: &HeaderValue) -> Response {
    res.headers_mut().append(header::SET_COOKIE, value.clone());
    res
}

/// How long to wait, in words.
pub(crate) fn wait_text(d: std::time::Duration) -> String {
    let secs = d.as_secs().max(1);
    if secs <= 90 {
        format!("{secs} sekunder")
    } else {
        format!("{} minutter", secs.div_ceil(60))
    }
}

/// `GET /redaksjon/logg-inn`: the form. Stores nothing: the CSRF token is signed over a nonce
/// kept in a short-lived cookie (reused while it has at least half its life left, so two tabs
/// work).
pub async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSession(existing): MaybeSession,
    Query(q): Query<LoginQuery>,
) -> WebResult<Response> {
    let form = LoginForm {
        neste: q.neste.unwrap_or_default(),
        ..Default::default()
    };
    if existing.is_some_and(|s| s.user.is_some()) {
        return Ok(Redirect::to(&safe_next(&form.neste)).into_response());
    }
    let now = Utc::now().timestamp();
    let reusable =
        csrf::login_nonce(&headers).filter(|n| n.is_live(now) && now - n.issued_at < LOGIN_FORM_TTL_SECS / 2);
    let key = state.login_csrf_key().await?;
    let (nonce, fresh) = match reusable {
        Some(n) => (n, false),
        None => (LoginNonce::fresh(now), true),
    };
    let page = login_page(&nonce.token(&key), &form, &Errors::default(), false).respond();
    Ok(if fresh {
        with_cookie(page, &nonce.set_cookie(session::is_https(&headers)))
    } else {
        page
    })
}

/// `POST /redaksjon/logg-inn`.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    PeerAddr(peer): PeerAddr,
    f: SignInForm<LoginForm>,
) -> WebResult<Response> {
    let SignInForm {
        form,
        nonce,
        old_session,
    } = f;
    let token = nonce.token(&state.login_csrf_key().await?);
    let mut errors = Errors::default();
    if form.navn.trim().is_empty() {
        errors.add("navn", "Skriv brukernavnet ditt");
    }
    if form.passord.is_empty() {
        errors.add("passord", "Skriv passordet ditt");
    }
    if !errors.is_empty() {
        return Ok(login_page(&token, &form, &errors, false).respond());
    }
    let attempt = Attempt::new(peer, &form.navn);
    if let LoginGate::Wait(d) = login_throttle::gate(&state.db, &attempt).await? {
        tracing::info!(user = ?logged(form.navn.trim()), peer = ?peer, "sign-in refused by throttling");
        let mut page = login_page(&token, &form, &errors, false);
        page.general_error = Some(format!(
            "For mange mislykkede innlogginger herfra. Vent {} før du prøver igjen.",
            wait_text(d)
        ));
        let mut res = crate::web::ui::render(StatusCode::TOO_MANY_REQUESTS, &page);
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(d.as_secs().max(1)));
        return Ok(res);
    }
    let Some(user) = session::check_password(&state.db, &form.navn, &form.passord).await? else {
        login_throttle::failed(&state.db, &attempt).await?;
        tracing::info!(user = ?logged(form.navn.trim()), peer = ?peer, "failed sign-in");
        let page = login_page(&token, &form, &errors, true);
        return Ok(crate::web::ui::render(StatusCode::UNAUTHORIZED, &page));
    };
    login_throttle::succeeded(&state.db, &attempt).await?;
    if let Some(old) = &old_session {
        session::destroy(&state.db, old).await?;
    }
    tracing::info!(user = ?logged(&user.name), peer = ?peer, "signed in");
    let (value, new) = session::create(&state.db, user).await?;
    let secure = session::is_https(&headers);
    // The session cookie first: it is the one that matters.
    let res = with_cookie(
        Redirect::to(&safe_next(&form.neste)).into_response(),
        &session::set_cookie(&value, &new, secure),
    );
    Ok(with_cookie(res, &csrf::clear_login_cookie(secure)))
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// `POST /redaksjon/logg-ut`: ends the session.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap, f: CsrfForm<Empty>) -> WebResult<Response> {
    end(&state, &f.session).await?;
    let cookie = session::clear_cookie(session::is_https(&headers));
    Ok(with_cookie(Redirect::to(paths::SIGN_IN).into_response(), &cookie))
}

async fn end(state: &AppState, s: &Session) -> WebResult<()> {
    session::destroy(&state.db, s).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_short_workspace_paths_are_followed() {
        assert_eq!(safe_next("/redaksjon/dokumenter/3"), "/redaksjon/dokumenter/3");
        assert_eq!(safe_next("https://evil.example/"), "/redaksjon");
        assert_eq!(safe_next("/redaksjon//evil.example"), "/redaksjon");
        let long = format!("/redaksjon/{}", "a".repeat(600));
        assert_eq!(safe_next(&long), "/redaksjon", "an echoed value is bounded");
    }
}
