//! The registry as of a date (`/per/2024-06-30`): what was in force that day, with a notice
//! that it is a historical view, and the date form (`/per?dato=` leads to the dated address).

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::DocumentStatus;
use crate::domain::as_of::parse_as_of;
use crate::services::as_of;
use crate::services::documents::{DocumentFilter, ListOrder};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::{Path, Query};
use crate::web::paths;
use crate::web::ui::{self, Layout, NB};
use crate::web::views::{AsOfForm, AsOfQuery};

/// Rows per page.
const PAGE_SIZE: u64 = 100;

/// A document as it stood on the date.
pub struct AsOfRow {
    pub kind: &'static str,
    pub number: String,
    pub title: String,
    /// Its own historical page.
    pub url: String,
    pub version: String,
    pub published_on: String,
    pub withdrawn: bool,
}

#[derive(Template)]
#[template(path = "as_of.html")]
struct AsOfPage {
    layout: Layout,
    /// "30. juni 2024", when a date was read.
    date: Option<String>,
    total: u64,
    rows: Vec<AsOfRow>,
    as_of_form: AsOfForm,
    page: u64,
    prev: Option<String>,
    next: Option<String>,
}

/// The page with the date form and nothing listed: no date yet, or one that cannot be read.
fn form_page(value: &str, error: bool) -> Response {
    let status = if error {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    ui::render(
        status,
        &AsOfPage {
            layout: Layout::public(
                format!("Registeret på en dato – {}", NB.site_name),
                (!error).then(|| paths::AS_OF.to_string()),
            ),
            date: None,
            total: 0,
            rows: Vec::new(),
            as_of_form: AsOfForm::new(paths::AS_OF.into(), &NB, value.into(), error),
            page: 1,
            prev: None,
            next: None,
        },
    )
}

/// `GET /per?dato=2024-06-30`: the date form's answer leads (303) to `/per/2024-06-30`;
/// without a date, the form.
pub async fn as_of_form(Query(q): Query<AsOfQuery>) -> Response {
    let typed = q.dato.as_deref().map(str::trim).unwrap_or_default();
    if typed.is_empty() {
        return form_page("", false);
    }
    match parse_as_of("dato", typed) {
        Ok(d) => (StatusCode::SEE_OTHER, [(header::LOCATION, paths::as_of(d))]).into_response(),
        Err(_) => form_page(typed, true),
    }
}

/// `GET /per/{date}`: the documents in force on that date (published by then), with the
/// version then in force and their status that day, 100 a page.
pub async fn registry_as_of(
    State(state): State<AppState>,
    Path(date): Path<String>,
    Query(q): Query<AsOfQuery>,
) -> WebResult<Response> {
    let Ok(on) = parse_as_of("dato", &date) else {
        return Ok(form_page(&date, true));
    };
    let page = q.side.unwrap_or(1).clamp(1, 10_000);
    let filter = DocumentFilter {
        order: ListOrder::Title,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
        ..Default::default()
    };
    let (total, items) = as_of::list_as_of(&state.db, &filter, on).await?;
    let rows = items
        .iter()
        .map(|s| AsOfRow {
            kind: NB.kind_name(s.kind),
            number: s.number.clone().unwrap_or_default(),
            title: s.title.clone(),
            url: paths::document_as_of(&s.url, on),
            version: s.current_version.as_ref().map(|c| c.label.clone()).unwrap_or_default(),
            published_on: ui::format_opt_date(s.current_version.as_ref().and_then(|c| c.published_on), "nb"),
            withdrawn: s.status == DocumentStatus::Withdrawn,
        })
        .collect();
    let here = paths::as_of(on);
    let link = |p: u64| {
        if p > 1 {
            format!("{here}?side={p}")
        } else {
            here.clone()
        }
    };
    Ok(ui::render(
        StatusCode::OK,
        &AsOfPage {
            layout: Layout::public(
                format!("Registeret per {} – {}", NB.date(&on), NB.site_name),
                Some(link(page)),
            ),
            date: Some(NB.date(&on)),
            total,
            rows,
            as_of_form: AsOfForm::new(paths::AS_OF.into(), &NB, on.to_string(), false),
            page,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page * PAGE_SIZE < total).then(|| link(page + 1)),
        },
    ))
}
