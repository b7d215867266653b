//! The action plan in the workspace: the periods (`/redaksjon/plan`), a period's board grouped
//! by priority with filters and downloads (CSV, Markdown for the steering group's paper), and
//! the forms for a new item, moving an item, an item's state and the period's state.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::{DocumentKind, PlanItemKind, PlanItemState, PlanPeriod, PlanPeriodState, item_next_states};
use crate::services::plans::{
    self, BoardFilter, MovePlanItem, NewPlanItem, PeriodStateChange, PlanBoard, PlanDocument, PlanItemStateChange,
    PlanItemView,
};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::{CsrfForm, Path, Query, Staff, StaffPost};
use crate::web::forms::{Choice, Errors, Field, FormPage, Input, decision_choices};
use crate::web::paths;
use crate::web::ui::{self, Layout, NB};
use crate::web::workspace::{self, layout};

/// A document's name as the plan shows it: "Faktaark 37: Tittel".
fn document_name(d: &PlanDocument) -> String {
    ui::document_name(&NB, d.kind, d.number.as_deref(), &d.title)
}

/// Escapes what Markdown would read as markup in a line of text.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The board as Markdown for the steering group's paper: "# Handlingsplan 2026-H1", a section
/// per priority with a bullet per item, then the revision needs planned for the period.
pub fn board_markdown(board: &PlanBoard) -> String {
    let mut out = format!("# Handlingsplan {}\n\n", board.period);
    out.push_str(&format!("Status: {}", ui::plan_period_state_name(board.state)));
    if let Some(c) = &board.decision {
        out.push_str(&format!(" (sak {c})"));
    }
    out.push_str("\n\n");
    for priority in 1..=3 {
        let items: Vec<&PlanItemView> = board.items.iter().filter(|i| i.priority == priority).collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("## Prioritet {priority}\n\n"));
        for i in items {
            let mut facts = vec![
                ui::plan_item_kind_name(i.kind).to_string(),
                ui::plan_item_state_name(i.state).to_lowercase(),
            ];
            if let Some(d) = &i.document {
                facts.push(md_escape(&document_name(d)));
            }
            if let Some(c) = &i.case {
                facts.push(format!("sak {c}"));
            }
            out.push_str(&format!("- **{}** ({})", md_escape(&i.title), facts.join("; ")));
            if let Some(to) = &i.moved_to {
                out.push_str(&format!(
                    " – flyttet til {to}: {}",
                    md_escape(i.moved_reason.as_deref().unwrap_or_default())
                ));
            }
            if let Some(from) = &i.moved_from {
                out.push_str(&format!(" – flyttet hit fra {from}"));
            }
            out.push('\n');
            for line in i.description.lines().filter(|l| !l.trim().is_empty()) {
                out.push_str(&format!("  {}\n", md_escape(line.trim())));
            }
        }
        out.push('\n');
    }
    if !board.revision_needs.is_empty() {
        out.push_str("## Revisjonsbehov planlagt for perioden\n\n");
        for n in &board.revision_needs {
            let doc = n.document.as_ref().map(document_name).unwrap_or_default();
            out.push_str(&format!(
                "- **{}** ({}; prioritet {})\n",
                md_escape(&n.title),
                md_escape(&doc),
                n.priority
            ));
        }
        out.push('\n');
    }
    if board.items.is_empty() && board.revision_needs.is_empty() {
        out.push_str("Ingen punkter.\n");
    }
    out
}

/// The list page's query: `periode` opens a period's board.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodsQuery {
    pub periode: Option<String>,
}

struct PeriodLine {
    period: String,
    state: &'static str,
    decision: Option<String>,
    items: u64,
}

#[derive(Template)]
#[template(path = "workspace/plans.html")]
struct PeriodsPage {
    layout: Layout,
    flash: Option<String>,
    periods: Vec<PeriodLine>,
    asked: String,
    error: Option<String>,
}

