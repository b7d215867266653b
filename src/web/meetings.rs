//! The steering group's meetings as pages: the public list, a meeting with its cases, and the
//! case page (`/sak/23-25`) with everything the case touched; in the workspace, the agenda
//! being built (new meeting, new case, prefilled from a revision need or a proposed
//! withdrawal), the outcome of each case, the state of the meeting, and the call and the
//! minutes as printable pages.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::{AgendaKind, CaseNumber, ItemOutcome, MeetingState};
use crate::services::meetings::{
    self, AgendaItemView, CaseView, MeetingChange, MeetingSummary, MeetingView, NewAgendaItem, NewMeeting, NewOutcome,
};
use crate::state::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::extract::{CsrfForm, Path, Query, Staff, StaffPost};
use crate::web::forms::{self, Choice, Errors, Field, FormPage, Input};
use crate::web::paths;
use crate::web::ui::{self, Layout, NB};
use crate::web::workspace::{self, layout};

/// A link with its text.
pub struct Link {
    pub url: String,
    pub text: String,
}

/// An agenda item as the pages show it.
pub struct ItemLine {
    pub id: i32,
    pub case: String,
    pub case_url: String,
    pub repeated: bool,
    pub kind: &'static str,
    pub title: String,
    pub starts_at: Option<String>,
    pub presenter: Option<String>,
    /// Sanitised HTML of the background.
    pub background_html: String,
    pub proposal: String,
    pub outcome: Option<&'static str>,
    pub outcome_text: String,
    pub decided: bool,
    pub documents: Vec<Link>,
    pub needs: Vec<Link>,
    pub plans: Vec<Link>,
    pub outcome_url: String,
}

fn item_line(i: &AgendaItemView) -> ItemLine {
    ItemLine {
        id: i.id,
        case: i.case.clone(),
        case_url: i.case_url.clone(),
        repeated: i.repeated_case,
        kind: meetings::kind_heading(i.kind),
        title: i.title.clone(),
        starts_at: i.starts_at.clone(),
        presenter: i.presenter.clone(),
        background_html: crate::markdown::to_safe_html(&i.background),
        proposal: i.proposal.clone(),
        outcome: i.outcome.map(ui::outcome_name),
        outcome_text: i.outcome_text.clone(),
        decided: i.outcome == Some(ItemOutcome::Decided),
        documents: i
            .documents
            .iter()
            .map(|d| Link {
                url: d.url.clone(),
                text: ui::document_name(&NB, d.kind, d.number.as_deref(), &d.title),
            })
            .collect(),
        needs: i
            .revision_needs
            .iter()
            .map(|n| Link {
                url: paths::need(n.id),
                text: n.title.clone(),
            })
            .collect(),
        plans: i
            .plan_items
            .iter()
            .map(|p| Link {
                url: format!("/redaksjon/plan/{}", p.period),
                text: format!("{} ({})", p.title, p.period),
            })
            .collect(),
        outcome_url: paths::item_outcome(i.meeting_id, i.id),
    }
}

fn when(m: &MeetingView) -> String {
    let date = ui::format_date(m.date, "nb");
    match crate::domain::time_span(m.starts_at.as_deref(), m.ends_at.as_deref()) {
        Some(span) => format!("{date}, kl. {span}"),
        None => date,
    }
}

/// A meeting in a list.
pub struct MeetingLine {
    pub url: String,
    pub date: String,
    pub title: String,
    pub place: String,
    pub state: &'static str,
    pub items: u64,
}

