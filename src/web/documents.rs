//! The public document pages: the current version at the document's stable URL
//! (`/faktaark/37`, `/veileder/{slug}`), every published version at its own permanent URL
//! (`/faktaark/37/versjon/1.0`), translations with `?lang=en`, and a withdrawn document's
//! banner on all of them. Only published versions are ever read here.

use askama::Template;
use axum::http::StatusCode;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use chrono::Datelike;

use crate::domain::{ChangeKind, DocumentKind, Language, RelationDirection, RelationKind, front_matter};
use crate::error::AppError;
use crate::services::documents::{self, DocumentRecord, DocumentView};
use crate::services::{as_of, rendering, revision_needs};
use crate::state::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::paths;
use crate::web::timeline;
use crate::web::views::{AsOfForm, WithdrawnBanner};

use crate::web::ui::{self, Layout, Texts};
use crate::web::views::AsOfQuery;

/// `?lang=` on document pages.
#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

/// Another language of the same document.
pub struct LanguageLink {
    pub code: String,
    pub name: &'static str,
    pub url: String,
    pub outdated: bool,
}

/// The notice on a translated page.
pub struct TranslationNotice {
    pub source_label: String,
    pub source_url: String,
    pub outdated: bool,
    pub current_source_label: String,
    pub compare_url: String,
}

/// The notice on an older version.
pub struct OlderNotice {
    pub current_label: String,
    pub current_url: String,
    pub compare_url: String,
}

/// The notice on a historical page (`…/per/2024-06-30`).
pub struct HistoricalNotice {
    /// "30. juni 2024".
    pub date: String,
    pub current_url: String,
    /// When the document was withdrawn, if it was withdrawn on that day.
    pub withdrawn_on: Option<String>,
}

