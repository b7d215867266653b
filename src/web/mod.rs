//! The HTML side: public pages (home, search, documents, versions, compare, lists, change log
//! and Atom feeds) and the editors' workspace under `/redaksjon`. Pages are rendered on the
//! server with askama and need no JavaScript; errors are HTML pages with the right status.

pub mod account;
pub mod alignment;
pub mod approvals;
pub mod as_of;
pub mod assets;
pub mod auth;
pub mod compare;
pub mod corrections;
pub mod documents;
pub mod editing;
pub mod error;
pub mod extract;
pub mod feeds;
pub mod forms;
pub mod home;
pub mod lists;
pub mod meetings;
pub mod paths;
pub mod plans;
pub mod records;
pub mod reviews;
pub mod search;
pub mod sitemap;
pub mod timeline;
pub mod ui;
pub mod views;
pub mod workspace;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};

use crate::web::extract::{Path, Query};

use crate::state::AppState;

/// Routes of the HTML pages.
pub fn router() -> Router<AppState> {
    let workspace = Router::new()
        .route(paths::WORKSPACE, get(workspace::dashboard))
        .route(paths::SIGN_IN, get(auth::login_form).post(auth::login))
        .route(paths::SIGN_OUT, post(auth::logout))
        .route(
            paths::PASSWORD,
            get(account::password_form).post(account::change_password),
        )
        .route(paths::USERS, get(account::users_page))
        .route("/redaksjon/brukere/{id}/deaktiver", post(account::disable))
        .route("/redaksjon/brukere/{id}/aktiver", post(account::enable))
        .route(paths::DOCUMENTS, get(workspace::documents_list))
        .route(
            paths::NEW_DOCUMENT,
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
            "/redaksjon/dokumenter/{id}/utkast/{lang}/godkjenning",
            get(approvals::approval_page).post(approvals::approval_action),
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
        .route(paths::DECISIONS, get(records::decisions_list))
        .route(paths::AUDIT, get(records::audit_log))
        .route(
            paths::NEW_DECISION,
            get(records::new_decision_form).post(records::record_decision),
        )
        .route(paths::NEEDS, get(records::needs_list))
        .route(
            paths::APPROVAL_RULES,
            get(approvals::rules_form).post(approvals::set_rules),
        )
        .route(
            "/redaksjon/dokumenter/{id}/relasjoner/fjern",
            post(editing::remove_relation),
        )
        .route(
            "/redaksjon/vedtak/{id}/rediger",
            get(corrections::decision_form).post(corrections::change_decision),
        )
        .route(
            "/redaksjon/revisjonsbehov/{id}/rediger",
            get(corrections::need_form).post(corrections::change_need),
        )
        .route(
            paths::NEW_SOURCE,
            get(corrections::source_form).post(corrections::record_source),
        )
        .route(paths::MEETINGS, get(meetings::workspace_list))
        .route(
            paths::NEW_MEETING,
            get(meetings::new_meeting_form).post(meetings::create_meeting),
        )
        .route(paths::PROPOSE, get(meetings::propose))
        .route("/redaksjon/moter/{id}", get(meetings::workspace_meeting))
        .route("/redaksjon/moter/{id}/status", post(meetings::change_state))
        .route(
            "/redaksjon/moter/{id}/saker/ny",
            get(meetings::new_item_form).post(meetings::add_item),
        )
        .route(
            "/redaksjon/moter/{id}/saker/{item}/utfall",
            get(meetings::outcome_form).post(meetings::record_outcome),
        )
        .route("/redaksjon/moter/{id}/innkalling", get(meetings::call_page))
        .route("/redaksjon/moter/{id}/referat", get(meetings::minutes_page))
        .route(paths::REVIEWS, get(reviews::due_list))
        .route(paths::PLAN, get(plans::periods))
        .route("/redaksjon/plan/{period}", get(plans::board))
        .route("/redaksjon/plan/{period}/csv", get(plans::board_csv))
        .route("/redaksjon/plan/{period}/markdown", get(plans::board_md))
        .route(
            "/redaksjon/plan/{period}/nytt-punkt",
            get(plans::new_item_form).post(plans::add_item),
        )
        .route(
            "/redaksjon/plan/{period}/status",
            get(plans::period_state_form).post(plans::change_period_state),
        )
        .route(
            "/redaksjon/plan/punkt/{id}/flytt",
            get(plans::move_form).post(plans::move_item),
        )
        .route(
            "/redaksjon/plan/punkt/{id}/status",
            get(plans::item_state_form).post(plans::change_item_state),
        )
        .route(paths::WORKSPACE_ALIGNMENT, get(alignment::workspace_page))
        .route(
            "/redaksjon/dokumenter/{id}/rediger",
            get(editing::change_form).post(editing::change_document),
        )
        .route(
            "/redaksjon/dokumenter/{id}/vurdering",
            get(reviews::review_form).post(reviews::record_review),
        )
        .route(
            "/redaksjon/revisjonsbehov/{id}",
            get(records::need_page_get).post(records::move_need),
        )
        .layer(axum::middleware::map_response(workspace::no_store));
    Router::new()
        .route("/", get(home::home))
        .route("/sok", get(search::search_page))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/robots.txt", get(sitemap::robots))
        .route("/faktaark", get(lists::fact_sheets))
        .route("/normen", get(documents::norm_home))
        .route("/veiledere", get(lists::guides))
        .route("/utgatt", get(lists::withdrawn))
        .route(paths::AS_OF, get(as_of::as_of_form))
        .route("/per/{date}", get(as_of::registry_as_of))
        .route(paths::ALIGNMENT, get(alignment::public_page))
        .route(paths::PUBLIC_MEETINGS, get(meetings::public_list))
        .route("/moter/{id}", get(meetings::public_meeting))
        .route("/sak/{case}", get(meetings::case_page))
        .route("/endringer", get(feeds::change_log))
        .route("/endringer.atom", get(feeds::global_feed))
        .route("/static/site.css", get(assets::site_css))
        .route("/static/print.css", get(assets::print_css))
        .merge(document_routes())
        .merge(workspace)
}

/// The document routes for every kind.
fn document_routes() -> Router<AppState> {
    let mut r = Router::new();
    for (prefix, kind) in paths::KIND_PATHS {
        r = r
            .route(
                &format!("/{prefix}/{{key}}"),
                get(
                    move |State(state): State<AppState>,
                          uri: Uri,
                          Path(key): Path<String>,
                          Query(q): Query<documents::LangQuery>| async move {
                        let res =
                            documents::show_document(&state, kind, &key, q.lang.as_deref(), documents::Shown::Current)
                                .await;
                        documents::or_moved(&state, &uri, res).await
                    },
                ),
            )
            .route(
                &format!("/{prefix}/{{key}}/versjon/{{label}}"),
                get(
                    move |State(state): State<AppState>,
                          uri: Uri,
                          Path((key, label)): Path<(String, String)>,
                          Query(q): Query<documents::LangQuery>| async move {
                        let res = documents::show_document(
                            &state,
                            kind,
                            &key,
                            q.lang.as_deref(),
                            documents::Shown::Version(&label),
                        )
                        .await;
                        documents::or_moved(&state, &uri, res).await
                    },
                ),
            )
            .route(
                &format!("/{prefix}/{{key}}{}", paths::AS_OF),
                get(
                    move |State(state): State<AppState>,
                          uri: Uri,
                          Path(key): Path<String>,
                          Query(q): Query<views::AsOfQuery>| async move {
                        let res = documents::as_of_form(&state, kind, &key, &uri, q).await;
                        documents::or_moved(&state, &uri, res).await
                    },
                ),
            )
            .route(
                &format!("/{prefix}/{{key}}{}/{{date}}", paths::AS_OF),
                get(
                    move |State(state): State<AppState>,
                          uri: Uri,
                          Path((key, date)): Path<(String, String)>,
                          Query(q): Query<documents::LangQuery>| async move {
                        let shown = match crate::domain::as_of::parse_as_of("dato", &date) {
                            Ok(d) => documents::Shown::AsOf(d),
                            Err(_) => documents::Shown::BadDate(&date),
                        };
                        let res = documents::show_document(&state, kind, &key, q.lang.as_deref(), shown).await;
                        documents::or_moved(&state, &uri, res).await
                    },
                ),
            )
            .route(
                &format!("/{prefix}/{{key}}/sammenlign-med-etterfolger"),
                get(
                    move |State(state): State<AppState>,
                          uri: Uri,
                          Path(key): Path<String>,
                          Query(q): Query<compare::SuccessorQuery>| async move {
                        let res = compare::show_successor(&state, kind, &key, q).await;
                        documents::or_moved(&state, &uri, res).await
                    },
                ),
            )
            .route(
                &format!("/{prefix}/{{key}}/sammenlign"),
                get(
                    move |State(state): State<AppState>,
                          uri: Uri,
                          Path(key): Path<String>,
                          Query(q): Query<compare::CompareQuery>| async move {
                        let res = compare::show_public(&state, kind, &key, q).await;
                        documents::or_moved(&state, &uri, res).await
                    },
                ),
            )
            .route(
                &format!("/{prefix}/{{key}}/endringer.atom"),
                get(
                    move |State(state): State<AppState>, uri: Uri, Path(key): Path<String>| async move {
                        let res = feeds::document_feed(&state, kind, &key).await;
                        documents::or_moved(&state, &uri, res).await
                    },
                ),
            );
    }
    r
}

/// The HTML 404 page for paths no route knows.
pub fn not_found(uri: &Uri) -> Response {
    tracing::debug!(path = uri.path(), "no page");
    error::error_page(StatusCode::NOT_FOUND, None)
}
