//! Dark rooms and paper, in headless Chromium from `file://`: the theme
//! follows the system until the reader picks one with the toggle, and that
//! choice holds on the next pages; highlighted code stays readable in both
//! themes; printing a runbook or a course's printable page leaves the
//! navigation out, prints each link's target, wraps code instead of
//! cutting it and keeps code blocks and admonitions whole on a page, in
//! black on white even from the dark theme. The printed PDFs go beside the
//! screenshots for a reviewer.
//!
//! Needs Chromium (`VIGIE_TEST_CHROMIUM`, default /usr/bin/chromium).
//! Without it the tests fail in CI and are skipped elsewhere.

mod browser_common;
mod common;

use browser_common::demo::{BROWSER, Session, page_type, screenshot_dir, url, visit};
use browser_common::{Screen, eval, screenshot, set_dark, set_screen, wait_for};
use chromiumoxide::cdp::browser_protocol::page::PrintToPdfParams;
use chromiumoxide::page::MediaTypeParams;
use common::chromium;

/// A runbook with highlighted shell and YAML, tables and an admonition.
const RUNBOOK: &str = "runbooks/kubernetes/prometheus-storage-full.html";

/// Whether the page is painted dark: its background is darker than mid-grey.
const IS_DARK: &str = "(() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b < 3 * 128; })()";
const PRESSED: &str = "document.querySelector('.theme-toggle').getAttribute('aria-pressed')";

async fn shown(page: &chromiumoxide::Page) -> (bool, String) {
    (eval(page, IS_DARK).await, eval(page, PRESSED).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_theme_follows_the_system_until_the_reader_picks_one() {
    let Some(exe) = chromium() else { return };
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    let page = &s.page;
    set_screen(page, Screen::Desktop).await;
    let (home, ready) = page_type("home");

    // No choice made: the system decides.
    set_dark(page, false).await;
    visit(page, &url(RUNBOOK), "true").await;
    assert_eq!(shown(page).await, (false, "false".into()));
    set_dark(page, true).await;
    visit(page, &url(RUNBOOK), "true").await;
    assert_eq!(shown(page).await, (true, "true".into()));

    // The reader picks light in a dark system; the next pages stay light,
    // whether reached by a link or opened afresh.
    page.find_element(".theme-toggle")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(page, &format!("!{IS_DARK}")).await;
    assert_eq!(shown(page).await, (false, "false".into()));
    page.find_element(".breadcrumbs a")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        page,
        "document.readyState === 'complete' && location.pathname.endsWith('/index.html')",
    )
    .await;
    assert_eq!(shown(page).await, (false, "false".into()), "after a link");
    visit(page, &home, ready).await;
    assert_eq!(shown(page).await, (false, "false".into()), "opened afresh");
    let (course_print, _) = page_type("course-print");
    visit(page, &course_print, "true").await;
    assert!(!eval::<bool>(page, IS_DARK).await, "the printable course too");

    // And dark in a light system.
    set_dark(page, false).await;
    visit(page, &home, ready).await;
    page.find_element(".theme-toggle")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(page, IS_DARK).await;
    visit(page, &url(RUNBOOK), "true").await;
    assert_eq!(shown(page).await, (true, "true".into()));
    s.end().await;
}

/// Each colour of highlighted code and its worst contrast with the code
/// block's background (WCAG's ratio).
const CODE_CONTRAST: &str = r#"(() => {
    const lum = c => {
        const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const worst = {};
    document.querySelectorAll('pre.code').forEach(pre => {
        const bg = getComputedStyle(pre).backgroundColor;
        pre.querySelectorAll('code, code span').forEach(s => {
            if (!s.textContent.trim()) return;
            const c = getComputedStyle(s).color, r = ratio(c, bg);
            if (!(c in worst) || worst[c].ratio > r) worst[c] = { color: c, class: s.className, ratio: r };
        });
    });
    return Object.values(worst);
})()"#;

