//! Snapshot files: state recorded earlier, so CI needs no cluster credentials.
//!
//! Understood formats (JSON; `.yaml` files for `kubectl get -o yaml`):
//! - vigie's own `vigie state dump` output: `{"vigie_state": 1, "sources": [{"platform",
//!   "name", "lists": [{"kind", "namespace", "items"}]}]}` — it records what was listed,
//!   empty lists included, so an object missing from it is really missing;
//! - `kubectl get … -o json` (a `List`, a `DeploymentList`, or one object);
//! - OpenStack API bodies: `{"flavors": […]}`, `{"servers": […]}`, `{"networks": […]}`,
//!   `subnets`, `routers`, `security_groups`, `volumes`, `images` (several in one file is fine);
//! - `openstack … list -f json` arrays (the kind from the file name or the columns).
//!
//! A `kubectl` list covers each kind in each namespace its items are in (all
//! namespaces when they span several: `kubectl get -A`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{helm_releases, sanitize_kube};
use crate::error::{Error, Result};
use crate::freshness::resource::{Platform, kube_kind, openstack_kind};
use crate::freshness::state::{Listing, Query, StateSource};

/// The current version of vigie's snapshot format.
pub const FORMAT_VERSION: u32 = 1;

/// vigie's own snapshot format (`vigie state dump`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Snapshot {
    pub vigie_state: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<String>,
    pub sources: Vec<SnapshotScope>,
}

/// What one cluster or cloud held.
#[derive(Debug, Serialize, Deserialize)]
pub struct SnapshotScope {
    pub platform: Platform,
    /// Cluster or cloud name.
    pub name: String,
    pub lists: Vec<Listing>,
}

/// One (platform, scope) part of a snapshot file, answering queries from memory.
pub struct SnapshotSource {
    name: String,
    platform: Platform,
    scope: String,
    lists: Vec<Listing>,
}

impl StateSource for SnapshotSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn platform(&self) -> Platform {
        self.platform
    }

    fn scope(&self) -> &str {
        &self.scope
    }

    fn list(&self, queries: &[Query]) -> Result<Vec<Listing>> {
        Ok(self
            .lists
            .iter()
            .filter(|l| queries.iter().any(|q| q.kind == l.kind))
            .cloned()
            .collect())
    }
}

