//! The editors' workspace (`/redaksjon`): the dashboard, the document list and a document's
//! working page with its drafts, versions, translations and revision needs. Reviewers see all
//! of it; only editors get the forms that change things.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate, Utc};
use serde::Deserialize;

use crate::domain::{DocumentKind, DocumentStatus};
use crate::services::documents::{self, DocumentFilter};
use crate::services::{approvals, dashboard, feeds, revision_needs};
use crate::session::{self, Session};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::{Path, Query, Staff};
use crate::web::paths;
use crate::web::ui::{self, Layout, NB, WorkspaceNav};
use crate::web::views::WithdrawnRow;

/// The layout of a workspace page.
pub fn layout(staff: &Staff, title: impl Into<String>) -> Layout {
    Layout {
        lang: "nb",
        title: format!("{} – Redaksjon – {}", title.into(), NB.site_name),
        canonical: None,
        t: &NB,
        workspace: Some(WorkspaceNav {
            user: staff.user.name.clone(),
            role: role_name(staff.user.role).into(),
            csrf: staff.session.data.csrf.clone(),
            admin: staff.user.role == crate::domain::Role::Admin,
        }),
        feed: None,
    }
}

/// The Norwegian name of a role, as the workspace shows it.
pub fn role_name(role: crate::domain::Role) -> &'static str {
    match role {
        crate::domain::Role::Editor => "redaktør",
        crate::domain::Role::Admin => "administrator",
        crate::domain::Role::Reviewer => "leser i redaksjonskomiteen",
    }
}

/// Takes the flash message of the session (shown once).
pub async fn take_flash(state: &AppState, session: &mut Session) -> WebResult<Option<String>> {
    let flash = session.data.flash.take();
    if flash.is_some() {
        session::save(&state.db, session).await?;
    }
    Ok(flash)
}

/// Leaves a flash message and sends the browser on (303, Post/Redirect/Get).
pub async fn redirect_with_flash(
    state: &AppState,
    session: &mut Session,
    message: String,
    to: &str,
) -> WebResult<Response> {
    session.data.flash = Some(message);
    session::save(&state.db, session).await?;
    Ok(Redirect::to(to).into_response())
}

/// Marks workspace responses as private and never cached.
pub async fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A document in a workspace list.
pub struct DocLine {
    pub id: i32,
    pub name: String,
    pub title: String,
    pub status: &'static str,
    /// The CSS class of the status tag (empty for none).
    pub tag_class: &'static str,
    /// A draft of a document never published (rather than a new version of one).
    pub new_document: bool,
    pub extra: String,
}

fn doc_name(kind: DocumentKind, number: Option<&str>) -> String {
    ui::document_label(&NB, kind, number)
}

#[derive(Template)]
#[template(path = "workspace/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    flash: Option<String>,
    can_write: bool,
    /// (approval page, document, who and when) of each draft waiting for approval.
    waiting: Vec<(String, String, String)>,
    drafts: Vec<DocLine>,
    outdated: Vec<DocLine>,
    needs: Vec<DocLine>,
    withdrawn: Vec<WithdrawnRow>,
    year: i32,
}

/// Most drafts the dashboard lists as waiting for approval.
const WAITING_ROWS: u64 = 100;

