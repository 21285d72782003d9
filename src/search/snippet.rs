//! Snippets: the stretch of a section's text that holds the most matched
//! words, with the matches marked. The browser does the same on the shorter
//! excerpt it has (`search.js`, `snippet`).

/// Characters of text a snippet shows.
pub const WIDTH: usize = 180;
/// Characters of context kept before the first match.
const LEAD: usize = 40;

/// A snippet and the byte ranges of its highlighted words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub marks: Vec<(usize, usize)>,
}

/// Cuts about `width` characters of `text` around the densest group of
/// `marks` (byte ranges of matched words, in order).
pub fn make(text: &str, marks: &[(usize, usize)], width: usize) -> Snippet {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    if chars.len() <= width {
        return Snippet {
            text: text.to_string(),
            marks: marks.to_vec(),
        };
    }
    let char_at = |byte: usize| chars.partition_point(|(i, _)| *i < byte);
    // The window starting at the match that has the most matches after it.
    let mut best = (0usize, 0usize);
    for (i, m) in marks.iter().enumerate() {
        let start = char_at(m.0);
        let count = marks[i..]
            .iter()
            .take_while(|n| char_at(n.1) <= start + width - LEAD)
            .count();
        if count > best.1 {
            best = (start, count);
        }
    }
    let mut start = best.0.saturating_sub(LEAD);
    if start > 0 {
        // Begin at a word.
        while start < best.0 && !chars[start - 1].1.is_whitespace() {
            start += 1;
        }
    }
    let mut end = (start + width).min(chars.len());
    if end < chars.len() {
        while end > start + width / 2 && !chars[end].1.is_whitespace() {
            end -= 1;
        }
    }
    let from = chars[start].0;
    let to = chars.get(end).map(|c| c.0).unwrap_or(text.len());
    let prefix = if start > 0 { "…" } else { "" };
    let mut out = format!("{prefix}{}", text[from..to].trim_end());
    let shift = prefix.len();
    if end < chars.len() {
        out.push('…');
    }
    let kept = marks
        .iter()
        .filter(|m| m.0 >= from && m.1 <= to)
        .map(|m| (m.0 - from + shift, m.1 - from + shift))
        .collect();
    Snippet {
        text: out,
        marks: kept,
    }
}

/// The snippet with each mark wrapped in `open` … `close`.
pub fn marked(s: &Snippet, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(s.text.len() + s.marks.len() * (open.len() + close.len()));
    let mut last = 0;
    for &(a, b) in &s.marks {
        if a < last || b > s.text.len() {
            continue;
        }
        out.push_str(&s.text[last..a]);
        out.push_str(open);
        out.push_str(&s.text[a..b]);
        out.push_str(close);
        last = b;
    }
    out.push_str(&s.text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        let s = make("Redémarrer nova", &[(0, 11)], WIDTH);
        assert_eq!(marked(&s, "[", "]"), "[Redémarrer] nova");
    }

    #[test]
    fn long_text_is_cut_around_the_matches() {
        let text = format!(
            "{} le nœud hyperviseur est redémarré {}",
            "début ".repeat(60),
            "fin ".repeat(60)
        );
        let at = text.find("redémarré").unwrap();
        let s = make(&text, &[(at, at + "redémarré".len())], 60);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{}", s.text);
        assert!(marked(&s, "[", "]").contains("[redémarré]"));
        assert!(s.text.chars().count() <= 62);
    }
}
