//! The `alerts/<AlertName>` pages of a built site, in headless Chromium: every
//! one lands on its alert's runbook — from `file://` for the real corpus pair
//! (kube-prometheus rules, Prometheus Operator runbooks), and through
//! `vigie serve` for the fixture, where alerts have anchors. The in-site
//! search puts an alert's runbook first for its exact name.
//!
//! Needs Chromium (`VIGIE_TEST_CHROMIUM`, default /usr/bin/chromium) and the
//! shared corpora: without them the test fails in CI and is skipped elsewhere.

mod browser_common;
mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use browser_common::{eval, launch, open, wait_for};
use chromiumoxide::page::Page;
use common::{build, chromium, copy_dir, copy_fixture, corpus, stderr};

/// Opens `url` (an alert page) and returns where the browser ends up
/// (`location.href`) once the redirect is done.
async fn landing(page: &Page, url: &str) -> String {
    page.goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    let start = Instant::now();
    loop {
        let href: Option<String> = page
            .evaluate("document.readyState === 'complete' && !location.pathname.includes('/alerts/') ? location.href : null")
            .await
            .ok()
            .and_then(|r| r.into_value().ok());
        if let Some(h) = href {
            return h;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{url} never left the alert page"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Every redirect file of `site/alerts`, with the alert it is for.
fn alert_files(site: &Path) -> Vec<(PathBuf, String)> {
    let alerts = site.join("alerts");
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&alerts).into_iter().flatten() {
        let rel = e
            .path()
            .strip_prefix(&alerts)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if !e.file_type().is_file() || rel == "index.html" {
            continue;
        }
        let name = rel
            .strip_suffix("/index.html")
            .or(rel.strip_suffix(".html"))
            .unwrap()
            .to_string();
        out.push((e.path().to_path_buf(), name));
    }
    out.sort();
    out
}

#[test]
fn every_alert_page_of_the_corpus_lands_on_its_runbook_from_file() {
    let Some(exe) = chromium() else { return };
    let (Some(runbooks), Some(rules)) = (
        corpus("prometheus-operator-runbooks"),
        corpus("kube-prometheus-rules"),
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    copy_dir(&runbooks, &kb);
    std::fs::write(
        kb.join("vigie.toml"),
        format!("[alerts]\nrules = [{:?}]\n", rules.to_str().unwrap()),
    )
    .unwrap();
    let site = tmp.path().join("site");
    let o = build(&kb, &site, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // the runbook of each alert, found here by its file name (any case), as Hugo names them
    let mut runbook_of = std::collections::HashMap::new();
    for e in walkdir::WalkDir::new(kb.join("content")).into_iter().flatten() {
        let rel = e
            .path()
            .strip_prefix(kb.join("content"))
            .unwrap()
            .to_string_lossy()
            .to_string();
        if let Some(stem) = rel.strip_suffix(".md") {
            let name = stem.rsplit('/').next().unwrap().to_lowercase();
            runbook_of.insert(name, site.join(format!("{stem}.html")));
        }
    }
    let files = alert_files(&site);
    // 99 of the 125 alerts have a runbook in this snapshot; four files each
    assert_eq!(files.len(), 99 * 4);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let profile = tempfile::tempdir().unwrap();
        let (mut browser, events) = launch(&exe, profile.path()).await;
        let page = browser.new_page("about:blank").await.unwrap();
        for (file, name) in &files {
            let want = runbook_of
                .get(&name.to_lowercase())
                .unwrap_or_else(|| panic!("no runbook file for {name}"));
            let got = landing(&page, &file_url(file)).await;
            assert_eq!(got, file_url(want), "{}", file.display());
        }
        browser.close().await.unwrap();
        events.abort();
    });
}

/// `vigie serve KB --port 0`: the process and its address.
fn serve(kb: &Path) -> (common::Serving, String) {
    let mut child = common::command()
        .args(["serve", kb.to_str().unwrap(), "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vigie serve");
    let err = child.stderr.take().unwrap();
    let guard = common::Serving(child);
    let mut lines = BufReader::new(err).lines();
    let addr = loop {
        let line = lines.next().expect("serve did not start").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (guard, format!("http://{addr}/"))
}

#[test]
fn alert_pages_land_on_their_anchor_through_serve_and_search_finds_them_first() {
    let Some(exe) = chromium() else { return };
    let (_tmp, kb) = copy_fixture("alerts-kb");
    let (_server, base) = serve(&kb);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let profile = tempfile::tempdir().unwrap();
        let (mut browser, events) = launch(&exe, profile.path()).await;
        let page = browser.new_page("about:blank").await.unwrap();
        let compute = format!("{base}runbooks/nova/compute.html#novacomputedisabled");
        // without the slash (serve redirects the folder), with it, in lower case, as .html
        for path in [
            "alerts/NovaComputeDisabled",
            "alerts/NovaComputeDisabled/",
            "alerts/novacomputedisabled",
            "alerts/novacomputedisabled.html",
        ] {
            assert_eq!(landing(&page, &format!("{base}{path}")).await, compute, "{path}");
        }
        assert_eq!(
            landing(&page, &format!("{base}alerts/KubeNodeNotReady")).await,
            format!("{base}runbooks/KubeNodeNotReady.html")
        );
        // the alerts index, from the home page
        open(&page, &base).await;
        let index: String = eval(&page, "document.querySelector('a[href=\"alerts/index.html\"]').href").await;
        open(&page, &index).await;
        let first: String = eval(&page, "document.querySelector('tbody tr th a').getAttribute('href')").await;
        assert!(first.ends_with("/index.html"), "{first}");
        // in-site search: the exact alert name, any case, finds its runbook first
        open(&page, &base).await;
        wait_for(&page, "document.readyState === 'complete' && !!window.vigieSearch").await;
        for q in ["NovaComputeDisabled", "novacomputedisabled"] {
            let urls: Vec<String> = eval(
                &page,
                &format!("window.vigieSearch.search({q:?}, {{limit: 5}}).then(r => r.map(x => x.url))"),
            )
            .await;
            assert_eq!(urls.first().map(String::as_str), Some("runbooks/nova/compute.html#novacomputedisabled"), "{q}: {urls:?}");
            assert!(urls.iter().any(|u| u == "runbooks/mentions.html"), "{urls:?}");
        }
        // two words: an ordinary search, where the page repeating the name wins
        let urls: Vec<String> = eval(
            &page,
            "window.vigieSearch.search('novacomputedisabled novacomputedisabled', {limit: 5}).then(r => r.map(x => x.url))",
        )
        .await;
        assert_eq!(urls.first().map(String::as_str), Some("runbooks/mentions.html"), "{urls:?}");
        browser.close().await.unwrap();
        events.abort();
    });
}
