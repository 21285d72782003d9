//! `vigie build`: load → render (parallel) → check internal links → write the
//! site atomically. Findings of the link step decide the exit code.

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::{BrokenLinks, Config};
use crate::content::resolve::{Target, relative_url};
use crate::content::{Bodies, PageId, Site};
use crate::course::Courses;
use crate::error::Result;
use crate::freshness::Assessment;
use crate::freshness::assess::{Judge, Judged};
use crate::freshness::rules::PageInput;
use crate::freshness::sources::Configured;
use crate::markdown::{RenderOptions, Rendered, RenderedSite};
use crate::output::{Sink, Staging};
use crate::report::{Finding, Report, Severity};
use crate::theme::context::{BadgeCtx, LinkCtx, child_ctx, nav, page_ctx, tag_url};
use crate::theme::{Theme, ser, site_ctx};

mod live;
use live::LiveParts;
pub use live::{Live, Update};

/// What `vigie build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub out: Option<PathBuf>,
    pub broken_links: Option<BrokenLinks>,
    /// Day the build happens, for "reviewed 3 months ago" (today by default).
    pub today: Option<NaiveDate>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Platform state for the freshness badges.
    pub state: crate::freshness::StateSpec,
    /// Leave the `vigie search` index of the knowledge base alone (`serve`:
    /// rebuilding it at every save would cost more than the rebuild; its
    /// search API refreshes it when asked).
    pub keep_search_cache: bool,
}

/// Wall time of each stage of a build, the processor time all its threads
/// spent in it, and the process's memory after it (`vigie build
/// --timings`). Stages that run side by side (writing pages, the search
/// index) each have their own line, with their wall time only.
#[derive(Debug, Clone)]
pub struct Timings {
    pub stages: Vec<Stage>,
    /// The process's processor time when the last stage ended.
    cpu_mark: Option<std::time::Duration>,
}

/// One stage of [`Timings`].
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub wall: std::time::Duration,
    /// Processor time of all the process's threads during the stage (user
    /// and system); `None` for a stage that ran beside others, or where the
    /// system does not say.
    pub cpu: Option<std::time::Duration>,
    /// Resident memory when the stage ended, in bytes (0 where unknown).
    pub resident: u64,
}

impl Timings {
    /// Timings whose first stage starts now.
    fn start() -> Timings {
        Timings {
            stages: Vec::new(),
            cpu_mark: process_cpu(),
        }
    }

    fn record(&mut self, name: &'static str, since: &mut Instant) {
        let now = Instant::now();
        let cpu = process_cpu();
        self.stages.push(Stage {
            name,
            wall: now - *since,
            cpu: cpu.zip(self.cpu_mark).map(|(now, then)| now.saturating_sub(then)),
            resident: resident_bytes(),
        });
        *since = now;
        self.cpu_mark = cpu;
    }
}

/// Processor time the process has used so far, all threads together.
#[cfg(target_os = "linux")]
fn process_cpu() -> Option<std::time::Duration> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Some(std::time::Duration::new(
        u64::try_from(t.tv_sec).ok()?,
        u32::try_from(t.tv_nsec).ok()?,
    ))
}

#[cfg(not(target_os = "linux"))]
fn process_cpu() -> Option<std::time::Duration> {
    None
}

/// The process's resident memory (`VmRSS` of `/proc/self/status`), 0 where
/// the system does not say.
pub fn resident_bytes() -> u64 {
    status_kb("VmRSS:") * 1024
}

/// The process's peak resident memory so far (`VmHWM`), 0 where unknown.
pub fn peak_resident_bytes() -> u64 {
    status_kb("VmHWM:") * 1024
}

fn status_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// What a build did.
pub struct BuildOutcome {
    pub report: Report,
    pub pages: usize,
    /// Where the site is, when it was written.
    pub written: Option<PathBuf>,
    pub elapsed: std::time::Duration,
    /// How long each stage took (`--timings` prints it).
    pub timings: Timings,
}

impl BuildOutcome {
    /// True when the build failed on findings (the site was not replaced).
    pub fn failed(&self) -> bool {
        self.written.is_none()
    }
}

/// Builds the site of `config`.
pub fn build(config: Config, opts: &BuildOptions) -> Result<BuildOutcome> {
    run(config, opts, false).map(|(outcome, _)| outcome)
}

/// Builds the site of `config` and, when it was written, keeps what it was
/// built from for [`Live::update`].
pub fn build_live(config: Config, opts: &BuildOptions) -> Result<(BuildOutcome, Option<Live>)> {
    run(config, opts, true)
}

