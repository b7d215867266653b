//! The review cycle: a published document is looked at again after an interval (a default per
//! kind, or its own), and each review records one of four outcomes. Reaffirm moves the next
//! date on; update and revise ask for a new version; withdraw proposes taking it out.

use chrono::{Months, NaiveDate};

use super::{DocumentKind, DocumentStatus, Fault, ReviewOutcome, RevisionKind, RuleError, VersionLabel};

/// Longest review interval, in months (ten years).
pub const MAX_REVIEW_INTERVAL_MONTHS: u32 = 120;

/// How often a document of a kind is reviewed, in months, unless it has its own interval.
pub fn default_review_interval_months(kind: DocumentKind) -> u32 {
    match kind {
        // Normen itself is revised by the steering group on its own schedule; its guidance
        // material is looked at every three years.
        DocumentKind::Norm => 24,
        DocumentKind::FactSheet | DocumentKind::Guide | DocumentKind::Template | DocumentKind::Other => 36,
    }
}

/// The date the next review is due: the interval after the last review, or, never reviewed,
/// after the first publication; `None` for a document never published.
pub fn next_review_on(
    last_reviewed_on: Option<NaiveDate>,
    first_published_on: Option<NaiveDate>,
    interval_months: u32,
) -> Option<NaiveDate> {
    let from = last_reviewed_on.or(first_published_on)?;
    from.checked_add_months(Months::new(interval_months))
}

/// Whether a review is overdue: its date has passed.
pub fn is_overdue(next_review_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    next_review_on.is_some_and(|d| d < today)
}

/// Only current (published) material is reviewed: a draft has nothing to review yet, and a
/// withdrawn document is reinstated first.
pub fn check_reviewable(status: DocumentStatus) -> Result<(), RuleError> {
    match status {
        DocumentStatus::Published => Ok(()),
        DocumentStatus::Draft => Err(RuleError::Conflict(
            "a document that was never published cannot be reviewed".into(),
        )),
        DocumentStatus::Withdrawn => Err(RuleError::Conflict(
            "the document is withdrawn (utgått): reinstate it before reviewing it".into(),
        )),
    }
}

/// A review is dated no later than today and not before the document was first published.
pub fn check_review_date(
    reviewed_on: NaiveDate,
    first_published_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), RuleError> {
    super::check_date_bounds("reviewed_on", reviewed_on, today)?;
    match first_published_on {
        Some(p) if reviewed_on < p => Err(RuleError::field(
            "reviewed_on",
            Fault::BeforeEarlier,
            format!("the review date {reviewed_on} is before the document was first published ({p})"),
        )),
        _ => Ok(()),
    }
}

/// A review interval of a document: 1 to [`MAX_REVIEW_INTERVAL_MONTHS`] months.
pub fn check_review_interval(months: i64) -> Result<u32, RuleError> {
    match u32::try_from(months) {
        Ok(m) if (1..=MAX_REVIEW_INTERVAL_MONTHS).contains(&m) => Ok(m),
        _ => Err(RuleError::field(
            "review_interval_months",
            Fault::Malformed,
            format!("review_interval_months must be 1 to {MAX_REVIEW_INTERVAL_MONTHS}"),
        )),
    }
}

impl ReviewOutcome {
    /// The revision need an outcome opens, as (kind, title); none for reaffirm.
    pub fn revision_need(self) -> Option<(RevisionKind, &'static str)> {
        match self {
            ReviewOutcome::Reaffirm => None,
            ReviewOutcome::Update => Some((RevisionKind::Editorial, "Oppdateres etter vurdering")),
            ReviewOutcome::Revise => Some((RevisionKind::Substantive, "Revideres etter vurdering")),
            ReviewOutcome::Withdraw => Some((
                RevisionKind::Substantive,
                "Foreslått trukket tilbake etter vurdering (til neste møte i styringsgruppen)",
            )),
        }
    }
}

/// How a document stands against the current Normen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Alignment {
    /// Follows the current Normen version.
    Current,
    /// Follows an older Normen version.
    Older,
    /// Says nothing about which Normen it follows.
    Unknown,
}