/// Which version a document page shows.
#[derive(Debug, Clone, Copy)]
pub enum Shown<'a> {
    /// The current version, at the document's address.
    Current,
    /// A published version at its permanent address (`…/versjon/1.0`).
    Version(&'a str),
    /// The version in force on a date (`…/per/2024-06-30`), with the historical notice.
    AsOf(NaiveDate),
    /// The current version, with a date in the form that cannot be read (422).
    BadDate(&'a str),
}

#[derive(Template)]
#[template(path = "not_in_force.html")]
struct NotInForcePage {
    layout: Layout,
    t: &'static Texts,
    label_line: String,
    name: String,
    historical: HistoricalNotice,
    as_of_form: AsOfForm,
}

/// One row of the version history.
pub struct HistoryRow {
    pub label: String,
    pub url: String,
    pub date: String,
    pub note: String,
    pub kind: &'static str,
    pub decision: String,
    /// The deciding case's page.
    pub decision_url: Option<String>,
    pub compare_url: Option<String>,
    pub shown: bool,
    /// The row of the withdrawal ("Utgått"), on top of a withdrawn document's history.
    pub withdrawn: bool,
}

/// A section in a long document's contents list, with the sections under it.
pub struct TocEntry {
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// Documents with fewer top-level sections than this get no contents list.
const TOC_MIN_SECTIONS: usize = 3;

/// The contents list of a body: its top-level sections (the highest level it has) with the
/// next level under each; empty for a short document.
pub fn contents(sections: &[crate::markdown::Section]) -> Vec<TocEntry> {
    let Some(top) = sections.iter().map(|s| s.level).min() else {
        return Vec::new();
    };
    let mut out: Vec<TocEntry> = Vec::new();
    for s in sections {
        let entry = TocEntry {
            id: s.id.clone(),
            title: s.title.clone(),
            children: Vec::new(),
        };
        match out.last_mut() {
            Some(parent) if s.level > top => parent.children.push(entry),
            _ if s.level == top => out.push(entry),
            // A lower heading before the first top one stays out of the list.
            _ => {}
        }
    }
    if out.len() < TOC_MIN_SECTIONS { Vec::new() } else { out }
}

/// A public revision need.
pub struct KnownIssue {
    pub title: String,
    pub description: String,
    pub kind: &'static str,
    pub state: &'static str,
    pub section: Option<String>,
}

#[derive(Template)]
#[template(path = "document.html")]
pub struct DocumentPage {
    pub layout: Layout,
    pub t: &'static Texts,
    pub label_line: String,
    pub title: String,
    pub summary: String,
    pub content_lang: String,
    /// `hreflang` alternates of a current page with translations: (language, absolute
    /// address) of every language, this one included.
    pub alternates: Vec<(String, String)>,
    pub version_label: String,
    pub published_on: String,
    pub last_substantive: Option<String>,
    /// For an older version: "2. mars 2020 – 5. mai 2021", when it was the current one.
    pub in_force: Option<String>,
    pub normen_version: Option<String>,
    /// "Sist vurdert 15. januar 2026: innholdet er fortsatt gyldig".
    pub review_line: Option<String>,
    /// Said plainly when the next review's date has passed.
    pub review_overdue: Option<String>,
    pub body_html: String,
    /// The contents list of a long document.
    pub toc: Vec<TocEntry>,
    pub withdrawn: Option<WithdrawnBanner>,
    pub older: Option<OlderNotice>,
    pub translation: Option<TranslationNotice>,
    pub languages: Vec<LanguageLink>,
    pub history: Vec<HistoryRow>,
    pub issues: Vec<KnownIssue>,
    /// (address, name) of the documents this one replaces (withdrawn, naming it their successor).
    pub replaces: Vec<(String, String)>,
    /// (address, name) of related documents, either way.
    pub related: Vec<(String, String)>,
    pub feed_url: String,
    /// schema.org JSON-LD of the shown version, escaped for a `<script>` element.
    pub json_ld: String,
    /// On a historical page: the date it shows, and the way to the current content.
    pub historical: Option<HistoricalNotice>,
    /// "Vis slik det var": the date form leading to the historical page.
    pub as_of_form: AsOfForm,
    pub timeline: Option<Timeline>,
}

/// The picture of a document's life above its history table.
pub struct Timeline {
    pub svg: String,
    /// (CSS class of the legend's symbol, what it stands for) of the kinds drawn.
    pub legend: Vec<(&'static str, &'static str)>,
}

/// A link to another document, named as its pages name it.
fn relation_link(t: &Texts, d: &documents::DocumentRef) -> (String, String) {
    (
        d.url.clone(),
        ui::document_name(t, d.kind, d.number.as_deref(), &d.title),
    )
}

/// A document page asked for at an address the document had before its number or slug was
/// corrected: a permanent redirect to the same page at its address now. Other answers pass.
pub async fn or_moved(state: &AppState, uri: &Uri, res: WebResult<Response>) -> WebResult<Response> {
    let Err(WebError::App(AppError::NotFound(m))) = res else {
        return res;
    };
    let path = uri.path();
    // "/faktaark/37" and what follows it ("/versjon/1.0", "/sammenlign").
    let base_end = path.match_indices('/').nth(2).map_or(path.len(), |(i, _)| i);
    let (base, rest) = path.split_at(base_end);
    match documents::moved_to(&state.db, base).await? {
        Some(to) => {
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            // 301 rather than axum's 308: an old address has moved for good, for every client.
            let location = format!("{to}{rest}{query}");
            Ok((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response())
        }
        None => Err(WebError::App(AppError::NotFound(m))),
    }
}

/// `GET /normen`: Normen itself lives at `/normen/{slug}`; its kind's bare address leads there
/// (302: another Normen document could take the address later).
pub async fn norm_home(axum::extract::State(state): axum::extract::State<AppState>, uri: Uri) -> WebResult<Response> {
    let filter = documents::DocumentFilter {
        kind: Some(DocumentKind::Norm),
        status: Some(crate::domain::DocumentStatus::Published),
        limit: 1,
        ..Default::default()
    };
    let (_, docs) = documents::list_documents(&state.db, &filter, false).await?;
    let norm = docs.first().ok_or_else(|| AppError::not_found("Normen"))?;
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    Ok((StatusCode::FOUND, [(header::LOCATION, format!("{}{query}", norm.url))]).into_response())
}

/// `GET /faktaark/37/per?dato=2024-06-30`: the date form's answer leads (303) to
/// `/faktaark/37/per/2024-06-30` (keeping `lang`); a date that cannot be read shows the page
/// again with the message by the field; no date leads back to the page.
pub async fn as_of_form(
    state: &AppState,
    kind: DocumentKind,
    key: &str,
    uri: &Uri,
    q: AsOfQuery,
) -> WebResult<Response> {
    let typed = q.dato.as_deref().map(str::trim).unwrap_or_default();
    let page = uri.path().strip_suffix(paths::AS_OF).unwrap_or(uri.path());
    let lang = q
        .lang
        .as_deref()
        .filter(|l| !l.is_empty())
        .and_then(|l| l.parse::<Language>().ok())
        .map(|l| format!("?lang={l}"))
        .unwrap_or_default();
    if typed.is_empty() {
        return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("{page}{lang}"))]).into_response());
    }
    match crate::domain::as_of::parse_as_of("dato", typed) {
        Ok(d) => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("{}{lang}", paths::document_as_of(page, d)))],
        )
            .into_response()),
        Err(_) => show_document(state, kind, key, q.lang.as_deref(), Shown::BadDate(typed)).await,
    }
}

