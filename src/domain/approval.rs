//! Approval before publishing: a second pair of eyes. An author submits a draft; someone else
//! (an editor or admin, never its author) approves it or sends it back with a comment; only an
//! approved draft is published where the kind needs approval, unless an admin forces it with a
//! reason. An approval holds for the text it saw: an edit after submission voids it.

use std::fmt;
use std::str::FromStr;

use super::{Fault, Role, RuleError};

/// A submission's state, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalState {
    /// Waiting for someone else to look at it.
    Pending,
    Approved,
    /// Sent back to the author with a comment.
    Returned,
    /// Replaced by a later submission of the same draft.
    Superseded,
}

impl ApprovalState {
    /// Returns the stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::Pending => "pending",
            ApprovalState::Approved => "approved",
            ApprovalState::Returned => "returned",
            ApprovalState::Superseded => "superseded",
        }
    }
}

impl fmt::Display for ApprovalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApprovalState {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, RuleError> {
        match s {
            "pending" => Ok(ApprovalState::Pending),
            "approved" => Ok(ApprovalState::Approved),
            "returned" => Ok(ApprovalState::Returned),
            "superseded" => Ok(ApprovalState::Superseded),
            _ => Err(RuleError::Invalid(format!(
                "unknown approval state {s:?}; expected pending, approved, returned or superseded"
            ))),
        }
    }
}

/// Where a draft stands on its way to publication, as staff see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DraftApproval {
    NotSubmitted,
    /// Submitted, unchanged since, waiting for someone else.
    Pending,
    /// Approved, unchanged since: it may be published.
    Approved,
    /// Sent back to the author with a comment.
    Returned,
    /// Submitted or approved, then edited: it must be submitted again.
    ChangedSinceSubmitted,
}

impl DraftApproval {
    /// Reads the latest submission of a draft (its state and the fingerprint of the text it
    /// was made for) against the draft's fingerprint now.
    pub fn of(latest: Option<(ApprovalState, &str)>, current_fingerprint: &str) -> DraftApproval {
        match latest {
            None | Some((ApprovalState::Superseded, _)) => DraftApproval::NotSubmitted,
            Some((ApprovalState::Returned, _)) => DraftApproval::Returned,
            Some((_, seen)) if seen != current_fingerprint => DraftApproval::ChangedSinceSubmitted,
            Some((ApprovalState::Pending, _)) => DraftApproval::Pending,
            Some((ApprovalState::Approved, _)) => DraftApproval::Approved,
        }
    }
}

/// A draft may be submitted unless it already waits or is approved as it stands.
pub fn check_may_submit(current: DraftApproval) -> Result<(), RuleError> {
    match current {
        DraftApproval::Pending => Err(RuleError::Conflict("the draft is already waiting for approval".into())),
        DraftApproval::Approved => Err(RuleError::Conflict(
            "the draft is approved as it stands; publish it".into(),
        )),
        DraftApproval::NotSubmitted | DraftApproval::Returned | DraftApproval::ChangedSinceSubmitted => Ok(()),
    }
}

/// Approving or sending back needs a submission that waits for the text as it is now.
pub fn check_decidable(current: DraftApproval) -> Result<(), RuleError> {
    match current {
        DraftApproval::Pending => Ok(()),
        DraftApproval::ChangedSinceSubmitted => Err(RuleError::Conflict(
            "the draft changed after it was submitted; the author must submit it again".into(),
        )),
        DraftApproval::NotSubmitted => Err(RuleError::Conflict(
            "the draft has not been submitted for approval".into(),
        )),
        DraftApproval::Approved => Err(RuleError::Conflict("the draft is approved already".into())),
        DraftApproval::Returned => Err(RuleError::Conflict(
            "the draft was sent back; the author must submit it again".into(),
        )),
    }
}

/// Only someone else may approve or send back: never the one who submitted it, never the one
/// who wrote the draft.
pub fn check_may_decide(decider: &str, submitted_by: &str, author: &str) -> Result<(), RuleError> {
    if decider == submitted_by || decider == author {
        return Err(RuleError::Forbidden(
            "the author of a draft cannot approve it or send it back; someone else must".into(),
        ));
    }
    Ok(())
}

/// Why a publication may go ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishGate {
    /// The kind needs no approval and the draft has none.
    NotRequired,
    /// The draft is approved as it stands.
    Approved,
    /// An admin publishes without approval, for this reason.
    Forced(String),
}

/// Decides whether a draft may be published: approved as it stands where the kind needs it,
/// or forced by an admin with a reason.
pub fn check_publishable(
    required: bool,
    current: DraftApproval,
    force_reason: Option<&str>,
    role: Role,
) -> Result<PublishGate, RuleError> {
    if let Some(reason) = force_reason.map(str::trim).filter(|r| !r.is_empty()) {
        if role != Role::Admin {
            return Err(RuleError::Forbidden(
                "only an admin may publish without approval".into(),
            ));
        }
        return Ok(PublishGate::Forced(reason.to_string()));
    }
    match (current, required) {
        (DraftApproval::Approved, _) => Ok(PublishGate::Approved),
        (_, false) => Ok(PublishGate::NotRequired),
        (DraftApproval::ChangedSinceSubmitted, true) => Err(RuleError::Conflict(
            "the draft changed after it was submitted; it needs approval again before it is published".into(),
        )),
        (_, true) => Err(RuleError::Conflict(
            "this kind of document needs approval before publishing: submit the draft, and someone else approves it"
                .into(),
        )),
    }
}

