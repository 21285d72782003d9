//! `api/pages.json` of the built site: every page with its URL, title, kind,
//! owner, review date and interval, freshness status and findings, so other
//! tools (a chat bot, a status page, a spreadsheet) read freshness without
//! running vigie. Stable keys; dates as `YYYY-MM-DD`.

use std::collections::HashMap;

use serde::Serialize;

use super::assess::Assessment;
use crate::content::Site;
use crate::report::Finding;

/// Where the file is written in the site.
pub const URL: &str = "api/pages.json";

#[derive(Serialize)]
struct Api<'a> {
    vigie_pages: u32,
    /// The site's `base_url`, when it has one (page URLs are relative to it).
    base_url: Option<&'a str>,
    pages: Vec<PageEntry<'a>>,
}

#[derive(Serialize)]
struct PageEntry<'a> {
    url: &'a str,
    title: &'a str,
    /// Source file relative to the knowledge-base root (`null`: a section page vigie made up).
    source: Option<&'a str>,
    kind: Option<&'static str>,
    owner: Option<&'a str>,
    reviewed: Option<chrono::NaiveDate>,
    /// `true` when `reviewed` is the file's last commit (no `reviewed:` date).
    reviewed_from_git: bool,
    review_interval_days: Option<i64>,
    due: Option<chrono::NaiveDate>,
    /// `fresh`, `due`, `stale`, `contradicted`, `unknown`; `null` when the page is not judged.
    status: Option<&'static str>,
    findings: Vec<&'a Finding>,
}

/// Writes the JSON of `api/pages.json` into `out`: one entry per page, in
/// site order (on 10,000 pages, 16 MB not held whole).
pub fn write(site: &Site, a: &Assessment, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut by_page: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in &a.findings {
        by_page.entry(f.page.as_str()).or_default().push(f);
    }
    let pages = site
        .pages
        .iter()
        .map(|page| {
            let judged = a.page(page.id);
            let source = page.source.is_some().then(|| page.display());
            PageEntry {
                url: &page.url,
                title: &page.title,
                source,
                kind: page.kind.map(|k| k.as_str()),
                owner: judged
                    .and_then(|p| p.owner.as_deref())
                    .or(page.front_matter.owner.as_deref()),
                reviewed: judged.and_then(|p| p.reviewed).or(page.front_matter.reviewed),
                reviewed_from_git: judged.is_some_and(|p| p.reviewed_from_git),
                review_interval_days: judged.and_then(|p| p.interval_days),
                due: judged.and_then(|p| p.due),
                status: judged.map(|p| p.status.as_str()),
                findings: source.and_then(|s| by_page.get(s)).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let api = Api {
        vigie_pages: 1,
        base_url: site.config.base_url.as_deref(),
        pages,
    };
    serde_json::to_writer_pretty(&mut *out, &api)?;
    out.write_all(b"\n")
}
