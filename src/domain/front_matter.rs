//! Front matter and site markup in stored bodies. Imported documents come from static-site
//! sources (Jekyll, MDX): they begin with a YAML block between `---` lines and hold markup that
//! is not Markdown (kramdown's `{:toc}` and attribute lists, Liquid's `{% include %}`). The
//! body is stored byte-exact; these rules say what a page shows of it: the front matter is
//! metadata (its `description` is the summary), the site markup is hidden.

use std::borrow::Cow;

/// End (in bytes) of a front matter block at the very start of a text: a `---` line, then
/// anything, then a `---` or `...` line. An unclosed block is not front matter.
pub fn end(text: &str) -> Option<usize> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "---" || !first.ends_with('\n') {
        return None;
    }
    let mut end = first.len();
    for line in lines {
        end += line.len();
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some(end);
        }
    }
    None
}

/// A text split into its front matter (the YAML between the fences, without them) and the
/// rest.
pub fn split(text: &str) -> (Option<&str>, &str) {
    match end(text) {
        Some(e) => {
            let inner = &text[..e];
            let start = inner.find('\n').map_or(inner.len(), |i| i + 1);
            let stop = inner[..inner.len() - 1].rfind('\n').map_or(start, |i| i + 1).max(start);
            (Some(&inner[start..stop]), &text[e..])
        }
        None => (None, text),
    }
}

/// A top-level scalar of the front matter (`key: value`, quoted or plain, or a folded or
/// literal block), trimmed; `None` when absent or empty. Not a YAML parser: nested maps and
/// lists are skipped, which is all a page needs.
pub fn field(yaml: &str, key: &str) -> Option<String> {
    let mut lines = yaml.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
            continue;
        };
        let value = rest.trim();
        let text = if matches!(value.chars().next(), Some('>' | '|')) {
            let folded = value.starts_with('>');
            let mut parts = Vec::new();
            while let Some(next) = lines.peek() {
                if !next.starts_with([' ', '\t']) && !next.trim().is_empty() {
                    break;
                }
                parts.push(next.trim());
                lines.next();
            }
            parts.join(if folded { " " } else { "\n" })
        } else if let Some(q) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            q.replace("\\\"", "\"").replace("\\n", "\n")
        } else if let Some(q) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            q.replace("''", "'")
        } else {
            value.to_string()
        };
        let text = text.trim().to_string();
        return (!text.is_empty()).then_some(text);
    }
    None
}

/// What a page may show as the summary of a body with front matter: its `description`, else
/// its `summary`.
pub fn description(text: &str) -> Option<String> {
    let (yaml, _) = split(text);
    let yaml = yaml?;
    field(yaml, "description").or_else(|| field(yaml, "summary"))
}

/// Whether a line is an opening or closing code fence (three or more backticks or tildes).
fn fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = t.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

/// A kramdown attribute list or extension on a line of its own: `{:toc}`, `{: .note}`,
/// `{::options …/}`.
fn kramdown_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("{:") && t.ends_with('}')
}

/// A Liquid tag on a line of its own: `{% include note.html %}`.
fn liquid_tag(line: &str) -> Option<&str> {
    let t = line.trim();
    let inner = t.strip_prefix("{%")?.strip_suffix("%}")?;
    Some(inner.trim().trim_start_matches('-').trim_end_matches('-').trim())
}

/// The `content="…"` of a Liquid include (the text of a note box), if it has one.
fn include_content(tag: &str) -> Option<&str> {
    let start = tag.find("content=\"")? + "content=\"".len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len]).filter(|c| !c.trim().is_empty())
}

