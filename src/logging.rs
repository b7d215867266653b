//! Writing user-supplied values into the log safely: quoted, with every control character
//! (newline, ESC …) escaped, and cut short, so a value can neither forge a log line, colour a
//! terminal, nor fill the disk.

use std::fmt;

/// Longest part of a value that is logged, in characters.
pub const LOG_VALUE_MAX_CHARS: usize = 120;

/// A value to log as a structured field: `tracing::info!(user = ?logged(name), "…")`.
pub struct Logged<'a>(&'a str);

/// Wraps a user-supplied value for the log.
pub fn logged(value: &str) -> Logged<'_> {
    Logged(value)
}

impl fmt::Debug for Logged<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(LOG_VALUE_MAX_CHARS) {
            write!(f, "{}", c.escape_debug())?;
        }
        let rest = chars.count();
        f.write_str("\"")?;
        if rest > 0 {
            write!(f, "…(+{rest} chars)")?;
        }
        Ok(())
    }
}

/// The logged form of a value, as text.
pub fn escape(value: &str) -> String {
    format!("{:?}", logged(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_cannot_forge_lines_or_colour_a_terminal() {
        let hostile = "eva\n2026-12-01T00:00:00Z  INFO signed in user=adm\u{1b}[31m\r\u{7}\u{0}";
        let out = escape(hostile);
        assert!(!out.chars().any(char::is_control), "{out}");
        assert!(out.contains(r"\n") && out.contains(r"\u{1b}"), "{out}");
        assert_eq!(escape("Siri Ødegård"), "\"Siri Ødegård\"");
        assert_eq!(escape("a\"b"), r#""a\"b""#);
    }

    #[test]
    fn long_values_are_cut() {
        let out = escape(&"x".repeat(3_000_000));
        assert!(out.len() < LOG_VALUE_MAX_CHARS + 40, "{}", out.len());
        assert!(out.ends_with("…(+2999880 chars)"), "{out}");
    }
}
