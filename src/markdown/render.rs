//! The rendering pass over one page (see the module doc of [`super`]).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

use super::autolink;
use super::highlight::highlight;
use super::quiz::QuestionKey;
use super::shortcodes::{self, LineMap, esc};
use super::slug::{SlugStyle, Slugger};
use crate::content::resolve::{Target, in_language_of, relative_url, resolve};
use crate::content::{Page, Site};
use crate::report::{Finding, Severity};

/// A heading of the page.
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
    /// 1-based line in the source file.
    pub line: usize,
}

/// Where a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
    /// `href`/`src` of raw HTML.
    Html,
}

/// A link as written in the page, with its resolution.
#[derive(Debug, Clone)]
pub struct LinkRef {
    pub href: String,
    pub line: usize,
    pub col: usize,
    pub kind: LinkKind,
    pub target: Target,
}

/// A fenced or indented code block.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// First word of the info string (`bash`, `yaml`), empty when none.
    pub lang: String,
    pub text: String,
    /// 1-based line of the opening fence in the source file (for an indented
    /// block, the line before its first): text line `i` is at `line + 1 + i`.
    pub line: usize,
}

/// Plain text under one heading, for search.
#[derive(Debug, Clone, Default)]
pub struct TextSection {
    /// `None` for the text before the first heading.
    pub anchor: Option<String>,
    pub heading: String,
    pub text: String,
}

/// Everything the rendering pass produced for one page.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub code_blocks: Vec<CodeBlock>,
    pub sections: Vec<TextSection>,
    /// Every anchor a link may target: heading ids and `id`/`name` of raw HTML.
    pub anchors: HashSet<String>,
    pub warnings: Vec<Finding>,
    /// Anchor of the leading `# Title`, which the theme shows as the page title
    /// (so it is not rendered twice).
    pub title_id: Option<String>,
    /// Self-check questions (`> [!QUIZ]`) of the page, in order, with their
    /// right answers and explanations (the answer key of a printable course).
    pub questions: Vec<QuestionKey>,
}

fn options(smart_punctuation: bool, marks: &crate::config::InlineMarks) -> Options {
    let smart = if smart_punctuation {
        Options::ENABLE_SMART_PUNCTUATION
    } else {
        Options::empty()
    };
    // `~x~` between words is a subscript where the site reads it so (the
    // parser's, as `~~x~~` stays struck through); `^x^` is read with the
    // other marks, the parser's would nest `^^x^^`.
    let sub = if marks.subscript {
        Options::ENABLE_SUBSCRIPT
    } else {
        Options::empty()
    };
    smart
        | sub
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
}

/// What a code fence's info string says: the language (```` ```bash ````,
/// ```` ```rust,ignore ````, ```` ```{.python} ````) and the title shown above the
/// code (`title="deploy.sh"`, as MkDocs' superfences and Material write it).
#[derive(Debug, Default, PartialEq)]
struct Fence {
    lang: String,
    title: Option<String>,
    /// Lines to emphasise, 1-based, first and last of each run
    /// (`hl_lines="2 4-6"` in MkDocs, `{hl_lines=[2,"4-6"]}` in Hugo).
    marked: Vec<(usize, usize)>,
    /// The number of the first line when the fence says its lines are
    /// numbered (`linenums="1"` in MkDocs, `{linenos=table,linenostart=5}`
    /// in Hugo): `Some(None)` when it says they are not, `None` when it
    /// says nothing (the site's setting holds).
    numbered: Option<Option<usize>>,
}

impl Fence {
    fn read(info: &str) -> Fence {
        let info = info.trim();
        let lang = match info.strip_prefix('{') {
            Some(attrs) => attrs
                .split(|c: char| c.is_whitespace() || c == '}')
                .find_map(|a| a.strip_prefix('.'))
                .unwrap_or(""),
            None => info
                .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                .next()
                .unwrap_or(""),
        };
        // its value quoted
        let title = after_key(info, "title=").and_then(quoted);
        Fence {
            lang: lang.to_string(),
            title: title.filter(|t| !t.trim().is_empty()).map(str::to_string),
            marked: marked_lines(info),
            numbered: first_line_number(info),
        }
    }
}

/// What follows `key` in a fence's info string where `key` starts a word
/// of its own (`title=`, not the end of `subtitle=`).
fn after_key<'i>(info: &'i str, key: &str) -> Option<&'i str> {
    info.match_indices(key).find_map(|(at, _)| {
        let before = info[..at].chars().next_back();
        before
            .is_none_or(|c| c.is_whitespace() || c == '{' || c == ',')
            .then(|| &info[at + key.len()..])
    })
}

/// The quoted value `value` starts with, without its quotes.
fn quoted(value: &str) -> Option<&str> {
    let q = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    value[1..].find(q).map(|end| &value[1..=end])
}

/// The value of `key=` in a fence's info string, unquoted: up to the next
/// space, comma or brace when it has no quotes.
fn fence_option<'i>(info: &'i str, key: &str) -> Option<&'i str> {
    let value = after_key(info, key)?;
    if value.starts_with(['"', '\'']) {
        return quoted(value);
    }
    let end = value.find(|c: char| c.is_whitespace() || c == ',' || c == '}');
    Some(&value[..end.unwrap_or(value.len())])
}

/// What a fence says of numbering its lines (see [`Fence::numbered`]):
/// MkDocs' `linenums="N"` (its first number is the start), Hugo's
/// `linenos=true|table|inline` from `linenostart=N` (1 without it) or
/// `linenos=false`.
fn first_line_number(info: &str) -> Option<Option<usize>> {
    if let Some(v) = fence_option(info, "linenums=") {
        return Some(v.split_whitespace().next().and_then(|n| n.parse().ok()));
    }
    Some(match fence_option(info, "linenos=")? {
        "true" | "table" | "inline" => Some(
            fence_option(info, "linenostart=")
                .and_then(|n| n.parse().ok())
                .unwrap_or(1),
        ),
        _ => None,
    })
}

