//! Value types parsed once at the edge: kinds, languages, labels, case numbers, periods.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::RuleError;

/// Declares a string-backed enum with `as_str`, `FromStr`, `Display` and serde in lowercase.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Returns the stored and serialized form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = RuleError;
            fn from_str(s: &str) -> Result<Self, RuleError> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(RuleError::Invalid(format!(
                        concat!("unknown ", $what, " {:?}; expected one of: {}"),
                        s,
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// What kind of guidance material a document is.
    DocumentKind, "kind" {
        FactSheet => "fact_sheet",
        Guide => "guide",
        Norm => "norm",
        Template => "template",
        Other => "other",
    }
);

string_enum!(
    /// Where a document is in its life.
    DocumentStatus, "status" {
        Draft => "draft",
        Published => "published",
        Withdrawn => "withdrawn",
    }
);

impl DocumentStatus {
    /// Whether the public may see the document: once published, also after withdrawal.
    pub fn is_public(self) -> bool {
        match self {
            DocumentStatus::Published | DocumentStatus::Withdrawn => true,
            DocumentStatus::Draft => false,
        }
    }
}

string_enum!(
    /// Where a version is: an open draft, or published (and then never changed).
    VersionState, "version state" {
        Draft => "draft",
        Published => "published",
    }
);

string_enum!(
    /// Written language of a version: bokmål, nynorsk or English.
    Language, "language" {
        Nb => "nb",
        Nn => "nn",
        En => "en",
    }
);

string_enum!(
    /// Whether a version changes what the guidance says, or only how it says it.
    ChangeKind, "change kind" {
        Substantive => "substantive",
        Editorial => "editorial",
    }
);

string_enum!(
    /// A typed link between two documents.
    RelationKind, "relation kind" {
        ReplacedBy => "replaced_by",
        SplitInto => "split_into",
        MergedInto => "merged_into",
        Related => "related",
    }
);

impl RelationKind {
    /// The kinds that name what replaces a withdrawn document.
    pub const SUCCESSORS: &'static [RelationKind] = &[
        RelationKind::ReplacedBy,
        RelationKind::SplitInto,
        RelationKind::MergedInto,
    ];

    /// Whether the target of this link takes the place of its source.
    pub fn is_successor(self) -> bool {
        match self {
            RelationKind::ReplacedBy | RelationKind::SplitInto | RelationKind::MergedInto => true,
            RelationKind::Related => false,
        }
    }
}

string_enum!(
    /// Which way a relation points, seen from one document.
    RelationDirection, "relation direction" {
        Outgoing => "outgoing",
        Incoming => "incoming",
    }
);

string_enum!(
    /// Who may do what.
    Role, "role" {
        Reviewer => "reviewer",
        Editor => "editor",
        Admin => "admin",
    }
);

impl Role {
    /// Reviewers, editors and admins may read drafts.
    pub fn can_read_drafts(self) -> bool {
        true
    }

    /// Editors and admins write.
    pub fn can_write(self) -> bool {
        matches!(self, Role::Editor | Role::Admin)
    }
}

string_enum!(
    /// Where a revision need comes from.
    RevisionOrigin, "origin" {
        ExternalReport => "external_report",
        ActionPlan => "action_plan",
        Decision => "decision",
        Internal => "internal",
    }
);

string_enum!(
    /// What a revision need is about.
    RevisionKind, "revision kind" {
        Error => "error",
        Editorial => "editorial",
        Substantive => "substantive",
        LegalChange => "legal_change",
    }
);

string_enum!(
    /// Where a revision need is in its handling.
    RevisionState, "revision state" {
        Reported => "reported",
        Accepted => "accepted",
        Held => "held",
        Rejected => "rejected",
        Planned => "planned",
        InRevision => "in_revision",
        Resolved => "resolved",
    }
);

impl RevisionState {
    /// Whether the need still asks for work: neither rejected nor resolved.
    pub fn is_open(self) -> bool {
        match self {
            RevisionState::Reported
            | RevisionState::Accepted
            | RevisionState::Held
            | RevisionState::Planned
            | RevisionState::InRevision => true,
            RevisionState::Rejected | RevisionState::Resolved => false,
        }
    }

    /// The states in which a need is closed.
    pub fn closed() -> impl Iterator<Item = RevisionState> {
        Self::ALL.iter().copied().filter(|s| !s.is_open())
    }
}

string_enum!(
    /// What a review of a document concluded (NIST's four outcomes).
    ReviewOutcome, "review outcome" {
        Reaffirm => "reaffirm",
        Update => "update",
        Revise => "revise",
        Withdraw => "withdraw",
    }
);

/// A version label such as "1.0" or "2.3": major bumps on substantive change, minor on editorial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VersionLabel {
    pub major: u32,
    pub minor: u32,
}

