//! The nightly job of `deploy/` as a cluster runs it, on the test suite's
//! real API server (RBAC and a service-account issuer on): `deploy/base` is
//! applied, a token is minted for the job's service account (TokenRequest),
//! and the CronJob's container command — read back from the API server — runs
//! with in-cluster configuration: `KUBERNETES_SERVICE_HOST`/`PORT`, and the
//! token, CA and namespace at the standard service-account path, bind-mounted
//! in a private mount namespace (`unshare --mount`: nothing changes outside
//! the process). kube-rs reads that fixed path and has no override for it, so
//! the mount is the honest way to show the path works.
//!
//! The only change to the CronJob's command: the volumes' mount paths
//! (`/docs`, `/state`) point at the test's folders, and the webhook Secret's
//! value at a local webhook.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Webhook, command, kubeconfig, need};
use k8s_openapi::api::authentication::v1::TokenRequest;
use k8s_openapi::api::core::v1::{Namespace, Secret, ServiceAccount};
use kube::api::{Api, DynamicObject, ListParams, Patch, PatchParams, PostParams};
use kube::discovery::ApiResource;
use serde_json::{Value, json};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn client_from(kubeconfig: &Path, rt: &tokio::runtime::Runtime) -> kube::Client {
    common::kube_client(kubeconfig, rt)
}

/// The API resource of the kinds `deploy/base` holds, as this 1.20 server
/// serves them (CronJob: batch/v1beta1, the same schema as batch/v1).
fn resource(kind: &str) -> (ApiResource, bool) {
    let (group, version, plural, namespaced) = match kind {
        "Namespace" => ("", "v1", "namespaces", false),
        "ServiceAccount" => ("", "v1", "serviceaccounts", true),
        "PersistentVolumeClaim" => ("", "v1", "persistentvolumeclaims", true),
        "ClusterRole" => ("rbac.authorization.k8s.io", "v1", "clusterroles", false),
        "ClusterRoleBinding" => ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", false),
        "CronJob" => ("batch", "v1beta1", "cronjobs", true),
        other => panic!("deploy/base has a {other}: teach this test its API resource"),
    };
    let api_version = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    (
        ApiResource {
            group: group.into(),
            version: version.into(),
            api_version,
            kind: kind.into(),
            plural: plural.into(),
        },
        namespaced,
    )
}

/// `kubectl apply -k deploy/base`: every object its kustomization lists, applied server-side.
fn apply_base(client: &kube::Client, rt: &tokio::runtime::Runtime) -> Value {
    let base = repo().join("deploy/base");
    let k: Value = serde_saphyr::from_str(&common::read(base.join("kustomization.yaml"))).unwrap();
    let mut cronjob = Value::Null;
    for file in k["resources"].as_array().unwrap() {
        let text = common::read(base.join(file.as_str().unwrap()));
        for mut doc in serde_saphyr::from_multiple::<Value>(&text).unwrap() {
            let kind = doc["kind"].as_str().unwrap().to_string();
            let (ar, namespaced) = resource(&kind);
            doc["apiVersion"] = json!(ar.api_version);
            let name = doc["metadata"]["name"].as_str().unwrap().to_string();
            let api: Api<DynamicObject> = if namespaced {
                Api::namespaced_with(
                    client.clone(),
                    doc["metadata"]["namespace"].as_str().unwrap(),
                    &ar,
                )
            } else {
                Api::all_with(client.clone(), &ar)
            };
            let pp = PatchParams::apply("vigie-test").force();
            let applied = rt
                .block_on(api.patch(&name, &pp, &Patch::Apply(&doc)))
                .unwrap_or_else(|e| panic!("apply {kind} {name}: {e}"));
            if kind == "CronJob" {
                // what the cluster holds, not what the file says
                cronjob = serde_json::to_value(rt.block_on(api.get(&name)).unwrap()).unwrap();
            }
            let _ = applied;
        }
    }
    cronjob
}

/// A kustomize overlay's JSON 6902 `replace` patches applied to `cronjob`.
fn overlay(cronjob: &Value, overlay: &str) -> Value {
    let k: Value =
        serde_saphyr::from_str(&common::read(repo().join(overlay).join("kustomization.yaml"))).unwrap();
    let mut out = cronjob.clone();
    for p in k["patches"].as_array().unwrap() {
        assert_eq!(p["target"]["kind"], "CronJob");
        let ops: Vec<Value> = serde_saphyr::from_str(p["patch"].as_str().unwrap()).unwrap();
        for op in ops {
            assert_eq!(op["op"], "replace", "{op}");
            *out.pointer_mut(op["path"].as_str().unwrap())
                .unwrap_or_else(|| panic!("{overlay}: {} is not in the CronJob", op["path"])) =
                op["value"].clone();
        }
    }
    out
}

