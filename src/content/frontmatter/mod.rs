//! Front matter: YAML between `---` lines or TOML between `+++` lines at the top
//! of a page — in a Hugo site also a JSON object, and after blank lines, as
//! Hugo reads it ([`read`]). Known keys are typed; unknown keys are kept in
//! `extra` and never an error. Errors name the file and the line of the
//! offending key.
//!
//! Front matter is read as the site's own tool reads it: a key given twice
//! keeps its last value (Hugo, MkDocs) with a `duplicate-key` warning naming
//! both lines; YAML that does not parse stops a Hugo or plain build, but an
//! MkDocs project builds the page without it, with an `ignored-front-matter`
//! warning, as MkDocs does.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::report::{Finding, Severity};

mod plain;

/// The most front matter a page may carry (a page itself may hold 64 MB).
const FRONT_MATTER_LIMIT: usize = 1024 * 1024;

/// What front matter that does not parse does to the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// An error naming the line (Hugo, mdBook, plain folders).
    Error,
    /// Not front matter, the page's text (MkDocs, which shows a block that
    /// is never closed, does not parse or is not `key: value` lines as
    /// Markdown: a rule, text). Said when it looks like a front matter gone
    /// wrong.
    Text,
    /// As [`Invalid::Text`], and so is a block of keys vigie does not read
    /// (mdBook, which has no front matter: `---` is a horizontal rule, and
    /// `Note: old` between two is a heading). vigie's own keys (owner,
    /// review) are front matter all the same.
    Rule,
}

impl Invalid {
    /// What the site's own tool does with it.
    pub fn of(layout: crate::config::Layout) -> Invalid {
        match layout {
            crate::config::Layout::MkDocs => Invalid::Text,
            crate::config::Layout::MdBook => Invalid::Rule,
            _ => Invalid::Error,
        }
    }
}

/// What a page is, for the reader and for its default review interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Runbook,
    Architecture,
    Training,
    Guide,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "runbook" | "runbooks" => Some(Kind::Runbook),
            "architecture" => Some(Kind::Architecture),
            "training" | "formation" => Some(Kind::Training),
            "guide" | "guides" => Some(Kind::Guide),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Runbook => "runbook",
            Kind::Architecture => "architecture",
            Kind::Training => "training",
            Kind::Guide => "guide",
        }
    }

    pub const ALL: [Kind; 4] = [Kind::Runbook, Kind::Architecture, Kind::Training, Kind::Guide];
}

/// The typed front matter of one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: Option<Kind>,
    pub owner: Option<String>,
    pub reviewed: Option<NaiveDate>,
    pub review_every: Option<String>,
    pub tags: Vec<String>,
    pub lang: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub aliases: Vec<String>,
    /// Raw `applies_to` entries, interpreted by the freshness module.
    pub applies_to: Option<Value>,
    /// Raw `course` table, interpreted by the course module.
    pub course: Option<Value>,
    /// Every key vigie does not know, kept as written.
    pub extra: Map<String, Value>,
    /// 1-based line of each top-level key in the source file.
    pub key_lines: Vec<(String, usize)>,
}

impl FrontMatter {
    /// Line in the source file where `key` is written, or the first line.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, l)| *l)
            .unwrap_or(1)
    }
}

/// A page's text split into front matter and body.
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: &'a str,
    /// 1-based line of the first body line in the file.
    pub body_line: usize,
    /// What the site's tool accepts but looks wrong (a key given twice, front
    /// matter that was ignored).
    pub warnings: Vec<Finding>,
}

