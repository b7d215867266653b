//! What every page shares: the layout's data, the UI texts in bokmål and English, date and
//! name formatting, and rendering a template into a response.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};

use crate::domain::{
    ChangeKind, DocumentKind, DocumentStatus, Language, PlanItemKind, PlanItemState, PlanPeriodState, ReviewOutcome,
    RevisionKind, RevisionOrigin, RevisionState,
};

/// Data the base template needs on every page.
pub struct Layout {
    /// `lang` of the page (`nb` or `en`).
    pub lang: &'static str,
    pub title: String,
    /// The canonical address of this page (absolute: `links::absolute`).
    pub canonical: Option<String>,
    pub t: &'static Texts,
    /// Set on the editors' workspace: who is signed in, and the token of the sign-out form.
    pub workspace: Option<WorkspaceNav>,
    /// A feed to announce with `<link rel="alternate">`.
    pub feed: Option<String>,
}

impl Layout {
    /// A public page in bokmål.
    pub fn public(title: impl Into<String>, canonical: Option<String>) -> Self {
        Layout {
            lang: "nb",
            title: title.into(),
            canonical: canonical.map(|c| crate::links::absolute(&c)),
            t: &NB,
            workspace: None,
            feed: None,
        }
    }

    /// A public page whose UI follows the material's language (English material, English UI).
    pub fn for_language(language: &str, title: impl Into<String>, canonical: Option<String>) -> Self {
        let t = texts_for(language);
        Layout {
            lang: t.lang,
            title: title.into(),
            canonical: canonical.map(|c| crate::links::absolute(&c)),
            t,
            workspace: None,
            feed: None,
        }
    }
}

/// The signed-in user in the workspace header.
pub struct WorkspaceNav {
    pub user: String,
    pub role: String,
    pub csrf: String,
    /// Admins see the audit log in the menu.
    pub admin: bool,
}

/// Returns the UI texts for material in `language`.
pub fn texts_for(language: &str) -> &'static Texts {
    if language == Language::En.as_str() { &EN } else { &NB }
}

/// UI texts of the public pages, in one language.
pub struct Texts {
    pub lang: &'static str,
    pub site_name: &'static str,
    pub site_tagline: &'static str,
    pub skip_link: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_fact_sheets: &'static str,
    pub nav_guides: &'static str,
    pub nav_withdrawn: &'static str,
    pub nav_changes: &'static str,
    pub search_label: &'static str,
    pub search_button: &'static str,
    pub footer_about: &'static str,
    pub footer_workspace: &'static str,
    pub footer_feed: &'static str,
    pub version: &'static str,
    pub published: &'static str,
    pub last_substantive: &'static str,
    /// "Sist vurdert": the review line begins with it.
    pub last_reviewed: &'static str,
    /// The start of the notice that a review is overdue; the due date follows.
    pub review_overdue: &'static str,
    pub aligned_with: &'static str,
    pub other_languages: &'static str,
    pub history: &'static str,
    pub history_caption: &'static str,
    /// Heading of a long document's contents list.
    pub contents: &'static str,
    /// The caption of a document's timeline, and its legend.
    pub timeline: &'static str,
    pub timeline_translation: &'static str,
    pub col_version: &'static str,
    pub col_date: &'static str,
    pub col_note: &'static str,
    pub col_kind: &'static str,
    pub col_decision: &'static str,
    pub col_compare: &'static str,
    pub compare_with_previous: &'static str,
    pub shown_now: &'static str,
    pub known_issues: &'static str,
    /// Heading of the documents this one replaces, and of related ones.
    pub replaces: &'static str,
    pub related: &'static str,
    pub known_issues_intro: &'static str,
    pub withdrawn_heading: &'static str,
    pub withdrawn_on: &'static str,
    pub reason: &'static str,
    pub decision: &'static str,
    pub replaced_by: &'static str,
    pub withdrawn_kept: &'static str,
    pub older_version: &'static str,
    /// "Gjaldt": when an older version was the current one.
    pub in_force: &'static str,
    /// "Utgått" in a title or a history row.
    pub withdrawn_short: &'static str,
    pub date_unknown: &'static str,
    pub current_version_is: &'static str,
    pub see_current: &'static str,
    pub compare_with_current: &'static str,
    pub translation_of: &'static str,
    pub translation_outdated: &'static str,
    pub see_what_changed: &'static str,
    pub translation_current: &'static str,
    pub changes_feed: &'static str,
    pub no_decision: &'static str,
    pub case: &'static str,
    pub meeting: &'static str,
    /// The start of a historical page's notice; the date follows.
    pub historical_document: &'static str,
    /// The link from a historical page to the current one.
    pub see_current_content: &'static str,
    /// On a historical page of a document withdrawn on that day; the withdrawal's date follows.
    pub withdrawn_then: &'static str,
    /// The form that shows a document as it was on a date, its field and its button.
    pub show_as_it_was: &'static str,
    pub as_of_date: &'static str,
    pub as_of_hint: &'static str,
    pub show: &'static str,
    /// The message by the date field when the date cannot be read.
    pub bad_date: &'static str,
    /// A document's historical page for a day before it was first published.
    pub not_published_then: &'static str,
}