/// `?lang=xx` for a language other than the document's own, else nothing.
pub fn lang_query(doc: &DocumentRecord, language: Language, first: char) -> String {
    if language == doc.language {
        String::new()
    } else {
        format!("{first}lang={language}")
    }
}

/// Parses `?lang=`: absent means the document's own language; an unknown one is a 404.
pub fn parse_language(doc: &DocumentRecord, lang: Option<&str>) -> WebResult<Language> {
    match lang {
        None | Some("") => Ok(doc.language),
        Some(l) => Ok(l
            .parse::<Language>()
            .map_err(|_| crate::web::views::unknown_language(l))?),
    }
}

/// A document's page for a day before it was published (in the language asked for): 404,
/// with the historical notice and the date form.
fn not_in_force_page(doc: &DocumentRecord, language: Language, on: NaiveDate, title: &str) -> Response {
    let t = ui::texts_for(language.as_str());
    let base = doc.url();
    let q = lang_query(doc, language, '?');
    let name = ui::document_name(t, doc.kind, doc.number.as_deref(), title);
    let mut form = AsOfForm::new(paths::document_as_of_form(&base), t, on.to_string(), false);
    form.lang = (language != doc.language).then(|| language.as_str().to_string());
    ui::render(
        StatusCode::NOT_FOUND,
        &NotInForcePage {
            layout: Layout::for_language(language.as_str(), format!("{name} – {}", t.site_name), None),
            t,
            label_line: ui::document_label(t, doc.kind, doc.number.as_deref()),
            name,
            historical: HistoricalNotice {
                date: t.date(&on),
                current_url: format!("{base}{q}"),
                withdrawn_on: None,
            },
            as_of_form: form,
        },
    )
}

