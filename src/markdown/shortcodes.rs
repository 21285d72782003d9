//! Hugo shortcodes (`{{< name args >}}` and `{{% name args %}}`) and the
//! block syntax of Python-Markdown and pymdown-extensions that MkDocs sites use
//! (`!!! note` admonitions, `??? note` details, `=== "Tab"` tabs, `<div
//! markdown>`, `*[abbr]:` definitions, attribute lists; see [`pymdown`]),
//! turned into HTML components before the Markdown parser runs.
//!
//! The pass works line by line and never touches fenced code or inline code
//! spans, so `{{ … }}` in Helm, Ansible or Prometheus snippets survives. Block
//! components are written as HTML lines with blank lines around the inner
//! Markdown, which the parser then renders as Markdown; a [`LineMap`] remembers
//! which source line every output line came from, so errors still name the
//! right line.

use std::fmt::Write as _;

mod pymdown;

/// Output of the pass: text for the Markdown parser and where each of its lines came from.
pub struct Preprocessed {
    pub text: String,
    pub lines: LineMap,
    /// (1-based body line, message) for unknown shortcodes and other oddities.
    pub warnings: Vec<(usize, String)>,
    /// Abbreviations defined on the page (`*[HTML]: Hyper Text Markup
    /// Language`): the renderer wraps their uses in `<abbr>`.
    pub abbrs: Vec<(String, String)>,
    /// (1-based body line, path) of every `ref` / `relref`: the renderer
    /// checks each like a link, as Hugo fails on a ref to nothing.
    pub refs: Vec<(usize, String)>,
    /// (1-based body line, name) of block shortcodes opened and never closed.
    pub unclosed: Vec<(usize, String)>,
    /// (1-based body line, name) of closing tags with no such shortcode
    /// open: left out (their `</div>` would close the page's own).
    pub stray: Vec<(usize, String)>,
    /// Byte ranges of `text` holding HTML the shortcodes were turned into
    /// (not the writer's own HTML, which a Hugo site may leave out).
    pub generated: Vec<std::ops::Range<usize>>,
    /// (1-based body line, key) of `{{< param >}}` naming no parameter.
    pub missing_params: Vec<(usize, String)>,
}

/// Output line (0-based) → 1-based line in the page body.
#[derive(Debug, Default, Clone)]
pub struct LineMap {
    starts: Vec<usize>,
    source: Vec<u32>,
}

impl LineMap {
    /// Body line (1-based) of byte `offset` of the preprocessed text.
    pub fn line(&self, offset: usize) -> usize {
        let idx = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        self.source.get(idx).copied().unwrap_or(1) as usize
    }

    /// 1-based column of byte `offset` in its output line (in characters).
    pub fn col(&self, text: &str, offset: usize) -> usize {
        let idx = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(idx).copied().unwrap_or(0);
        text.get(start..offset).map(|s| s.chars().count()).unwrap_or(0) + 1
    }
}

/// A table of parameters for `{{< param name >}}`.
pub type Params = serde_json::Map<String, serde_json::Value>;

/// The parameter `key` in the first of `params` that has it (a page's
/// own, then the site's), as Hugo reads it: any case, and a dotted key
/// (`social.github`) walking into tables.
fn param<'p>(params: &[&'p Params], key: &str) -> Option<&'p serde_json::Value> {
    params.iter().find_map(|table| param_in(table, key))
}

fn param_in<'p>(params: &'p Params, key: &str) -> Option<&'p serde_json::Value> {
    let mut parts = key.split('.');
    let first = parts.next()?;
    let mut at = params
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(first))
        .map(|(_, v)| v)?;
    for part in parts {
        at = at
            .as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(part))
            .map(|(_, v)| v)?;
    }
    Some(at)
}

/// Runs the pass over a page body. `text_colons`: a line that starts with a
/// colon not followed by a space (`:warning: …`, `::: module`) is text, as
/// Python-Markdown and Hugo's goldmark read it, not the definition of a
/// term that the paragraph above would become (mdBook's parser, ours, makes
/// it one).
pub fn preprocess(body: &str, params: &[&Params], lang: &str, text_colons: bool) -> Preprocessed {
    preprocess_with(body, params, lang, text_colons, false, false)
}

