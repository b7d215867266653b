//! A broken rule about one field of the input: which field, and a code for what is wrong. The
//! API shows the English message; the forms map the code to a bokmål message next to the field.

use std::fmt;

/// What is wrong with a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Empty where a value is needed.
    Required,
    /// Not of the expected form, or not one of the allowed values.
    Malformed,
    /// More characters than allowed.
    TooLong { max_chars: usize },
    /// More bytes than allowed (Markdown bodies).
    TooLarge { max_bytes: usize },
    /// A line break or tab in a one-line field.
    LineBreak { at: usize },
    /// A control character other than tab and newline.
    Control { ch: char, at: usize },
    /// A Unicode non-character.
    NonCharacter { ch: char, at: usize },
    /// Markdown nested deeper than the renderer follows.
    TooDeep { max_depth: usize },
    /// Markdown whose HTML would be too large to show.
    TooMuchHtml,
    /// A date after today.
    InFuture,
    /// A date before the registry's earliest date (a typing error).
    TooEarly,
    /// A date before an earlier event of the same document (the previous version, the first
    /// publication).
    BeforeEarlier,
}

/// One field's broken rule, with the message the API shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as the API spells it (`title`, `body`, `published_on`).
    pub field: &'static str,
    pub fault: Fault,
    /// The English message, naming the field and the rule.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, fault: Fault, message: impl Into<String>) -> Self {
        FieldError {
            field,
            fault,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
