//! `vigie.toml` and the knowledge-base shape: where the content is, what the
//! site is called, which language it speaks, and each module's own section.
//!
//! A Hugo site (`hugo.toml|hugo.yaml|config.toml|config.yaml` + `content/`), an
//! mdBook book (`book.toml`) and an MkDocs project (`mkdocs.yml` + its
//! `docs_dir`) are recognised here, and their title, language and base URL are
//! taken from their own configuration when `vigie.toml` does not say.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// What kind of tree the root holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Plain folders of Markdown: `_index.md`, `index.md` or `README.md` are section pages.
    Folder,
    /// A Hugo site: `content/` is the URL root.
    Hugo,
    /// An mdBook book: `book.toml` + `src/SUMMARY.md`.
    MdBook,
    /// An MkDocs project: `mkdocs.yml` + its docs folder.
    MkDocs,
}

/// What to do with a broken internal link during `vigie build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    #[default]
    Error,
    Warn,
}

/// The `vigie.toml` file as written by the user. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ConfigFile {
    title: Option<String>,
    language: Option<String>,
    base_url: Option<String>,
    description: Option<String>,
    content: Vec<String>,
    exclude: Vec<String>,
    output: Option<String>,
    broken_links: Option<BrokenLinks>,
    /// Every other table (`[links]`, `[freshness]`, `[review]`, …), read by its module.
    #[serde(flatten)]
    sections: toml::Table,
}

/// How the site's tool makes heading anchors, where its configuration
/// changes its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeadingIds {
    /// The tool's own way.
    #[default]
    Tool,
    /// MkDocs with pymdown-extensions' Unicode slugs (`toc: slugify:
    /// !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}`):
    /// accents kept, lowercased or not.
    Unicode { lower: bool },
    /// Hugo's `autoHeadingIDType = "github-ascii"`: accents taken off,
    /// other characters outside ASCII dropped.
    Ascii,
    /// Hugo's `autoHeadingIDType = "blackfriday"`: runs of letters and
    /// digits joined by one `-`.
    Blackfriday,
}

/// An old address the site's configuration sends elsewhere, as mdBook's
/// `[output.html.redirect]` writes it: the address from the site's root,
/// where it leads (written as it is, relative to the old address's folder
/// unless absolute), and the line of the configuration that says so. MkDocs'
/// `redirects` plugin names pages by their Markdown files instead (`old.md`
/// to `new.md#anchor`, paths from the docs folder): the build gives them
/// their pages' addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub from: String,
    pub to: String,
    pub line: usize,
}

/// A stylesheet or a script the site's own configuration adds to every
/// page (mdBook's `additional-css` and `additional-js`, MkDocs' `extra_css`
/// and `extra_javascript`): its address in the site (a path from the
/// site's root, or a URL), the file copied there (none for a URL), and the
/// line of the configuration that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteAsset {
    pub href: String,
    pub file: Option<PathBuf>,
    pub line: usize,
}

/// How a page loads a script of the site's own (MkDocs' `type: module`,
/// `defer`, `async`; a `.mjs` file is a module).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptLoad {
    pub module: bool,
    pub defer: bool,
    pub is_async: bool,
}

/// Inline marks an extension of the site's tool adds (MkDocs'
/// `pymdownx.mark`, `caret`, `tilde`, `keys`, `emoji`; Hugo's goldmark
/// `extras` and `enableEmoji`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InlineMarks {
    /// `==text==`: highlighted.
    pub mark: bool,
    /// `^^text^^`: inserted (MkDocs' `caret`).
    pub caret_insert: bool,
    /// `++text++`: inserted (Hugo's `insert`).
    pub plus_insert: bool,
    /// `^text^`: superscript.
    pub superscript: bool,
    /// `~text~`: subscript (`~~text~~` stays struck through).
    pub subscript: bool,
    /// `++ctrl+alt+del++`: keys to press (MkDocs' `keys`).
    pub keys: bool,
    /// `:smile:`: an emoji (MkDocs' `pymdownx.emoji`, Hugo's `enableEmoji`).
    pub emoji: bool,
    /// `(c)`, `+/-`, `-->`, `1/2`: ©, ±, →, ½ (MkDocs' `pymdownx.smartsymbols`).
    pub symbols: bool,
}

/// The files of an MkDocs project's docs folder that its `exclude_docs`
/// and `draft_docs` leave out of the site: lines of `.gitignore` patterns,
/// from the docs folder, the last line that matches a file deciding (a `!`
/// line takes a file back).
#[derive(Debug, Clone, Default)]
pub struct DocsExcluded(Vec<Vec<(globset::GlobMatcher, bool)>>);

impl DocsExcluded {
    /// Whether `rel`, a path from the docs folder (`/` between folders), is left out.
    pub fn is_match(&self, rel: &str) -> bool {
        self.0.iter().any(|lines| {
            lines
                .iter()
                .rev()
                .find(|(glob, _)| glob.is_match(rel))
                .is_some_and(|(_, out)| *out)
        })
    }

    /// The patterns of one key (`exclude_docs`), each line as Git reads a
    /// `.gitignore` line: `*.py` anywhere, `/drafts/` from the docs folder,
    /// a trailing `/` for folders only, `!` to take files back, `#` for
    /// comments. `Err`: the line that is not a pattern.
    fn add(&mut self, text: &str) -> std::result::Result<(), String> {
        let mut lines = Vec::new();
        for line in text.lines() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (keep, pattern) = match line.strip_prefix('!') {
                Some(p) => (true, p),
                None => (false, line.strip_prefix('\\').unwrap_or(line)),
            };
            let (folder_only, pattern) = match pattern.strip_suffix('/') {
                Some(p) => (true, p),
                None => (false, pattern),
            };
            // A slash at the start or inside anchors it at the docs folder.
            let base = match pattern.strip_prefix('/') {
                Some(p) => p.to_string(),
                None if pattern.contains('/') => pattern.to_string(),
                None => format!("**/{pattern}"),
            };
            let below = format!("{base}/**");
            let globs = if folder_only {
                vec![below]
            } else {
                vec![base, below]
            };
            for g in globs {
                let glob = globset::GlobBuilder::new(&g)
                    .literal_separator(true)
                    .build()
                    .map_err(|_| line.to_string())?;
                lines.push((glob.compile_matcher(), !keep));
            }
        }
        self.0.push(lines);
        Ok(())
    }
}

/// A file as a native configuration names it: (path from the project's
/// root, or URL; address in the site; line of the configuration file).
type Named = (String, String, usize);

