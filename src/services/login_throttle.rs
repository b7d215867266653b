//! Remembers failed sign-ins per user name (in memory: one server process) and applies the
//! throttling rule of `domain::throttle`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::domain::throttle::{LoginGate, failures_expired, login_gate};

/// Failed sign-ins by lower-cased user name: how many, and when the last one was.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginThrottle {
    fn key(name: &str) -> String {
        name.trim().to_lowercase()
    }

    /// Whether an attempt for `name` may be checked now.
    pub fn gate(&self, name: &str) -> LoginGate {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(&Self::key(name)) {
            Some((n, last)) => login_gate(*n, last.elapsed()),
            None => LoginGate::Open,
        }
    }

    /// Records a failed attempt.
    pub fn failed(&self, name: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(Self::key(name)).or_insert((0, Instant::now()));
        if failures_expired(entry.1.elapsed()) {
            entry.0 = 0;
        }
        entry.0 += 1;
        entry.1 = Instant::now();
        // Forget what has expired, so the map cannot grow without bound.
        map.retain(|_, (_, last)| !failures_expired(last.elapsed()));
    }

    /// Forgets the failures after a successful sign-in.
    pub fn succeeded(&self, name: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&Self::key(name));
    }
}