/// Builds the site of `config`; with `keep`, returns what [`Live`] needs.
fn run(config: Config, opts: &BuildOptions, keep: bool) -> Result<(BuildOutcome, Option<Live>)> {
    let started = Instant::now();
    let mut timings = Timings::start();
    let mut stage = started;
    let out = opts.out.clone().unwrap_or_else(|| config.out.clone());
    crate::output::recover(&out);
    let policy = opts.broken_links.unwrap_or(config.broken_links);
    // A one-shot build leaves the pages' text in their files until it
    // renders them; `serve` keeps it, to compare and re-render.
    let bodies = if keep { Bodies::Kept } else { Bodies::InFiles };
    crate::markdown::highlight::prepare();
    let site = Site::load_with(config, bodies)?;
    timings.record("load pages", &mut stage);
    // What can stop the build before a page is written: a course naming a
    // missing page, a theme that does not load, a platform source that does not open.
    let courses = Courses::load(&site)?;
    let theme = Theme::load(&site.config, crate::search::enabled(&site.config))?;
    let today = opts.today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let judge = Judge::prepare(&site, &opts.state, today, Configured::Snapshots)?;
    let staging = Staging::new(&out, &site.config.root)?;
    // Once a page is analysed, its sections' text is only shown in the
    // search results: a site that `serve` keeps needs all of it.
    let analysis = crate::search::Analysis::new(&site.config, !keep, !opts.keep_search_cache);
    timings.record("theme, courses, freshness set-up", &mut stage);
    // Only its rendering reads a page's Markdown from here on: the pass
    // takes each body still held out of its page and drops it once the page
    // is rendered, so a large site does not hold its sources through the
    // pass (most were left in their files). `serve` keeps them; a page
    // without a file of its own keeps its body for placing findings (the
    // others' are read again from their file).
    let mut site = site;
    let bodies: Vec<Option<String>> = site
        .pages
        .iter_mut()
        .map(|p| {
            let held = p.source.is_some() && p.body_in_file.is_none();
            (!keep && held).then(|| std::mem::take(&mut p.body))
        })
        .collect();
    let site = site;
    let streamed = stream_pages(
        &Streaming {
            pages: PageWriter {
                site: &site,
                theme: &theme,
                courses: &courses,
                today,
            },
            judge: &judge,
            analysis: &analysis,
            staging: &staging,
            progress: opts.progress,
            keep,
        },
        bodies,
    )?;
    timings.record("render and write pages", &mut stage);
    let mut rendered = Vec::with_capacity(streamed.len());
    let (mut inputs, mut early, mut terms) = (Vec::new(), Vec::new(), Vec::new());
    let mut waiting = Vec::new();
    for (id, s) in streamed.into_iter().enumerate() {
        if s.waits {
            waiting.push(id);
        }
        rendered.push(s.rendered);
        inputs.push(s.input);
        early.push(s.early);
        terms.push(s.terms);
    }
    let rs = RenderedSite { site, rendered };
    let mut report = crate::links::internal_report(&rs);
    timings.record("check links", &mut stage);
    let (mut statics, mut refused_statics) = static_files(&rs.site.config);
    refused_statics.extend(static_clashes(&rs.site, &mut statics));
    if theme.override_findings().next().is_some() || !refused_statics.is_empty() {
        let mut findings = std::mem::take(&mut report.findings);
        findings.extend(theme.override_findings().cloned());
        findings.extend(refused_statics);
        report = Report {
            counters: std::mem::take(&mut report.counters),
            ..Report::new(findings)
        };
    }
    apply_policy(&mut report.findings, policy);
    report.findings.extend(reserved_addresses(&rs.site));
    report.findings.extend(alias_findings(&rs.site));
    report.findings.extend(redirect_findings(&rs.site));
    report.findings.extend(theme_asset_findings(&rs));
    report.counters.insert("pages".into(), rs.site.pages.len());
    if report.fails(Severity::Error) {
        // The staged pages go with `staging`: the previous site stays.
        let outcome = BuildOutcome {
            report,
            pages: rs.site.pages.len(),
            written: None,
            elapsed: started.elapsed(),
            timings,
        };
        return Ok((outcome, None));
    }
    // Page sources are not read past this point: free them before writing
    // the rest (on 10,000 pages that is 100 MB less at the peak).
    let mut rs = rs;
    for page in &mut rs.site.pages {
        page.body = String::new();
    }
    timings.record("other checks", &mut stage);
    let fresh = judge.finish(&rs.site, inputs, early)?;
    timings.record("freshness", &mut stage);
    let attention = fresh.attention().len();
    if attention > 0 {
        report.counters.insert("pages_needing_review".into(), attention);
    }
    // The pages that waited for the platform's state hand their HTML to
    // the writer, as the others did in the pass.
    let contents: Vec<(PageId, String)> = waiting
        .into_iter()
        .map(|id| (id, page_content(&courses, id, &mut rs.rendered[id])))
        .collect();
    let (search_index, side_by_side, alerts) = write_site(
        &Writing {
            rs: &rs,
            pages: PageWriter {
                site: &rs.site,
                theme: &theme,
                courses: &courses,
                today,
            },
            statics: &statics,
            staging: &staging,
            fresh: &fresh,
            refresh_search_cache: !opts.keep_search_cache,
        },
        contents,
        (analysis, terms),
    )?;
    timings.record("write the rest and the search index", &mut stage);
    timings.stages.extend(side_by_side);
    let written = match staging.commit() {
        Ok(w) => w,
        Err(e) => {
            search_index.abandon();
            return Err(e);
        }
    };
    timings.record("swap the site in", &mut stage);
    search_index.finish();
    timings.record("search cache", &mut stage);
    let outcome = BuildOutcome {
        report: report.clone(),
        pages: rs.site.pages.len(),
        written: Some(written.clone()),
        elapsed: started.elapsed(),
        timings,
    };
    if !keep {
        // What the build holds (every page's rendering: on a large site,
        // hundreds of megabytes in small allocations) is freed on a thread
        // of its own, not before the caller has its outcome.
        std::thread::spawn(move || drop((rs, theme, courses, fresh, report)));
        return Ok((outcome, None));
    }
    let live = Live::new(LiveParts {
        rs,
        theme,
        courses,
        fresh,
        report,
        state: opts.state.clone(),
        policy,
        today,
        out: written,
        alerts,
    });
    Ok((outcome, Some(live)))
}