impl VersionLabel {
    /// The label of a document's first published version.
    pub const FIRST: VersionLabel = VersionLabel { major: 1, minor: 0 };

    /// The largest major or minor number. The parser reads at most six digits per part, and the
    /// writer refuses anything above: every label that is stored can be read back.
    pub const MAX_PART: u32 = 999_999;

    /// Returns the label that follows `self` for a change of `kind`, or refuses when that would
    /// pass [`VersionLabel::MAX_PART`].
    pub fn next(self, kind: ChangeKind) -> Result<VersionLabel, RuleError> {
        let next = match kind {
            ChangeKind::Substantive => self.major.checked_add(1).map(|major| VersionLabel { major, minor: 0 }),
            ChangeKind::Editorial => self.minor.checked_add(1).map(|minor| VersionLabel {
                major: self.major,
                minor,
            }),
        };
        match next {
            Some(l) if l.is_within_bounds() => Ok(l),
            _ => Err(RuleError::Invalid(format!(
                "the version after {self} would pass the largest label the registry keeps ({max}.{max}); \
                 choose a label yourself (labels only grow, so a {kind} change cannot follow {self})",
                max = Self::MAX_PART
            ))),
        }
    }

    /// Reads a label from its stored numbers (`label_major`, `label_minor`); `None` for a draft
    /// or numbers that are not a label.
    pub fn from_stored(major: Option<i32>, minor: Option<i32>) -> Option<VersionLabel> {
        Some(VersionLabel {
            major: u32::try_from(major?).ok()?,
            minor: u32::try_from(minor?).ok()?,
        })
    }

    /// The numbers a label is stored as, or a refusal when a part does not fit.
    pub fn to_stored(self) -> Result<(i32, i32), RuleError> {
        match (i32::try_from(self.major), i32::try_from(self.minor)) {
            (Ok(major), Ok(minor)) => Ok((major, minor)),
            _ => Err(RuleError::Invalid("label too large".into())),
        }
    }

    /// Whether both parts are at most [`VersionLabel::MAX_PART`].
    pub fn is_within_bounds(self) -> bool {
        self.major <= Self::MAX_PART && self.minor <= Self::MAX_PART
    }
}

impl FromStr for VersionLabel {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, RuleError> {
        let bad = || RuleError::Invalid(format!("version label {s:?} is not of the form MAJOR.MINOR, e.g. 1.0"));
        let (major, minor) = s.split_once('.').ok_or_else(bad)?;
        // Six digits hold MAX_PART, so whatever the writer stores the reader reads.
        let digits = |p: &str| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || !digits(minor) {
            return Err(bad());
        }
        Ok(VersionLabel {
            major: major.parse().map_err(|_| bad())?,
            minor: minor.parse().map_err(|_| bad())?,
        })
    }
}

impl fmt::Display for VersionLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// A steering-group case reference such as "23/25" (case 23 of 2025).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNumber(String);

impl CaseNumber {
    /// Returns the case number as written, e.g. "23/25".
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case's number within its year: 23 of "23/25".
    pub fn number(&self) -> u32 {
        let (n, _) = self.0.split_once('/').unwrap_or_default();
        n.parse().unwrap_or_default()
    }

    /// The case's year in full: 2025 of "23/25" (two digits are this century's).
    pub fn year(&self) -> i32 {
        let (_, y) = self.0.split_once('/').unwrap_or_default();
        let y: i32 = y.parse().unwrap_or_default();
        if y < 100 { 2000 + y } else { y }
    }

    /// The case of `number` in `year`, written as the papers write it ("24/25").
    pub fn of(number: u32, year: i32) -> CaseNumber {
        CaseNumber(format!("{number}/{:02}", year.rem_euclid(100)))
    }

    /// The form used in addresses: "23-25" for "23/25".
    pub fn slug(&self) -> String {
        self.0.replace('/', "-")
    }

    /// Reads the address form "23-25".
    pub fn from_slug(slug: &str) -> Result<CaseNumber, RuleError> {
        slug.replacen('-', "/", 1).parse()
    }
}

