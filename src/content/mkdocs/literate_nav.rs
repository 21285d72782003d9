//! MkDocs' `literate-nav` plugin: the navigation written as a Markdown list
//! in `SUMMARY.md` (its `nav_file`), as the plugin reads it when the docs
//! folder has one or `mkdocs.yml` has no `nav`:
//!
//! - `* [Title](page.md)` is a page, `* [Title](https://…)` a link;
//! - `* Title` over a nested list is a group; `* [Title](guide/index.md)`
//!   over one, a group led by that page;
//! - `* [Title](folder/)` is the folder's own `SUMMARY.md`, else its pages;
//! - `* *.md`, `* guide/*` are the pages and folders the pattern matches
//!   that the list does not name elsewhere;
//! - a folder without a `SUMMARY.md` lists its pages, then its folders,
//!   each by name (its index page first), as MkDocs lists them;
//! - without a `SUMMARY.md` in the docs folder, `mkdocs.yml`'s own `nav`
//!   is the navigation, its `- Title: folder/` and patterns read the same
//!   way ([`Maker::expand`]).
//!
//! The list read is the last of the file, or the first after a
//! `<!--nav-->` line. `implicit_index: true` puts a folder's index page
//! first in its group. A list nests in another only when it is indented by
//! the plugin's `tab_length` (4 spaces) or more, as Python-Markdown reads
//! lists: one indented by 2 is read as more entries of the list above, and
//! said.

use std::collections::{BTreeSet, HashSet};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde_json::Value;

use super::{Entry, dirname_to_title, line_of_text};
use crate::config::Config;
use crate::content::page::{Page, SECTION_FILES};
use crate::error::Result;
use crate::report::{Finding, Severity};

/// The plugin's options (`- literate-nav: {…}` in `mkdocs.yml`).
pub(super) struct Options {
    nav_file: String,
    implicit_index: bool,
    /// The indentation, in spaces, that nests a list in another.
    tab_length: usize,
}

impl Options {
    pub(super) fn read(options: Option<&Value>) -> Options {
        let get = |key: &str| options.and_then(|o| o.get(key));
        Options {
            nav_file: get("nav_file")
                .and_then(Value::as_str)
                .unwrap_or("SUMMARY.md")
                .to_string(),
            implicit_index: get("implicit_index").and_then(Value::as_bool).unwrap_or(false),
            tab_length: get("tab_length")
                .and_then(Value::as_u64)
                .filter(|&n| n > 0)
                .map_or(4, |n| n as usize),
        }
    }
}

/// A nav file being read: its name as the reader knows it, and its text.
struct NavFile<'t> {
    shown: &'t str,
    text: &'t str,
}

/// One item of a nav file's list.
#[derive(Debug, Default)]
struct Item {
    /// 1-based line in the nav file.
    line: usize,
    /// The item's text, or its link's text.
    title: String,
    link: Option<String>,
    children: Option<Vec<Item>>,
    /// Column of its list marker.
    col: usize,
    /// The list written under it but indented too little to nest, whose
    /// items follow it instead: its first item's line and title, and its
    /// indentation under this item's marker.
    unnested: Option<(usize, String, usize)>,
}

/// Makes the navigation from the docs folder's nav files.
pub(super) struct Maker<'a> {
    config: &'a Config,
    opts: Options,
    /// The pages' paths in MkDocs' order (a folder's pages, its index
    /// first, then its folders), and every folder holding a page.
    files: Vec<String>,
    /// The same, to look one up.
    known: HashSet<String>,
    dirs: BTreeSet<String>,
    /// What a list names or a pattern gave already: patterns skip them.
    seen: HashSet<String>,
    pub(super) warnings: Vec<Finding>,
    /// The nav files read: a change to one changes every page's navigation.
    pub(super) read: Vec<std::path::PathBuf>,
}