/// `GET /redaksjon/plan`: the plan periods; `?periode=2026-H2` opens one (also one not yet used).
pub async fn periods(
    State(state): State<AppState>,
    mut staff: Staff,
    Query(q): Query<PeriodsQuery>,
) -> WebResult<Response> {
    let asked = q.periode.unwrap_or_default().trim().to_string();
    let mut error = None;
    if !asked.is_empty() {
        if asked.parse::<PlanPeriod>().is_ok() {
            return Ok(Redirect::to(&paths::plan_board(&asked)).into_response());
        }
        error =
            Some("Skriv perioden som halvår (for eksempel 2026-H1) eller som et helt år (for eksempel 2024)".into());
    }
    let flash = workspace::take_flash(&state, &mut staff.session).await?;
    let page = PeriodsPage {
        layout: layout(&staff, "Handlingsplan"),
        flash,
        periods: plans::list_periods(&state.db)
            .await?
            .into_iter()
            .map(|p| PeriodLine {
                state: ui::plan_period_state_name(p.state),
                period: p.period,
                decision: p.decision,
                items: p.items,
            })
            .collect(),
        asked,
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(ui::render(status, &page))
}

/// The board's query: `type` (item kind), `status` (item state), `dokumenttype` (document kind).
#[derive(Debug, Default, Deserialize)]
pub struct BoardQuery {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: Option<String>,
    pub dokumenttype: Option<String>,
}

impl BoardQuery {
    /// Unknown values filter nothing, as on the other lists.
    fn filter(&self) -> BoardFilter {
        BoardFilter {
            kind: self.kind.as_deref().and_then(|k| k.parse().ok()),
            state: self.status.as_deref().and_then(|k| k.parse().ok()),
            document_kind: self.dokumenttype.as_deref().and_then(|k| k.parse().ok()),
        }
    }
}

struct BoardRow {
    id: i32,
    title: String,
    description: String,
    kind: &'static str,
    state: &'static str,
    document: Option<(String, String)>,
    case: Option<String>,
    /// "Flyttet til 2026-H2: utsatt", with the board it went to.
    moved: Option<(String, String)>,
    /// "Flyttet hit fra 2024", with that board.
    from: Option<(String, String)>,
    open: bool,
}

struct NeedRow {
    id: i32,
    title: String,
    document: String,
    priority: i32,
}

/// (value, label, chosen) of a filter option.
type Opt = (&'static str, &'static str, bool);

#[derive(Template)]
#[template(path = "workspace/plan.html")]
struct BoardPage {
    layout: Layout,
    flash: Option<String>,
    period: String,
    state: &'static str,
    adopted: bool,
    decision: Option<String>,
    can_write: bool,
    groups: Vec<(i32, Vec<BoardRow>)>,
    needs: Vec<NeedRow>,
    total: usize,
    kinds: Vec<Opt>,
    states: Vec<Opt>,
    document_kinds: Vec<Opt>,
}

fn board_row(i: PlanItemView) -> BoardRow {
    BoardRow {
        id: i.id,
        kind: ui::plan_item_kind_name(i.kind),
        state: ui::plan_item_state_name(i.state),
        document: i.document.as_ref().map(|d| (paths::document(d.id), document_name(d))),
        open: i.moved_to.is_none() && !i.state.is_closed(),
        moved: i.moved_to.as_ref().map(|to| {
            (
                paths::plan_board(to),
                format!("Flyttet til {to}: {}", i.moved_reason.as_deref().unwrap_or_default()),
            )
        }),
        from: i
            .moved_from
            .as_ref()
            .map(|f| (paths::plan_board(f), format!("Flyttet hit fra {f}"))),
        case: i.case,
        title: i.title,
        description: i.description,
    }
}

/// `GET /redaksjon/plan/{period}`: the board, grouped by priority, with filters.
pub async fn board(
    State(state): State<AppState>,
    mut staff: Staff,
    Path(period): Path<String>,
    Query(q): Query<BoardQuery>,
) -> WebResult<Response> {
    let filter = q.filter();
    let board = plans::board(&state.db, &period, filter).await?;
    let flash = workspace::take_flash(&state, &mut staff.session).await?;
    let total = board.items.len();
    let mut groups: Vec<(i32, Vec<BoardRow>)> = (1..=3).map(|p| (p, Vec::new())).collect();
    for i in board.items {
        if let Some(g) = groups.iter_mut().find(|(p, _)| *p == i.priority) {
            g.1.push(board_row(i));
        }
    }
    let page = BoardPage {
        layout: layout(&staff, format!("Handlingsplan {}", board.period)),
        flash,
        state: ui::plan_period_state_name(board.state),
        adopted: board.state == PlanPeriodState::Adopted,
        decision: board.decision,
        can_write: staff.user.role.can_write(),
        groups,
        needs: board
            .revision_needs
            .into_iter()
            .map(|n| NeedRow {
                id: n.id,
                document: n.document.as_ref().map(document_name).unwrap_or_default(),
                title: n.title,
                priority: n.priority,
            })
            .collect(),
        total,
        kinds: PlanItemKind::ALL
            .iter()
            .map(|k| (k.as_str(), ui::plan_item_kind_name(*k), Some(*k) == filter.kind))
            .collect(),
        states: PlanItemState::ALL
            .iter()
            .map(|s| (s.as_str(), ui::plan_item_state_name(*s), Some(*s) == filter.state))
            .collect(),
        document_kinds: DocumentKind::ALL
            .iter()
            .map(|k| (k.as_str(), NB.kind_name(*k), Some(*k) == filter.document_kind))
            .collect(),
        period: board.period,
    };
    Ok(ui::render(StatusCode::OK, &page))
}

fn download(body: String, content_type: &'static str, file: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        body,
    )
        .into_response()
}

