//! Alert rules, wherever they are written: Prometheus rule files
//! (`groups: [{name, rules: [{alert, labels, annotations}]}]`),
//! `PrometheusRule` manifests (`monitoring.coreos.com/v1`, the same groups
//! under `spec`), Kubernetes lists of them (`kubectl get prometheusrules -A
//! -o json`), `vigie state dump` snapshots, and the `PrometheusRule`
//! objects of a live cluster, listed through freshness's Kubernetes source.
//!
//! Every alert keeps where it was written (file and line, or the cluster
//! object) and its place in its groups, for findings and for the patches of
//! `vigie alerts urls`. Recording rules (`record:`) are not alerts and are
//! skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::freshness::config::FreshnessConfig;
use crate::freshness::sources::{self, Configured, StateSpec};
use crate::freshness::state::Query;

/// One alerting rule.
#[derive(Debug, Clone)]
pub struct Alert {
    /// The `alert:` name, as written.
    pub name: String,
    /// The `severity` label, when there is one.
    pub severity: Option<String>,
    /// Name of the rule group.
    pub group: String,
    /// The `runbook_url` annotation, when there is one.
    pub runbook_url: Option<String>,
    /// The `summary` annotation, for the alerts index.
    pub summary: Option<String>,
    pub at: Origin,
}

/// Where an alert is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The rule file as the user named it (`monitoring/rules.yaml`), or the
    /// cluster object (`prometheusrule monitoring/k8s-rules (cluster prod)`).
    pub file: String,
    /// 1-based line of `alert:` in the file; 0 for a live object.
    pub line: usize,
    /// The `PrometheusRule` holding the alert, when it is one.
    pub object: Option<ObjectRef>,
    /// JSON pointer of the rule in its file or object
    /// (`/spec/groups/0/rules/3`), for patches.
    pub pointer: String,
    /// Whether the rule has an `annotations` map (a patch adds it otherwise).
    pub has_annotations: bool,
}

impl Origin {
    /// `file:line`, or the object alone when there is no line.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}", self.file, self.line)
        }
    }
}

/// A `PrometheusRule` object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ObjectRef {
    pub namespace: Option<String>,
    pub name: String,
}

/// Where to read rules from.
#[derive(Debug, Clone, Default)]
pub struct RuleSources {
    /// Rule files, manifests, lists and snapshots; folders are walked.
    /// Each with the name findings give it.
    pub paths: Vec<(PathBuf, String)>,
    /// Live clusters: kubeconfig contexts (`current`, `in-cluster`, or a name).
    pub kube_contexts: Vec<String>,
}

impl RuleSources {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.kube_contexts.is_empty()
    }
}

/// Every alert the sources define, in the order they were read.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub alerts: Vec<Alert>,
    /// What was read, for messages (`12 files`, `cluster prod`).
    pub read: Vec<String>,
    /// What the user should know (a cluster without the PrometheusRule kind).
    pub notes: Vec<String>,
}

/// Reads every alert `from` names. `config` gives the clusters' names and
/// kubeconfigs (`[freshness.clusters]`).
pub fn load(from: &RuleSources, config: &Config) -> Result<RuleSet> {
    let mut set = RuleSet::default();
    for (path, shown) in &from.paths {
        read_path(path, shown, &mut set)?;
    }
    if !from.kube_contexts.is_empty() {
        read_live(&from.kube_contexts, config, &mut set)?;
    }
    if set.alerts.is_empty() {
        set.notes.push("no alerting rule was read: every page documenting an alert is reported as documenting an alert no rule defines".into());
    }
    Ok(set)
}

/// Extensions of the files a folder of rules is walked for.
const RULE_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "rules"];

fn read_path(path: &Path, shown: &str, set: &mut RuleSet) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if !meta.is_dir() {
        let before = set.alerts.len();
        read_file(path, shown, set)?;
        set.read.push(shown.to_string());
        if set.alerts.len() == before {
            set.notes.push(format!("{shown}: no alerting rule in this file"));
        }
        return Ok(());
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| RULE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    files.sort();
    for file in &files {
        let rel = file
            .strip_prefix(path)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let name = format!("{}/{rel}", shown.trim_end_matches('/'));
        read_file(file, &name, set)?;
    }
    set.read.push(format!("{shown} ({} files)", files.len()));
    Ok(())
}

