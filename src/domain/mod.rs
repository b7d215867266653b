//! Plain domain rules: kinds, states, version labels, the lifecycle and revision-need state
//! machines, staleness of translations. No I/O here, so every rule has a unit test beside it.

pub mod body;
pub mod lifecycle;
pub mod revision;
pub mod throttle;
pub mod types;

pub use lifecycle::*;
pub use revision::*;
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
