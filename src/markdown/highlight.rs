//! Code highlighting at build time with syntect: HTML with `hl-*` classes that
//! the theme's CSS colours (light and dark), so the browser runs no highlighter.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
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
    let mut html = String::with_capacity(code.len() * 3);
    let mut open: isize = 0;
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
                let Ok((line_html, delta)) = line_tokens_to_classed_spans(line, &ops, STYLE, &mut stack)
                else {
                    return super::shortcodes::esc(code);
                };
                if at_rest && state == rest.0 && stack == rest.1 {
                    remember_rest_line(&syntax.name, line, &line_html);
                }
                let done = Rc::new(LineDone {
                    html: line_html,
                    delta,
                    state: state.clone(),
                    stack: stack.clone(),
                });
                remember_line(&syntax.name, line, before, done.clone());
                done
            }
        };
        html.push_str(&done.html);
        open += done.delta;
    }
    for _ in 0..open {
        html.push_str("</span>");
    }
    html
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
                    let _ = line_tokens_to_classed_spans("\n", &ops, STYLE, &mut stack);
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

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// One line highlighted from a given parser state: its HTML, how many spans
/// it leaves open (or closes), and the state after it.
struct LineDone {
    html: String,
    delta: isize,
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
        assert!(html.contains("hl-comment"), "{html}");
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
            let mut fresh = syntect::html::ClassedHTMLGenerator::new_with_class_style(
                super::syntax_for("bash").unwrap(),
                super::syntaxes(),
                super::STYLE,
            );
            for line in syntect::util::LinesWithEndings::from(code) {
                fresh.parse_html_for_line_which_includes_newline(line).unwrap();
            }
            let expected = fresh.finalize();
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
    fn unknown_language_is_escaped_text() {
        assert_eq!(super::highlight("a < b\n", "klingon"), "a &lt; b\n");
    }
}
