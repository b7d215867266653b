//! The compare page: two versions of a document side by side in one column, insertions and
//! deletions marked (also for screen readers), section by section, with a summary. Public at
//! `/faktaark/37/sammenlign?fra=1.0&til=2.0`; in the workspace, drafts can be compared too.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::diff::{self, Assessment, CompareOptions, Comparison, OpKind, SectionStatus};
use crate::domain::{DocumentKind, Language, VersionState};
use crate::error::AppError;
use crate::services::comparisons;
use crate::services::documents::{self, DocumentRecord, VersionPick};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::{Path, Query, Staff};
use crate::web::forms::Choice;
use crate::web::paths;
use crate::web::ui::{self, Layout, Texts};
use crate::web::workspace;

/// The compare page's query: `fra`, `til`, `lang`, and the ignore options (`valg=1` marks a
/// submitted options form, so unchecked boxes count).
#[derive(Debug, Default, Deserialize)]
pub struct CompareQuery {
    pub fra: Option<String>,
    pub til: Option<String>,
    pub lang: Option<String>,
    pub valg: Option<String>,
    pub mellomrom: Option<String>,
    pub tegn: Option<String>,
    pub store: Option<String>,
    /// `side` for the side-by-side view; the inline view otherwise.
    pub visning: Option<String>,
}

impl CompareQuery {
    fn options(&self) -> CompareOptions {
        let mut o = CompareOptions::default();
        if self.valg.is_some() {
            o.ignore_whitespace = self.mellomrom.is_some();
            o.ignore_punctuation = self.tegn.is_some();
            o.ignore_case = self.store.is_some();
        }
        o
    }
}

/// What a piece of the diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    Equal,
    Insert,
    Delete,
    /// Text left out to bound the page (`text` is empty).
    Gap,
}

/// A piece of text in the diff.
pub struct Piece {
    pub kind: PieceKind,
    pub text: String,
}

impl Piece {
    pub fn is_insert(&self) -> bool {
        self.kind == PieceKind::Insert
    }

    pub fn is_delete(&self) -> bool {
        self.kind == PieceKind::Delete
    }

    pub fn is_gap(&self) -> bool {
        self.kind == PieceKind::Gap
    }
}

/// One section of the diff.
pub struct SectionView {
    pub heading: String,
    pub status: &'static str,
    pub changed: bool,
    pub normative: bool,
    pub pieces: Vec<Piece>,
    /// The side-by-side view: the old text (equal and deleted) and the new (equal and inserted).
    pub left: Vec<Piece>,
    pub right: Vec<Piece>,
    pub anchor: String,
    /// This entry stands for this many unchanged sections, not shown.
    pub collapsed: Option<usize>,
    /// Changes of this section left out at the end.
    pub ops_omitted: Option<usize>,
}

/// The summary line.
pub struct SummaryView {
    pub words_added: usize,
    pub words_removed: usize,
    pub sections_changed: usize,
    pub sections_added: usize,
    pub sections_removed: usize,
    pub normative: usize,
    pub kind: &'static str,
    pub degraded: bool,
    /// What was left out to bound the page, when anything was.
    pub limited: Option<String>,
}

#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage {
    pub layout: Layout,
    pub t: &'static Texts,
    pub en: bool,
    pub doc_name: String,
    pub doc_url: String,
    pub action: String,
    pub lang_param: Option<String>,
    pub choices: Vec<Choice>,
    pub from: String,
    pub to: String,
    /// "Versjon 2.0" or "Utkastet", as a heading says it.
    pub from_title: String,
    pub to_title: String,
    /// "versjon 2.0" or "utkastet", inside a sentence.
    pub to_name: String,
    pub from_url: Option<String>,
    pub to_url: Option<String>,
    pub summary: Option<SummaryView>,
    pub sections: Vec<SectionView>,
    pub ignore_whitespace: bool,
    pub ignore_punctuation: bool,
    pub ignore_case: bool,
    pub side_by_side: bool,
    /// False on the successor comparison, which has no versions to choose.
    pub show_form: bool,
    /// Replaces "Version A compared with version B" where the sides are two documents.
    pub heading: Option<String>,
    /// A unified diff of the two versions, for download (published versions only).
    pub download_url: Option<String>,
    pub message: Option<String>,
}

