//! Platform state: the [`StateSource`] seam (live Kubernetes, live OpenStack,
//! snapshot files) and the [`State`] index the rules read.
//!
//! Sources are asked in batches: one list per kind and namespace that pages
//! actually reference ([`plan`]), never one call per reference, so 10,000 pages
//! naming 5,000 objects cost a few dozen list calls. What a source did not
//! list is *unknown*, never *missing*.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::references::{Origin, Reference};
use super::resource::{Platform, ResourceRef, known_kind};
use crate::error::Result;

/// A list a source is asked for: every object of `kind` in `namespace`
/// (`None`: every namespace, or a cluster-scoped kind).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Query {
    /// Canonical kind key (see [`super::resource`]).
    pub kind: String,
    pub namespace: Option<String>,
    /// True when a claim (not just a command) names this kind: a kind the
    /// cluster does not serve is then a finding rather than "unknown".
    pub claimed: bool,
}

/// What a source answered for one query.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Listing {
    /// Canonical kind key.
    pub kind: String,
    /// The kind as the platform spells it (`Deployment`, `flavor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "apiVersion")]
    pub api_version: Option<String>,
    /// `None`: the listing covers every namespace (or the kind is cluster-scoped).
    #[serde(default)]
    pub namespace: Option<String>,
    /// False when the platform does not serve this kind at all (no such CRD).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub served: bool,
    #[serde(default)]
    pub items: Vec<Value>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// Where platform state comes from: a live cluster, a live cloud or a snapshot.
pub trait StateSource: Send + Sync {
    /// For messages: `kubernetes cluster prod (context admin@prod)`, `state.json`.
    fn name(&self) -> &str;
    fn platform(&self) -> Platform;
    /// The cluster or cloud this source describes.
    fn scope(&self) -> &str;
    /// Answers the queries it can (one list call per query at most). A query
    /// it has no answer for is left out: its references stay unknown.
    /// `Err` when the source cannot do its job (unreachable, bad credentials,
    /// allowed to read nothing): the check then stops with exit 2, never a
    /// silent pass. A kind it may not read is left out and said in [`Self::notes`].
    fn list(&self, queries: &[Query]) -> Result<Vec<Listing>>;

    /// What the user should know about the last `list` (a kind it was not allowed
    /// to read, whose references stay unchecked).
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The lists to ask each (platform, scope) for, from every reference of the site.
/// A namespace-less reference to a namespaced kind asks for all namespaces, which
/// then replaces the per-namespace lists of that kind.
pub fn plan<'a>(
    refs: impl Iterator<Item = &'a Reference>,
    default_scopes: &dyn Fn(Platform) -> Vec<String>,
) -> HashMap<(Platform, String), Vec<Query>> {
    let mut wanted: HashMap<Scope, BTreeSet<(String, Option<String>)>> = HashMap::new();
    let mut claimed: HashSet<(Platform, String, String)> = HashSet::new();
    for r in refs {
        let t = &r.target;
        let scopes = match &t.scope {
            Some(s) => vec![s.clone()],
            None => default_scopes(t.platform),
        };
        let namespace = match t.platform {
            Platform::OpenStack => None,
            Platform::Kubernetes => t.namespace.clone(),
        };
        for scope in scopes {
            if r.origin == Origin::Claim {
                claimed.insert((t.platform, scope.clone(), t.kind.clone()));
            }
            wanted
                .entry((t.platform, scope))
                .or_default()
                .insert((t.kind.clone(), namespace.clone()));
        }
    }
    wanted
        .into_iter()
        .map(|((platform, scope), set)| {
            let all_ns: HashSet<&String> = set
                .iter()
                .filter(|(kind, ns)| ns.is_none() || known_kind(kind).is_some_and(|k| !k.namespaced))
                .map(|(k, _)| k)
                .collect();
            let mut queries: Vec<Query> = set
                .iter()
                .filter(|(kind, ns)| ns.is_none() || !all_ns.contains(kind))
                .map(|(kind, ns)| Query {
                    kind: kind.clone(),
                    namespace: if all_ns.contains(kind) { None } else { ns.clone() },
                    claimed: claimed.contains(&(platform, scope.clone(), kind.clone())),
                })
                .collect();
            queries.sort();
            queries.dedup();
            ((platform, scope), queries)
        })
        .collect()
}

/// One object as observed.
#[derive(Debug)]
pub struct Object {
    /// Canonical kind key.
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    /// OpenStack ID or Kubernetes UID (references may use IDs).
    pub id: Option<String>,
    pub value: Value,
}

