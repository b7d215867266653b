//! The home page: a search box, recently published changes and recently withdrawn material.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::services::feeds;
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::feeds::{ChangeEntry, recent_changes};
use crate::web::ui::{self, Layout, NB};
use crate::web::views::WithdrawnRow;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    changes: Vec<ChangeEntry>,
    withdrawn: Vec<WithdrawnRow>,
}

/// `GET /`.
pub async fn home(State(state): State<AppState>) -> WebResult<Response> {
    let changes = recent_changes(&state, 8).await?;
    let wds = feeds::withdrawals(&state.db, None, None, 5, 0).await?;
    let mut layout = Layout::public(NB.site_name, Some("/".into()));
    layout.feed = Some("/endringer.atom".into());
    Ok(ui::render(
        StatusCode::OK,
        &HomePage {
            layout,
            changes,
            withdrawn: wds.iter().map(|w| WithdrawnRow::new(w, &NB)).collect(),
        },
    ))
}
