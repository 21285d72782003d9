//! How current a course is: as stale as its stalest module.
//!
//! A module's status comes from a function the caller gives (`status_of`), so
//! the freshness checks (review age, claims against the live platform) decide
//! it. Review dates follow the freshness rule everywhere ([`review_due_dates`]):
//! `reviewed`, else the date of the file's last git commit. A module is stale
//! once its review is due ([`review_status`]), and never better than the
//! freshness assessment judged its page ([`module_statuses`]). Pages and
//! courses share one [`Status`], the freshness checks'.

use chrono::NaiveDate;

use super::{Course, Courses};
use crate::content::{PageId, Site};
use crate::error::Result;
use crate::freshness::config::FreshnessConfig;
use crate::freshness::git::GitDates;
use crate::freshness::review::{ReviewConfig, due_date};
use crate::freshness::{Assessment, Status};
use crate::report::{Finding, Severity};

/// A module's or a course's status as course pages word it: as the page
/// badges, except that a module with no review date reads "review unknown"
/// rather than "not assessed".
pub fn status_label(status: Status, lang: &str) -> &'static str {
    match status {
        Status::Unknown => crate::i18n::t(lang, "unknown_review"),
        _ => status.label(lang),
    }
}

/// When each page (by [`PageId`]) is due for review, by the rule `vigie check
/// freshness` applies: `reviewed`, else the date of the file's last git commit,
/// plus its `review_every` or its kind's `[review]` interval. `git`: the commit
/// dates already read (the assessment's); without them, they are read here
/// when a page has no `reviewed` date.
pub fn review_due_dates(site: &Site, git: Option<&GitDates>) -> Result<Vec<Option<NaiveDate>>> {
    let config = ReviewConfig::load(&site.config)?;
    let read;
    let git = match git {
        Some(g) => g,
        None => {
            let needed = site
                .pages
                .iter()
                .any(|p| p.source.is_some() && p.front_matter.reviewed.is_none());
            read = if needed {
                GitDates::load(&site.config.root)
            } else {
                GitDates::default()
            };
            &read
        }
    };
    Ok(site
        .pages
        .iter()
        .map(|p| {
            let committed = p.source.as_deref().and_then(|s| git.date(s));
            due_date(p, &config, committed)
        })
        .collect())
}

/// Review-age status of a module due for review on `due`: stale once that day has come.
pub fn review_status(due: Option<NaiveDate>, today: NaiveDate) -> Status {
    match due {
        None => Status::Unknown,
        Some(due) if due <= today => Status::Stale,
        Some(_) => Status::Fresh,
    }
}

/// Review-age status of every page (indexed by [`PageId`]), with the
/// `[review]` intervals of `vigie.toml` and git dates for pages without `reviewed`.
pub fn review_statuses(site: &Site, today: NaiveDate) -> Result<Vec<Status>> {
    Ok(review_due_dates(site, None)?
        .into_iter()
        .map(|due| review_status(due, today))
        .collect())
}

/// Every page's status as a course module: stale once its review is due (the
/// courses' own rule), and as bad as the freshness assessment judged its page
/// (a contradicted runbook taints the course).
pub fn module_statuses(due: &[Option<NaiveDate>], fresh: &Assessment, today: NaiveDate) -> Vec<Status> {
    due.iter()
        .enumerate()
        .map(|(id, &due)| {
            let by_review = review_status(due, today);
            fresh.status(id).map_or(by_review, |s| by_review.max(s))
        })
        .collect()
}

/// A course's freshness: its worst module, and which modules make it stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseFreshness {
    pub status: Status,
    /// Indices (in `course.modules`) of the stale modules.
    pub stale: Vec<usize>,
}

/// The freshness of `course` given each page's status.
pub fn course_freshness(course: &Course, status_of: impl Fn(PageId) -> Status) -> CourseFreshness {
    let mut status = Status::Unknown;
    let mut stale = Vec::new();
    for (i, m) in course.modules.iter().enumerate() {
        let s = status_of(m.page);
        status = status.max(s);
        if s.is_stale() {
            stale.push(i);
        }
    }
    CourseFreshness { status, stale }
}

/// `course-stale` findings: one per stale module of every course, at the
/// module's line in the course definition. By default stale modules are
/// warnings and contradicted ones errors; a severity set for `course-stale`
/// in `[freshness.severity]` applies to both (`off`: no finding).
pub fn stale_findings(
    site: &Site,
    courses: &Courses,
    status_of: impl Fn(PageId) -> Status,
    fc: &FreshnessConfig,
) -> Vec<Finding> {
    const RULE: &str = "course-stale";
    let mut findings = Vec::new();
    for course in &courses.list {
        for (i, m) in course.modules.iter().enumerate() {
            let s = status_of(m.page);
            if !s.is_stale() {
                continue;
            }
            let severity = if s == Status::Contradicted {
                fc.escalated_severity(RULE, Severity::Error)
            } else {
                fc.severity(RULE)
            };
            let Some(severity) = severity else {
                return Vec::new();
            };
            let page = site.page(m.page);
            findings.push(Finding {
                rule: RULE.into(),
                severity,
                page: course.file.clone(),
                line: m.line,
                col: None,
                target: Some(page.shown.clone()),
                message: format!(
                    "course \"{}\" is stale: module {} \"{}\" is {}",
                    course.title,
                    i + 1,
                    page.title,
                    match s {
                        Status::Contradicted => "contradicted by the platform",
                        _ => "past its review date",
                    }
                ),
                suggestion: Some(match s {
                    Status::Contradicted => {
                        format!("fix {} (see its own findings), or replace the module", page.shown)
                    }
                    _ => format!(
                        "review {} (then update its `reviewed` date), or replace the module",
                        page.shown
                    ),
                }),
            });
        }
    }
    findings
}

/// `course-stale` findings of a freshness check: the courses of `site` with a
/// stale or contradicted module, judged as the site judges them (review due,
/// or the page contradicted by the platform in `fresh`).
pub fn course_findings(
    site: &Site,
    fresh: &Assessment,
    fc: &FreshnessConfig,
    today: NaiveDate,
) -> Result<Vec<Finding>> {
    if fresh.disabled {
        return Ok(Vec::new());
    }
    let courses = Courses::load(site)?;
    if courses.is_empty() {
        return Ok(Vec::new());
    }
    let due = review_due_dates(site, fresh.git.as_ref())?;
    let statuses = module_statuses(&due, fresh, today);
    Ok(stale_findings(site, &courses, |id| statuses[id], fc))
}