pub async fn show_document(
    state: &AppState,
    kind: DocumentKind,
    key: &str,
    lang: Option<&str>,
    asked: Shown<'_>,
) -> WebResult<Response> {
    let db = &state.db;
    let doc = documents::find_by_path(db, &[kind], key, false).await?;
    let language = parse_language(&doc, lang)?;
    let view = documents::document_view(db, &doc, false).await?;
    // On a historical page: the version in force in this language that day, and the status.
    let then = match asked {
        Shown::AsOf(on) => {
            let at = match as_of::document_as_of(db, &doc, on).await {
                Ok(at) => Some(at),
                Err(AppError::NotFound(_)) => None,
                Err(e) => return Err(e.into()),
            };
            match at.and_then(|at| Some((at.versions.iter().find(|v| v.language == language)?.label.clone(), at))) {
                Some((label, at)) => Some((on, label, at.withdrawn_on)),
                None => return Ok(not_in_force_page(&doc, language, on, &view.summary.title)),
            }
        }
        Shown::Current | Shown::Version(_) | Shown::BadDate(_) => None,
    };
    let label = match asked {
        Shown::Version(l) => Some(l),
        Shown::AsOf(_) => then.as_ref().map(|(_, l, _)| l.as_str()),
        Shown::Current | Shown::BadDate(_) => None,
    };
    // Every language's versions at once: this language's for the page, the rest for the timeline.
    let all_versions = documents::list_versions(db, &doc, None, false).await?;
    let versions: Vec<documents::VersionInfo> = all_versions
        .iter()
        .filter(|v| v.language == language)
        .cloned()
        .collect();
    let current = versions
        .iter()
        .rev()
        .find(|v| v.label.is_some())
        .ok_or_else(|| AppError::not_found(format!("a published version in {language}")))?;
    let current_label = current.label.clone().unwrap_or_default();
    let shown_label = label.unwrap_or(&current_label);
    let shown = documents::get_version(db, &doc, shown_label, Some(language), false).await?;
    let shown_label = shown.info.label.clone().unwrap_or_default();
    let needs = revision_needs::list_for_document(db, doc.id, false).await?;
    let rendered = rendering::version_html(db, &shown).await?;

    let t = ui::texts_for(language.as_str());
    let base = doc.url();
    let q = lang_query(&doc, language, '?');
    let amp = lang_query(&doc, language, '&');
    let is_current = shown_label == current_label;
    // A historical page shows a version whose own address is the canonical one.
    let canonical = if label.is_some() {
        format!("{base}/versjon/{shown_label}{q}")
    } else {
        format!("{base}{q}")
    };
    let label_line = ui::document_label(t, doc.kind, doc.number.as_deref());
    let name = ui::document_name(t, doc.kind, doc.number.as_deref(), &shown.info.title);
    // A historical page shows the withdrawal only if that day was under the same one.
    let withdrawal = match &then {
        Some((_, _, then_withdrawn)) => view
            .withdrawal
            .as_ref()
            .filter(|w| *then_withdrawn == Some(w.certain_from())),
        None => view.withdrawal.as_ref(),
    };
    // A withdrawn document says so in its title too (tabs, bookmarks, search results).
    let withdrawn_mark = if withdrawal.is_some() {
        format!(" ({})", t.withdrawn_short)
    } else {
        String::new()
    };
    let title_text = if is_current {
        format!("{name}{withdrawn_mark} – {}", t.site_name)
    } else {
        format!("{name} ({} {shown_label}){withdrawn_mark} – {}", t.version, t.site_name)
    };
    let mut layout = Layout::for_language(language.as_str(), title_text, Some(canonical));
    layout.feed = Some(format!("{base}/endringer.atom"));

    let mut history = history_rows(t, &base, &amp, &q, &versions, &shown_label);
    if let Some(w) = &view.withdrawal {
        history.insert(0, withdrawal_row(t, w));
    }
    // An older version says when it was in force; the current one its last substantive change.
    let in_force = (!is_current).then(|| in_force_text(t, &versions, &shown_label));
    let translation = translation_notice(&doc, &view, language, &shown, &base);
    let withdrawn_on = view.withdrawal.as_ref().map(documents::WithdrawalView::certain_from);
    let languages = language_links(&doc, &view, language, &base);
    let links = lifecycle_links(&doc, &view, &versions, &base, &q, &shown_label, is_current);
    let json_ld = ui::script_json(&structured_data(&StructuredData {
        name: &name,
        canonical: layout.canonical.as_deref().unwrap_or_default(),
        shown: &shown.info,
        versions: &versions,
        base: &base,
        q: &q,
        summary: &shown.info.summary,
        translation_of: translation.as_ref().map(|t| t.source_url.as_str()),
        withdrawal: view.withdrawal.as_ref(),
    }));
    // A date in the form that cannot be read: the page again, with the message by the field.
    let status = if matches!(asked, Shown::BadDate(_)) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut res = ui::render(
        status,
        &DocumentPage {
            t,
            label_line,
            title: shown.info.title.clone(),
            // A body from a static site says what it is about in its front matter.
            summary: if shown.info.summary.is_empty() {
                front_matter::description(&shown.body).unwrap_or_default()
            } else {
                shown.info.summary.clone()
            },
            content_lang: language.as_str().to_string(),
            alternates: alternates(&languages, language, &format!("{base}{q}"), is_current),
            version_label: shown_label.clone(),
            published_on: ui::format_opt_date(shown.info.published_on, t.lang),
            last_substantive: if is_current {
                view.last_substantive_change.map(|d| t.date(&d))
            } else {
                None
            },
            in_force,
            normen_version: doc.normen_version.clone(),
            review_line: match (view.review.last_reviewed_on, view.review.outcome) {
                (Some(d), Some(o)) => Some(format!("{} {}: {}.", t.last_reviewed, t.date(&d), t.review_outcome(o))),
                _ => None,
            },
            review_overdue: view
                .review
                .next_review_on
                .filter(|_| view.review.overdue)
                .map(|d| format!("{} {}.", t.review_overdue, t.date(&d))),
            toc: contents(&rendered.sections),
            body_html: rendered.html,
            withdrawn: withdrawal.map(|w| WithdrawnBanner::new(w, t, Some(&base))),
            older: (!is_current).then(|| OlderNotice {
                current_label: current_label.clone(),
                current_url: format!("{base}{q}"),
                compare_url: format!("{base}/sammenlign?fra={shown_label}&til={current_label}{amp}"),
            }),
            translation,
            languages,
            history,
            replaces: view
                .relations
                .iter()
                .filter(|r| r.kind.is_successor() && r.direction == RelationDirection::Incoming)
                .map(|r| relation_link(t, &r.document))
                .collect(),
            related: view
                .relations
                .iter()
                .filter(|r| r.kind == RelationKind::Related)
                .map(|r| relation_link(t, &r.document))
                .collect(),
            issues: needs
                .into_iter()
                .map(|n| KnownIssue {
                    title: n.title,
                    description: n.description,
                    kind: ui::revision_kind_name(n.kind),
                    state: ui::revision_state_name(n.state),
                    section: n.section,
                })
                .collect(),
            feed_url: format!("{base}/endringer.atom"),
            timeline: timeline(t, language, &all_versions, view.withdrawal.as_ref()),
            json_ld,
            historical: then.as_ref().map(|(on, _, withdrawn_on)| HistoricalNotice {
                date: t.date(on),
                current_url: format!("{base}{q}"),
                // The withdrawal in effect then is the current one, whose date may be unknown.
                withdrawn_on: withdrawn_on
                    .map(|d| withdrawal.map_or_else(|| t.date(&d), |w| t.opt_date(w.withdrawn_on))),
            }),
            as_of_form: {
                let (value, error) = match (asked, &then) {
                    (Shown::BadDate(typed), _) => (typed.to_string(), true),
                    (_, Some((on, _, _))) => (on.to_string(), false),
                    _ => (String::new(), false),
                };
                let mut form = AsOfForm::new(paths::document_as_of_form(&base), t, value, error);
                form.lang = (language != doc.language).then(|| language.as_str().to_string());
                form
            },
            layout,
        },
    );

    crate::links::apply(&mut res, withdrawn_on, &links);
    Ok(res)
}