/// Splits `text` into front matter and body the way the site's own tool
/// does: Hugo also skips white space before the front matter and reads a
/// JSON object as front matter ([`split`] for the others).
pub fn read<'a>(path: &Path, text: &'a str, layout: crate::config::Layout) -> Result<Split<'a>> {
    if layout != crate::config::Layout::Hugo {
        return split(path, text, Invalid::of(layout));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.trim_start_matches([' ', '\t', '\r', '\n']);
    let skipped = text[..text.len() - rest.len()].matches('\n').count();
    // `{{<` is a shortcode opening the page, not JSON (Hugo refuses the
    // page; it is read as text here).
    if rest.starts_with('{') && !rest.starts_with("{{") {
        return json(path, rest, skipped);
    }
    if skipped == 0 || !(rest.starts_with("---") || rest.starts_with("+++")) {
        return split(path, text, Invalid::Error);
    }
    // Blank lines above the front matter: read from its fence, lines counted from the file's top.
    let below = |line: usize| line + skipped;
    let mut out = split(path, rest, Invalid::Error).map_err(|e| match e {
        Error::FrontMatter { path, line, message } => Error::FrontMatter {
            path,
            line: below(line),
            message,
        },
        other => other,
    })?;
    out.body_line = below(out.body_line);
    for (_, line) in &mut out.front_matter.key_lines {
        *line = below(*line);
    }
    for w in &mut out.warnings {
        w.line = below(w.line);
    }
    Ok(out)
}

/// Hugo's JSON front matter: the object that opens `text` (which starts
/// with `{`), `skipped` lines below the top of the file; the body starts
/// after its closing brace and the line break that follows it.
fn json<'a>(path: &Path, text: &'a str, skipped: usize) -> Result<Split<'a>> {
    let first = skipped + 1;
    let error = |line: usize, message: String| Error::FrontMatter {
        path: path.to_path_buf(),
        line,
        message,
    };
    let Some((end, key_lines)) = json_object(text, first) else {
        return Err(error(
            first,
            "the `{` that opens it is never closed: its braces do not pair up".into(),
        ));
    };
    let raw = &text[..end];
    if raw.len() > FRONT_MATTER_LIMIT {
        return Err(error(
            first,
            format!(
                "front matter of {} kB: over the {} kB front matter may hold",
                raw.len() / 1024,
                FRONT_MATTER_LIMIT / 1024
            ),
        ));
    }
    let value: Value = serde_json::from_str(raw).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "it ends before its last value".to_string(),
            _ => format!(
                "column {}: a quote, comma, colon or brace is missing or out of place",
                e.column()
            ),
        };
        error(
            first + e.line().saturating_sub(1),
            format!("its JSON does not parse ({what})"),
        )
    })?;
    if !value.is_object() {
        return Err(error(
            first,
            "its JSON must be an object of keys, `{ \"title\": … }`".into(),
        ));
    }
    let after = &text[end..];
    let body_start = end
        + after
            .strip_prefix("\r\n")
            .or_else(|| after.strip_prefix('\n'))
            .map_or(0, |b| after.len() - b.len());
    let mut warnings = Vec::new();
    let front_matter = typed(path, raw, key_lines, value, &mut warnings)?;
    warnings.splice(0..0, duplicate_keys(path, &front_matter.key_lines));
    Ok(Split {
        front_matter,
        body: &text[body_start..],
        body_line: first + text[..body_start].matches('\n').count(),
        warnings,
    })
}

