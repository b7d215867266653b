//! Markdown to plain text for indexing and snippets: drops YAML front matter,
//! Liquid tags (`{% include x %}`, `{{ var }}`), kramdown attributes (`{: .x}`),
//! MDX `import`/`export` lines, HTML and MDX tags (their inner text stays),
//! link targets, images' sources, bare URLs and Markdown punctuation.

/// Scanning for the end of a tag or Liquid block stops after this many bytes:
/// a lone `<` or `{{` in prose must not swallow the rest of the document.
const MAX_CONSTRUCT_LEN: usize = 4000;

/// Converts Markdown (with front matter, Liquid and MDX) to plain text:
/// paragraphs separated by `\n`, runs of blanks collapsed.
pub fn markdown_to_text(markdown: &str) -> String {
    let body = strip_front_matter(markdown);
    let mut lines = String::with_capacity(body.len());
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") || is_mdx_module_line(trimmed) {
            lines.push('\n');
            continue;
        }
        if is_link_definition(trimmed) || is_table_rule(trimmed) {
            lines.push('\n');
            continue;
        }
        lines.push_str(strip_line_marker(trimmed));
        lines.push('\n');
    }
    let inline = strip_inline(&lines);
    collapse_whitespace(&inline)
}

/// Drops a leading `---` ... `---` (or `...`) block.
fn strip_front_matter(text: &str) -> &str {
    let text = text.trim_start_matches('\u{feff}');
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return text;
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        offset += line.len();
        if trimmed == "---" || trimmed == "..." {
            return &rest[offset..];
        }
    }
    // No closing fence: it was a thematic break, not front matter.
    text
}

fn is_mdx_module_line(line: &str) -> bool {
    (line.starts_with("import ") && (line.contains(" from ") || line.contains('\'') || line.contains('"')))
        || line.starts_with("export const ")
        || line.starts_with("export default ")
        || line.starts_with("export function ")
}

/// `[id]: https://...`
fn is_link_definition(line: &str) -> bool {
    line.starts_with('[') && line.find("]:").is_some_and(|i| !line[1..i].contains(']'))
}

/// `|---|:---:|`
fn is_table_rule(line: &str) -> bool {
    line.contains('-') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Drops heading, quote and list markers at the start of a line.
fn strip_line_marker(mut line: &str) -> &str {
    loop {
        let before = line;
        line = line.trim_start_matches('>').trim_start();
        line = line.trim_start_matches('#').trim_start();
        for marker in ["- ", "* ", "+ "] {
            if let Some(rest) = line.strip_prefix(marker) {
                line = rest;
            }
        }
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0
            && let Some(rest) = line[digits..].strip_prefix(". ")
        {
            line = rest;
        }
        if line.len() == before.len() {
            return line;
        }
    }
}

/// Finds `close` in `text` starting at `from`, within [`MAX_CONSTRUCT_LEN`].
fn find_close(text: &str, from: usize, close: &str) -> Option<usize> {
    let end = floor_char_boundary(text, (from + MAX_CONSTRUCT_LEN).min(text.len()));
    text[from..end].find(close).map(|i| from + i)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The end (exclusive) of an HTML/MDX tag starting at `start` (`<`), honouring
/// quotes and `{...}` expressions in attributes.
fn tag_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let next = *bytes.get(start + 1)?;
    if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!') {
        return None;
    }
    if text[start..].starts_with("<!--") {
        return find_close(text, start, "-->").map(|i| i + 3);
    }
    let mut quote = None;
    let mut depth = 0usize;
    let limit = (start + MAX_CONSTRUCT_LEN).min(bytes.len());
    for (i, &b) in bytes.iter().enumerate().take(limit).skip(start + 1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (None, b'"' | b'\'') if depth > 0 || bytes[i - 1] == b'=' => quote = Some(b),
            (None, b'{') => depth += 1,
            (None, b'}') => depth = depth.saturating_sub(1),
            (None, b'>') if depth == 0 => return Some(i + 1),
            (None, b'\n') if next != b'/' && depth == 0 && bytes.get(i + 1) == Some(&b'\n') => {
                // A blank line inside a "tag": it was a lone `<`.
                return None;
            }
            _ => {}
        }
    }
    None
}

