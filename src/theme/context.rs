//! What templates see: plain serialisable structs built from the site model.
//! Navigation is built per page but bounded (ancestors, their children, and a
//! window of siblings), so its cost does not grow with the site: 10,000 pages
//! do not each carry 10,000 links as mdBook's and MkDocs' pages do.

use serde::Serialize;

use crate::content::resolve::{is_site_path, relative_url};
use crate::content::{NavItem, Page, PageId, Site};
use crate::markdown::Rendered;

/// At most this many siblings are listed around the current page in the sidebar.
const NAV_WINDOW: usize = 40;

#[derive(Serialize, Clone)]
pub struct LinkCtx {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct NavCtx {
    pub title: String,
    pub url: String,
    pub number: Option<String>,
    pub current: bool,
    pub open: bool,
    pub part: bool,
    pub has_children: bool,
    pub children: Vec<NavCtx>,
    /// Children left out of a long list, with the link to the section that lists them all.
    pub more: Option<MoreCtx>,
}

#[derive(Serialize)]
pub struct MoreCtx {
    pub count: usize,
    pub url: String,
}

#[derive(Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct ChildCtx {
    pub title: String,
    pub url: String,
    pub kind: Option<&'static str>,
    pub description: Option<String>,
    pub is_section: bool,
    pub count: usize,
}

#[derive(Serialize)]
pub struct PageCtx {
    pub id: PageId,
    pub title: String,
    /// The browser's title when the page sets it whole (mdBook's
    /// `{{#title}}`); otherwise the page's title and the site's.
    pub head_title: Option<String>,
    /// What the page's `<h1>` says: its title, or the body's first `#
    /// Heading` where a navigation entry names the page otherwise.
    pub heading: String,
    pub title_in_body: bool,
    /// Anchor of the title (`#titre` links keep working).
    pub title_id: Option<String>,
    pub url: String,
    pub source: String,
    pub lang: String,
    pub kind: Option<&'static str>,
    pub kind_label: Option<&'static str>,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub reviewed: Option<String>,
    pub reviewed_long: Option<String>,
    pub reviewed_ago: Option<String>,
    pub tags: Vec<LinkCtx>,
    pub content: String,
    pub toc: Vec<TocEntry>,
    pub breadcrumbs: Vec<LinkCtx>,
    pub prev: Option<LinkCtx>,
    pub next: Option<LinkCtx>,
    pub number: Option<String>,
    pub is_section: bool,
    pub children: Vec<ChildCtx>,
    /// Freshness badge, reasons and banner (set by the build from its assessment).
    pub freshness: Option<BadgeCtx>,
    /// Course bars: one per course the page is a module of (set by the build).
    pub courses: Vec<CourseBar>,
    /// The page holds self-check questions (the theme loads `course.js`).
    pub has_quiz: bool,
    /// The same page in the site's other languages (multilingual Hugo sites).
    pub translations: Vec<TranslationCtx>,
}

/// A link to the same page in another language.
#[derive(Serialize)]
pub struct TranslationCtx {
    /// Language code as the site declares it (`en`).
    pub lang: String,
    pub title: String,
    pub url: String,
}

/// What `page.html` shows: `page.freshness.status/label/reasons/banner`.
#[derive(Debug, Clone, Serialize)]
pub struct BadgeCtx {
    pub status: &'static str,
    pub label: &'static str,
    pub reasons: Vec<String>,
    /// Stale and contradicted pages carry a banner above their content.
    pub banner: bool,
}

/// The course bar of a module page, for one course the page belongs to. A
/// page in several courses carries one bar per course; `course.js` shows the
/// one named by `?course=` (links from the course carry it), else the one
/// marked `shown`.
#[derive(Clone, Serialize)]
pub struct CourseBar {
    pub key: String,
    pub title: String,
    /// The course page, relative to the module page.
    pub url: String,
    /// 1-based position of the module in the course.
    pub position: usize,
    pub count: usize,
    /// This module's key in the progress store (its page's output path).
    pub module: String,
    /// Keys of every module of the course, to count progress.
    pub modules: Vec<String>,
    pub prev: Option<LinkCtx>,
    pub next: Option<LinkCtx>,
    /// Shown without `?course=`: the page lives in the course's folder.
    pub shown: bool,
}

/// Prefix that leads from `url` back to the site root (`../../`).
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

pub fn kind_label(lang: &str, kind: Option<crate::content::Kind>) -> Option<&'static str> {
    kind.map(|k| crate::i18n::t(lang, &format!("kind_{}", k.as_str())))
}