#[derive(Debug, serde::Deserialize)]
struct Ink {
    #[allow(dead_code)] // shown by the failure message
    color: String,
    #[allow(dead_code)]
    class: String,
    ratio: f64,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn highlighted_code_is_readable_in_both_themes() {
    let Some(exe) = chromium() else { return };
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    set_screen(&s.page, Screen::Desktop).await;
    for dark in [false, true] {
        set_dark(&s.page, dark).await;
        visit(&s.page, &url(RUNBOOK), "true").await;
        let inks: Vec<Ink> = eval(&s.page, CODE_CONTRAST).await;
        // Highlighting that vanished would pass any contrast test.
        assert!(
            inks.len() >= 5,
            "highlighted code uses several colours (dark: {dark}): {inks:?}"
        );
        let faint: Vec<_> = inks.iter().filter(|i| i.ratio < 4.5).collect();
        assert!(
            faint.is_empty(),
            "code colours under 4.5:1 (dark: {dark}): {faint:?}"
        );
        println!(
            "dark {dark}: {} code colours, lowest contrast {:.2}",
            inks.len(),
            inks.iter().map(|i| i.ratio).fold(f64::INFINITY, f64::min)
        );
    }
    s.end().await;
}

/// What print shows wrongly on the page, as a list of problems.
const PRINT_PROBLEMS: &str = r#"(() => {
    const problems = [];
    const chrome = '.topbar, .sidebar, .site-footer, .prev-next, .toc, .breadcrumbs, .copy-button, .skip-link, .print-toolbar, .course-bar, .nav-backdrop';
    document.querySelectorAll(chrome).forEach(el => {
        if (el.getClientRects().length) problems.push('printed: ' + el.tagName.toLowerCase() + '.' + el.className);
    });
    const bg = getComputedStyle(document.body).backgroundColor, fg = getComputedStyle(document.body).color;
    if (!/^rgba?\(255, 255, 255/.test(bg) && bg !== 'rgba(0, 0, 0, 0)') problems.push('background ' + bg);
    if (!/^rgb\(0, 0, 0\)/.test(fg)) problems.push('text colour ' + fg);
    document.querySelectorAll('.content a[href]').forEach(a => {
        const href = a.getAttribute('href');
        if (href.startsWith('#') || a.classList.contains('anchor')) return;
        const after = getComputedStyle(a, '::after').content;
        if (!after.includes(href)) problems.push('link printed without its target: ' + href + ' (' + after + ')');
    });
    document.querySelectorAll('pre.code').forEach(pre => {
        if (pre.scrollWidth > pre.clientWidth + 1) problems.push('code cut at the right edge: ' + pre.textContent.slice(0, 40));
        if (getComputedStyle(pre).breakInside !== 'avoid') problems.push('a page break may cut a code block');
    });
    document.querySelectorAll('.callout, .quiz').forEach(c => {
        if (getComputedStyle(c).breakInside !== 'avoid') problems.push('a page break may cut ' + c.className);
    });
    return problems;
})()"#;

const COUNTS: &str = "[document.querySelectorAll('pre.code').length, document.querySelectorAll('.callout').length, [...document.querySelectorAll('.content a[href]')].filter(a => !a.getAttribute('href').startsWith('#') && !a.classList.contains('anchor')).length]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn printing_a_runbook_and_a_course_leaves_the_chrome_out() {
    let Some(exe) = chromium() else { return };
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    let page = &s.page;
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    // From the dark theme, chosen and by the system: paper is light anyway.
    set_dark(page, true).await;
    set_screen(page, Screen::Paper).await;
    let (course_print, _) = page_type("course-print");
    let mut problems = Vec::new();
    for (name, target) in [("runbook", url(RUNBOOK)), ("course", course_print)] {
        visit(page, &target, "true").await;
        eval::<bool>(page, "localStorage.setItem('vigie-theme', 'dark') || true").await;
        visit(page, &target, "true").await;
        page.emulate_media_type(MediaTypeParams::Print).await.unwrap();
        let [code, callouts, links]: [u32; 3] = eval(page, COUNTS).await;
        assert!(
            code > 0 && callouts > 0,
            "{name}: code and admonitions to print ({code}, {callouts})"
        );
        if name == "runbook" {
            assert!(links > 0, "the runbook has links to print");
        }
        for p in eval::<Vec<String>>(page, PRINT_PROBLEMS).await {
            problems.push(format!("{name}: {p}"));
        }
        screenshot(page, &dir.join(format!("print-{name}.png")), 3000.0).await;
        let pdf = page.pdf(PrintToPdfParams::default()).await.expect("print to PDF");
        assert!(pdf.starts_with(b"%PDF"), "{name}: a PDF");
        std::fs::write(dir.join(format!("print-{name}.pdf")), pdf).unwrap();
        page.emulate_media_type(MediaTypeParams::Screen).await.unwrap();
    }
    s.end().await;
    println!("printed PDFs in {}", dir.display());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
