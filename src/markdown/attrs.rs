//! Attribute lists given to links and images (MkDocs' `attr_list`:
//! `[Go](x.md){ .md-button }`, `![Plan](a.png){ width="300" }`). The pass
//! over the page's lines ([`super::shortcodes`]) leaves each one as a
//! [`marker`] right after its element, an HTML comment the parser keeps in
//! place; the rendering ([`super::render`]) gives the element the
//! attributes the marker holds ([`read`]).

/// How a marker starts.
pub const MARKER: &str = "<!--vigie-attrs:";

/// The marker standing for attribute list `list` (`{ .a #b c="d" }`): its
/// text in hexadecimal, so that nothing in it ends the comment.
pub fn marker(list: &str) -> String {
    let mut out = String::with_capacity(MARKER.len() + list.len() * 2 + 3);
    out.push_str(MARKER);
    for b in list.bytes() {
        out.push_str(&format!("{b:02x}"));
    }
    out.push_str("-->");
    out
}

/// The attributes a marker holds, as `(name, value)` in order, classes
/// joined in one `class`; `None` when `html` is no marker. Event handlers
/// (`onclick=…`) are left out: a page's attribute list styles and sizes
/// its element, it does not run scripts.
pub fn read(html: &str) -> Option<Vec<(String, String)>> {
    let hex = html.strip_prefix(MARKER)?.strip_suffix("-->")?;
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect();
    let list = String::from_utf8(bytes?).ok()?;
    Some(parse(&list))
}

/// `{: #id .a .b key="v w" other=x }` as attributes.
fn parse(list: &str) -> Vec<(String, String)> {
    let inner = list
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim_start_matches(':');
    let mut out: Vec<(String, String)> = Vec::new();
    let mut classes: Vec<&str> = Vec::new();
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let (item, after) = next_item(rest);
        rest = after.trim_start();
        if let Some(class) = item.strip_prefix('.') {
            classes.push(class);
        } else if let Some(id) = item.strip_prefix('#') {
            out.retain(|(k, _)| k != "id");
            out.push(("id".into(), id.to_string()));
        } else if let Some((key, value)) = item.split_once('=') {
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            let key = key.to_ascii_lowercase();
            if key.starts_with("on") {
                continue;
            }
            if key == "class" {
                classes.extend(value.split_whitespace());
                continue;
            }
            out.retain(|(k, _)| *k != key);
            out.push((key, value.to_string()));
        }
    }
    if !classes.is_empty() {
        out.push(("class".into(), classes.join(" ")));
    }
    out
}

/// The first item of `s` (up to a space outside quotes) and the rest.
fn next_item(s: &str) -> (&str, &str) {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => return (&s[..i], &s[i..]),
            _ => {}
        }
    }
    (s, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_gives_back_its_attributes() {
        let m = marker(
            r#"{: #plan .md-button .md-button--primary width="300" title='Le plan' target=_blank onclick="x()" }"#,
        );
        assert!(m.starts_with(MARKER) && !m[4..m.len() - 3].contains("--"));
        let attrs = read(&m).expect("a marker");
        let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("id"), Some("plan"));
        assert_eq!(get("class"), Some("md-button md-button--primary"));
        assert_eq!(get("width"), Some("300"));
        assert_eq!(get("title"), Some("Le plan"));
        assert_eq!(get("target"), Some("_blank"));
        assert_eq!(get("onclick"), None);
        assert_eq!(read("<!-- a comment -->"), None);
    }
}
