//! Courses: ordered modules assembled from existing pages, with a course page,
//! in-course navigation, self-check questions and a printable page.
//!
//! A course is defined by the `course:` table of a page's front matter (a
//! training section's `_index.md`) or by a `course.toml` beside it:
//!
//! ```yaml
//! course:
//!   audience: nouveaux bénévoles
//!   objectives: [connaître la plateforme, tenir une première astreinte]
//!   prerequisites: [../bases-linux]
//!   modules:
//!     - 01-bienvenue.md
//!     - path: ../../runbooks/nova/redemarrer-nova-compute.md
//!       duration: 20m
//! ```
//!
//! [`Courses::load`] reads and checks every definition (a missing module is
//! an error naming the file and line); [`write`] renders the course pages,
//! the printable pages and the list of courses; [`stale_findings`] tells
//! which courses use stale pages. Progress is kept in the browser by
//! `course.js`; the questions (`> [!QUIZ]`) are rendered by
//! [`crate::markdown::quiz`].

mod define;
pub mod duration;
pub mod list;
mod print;
pub mod status;
mod write;

use std::collections::HashMap;

pub use crate::freshness::Status;
pub use status::{
    CourseFreshness, course_findings, course_freshness, module_statuses, review_due_dates, review_status,
    review_statuses, stale_findings,
};

use chrono::NaiveDate;

use crate::content::{PageId, Site};
use crate::error::{Error, Result};
use crate::markdown::RenderedSite;
use crate::output::Staging;
use crate::theme::Theme;

/// One course.
#[derive(Debug, Clone)]
pub struct Course {
    /// The page that presents the course (whose front matter or folder defines it).
    pub page: PageId,
    /// The file that defines it (`…/_index.md` or `…/course.toml`), relative to the root.
    pub file: String,
    /// Line of the definition in that file.
    pub line: usize,
    /// Stable identifier (the course page's route), for progress and `?course=`.
    pub key: String,
    pub title: String,
    pub audience: Option<String>,
    pub objectives: Vec<String>,
    /// Indices in [`Courses::list`] of the courses to follow first.
    pub prerequisites: Vec<usize>,
    pub modules: Vec<Module>,
}

/// One module of a course: a page of the site.
#[derive(Debug, Clone)]
pub struct Module {
    pub page: PageId,
    /// Written duration, or the page's reading time.
    pub minutes: u32,
    /// The duration was written in the definition (not estimated).
    pub explicit_duration: bool,
    /// Title shown in the course instead of the page's.
    pub title: Option<String>,
    /// Line of the module's entry in the course file.
    pub line: usize,
}

impl Course {
    /// Total duration in minutes.
    pub fn minutes(&self) -> u32 {
        self.modules.iter().map(|m| m.minutes).sum()
    }
}

/// Every course of a site, and which pages are modules of which course.
#[derive(Debug, Clone, Default)]
pub struct Courses {
    pub list: Vec<Course>,
    /// Page → (course index, module index) for every course the page is a module of.
    memberships: HashMap<PageId, Vec<(usize, usize)>>,
    /// Course page → course index.
    by_page: HashMap<PageId, usize>,
}

