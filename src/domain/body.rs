//! The structure rule for a Markdown body: how deep its elements nest and how much HTML it
//! makes. The renderer's cost grows with nesting depth times size (html5ever's tree builder
//! scans the stack of open elements for many tags), and a few bytes of Markdown can make much
//! HTML (a footnote reference makes ten times its size), so both are bounded before a
//! body is stored, and again before one is rendered.

use crate::domain::{Fault, RuleError};

/// Deepest element nesting a body may make: block quotes, lists and list items, emphasis,
/// links and raw HTML tags all count. Real guidance text stays under 12.
pub const MAX_NESTING_DEPTH: usize = 32;

/// Most HTML a body may render to (before sanitising): four times the largest body.
pub const MAX_HTML_BYTES: usize = 8 * 1024 * 1024;

/// A body whose structure the renderer does not accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BodyStructureError {
    #[error(
        "the body nests block quotes, lists, emphasis, links or HTML tags more than {MAX_NESTING_DEPTH} levels deep"
    )]
    TooDeep,
    #[error("the body renders to more than 8 MiB of HTML")]
    TooMuchHtml,
}

impl From<BodyStructureError> for RuleError {
    fn from(e: BodyStructureError) -> Self {
        let fault = match e {
            BodyStructureError::TooDeep => Fault::TooDeep {
                max_depth: MAX_NESTING_DEPTH,
            },
            BodyStructureError::TooMuchHtml => Fault::TooMuchHtml,
        };
        RuleError::field("body", fault, e.to_string())
    }
}

/// Checks that a body renders within the bounds: HTML at most [`MAX_HTML_BYTES`], nesting at most
/// [`MAX_NESTING_DEPTH`]. Linear in the body's size. Every path that stores a body calls this
/// (API, forms, import).
pub fn check_body_structure(body: &str) -> Result<(), BodyStructureError> {
    // Measured as the page renders it: with its headings' anchors (the longer label).
    let (html, _) = crate::markdown::unsanitized_html(body, MAX_HTML_BYTES, Some(crate::domain::Language::Nb))
        .ok_or(BodyStructureError::TooMuchHtml)?;
    if html_nesting_depth(&html, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH {
        return Err(BodyStructureError::TooDeep);
    }
    Ok(())
}

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is text, not tags (outside SVG and MathML).
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Formatting elements: html5ever reopens them after an element that contained them closes.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements that end the reach of reopened formatting elements.
const MARKERS: &[&str] = &["applet", "caption", "marquee", "object", "td", "th", "template"];

/// Scope boundaries: an end tag does not close an element below one of these.
const SCOPE: &[&str] = &[
    "applet",
    "caption",
    "html",
    "table",
    "td",
    "th",
    "marquee",
    "object",
    "template",
    "svg",
    "math",
    "foreignobject",
    "desc",
];

/// The HTML standard's "special" elements (those that matter here).
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
    "svg",
    "math",
    "foreignobject",
    "desc",
];

/// Start tags that close an open `<p>` first.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dd",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "ul",
    "xmp",
];

struct Open {
    name: String,
    /// For a marker element: how many formatting elements were active when it opened.
    active_at_open: usize,
}

/// Estimates html5ever's stack of open elements while it reads `html`.
#[derive(Default)]
struct Nesting {
    stack: Vec<Open>,
    /// Formatting elements opened and not closed by their own end tag (html5ever may reopen them).
    active: Vec<String>,
    /// How many entries of `stack` are formatting elements.
    formatting_on_stack: usize,
    max: usize,
}

impl Nesting {
    fn depth(&self) -> usize {
        // Formatting elements closed implicitly still count: they can be reopened.
        self.stack.len() + self.active.len().saturating_sub(self.formatting_on_stack)
    }

    fn foreign(&self) -> bool {
        self.stack.iter().any(|o| o.name == "svg" || o.name == "math")
    }

    /// Index of the topmost `name` reachable from the top without crossing a `stop` element.
    fn find(&self, stop: impl Fn(&str) -> bool, name: impl Fn(&str) -> bool) -> Option<usize> {
        for (i, o) in self.stack.iter().enumerate().rev() {
            if name(&o.name) {
                return Some(i);
            }
            if stop(&o.name) {
                return None;
            }
        }
        None
    }

    /// Pops everything from index `i` up.
    fn pop_to(&mut self, i: usize) {
        for o in self.stack.drain(i..).rev() {
            if FORMATTING.contains(&o.name.as_str()) {
                self.formatting_on_stack -= 1;
            }
            if MARKERS.contains(&o.name.as_str()) {
                self.active.truncate(o.active_at_open);
            }
        }
    }