/// `--broken-links warn`: what the link step found is said, not failed on.
fn apply_policy(findings: &mut [Finding], policy: BrokenLinks) {
    if policy == BrokenLinks::Warn {
        for f in findings.iter_mut().filter(|f| f.severity == Severity::Error) {
            f.severity = Severity::Warning;
        }
    }
}

/// A page in a list (home, tags).
#[derive(Serialize)]
struct ListEntry {
    title: String,
    url: String,
    kind: Option<&'static str>,
    description: Option<String>,
    note: Option<String>,
}

fn list_entry(site: &Site, from: &str, id: PageId, note: Option<String>) -> ListEntry {
    let p = site.page(id);
    ListEntry {
        title: p.title.clone(),
        url: relative_url(from, &p.url),
        kind: p.kind.map(|k| k.as_str()),
        description: p.front_matter.description.clone(),
        note,
    }
}

/// What every page's HTML needs besides its own rendering and freshness.
#[derive(Clone, Copy)]
struct PageWriter<'a> {
    site: &'a Site,
    theme: &'a Theme,
    courses: &'a Courses,
    today: NaiveDate,
}

impl PageWriter<'_> {
    /// Whether page `id` is written as a page: the home page and course
    /// pages have writers of their own, which need what every page gives.
    fn writes(&self, id: PageId) -> bool {
        id != self.site.home && self.courses.course_of_page(id).is_none()
    }

    /// The HTML of page `id`, rendered as `rendered`, around `content`, its
    /// rendered Markdown.
    pub fn html(
        &self,
        id: PageId,
        rendered: &Rendered,
        badge: Option<BadgeCtx>,
        content: String,
    ) -> Result<String> {
        let PageWriter {
            site,
            theme,
            courses,
            today,
        } = *self;
        let page = site.page(id);
        let mut ctx = page_ctx(site, page, rendered, today);
        ctx.freshness = badge;
        ctx.courses = courses.bars(site, page);
        let nav = nav(site, &page.url, Some(id));
        let nav_html = theme.nav_html(&nav);
        let site_ctx = site_ctx(site, &page.url);
        if let Some(nav_html) = &nav_html
            && let Some(html) = theme.page_html(&site_ctx, &ctx, nav_html, &content)
        {
            return Ok(html);
        }
        let site_value = ser(&site_ctx);
        if theme.builtin() && !content.is_empty() {
            // vigie's own templates: the content is put in after rendering,
            // and `nav` is not read beside `nav_html`.
            ctx.content = crate::theme::CONTENT_MARK.to_string();
            let value = minijinja::context! { site => site_value.clone(), page => ser(&ctx), nav_html => nav_html.clone() };
            if let Some(html) = theme.render_around("page.html", value, &content)? {
                return Ok(html);
            }
        }
        ctx.content = content;
        theme.render(
            "page.html",
            minijinja::context! { site => site_value, page => ser(&ctx), nav_html => nav_html, nav => ser(&nav) },
        )
    }
}

/// A page's rendered Markdown for its writer: taken out of `rendered`, or
/// copied when a course prints the page too (later, from `rendered`).
fn page_content(courses: &Courses, id: PageId, rendered: &mut Rendered) -> String {
    if courses.memberships(id).is_empty() {
        std::mem::take(&mut rendered.html)
    } else {
        rendered.html.clone()
    }
}

/// What rendering and writing the pages as they come needs.
struct Streaming<'a> {
    pages: PageWriter<'a>,
    judge: &'a Judge,
    analysis: &'a crate::search::Analysis,
    staging: &'a Staging,
    progress: bool,
    /// What only `serve` compares after a save (code blocks once judged,
    /// links no check reads) is kept: a one-shot build drops it.
    keep: bool,
}

/// One page after [`stream_pages`].
struct Streamed {
    /// Without its HTML once the page is written (unless a course prints it).
    rendered: Rendered,
    input: Option<PageInput>,
    /// Its freshness, when it did not wait for the platform's state.
    early: Option<Judged>,
    /// What it gives the browser's search index.
    terms: Option<crate::search::shards::PageTerms>,
    /// Whether the page waits for the platform's state to be written.
    waits: bool,
}

