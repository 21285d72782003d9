//! The site model: every page, the navigation tree, and the lookups that link
//! resolution and the theme need. Built once by [`Site::load`], then read-only.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use super::page::{NavItem, Page, PageId, route_of};
use crate::config::{Config, Layout};
use crate::error::Result;
use crate::report::Finding;

/// What starts an include directive (mdBook, MkDocs snippets, markdown-include):
/// a page holding one is loaded with the whole site.
const INCLUDE_MARKS: &[&str] = &["{{#", "--8<--", "{!"];

/// Whether two front matters differ at most in what only the freshness
/// judgement reads (review date and period, owner) and the lines keys are on.
fn same_but_review(a: &super::frontmatter::FrontMatter, b: &super::frontmatter::FrontMatter) -> bool {
    let neutral = |f: &super::frontmatter::FrontMatter| super::frontmatter::FrontMatter {
        reviewed: None,
        review_every: None,
        owner: None,
        key_lines: Vec::new(),
        ..f.clone()
    };
    neutral(a) == neutral(b)
}

/// All pages of a knowledge base, with its navigation.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    /// Top level of the navigation, in order.
    pub nav: Vec<NavItem>,
    /// The home page (the root section page, made up when there is none).
    pub home: PageId,
    /// Pages in reading order (depth-first navigation order), for previous/next.
    pub order: Vec<PageId>,
    /// Position of each page in `order`.
    order_pos: Vec<Option<usize>>,
    /// Problems found while loading that do not stop the build.
    pub warnings: Vec<Finding>,
    /// Files pulled into pages by include directives, and the nav files an
    /// MkDocs project's navigation is read from (`literate-nav`): files
    /// other pages depend on.
    pub included: std::collections::HashSet<PathBuf>,
    by_rel: HashMap<String, PageId>,
    by_route: HashMap<String, PageId>,
    by_stem: HashMap<String, Vec<PageId>>,
    /// A page's translations (multilingual Hugo sites), by the page they translate.
    translations: HashMap<PageId, Vec<PageId>>,
}

impl Site {
    /// Loads every page of the knowledge base described by `config`.
    pub fn load(config: Config) -> Result<Site> {
        Site::load_with(config, super::Bodies::Kept)
    }

    /// Loads every page, holding their bodies or not (see [`super::Bodies`]).
    pub fn load_with(mut config: Config, bodies: super::Bodies) -> Result<Site> {
        let mut loaded = super::reading(|| match config.layout {
            Layout::MdBook => super::mdbook::load(&config, bodies),
            Layout::MkDocs => super::mkdocs::load(&config),
            Layout::Folder | Layout::Hugo => super::load::load_tree(&config, bodies),
        })?;
        loaded.warnings.splice(0..0, config.warnings.iter().cloned());
        if !config.language_given {
            settle_language(&mut config, &mut loaded.pages);
        }
        for page in &loaded.pages {
            if let Some(why) = super::resolve::unsafe_url(&page.url) {
                let path = page
                    .source
                    .clone()
                    .unwrap_or_else(|| config.content_root.join(&page.rel));
                return Err(crate::error::Error::input(
                    path,
                    1,
                    format!(
                        "this file's name cannot be a safe web address (`{}`): {why}; rename the file",
                        page.url
                    ),
                ));
            }
        }
        // Two files published at one address: one would silently replace the other.
        let mut at: HashMap<&str, &Page> = HashMap::new();
        for page in loaded.pages.iter().filter(|p| p.source.is_some()) {
            if let Some(first) = at.insert(&page.url, page) {
                return Err(crate::error::Error::input(
                    page.source.clone().unwrap_or_default(),
                    1,
                    format!(
                        "this page and {} would both be published as `{}`: rename one of them",
                        first.display(),
                        page.url
                    ),
                ));
            }
        }
        Ok(Site::assemble(config, loaded))
    }

