//! Markdown → safe HTML: pulldown-cmark renders, ammonia sanitises. This is the only source of
//! HTML that templates print unescaped (`|safe`), so it is the one place to audit.
//!
//! Rendering is bounded: pulldown-cmark's HTML is capped in size, html5ever (inside ammonia) is
//! only given HTML that nests no deeper than the body rule allows (its tree builder scans the
//! stack of open elements, so its time grows with depth × size), and the sanitiser reads under a
//! deadline as a last guard. A body that breaks a bound (one stored before the rule existed) is
//! shown as escaped text instead. Callers on async workers go through
//! `services::rendering`, which runs this on the blocking pool.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::domain::Language;
use crate::domain::body::{MAX_HTML_BYTES, MAX_NESTING_DEPTH, html_nesting_depth};
use crate::domain::front_matter::markdown_only;

/// Last guard on the sanitiser's time; bodies that pass the body rule take far less.
const SANITIZE_DEADLINE: Duration = Duration::from_secs(3);

/// The sanitiser: ammonia's allow-list (no `<script>`, `<style>`, event handlers, `javascript:`
/// or `data:` URLs), with links marked `noopener noreferrer`, plus the table alignment and
/// heading ids that pulldown-cmark emits.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_generic_attributes(["id"])
        .add_tag_attributes("a", ["aria-label"])
        .add_allowed_classes("a", ["section-link"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"))
        .filter_style_properties(HashSet::from(["text-align"]));
    b
});

fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    options
}

/// A `fmt::Write` that refuses to grow past `cap` bytes.
struct Capped {
    out: String,
    cap: usize,
}

impl std::fmt::Write for Capped {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.out.len() + s.len() > self.cap {
            return Err(std::fmt::Error);
        }
        self.out.push_str(s);
        Ok(())
    }
}

/// A heading of a rendered body: its anchor and text, for the contents list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// 2 or 3: the level on the page (after the body's `#` headings moved down).
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A body rendered for its page: safe HTML, with every heading anchored, and its sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub sections: Vec<Section>,
}

/// Ids the document page itself uses: a heading with such a text ("Innhold", "Historikk")
/// gets a suffix, so the page's skip link and section references keep their targets.
pub const PAGE_IDS: &[&str] = &[
    "innhold",
    "innholdsliste",
    "tidslinje",
    "kjente-feil",
    "erstatter",
    "relatert",
    "historikk",
    "utgatt-tittel",
    "oppsummering",
    "vis-slik-det-var",
    "f-dato",
    "f-dato-hint",
    "f-dato-error",
];

/// At most this many headings are listed as sections (every heading is still anchored).
const MAX_SECTIONS: usize = 500;
/// How many headings get an id and a link to themselves.
const MAX_ANCHORED_HEADINGS: usize = 2_000;