/// The resolved configuration of one knowledge base.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute path of the knowledge-base root.
    pub root: PathBuf,
    /// Where the site is written (absolute).
    pub out: PathBuf,
    pub layout: Layout,
    /// Folder whose files are content (the root, Hugo's `content/` or mdBook's `src/`).
    pub content_root: PathBuf,
    /// Sub-folders of `content_root` that hold content; empty means all of it.
    pub content_dirs: Vec<String>,
    pub title: String,
    pub description: Option<String>,
    /// Site language: `fr` or `en`.
    pub language: String,
    /// How heading anchors are made (see [`HeadingIds`]).
    pub heading_ids: HeadingIds,
    /// Whether the HTML written in pages is published: yes, as mdBook and
    /// MkDocs publish it, but on a Hugo site that does not set
    /// `markup.goldmark.renderer.unsafe = true`, where Hugo leaves it out.
    pub raw_html: bool,
    /// Whether straight quotes, `--`, `---` and `...` become typographic
    /// ones (’ “ ” – — …) in the text: as mdBook and Hugo write them unless
    /// their configuration says otherwise, as MkDocs does with `smarty`.
    pub smart_punctuation: bool,
    /// The inline marks beyond CommonMark the site's tool is told to read.
    pub marks: InlineMarks,
    /// Whether ```` ```admonish ```` fences are admonitions: a book whose
    /// `book.toml` runs the `admonish` preprocessor.
    pub admonish: bool,
    /// Whether an attribute list after a link or an image
    /// (`[Go](x.md){ .md-button }`, `![Plan](a.png){ width="300" }`) gives
    /// it those attributes: an MkDocs project with `attr_list`. Elsewhere
    /// the list is left out.
    pub attributes: bool,
    /// Whether a line break inside a paragraph is kept as one (MkDocs'
    /// `nl2br`, Hugo's `markup.goldmark.renderer.hardWraps`), instead of
    /// joining the lines as CommonMark does.
    pub hard_breaks: bool,
    /// Whether an inline code span that starts with `#!lang ` (or
    /// `:::lang `) names its language before the code (MkDocs'
    /// `pymdownx.inlinehilite`: `` `#!python print()` ``): the code alone
    /// is shown.
    pub inline_lang: bool,
    /// The number of the first line of every code fence, when the site
    /// numbers them all (`pymdownx.highlight: linenums: true`, Hugo's
    /// `markup.highlight.lineNos`); a fence's own option wins.
    pub line_numbers: Option<usize>,
    /// Whether `language` was written (in `vigie.toml` or the site's own
    /// configuration). When it was not, the language most pages are written
    /// in becomes the site's once they are read (see `content::Site`).
    pub language_given: bool,
    pub base_url: Option<String>,
    /// Glob patterns (relative to the root) of files that are not content.
    pub exclude: globset::GlobSet,
    /// Files of an MkDocs project's docs folder its configuration leaves
    /// out ([`Config::docs_exclude`]).
    pub docs_excluded: DocsExcluded,
    pub broken_links: BrokenLinks,
    /// Languages of a multilingual Hugo site, its default first (empty otherwise).
    pub languages: Vec<String>,
    /// Content folders of the other languages of a Hugo site that keeps one
    /// folder per language (`contentDir`): (language, absolute folder).
    pub language_dirs: Vec<(String, PathBuf)>,
    /// Site parameters (Hugo `params`, vigie.toml `[params]`) for `{{< param >}}`.
    pub params: Option<serde_json::Map<String, serde_json::Value>>,
    /// Old addresses the site's configuration sends elsewhere (mdBook's
    /// `[output.html.redirect]`).
    pub redirects: Vec<Redirect>,
    /// Stylesheets of the site's own, linked after the theme's.
    pub extra_css: Vec<SiteAsset>,
    /// Scripts of the site's own, loaded after the theme's.
    pub extra_js: Vec<(SiteAsset, ScriptLoad)>,
    /// Whether pages dated in the future (Hugo's `date`, `publishDate`) and
    /// pages past their `expiryDate` are published: Hugo leaves both out
    /// unless its config sets `buildFuture` / `buildExpired`.
    pub publish_future: bool,
    pub publish_expired: bool,
    /// The `vigie.toml` file, when there is one.
    pub file: Option<PathBuf>,
    /// Values of `vigie.toml` read but not understood (a `language` vigie does
    /// not speak): reported with the site's loading warnings.
    pub warnings: Vec<crate::report::Finding>,
    sections: toml::Table,
    source: String,
}

/// Folders never read as content, wherever they are.
pub const SKIPPED_DIRS: &[&str] = &["target", "node_modules", "site", "templates"];

impl Config {
    /// Whether an MkDocs project's `exclude_docs` or `draft_docs` leaves
    /// the file at `path` (in its docs folder) out of the site.
    pub fn docs_exclude(&self, path: &Path) -> bool {
        path.strip_prefix(&self.content_root).is_ok_and(|rel| {
            self.docs_excluded
                .is_match(&rel.to_string_lossy().replace('\\', "/"))
        })
    }

    /// Whether the file at `path` is left out of the site: by vigie.toml's
    /// `exclude` (a glob matching its path from the root, from the content
    /// folder or from a language's folder), or by an MkDocs project's
    /// [`Config::docs_exclude`]. Pages, copied files, links, suggestions
    /// and `serve` all ask this.
    pub fn left_out(&self, path: &Path) -> bool {
        let globbed = |base: &Path| {
            path.strip_prefix(base)
                .is_ok_and(|rel| self.exclude.is_match(rel.to_string_lossy().replace('\\', "/")))
        };
        globbed(&self.root)
            || globbed(&self.content_root)
            || self.language_dirs.iter().any(|(_, dir)| globbed(dir))
            || self.docs_exclude(path)
    }

    /// Reads `ROOT/vigie.toml` if present and recognises the layout of `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let root = root
            .canonicalize()
            .map_err(|e| Error::Usage(format!("{}: not a readable folder: {e}", root.display())))?;
        if !root.is_dir() {
            return Err(Error::Usage(format!("{}: not a folder", root.display())));
        }
        let path = root.join("vigie.toml");
        let (file, source, parsed) = if path.is_file() {
            let source = std::fs::read_to_string(&path).map_err(|e| Error::read(&path, e))?;
            let parsed: ConfigFile = toml::from_str(&source).map_err(|e| Error::Config {
                line: crate::error::toml_line(&source, &e),
                path: path.clone(),
                message: crate::error::toml_words(e.message()),
            })?;
            (Some(path), source, parsed)
        } else {
            (None, String::new(), ConfigFile::default())
        };

        if let Some(path) = &file {
            check_keys(path, &source, &parsed.sections)?;
        }
        let (layout, content_root, mut native) = detect_layout(&root)?;
        let mut warnings = std::mem::take(&mut native.warnings);
        let extra_css = native
            .extra_css
            .iter()
            .filter_map(|named| site_asset(&root, native.config_name, named, "stylesheet", &mut warnings))
            .collect();
        let extra_js = native
            .extra_js
            .iter()
            .filter_map(|(named, load)| {
                site_asset(&root, native.config_name, named, "script", &mut warnings).map(|a| (a, *load))
            })
            .collect();
        if let Some(l) = &parsed.language
            && !["fr", "en"]
                .iter()
                .any(|k| l.trim().to_ascii_lowercase().starts_with(k))
        {
            warnings.push(crate::report::Finding {
                rule: "unknown-value".into(),
                severity: crate::report::Severity::Warning,
                page: "vigie.toml".into(),
                line: line_of_key(&source, &["language"]),
                col: None,
                target: Some("language".into()),
                message: format!(
                    "`language = {l:?}`: vigie's interface and search speak `fr` and `en`; the site is built in `{}`",
                    normalise_language(l)
                ),
                suggestion: Some("write `language = \"fr\"` or `language = \"en\"`".into()),
            });
        }
        let language_given = parsed.language.is_some() || native.language.is_some();
        let language = parsed
            .language
            .clone()
            .or(native.language)
            .map(|l| normalise_language(&l))
            .unwrap_or_else(|| "fr".to_string());
        let title = parsed.title.clone().or(native.title).unwrap_or_else(|| {
            root.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| "Documentation".into())
        });
        let out = match &parsed.output {
            Some(o) => root.join(o),
            None => root.join("site"),
        };
        let mut globs = globset::GlobSetBuilder::new();
        for pattern in &parsed.exclude {
            let glob = globset::Glob::new(pattern).map_err(|e| Error::Config {
                path: root.join("vigie.toml"),
                line: find_line(&source, pattern),
                message: format!("bad exclude pattern {pattern:?}: {e}"),
            })?;
            globs.add(glob);
        }
        let exclude = globs.build().map_err(|e| Error::Config {
            path: root.join("vigie.toml"),
            line: find_line(&source, "exclude"),
            message: format!("exclude patterns: {e}"),
        })?;
        let mut params = native.params;
        if let Some(toml::Value::Table(t)) = parsed.sections.get("params") {
            let extra = toml_to_json(toml::Value::Table(t.clone()));
            if let serde_json::Value::Object(extra) = extra {
                params.get_or_insert_with(Default::default).extend(extra);
            }
        }
        let language_dirs = native
            .language_dirs
            .iter()
            .map(|(l, d)| (l.clone(), root.join(d)))
            .filter(|(_, d)| d.is_dir())
            .collect();
        Ok(Config {
            languages: native.languages,
            language_dirs,
            params,
            out,
            layout,
            content_root,
            content_dirs: parsed.content,
            title,
            description: parsed.description.or(native.description),
            language,
            raw_html: native.raw_html.unwrap_or(true),
            smart_punctuation: native.smart_punctuation,
            marks: native.marks,
            line_numbers: native.line_numbers,
            admonish: native.admonish,
            attributes: native.attributes,
            hard_breaks: native.hard_breaks,
            inline_lang: native.inline_lang,
            extra_css,
            extra_js,
            redirects: native.redirects,
            publish_future: native.publish_future.unwrap_or(true),
            publish_expired: native.publish_expired.unwrap_or(true),
            heading_ids: native.heading_ids,
            language_given,
            base_url: parsed.base_url.or(native.base_url),
            exclude,
            docs_excluded: native.docs_excluded,
            broken_links: parsed.broken_links.unwrap_or_default(),
            file,
            warnings,
            sections: parsed.sections,
            source,
            root,
        })
    }

    /// Deserialises the `[name]` table of `vigie.toml` (or the default when absent).
    /// Errors name the line of the table.
    pub fn section<T: DeserializeOwned + Default>(&self, name: &str) -> Result<T> {
        match self.sections.get(name) {
            None => Ok(T::default()),
            Some(value) => value.clone().try_into().map_err(|e: toml::de::Error| {
                // The table alone has lost its place in the file: read it again
                // from the text, whose errors point at the offending key.
                let (line, message) = match pick::<T>(&self.source, name) {
                    Err(e) if e.span().is_some() => {
                        let line = crate::error::toml_line(&self.source, &e);
                        (line, crate::error::toml_words(e.message()))
                    }
                    _ => (
                        find_line(&self.source, &format!("[{name}")),
                        crate::error::toml_words(e.message()),
                    ),
                };
                Error::Config {
                    path: self.file_path(),
                    line,
                    message: format!("[{}]: {message}", table_at(&self.source, line, name)),
                }
            }),
        }
    }

    /// The `vigie.toml` path errors name (the file, or where it would be).
    pub fn file_path(&self) -> PathBuf {
        self.file.clone().unwrap_or_else(|| self.root.join("vigie.toml"))
    }

    /// 1-based line in `vigie.toml` of the key at `path`, such as
    /// `["freshness", "severity", "review-overdue"]`; a step that is a number
    /// names an element of an array (`["freshness", "ignore", "1"]`). When the
    /// path goes further than the file, the line of its last step found; 1 when
    /// not even the first is.
    pub fn line_of_key(&self, path: &[&str]) -> usize {
        line_of_key(&self.source, path)
    }

    /// A configuration error at the key `path` of `vigie.toml` (see [`Config::line_of_key`]).
    pub fn error_at(&self, path: &[&str], message: impl Into<String>) -> Error {
        Error::Config {
            path: self.file_path(),
            line: self.line_of_key(path),
            message: message.into(),
        }
    }

    /// Path of `p` relative to the root, with `/` separators, for messages and reports.
    pub fn display_path(&self, p: &Path) -> String {
        let rel = p.strip_prefix(&self.root).unwrap_or(p);
        rel.to_string_lossy().replace('\\', "/")
    }
}

