//! The block syntax of Python-Markdown and pymdown-extensions that MkDocs
//! (Material) sites are written in, rendered the way MkDocs renders it:
//!
//! - `!!! type "Title"` admonitions (`admonition`), `??? type "Title"` closed
//!   and `???+` open details (`pymdownx.details`), body indented by four
//!   spaces, also inside list items and inside each other;
//! - `=== "Tab"` tab sets (`pymdownx.tabbed`), written as the same tabs as
//!   Hugo's: headed sections without JavaScript, tabs with it;
//! - `<div markdown>` … `</div>` (`md_in_html`): the inside is Markdown;
//! - `*[HTML]: Hyper Text Markup Language` (`abbr`), handed to the renderer;
//! - `{: .class }` attribute lists (`attr_list`) on their own line or after a
//!   link, an image or emphasis, which have no place in vigie's HTML and are
//!   dropped (heading ids `{ #id }` are the parser's).
//!
//! A construct is recognised where Python-Markdown sees one: at the start of
//! a block, indented under a list item, or in a block quote; never in code.

use std::sync::OnceLock;

use regex::Regex;

use super::{State, callout_kind, esc, fence_closes, fence_open};

/// Whether `body` may hold any of this syntax (most pages do not). It runs
/// on every page to decide whether the page takes the line-by-line pass, so
/// it only looks at line starts, at each `{` and at each ` markdown` (byte
/// searches, no pattern scan of the whole text per mark). It looks for what
/// only this syntax writes: `!!!`, `???`, `===`, `*[`, `///` starting a line (after
/// indentation or `>`), an attribute list (`{:`, `{#`, `{.`, `{ #`, `{ .`,
/// `){`), `markdown` as an HTML attribute.
pub(super) fn may_hold_syntax(body: &str) -> bool {
    let b = body.as_bytes();
    let line_mark = body.split('\n').any(|line| {
        let rest = line.trim_start_matches([' ', '\t', '>']);
        ["!!!", "???", "===", "*[", "///"]
            .iter()
            .any(|m| rest.starts_with(m))
    });
    let attribute_list = || {
        memchr::memchr_iter(b'{', b).any(|i| {
            matches!(b.get(i + 1), Some(b':' | b'#' | b'.'))
                || b.get(i + 1) == Some(&b' ') && matches!(b.get(i + 2), Some(b'#' | b'.'))
                || i > 0 && b[i - 1] == b')'
        })
    };
    let markdown_attribute = || {
        memchr::memmem::find_iter(b, b" markdown").any(|i| matches!(b.get(i + 9), Some(b'>' | b'=' | b' ')))
    };
    line_mark || attribute_list() || markdown_attribute()
}

/// What a line is, in the list and code structure around it.
pub(super) enum Kind {
    Blank,
    /// A line of an indented code block.
    Code,
    /// Anything else: its indentation (columns) and the content column of the
    /// list item it stands in (0 outside lists).
    Text {
        ind: usize,
        container: usize,
    },
}

/// Tracks list items and indented code line by line, so that `    !!! note`
/// under `1. Step` is an admonition of that step while the same line after a
/// paragraph is code.
#[derive(Default)]
pub(super) struct Context {
    /// Content column of each open list item, innermost last.
    items: Vec<usize>,
    /// The previous line was text (not blank): an indented line continues it.
    after_text: bool,
    code: bool,
}

impl Context {
    pub(super) fn see(&mut self, line: &str) -> Kind {
        if line.trim().is_empty() {
            self.after_text = false;
            return Kind::Blank;
        }
        let ind = indent_width(line);
        let container = self.items.last().copied().unwrap_or(0);
        if ind >= container + 4 && (!self.after_text || self.code) {
            self.code = true;
            return Kind::Code;
        }
        self.code = false;
        let starts_block = !self.after_text;
        self.after_text = true;
        if let Some(width) = list_marker(line.trim_start()) {
            self.items.retain(|&c| c <= ind);
            self.items.push(ind + width);
        } else if starts_block {
            // after a blank line, a line indented less than an item's content ends it
            self.items.retain(|&c| c <= ind);
        }
        Kind::Text {
            ind,
            container: self.items.last().copied().unwrap_or(0),
        }
    }