/// Renders every page, in parallel, and writes each one as soon as it is
/// rendered and judged, so the pages' HTML is not held all at once. A page
/// waits (keeps its HTML) when its freshness reads the platform's state;
/// the home page and course pages keep theirs for their own writers.
/// `bodies` has, by page, the Markdown taken out of the page, or `None`
/// where the page kept its own or left it in its file.
fn stream_pages(s: &Streaming<'_>, bodies: Vec<Option<String>>) -> Result<Vec<Streamed>> {
    let site = s.pages.site;
    let bar = progress_bar(s.progress, site.pages.len());
    let opts = RenderOptions::default();
    let streamed = site
        .pages
        .par_iter()
        .zip(bodies)
        .map(|(page, body)| -> Result<Streamed> {
            let id = page.id;
            let mut rendered = match body {
                Some(body) => crate::markdown::render_body(site, page, &body, &opts),
                None => crate::markdown::render_body(site, page, &page.markdown()?, &opts),
            };
            let input = s.judge.input(page, &rendered);
            if !s.keep {
                rendered.code_blocks = Vec::new();
                // What the link check and the file copy read; `serve` compares all.
                rendered
                    .links
                    .retain(|l| crate::links::may_be_reported(l) || matches!(l.target, Target::File { .. }));
                rendered.links.shrink_to_fit();
            }
            let early = s.judge.early(page, input.as_ref());
            let input = match input {
                Some(i) if early.is_some() && !s.keep => Some(i.judged()),
                other => other,
            };
            let terms = s.analysis.page(page, &mut rendered);
            let writes = s.pages.writes(id);
            let judged = input.is_none() || early.is_some();
            if writes && judged {
                let badge = early
                    .as_ref()
                    .and_then(|(p, _)| crate::freshness::assess::badge(p, &site.config.language));
                let content = page_content(s.pages.courses, id, &mut rendered);
                let html = s.pages.html(id, &rendered, badge, content)?;
                s.staging.write(&page.url, html.as_bytes())?;
            }
            if let Some(b) = &bar {
                b.inc(1);
            }
            Ok(Streamed {
                rendered,
                input,
                early,
                terms,
                waits: writes && !judged,
            })
        })
        .collect::<Result<Vec<_>>>();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    streamed
}

/// What writing the rest of the site needs.
struct Writing<'a> {
    rs: &'a RenderedSite,
    pages: PageWriter<'a>,
    /// Hugo `static/` files as (site path, file).
    statics: &'a [(String, PathBuf)],
    staging: &'a Staging,
    fresh: &'a Assessment,
    refresh_search_cache: bool,
}

type Analysed = (
    crate::search::Analysis,
    Vec<Option<crate::search::shards::PageTerms>>,
);

/// Writes the rest of the site, `contents` (pages that waited, with their
/// rendered Markdown) first, and the search index from what the pages'
/// analysis gave beside it (at the same time: the pages spend time waiting
/// on the disk that the indexing can use). Returns the index to commit and
/// how long each side took.
fn write_site(
    w: &Writing<'_>,
    contents: Vec<(PageId, String)>,
    analysed: Analysed,
) -> Result<(crate::search::Pending, Vec<Stage>, Option<String>)> {
    let timed = |name: &'static str, started: Instant| Stage {
        name,
        wall: started.elapsed(),
        cpu: None,
        resident: 0,
    };
    let ((written, pages), (search_index, search)) = rayon::join(
        || {
            let started = Instant::now();
            (write_pages(w, contents), timed("  of which pages", started))
        },
        || {
            let started = Instant::now();
            let index = crate::search::emit(w.rs, w.staging, w.refresh_search_cache, Some(analysed));
            (index, timed("  of which search index", started))
        },
    );
    match (written, search_index) {
        (Ok(alerts), index) => index.map(|i| (i, vec![pages, search], alerts)),
        (Err(e), Ok(index)) => {
            index.abandon();
            Err(e)
        }
        (Err(e), Err(_)) => Err(e),
    }
}

/// Writes the pages that waited and every other file; returns the address
/// of the alerts index, when there is one.
fn write_pages(w: &Writing<'_>, contents: Vec<(PageId, String)>) -> Result<Option<String>> {
    let Writing {
        rs,
        pages,
        statics,
        staging,
        fresh,
        ..
    } = *w;
    let PageWriter {
        site,
        theme,
        courses,
        today,
    } = pages;
    let lang = &site.config.language;
    contents
        .into_par_iter()
        .try_for_each(|(id, content)| -> Result<()> {
            let html = pages.html(id, &rs.rendered[id], fresh.badge(id, lang), content)?;
            staging.write(&site.page(id).url, html.as_bytes())
        })?;
    let alerts = crate::alerts::write(rs, theme, staging, fresh)?;
    write_home(rs, theme, staging, today, fresh, alerts.as_deref())?;
    write_tags(site, theme, staging)?;
    write_freshness(rs, theme, staging, fresh)?;
    let not_found = theme.render(
        "404.html",
        minijinja::context! { site => ser(&site_ctx(site, "404.html")), base => absolute_root(site), nav => ser(&nav(site, "404.html", None)) },
    )?;
    staging.write("404.html", not_found.as_bytes())?;
    for name in theme.asset_names() {
        if let Some(bytes) = theme.asset(&name) {
            staging.write(&format!("assets/{name}"), &bytes)?;
        }
    }
    write_aliases(site, staging)?;
    write_redirects(site, staging)?;
    let own = site
        .config
        .extra_css
        .iter()
        .chain(site.config.extra_js.iter().map(|(a, _)| a));
    for asset in own {
        if let Some(file) = &asset.file {
            let bytes = std::fs::read(file).map_err(|e| crate::error::Error::read(file, e))?;
            staging.write(&asset.href, &bytes)?;
        }
    }
    // review dates as the freshness checks read them, git dates included
    let due = crate::course::review_due_dates(site, fresh.git.as_ref())?;
    let statuses = crate::course::module_statuses(&due, fresh, today);
    crate::course::write(rs, courses, theme, staging, today, &|id| statuses[id], &due)?;
    copy_files(rs, statics, staging)?;
    if has_sitemap(site) {
        staging.write("sitemap.xml", sitemap(site).as_bytes())?;
    }
    Ok(alerts)
}