impl Courses {
    /// Reads and checks every course definition of `site`. A module or
    /// prerequisite that does not exist is an error naming the file and line.
    pub fn load(site: &Site) -> Result<Courses> {
        let (mut list, pending) = define::load_all(site)?;
        let by_page: HashMap<PageId, usize> = list.iter().enumerate().map(|(i, c)| (c.page, i)).collect();
        for p in pending {
            let Some(&target) = by_page.get(&p.target) else {
                let course = &list[p.course];
                return Err(Error::input(
                    std::path::Path::new(&course.file),
                    p.line,
                    format!(
                        "prerequisite `{}` is {}, which is not a course (it has no `course:` definition)",
                        p.written,
                        site.page(p.target).shown
                    ),
                ));
            };
            if target == p.course {
                return Err(Error::input(
                    std::path::Path::new(&list[p.course].file),
                    p.line,
                    format!("prerequisite `{}` is this course itself", p.written),
                ));
            }
            list[p.course].prerequisites.push(target);
        }
        let mut memberships: HashMap<PageId, Vec<(usize, usize)>> = HashMap::new();
        for (ci, c) in list.iter().enumerate() {
            for (mi, m) in c.modules.iter().enumerate() {
                memberships.entry(m.page).or_default().push((ci, mi));
            }
        }
        Ok(Courses {
            list,
            memberships,
            by_page,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The course that `page` presents, if it is a course page.
    pub fn course_of_page(&self, page: PageId) -> Option<&Course> {
        self.by_page.get(&page).map(|&i| &self.list[i])
    }

    /// (course index, module index) of every course `page` is a module of.
    pub fn memberships(&self, page: PageId) -> &[(usize, usize)] {
        self.memberships.get(&page).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Writes every course page, printable course and the list of courses.
/// `status_of` gives each page's freshness (see [`module_statuses`]),
/// `due` its review due date (see [`review_due_dates`]).
pub fn write(
    rs: &RenderedSite,
    courses: &Courses,
    theme: &Theme,
    staging: &Staging,
    today: NaiveDate,
    status_of: &(dyn Fn(PageId) -> Status + Sync),
    due: &[Option<NaiveDate>],
) -> Result<()> {
    if courses.is_empty() {
        return Ok(());
    }
    let ctx = write::Ctx::new(&rs.site, courses, today, status_of, due);
    for ci in 0..courses.list.len() {
        write::write_course(rs, &ctx, ci, theme, staging)?;
        print::write(rs, &ctx, ci, theme, staging)?;
    }
    write::write_list(&ctx, theme, staging)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<(Site, Courses)>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let site = Site::load(Config::load(dir.path()).unwrap()).unwrap();
        let courses = Courses::load(&site).map(|c| (site, c));
        (dir, courses)
    }

    const RUNBOOK: &str = "---\ntitle: Redémarrer nova\nreviewed: 2026-01-01\n---\nTexte.\n";

    #[test]
    fn modules_resolve_relative_to_the_course_folder() {
        let (_d, r) = site(&[
            (
                "training/c/_index.md",
                "---\ntitle: Parcours\ncourse:\n  audience: tout le monde\n  modules:\n    - 01-a.md\n    - path: ../../runbooks/nova.md\n      duration: 1h30\n---\nIntro\n",
            ),
            ("training/c/01-a.md", &format!("# A\n\n{}", "mot ".repeat(450))),
            ("runbooks/nova.md", RUNBOOK),
        ]);
        let (site, courses) = r.unwrap();
        let c = &courses.list[0];
        assert_eq!(c.title, "Parcours");
        assert_eq!(c.audience.as_deref(), Some("tout le monde"));
        assert_eq!(c.key, "training/c");
        let pages: Vec<&str> = c.modules.iter().map(|m| site.page(m.page).rel.as_str()).collect();
        assert_eq!(pages, ["training/c/01-a.md", "runbooks/nova.md"]);
        assert_eq!((c.modules[0].minutes, c.modules[0].explicit_duration), (3, false));
        assert_eq!((c.modules[1].minutes, c.modules[1].explicit_duration), (90, true));
        assert_eq!((c.modules[0].line, c.modules[1].line), (6, 7));
        assert_eq!(c.minutes(), 93);
        let nova = c.modules[1].page;
        assert_eq!(courses.memberships(nova), &[(0, 1)]);
    }

    #[test]
    fn a_missing_module_names_the_course_file_and_line() {
        let (_d, r) = site(&[
            (
                "training/c/_index.md",
                "---\ntitle: P\ncourse:\n  modules:\n    - 01-a.md\n    - ../../runbooks/nova-restart.md\n---\n",
            ),
            ("training/c/01-a.md", "# A\n"),
            ("runbooks/nova.md", RUNBOOK),
        ]);
        let err = r.err().unwrap().to_string();
        assert!(
            err.starts_with("training/c/_index.md:6: module `../../runbooks/nova-restart.md` not found"),
            "{err}"
        );
    }

    #[test]
    fn course_toml_beside_the_section_and_prerequisites() {
        let (_d, r) = site(&[
            (
                "training/base/_index.md",
                "---\ntitle: Base\ncourse:\n  modules: [a.md]\n---\n",
            ),
            ("training/base/a.md", "# A\n"),
            ("training/suite/b.md", "# B\n"),
            (
                "training/suite/course.toml",
                "audience = \"équipe\"\nprerequisites = [\"../base\"]\n\n[[modules]]\npath = \"b.md\"\nduration = 25\n",
            ),
        ]);
        let (_, courses) = r.unwrap();
        let suite = courses.list.iter().find(|c| c.key == "training/suite").unwrap();
        assert_eq!(suite.file, "training/suite/course.toml");
        assert_eq!(suite.modules[0].minutes, 25);
        assert_eq!(suite.modules[0].line, 5);
        assert_eq!(courses.list[suite.prerequisites[0]].key, "training/base");
    }

    #[test]
    fn a_prerequisite_must_be_a_course() {
        let (_d, r) = site(&[
            (
                "training/c/_index.md",
                "---\ncourse:\n  prerequisites:\n    - ../../runbooks\n  modules: [a.md]\n---\n",
            ),
            ("training/c/a.md", "# A\n"),
            ("runbooks/x.md", RUNBOOK),
        ]);
        let err = r.err().unwrap().to_string();
        assert!(
            err.starts_with("training/c/_index.md:4: prerequisite `../../runbooks`"),
            "{err}"
        );
        assert!(err.contains("not a course"), "{err}");
    }

    #[test]
    fn bad_durations_and_duplicates_are_errors() {
        let (_d, r) = site(&[
            (
                "training/c/_index.md",
                "---\ncourse:\n  modules:\n    - path: a.md\n      duration: bientôt\n---\n",
            ),
            ("training/c/a.md", "# A\n"),
        ]);
        let err = r.err().unwrap().to_string();
        assert!(
            err.starts_with("training/c/_index.md:5: duration \"bientôt\""),
            "{err}"
        );
        let (_d, r) = site(&[
            (
                "training/c/_index.md",
                "---\ncourse:\n  modules:\n    - a.md\n    - ./a.md\n---\n",
            ),
            ("training/c/a.md", "# A\n"),
        ]);
        let err = r.err().unwrap().to_string();
        assert!(
            err.contains(":5: module `./a.md` is already listed at line 4"),
            "{err}"
        );
    }
}
