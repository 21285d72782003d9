//! The demo site with the keyboard alone, in headless Chromium from
//! `file://`: the first Tab reaches the skip link, which leads into the
//! content; `/` focuses the search box, the arrow keys and Enter pick a
//! result; a section of the sidebar folds and unfolds with Enter and Space;
//! every element Tab reaches shows where the focus is; every page type has
//! its landmarks (one banner, one main, one footer, named navigations) and
//! headings that go down one level at a time.
//!
//! Needs Chromium (`VIGIE_TEST_CHROMIUM`, default /usr/bin/chromium).
//! Without it the tests fail in CI and are skipped elsewhere.

mod browser_common;
mod common;

use browser_common::demo::{BROWSER, Session, page_type, page_types, visit};
use browser_common::{Screen, eval, press, set_screen, wait_for};
use common::chromium;

/// What has the focus: a short description, and whether a focus indicator
/// (an outline of 2 px or more, or a box shadow) is drawn around it.
const FOCUSED: &str = r#"JSON.stringify((() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const cs = getComputedStyle(el), r = el.getBoundingClientRect();
    const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none';
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
    return {
        name: name + ' "' + (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40) + '"',
        ring,
        shown: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && cs.visibility !== 'hidden',
    };
})())"#;

/// What has the focus, if anything but the page itself.
async fn focused(page: &chromiumoxide::Page) -> Option<Focused> {
    let json: String = eval(page, FOCUSED).await;
    serde_json::from_str(&json).expect("focus description")
}

