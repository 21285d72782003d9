//! Code highlighting at build time with syntect: HTML with `hl-*` classes that
//! the theme's CSS colours (light and dark), so the browser runs no highlighter.

use std::sync::OnceLock;

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

/// The inner HTML of a `<code>` element for `code` in language `lang`
/// (escaped plain text when the language is unknown).
pub fn highlight(code: &str, lang: &str) -> String {
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
