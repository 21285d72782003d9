//! MkDocs' `awesome-pages` plugin: a `.pages` file in a folder of the docs
//! orders and titles that folder's entries in the navigation — `nav` (with
//! `...` for the entries it does not name), `title`, `hide`, `order`,
//! `sort_type`, `order_by`, `ignore_case`, `collapse` and
//! `collapse_single_pages` — as the plugin makes it when `mkdocs.yml` has
//! no `nav`, or at the `...` of its `nav`. The plugin's options in
//! `mkdocs.yml` are the defaults of every folder. One difference: a
//! folder's index page stays first whatever the order, as vigie makes it
//! the folder's own page.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::{Entry, line_of_text};
use crate::config::Config;
use crate::content::page::{Page, PageId, SECTION_FILES};
use crate::error::{Error, Result};
use crate::report::{Finding, Severity};

/// The plugin's options (`- awesome-pages: {…}` in `mkdocs.yml`).
pub(super) struct Options {
    /// `None`: no folder has one (MkDocs' own navigation without `nav`).
    filename: Option<String>,
    collapse_single_pages: bool,
    sort: Sort,
}

impl Options {
    /// The navigation MkDocs makes of the folders when `mkdocs.yml` has no
    /// `nav` and no plugin changes it: the plugin's, without `.pages` files.
    pub(super) fn folders() -> Options {
        Options {
            filename: None,
            collapse_single_pages: false,
            sort: Sort::default(),
        }
    }

    pub(super) fn read(options: Option<&Value>) -> Options {
        let mut sort = Sort::default();
        if let Some(o) = options {
            sort.read(o);
        }
        let get = |key: &str| options.and_then(|o| o.get(key));
        Options {
            filename: Some(
                get("filename")
                    .and_then(Value::as_str)
                    .unwrap_or(".pages")
                    .to_string(),
            ),
            collapse_single_pages: get("collapse_single_pages")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            sort,
        }
    }
}

/// How a folder's entries are sorted when `order`, `sort_type` or
/// `order_by` says how; else as MkDocs lists them (its pages by name, the
/// index page first, then its folders by name).
#[derive(Clone, Copy, Default)]
struct Sort {
    /// `order: desc` (`Some(true)`) or `asc`; `None`: MkDocs' order.
    desc: Option<bool>,
    /// `sort_type: natural`: `2.md` before `10.md`.
    natural: bool,
    /// `order_by: title`: by the titles shown, not the file names.
    by_title: bool,
    ignore_case: bool,
}

impl Sort {
    fn read(&mut self, v: &Value) {
        match v.get("order").and_then(Value::as_str) {
            Some("asc") => self.desc = Some(false),
            Some("desc") => self.desc = Some(true),
            _ => {}
        }
        if let Some(t) = v.get("sort_type").and_then(Value::as_str) {
            self.natural = t == "natural";
        }
        if let Some(by) = v.get("order_by").and_then(Value::as_str) {
            self.by_title = by == "title";
        }
        if let Some(i) = v.get("ignore_case").and_then(Value::as_bool) {
            self.ignore_case = i;
        }
    }

    /// Whether the entries are sorted at all (`ignore_case` alone does not).
    fn sorts(&self) -> bool {
        self.desc.is_some() || self.natural || self.by_title
    }

    /// The key an entry named `name` (shown as `title`) sorts by.
    fn key(&self, name: &str, title: &str) -> Vec<Part> {
        let text = if self.by_title { title } else { name };
        let text = if self.ignore_case {
            text.to_lowercase()
        } else {
            text.to_string()
        };
        if !self.natural {
            return vec![Part::Text(text)];
        }
        // Runs of digits compare as numbers.
        let mut parts = Vec::new();
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            if digits > 0 {
                let (n, r) = rest.split_at(digits);
                let n = n.trim_start_matches('0');
                parts.push(Part::Number(n.len(), n.to_string()));
                rest = r;
            } else {
                let text = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
                let (t, r) = rest.split_at(text);
                parts.push(Part::Text(t.to_string()));
                rest = r;
            }
        }
        parts
    }
}

/// A piece of a sort key: a number (by its length in digits, then its
/// digits) sorts before text.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Number(usize, String),
    Text(String),
}

/// The docs folder as a tree of its Markdown pages.
#[derive(Default)]
struct Folder {
    /// File name → page.
    files: BTreeMap<String, PageId>,
    folders: BTreeMap<String, Folder>,
}