impl FromStr for CaseNumber {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, RuleError> {
        let s = s.trim();
        let ok = s.split_once('/').is_some_and(|(n, y)| {
            (1..=4).contains(&n.len())
                && n.bytes().all(|b| b.is_ascii_digit())
                && (y.len() == 2 || y.len() == 4)
                && y.bytes().all(|b| b.is_ascii_digit())
        });
        if ok {
            Ok(CaseNumber(s.to_string()))
        } else {
            Err(RuleError::Invalid(format!(
                "case number {s:?} is not of the form NUMBER/YEAR, e.g. 23/25"
            )))
        }
    }
}

/// A period of the action plan: a half-year such as "2026-H1" (the plan is prioritised
/// half-yearly from case 28/25 on) or a whole year such as "2024" (as the older plans were).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPeriod(String);

impl PlanPeriod {
    /// Returns the period as written, e.g. "2026-H1" or "2024".
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the period is a whole year ("2024") rather than a half-year.
    pub fn is_whole_year(&self) -> bool {
        self.0.len() == 4
    }
}

impl FromStr for PlanPeriod {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, RuleError> {
        let year = |y: &str| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && ("2000"..="2100").contains(&y);
        let ok = match s.len() {
            4 => year(s),
            7 => s.is_char_boundary(4) && year(&s[..4]) && (&s[4..] == "-H1" || &s[4..] == "-H2"),
            _ => false,
        };
        if ok {
            Ok(PlanPeriod(s.to_string()))
        } else {
            Err(RuleError::field(
                "period",
                super::Fault::Malformed,
                format!(
                    "action-plan period {s:?} is not a half-year (YEAR-H1 or YEAR-H2, e.g. 2026-H1) or a whole year (e.g. 2024), years 2000 to 2100"
                ),
            ))
        }
    }
}

impl fmt::Display for PlanPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_enum!(
    /// What an action-plan item is about.
    PlanItemKind, "plan item kind" {
        Revision => "revision",
        NewDocument => "new_document",
        Translation => "translation",
        Withdrawal => "withdrawal",
        Project => "project",
    }
);

string_enum!(
    /// Where an action-plan item is.
    PlanItemState, "plan item state" {
        Proposed => "proposed",
        Planned => "planned",
        InProgress => "in_progress",
        Done => "done",
        Dropped => "dropped",
    }
);

impl PlanItemState {
    /// Whether the item is finished with: done or dropped.
    pub fn is_closed(self) -> bool {
        match self {
            PlanItemState::Done | PlanItemState::Dropped => true,
            PlanItemState::Proposed | PlanItemState::Planned | PlanItemState::InProgress => false,
        }
    }
}

string_enum!(
    /// Where a plan period is: drafted by the secretariat, discussed by the steering group,
    /// adopted by a decision.
    PlanPeriodState, "plan period state" {
        Drafted => "drafted",
        Discussed => "discussed",
        Adopted => "adopted",
    }
);

/// Checks a document number: digits with an optional letter ("0", "01", "20a", "37"), kept as text.
pub fn parse_document_number(s: &str) -> Result<String, RuleError> {
    let s = s.trim().to_lowercase().replace(' ', "");
    let digits = s.trim_end_matches(|c: char| c.is_ascii_lowercase());
    let letters = s.len() - digits.len();
    if (1..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && letters <= 1 {
        Ok(s)
    } else {
        Err(RuleError::Invalid(format!(
            "document number {s:?} must be digits with an optional letter, e.g. 37 or 20a"
        )))
    }
}

/// Returns the normal form a document number is unique by: its digits without leading zeros
/// (one zero stays for "0") and the letter in lower case. "037", "0037" and "37" are one
/// number; "1" and "01" too; "20A" is "20a"; "0" and "01" differ.
pub fn number_key(s: &str) -> Result<String, RuleError> {
    let n = parse_document_number(s)?;
    let digits = n.trim_end_matches(|c: char| c.is_ascii_lowercase());
    let letter = &n[digits.len()..];
    let stripped = digits.trim_start_matches('0');
    let stripped = if stripped.is_empty() { "0" } else { stripped };
    Ok(format!("{stripped}{letter}"))
}

/// Makes a URL slug from a title or path: lowercase ASCII letters, digits and dashes.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let mapped = match c {
            'æ' => "ae".to_string(),
            'ø' => "o".to_string(),
            'å' => "a".to_string(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_string(),
        };
        out.push_str(&mapped);
    }
    let parts: Vec<&str> = out.split('-').filter(|p| !p.is_empty()).collect();
    let slug = parts.join("-");
    let slug: String = slug.chars().take(80).collect();
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "dokument".to_string() } else { slug }
}

