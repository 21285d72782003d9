//! Helpers shared by the browser tests: launch Chromium headless (found by
//! `common::chromium`), read or wait for what a page's scripts did, and
//! put the page in the situation of a reader: a phone's screen, the dark
//! system theme, the keyboard, axe-core's accessibility rules.
#![allow(dead_code)]

pub mod demo;

use std::path::Path;
use std::time::{Duration, Instant};

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::emulation::{
    MediaFeature, SetDeviceMetricsOverrideParams, SetTouchEmulationEnabledParams,
};
use chromiumoxide::cdp::browser_protocol::input::{DispatchKeyEventParams, DispatchKeyEventType};
use chromiumoxide::cdp::browser_protocol::page::{
    CaptureScreenshotFormat, CaptureScreenshotParams, Viewport,
};
use chromiumoxide::page::{Page, ScreenshotParams};
use futures_util::StreamExt;

/// Launches headless Chromium `exe` with its profile in `profile`; returns
/// the browser and the task driving its connection (abort it at the end).
/// Chromium's temporary folders go inside `profile` too, so that they go
/// with it instead of piling up in the machine's temporary folder.
pub async fn launch(exe: &Path, profile: &Path) -> (Browser, tokio::task::JoinHandle<()>) {
    let temporary = profile.join("tmp");
    std::fs::create_dir_all(&temporary).expect("Chromium's temporary folder");
    let config = BrowserConfig::builder()
        .chrome_executable(exe)
        .no_sandbox()
        .user_data_dir(profile)
        .env("TMPDIR", temporary.to_string_lossy())
        // chromiumoxide adds the leading `--`.
        .args([
            "disable-gpu",
            "disable-quic",
            "no-first-run",
            "disable-background-networking",
            "disable-component-update",
            "disable-sync",
            // Without a start page of its own, Chromium opens its New Tab
            // page in a first tab, which loads while the test's page runs
            // and takes its share of a 2-core machine: the first search
            // query of a fresh browser measured twice its time (worst
            // medians of 141 and 150 ms instead of 69 and 72 on 10,000
            // pages, alternating runs). The tests open their own page.
            "no-startup-window",
        ])
        // A first start on a busy machine can be slow.
        .launch_timeout(Duration::from_secs(60))
        .request_timeout(Duration::from_secs(30))
        .build()
        .expect("browser config");
    let (mut browser, mut handler) = Browser::launch(config).await.expect("launch Chromium");
    // Invalid messages are already ignored by the handler: an error here is
    // the connection failing, and polling on would spin.
    let events = tokio::spawn(async move { while let Some(Ok(_)) = handler.next().await {} });
    // A page Chromium opened by itself would load beside the test's own.
    let targets = browser.fetch_targets().await.expect("Chromium's targets");
    let own: Vec<&str> = targets
        .iter()
        .filter(|t| t.r#type == "page")
        .map(|t| t.url.as_str())
        .collect();
    assert!(
        own.is_empty(),
        "Chromium opened pages of its own, which would take CPU from the page under test: {own:?}"
    );
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
    wait_for_or_show(page, js, "''").await
}

/// [`wait_for`], and when it times out, the value of `show` (an
/// expression giving what the page holds: focus, fields, files loaded) in
/// the failure, so that a failure says what state the page was in.
pub async fn wait_for_or_show(page: &Page, js: &str, show: &str) {
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
        if start.elapsed() >= Duration::from_secs(10) {
            let state = page
                .evaluate(format!("JSON.stringify({show})"))
                .await
                .ok()
                .and_then(|r| r.into_value::<String>().ok())
                .unwrap_or_default();
            panic!("timed out waiting for {js} (page state: {state})");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The phone's navigation drawer is open and on screen.
pub const DRAWER_SHOWN: &str = "document.body.classList.contains('nav-open') && document.getElementById('sidebar').getBoundingClientRect().left >= 0";
/// The phone's navigation drawer is closed and hidden.
pub const DRAWER_GONE: &str = "!document.body.classList.contains('nav-open') && getComputedStyle(document.getElementById('sidebar')).visibility === 'hidden'";

/// Taps the menu button and waits until `then` holds ([`DRAWER_SHOWN`] or
/// [`DRAWER_GONE`]).
pub async fn tap_menu(page: &Page, then: &str) {
    page.find_element(".nav-toggle")
        .await
        .expect("the menu button")
        .click()
        .await
        .expect("a tap on the menu button");
    wait_for(page, then).await;
}

/// Opens `url` and waits until it is loaded. `goto` waits for the page's
/// load event, and under load it has once given up after 30 s on a page
/// that may well have been there: where the page is decides, not the event.
pub async fn open(page: &Page, url: &str) {
    if let Err(e) = page.goto(url).await {
        let here: String = page
            .evaluate("location.href")
            .await
            .ok()
            .and_then(|r| r.into_value().ok())
            .unwrap_or_default();
        let path = |u: &str| u.split(['?', '#']).next().unwrap_or_default().to_string();
        assert_eq!(path(&here), path(url), "{url}: {e}, and the page is elsewhere");
    }
    wait_for(page, "document.readyState === 'complete'").await;
}

/// A screen the page is shown on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// A laptop, 1280×800.
    Desktop,
    /// A small phone, 360×740, touch.
    Phone,
    /// The printable width of an A4 sheet with 15-mm margins, at 96 dpi.
    Paper,
}

impl Screen {
    pub fn name(self) -> &'static str {
        match self {
            Screen::Desktop => "desktop",
            Screen::Phone => "phone",
            Screen::Paper => "paper",
        }
    }
}

/// Shows the following pages on `screen`.
pub async fn set_screen(page: &Page, screen: Screen) {
    let (width, height, mobile) = match screen {
        Screen::Desktop => (1280, 800, false),
        Screen::Phone => (360, 740, true),
        Screen::Paper => (680, 960, false),
    };
    let metrics = SetDeviceMetricsOverrideParams::builder()
        .width(width)
        .height(height)
        .device_scale_factor(1.0)
        .mobile(mobile)
        .build()
        .expect("device metrics");
    page.execute(metrics).await.expect("set the screen size");
    let touch = SetTouchEmulationEnabledParams::builder()
        .enabled(mobile)
        .max_touch_points(if mobile { 5 } else { 1 })
        .build()
        .expect("touch emulation");
    page.execute(touch).await.expect("set touch emulation");
}

/// Makes the system theme dark (or light) for the following pages, as a
/// phone in night mode does: `prefers-color-scheme`.
pub async fn set_dark(page: &Page, dark: bool) {
    let value = if dark { "dark" } else { "light" };
    page.emulate_media_features(vec![MediaFeature {
        name: "prefers-color-scheme".into(),
        value: value.into(),
    }])
    .await
    .expect("emulate prefers-color-scheme");
}

/// Presses `key` (a DOM key name: `Tab`, `Enter`, `Escape`, ` `, `/`,
/// `ArrowDown`…) with Shift held when `shift`, as a keyboard does: the key
/// goes to whatever has the focus, and Tab moves the focus.
pub async fn press(page: &Page, key: &str, shift: bool) {
    let (code, key_code, text): (&str, i64, Option<&str>) = match key {
        "Tab" => ("Tab", 9, None),
        "Enter" => ("Enter", 13, Some("\r")),
        "Escape" => ("Escape", 27, None),
        " " => ("Space", 32, Some(" ")),
        "/" => ("Slash", 191, Some("/")),
        "ArrowDown" => ("ArrowDown", 40, None),
        "ArrowUp" => ("ArrowUp", 38, None),
        other => panic!("press: no key code for {other:?}"),
    };
    let modifiers = if shift { 8 } else { 0 };
    let mut down = DispatchKeyEventParams::builder()
        .r#type(if text.is_some() {
            DispatchKeyEventType::KeyDown
        } else {
            DispatchKeyEventType::RawKeyDown
        })
        .key(key)
        .code(code)
        .windows_virtual_key_code(key_code)
        .native_virtual_key_code(key_code)
        .modifiers(modifiers);
    if let Some(t) = text {
        down = down.text(t).unmodified_text(t);
    }
    page.execute(down.build().expect("key down"))
        .await
        .unwrap_or_else(|e| panic!("press {key}: {e}"));
    let up = DispatchKeyEventParams::builder()
        .r#type(DispatchKeyEventType::KeyUp)
        .key(key)
        .code(code)
        .windows_virtual_key_code(key_code)
        .native_virtual_key_code(key_code)
        .modifiers(modifiers)
        .build()
        .expect("key up");
    page.execute(up)
        .await
        .unwrap_or_else(|e| panic!("release {key}: {e}"));
}