/// A version as the page names it: "versjon 2.0", or "utkastet" for the draft.
fn side_name(label: &str, en: bool) -> String {
    match (VersionPick::parse(label), en) {
        (Some(VersionPick::Draft), false) => "utkastet".into(),
        (Some(VersionPick::Draft), true) => "the draft".into(),
        (_, false) => format!("versjon {label}"),
        (_, true) => format!("version {label}"),
    }
}

/// A version in the menus: "2.0 – 5. mai 2021 – Krav om skriftlige rutiner".
fn choice_text(t: &Texts, label: &str, v: &documents::VersionInfo) -> String {
    let mut text = label.to_string();
    if let Some(d) = v.published_on {
        text.push_str(" – ");
        text.push_str(&t.date(&d));
    }
    let note = v.change_note.trim();
    if !note.is_empty() {
        const MAX: usize = 60;
        text.push_str(" – ");
        if note.chars().count() > MAX {
            text.extend(note.chars().take(MAX - 1));
            text.push('…');
        } else {
            text.push_str(note);
        }
    }
    text
}

fn status_name(s: SectionStatus, en: bool) -> &'static str {
    match (s, en) {
        (SectionStatus::Unchanged, false) => "Uendret",
        (SectionStatus::Changed, false) => "Endret",
        (SectionStatus::Added, false) => "Lagt til",
        (SectionStatus::Removed, false) => "Fjernet",
        (SectionStatus::Moved, false) => "Flyttet",
        (SectionStatus::Renamed, false) => "Ny overskrift",
        (SectionStatus::Unchanged, true) => "Unchanged",
        (SectionStatus::Changed, true) => "Changed",
        (SectionStatus::Added, true) => "Added",
        (SectionStatus::Removed, true) => "Removed",
        (SectionStatus::Moved, true) => "Moved",
        (SectionStatus::Renamed, true) => "Renamed",
    }
}

/// An op's piece, and a gap piece after it where text was left out.
fn with_gap(kind: PieceKind, op: &diff::Op) -> Vec<Piece> {
    let mut out = vec![Piece {
        kind,
        text: op.text.clone(),
    }];
    if op.omitted_bytes > 0 {
        out.push(Piece {
            kind: PieceKind::Gap,
            text: String::new(),
        });
    }
    out
}

fn limited_notice(l: &diff::OutputLimit, en: bool) -> String {
    if en {
        format!(
            "The comparison is too large to show in full: {} unchanged sections are folded away, {} sections at the end and {} KB of unchanged text are left out. Download the changes as a .diff file for all of them.",
            l.sections_collapsed,
            l.sections_omitted,
            l.bytes_omitted / 1000
        )
    } else {
        format!(
            "Sammenligningen er for stor til å vises i sin helhet: {} uendrede avsnitt er slått sammen, {} avsnitt til slutt og {} kB uendret tekst er utelatt. Last ned endringene som .diff-fil for å se alt.",
            l.sections_collapsed,
            l.sections_omitted,
            l.bytes_omitted / 1000
        )
    }
}

