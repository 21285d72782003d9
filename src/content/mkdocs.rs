//! MkDocs projects (`mkdocs.yml`): the pages of `docs_dir` are loaded as a
//! folder tree, then placed as `nav` says — order, titles, sections — while
//! pages left out of `nav` are still built, as MkDocs builds them. Snippets
//! (`--8<--`, `pymdownx.snippets`) and `{!file!}` includes
//! (`markdown_include`) are expanded from files inside the project only. Each
//! entry of `markdown_extensions` that vigie does not render is one warning.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use serde_json::Value;

mod awesome_pages;
mod literate_nav;

use super::Loaded;
use super::page::{NavItem, NavLink, Page, PageId, SECTION_FILES, made_up_section};
use crate::config::{Config, MKDOCS_FILES, read_mkdocs};
use crate::error::{Error, Result};
use crate::report::{Finding, Severity};

/// Extensions whose syntax vigie renders (or that change nothing vigie
/// shows: `betterem` and `saneheaders` read emphasis and headings as
/// CommonMark already does but for rare edge cases).
const RENDERED: &[&str] = &[
    "abbr",
    "admonition",
    "attr_list",
    "codehilite",
    "def_list",
    "extra",
    "fenced_code",
    "footnotes",
    "markdown.extensions.abbr",
    "markdown.extensions.admonition",
    "markdown.extensions.attr_list",
    "markdown.extensions.codehilite",
    "markdown.extensions.def_list",
    "markdown.extensions.extra",
    "markdown.extensions.fenced_code",
    "markdown.extensions.footnotes",
    "markdown.extensions.md_in_html",
    "markdown.extensions.meta",
    "markdown.extensions.nl2br",
    "markdown.extensions.smarty",
    "markdown.extensions.tables",
    "markdown.extensions.toc",
    "markdown_include.include",
    "md_in_html",
    "meta",
    "nl2br",
    "pymdownx.betterem",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.details",
    "pymdownx.blocks.html",
    "pymdownx.blocks.tab",
    "pymdownx.caret",
    "pymdownx.details",
    "pymdownx.emoji",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.keys",
    "pymdownx.magiclink",
    "pymdownx.mark",
    "pymdownx.saneheaders",
    "pymdownx.smartsymbols",
    "pymdownx.snippets",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.tilde",
    "sane_lists",
    "smarty",
    "tables",
    "toc",
];

pub(super) fn load(config: &Config) -> Result<Loaded> {
    let file = MKDOCS_FILES
        .iter()
        .map(|n| config.root.join(n))
        .find(|p| p.is_file())
        .ok_or_else(|| Error::Usage(format!("{}: no mkdocs.yml", config.root.display())))?;
    let text = std::fs::read_to_string(&file).map_err(|e| Error::read(&file, e))?;
    let yaml = read_mkdocs(&file, &text)?;
    let shown = config.display_path(&file);
    // Snippets may be expanded into any page and its title read from its
    // body below: MkDocs pages keep their bodies.
    let mut loaded = super::load::load_tree(config, super::Bodies::Kept)?;
    let extensions = crate::config::mkdocs_extensions(&yaml);
    for name in &extensions {
        if !RENDERED.contains(&name.as_str()) {
            loaded.warnings.push(Finding {
                rule: "unknown-extension".into(),
                severity: Severity::Warning,
                page: shown.clone(),
                line: line_of_text(&text, name),
                col: None,
                target: Some(name.clone()),
                message: format!(
                    "Markdown extension `{name}` is not one vigie renders: its syntax is shown as written"
                ),
                suggestion: None,
            });
        }
    }
    for (name, _, line) in crate::config::mkdocs_plugins(&yaml, &text) {
        let Some((what, instead)) = plugin_change(&name) else {
            continue;
        };
        loaded.warnings.push(Finding {
            rule: "unknown-plugin".into(),
            severity: Severity::Warning,
            page: shown.clone(),
            line,
            col: None,
            target: Some(name.clone()),
            message: format!("plugin `{name}` {what}, which vigie does not do: {instead}"),
            suggestion: None,
        });
    }
    let snippets = extensions.iter().any(|e| e == "pymdownx.snippets");
    let includes = extensions.iter().any(|e| e == "markdown_include.include");
    if snippets || includes {
        let found: Vec<(Vec<Finding>, Vec<PathBuf>)> = loaded
            .pages
            .par_iter_mut()
            .map(|page| expand_includes(config, page, snippets, includes))
            .collect();
        for (warnings, included) in found {
            loaded.warnings.extend(warnings);
            loaded.included.extend(included);
        }
    }
    arrange(config, &mut loaded, &yaml, &text, &shown)?;
    Ok(loaded)
}

