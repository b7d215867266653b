//! Approval in the workspace: a draft's approval page (its state, a one-click comparison with
//! the current version, the comments by section, and the forms to submit, approve, send back
//! and comment). Reviewers comment; editors and admins submit and decide, never on their own
//! draft.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::domain::{DocumentKind, DraftApproval, Language, Role};
use crate::error::AppError;
use crate::services::approvals::{self, NewComment, Submission, Verdict};
use crate::services::documents;
use crate::state::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::extract::{CsrfForm, Path, Staff, StaffPost};
use crate::web::forms::{Field, FormPage, Input, explain, message};
use crate::web::paths;
use crate::web::ui::{self, Layout, NB};
use crate::web::views::{CommentLine, comment_lines};
use crate::web::workspace::{self, layout};

#[derive(Template)]
#[template(path = "workspace/approval.html")]
struct ApprovalPage {
    layout: Layout,
    flash: Option<String>,
    error: Option<String>,
    id: i32,
    caption: String,
    language_name: &'static str,
    state: &'static str,
    required: bool,
    history: Vec<String>,
    compare_url: Option<String>,
    draft_url: String,
    action: String,
    csrf: String,
    etag: String,
    can_submit: bool,
    can_decide: bool,
    sections: Vec<String>,
    comments: Vec<CommentLine>,
}

/// The form fields of every action on the page.
#[derive(Debug, Default, Deserialize)]
pub struct ApprovalForm {
    /// `send`, `godkjenn`, `tilbake` or `kommenter`.
    #[serde(default)]
    pub handling: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub etag: String,
}

/// The Norwegian words for a refusal on this page.
fn refusal(e: &AppError) -> Option<String> {
    match e {
        AppError::Forbidden(_) => {
            Some("Du er forfatter av utkastet eller har sendt det inn, og kan ikke godkjenne eller sende det tilbake selv. En annen redaktør må gjøre det.".into())
        }
        AppError::Field(fe) => Some(message(fe)),
        AppError::Conflict(m) | AppError::PreconditionFailed(m) | AppError::Invalid(m) => Some(explain(e.status(), m)),
        _ => None,
    }
}

async fn page(
    state: &AppState,
    staff: &Staff,
    id: i32,
    language: Language,
    flash: Option<String>,
    error: Option<String>,
) -> WebResult<ApprovalPage> {
    let view = approvals::status(&state.db, id, language).await?;
    let doc = documents::staff_view(&state.db, id).await?;
    let name = ui::document_label(&NB, doc.summary.kind, doc.summary.number.as_deref());
    let me = &staff.user.name;
    let mut history = Vec::new();
    if let (Some(by), Some(at)) = (&view.submitted_by, view.submitted_at) {
        history.push(format!(
            "Sendt til godkjenning av {by} {}.",
            ui::format_date(at.date_naive(), "nb")
        ));
        if !view.note.is_empty() {
            history.push(format!("Merknad: {}", view.note));
        }
    }
    if let (Some(by), Some(at)) = (&view.decided_by, view.decided_at) {
        let what = if view.state == DraftApproval::Returned {
            "Sendt tilbake"
        } else {
            "Behandlet"
        };
        history.push(format!("{what} av {by} {}.", ui::format_date(at.date_naive(), "nb")));
        if !view.comment.is_empty() {
            history.push(format!("Kommentar: {}", view.comment));
        }
    }
    let writer = staff.user.role.can_write();
    let is_author = *me == view.author || view.submitted_by.as_deref() == Some(me.as_str());
    // The current version in this language, if there is one, against the draft.
    let current = doc
        .summary
        .current_version
        .as_ref()
        .filter(|_| language == doc.summary.language)
        .map(|c| c.label.clone());
    Ok(ApprovalPage {
        layout: layout(staff, format!("Godkjenning: {name}")),
        flash,
        error,
        id,
        caption: format!("{name}: {}", doc.summary.title),
        language_name: ui::language_name(language),
        state: ui::draft_approval_name(view.state),
        required: view.required,
        history,
        compare_url: current.map(|l| format!("{}?fra={l}&til=draft&lang={language}", paths::compare(id))),
        draft_url: paths::draft(id, language),
        action: paths::approval(id, language),
        csrf: staff.session.data.csrf.clone(),
        etag: view.etag.clone(),
        can_submit: writer
            && matches!(
                view.state,
                DraftApproval::NotSubmitted | DraftApproval::Returned | DraftApproval::ChangedSinceSubmitted
            ),
        can_decide: writer && !is_author && view.state == DraftApproval::Pending,
        sections: view.sections.clone(),
        comments: comment_lines(&view),
    })
}

fn parse_lang(lang: &str) -> WebResult<Language> {
    lang.parse()
        .map_err(|_| WebError::App(AppError::not_found(format!("language {lang:?}"))))
}

/// `GET /redaksjon/dokumenter/{id}/utkast/{lang}/godkjenning`.
pub async fn approval_page(
    State(state): State<AppState>,
    mut staff: Staff,
    Path((id, lang)): Path<(i32, String)>,
) -> WebResult<Response> {
    let language = parse_lang(&lang)?;
    let flash = workspace::take_flash(&state, &mut staff.session).await?;
    let p = page(&state, &staff, id, language, flash, None).await?;
    Ok(ui::render(StatusCode::OK, &p))
}