    /// A construct was written with blank lines around it.
    pub(super) fn after_block(&mut self) {
        self.after_text = false;
        self.code = false;
    }
}

/// The first line of an admonition, a details block or a tab.
#[derive(Debug, PartialEq)]
enum Head {
    /// `!!! type [class…] ["Title"]`: `title` is `None` without quotes,
    /// `Some("")` for `""` (no title bar).
    Admonition { kind: String, title: Option<String> },
    /// `??? type ["Title"]` closed, `???+` open.
    Details {
        kind: String,
        title: Option<String>,
        open: bool,
    },
    /// `=== "Title"`; `===!` starts a new tab set.
    Tab { title: String, new_set: bool },
}

fn head(t: &str) -> Option<Head> {
    let t = t.trim_end();
    if let Some(rest) = t.strip_prefix("!!!") {
        let (kind, title) = kind_and_title(rest)?;
        return Some(Head::Admonition { kind, title });
    }
    if let Some(rest) = t.strip_prefix("???") {
        let (open, rest) = match rest.strip_prefix('+') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let (kind, title) = kind_and_title(rest)?;
        return Some(Head::Details { kind, title, open });
    }
    let rest = t.strip_prefix("===")?;
    let flags = rest.len() - rest.trim_start_matches(['!', '+']).len();
    let (flags, rest) = rest.split_at(flags);
    if flags.len() > 2 || !rest.starts_with(' ') {
        return None;
    }
    let title = quoted(rest.trim())?;
    Some(Head::Tab {
        title: title.to_string(),
        new_set: flags.contains('!'),
    })
}

/// `type [class…] ["Title"]`, as Python-Markdown's admonition reads it: the
/// type and classes are words of letters, digits, `_` and `-`.
fn kind_and_title(rest: &str) -> Option<(String, Option<String>)> {
    let rest = rest.trim();
    let (words, title) = match rest.find('"') {
        Some(q) => (&rest[..q], Some(quoted(&rest[q..])?.to_string())),
        None => (rest, None),
    };
    let mut words = words.split_whitespace();
    let kind = words.next()?;
    let word = |w: &str| w.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !word(kind) || !words.all(word) {
        return None;
    }
    Some((kind.to_lowercase(), title))
}

fn quoted(s: &str) -> Option<&str> {
    s.strip_prefix('"')?.strip_suffix('"')
}