/// What the state says about one reference.
#[derive(Debug)]
pub enum Observation<'a> {
    /// No source covers it: not checked.
    Unknown,
    /// Listed and found.
    Found(&'a Object),
    /// Listed and not there.
    Missing,
    /// The platform does not serve this kind at all.
    KindNotServed,
}

type Scope = (Platform, String);
type SuggestionKey = (Platform, String, String, Option<String>, String);

/// Everything the sources listed, indexed for lookups by name and by ID.
#[derive(Default)]
pub struct State {
    objects: Vec<Object>,
    /// (platform, scope, kind, name or id) → objects
    by_name: HashMap<(Scope, String, String), Vec<usize>>,
    /// (platform, scope, kind, namespace) listed; `None`: all namespaces.
    covered: HashSet<(Scope, String, Option<String>)>,
    /// (platform, scope, kind) → objects, for "did you mean".
    by_kind: HashMap<(Scope, String), Vec<usize>>,
    /// (platform, scope, name) → objects of any kind, for "a DaemonSet of that name exists".
    by_plain_name: HashMap<(Scope, String), Vec<usize>>,
    not_served: HashSet<(Scope, String)>,
    /// "Did you mean" answers already computed.
    suggestions: std::sync::Mutex<HashMap<SuggestionKey, Option<String>>>,
    /// Names of the sources, for the report.
    pub sources: Vec<String>,
    /// (platform, scope) pairs some source describes.
    pub scopes: HashSet<Scope>,
}

impl State {
    /// Adds what a source listed for (platform, scope).
    pub fn add(&mut self, platform: Platform, scope: &str, listings: Vec<Listing>) {
        let sc: Scope = (platform, scope.to_string());
        self.scopes.insert(sc.clone());
        for l in listings {
            if !l.served {
                self.not_served.insert((sc.clone(), l.kind.clone()));
                continue;
            }
            self.covered
                .insert((sc.clone(), l.kind.clone(), l.namespace.clone()));
            for item in l.items {
                let Some(obj) = object(platform, &l.kind, item) else {
                    continue;
                };
                let idx = self.objects.len();
                let mut keys = vec![obj.name.clone()];
                if let Some(id) = &obj.id
                    && *id != obj.name
                {
                    keys.push(id.clone());
                }
                self.by_kind
                    .entry((sc.clone(), l.kind.clone()))
                    .or_default()
                    .push(idx);
                self.by_plain_name
                    .entry((sc.clone(), obj.name.clone()))
                    .or_default()
                    .push(idx);
                for key in keys {
                    self.by_name
                        .entry((sc.clone(), l.kind.clone(), key))
                        .or_default()
                        .push(idx);
                }
                self.objects.push(obj);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// What the state says about `r`, whose scope defaults to `scope`.
    pub fn observe(&self, r: &ResourceRef, scope: &str) -> Observation<'_> {
        let sc: Scope = (r.platform, scope.to_string());
        if self.not_served.contains(&(sc.clone(), r.kind.clone())) {
            return Observation::KindNotServed;
        }
        let key = (sc, r.kind.clone(), r.name.clone());
        let candidates = self.by_name.get(&key).map(|v| v.as_slice()).unwrap_or(&[]);
        let found = candidates
            .iter()
            .map(|&i| &self.objects[i])
            .find(|o| r.namespace.is_none() || o.namespace.is_none() || o.namespace == r.namespace);
        if let Some(o) = found {
            return Observation::Found(o);
        }
        let (sc, kind, _) = key;
        let all = (sc, kind, None);
        if self.covered.contains(&all) {
            return Observation::Missing;
        }
        let (sc, kind, _) = all;
        if r.namespace.is_some() && self.covered.contains(&(sc, kind, r.namespace.clone())) {
            return Observation::Missing;
        }
        Observation::Unknown
    }
}

impl State {
    /// The kind of another object with `r`'s name (and namespace), when `r`'s kind is wrong.
    pub fn other_kind(&self, r: &ResourceRef, scope: &str) -> Option<&str> {
        let objects = self
            .by_plain_name
            .get(&((r.platform, scope.to_string()), r.name.clone()))?;
        objects
            .iter()
            .map(|&i| &self.objects[i])
            .find(|o| o.kind != r.kind && (r.namespace.is_none() || o.namespace == r.namespace))
            .map(|o| o.kind.as_str())
    }

    /// The name of the object of the same kind (and namespace) closest to `r`'s, if close
    /// enough. Remembered per name: 10,000 pages name the same missing things again and again.
    pub fn closest(&self, r: &ResourceRef, scope: &str) -> Option<String> {
        let key = (
            r.platform,
            scope.to_string(),
            r.kind.clone(),
            r.namespace.clone(),
            r.name.clone(),
        );
        if let Some(hit) = self.suggestions.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return hit;
        }
        let found = self
            .by_kind
            .get(&((r.platform, scope.to_string()), r.kind.clone()))
            .and_then(|objects| {
                let len = r.name.chars().count();
                objects
                    .iter()
                    .map(|&i| &self.objects[i])
                    .filter(|o| r.namespace.is_none() || o.namespace == r.namespace)
                    // a similarity of 0.75 allows edits on a quarter of the longer name at most
                    .filter(|o| {
                        let l = o.name.chars().count();
                        l.abs_diff(len) * 4 <= l.max(len)
                    })
                    .map(|o| {
                        (
                            strsim::normalized_damerau_levenshtein(&o.name, &r.name),
                            o.name.as_str(),
                        )
                    })
                    .filter(|(score, _)| *score >= 0.75)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, name)| name.to_string())
            });
        if let Ok(mut m) = self.suggestions.lock() {
            m.insert(key, found.clone());
        }
        found
    }
}

