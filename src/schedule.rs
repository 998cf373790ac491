//! Work that runs on a clock rather than on a request: closing surveys at their closing time,
//! reminding non-responders, and the daily digest of overdue and soon-due improvement actions.
//! Each job is safe to run on several instances at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::app::AppState;

/// How often the jobs look for work; reminders are due in hours, so a minute is precise enough.
const PERIOD: Duration = Duration::from_secs(60);

/// One pass of every job.
pub fn run_once(state: &AppState) {
    let mut conn = match state.pool.get() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "scheduled jobs: no database connection");
            return;
        }
    };
    match crate::surveys::manage::sweep(&mut conn, &state.mail_context(), crate::db::now()) {
        Ok(s) if s.closed + s.reminders > 0 => {
            tracing::info!(closed = s.closed, reminders = s.reminders, "survey sweep")
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "survey sweep"),
    }
    match crate::actions::digest::run(&mut conn, &state.mail_context(), crate::db::now()) {
        Ok(0) => {}
        Ok(n) => tracing::info!(digests = n, "action digests queued"),
        Err(e) => tracing::error!(error = %e, "action digest"),
    }
}

pub fn spawn(state: AppState, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("scheduler".into())
        .spawn(move || {
            let mut last: Option<Instant> = None;
            while !stop.load(Ordering::SeqCst) {
                if last.is_none_or(|t| t.elapsed() >= PERIOD) {
                    run_once(&state);
                    last = Some(Instant::now());
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        })
        .unwrap_or_else(|e| panic!("cannot start the scheduler thread: {e}"))
}