/// The timeline of every published version, this page's language first, translations on their
/// own rows, and the withdrawal; none for a document with a single version.
fn timeline(
    t: &Texts,
    language: Language,
    versions: &[documents::VersionInfo],
    withdrawal: Option<&documents::WithdrawalView>,
) -> Option<Timeline> {
    let mut languages = vec![language];
    for v in versions {
        if !languages.contains(&v.language) {
            languages.push(v.language);
        }
    }
    let mut kinds = Vec::new();
    let mut rows: Vec<timeline::Row> = languages
        .iter()
        .map(|l| timeline::Row {
            label: ui::language_name(*l).to_string(),
            marks: versions
                .iter()
                .filter(|v| v.language == *l)
                .filter_map(|v| {
                    let (label, on) = (v.label.as_deref()?, v.published_on?);
                    let (kind, name) = match (&v.source, v.change_kind) {
                        (Some(_), _) => (timeline::MarkKind::Translation, t.timeline_translation),
                        (None, Some(ChangeKind::Editorial)) => {
                            (timeline::MarkKind::Editorial, t.change_kind_name(ChangeKind::Editorial))
                        }
                        (None, _) => (
                            timeline::MarkKind::Substantive,
                            t.change_kind_name(ChangeKind::Substantive),
                        ),
                    };
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                    Some(timeline::Mark {
                        on,
                        kind,
                        title: format!("{} {label}, {}: {name}", t.version, t.date(&on)),
                    })
                })
                .collect(),
        })
        .collect();
    let count = rows.iter().map(|r| r.marks.len()).sum();
    let years = rows.iter().flat_map(|r| r.marks.iter().map(|m| m.on.year()));
    let (from, to) = (years.clone().min()?, years.max()?);
    if let (Some(w), Some(first)) = (withdrawal, rows.first_mut()) {
        first.marks.push(timeline::Mark {
            on: w.certain_from(),
            kind: timeline::MarkKind::Withdrawal,
            title: format!("{} {}", t.withdrawn_short, t.opt_date(w.withdrawn_on)),
        });
        kinds.push(timeline::MarkKind::Withdrawal);
    }
    let description = t.timeline_description(
        count,
        from,
        to,
        withdrawal.map(|w| {
            w.withdrawn_on
                .map_or_else(|| t.date_unknown.to_string(), |d| d.year().to_string())
        }),
    );
    let svg = timeline::svg(&rows, &description)?;
    let legend = [
        (
            timeline::MarkKind::Substantive,
            "tl-key-substantive",
            t.change_kind_name(ChangeKind::Substantive),
        ),
        (
            timeline::MarkKind::Editorial,
            "tl-key-editorial",
            t.change_kind_name(ChangeKind::Editorial),
        ),
        (
            timeline::MarkKind::Translation,
            "tl-key-translation",
            t.timeline_translation,
        ),
        (timeline::MarkKind::Withdrawal, "tl-key-withdrawal", t.withdrawn_short),
    ]
    .into_iter()
    .filter(|(kind, ..)| kinds.contains(kind))
    .map(|(_, class, name)| (class, name))
    .collect();
    Some(Timeline { svg, legend })
}