/// `GET /redaksjon`: drafts waiting for approval, drafts, outdated translations, open revision needs, withdrawn this year.
pub async fn dashboard(State(state): State<AppState>, mut staff: Staff) -> WebResult<Response> {
    let db = &state.db;
    let flash = take_flash(&state, &mut staff.session).await?;
    let waiting = approvals::waiting(db, WAITING_ROWS)
        .await?
        .into_iter()
        .map(|w| {
            (
                paths::approval(w.document_id, w.language),
                format!(
                    "{}: {} ({})",
                    doc_name(w.kind, w.number.as_deref()),
                    w.title,
                    ui::language_name(w.language)
                ),
                format!(
                    "Sendt av {} {}",
                    w.submitted_by,
                    ui::format_date(w.submitted_at.date_naive(), "nb")
                ),
            )
        })
        .collect();
    let drafts = dashboard::open_drafts(db)
        .await?
        .into_iter()
        .map(|d| DocLine {
            id: d.document_id,
            name: doc_name(d.kind, d.number.as_deref()),
            title: d.title,
            status: ui::status_name(d.document_status),
            tag_class: ui::status_tag_class(d.document_status),
            new_document: d.document_status == DocumentStatus::Draft,
            extra: format!(
                "{}{} · {} · {}",
                ui::language_name(d.language),
                if d.is_translation { " (oversettelse)" } else { "" },
                d.created_by,
                ui::format_date(d.created_at.date_naive(), "nb")
            ),
        })
        .collect();
    let outdated = dashboard::outdated_translations(db)
        .await?
        .into_iter()
        .map(|o| DocLine {
            id: o.document_id,
            name: doc_name(o.kind, o.number.as_deref()),
            title: o.title,
            status: "Utdatert",
            tag_class: "tag-outdated",
            new_document: false,
            extra: format!(
                "{} {} bygger på {}; gjeldende er {}",
                ui::language_name(o.language),
                o.label,
                o.source_label,
                o.current_source_label
            ),
        })
        .collect();
    let open: Vec<_> = revision_needs::list_all(db, None)
        .await?
        .into_iter()
        .filter(|n| n.state.is_open())
        .collect();
    let refs = documents::document_refs(db, &open.iter().map(|n| n.document_id).collect::<Vec<_>>(), false).await?;
    let needs = open
        .into_iter()
        .map(|n| DocLine {
            id: n.id,
            name: refs
                .get(&n.document_id)
                .map(|d| format!("{}: {}", doc_name(d.kind, d.number.as_deref()), d.title))
                .unwrap_or_else(|| format!("Dokument {}", n.document_id)),
            title: n.title,
            status: ui::revision_state_name(n.state),
            tag_class: "",
            new_document: false,
            extra: format!("Prioritet {} · {}", n.priority, ui::revision_kind_name(n.kind)),
        })
        .collect();
    let year = Utc::now().year();
    let since = NaiveDate::from_ymd_opt(year, 1, 1);
    let wds = feeds::withdrawals(db, None, since, 200, 0).await?;
    let page = DashboardPage {
        layout: layout(&staff, "Oversikt"),
        flash,
        can_write: staff.user.role.can_write(),
        waiting,
        drafts,
        outdated,
        needs,
        withdrawn: wds.iter().map(|w| WithdrawnRow::new(w, &NB)).collect(),
        year,
    };
    Ok(ui::render(StatusCode::OK, &page))
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub status: Option<String>,
    pub nummer: Option<String>,
    pub side: Option<u64>,
}

#[derive(Template)]
#[template(path = "workspace/documents.html")]
struct DocumentsPage {
    layout: Layout,
    can_write: bool,
    docs: Vec<DocLine>,
    total: u64,
    status: String,
    /// Every status, as (value, bokmål name, chosen).
    status_choices: Vec<(&'static str, &'static str, bool)>,
    nummer: String,
    page: u64,
    prev: Option<String>,
    next: Option<String>,
}

const LIST_PAGE: u64 = 50;

