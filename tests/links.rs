//! `vigie check links` on internal links: fixture knowledge bases where pages
//! moved and headings were renamed (French anchors), Hugo and mdBook link
//! styles, the four report formats, exit codes, and the real corpora.

mod common;

use std::path::Path;
use std::process::Output;

use common::{build, check, corpus, fixture, stderr, stdout, vigie};
use serde_json::Value;

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(o), stderr(o)))
}

/// `(file:line:col, rule)` of every finding of a JSON report.
fn places(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                format!("{}:{}:{}", f["page"].as_str().unwrap(), f["line"], f["col"]),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn moved_pages_and_renamed_headings_get_one_annotation_each() {
    let out = check(
        "links",
        &fixture("links-moved"),
        &["--offline", "--format", "github"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let expected = "\
::error file=doc/procedures/evacuer.md,line=20,col=1,title=broken-link::link `../openstack/nova.md`: no such page or file (looked for `doc/openstack/nova.md`) — did you mean `../environnements/openstack/nova.md` (Nova)?
::error file=doc/procedures/evacuer.md,line=21,col=1,title=broken-link::link `/doc/openstack/`: no such page or file (looked for `doc/openstack`) — did you mean `/doc/environnements/openstack/` (OpenStack)?
::error file=doc/procedures/evacuer.md,line=22,col=1,title=broken-anchor::no anchor `#redémarrer-nova-compute` in `doc/environnements/openstack/nova.md` — did you mean `../environnements/openstack/nova.md#redémarrer-nova-compute-sur-un-hyperviseur`?
::error file=doc/procedures/evacuer.md,line=23,col=1,title=broken-anchor::no anchor `#étape` on this page — did you mean `#étapes`?
::error file=doc/procedures/evacuer.md,line=24,col=1,title=broken-link::link `brouillon.md`: `doc/procedures/brouillon.md` is not a page of the site (a draft, or excluded in vigie.toml)
::error file=doc/procedures/evacuer.md,line=26,col=11,title=broken-link::link `schema.svg`: no such page or file (looked for `doc/procedures/schema.svg`) — did you mean `../images/schema.svg`?
::error file=doc/procedures/evacuer.md,line=28,col=1,title=javascript-link::`javascript:location.reload()`: `javascript:` links are not allowed (they run code instead of going somewhere) — link to a page, an anchor or a URL instead
::error file=doc/procedures/evacuer.md,line=30,col=29,title=broken-link::link `../openstack/nova.md`: no such page or file (looked for `doc/openstack/nova.md`) — did you mean `../environnements/openstack/nova.md` (Nova)?
";
    assert_eq!(stdout(&out), expected);
}

#[test]
fn json_report_keeps_the_documented_shape() {
    let out = check(
        "links",
        &fixture("links-moved"),
        &["--offline", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // keys in the order DESIGN.md gives them
    let order: Vec<usize> = [
        "\"rule\"",
        "\"severity\"",
        "\"page\"",
        "\"line\"",
        "\"target\"",
        "\"message\"",
    ]
    .iter()
    .map(|k| text.find(k).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    let report = json(&out);
    assert_eq!(report["summary"]["errors"], 8);
    assert_eq!(report["summary"]["warnings"], 0);
    assert_eq!(
        report["summary"]["links"], 18,
        "every link was looked at, good ones included"
    );
    let anchor = &report["findings"][2];
    assert_eq!(anchor["rule"], "broken-anchor");
    assert_eq!(
        anchor["target"],
        "../environnements/openstack/nova.md#redémarrer-nova-compute"
    );
    assert_eq!(
        anchor["suggestion"],
        "did you mean `../environnements/openstack/nova.md#redémarrer-nova-compute-sur-un-hyperviseur`?"
    );
}

#[test]
fn junit_report_has_one_failure_per_broken_link() {
    let out = check(
        "links",
        &fixture("links-moved"),
        &["--offline", "--format", "junit"],
    );
    let xml = stdout(&out);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{xml}"
    );
    assert!(
        xml.contains("<testsuite name=\"links\" tests=\"8\" failures=\"8\">"),
        "{xml}"
    );
    assert_eq!(xml.matches("<failure ").count(), 8);
    assert!(xml.contains(
        "<testcase name=\"broken-anchor: #étape\" classname=\"doc/procedures/evacuer.md\" file=\"doc/procedures/evacuer.md\" line=\"23\">"
    ));
}

#[test]
fn text_report_is_grouped_by_file() {
    let out = check("links", &fixture("links-mdbook"), &["--offline"]);
    assert_eq!(out.status.code(), Some(1));
    let expected = "\
src/exploitation/sauvegardes.md
  src/exploitation/sauvegardes.md:7:31 error: no anchor `#vérification` in `src/exploitation/restauration.md` [broken-anchor]
      help: did you mean `restauration.md#vérifier-la-restauration`?
  src/exploitation/sauvegardes.md:9:5 error: link `notes.md`: `src/exploitation/notes.md` is not a chapter of the book (not listed in SUMMARY.md, or a draft) [broken-link]

src/partages/avertissement.md
  src/partages/avertissement.md:3:3 error: link `../politique.md`: no such page or file (looked for `src/politique.md`) (in a file included by src/exploitation/sauvegardes.md) [broken-link]

3 error(s), 0 warning(s), 9 links, 4 pages
";
    assert_eq!(stdout(&out), expected);
}

/// mdBook: `.md` and `.html` links, `index.html` for a `README.md`, anchors
/// with accents; a link inside an included file is reported in that file.
#[test]
fn mdbook_link_styles_resolve() {
    let out = check(
        "links",
        &fixture("links-mdbook"),
        &["--offline", "--format", "json"],
    );
    let report = json(&out);
    assert_eq!(
        places(&report),
        [
            (
                "src/exploitation/sauvegardes.md:7:31".into(),
                "broken-anchor".into()
            ),
            ("src/exploitation/sauvegardes.md:9:5".into(), "broken-link".into()),
            ("src/partages/avertissement.md:3:3".into(), "broken-link".into()),
        ]
    );
}

/// Hugo: `/docs/x/` and lowercased URLs, `ref`/`relref` (relative to the page,
/// then to `content/`, or a unique file name), `static/` files, page bundles.
#[test]
fn hugo_link_styles_resolve() {
    let out = check(
        "links",
        &fixture("links-hugo"),
        &["--offline", "--format", "json"],
    );
    let report = json(&out);
    assert_eq!(
        places(&report),
        [
            (
                "content/runbooks/node/NodeDiskFull.md:13:33".into(),
                "broken-link".into()
            ),
            (
                "content/runbooks/node/NodeDiskFull.md:14:26".into(),
                "broken-anchor".into()
            ),
        ],
        "{report:#}"
    );
    assert_eq!(report["findings"][0]["target"], "NodeFilesystemGone.md");
    assert_eq!(
        report["findings"][1]["suggestion"],
        "did you mean `/runbooks/node/NodeInodesFull.md#diagnostique`?"
    );
    assert_eq!(report["summary"]["links"], 14);
}

#[test]
fn a_clean_knowledge_base_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.md"),
        "# Accueil\n\n## Procédures d'urgence\n\nVoir [la procédure](procedure.md#étape-1--couper) et [ici](#procédures-durgence).\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("procedure.md"),
        "# Procédure\n\n## Étape 1 : couper\n",
    )
    .unwrap();
    let out = check("links", dir.path(), &["--offline"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "0 error(s), 0 warning(s), 2 links, 2 pages\n");
}

#[test]
fn build_stops_on_the_same_findings() {
    let out_dir = tempfile::tempdir().unwrap();
    let site = out_dir.path().join("site");
    let out = build(&fixture("links-moved"), &site, &["--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.exists(), "nothing written on broken links");
    let checked = check(
        "links",
        &fixture("links-moved"),
        &["--offline", "--format", "github"],
    );
    for line in stdout(&checked).lines() {
        assert!(stderr(&out).contains(line), "build misses {line}");
    }
}

#[test]
fn include_and_exclude_pick_the_links() {
    let only = check(
        "links",
        &fixture("links-moved"),
        &["--offline", "--format", "json", "--include", "openstack"],
    );
    let rules: Vec<String> = places(&json(&only)).into_iter().map(|(_, r)| r).collect();
    assert_eq!(
        rules,
        ["broken-link", "broken-link", "broken-anchor", "broken-link"]
    );

    let skipped = check(
        "links",
        &fixture("links-moved"),
        &[
            "--offline",
            "--format",
            "json",
            "--exclude",
            "openstack",
            "--exclude",
            "^javascript:",
        ],
    );
    assert_eq!(json(&skipped)["summary"]["errors"], 3);
}

#[test]
fn bad_input_exits_two_with_a_clear_message() {
    let out = check("links", &fixture("links-moved"), &["--offline", "--exclude", "("]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--exclude: bad regular expression `(`"),
        "{}",
        stderr(&out)
    );

    let out = check("links", Path::new("/nonexistent/kb"), &["--offline"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/kb"), "{}", stderr(&out));

    let out = vigie(&["check", "links", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Every internal link that works with the corpus's own tool (mdBook, GitHub,
/// Hugo) resolves for vigie. What remains is genuinely odd in the corpus.
#[test]
fn real_corpora_resolve_like_their_own_tools() {
    for (name, warnings) in [
        // includes outside the book root and a `{{#playground}}` whose file was left out
        ("mdbook-guide/guide", 3),
        // four `[text](link:https://access.redhat.com)` (AsciiDoc syntax in Markdown)
        ("openshift-runbooks", 4),
        ("prometheus-operator-runbooks", 0),
    ] {
        let Some(root) = corpus(name) else { return };
        let out = check("links", &root, &["--offline", "--format", "json"]);
        let report = json(&out);
        assert_eq!(out.status.code(), Some(0), "{name}: {report:#}");
        assert_eq!(report["summary"]["errors"], 0, "{name}: {report:#}");
        assert_eq!(report["summary"]["warnings"], warnings, "{name}: {report:#}");
    }
}

#[test]
fn a_link_to_a_file_vigie_toml_leaves_out_is_broken_and_says_why() {
    let (tmp, kb) = common::small_site(&[
        ("vigie.toml", "exclude = [\"brouillons/**\", \"*.tmp\"]\n"),
        (
            "index.md",
            "# Accueil\n\n[b](brouillons/a.md) [t](notes.tmp) [ok](autre.md)\n",
        ),
        ("brouillons/a.md", "# A\n"),
        ("notes.tmp", "x"),
        ("autre.md", "# Autre\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for (col, target) in [(1, "brouillons/a.md"), (22, "notes.tmp")] {
        assert!(
            err.contains(&format!(
                "index.md:3:{col} warning: link `{target}`: `{target}` is left out of the site by `exclude` in vigie.toml"
            )),
            "{target}: {err}"
        );
    }
    assert!(!err.contains("autre.md"), "{err}");
    assert!(!out.join("notes.tmp").exists() && !out.join("brouillons").exists());
}
