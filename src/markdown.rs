//! Markdown → safe HTML: pulldown-cmark renders, ammonia sanitises. This is the only source of
//! HTML that templates print unescaped (`|safe`), so it is the one place to audit.
//!
//! Rendering is bounded: pulldown-cmark's HTML is capped in size, html5ever (inside ammonia) is
//! only given HTML that nests no deeper than the body rule allows (its tree builder scans the
//! stack of open elements, so its time grows with depth × size), and the sanitiser reads under a
//! deadline as a last guard. A body that breaks a bound (one stored before the rule existed) is
//! shown as escaped text instead. Callers on async workers go through
//! `services::rendering`, which runs this on the blocking pool.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

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

/// pulldown-cmark's HTML (not yet sanitised), or `None` when it would exceed `cap` bytes.
///
/// What is rendered is the Markdown alone (`domain::front_matter::markdown_only`: no front
/// matter, no site markup). The page's title is its only `h1`, so a body with `#` headings has
/// every heading moved one level down (`#` → `h2`, `##` → `h3`, `h6` stays).
pub fn unsanitized_html(markdown: &str, cap: usize) -> Option<String> {
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
    if has_h1 {
        let events = Parser::new_ext(markdown, options()).map(|e| match e {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: one_down(level),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(one_down(level))),
            e => e,
        });
        html::write_html_fmt(&mut out, events).ok()?;
    } else {
        html::write_html_fmt(&mut out, Parser::new_ext(markdown, options())).ok()?;
    }
    Some(out.out)
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

/// Renders a Markdown body to sanitised HTML, or says why it could not within the bounds.
pub fn try_safe_html(markdown: &str) -> Result<String, Degraded> {
    let raw = unsanitized_html(markdown, MAX_HTML_BYTES).ok_or(Degraded::TooMuchHtml)?;
    if html_nesting_depth(&raw, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH {
        return Err(Degraded::TooDeep);
    }
    let reader = DeadlineReader {
        rest: raw.as_bytes(),
        deadline: Instant::now() + SANITIZE_DEADLINE,
    };
    let clean = SANITIZER
        .clean_from_reader(reader)
        .map_err(|_| Degraded::TooSlow)?
        .to_string();
    // Sanitising adds `rel` to links and escapes; twice the cap only trips on raw-HTML floods
    // (`<a>` repeated grows tenfold), which the body rule does not measure.
    if clean.len() > 2 * MAX_HTML_BYTES {
        return Err(Degraded::TooMuchHtml);
    }
    Ok(clean)
}

/// Renders a Markdown body to sanitised HTML; a body beyond the bounds becomes escaped text.
pub fn to_safe_html(markdown: &str) -> String {
    match try_safe_html(markdown) {
        Ok(html) => html,
        Err(why) => {
            tracing::warn!(reason = ?why, bytes = markdown.len(), "body shown as plain text");
            escaped_text(markdown)
        }
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
    use super::{Degraded, to_safe_html, try_safe_html};

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
        assert_eq!(try_safe_html(&body).err(), Some(Degraded::TooDeep));
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
        assert_eq!(try_safe_html(&body).err(), Some(Degraded::TooMuchHtml));
        assert!(to_safe_html(&body).starts_with("<pre class=\"unrendered\">"));
    }
}
