//! Live Kubernetes through kube-rs: a kubeconfig context (`KUBECONFIG` or
//! `~/.kube/config`), `current` for the current context, or `in-cluster` for
//! the pod's service account. Read-only: discovery (`/api`, `/apis/…`) and one
//! list per kind and namespace referenced. Secrets (and the Helm releases kept
//! in them) are listed as metadata only.
//!
//! The minimal RBAC role this needs is `get`/`list` on the kinds the pages name,
//! plus `get` on the discovery endpoints (granted to every authenticated user).
//! A kind the role may not list (403) leaves its references unchecked, with a
//! note naming the kind and namespaces; credentials that may list none of the
//! kinds asked for are an error.

use std::collections::HashMap;
use std::time::Duration;

use kube::api::{Api, DynamicObject, ListParams};
use kube::config::KubeConfigOptions;
use kube::discovery::ApiResource;
use serde_json::{Value, json};

use super::{Redactor, block_on, helm_releases, sanitize_kube};
use crate::error::Result;
use crate::freshness::resource::{Platform, known_kind, singular};
use crate::freshness::state::{Listing, Query, StateSource};

/// One cluster, reached through one kubeconfig context.
pub struct KubeSource {
    name: String,
    cluster: String,
    server: String,
    client: kube::Client,
    rt: tokio::runtime::Runtime,
    redactor: Redactor,
    notes: std::sync::Mutex<Vec<String>>,
}

impl KubeSource {
    /// Loads the context and checks the cluster answers (`/version`) with these
    /// credentials. `context`: a kubeconfig context, `current`, `in-cluster`, or
    /// `None` (the pod's service account in a pod, else the current context).
    pub fn connect(
        context: Option<&str>,
        kubeconfig: Option<&std::path::Path>,
        cluster: &str,
        redactor: &Redactor,
    ) -> Result<KubeSource> {
        for secret in kubeconfig_secrets(kubeconfig) {
            redactor.add(&secret);
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| redactor.error(format!("cannot start the Kubernetes client: {e}")))?;
        let context = match context {
            Some(c) => c.to_string(),
            None if std::env::var_os("KUBERNETES_SERVICE_HOST").is_some() => "in-cluster".to_string(),
            None => "current".to_string(),
        };
        let ctx = context.clone();
        let file = kubeconfig.map(|p| p.to_path_buf());
        let mut config = block_on(&rt, async move {
            let options = KubeConfigOptions {
                context: (ctx != "current").then(|| ctx.clone()),
                ..Default::default()
            };
            match (ctx.as_str(), file) {
                ("in-cluster", _) => kube::Config::incluster().map_err(|e| e.to_string()),
                (_, Some(path)) => {
                    let kc = kube::config::Kubeconfig::read_from(&path)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    kube::Config::from_custom_kubeconfig(kc, &options)
                        .await
                        .map_err(|e| e.to_string())
                }
                (_, None) => kube::Config::from_kubeconfig(&options).await.map_err(|e| e.to_string()),
            }
        })
        .map_err(|e| {
            redactor.error(format!(
                "Kubernetes context `{context}`: {e}. Check KUBECONFIG (or ~/.kube/config) and the context name (`kubectl config get-contexts`)"
            ))
        })?;
        config.connect_timeout = Some(Duration::from_secs(10));
        config.read_timeout = Some(Duration::from_secs(60));
        let server = config.cluster_url.to_string();
        let client = block_on(&rt, async move { kube::Client::try_from(config) })
            .map_err(|e| redactor.error(format!("Kubernetes context `{context}`: {e}")))?;
        let name = format!("kubernetes cluster {cluster} (context {context}, {server})");
        let probe = client.clone();
        block_on(&rt, async move { probe.apiserver_version().await }).map_err(|e| {
            redactor.error(format!(
                "cannot use Kubernetes cluster {cluster} (context {context}, {server}): {}",
                describe(&e)
            ))
        })?;
        Ok(KubeSource {
            name,
            cluster: cluster.to_string(),
            server,
            client,
            rt,
            redactor: redactor.clone(),
            notes: Default::default(),
        })
    }
}