/// The title an admonition of `kind` gets when none is written: the site's
/// word for the kinds vigie knows, the kind capitalised otherwise (as MkDocs).
fn default_title(lang: &str, kind: &str) -> String {
    if matches!(
        kind,
        "note" | "tip" | "important" | "warning" | "caution" | "danger"
    ) {
        return crate::i18n::callout_title(lang, kind).to_string();
    }
    let mut chars = kind.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The tags of `/// html | div.grid.cards#id`'s element: its name, then
/// `.class`es and an `#id`; `None` for anything else.
fn element(selector: &str) -> Option<(String, String)> {
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let end = selector.find(['.', '#']).unwrap_or(selector.len());
    let tag = &selector[..end];
    if !word(tag) || !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let (mut classes, mut id) = (Vec::new(), None);
    let mut rest = &selector[end..];
    while let Some(mark) = rest.chars().next() {
        let next = rest[1..].find(['.', '#']).map_or(rest.len(), |n| n + 1);
        let value = &rest[1..next];
        if !word(value) {
            return None;
        }
        if mark == '.' {
            classes.push(value);
        } else {
            id = Some(value);
        }
        rest = &rest[next..];
    }
    let mut open = format!("<{tag}");
    if !classes.is_empty() {
        open.push_str(&format!(" class=\"{}\"", classes.join(" ")));
    }
    if let Some(id) = id {
        open.push_str(&format!(" id=\"{id}\""));
    }
    open.push('>');
    Some((open, format!("</{tag}>")))
}

/// `lines` without the first `ind` spaces of each (fewer where a line has
/// fewer): the inside of a block opened at column `ind`.
fn outdented(lines: &[(String, u32)], ind: usize) -> Vec<(String, u32)> {
    lines
        .iter()
        .map(|(l, s)| {
            let spaces = l.len() - l.trim_start_matches(' ').len();
            (l[spaces.min(ind)..].to_string(), *s)
        })
        .collect()
}

/// The tags around an admonition of `kind` titled `title`: a box (no
/// title bar when `title` is empty), or, with `folded` (whether it shows
/// open), one the reader unfolds by its title.
fn callout_tags(kind: &str, title: &str, folded: Option<bool>) -> (String, String) {
    let kind = callout_kind(kind);
    match folded {
        Some(open) => (
            format!(
                "<details class=\"callout callout-{kind}\"{}><summary class=\"callout-title\">{}</summary>",
                if open { " open" } else { "" },
                esc(title)
            ),
            "</details>".into(),
        ),
        None if title.is_empty() => (
            format!("<div class=\"callout callout-{kind}\" role=\"note\">"),
            "</div>".into(),
        ),
        None => (
            format!(
                "<div class=\"callout callout-{kind}\" role=\"note\"><p class=\"callout-title\">{}</p>",
                esc(title)
            ),
            "</div>".into(),
        ),
    }
}

impl State<'_> {
    /// Handles the Python-Markdown construct starting on `lines[i - 1]`
    /// (indented by `ind`), if there is one; returns the index of the line
    /// after it.
    pub(super) fn python_markdown(
        &mut self,
        lines: &[(String, u32)],
        i: usize,
        ind: usize,
        src: u32,
    ) -> Option<usize> {
        let t = lines[i - 1].0.trim();
        if let Some(h) = head(t) {
            return Some(self.construct(h, lines, i, ind, src));
        }
        if t.starts_with('>')
            && let Some(next) = self.quote(lines, i, ind)
        {
            return Some(next);
        }
        if t.starts_with('<')
            && let Some(next) = self.md_in_html(lines, i, ind, src)
        {
            return Some(next);
        }
        if t.starts_with("///")
            && let Some(next) = self.slash_block(lines, i, ind, src)
        {
            return Some(next);
        }
        if let Some((abbr, title)) = abbr_definition(t) {
            self.abbrs.push((abbr, title));
            self.emit("", src);
            return Some(i);
        }
        if t.starts_with('{') && attr_list_re().find(t).is_some_and(|m| m.len() == t.len()) {
            // a block's attribute list: nothing to show
            self.emit("", src);
            return Some(i);
        }
        None
    }

    fn construct(&mut self, h: Head, lines: &[(String, u32)], i: usize, ind: usize, src: u32) -> usize {
        if let Head::Tab { title, .. } = h {
            return self.tabs(lines, i, title, ind, src);
        }
        let (body, next) = indented_body(lines, i, ind + 4);
        let (open, close) = match h {
            Head::Tab { .. } => unreachable!("handled above"),
            Head::Admonition { kind, title } => {
                let title = title.unwrap_or_else(|| default_title(self.lang, &kind));
                callout_tags(&kind, &title, None)
            }
            Head::Details { kind, title, open } => {
                let title = title
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| default_title(self.lang, &kind));
                callout_tags(&kind, &title, Some(open))
            }
        };
        self.wrapped(ind, (&open, &close), true, &body, (src, src));
        next
    }

    /// A block quote starting on `lines[i - 1]` that holds a construct
    /// (`> !!! note`): its lines without their `>`, written back inside it.
    fn quote(&mut self, lines: &[(String, u32)], i: usize, ind: usize) -> Option<usize> {
        let quoted = |l: &str| l.trim_start().starts_with('>');
        if i >= 2 && quoted(&lines[i - 2].0) {
            return None; // not the first line of the quote: already looked at
        }
        let end = (i..lines.len())
            .find(|&j| !quoted(&lines[j].0))
            .unwrap_or(lines.len());
        let inner: Vec<(String, u32)> = lines[i - 1..end]
            .iter()
            .map(|(l, s)| {
                let rest = &l.trim_start()[1..];
                (rest.strip_prefix(' ').unwrap_or(rest).to_string(), *s)
            })
            .collect();
        if !inner.iter().any(|(l, _)| head(l.trim()).is_some()) {
            return None;
        }
        let saved = self.indent.len();
        self.indent.extend(std::iter::repeat_n(' ', ind));
        self.indent.push_str("> ");
        self.block(&inner);
        self.indent.truncate(saved);
        Some(end)
    }

    /// A block of `pymdownx.blocks` opening on `lines[i - 1]`: `/// admonition
    /// | Title` (or `/// warning | Title`, a kind's own name) and `/// details
    /// | Summary`, their options indented below (`type: warning`, `open:
    /// true`), their Markdown until a line of as many slashes; `/// html |
    /// div.class` (that element around its Markdown); `/// tab | Title`
    /// ([`State::slash_tabs`]). Returns the line after it; `None` for
    /// a block it does not know or one never closed.
    fn slash_block(&mut self, lines: &[(String, u32)], i: usize, ind: usize, src: u32) -> Option<usize> {
        let t = lines[i - 1].0.trim();
        let slashes = t.chars().take_while(|&c| c == '/').count();
        let (name, title) = match t[slashes..].split_once('|') {
            Some((n, a)) => (n.trim(), Some(a.trim().to_string())),
            None => (t[slashes..].trim(), None),
        };
        let kind_named = matches!(
            name,
            "note" | "attention" | "caution" | "danger" | "error" | "tip" | "hint" | "warning"
        );
        if name == "tab" {
            return self.slash_tabs(lines, i, ind);
        }
        let element = if name == "html" {
            Some(element(title.as_deref()?)?)
        } else {
            None
        };
        if !(name == "admonition" || name == "details" || kind_named || element.is_some()) {
            return None;
        }
        let fence = "/".repeat(slashes);
        let end = (i..lines.len()).find(|&j| lines[j].0.trim() == fence)?;
        // Options: `key: value` lines indented below the head.
        let mut options = Vec::new();
        let mut at = i;
        while at < end && indent_width(&lines[at].0) >= ind + 4 {
            if let Some((k, v)) = lines[at].0.trim().split_once(':') {
                options.push((
                    k.trim().to_string(),
                    v.trim().trim_matches(['"', '\'']).to_string(),
                ));
            }
            at += 1;
        }
        let option = |key: &str| options.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let kind = option("type")
            .unwrap_or(if kind_named { name } else { "note" })
            .to_string();
        let title = title.unwrap_or_else(|| default_title(self.lang, &kind));
        let (open, close) = if let Some(tags) = element {
            tags
        } else if name == "details" {
            let title = if title.is_empty() {
                default_title(self.lang, &kind)
            } else {
                title
            };
            callout_tags(&kind, &title, Some(option("open") == Some("true")))
        } else {
            callout_tags(&kind, &title, None)
        };
        // The blank line that ends the options is no part of the body.
        while at < end && lines[at].0.trim().is_empty() {
            at += 1;
        }
        let body = outdented(&lines[at..end], ind);
        self.wrapped(ind, (&open, &close), true, &body, (src, lines[end].1));
        Some(end + 1)
    }

    /// `/// tab | Title` blocks one after the other (blank lines between
    /// them allowed): one tab set, written back as `=== "Title"` tabs
    /// (`new: true` below a head starts another set, as `===!` does).
    /// Returns the line after the last; `None` when the first never closes.
    fn slash_tabs(&mut self, lines: &[(String, u32)], i: usize, ind: usize) -> Option<usize> {
        let mut tabs: Vec<(String, u32)> = Vec::new();
        let mut head_at = i - 1;
        let mut done = None;
        loop {
            let (head, src) = (lines[head_at].0.trim(), lines[head_at].1);
            let slashes = head.chars().take_while(|&c| c == '/').count();
            let Some(("tab", title)) = head[slashes..].split_once('|').map(|(n, t)| (n.trim(), t.trim()))
            else {
                break;
            };
            let fence = "/".repeat(slashes);
            let Some(end) = (head_at + 1..lines.len()).find(|&j| lines[j].0.trim() == fence) else {
                break;
            };
            let mut at = head_at + 1;
            let mut new_set = false;
            while at < end && indent_width(&lines[at].0) >= ind + 4 && lines[at].0.contains(':') {
                new_set |= lines[at].0.trim().replace(' ', "") == "new:true";
                at += 1;
            }
            let bang = if new_set && !tabs.is_empty() { "!" } else { "" };
            tabs.push((format!("==={bang} \"{}\"", title.replace('"', "'")), src));
            for (l, s) in outdented(&lines[at..end], ind) {
                let line = if l.trim().is_empty() {
                    String::new()
                } else {
                    format!("    {l}")
                };
                tabs.push((line, s));
            }
            done = Some(end + 1);
            // The next tab may follow after blank lines.
            let mut after = end + 1;
            while after < lines.len() && lines[after].0.trim().is_empty() {
                after += 1;
            }
            if after < lines.len() && lines[after].0.trim_start().starts_with("///") {
                head_at = after;
            } else {
                break;
            }
        }
        let done = done?;
        let saved = self.indent.len();
        self.indent.extend(std::iter::repeat_n(' ', ind));
        self.block(&tabs);
        self.indent.truncate(saved);
        Some(done)
    }

    /// An admonition written as a fence (mdBook's `admonish` preprocessor):
    /// ```` ```admonish warning title="Attention" collapsible=true ````,
    /// its inside Markdown. `lines[i - 1]` opens fence `f`; returns the
    /// line after its end, or `None` when it is another fence.
    pub(super) fn admonish_fence(
        &mut self,
        lines: &[(String, u32)],
        i: usize,
        f: super::Fence,
        ind: usize,
        src: u32,
    ) -> Option<usize> {
        let info = lines[i - 1].0.trim().trim_start_matches(f.0);
        let rest = info.strip_prefix("admonish")?;
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            return None;
        }
        // Its words read as a shortcode's: a kind, then `key=value`s.
        let (tag, _) = super::parse_tag(&format!("{{{{< admonish {rest} >}}}}"), 0)?;
        let kind = tag
            .arg(&[], 0)
            .unwrap_or_else(|| "note".into())
            .to_ascii_lowercase();
        let end = (i..lines.len())
            .find(|&j| super::fence_closes(&lines[j].0, f))
            .unwrap_or(lines.len());
        let body = outdented(&lines[i..end], ind);
        let end_src = lines.get(end).map_or(src, |l| l.1);
        let title = tag
            .arg(&["title"], usize::MAX)
            .unwrap_or_else(|| default_title(self.lang, &kind));
        let collapsible = tag.arg(&["collapsible"], usize::MAX).as_deref() == Some("true");
        let (open, close) = if collapsible && !title.is_empty() {
            callout_tags(&kind, &title, Some(false))
        } else {
            callout_tags(&kind, &title, None)
        };
        self.wrapped(ind, (&open, &close), true, &body, (src, end_src));
        Some((end + 1).min(lines.len()))
    }

    /// Writes the `open` and `close` tags around the Markdown `body`,
    /// indented by `ind` more columns, with the blank lines that let the
    /// parser read the body. `generated`: the tags are the site's (an
    /// admonition's), not the writer's own HTML (`<div markdown>`).
    fn wrapped(
        &mut self,
        ind: usize,
        (open, close): (&str, &str),
        generated: bool,
        body: &[(String, u32)],
        src: (u32, u32),
    ) {
        let saved = self.indent.len();
        self.indent.extend(std::iter::repeat_n(' ', ind));
        let tag = |st: &mut Self, line: &str, at: u32| {
            if generated {
                st.emit_generated(line, at);
            } else {
                st.emit(line, at);
            }
        };
        self.emit("", src.0);
        tag(self, open, src.0);
        self.emit("", src.0);
        self.block(body);
        self.emit("", src.1);
        tag(self, close, src.1);
        self.emit("", src.1);
        self.indent.truncate(saved);
    }

    /// A tab set: the tab whose head was `lines[i - 1]`, then every `=== "…"`
    /// that follows at the same indentation (blank lines between them allowed)
    /// until a `===!` or anything else. Written like Hugo's `tabs` shortcode.
    fn tabs(&mut self, lines: &[(String, u32)], mut i: usize, first: String, ind: usize, src: u32) -> usize {
        let saved = self.indent.len();
        self.indent.extend(std::iter::repeat_n(' ', ind));
        self.emit("", src);
        self.emit_generated("<div class=\"tabs\">", src);
        let (mut title, mut at) = (first, src);
        loop {
            let (body, next) = indented_body(lines, i, ind + 4);
            self.emit_generated(
                &format!(
                    "<section class=\"tab\" data-tab=\"{0}\"><p class=\"tab-title\">{0}</p>",
                    esc(&title)
                ),
                at,
            );
            self.emit("", at);
            self.block(&body);
            self.emit("", at);
            self.emit_generated("</section>", at);
            i = next;
            let j = (i..lines.len())
                .find(|&j| !lines[j].0.trim().is_empty())
                .unwrap_or(lines.len());
            match lines.get(j) {
                Some((l, s)) if indent_width(l) == ind => match head(l.trim()) {
                    Some(Head::Tab {
                        title: t,
                        new_set: false,
                    }) => {
                        (title, at, i) = (t, *s, j + 1);
                    }
                    _ => break,
                },
                _ => break,
            }
        }
        self.emit_generated("</div>", at);
        self.emit("", at);
        self.indent.truncate(saved);
        i
    }

    /// `<div markdown>` (or `markdown="1"`, `markdown="block"`) on `lines[i - 1]`:
    /// the element without the attribute, its inside rendered as Markdown.
    fn md_in_html(&mut self, lines: &[(String, u32)], i: usize, ind: usize, src: u32) -> Option<usize> {
        let (name, open, rest) = markdown_open(lines[i - 1].0.trim())?;
        let close_tag = format!("</{name}>");
        let mut depth = 1;
        if let Some(at) = scan_tags(rest, &name, &mut depth) {
            // all on one line
            let inner = [(rest[..at].trim().to_string(), src)];
            self.wrapped(ind, (&open, &close_tag), false, &inner, (src, src));
            let after = after_close(&rest[at..]);
            if !after.trim().is_empty() {
                self.emit(after.trim(), src);
            }
            return Some(i);
        }
        let mut inner = Vec::new();
        if !rest.trim().is_empty() {
            inner.push((rest.trim().to_string(), src));
        }
        let mut fence = None;
        for (j, (line, at_src)) in lines.iter().enumerate().skip(i) {
            if let Some(f) = fence {
                if fence_closes(line, f) {
                    fence = None;
                }
                inner.push((strip_cols(line, ind), *at_src));
                continue;
            }
            if let Some(f) = fence_open(line) {
                fence = Some(f);
                inner.push((strip_cols(line, ind), *at_src));
                continue;
            }
            if let Some(at) = scan_tags(line, &name, &mut depth) {
                let before = &line[..at];
                if !before.trim().is_empty() {
                    inner.push((strip_cols(before, ind), *at_src));
                }
                self.wrapped(ind, (&open, &close_tag), false, &inner, (src, *at_src));
                let after = after_close(&line[at..]);
                if !after.trim().is_empty() {
                    self.emit(after.trim(), *at_src);
                }
                return Some(j + 1);
            }
            inner.push((strip_cols(line, ind), *at_src));
        }
        None
    }
}