/// [`preprocess`], and `admonish`: a ```` ```admonish warning ```` fence is
/// an admonition (mdBook's `admonish` preprocessor); `attributes`: an
/// attribute list after a link or an image is kept for it (see
/// [`crate::config::Config::attributes`]).
pub fn preprocess_with(
    body: &str,
    params: &[&Params],
    lang: &str,
    text_colons: bool,
    admonish: bool,
    attributes: bool,
) -> Preprocessed {
    let mut st = State {
        out: String::with_capacity(body.len() + body.len() / 8),
        lines: LineMap::default(),
        warnings: Vec::new(),
        params,
        tab_items: Vec::new(),
        lang: if lang == "fr" { "fr" } else { "en" },
        indent: String::new(),
        abbrs: Vec::new(),
        refs: Vec::new(),
        open: Vec::new(),
        stray: Vec::new(),
        generated: Vec::new(),
        generated_in_line: Vec::new(),
        missing_params: Vec::new(),
        text_colons,
        admonish,
        attributes,
    };
    // Fast path: nothing to do for most pages of a large corpus.
    let needs = memchr::memmem::find(body.as_bytes(), b"{{").is_some()
        || pymdown::may_hold_syntax(body)
        || text_colons && body.lines().any(colon_first)
        || admonish && memchr::memmem::find(body.as_bytes(), b"admonish").is_some();
    if !needs {
        // A line starts at 0 and after every newline but a last one.
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1))
            .filter(|&at| at < body.len());
        for (i, at) in starts.enumerate() {
            st.lines.starts.push(at);
            st.lines.source.push(i as u32 + 1);
        }
        st.out.push_str(body);
        return Preprocessed {
            text: st.out,
            lines: st.lines,
            warnings: st.warnings,
            abbrs: st.abbrs,
            refs: st.refs,
            unclosed: Vec::new(),
            stray: Vec::new(),
            generated: Vec::new(),
            missing_params: Vec::new(),
        };
    }
    let lines: Vec<(String, u32)> = body
        .lines()
        .enumerate()
        .map(|(i, l)| (l.to_string(), i as u32 + 1))
        .collect();
    st.block(&lines);
    // What is left open is closed where the page ends, so that the page's
    // own HTML around it stays whole (and said, as `unclosed`).
    let unclosed: Vec<(usize, String)> = st.open.iter().map(|(n, l)| (*l as usize, n.clone())).collect();
    let last = lines.last().map_or(1, |(_, src)| *src);
    for (name, _) in std::mem::take(&mut st.open).into_iter().rev() {
        if name == "highlight" || name == "mermaid" {
            st.emit("```", last);
            continue;
        }
        let closing = Tag {
            name,
            closing: true,
            positional: Vec::new(),
            named: Vec::new(),
        };
        st.open.push((closing.name.clone(), last));
        for l in st.block_tag(&closing, last).unwrap_or_default() {
            st.emit_generated(&l, last);
        }
    }
    Preprocessed {
        unclosed,
        stray: st.stray,
        generated: st.generated,
        missing_params: st.missing_params,
        text: st.out,
        lines: st.lines,
        warnings: st.warnings,
        abbrs: st.abbrs,
        refs: st.refs,
    }
}

struct State<'a> {
    out: String,
    lines: LineMap,
    warnings: Vec<(usize, String)>,
    params: &'a [&'a Params],
    /// `items="A,B"` of the enclosing `tabs`, consumed by nameless `tab`s.
    tab_items: Vec<Vec<String>>,
    lang: &'static str,
    /// Spaces before every line written: the indentation of the admonition or
    /// HTML block being written (inside a list item, say).
    indent: String,
    /// `*[HTML]: Hyper Text Markup Language` definitions, in order.
    abbrs: Vec<(String, String)>,
    refs: Vec<(usize, String)>,
    /// Block shortcodes opened and not yet closed: (name, line).
    open: Vec<(String, u32)>,
    /// Closing tags with nothing to close: (name, line).
    stray: Vec<(usize, String)>,
    /// See [`Preprocessed::generated`].
    generated: Vec<std::ops::Range<usize>>,
    /// Ranges of generated HTML in the line being written, from its start.
    generated_in_line: Vec<std::ops::Range<usize>>,
    /// See [`Preprocessed::missing_params`].
    missing_params: Vec<(usize, String)>,
    /// See [`preprocess`].
    text_colons: bool,
    /// ```` ```admonish ```` fences are admonitions.
    admonish: bool,
    /// Attribute lists after links and images are kept for them.
    attributes: bool,
}

/// Whether `line` starts (after at most three spaces) with a colon that a
/// definition list would take for its marker though no space follows it:
/// `:warning: …`. A table's delimiter row (`:--- | ---:`) is not one.
fn colon_first(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    line.len() - rest.len() <= 3
        && rest.starts_with(':')
        && rest[1..].chars().next().is_some_and(|c| !c.is_whitespace())
        && !rest.chars().all(|c| matches!(c, ':' | '-' | '|' | ' ' | '\t'))
}

/// Block shortcodes that always enclose their content (`{{< steps >}}` …
/// `{{< /steps >}}`, `{{% notice %}}` … `{{% /notice %}}`): one left open
/// is said, and a closing tag with none open is said and left out.
const PAIRED: &[&str] = &[
    "callout",
    "details",
    "expand",
    "collapse",
    "steps",
    "tabs",
    "tabpane",
    "tab",
    "cards",
    "pageinfo",
    "alert",
    "notice",
    "hint",
    "admonition",
    "note",
    "warning",
    "tip",
    "info",
    "danger",
    "important",
    "caution",
];

/// A parsed shortcode tag.
struct Tag {
    name: String,
    closing: bool,
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Tag {
    fn arg(&self, keys: &[&str], pos: usize) -> Option<String> {
        for k in keys {
            if let Some((_, v)) = self.named.iter().find(|(n, _)| n.eq_ignore_ascii_case(k)) {
                return Some(v.clone());
            }
        }
        self.positional.get(pos).cloned()
    }
}

impl State<'_> {
    /// Writes one output line, indented as the block it stands in.
    fn emit(&mut self, line: &str, src: u32) {
        self.lines.starts.push(self.out.len());
        self.lines.source.push(src);
        if !line.is_empty() {
            self.out.push_str(&self.indent);
        } else if self.indent.contains('>') {
            // a blank line inside a block quote keeps its `>`
            self.out.push_str(self.indent.trim_end());
        }
        let start = self.out.len();
        for r in self.generated_in_line.drain(..) {
            self.generated.push(start + r.start..start + r.end);
        }
        self.out.push_str(line);
        self.out.push('\n');
    }

    /// Writes one output line of HTML that a shortcode became.
    fn emit_generated(&mut self, line: &str, src: u32) {
        self.generated_in_line.push(0..line.len());
        self.emit(line, src);
    }

