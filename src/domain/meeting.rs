//! The steering group's meetings: a meeting is planned, called (the møteinnkalling is sent) and
//! held; each agenda item is a case ("sak 23/25") of a kind, and gets an outcome. A decided
//! item is the decision that publications, withdrawals and plans cite.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::RuleError;
use super::types::{CaseNumber, string_enum};

string_enum!(
    /// Where a meeting is in its course.
    MeetingState, "meeting state" {
        Planned => "planned",
        Called => "called",
        Held => "held",
    }
);

string_enum!(
    /// What the steering group is asked to do with an agenda item: decide on a *forslag til
    /// vedtak* (beslutningssak), take note (orientering), or approve the call or the minutes
    /// (godkjenning).
    AgendaKind, "agenda item kind" {
        Decision => "decision",
        Information => "information",
        Approval => "approval",
    }
);

string_enum!(
    /// What came of an agenda item.
    ItemOutcome, "outcome status" {
        Decided => "decided",
        Deferred => "deferred",
        Rejected => "rejected",
        Noted => "noted",
    }
);

impl MeetingState {
    /// Whether the public sees the meeting: once it is called, its agenda is a public paper.
    pub fn is_public(self) -> bool {
        match self {
            MeetingState::Planned => false,
            MeetingState::Called | MeetingState::Held => true,
        }
    }
}

/// A meeting moves forward only: planned → called → held (a planned meeting may be held
/// without a call on record). A held meeting stays held.
pub fn check_meeting_state_change(from: MeetingState, to: MeetingState) -> Result<(), RuleError> {
    use MeetingState::{Called, Held, Planned};
    match (from, to) {
        (Planned, Called | Held) | (Called, Held) => Ok(()),
        (a, b) if a == b => Err(RuleError::Conflict(format!("the meeting is {} already", a.as_str()))),
        (a, b) => Err(RuleError::Conflict(format!(
            "a meeting cannot go back from {} to {}",
            a.as_str(),
            b.as_str()
        ))),
    }
}

/// Whether an outcome fits an item's kind: an item for information is taken note of (or
/// deferred); only items put to the group for decision or approval are decided or rejected.
pub fn check_outcome_fits(kind: AgendaKind, outcome: ItemOutcome) -> Result<(), RuleError> {
    use ItemOutcome::{Decided, Rejected};
    match (kind, outcome) {
        (AgendaKind::Information, Decided | Rejected) => Err(RuleError::Invalid(format!(
            "an item for information is taken note of (noted) or deferred, not {}",
            outcome.as_str()
        ))),
        _ => Ok(()),
    }
}

/// The decision text as adopted: the text given, or else the proposal as it stood.
pub fn adopted_text(outcome: ItemOutcome, text: &str, proposal: &str) -> Result<String, RuleError> {
    let text = text.trim();
    match outcome {
        ItemOutcome::Decided if text.is_empty() && proposal.trim().is_empty() => Err(RuleError::Invalid(
            "a decided item needs the decision text (the item has no proposal to adopt)".into(),
        )),
        ItemOutcome::Decided if text.is_empty() => Ok(proposal.trim().to_string()),
        _ => Ok(text.to_string()),
    }
}

/// The next case number of `year`: one past the highest used that year (the papers number
/// cases through the year across meetings), 1 when none is.
pub fn next_case_number<'a>(year: i32, used: impl IntoIterator<Item = &'a CaseNumber>) -> CaseNumber {
    let highest = used
        .into_iter()
        .filter(|c| c.year() == year)
        .map(CaseNumber::number)
        .max()
        .unwrap_or(0);
    CaseNumber::of(highest + 1, year)
}

/// The case numbers used more than once among `cases`, in first-use order. The seed papers
/// reuse numbers by mistake (27/23, 29/25): the registry records them as they stand and warns.
pub fn repeated_cases<'a>(cases: impl IntoIterator<Item = &'a CaseNumber>) -> Vec<CaseNumber> {
    let mut seen: HashMap<(u32, i32), usize> = HashMap::new();
    let mut order = Vec::new();
    for c in cases {
        let n = seen.entry((c.number(), c.year())).or_insert(0);
        *n += 1;
        if *n == 2 {
            order.push(c.clone());
        }
    }
    order
}

