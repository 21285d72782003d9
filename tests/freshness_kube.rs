//! `vigie check freshness` against a real Kubernetes API server (started by
//! `scripts/test.sh`, which sets `VIGIE_TEST_KUBECONFIG`). Each test works in
//! its own namespace: it creates, changes and deletes objects through the API
//! and checks what vigie reports, rule and line. Without the server the tests
//! fail in CI and are skipped elsewhere (`common::need`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{build_args, command, kubeconfig};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams};
use kube::discovery::ApiResource;
use serde_json::{Value, json};

/// A namespace of its own on the test cluster, deleted at the end.
struct Cluster {
    rt: tokio::runtime::Runtime,
    client: kube::Client,
    kubeconfig: PathBuf,
    ns: String,
}

impl Cluster {
    fn new(test: &str) -> Option<Cluster> {
        let kubeconfig = kubeconfig()?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let client = common::kube_client(&kubeconfig, &rt);
        let ns = format!("t-{test}-{}", std::process::id());
        let c = Cluster {
            rt,
            client,
            kubeconfig,
            ns,
        };
        let api: Api<Namespace> = Api::all(c.client.clone());
        let namespace: Namespace = serde_json::from_value(json!({"metadata": {"name": c.ns}})).unwrap();
        c.rt.block_on(api.create(&PostParams::default(), &namespace))
            .expect("create namespace");
        Some(c)
    }

    fn deployments(&self) -> Api<Deployment> {
        Api::namespaced(self.client.clone(), &self.ns)
    }