/// Bokmål.
pub static NB: Texts = Texts {
    lang: "nb",
    site_name: "Normens veiledningsmateriell",
    site_tagline: "Faktaark og veiledere til Norm for informasjonssikkerhet og personvern i helse- og omsorgssektoren",
    skip_link: "Hopp til hovedinnholdet",
    nav_label: "Hovedmeny",
    nav_home: "Forside",
    nav_fact_sheets: "Faktaark",
    nav_guides: "Veiledere",
    nav_withdrawn: "Utgått materiell",
    nav_changes: "Endringslogg",
    search_label: "Søk i veiledningsmateriellet",
    search_button: "Søk",
    footer_about: "Normen er en bransjenorm for informasjonssikkerhet og personvern i helse- og omsorgssektoren. Utgått materiell blir liggende her, tydelig merket.",
    footer_workspace: "Redaksjonens arbeidsflate",
    footer_feed: "Endringer som Atom-strøm",
    version: "Versjon",
    published: "Publisert",
    last_substantive: "Siste faglige endring",
    last_reviewed: "Sist vurdert",
    review_overdue: "Vurderingen er forsinket: dokumentet skulle vært vurdert innen",
    aligned_with: "Tilpasset Normen versjon",
    other_languages: "Andre språk",
    history: "Versjonshistorikk",
    timeline: "Tidslinje",
    timeline_translation: "Oversettelse",
    history_caption: "Alle publiserte versjoner, nyeste først",
    contents: "Innhold",
    col_version: "Versjon",
    col_date: "Dato",
    col_note: "Endringer",
    col_kind: "Type endring",
    col_decision: "Godkjent (vedtak)",
    col_compare: "Sammenlign",
    compare_with_previous: "Sammenlign med forrige versjon",
    shown_now: "(vises nå)",
    known_issues: "Kjente feil og planlagte endringer",
    replaces: "Erstatter",
    related: "Relaterte dokumenter",
    known_issues_intro: "Redaksjonen kjenner til disse forholdene og arbeider med dem:",
    withdrawn_heading: "Utgått",
    withdrawn_on: "Utgått",
    reason: "Begrunnelse",
    decision: "Vedtak",
    replaced_by: "Erstattet av",
    withdrawn_kept: "Dette materiellet er utgått og skal ikke lenger brukes. Det er beholdt her for oppslag.",
    older_version: "Dette er en eldre versjon.",
    in_force: "Gjaldt",
    withdrawn_short: "Utgått",
    date_unknown: "dato ukjent",
    current_version_is: "Gjeldende versjon er",
    see_current: "Se gjeldende versjon",
    compare_with_current: "Sammenlign med gjeldende versjon",
    translation_of: "Denne oversettelsen bygger på versjon",
    translation_outdated: "Originalteksten er endret faglig etter at denne oversettelsen ble laget. Gjeldende originalversjon er",
    see_what_changed: "Se hva som er endret",
    translation_current: "Oversettelsen er à jour med originalteksten.",
    changes_feed: "Endringer i dette dokumentet (Atom)",
    no_decision: "–",
    case: "sak",
    meeting: "møte",
    historical_document: "Historisk visning: slik dokumentet så ut",
    see_current_content: "Se gjeldende innhold.",
    withdrawn_then: "Dokumentet var utgått denne dagen, fra",
    show_as_it_was: "Vis slik det var",
    as_of_date: "Dato",
    as_of_hint: "For eksempel 2024-06-30",
    show: "Vis",
    bad_date: "Skriv en dato som finnes, på formen åååå-mm-dd, for eksempel 2024-06-30",
    not_published_then: "Dokumentet var ikke publisert ennå denne dagen.",
};

