//! Helpers shared by the integration tests: run the real `vigie` binary on a
//! copy of a fixture knowledge base, and find the parts of the machine some
//! tests need (Chromium, a Kubernetes API server, the shared corpora) under
//! one rule, [`need`].
#![allow(dead_code)]

pub mod http;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A `vigie serve` a test started, stopped when the test ends as a reader
/// stops it (SIGTERM: it removes its private folder), or killed if it has
/// not stopped within 10 s.
pub struct Serving(pub std::process::Child);

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(pid) = rustix::process::Pid::from_raw(self.0.id() as i32) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if !matches!(self.0.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The repository's `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh temporary copy of fixture `name`, so tests may change it.
pub fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dst = tmp.path().join(name);
    copy_dir(&fixture(name), &dst);
    (tmp, dst)
}

/// A knowledge base written for one test: each of `files` (its path in the
/// knowledge base, its text), folders made as needed, in `kb/` of a fresh
/// temporary folder (where the test may write the site too).
pub fn small_site(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).expect("the knowledge base's folder");
    for (rel, text) in files {
        let path = kb.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the file's folder");
        }
        std::fs::write(&path, text).expect("write the file");
    }
    (tmp, kb)
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(src).expect("inside fixture");
        let to = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
}

/// The `vigie` binary under test, without colours; add arguments and
/// environment, then run it.
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs `vigie ARGS…` and returns its output.
pub fn vigie(args: &[&str]) -> Output {
    command().args(args).output().expect("run vigie")
}

/// `build KB -o OUT EXTRA…`: the arguments of a build, for [`vigie`] or a
/// [`command`] that needs its own environment.
pub fn build_args<'a>(kb: &'a Path, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["build", utf8(kb), "-o", utf8(out)];
    args.extend_from_slice(extra);
    args
}

/// Runs `vigie build KB -o OUT EXTRA…`.
pub fn build(kb: &Path, out: &Path, extra: &[&str]) -> Output {
    vigie(&build_args(kb, out, extra))
}

/// `check WHAT ROOT EXTRA…` (WHAT: `links` or `freshness`): the arguments of a check.
pub fn check_args<'a>(what: &'a str, root: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["check", what, utf8(root)];
    args.extend_from_slice(extra);
    args
}

/// Runs `vigie check WHAT ROOT EXTRA…`.
pub fn check(what: &str, root: &Path, extra: &[&str]) -> Output {
    vigie(&check_args(what, root, extra))
}

fn utf8(path: &Path) -> &str {
    path.to_str()
        .unwrap_or_else(|| panic!("{} is not UTF-8", path.display()))
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Reads a file of a built site.
pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Whether the tests run in CI: `CI` is set (to anything but empty, `0` or
/// `false`), as CI services and `.ci/run` do.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The one rule for a test that needs a part of the machine (Chromium, the
/// Kubernetes API server, the shared corpora, the corpus generator): `part`
/// when it is there. When it is missing, outside CI the test prints
/// `skipped: WHY` and returns (on `None`); in CI it fails with WHY, so a CI
/// run never passes a test that did not run. `scripts/test.sh` provides every
/// part.
pub fn need<T>(part: Option<T>, why: impl FnOnce() -> String) -> Option<T> {
    if part.is_none() {
        let why = why();
        assert!(!in_ci(), "{why} (CI is set: this test must run)");
        eprintln!("skipped: {why}");
    }
    part
}

/// `shared/REL` beside the repository or one of its parent folders (the
/// corpora and tools the team shares), if it exists.
fn shared(rel: &str) -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared").join(rel))
        .find(|p| p.exists())
}

/// The real knowledge base `NAME` written by others: in `VIGIE_CORPORA`, else
/// in `shared/corpora` beside the repository or one of its parents. Missing:
/// see [`need`].
pub fn corpus(name: &str) -> Option<PathBuf> {
    let corpora = match std::env::var_os("VIGIE_CORPORA") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => shared("corpora"),
    };
    let found = corpora.as_ref().map(|c| c.join(name)).filter(|p| p.is_dir());
    need(found, || match corpora {
        Some(c) => format!(
            "real corpus {name} not found in {} (set VIGIE_CORPORA to the folder holding it)",
            c.display()
        ),
        None => format!(
            "real corpus {name} not found: no shared/corpora beside the repository (set VIGIE_CORPORA)"
        ),
    })
}

/// The corpus generator `shared/bench/gen_corpus.py` (or `VIGIE_GEN_CORPUS`).
/// Missing: see [`need`].
pub fn corpus_generator() -> Option<PathBuf> {
    let found = match std::env::var_os("VIGIE_GEN_CORPUS") {
        Some(p) => Some(PathBuf::from(p)),
        None => shared("bench/gen_corpus.py"),
    }
    .filter(|p| p.is_file());
    need(found, || {
        "gen_corpus.py not found in ../shared/bench (set VIGIE_GEN_CORPUS)".to_string()
    })
}

/// A knowledge base of `pages` generated pages in `kb`, by the corpus
/// generator (`None`, or a failed test under `CI`, without it: see [`need`]).
pub fn generated_corpus(kb: &Path, pages: usize) -> Option<()> {
    let generator = corpus_generator()?;
    let status = std::process::Command::new("python3")
        .arg(&generator)
        .arg(kb)
        .args(["--pages", &pages.to_string()])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs gen_corpus.py");
    assert!(status.success(), "gen_corpus.py failed");
    Some(())
}

