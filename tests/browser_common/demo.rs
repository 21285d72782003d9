//! The demo knowledge base (`runbooks/`) built once per test binary, its
//! page types, and a browser session to look at them.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chromiumoxide::page::Page;

use super::{launch, open, wait_for};
use crate::common::{build, copy_dir, stderr};

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
pub fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join(env!("CARGO_CRATE_NAME"));
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
pub fn page_types() -> Vec<(&'static str, String, &'static str)> {
    let site = site();
    PAGE_TYPES
        .iter()
        .filter(|(_, rel, _)| site.join(rel.split('?').next().unwrap()).is_file())
        .map(|(name, rel, ready)| (*name, format!("file://{}/{rel}", site.display()), *ready))
        .collect()
}

/// One browser at a time: the machine running the suite may be small.
pub static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A headless Chromium with a fresh profile and one page.
pub struct Session {
    _profile: tempfile::TempDir,
    browser: chromiumoxide::Browser,
    events: tokio::task::JoinHandle<()>,
    pub page: Page,
}

impl Session {
    pub async fn start(exe: &Path) -> Session {
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

    pub async fn end(mut self) {
        self.browser.close().await.ok();
        let _ = self.browser.wait().await;
        self.events.abort();
    }
}

/// Opens `url` and waits until `ready` holds.
pub async fn visit(page: &Page, url: &str, ready: &str) {
    open(page, url).await;
    wait_for(page, ready).await;
}

/// The `file://` URL of `rel` (a path of the built site, `?query` allowed).
pub fn url(rel: &str) -> String {
    format!("file://{}/{rel}", site().display())
}

/// The URL and ready condition of page type `name`.
pub fn page_type(name: &str) -> (String, &'static str) {
    page_types()
        .into_iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, url, ready)| (url, ready))
        .unwrap_or_else(|| panic!("no page type {name}"))
}

/// Where the screenshots go: `VIGIE_SCREENSHOTS`, else a folder of the
/// build's scratch space (never the repository).
pub fn screenshot_dir() -> PathBuf {
    std::env::var_os("VIGIE_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots"))
}
