//! Login throttling. Failures are counted per source address and user name, and per source
//! address alone (a budget across names). After a few failures each further attempt from
//! there must wait longer, up to `MAX_WAIT`. Nothing locks an account: an attacker slows only
//! the address they try from, and the owner signing in from elsewhere is never held up.

use std::net::IpAddr;
use std::time::Duration;

/// Failures for one name from one address before attempts slow down.
pub const PAIR_FREE_FAILURES: u32 = 3;
/// Failures from one address, across all names, before its attempts slow down.
pub const ADDRESS_FREE_FAILURES: u32 = 20;
/// Longest wait between attempts.
pub const MAX_WAIT: Duration = Duration::from_mins(5);
/// Failures are forgotten this long after the last one.
pub const FORGET_AFTER: Duration = Duration::from_mins(15);
/// Most rows the throttle keeps; beyond it the oldest are dropped, so a flood from many
/// addresses costs bounded space.
pub const MAX_ROWS: u64 = 50_000;

/// Whether a sign-in attempt may be checked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginGate {
    /// Check the password.
    Open,
    /// Too soon after the last failure from here: try again after this long.
    Wait(Duration),
}

/// What is remembered of one counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub since_last: Duration,
}

/// How long to wait after `failures` when `free` are allowed: 0, then 1 s, 2 s, 4 s … up to
/// `MAX_WAIT`.
pub fn wait_after(failures: u32, free: u32) -> Duration {
    if failures < free {
        return Duration::ZERO;
    }
    Duration::from_secs(1u64 << (failures - free).min(20)).min(MAX_WAIT)
}

fn remaining(f: Option<Failures>, free: u32) -> Duration {
    match f {
        Some(f) if f.since_last < FORGET_AFTER => wait_after(f.count, free).saturating_sub(f.since_last),
        _ => Duration::ZERO,
    }
}

/// Decides from the failures of this (address, name) pair and of this address.
pub fn login_gate(pair: Option<Failures>, address: Option<Failures>) -> LoginGate {
    let wait = remaining(pair, PAIR_FREE_FAILURES).max(remaining(address, ADDRESS_FREE_FAILURES));
    if wait.is_zero() {
        LoginGate::Open
    } else {
        LoginGate::Wait(wait)
    }
}

/// Whether remembered failures have expired and should be forgotten.
pub fn failures_expired(since_last_failure: Duration) -> bool {
    since_last_failure >= FORGET_AFTER
}

/// The part of a source address that is counted: an IPv4 address, or the /64 prefix of an
/// IPv6 address (one host usually holds a whole /64). No address gives one shared key.
pub fn address_key(ip: Option<IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
        Some(IpAddr::V4(v4)) => format!("v4:{v4}"),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("v6:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".into(),
    }
}

/// The form of a user name that is counted: trimmed and lower-cased, as sign-in matches it.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[expect(clippy::unnecessary_wraps, reason = "the function under test takes an Option")]
    fn f(count: u32, since: u64) -> Option<Failures> {
        Some(Failures {
            count,
            since_last: S(since),
        })
    }

    #[test]
    fn the_first_failures_are_free() {
        assert_eq!(login_gate(None, None), LoginGate::Open);
        assert_eq!(login_gate(f(2, 0), f(2, 0)), LoginGate::Open);
        assert_eq!(login_gate(f(1, 0), f(19, 0)), LoginGate::Open);
    }

    #[test]
    fn then_attempts_slow_down_progressively() {
        assert_eq!(login_gate(f(3, 0), None), LoginGate::Wait(S(1)));
        assert_eq!(login_gate(f(3, 1), None), LoginGate::Open);
        assert_eq!(login_gate(f(5, 1), None), LoginGate::Wait(S(3)));
        assert_eq!(login_gate(f(8, 0), None), LoginGate::Wait(S(32)));
        // Capped, never a lock.
        assert_eq!(login_gate(f(50, 0), None), LoginGate::Wait(MAX_WAIT));
        assert_eq!(login_gate(f(10_000, 0), None), LoginGate::Wait(MAX_WAIT));
        assert_eq!(login_gate(f(50, MAX_WAIT.as_secs()), None), LoginGate::Open);
    }

    #[test]
    fn an_address_has_a_budget_across_names() {
        assert_eq!(login_gate(None, f(20, 0)), LoginGate::Wait(S(1)));
        assert_eq!(login_gate(f(1, 0), f(25, 10)), LoginGate::Wait(S(22)));
        // The longer of the two waits applies.
        assert_eq!(login_gate(f(6, 0), f(21, 0)), LoginGate::Wait(S(8)));
    }

    #[test]
    fn failures_are_forgotten() {
        assert!(failures_expired(FORGET_AFTER));
        assert!(!failures_expired(S(60)));
        assert_eq!(login_gate(f(50, FORGET_AFTER.as_secs()), None), LoginGate::Open);
    }

    #[test]
    fn addresses_are_counted_by_host_or_prefix() {
        let a = |s: &str| address_key(Some(s.parse().unwrap()));
        assert_eq!(a("192.0.2.7"), "v4:192.0.2.7");
        assert_eq!(a("::ffff:192.0.2.7"), "v4:192.0.2.7");
        assert_eq!(a("2001:db8:1:2:aaaa::1"), a("2001:db8:1:2:bbbb::2"));
        assert_ne!(a("2001:db8:1:2::1"), a("2001:db8:1:3::1"));
        assert_eq!(address_key(None), "unknown");
        assert_eq!(name_key("  Siri "), "siri");
    }
}
