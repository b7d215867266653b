//! The document lifecycle: draft, published, withdrawn ("utgått"), reinstated; version labels
//! that only grow; when a translation is outdated.

use chrono::NaiveDate;

use super::{ChangeKind, DocumentStatus, Fault, RuleError, VersionLabel};

/// A withdrawn document takes no new versions until it is reinstated.
pub fn check_accepts_new_version(status: DocumentStatus) -> Result<(), RuleError> {
    match status {
        DocumentStatus::Withdrawn => Err(RuleError::Conflict(
            "the document is withdrawn (utgått): reinstate it before adding or publishing versions".into(),
        )),
        DocumentStatus::Draft | DocumentStatus::Published => Ok(()),
    }
}

/// A document has at most one draft per language beside its published versions.
pub fn check_no_open_draft(has_draft: bool, language: &str) -> Result<(), RuleError> {
    if has_draft {
        Err(RuleError::Conflict(format!(
            "the document already has a draft in {language}: edit or publish that draft instead"
        )))
    } else {
        Ok(())
    }
}

/// Returns the label a publication gets. Labels only grow: without a chosen label an editorial
/// change bumps the minor and a substantive change the major; a chosen label must be higher
/// than the latest published one.
pub fn label_for_publication(
    latest: Option<VersionLabel>,
    kind: ChangeKind,
    chosen: Option<VersionLabel>,
) -> Result<VersionLabel, RuleError> {
    match (latest, chosen) {
        (None, None) => Ok(VersionLabel::FIRST),
        (None, Some(chosen)) if chosen.major == 0 && chosen.minor == 0 => Err(RuleError::Invalid(
            "version label 0.0 is not allowed; the first version is usually 1.0".into(),
        )),
        (Some(latest), None) => latest.next(kind),
        (Some(latest), Some(chosen)) if chosen <= latest => Err(RuleError::Conflict(format!(
            "version labels only grow: {chosen} is not higher than the latest published version {latest}"
        ))),
        (_, Some(chosen)) => Ok(chosen),
    }
}

/// Returns the label a translation's publication gets: its source's label (the English Normen
/// 6.1 is 6.1), unless the editor chose one or the translation already has that label or a
/// higher one; then the rule of [`label_for_publication`].
pub fn label_for_translation(
    latest: Option<VersionLabel>,
    source: VersionLabel,
    kind: ChangeKind,
    chosen: Option<VersionLabel>,
) -> Result<VersionLabel, RuleError> {
    if chosen.is_none() && latest.is_none_or(|l| source > l) {
        return Ok(source);
    }
    label_for_publication(latest, kind, chosen)
}

/// The earliest date the registry accepts for a publication or withdrawal: Normen's guidance
/// material is younger than this, so an earlier date is a typing error.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Checks that a date is neither after today nor before [`EARLIEST_DATE`]: what can be said
/// of a publication or withdrawal date without the document's history.
pub fn check_date_bounds(field: &'static str, date: NaiveDate, today: NaiveDate) -> Result<(), RuleError> {
    let what = match field {
        "published_on" => "the publication date",
        "withdrawn_on" => "the withdrawal date",
        other => other,
    };
    if date > today {
        return Err(RuleError::field(
            field,
            Fault::InFuture,
            format!("{what} {date} is in the future; it can be today ({today}) at the latest"),
        ));
    }
    if date < EARLIEST_DATE {
        return Err(RuleError::field(
            field,
            Fault::TooEarly,
            format!("{what} {date} is before {EARLIEST_DATE}; check the year"),
        ));
    }
    Ok(())
}

/// Checks the date of a publication: not in the future, not before the previous published
/// version in the same language.
pub fn check_publication_date(date: NaiveDate, previous: Option<NaiveDate>, today: NaiveDate) -> Result<(), RuleError> {
    check_date_bounds("published_on", date, today)?;
    match previous {
        Some(p) if date < p => Err(RuleError::field(
            "published_on",
            Fault::BeforeEarlier,
            format!("the publication date {date} is before the previous version's ({p}); versions are dated in order"),
        )),
        _ => Ok(()),
    }
}

/// Checks the date of a withdrawal: not in the future, not before the document was first
/// published.
pub fn check_withdrawal_date(
    date: NaiveDate,
    first_publication: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), RuleError> {
    check_date_bounds("withdrawn_on", date, today)?;
    match first_publication {
        Some(p) if date < p => Err(RuleError::field(
            "withdrawn_on",
            Fault::BeforeEarlier,
            format!("the withdrawal date {date} is before the document was first published ({p})"),
        )),
        _ => Ok(()),
    }
}