/// English, for English material.
pub static EN: Texts = Texts {
    lang: "en",
    site_name: "Normen guidance material",
    site_tagline: "Fact sheets and guides for the Code of Conduct for information security and data protection in the healthcare and care services sector",
    skip_link: "Skip to main content",
    nav_label: "Main menu",
    nav_home: "Home",
    nav_fact_sheets: "Fact sheets",
    nav_guides: "Guides",
    nav_withdrawn: "Withdrawn material",
    nav_changes: "Change log",
    search_label: "Search the guidance material",
    search_button: "Search",
    footer_about: "Normen is the code of conduct for information security and data protection in the Norwegian health and care sector. Withdrawn material stays here, clearly marked.",
    footer_workspace: "Editors' workspace",
    footer_feed: "Changes as an Atom feed",
    version: "Version",
    published: "Published",
    last_substantive: "Last substantive change",
    last_reviewed: "Last reviewed",
    review_overdue: "The review is overdue: the document was due for review by",
    aligned_with: "Aligned with Normen version",
    other_languages: "Other languages",
    history: "Version history",
    timeline: "Timeline",
    timeline_translation: "Translation",
    history_caption: "All published versions, newest first",
    contents: "Contents",
    col_version: "Version",
    col_date: "Date",
    col_note: "Changes",
    col_kind: "Kind of change",
    col_decision: "Approved (decision)",
    col_compare: "Compare",
    compare_with_previous: "Compare with previous version",
    shown_now: "(shown now)",
    known_issues: "Known errors and planned changes",
    replaces: "Replaces",
    related: "Related documents",
    known_issues_intro: "The editors know about these issues and are working on them:",
    withdrawn_heading: "Withdrawn (utgått)",
    withdrawn_on: "Withdrawn",
    reason: "Reason",
    decision: "Decision",
    replaced_by: "Replaced by",
    withdrawn_kept: "This material is withdrawn (utgått) and should no longer be used. It is kept here for reference.",
    older_version: "This is an older version.",
    in_force: "In force",
    withdrawn_short: "Withdrawn",
    date_unknown: "date unknown",
    current_version_is: "The current version is",
    see_current: "See the current version",
    compare_with_current: "Compare with the current version",
    translation_of: "This translation is based on version",
    translation_outdated: "The Norwegian text has changed substantively since this translation was made. The current Norwegian version is",
    see_what_changed: "See what changed",
    translation_current: "The translation is up to date with the Norwegian text.",
    changes_feed: "Changes to this document (Atom)",
    no_decision: "–",
    case: "case",
    meeting: "meeting",
    historical_document: "Historical view: the document as it stood on",
    see_current_content: "See the current content.",
    withdrawn_then: "The document was withdrawn on that day, from",
    show_as_it_was: "Show as it was",
    as_of_date: "Date",
    as_of_hint: "For example 2024-06-30",
    show: "Show",
    bad_date: "Enter a date that exists, as yyyy-mm-dd, for example 2024-06-30",
    not_published_then: "The document was not published yet on that day.",
};

impl Texts {
    /// The name of a document kind.
    pub fn kind_name(&self, kind: DocumentKind) -> &'static str {
        let en = self.lang == Language::En.as_str();
        match (kind, en) {
            (DocumentKind::FactSheet, false) => "Faktaark",
            (DocumentKind::FactSheet, true) => "Fact sheet",
            (DocumentKind::Guide, false) => "Veileder",
            (DocumentKind::Guide, true) => "Guide",
            (DocumentKind::Norm, _) => "Normen",
            (DocumentKind::Template, false) => "Mal",
            (DocumentKind::Template, true) => "Template",
            (DocumentKind::Other, false) => "Dokument",
            (DocumentKind::Other, true) => "Document",
        }
    }

    /// The name of a change kind.
    pub fn change_kind_name(&self, kind: ChangeKind) -> &'static str {
        match (kind, self.lang == Language::En.as_str()) {
            (ChangeKind::Substantive, false) => "Faglig endring",
            (ChangeKind::Substantive, true) => "Substantive",
            (ChangeKind::Editorial, false) => "Redaksjonell endring",
            (ChangeKind::Editorial, true) => "Editorial",
        }
    }

    /// What a review concluded, as the review line says it.
    pub fn review_outcome(&self, outcome: ReviewOutcome) -> &'static str {
        match (outcome, self.lang == Language::En.as_str()) {
            (ReviewOutcome::Reaffirm, false) => "innholdet er fortsatt gyldig",
            (ReviewOutcome::Reaffirm, true) => "the content is still valid",
            (ReviewOutcome::Update, false) => "skal oppdateres",
            (ReviewOutcome::Update, true) => "to be updated",
            (ReviewOutcome::Revise, false) => "skal revideres",
            (ReviewOutcome::Revise, true) => "to be revised",
            (ReviewOutcome::Withdraw, false) => "foreslått trukket tilbake",
            (ReviewOutcome::Withdraw, true) => "proposed for withdrawal",
        }
    }

    /// The text alternative of a timeline: "Tidslinje: 3 versjoner fra 2012 til 2024, utgått 2025."
    /// `withdrawn` is the withdrawal's year, or "dato ukjent".
    pub fn timeline_description(&self, versions: usize, from: i32, to: i32, withdrawn: Option<String>) -> String {
        let en = self.lang == Language::En.as_str();
        let noun = match (en, versions == 1) {
            (false, true) => "versjon",
            (false, false) => "versjoner",
            (true, true) => "version",
            (true, false) => "versions",
        };
        let (from_word, to_word) = if en { ("from", "to") } else { ("fra", "til") };
        let span = if from == to {
            format!("{from}")
        } else {
            format!("{from_word} {from} {to_word} {to}")
        };
        let end = withdrawn.map_or(String::new(), |y| {
            format!(", {} {y}", if en { "withdrawn" } else { "utgått" })
        });
        format!("{}: {versions} {noun} {span}{end}.", self.timeline)
    }

    /// A date, or "dato ukjent" when nobody knows it.
    pub fn opt_date(&self, d: Option<NaiveDate>) -> String {
        d.map_or_else(|| self.date_unknown.to_string(), |d| self.date(&d))
    }

    /// Formats a date: "16. september 2025" or "16 September 2025".
    pub fn date(&self, d: &NaiveDate) -> String {
        format_date(*d, self.lang)
    }
}

