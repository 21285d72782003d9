//! `{{#include}}`-style directives of mdBook chapters: checked before
//! mdBook's link preprocessor expands them (a file outside the book root is
//! refused, a missing one reported), then expanded.

use std::path::{Path, PathBuf};

use mdbook_driver::book::{BookItem, Chapter};
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::config::Config;
use crate::content::BodyLines;
use crate::error::{Error, Result};
use crate::report::{Finding, Severity};

/// The text of chapter `name` (file `path`, relative to the book's source
/// folder) after mdBook's link preprocessor: `{{#include}}`,
/// `{{#playground}}`, `{{#title}}`, escaped `\{{#…}}`; and the title
/// `{{#title …}}` gives the page, if it has one.
pub(super) fn expand(
    ctx: &PreprocessorContext,
    name: &str,
    path: &Path,
    content: String,
) -> Result<(String, Option<String>)> {
    let chapter = Chapter::new(name, content, path, Vec::new());
    let book = mdbook_driver::book::Book::new_with_items(vec![BookItem::Chapter(chapter)]);
    let book = LinkPreprocessor::new().run(ctx, book).map_err(|e| Error::Book {
        path: ctx.root.join(&ctx.config.book.src),
        message: format!("{e:#}"),
    })?;
    let title = ctx.chapter_titles.borrow_mut().remove(path);
    match book.items.into_iter().next() {
        Some(BookItem::Chapter(ch)) => Ok((ch.content, title)),
        _ => Ok((String::new(), title)),
    }
}

/// Checks the `{{#include}}`-style directives of a chapter (file `file`). A
/// directive whose file (or anything that file includes) lies outside the
/// book root is refused: it is escaped so mdBook writes it out as text, and
/// reported. A missing file is reported too (mdBook leaves the directive as
/// text).
pub(super) fn check(
    config: &Config,
    file: &Path,
    content: &mut String,
    warnings: &mut Vec<Finding>,
    included: &mut Vec<PathBuf>,
) {
    let mut refused = Vec::new();
    for d in directives(content) {
        let shown = config.display_path(file);
        let finding = |rule: &str, message: String| Finding {
            rule: rule.into(),
            severity: Severity::Warning,
            page: shown.clone(),
            line: d.line,
            col: None,
            target: Some(d.target.clone()),
            message,
            suggestion: None,
        };
        match follow(config, file, &d, 0, included, &mut Vec::new()) {
            Ok(()) => {}
            Err(Problem::MissingInside(what, by)) => warnings.push(finding(
                "include-missing",
                format!(
                    "`{{{{#{} {}}}}}`: {by} includes {what}, which does not exist; that directive is left as text",
                    d.kind, d.target
                ),
            )),
            Err(Problem::Cycle(what)) => {
                warnings.push(finding(
                    "include-cycle",
                    format!(
                        "`{{{{#{} {}}}}}` leads back to {what}, which includes it: not included (the text would repeat without end)",
                        d.kind, d.target
                    ),
                ));
                refused.push(d.start);
            }
            Err(Problem::Missing(what)) => warnings.push(finding(
                "include-missing",
                format!(
                    "`{{{{#{} {}}}}}`: {what} does not exist; the directive is left as text",
                    d.kind, d.target
                ),
            )),
            Err(Problem::Outside(what)) => {
                warnings.push(finding(
                    "include-outside-root",
                    format!(
                        "`{{{{#{} {}}}}}`: {what} is outside the book root; not included (copy the file into the book)",
                        d.kind, d.target
                    ),
                ));
                refused.push(d.start);
            }
            Err(Problem::TooLarge(what)) => {
                warnings.push(finding(
                    "include-too-large",
                    format!(
                        "`{{{{#{} {}}}}}`: {what} is over {} MB; not included",
                        d.kind,
                        d.target,
                        INCLUDE_LIMIT / 1024 / 1024
                    ),
                ));
                refused.push(d.start);
            }
        }
    }
    for at in refused.into_iter().rev() {
        content.insert(at, '\\');
    }
}

/// An include directive of a chapter, marked by [`mark`].
pub(super) struct Mark {
    /// Its line in the chapter's file.
    line: usize,
    /// The file it names.
    file: PathBuf,
    /// Line ends in the chapter's own text between the previous mark and it.
    newlines: usize,
}

/// Marks the end of each include directive of a chapter's `content` (after
/// [`check`]), so that where the text it pulls in ends can be found once
/// mdBook has expanded it.
pub(super) fn mark(content: &mut String, file: &Path) -> Vec<Mark> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut marks = Vec::new();
    let mut ends = Vec::new();
    let mut previous = 0;
    for d in directives(content) {
        let Some(end) = content[d.start..].find("}}").map(|e| d.start + e + 2) else {
            continue;
        };
        let named = dir.join(&d.target);
        marks.push(Mark {
            line: d.line,
            file: named.canonicalize().unwrap_or_else(|_| normalise(&named)),
            newlines: content[previous..end].matches('\n').count(),
        });
        ends.push(end);
        previous = end;
    }
    for (k, end) in ends.iter().enumerate().rev() {
        content.insert_str(*end, &marker(k));
    }
    marks
}

