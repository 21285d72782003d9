//! Course pages in the site: the course page (`course.html`), the list of
//! courses (`courses.html`), the course bar that module pages carry
//! (`course-bar.html`, see [`CourseBar`]), and the context they share with the
//! printable course (`course-print.html`, written by [`super::print`]).

use chrono::NaiveDate;
use serde::Serialize;

use super::duration::format_duration;
use super::status::{course_freshness, status_label};
use super::{Course, Courses};
use crate::content::resolve::relative_url;
use crate::content::{Page, PageId, Site};
use crate::error::Result;
use crate::freshness::Status;
use crate::i18n::long_date;
use crate::markdown::RenderedSite;
use crate::output::Staging;
use crate::theme::Theme;
use crate::theme::context::{CourseBar, LinkCtx, kind_label, nav, page_ctx};
use crate::theme::{ser, site_ctx};

impl Courses {
    /// The course bars of `page`: one per course it is a module of.
    pub fn bars(&self, site: &Site, page: &Page) -> Vec<CourseBar> {
        let mut any_shown = false;
        self.memberships(page.id)
            .iter()
            .map(|&(ci, mi)| {
                let course = &self.list[ci];
                let course_page = site.page(course.page);
                let link = |m: usize| {
                    let target = site.page(course.modules[m].page);
                    LinkCtx {
                        title: module_title(site, course, m),
                        url: in_course(&relative_url(&page.url, &target.url), &course.key),
                    }
                };
                let shown = !any_shown && page.url.starts_with(folder(&course_page.url));
                any_shown |= shown;
                CourseBar {
                    key: course.key.clone(),
                    title: course.title.clone(),
                    url: relative_url(&page.url, &course_page.url),
                    position: mi + 1,
                    count: course.modules.len(),
                    module: page.url.clone(),
                    modules: module_keys(site, course),
                    prev: mi.checked_sub(1).map(link),
                    next: (mi + 1 < course.modules.len()).then(|| link(mi + 1)),
                    shown,
                }
            })
            .collect()
    }
}

/// `training/c/index.html` → `training/c/`.
fn folder(url: &str) -> &str {
    url.rsplit_once('/').map(|(d, _)| &url[..=d.len()]).unwrap_or("")
}

fn module_keys(site: &Site, course: &Course) -> Vec<String> {
    course
        .modules
        .iter()
        .map(|m| site.page(m.page).url.clone())
        .collect()
}

pub(super) fn module_title(site: &Site, course: &Course, m: usize) -> String {
    let module = &course.modules[m];
    module
        .title
        .clone()
        .unwrap_or_else(|| site.page(module.page).title.clone())
}

