//! Typed symbols that MkDocs' `pymdownx.smartsymbols` turns into their
//! characters, where the site turns it on: `(tm)` ™, `(c)` ©, `(r)` ®,
//! `c/o` ℅, `+/-` ±, `-->` →, `<--` ←, `<-->` ↔, `=/=` ≠, and fractions
//! (`1/2` ½). Ordinals (`1st`) stay as written.

use std::sync::LazyLock;

use regex::Regex;

/// Every symbol, the longer first where two start alike (`<-->`, `<--`).
static SYMBOLS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(tm\)|\(c\)|\(r\)|c/o|\+/-|<-->|-->|<--|=/=|[1-7]/[2-8]").expect("the symbols' pattern")
});

/// The character `found` stands for; `None` for a fraction without one.
fn symbol(found: &str) -> Option<&'static str> {
    Some(match found {
        "(tm)" => "™",
        "(c)" => "©",
        "(r)" => "®",
        "c/o" => "℅",
        "+/-" => "±",
        "-->" => "→",
        "<--" => "←",
        "<-->" => "↔",
        "=/=" => "≠",
        "1/2" => "½",
        "1/3" => "⅓",
        "2/3" => "⅔",
        "1/4" => "¼",
        "3/4" => "¾",
        "1/5" => "⅕",
        "2/5" => "⅖",
        "3/5" => "⅗",
        "4/5" => "⅘",
        "1/6" => "⅙",
        "5/6" => "⅚",
        "1/8" => "⅛",
        "3/8" => "⅜",
        "5/8" => "⅝",
        "7/8" => "⅞",
        _ => return None,
    })
}

/// `text` with its symbols as characters; `None` when it has none.
pub fn replace(text: &str) -> Option<String> {
    if !text.contains(['(', '/', '-', '<']) {
        return None;
    }
    let bytes = text.as_bytes();
    let word = |at: Option<&u8>| at.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let mut out = String::new();
    let mut copied = 0;
    for m in SYMBOLS.find_iter(text) {
        let found = m.as_str();
        // `c/o` and fractions stand alone (not `abc/old`, `11/12`, `1/2/3`).
        let alone = || {
            !word(m.start().checked_sub(1).map(|p| &bytes[p]))
                && !word(bytes.get(m.end()))
                && bytes.get(m.end()) != Some(&b'/')
                && m.start().checked_sub(1).map(|p| bytes[p]) != Some(b'/')
        };
        let Some(sym) = symbol(found) else { continue };
        if (found == "c/o" || found.as_bytes()[0].is_ascii_digit()) && !alone() {
            continue;
        }
        out.push_str(&text[copied..m.start()]);
        out.push_str(sym);
        copied = m.end();
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_become_characters_where_they_stand_alone() {
        assert_eq!(
            replace(
                "vigie(tm) (c) 2026 (r), c/o l'équipe, 5 +/- 1, a --> b <-- c <--> d, x =/= y, 1/2 et 3/4 h"
            )
            .as_deref(),
            Some("vigie™ © 2026 ®, ℅ l'équipe, 5 ± 1, a → b ← c ↔ d, x ≠ y, ½ et ¾ h")
        );
        for text in [
            "abc/old", "11/12", "1/2/3", "page 2/9", "a -- b", "(C)", "x_1/2", "-> <-",
        ] {
            assert_eq!(replace(text), None, "{text}");
        }
    }
}
