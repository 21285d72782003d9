//! Code highlighting at build time with syntect: HTML with `hl-*` classes that
//! the theme's CSS colours (light and dark), so the browser runs no highlighter.
//!
//! syntect names every token by a stack of scopes (`source.yaml`,
//! `string.unquoted.plain.out.yaml`, `entity.name.tag.yaml`); the theme
//! colours seven kinds of token. Each token is written with the one class of
//! its kind, decided here as the stylesheet's rules would decide it for the
//! scopes' classes nested one in another, so a page carries
//! `<span class="hl-t">name</span>` rather than a span per scope listing
//! every atom of its name: a third of a runbook's HTML was those classes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Loads the syntax definitions and compiles the patterns most code blocks
/// start with (shell, YAML), on a thread of its own: a build calls it
/// before it reads the pages, whose reading leaves a core idle, instead of
/// making the first page with code wait for it while the other thread waits
/// for that page.
pub fn prepare() {
    std::thread::spawn(|| {
        for (code, lang) in [
            ("kubectl get pods -n \"$NS\" # x\n", "bash"),
            ("a: \"b\" # c\n", "yaml"),
        ] {
            let _ = highlight_uncached(code, lang);
        }
    });
}

/// Blocks above this size are shown plain: highlighting them would cost more
/// than it helps a reader.
const MAX_HIGHLIGHT: usize = 64 * 1024;

fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let token = match lang {
        "console" | "shell" | "sh" | "zsh" | "shell-session" | "bash" | "terminal" => "bash",
        "yml" => "yaml",
        "jsonc" | "json5" => "json",
        "dockerfile" | "Dockerfile" => return None,
        "hcl" | "terraform" | "tf" => return None,
        "text" | "txt" | "plain" | "" | "log" | "output" => return None,
        other => other,
    };
    set.find_syntax_by_token(token)
}

/// Highlighted blocks seen lately in this process, by language and text.
/// Runbooks repeat the same commands page after page, and highlighting is
/// the costliest part of rendering, so a block seen again is not
/// highlighted again.
type Cache = Mutex<Bounded<(String, String), Arc<str>>>;

/// Bytes of block text and HTML the block memo holds in each of its halves.
const BLOCK_BYTES: usize = 4 << 20;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Bounded::new(BLOCK_BYTES)))
}

/// The inner HTML of a `<code>` element for `code` in language `lang`
/// (escaped plain text when the language is unknown).
pub fn highlight(code: &str, lang: &str) -> String {
    if syntax_for(lang).is_none() || code.len() > MAX_HIGHLIGHT {
        return super::shortcodes::esc(code);
    }
    let key = (lang.to_string(), code.to_string());
    if let Some(html) = cache().lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return html.to_string();
    }
    let html = highlight_uncached(code, lang);
    let size = key.0.len() + key.1.len() + html.len();
    *cache().lock().unwrap_or_else(|p| p.into_inner()).entry(key, size) = Arc::from(html.as_str());
    html
}

/// A memo of bounded size for a build of any size: entries go into a newer
/// half; when it holds `budget` (in whatever unit the caller counts), it
/// becomes the older half and the previous older half is dropped. A hit in
/// the older half moves the entry back into the newer one, so what a site
/// uses again and again stays, and what it used once goes.
struct Bounded<K, V> {
    newer: HashMap<K, V>,
    older: HashMap<K, V>,
    used: usize,
    budget: usize,
}

impl<K: std::hash::Hash + Eq, V> Bounded<K, V> {
    fn new(budget: usize) -> Self {
        Bounded {
            newer: HashMap::new(),
            older: HashMap::new(),
            used: 0,
            budget,
        }
    }

    /// The value of `key`, moved into the newer half if it was in the older.
    fn get<Q>(&mut self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        if !self.newer.contains_key(key) {
            let (k, v) = self.older.remove_entry(key)?;
            // Its size was counted in the older half's time: it counts as
            // one here, which lets the newer half pass its budget by at most
            // what it takes back.
            self.make_room(1);
            self.newer.insert(k, v);
        }
        self.newer.get(key)
    }

