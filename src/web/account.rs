//! Account care in the workspace: every signed-in user changes their own password; admins
//! disable and enable users. Changing a password or disabling a user ends that user's other
//! sessions at once (`services::users`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::domain::Caller;
use crate::domain::account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
use crate::domain::throttle::LoginGate;
use crate::domain::{Role, UserStatus};
use crate::error::AppError;
use crate::logging::logged;
use crate::services::login_throttle::{self, Attempt};
use crate::services::users::{self, PasswordChangeError, UserRef};
use crate::state::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::extract::{CsrfForm, Path, PeerAddr, Staff};
use crate::web::forms::{Errors, Field, FormPage, Input};
use crate::web::paths;
use crate::web::ui::{self, Layout};
use crate::web::workspace::{layout, redirect_with_flash, role_name, take_flash};

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub gammelt_passord: String,
    #[serde(default)]
    pub nytt_passord: String,
    #[serde(default)]
    pub gjenta_passord: String,
}

fn password_page(layout: Layout, csrf: &str, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(layout, "Bytt passord", paths::PASSWORD, csrf);
    page.intro = vec!["Når du bytter passord, blir du logget ut alle andre steder du er logget inn.".into()];
    page.fields = vec![
        Field::new("gammelt_passord", "Nåværende passord", Input::Password, "").autocomplete("current-password"),
        Field::new("nytt_passord", "Nytt passord", Input::Password, "")
            .autocomplete("new-password")
            .hint(format!("Minst {PASSWORD_MIN_CHARS} tegn.")),
        Field::new("gjenta_passord", "Gjenta nytt passord", Input::Password, "").autocomplete("new-password"),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Bytt passord".into();
    page.back = Some((paths::WORKSPACE.into(), "Tilbake til oversikten".into()));
    page
}

/// `GET /redaksjon/passord`.
pub async fn password_form(staff: Staff) -> WebResult<Response> {
    let csrf = staff.session.data.csrf.clone();
    Ok(password_page(layout(&staff, "Bytt passord"), &csrf, &Errors::default()).respond())
}

/// `POST /redaksjon/passord`: the current password must be right (and guesses at it are
/// throttled like sign-ins); the new one is given twice.
pub async fn change_password(
    State(state): State<AppState>,
    PeerAddr(peer): PeerAddr,
    form: CsrfForm<PasswordForm>,
) -> WebResult<Response> {
    let CsrfForm { mut session, form: f } = form;
    let user = signed_in(session.user.as_ref())?;
    let staff = Staff {
        session: session.clone(),
        user: user.clone(),
    };
    let csrf = session.data.csrf.clone();
    let mut errors = Errors::default();
    if f.gammelt_passord.is_empty() {
        errors.add("gammelt_passord", "Skriv det nåværende passordet ditt");
    }
    let n = f.nytt_passord.chars().count();
    if n < PASSWORD_MIN_CHARS {
        errors.add(
            "nytt_passord",
            format!("Det nye passordet må ha minst {PASSWORD_MIN_CHARS} tegn"),
        );
    } else if n > PASSWORD_MAX_CHARS {
        errors.add(
            "nytt_passord",
            format!("Det nye passordet kan ha høyst {PASSWORD_MAX_CHARS} tegn"),
        );
    } else if f.nytt_passord == f.gammelt_passord {
        errors.add("nytt_passord", "Det nye passordet må være et annet enn det nåværende");
    }
    if f.gjenta_passord != f.nytt_passord {
        errors.add("gjenta_passord", "Passordene er ikke like");
    }
    if !errors.is_empty() {
        return Ok(password_page(layout(&staff, "Bytt passord"), &csrf, &errors).respond());
    }
    let attempt = Attempt::new(peer, &user.name);
    if let LoginGate::Wait(d) = login_throttle::gate(&state.db, &attempt).await? {
        let mut page = password_page(layout(&staff, "Bytt passord"), &csrf, &errors);
        page.general_error = Some(format!(
            "For mange feil passord herfra. Vent {} før du prøver igjen.",
            crate::web::auth::wait_text(d)
        ));
        return Ok(ui::render(StatusCode::TOO_MANY_REQUESTS, &page));
    }
    match users::change_own_password(
        &state.db,
        &user,
        session.key_hash(),
        &f.gammelt_passord,
        &f.nytt_passord,
    )
    .await
    {
        Ok(ended) => {
            login_throttle::succeeded(&state.db, &attempt).await?;
            tracing::info!(user = ?logged(&user.name), ended, "changed own password");
            let message = format!("Passordet er byttet. {}", ended_text(ended));
            redirect_with_flash(&state, &mut session, message, paths::WORKSPACE).await
        }
        Err(PasswordChangeError::WrongPassword) => {
            login_throttle::failed(&state.db, &attempt).await?;
            tracing::info!(user = ?logged(&user.name), peer = ?peer, "wrong current password");
            errors.add("gammelt_passord", "Det nåværende passordet er feil");
            Ok(password_page(layout(&staff, "Bytt passord"), &csrf, &errors).respond())
        }
        Err(PasswordChangeError::App(e)) => Err(e.into()),
    }
}

fn ended_text(n: u64) -> String {
    match n {
        0 => "Du var ikke logget inn noe annet sted.".into(),
        1 => "Du er logget ut av 1 annen økt.".into(),
        n => format!("Du er logget ut av {n} andre økter."),
    }
}

fn signed_in(user: Option<&Caller>) -> WebResult<Caller> {
    user.cloned().ok_or_else(|| WebError::LoginRequired {
        next: paths::WORKSPACE.into(),
    })
}

fn admin(user: Option<&Caller>) -> WebResult<Caller> {
    let user = signed_in(user)?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden("only admins manage users".into()).into());
    }
    Ok(user)
}

