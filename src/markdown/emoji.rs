//! Emoji shortcodes, `:smile:` and `:white_check_mark:`, where the site's
//! tool turns them into emoji (Hugo's `enableEmoji`, MkDocs'
//! `pymdownx.emoji`): written as the emoji itself, so the page needs no
//! image and no font of ours. Icons of Material for MkDocs
//! (`:material-check:`, `:fontawesome-brands-github:`, …) are drawings of
//! its theme that vigie does not have: they stay as written and are said.

/// Icon sets of Material for MkDocs, by the prefix of their shortcodes.
const ICON_SETS: &[&str] = &["material-", "octicons-", "fontawesome-", "simple-"];

/// A shortcode left as written: its byte offset in the text and its name.
#[derive(Debug, PartialEq)]
pub struct Unknown {
    pub at: usize,
    pub name: String,
    /// An icon of Material for MkDocs, not an emoji.
    pub icon: bool,
}

/// `text` with its emoji shortcodes replaced, and those left as written;
/// `None` when it has no shortcode at all.
pub fn replace(text: &str) -> Option<(String, Vec<Unknown>)> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut unknown = Vec::new();
    let (mut copied, mut i) = (0, 0);
    while let Some(open) = memchr::memchr(b':', &bytes[i..]).map(|o| i + o) {
        let name_len = bytes[open + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'))
            .count();
        let close = open + 1 + name_len;
        if name_len == 0 || bytes.get(close) != Some(&b':') {
            i = open + 1;
            continue;
        }
        let name = &text[open + 1..close];
        let (before, after) = (
            open.checked_sub(1).map(|p| bytes[p]),
            bytes.get(close + 1).copied(),
        );
        // A word glued to either colon makes no shortcode (`host:x:1000`,
        // `12:30:00`; the tools would read `:x:` there, which no writer
        // means); another shortcode may be (`:+1::+1:`).
        let glued = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
        let wordy = name.bytes().any(|b| b.is_ascii_alphabetic()) || matches!(name, "+1" | "-1");
        if glued(before) || glued(after) || !wordy {
            i = close;
            continue;
        }
        match emojis::get_by_shortcode(name) {
            Some(e) => {
                out.push_str(&text[copied..open]);
                out.push_str(e.as_str());
                copied = close + 1;
                i = close + 1;
                continue;
            }
            // Said only when it stands alone: `std::fmt::Display` is a path.
            None if before != Some(b':') && after != Some(b':') => unknown.push(Unknown {
                at: open,
                name: name.to_string(),
                icon: ICON_SETS.iter().any(|p| name.starts_with(p)),
            }),
            None => {}
        }
        // The closing colon may open the next one (`:pas-un-emoji:smile:`).
        i = close;
    }
    if copied == 0 && unknown.is_empty() {
        return None;
    }
    out.push_str(&text[copied..]);
    Some((out, unknown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_become_emoji_and_the_rest_stays_as_written() {
        let (text, unknown) = replace("Fait :white_check_mark:, :+1: :-1: et :rocket:!").unwrap();
        assert_eq!(text, "Fait ✅, 👍 👎 et 🚀!");
        assert!(unknown.is_empty());
        let (text, unknown) = replace("Bouton :material-check: et :pas-un-emoji: ici").unwrap();
        assert_eq!(text, "Bouton :material-check: et :pas-un-emoji: ici");
        assert_eq!(
            unknown,
            [
                Unknown {
                    at: 7,
                    name: "material-check".into(),
                    icon: true
                },
                Unknown {
                    at: 27,
                    name: "pas-un-emoji".into(),
                    icon: false
                }
            ]
        );
        // Times, paths, ports and `::` are not shortcodes.
        for text in [
            "à 12:30:00",
            "std::fmt::Display",
            "host:x:1000",
            "a :: b",
            "deux-points : ici",
            "10:x:",
        ] {
            assert_eq!(replace(text), None, "{text}");
        }
        // Side by side.
        assert_eq!(replace(":smile::smile:").unwrap().0, "😄😄");
        assert_eq!(replace(":smile: :smile:").unwrap().0, "😄 😄");
        assert_eq!(replace("(:tada:)").unwrap().0, "(🎉)");
    }
}