    /// The value of `key`, made (default) when there is none, counting
    /// `size` more against the budget.
    fn entry(&mut self, key: K, size: usize) -> &mut V
    where
        V: Default,
    {
        let older = self.older.remove(&key);
        self.make_room(size);
        self.newer.entry(key).or_insert_with(|| older.unwrap_or_default())
    }

    fn make_room(&mut self, size: usize) {
        if self.used >= self.budget {
            self.older = std::mem::take(&mut self.newer);
            self.used = 0;
        }
        self.used += size;
    }
}

fn highlight_uncached(code: &str, lang: &str) -> String {
    let syntax = match syntax_for(lang) {
        Some(s) if code.len() <= MAX_HIGHLIGHT => s,
        _ => return super::shortcodes::esc(code),
    };
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 2);
    let rest = resting(syntax);
    for line in LinesWithEndings::from(code) {
        let at_rest = state == rest.0 && stack == rest.1;
        if at_rest && let Some(line_html) = rest_line(&syntax.name, line) {
            html.push_str(&line_html);
            continue;
        }
        let done = match known_line(&syntax.name, line, &state, &stack) {
            Some(done) => {
                state = done.state.clone();
                stack = done.stack.clone();
                done
            }
            None => {
                let before = (state.clone(), stack.clone());
                let Ok(ops) = state.parse_line(line, syntaxes()) else {
                    return super::shortcodes::esc(code);
                };
                let Some(line_html) = line_html(line, &ops, &mut stack) else {
                    return super::shortcodes::esc(code);
                };
                if at_rest && state == rest.0 && stack == rest.1 {
                    remember_rest_line(&syntax.name, line, &line_html);
                }
                let done = Rc::new(LineDone {
                    html: line_html,
                    state: state.clone(),
                    stack: stack.clone(),
                });
                remember_line(&syntax.name, line, before, done.clone());
                done
            }
        };
        html.push_str(&done.html);
    }
    html
}

/// The HTML of `line`, which the parser read as `ops` from the scopes of
/// `stack` (left as they are at the end of the line): each run of tokens of
/// one kind in a span of its class, the rest as text. No span stays open
/// past the line. `None` when the operations do not fit the stack.
fn line_html(line: &str, ops: &[(usize, ScopeStackOp)], stack: &mut ScopeStack) -> Option<String> {
    let mut out = String::with_capacity(line.len() + ops.len() * 8);
    let mut open: Option<Look> = None;
    let mut at = 0;
    // A token's look is read from the scopes when its text is written:
    // several operations often come at one position.
    for (i, op) in ops {
        if *i > at {
            write_token(&mut out, &mut open, look_of(stack.as_slice()), &line[at..*i]);
            at = *i;
        }
        stack.apply(op).ok()?;
    }
    write_token(&mut out, &mut open, look_of(stack.as_slice()), &line[at..]);
    if open.is_some() {
        out.push_str("</span>");
    }
    Some(out)
}

/// Writes `text` shown as `look`, in the span already `open` when it is
/// shown so.
fn write_token(out: &mut String, open: &mut Option<Look>, look: Option<Look>, text: &str) {
    if text.is_empty() {
        return;
    }
    if *open != look {
        if open.is_some() {
            out.push_str("</span>");
        }
        if let Some((kind, italic)) = look {
            out.push_str("<span class=\"");
            out.push_str(kind.class());
            if italic {
                out.push_str(" hl-i");
            }
            out.push_str("\">");
        }
        *open = look;
    }
    let _ = super::shortcodes::esc_into(out, text);
}

/// What the theme colours. Each is a class of `vigie.css`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Comment,
    Str,
    Number,
    Keyword,
    Function,
    Tag,
    Variable,
}

impl Kind {
    /// The class of `vigie.css` that colours it (comments in italics too).
    fn class(self) -> &'static str {
        match self {
            Kind::Comment => "hl-c",
            Kind::Str => "hl-s",
            Kind::Number => "hl-n",
            Kind::Keyword => "hl-k",
            Kind::Function => "hl-f",
            Kind::Tag => "hl-t",
            Kind::Variable => "hl-v",
        }
    }
}

/// How a token is shown: the kind that colours it, and whether it is in
/// italics besides (`hl-i`: inside a comment, in another colour).
type Look = (Kind, bool);