/// Returns the public page path of a document: fact sheets by number ("/faktaark/37"), the rest
/// by kind and slug ("/veileder/veileder-for-tilgangsstyring").
pub fn public_path(kind: DocumentKind, number: Option<&str>, slug: &str) -> String {
    match (kind, number) {
        (DocumentKind::FactSheet, Some(n)) => format!("/faktaark/{n}"),
        (DocumentKind::FactSheet, None) => format!("/faktaark/{slug}"),
        (DocumentKind::Guide, _) => format!("/veileder/{slug}"),
        (DocumentKind::Norm, _) => format!("/normen/{slug}"),
        (DocumentKind::Template, _) => format!("/mal/{slug}"),
        (DocumentKind::Other, _) => format!("/dokument/{slug}"),
    }
}

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 300;

/// Checks and normalises a title: present, one line, clean text (see [`super::text`]), at most
/// 300 characters. Returns it trimmed and in NFC.
pub fn clean_title(title: &str) -> Result<String, RuleError> {
    let t = super::text::clean_text("title", title.trim(), super::text::Lines::One, MAX_TITLE_CHARS)?;
    if t.is_empty() {
        return Err(RuleError::field(
            "title",
            super::Fault::Required,
            "title must not be empty",
        ));
    }
    Ok(t)
}