    pub(super) fn assemble(config: Config, loaded: super::Loaded) -> Site {
        let super::Loaded {
            pages,
            nav,
            home,
            warnings,
            included,
        } = loaded;
        let mut site = Site {
            config,
            pages,
            nav,
            home,
            order: Vec::new(),
            order_pos: Vec::new(),
            warnings,
            included: included.into_iter().collect(),
            by_rel: HashMap::new(),
            by_route: HashMap::new(),
            by_stem: HashMap::new(),
            translations: HashMap::new(),
        };
        site.index();
        site
    }

    fn index(&mut self) {
        let mut order = Vec::with_capacity(self.pages.len());
        if !matches!(self.nav.first(), Some(NavItem::Page(p)) if *p == self.home) {
            order.push(self.home);
        }
        let mut stack: Vec<PageId> = self
            .nav
            .iter()
            .rev()
            .filter_map(|n| match n {
                NavItem::Page(p) => Some(*p),
                NavItem::Part(_) | NavItem::Link { .. } => None,
            })
            .collect();
        let mut seen = vec![false; self.pages.len()];
        seen[self.home] = !order.is_empty();
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id], true) {
                continue;
            }
            order.push(id);
            stack.extend(self.pages[id].children.iter().rev());
        }
        let mut pos = vec![None; self.pages.len()];
        for (i, &id) in order.iter().enumerate() {
            pos[id] = Some(i);
        }
        self.order = order;
        self.order_pos = pos;
        for page in &self.pages {
            self.by_rel.insert(page.rel.clone(), page.id);
            self.by_route.entry(page.route()).or_insert(page.id);
            if let Some(stem) = stem_of(&page.rel) {
                self.by_stem.entry(stem).or_default().push(page.id);
            }
        }
        for page in &self.pages {
            if let Some((_, key)) = &page.translation
                && let Some(&original) = self.by_rel.get(key)
            {
                self.translations.entry(original).or_default().push(page.id);
            }
        }
        for page in &self.pages {
            for alias in &page.front_matter.aliases {
                let alias = alias.trim_matches('/');
                self.by_route
                    .entry(route_of(alias.strip_suffix(".md").unwrap_or(alias)))
                    .or_insert(page.id);
            }
        }
    }

    /// The pages before and after `id` in reading order.
    pub fn prev_next(&self, id: PageId) -> (Option<PageId>, Option<PageId>) {
        match self.order_pos.get(id).copied().flatten() {
            Some(i) => (
                i.checked_sub(1).map(|j| self.order[j]),
                self.order.get(i + 1).copied(),
            ),
            None => (None, None),
        }
    }

    /// The other languages of page `id`: the page it translates and its
    /// translations, itself left out, in the site's language order.
    pub fn translations(&self, id: PageId) -> Vec<PageId> {
        let original = self.pages[id]
            .translation
            .as_ref()
            .and_then(|(_, key)| self.by_rel.get(key).copied())
            .unwrap_or(id);
        let mut out: Vec<PageId> = std::iter::once(original)
            .chain(self.translations.get(&original).into_iter().flatten().copied())
            .filter(|&p| p != id)
            .collect();
        let rank = |p: PageId| {
            let lang = self.pages[p].translation.as_ref().map(|(l, _)| l.as_str());
            lang.and_then(|l| self.config.languages.iter().position(|c| c == l))
                .unwrap_or(0)
        };
        out.sort_by_key(|&p| rank(p));
        out
    }

    /// Page `id` read again from its file, when only its text changed in a
    /// way no other page can see: same front matter (but for the review date
    /// and period and the owner, which only freshness reads), same leading title, same
    /// language, no include directive in it (Hugo's `readfile` and `include`
    /// too) and not included by another page.
    /// `None` when the site has to be loaded again to take the change in.
    pub fn reread(&self, id: PageId) -> Result<Option<Page>> {
        let old = self.page(id);
        let Some(source) = &old.source else {
            return Ok(None);
        };
        let real = source.canonicalize().unwrap_or_else(|_| source.clone());
        if self.included.contains(&real) || self.included.contains(source) {
            return Ok(None);
        }
        let text = crate::confine::read_text_limited(source, crate::confine::PAGE_LIMIT, "page")?;
        let split = super::frontmatter::read(std::path::Path::new(&old.shown), &text, self.config.layout)?;
        let body = split.body;
        // The leading `# Title` still shown as the title (or still absent
        // where it would become the title).
        let h1 = super::leading_h1(body);
        let in_body = h1.as_deref() == Some(old.title.as_str()) || old.titled_elsewhere && h1.is_some();
        let same_title = in_body == old.title_in_body
            && (in_body
                || h1.is_none()
                || old.front_matter.title.is_some()
                || self.config.layout == Layout::MdBook);
        let same_lang = old.front_matter.lang.is_some()
            || super::lang::detect(body).map_or(self.config.language.as_str(), |l| l) == old.lang;
        let mut page = old.clone();
        page.front_matter = split.front_matter;
        if self.config.layout == Layout::Hugo {
            super::hugo::cascade_into(&self.pages, &self.ancestors(id), &mut page);
        }
        if !same_but_review(&page.front_matter, &old.front_matter)
            || !split.warnings.is_empty()
            || !same_title
            || !same_lang
            || INCLUDE_MARKS.iter().any(|m| body.contains(m))
            || self.config.layout == Layout::Hugo && super::hugo::reads_files(body)
        {
            return Ok(None);
        }
        page.body = body.to_string();
        page.body_line = split.body_line;
        page.pulled_lines = super::BodyLines::default();
        Ok(Some(page))
    }

    /// Replaces page `page.id` by `page` (from [`Site::reread`]).
    pub fn replace(&mut self, page: Page) {
        let id = page.id;
        self.pages[id] = page;
    }

    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id]
    }

    /// The page whose source is `rel` (relative to the content root).
    pub fn by_rel(&self, rel: &str) -> Option<PageId> {
        self.by_rel.get(rel).copied()
    }

    /// The page at route `route` (`doc/x`, see [`Page::route`]), aliases included.
    pub fn by_route(&self, route: &str) -> Option<PageId> {
        self.by_route.get(route).copied()
    }

    /// Pages whose file is called `name` (without extension), wherever they are:
    /// the candidates for "this page moved".
    pub fn by_stem(&self, name: &str) -> &[PageId] {
        self.by_stem.get(name).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// Ancestors of a page, from the home page down to its parent.
    pub fn ancestors(&self, id: PageId) -> Vec<PageId> {
        let mut out = Vec::new();
        let mut cur = self.pages[id].parent;
        while let Some(p) = cur {
            if out.contains(&p) {
                break;
            }
            out.push(p);
            cur = self.pages[p].parent;
        }
        out.reverse();
        out
    }

    /// Tags and the pages that carry them, sorted by tag.
    pub fn tags(&self) -> BTreeMap<String, Vec<PageId>> {
        let mut tags: BTreeMap<String, Vec<PageId>> = BTreeMap::new();
        for page in &self.pages {
            for tag in &page.front_matter.tags {
                tags.entry(tag.clone()).or_default().push(page.id);
            }
        }
        tags
    }
}

/// `runbooks/nova/restart.md` → `restart`; section pages give their folder's name.
/// The site's language when no configuration says it: the one most pages
/// are written in (English when more pages read as English than as French,
/// else French), given to the pages that say nothing of their own. An
/// English MkDocs or mdBook project gets an English interface, as its own
/// tool gives it; a French knowledge base keeps French.
fn settle_language(config: &mut Config, pages: &mut [super::Page]) {
    let said = |lang: &str| pages.iter().filter(|p| !p.lang_is_site && p.lang == lang).count();
    let language = if said("en") > said("fr") { "en" } else { "fr" };
    if config.language == language {
        return;
    }
    config.language = language.to_string();
    for page in pages.iter_mut().filter(|p| p.lang_is_site) {
        page.lang = config.language.clone();
    }
}

fn stem_of(rel: &str) -> Option<String> {
    let rel = rel.trim_end_matches('/');
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    let stem = if matches!(stem, "_index" | "index" | "README") {
        dir.rsplit('/').next()?
    } else {
        stem
    };
    (!stem.is_empty()).then(|| stem.to_string())
}
