//! The input checks of the use cases, in one shape: a `check_x` function returns every field
//! error of an input (the forms show them all, each by its field), and the use case refuses the
//! first (the API reports one at a time).

use crate::domain::{FieldError, RuleError};
use crate::error::{AppError, AppResult};

/// The field errors of an input, in the order the fields are checked; empty when it is valid.
pub type FieldErrors = Vec<FieldError>;

/// Keeps a field error for the form; an error about anything else than the input passes.
pub(crate) fn collect<T>(errors: &mut FieldErrors, r: Result<T, impl Into<AppError>>) -> AppResult<Option<T>> {
    match r.map_err(Into::into) {
        Ok(v) => Ok(Some(v)),
        Err(AppError::Field(e)) => {
            errors.push(e);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Stops a use case at the first field error: the API reports one at a time.
pub(crate) fn refuse_first(errors: FieldErrors) -> AppResult<()> {
    match errors.into_iter().next() {
        Some(e) => Err(AppError::Field(e)),
        None => Ok(()),
    }
}

/// Parses a value, naming the field a refusal is about.
pub(crate) fn parse_field<T: std::str::FromStr<Err = RuleError>>(
    field: &'static str,
    value: &str,
) -> Result<T, RuleError> {
    value.parse().map_err(|e: RuleError| e.in_field(field))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Fault, Language};

    #[test]
    fn a_parse_error_names_its_field_and_the_first_error_refuses() {
        let mut errors = FieldErrors::new();
        assert_eq!(
            collect(&mut errors, parse_field::<Language>("language", "sv")).unwrap(),
            None
        );
        assert_eq!(
            collect(&mut errors, parse_field::<Language>("language", "nn")).unwrap(),
            Some(Language::Nn)
        );
        errors.push(FieldError::new("title", Fault::Required, "title must not be empty"));
        assert_eq!(errors.len(), 2);
        match refuse_first(errors) {
            Err(AppError::Field(e)) => assert_eq!((e.field, e.fault), ("language", Fault::Malformed)),
            other => panic!("expected the language error, got {other:?}"),
        }
        // An error about something else than the input is not a field error: it passes.
        assert!(collect(&mut FieldErrors::new(), Err::<(), _>(RuleError::Conflict("x".into()))).is_err());
    }
}
