//! Real knowledge bases: the three corpora written by others (../shared/corpora;
//! without them these tests fail in CI and are skipped elsewhere), the bundled
//! demo (runbooks/) and vigie's own guide (book/) build with every internal
//! link resolving.

mod common;

use common::*;

fn build_clean(root: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(root, &out, &["--format", "json"]);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{} did not build cleanly:\n{err}",
        root.display()
    );
    let json_end = err.rfind("}\n").map(|i| i + 2).unwrap_or(0);
    let report: serde_json::Value = serde_json::from_str(&err[..json_end]).expect("JSON report");
    assert_eq!(report["summary"]["errors"], 0, "{err}");
    (tmp, out, err)
}

#[test]
fn mdbook_guide_builds_with_its_includes_and_without_running_its_preprocessor() {
    let Some(root) = corpus("mdbook-guide/guide") else {
        return;
    };
    let (_tmp, out, err) = build_clean(&root);
    // the removed example.rs is reported, not fatal
    assert!(err.contains("src/format/mdbook.md"), "{err}");
    assert!(err.contains("include-missing"), "{err}");
    assert!(out.join("index.html").is_file());
    assert!(out.join("format/configuration/renderers.html").is_file());
    let summary = read(root.join("src/SUMMARY.md"));
    let chapters = summary.matches("](").count();
    let pages = files_under(&out)
        .iter()
        .filter(|f| f.ends_with(".html") && !f.starts_with("tags/") && *f != "404.html")
        .count();
    assert!(pages >= chapters - 1, "{pages} pages for {chapters} chapters");
    // `{{#include}}` is expanded: the guide shows its own SUMMARY.md ...
    let text = text_of(&read(out.join("format/summary.html")));
    assert!(!text.contains("{{#include ../SUMMARY.md}}") && text.contains("[Introduction](README.md)"));
    // ... and the escaped `\{{#include file.rs}}` examples stay literal
    let text = text_of(&read(out.join("format/mdbook.html")));
    assert!(text.contains("{{#include file.rs:2:10}}"));
}

#[test]
fn openshift_runbooks_build() {
    let Some(root) = corpus("openshift-runbooks") else {
        return;
    };
    let (_tmp, out, _) = build_clean(&root);
    let pages = files_under(&out)
        .iter()
        .filter(|f| f.starts_with("alerts/") && f.ends_with(".html"))
        .count();
    assert!(pages > 250, "{pages}");
}

#[test]
fn prometheus_operator_hugo_runbooks_build() {
    let Some(root) = corpus("prometheus-operator-runbooks") else {
        return;
    };
    let (_tmp, out, _) = build_clean(&root);
    let home = read(out.join("index.html"));
    assert!(
        home.contains("kube-prometheus runbooks"),
        "title from config.yaml"
    );
    assert!(
        out.join("runbooks/node/nodefilesystemalmostoutofspace.html")
            .is_file()
            || out
                .join("runbooks/node/NodeFilesystemAlmostOutOfSpace.html")
                .is_file()
    );
}

#[test]
fn demo_knowledge_base_builds_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks");
    let (_tmp, out, err) = build_clean(&root);
    assert!(
        !err.contains("\"severity\": \"warning\""),
        "the demo should build without warnings:\n{err}"
    );
    let pages = files_under(&out).iter().filter(|f| f.ends_with(".html")).count();
    assert!(pages >= 35, "{pages}");
}

#[test]
fn user_guide_builds_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    let (_tmp, _out, err) = build_clean(&root);
    assert!(
        !err.contains("\"severity\": \"warning\""),
        "the guide should build without warnings:\n{err}"
    );
}
