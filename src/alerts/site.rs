//! What the build writes for alerts: one redirect page per alert,
//! `alerts/<AlertName>` (also in lower case), that lands on its runbook — at
//! the alert's anchor when there is one — from `file://`, any static host
//! and `serve` (a plain HTML redirect with a canonical link: no server rule
//! needed); and the alerts index (`alerts/index.html`: alert, severity,
//! group, runbook and the runbook's freshness), linked from the home page.
//!
//! The build reads only rule files (`[alerts] rules`), never a cluster.

use std::collections::{BTreeMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use super::Alerts;
use super::check::{Base, Reached, reach};
use crate::content::PageId;
use crate::content::resolve::relative_url;
use crate::error::Result;
use crate::freshness::Assessment;
use crate::markdown::RenderedSite;
use crate::markdown::shortcodes::esc;
use crate::output::Staging;
use crate::theme::context::{BadgeCtx, nav};
use crate::theme::{Theme, ser, site_ctx};

/// One alert of the index.
struct Entry {
    name: String,
    severities: Vec<String>,
    group: Option<String>,
    summary: Option<String>,
    runbook: Option<(PageId, Option<String>)>,
}

/// Writes the alert pages and the alerts index when the knowledge base knows
/// alerts (rules in `vigie.toml`, or pages whose front matter lists
/// `alerts:`). Returns the index's URL for the home page.
pub fn write(
    rs: &RenderedSite,
    theme: &Theme,
    staging: &Staging,
    fresh: &Assessment,
) -> Result<Option<String>> {
    let alerts = Alerts::load(rs, None)?;
    let entries = entries(rs, &alerts);
    if entries.is_empty() {
        return Ok(None);
    }
    let folder = alerts.config.folder();
    let index = format!("{folder}/index.html");
    write_redirects(rs, &entries, folder, staging)?;
    write_index(rs, &entries, folder, &index, theme, staging, fresh)?;
    Ok(Some(index))
}

/// The alerts of the rules, then those only front matter names, by name.
fn entries(rs: &RenderedSite, alerts: &Alerts) -> Vec<Entry> {
    let base = Base::of(rs);
    let mut by_name: BTreeMap<String, Entry> = BTreeMap::new();
    for a in &alerts.rules.alerts {
        let e = by_name.entry(a.name.to_lowercase()).or_insert_with(|| Entry {
            name: a.name.clone(),
            severities: Vec::new(),
            group: Some(a.group.clone()),
            summary: a.summary.clone(),
            runbook: None,
        });
        if let Some(s) = &a.severity
            && !e.severities.contains(s)
        {
            e.severities.push(s.clone());
        }
        if e.runbook.is_none()
            && alerts.catalog.runbook(&a.name).is_none()
            && let Some(url) = &a.runbook_url
            && let Reached::Page { id, fragment } = reach(rs, &base, &alerts.config, &alerts.catalog, url)
        {
            e.runbook = Some((id, fragment));
        }
    }
    for d in alerts.catalog.claims().into_iter().filter(|d| d.declared) {
        by_name.entry(d.name.to_lowercase()).or_insert_with(|| Entry {
            name: d.name.clone(),
            severities: Vec::new(),
            group: None,
            summary: None,
            runbook: None,
        });
    }
    let mut out: Vec<Entry> = by_name.into_values().collect();
    for e in &mut out {
        if let Some(d) = alerts.catalog.runbook(&e.name) {
            e.runbook = Some((d.page, d.anchor.clone()));
        }
    }
    out.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.name.cmp(&b.name))
    });
    out
}