/// Deserialises the top-level table `name` of `source` alone, with the
/// spans of the whole text (errors point at their key).
fn pick<T: DeserializeOwned>(source: &str, name: &str) -> std::result::Result<Option<T>, toml::de::Error> {
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
    struct Pick<'n, T>(&'n str, std::marker::PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for Pick<'_, T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a table")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Option<T>, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<String>()? {
                if key == self.0 {
                    found = Some(map.next_value::<T>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Pick<'_, T> {
        type Value = Option<T>;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Option<T>, D::Error> {
            d.deserialize_map(self)
        }
    }
    Pick(name, std::marker::PhantomData).deserialize(toml::de::Deserializer::parse(source)?)
}

/// The table a line of `source` stands in (`freshness.severity`), for
/// messages; `default` when the line is above any header.
fn table_at(source: &str, line: usize, default: &str) -> String {
    source
        .lines()
        .take(line)
        .filter_map(|l| {
            let l = l.trim();
            (!l.starts_with("[["))
                .then(|| l.strip_prefix('[')?.split(']').next())
                .flatten()
                .filter(|h| !h.is_empty())
                .map(|h| h.trim().to_string())
        })
        .last()
        .filter(|h| h == default || h.starts_with(&format!("{default}.")))
        .unwrap_or_else(|| default.to_string())
}

/// See [`Config::line_of_key`].
fn line_of_key(source: &str, path: &[&str]) -> usize {
    use toml::de::{DeTable, DeValue};
    let Ok(doc) = DeTable::parse(source) else {
        return 1;
    };
    let mut line = 1;
    let mut table = doc.get_ref();
    let mut array = None;
    for step in path {
        let (at, value) = match array.take() {
            Some(items) => {
                let items: &[toml::Spanned<DeValue>] = items;
                let Some(item) = step.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                    break;
                };
                (item.span().start, item.get_ref())
            }
            None => {
                let Some((key, value)) = table.iter().find(|(k, _)| k.get_ref() == step) else {
                    break;
                };
                (key.span().start, value.get_ref())
            }
        };
        line = line_of(source, at);
        match value {
            DeValue::Table(t) => table = t,
            DeValue::Array(a) => array = Some(&a[..]),
            _ => break,
        }
    }
    line
}

/// The top-level keys of `vigie.toml`, then the tables modules read.
const KEYS: &[&str] = &[
    "title",
    "language",
    "base_url",
    "description",
    "content",
    "exclude",
    "output",
    "broken_links",
];
const TABLES: &[&str] = &[
    "review",
    "params",
    "links",
    "search",
    "freshness",
    "notify",
    "alerts",
];