    fn block(&mut self, lines: &[(String, u32)]) {
        let mut fence: Option<Fence> = None;
        // Inside a shortcode whose lines are code (`highlight`, `mermaid`): its name.
        let mut verbatim: Option<String> = None;
        let mut context = pymdown::Context::default();
        let mut i = 0;
        // Inside Hugo's `comment` shortcode since that line: nothing shows.
        let mut comment: Option<u32> = None;
        while i < lines.len() {
            let (line, src) = (lines[i].0.as_str(), lines[i].1);
            i += 1;
            if comment.is_some() {
                match comment_tag(line, 0, true) {
                    Some((_, end)) => {
                        comment = None;
                        if let Some(at) = self.open.iter().rposition(|(n, _)| n == "comment") {
                            self.open.remove(at);
                        }
                        self.emit(line[end..].trim_start(), src);
                    }
                    None => self.emit("", src),
                }
                continue;
            }
            if let Some(name) = verbatim.as_deref() {
                if is_closing_tag(line, name) {
                    let lead = &line[..line.len() - line.trim_start().len()];
                    self.emit(&format!("{lead}```"), src);
                    let name = verbatim.take().unwrap_or_default();
                    if let Some(i) = self.open.iter().rposition(|(n, _)| *n == name) {
                        self.open.remove(i);
                    }
                } else {
                    self.emit(line, src);
                }
                continue;
            }
            if let Some(f) = fence {
                if fence_closes(line, f) {
                    fence = None;
                }
                self.emit(line, src);
                continue;
            }
            // What Hugo's `comment` shortcode holds is no part of the page.
            let uncommented;
            let line = match without_comments(line) {
                Some((rest, open)) => {
                    if open {
                        comment = Some(src);
                        self.open.push(("comment".into(), src));
                    }
                    uncommented = rest;
                    uncommented.as_str()
                }
                None => line,
            };
            let (ind, container) = match context.see(line) {
                pymdown::Kind::Blank | pymdown::Kind::Code => {
                    self.emit(line, src);
                    continue;
                }
                pymdown::Kind::Text { ind, container } => (ind, container),
            };
            if let Some(f) = fence_open(line) {
                if self.admonish
                    && let Some(next) = self.admonish_fence(lines, i, f, ind, src)
                {
                    i = next;
                    context.after_block();
                    continue;
                }
                fence = Some(f);
                self.emit(line, src);
                continue;
            }
            if ind < container + 4
                && let Some(next) = self.python_markdown(lines, i, ind, src)
            {
                i = next;
                context.after_block();
                continue;
            }
            if line.contains("{{<") || line.contains("{{%") {
                if let Some(name) = self.shortcode_line(line, src) {
                    // Said at the end if the page ends inside it.
                    self.open.push((name.clone(), src));
                    verbatim = Some(name);
                }
                continue;
            }
            let line = match pymdown::strip_attr_lists(line, self.attributes) {
                Some(stripped) => std::borrow::Cow::Owned(stripped),
                None => std::borrow::Cow::Borrowed(line),
            };
            if self.text_colons && colon_first(&line) {
                // Escaped, the colon is text (`\:` shows `:`).
                let at = line.len() - line.trim_start_matches(' ').len();
                self.emit(&format!("{}\\{}", &line[..at], &line[at..]), src);
            } else {
                self.emit(&line, src);
            }
        }
    }

    /// Handles a line holding shortcodes. Returns the name of the shortcode
    /// whose lines are code (`highlight`, `mermaid`) when one starts on it.
    fn shortcode_line(&mut self, line: &str, src: u32) -> Option<String> {
        let trimmed = line.trim();
        // A block component alone on its line.
        if let Some((tag, end)) = parse_tag(trimmed, 0)
            && end == trimmed.len()
            && let Some(lines) = self.block_tag(&tag, src)
        {
            // Indented as the tag is: inside a list item, the component
            // stays in the item (`1. Restart:` then `   {{< highlight >}}`).
            let lead = &line[..line.len() - line.trim_start().len()];
            if tag.name == "mermaid" && !tag.closing {
                // A diagram's source, shown as the code it is (as a
                // ```` ```mermaid ```` fence is), not read as Markdown.
                self.emit(&format!("{lead}```mermaid"), src);
                return Some(tag.name);
            }
            if tag.name == "highlight" && !tag.closing {
                let lang = tag.positional.first().cloned().unwrap_or_default();
                // `"linenos=table,hl_lines=2"` is read as a named argument.
                let options = match tag.positional.get(1) {
                    Some(o) => o.clone(),
                    None => tag
                        .named
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(","),
                };
                let options = fence_options(&options);
                self.emit(&format!("{lead}```{lang}{options}"), src);
                return Some(tag.name);
            }
            for l in lines {
                if l.is_empty() {
                    self.emit("", src);
                } else {
                    self.generated_in_line.push(lead.len()..lead.len() + l.len());
                    self.emit(&format!("{lead}{l}"), src);
                }
            }
            return None;
        }
        let rendered = self.inline(line, src);
        self.emit(&rendered, src);
        None
    }

