//! Delivers queued mail. Several workers (threads or instances) may run at once: each job is
//! claimed with a lease first, so it is sent by one of them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::Mailer;
use crate::db::{self, DbPool, outbox};

pub const MAX_ATTEMPTS: i32 = 8;
const LEASE_SECONDS: i64 = 120;
const BATCH: i64 = 50;

/// When to try again after `attempts` failed tries, or None to give up.
pub fn retry_at(now: NaiveDateTime, attempts: i32) -> Option<NaiveDateTime> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let exponent = attempts.clamp(1, 8) as u32 - 1;
    let seconds = (30_i64 << exponent).min(3600);
    Some(now + chrono::Duration::seconds(seconds))
}

pub struct Worker {
    pub pool: DbPool,
    pub mailer: Mailer,
    pub from: String,
    pub rate_per_second: u32,
    pub id: String,
}

impl Worker {
    /// Claims and sends one batch; returns how many jobs were handled.
    pub fn run_once(&self) -> Result<usize, db::StoreError> {
        let mut conn = self.pool.get()?;
        let jobs = outbox::claim(
            &mut conn,
            &self.id,
            BATCH,
            chrono::Duration::seconds(LEASE_SECONDS),
        )?;
        let pause = Duration::from_secs_f64(1.0 / f64::from(self.rate_per_second.max(1)));
        for job in &jobs {
            let started = Instant::now();
            match self.mailer.send(&self.from, job) {
                Ok(()) => outbox::mark_sent(&mut conn, job.id, &self.id)?,
                Err(e) => {
                    let retry = if e.permanent {
                        None
                    } else {
                        retry_at(db::now(), job.attempts)
                    };
                    tracing::warn!(job = job.id, attempts = job.attempts, permanent = e.permanent,
                        error = %e.message, "mail delivery failed");
                    outbox::mark_failed(&mut conn, job.id, &self.id, &e.message, retry)?;
                }
            }
            if let Some(rest) = pause.checked_sub(started.elapsed()) {
                std::thread::sleep(rest);
            }
        }
        Ok(jobs.len())
    }

    /// Polls until `stop` is set; a batch in progress is finished first.
    pub fn spawn(self, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
        std::thread::Builder::new()
            .name("outbox-worker".into())
            .spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match self.run_once() {
                        Ok(n) if n > 0 => continue,
                        Ok(_) => {}
                        Err(e) => tracing::error!(error = %e, "outbox worker"),
                    }
                    for _ in 0..10 {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            })
            .unwrap_or_else(|e| panic!("cannot start the outbox worker thread: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_gives_up() {
        let t0 = db::now();
        let secs = |a| retry_at(t0, a).map(|t| (t - t0).num_seconds());
        assert_eq!(secs(1), Some(30));
        assert_eq!(secs(2), Some(60));
        assert_eq!(secs(3), Some(120));
        assert_eq!(secs(7), Some(1920));
        assert_eq!(secs(MAX_ATTEMPTS), None);
    }
}
