//! "Oppdateringsstatus": which fact sheets and guides follow the current Normen version, with
//! counts per kind; the same report for the public and, linking to the working pages, for staff.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::domain::{Alignment, DocumentKind};
use crate::services::alignment::{self, AlignmentReport};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::Staff;
use crate::web::paths;
use crate::web::ui::{self, Layout, NB};
use crate::web::workspace::layout;

/// A row of the report.
pub struct AlignmentRow {
    pub name: String,
    pub title: String,
    pub url: String,
    pub normen_version: String,
    pub current: bool,
    pub status: &'static str,
}

/// The counts of one kind, in words.
pub struct KindLine {
    pub name: &'static str,
    pub total: usize,
    pub current: usize,
    pub older: usize,
    pub unknown: usize,
}

#[derive(Template)]
#[template(path = "alignment.html")]
struct AlignmentPage {
    layout: Layout,
    current: Option<String>,
    kinds: Vec<KindLine>,
    rows: Vec<AlignmentRow>,
}

fn status_name(a: Alignment) -> &'static str {
    match a {
        Alignment::Current => "Følger gjeldende versjon",
        Alignment::Older => "Følger en eldre versjon",
        Alignment::Unknown => "Ikke oppgitt",
    }
}

fn page(layout: Layout, report: AlignmentReport, staff: bool) -> Response {
    let page = AlignmentPage {
        layout,
        current: report.current_normen_version,
        kinds: report
            .kinds
            .iter()
            .map(|k| KindLine {
                name: match k.kind {
                    DocumentKind::FactSheet => "Faktaark",
                    DocumentKind::Guide => "Veiledere",
                    DocumentKind::Norm => "Normen",
                    DocumentKind::Template => "Maler",
                    DocumentKind::Other => "Andre dokumenter",
                },
                total: k.total,
                current: k.current,
                older: k.older,
                unknown: k.unknown,
            })
            .collect(),
        rows: report
            .items
            .into_iter()
            .map(|i| AlignmentRow {
                name: ui::document_label(&NB, i.kind, i.number.as_deref()),
                title: i.title,
                url: if staff { paths::document(i.document_id) } else { i.url },
                normen_version: i.normen_version.unwrap_or_else(|| "–".into()),
                current: i.alignment == Alignment::Current,
                status: status_name(i.alignment),
            })
            .collect(),
    };
    ui::render(StatusCode::OK, &page)
}

/// `GET /oppdateringsstatus`.
pub async fn public_page(State(state): State<AppState>) -> WebResult<Response> {
    let report = alignment::report(&state.db).await?;
    let layout = Layout::public(
        format!("Oppdateringsstatus – {}", NB.site_name),
        Some(paths::ALIGNMENT.into()),
    );
    Ok(page(layout, report, false))
}

/// `GET /redaksjon/oppdateringsstatus`.
pub async fn workspace_page(State(state): State<AppState>, staff: Staff) -> WebResult<Response> {
    let report = alignment::report(&state.db).await?;
    Ok(page(layout(&staff, "Oppdateringsstatus"), report, true))
}
