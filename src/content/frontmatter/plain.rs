//! The YAML front matter most pages carry, read without the YAML parser:
//! top-level `key: value` lines whose values are quoted strings without
//! escapes, plain words and phrases, dates, whole numbers, and lists of
//! those (`[a, b]`, or `- item` lines). Anything else (comments, nesting,
//! anchors, booleans, `null`, floats, escapes, a key given twice) is left
//! to serde-saphyr, which reads it all; what is read here is what
//! serde-saphyr reads (the tests compare both on every shape).

use serde_json::{Map, Number, Value};

/// `raw` read as serde-saphyr would, when it holds only the shapes above.
pub(super) fn parse(raw: &str) -> Option<Value> {
    // Comments, escapes, and characters YAML reads as line breaks or refuses.
    let odd = |c: char| {
        matches!(c, '#' | '\\' | '\u{feff}' | '\u{2028}' | '\u{2029}') || c.is_control() && c != '\n'
    };
    if raw.contains(odd) {
        return None;
    }
    let mut map = Map::new();
    let mut lines = raw.lines().peekable();
    while let Some(line) = lines.next() {
        if trim(line).is_empty() {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        if !is_key(key) || !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        let value = trim(rest);
        let value = if value.is_empty() {
            // A list of `- item` lines, all at one indentation.
            let mut items = Vec::new();
            let mut indent = None;
            while let Some(next) = lines.next_if(|l| l.trim_start_matches(' ').starts_with("- ")) {
                let item = next.trim_start_matches(' ');
                let at = next.len() - item.len();
                if *indent.get_or_insert(at) != at {
                    return None;
                }
                items.push(scalar(trim(&item["- ".len()..]), false)?);
            }
            if items.is_empty() {
                return None;
            }
            Value::Array(items)
        } else if let Some(inner) = value.strip_prefix('[') {
            let inner = inner.strip_suffix(']')?;
            if trim(inner).is_empty() {
                Value::Array(Vec::new())
            } else {
                Value::Array(
                    inner
                        .split(',')
                        .map(|item| scalar(trim(item), true))
                        .collect::<Option<_>>()?,
                )
            }
        } else {
            scalar(value, false)?
        };
        if map.insert(key.to_string(), value).is_some() {
            return None;
        }
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

/// YAML trims spaces, not other white space (a no-break space is text).
fn trim(s: &str) -> &str {
    s.trim_matches(' ')
}

/// `title`, `review_every`, `applies-to`.
fn is_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
}

/// A string (quoted, or plain and read as a string), a whole number or a
/// date; `None` for anything else. In a `[…]` list (`in_list`), `,` `[`
/// `]` are never part of a value (nor are they anywhere here).
fn scalar(s: &str, in_list: bool) -> Option<Value> {
    let quoted = |q: char| {
        let inner = s.strip_prefix(q)?.strip_suffix(q)?;
        if inner.contains(['"', '\'']) || in_list && inner.contains([',', '[', ']']) {
            return None;
        }
        Some(Value::String(inner.to_string()))
    };
    match s.chars().next()? {
        '"' => return quoted('"'),
        '\'' => return quoted('\''),
        _ => {}
    }
    let plain = s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '-' | '_' | '.' | '/' | '@' | '(' | ')')
            || c.is_alphabetic()
    });
    if !plain {
        return None;
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        // Whole numbers without a leading zero (`010` reads as a float), and
        // dates (which serde-saphyr keeps as strings); other numbers are not
        // read here.
        let b = s.as_bytes();
        let date = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if date {
            return Some(Value::String(s.to_string()));
        }
        let whole = b.iter().all(u8::is_ascii_digit) && (b.len() == 1 || b[0] != b'0') && b.len() <= 18;
        return whole.then(|| s.parse::<u64>().ok().map(|n| Value::Number(Number::from(n))))?;
    }
    // Words YAML reads as booleans or null, in any case.
    const NOT_STRINGS: [&str; 9] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
    let word = s.to_ascii_lowercase();
    if NOT_STRINGS.contains(&word.as_str()) || !s.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    Some(Value::String(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saphyr(raw: &str) -> Option<Value> {
        let options = serde_saphyr::options! {
            duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
        };
        serde_saphyr::from_str_with_options::<Value>(raw, options).ok()
    }

    /// Values of every kind, those read here and those that are not.
    const VALUES: &[&str] = &[
        "\"Scale ceph-osd\"",
        "'Déboguer nova'",
        "\"a, b\"",
        "'it''s'",
        "\"x\\ty\"",
        "\"\"",
        "''",
        "team-platform",
        "on-call",
        "a  b",
        "a/b -n c",
        "a@b.example",
        "(draft)",
        "Étape 1",
        "été",
        "2022-02-28",
        "2022-2-28",
        "2022-02-28T10:00:00Z",
        "20220228",
        "0",
        "7",
        "10",
        "010",
        "1_000",
        "123456789012345678",
        "12345678901234567890",
        "1.5",
        "1e3",
        ".5",
        "0x1f",
        "0o17",
        "+1",
        "-1",
        "yes",
        "No",
        "ON",
        "off",
        "y",
        "N",
        "true",
        "False",
        "null",
        "Null",
        "~",
        "-",
        "a: b",
        "a #b",
        "a:b",
        "&anchor x",
        "*alias",
        "!tag x",
        "|",
        ">",
        "%x",
        "`x`",
        "x,y",
        "[a, b]",
        "[]",
        "[a,b]",
        "[ a , b ]",
        "[a, ]",
        "[a, [b]]",
        "{a: b}",
        "[yes, no]",
        "[1, 2]",
        "[\"a, b\", c]",
        "['a', \"b\"]",
        "[2022-02-28, x]",
        "x ",
        "",
        "\u{a0}x",
        "x\u{a0}",
        "a\u{2019}b",
        "2022-13-45",
        "0000-00-00",
        "\"a\u{1}b\"",
        "\"a\u{85}b\"",
        "\"a\u{2028}b\"",
        "a\u{2028}b",
        "\"a\u{7f}b\"",
        "\"a: b\"",
        "\" padded \"",
        "\"[x]\"",
        "[\"[x]\"]",
        "Œuvre",
        "ß",
        "a - b",
        "a -",
        "x.",
        "x)",
        "-x",
    ];

    #[test]
    fn what_is_read_here_is_what_serde_saphyr_reads() {
        let mut read = 0;
        let mut check = |raw: &str| {
            let ours = parse(raw);
            if ours.is_some() {
                read += 1;
                assert_eq!(ours, saphyr(raw), "{raw:?}");
            }
        };
        for v in VALUES {
            check(&format!("key: {v}\n"));
            check(&format!("title: x\nkey: {v}\nowner: y\n"));
            check(&format!("key:\n  - {v}\n  - z\n"));
            check(&format!("key:\n- z\n- {v}\n"));
            check(&format!("key: [{v}]\n"));
            check(&format!("key: [z, {v}]\n"));
            for w in VALUES {
                check(&format!("a: {v}\nb: {w}\n"));
                check(&format!("key:\n  - {v}\n  - {w}\n"));
            }
        }
        for raw in [
            "",
            "\n",
            "title: x\n\nowner: y\n",
            "title: x\ntitle: y\n",
            "key:\n",
            "key:\nnext: x\n",
            "key:\n  - a\n    - b\n",
            "key:\n  - a\n - b\n",
            "key:\n  - a\n\n  - b\n",
            "key:\n  -a\n",
            "key:\n  - a\n  b\n",
            " key: x\n",
            "key : x\n",
            "key:x\n",
            "Key: x\n",
            "_k: x\n",
            "k-1: x\n",
            "1k: x\n",
            "k.x: x\n",
            "\"k\": x\n",
            "k: x\n  continued\n",
            "k: x\r\n",
            "k:\tx\n",
            "- a\n",
            "k: x # c\n",
            "k: [a,\n  b]\n",
            "k: 'a\n  b'\n",
            "k: x\n---\n",
            "k: x\n...\n",
        ] {
            check(raw);
        }
        assert!(read > 1000, "{read}");
    }

    #[test]
    fn the_usual_front_matter_is_read_here() {
        let raw = "title: \"Scale ceph-osd\"\nowner: team-platform\nreviewed: 2022-02-28\ntags: [on-call, nova]\napplies_to:\n  - cronjob/ceph-mgr -n ceph\nweight: 3\n";
        let v = parse(raw).expect("read here");
        assert_eq!(Some(v), saphyr(raw));
    }
}