impl StateSource for KubeSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn platform(&self) -> Platform {
        Platform::Kubernetes
    }

    fn scope(&self) -> &str {
        &self.cluster
    }

    fn notes(&self) -> Vec<String> {
        self.notes.lock().map(|n| n.clone()).unwrap_or_default()
    }

    fn list(&self, queries: &[Query]) -> Result<Vec<Listing>> {
        let client = self.client.clone();
        let queries = queries.to_vec();
        let result = block_on(&self.rt, async move {
            let mut resolver = Resolver::new(client.clone());
            let mut resolved = Vec::new();
            for q in &queries {
                resolved.push((q.clone(), resolver.resolve(&q.kind).await?));
            }
            let mut out = Vec::new();
            let mut forbidden = Vec::new();
            for chunk in resolved.chunks(8) {
                let mut set = tokio::task::JoinSet::new();
                for (q, found) in chunk.iter().cloned() {
                    let client = client.clone();
                    set.spawn(async move {
                        let mut merged: Option<Listing> = None;
                        for res in found {
                            let l = match fetch(client.clone(), &q, res.clone()).await {
                                Ok(l) => l,
                                // a kind these credentials may not list (a read-only role
                                // rightly grants no Secrets): its references stay unchecked
                                Err(Failure::Api {
                                    what,
                                    error: kube::Error::Api(s),
                                }) if s.code == 403 => {
                                    return Ok(Err(Forbidden {
                                        query: q,
                                        res,
                                        failure: Failure::Api {
                                            what,
                                            error: kube::Error::Api(s),
                                        },
                                    }));
                                }
                                Err(e) => return Err(e),
                            };
                            match &mut merged {
                                None => merged = Some(l),
                                Some(m) => m.items.extend(l.items),
                            }
                        }
                        Ok(Ok(merged.unwrap_or(Listing {
                            kind: q.kind.clone(),
                            api_kind: None,
                            api_version: None,
                            namespace: None,
                            served: false,
                            items: Vec::new(),
                        })))
                    });
                }
                while let Some(done) = set.join_next().await {
                    match done.map_err(|e| Failure::Other(e.to_string()))?? {
                        Ok(l) => out.push(l),
                        Err(f) => forbidden.push(f),
                    }
                }
            }
            // credentials that may list none of the kinds the pages name are not a
            // read-only role missing a kind: they cannot check anything
            if !out.iter().any(|l| l.served)
                && let Some(first) = forbidden.pop()
            {
                return Err(first.failure);
            }
            Ok::<_, Failure>((out, forbidden))
        });
        let (listings, forbidden) = result.map_err(|f| {
            self.redactor.error(format!(
                "Kubernetes cluster {} ({}): {}",
                self.cluster,
                self.server,
                f.message()
            ))
        })?;
        if !forbidden.is_empty()
            && let Ok(mut notes) = self.notes.lock()
        {
            notes.extend(forbidden_notes(&self.cluster, &forbidden));
        }
        Ok(listings)
    }
}

/// A list the credentials were refused (403).
struct Forbidden {
    query: Query,
    res: Resolved,
    failure: Failure,
}