/// The JSON object opening `text`, whose first line is line `first` of
/// the file: where it ends (just past its closing brace), and the line of
/// each of its top-level keys (a key given twice is listed twice). Strings
/// are skipped whole, the braces in them too; `None` if it never closes.
fn json_object(text: &str, first: usize) -> Option<(usize, Vec<(String, usize)>)> {
    let mut keys = Vec::new();
    let (mut depth, mut line) = (0usize, first);
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => line += 1,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some((i + 1, keys));
                }
            }
            '"' => {
                let (start, at) = (i + 1, line);
                let mut escaped = false;
                let end = chars.by_ref().find_map(|(j, c)| {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => return Some(j),
                        '\n' => line += 1,
                        _ => {}
                    }
                    None
                })?;
                if depth == 1 && text[end + 1..].trim_start().starts_with(':') {
                    keys.push((text[start..end].to_string(), at));
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits `text` into front matter and body and parses the front matter.
pub fn split<'a>(path: &Path, text: &'a str, invalid: Invalid) -> Result<Split<'a>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (fence, is_toml) = if text.starts_with("---") {
        ("---", false)
    } else if text.starts_with("+++") {
        ("+++", true)
    } else {
        return Ok(Split {
            front_matter: FrontMatter::default(),
            body: text,
            body_line: 1,
            warnings: Vec::new(),
        });
    };
    let first_nl = match text.find('\n') {
        Some(i) if text[..i].trim_end() == fence => i,
        _ => {
            return Ok(Split {
                front_matter: FrontMatter::default(),
                body: text,
                body_line: 1,
                warnings: Vec::new(),
            });
        }
    };
    // Find the closing fence on a line of its own.
    let mut offset = first_nl + 1;
    let mut close = None;
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_end() == fence {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let as_text = |warnings: Vec<Finding>| Split {
        front_matter: FrontMatter::default(),
        body: text,
        body_line: 1,
        warnings,
    };
    let Some((close_start, body_start)) = close else {
        if invalid != Invalid::Error {
            return Ok(as_text(Vec::new()));
        }
        return Err(Error::FrontMatter {
            path: path.to_path_buf(),
            line: 1,
            message: format!(
                "front matter opened with `{fence}` is never closed: add a `{fence}` line after it"
            ),
        });
    };
    let raw = &text[first_nl + 1..close_start];
    if raw.len() > FRONT_MATTER_LIMIT {
        return Err(Error::FrontMatter {
            path: path.to_path_buf(),
            line: 1,
            message: format!(
                "front matter of {} kB: over the {} kB front matter may hold (is its closing `{fence}` missing?)",
                raw.len() / 1024,
                FRONT_MATTER_LIMIT / 1024
            ),
        });
    }
    let body_line = text[..body_start].matches('\n').count() + 1;
    let parsed = if is_toml {
        parse_toml(path, raw)
    } else {
        parse_yaml(path, raw)
    };
    let value = match (parsed, invalid) {
        // Rules around a paragraph, or around nothing but a heading.
        (Ok(v), Invalid::Text | Invalid::Rule) if !matches!(v, Value::Object(_) | Value::Null) => {
            return Ok(as_text(Vec::new()));
        }
        (Ok(v), _) => v,
        (Err(e), Invalid::Error) => return Err(e),
        (Err(e), Invalid::Text | Invalid::Rule) => {
            let (line, message) = match e {
                Error::FrontMatter { line, message, .. } => (line, message),
                other => (1, other.to_string()),
            };
            // Prose between two rules does not parse as YAML either: only
            // a block that starts as `key: value` lines was meant as front matter.
            let meant = raw
                .lines()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.split_once(':').is_some_and(|(k, _)| is_key(k)));
            let warnings = if meant {
                vec![Finding {
                    rule: "ignored-front-matter".into(),
                    severity: Severity::Warning,
                    page: path.display().to_string(),
                    line,
                    col: None,
                    target: None,
                    message: format!(
                        "the `{fence}` block at the top is not valid {} front matter ({message}): it is shown as the page's text, as {} shows it, and its keys are not read",
                        if is_toml { "TOML" } else { "YAML" },
                        if invalid == Invalid::Rule {
                            "mdBook"
                        } else {
                            "MkDocs"
                        }
                    ),
                    suggestion: Some("fix the front matter, or remove it".into()),
                }]
            } else {
                Vec::new()
            };
            return Ok(as_text(warnings));
        }
    };
    let mut warnings = Vec::new();
    let keys = match &value {
        Value::Object(map) => map.len(),
        _ => 0,
    };
    let front_matter = typed(path, raw, key_lines(raw), value, &mut warnings)?;
    // `Note: this chapter is old` between two rules: no key vigie reads,
    // the reader's text (a rule, then a heading, in mdBook).
    if invalid == Invalid::Rule
        && keys > 0
        && front_matter.extra.len() == keys
        && !front_matter.extra.contains_key("freshness")
    {
        return Ok(as_text(Vec::new()));
    }
    warnings.splice(0..0, duplicate_keys(path, &front_matter.key_lines));
    Ok(Split {
        front_matter,
        body: &text[body_start..],
        body_line,
        warnings,
    })
}