    fn start(&mut self, name: &str, self_closing: bool) {
        if VOID.contains(&name) || (self_closing && self.foreign()) {
            return;
        }
        let in_scope = |n: &str| SCOPE.contains(&n) || n == "button";
        if CLOSES_P.contains(&name)
            && let Some(i) = self.find(in_scope, |n| n == "p")
        {
            self.pop_to(i);
        }
        let not_p_special = |n: &str| SPECIAL.contains(&n) && !matches!(n, "address" | "div" | "p");
        match name {
            "li" => {
                if let Some(i) = self.find(not_p_special, |n| n == "li") {
                    self.pop_to(i);
                }
            }
            "dd" | "dt" => {
                if let Some(i) = self.find(not_p_special, |n| matches!(n, "dd" | "dt")) {
                    self.pop_to(i);
                }
            }
            "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" => {
                let table = |n: &str| matches!(n, "table" | "html" | "template");
                let closes = |n: &str| match name {
                    "td" | "th" => matches!(n, "td" | "th"),
                    // Cells above the row go with it.
                    "tr" => n == "tr",
                    _ => matches!(n, "tbody" | "thead" | "tfoot"),
                };
                if let Some(i) = self.find(table, closes) {
                    self.pop_to(i);
                }
            }
            "option" | "optgroup" => {
                if let Some(i) = self.find(|_| true, |n| n == "option") {
                    self.pop_to(i);
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if let Some(i) = self.find(|_| true, |n| matches!(n, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")) {
                    self.pop_to(i);
                }
            }
            _ => {}
        }
        if FORMATTING.contains(&name) {
            self.active.push(name.to_string());
            self.formatting_on_stack += 1;
        }
        self.stack.push(Open {
            name: name.to_string(),
            active_at_open: self.active.len(),
        });
        self.max = self.max.max(self.depth());
    }

    fn end(&mut self, name: &str) {
        if FORMATTING.contains(&name) {
            if let Some(j) = self.active.iter().rposition(|n| n == name) {
                self.active.remove(j);
                if let Some(i) = self.find(|n| SCOPE.contains(&n), |n| n == name) {
                    // Formatting elements above it stay active; html5ever reopens them.
                    self.pop_to(i);
                }
            }
            return;
        }
        let found = if SPECIAL.contains(&name) {
            self.find(|n| SCOPE.contains(&n), |n| n == name)
        } else {
            self.find(|n| SPECIAL.contains(&n), |n| n == name)
        };
        if let Some(i) = found {
            self.pop_to(i);
        }
    }
}

fn tag_name(bytes: &[u8], from: usize) -> (String, usize) {
    let mut end = from;
    while end < bytes.len() && !matches!(bytes[end], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>') {
        end += 1;
    }
    (String::from_utf8_lossy(&bytes[from..end]).to_ascii_lowercase(), end)
}

/// Position just after the `>` that ends a tag begun before `from` (quotes respected), and
/// whether the tag ended in `/>`.
fn tag_end(bytes: &[u8], from: usize) -> (usize, bool) {
    let mut i = from;
    let mut quote = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return (i + 1, i > from && bytes[i - 1] == b'/'),
            Some(_) | None => {}
        }
        i += 1;
    }
    (bytes.len(), false)
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

/// How deep the elements of `html` nest, as html5ever would build them (an estimate that errs on
/// the deep side). Stops reading once the depth exceeds `stop_above`. Linear in the input.
pub fn html_nesting_depth(html: &str, stop_above: usize) -> usize {
    let bytes = html.as_bytes();
    let mut n = Nesting::default();
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        i += off;
        let rest = &bytes[i..];
        if rest.starts_with(b"<!--") {
            i = find_from(bytes, i + 4, b"-->").map_or(bytes.len(), |p| p + 3);
        } else if rest.starts_with(b"</") && rest.get(2).is_some_and(u8::is_ascii_alphabetic) {
            let (name, after) = tag_name(bytes, i + 2);
            i = tag_end(bytes, after).0;
            n.end(&name);
        } else if rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            let (name, after) = tag_name(bytes, i + 1);
            let (end, self_closing) = tag_end(bytes, after);
            i = end;
            n.start(&name, self_closing);
            if n.max > stop_above {
                return n.max;
            }
            if name == "plaintext" && !n.foreign() {
                break;
            }
            if RAW_TEXT.contains(&name.as_str()) && !n.foreign() {
                let close = format!("</{name}");
                i = find_from(bytes, i, close.as_bytes()).unwrap_or(bytes.len());
            }
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = tag_end(bytes, i + 2).0;
        } else {
            i += 1;
        }
    }
    n.max
}