/// The freshness dashboard and the pages' status for machines (`api/pages.json`).
fn write_freshness(rs: &RenderedSite, theme: &Theme, sink: &dyn Sink, fresh: &Assessment) -> Result<()> {
    let site = &rs.site;
    let dashboard = crate::freshness::dashboard::context(site, fresh, &site.config.language);
    let html = theme.render(
        "freshness.html",
        minijinja::context! { site => ser(&site_ctx(site, crate::freshness::dashboard::URL)), nav => ser(&nav(site, crate::freshness::dashboard::URL, None)), dashboard => ser(&dashboard) },
    )?;
    sink.write(crate::freshness::dashboard::URL, html.as_bytes())?;
    sink.write_with(crate::freshness::pages_api::URL, &mut |out| {
        crate::freshness::pages_api::write(site, fresh, out)
    })
}

/// Addresses the site's own pages take: a page there would be replaced.
const RESERVED: &[&str] = &["search.html", "404.html", crate::freshness::dashboard::URL];
const RESERVED_FOLDERS: &[&str] = &["tags/", "search/", "assets/"];

/// Pages whose address is one the site writes itself (the search page, the
/// freshness dashboard, 404, tag pages): said, since they are not published.
fn reserved_addresses(site: &Site) -> Vec<crate::report::Finding> {
    site.pages
        .iter()
        .filter(|p| {
            p.source.is_some()
                && (RESERVED.contains(&p.url.as_str())
                    || RESERVED_FOLDERS.iter().any(|f| p.url.starts_with(f)))
        })
        .map(|p| crate::report::Finding {
            rule: "reserved-address".into(),
            severity: Severity::Warning,
            page: p.display().to_string(),
            line: 1,
            col: None,
            target: Some(p.url.clone()),
            message: format!(
                "`{}` is an address the site uses for its own page: this page is not published",
                p.url
            ),
            suggestion: Some("rename the file or its folder".into()),
        })
        .collect()
}

/// Files published as they are ([`static_files`]) at an address a page or
/// the site itself has: left out (the page wins), and said.
fn static_clashes(site: &Site, statics: &mut Vec<(String, PathBuf)>) -> Vec<crate::report::Finding> {
    let pages: std::collections::HashSet<&str> = site.pages.iter().map(|p| p.url.as_str()).collect();
    let mut out = Vec::new();
    statics.retain(|(rel, abs)| {
        let clash = pages.contains(rel.as_str())
            || RESERVED.contains(&rel.as_str())
            || ["tags/", "search/"].iter().any(|f| rel.starts_with(f));
        if clash {
            out.push(crate::report::Finding {
                rule: "reserved-address".into(),
                severity: Severity::Warning,
                page: site.config.display_path(abs),
                line: 1,
                col: None,
                target: Some(rel.clone()),
                message: format!("`{rel}` is the address of a page of the site: this file is not published"),
                suggestion: Some("rename the file or its folder".into()),
            });
        }
        !clash
    });
    out
}

/// Aliases that cannot become a redirect page: one that leaves the site, or
/// whose address a page already has (the page wins).
fn alias_findings(site: &Site) -> Vec<crate::report::Finding> {
    let mut out = Vec::new();
    for page in site.pages.iter().filter(|p| p.source.is_some()) {
        for alias in &page.front_matter.aliases {
            let problem = match crate::content::resolve::join("", alias.trim_start_matches('/')) {
                None => Some("leaves the site".to_string()),
                Some(clean) => {
                    let clean = clean.trim_end_matches('/');
                    let path = alias_path(clean);
                    site.pages
                        .iter()
                        .find(|p| p.url == path && p.id != page.id)
                        .map(|other| format!("is the address of {}: that page stays there", other.display()))
                }
            };
            if let Some(problem) = problem {
                out.push(crate::report::Finding {
                    rule: "alias-unused".into(),
                    severity: Severity::Warning,
                    page: page.display().to_string(),
                    line: page.front_matter.line_of("aliases"),
                    col: None,
                    target: Some(alias.clone()),
                    message: format!("alias `{alias}` {problem}; no redirect is written"),
                    suggestion: Some("remove the alias, or change it".into()),
                });
            }
        }
    }
    out
}

/// The redirect page of an alias (`old/page` → `old/page/index.html`).
fn alias_path(clean: &str) -> String {
    if clean.ends_with(".html") {
        clean.to_string()
    } else {
        format!("{}/index.html", clean.trim_end_matches(".md"))
    }
}

