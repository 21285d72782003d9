//! `vigie check alerts` reading `PrometheusRule` objects from a real
//! Kubernetes API server (started by `scripts/test.sh`, which sets
//! `VIGIE_TEST_KUBECONFIG`): the PrometheusRule CRD of kube-prometheus is
//! registered, the kube-prometheus rules applied in a namespace of the test's
//! own, and the check run live must find what it finds in the files.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::{command, corpus, kubeconfig, read, stderr, stdout};
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, PostParams};
use kube::discovery::ApiResource;
use serde_json::Value;

fn resource(group: &str, version: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: group.into(),
        version: version.into(),
        api_version: if group.is_empty() {
            version.into()
        } else {
            format!("{group}/{version}")
        },
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// `alert-without-runbook` targets, and every finding's (page, line).
fn missing(out: &str) -> (BTreeSet<String>, Vec<(String, u64)>) {
    let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let findings = v["findings"].as_array().unwrap();
    (
        findings
            .iter()
            .filter(|f| f["rule"] == "alert-without-runbook")
            .map(|f| f["target"].as_str().unwrap().to_string())
            .collect(),
        findings
            .iter()
            .filter(|f| f["rule"] == "alert-without-runbook")
            .map(|f| {
                (
                    f["page"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect(),
    )
}

#[test]
fn live_prometheus_rules_give_the_same_findings_as_their_files() {
    let Some(kubeconfig) = kubeconfig() else { return };
    let (Some(runbooks), Some(rules)) = (
        corpus("prometheus-operator-runbooks"),
        corpus("kube-prometheus-rules"),
    ) else {
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = common::kube_client(&kubeconfig, &rt);
    // the CRD, as kube-prometheus ships it (already there from an earlier run is fine)
    let crd: DynamicObject = serde_saphyr::from_str(&read(
        rules.join("setup/0prometheusruleCustomResourceDefinition.yaml"),
    ))
    .unwrap();
    let crds: Api<DynamicObject> = Api::all_with(
        client.clone(),
        &resource(
            "apiextensions.k8s.io",
            "v1",
            "CustomResourceDefinition",
            "customresourcedefinitions",
        ),
    );
    match rt.block_on(crds.create(&PostParams::default(), &crd)) {
        Ok(_) => {}
        Err(kube::Error::Api(s)) if s.code == 409 => {}
        Err(e) => panic!("create the PrometheusRule CRD: {e}"),
    }
    let ns = format!("t-alerts-{}", std::process::id());
    let namespaces: Api<DynamicObject> =
        Api::all_with(client.clone(), &resource("", "v1", "Namespace", "namespaces"));
    let namespace: DynamicObject = serde_json::from_value(
        serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
    )
    .unwrap();
    rt.block_on(namespaces.create(&PostParams::default(), &namespace))
        .expect("create namespace");
    let prometheus_rules: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        &ns,
        &resource("monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules"),
    );
    // the CRD is served once it is established
    let start = Instant::now();
    while rt
        .block_on(prometheus_rules.list(&ListParams::default()))
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "PrometheusRule never served"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let mut files: Vec<_> = std::fs::read_dir(&rules)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("prometheusRule.yaml"))
        .collect();
    files.sort();
    let mut applied = 0;
    for file in &files {
        let docs: Vec<DynamicObject> = serde_saphyr::from_multiple(&read(file)).unwrap();
        for mut obj in docs {
            obj.metadata.namespace = Some(ns.clone());
            rt.block_on(prometheus_rules.create(&PostParams::default(), &obj))
                .unwrap_or_else(|e| panic!("apply {}: {e}", file.display()));
            applied += 1;
        }
    }
    assert_eq!(applied, files.len());

    let run = |args: &[&str]| {
        let o = command()
            .env("KUBECONFIG", &kubeconfig)
            .args(args)
            .output()
            .expect("vigie runs");
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        o
    };
    let root = runbooks.to_str().unwrap();
    let live = run(&[
        "check",
        "alerts",
        root,
        "--kube-context",
        "vigie-test",
        "--format",
        "json",
    ]);
    let files_run = run(&[
        "check",
        "alerts",
        root,
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let (live_missing, live_places) = missing(&stdout(&live));
    let (file_missing, _) = missing(&stdout(&files_run));
    assert_eq!(live_missing, file_missing);
    assert_eq!(live_missing.len(), 26);
    // each finding names the cluster object, not a file line
    for (page, line) in &live_places {
        assert!(
            page.starts_with(&format!("prometheusrule {ns}/")) && page.ends_with("(cluster vigie-test)"),
            "{page}"
        );
        assert_eq!(*line, 0);
    }
    // text output says where the rules came from
    let text = command()
        .env("KUBECONFIG", &kubeconfig)
        .args(["check", "alerts", root, "--kube-context", "vigie-test"])
        .output()
        .unwrap();
    assert!(
        stderr(&text).contains("kubernetes cluster vigie-test"),
        "{}",
        stderr(&text)
    );
    assert!(stdout(&text).contains(&format!("prometheusrule {ns}/kubernetes-monitoring-rules (cluster vigie-test) error: alert `KubeNodePressure`")), "{}", stdout(&text));
    // patches name the objects to patch
    let patch = command()
        .env("KUBECONFIG", &kubeconfig)
        .args([
            "alerts",
            "urls",
            root,
            "--kube-context",
            "vigie-test",
            "--stable",
            "--format",
            "patch",
        ])
        .output()
        .unwrap();
    assert!(
        stdout(&patch).contains(&format!(
            "kubectl patch prometheusrule alertmanager-main-rules -n {ns} --type=json"
        )),
        "{}",
        stdout(&patch)
    );

    for file in &files {
        let docs: Vec<DynamicObject> = serde_saphyr::from_multiple(&read(file)).unwrap();
        for obj in docs {
            let name = obj.metadata.name.clone().unwrap();
            let _ = rt.block_on(prometheus_rules.delete(&name, &DeleteParams::default()));
        }
    }
    let _ = rt.block_on(namespaces.delete(&ns, &DeleteParams::default()));
}