/// Places the pages in the navigation the project describes: from
/// `literate-nav`'s nav files, `nav` (its `...` filled by `awesome-pages`),
/// the folders' `.pages` files, else the folders as they are.
fn arrange(config: &Config, loaded: &mut Loaded, yaml: &Value, text: &str, shown: &str) -> Result<()> {
    let plugins = crate::config::mkdocs_plugins(yaml, text);
    let plugin = |name: &str| {
        plugins
            .iter()
            .find(|(n, ..)| n == name)
            .map(|(_, options, _)| *options)
    };
    let awesome = plugin("awesome-pages").map(awesome_pages::Options::read);
    let section_index = plugin("section-index").is_some();
    let nav = yaml.get("nav").and_then(Value::as_array);
    // literate-nav: the nav file of the docs folder wins over `nav`.
    if let Some(options) = plugin("literate-nav") {
        let mut maker = literate_nav::Maker::new(config, &loaded.pages, literate_nav::Options::read(options));
        let entries = match nav {
            _ if nav.is_none() || maker.has_root_file() => Some(maker.nav()?),
            // `mkdocs.yml`'s `nav`, its folders and patterns read by the
            // plugin (where awesome-pages does not read its `...`).
            Some(nav) if awesome.is_none() => Some(maker.expand(entries(nav))?),
            _ => None,
        };
        if let Some(entries) = entries {
            loaded.warnings.append(&mut maker.warnings);
            // A nav file is a page too: saved, the whole site is read again.
            loaded.included.append(&mut maker.read);
            place(config, loaded, &entries, text, shown, section_index);
            return Ok(());
        }
    }
    match (nav, awesome) {
        (Some(nav), awesome) => {
            let mut entries = entries(nav);
            // `...` in `nav`: what `nav` does not name, as the plugin lists it.
            if let Some(opts) = awesome
                && has_rest(&entries)
            {
                let mut maker = awesome_pages::Maker::new(config, &loaded.pages, opts);
                let rest = maker.rest_of(&entries)?;
                loaded.warnings.append(&mut maker.warnings);
                let (mut written, mut twice) = (Vec::new(), Vec::new());
                rests_of(&entries, &mut written, &mut twice);
                for rest in twice {
                    loaded.warnings.push(Finding {
                        rule: "nav-missing".into(),
                        severity: Severity::Warning,
                        page: shown.to_string(),
                        line: second_line(text, &rest),
                        col: None,
                        message: format!(
                            "`{rest}` is written twice in `nav`: the second lists nothing (`mkdocs build` stops on it)"
                        ),
                        target: Some(rest),
                        suggestion: None,
                    });
                }
                let rests: Vec<awesome_pages::Rest> = written
                    .iter()
                    .filter_map(|r| awesome_pages::Rest::parse(r))
                    .collect();
                let mut shares: Vec<Option<Vec<Entry>>> =
                    awesome_pages::share(rest, &rests).into_iter().map(Some).collect();
                put_rest(&mut entries, &written, &mut shares);
            }
            place(config, loaded, &entries, text, shown, section_index);
        }
        (None, Some(opts)) => {
            let mut maker = awesome_pages::Maker::new(config, &loaded.pages, opts);
            let entries = maker.nav()?;
            loaded.warnings.append(&mut maker.warnings);
            place(config, loaded, &entries, text, shown, section_index);
        }
        // MkDocs lists the folders as they are (the home page first, then
        // each folder's pages and folders by name): the same listing.
        (None, None) => {
            let mut maker =
                awesome_pages::Maker::new(config, &loaded.pages, awesome_pages::Options::folders());
            let entries = maker.nav()?;
            place(config, loaded, &entries, text, shown, section_index);
        }
    }
    Ok(())
}