/// One note per kind refused: which kind, in which namespaces, and what to do.
fn forbidden_notes(cluster: &str, forbidden: &[Forbidden]) -> Vec<String> {
    let mut by_kind: std::collections::BTreeMap<&str, Vec<&Forbidden>> = Default::default();
    for f in forbidden {
        by_kind.entry(&f.query.kind).or_default().push(f);
    }
    by_kind
        .into_iter()
        .map(|(kind, refused)| {
            let res = &refused[0].res;
            // a cluster-scoped kind is listed once, whatever namespace a page wrote
            let mut namespaces: Vec<&str> = refused
                .iter()
                .filter(|f| f.res.namespaced)
                .filter_map(|f| f.query.namespace.as_deref())
                .collect();
            namespaces.sort();
            namespaces.dedup();
            let all_namespaces = refused
                .iter()
                .any(|f| f.res.namespaced && f.query.namespace.is_none());
            let mut places = Vec::new();
            match namespaces.as_slice() {
                [] => {}
                [one] => places.push(format!("in namespace {one}")),
                many => places.push(format!("in namespaces {}", many.join(", "))),
            }
            if all_namespaces {
                places.push("in all namespaces".to_string());
            }
            let place: String = places.iter().map(|w| format!(" {w}")).collect();
            let resource = if res.ar.group.is_empty() {
                format!("`{}`", res.ar.plural)
            } else {
                format!("`{}` (API group {})", res.ar.plural, res.ar.group)
            };
            if kind == "helmrelease" {
                format!(
                    "Helm releases were not checked{place} on cluster {cluster}: listing Secrets (their metadata only) is forbidden to these credentials (403). Grant `list` on secrets, or add \"helmrelease/*\" to [freshness] ignore"
                )
            } else {
                format!(
                    "`{kind}` references were not checked{place} on cluster {cluster}: listing {resource} is forbidden to these credentials (403). Grant `list` on {resource}, or add \"{kind}/*\" to [freshness] ignore"
                )
            }
        })
        .collect()
}

/// A resource type as the cluster serves it.
#[derive(Debug, Clone)]
struct Resolved {
    ar: ApiResource,
    namespaced: bool,
}

enum Failure {
    Api { what: String, error: kube::Error },
    Other(String),
}

impl Failure {
    fn message(&self) -> String {
        match self {
            Failure::Api { what, error } => format!("{what}: {}", describe(error)),
            Failure::Other(m) => m.clone(),
        }
    }
}

/// A kube error in words, with what to do for the common ones.
fn describe(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(status) if status.code == 401 => {
            "unauthorized (401): the credentials were refused; renew the token or certificate".into()
        }
        kube::Error::Api(status) if status.code == 403 => format!(
            "forbidden (403): {}. vigie needs get/list on the kinds the pages name (see the read-only role in the user guide)",
            status.message
        ),
        kube::Error::Api(status) => format!("{} ({})", status.message, status.code),
        other => {
            let mut m = other.to_string();
            let mut src = std::error::Error::source(other);
            while let Some(s) = src {
                m.push_str(&format!(": {s}"));
                src = s.source();
            }
            m
        }
    }
}

/// Finds which group/version serves a kind, asking only what it needs:
/// the built-in group of well-known kinds, the whole discovery for others.
struct Resolver {
    client: kube::Client,
    groups: Option<Vec<(String, Vec<String>)>>,
    resources: HashMap<String, Vec<k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResource>>,
}

impl Resolver {
    fn new(client: kube::Client) -> Resolver {
        Resolver {
            client,
            groups: None,
            resources: HashMap::new(),
        }
    }

    /// (group, versions with the preferred one first), core group as "".
    async fn groups(&mut self) -> Result<&[(String, Vec<String>)], Failure> {
        if self.groups.is_none() {
            let list = self
                .client
                .list_api_groups()
                .await
                .map_err(|error| Failure::Api {
                    what: "discovery (/apis)".into(),
                    error,
                })?;
            let mut groups = vec![(String::new(), vec!["v1".to_string()])];
            for g in list.groups {
                let preferred = g.preferred_version.map(|p| p.version);
                let mut versions: Vec<String> = g.versions.into_iter().map(|v| v.version).collect();
                if let Some(p) = preferred {
                    versions.retain(|v| *v != p);
                    versions.insert(0, p);
                }
                groups.push((g.name, versions));
            }
            self.groups = Some(groups);
        }
        Ok(self.groups.as_deref().unwrap_or(&[]))
    }