/// The runs of lines `hl_lines=` names in a fence's info string: quoted
/// (`"2 4-6"`) or a list (`[2, "4-6"]`), of line numbers and ranges.
fn marked_lines(info: &str) -> Vec<(usize, usize)> {
    const KEY: &str = "hl_lines=";
    let runs = match after_key(info, KEY).and_then(|v| v.strip_prefix('[')) {
        Some(list) => &list[..list.find(']').unwrap_or(list.len())],
        None => fence_option(info, KEY).unwrap_or(""),
    };
    runs.split(|c: char| c.is_whitespace() || matches!(c, ',' | '"' | '\''))
        .filter_map(|run| {
            let (first, last) = run.split_once('-').unwrap_or((run, run));
            let (first, last) = (first.parse().ok()?, last.parse().ok()?);
            (first >= 1 && first <= last).then_some((first, last))
        })
        .collect()
}

/// `html`, the lines of a code block, with the lines of `marked` each in a
/// `hl-line` span and, when `numbered` gives the first line's number, each
/// line's number before it (left out of what is selected and copied). The
/// highlighter closes its spans at each line's end, some just after the
/// line's newline (a comment runs to it): those closings belong to the line.
fn mark_lines(html: String, marked: &[(usize, usize)], numbered: Option<usize>) -> String {
    if marked.is_empty() && numbered.is_none() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 32 * marked.len());
    let mut rest = html.as_str();
    let mut n = 0;
    while !rest.is_empty() {
        n += 1;
        let (text, closings, after) = match rest.find('\n') {
            Some(nl) => {
                let tail = &rest[nl + 1..];
                let closed = tail.len() - tail.trim_start_matches("</span>").len();
                (&rest[..nl], &tail[..closed], &tail[closed..])
            }
            None => (rest, "", ""),
        };
        let newline = if rest.len() > text.len() { "\n" } else { "" };
        if let Some(first) = numbered {
            use std::fmt::Write as _;
            let _ = write!(
                out,
                "<span class=\"ln\" aria-hidden=\"true\">{}</span>",
                first + n - 1
            );
        }
        if marked.iter().any(|&(first, last)| (first..=last).contains(&n)) {
            out.push_str("<span class=\"hl-line\">");
            out.push_str(text);
            out.push_str(closings);
            out.push_str("</span>");
        } else {
            out.push_str(text);
            out.push_str(closings);
        }
        out.push_str(newline);
        rest = after;
    }
    out
}

/// `t` with `<<` and `>>` written « and », as Hugo's typographer writes
/// them. The parser gives a `<` that may open HTML as a piece of text of
/// its own: a `<` ending the text before `t` makes `<<` with `t`'s first.
fn angle_quotes<'t>(t: CowStr<'t>, out: &mut [Event<'t>], heading: &mut Option<Pending<'t>>) -> CowStr<'t> {
    let mut t = t;
    if t.starts_with('<') {
        let before = match heading {
            Some(h) => h.events.last_mut(),
            None => out.last_mut(),
        };
        // (The text before went through here: it holds no `<<` left.)
        if let Some(Event::Text(prev)) = before
            && prev.ends_with('<')
        {
            *prev = CowStr::from(prev[..prev.len() - 1].to_string());
            t = CowStr::from(format!("«{}", &t[1..]));
        }
    }
    if t.contains("<<") || t.contains(">>") {
        CowStr::from(t.replace("<<", "«").replace(">>", "»"))
    } else {
        t
    }
}

/// The code of an inline code span that names its language first
/// (`#!python print()`, `:::python print()`), as `pymdownx.inlinehilite`
/// reads it; `None` when it names none.
fn without_lang(code: &str) -> Option<&str> {
    let rest = code.strip_prefix("#!").or_else(|| code.strip_prefix(":::"))?;
    let (lang, code) = rest.split_once(' ')?;
    let named = !lang.is_empty()
        && lang
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '_' | '#' | '.'));
    named.then_some(code)
}