impl Folder {
    fn of(pages: &[Page]) -> Folder {
        let mut root = Folder::default();
        for p in pages.iter().filter(|p| p.source.is_some()) {
            let mut at = &mut root;
            let mut parts: Vec<&str> = p.rel.split('/').collect();
            let Some(file) = parts.pop() else { continue };
            for d in parts {
                at = at.folders.entry(d.to_string()).or_default();
            }
            at.files.insert(file.to_string(), p.id);
        }
        root
    }

    fn at(&self, path: &str) -> Option<&Folder> {
        path.split('/')
            .filter(|s| !s.is_empty())
            .try_fold(self, |f, d| f.folders.get(d))
    }
}

/// What a `.pages` file says of its folder.
#[derive(Default)]
struct Meta {
    title: Option<String>,
    nav: Option<Vec<Value>>,
    hide: bool,
    collapse: Option<bool>,
    collapse_single_pages: Option<bool>,
    sort: Sort,
    /// The file as the reader names it, and its text (for lines).
    shown: String,
    text: String,
}

/// One of a folder's entries: a page, or a folder.
#[derive(Clone)]
enum Item {
    Page { name: String, id: PageId },
    Folder { name: String, path: String },
}

impl Item {
    fn name(&self) -> &str {
        match self {
            Item::Page { name, .. } | Item::Folder { name, .. } => name,
        }
    }
}

/// Makes the navigation of the docs folder from its `.pages` files.
pub(super) struct Maker<'a> {
    config: &'a Config,
    pages: &'a [Page],
    opts: Options,
    root: Folder,
    pub(super) warnings: Vec<Finding>,
}