/// Writes a PNG of the whole page (`max_height` CSS pixels at most) to `path`.
pub async fn screenshot(page: &Page, path: &Path, max_height: f64) {
    let metrics = page.layout_metrics().await.expect("layout metrics");
    let size = metrics.css_content_size;
    let params = CaptureScreenshotParams {
        format: Some(CaptureScreenshotFormat::Png),
        clip: Some(Viewport {
            x: 0.0,
            y: 0.0,
            width: size.width,
            height: size.height.min(max_height),
            scale: 1.0,
        }),
        capture_beyond_viewport: Some(true),
        ..CaptureScreenshotParams::default()
    };
    let png = page
        .screenshot(ScreenshotParams {
            cdp_params: params,
            full_page: Some(false),
            omit_background: None,
        })
        .await
        .expect("screenshot");
    std::fs::write(path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// One rule axe-core found broken, with the elements that break it.
#[derive(Debug, serde::Deserialize)]
pub struct Violation {
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    pub help: String,
    pub nodes: Vec<ViolationNode>,
}

#[derive(Debug, serde::Deserialize)]
pub struct ViolationNode {
    /// CSS selector of the element.
    pub target: String,
    pub html: String,
    pub summary: String,
}

impl Violation {
    /// Whether the violation must fail a test: serious or critical.
    pub fn blocks(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

/// Runs axe-core (`axe_js`: the text of axe.min.js) on the page as it is
/// now, WCAG 2.x A and AA rules and best practices, and returns what it
/// found broken.
pub async fn axe(page: &Page, axe_js: &str) -> Vec<Violation> {
    let loaded: bool = eval(
        page,
        &format!("(() => {{ if (!window.axe) {{ {axe_js}\n }} return !!window.axe; }})()"),
    )
    .await;
    assert!(loaded, "axe-core did not load");
    eval(
        page,
        "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({
            id: v.id, impact: v.impact || 'minor', help: v.help,
            nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary || '' })),
        })))",
    )
    .await
}