/// A user on the admin page.
pub struct UserLine {
    pub id: i32,
    pub name: String,
    pub role: &'static str,
    pub active: bool,
    pub status: &'static str,
    pub has_password: bool,
    pub sessions: u64,
    pub is_me: bool,
}

#[derive(Template)]
#[template(path = "workspace/users.html")]
struct UsersPage {
    layout: Layout,
    flash: Option<String>,
    csrf: String,
    users: Vec<UserLine>,
}

/// `GET /redaksjon/brukere`: every user, with a button to disable or enable (admins only).
pub async fn users_page(State(state): State<AppState>, mut staff: Staff) -> WebResult<Response> {
    let me = admin(Some(&staff.user))?;
    let flash = take_flash(&state, &mut staff.session).await?;
    let users = users::list_users(&state.db)
        .await?
        .into_iter()
        .map(|u| UserLine {
            id: u.id,
            role: role_name(u.role),
            active: u.status == UserStatus::Active,
            status: match u.status {
                UserStatus::Active => "Aktiv",
                UserStatus::Disabled => "Deaktivert",
            },
            has_password: u.has_password,
            sessions: u.sessions,
            is_me: u.id == me.user_id,
            name: u.name,
        })
        .collect();
    let page = UsersPage {
        layout: layout(&staff, "Brukere"),
        flash,
        csrf: staff.session.data.csrf.clone(),
        users,
    };
    Ok(ui::render(StatusCode::OK, &page))
}

#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// `POST /redaksjon/brukere/{id}/deaktiver`: no sign-in, sessions ended, tokens revoked.
pub async fn disable(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<NoFields>,
) -> WebResult<Response> {
    let CsrfForm { mut session, .. } = form;
    let me = admin(session.user.as_ref())?;
    let done = users::disable_user(&state.db, &me.name, Some(me.user_id), UserRef::Id(id)).await?;
    tracing::info!(admin = ?logged(&me.name), user = ?logged(&done.name), "disabled a user");
    let message = format!(
        "{} er deaktivert: {} økter er avsluttet og {} API-nøkler trukket tilbake.",
        done.name, done.sessions, done.tokens
    );
    redirect_with_flash(&state, &mut session, message, paths::USERS).await
}

/// `POST /redaksjon/brukere/{id}/aktiver`.
pub async fn enable(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<NoFields>,
) -> WebResult<Response> {
    let CsrfForm { mut session, .. } = form;
    let me = admin(session.user.as_ref())?;
    let name = users::enable_user(&state.db, &me.name, UserRef::Id(id)).await?;
    tracing::info!(admin = ?logged(&me.name), user = ?logged(&name), "enabled a user");
    let message = format!("{name} er aktivert igjen. Brukeren trenger en ny API-nøkkel for å bruke API-et.");
    redirect_with_flash(&state, &mut session, message, paths::USERS).await
}
