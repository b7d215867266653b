//! Rules about accounts: a user's status, the bounds of names and passwords, and who may
//! disable whom.

use std::fmt;
use std::str::FromStr;

use super::{Role, RuleError};

/// Who is calling: an authenticated user, however they signed in (API token or session).
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i32,
    pub name: String,
    pub role: Role,
}

impl Caller {
    /// Returns whether this caller may see drafts (reviewers, editors, admins).
    pub fn sees_drafts(caller: Option<&Caller>) -> bool {
        caller.is_some_and(|c| c.role.can_read_drafts())
    }
}

/// Longest user name, in characters.
pub const USER_NAME_MAX_CHARS: usize = 100;
/// Shortest password, in characters.
pub const PASSWORD_MIN_CHARS: usize = 10;
/// Longest password, in characters: enough for any passphrase, and it bounds what is hashed.
pub const PASSWORD_MAX_CHARS: usize = 1024;

/// Whether a user may sign in and use API tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserStatus {
    Active,
    /// Cannot sign in; sessions are ended and tokens refused.
    Disabled,
}

impl UserStatus {
    /// Returns the stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }
}

impl FromStr for UserStatus {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, RuleError> {
        match s {
            "active" => Ok(UserStatus::Active),
            "disabled" => Ok(UserStatus::Disabled),
            _ => Err(RuleError::Invalid(format!(
                "unknown user status {s:?}; expected active or disabled"
            ))),
        }
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Checks a user name (already trimmed): 1 to `USER_NAME_MAX_CHARS` printable characters.
pub fn check_user_name(name: &str) -> Result<(), RuleError> {
    if name.is_empty() || name.chars().count() > USER_NAME_MAX_CHARS || name.chars().any(char::is_control) {
        return Err(RuleError::Invalid(format!(
            "a user name must be 1 to {USER_NAME_MAX_CHARS} printable characters"
        )));
    }
    Ok(())
}

/// Checks a new password's length.
pub fn check_new_password(password: &str) -> Result<(), RuleError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(RuleError::Invalid(format!(
            "a password must be at least {PASSWORD_MIN_CHARS} characters"
        )));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(RuleError::Invalid(format!(
            "a password must be at most {PASSWORD_MAX_CHARS} characters"
        )));
    }
    Ok(())
}

/// An admin may disable anyone but themselves (so the last admin cannot lock everyone out
/// by a slip of the hand).
pub fn check_may_disable(actor_id: i32, target_id: i32) -> Result<(), RuleError> {
    if actor_id == target_id {
        return Err(RuleError::Conflict("you cannot disable your own account".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in [UserStatus::Active, UserStatus::Disabled] {
            assert_eq!(s.as_str().parse::<UserStatus>(), Ok(s));
        }
        assert!("locked".parse::<UserStatus>().is_err());
    }

    #[test]
    fn names_are_bounded_and_printable() {
        assert!(check_user_name("Eva Editor").is_ok());
        assert!(check_user_name(&"ø".repeat(USER_NAME_MAX_CHARS)).is_ok());
        assert!(check_user_name(&"ø".repeat(USER_NAME_MAX_CHARS + 1)).is_err());
        assert!(check_user_name("").is_err());
        assert!(check_user_name("adm\nsigned in").is_err());
        assert!(check_user_name("a\u{1b}[31m").is_err());
    }

    #[test]
    fn passwords_are_bounded() {
        assert!(check_new_password("kort").is_err());
        assert!(check_new_password("akkurat ti").is_ok());
        assert!(check_new_password(&"x".repeat(PASSWORD_MAX_CHARS)).is_ok());
        assert!(check_new_password(&"x".repeat(PASSWORD_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn nobody_disables_themselves() {
        assert!(check_may_disable(1, 2).is_ok());
        assert!(matches!(check_may_disable(3, 3), Err(RuleError::Conflict(_))));
    }
}
