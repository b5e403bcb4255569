//! The desktop app in the real webview (WebKitGTK), through tauri-driver.

use crate::support::{free_port, in_ci, on_path, parapet_binary, KillOnDrop};
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn prerequisites() -> Result<(), String> {
    if std::env::var_os("DISPLAY").is_none() {
        return Err("DISPLAY is not set (no X server)".into());
    }
    for binary in ["tauri-driver", "WebKitWebDriver"] {
        if !on_path(binary) {
            return Err(format!("{binary} not found on PATH"));
        }
    }
    Ok(())
}

/// A running app on a fresh data directory, with a WebDriver session on its window.
pub struct App {
    client: Client,
    data_dir: tempfile::TempDir,
    _driver: KillOnDrop,
}

impl App {
    /// Starts the app on a fresh data directory; `None` (outside CI only) when the machine
    /// cannot run it.
    pub async fn start() -> Option<Self> {
        Self::start_with(&[]).await
    }

    /// Starts the app with extra environment (e.g. where Microsoft is).
    pub async fn start_with(environment: &[(&str, String)]) -> Option<Self> {
        if let Err(why) = prerequisites() {
            assert!(
                !in_ci(),
                "E2E prerequisites missing in CI: {why}; run ./dev test"
            );
            eprintln!("E2E NOT RUN (outside CI): {why}; run ./dev test");
            return None;
        }
        let data_dir = tempfile::tempdir().unwrap();
        let (port, native_port) = (free_port(), free_port());
        // The app inherits the driver's environment: that is how it gets its data directory.
        let driver = KillOnDrop(
            Command::new("tauri-driver")
                .args(["--port", &port.to_string()])
                .args(["--native-port", &native_port.to_string()])
                .env("PARAPET_DATA_DIR", data_dir.path())
                .envs(environment.iter().map(|(k, v)| (*k, v.as_str())))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn tauri-driver"),
        );
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "wry".into());
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": parapet_binary() }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::native()
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(error) if Instant::now() >= deadline => panic!("no WebDriver session: {error}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
            }
        };
        Some(Self {
            client,
            data_dir,
            _driver: driver,
        })
    }

    /// Waits until the element's text satisfies `check`; returns the text.
    pub async fn wait_for_text(&self, css: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut last = String::new();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = element.text().await {
                    if check(&text) {
                        return text;
                    }
                    last = text;
                }
            }
            assert!(Instant::now() < deadline, "{css}: unexpected text {last:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether an element matches `css` right now.
    pub async fn exists(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    pub async fn wait_for(&self, css: &str) {
        self.wait_for_text(css, |_| true).await;
    }

    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        // A disabled button (e.g. while the previous step is still finishing) ignores the
        // click, so wait until it takes one.
        let element = loop {
            match self.client.find(Locator::Css(css)).await {
                Ok(element) if element.is_enabled().await.unwrap_or(false) => break element,
                Ok(_) if Instant::now() >= deadline => panic!("{css} stayed disabled"),
                Err(e) if Instant::now() >= deadline => panic!("{css} not found: {e}"),
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        // A button at the window's edge may be only half visible; centre it so the click
        // lands on it rather than on whatever the layout shifts there.
        let handle = serde_json::to_value(&element).unwrap();
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![handle],
            )
            .await
            .unwrap();
        element.click().await.unwrap();
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.data_dir.path()
    }

    pub async fn close(self) {
        self.client.close().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn tenant_list_and_settings_on_a_fresh_data_directory() {
    let Some(app) = App::start().await else {
        return;
    };
    assert_eq!(app.client.title().await.unwrap(), "Parapet");
    app.wait_for_text("main h1", |t| t == "Tenants").await;
    let empty = app.wait_for_text("#tenants-empty", |t| !t.is_empty()).await;
    assert!(empty.contains("No tenants yet"), "{empty}");

    app.click("#nav-settings").await;
    app.wait_for_text("main h1", |t| t == "Settings").await;
    let data_dir = app.data_dir.path().display().to_string();
    app.wait_for_text("#data-dir", |t| t == data_dir).await;

    app.click("#nav-tenants").await;
    app.wait_for_text("main h1", |t| t == "Tenants").await;
    assert!(app.data_dir.path().join("parapet.db").is_file());
    app.close().await;
}
