//! The state sources behind [`super::state::StateSource`]: live Kubernetes
//! ([`kube`]), live OpenStack ([`openstack`]) and snapshot files ([`snapshot`]),
//! opened from the command line (`--state`, `--kube-context`, `--os-cloud`) or,
//! when it names none, from `[freshness] state` in `vigie.toml`.
//!
//! Safety: sources only get and list. Secrets are read as metadata only, and
//! `kubectl.kubernetes.io/last-applied-configuration` (which can hold a
//! Secret's data) is dropped from every object; error messages go through a
//! redactor holding every password and token the sources were given.

pub mod kube;
pub mod openstack;
pub mod snapshot;

use serde_json::{Map, Value, json};

use super::config::FreshnessConfig;
use super::resource::Platform;
use super::state::StateSource;
use crate::config::Config;
use crate::error::{Error, Result};

/// Where platform state comes from, as the user named it: snapshot files,
/// live Kubernetes contexts, live OpenStack clouds. Empty: `vigie.toml` decides.
#[derive(Debug, Clone, Default)]
pub struct StateSpec {
    /// Snapshot files; `NAME=FILE` says which cluster or cloud one describes.
    pub states: Vec<std::path::PathBuf>,
    /// Kubernetes contexts (`current`, `in-cluster`, or a kubeconfig context);
    /// `NAME=CTX` says which cluster the context reaches (`prod=in-cluster`).
    pub kube_context: Vec<String>,
    /// OpenStack clouds (clouds.yaml entries; else the `OS_*` variables).
    pub os_cloud: Vec<String>,
}

impl StateSpec {
    /// True when no source is named (vigie.toml's `[freshness] state` then applies).
    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && self.kube_context.is_empty() && self.os_cloud.is_empty()
    }
}

/// The sources to read, and the clusters and clouds of claims that name none.
#[derive(Default)]
pub struct Sources {
    pub sources: Vec<Box<dyn StateSource>>,
    /// Clusters a Kubernetes reference without `cluster:` is checked against.
    pub default_clusters: Vec<String>,
    /// Clouds an OpenStack reference without `cloud:` is checked against.
    pub default_clouds: Vec<String>,
    pub redactor: Redactor,
}

impl Sources {
    /// The scopes a reference without one is checked against: `default_cluster` /
    /// `default_cloud` when configured, else every cluster (cloud) the sources describe.
    pub fn default_scopes(&self, platform: Platform) -> &[String] {
        match platform {
            Platform::Kubernetes => &self.default_clusters,
            Platform::OpenStack => &self.default_clouds,
        }
    }
}

/// Where sources come from when the command line names none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Configured {
    /// `[freshness] state` snapshots only (`vigie build`: no surprise network calls).
    Snapshots,
    /// Also the clusters and clouds of `[freshness.clusters]` / `[freshness.clouds]`, live
    /// (`check freshness`, `state dump`).
    Live,
}

/// Opens what `args` names or, when it names nothing, what `vigie.toml` does.
/// Live sources authenticate here: bad credentials and unreachable endpoints
/// are errors now, not silent passes later.
pub fn open(
    args: &StateSpec,
    fc: &FreshnessConfig,
    config: &Config,
    configured: Configured,
) -> Result<Sources> {
    let redactor = Redactor::default();
    let unnamed_scope = |p: Platform| match p {
        Platform::Kubernetes => fc
            .default_cluster
            .clone()
            .or_else(|| args.kube_context.first().map(|c| named_context(c, fc).0))
            .or_else(|| {
                (fc.clusters.len() == 1)
                    .then(|| fc.clusters.keys().next().cloned())
                    .flatten()
            })
            .unwrap_or_else(|| "default".into()),
        Platform::OpenStack => fc
            .default_cloud
            .clone()
            .or_else(|| args.os_cloud.first().map(|c| fc.cloud_of_entry(c)))
            .or_else(|| {
                (fc.clouds.len() == 1)
                    .then(|| fc.clouds.keys().next().cloned())
                    .flatten()
            })
            .unwrap_or_else(|| "default".into()),
    };
    let mut sources: Vec<Box<dyn StateSource>> = Vec::new();
    let files: Vec<(std::path::PathBuf, String)> = if args.is_empty() {
        fc.state
            .iter()
            .map(|p| (config.root.join(p), p.clone()))
            .collect()
    } else {
        args.states
            .iter()
            .map(|p| (p.clone(), p.display().to_string()))
            .collect()
    };
    for (path, shown) in &files {
        for s in snapshot::open(path, shown, &unnamed_scope)? {
            sources.push(Box::new(s));
        }
    }
    let mut clusters: Vec<(Option<String>, Option<std::path::PathBuf>, String)> = Vec::new();
    let mut clouds: Vec<(String, String)> = Vec::new();
    if args.is_empty() && configured == Configured::Live {
        for (name, c) in &fc.clusters {
            clusters.push((
                c.context.clone(),
                c.kubeconfig.as_ref().map(|k| config.root.join(k)),
                name.clone(),
            ));
        }
        for (name, c) in &fc.clouds {
            clouds.push((c.cloud.clone().unwrap_or_else(|| name.clone()), name.clone()));
        }
    } else {
        for written in &args.kube_context {
            let (name, context) = named_context(written, fc);
            if name.is_empty() || context.is_empty() {
                return Err(Error::Usage(format!(
                    "--kube-context {written:?}: write NAME=CONTEXT (`prod=in-cluster`) or a context alone"
                )));
            }
            let kubeconfig = fc
                .clusters
                .get(&name)
                .and_then(|c| c.kubeconfig.as_ref())
                .map(|k| config.root.join(k));
            clusters.push((Some(context.to_string()), kubeconfig, name));
        }
        for entry in &args.os_cloud {
            clouds.push((entry.clone(), fc.cloud_of_entry(entry)));
        }
    }
    for (context, kubeconfig, name) in clusters {
        sources.push(Box::new(kube::KubeSource::connect(
            context.as_deref(),
            kubeconfig.as_deref(),
            &name,
            &redactor,
        )?));
    }
    for (entry, name) in clouds {
        let all_projects = fc.clouds.get(&name).is_some_and(|c| c.all_projects);
        sources.push(Box::new(openstack::OpenStackSource::connect(
            &entry,
            &name,
            all_projects,
            &config.root,
            &redactor,
        )?));
    }
    let defaults = |p: Platform, configured: Option<&String>| -> Vec<String> {
        let mut scopes: Vec<String> = sources
            .iter()
            .filter(|s| s.platform() == p)
            .map(|s| s.scope().to_string())
            .collect();
        scopes.sort();
        scopes.dedup();
        match configured {
            Some(c) if !scopes.is_empty() => vec![c.clone()],
            _ => scopes,
        }
    };
    Ok(Sources {
        default_clusters: defaults(Platform::Kubernetes, fc.default_cluster.as_ref()),
        default_clouds: defaults(Platform::OpenStack, fc.default_cloud.as_ref()),
        sources,
        redactor,
    })
}