/// Whether `k` reads as a front matter key: a word (letters, digits, `_`,
/// `-`), not a sentence.
fn is_key(k: &str) -> bool {
    let k = k.trim();
    !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// `text` cut down to its body, the last `body_len` bytes ([`Split::body`]
/// is the end of the text): the page keeps the text it was read into, its
/// front matter dropped, instead of a copy.
pub fn into_body(mut text: String, body_len: usize) -> String {
    text.replace_range(..text.len() - body_len, "");
    text
}

/// A top-level key written twice: the last value is kept (as Hugo and
/// MkDocs keep it), and the warning names both lines.
fn duplicate_keys(path: &Path, key_lines: &[(String, usize)]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, (key, line)) in key_lines.iter().enumerate() {
        let Some((_, first)) = key_lines[..i].iter().rev().find(|(k, _)| k == key) else {
            continue;
        };
        let message = if first == line {
            format!("front matter key `{key}` is given twice on line {line}: the last value is used")
        } else {
            format!(
                "front matter key `{key}` is given twice, on lines {first} and {line}: the value of line {line} is used"
            )
        };
        out.push(Finding {
            rule: "duplicate-key".into(),
            severity: Severity::Warning,
            page: path.display().to_string(),
            line: *line,
            col: None,
            target: Some(key.clone()),
            message,
            suggestion: Some(format!("keep one `{key}`")),
        });
    }
    out
}

fn parse_yaml(path: &Path, raw: &str) -> Result<Value> {
    if raw.trim().is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    // Most front matter is a few plain lines: read without the YAML parser.
    if let Some(value) = plain::parse(raw) {
        return Ok(value);
    }
    // A repeated key keeps its last value, as Hugo and MkDocs read it
    // (`duplicate_keys` warns about it).
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
    };
    serde_saphyr::from_str_with_options::<Value>(raw, options).map_err(|e| {
        let (line, message) = crate::error::yaml_problem(&e.to_string());
        Error::FrontMatter {
            path: path.to_path_buf(),
            // +1: the text starts after the opening `---`
            line: line.map_or(2, |l| l + 1),
            message,
        }
    })
}

fn parse_toml(path: &Path, raw: &str) -> Result<Value> {
    let table: toml::Table = toml::from_str(raw).map_err(|e| Error::FrontMatter {
        path: path.to_path_buf(),
        // +1: the text starts after the opening `+++`
        line: crate::error::toml_line(raw, &e) + 1,
        message: crate::error::toml_words(e.message()),
    })?;
    Ok(crate::config::toml_to_json(toml::Value::Table(table)))
}

fn key_lines(raw: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        if let Some(end) = line.find([':', '=']) {
            let key = line[..end].trim().trim_matches('"');
            if !key.is_empty() && !key.contains(' ') {
                // +1 for the fence line, +1 to be 1-based
                out.push((key.to_string(), i + 2));
            }
        }
    }
    out
}

/// A value vigie reads but does not understand: said, with its line, never
/// silently dropped (rule `unknown-value`).
fn not_understood(path: &Path, line: usize, key: &str, message: String, suggestion: &str) -> Finding {
    Finding {
        rule: "unknown-value".into(),
        severity: Severity::Warning,
        page: path.display().to_string(),
        line,
        col: None,
        target: Some(key.to_string()),
        message,
        suggestion: Some(suggestion.to_string()),
    }
}