/// What a plugin that changes the pages or the navigation does, and what
/// a page of vigie's shows instead, for the plugins vigie does not do;
/// `None` for the others (those that add nothing vigie shows differently:
/// `search`, `tags`, `minify`, dates from Git, …; `section-index`, whose
/// folder index pages are the folders' own pages, as vigie makes them;
/// `redirects`, `awesome-pages` and `literate-nav`, which vigie reads).
fn plugin_change(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "macros" | "markdownextradata" | "table-reader" => (
            "fills pages with values and macros (`{{ … }}`, `{% … %}`)",
            "they are shown as written",
        ),
        "include-markdown" => (
            "includes files into pages (`{% include-markdown … %}`)",
            "the include is shown as written",
        ),
        "mkdocstrings" => (
            "writes API pages from code (`::: module`)",
            "the line is shown as written",
        ),
        "monorepo" => (
            "orders and titles the navigation",
            "the navigation is made from `nav`, or from the folders",
        ),
        "gen-files" => ("writes pages when the site is built", "those pages are missing"),
        "i18n" | "static-i18n" => (
            "builds one site per language from `page.LANG.md` files",
            "each file is a page of its own",
        ),
        "mermaid2" | "kroki" | "drawio" | "plantuml-markdown" => {
            ("draws diagrams from their source", "the source is shown")
        }
        _ => return None,
    })
}

/// Whether `nav` has a `...` (in a group too).
fn has_rest(nav: &[Entry]) -> bool {
    nav.iter().any(|e| match e {
        Entry::Page { path, .. } => is_rest(path),
        Entry::Section { entries, .. } => has_rest(entries),
        Entry::External { .. } => false,
    })
}

fn is_rest(path: &str) -> bool {
    awesome_pages::Rest::parse(path).is_some()
}

/// The distinct `...` entries of `nav` (in its groups too), in order, and
/// on `twice` those written again.
fn rests_of(nav: &[Entry], out: &mut Vec<String>, twice: &mut Vec<String>) {
    for e in nav {
        match e {
            Entry::Page { path, .. } if is_rest(path) => {
                if !out.contains(path) {
                    out.push(path.clone());
                } else if !twice.contains(path) {
                    twice.push(path.clone());
                }
            }
            Entry::Section { entries, .. } => rests_of(entries, out, twice),
            _ => {}
        }
    }
}

/// The line of `mkdocs.yml` where the list entry `entry` is written the
/// second time.
fn second_line(text: &str, entry: &str) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let item = l.trim_start().strip_prefix('-').unwrap_or("").trim();
            item.trim_matches(['"', '\'']) == entry
        })
        .nth(1)
        .map_or_else(|| line_of_text(text, entry), |(n, _)| n + 1)
}

/// Puts at each `...` of `nav` its share of what `nav` does not name
/// (`shares`, one per entry of `written`, as [`rests_of`] lists them). A
/// `...` written twice gets its share once (`mkdocs build` refuses it).
fn put_rest(nav: &mut Vec<Entry>, written: &[String], shares: &mut [Option<Vec<Entry>>]) {
    let mut out = Vec::with_capacity(nav.len());
    for e in std::mem::take(nav) {
        match e {
            Entry::Page { path, .. } if is_rest(&path) => {
                let at = written.iter().position(|w| *w == path);
                out.extend(at.and_then(|at| shares.get_mut(at)?.take()).unwrap_or_default());
            }
            Entry::Section {
                title,
                mut entries,
                folder,
            } => {
                put_rest(&mut entries, written, shares);
                out.push(Entry::Section {
                    title,
                    entries,
                    folder,
                });
            }
            other => out.push(other),
        }
    }
    *nav = out;
}