impl<'a> Maker<'a> {
    pub(super) fn new(config: &'a Config, pages: &'a [Page], opts: Options) -> Maker<'a> {
        Maker {
            config,
            root: Folder::of(pages),
            pages,
            opts,
            warnings: Vec::new(),
        }
    }

    /// The navigation of the whole docs folder.
    pub(super) fn nav(&mut self) -> Result<Vec<Entry>> {
        let single = self.opts.collapse_single_pages;
        let meta = self.meta("")?;
        self.entries("", &meta, single, &HashSet::new())
    }

    /// What the `...` of `mkdocs.yml`'s `nav` stands for: the docs folder's
    /// navigation without the pages that `nav` names.
    pub(super) fn rest_of(&mut self, nav: &[Entry]) -> Result<Vec<Entry>> {
        let mut named = HashSet::new();
        named_pages(nav, &mut named);
        let single = self.opts.collapse_single_pages;
        let meta = self.meta("")?;
        self.entries("", &meta, single, &named)
    }

    /// Reads the `.pages` file of the folder at `path`, if it has one.
    fn meta(&self, path: &str) -> Result<Meta> {
        let mut meta = Meta {
            sort: self.opts.sort,
            ..Meta::default()
        };
        let Some(name) = &self.opts.filename else {
            return Ok(meta);
        };
        let file = self.config.content_root.join(path).join(name);
        if !file.is_file() {
            return Ok(meta);
        }
        super::inside(self.config, &file)?;
        let text = crate::confine::read_text_limited(&file, crate::confine::PAGE_LIMIT, "navigation file")?;
        let value: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_saphyr::from_str(&text).map_err(|e| {
                let (line, message) = crate::error::yaml_problem(&e.to_string());
                Error::Config {
                    path: file.clone(),
                    line: line.unwrap_or(1),
                    message: format!(
                        "not valid YAML (the awesome-pages plugin would not read it either): {message}"
                    ),
                }
            })?
        };
        meta.shown = self.config.display_path(&file);
        meta.title = value.get("title").and_then(Value::as_str).map(String::from);
        meta.nav = value
            .get("nav")
            .or_else(|| value.get("arrange"))
            .and_then(Value::as_array)
            .cloned();
        meta.hide = value.get("hide").and_then(Value::as_bool).unwrap_or(false);
        meta.collapse = value.get("collapse").and_then(Value::as_bool);
        meta.collapse_single_pages = value.get("collapse_single_pages").and_then(Value::as_bool);
        meta.sort.read(&value);
        meta.text = text;
        Ok(meta)
    }

    /// The entries of the folder at `path` (described by `meta`), leaving
    /// out the pages of `named`.
    fn entries(
        &mut self,
        path: &str,
        meta: &Meta,
        single: bool,
        named: &HashSet<String>,
    ) -> Result<Vec<Entry>> {
        let single = meta.collapse_single_pages.unwrap_or(single);
        let items = self.items(path, meta);
        let Some(nav) = &meta.nav else {
            let mut out = Vec::new();
            for item in &items {
                self.push_item(item, None, single, named, &mut out)?;
            }
            return Ok(out);
        };
        // The entries `nav` does not name go to its `...` (in its groups
        // too): each to the first whose pattern its name matches, else to
        // the one without a pattern, as the plugin shares them out.
        let mut mentioned = HashSet::new();
        let mut rests = Vec::new();
        read_nav(nav, &mut mentioned, &mut rests);
        let mut shares: Vec<Vec<Item>> = vec![Vec::new(); rests.len()];
        for item in items.into_iter().filter(|i| !mentioned.contains(i.name())) {
            if let Some(r) = rest_for(&rests, item.name()) {
                shares[r].push(item);
            }
        }
        let mut at = Listing {
            path,
            meta,
            single,
            named,
            shares,
            next: 0,
        };
        let mut out = Vec::new();
        for v in nav {
            self.nav_entry(&mut at, v, &mut out)?;
        }
        Ok(out)
    }

    /// One entry of a `.pages` `nav`.
    fn nav_entry(&mut self, at: &mut Listing<'_>, v: &Value, out: &mut Vec<Entry>) -> Result<()> {
        let (title, target) = match v {
            Value::String(s) if Rest::parse(s).is_some() => {
                let share = at.shares.get_mut(at.next).map(std::mem::take).unwrap_or_default();
                at.next += 1;
                for item in &share {
                    self.push_item(item, None, at.single, at.named, out)?;
                }
                return Ok(());
            }
            Value::String(s) => (None, s.trim().to_string()),
            Value::Object(m) => match m.iter().next() {
                Some((t, Value::String(s))) => (Some(t.clone()), s.trim().to_string()),
                Some((t, Value::Array(list))) => {
                    // A group of the folder's entries under a title of its own.
                    let mut inner = Vec::new();
                    for v in list {
                        self.nav_entry(at, v, &mut inner)?;
                    }
                    out.push(Entry::Section {
                        title: Some(t.clone()),
                        entries: inner,
                        folder: None,
                    });
                    return Ok(());
                }
                _ => return Ok(()),
            },
            _ => return Ok(()),
        };
        if !crate::content::resolve::is_site_path(&target) {
            out.push(Entry::External { title, url: target });
            return Ok(());
        }
        match self.item_at(at.path, &target) {
            Some(item) => self.push_item(&item, title, at.single, at.named, out),
            // A titled entry that is no page nor folder of the folder is a
            // link, as the plugin lists it (not one to a missing page).
            None if title.is_some() && !target.ends_with(".md") => {
                out.push(Entry::External { title, url: target });
                Ok(())
            }
            None => {
                self.warnings.push(Finding {
                    rule: "nav-missing".into(),
                    severity: Severity::Warning,
                    page: at.meta.shown.clone(),
                    line: line_of_text(&at.meta.text, &target),
                    col: None,
                    target: Some(target.clone()),
                    message: format!("`nav` names {target}, which is not in this folder"),
                    suggestion: None,
                });
                Ok(())
            }
        }
    }

    /// The page or folder of the folder at `path` named `name`.
    fn item_at(&self, path: &str, name: &str) -> Option<Item> {
        let folder = self.root.at(path)?;
        if let Some(&id) = folder.files.get(name) {
            return Some(Item::Page {
                name: name.to_string(),
                id,
            });
        }
        folder.folders.contains_key(name).then(|| Item::Folder {
            name: name.to_string(),
            path: join(path, name),
        })
    }

    /// The entries of the folder at `path`, in the order its `.pages` sorts
    /// them, else in MkDocs' order.
    fn items(&self, path: &str, meta: &Meta) -> Vec<Item> {
        let Some(folder) = self.root.at(path) else {
            return Vec::new();
        };
        let mut items: Vec<Item> = folder
            .files
            .iter()
            .map(|(name, &id)| Item::Page {
                name: name.clone(),
                id,
            })
            .chain(folder.folders.keys().map(|name| Item::Folder {
                name: name.clone(),
                path: join(path, name),
            }))
            .collect();
        let is_index =
            |i: &Item| matches!(i, Item::Page { name, .. } if SECTION_FILES.contains(&name.as_str()));
        let sort = meta.sort;
        if !sort.sorts() {
            // MkDocs' order: pages (the index first) before folders, by name.
            items.sort_by_key(|i| (matches!(i, Item::Folder { .. }), !is_index(i)));
            return items;
        }
        items.sort_by_cached_key(|i| {
            let title = match i {
                Item::Page { id, .. } => self.pages[*id].title.clone(),
                Item::Folder { path, name } => self
                    .meta(path)
                    .ok()
                    .and_then(|m| m.title)
                    .unwrap_or_else(|| crate::content::humanise(name)),
            };
            (!is_index(i), sort.key(i.name(), &title))
        });
        if sort.desc == Some(true) {
            // The index page stays first: vigie makes it the folder's page.
            let start = usize::from(items.first().is_some_and(is_index));
            items[start..].reverse();
        }
        items
    }

    /// Pushes what `item` becomes in the navigation (titled `title` when
    /// `nav` titles it, unless its own `.pages` does): a page, or its
    /// folder's group — none for a hidden or empty folder, and its one
    /// entry for a folder collapsed.
    fn push_item(
        &mut self,
        item: &Item,
        title: Option<String>,
        single: bool,
        named: &HashSet<String>,
        out: &mut Vec<Entry>,
    ) -> Result<()> {
        match item {
            Item::Page { id, .. } => {
                if !named.contains(&self.pages[*id].rel) {
                    out.push(Entry::Page {
                        path: self.pages[*id].rel.clone(),
                        title,
                    });
                }
            }
            Item::Folder { path, .. } => {
                let meta = self.meta(path)?;
                if meta.hide {
                    return Ok(());
                }
                let entries = self.entries(path, &meta, single, named)?;
                if entries.is_empty() {
                    return Ok(());
                }
                let collapse = meta
                    .collapse
                    .unwrap_or(meta.collapse_single_pages.unwrap_or(single));
                if collapse && entries.len() == 1 {
                    out.extend(entries);
                    return Ok(());
                }
                out.push(Entry::Section {
                    title: meta.title.or(title),
                    entries,
                    folder: Some(path.clone()),
                });
            }
        }
        Ok(())
    }
}