/// Line of `inner`, a key of the `freshness` table: on an indented line
/// below `freshness:`, else the line of `freshness:` itself (inline table).
fn inner_key_line(raw: &str, outer_line: usize, inner: &str) -> usize {
    raw.lines()
        .enumerate()
        .skip(outer_line - 1)
        .take_while(|(_, l)| l.starts_with([' ', '\t']) || l.trim().is_empty())
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(inner)
                .is_some_and(|r| r.trim_start().starts_with([':', '=']))
        })
        .map_or(outer_line, |(i, _)| i + 2)
}

/// `freshness: false`, or a table of `review`, `claims`, `references` booleans
/// (read by the freshness module): anything else is said.
fn check_freshness_opt_out(path: &Path, raw: &str, line: usize, v: &Value, out: &mut Vec<Finding>) {
    const PARTS: [&str; 3] = ["references", "claims", "review"];
    match v {
        Value::Bool(_) => {}
        Value::String(s) if matches!(s.as_str(), "off" | "false" | "no" | "on" | "true" | "yes") => {}
        Value::Object(m) => {
            for (k, value) in m {
                let at = inner_key_line(raw, line, k);
                if !PARTS.contains(&k.as_str()) {
                    out.push(not_understood(
                        path,
                        at,
                        "freshness",
                        format!("`freshness: {{{k}: …}}`: vigie does not know `{k}`; it is ignored"),
                        "use `references`, `claims` or `review` (see the front matter reference)",
                    ));
                } else if !value.is_boolean() {
                    out.push(not_understood(
                        path,
                        at,
                        "freshness",
                        format!("`freshness: {{{k}: {value}}}`: expected true or false; `{k}` stays checked"),
                        &format!("write `{k}: false` to leave it out"),
                    ));
                }
            }
        }
        other => out.push(not_understood(
            path,
            line,
            "freshness",
            format!("`freshness: {other}`: expected `false` or a table of `references`, `claims`, `review`; the page is checked"),
            "write `freshness: false`, or e.g. `freshness: {references: false}`",
        )),
    }
}