/// The text after the closing tag at the start of `s`.
fn after_close(s: &str) -> &str {
    s.find('>').map_or("", |p| &s[p + 1..])
}

/// Elements whose inside `markdown="1"` reads as blocks (Python-Markdown's list).
const BLOCK_TAGS: &[&str] = &[
    "article",
    "aside",
    "blockquote",
    "body",
    "colgroup",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "group",
    "header",
    "hgroup",
    "hr",
    "iframe",
    "main",
    "map",
    "menu",
    "nav",
    "noscript",
    "object",
    "ol",
    "output",
    "progress",
    "section",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "video",
];

/// An opening tag with a block `markdown` attribute at the start of `t`:
/// (tag name, the tag without the attribute, the rest of the line).
fn markdown_open(t: &str) -> Option<(String, String, &str)> {
    static TAG: OnceLock<Regex> = OnceLock::new();
    static ATTR: OnceLock<Regex> = OnceLock::new();
    let tag = TAG.get_or_init(|| {
        Regex::new(
            r#"^<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s=>/"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>"#,
        )
        .expect("valid tag pattern")
    });
    let attr = ATTR.get_or_init(|| {
        Regex::new(r#"\s+([^\s=>/"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?"#)
            .expect("valid attribute pattern")
    });
    let m = tag.captures(t)?;
    let name = m[1].to_ascii_lowercase();
    let attrs = m.get(2).map_or("", |a| a.as_str());
    let md = attr
        .captures_iter(attrs)
        .find(|c| c[1].eq_ignore_ascii_case("markdown"))?;
    let value = md.get(2).map_or("", |v| v.as_str().trim_matches(['"', '\'']));
    let block = match value {
        "" | "1" => BLOCK_TAGS.contains(&name.as_str()),
        "block" => true,
        _ => false,
    };
    if !block {
        return None;
    }
    let whole = md.get(0)?;
    let kept = format!("{}{}", &attrs[..whole.start()], &attrs[whole.end()..]);
    let rest = &t[m.get(0)?.end()..];
    Some((m[1].to_string(), format!("<{}{kept}>", &m[1]), rest))
}

/// Scans `text` for `<name` and `</name`, counting nesting in `depth`; returns
/// where the closing tag that brings it to zero starts.
fn scan_tags(text: &str, name: &str, depth: &mut usize) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let ends_name = |s: &str| {
        s.strip_prefix(name).is_some_and(|r| {
            r.is_empty() || r.starts_with(|c: char| c == '>' || c == '/' || c.is_whitespace())
        })
    };
    let mut from = 0;
    while let Some(p) = lower[from..].find('<') {
        let at = from + p;
        let after = &lower[at + 1..];
        if let Some(r) = after.strip_prefix('/') {
            if ends_name(r) {
                *depth -= 1;
                if *depth == 0 {
                    return Some(at);
                }
            }
        } else if ends_name(after) {
            *depth += 1;
        }
        from = at + 1;
    }
    None
}