/// The first day a document is certainly withdrawn: the withdrawal's date, or when nobody
/// knows it, the day the registry recorded it (the latest the date can be).
pub fn certainly_withdrawn_from(withdrawn_on: Option<NaiveDate>, recorded_on: NaiveDate) -> NaiveDate {
    withdrawn_on.unwrap_or(recorded_on)
}

/// Withdrawing needs a reason and a document that is published.
pub fn check_withdrawal(status: DocumentStatus, reason: &str) -> Result<(), RuleError> {
    if reason.trim().is_empty() {
        return Err(RuleError::Invalid("a withdrawal needs a reason".into()));
    }
    match status {
        DocumentStatus::Published => Ok(()),
        DocumentStatus::Withdrawn => Err(RuleError::Conflict("the document is already withdrawn".into())),
        DocumentStatus::Draft => Err(RuleError::Conflict(
            "a document that was never published cannot be withdrawn".into(),
        )),
    }
}

/// Most replacements outside the registry one withdrawal names.
pub const MAX_EXTERNAL_SUCCESSORS: usize = 20;
/// Longest address of a replacement outside the registry.
pub const MAX_URL_CHARS: usize = 2000;

/// Checks the address of a replacement outside the registry: `https://` or `http://`, a host,
/// no spaces or control characters, at most [`MAX_URL_CHARS`].
pub fn check_external_url(url: &str) -> Result<(), RuleError> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let host_ok = rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && host.contains('.')
    });
    let clean = !url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    if host_ok && clean && url.chars().count() <= MAX_URL_CHARS {
        Ok(())
    } else {
        Err(RuleError::field(
            "external_successors",
            super::Fault::Malformed,
            format!("external successor address {url:?} must be an http(s) address such as https://www.digdir.no/…"),
        ))
    }
}

/// Only a withdrawn document can be reinstated.
pub fn check_reinstatement(status: DocumentStatus) -> Result<(), RuleError> {
    match status {
        DocumentStatus::Withdrawn => Ok(()),
        _ => Err(RuleError::Conflict(
            "only a withdrawn document can be reinstated".into(),
        )),
    }
}

