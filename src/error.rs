//! The library's error type: "could not do the job" (bad input, unreadable file,
//! bad configuration). Findings such as a broken link are not errors: they are
//! data in a [`crate::report::Report`].

use std::path::{Path, PathBuf};

/// Everything that stops vigie from doing its job. Variants carry the file and,
/// when known, the line, so the message can point the user at the fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: cannot write: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}: invalid front matter: {message}", path.display())]
    FrontMatter {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}:{line}: invalid configuration: {message}", path.display())]
    Config {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}:{line}: {message}", path.display())]
    Input {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    Book { path: PathBuf, message: String },
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    /// The tantivy index of `vigie search` in `path` could not be used.
    #[error("{}: search index: {message}", path.display())]
    Search { path: PathBuf, message: String },
    /// A live platform source (a Kubernetes context, an OpenStack cloud)
    /// could not do its job. No file is at fault: the message names the
    /// context or cloud, never a secret.
    #[error("{0}")]
    Platform(String),
    /// The link checker's network side could not start. No file is at fault.
    #[error("{0}")]
    Network(String),
    /// A chat webhook did not take a message (`check freshness --notify`). The
    /// message names the owner and the webhook's host, never its full address.
    #[error("notify: {0}")]
    Notify(String),
    /// The command line is wrong (the message says how to write it).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Read {
            path: path.into(),
            source,
        }
    }

    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Write {
            path: path.into(),
            source,
        }
    }

    /// The same error with its file named relative to `root` when it lies
    /// inside (`vigie.toml:3`, not `/home/…/kb/vigie.toml:3`), as reports name
    /// pages; a file outside `root` keeps the path it was given.
    pub fn relative_to(mut self, root: &Path) -> Error {
        let Ok(root) = root.canonicalize() else {
            return self;
        };
        if let Some(path) = self.path_mut()
            && let Ok(r) = path.strip_prefix(&root)
            && !r.as_os_str().is_empty()
        {
            *path = r.to_path_buf();
        }
        self
    }

    /// The file the error names, when it names one.
    fn path_mut(&mut self) -> Option<&mut PathBuf> {
        match self {
            Error::Read { path, .. }
            | Error::Write { path, .. }
            | Error::FrontMatter { path, .. }
            | Error::Config { path, .. }
            | Error::Input { path, .. }
            | Error::Book { path, .. }
            | Error::Search { path, .. } => Some(path),
            _ => None,
        }
    }

    pub fn input(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

/// What the YAML parser says (a part of its message) and what vigie says
/// instead, as the writer would fix it.
const YAML_SAID: &[(&str, &str)] = &[
    (
        "unclosed quote",
        "a quoted value is never closed: its closing quote is missing",
    ),
    (
        "mapping values are not allowed",
        "a value holds `: ` (a colon and a space): put the value in quotes",
    ),
    (
        "found a tab",
        "a tab where YAML expects spaces: indent with spaces",
    ),
    (
        "did not find expected key",
        "this line is not indented like the keys above it",
    ),
    (
        "unknown anchor",
        "`*name` refers to an anchor `&name` defined nowhere above it",
    ),
    (
        "null into string",
        "a key without a name (a line that starts with `:`)",
    ),
    // A value of the wrong shape for its key.
    (
        "expected mapping start",
        "`key: value` lines are expected here, not a single value",
    ),
    (
        "expected sequence start",
        "a list is expected here (lines that start with `- `), not a single value",
    ),
    (
        "expected string scalar",
        "a single value is expected here, not a list or `key: value` lines",
    ),
];

/// The line (in the YAML text) and the words of the YAML parser's
/// `message`, which reads `error: line 2 column 7: unclosed bracket '['`:
/// the line goes where vigie names it (`file:line`), and what is wrong is
/// said as the writer would fix it: the one place a YAML parse error
/// becomes a line and our words.
pub fn yaml_problem(message: &str) -> (Option<usize>, String) {
    let first = message.lines().next().unwrap_or(message);
    let re = regex::Regex::new(r"^(?:error: )?line (\d+) column (\d+): (.*)$").expect("a valid pattern");
    let Some(c) = re.captures(first) else {
        return (None, first.to_string());
    };
    let (line, column, what) = (c[1].parse().ok(), &c[2], &c[3]);
    let said = match what
        .strip_prefix("unclosed bracket '")
        .and_then(|r| r.strip_suffix('\''))
    {
        Some(open) => {
            let close = match open {
                "[" => "]",
                "{" => "}",
                other => other,
            };
            format!("`{open}` is never closed with `{close}`")
        }
        None => match YAML_SAID.iter().find(|(parser, _)| what.contains(parser)) {
            Some((_, ours)) => ours.to_string(),
            // Any other: the parser's words, without its advice on its own types.
            None => what.split("; use ").next().unwrap_or(what).to_string(),
        },
    };
    (line, format!("{said} (column {column})"))
}

/// The 1-based line of `text` that TOML error `e` points at (1 when it
/// points nowhere): the one place a TOML parse error becomes a line.
pub fn toml_line(text: &str, e: &toml::de::Error) -> usize {
    e.span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
        .unwrap_or(1)
}

/// What the TOML parser says (the start of its message) and what vigie
/// says instead, as the writer would fix it.
const TOML_SAID: &[(&str, &str)] = &[
    (
        "invalid basic string",
        "a text opened with `\"` is not closed on its line",
    ),
    (
        "invalid literal string",
        "a text opened with `'` is not closed on its line",
    ),
    (
        "invalid multi-line basic string",
        "a text opened with `\"\"\"` is never closed",
    ),
    (
        "invalid multi-line literal string",
        "a text opened with `'''` is never closed",
    ),
    (
        "string values must be quoted",
        "a text value goes in quotes: `key = \"value\"`",
    ),
    ("duplicate key", "this key is given a second time"),
    (
        "missing escaped value",
        "a `\\` between `\"` starts an escape such as `\\n`: write `\\\\` for a backslash, or put the text between `'`",
    ),
    (
        "too few unicode value digits",
        "`\\u` is followed by 4 hexadecimal digits, `\\U` by 8",
    ),
    (
        "unexpected key or value",
        "something follows the value on this line: one `key = value` a line, and a comment starts with `#`",
    ),
    (
        "`_` may only go between digits",
        "`_` may only go between two digits",
    ),
];

/// The TOML parser's `message` (`toml::de::Error::message`) in vigie's
/// words where it uses the format's own terms; other messages as they are.
pub fn toml_words(message: &str) -> String {
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.trim_end().split_once(", expected "))
    {
        return format!(
            "{} is expected here, not {}",
            expected_words(expected),
            found_words(found)
        );
    }
    match TOML_SAID.iter().find(|(parser, _)| message.starts_with(parser)) {
        Some((_, ours)) => ours.to_string(),
        None => message.to_string(),
    }
}

