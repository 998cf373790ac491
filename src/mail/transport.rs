use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use crate::config::{Config, MailTransport, SmtpSecurity};
use crate::db::outbox::OutboxJob;

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// A permanent failure (bad address, rejected by policy) is not retried.
    pub permanent: bool,
    pub message: String,
}

impl SendError {
    fn permanent(message: impl Into<String>) -> Self {
        Self {
            permanent: true,
            message: message.into(),
        }
    }
}

/// A delivered mail as the memory transport keeps it (tests read these).
#[derive(Debug, Clone)]
pub struct SentMail {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub body_text: String,
    pub raw: String,
}

#[derive(Clone)]
pub enum Mailer {
    Smtp(Box<SmtpTransport>),
    File(PathBuf),
    Log,
    Memory(Arc<Mutex<Vec<SentMail>>>),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mailer::Smtp(_) => "Mailer::Smtp",
            Mailer::File(_) => "Mailer::File",
            Mailer::Log => "Mailer::Log",
            Mailer::Memory(_) => "Mailer::Memory",
        })
    }
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Self, String> {
        Ok(match config.mail_transport {
            MailTransport::Log => Mailer::Log,
            MailTransport::Memory => Mailer::Memory(Arc::default()),
            MailTransport::File => {
                let dir = config.data_dir.join("mail");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Mailer::File(dir)
            }
            MailTransport::Smtp => {
                let s = &config.smtp;
                let tls = || {
                    TlsParameters::new(s.host.clone())
                        .map_err(|e| format!("SMTP TLS for {}: {e}", s.host))
                };
                let tls = match s.security {
                    SmtpSecurity::None => Tls::None,
                    SmtpSecurity::Starttls => Tls::Required(tls()?),
                    SmtpSecurity::Tls => Tls::Wrapper(tls()?),
                };
                let mut builder = SmtpTransport::builder_dangerous(s.host.clone())
                    .port(s.port)
                    .tls(tls)
                    .timeout(Some(Duration::from_secs(30)))
                    // Connections are reused across a batch instead of one per mail.
                    .pool_config(PoolConfig::new().max_size(4));
                if !s.username.is_empty() {
                    builder = builder
                        .credentials(Credentials::new(s.username.clone(), s.password.0.clone()));
                }
                Mailer::Smtp(Box::new(builder.build()))
            }
        })
    }

    /// The mails the memory transport has delivered.
    pub fn sent(&self) -> Vec<SentMail> {
        match self {
            Mailer::Memory(store) => store.lock().map(|v| v.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    pub fn send(&self, from: &str, job: &OutboxJob) -> Result<(), SendError> {
        let message = build_message(from, job)?;
        match self {
            Mailer::Smtp(transport) => {
                transport.send(&message).map(|_| ()).map_err(|e| SendError {
                    permanent: e.is_permanent(),
                    message: e.to_string(),
                })
            }
            Mailer::File(dir) => {
                let name = job
                    .message_id
                    .trim_matches(|c| c == '<' || c == '>')
                    .replace(['/', '\\'], "_");
                std::fs::write(dir.join(format!("{name}.eml")), message.formatted()).map_err(|e| {
                    SendError {
                        permanent: false,
                        message: format!("cannot write mail file: {e}"),
                    }
                })
            }
            Mailer::Log => {
                tracing::info!(to = %job.to_address, subject = %job.subject, kind = %job.kind,
                    "mail (log transport): not delivered");
                Ok(())
            }
            Mailer::Memory(store) => {
                let raw = String::from_utf8_lossy(&message.formatted()).into_owned();
                if let Ok(mut v) = store.lock() {
                    v.push(SentMail {
                        to: job.to_address.clone(),
                        subject: job.subject.clone(),
                        message_id: job.message_id.clone(),
                        body_text: job.body_text.clone(),
                        raw,
                    });
                }
                Ok(())
            }
        }
    }

    /// Sends a short mail straight away (not through the outbox), for the settings' test button:
    /// it goes through the configured transport as every other mail does, so the admin sees
    /// whether mail really arrives, not only whether the server answers.
    pub fn send_test(
        &self,
        from: &str,
        to: &str,
        name: &str,
        subject: &str,
        text: &str,
        message_id: String,
    ) -> Result<(), SendError> {
        let now = crate::db::now();
        self.send(
            from,
            &OutboxJob {
                id: 0,
                kind: "smtp_test".into(),
                to_address: to.to_string(),
                to_name: name.to_string(),
                subject: subject.to_string(),
                body_text: text.to_string(),
                body_html: None,
                headers: "{}".into(),
                message_id,
                status: "sending".into(),
                attempts: 1,
                next_attempt_at: now,
                last_error: None,
                invitation_id: None,
                created_at: now,
                sent_at: None,
            },
        )
    }
}

fn build_message(from: &str, job: &OutboxJob) -> Result<Message, SendError> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| SendError::permanent(format!("invalid sender address '{from}': {e}")))?;
    let address = job.to_address.parse().map_err(|e| {
        SendError::permanent(format!("invalid recipient '{}': {e}", job.to_address))
    })?;
    // lettre encodes the display name, so a name with CR/LF cannot inject headers.
    let name = job.to_name.replace(['\r', '\n'], " ");
    let to = Mailbox::new((!name.trim().is_empty()).then_some(name), address);
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(job.subject.replace(['\r', '\n'], " "))
        .message_id(Some(job.message_id.clone()));
    let headers: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&job.headers).unwrap_or_default();
    for (name, value) in headers {
        let header = HeaderName::new_from_ascii(name.clone())
            .map_err(|_| SendError::permanent(format!("invalid header name {name}")))?;
        builder = builder.raw_header(HeaderValue::new(header, value.replace(['\r', '\n'], " ")));
    }
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(job.body_text.clone());
    let result = match &job.body_html {
        Some(html) => builder.multipart(
            MultiPart::alternative().singlepart(text).singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html.clone()),
            ),
        ),
        None => builder.singlepart(text),
    };
    result.map_err(|e| SendError::permanent(format!("cannot build mail: {e}")))
}
