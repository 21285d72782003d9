//! Reading course definitions: the `course:` table of a page's front matter
//! (usually a training section's `_index.md`) or a `course.toml` beside it.
//! Module and prerequisite paths are written relative to the course's folder
//! and resolved with the link resolver, so `x.md`, `../x/`, `/runbooks/x/`
//! all work as they do in links. Every error names the file and the line.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::duration::{parse_duration, reading_minutes};
use super::{Course, Module};
use crate::content::resolve::{Target, resolve};
use crate::content::{Page, PageId, Site};
use crate::error::{Error, Result};

/// The text a definition was read from, to find the line of each entry.
struct Source<'a> {
    /// As findings name it (relative to the knowledge-base root).
    shown: String,
    text: String,
    /// Line where the definition starts (the `course:` key, or 1).
    start: usize,
    page: &'a Page,
}

impl Source<'_> {
    fn error(&self, line: usize, message: impl Into<String>) -> Error {
        Error::input(Path::new(&self.shown), line, message)
    }

    /// First line at or after `from` that mentions `needle` (a path as written).
    fn line_of(&self, needle: &str, from: usize) -> usize {
        self.text
            .lines()
            .enumerate()
            .skip(from.saturating_sub(1))
            .find(|(_, l)| l.contains(needle))
            .map(|(i, _)| i + 1)
            .unwrap_or(from)
    }

    fn key_line(&self, key: &str) -> usize {
        let from = self.start;
        self.text
            .lines()
            .enumerate()
            .skip(from.saturating_sub(1))
            .find(|(_, l)| {
                let t = l
                    .trim_start()
                    .trim_start_matches('[')
                    .trim_start_matches("course.");
                t.starts_with(key) && t[key.len()..].trim_start().starts_with([':', '=', ']'])
            })
            .map(|(i, _)| i + 1)
            .unwrap_or(from)
    }
}

/// A prerequisite as written, before every course is known.
pub(super) struct PendingPrerequisite {
    pub course: usize,
    pub target: PageId,
    pub line: usize,
    pub written: String,
}

/// Every course of the site, with their prerequisites still to check.
pub(super) fn load_all(site: &Site) -> Result<(Vec<Course>, Vec<PendingPrerequisite>)> {
    let mut courses = Vec::new();
    let mut pending = Vec::new();
    // In reading order, so courses are listed as the navigation shows them.
    let mut seen = vec![false; site.pages.len()];
    let ids: Vec<PageId> = site
        .order
        .iter()
        .copied()
        .chain(0..site.pages.len())
        .filter(|&id| !std::mem::replace(&mut seen[id], true))
        .collect();
    for page in ids.into_iter().map(|id| site.page(id)) {
        let toml_path = course_toml(site, page);
        let source = match (&page.front_matter.course, &toml_path) {
            (Some(_), Some(path)) => {
                return Err(Error::input(
                    Path::new(&page.shown),
                    page.front_matter.line_of("course"),
                    format!(
                        "this course is also defined in {}: keep one of the two definitions",
                        site.config.display_path(path)
                    ),
                ));
            }
            (Some(value), None) => {
                let text = match &page.source {
                    Some(p) => std::fs::read_to_string(p).map_err(|e| Error::read(p, e))?,
                    None => String::new(),
                };
                let source = Source {
                    shown: page.shown.clone(),
                    text,
                    start: page.front_matter.line_of("course"),
                    page,
                };
                (source, value.clone())
            }
            (None, Some(path)) => {
                let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
                let shown = site.config.display_path(path);
                let table: toml::Table = toml::from_str(&text).map_err(|e| Error::Input {
                    path: shown.clone().into(),
                    line: crate::error::toml_line(&text, &e),
                    message: crate::error::toml_words(e.message()),
                })?;
                let mut value = crate::config::toml_to_json(toml::Value::Table(table));
                // `[course]` or the keys at the top level: both read the same.
                if let Some(inner) = value.get("course").cloned() {
                    value = inner;
                }
                let source = Source {
                    shown,
                    text,
                    start: 1,
                    page,
                };
                (source, value)
            }
            (None, None) => continue,
        };
        let (source, value) = source;
        let index = courses.len();
        let (course, prereqs) = definition(site, &source, &value, index)?;
        courses.push(course);
        pending.extend(prereqs);
    }
    Ok((courses, pending))
}

/// `course.toml` beside a section page, if there is one.
fn course_toml(site: &Site, page: &Page) -> Option<std::path::PathBuf> {
    if !page.is_section {
        return None;
    }
    let dir = match &page.source {
        Some(p) => p.parent()?.to_path_buf(),
        None => site.config.content_root.join(page.rel.trim_end_matches('/')),
    };
    let path = dir.join("course.toml");
    path.is_file().then_some(path)
}