fn is_theme_asset(rel: &str) -> bool {
    rel.strip_prefix("assets/")
        .is_some_and(|name| crate::theme::ASSET_NAMES.contains(&name))
}

/// Files linked from pages that would land on the theme's own assets
/// (`assets/vigie.js`): the theme's file wins, and the page's link gets it.
fn theme_asset_findings(rs: &RenderedSite) -> Vec<crate::report::Finding> {
    theme_asset_findings_of(rs, &(0..rs.site.pages.len()).collect::<Vec<_>>())
}

/// [`theme_asset_findings`] of pages `ids`.
fn theme_asset_findings_of(rs: &RenderedSite, ids: &[PageId]) -> Vec<crate::report::Finding> {
    let mut out = Vec::new();
    for (page, r) in ids.iter().map(|&id| (rs.site.page(id), &rs.rendered[id])) {
        for l in &r.links {
            if let Target::File { rel, .. } = &l.target
                && is_theme_asset(rel)
            {
                out.push(crate::report::Finding {
                    rule: "reserved-address".into(),
                    severity: Severity::Warning,
                    page: page.display().to_string(),
                    line: l.line,
                    col: Some(l.col),
                    target: Some(rel.clone()),
                    message: format!(
                        "`{rel}` is the address of the theme's own file: the site publishes the theme's, not this one"
                    ),
                    suggestion: Some("move the file to another folder".into()),
                });
            }
        }
    }
    out
}

/// The 404 page is served at any depth by web servers: its links are
/// relative to the site's base path, which its `<base>` names.
fn absolute_root(site: &Site) -> String {
    match &site.config.base_url {
        Some(b) => {
            let path = b.split_once("://").map(|(_, r)| r).unwrap_or(b);
            let path = path.find('/').map(|i| &path[i..]).unwrap_or("/");
            if path.ends_with('/') {
                path.to_string()
            } else {
                format!("{path}/")
            }
        }
        None => "/".into(),
    }
}

fn write_home(
    rs: &RenderedSite,
    theme: &Theme,
    staging: &dyn Sink,
    today: NaiveDate,
    fresh: &Assessment,
    alerts: Option<&str>,
) -> Result<()> {
    let site = &rs.site;
    let home = site.page(site.home);
    let mut reviewed: Vec<(NaiveDate, PageId)> = site
        .pages
        .iter()
        .filter_map(|p| p.front_matter.reviewed.map(|d| (d, p.id)))
        .collect();
    reviewed.sort_by(|a, b| b.cmp(a));
    let lang = site.config.language.as_str();
    let recent: Vec<ListEntry> = reviewed
        .iter()
        .take(8)
        .map(|&(d, id)| {
            list_entry(
                site,
                "index.html",
                id,
                Some(crate::i18n::ago(lang, (today - d).num_days())),
            )
        })
        .collect();
    // Worst first (contradicted, stale, review due), with the main reason.
    let attention: Vec<ListEntry> = fresh
        .attention()
        .into_iter()
        .take(12)
        .map(|id| {
            let p = fresh.page(id).expect("judged page");
            let mut note = p.status.label(lang).to_string();
            if let Some(r) = p.reasons.first() {
                note = format!("{note} — {}", r.text(lang));
            }
            list_entry(site, "index.html", id, Some(note))
        })
        .collect();
    let tags: Vec<LinkCtx> = site
        .tags()
        .keys()
        .map(|t| LinkCtx {
            title: t.clone(),
            url: tag_url(t),
        })
        .collect();
    let mut home_ctx = page_ctx(site, home, &rs.rendered[site.home], today);
    home_ctx.children = home.children.iter().map(|&c| child_ctx(site, home, c)).collect();
    let html = theme.render(
        "home.html",
        minijinja::context! { site => ser(&site_ctx(site, "index.html")), home => ser(&home_ctx), page => minijinja::context! { title => home.title.clone() }, nav => ser(&nav(site, "index.html", Some(site.home))), recent => ser(&recent), attention => ser(&attention), dashboard => crate::freshness::dashboard::URL, tags => ser(&tags), alerts => alerts },
    )?;
    staging.write("index.html", html.as_bytes())
}

fn write_tags(site: &Site, theme: &Theme, staging: &Staging) -> Result<()> {
    #[derive(Serialize)]
    struct TagCtx {
        title: String,
        url: String,
        count: usize,
    }
    let tags = site.tags();
    let index: Vec<TagCtx> = tags
        .iter()
        .map(|(t, pages)| TagCtx {
            title: t.clone(),
            url: tag_url(t).trim_start_matches("tags/").to_string(),
            count: pages.len(),
        })
        .collect();
    let html = theme.render(
        "tags.html",
        minijinja::context! { site => ser(&site_ctx(site, "tags/index.html")), nav => ser(&nav(site, "tags/index.html", None)), tags => ser(&index) },
    )?;
    staging.write("tags/index.html", html.as_bytes())?;
    for (tag, pages) in &tags {
        let url = tag_url(tag);
        let entries: Vec<ListEntry> = pages.iter().map(|&id| list_entry(site, &url, id, None)).collect();
        let html = theme.render(
            "tag.html",
            minijinja::context! { site => ser(&site_ctx(site, &url)), nav => ser(&nav(site, &url, None)), tag => ser(&tag), pages => ser(&entries) },
        )?;
        staging.write(&url, html.as_bytes())?;
    }
    Ok(())
}

