//! The JSON API under `/api/v1`, with its OpenAPI document at `/api/openapi.json`.

pub mod approvals;
pub mod compare;
pub mod documents;
pub mod editing;
pub mod extract;
pub mod meetings;
pub mod plans;
pub mod records;
pub mod reviews;
pub mod search;
pub mod tokens;

use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::extract::ApiJson;
use crate::state::AppState;

/// The OpenAPI document's frame: info and the `token` security scheme. The paths and their
/// schemas come from [`endpoints`], the same list the router is built from.
#[derive(OpenApi)]
#[openapi(
    info(title = "normen-registry", description = "Normen's guidance material: fact sheets and guides, their versions, translations, withdrawals and revision needs."),
    modifiers(&TokenAuth)
)]
pub struct ApiDoc;

struct TokenAuth;

impl utoipa::Modify for TokenAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("token", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Every endpoint, listed once: each `routes!` names the handlers of one path (they must share
/// it, since `routes!` puts all its methods on each of its paths), and its `#[utoipa::path]`
/// gives both the route and the OpenAPI operation.
fn endpoints() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(documents::list_documents, editing::create_document))
        .routes(routes!(documents::show_document, editing::change_document))
        .routes(routes!(documents::list_versions))
        .routes(routes!(documents::show_version))
        .routes(routes!(editing::add_draft))
        .routes(routes!(editing::update_draft, editing::discard_draft))
        .routes(routes!(editing::publish))
        .routes(routes!(approvals::show_approval))
        .routes(routes!(approvals::submit))
        .routes(routes!(approvals::approve))
        .routes(routes!(approvals::send_back))
        .routes(routes!(approvals::add_comment))
        .routes(routes!(approvals::waiting))
        .routes(routes!(approvals::show_rules, approvals::set_rules))
        .routes(routes!(editing::add_translation))
        .routes(routes!(editing::withdraw))
        .routes(routes!(editing::reinstate))
        .routes(routes!(editing::add_relation))
        .routes(routes!(editing::remove_relation))
        .routes(routes!(records::list_document_needs, records::register_need))
        .routes(routes!(records::list_needs))
        .routes(routes!(records::move_need))
        .routes(routes!(records::show_need, records::change_need))
        .routes(routes!(records::change_decision))
        .routes(routes!(records::list_sources, records::record_source))
        .routes(routes!(records::show_source))
        .routes(routes!(records::list_decisions, records::record_decision))
        .routes(routes!(records::list_audit))
        .routes(routes!(meetings::list_meetings, meetings::create_meeting))
        .routes(routes!(meetings::show_meeting, meetings::change_meeting))
        .routes(routes!(meetings::add_item))
        .routes(routes!(meetings::record_outcome))
        .routes(routes!(meetings::add_links))
        .routes(routes!(meetings::agenda))
        .routes(routes!(meetings::minutes))
        .routes(routes!(meetings::show_case))
        .routes(routes!(meetings::propose_need))
        .routes(routes!(meetings::propose_withdrawal))
        .routes(routes!(meetings::propose_plan_item))
        .routes(routes!(plans::list_periods))
        .routes(routes!(plans::show_board))
        .routes(routes!(plans::add_item))
        .routes(routes!(plans::change_period_state))
        .routes(routes!(plans::move_item))
        .routes(routes!(plans::change_item_state))
        .routes(routes!(reviews::list_reviews, reviews::record_review))
        .routes(routes!(reviews::due_reviews))
        .routes(routes!(reviews::normen_alignment))
        .routes(routes!(search::search_documents))
        .routes(routes!(tokens::list_tokens, tokens::issue_token))
        .routes(routes!(tokens::revoke_token))
        .routes(routes!(compare::diff_versions))
        .routes(routes!(compare::diff_translation_source))
        .routes(routes!(compare::diff_successor))
}

/// The whole OpenAPI document, as `/api/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    endpoints().into_openapi()
}

/// Routes of the JSON API, and `/api/openapi.json` describing them (itself undocumented).
pub fn router() -> Router<AppState> {
    let (router, openapi) = endpoints().split_for_parts();
    router.route(
        "/api/openapi.json",
        get(move || std::future::ready(ApiJson(openapi.clone()))),
    )
}
