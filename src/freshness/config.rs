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
use crate::error::Result;
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

impl Level {
    /// The severity it sets, `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// Every rule of the freshness check, with its default severity. Two rules
/// escalate by default: `review-overdue` is an error past twice the interval,
/// `course-stale` an error for a contradicted module; a severity set in
/// `[freshness.severity]` replaces both levels.
pub const RULES: &[(&str, Severity)] = &[
    ("review-overdue", Severity::Warning),
    ("missing-owner", Severity::Warning),
    ("resource-missing", Severity::Error),
    ("resource-drift", Severity::Error),
    ("changed-since-review", Severity::Warning),
    ("invalid-claim", Severity::Error),
    ("invalid-review-interval", Severity::Error),
    ("course-stale", Severity::Warning),
];

impl FreshnessConfig {
    /// Reads `[freshness]` from the site configuration; an unknown rule or a bad
    /// `ignore` pattern is an error naming its line.
    pub fn load(config: &Config) -> Result<FreshnessConfig> {
        let fc: FreshnessConfig = config.section("freshness")?;
        for rule in fc.severity.keys() {
            if !RULES.iter().any(|(r, _)| r == rule) {
                let known: Vec<&str> = RULES.iter().map(|(r, _)| *r).collect();
                return Err(config.error_at(
                    &["freshness", "severity", rule],
                    format!(
                        "[freshness.severity]: unknown rule `{rule}` (rules: {})",
                        known.join(", ")
                    ),
                ));
            }
        }
        IgnoreSet::new(&fc.ignore, config)?;
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
            Some(level) => level.severity(),
        }
    }

    /// The severity of `rule` in a case its default escalates to `escalated`:
    /// `escalated` unless `[freshness.severity]` sets the rule, then what it sets
    /// (`None`: off).
    pub fn escalated_severity(&self, rule: &str, escalated: Severity) -> Option<Severity> {
        match self.severity.get(rule) {
            None => Some(escalated),
            Some(level) => level.severity(),
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
        for (i, p) in patterns.iter().enumerate() {
            let glob = globset::GlobBuilder::new(p.trim())
                .literal_separator(false)
                .build()
                .map_err(|e| {
                    config.error_at(
                        &["freshness", "ignore", &i.to_string()],
                        format!("[freshness] ignore: bad pattern {p:?}: {e}"),
                    )
                })?;
            b.add(glob);
        }
        let set = b
            .build()
            .map_err(|e| config.error_at(&["freshness", "ignore"], format!("[freshness] ignore: {e}")))?;
        Ok(IgnoreSet(set))
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

    /// A knowledge base whose vigie.toml is `toml`, and what loading `[freshness]` says.
    fn load(toml: &str) -> Result<FreshnessConfig> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("vigie.toml"), toml).unwrap();
        FreshnessConfig::load(&Config::load(dir.path()).unwrap())
    }

    #[test]
    fn an_unknown_rule_and_a_bad_pattern_name_their_line() {
        let err = load(
            "title = \"kb\"\n\n[freshness.severity]\nreview-overdue = \"info\"\nreview-overdu = \"off\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("vigie.toml:5: "), "{err}");
        assert!(err.contains("unknown rule `review-overdu`"), "{err}");
        let err = load("[freshness]\nignore = [\n  \"namespace/default\",\n  \"secret/[x\",\n]\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("vigie.toml:4: "), "{err}");
        assert!(err.contains("bad pattern \"secret/[x\""), "{err}");
        assert!(load("[freshness.severity]\ncourse-stale = \"error\"\n").is_ok());
    }

    #[test]
    fn an_explicit_severity_replaces_the_escalation() {
        let fc: FreshnessConfig = toml::from_str("[severity]\nreview-overdue = \"info\"\n").unwrap();
        assert_eq!(
            fc.escalated_severity("review-overdue", Severity::Error),
            Some(Severity::Info)
        );
        assert_eq!(
            FreshnessConfig::default().escalated_severity("review-overdue", Severity::Error),
            Some(Severity::Error)
        );
        let fc: FreshnessConfig = toml::from_str("[severity]\nreview-overdue = \"off\"\n").unwrap();
        assert_eq!(fc.escalated_severity("review-overdue", Severity::Error), None);
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
