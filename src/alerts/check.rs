//! Alerts ↔ runbooks, both ways (`vigie check alerts`):
//! - `alert-without-runbook`: an alert with no `runbook_url`, or one that
//!   reaches no page (and anchor) of the knowledge base, resolved against the
//!   site's published base URL;
//! - `runbook-without-alert`: a page documents an alert no rule defines
//!   (renamed or removed), with the closest alert name when there is one;
//! - `runbook-url-mismatch`: the alert points at one page while another
//!   page says it documents that alert.
//!
//! [`reach`] is also how the build finds the runbook of an alert no page
//! claims: the page its `runbook_url` leads to.

use std::collections::{BTreeMap, HashSet};

use super::AlertsConfig;
use super::documents::{Catalog, Documented};
use super::rules::{Alert, RuleSet};
use crate::config::Layout;
use crate::content::PageId;
use crate::content::resolve::{Target, percent_decode, resolve};
use crate::markdown::RenderedSite;
use crate::report::{Finding, Report, Severity};

/// Where a `runbook_url` leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reached {
    /// A page of the site, at an anchor that exists.
    Page { id: PageId, fragment: Option<String> },
    /// A page of the site, but not the anchor asked for.
    NoAnchor { id: PageId, fragment: String },
    /// Not under the site's base URL.
    Outside,
    /// Under the base URL, but no page is there; the reason in words.
    Nothing(String),
}

/// The site's published address, split for comparisons.
#[derive(Debug, Clone)]
pub struct Base {
    /// Lower-cased host (with port), when the base URL has one.
    host: Option<String>,
    /// Path segments of the base URL.
    path: Vec<String>,
    /// The base URL as configured.
    pub url: Option<String>,
}

impl Base {
    pub fn of(rs: &RenderedSite) -> Base {
        let url = rs.site.config.base_url.clone().filter(|u| !u.trim().is_empty());
        let (host, path) = match url.as_deref().map(split_url) {
            Some((host, path)) => (host, segments(path)),
            None => (None, Vec::new()),
        };
        Base { host, path, url }
    }