/// A translation is outdated when a substantive source version was published after the one it
/// translates; editorial source changes do not make it outdated.
pub fn is_translation_outdated(translated: VersionLabel, source_history: &[(VersionLabel, ChangeKind)]) -> bool {
    source_history
        .iter()
        .any(|(label, kind)| *label > translated && *kind == ChangeKind::Substantive)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unknown_withdrawal_date_counts_from_the_day_it_was_recorded() {
        use super::certainly_withdrawn_from;
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        assert_eq!(
            certainly_withdrawn_from(Some(d("2025-09-16")), d("2026-12-03")),
            d("2025-09-16")
        );
        assert_eq!(certainly_withdrawn_from(None, d("2026-12-03")), d("2026-12-03"));
    }

    #[test]
    fn a_translation_takes_its_sources_label_unless_told_otherwise() {
        use super::label_for_translation;
        use crate::domain::{ChangeKind::*, VersionLabel};
        let l = |s: &str| s.parse::<VersionLabel>().unwrap();
        assert_eq!(
            label_for_translation(None, l("6.1"), Substantive, None).unwrap(),
            l("6.1")
        );
        assert_eq!(
            label_for_translation(Some(l("6.0")), l("6.1"), Editorial, None).unwrap(),
            l("6.1")
        );
        // A corrected translation of the same source goes on from the translation's latest.
        assert_eq!(
            label_for_translation(Some(l("6.1")), l("6.1"), Editorial, None).unwrap(),
            l("6.2")
        );
        assert_eq!(
            label_for_translation(None, l("6.1"), Substantive, Some(l("6.1"))).unwrap(),
            l("6.1")
        );
        assert!(label_for_translation(Some(l("6.1")), l("7.0"), Substantive, Some(l("6.0"))).is_err());
    }

    use super::*;

    fn l(s: &str) -> VersionLabel {
        s.parse().unwrap()
    }

    #[test]
    fn withdrawn_documents_take_no_versions() {
        assert!(check_accepts_new_version(DocumentStatus::Published).is_ok());
        assert!(check_accepts_new_version(DocumentStatus::Draft).is_ok());
        assert!(matches!(
            check_accepts_new_version(DocumentStatus::Withdrawn),
            Err(RuleError::Conflict(_))
        ));
    }

    #[test]
    fn one_draft_per_language() {
        assert!(check_no_open_draft(false, "nb").is_ok());
        assert!(matches!(check_no_open_draft(true, "nb"), Err(RuleError::Conflict(_))));
    }

    #[test]
    fn labels_only_grow() {
        use ChangeKind::*;
        assert_eq!(label_for_publication(None, Substantive, None).unwrap(), l("1.0"));
        assert_eq!(
            label_for_publication(None, Editorial, Some(l("3.2"))).unwrap(),
            l("3.2")
        );
        assert_eq!(
            label_for_publication(Some(l("1.0")), Editorial, None).unwrap(),
            l("1.1")
        );
        assert_eq!(
            label_for_publication(Some(l("1.4")), Substantive, None).unwrap(),
            l("2.0")
        );
        assert_eq!(
            label_for_publication(Some(l("1.4")), Editorial, Some(l("3.0"))).unwrap(),
            l("3.0")
        );
        assert!(matches!(
            label_for_publication(Some(l("2.0")), Editorial, Some(l("2.0"))),
            Err(RuleError::Conflict(_))
        ));
        assert!(matches!(
            label_for_publication(Some(l("2.0")), Editorial, Some(l("1.9"))),
            Err(RuleError::Conflict(_))
        ));
        assert!(label_for_publication(None, Editorial, Some(l("0.0"))).is_err());
    }

    #[test]
    fn a_full_label_has_no_default_successor() {
        let top = l("999999.999999");
        assert!(matches!(
            label_for_publication(Some(top), ChangeKind::Editorial, None),
            Err(RuleError::Invalid(_))
        ));
        assert!(label_for_publication(Some(l("999999.5")), ChangeKind::Substantive, None).is_err());
        assert_eq!(
            label_for_publication(Some(l("999999.5")), ChangeKind::Editorial, None).unwrap(),
            l("999999.6")
        );
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn publication_dates_are_in_order_and_not_in_the_future() {
        let today = d("2026-12-01");
        assert!(check_publication_date(today, None, today).is_ok());
        assert!(check_publication_date(d("2020-05-01"), Some(d("2020-05-01")), today).is_ok());
        assert!(check_publication_date(d("2026-12-02"), None, today).is_err());
        assert!(check_publication_date(d("9999-12-31"), None, today).is_err());
        assert!(check_publication_date(d("1900-01-01"), None, today).is_err());
        let err = check_publication_date(d("2020-04-30"), Some(d("2020-05-01")), today).unwrap_err();
        assert!(err.to_string().contains("previous"), "{err}");
    }

    #[test]
    fn a_withdrawal_is_not_dated_before_the_first_publication() {
        let today = d("2026-12-01");
        assert!(check_withdrawal_date(d("2021-01-01"), Some(d("2021-01-01")), today).is_ok());
        let err = check_withdrawal_date(d("2020-12-31"), Some(d("2021-01-01")), today).unwrap_err();
        assert!(err.to_string().contains("first published"), "{err}");
        assert!(check_withdrawal_date(d("2027-01-01"), Some(d("2021-01-01")), today).is_err());
        assert!(check_withdrawal_date(d("1900-01-01"), None, today).is_err());
    }

    #[test]
    fn withdrawal_needs_reason_and_published_document() {
        assert!(matches!(
            check_withdrawal(DocumentStatus::Published, "  "),
            Err(RuleError::Invalid(_))
        ));
        assert!(check_withdrawal(DocumentStatus::Published, "Sanert, sak 23/25").is_ok());
        assert!(matches!(
            check_withdrawal(DocumentStatus::Withdrawn, "again"),
            Err(RuleError::Conflict(_))
        ));
        assert!(matches!(
            check_withdrawal(DocumentStatus::Draft, "x"),
            Err(RuleError::Conflict(_))
        ));
    }

    #[test]
    fn reinstate_only_withdrawn() {
        assert!(check_reinstatement(DocumentStatus::Withdrawn).is_ok());
        assert!(check_reinstatement(DocumentStatus::Published).is_err());
    }

    #[test]
    fn only_substantive_source_changes_outdate_a_translation() {
        use ChangeKind::*;
        let history = [(l("1.0"), Substantive), (l("1.1"), Editorial)];
        assert!(!is_translation_outdated(l("1.0"), &history));
        let history = [(l("1.0"), Substantive), (l("1.1"), Editorial), (l("2.0"), Substantive)];
        assert!(is_translation_outdated(l("1.0"), &history));
        assert!(is_translation_outdated(l("1.1"), &history));
        assert!(!is_translation_outdated(l("2.0"), &history));
    }

    #[test]
    fn external_successors_are_web_addresses() {
        assert!(check_external_url("https://www.digdir.no/prosjektveiviseren").is_ok());
        assert!(check_external_url("http://example.no/a?b=c").is_ok());
        for bad in [
            "ftp://x.no",
            "javascript:alert(1)",
            "https://",
            "https://localhost",
            "https://x.no/a b",
            "/faktaark/1",
        ] {
            assert!(check_external_url(bad).is_err(), "{bad}");
        }
        assert!(check_external_url(&format!("https://x.no/{}", "a".repeat(2000))).is_err());
    }
}