/// Reads name, namespace and ID from a listed item (Kubernetes object or
/// OpenStack API body).
fn object(platform: Platform, kind: &str, value: Value) -> Option<Object> {
    let (name, namespace, id) = match platform {
        Platform::Kubernetes => {
            let meta = value.get("metadata")?;
            (
                meta.get("name")?.as_str()?.to_string(),
                meta.get("namespace").and_then(Value::as_str).map(String::from),
                meta.get("uid").and_then(Value::as_str).map(String::from),
            )
        }
        Platform::OpenStack => {
            let id = value.get("id").and_then(Value::as_str).map(String::from);
            let name = value
                .get("name")
                .and_then(Value::as_str)
                .map(String::from)
                .or_else(|| id.clone())?;
            (name, None, id)
        }
    };
    Some(Object {
        kind: kind.to_string(),
        namespace,
        name,
        id,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(kind: &str, ns: Option<&str>, name: &str) -> ResourceRef {
        ResourceRef {
            platform: Platform::Kubernetes,
            scope: None,
            kind: kind.into(),
            namespace: ns.map(String::from),
            name: name.into(),
        }
    }

    fn deploy(ns: &str, name: &str) -> Value {
        json!({"kind": "Deployment", "metadata": {"name": name, "namespace": ns}})
    }

    #[test]
    fn unlisted_is_unknown_listed_absent_is_missing() {
        let mut s = State::default();
        s.add(
            Platform::Kubernetes,
            "prod",
            vec![Listing {
                kind: "deployment".into(),
                api_kind: None,
                api_version: None,
                namespace: Some("openstack".into()),
                served: true,
                items: vec![deploy("openstack", "nova-api")],
            }],
        );
        assert!(matches!(
            s.observe(&r("deployment", Some("openstack"), "nova-api"), "prod"),
            Observation::Found(_)
        ));
        assert!(matches!(
            s.observe(&r("deployment", Some("openstack"), "gone"), "prod"),
            Observation::Missing
        ));
        assert!(matches!(
            s.observe(&r("deployment", Some("ceph"), "x"), "prod"),
            Observation::Unknown
        ));
        // found anywhere is found; absent from a partial listing is unknown
        assert!(matches!(
            s.observe(&r("deployment", None, "nova-api"), "prod"),
            Observation::Found(_)
        ));
        assert!(matches!(
            s.observe(&r("deployment", None, "gone"), "prod"),
            Observation::Unknown
        ));
        assert!(matches!(
            s.observe(&r("deployment", Some("openstack"), "nova-api"), "staging"),
            Observation::Unknown
        ));
    }

    #[test]
    fn plan_lists_each_kind_and_namespace_once() {
        let mk = |kind: &str, ns: Option<&str>, origin| Reference {
            target: r(kind, ns, "x"),
            line: 1,
            origin,
            expect: Default::default(),
            absent: false,
        };
        let refs = [
            mk("deployment", Some("a"), Origin::Command),
            mk("deployment", Some("a"), Origin::Command),
            mk("deployment", Some("b"), Origin::Claim),
            mk("statefulset", Some("a"), Origin::Command),
            mk("statefulset", None, Origin::Command),
            mk("namespace", None, Origin::Command),
        ];
        let p = plan(refs.iter(), &|_| vec!["prod".to_string()]);
        let q = &p[&(Platform::Kubernetes, "prod".to_string())];
        let shown: Vec<String> = q
            .iter()
            .map(|q| format!("{} {:?} {}", q.kind, q.namespace, q.claimed))
            .collect();
        assert_eq!(
            shown,
            vec![
                "deployment Some(\"a\") true",
                "deployment Some(\"b\") true",
                "namespace None false",
                "statefulset None false"
            ]
        );
    }
}