/// Which kind a scope is, as the stylesheet decided it when it coloured
/// the scopes' own classes (`.hl-entity.hl-name.hl-tag`: a scope with these
/// three atoms), its rules in its order: the atoms a scope must have, those
/// one of the scopes around it must have (a descendant selector), and the
/// kind. The rule for comments also set italics, and was the only one.
const RULES: &[(&[&str], &[&str], Kind)] = &[
    (&["comment"], &[], Kind::Comment),
    (&["string"], &[], Kind::Str),
    (&["constant", "numeric"], &[], Kind::Number),
    (&["constant", "language"], &[], Kind::Number),
    (&["keyword"], &[], Kind::Keyword),
    (&["storage"], &[], Kind::Keyword),
    (&["entity", "name", "function"], &[], Kind::Function),
    (&["support", "function"], &[], Kind::Function),
    (&["entity", "name", "tag"], &[], Kind::Tag),
    (&["entity", "name", "type"], &[], Kind::Tag),
    (&["variable", "other"], &[], Kind::Variable),
    (&["variable", "parameter"], &[], Kind::Variable),
    (&["entity", "other", "attribute-name"], &[], Kind::Tag),
    (&["string"], &["meta", "mapping", "key"], Kind::Tag),
    (&["entity", "name", "tag", "yaml"], &[], Kind::Tag),
];

/// [`RULES`] with atoms as syntect numbers them.
struct Rules {
    rules: Vec<(Vec<u16>, Vec<u16>, Kind)>,
    comment: u16,
}

fn rules() -> &'static Rules {
    static RULES_BY_ATOM: OnceLock<Rules> = OnceLock::new();
    RULES_BY_ATOM.get_or_init(|| {
        let atom = |name: &str| Scope::new(name).map(|s| s.atom_at(0)).unwrap_or(u16::MAX);
        let atoms = |names: &[&str]| names.iter().map(|n| atom(n)).collect();
        Rules {
            rules: RULES
                .iter()
                .map(|(all, within, kind)| (atoms(all), atoms(within), *kind))
                .collect(),
            comment: atom("comment"),
        }
    })
}

fn has_atoms(scope: Scope, atoms: &[u16]) -> bool {
    let len = scope.len() as usize;
    atoms.iter().all(|a| (0..len).any(|i| scope.atom_at(i) == *a))
}

/// How a token inside the scopes of `stack` (outermost first) is shown, as
/// the stylesheet would style it with a span per scope: the colour of the
/// innermost scope that a rule matches (of its rules, the most specific,
/// then the last), in italics under a comment.
fn look_of(stack: &[Scope]) -> Option<Look> {
    let rules = rules();
    let colour = (0..stack.len()).rev().find_map(|at| {
        let scope = stack[at];
        rules
            .rules
            .iter()
            .enumerate()
            .filter(|(_, (all, within, _))| {
                has_atoms(scope, all)
                    && (within.is_empty() || stack[..at].iter().any(|outer| has_atoms(*outer, within)))
            })
            .max_by_key(|(order, (all, within, _))| (all.len() + within.len(), *order))
            .map(|(_, (_, _, kind))| *kind)
    })?;
    // The comment rule is the only one that sets italics: they reach
    // every token inside a comment, whatever its colour.
    let italic = colour != Kind::Comment && stack.iter().any(|s| has_atoms(*s, &[rules.comment]));
    Some((colour, italic))
}

/// The state a syntax rests in between two top-level lines (after a blank
/// line), with the scopes open there. Computed once per thread and syntax.
fn resting(syntax: &'static SyntaxReference) -> Rc<(ParseState, ScopeStack)> {
    thread_local! {
        static RESTING: RefCell<HashMap<&'static str, Rc<(ParseState, ScopeStack)>>> = RefCell::default();
    }
    RESTING.with_borrow_mut(|resting| {
        resting
            .entry(syntax.name.as_str())
            .or_insert_with(|| {
                let mut state = ParseState::new(syntax);
                let mut stack = ScopeStack::new();
                if let Ok(ops) = state.parse_line("\n", syntaxes()) {
                    for (_, op) in &ops {
                        let _ = stack.apply(op);
                    }
                }
                Rc::new((state, stack))
            })
            .clone()
    })
}

