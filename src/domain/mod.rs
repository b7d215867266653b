//! Plain domain rules: kinds, states, version labels, the lifecycle and revision-need state
//! machines, staleness of translations. No I/O here, so every rule has a unit test beside it.

pub mod account;
pub mod body;
pub mod lifecycle;
pub mod revision;
pub mod text;
pub mod throttle;
pub mod types;

pub use account::UserStatus;
pub use lifecycle::*;
pub use revision::*;
pub use text::{
    Lines, MAX_BODY_BYTES, MAX_LONG_TEXT_CHARS, MAX_NOTE_CHARS, MAX_REASON_CHARS, MAX_SHORT_CHARS, MAX_SUMMARY_CHARS,
    clean_body, clean_text,
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
}
