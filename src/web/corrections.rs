//! Correcting records in the workspace: a decision's title and outcome, an open revision
//! need's facts and half-year, and a law change or outside report recorded once with a
//! revision need on each document it affects. Each form checks with the same `check_*`
//! function as the API, shows every error by its field, and sends `If-Match`.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use crate::domain::RevisionKind;
use crate::services::corrections::{self, DecisionChange, NeedChange};
use crate::services::revision_sources::{self, NewSource, SourceTarget};
use crate::services::{decisions, revision_needs};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::{CsrfForm, Path, Staff, StaffPost};
use crate::web::forms::{Choice, Errors, Field, FormPage, Input};
use crate::web::paths;
use crate::web::ui;
use crate::web::workspace::{self, layout};

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Decisions

#[derive(Debug, Default, Deserialize)]
pub struct DecisionChangeForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub etag: String,
}

fn decision_page(staff: &Staff, id: i32, case: &str, f: &DecisionChangeForm, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, format!("Rett sak {case}")),
        format!("Rett sak {case}"),
        paths::change_decision(id),
        &staff.session.data.csrf,
    );
    page.back = Some((paths::DECISIONS.into(), "Alle vedtak".into()));
    page.intro = vec!["Rettelsen lagres i loggen med teksten slik den var.".into()];
    page.hidden = vec![("etag", f.etag.clone())];
    page.fields = vec![
        Field::new("title", "Sakens tittel", Input::Text, f.title.clone()),
        Field::new("outcome", "Vedtak", Input::TextArea(5), f.outcome.clone()).hint("Vedtaket slik det ble fattet."),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Lagre rettelsen".into();
    page
}

/// `GET /redaksjon/vedtak/{id}/rediger`.
pub async fn decision_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    staff.editor()?;
    let d = decisions::get(&state.db, id).await?;
    let f = DecisionChangeForm {
        title: d.title,
        outcome: d.outcome,
        etag: d.etag,
    };
    Ok(decision_page(&staff, id, &d.case_number, &f, &Errors::default()).respond())
}

/// `POST /redaksjon/vedtak/{id}/rediger`.
pub async fn change_decision(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<DecisionChangeForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let d = decisions::get(&state.db, id).await?;
    let input = DecisionChange {
        title: Some(f.title.clone()),
        outcome: Some(f.outcome.clone()),
    };
    let mut errors = Errors::default();
    errors.add_field_errors_asking(
        &corrections::check_decision_change(&input)?,
        &[("title", "Skriv sakens tittel")],
    );
    let page = decision_page(&staff, id, &d.case_number, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match corrections::change_decision(&state.db, &staff.user, id, opt(&f.etag).as_deref(), input).await {
        Ok(d) => {
            let message = format!("Sak {} er rettet.", d.case_number);
            workspace::redirect_with_flash(&state, &mut session, message, paths::DECISIONS).await
        }
        Err(e) => page.refused(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Revision needs

#[derive(Debug, Default, Deserialize)]
pub struct NeedChangeForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub origin_reference: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub public: String,
    #[serde(default)]
    pub etag: String,
}

fn priority_choices() -> Vec<Choice> {
    vec![
        Choice::new("1", "1 (høyest)"),
        Choice::new("2", "2"),
        Choice::new("3", "3 (lavest)"),
    ]
}

fn need_page(staff: &Staff, id: i32, f: &NeedChangeForm, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Rett revisjonsbehov"),
        "Rett revisjonsbehovet",
        paths::change_need(id),
        &staff.session.data.csrf,
    );
    page.back = Some((paths::need(id), "Tilbake til revisjonsbehovet".into()));
    page.intro = vec!["Et planlagt behov kan flyttes til et annet halvår her; status endres på behovets side.".into()];
    page.hidden = vec![("etag", f.etag.clone())];
    page.fields = vec![
        Field::new("title", "Tittel", Input::Text, f.title.clone()),
        Field::new("description", "Beskrivelse", Input::TextArea(4), f.description.clone()),
        Field::new("section", "Avsnitt (valgfritt)", Input::Text, f.section.clone())
            .hint("For eksempel 3.2 Tilgangskontroll. Tomt fjerner avsnittet."),
        Field::new(
            "priority",
            "Prioritet",
            Input::Select(priority_choices()),
            f.priority.clone(),
        ),
        Field::new(
            "origin_reference",
            "Avsender eller referanse",
            Input::Text,
            f.origin_reference.clone(),
        )
        .hint("For en ekstern melding: hvem og hvilket brev."),
        Field::new("period", "Handlingsplanperiode", Input::Text, f.period.clone()).hint("For eksempel 2026-H2."),
        Field::new(
            "public",
            "Vises offentlig som kjent feil eller planlagt endring",
            Input::Checkbox,
            f.public.clone(),
        ),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Lagre rettelsen".into();
    page
}

/// `GET /redaksjon/revisjonsbehov/{id}/rediger`.
pub async fn need_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i32>) -> WebResult<Response> {
    staff.editor()?;
    let n = revision_needs::get(&state.db, id).await?;
    let f = NeedChangeForm {
        title: n.title,
        description: n.description,
        section: n.section.unwrap_or_default(),
        priority: n.priority.to_string(),
        origin_reference: n.origin_reference.unwrap_or_default(),
        period: n.period.unwrap_or_default(),
        public: if n.public { "on".into() } else { String::new() },
        etag: n.etag,
    };
    Ok(need_page(&staff, id, &f, &Errors::default()).respond())
}

/// `POST /redaksjon/revisjonsbehov/{id}/rediger`.
pub async fn change_need(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    form: CsrfForm<NeedChangeForm>,
) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let mut errors = Errors::default();
    let priority = f.priority.trim().parse::<i32>().ok();
    if priority.is_none() {
        errors.add("priority", "Velg prioritet 1, 2 eller 3");
    }
    let input = NeedChange {
        title: Some(f.title.clone()),
        description: Some(f.description.clone()),
        section: Some(f.section.clone()),
        priority,
        origin_body: None,
        origin_reference: opt(&f.origin_reference),
        period: opt(&f.period),
        public: Some(f.public == "on"),
    };
    errors.add_field_errors(&corrections::check_need_change(&input)?);
    let page = need_page(&staff, id, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match corrections::change_need(&state.db, &staff.user, id, opt(&f.etag).as_deref(), input).await {
        Ok(_) => {
            workspace::redirect_with_flash(
                &state,
                &mut session,
                "Revisjonsbehovet er rettet.".into(),
                &paths::need(id),
            )
            .await
        }
        Err(e) => page.refused(e),
    }
}

// ---------------------------------------------------------------------------------------------
// One source, many documents

#[derive(Debug, Default, Deserialize)]
pub struct SourceForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub targets: String,
}

fn source_page(staff: &Staff, f: &SourceForm, errors: &Errors) -> FormPage {
    let mut page = FormPage::new(
        layout(staff, "Ny lovendring eller ekstern kilde"),
        "Registrer en lovendring eller ekstern kilde",
        paths::NEW_SOURCE,
        &staff.session.data.csrf,
    );
    page.back = Some((paths::NEEDS.into(), "Alle revisjonsbehov".into()));
    page.intro = vec![
        "Kilden registreres én gang, og hvert dokument den berører får et revisjonsbehov som viser tilbake til den."
            .into(),
    ];
    let kinds = RevisionKind::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), ui::revision_kind_name(*k)))
        .collect();
    page.fields = vec![
        Field::new("title", "Hva er endret", Input::Text, f.title.clone())
            .hint("For eksempel «Endringer i pasientjournalloven»."),
        Field::new("reference", "Referanse", Input::Text, f.reference.clone())
            .hint("Hvem og hvilket dokument, for eksempel Prop. 152 L (2024–2025) eller «Brev fra Bufdir»."),
        Field::new("url", "Lenke (valgfritt)", Input::Text, f.url.clone()).hint("En https://-adresse."),
        Field::new("description", "Hva kilden sier (valgfritt)", Input::TextArea(4), f.description.clone()),
        Field::new("kind", "Type revisjon", Input::Select(kinds), f.kind.clone()),
        Field::new("targets", "Dokumenter som berøres", Input::TextArea(5), f.targets.clone()).hint(
            "Ett per linje: adressen eller faktaarknummeret, eventuelt med avsnitt etter |, for eksempel «/faktaark/12 | 3.2 Tilgang».",
        ),
    ];
    errors.apply(&mut page.fields);
    page.submit = "Registrer og opprett revisjonsbehov".into();
    page
}