/// The cluster name and the context of a `--kube-context` value: `NAME=CTX`
/// names the cluster itself (one nightly job per cluster, each with the pod's
/// service account, `prod=in-cluster`); a context alone is named by
/// `[freshness.clusters]`, else by itself.
fn named_context<'a>(written: &'a str, fc: &FreshnessConfig) -> (String, &'a str) {
    match written.split_once('=') {
        Some((name, context)) => (name.trim().to_string(), context.trim()),
        None => (fc.cluster_of_context(written), written),
    }
}

pub use crate::redact::Redactor;

/// Runs `future` to completion on `rt`, from any thread (also from inside
/// another Tokio runtime, as `vigie serve` is).
pub fn block_on<F>(rt: &tokio::runtime::Runtime, future: F) -> F::Output
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| {
            s.spawn(|| rt.block_on(future))
                .join()
                .expect("state source thread")
        })
    } else {
        rt.block_on(future)
    }
}

/// A Kubernetes object as vigie keeps it: no Secret data, no
/// last-applied-configuration, and managed fields reduced to who changed
/// which top-level part when (the times are what `changed-since-review` reads).
pub fn sanitize_kube(mut v: Value) -> Value {
    let is_secret = v.get("kind").and_then(Value::as_str) == Some("Secret");
    if let Some(obj) = v.as_object_mut() {
        if is_secret {
            obj.remove("data");
            obj.remove("stringData");
        }
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            if let Some(ann) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
                ann.remove("kubectl.kubernetes.io/last-applied-configuration");
            }
            if let Some(Value::Array(fields)) = meta.get_mut("managedFields") {
                for f in fields.iter_mut() {
                    if let Some(f) = f.as_object_mut()
                        && let Some(Value::Object(fv)) = f.get("fieldsV1")
                    {
                        let top: Map<String, Value> = fv.keys().map(|k| (k.clone(), json!({}))).collect();
                        f.insert("fieldsV1".into(), Value::Object(top));
                    }
                }
            }
        }
    }
    v
}

/// Helm 3 releases from the Secrets Helm keeps (`owner=helm`, `name=RELEASE`),
/// one object per release (its newest revision).
pub fn helm_releases(secrets: &[Value]) -> Vec<Value> {
    let mut out: std::collections::BTreeMap<(String, String), Value> = Default::default();
    for s in secrets {
        let labels = s.pointer("/metadata/labels");
        let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        if label("owner") != Some("helm") {
            continue;
        }
        let (Some(name), Some(ns)) = (
            label("name"),
            s.pointer("/metadata/namespace").and_then(Value::as_str),
        ) else {
            continue;
        };
        let version: i64 = label("version").and_then(|v| v.parse().ok()).unwrap_or(0);
        let release = json!({
            "kind": "HelmRelease",
            "metadata": {
                "name": name,
                "namespace": ns,
                "creationTimestamp": s.pointer("/metadata/creationTimestamp"),
                "labels": {"status": label("status"), "version": version.to_string()},
            },
            "status": label("status"),
            "version": version,
        });
        let key = (ns.to_string(), name.to_string());
        let newer = out
            .get(&key)
            .and_then(|r| r.get("version").and_then(Value::as_i64))
            .is_none_or(|v| version >= v);
        if newer {
            out.insert(key, release);
        }
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_drops_secret_data_and_applied_config() {
        let v = json!({"kind": "Secret", "data": {"p": "c2VjcmV0"}, "metadata": {"name": "x",
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"p\":\"c2VjcmV0\"}}", "keep": "1"},
            "managedFields": [{"manager": "kubectl", "time": "2026-01-01T00:00:00Z", "fieldsV1": {"f:data": {"f:p": {}}}}]}});
        let s = sanitize_kube(v).to_string();
        assert!(!s.contains("c2VjcmV0"), "{s}");
        assert!(s.contains("\"keep\":\"1\""));
        assert!(s.contains("\"f:data\":{}"));
    }

    #[test]
    fn helm_releases_keep_the_newest_revision() {
        let secret = |v: &str, status: &str| {
            json!({"kind": "Secret", "metadata": {"name": format!("sh.helm.release.v1.nova.v{v}"), "namespace": "openstack",
                "labels": {"owner": "helm", "name": "nova", "version": v, "status": status}}})
        };
        let r = helm_releases(&[secret("1", "superseded"), secret("2", "deployed")]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0]["status"], "deployed");
    }
}