/// The body as Markdown alone: without its front matter, and with the site markup on lines of
/// their own (outside code) hidden: kramdown's `{:toc}` and the `* TOC` item it replaces,
/// attribute lists, and Liquid tags. A Liquid note (`{% include note.html content="…" %}`)
/// keeps its text as a quote, and `{% highlight xml %}` … `{% endhighlight %}` becomes a code
/// block. Borrowed when there is nothing to hide.
pub fn markdown_only(text: &str) -> Cow<'_, str> {
    let (_, mut rest) = split(text);
    // Some sources hold a second block right after the first (a page pasted into another).
    while let (Some(_), after) = split(rest.trim_start_matches('\n')) {
        rest = after;
    }
    if !rest.contains("{:") && !rest.contains("{%") {
        return Cow::Borrowed(rest);
    }
    let lines: Vec<&str> = rest.split_inclusive('\n').collect();
    let mut out = String::with_capacity(rest.len());
    let mut open_fence: Option<(char, usize)> = None;
    let mut in_highlight = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if let Some((c, n)) = open_fence {
            if fence(line).is_some_and(|(c2, n2)| c2 == c && n2 >= n) {
                open_fence = None;
            }
            out.push_str(line);
            continue;
        }
        if in_highlight {
            if liquid_tag(line).is_some_and(|t| t.split_whitespace().next() == Some("endhighlight")) {
                out.push_str("```\n");
                in_highlight = false;
            } else {
                out.push_str(line);
            }
            continue;
        }
        if let Some(f) = fence(line) {
            open_fence = Some(f);
            out.push_str(line);
            continue;
        }
        let next_is_toc = lines.get(i).is_some_and(|n| n.trim() == "{:toc}");
        let item = line
            .trim()
            .trim_start_matches(['*', '-', '+'])
            .trim_start_matches(|c: char| c.is_ascii_digit());
        let item = item.strip_prefix('.').unwrap_or(item).trim();
        if next_is_toc && item.eq_ignore_ascii_case("toc") && line.trim() != item {
            i += 1;
            continue;
        }
        if kramdown_line(line) {
            continue;
        }
        if let Some(tag) = liquid_tag(line) {
            let name = tag.split_whitespace().next().unwrap_or_default();
            if name == "highlight" {
                let lang = tag.split_whitespace().nth(1).unwrap_or_default();
                out.push_str("```");
                out.push_str(lang);
                out.push('\n');
                in_highlight = true;
            } else if let Some(content) = include_content(tag) {
                out.push_str("\n> ");
                out.push_str(&content.replace('\n', " "));
                out.push_str("\n\n");
            }
            continue;
        }
        out.push_str(line);
    }
    if in_highlight {
        out.push_str("\n```\n");
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\ntitle: About the new ICD\ndescription: Explanation of the ICD.\nsummary: \"In this guide, we explain it.\"\nsidebar: elma_sidebar\nredirect_from:\n  - /old\n---\n\n* TOC\n{:toc}\n\n## Norway\nText.\n";

    #[test]
    fn front_matter_is_split_off_and_its_fields_read() {
        let (yaml, rest) = split(DOC);
        let yaml = yaml.unwrap();
        assert!(yaml.starts_with("title:") && yaml.ends_with("  - /old\n"), "{yaml:?}");
        assert!(rest.starts_with("\n* TOC"));
        assert_eq!(field(yaml, "title").as_deref(), Some("About the new ICD"));
        assert_eq!(field(yaml, "summary").as_deref(), Some("In this guide, we explain it."));
        assert_eq!(field(yaml, "redirect_from"), None);
        assert_eq!(field(yaml, "missing"), None);
        assert_eq!(description(DOC).as_deref(), Some("Explanation of the ICD."));
        // An empty description gives way to the summary.
        assert_eq!(
            description("---\ndescription: \"\"\nsummary: Kort.\n---\nx").as_deref(),
            Some("Kort.")
        );
        assert_eq!(
            description("---\ndescription: >-\n  Første linje\n  andre linje\ntitle: x\n---\n").as_deref(),
            Some("Første linje andre linje")
        );
    }

    #[test]
    fn a_text_without_closed_front_matter_has_none() {
        assert_eq!(split("# Tittel\n---\nx\n---\n"), (None, "# Tittel\n---\nx\n---\n"));
        assert_eq!(split("---\ntitle: x\n"), (None, "---\ntitle: x\n"));
        assert_eq!(split("---\n---\nrest"), (Some(""), "rest"));
        assert_eq!(end("---\na: 1\n...\nb"), Some(13));
        assert_eq!(description("# Tittel"), None);
    }

    #[test]
    fn site_markup_is_hidden_outside_code() {
        let md = markdown_only(DOC);
        assert_eq!(md, "\n\n## Norway\nText.\n");
        let md = markdown_only(
            "Tekst\n{: .note}\n{% include custom/x.html %}\n{% include note.html content=\"Merk dette.\" %}\n```\n{:toc}\n{% include kept %}\n```\nslutt\n",
        );
        assert_eq!(
            md,
            "Tekst\n\n> Merk dette.\n\n```\n{:toc}\n{% include kept %}\n```\nslutt\n"
        );
        let md = markdown_only("{% highlight xml %}\n<a>x</a>\n{:toc}\n{% endhighlight %}\n");
        assert_eq!(md, "```xml\n<a>x</a>\n{:toc}\n```\n");
        // A second block right after the first is front matter too.
        assert_eq!(
            markdown_only("---\na: 1\n---\n\n---\nb: 2\n---\n\nTekst\n"),
            "\nTekst\n"
        );
        // Plain Markdown is borrowed as it is.
        assert!(matches!(markdown_only("# A\n\nb {x}\n"), Cow::Borrowed(_)));
        // A list item that merely says TOC stays when no {:toc} follows.
        assert_eq!(markdown_only("* TOC\n\n{% x %}\n"), "* TOC\n\n");
    }
}
