//! sea-orm entities, one module per table. Behaviour lives in `services`, not here.

pub mod agenda_item;
pub mod agenda_item_link;
pub mod api_token;
pub mod app_user;
pub mod approval;
pub mod approval_rule;
pub mod audit_event;
pub mod change_log;
pub mod decision;
pub mod document;
pub mod draft_comment;
pub mod external_successor;
pub mod login_throttle;
pub mod meeting;
pub mod path_alias;
pub mod plan_item;
pub mod plan_period;
pub mod registry_meta;
pub mod relation;
pub mod review;
pub mod revision_need;
pub mod revision_source;
pub mod server_key;
pub mod version;
pub mod version_html;
pub mod web_session;
pub mod withdrawal;

use crate::domain::{
    AgendaKind, ApprovalState, ChangeKind, DocumentKind, DocumentStatus, ItemOutcome, Language, MeetingState,
    PlanItemKind, PlanItemState, PlanPeriodState, RelationKind, ReviewOutcome, RevisionKind, RevisionOrigin,
    RevisionState, Role, UserStatus, VersionState,
};

/// The domain's enums are stored as their text; this lets a query compare a column with an
/// enum (`Column::State.eq(VersionState::Published)`) instead of with a string literal.
macro_rules! stored_as_text {
    ($($t:ty),+ $(,)?) => {
        $(impl From<$t> for sea_orm::Value {
            fn from(v: $t) -> Self {
                v.as_str().into()
            }
        })+
    };
}

stored_as_text!(
    AgendaKind,
    ApprovalState,
    ChangeKind,
    DocumentKind,
    DocumentStatus,
    ItemOutcome,
    Language,
    MeetingState,
    PlanItemKind,
    PlanItemState,
    PlanPeriodState,
    RelationKind,
    RevisionKind,
    RevisionOrigin,
    ReviewOutcome,
    RevisionState,
    Role,
    UserStatus,
    VersionState,
);
