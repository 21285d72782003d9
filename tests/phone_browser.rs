//! The demo site on a 360×740 phone, in headless Chromium from `file://`: no
//! page type scrolls sideways (wide tables and code scroll inside
//! themselves), every control is a tap target of at least 44×44 px, and
//! the navigation drawer opens, holds the focus while open, and closes by
//! Escape, by its button and by a tap beside it.
//!
//! Needs Chromium (`VIGIE_TEST_CHROMIUM`, default /usr/bin/chromium).
//! Without it the tests fail in CI and are skipped elsewhere.

mod browser_common;
mod common;

use browser_common::demo::{BROWSER, Session, page_type, page_types, visit};
use browser_common::{DRAWER_GONE, DRAWER_SHOWN, Screen, eval, press, set_screen, tap_menu, wait_for};
use common::chromium;

/// What sticks out of the screen on the right: elements wider than the page
/// that are not inside something scrolling on its own.
const SIDEWAYS: &str = r#"(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > width) {
        document.querySelectorAll('body *').forEach(el => {
            const r = el.getBoundingClientRect();
            if (r.right <= width + 0.5 || r.width === 0) return;
            for (let p = el.parentElement; p; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX;
                if (o === 'auto' || o === 'scroll' || o === 'hidden') return;
            }
            if (getComputedStyle(el).position === 'fixed' || el.closest('.sidebar')) return;
            out.push(el.tagName.toLowerCase() + '.' + el.className + ' right edge at ' + Math.round(r.right));
        });
        if (!out.length) out.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
    }
    return out.slice(0, 8);
})()"#;

/// Controls of the site smaller than 44×44 px. Links the authors wrote in
/// their pages (`.content`) and links inside a sentence are exempt (their
/// size is the text's, WCAG 2.5.5), and so is what cannot be seen or used.
const SMALL_TARGETS: &str = r#"(() => {
    const out = [];
    const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    document.querySelectorAll(controls).forEach(el => {
        if (el.disabled || el.closest('[hidden], [inert]') || el.classList.contains('skip-link')) return;
        const cs = getComputedStyle(el);
        if (cs.visibility === 'hidden' || el.closest('.sidebar') && !document.body.classList.contains('nav-open')) return;
        const target = el.tagName === 'INPUT' && el.closest('label') || el;
        const r = target.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return;
        if (el.tagName === 'A') {
            if (el.closest('.content')) return;
            const block = el.closest('p, li, td, th, dd, dt, blockquote, figcaption, .content');
            const own = el.textContent.trim().length;
            if (block && block.textContent.trim().length > own + 2 && getComputedStyle(el).display === 'inline') return;
        }
        if (r.height < 43.5 || r.width < 43.5) {
            out.push(el.tagName.toLowerCase() + '.' + (typeof el.className === 'string' ? el.className : '') +
                ' "' + (el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 30) + '" ' +
                Math.round(r.width) + '×' + Math.round(r.height));
        }
    });
    return out;
})()"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_type_scrolls_sideways_and_every_control_is_a_tap_target() {
    let Some(exe) = chromium() else { return };
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    let page = &s.page;
    set_screen(page, Screen::Phone).await;
    let mut sideways = Vec::new();
    let mut small = Vec::new();
    for (name, url, ready) in page_types() {
        visit(page, &url, ready).await;
        assert_eq!(
            eval::<u32>(page, "innerWidth").await,
            360,
            "{name}: the phone's width"
        );
        for p in eval::<Vec<String>>(page, SIDEWAYS).await {
            sideways.push(format!("{name}: {p}"));
        }
        for p in eval::<Vec<String>>(page, SMALL_TARGETS).await {
            small.push(format!("{name}: {p}"));
        }
    }
    // The drawer's own controls, open.
    let (url, ready) = page_type("page");
    visit(page, &url, ready).await;
    tap_menu(page, DRAWER_SHOWN).await;
    for p in eval::<Vec<String>>(page, SMALL_TARGETS).await {
        small.push(format!("drawer: {p}"));
    }
    // Wide things scroll inside themselves: the demo's page has a code block
    // wider than the phone, which can take the focus to be scrolled.
    visit(page, &url, ready).await;
    let wide: Vec<bool> = eval(
        page,
        "[...document.querySelectorAll('pre.code')].filter(p => p.scrollWidth > p.clientWidth).map(p => p.tabIndex === 0)",
    )
    .await;
    assert!(!wide.is_empty(), "the page has a code block wider than a phone");
    assert!(wide.iter().all(|f| *f), "a wide code block can take the focus");
    s.end().await;
    assert!(
        sideways.is_empty(),
        "pages scrolling sideways at 360 px:\n{}",
        sideways.join("\n")
    );
    small.sort();
    small.dedup();
    assert!(
        small.is_empty(),
        "tap targets under 44×44 px:\n{}",
        small.join("\n")
    );
}

