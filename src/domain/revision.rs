//! The revision-need state machine.

use super::{Fault, RevisionOrigin, RevisionState, RuleError};

/// Returns the states a revision need may move to from `from`.
pub fn allowed_revision_moves(from: RevisionState) -> &'static [RevisionState] {
    use RevisionState::{Accepted, Held, InRevision, Planned, Rejected, Reported, Resolved};
    match from {
        Reported => &[Accepted, Held, Rejected],
        Accepted => &[Planned, InRevision, Held, Rejected],
        Held => &[Accepted, Rejected],
        Planned => &[InRevision, Held, Rejected],
        InRevision => &[Resolved, Held],
        // A rejected need can be reopened when new facts arrive; a resolved one is final.
        Rejected => &[Reported],
        Resolved => &[],
    }
}

/// Checks a move of a revision need. A resolved need must name the published version that
/// resolved it.
pub fn check_revision_move(
    from: RevisionState,
    to: RevisionState,
    resolved_by_published_version: bool,
) -> Result<(), RuleError> {
    if !allowed_revision_moves(from).contains(&to) {
        let allowed: Vec<&str> = allowed_revision_moves(from).iter().map(|s| s.as_str()).collect();
        return Err(RuleError::Conflict(format!(
            "a revision need cannot move from {from} to {to}; allowed: {}",
            if allowed.is_empty() {
                "none".to_string()
            } else {
                allowed.join(", ")
            }
        )));
    }
    if to == RevisionState::Resolved && !resolved_by_published_version {
        return Err(RuleError::Invalid(
            "a resolved revision need must name the published version that resolved it".into(),
        ));
    }
    Ok(())
}

/// A withdrawal resolves a need whatever open state it is in: the document it asks to change is
/// gone. A closed need stays as it is.
pub fn check_resolution_by_withdrawal(state: RevisionState) -> Result<(), RuleError> {
    if state.is_open() {
        Ok(())
    } else {
        Err(RuleError::Conflict(format!(
            "a {state} revision need is closed; a withdrawal cannot resolve it"
        )))
    }
}

/// Checks that the origin carries what it needs: an external report its reference, an
/// action-plan item its period, a decision its case. The error names the missing field.
pub fn check_revision_origin(
    origin: RevisionOrigin,
    reference: Option<&str>,
    period: Option<&str>,
    has_decision: bool,
) -> Result<(), RuleError> {
    let missing = match origin {
        RevisionOrigin::ExternalReport if reference.is_none_or(|r| r.trim().is_empty()) => Some((
            "origin_reference",
            "an external report needs origin_reference (who reported it, e.g. a letter from Bufdir)",
        )),
        RevisionOrigin::ActionPlan if period.is_none() => {
            Some(("period", "an action-plan item needs period, e.g. 2026-H1"))
        }
        RevisionOrigin::Decision if !has_decision => {
            Some(("decision", "a revision need from a decision needs decision, e.g. 25/25"))
        }
        _ => None,
    };
    match missing {
        Some((field, m)) => Err(RuleError::field(field, Fault::Required, m)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RevisionState::*;

    #[test]
    fn happy_path_to_resolved() {
        assert!(check_revision_move(Reported, Accepted, false).is_ok());
        assert!(check_revision_move(Accepted, Planned, false).is_ok());
        assert!(check_revision_move(Planned, InRevision, false).is_ok());
        assert!(check_revision_move(InRevision, Resolved, true).is_ok());
    }

    #[test]
    fn resolved_needs_a_published_version() {
        assert!(matches!(
            check_revision_move(InRevision, Resolved, false),
            Err(RuleError::Invalid(_))
        ));
    }

    #[test]
    fn illegal_moves_are_conflicts() {
        assert!(matches!(
            check_revision_move(Reported, Resolved, true),
            Err(RuleError::Conflict(_))
        ));
        assert!(matches!(
            check_revision_move(Resolved, Reported, false),
            Err(RuleError::Conflict(_))
        ));
        assert!(check_revision_move(Rejected, Reported, false).is_ok());
    }

    #[test]
    fn origins_carry_their_facts() {
        use RevisionOrigin::*;
        assert!(check_revision_origin(ExternalReport, None, None, false).is_err());
        assert!(check_revision_origin(ExternalReport, Some("Brev fra Bufdir"), None, false).is_ok());
        assert!(check_revision_origin(ActionPlan, None, Some("2026-H1"), false).is_ok());
        assert!(check_revision_origin(ActionPlan, None, None, false).is_err());
        assert!(check_revision_origin(Decision, None, None, true).is_ok());
        assert!(check_revision_origin(Internal, None, None, false).is_ok());
    }

    #[test]
    fn a_withdrawal_resolves_any_open_need() {
        for s in RevisionState::ALL {
            assert_eq!(check_resolution_by_withdrawal(*s).is_ok(), s.is_open(), "{s}");
        }
    }
}
