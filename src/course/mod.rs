//! Courses: ordered modules assembled from existing pages, with a course page,
//! in-course navigation, self-check questions and a printable page.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// `vigie course list [ROOT]`
#[derive(clap::Args, Debug)]
pub struct CourseListArgs {
    /// Knowledge-base root (default: the current folder).
    pub root: Option<PathBuf>,
}

pub fn run_list(_args: CourseListArgs) -> Result<i32> {
    Err(Error::Usage("vigie course list is not available yet".into()))
}