/// A comment names one of the draft's headings, or none for the whole draft.
pub fn check_comment_section(section: &str, headings: &[String]) -> Result<(), RuleError> {
    if section.is_empty() || headings.iter().any(|h| h == section) {
        return Ok(());
    }
    Err(RuleError::field(
        "section",
        Fault::Malformed,
        format!("the draft has no section {section:?}; name one of its headings, or none"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_after_submission_voids_it() {
        assert_eq!(DraftApproval::of(None, "a"), DraftApproval::NotSubmitted);
        assert_eq!(
            DraftApproval::of(Some((ApprovalState::Pending, "a")), "a"),
            DraftApproval::Pending
        );
        assert_eq!(
            DraftApproval::of(Some((ApprovalState::Pending, "a")), "b"),
            DraftApproval::ChangedSinceSubmitted
        );
        assert_eq!(
            DraftApproval::of(Some((ApprovalState::Approved, "a")), "a"),
            DraftApproval::Approved
        );
        assert_eq!(
            DraftApproval::of(Some((ApprovalState::Approved, "a")), "b"),
            DraftApproval::ChangedSinceSubmitted
        );
        assert_eq!(
            DraftApproval::of(Some((ApprovalState::Returned, "a")), "a"),
            DraftApproval::Returned
        );
        assert_eq!(
            DraftApproval::of(Some((ApprovalState::Superseded, "a")), "a"),
            DraftApproval::NotSubmitted
        );
    }

    #[test]
    fn submitting_twice_is_refused() {
        assert!(check_may_submit(DraftApproval::NotSubmitted).is_ok());
        assert!(check_may_submit(DraftApproval::Returned).is_ok());
        assert!(check_may_submit(DraftApproval::ChangedSinceSubmitted).is_ok());
        assert!(matches!(
            check_may_submit(DraftApproval::Pending),
            Err(RuleError::Conflict(_))
        ));
        assert!(matches!(
            check_may_submit(DraftApproval::Approved),
            Err(RuleError::Conflict(_))
        ));
    }

    #[test]
    fn only_a_waiting_unchanged_draft_is_decided() {
        assert!(check_decidable(DraftApproval::Pending).is_ok());
        for s in [
            DraftApproval::NotSubmitted,
            DraftApproval::Approved,
            DraftApproval::Returned,
            DraftApproval::ChangedSinceSubmitted,
        ] {
            assert!(matches!(check_decidable(s), Err(RuleError::Conflict(_))), "{s:?}");
        }
    }

    #[test]
    fn the_author_cannot_approve() {
        assert!(check_may_decide("Per", "Eva", "Eva").is_ok());
        assert!(matches!(
            check_may_decide("Eva", "Eva", "Ola"),
            Err(RuleError::Forbidden(_))
        ));
        assert!(matches!(
            check_may_decide("Ola", "Eva", "Ola"),
            Err(RuleError::Forbidden(_))
        ));
    }

    #[test]
    fn publishing_needs_approval_where_required() {
        use DraftApproval as D;
        assert_eq!(
            check_publishable(false, D::NotSubmitted, None, Role::Editor),
            Ok(PublishGate::NotRequired)
        );
        assert_eq!(
            check_publishable(true, D::Approved, None, Role::Editor),
            Ok(PublishGate::Approved)
        );
        assert_eq!(
            check_publishable(false, D::Approved, None, Role::Editor),
            Ok(PublishGate::Approved)
        );
        for s in [D::NotSubmitted, D::Pending, D::Returned, D::ChangedSinceSubmitted] {
            assert!(matches!(
                check_publishable(true, s, None, Role::Editor),
                Err(RuleError::Conflict(_))
            ));
        }
        assert_eq!(
            check_publishable(true, D::Pending, Some(" hastesak "), Role::Admin),
            Ok(PublishGate::Forced("hastesak".into()))
        );
        assert!(matches!(
            check_publishable(true, D::Pending, Some("hastesak"), Role::Editor),
            Err(RuleError::Forbidden(_))
        ));
        // A blank reason is no reason: the ordinary rule applies.
        assert!(matches!(
            check_publishable(true, D::Pending, Some("  "), Role::Admin),
            Err(RuleError::Conflict(_))
        ));
    }

    #[test]
    fn comments_name_a_heading_or_none() {
        let headings = vec!["Innledning".to_string(), "Tilgang".to_string()];
        assert!(check_comment_section("", &headings).is_ok());
        assert!(check_comment_section("Tilgang", &headings).is_ok());
        assert!(matches!(
            check_comment_section("Annet", &headings),
            Err(RuleError::Field(_))
        ));
    }

    #[test]
    fn states_round_trip() {
        for s in [
            ApprovalState::Pending,
            ApprovalState::Approved,
            ApprovalState::Returned,
            ApprovalState::Superseded,
        ] {
            assert_eq!(s.as_str().parse::<ApprovalState>(), Ok(s));
        }
        assert!("maybe".parse::<ApprovalState>().is_err());
    }
}