fn memchr_lt(hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(html: &str) -> usize {
        html_nesting_depth(html, usize::MAX)
    }

    #[test]
    fn counts_nested_elements() {
        assert_eq!(depth("<p>a</p><p>b</p>"), 1);
        assert_eq!(depth("<blockquote><blockquote><p>x</p></blockquote></blockquote>"), 3);
        assert_eq!(depth("<ul><li><p><strong>x</strong></p></li></ul>"), 4);
        assert_eq!(depth("<p>a<br>b<img src=x><hr/></p>"), 1);
        assert_eq!(depth("<div title=\"a > b\"><span>x</span></div>"), 2);
    }

    #[test]
    fn follows_implied_end_tags() {
        // Unclosed paragraphs, list items, cells and options do not nest.
        assert_eq!(depth(&"<p>x".repeat(100)), 1);
        assert_eq!(depth(&format!("<ul>{}</ul>", "<li>x".repeat(100))), 2);
        assert_eq!(depth(&format!("<dl>{}</dl>", "<dt>a<dd>b".repeat(50))), 2);
        assert_eq!(depth(&format!("<table>{}</table>", "<tr><td>a<td>b".repeat(50))), 3);
        assert_eq!(depth(&format!("<select>{}</select>", "<option>a".repeat(50))), 2);
    }

    #[test]
    fn ignores_tags_in_comments_and_raw_text() {
        assert_eq!(depth(&format!("<!-- {} -->", "<div>".repeat(100))), 0);
        assert_eq!(depth(&format!("<script>{}</script>", "<div>".repeat(100))), 1);
        assert_eq!(depth(&format!("<textarea>{}</TEXTAREA>", "<div>".repeat(100))), 1);
    }

    #[test]
    fn end_tags_that_the_parser_ignores_close_nothing() {
        // `</div>` with no open div, and a div end tag across a table: both ignored by html5ever.
        assert_eq!(depth(&"<span></div>".repeat(40)), 40);
        assert_eq!(depth(&"<div><table></div>".repeat(20)), 40);
        // A raw-text end tag inside SVG is markup, not text.
        assert!(depth(&format!("<svg><style>{}", "<g>".repeat(40))) > 40);
    }

    #[test]
    fn formatting_elements_closed_implicitly_still_count() {
        // html5ever reopens <b id=k> in every following paragraph, so this nests 1 + 30 deep.
        let html: String = (0..30).map(|k| format!("<p><b id={k}></p>")).collect();
        assert_eq!(depth(&html), 31);
        // Closed by their own end tag, they do not.
        assert_eq!(depth(&"<p><b>x</b></p>".repeat(30)), 2);
        // A table cell ends their reach.
        assert_eq!(depth(&format!("<table><tr>{}</table>", "<td><b>x</td>".repeat(30))), 4);
    }

    #[test]
    fn stops_reading_once_too_deep() {
        assert_eq!(html_nesting_depth(&"<div>".repeat(1000), 32), 33);
    }

    #[test]
    fn markdown_nested_to_the_limit_is_accepted_and_deeper_refused() {
        // Each block quote level is one element, the paragraph inside one more.
        let at_limit = format!("{} x\n", ">".repeat(MAX_NESTING_DEPTH - 1));
        assert_eq!(check_body_structure(&at_limit), Ok(()));
        let deeper = format!("{} x\n", ">".repeat(MAX_NESTING_DEPTH));
        assert_eq!(check_body_structure(&deeper), Err(BodyStructureError::TooDeep));
        // Lists: each level is a list and an item.
        let list: String = (0..20).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
        assert_eq!(check_body_structure(&list), Err(BodyStructureError::TooDeep));
        let list: String = (0..10).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
        assert_eq!(check_body_structure(&list), Ok(()));
        // Emphasis and raw HTML count too.
        let emph = format!("{}x{}", "*".repeat(80), "*".repeat(80));
        assert_eq!(check_body_structure(&emph), Err(BodyStructureError::TooDeep));
        assert_eq!(
            check_body_structure(&"<div>".repeat(40)),
            Err(BodyStructureError::TooDeep)
        );
    }

    #[test]
    fn ordinary_bodies_pass() {
        let body = "# Tittel\n\n> Sitat med **fet** og *kursiv* og [lenke](https://example.org).\n\n\
                    - en\n  - to\n    - tre\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<details><summary>Mer</summary>\n\nTekst\n\n</details>\n";
        assert_eq!(check_body_structure(body), Ok(()));
        assert_eq!(check_body_structure(""), Ok(()));
    }

    #[test]
    fn output_size_is_bounded() {
        // Every footnote reference makes ~55 bytes of HTML from 5.
        let body = format!("[^a]: x\n\n{}", "[^a] ".repeat(200_000));
        assert_eq!(check_body_structure(&body), Err(BodyStructureError::TooMuchHtml));
    }
}
