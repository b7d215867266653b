//! Markdown and text carrying XSS: a corpus of known payloads (tests/xss/payloads.txt) in bodies,
//! titles, change notes and queries. No page, feed or API answer may carry anything a browser
//! would run. The browser tests check the same pages in a real browser.

use serde_json::json;

use crate::helpers::TestApp;

const PAYLOADS: &str = include_str!("../xss/payloads.txt");

/// Tags a page must never contain, whatever a document says.
const FORBIDDEN_TAGS: [&str; 11] = [
    "script", "iframe", "object", "embed", "svg", "math", "base", "style", "template", "marquee", "video",
];

/// Attributes whose value a browser loads, follows or applies.
const URL_ATTRIBUTES: [&str; 12] = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "srcset",
    "poster",
    "background",
    "style",
    "srcdoc",
    "content",
];

/// Splits the inside of a start tag (after its name) into (name, value) attributes, honouring
/// quotes, as a browser does.
fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() {
            return out;
        }
        let name_end = s
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(s.len());
        let name = s[..name_end].to_string();
        s = s[name_end..].trim_start();
        let mut value = String::new();
        if let Some(rest) = s.strip_prefix('=') {
            let rest = rest.trim_start();
            if let Some(q @ ('"' | '\'')) = rest.chars().next() {
                let close = rest[1..].find(q).map(|i| i + 1).unwrap_or(rest.len());
                value = rest[1..close].to_string();
                s = rest.get(close + 1..).unwrap_or("");
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                value = rest[..end].to_string();
                s = &rest[end..];
            }
        }
        out.push((name, value));
    }
}

/// The page's own JSON-LD: a data block (never run) whose text up to `</script>` is one JSON
/// value with no `<` in it, so nothing inside can end the element early.
fn is_page_json_ld(tag: &str, after: &str) -> bool {
    let Some(text) = after.strip_prefix('>').and_then(|a| a.split("</script>").next()) else {
        return false;
    };
    tag == "script type=\"application/ld+json\""
        && !text.contains('<')
        && serde_json::from_str::<serde_json::Value>(text).is_ok()
}

/// The document page's own timeline: an SVG the server draws in its figure, made only of
/// shapes and text (an author's SVG would never sit there, and never pass the sanitizer).
fn is_page_timeline(before: &str, tag: &str, after: &str) -> bool {
    const SHAPES: [&str; 7] = ["line", "circle", "rect", "polygon", "text", "title", "/"];
    let Some(inner) = after.strip_prefix('>').and_then(|a| a.split("</svg>").next()) else {
        return false;
    };
    before.ends_with(
        r#"<figure class="timeline-figure" id="tidslinje">
    <div class="timeline-scroll">"#,
    ) && tag.starts_with(r#"svg class="timeline" role="img" aria-label=""#)
        && inner
            .split('<')
            .skip(1)
            .all(|t| SHAPES.iter().any(|s| t.starts_with(s)))
}

/// Returns every problem found in the start tags of an HTML text.
fn dangers(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = html.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        // The tag ends at the first '>' outside quotes.
        let mut quote = None;
        let end = rest
            .char_indices()
            .find(|&(_, c)| match (quote, c) {
                (None, '"' | '\'') => {
                    quote = Some(c);
                    false
                }
                (Some(q), c) if c == q => {
                    quote = None;
                    false
                }
                (None, '>') => true,
                _ => false,
            })
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag.chars().take_while(char::is_ascii_alphanumeric).collect();
        if name.is_empty() {
            continue;
        }
        let before = &lower[..lower.len() - rest.len() - 1];
        if FORBIDDEN_TAGS.contains(&name.as_str())
            && !is_page_json_ld(tag, &rest[end..])
            && !is_page_timeline(before, tag, &rest[end..])
        {
            found.push(format!("<{name}> tag"));
        }
        for (attr, value) in attributes(&tag[name.len()..]) {
            if attr.starts_with("on") {
                found.push(format!("event handler {attr:?} in <{name}>"));
            }
            if name == "meta" && attr == "http-equiv" {
                found.push("meta http-equiv".into());
            }
            // Schemes matter where a browser follows or loads a URL (a search box's value is text).
            if !URL_ATTRIBUTES.contains(&attr.as_str()) {
                continue;
            }
            // Browsers drop tabs and newlines inside URLs (not spaces), so "java\tscript:" runs.
            let compact: String = value
                .trim()
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            for scheme in ["javascript:", "vbscript:", "data:text", "data:image/svg"] {
                // A scheme counts where a URL starts: a URL attribute's start, or url( in CSS.
                let runs = if attr == "style" {
                    compact.contains(scheme)
                } else {
                    compact.starts_with(scheme)
                };
                if runs {
                    found.push(format!("{scheme} in {attr} of <{name}>"));
                }
            }
        }
    }
    found
}

