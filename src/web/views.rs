//! View pieces that more than one page shows: links, the withdrawn banner, the withdrawn list's
//! rows, the paging query. Page modules import from here, never from each other.

use serde::Deserialize;

use crate::domain::{DocumentKind, Language};
use crate::services::documents::WithdrawalView;
use crate::services::feeds::Withdrawn;
use crate::web::error::WebResult;
use crate::web::ui::{self, NB, Texts};

/// `?side=` of a paged list, and `?lang=en` on the public lists that come in English.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub side: Option<u64>,
    pub lang: Option<String>,
}

/// A 404 for a `?lang=` we do not have, echoing at most a few characters of what was sent
/// (it is the visitor's text, rendered on the error page).
pub fn unknown_language(asked: &str) -> crate::error::AppError {
    let shown: String = asked.chars().take(16).collect();
    crate::error::AppError::not_found(format!("language {shown:?}"))
}

/// The UI texts a `?lang=` asks for: bokmål when absent, a 404 for a language we do not have.
pub fn texts_for_lang(lang: Option<&str>) -> WebResult<&'static Texts> {
    match lang {
        None | Some("") => Ok(&NB),
        Some(l) => {
            let language: Language = l.parse().map_err(|_| unknown_language(l))?;
            Ok(ui::texts_for(language.as_str()))
        }
    }
}

impl PageQuery {
    /// The UI texts asked for: English with `lang=en`, else bokmål; an unknown language is a 404.
    pub fn texts(&self) -> WebResult<&'static Texts> {
        texts_for_lang(self.lang.as_deref())
    }

    /// `lang=en&` to put before another parameter, or nothing for bokmål.
    pub fn lang_prefix(t: &Texts) -> &'static str {
        if t.lang == Language::En.as_str() {
            "lang=en&"
        } else {
            ""
        }
    }

    /// `?lang=en` to end an address with, or nothing for bokmål.
    pub fn lang_query(t: &Texts) -> &'static str {
        if t.lang == Language::En.as_str() {
            "?lang=en"
        } else {
            ""
        }
    }
}

/// The date form of a historical view ("Vis slik det var"): a GET form whose answer leads to
/// the dated address (`/per/2024-06-30`, `/faktaark/37/per/2024-06-30`).
pub struct AsOfForm {
    pub action: String,
    pub t: &'static Texts,
    /// The date as typed (or shown).
    pub value: String,
    /// The message by the field when the date cannot be read.
    pub error: Option<&'static str>,
    /// `lang` to keep, on a translated page.
    pub lang: Option<String>,
}

impl AsOfForm {
    pub fn new(action: String, t: &'static Texts, value: String, error: bool) -> Self {
        AsOfForm {
            action,
            t,
            value,
            error: error.then_some(t.bad_date),
            lang: None,
        }
    }
}

/// `?dato=` (the date form's answer), `?side=` and `?lang=` on historical views.
#[derive(Debug, Default, Deserialize)]
pub struct AsOfQuery {
    pub dato: Option<String>,
    pub side: Option<u64>,
    pub lang: Option<String>,
}

/// A link with its text.
#[derive(Clone)]
pub struct Link {
    pub url: String,
    pub text: String,
}

/// A successor in the withdrawn banner, with a link to what differs (public pages only).
pub struct SuccessorLink {
    pub url: String,
    pub text: String,
    pub compare_url: Option<String>,
}

/// The banner of a withdrawn document.
pub struct WithdrawnBanner {
    pub date: String,
    pub reason: String,
    pub decision: Option<String>,
    /// The deciding case's page.
    pub decision_url: Option<String>,
    pub successors: Vec<SuccessorLink>,
}

impl WithdrawnBanner {
    /// `public_url` is the withdrawn document's public page, for links to compare it with each
    /// successor; `None` in the workspace.
    pub fn new(w: &WithdrawalView, t: &Texts, public_url: Option<&str>) -> Self {
        WithdrawnBanner {
            date: t.opt_date(w.withdrawn_on),
            reason: w.reason.clone(),
            decision_url: w.decision.as_ref().map(|d| d.url.clone()),
            decision: w.decision.as_ref().map(|d| {
                format!(
                    "{} {}, {} {}: {}",
                    ui::capitalised(t.case),
                    d.case_number,
                    t.meeting,
                    t.date(&d.meeting_date),
                    d.title
                )
            }),
            successors: w
                .successors
                .iter()
                .map(|s| SuccessorLink {
                    url: s.url.clone(),
                    text: ui::document_name(t, s.kind, s.number.as_deref(), &s.title),
                    compare_url: public_url.map(|u| format!("{u}/sammenlign-med-etterfolger?etterfolger={}", s.id)),
                })
                .chain(w.external_successors.iter().map(|x| SuccessorLink {
                    url: x.url.clone(),
                    text: x.title.clone(),
                    compare_url: None,
                }))
                .collect(),
        }
    }
}

