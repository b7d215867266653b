//! The registry as of a date, as Lovdata and EUR-Lex show law in force: what a document's
//! published versions and withdrawals say it was on a given day. A date counts from its start,
//! so a version published on a day is in force on it, and a withdrawal made on a day is in
//! effect on it.

use chrono::NaiveDate;

use super::{DocumentStatus, Fault, Language, RuleError, VersionLabel};

/// A published version as far as its time in force goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedVersion {
    pub label: VersionLabel,
    pub language: Language,
    pub published_on: NaiveDate,
}

/// A withdrawal as a span of days: in effect from `withdrawn_on`, until the day the document
/// was reinstated (that day already published again), if it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WithdrawalSpan {
    pub withdrawn_on: NaiveDate,
    pub reinstated_on: Option<NaiveDate>,
}

impl WithdrawalSpan {
    /// Whether the withdrawal was in effect on `on`.
    pub fn covers(&self, on: NaiveDate) -> bool {
        self.withdrawn_on <= on && self.reinstated_on.is_none_or(|r| on < r)
    }
}

/// What was in force of one document on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    /// Published or withdrawn, on that date.
    pub status: DocumentStatus,
    /// The version in force in each language that had one then, in the order of
    /// `Language::ALL`.
    pub versions: Vec<(Language, VersionLabel)>,
    /// The date of the withdrawal in effect, when `status` is withdrawn.
    pub withdrawn_on: Option<NaiveDate>,
}

impl InForce {
    /// The version in force in a language, if it had one then.
    pub fn version(&self, language: Language) -> Option<VersionLabel> {
        self.versions.iter().find(|(l, _)| *l == language).map(|(_, v)| *v)
    }
}

/// The version of a language in force on `on`: the last one published on or before it.
pub fn version_in_force(versions: &[DatedVersion], language: Language, on: NaiveDate) -> Option<VersionLabel> {
    versions
        .iter()
        .filter(|v| v.language == language && v.published_on <= on)
        .map(|v| v.label)
        .max()
}

/// What was in force of a document on `on`: `None` when nothing of it was published yet;
/// else its status on that date and the version then in force in each language.
pub fn in_force(versions: &[DatedVersion], withdrawals: &[WithdrawalSpan], on: NaiveDate) -> Option<InForce> {
    let in_force: Vec<(Language, VersionLabel)> = Language::ALL
        .iter()
        .filter_map(|&l| Some((l, version_in_force(versions, l, on)?)))
        .collect();
    if in_force.is_empty() {
        return None;
    }
    let withdrawn_on = withdrawals
        .iter()
        .filter(|w| w.covers(on))
        .map(|w| w.withdrawn_on)
        .max();
    Some(InForce {
        status: if withdrawn_on.is_some() {
            DocumentStatus::Withdrawn
        } else {
            DocumentStatus::Published
        },
        versions: in_force,
        withdrawn_on,
    })
}