/// One file: rule file, manifests (several `---` documents), a list, or a
/// `vigie state dump` snapshot. A file that mentions no rule groups is not
/// parsed at all: folders of manifests hold other objects too.
fn read_file(path: &Path, shown: &str, set: &mut RuleSet) -> Result<()> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
    if text.contains("\"vigie_state\"") {
        return read_snapshot(path, shown, &text, set);
    }
    if !text.contains("groups") {
        return Ok(());
    }
    let docs: Vec<Doc> = serde_saphyr::from_multiple(&text).map_err(|e| yaml_error(path, &e))?;
    for doc in docs {
        collect(doc, shown, None, set, true).map_err(|(line, m)| Error::input(path, line, m))?;
    }
    Ok(())
}

fn yaml_error(path: &Path, e: &serde_saphyr::Error) -> Error {
    let line = e
        .location()
        .map(|l| l.line() as usize)
        .filter(|l| *l > 0)
        .unwrap_or(1);
    let (_, first) = crate::error::yaml_problem(&e.to_string());
    Error::input(
        path,
        line,
        format!(
            "not a readable rule file: {first} (expected a Prometheus rule file or PrometheusRule manifests)"
        ),
    )
}

/// `vigie state dump` output: its `prometheusrule` lists.
fn read_snapshot(path: &Path, shown: &str, text: &str, set: &mut RuleSet) -> Result<()> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Error::input(path, e.line(), format!("not a readable snapshot: {e}")))?;
    let parts = sources::snapshot::parse(value, shown).map_err(|m| Error::input(path, 1, m))?;
    for (_, scope, lists) in parts {
        let scope = scope.unwrap_or_else(|| "default".into());
        for list in lists.into_iter().filter(|l| l.kind == "prometheusrule") {
            for item in list.items {
                object(item, &format!("{shown}: cluster {scope}"), set)?;
            }
        }
    }
    Ok(())
}

/// A `PrometheusRule` object read as JSON (live, or from a snapshot): named
/// by its namespace and name, without lines.
fn object(item: Value, place: &str, set: &mut RuleSet) -> Result<()> {
    let text = item.to_string();
    let doc: Doc = serde_saphyr::from_str(&text).map_err(|e| {
        Error::Platform(format!(
            "{place}: a PrometheusRule could not be read: {}",
            e.to_string().lines().next().unwrap_or("")
        ))
    })?;
    let ns = doc.metadata.namespace.clone();
    let name = doc.metadata.name.clone().unwrap_or_default();
    let shown = match &ns {
        Some(ns) => format!("prometheusrule {ns}/{name} ({place})"),
        None => format!("prometheusrule {name} ({place})"),
    };
    collect(doc, &shown, None, set, false).map_err(|(_, m)| Error::Platform(format!("{shown}: {m}")))
}

fn read_live(contexts: &[String], config: &Config, set: &mut RuleSet) -> Result<()> {
    let fc = FreshnessConfig::load(config)?;
    let spec = StateSpec {
        kube_context: contexts.to_vec(),
        ..StateSpec::default()
    };
    let opened = sources::open(&spec, &fc, config, Configured::Live)?;
    let query = Query {
        kind: "prometheusrule".into(),
        namespace: None,
        claimed: true,
    };
    for source in &opened.sources {
        let listings = source.list(std::slice::from_ref(&query))?;
        set.notes.extend(source.notes());
        let place = format!("cluster {}", source.scope());
        if !listings.iter().any(|l| l.served) {
            set.notes.push(format!(
                "{}: the cluster serves no PrometheusRule kind (monitoring.coreos.com): no alert read from it",
                source.name()
            ));
        }
        for listing in listings {
            for item in listing.items {
                object(item, &place, set)?;
            }
        }
        set.read.push(source.name().to_string());
    }
    Ok(())
}