/// Old addresses of moved pages (`aliases` in front matter) get a page that
/// redirects to the new one, as Hugo does.
fn write_aliases(site: &Site, staging: &Staging) -> Result<()> {
    for page in &site.pages {
        for alias in &page.front_matter.aliases {
            let Some(clean) = crate::content::resolve::join("", alias.trim_start_matches('/')) else {
                continue;
            };
            let clean = clean.trim_end_matches('/');
            if clean.is_empty() || site.by_route(&crate::content::page::route_of(clean)) != Some(page.id) {
                continue;
            }
            let path = alias_path(clean);
            if site.pages.iter().any(|p| p.url == path) {
                continue;
            }
            let html = redirect_page(&page.title, &relative_url(&path, &page.url));
            staging.write(&path, html.as_bytes())?;
        }
    }
    Ok(())
}

/// A page that sends the browser to `target` at once, with a link to it.
fn redirect_page(title: &str, target: &str) -> String {
    let target = crate::markdown::shortcodes::esc(target);
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title>\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\"><link rel=\"canonical\" href=\"{target}\">\
         </head><body><p><a href=\"{target}\">{t}</a></p></body></html>\n",
        t = crate::markdown::shortcodes::esc(title)
    )
}

/// Where the site's configuration's redirect from `from` is written:
/// `None` when it leaves the site or has a `#` (mdBook maps those inside
/// the page that is there). A Markdown file (MkDocs) is written where its
/// page would be.
fn redirect_path(from: &str) -> Option<String> {
    if from.contains('#') {
        return None;
    }
    let clean = crate::content::resolve::join("", from.trim_start_matches('/'))?;
    let clean = clean.trim_end_matches('/');
    if clean.ends_with(".md") {
        return Some(crate::content::source_url(clean));
    }
    (!clean.is_empty()).then(|| alias_path(clean))
}

/// Where the redirect written at `path` sends the reader: `to` as written
/// (an address, or another site), or, for a Markdown file of the content
/// folder (MkDocs' `redirect_maps`), its page's address from `path`;
/// `None` when no page is that file.
fn redirect_href(site: &Site, path: &str, to: &str) -> Option<String> {
    let (file, anchor) = to.split_once('#').map_or((to, None), |(f, a)| (f, Some(a)));
    if !file.ends_with(".md") || to.contains("://") {
        return Some(to.to_string());
    }
    let id = site.by_rel(file.trim_start_matches('/'))?;
    let href = relative_url(path, &site.page(id).url);
    Some(match anchor {
        Some(a) => format!("{href}#{a}"),
        None => href,
    })
}

/// Writes the redirects of the site's configuration, as mdBook and MkDocs'
/// `redirects` plugin do: where no page of the site is (a page there stays).
fn write_redirects(site: &Site, staging: &Staging) -> Result<()> {
    for r in &site.config.redirects {
        let Some(path) = redirect_path(&r.from) else {
            continue;
        };
        if site.pages.iter().any(|p| p.url == path) {
            continue;
        }
        if let Some(href) = redirect_href(site, &path, &r.to) {
            staging.write(&path, redirect_page(&href, &href).as_bytes())?;
        }
    }
    Ok(())
}

/// Redirects of the site's configuration (mdBook's, MkDocs' `redirects`
/// plugin) that are quietly skipped or lead nowhere: one warning each, at
/// its line.
fn redirect_findings(site: &Site) -> Vec<crate::report::Finding> {
    let mut out = Vec::new();
    let file = match site.config.layout {
        crate::config::Layout::MdBook => "book.toml",
        crate::config::Layout::MkDocs => "mkdocs.yml",
        _ => return out,
    };
    for r in &site.config.redirects {
        if r.from.contains('#') {
            continue;
        }
        let unused = "remove it, or correct the old address";
        let problem = match redirect_path(&r.from) {
            None => Some(("leaves the site: no redirect is written".to_string(), unused)),
            Some(path) => match site.pages.iter().find(|p| p.url == path) {
                Some(page) => Some((
                    format!(
                        "is the address of {}: that page stays there, no redirect is written",
                        page.display()
                    ),
                    unused,
                )),
                None => {
                    let reached = redirect_href(site, &path, &r.to)
                        .is_some_and(|href| redirect_target(site, &path, &href).is_none());
                    (!reached).then(|| {
                        (
                            format!("leads to `{}`, which is no page of the site", r.to),
                            "point it at the page's address now",
                        )
                    })
                }
            },
        };
        if let Some((problem, help)) = problem {
            out.push(crate::report::Finding {
                rule: "redirect".into(),
                severity: Severity::Warning,
                page: file.to_string(),
                line: r.line,
                col: None,
                target: Some(r.from.clone()),
                message: format!("redirect `{}` {problem}", r.from),
                suggestion: Some(help.into()),
            });
        }
    }
    out
}

