//! Login throttling: after a few failed sign-ins each further attempt must wait longer, and
//! after many the account is locked for a while.

use std::time::Duration;

/// Failures allowed before attempts slow down.
pub const FREE_FAILURES: u32 = 3;
/// Failures after which the account is locked.
pub const LOCK_AFTER: u32 = 10;
/// How long a lock lasts, and how long failures are remembered.
pub const LOCK_FOR: Duration = Duration::from_secs(15 * 60);
/// Longest wait between attempts before the lock.
pub const MAX_WAIT: Duration = Duration::from_secs(30);

/// Whether a sign-in attempt may be checked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginGate {
    /// Check the password.
    Open,
    /// Too soon after the last failure: try again after this long.
    Wait(Duration),
    /// Too many failures: locked for this much longer.
    Locked(Duration),
}

/// Decides from the failures so far and the time since the last one.
pub fn login_gate(failures: u32, since_last_failure: Duration) -> LoginGate {
    if failures == 0 || since_last_failure >= LOCK_FOR {
        return LoginGate::Open;
    }
    if failures >= LOCK_AFTER {
        return LoginGate::Locked(LOCK_FOR - since_last_failure);
    }
    if failures < FREE_FAILURES {
        return LoginGate::Open;
    }
    let wait = Duration::from_secs(1 << (failures - FREE_FAILURES).min(5)).min(MAX_WAIT);
    if since_last_failure >= wait {
        LoginGate::Open
    } else {
        LoginGate::Wait(wait - since_last_failure)
    }
}

/// Whether remembered failures have expired and should be forgotten.
pub fn failures_expired(since_last_failure: Duration) -> bool {
    since_last_failure >= LOCK_FOR
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn the_first_failures_are_free() {
        assert_eq!(login_gate(0, S(0)), LoginGate::Open);
        assert_eq!(login_gate(2, S(0)), LoginGate::Open);
    }

    #[test]
    fn then_attempts_slow_down() {
        assert_eq!(login_gate(3, S(0)), LoginGate::Wait(S(1)));
        assert_eq!(login_gate(3, S(1)), LoginGate::Open);
        assert_eq!(login_gate(5, S(1)), LoginGate::Wait(S(3)));
        assert_eq!(login_gate(9, S(0)), LoginGate::Wait(S(30)));
    }

    #[test]
    fn then_the_account_locks_for_a_while() {
        assert_eq!(login_gate(10, S(60)), LoginGate::Locked(S(14 * 60)));
        assert_eq!(login_gate(25, S(0)), LoginGate::Locked(S(15 * 60)));
        assert_eq!(login_gate(10, S(15 * 60)), LoginGate::Open);
        assert!(failures_expired(S(15 * 60)));
        assert!(!failures_expired(S(60)));
    }
}