/// `*[HTML]: Hyper Text Markup Language` → (`HTML`, `Hyper Text Markup Language`).
fn abbr_definition(t: &str) -> Option<(String, String)> {
    let rest = t.strip_prefix("*[")?;
    let (abbr, rest) = rest.split_once(']')?;
    let title = rest.trim_start().strip_prefix(':')?.trim();
    if abbr.is_empty() || abbr.contains('\\') || title.is_empty() {
        return None;
    }
    Some((abbr.to_string(), title.to_string()))
}

/// An attribute list: `{: #id .class key="value" }`, the colon optional.
fn attr_list_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let item = r#"(?:[#.][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}"']+))"#;
        Regex::new(&format!(r"\{{(:?)[ \t]*{item}(?:[ \t]+{item})*[ \t]*\}}"))
            .expect("valid attr_list pattern")
    })
}

/// The line without the attribute lists that follow a link, an image or
/// emphasis (`[Go](x){ .md-button }`) or that start with `{:`, outside code
/// spans; `None` when there is none. With `keep`, one after a link, an
/// image or emphasis is left as a marker the rendering gives it
/// ([`crate::markdown::attrs`]).
/// Heading lines keep theirs: the parser reads `{ #id }` there.
pub(super) fn strip_attr_lists(line: &str, keep: bool) -> Option<String> {
    if !line.contains('{') || line.trim_start().starts_with('#') {
        return None;
    }
    let re = attr_list_re();
    let mut out = String::with_capacity(line.len());
    let mut changed = false;
    for (code, part) in code_span_parts(line) {
        if code || !part.contains('{') {
            out.push_str(part);
            continue;
        }
        let mut last = 0;
        for m in re.captures_iter(part) {
            let whole = m.get(0).expect("group 0");
            let attached = part[..whole.start()]
                .chars()
                .next_back()
                .is_some_and(|c| matches!(c, ')' | ']' | '*' | '_' | '>' | ':' | '`'));
            if attached || !m[1].is_empty() {
                out.push_str(part[last..whole.start()].trim_end_matches(if attached { "" } else { " " }));
                if keep && part[..whole.start()].ends_with([')', '*', '_']) {
                    out.push_str(&crate::markdown::attrs::marker(whole.as_str()));
                }
                last = whole.end();
                changed = true;
            }
        }
        out.push_str(&part[last..]);
    }
    changed.then_some(out)
}