/// A folder's name as MkDocs titles it: `-` and `_` as spaces, capitalised
/// when it is all lower case.
pub(super) fn dirname_to_title(name: &str) -> String {
    let title = name.replace(['-', '_'], " ");
    if title.to_lowercase() != title {
        return title;
    }
    let mut c = title.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Stops at a navigation file (`.pages`, `SUMMARY.md`) whose real path
/// leaves the knowledge base: vigie reads nothing outside it.
fn inside(config: &Config, file: &std::path::Path) -> Result<()> {
    match crate::confine::reach(&config.root, file) {
        crate::confine::Reach::Outside(real) => Err(Error::Config {
            path: file.to_path_buf(),
            line: 1,
            message: format!(
                "is a symbolic link to `{}`, outside the knowledge base: vigie does not read it",
                real.display()
            ),
        }),
        _ => Ok(()),
    }
}

fn line_of_text(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map(|at| text[..at].matches('\n').count() + 1)
        .unwrap_or(1)
}

/// An entry of `nav`.
enum Entry {
    /// A page of the docs folder, with the title `nav` gives it.
    Page { path: String, title: Option<String> },
    /// A group of entries: titled by `nav`, or (`title: None`) a folder of
    /// the docs listed as a folder (by the `awesome-pages` plugin), whose
    /// index page, else the folder's name, titles it. `folder`: the folder
    /// the group stands for, whose address it takes when it is free.
    Section {
        title: Option<String>,
        entries: Vec<Entry>,
        folder: Option<String>,
    },
    /// A link to another site (MkDocs shows it in the navigation).
    External { title: Option<String>, url: String },
}

fn entries(list: &[Value]) -> Vec<Entry> {
    list.iter().filter_map(entry).collect()
}

fn entry(v: &Value) -> Option<Entry> {
    match v {
        Value::String(path) => Some(page_entry(path, None)),
        Value::Object(m) => {
            let (title, value) = m.iter().next()?;
            match value {
                Value::String(path) => Some(page_entry(path, Some(title.clone()))),
                Value::Array(list) => Some(Entry::Section {
                    title: Some(title.clone()),
                    entries: entries(list),
                    folder: None,
                }),
                _ => None,
            }
        }
        _ => None,
    }
}

fn page_entry(path: &str, title: Option<String>) -> Entry {
    // A path from the domain's root is a link too: MkDocs looks it up
    // among the docs only when told to (`validation: nav: absolute_links`).
    if !super::resolve::is_site_path(path) {
        Entry::External {
            title,
            url: path.to_string(),
        }
    } else {
        Entry::Page {
            path: path.trim_start_matches("./").to_string(),
            title,
        }
    }
}

/// Rebuilds the navigation from `nav`: its entries, in its order, under
/// sections made for its titled groups. Pages `nav` leaves out keep no place
/// in the navigation but are still built; folder pages vigie made up that
/// `nav` does not need are dropped.
fn place(config: &Config, loaded: &mut Loaded, nav: &[Entry], text: &str, shown: &str, section_index: bool) {
    let by_rel: HashMap<String, PageId> = loaded
        .pages
        .iter()
        .filter(|p| p.source.is_some())
        .map(|p| (p.rel.clone(), p.id))
        .collect();
    // Addresses taken by files (folder pages vigie made up give theirs back).
    let mut urls: HashSet<String> = loaded
        .pages
        .iter()
        .filter(|p| p.source.is_some())
        .map(|p| p.url.clone())
        .collect();
    for page in &mut loaded.pages {
        page.parent = None;
        page.children.clear();
    }
    let home = loaded.home;
    let mut placer = Placer {
        config,
        home,
        by_rel: &by_rel,
        used: vec![false; loaded.pages.len()],
        named: HashSet::new(),
        section_index,
        urls: &mut urls,
        text,
        shown,
        warnings: Vec::new(),
    };
    placer.used[home] = true;
    let mut top = Vec::new();
    placer.attach(&mut loaded.pages, nav, home, &mut top, "");
    loaded.nav = top
        .into_iter()
        .map(|p| match p {
            Placed::Page(id) => NavItem::Page(id),
            Placed::Link { title, url } => NavItem::Link { title, url },
        })
        .collect();
    loaded.pages[home].children = loaded
        .nav
        .iter()
        .filter_map(|n| match n {
            NavItem::Page(id) if *id != home => Some(*id),
            _ => None,
        })
        .collect();
    let used = placer.used;
    loaded.warnings.extend(placer.warnings);
    // Made-up folder pages nothing points to any more go.
    let keep: Vec<bool> = loaded
        .pages
        .iter()
        .map(|p| p.source.is_some() || used[p.id])
        .collect();
    compact(loaded, &keep);
}

/// What an entry of `nav` became in its group: a page placed there, or a
/// link (to another site, or to an address the docs folder has no file for).
enum Placed {
    Page(PageId),
    Link { title: String, url: String },
}

impl Placed {
    fn link(title: &Option<String>, url: &str) -> Placed {
        Placed::Link {
            title: title.clone().unwrap_or_else(|| url.to_string()),
            url: url.to_string(),
        }
    }
}

/// A group's children and, apart, the links listed among them.
fn children_and_links(placed: Vec<Placed>) -> (Vec<PageId>, Vec<NavLink>) {
    let (mut children, mut links) = (Vec::new(), Vec::new());
    for p in placed {
        match p {
            Placed::Page(id) => children.push(id),
            Placed::Link { title, url } => links.push(NavLink {
                before: children.len(),
                title,
                url,
            }),
        }
    }
    (children, links)
}

struct Placer<'a> {
    config: &'a Config,
    home: PageId,
    by_rel: &'a HashMap<String, PageId>,
    used: Vec<bool>,
    /// Pages an entry of `nav` named already: the first entry gives the
    /// title, as it gives the place.
    named: HashSet<PageId>,
    /// `section-index` is on: a group's index page becomes the section,
    /// under the group's title (the browser's tab too). Without it, the
    /// group's title names the section in the navigation, and the page
    /// keeps its own, as MkDocs and Material's `navigation.indexes` do.
    section_index: bool,
    urls: &'a mut HashSet<String>,
    text: &'a str,
    shown: &'a str,
    warnings: Vec<Finding>,
}