/// The kubeconfig of the test Kubernetes API server, `VIGIE_TEST_KUBECONFIG`
/// (`scripts/test.sh` starts the server and sets it). Missing: see [`need`].
pub fn kubeconfig() -> Option<PathBuf> {
    need(
        std::env::var_os("VIGIE_TEST_KUBECONFIG").map(PathBuf::from),
        || {
            "VIGIE_TEST_KUBECONFIG is not set (scripts/test.sh starts a Kubernetes API server and sets it)"
                .to_string()
        },
    )
}

/// A client of the test API server that `kubeconfig` names, on `rt`.
pub fn kube_client(kubeconfig: &Path, rt: &tokio::runtime::Runtime) -> kube::Client {
    rt.block_on(async {
        let kc = kube::config::Kubeconfig::read_from(kubeconfig).expect("readable kubeconfig");
        let cfg = kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
            .await
            .expect("kubeconfig");
        kube::Client::try_from(cfg).expect("client")
    })
}

/// The Chromium the browser tests drive: `VIGIE_TEST_CHROMIUM`, else
/// /usr/bin/chromium (`scripts/test.sh` installs it). Missing: see [`need`].
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("VIGIE_TEST_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let found = Some(path.clone()).filter(|p| p.is_file());
    need(found, || {
        format!(
            "Chromium not found at {} (set VIGIE_TEST_CHROMIUM, or run scripts/test.sh, which installs it)",
            path.display()
        )
    })
}

/// Every file below `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

/// The text of an HTML fragment, tags removed and the usual entities decoded
/// (highlighted code is split in many `<span>`s).
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The sidebar of the built page at `page`: from `id="sidebar"` to the
/// end of its `<nav>`.
pub fn sidebar(page: impl AsRef<Path>) -> String {
    let html = read(page);
    let at = html.find("id=\"sidebar\"").expect("a sidebar");
    let end = at + html[at..].find("</nav>").expect("its end");
    html[at..end].to_string()
}

/// Panics unless each of `order` is in `html` after the one before it.
pub fn assert_in_order(html: &str, order: &[&str]) {
    let mut rest = html;
    for want in order {
        let at = rest
            .find(want)
            .unwrap_or_else(|| panic!("{want} after the previous entry in {html}"));
        rest = &rest[at..];
    }
}

/// How deep the entry `title` is in `sidebar`: 1 at the top.
pub fn nav_depth(sidebar: &str, title: &str) -> usize {
    let at = sidebar
        .find(&format!(">{title}<"))
        .unwrap_or_else(|| panic!("{title} in {sidebar}"));
    sidebar[..at].matches("<ul").count() - sidebar[..at].matches("</ul>").count()
}

/// Commits everything in `root` (a new repository) on `date`.
pub fn commit_all_on(root: &Path, date: &str) {
    let stamp = format!("{date}T10:00:00Z");
    for args in [&["init", "-q"][..], &["add", "."], &["commit", "-qm", "kb"]] {
        let ok = Command::new("git")
            .args(args)
            .current_dir(root)
            .env("GIT_AUTHOR_DATE", &stamp)
            .env("GIT_COMMITTER_DATE", &stamp)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    }
}

/// One request a [`Webhook`] received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub body: serde_json::Value,
}

/// A chat webhook on 127.0.0.1 that records every request. It answers `200`,
/// or `500` to a request whose body contains a text given to [`Webhook::refuse`].
pub struct Webhook {
    pub url: String,
    _server: http::Server,
    received: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
    refused: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Webhook {
    pub fn start() -> Webhook {
        use std::sync::{Arc, Mutex};
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let refused: Arc<Mutex<Vec<String>>> = Arc::default();
        let server = {
            let (received, refused) = (received.clone(), refused.clone());
            http::Server::start(move |request| {
                let body = request.body_text();
                let refuse = refused.lock().unwrap().iter().any(|t| body.contains(t.as_str()));
                received.lock().unwrap().push(Received {
                    method: request.method.clone(),
                    path: request.url.clone(),
                    authorization: request.header("Authorization").map(str::to_string),
                    body: serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)),
                });
                if refuse {
                    http::Response::new(500, "channel_is_archived")
                } else {
                    http::Response::new(200, "ok")
                }
            })
        };
        Webhook {
            url: format!("{}/services/T0/B0/secret-hook-path", server.base()),
            _server: server,
            received,
            refused,
        }
    }

    /// Every request so far, and forgets them.
    pub fn take(&self) -> Vec<Received> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }

    /// From now on, answers `500` to requests whose body contains `text`.
    pub fn refuse(&self, text: &str) {
        self.refused.lock().unwrap().push(text.to_string());
    }

    /// Answers every request again.
    pub fn accept_all(&self) {
        self.refused.lock().unwrap().clear();
    }
}

/// axe-core's `axe.min.js`, the accessibility engine the browser tests run
/// in each page: `VIGIE_TEST_AXE`, else the npm cache `scripts/test.sh`
/// installs it into (`~/.cache/vigie/npm`). Missing: see [`need`].
pub fn axe() -> Option<PathBuf> {
    let path = match std::env::var_os("VIGIE_TEST_AXE") {
        Some(p) => PathBuf::from(p),
        None => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(".cache/vigie/npm/node_modules/axe-core/axe.min.js"),
    };
    let found = Some(path.clone()).filter(|p| p.is_file());
    need(found, || {
        format!(
            "axe-core not found at {} (set VIGIE_TEST_AXE, or run scripts/test.sh, which installs it with npm)",
            path.display()
        )
    })
}