fn view_of(c: &Comparison, en: bool) -> (SummaryView, Vec<SectionView>) {
    let kind = match (c.summary.change_kind, en) {
        (Assessment::Substantive, false) => "faglig endring",
        (Assessment::Editorial, false) => "redaksjonell endring",
        (Assessment::Substantive, true) => "substantive change",
        (Assessment::Editorial, true) => "editorial change",
        (Assessment::None, false) => "ingen endring",
        (Assessment::None, true) => "no change",
    };
    let summary = SummaryView {
        words_added: c.summary.words_added,
        words_removed: c.summary.words_removed,
        sections_changed: c.summary.sections_changed + c.summary.sections_renamed + c.summary.sections_moved,
        sections_added: c.summary.sections_added,
        sections_removed: c.summary.sections_removed,
        normative: c.summary.normative_changes,
        kind,
        degraded: c.degraded,
        limited: c.output_limit.as_ref().map(|l| limited_notice(l, en)),
    };
    let sections = c
        .sections
        .iter()
        .map(|s| {
            let heading = s
                .to_heading
                .clone()
                .or_else(|| s.from_heading.clone())
                .unwrap_or_else(|| {
                    if s.front_matter {
                        "Metadata".into()
                    } else if en {
                        "Introduction".into()
                    } else {
                        "Innledning".into()
                    }
                });
            let pieces = s
                .ops
                .iter()
                .filter_map(|op| {
                    let kind = match (op.op, op.ignorable) {
                        // Differences the options ignore are shown as the new text.
                        (OpKind::Delete, true) => return None,
                        (OpKind::Insert, true) | (OpKind::Equal, _) => PieceKind::Equal,
                        (OpKind::Insert, false) => PieceKind::Insert,
                        (OpKind::Delete, false) => PieceKind::Delete,
                    };
                    Some(with_gap(kind, op))
                })
                .flatten()
                .collect();
            let (left, right) = diff::side_by_side(s);
            let side = |ops: Vec<diff::Op>| {
                ops.iter()
                    .flat_map(|op| {
                        let kind = match (op.op, op.ignorable) {
                            (OpKind::Equal, _) | (_, true) => PieceKind::Equal,
                            (OpKind::Insert, false) => PieceKind::Insert,
                            (OpKind::Delete, false) => PieceKind::Delete,
                        };
                        with_gap(kind, op)
                    })
                    .collect()
            };
            let heading = match s.collapsed {
                Some(n) if en => format!("{n} unchanged sections, from «{heading}»"),
                Some(n) => format!("{n} uendrede avsnitt, fra «{heading}»"),
                None => heading,
            };
            SectionView {
                heading,
                status: status_name(s.status, en),
                changed: s.status != SectionStatus::Unchanged,
                normative: s.normative,
                pieces,
                left: side(left),
                right: side(right),
                anchor: s.anchor.clone(),
                collapsed: s.collapsed,
                ops_omitted: s.ops_omitted,
            }
        })
        .collect();
    (summary, sections)
}

/// Makes the URL of a version's page, where there is one.
type VersionUrl<'a> = Box<dyn Fn(&str) -> Option<String> + Send + 'a>;

/// Where the page is and which versions it offers.
struct Context<'a> {
    doc: &'a DocumentRecord,
    language: Language,
    drafts: bool,
    action: String,
    layout: Layout,
    doc_name: String,
    doc_url: String,
    version_url: VersionUrl<'a>,
}

