//! Code highlighting at build time with syntect: HTML with `hl-*` classes that
//! the theme's CSS colours (light and dark), so the browser runs no highlighter.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
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

/// Highlighted blocks seen so far in this process. Runbooks repeat the same
/// commands page after page, and highlighting is the costliest part of
/// rendering, so each distinct block is highlighted once.
type Cache = Mutex<HashMap<(String, String), Arc<str>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
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
    cache()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, Arc::from(html.as_str()));
    html
}

fn highlight_uncached(code: &str, lang: &str) -> String {
    let syntax = match syntax_for(lang) {
        Some(s) if code.len() <= MAX_HIGHLIGHT => s,
        _ => return super::shortcodes::esc(code),
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes(),
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return super::shortcodes::esc(code);
        }
    }
    generator.finalize()
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
    fn unknown_language_is_escaped_text() {
        assert_eq!(super::highlight("a < b\n", "klingon"), "a &lt; b\n");
    }
}