/// `Some(to)` when the redirect written at `path` to `to` (relative to its
/// folder, or from the site's root with `/`) reaches no page; `None` when
/// it reaches one or leads to another site.
fn redirect_target<'a>(site: &Site, path: &str, to: &'a str) -> Option<&'a str> {
    if to.contains("://") || to.starts_with("//") || to.starts_with("mailto:") {
        return None;
    }
    let bare = to.split(['#', '?']).next().unwrap_or("");
    let folder = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let joined = match bare.strip_prefix('/') {
        Some(rooted) => crate::content::resolve::join("", rooted),
        None => crate::content::resolve::join(folder, bare),
    };
    let Some(joined) = joined else {
        return Some(to);
    };
    let joined = joined.trim_end_matches('/');
    let candidates = [
        joined.to_string(),
        format!("{joined}/index.html"),
        format!("{joined}.html"),
    ];
    let found = site
        .pages
        .iter()
        .any(|p| candidates.contains(&p.url) || (joined.is_empty() && p.id == site.home));
    (!found).then_some(to)
}

/// Copies every local file a page links to (images, PDFs, scripts) and, for
/// Hugo sites, `static/`.
fn copy_files(rs: &RenderedSite, statics: &[(String, PathBuf)], staging: &Staging) -> Result<()> {
    let mut files: Vec<(&str, &std::path::Path)> = Vec::new();
    for r in &rs.rendered {
        for l in &r.links {
            if let Target::File { rel, abs } = &l.target {
                files.push((rel, abs));
            }
        }
    }
    files.extend(statics.iter().map(|(rel, abs)| (rel.as_str(), abs.as_path())));
    files.sort();
    files.dedup();
    // The theme's own files keep their address (said by theme_asset_findings).
    files.retain(|(rel, _)| !is_theme_asset(rel));
    for (rel, abs) in files {
        staging.copy(abs, rel)?;
    }
    Ok(())
}

/// The files the site's tool publishes as they are, as (site path, file):
/// a Hugo site's `static/` folder at the site's root; every file of an
/// mdBook's `src/` or an MkDocs docs folder that is not Markdown (a
/// `CNAME`, a `robots.txt`, a stylesheet no page links to), as those tools
/// copy them. Hidden files, excluded ones and vigie's own output are left
/// out. Findings for those whose real path leaves the knowledge base
/// (symbolic links), which are not copied.
fn static_files(config: &Config) -> (Vec<(String, PathBuf)>, Vec<Finding>) {
    use crate::config::Layout;
    let (dir, markdown_too) = match config.layout {
        Layout::Hugo => (config.root.join("static"), true),
        Layout::MdBook | Layout::MkDocs => (config.content_root.clone(), false),
        Layout::Folder => return (Vec::new(), Vec::new()),
    };
    let (mut files, mut refused) = (Vec::new(), Vec::new());
    if !dir.is_dir() {
        return (files, refused);
    }
    if let crate::confine::Reach::Outside(real) = crate::confine::reach(&config.root, &dir) {
        refused.push(outside_finding(config, &dir, &real));
        return (files, refused);
    }
    let walk = walkdir::WalkDir::new(&dir).into_iter().filter_entry(|e| {
        // The walk's own folder may be hidden (`.`), its entries not.
        let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
        !hidden && e.path() != config.out
    });
    for entry in walk.flatten() {
        let path = entry.path();
        let rel = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let wanted = markdown_too
            || !rel.ends_with(".md")
                && !matches!(
                    rel.as_str(),
                    "mkdocs.yml" | "mkdocs.yaml" | "book.toml" | "vigie.toml"
                )
                && !config.left_out(path);
        if !wanted {
            continue;
        }
        let file = if entry.path_is_symlink() {
            match crate::confine::reach(&config.root, path) {
                crate::confine::Reach::Outside(real) => {
                    refused.push(outside_finding(config, path, &real));
                    false
                }
                crate::confine::Reach::Inside(real) => real.is_file(),
                crate::confine::Reach::Missing => false,
            }
        } else {
            entry.file_type().is_file()
        };
        if file {
            files.push((rel, path.to_path_buf()));
        }
    }
    (files, refused)
}

fn outside_finding(config: &Config, path: &std::path::Path, real: &std::path::Path) -> Finding {
    Finding {
        rule: "outside-root".into(),
        severity: Severity::Error,
        page: config.display_path(path),
        line: 1,
        col: None,
        target: Some(real.display().to_string()),
        message: crate::confine::outside_message(real),
        suggestion: Some("copy the file into the knowledge base instead of linking to it".into()),
    }
}

/// The sitemap protocol wants absolute addresses: none without `base_url`.
fn has_sitemap(site: &Site) -> bool {
    site.config.base_url.as_deref().is_some_and(|b| b.contains("://"))
}

fn sitemap(site: &Site) -> String {
    let base = site
        .config
        .base_url
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/');
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in &site.pages {
        let loc = if base.is_empty() {
            page.url.clone()
        } else {
            format!("{base}/{}", page.url)
        };
        out.push_str("  <url><loc>");
        out.push_str(&crate::markdown::shortcodes::esc(&loc));
        out.push_str("</loc>");
        if let Some(d) = page.front_matter.reviewed {
            out.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || len < 200 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}
