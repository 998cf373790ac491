//! Delivers queued mail. Several workers (threads or instances) may run at once: each job is
//! claimed with a lease first, so it is sent by one of them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::Mailer;
use crate::db::{self, DbPool, outbox};

pub const MAX_ATTEMPTS: i32 = 8;
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
    pub lease_seconds: u32,
    pub id: String,
}

/// What a batch's heartbeat knows: the jobs still held and until when (by this process's clock).
struct Held {
    ids: Vec<i64>,
    until: Instant,
}

impl Worker {
    fn lease(&self) -> Duration {
        Duration::from_secs(u64::from(self.lease_seconds.max(1)))
    }

    /// Claims and sends one batch; returns how many jobs were handled.
    ///
    /// While the batch is sent, a heartbeat renews the lease of the jobs not yet done every
    /// quarter lease, so a slow SMTP server (a send may take several 30-second timeouts) never
    /// lets the lease run out under a live worker and another worker send the mail again. Only a
    /// worker that dies stops renewing; its jobs are then retried (at least once, same
    /// Message-ID). Should the heartbeat fail to renew (no database), the batch stops before a
    /// job whose lease has less than half its time left, and that job waits for its lease to end.
    pub fn run_once(&self) -> Result<usize, db::StoreError> {
        let mut conn = self.pool.get()?;
        let lease = self.lease();
        let claimed_at = Instant::now();
        let jobs = outbox::claim(
            &mut conn,
            &self.id,
            BATCH,
            chrono::Duration::seconds(i64::from(self.lease_seconds.max(1))),
        )?;
        if jobs.is_empty() {
            return Ok(0);
        }
        let held = Mutex::new(Held {
            ids: jobs.iter().map(|j| j.id).collect(),
            until: claimed_at + lease,
        });
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let pause = Duration::from_secs_f64(1.0 / f64::from(self.rate_per_second.max(1)));
        let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
        std::thread::scope(|scope| {
            let (ids, held) = (&ids, &held);
            scope.spawn(move || self.heartbeat(ids, held, &done_rx));
            let result = self.send_batch(&mut conn, &jobs, held, pause, lease);
            // The heartbeat ends when the sender is gone.
            drop(done_tx);
            result
        })?;
        Ok(jobs.len())
    }

    fn heartbeat(&self, ids: &[i64], held: &Mutex<Held>, done: &mpsc::Receiver<()>) {
        let lease = self.lease();
        let chrono_lease = chrono::Duration::seconds(i64::from(self.lease_seconds.max(1)));
        while let Err(mpsc::RecvTimeoutError::Timeout) = done.recv_timeout(lease / 4) {
            let started = Instant::now();
            let renewed = self
                .pool
                .get()
                .map_err(db::StoreError::from)
                .and_then(|mut c| outbox::renew(&mut c, &self.id, ids, chrono_lease));
            match (renewed, held.lock()) {
                (Ok(ids), Ok(mut h)) => {
                    h.ids = ids;
                    h.until = started + lease;
                }
                (Err(e), _) => tracing::warn!(error = %e, "outbox lease not renewed"),
                (_, Err(_)) => return,
            }
        }
    }

    fn send_batch(
        &self,
        conn: &mut db::DbConn,
        jobs: &[outbox::OutboxJob],
        held: &Mutex<Held>,
        pause: Duration,
        lease: Duration,
    ) -> Result<(), db::StoreError> {
        for job in jobs {
            let started = Instant::now();
            let still_ours = held
                .lock()
                .map(|h| h.ids.contains(&job.id) && h.until > started + lease / 2)
                .unwrap_or(false);
            if !still_ours {
                tracing::warn!(
                    job = job.id,
                    "outbox lease not renewed in time; leaving the rest of the batch"
                );
                break;
            }
            match self.mailer.send(&self.from, job) {
                Ok(()) => outbox::mark_sent(conn, job, &self.id)?,
                Err(e) => {
                    let retry = if e.permanent {
                        None
                    } else {
                        retry_at(db::now(), job.attempts)
                    };
                    tracing::warn!(job = job.id, attempts = job.attempts, permanent = e.permanent,
                        error = %e.message, "mail delivery failed");
                    outbox::mark_failed(conn, job, &self.id, &e.message, retry)?;
                }
            }
            if let Some(rest) = pause.checked_sub(started.elapsed()) {
                std::thread::sleep(rest);
            }
        }
        Ok(())
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
