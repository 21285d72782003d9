//! How current a course is: as stale as its stalest module.
//!
//! A module's status comes from a function the caller gives (`status_of`), so
//! the freshness checks (review age, claims against the live platform) decide
//! it; [`review_statuses`] is the review-age-only version the build uses on
//! its own. Pages and courses share one [`Status`], the freshness checks'.

use chrono::NaiveDate;

use super::{Course, Courses};
use crate::content::{Page, PageId, Site};
use crate::error::Result;
use crate::freshness::Status;
use crate::freshness::review::{ReviewConfig, due_date};
use crate::report::{Finding, Severity};

/// A module's or a course's status as course pages word it: as the page
/// badges, except that a module with no review date reads "review unknown"
/// rather than "not assessed".
pub fn status_label(status: Status, lang: &str) -> &'static str {
    match status {
        Status::Unknown => crate::theme::i18n::t(lang, "unknown_review"),
        _ => status.label(lang),
    }
}

/// Review-age status of one page on `today`: stale once its review date has come.
pub fn review_status(page: &Page, config: &ReviewConfig, today: NaiveDate) -> Status {
    match due_date(page, config, None) {
        None => Status::Unknown,
        Some(due) if due <= today => Status::Stale,
        Some(_) => Status::Fresh,
    }
}

/// Review-age status of every page (indexed by [`PageId`]), with the
/// `[review]` intervals of `vigie.toml`.
pub fn review_statuses(site: &Site, today: NaiveDate) -> Result<Vec<Status>> {
    let config = ReviewConfig::load(&site.config)?;
    Ok(site
        .pages
        .iter()
        .map(|p| review_status(p, &config, today))
        .collect())
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
/// module's line in the course definition. Stale modules are warnings,
/// contradicted ones errors.
pub fn stale_findings(site: &Site, courses: &Courses, status_of: impl Fn(PageId) -> Status) -> Vec<Finding> {
    let mut findings = Vec::new();
    for course in &courses.list {
        for (i, m) in course.modules.iter().enumerate() {
            let s = status_of(m.page);
            if !s.is_stale() {
                continue;
            }
            let page = site.page(m.page);
            findings.push(Finding {
                rule: "course-stale".into(),
                severity: if s == Status::Contradicted {
                    Severity::Error
                } else {
                    Severity::Warning
                },
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
                suggestion: Some(format!(
                    "review {} (then update its `reviewed` date), or replace the module",
                    page.shown
                )),
            });
        }
    }
    findings
}