/// Checks a title (see [`clean_title`]).
pub fn check_title(title: &str) -> Result<(), RuleError> {
    clean_title(title).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_and_order() {
        let a: VersionLabel = "1.9".parse().unwrap();
        let b: VersionLabel = "1.10".parse().unwrap();
        assert!(a < b);
        assert_eq!(b.to_string(), "1.10");
        for bad in ["", "1", "1.", ".1", "a.b", "1.0.0", "-1.0", "1.0 "] {
            assert!(bad.parse::<VersionLabel>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn next_label_follows_change_kind() {
        let l: VersionLabel = "1.2".parse().unwrap();
        assert_eq!(l.next(ChangeKind::Editorial).unwrap().to_string(), "1.3");
        assert_eq!(l.next(ChangeKind::Substantive).unwrap().to_string(), "2.0");
    }

    #[test]
    fn the_writer_refuses_labels_the_reader_cannot_read() {
        let top: VersionLabel = "999999.999999".parse().unwrap();
        assert!(top.is_within_bounds());
        assert!(matches!(top.next(ChangeKind::Editorial), Err(RuleError::Invalid(_))));
        assert!(matches!(top.next(ChangeKind::Substantive), Err(RuleError::Invalid(_))));
        let l: VersionLabel = "999998.999999".parse().unwrap();
        assert_eq!(l.next(ChangeKind::Substantive).unwrap().to_string(), "999999.0");
        // Everything next() hands out parses back.
        for (major, minor) in [(1, 999_998), (999_998, 0), (0, 0)] {
            for kind in [ChangeKind::Editorial, ChangeKind::Substantive] {
                let n = VersionLabel { major, minor }.next(kind).unwrap();
                assert_eq!(n.to_string().parse::<VersionLabel>().unwrap(), n);
            }
        }
        assert!("1000000.0".parse::<VersionLabel>().is_err());
        let huge = VersionLabel {
            major: u32::MAX,
            minor: 0,
        };
        assert!(huge.next(ChangeKind::Substantive).is_err());
    }

    #[test]
    fn enums_round_trip_and_reject_unknown() {
        for k in DocumentKind::ALL {
            assert_eq!(k.as_str().parse::<DocumentKind>().unwrap(), *k);
        }
        let err = "factsheet".parse::<DocumentKind>().unwrap_err();
        assert!(err.to_string().contains("fact_sheet"));
        assert_eq!("nn".parse::<Language>().unwrap(), Language::Nn);
    }

    #[test]
    fn case_numbers_read_their_number_year_and_address_form() {
        let c: CaseNumber = "23/25".parse().unwrap();
        assert_eq!((c.number(), c.year(), c.slug()), (23, 2025, "23-25".to_string()));
        assert_eq!(CaseNumber::from_slug("23-25").unwrap(), c);
        assert_eq!(CaseNumber::of(24, 2025).as_str(), "24/25");
        assert_eq!(CaseNumber::of(1, 2030).as_str(), "1/30");
        let long: CaseNumber = "7/2024".parse().unwrap();
        assert_eq!((long.number(), long.year()), (7, 2024));
        assert!(CaseNumber::from_slug("23").is_err());
        assert!(CaseNumber::from_slug("a-25").is_err());
    }

    #[test]
    fn case_numbers_and_periods() {
        assert_eq!("23/25".parse::<CaseNumber>().unwrap().as_str(), "23/25");
        assert!("23-25".parse::<CaseNumber>().is_err());
        assert!("2026-H1".parse::<PlanPeriod>().is_ok());
        assert!("2026-H3".parse::<PlanPeriod>().is_err());
    }

    #[test]
    fn periods_are_half_years_or_whole_years() {
        for ok in ["2026-H1", "2026-H2", "2024", "2000", "2100-H2"] {
            assert_eq!(ok.parse::<PlanPeriod>().unwrap().as_str(), ok);
        }
        assert!("2024".parse::<PlanPeriod>().unwrap().is_whole_year());
        assert!(!"2024-H1".parse::<PlanPeriod>().unwrap().is_whole_year());
        for bad in [
            "",
            "24",
            "2026-H3",
            "2026-h1",
            "2026H1",
            " 2026-H1",
            "2026-H1 ",
            "20261",
            "1999",
            "2101",
            "2026-Q1",
            "abcd",
            "2026-\u{e5}\u{e5}",
        ] {
            let err = bad.parse::<PlanPeriod>().unwrap_err();
            assert!(
                matches!(&err, RuleError::Field(f) if f.field == "period"),
                "{bad:?}: {err:?}"
            );
        }
    }

    #[test]
    fn plan_enums_round_trip() {
        for k in PlanItemKind::ALL {
            assert_eq!(k.as_str().parse::<PlanItemKind>().unwrap(), *k);
        }
        for s in PlanItemState::ALL {
            assert_eq!(s.as_str().parse::<PlanItemState>().unwrap(), *s);
        }
        for s in PlanPeriodState::ALL {
            assert_eq!(s.as_str().parse::<PlanPeriodState>().unwrap(), *s);
        }
        assert!("new-document".parse::<PlanItemKind>().is_err());
        assert!(PlanItemState::Done.is_closed() && !PlanItemState::InProgress.is_closed());
    }

    #[test]
    fn numbers_keep_leading_zero_and_letter() {
        assert_eq!(parse_document_number("01").unwrap(), "01");
        assert_eq!(parse_document_number("20 A").unwrap(), "20a");
        assert!(parse_document_number("abc").is_err());
        assert!(parse_document_number("12345").is_err());
    }

    #[test]
    fn number_keys_drop_leading_zeros_and_case() {
        for (a, b) in [
            ("037", "37"),
            ("0037", "37"),
            ("1", "01"),
            ("20A", "20a"),
            ("007b", "7B"),
            ("00", "0"),
        ] {
            assert_eq!(number_key(a).unwrap(), number_key(b).unwrap(), "{a} vs {b}");
        }
        assert_ne!(number_key("0").unwrap(), number_key("01").unwrap());
        assert_eq!(number_key("037").unwrap(), "37");
        assert_eq!(number_key("0").unwrap(), "0");
        assert_eq!(number_key("20A").unwrap(), "20a");
        assert!(number_key("abc").is_err());
    }

    #[test]
    fn titles_are_clean_one_line_text() {
        assert_eq!(clean_title("  Tilgangsstyring ").unwrap(), "Tilgangsstyring");
        assert_eq!(clean_title("Ha\u{030A}ndtering").unwrap(), "Håndtering");
        for bad in ["", "  ", "a\nb", "a\u{1b}b", "a\u{FFFE}b", "a\u{0}b"] {
            assert!(clean_title(bad).is_err(), "{bad:?}");
        }
        assert!(clean_title(&"x".repeat(301)).unwrap_err().to_string().contains("300"));
    }

    #[test]
    fn public_paths_by_kind() {
        assert_eq!(public_path(DocumentKind::FactSheet, Some("37"), "x"), "/faktaark/37");
        assert_eq!(
            public_path(DocumentKind::Guide, None, "internkontroll"),
            "/veileder/internkontroll"
        );
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slugify("Håndtering av lagringsmedia"), "handtering-av-lagringsmedia");
        assert_eq!(slugify("_docs/ELMA/elma_0192.md"), "docs-elma-elma-0192-md");
        assert_eq!(slugify("!!!"), "dokument");
    }
}
