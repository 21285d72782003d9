//! Helpers shared by the search tests: a scratch copy of a knowledge base
//! (indexes are written beside the sources, in `.vigie/`), and the
//! evaluation set with its scoring.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `src` in a fresh temporary folder.
pub fn copy_kb(src: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().to_string());
        if matches!(first.as_deref(), Some(".vigie") | Some("site")) {
            continue;
        }
        let to = tmp.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    tmp
}

/// One query of `tests/search-eval.toml`.
#[derive(Debug, Deserialize)]
pub struct Case {
    pub q: String,
    /// Source file of the expected page, relative to the knowledge-base root.
    pub page: String,
    /// Anchor of the expected section; `""` for the top of the page; absent: any section.
    pub section: Option<String>,
    pub why: String,
}

#[derive(Deserialize)]
struct EvalFile {
    query: Vec<Case>,
}

pub fn cases() -> Vec<Case> {
    let path = repo().join("tests/search-eval.toml");
    let text = std::fs::read_to_string(&path).expect("read tests/search-eval.toml");
    toml::from_str::<EvalFile>(&text)
        .expect("parse tests/search-eval.toml")
        .query
}

/// The site URL of a page of a folder-layout knowledge base.
pub fn url_of(source: &str) -> String {
    let s = source.strip_suffix(".md").unwrap_or(source);
    let s = s
        .strip_suffix("_index")
        .map(|d| format!("{d}index"))
        .unwrap_or(s.to_string());
    format!("{s}.html")
}

/// Where the expected result is among `results` (site URLs with their
/// `#anchor`), 1-based, in the first five.
pub fn rank(case: &Case, results: &[String]) -> Option<usize> {
    let want = url_of(&case.page);
    results
        .iter()
        .take(5)
        .position(|r| {
            let (page, anchor) = r.split_once('#').unwrap_or((r.as_str(), ""));
            page == want && case.section.as_deref().is_none_or(|s| s == anchor)
        })
        .map(|i| i + 1)
}

/// Top-1 accuracy and MRR@5 of `ranks`, printed with the failures.
pub fn report(engine: &str, cases: &[Case], ranks: &[Option<usize>], got: &[Vec<String>]) -> (f64, f64) {
    let n = ranks.len() as f64;
    let top1 = ranks.iter().filter(|r| **r == Some(1)).count() as f64 / n;
    let mrr = ranks
        .iter()
        .map(|r| r.map_or(0.0, |k| 1.0 / k as f64))
        .sum::<f64>()
        / n;
    println!(
        "{engine}: {} queries, top-1 accuracy {:.3}, MRR@5 {:.3}",
        ranks.len(),
        top1,
        mrr
    );
    for ((case, rank), results) in cases.iter().zip(ranks).zip(got) {
        if *rank != Some(1) {
            let want = match &case.section {
                Some(s) => format!("{}#{s}", url_of(&case.page)),
                None => url_of(&case.page),
            };
            println!(
                "  rank {:>4}  {:?} ({}): want {want}, got {:?}",
                rank.map_or("-".to_string(), |r| r.to_string()),
                case.q,
                case.why,
                results.iter().take(3).collect::<Vec<_>>()
            );
        }
    }
    (top1, mrr)
}
