//! The editors' forms for documents: new document, new and edited drafts (with a Markdown
//! preview), publish, withdraw, reinstate and translate. Each form is checked here first, with
//! messages in bokmål next to the fields; the service then applies the registry's rules in one
//! transaction, and a refusal re-renders the form with the input kept. The ETag of the page the
//! editor saw travels in a hidden field, so a change made by someone else in between is caught.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use crate::domain::{self, ChangeKind, DocumentKind, DraftApproval, Language, Role};
use crate::error::{AppError, AppResult};
use crate::services::approvals::{self, ApprovalView};
use crate::services::documents::{self, DocumentRecord, DocumentView, VersionPick};
use crate::services::editing::{self, WriteOutcome};
use crate::services::rendering;
use crate::state::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::extract::{CsrfForm, Path, Query, Staff, StaffPost};
use crate::web::forms::{Choice, Errors, Field, FormPage, Input, decision_choices, parse_date};
use crate::web::paths;
use crate::web::ui::{self, NB};
use crate::web::workspace::{self, layout};

/// After a committed write (the use case has updated the search index): leave a message, go
/// back to the document's working page.
async fn written(
    state: &AppState,
    session: &mut crate::session::Session,
    outcome: WriteOutcome,
    message: String,
) -> WebResult<Response> {
    let to = paths::document(outcome.document_id);
    workspace::redirect_with_flash(state, session, message, &to).await
}

/// The document (drafts included) and its view.
async fn load(state: &AppState, id: i32) -> AppResult<(DocumentRecord, DocumentView)> {
    let doc = documents::find_visible(&state.db, id, true).await?;
    let view = documents::document_view(&state.db, &doc, true).await?;
    Ok((doc, view))
}

fn doc_caption(doc: &DocumentRecord, view: &DocumentView) -> String {
    format!(
        "{}: {}",
        ui::document_label(&NB, doc.kind, doc.number.as_deref()),
        view.summary.title
    )
}