/// Opens `spec` (`FILE`, or `SCOPE=FILE` to name the cluster or cloud the file
/// describes). Formats without names describe the default cluster or cloud.
pub fn open(
    spec: &Path,
    shown: &str,
    default_scope: &dyn Fn(Platform) -> String,
) -> Result<Vec<SnapshotSource>> {
    let (scope, path) = split_spec(spec);
    let text = crate::confine::read_text_limited(&path, crate::confine::STATE_LIMIT, "state file")?;
    let yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let value: Value = if yaml {
        serde_saphyr::from_str(&text).map_err(|e| {
            let (line, said) = crate::error::yaml_problem(&e.to_string());
            Error::input(&path, line.unwrap_or(1), format!("not a state snapshot: {said}"))
        })?
    } else {
        serde_json::from_str(&text).map_err(|e| {
            Error::input(
                &path,
                e.line(),
                format!(
                    "not a state snapshot: {e} (expected `vigie state dump` output, `kubectl get … -o json` or an OpenStack API body)"
                ),
            )
        })?
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let parts = parse(value, &file_name).map_err(|m| Error::input(&path, 1, m))?;
    Ok(parts
        .into_iter()
        .map(|(platform, named, lists)| {
            let scope = named
                .or_else(|| scope.clone())
                .unwrap_or_else(|| default_scope(platform));
            SnapshotSource {
                name: format!("snapshot {shown} ({} {scope})", platform.as_str()),
                platform,
                scope,
                lists,
            }
        })
        .collect())
}

/// `prod=state.json` → (Some("prod"), state.json), unless a file of that name exists.
fn split_spec(spec: &Path) -> (Option<String>, PathBuf) {
    let s = spec.to_string_lossy();
    if !spec.exists()
        && let Some((scope, file)) = s.split_once('=')
        && !scope.is_empty()
        && !scope.contains('/')
    {
        return (Some(scope.to_string()), PathBuf::from(file));
    }
    (None, spec.to_path_buf())
}

type Part = (Platform, Option<String>, Vec<Listing>);

/// Recognises the format of a parsed snapshot file.
pub fn parse(value: Value, file_name: &str) -> std::result::Result<Vec<Part>, String> {
    if value.get("vigie_state").is_some() {
        let snap: Snapshot =
            serde_json::from_value(value).map_err(|e| format!("invalid vigie snapshot: {e}"))?;
        if snap.vigie_state > FORMAT_VERSION {
            return Err(format!(
                "snapshot format {} is newer than this vigie understands ({FORMAT_VERSION}): upgrade vigie",
                snap.vigie_state
            ));
        }
        return Ok(snap
            .sources
            .into_iter()
            .map(|s| {
                let lists = s
                    .lists
                    .into_iter()
                    .map(|mut l| {
                        if s.platform == Platform::Kubernetes {
                            l.items = l.items.into_iter().map(sanitize_kube).collect();
                        }
                        l
                    })
                    .collect();
                (s.platform, Some(s.name), lists)
            })
            .collect());
    }
    match value {
        Value::Object(map) if map.contains_key("items") || map.contains_key("apiVersion") => {
            let items = match map.get("items") {
                Some(Value::Array(items)) => items.clone(),
                Some(_) => return Err("`items` must be a list".into()),
                None => vec![Value::Object(map)],
            };
            Ok(vec![(Platform::Kubernetes, None, kube_lists(items))])
        }
        Value::Object(map) => {
            let mut lists = Vec::new();
            for (key, v) in &map {
                let Some(kind) = openstack_body_kind(key) else {
                    continue;
                };
                let Value::Array(items) = v else {
                    return Err(format!("`{key}` must be a list"));
                };
                lists.push(os_listing(kind, items.clone()));
            }
            if lists.is_empty() {
                return Err(
                    "no state found: expected `vigie state dump` output, a Kubernetes List (`kubectl get … -o json`) or an OpenStack body such as {\"flavors\": […]}"
                        .into(),
                );
            }
            Ok(vec![(Platform::OpenStack, None, lists)])
        }
        Value::Array(items) => {
            let kind = cli_kind(file_name, &items).ok_or_else(|| {
                "an `openstack … list -f json` array whose kind vigie cannot tell: name the file after it (flavors.json, networks.json, …)"
                    .to_string()
            })?;
            let items = items.into_iter().map(cli_item).collect();
            Ok(vec![(Platform::OpenStack, None, vec![os_listing(kind, items)])])
        }
        _ => Err("not a state snapshot".into()),
    }
}

fn os_listing(kind: &str, items: Vec<Value>) -> Listing {
    Listing {
        kind: kind.to_string(),
        api_kind: Some(kind.to_string()),
        api_version: None,
        namespace: None,
        served: true,
        items,
    }
}

/// `flavors` → `flavor`, `security_groups` → `security_group`.
fn openstack_body_kind(key: &str) -> Option<&'static str> {
    match key {
        "flavors" | "servers" | "networks" | "subnets" | "routers" | "volumes" | "images"
        | "security_groups" => openstack_kind(key.trim_end_matches('s')),
        _ => None,
    }
}

/// The kind of an `openstack … list -f json` array, from the file name, else from its columns.
fn cli_kind(file_name: &str, items: &[Value]) -> Option<&'static str> {
    let lower = file_name.to_ascii_lowercase();
    for (word, kind) in [
        ("security-group", "security_group"),
        ("security_group", "security_group"),
        ("secgroup", "security_group"),
        ("flavor", "flavor"),
        ("server", "server"),
        ("subnet", "subnet"),
        ("network", "network"),
        ("router", "router"),
        ("volume", "volume"),
        ("image", "image"),
    ] {
        if lower.contains(word) {
            return Some(kind);
        }
    }
    let first = items.first()?.as_object()?;
    let has = |k: &str| first.contains_key(k);
    Some(if has("VCPUs") || has("RAM") {
        "flavor"
    } else if has("Networks") && has("Flavor") {
        "server"
    } else if has("Subnet") && has("Network") {
        "subnet"
    } else if has("Subnets") {
        "network"
    } else if has("Attached to") || has("Size") {
        "volume"
    } else if has("External gateway info") || has("State") {
        "router"
    } else {
        return None;
    })
}

