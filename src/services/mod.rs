//! Use cases: each takes a database handle, applies the domain rules and returns view types.

pub mod audit;
pub mod comparing;
pub mod dashboard;
pub mod decisions;
pub mod demo;
pub mod documents;
pub mod editing;
pub mod export;
pub mod feeds;
pub mod import;
pub mod login_throttle;
pub mod rendering;
pub mod revision_needs;
pub mod search;
pub mod search_params;
pub mod server_keys;
pub mod users;
