//! Markdown → safe HTML: pulldown-cmark renders, ammonia sanitises. This is the only source of
//! HTML that templates print unescaped (`|safe`), so it is the one place to audit.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html};

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

/// Renders a Markdown body to sanitised HTML.
pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let parser = Parser::new_ext(markdown, options);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    SANITIZER.clean(&out).to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn renders_markdown() {
        let html = to_safe_html(
            "# Tittel\n\nTekst med **fet** og [lenke](https://example.org).\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n",
        );
        assert!(html.contains("<h1>Tittel</h1>"), "{html}");
        assert!(html.contains("<strong>fet</strong>"));
        assert!(html.contains(r#"href="https://example.org""#));
        assert!(html.contains(r#"rel="noopener noreferrer""#));
        assert!(html.contains("<table>"));
        assert!(html.contains(r#"style="text-align:right""#), "{html}");
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
}
