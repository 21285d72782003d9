//! What `vigie course list` shows: every course with its module count, total
//! duration and freshness.

use chrono::NaiveDate;
use serde::Serialize;

use super::Courses;
use super::duration::format_compact;
use super::status::{course_freshness, review_statuses};
use crate::content::Site;
use crate::error::Result;

/// One course as `vigie course list` shows it.
#[derive(Serialize)]
pub struct Listed {
    pub title: String,
    /// The file that defines the course.
    pub file: String,
    pub key: String,
    pub modules: usize,
    pub minutes: u32,
    pub duration: String,
    pub freshness: &'static str,
    /// Source files of the stale modules.
    pub stale_modules: Vec<String>,
    pub prerequisites: Vec<String>,
}

/// Every course of `site` with its module count, duration and freshness on `today`.
pub fn list(site: &Site, today: NaiveDate) -> Result<Vec<Listed>> {
    let courses = Courses::load(site)?;
    let statuses = review_statuses(site, today)?;
    Ok(courses
        .list
        .iter()
        .map(|c| {
            let f = course_freshness(c, |id| statuses[id]);
            Listed {
                title: c.title.clone(),
                file: c.file.clone(),
                key: c.key.clone(),
                modules: c.modules.len(),
                minutes: c.minutes(),
                duration: format_compact(c.minutes()),
                freshness: f.status.as_str(),
                stale_modules: f
                    .stale
                    .iter()
                    .map(|&i| site.page(c.modules[i].page).shown.clone())
                    .collect(),
                prerequisites: c
                    .prerequisites
                    .iter()
                    .map(|&p| courses.list[p].title.clone())
                    .collect(),
            }
        })
        .collect())
}