/// A meeting's time span as the call writes it: "10:00–16:00", one end alone, or nothing.
pub fn time_span(starts: Option<&str>, ends: Option<&str>) -> Option<String> {
    match (starts, ends) {
        (Some(s), Some(e)) => Some(format!("{s}–{e}")),
        (Some(s), None) => Some(format!("fra {s}")),
        (None, Some(e)) => Some(format!("til {e}")),
        (None, None) => None,
    }
}

/// Reads a clock time "10:00" or "9.00" as "HH:MM".
pub fn parse_clock(s: &str) -> Result<String, RuleError> {
    let t = s.trim();
    let bad = || RuleError::Invalid(format!("time {t:?} is not a clock time such as 10:00"));
    let (h, m) = t.split_once([':', '.']).ok_or_else(bad)?;
    let digits = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(format!("{h:02}:{m:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(s: &str) -> CaseNumber {
        s.parse().unwrap()
    }

    #[test]
    fn meetings_move_forward_only() {
        use MeetingState::*;
        assert!(check_meeting_state_change(Planned, Called).is_ok());
        assert!(check_meeting_state_change(Called, Held).is_ok());
        assert!(check_meeting_state_change(Planned, Held).is_ok());
        assert!(matches!(
            check_meeting_state_change(Held, Called),
            Err(RuleError::Conflict(_))
        ));
        assert!(matches!(
            check_meeting_state_change(Called, Called),
            Err(RuleError::Conflict(_))
        ));
        assert!(!Planned.is_public());
        assert!(Called.is_public() && Held.is_public());
    }

    #[test]
    fn information_items_are_noted_not_decided() {
        assert!(check_outcome_fits(AgendaKind::Information, ItemOutcome::Decided).is_err());
        assert!(check_outcome_fits(AgendaKind::Information, ItemOutcome::Rejected).is_err());
        assert!(check_outcome_fits(AgendaKind::Information, ItemOutcome::Noted).is_ok());
        assert!(check_outcome_fits(AgendaKind::Decision, ItemOutcome::Decided).is_ok());
        assert!(check_outcome_fits(AgendaKind::Approval, ItemOutcome::Decided).is_ok());
    }

    #[test]
    fn a_decision_without_text_adopts_the_proposal() {
        let proposal = "Styringsgruppen godkjenner referatet";
        assert_eq!(adopted_text(ItemOutcome::Decided, " ", proposal).unwrap(), proposal);
        assert_eq!(
            adopted_text(ItemOutcome::Decided, "Endret vedtak", proposal).unwrap(),
            "Endret vedtak"
        );
        assert!(adopted_text(ItemOutcome::Decided, "", "").is_err());
        assert_eq!(adopted_text(ItemOutcome::Deferred, "", proposal).unwrap(), "");
    }

    #[test]
    fn new_numbers_follow_the_highest_of_the_year() {
        let used = [case("16/25"), case("32/25"), case("29/25"), case("40/24")];
        assert_eq!(next_case_number(2025, &used).as_str(), "33/25");
        assert_eq!(next_case_number(2024, &used).as_str(), "41/24");
        assert_eq!(next_case_number(2026, &used).as_str(), "1/26");
    }

    #[test]
    fn reused_numbers_are_found_once_each() {
        let items = [
            case("27/23"),
            case("26/23"),
            case("27/23"),
            case("27/23"),
            case("29/25"),
        ];
        assert_eq!(repeated_cases(&items), vec![case("27/23")]);
        assert!(repeated_cases(&[case("1/25"), case("1/26")]).is_empty());
        // "7/2025" and "7/25" are one case.
        assert_eq!(repeated_cases(&[case("7/2025"), case("7/25")]).len(), 1);
    }

    #[test]
    fn clock_times_and_spans() {
        assert_eq!(parse_clock("9.00").unwrap(), "09:00");
        assert_eq!(parse_clock("10:10").unwrap(), "10:10");
        assert!(parse_clock("24:00").is_err());
        assert!(parse_clock("10").is_err());
        assert!(parse_clock("10:5").is_err());
        assert_eq!(time_span(Some("10:00"), Some("16:00")).unwrap(), "10:00–16:00");
        assert_eq!(time_span(None, None), None);
    }
}