    async fn resources(
        &mut self,
        group: &str,
        version: &str,
    ) -> Result<&[k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResource], Failure> {
        let gv = if group.is_empty() {
            version.to_string()
        } else {
            format!("{group}/{version}")
        };
        if !self.resources.contains_key(&gv) {
            let list = if group.is_empty() {
                self.client.list_core_api_resources(version).await
            } else {
                self.client.list_api_group_resources(&gv).await
            };
            let list = match list {
                Ok(l) => l.resources,
                // an aggregated API that is down: its kinds are simply not served
                Err(kube::Error::Api(s)) if s.code == 404 || s.code == 503 => Vec::new(),
                Err(error) => {
                    return Err(Failure::Api {
                        what: format!("discovery ({gv})"),
                        error,
                    });
                }
            };
            self.resources.insert(gv.clone(), list);
        }
        Ok(self.resources.get(&gv).map(Vec::as_slice).unwrap_or(&[]))
    }

    /// Every group that serves the kind (a kind name can exist in several
    /// groups: their objects are listed together), in its first version that does.
    async fn resolve(&mut self, key: &str) -> Result<Vec<Resolved>, Failure> {
        let lookup = if key == "helmrelease" { "secret" } else { key };
        let matches = |r: &k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResource| {
            !r.name.contains('/')
                && (r.kind.eq_ignore_ascii_case(lookup)
                    || r.name == lookup
                    || singular(&r.name) == lookup
                    || r.singular_name == lookup
                    || r.short_names
                        .as_ref()
                        .is_some_and(|s| s.iter().any(|n| n == lookup)))
        };
        let groups: Vec<(String, Vec<String>)> = self.groups().await?.to_vec();
        let known = known_kind(lookup);
        let candidates: Vec<(String, Vec<String>)> = match known {
            // a built-in kind: its own group, every version (CronJob is batch/v1beta1 on old clusters)
            Some(k) => groups.into_iter().filter(|(g, _)| g == k.group).collect(),
            None => groups
                .into_iter()
                .map(|(g, v)| (g, v.into_iter().take(1).collect()))
                .collect(),
        };
        let mut found = Vec::new();
        for (group, versions) in candidates {
            for version in versions {
                let hit = self
                    .resources(&group, &version)
                    .await?
                    .iter()
                    .find(|r| matches(r))
                    .map(|r| (r.kind.clone(), r.name.clone(), r.namespaced));
                if let Some((kind, plural, namespaced)) = hit {
                    let api_version = if group.is_empty() {
                        version.clone()
                    } else {
                        format!("{group}/{version}")
                    };
                    found.push(Resolved {
                        ar: ApiResource {
                            group: group.clone(),
                            version: version.clone(),
                            api_version,
                            kind,
                            plural,
                        },
                        namespaced,
                    });
                    break;
                }
            }
        }
        Ok(found)
    }
}

/// One list (all pages of it) for one query.
async fn fetch(client: kube::Client, q: &Query, res: Resolved) -> Result<Listing, Failure> {
    let namespace = if res.namespaced { q.namespace.clone() } else { None };
    let api: Api<DynamicObject> = match &namespace {
        Some(ns) => Api::namespaced_with(client, ns, &res.ar),
        None => Api::all_with(client, &res.ar),
    };
    let helm = q.kind == "helmrelease";
    let metadata_only = helm || res.ar.kind == "Secret";
    let what = format!(
        "list {}{}",
        res.ar.plural,
        namespace
            .as_ref()
            .map(|n| format!(" in namespace {n}"))
            .unwrap_or_default()
    );
    let mut items = Vec::new();
    let mut lp = ListParams::default().limit(500);
    if helm {
        lp = lp.labels("owner=helm");
    }
    loop {
        let (page, next) = if metadata_only {
            let l = api.list_metadata(&lp).await.map_err(|error| Failure::Api {
                what: what.clone(),
                error,
            })?;
            let page: Vec<Value> = l
                .items
                .into_iter()
                .map(|o| json!({"metadata": serde_json::to_value(&o.metadata).unwrap_or(Value::Null)}))
                .collect();
            (page, l.metadata.continue_)
        } else {
            let l = api.list(&lp).await.map_err(|error| Failure::Api {
                what: what.clone(),
                error,
            })?;
            let page: Vec<Value> = l
                .items
                .into_iter()
                .map(|o| serde_json::to_value(&o).unwrap_or(Value::Null))
                .collect();
            (page, l.metadata.continue_)
        };
        for mut v in page {
            if let Some(obj) = v.as_object_mut() {
                obj.insert("kind".into(), Value::String(res.ar.kind.clone()));
                obj.insert("apiVersion".into(), Value::String(res.ar.api_version.clone()));
            }
            items.push(sanitize_kube(v));
        }
        match next.filter(|c| !c.is_empty()) {
            Some(c) => lp = lp.continue_token(&c),
            None => break,
        }
    }
    if helm {
        items = helm_releases(&items);
    }
    Ok(Listing {
        kind: q.kind.clone(),
        api_kind: Some(if helm {
            "HelmRelease".into()
        } else {
            res.ar.kind.clone()
        }),
        api_version: (!helm).then(|| res.ar.api_version.clone()),
        namespace,
        served: true,
        items,
    })
}

