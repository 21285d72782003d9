//! The `[freshness]` table of `vigie.toml`.
//!
//! ```toml
//! [freshness]
//! enabled = true                 # false: no freshness checks for this site
//! references = true              # false: only `applies_to` claims, not commands in code blocks
//! ignore = ["namespace/default", "openstack server/*"]   # references never checked
//! state = ["state/nightly.json"] # snapshots used when no --state/--kube-context/--os-cloud is given
//! default_cluster = "prod"       # claims that name no cluster: only this one (default: all)
//! default_cloud = "nuage"
//!
//! [freshness.clusters.prod]       # checked live by `check freshness` / `state dump` without options
//! context = "admin@prod"         # kubeconfig context (none: the pod's service account in a pod)
//! kubeconfig = "~/.kube/prod"    # default $KUBECONFIG or ~/.kube/config
//! [freshness.clouds.nuage]
//! cloud = "nuage-admin"          # clouds.yaml entry
//! all_projects = true            # list servers and volumes of every project (admin)
//!
//! [freshness.severity]           # error | warning | info | off
//! changed-since-review = "info"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::report::Severity;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FreshnessConfig {
    pub enabled: bool,
    pub references: bool,
    pub ignore: Vec<String>,
    pub state: Vec<String>,
    pub default_cluster: Option<String>,
    pub default_cloud: Option<String>,
    pub clusters: BTreeMap<String, ClusterConfig>,
    pub clouds: BTreeMap<String, CloudConfig>,
    pub severity: BTreeMap<String, Level>,
}

impl Default for FreshnessConfig {
    fn default() -> Self {
        FreshnessConfig {
            enabled: true,
            references: true,
            ignore: Vec::new(),
            state: Vec::new(),
            default_cluster: None,
            default_cloud: None,
            clusters: BTreeMap::new(),
            clouds: BTreeMap::new(),
            severity: BTreeMap::new(),
        }
    }
}

/// `[freshness.clusters.NAME]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// kubeconfig context of this cluster; without it, the pod's service account in
    /// a pod, else the kubeconfig's current context.
    pub context: Option<String>,
    /// kubeconfig file (relative to the knowledge base), default `$KUBECONFIG` or `~/.kube/config`.
    pub kubeconfig: Option<String>,
}

/// `[freshness.clouds.NAME]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CloudConfig {
    /// clouds.yaml entry of this cloud (default: the cloud's name; without such an
    /// entry, the `OS_*` variables).
    pub cloud: Option<String>,
    /// List servers and volumes of every project (needs an admin role).
    pub all_projects: bool,
}

/// A rule's severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    #[serde(alias = "warn")]
    Warning,
    Info,
    Off,
}

/// Every rule of the freshness check, with its default severity.
pub const RULES: &[(&str, Severity)] = &[
    ("review-overdue", Severity::Warning),
    ("missing-owner", Severity::Warning),
    ("resource-missing", Severity::Error),
    ("resource-drift", Severity::Error),
    ("changed-since-review", Severity::Warning),
    ("invalid-claim", Severity::Error),
    ("invalid-review-interval", Severity::Error),
];

impl FreshnessConfig {
    /// Reads `[freshness]` from the site configuration; unknown rules are an error.
    pub fn load(config: &Config) -> Result<FreshnessConfig> {
        let fc: FreshnessConfig = config.section("freshness")?;
        for rule in fc.severity.keys() {
            if !RULES.iter().any(|(r, _)| r == rule) && rule != "course-stale" {
                let known: Vec<&str> = RULES.iter().map(|(r, _)| *r).collect();
                return Err(Error::Config {
                    path: config
                        .file
                        .clone()
                        .unwrap_or_else(|| config.root.join("vigie.toml")),
                    line: 1,
                    message: format!(
                        "[freshness.severity]: unknown rule `{rule}` (rules: {})",
                        known.join(", ")
                    ),
                });
            }
        }
        Ok(fc)
    }