/// The job's container command line, as the kubelet runs it: `vigie` plus
/// `args`, `$(VAR)` replaced from the container's environment (`secrets`
/// stands for the Secrets it reads), and mount paths moved to `mounts`.
fn job_command(
    cronjob: &Value,
    secrets: &BTreeMap<&str, String>,
    mounts: &BTreeMap<&str, PathBuf>,
) -> (Vec<String>, BTreeMap<String, String>) {
    let pod = &cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], "vigie-freshness");
    let c = pod["containers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "vigie")
        .expect("the vigie container");
    let mut env = BTreeMap::new();
    for e in c["env"].as_array().into_iter().flatten() {
        let name = e["name"].as_str().unwrap().to_string();
        let value = match e["value"].as_str() {
            Some(v) => v.to_string(),
            None => {
                let key = e["valueFrom"]["secretKeyRef"]["name"].as_str().unwrap();
                secrets
                    .get(key)
                    .unwrap_or_else(|| panic!("the test has no Secret {key}"))
                    .clone()
            }
        };
        env.insert(name, value);
    }
    let mut mount_paths = BTreeMap::new();
    for m in c["volumeMounts"].as_array().unwrap() {
        let name = m["name"].as_str().unwrap();
        let to = mounts
            .get(name)
            .unwrap_or_else(|| panic!("the test has no volume {name}"));
        mount_paths.insert(m["mountPath"].as_str().unwrap().to_string(), to.clone());
    }
    let mut words = vec!["vigie".to_string()];
    for a in c["args"].as_array().unwrap() {
        let mut a = a.as_str().unwrap().to_string();
        for (k, v) in &env {
            a = a.replace(&format!("$({k})"), v);
        }
        for (from, to) in &mount_paths {
            if a == *from || a.starts_with(&format!("{from}/")) {
                a = format!("{}{}", to.display(), &a[from.len()..]);
            }
        }
        words.push(a);
    }
    (words, env)
}

/// Whether this process may make a private mount namespace (root, or user namespaces).
fn can_unshare() -> Option<()> {
    let ok = Command::new("unshare")
        .args(["--mount", "true"])
        .status()
        .is_ok_and(|s| s.success());
    need(ok.then_some(()), || {
        "unshare --mount is not permitted here (run the tests as root, as scripts/test.sh does in CI)"
            .to_string()
    })
}

/// Runs `words` (its first word replaced by the vigie binary) as in a pod: a
/// private mount namespace in which `sa_dir` is the service-account folder,
/// the API server's address in `KUBERNETES_SERVICE_*`, no kubeconfig.
fn run_in_pod(words: &[String], sa_dir: &Path, server: &url_parts::Server, home: &Path) -> Output {
    let script = r#"set -e
run=$(readlink -f /var/run)
mount -t tmpfs vigie-test-run "$run"
mkdir -p "$run/secrets/kubernetes.io/serviceaccount"
mount --bind "$VIGIE_TEST_SA" "$run/secrets/kubernetes.io/serviceaccount"
exec "$@""#;
    Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", script, "sh"])
        .arg(env!("CARGO_BIN_EXE_vigie"))
        .args(&words[1..])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("VIGIE_TEST_SA", sa_dir)
        .env("KUBERNETES_SERVICE_HOST", &server.host)
        .env("KUBERNETES_SERVICE_PORT", server.port.to_string())
        .output()
        .expect("unshare runs")
}

mod url_parts {
    /// Host and port of the API server, from its kubeconfig.
    pub struct Server {
        pub host: String,
        pub port: u16,
        pub ca: std::path::PathBuf,
    }

    pub fn of(kubeconfig: &std::path::Path) -> Server {
        let kc: serde_json::Value =
            serde_saphyr::from_str(&std::fs::read_to_string(kubeconfig).unwrap()).unwrap();
        let cluster = &kc["clusters"][0]["cluster"];
        let server = cluster["server"].as_str().unwrap();
        let hostport = server.trim_start_matches("https://").trim_end_matches('/');
        let (host, port) = hostport.rsplit_once(':').unwrap();
        Server {
            host: host.to_string(),
            port: port.parse().unwrap(),
            ca: cluster["certificate-authority"].as_str().unwrap().into(),
        }
    }
}