/// `POST /redaksjon/dokumenter/{id}/utkast/{lang}/godkjenning`: one of the page's actions.
pub async fn approval_action(
    State(state): State<AppState>,
    Path((id, lang)): Path<(i32, String)>,
    form: CsrfForm<ApprovalForm>,
) -> WebResult<Response> {
    let language = parse_lang(&lang)?;
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_staff_post()?;
    let etag = Some(f.etag.trim()).filter(|e| !e.is_empty());
    let db = &state.db;
    let user = &staff.user;
    let (result, done) = match f.handling.as_str() {
        "send" => {
            crate::auth::require_writer(user)?;
            let r = approvals::submit(db, user, id, language, etag, Submission { note: f.note.clone() }).await;
            (r, "Utkastet er sendt til godkjenning.")
        }
        "godkjenn" => {
            crate::auth::require_writer(user)?;
            let v = Verdict {
                comment: f.comment.clone(),
            };
            (
                approvals::decide(db, user, id, language, etag, v, true).await,
                "Utkastet er godkjent og kan publiseres.",
            )
        }
        "tilbake" => {
            crate::auth::require_writer(user)?;
            let v = Verdict {
                comment: f.comment.clone(),
            };
            (
                approvals::decide(db, user, id, language, etag, v, false).await,
                "Utkastet er sendt tilbake til forfatteren.",
            )
        }
        "kommenter" => {
            let c = NewComment {
                section: f.section.clone(),
                body: f.body.clone(),
            };
            (
                approvals::comment(db, user, id, language, c).await,
                "Kommentaren er lagret.",
            )
        }
        other => {
            return Err(WebError::App(AppError::BadRequest(format!("unknown action {other:?}"))));
        }
    };
    match result {
        Ok(_) => {
            workspace::redirect_with_flash(&state, &mut session, done.into(), &paths::approval(id, language)).await
        }
        Err(e) => match refusal(&e) {
            Some(text) => {
                let p = page(&state, &staff, id, language, None, Some(text)).await?;
                Ok(ui::render(e.status(), &p))
            }
            None => Err(WebError::App(e)),
        },
    }
}

/// The approval rules' checkboxes, one per kind.
#[derive(Debug, Default, Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    pub fact_sheet: String,
    #[serde(default)]
    pub guide: String,
    #[serde(default)]
    pub norm: String,
    #[serde(default)]
    pub template: String,
    #[serde(default)]
    pub other: String,
}

impl RulesForm {
    fn ticked(&self, kind: DocumentKind) -> bool {
        let value = match kind {
            DocumentKind::FactSheet => &self.fact_sheet,
            DocumentKind::Guide => &self.guide,
            DocumentKind::Norm => &self.norm,
            DocumentKind::Template => &self.template,
            DocumentKind::Other => &self.other,
        };
        value == "on"
    }
}

fn rules_page(staff: &Staff, required: &[String]) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Godkjenning før publisering"),
        "Godkjenning før publisering",
        paths::APPROVAL_RULES,
        &staff.session.data.csrf,
    );
    page.intro = vec![
        "Utkast av de avkryssede dokumenttypene må godkjennes av en annen enn forfatteren før de kan publiseres. En administrator kan publisere uten godkjenning med en begrunnelse.".into(),
    ];
    page.fields = DocumentKind::ALL
        .iter()
        .map(|k| {
            let on = required.iter().any(|r| r == k.as_str());
            Field::new(
                k.as_str(),
                NB.kind_name(*k),
                Input::Checkbox,
                if on { "on" } else { "" },
            )
        })
        .collect();
    page.submit = "Lagre".into();
    page
}

fn admin_only(staff: &Staff) -> WebResult<()> {
    if staff.user.role != Role::Admin {
        return Err(AppError::Forbidden("only admins set which kinds need approval".into()).into());
    }
    Ok(())
}

/// `GET /redaksjon/godkjenningsregler` (admins).
pub async fn rules_form(State(state): State<AppState>, mut staff: Staff) -> WebResult<Response> {
    admin_only(&staff)?;
    let flash = workspace::take_flash(&state, &mut staff.session).await?;
    let rules = approvals::rules(&state.db).await?;
    let mut page = rules_page(&staff, &rules.required_for);
    if let Some(f) = flash {
        page.intro.insert(0, f);
    }
    Ok(page.respond())
}

/// `POST /redaksjon/godkjenningsregler` (admins).
pub async fn set_rules(State(state): State<AppState>, form: CsrfForm<RulesForm>) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_staff_post()?;
    admin_only(&staff)?;
    let required_for = DocumentKind::ALL
        .iter()
        .filter(|k| f.ticked(**k))
        .map(|k| k.as_str().to_string())
        .collect();
    approvals::set_rules(&state.db, &staff.user.name, &approvals::ApprovalRules { required_for }).await?;
    workspace::redirect_with_flash(&state, &mut session, "Reglene er lagret.".into(), paths::APPROVAL_RULES).await
}
