//! The freshness pipeline, computed once per run and shared by `vigie check
//! freshness`, `vigie build` (badges, banners, dashboard) and courses:
//! extract claims and references (parallel) → open the sources → one list per
//! kind and namespace → apply the rules per page (parallel).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::claims;
use super::config::{FreshnessConfig, IgnoreSet, PageOptOut};
use super::git::GitDates;
use super::owners::Owners;
use super::references;
use super::resource::Platform;
use super::review::ReviewConfig;
use super::rules::{PageFreshness, PageInput, Rules};
use super::sources::{self, Sources, StateSpec};
use super::state::{self, Listing, State, StateSource};
use super::status::Status;
use crate::content::{Page, PageId, Site};
use crate::error::Result;
use crate::markdown::{Rendered, RenderedSite};
use crate::report::{Finding, Report};
use crate::theme::context::BadgeCtx;

/// Freshness of every page of a site.
#[derive(Debug, Default)]
pub struct Assessment {
    /// `[freshness] enabled = false`: nothing was judged.
    pub disabled: bool,
    /// By page id; `None` for pages that are not judged (opted out, made-up sections).
    pub pages: Vec<Option<PageFreshness>>,
    pub findings: Vec<Finding>,
    /// `pages`, `references`, `checked`, `unchecked`, `objects`, `sources`.
    pub counters: BTreeMap<String, usize>,
    /// Names of the sources read.
    pub sources: Vec<String>,
    /// What the sources could not read (its references stay unchecked).
    pub notes: Vec<String>,
    /// The last-commit dates read for pages without `reviewed` (`None`: none was needed).
    pub git: Option<GitDates>,
    pub timings: Timings,
}

/// Where the time went (`--timings`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    /// Claims and references out of the pages, review dates, owners.
    pub extract: Duration,
    /// Opening the sources and listing.
    pub state: Duration,
    /// Applying the rules.
    pub evaluate: Duration,
}

impl Assessment {
    /// The status of a page (`None` when it is not judged).
    pub fn status(&self, id: PageId) -> Option<Status> {
        self.page(id).map(|p| p.status)
    }

    pub fn page(&self, id: PageId) -> Option<&PageFreshness> {
        self.pages.get(id).and_then(Option::as_ref)
    }

    /// The findings as a report (sorted, with the counters).
    pub fn report(&self) -> Report {
        let mut r = Report::new(self.findings.clone());
        r.counters = self.counters.clone();
        r
    }

    /// The badge of a page, in `lang`; none for pages with nothing to judge.
    pub fn badge(&self, id: PageId, lang: &str) -> Option<BadgeCtx> {
        badge(self.page(id)?, lang)
    }

    /// Pages that need attention, worst first, then longest overdue.
    pub fn attention(&self) -> Vec<PageId> {
        let mut ids: Vec<PageId> = (0..self.pages.len())
            .filter(|&id| self.status(id).is_some_and(Status::needs_attention))
            .collect();
        ids.sort_by_key(|&id| {
            let p = self.page(id).expect("judged page");
            (std::cmp::Reverse(p.status), p.due, id)
        });
        ids
    }
}

/// The badge of a page judged `p`, in `lang`; none when there was nothing to judge.
pub fn badge(p: &PageFreshness, lang: &str) -> Option<BadgeCtx> {
    if p.status == Status::Unknown {
        return None;
    }
    Some(BadgeCtx {
        status: p.status.as_str(),
        label: p.status.label(lang),
        reasons: p.reasons.iter().map(|r| r.text(lang)).collect(),
        banner: p.status.is_stale(),
    })
}

/// Judges every page of `rs` against the sources `state` names (or, when it names
/// none, the `[freshness] state` snapshots of `vigie.toml`), on day `today`.
/// `Err` when a source cannot be read (unreachable cluster, bad credentials,
/// unreadable snapshot) or the configuration is wrong.
pub fn assess(rs: &RenderedSite, state: &StateSpec, today: NaiveDate) -> Result<Assessment> {
    assess_with(rs, state, today, sources::Configured::Snapshots)
}

/// [`assess`], choosing whether the clusters and clouds of `vigie.toml` are read
/// live when `state` names no source (`vigie check freshness` does, `vigie build` does not).
pub fn assess_with(
    rs: &RenderedSite,
    state: &StateSpec,
    today: NaiveDate,
    configured: sources::Configured,
) -> Result<Assessment> {
    let judge = Judge::prepare(&rs.site, state, today, configured)?;
    let started = Instant::now();
    let inputs: Vec<Option<PageInput>> = rs
        .site
        .pages
        .par_iter()
        .map(|page| judge.input(page, &rs.rendered[page.id]))
        .collect();
    let extract = started.elapsed();
    let early = vec![None; inputs.len()];
    let mut a = judge.finish(&rs.site, inputs, early)?;
    a.timings.extract += extract;
    Ok(a)
}