/// A row of the withdrawn list.
pub struct WithdrawnRow {
    pub document: String,
    pub url: String,
    pub date: String,
    pub reason: String,
    pub decision: Option<String>,
    pub decision_url: Option<String>,
    pub successors: Vec<Link>,
}

impl WithdrawnRow {
    /// The row in the page's language (`t`); the reason stays as it was written.
    pub fn new(w: &Withdrawn, t: &Texts) -> Self {
        let name = |kind: DocumentKind, number: Option<&str>, title: &str| ui::document_name(t, kind, number, title);
        WithdrawnRow {
            document: name(w.document.kind, w.document.number.as_deref(), &w.document.title),
            url: w.document.url.clone(),
            date: t.opt_date(w.withdrawn_on),
            reason: w.reason.clone(),
            decision_url: w.decision.as_ref().map(|d| d.url.clone()),
            decision: w.decision.as_ref().map(|d| {
                format!(
                    "{} {} ({})",
                    ui::capitalised(t.case),
                    d.case_number,
                    t.date(&d.meeting_date)
                )
            }),
            successors: w
                .successors
                .iter()
                .map(|s| Link {
                    url: s.url.clone(),
                    text: name(s.kind, s.number.as_deref(), &s.title),
                })
                .collect(),
        }
    }
}

/// A comment as the page lists it.
pub struct CommentLine {
    pub section: String,
    pub meta: String,
    pub body: String,
}

/// Lists comments, the ones on sections by the section's heading.
pub fn comment_lines(view: &crate::services::approvals::ApprovalView) -> Vec<CommentLine> {
    view.comments
        .iter()
        .map(|c| CommentLine {
            section: if c.section.is_empty() {
                "Hele utkastet".into()
            } else {
                c.section.clone()
            },
            meta: format!("{}, {}", c.author, ui::format_date(c.created_at.date_naive(), "nb")),
            body: c.body.clone(),
        })
        .collect()
}

/// The published document a reader names: its address (`/faktaark/12`, a full URL) or a
/// fact-sheet number ("12", "Faktaark 12", "FA 12"). `None` when no published document has it.
pub async fn named_document(db: &sea_orm::DatabaseConnection, name: &str) -> crate::error::AppResult<Option<i32>> {
    use crate::domain::{self, DocumentKind, DocumentStatus};
    use crate::error::AppError;
    let name = name.trim();
    let path = name
        .split_once("://")
        .map(|(_, rest)| rest.find('/').map_or("", |i| &rest[i..]))
        .unwrap_or(name);
    let path = path.split(['?', '#']).next().unwrap_or("").trim_end_matches('/');
    let (kinds, key): (Vec<DocumentKind>, String) =
        if let Some((prefix, key)) = path.strip_prefix('/').and_then(|p| p.split_once('/')) {
            match crate::web::paths::KIND_PATHS.iter().find(|(p, _)| *p == prefix) {
                Some((_, kind)) => (vec![*kind], key.to_string()),
                None => (Vec::new(), String::new()),
            }
        } else {
            let lower = name.to_lowercase();
            let n = lower
                .trim_start_matches("faktaark")
                .trim_start_matches("fa")
                .trim()
                .to_string();
            match domain::parse_document_number(&n) {
                Ok(n) => (vec![DocumentKind::FactSheet], n),
                Err(_) => (Vec::new(), String::new()),
            }
        };
    if kinds.is_empty() || key.is_empty() || key.contains('/') {
        return Ok(None);
    }
    match crate::services::documents::find_by_path(db, &kinds, &key, false).await {
        Ok(d) if d.status == DocumentStatus::Published => Ok(Some(d.id)),
        Ok(_) | Err(AppError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