/// What a reader of the file was expecting, as a parser names it
/// (`a sequence`, `u32`), in words.
fn expected_words(expected: &str) -> String {
    let number = ["integer", "u8", "u16", "u32", "u64", "usize", "i32", "i64"];
    if expected.contains("sequence") {
        "a list (`[\"a\", \"b\"]`)".into()
    } else if expected.contains("string") {
        "a text in quotes".into()
    } else if expected.contains("boolean") {
        "`true` or `false`".into()
    } else if number.iter().any(|n| expected.contains(n)) {
        "a whole number".into()
    } else if expected.contains("map") || expected.contains("struct") {
        "a table of `key = value` lines".into()
    } else {
        expected.to_string()
    }
}

/// What a parser found instead (`string "me"`, ``integer `5` ``), in words.
fn found_words(found: &str) -> String {
    let value = |kind: &str| {
        found
            .strip_prefix(kind)
            .map(|v| v.trim().trim_matches('`').to_string())
    };
    if let Some(v) = value("string") {
        format!("the text {v}")
    } else if let Some(v) = value("integer").or_else(|| value("floating point")) {
        format!("the number {v}")
    } else if let Some(v) = value("boolean") {
        format!("`{v}`")
    } else if found.starts_with("sequence") {
        "a list".into()
    } else if found.starts_with("map") {
        "a table".into()
    } else {
        found.to_string()
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::{toml_line, toml_words};

    #[test]
    fn a_value_of_the_wrong_type_is_said_in_our_words() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Book {
            authors: Vec<String>,
            multilingual: Option<bool>,
            weight: Option<u32>,
        }
        for (text, ours) in [
            (
                "authors = \"me\"\n",
                "a list (`[\"a\", \"b\"]`) is expected here, not the text \"me\"",
            ),
            (
                "authors = []\nmultilingual = 1\n",
                "`true` or `false` is expected here, not the number 1",
            ),
            (
                "authors = []\nweight = \"lourd\"\n",
                "a whole number is expected here, not the text \"lourd\"",
            ),
        ] {
            let e = toml::from_str::<Book>(text).unwrap_err();
            assert_eq!(toml_words(e.message()), ours, "{text}: {}", e.message());
        }
    }

    #[test]
    fn a_toml_error_names_its_line() {
        let text = "title = \"x\"\n\nlanguage = = \"fr\"\n";
        let e = toml::from_str::<toml::Table>(text).unwrap_err();
        assert_eq!(toml_line(text, &e), 3);
    }

    #[test]
    fn toml_errors_in_the_formats_terms_are_said_in_ours() {
        // The parser's own messages: a new wording of its would fail here.
        for (text, ours) in [
            (
                "title = \"x\n",
                "a text opened with `\"` is not closed on its line",
            ),
            ("title = 'x\n", "a text opened with `'` is not closed on its line"),
            ("title = x\n", "a text value goes in quotes: `key = \"value\"`"),
            ("a = 1\na = 2\n", "this key is given a second time"),
            (
                "path = \"C:\\docs\"\n",
                "a `\\` between `\"` starts an escape such as `\\n`: write `\\\\` for a backslash, or put the text between `'`",
            ),
            (
                "c = \"\\u00\"\n",
                "`\\u` is followed by 4 hexadecimal digits, `\\U` by 8",
            ),
            (
                "title = \"x\" extra\n",
                "something follows the value on this line: one `key = value` a line, and a comment starts with `#`",
            ),
            ("n = 1__0\n", "`_` may only go between two digits"),
        ] {
            let e = toml::from_str::<toml::Table>(text).unwrap_err();
            assert_eq!(toml_words(e.message()), ours, "{text:?}: {}", e.message());
        }
        assert_eq!(toml_words("expected `=`"), "expected `=`");
    }
}