/// A misspelt key or table would otherwise be ignored without a word (a
/// `[reveiw]` that reviews nothing): name it, its line, and what was meant.
fn check_keys(path: &Path, source: &str, sections: &toml::Table) -> Result<()> {
    for (name, value) in sections {
        let is_table = value.is_table();
        if is_table && TABLES.contains(&name.as_str()) {
            continue;
        }
        let known = if is_table { TABLES } else { KEYS };
        let meant = known
            .iter()
            .filter_map(|k| crate::fuzzy::distance(name, k, 2).map(|d| (d, *k)))
            .min()
            .map(|(_, k)| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        let what = if is_table {
            format!("unknown table `[{name}]`")
        } else {
            format!("unknown key `{name}`")
        };
        return Err(Error::Config {
            path: path.to_path_buf(),
            line: line_of_key(source, &[name]),
            message: format!(
                "{what}{meant} (keys: {}; tables: {})",
                KEYS.join(", "),
                TABLES
                    .iter()
                    .map(|t| format!("[{t}]"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    Ok(())
}

#[derive(Default)]
struct Native {
    params: Option<serde_json::Map<String, serde_json::Value>>,
    languages: Vec<String>,
    /// Non-default languages' `contentDir` (relative to the root).
    language_dirs: Vec<(String, String)>,
    /// The default language's `contentDir`, when it has one.
    default_dir: Option<String>,
    title: Option<String>,
    language: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    /// What the tool's configuration file quietly accepts but looks wrong.
    warnings: Vec<crate::report::Finding>,
    /// See [`Config::raw_html`] (`None`: the tool publishes it).
    raw_html: Option<bool>,
    /// See [`Config::smart_punctuation`].
    smart_punctuation: bool,
    marks: InlineMarks,
    line_numbers: Option<usize>,
    redirects: Vec<Redirect>,
    /// Stylesheets as the configuration names them.
    extra_css: Vec<Named>,
    /// Scripts as the configuration names them, and how pages load them.
    extra_js: Vec<(Named, ScriptLoad)>,
    /// The configuration file that names them, from the project's root.
    config_name: &'static str,
    /// See [`Config::publish_future`] (`None`: the tool has no such rule).
    publish_future: Option<bool>,
    publish_expired: Option<bool>,
    heading_ids: HeadingIds,
    docs_excluded: DocsExcluded,
    admonish: bool,
    attributes: bool,
    hard_breaks: bool,
    inline_lang: bool,
}

fn detect_layout(root: &Path) -> Result<(Layout, PathBuf, Native)> {
    let book = root.join("book.toml");
    if book.is_file() {
        let text = std::fs::read_to_string(&book).map_err(|e| Error::read(&book, e))?;
        let value: toml::Table = toml::from_str(&text).map_err(|e| Error::Config {
            path: book.clone(),
            line: crate::error::toml_line(&text, &e),
            message: crate::error::toml_words(e.message()),
        })?;
        let b = value.get("book").and_then(|v| v.as_table());
        let get = |k: &str| {
            b.and_then(|b| b.get(k))
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        let src = get("src").unwrap_or_else(|| "src".into());
        let html = |key: &str| {
            value
                .get("output")
                .and_then(|o| o.get("html"))
                .and_then(|h| h.get(key))
        };
        // mdBook publishes its address as `[output.html] site-url` (often a path only)
        let site_url = html("site-url").and_then(|v| v.as_str()).map(String::from);
        // mdBook 0.5 makes quotes and dashes typographic unless told not to.
        let smart_punctuation = html("smart-punctuation")
            .and_then(toml::Value::as_bool)
            .unwrap_or(true);
        let redirects = html("redirect")
            .and_then(toml::Value::as_table)
            .map(|table| {
                table
                    .iter()
                    .filter_map(|(from, to)| {
                        Some(Redirect {
                            line: find_line(&text, &format!("\"{from}\"")),
                            from: from.clone(),
                            to: to.as_str()?.to_string(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        // mdBook copies `additional-css` and `additional-js` (paths from
        // the book's root) to the same place in the book.
        let named = |key: &str| -> Vec<Named> {
            html(key)
                .and_then(toml::Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(toml::Value::as_str)
                        .map(|f| {
                            (
                                f.to_string(),
                                f.to_string(),
                                find_line(&text, &format!("\"{f}\"")),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let extra_css = named("additional-css");
        let extra_js = named("additional-js")
            .into_iter()
            .map(|n| (n, ScriptLoad::default()))
            .collect();
        let native = Native {
            admonish: value
                .get("preprocessor")
                .and_then(|p| p.get("admonish"))
                .is_some(),
            attributes: false,
            hard_breaks: false,
            inline_lang: false,
            title: get("title"),
            language: get("language"),
            description: get("description"),
            base_url: site_url,
            smart_punctuation,
            redirects,
            extra_css,
            extra_js,
            config_name: "book.toml",
            ..Native::default()
        };
        return Ok((Layout::MdBook, root.join(src), native));
    }
    for name in MKDOCS_FILES {
        let path = root.join(name);
        if path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::read(&path, e))?;
            let (docs_dir, native) = mkdocs_native(&path, &text)?;
            if !root.join(&docs_dir).is_dir() {
                // MkDocs stops on it too.
                return Err(Error::Config {
                    line: text.find("docs_dir").map_or(1, |at| line_of(&text, at)),
                    path,
                    message: format!(
                        "the docs folder `{docs_dir}` does not exist (docs_dir, default `docs`)"
                    ),
                });
            }
            return Ok((Layout::MkDocs, root.join(docs_dir), native));
        }
    }
    // Hugo's configuration: a file at the root, or a `config/_default/`
    // folder (one file per top-level key beside `hugo.toml`, as Docsy sites
    // keep it). A site only when its content folder is there: a stray
    // `config.yaml` in a folder of runbooks is not a Hugo site.
    const HUGO_FILES: [&str; 8] = [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "hugo.json",
        "config.toml",
        "config.yaml",
        "config.yml",
        "config.json",
    ];
    let config_dir = root.join("config").join("_default");
    let candidates = HUGO_FILES
        .iter()
        .map(|n| root.join(n))
        .chain(HUGO_FILES.iter().map(|n| config_dir.join(n)));
    for path in candidates {
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| Error::read(&path, e))?;
        let parsed = hugo_value(&path, &text);
        let content_dir = parsed
            .as_ref()
            .ok()
            .and_then(|v| v.get("contentDir"))
            .and_then(|d| d.as_str())
            .unwrap_or("content")
            .to_string();
        if !root.join(&content_dir).is_dir() && !root.join("content").is_dir() {
            continue;
        }
        let mut value = parsed?;
        if path.parent() == Some(config_dir.as_path()) {
            merge_hugo_config_dir(&config_dir, &path, &mut value)?;
        }
        let mut native = hugo_native(&value);
        let content = match native.default_dir.take() {
            Some(dir) if root.join(&dir).is_dir() => root.join(dir),
            _ if root.join(&content_dir).is_dir() => root.join(content_dir),
            _ => root.join("content"),
        };
        return Ok((Layout::Hugo, content, native));
    }
    Ok((Layout::Folder, root.to_path_buf(), Native::default()))
}

/// The other files of a Hugo `config/_default/` folder, each the value of
/// the key its name says (`params.toml` is `[params]`), laid over `value`.
fn merge_hugo_config_dir(dir: &Path, main: &Path, value: &mut serde_json::Value) -> Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::read(dir, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p != main && p.is_file())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "toml" || e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    files.sort();
    for file in files {
        let Some(key) = file.file_stem().map(|s| s.to_string_lossy().to_string()) else {
            continue;
        };
        if matches!(key.as_str(), "hugo" | "config") {
            continue;
        }
        let text = std::fs::read_to_string(&file).map_err(|e| Error::read(&file, e))?;
        let part = hugo_value(&file, &text)?;
        *value = merged(std::mem::take(value), serde_json::json!({ key: part }));
    }
    Ok(())
}

/// The configuration file of an MkDocs project, as MkDocs looks for it.
pub const MKDOCS_FILES: [&str; 2] = ["mkdocs.yml", "mkdocs.yaml"];

/// Reads an MkDocs configuration: Python-specific tags (`!!python/name:…`,
/// `!ENV …`) are read as plain values, as a YAML reader outside MkDocs must.
/// `INHERIT: base.yml` is read as MkDocs reads it: this file's keys over
/// the parent's, tables merged key by key.
pub fn read_mkdocs(path: &Path, text: &str) -> Result<serde_json::Value> {
    read_mkdocs_inheriting(path, text, 0)
}

/// Parents an `INHERIT` chain may have before it is taken for a loop.
const INHERIT_DEPTH: usize = 8;

fn read_mkdocs_inheriting(path: &Path, text: &str, depth: usize) -> Result<serde_json::Value> {
    // A key given twice keeps its last value, as MkDocs reads it
    // ([`repeated_keys`] says so).
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
    };
    let mut value = serde_saphyr::from_str_with_options::<serde_json::Value>(text, options).map_err(|e| {
        let (line, message) = crate::error::yaml_problem(&e.to_string());
        Error::Config {
            path: path.to_path_buf(),
            line: line.unwrap_or(1),
            message: format!("not valid YAML (MkDocs would not read it either): {message}"),
        }
    })?;
    let Some(parent) = value.get("INHERIT").and_then(|p| p.as_str()).map(String::from) else {
        return Ok(value);
    };
    let problem = |message: String| Error::Config {
        path: path.to_path_buf(),
        line: find_line(text, "INHERIT"),
        message,
    };
    if depth >= INHERIT_DEPTH {
        return Err(problem(format!(
            "`INHERIT` goes from file to file more than {INHERIT_DEPTH} times: do two files inherit from each other?"
        )));
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    let file = folder.join(&parent);
    // The parent stays in the project, as every file vigie reads.
    let inside = std::fs::canonicalize(&file)
        .ok()
        .zip(std::fs::canonicalize(folder).ok())
        .is_some_and(|(f, root)| f.starts_with(root));
    if !file.is_file() || !inside {
        return Err(problem(format!(
            "`INHERIT: {parent}`: no such file in the project (next to {})",
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().to_string())
        )));
    }
    let parent_text = crate::confine::read_text_limited(&file, crate::confine::PAGE_LIMIT, "configuration")?;
    let base = read_mkdocs_inheriting(&file, &parent_text, depth + 1)?;
    if let Some(map) = value.as_object_mut() {
        map.remove("INHERIT");
    }
    Ok(merged(base, value))
}

/// `over` merged into `base` as MkDocs merges a file into the one it
/// inherits: tables key by key, anything else replaced.
fn merged(base: serde_json::Value, over: serde_json::Value) -> serde_json::Value {
    match (base, over) {
        (serde_json::Value::Object(mut base), serde_json::Value::Object(over)) => {
            for (key, value) in over {
                let merged_value = match base.remove(&key) {
                    Some(old) => merged(old, value),
                    None => value,
                };
                base.insert(key, merged_value);
            }
            serde_json::Value::Object(base)
        }
        (_, over) => over,
    }
}

/// `docs_dir`, title, language, description and base URL of an MkDocs project.
fn mkdocs_native(path: &Path, text: &str) -> Result<(String, Native)> {
    let v = read_mkdocs(path, text)?;
    let s = |p: &str| v.pointer(p).and_then(|x| x.as_str()).map(String::from);
    let docs_dir = s("/docs_dir").unwrap_or_else(|| "docs".into());
    if docs_dir.split(['/', '\\']).any(|c| c == "..") || Path::new(&docs_dir).is_absolute() {
        return Err(Error::Config {
            path: path.to_path_buf(),
            line: find_line(text, "docs_dir"),
            message: format!("docs_dir {docs_dir:?} must be a folder inside the project"),
        });
    }
    let mut docs_excluded = DocsExcluded::default();
    for key in ["exclude_docs", "draft_docs"] {
        if let Some(patterns) = s(&format!("/{key}")) {
            docs_excluded.add(&patterns).map_err(|line| Error::Config {
                path: path.to_path_buf(),
                line: text
                    .find(line.as_str())
                    .map_or_else(|| find_line(text, key), |at| line_of(text, at)),
                message: format!("`{key}`: `{line}` is not a pattern of files"),
            })?;
        }
    }
    let native = Native {
        docs_excluded,
        admonish: false,
        // `extra` includes `attr_list`.
        attributes: mkdocs_extension(&v, "attr_list") || mkdocs_extension(&v, "extra"),
        hard_breaks: mkdocs_extension(&v, "nl2br"),
        inline_lang: mkdocs_extension(&v, "pymdownx.inlinehilite"),
        redirects: mkdocs_redirects(&v, text),
        title: s("/site_name"),
        language: s("/theme/language"),
        description: s("/site_description"),
        base_url: s("/site_url").filter(|u| u.contains("://")),
        params: v.get("extra").and_then(|p| p.as_object()).cloned(),
        languages: Vec::new(),
        language_dirs: Vec::new(),
        default_dir: None,
        warnings: repeated_keys(path, text),
        raw_html: None,
        smart_punctuation: mkdocs_extension(&v, "smarty"),
        line_numbers: mkdocs_extension_options(&v, "pymdownx.highlight")
            .and_then(|o| o.get("linenums"))
            .and_then(serde_json::Value::as_bool)
            .and_then(|on| on.then_some(1)),
        marks: InlineMarks {
            mark: mkdocs_extension(&v, "pymdownx.mark"),
            caret_insert: mkdocs_extension(&v, "pymdownx.caret"),
            superscript: mkdocs_extension(&v, "pymdownx.caret"),
            subscript: mkdocs_extension(&v, "pymdownx.tilde"),
            keys: mkdocs_extension(&v, "pymdownx.keys"),
            emoji: mkdocs_extension(&v, "pymdownx.emoji"),
            symbols: mkdocs_extension(&v, "pymdownx.smartsymbols"),
            plus_insert: false,
        },
        extra_css: v
            .get("extra_css")
            .and_then(|l| l.as_array())
            .map(|list| {
                list.iter()
                    .filter_map(|c| c.as_str())
                    .map(|css| mkdocs_named(&docs_dir, text, css))
                    .collect()
            })
            .unwrap_or_default(),
        extra_js: v
            .get("extra_javascript")
            .and_then(|l| l.as_array())
            .map(|list| {
                list.iter()
                    .filter_map(|js| mkdocs_script(&docs_dir, text, js))
                    .collect()
            })
            .unwrap_or_default(),
        config_name: path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| MKDOCS_FILES.iter().find(|f| **f == n).copied())
            .unwrap_or("mkdocs.yml"),
        publish_future: None,
        publish_expired: None,
        heading_ids: mkdocs_heading_ids(&v, text),
    };
    Ok((docs_dir, native))
}

/// The names under `markdown_extensions`: a list of names or one-key maps
/// of options, or a map of names to their options (both are MkDocs').
pub fn mkdocs_extensions(yaml: &serde_json::Value) -> Vec<String> {
    match yaml.get("markdown_extensions") {
        Some(serde_json::Value::Array(list)) => list
            .iter()
            .filter_map(|e| match e {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(m) => m.keys().next().cloned(),
                _ => None,
            })
            .collect(),
        Some(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The plugins an MkDocs project lists (`plugins:` as a list of names or
/// of one-key tables, or a table), with their options and line.
pub fn mkdocs_plugins<'v>(
    yaml: &'v serde_json::Value,
    text: &str,
) -> Vec<(String, Option<&'v serde_json::Value>, usize)> {
    let at = |name: &str| {
        // The line naming it below `plugins:` (a name may also be a word of the file elsewhere).
        let start = text.find("\nplugins:").unwrap_or(0);
        text[start..]
            .find(name)
            .map_or_else(|| find_line(text, "plugins"), |i| line_of(text, start + i))
    };
    let list: Vec<(String, Option<&serde_json::Value>)> = match yaml.get("plugins") {
        Some(serde_json::Value::Array(list)) => list
            .iter()
            .filter_map(|e| match e {
                serde_json::Value::String(s) => Some((s.clone(), None)),
                serde_json::Value::Object(m) => m.iter().next().map(|(k, v)| (k.clone(), Some(v))),
                _ => None,
            })
            .collect(),
        Some(serde_json::Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), Some(v))).collect(),
        _ => Vec::new(),
    };
    list.into_iter()
        .map(|(name, options)| {
            let line = at(&name);
            (name, options, line)
        })
        .collect()
}

/// The redirects of an MkDocs project's `redirects` plugin, as its
/// `redirect_maps` writes them: each old page's path in the docs folder
/// (`old.md`) to a page's path there (`new.md#anchor`) or another site.
fn mkdocs_redirects(yaml: &serde_json::Value, text: &str) -> Vec<Redirect> {
    let Some(map) = mkdocs_plugins(yaml, text)
        .into_iter()
        .find(|(name, _, _)| name == "redirects")
        .and_then(|(_, options, _)| options?.get("redirect_maps")?.as_object())
    else {
        return Vec::new();
    };
    // The line of each key in `redirect_maps` (the page may be named in `nav` too).
    let maps = text.find("redirect_maps").unwrap_or(0);
    map.iter()
        .filter_map(|(old, new)| {
            let line = text[maps..]
                .find(old.as_str())
                .map_or(1, |at| line_of(text, maps + at));
            Some(Redirect {
                line,
                from: old.trim_start_matches('/').to_string(),
                to: new.as_str()?.to_string(),
            })
        })
        .collect()
}

/// The options `markdown_extensions` gives extension `name` (`- name: {…}`,
/// or `name: {…}` in a mapping).
fn mkdocs_extension_options<'v>(v: &'v serde_json::Value, name: &str) -> Option<&'v serde_json::Value> {
    match v.get("markdown_extensions")? {
        serde_json::Value::Array(list) => list.iter().find_map(|e| e.get(name)),
        map @ serde_json::Value::Object(_) => map.get(name),
        _ => None,
    }
}

/// Whether `markdown_extensions` lists Python-Markdown's extension `name`
/// (by its short or its full name).
fn mkdocs_extension(v: &serde_json::Value, name: &str) -> bool {
    let full = format!("markdown.extensions.{name}");
    mkdocs_extensions(v).iter().any(|e| *e == name || *e == full)
}

/// How the `toc` extension of an MkDocs project makes anchors: its
/// `slugify` option names a Python function, which only the file's text
/// keeps (a YAML reader drops the tag), and its options.
fn mkdocs_heading_ids(v: &serde_json::Value, text: &str) -> HeadingIds {
    let toc = v
        .get("markdown_extensions")
        .and_then(|e| match e {
            serde_json::Value::Array(list) => list.iter().find_map(|x| x.get("toc")),
            other => other.get("toc"),
        })
        .and_then(|t| t.get("slugify"));
    let Some(options) = toc else {
        return HeadingIds::Tool;
    };
    let Some(at) = text.find("pymdownx.slugs.") else {
        return HeadingIds::Tool;
    };
    let function: String = text[at + "pymdownx.slugs.".len()..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let case = options
        .pointer("/kwds/case")
        .and_then(|c| c.as_str())
        .unwrap_or("none");
    match function.as_str() {
        "slugify" => HeadingIds::Unicode {
            lower: matches!(case, "lower" | "fold"),
        },
        "uslugify" => HeadingIds::Unicode { lower: true },
        "uslugify_cased" => HeadingIds::Unicode { lower: false },
        _ => HeadingIds::Tool,
    }
}

/// A top-level key of a YAML file written twice: the file's tool keeps the
/// last value, without a word; the warning names both lines.
fn repeated_keys(path: &Path, text: &str) -> Vec<crate::report::Finding> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some((key, _)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim_end();
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            continue;
        }
        if let Some(first) = seen.insert(key, i + 1) {
            out.push(crate::report::Finding {
                rule: "duplicate-key".into(),
                severity: crate::report::Severity::Warning,
                page: path
                    .file_name()
                    .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string()),
                line: i + 1,
                col: None,
                target: Some(key.to_string()),
                message: format!(
                    "`{key}` is given twice (lines {first} and {}): the second value is the one read",
                    i + 1
                ),
                suggestion: Some("remove one of them".into()),
            });
        }
    }
    out
}

/// The value of a Hugo config file (TOML or YAML). One that does not parse
/// is an error at its line, as Hugo stops on it.
fn hugo_value(path: &Path, text: &str) -> Result<serde_json::Value> {
    Ok(if path.extension().is_some_and(|e| e == "toml") {
        let value = toml::from_str::<toml::Value>(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            line: crate::error::toml_line(text, &e),
            message: crate::error::toml_words(e.message()),
        })?;
        serde_json::to_value(value).unwrap_or_default()
    } else if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str::<serde_json::Value>(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            line: e.line(),
            message: format!(
                "not valid JSON (Hugo would not read it either): column {}, a quote, comma, colon or brace is missing or out of place",
                e.column()
            ),
        })?
    } else {
        serde_saphyr::from_str::<serde_json::Value>(text).map_err(|e| {
            let (line, message) = crate::error::yaml_problem(&e.to_string());
            Error::Config {
                path: path.to_path_buf(),
                line: line.unwrap_or(1),
                message: format!("not valid YAML (Hugo would not read it either): {message}"),
            }
        })?
    })
}

/// Whether Goldmark's typographer is on (it is unless the config turns it
/// off: `typographer = false`, or `disable = true` in its table).
fn hugo_typographer(v: &serde_json::Value) -> bool {
    match hugo_key(v, "markup/goldmark/extensions/typographer") {
        Some(serde_json::Value::Bool(on)) => *on,
        Some(table) => !hugo_flag(table, "disable"),
        None => true,
    }
}

/// The value at `path` (`markup/goldmark/renderer/unsafe`) of a Hugo
/// config, each key matched in any case, as Hugo reads its keys
/// (`lineNos` and `linenos`, `hardWraps` and `hardwraps`).
fn hugo_key<'v>(v: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    path.split('/').try_fold(v, |at, key| {
        at.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, value)| value)
    })
}

/// Whether the Hugo config value at `path` is `true`.
fn hugo_flag(v: &serde_json::Value, path: &str) -> bool {
    hugo_key(v, path).and_then(serde_json::Value::as_bool) == Some(true)
}

/// The first line's number of every code fence when a Hugo config numbers
/// them all (`[markup.highlight] lineNos = true`, from `lineNoStart`).
fn hugo_line_numbers(v: &serde_json::Value) -> Option<usize> {
    let highlight = hugo_key(v, "markup/highlight")?;
    let get = |key: &str| hugo_key(highlight, key);
    let on = match get("lineNos")? {
        serde_json::Value::Bool(on) => *on,
        serde_json::Value::String(s) => s == "true" || s == "table" || s == "inline",
        _ => false,
    };
    let start = get("lineNoStart")
        .and_then(serde_json::Value::as_u64)
        .map_or(1, |n| n as usize);
    on.then_some(start)
}

/// The inline marks of goldmark's `extras` a Hugo config turns on
/// (`markup.goldmark.extensions.extras.mark.enable = true`, …), and emoji
/// (`enableEmoji = true`).
fn hugo_extras(v: &serde_json::Value) -> InlineMarks {
    let on = |name: &str| hugo_flag(v, &format!("markup/goldmark/extensions/extras/{name}/enable"));
    InlineMarks {
        mark: on("mark"),
        plus_insert: on("insert"),
        superscript: on("superscript"),
        subscript: on("subscript"),
        caret_insert: false,
        keys: false,
        symbols: false,
        emoji: hugo_flag(v, "enableEmoji"),
    }
}

/// Title, language, base URL and the rest vigie reads of a Hugo config.
fn hugo_native(v: &serde_json::Value) -> Native {
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
    let mut dirs = hugo_language_dirs(v).into_iter();
    let default_dir = dirs.next().map(|(_, d)| d);
    Native {
        title: s("title"),
        language: s("languageCode").or(s("defaultContentLanguage")),
        description: v
            .pointer("/params/description")
            .and_then(|x| x.as_str())
            .map(String::from),
        base_url: s("baseURL").or(s("baseUrl")),
        params: v.get("params").and_then(|p| p.as_object()).cloned(),
        languages: hugo_languages(v),
        language_dirs: dirs.collect(),
        default_dir,
        warnings: Vec::new(),
        heading_ids: hugo_heading_ids(v),
        smart_punctuation: hugo_typographer(v),
        marks: hugo_extras(v),
        line_numbers: hugo_line_numbers(v),
        redirects: Vec::new(),
        extra_css: Vec::new(),
        extra_js: Vec::new(),
        config_name: "hugo.toml",
        docs_excluded: DocsExcluded::default(),
        admonish: false,
        attributes: false,
        inline_lang: false,
        hard_breaks: hugo_flag(v, "markup/goldmark/renderer/hardWraps"),
        publish_future: Some(hugo_flag(v, "buildFuture")),
        publish_expired: Some(hugo_flag(v, "buildExpired")),
        raw_html: Some(hugo_flag(v, "markup/goldmark/renderer/unsafe")),
    }
}

/// How a Hugo config makes the anchors of headings
/// (`markup.goldmark.parser.autoHeadingIDType`; `github` by default).
fn hugo_heading_ids(v: &serde_json::Value) -> HeadingIds {
    let kind = hugo_key(v, "markup/goldmark/parser/autoHeadingIDType").and_then(serde_json::Value::as_str);
    match kind.map(str::to_ascii_lowercase).as_deref() {
        Some("github-ascii") => HeadingIds::Ascii,
        Some("blackfriday") => HeadingIds::Blackfriday,
        _ => HeadingIds::Tool,
    }
}

/// The language codes of a multilingual Hugo config (`languages:`), the
/// default one (`defaultContentLanguage`, else the lowest weight) first.
fn hugo_languages(v: &serde_json::Value) -> Vec<String> {
    let Some(map) = v.get("languages").and_then(|l| l.as_object()) else {
        return Vec::new();
    };
    let mut langs: Vec<(i64, String)> = map
        .iter()
        .map(|(code, l)| {
            (
                l.get("weight").and_then(|w| w.as_i64()).unwrap_or(0),
                code.to_lowercase(),
            )
        })
        .collect();
    langs.sort();
    let mut out: Vec<String> = langs.into_iter().map(|(_, c)| c).collect();
    if let Some(default) = v.get("defaultContentLanguage").and_then(|d| d.as_str()) {
        let default = default.to_lowercase();
        out.retain(|c| *c != default);
        out.insert(0, default);
    }
    if out.len() < 2 { Vec::new() } else { out }
}

/// `contentDir` of each language (default first) when the site keeps one
/// content folder per language; empty otherwise.
fn hugo_language_dirs(v: &serde_json::Value) -> Vec<(String, String)> {
    let langs = hugo_languages(v);
    let dirs: Vec<(String, String)> = langs
        .iter()
        .filter_map(|code| {
            let l = v
                .get("languages")?
                .as_object()?
                .iter()
                .find(|(c, _)| c.to_lowercase() == *code)?
                .1;
            let dir = l.get("contentDir").and_then(|d| d.as_str())?;
            let dir = dir.trim_matches('/');
            (!dir.is_empty() && !dir.split('/').any(|s| s == "..")).then(|| (code.clone(), dir.to_string()))
        })
        .collect();
    if dirs.len() == langs.len() {
        dirs
    } else {
        Vec::new()
    }
}

/// `fr-FR`, `FR`, `fr_CA` → `fr`; anything not French is served with English UI strings.
pub fn normalise_language(lang: &str) -> String {
    let l = lang.trim().to_ascii_lowercase();
    if l.starts_with("fr") {
        "fr".into()
    } else {
        "en".into()
    }
}

/// 1-based line of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

fn find_line(text: &str, needle: &str) -> usize {
    text.find(needle).map(|at| line_of(text, at)).unwrap_or(1)
}

/// Whether `s` is an address on the web rather than a path.
fn is_url(s: &str) -> bool {
    s.contains("://") || s.starts_with("//")
}

/// A file of MkDocs' `extra_css` or `extra_javascript`: a path in the docs
/// folder, or a URL.
fn mkdocs_named(docs_dir: &str, text: &str, file: &str) -> Named {
    let path = if is_url(file) {
        file.to_string()
    } else {
        format!("{docs_dir}/{file}")
    };
    (path, file.to_string(), find_line(text, file))
}

/// An entry of MkDocs' `extra_javascript`: a path, or a mapping with its
/// `path` and how it loads (`type: module`, `defer`, `async`).
fn mkdocs_script(docs_dir: &str, text: &str, entry: &serde_json::Value) -> Option<(Named, ScriptLoad)> {
    let (path, flag) = match entry {
        serde_json::Value::String(p) => (p.as_str(), None),
        serde_json::Value::Object(m) => (m.get("path")?.as_str()?, Some(m)),
        _ => return None,
    };
    let set = |key: &str| flag.and_then(|m| m.get(key)).and_then(serde_json::Value::as_bool) == Some(true);
    let module = flag
        .and_then(|m| m.get("type"))
        .and_then(serde_json::Value::as_str)
        == Some("module")
        || path.ends_with(".mjs");
    let load = ScriptLoad {
        module,
        defer: set("defer"),
        is_async: set("async"),
    };
    Some((mkdocs_named(docs_dir, text, path), load))
}

/// A stylesheet or script (`what`) the site's configuration names, at its
/// address in the site (where its tool writes it); one that is not there,
/// or leads outside the project, is a warning and left out.
fn site_asset(
    root: &Path,
    config_name: &str,
    (file, href, line): &Named,
    what: &str,
    warnings: &mut Vec<crate::report::Finding>,
) -> Option<SiteAsset> {
    if is_url(file) {
        return Some(SiteAsset {
            href: href.clone(),
            file: None,
            line: *line,
        });
    }
    let path = root.join(file);
    let problem = match crate::confine::reach(root, &path) {
        _ if href.split(['/', '\\']).any(|c| c == "..") || Path::new(href).is_absolute() => {
            "leads outside the site"
        }
        crate::confine::Reach::Inside(real) if real.is_file() => {
            return Some(SiteAsset {
                href: href.trim_start_matches("./").to_string(),
                file: Some(real),
                line: *line,
            });
        }
        crate::confine::Reach::Outside(_) => "is outside the project",
        _ => "does not exist",
    };
    warnings.push(crate::report::Finding {
        rule: format!("missing-{what}"),
        severity: crate::report::Severity::Warning,
        page: config_name.into(),
        line: *line,
        col: None,
        target: Some(file.clone()),
        message: format!("{what} `{file}` {problem}: the pages are built without it"),
        suggestion: None,
    });
    None
}

/// TOML → JSON without TOML's private datetime wrapper: dates become strings.
pub fn toml_to_json(v: toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s),
        toml::Value::Integer(i) => serde_json::Value::from(i),
        toml::Value::Float(f) => serde_json::Value::from(f),
        toml::Value::Boolean(b) => serde_json::Value::Bool(b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(a) => serde_json::Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            serde_json::Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_keys_and_tables_are_errors_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let write = |text: &str| std::fs::write(dir.path().join("vigie.toml"), text).unwrap();
        let message = |e: Error| match e {
            Error::Config { line, message, .. } => (line, message),
            other => panic!("{other:?}"),
        };
        write("title = \"KB\"\n\n[reveiw]\nrunbook = \"90d\"\n");
        let (line, m) = message(Config::load(dir.path()).unwrap_err());
        assert_eq!(line, 3);
        assert!(
            m.contains("unknown table `[reveiw]`; did you mean `review`?"),
            "{m}"
        );
        write("# a comment naming titel\nlanguage = \"fr\"\ntitel = \"KB\"\n");
        let (line, m) = message(Config::load(dir.path()).unwrap_err());
        assert_eq!(line, 3);
        assert!(m.contains("unknown key `titel`; did you mean `title`?"), "{m}");
        write("zorglub = 1\n");
        let (_, m) = message(Config::load(dir.path()).unwrap_err());
        assert!(m.starts_with("unknown key `zorglub` (keys: title,"), "{m}");
        write(
            "title = \"KB\"\n[review]\nrunbook = \"90d\"\n[params]\nx = 1\n[freshness.severity]\nreview-overdue = \"warning\"\n",
        );
        assert!(Config::load(dir.path()).is_ok());
    }

    #[test]
    fn languages_are_normalised() {
        assert_eq!(normalise_language("fr-FR"), "fr");
        assert_eq!(normalise_language("en-us"), "en");
        assert_eq!(normalise_language("de"), "en");
    }

    #[test]
    fn keys_and_array_elements_have_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let text = "title = \"x\"\n\n[freshness]\nignore = [\n  \"a\",\n  \"b\",\n]\n\n[freshness.severity]\n# comment\n\"review-overdue\" = \"info\"\n\n[review]\nrunbook = \"soon\"\n";
        std::fs::write(dir.path().join("vigie.toml"), text).unwrap();
        let c = Config::load(dir.path()).unwrap();
        assert_eq!(c.line_of_key(&["freshness", "severity", "review-overdue"]), 11);
        assert_eq!(c.line_of_key(&["freshness", "ignore", "1"]), 6);
        assert_eq!(c.line_of_key(&["review", "runbook"]), 14);
        // not there: the closest line known
        assert_eq!(c.line_of_key(&["review", "guide"]), 13);
        assert_eq!(c.line_of_key(&["links"]), 1);
        let err = c.error_at(&["review", "runbook"], "bad").to_string();
        assert!(err.contains("vigie.toml:14: invalid configuration: bad"), "{err}");
    }

    #[test]
    fn bad_config_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("vigie.toml"), "title = \"x\"\nlanguage = 3\n").unwrap();
        let err = Config::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("vigie.toml:2"), "{err}");
    }

    /// A knowledge base of `files` (path, text; a path ending in `/` is
    /// a folder) in a temporary folder.
    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let at = dir.path().join(path);
            if path.ends_with('/') {
                std::fs::create_dir_all(&at).unwrap();
            } else {
                std::fs::create_dir_all(at.parent().unwrap()).unwrap();
                std::fs::write(&at, text).unwrap();
            }
        }
        dir
    }

    /// The file, line and message of the configuration error `Config::load` gives.
    fn config_error(root: &Path) -> (PathBuf, usize, String) {
        match Config::load(root).unwrap_err() {
            Error::Config { path, line, message } => (path, line, message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_key_repeated_in_mkdocs_yml_is_read_as_mkdocs_reads_it_and_said() {
        let dir = project(&[
            ("docs/", ""),
            (
                "mkdocs.yml",
                "site_name: Premier\nnav:\n  - index.md\nsite_name: Second\n",
            ),
        ]);
        let config = Config::load(dir.path()).unwrap();
        assert_eq!(config.title, "Second");
        let said: Vec<(&str, &str, usize)> = config
            .warnings
            .iter()
            .map(|w| (w.rule.as_str(), w.page.as_str(), w.line))
            .collect();
        assert_eq!(said, [("duplicate-key", "mkdocs.yml", 4)]);
        let message = &config.warnings[0].message;
        assert!(message.contains("lines 1 and 4"), "{message}");
    }

    #[test]
    fn a_hugo_config_is_read_with_its_keys_in_any_case_as_hugo_reads_them() {
        let v = serde_json::json!({
            "BuildFuture": true,
            "enableemoji": true,
            "Markup": {
                "Goldmark": {
                    "Renderer": {"Unsafe": true, "hardwraps": true},
                    "Parser": {"AutoHeadingIdType": "github-ascii"},
                    "Extensions": {"Typographer": {"Disable": true}}
                },
                "highlight": {"linenos": "table", "LINENOSTART": 5}
            }
        });
        let native = hugo_native(&v);
        assert_eq!(native.raw_html, Some(true));
        assert_eq!(native.publish_future, Some(true));
        assert!(native.hard_breaks && native.marks.emoji && !native.smart_punctuation);
        assert_eq!(native.heading_ids, HeadingIds::Ascii);
        assert_eq!(native.line_numbers, Some(5));
        assert_eq!(hugo_key(&v, "markup/goldmark/nothing"), None);
    }

    #[test]
    fn a_hugo_config_that_does_not_parse_is_an_error_at_its_line() {
        for (name, text) in [
            (
                "hugo.toml",
                "baseURL = \"https://example.org/\"\ntitle = \"Cassé\nlanguageCode = \"fr\"\n",
            ),
            ("config.yaml", "baseURL: https://example.org/\ntitle: [Cassé\n"),
        ] {
            let dir = project(&[("content/", ""), (name, text)]);
            let (path, line, message) = config_error(dir.path());
            assert!(path.ends_with(name), "{path:?}");
            assert_eq!(line, 2, "{name}: {message}");
        }
    }

    #[test]
    fn inherit_reads_the_parent_mkdocs_yml_under_the_child() {
        let child = "INHERIT: base.yml\ntheme:\n  language: fr\n";
        let dir = project(&[
            ("pages/", ""),
            (
                "base.yml",
                "site_name: Base\ndocs_dir: pages\ntheme:\n  name: material\n  language: en\n",
            ),
            ("mkdocs.yml", child),
        ]);
        let config = Config::load(dir.path()).unwrap();
        assert_eq!((config.title.as_str(), config.language.as_str()), ("Base", "fr"));
        assert!(config.content_root.ends_with("pages"));
        let v = read_mkdocs(&dir.path().join("mkdocs.yml"), child).unwrap();
        assert_eq!(
            v.pointer("/theme/name").and_then(|n| n.as_str()),
            Some("material")
        );
        assert!(v.get("INHERIT").is_none());
        // A parent that is not there, or files that inherit from each other.
        for (text, said) in [
            (
                "site_name: X\nINHERIT: absent.yml\n",
                "`INHERIT: absent.yml`: no such file",
            ),
            ("INHERIT: mkdocs.yml\n", "more than 8 times"),
        ] {
            std::fs::write(dir.path().join("mkdocs.yml"), text).unwrap();
            let (_, line, message) = config_error(dir.path());
            assert!(message.contains(said), "{message}");
            assert_eq!(
                line,
                text.lines().position(|l| l.starts_with("INHERIT")).unwrap() + 1
            );
        }
    }

    #[test]
    fn an_mkdocs_toc_slugify_of_pymdown_extensions_is_read() {
        let read = |text: &str| {
            let v = read_mkdocs(Path::new("mkdocs.yml"), text).unwrap();
            mkdocs_heading_ids(&v, text)
        };
        let apply = "markdown_extensions:\n  - toc:\n      permalink: true\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds:\n          case: lower\n";
        assert_eq!(read(apply), HeadingIds::Unicode { lower: true });
        let cased = "markdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {}\n";
        assert_eq!(read(cased), HeadingIds::Unicode { lower: false });
        let named = "markdown_extensions:\n  - toc:\n      slugify: !!python/name:pymdownx.slugs.uslugify\n";
        assert_eq!(read(named), HeadingIds::Unicode { lower: true });
        assert_eq!(
            read("markdown_extensions:\n  - toc:\n      permalink: true\n"),
            HeadingIds::Tool
        );
    }

    #[test]
    fn a_missing_docs_folder_is_said_in_mkdocs_yml() {
        for (text, line, folder) in [
            ("site_name: E\n", 1, "docs"),
            ("site_name: E\ndocs_dir: pages\n", 2, "pages"),
        ] {
            let dir = project(&[("mkdocs.yml", text)]);
            let (path, l, message) = config_error(dir.path());
            assert!(path.ends_with("mkdocs.yml"), "{path:?}");
            assert_eq!(l, line);
            assert!(
                message.contains(&format!("the docs folder `{folder}` does not exist")),
                "{message}"
            );
        }
    }

    #[test]
    fn a_hugo_config_folder_or_content_dir_is_a_hugo_site() {
        // config/_default/: hugo.toml, and one file per key beside it.
        let dir = project(&[
            ("content/", ""),
            (
                "config/_default/hugo.toml",
                "title = \"Docsy\"\nlanguageCode = \"en\"\n[params]\nold = 1\n",
            ),
            ("config/_default/params.toml", "version = \"1.2.3\"\n"),
        ]);
        let config = Config::load(dir.path()).unwrap();
        assert_eq!(config.layout, Layout::Hugo);
        assert_eq!((config.title.as_str(), config.language.as_str()), ("Docsy", "en"));
        let param = |k: &str| config.params.as_ref().and_then(|p| p.get(k)).cloned();
        assert_eq!(param("version"), Some("1.2.3".into()));
        assert_eq!(param("old"), Some(1.into()));
        // contentDir without a content/ folder.
        let dir = project(&[
            ("docs-src/", ""),
            ("hugo.toml", "title = \"CD\"\ncontentDir = \"docs-src\"\n"),
        ]);
        let config = Config::load(dir.path()).unwrap();
        assert_eq!(config.layout, Layout::Hugo);
        assert!(config.content_root.ends_with("docs-src"));
        // hugo.json, tabs and all; JSON that does not parse names its line.
        let dir = project(&[
            ("content/", ""),
            (
                "hugo.json",
                "{\n\t\"title\": \"En JSON\",\n\t\"params\": {\"v\": 2}\n}\n",
            ),
        ]);
        let config = Config::load(dir.path()).unwrap();
        assert_eq!((config.layout, config.title.as_str()), (Layout::Hugo, "En JSON"));
        let dir = project(&[
            ("content/", ""),
            ("config.json", "{\n  \"title\": \"X\"\n  \"a\": 1\n}\n"),
        ]);
        let e = Config::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("config.json:3") && e.contains("not valid JSON"), "{e}");
        // A config.yaml in a folder of runbooks, with no content folder: not Hugo.
        let dir = project(&[("config.yaml", "a: [unclosed\n")]);
        assert_eq!(Config::load(dir.path()).unwrap().layout, Layout::Folder);
    }

    #[test]
    fn exclude_docs_reads_gitignore_lines_the_last_match_deciding() {
        let mut d = DocsExcluded::default();
        d.add("# comment\n*.py\n/drafts/\n!/drafts/keep.md\nsecret\nguides/*.tmp.md\n\n")
            .unwrap();
        for (rel, out) in [
            ("a.py", true),
            ("deep/er/b.py", true),
            ("drafts/wip.md", true),
            ("drafts/sub/x.md", true),
            ("drafts/keep.md", false),
            ("other/drafts/x.md", false),
            ("secret", true),
            ("secret/a.md", true),
            ("x/secret/a.md", true),
            ("guides/a.tmp.md", true),
            ("guides/sub/a.tmp.md", false),
            ("index.md", false),
            ("drafts.md", false),
        ] {
            assert_eq!(d.is_match(rel), out, "{rel}");
        }
        // `draft_docs` adds its own lines: a file either leaves out is out.
        d.add("*-draft.md\n").unwrap();
        assert!(d.is_match("notes-draft.md"));
        assert!(!DocsExcluded::default().is_match("a.py"));
        assert_eq!(d.add("a[b\n"), Err("a[b".to_string()));
    }

    #[test]
    fn an_mkdocs_exclude_docs_line_that_is_no_pattern_is_an_error_at_its_line() {
        let dir = project(&[
            ("mkdocs.yml", "site_name: X\nexclude_docs: |\n  *.py\n  a[b\n"),
            ("docs/index.md", "# X\n"),
        ]);
        let e = Config::load(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("mkdocs.yml:4") && e.contains("`a[b` is not a pattern"),
            "{e}"
        );
    }
}