/// Whether `name` can be a file name in the site as it is.
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name != "index"
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// The files of one alert: `alerts/NAME/index.html` (for `alerts/NAME/` and,
/// on most hosts, `alerts/NAME`) and `alerts/NAME.html`, in the case the rule
/// writes and in lower case.
fn paths_of(folder: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for n in [name.to_string(), name.to_lowercase()] {
        for p in [format!("{folder}/{n}/index.html"), format!("{folder}/{n}.html")] {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

fn write_redirects(rs: &RenderedSite, entries: &[Entry], folder: &str, staging: &Staging) -> Result<()> {
    let site = &rs.site;
    let base = Base::of(rs);
    // a page of the site keeps its address; two alerts differing only by case share the lower-case one
    let mut taken: HashSet<String> = site.pages.iter().map(|p| p.url.clone()).collect();
    let mut files: Vec<(String, PageId, Option<&str>, &str)> = Vec::new();
    for e in entries.iter().filter(|e| safe_name(&e.name)) {
        let Some((id, anchor)) = &e.runbook else { continue };
        for path in paths_of(folder, &e.name) {
            if taken.insert(path.clone()) {
                files.push((path, *id, anchor.as_deref(), &e.name));
            }
        }
    }
    files.par_iter().try_for_each(|(path, id, anchor, name)| {
        let page = site.page(*id);
        let fragment = anchor.map(|a| format!("#{a}")).unwrap_or_default();
        let target = format!("{}{fragment}", relative_url(path, &page.url));
        // without a base URL the canonical link is the relative one
        let canonical = match &base.url {
            Some(_) => format!("{}{fragment}", base.address(&page.url)),
            None => target.clone(),
        };
        staging.write(
            path,
            redirect(name, &page.title, &target, &canonical, &site.config.language).as_bytes(),
        )
    })
}

/// A page that sends the browser to `target` at once: meta refresh (works
/// from `file://` and without JavaScript), `location.replace` (keeps the
/// redirect out of the history), and a link for anything else.
fn redirect(alert: &str, title: &str, target: &str, canonical: &str, lang: &str) -> String {
    let js = serde_json::to_string(target)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{a} — {t}</title>\
         <meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={href}\">\
         <link rel=\"canonical\" href=\"{canonical}\"><script>location.replace({js});</script></head>\
         <body><p>{a}: <a href=\"{href}\">{t}</a></p></body></html>\n",
        a = esc(alert),
        t = esc(title),
        href = esc(target),
        canonical = esc(canonical),
        lang = esc(lang),
    )
}

#[derive(Serialize)]
struct Row {
    name: String,
    severity: String,
    group: String,
    summary: Option<String>,
    /// The alert's own page (`alerts/NAME/index.html`), when it has a runbook.
    link: Option<String>,
    runbook: Option<RunbookCtx>,
}

#[derive(Serialize)]
struct RunbookCtx {
    title: String,
    url: String,
    freshness: Option<BadgeCtx>,
}

#[allow(clippy::too_many_arguments)]
fn write_index(
    rs: &RenderedSite,
    entries: &[Entry],
    folder: &str,
    index: &str,
    theme: &Theme,
    staging: &Staging,
    fresh: &Assessment,
) -> Result<()> {
    let site = &rs.site;
    let lang = site.config.language.as_str();
    let rows: Vec<Row> = entries
        .iter()
        .map(|e| {
            let runbook = e.runbook.as_ref().map(|(id, anchor)| {
                let page = site.page(*id);
                let mut url = relative_url(index, &page.url);
                if let Some(a) = anchor {
                    url = format!("{url}#{a}");
                }
                RunbookCtx {
                    title: page.title.clone(),
                    url,
                    freshness: fresh.badge(*id, lang),
                }
            });
            Row {
                link: (runbook.is_some() && safe_name(&e.name))
                    .then(|| relative_url(index, &format!("{folder}/{}/index.html", e.name))),
                name: e.name.clone(),
                severity: e.severities.join(", "),
                group: e.group.clone().unwrap_or_default(),
                summary: e.summary.clone(),
                runbook,
            }
        })
        .collect();
    let documented = rows.iter().filter(|r| r.runbook.is_some()).count();
    let html = theme.render(
        "alerts.html",
        minijinja::context! {
            site => ser(&site_ctx(site, index)),
            nav => ser(&nav(site, index, None)),
            alerts => ser(&rows),
            documented => documented,
            total => rows.len(),
        },
    )?;
    staging.write(index, html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_alert_has_its_name_and_lower_case_paths() {
        assert_eq!(
            paths_of("alerts", "NovaDown"),
            [
                "alerts/NovaDown/index.html",
                "alerts/NovaDown.html",
                "alerts/novadown/index.html",
                "alerts/novadown.html"
            ]
        );
        assert_eq!(paths_of("alerts", "up").len(), 2);
        assert!(!safe_name("../x"));
        assert!(!safe_name("index"));
        assert!(safe_name("etcd_no_leader"));
    }

    #[test]
    fn redirects_escape_what_they_show() {
        let html = redirect("X", "a <b>", "../r/x.html#\"y", "https://kb/r/x.html", "fr");
        assert!(html.contains("<title>X — a &lt;b&gt;</title>"), "{html}");
        assert!(html.contains("url=../r/x.html#&quot;y"), "{html}");
        assert!(html.contains("location.replace(\"../r/x.html#\\\"y\")"), "{html}");
    }
}
