//! The real `debrief` binary on a free port, for end-to-end and browser tests.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

const SERVER_LOG: &str = "server.log";

pub struct Server {
    pub base: String,
    pub data_dir: tempfile::TempDir,
    /// The environment the server was started with (the CLI runs with it too).
    env: Vec<(String, String)>,
    pub child: Child,
    /// Lines the server printed on stdout (the setup link among them).
    pub stdout: Receiver<String>,
}

impl Server {
    /// `serve --demo` on SQLite in a fresh data directory, up and healthy.
    pub fn start_demo() -> Server {
        Self::start(&["--demo"], &[])
    }

    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        Self::start_in(tempfile::tempdir().expect("tempdir"), args, env)
    }

    /// A server on an existing data directory (after a crash, or a second instance).
    pub fn start_in(data_dir: tempfile::TempDir, args: &[&str], env: &[(&str, &str)]) -> Server {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let bind = format!("127.0.0.1:{port}");
        // The server's log stays beside its data (appended across restarts) for assertions and for
        // the message of a failing test.
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data_dir.path().join(SERVER_LOG))
            .expect("server log");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_debrief"));
        cmd.arg("serve")
            .args(args)
            .args(["--bind", &bind])
            .env("DEBRIEF_DATA_DIR", data_dir.path())
            .env("DEBRIEF_PUBLIC_URL", &base)
            .env_remove("DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(log);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start debrief");
        let out = child.stdout.take().expect("stdout");
        let (tx, stdout) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let server = Server {
            base,
            data_dir,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            child,
            stdout,
        };
        let started = Instant::now();
        while ureq::get(&format!("{}/healthz", server.base))
            .call()
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "server did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// What the server logged so far (its standard error).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data_dir.path().join(SERVER_LOG)).unwrap_or_default()
    }

    /// The one-time setup link the console printed.
    pub fn setup_link(&self) -> String {
        loop {
            let line = self
                .stdout
                .recv_timeout(Duration::from_secs(60))
                .expect("setup link printed");
            if let Some(i) = line.find(&format!("{}/setup/", self.base)) {
                return line[i..].trim().to_string();
            }
        }
    }

    /// Runs a CLI command against the server's database (e.g. `user create`), with `stdin`.
    pub fn cli(&self, args: &[&str], stdin: &str) -> String {
        let mut child = Command::new(env!("CARGO_BIN_EXE_debrief"))
            .args(args)
            .env("DEBRIEF_DATA_DIR", self.data_dir.path())
            .env_remove("DATABASE_URL")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run debrief");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "debrief {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A user with a password, made with the CLI.
    pub fn user(&self, email: &str, name: &str, role: &str, password: &str) {
        self.cli(
            &[
                "user", "create", "--email", email, "--name", name, "--role", role,
            ],
            &format!("{password}\n"),
        );
    }

    /// `kill -9`: the process dies at once, mid-transaction or mid-send; the data directory stays.
    pub fn kill(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let placeholder = tempfile::tempdir().expect("tempdir");
        std::mem::replace(&mut self.data_dir, placeholder)
    }

    /// A bearer token for an editor made with the CLI.
    pub fn editor_token(&self, email: &str) -> String {
        self.user(email, "Eda Editor", "editor", "Korrekturlesen im Zug");
        let out = self.cli(&["token", "create", "--email", email, "--json"], "");
        let v: serde_json::Value = serde_json::from_str(&out).expect("token json");
        v["token"].as_str().expect("token").to_string()
    }

    /// Sends SIGTERM without waiting.
    pub fn terminate(&self) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
    }

    /// SIGTERM, then the exit status once it has stopped.
    pub fn stop(mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        let deadline = Instant::now() + Duration::from_secs(40);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "did not stop after SIGTERM");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