fn marker(k: usize) -> String {
    format!("\u{E000}vigie{k}\u{E001}")
}

/// The chapter's text mdBook expanded from a text [`mark`]ed, without the
/// marks, and where its lines come from (lines from `1`, the file's). When
/// a mark went missing, the lines are left as they are.
pub(super) fn unmark(expanded: String, marks: &[Mark]) -> (String, BodyLines) {
    if marks.is_empty() {
        return (expanded, BodyLines::default());
    }
    let mut lines = BodyLines::default();
    let (mut at, mut own_line) = (0, 1);
    let mut plain = String::with_capacity(expanded.len());
    for (k, m) in marks.iter().enumerate() {
        let mark = marker(k);
        let Some(end) = expanded[at..].find(&mark).map(|e| at + e) else {
            return (strip_marks(&expanded), BodyLines::default());
        };
        // The chapter's own lines up to the directive's, as many as it
        // wrote (mdBook's expansion keeps them), then the text pulled in.
        let piece = &expanded[at..end];
        let split = match m.newlines {
            0 => 0,
            n => piece
                .match_indices('\n')
                .nth(n - 1)
                .map_or(piece.len(), |(i, _)| i + 1),
        };
        lines.wrote(&piece[..split], own_line, None);
        lines.wrote(&piece[split..], m.line, Some(&m.file));
        plain.push_str(piece);
        at = end + mark.len();
        own_line = m.line;
    }
    let rest = &expanded[at..];
    lines.wrote(rest, own_line, None);
    plain.push_str(rest);
    (plain, lines)
}

fn strip_marks(text: &str) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new("\u{E000}vigie[0-9]+\u{E001}").expect("valid regex"));
    re.replace_all(text, "").into_owned()
}

struct Directive {
    start: usize,
    line: usize,
    kind: String,
    target: String,
}

enum Problem {
    Missing(String),
    Outside(String),
    /// Over [`INCLUDE_LIMIT`] bytes.
    TooLarge(String),
    /// A file the included file includes does not exist: (that file, the
    /// one that names it).
    MissingInside(String, String),
    /// The file includes, through others, the file it is included from.
    Cycle(String),
}

/// The largest file a directive includes (a page itself may hold 64 MB).
const INCLUDE_LIMIT: u64 = 16 * 1024 * 1024;

fn directives(text: &str) -> Vec<Directive> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(\\?)\{\{\s*#(include|rustdoc_include|playground)\s+([^\s}]+)").unwrap()
    });
    re.captures_iter(text)
        .filter(|c| c[1].is_empty())
        .map(|c| {
            let start = c.get(0).map(|m| m.start()).unwrap_or(0);
            Directive {
                start,
                line: crate::config::line_of(text, start),
                kind: c[2].to_string(),
                target: c[3].split(':').next().unwrap_or("").to_string(),
            }
        })
        .collect()
}

/// Follows one directive of `file`, and the includes of the included file.
/// Follows include directive `d` of `file` (and those of the file it names),
/// noting every file pulled in.
fn follow(
    config: &Config,
    file: &Path,
    d: &Directive,
    depth: usize,
    included: &mut Vec<PathBuf>,
    chain: &mut Vec<PathBuf>,
) -> std::result::Result<(), Problem> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let joined = normalise(&dir.join(&d.target));
    let resolved = joined.canonicalize().unwrap_or(joined);
    let shown = config.display_path(&resolved);
    if !resolved.starts_with(&config.root) {
        return Err(Problem::Outside(shown));
    }
    let size = std::fs::metadata(&resolved)
        .map_err(|_| Problem::Missing(shown.clone()))?
        .len();
    if size > INCLUDE_LIMIT {
        return Err(Problem::TooLarge(shown));
    }
    let text = std::fs::read_to_string(&resolved).map_err(|_| Problem::Missing(shown.clone()))?;
    let real_file = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    if resolved == real_file || chain.contains(&resolved) {
        return Err(Problem::Cycle(shown));
    }
    included.push(resolved.clone());
    if depth < 10 && d.kind == "include" {
        chain.push(real_file);
        for inner in directives(&text) {
            match follow(config, &resolved, &inner, depth + 1, included, chain) {
                Ok(()) => {}
                Err(Problem::Missing(what)) => {
                    chain.pop();
                    return Err(Problem::MissingInside(what, shown));
                }
                Err(p) => {
                    chain.pop();
                    return Err(p);
                }
            }
        }
        chain.pop();
    }
    Ok(())
}

/// Resolves `.` and `..` without touching the disk (the file may not exist).
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