/// A page judged, with its findings.
pub type Judged = (PageFreshness, Vec<Finding>);

/// What judging the pages of a site needs, prepared before they are
/// rendered, so that a build can judge a page as soon as it is rendered
/// ([`Judge::early`]) and write it. Only the pages whose verdict reads the
/// platform (a reference or a claim, with a source to check it against)
/// wait for [`Judge::finish`], which lists the sources once for all pages.
pub struct Judge {
    /// `[freshness] enabled = false`.
    disabled: bool,
    fc: FreshnessConfig,
    review: ReviewConfig,
    ignore: IgnoreSet,
    opened: Sources,
    git: GitDates,
    needs_git: bool,
    owners: Owners,
    today: NaiveDate,
    /// The platform as pages judged early see it: nothing.
    nothing: State,
    prepared: Duration,
}

impl Judge {
    /// Reads the freshness configuration, the last-commit dates when a
    /// judged page has no `reviewed`, the owners, and opens the sources
    /// `state` names (or the configured ones, per `configured`).
    pub fn prepare(
        site: &Site,
        state: &StateSpec,
        today: NaiveDate,
        configured: sources::Configured,
    ) -> Result<Judge> {
        let config = &site.config;
        let fc = FreshnessConfig::load(config)?;
        let review = ReviewConfig::load(config)?;
        let started = Instant::now();
        let patterns: &[String] = if fc.enabled { &fc.ignore } else { &[] };
        let ignore = IgnoreSet::new(patterns, config)?;
        let needs_git = fc.enabled
            && site
                .pages
                .iter()
                .any(|p| is_judged(p) && p.front_matter.reviewed.is_none());
        let git = if needs_git {
            GitDates::load(&config.root)
        } else {
            GitDates::default()
        };
        let top = git
            .top
            .clone()
            .filter(|t| config.root.starts_with(t))
            .unwrap_or_else(|| config.root.clone());
        let owners = Owners::new(&top);
        let prepared = started.elapsed();
        let opened = if fc.enabled {
            sources::open(state, &fc, config, configured)?
        } else {
            Sources::default()
        };
        Ok(Judge {
            disabled: !fc.enabled,
            fc,
            review,
            ignore,
            opened,
            git,
            needs_git,
            owners,
            today,
            nothing: State::default(),
            prepared,
        })
    }

    /// Claims and references of one rendered page (`None`: the page is not judged).
    pub fn input(&self, page: &Page, rendered: &Rendered) -> Option<PageInput> {
        if self.disabled {
            return None;
        }
        page_input(rendered, page, &self.fc, &self.ignore)
    }

    /// The verdict on `page` when it does not depend on what the sources
    /// hold: it names nothing on the platform, or no source is open.
    /// `None` when the page waits for [`Judge::finish`] (or is not judged).
    pub fn early(&self, page: &Page, input: Option<&PageInput>) -> Option<Judged> {
        let input = input?;
        (input.refs.is_empty() || self.opened.sources.is_empty())
            .then(|| self.rules(&self.nothing).evaluate(page, input))
    }

    fn rules<'a>(&'a self, state: &'a State) -> Rules<'a> {
        Rules {
            fc: &self.fc,
            review: &self.review,
            state,
            default_clusters: &self.opened.default_clusters,
            default_clouds: &self.opened.default_clouds,
            today: self.today,
            git: &self.git,
            owners: &self.owners,
        }
    }

    /// Lists the sources for what the pages name, judges the pages not
    /// judged [`early`](Judge::early), and gathers every verdict (by page id).
    pub fn finish(
        self,
        site: &Site,
        inputs: Vec<Option<PageInput>>,
        mut early: Vec<Option<Judged>>,
    ) -> Result<Assessment> {
        if self.disabled {
            // The summary keeps its shape: every counter, at zero.
            let counters = ["pages", "references", "checked", "unchecked", "objects"]
                .into_iter()
                .map(|k| (k.to_string(), 0))
                .collect();
            return Ok(Assessment {
                disabled: true,
                pages: vec![None; site.pages.len()],
                counters,
                ..Assessment::default()
            });
        }
        let started = Instant::now();
        let mut st = State::default();
        let mut notes = Vec::new();
        for observed in observe(&self.opened, &inputs, Asked::Named)? {
            notes.extend(observed.notes);
            let source = observed.source;
            st.add(source.platform(), source.scope(), observed.listings);
            st.sources.push(source.name().to_string());
        }
        let state_time = started.elapsed();

        let started = Instant::now();
        let rules = self.rules(&st);
        let late: Vec<Option<Judged>> = site
            .pages
            .par_iter()
            .zip(inputs.par_iter())
            .zip(early.par_iter())
            .map(|((page, input), early)| match (input, early) {
                (Some(i), None) => Some(rules.evaluate(page, i)),
                _ => None,
            })
            .collect();
        let mut pages = Vec::with_capacity(late.len());
        let mut findings = Vec::new();
        let mut counters = BTreeMap::new();
        let refs: usize = inputs.iter().flatten().map(PageInput::ref_count).sum();
        for (late, early) in late.into_iter().zip(early.iter_mut()) {
            match late.or_else(|| early.take()) {
                Some((verdict, f)) => {
                    *counters.entry("checked".to_string()).or_insert(0) += verdict.checked;
                    *counters.entry("unchecked".to_string()).or_insert(0) += verdict.unchecked;
                    findings.extend(f);
                    pages.push(Some(verdict));
                }
                None => pages.push(None),
            }
        }
        let evaluate = started.elapsed();
        counters.insert("pages".into(), pages.iter().flatten().count());
        counters.insert("references".into(), refs);
        counters.insert("objects".into(), st.len());
        Ok(Assessment {
            disabled: false,
            pages,
            findings,
            counters,
            sources: st.sources.clone(),
            notes,
            git: self.needs_git.then_some(self.git),
            timings: Timings {
                extract: self.prepared,
                state: state_time,
                evaluate,
            },
        })
    }
}