/// `GET /redaksjon/dokumenter`: every document, drafts included, 50 a page.
pub async fn documents_list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse::<DocumentStatus>().ok());
    let kind = q
        .type_
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse::<DocumentKind>().ok());
    let nummer = q.nummer.clone().unwrap_or_default().trim().to_string();
    let page = q.side.unwrap_or(1).clamp(1, 100_000);
    let filter = DocumentFilter {
        kind,
        status,
        number: (!nummer.is_empty()).then(|| nummer.to_lowercase().replace(' ', "")),
        limit: LIST_PAGE,
        offset: (page - 1) * LIST_PAGE,
        ..Default::default()
    };
    let (total, docs) = documents::list_documents(&state.db, &filter, true).await?;
    let qs = format!(
        "status={}&nummer={}",
        status
            .map(super::super::domain::types::DocumentStatus::as_str)
            .unwrap_or(""),
        crate::web::error::urlencode(&nummer)
    );
    let page_view = DocumentsPage {
        layout: layout(&staff, "Dokumenter"),
        can_write: staff.user.role.can_write(),
        docs: docs
            .into_iter()
            .map(|d| DocLine {
                id: d.id,
                name: doc_name(d.kind, d.number.as_deref()),
                title: d.title,
                status: ui::status_name(d.status),
                tag_class: ui::status_tag_class(d.status),
                new_document: d.status == DocumentStatus::Draft,
                extra: d.current_version.map(|c| c.label).unwrap_or_else(|| "–".into()),
            })
            .collect(),
        total,
        status: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        status_choices: [
            DocumentStatus::Draft,
            DocumentStatus::Published,
            DocumentStatus::Withdrawn,
        ]
        .into_iter()
        .map(|s| (s.as_str(), ui::status_name(s), status == Some(s)))
        .collect(),
        nummer,
        page,
        prev: (page > 1).then(|| format!("{}?{qs}&side={}", paths::DOCUMENTS, page - 1)),
        next: (page * LIST_PAGE < total).then(|| format!("{}?{qs}&side={}", paths::DOCUMENTS, page + 1)),
    };
    Ok(ui::render(StatusCode::OK, &page_view))
}

/// A version row of the working page.
pub struct VersionLine {
    pub label: String,
    pub language: String,
    pub language_code: String,
    pub draft: bool,
    pub date: String,
    pub note: String,
    pub kind: &'static str,
    pub decision: String,
    /// Who approved it, or why it was published without approval.
    pub approval: String,
    pub source: String,
}

/// A revision need on the working page.
pub struct NeedLine {
    pub id: i32,
    pub title: String,
    pub state: &'static str,
    pub kind: &'static str,
    pub priority: i32,
    pub public: bool,
    pub origin: &'static str,
}

#[derive(Template)]
#[template(path = "workspace/document.html")]
struct WorkPage {
    layout: Layout,
    flash: Option<String>,
    can_write: bool,
    csrf: String,
    id: i32,
    name: String,
    title: String,
    status: &'static str,
    tag_class: &'static str,
    public_url: Option<String>,
    language: String,
    normen_version: String,
    draft_languages: Vec<(String, String)>,
    has_primary_draft: bool,
    versions: Vec<VersionLine>,
    translations: Vec<(String, String, bool)>,
    withdrawal: Option<crate::web::views::WithdrawnBanner>,
    needs: Vec<NeedLine>,
    /// "Sist vurdert …; neste …", or when the first review falls due.
    review: String,
    review_overdue: bool,
    published: bool,
    withdrawn: bool,
    /// (relation, address, name, kind code, other document, outgoing) of each relation.
    relations: Vec<(&'static str, String, String, &'static str, i32, bool)>,
    etag: String,
}