fn back_to(id: i32) -> (String, String) {
    (paths::document(id), "Tilbake til dokumentet".into())
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Whether the editor asked for a preview rather than saving.
fn wants_preview(handling: &str) -> bool {
    handling == "forhandsvis"
}

fn kind_choices() -> Vec<Choice> {
    DocumentKind::ALL
        .iter()
        .map(|k| {
            let label = match k {
                DocumentKind::Other => "Annet",
                other => NB.kind_name(*other),
            };
            Choice::new(k.as_str(), label)
        })
        .collect()
}

fn language_choices(except: Option<Language>) -> Vec<Choice> {
    Language::ALL
        .iter()
        .filter(|l| Some(**l) != except)
        .map(|l| Choice::new(l.as_str(), ui::language_name(*l)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// New document

#[derive(Debug, Default, Deserialize)]
pub struct NewDocumentForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub normen_version: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub handling: String,
}

fn new_document_page(staff: &Staff, csrf: &str, f: &NewDocumentForm, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Nytt dokument"),
        "Nytt dokument",
        paths::NEW_DOCUMENT,
        csrf,
    );
    page.intro =
        vec!["Dokumentet blir opprettet som utkast. Det vises ikke offentlig før første versjon er publisert.".into()];
    page.back = Some((paths::WORKSPACE.into(), "Tilbake til oversikten".into()));
    page.fields = vec![
        Field::new("kind", "Type dokument", Input::Radios(kind_choices()), f.kind.clone()),
        Field::new("number", "Nummer", Input::Text, f.number.clone())
            .hint("Bare for faktaark: sifre med en eventuell bokstav, for eksempel 37 eller 20a."),
        Field::new(
            "language",
            "Språk",
            Input::Radios(language_choices(None)),
            f.language.clone(),
        ),
        Field::new("title", "Tittel", Input::Text, f.title.clone()),
        Field::new(
            "summary",
            "Sammendrag (valgfritt)",
            Input::TextArea(3),
            f.summary.clone(),
        ),
        Field::new(
            "normen_version",
            "Tilpasset Normen versjon (valgfritt)",
            Input::Text,
            f.normen_version.clone(),
        )
        .hint("For eksempel 6.1."),
        Field::new("body", "Tekst (Markdown)", Input::TextArea(20), f.body.clone())
            .hint("Overskrifter med #, lister med -, lenker med [tekst](adresse).")
            .code(),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Opprett utkast".into();
    page.preview_button = true;
    page
}

/// `GET /redaksjon/dokumenter/ny`.
pub async fn new_document_form(staff: Staff) -> WebResult<Response> {
    staff.editor()?;
    let f = NewDocumentForm {
        kind: DocumentKind::FactSheet.as_str().into(),
        language: Language::Nb.as_str().into(),
        ..Default::default()
    };
    Ok(new_document_page(&staff, &staff.session.data.csrf, &f, &Errors::default()).respond())
}

/// `POST /redaksjon/dokumenter/ny`.
pub async fn create_document(State(state): State<AppState>, form: CsrfForm<NewDocumentForm>) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let caller = staff.user.clone();
    let input = editing::NewDocument {
        kind: f.kind.clone(),
        number: opt(&f.number),
        slug: None,
        language: f.language.clone(),
        title: f.title.clone(),
        summary: f.summary.clone(),
        body: f.body.clone(),
        normen_version: opt(&f.normen_version),
        external_id: None,
    };
    let mut errors = Errors::default();
    // The form asks more than the API: a fact sheet made here has a number.
    if input.number.is_none() && f.kind.parse() == Ok(DocumentKind::FactSheet) {
        errors.add("number", "Skriv nummeret på faktaarket, for eksempel 37");
    }
    errors.add_field_errors(&editing::check_new_document(&input).await?);
    let mut page = new_document_page(&staff, &session.data.csrf, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    if wants_preview(&f.handling) {
        page.preview_html = Some(
            rendering::render(f.body.clone(), f.language.parse().unwrap_or(Language::Nb))
                .await?
                .html,
        );
        return Ok(page.respond());
    }
    match editing::create_document(state.store(), &caller, input).await {
        Ok(outcome) => {
            written(
                &state,
                &mut session,
                outcome,
                "Dokumentet er opprettet som utkast.".into(),
            )
            .await
        }
        // A taken number belongs by the number field, not in a general message.
        Err(AppError::Conflict(m)) if m.contains(editing::NUMBER_TAKEN) => {
            errors.add(
                "number",
                "Det finnes allerede et faktaark med dette nummeret. Innledende nuller og store/små bokstaver teller ikke: 037 er det samme som 37.",
            );
            Ok(new_document_page(&staff, &session.data.csrf, &f, &errors).respond())
        }
        Err(e) => page.refused(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Drafts

#[derive(Debug, Default, Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub etag: String,
    #[serde(default)]
    pub handling: String,
}

fn draft_page(
    staff: &Staff,
    csrf: &str,
    (doc, view): (&DocumentRecord, &DocumentView),
    action: String,
    heading: &str,
    f: &DraftForm,
    errors: &Errors,
) -> FormPage {
    let mut page = FormPage::new(layout(staff, heading), heading, action, csrf);
    page.caption = Some(doc_caption(doc, view));
    page.back = Some(back_to(doc.id));
    page.hidden = vec![("etag", f.etag.clone())];
    page.fields = vec![
        Field::new("title", "Tittel", Input::Text, f.title.clone()),
        Field::new(
            "summary",
            "Sammendrag (valgfritt)",
            Input::TextArea(3),
            f.summary.clone(),
        ),
        Field::new("body", "Tekst (Markdown)", Input::TextArea(24), f.body.clone())
            .hint("Overskrifter med #, lister med -, lenker med [tekst](adresse). Forhåndsvis før du lagrer.")
            .code(),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Lagre utkast".into();
    page.preview_button = true;
    page
}

/// The form's fields as a change to a draft: every field is sent.
fn draft_update(f: &DraftForm) -> editing::DraftUpdate {
    editing::DraftUpdate {
        title: Some(f.title.clone()),
        summary: Some(f.summary.clone()),
        body: Some(f.body.clone()),
    }
}

async fn check_draft(f: &DraftForm) -> AppResult<Errors> {
    let mut errors = Errors::default();
    errors.add_field_errors(&editing::check_draft_update(&draft_update(f)).await?);
    Ok(errors)
}

/// `GET /redaksjon/dokumenter/{id}/utkast`: a new draft, starting from the current text.
pub async fn new_draft_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    staff.editor()?;
    let (doc, view) = load(&state, id).await?;
    let current = match view.summary.current_version.as_ref() {
        Some(c) => Some(documents::get_version(&state.db, &doc, &c.label, None, true).await?),
        None => None,
    };
    let f = DraftForm {
        title: current.as_ref().map(|v| v.info.title.clone()).unwrap_or_default(),
        summary: current.as_ref().map(|v| v.info.summary.clone()).unwrap_or_default(),
        body: current.map(|v| v.body).unwrap_or_default(),
        etag: view.etag.clone(),
        handling: String::new(),
    };
    let page = draft_page(
        &staff,
        &staff.session.data.csrf,
        (&doc, &view),
        paths::new_draft(id),
        "Ny versjon (utkast)",
        &f,
        &Errors::default(),
    );
    Ok(page.respond())
}

/// `POST /redaksjon/dokumenter/{id}/utkast`.
pub async fn add_draft(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<DraftForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let caller = staff.user.clone();
    let (doc, view) = load(&state, id).await?;
    let errors = check_draft(&f).await?;
    let mut page = draft_page(
        &staff,
        &session.data.csrf,
        (&doc, &view),
        paths::new_draft(id),
        "Ny versjon (utkast)",
        &f,
        &errors,
    );
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    if wants_preview(&f.handling) {
        page.preview_html = Some(rendering::render(f.body.clone(), doc.language).await?.html);
        return Ok(page.respond());
    }
    let input = editing::NewDraft {
        language: None,
        title: Some(f.title.clone()),
        summary: Some(f.summary.clone()),
        body: f.body.clone(),
    };
    match editing::add_draft(state.store(), &caller, id, opt(&f.etag).as_deref(), input).await {
        Ok(outcome) => written(&state, &mut session, outcome, "Utkastet er lagret.".into()).await,
        Err(e) => page.refused(e),
    }
}

fn parse_lang(lang: &str) -> WebResult<Language> {
    lang.parse::<Language>()
        .map_err(|_| WebError::App(AppError::not_found(format!("language {lang:?}"))))
}

#[derive(askama::Template)]
#[template(path = "workspace/draft.html")]
struct DraftReadPage {
    layout: ui::Layout,
    caption: String,
    id: i32,
    title: String,
    language: String,
    body_html: String,
}

/// `GET /redaksjon/dokumenter/{id}/utkast/{lang}`: editors edit the draft; reviewers read it.
pub async fn edit_draft_form(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, lang)): Path<(i32, String)>,
) -> WebResult<Response> {
    let language = parse_lang(&lang)?;
    let (doc, view) = load(&state, id).await?;
    let draft = documents::get_picked_version(&state.db, &doc, VersionPick::Draft, Some(language), true).await?;
    if !staff.user.role.can_write() {
        let page = DraftReadPage {
            layout: layout(&staff, format!("Utkast: {}", draft.info.title)),
            caption: doc_caption(&doc, &view),
            id,
            title: draft.info.title.clone(),
            language: language.as_str().into(),
            body_html: rendering::render(draft.body.clone(), language).await?.html,
        };
        return Ok(ui::render(axum::http::StatusCode::OK, &page));
    }
    let f = DraftForm {
        title: draft.info.title,
        summary: draft.info.summary,
        body: draft.body,
        etag: view.etag.clone(),
        handling: String::new(),
    };
    let mut page = draft_page(
        &staff,
        &staff.session.data.csrf,
        (&doc, &view),
        paths::draft(id, language),
        &format!("Rediger utkast ({})", ui::language_name(language)),
        &f,
        &Errors::default(),
    );
    page.notes = Some(draft_notes(&state, id, language).await?);
    Ok(page.respond())
}

/// The draft's approval state and the comments on it, for its author in the draft form.
async fn draft_notes(state: &AppState, id: i32, language: Language) -> WebResult<(String, Vec<(String, String)>)> {
    let view = approvals::status(&state.db, id, language).await?;
    let mut notes = vec![(
        "Godkjenning".to_string(),
        format!(
            "Status: {}. Send til godkjenning, godkjenn og kommenter på utkastets godkjenningsside.",
            ui::draft_approval_name(view.state)
        ),
    )];
    notes.extend(
        crate::web::views::comment_lines(&view)
            .into_iter()
            .map(|c| (format!("{} · {}", c.section, c.meta), c.body)),
    );
    Ok(("Godkjenning og kommentarer".into(), notes))
}

/// `POST /redaksjon/dokumenter/{id}/utkast/{lang}`.
pub async fn update_draft(
    State(state): State<AppState>,
    Path((id, lang)): Path<(i32, String)>,
    form: CsrfForm<DraftForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let caller = staff.user.clone();
    let language = parse_lang(&lang)?;
    let (doc, view) = load(&state, id).await?;
    let errors = check_draft(&f).await?;
    let mut page = draft_page(
        &staff,
        &session.data.csrf,
        (&doc, &view),
        paths::draft(id, language),
        &format!("Rediger utkast ({})", ui::language_name(language)),
        &f,
        &errors,
    );
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    if wants_preview(&f.handling) {
        page.preview_html = Some(rendering::render(f.body.clone(), language).await?.html);
        return Ok(page.respond());
    }
    let input = draft_update(&f);
    match editing::update_draft(state.store(), &caller, id, language, opt(&f.etag).as_deref(), input).await {
        Ok(outcome) => written(&state, &mut session, outcome, "Utkastet er lagret.".into()).await,
        Err(e) => page.refused(e),
    }
}

#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// `POST /redaksjon/dokumenter/{id}/utkast/{lang}/forkast`: throws the draft away.
pub async fn discard_draft(
    State(state): State<AppState>,
    Path((id, lang)): Path<(i32, String)>,
    form: CsrfForm<NoFields>,
) -> WebResult<Response> {
    let caller = form.editor()?;
    let language = parse_lang(&lang)?;
    let mut session = form.session;
    let outcome = editing::discard_draft(state.store(), &caller, id, language, None).await?;
    written(&state, &mut session, outcome, "Utkastet er forkastet.".into()).await
}

// ---------------------------------------------------------------------------------------------
// Publish

#[derive(Debug, Default, Deserialize)]
pub struct PublishQuery {
    pub lang: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub change_kind: String,
    #[serde(default)]
    pub change_note: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub published_on: String,
    #[serde(default)]
    pub normen_version: String,
    #[serde(default)]
    pub force_reason: String,
    #[serde(default)]
    pub etag: String,
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page built from the parts its handlers hold"
)]
fn publish_page(
    staff: &Staff,
    csrf: &str,
    doc: &DocumentRecord,
    view: &DocumentView,
    decisions: Vec<Choice>,
    approval: &ApprovalView,
    f: &PublishForm,
    errors: &Errors,
) -> FormPage {
    let lang_name = f.language.parse().map(ui::language_name).unwrap_or_default();
    let mut page = FormPage::new(
        layout(staff, "Publiser"),
        format!("Publiser utkastet ({lang_name})"),
        paths::publish(doc.id),
        csrf,
    );
    page.caption = Some(doc_caption(doc, view));
    page.back = Some(back_to(doc.id));
    // The numbers this publication would get, as `domain` gives them (a translation takes its
    // source's label; see `label_for_translation`).
    let current: Option<domain::VersionLabel> =
        view.summary.current_version.as_ref().and_then(|c| c.label.parse().ok());
    page.intro = vec![match current {
        _ if f.language != doc.language.as_str() => {
            "En oversettelse får samme versjonsnummer som versjonen den er oversatt fra, med mindre du oppgir et annet."
                .into()
        }
        Some(c) => match (c.next(ChangeKind::Substantive), c.next(ChangeKind::Editorial)) {
            (Ok(major), Ok(minor)) => format!(
                "Gjeldende versjon er {c}. En faglig endring gir versjon {major}, en redaksjonell endring versjon {minor}."
            ),
            _ => format!("Gjeldende versjon er {c}."),
        },
        None => "Dette blir første versjon (1.0).".into(),
    }];
    page.hidden = vec![("etag", f.etag.clone()), ("language", f.language.clone())];
    page.fields = vec![
        Field::new(
            "change_kind",
            "Type endring",
            Input::Radios(vec![
                Choice::new(
                    ChangeKind::Substantive.as_str(),
                    "Faglig endring – innholdet eller rådene er endret",
                ),
                Choice::new(
                    ChangeKind::Editorial.as_str(),
                    "Redaksjonell endring – språk, lenker, skrivefeil",
                ),
            ]),
            f.change_kind.clone(),
        ),
        Field::new(
            "change_note",
            "Endringer i denne versjonen",
            Input::TextArea(4),
            f.change_note.clone(),
        )
        .hint("Vises i versjonshistorikken, for eksempel «Oppdatert etter ny personopplysningslov»."),
        Field::new(
            "decision",
            "Godkjent i vedtak (valgfritt)",
            Input::Select(decisions),
            f.decision.clone(),
        )
        .hint("Vedtaket må være registrert først."),
        Field::new("label", "Versjonsnummer (valgfritt)", Input::Text, f.label.clone())
            .hint("Tomt gir neste nummer automatisk."),
        Field::new(
            "published_on",
            "Publiseringsdato (valgfritt)",
            Input::Date,
            f.published_on.clone(),
        )
        .hint("Tomt gir dagens dato."),
        Field::new(
            "normen_version",
            "Tilpasset Normen versjon (valgfritt)",
            Input::Text,
            f.normen_version.clone(),
        )
        .hint(match &doc.normen_version {
            Some(v) => format!("Dokumentet følger nå Normen {v}. Fyll ut når denne versjonen er tilpasset en ny Normen, for eksempel 7.0."),
            None => "Fyll ut når denne versjonen er tilpasset en bestemt Normen-versjon, for eksempel 7.0.".into(),
        }),
    ];
    let cleared = approval.state == DraftApproval::Approved;
    if cleared {
        page.intro.push(format!(
            "Utkastet er godkjent av {}.",
            approval.decided_by.as_deref().unwrap_or("en annen redaktør")
        ));
    } else if approval.required {
        page.intro.push(format!(
            "Denne dokumenttypen må godkjennes av en annen enn forfatteren før publisering. Status: {}.",
            ui::draft_approval_name(approval.state)
        ));
        if staff.user.role == Role::Admin {
            page.fields.push(
                Field::new(
                    "force_reason",
                    "Publiser uten godkjenning – begrunnelse (bare administrator)",
                    Input::Text,
                    f.force_reason.clone(),
                )
                .hint("Begrunnelsen lagres på versjonen og i loggen."),
            );
        }
    }
    errors.apply(&mut page.fields);
    page.submit = "Publiser".into();
    page
}

/// `GET /redaksjon/dokumenter/{id}/publiser?lang=nb`.
pub async fn publish_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i32>,
    Query(q): Query<PublishQuery>,
) -> WebResult<Response> {
    staff.editor()?;
    let (doc, view) = load(&state, id).await?;
    let language = match q.lang.as_deref() {
        Some(l) if !l.is_empty() => parse_lang(l)?,
        _ => doc.language,
    };
    if !view.drafts.contains(&language) {
        return Err(WebError::App(AppError::Conflict(format!(
            "document {id} has no draft in {language} to publish"
        ))));
    }
    let f = PublishForm {
        language: language.as_str().to_string(),
        etag: view.etag.clone(),
        ..Default::default()
    };
    let choices = decision_choices(&state.db).await?;
    let approval = approvals::status(&state.db, id, language).await?;
    Ok(publish_page(
        &staff,
        &staff.session.data.csrf,
        &doc,
        &view,
        choices,
        &approval,
        &f,
        &Errors::default(),
    )
    .respond())
}

/// `POST /redaksjon/dokumenter/{id}/publiser`.
pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<PublishForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let caller = staff.user.clone();
    let (doc, view) = load(&state, id).await?;
    let mut errors = Errors::default();
    let Ok(language) = f.language.parse::<Language>() else {
        return Err(WebError::App(AppError::BadRequest("unknown language".into())));
    };
    let published_on = parse_date(&mut errors, "published_on", &f.published_on);
    let input = editing::Publish {
        language: Some(f.language.clone()),
        change_note: f.change_note.clone(),
        change_kind: f.change_kind.clone(),
        label: opt(&f.label),
        decision: opt(&f.decision),
        published_on,
        normen_version: opt(&f.normen_version),
        force_reason: opt(&f.force_reason),
    };
    errors.add_field_errors(&editing::check_publish(&input, chrono::Utc::now().date_naive())?);
    let choices = decision_choices(&state.db).await?;
    let approval = approvals::status(&state.db, id, language).await?;
    let page = publish_page(&staff, &session.data.csrf, &doc, &view, choices, &approval, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match editing::publish(state.store(), &caller, id, opt(&f.etag).as_deref(), input).await {
        Ok(outcome) => {
            let label = outcome.published.map(|l| l.to_string()).unwrap_or_default();
            written(&state, &mut session, outcome, format!("Versjon {label} er publisert.")).await
        }
        Err(e) => page.refused(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Withdraw and reinstate

#[derive(Debug, Default, Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub withdrawn_on: String,
    /// "on" when nobody knows the date.
    #[serde(default)]
    pub date_unknown: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub successors: String,
    #[serde(default)]
    pub external_successors: String,
    #[serde(default)]
    pub etag: String,
}

fn withdraw_page(
    staff: &Staff,
    csrf: &str,
    doc: &DocumentRecord,
    view: &DocumentView,
    decisions: Vec<Choice>,
    f: &WithdrawForm,
    errors: &Errors,
) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Trekk tilbake"),
        "Trekk tilbake dokumentet (utgått)",
        paths::withdraw(doc.id),
        csrf,
    );
    page.caption = Some(doc_caption(doc, view));
    page.back = Some(back_to(doc.id));
    page.intro = vec![
        "Dokumentet blir liggende på sin adresse, merket «Utgått» med dato, begrunnelse, vedtak og hva som erstatter det.".into(),
    ];
    page.hidden = vec![("etag", f.etag.clone())];
    page.fields = vec![
        Field::new("reason", "Begrunnelse", Input::TextArea(4), f.reason.clone())
            .hint("Vises for alle på dokumentets side."),
        Field::new("decision", "Vedtak (valgfritt)", Input::Select(decisions), f.decision.clone())
            .hint("Vedtaket om sanering, hvis det er registrert."),
        Field::new("withdrawn_on", "Dato (valgfritt)", Input::Date, f.withdrawn_on.clone()).hint("Tomt gir dagens dato."),
        Field::new(
            "date_unknown",
            "Datoen er ukjent (sidene sier «dato ukjent»)",
            Input::Checkbox,
            f.date_unknown.clone(),
        ),
        Field::new("successors", "Erstattet av (valgfritt)", Input::TextArea(3), f.successors.clone()).hint(
            "Én per linje: adressen til et publisert dokument, for eksempel /faktaark/12 eller /veileder/internkontroll, eller et faktaarknummer.",
        ),
        Field::new(
            "external_successors",
            "Erstattet av noe utenfor registeret (valgfritt)",
            Input::TextArea(3),
            f.external_successors.clone(),
        )
        .hint("Én per linje: tittel, så adressen, for eksempel «Prosjektveiviseren (Digdir) https://www.digdir.no/…»."),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Trekk tilbake".into();
    page.danger = true;
    page
}

/// Reads replacements outside the registry, one a line: a title, then its address.
fn external_successors(text: &str, errors: &mut Errors) -> Vec<editing::ExternalSuccessor> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let at = line.rfind("https://").or_else(|| line.rfind("http://"));
        match at {
            Some(i) if !line[..i].trim().is_empty() => out.push(editing::ExternalSuccessor {
                title: line[..i].trim().trim_end_matches(['–', '-', ':', '|']).trim().to_string(),
                url: line[i..].trim().to_string(),
            }),
            _ => errors.add(
                "external_successors",
                format!("Skriv tittelen og så adressen på linjen «{line}», for eksempel «Prosjektveiviseren https://www.digdir.no/…»."),
            ),
        }
    }
    out
}