    /// The path of `url` below the base, with its fragment; `None` when
    /// `url` is not under it. Without a base URL, any address is matched on
    /// its path alone.
    fn below(&self, url: &str) -> Option<(Vec<String>, Option<String>)> {
        let (host, rest) = split_url(url.trim());
        if let (Some(want), Some(got)) = (&self.host, &host)
            && want != got
        {
            return None;
        }
        if self.host.is_some() && host.is_none() && !rest.starts_with('/') {
            return None;
        }
        let (path, fragment) = match rest.split_once('#') {
            Some((p, f)) => (p, Some(percent_decode(f))),
            None => (rest, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let segs = segments(&percent_decode(path));
        if segs.len() < self.path.len() || segs[..self.path.len()] != self.path[..] {
            return None;
        }
        Some((segs[self.path.len()..].to_vec(), fragment))
    }

    /// The absolute address of site path `path` (`runbooks/x.html#a`).
    pub fn address(&self, path: &str) -> String {
        match &self.url {
            Some(u) => format!("{}/{path}", u.trim_end_matches('/')),
            None => format!("/{path}"),
        }
    }
}

/// `https://Host:8080/a/b?q#f` → (Some("host:8080"), "/a/b?q#f"); an address
/// without a scheme is a path.
fn split_url(url: &str) -> (Option<String>, &str) {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return (None, url);
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    (Some(rest[..end].to_ascii_lowercase()), &rest[end..])
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// What an address of the knowledge base's own alert pages (`alerts/NAME`)
/// names: the alert.
fn alert_page_name(cfg: &AlertsConfig, path: &[String]) -> Option<String> {
    match path {
        [folder, name] | [folder, name, _] if *folder == cfg.folder() => {
            if let [_, _, last] = path
                && last != "index.html"
            {
                return None;
            }
            let name = name.strip_suffix(".html").unwrap_or(name);
            (!name.is_empty() && name != "index").then(|| name.to_string())
        }
        _ => None,
    }
}

/// Where `url` leads in the site of `rs`. Addresses of the alert pages
/// (`alerts/NAME`) lead to the alert's runbook when the build writes them
/// (`[alerts] rules` in vigie.toml).
pub fn reach(rs: &RenderedSite, base: &Base, cfg: &AlertsConfig, catalog: &Catalog, url: &str) -> Reached {
    let Some((path, fragment)) = base.below(url) else {
        return Reached::Outside;
    };
    let site = &rs.site;
    let target = if path.is_empty() {
        Target::Page {
            id: site.home,
            fragment: fragment.clone(),
        }
    } else {
        let mut href = format!("/{}", path.join("/"));
        if let Some(f) = &fragment {
            href.push('#');
            href.push_str(f);
        }
        resolve(site, site.page(site.home), &href)
    };
    match target {
        Target::Page { id, fragment } => match fragment.filter(|f| !f.is_empty()) {
            Some(f) if !(f == "top" || rs.rendered[id].anchors.contains(&f)) => {
                Reached::NoAnchor { id, fragment: f }
            }
            fragment => Reached::Page { id, fragment },
        },
        // a page of the site wins over an alert page of the same address
        other => match alert_page_name(cfg, &path) {
            Some(name) => match catalog.runbook(&name) {
                Some(d) if cfg.writes_pages() || d.declared => Reached::Page {
                    id: d.page,
                    fragment: d.anchor.clone(),
                },
                Some(_) => Reached::Nothing(format!(
                    "the alert pages `{}/NAME` are only built for the alerts of the rules vigie.toml names ([alerts] rules) and of `alerts:` front matter",
                    cfg.folder()
                )),
                None => Reached::Nothing(format!("no page documents alert `{name}`")),
            },
            None if matches!(other, Target::File { .. }) => Reached::Nothing("a file, not a page".into()),
            None => Reached::Nothing("no page there".into()),
        },
    }
}

/// The address of a page as the site publishes it: Hugo's for a Hugo site
/// (lower-cased, ending in `/`), the built page's otherwise.
pub fn page_address(rs: &RenderedSite, base: &Base, id: PageId, anchor: Option<&str>) -> String {
    let page = rs.site.page(id);
    let mut path = if rs.site.config.layout == Layout::Hugo {
        let route = page.route().replace(' ', "-").to_lowercase();
        if route.is_empty() {
            String::new()
        } else {
            format!("{route}/")
        }
    } else if page.url == "index.html" {
        String::new()
    } else {
        page.url.clone()
    };
    if let Some(a) = anchor {
        path.push('#');
        path.push_str(a);
    }
    base.address(&path)
}

/// The `runbook_url` alert `name` should carry: its runbook's address, or
/// with `stable` the alert page of the site (`alerts/NAME`), which follows
/// the runbook when it moves. `None` when no page documents the alert.
pub fn should_carry(
    rs: &RenderedSite,
    base: &Base,
    cfg: &AlertsConfig,
    catalog: &Catalog,
    name: &str,
    stable: bool,
) -> Option<String> {
    let d = catalog.runbook(name)?;
    Some(if stable {
        base.address(&format!("{}/{name}", cfg.folder()))
    } else {
        page_address(rs, base, d.page, d.anchor.as_deref())
    })
}

/// Rules of this check, and their severity.
pub const RULES: &[(&str, Severity)] = &[
    ("alert-without-runbook", Severity::Error),
    ("runbook-url-mismatch", Severity::Error),
    ("runbook-without-alert", Severity::Warning),
];

/// Checks the alerts of `rules` against the pages of `rs`, both ways.
pub fn check(rs: &RenderedSite, cfg: &AlertsConfig, rules: &RuleSet, catalog: &Catalog) -> Report {
    let base = Base::of(rs);
    let mut findings = Vec::new();
    // One judgement per alert and address: an alert defined by several rules
    // (one per severity) is one alert.
    let mut seen: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
    let mut first: Vec<&Alert> = Vec::new();
    for a in &rules.alerts {
        let key = (a.name.to_lowercase(), a.runbook_url.clone());
        match seen.get(&key) {
            Some(_) => {}
            None => {
                seen.insert(key, first.len());
                first.push(a);
            }
        }
    }
    for alert in &first {
        findings.extend(judge(rs, &base, cfg, catalog, alert));
    }
    let defined: HashSet<String> = rules.alerts.iter().map(|a| a.name.to_lowercase()).collect();
    let mut names: Vec<&str> = rules.alerts.iter().map(|a| a.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for claim in catalog.claims() {
        if defined.contains(&claim.name.to_lowercase()) {
            continue;
        }
        findings.push(orphan(rs, claim, &names));
    }
    let mut report = Report::new(findings);
    report.counters.insert("alerts".into(), names.len());
    report.counters.insert("alert_rules".into(), rules.alerts.len());
    let documented = names.iter().filter(|n| catalog.runbook(n).is_some()).count();
    report
        .counters
        .insert("alerts_with_runbook_page".into(), documented);
    report
}

fn finding(
    rule: &str,
    page: String,
    line: usize,
    target: &str,
    message: String,
    suggestion: Option<String>,
) -> Finding {
    let severity = RULES
        .iter()
        .find(|(r, _)| *r == rule)
        .map(|(_, s)| *s)
        .unwrap_or(Severity::Error);
    Finding {
        rule: rule.into(),
        severity,
        page,
        line,
        col: None,
        target: Some(target.into()),
        message,
        suggestion,
    }
}

/// The finding about one alert, if any.
fn judge(
    rs: &RenderedSite,
    base: &Base,
    cfg: &AlertsConfig,
    catalog: &Catalog,
    alert: &Alert,
) -> Option<Finding> {
    let site = &rs.site;
    let name = alert.name.as_str();
    let documented = catalog.pages_of(name);
    let where_documented = |d: &Documented| format!("{}:{}", site.page(d.page).display(), d.line);
    let fix = || {
        documented.first().map(|d| {
            format!(
                "set runbook_url: {} ({} documents it)",
                page_address(rs, base, d.page, d.anchor.as_deref()),
                where_documented(d)
            )
        })
    };
    let write_one = || {
        // a page naming an alert close to this one: a misspelling on one side
        let lower = name.to_lowercase();
        let max = (name.len() / 4).clamp(1, 4);
        let close = catalog
            .claims()
            .into_iter()
            .filter_map(|d| crate::fuzzy::distance(&lower, &d.name.to_lowercase(), max).map(|n| (n, d)))
            .min_by_key(|(n, _)| *n);
        match close {
            Some((_, d)) => format!(
                "did you mean the runbook {} ({} documents `{}`)?",
                page_address(rs, base, d.page, d.anchor.as_deref()),
                where_documented(d),
                d.name
            ),
            None => format!(
                "write its runbook: a page with `alerts: [{name}]` in its front matter, or named {name}.md"
            ),
        }
    };
    let found = |rule: &str, message: String, suggestion: Option<String>| {
        Some(finding(
            rule,
            alert.at.file.clone(),
            alert.at.line,
            name,
            message,
            suggestion,
        ))
    };
    let without = |message, suggestion| found("alert-without-runbook", message, suggestion);
    let mismatch = |message, suggestion| found("runbook-url-mismatch", message, suggestion);
    let Some(url) = &alert.runbook_url else {
        return without(
            format!("alert `{name}` has no runbook_url annotation"),
            fix().or_else(|| Some(write_one())),
        );
    };
    match reach(rs, base, cfg, catalog, url) {
        Reached::Outside => without(
            format!(
                "alert `{name}`: runbook_url {url} is not an address of this knowledge base ({})",
                base.url.as_deref().unwrap_or("no base_url")
            ),
            fix().or_else(|| Some(write_one())),
        ),
        Reached::Nothing(why) => without(
            format!("alert `{name}`: runbook_url {url} reaches no page of this knowledge base ({why})"),
            fix()
                .or_else(|| closest_page(rs, base, url))
                .or_else(|| Some(write_one())),
        ),
        Reached::NoAnchor { id, fragment } => without(
            format!(
                "alert `{name}`: runbook_url {url} reaches {}, which has no anchor #{fragment}",
                site.page(id).display()
            ),
            fix(),
        ),
        Reached::Page { id, .. } => {
            if !documented.is_empty() && !documented.iter().any(|d| d.page == id) {
                let d = &documented[0];
                return mismatch(
                    format!(
                        "alert `{name}`: runbook_url leads to {}, but {} says it documents `{name}`",
                        site.page(id).display(),
                        where_documented(d)
                    ),
                    fix(),
                );
            }
            let others = catalog.alerts_of(id);
            if documented.is_empty() && !others.is_empty() {
                let theirs: Vec<&str> = catalog
                    .claims()
                    .into_iter()
                    .filter(|d| d.page == id)
                    .map(|d| d.name.as_str())
                    .collect();
                return mismatch(
                    format!(
                        "alert `{name}`: runbook_url leads to {}, which documents {} but not `{name}`",
                        site.page(id).display(),
                        theirs
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    Some(format!(
                        "add `{name}` to the `alerts:` of {}, or point runbook_url at the runbook of `{name}`",
                        site.page(id).display()
                    )),
                );
            }
            None
        }
    }
}

/// "Did you mean": the page whose file name is closest to the last part of
/// a broken address.
fn closest_page(rs: &RenderedSite, base: &Base, url: &str) -> Option<String> {
    let (_, rest) = split_url(url);
    let last = rest
        .split(['?', '#'])
        .next()?
        .trim_end_matches('/')
        .rsplit('/')
        .next()?;
    let last = last.strip_suffix(".html").unwrap_or(last).to_lowercase();
    if last.len() < 4 {
        return None;
    }
    let max = (last.len() / 4).clamp(1, 4);
    let (_, id) = rs
        .site
        .pages
        .iter()
        .filter_map(|p| {
            let stem = p.file_stem()?.to_lowercase();
            crate::fuzzy::distance(&last, &stem, max).map(|d| (d, p.id))
        })
        .min()?;
    Some(format!("did you mean {}?", page_address(rs, base, id, None)))
}

/// The finding for a page documenting an alert no rule defines.
fn orphan(rs: &RenderedSite, claim: &Documented, names: &[&str]) -> Finding {
    let page = rs.site.page(claim.page);
    let name = claim.name.as_str();
    let lower = name.to_lowercase();
    let max = (name.len() / 4).clamp(1, 4);
    let meant = names
        .iter()
        .filter_map(|n| crate::fuzzy::distance(&lower, &n.to_lowercase(), max).map(|d| (d, *n)))
        .min()
        .map(|(_, n)| format!("did you mean `{n}`? (renamed: update the page)"));
    let how = if claim.declared {
        "says it documents"
    } else {
        "is named after"
    };
    finding(
        "runbook-without-alert",
        page.display().to_string(),
        claim.line,
        name,
        format!(
            "{} {how} alert `{name}`, which no rule defines (renamed or removed?)",
            page.display()
        ),
        meant.or_else(|| {
            Some(format!(
                "remove `{name}` from the page, or add the alert to the rules"
            ))
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_split_and_compared_below_the_base() {
        assert_eq!(
            split_url("https://Kb.Example:8443/a/b?x#y"),
            (Some("kb.example:8443".into()), "/a/b?x#y")
        );
        assert_eq!(split_url("/a/b"), (None, "/a/b"));
        let base = Base {
            host: Some("kb.example".into()),
            path: vec!["docs".into()],
            url: Some("https://kb.example/docs/".into()),
        };
        assert_eq!(
            base.below("https://KB.example/docs/runbooks/x/#Arr%C3%AAt"),
            Some((vec!["runbooks".into(), "x".into()], Some("Arrêt".into())))
        );
        assert_eq!(base.below("https://other.example/docs/x"), None);
        assert_eq!(base.below("https://kb.example/x"), None);
        assert_eq!(
            base.address("runbooks/x.html#a"),
            "https://kb.example/docs/runbooks/x.html#a"
        );
    }

    #[test]
    fn alert_page_addresses_name_their_alert() {
        let cfg = AlertsConfig::default();
        let p = |s: &str| segments(s);
        assert_eq!(
            alert_page_name(&cfg, &p("alerts/NovaComputeDown")).as_deref(),
            Some("NovaComputeDown")
        );
        assert_eq!(
            alert_page_name(&cfg, &p("alerts/novacomputedown.html")).as_deref(),
            Some("novacomputedown")
        );
        assert_eq!(
            alert_page_name(&cfg, &p("alerts/X/index.html")).as_deref(),
            Some("X")
        );
        assert_eq!(alert_page_name(&cfg, &p("alerts/index.html")), None);
        assert_eq!(alert_page_name(&cfg, &p("runbooks/X")), None);
    }
}
