//! The whole link check behind `vigie check links`: on a site loaded and
//! rendered once, internal links are judged from what the renderer resolved
//! ([`super::check_internal`], the same findings `vigie build` uses), external
//! links through lychee-lib ([`super::external`]) unless offline.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::cache::Cache;
use super::external::{Outcome, check_urls};
use super::locate::{SourceText, locate};
use super::settings::{LinkFilter, LinkSettings, lycheeignore};
use crate::config::Config;
use crate::content::Site;
use crate::content::resolve::Target;
use crate::error::Result;
use crate::markdown::{LinkRef, RenderOptions, Rendered, RenderedSite, render_with};
use crate::report::{Finding, Report, Severity};

/// How to check.
#[derive(Debug, Default)]
pub struct CheckOptions {
    /// Internal links only.
    pub offline: bool,
    /// A progress bar on stderr when it is a terminal.
    pub progress: bool,
    pub filter: LinkFilter,
    pub settings: LinkSettings,
}

impl CheckOptions {
    /// Options from `[links]` of `vigie.toml`, `.lycheeignore` and the command line.
    pub fn load(
        config: &Config,
        offline: bool,
        include: &[String],
        exclude: &[String],
    ) -> Result<CheckOptions> {
        let (settings, raw) = LinkSettings::load(config)?;
        let include: Vec<(String, String)> =
            include.iter().map(|p| (p.clone(), "--include".into())).collect();
        let mut excludes: Vec<(String, String)> =
            exclude.iter().map(|p| (p.clone(), "--exclude".into())).collect();
        excludes.extend(raw.exclude.iter().enumerate().map(|(i, p)| {
            let line = config.line_of_key(&["links", "exclude", &i.to_string()]);
            (p.clone(), format!("vigie.toml:{line}: [links] exclude"))
        }));
        excludes.extend(lycheeignore(config)?);
        Ok(CheckOptions {
            offline,
            progress: false,
            filter: LinkFilter::new(&include, &excludes)?,
            settings,
        })
    }
}

/// Renders every page of `site` for [`check`], in parallel: of each page,
/// only what the check reads is kept (links, anchors, rendering warnings).
/// Its plain text, code blocks and headings, which a large site holds as
/// much of as its Markdown, are dropped as soon as the page is rendered.
pub fn render(site: Site) -> RenderedSite {
    let opts = RenderOptions::checks();
    let rendered = site
        .pages
        .par_iter()
        .map(|page| {
            let r = render_with(&site, page, &opts);
            Rendered {
                links: r.links,
                anchors: r.anchors,
                warnings: r.warnings,
                ..Rendered::default()
            }
        })
        .collect();
    RenderedSite { site, rendered }
}

/// Checks every link of a rendered site.
pub fn check(rs: &RenderedSite, opts: &CheckOptions) -> Result<Report> {
    let site = &rs.site;
    let mut report = super::internal_report(rs);
    report
        .findings
        .retain(|f| f.target.as_deref().is_none_or(|t| opts.filter.wants(t)));

    let mut links = 0;
    // URL (without fragment) → the links that point to it, by page.
    let mut external: BTreeMap<String, Vec<(usize, &LinkRef)>> = BTreeMap::new();
    let mut findings = Vec::new();
    for (page, r) in site.pages.iter().zip(&rs.rendered) {
        for link in &r.links {
            if !opts.filter.wants(&link.href) {
                continue;
            }
            links += 1;
            if link.target != Target::External {
                continue;
            }
            let href = link.href.trim();
            match web_url(href) {
                Web::Http(url) => external.entry(url).or_default().push((page.id, link)),
                Web::Other => {}
                Web::Unknown(scheme) => findings.push(Occurrence { page: page.id, link }.finding(
                    "unknown-scheme",
                    Severity::Warning,
                    format!("`{href}`: `{scheme}:` is not a URL scheme browsers know; the link goes nowhere"),
                    Some("write the full URL, e.g. `https://…`".into()),
                )),
            }
        }
    }
    report.counters.insert("pages".into(), site.pages.len());
    report.counters.insert("links".into(), links);

    if !opts.offline && !external.is_empty() {
        findings.extend(check_external(rs, &external, opts, &mut report.counters)?);
    }
    report.findings.extend(relocate(rs, findings));
    let mut out = Report::new(report.findings);
    out.counters = report.counters;
    Ok(out)
}

/// Checks the distinct URLs of `external` (through the cache) and turns each
/// answer into findings for every link to that URL.
fn check_external(
    rs: &RenderedSite,
    external: &BTreeMap<String, Vec<(usize, &LinkRef)>>,
    opts: &CheckOptions,
    counters: &mut BTreeMap<String, usize>,
) -> Result<Vec<(usize, Finding)>> {
    let urls: Vec<String> = external.keys().cloned().collect();
    let cache_path = rs.site.config.root.join(".vigie").join("links-cache.json");
    let mut cache = Cache::load(&cache_path, opts.settings.cache_max_age);
    let results = check_urls(&urls, &opts.settings, &mut cache, opts.progress)?;
    if let Err(e) = cache.save() {
        eprintln!("warning: the link cache was not saved: {e}");
    }
    counters.insert("external_urls".into(), urls.len());
    counters.insert("from_cache".into(), results.values().filter(|c| c.cached).count());
    let mut findings = Vec::new();
    for (url, occurrences) in external {
        let Some(checked) = results.get(url) else {
            continue;
        };
        for &(page, link) in occurrences {
            let at = Occurrence { page, link };
            findings.extend(external_finding(&at, &checked.outcome, &opts.settings));
        }
    }
    Ok(findings)
}