/// `line` cut into (is code span, text) parts.
fn code_span_parts(line: &str) -> Vec<(bool, &str)> {
    let bytes = line.as_bytes();
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
        let ticks = &line[i..i + run];
        match line[i + run..].find(ticks) {
            Some(close) => {
                let end = i + run + close + run;
                parts.push((false, &line[start..i]));
                parts.push((true, &line[i..end]));
                start = end;
                i = end;
            }
            None => i += run,
        }
    }
    parts.push((false, &line[start..]));
    parts
}

/// Columns of leading white space, a tab reaching the next multiple of four.
pub(super) fn indent_width(line: &str) -> usize {
    let mut col = 0;
    for c in line.chars() {
        match c {
            ' ' => col += 1,
            '\t' => col += 4 - col % 4,
            _ => break,
        }
    }
    col
}

/// `line` without its first `n` columns of indentation (fewer when it has fewer).
fn strip_cols(line: &str, n: usize) -> String {
    let mut col = 0;
    for (at, c) in line.char_indices() {
        if col >= n {
            return line[at..].to_string();
        }
        match c {
            ' ' => col += 1,
            '\t' => {
                col += 4 - col % 4;
                if col > n {
                    // a tab reaching past `n`: keep the columns it covers beyond
                    return format!("{}{}", " ".repeat(col - n), &line[at + 1..]);
                }
            }
            _ => return line[at..].to_string(),
        }
    }
    String::new()
}