/// `GET /redaksjon/plan/{period}/csv`: the items as CSV, as the API gives them.
pub async fn board_csv(
    State(state): State<AppState>,
    _staff: Staff,
    Path(period): Path<String>,
) -> WebResult<Response> {
    let board = plans::board(&state.db, &period, BoardFilter::default()).await?;
    Ok(download(
        plans::board_csv(&board),
        "text/csv; charset=utf-8",
        &format!("handlingsplan-{}.csv", board.period),
    ))
}

/// `GET /redaksjon/plan/{period}/markdown`: the plan for the steering group's paper.
pub async fn board_md(State(state): State<AppState>, _staff: Staff, Path(period): Path<String>) -> WebResult<Response> {
    let board = plans::board(&state.db, &period, BoardFilter::default()).await?;
    Ok(download(
        board_markdown(&board),
        "text/markdown; charset=utf-8",
        &format!("handlingsplan-{}.md", board.period),
    ))
}

fn priority_choices() -> Vec<Choice> {
    vec![
        Choice::new("1", "Prioritet 1 (høyest)"),
        Choice::new("2", "Prioritet 2"),
        Choice::new("3", "Prioritet 3 (lavest)"),
    ]
}

fn kind_choices() -> Vec<Choice> {
    PlanItemKind::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), ui::plan_item_kind_name(*k)))
        .collect()
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The new item form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub document_id: String,
    #[serde(default)]
    pub case: String,
}

async fn item_page(
    state: &AppState,
    staff: &Staff,
    csrf: &str,
    period: &str,
    f: &ItemForm,
    errors: &Errors,
) -> WebResult<FormPage> {
    let mut page = FormPage::new(
        layout(staff, format!("Nytt punkt i handlingsplan {period}")),
        format!("Nytt punkt i handlingsplan {period}"),
        paths::new_plan_item(period),
        csrf,
    );
    page.back = Some((paths::plan_board(period), format!("Tilbake til handlingsplan {period}")));
    page.intro =
        vec!["Et punkt trenger ikke et dokument: et nytt faktaark kan planlegges før det finnes et utkast.".into()];
    let mut documents = vec![Choice::new("", "Ingen dokument")];
    for d in plans::document_choices(&state.db).await? {
        documents.push(Choice::new(d.id.to_string(), document_name(&d)));
    }
    let mut cases = decision_choices(&state.db).await?;
    if let Some(first) = cases.first_mut() {
        first.label = "Ingen sak".into();
    }
    let states = [
        PlanItemState::Proposed,
        PlanItemState::Planned,
        PlanItemState::InProgress,
    ]
    .iter()
    .map(|s| Choice::new(s.as_str(), ui::plan_item_state_name(*s)))
    .collect();
    page.fields = vec![
        Field::new("title", "Tittel", Input::Text, f.title.clone()).hint("For eksempel «Faktaark om KI»."),
        Field::new("kind", "Type arbeid", Input::Select(kind_choices()), f.kind.clone()),
        Field::new(
            "priority",
            "Prioritet",
            Input::Radios(priority_choices()),
            f.priority.clone(),
        ),
        Field::new("state", "Status", Input::Select(states), f.state.clone()),
        Field::new(
            "description",
            "Beskrivelse (valgfritt)",
            Input::TextArea(4),
            f.description.clone(),
        ),
        Field::new(
            "document_id",
            "Dokument (valgfritt)",
            Input::Select(documents),
            f.document_id.clone(),
        ),
        Field::new(
            "case",
            "Sak i styringsgruppen (valgfritt)",
            Input::Select(cases),
            f.case.clone(),
        ),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Legg til punktet".into();
    Ok(page)
}

/// `GET /redaksjon/plan/{period}/nytt-punkt`.
pub async fn new_item_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(period): Path<String>,
) -> WebResult<Response> {
    let key: PlanPeriod = period.parse().map_err(crate::error::AppError::from)?;
    let f = ItemForm {
        kind: PlanItemKind::Revision.as_str().into(),
        priority: "2".into(),
        state: PlanItemState::Proposed.as_str().into(),
        ..Default::default()
    };
    let csrf = staff.session.data.csrf.clone();
    Ok(item_page(&state, &staff, &csrf, key.as_str(), &f, &Errors::default())
        .await?
        .respond())
}