/// The name of a language, in that language.
pub fn language_name(language: Language) -> &'static str {
    match language {
        Language::Nb => "Norsk bokmål",
        Language::Nn => "Norsk nynorsk",
        Language::En => "English",
    }
}

/// The name of a language inside a sentence: "English", "norsk nynorsk".
pub fn language_name_in_sentence(language: Language) -> String {
    match language {
        Language::En => language_name(language).to_string(),
        Language::Nb | Language::Nn => language_name(language).to_lowercase(),
    }
}

/// Formats a date in bokmål ("16. september 2025") or English ("16 September 2025").
pub fn format_date(d: NaiveDate, lang: &str) -> String {
    const NB_MONTHS: [&str; 12] = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ];
    const EN_MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = d.month0() as usize;
    if lang == "en" {
        format!("{} {} {}", d.day(), EN_MONTHS[m], d.year())
    } else {
        format!("{}. {} {}", d.day(), NB_MONTHS[m], d.year())
    }
}

/// Formats an optional date, or a dash.
pub fn format_opt_date(d: Option<NaiveDate>, lang: &str) -> String {
    d.map(|d| format_date(d, lang)).unwrap_or_else(|| "–".into())
}

/// The bokmål name of a document status.
pub fn status_name(status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::Published => "Gjeldende",
        DocumentStatus::Withdrawn => "Utgått",
        DocumentStatus::Draft => "Utkast",
    }
}

/// The CSS class of a document status's tag.
pub fn status_tag_class(status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::Published => "",
        DocumentStatus::Withdrawn => "tag-withdrawn",
        DocumentStatus::Draft => "tag-draft",
    }
}

/// The bokmål name of a plan item's kind.
pub fn plan_item_kind_name(kind: PlanItemKind) -> &'static str {
    match kind {
        PlanItemKind::Revision => "Revisjon",
        PlanItemKind::NewDocument => "Nytt dokument",
        PlanItemKind::Translation => "Oversettelse",
        PlanItemKind::Withdrawal => "Sanering",
        PlanItemKind::Project => "Prosjekt",
    }
}

/// The bokmål name of a plan item's state.
pub fn plan_item_state_name(state: PlanItemState) -> &'static str {
    match state {
        PlanItemState::Proposed => "Foreslått",
        PlanItemState::Planned => "Planlagt",
        PlanItemState::InProgress => "Under arbeid",
        PlanItemState::Done => "Ferdig",
        PlanItemState::Dropped => "Utgår",
    }
}

/// The bokmål name of a plan period's state.
pub fn plan_period_state_name(state: PlanPeriodState) -> &'static str {
    match state {
        PlanPeriodState::Drafted => "Utkast",
        PlanPeriodState::Discussed => "Drøftet",
        PlanPeriodState::Adopted => "Vedtatt",
    }
}

/// The bokmål name of a revision-need state.
pub fn revision_state_name(state: RevisionState) -> &'static str {
    match state {
        RevisionState::Reported => "Meldt",
        RevisionState::Accepted => "Akseptert",
        RevisionState::Held => "Satt på vent",
        RevisionState::Rejected => "Avvist",
        RevisionState::Planned => "Planlagt",
        RevisionState::InRevision => "Under revisjon",
        RevisionState::Resolved => "Løst",
    }
}