/// Adds the alerts of one document. `object`: the PrometheusRule it belongs
/// to (for the items of a list); `lines`: whether the document's lines are
/// the file's. Fails, with the line and what is wrong, on a rule that
/// Prometheus would refuse to load (see [`refused`]).
fn collect(
    doc: Doc,
    shown: &str,
    object: Option<ObjectRef>,
    set: &mut RuleSet,
    lines: bool,
) -> std::result::Result<(), (usize, String)> {
    let kind = doc.kind.clone().unwrap_or_default();
    if kind.ends_with("List") {
        for item in doc.items {
            let obj = ObjectRef {
                namespace: item.metadata.namespace.clone(),
                name: item.metadata.name.clone().unwrap_or_default(),
            };
            collect(item, shown, Some(obj), set, lines)?;
        }
        return Ok(());
    }
    let (groups, prefix, object) = if kind == "PrometheusRule" {
        let obj = object.unwrap_or(ObjectRef {
            namespace: doc.metadata.namespace.clone(),
            name: doc.metadata.name.clone().unwrap_or_default(),
        });
        (doc.spec.map(|s| s.groups).unwrap_or_default(), "/spec", Some(obj))
    } else if kind.is_empty() {
        (doc.groups.unwrap_or_default(), "", None)
    } else {
        return Ok(());
    };
    for (g, group) in groups.into_iter().enumerate() {
        for (r, rule) in group.rules.into_iter().enumerate() {
            let Some(alert) = &rule.alert else { continue };
            if let Some(problem) = refused(&rule, &alert.value) {
                return Err(problem);
            }
            let text = |map: &Option<BTreeMap<String, Spanned<Value>>>, key: &str| {
                map.as_ref()
                    .and_then(|m| m.get(key))
                    .and_then(|v| match &v.value {
                        Value::String(s) => Some(s.clone()),
                        Value::Null => None,
                        other => Some(other.to_string()),
                    })
            };
            set.alerts.push(Alert {
                severity: text(&rule.labels, "severity"),
                runbook_url: text(&rule.annotations, "runbook_url").filter(|u| !u.trim().is_empty()),
                summary: text(&rule.annotations, "summary"),
                group: group.name.clone(),
                at: Origin {
                    file: shown.to_string(),
                    line: if lines {
                        alert.referenced.line() as usize
                    } else {
                        0
                    },
                    object: object.clone(),
                    pointer: format!("{prefix}/groups/{g}/rules/{r}"),
                    has_annotations: rule.annotations.is_some(),
                },
                name: alert.value.clone(),
            });
        }
    }
    Ok(())
}

/// What Prometheus would refuse in the rule of alert `alert`, with its
/// line: a `for:` or `keep_firing_for:` that is not a duration, a label or
/// annotation that is a list or `key: value` lines rather than one value.
fn refused(rule: &Rule, alert: &str) -> Option<(usize, String)> {
    for (key, wait) in [("for", &rule.wait), ("keep_firing_for", &rule.keep_firing_for)] {
        let Some(wait) = wait else { continue };
        let fine = match &wait.value {
            Value::Null => true,
            Value::String(s) => is_duration(s),
            Value::Number(n) => n.to_string() == "0",
            _ => false,
        };
        if !fine {
            let what = match &wait.value {
                Value::String(s) => format!("`{key}: {s}` is not a duration"),
                Value::Array(_) | Value::Object(_) => {
                    format!("`{key}:` holds a list or `key: value` lines, not a duration")
                }
                other => format!("`{key}: {other}` is not a duration"),
            };
            return Some((
                wait.referenced.line() as usize,
                format!(
                    "alert `{alert}`: {what} (write it like `5m`, `1h30m` or `2d`); Prometheus would refuse this file"
                ),
            ));
        }
    }
    for (what, map) in [("label", &rule.labels), ("annotation", &rule.annotations)] {
        for (key, value) in map.iter().flatten() {
            if matches!(value.value, Value::Array(_) | Value::Object(_)) {
                return Some((
                    value.referenced.line() as usize,
                    format!(
                        "alert `{alert}`: the {what} `{key}` is a list or `key: value` lines, where a single value is expected; Prometheus would refuse this file"
                    ),
                ));
            }
        }
    }
    None
}