async fn build(state: &AppState, ctx: Context<'_>, q: &CompareQuery) -> WebResult<Response> {
    let db = &state.db;
    let lang = ctx.language;
    let versions = documents::list_versions(db, ctx.doc, Some(lang), ctx.drafts).await?;
    let t = ui::texts_for(lang.as_str());
    let en = t.lang == Language::En.as_str();
    // Each choice says when the version came and what it changed, not its label alone.
    let mut choices: Vec<Choice> = versions
        .iter()
        .filter_map(|v| Some((v.label.clone()?, v)))
        .map(|(l, v)| Choice::new(l.clone(), choice_text(t, &l, v)))
        .collect();
    if ctx.drafts && versions.iter().any(|v| v.state == VersionState::Draft) {
        choices.push(Choice::new(VersionPick::Draft.to_string(), "Utkast"));
    }
    let labels: Vec<String> = choices.iter().map(|c| c.value.clone()).collect();
    let n = labels.len();
    let default_to = labels.last().cloned().unwrap_or_default();
    let default_from = if n >= 2 {
        labels[n - 2].clone()
    } else {
        default_to.clone()
    };
    let from = q.fra.clone().filter(|s| !s.is_empty()).unwrap_or(default_from);
    let to = q.til.clone().filter(|s| !s.is_empty()).unwrap_or(default_to);
    for label in [&from, &to] {
        if !labels.is_empty() && !labels.contains(label) {
            return Err(AppError::not_found(format!("version {label:?}")).into());
        }
    }
    let opts = q.options();
    let mut page = ComparePage {
        t,
        en,
        doc_name: ctx.doc_name,
        doc_url: ctx.doc_url,
        action: ctx.action,
        lang_param: (lang != ctx.doc.language).then(|| lang.as_str().to_string()),
        choices,
        from_url: (ctx.version_url)(&from),
        to_url: (ctx.version_url)(&to),
        from_title: ui::capitalised(&side_name(&from, en)),
        to_title: ui::capitalised(&side_name(&to, en)),
        to_name: side_name(&to, en),
        from: from.clone(),
        to: to.clone(),
        summary: None,
        sections: Vec::new(),
        ignore_whitespace: opts.ignore_whitespace,
        ignore_punctuation: opts.ignore_punctuation,
        ignore_case: opts.ignore_case,
        side_by_side: q.visning.as_deref() == Some("side"),
        show_form: true,
        heading: None,
        download_url: (!ctx.drafts).then(|| {
            format!(
                "/api/v1/documents/{}/diff?from={}&to={}&lang={}&format=diff",
                ctx.doc.id,
                crate::web::error::urlencode(&from),
                crate::web::error::urlencode(&to),
                lang
            )
        }),
        message: None,
        layout: ctx.layout,
    };
    if n < 2 {
        page.message = Some(if en {
            "There is only one version, so there is nothing to compare yet.".into()
        } else {
            "Det finnes bare én versjon, så det er ingenting å sammenligne ennå.".into()
        });
        return Ok(ui::render(StatusCode::OK, &page));
    }
    if from == to {
        let name = side_name(&from, en);
        page.message = Some(if en {
            format!("You are comparing {name} with itself: they are equal. Choose two different versions.")
        } else {
            format!("Du sammenligner {name} med seg selv: de er like. Velg to forskjellige versjoner.")
        });
        return Ok(ui::render(StatusCode::OK, &page));
    }
    let pick = |label: &str| VersionPick::parse(label).ok_or_else(|| AppError::not_found(format!("version {label:?}")));
    let pair = comparisons::version_pair(db, ctx.doc, pick(&from)?, pick(&to)?, Some(lang), ctx.drafts).await?;
    let result = comparisons::run(pair, opts).await?;
    let (summary, sections) = view_of(&result.comparison, en);
    if summary.words_added + summary.words_removed == 0 && !sections.iter().any(|s| s.changed) {
        page.message = Some(if en {
            "The two versions have the same text.".into()
        } else {
            "De to versjonene har lik tekst.".into()
        });
    }
    page.summary = Some(summary);
    page.sections = sections;
    Ok(ui::render(StatusCode::OK, &page))
}

/// `GET /{kind}/{key}/sammenlign`: compares two published versions.
pub async fn show_public(state: &AppState, kind: DocumentKind, key: &str, q: CompareQuery) -> WebResult<Response> {
    let doc = documents::find_by_path(&state.db, &[kind], key, false).await?;
    let language = crate::web::documents::parse_language(&doc, q.lang.as_deref())?;
    let view = documents::document_view(&state.db, &doc, false).await?;
    let base = doc.url();
    let t = ui::texts_for(language.as_str());
    let name = format!(
        "{}: {}",
        ui::document_label(t, doc.kind, doc.number.as_deref()),
        view.summary.title
    );
    let lq = crate::web::documents::lang_query(&doc, language, '?');
    let heading = if t.lang == "en" {
        "Compare versions"
    } else {
        "Sammenlign versjoner"
    };
    let canonical = format!(
        "{base}/sammenlign?fra={}&til={}{}",
        crate::web::error::urlencode(q.fra.as_deref().unwrap_or("")),
        crate::web::error::urlencode(q.til.as_deref().unwrap_or("")),
        crate::web::documents::lang_query(&doc, language, '&')
    );
    let layout = Layout::for_language(
        language.as_str(),
        format!("{heading}: {name} – {}", t.site_name),
        Some(canonical),
    );
    let base2 = base.clone();
    let lq2 = lq.clone();
    let ctx = Context {
        doc: &doc,
        language,
        drafts: false,
        action: format!("{base}/sammenlign"),
        layout,
        doc_name: name,
        doc_url: format!("{base}{lq}"),
        version_url: Box::new(move |l: &str| Some(format!("{base2}/versjon/{l}{lq2}"))),
    };
    build(state, ctx, &q).await
}

