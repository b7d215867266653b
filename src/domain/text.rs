//! Text hygiene: the one rule for every piece of text that enters the registry (API, forms,
//! corpus import, export import). Text is normalised to NFC, CRLF newlines become LF, and
//! characters that break XML or terminals are refused: control characters other than tab and
//! newline, and the Unicode non-characters. (Lone surrogates cannot occur in a Rust string.)

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::{Fault, RuleError};

/// Largest Markdown body, in bytes.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Longest summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 2000;
/// Longest change note, in characters.
pub const MAX_NOTE_CHARS: usize = 5000;
/// Longest reason (withdrawal, reinstatement), in characters.
pub const MAX_REASON_CHARS: usize = 2000;
/// Longest decision outcome or revision-need text, in characters.
pub const MAX_LONG_TEXT_CHARS: usize = 10_000;
/// Longest short one-line value (a reference, a section, an external id), in characters.
pub const MAX_SHORT_CHARS: usize = 300;

/// Whether a field holds one line (titles, names) or many (bodies, notes, reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// No newline, no tab, no other control character.
    One,
    /// Newlines and tabs allowed. Other newline conventions become LF: CRLF, a lone CR, and
    /// the vertical tab that word processors write for a manual line break.
    Many,
}

/// What is wrong with a character that the rule refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFault {
    /// A newline or tab in a one-line field.
    LineBreak,
    /// A control character other than those allowed.
    Control,
    /// A Unicode non-character (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF).
    NonCharacter,
}

impl TextFault {
    fn describe(self) -> &'static str {
        match self {
            TextFault::LineBreak => "a line break or tab (the field is one line)",
            TextFault::Control => "a control character",
            TextFault::NonCharacter => "a Unicode non-character",
        }
    }
}

/// Why a character is refused, if it is.
fn refusal(c: char, lines: Lines) -> Option<TextFault> {
    let cp = c as u32;
    if (0xFDD0..=0xFDEF).contains(&cp) || cp & 0xFFFE == 0xFFFE {
        return Some(TextFault::NonCharacter);
    }
    if c.is_control() {
        return match (c, lines) {
            ('\n' | '\t', Lines::Many) => None,
            ('\n' | '\t' | '\r', Lines::One) => Some(TextFault::LineBreak),
            _ => Some(TextFault::Control),
        };
    }
    None
}

/// Returns the first refused character of a text: what is wrong, the character, and its
/// position (in characters, from 1). CR and vertical tab count as newlines in many-line fields.
pub fn text_fault(value: &str, lines: Lines) -> Option<(TextFault, char, usize)> {
    value.chars().enumerate().find_map(|(i, c)| {
        if lines == Lines::Many && matches!(c, '\r' | '\u{0B}') {
            return None;
        }
        refusal(c, lines).map(|f| (f, c, i + 1))
    })
}

/// Returns the reason a text breaks the hygiene rule, naming the first offending character and
/// its position, or `None` when it is clean.
pub fn text_problem(value: &str, lines: Lines) -> Option<String> {
    text_fault(value, lines).map(|(f, c, i)| format!("{} (U+{:04X} at character {i})", f.describe(), c as u32))
}

/// Checks and normalises one field: NFC, LF newlines, no control characters but tab and newline
/// (no newline or tab in one-line fields), no non-characters, at most `max_chars` characters.
/// The error names the field.
pub fn clean_text(field: &'static str, value: &str, lines: Lines, max_chars: usize) -> Result<String, RuleError> {
    let value = match lines {
        Lines::Many => unify_newlines(value),
        Lines::One => value.to_string(),
    };
    if let Some((fault, ch, at)) = text_fault(&value, lines) {
        let why = format!("{} (U+{:04X} at character {at})", fault.describe(), ch as u32);
        let message = match lines {
            Lines::One => format!("{field} must be one line without control characters; it holds {why}"),
            Lines::Many => format!("{field} must not contain control characters or non-characters; it holds {why}"),
        };
        let fault = match fault {
            TextFault::LineBreak => Fault::LineBreak { at },
            TextFault::Control => Fault::Control { ch, at },
            TextFault::NonCharacter => Fault::NonCharacter { ch, at },
        };
        return Err(RuleError::field(field, fault, message));
    }
    let value = nfc(value);
    if value.chars().count() > max_chars {
        return Err(RuleError::field(
            field,
            Fault::TooLong { max_chars },
            format!("{field} must be at most {max_chars} characters"),
        ));
    }
    Ok(value)
}

/// Turns CRLF, lone CR and vertical tab (U+000B) into LF.
fn unify_newlines(value: &str) -> String {
    if !value.contains(['\r', '\u{0B}']) {
        return value.to_string();
    }
    value.replace("\r\n", "\n").replace(['\r', '\u{0B}'], "\n")
}

/// Checks and normalises a Markdown body: the text rule and at most [`MAX_BODY_BYTES`].
pub fn clean_body(field: &'static str, value: &str) -> Result<String, RuleError> {
    let too_large = || {
        RuleError::field(
            field,
            Fault::TooLarge {
                max_bytes: MAX_BODY_BYTES,
            },
            format!("{field} must be at most 2 MiB of Markdown"),
        )
    };
    // Checked before and after: normalising never makes a text more than a few times larger,
    // and the first check keeps a huge body from being normalised at all.
    if value.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    let v = clean_text(field, value, Lines::Many, usize::MAX)?;
    if v.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    Ok(v)
}