impl Placer<'_> {
    /// Places `entries` under `parent`, pushing what they became on `out`.
    fn attach(
        &mut self,
        pages: &mut Vec<Page>,
        entries: &[Entry],
        parent: PageId,
        out: &mut Vec<Placed>,
        trail: &str,
    ) {
        for e in entries {
            match e {
                Entry::External { title, url } => out.push(Placed::link(title, url)),
                Entry::Page { path, title } => {
                    let Some(&id) = self.by_rel.get(path.as_str()) else {
                        // MkDocs lists it as a link all the same; a link
                        // to a Markdown file that is not built leads nowhere.
                        if !path.ends_with(".md") {
                            out.push(Placed::link(title, path));
                        }
                        self.warnings.push(Finding {
                            rule: "nav-missing".into(),
                            severity: Severity::Warning,
                            page: self.shown.to_string(),
                            line: line_of_text(self.text, path),
                            col: None,
                            target: Some(path.clone()),
                            message: format!("`nav` names {path}, which is not in the docs folder"),
                            suggestion: None,
                        });
                        continue;
                    };
                    let first = self.named.insert(id);
                    if let Some(t) = title.as_ref().filter(|_| first) {
                        pages[id].name_as(t);
                    }
                    if id == self.home {
                        // The home page heads the navigation where `nav` lists it.
                        if parent == self.home
                            && !out.iter().any(|p| matches!(p, Placed::Page(x) if *x == id))
                        {
                            out.push(Placed::Page(id));
                        }
                        continue;
                    }
                    // A page `nav` lists twice keeps its first place.
                    if std::mem::replace(&mut self.used[id], true) {
                        continue;
                    }
                    pages[id].parent = Some(parent);
                    out.push(Placed::Page(id));
                }
                Entry::Section {
                    title,
                    entries,
                    folder,
                } => {
                    // A group whose first entry is its folder's index page
                    // (`- Guide: [guide/index.md, guide/a.md]`) is that
                    // page, not one made up beside it at another address.
                    let index = match entries.first() {
                        Some(Entry::Page { path, .. })
                            if SECTION_FILES
                                .iter()
                                .any(|f| path == f || path.ends_with(&format!("/{f}"))) =>
                        {
                            self.by_rel
                                .get(path.as_str())
                                .copied()
                                .filter(|&id| id != self.home && !self.used[id])
                        }
                        _ => None,
                    };
                    let (id, rest) = match index {
                        Some(id) => {
                            self.used[id] = true;
                            // Its own entry may title it (`- Overview: guide/index.md`).
                            let own = match entries.first() {
                                Some(Entry::Page { title: Some(own), .. }) => Some(own),
                                _ => None,
                            };
                            if let Some(own) = own
                                && self.named.insert(id)
                            {
                                pages[id].name_as(own);
                            }
                            if let Some(title) = title {
                                // section-index gives the group's title to an
                                // index page its own entry does not title.
                                if self.section_index && own.is_none() {
                                    pages[id].name_as(title);
                                } else {
                                    pages[id].folder_title = Some(title.clone());
                                }
                            } else if let Some(folder) = folder {
                                // MkDocs shows the folder by its name.
                                let name = folder.rsplit('/').next().unwrap_or(folder);
                                pages[id].folder_title = Some(dirname_to_title(name));
                            }
                            pages[id].is_section = true;
                            (id, &entries[1..])
                        }
                        None => (
                            self.section_page(pages, title.as_deref(), entries, folder.as_deref(), trail),
                            &entries[..],
                        ),
                    };
                    pages[id].parent = Some(parent);
                    out.push(Placed::Page(id));
                    let mut placed = Vec::new();
                    // Pages made up below are named after the group's title.
                    let group = match (index, title) {
                        (Some(_), Some(title)) => title,
                        _ => &pages[id].title,
                    };
                    let trail = format!("{trail}{}/", url_slug(group));
                    self.attach(pages, rest, id, &mut placed, &trail);
                    (pages[id].children, pages[id].nav_links) = children_and_links(placed);
                }
            }
        }
    }

    /// A page standing for a group of `nav`, at an address of its own: the
    /// folder it stands for, else the folder its pages share, else one
    /// named after the title. Untitled, it is its folder's name.
    fn section_page(
        &mut self,
        pages: &mut Vec<Page>,
        title: Option<&str>,
        entries: &[Entry],
        folder: Option<&str>,
        trail: &str,
    ) -> PageId {
        let common = match folder {
            Some(f) => f.to_string(),
            None => {
                let mut dirs: Vec<&str> = Vec::new();
                collect_dirs(entries, &mut dirs);
                common_dir(&dirs)
            }
        };
        let named = title.map_or_else(
            || super::humanise(common.rsplit('/').next().unwrap_or("")),
            str::to_string,
        );
        let slug = url_slug(&named);
        // The shared folder itself when nothing else lives at its address,
        // else a folder named after the title inside it.
        let folder = format!("{common}/index.html");
        let base = if common.is_empty() {
            format!("{trail}{slug}")
        } else {
            format!("{common}/{slug}")
        };
        let mut url = if !common.is_empty() && !self.urls.contains(&folder) {
            folder
        } else {
            format!("{base}/index.html")
        };
        let mut n = 1;
        while self.urls.contains(&url) {
            n += 1;
            url = format!("{base}-{n}/index.html");
        }
        self.urls.insert(url.clone());
        let rel = format!("{}/", url.trim_end_matches("/index.html"));
        let mut page = made_up_section(self.config, &rel, url);
        page.title = named;
        page.id = pages.len();
        pages.push(page);
        self.used.push(true);
        pages.len() - 1
    }
}

