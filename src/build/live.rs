//! The site as `serve` keeps it between saves, and the update a save of
//! one page's text needs: that page read and rendered again, the link
//! findings of the pages that point at it checked again, its HTML written
//! only when its bytes changed, the search index refreshed afterwards.
//! Anything else (a title, the tree, an include, the configuration) is a
//! whole build again: [`Live::update`] says so by answering `None`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::{
    PageWriter, apply_policy, has_sitemap, sitemap, theme_asset_findings_of, write_freshness, write_home,
};
use crate::config::BrokenLinks;
use crate::content::PageId;
use crate::content::resolve::Target;
use crate::course::Courses;
use crate::error::Result;
use crate::freshness::{Assessment, StateSpec};
use crate::markdown::{RenderOptions, Rendered, RenderedSite, render_with};
use crate::output::{InPlace, Sink, Staging};
use crate::report::{Finding, Report};
use crate::theme::Theme;

/// What [`Live::new`] is made of: everything a build wrote the site from.
pub(super) struct LiveParts {
    pub rs: RenderedSite,
    pub theme: Theme,
    pub courses: Courses,
    pub fresh: Assessment,
    pub report: Report,
    pub state: StateSpec,
    pub policy: BrokenLinks,
    pub today: NaiveDate,
    /// The written site.
    pub out: PathBuf,
    /// Address of the alerts index, when the site has one.
    pub alerts: Option<String>,
}

/// A built site, kept to take in saves one page at a time.
pub struct Live {
    parts: LiveParts,
    by_source: HashMap<PathBuf, PageId>,
}

/// What [`Live::update`] did.
#[derive(Debug)]
pub struct Update {
    /// Site paths whose bytes changed, in the order written.
    pub written: Vec<String>,
    /// Findings the save made appear, and those it made go.
    pub new: Vec<Finding>,
    pub gone: Vec<Finding>,
    /// All findings of the site after the save.
    pub report: Report,
    pub elapsed: Duration,
}

impl Live {
    pub(super) fn new(mut parts: LiveParts) -> Live {
        // Pages are on disk: their HTML is not kept (a save renders its page again).
        for r in &mut parts.rs.rendered {
            r.html = String::new();
        }
        let by_source = parts
            .rs
            .site
            .pages
            .iter()
            .filter_map(|p| p.source.clone().map(|s| (s, p.id)))
            .collect();
        Live { parts, by_source }
    }

    /// The findings of the site as last built or updated.
    pub fn report(&self) -> &Report {
        &self.parts.report
    }

