//! Every page type of the demo site (`runbooks/`), in headless Chromium from
//! `file://`: axe-core finds no serious or critical violation in the light
//! and the dark theme; each page type ships at most 100 kB of CSS + JS
//! (reported); screenshots at desktop and phone width, light and dark, go
//! to a folder the run prints, for a reviewer to look at. The keyboard,
//! the phone, the themes and print have their own files
//! (`keyboard_browser.rs`, `phone_browser.rs`, `theme_print_browser.rs`).
//!
//! Needs Chromium (`VIGIE_TEST_CHROMIUM`, default /usr/bin/chromium) and
//! axe-core (`VIGIE_TEST_AXE`, default the npm cache of `scripts/test.sh`).
//! Without them the tests fail in CI and are skipped elsewhere.

mod browser_common;
mod common;

use browser_common::demo::{BROWSER, Session, page_types, screenshot_dir, site, visit};
use browser_common::{
    DRAWER_SHOWN, Screen, Violation, axe, eval, screenshot, set_dark, set_screen, tap_menu, wait_for,
};
use common::chromium;

/// Whether the page is painted dark: its background is darker than mid-grey.
const IS_DARK: &str = "(() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b < 3 * 128; })()";

/// The rules axe found broken on `page` in `theme`, for a failure message.
fn describe(page: &str, theme: &str, found: &[Violation]) -> String {
    let mut out = String::new();
    for v in found {
        out.push_str(&format!("\n{page} ({theme}): {} [{}] {}", v.id, v.impact, v.help));
        for n in v.nodes.iter().take(5) {
            out.push_str(&format!("\n    {}  {}", n.target, n.html));
            if !n.summary.is_empty() {
                out.push_str(&format!("\n      {}", n.summary.replace('\n', "\n      ")));
            }
        }
        if v.nodes.len() > 5 {
            out.push_str(&format!("\n    … {} more", v.nodes.len() - 5));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_type_passes_axe_in_light_and_dark() {
    let Some(exe) = chromium() else { return };
    let Some(axe_path) = common::axe() else { return };
    let axe_js = std::fs::read_to_string(&axe_path).expect("read axe.min.js");
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    set_screen(&s.page, Screen::Desktop).await;
    let mut blocking = String::new();
    let mut minor = String::new();
    for dark in [false, true] {
        let theme = if dark { "dark" } else { "light" };
        set_dark(&s.page, dark).await;
        for (name, url, ready) in page_types() {
            visit(&s.page, &url, ready).await;
            let shown_dark: bool = eval(&s.page, IS_DARK).await;
            assert_eq!(shown_dark, dark, "{name} is not shown in the {theme} theme");
            let found = axe(&s.page, &axe_js).await;
            let (bad, rest): (Vec<_>, Vec<_>) = found.into_iter().partition(Violation::blocks);
            blocking.push_str(&describe(name, theme, &bad));
            minor.push_str(&describe(name, theme, &rest));
        }
        // The search box's results, open over a page.
        let (_, home, _) = &page_types()[0];
        visit(&s.page, home, "!!window.vigieSearch").await;
        let input = s.page.find_element("#search-input").await.unwrap();
        input.click().await.unwrap().type_str("ceph osd").await.unwrap();
        wait_for(
            &s.page,
            "document.querySelectorAll('#search-results .search-hit').length > 0",
        )
        .await;
        let found = axe(&s.page, &axe_js).await;
        let (bad, rest): (Vec<_>, Vec<_>) = found.into_iter().partition(Violation::blocks);
        blocking.push_str(&describe("search box results", theme, &bad));
        minor.push_str(&describe("search box results", theme, &rest));

        // The navigation drawer, open on a phone.
        set_screen(&s.page, Screen::Phone).await;
        let (_, page_url, _) = page_types().into_iter().find(|p| p.0 == "page").unwrap();
        visit(&s.page, &page_url, "true").await;
        tap_menu(&s.page, DRAWER_SHOWN).await;
        let found = axe(&s.page, &axe_js).await;
        let (bad, rest): (Vec<_>, Vec<_>) = found.into_iter().partition(Violation::blocks);
        blocking.push_str(&describe("phone drawer", theme, &bad));
        minor.push_str(&describe("phone drawer", theme, &rest));
        set_screen(&s.page, Screen::Desktop).await;
    }
    s.end().await;
    if !minor.is_empty() {
        println!("minor and moderate findings (not failing):{minor}");
    }
    assert!(
        blocking.is_empty(),
        "serious or critical accessibility violations:{blocking}"
    );
}

/// The stylesheets and scripts a page loads, and its inline CSS and JS in bytes.
const ASSETS: &str = "(() => ({
    css: [...document.querySelectorAll('link[rel=stylesheet][href]')].map(l => l.href),
    js: [...document.querySelectorAll('script[src]')].map(s => s.src),
    inline_css: [...document.querySelectorAll('style')].reduce((n, s) => n + new Blob([s.textContent]).size, 0),
    inline_js: [...document.querySelectorAll('script:not([src])')].reduce((n, s) => n + new Blob([s.textContent]).size, 0),
}))()";