    /// Replaces inline shortcodes of one line, leaving code spans alone.
    fn inline(&mut self, line: &str, src: u32) -> String {
        let bytes = line.as_bytes();
        let mut out = String::with_capacity(line.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'`' {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let ticks = &line[i..i + run];
                if let Some(close) = line[i + run..].find(ticks) {
                    let end = i + run + close + run;
                    out.push_str(&line[i..end]);
                    i = end;
                    continue;
                }
                out.push_str(ticks);
                i += run;
                continue;
            }
            if (line[i..].starts_with("{{<") || line[i..].starts_with("{{%"))
                && let Some((tag, end)) = parse_tag(line, i)
            {
                let html = self.inline_tag(&tag, &line[i..end], src);
                if html.contains('<') {
                    self.generated_in_line.push(out.len()..out.len() + html.len());
                }
                out.push_str(&html);
                i = end;
                continue;
            }
            let ch = line[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }

    fn inline_tag(&mut self, tag: &Tag, raw: &str, src: u32) -> String {
        if tag.name.starts_with("/*") {
            // `{{</* x */>}}` is Hugo's way to write a shortcode literally.
            // Hugo shows it as written, comment marks removed: `{{< x >}}`.
            return raw.replacen("/*", "", 1).replacen("*/", "", 1);
        }
        match tag.name.as_str() {
            "ref" | "relref" => {
                let path = tag.arg(&["path"], 0).unwrap_or_default();
                self.refs.push((src as usize, path.clone()));
                path
            }
            "param" | "site.Params" => {
                let key = tag.arg(&["name"], 0).unwrap_or_default();
                match param(self.params, &key) {
                    Some(v) => v.as_str().map(String::from).unwrap_or_else(|| v.to_string()),
                    None => {
                        self.missing_params.push((src as usize, key));
                        String::new()
                    }
                }
            }
            "figure" | "img" | "image" => figure_image(tag),
            "kbd" => format!("<kbd>{}</kbd>", esc(&tag.arg(&[], 0).unwrap_or_default())),
            "icon" | "toc" => String::new(),
            _ if let Some(link) = embed_link(tag) => link,
            _ => match self.block_tag(tag, src) {
                Some(lines) => lines.join(" "),
                None => String::new(),
            },
        }
    }

    /// HTML lines for a block component, or `None` for an inline-only shortcode.
    /// Unknown shortcodes give a warning and nothing (their inner Markdown stays).
    fn block_tag(&mut self, tag: &Tag, src: u32) -> Option<Vec<String>> {
        let wrap = |open: String| vec![String::new(), open, String::new()];
        let close = |html: &str| vec![String::new(), html.to_string(), String::new()];
        let name = tag.name.as_str();
        if PAIRED.contains(&name) {
            if tag.closing {
                match self.open.iter().rposition(|(n, _)| n == name) {
                    Some(i) => {
                        self.open.remove(i);
                    }
                    None => {
                        self.stray.push((src as usize, name.to_string()));
                        return Some(Vec::new());
                    }
                }
            } else {
                self.open.push((name.to_string(), src));
            }
        }
        Some(match name {
            "callout" | "alert" | "notice" | "hint" | "admonition" | "note" | "warning" | "tip" | "info"
            | "danger" | "important" | "caution" => {
                if tag.closing {
                    return Some(close("</div>"));
                }
                let kind = if matches!(name, "callout" | "alert" | "notice" | "hint" | "admonition") {
                    tag.arg(&["type", "color", "kind", "context"], 0)
                        .unwrap_or_else(|| "note".into())
                } else {
                    name.to_string()
                };
                let kind = callout_kind(&kind);
                let title = tag
                    .arg(&["title"], usize::MAX)
                    .unwrap_or_else(|| crate::i18n::callout_title(self.lang, kind).to_string());
                wrap(format!(
                    "<div class=\"callout callout-{kind}\" role=\"note\"><p class=\"callout-title\">{}</p>",
                    esc(&title)
                ))
            }
            "details" | "expand" | "collapse" => {
                if tag.closing {
                    return Some(close("</details>"));
                }
                let summary = tag
                    .arg(&["title", "summary"], 0)
                    .unwrap_or_else(|| "Details".into());
                let open = if tag.named.iter().any(|(k, v)| k == "open" && v != "false") {
                    " open"
                } else {
                    ""
                };
                wrap(format!(
                    "<details class=\"details\"{open}><summary>{}</summary>",
                    esc(&summary)
                ))
            }
            "steps" => {
                if tag.closing {
                    return Some(close("</div>"));
                }
                wrap("<div class=\"steps\">".into())
            }
            // Docsy's `pageinfo`: a box of text without a title.
            "pageinfo" => {
                if tag.closing {
                    return Some(close("</div>"));
                }
                wrap("<div class=\"callout callout-note\" role=\"note\">".into())
            }
            // Docsy writes its tabs `tabpane`.
            "tabs" | "tabpane" => {
                if tag.closing {
                    self.tab_items.pop();
                    return Some(close("</div>"));
                }
                let items = tag
                    .arg(&["items"], usize::MAX)
                    .map(|s| s.split(',').map(|x| x.trim().to_string()).rev().collect())
                    .unwrap_or_default();
                self.tab_items.push(items);
                wrap("<div class=\"tabs\">".into())
            }
            "tab" => {
                if tag.closing {
                    return Some(close("</section>"));
                }
                let label = tag
                    .arg(&["name", "title", "label", "header"], 0)
                    .or_else(|| self.tab_items.last_mut().and_then(|v| v.pop()))
                    .unwrap_or_else(|| "•".into());
                wrap(format!(
                    "<section class=\"tab\" data-tab=\"{0}\"><p class=\"tab-title\">{0}</p>",
                    esc(&label)
                ))
            }
            "cards" => {
                if tag.closing {
                    return Some(close("</div>"));
                }
                wrap("<div class=\"cards\">".into())
            }
            "card" => {
                if tag.closing {
                    return Some(close("</div>"));
                }
                let title = tag.arg(&["title"], 0).unwrap_or_default();
                let mut lines = vec![String::new(), "<div class=\"card\">".to_string(), String::new()];
                match tag.arg(&["link", "href", "url"], 1) {
                    Some(link) if !link.is_empty() => {
                        lines.push(format!("**[{}]({link})**", md_text(&title)))
                    }
                    _ => lines.push(format!("**{}**", md_text(&title))),
                }
                if let Some(sub) = tag.arg(&["subtitle", "description"], 2) {
                    lines.push(String::new());
                    lines.push(md_text(&sub));
                }
                // A card written `{{< card … />}}` or without a body closes itself.
                if tag.named.iter().any(|(k, _)| k == "/") || tag.arg(&["link", "href", "url"], 1).is_some() {
                    lines.extend([String::new(), "</div>".into(), String::new()]);
                } else {
                    lines.push(String::new());
                }
                lines
            }
            "highlight" | "mermaid" => {
                if tag.closing {
                    return Some(vec!["```".into()]);
                }
                vec![]
            }
            // With a caption, a figure is a block, as Hugo writes it.
            "figure" => figure_caption(tag)?,
            "ref" | "relref" | "param" | "img" | "image" | "kbd" | "icon" => return None,
            // The page shows its table of contents above its text.
            "toc" => vec![String::new()],
            _ if let Some(link) = embed_link(tag) => vec![String::new(), link, String::new()],
            _ if name.starts_with("/*") => return None,
            _ => {
                if !tag.closing {
                    let message = if EMBEDS.contains(&name) {
                        format!("shortcode `{name}`: no id to link to; nothing is shown")
                    } else {
                        format!("unknown shortcode `{name}`: its inner Markdown is rendered without it")
                    };
                    self.warnings.push((src as usize, message));
                }
                vec![String::new()]
            }
        })
    }
}

/// The embeds [`embed_link`] links to.
const EMBEDS: &[&str] = &["youtube", "vimeo", "gist", "x", "tweet", "instagram"];

/// Hugo's embeds of other sites (`youtube`, `vimeo`, `gist`, `x` and
/// `tweet`, `instagram`) as a link to what they show, in Markdown: a
/// page of vigie's loads nothing from another site. `None` for another
/// shortcode, or one whose id is not one.
fn embed_link(tag: &Tag) -> Option<String> {
    let id = |keys: &[&str], pos: usize| {
        tag.arg(keys, pos).filter(|v| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        })
    };
    let url = match tag.name.as_str() {
        "youtube" => format!("https://www.youtube.com/watch?v={}", id(&["id"], 0)?),
        "vimeo" => format!("https://vimeo.com/{}", id(&["id"], 0)?),
        "gist" => format!(
            "https://gist.github.com/{}/{}",
            id(&["user"], 0)?,
            id(&["id"], 1)?
        ),
        "x" | "tweet" => match id(&["user"], usize::MAX) {
            Some(user) => format!("https://x.com/{user}/status/{}", id(&["id"], 0)?),
            None => format!("https://x.com/i/status/{}", id(&["id"], 0)?),
        },
        "instagram" => format!("https://www.instagram.com/p/{}/", id(&["id"], 0)?),
        _ => return None,
    };
    Some(
        match tag.arg(&["title"], usize::MAX).filter(|t| !t.trim().is_empty()) {
            Some(title) => format!("[{}]({url})", md_text(&title)),
            None => format!("<{url}>"),
        },
    )
}

/// The options of Hugo's `highlight` shortcode (`linenos=table,hl_lines=2
/// 4-6,linenostart=10`) as the attributes of a fence (` {linenos=table,
/// hl_lines="2 4-6",linenostart=10}`), which the rendering reads.
fn fence_options(options: &str) -> String {
    let pairs: Vec<String> = options
        .split(',')
        .filter_map(|o| o.split_once('='))
        .map(|(k, v)| match k.trim() {
            "hl_lines" => format!("hl_lines=\"{}\"", v.trim().trim_matches('"')),
            k => format!("{k}={}", v.trim()),
        })
        .collect();
    if pairs.is_empty() {
        return String::new();
    }
    format!(" {{{}}}", pairs.join(","))
}

/// Where the first `{{% comment %}}` (or `{{< comment >}}`; its closing tag
/// with `closing`) of `line` at or after byte `from` starts and ends.
fn comment_tag(line: &str, from: usize, closing: bool) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = line[at..].find("{{") {
        let start = at + i;
        if let Some((t, end)) = parse_tag(line, start)
            && t.name == "comment"
            && t.closing == closing
        {
            return Some((start, end));
        }
        at = start + 2;
    }
    None
}

