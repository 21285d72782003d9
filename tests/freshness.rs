//! `vigie check freshness` and `vigie build` against snapshot files: the
//! example knowledge base in `tests/fixtures/freshness/` checked against a
//! `kubectl get -o json` list and OpenStack API bodies in
//! `tests/fixtures/freshness-state/`.

mod common;

use std::path::Path;
use std::process::Output;

use common::{build, check, fixture, stderr, stdout, vigie};
use serde_json::Value;

fn state(name: &str) -> String {
    fixture("freshness-state").join(name).display().to_string()
}

/// The findings of a JSON report.
fn json_findings(o: &Output) -> Vec<Value> {
    let v: Value = serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)));
    v["findings"].as_array().unwrap().clone()
}

/// `(page:line, rule)` of every finding of a JSON report.
fn findings(o: &Output) -> Vec<(String, String)> {
    json_findings(o)
        .iter()
        .map(|f| {
            (
                format!("{}:{}", f["page"].as_str().unwrap(), f["line"]),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(loc: &str, rule: &str) -> (String, String) {
    (loc.to_string(), rule.to_string())
}

/// HTML as text, whatever escaping style the theme uses for `'` and `/`.
fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
}

fn check_with_snapshots(extra: &[&str]) -> Output {
    let kb = fixture("freshness");
    let kube = state("kube.json");
    let os = state("openstack.json");
    let mut args = vec!["--state", &kube, "--state", &os, "--now", "2026-11-26"];
    args.extend_from_slice(extra);
    check("freshness", &kb, &args)
}

#[test]
fn snapshots_contradict_claims_and_references_with_rule_and_line() {
    let o = check_with_snapshots(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let got = findings(&o);
    let want = vec![
        pair("architecture/gabarits.md:6", "resource-drift"),
        pair("architecture/gabarits.md:12", "changed-since-review"),
        pair("runbooks/ceph/osd.md:1", "missing-owner"),
        pair("runbooks/ceph/osd.md:3", "review-overdue"),
        pair("runbooks/ceph/osd.md:7", "invalid-claim"),
        pair("runbooks/nova/gabarit-supprime.md:6", "resource-drift"),
        pair("runbooks/nova/redemarrer-api.md:7", "changed-since-review"),
        pair("runbooks/nova/redemarrer-api.md:7", "resource-drift"),
        pair("runbooks/nova/redemarrer-api.md:13", "resource-missing"),
    ];
    assert_eq!(got, want);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let drift = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "resource-drift" && f["page"] == "runbooks/nova/redemarrer-api.md")
        .unwrap();
    assert_eq!(drift["target"], "deployment/nova-api -n openstack");
    assert!(
        drift["message"].as_str().unwrap().contains("`replicas` is 2"),
        "{drift}"
    );
    assert_eq!(v["summary"]["errors"], 6);
    assert_eq!(v["summary"]["warnings"], 3);
    // the server named in a command is in no snapshot: not checked, not missing
    assert_eq!(v["summary"]["unchecked"], 1);
}

#[test]
fn text_report_says_what_was_checked_and_helps() {
    let o = check_with_snapshots(&[]);
    let out = stdout(&o);
    assert!(
        out.contains("runbooks/nova/redemarrer-api.md:13 error: `applies_to` names deployment/nova-conductor -n openstack, which does not exist"),
        "{out}"
    );
    assert!(
        out.contains("review the page and set `reviewed: 2026-11-26`"),
        "{out}"
    );
    assert!(stderr(&o).contains("checked against: snapshot"), "{}", stderr(&o));
}

#[test]
fn fail_on_decides_the_exit_code() {
    let kb = fixture("freshness");
    let nova = fixture("freshness/runbooks/nova");
    // only review ages without state: a warning-free page set exits 0 at --fail-on error
    let o = check("freshness", &nova, &["--now", "2026-11-26"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("no platform state"), "{}", stderr(&o));
    // the whole base has an error (stale review) without any state
    let o = check("freshness", &kb, &["--now", "2026-11-26", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!findings(&o).iter().any(|(_, r)| r == "resource-missing"));
    // a year later, the Nova pages are overdue (warnings): only --fail-on warn fails
    let o = check("freshness", &nova, &["--now", "2027-11-15", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        findings(&o).iter().all(|(_, r)| r == "review-overdue"),
        "{}",
        stdout(&o)
    );
    assert!(!findings(&o).is_empty());
    let o = check("freshness", &nova, &["--now", "2027-11-15", "--fail-on", "warn"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn github_and_junit_formats() {
    let o = check_with_snapshots(&["--format", "github"]);
    let out = stdout(&o);
    assert!(
        out.contains("::error file=runbooks/nova/redemarrer-api.md,line=13,title=resource-missing::"),
        "{out}"
    );
    let o = check_with_snapshots(&["--format", "junit"]);
    assert!(stdout(&o).contains("failures=\"6\""), "{}", stdout(&o));
}

#[test]
fn bad_input_is_exit_2_with_a_clear_message() {
    let kb = fixture("freshness");
    let o = check("freshness", &kb, &["--now", "26/11/2026"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("YYYY-MM-DD"), "{}", stderr(&o));

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("state.json");
    std::fs::write(&bad, "{\"flavors\": [\n  {\"name\": \"x\",}\n]}").unwrap();
    let o = check("freshness", &kb, &["--state", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("state.json:2"), "{}", stderr(&o));

    let o = check("freshness", &kb, &["--state", "/nonexistent/state.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/state.json"), "{}", stderr(&o));
}

#[test]
fn secret_data_in_a_snapshot_is_never_shown() {
    let o = check_with_snapshots(&["--format", "json", "--list-references"]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!all.contains("ZmFrZS1kYi1wYXNzd29yZA"), "{all}");
}

#[test]
fn list_references_shows_what_pages_name() {
    let kb = fixture("freshness");
    let o = check("freshness", &kb, &["--list-references"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("runbooks/nova/redemarrer-api.md:29\tcommand\tdeployment/nova-api -n openstack"),
        "{out}"
    );
    assert!(
        out.contains("runbooks/nova/redemarrer-api.md:30\tcommand\tdeployment/nova-scheduler -n openstack"),
        "{out}"
    );
    assert!(
        out.contains("runbooks/nova/gabarit-supprime.md:13\tcommand\topenstack flavor/a2-ram4-disk20-perf1"),
        "{out}"
    );
    // an indented code block, at its own line
    assert!(
        out.contains("architecture/gabarits.md:26\tcommand\topenstack flavor/a2-ram4-disk20-perf1"),
        "{out}"
    );
    // placeholders, variables, file paths, ignored and opted-out pages: nothing
    assert!(
        !out.contains("<pod>") && !out.contains("$NS") && !out.contains("nova.yaml"),
        "{out}"
    );
    assert!(!out.contains("namespace/default"), "{out}");
    assert!(!out.contains("archive.md"), "{out}");
}

#[test]
fn build_shows_badges_banners_dashboard_and_attention() {
    let out = tempfile::tempdir().unwrap();
    let kb = fixture("freshness");
    let kube = state("kube.json");
    let os = state("openstack.json");
    let o = build(&kb, out.path(), &["--state", &kube, "--state", &os]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let read = |p: &str| unescape(&std::fs::read_to_string(out.path().join(p)).unwrap());

    let page = read("runbooks/nova/redemarrer-api.html");
    assert!(page.contains("badge fresh-contradicted"), "badge");
    assert!(page.contains("freshness-banner fresh-contradicted"), "banner");
    assert!(
        page.contains("nova-conductor -n openstack n'existe pas sur le cluster default"),
        "French reason: {}",
        &page[page.find("freshness-banner").unwrap_or(0)..][..600.min(page.len())]
    );

    let fresh = read("runbooks/index.html");
    assert!(
        fresh.contains("badge fresh-fresh"),
        "a fresh page has a fresh badge"
    );
    assert!(!fresh.contains("freshness-banner"));

    let dash = read("freshness.html");
    assert!(dash.contains("Tableau de fraîcheur"));
    // owners, worst first: equipe-openstack has two contradicted pages, "Sans responsable" a stale one
    let openstack = dash
        .find("<h3 id=\"owner-1\">equipe-openstack")
        .expect("worst owner first");
    let alice = dash.find("alice, bob").expect("owner from OWNERS");
    assert!(openstack < alice);
    assert!(dash.contains("Sans responsable"));
    assert!(dash.contains("href=\"runbooks/nova/redemarrer-api.html\""));

    let home = read("index.html");
    let attention = &home[home.find("class=\"attention\"").expect("attention section")..];
    assert!(attention.contains("redemarrer-api.html"));
    assert!(attention.contains("href=\"freshness.html\""));
}

#[test]
fn build_fails_on_an_unreadable_state_and_keeps_the_old_site() {
    let out = tempfile::tempdir().unwrap();
    let kb = fixture("freshness");
    std::fs::write(out.path().join("index.html"), "old").unwrap();
    let o = build(&kb, out.path(), &["--state", "/nonexistent.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(out.path().join("index.html")).unwrap(),
        "old"
    );
}

#[test]
fn review_dates_fall_back_to_git() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("runbooks")).unwrap();
    std::fs::write(root.join("runbooks/a.md"), "---\ntitle: A\nowner: x\n---\ntext\n").unwrap();
    common::commit_all_on(root, "2026-01-10");
    let o = check("freshness", root, &["--now", "2026-05-01"]);
    let out = stdout(&o);
    assert!(
        out.contains("runbooks/a.md:1 warning: last changed in git on 2026-01-10 (no `reviewed:` date): review due since 2026-04-10"),
        "{out}"
    );
}

/// Line of the first line of `file` (under the demo) containing `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {}", file.display()))
        + 1
}

/// The demo names its recorded platform state in its vigie.toml: no option needed.
#[test]
fn demo_runbooks_against_last_nights_snapshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks");
    let o = check("freshness", &root, &["--now", "2026-11-26", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let f = v["findings"].as_array().unwrap();
    let has = |rule: &str, page: &str, target: &str| {
        f.iter()
            .find(|x| {
                x["rule"] == rule && x["page"] == page && x["target"].as_str().unwrap_or("").contains(target)
            })
            .unwrap_or_else(|| panic!("no {rule} on {page} for {target}: {}", stdout(&o)))
            .clone()
    };
    // the Octavia health manager runs as a DaemonSet now
    let octavia = "runbooks/neutron/octavia-load-balancer-error.md";
    let x = has("resource-missing", octavia, "deployment/octavia-health-manager");
    assert_eq!(
        x["line"],
        line_of(&root.join(octavia), "  - deployment/octavia-health-manager")
    );
    assert!(
        x["suggestion"]
            .as_str()
            .unwrap()
            .contains("daemonset/octavia-health-manager")
    );
    // nova-compute was upgraded to 2024.2 after the page was reviewed
    let x = has(
        "resource-drift",
        "runbooks/nova/redemarrer-nova-compute.md",
        "nova-compute-default",
    );
    assert!(x["message"].as_str().unwrap().contains("nova-compute:2024.2"));
    has(
        "changed-since-review",
        "runbooks/nova/redemarrer-nova-compute.md",
        "nova-compute-default",
    );
    // the flavor that should be gone is still there
    has("resource-drift", "architecture/gabarits.md", "flavor/m1.small");
    // a renamed Deployment, with the new name suggested
    let x = has(
        "resource-missing",
        "runbooks/kubernetes/synapse-lent.md",
        "synapse-federation-sender",
    );
    assert!(
        x["suggestion"]
            .as_str()
            .unwrap()
            .contains("synapse-federation-senders")
    );
    assert_eq!(
        v["summary"]["unchecked"], 0,
        "the snapshot covers every reference of the demo"
    );
    assert!(v["summary"]["errors"].as_u64().unwrap() >= 5);
}

/// A knowledge base made of `(path, text)` files, in a temporary folder.
fn kb(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// A runbook reviewed on 2026-01-01, every 90 days: due on 2026-04-01, twice
/// overdue from 2026-06-30.
const OLD_RUNBOOK: &str = "---\ntitle: Vieux\nowner: equipe\nreviewed: 2026-01-01\n---\nTexte.\n";

/// `(rule, severity)` of every finding of a JSON report.
fn severities(o: &Output) -> Vec<(String, String)> {
    json_findings(o)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_review_interval_that_is_not_one_is_an_error_at_its_line() {
    let dir = kb(&[
        (
            "vigie.toml",
            "title = \"kb\"\n\n[review]\narchitecture = \"6m\"\nrunbook = \"soon\"\n",
        ),
        ("runbooks/vieux.md", OLD_RUNBOOK),
    ]);
    let root = dir.path().to_str().unwrap();
    let o = vigie(&["check", "freshness", root, "--now", "2026-11-26"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("vigie.toml:5: "), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("runbook = \"soon\" is not a review interval"),
        "{}",
        stderr(&o)
    );
    // the same rule everywhere review dates are read
    let o = vigie(&["course", "list", root]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("vigie.toml:5: "), "{}", stderr(&o));
    // a misspelt kind is an error too, not an interval never applied
    let dir = kb(&[
        ("vigie.toml", "title = \"kb\"\n\n[review]\nrunbok = \"30d\"\n"),
        ("runbooks/vieux.md", OLD_RUNBOOK),
    ]);
    let o = check("freshness", dir.path(), &["--now", "2026-11-26"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // the line of the misspelt key, not of its table
    assert!(stderr(&o).contains("vigie.toml:4: "), "{}", stderr(&o));
    assert!(stderr(&o).contains("unknown field `runbok`"), "{}", stderr(&o));
}

#[test]
fn a_severity_set_for_review_overdue_applies_past_twice_the_interval() {
    let check = |toml: &str| {
        let dir = kb(&[("vigie.toml", toml), ("runbooks/vieux.md", OLD_RUNBOOK)]);
        let root = dir.path().to_str().unwrap();
        vigie(&[
            "check",
            "freshness",
            root,
            "--now",
            "2026-11-26",
            "--format",
            "json",
        ])
    };
    // by default, more than twice overdue is an error
    let o = check("title = \"kb\"\n");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(severities(&o), [pair("review-overdue", "error")]);
    for level in ["info", "warning"] {
        let o = check(&format!("[freshness.severity]\nreview-overdue = \"{level}\"\n"));
        assert_eq!(o.status.code(), Some(0), "{level}: {}", stdout(&o));
        assert_eq!(severities(&o), [pair("review-overdue", level)]);
    }
    let o = check("[freshness.severity]\nreview-overdue = \"off\"\n");
    assert_eq!(severities(&o), []);
}

#[test]
fn an_unknown_rule_in_freshness_severity_names_its_line() {
    let dir = kb(&[
        (
            "vigie.toml",
            "title = \"kb\"\n\n[freshness.severity]\nmissing-owner = \"off\"\nreview-overdu = \"info\"\n",
        ),
        ("runbooks/vieux.md", OLD_RUNBOOK),
    ]);
    let o = check("freshness", dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "vigie.toml:5: invalid configuration: [freshness.severity]: unknown rule `review-overdu`"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_disabled_freshness_says_so_instead_of_what_was_checked() {
    let page = "---\ntitle: API\nowner: equipe\nreviewed: 2020-01-01\napplies_to:\n  - deployment/nova-api -n openstack\n---\n";
    let dir = kb(&[
        ("vigie.toml", "[freshness]\nenabled = false\n"),
        ("runbooks/api.md", page),
    ]);
    let root = dir.path().to_str().unwrap();
    let o = vigie(&["check", "freshness", root, "--now", "2026-11-26"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "note: freshness is disabled in vigie.toml ([freshness] enabled = false): nothing was checked"
        ),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("only review ages"), "{}", stderr(&o));
    // in every format: a CI job must not take it for a clean check
    let o = vigie(&["check", "freshness", root, "--format", "json"]);
    assert!(stderr(&o).contains("freshness is disabled"), "{}", stderr(&o));
    assert_eq!(severities(&o), []);

    let o = vigie(&["check", "freshness", root, "--list-references"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("freshness is disabled in vigie.toml ([freshness] enabled = false): no claim or reference is checked"),
        "{}",
        stderr(&o)
    );
}
