//! The home page: a search box, recently published changes and recently withdrawn material.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::services::feeds;
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::Query;
use crate::web::feeds::{ChangeEntry, recent_changes};
use crate::web::ui::{self, Layout};
use crate::web::views::{PageQuery, WithdrawnRow};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    en: bool,
    changes: Vec<ChangeEntry>,
    withdrawn: Vec<WithdrawnRow>,
}

/// `GET /`, in English with `?lang=en`.
pub async fn home(State(state): State<AppState>, Query(q): Query<PageQuery>) -> WebResult<Response> {
    let t = q.texts()?;
    let en = t.lang == "en";
    let changes = recent_changes(&state, 8, t).await?;
    let wds = feeds::withdrawals(&state.db, None, None, 5, 0).await?;
    let mut layout = Layout::for_language(t.lang, t.site_name, Some(if en { "/?lang=en" } else { "/" }.into()));
    layout.feed = Some("/endringer.atom".into());
    Ok(ui::render(
        StatusCode::OK,
        &HomePage {
            layout,
            en,
            changes,
            withdrawn: wds.iter().map(|w| WithdrawnRow::new(w, t)).collect(),
        },
    ))
}