/// Whether a document's Normen version is the current one.
pub fn alignment_of(normen_version: Option<&str>, current: Option<VersionLabel>) -> Alignment {
    match (normen_version.and_then(|v| v.parse::<VersionLabel>().ok()), current) {
        (None, _) => Alignment::Unknown,
        (Some(v), Some(c)) if v >= c => Alignment::Current,
        (Some(_), _) => Alignment::Older,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_next_review_follows_the_last_or_the_first_publication() {
        assert_eq!(next_review_on(None, Some(d("2021-03-31")), 36), Some(d("2024-03-31")));
        assert_eq!(
            next_review_on(Some(d("2026-01-15")), Some(d("2021-03-31")), 36),
            Some(d("2029-01-15"))
        );
        // A month that is shorter ends on its last day.
        assert_eq!(next_review_on(None, Some(d("2024-02-29")), 12), Some(d("2025-02-28")));
        assert_eq!(next_review_on(None, None, 36), None);
    }

    #[test]
    fn overdue_means_the_date_has_passed() {
        let today = d("2026-12-02");
        assert!(is_overdue(Some(d("2026-12-01")), today));
        assert!(!is_overdue(Some(d("2026-12-02")), today));
        assert!(!is_overdue(None, today));
    }

    #[test]
    fn only_published_documents_are_reviewed() {
        assert!(check_reviewable(DocumentStatus::Published).is_ok());
        assert!(matches!(
            check_reviewable(DocumentStatus::Draft),
            Err(RuleError::Conflict(_))
        ));
        assert!(matches!(
            check_reviewable(DocumentStatus::Withdrawn),
            Err(RuleError::Conflict(_))
        ));
    }

    #[test]
    fn review_dates_are_not_in_the_future_nor_before_publication() {
        let today = d("2026-12-02");
        assert!(check_review_date(today, Some(d("2020-01-01")), today).is_ok());
        let future = check_review_date(d("2026-12-03"), None, today).unwrap_err();
        assert!(matches!(&future, RuleError::Field(e) if e.field == "reviewed_on" && e.fault == Fault::InFuture));
        let early = check_review_date(d("2019-12-31"), Some(d("2020-01-01")), today).unwrap_err();
        assert!(
            matches!(&early, RuleError::Field(e) if e.fault == Fault::BeforeEarlier),
            "{early}"
        );
    }

    #[test]
    fn intervals_are_bounded() {
        assert_eq!(check_review_interval(36).unwrap(), 36);
        assert!(check_review_interval(0).is_err());
        assert!(check_review_interval(121).is_err());
        assert!(check_review_interval(-5).is_err());
    }

    #[test]
    fn only_reaffirm_opens_no_revision_need() {
        assert!(ReviewOutcome::Reaffirm.revision_need().is_none());
        for o in [ReviewOutcome::Update, ReviewOutcome::Revise, ReviewOutcome::Withdraw] {
            assert!(o.revision_need().is_some(), "{o}");
        }
        assert_eq!(
            ReviewOutcome::Revise.revision_need().unwrap().0,
            RevisionKind::Substantive
        );
    }

    #[test]
    fn every_kind_has_an_interval_within_bounds() {
        for k in DocumentKind::ALL {
            let m = default_review_interval_months(*k);
            assert!((1..=MAX_REVIEW_INTERVAL_MONTHS).contains(&m), "{k}");
        }
    }

    #[test]
    fn a_document_follows_the_current_normen_or_an_older_one() {
        let c: VersionLabel = "6.1".parse().unwrap();
        assert_eq!(alignment_of(Some("6.1"), Some(c)), Alignment::Current);
        assert_eq!(alignment_of(Some("7.0"), Some(c)), Alignment::Current);
        assert_eq!(alignment_of(Some("6.0"), Some(c)), Alignment::Older);
        assert_eq!(alignment_of(None, Some(c)), Alignment::Unknown);
        assert_eq!(alignment_of(Some("6.0"), None), Alignment::Older);
    }
}
