//! sea-orm entities, one module per table. Behaviour lives in `services`, not here.

pub mod api_token;
pub mod app_user;
pub mod audit_event;
pub mod decision;
pub mod document;
pub mod login_throttle;
pub mod registry_meta;
pub mod relation;
pub mod revision_need;
pub mod server_key;
pub mod version;
pub mod version_html;
pub mod web_session;
pub mod withdrawal;
