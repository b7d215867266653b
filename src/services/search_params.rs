//! The one parser of search parameters: the API (`/api/v1/search`) and the search page (`/sok`)
//! both turn their query strings into [`RawSearchParams`] and get an [`index::SearchRequest`] or a
//! [`SearchParamError`] naming the parameter and what is wrong with it. The API renders the error
//! as problem+json (via `From<SearchParamError> for AppError`); the page maps it to its own texts.

use std::fmt;

use crate::domain::{DocumentKind, DocumentStatus, Language, RuleError};
use crate::error::AppError;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Hits per request when the caller names no limit.
pub const DEFAULT_LIMIT: usize = 20;

/// Search parameters as they came in, not yet checked. Empty strings count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawSearchParams {
    pub q: String,
    pub kind: Option<String>,
    pub language: Option<String>,
    pub status: Option<String>,
    pub normen_version: Option<String>,
    pub include_withdrawn: bool,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub sort: Option<String>,
}

/// The parameter that is wrong. Each surface knows its own name for it (`lang` in the API,
/// `sprak` on the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchParam {
    Query,
    Kind,
    Language,
    Status,
    Limit,
    Offset,
    Sort,
}

/// What is wrong with the parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchParamCode {
    /// The query is over [`MAX_QUERY_CHARS`].
    TooLong,
    /// The query holds U+FFFD, the trace of bytes that were not UTF-8.
    NotUtf8,
    /// The query holds a control character other than tab.
    ControlCharacter,
    /// A limit or offset outside what the index serves.
    OutOfRange,
    /// A value the parameter does not know; `detail` is the domain's explanation.
    Unknown { value: String, detail: String },
    /// `status=draft`: drafts are never in the index.
    DraftNotSearchable,
}

/// A search parameter that cannot be used. `Display` is the English text of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchParamError {
    pub param: SearchParam,
    pub code: SearchParamCode,
}

impl SearchParamError {
    fn new(param: SearchParam, code: SearchParamCode) -> Self {
        SearchParamError { param, code }
    }
}

impl fmt::Display for SearchParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, self.param) {
            (SearchParamCode::TooLong, _) => {
                write!(f, "the query must be at most {MAX_QUERY_CHARS} characters")
            }
            (SearchParamCode::NotUtf8, _) => f.write_str("the query is not valid UTF-8"),
            (SearchParamCode::ControlCharacter, _) => f.write_str("the query must not contain control characters"),
            (SearchParamCode::OutOfRange, SearchParam::Offset) => {
                write!(f, "offset must be at most {}", index::MAX_OFFSET)
            }
            (SearchParamCode::OutOfRange, _) => {
                write!(f, "limit must be between 1 and {}", index::MAX_LIMIT)
            }
            (SearchParamCode::Unknown { value, .. }, SearchParam::Sort) => {
                write!(f, "sort {value:?} must be relevance or date")
            }
            (SearchParamCode::Unknown { detail, .. }, _) => f.write_str(detail),
            (SearchParamCode::DraftNotSearchable, _) => f.write_str("drafts are not searchable"),
        }
    }
}

impl std::error::Error for SearchParamError {}

/// The API's statuses: an unknown kind, language or status breaks a domain rule (422, as every
/// other enum value the API refuses); everything else is a malformed query string (400).
impl From<SearchParamError> for AppError {
    fn from(e: SearchParamError) -> Self {
        let domain_value = matches!(e.param, SearchParam::Kind | SearchParam::Language | SearchParam::Status);
        match e.code {
            SearchParamCode::Unknown { detail, .. } if domain_value => AppError::Invalid(detail),
            _ => AppError::BadRequest(e.to_string()),
        }
    }
}

/// Parses an optional enum value; empty means absent.
fn parse_value<T: std::str::FromStr<Err = RuleError>>(
    param: SearchParam,
    v: Option<&str>,
) -> Result<Option<T>, SearchParamError> {
    match v {
        None | Some("") => Ok(None),
        Some(s) => s.parse::<T>().map(Some).map_err(|e| {
            SearchParamError::new(
                param,
                SearchParamCode::Unknown {
                    value: s.to_string(),
                    detail: e.to_string(),
                },
            )
        }),
    }
}