/// The text with its first letter in upper case ("faktaark 37 …" → "Faktaark 37 …").
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Returns the text in NFC, without copying when it is already.
pub fn nfc(value: String) -> String {
    match is_nfc_quick(value.chars()) {
        IsNormalized::Yes => value,
        _ => value.nfc().collect(),
    }
}

/// Whether a stored text is exactly what [`clean_text`] would store (used to check imported
/// records, which must not be changed on the way in so that hashes and round trips hold).
pub fn is_clean(value: &str, lines: Lines) -> bool {
    !value.contains(['\r', '\u{0B}'])
        && text_problem(value, lines).is_none()
        && match is_nfc_quick(value.chars()) {
            IsNormalized::Yes => true,
            IsNormalized::No => false,
            IsNormalized::Maybe => value.nfc().eq(value.chars()),
        }
}

/// Drops every character XML 1.0 cannot hold (controls other than tab, LF and CR, U+FFFE and
/// U+FFFF), so a feed stays well-formed whatever is stored. Entry checks keep such text out;
/// this is the second line of defence in the writers.
pub fn xml_safe(value: &str) -> String {
    value.chars().filter(|&c| xml_char(c)).collect()
}

/// Whether XML 1.0 can hold the character.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Returns the text without the characters XML cannot hold, copying only when there are any
/// (for whole pages, where a copy of every response would be waste).
pub fn xml_safe_owned(value: String) -> String {
    if value.chars().all(xml_char) {
        value
    } else {
        xml_safe(&value)
    }
}

/// The key a list sorts a title by, compared byte by byte (SQLite's default, `COLLATE "C"` on
/// PostgreSQL): case does not order, and Æ, Ø, Å come after Z in that order, as in Norwegian
/// (code points alone would put Å first), by standing in for them with the three ASCII
/// characters after "z".
pub fn sort_title(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'æ' => '{',
            'ø' => '|',
            'å' => '}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_sort_without_case_and_with_the_norwegian_letters_last() {
        let mut titles = ["Åpenhet", "risikostyring", "Behandling", "Øvelser", "Ærlighet", "Zeta"];
        titles.sort_by_key(|t| sort_title(t));
        assert_eq!(
            titles,
            ["Behandling", "risikostyring", "Zeta", "Ærlighet", "Øvelser", "Åpenhet"]
        );
    }

    #[test]
    fn control_characters_are_refused_with_the_field_named() {
        for bad in [
            "a\u{0}b",
            "bell\u{7}",
            "esc\u{1b}[31m",
            "del\u{7f}",
            "c1\u{85}",
            "ff\u{0C}",
        ] {
            let err = clean_text("change_note", bad, Lines::Many, 100).unwrap_err();
            assert!(err.to_string().contains("change_note"), "{err}");
            assert!(err.to_string().contains("control"), "{err}");
        }
        assert_eq!(clean_text("body", "a\tb\nc", Lines::Many, 100).unwrap(), "a\tb\nc");
        assert_eq!(
            clean_text("body", "a\r\nb\rc\u{0B}d", Lines::Many, 100).unwrap(),
            "a\nb\nc\nd"
        );
    }

    #[test]
    fn one_line_fields_take_no_line_break() {
        let err = clean_text("title", "to\nlinjer", Lines::One, 100).unwrap_err();
        assert!(err.to_string().contains("one line"), "{err}");
        assert!(clean_text("title", "a\r\nb", Lines::One, 100).is_err());
        assert!(clean_text("title", "a\tb", Lines::One, 100).is_err());
    }

    #[test]
    fn non_characters_are_refused_in_every_plane() {
        for c in [
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{FDD0}',
            '\u{FDEF}',
            '\u{1FFFE}',
            '\u{10FFFF}',
        ] {
            let s = format!("x{c}y");
            let err = clean_text("title", &s, Lines::One, 100).unwrap_err();
            assert!(err.to_string().contains("non-character"), "{err}");
        }
        // Neighbours are fine.
        assert!(clean_text("title", "\u{FDCF}\u{FDF0}\u{FFFD}", Lines::One, 100).is_ok());
    }

    #[test]
    fn text_is_stored_composed() {
        let decomposed = "Bla\u{030A}fjell og Ma\u{0308}rz";
        let clean = clean_text("title", decomposed, Lines::One, 100).unwrap();
        assert_eq!(clean, "Blåfjell og März");
        assert!(is_clean(&clean, Lines::One));
        assert!(!is_clean(decomposed, Lines::One));
        assert!(!is_clean("a\r\nb", Lines::Many));
    }

    #[test]
    fn lengths_count_characters_after_normalising() {
        assert!(clean_text("summary", &"å".repeat(10), Lines::Many, 10).is_ok());
        assert!(clean_text("summary", &"a\u{030A}".repeat(10), Lines::Many, 10).is_ok());
        let err = clean_text("summary", &"x".repeat(11), Lines::Many, 10).unwrap_err();
        assert!(err.to_string().contains("at most 10"), "{err}");
        assert!(clean_body("body", &"x".repeat(MAX_BODY_BYTES + 1)).is_err());
    }

    #[test]
    fn xml_safe_keeps_only_what_xml_holds() {
        assert_eq!(xml_safe("a\u{0}b\u{1b}c\u{FFFE}d\u{7}e\tf\ng"), "abcde\tf\ng");
        assert_eq!(xml_safe("æøå 😀"), "æøå 😀");
        assert_eq!(xml_safe_owned("a\u{1b}b".into()), "ab");
    }
}