/// `line` without what Hugo's `comment` shortcodes on it hold, and whether
/// the last one stays open past the line; `None` when it has none.
fn without_comments(line: &str) -> Option<(String, bool)> {
    let (mut start, mut end) = comment_tag(line, 0, false)?;
    let mut out = String::new();
    let mut last = 0;
    loop {
        out.push_str(&line[last..start]);
        match comment_tag(line, end, true) {
            Some((_, close)) => last = close,
            None => return Some((out, true)),
        }
        match comment_tag(line, last, false) {
            Some(next) => (start, end) = next,
            None => break,
        }
    }
    out.push_str(&line[last..]);
    Some((out, false))
}

fn is_closing_tag(line: &str, name: &str) -> bool {
    parse_tag(line.trim(), 0).is_some_and(|(t, _)| t.closing && t.name == name)
}

/// Parses `{{< name a "b c" k=v k2="v 2" >}}` (or `%` form) starting at byte `at`.
/// Returns the tag and the byte just after it.
fn parse_tag(s: &str, at: usize) -> Option<(Tag, usize)> {
    let rest = &s[at..];
    let delim = if rest.starts_with("{{<") {
        ">}}"
    } else if rest.starts_with("{{%") {
        "%}}"
    } else {
        return None;
    };
    let end = rest.find(delim)?;
    let inner = rest[3..end].trim();
    let inner = inner.strip_suffix('/').map(str::trim_end).unwrap_or(inner);
    let self_closing = rest[3..end].trim_end().ends_with('/');
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(x) if !x.starts_with('*') => (true, x.trim()),
        _ => (false, inner),
    };
    let words = split_args(inner);
    let mut iter = words.into_iter();
    let name = iter.next()?;
    let mut tag = Tag {
        name,
        closing,
        positional: Vec::new(),
        named: Vec::new(),
    };
    for w in iter {
        match w.split_once('=') {
            Some((k, v)) if !k.is_empty() && !k.contains(' ') && !k.starts_with('"') => {
                tag.named.push((k.to_string(), v.trim_matches('"').to_string()))
            }
            _ => tag.positional.push(w),
        }
    }
    if self_closing {
        tag.named.push(("/".into(), String::new()));
    }
    Some((tag, at + end + delim.len()))
}