    /// The severity of `rule`, `None` when it is turned off.
    pub fn severity(&self, rule: &str) -> Option<Severity> {
        let default = RULES
            .iter()
            .find(|(r, _)| *r == rule)
            .map(|(_, s)| *s)
            .unwrap_or(Severity::Warning);
        match self.severity.get(rule) {
            None => Some(default),
            Some(Level::Error) => Some(Severity::Error),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Info) => Some(Severity::Info),
            Some(Level::Off) => None,
        }
    }

    /// The cluster name a kubeconfig context stands for.
    pub fn cluster_of_context(&self, context: &str) -> String {
        self.clusters
            .iter()
            .find(|(_, c)| c.context.as_deref() == Some(context))
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| context.to_string())
    }

    /// The cloud name a clouds.yaml entry stands for.
    pub fn cloud_of_entry(&self, entry: &str) -> String {
        self.clouds
            .iter()
            .find(|(_, c)| c.cloud.as_deref() == Some(entry))
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| entry.to_string())
    }
}

/// Per-page opt-out, from the page's front matter:
/// `freshness: false`, or `freshness: {references: false, claims: false, review: false}`.
#[derive(Debug, Clone, Copy)]
pub struct PageOptOut {
    pub review: bool,
    pub claims: bool,
    pub references: bool,
}

impl PageOptOut {
    pub fn of(extra: &serde_json::Map<String, serde_json::Value>) -> PageOptOut {
        use serde_json::Value;
        let all = |on: bool| PageOptOut {
            review: on,
            claims: on,
            references: on,
        };
        match extra.get("freshness") {
            Some(Value::Bool(on)) => all(*on),
            Some(Value::String(s)) if matches!(s.as_str(), "off" | "false" | "no") => all(false),
            Some(Value::Object(m)) => {
                let flag = |k: &str| m.get(k).and_then(Value::as_bool).unwrap_or(true);
                PageOptOut {
                    review: flag("review"),
                    claims: flag("claims"),
                    references: flag("references"),
                }
            }
            _ => all(true),
        }
    }
}

/// A compiled `ignore` list: `kind/name` patterns with `*`, an optional
/// `openstack ` prefix and `-n namespace`, matched against a reference as shown.
pub struct IgnoreSet(globset::GlobSet);

impl IgnoreSet {
    pub fn new(patterns: &[String], config: &Config) -> Result<IgnoreSet> {
        let mut b = globset::GlobSetBuilder::new();
        for p in patterns {
            let glob = globset::GlobBuilder::new(p.trim())
                .literal_separator(false)
                .build()
                .map_err(|e| Error::Config {
                    path: config
                        .file
                        .clone()
                        .unwrap_or_else(|| config.root.join("vigie.toml")),
                    line: 1,
                    message: format!("[freshness] ignore: bad pattern {p:?}: {e}"),
                })?;
            b.add(glob);
        }
        Ok(IgnoreSet(b.build().map_err(|e| Error::Other(e.to_string()))?))
    }

    /// True when `shown` (`deployment/x -n ns`) or its `kind/name` part matches.
    pub fn matches(&self, shown: &str) -> bool {
        if self.0.is_empty() {
            return false;
        }
        let short = shown.split(" -n ").next().unwrap_or(shown);
        let short = short.split(" @").next().unwrap_or(short);
        self.0.is_match(shown) || self.0.is_match(short)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_default_and_off() {
        let fc: FreshnessConfig =
            toml::from_str("[severity]\nchanged-since-review = \"off\"\nmissing-owner = \"error\"\n")
                .unwrap();
        assert_eq!(fc.severity("changed-since-review"), None);
        assert_eq!(fc.severity("missing-owner"), Some(Severity::Error));
        assert_eq!(fc.severity("resource-missing"), Some(Severity::Error));
        assert!(toml::from_str::<FreshnessConfig>("refrences = false").is_err());
    }

    #[test]
    fn page_opt_out() {
        let m: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"freshness": {"references": false}}"#).unwrap();
        let o = PageOptOut::of(&m);
        assert!(o.review && o.claims && !o.references);
        let m: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"freshness": false}"#).unwrap();
        assert!(!PageOptOut::of(&m).review);
    }
}