/// pulldown-cmark's HTML (not yet sanitised), or `None` when it would exceed `cap` bytes.
///
/// What is rendered is the Markdown alone (`domain::front_matter::markdown_only`: no front
/// matter, no site markup). The page's title is its only `h1`, so a body with `#` headings has
/// every heading moved one level down (`#` → `h2`, `##` → `h3`, `h6` stays). With `anchors`,
/// every heading gets a stable id from its text and a link to itself labelled in that
/// language, and the `h2`/`h3` headings are returned as sections.
pub fn unsanitized_html(markdown: &str, cap: usize, anchors: Option<Language>) -> Option<(String, Vec<Section>)> {
    let markdown = markdown_only(markdown);
    let markdown = markdown.as_ref();
    let mut out = Capped {
        out: String::with_capacity(markdown.len().saturating_mul(3) / 2),
        cap,
    };
    let has_h1 = Parser::new_ext(markdown, options()).any(|e| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    let events = Parser::new_ext(markdown, options()).map(|e| match e {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) if has_h1 => Event::Start(Tag::Heading {
            level: one_down(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) if has_h1 => Event::End(TagEnd::Heading(one_down(level))),
        e => e,
    });
    let mut sections = Vec::new();
    match anchors {
        Some(language) => {
            let events = anchored(events, language, &mut sections);
            html::write_html_fmt(&mut out, events.into_iter()).ok()?;
        }
        None => html::write_html_fmt(&mut out, events).ok()?,
    }
    Some((out.out, sections))
}

/// The events with every heading given a unique id (its own `{#id}` if it has a plain one,
/// else one made from its text) and a link to itself at its end.
fn anchored<'a>(
    events: impl Iterator<Item = Event<'a>>,
    language: Language,
    sections: &mut Vec<Section>,
) -> Vec<Event<'a>> {
    let label = match language {
        Language::En => "Link to this section",
        Language::Nb | Language::Nn => "Lenke til dette avsnittet",
    };
    let mut ids = Ids::reserved();
    let mut anchored = 0;
    let mut out = Vec::new();
    // The open heading: its start tag's parts and the events inside it.
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event<'a>>)> = None;
    for event in events {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id.map(|i| i.to_string()), Vec::new()));
            }
            Event::End(TagEnd::Heading(level)) => {
                let (_, given, inner) = heading.take().unwrap_or((level, None, Vec::new()));
                // Past the cap a heading stays plain: ids and links would add ~100 bytes each
                // to a body of nothing but headings, and nobody navigates such a body by them.
                if anchored == MAX_ANCHORED_HEADINGS {
                    out.push(Event::Start(Tag::Heading {
                        level,
                        id: None,
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }));
                    out.extend(inner);
                    out.push(Event::End(TagEnd::Heading(level)));
                    continue;
                }
                anchored += 1;
                let title = plain_text(&inner);
                let wanted = given.filter(|g| is_plain_id(g)).unwrap_or_else(|| heading_id(&title));
                let id = ids.unique(wanted);
                let depth = match level {
                    HeadingLevel::H2 => Some(2),
                    HeadingLevel::H3 => Some(3),
                    _ => None,
                };
                if let Some(depth) = depth
                    && sections.len() < MAX_SECTIONS
                {
                    sections.push(Section {
                        level: depth,
                        id: id.clone(),
                        title: title.clone(),
                    });
                }
                // The id is [A-Za-z0-9_-] only, so it needs no escaping in the attribute.
                let link = format!(r##"<a class="section-link" href="#{id}" aria-label="{label}">#</a>"##);
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                out.extend(inner);
                out.push(Event::InlineHtml(link.into()));
                out.push(Event::End(TagEnd::Heading(level)));
            }
            e => match &mut heading {
                Some((_, _, inner)) => inner.push(e),
                None => out.push(e),
            },
        }
    }
    out
}

/// A heading's text without its markup.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut out = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Whether an author's `{#id}` can be used as it is.
fn is_plain_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_CHARS && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Longest id made from a heading.
const MAX_ID_CHARS: usize = 64;

/// A stable id from a heading's text: lower case ASCII letters and digits joined by `-`
/// ("Tilgang og sårbarhet" → "tilgang-og-sarbarhet"); æ, ø and ß spelt out, other accents
/// dropped; "avsnitt" when nothing is left.
pub fn heading_id(text: &str) -> String {
    use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
    let mut out = String::new();
    let mut dash = false;
    for c in text.nfd() {
        let spelt: &str = match c {
            'æ' | 'Æ' => "ae",
            'ø' | 'Ø' => "o",
            'ß' => "ss",
            c if is_combining_mark(c) => continue,
            _ => "",
        };
        if !spelt.is_empty() || c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            if spelt.is_empty() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push_str(spelt);
            }
            if out.len() >= MAX_ID_CHARS {
                break;
            }
        } else {
            dash = true;
        }
    }
    if out.is_empty() { "avsnitt".to_string() } else { out }
}

/// The ids taken so far, and for each wanted id the last suffix tried, so a page with
/// thousands of equal headings does not rescan `-2`, `-3` … for each one.
struct Ids {
    used: HashSet<String>,
    last_suffix: HashMap<String, usize>,
}

impl Ids {
    fn reserved() -> Self {
        Self {
            used: PAGE_IDS.iter().map(ToString::to_string).collect(),
            last_suffix: HashMap::new(),
        }
    }

    /// `wanted`, or `wanted-2`, `wanted-3` … when it is taken.
    fn unique(&mut self, wanted: String) -> String {
        if self.used.insert(wanted.clone()) {
            return wanted;
        }
        let n = self.last_suffix.entry(wanted.clone()).or_insert(1);
        loop {
            *n += 1;
            let id = format!("{wanted}-{n}");
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

fn one_down(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// Feeds the sanitiser and gives up once the deadline has passed (html5ever reads 4 KiB at a
/// time, so the check runs often).
struct DeadlineReader<'a> {
    rest: &'a [u8],
    deadline: Instant,
}

impl io::Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if Instant::now() > self.deadline {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "sanitiser deadline"));
        }
        self.rest.read(buf)
    }
}

/// Why a body was shown as escaped text rather than rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Degraded {
    TooMuchHtml,
    TooDeep,
    TooSlow,
}

