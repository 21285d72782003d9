//! The generated corpus (`shared/bench/gen_corpus.py`) lists the links it broke
//! on purpose in `corpus-manifest.json`; `vigie check links --offline` must
//! report exactly those: no more, no fewer.
//!
//! `generated_1000_pages` runs in every test run. The 10,000-page benchmark is
//! ignored by default; run it in release mode:
//!
//! ```text
//! cargo test --release --test links_corpus -- --ignored --nocapture
//! ```
//! (`VIGIE_CORPUS=/tmp/corpus10k` reuses an already generated corpus.)
//! Without the generator the tests fail in CI and are skipped elsewhere.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{check, corpus_generator, stderr};
use serde_json::Value;

/// A corpus of `pages` pages: `VIGIE_CORPUS` when set, else generated in `tmp`.
fn corpus(pages: usize, tmp: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::env::var("VIGIE_CORPUS") {
        return Some(p.into());
    }
    let generator = corpus_generator()?;
    let out = tmp.join("corpus");
    let status = Command::new("python3")
        .arg(&generator)
        .arg(&out)
        .args(["--pages", &pages.to_string()])
        .status()
        .expect("python3 runs gen_corpus.py");
    assert!(status.success());
    Some(out)
}

/// (page, link) → how many times, for the manifest and for vigie's report.
type Links = BTreeMap<(String, String), usize>;

fn manifest(corpus: &Path) -> Links {
    let text = std::fs::read_to_string(corpus.join("corpus-manifest.json")).unwrap();
    let manifest: Value = serde_json::from_str(&text).unwrap();
    let mut out = Links::new();
    for b in manifest["broken"].as_array().unwrap() {
        let key = (
            b["from"].as_str().unwrap().to_string(),
            b["href"].as_str().unwrap().to_string(),
        );
        *out.entry(key).or_default() += 1;
    }
    out
}

/// Runs the check; returns what it found and how long it took.
fn check_corpus(corpus: &Path) -> (Links, Value, f64) {
    let started = Instant::now();
    let out = check("links", corpus, &["--offline", "--format", "json"]);
    let seconds = started.elapsed().as_secs_f64();
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(&out)));
    assert_eq!(out.status.code(), Some(1), "broken links fail the check");
    let mut found = Links::new();
    for f in report["findings"].as_array().unwrap() {
        let page = f["page"].as_str().unwrap();
        let key = (
            page.strip_prefix("src/").unwrap_or(page).to_string(),
            f["target"].as_str().unwrap_or("").to_string(),
        );
        *found.entry(key).or_default() += 1;
    }
    (found, report, seconds)
}

fn assert_same(found: &Links, wanted: &Links) {
    let extra: Vec<_> = found
        .iter()
        .filter(|(k, n)| wanted.get(*k) != Some(n))
        .take(10)
        .collect();
    let missing: Vec<_> = wanted
        .iter()
        .filter(|(k, n)| found.get(*k) != Some(n))
        .take(10)
        .collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "reported but not in the manifest: {extra:#?}\nin the manifest but not reported: {missing:#?}"
    );
}

#[test]
fn generated_1000_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(corpus) = corpus(1000, tmp.path()) else {
        return;
    };
    let (found, report, _) = check_corpus(&corpus);
    let wanted = manifest(&corpus);
    assert!(
        wanted.values().sum::<usize>() > 100,
        "the corpus breaks links on purpose"
    );
    assert_same(&found, &wanted);
    // Each finding says which way it is broken.
    for f in report["findings"].as_array().unwrap() {
        let target = f["target"].as_str().unwrap();
        let rule = if target.contains("#section-fantome-") {
            "broken-anchor"
        } else {
            "broken-link"
        };
        assert_eq!(f["rule"], rule, "{f}");
    }
}

#[test]
#[ignore = "benchmark: 10,000 pages, run in release mode"]
fn generated_10000_pages_benchmark() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(corpus) = corpus(10_000, tmp.path()) else {
        return;
    };
    let (found, report, seconds) = check_corpus(&corpus);
    let wanted = manifest(&corpus);
    assert_same(&found, &wanted);
    eprintln!(
        "{} pages, {} links, {} broken links found as listed, in {seconds:.2}s (load + render + check)",
        report["summary"]["pages"],
        report["summary"]["links"],
        found.values().sum::<usize>()
    );
}
