//! The action plan's rules: which state an item may go to, when an item may move to another
//! period, and how a period goes from drafted to adopted.

use super::{Fault, PlanItemState, PlanPeriod, PlanPeriodState, RuleError};

/// The states an item may go to from `from`. Done is final; a dropped item may be proposed
/// again; planned and in-progress work may step back one state.
pub fn item_next_states(from: PlanItemState) -> &'static [PlanItemState] {
    use PlanItemState::{Done, Dropped, InProgress, Planned, Proposed};
    match from {
        Proposed => &[Planned, Dropped],
        Planned => &[InProgress, Proposed, Dropped],
        InProgress => &[Done, Planned, Dropped],
        Done => &[],
        Dropped => &[Proposed],
    }
}

/// Checks a state change of an item. An item that moved to another period lives on there and
/// changes no more here.
pub fn check_item_transition(from: PlanItemState, to: PlanItemState, moved: bool) -> Result<(), RuleError> {
    if moved {
        return Err(RuleError::Conflict(
            "the item has moved to another period; change it there".into(),
        ));
    }
    if item_next_states(from).contains(&to) {
        Ok(())
    } else {
        Err(RuleError::Conflict(format!(
            "a plan item that is {from} cannot become {to}"
        )))
    }
}

/// Checks that an item may move from period `from` to `to`: another period, an item that is
/// not done or dropped, and one that has not moved already.
pub fn check_item_move(state: PlanItemState, moved: bool, from: &PlanPeriod, to: &PlanPeriod) -> Result<(), RuleError> {
    if from == to {
        return Err(RuleError::field(
            "period",
            Fault::Malformed,
            format!("the item is in {from} already; name another period to move it to"),
        ));
    }
    if moved {
        return Err(RuleError::Conflict(
            "the item has moved to another period already; move it from there".into(),
        ));
    }
    if state.is_closed() {
        return Err(RuleError::Conflict(format!(
            "a plan item that is {state} stays in its period"
        )));
    }
    Ok(())
}

/// Checks a period's state change: drafted to discussed, drafted or discussed to adopted (which
/// needs the adopting decision). An adopted plan stays adopted.
pub fn check_period_transition(
    from: PlanPeriodState,
    to: PlanPeriodState,
    has_decision: bool,
) -> Result<(), RuleError> {
    use PlanPeriodState::{Adopted, Discussed, Drafted};
    let allowed = match from {
        Drafted => matches!(to, Discussed | Adopted),
        Discussed => matches!(to, Adopted),
        Adopted => false,
    };
    if !allowed {
        return Err(RuleError::Conflict(format!(
            "a plan period that is {from} cannot become {to}"
        )));
    }
    if to == Adopted && !has_decision {
        return Err(RuleError::field(
            "decision",
            Fault::Required,
            "a plan is adopted by a decision; name its case, e.g. 29/25",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use PlanItemState::{Done, Dropped, InProgress, Planned, Proposed};

    fn p(s: &str) -> PlanPeriod {
        s.parse().unwrap()
    }

    #[test]
    fn items_move_through_their_states() {
        assert!(check_item_transition(Proposed, Planned, false).is_ok());
        assert!(check_item_transition(Planned, InProgress, false).is_ok());
        assert!(check_item_transition(InProgress, Done, false).is_ok());
        assert!(check_item_transition(Dropped, Proposed, false).is_ok());
        for to in PlanItemState::ALL {
            assert!(check_item_transition(Done, *to, false).is_err(), "done -> {to}");
            assert!(check_item_transition(*to, *to, false).is_err(), "{to} -> {to}");
        }
        assert!(check_item_transition(Proposed, Done, false).is_err());
        assert!(matches!(
            check_item_transition(Proposed, Planned, true),
            Err(RuleError::Conflict(_))
        ));
    }

    #[test]
    fn moving_needs_another_period_and_open_work() {
        assert!(check_item_move(Planned, false, &p("2026-H1"), &p("2026-H2")).is_ok());
        assert!(check_item_move(Proposed, false, &p("2024"), &p("2026-H1")).is_ok());
        let same = check_item_move(Planned, false, &p("2026-H1"), &p("2026-H1")).unwrap_err();
        assert!(matches!(same, RuleError::Field(f) if f.field == "period"));
        assert!(matches!(
            check_item_move(Done, false, &p("2026-H1"), &p("2026-H2")),
            Err(RuleError::Conflict(_))
        ));
        assert!(matches!(
            check_item_move(Dropped, false, &p("2026-H1"), &p("2026-H2")),
            Err(RuleError::Conflict(_))
        ));
        assert!(matches!(
            check_item_move(Planned, true, &p("2026-H1"), &p("2026-H2")),
            Err(RuleError::Conflict(_))
        ));
    }

    #[test]
    fn periods_are_adopted_by_a_decision() {
        use PlanPeriodState::{Adopted, Discussed, Drafted};
        assert!(check_period_transition(Drafted, Discussed, false).is_ok());
        assert!(check_period_transition(Discussed, Adopted, true).is_ok());
        assert!(check_period_transition(Drafted, Adopted, true).is_ok());
        let no_case = check_period_transition(Discussed, Adopted, false).unwrap_err();
        assert!(matches!(no_case, RuleError::Field(f) if f.field == "decision"));
        for to in PlanPeriodState::ALL {
            assert!(check_period_transition(Adopted, *to, true).is_err());
        }
        assert!(check_period_transition(Discussed, Drafted, false).is_err());
        assert!(check_period_transition(Discussed, Discussed, false).is_err());
    }
}