/// Finds the published documents a successor list names (addresses or fact-sheet numbers).
async fn resolve_successors(state: &AppState, text: &str, errors: &mut Errors) -> AppResult<Vec<i32>> {
    let mut ids = Vec::new();
    for line in text
        .lines()
        .flat_map(|l| l.split(','))
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        match crate::web::views::named_document(&state.db, line).await? {
            Some(id) => ids.push(id),
            None => errors.add(
                "successors",
                format!("Fant ikke et gjeldende dokument for «{line}». Skriv for eksempel /faktaark/12."),
            ),
        }
    }
    Ok(ids)
}

/// `GET /redaksjon/dokumenter/{id}/trekk-tilbake`.
pub async fn withdraw_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    staff.editor()?;
    let (doc, view) = load(&state, id).await?;
    let f = WithdrawForm {
        etag: view.etag.clone(),
        ..Default::default()
    };
    let choices = decision_choices(&state.db).await?;
    Ok(withdraw_page(
        &staff,
        &staff.session.data.csrf,
        &doc,
        &view,
        choices,
        &f,
        &Errors::default(),
    )
    .respond())
}

/// `POST /redaksjon/dokumenter/{id}/trekk-tilbake`.
pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<WithdrawForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let caller = staff.user.clone();
    let (doc, view) = load(&state, id).await?;
    let mut errors = Errors::default();
    let withdrawn_on = parse_date(&mut errors, "withdrawn_on", &f.withdrawn_on);
    let successors = resolve_successors(&state, &f.successors, &mut errors).await?;
    if successors.contains(&id) {
        errors.add("successors", "Et dokument kan ikke erstatte seg selv");
    }
    let external_successors = external_successors(&f.external_successors, &mut errors);
    let input = editing::Withdraw {
        resolves: Vec::new(),
        external_successors,
        reason: f.reason.clone(),
        withdrawn_on,
        date_unknown: !f.date_unknown.is_empty(),
        decision: opt(&f.decision),
        successors,
    };
    errors.add_field_errors_asking(
        &editing::check_withdraw(&input, chrono::Utc::now().date_naive())?,
        &[("reason", "Skriv hvorfor dokumentet går ut")],
    );
    let choices = decision_choices(&state.db).await?;
    let page = withdraw_page(&staff, &session.data.csrf, &doc, &view, choices, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match editing::withdraw(state.store(), &caller, id, opt(&f.etag).as_deref(), input).await {
        Ok(outcome) => {
            written(
                &state,
                &mut session,
                outcome,
                "Dokumentet er trukket tilbake og merket utgått.".into(),
            )
            .await
        }
        Err(e) => page.refused(e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ReinstateForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub etag: String,
}

fn reinstate_page(
    staff: &Staff,
    csrf: &str,
    doc: &DocumentRecord,
    view: &DocumentView,
    f: &ReinstateForm,
    errors: &Errors,
) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Gjeninnsett"),
        "Gjeninnsett dokumentet",
        paths::reinstate(doc.id),
        csrf,
    );
    page.caption = Some(doc_caption(doc, view));
    page.back = Some(back_to(doc.id));
    page.intro = vec!["Dokumentet blir gjeldende igjen, og koblingene til det som erstattet det fjernes.".into()];
    page.hidden = vec![("etag", f.etag.clone())];
    page.fields = vec![Field::new(
        "reason",
        "Begrunnelse",
        Input::TextArea(4),
        f.reason.clone(),
    )];
    errors.apply(&mut page.fields);
    page.submit = "Gjeninnsett".into();
    page
}