/// The `hreflang` alternates of a current page: every other language and this one, absolute;
/// none for an old version or a page in one language.
fn alternates(others: &[LanguageLink], language: Language, self_url: &str, is_current: bool) -> Vec<(String, String)> {
    if !is_current || others.is_empty() {
        return Vec::new();
    }
    others
        .iter()
        .map(|l| (l.code.clone(), crate::links::absolute(&l.url)))
        .chain([(language.as_str().to_string(), crate::links::absolute(self_url))])
        .collect()
}

/// What the page's JSON-LD describes.
#[derive(Clone, Copy)]
struct StructuredData<'a> {
    name: &'a str,
    canonical: &'a str,
    shown: &'a documents::VersionInfo,
    /// The language's published versions, oldest first.
    versions: &'a [documents::VersionInfo],
    base: &'a str,
    q: &'a str,
    summary: &'a str,
    /// For a translation: the source version's page.
    translation_of: Option<&'a str>,
    withdrawal: Option<&'a documents::WithdrawalView>,
}

/// The shown version as a schema.org `DigitalDocument`: its version and dates, its language,
/// the version it revises (`isBasedOn`), the work it translates, and `Obsolete` when withdrawn.
fn structured_data(d: &StructuredData<'_>) -> serde_json::Value {
    use crate::links::absolute;
    let published: Vec<&documents::VersionInfo> = d.versions.iter().filter(|v| v.label.is_some()).collect();
    let at = published.iter().position(|v| v.id == d.shown.id);
    let mut out = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "DigitalDocument",
        "name": d.name,
        "headline": d.shown.title,
        "url": d.canonical,
        "version": d.shown.label,
        "inLanguage": d.shown.language.as_str(),
        "datePublished": published.first().and_then(|v| v.published_on).map(|x| x.to_string()),
        "dateModified": d.shown.published_on.map(|x| x.to_string()),
        "creativeWorkStatus": if d.withdrawal.is_some() { "Obsolete" } else { "Published" },
        "publisher": {"@type": "Organization", "name": "Normen"},
    });
    if !d.summary.is_empty() {
        out["description"] = d.summary.into();
    }
    if let Some(prev) = at.and_then(|i| i.checked_sub(1)).and_then(|i| published.get(i))
        && let Some(label) = &prev.label
    {
        out["isBasedOn"] = absolute(&format!("{}/versjon/{label}{}", d.base, d.q)).into();
    }
    if let Some(source) = d.translation_of {
        out["translationOfWork"] = serde_json::json!({"@type": "DigitalDocument", "url": absolute(source)});
    }
    // An unknown withdrawal date is left out rather than guessed.
    if let Some(w) = d.withdrawal.and_then(|w| w.withdrawn_on) {
        out["expires"] = w.to_string().into();
    }
    out
}

/// The page's `Link` relations: its successors when withdrawn, the latest and neighbouring
/// versions of an old one, and the version history.
fn lifecycle_links(
    doc: &documents::DocumentRecord,
    view: &documents::DocumentView,
    versions: &[documents::VersionInfo],
    base: &str,
    q: &str,
    shown_label: &str,
    is_current: bool,
) -> Vec<String> {
    use crate::links::link;
    let mut out = Vec::new();
    if let Some(w) = &view.withdrawal {
        out.extend(w.successors.iter().filter_map(|s| link(&s.url, "successor-version")));
    }
    let labels: Vec<&str> = versions.iter().filter_map(|v| v.label.as_deref()).collect();
    if !is_current {
        out.extend(link(&format!("{base}{q}"), "latest-version"));
        if let Some(at) = labels.iter().position(|l| *l == shown_label) {
            if at > 0 {
                out.extend(link(
                    &format!("{base}/versjon/{}{q}", labels[at - 1]),
                    "predecessor-version",
                ));
            }
            if let Some(next) = labels.get(at + 1) {
                out.extend(link(&format!("{base}/versjon/{next}{q}"), "successor-version"));
            }
        }
    }
    out.extend(link(
        &format!("/api/v1/documents/{}/versions", doc.id),
        "version-history",
    ));
    out
}