/// Lines that, read from the resting state, leave the parser at rest again:
/// most commands of a runbook. Their HTML depends only on the syntax and the
/// text, so all rendering threads share them (the per-thread memo below
/// holds the other lines, with the parser states they need).
type RestLines = Mutex<HashMap<&'static str, Bounded<String, Arc<str>>>>;

/// Bytes of line text and HTML kept per syntax in each half of the memo of
/// lines at rest.
const REST_BYTES: usize = 2 << 20;

fn rest_lines() -> &'static RestLines {
    static LINES: OnceLock<RestLines> = OnceLock::new();
    LINES.get_or_init(Default::default)
}

fn rest_line(syntax: &'static str, line: &str) -> Option<Arc<str>> {
    let mut lines = rest_lines().lock().unwrap_or_else(|p| p.into_inner());
    lines.get_mut(syntax)?.get(line).cloned()
}

fn remember_rest_line(syntax: &'static str, line: &str, html: &str) {
    let mut lines = rest_lines().lock().unwrap_or_else(|p| p.into_inner());
    let of_syntax = lines.entry(syntax).or_insert_with(|| Bounded::new(REST_BYTES));
    *of_syntax.entry(line.to_string(), line.len() + html.len()) = Arc::from(html);
}

/// One line highlighted from a given parser state: its HTML and the state
/// after it.
struct LineDone {
    html: String,
    state: ParseState,
    stack: ScopeStack,
}

/// Lines highlighted lately on this thread, by text, each with the syntax
/// and parser state it started from: the same command in another block is
/// not parsed again. The result is the one the parser gives, since it only
/// depends on those. (Parser states hold the regex engine's buffers, which
/// may not cross threads: each rendering thread keeps its own.)
type LineMemo = Bounded<String, Vec<Seen>>;

