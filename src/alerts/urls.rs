//! `vigie alerts urls`: the `runbook_url` each alert should carry, to fix
//! the rules in one go — as text, as JSON, or as JSON patches (written in
//! YAML) per `PrometheusRule` object or rule file. Nothing is ever written
//! to a rule file: the output is for the user to apply.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Alerts;
use super::check::{Base, Reached, reach, should_carry};
use super::rules::ObjectRef;
use crate::markdown::RenderedSite;

/// One alerting rule, and the address it should carry.
#[derive(Debug, Clone, Serialize)]
pub struct UrlLine {
    pub alert: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    pub group: String,
    /// Where the rule is written (`file:line`, or the cluster object).
    pub source: String,
    /// The `runbook_url` it carries now.
    pub runbook_url: Option<String>,
    /// The one it should carry; `None` when no page documents the alert.
    pub should: Option<String>,
    /// The page documenting the alert.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// Whether the rule needs changing.
    pub changed: bool,
    #[serde(skip)]
    pointer: String,
    #[serde(skip)]
    has_annotations: bool,
    #[serde(skip)]
    object: Option<ObjectRef>,
    #[serde(skip)]
    file: String,
}

/// Every alerting rule of `alerts`, with the address it should carry
/// (`stable`: the site's `alerts/NAME` page rather than the runbook's own).
pub fn lines(rs: &RenderedSite, alerts: &Alerts, stable: bool) -> Vec<UrlLine> {
    let base = Base::of(rs);
    alerts
        .rules
        .alerts
        .iter()
        .map(|a| {
            let mut should = should_carry(rs, &base, &alerts.config, &alerts.catalog, &a.name, stable);
            // an address that already lands on the runbook (and its anchor) stays as it is
            if !stable
                && let (Some(url), Some(d)) = (&a.runbook_url, alerts.catalog.runbook(&a.name))
                && reach(rs, &base, &alerts.config, &alerts.catalog, url)
                    == (Reached::Page {
                        id: d.page,
                        fragment: d.anchor.clone(),
                    })
            {
                should = Some(url.clone());
            }
            let page = alerts
                .catalog
                .runbook(&a.name)
                .map(|d| format!("{}:{}", rs.site.page(d.page).display(), d.line));
            UrlLine {
                alert: a.name.clone(),
                severity: a.severity.clone(),
                group: a.group.clone(),
                source: a.at.location(),
                changed: should.is_some() && should != a.runbook_url,
                runbook_url: a.runbook_url.clone(),
                should,
                page,
                pointer: a.at.pointer.clone(),
                has_annotations: a.at.has_annotations,
                object: a.at.object.clone(),
                file: a.at.file.clone(),
            }
        })
        .collect()
}

/// One line per alert: name, address, and what changes.
pub fn text(lines: &[UrlLine]) -> String {
    let mut out = String::new();
    let mut seen = std::collections::HashSet::new();
    let width = lines.iter().map(|l| l.alert.len()).max().unwrap_or(0);
    for l in lines {
        if !seen.insert((l.alert.clone(), l.should.clone(), l.runbook_url.clone())) {
            continue;
        }
        let note = match (&l.should, &l.runbook_url) {
            (None, _) => "no page documents this alert".to_string(),
            (Some(_), None) => "missing today".to_string(),
            (Some(s), Some(now)) if s == now => "unchanged".to_string(),
            (Some(_), Some(now)) => format!("now {now}"),
        };
        out.push_str(&format!(
            "{:width$}  {}  ({note})\n",
            l.alert,
            l.should.as_deref().unwrap_or("-")
        ));
    }
    out
}

/// `{"alerts": [...]}`.
pub fn json(lines: &[UrlLine]) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        alerts: &'a [UrlLine],
    }
    serde_json::to_string_pretty(&Out { alerts: lines }).unwrap_or_default() + "\n"
}

/// JSON patches (RFC 6902, written in YAML), one document per
/// `PrometheusRule` object or rule file holding rules to change, each headed
/// by how to apply it.
pub fn patches(lines: &[UrlLine]) -> String {
    let mut by_target: BTreeMap<(String, Option<ObjectRef>), Vec<&UrlLine>> = BTreeMap::new();
    for l in lines.iter().filter(|l| l.changed) {
        by_target
            .entry((l.file.clone(), l.object.clone()))
            .or_default()
            .push(l);
    }
    let mut out = String::new();
    for ((file, object), rules) in by_target {
        out.push_str("---\n");
        match &object {
            Some(o) => {
                let ns = o
                    .namespace
                    .as_deref()
                    .map(|n| format!(" -n {n}"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "# PrometheusRule {}{} ({file})\n# kubectl patch prometheusrule {}{ns} --type=json --patch-file=THIS-DOCUMENT.yaml\n",
                    o.namespace.as_deref().map(|n| format!("{n}/")).unwrap_or_default(),
                    o.name,
                    o.name
                ));
            }
            None => out.push_str(&format!("# rule file {file}\n")),
        }
        for l in rules {
            let should = l.should.as_deref().unwrap_or_default();
            out.push_str(&format!("# {} ({})\n", l.alert, l.source));
            if l.has_annotations {
                out.push_str(&format!(
                    "- op: add\n  path: {}/annotations/runbook_url\n  value: {}\n",
                    l.pointer,
                    quoted(should)
                ));
            } else {
                out.push_str(&format!(
                    "- op: add\n  path: {}/annotations\n  value:\n    runbook_url: {}\n",
                    l.pointer,
                    quoted(should)
                ));
            }
        }
    }
    out
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}