/// The lines from `i` indented by at least `need` columns (blank lines inside
/// included), without that indentation, and the index of the line after them.
fn indented_body(lines: &[(String, u32)], mut i: usize, need: usize) -> (Vec<(String, u32)>, usize) {
    let mut body = Vec::new();
    while i < lines.len() {
        let line = &lines[i].0;
        if !line.trim().is_empty() {
            if indent_width(line) < need {
                break;
            }
            body.push((strip_cols(line, need), lines[i].1));
            i += 1;
            continue;
        }
        let next = (i..lines.len()).find(|&j| !lines[j].0.trim().is_empty());
        match next {
            Some(j) if indent_width(&lines[j].0) >= need => {
                body.extend(lines[i..j].iter().map(|l| (String::new(), l.1)));
                i = j;
            }
            _ => break,
        }
    }
    (body, i)
}

/// Width of the list (or definition) marker starting `t` with the spaces
/// after it (the item's content column relative to the marker), or `None`.
fn list_marker(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let n = match b.first()? {
        b'-' | b'*' | b'+' => {
            let c = b[0];
            if b.iter().filter(|&&x| x == c).count() >= 3 && b.iter().all(|&x| x == c || x == b' ') {
                return None; // a thematic break
            }
            1
        }
        // a definition (`def_list`): `:   Definition`, its blocks indented under it
        b':' => 1,
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|x| x.is_ascii_digit()).count();
            if digits > 9 || !matches!(b.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    let rest = &t[n..];
    if rest.trim().is_empty() {
        return Some(n + 1);
    }
    match indent_width(rest) {
        0 => None,
        1..=4 => Some(n + indent_width(rest)),
        _ => Some(n + 1),
    }
}

#[cfg(test)]
mod tests;
