//! Alerts ↔ runbooks. An alert's `runbook_url` is the only link between the
//! page a volunteer receives at night and the knowledge base: this module
//! closes the loop from both sides.
//!
//! - [`rules`]: alert rules from Prometheus rule files, `PrometheusRule`
//!   manifests, lists and snapshots, and the live cluster (through
//!   freshness's Kubernetes source).
//! - [`documents`]: which page documents which alert (front matter
//!   `alerts:`, file names, headings as anchors).
//! - [`check`]: `vigie check alerts` — alerts without a runbook, runbooks
//!   without an alert, and addresses that lead to another page than the one
//!   documenting the alert.
//! - [`urls`]: `vigie alerts urls` — the `runbook_url` each alert should
//!   carry, as text, JSON or patches (never written to a file).
//! - [`site`]: the site's `alerts/<AlertName>` redirect pages and its alerts
//!   index, written by the build.

pub mod check;
pub mod documents;
pub mod rules;
pub mod site;
pub mod urls;

use std::collections::HashSet;

use serde::Deserialize;

use crate::config::Config;
use crate::error::Result;
use crate::markdown::RenderedSite;

pub use documents::Catalog;
pub use rules::{Alert, RuleSet, RuleSources};
pub use site::write;

/// The `[alerts]` table of `vigie.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertsConfig {
    /// Rule files, `PrometheusRule` manifests and folders of them, relative
    /// to the knowledge base (or absolute): what `--rules` takes.
    pub rules: Vec<String>,
}

impl AlertsConfig {
    /// Reads `[alerts]`; a rule path that does not exist is an error at its line.
    pub fn load(config: &Config) -> Result<AlertsConfig> {
        let cfg: AlertsConfig = config.section("alerts")?;
        for (i, r) in cfg.rules.iter().enumerate() {
            if !config.root.join(r).exists() {
                return Err(config.error_at(
                    &["alerts", "rules", &i.to_string()],
                    format!(
                        "[alerts] rules: `{r}` does not exist (paths are relative to the knowledge base)"
                    ),
                ));
            }
        }
        Ok(cfg)
    }

    /// The site folder of the alert pages.
    pub fn folder(&self) -> &'static str {
        "alerts"
    }

    /// Whether the build writes the alert pages of the rules' alerts.
    pub fn writes_pages(&self) -> bool {
        !self.rules.is_empty()
    }

    /// The rule files `vigie.toml` names, as sources.
    pub fn sources(&self, config: &Config) -> RuleSources {
        RuleSources {
            paths: self
                .rules
                .iter()
                .map(|r| (config.root.join(r), r.trim_end_matches('/').to_string()))
                .collect(),
            kube_contexts: Vec::new(),
        }
    }
}

/// The alerts the rules define and the pages that document alerts.
pub struct Alerts {
    pub config: AlertsConfig,
    pub rules: RuleSet,
    pub catalog: Catalog,
}

impl Alerts {
    /// Reads the rules `from` names (else those of `vigie.toml`) and finds
    /// which page of `rs` documents which alert.
    pub fn load(rs: &RenderedSite, from: Option<&RuleSources>) -> Result<Alerts> {
        let config = AlertsConfig::load(&rs.site.config)?;
        let configured;
        let from = match from {
            Some(f) => f,
            None => {
                configured = config.sources(&rs.site.config);
                &configured
            }
        };
        let rules = rules::load(from, &rs.site.config)?;
        let known: HashSet<String> = rules.alerts.iter().map(|a| a.name.to_lowercase()).collect();
        let catalog = Catalog::build(rs, &known)?;
        Ok(Alerts {
            config,
            rules,
            catalog,
        })
    }

    /// `vigie check alerts`: findings both ways.
    pub fn check(&self, rs: &RenderedSite) -> crate::report::Report {
        check::check(rs, &self.config, &self.rules, &self.catalog)
    }
}