/// Checks the query text alone.
fn check_query(q: &str) -> Result<(), SearchParamError> {
    let err = |code| Err(SearchParamError::new(SearchParam::Query, code));
    if q.chars().count() > MAX_QUERY_CHARS {
        return err(SearchParamCode::TooLong);
    }
    if q.contains('\u{FFFD}') {
        return err(SearchParamCode::NotUtf8);
    }
    if q.chars().any(|c| c.is_control() && c != '\t') {
        return err(SearchParamCode::ControlCharacter);
    }
    Ok(())
}

/// Checks every parameter and builds the index request. The order of the checks is the API's
/// (query, limit, offset, sort, status, kind, language): the first failure is reported.
pub fn parse(raw: RawSearchParams) -> Result<index::SearchRequest, SearchParamError> {
    check_query(&raw.q)?;
    let limit = raw.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > index::MAX_LIMIT {
        return Err(SearchParamError::new(SearchParam::Limit, SearchParamCode::OutOfRange));
    }
    let offset = raw.offset.unwrap_or(0);
    if offset > index::MAX_OFFSET {
        return Err(SearchParamError::new(SearchParam::Offset, SearchParamCode::OutOfRange));
    }
    let sort = match raw.sort.as_deref() {
        None | Some("" | "relevance") => index::Sort::Relevance,
        Some("date") => index::Sort::Date,
        Some(other) => {
            return Err(SearchParamError::new(
                SearchParam::Sort,
                SearchParamCode::Unknown {
                    value: other.to_string(),
                    detail: String::new(),
                },
            ));
        }
    };
    let status: Option<DocumentStatus> = parse_value(SearchParam::Status, raw.status.as_deref())?;
    if status == Some(DocumentStatus::Draft) {
        return Err(SearchParamError::new(
            SearchParam::Status,
            SearchParamCode::DraftNotSearchable,
        ));
    }
    let kind: Option<DocumentKind> = parse_value(SearchParam::Kind, raw.kind.as_deref())?;
    let language: Option<Language> = parse_value(SearchParam::Language, raw.language.as_deref())?;
    Ok(index::SearchRequest {
        // Typed in NFD (a combining ring after `a`), the query is read, echoed and suggested
        // from in NFC, as every stored text is.
        q: crate::domain::text::nfc(raw.q),
        kind: kind.map(|k| k.as_str().to_string()),
        language: language.map(|l| l.as_str().to_string()),
        status: status.map(|s| s.as_str().to_string()),
        normen_version: raw.normen_version.filter(|v| !v.is_empty()),
        include_withdrawn: raw.include_withdrawn,
        limit,
        offset,
        sort,
        snippets: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> RawSearchParams {
        RawSearchParams {
            q: text.into(),
            ..Default::default()
        }
    }

    fn fails(raw: RawSearchParams) -> SearchParamError {
        parse(raw).expect_err("should be refused")
    }

    #[test]
    fn defaults_give_the_first_page_by_relevance() {
        let req = parse(q("krav")).unwrap();
        assert_eq!(
            req,
            index::SearchRequest {
                q: "krav".into(),
                ..Default::default()
            }
        );
    }

    #[test]
    fn empty_strings_count_as_absent() {
        let raw = RawSearchParams {
            kind: Some(String::new()),
            language: Some(String::new()),
            status: Some(String::new()),
            normen_version: Some(String::new()),
            sort: Some(String::new()),
            ..q("")
        };
        assert_eq!(parse(raw).unwrap(), index::SearchRequest::default());
    }

    #[test]
    fn values_are_parsed_into_their_canonical_text() {
        let raw = RawSearchParams {
            kind: Some("fact_sheet".into()),
            language: Some("nn".into()),
            status: Some("withdrawn".into()),
            normen_version: Some("6.0".into()),
            include_withdrawn: true,
            limit: Some(100),
            offset: Some(10_000),
            sort: Some("date".into()),
            ..q("krav")
        };
        let req = parse(raw).unwrap();
        assert_eq!(req.kind.as_deref(), Some("fact_sheet"));
        assert_eq!(req.language.as_deref(), Some("nn"));
        assert_eq!(req.status.as_deref(), Some("withdrawn"));
        assert_eq!(req.normen_version.as_deref(), Some("6.0"));
        assert!(req.include_withdrawn);
        assert_eq!((req.limit, req.offset, req.sort), (100, 10_000, index::Sort::Date));
    }

    #[test]
    fn the_query_is_bounded_and_clean() {
        assert!(parse(q(&"x".repeat(MAX_QUERY_CHARS))).is_ok());
        assert!(parse(q("a\tb")).is_ok());
        let cases = [
            (
                "x".repeat(MAX_QUERY_CHARS + 1),
                SearchParamCode::TooLong,
                "at most 500 characters",
            ),
            ("a\u{FFFD}b".into(), SearchParamCode::NotUtf8, "not valid UTF-8"),
            ("a\nb".into(), SearchParamCode::ControlCharacter, "control characters"),
        ];
        for (text, code, detail) in cases {
            let e = fails(q(&text));
            assert_eq!((e.param, &e.code), (SearchParam::Query, &code));
            assert!(e.to_string().contains(detail), "{e}");
            assert!(matches!(AppError::from(e), AppError::BadRequest(_)));
        }
    }

    #[test]
    fn the_query_is_read_in_nfc() {
        assert_eq!(parse(q("Ha\u{30a}ndtering")).unwrap().q, "Håndtering");
    }

    #[test]
    fn limit_and_offset_are_bounded() {
        for limit in [0, index::MAX_LIMIT + 1] {
            let e = fails(RawSearchParams {
                limit: Some(limit),
                ..q("")
            });
            assert_eq!((e.param, &e.code), (SearchParam::Limit, &SearchParamCode::OutOfRange));
            assert_eq!(
                e.to_string(),
                format!("limit must be between 1 and {}", index::MAX_LIMIT)
            );
        }
        let e = fails(RawSearchParams {
            offset: Some(index::MAX_OFFSET + 1),
            ..q("")
        });
        assert_eq!(e.param, SearchParam::Offset);
        assert_eq!(e.to_string(), "offset must be at most 10000");
    }

    #[test]
    fn unknown_values_name_their_parameter() {
        let e = fails(RawSearchParams {
            sort: Some("size".into()),
            ..q("")
        });
        assert_eq!(e.param, SearchParam::Sort);
        assert_eq!(e.to_string(), r#"sort "size" must be relevance or date"#);
        assert!(matches!(AppError::from(e), AppError::BadRequest(_)));

        let e = fails(RawSearchParams {
            kind: Some("poster".into()),
            ..q("")
        });
        assert_eq!(e.param, SearchParam::Kind);
        assert!(matches!(&e.code, SearchParamCode::Unknown { value, .. } if value == "poster"));
        assert!(e.to_string().starts_with(r#"unknown kind "poster""#), "{e}");
        assert!(matches!(AppError::from(e), AppError::Invalid(_)));

        let e = fails(RawSearchParams {
            language: Some("de".into()),
            ..q("")
        });
        assert_eq!(e.param, SearchParam::Language);
        assert!(matches!(AppError::from(e), AppError::Invalid(_)));
    }

    #[test]
    fn drafts_are_not_searchable() {
        let e = fails(RawSearchParams {
            status: Some("draft".into()),
            ..q("")
        });
        assert_eq!(
            (e.param, &e.code),
            (SearchParam::Status, &SearchParamCode::DraftNotSearchable)
        );
        assert_eq!(e.to_string(), "drafts are not searchable");
        assert!(matches!(AppError::from(e), AppError::BadRequest(_)));
    }

    #[test]
    fn the_first_failure_in_the_api_order_is_reported() {
        let e = fails(RawSearchParams {
            kind: Some("poster".into()),
            status: Some("archived".into()),
            limit: Some(0),
            ..q("")
        });
        assert_eq!(e.param, SearchParam::Limit);
        let e = fails(RawSearchParams {
            kind: Some("poster".into()),
            status: Some("archived".into()),
            ..q("")
        });
        assert_eq!(e.param, SearchParam::Status);
    }
}
