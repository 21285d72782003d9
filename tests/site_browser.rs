//! The demo site (`runbooks/`) as people use it, in headless Chromium from
//! `file://`: every page type passes axe-core with no serious or critical
//! violation in the light and the dark theme; the keyboard alone reaches
//! everything; a 360-px phone scrolls no page sideways and its navigation
//! drawer holds the focus; the theme follows the system and the reader's
//! choice; print leaves the chrome out. The run also reports each page
//! type's CSS + JS weight and writes screenshots (desktop and phone, light
//! and dark) into a folder it prints.
//!
//! Needs Chromium (`VIGIE_TEST_CHROMIUM`, default /usr/bin/chromium) and
//! axe-core (`VIGIE_TEST_AXE`, default the npm cache of `scripts/test.sh`).
//! Without them the tests fail in CI and are skipped elsewhere.

mod browser_common;
mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use browser_common::{Screen, Violation, axe, launch, open, set_dark, set_screen, wait_for};
use chromiumoxide::page::Page;
use common::{build, chromium, copy_dir, stderr};

/// The page types of the site: (name, URL relative to the site root, what
/// must be on it before it is judged).
const PAGE_TYPES: &[(&str, &str, &str)] = &[
    ("home", "index.html", "true"),
    ("section", "runbooks/index.html", "true"),
    ("page", "runbooks/kubernetes/noeud-notready.html", "true"),
    ("tag", "tags/rabbitmq.html", "true"),
    ("tags", "tags/index.html", "true"),
    (
        "search",
        "search.html?q=noeud%20notready",
        "document.querySelectorAll('#search-page-results .search-hit').length > 0",
    ),
    ("course", "training/integration-benevoles/index.html", "true"),
    (
        "course-print",
        "training/integration-benevoles/print.html",
        "true",
    ),
    ("courses", "courses.html", "true"),
    ("freshness", "freshness.html", "true"),
    ("404", "404.html", "true"),
    ("alerts", "alerts/index.html", "true"),
];

/// The demo built once for the whole run, in the test's scratch folder.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("site_browser");
        let _ = std::fs::remove_dir_all(scratch.join("kb"));
        let kb = scratch.join("kb");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks"), &kb);
        let out = scratch.join("site");
        let o = build(&kb, &out, &[]);
        assert!(o.status.success(), "vigie build failed: {}", stderr(&o));
        out
    })
}

/// The page types the built demo has (the alerts index only when alerts
/// are configured), as (name, `file://` URL, ready condition).
fn page_types() -> Vec<(&'static str, String, &'static str)> {
    let site = site();
    PAGE_TYPES
        .iter()
        .filter(|(_, rel, _)| site.join(rel.split('?').next().unwrap()).is_file())
        .map(|(name, rel, ready)| (*name, format!("file://{}/{rel}", site.display()), *ready))
        .collect()
}

/// One browser at a time: the machine running the suite may be small.
static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A headless Chromium with a fresh profile and one page.
struct Session {
    _profile: tempfile::TempDir,
    browser: chromiumoxide::Browser,
    events: tokio::task::JoinHandle<()>,
    page: Page,
}

impl Session {
    async fn start(exe: &Path) -> Session {
        let profile = tempfile::tempdir().unwrap();
        let (browser, events) = launch(exe, profile.path()).await;
        let page = browser.new_page("about:blank").await.expect("new page");
        Session {
            _profile: profile,
            browser,
            events,
            page,
        }
    }

    async fn end(mut self) {
        self.browser.close().await.ok();
        let _ = self.browser.wait().await;
        self.events.abort();
    }
}

/// Opens `url` and waits until `ready` holds.
async fn visit(page: &Page, url: &str, ready: &str) {
    open(page, url).await;
    wait_for(page, ready).await;
}

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
