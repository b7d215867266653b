//! The JSON API under `/api/v1`, with its OpenAPI document at `/api/openapi.json`.

pub mod compare;
pub mod documents;
pub mod editing;
pub mod extract;
pub mod records;
pub mod search;
pub mod tokens;

use axum::Json;
use axum::Router;
use axum::routing::{get, post, put};
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};

use crate::state::AppState;

/// The OpenAPI description of every endpoint.
#[derive(OpenApi)]
#[openapi(
    info(title = "normen-registry", description = "Normen's guidance material: fact sheets and guides, their versions, translations, withdrawals and revision needs."),
    paths(
        documents::list_documents, documents::show_document, documents::list_versions, documents::show_version,
        editing::create_document, editing::add_draft, editing::update_draft, editing::discard_draft, editing::publish,
        editing::add_translation, editing::withdraw, editing::reinstate, editing::add_relation,
        records::list_decisions, records::record_decision, records::list_document_needs, records::register_need,
        records::list_needs, records::move_need, records::list_audit, search::search_documents,
        tokens::list_tokens, tokens::issue_token, tokens::revoke_token,
        compare::diff_versions, compare::diff_translation_source, compare::diff_successor,
    ),
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

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Routes of the JSON API.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route(
            "/api/v1/documents",
            get(documents::list_documents).post(editing::create_document),
        )
        .route("/api/v1/documents/{id}", get(documents::show_document))
        .route("/api/v1/documents/{id}/versions", get(documents::list_versions))
        .route("/api/v1/documents/{id}/versions/{label}", get(documents::show_version))
        .route("/api/v1/documents/{id}/drafts", post(editing::add_draft))
        .route(
            "/api/v1/documents/{id}/drafts/{lang}",
            put(editing::update_draft).delete(editing::discard_draft),
        )
        .route("/api/v1/documents/{id}/publish", post(editing::publish))
        .route("/api/v1/documents/{id}/translations", post(editing::add_translation))
        .route("/api/v1/documents/{id}/withdraw", post(editing::withdraw))
        .route("/api/v1/documents/{id}/reinstate", post(editing::reinstate))
        .route("/api/v1/documents/{id}/relations", post(editing::add_relation))
        .route(
            "/api/v1/documents/{id}/revision-needs",
            get(records::list_document_needs).post(records::register_need),
        )
        .route("/api/v1/revision-needs", get(records::list_needs))
        .route("/api/v1/revision-needs/{id}/state", post(records::move_need))
        .route(
            "/api/v1/decisions",
            get(records::list_decisions).post(records::record_decision),
        )
        .route("/api/v1/audit", get(records::list_audit))
        .route("/api/v1/search", get(search::search_documents))
        .route("/api/v1/tokens", get(tokens::list_tokens).post(tokens::issue_token))
        .route("/api/v1/tokens/{id}", axum::routing::delete(tokens::revoke_token))
        .route("/api/v1/documents/{id}/diff", get(compare::diff_versions))
        .route(
            "/api/v1/documents/{id}/translations/{lang}/source-diff",
            get(compare::diff_translation_source),
        )
        .route("/api/v1/documents/{id}/successor-diff", get(compare::diff_successor))
}