/// Whether freshness judges `page` at all: it has a file, and does not opt
/// out of every check.
fn is_judged(page: &Page) -> bool {
    let opt = PageOptOut::of(&page.front_matter.extra);
    page.source.is_some() && (opt.review || opt.claims || opt.references)
}

/// What one source held of what the pages name.
pub struct Observed<'a> {
    pub source: &'a dyn StateSource,
    pub listings: Vec<Listing>,
    /// What the source could not read (a kind it may not list).
    pub notes: Vec<String>,
}

/// Which sources [`observe`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// Only the sources some page names something of (checking).
    Named,
    /// Every source, even with nothing to ask it (recording a snapshot).
    Every,
}

/// Lists, on the opened sources, every kind and namespace the pages name:
/// one list call per kind and namespace, in the sources' order.
pub fn observe<'a>(
    opened: &'a Sources,
    inputs: &[Option<PageInput>],
    asked: Asked,
) -> Result<Vec<Observed<'a>>> {
    let default_scopes = |p: Platform| opened.default_scopes(p).to_vec();
    let plan = state::plan(
        inputs.iter().flatten().flat_map(|i| i.refs.iter()),
        &default_scopes,
    );
    let mut out = Vec::new();
    for source in &opened.sources {
        let key = (source.platform(), source.scope().to_string());
        let queries = match (plan.get(&key), asked) {
            (Some(q), _) => q.as_slice(),
            (None, Asked::Every) => &[],
            (None, Asked::Named) => continue,
        };
        let listings = source.list(queries)?;
        out.push(Observed {
            source: source.as_ref(),
            listings,
            notes: source.notes(),
        });
    }
    Ok(out)
}

/// Claims and references of every page, in parallel (`None`: the page is not judged).
pub fn page_inputs(rs: &RenderedSite, fc: &FreshnessConfig) -> Result<Vec<Option<PageInput>>> {
    let ignore = IgnoreSet::new(&fc.ignore, &rs.site.config)?;
    Ok(rs
        .site
        .pages
        .par_iter()
        .map(|page| page_input(&rs.rendered[page.id], page, fc, &ignore))
        .collect())
}

/// Claims and references of one page (`None`: the page is not judged).
fn page_input(
    rendered: &Rendered,
    page: &Page,
    fc: &FreshnessConfig,
    ignore: &IgnoreSet,
) -> Option<PageInput> {
    let source = page.source.as_ref()?;
    let opt = PageOptOut::of(&page.front_matter.extra);
    if !opt.review && !opt.claims && !opt.references {
        return None;
    }
    let mut input = PageInput {
        opt: Some(opt),
        ..PageInput::default()
    };
    if opt.claims
        && let Some(value) = &page.front_matter.applies_to
    {
        let key_line = page.front_matter.line_of("applies_to");
        let lines = claims::front_matter_text(source)
            .map(|text| claims::entry_lines(&text, key_line, value))
            .unwrap_or_default();
        let (refs, bad) = claims::parse(value, &lines, key_line);
        input.refs.extend(refs);
        input.bad_claims = bad;
    }
    if opt.references && fc.references {
        let mut found = references::extract(&rendered.code_blocks);
        for r in &mut found {
            // `kubectl --context X`, `openstack --os-cloud X`: the names vigie.toml gives them
            if let Some(s) = &r.target.scope {
                r.target.scope = Some(match r.target.platform {
                    Platform::Kubernetes => fc.cluster_of_context(s),
                    Platform::OpenStack => fc.cloud_of_entry(s),
                });
            }
        }
        input.refs.extend(found);
    }
    input.refs.retain(|r| !ignore.matches(&r.target.to_string()));
    Some(input)
}