/// A title as a folder name: `High Availability` → `high-availability`.
fn url_slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "section".into() } else { out }
}

fn collect_dirs<'a>(entries: &'a [Entry], out: &mut Vec<&'a str>) {
    for e in entries {
        match e {
            Entry::Page { path, .. } => out.push(path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")),
            Entry::Section { entries, .. } => collect_dirs(entries, out),
            Entry::External { .. } => {}
        }
    }
}

/// The longest folder all of `dirs` are in (`a/b`, `a/c` → `a`).
fn common_dir(dirs: &[&str]) -> String {
    let Some(first) = dirs.first() else {
        return String::new();
    };
    let mut parts: Vec<&str> = first.split('/').filter(|s| !s.is_empty()).collect();
    for d in &dirs[1..] {
        let other: Vec<&str> = d.split('/').filter(|s| !s.is_empty()).collect();
        let same = parts.iter().zip(&other).take_while(|(a, b)| a == b).count();
        parts.truncate(same);
    }
    parts.join("/")
}

/// Drops the pages not kept, renumbering every id.
fn compact(loaded: &mut Loaded, keep: &[bool]) {
    if keep.iter().all(|k| *k) {
        return;
    }
    let mut new_id = vec![usize::MAX; keep.len()];
    let mut next = 0;
    for (old, &k) in keep.iter().enumerate() {
        if k {
            new_id[old] = next;
            next += 1;
        }
    }
    let pages = std::mem::take(&mut loaded.pages);
    for (old, mut page) in pages.into_iter().enumerate() {
        if !keep[old] {
            continue;
        }
        page.id = new_id[old];
        page.parent = page.parent.map(|p| new_id[p]).filter(|&p| p != usize::MAX);
        page.children = page
            .children
            .iter()
            .map(|&c| new_id[c])
            .filter(|&c| c != usize::MAX)
            .collect();
        loaded.pages.push(page);
    }
    loaded.home = new_id[loaded.home];
    loaded.nav = std::mem::take(&mut loaded.nav)
        .into_iter()
        .filter_map(|n| match n {
            NavItem::Page(id) => (new_id[id] != usize::MAX).then(|| NavItem::Page(new_id[id])),
            part => Some(part),
        })
        .collect();
}