/// `GET /redaksjon/dokumenter/{id}/gjeninnsett`.
pub async fn reinstate_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    staff.editor()?;
    let (doc, view) = load(&state, id).await?;
    let f = ReinstateForm {
        etag: view.etag.clone(),
        ..Default::default()
    };
    Ok(reinstate_page(&staff, &staff.session.data.csrf, &doc, &view, &f, &Errors::default()).respond())
}

/// `POST /redaksjon/dokumenter/{id}/gjeninnsett`.
pub async fn reinstate(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<ReinstateForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let caller = staff.user.clone();
    let (doc, view) = load(&state, id).await?;
    let input = editing::Reinstate {
        reason: f.reason.clone(),
    };
    let mut errors = Errors::default();
    errors.add_field_errors_asking(
        &editing::check_reinstate(&input)?,
        &[("reason", "Skriv hvorfor dokumentet gjeninnsettes")],
    );
    let page = reinstate_page(&staff, &session.data.csrf, &doc, &view, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match editing::reinstate(state.store(), &caller, id, opt(&f.etag).as_deref(), input).await {
        Ok(outcome) => written(&state, &mut session, outcome, "Dokumentet er gjeninnsatt.".into()).await,
        Err(e) => page.refused(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Translations

#[derive(Debug, Default, Deserialize)]
pub struct TranslationForm {
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub source_label: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub etag: String,
    #[serde(default)]
    pub handling: String,
}

fn translation_page(
    staff: &Staff,
    csrf: &str,
    doc: &DocumentRecord,
    view: &DocumentView,
    sources: Vec<Choice>,
    f: &TranslationForm,
    errors: &Errors,
) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Ny oversettelse"),
        "Legg til en oversettelse",
        paths::translation(doc.id),
        csrf,
    );
    page.caption = Some(doc_caption(doc, view));
    page.back = Some(back_to(doc.id));
    page.intro = vec![
        "Oversettelsen blir et utkast som bygger på den versjonen du velger. Når originalteksten senere endres faglig, vises oversettelsen som utdatert.".into(),
    ];
    page.hidden = vec![("etag", f.etag.clone())];
    page.fields = vec![
        Field::new(
            "language",
            "Språk",
            Input::Radios(language_choices(Some(doc.language))),
            f.language.clone(),
        ),
        Field::new(
            "source_label",
            "Oversatt fra versjon",
            Input::Select(sources),
            f.source_label.clone(),
        ),
        Field::new("title", "Tittel", Input::Text, f.title.clone()),
        Field::new(
            "summary",
            "Sammendrag (valgfritt)",
            Input::TextArea(3),
            f.summary.clone(),
        ),
        Field::new("body", "Tekst (Markdown)", Input::TextArea(20), f.body.clone()).code(),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Lagre oversettelse som utkast".into();
    page.preview_button = true;
    page
}

async fn source_choices(state: &AppState, doc: &DocumentRecord) -> AppResult<Vec<Choice>> {
    Ok(documents::list_versions(&state.db, doc, Some(doc.language), false)
        .await?
        .into_iter()
        .rev()
        .filter_map(|v| {
            let l = v.label?;
            let date = ui::format_opt_date(v.published_on, "nb");
            Some(Choice::new(l.clone(), format!("{l} ({date})")))
        })
        .collect())
}

/// `GET /redaksjon/dokumenter/{id}/oversettelse`.
pub async fn translation_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    staff.editor()?;
    let (doc, view) = load(&state, id).await?;
    let sources = source_choices(&state, &doc).await?;
    let f = TranslationForm {
        language: match doc.language {
            Language::En => Language::Nb,
            Language::Nb | Language::Nn => Language::En,
        }
        .as_str()
        .into(),
        source_label: sources.first().map(|c| c.value.clone()).unwrap_or_default(),
        etag: view.etag.clone(),
        ..Default::default()
    };
    Ok(translation_page(
        &staff,
        &staff.session.data.csrf,
        &doc,
        &view,
        sources,
        &f,
        &Errors::default(),
    )
    .respond())
}

/// `POST /redaksjon/dokumenter/{id}/oversettelse`.
pub async fn add_translation(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<TranslationForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let caller = staff.user.clone();
    let (doc, view) = load(&state, id).await?;
    let sources = source_choices(&state, &doc).await?;
    let mut errors = Errors::default();
    match f.language.parse::<Language>() {
        Ok(l) if l != doc.language => {}
        _ => errors.add("language", "Velg et annet språk enn originalens"),
    }
    if !sources.iter().any(|c| c.value == f.source_label) {
        errors.add("source_label", "Velg hvilken publisert versjon som er oversatt");
    }
    // The form asks more than the API: a translation made here has a text.
    if f.body.trim().is_empty() {
        errors.add("body", "Skriv den oversatte teksten");
    }
    let input = editing::NewTranslation {
        language: f.language.clone(),
        source_label: f.source_label.clone(),
        title: f.title.clone(),
        summary: f.summary.clone(),
        body: f.body.clone(),
    };
    errors.add_field_errors(&editing::check_new_translation(&input).await?);
    let mut page = translation_page(&staff, &session.data.csrf, &doc, &view, sources, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    if wants_preview(&f.handling) {
        page.preview_html = Some(
            rendering::render(f.body.clone(), f.language.parse().unwrap_or(Language::Nb))
                .await?
                .html,
        );
        return Ok(page.respond());
    }
    match editing::add_translation(state.store(), &caller, id, opt(&f.etag).as_deref(), input).await {
        Ok(outcome) => {
            written(
                &state,
                &mut session,
                outcome,
                format!(
                    "Oversettelsen ({}) er lagret som utkast. Publiser den når den er klar.",
                    f.language.parse().map(ui::language_name).unwrap_or_default()
                ),
            )
            .await
        }
        Err(e) => page.refused(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Corrections to the document's own facts

#[derive(Debug, Default, Deserialize)]
pub struct DocumentChangeForm {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub normen_version: String,
    #[serde(default)]
    pub review_interval_months: String,
    #[serde(default)]
    pub etag: String,
}

fn change_page(
    staff: &Staff,
    csrf: &str,
    doc: &DocumentRecord,
    view: &DocumentView,
    f: &DocumentChangeForm,
    errors: &Errors,
) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Rett opplysninger"),
        "Rett dokumentets opplysninger",
        paths::change_document(doc.id),
        csrf,
    );
    page.caption = Some(doc_caption(doc, view));
    page.back = Some(back_to(doc.id));
    page.intro =
        vec!["Endres nummer eller adresse, svarer den gamle adressen med en varig videresending til den nye.".into()];
    page.hidden = vec![("etag", f.etag.clone())];
    let mut fields = Vec::new();
    if doc.kind == DocumentKind::FactSheet {
        fields.push(Field::new("number", "Nummer", Input::Text, f.number.clone()));
    }
    fields.push(
        Field::new("slug", "Adressenavn", Input::Text, f.slug.clone())
            .hint("Små bokstaver a–z, sifre og bindestrek. Brukes i adressen til dokumenter uten nummer."),
    );
    fields.push(
        Field::new(
            "normen_version",
            "Tilpasset Normen versjon",
            Input::Text,
            f.normen_version.clone(),
        )
        .hint("For eksempel 7.0."),
    );
    fields.push(
        Field::new(
            "review_interval_months",
            "Vurderes hver (måneder)",
            Input::Text,
            f.review_interval_months.clone(),
        )
        .hint(format!("1 til {} måneder.", domain::MAX_REVIEW_INTERVAL_MONTHS)),
    );
    page.fields = fields;
    errors.apply(&mut page.fields);
    page.submit = "Lagre".into();
    page
}

/// `GET /redaksjon/dokumenter/{id}/rediger`.
pub async fn change_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    staff.editor()?;
    let (doc, view) = load(&state, id).await?;
    let f = DocumentChangeForm {
        number: doc.number.clone().unwrap_or_default(),
        slug: doc.slug.clone(),
        normen_version: doc.normen_version.clone().unwrap_or_default(),
        review_interval_months: doc.review_interval_months.to_string(),
        etag: view.etag.clone(),
    };
    Ok(change_page(&staff, &staff.session.data.csrf, &doc, &view, &f, &Errors::default()).respond())
}

/// `POST /redaksjon/dokumenter/{id}/rediger`: sends only what changed.
pub async fn change_document(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<DocumentChangeForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let (doc, view) = load(&state, id).await?;
    let mut errors = Errors::default();
    let changed = |new: &str, old: Option<&str>| opt(new).filter(|n| Some(n.as_str()) != old);
    let interval = match opt(&f.review_interval_months) {
        None => None,
        Some(m) => {
            if let Ok(m) = m.parse::<i64>() {
                Some(m).filter(|m| u32::try_from(*m).ok() != Some(doc.review_interval_months))
            } else {
                errors.add(
                    "review_interval_months",
                    "Skriv antall måneder som et tall, for eksempel 36",
                );
                None
            }
        }
    };
    let input = editing::DocumentChange {
        number: changed(&f.number, doc.number.as_deref()),
        slug: changed(&f.slug, Some(doc.slug.as_str())),
        normen_version: changed(&f.normen_version, doc.normen_version.as_deref()),
        review_interval_months: interval,
    };
    errors.add_field_errors(&editing::check_document_change(&input)?);
    let page = change_page(&staff, &session.data.csrf, &doc, &view, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match editing::change_document(state.store(), &staff.user, id, opt(&f.etag).as_deref(), input).await {
        Ok(outcome) => written(&state, &mut session, outcome, "Opplysningene er rettet.".into()).await,
        Err(AppError::Conflict(m)) if m.contains(editing::NUMBER_TAKEN) => {
            errors.add(
                "number",
                "Det finnes allerede et faktaark med dette nummeret. Innledende nuller og store/små bokstaver teller ikke: 037 er det samme som 37.",
            );
            Ok(change_page(&staff, &session.data.csrf, &doc, &view, &f, &errors).respond())
        }
        Err(e) => page.refused(e),
    }
}

/// The relation-removal button's fields.
#[derive(Debug, Default, Deserialize)]
pub struct RemoveRelationForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub etag: String,
}

/// `POST /redaksjon/dokumenter/{id}/relasjoner/fjern`.
pub async fn remove_relation(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<RemoveRelationForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let bad = |what: &str| WebError::App(AppError::BadRequest(format!("unknown {what}")));
    let kind: domain::RelationKind = f.kind.parse().map_err(|_| bad("relation kind"))?;
    let to: i32 = f.to.trim().parse().map_err(|_| bad("document"))?;
    let outcome = editing::remove_relation(state.store(), &staff.user, id, opt(&f.etag).as_deref(), kind, to).await?;
    written(&state, &mut session, outcome, "Relasjonen er fjernet.".into()).await
}