/// A folder's `nav` being listed: where its entries are, and what each of
/// its `...` (in order) lists.
struct Listing<'a> {
    path: &'a str,
    meta: &'a Meta,
    single: bool,
    named: &'a HashSet<String>,
    shares: Vec<Vec<Item>>,
    next: usize,
}

/// A `...` of a `nav`: `... | glob=*.md` (or `... | *.md`),
/// `... | regex=^guide`; `... | flat` (in `mkdocs.yml`'s `nav`: the pages
/// without their folders).
pub(super) struct Rest {
    pub(super) flat: bool,
    filter: Option<Filter>,
}

enum Filter {
    Glob(globset::GlobMatcher),
    Regex(regex::Regex),
}

impl Rest {
    pub(super) fn parse(s: &str) -> Option<Rest> {
        let mut parts = s.split('|').map(str::trim);
        if parts.next()? != "..." {
            return None;
        }
        let mut rest = Rest {
            flat: false,
            filter: None,
        };
        for p in parts {
            if p == "flat" {
                rest.flat = true;
            } else if let Some(g) = p.strip_prefix("glob=") {
                rest.filter = glob(g.trim());
            } else if let Some(r) = p.strip_prefix("regex=") {
                rest.filter = regex::Regex::new(r.trim()).ok().map(Filter::Regex);
            } else if !p.is_empty() {
                rest.filter = glob(p);
            }
        }
        Some(rest)
    }

    /// Whether the entry at `path` is of this `...`: in `.pages`, the
    /// entry's name; in `mkdocs.yml`, its path in the docs folder.
    fn matches(&self, name: &str) -> bool {
        match &self.filter {
            Some(Filter::Glob(g)) => g.is_match(name),
            Some(Filter::Regex(r)) => r.is_match(name),
            None => true,
        }
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}/{name}")
    }
}

/// The names `nav` gives (in its groups too), and its `...` in order.
fn read_nav(nav: &[Value], names: &mut HashSet<String>, rests: &mut Vec<Rest>) {
    for v in nav {
        match v {
            Value::String(s) => match Rest::parse(s) {
                Some(r) => rests.push(r),
                None => {
                    names.insert(s.trim().to_string());
                }
            },
            Value::Object(m) => match m.iter().next() {
                Some((_, Value::String(s))) => {
                    names.insert(s.trim().to_string());
                }
                Some((_, Value::Array(list))) => read_nav(list, names, rests),
                _ => {}
            },
            _ => {}
        }
    }
}

/// The paths of the pages `nav` names.
fn named_pages(nav: &[Entry], out: &mut HashSet<String>) {
    for e in nav {
        match e {
            Entry::Page { path, .. } => {
                out.insert(path.clone());
            }
            Entry::Section { entries, .. } => named_pages(entries, out),
            Entry::External { .. } => {}
        }
    }
}