/// Expands `--8<-- "file"` snippets and `{!file!}` includes in `page`,
/// reading only files inside the project; what cannot be read is a warning
/// and leaves nothing in the page.
/// Expands the includes of `page`; returns the warnings and the files pulled in.
fn expand_includes(
    config: &Config,
    page: &mut Page,
    snippets: bool,
    includes: bool,
) -> (Vec<Finding>, Vec<PathBuf>) {
    let mut warnings = Vec::new();
    let mut pulled = Vec::new();
    if page.source.is_none() || !(page.body.contains("--8<--") || page.body.contains("{!")) {
        return (warnings, pulled);
    }
    let mut out = String::with_capacity(page.body.len());
    let mut lines = super::BodyLines::default();
    let mut block: Option<usize> = None;
    for (i, line) in page.body.split_inclusive('\n').enumerate() {
        let at = page.body_line + i;
        let (before, pulled_before) = (out.len(), pulled.len());
        let t = line.trim();
        'line: {
            if snippets {
                if block.is_some() {
                    if t.starts_with("--8<--") {
                        block = None;
                    } else if !t.is_empty() && !t.starts_with(';') {
                        out.push_str(&read_included(config, page, t, at, &mut warnings, &mut pulled));
                    }
                    break 'line;
                }
                if let Some(rest) = t.strip_prefix("--8<--") {
                    let name = rest.trim().trim_matches(|c| c == '"' || c == '\'');
                    if name.is_empty() {
                        block = Some(at);
                    } else if !name.starts_with(';') {
                        let indent = &line[..line.len() - line.trim_start().len()];
                        for l in read_included(config, page, name, at, &mut warnings, &mut pulled)
                            .split_inclusive('\n')
                        {
                            out.push_str(indent);
                            out.push_str(l);
                        }
                    }
                    break 'line;
                }
            }
            if includes && line.contains("{!") && line.contains("!}") {
                let mut rest = line;
                while let Some(start) = rest.find("{!") {
                    let Some(len) = rest[start + 2..].find("!}") else {
                        break;
                    };
                    out.push_str(&rest[..start]);
                    let name = rest[start + 2..start + 2 + len].trim();
                    let included = read_included(config, page, name, at, &mut warnings, &mut pulled);
                    out.push_str(included.strip_suffix('\n').unwrap_or(&included));
                    rest = &rest[start + 2 + len + 2..];
                }
                out.push_str(rest);
                break 'line;
            }
            out.push_str(line);
        }
        // What this line became: its own text, or what it pulled in.
        lines.wrote(
            &out[before..],
            at,
            pulled.get(pulled_before).map(PathBuf::as_path),
        );
    }
    page.body = out;
    if lines.any_pulled() {
        page.pulled_lines = lines;
    }
    (warnings, pulled)
}