#[derive(serde::Deserialize)]
struct Assets {
    css: Vec<String>,
    js: Vec<String>,
    inline_css: u64,
    inline_js: u64,
}

/// Bytes of the files at `urls` (`file://` URLs of the built site), search
/// shards left out: they are what a query loads, not what the page ships.
fn bytes_of(urls: &[String]) -> u64 {
    let root = format!("file://{}/", site().display());
    urls.iter()
        .map(|u| {
            let rel = u
                .strip_prefix(&root)
                .unwrap_or_else(|| panic!("{u} is outside the site"));
            let rel = rel.split(['?', '#']).next().unwrap();
            if rel.starts_with("search/") {
                0
            } else {
                std::fs::metadata(site().join(rel))
                    .map(|m| m.len())
                    .unwrap_or_else(|e| panic!("{rel}: {e}"))
            }
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_page_type_ships_at_most_100_kb_of_css_and_js() {
    let Some(exe) = chromium() else { return };
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    let mut table = format!("{:<14} {:>9} {:>9} {:>9}", "page type", "CSS", "JS", "total");
    let mut over = Vec::new();
    for (name, url, ready) in page_types() {
        visit(&s.page, &url, ready).await;
        let a: Assets = eval(&s.page, ASSETS).await;
        let css = bytes_of(&a.css) + a.inline_css;
        let js = bytes_of(&a.js) + a.inline_js;
        table.push_str(&format!("\n{name:<14} {css:>9} {js:>9} {:>9}", css + js));
        if css + js > 100_000 {
            over.push(format!("{name}: {} bytes", css + js));
        }
    }
    s.end().await;
    let report = format!("CSS + JS per page type, in bytes, before search shards:\n{table}\n");
    println!("{report}");
    // Beside the screenshots, where `scripts/test.sh` shows it after the run.
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    std::fs::write(dir.join("weight.txt"), &report).unwrap();
    assert!(over.is_empty(), "over 100 kB of CSS + JS: {over:?}\n{table}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_of_every_page_type_on_desktop_and_phone_in_light_and_dark() {
    let Some(exe) = chromium() else { return };
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    let mut written = 0;
    for screen in [Screen::Desktop, Screen::Phone] {
        set_screen(&s.page, screen).await;
        for dark in [false, true] {
            let theme = if dark { "dark" } else { "light" };
            set_dark(&s.page, dark).await;
            for (name, url, ready) in page_types() {
                visit(&s.page, &url, ready).await;
                let file = dir.join(format!("{name}-{}-{theme}.png", screen.name()));
                screenshot(&s.page, &file, 3000.0).await;
                written += 1;
            }
            // Two states a reader meets often: the phone's drawer, the search box's results.
            let (_, page_url, _) = page_types().into_iter().find(|p| p.0 == "page").unwrap();
            visit(&s.page, &page_url, "true").await;
            if screen == Screen::Phone {
                tap_menu(&s.page, DRAWER_SHOWN).await;
                screenshot(&s.page, &dir.join(format!("drawer-phone-{theme}.png")), 740.0).await;
            } else {
                let input = s.page.find_element("#search-input").await.unwrap();
                input
                    .click()
                    .await
                    .unwrap()
                    .type_str("redemarer rabitmq")
                    .await
                    .unwrap();
                wait_for(
                    &s.page,
                    "document.querySelectorAll('#search-results .search-hit').length > 0",
                )
                .await;
                screenshot(
                    &s.page,
                    &dir.join(format!("search-box-desktop-{theme}.png")),
                    800.0,
                )
                .await;
            }
            written += 1;
        }
    }
    s.end().await;
    println!("{written} screenshots in {}", dir.display());
    eprintln!("screenshots: {}", dir.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_blocks_copy_button_copies_its_code_without_the_line_numbers() {
    let Some(exe) = chromium() else { return };
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    let page = page_types()
        .into_iter()
        .find(|(name, ..)| *name == "page")
        .expect("the runbook page")
        .1;
    visit(&s.page, &page, "!!document.querySelector('pre.code .ln')").await;
    // What the button hands the clipboard, kept by the page.
    let numbers: Vec<String> = eval(
        &s.page,
        "(() => { window.copied = null; navigator.clipboard.writeText = t => { window.copied = t; return Promise.resolve(); }; \
         const pre = document.querySelector('pre.code .ln').closest('pre'); pre.querySelector('.copy-button').click(); \
         return [...pre.querySelectorAll('.ln')].map(n => n.textContent); })()",
    )
    .await;
    assert_eq!(numbers, ["1", "2", "3"], "the lines are numbered");
    wait_for(&s.page, "window.copied !== null").await;
    let copied: String = eval(&s.page, "window.copied").await;
    assert!(
        copied.starts_with("ping -c3 10.10.1.25\nssh k8s-wrk-05"),
        "{copied:?}"
    );
    assert_eq!(copied.lines().count(), 3, "{copied:?}");
    s.end().await;
}