/// `{"ID": …, "Is Public": …, "VCPUs": …}` → `{"id": …, "is_public": …, "vcpus": …}`.
fn cli_item(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase().replace([' ', '-'], "_"), v))
                .collect::<Map<String, Value>>(),
        ),
        other => other,
    }
}

/// Groups Kubernetes objects into listings by kind and namespace.
pub fn kube_lists(items: Vec<Value>) -> Vec<Listing> {
    let mut by_kind: BTreeMap<String, (String, Option<String>, Vec<Value>)> = BTreeMap::new();
    for item in items {
        let Some(kind) = item.get("kind").and_then(Value::as_str).map(String::from) else {
            continue;
        };
        let Some(kk) = kube_kind(&kind) else { continue };
        let api_version = item.get("apiVersion").and_then(Value::as_str).map(String::from);
        by_kind
            .entry(kk.key)
            .or_insert_with(|| (kind, api_version, Vec::new()))
            .2
            .push(sanitize_kube(item));
    }
    let mut lists = Vec::new();
    for (key, (api_kind, api_version, items)) in by_kind {
        let mut namespaces: BTreeMap<Option<String>, Vec<Value>> = BTreeMap::new();
        for item in items {
            let ns = item
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .map(String::from);
            namespaces.entry(ns).or_default().push(item);
        }
        let spans_all = namespaces.len() > 1 || namespaces.contains_key(&None);
        let groups: Vec<(Option<String>, Vec<Value>)> = if spans_all {
            vec![(None, namespaces.into_values().flatten().collect())]
        } else {
            namespaces.into_iter().collect()
        };
        for (namespace, items) in groups {
            if key == "secret" {
                lists.push(Listing {
                    kind: "helmrelease".into(),
                    api_kind: Some("HelmRelease".into()),
                    api_version: None,
                    namespace: namespace.clone(),
                    served: true,
                    items: helm_releases(&items),
                });
            }
            lists.push(Listing {
                kind: key.clone(),
                api_kind: Some(api_kind.clone()),
                api_version: api_version.clone(),
                namespace,
                served: true,
                items,
            });
        }
    }
    lists
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_lists_cover_their_namespaces() {
        let v = json!({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a", "namespace": "openstack"}},
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "openstack"}},
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "openstack",
              "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"password\":\"aHVudGVyMg==\"}}"}},
             "data": {"password": "aHVudGVyMg=="}},
        ]});
        let parts = parse(v, "state.json").unwrap();
        let lists = &parts[0].2;
        let d = lists.iter().find(|l| l.kind == "deployment").unwrap();
        assert_eq!(d.namespace.as_deref(), Some("openstack"));
        let ns = lists.iter().find(|l| l.kind == "namespace").unwrap();
        assert_eq!(ns.namespace, None);
        let secret = &lists.iter().find(|l| l.kind == "secret").unwrap().items[0];
        assert!(!secret.to_string().contains("aHVudGVyMg"), "{secret}");
    }

    #[test]
    fn openstack_bodies_and_cli_output() {
        let v = json!({"flavors": [{"id": "1", "name": "m1.small", "vcpus": 1}], "networks": []});
        let parts = parse(v, "x.json").unwrap();
        assert_eq!(parts[0].0, Platform::OpenStack);
        assert_eq!(parts[0].2.len(), 2);
        let cli =
            json!([{"ID": "1", "Name": "m1.small", "RAM": 2048, "Disk": 20, "VCPUs": 1, "Is Public": true}]);
        let parts = parse(cli, "out.json").unwrap();
        let l = &parts[0].2[0];
        assert_eq!(l.kind, "flavor");
        assert_eq!(l.items[0]["is_public"], true);
        assert!(
            parse(json!({"hello": 1}), "x.json")
                .unwrap_err()
                .contains("no state found")
        );
    }
}