/// A line seen before: in which syntax, from which state, and what it gave.
type Seen = (&'static str, ParseState, ScopeStack, Rc<LineDone>);

/// Lines (with the parser states they start from) kept per thread in each
/// half of its memo: parser states are large, a few MB in all.
const MEMO_LINES: usize = 4_000;

thread_local! {
    static LINES: RefCell<LineMemo> = RefCell::new(Bounded::new(MEMO_LINES));
}

fn known_line(syntax: &str, line: &str, state: &ParseState, stack: &ScopeStack) -> Option<Rc<LineDone>> {
    LINES.with_borrow_mut(|memo| {
        memo.get(line)?
            .iter()
            .find(|(name, s, st, _)| *name == syntax && s == state && st == stack)
            .map(|(_, _, _, done)| done.clone())
    })
}

fn remember_line(syntax: &'static str, line: &str, before: (ParseState, ScopeStack), done: Rc<LineDone>) {
    LINES.with_borrow_mut(|memo| {
        memo.entry(line.to_string(), 1)
            .push((syntax, before.0, before.1, done));
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn bash_is_highlighted_and_escaped() {
        let html = super::highlight("echo \"<b>\" # note\n", "bash");
        assert!(html.contains("<span class=\"hl-c\"># note\n</span>"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn a_line_seen_before_is_highlighted_as_the_parser_does() {
        // The same lines in another order, inside and outside a heredoc and
        // a string: each must come out as a fresh generator gives it, on
        // this thread and on another.
        let blocks = [
            "kubectl get pods -n openstack\necho \"a\nkubectl get pods -n openstack\n\"\n",
            "cat <<EOF\nkubectl get pods -n openstack\nEOF\nkubectl get pods -n openstack\n",
            "kubectl get pods -n openstack\n# kubectl get pods -n openstack\n",
        ];
        for code in blocks {
            let expected = fresh(code, "bash");
            assert_eq!(super::highlight_uncached(code, "bash"), expected, "{code}");
            // Another rendering thread, with none of this one's lines but
            // those shared between threads.
            let other = std::thread::spawn(move || super::highlight_uncached(code, "bash"));
            assert_eq!(other.join().unwrap(), expected, "{code} on another thread");
        }
    }

    #[test]
    fn the_memo_keeps_what_is_used_again_within_its_budget() {
        let mut memo: super::Bounded<u32, u32> = super::Bounded::new(10);
        for i in 0..10 {
            *memo.entry(i, 1) = i;
        }
        // Full: the next entry starts a newer half; 0 is used again, and
        // moves into it.
        *memo.entry(10, 1) = 10;
        assert_eq!(memo.get(&0), Some(&0));
        for i in 11..20 {
            *memo.entry(i, 1) = i;
        }
        // The newer half filled up again and became the older one: what
        // was used only once before is gone, 0 is still there.
        *memo.entry(20, 1) = 20;
        assert_eq!(memo.get(&5), None);
        assert_eq!(memo.get(&0), Some(&0));
        assert_eq!(memo.get(&15), Some(&15));
        // However many entries go in, it holds about two budgets.
        for i in 100..10_000 {
            *memo.entry(i, 1) = i;
        }
        assert!(
            memo.newer.len() + memo.older.len() <= 21,
            "{}",
            memo.newer.len() + memo.older.len()
        );
    }

    #[test]
    fn a_token_has_the_one_class_the_stylesheet_colours_it_with() {
        // As `.hl-entity.hl-name.hl-tag`, `.hl-comment` … coloured the
        // scopes' classes nested one in another; no span past a line.
        assert_eq!(
            super::highlight("name: web # the name\nreplicas: 3\n", "yaml"),
            "<span class=\"hl-t\">name</span>: <span class=\"hl-s\">web</span> \
             <span class=\"hl-c\"># the name\n</span><span class=\"hl-t\">replicas</span>: \
             <span class=\"hl-n\">3</span>\n"
        );
        assert_eq!(
            super::highlight("  echo \"$f\" | grep -c error\n", "bash"),
            "  <span class=\"hl-f\">echo</span> <span class=\"hl-s\">&quot;$</span><span class=\"hl-v\">f</span>\
             <span class=\"hl-s\">&quot;</span> <span class=\"hl-k\">|</span> grep<span class=\"hl-v\"> -c</span> error\n"
        );
        assert_eq!(
            super::highlight("def main(arg):\n    return arg + 1\n", "python"),
            "<span class=\"hl-k\">def</span> <span class=\"hl-f\">main</span>(<span class=\"hl-v\">arg</span>):\n    \
             <span class=\"hl-k\">return</span> arg <span class=\"hl-k\">+</span> <span class=\"hl-n\">1</span>\n"
        );
    }

    #[test]
    fn a_token_under_a_comment_in_another_colour_stays_in_italics() {
        use super::Kind;
        let scope = |s: &str| syntect::parsing::Scope::new(s).unwrap();
        assert_eq!(
            super::look_of(&[
                scope("source.js"),
                scope("comment.block.documentation.js"),
                scope("storage.type.class.jsdoc")
            ]),
            Some((Kind::Keyword, true))
        );
        assert_eq!(
            super::look_of(&[scope("source.js"), scope("comment.line.js")]),
            Some((Kind::Comment, false))
        );
        // A descendant rule: a string inside a mapping's key is a tag.
        assert_eq!(
            super::look_of(&[scope("meta.mapping.key.json"), scope("string.quoted.double.json")]),
            Some((Kind::Tag, false))
        );
        assert_eq!(
            super::look_of(&[scope("string.quoted.double.json")]),
            Some((Kind::Str, false))
        );
        assert_eq!(
            super::look_of(&[scope("source.shell"), scope("meta.function-call")]),
            None
        );
    }

    /// `code` highlighted line after line by a new parser, no memo read.
    fn fresh(code: &str, lang: &str) -> String {
        let mut state = syntect::parsing::ParseState::new(super::syntax_for(lang).unwrap());
        let mut stack = syntect::parsing::ScopeStack::new();
        syntect::util::LinesWithEndings::from(code)
            .map(|line| {
                let ops = state.parse_line(line, super::syntaxes()).unwrap();
                super::line_html(line, &ops, &mut stack).unwrap()
            })
            .collect()
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        assert_eq!(super::highlight("a < b\n", "klingon"), "a &lt; b\n");
    }
}