    fn deploy(&self, name: &str, image: &str, replicas: i32) {
        let d: Deployment = serde_json::from_value(json!({
            "metadata": {"name": name, "labels": {"app": name, "tier": "api"}},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": name}},
                "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": name, "image": image}]}}
            }
        }))
        .unwrap();
        let pp = PostParams {
            field_manager: Some("vigie-test".into()),
            ..Default::default()
        };
        self.rt
            .block_on(self.deployments().create(&pp, &d))
            .expect("create deployment");
    }

    fn patch(&self, name: &str, patch: Value) {
        let pp = PatchParams {
            field_manager: Some("vigie-test-edit".into()),
            ..Default::default()
        };
        self.rt
            .block_on(self.deployments().patch(name, &pp, &Patch::Merge(&patch)))
            .expect("patch deployment");
    }

    /// What `kubectl scale` does: the scale subresource.
    fn scale(&self, name: &str, replicas: i32) {
        let pp = PatchParams::default();
        self.rt
            .block_on(self.deployments().patch_scale(
                name,
                &pp,
                &Patch::Merge(&json!({"spec": {"replicas": replicas}})),
            ))
            .expect("scale deployment");
    }

    fn delete(&self, name: &str) {
        self.rt
            .block_on(self.deployments().delete(name, &DeleteParams::default()))
            .expect("delete deployment");
    }

    fn create_dynamic(
        &self,
        ar: &ApiResource,
        namespaced: bool,
        obj: Value,
        dry_run: bool,
    ) -> kube::Result<()> {
        let api: Api<DynamicObject> = if namespaced {
            Api::namespaced_with(self.client.clone(), &self.ns, ar)
        } else {
            Api::all_with(self.client.clone(), ar)
        };
        let obj: DynamicObject = serde_json::from_value(obj).unwrap();
        let pp = PostParams {
            dry_run,
            ..Default::default()
        };
        self.rt.block_on(api.create(&pp, &obj)).map(|_| ())
    }

    fn delete_dynamic(&self, ar: &ApiResource, name: &str) {
        let api: Api<DynamicObject> = Api::all_with(self.client.clone(), ar);
        let _ = self.rt.block_on(api.delete(name, &DeleteParams::default()));
    }

    /// A knowledge base whose pages are `(path, text)`; `{ns}` and `{today}` are replaced.
    fn kb(&self, pages: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in pages {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text.replace("{ns}", &self.ns).replace("{today}", &today())).unwrap();
        }
        dir
    }

    fn vigie(&self, args: &[&str]) -> Output {
        command()
            .env("KUBECONFIG", &self.kubeconfig)
            .args(args)
            .output()
            .expect("vigie runs")
    }

    /// `vigie check freshness ROOT --kube-context vigie-test --now TODAY --format json`.
    fn check(&self, root: &Path, extra: &[&str]) -> Output {
        let today = today();
        let mut args = vec![
            "check",
            "freshness",
            root.to_str().unwrap(),
            "--kube-context",
            "vigie-test",
            "--now",
            &today,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        self.vigie(&args)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let api: Api<Namespace> = Api::all(self.client.clone());
        let _ = self.rt.block_on(api.delete(&self.ns, &DeleteParams::default()));
    }
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `(line, rule)` of every finding of a JSON report.
fn findings(o: &Output) -> Vec<(usize, String)> {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap() as usize,
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn messages(o: &Output) -> Vec<String> {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

const RESTART: &str = "---
title: Redémarrer l'API
owner: equipe-openstack
reviewed: {today}
applies_to:
  - deployment/api -n {ns}
---

```bash
kubectl -n {ns} rollout restart deploy/api
kubectl -n {ns} rollout status deploy/api --timeout=300s
```
";

#[test]
fn deleting_a_deployment_turns_the_page_red_with_rule_and_line() {
    let Some(c) = Cluster::new("delete") else { return };
    c.deploy("api", "registry.example.org/api:2024.1", 2);
    let kb = c.kb(&[("runbooks/api.md", RESTART)]);

    let o = c.check(kb.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(findings(&o), vec![]);

    c.delete("api");
    let o = c.check(kb.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        findings(&o),
        vec![
            (6, "resource-missing".to_string()),
            (10, "resource-missing".to_string()),
            (11, "resource-missing".to_string())
        ]
    );
    let m = messages(&o);
    assert!(
        m[0].contains(&format!(
            "deployment/api -n {}, which does not exist on cluster vigie-test",
            c.ns
        )),
        "{m:?}"
    );

    // the site built against the same cluster shows it
    let out = tempfile::tempdir().unwrap();
    let o = c.vigie(&build_args(
        kb.path(),
        out.path(),
        &["--kube-context", "vigie-test"],
    ));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let unescape = |s: String| {
        s.replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&#x2f;", "/")
    };
    let page = unescape(std::fs::read_to_string(out.path().join("runbooks/api.html")).unwrap());
    assert!(page.contains("badge fresh-contradicted"), "badge");
    assert!(page.contains("freshness-banner fresh-contradicted"), "banner");
    assert!(page.contains("n'existe pas sur le cluster vigie-test"), "reason");
    let dash = unescape(std::fs::read_to_string(out.path().join("freshness.html")).unwrap());
    assert!(
        dash.contains("equipe-openstack") && dash.contains("runbooks/api.html"),
        "dashboard"
    );
}

#[test]
fn changing_an_image_flags_the_page_that_pins_the_old_one() {
    let Some(c) = Cluster::new("image") else { return };
    c.deploy("nova-api", "registry.example.org/nova-api:2024.1", 3);
    let pinned = "---
title: Nova API 2024.1
owner: equipe-openstack
reviewed: {today}
applies_to:
  - kind: Deployment
    name: nova-api
    namespace: {ns}
    expect:
      image: registry.example.org/nova-api:2024.1
      replicas: 3
---
";
    let loose = "---
title: Nova API
owner: equipe-openstack
reviewed: {today}
applies_to:
  - kind: Deployment
    name: nova-api
    namespace: {ns}
    expect:
      image: registry.example.org/nova-api
---
";
    let kb = c.kb(&[("runbooks/pinned.md", pinned), ("runbooks/loose.md", loose)]);
    let o = c.check(kb.path(), &[]);
    assert_eq!(findings(&o), vec![], "{}", text(&o));

    c.patch(
        "nova-api",
        json!({"spec": {"template": {"spec": {"containers": [{"name": "nova-api", "image": "registry.example.org/nova-api:2024.2"}]}}}}),
    );
    let o = c.check(kb.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "only the page pinning 2024.1: {}", text(&o));
    assert_eq!(f[0]["page"], "runbooks/pinned.md");
    assert_eq!(f[0]["line"], 6);
    assert_eq!(f[0]["rule"], "resource-drift");
    assert_eq!(
        f[0]["message"],
        format!(
            "deployment/nova-api -n {}: `image` is registry.example.org/nova-api:2024.2 on cluster vigie-test, the page expects registry.example.org/nova-api:2024.1",
            c.ns
        )
    );
}

#[test]
fn scaling_and_relabelling_are_drift_and_a_moved_generation_is_a_change() {
    let Some(c) = Cluster::new("scale") else { return };
    c.deploy("rabbitmq", "docker.io/library/rabbitmq:3.13", 2);
    let page = "---
title: RabbitMQ
owner: equipe-plateforme
reviewed: {today}
applies_to:
  - kind: Deployment
    name: rabbitmq
    namespace: {ns}
    generation: 1
    expect:
      replicas: 2
      labels: {tier: api}
---
";
    let kb = c.kb(&[("runbooks/rabbitmq.md", page)]);
    let o = c.check(kb.path(), &[]);
    assert_eq!(findings(&o), vec![], "{}", text(&o));

    // `kubectl scale` bumps the generation, not the managed-fields times
    c.scale("rabbitmq", 4);
    let o = c.check(kb.path(), &["--fail-on", "warn"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        findings(&o),
        vec![
            (6, "changed-since-review".to_string()),
            (6, "resource-drift".to_string())
        ]
    );
    let m = messages(&o);
    assert!(
        m.iter()
            .any(|m| m.contains("generation 2; the page was reviewed at generation 1")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.contains("`replicas` is 4") && m.contains("expects 2")),
        "{m:?}"
    );

    c.patch("rabbitmq", json!({"metadata": {"labels": {"tier": "queue"}}}));
    let o = c.check(kb.path(), &[]);
    let m = messages(&o);
    assert!(
        m.iter()
            .any(|m| m.contains("`labels` is") && m.contains("\"tier\":\"queue\"")),
        "{m:?}"
    );
}

#[test]
fn a_change_after_the_review_is_changed_since_review() {
    let Some(c) = Cluster::new("changed") else { return };
    c.deploy("keystone", "registry.example.org/keystone:2024.1", 1);
    let page = "---
title: Keystone
owner: equipe-openstack
reviewed: 2026-01-05
review_every: 100y
applies_to:
  - deployment/keystone -n {ns}
---

```bash
kubectl -n {ns} logs deploy/keystone
```
";
    let kb = c.kb(&[("runbooks/keystone.md", page)]);
    let o = c.check(kb.path(), &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "a warning does not fail by default: {}",
        text(&o)
    );
    // only the claim is compared with the review date, not the command
    assert_eq!(findings(&o), vec![(7, "changed-since-review".to_string())]);
    let m = &messages(&o)[0];
    assert!(
        m.contains(&format!(
            "changed on {} by vigie-test, after the page was reviewed on 2026-01-05",
            today()
        )),
        "{m}"
    );
}

#[test]
fn custom_resources_are_found_through_discovery() {
    let Some(c) = Cluster::new("crd") else { return };
    let group = format!("t{}.example.org", std::process::id());
    let crd_ar = ApiResource {
        group: "apiextensions.k8s.io".into(),
        version: "v1".into(),
        api_version: "apiextensions.k8s.io/v1".into(),
        kind: "CustomResourceDefinition".into(),
        plural: "customresourcedefinitions".into(),
    };
    let crd_name = format!("widgets.{group}");
    c.create_dynamic(
        &crd_ar,
        false,
        json!({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": crd_name},
            "spec": {"group": group, "scope": "Namespaced",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wdg"]},
                "versions": [{"name": "v1", "served": true, "storage": true,
                    "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]}
        }),
        false,
    )
    .expect("create CRD");
    let widget_ar = ApiResource {
        group: group.clone(),
        version: "v1".into(),
        api_version: format!("{group}/v1"),
        kind: "Widget".into(),
        plural: "widgets".into(),
    };
    // the CRD takes a moment to be served
    let mut created = false;
    for _ in 0..100 {
        let w = json!({"apiVersion": format!("{group}/v1"), "kind": "Widget", "metadata": {"name": "w1"}, "spec": {"size": 3}});
        if c.create_dynamic(&widget_ar, true, w, false).is_ok() {
            created = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(created, "custom resource created");

    let page = "---
title: Widgets
owner: equipe-plateforme
reviewed: {today}
applies_to:
  - kind: Widget
    name: w1
    namespace: {ns}
    expect: {size: 3}
  - kind: Gadget
    name: g1
    namespace: {ns}
---

```bash
kubectl -n {ns} get wdg w1 -o yaml
kubectl -n {ns} describe widgets.GROUP w2
kubectl -n {ns} get sprocket s1
```
";
    let page = page.replace("GROUP", &group);
    let kb = c.kb(&[("runbooks/widgets.md", &page)]);
    let o = c.check(kb.path(), &[]);
    c.delete_dynamic(&crd_ar, &crd_name);
    assert_eq!(
        findings(&o),
        vec![
            (10, "resource-missing".to_string()),
            (17, "resource-missing".to_string())
        ],
        "{}",
        text(&o)
    );
    let m = messages(&o);
    assert!(m[0].contains("serves no `gadget` kind"), "{m:?}");
    assert!(m[1].contains("widget/w2"), "{m:?}");
}

#[test]
fn helm_releases_are_found_from_their_secrets_without_reading_them() {
    let Some(c) = Cluster::new("helm") else { return };
    let secrets: Api<Secret> = Api::namespaced(c.client.clone(), &c.ns);
    let s: Secret = serde_json::from_value(json!({
        "metadata": {"name": "sh.helm.release.v1.web.v1",
            "labels": {"owner": "helm", "name": "web", "status": "deployed", "version": "1"}},
        "type": "helm.sh/release.v1",
        "stringData": {"release": "SECRET-RELEASE-PAYLOAD"}
    }))
    .unwrap();
    c.rt.block_on(secrets.create(&PostParams::default(), &s))
        .expect("secret");
    let page = "---
title: Web
owner: equipe-plateforme
reviewed: {today}
---

```bash
helm status web -n {ns}
helm history gone -n {ns}
```
";
    let kb = c.kb(&[("runbooks/web.md", page)]);
    let o = c.check(kb.path(), &[]);
    assert_eq!(
        findings(&o),
        vec![(9, "resource-missing".to_string())],
        "{}",
        text(&o)
    );
    assert!(messages(&o)[0].contains("helmrelease/gone"));

    let dump = kb.path().join("state.json");
    let o = c.vigie(&[
        "state",
        "dump",
        "--root",
        kb.path().to_str().unwrap(),
        "--kube-context",
        "vigie-test",
        "-o",
        dump.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let recorded = std::fs::read_to_string(&dump).unwrap();
    assert!(
        !recorded.contains("SECRET-RELEASE-PAYLOAD") && !recorded.contains("U0VDUkVU"),
        "{recorded}"
    );
}

#[test]
fn a_snapshot_dumped_tonight_gives_the_same_findings_tomorrow() {
    let Some(c) = Cluster::new("dump") else { return };
    c.deploy("api", "registry.example.org/api:2024.1", 2);
    c.deploy("worker", "registry.example.org/worker:2024.1", 1);
    let kb = c.kb(&[
        ("runbooks/api.md", RESTART),
        (
            "runbooks/worker.md",
            "---\ntitle: Worker\nowner: x\nreviewed: {today}\napplies_to:\n  - kind: Deployment\n    name: worker\n    namespace: {ns}\n    expect: {replicas: 3}\n---\n",
        ),
    ]);
    c.delete("api");
    let live = c.check(kb.path(), &[]);

    let dump = kb.path().join("nightly.json");
    let o = c.vigie(&[
        "state",
        "dump",
        "--root",
        kb.path().to_str().unwrap(),
        "--kube-context",
        "vigie-test",
        "-o",
        dump.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let recorded = std::fs::read_to_string(&dump).unwrap();
    assert!(
        !recorded.contains("vigie-test-token"),
        "no credentials in a snapshot"
    );
    let snap: Value = serde_json::from_str(&recorded).unwrap();
    assert_eq!(snap["vigie_state"], 1);
    assert_eq!(snap["sources"][0]["name"], "vigie-test");

    // CI without credentials: no KUBECONFIG at all
    let today = today();
    let o = command()
        .env("KUBECONFIG", "/nonexistent")
        .args([
            "check",
            "freshness",
            kb.path().to_str().unwrap(),
            "--state",
            dump.to_str().unwrap(),
            "--now",
            &today,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(findings(&o), findings(&live), "{}", text(&o));
    assert_eq!(
        findings(&o),
        vec![
            (6, "resource-missing".to_string()),
            (10, "resource-missing".to_string()),
            (11, "resource-missing".to_string()),
            (6, "resource-drift".to_string())
        ]
    );
}

/// The objects of `deploy/base` (the user guide's "Running in the cluster"
/// page shows these files byte for byte: `tests/deploy.rs`), so the tests
/// apply exactly what the guide tells.
fn guide_yaml() -> Vec<Value> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/base");
    let mut docs = Vec::new();
    for file in common::files_under(&base) {
        let text = std::fs::read_to_string(base.join(&file)).unwrap();
        for v in serde_saphyr::from_multiple::<Value>(&text).unwrap() {
            if v.get("metadata").is_some() {
                docs.push(v);
            }
        }
    }
    docs
}

#[test]
fn the_read_only_role_of_the_guide_is_enough() {
    let Some(c) = Cluster::new("rbac") else { return };
    c.deploy("api", "registry.example.org/api:2024.1", 1);
    let helm =
        "---\ntitle: Helm\nowner: x\nreviewed: {today}\n---\n\n```bash\nhelm status nova -n {ns}\n```\n";
    let kb = c.kb(&[("runbooks/api.md", RESTART), ("runbooks/helm.md", helm)]);
    let today = today();
    let reader = |c: &Cluster| {
        c.vigie(&[
            "check",
            "freshness",
            kb.path().to_str().unwrap(),
            "--kube-context",
            "vigie-reader",
            "--now",
            &today,
        ])
    };
    // no role yet: a clear error, exit 2, never a silent pass
    let o = reader(&c);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("forbidden (403)"), "{}", text(&o));
    assert!(text(&o).contains("read-only role"), "{}", text(&o));
    assert!(!text(&o).contains("vigie-reader-token"), "{}", text(&o));

    // the guide's ClusterRole, bound to the test's reader user
    let suffix = format!("-{}", std::process::id());
    let mut role = guide_yaml()
        .into_iter()
        .find(|d| d["kind"] == "ClusterRole")
        .expect("the guide has a ClusterRole");
    let role_name = format!("{}{suffix}", role["metadata"]["name"].as_str().unwrap());
    role["metadata"]["name"] = json!(role_name);
    let rbac = |kind: &str, plural: &str| ApiResource {
        group: "rbac.authorization.k8s.io".into(),
        version: "v1".into(),
        api_version: "rbac.authorization.k8s.io/v1".into(),
        kind: kind.into(),
        plural: plural.into(),
    };
    let binding = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": role_name},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role_name},
        "subjects": [{"kind": "User", "name": "vigie-reader", "apiGroup": "rbac.authorization.k8s.io"}]
    });
    let (role_ar, binding_ar) = (
        rbac("ClusterRole", "clusterroles"),
        rbac("ClusterRoleBinding", "clusterrolebindings"),
    );
    c.create_dynamic(&role_ar, false, role, false)
        .expect("the guide's role");
    c.create_dynamic(&binding_ar, false, binding, false)
        .expect("binding");
    let mut o = reader(&c);
    for _ in 0..50 {
        if o.status.code() != Some(2) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        o = reader(&c);
    }
    c.delete_dynamic(&binding_ar, &role_name);
    c.delete_dynamic(&role_ar, &role_name);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("0 error(s)"), "{}", text(&o));
    // the guide grants no Secrets: Helm releases are said to be unchecked, not passed
    assert!(
        text(&o).contains("note: Helm releases were not checked"),
        "{}",
        text(&o)
    );
}

/// The guide's read-only ClusterRole bound to `user`, removed on drop.
struct GuideRole<'a> {
    c: &'a Cluster,
    name: String,
}

fn rbac(kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: "rbac.authorization.k8s.io".into(),
        version: "v1".into(),
        api_version: "rbac.authorization.k8s.io/v1".into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

impl<'a> GuideRole<'a> {
    fn bind(c: &'a Cluster, user: &str) -> GuideRole<'a> {
        let mut role = guide_yaml()
            .into_iter()
            .find(|d| d["kind"] == "ClusterRole")
            .expect("the guide has a ClusterRole");
        let name = format!("{}-{user}", role["metadata"]["name"].as_str().unwrap());
        role["metadata"]["name"] = json!(name);
        let binding = json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
            "subjects": [{"kind": "User", "name": user, "apiGroup": "rbac.authorization.k8s.io"}]
        });
        c.create_dynamic(&rbac("ClusterRole", "clusterroles"), false, role, false)
            .expect("the guide's role");
        c.create_dynamic(
            &rbac("ClusterRoleBinding", "clusterrolebindings"),
            false,
            binding,
            false,
        )
        .expect("binding");
        GuideRole { c, name }
    }
}

impl Drop for GuideRole<'_> {
    fn drop(&mut self) {
        self.c
            .delete_dynamic(&rbac("ClusterRoleBinding", "clusterrolebindings"), &self.name);
        self.c
            .delete_dynamic(&rbac("ClusterRole", "clusterroles"), &self.name);
    }
}

/// A copy of the test kubeconfig with a context `vigie-ro` in which the admin
/// acts as `user` (impersonation), so a test can give `user` a role of its own.
fn kubeconfig_as(c: &Cluster, user: &str, dir: &Path) -> PathBuf {
    let mut kc: Value = serde_saphyr::from_str(&std::fs::read_to_string(&c.kubeconfig).unwrap()).unwrap();
    let token = kc["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "vigie-admin")
        .unwrap()["user"]["token"]
        .clone();
    kc["users"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "ro", "user": {"token": token, "as": user}}));
    kc["contexts"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "vigie-ro", "context": {"cluster": "vigie-test", "user": "ro"}}));
    let path = dir.join("kubeconfig-ro");
    std::fs::write(&path, serde_json::to_string(&kc).unwrap()).unwrap();
    path
}

#[test]
fn a_kind_the_role_may_not_list_is_left_unchecked_with_a_note() {
    let Some(c) = Cluster::new("forbidden") else {
        return;
    };
    c.deploy("api", "registry.example.org/api:2024.1", 1);
    let page = "---
title: Base
owner: x
reviewed: {today}
---

```bash
kubectl -n {ns} get secret db-password
kubectl -n {ns} rollout restart deploy/api
kubectl -n {ns} get deploy gone
```
";
    let kb = c.kb(&[("runbooks/base.md", page)]);
    let user = format!("vigie-ro-{}", std::process::id());
    let kubeconfig = kubeconfig_as(&c, &user, kb.path());
    let _role = GuideRole::bind(&c, &user);
    let today = today();
    let check = || {
        command()
            .env("KUBECONFIG", &kubeconfig)
            .args([
                "check",
                "freshness",
                kb.path().to_str().unwrap(),
                "--kube-context",
                "vigie-ro",
                "--now",
                &today,
                "--format",
                "json",
            ])
            .output()
            .unwrap()
    };
    // the role takes a moment to apply
    let mut o = check();
    for _ in 0..50 {
        if o.status.code() != Some(2) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        o = check();
    }
    // the guide grants no Secrets: the secret is not checked, everything else is
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        findings(&o),
        vec![(10, "resource-missing".to_string())],
        "{}",
        text(&o)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["unchecked"], 1, "{}", text(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(&format!(
            "note: `secret` references were not checked in namespace {} on cluster vigie-ro: listing `secrets` is forbidden to these credentials (403)",
            c.ns
        )),
        "{stderr}"
    );
    assert!(stderr.contains("\"secret/*\""), "{stderr}");
    assert!(!stderr.contains("vigie-test-token"), "{stderr}");

    // a nightly dump with the same account records what it may read, and says what not
    let dump = kb.path().join("state.json");
    let o = command()
        .env("KUBECONFIG", &kubeconfig)
        .args([
            "state",
            "dump",
            "--root",
            kb.path().to_str().unwrap(),
            "--kube-context",
            "vigie-ro",
            "-o",
            dump.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("note: `secret` references were not checked"),
        "{}",
        text(&o)
    );
}

#[test]
fn the_cronjob_of_the_guide_is_accepted_by_the_api_server() {
    let Some(c) = Cluster::new("cronjob") else { return };
    let mut cron = guide_yaml()
        .into_iter()
        .find(|d| d["kind"] == "CronJob")
        .expect("the guide has a CronJob");
    let args = cron
        .pointer("/spec/jobTemplate/spec/template/spec/containers/0/args")
        .unwrap();
    assert!(args.to_string().contains("freshness"), "{args}");
    // this 1.20 server serves CronJobs as batch/v1beta1; the schema is the same
    cron["apiVersion"] = json!("batch/v1beta1");
    cron["metadata"]["namespace"] = json!(c.ns);
    let ar = ApiResource {
        group: "batch".into(),
        version: "v1beta1".into(),
        api_version: "batch/v1beta1".into(),
        kind: "CronJob".into(),
        plural: "cronjobs".into(),
    };
    c.create_dynamic(&ar, true, cron, true)
        .expect("the API server accepts the CronJob");
}

#[test]
fn bad_credentials_and_unreachable_clusters_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    std::fs::create_dir(&kb).unwrap();
    std::fs::write(
        kb.join("a.md"),
        "---\ntitle: A\nowner: x\napplies_to: [deployment/a -n b]\n---\n",
    )
    .unwrap();
    let unreachable = dir.path().join("unreachable");
    std::fs::write(
        &unreachable,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:9\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: unreachable-secret-token\ncontexts:\n- name: gone\n  context: {cluster: c, user: u}\ncurrent-context: gone\n",
    )
    .unwrap();
    let run = |kubeconfig: &Path, ctx: &str| {
        command()
            .env("KUBECONFIG", kubeconfig)
            .args(["check", "freshness", kb.to_str().unwrap(), "--kube-context", ctx])
            .output()
            .unwrap()
    };
    let o = run(&unreachable, "gone");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("cannot use Kubernetes cluster gone"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains("unreachable-secret-token"));
    let o = run(&unreachable, "no-such-context");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("no-such-context"), "{}", text(&o));

    let Some(real) = kubeconfig() else { return };
    let bad = dir.path().join("bad-token");
    let wrong = std::fs::read_to_string(real)
        .unwrap()
        .replace("token: vigie-test-token", "token: wrong-secret-token-1234");
    std::fs::write(&bad, wrong).unwrap();
    let o = run(&bad, "vigie-test");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("unauthorized (401)"), "{}", text(&o));
    assert!(!text(&o).contains("wrong-secret-token-1234"), "{}", text(&o));
}

#[test]
fn clusters_named_in_vigie_toml_are_checked_without_options() {
    let Some(c) = Cluster::new("config") else { return };
    c.deploy("api", "registry.example.org/api:2024.1", 1);
    let toml = "[freshness.clusters.prod]\ncontext = \"vigie-test\"\n\n[freshness.clusters.staging]\ncontext = \"vigie-test\"\n";
    let page = "---
title: API
owner: x
reviewed: {today}
applies_to:
  - deployment/api -n {ns}
  - deployment/gone -n {ns}
  - kind: Deployment
    name: prod-only
    namespace: {ns}
    cluster: prod
---
";
    let kb = c.kb(&[("vigie.toml", toml), ("runbooks/api.md", page)]);
    let today = today();
    let o = c.vigie(&[
        "check",
        "freshness",
        kb.path().to_str().unwrap(),
        "--now",
        &today,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // a claim without `cluster:` is checked on every cluster; `cluster: prod` on prod only
    assert_eq!(
        findings(&o),
        vec![
            (7, "resource-missing".to_string()),
            (7, "resource-missing".to_string()),
            (8, "resource-missing".to_string())
        ]
    );
    let m = messages(&o);
    assert!(
        m.iter().any(|m| m.contains("gone") && m.contains("cluster prod")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.contains("gone") && m.contains("cluster staging")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.contains("prod-only") && m.contains("cluster prod")),
        "{m:?}"
    );

    // `default_cluster` narrows the claims without `cluster:` to one
    std::fs::write(
        kb.path().join("vigie.toml"),
        format!("[freshness]\ndefault_cluster = \"staging\"\n\n{toml}"),
    )
    .unwrap();
    let o = c.vigie(&[
        "check",
        "freshness",
        kb.path().to_str().unwrap(),
        "--now",
        &today,
        "--format",
        "json",
    ]);
    assert_eq!(findings(&o).len(), 2, "{}", text(&o));

    // `vigie build` without options never calls the clusters: review age only
    let out = tempfile::tempdir().unwrap();
    let o = command()
        .env("KUBECONFIG", "/nonexistent")
        .args(build_args(kb.path(), out.path(), &[]))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let page = std::fs::read_to_string(out.path().join("runbooks/api.html")).unwrap();
    assert!(page.contains("badge fresh-fresh"), "review age only");
}
