//! The review cycle in the workspace: the documents due or overdue for review (filter by kind,
//! sort by date or title), and the form that records a review. Reviewers review too.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Months, Utc};
use serde::Deserialize;

use crate::domain::{DocumentKind, ReviewOutcome};
use crate::services::documents;
use crate::services::reviews::{self, DueOrder, NewReview};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::{CsrfForm, Path, Query, Staff, StaffPost};
use crate::web::forms::{Choice, Errors, Field, FormPage, Input, decision_choices, parse_date};
use crate::web::paths;
use crate::web::ui::{self, Layout, NB};
use crate::web::workspace::{self, layout};

/// How far ahead the list looks: due within three months, or overdue.
const LOOK_AHEAD_MONTHS: u32 = 3;
/// At most this many rows are listed.
const MAX_ROWS: usize = 500;

/// The list's query: `type` (a kind) and `sortering` (`dato` or `tittel`).
#[derive(Debug, Default, Deserialize)]
pub struct DueQuery {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub sortering: Option<String>,
}

/// A row of the due list.
pub struct DueRow {
    pub id: i32,
    pub name: String,
    pub title: String,
    pub last: String,
    pub next: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "workspace/reviews.html")]
struct DuePage {
    layout: Layout,
    flash: Option<String>,
    rows: Vec<DueRow>,
    total: usize,
    /// (value, name, chosen) of each kind, for the filter.
    kinds: Vec<(&'static str, &'static str, bool)>,
    by_title: bool,
    horizon: String,
}

/// `GET /redaksjon/vurderinger`: documents due within three months or overdue.
pub async fn due_list(
    State(state): State<AppState>,
    mut staff: Staff,
    Query(q): Query<DueQuery>,
) -> WebResult<Response> {
    let kind = q.kind.as_deref().and_then(|k| k.parse::<DocumentKind>().ok());
    let by_title = q.sortering.as_deref() == Some("tittel");
    let order = if by_title {
        DueOrder::Title
    } else {
        DueOrder::NextReview
    };
    let today = Utc::now().date_naive();
    let before = today
        .checked_add_months(Months::new(LOOK_AHEAD_MONTHS))
        .unwrap_or(today);
    let (total, items) = reviews::due(&state.db, before, kind, order, MAX_ROWS, 0).await?;
    let flash = workspace::take_flash(&state, &mut staff.session).await?;
    let page = DuePage {
        layout: layout(&staff, "Vurderinger"),
        flash,
        rows: items
            .into_iter()
            .map(|i| DueRow {
                id: i.document_id,
                name: ui::document_label(&NB, i.kind, i.number.as_deref()),
                title: i.title,
                last: i
                    .last_reviewed_on
                    .zip(i.outcome)
                    .map(|(d, o)| format!("{}: {}", ui::format_date(d, "nb"), NB.review_outcome(o)))
                    .unwrap_or_else(|| "Aldri vurdert".into()),
                next: ui::format_date(i.next_review_on, "nb"),
                overdue: i.overdue,
            })
            .collect(),
        total,
        kinds: DocumentKind::ALL
            .iter()
            .map(|k| (k.as_str(), NB.kind_name(*k), Some(*k) == kind))
            .collect(),
        by_title,
        horizon: ui::format_date(before, "nb"),
    };
    Ok(ui::render(StatusCode::OK, &page))
}

/// The review form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub reviewed_on: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub etag: String,
}

fn outcome_choices() -> Vec<Choice> {
    ReviewOutcome::ALL
        .iter()
        .map(|o| {
            let label = match o {
                ReviewOutcome::Reaffirm => "Innholdet er fortsatt gyldig",
                ReviewOutcome::Update => "Bør oppdateres (redaksjonelt)",
                ReviewOutcome::Revise => "Bør revideres (faglig)",
                ReviewOutcome::Withdraw => "Bør trekkes tilbake (foreslås for styringsgruppen)",
            };
            Choice::new(o.as_str(), label)
        })
        .collect()
}

fn review_page(
    staff: &Staff,
    csrf: &str,
    id: i32,
    caption: String,
    decisions: Vec<Choice>,
    f: &ReviewForm,
    errors: &Errors,
) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Vurdering"),
        "Registrer en vurdering",
        paths::new_review(id),
        csrf,
    );
    page.caption = Some(caption);
    page.back = Some((paths::document(id), "Tilbake til dokumentet".into()));
    page.intro = vec![
        "Er dokumentet fortsatt riktig? «Fortsatt gyldig» flytter neste vurdering fram; de andre utfallene registrerer et revisjonsbehov.".into(),
    ];
    page.hidden = vec![("etag", f.etag.clone())];
    page.fields = vec![
        Field::new("outcome", "Utfall", Input::Radios(outcome_choices()), f.outcome.clone()),
        Field::new("reviewed_on", "Dato (valgfritt)", Input::Date, f.reviewed_on.clone()).hint("Tomt gir dagens dato."),
        Field::new("note", "Merknad (valgfritt)", Input::TextArea(4), f.note.clone()),
        Field::new(
            "decision",
            "Vedtak (valgfritt)",
            Input::Select(decisions),
            f.decision.clone(),
        ),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Registrer vurdering".into();
    page
}

async fn caption(state: &AppState, id: i32) -> WebResult<(String, String)> {
    let view = documents::staff_view(&state.db, id).await?;
    let name = ui::document_label(&NB, view.summary.kind, view.summary.number.as_deref());
    Ok((format!("{name}: {}", view.summary.title), view.etag))
}

/// `GET /redaksjon/dokumenter/{id}/vurdering`.
pub async fn review_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    let (caption, etag) = caption(&state, id).await?;
    let f = ReviewForm {
        outcome: ReviewOutcome::Reaffirm.as_str().into(),
        etag,
        ..Default::default()
    };
    let choices = decision_choices(&state.db).await?;
    Ok(review_page(
        &staff,
        &staff.session.data.csrf,
        id,
        caption,
        choices,
        &f,
        &Errors::default(),
    )
    .respond())
}

/// `POST /redaksjon/dokumenter/{id}/vurdering`.
pub async fn record_review(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<ReviewForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_staff_post()?;
    let (caption, _) = caption(&state, id).await?;
    let mut errors = Errors::default();
    let reviewed_on = parse_date(&mut errors, "reviewed_on", &f.reviewed_on);
    let input = NewReview {
        outcome: f.outcome.clone(),
        reviewed_on,
        note: f.note.clone(),
        decision: Some(f.decision.clone()).filter(|d| !d.trim().is_empty()),
    };
    errors.add_field_errors(&reviews::check_new_review(&input, Utc::now().date_naive())?);
    let choices = decision_choices(&state.db).await?;
    let page = review_page(&staff, &session.data.csrf, id, caption, choices, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    let etag = Some(f.etag.trim()).filter(|e| !e.is_empty());
    match reviews::record(&state.db, &staff.user, id, etag, input).await {
        Ok(r) => {
            let message = match r.revision_need_id {
                Some(_) => format!(
                    "Vurderingen er registrert ({}), med et revisjonsbehov.",
                    NB.review_outcome(r.outcome)
                ),
                None => format!("Vurderingen er registrert: {}.", NB.review_outcome(r.outcome)),
            };
            workspace::redirect_with_flash(&state, &mut session, message, &paths::document(id)).await
        }
        Err(e) => page.refused(e),
    }
}