/// `POST /redaksjon/plan/{period}/nytt-punkt`.
pub async fn add_item(
    State(state): State<AppState>,
    Path(period): Path<String>,
    form: CsrfForm<ItemForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let key: PlanPeriod = period.parse().map_err(crate::error::AppError::from)?;
    let mut errors = Errors::default();
    let priority = f.priority.trim().parse::<i32>().unwrap_or(0);
    let document_id = match opt(&f.document_id).map(|d| d.parse::<i32>()) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => {
            errors.add("document_id", "Velg et dokument i listen");
            None
        }
    };
    let input = NewPlanItem {
        title: f.title.clone(),
        kind: f.kind.clone(),
        priority,
        description: opt(&f.description),
        document_id,
        revision_need_id: None,
        case: opt(&f.case),
        state: opt(&f.state),
    };
    let field_errors = plans::check_new_item(key.as_str(), &input)?;
    if field_errors.iter().any(|e| e.field == "kind") {
        errors.add("kind", "Velg hva slags arbeid punktet gjelder");
    }
    if field_errors.iter().any(|e| e.field == "case") {
        errors.add("case", "Velg en sak i listen");
    }
    errors.add_field_errors(&field_errors);
    let page = item_page(&state, &staff, &session.data.csrf, key.as_str(), &f, &errors).await?;
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match plans::add_item(&state.db, &staff.user, key.as_str(), input).await {
        Ok(i) => {
            workspace::redirect_with_flash(
                &state,
                &mut session,
                format!("«{}» er lagt til i handlingsplan {}.", i.title, i.period),
                &paths::plan_board(&i.period),
            )
            .await
        }
        Err(e) => page.refused(e),
    }
}

/// The move form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub reason: String,
}

fn move_page(staff: &Staff, csrf: &str, item: &PlanItemView, f: &MoveForm, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Flytt punkt"),
        "Flytt punktet til en annen periode",
        paths::move_plan_item(item.id),
        csrf,
    );
    page.caption = Some(format!("{} (handlingsplan {})", item.title, item.period));
    page.back = Some((
        paths::plan_board(&item.period),
        format!("Tilbake til handlingsplan {}", item.period),
    ));
    page.intro = vec!["Punktet blir stående i denne perioden, merket med hvor det er flyttet og hvorfor, og videreføres i den nye perioden.".into()];
    page.fields = vec![
        Field::new("period", "Ny periode", Input::Text, f.period.clone())
            .hint("Halvår som 2026-H2, eller et helt år som 2027."),
        Field::new("reason", "Begrunnelse", Input::Text, f.reason.clone())
            .hint("For eksempel «Utsatt: mangler kapasitet»."),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Flytt punktet".into();
    page
}

