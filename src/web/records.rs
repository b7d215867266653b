//! The workspace's records: steering-group decisions and revision needs (register one, move it
//! through its states).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::{self, RevisionKind, RevisionOrigin};
use crate::error::AppError;
use crate::services::dashboard;
use crate::services::decisions::{self, NewDecision};
use crate::services::documents::{self, DocumentRecord};
use crate::services::revision_needs::{self, MoveRevisionNeed, NewRevisionNeed};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::{CsrfForm, Path, Query, Staff, StaffPost};
use crate::web::forms::{Choice, Errors, Field, FormPage, Input};
use crate::web::paths;
use crate::web::ui::{self, Layout, NB};
use crate::web::workspace::{self, layout};

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

// ---------------------------------------------------------------------------------------------
// Decisions

pub struct DecisionLine {
    pub id: i32,
    pub case_number: String,
    pub date: String,
    pub title: String,
    pub outcome: String,
}

#[derive(Template)]
#[template(path = "workspace/decisions.html")]
struct DecisionsPage {
    layout: Layout,
    flash: Option<String>,
    can_write: bool,
    decisions: Vec<DecisionLine>,
}

/// `GET /redaksjon/vedtak`.
pub async fn decisions_list(State(state): State<AppState>, mut staff: Staff) -> WebResult<Response> {
    let flash = workspace::take_flash(&state, &mut staff.session).await?;
    let list = decisions::list(&state.db).await?;
    let page = DecisionsPage {
        layout: layout(&staff, "Vedtak"),
        flash,
        can_write: staff.user.role.can_write(),
        decisions: list
            .into_iter()
            .map(|d| DecisionLine {
                id: d.id,
                case_number: d.case_number,
                date: ui::format_date(d.meeting_date, "nb"),
                title: d.title,
                outcome: d.outcome,
            })
            .collect(),
    };
    Ok(ui::render(StatusCode::OK, &page))
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub case_number: String,
    #[serde(default)]
    pub meeting_date: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub outcome: String,
}

fn decision_page(staff: &Staff, csrf: &str, f: &DecisionForm, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Registrer vedtak"),
        "Registrer vedtak",
        paths::NEW_DECISION,
        csrf,
    );
    page.back = Some((paths::DECISIONS.into(), "Alle vedtak".into()));
    page.intro =
        vec!["Vedtak i styringsgruppen kan knyttes til publiseringer, tilbaketrekninger og revisjonsbehov.".into()];
    page.fields = vec![
        Field::new("case_number", "Saksnummer", Input::Text, f.case_number.clone())
            .hint("Nummer/år, for eksempel 23/25."),
        Field::new("meeting_date", "Møtedato", Input::Date, f.meeting_date.clone()),
        Field::new("title", "Sakens tittel", Input::Text, f.title.clone()),
        Field::new("outcome", "Vedtak (valgfritt)", Input::TextArea(4), f.outcome.clone()),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Registrer vedtak".into();
    page
}

/// `GET /redaksjon/vedtak/ny`.
pub async fn new_decision_form(staff: Staff) -> WebResult<Response> {
    staff.editor()?;
    Ok(decision_page(
        &staff,
        &staff.session.data.csrf,
        &DecisionForm::default(),
        &Errors::default(),
    )
    .respond())
}