/// `(rule, page, line, target, message)` of every finding of a JSON report.
fn findings(o: &Output) -> Vec<(String, String, u64, String, String)> {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["page"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["target"].as_str().unwrap_or("").into(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn summary(o: &Output, key: &str) -> u64 {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["summary"][key].as_u64().unwrap_or(0)
}

#[test]
fn the_cronjob_run_in_cluster_with_the_deploy_role_finds_what_an_admin_finds() {
    let Some(admin) = kubeconfig() else { return };
    let Some(()) = can_unshare() else { return };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = client_from(&admin, &rt);

    // the test's own objects, in a namespace of its own
    let ns = format!("t-incluster-{}", std::process::id());
    let namespaces: Api<Namespace> = Api::all(client.clone());
    rt.block_on(namespaces.create(
        &PostParams::default(),
        &serde_json::from_value(json!({"metadata": {"name": ns}})).unwrap(),
    ))
    .expect("namespace");
    let deployments: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        &ns,
        &ApiResource::from_gvk(&kube::core::GroupVersionKind::gvk("apps", "v1", "Deployment")),
    );
    let deployment = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "namespace": ns},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}},
            "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [{"name": "api", "image": "registry.example.org/api:2024.1"}]}}}
    });
    rt.block_on(deployments.create(
        &PostParams::default(),
        &serde_json::from_value(deployment).unwrap(),
    ))
    .expect("deployment");

    // `kubectl apply -k deploy/base`, then a token for the job's service account
    let cronjob = apply_base(&client, &rt);
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), "vigie");
    let request: TokenRequest =
        serde_json::from_value(json!({"spec": {"audiences": [], "expirationSeconds": 3600}})).unwrap();
    let token = rt
        .block_on(accounts.create_token_request("vigie-freshness", &PostParams::default(), &request))
        .expect("TokenRequest")
        .status
        .expect("a token")
        .token
        .expect("a token");

    // the service-account folder a pod would have
    let server = url_parts::of(&admin);
    let tmp = tempfile::tempdir().unwrap();
    let sa = tmp.path().join("serviceaccount");
    std::fs::create_dir(&sa).unwrap();
    std::fs::write(sa.join("token"), &token).unwrap();
    std::fs::copy(&server.ca, sa.join("ca.crt")).unwrap();
    std::fs::write(sa.join("namespace"), "vigie").unwrap();

    // the documentation: three owners' pages
    let today = chrono::Utc::now().date_naive();
    let docs = tmp.path().join("docs");
    let page = |rel: &str, owner: &str, reviewed: chrono::NaiveDate, body: &str| {
        let p = docs.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(
            p,
            format!("---\ntitle: {rel}\nowner: \"{owner}\"\nreviewed: {reviewed}\n---\n\n{body}"),
        )
        .unwrap();
    };
    page(
        "runbooks/api.md",
        "@team-api",
        today,
        &format!(
            "```bash\nkubectl -n {ns} rollout restart deployment/api\nkubectl -n {ns} get secret db-password\nkubectl -n {ns} scale deployment/gone --replicas=2\n```\n"
        ),
    );
    page(
        "runbooks/old.md",
        "@team-old",
        today - chrono::Duration::days(100),
        &format!("```bash\nkubectl -n {ns} get deployment api\n```\n"),
    );
    std::fs::write(
        docs.join("vigie.toml"),
        "language = \"en\"\nbase_url = \"https://docs.example.org\"\n",
    )
    .unwrap();
    let hook = Webhook::start();
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();

    // one job per cluster: the base (prod) and the staging overlay, each with its own state
    let run_job = |cronjob: &Value, cluster: &str| {
        let state = tmp.path().join(format!("state-{cluster}"));
        std::fs::create_dir_all(&state).unwrap();
        let secrets = BTreeMap::from([("vigie-notify", hook.url.clone())]);
        let mounts = BTreeMap::from([("docs", docs.clone()), ("state", state)]);
        let (words, env) = job_command(cronjob, &secrets, &mounts);
        assert_eq!(env["VIGIE_CLUSTER"], cluster);
        let o = run_in_pod(&words, &sa, &server, &home);
        (words, o)
    };
    let (words, job) = run_job(&cronjob, "prod");
    assert!(words.contains(&"prod=in-cluster".to_string()), "{words:?}");
    assert_eq!(job.status.code(), Some(1), "{}", text(&job));

    // the same check with the admin kubeconfig, for the same cluster name
    let o = command()
        .env("KUBECONFIG", &admin)
        .env_remove("KUBERNETES_SERVICE_HOST")
        .args([
            "check",
            "freshness",
            docs.to_str().unwrap(),
            "--kube-context",
            "prod=vigie-test",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let admin_findings = findings(&o);
    let in_cluster = findings(&job);
    // the kinds pages name were listed: the missing Deployment is found, the present one passes
    assert!(
        in_cluster.iter().any(|f| f.0 == "resource-missing"
            && f.3 == format!("deployment/gone -n {ns}")
            && f.4.contains("cluster prod")),
        "{in_cluster:?}"
    );
    assert!(
        in_cluster
            .iter()
            .any(|f| f.0 == "review-overdue" && f.1 == "runbooks/old.md"),
        "{in_cluster:?}"
    );
    // the same findings as the admin's, minus the Secret, which the role may not list
    let expected: Vec<_> = admin_findings
        .iter()
        .filter(|f| !f.3.starts_with("secret/"))
        .cloned()
        .collect();
    assert_ne!(
        expected, admin_findings,
        "the admin sees the Secret: {admin_findings:?}"
    );
    assert_eq!(in_cluster, expected);
    assert_eq!(summary(&job, "unchecked"), 1, "{}", text(&job));
    assert_eq!(summary(&o, "unchecked"), 0);
    assert_eq!(summary(&job, "checked") + 1, summary(&o, "checked"));
    let log = String::from_utf8_lossy(&job.stderr);
    assert!(
        log.contains(&format!("note: `secret` references were not checked in namespace {ns} on cluster prod: listing `secrets` is forbidden to these credentials (403)")),
        "{log}"
    );
    assert!(!log.contains(&token), "the token never shows");
    // and the owners were told: one message each, none on an immediate second run
    let told = hook.take();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(
        told.iter()
            .any(|r| r.body["text"].as_str().unwrap().contains("*@team-api*"))
    );
    assert!(told.iter().any(|r| {
        r.body["text"]
            .as_str()
            .unwrap()
            .contains("<https://docs.example.org/runbooks/old.html|")
    }));
    let (_, again) = run_job(&cronjob, "prod");
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(hook.take().is_empty(), "nothing new to say");

    // a second cluster: its own name in its report, its own state
    let staging = overlay(&cronjob, "deploy/clusters/staging");
    let (_, job) = run_job(&staging, "staging");
    assert_eq!(job.status.code(), Some(1), "{}", text(&job));
    let msgs: Vec<String> = findings(&job).into_iter().map(|f| f.4).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("deployment/gone") && m.contains("cluster staging")),
        "{msgs:?}"
    );
    assert!(!msgs.iter().any(|m| m.contains("cluster prod")), "{msgs:?}");
    assert!(String::from_utf8_lossy(&job.stderr).contains("on cluster staging"));

    // the server itself refuses Secrets to the job's account, in its namespace and everywhere
    let sa_kubeconfig = tmp.path().join("sa-kubeconfig");
    std::fs::write(
        &sa_kubeconfig,
        serde_json::to_string(&json!({
            "apiVersion": "v1", "kind": "Config",
            "clusters": [{"name": "c", "cluster": {"server": format!("https://{}:{}", server.host, server.port), "certificate-authority": server.ca}}],
            "users": [{"name": "sa", "user": {"token": token}}],
            "contexts": [{"name": "sa", "context": {"cluster": "c", "user": "sa"}}],
            "current-context": "sa"
        }))
        .unwrap(),
    )
    .unwrap();
    let as_job = client_from(&sa_kubeconfig, &rt);
    let forbidden = |r: kube::Result<_>| matches!(r, Err(kube::Error::Api(s)) if s.code == 403);
    let in_ns: Api<Secret> = Api::namespaced(as_job.clone(), &ns);
    assert!(forbidden(
        rt.block_on(in_ns.list(&ListParams::default())).map(|_| ())
    ));
    assert!(forbidden(rt.block_on(in_ns.get("db-password")).map(|_| ())));
    let everywhere: Api<Secret> = Api::all(as_job.clone());
    assert!(forbidden(
        rt.block_on(everywhere.list(&ListParams::default())).map(|_| ())
    ));
    let own: Api<Secret> = Api::namespaced(as_job.clone(), "vigie");
    assert!(forbidden(
        rt.block_on(own.list(&ListParams::default())).map(|_| ())
    ));
    // while what the role grants is allowed, and nothing more than reading
    let deps: Api<DynamicObject> = Api::namespaced_with(
        as_job.clone(),
        &ns,
        &ApiResource::from_gvk(&kube::core::GroupVersionKind::gvk("apps", "v1", "Deployment")),
    );
    assert_eq!(
        rt.block_on(deps.list(&ListParams::default()))
            .expect("list deployments")
            .items
            .len(),
        1
    );
    assert!(forbidden(
        rt.block_on(deps.delete("api", &Default::default())).map(|_| ())
    ));

    let _ = rt.block_on(namespaces.delete(&ns, &Default::default()));
}