pub fn page_ctx(site: &Site, page: &Page, rendered: &Rendered, today: chrono::NaiveDate) -> PageCtx {
    let lang = site.config.language.as_str();
    let link = |id: PageId| LinkCtx {
        title: site.page(id).title.clone(),
        url: relative_url(&page.url, &site.page(id).url),
    };
    let (prev, next) = site.prev_next(page.id);
    let reviewed = page.front_matter.reviewed;
    PageCtx {
        id: page.id,
        title: page.title.clone(),
        head_title: page.head_title.clone(),
        heading: match (&rendered.title_id, rendered.headings.first()) {
            // The body's own title heading, as rendered (typographic
            // quotes where the site's tool makes them so).
            (Some(_), Some(h)) if page.titled_elsewhere || page.title_in_body => h.text.clone(),
            _ => page.title.clone(),
        },
        title_in_body: page.title_in_body,
        title_id: rendered.title_id.clone(),
        url: page.url.clone(),
        source: page.display().to_string(),
        lang: page.lang.clone(),
        kind: page.kind.map(|k| k.as_str()),
        kind_label: kind_label(lang, page.kind),
        owner: page.front_matter.owner.clone(),
        description: page.front_matter.description.clone(),
        reviewed: reviewed.map(|d| d.to_string()),
        reviewed_long: reviewed.map(|d| crate::i18n::long_date(lang, d)),
        reviewed_ago: reviewed.map(|d| crate::i18n::ago(lang, (today - d).num_days())),
        tags: page
            .front_matter
            .tags
            .iter()
            .map(|t| LinkCtx {
                title: t.clone(),
                url: relative_url(&page.url, &tag_url(t)),
            })
            .collect(),
        content: rendered.html.clone(),
        toc: rendered
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .map(|h| TocEntry {
                level: h.level,
                id: h.id.clone(),
                text: h.text.clone(),
            })
            .collect(),
        breadcrumbs: site
            .ancestors(page.id)
            .into_iter()
            .map(|id| LinkCtx {
                title: site.page(id).nav_label().to_string(),
                url: relative_url(&page.url, &site.page(id).url),
            })
            .collect(),
        prev: prev.map(link),
        next: next.map(link),
        number: page.number.clone(),
        is_section: page.is_section,
        children: page.children.iter().map(|&c| child_ctx(site, page, c)).collect(),
        freshness: None,
        courses: Vec::new(),
        has_quiz: !rendered.questions.is_empty(),
        translations: site
            .translations(page.id)
            .into_iter()
            .map(|id| {
                let other = site.page(id);
                TranslationCtx {
                    lang: other
                        .translation
                        .as_ref()
                        .map(|(l, _)| l.clone())
                        .or_else(|| site.config.languages.first().cloned())
                        .unwrap_or_else(|| other.lang.clone()),
                    title: other.title.clone(),
                    url: relative_url(&page.url, &other.url),
                }
            })
            .collect(),
    }
}

pub fn child_ctx(site: &Site, from: &Page, id: PageId) -> ChildCtx {
    let c = site.page(id);
    ChildCtx {
        // A folder's card names the folder, as the navigation does.
        title: c.folder_title.clone().unwrap_or_else(|| c.title.clone()),
        url: relative_url(&from.url, &c.url),
        kind: c.kind.map(|k| k.as_str()),
        description: c.front_matter.description.clone(),
        is_section: c.is_section,
        count: c.children.len(),
    }
}

/// The output path of a tag's page.
pub fn tag_url(tag: &str) -> String {
    format!("tags/{}.html", crate::markdown::slug::slugify(tag))
}

/// The sidebar for the page at `url` (whose page is `current`, if any).
pub fn nav(site: &Site, url: &str, current: Option<PageId>) -> Vec<NavCtx> {
    let open: Vec<PageId> = match current {
        Some(c) => {
            let mut a = site.ancestors(c);
            a.push(c);
            a
        }
        None => Vec::new(),
    };
    site.nav
        .iter()
        .map(|item| match item {
            // The home page listed in a navigation file (MkDocs' `- Home:
            // index.md`) is an entry like the others: its children are the
            // sidebar itself, not shown again under it.
            NavItem::Page(id) if *id == site.home => NavCtx {
                children: Vec::new(),
                more: None,
                has_children: false,
                open: open.contains(id),
                ..nav_node(site, url, *id, current, &[])
            },
            NavItem::Page(id) => nav_node(site, url, *id, current, &open),
            NavItem::Link { title, url: to } => link_node(url, title, to),
            NavItem::Part(title) => NavCtx {
                title: title.clone(),
                url: String::new(),
                number: None,
                current: false,
                open: false,
                part: true,
                has_children: false,
                children: Vec::new(),
                more: None,
            },
        })
        .collect()
}

/// An entry of the sidebar that leads elsewhere than a page of the site,
/// seen from the page at `url`: a link of a navigation file, whose address
/// (unless it has a scheme, or starts at the domain's root) is the site's.
fn link_node(url: &str, title: &str, to: &str) -> NavCtx {
    NavCtx {
        title: title.to_string(),
        url: if is_site_path(to) {
            format!("{}{to}", root_prefix(url))
        } else {
            to.to_string()
        },
        number: None,
        current: false,
        open: false,
        part: false,
        has_children: false,
        children: Vec::new(),
        more: None,
    }
}

fn nav_node(site: &Site, url: &str, id: PageId, current: Option<PageId>, open: &[PageId]) -> NavCtx {
    let page = site.page(id);
    let is_open = open.contains(&id);
    let has_children = !page.children.is_empty() || !page.nav_links.is_empty();
    let mut children = Vec::new();
    let mut more = None;
    if is_open && has_children {
        let kids = &page.children;
        let focus = kids.iter().position(|k| open.contains(k)).unwrap_or(0);
        let (start, end) = if kids.len() <= NAV_WINDOW {
            (0, kids.len())
        } else {
            let start = focus.saturating_sub(NAV_WINDOW / 2).min(kids.len() - NAV_WINDOW);
            (start, start + NAV_WINDOW)
        };
        // The links among the children shown, each before its child (those
        // after the last child when it is shown).
        let link = |l: &crate::content::NavLink| link_node(url, &l.title, &l.url);
        for (at, &k) in kids.iter().enumerate().take(end).skip(start) {
            children.extend(page.nav_links.iter().filter(|l| l.before == at).map(&link));
            children.push(nav_node(site, url, k, current, open));
        }
        if end == kids.len() {
            children.extend(page.nav_links.iter().filter(|l| l.before >= end).map(&link));
        }
        if end - start < kids.len() {
            more = Some(MoreCtx {
                count: kids.len() - (end - start),
                url: relative_url(url, &page.url),
            });
        }
    }
    NavCtx {
        title: page.nav_label().to_string(),
        url: relative_url(url, &page.url),
        number: page.number.clone(),
        current: current == Some(id),
        open: is_open,
        part: false,
        has_children,
        children,
        more,
    }
}