/// The bokmål name of a meeting's state.
pub fn meeting_state_name(state: crate::domain::MeetingState) -> &'static str {
    match state {
        crate::domain::MeetingState::Planned => "Planlagt",
        crate::domain::MeetingState::Called => "Innkalt",
        crate::domain::MeetingState::Held => "Avholdt",
    }
}

/// The bokmål name of an agenda item's outcome.
pub fn outcome_name(outcome: crate::domain::ItemOutcome) -> &'static str {
    match outcome {
        crate::domain::ItemOutcome::Decided => "Vedtatt",
        crate::domain::ItemOutcome::Deferred => "Utsatt",
        crate::domain::ItemOutcome::Rejected => "Ikke vedtatt",
        crate::domain::ItemOutcome::Noted => "Tatt til orientering",
    }
}

/// The bokmål name of a revision-need kind.
pub fn revision_kind_name(kind: RevisionKind) -> &'static str {
    match kind {
        RevisionKind::Error => "Feil",
        RevisionKind::Editorial => "Redaksjonell endring",
        RevisionKind::Substantive => "Faglig endring",
        RevisionKind::LegalChange => "Endring i regelverk",
    }
}

/// The bokmål name of a revision-need origin.
pub fn revision_origin_name(origin: RevisionOrigin) -> &'static str {
    match origin {
        RevisionOrigin::ExternalReport => "Ekstern henvendelse",
        RevisionOrigin::ActionPlan => "Handlingsplan",
        RevisionOrigin::Decision => "Vedtak i styringsgruppen",
        RevisionOrigin::Internal => "Intern",
    }
}

/// The display name of a document: "Faktaark 37" for numbered fact sheets, else the kind.
pub fn document_label(t: &Texts, kind: DocumentKind, number: Option<&str>) -> String {
    match number {
        Some(n) if kind == DocumentKind::FactSheet => format!("{} {n}", t.kind_name(kind)),
        _ => t.kind_name(kind).to_string(),
    }
}

pub use crate::domain::text::capitalised;

/// A document's label and title ("Faktaark 37: Tilgangsstyring"); the title alone when it
/// already begins with the label ("Veileder om internkontroll", not "Veileder: Veileder om …").
pub fn document_name(t: &Texts, kind: DocumentKind, number: Option<&str>, title: &str) -> String {
    let label = document_label(t, kind, number);
    let starts_with_label = title
        .get(..label.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(&label));
    if starts_with_label {
        title.to_string()
    } else {
        format!("{label}: {title}")
    }
}

/// The security headers every HTML page gets. Pages run no script at all.
const CSP: &str = "default-src 'self'; script-src 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; \
                   img-src 'self' https: data:; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// Renders a template as an HTML response with a status.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        // Whatever a stored row holds, no page carries a character XML and terminals choke on
        // (entry checks keep them out; this is the second line of defence).
        Ok(html) => html_response(status, crate::domain::text::xml_safe_owned(html)),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Noe gikk galt.").into_response()
        }
    }
}

/// Wraps ready HTML in a response with the security headers.
pub fn html_response(status: StatusCode, html: String) -> Response {
    let mut res = (status, html).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    res
}

/// A draft's place on its way to publication, in bokmål.
pub fn draft_approval_name(state: crate::domain::DraftApproval) -> &'static str {
    use crate::domain::DraftApproval as D;
    match state {
        D::NotSubmitted => "ikke sendt til godkjenning",
        D::Pending => "venter på godkjenning",
        D::Approved => "godkjent",
        D::Returned => "sendt tilbake til forfatteren",
        D::ChangedSinceSubmitted => "endret etter innsending – må sendes på nytt",
    }
}

/// A relation as the workspace names it, seen from the document it starts at.
pub fn relation_name(kind: crate::domain::RelationKind, outgoing: bool) -> &'static str {
    use crate::domain::RelationKind as K;
    match (kind, outgoing) {
        (K::ReplacedBy, true) => "Erstattet av",
        (K::ReplacedBy, false) => "Erstatter",
        (K::SplitInto, true) => "Delt opp i",
        (K::SplitInto, false) => "Skilt ut fra",
        (K::MergedInto, true) => "Slått sammen med",
        (K::MergedInto, false) => "Har tatt opp i seg",
        (K::Related, _) => "Relatert",
    }
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` escaped, so no
/// stored text can close the element or open a comment, and the line separators JSON allows but
/// old parsers do not.
pub fn script_json(value: &serde_json::Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2025, 9, 16).unwrap();
        assert_eq!(format_date(d, "nb"), "16. september 2025");
        assert_eq!(format_date(d, "en"), "16 September 2025");
    }
}