/// `POST /redaksjon/vedtak/ny`.
pub async fn record_decision(State(state): State<AppState>, form: CsrfForm<DecisionForm>) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let caller = staff.user.clone();
    let mut errors = Errors::default();
    // The form sends the date as text: reading it is the form's rule.
    let date = if let Ok(d) = NaiveDate::parse_from_str(f.meeting_date.trim(), "%Y-%m-%d") {
        Some(d)
    } else {
        errors.add(
            "meeting_date",
            "Skriv møtedatoen på formen åååå-mm-dd, for eksempel 2025-09-16",
        );
        None
    };
    let input = NewDecision {
        case_number: f.case_number.trim().to_string(),
        // A stand-in while the date is unreadable, so the other fields are still checked; the
        // form is not sent then (its error is already by the field).
        meeting_date: date.unwrap_or_default(),
        title: f.title.clone(),
        outcome: f.outcome.clone(),
    };
    errors.add_field_errors_asking(
        &decisions::check_new_decision(&input)?,
        &[("title", "Skriv sakens tittel")],
    );
    let page = decision_page(&staff, &session.data.csrf, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match decisions::record(&state.db, &caller, input).await {
        Ok(d) => {
            workspace::redirect_with_flash(
                &state,
                &mut session,
                format!("Sak {} er registrert.", d.case_number),
                paths::DECISIONS,
            )
            .await
        }
        Err(e) => page.refused(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Revision needs

pub struct NeedLine {
    pub id: i32,
    pub title: String,
    pub document: String,
    pub document_id: i32,
    pub state: &'static str,
    pub kind: &'static str,
    pub priority: i32,
    pub period: String,
}

#[derive(Template)]
#[template(path = "workspace/needs.html")]
struct NeedsPage {
    layout: Layout,
    flash: Option<String>,
    can_write: bool,
    needs: Vec<NeedLine>,
}

/// `GET /redaksjon/revisjonsbehov`: every revision need by priority.
pub async fn needs_list(State(state): State<AppState>, mut staff: Staff) -> WebResult<Response> {
    let flash = workspace::take_flash(&state, &mut staff.session).await?;
    let all = revision_needs::list_all(&state.db, None).await?;
    let refs =
        documents::document_refs(&state.db, &all.iter().map(|n| n.document_id).collect::<Vec<_>>(), false).await?;
    let page = NeedsPage {
        layout: layout(&staff, "Revisjonsbehov"),
        flash,
        can_write: staff.user.role.can_write(),
        needs: all
            .into_iter()
            .map(|n| NeedLine {
                id: n.id,
                document: refs
                    .get(&n.document_id)
                    .map(|d| ui::document_name(&NB, d.kind, d.number.as_deref(), &d.title))
                    .unwrap_or_else(|| format!("Dokument {} (utkast)", n.document_id)),
                document_id: n.document_id,
                title: n.title,
                state: ui::revision_state_name(n.state),
                kind: ui::revision_kind_name(n.kind),
                priority: n.priority,
                period: n.period.unwrap_or_default(),
            })
            .collect(),
    };
    Ok(ui::render(StatusCode::OK, &page))
}

#[derive(Debug, Default, Deserialize)]
pub struct NeedForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub origin_reference: String,
    #[serde(default)]
    pub origin_body: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub version_label: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub public: String,
}

fn need_page(
    staff: &Staff,
    csrf: &str,
    id: i32,
    caption: String,
    choices: (Vec<Choice>, Vec<Choice>),
    f: &NeedForm,
    errors: &Errors,
) -> FormPage {
    let (versions, decisions) = choices;
    let mut page = FormPage::new(
        layout(staff, "Registrer revisjonsbehov"),
        "Registrer revisjonsbehov",
        paths::new_need(id),
        csrf,
    );
    page.caption = Some(caption);
    page.back = Some((paths::document(id), "Tilbake til dokumentet".into()));
    let origins = RevisionOrigin::ALL
        .iter()
        .map(|o| Choice::new(o.as_str(), ui::revision_origin_name(*o)))
        .collect();
    let kinds = RevisionKind::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), ui::revision_kind_name(*k)))
        .collect();
    page.fields = vec![
        Field::new("title", "Hva gjelder det?", Input::Text, f.title.clone()),
        Field::new(
            "description",
            "Beskrivelse (valgfritt)",
            Input::TextArea(4),
            f.description.clone(),
        ),
        Field::new("kind", "Type", Input::Radios(kinds), f.kind.clone()),
        Field::new(
            "origin",
            "Hvor kommer behovet fra?",
            Input::Radios(origins),
            f.origin.clone(),
        ),
        Field::new(
            "origin_reference",
            "Avsender og referanse",
            Input::Text,
            f.origin_reference.clone(),
        )
        .hint("Kreves for eksterne henvendelser, for eksempel «Brev fra Bufdir 12.03.2025»."),
        Field::new(
            "origin_body",
            "Hva henvendelsen sier (valgfritt)",
            Input::TextArea(3),
            f.origin_body.clone(),
        ),
        Field::new("period", "Handlingsplanperiode", Input::Text, f.period.clone())
            .hint("Kreves for tiltak i handlingsplanen, for eksempel 2026-H1."),
        Field::new("decision", "Vedtak", Input::Select(decisions), f.decision.clone())
            .hint("Kreves når behovet kommer fra et vedtak."),
        Field::new(
            "priority",
            "Prioritet",
            Input::Radios(vec![
                Choice::new("1", "Prioritet 1 (høyest)"),
                Choice::new("2", "Prioritet 2"),
                Choice::new("3", "Prioritet 3"),
            ]),
            f.priority.clone(),
        ),
        Field::new(
            "version_label",
            "Gjelder versjon (valgfritt)",
            Input::Select(versions),
            f.version_label.clone(),
        ),
        Field::new("section", "Avsnitt (valgfritt)", Input::Text, f.section.clone())
            .hint("For eksempel «3.2 Tilgangskontroll»."),
        Field::new(
            "public",
            "Vis offentlig under «Kjente feil og planlagte endringer»",
            Input::Checkbox,
            f.public.clone(),
        ),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Registrer".into();
    page
}