fn definition(
    site: &Site,
    src: &Source<'_>,
    value: &Value,
    index: usize,
) -> Result<(Course, Vec<PendingPrerequisite>)> {
    let Value::Object(map) = value else {
        return Err(src.error(
            src.start,
            "`course` must be a table with `modules` (and optionally `audience`, `objectives`, `prerequisites`)",
        ));
    };
    let page = src.page;
    let text = |key: &str| -> Result<Option<String>> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(_) => Err(src.error(src.key_line(key), format!("`{key}` must be text"))),
        }
    };
    let list = |key: &str| -> Result<Vec<String>> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.trim().to_string()]),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.trim().to_string()),
                    _ => Err(src.error(src.key_line(key), format!("`{key}` must be a list of text"))),
                })
                .collect(),
            Some(_) => Err(src.error(src.key_line(key), format!("`{key}` must be a list of text"))),
        }
    };
    let modules_line = src.key_line("modules");
    let Some(Value::Array(raw_modules)) = map.get("modules") else {
        return Err(src.error(
            modules_line,
            "a course needs `modules`: a list of page paths relative to the course folder",
        ));
    };
    if raw_modules.is_empty() {
        return Err(src.error(modules_line, "`modules` is empty: list at least one page"));
    }
    let mut modules: Vec<Module> = Vec::with_capacity(raw_modules.len());
    let mut seen: HashMap<PageId, usize> = HashMap::new();
    let mut cursor = modules_line;
    for raw in raw_modules {
        let (path, duration, title) = module_entry(src, raw, cursor)?;
        let line = src.line_of(&path, cursor);
        cursor = line;
        let id = resolve_page(site, src, &path, line, "module")?;
        if id == page.id {
            return Err(src.error(line, format!("module `{path}` is the course page itself")));
        }
        if let Some(first) = seen.insert(id, line) {
            return Err(src.error(line, format!("module `{path}` is already listed at line {first}")));
        }
        let minutes = match &duration {
            Some(d) => Some(parse_duration(d).ok_or_else(|| {
                src.error(
                    src.line_of("duration", line),
                    format!("duration {d:?} of `{path}` is not understood: write e.g. `20m`, `1h30` or `45` (minutes)"),
                )
            })?),
            None => None,
        };
        modules.push(Module {
            page: id,
            minutes: match minutes {
                Some(m) => m,
                None => reading_minutes(&site.page(id).markdown()?),
            },
            explicit_duration: minutes.is_some(),
            title,
            line,
        });
    }
    let mut prerequisites = Vec::new();
    let prereq_line = src.key_line("prerequisites");
    for written in list("prerequisites")? {
        let line = src.line_of(&written, prereq_line);
        let target = resolve_page(site, src, &written, line, "prerequisite")?;
        prerequisites.push(PendingPrerequisite {
            course: index,
            target,
            line,
            written,
        });
    }
    let course = Course {
        page: page.id,
        file: src.shown.clone(),
        line: src.start,
        key: course_key(page),
        title: text("title")?.unwrap_or_else(|| page.title.clone()),
        audience: text("audience")?,
        objectives: list("objectives")?,
        prerequisites: Vec::new(),
        modules,
    };
    Ok((course, prerequisites))
}

/// A module entry: a path, or a table with `path` and optional `duration` and `title`.
fn module_entry(
    src: &Source<'_>,
    raw: &Value,
    near: usize,
) -> Result<(String, Option<String>, Option<String>)> {
    match raw {
        Value::String(s) => Ok((s.trim().to_string(), None, None)),
        Value::Object(m) => {
            let path = ["path", "page", "file"]
                .iter()
                .find_map(|k| m.get(*k).and_then(Value::as_str))
                .map(|s| s.trim().to_string())
                .ok_or_else(|| {
                    src.error(
                        near + 1,
                        "a module written as a table needs `path:` (the page, relative to the course folder)",
                    )
                })?;
            let duration = match m.get("duration") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                Some(other) => Some(other.to_string()),
            };
            let title = m
                .get("title")
                .and_then(Value::as_str)
                .map(|s| s.trim().to_string());
            Ok((path, duration, title))
        }
        _ => Err(src.error(
            near + 1,
            "a module is a page path, or a table with `path` and `duration`",
        )),
    }
}

/// The page at `path`, written relative to the course folder.
fn resolve_page(site: &Site, src: &Source<'_>, path: &str, line: usize, what: &str) -> Result<PageId> {
    // `../bases-linux` names a folder: look it up as one.
    let href = if path.rsplit('/').next().is_some_and(|f| !f.contains('.')) && !path.ends_with('/') {
        format!("{path}/")
    } else {
        path.to_string()
    };
    match resolve(site, src.page, &href) {
        Target::Page { id, .. } => Ok(id),
        Target::File { .. } => {
            Err(src.error(line, format!("{what} `{path}` is a file, not a page of the site")))
        }
        Target::Broken { reason, wanted } => {
            // the module moved, or its name has a typo
            let hint = match crate::links::suggest::closest_page(site, &wanted) {
                Some(id) => format!(
                    ": did you mean `{}`?",
                    crate::content::resolve::relative_url(&src.page.rel, &site.page(id).rel)
                ),
                None => String::new(),
            };
            Err(src.error(
                line,
                format!(
                    "{what} `{path}` not found ({reason}){hint}. Paths are relative to the course folder"
                ),
            ))
        }
        _ => Err(src.error(
            line,
            format!("{what} `{path}` must be a page of the site, not an external link"),
        )),
    }
}

/// The key a course is known by in the browser (progress, `?course=`): its route.
fn course_key(page: &Page) -> String {
    let route = page.route();
    if route.is_empty() { "index".into() } else { route }
}