/// Reads an `as_of` date: exactly `YYYY-MM-DD`, and a day the calendar has (not 2024-02-30).
/// A date in the future is fine: the registry as it stands.
pub fn parse_as_of(field: &'static str, s: &str) -> Result<NaiveDate, RuleError> {
    let malformed = || {
        RuleError::field(
            field,
            Fault::Malformed,
            format!("{field} must be a date of the form YYYY-MM-DD that the calendar has, such as 2024-06-30"),
        )
    };
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(malformed());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| malformed())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn v(label: &str, language: Language, published_on: &str) -> DatedVersion {
        DatedVersion {
            label: label.parse().unwrap(),
            language,
            published_on: d(published_on),
        }
    }

    fn label(s: &str) -> VersionLabel {
        s.parse().unwrap()
    }

    #[test]
    fn nothing_is_in_force_before_the_first_publication() {
        let versions = [v("1.0", Language::Nb, "2024-03-01")];
        assert_eq!(in_force(&versions, &[], d("2024-02-29")), None);
        assert_eq!(in_force(&[], &[], d("2024-02-29")), None);
    }

    #[test]
    fn a_version_is_in_force_from_the_start_of_its_day() {
        let versions = [
            v("1.0", Language::Nb, "2024-03-01"),
            v("2.0", Language::Nb, "2024-06-30"),
        ];
        let on = |s| in_force(&versions, &[], d(s)).unwrap().version(Language::Nb);
        assert_eq!(on("2024-03-01"), Some(label("1.0")));
        assert_eq!(on("2024-06-29"), Some(label("1.0")));
        assert_eq!(on("2024-06-30"), Some(label("2.0")));
        assert_eq!(on("2030-01-01"), Some(label("2.0")));
    }

    #[test]
    fn two_versions_on_one_day_leave_the_later_in_force() {
        let versions = [
            v("1.1", Language::Nb, "2024-03-01"),
            v("1.0", Language::Nb, "2024-03-01"),
        ];
        assert_eq!(
            version_in_force(&versions, Language::Nb, d("2024-03-01")),
            Some(label("1.1"))
        );
    }

    #[test]
    fn each_language_has_its_own_version_in_force() {
        let versions = [
            v("1.0", Language::Nb, "2024-01-10"),
            v("2.0", Language::Nb, "2024-05-01"),
            v("1.0", Language::En, "2024-02-01"),
        ];
        let at = in_force(&versions, &[], d("2024-01-31")).unwrap();
        assert_eq!(at.versions, vec![(Language::Nb, label("1.0"))]);
        let at = in_force(&versions, &[], d("2024-05-01")).unwrap();
        assert_eq!(
            at.versions,
            vec![(Language::Nb, label("2.0")), (Language::En, label("1.0"))]
        );
        assert_eq!(at.version(Language::Nn), None);
    }

    #[test]
    fn a_withdrawal_is_in_effect_from_the_start_of_its_day() {
        let versions = [v("1.0", Language::Nb, "2024-03-01")];
        let withdrawn = [WithdrawalSpan {
            withdrawn_on: d("2025-09-16"),
            reinstated_on: None,
        }];
        let before = in_force(&versions, &withdrawn, d("2025-09-15")).unwrap();
        assert_eq!(before.status, DocumentStatus::Published);
        assert_eq!(before.withdrawn_on, None);
        let on = in_force(&versions, &withdrawn, d("2025-09-16")).unwrap();
        assert_eq!(on.status, DocumentStatus::Withdrawn);
        assert_eq!(on.withdrawn_on, Some(d("2025-09-16")));
        // Withdrawn material keeps its last version.
        assert_eq!(on.version(Language::Nb), Some(label("1.0")));
    }

    #[test]
    fn a_reinstatement_ends_the_withdrawal_from_its_day() {
        let versions = [v("1.0", Language::Nb, "2024-03-01")];
        let spans = [
            WithdrawalSpan {
                withdrawn_on: d("2024-06-01"),
                reinstated_on: Some(d("2024-08-01")),
            },
            WithdrawalSpan {
                withdrawn_on: d("2025-01-01"),
                reinstated_on: None,
            },
        ];
        let status = |s| in_force(&versions, &spans, d(s)).unwrap().status;
        assert_eq!(status("2024-05-31"), DocumentStatus::Published);
        assert_eq!(status("2024-06-01"), DocumentStatus::Withdrawn);
        assert_eq!(status("2024-07-31"), DocumentStatus::Withdrawn);
        assert_eq!(status("2024-08-01"), DocumentStatus::Published);
        assert_eq!(status("2025-01-01"), DocumentStatus::Withdrawn);
    }

    #[test]
    fn as_of_dates_are_read_strictly() {
        assert_eq!(parse_as_of("as_of", "2024-06-30"), Ok(d("2024-06-30")));
        assert_eq!(parse_as_of("as_of", "2024-02-29"), Ok(d("2024-02-29")));
        assert_eq!(parse_as_of("as_of", "9999-12-31"), Ok(d("9999-12-31")));
        for bad in [
            "2024-02-30",
            "2023-02-29",
            "x",
            "",
            "2024-6-30",
            "2024-06-30T00:00",
            " 2024-06-30",
            "+2024-06-3",
        ] {
            let Err(RuleError::Field(e)) = parse_as_of("as_of", bad) else {
                panic!("{bad:?} was read");
            };
            assert_eq!((e.field, e.fault), ("as_of", Fault::Malformed), "{bad:?}");
        }
    }
}