    /// Takes in the saved files `changed`. `Ok(None)` when one of them is a
    /// page whose file is gone, or not a page whose text alone changed (see
    /// [`crate::content::Site::reread`]), is the home page or a page of a
    /// course, or when headings changed on a site with an alerts index: the
    /// whole site must be built again.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Option<Update>> {
        let started = Instant::now();
        let LiveParts {
            rs,
            theme,
            courses,
            fresh,
            report,
            state,
            policy,
            today,
            out,
            alerts,
        } = &mut self.parts;
        let mut ids = Vec::new();
        for path in changed {
            match self.by_source.get(path) {
                // A page whose file is gone (deleted, or renamed away) leaves
                // the site: its navigation, the links to it.
                Some(_) if !path.exists() => return Ok(None),
                Some(&id) => ids.push(id),
                // A file that came and went (an editor's temporary file) and
                // that no page links to changes nothing; a folder that went
                // (moved out, deleted whole) took its pages with it.
                None if !path.exists()
                    && !linked(rs, path)
                    && !self.by_source.keys().any(|s| s.starts_with(path)) => {}
                // A file the site leaves out (vigie.toml's `exclude`, an
                // MkDocs draft being written) is no part of it, whatever it holds.
                None if rs.site.config.left_out(path) => {}
                None => return Ok(None),
            }
        }
        if ids.is_empty() {
            return Ok(Some(Update {
                written: Vec::new(),
                new: Vec::new(),
                gone: Vec::new(),
                report: report.clone(),
                elapsed: started.elapsed(),
            }));
        }
        ids.sort_unstable();
        ids.dedup();
        let site = &rs.site;
        if ids.iter().any(|&id| {
            id == site.home || courses.course_of_page(id).is_some() || !courses.memberships(id).is_empty()
        }) {
            return Ok(None);
        }
        let mut pages = Vec::with_capacity(ids.len());
        for &id in &ids {
            match site.reread(id)? {
                Some(page) => pages.push(page),
                None => return Ok(None),
            }
        }
        let rendered: Vec<Rendered> = pages
            .par_iter()
            .map(|p| render_with(site, p, &RenderOptions::default()))
            .collect();
        let headings_changed = ids
            .iter()
            .zip(&rendered)
            .any(|(&id, r)| !same_headings(&rs.rendered[id], r));
        if headings_changed && alerts.is_some() {
            return Ok(None);
        }
        let reviews_changed = ids
            .iter()
            .zip(&pages)
            .any(|(&id, p)| p.front_matter != site.page(id).front_matter);
        let code_changed = ids
            .iter()
            .zip(&rendered)
            .any(|(&id, r)| !same_code(&rs.rendered[id], r));
        // The pages whose link findings may change: the saved ones, and those
        // linking to them (an anchor may have come or gone).
        let mut affected = ids.clone();
        if headings_changed {
            affected.extend(linking_to(rs, &ids));
            affected.sort_unstable();
            affected.dedup();
        }
        let before = page_findings(rs, &affected, *policy);
        for (page, r) in pages.into_iter().zip(rendered) {
            let id = page.id;
            rs.site.replace(page);
            rs.rendered[id] = r;
        }
        let after = page_findings(rs, &affected, *policy);
        if code_changed || reviews_changed {
            *fresh = crate::freshness::assess(rs, state, *today)?;
        }
        let sink = InPlace::new(out);
        let html: Vec<(String, String)> = ids
            .par_iter()
            .map(|&id| {
                let pages = PageWriter {
                    site: &rs.site,
                    theme,
                    courses,
                    today: *today,
                };
                let badge = fresh.badge(id, &rs.site.config.language);
                pages
                    .html(id, &rs.rendered[id], badge, rs.rendered[id].html.clone())
                    .map(|h| (rs.site.page(id).url.clone(), h))
            })
            .collect::<Result<_>>()?;
        for (url, h) in &html {
            sink.write(url, h.as_bytes())?;
        }
        if code_changed || reviews_changed {
            // The home page's lists and the dashboard follow the new judgement.
            write_home(rs, theme, &sink, *today, fresh, alerts.as_deref())?;
            write_freshness(rs, theme, &sink, fresh)?;
        }
        if reviews_changed && has_sitemap(&rs.site) {
            // `<lastmod>` is the review date.
            sink.write("sitemap.xml", sitemap(&rs.site).as_bytes())?;
        }
        for &id in &ids {
            rs.rendered[id].html = String::new();
        }
        let (new, gone) = crate::report::difference(&after, &before);
        let mut findings = report.findings.clone();
        for f in &gone {
            if let Some(i) = findings.iter().position(|x| x == f) {
                findings.remove(i);
            }
        }
        findings.extend(new.iter().cloned());
        let counters = std::mem::take(&mut report.counters);
        *report = Report {
            counters,
            ..Report::new(findings)
        };
        Ok(Some(Update {
            written: sink.written(),
            new,
            gone,
            report: report.clone(),
            elapsed: started.elapsed(),
        }))
    }

    /// Writes the browser's search index again from the site as it is now,
    /// replacing only the files of `search/` whose bytes changed; returns how
    /// many did.
    pub fn refresh_search(&self) -> Result<usize> {
        let LiveParts { rs, out, .. } = &self.parts;
        let scratch = tempfile::Builder::new()
            .prefix(".vigie-search-")
            .tempdir_in(out.parent().unwrap_or(out))
            .map_err(|e| crate::error::Error::write(out, e))?;
        let staging = Staging::new(&scratch.path().join("site"), &rs.site.config.root)?;
        crate::search::emit(rs, &staging, false, None)?.abandon();
        let sink = InPlace::new(out);
        copy_changed(staging.dir(), &sink)?;
        Ok(sink.written().len())
    }
}

/// Copies every file under `dir` into `sink` (which skips those unchanged).
fn copy_changed(dir: &Path, sink: &InPlace) -> Result<()> {
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(entry.path()).map_err(|e| crate::error::Error::read(entry.path(), e))?;
        sink.write(&rel, &bytes)?;
    }
    Ok(())
}

/// Rendering warnings, link findings and theme-address findings of pages
/// `ids`, with the build's policy for broken links applied.
fn page_findings(rs: &RenderedSite, ids: &[PageId], policy: BrokenLinks) -> Vec<Finding> {
    let mut found = crate::links::pages_findings(rs, ids);
    apply_policy(&mut found, policy);
    found.extend(theme_asset_findings_of(rs, ids));
    found
}

/// Whether a page links to file `path`.
fn linked(rs: &RenderedSite, path: &Path) -> bool {
    rs.rendered.par_iter().any(|r| {
        r.links
            .iter()
            .any(|l| matches!(&l.target, Target::File { abs, .. } if abs == path))
    })
}

/// Pages with a link to one of `ids`.
fn linking_to(rs: &RenderedSite, ids: &[PageId]) -> Vec<PageId> {
    rs.rendered
        .par_iter()
        .enumerate()
        .filter(|(_, r)| {
            r.links
                .iter()
                .any(|l| matches!(&l.target, Target::Page { id, .. } if ids.contains(id)))
        })
        .map(|(i, _)| i)
        .collect()
}

fn same_headings(a: &Rendered, b: &Rendered) -> bool {
    a.anchors == b.anchors
        && a.headings.len() == b.headings.len()
        && a.headings
            .iter()
            .zip(&b.headings)
            .all(|(x, y)| x.id == y.id && x.text == y.text && x.level == y.level)
}

fn same_code(a: &Rendered, b: &Rendered) -> bool {
    a.code_blocks.len() == b.code_blocks.len()
        && a.code_blocks
            .iter()
            .zip(&b.code_blocks)
            .all(|(x, y)| x.lang == y.lang && x.text == y.text && x.line == y.line)
}
