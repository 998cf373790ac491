//! A real SMTP server on loopback for the mail tests: it speaks enough RFC 5321 for lettre,
//! keeps every message it accepts, and refuses on request (a 451 that should be retried, a 550
//! that should not) or answers slowly.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub raw: String,
}

impl Received {
    pub fn message_id(&self) -> Option<String> {
        self.parsed()
            .and_then(|m| m.message_id().map(|s| format!("<{s}>")))
    }

    pub fn subject(&self) -> String {
        self.parsed()
            .and_then(|m| m.subject().map(str::to_string))
            .unwrap_or_default()
    }

    pub fn text(&self) -> String {
        self.parsed()
            .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
            .unwrap_or_default()
    }

    pub fn html(&self) -> String {
        self.parsed()
            .and_then(|m| m.body_html(0).map(|t| t.into_owned()))
            .unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed()
            .and_then(|m| m.header_raw(name).map(|v| v.trim().to_string()))
    }

    fn parsed(&self) -> Option<mail_parser::Message<'_>> {
        mail_parser::MessageParser::default().parse(self.raw.as_bytes())
    }

    /// The first link in the text part that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text();
        let start = text.find(prefix)?;
        let rest = &text[start..];
        let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        Some(rest[..end].to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `451` after the data: the sender should try again later.
    Transient,
    /// `550` for the recipient: the sender should give up.
    Permanent,
    /// The mail is taken, but the `250` after the data comes only after this long: a slow server.
    Slow(Duration),
}

#[derive(Default)]
struct State {
    messages: Vec<Received>,
    faults: VecDeque<Fault>,
}

pub struct SmtpSink {
    pub port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    pub connections: Arc<AtomicUsize>,
}

impl SmtpSink {
    pub fn start() -> Self {
        Self::start_on(0)
    }

    /// Listens on `port` (0: any free one), e.g. one a sender has been failing to reach.
    pub fn start_on(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind smtp");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicUsize::new(0));
        let (s, st, c) = (state.clone(), stop.clone(), connections.clone());
        std::thread::spawn(move || {
            while !st.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        c.fetch_add(1, Ordering::SeqCst);
                        let s = s.clone();
                        std::thread::spawn(move || {
                            let _ = session(stream, &s);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self {
            port,
            state,
            stop,
            connections,
        }
    }

    /// The next transactions are refused this way, in order.
    pub fn fail_next(&self, fault: Fault) {
        if let Ok(mut s) = self.state.lock() {
            s.faults.push_back(fault);
        }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.state
            .lock()
            .map(|s| s.messages.clone())
            .unwrap_or_default()
    }

    /// Waits until `n` messages have arrived (or panics after `secs`).
    pub fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            assert!(
                started.elapsed() < Duration::from_secs(secs),
                "only {} of {n} mails arrived",
                m.len()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn session(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    out.write_all(b"220 sink.test ESMTP ready\r\n")?;
    let mut to: Vec<String> = Vec::new();
    let mut fault: Option<Fault> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_ascii_uppercase();
        if cmd.starts_with("EHLO") {
            out.write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?;
        } else if cmd.starts_with("HELO") || cmd.starts_with("NOOP") {
            out.write_all(b"250 OK\r\n")?;
        } else if cmd.starts_with("MAIL FROM") {
            to.clear();
            fault = state.lock().ok().and_then(|mut s| s.faults.pop_front());
            out.write_all(b"250 OK\r\n")?;
        } else if cmd.starts_with("RCPT TO") {
            if fault == Some(Fault::Permanent) {
                out.write_all(b"550 5.1.1 mailbox unavailable\r\n")?;
            } else {
                let addr = line.trim_end()[8..]
                    .trim()
                    .trim_matches(['<', '>'])
                    .to_string();
                to.push(addr);
                out.write_all(b"250 OK\r\n")?;
            }
        } else if cmd == "DATA" {
            out.write_all(b"354 end with <CRLF>.<CRLF>\r\n")?;
            let mut raw = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Dot-stuffing (RFC 5321 §4.5.2).
                raw.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            if fault == Some(Fault::Transient) {
                out.write_all(b"451 4.3.0 try again later\r\n")?;
            } else {
                if let Some(Fault::Slow(pause)) = fault {
                    std::thread::sleep(pause);
                }
                if let Ok(mut s) = state.lock() {
                    s.messages.push(Received {
                        to: std::mem::take(&mut to),
                        raw,
                    });
                }
                out.write_all(b"250 OK queued\r\n")?;
            }
        } else if cmd.starts_with("RSET") {
            to.clear();
            out.write_all(b"250 OK\r\n")?;
        } else if cmd.starts_with("QUIT") {
            out.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            out.write_all(b"502 command not implemented\r\n")?;
        }
    }
}
