//! Inline marks that extensions of the sites' tools add to Markdown, each
//! only where the site turns its extension on ([`InlineMarks`]):
//! `==highlighted==`, `^^inserted^^` and `++inserted++`, `^superscript^`,
//! `~subscript~` (`H~2~O`), and keys to press, `++ctrl+alt+del++`.
//!
//! A mark is read inside one piece of text: one whose text holds other
//! Markdown (`==**bold**==`) is shown as written.

use std::sync::LazyLock;

use regex::Regex;

use super::shortcodes::esc;
use crate::config::InlineMarks;

/// What a piece of text becomes: its text as it is (a range of it), or
/// HTML for a mark.
#[derive(Debug, PartialEq)]
pub enum Piece {
    Text(std::ops::Range<usize>),
    Html(String),
}

/// Every mark, the longer delimiter first where two start alike.
static MARKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"==(?P<mark>[^\s=](?:[^=]*?[^\s=])?)==",
        r"|\^\^(?P<ins>[^\s^](?:[^^]*?[^\s^])?)\^\^",
        r"|\+\+(?P<plus>[^\s+](?:[^+]*?[^\s+])?(?:\+[^\s+](?:[^+]*?[^\s+])?)*)\+\+",
        r"|\^(?P<sup>[^\s^]+)\^",
        r"|~(?P<sub>[^\s~]+)~",
    ))
    .expect("the marks' pattern")
});

/// Whether `text` may hold a mark `marks` turns on: most text has none of
/// their signs.
pub fn may_hold(marks: &InlineMarks, text: &str) -> bool {
    (marks.mark && text.contains("=="))
        || ((marks.caret_insert || marks.superscript) && text.contains('^'))
        || ((marks.plus_insert || marks.keys) && text.contains("++"))
        || (marks.subscript && text.contains('~'))
}

/// `text` cut into pieces at the marks `marks` turns on; `None` when it
/// has none.
pub fn split(marks: &InlineMarks, text: &str) -> Option<Vec<Piece>> {
    if !may_hold(marks, text) {
        return None;
    }
    let mut pieces = Vec::new();
    let mut last = 0;
    for c in MARKS.captures_iter(text) {
        let whole = c.get(0).expect("a match");
        let html = if let Some(m) = c.name("mark").filter(|_| marks.mark) {
            format!("<mark>{}</mark>", esc(m.as_str()))
        } else if let Some(m) = c.name("ins").filter(|_| marks.caret_insert) {
            format!("<ins>{}</ins>", esc(m.as_str()))
        } else if let Some(m) = c.name("plus") {
            if marks.keys {
                keys(m.as_str())
            } else if marks.plus_insert {
                format!("<ins>{}</ins>", esc(m.as_str()))
            } else {
                continue;
            }
        } else if let Some(m) = c.name("sup").filter(|_| marks.superscript) {
            format!("<sup>{}</sup>", esc(m.as_str()))
        } else if let Some(m) = c.name("sub").filter(|_| marks.subscript) {
            format!("<sub>{}</sub>", esc(m.as_str()))
        } else {
            continue;
        };
        if whole.start() > last {
            pieces.push(Piece::Text(last..whole.start()));
        }
        pieces.push(Piece::Html(html));
        last = whole.end();
    }
    if pieces.is_empty() {
        return None;
    }
    if last < text.len() {
        pieces.push(Piece::Text(last..text.len()));
    }
    Some(pieces)
}

/// `ctrl+alt+del` as the keys pressed together: each in a `<kbd>`, named
/// as keyboards print them.
fn keys(spec: &str) -> String {
    let mut out = String::from("<span class=\"keys\">");
    for (i, key) in spec.split('+').enumerate() {
        if i > 0 {
            out.push_str("<span>+</span>");
        }
        out.push_str("<kbd>");
        out.push_str(&esc(&key_name(key)));
        out.push_str("</kbd>");
    }
    out.push_str("</span>");
    out
}

/// A key's name as written on keyboards: `ctrl` → `Ctrl`, `up` → `↑`,
/// `"My key"` as quoted, a letter in capitals.
fn key_name(key: &str) -> String {
    if let Some(quoted) = key.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
        return quoted.to_string();
    }
    let lower = key.to_lowercase();
    let named = match lower.as_str() {
        "ctrl" | "control" => "Ctrl",
        "alt" | "option" => "Alt",
        "shift" => "Shift",
        "cmd" | "command" => "Cmd",
        "meta" => "Meta",
        "win" | "windows" | "super" => "Win",
        "enter" | "return" => "Enter",
        "esc" | "escape" => "Esc",
        "tab" => "Tab",
        "del" | "delete" => "Del",
        "backspace" => "Backspace",
        "space" | "spacebar" => "Space",
        "ins" | "insert" => "Ins",
        "home" => "Home",
        "end" => "End",
        "pgup" | "page-up" => "Page Up",
        "pgdn" | "page-down" => "Page Down",
        "up" | "arrow-up" => "↑",
        "down" | "arrow-down" => "↓",
        "left" | "arrow-left" => "←",
        "right" | "arrow-right" => "→",
        _ => {
            let function_key = lower.len() > 1 && lower.starts_with('f') && lower[1..].parse::<u8>().is_ok();
            if key.chars().count() == 1 || function_key {
                return key.to_uppercase();
            }
            let mut chars = key.chars();
            return chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
        }
    };
    named.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(marks: InlineMarks, text: &str) -> String {
        match split(&marks, text) {
            None => text.to_string(),
            Some(pieces) => pieces
                .into_iter()
                .map(|p| match p {
                    Piece::Text(r) => text[r].to_string(),
                    Piece::Html(h) => h,
                })
                .collect(),
        }
    }

    const ALL_MKDOCS: InlineMarks = InlineMarks {
        mark: true,
        caret_insert: true,
        plus_insert: false,
        superscript: true,
        subscript: true,
        keys: true,
        emoji: false,
        symbols: false,
    };

    #[test]
    fn each_mark_where_the_site_turns_it_on() {
        let m = ALL_MKDOCS;
        assert_eq!(html(m, "a ==very== b"), "a <mark>very</mark> b");
        assert_eq!(html(m, "a ^^new <x>^^ b"), "a <ins>new &lt;x&gt;</ins> b");
        assert_eq!(html(m, "H~2~O and 2^10^"), "H<sub>2</sub>O and 2<sup>10</sup>");
        assert_eq!(
            html(m, "press ++ctrl+alt+del++ now"),
            "press <span class=\"keys\"><kbd>Ctrl</kbd><span>+</span><kbd>Alt</kbd><span>+</span><kbd>Del</kbd></span> now"
        );
        assert_eq!(
            html(m, "++shift+f5++, ++a++"),
            "<span class=\"keys\"><kbd>Shift</kbd><span>+</span><kbd>F5</kbd></span>, <span class=\"keys\"><kbd>A</kbd></span>"
        );
        // not marks: spaces inside the delimiters, lone signs
        assert_eq!(html(m, "a == b == c, x ^ y, 1 ~ 2"), "a == b == c, x ^ y, 1 ~ 2");
        // off: as written
        assert_eq!(html(InlineMarks::default(), "a ==b== H~2~O"), "a ==b== H~2~O");
        let hugo = InlineMarks {
            plus_insert: true,
            ..InlineMarks::default()
        };
        assert_eq!(html(hugo, "a ++new text++ ==b=="), "a <ins>new text</ins> ==b==");
    }
}
