//! The HTML side: public pages (home, search, documents, versions, compare, lists, change log
//! and Atom feeds) and the editors' workspace under `/redaksjon`. Pages are rendered on the
//! server with askama and need no JavaScript; errors are HTML pages with the right status.

pub mod account;
pub mod assets;
pub mod auth;
pub mod compare;
pub mod documents;
pub mod editing;
pub mod error;
pub mod extract;
pub mod feeds;
pub mod forms;
pub mod home;
pub mod lists;
pub mod records;
pub mod search;
pub mod ui;
pub mod workspace;

use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};

use crate::state::AppState;

/// Routes of the HTML pages.
pub fn router() -> Router<AppState> {
    let workspace = Router::new()
        .route("/redaksjon", get(workspace::dashboard))
        .route("/redaksjon/logg-inn", get(auth::login_form).post(auth::login))
        .route("/redaksjon/logg-ut", post(auth::logout))
        .route(
            "/redaksjon/passord",
            get(account::password_form).post(account::change_password),
        )
        .route("/redaksjon/brukere", get(account::users_page))
        .route("/redaksjon/brukere/{id}/deaktiver", post(account::disable))
        .route("/redaksjon/brukere/{id}/aktiver", post(account::enable))
        .route("/redaksjon/dokumenter", get(workspace::documents_list))
        .route(
            "/redaksjon/dokumenter/ny",
            get(editing::new_document_form).post(editing::create_document),
        )
        .route("/redaksjon/dokumenter/{id}", get(workspace::document_page))
        .route(
            "/redaksjon/dokumenter/{id}/utkast",
            get(editing::new_draft_form).post(editing::add_draft),
        )
        .route(
            "/redaksjon/dokumenter/{id}/utkast/{lang}",
            get(editing::edit_draft_form).post(editing::update_draft),
        )
        .route(
            "/redaksjon/dokumenter/{id}/utkast/{lang}/forkast",
            post(editing::discard_draft),
        )
        .route(
            "/redaksjon/dokumenter/{id}/publiser",
            get(editing::publish_form).post(editing::publish),
        )
        .route(
            "/redaksjon/dokumenter/{id}/trekk-tilbake",
            get(editing::withdraw_form).post(editing::withdraw),
        )
        .route(
            "/redaksjon/dokumenter/{id}/gjeninnsett",
            get(editing::reinstate_form).post(editing::reinstate),
        )
        .route(
            "/redaksjon/dokumenter/{id}/oversettelse",
            get(editing::translation_form).post(editing::add_translation),
        )
        .route(
            "/redaksjon/dokumenter/{id}/revisjonsbehov/ny",
            get(records::new_need_form).post(records::register_need),
        )
        .route("/redaksjon/dokumenter/{id}/sammenlign", get(compare::show_workspace))
        .route("/redaksjon/vedtak", get(records::decisions_list))
        .route("/redaksjon/logg", get(records::audit_log))
        .route(
            "/redaksjon/vedtak/ny",
            get(records::new_decision_form).post(records::record_decision),
        )
        .route("/redaksjon/revisjonsbehov", get(records::needs_list))
        .route(
            "/redaksjon/revisjonsbehov/{id}",
            get(records::need_page_get).post(records::move_need),
        )
        .layer(axum::middleware::map_response(workspace::no_store));
    Router::new()
        .route("/", get(home::home))
        .route("/sok", get(search::search_page))
        .route("/faktaark", get(lists::fact_sheets))
        .route("/veiledere", get(lists::guides))
        .route("/utgatt", get(lists::withdrawn))
        .route("/endringer", get(feeds::change_log))
        .route("/endringer.atom", get(feeds::global_feed))
        .route("/static/site.css", get(assets::site_css))
        .route("/static/print.css", get(assets::print_css))
        .merge(documents::routes())
        .merge(workspace)
}

/// The HTML 404 page for paths no route knows.
pub async fn not_found(uri: Uri) -> Response {
    tracing::debug!(path = uri.path(), "no page");
    error::error_page(StatusCode::NOT_FOUND, None)
}
