//! Mail: rendering from `templates/email/<name>/`, the transports (SMTP, file, log, memory) and
//! the outbox worker that delivers queued mail.

pub mod compose;
pub mod transport;
pub mod worker;

pub use compose::{ComposedMail, compose};
pub use transport::{Mailer, SendError, SentMail};