/// Gives the link, image or emphasis that `out` ends with the attributes
/// of `marker`, the attribute list written after it (see
/// [`super::attrs`]): the element is written as HTML of its own, an
/// address and title as the parser would write them, then the list's
/// attributes (which win). After anything else, the list is left out.
/// The element's id, when the list gives it one.
fn give_attributes(out: &mut Vec<Event<'_>>, marker: &str) -> Option<String> {
    let attrs = super::attrs::read(marker)?;
    let Some(Event::End(end)) = out.last() else {
        return None;
    };
    let (end, name) = match end {
        TagEnd::Link => (TagEnd::Link, "a"),
        TagEnd::Image => (TagEnd::Image, "img"),
        TagEnd::Strong => (TagEnd::Strong, "strong"),
        TagEnd::Emphasis => (TagEnd::Emphasis, "em"),
        _ => return None,
    };
    // Its start: the nearest one of its kind not closed before it.
    let mut depth = 0usize;
    let mut start = None;
    for i in (0..out.len() - 1).rev() {
        match &out[i] {
            Event::End(e) if *e == end => depth += 1,
            Event::Start(t) if t.to_end() == end => {
                if depth == 0 {
                    start = Some(i);
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    let start = start?;
    let id = attrs.iter().find(|(k, _)| k == "id").map(|(_, v)| v.clone());
    let mut all: Vec<(String, String)> = Vec::new();
    match &out[start] {
        Event::Start(Tag::Link { dest_url, title, .. }) => {
            all.push(("href".into(), dest_url.to_string()));
            if !title.is_empty() {
                all.push(("title".into(), title.to_string()));
            }
        }
        Event::Start(Tag::Image { dest_url, title, .. }) => {
            all.push(("src".into(), dest_url.to_string()));
            // The text of the image's description is its `alt`.
            let mut alt = String::new();
            for e in &out[start + 1..out.len() - 1] {
                match e {
                    Event::Text(t) | Event::Code(t) => alt.push_str(t),
                    Event::SoftBreak | Event::HardBreak => alt.push(' '),
                    _ => {}
                }
            }
            all.push(("alt".into(), alt));
            if !title.is_empty() {
                all.push(("title".into(), title.to_string()));
            }
        }
        _ => {}
    }
    for (k, v) in attrs {
        match all.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => all.push((k, v)),
        }
    }
    let mut html = format!("<{name}");
    for (k, v) in &all {
        html.push(' ');
        html.push_str(k);
        html.push_str("=\"");
        html.push_str(&esc(v));
        html.push('"');
    }
    if end == TagEnd::Image {
        html.push_str(" />");
        out.truncate(start);
        out.push(Event::InlineHtml(html.into()));
    } else {
        html.push('>');
        out[start] = Event::InlineHtml(html.into());
        if let Some(last) = out.last_mut() {
            *last = Event::InlineHtml(format!("</{name}>").into());
        }
    }
    id
}

/// Whether the text event `t` is one character that smart punctuation
/// wrote in place of straight quotes, dashes or dots.
fn is_typographic(t: &str) -> bool {
    matches!(t, "’" | "‘" | "“" | "”" | "–" | "—" | "…")
}

/// Adds `piece` to the text the open heading's anchor is made from, when
/// that is not the text it shows (see [`Pending::id_text`]).
fn id_words(heading: &mut Option<Pending<'_>>, piece: &str) {
    if let Some(id_text) = heading.as_mut().and_then(|h| h.id_text.as_mut()) {
        id_text.push_str(piece);
    }
}

struct Pending<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    line: usize,
    events: Vec<Event<'a>>,
    text: String,
    /// The heading's text with its quotes and dashes as written, where the
    /// site's tool makes the anchor from that (Hugo), not from the
    /// typographic text shown (mdBook, MkDocs).
    id_text: Option<String>,
}

/// What a rendering pass produces beyond the links, anchors and text that
/// every pass gives.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Syntax-highlight code blocks (most of the rendering time of a large
    /// site). Checks that never show the HTML (`vigie check links`) turn it off.
    pub highlight: bool,
    /// Write the page's HTML at all (checks read links, anchors, code and
    /// text only: on 10,000 pages the HTML is 230 MB they need not hold).
    pub html: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            highlight: true,
            html: true,
        }
    }
}

impl RenderOptions {
    /// What checks, searches and platform records need: no HTML.
    pub fn checks() -> RenderOptions {
        RenderOptions {
            highlight: false,
            html: false,
        }
    }
}

/// Renders one page of `site`.
pub fn render(site: &Site, page: &Page) -> Rendered {
    render_with(site, page, &RenderOptions::default())
}

/// Renders one page of `site` with `opts`.
pub fn render_with(site: &Site, page: &Page, opts: &RenderOptions) -> Rendered {
    render_body(site, page, &page.body, opts)
}

