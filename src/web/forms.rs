//! One way to draw a form: handlers describe the fields, `templates/form.html` draws them with
//! labels, hints, an error summary at the top and each message next to its field (the GOV.UK
//! pattern), so every form re-renders the same way with the user's input kept.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;

use crate::domain::{Fault, FieldError};
use crate::error::{AppError, AppResult};
use crate::web::error::{WebError, WebResult};
use crate::web::ui::{self, Layout};

/// How a field is entered.
pub enum Input {
    Text,
    Password,
    Date,
    TextArea(u32),
    Select(Vec<Choice>),
    Radios(Vec<Choice>),
    Checkbox,
}

/// One option of a select or radio group.
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// One field with its current value and error.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub input: Input,
    pub value: String,
    pub error: Option<String>,
    pub autocomplete: Option<&'static str>,
    /// Marks Markdown fields, which get a monospace font.
    pub code: bool,
}

impl Field {
    pub fn new(name: &'static str, label: impl Into<String>, input: Input, value: impl Into<String>) -> Self {
        Field {
            name,
            label: label.into(),
            hint: None,
            input,
            value: value.into(),
            error: None,
            autocomplete: None,
            code: false,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn autocomplete(mut self, a: &'static str) -> Self {
        self.autocomplete = Some(a);
        self
    }

    pub fn code(mut self) -> Self {
        self.code = true;
        self
    }

    /// Whether `value` is the chosen option of a select or radio group.
    pub fn is_chosen(&self, value: &str) -> bool {
        self.value == value
    }

    /// The `aria-describedby` ids of the hint and error.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("f-{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("f-{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// Validation messages by field name, in bokmål.
#[derive(Default)]
pub struct Errors(Vec<(&'static str, String)>);

impl Errors {
    /// Puts each field error by its field, in bokmål (the first message of a field wins).
    pub fn add_field_errors(&mut self, errors: &[FieldError]) {
        self.add_field_errors_asking(errors, &[]);
    }

    /// As [`Errors::add_field_errors`], with the form's own question for an empty field
    /// (`asking` pairs a field with it), where the form knows better what to ask.
    pub fn add_field_errors_asking(&mut self, errors: &[FieldError], asking: &[(&str, &str)]) {
        for e in errors {
            let own = asking.iter().find(|(f, _)| *f == e.field).map(|(_, q)| *q);
            match (e.fault, own) {
                (Fault::Required, Some(q)) => self.add(e.field, q),
                _ => self.add(e.field, message(e)),
            }
        }
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        if !self.0.iter().any(|(f, _)| *f == field) {
            self.0.push((field, message.into()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Copies the messages onto the fields.
    pub fn apply(&self, fields: &mut [Field]) {
        for f in fields.iter_mut() {
            if let Some((_, m)) = self.0.iter().find(|(n, _)| *n == f.name) {
                f.error = Some(m.clone());
            }
        }
    }
}

/// A page with one form.
#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub layout: Layout,
    pub heading: String,
    pub caption: Option<String>,
    /// Paragraphs above the form.
    pub intro: Vec<String>,
    pub action: String,
    pub csrf: String,
    pub hidden: Vec<(&'static str, String)>,
    pub fields: Vec<Field>,
    pub submit: String,
    /// Shows a "Forhåndsvis" button that posts `handling=forhandsvis`.
    pub preview_button: bool,
    /// Sanitised HTML of the Markdown preview.
    pub preview_html: Option<String>,
    /// A refusal that belongs to no single field (a rule of the registry).
    pub general_error: Option<String>,
    pub back: Option<(String, String)>,
    /// Submit button style: `warning` for withdrawals.
    pub danger: bool,
    /// Notes shown beside the form under a heading, each as (meta line, text): the comments
    /// reviewers left on a draft.
    pub notes: Option<(String, Vec<(String, String)>)>,
    /// (address, text) of related pages, listed under the intro.
    pub links: Vec<(String, String)>,
}

impl FormPage {
    pub fn new(layout: Layout, heading: impl Into<String>, action: impl Into<String>, csrf: &str) -> Self {
        FormPage {
            layout,
            heading: heading.into(),
            caption: None,
            intro: Vec::new(),
            action: action.into(),
            csrf: csrf.to_string(),
            hidden: Vec::new(),
            fields: Vec::new(),
            submit: "Lagre".into(),
            preview_button: false,
            preview_html: None,
            general_error: None,
            back: None,
            danger: false,
            notes: None,
            links: Vec::new(),
        }
    }

    /// Whether anything needs fixing.
    pub fn has_errors(&self) -> bool {
        self.general_error.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }

    /// Renders the page: 200, or 422 when a field has an error.
    pub fn respond(self) -> Response {
        let status = if self.fields.iter().any(|f| f.error.is_some()) {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        ui::render(status, &self)
    }

    /// Renders the page with a refusal from the registry's rules (422, 409 or 412), or passes
    /// other errors on.
    pub fn refused(mut self, e: AppError) -> WebResult<Response> {
        let status = e.status();
        match e {
            // A field's rule that needed the document's state: by the field, if the form has it.
            AppError::Field(fe) => {
                match self.fields.iter_mut().find(|f| f.name == fe.field) {
                    Some(f) => f.error = Some(message(&fe)),
                    None => self.general_error = Some(explain(status, &fe.message)),
                }
                Ok(ui::render(status, &self))
            }
            AppError::Invalid(m)
            | AppError::Conflict(m)
            | AppError::PreconditionFailed(m)
            | AppError::BadRequest(m) => {
                self.general_error = Some(explain(status, &m));
                Ok(ui::render(status, &self))
            }
            other => Err(WebError::App(other)),
        }
    }
}

/// A bokmål sentence for a refusal, with the rule's own words after it.
pub(crate) fn explain(status: StatusCode, message: &str) -> String {
    let lead = match status.as_u16() {
        409 => "Endringen er i strid med dokumentets tilstand",
        412 => "Dokumentet er endret av noen andre etter at du åpnet skjemaet; last det inn på nytt",
        _ => "Registeret avviste opplysningene",
    };
    format!("{lead}. Ingenting er endret. (Melding fra registeret: {message})")
}

/// The bokmål message for a field error: by field where the field says more, else by code.
pub fn message(e: &FieldError) -> String {
    match (e.field, e.fault) {
        ("title", Fault::Required) => "Skriv en tittel".into(),
        ("title", Fault::TooLong { max_chars }) => format!("Tittelen kan ha høyst {max_chars} tegn"),
        ("kind", _) => "Velg hva slags dokument det er".into(),
        ("language", _) => "Velg språk".into(),
        ("number", _) => "Nummeret må være sifre med en eventuell bokstav, for eksempel 37 eller 20a".into(),
        ("normen_version", _) => "Skriv Normen-versjonen som tall med punktum, for eksempel 6.1".into(),
        ("label", _) => "Skriv versjonsnummeret som to tall med punktum, for eksempel 2.0".into(),
        ("change_kind", _) => "Velg om endringen er faglig eller redaksjonell".into(),
        ("change_note", Fault::Required) => "Skriv hva som er endret".into(),
        ("slug", Fault::Malformed) => "Adressenavnet kan bare ha små bokstaver a–z, sifre og bindestrek".into(),
        ("review_interval_months", Fault::Malformed) => format!(
            "Skriv et antall måneder fra 1 til {}",
            crate::domain::MAX_REVIEW_INTERVAL_MONTHS
        ),
        ("outcome", Fault::Malformed) => "Velg hva vurderingen kom fram til".into(),
        ("external_successors", Fault::Malformed) => {
            "Adressen må begynne med https:// (eller http://) og ha et vertsnavn, uten mellomrom".into()
        }
        ("source_label", _) => "Velg hvilken publisert versjon som er oversatt".into(),
        ("case_number", _) => "Skriv saksnummeret som nummer/år, for eksempel 23/25".into(),
        ("origin", _) => "Velg hvor behovet kommer fra".into(),
        ("origin_reference", Fault::Required) => "Skriv hvem som meldte behovet, og referansen".into(),
        ("period", Fault::Required) => "Skriv handlingsplanperioden, for eksempel 2026-H1".into(),
        ("period", Fault::Malformed) => {
            "Skriv perioden som halvår (for eksempel 2026-H1) eller som et helt år (for eksempel 2024)".into()
        }
        ("decision", Fault::Required) => "Velg vedtaket".into(),
        ("priority", _) => "Velg prioritet 1, 2 eller 3".into(),
        ("state", _) => "Velg ny status".into(),
        ("resolved_label", _) => "Velg versjonen som løste behovet".into(),
        (_, Fault::Required) => "Fyll ut feltet".into(),
        (_, Fault::Malformed) => "Verdien har ikke riktig form".into(),
        (_, Fault::TooLong { max_chars }) => format!("Teksten kan ha høyst {max_chars} tegn"),
        (_, Fault::TooLarge { .. }) => "Teksten kan være høyst 2 MiB".into(),
        (_, Fault::LineBreak { .. }) => "Feltet må stå på én linje, uten linjeskift eller tabulator".into(),
        (_, Fault::Control { ch, at }) => format!(
            "Teksten inneholder et kontrolltegn som ikke er tillatt (U+{:04X}, tegn nummer {at}). Fjern det og prøv igjen",
            ch as u32
        ),
        (_, Fault::NonCharacter { ch, at }) => format!(
            "Teksten inneholder et ugyldig Unicode-tegn (U+{:04X}, tegn nummer {at}). Fjern det og prøv igjen",
            ch as u32
        ),
        (_, Fault::TooDeep { max_depth }) => format!(
            "Teksten er nestet for dypt: sitater, lister, utheving, lenker og HTML-elementer kan ligge høyst {max_depth} nivåer inni hverandre"
        ),
        (_, Fault::TooMuchHtml) => "Teksten blir for stor når den vises (over 8 MiB HTML)".into(),
        (_, Fault::InFuture) => "Datoen kan ikke være senere enn i dag".into(),
        (_, Fault::TooEarly) => "Datoen er for gammel; sjekk årstallet".into(),
        (_, Fault::BeforeEarlier) => {
            "Datoen er tidligere enn en tidligere hendelse for dokumentet (forrige versjon eller første publisering)"
                .into()
        }
    }
}

/// Choices of recorded decisions, newest first, with "none" on top.
pub async fn decision_choices(db: &sea_orm::DatabaseConnection) -> AppResult<Vec<Choice>> {
    let mut out = vec![Choice::new("", "Ingen vedtak")];
    for d in crate::services::decisions::list(db).await? {
        out.push(Choice::new(
            d.case_number.clone(),
            format!(
                "Sak {} ({}): {}",
                d.case_number,
                ui::format_date(d.meeting_date, "nb"),
                d.title
            ),
        ));
    }
    Ok(out)
}

/// Reads a date field (`åååå-mm-dd`); empty is none. Whether the date is allowed is the
/// service's rule.
pub fn parse_date(errors: &mut Errors, field: &'static str, value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Some(d)
    } else {
        errors.add(
            field,
            "Skriv en gyldig dato på formen åååå-mm-dd, for eksempel 2026-03-01",
        );
        None
    }
}
