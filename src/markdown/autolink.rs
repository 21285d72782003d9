//! GFM autolink literals: `https://…`, `http://…` and `www.…` written bare in
//! running text become links, as GitHub renders them. pulldown-cmark has no
//! option for them, so the renderer looks for them in the text it gets outside
//! links, images, code and raw HTML anchors, following the GFM rules: the
//! literal starts a word (or follows `(`, `*`, `_`, `~`), runs to the next
//! space or `<`, and gives back trailing punctuation, an unbalanced `)` and a
//! trailing entity-like `&name;`.

/// A bare URL found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    /// Byte range of the literal in the text.
    pub start: usize,
    pub end: usize,
    /// Where it points: the literal, with `http://` before a `www.` one.
    pub href: String,
}

/// Every autolink literal of `text`, in order.
pub fn find(text: &str) -> Vec<Literal> {
    let mut found = Vec::new();
    // Most text holds no URL: a `http(s)://` one has a colon, a `www.` one a
    // dot, and two byte searches rule out most fragments.
    if memchr::memchr2(b':', b'.', text.as_bytes()).is_none() {
        return found;
    }
    let mut from = 0;
    for start in starts(text) {
        if start < from {
            continue;
        }
        let rest = &text[start..];
        let prefix = PREFIXES
            .into_iter()
            .find(|p| rest.len() >= p.len() && rest.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes()));
        let Some(prefix) = prefix else { continue };
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| !(c.is_whitespace() || "*_~(".contains(c))) {
            continue;
        }
        let len = rest
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(rest.len());
        let len = trim_end(&rest[..len]);
        if len <= prefix.len() {
            continue;
        }
        let domain_end = rest[prefix.len()..len]
            .find(['/', '?', '#', ':'])
            .map_or(len, |i| prefix.len() + i);
        let host_start = if prefix == "www." { 0 } else { prefix.len() };
        if !valid_domain(&rest[host_start..domain_end], prefix != "www.") {
            continue;
        }
        let literal = &rest[..len];
        let href = if prefix == "www." {
            format!("http://{literal}")
        } else {
            literal.to_string()
        };
        found.push(Literal {
            start,
            end: start + len,
            href,
        });
        from = start + len;
    }
    found
}

const PREFIXES: [&str; 3] = ["https://", "http://", "www."];

/// Where a prefix of [`PREFIXES`] may start, in order: four or five bytes
/// before a `://`, three before a `.` (byte searches, not a look at every letter).
fn starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut at: Vec<usize> = memchr::memmem::find_iter(bytes, b"://")
        .flat_map(|i| [i.checked_sub(5), i.checked_sub(4)])
        .chain(
            memchr::memchr_iter(b'.', bytes)
                .filter_map(|i| i.checked_sub(3))
                .filter(|&i| bytes[i..i + 3].eq_ignore_ascii_case(b"www"))
                .map(Some),
        )
        .flatten()
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    at.sort_unstable();
    at.dedup();
    at
}

/// Segments of letters, digits, `-` and `_` separated by dots; at least one
/// dot unless `short` (`http://localhost` is a link, `www` alone is not);
/// no `_` in the last two segments.
fn valid_domain(domain: &str, short: bool) -> bool {
    if domain.is_empty()
        || !domain
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return false;
    }
    let segments: Vec<&str> = domain.split('.').collect();
    if segments.len() < 2 && !short {
        return false;
    }
    if segments.iter().any(|s| s.is_empty()) {
        return false;
    }
    !segments.iter().rev().take(2).any(|s| s.contains('_'))
}

/// Length of `url` once trailing punctuation, an unbalanced `)` and a
/// trailing `&entity;` are given back to the text.
fn trim_end(url: &str) -> usize {
    let mut end = url.len();
    loop {
        let s = &url[..end];
        let Some(last) = s.chars().next_back() else {
            return end;
        };
        if "?!.,:*_~'\"".contains(last) {
            end -= last.len_utf8();
        } else if last == ')' && s.matches(')').count() > s.matches('(').count() {
            end -= 1;
        } else if last == ';'
            && let Some(amp) = s.rfind('&')
            && s[amp + 1..end - 1].chars().all(|c| c.is_ascii_alphanumeric())
        {
            end = amp;
        } else {
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::find;

    fn hrefs(text: &str) -> Vec<(String, String)> {
        find(text)
            .into_iter()
            .map(|l| (text[l.start..l.end].to_string(), l.href))
            .collect()
    }

    #[test]
    fn bare_urls_and_www_become_links() {
        assert_eq!(
            hrefs("See https://docs.openstack.org/ and www.commonmark.org/help."),
            vec![
                (
                    "https://docs.openstack.org/".into(),
                    "https://docs.openstack.org/".into()
                ),
                (
                    "www.commonmark.org/help".into(),
                    "http://www.commonmark.org/help".into()
                ),
            ]
        );
    }

    #[test]
    fn trailing_punctuation_parentheses_and_entities_stay_text() {
        assert_eq!(
            hrefs("(voir https://example.org/a_(b))."),
            vec![(
                "https://example.org/a_(b)".into(),
                "https://example.org/a_(b)".into()
            )]
        );
        assert_eq!(
            hrefs("www.google.com/search?q=commonmark&hl;")[0].0,
            "www.google.com/search?q=commonmark"
        );
        assert_eq!(hrefs("https://ex.org/x?, then")[0].0, "https://ex.org/x");
    }

    #[test]
    fn not_inside_a_word_and_not_without_a_domain() {
        assert!(find("xhttps://example.org").is_empty());
        assert!(find("www. is not a site").is_empty());
        assert!(find("https:// nothing").is_empty());
        assert_eq!(hrefs("http://localhost:3000/")[0].1, "http://localhost:3000/");
    }
}