/// The element with the focus is the menu button or inside the sidebar.
const FOCUS_IN_DRAWER: &str =
    "document.activeElement.classList.contains('nav-toggle') || !!document.activeElement.closest('#sidebar')";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drawer_opens_holds_the_focus_and_closes() {
    let Some(exe) = chromium() else { return };
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    let page = &s.page;
    set_screen(page, Screen::Phone).await;
    let (url, ready) = page_type("page");
    visit(page, &url, ready).await;

    // Closed: out of sight, out of the Tab order, the button says so.
    wait_for(page, DRAWER_GONE).await;
    let toggle = "document.querySelector('.nav-toggle')";
    assert_eq!(
        eval::<String>(page, &format!("{toggle}.getAttribute('aria-expanded')")).await,
        "false"
    );

    // Opened from the keyboard: the focus goes to the current page's link.
    eval::<bool>(page, &format!("{toggle}.focus() || true")).await;
    press(page, "Enter", false).await;
    wait_for(page, DRAWER_SHOWN).await;
    assert_eq!(
        eval::<String>(page, &format!("{toggle}.getAttribute('aria-expanded')")).await,
        "true"
    );
    assert!(
        eval::<bool>(
            page,
            "document.activeElement.getAttribute('aria-current') === 'page'"
        )
        .await
    );
    assert!(
        eval::<bool>(page, "document.querySelector('main').inert").await,
        "the page behind the drawer is inert"
    );

    // Tab and Shift+Tab go round the drawer and its button, never behind.
    let stops: u32 = eval(
        page,
        "[...document.querySelectorAll('#sidebar a[href], #sidebar summary')].filter(e => e.getClientRects().length).length",
    )
    .await;
    for _ in 0..stops + 3 {
        press(page, "Tab", false).await;
        assert!(
            eval::<bool>(page, FOCUS_IN_DRAWER).await,
            "Tab left the open drawer for {}",
            eval::<String>(page, "document.activeElement.outerHTML.slice(0, 120)").await
        );
    }
    eval::<bool>(page, &format!("{toggle}.focus() || true")).await;
    press(page, "Tab", true).await;
    assert!(
        eval::<bool>(
            page,
            "!!document.activeElement.closest('#sidebar') && document.activeElement === [...document.querySelectorAll('#sidebar a[href], #sidebar summary')].filter(e => e.getClientRects().length).pop()"
        )
        .await,
        "Shift+Tab from the menu button goes to the drawer's last link"
    );

    // Escape closes it and gives the focus back to the button.
    press(page, "Escape", false).await;
    wait_for(page, DRAWER_GONE).await;
    assert!(eval::<bool>(page, &format!("document.activeElement === {toggle}")).await);
    assert!(!eval::<bool>(page, "document.querySelector('main').inert").await);

    // By touch: the button opens it, a tap beside it closes it; the button again closes it.
    tap_menu(page, DRAWER_SHOWN).await;
    page.click(chromiumoxide::layout::Point { x: 340.0, y: 400.0 })
        .await
        .unwrap();
    wait_for(page, DRAWER_GONE).await;
    tap_menu(page, DRAWER_SHOWN).await;
    tap_menu(page, DRAWER_GONE).await;
    s.end().await;
}
