//! Plain domain rules: kinds, states, version labels, the lifecycle and revision-need state
//! machines, staleness of translations. No I/O here, so every rule has a unit test beside it.

pub mod account;
pub mod approval;
pub mod as_of;
pub mod body;
pub mod field;
pub mod front_matter;
pub mod lifecycle;
pub mod meeting;
pub mod plan;
pub mod projection;
pub mod review;
pub mod revision;
pub mod text;
pub mod throttle;
pub mod types;

pub use account::{Caller, UserStatus};
pub use approval::*;
pub use field::{Fault, FieldError};
pub use lifecycle::*;
pub use meeting::*;
pub use plan::*;
pub use review::*;
pub use revision::*;
pub use text::{
    Lines, MAX_BODY_BYTES, MAX_LONG_TEXT_CHARS, MAX_NOTE_CHARS, MAX_REASON_CHARS, MAX_SHORT_CHARS, MAX_SUMMARY_CHARS,
    clean_body, clean_text, sort_title,
};
pub use types::*;

/// A broken domain rule. `Conflict` rules depend on the current state (HTTP 409); `Invalid`
/// rules are about the input itself (HTTP 422).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The request conflicts with the current state of the document.
    #[error("{0}")]
    Conflict(String),
    /// The input breaks a rule regardless of state.
    #[error("{0}")]
    Invalid(String),
    /// One field of the input breaks a rule regardless of state (HTTP 422).
    #[error("{0}")]
    Field(FieldError),
    /// The caller may not do this to this record, whatever their role allows elsewhere (HTTP
    /// 403): an author approving their own draft.
    #[error("{0}")]
    Forbidden(String),
}

impl RuleError {
    /// A broken rule about one field.
    pub fn field(field: &'static str, fault: Fault, message: impl Into<String>) -> Self {
        RuleError::Field(FieldError::new(field, fault, message))
    }

    /// Names the field a value-level refusal (a parse error) is about; other errors pass.
    pub fn in_field(self, field: &'static str) -> Self {
        match self {
            RuleError::Invalid(m) => RuleError::field(field, Fault::Malformed, m),
            other => other,
        }
    }
}