/// `GET /redaksjon/plan/punkt/{id}/flytt`.
pub async fn move_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    let item = plans::get_item(&state.db, id).await?;
    Ok(move_page(
        &staff,
        &staff.session.data.csrf,
        &item,
        &MoveForm::default(),
        &Errors::default(),
    )
    .respond())
}

/// `POST /redaksjon/plan/punkt/{id}/flytt`.
pub async fn move_item(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<MoveForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let item = plans::get_item(&state.db, id).await?;
    let input = MovePlanItem {
        period: f.period.clone(),
        reason: f.reason.clone(),
    };
    let mut errors = Errors::default();
    errors.add_field_errors_asking(
        &plans::check_move(&input)?,
        &[("reason", "Skriv hvorfor punktet flyttes")],
    );
    let mut page = move_page(&staff, &session.data.csrf, &item, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match plans::move_item(&state.db, &staff.user, id, input).await {
        Ok(new) => {
            workspace::redirect_with_flash(
                &state,
                &mut session,
                format!("«{}» er flyttet til handlingsplan {}.", new.title, new.period),
                &paths::plan_board(&item.period),
            )
            .await
        }
        Err(crate::error::AppError::Field(e)) if e.field == "period" => {
            page.fields[0].error = Some(format!("Punktet er allerede i {}; velg en annen periode", item.period));
            Ok(ui::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => page.refused(e),
    }
}

/// The item state form's field.
#[derive(Debug, Default, Deserialize)]
pub struct ItemStateForm {
    #[serde(default)]
    pub state: String,
}

fn item_state_page(staff: &Staff, csrf: &str, item: &PlanItemView, f: &ItemStateForm, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Endre status"),
        "Endre status for punktet",
        paths::plan_item_state(item.id),
        csrf,
    );
    page.caption = Some(format!(
        "{} (nå: {})",
        item.title,
        ui::plan_item_state_name(item.state).to_lowercase()
    ));
    page.back = Some((
        paths::plan_board(&item.period),
        format!("Tilbake til handlingsplan {}", item.period),
    ));
    let choices = item_next_states(item.state)
        .iter()
        .map(|s| Choice::new(s.as_str(), ui::plan_item_state_name(*s)))
        .collect();
    page.fields = vec![Field::new(
        "state",
        "Ny status",
        Input::Radios(choices),
        f.state.clone(),
    )];
    errors.apply(&mut page.fields);
    page.submit = "Endre status".into();
    page
}

/// `GET /redaksjon/plan/punkt/{id}/status`.
pub async fn item_state_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    let item = plans::get_item(&state.db, id).await?;
    let f = ItemStateForm {
        state: item_next_states(item.state)
            .first()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
    };
    Ok(item_state_page(&staff, &staff.session.data.csrf, &item, &f, &Errors::default()).respond())
}

/// `POST /redaksjon/plan/punkt/{id}/status`.
pub async fn change_item_state(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<ItemStateForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let item = plans::get_item(&state.db, id).await?;
    let mut errors = Errors::default();
    if f.state.parse::<PlanItemState>().is_err() {
        errors.add("state", "Velg ny status");
    }
    let page = item_state_page(&staff, &session.data.csrf, &item, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match plans::change_item_state(
        &state.db,
        &staff.user,
        id,
        PlanItemStateChange { state: f.state.clone() },
    )
    .await
    {
        Ok(i) => {
            workspace::redirect_with_flash(
                &state,
                &mut session,
                format!(
                    "«{}» har nå status {}.",
                    i.title,
                    ui::plan_item_state_name(i.state).to_lowercase()
                ),
                &paths::plan_board(&i.period),
            )
            .await
        }
        Err(e) => page.refused(e),
    }
}

/// The period state form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodStateForm {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub decision: String,
}

async fn period_page(
    state: &AppState,
    staff: &Staff,
    csrf: &str,
    period: &str,
    f: &PeriodStateForm,
    errors: &Errors,
) -> WebResult<FormPage> {
    let mut page = FormPage::new(
        layout(staff, format!("Status for handlingsplan {period}")),
        format!("Status for handlingsplan {period}"),
        paths::plan_period_state(period),
        csrf,
    );
    page.back = Some((paths::plan_board(period), format!("Tilbake til handlingsplan {period}")));
    page.intro =
        vec!["Planen drøftes i styringsgruppen og vedtas i en sak. Et vedtak må være registrert først.".into()];
    let choices = vec![
        Choice::new(PlanPeriodState::Discussed.as_str(), "Drøftet i styringsgruppen"),
        Choice::new(PlanPeriodState::Adopted.as_str(), "Vedtatt"),
    ];
    page.fields = vec![
        Field::new("state", "Ny status", Input::Radios(choices), f.state.clone()),
        Field::new(
            "decision",
            "Vedtak (for «Vedtatt»)",
            Input::Select(decision_choices(&state.db).await?),
            f.decision.clone(),
        ),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Endre status".into();
    Ok(page)
}

/// `GET /redaksjon/plan/{period}/status`.
pub async fn period_state_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(period): Path<String>,
) -> WebResult<Response> {
    let key: PlanPeriod = period.parse().map_err(crate::error::AppError::from)?;
    let f = PeriodStateForm {
        state: PlanPeriodState::Adopted.as_str().into(),
        ..Default::default()
    };
    let csrf = staff.session.data.csrf.clone();
    Ok(period_page(&state, &staff, &csrf, key.as_str(), &f, &Errors::default())
        .await?
        .respond())
}

/// `POST /redaksjon/plan/{period}/status`.
pub async fn change_period_state(
    State(state): State<AppState>,
    Path(period): Path<String>,
    form: CsrfForm<PeriodStateForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let key: PlanPeriod = period.parse().map_err(crate::error::AppError::from)?;
    let input = PeriodStateChange {
        state: f.state.clone(),
        decision: opt(&f.decision),
    };
    let mut errors = Errors::default();
    errors.add_field_errors(&plans::check_period_change(&input)?);
    if f.state == PlanPeriodState::Adopted.as_str() && input.decision.is_none() {
        errors.add("decision", "Velg vedtaket som vedtok planen");
    }
    let page = period_page(&state, &staff, &session.data.csrf, key.as_str(), &f, &errors).await?;
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match plans::change_period_state(&state.db, &staff.user, key.as_str(), input).await {
        Ok(b) => {
            let message = match &b.decision {
                Some(c) if b.state == PlanPeriodState::Adopted => {
                    format!("Handlingsplan {} er vedtatt (sak {c}).", b.period)
                }
                _ => format!(
                    "Handlingsplan {} er merket som {}.",
                    b.period,
                    ui::plan_period_state_name(b.state).to_lowercase()
                ),
            };
            workspace::redirect_with_flash(&state, &mut session, message, &paths::plan_board(&b.period)).await
        }
        Err(e) => page.refused(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i32, title: &str, priority: i32) -> PlanItemView {
        PlanItemView {
            id,
            period: "2026-H1".into(),
            title: title.into(),
            description: String::new(),
            kind: PlanItemKind::NewDocument,
            priority,
            state: PlanItemState::Proposed,
            document_id: None,
            document: None,
            revision_need_id: None,
            case: Some("22/25".into()),
            moved_to: None,
            moved_reason: None,
            moved_from_item_id: None,
            moved_from: None,
            created_by: "demo".into(),
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn the_paper_has_a_section_per_priority_and_escapes_titles() {
        let mut moved = item(2, "Faktaark *Integritet*", 2);
        moved.moved_to = Some("2026-H2".into());
        moved.moved_reason = Some("utsatt".into());
        let board = PlanBoard {
            period: "2026-H1".into(),
            state: PlanPeriodState::Adopted,
            decision: Some("29/25".into()),
            items: vec![item(1, "Faktaark om KI", 1), moved],
            revision_needs: Vec::new(),
        };
        let md = board_markdown(&board);
        assert!(md.starts_with("# Handlingsplan 2026-H1\n\nStatus: Vedtatt (sak 29/25)\n\n## Prioritet 1\n\n"));
        assert!(md.contains("- **Faktaark om KI** (Nytt dokument; foreslått; sak 22/25)\n"));
        assert!(md.contains("## Prioritet 2\n\n- **Faktaark \\*Integritet\\*** (Nytt dokument; foreslått; sak 22/25) – flyttet til 2026-H2: utsatt\n"));
        assert!(!md.contains("## Prioritet 3"));
    }
}
