//! Helpers shared by the browser tests: launch Chromium headless (found by
//! `common::chromium`), and read or wait for what a page's scripts did.

use std::path::Path;
use std::time::{Duration, Instant};

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::page::Page;
use futures_util::StreamExt;

/// Launches headless Chromium `exe` with its profile in `profile`; returns
/// the browser and the task driving its connection (abort it at the end).
pub async fn launch(exe: &Path, profile: &Path) -> (Browser, tokio::task::JoinHandle<()>) {
    let config = BrowserConfig::builder()
        .chrome_executable(exe)
        .no_sandbox()
        .user_data_dir(profile)
        // chromiumoxide adds the leading `--`.
        .args([
            "disable-gpu",
            "disable-quic",
            "no-first-run",
            "disable-background-networking",
            "disable-component-update",
            "disable-sync",
        ])
        // A first start on a busy machine can be slow.
        .launch_timeout(Duration::from_secs(60))
        .request_timeout(Duration::from_secs(30))
        .build()
        .expect("browser config");
    let (browser, mut handler) = Browser::launch(config).await.expect("launch Chromium");
    // Invalid messages are already ignored by the handler: an error here is
    // the connection failing, and polling on would spin.
    let events = tokio::spawn(async move { while let Some(Ok(_)) = handler.next().await {} });
    (browser, events)
}

/// Evaluates `js` in the page and returns its value.
pub async fn eval<T: serde::de::DeserializeOwned>(page: &Page, js: &str) -> T {
    page.evaluate(js)
        .await
        .unwrap_or_else(|e| panic!("evaluate {js}: {e}"))
        .into_value()
        .unwrap_or_else(|e| panic!("value of {js}: {e}"))
}

/// Polls `js` until it is true (10 s at most): the page's scripts run once
/// it is parsed. Errors (a page being replaced by the next one) count as
/// "not yet".
pub async fn wait_for(page: &Page, js: &str) {
    let start = Instant::now();
    loop {
        let now = page
            .evaluate(js)
            .await
            .ok()
            .and_then(|r| r.into_value::<bool>().ok());
        if now == Some(true) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {js}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Opens `url` and waits until it is loaded.
pub async fn open(page: &Page, url: &str) {
    page.goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    wait_for(page, "document.readyState === 'complete'").await;
}
