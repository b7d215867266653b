//! Signing in and out of the workspace. Passwords are checked with argon2 (off the async
//! runtime); a successful sign-in replaces the session, so a session id planted before sign-in
//! is worthless afterwards. Repeated failures slow down and then lock the account for a while
//! (`domain::throttle`).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::throttle::LoginGate;
use crate::session::{self, Session};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::{CsrfForm, MaybeSession, Query};
use crate::web::forms::{Errors, Field, FormPage, Input};
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

/// Only workspace paths are followed after sign-in (no open redirect).
fn safe_next(next: &str) -> String {
    let ok = next.starts_with("/redaksjon")
        && !next.starts_with("/redaksjon/logg-")
        && !next.contains("//")
        && !next.contains('\\')
        && next.chars().all(|c| !c.is_control());
    if ok { next.to_string() } else { "/redaksjon".to_string() }
}

fn login_page(csrf: &str, form: &LoginForm, errors: &Errors, failed: bool) -> FormPage {
    let mut page = FormPage::new(
        Layout::public(
            format!("Logg inn – {}", NB.site_name),
            Some("/redaksjon/logg-inn".into()),
        ),
        "Logg inn i redaksjonen",
        "/redaksjon/logg-inn",
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

/// `GET /redaksjon/logg-inn`: the form; starts a session to carry its CSRF token.
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
    if let Some(s) = existing {
        if s.user.is_some() {
            return Ok(Redirect::to(&safe_next(&form.neste)).into_response());
        }
        return Ok(login_page(&s.data.csrf, &form, &Errors::default(), false).respond());
    }
    let (value, s) = session::create(&state.db, None).await?;
    let cookie = session::set_cookie(&value, &s, session::is_https(&headers));
    Ok(with_cookie(
        login_page(&s.data.csrf, &form, &Errors::default(), false).respond(),
        &cookie,
    ))
}

/// `POST /redaksjon/logg-inn`.
pub async fn login(State(state): State<AppState>, headers: HeaderMap, f: CsrfForm<LoginForm>) -> WebResult<Response> {
    let CsrfForm { session: old, form } = f;
    let mut errors = Errors::default();
    if form.navn.trim().is_empty() {
        errors.add("navn", "Skriv brukernavnet ditt");
    }
    if form.passord.is_empty() {
        errors.add("passord", "Skriv passordet ditt");
    }
    if !errors.is_empty() {
        return Ok(login_page(&old.data.csrf, &form, &errors, false).respond());
    }
    let refusal = match state.login_throttle.gate(&form.navn) {
        LoginGate::Open => None,
        LoginGate::Wait(d) => Some(format!(
            "For mange mislykkede innlogginger. Vent {} sekunder før du prøver igjen.",
            d.as_secs().max(1)
        )),
        LoginGate::Locked(d) => Some(format!(
            "For mange mislykkede innlogginger: kontoen er sperret i {} minutter til. Kontakt sekretariatet hvis du trenger hjelp.",
            d.as_secs().div_ceil(60)
        )),
    };
    if let Some(message) = refusal {
        tracing::info!(user = %form.navn.trim(), "sign-in refused by throttling");
        let mut page = login_page(&old.data.csrf, &form, &errors, false);
        page.general_error = Some(message);
        return Ok(crate::web::ui::render(StatusCode::TOO_MANY_REQUESTS, &page));
    }
    let Some(user) = session::check_password(&state.db, &form.navn, &form.passord).await? else {
        state.login_throttle.failed(&form.navn);
        tracing::info!(user = %form.navn.trim(), "failed sign-in");
        let page = login_page(&old.data.csrf, &form, &errors, true);
        return Ok(crate::web::ui::render(StatusCode::UNAUTHORIZED, &page));
    };
    state.login_throttle.succeeded(&form.navn);
    session::destroy(&state.db, &old).await?;
    tracing::info!(user = %user.name, "signed in");
    let (value, new) = session::create(&state.db, Some(user)).await?;
    let cookie = session::set_cookie(&value, &new, session::is_https(&headers));
    Ok(with_cookie(
        Redirect::to(&safe_next(&form.neste)).into_response(),
        &cookie,
    ))
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// `POST /redaksjon/logg-ut`: ends the session.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap, f: CsrfForm<Empty>) -> WebResult<Response> {
    end(&state, &f.session).await?;
    let cookie = session::clear_cookie(session::is_https(&headers));
    Ok(with_cookie(
        Redirect::to("/redaksjon/logg-inn").into_response(),
        &cookie,
    ))
}

async fn end(state: &AppState, s: &Session) -> WebResult<()> {
    session::destroy(&state.db, s).await?;
    Ok(())
}