/// Renders a Markdown body to sanitised HTML (headings anchored when `anchors` is given), or
/// says why it could not within the bounds.
pub fn try_render(markdown: &str, anchors: Option<Language>) -> Result<Rendered, Degraded> {
    let (raw, sections) = unsanitized_html(markdown, MAX_HTML_BYTES, anchors).ok_or(Degraded::TooMuchHtml)?;
    if html_nesting_depth(&raw, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH {
        return Err(Degraded::TooDeep);
    }
    let reader = DeadlineReader {
        rest: raw.as_bytes(),
        deadline: Instant::now() + SANITIZE_DEADLINE,
    };
    let html = SANITIZER
        .clean_from_reader(reader)
        .map_err(|_| Degraded::TooSlow)?
        .to_string();
    // Sanitising adds `rel` to links and escapes; twice the cap only trips on raw-HTML floods
    // (`<a>` repeated grows tenfold), which the body rule does not measure.
    if html.len() > 2 * MAX_HTML_BYTES {
        return Err(Degraded::TooMuchHtml);
    }
    Ok(Rendered { html, sections })
}

/// A document's body for its page: every heading anchored with a link labelled in the
/// document's language, and its sections; a body beyond the bounds becomes escaped text.
pub fn render_document(markdown: &str, language: Language) -> Rendered {
    try_render(markdown, Some(language)).unwrap_or_else(|why| degraded(markdown, why))
}

/// A short Markdown text (a case's background, minutes) as sanitised HTML, headings plain.
pub fn to_safe_html(markdown: &str) -> String {
    try_render(markdown, None)
        .unwrap_or_else(|why| degraded(markdown, why))
        .html
}

fn degraded(markdown: &str, why: Degraded) -> Rendered {
    tracing::warn!(reason = ?why, bytes = markdown.len(), "body shown as plain text");
    Rendered {
        html: escaped_text(markdown),
        sections: Vec::new(),
    }
}

/// The body as escaped, preformatted text: safe for any input, linear in its size.
fn escaped_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 64);
    out.push_str("<pre class=\"unrendered\">");
    for c in markdown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => {
                let _ = out.write_char(c);
            }
        }
    }
    out.push_str("</pre>");
    out
}

#[cfg(test)]
mod tests {
    use super::{Degraded, Language, PAGE_IDS, Section, heading_id, render_document, to_safe_html, try_render};