async fn need_choices(state: &AppState, doc: &DocumentRecord) -> WebResult<(Vec<Choice>, Vec<Choice>)> {
    let mut versions = vec![Choice::new("", "Ingen bestemt versjon")];
    for v in documents::list_versions(&state.db, doc, Some(doc.language), false).await? {
        if let Some(l) = v.label {
            versions.push(Choice::new(l.clone(), l));
        }
    }
    let mut decisions_list = vec![Choice::new("", "Ingen vedtak")];
    for d in decisions::list(&state.db).await? {
        decisions_list.push(Choice::new(
            d.case_number.clone(),
            format!("Sak {}: {}", d.case_number, d.title),
        ));
    }
    Ok((versions, decisions_list))
}

async fn caption_of(state: &AppState, doc: &DocumentRecord) -> WebResult<String> {
    let view = documents::document_view(&state.db, doc, true).await?;
    Ok(format!(
        "{}: {}",
        ui::document_label(&NB, doc.kind, doc.number.as_deref()),
        view.summary.title
    ))
}

/// `GET /redaksjon/dokumenter/{id}/revisjonsbehov/ny`.
pub async fn new_need_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    staff.editor()?;
    let doc = documents::find_visible(&state.db, id, true).await?;
    let f = NeedForm {
        kind: RevisionKind::Error.as_str().into(),
        origin: RevisionOrigin::Internal.as_str().into(),
        priority: "2".into(),
        ..Default::default()
    };
    let page = need_page(
        &staff,
        &staff.session.data.csrf,
        id,
        caption_of(&state, &doc).await?,
        need_choices(&state, &doc).await?,
        &f,
        &Errors::default(),
    );
    Ok(page.respond())
}

