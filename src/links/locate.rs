//! Where a link really is in the sources. The renderer knows the line of each
//! link in the page body it parsed; that body may differ from the file on disk
//! (mdBook `{{#include}}` pulls other files in, shortcodes are rewritten), so
//! a finding is checked against the file before it is reported: the link text
//! is looked for on that line, then in the whole file, then in the files it
//! includes. Runs only for findings, never for the links that are fine.

use std::sync::OnceLock;

use crate::config::Config;
use crate::content::Page;

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// File relative to the knowledge-base root.
    pub file: String,
    pub line: usize,
    pub col: usize,
    /// The page the file is included into, when it is not the page itself.
    pub included_in: Option<String>,
}

/// Finds `needle` (a link as written) for a link the renderer placed at
/// `line`:`col` (1-based, in the source file) of `page`.
pub fn locate(
    config: &Config,
    page: &Page,
    source: &SourceText,
    needle: &str,
    line: usize,
    col: usize,
) -> Place {
    let here = Place {
        file: page.display().to_string(),
        line,
        col,
        included_in: None,
    };
    if needle.is_empty() {
        return here;
    }
    // Most pages: the body is the file after its front matter, line for line.
    if let Some(text) = line
        .checked_sub(page.body_line)
        .and_then(|i| source.body_line(page, i))
        && source.is_exact(config, page)
        && let Some(c) = column(text, needle, col)
    {
        return Place { col: c, ..here };
    }
    // In the file an include directive at that line pulled in (mdBook's
    // `{{#include}}`, an MkDocs snippet, a Hugo `readfile`).
    if let Some(file) = page.pulled_lines.pulled_at(line)
        && file.starts_with(&config.root)
        && let Ok(inc) = std::fs::read_to_string(file)
        && let Some((l, c)) = inc
            .lines()
            .enumerate()
            .find_map(|(i, l)| column(l, needle, col).map(|c| (i + 1, c)))
    {
        return Place {
            file: config.display_path(file),
            line: l,
            col: c,
            included_in: Some(page.display().to_string()),
        };
    }
    let Some(text) = source.text(page) else {
        return here;
    };
    if let Some(l) = source.text_line(page, line.wrapping_sub(1))
        && let Some(c) = column(l, needle, col)
    {
        return Place { col: c, ..here };
    }
    // Elsewhere in the file: the occurrence nearest to where the renderer saw it.
    let found = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| column(l, needle, col).map(|c| (i + 1, c)))
        .min_by_key(|(l, _)| l.abs_diff(line));
    if let Some((l, c)) = found {
        return Place {
            line: l,
            col: c,
            ..here
        };
    }
    here
}

/// The source file of a page, read once and only when needed, with where
/// its lines (and the body's) start, so that placing many findings on one
/// page costs one pass over it, not one per finding.
#[derive(Default)]
pub struct SourceText {
    text: OnceLock<Option<String>>,
    text_lines: OnceLock<Vec<usize>>,
    body_lines: OnceLock<Vec<usize>>,
    exact: OnceLock<bool>,
}

impl SourceText {
    fn text(&self, page: &Page) -> Option<&str> {
        self.text
            .get_or_init(|| page.source.as_ref().and_then(|p| std::fs::read_to_string(p).ok()))
            .as_deref()
    }

    /// Line `i` (0-based) of the source file.
    fn text_line(&self, page: &Page, i: usize) -> Option<&str> {
        let text = self.text(page)?;
        nth_line(text, self.text_lines.get_or_init(|| line_starts(text)), i)
    }

    /// Line `i` (0-based) of the page body.
    fn body_line<'a>(&self, page: &'a Page, i: usize) -> Option<&'a str> {
        nth_line(
            &page.body,
            self.body_lines.get_or_init(|| line_starts(&page.body)),
            i,
        )
    }

    /// True when the page body is the file's text after the front matter
    /// (no include was expanded into it).
    fn is_exact(&self, config: &Config, page: &Page) -> bool {
        *self.exact.get_or_init(|| {
            // Elsewhere than in mdBook, the loader says where it expanded
            // files (and the renderer's lines are already the file's).
            if config.layout != crate::config::Layout::MdBook {
                return !page.pulled_lines.any_pulled();
            }
            self.text(page).is_some_and(|t| {
                let skip: usize = t
                    .split_inclusive('\n')
                    .take(page.body_line.saturating_sub(1))
                    .map(str::len)
                    .sum();
                t.get(skip..) == Some(page.body.as_str())
            })
        })
    }
}

/// Byte offsets where the lines of `text` start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < text.len())
        .collect()
}

/// Line `i` of `text` (as `str::lines` gives it) from its line starts.
fn nth_line<'a>(text: &'a str, starts: &[usize], i: usize) -> Option<&'a str> {
    let start = *starts.get(i)?;
    let end = starts.get(i + 1).copied().unwrap_or(text.len());
    let line = &text[start..end];
    let line = line.strip_suffix('\n').unwrap_or(line);
    Some(line.strip_suffix('\r').unwrap_or(line))
}

/// 1-based character column of `needle` in `line`: the occurrence that starts
/// at or after `near` (the renderer's column, which points at the `[` of a
/// Markdown link), else the first one.
fn column(line: &str, needle: &str, near: usize) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (at, _) in line.match_indices(needle) {
        let c = line[..at].chars().count() + 1;
        if c >= near {
            // The renderer's column points at the `[` of `[text](dest)` or the
            // `<` of `<dest>`: keep it when that is what precedes the destination.
            return Some(if best.is_none() && opens_link(line, near, c) {
                near
            } else {
                c
            });
        }
        best = Some(c);
    }
    best
}

/// True when the text from column `start` to column `dest` (1-based) is the
/// opening of a link whose destination is at `dest`.
fn opens_link(line: &str, start: usize, dest: usize) -> bool {
    if start == 0 || dest <= start {
        return false;
    }
    let seg: String = line.chars().skip(start - 1).take(dest - start).collect();
    seg == "<" || (seg.starts_with(['[', '!']) && seg.ends_with(['(', '<']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_by_index_are_the_lines() {
        for text in ["", "a", "a\n", "a\nb", "a\r\nb\n\nc", "\n\n"] {
            let starts = line_starts(text);
            let lines: Vec<&str> = text.lines().collect();
            for i in 0..lines.len() + 2 {
                assert_eq!(
                    nth_line(text, &starts, i),
                    lines.get(i).copied(),
                    "{text:?} line {i}"
                );
            }
        }
    }

    #[test]
    fn column_prefers_the_link_start() {
        // `[x](y.md)`: the renderer points at `[`, which is kept.
        assert_eq!(column("See [x](y.md) now", "y.md", 5), Some(5));
        // A column that does not start a link gives the destination's position.
        assert_eq!(column("**[T](y.md)**", "y.md", 1), Some(7));
        assert_eq!(column("a y.md b y.md", "y.md", 6), Some(10));
        assert_eq!(column("nothing", "y.md", 1), None);
        assert_eq!(column("é [x](y.md)", "y.md", 3), Some(3));
        assert_eq!(column("{{< card link=\"y.md\" >}}", "y.md", 3), Some(16));
    }
}