    #[test]
    fn renders_markdown() {
        let html = to_safe_html(
            "# Tittel\n\nTekst med **fet** og [lenke](https://example.org).\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n",
        );
        // The page's title is the only h1: the body's headings move one level down.
        assert!(html.contains("<h2>Tittel</h2>") && !html.contains("<h1"), "{html}");
        assert!(html.contains("<strong>fet</strong>"));
        assert!(html.contains(r#"href="https://example.org""#));
        assert!(html.contains(r#"rel="noopener noreferrer""#));
        assert!(html.contains("<table>"));
        assert!(html.contains(r#"style="text-align:right""#), "{html}");
    }

    #[test]
    fn front_matter_and_site_markup_are_not_shown() {
        let html = to_safe_html(
            "---\ntitle: T\ndescription: D\nsidebar: s\nredirect_from: /x\n---\n\n* TOC\n{:toc}\n\n## Del\nTekst.\n",
        );
        assert_eq!(html.trim(), "<h2>Del</h2>\n<p>Tekst.</p>", "{html}");
        // Without an h1, levels stay as written.
        assert!(to_safe_html("## A\n\n### B\n").contains("<h3>B</h3>"));
        assert!(to_safe_html("# A\n\n###### F\n").contains("<h6>F</h6>"));
    }

    #[test]
    fn strips_scripts_handlers_and_javascript_urls() {
        let html = to_safe_html(
            "Hei <script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[klikk](javascript:alert(3))\n\n<a href=\"javascript:alert(4)\">x</a>\n\n<div style=\"position:fixed\" onclick=\"alert(5)\">y</div>\n\n<iframe src=\"https://evil.example\"></iframe>",
        );
        for bad in [
            "<script",
            "alert(1)",
            "onerror",
            "javascript:",
            "onclick",
            "<iframe",
            "position:fixed",
        ] {
            assert!(!html.contains(bad), "{bad:?} survived in {html}");
        }
        assert!(html.contains("Hei"));
    }

    #[test]
    fn a_body_nested_too_deep_is_shown_as_escaped_text() {
        let body = format!("{} <b>x</b>\n", ">".repeat(5000));
        assert_eq!(try_render(&body, None).err(), Some(Degraded::TooDeep));
        let html = to_safe_html(&body);
        assert!(
            html.starts_with("<pre class=\"unrendered\">&gt;&gt;"),
            "{}",
            &html[..80]
        );
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(!html.contains("<blockquote"));
    }

    #[test]
    fn a_body_that_expands_too_much_is_shown_as_escaped_text() {
        // Every footnote reference makes ~55 bytes of HTML from 5.
        let body = format!("[^a]: x\n\n{}", "[^a] ".repeat(200_000));
        assert_eq!(try_render(&body, None).err(), Some(Degraded::TooMuchHtml));
        assert!(to_safe_html(&body).starts_with("<pre class=\"unrendered\">"));
    }

    #[test]
    fn heading_ids_are_made_from_the_text() {
        assert_eq!(heading_id("Tilgang og sårbarhet"), "tilgang-og-sarbarhet");
        assert_eq!(
            heading_id("  3.2 Ærlig, østlig — Straße!  "),
            "3-2-aerlig-ostlig-strasse"
        );
        assert_eq!(heading_id("Café"), "cafe");
        assert_eq!(heading_id("«»—"), "avsnitt");
        assert!(heading_id(&"lang ".repeat(100)).len() <= 68);
    }

    #[test]
    fn every_heading_is_anchored_and_the_sections_are_listed() {
        let r = render_document(
            "# Innledning\n\nTekst.\n\n## Tilgang og `kode`\n\n## Tilgang og kode\n\n# Innhold\n\n#### Dypt {#eget-id}\n",
            Language::Nb,
        );
        // `#` moved to h2; the repeated text gets a suffix; "Innhold" is the page's own id.
        assert!(r.html.contains(r##"<h2 id="innledning">Innledning<a class="section-link" href="#innledning" aria-label="Lenke til dette avsnittet" rel="noopener noreferrer">#</a></h2>"##), "{}", r.html);
        assert!(r.html.contains(r#"<h3 id="tilgang-og-kode-2">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="innhold-2">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h5 id="eget-id">"#), "{}", r.html);
        let levels: Vec<(u8, &str, &str)> = r
            .sections
            .iter()
            .map(|s| (s.level, s.id.as_str(), s.title.as_str()))
            .collect();
        assert_eq!(
            levels,
            [
                (2, "innledning", "Innledning"),
                (3, "tilgang-og-kode", "Tilgang og kode"),
                (3, "tilgang-og-kode-2", "Tilgang og kode"),
                (2, "innhold-2", "Innhold"),
            ]
        );
        let en = render_document("## Scope\n", Language::En);
        assert!(en.html.contains(r#"aria-label="Link to this section""#), "{}", en.html);
        assert_eq!(
            en.sections,
            [Section {
                level: 2,
                id: "scope".into(),
                title: "Scope".into()
            }]
        );
        // Short texts elsewhere (a case's background) keep plain headings.
        assert!(to_safe_html("## A\n").contains("<h2>A</h2>"));
    }

    #[test]
    fn headings_past_the_cap_stay_plain() {
        let r = render_document(&"## x\n".repeat(super::MAX_ANCHORED_HEADINGS + 3), Language::Nb);
        assert_eq!(r.html.matches("section-link").count(), super::MAX_ANCHORED_HEADINGS);
        assert_eq!(r.html.matches("<h2>x</h2>").count(), 3);
        assert!(
            r.html
                .contains(&format!(r#"<h2 id="x-{}">"#, super::MAX_ANCHORED_HEADINGS))
        );
    }

    #[test]
    fn repeated_headings_take_the_next_free_suffix() {
        let mut ids = super::Ids::reserved();
        let got: Vec<String> = ["x", "x", "x-3", "x", "x", "innhold"]
            .into_iter()
            .map(|w| ids.unique(w.to_string()))
            .collect();
        assert_eq!(got, ["x", "x-2", "x-3", "x-4", "x-5", "innhold-2"]);
    }

    #[test]
    fn an_author_cannot_break_out_of_an_id_or_add_classes() {
        let r = render_document(
            "## Hei {#x\"onmouseover=alert(1)}\n\n<a class=\"button section-link\" href=\"/x\">lenke</a>\n",
            Language::Nb,
        );
        assert!(!r.html.contains("onmouseover="), "{}", r.html);
        assert!(!r.html.contains("button"), "{}", r.html);
        assert_eq!(r.html.matches("section-link").count(), 2, "{}", r.html);
    }

    #[test]
    fn page_ids_cover_the_document_page() {
        for template in [
            include_str!("../templates/base.html"),
            include_str!("../templates/document.html"),
            include_str!("../templates/withdrawn_banner.html"),
            include_str!("../templates/as_of_form.html"),
        ] {
            for part in template.split(" id=\"").skip(1) {
                let id = &part[..part.find('"').unwrap()];
                if !id.contains('{') {
                    assert!(PAGE_IDS.contains(&id), "the page uses id {id:?}: add it to PAGE_IDS");
                }
            }
        }
    }
}