/// The text of included file `name` (relative to the project root, as MkDocs
/// runs from there, or to the page's folder), never outside the project.
fn read_included(
    config: &Config,
    page: &Page,
    name: &str,
    line: usize,
    warnings: &mut Vec<Finding>,
    pulled: &mut Vec<PathBuf>,
) -> String {
    let beside = page.source.as_ref().and_then(|s| s.parent());
    let candidates: Vec<PathBuf> = [Some(config.root.as_path()), beside]
        .into_iter()
        .flatten()
        .map(|dir| dir.join(name))
        .collect();
    super::include::read_first(config, page, name, &candidates, line, warnings, pulled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nav_entries_are_pages_sections_and_links() {
        let yaml: Value = serde_saphyr::from_str(
            "- Overview: index.md\n- basics.md\n- Guide:\n  - guide/a.md\n  - Sub:\n    - Title: guide/sub/b.md\n- Site: https://example.org/\n",
        )
        .unwrap();
        let e = entries(yaml.as_array().unwrap());
        assert_eq!(e.len(), 4);
        assert!(
            matches!(&e[0], Entry::Page { path, title: Some(t) } if path == "index.md" && t == "Overview")
        );
        assert!(matches!(&e[1], Entry::Page { path, title: None } if path == "basics.md"));
        let Entry::Section { title, entries, .. } = &e[2] else {
            panic!("a section")
        };
        assert_eq!(title.as_deref(), Some("Guide"));
        assert_eq!(entries.len(), 2);
        assert!(matches!(&e[3], Entry::External { url, .. } if url.contains("://")));
    }

    #[test]
    fn the_common_folder_of_a_section() {
        assert_eq!(common_dir(&["a/b", "a/c", "a/b/d"]), "a");
        assert_eq!(common_dir(&["a/b", "a/b"]), "a/b");
        assert_eq!(common_dir(&["a", ""]), "");
    }

    #[test]
    fn extensions_are_read_as_a_list_or_as_a_map() {
        let list: Value =
            serde_json::json!({"markdown_extensions": ["toc", {"pymdownx.snippets": {"base_path": "."}}]});
        assert_eq!(
            crate::config::mkdocs_extensions(&list),
            ["toc", "pymdownx.snippets"]
        );
        let map: Value =
            serde_json::json!({"markdown_extensions": {"pymdownx.snippets": {}, "admonition": null}});
        let mut names = crate::config::mkdocs_extensions(&map);
        names.sort();
        assert_eq!(names, ["admonition", "pymdownx.snippets"]);
    }
}