/// A link to a module that keeps the reader in `course` (`x.html?course=key`).
fn in_course(url: &str, key: &str) -> String {
    let mut out = format!("{url}?course=");
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where the printable page of the course presented by `page` goes: `print.html`
/// in the course's folder, unless a page of the site is already there.
pub fn print_url(site: &Site, page: &Page) -> String {
    let dir = folder(&page.url);
    let stem = if page.url.ends_with("index.html") {
        String::new()
    } else {
        format!(
            "{}-",
            page.url
                .trim_end_matches(".html")
                .rsplit('/')
                .next()
                .unwrap_or("")
        )
    };
    ["print", "course-print", "vigie-print"]
        .iter()
        .map(|name| format!("{dir}{stem}{name}.html"))
        .find(|url| site.by_route(&crate::content::page::route_of(url)).is_none())
        .unwrap_or_else(|| format!("{dir}{stem}vigie-print.html"))
}

/// Where the list of every course goes.
pub fn list_url(site: &Site) -> String {
    ["courses", "all-courses", "vigie-courses"]
        .iter()
        .find(|r| site.by_route(r).is_none())
        .map(|r| format!("{r}.html"))
        .unwrap_or_else(|| "vigie-courses.html".into())
}

#[derive(Serialize)]
struct ModuleCtx {
    position: usize,
    title: String,
    /// The module page, with `?course=` so it opens with the course bar.
    url: String,
    key: String,
    kind: Option<&'static str>,
    kind_label: Option<&'static str>,
    description: Option<String>,
    owner: Option<String>,
    duration: String,
    minutes: u32,
    /// The duration is the page's reading time, not written by the trainer.
    estimated: bool,
    status: &'static str,
    status_label: &'static str,
    stale: bool,
    /// "prochaine revue le …" / "revue en retard depuis le …".
    review_note: Option<String>,
    source: String,
}

#[derive(Serialize)]
struct PrerequisiteCtx {
    title: String,
    url: String,
    key: String,
    modules: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct CourseCtx {
    key: String,
    title: String,
    description: Option<String>,
    audience: Option<String>,
    objectives: Vec<String>,
    prerequisites: Vec<PrerequisiteCtx>,
    modules: Vec<ModuleCtx>,
    module_keys: Vec<String>,
    count: usize,
    duration: String,
    minutes: u32,
    status: &'static str,
    status_label: &'static str,
    stale: bool,
    /// Positions (1-based) of the stale modules.
    stale_modules: Vec<usize>,
    url: String,
    print_url: String,
    list_url: String,
    /// The file that defines the course.
    source: String,
}

/// What a course page, its printable page and the list need to know, with
/// links relative to `from`.
pub(super) struct Ctx<'a> {
    pub(super) site: &'a Site,
    pub(super) courses: &'a Courses,
    /// Each page's review due date (see [`super::review_due_dates`]).
    due: &'a [Option<NaiveDate>],
    pub(super) today: NaiveDate,
    pub(super) status_of: &'a (dyn Fn(PageId) -> Status + Sync),
    list_url: String,
}

impl Ctx<'_> {
    pub(super) fn lang(&self) -> &str {
        &self.site.config.language
    }

    fn review_note(&self, page: &Page) -> Option<String> {
        let due = self.due[page.id]?;
        let date = long_date(self.lang(), due);
        Some(match (self.lang() == "fr", due <= self.today) {
            (true, true) => format!("revue en retard depuis le {date}"),
            (true, false) => format!("prochaine revue le {date}"),
            (false, true) => format!("review overdue since {date}"),
            (false, false) => format!("next review on {date}"),
        })
    }

    pub(super) fn course(&self, ci: usize, from: &str) -> CourseCtx {
        let site = self.site;
        let lang = self.lang();
        let course = &self.courses.list[ci];
        let page = site.page(course.page);
        let freshness = course_freshness(course, self.status_of);
        let modules = course
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let p = site.page(m.page);
                let status = (self.status_of)(m.page);
                ModuleCtx {
                    position: i + 1,
                    title: module_title(site, course, i),
                    url: in_course(&relative_url(from, &p.url), &course.key),
                    key: p.url.clone(),
                    kind: p.kind.map(|k| k.as_str()),
                    kind_label: kind_label(lang, p.kind),
                    description: p.front_matter.description.clone(),
                    owner: p.front_matter.owner.clone(),
                    duration: format_duration(m.minutes, lang),
                    minutes: m.minutes,
                    estimated: !m.explicit_duration,
                    status: status.as_str(),
                    status_label: status_label(status, lang),
                    stale: status.is_stale(),
                    review_note: self.review_note(p),
                    source: p.shown.clone(),
                }
            })
            .collect();
        let print = print_url(site, page);
        CourseCtx {
            key: course.key.clone(),
            title: course.title.clone(),
            description: page.front_matter.description.clone(),
            audience: course.audience.clone(),
            objectives: course.objectives.clone(),
            prerequisites: course
                .prerequisites
                .iter()
                .map(|&pi| {
                    let pre = &self.courses.list[pi];
                    PrerequisiteCtx {
                        title: pre.title.clone(),
                        url: relative_url(from, &site.page(pre.page).url),
                        key: pre.key.clone(),
                        modules: module_keys(site, pre),
                    }
                })
                .collect(),
            modules,
            module_keys: module_keys(site, course),
            count: course.modules.len(),
            duration: format_duration(course.minutes(), lang),
            minutes: course.minutes(),
            status: freshness.status.as_str(),
            status_label: status_label(freshness.status, lang),
            stale: freshness.status.is_stale(),
            stale_modules: freshness.stale.iter().map(|i| i + 1).collect(),
            url: relative_url(from, &page.url),
            print_url: relative_url(from, &print),
            list_url: relative_url(from, &self.list_url),
            source: course.file.clone(),
        }
    }
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
        site: &'a Site,
        courses: &'a Courses,
        today: NaiveDate,
        status_of: &'a (dyn Fn(PageId) -> Status + Sync),
        due: &'a [Option<NaiveDate>],
    ) -> Ctx<'a> {
        Ctx {
            site,
            courses,
            due,
            today,
            status_of,
            list_url: list_url(site),
        }
    }
}

/// Writes the page of course `ci` (its printable page is [`super::print`]'s).
pub(super) fn write_course(
    rs: &RenderedSite,
    ctx: &Ctx<'_>,
    ci: usize,
    theme: &Theme,
    staging: &Staging,
) -> Result<()> {
    let site = &rs.site;
    let course = &ctx.courses.list[ci];
    let page = site.page(course.page);
    let mut page_view = page_ctx(site, page, &rs.rendered[page.id], ctx.today);
    page_view.courses = ctx.courses.bars(site, page);
    // A `title` in the definition (or a course.toml beside a folder without
    // `_index.md`) names the course page too.
    page_view.title = course.title.clone();
    page_view.heading = course.title.clone();
    let html = theme.render(
        "course.html",
        minijinja::context! { site => ser(&site_ctx(site, &page.url)), page => ser(&page_view), nav => ser(&nav(site, &page.url, Some(page.id))), course => ser(&ctx.course(ci, &page.url)) },
    )?;
    staging.write(&page.url, html.as_bytes())
}

/// Writes the list of courses.
pub(super) fn write_list(ctx: &Ctx<'_>, theme: &Theme, staging: &Staging) -> Result<()> {
    let site = ctx.site;
    let url = &ctx.list_url;
    let courses: Vec<CourseCtx> = (0..ctx.courses.list.len())
        .map(|ci| ctx.course(ci, url))
        .collect();
    let html = theme.render(
        "courses.html",
        minijinja::context! { site => ser(&site_ctx(site, url)), nav => ser(&nav(site, url, None)), courses => ser(&courses) },
    )?;
    staging.write(url, html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_links_carry_the_course() {
        assert_eq!(
            in_course("../a.html", "training/intégration"),
            "../a.html?course=training/int%C3%A9gration"
        );
        assert_eq!(folder("training/c/index.html"), "training/c/");
        assert_eq!(folder("index.html"), "");
    }
}