/// `GET /redaksjon/kilder/ny`.
pub async fn source_form(staff: Staff) -> WebResult<Response> {
    staff.editor()?;
    let f = SourceForm {
        kind: RevisionKind::LegalChange.as_str().into(),
        ..Default::default()
    };
    Ok(source_page(&staff, &f, &Errors::default()).respond())
}

/// `POST /redaksjon/kilder/ny`.
pub async fn record_source(State(state): State<AppState>, form: CsrfForm<SourceForm>) -> WebResult<Response> {
    let StaffPost {
        staff,
        mut session,
        form: f,
    } = form.into_editor_post()?;
    let mut errors = Errors::default();
    let mut targets = Vec::new();
    for line in f
        .targets
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(revision_sources::MAX_TARGETS + 1)
    {
        let (name, section) = match line.split_once('|') {
            Some((n, s)) => (n.trim(), opt(s)),
            None => (line, None),
        };
        match crate::web::views::named_document(&state.db, name).await? {
            Some(document_id) => targets.push(SourceTarget { document_id, section }),
            None => errors.add(
                "targets",
                format!("Fant ikke et gjeldende dokument for «{name}». Skriv for eksempel /faktaark/12."),
            ),
        }
    }
    let input = NewSource {
        title: f.title.clone(),
        reference: f.reference.clone(),
        url: opt(&f.url),
        description: f.description.clone(),
        kind: opt(&f.kind),
        priority: None,
        targets,
    };
    if errors.is_empty() {
        errors.add_field_errors_asking(
            &revision_sources::check_new_source(&input)?,
            &[
                ("title", "Skriv hva som er endret"),
                ("targets", "Skriv minst ett dokument, ett per linje"),
            ],
        );
    }
    let page = source_page(&staff, &f, &errors);
    if !errors.is_empty() {
        return Ok(page.respond());
    }
    match revision_sources::record(&state.db, &staff.user, input).await {
        Ok(s) => {
            let message = format!("«{}» er registrert med {} revisjonsbehov.", s.title, s.needs.len());
            workspace::redirect_with_flash(&state, &mut session, message, paths::NEEDS).await
        }
        Err(e) => page.refused(e),
    }
}