/// Renders `body`, the Markdown of `page` (a build that hands each page
/// its body, which the page no longer holds), with `opts`.
pub fn render_body(site: &Site, page: &Page, body: &str, opts: &RenderOptions) -> Rendered {
    let params = page_params(site, page);
    // mdBook's parser is ours: there, a colon first on a line makes a
    // definition, and `run` says so when it looks like a mistake.
    let text_colons = site.config.layout != crate::config::Layout::MdBook;
    let pre = shortcodes::preprocess_with(
        body,
        &params,
        &page.lang,
        text_colons,
        site.config.admonish,
        site.config.attributes,
    );
    let mut r = Renderer {
        site,
        page,
        lines: &pre.lines,
        text: &pre.text,
        out: Rendered::default(),
        slugger: Slugger::new(SlugStyle::of(site.config.layout, site.config.heading_ids)),
        abbrs: Abbreviations::new(&pre.abbrs),
        images: 0,
        footnotes: Footnotes::default(),
        section: TextSection {
            heading: page.title.clone(),
            ..TextSection::default()
        },
        quotes: Vec::new(),
        quote_lines: Vec::new(),
        highlight: opts.highlight,
        in_link: 0,
        generated: &pre.generated,
        refs: &pre.refs,
        omitted_block: false,
        ids_as_written: site.config.smart_punctuation && site.config.layout == crate::config::Layout::Hugo,
        angle_open: false,
    };
    // Shortcode problems, at their line in the page's file.
    let warning =
        |rule: &str, line: usize, target: Option<&str>, message: String, suggestion: Option<String>| {
            Finding {
                rule: rule.into(),
                severity: Severity::Warning,
                page: page.display().to_string(),
                line: page.file_line(line),
                col: None,
                target: target.map(String::from),
                message,
                suggestion,
            }
        };
    for (line, message) in &pre.warnings {
        r.out
            .warnings
            .push(warning("unknown-shortcode", *line, None, message.clone(), None));
    }
    // Hugo stops on a shortcode left open; the page renders, and this says where.
    for (line, name) in &pre.unclosed {
        r.out.warnings.push(warning(
            "unclosed-shortcode",
            *line,
            Some(name),
            format!("shortcode `{name}` is opened here and never closed: the rest of the page is inside it"),
            Some(format!("add {{{{< /{name} >}}}} where it ends")),
        ));
    }
    for (line, key) in &pre.missing_params {
        r.out.warnings.push(warning(
            "unknown-param",
            *line,
            Some(key),
            format!("`{{{{< param {key} >}}}}`: no such parameter in the page's front matter or the site's params; nothing is shown"),
            None,
        ));
    }
    for (line, name) in &pre.stray {
        r.out.warnings.push(warning(
            "unclosed-shortcode",
            *line,
            Some(name),
            format!("closing `{name}` here, but no `{name}` is open: it is left out"),
            Some(format!(
                "remove it, or open {{{{< {name} >}}}} where the block starts"
            )),
        ));
    }
    let events = r.run();
    // A `ref` that is not a link's address is checked all the same (Hugo
    // fails on a ref to nothing): as a link at its line.
    for (line, path) in &pre.refs {
        if path.is_empty() || r.out.links.iter().any(|l| &l.href == path) {
            continue;
        }
        let target = in_language_of(site, page, resolve(site, page, path));
        r.out.links.push(LinkRef {
            href: path.clone(),
            line: page.file_line(*line),
            col: 1,
            kind: LinkKind::Link,
            target,
        });
    }
    let quizzes = super::quiz::rewrite(events, &page.lang, &r.quote_lines);
    if !quizzes.keys.is_empty() {
        // The marker is syntax, not words to search for.
        for section in &mut r.out.sections {
            section.text = section.text.replace("[!QUIZ]", "");
        }
        r.section.text = r.section.text.replace("[!QUIZ]", "");
    }
    for (line, message) in quizzes.warnings {
        r.out.warnings.push(Finding {
            rule: "quiz".into(),
            severity: Severity::Warning,
            page: page.display().to_string(),
            line,
            col: None,
            target: None,
            message,
            suggestion: None,
        });
    }
    r.out.questions = quizzes.keys;
    if opts.html {
        let events = super::tasks::label(quizzes.events);
        let mut html = String::with_capacity(pre.text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        r.out.html = html;
    }
    let section = std::mem::take(&mut r.section);
    r.out.sections.push(section);
    r.out
}

/// What `{{< param >}}` reads on `page`: its own front matter first (its
/// `params:` table, then its other keys), then the site's, as Hugo's
/// `.Page.Param` does.
fn page_params<'s>(site: &'s Site, page: &'s Page) -> Vec<&'s shortcodes::Params> {
    let extra = &page.front_matter.extra;
    let own = extra.get("params").and_then(|p| p.as_object());
    own.into_iter()
        .chain([extra])
        .chain(site.config.params.as_ref())
        .collect()
}

/// A Rust block of an mdBook as mdBook shows it: the lines it hides (`#`
/// then a space, or `#` alone: the `fn main() {` around an example) left
/// out, and `##` written as the `#` it stands for.
fn without_hidden_lines(body: String) -> String {
    if !body.contains('#') {
        return body;
    }
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        let text = line.trim_start();
        let lead = &line[..line.len() - text.len()];
        let bare = text.trim_end_matches(['\n', '\r']);
        if bare == "#" || text.starts_with("# ") {
            continue;
        }
        match text.strip_prefix("##") {
            Some(rest) => {
                out.push_str(lead);
                out.push('#');
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// What replaces the writer's HTML that a Hugo site does not publish: the
/// words Hugo writes.
const OMITTED: &str = "<!-- raw HTML omitted -->";
const OMITTED_BLOCK: &str = "<!-- raw HTML omitted -->\n";

struct Renderer<'s, 't> {
    site: &'s Site,
    page: &'s Page,
    lines: &'t LineMap,
    text: &'t str,
    out: Rendered,
    slugger: Slugger,
    section: TextSection,
    /// Kinds of the open block quotes, to close alerts with `</div>`.
    quotes: Vec<Option<BlockQuoteKind>>,
    /// Source line of every plain block quote, for the questions' warnings.
    quote_lines: Vec<usize>,
    highlight: bool,
    abbrs: Option<Abbreviations>,
    /// Depth of images being read: their alt text stays plain.
    images: usize,
    footnotes: Footnotes<'t>,
    /// Open links and images, Markdown or raw `<a>`: no autolink inside them.
    in_link: usize,
    /// Where `text` holds HTML that shortcodes became (see `raw_html`).
    generated: &'t [std::ops::Range<usize>],
    /// The paths of the page's `ref`/`relref` shortcodes: they lead to the
    /// page in the page's own language, as Hugo's `ref` finds it.
    refs: &'t [(usize, String)],
    /// The HTML block being read was left out: said once.
    omitted_block: bool,
    /// Anchors are made from headings as written, not as shown (see
    /// [`Pending::id_text`]). Hugo's typographer, which is what this says,
    /// also writes `<<` and `>>` as « and » (see [`angle_quotes`]).
    ids_as_written: bool,
    /// A `<<mot>>` is being read (see [`Renderer::angle_tag`]): the `>`
    /// that follows closes it.
    angle_open: bool,
}

impl<'t> Renderer<'_, 't> {
    fn line(&self, offset: usize) -> usize {
        self.page.file_line(self.lines.line(offset))
    }

    /// Whether the HTML at `offset` is the writer's own on a site that does
    /// not publish it (Hugo without `markup.goldmark.renderer.unsafe`):
    /// left out, as Hugo leaves it, so a contributor's `<script>` never
    /// runs. The HTML shortcodes became is the site's, and stays.
    fn left_out(&self, offset: usize) -> bool {
        !self.site.config.raw_html && !self.generated.iter().any(|g| g.start <= offset && offset < g.end)
    }

    /// Says so when the definition starting at `offset` is a line that
    /// starts with a colon and no space (`:warning: Ne jamais…`): the
    /// paragraph above became its term, which mdBook does too, but which
    /// is seldom what the writer meant.
    fn colon_definition(&mut self, offset: usize) {
        let rest = self.text[offset..].trim_start_matches([' ', '\t']);
        let Some(after) = rest.strip_prefix(':') else {
            return;
        };
        if after.chars().next().is_none_or(char::is_whitespace) {
            return;
        }
        let first = after.split_whitespace().next().unwrap_or_default();
        self.warn(
            "colon-definition",
            offset,
            None,
            format!(
                "`:{first}` at the start of a line makes the paragraph above it a definition list term, with this line as its definition"
            ),
            "write `\\:` to show the colon as text, or put a space after it if a definition is meant",
        );
    }

    /// A warning of rule `rule` at `offset` of the text.
    fn warn(&mut self, rule: &str, offset: usize, target: Option<String>, message: String, suggestion: &str) {
        self.out.warnings.push(Finding {
            rule: rule.into(),
            severity: Severity::Warning,
            page: self.page.display().to_string(),
            line: self.line(offset),
            col: None,
            target,
            message,
            suggestion: Some(suggestion.into()),
        });
    }

    /// `event` as Hugo's typographer reads `<<mot>>` (« mot »): before the
    /// parser can take `<mot>` for an HTML tag, the `<` before it and the
    /// `>` after it make the quotes. The parser gives `<`, the tag, `>`:
    /// the tag becomes the text `«mot`, and the `>` after it `»`.
    fn angle_tag(
        &mut self,
        event: Event<'t>,
        out: &mut Vec<Event<'t>>,
        heading: &mut Option<Pending<'t>>,
    ) -> Event<'t> {
        let events = match heading {
            Some(h) => &mut h.events,
            None => out,
        };
        if std::mem::take(&mut self.angle_open) {
            return match event {
                Event::Text(t) if t.starts_with('>') => Event::Text(format!("»{}", &t[1..]).into()),
                other => {
                    events.push(Event::Text(">".into()));
                    other
                }
            };
        }
        if let Event::InlineHtml(h) = &event
            && let Some(word) = h.strip_prefix('<').and_then(|w| w.strip_suffix('>'))
            && word.starts_with(|c: char| c.is_ascii_alphabetic())
            && !word.contains(['<', '>', '/'])
            && let Some(Event::Text(prev)) = events.last_mut()
            && prev.ends_with('<')
        {
            *prev = CowStr::from(prev[..prev.len() - 1].to_string());
            self.angle_open = true;
            return Event::Text(format!("«{word}").into());
        }
        event
    }

    fn run(&mut self) -> Vec<Event<'t>> {
        let text: &'t str = self.text;
        let parser = Parser::new_ext(
            text,
            options(self.site.config.smart_punctuation, &self.site.config.marks),
        )
        .into_offset_iter();
        // About one event per 32 bytes of Markdown: few reallocations.
        let mut out: Vec<Event<'t>> = Vec::with_capacity(text.len() / 32);
        let mut heading: Option<Pending<'t>> = None;
        let mut code: Option<(Fence, String, usize)> = None;
        // Inside a `[TOC]` paragraph, left out.
        let mut toc_marker = false;
        for (event, range) in parser {
            if toc_marker {
                toc_marker = !matches!(event, Event::End(TagEnd::Paragraph));
                continue;
            }
            if matches!(event, Event::Start(Tag::Paragraph)) && self.is_toc_marker(&text[range.clone()]) {
                toc_marker = true;
                continue;
            }
            if let Some((_, buf, _)) = code.as_mut() {
                match event {
                    Event::Text(t) => {
                        buf.push_str(&t);
                        continue;
                    }
                    Event::End(TagEnd::CodeBlock) => {
                        let (fence, body, line) = code.take().unwrap_or_default();
                        out.push(Event::Html(self.code_block(fence, body, line).into()));
                        continue;
                    }
                    _ => continue,
                }
            }
            let event = if self.ids_as_written {
                self.angle_tag(event, &mut out, &mut heading)
            } else {
                event
            };
            let event = match event {
                Event::Start(Tag::Heading {
                    level, id, classes, ..
                }) => {
                    self.flush_section();
                    heading = Some(Pending {
                        level,
                        id: id.map(|s| s.to_string()),
                        classes: classes.iter().map(|c| c.to_string()).collect(),
                        line: self.line(range.start),
                        events: Vec::new(),
                        text: String::new(),
                        id_text: self.ids_as_written.then(String::new),
                    });
                    continue;
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some(h) = heading.take() {
                        self.heading(h, &mut out);
                    }
                    continue;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let (fence, line) = match kind {
                        CodeBlockKind::Fenced(info) => (Fence::read(&info), self.line(range.start)),
                        // no fence: the line before the first one, as if there were
                        CodeBlockKind::Indented => (Fence::default(), self.line(range.start) - 1),
                    };
                    code = Some((fence, String::new(), line));
                    continue;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    self.in_link += 1;
                    let dest = self.link(dest_url, range.start, LinkKind::Link, link_type);
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    })
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    self.images += 1;
                    self.in_link += 1;
                    let dest = self.link(dest_url, range.start, LinkKind::Image, link_type);
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    })
                }
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    self.in_link = self.in_link.saturating_sub(1);
                    if matches!(event, Event::End(TagEnd::Image)) {
                        self.images = self.images.saturating_sub(1);
                    }
                    event
                }
                Event::Start(Tag::DefinitionListDefinition) => {
                    self.colon_definition(range.start);
                    event
                }
                Event::InlineHtml(h) if h.starts_with(super::attrs::MARKER) => {
                    // Its id is an anchor links may target, as on the page MkDocs writes.
                    if let Some(id) = give_attributes(&mut out, &h) {
                        self.out.anchors.insert(id);
                    }
                    continue;
                }
                Event::Html(_) if self.left_out(range.start) => {
                    // Once per block, as Hugo writes it.
                    let said = std::mem::replace(&mut self.omitted_block, true);
                    Event::Html(if said { "".into() } else { OMITTED_BLOCK.into() })
                }
                Event::InlineHtml(_) if self.left_out(range.start) => Event::InlineHtml(OMITTED.into()),
                Event::End(TagEnd::HtmlBlock) => {
                    self.omitted_block = false;
                    event
                }
                Event::Html(h) => Event::Html(self.raw_html(h, range.start)),
                Event::InlineHtml(h) => {
                    let tag = h.trim_start().to_ascii_lowercase();
                    if tag.starts_with("<a ") || tag.starts_with("<a>") {
                        self.in_link += 1;
                    } else if tag.starts_with("</a") {
                        self.in_link = self.in_link.saturating_sub(1);
                    }
                    Event::InlineHtml(self.raw_html(h, range.start))
                }
                Event::Start(Tag::BlockQuote(kind)) => {
                    self.quotes.push(kind);
                    if kind.is_none() {
                        self.quote_lines.push(self.line(range.start));
                    }
                    match kind {
                        Some(k) => Event::Html(self.alert_open(k).into()),
                        None => Event::Start(Tag::BlockQuote(None)),
                    }
                }
                Event::End(TagEnd::BlockQuote(_)) => match self.quotes.pop().flatten() {
                    Some(_) => Event::Html("</div>\n".into()),
                    None => Event::End(TagEnd::BlockQuote(None)),
                },
                Event::Start(Tag::Table(a)) => {
                    out.push(Event::Html("<div class=\"table-wrap\">".into()));
                    Event::Start(Tag::Table(a))
                }
                Event::End(TagEnd::Table) => {
                    out.push(Event::End(TagEnd::Table));
                    Event::Html("</div>\n".into())
                }
                Event::Start(Tag::FootnoteDefinition(name)) => {
                    self.footnotes.open = Some((name, out.len()));
                    continue;
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    if let Some((name, start)) = self.footnotes.open.take() {
                        let events = out.split_off(start.min(out.len()));
                        self.footnotes.defs.push((name, events));
                    }
                    continue;
                }
                Event::Text(t) => {
                    let t = if self.ids_as_written {
                        angle_quotes(t, &mut out, &mut heading)
                    } else {
                        t
                    };
                    let t = if self.site.config.marks.emoji {
                        self.emoji(t, range.clone())
                    } else {
                        t
                    };
                    let symbols = self.site.config.marks.symbols;
                    let t = match symbols.then(|| super::symbols::replace(&t)).flatten() {
                        Some(replaced) => replaced.into(),
                        None => t,
                    };
                    self.words(&t, &mut heading);
                    id_words(
                        &mut heading,
                        if is_typographic(&t) {
                            &text[range.clone()]
                        } else {
                            &t
                        },
                    );
                    let literals = if self.in_link == 0 {
                        autolink::find(&t)
                    } else {
                        Vec::new()
                    };
                    // Most text has no bare URL, no abbreviation and no mark.
                    let marked = self.images == 0 && super::marks::may_hold(&self.site.config.marks, &t);
                    if literals.is_empty() && (self.abbrs.is_none() || self.images > 0) && !marked {
                        Event::Text(t)
                    } else {
                        let mut pieces: Vec<Event> = Vec::new();
                        let mut last = 0;
                        // Offsets inside the text are source offsets when the
                        // text is the source as written (no entity, no escape).
                        let exact = t.len() == range.len();
                        for l in literals {
                            pieces.extend(self.decorated(t[last..l.start].to_string().into()));
                            let at = if exact { range.start + l.start } else { range.start };
                            let link_type = pulldown_cmark::LinkType::Autolink;
                            let dest = self.link(l.href.into(), at, LinkKind::Link, link_type);
                            pieces.push(Event::Start(Tag::Link {
                                link_type,
                                dest_url: dest,
                                title: "".into(),
                                id: "".into(),
                            }));
                            pieces.push(Event::Text(t[l.start..l.end].to_string().into()));
                            pieces.push(Event::End(TagEnd::Link));
                            last = l.end;
                        }
                        let rest: CowStr = if last == 0 {
                            t
                        } else {
                            t[last..].to_string().into()
                        };
                        pieces.extend(self.decorated(rest));
                        let event = pieces.pop().unwrap_or(Event::Text("".into()));
                        match heading.as_mut() {
                            Some(h) => h.events.extend(pieces),
                            None => out.extend(pieces),
                        }
                        event
                    }
                }
                Event::Code(t) => {
                    let t = match self.site.config.inline_lang.then(|| without_lang(&t)).flatten() {
                        Some(code) => CowStr::from(code.to_string()),
                        None => t,
                    };
                    self.words(&t, &mut heading);
                    id_words(&mut heading, &t);
                    Event::Code(t)
                }
                Event::SoftBreak | Event::HardBreak => {
                    self.words(" ", &mut heading);
                    id_words(&mut heading, " ");
                    // A site whose tool keeps line breaks (`nl2br`, `hardWraps`).
                    if self.site.config.hard_breaks && heading.is_none() {
                        Event::HardBreak
                    } else {
                        event
                    }
                }
                Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                    self.words(" ", &mut heading);
                    event
                }
                other => other,
            };
            match heading.as_mut() {
                Some(h) => h.events.push(event),
                None => out.push(event),
            }
        }
        self.place_footnotes(&mut out);
        out
    }

    /// Moves footnote definitions to the end of the page and links them to
    /// their references both ways, as Python-Markdown and Hugo do: references
    /// are `#fn:NAME`, the way back `#fnref:NAME`, numbered in the order the
    /// definitions are written.
    fn place_footnotes(&mut self, out: &mut Vec<Event<'t>>) {
        let mut defs = std::mem::take(&mut self.footnotes.defs);
        let has_refs = out.iter().any(|e| matches!(e, Event::FootnoteReference(_)));
        if defs.is_empty() && !has_refs {
            return;
        }
        let number: HashMap<String, usize> = defs
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (name.to_string(), i + 1))
            .collect();
        let mut referenced: HashMap<String, usize> = HashMap::new();
        let sup = |name: &str, n: usize, k: usize| {
            let back = if k == 1 {
                String::from("fnref")
            } else {
                format!("fnref{k}")
            };
            (
                format!("{back}:{name}"),
                format!(
                    "<sup id=\"{back}:{0}\"><a class=\"footnote-ref\" href=\"#fn:{0}\">{n}</a></sup>",
                    esc(name)
                ),
            )
        };
        let mut resolve = |e: &mut Event<'t>, anchors: &mut HashSet<String>| {
            if let Event::FootnoteReference(name) = e {
                let replaced = match number.get(name.as_ref()) {
                    Some(&n) => {
                        let k = referenced.entry(name.to_string()).or_insert(0);
                        *k += 1;
                        let (anchor, html) = sup(name, n, *k);
                        anchors.insert(anchor);
                        Event::InlineHtml(html.into())
                    }
                    None => Event::Text(format!("[^{name}]").into()),
                };
                *e = replaced;
            }
        };
        for e in out
            .iter_mut()
            .chain(defs.iter_mut().flat_map(|(_, events)| events.iter_mut()))
        {
            resolve(e, &mut self.out.anchors);
        }
        if defs.is_empty() {
            return;
        }
        let back = crate::i18n::t(&self.page.lang, "footnote_back");
        out.push(Event::Html("<div class=\"footnote\">\n<hr>\n<ol>\n".into()));
        for (name, mut events) in defs {
            self.out.anchors.insert(format!("fn:{name}"));
            out.push(Event::Html(format!("<li id=\"fn:{}\">\n", esc(&name)).into()));
            if referenced.contains_key(name.as_ref()) {
                let link = format!(
                    "&#160;<a class=\"footnote-backref\" href=\"#fnref:{}\" title=\"{}\">&#8617;</a>",
                    esc(&name),
                    esc(back)
                );
                match events
                    .iter()
                    .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
                {
                    Some(at) => events.insert(at, Event::InlineHtml(link.into())),
                    None => events.push(Event::Html(link.into())),
                }
            }
            out.extend(events);
            out.push(Event::Html("</li>\n".into()));
        }
        out.push(Event::Html("</ol>\n</div>\n".into()));
    }

    /// Whether a paragraph written `source` is a table-of-contents marker:
    /// `[TOC]` (MkDocs' `toc` extension, GitLab) or `[[_TOC_]]` (GitLab),
    /// alone in its paragraph. The page shows its table of contents above
    /// its text already: the marker is left out. Hugo and mdBook show it
    /// as text, and so does vigie there.
    fn is_toc_marker(&self, source: &str) -> bool {
        matches!(
            self.site.config.layout,
            crate::config::Layout::MkDocs | crate::config::Layout::Folder
        ) && matches!(source.trim(), "[TOC]" | "[[_TOC_]]")
    }

    /// `t` (the text of `range` of the source) with its emoji shortcodes
    /// as emoji; those it leaves as written are said, at their line.
    fn emoji(&mut self, t: CowStr<'t>, range: std::ops::Range<usize>) -> CowStr<'t> {
        if !t.contains(':') {
            return t;
        }
        let Some((text, unknown)) = super::emoji::replace(&t) else {
            return t;
        };
        // Offsets inside the text are source offsets when the text is the source as written.
        let exact = t.len() == range.len();
        for u in unknown {
            let at = if exact { range.start + u.at } else { range.start };
            let name = &u.name;
            let (message, suggestion) = if u.icon {
                (
                    format!(
                        "`:{name}:` is an icon of Material for MkDocs' theme, which vigie does not have: it is shown as written"
                    ),
                    "use an emoji such as `:white_check_mark:`, or remove it",
                )
            } else {
                (
                    format!("`:{name}:` is not an emoji vigie knows: it is shown as written"),
                    "check the emoji's name (GitHub's names, `:white_check_mark:`), or write `\\:` to show the colon",
                )
            };
            self.warn(
                "unknown-emoji",
                at,
                Some(format!(":{name}:")),
                message,
                suggestion,
            );
        }
        text.into()
    }

    /// `t` with its inline marks and its abbreviations marked up (not in
    /// an image's alt text).
    fn decorated(&self, t: CowStr<'t>) -> Vec<Event<'t>> {
        let marks = (self.images == 0)
            .then(|| super::marks::split(&self.site.config.marks, &t))
            .flatten();
        let Some(pieces) = marks else {
            return self.abbreviated(t);
        };
        let mut out = Vec::with_capacity(pieces.len());
        for p in pieces {
            match p {
                super::marks::Piece::Text(r) => out.extend(self.abbreviated(t[r].to_string().into())),
                super::marks::Piece::Html(h) => out.push(Event::InlineHtml(h.into())),
            }
        }
        out
    }

    /// `t` with its abbreviations marked up (not in an image's alt text).
    fn abbreviated(&self, t: CowStr<'t>) -> Vec<Event<'t>> {
        match self.abbrs.as_ref().filter(|_| self.images == 0) {
            Some(abbrs) => abbrs.split(t),
            None => vec![Event::Text(t)],
        }
    }

    fn words(&mut self, t: &str, heading: &mut Option<Pending<'_>>) {
        match heading {
            Some(h) => h.text.push_str(t),
            None => self.section.text.push_str(t),
        }
    }

    fn flush_section(&mut self) {
        let next = TextSection::default();
        let done = std::mem::replace(&mut self.section, next);
        if done.anchor.is_some() || !done.text.trim().is_empty() {
            self.out.sections.push(done);
        }
    }

    fn heading(&mut self, h: Pending<'t>, out: &mut Vec<Event<'t>>) {
        let text = h.text.trim().to_string();
        let id = match h.id {
            Some(id) => {
                self.slugger.reserve(&id);
                id
            }
            None => self
                .slugger
                .heading(h.id_text.as_deref().map_or(text.as_str(), str::trim)),
        };
        let level = h.level as u8;
        self.out.anchors.insert(id.clone());
        let is_title = level == 1 && self.page.title_in_body && self.out.headings.is_empty();
        self.out.headings.push(Heading {
            level,
            id: id.clone(),
            text: text.clone(),
            line: h.line,
        });
        self.section.anchor = Some(id.clone());
        self.section.heading = text;
        if is_title {
            self.out.title_id = Some(id);
            return;
        }
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", esc(&h.classes.join(" ")))
        };
        out.push(Event::Html(
            format!("<h{level} id=\"{}\"{class}>", esc(&id)).into(),
        ));
        out.extend(h.events);
        out.push(Event::Html(
            format!(
                "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n",
                esc(&id)
            )
            .into(),
        ));
    }

    fn code_block(&mut self, fence: Fence, body: String, line: usize) -> String {
        let Fence {
            lang,
            title,
            marked,
            numbered,
        } = fence;
        // mdBook has no such options: it leaves the block as it is.
        let (marked, numbered) = if self.site.config.layout == crate::config::Layout::MdBook {
            (Vec::new(), None)
        } else {
            (marked, numbered.unwrap_or(self.site.config.line_numbers))
        };
        let body = if self.site.config.layout == crate::config::Layout::MdBook && lang == "rust" {
            without_hidden_lines(body)
        } else {
            body
        };
        let inner = if self.highlight {
            highlight(&body, &lang)
        } else {
            esc(&body)
        };
        let inner = mark_lines(inner, &marked, numbered);
        self.section.text.push(' ');
        self.section.text.push_str(&body);
        let lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", esc(&lang))
        };
        let class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", esc(&lang))
        };
        let title = title.map_or(String::new(), |t| {
            self.section.text.push(' ');
            self.section.text.push_str(&t);
            format!("<p class=\"code-title\">{}</p>\n", esc(&t))
        });
        let html = format!("{title}<pre class=\"code\"{lang_attr}><code{class}>{inner}</code></pre>\n");
        self.out.code_blocks.push(CodeBlock {
            lang,
            text: body,
            line,
        });
        html
    }

    fn alert_open(&self, kind: BlockQuoteKind) -> String {
        let k = match kind {
            BlockQuoteKind::Note => "note",
            BlockQuoteKind::Tip => "tip",
            BlockQuoteKind::Important => "important",
            BlockQuoteKind::Warning => "warning",
            BlockQuoteKind::Caution => "caution",
        };
        format!(
            "<div class=\"callout callout-{k}\" role=\"note\"><p class=\"callout-title\">{}</p>\n",
            crate::i18n::callout_title(&self.page.lang, k)
        )
    }

    /// Resolves a link, records it, and returns the URL to write in the HTML.
    fn link(
        &mut self,
        dest: CowStr<'t>,
        offset: usize,
        kind: LinkKind,
        lt: pulldown_cmark::LinkType,
    ) -> CowStr<'t> {
        if matches!(lt, pulldown_cmark::LinkType::Email) {
            return dest;
        }
        let mut target = resolve(self.site, self.page, &dest);
        if self.refs.iter().any(|(_, p)| *p == *dest) {
            target = in_language_of(self.site, self.page, target);
        }
        let rewritten = self.rewrite(&dest, &target);
        self.out.links.push(LinkRef {
            href: dest.to_string(),
            line: self.line(offset),
            col: self.lines.col(self.text, offset),
            kind,
            target,
        });
        match rewritten {
            Some(r) => r.into(),
            None => dest,
        }
    }

    fn rewrite(&self, href: &str, target: &Target) -> Option<String> {
        let fragment = href.split_once('#').map(|(_, f)| f);
        match target {
            Target::Page { id, .. } => {
                let mut url = relative_url(&self.page.url, &self.site.page(*id).url);
                if let Some(f) = fragment {
                    url.push('#');
                    url.push_str(f);
                }
                Some(url)
            }
            Target::File { rel, .. } => Some(relative_url(&self.page.url, rel)),
            _ => None,
        }
    }

    /// Rewrites `href`/`src` of raw HTML and records `id`/`name` anchors.
    fn raw_html(&mut self, html: CowStr<'t>, offset: usize) -> CowStr<'t> {
        static ATTR: OnceLock<regex::Regex> = OnceLock::new();
        let re = ATTR.get_or_init(|| {
            regex::Regex::new(r#"(?i)\b(href|src|id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).unwrap()
        });
        if !html.contains('=') {
            return html;
        }
        let mut changed = String::new();
        let mut last = 0;
        let mut any = false;
        for cap in re.captures_iter(&html) {
            let attr = cap[1].to_ascii_lowercase();
            let Some(value) = cap.get(2).or_else(|| cap.get(3)) else {
                continue;
            };
            if attr == "id" || attr == "name" {
                self.out.anchors.insert(value.as_str().to_string());
                continue;
            }
            let href = value.as_str();
            let at = offset + value.start();
            let target = resolve(self.site, self.page, href);
            let rewritten = self.rewrite(href, &target);
            self.out.links.push(LinkRef {
                href: href.to_string(),
                line: self.line(at),
                col: self.lines.col(self.text, at),
                kind: LinkKind::Html,
                target,
            });
            if let Some(new) = rewritten {
                changed.push_str(&html[last..value.start()]);
                changed.push_str(&esc(&new));
                last = value.end();
                any = true;
            }
        }
        if !any {
            return html;
        }
        changed.push_str(&html[last..]);
        changed.into()
    }
}

/// Footnote definitions, gathered to be written at the end of the page.
#[derive(Default)]
struct Footnotes<'t> {
    /// (name, events of the definition), in the order they are written.
    defs: Vec<(CowStr<'t>, Vec<Event<'t>>)>,
    /// The definition being read: its name and where its events start.
    open: Option<(CowStr<'t>, usize)>,
}

/// The page's abbreviations (`*[HTML]: Hyper Text Markup Language`): each use
/// of one in the text, as a whole word, becomes `<abbr title="…">`.
struct Abbreviations {
    re: regex::Regex,
    titles: HashMap<String, String>,
}

impl Abbreviations {
    fn new(defs: &[(String, String)]) -> Option<Abbreviations> {
        if defs.is_empty() {
            return None;
        }
        let titles: HashMap<String, String> = defs.iter().cloned().collect();
        let mut words: Vec<&String> = titles.keys().collect();
        // the longest first, so `HTML5` wins over `HTML`
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let alternatives: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
        let re = regex::Regex::new(&format!(r"\b(?:{})\b", alternatives.join("|"))).ok()?;
        Some(Abbreviations { re, titles })
    }

    /// `text` as text and `<abbr>` events; the last event is text.
    fn split<'t>(&self, text: CowStr<'t>) -> Vec<Event<'t>> {
        let mut events = Vec::new();
        let mut last = 0;
        for m in self.re.find_iter(&text) {
            if m.start() > last {
                events.push(Event::Text(text[last..m.start()].to_string().into()));
            }
            let title = self.titles.get(m.as_str()).map_or("", String::as_str);
            events.push(Event::InlineHtml(
                format!("<abbr title=\"{}\">{}</abbr>", esc(title), esc(m.as_str())).into(),
            ));
            last = m.end();
        }
        if last == 0 {
            return vec![Event::Text(text)];
        }
        events.push(Event::Text(text[last..].to_string().into()));
        events
    }
}

#[cfg(test)]
mod tests;