/// `GET /redaksjon/dokumenter/{id}`: the document's working page.
pub async fn document_page(
    State(state): State<AppState>,
    mut staff: Staff,
    Path(id): Path<i32>,
) -> WebResult<Response> {
    let db = &state.db;
    let doc = documents::find_visible(db, id, true).await?;
    let view = documents::document_view(db, &doc, true).await?;
    let versions = documents::list_versions(db, &doc, None, true).await?;
    let needs = revision_needs::list_for_document(db, id, true).await?;
    let flash = take_flash(&state, &mut staff.session).await?;
    let name = doc_name(doc.kind, doc.number.as_deref());
    let page = WorkPage {
        layout: layout(&staff, format!("{name}: {}", view.summary.title)),
        flash,
        can_write: staff.user.role.can_write(),
        csrf: staff.session.data.csrf.clone(),
        id,
        name,
        title: view.summary.title.clone(),
        status: ui::status_name(doc.status),
        tag_class: ui::status_tag_class(doc.status),
        public_url: doc.status.is_public().then(|| view.summary.url.clone()),
        language: ui::language_name(doc.language).into(),
        normen_version: doc.normen_version.clone().unwrap_or_else(|| "–".into()),
        has_primary_draft: view.drafts.contains(&doc.language),
        draft_languages: view
            .drafts
            .iter()
            .map(|l| (l.as_str().to_string(), ui::language_name(*l).to_string()))
            .collect(),
        versions: versions
            .iter()
            .map(|v| VersionLine {
                draft: v.label.is_none(),
                label: v.label.clone().unwrap_or_else(|| "Utkast".into()),
                language: ui::language_name(v.language).into(),
                language_code: v.language.as_str().to_string(),
                date: ui::format_opt_date(v.published_on, "nb"),
                note: v.change_note.clone(),
                kind: v.change_kind.map(|k| NB.change_kind_name(k)).unwrap_or(""),
                decision: v.decision.clone().unwrap_or_default(),
                approval: match &v.approval {
                    Some(a) if a.forced_reason.is_some() => format!(
                        "Publisert uten godkjenning: {}",
                        a.forced_reason.as_deref().unwrap_or_default()
                    ),
                    Some(a) => format!(
                        "Godkjent av {}{}",
                        a.approved_by.as_deref().unwrap_or("–"),
                        a.approved_at
                            .map(|t| format!(" {}", ui::format_date(t.date_naive(), "nb")))
                            .unwrap_or_default()
                    ),
                    None => String::new(),
                },
                source: v
                    .source
                    .as_ref()
                    .map(|s| format!("oversatt fra {} {}", s.language, s.label))
                    .unwrap_or_default(),
            })
            .collect(),
        translations: view
            .translations
            .iter()
            .map(|t| {
                (
                    ui::language_name(t.language).to_string(),
                    format!("{} (fra {} {})", t.label, doc.language, t.source_label),
                    t.outdated,
                )
            })
            .collect(),
        withdrawal: view
            .withdrawal
            .as_ref()
            .map(|w| crate::web::views::WithdrawnBanner::new(w, &NB, None)),
        needs: needs
            .into_iter()
            .map(|n| NeedLine {
                id: n.id,
                title: n.title,
                state: ui::revision_state_name(n.state),
                kind: ui::revision_kind_name(n.kind),
                priority: n.priority,
                public: n.public,
                origin: ui::revision_origin_name(n.origin),
            })
            .collect(),
        review: {
            let r = &view.review;
            let next = r
                .next_review_on
                .map(|d| format!("neste innen {}", ui::format_date(d, "nb")))
                .unwrap_or_else(|| "vurderes etter første publisering".into());
            match (r.last_reviewed_on, r.outcome) {
                (Some(d), Some(o)) => format!(
                    "Sist vurdert {}: {}; {next} (hver {}. måned)",
                    ui::format_date(d, "nb"),
                    NB.review_outcome(o),
                    r.interval_months
                ),
                _ => format!("Aldri vurdert; {next} (hver {}. måned)", r.interval_months),
            }
        },
        review_overdue: view.review.overdue,
        published: doc.status == DocumentStatus::Published,
        withdrawn: doc.status == DocumentStatus::Withdrawn,
        relations: view
            .relations
            .iter()
            .map(|r| {
                let outgoing = r.direction == crate::domain::RelationDirection::Outgoing;
                (
                    ui::relation_name(r.kind, outgoing),
                    r.document.url.clone(),
                    format!(
                        "{}: {}",
                        doc_name(r.document.kind, r.document.number.as_deref()),
                        r.document.title
                    ),
                    r.kind.as_str(),
                    r.document.id,
                    outgoing,
                )
            })
            .collect(),
        etag: view.etag.clone(),
    };
    Ok(ui::render(StatusCode::OK, &page))
}