impl<'a> Maker<'a> {
    pub(super) fn new(config: &'a Config, pages: &[Page], opts: Options) -> Maker<'a> {
        let mut files: Vec<String> = pages
            .iter()
            .filter(|p| p.source.is_some())
            .map(|p| p.rel.clone())
            .collect();
        files.sort_by_cached_key(|f| {
            let (dir, name) = f.rsplit_once('/').unwrap_or(("", f));
            let parts: Vec<String> = dir
                .split('/')
                .filter(|d| !d.is_empty())
                .map(String::from)
                .collect();
            (parts, !SECTION_FILES.contains(&name), name.to_string())
        });
        let mut dirs = BTreeSet::new();
        for f in &files {
            let mut d = f.as_str();
            while let Some((parent, _)) = d.rsplit_once('/') {
                dirs.insert(parent.to_string());
                d = parent;
            }
        }
        Maker {
            config,
            opts,
            known: files.iter().cloned().collect(),
            files,
            dirs,
            seen: HashSet::new(),
            warnings: Vec::new(),
            read: Vec::new(),
        }
    }

    /// Whether the docs folder has a nav file of its own.
    pub(super) fn has_root_file(&self) -> bool {
        self.config.content_root.join(&self.opts.nav_file).is_file()
    }

    /// The navigation of the docs folder.
    pub(super) fn nav(&mut self) -> Result<Vec<Entry>> {
        self.folder_nav("", &mut vec![String::new()])
    }

    /// The navigation of the folder `dir` ("" for the docs folder): from
    /// its nav file, else its pages and folders. `within`: the folders
    /// whose nav is being made, which a nav file may not lead back to.
    fn folder_nav(&mut self, dir: &str, within: &mut Vec<String>) -> Result<Vec<Entry>> {
        let file = self.config.content_root.join(dir).join(&self.opts.nav_file);
        if file.is_file() {
            super::inside(self.config, &file)?;
            let text =
                crate::confine::read_text_limited(&file, crate::confine::PAGE_LIMIT, "navigation file")?;
            self.read
                .push(file.canonicalize().unwrap_or_else(|_| file.clone()));
            if let Some(items) = nav_list(&text).map(|items| unnest(items, self.opts.tab_length)) {
                let shown = self.config.display_path(&file);
                self.seen.insert(join(dir, &self.opts.nav_file));
                mark_seen(&items, dir, &mut self.seen);
                let mut out = Vec::new();
                if self.opts.implicit_index
                    && let Some(index) = self.index_of(dir)
                    && self.seen.insert(index.clone())
                {
                    out.push(Entry::Page {
                        path: index,
                        title: None,
                    });
                }
                let nav_file = NavFile {
                    shown: &shown,
                    text: &text,
                };
                for item in &items {
                    self.item(item, dir, &nav_file, within, &mut out)?;
                }
                return Ok(out);
            }
        }
        self.pattern(dir, "*", within)
    }

    /// `mkdocs.yml`'s `nav` as the plugin reads it when the docs folder has
    /// no nav file of its own: `- Title: folder/` is that folder's
    /// navigation (its nav file, else its pages) under that title; `*.md`
    /// and `- Title: guide/*` are the pages and folders the pattern matches
    /// that `nav` names nowhere else (under that title). As the plugin reads
    /// it: each list's pages are named before its folders and patterns are
    /// read, in order; a group left with nothing in it goes; a pattern that
    /// matches nothing stays, said missing.
    pub(super) fn expand(&mut self, nav: Vec<Entry>) -> Result<Vec<Entry>> {
        for e in &nav {
            if let Entry::Page { path, .. } = e
                && !path.contains('*')
                && !path.ends_with('/')
            {
                self.seen.insert(normal(path));
            }
        }
        let mut out = Vec::with_capacity(nav.len());
        for e in nav {
            match e {
                Entry::Page {
                    path,
                    title: Some(title),
                } if path.ends_with('/') && self.dirs.contains(normal(&path).trim_end_matches('/')) => {
                    let dir = normal(&path).trim_end_matches('/').to_string();
                    self.seen.insert(dir.clone());
                    let entries = self.folder_nav(&dir, &mut vec![String::new(), dir.clone()])?;
                    if !entries.is_empty() {
                        out.push(Entry::Section {
                            title: Some(title),
                            entries,
                            folder: Some(dir),
                        });
                    }
                }
                Entry::Page { path, title } if path.contains('*') && self.matches_anything(&path) => {
                    let found = self.pattern("", &path, &mut vec![String::new()])?;
                    match title {
                        Some(_) if found.is_empty() => {}
                        Some(title) => out.push(Entry::Section {
                            title: Some(title),
                            entries: found,
                            folder: None,
                        }),
                        None => out.extend(found),
                    }
                }
                Entry::Section {
                    title,
                    entries,
                    folder,
                } => {
                    let entries = self.expand(entries)?;
                    if !entries.is_empty() {
                        out.push(Entry::Section {
                            title,
                            entries,
                            folder,
                        });
                    }
                }
                other => out.push(other),
            }
        }
        Ok(out)
    }

    /// Whether `pattern` (from the docs folder) matches any page or folder,
    /// named already or not.
    fn matches_anything(&self, pattern: &str) -> bool {
        matcher("", pattern).is_some_and(|matches| self.files.iter().chain(&self.dirs).any(|p| matches(p)))
    }

    /// What one item of a nav file becomes, pushed on `out`.
    fn item(
        &mut self,
        item: &Item,
        dir: &str,
        file: &NavFile<'_>,
        within: &mut Vec<String>,
        out: &mut Vec<Entry>,
    ) -> Result<()> {
        let title = Some(item.title.clone()).filter(|t| !t.is_empty());
        let lead = match &item.link {
            // A group without a page of its own.
            None if item.children.is_some() => None,
            None if item.title.contains('*') => {
                // `mkdocs build` says it too, and lists the pattern as a link.
                if !self.matches_anything(&join(dir, &item.title)) {
                    self.warn(
                        file.shown,
                        item.line,
                        &item.title,
                        format!(
                            "the navigation's pattern `{}` matches no page or folder in the docs folder",
                            item.title
                        ),
                    );
                }
                out.extend(self.pattern(dir, &item.title, within)?);
                return Ok(());
            }
            None if item.unnested.is_some() => {
                let spaces = item.unnested.as_ref().map_or(0, |u| u.2);
                self.warn(
                    file.shown,
                    item.line,
                    &item.title,
                    format!(
                        "`{}` in the navigation has no page and nothing under it: the list below it is indented by {spaces} space(s), and MkDocs' literate-nav nests a list only when it is indented by {tab}; indent it by {tab} spaces",
                        item.title,
                        tab = self.opts.tab_length
                    ),
                );
                return Ok(());
            }
            None => {
                self.warn(
                    file.shown,
                    item.line,
                    &item.title,
                    format!(
                        "`{}` in the navigation is no page nor group: write it `[{}](page.md)`",
                        item.title, item.title
                    ),
                );
                return Ok(());
            }
            Some(link) if !crate::content::resolve::is_site_path(link) => Some(Entry::External {
                title: title.clone(),
                url: link.clone(),
            }),
            Some(link) => self.linked(link, title.clone(), item.line, dir, file, within)?,
        };
        if let Some((line, first, spaces)) = &item.unnested
            && item.link.is_some()
        {
            self.warn(
                file.shown,
                *line,
                first,
                format!(
                    "`{first}` is indented by {spaces} space(s) under `{}`: MkDocs' literate-nav nests a list only when it is indented by {tab}, so it shows `{first}` beside `{}`, not under it; indent it by {tab} spaces",
                    item.title,
                    item.title,
                    tab = self.opts.tab_length
                ),
            );
        }
        match &item.children {
            Some(children) => {
                let mut entries: Vec<Entry> = lead.into_iter().collect();
                for c in children {
                    self.item(c, dir, file, within, &mut entries)?;
                }
                out.push(Entry::Section {
                    title,
                    entries,
                    folder: None,
                });
            }
            None => out.extend(lead),
        }
        Ok(())
    }

    /// What a link of a nav file in folder `dir` leads to: a folder's
    /// navigation, a page, or nothing (said) when the docs have neither.
    fn linked(
        &mut self,
        link: &str,
        title: Option<String>,
        line: usize,
        dir: &str,
        file: &NavFile<'_>,
        within: &mut Vec<String>,
    ) -> Result<Option<Entry>> {
        let path = normal(&join(dir, link)).trim_end_matches('/').to_string();
        if link.ends_with('/') && self.dirs.contains(&path) {
            // A folder: its own nav file, else its pages.
            let entries = if within.contains(&path) {
                Vec::new()
            } else {
                within.push(path.clone());
                let nav = self.folder_nav(&path, within);
                within.pop();
                nav?
            };
            return Ok(Some(Entry::Section {
                title,
                entries,
                folder: Some(path),
            }));
        }
        if self.known.contains(&path) {
            return Ok(Some(Entry::Page { path, title }));
        }
        self.warn(
            file.shown,
            line_of_text(file.text, link).max(line),
            link,
            format!("the navigation names {link}, which is not in the docs folder"),
        );
        Ok(None)
    }

    /// The pages and folders of `dir` that `pattern` matches (`*`, `*.md`,
    /// `guide/*`), but for those named already: pages, then folders (each
    /// its own group, titled by its name), in MkDocs' order.
    fn pattern(&mut self, dir: &str, pattern: &str, within: &mut Vec<String>) -> Result<Vec<Entry>> {
        let folders_only = pattern.trim().ends_with('/');
        let Some(matches) = matcher(dir, pattern) else {
            return Ok(Vec::new());
        };
        let files: Vec<String> = if folders_only {
            Vec::new()
        } else {
            self.files.iter().filter(|p| matches(p)).cloned().collect()
        };
        let dirs: Vec<String> = self.dirs.iter().filter(|p| matches(p)).cloned().collect();
        let mut out = Vec::new();
        for f in files {
            if self.seen.insert(f.clone()) {
                out.push(Entry::Page { path: f, title: None });
            }
        }
        for d in dirs {
            if self.seen.contains(&d) || within.contains(&d) {
                continue;
            }
            within.push(d.clone());
            let entries = self.folder_nav(&d, within);
            within.pop();
            let entries = entries?;
            self.seen.insert(d.clone());
            if !entries.is_empty() {
                out.push(Entry::Section {
                    title: Some(dirname_to_title(d.rsplit('/').next().unwrap_or(&d))),
                    entries,
                    folder: Some(d),
                });
            }
        }
        Ok(out)
    }

    /// The index page of folder `dir`, if it has one.
    fn index_of(&self, dir: &str) -> Option<String> {
        SECTION_FILES
            .iter()
            .map(|f| join(dir, f))
            .find(|p| self.known.contains(p))
    }

    fn warn(&mut self, shown: &str, line: usize, target: &str, message: String) {
        self.warnings.push(Finding {
            rule: "nav-missing".into(),
            severity: Severity::Warning,
            page: shown.to_string(),
            line,
            col: None,
            target: Some(target.to_string()),
            message,
            suggestion: None,
        });
    }
}

/// Whether a path of the docs folder is one the pattern `pattern` of a nav
/// file in folder `dir` matches: as many parts, each matched (`*` stays
/// within its folder). `None` when the pattern is no glob.
fn matcher(dir: &str, pattern: &str) -> Option<impl Fn(&str) -> bool> {
    let full = normal(&join(dir, pattern.trim().trim_end_matches('/')));
    let glob = globset::GlobBuilder::new(&full)
        .literal_separator(true)
        .build()
        .ok()?
        .compile_matcher();
    let depth = full.split('/').count();
    Some(move |p: &str| p.split('/').count() == depth && glob.is_match(p))
}

/// Marks what `items` link to, from folder `dir`, as named.
fn mark_seen(items: &[Item], dir: &str, seen: &mut HashSet<String>) {
    for item in items {
        if let Some(link) = item
            .link
            .as_deref()
            .filter(|l| crate::content::resolve::is_site_path(l))
        {
            seen.insert(normal(&join(dir, link)).trim_end_matches('/').to_string());
        }
        if let Some(children) = &item.children {
            mark_seen(children, dir, seen);
        }
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `a/./b/../c` → `a/c`, a trailing `/` kept; a `..` above the docs
/// folder stays (`../x.md`: no page of it).
fn normal(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

/// The list of a nav file that is the navigation: the first after a
/// `<!--nav-->` line, else the last; `None` when it has none.
fn nav_list(text: &str) -> Option<Vec<Item>> {
    // `* *` is a pattern, as Python-Markdown reads it, not a list in a list.
    let escaped = lone_star_items(text);
    let text = escaped.as_deref().unwrap_or(text);
    let line_at = |at: usize| text[..at].matches('\n').count() + 1;
    let mut lists: Vec<Vec<Item>> = Vec::new();
    let mut after_marker: Option<usize> = None;
    // Items being read, innermost last; each with the list it is in.
    let mut stack: Vec<Vec<Item>> = Vec::new();
    let mut current: Vec<Item> = Vec::new();
    let mut in_link = false;
    let mut depth = 0usize;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Html(h) | Event::InlineHtml(h) if depth == 0 && h.trim() == "<!--nav-->" => {
                after_marker.get_or_insert(lists.len());
            }
            Event::Start(Tag::List(_)) => {
                depth += 1;
                stack.push(Vec::new());
            }
            Event::End(TagEnd::List(_)) => {
                depth -= 1;
                let list = stack.pop().unwrap_or_default();
                if depth == 0 {
                    lists.push(list);
                } else if let Some(item) = current.last_mut() {
                    item.children = Some(list);
                }
            }
            Event::Start(Tag::Item) => {
                // Its marker: the parser starts an item indented by a tab
                // at the end of the line before.
                let at = range.start
                    + text[range.start..]
                        .find(|c: char| !c.is_whitespace())
                        .unwrap_or(0);
                current.push(Item {
                    line: line_at(at),
                    col: column_at(text, at),
                    ..Item::default()
                })
            }
            Event::End(TagEnd::Item) => {
                if let (Some(item), Some(list)) = (current.pop(), stack.last_mut()) {
                    list.push(item);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(item) = current.last_mut()
                    && item.link.is_none()
                    && item.title.is_empty()
                    && item.children.is_none()
                {
                    item.link = Some(dest_url.to_string());
                    in_link = true;
                }
            }
            Event::End(TagEnd::Link) => in_link = false,
            Event::Text(t) | Event::Code(t) => {
                if let Some(item) = current.last_mut()
                    && item.children.is_none()
                    && (in_link || item.link.is_none())
                {
                    item.title.push_str(&t);
                }
            }
            _ => {}
        }
    }
    match after_marker {
        Some(at) => lists.into_iter().nth(at),
        None => lists.pop(),
    }
}

/// The column of the first character that is not a space on the line of
/// byte `at` (a tab reaching the next multiple of 4).
fn column_at(text: &str, at: usize) -> usize {
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let mut col = 0;
    for c in text[start..].chars() {
        match c {
            ' ' => col += 1,
            '\t' => col += 4 - col % 4,
            _ => break,
        }
    }
    col
}

/// `items` nested as Python-Markdown nests lists: a list written under an
/// item but indented less than `tab` columns from its marker is more items
/// of the item's own list, after it (the item notes it, to say so).
fn unnest(items: Vec<Item>, tab: usize) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    for mut item in items {
        let children = item.children.take().map(|c| unnest(c, tab));
        match children {
            Some(children) if children.first().is_some_and(|c| c.col < item.col + tab) => {
                let first = &children[0];
                item.unnested = Some((
                    first.line,
                    first.title.clone(),
                    first.col.saturating_sub(item.col),
                ));
                out.push(item);
                out.extend(children);
            }
            children => {
                item.children = children;
                out.push(item);
            }
        }
    }
    out
}

/// `text` with the items that are one list marker (`* *`, `- *`) written
/// `* \*`; `None` when it has none.
fn lone_star_items(text: &str) -> Option<String> {
    let lone = |line: &str| {
        let t = line.trim_start();
        let mut parts = t.split_whitespace();
        matches!(parts.next(), Some("*" | "-" | "+")) && parts.next() == Some("*") && parts.next().is_none()
    };
    if !text.lines().any(lone) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        if lone(line) {
            let at = line.rfind('*').unwrap_or(0);
            out.push_str(&line[..at]);
            out.push('\\');
            out.push_str(&line[at..]);
        } else {
            out.push_str(line);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nav_is_the_last_list_or_the_first_after_the_marker() {
        let items = nav_list(
            "# Sommaire\n\n- pas celle-ci\n\nTexte.\n\n* [Accueil](index.md)\n* Guide\n    * [Installer](guide/install.md)\n    * guide/*.md\n* [Ops](ops/)\n",
        )
        .expect("a list");
        assert_eq!(items.len(), 3);
        assert_eq!(
            (items[0].title.as_str(), items[0].link.as_deref()),
            ("Accueil", Some("index.md"))
        );
        assert_eq!(items[1].title, "Guide");
        let children = items[1].children.as_ref().expect("a group");
        assert_eq!(children[0].link.as_deref(), Some("guide/install.md"));
        assert_eq!(
            (children[1].title.as_str(), children[1].link.as_deref()),
            ("guide/*.md", None)
        );
        assert_eq!(items[2].line, 11);
        let star = nav_list("* Autres\n    * *\n").expect("a list");
        assert_eq!(star[0].children.as_ref().map(|c| c[0].title.as_str()), Some("*"));
        let marked = nav_list("- [A](a.md)\n\n<!--nav-->\n\n- [B](b.md)\n\n- [C](c.md)\n").expect("a list");
        assert_eq!(marked[0].link.as_deref(), Some("b.md"));
    }

    #[test]
    fn lists_nest_by_the_plugins_tab_length_as_python_markdown_nests_them() {
        // (title, its entries' titles) at the top of the list.
        fn shape(items: &[Item]) -> Vec<(String, Vec<String>)> {
            items
                .iter()
                .map(|i| {
                    let under = i.children.iter().flatten().map(|c| c.title.clone()).collect();
                    (i.title.clone(), under)
                })
                .collect()
        }
        let text = "* G\n  * a\n  * b\n* H\n    * c\n      * d\n* I\n\t* e\n";
        let flat = unnest(nav_list(text).expect("a list"), 4);
        let want = |list: &[(&str, &[&str])]| -> Vec<(String, Vec<String>)> {
            list.iter()
                .map(|(t, u)| (t.to_string(), u.iter().map(|x| x.to_string()).collect()))
                .collect()
        };
        assert_eq!(
            shape(&flat),
            want(&[
                ("G", &[]),
                ("a", &[]),
                ("b", &[]),
                ("H", &["c", "d"]),
                ("I", &["e"])
            ])
        );
        assert_eq!(flat[0].unnested, Some((2, "a".to_string(), 2)));
        assert_eq!(flat[3].unnested, None);
        assert_eq!(flat[4].children.as_ref().map(|c| c[0].line), Some(8));
        let under_h = flat[3].children.as_ref().expect("c and d");
        assert_eq!(under_h[0].unnested, Some((6, "d".to_string(), 2)));
        // `tab_length: 2`: as CommonMark reads it.
        let two = unnest(nav_list(text).expect("a list"), 2);
        assert_eq!(
            shape(&two)[0],
            ("G".to_string(), vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(column_at("a\n \t* x", 3), 4);
    }

    #[test]
    fn folder_names_and_paths_read_as_mkdocs_reads_them() {
        assert_eq!(dirname_to_title("bien-commencer"), "Bien commencer");
        assert_eq!(dirname_to_title("API_docs"), "API docs");
        assert_eq!(normal("guide/./a/../b.md"), "guide/b.md");
        assert_eq!(normal("ops/"), "ops/");
        assert_eq!(normal("../x.md"), "../x.md");
        assert_eq!(normal("a/../../x.md"), "../x.md");
    }
}
