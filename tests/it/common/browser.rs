//! A real headless Chromium driven over WebDriver (chromedriver), for the UI flows.
//!
//! Without Chromium and ChromeDriver the browser tests print `SKIPPED (no browser)` and pass,
//! unless `DEBRIEF_REQUIRE_BROWSER=1` (CI), where they fail. Screenshots of each step go to
//! `target/browser/<test>/` for a human look.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub struct Browser {
    pub client: Client,
    driver: Child,
    shots: PathBuf,
    step: usize,
}

/// Phone (a Pixel 7's CSS viewport) and desktop.
pub const PHONE: (u32, u32) = (412, 915);
pub const DESKTOP: (u32, u32) = (1280, 900);

impl Browser {
    /// None when no browser is installed (and it is not required).
    pub async fn start(test: &str, viewport: (u32, u32)) -> Option<Browser> {
        let present =
            std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
        if !present {
            assert!(
                std::env::var("DEBRIEF_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "DEBRIEF_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing \
                 (apt-get install chromium chromium-driver)"
            );
            eprintln!("SKIPPED (no browser): {test} needs {CHROMIUM} and {CHROMEDRIVER}");
            return None;
        }
        let port = super::server::free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("profile dir").keep();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--lang=en-US",
                    format!("--window-size={},{}", viewport.0, viewport.1),
                    format!("--user-data-dir={}", profile.display()),
                ],
                "mobileEmulation": if viewport.0 < 600 {
                    json!({"deviceMetrics": {"width": viewport.0, "height": viewport.1, "pixelRatio": 2.0, "touch": true}})
                } else {
                    json!(null)
                },
            }
        });
        let caps = match caps {
            serde_json::Value::Object(mut m) => {
                if let Some(serde_json::Value::Object(o)) = m.get_mut("goog:chromeOptions") {
                    o.retain(|_, v| !v.is_null());
                }
                m
            }
            _ => unreachable!("built as an object"),
        };
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            // chromedriver listens on loopback: plain HTTP, no TLS stack needed.
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) => {
                    assert!(
                        started.elapsed() < Duration::from_secs(30),
                        "chromedriver did not start: {e}"
                    );
                    tokio_sleep(Duration::from_millis(200)).await;
                }
            }
        };
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target/browser")
            .join(test);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).expect("screenshot dir");
        Some(Browser {
            client,
            driver,
            shots,
            step: 0,
        })
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// A screenshot of the page as it is now, numbered in the order of the steps.
    pub async fn shot(&mut self, name: &str) {
        self.step += 1;
        let png = self.client.screenshot().await.expect("screenshot");
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        std::fs::write(path, png).expect("write screenshot");
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.expect("clear");
        el.send_keys(text).await.expect("type");
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        // Read in one script: an element handle goes stale while a page is replaced.
        self.script("return document.body ? document.body.innerText : '';")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the page's text contains `needle`.
    pub async fn wait_for_text(&self, needle: &str) {
        let started = Instant::now();
        loop {
            if self.text().await.contains(needle) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "page never showed {needle:?}; it shows:\n{}",
                self.text().await
            );
            tokio_sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn script(&self, js: &str) -> serde_json::Value {
        self.client.execute(js, vec![]).await.expect("script")
    }

    /// Signs in through the login form.
    pub async fn login(&mut self, base: &str, email: &str, password: &str) {
        self.goto(&format!("{base}/login")).await;
        self.fill("#field-email", email).await;
        self.fill("#field-password", password).await;
        self.click("form button[type=submit]").await;
        let started = Instant::now();
        while self.client.current_url().await.expect("url").path() == "/login" {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "sign-in failed: {}",
                self.text().await
            );
            tokio_sleep(Duration::from_millis(100)).await;
        }
    }

    /// Submits the form `css` names, accepting its confirmation question.
    pub async fn submit_confirmed(&self, css: &str) {
        self.script("window.confirm = () => true;").await;
        self.click(css).await;
    }

    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("url")
            .path()
            .to_string()
    }

    /// Waits until the script returns `expected`.
    pub async fn wait_for_script(&self, js: &str, expected: &str) {
        let started = Instant::now();
        loop {
            let got = self.script(js).await;
            if got.as_str() == Some(expected) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{js} gave {got}, not {expected}"
            );
            tokio_sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

pub async fn tokio_sleep(d: Duration) {
    actix_web::rt::time::sleep(d).await;
}