/// Whether Prometheus reads `text` as a duration: `0`, or numbers each
/// followed by a unit, units from the largest down, each once
/// (`1h30m`, `90s`, `500ms`).
fn is_duration(text: &str) -> bool {
    const UNITS: [&str; 7] = ["y", "w", "d", "h", "m", "s", "ms"];
    if text == "0" {
        return true;
    }
    let mut rest = text;
    let mut next = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let after = &rest[digits..];
        // The longest unit that fits: `ms` before `m`.
        let unit = (next..UNITS.len())
            .filter(|&u| after.starts_with(UNITS[u]))
            .max_by_key(|&u| UNITS[u].len());
        let Some(unit) = unit.filter(|_| digits > 0) else {
            return false;
        };
        rest = &after[UNITS[unit].len()..];
        next = unit + 1;
    }
    !text.is_empty()
}

/// A YAML or JSON document, as far as rules go. Unknown keys are ignored:
/// manifests of other kinds pass through.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Doc {
    kind: Option<String>,
    metadata: Meta,
    spec: Option<Spec>,
    groups: Option<Vec<Group>>,
    items: Vec<Doc>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Meta {
    name: Option<String>,
    namespace: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Spec {
    groups: Vec<Group>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Group {
    name: String,
    rules: Vec<Rule>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Rule {
    alert: Option<Spanned<String>>,
    /// How long the condition holds before the alert fires.
    #[serde(rename = "for")]
    wait: Option<Spanned<Value>>,
    keep_firing_for: Option<Spanned<Value>>,
    labels: Option<BTreeMap<String, Spanned<Value>>>,
    annotations: Option<BTreeMap<String, Spanned<Value>>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> RuleSet {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rules.yaml");
        std::fs::write(&path, text).unwrap();
        let mut set = RuleSet::default();
        read_file(&path, "rules.yaml", &mut set).unwrap();
        set
    }

    #[test]
    fn rule_files_give_alerts_with_their_lines() {
        let set = read(
            "groups:\n- name: nova\n  rules:\n  - record: x:y\n    expr: up\n  - alert: NovaComputeDown\n    labels:\n      severity: critical\n    annotations:\n      runbook_url: https://kb.example/runbooks/nova.html\n  - alert: NovaApiSlow\n    expr: up\n",
        );
        assert_eq!(set.alerts.len(), 2);
        let a = &set.alerts[0];
        assert_eq!((a.name.as_str(), a.at.line), ("NovaComputeDown", 6));
        assert_eq!(a.severity.as_deref(), Some("critical"));
        assert_eq!(a.group, "nova");
        assert_eq!(a.at.pointer, "/groups/0/rules/1");
        assert_eq!(
            a.runbook_url.as_deref(),
            Some("https://kb.example/runbooks/nova.html")
        );
        assert_eq!(
            (set.alerts[1].at.line, set.alerts[1].at.has_annotations),
            (11, false)
        );
    }

    #[test]
    fn manifests_and_lists_name_their_object() {
        let set = read(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  groups: x\n---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: k8s\n  namespace: monitoring\nspec:\n  groups:\n  - name: g\n    rules:\n    - alert: KubePodCrashLooping\n",
        );
        assert_eq!(set.alerts.len(), 1);
        let a = &set.alerts[0];
        assert_eq!(a.at.line, 17);
        assert_eq!(a.at.pointer, "/spec/groups/0/rules/0");
        assert_eq!(
            a.at.object,
            Some(ObjectRef {
                namespace: Some("monitoring".into()),
                name: "k8s".into()
            })
        );
        let list = read(
            r#"{"apiVersion": "v1", "kind": "List", "items": [
  {"kind": "PrometheusRule", "metadata": {"name": "a", "namespace": "m"},
   "spec": {"groups": [{"name": "g", "rules": [{"alert": "X"}, {"alert": "Y"}]}]}}]}"#,
        );
        assert_eq!(list.alerts.len(), 2);
        assert_eq!(list.alerts[1].at.line, 3);
        assert_eq!(list.alerts[1].at.object.as_ref().unwrap().name, "a");
    }

    #[test]
    fn snapshots_give_the_rules_of_their_clusters() {
        let set = read(
            r#"{"vigie_state": 1, "sources": [{"platform": "kubernetes", "name": "prod", "lists": [
  {"kind": "deployment", "items": []},
  {"kind": "prometheusrule", "items": [{"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
    "metadata": {"name": "k8s", "namespace": "monitoring"},
    "spec": {"groups": [{"name": "g", "rules": [{"alert": "KubeNodeNotReady", "annotations": {"runbook_url": "https://kb/x"}}]}]}}]}]}]}"#,
        );
        assert_eq!(set.alerts.len(), 1);
        let a = &set.alerts[0];
        assert_eq!(
            a.at.file,
            "prometheusrule monitoring/k8s (rules.yaml: cluster prod)"
        );
        assert_eq!((a.at.line, a.at.location()), (0, a.at.file.clone()));
        assert_eq!(a.runbook_url.as_deref(), Some("https://kb/x"));
    }

    #[test]
    fn a_broken_rule_file_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.yaml");
        std::fs::write(&path, "groups:\n- name: g\n  rules: [\n").unwrap();
        let mut set = RuleSet::default();
        let e = read_file(&path, "bad.yaml", &mut set).unwrap_err().to_string();
        assert!(e.contains("bad.yaml:"), "{e}");
        assert!(e.contains("not a readable rule file"), "{e}");
    }

    #[test]
    fn a_rule_prometheus_would_refuse_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.yaml");
        for (rule, line, said) in [
            (
                "    for: [5m]\n",
                5,
                "alert `A`: `for:` holds a list or `key: value` lines, not a duration",
            ),
            ("    for: 5 minutes\n", 5, "`for: 5 minutes` is not a duration"),
            ("    for: 5\n", 5, "`for: 5` is not a duration"),
            (
                "    keep_firing_for: 10m5h\n",
                5,
                "`keep_firing_for: 10m5h` is not a duration",
            ),
            (
                "    labels:\n      severity: [critical]\n",
                6,
                "the label `severity` is a list or `key: value` lines",
            ),
            (
                "    annotations:\n      summary:\n        fr: x\n",
                7,
                "the annotation `summary` is a list",
            ),
        ] {
            std::fs::write(
                &path,
                format!("groups:\n- name: g\n  rules:\n  - alert: A\n{rule}"),
            )
            .unwrap();
            let e = read_file(&path, "bad.yaml", &mut RuleSet::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains(&format!("bad.yaml:{line}: ")), "{e}");
            assert!(e.contains(said), "{e}");
            assert!(e.contains("Prometheus would refuse this file"), "{e}");
        }
        // What Prometheus reads is read.
        let set = read(
            "groups:\n- name: g\n  rules:\n  - alert: A\n    for: 1h30m\n    keep_firing_for: 0\n    labels:\n      severity: 2\n      team:\n  - alert: B\n    for: 500ms\n",
        );
        assert_eq!(set.alerts.len(), 2);
        assert_eq!(set.alerts[0].severity.as_deref(), Some("2"));
    }

    #[test]
    fn durations_are_read_as_prometheus_reads_them() {
        for good in [
            "0",
            "5m",
            "1h30m",
            "2d",
            "1y2w3d4h5m6s7ms",
            "90s",
            "500ms",
            "1m500ms",
        ] {
            assert!(is_duration(good), "{good}");
        }
        for bad in ["", "5", "m", "5 m", "1.5h", "30m1h", "1h1h", "5M", "-5m", "5mss"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn a_value_of_the_wrong_shape_is_said_in_our_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.yaml");
        for (text, line, said) in [
            (
                "groups:\n- name: g\n  rules:\n  - alert: A\n    labels: critique\n",
                5,
                "`key: value` lines are expected here, not a single value",
            ),
            (
                "groups:\n- name: g\n  rules: aucune\n",
                3,
                "a list is expected here (lines that start with `- `), not a single value",
            ),
            (
                "groups:\n- name: g\n  rules:\n  - alert: [A]\n",
                4,
                "a single value is expected here, not a list or `key: value` lines",
            ),
        ] {
            std::fs::write(&path, text).unwrap();
            let e = read_file(&path, "bad.yaml", &mut RuleSet::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains(&format!("bad.yaml:{line}: ")), "{e}");
            assert!(e.contains(said), "{e}");
            assert!(!e.contains("expected mapping start"), "{e}");
        }
    }
}