/// A link of a page.
struct Occurrence<'a> {
    page: usize,
    link: &'a LinkRef,
}

impl Occurrence<'_> {
    /// A finding about this link, with the page id it was found in (the
    /// file, line and column are settled by [`relocate`]).
    fn finding(
        &self,
        rule: &str,
        severity: Severity,
        message: String,
        suggestion: Option<String>,
    ) -> (usize, Finding) {
        let finding = Finding {
            rule: rule.into(),
            severity,
            page: String::new(),
            line: self.link.line,
            col: Some(self.link.col),
            target: Some(self.link.href.clone()),
            message,
            suggestion,
        };
        (self.page, finding)
    }
}

fn external_finding(
    at: &Occurrence<'_>,
    outcome: &Outcome,
    settings: &LinkSettings,
) -> Option<(usize, Finding)> {
    let href = at.link.href.trim();
    Some(match outcome {
        Outcome::Ok | Outcome::Skipped => return None,
        Outcome::Redirected { to } => {
            if !settings.warn_redirects {
                return None;
            }
            at.finding(
                "redirect",
                Severity::Warning,
                format!("`{href}` redirects to `{to}`"),
                Some(format!("link to `{to}` directly")),
            )
        }
        Outcome::Broken { message, .. } => at.finding(
            "broken-link",
            Severity::Error,
            format!("`{href}`: {message}"),
            None,
        ),
        Outcome::Timeout => at.finding(
            "link-timeout",
            Severity::Error,
            format!(
                "`{href}`: no answer within {}s (tried {} time(s))",
                settings.timeout.as_secs_f64(),
                settings.retries + 1
            ),
            Some(
                "check that the site is up; raise `[links] timeout` for slow sites, or exclude the URL"
                    .into(),
            ),
        ),
        Outcome::RateLimited => at.finding(
            "rate-limited",
            Severity::Warning,
            format!(
                "`{href}`: still `429 Too Many Requests` after {} retries; not verified",
                settings.retries
            ),
            Some("run again later, or lower `[links] max_per_host`".into()),
        ),
    })
}

/// Names the file, line and column of findings made from rendered links of
/// page `id`, reading each page's source at most once.
fn relocate(rs: &RenderedSite, findings: Vec<(usize, Finding)>) -> Vec<Finding> {
    let mut by_page: BTreeMap<usize, Vec<Finding>> = BTreeMap::new();
    for (id, f) in findings {
        by_page.entry(id).or_default().push(f);
    }
    let mut out = Vec::new();
    for (id, list) in by_page {
        let page = rs.site.page(id);
        let source = SourceText::default();
        for mut f in list {
            let needle = f.target.clone().unwrap_or_default();
            let place = locate(
                &rs.site.config,
                page,
                &source,
                needle.trim(),
                f.line,
                f.col.unwrap_or(1),
            );
            f.page = place.file;
            f.line = place.line;
            f.col = Some(place.col);
            if let Some(by) = place.included_in {
                f.message.push_str(&format!(" (in a file included by {by})"));
            }
            out.push(f);
        }
    }
    out
}

enum Web {
    /// An `http(s)` URL to check, without its fragment.
    Http(String),
    /// A scheme that is fine but not checked (`ftp:`, `ssh:`, …).
    Other,
    /// A scheme nobody knows (`htps:`, `link:`): most likely a typo.
    Unknown(String),
}

/// Schemes seen in documentation that are not checked but are not mistakes either.
const OTHER_SCHEMES: &[&str] = &[
    "about", "data", "feed", "file", "ftp", "ftps", "geo", "git", "gopher", "irc", "ircs", "ldap", "ldaps",
    "magnet", "matrix", "msteams", "news", "nntp", "obsidian", "rdp", "rtsp", "s3", "sftp", "sip", "sips",
    "skype", "slack", "smb", "spotify", "ssh", "svn", "tg", "urn", "vnc", "vscode", "webcal", "ws", "wss",
    "xmpp", "zoommtg",
];

fn web_url(href: &str) -> Web {
    let href = href.split('#').next().unwrap_or(href);
    if let Some(rest) = href.strip_prefix("//") {
        return Web::Http(format!("https://{rest}"));
    }
    let scheme = href.split(':').next().unwrap_or("").to_ascii_lowercase();
    match scheme.as_str() {
        "http" | "https" => Web::Http(href.to_string()),
        s if OTHER_SCHEMES.contains(&s) => Web::Other,
        s => Web::Unknown(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_fragment_and_odd_schemes_are_spotted() {
        assert!(matches!(web_url("https://a.example/x#y"), Web::Http(u) if u == "https://a.example/x"));
        assert!(matches!(web_url("//cdn.example/x"), Web::Http(u) if u == "https://cdn.example/x"));
        assert!(matches!(web_url("ssh://git@host/x"), Web::Other));
        assert!(matches!(web_url("link:https://access.redhat.com"), Web::Unknown(s) if s == "link"));
        assert!(matches!(web_url("htps://x"), Web::Unknown(s) if s == "htps"));
    }
}