/// Tokens, passwords and keys written in the kubeconfig files, so that no
/// message can ever show them.
fn kubeconfig_secrets(file: Option<&std::path::Path>) -> Vec<String> {
    let paths: Vec<std::path::PathBuf> = match (file, std::env::var_os("KUBECONFIG")) {
        (Some(f), _) => vec![f.to_path_buf()],
        (None, Some(v)) if !v.is_empty() => std::env::split_paths(&v).collect(),
        _ => std::env::var_os("HOME")
            .map(|h| vec![std::path::Path::new(&h).join(".kube/config")])
            .unwrap_or_default(),
    };
    let mut out = Vec::new();
    for p in paths {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let Ok(v) = serde_saphyr::from_str::<Value>(&text) else {
            continue;
        };
        for user in v.get("users").and_then(Value::as_array).into_iter().flatten() {
            if let Some(u) = user.get("user").and_then(Value::as_object) {
                for key in ["token", "password", "client-key-data"] {
                    if let Some(s) = u.get(key).and_then(Value::as_str) {
                        out.push(s.to_string());
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(
        kind: &str,
        namespace: Option<&str>,
        group: &str,
        plural: &str,
        namespaced: bool,
    ) -> Forbidden {
        Forbidden {
            query: Query {
                kind: kind.into(),
                namespace: namespace.map(String::from),
                claimed: false,
            },
            res: Resolved {
                ar: ApiResource {
                    group: group.into(),
                    version: "v1".into(),
                    api_version: "v1".into(),
                    kind: kind.into(),
                    plural: plural.into(),
                },
                namespaced,
            },
            failure: Failure::Other("forbidden".into()),
        }
    }

    #[test]
    fn refused_kinds_are_named_with_their_namespaces() {
        let notes = forbidden_notes(
            "prod",
            &[
                refused("secret", Some("openstack"), "", "secrets", true),
                refused("secret", Some("ceph"), "", "secrets", true),
                refused("schedule", None, "velero.io", "schedules", true),
                refused("node", None, "", "nodes", false),
                refused("node", Some("openstack"), "", "nodes", false),
                refused("helmrelease", Some("openstack"), "", "secrets", true),
            ],
        );
        assert_eq!(
            notes,
            [
                "Helm releases were not checked in namespace openstack on cluster prod: listing Secrets (their metadata only) is forbidden to these credentials (403). Grant `list` on secrets, or add \"helmrelease/*\" to [freshness] ignore",
                "`node` references were not checked on cluster prod: listing `nodes` is forbidden to these credentials (403). Grant `list` on `nodes`, or add \"node/*\" to [freshness] ignore",
                "`schedule` references were not checked in all namespaces on cluster prod: listing `schedules` (API group velero.io) is forbidden to these credentials (403). Grant `list` on `schedules` (API group velero.io), or add \"schedule/*\" to [freshness] ignore",
                "`secret` references were not checked in namespaces ceph, openstack on cluster prod: listing `secrets` is forbidden to these credentials (403). Grant `list` on `secrets`, or add \"secret/*\" to [freshness] ignore",
            ]
        );
    }
}
