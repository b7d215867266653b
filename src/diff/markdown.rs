//! Splitting a Markdown body into sections at ATX headings.
//!
//! The sections tile the body: their ranges are contiguous, start at 0 and
//! end at `text.len()`, so joining their texts gives the body back exactly.
//! There is always a preamble, possibly empty, so that text appearing before
//! the first heading is an edit of the preamble, not an added section.

use std::ops::Range;

/// What a section is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The `---` … `---` block at the very top.
    FrontMatter,
    /// Text before the first heading (after any front matter); always present.
    Preamble,
    /// A heading line and everything up to the next heading.
    Heading,
}

/// One section of a body, by byte range.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub kind: Kind,
    /// Heading text as written, without the `#` markers.
    pub heading: Option<String>,
    /// Pairing key: the heading's words in lower case, or a fixed key for
    /// the pseudo-sections.
    pub key: String,
    /// The whole section, heading line included.
    pub range: Range<usize>,
    /// The section without its heading line.
    pub body: Range<usize>,
}

const FRONT_MATTER_KEY: &str = "\u{0}front matter";
const PREAMBLE_KEY: &str = "\u{0}preamble";

/// Splits `text` into sections; the result tiles `text` exactly.
pub(crate) fn split_sections(text: &str) -> Vec<Section> {
    let mut out = Vec::new();
    let mut pos = 0;
    if let Some(end) = crate::domain::front_matter::end(text) {
        out.push(Section {
            kind: Kind::FrontMatter,
            heading: None,
            key: FRONT_MATTER_KEY.to_owned(),
            range: 0..end,
            body: 0..end,
        });
        pos = end;
    }

    let mut current = Section {
        kind: Kind::Preamble,
        heading: None,
        key: PREAMBLE_KEY.to_owned(),
        range: pos..pos,
        body: pos..pos,
    };
    let mut fence: Option<(u8, usize)> = None;
    let mut offset = pos;
    for line in text[pos..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        if let Some((ch, len)) = fence {
            if is_fence_close(line, ch, len) {
                fence = None;
            }
            continue;
        }
        if let Some(open) = fence_open(line) {
            fence = Some(open);
            continue;
        }
        if let Some(title) = atx_heading(line) {
            current.range.end = line_start;
            current.body.end = line_start;
            out.push(current);
            current = Section {
                kind: Kind::Heading,
                key: heading_key(title),
                heading: Some(title.to_owned()),
                range: line_start..line_start,
                body: offset..offset,
            };
        }
    }
    current.range.end = text.len();
    current.body.end = text.len();
    out.push(current);
    out
}

/// Opening code fence: (fence byte, run length).
///
/// Any indentation is accepted because fences inside list items are indented
/// beyond CommonMark's three spaces, and a `# comment` line in such a block
/// must not become a heading.
fn fence_open(line: &str) -> Option<(u8, usize)> {
    let rest = line.trim_start();
    let ch = *rest.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = rest.bytes().take_while(|&b| b == ch).count();
    if len < 3 {
        return None;
    }
    if ch == b'`' && rest[len..].contains('`') {
        return None;
    }
    Some((ch, len))
}

fn is_fence_close(line: &str, ch: u8, open_len: usize) -> bool {
    let rest = line.trim_start();
    let len = rest.bytes().take_while(|&b| b == ch).count();
    len >= open_len && rest[len..].trim().is_empty()
}

/// The heading text of an ATX heading line (CommonMark rules), if it is one.
fn atx_heading(line: &str) -> Option<&str> {
    let line = line.trim_end_matches(['\n', '\r']);
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &rest[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let title = rest.trim();
    // A closing run of `#` only counts when separated by whitespace.
    let without_closing = title.trim_end_matches('#');
    let title = if without_closing.is_empty() {
        ""
    } else if without_closing.ends_with([' ', '\t']) {
        without_closing.trim_end()
    } else {
        title
    };
    Some(title)
}

/// Lower-cased words of a heading, so that markup or case edits keep the pair.
fn heading_key(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        title.trim().to_lowercase()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, sections: &[Section]) -> Vec<&'a str> {
        sections.iter().map(|s| &text[s.range.clone()]).collect()
    }

    #[test]
    fn tiles_front_matter_preamble_and_headings() {
        let text = "---\ntitle: X\n---\nIntro\n# One\nbody\n## Two ##\nmore\n";
        let s = split_sections(text);
        assert_eq!(
            texts(text, &s),
            ["---\ntitle: X\n---\n", "Intro\n", "# One\nbody\n", "## Two ##\nmore\n"]
        );
        assert_eq!(s[0].kind, Kind::FrontMatter);
        assert_eq!(s[1].kind, Kind::Preamble);
        assert_eq!(s[3].heading.as_deref(), Some("Two"));
        assert_eq!(&text[s[2].body.clone()], "body\n");
    }

    #[test]
    fn ignores_hashes_in_fences_and_non_headings() {
        let text = "# A\n```bash\n# comment\n```\n#hashtag\n    # indented\n  ~~~\n# x\n  ~~~\n# B";
        let s = split_sections(text);
        let headings: Vec<_> = s.iter().filter_map(|s| s.heading.as_deref()).collect();
        assert_eq!(headings, ["A", "B"]);
        assert_eq!(texts(text, &s).concat(), text);
    }

    #[test]
    fn unclosed_front_matter_is_not_front_matter() {
        let s = split_sections("---\nno end\n# H\n");
        assert_eq!(s[0].kind, Kind::Preamble);
        assert_eq!(split_sections("# H\n")[0].range, 0..0);
    }

    #[test]
    fn heading_keys_ignore_markup_and_case() {
        assert_eq!(heading_key("**Krav** til  Logging"), "krav til logging");
        assert_eq!(atx_heading("#"), Some(""));
        assert_eq!(atx_heading("### Foo#"), Some("Foo#"));
        assert_eq!(atx_heading("#5"), None);
    }
}
