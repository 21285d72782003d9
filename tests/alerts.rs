//! Alerts ↔ runbooks on a fixture knowledge base (`tests/fixtures/alerts-kb`:
//! a Prometheus rule file and a PrometheusRule manifest, pages that document
//! alerts by front matter, by file name and under headings) and on the real
//! corpus pair (kube-prometheus rules, the Prometheus Operator runbooks).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{build, copy_fixture, corpus, fixture, read, stderr, stdout, vigie};
use serde_json::Value;

fn check_json(root: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "alerts", root.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let o = vigie(&args);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    (o.status.code().unwrap(), v)
}

/// (rule, page, line, target) of every finding.
fn summary(v: &Value) -> Vec<(String, String, u64, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["page"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["target"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_alerts_reports_both_sides_with_file_and_line() {
    let kb = fixture("alerts-kb");
    let (code, v) = check_json(&kb, &[]);
    assert_eq!(code, 1);
    let s = |r: &str, p: &str, l: u64, t: &str| (r.to_string(), p.to_string(), l, t.to_string());
    assert_eq!(
        summary(&v),
        [
            // points at the Nova page while watchdog.md (named after it, any case) documents it
            s(
                "runbook-url-mismatch",
                "rules/k8s-prometheusrule.yaml",
                16,
                "Watchdog"
            ),
            // the page exists, its anchor does not
            s(
                "alert-without-runbook",
                "rules/k8s-prometheusrule.yaml",
                22,
                "KubePodCrashLooping"
            ),
            // no runbook_url, but a page documents it under a heading
            s(
                "alert-without-runbook",
                "rules/openstack.rules.yml",
                12,
                "NovaComputeDisabled"
            ),
            // an address of the site where no page is
            s(
                "alert-without-runbook",
                "rules/openstack.rules.yml",
                16,
                "NeutronAgentDown"
            ),
            // an address of another site
            s(
                "alert-without-runbook",
                "rules/openstack.rules.yml",
                23,
                "SwiftProxyDown"
            ),
            // the page documents an alert no rule defines
            s(
                "runbook-without-alert",
                "runbooks/old-neutron.md",
                3,
                "NeutronAgentDwon"
            ),
        ]
    );
    let f = &v["findings"];
    assert!(
        f[0]["message"]
            .as_str()
            .unwrap()
            .contains("runbooks/watchdog.md:1"),
        "{}",
        f[0]
    );
    assert_eq!(
        f[2]["suggestion"],
        "set runbook_url: https://kb.example.org/runbooks/nova/compute.html#novacomputedisabled (runbooks/nova/compute.md:13 documents it)"
    );
    assert!(
        f[3]["suggestion"]
            .as_str()
            .unwrap()
            .contains("`NeutronAgentDwon`"),
        "{}",
        f[3]
    );
    assert_eq!(
        f[5]["suggestion"],
        "did you mean `NeutronAgentDown`? (renamed: update the page)"
    );
    assert_eq!(v["summary"]["alerts"], 7);
    // warnings alone do not fail unless asked
    let (code, _) = check_json(
        &kb,
        &["--rules", kb.join("rules/openstack.rules.yml").to_str().unwrap()],
    );
    assert_eq!(code, 1);
}

#[test]
fn the_stable_address_and_anchors_resolve() {
    // NovaComputeDown points at its heading, KubeNodeNotReady at `alerts/KubeNodeNotReady`
    // (the site's alert page, built because vigie.toml names the rules): no finding for them.
    let (_, v) = check_json(&fixture("alerts-kb"), &[]);
    let targets: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["target"].as_str().unwrap())
        .collect();
    assert!(
        !targets.contains(&"NovaComputeDown") && !targets.contains(&"KubeNodeNotReady"),
        "{targets:?}"
    );
    // without [alerts] rules in vigie.toml the alert pages are not built: the address leads nowhere
    let (_tmp, kb) = copy_fixture("alerts-kb");
    std::fs::write(kb.join("vigie.toml"), "base_url = \"https://kb.example.org/\"\n").unwrap();
    let (_, v) = check_json(&kb, &["--rules", kb.join("rules").to_str().unwrap()]);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"] == "KubeNodeNotReady")
        .expect("finding");
    assert!(f["message"].as_str().unwrap().contains("only built"), "{f}");
}

#[test]
fn report_formats_name_the_rule_file_and_line() {
    let kb = fixture("alerts-kb");
    let o = vigie(&["check", "alerts", kb.to_str().unwrap(), "--format", "github"]);
    let out = stdout(&o);
    assert!(
        out.contains("::error file=rules/openstack.rules.yml,line=12,title=alert-without-runbook::alert `NovaComputeDisabled` has no runbook_url annotation"),
        "{out}"
    );
    let o = vigie(&["check", "alerts", kb.to_str().unwrap(), "--format", "junit"]);
    assert!(
        stdout(&o).contains("file=\"runbooks/old-neutron.md\" line=\"3\""),
        "{}",
        stdout(&o)
    );
    let o = vigie(&["check", "alerts", kb.to_str().unwrap()]);
    let text = stdout(&o);
    assert!(
        text.contains("rules/openstack.rules.yml:16 error: alert `NeutronAgentDown`"),
        "{text}"
    );
    assert!(
        stderr(&o).contains("alert rules read from: rules (2 files)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn alerts_urls_prints_fixes_and_changes_no_file() {
    let (_tmp, kb) = copy_fixture("alerts-kb");
    let before: Vec<Vec<u8>> = ["rules/openstack.rules.yml", "rules/k8s-prometheusrule.yaml"]
        .iter()
        .map(|f| std::fs::read(kb.join(f)).unwrap())
        .collect();
    let root = kb.to_str().unwrap();
    let o = vigie(&["alerts", "urls", root]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let line = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name}: {text}"))
            .to_string()
    };
    assert!(line("NovaComputeDown").contains("(unchanged)"));
    assert!(
        line("NovaComputeDisabled").contains(
            "https://kb.example.org/runbooks/nova/compute.html#novacomputedisabled  (missing today)"
        )
    );
    assert!(line("Watchdog").contains("https://kb.example.org/runbooks/watchdog.html  (now https://kb.example.org/runbooks/nova/compute.html)"));
    assert!(line("SwiftProxyDown").contains("no page documents this alert"));
    assert!(line("KubeNodeNotReady").contains("(unchanged)"));

    let o = vigie(&["alerts", "urls", root, "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let watchdog = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["alert"] == "Watchdog")
        .unwrap();
    assert_eq!(watchdog["source"], "rules/k8s-prometheusrule.yaml:16");
    assert_eq!(watchdog["changed"], true);
    assert_eq!(watchdog["page"], "runbooks/watchdog.md:1");

    let o = vigie(&["alerts", "urls", root, "--format", "patch"]);
    let patch = stdout(&o);
    // one document per object or file, each a JSON patch that parses
    let docs: Vec<Value> = serde_saphyr::from_multiple(&patch).unwrap_or_else(|e| panic!("{e}: {patch}"));
    assert_eq!(docs.len(), 2, "{patch}");
    assert!(
        patch.contains("kubectl patch prometheusrule k8s -n monitoring --type=json"),
        "{patch}"
    );
    assert!(patch.contains("- op: add\n  path: /groups/0/rules/2/annotations\n  value:\n    runbook_url: \"https://kb.example.org/runbooks/nova/compute.html#novacomputedisabled\""), "{patch}");
    assert!(patch.contains("path: /spec/groups/0/rules/1/annotations/runbook_url\n  value: \"https://kb.example.org/runbooks/watchdog.html\""), "{patch}");
    // --stable: the site's alert pages
    let o = vigie(&["alerts", "urls", root, "--stable"]);
    assert!(
        stdout(&o).contains("https://kb.example.org/alerts/Watchdog"),
        "{}",
        stdout(&o)
    );
    let after: Vec<Vec<u8>> = ["rules/openstack.rules.yml", "rules/k8s-prometheusrule.yaml"]
        .iter()
        .map(|f| std::fs::read(kb.join(f)).unwrap())
        .collect();
    assert_eq!(before, after, "vigie alerts urls changed a rule file");
}

/// The `url=` of a redirect page.
fn redirect_target(html: &str) -> String {
    let at = html.find("url=").expect("meta refresh") + 4;
    html[at..].split('"').next().unwrap().to_string()
}

#[test]
fn the_build_writes_alert_pages_and_the_alerts_index() {
    let (_tmp, kb) = copy_fixture("alerts-kb");
    let out = kb.join("site");
    let o = build(&kb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = |p: &str| read(out.join(p));
    for (path, target) in [
        (
            "alerts/NovaComputeDisabled/index.html",
            "../../runbooks/nova/compute.html#novacomputedisabled",
        ),
        (
            "alerts/NovaComputeDisabled.html",
            "../runbooks/nova/compute.html#novacomputedisabled",
        ),
        (
            "alerts/novacomputedisabled/index.html",
            "../../runbooks/nova/compute.html#novacomputedisabled",
        ),
        (
            "alerts/novacomputedisabled.html",
            "../runbooks/nova/compute.html#novacomputedisabled",
        ),
        (
            "alerts/KubeNodeNotReady/index.html",
            "../../runbooks/KubeNodeNotReady.html",
        ),
        ("alerts/Watchdog.html", "../runbooks/watchdog.html"),
        // documented only by front matter: still a stable address
        (
            "alerts/NeutronAgentDwon/index.html",
            "../../runbooks/old-neutron.html",
        ),
    ] {
        let html = page(path);
        assert_eq!(redirect_target(&html), target, "{path}");
        assert!(
            html.contains(&format!("location.replace(\"{target}\")")),
            "{path}: {html}"
        );
    }
    assert!(
        page("alerts/Watchdog/index.html")
            .contains("<link rel=\"canonical\" href=\"https://kb.example.org/runbooks/watchdog.html\">")
    );
    // an alert without a runbook gets no redirect, and the index says so
    assert!(!out.join("alerts/SwiftProxyDown").exists());
    let index = page("alerts/index.html");
    let row = |name: &str| {
        let at = index
            .find(&format!("<code>{name}</code>"))
            .unwrap_or_else(|| panic!("{name} not in the index"));
        index[at..].split("</tr>").next().unwrap().to_string()
    };
    assert!(
        row("SwiftProxyDown").contains("No runbook"),
        "{}",
        row("SwiftProxyDown")
    );
    let nova = row("NovaComputeDisabled");
    assert!(
        nova.contains("<td>warning</td>") && nova.contains("<td>openstack</td>"),
        "{nova}"
    );
    assert!(
        nova.contains("href=\"../runbooks/nova/compute.html#novacomputedisabled\">Nova compute problems</a>"),
        "{nova}"
    );
    assert!(row("NeutronAgentDown").contains("A Neutron agent is down."));
    assert!(
        page("index.html").contains("href=\"alerts/index.html\""),
        "home page links the alerts index"
    );
    // a site without alerts has no alerts folder and no link
    let (_tmp2, plain) = copy_fixture("folder-tree");
    let o = build(&plain, &plain.join("site"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!plain.join("site/alerts").exists());
    assert!(!read(plain.join("site/index.html")).contains("alerts/index.html"));
}

#[test]
fn bad_alert_input_is_an_error_naming_file_and_line() {
    let (_tmp, kb) = copy_fixture("alerts-kb");
    let root = kb.to_str().unwrap().to_string();
    std::fs::write(
        kb.join("runbooks/bad.md"),
        "---\ntitle: Bad\nalerts: {name: X}\n---\n\nText.\n",
    )
    .unwrap();
    for args in [vec!["check", "alerts", &root], vec!["build", &root]] {
        let o = vigie(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("runbooks/bad.md:3: invalid front matter: `alerts` must list alert names"),
            "{}",
            stderr(&o)
        );
    }
    std::fs::remove_file(kb.join("runbooks/bad.md")).unwrap();
    std::fs::write(
        kb.join("rules/broken.yaml"),
        "groups:\n- name: g\n  rules:\n  - alert: [\n",
    )
    .unwrap();
    let o = vigie(&["check", "alerts", &root]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("broken.yaml:"), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a readable rule file"), "{}", stderr(&o));
    // a failed build leaves the previous site as it was
    std::fs::remove_file(kb.join("rules/broken.yaml")).unwrap();
    std::fs::write(
        kb.join("vigie.toml"),
        "base_url = \"https://kb.example.org/\"\n\n[alerts]\nrules = [\"rules/\", \"missing/\"]\n",
    )
    .unwrap();
    let o = vigie(&["build", &root]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("vigie.toml:4: invalid configuration: [alerts] rules: `missing/` does not exist"),
        "{}",
        stderr(&o)
    );
    std::fs::write(kb.join("vigie.toml"), "[alerts]\nrulez = []\n").unwrap();
    let o = vigie(&["check", "alerts", &root]);
    assert_eq!(o.status.code(), Some(2));
    // the misspelt key's own line
    assert!(stderr(&o).contains("vigie.toml:2"), "{}", stderr(&o));
    // no rules anywhere: say how to give them
    std::fs::write(kb.join("vigie.toml"), "").unwrap();
    let o = vigie(&["check", "alerts", &root]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give --rules PATH"), "{}", stderr(&o));
}

#[test]
fn an_exact_alert_name_finds_its_runbook_first() {
    let (_tmp, kb) = copy_fixture("alerts-kb");
    let root = kb.to_str().unwrap();
    for query in [
        "NovaComputeDisabled",
        "novacomputedisabled",
        "NOVACOMPUTEDISABLED",
    ] {
        let o = vigie(&["search", query, "--root", root, "--format", "json"]);
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
        let urls: Vec<&str> = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["url"].as_str().unwrap())
            .collect();
        assert_eq!(
            urls[0], "runbooks/nova/compute.html#novacomputedisabled",
            "{query}: {urls:?}"
        );
        // the page that repeats the name is found too, after the runbook
        assert!(urls.contains(&"runbooks/mentions.html"), "{urls:?}");
    }
    // two words are an ordinary search: the page repeating the name (in its title too) wins
    let o = vigie(&[
        "search",
        "novacomputedisabled novacomputedisabled",
        "--root",
        root,
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["results"][0]["url"], "runbooks/mentions.html", "{v}");
    // a file named after the alert is its runbook, wherever the name appears
    let o = vigie(&["search", "kubenodenotready", "--root", root, "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        v["results"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("runbooks/KubeNodeNotReady.html"),
        "{v}"
    );
}

/// Alert names whose `runbook_url` reaches no page of the runbooks snapshot,
/// worked out here by other means than vigie's: Hugo serves
/// `content/runbooks/x/Name.md` at `/runbooks/x/name/`, lower-cased.
fn unreachable_alerts(rules: &Path, runbooks: &Path) -> BTreeSet<String> {
    let mut pages = BTreeSet::new();
    for e in walkdir::WalkDir::new(runbooks.join("content"))
        .into_iter()
        .flatten()
    {
        let rel = e
            .path()
            .strip_prefix(runbooks.join("content"))
            .unwrap()
            .to_string_lossy()
            .to_string();
        if let Some(stem) = rel.strip_suffix(".md") {
            let stem = stem
                .strip_suffix("/_index")
                .or(stem.strip_suffix("_index"))
                .unwrap_or(stem);
            pages.insert(
                format!("/{}", stem.to_lowercase())
                    .trim_end_matches('/')
                    .to_string(),
            );
        }
    }
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(rules).unwrap().flatten() {
        if !e.path().to_string_lossy().ends_with("prometheusRule.yaml") {
            continue;
        }
        let docs: Vec<Value> = serde_saphyr::from_multiple(&read(e.path())).unwrap();
        for doc in docs {
            for group in doc["spec"]["groups"].as_array().into_iter().flatten() {
                for rule in group["rules"].as_array().into_iter().flatten() {
                    let (Some(name), Some(url)) = (
                        rule["alert"].as_str(),
                        rule["annotations"]["runbook_url"].as_str(),
                    ) else {
                        continue;
                    };
                    let path = url
                        .trim_start_matches("https://runbooks.prometheus-operator.dev")
                        .trim_end_matches('/');
                    if !pages.contains(&path.to_lowercase()) {
                        out.insert(name.to_string());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn the_corpus_pair_reports_exactly_the_alerts_whose_runbook_is_missing() {
    let (Some(runbooks), Some(rules)) = (
        corpus("prometheus-operator-runbooks"),
        corpus("kube-prometheus-rules"),
    ) else {
        return;
    };
    let expected = unreachable_alerts(&rules, &runbooks);
    let (code, v) = check_json(&runbooks, &["--rules", rules.to_str().unwrap()]);
    assert_eq!(code, 1);
    let missing: BTreeSet<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "alert-without-runbook")
        .map(|f| f["target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(missing, expected);
    // the count the issue found by hand: 26 of the 125 alerts
    assert_eq!((missing.len(), v["summary"]["alerts"].as_u64()), (26, Some(125)));
    // one finding per alert, even when several rules (one per severity) define it
    assert_eq!(v["summary"]["errors"], 26);
    for f in v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "alert-without-runbook")
    {
        let page = f["page"].as_str().unwrap();
        let line = f["line"].as_u64().unwrap() as usize;
        let text = read(page);
        let written = text.lines().nth(line - 1).unwrap();
        assert_eq!(
            written.trim(),
            format!("- alert: {}", f["target"].as_str().unwrap()),
            "{page}:{line}"
        );
    }
    // the other way: runbooks of alerts kube-prometheus no longer defines
    let orphans: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "runbook-without-alert")
        .map(|f| f["page"].as_str().unwrap())
        .collect();
    assert!(
        orphans.contains(&"content/runbooks/kubernetes/KubeProxyDown.md"),
        "{orphans:?}"
    );
    assert!(
        orphans.iter().all(|p| p.starts_with("content/runbooks/")),
        "{orphans:?}"
    );
}