/// The known keys of `value` typed; `key_lines` says where each key is.
fn typed(
    path: &Path,
    raw: &str,
    key_lines: Vec<(String, usize)>,
    value: Value,
    warnings: &mut Vec<Finding>,
) -> Result<FrontMatter> {
    let mut fm = FrontMatter {
        key_lines,
        ..FrontMatter::default()
    };
    let map = match value {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        _ => {
            return Err(Error::FrontMatter {
                path: path.to_path_buf(),
                line: 2,
                message: "front matter must be a mapping of `key: value` lines".into(),
            });
        }
    };
    let bad = |fm: &FrontMatter, key: &str, what: &str| Error::FrontMatter {
        path: path.to_path_buf(),
        line: fm.line_of(key),
        message: format!("`{key}` {what}"),
    };
    for (key, v) in map {
        match key.as_str() {
            "title" => fm.title = scalar_string(&v),
            "description" | "summary" => fm.description = scalar_string(&v),
            "kind" | "type" if key == "kind" || Kind::parse(v.as_str().unwrap_or("")).is_some() => {
                let s = scalar_string(&v).unwrap_or_default();
                fm.kind = Some(Kind::parse(&s).ok_or_else(|| {
                    bad(
                        &fm,
                        &key,
                        &format!("is {s:?}; expected runbook, architecture, training or guide"),
                    )
                })?);
            }
            "owner" => fm.owner = scalar_string(&v),
            "reviewed" | "last_reviewed" => {
                let s = scalar_string(&v).unwrap_or_default();
                let date = NaiveDate::parse_from_str(s.get(..10).unwrap_or(&s), "%Y-%m-%d")
                    .map_err(|_| bad(&fm, &key, &format!("is {s:?}; write the date as YYYY-MM-DD")))?;
                fm.reviewed = Some(date);
            }
            "review_every" => fm.review_every = scalar_string(&v),
            "tags" | "keywords" => fm.tags = string_list(&v),
            "lang" | "language" => {
                fm.lang = scalar_string(&v);
                let l = fm.lang.as_deref().unwrap_or_default().trim().to_ascii_lowercase();
                if !(l.starts_with("fr") || l.starts_with("en")) {
                    let read_as = crate::config::normalise_language(&l);
                    warnings.push(not_understood(
                        path,
                        fm.line_of(&key),
                        &key,
                        format!(
                            "`{key}: {}`: vigie knows `fr` and `en`; the page is read as `{read_as}`",
                            fm.lang.as_deref().unwrap_or(&v.to_string())
                        ),
                        "write `lang: fr` or `lang: en`, or remove the key to let vigie guess",
                    ));
                }
            }
            "weight" => {
                fm.weight = Some(match &v {
                    Value::Number(n) => n
                        .as_i64()
                        .ok_or_else(|| bad(&fm, &key, &format!("is {n}; expected a whole number")))?,
                    Value::String(s) => s
                        .trim()
                        .parse()
                        .map_err(|_| bad(&fm, &key, &format!("is {s:?}; expected a whole number")))?,
                    _ => return Err(bad(&fm, &key, "must be a whole number")),
                })
            }
            "draft" => {
                fm.draft = matches!(v, Value::Bool(true)) || v.as_str() == Some("true");
                if !(v.is_boolean() || matches!(v.as_str(), Some("true" | "false"))) {
                    warnings.push(not_understood(
                        path,
                        fm.line_of(&key),
                        &key,
                        format!(
                            "`draft: {}`: expected true or false; the page is published",
                            scalar_string(&v).unwrap_or_else(|| v.to_string())
                        ),
                        "write `draft: true` to leave the page out, or remove the key",
                    ));
                }
            }
            "aliases" => fm.aliases = string_list(&v),
            "applies_to" => fm.applies_to = Some(v),
            "course" => fm.course = Some(v),
            "freshness" => {
                check_freshness_opt_out(path, raw, fm.line_of(&key), &v, warnings);
                fm.extra.insert(key, v);
            }
            _ => {
                fm.extra.insert(key, v);
            }
        }
    }
    Ok(fm)
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string_list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(scalar_string).collect(),
        Value::String(s) => s
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("x.md")
    }

    #[test]
    fn yaml_front_matter_is_typed_and_unknown_keys_kept() {
        let text = "---\ntitle: Redémarrer nova\nkind: runbook\nreviewed: 2026-01-15\ntags: [nova, compute]\nsecret_sauce: 42\n---\n# Body\n";
        let s = split(p(), text, Invalid::Error).unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("Redémarrer nova"));
        assert_eq!(s.front_matter.kind, Some(Kind::Runbook));
        assert_eq!(s.front_matter.reviewed, NaiveDate::from_ymd_opt(2026, 1, 15));
        assert_eq!(s.front_matter.tags, vec!["nova", "compute"]);
        assert_eq!(s.front_matter.extra["secret_sauce"], 42);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 8);
    }

    #[test]
    fn toml_front_matter_with_dates() {
        let text = "+++\ntitle = \"Réseau\"\nreviewed = 2025-06-01\nweight = 3\n+++\nTexte\n";
        let s = split(p(), text, Invalid::Error).unwrap();
        assert_eq!(s.front_matter.weight, Some(3));
        assert_eq!(s.front_matter.reviewed, NaiveDate::from_ymd_opt(2025, 6, 1));
    }

    #[test]
    fn bad_date_names_the_line() {
        let text = "---\ntitle: x\nreviewed: last tuesday\n---\n";
        let err = split(p(), text, Invalid::Error).err().unwrap().to_string();
        assert!(err.starts_with("x.md:3:"), "{err}");
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split(p(), "---\ntitle: x\n", Invalid::Error)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("never closed"), "{err}");
    }

    #[test]
    fn a_thematic_break_is_not_front_matter() {
        let s = split(p(), "--- not a fence\ntext", Invalid::Error).unwrap();
        assert!(s.front_matter.title.is_none());
    }

    #[test]
    fn a_repeated_key_keeps_the_last_value_and_warns_with_both_lines() {
        let text = "---\ntitle: Accueil\ntype: docs\nweight: 1\ntype: default\n---\nTexte\n";
        let s = split(p(), text, Invalid::Error).unwrap();
        assert_eq!(s.front_matter.extra["type"], "default");
        assert_eq!(s.warnings.len(), 1);
        let w = &s.warnings[0];
        assert_eq!((w.rule.as_str(), w.line), ("duplicate-key", 5));
        assert!(w.message.contains("lines 3 and 5"), "{}", w.message);
        assert!(!w.message.contains("Policy"), "{}", w.message);
    }

    #[test]
    fn yaml_errors_name_the_file_line_and_say_what_to_fix() {
        let cases = [
            ("tags: [oops", 3, "`[` is never closed with `]` (column 7)"),
            ("owner: \"unterminated", 3, "a quoted value is never closed"),
            (
                "key: value: other",
                3,
                "a value holds `: ` (a colon and a space): put the value in quotes",
            ),
            (": nokey", 3, "a key without a name (a line that starts with `:`)"),
            ("a: *undefined", 3, "refers to an anchor `&name` defined nowhere"),
            ("tags:\n  - a\n - b", 5, "not indented like the keys above it"),
        ];
        for (yaml, line, said) in cases {
            let text = format!("---\ntitle: ok\n{yaml}\n---\nx\n");
            let err = split(p(), &text, Invalid::Error).err().unwrap().to_string();
            assert!(
                err.starts_with(&format!("x.md:{line}: invalid front matter: ")),
                "{err}"
            );
            assert!(err.contains(said), "{err}");
            // The parser's own wording of the place and its advice stay out.
            assert!(!err.contains("error: line") && !err.contains("Option<"), "{err}");
        }
    }

    #[test]
    fn invalid_yaml_is_an_error_or_text_as_mkdocs_shows_it() {
        let text = "---\ntitle: x\nauthors:\n- a\n  sponsors:\n- b\n---\n# Body\n";
        let err = split(p(), text, Invalid::Error).err().unwrap().to_string();
        assert!(err.starts_with("x.md:"), "{err}");
        let s = split(p(), text, Invalid::Text).unwrap();
        assert!(s.front_matter.title.is_none());
        assert_eq!((s.body, s.body_line), (text, 1));
        assert_eq!(s.warnings[0].rule, "ignored-front-matter");
        assert!(
            s.warnings[0].message.contains("as MkDocs shows it"),
            "{}",
            s.warnings[0].message
        );
        // Keys vigie does not read are front matter in MkDocs (its `meta`).
        let s = split(p(), "---\nNote: old\n---\n# Body\n", Invalid::Text).unwrap();
        assert_eq!(s.body, "# Body\n");
    }

    #[test]
    fn a_rule_at_the_top_of_an_mdbook_chapter_is_text() {
        // Never closed, prose between rules, `Note:` between rules: the
        // chapter's Markdown, as mdBook renders it, and nothing said.
        for text in [
            "---\n\nSome intro after a rule.\n",
            "---\n\nJust a paragraph.\n\n---\n\n# Meta\n",
            "---\nNote: this chapter is old\n---\n\n# Other\n",
        ] {
            assert!(
                split(p(), text, Invalid::Error).is_err() || text.contains("Note"),
                "{text}"
            );
            let s = split(p(), text, Invalid::Rule).unwrap();
            assert_eq!((s.body, s.body_line), (text, 1));
            assert!(s.warnings.is_empty(), "{text}: {:?}", s.warnings);
        }
        // A front matter gone wrong is text too, and said at its line.
        let s = split(p(), "---\nowner: [unclosed\n---\n\n# Bad\n", Invalid::Rule).unwrap();
        assert_eq!(s.body_line, 1);
        assert_eq!(
            (s.warnings[0].rule.as_str(), s.warnings[0].line),
            ("ignored-front-matter", 2)
        );
        // vigie's own keys are read as in any site.
        let s = split(
            p(),
            "---\nowner: equipe-nova\nextra_key: 1\n---\n# Nova\n",
            Invalid::Text,
        )
        .unwrap();
        assert_eq!(s.front_matter.owner.as_deref(), Some("equipe-nova"));
        assert_eq!((s.body, s.body_line), ("# Nova\n", 5));
    }

    fn error_line(e: Error) -> (usize, String) {
        match e {
            Error::FrontMatter { line, message, .. } => (line, message),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn hugo_reads_json_front_matter_and_front_matter_below_blank_lines() {
        use crate::config::Layout;
        let text = "{\n  \"title\": \"Redémarrer {nova}\",\n  \"tags\": [\"nova\", \"api\"],\n  \"params\": {\"weight\": 1},\n  \"weight\": 3\n}\nCorps.\n";
        let s = read(p(), text, Layout::Hugo).unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("Redémarrer {nova}"));
        assert_eq!(s.front_matter.tags, ["nova", "api"]);
        assert_eq!(s.front_matter.weight, Some(3));
        assert_eq!((s.body, s.body_line), ("Corps.\n", 7));
        // Top-level keys only, each on its own line.
        assert_eq!(
            s.front_matter.key_lines,
            [("title", 2), ("tags", 3), ("params", 4), ("weight", 5)].map(|(k, l)| (k.to_string(), l))
        );
        // Other tools read it as text, as they show it.
        for layout in [Layout::MkDocs, Layout::MdBook] {
            let s = read(p(), text, layout).unwrap();
            assert_eq!((s.body, s.front_matter.title), (text, None), "{layout:?}");
        }
        // Blank lines above: lines still count from the top of the file.
        let s = read(
            p(),
            "\n\n---\ntitle: T\ndraft: peut-être\n---\nTexte.\n",
            Layout::Hugo,
        )
        .unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("T"));
        assert_eq!((s.body, s.body_line), ("Texte.\n", 7));
        assert_eq!(s.warnings[0].line, 5);
        let s = read(p(), "\n+++\ntitle = \"T\"\n+++\nTexte.\n", Layout::Hugo).unwrap();
        assert_eq!((s.front_matter.title.as_deref(), s.body_line), (Some("T"), 5));
        let (line, _) = error_line(
            read(p(), "\n\n---\nweight: lourd\n---\n", Layout::Hugo)
                .err()
                .unwrap(),
        );
        assert_eq!(line, 4);
        // A page opening with a shortcode is text, not JSON.
        let text = "{{< note >}}\nHi\n{{< /note >}}\n";
        let s = read(p(), text, Layout::Hugo).unwrap();
        assert_eq!((s.body, s.body_line), (text, 1));
    }

    #[test]
    fn json_front_matter_that_hugo_refuses_is_an_error_at_its_line() {
        use crate::config::Layout;
        for (text, want_line, want) in [
            (
                "{\n  \"title\": \"A\",\n  \"tags\": [\"a\" \"b\"]\n}\nx\n",
                3,
                "column 16",
            ),
            ("\n{\n  \"title\": \"A {\"\n", 2, "never closed"),
            (
                "{\n  \"title\": \"A\",\n  \"weight\": \"lourd\"\n}\n",
                3,
                "`weight`",
            ),
        ] {
            let (line, message) = error_line(read(p(), text, Layout::Hugo).err().unwrap());
            assert_eq!(line, want_line, "{text}: {message}");
            assert!(message.contains(want), "{text}: {message}");
        }
        // A key given twice keeps its last value, said once on its line.
        let s = read(p(), "{\"title\": \"A\", \"title\": \"B\"}\nx\n", Layout::Hugo).unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("B"));
        assert_eq!((s.body, s.body_line), ("x\n", 2));
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        assert_eq!(s.warnings[0].line, 1);
        assert!(
            s.warnings[0].message.contains("twice on line 1"),
            "{}",
            s.warnings[0].message
        );
    }
}