/// `GET /redaksjon/dokumenter/{id}/sammenlign`: staff compare, drafts included.
pub async fn show_workspace(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i32>,
    Query(q): Query<CompareQuery>,
) -> WebResult<Response> {
    let doc = documents::find_visible(&state.db, id, true).await?;
    let language = crate::web::documents::parse_language(&doc, q.lang.as_deref())?;
    let view = documents::document_view(&state.db, &doc, true).await?;
    let name = format!(
        "{}: {}",
        ui::document_label(&ui::NB, doc.kind, doc.number.as_deref()),
        view.summary.title
    );
    let layout = workspace::layout(&staff, format!("Sammenlign: {name}"));
    let ctx = Context {
        doc: &doc,
        language,
        drafts: true,
        action: paths::compare(id),
        layout,
        doc_name: name,
        doc_url: paths::document(id),
        version_url: Box::new(|_| None),
    };
    build(&state, ctx, &q).await
}

/// The successor comparison's query: which successor (the first by default).
#[derive(Debug, Default, Deserialize)]
pub struct SuccessorQuery {
    pub etterfolger: Option<i32>,
}

/// `GET /{kind}/{key}/sammenlign-med-etterfolger`: a withdrawn document's last version against
/// the first version of its successor.
pub async fn show_successor(state: &AppState, kind: DocumentKind, key: &str, q: SuccessorQuery) -> WebResult<Response> {
    let doc = documents::find_by_path(&state.db, &[kind], key, false).await?;
    let pair = comparisons::successor_pair(&state.db, &doc, q.etterfolger, false).await?;
    let t = ui::texts_for(doc.language.as_str());
    let en = t.lang == Language::En.as_str();
    let base = doc.url();
    let view = documents::document_view(&state.db, &doc, false).await?;
    let name = format!(
        "{}: {}",
        ui::document_label(t, doc.kind, doc.number.as_deref()),
        view.summary.title
    );
    let (from, to) = (pair.from.0.clone(), pair.to.0.clone());
    let download_url = format!(
        "/api/v1/documents/{}/successor-diff?successor={}&format=diff",
        doc.id, to.document_id
    );
    let result = comparisons::run(pair, CompareOptions::default()).await?;
    let (summary, sections) = view_of(&result.comparison, en);
    let heading = if en {
        format!("{} {} compared with {} {}", from.title, from.label, to.title, to.label)
    } else {
        format!(
            "{} {} sammenlignet med {} {}",
            from.title, from.label, to.title, to.label
        )
    };
    let title = if en {
        "Compare with the successor"
    } else {
        "Sammenlign med det som erstatter"
    };
    let page = ComparePage {
        layout: Layout::for_language(
            doc.language.as_str(),
            format!("{title}: {name} – {}", t.site_name),
            Some(format!(
                "{base}/sammenlign-med-etterfolger?etterfolger={}",
                to.document_id
            )),
        ),
        t,
        en,
        doc_name: name,
        doc_url: base.clone(),
        action: String::new(),
        lang_param: None,
        choices: Vec::new(),
        from_title: format!("{} {}", from.title, from.label),
        to_title: format!("{} {}", to.title, to.label),
        to_name: format!("{} {}", to.title, to.label),
        from: from.label.clone(),
        to: to.label.clone(),
        from_url: Some(from.url),
        to_url: Some(to.url),
        summary: Some(summary),
        sections,
        ignore_whitespace: true,
        ignore_punctuation: false,
        ignore_case: false,
        side_by_side: false,
        show_form: false,
        heading: Some(heading),
        download_url: Some(download_url),
        message: None,
    };
    Ok(ui::render(StatusCode::OK, &page))
}