/// Which of `rests` the entry `name` goes to, as the plugin shares them
/// out: the first whose filter it matches, those with a filter tried
/// first, else the one without.
fn rest_for(rests: &[Rest], name: &str) -> Option<usize> {
    let filtered = (0..rests.len()).filter(|&r| rests[r].filter.is_some());
    let plain = (0..rests.len()).filter(|&r| rests[r].filter.is_none());
    filtered.chain(plain).find(|&r| rests[r].matches(name))
}

/// A `...`'s glob: `*` stays within a folder, `**` crosses them.
fn glob(pattern: &str) -> Option<Filter> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .ok()
        .map(|g| Filter::Glob(g.compile_matcher()))
}

/// What `nav` does not name (`rest`, as [`Maker::rest_of`] lists it),
/// shared among the `...` of `mkdocs.yml`'s `nav` (`rests`, in order) as
/// the plugin shares it: each page goes to the first `...` whose filter
/// its path matches, those with a filter tried first; a folder goes, with
/// the pages it has of each, to every `...` that has some (without it for
/// `... | flat`). Links are no page: they go.
pub(super) fn share(rest: Vec<Entry>, rests: &[Rest]) -> Vec<Vec<Entry>> {
    let mut shares: Vec<Vec<Entry>> = rests.iter().map(|_| Vec::new()).collect();
    share_into(rest, rests, &mut shares);
    shares
}

fn share_into(entries: Vec<Entry>, rests: &[Rest], shares: &mut [Vec<Entry>]) {
    for e in entries {
        match e {
            Entry::Page { ref path, .. } => {
                if let Some(r) = rest_for(rests, path) {
                    shares[r].push(e);
                }
            }
            Entry::Section {
                title,
                entries,
                folder,
            } => {
                let mut inner: Vec<Vec<Entry>> = rests.iter().map(|_| Vec::new()).collect();
                share_into(entries, rests, &mut inner);
                for (r, children) in inner.into_iter().enumerate() {
                    if children.is_empty() {
                        continue;
                    }
                    if rests[r].flat {
                        shares[r].extend(children);
                    } else {
                        shares[r].push(Entry::Section {
                            title: title.clone(),
                            entries: children,
                            folder: folder.clone(),
                        });
                    }
                }
            }
            Entry::External { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_reads_numbers_as_numbers() {
        let sort = Sort {
            natural: true,
            ..Sort::default()
        };
        let mut names = vec!["10-fin.md", "2-suite.md", "1-debut.md", "b.md", "a.md"];
        names.sort_by_key(|n| sort.key(n, n));
        assert_eq!(names, ["1-debut.md", "2-suite.md", "10-fin.md", "a.md", "b.md"]);
        let plain = Sort::default();
        names.sort_by_key(|n| plain.key(n, n));
        assert_eq!(names, ["1-debut.md", "10-fin.md", "2-suite.md", "a.md", "b.md"]);
    }

    #[test]
    fn a_rest_is_three_dots_with_options() {
        let r = Rest::parse("... | flat | glob=*.md").expect("a rest");
        assert!(r.flat);
        assert!(r.matches("page.md") && !r.matches("dossier"));
        let r = Rest::parse("...|regex=^guide").expect("a rest");
        assert!(!r.flat && r.matches("guide-a.md") && !r.matches("a-guide.md"));
        let r = Rest::parse("... | *.pdf").expect("a rest");
        assert!(r.matches("plan.pdf") && !r.matches("plan.md"));
        assert!(Rest::parse("page.md").is_none());
        assert!(Rest::parse("....md").is_none());
    }

    #[test]
    fn an_entry_goes_to_the_first_rest_whose_filter_it_matches_the_plain_one_last() {
        let rests: Vec<Rest> = ["...", "... | glob=b-*", "... | regex=^c", "... | glob=*.md"]
            .iter()
            .map(|r| Rest::parse(r).expect("a rest"))
            .collect();
        assert_eq!(rest_for(&rests, "b-two.md"), Some(1));
        assert_eq!(rest_for(&rests, "c-three.md"), Some(2));
        assert_eq!(rest_for(&rests, "a-one.md"), Some(3));
        // `*` stays within its folder: a page of a folder is the plain one's.
        assert_eq!(rest_for(&rests, "guide/a.md"), Some(0));
        assert_eq!(rest_for(&rests[1..], "guide/a.md"), None);
    }
}