#[test]
fn the_danger_scanner_sees_what_it_must() {
    assert!(dangers("<p>safe &lt;script&gt;</p><a href=\"/x\">ok</a>").is_empty());
    assert_eq!(dangers("<img src=x onerror=alert(1)>").len(), 1);
    assert!(!dangers("<a href=\"JavaScript:alert(1)\">").is_empty());
    assert!(!dangers("<SCRIPT>").is_empty());
    // Text inside a quoted value is not an attribute.
    assert!(dangers("<input value=\"&#60;img onerror=alert(1)&#62;\">").is_empty());
    assert!(!dangers("<a title='x' onclick='y'>").is_empty());
    // The page's JSON-LD is data; a script that is not JSON, or carries markup, is not.
    assert!(dangers("<script type=\"application/ld+json\">{\"a\":\"\\u003c/script\\u003e\"}</script>").is_empty());
    assert!(!dangers("<script type=\"application/ld+json\">alert(1)</script>").is_empty());
    assert!(!dangers("<script type=\"application/ld+json\">{\"a\":\"</b>\"}</script>").is_empty());
    assert!(!dangers("<script type=\"text/javascript\">{}</script>").is_empty());
    // The server's timeline is shapes in its own figure; an SVG anywhere else, or one that
    // carries anything but shapes, is not.
    let figure = "<figure class=\"timeline-figure\" id=\"tidslinje\">\n    <div class=\"timeline-scroll\">";
    let timeline = r#"<svg class="timeline" role="img" aria-label="x"><line x1="1"/><circle r="2"><title>t</title></circle></svg>"#;
    assert!(dangers(&format!("{figure}{timeline}")).is_empty());
    assert!(!dangers(timeline).is_empty());
    assert!(!dangers(&format!("{figure}{}", timeline.replace("<line", "<script"))).is_empty());
    assert!(
        !dangers(&format!(
            "{figure}{}",
            timeline.replace("<line", "<a href=\"/x\"><line")
        ))
        .is_empty()
    );
    assert!(!dangers(&format!("{figure}{}", timeline.replace("<line", "<line onclick=\"y\""))).is_empty());
}

#[tokio::test]
async fn no_payload_survives_on_any_page_feed_or_answer() {
    let app = TestApp::new().await;
    let payloads: Vec<&str> = PAYLOADS.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(payloads.len() >= 40);
    let body = payloads
        .iter()
        .map(|p| format!("## Avsnitt\n\n{p}\n"))
        .collect::<Vec<_>>()
        .join("\n");
    let id = app.published_sheet("66", "Skadelig innhold", &body).await;
    app.draft(id, &format!("{body}\n\nNy tekst <script>alert('ny')</script>"))
        .await
        .assert_status(201);
    app.post(
        &format!("/api/v1/documents/{id}/publish"),
        json!({"change_kind": "substantive", "change_note": payloads[0]}),
    )
    .await
    .assert_status(200);
    // One-line payloads as titles of documents of their own.
    for (i, p) in payloads.iter().take(10).enumerate() {
        let doc = app.create("guide", None, &format!("Tittel {i} {p}"), p).await;
        app.publish(doc, "nb", "editorial", p).await.assert_status(200);
    }

    let mut pages = vec![
        "/".to_string(),
        "/faktaark".into(),
        "/veiledere".into(),
        "/endringer".into(),
        "/endringer.atom".into(),
        "/faktaark/66".into(),
        "/faktaark/66/versjon/1.0".into(),
        "/faktaark/66/sammenlign?fra=1.0&til=2.0".into(),
        "/faktaark/66/endringer.atom".into(),
        "/sok?q=avsnitt".into(),
        "/sok?q=tittel".into(),
    ];
    for p in &payloads {
        let q: String = url_escape(p);
        pages.push(format!("/sok?q={q}"));
    }
    let mut checked = 0;
    for page in &pages {
        let res = app.get(page).await;
        assert!(res.status.as_u16() < 500, "{page}: {}", res.status);
        let found = dangers(&res.text());
        assert!(found.is_empty(), "{page}: {found:?}");
        checked += 1;
    }
    // Search snippets in the API are escaped HTML too.
    let res = app.get("/api/v1/search?q=avsnitt&limit=5").await.json();
    for hit in res["hits"].as_array().unwrap() {
        let found = dangers(hit["snippet"].as_str().unwrap());
        assert!(found.is_empty(), "snippet: {found:?}");
    }
    eprintln!("xss: {} payloads, {checked} pages checked", payloads.len());
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
        std::env::var("XSS_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)
    ))]

    /// Markdown built from pieces of the payloads, glued and cut at random, never renders into
    /// anything a browser would run.
    #[test]
    fn spliced_payloads_never_render_dangerously(
        picks in proptest::collection::vec((0usize..48, 0usize..64, 0usize..64), 1..6),
        glue in proptest::collection::vec(proptest::sample::select(vec!["", "\n", "\n\n", " ", "> ", "* ", "`", "<", "\"", "'", "](", "[x]("]), 6),
    ) {
        let payloads: Vec<&str> = PAYLOADS.lines().filter(|l| !l.trim().is_empty()).collect();
        let mut md = String::new();
        for (i, (p, a, b)) in picks.iter().enumerate() {
            let text = payloads[p % payloads.len()];
            let chars: Vec<char> = text.chars().collect();
            let (a, b) = ((*a).min(chars.len()), (*b).min(chars.len()));
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            md.extend(&chars[..lo]);
            md.push_str(glue[i % glue.len()]);
            md.extend(&chars[lo..hi]);
            md.extend(&chars[hi..]);
        }
        let html = normen_registry::markdown::to_safe_html(&md);
        let found = dangers(&html);
        proptest::prop_assert!(found.is_empty(), "{md:?} -> {html:?}: {found:?}");
    }
}