/// Splits on spaces, keeping `"quoted strings"` (and `k="v w"`) together.
fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// An open code fence: its character, its length and the column it starts at.
type Fence = (char, usize, usize);

/// Whether `line` closes `fence`: as many fence characters or more, nothing
/// after them, indented less than four columns past the opening (deeper, it is
/// text of the block, such as a fence shown inside a Markdown example).
fn fence_closes(line: &str, (c, n, col): Fence) -> bool {
    let t = strip_container(line);
    t.chars().take_while(|&x| x == c).count() >= n
        && t.trim_start_matches(c).trim().is_empty()
        && columns(&line[..line.len() - t.len()]) < col + 4
}

/// A fence opening line, once blockquote markers and list indentation are set aside.
fn fence_open(line: &str) -> Option<Fence> {
    let t = strip_container(line);
    for c in ['`', '~'] {
        let n = t.chars().take_while(|&x| x == c).count();
        if n >= 3 && !(c == '`' && t[n..].contains('`')) {
            return Some((c, n, columns(&line[..line.len() - t.len()])));
        }
    }
    None
}

/// Width of `s` in columns, a tab counting four.
fn columns(s: &str) -> usize {
    s.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

fn strip_container(line: &str) -> &str {
    let mut t = line.trim_start();
    while let Some(r) = t.strip_prefix('>') {
        t = r.trim_start();
    }
    for marker in ["- ", "* ", "+ "] {
        if let Some(r) = t.strip_prefix(marker) {
            return r.trim_start();
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")) {
        return t[digits + 2..].trim_start();
    }
    t
}

/// Normalises the many names themes use for callout kinds to the five of GitHub alerts (+ danger).
pub fn callout_kind(kind: &str) -> &'static str {
    match kind.trim().to_ascii_lowercase().as_str() {
        "warning" | "warn" | "attention" | "orange" | "yellow" => "warning",
        "danger" | "error" | "red" | "failure" | "fail" | "missing" | "bug" => "danger",
        "caution" => "caution",
        "tip" | "hint" | "success" | "green" | "check" | "done" => "tip",
        "important" | "purple" => "important",
        _ => "note",
    }
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let _ = esc_into(&mut out, s);
    out
}

/// Writes `s` escaped as [`esc`] escapes it, without a copy of the runs that
/// need no escaping.
pub fn esc_into(out: &mut impl std::fmt::Write, s: &str) -> std::fmt::Result {
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&s[plain..i])?;
        out.write_str(entity)?;
        plain = i + 1;
    }
    out.write_str(&s[plain..])
}

/// Text placed in Markdown: brackets would break the link syntax around it.
/// The image of a `figure` (`img`, `image`) shortcode, as Markdown: its
/// file is checked as any image's.
fn figure_image(tag: &Tag) -> String {
    let src = tag.arg(&["src"], 0).unwrap_or_default();
    let alt = tag.arg(&["alt", "caption", "title"], 1).unwrap_or_default();
    let image = format!("![{}]({src})", alt.replace(['[', ']'], ""));
    match tag.arg(&["link"], usize::MAX) {
        Some(link) if !link.is_empty() => format!("[{image}]({link})"),
        _ => image,
    }
}

/// The lines of a `figure` shortcode that has a title, a caption or an
/// attribution, as Hugo's writes it: the image, then a `<figcaption>` with
/// the title as a heading and the caption (Markdown) with its attribution.
/// `None` for a figure without any: it is its image alone.
fn figure_caption(tag: &Tag) -> Option<Vec<String>> {
    let get = |k: &str| tag.arg(&[k], usize::MAX).filter(|v| !v.trim().is_empty());
    let (title, caption, attr) = (get("title"), get("caption"), get("attr"));
    if title.is_none() && caption.is_none() && attr.is_none() {
        return None;
    }
    let class = get("class").map_or(String::new(), |c| format!(" class=\"{}\"", esc(&c)));
    let mut lines = vec![
        String::new(),
        format!("<figure{class}>"),
        String::new(),
        figure_image(tag),
        String::new(),
        "<figcaption>".to_string(),
    ];
    if let Some(title) = title {
        lines.push(format!("<h4>{}</h4>", esc(&title)));
    }
    let attr = attr.map(|a| match get("attrlink") {
        Some(link) => format!("[{a}]({link})"),
        None => a,
    });
    let text: Vec<String> = caption
        .into_iter()
        .chain(attr)
        .map(|t| t.replace('<', "&lt;"))
        .collect();
    if !text.is_empty() {
        lines.extend([String::new(), text.join(" "), String::new()]);
    }
    lines.extend([
        "</figcaption>".to_string(),
        "</figure>".to_string(),
        String::new(),
    ]);
    Some(lines)
}