fn meeting_lines(list: &[MeetingSummary], url: impl Fn(i32) -> String) -> Vec<MeetingLine> {
    list.iter()
        .map(|m| MeetingLine {
            url: url(m.id),
            date: ui::format_date(m.date, "nb"),
            title: m.title.clone(),
            place: m.place.clone(),
            state: ui::meeting_state_name(m.state),
            items: m.items,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    layout: Layout,
    flash: Option<String>,
    workspace: bool,
    can_write: bool,
    meetings: Vec<MeetingLine>,
}

/// `GET /moter`: the called and held meetings.
pub async fn public_list(State(state): State<AppState>) -> WebResult<Response> {
    let list = meetings::list(&state.db, false).await?;
    let page = MeetingsPage {
        layout: Layout::public(
            format!("Styringsgruppens møter – {}", NB.site_name),
            Some(paths::PUBLIC_MEETINGS.into()),
        ),
        flash: None,
        workspace: false,
        can_write: false,
        meetings: meeting_lines(&list, paths::public_meeting),
    };
    Ok(ui::render(StatusCode::OK, &page))
}

/// `GET /redaksjon/moter`: every meeting, planned ones too.
pub async fn workspace_list(State(state): State<AppState>, mut staff: Staff) -> WebResult<Response> {
    let flash = workspace::take_flash(&state, &mut staff.session).await?;
    let list = meetings::list(&state.db, true).await?;
    let page = MeetingsPage {
        layout: layout(&staff, "Møter"),
        flash,
        workspace: true,
        can_write: staff.user.role.can_write(),
        meetings: meeting_lines(&list, paths::meeting),
    };
    Ok(ui::render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    layout: Layout,
    flash: Option<String>,
    /// The workspace's version: forms and drafts' links.
    workspace: bool,
    can_write: bool,
    csrf: String,
    title: String,
    when: String,
    place: String,
    state: &'static str,
    held: bool,
    next_states: Vec<(&'static str, &'static str)>,
    warnings: Vec<String>,
    items: Vec<ItemLine>,
    next_case: String,
    new_item_url: String,
    state_url: String,
    call_url: String,
    minutes_url: String,
    agenda_md: String,
    minutes_md: String,
}

fn meeting_page(m: &MeetingView, layout: Layout, workspace: bool) -> MeetingPage {
    let next_states = MeetingState::ALL
        .iter()
        .copied()
        .filter(|to| crate::domain::check_meeting_state_change(m.state, *to).is_ok())
        .map(|to| {
            (
                to.as_str(),
                match to {
                    MeetingState::Planned => "Sett som planlagt",
                    MeetingState::Called => "Marker som innkalt",
                    MeetingState::Held => "Marker som avholdt",
                },
            )
        })
        .collect();
    MeetingPage {
        layout,
        flash: None,
        workspace,
        can_write: false,
        csrf: String::new(),
        title: m.title.clone(),
        when: when(m),
        place: m.place.clone(),
        state: ui::meeting_state_name(m.state),
        held: m.state == MeetingState::Held,
        next_states,
        warnings: if workspace { m.warnings.clone() } else { Vec::new() },
        items: m.items.iter().map(item_line).collect(),
        next_case: m.next_case.clone(),
        new_item_url: paths::new_item(m.id),
        state_url: paths::meeting_state(m.id),
        call_url: paths::meeting_call(m.id),
        minutes_url: paths::meeting_minutes(m.id),
        agenda_md: format!("/api/v1/meetings/{}/agenda.md", m.id),
        minutes_md: format!("/api/v1/meetings/{}/minutes.md", m.id),
    }
}

/// `GET /moter/{id}`: a called or held meeting and its cases.
pub async fn public_meeting(State(state): State<AppState>, Path(id): Path<i32>) -> WebResult<Response> {
    let m = meetings::get(&state.db, id, false).await?;
    let layout = Layout::public(
        format!("{} {} – {}", m.title, ui::format_date(m.date, "nb"), NB.site_name),
        Some(paths::public_meeting(id)),
    );
    Ok(ui::render(StatusCode::OK, &meeting_page(&m, layout, false)))
}

/// `GET /redaksjon/moter/{id}`: the agenda being built, with the forms.
pub async fn workspace_meeting(
    State(state): State<AppState>,
    mut staff: Staff,
    Path(id): Path<i32>,
) -> WebResult<Response> {
    let flash = workspace::take_flash(&state, &mut staff.session).await?;
    let m = meetings::get(&state.db, id, true).await?;
    let title = format!("{} {}", m.title, ui::format_date(m.date, "nb"));
    let mut page = meeting_page(&m, layout(&staff, title), true);
    page.flash = flash;
    page.can_write = staff.user.role.can_write();
    page.csrf.clone_from(&staff.session.data.csrf);
    Ok(ui::render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "workspace/meeting_paper.html")]
struct PaperPage {
    layout: Layout,
    heading: String,
    back: String,
    markdown_url: String,
    html: String,
}

async fn paper(state: &AppState, staff: &Staff, id: i32, minutes: bool) -> WebResult<Response> {
    let m = meetings::get(&state.db, id, true).await?;
    let (md, heading, url) = if minutes {
        (
            meetings::minutes_markdown(&m),
            "Referat",
            format!("/api/v1/meetings/{id}/minutes.md"),
        )
    } else {
        (
            meetings::agenda_markdown(&m),
            "Møteinnkalling",
            format!("/api/v1/meetings/{id}/agenda.md"),
        )
    };
    let page = PaperPage {
        layout: layout(staff, format!("{heading} {}", ui::format_date(m.date, "nb"))),
        heading: heading.into(),
        back: paths::meeting(id),
        markdown_url: url,
        html: crate::markdown::to_safe_html(&md),
    };
    Ok(ui::render(StatusCode::OK, &page))
}

/// `GET /redaksjon/moter/{id}/innkalling`: the call, printable.
pub async fn call_page(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    paper(&state, &staff, id, false).await
}

/// `GET /redaksjon/moter/{id}/referat`: the minutes, printable.
pub async fn minutes_page(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    paper(&state, &staff, id, true).await
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    layout: Layout,
    case: String,
    title: String,
    decision: Option<String>,
    decided_on: Option<String>,
    /// No decision, and no item has an outcome.
    undecided: bool,
    items: Vec<(MeetingLine, ItemLine)>,
    versions: Vec<Link>,
    withdrawals: Vec<Link>,
    needs: Vec<Link>,
    plans: Vec<String>,
    periods: Vec<String>,
}

/// `GET /sak/{case}`: a case ("23-25") with its meeting, the decision and what it touched.
pub async fn case_page(State(state): State<AppState>, Path(slug): Path<String>) -> WebResult<Response> {
    let case = CaseNumber::from_slug(&slug).map_err(|_| WebError::App(crate::error::AppError::not_found("case")))?;
    // A public page: what the public may see, whoever asks.
    let c: CaseView = meetings::case_view(&state.db, &case, false).await?;
    let title = c
        .decision
        .as_ref()
        .map(|d| d.title.clone())
        .or_else(|| c.items.first().map(|i| i.item.title.clone()))
        .unwrap_or_default();
    let page = CasePage {
        layout: Layout::public(
            format!("Sak {}: {title} – {}", c.case, NB.site_name),
            Some(meetings::case_url(&c.case)),
        ),
        case: c.case.clone(),
        title,
        decision: c.decision.as_ref().map(|d| d.outcome.clone()),
        decided_on: c.decision.as_ref().map(|d| ui::format_date(d.meeting_date, "nb")),
        undecided: c.decision.is_none() && c.items.iter().all(|i| i.item.outcome.is_none()),
        items: c
            .items
            .iter()
            .map(|ci| {
                let line = meeting_lines(std::slice::from_ref(&ci.meeting), paths::public_meeting)
                    .pop()
                    .expect("one meeting, one line");
                (line, item_line(&ci.item))
            })
            .collect(),
        versions: c
            .versions
            .iter()
            .map(|v| Link {
                url: format!(
                    "{}/versjon/{}{}",
                    v.document.url,
                    v.label,
                    if v.language == crate::domain::Language::Nb {
                        String::new()
                    } else {
                        format!("?lang={}", v.language)
                    }
                ),
                text: format!(
                    "{}, versjon {} ({})",
                    ui::document_name(&NB, v.document.kind, v.document.number.as_deref(), &v.document.title),
                    v.label,
                    ui::format_date(v.published_on, "nb")
                ),
            })
            .collect(),
        withdrawals: c
            .withdrawals
            .iter()
            .map(|w| Link {
                url: w.document.url.clone(),
                text: format!(
                    "{}: utgått {}",
                    ui::document_name(&NB, w.document.kind, w.document.number.as_deref(), &w.document.title),
                    NB.opt_date(w.withdrawn_on)
                ),
            })
            .collect(),
        needs: c
            .revision_needs
            .iter()
            .map(|n| Link {
                url: String::new(),
                text: n.title.clone(),
            })
            .collect(),
        plans: c
            .plan_items
            .iter()
            .map(|p| format!("{} (handlingsplan {})", p.title, p.period))
            .collect(),
        periods: c.plan_periods.iter().map(|p| format!("Handlingsplan {p}")).collect(),
    };
    Ok(ui::render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------------------------------------
// Forms

#[derive(Debug, Default, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn meeting_form_page(staff: &Staff, f: &MeetingForm, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Nytt møte"),
        "Nytt styringsgruppemøte",
        paths::NEW_MEETING,
        &staff.session.data.csrf,
    );
    page.back = Some((paths::MEETINGS.into(), "Alle møter".into()));
    page.intro = vec!["Møtet er planlagt til det markeres som innkalt; da vises dagsordenen offentlig.".into()];
    page.fields = vec![
        Field::new("date", "Dato", Input::Date, f.date.clone()),
        Field::new("title", "Tittel", Input::Text, f.title.clone()),
        Field::new("place", "Sted", Input::Text, f.place.clone())
            .hint("For eksempel Digitalt møte eller Helsedirektoratet, Vitaminveien 4."),
        Field::new("starts_at", "Fra klokken (valgfritt)", Input::Text, f.starts_at.clone())
            .hint("For eksempel 10:00."),
        Field::new("ends_at", "Til klokken (valgfritt)", Input::Text, f.ends_at.clone()).hint("For eksempel 16:00."),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Opprett møtet".into();
    page
}

/// `GET /redaksjon/moter/ny`.
pub async fn new_meeting_form(staff: Staff) -> WebResult<Response> {
    staff.editor()?;
    let f = MeetingForm {
        title: "Styringsgruppemøte i Normen".into(),
        ..Default::default()
    };
    Ok(meeting_form_page(&staff, &f, &Errors::default()).respond())
}

fn clock_message(errors: &mut Errors, fields: &[crate::domain::FieldError]) {
    for e in fields {
        match e.field {
            "starts_at" | "ends_at" => errors.add(e.field, "Skriv klokkeslettet som tt:mm, for eksempel 10:00"),
            "place" => errors.add("place", "Skriv hvor møtet holdes, for eksempel Digitalt møte"),
            _ => {}
        }
    }
    errors.add_field_errors_asking(fields, &[("title", "Skriv møtets tittel")]);
}

/// `POST /redaksjon/moter/ny`.
pub async fn create_meeting(State(state): State<AppState>, form: CsrfForm<MeetingForm>) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let mut errors = Errors::default();
    let date = forms::parse_date(&mut errors, "date", &f.date);
    if date.is_none() && f.date.trim().is_empty() {
        errors.add("date", "Velg møtets dato");
    }
    let input = NewMeeting {
        date: date.unwrap_or_default(),
        title: f.title.clone(),
        place: f.place.clone(),
        starts_at: opt(&f.starts_at),
        ends_at: opt(&f.ends_at),
        state: None,
    };
    clock_message(&mut errors, &meetings::check_new_meeting(&input)?);
    let page = meeting_form_page(&staff, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match meetings::create(&state.db, &staff.user, input).await {
        Ok(m) => {
            let message = format!("Møtet {} er opprettet.", ui::format_date(m.date, "nb"));
            workspace::redirect_with_flash(&state, &mut session, message, &paths::meeting(m.id)).await
        }
        Err(e) => page.refused(e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct StateForm {
    #[serde(default)]
    pub state: String,
}

/// `POST /redaksjon/moter/{id}/status`: called, held.
pub async fn change_state(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<StateForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let to: MeetingState = f
        .state
        .parse()
        .map_err(|e: crate::domain::RuleError| WebError::App(e.into()))?;
    let input = MeetingChange {
        state: Some(to.as_str().into()),
        ..Default::default()
    };
    let m = meetings::change(&state.db, &staff.user, id, input).await?;
    let message = format!("Møtet er nå {}.", ui::meeting_state_name(m.state).to_lowercase());
    workspace::redirect_with_flash(&state, &mut session, message, &paths::meeting(id)).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    pub case: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub background: String,
    #[serde(default)]
    pub proposal: String,
    #[serde(default)]
    pub presenter: String,
    #[serde(default)]
    pub starts_at: String,
    /// Comma-separated ids, carried from a proposal.
    #[serde(default)]
    pub documents: String,
    #[serde(default)]
    pub revision_needs: String,
    #[serde(default)]
    pub plan_items: String,
}

fn kind_choices() -> Vec<Choice> {
    AgendaKind::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), meetings::kind_heading(*k)))
        .collect()
}

fn item_form_page(staff: &Staff, meeting: &MeetingView, f: &ItemForm, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Ny sak"),
        format!("Ny sak til møtet {}", ui::format_date(meeting.date, "nb")),
        paths::new_item(meeting.id),
        &staff.session.data.csrf,
    );
    page.back = Some((paths::meeting(meeting.id), "Tilbake til møtet".into()));
    page.intro = vec![format!(
        "Neste ledige saksnummer er {}. Et nummer som er brukt før, registreres slik det står, med en advarsel.",
        meeting.next_case
    )];
    page.hidden = vec![
        ("documents", f.documents.clone()),
        ("revision_needs", f.revision_needs.clone()),
        ("plan_items", f.plan_items.clone()),
    ];
    page.fields = vec![
        Field::new("case", "Saksnummer", Input::Text, f.case.clone()).hint("Nummer/år, for eksempel 23/25."),
        Field::new("kind", "Type sak", Input::Radios(kind_choices()), f.kind.clone()),
        Field::new("title", "Sakstittel", Input::Text, f.title.clone()),
        Field::new(
            "background",
            "Bakgrunn (Markdown)",
            Input::TextArea(6),
            f.background.clone(),
        )
        .code(),
        Field::new("proposal", "Forslag til vedtak", Input::TextArea(3), f.proposal.clone())
            .hint("For beslutningssaker og godkjenninger."),
        Field::new("presenter", "Ved (valgfritt)", Input::Text, f.presenter.clone()),
        Field::new("starts_at", "Klokkeslett (valgfritt)", Input::Text, f.starts_at.clone())
            .hint("For eksempel 11:45."),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Sett saken på dagsordenen".into();
    page
}

fn ids(s: &str) -> Vec<i32> {
    s.split(',').filter_map(|p| p.trim().parse().ok()).collect()
}

fn join(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// What a new case is prefilled from.
#[derive(Debug, Default, Deserialize)]
pub struct ProposalQuery {
    /// A revision need to propose.
    pub behov: Option<i32>,
    /// A document whose withdrawal to propose.
    pub sanering: Option<i32>,
    /// An item of the action plan to put to the group.
    pub planpunkt: Option<i32>,
}

async fn prefilled(state: &AppState, meeting: &MeetingView, q: &ProposalQuery) -> WebResult<ItemForm> {
    let item = match (q.behov, q.sanering, q.planpunkt) {
        (Some(need), _, _) => Some(meetings::proposal_from_need(&state.db, need).await?),
        (None, Some(doc), _) => Some(meetings::proposal_of_withdrawal(&state.db, doc).await?),
        (None, None, Some(plan)) => Some(meetings::proposal_from_plan_item(&state.db, plan).await?),
        (None, None, None) => None,
    };
    Ok(match item {
        Some(i) => ItemForm {
            case: meeting.next_case.clone(),
            kind: i.kind,
            title: i.title,
            background: i.background,
            proposal: i.proposal,
            presenter: String::new(),
            starts_at: String::new(),
            documents: join(&i.documents),
            revision_needs: join(&i.revision_needs),
            plan_items: join(&i.plan_items),
        },
        None => ItemForm {
            case: meeting.next_case.clone(),
            kind: AgendaKind::Decision.as_str().into(),
            ..Default::default()
        },
    })
}

/// `GET /redaksjon/moter/{id}/saker/ny` (`?behov=` or `?sanering=` prefill it).
pub async fn new_item_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i32>,
    Query(q): Query<ProposalQuery>,
) -> WebResult<Response> {
    staff.editor()?;
    let m = meetings::get(&state.db, id, true).await?;
    let f = prefilled(&state, &m, &q).await?;
    Ok(item_form_page(&staff, &m, &f, &Errors::default()).respond())
}

/// `GET /redaksjon/foreslag?behov=N` or `?sanering=D`: to the new-case form of the next
/// meeting not yet held, or a page that says there is none.
pub async fn propose(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ProposalQuery>,
) -> WebResult<Response> {
    staff.editor()?;
    let id = meetings::next_meeting_id(&state.db).await?;
    let query = match (q.behov, q.sanering, q.planpunkt) {
        (Some(n), _, _) => format!("?behov={n}"),
        (None, Some(d), _) => format!("?sanering={d}"),
        (None, None, Some(p)) => format!("?planpunkt={p}"),
        (None, None, None) => String::new(),
    };
    Ok(Redirect::to(&format!("{}{query}", paths::new_item(id))).into_response())
}

/// `POST /redaksjon/moter/{id}/saker/ny`.
pub async fn add_item(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<ItemForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let m = meetings::get(&state.db, id, true).await?;
    let input = NewAgendaItem {
        case: opt(&f.case),
        kind: f.kind.clone(),
        title: f.title.clone(),
        background: f.background.clone(),
        proposal: f.proposal.clone(),
        presenter: opt(&f.presenter),
        starts_at: opt(&f.starts_at),
        documents: ids(&f.documents),
        revision_needs: ids(&f.revision_needs),
        plan_items: ids(&f.plan_items),
    };
    let mut errors = Errors::default();
    for e in meetings::check_new_item(&input)? {
        match e.field {
            "case" => errors.add("case", "Skriv saksnummeret som nummer/år, for eksempel 23/25"),
            "kind" => errors.add("kind", "Velg hva slags sak det er"),
            "starts_at" => errors.add("starts_at", "Skriv klokkeslettet som tt:mm, for eksempel 11:45"),
            _ => errors.add_field_errors_asking(std::slice::from_ref(&e), &[("title", "Skriv sakens tittel")]),
        }
    }
    let page = item_form_page(&staff, &m, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match meetings::add_item(&state.db, &staff.user, id, input).await {
        Ok(i) => {
            let mut message = format!("Sak {} er satt på dagsordenen.", i.case);
            if i.repeated_case {
                message.push_str(&format!(" Merk: saksnummer {} er brukt før i dette møtet.", i.case));
            }
            workspace::redirect_with_flash(&state, &mut session, message, &paths::meeting(id)).await
        }
        Err(e) => page.refused(e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub text: String,
}

fn outcome_choices(kind: AgendaKind) -> Vec<Choice> {
    ItemOutcome::ALL
        .iter()
        .filter(|o| crate::domain::check_outcome_fits(kind, **o).is_ok())
        .map(|o| Choice::new(o.as_str(), ui::outcome_name(*o)))
        .collect()
}

fn outcome_page(staff: &Staff, meeting_id: i32, item: &AgendaItemView, f: &OutcomeForm, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, format!("Utfall av sak {}", item.case)),
        format!("Utfall av sak {}: {}", item.case, item.title),
        paths::item_outcome(meeting_id, item.id),
        &staff.session.data.csrf,
    );
    page.back = Some((paths::meeting(meeting_id), "Tilbake til møtet".into()));
    if !item.proposal.is_empty() {
        page.intro = vec![format!("Forslag til vedtak: {}", item.proposal)];
    }
    page.fields = vec![
        Field::new(
            "status",
            "Utfall",
            Input::Radios(outcome_choices(item.kind)),
            f.status.clone(),
        ),
        Field::new("text", "Vedtak eller merknad", Input::TextArea(4), f.text.clone())
            .hint("Vedtaket slik det ble fattet. Tomt ved vedtak: forslaget til vedtak gjelder."),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Registrer utfallet".into();
    page
}

/// `GET /redaksjon/moter/{id}/saker/{item}/utfall`.
pub async fn outcome_form(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, item)): Path<(i32, i32)>,
) -> WebResult<Response> {
    staff.editor()?;
    let i = meetings::item_view(&state.db, id, item, true).await?;
    let f = OutcomeForm {
        status: i.outcome.map(|o| o.as_str().to_string()).unwrap_or_default(),
        text: if i.outcome.is_some() {
            i.outcome_text.clone()
        } else {
            i.proposal.clone()
        },
    };
    Ok(outcome_page(&staff, id, &i, &f, &Errors::default()).respond())
}

/// `POST /redaksjon/moter/{id}/saker/{item}/utfall`.
pub async fn record_outcome(
    State(state): State<AppState>,
    Path((id, item)): Path<(i32, i32)>,
    form: CsrfForm<OutcomeForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let i = meetings::item_view(&state.db, id, item, true).await?;
    let input = NewOutcome {
        status: f.status.clone(),
        text: f.text.clone(),
    };
    let mut errors = Errors::default();
    for e in meetings::check_outcome(&input)? {
        match e.field {
            "status" => errors.add("status", "Velg utfallet"),
            _ => errors.add_field_errors(std::slice::from_ref(&e)),
        }
    }
    let page = outcome_page(&staff, id, &i, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match meetings::record_outcome(&state.db, &staff.user, id, item, input).await {
        Ok(i) => {
            let message = format!(
                "Utfallet av sak {} er registrert: {}.",
                i.case,
                i.outcome.map(ui::outcome_name).unwrap_or_default().to_lowercase()
            );
            workspace::redirect_with_flash(&state, &mut session, message, &paths::meeting(id)).await
        }
        Err(e) => page.refused(e),
    }
}