fn history_rows(
    t: &Texts,
    base: &str,
    amp: &str,
    q: &str,
    versions: &[documents::VersionInfo],
    shown_label: &str,
) -> Vec<HistoryRow> {
    let mut rows = Vec::new();
    let mut previous: Option<String> = None;
    for v in versions {
        let Some(label) = v.label.clone() else { continue };
        rows.push(HistoryRow {
            url: format!("{base}/versjon/{label}{q}"),
            date: ui::format_opt_date(v.published_on, t.lang),
            note: match &v.normen_version {
                Some(n) => format!("{} ({} {n})", v.change_note, t.aligned_with),
                None => v.change_note.clone(),
            },
            kind: v.change_kind.map(|k| t.change_kind_name(k)).unwrap_or(""),
            decision: v.decision.clone().unwrap_or_else(|| t.no_decision.to_string()),
            decision_url: v.decision.as_deref().map(crate::services::meetings::case_url),
            compare_url: previous
                .as_ref()
                .map(|p| format!("{base}/sammenlign?fra={p}&til={label}{amp}")),
            shown: label == shown_label,
            withdrawn: false,
            label: label.clone(),
        });
        previous = Some(label);
    }
    // Newest first, as Lovdata and the Datatracker list them.
    rows.reverse();
    rows
}

/// The withdrawal as the newest row of the history.
fn withdrawal_row(t: &Texts, w: &documents::WithdrawalView) -> HistoryRow {
    HistoryRow {
        label: t.withdrawn_short.to_string(),
        url: String::new(),
        date: t.opt_date(w.withdrawn_on),
        note: w.reason.clone(),
        kind: "",
        decision_url: w.decision.as_ref().map(|d| d.url.clone()),
        decision: w
            .decision
            .as_ref()
            .map(|d| format!("{} {}", ui::capitalised(t.case), d.case_number))
            .unwrap_or_else(|| t.no_decision.to_string()),
        compare_url: None,
        shown: false,
        withdrawn: true,
    }
}

/// When a version was the current one: from its date until the next version's (or, for the
/// last, until now).
fn in_force_text(t: &Texts, versions: &[documents::VersionInfo], label: &str) -> String {
    let published: Vec<&documents::VersionInfo> = versions.iter().filter(|v| v.label.is_some()).collect();
    let at = published.iter().position(|v| v.label.as_deref() == Some(label));
    let from = at.and_then(|i| published[i].published_on);
    let to = at.and_then(|i| published.get(i + 1)).and_then(|v| v.published_on);
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| t.date(&d)).unwrap_or_else(|| t.date_unknown.to_string());
    format!("{} – {}", date(from), date(to))
}

fn translation_notice(
    doc: &DocumentRecord,
    view: &DocumentView,
    language: Language,
    shown: &documents::VersionFull,
    base: &str,
) -> Option<TranslationNotice> {
    if language == doc.language {
        return None;
    }
    let source = shown.info.source.as_ref()?;
    let current_source_label = view
        .summary
        .current_version
        .as_ref()
        .map(|c| c.label.clone())
        .unwrap_or_default();
    let outdated = view
        .translations
        .iter()
        .find(|t| t.language == language)
        .is_some_and(|t| t.outdated && t.source_label == source.label);
    Some(TranslationNotice {
        source_url: format!("{base}/versjon/{}", source.label),
        compare_url: format!("{base}/sammenlign?fra={}&til={current_source_label}", source.label),
        source_label: source.label.clone(),
        outdated,
        current_source_label,
    })
}

fn language_links(doc: &DocumentRecord, view: &DocumentView, language: Language, base: &str) -> Vec<LanguageLink> {
    let mut out = Vec::new();
    if language != doc.language {
        out.push(LanguageLink {
            code: doc.language.as_str().to_string(),
            name: ui::language_name(doc.language),
            url: base.to_string(),
            outdated: false,
        });
    }
    for tr in &view.translations {
        if tr.language != language {
            out.push(LanguageLink {
                code: tr.language.as_str().to_string(),
                name: ui::language_name(tr.language),
                url: format!("{base}?lang={}", tr.language),
                outdated: tr.outdated,
            });
        }
    }
    out
}