#[derive(Debug, serde::Deserialize)]
struct Focused {
    name: String,
    ring: bool,
    shown: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_link_slash_arrows_and_enter_and_the_sidebar_by_keyboard() {
    let Some(exe) = chromium() else { return };
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    let page = &s.page;
    set_screen(page, Screen::Desktop).await;
    let (url, ready) = page_type("page");

    // The first Tab shows the skip link; Enter moves the focus to the content.
    visit(page, &url, ready).await;
    press(page, "Tab", false).await;
    let first = focused(page).await.expect("a focused element");
    assert!(first.name.contains("skip-link"), "first Tab: {first:?}");
    assert!(first.shown && first.ring, "the skip link is seen: {first:?}");
    press(page, "Enter", false).await;
    wait_for(page, "document.activeElement.id === 'content'").await;
    press(page, "Tab", false).await;
    assert!(
        eval::<bool>(page, "!!document.activeElement.closest('main')").await,
        "after the skip link, Tab goes on inside the content"
    );

    // `/` focuses the search box from anywhere but a text field.
    visit(page, &url, ready).await;
    press(page, "/", false).await;
    wait_for(page, "document.activeElement.id === 'search-input'").await;
    assert_eq!(
        eval::<String>(page, "document.activeElement.value").await,
        "",
        "the `/` is not typed into the box"
    );

    // Arrow keys move through the results, Enter opens the one shown active.
    let input = page.find_element("#search-input").await.unwrap();
    input.type_str("ceph osd").await.unwrap();
    wait_for(
        page,
        "document.querySelectorAll('#search-listbox [role=option]').length >= 2",
    )
    .await;
    let active = "document.getElementById('search-input').getAttribute('aria-activedescendant')";
    assert_eq!(eval::<String>(page, active).await, "search-hit-0");
    press(page, "ArrowDown", false).await;
    assert_eq!(eval::<String>(page, active).await, "search-hit-1");
    assert_eq!(
        eval::<String>(
            page,
            "document.getElementById('search-hit-1').getAttribute('aria-selected')"
        )
        .await,
        "true"
    );
    press(page, "ArrowUp", false).await;
    press(page, "ArrowDown", false).await;
    let target: String = eval(page, "document.getElementById('search-hit-1').href").await;
    press(page, "Enter", false).await;
    wait_for(
        page,
        &format!("location.href === {}", serde_json::to_string(&target).unwrap()),
    )
    .await;

    // A listed section folds and unfolds from its button, which comes right
    // after its link in the Tab order.
    visit(page, &url, ready).await;
    let branch = "document.querySelector('#sidebar .nav-branch .nav-branch')";
    eval::<bool>(page, &format!("({branch}).querySelector('a').focus() || true")).await;
    press(page, "Tab", false).await;
    assert!(
        eval::<bool>(
            page,
            &format!("document.activeElement === ({branch}).querySelector('summary')")
        )
        .await,
        "Tab goes from a section's link to its fold button"
    );
    let listed = format!(
        "({branch}).querySelector('details').open && ({branch}).querySelector('details > ul').getClientRects().length > 0"
    );
    assert!(
        eval::<bool>(page, &listed).await,
        "the current section is unfolded"
    );
    let toggle = focused(page).await.expect("a focused element");
    assert!(toggle.ring, "the fold button shows its focus: {toggle:?}");
    press(page, "Enter", false).await;
    wait_for(page, &format!("!({listed})")).await;
    press(page, " ", false).await;
    wait_for(page, &listed).await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_tab_reaches_shows_its_focus_on_every_page_type() {
    let Some(exe) = chromium() else { return };
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    let page = &s.page;
    let mut unseen = Vec::new();
    let mut reached = Vec::new();
    for screen in [Screen::Desktop, Screen::Phone] {
        set_screen(page, screen).await;
        for (name, url, ready) in page_types() {
            visit(page, &url, ready).await;
            let mut count = 0;
            let mut first = None;
            // Tab through the page, 150 stops at most.
            for _ in 0..150 {
                press(page, "Tab", false).await;
                let Some(f) = focused(page).await else {
                    break;
                };
                if first.as_ref() == Some(&f.name) {
                    break;
                }
                first.get_or_insert_with(|| f.name.clone());
                count += 1;
                if !(f.ring && f.shown) {
                    unseen.push(format!("{name} ({}): {f:?}", screen.name()));
                }
            }
            reached.push(format!("{name} ({}): {count}", screen.name()));
        }
        // A page Tab leaves after a few stops would prove nothing.
        assert!(
            reached.iter().filter(|r| !r.ends_with(": 0")).count() == reached.len(),
            "Tab reached nothing on some pages: {reached:?}"
        );
    }
    s.end().await;
    println!("focus stops per page type: {}", reached.join(", "));
    assert!(unseen.is_empty(), "focus not visible on:\n{}", unseen.join("\n"));
}

/// Landmarks and headings of the page, as a list of problems.
const STRUCTURE: &str = r#"(() => {
    const problems = [];
    const top = el => !el.parentElement.closest('main, article, aside, nav, section, [role=main]');
    const mains = document.querySelectorAll('main, [role=main]');
    if (mains.length !== 1) problems.push(mains.length + ' main landmarks');
    const banners = [...document.querySelectorAll('header, [role=banner]')].filter(top);
    const footers = [...document.querySelectorAll('footer, [role=contentinfo]')].filter(top);
    if (banners.length !== 1) problems.push(banners.length + ' banners');
    if (footers.length > 1) problems.push(footers.length + ' footers');
    const before = (a, b) => a && b && (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (banners[0] && mains[0] && !before(banners[0], mains[0])) problems.push('the banner comes after main');
    if (footers[0] && mains[0] && !before(mains[0], footers[0])) problems.push('the footer comes before main');
    const names = new Set();
    document.querySelectorAll('nav, [role=navigation]').forEach(n => {
        if (n.hidden) return;
        const name = n.getAttribute('aria-label') ||
            (n.getAttribute('aria-labelledby') && document.getElementById(n.getAttribute('aria-labelledby'))?.textContent);
        if (!name) problems.push('a navigation without a name: ' + n.outerHTML.slice(0, 80));
        else if (names.has(name)) problems.push('two navigations named ' + name);
        names.add(name);
    });
    const hs = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(h => h.getClientRects().length > 0);
    const h1 = hs.filter(h => h.tagName === 'H1');
    if (h1.length !== 1) problems.push(h1.length + ' h1');
    if (hs.length && hs[0].tagName !== 'H1') problems.push('the first heading is ' + hs[0].tagName + ' ' + hs[0].textContent.trim());
    let level = 1;
    hs.forEach(h => {
        const l = Number(h.tagName[1]);
        if (l > level + 1) problems.push('h' + level + ' then ' + h.tagName + ' "' + h.textContent.trim().slice(0, 50) + '"');
        level = l;
    });
    return problems;
})()"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn landmarks_and_headings_in_order_on_every_page_type() {
    let Some(exe) = chromium() else { return };
    let _one = BROWSER.lock().await;
    let s = Session::start(&exe).await;
    set_screen(&s.page, Screen::Desktop).await;
    let mut problems = Vec::new();
    for (name, url, ready) in page_types() {
        visit(&s.page, &url, ready).await;
        for p in eval::<Vec<String>>(&s.page, STRUCTURE).await {
            problems.push(format!("{name}: {p}"));
        }
    }
    s.end().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