/// Removes inline constructs; keeps link texts and image alt texts.
fn strip_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let b = bytes[i];
        let skip_to = match b {
            b'{' if rest.starts_with("{%") => find_close(text, i, "%}").map(|e| e + 2),
            b'{' if rest.starts_with("{{") => find_close(text, i, "}}").map(|e| e + 2),
            b'{' if rest.starts_with("{:") => find_close(text, i, "}").map(|e| e + 1),
            b'{' if rest.starts_with("{/*") => find_close(text, i, "*/}").map(|e| e + 3),
            b'<' => tag_end(text, i),
            b'h' if rest.starts_with("http://") || rest.starts_with("https://") => Some(
                i + rest
                    .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | ']'))
                    .unwrap_or(rest.len()),
            ),
            b']' if rest.starts_with("](") => {
                let close = matching_paren(text, i + 1);
                Some(close.unwrap_or(i + 1))
            }
            b']' if rest.starts_with("][") => find_close(text, i + 1, "]").map(|e| e + 1),
            _ => None,
        };
        if let Some(end) = skip_to {
            out.push(' ');
            i = end;
            continue;
        }
        match b {
            b'\\' if i + 1 < bytes.len() && bytes[i + 1].is_ascii_punctuation() => {
                out.push(bytes[i + 1] as char);
                i += 2;
                continue;
            }
            b'&' => {
                if let Some((decoded, len)) = decode_entity(rest) {
                    out.push(decoded);
                    i += len;
                    continue;
                }
                out.push('&');
            }
            b'*' | b'`' | b'[' | b']' | b'~' => {}
            b'!' if rest.starts_with("![") => {}
            b'|' => out.push(' '),
            b'_' => {
                let prev = out.chars().next_back().is_some_and(char::is_alphanumeric);
                let next = text[i + 1..].chars().next().is_some_and(char::is_alphanumeric);
                if prev && next {
                    out.push('_');
                }
            }
            _ => {
                let c = rest.chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The index after the `)` matching the `(` at `open`.
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let limit = (open + MAX_CONSTRUCT_LEN).min(text.len());
    for (i, b) in text.bytes().enumerate().take(limit).skip(open) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'\n' => return None,
            _ => {}
        }
    }
    None
}

fn decode_entity(text: &str) -> Option<(char, usize)> {
    const NAMED: &[(&str, char)] = &[
        ("&nbsp;", ' '),
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&apos;", '\''),
        ("&shy;", '\u{00ad}'),
        ("&aelig;", 'æ'),
        ("&oslash;", 'ø'),
        ("&aring;", 'å'),
        ("&AElig;", 'Æ'),
        ("&Oslash;", 'Ø'),
        ("&Aring;", 'Å'),
    ];
    for (name, c) in NAMED {
        if text.starts_with(name) {
            return Some((*c, name.len()));
        }
    }
    let rest = text.strip_prefix("&#")?;
    let end = rest.find(';').filter(|&e| e <= 8)?;
    let code = match rest[..end].strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => rest[..end].parse().ok()?,
    };
    Some((char::from_u32(code)?, end + 3))
}

/// Collapses blanks within lines and blank lines between paragraphs; drops
/// soft hyphens.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        for (n, word) in words.enumerate() {
            if n > 0 {
                out.push(' ');
            }
            out.extend(word.chars().filter(|&c| c != '\u{00ad}'));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_liquid_are_dropped() {
        let md = "---\ntitle: Hei\nsidebar: x\n---\n\n# Overskrift\n\n{% include note.html content=\"x\" %}\nTekst med {{site.baseurl}} og *vekt*.\n{: .note}\n";
        assert_eq!(markdown_to_text(md), "Overskrift\nTekst med og vekt.");
    }

    #[test]
    fn links_images_and_urls() {
        let md = "Se [veilederen](https://x.no/a_(b)) og ![Figur 1]({{site.baseurl}}/x.png).\nLes https://docs.digdir.no/x nå.\n\n[ref]: https://example.org";
        assert_eq!(markdown_to_text(md), "Se veilederen og Figur 1 .\nLes nå.");
    }

    #[test]
    fn mdx_components_and_imports() {
        let md = "import { Button } from '@digdir/designsystemet-react';\nexport const meta = {};\n\n<Card title=\"x\" onClick={() => a > b}>\n  Innhold i kortet\n</Card>\n\n<Button variant='primary' />\n\n{/* kommentar */}\nSlutt";
        assert_eq!(markdown_to_text(md), "Innhold i kortet\nSlutt");
    }

    #[test]
    fn lists_tables_code_and_entities() {
        let md = "- punkt ett\n1. nummer\n> sitat\n\n| a | b |\n|---|---|\n| c_d | e |\n\n```json\n{\"k\": 1}\n```\nA &amp; B&nbsp;C 2 < 3 snake_case _kursiv_";
        assert_eq!(
            markdown_to_text(md),
            "punkt ett\nnummer\nsitat\na b\nc_d e\n{\"k\": 1}\nA & B C 2 < 3 snake_case kursiv"
        );
    }

    #[test]
    fn lone_brackets_do_not_swallow_text() {
        let md = "Hvis a <b så {{ ikke lukket\n\nneste avsnitt";
        assert_eq!(markdown_to_text(md), "Hvis a <b så {{ ikke lukket\nneste avsnitt");
    }
}
