//! How a process keeps its search index in step with the change log, and when it is ready to
//! serve. The index holds every change up to its stamp; the log numbers changes without gaps.

use std::time::Duration;

/// What to do next to bring an index stamped `applied` up to the database's newest change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatchUpStep {
    /// Nothing is missing.
    UpToDate,
    /// Re-project these documents and stamp the index with `upto`.
    Apply { document_ids: Vec<i32>, upto: i64 },
    /// The log cannot bring the index up to date (a fresh index, a trimmed log, a row that
    /// cannot be read, or an index ahead of its database): rebuild it from the database.
    Rebuild,
}

/// Decides from the index's stamp, the newest change number, and the next changes the log
/// holds after the stamp (oldest first; `None` for an unreadable row).
pub fn next_step(applied: Option<i64>, latest: i64, next: &[(i64, Option<&[i32]>)]) -> CatchUpStep {
    let Some(applied) = applied else {
        return CatchUpStep::Rebuild;
    };
    if applied == latest {
        return CatchUpStep::UpToDate;
    }
    if applied > latest {
        return CatchUpStep::Rebuild;
    }
    let mut ids = std::collections::BTreeSet::new();
    let mut upto = applied;
    for &(seq, documents) in next {
        let Some(documents) = documents else {
            return CatchUpStep::Rebuild;
        };
        if seq != upto + 1 {
            break;
        }
        ids.extend(documents.iter().copied());
        upto = seq;
    }
    if upto == applied {
        // The change after the stamp is not in the log: trimmed, or written before the log.
        return CatchUpStep::Rebuild;
    }
    CatchUpStep::Apply {
        document_ids: ids.into_iter().collect(),
        upto,
    }
}

/// Whether a process should take traffic (`/readyz`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// Why not, in words for the operator.
    NotReady(String),
}

/// How the process stands, as `/readyz` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessState {
    /// The start-up catch-up has finished.
    pub started: bool,
    /// Migrations the binary knows that the database has not run.
    pub pending_migrations: usize,
    /// Changes committed that the index does not hold yet.
    pub lag_changes: i64,
    /// How long the oldest of them has waited.
    pub lag: Duration,
}

/// Ready once started, migrated, and the index at most `max_lag` behind the database.
pub fn readiness(state: ProcessState, max_lag: Duration) -> Readiness {
    if !state.started {
        return Readiness::NotReady("catching up with the database at start".into());
    }
    if state.pending_migrations > 0 {
        return Readiness::NotReady(format!(
            "{} migrations have not run on the database",
            state.pending_migrations
        ));
    }
    if state.lag_changes > 0 && state.lag > max_lag {
        return Readiness::NotReady(format!(
            "the search index is {} changes ({:.1} s) behind the database",
            state.lag_changes,
            state.lag.as_secs_f64()
        ));
    }
    Readiness::Ready
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_the_contiguous_run_after_the_stamp() {
        let log: [(i64, Option<&[i32]>); 3] = [(5, Some(&[1, 2])), (6, Some(&[2])), (7, Some(&[9]))];
        assert_eq!(
            next_step(Some(4), 7, &log),
            CatchUpStep::Apply {
                document_ids: vec![1, 2, 9],
                upto: 7
            }
        );
        assert_eq!(next_step(Some(7), 7, &[]), CatchUpStep::UpToDate);
    }

    #[test]
    fn stops_at_a_hole_and_rebuilds_when_the_next_change_is_gone() {
        let log: [(i64, Option<&[i32]>); 2] = [(5, Some(&[1])), (8, Some(&[3]))];
        assert_eq!(
            next_step(Some(4), 8, &log),
            CatchUpStep::Apply {
                document_ids: vec![1],
                upto: 5
            }
        );
        let trimmed: [(i64, Option<&[i32]>); 1] = [(8, Some(&[3]))];
        assert_eq!(next_step(Some(4), 8, &trimmed), CatchUpStep::Rebuild);
        assert_eq!(
            next_step(Some(4), 8, &[]),
            CatchUpStep::Rebuild,
            "a log emptied by an export import"
        );
    }

    #[test]
    fn rebuilds_a_fresh_an_unreadable_or_a_future_index() {
        assert_eq!(next_step(None, 0, &[]), CatchUpStep::Rebuild);
        assert_eq!(next_step(Some(3), 4, &[(4, None)]), CatchUpStep::Rebuild);
        assert_eq!(
            next_step(Some(9), 4, &[]),
            CatchUpStep::Rebuild,
            "the database was restored from an older backup"
        );
    }

    #[test]
    fn ready_only_when_started_migrated_and_caught_up_within_the_bound() {
        let ok = ProcessState {
            started: true,
            pending_migrations: 0,
            lag_changes: 0,
            lag: Duration::ZERO,
        };
        let bound = Duration::from_secs(5);
        assert_eq!(readiness(ok, bound), Readiness::Ready);
        assert!(matches!(
            readiness(ProcessState { started: false, ..ok }, bound),
            Readiness::NotReady(_)
        ));
        assert!(matches!(
            readiness(
                ProcessState {
                    pending_migrations: 1,
                    ..ok
                },
                bound
            ),
            Readiness::NotReady(_)
        ));
        let behind = ProcessState {
            lag_changes: 3,
            lag: Duration::from_secs(1),
            ..ok
        };
        assert_eq!(
            readiness(behind, bound),
            Readiness::Ready,
            "a moment behind is normal under writes"
        );
        let Readiness::NotReady(why) = readiness(
            ProcessState {
                lag: Duration::from_secs(6),
                ..behind
            },
            bound,
        ) else {
            panic!("six seconds behind is not ready");
        };
        assert!(why.contains("3 changes"), "{why}");
    }
}
