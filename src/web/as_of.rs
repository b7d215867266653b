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
use crate::web::ui::{self, Layout, Texts};
use crate::web::views::{AsOfForm, AsOfQuery, PageQuery, texts_for_lang};

/// Rows per page.
const PAGE_SIZE: u64 = 100;

/// A document as it stood on the date.
pub struct AsOfRow {
    pub kind: &'static str,
    pub number: String,
    pub title: String,
    /// The language of the title.
    pub language: &'static str,
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
    en: bool,
    /// "30. juni 2024", when a date was read.
    date: Option<String>,
    total: u64,
    rows: Vec<AsOfRow>,
    as_of_form: AsOfForm,
    page: u64,
    prev: Option<String>,
    next: Option<String>,
}

/// The date form in the page's language; English keeps `lang=en` in its answer.
fn date_form(t: &'static Texts, value: String, error: bool) -> AsOfForm {
    let mut form = AsOfForm::new(paths::AS_OF.into(), t, value, error);
    form.lang = (t.lang == "en").then(|| "en".to_string());
    form
}

/// The page with the date form and nothing listed: no date yet, or one that cannot be read.
fn form_page(t: &'static Texts, value: &str, error: bool) -> Response {
    let status = if error {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    ui::render(
        status,
        &AsOfPage {
            layout: Layout::for_language(
                t.lang,
                format!(
                    "{} – {}",
                    if t.lang == "en" {
                        "The registry on a date"
                    } else {
                        "Registeret på en dato"
                    },
                    t.site_name
                ),
                (!error).then(|| format!("{}{}", paths::AS_OF, PageQuery::lang_query(t))),
            ),
            en: t.lang == "en",
            date: None,
            total: 0,
            rows: Vec::new(),
            as_of_form: date_form(t, value.into(), error),
            page: 1,
            prev: None,
            next: None,
        },
    )
}

/// `GET /per?dato=2024-06-30`: the date form's answer leads (303) to `/per/2024-06-30`;
/// without a date, the form.
pub async fn as_of_form(Query(q): Query<AsOfQuery>) -> WebResult<Response> {
    let t = texts_for_lang(q.lang.as_deref())?;
    let typed = q.dato.as_deref().map(str::trim).unwrap_or_default();
    if typed.is_empty() {
        return Ok(form_page(t, "", false));
    }
    Ok(match parse_as_of("dato", typed) {
        Ok(d) => (
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("{}{}", paths::as_of(d), PageQuery::lang_query(t)),
            )],
        )
            .into_response(),
        Err(_) => form_page(t, typed, true),
    })
}

/// `GET /per/{date}`: the documents in force on that date (published by then), with the
/// version then in force and their status that day, 100 a page.
pub async fn registry_as_of(
    State(state): State<AppState>,
    Path(date): Path<String>,
    Query(q): Query<AsOfQuery>,
) -> WebResult<Response> {
    let t = texts_for_lang(q.lang.as_deref())?;
    let Ok(on) = parse_as_of("dato", &date) else {
        return Ok(form_page(t, &date, true));
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
            kind: t.kind_name(s.kind),
            number: s.number.clone().unwrap_or_default(),
            title: s.title.clone(),
            language: s.language.as_str(),
            url: paths::document_as_of(&s.url, on),
            version: s.current_version.as_ref().map(|c| c.label.clone()).unwrap_or_default(),
            published_on: ui::format_opt_date(s.current_version.as_ref().and_then(|c| c.published_on), t.lang),
            withdrawn: s.status == DocumentStatus::Withdrawn,
        })
        .collect();
    let here = paths::as_of(on);
    let lq = PageQuery::lang_prefix(t);
    let link = |p: u64| match (p > 1, lq.is_empty()) {
        (true, _) => format!("{here}?{lq}side={p}"),
        (false, true) => here.clone(),
        (false, false) => format!("{here}?lang=en"),
    };
    Ok(ui::render(
        StatusCode::OK,
        &AsOfPage {
            layout: Layout::for_language(
                t.lang,
                format!(
                    "{} {} – {}",
                    if t.lang == "en" {
                        "The registry on"
                    } else {
                        "Registeret per"
                    },
                    t.date(&on),
                    t.site_name
                ),
                Some(link(page)),
            ),
            en: t.lang == "en",
            date: Some(t.date(&on)),
            total,
            rows,
            as_of_form: date_form(t, on.to_string(), false),
            page,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page * PAGE_SIZE < total).then(|| link(page + 1)),
        },
    ))
}