/// `POST /redaksjon/dokumenter/{id}/revisjonsbehov/ny`.
pub async fn register_need(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<NeedForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let caller = staff.user.clone();
    let doc = documents::find_visible(&state.db, id, true).await?;
    let input = NewRevisionNeed {
        title: f.title.clone(),
        description: f.description.clone(),
        origin: f.origin.clone(),
        origin_body: opt(&f.origin_body),
        origin_reference: opt(&f.origin_reference),
        period: opt(&f.period),
        decision: opt(&f.decision),
        kind: f.kind.clone(),
        // The radios send 1, 2 or 3; anything else is out of range, which the service reports.
        priority: f.priority.parse().unwrap_or(0),
        version_label: opt(&f.version_label),
        section: opt(&f.section),
        public: f.public == "on",
    };
    let found = revision_needs::check_new_need(&input)?;
    let mut errors = Errors::default();
    // `kind` is a revision need's kind here, not the document kind `forms::message` words it as.
    if found.iter().any(|e| e.field == "kind") {
        errors.add("kind", "Velg type");
    }
    errors.add_field_errors_asking(&found, &[("title", "Skriv hva revisjonsbehovet gjelder")]);
    let page = need_page(
        &staff,
        &session.data.csrf,
        id,
        caption_of(&state, &doc).await?,
        need_choices(&state, &doc).await?,
        &f,
        &errors,
    );
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match revision_needs::register(&state.db, &caller, id, input).await {
        Ok(_) => {
            workspace::redirect_with_flash(
                &state,
                &mut session,
                "Revisjonsbehovet er registrert.".into(),
                &paths::document(id),
            )
            .await
        }
        Err(e) => page.refused(e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub resolved_label: String,
}

async fn move_page(
    state: &AppState,
    staff: &Staff,
    csrf: &str,
    need_id: i32,
    f: &MoveForm,
    errors: &Errors,
) -> WebResult<FormPage> {
    let need = dashboard::revision_need(&state.db, need_id).await?;
    let doc = documents::find_visible(&state.db, need.document_id, true).await?;
    let moves: Vec<Choice> = domain::allowed_revision_moves(need.state)
        .iter()
        .map(|s| Choice::new(s.as_str(), ui::revision_state_name(*s)))
        .collect();
    let mut labels = vec![Choice::new("", "Ingen")];
    for v in documents::list_versions(&state.db, &doc, Some(doc.language), false).await? {
        if let Some(l) = v.label {
            labels.push(Choice::new(l.clone(), l));
        }
    }
    let mut page = FormPage::new(
        layout(staff, format!("Revisjonsbehov: {}", need.title)),
        need.title.clone(),
        paths::need(need_id),
        csrf,
    );
    page.caption = Some(caption_of(state, &doc).await?);
    page.back = Some((paths::document(doc.id), "Tilbake til dokumentet".into()));
    let mut intro = vec![format!(
        "Status: {}. Type: {}. Opphav: {}{}. Prioritet {}.{}",
        ui::revision_state_name(need.state),
        ui::revision_kind_name(need.kind),
        ui::revision_origin_name(need.origin),
        need.origin_reference
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default(),
        need.priority,
        if need.public { " Vises offentlig." } else { "" }
    )];
    if !need.description.is_empty() {
        intro.push(need.description.clone());
    }
    if let Some(p) = &need.period {
        intro.push(format!("Handlingsplanperiode: {p}."));
    }
    if let Some(l) = &need.resolved_label {
        intro.push(format!("Løst i versjon {l}."));
    }
    page.intro = intro;
    if staff.user.role.can_write() && need.state.is_open() {
        page.links = vec![
            (
                paths::change_need(need_id),
                "Rett opplysningene eller flytt til et annet halvår".into(),
            ),
            (
                paths::propose_need(need_id),
                "Foreslå som sak på neste styringsgruppemøte".into(),
            ),
        ];
    }
    if moves.is_empty() || !staff.user.role.can_write() {
        page.fields = Vec::new();
        page.submit = String::new();
        return Ok(page);
    }
    page.fields = vec![
        Field::new("state", "Ny status", Input::Radios(moves), f.state.clone()),
        Field::new(
            "period",
            "Handlingsplanperiode (ved «Planlagt»)",
            Input::Text,
            f.period.clone(),
        )
        .hint("For eksempel 2026-H1."),
        Field::new(
            "resolved_label",
            "Løst i versjon (ved «Løst»)",
            Input::Select(labels),
            f.resolved_label.clone(),
        ),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Endre status".into();
    Ok(page)
}

/// `GET /redaksjon/revisjonsbehov/{id}`: the need and, for editors, the form to move it.
pub async fn need_page_get(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    let page = move_page(
        &state,
        &staff,
        &staff.session.data.csrf,
        id,
        &MoveForm::default(),
        &Errors::default(),
    )
    .await?;
    Ok(page.respond())
}

/// `POST /redaksjon/revisjonsbehov/{id}`: moves the need to another state.
pub async fn move_need(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<MoveForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let caller = staff.user.clone();
    let input = MoveRevisionNeed {
        state: f.state.clone(),
        resolved_label: opt(&f.resolved_label),
        resolved_language: None,
        period: opt(&f.period),
    };
    let mut errors = Errors::default();
    errors.add_field_errors(&revision_needs::check_move(&input)?);
    let page = move_page(&state, &staff, &session.data.csrf, id, &f, &errors).await?;
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match revision_needs::move_state(&state.db, &caller, id, input).await {
        Ok(n) => {
            workspace::redirect_with_flash(
                &state,
                &mut session,
                format!("Status er endret til «{}».", ui::revision_state_name(n.state)),
                &paths::need(id),
            )
            .await
        }
        Err(e) => page.refused(e),
    }
}

/// One line of the audit log page.
struct AuditLine {
    at: String,
    actor: String,
    action: String,
    target: String,
    details: String,
}

#[derive(Template)]
#[template(path = "workspace/audit.html")]
struct AuditPage {
    layout: Layout,
    total: u64,
    entries: Vec<AuditLine>,
    next_url: Option<String>,
}

/// Paging of the audit log page.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    pub fra: Option<u64>,
}

/// `GET /redaksjon/logg`: the audit log, for admins only.
pub async fn audit_log(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> WebResult<Response> {
    if staff.user.role != domain::Role::Admin {
        return Err(AppError::Forbidden("only admins read the audit log".into()).into());
    }
    const PAGE: u64 = 100;
    let offset = q.fra.unwrap_or(0).min(crate::api::documents::MAX_OFFSET);
    let (total, items) = crate::services::audit::list(&state.db, PAGE, offset).await?;
    let page = AuditPage {
        layout: layout(&staff, "Endringslogg"),
        total,
        next_url: (offset + PAGE < total).then(|| format!("{}?fra={}", paths::AUDIT, offset + PAGE)),
        entries: items
            .into_iter()
            .map(|e| AuditLine {
                at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                actor: e.actor,
                action: e.action,
                target: match e.target_id {
                    Some(id) => format!("{} {id}", e.target_type),
                    None => e.target_type,
                },
                details: e.details.to_string(),
            })
            .collect(),
    };
    Ok(ui::render(StatusCode::OK, &page))
}