fn md_text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '*' | '_') {
            let _ = write!(out, "\\{c}");
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Preprocessed {
        preprocess(s, &[], "fr", true)
    }

    #[test]
    fn callout_becomes_a_component_with_markdown_inside() {
        let p = run(
            "Intro\n{{< callout type=\"warning\" >}}\nNe **jamais** redémarrer.\n{{< /callout >}}\nFin\n",
        );
        assert!(
            p.text.contains("<div class=\"callout callout-warning\""),
            "{}",
            p.text
        );
        assert!(p.text.contains("\n\nNe **jamais** redémarrer.\n\n"), "{}", p.text);
        // the inner line still maps to its source line
        let at = p.text.find("Ne **jamais**").unwrap();
        assert_eq!(p.lines.line(at), 3);
        let fin = p.text.find("Fin").unwrap();
        assert_eq!(p.lines.line(fin), 5);
    }

    #[test]
    fn embeds_of_other_sites_become_links_and_toc_nothing() {
        let p = run(
            "{{< toc >}}\n{{< youtube w7Ft2ymGmfc >}}\nVoir {{< youtube id=\"abc_D-1\" title=\"La [démo]\" >}}, {{< gist spf13 7896402 >}}, {{< x user=\"zoo\" id=\"145\" >}}, {{< tweet 99 >}}, {{< vimeo 55 >}} et {{< instagram BWNjjyYFxVx >}}.\n{{< youtube \"pas un id\" >}}\n",
        );
        assert!(!p.text.contains("toc"), "{}", p.text);
        assert!(
            p.text
                .contains("\n<https://www.youtube.com/watch?v=w7Ft2ymGmfc>\n"),
            "{}",
            p.text
        );
        for link in [
            "[La \\[démo\\]](https://www.youtube.com/watch?v=abc_D-1)",
            "<https://gist.github.com/spf13/7896402>",
            "<https://x.com/zoo/status/145>",
            "<https://x.com/i/status/99>",
            "<https://vimeo.com/55>",
            "<https://www.instagram.com/p/BWNjjyYFxVx/>",
        ] {
            assert!(p.text.contains(link), "{link}: {}", p.text);
        }
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert_eq!(p.warnings[0].0, 4);
        assert!(p.warnings[0].1.contains("`youtube`: no id"), "{:?}", p.warnings);
    }

    #[test]
    fn code_is_never_touched() {
        let src = "```yaml\nimage: {{ .Values.image }}\nx: {{< callout >}}\n```\nUse `{{< ref \"x\" >}}` literally.\n";
        let p = run(src);
        assert_eq!(p.text, src);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn ref_and_param_are_inline() {
        let mut params = Params::new();
        params.insert("BookRepo".into(), "https://git.example/repo".into());
        let p = preprocess(
            "See [x]({{< ref \"./other.md\" >}}) and {{< param BookRepo >}}.\n",
            &[&params],
            "en",
            true,
        );
        assert_eq!(p.text, "See [x](./other.md) and https://git.example/repo.\n");
    }

    #[test]
    fn unknown_shortcode_warns_and_keeps_inner_text() {
        let p = run("a\n{{< mystery x=1 >}}\n**inner**\n{{< /mystery >}}\n");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].0, 2);
        assert!(p.text.contains("**inner**"));
    }

    #[test]
    fn tabs_take_names_from_items() {
        let p = run(
            "{{< tabs items=\"Debian,Alpine\" >}}\n{{< tab >}}\napt\n{{< /tab >}}\n{{< tab >}}\napk\n{{< /tab >}}\n{{< /tabs >}}\n",
        );
        assert!(p.text.contains("data-tab=\"Debian\""));
        assert!(p.text.contains("data-tab=\"Alpine\""));
    }

    #[test]
    fn docsy_tabpane_and_pageinfo_are_tabs_and_a_box() {
        let p = run(
            "{{< tabpane >}}\n{{< tab header=\"Linux\" >}}\napt\n{{< /tab >}}\n{{< /tabpane >}}\n{{% pageinfo color=\"info\" %}}\n**Brouillon**\n{{% /pageinfo %}}\n",
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert!(
            p.text.contains("<div class=\"tabs\">") && p.text.contains("data-tab=\"Linux\""),
            "{}",
            p.text
        );
        assert!(
            p.text
                .contains("<div class=\"callout callout-note\" role=\"note\">\n\n**Brouillon**"),
            "{}",
            p.text
        );
        assert_eq!(p.text.matches("</div>").count(), 2, "{}", p.text);
    }

    #[test]
    fn a_mermaid_shortcode_is_its_diagrams_source_as_code() {
        let p =
            run("{{< mermaid align=\"center\" >}}\ngraph LR\n  A --> B\n{{< /mermaid >}}\n\nAprès -->.\n");
        assert!(
            p.text.starts_with("```mermaid\ngraph LR\n  A --> B\n```\n"),
            "{}",
            p.text
        );
        assert!(
            p.warnings.is_empty() && p.unclosed.is_empty(),
            "{:?} {:?}",
            p.warnings,
            p.unclosed
        );
        let p = run("{{< mermaid >}}\ngraph LR\n");
        assert_eq!(p.unclosed, [(1, "mermaid".to_string())]);
        assert!(p.text.trim_end().ends_with("```"), "{}", p.text);
    }

    #[test]
    fn the_options_of_a_highlight_shortcode_reach_its_fence() {
        let p = run(
            "{{< highlight go \"linenos=table,hl_lines=2 4-5,linenostart=10\" >}}\na\n{{< /highlight >}}\n",
        );
        assert!(
            p.text
                .starts_with("```go {linenos=table,hl_lines=\"2 4-5\",linenostart=10}\na\n```"),
            "{}",
            p.text
        );
        assert!(
            run("{{< highlight go >}}\na\n{{< /highlight >}}\n")
                .text
                .starts_with("```go\na")
        );
    }

    #[test]
    fn what_hugos_comment_shortcode_holds_is_left_out() {
        let p = run(
            "Avant {{< comment >}}caché{{< /comment >}} après, {{% comment %}}x{{% /comment %}}fin.\n\n{{% comment %}}\nTODO: relire.\n\nEncore.\n{{% /comment %}}\nVisible.\n\n```\n{{% comment %}}dans le code{{% /comment %}}\n```\n",
        );
        assert!(p.text.contains("Avant  après, fin."), "{}", p.text);
        assert!(
            !p.text.contains("caché") && !p.text.contains("TODO") && !p.text.contains("Encore"),
            "{}",
            p.text
        );
        assert!(
            p.text.contains("Visible.") && p.text.contains("dans le code"),
            "{}",
            p.text
        );
        assert!(
            p.unclosed.is_empty() && p.warnings.is_empty(),
            "{:?} {:?}",
            p.unclosed,
            p.warnings
        );
        // The lines stay where they were: `Visible.` is line 8.
        assert_eq!(
            p.text.lines().position(|l| l == "Visible.").map(|i| i + 1),
            Some(8),
            "{}",
            p.text
        );
        // One never closed hides the rest of the page, and is said.
        let p = run("Texte.\n\n{{% comment %}}\nbrouillon\n");
        assert!(!p.text.contains("brouillon"), "{}", p.text);
        assert_eq!(p.unclosed, [(3, "comment".to_string())]);
    }

    #[test]
    fn admonition_with_title_and_indented_body() {
        let p = run("!!! warning \"Attention\"\n    Corps **important**\n\nAprès\n");
        assert!(p.text.contains("callout-warning"));
        assert!(p.text.contains("Attention"));
        assert!(p.text.contains("Corps **important**"));
        assert!(p.text.contains("Après"));
    }

    #[test]
    fn a_fence_shown_inside_a_fenced_example_does_not_close_it() {
        let src = "```markdown\n=== \"Debian\"\n\n    ```bash\n    apt install x\n    ```\n\n!!! note\n```\n\n!!! note\n    Real.\n";
        let out = run(src).text;
        assert!(
            out.starts_with(
                "```markdown\n=== \"Debian\"\n\n    ```bash\n    apt install x\n    ```\n\n!!! note\n```\n"
            ),
            "{out}"
        );
        assert!(out.contains("callout-note"), "{out}");
        // in a list item, the closing fence is indented like the opening one
        let src = "1. Run:\n   ```\n   !!! note\n   ```\n";
        assert_eq!(run(src).text, src);
    }

    #[test]
    fn highlight_becomes_a_fence() {
        let p = run("{{< highlight bash >}}\necho {{ x }}\n{{< /highlight >}}\n");
        assert_eq!(p.text, "```bash\necho {{ x }}\n```\n");
    }

    #[test]
    fn escaped_shortcode_is_literal() {
        let p = run("Write {{</* callout */>}} to get one.\n");
        assert!(p.text.contains("Write {{< callout >}} to get one."), "{}", p.text);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn a_colon_first_on_a_line_is_text_unless_the_parser_is_mdbook_s() {
        let body = "Redémarrer le service.\n\n:warning: Jamais les deux nœuds.\n\nTerme\n: Définition\n\n| a | b |\n:--- | ---:\n\n```\n:x\n```\n";
        let p = preprocess(body, &[], "fr", true);
        assert!(p.text.contains("\n\\:warning: Jamais"), "{}", p.text);
        // A definition, a table's delimiter row, code: as written.
        assert!(p.text.contains("\n: Définition\n"), "{}", p.text);
        assert!(p.text.contains("\n:--- | ---:\n"), "{}", p.text);
        assert!(p.text.contains("```\n:x\n```"), "{}", p.text);
        assert_eq!(p.lines.line(p.text.find("Jamais").unwrap()), 3);
        assert_eq!(preprocess(body, &[], "fr", false).text, body);
    }

    #[test]
    fn a_block_left_open_is_closed_at_the_end_and_a_stray_closing_left_out() {
        // Left open: said at its line, closed where the page ends.
        let p = run("## Avant\n\n{{% notice warning %}}\nAttention.\n\n## Après\n");
        assert_eq!(p.unclosed, [(3, "notice".to_string())]);
        assert!(p.text.trim_end().ends_with("</div>"), "{}", p.text);
        let p = run("{{< highlight bash >}}\necho hi\n");
        assert_eq!(p.unclosed, [(1, "highlight".to_string())]);
        assert!(p.text.trim_end().ends_with("```"), "{}", p.text);
        // A closing tag with nothing open: said, and no `</div>` written.
        let p = run("Texte.\n\n{{% /notice %}}\n\nSuite.\n");
        assert_eq!(p.stray, [(3, "notice".to_string())]);
        assert!(!p.text.contains("</div>"), "{}", p.text);
        // Closed as it should be: nothing said.
        let p = run("{{% notice info %}}\nInfo.\n{{% /notice %}}\n");
        assert!(p.unclosed.is_empty() && p.stray.is_empty());
        assert_eq!(p.text.matches("</div>").count(), 1, "{}", p.text);
    }
}
