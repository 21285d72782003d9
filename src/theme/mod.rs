//! The default theme (minijinja templates, CSS, JS) embedded in the binary, and
//! its override: a file of the same name in the knowledge base's `templates/`
//! folder replaces the embedded one.

pub mod context;
mod page;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use minijinja::{Environment, Value};
use serde::Serialize;

use crate::config::Config;
use crate::content::Site;
use crate::error::{Error, Result};
use crate::i18n;

/// Templates embedded in the binary, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("freshness.html", include_str!("../../templates/freshness.html")),
    ("course.html", include_str!("../../templates/course.html")),
    ("course-bar.html", include_str!("../../templates/course-bar.html")),
    (
        "course-print.html",
        include_str!("../../templates/course-print.html"),
    ),
    ("courses.html", include_str!("../../templates/courses.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("alerts.html", include_str!("../../templates/alerts.html")),
];

/// Static files copied to `assets/` in the site.
const ASSETS: &[(&str, &str)] = &[
    ("vigie.css", include_str!("../../templates/assets/vigie.css")),
    ("vigie.js", include_str!("../../templates/assets/vigie.js")),
    ("course.js", include_str!("../../templates/assets/course.js")),
    ("search.js", include_str!("../../templates/assets/search.js")),
];

/// Names of the theme's own files in `assets/`.
pub const ASSET_NAMES: [&str; 4] = ["vigie.css", "vigie.js", "course.js", "search.js"];

/// A loaded theme: the template environment and where overrides come from.
pub struct Theme {
    env: Environment<'static>,
    overrides: Option<PathBuf>,
    /// Override files left unused because they lead out of the knowledge base.
    refused: Vec<crate::report::Finding>,
    /// Override files used as they are, that look wrong (warnings).
    doubtful: Vec<crate::report::Finding>,
    /// Whether every template is vigie's own (the site overrides none).
    builtin: bool,
    /// The UI words in the site's language, as templates read them (`t`),
    /// for what the theme writes itself.
    words: std::collections::BTreeMap<&'static str, &'static str>,
    /// Whether pages show the search box.
    search: bool,
}

/// What a page's content is while its template renders, when the content
/// is put in the mark's place afterwards ([`Theme::render_around`]).
pub const CONTENT_MARK: &str = "\u{0}vigie:content\u{0}";

/// Facts about the site every template gets as `site`.
#[derive(Serialize)]
pub struct SiteCtx<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub lang: &'a str,
    /// Relative prefix from the current page to the site root (`../../`).
    pub root: String,
    pub generator: &'static str,
    /// `[params]` of `vigie.toml` (and a Hugo site's `params`): `site.params.x`.
    pub params: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// The site's own stylesheets (mdBook's `additional-css`, MkDocs'
    /// `extra_css`), as addresses from the current page, after the theme's.
    pub css: Vec<String>,
    /// The site's own scripts (mdBook's `additional-js`, MkDocs'
    /// `extra_javascript`), loaded after the theme's.
    pub js: Vec<ScriptCtx>,
}

/// A script of the site's own, as a page loads it.
#[derive(Serialize)]
pub struct ScriptCtx {
    /// Its address from the current page.
    pub src: String,
    pub module: bool,
    pub defer: bool,
    pub is_async: bool,
}

/// `html` with each NUL byte (from a title, front matter or a page)
/// written as U+FFFD, as browsers show it: a NUL is not HTML.
fn without_nul(html: &str) -> Cow<'_, str> {
    if html.contains('\0') {
        Cow::Owned(html.replace('\0', "\u{FFFD}"))
    } else {
        Cow::Borrowed(html)
    }
}

/// Writes template value `s` as the theme's formatter does: credentials in
/// URLs hidden, then escaped for HTML (`/` left as it is). The templates,
/// the sidebar and the page written in Rust all go through it.
fn value_into(out: &mut impl std::fmt::Write, s: &str) -> std::fmt::Result {
    crate::markdown::shortcodes::esc_into(out, &crate::redact::urls(s))
}

/// Writes a page's number (when it has one) and its title, as the sidebar
/// and the page's heading show them.
fn numbered_title(out: &mut String, number: Option<&str>, title: &str) {
    if let Some(n) = number.filter(|n| !n.is_empty()) {
        out.push_str("<span class=\"nav-number\">");
        let _ = value_into(out, n);
        out.push_str("</span> ");
    }
    let _ = value_into(out, title);
}

/// A value for a template context.
pub fn ser<T: Serialize>(v: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(v))
}

/// The address of a file of the site's own from the page whose root prefix
/// is `root`: a URL as it is.
fn asset_href(root: &str, asset: &crate::config::SiteAsset) -> String {
    match asset.file {
        Some(_) => format!("{root}{}", asset.href),
        None => asset.href.clone(),
    }
}

/// The `site` object of a template rendered at `url`.
pub fn site_ctx<'a>(site: &'a Site, url: &str) -> SiteCtx<'a> {
    let root = context::root_prefix(url);
    SiteCtx {
        title: &site.config.title,
        description: site.config.description.as_deref(),
        lang: &site.config.language,
        css: site
            .config
            .extra_css
            .iter()
            .map(|c| asset_href(&root, c))
            .collect(),
        js: site
            .config
            .extra_js
            .iter()
            .map(|(a, load)| ScriptCtx {
                src: asset_href(&root, a),
                module: load.module,
                defer: load.defer,
                is_async: load.is_async,
            })
            .collect(),
        root,
        generator: concat!("vigie ", env!("CARGO_PKG_VERSION")),
        params: site.config.params.as_ref(),
    }
}

impl Theme {
    /// The default theme, with `ROOT/templates/` overrides when that folder
    /// exists; `search_enabled` shows or hides the search box.
    pub fn load(config: &Config, search_enabled: bool) -> Result<Theme> {
        let dir = config.root.join("templates");
        let mut refused = Vec::new();
        let overrides = match crate::confine::reach(&config.root, &dir) {
            crate::confine::Reach::Outside(real) if dir.is_dir() => {
                refused.push(outside_finding(config, &dir, &real));
                None
            }
            _ => dir.is_dir().then_some(dir),
        };
        refused.extend(refused_overrides(config, overrides.as_deref()));
        let refused_paths: Vec<PathBuf> = refused.iter().map(|f| config.root.join(&f.page)).collect();
        let doubtful = overrides
            .as_deref()
            .map(|dir| dir.join("assets").join("vigie.css"))
            .filter(|css| !refused_paths.contains(css))
            .and_then(|css| old_code_colours(config, &css))
            .into_iter()
            .collect();
        let builtin = TEMPLATES.iter().all(|(name, _)| {
            overrides.as_ref().is_none_or(|dir| {
                let path = dir.join(name);
                !path.is_file() || refused_paths.contains(&path)
            })
        });
        let mut env = Environment::new();
        let user = overrides.clone();
        env.set_loader(move |name| {
            if let Some(dir) = &user
                && !name.contains("..")
            {
                let path = dir.join(name);
                if path.is_file() && !refused_paths.contains(&path) {
                    return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                        minijinja::Error::new(
                            minijinja::ErrorKind::InvalidOperation,
                            format!("{}: {e}", path.display()),
                        )
                    });
                }
            }
            Ok(TEMPLATES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| s.to_string()))
        });
        // Escape what HTML needs escaped and nothing more: minijinja's default
        // also escapes `/`, which bloats every URL of every page.
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), minijinja::AutoEscape::Html)
                && !value.is_safe()
                && let Some(s) = value.as_str()
            {
                return value_into(out, s)
                    .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()));
            }
            minijinja::escape_formatter(out, state, value)
        });
        let words = i18n::table(&config.language);
        env.add_global("t", Value::from(minijinja::value::Serde(&words)));
        env.add_global("lang", config.language.clone());
        // `{{ params.x }}` as in Hugo templates; an empty map when there are none,
        // so `{{ params.x }}` is empty rather than an error.
        env.add_global(
            "params",
            Value::from(minijinja::value::Serde(config.params.clone().unwrap_or_default())),
        );
        env.add_global("search_enabled", search_enabled);
        env.add_filter("ago", |days: i64, lang: String| i18n::ago(&lang, days));
        Ok(Theme {
            env,
            overrides,
            refused,
            doubtful,
            builtin,
            words,
            search: search_enabled,
        })
    }

    /// The sidebar's HTML for `items`, byte for byte what the `nav_tree`
    /// macro of `macros.html` writes, without the template engine (on a large
    /// site the macro is a tenth of the build). `None` when the site
    /// overrides `macros.html`: its own macro writes the navigation.
    pub fn nav_html(&self, items: &[context::NavCtx]) -> Option<String> {
        if self
            .overrides
            .as_ref()
            .is_some_and(|d| d.join("macros.html").is_file())
        {
            return None;
        }
        let mut out = String::new();
        self.nav_tree(items, &mut out);
        Some(out)
    }

    fn nav_tree(&self, items: &[context::NavCtx], out: &mut String) {
        use std::fmt::Write;
        // Every value as the template's formatter writes it.
        let v = |out: &mut String, s: &str| {
            let _ = value_into(out, s);
        };
        let t = |key: &str| self.word(key);
        out.push_str("<ul class=\"nav-list\">");
        for item in items {
            if item.part {
                out.push_str("\n<li class=\"nav-part\">");
                v(out, &item.title);
                out.push_str("</li>");
                continue;
            }
            out.push_str("\n<li class=\"nav-item");
            if item.current {
                out.push_str(" current");
            }
            if item.open {
                out.push_str(" open");
            }
            if !item.children.is_empty() {
                out.push_str(" nav-branch");
            }
            out.push_str("\">\n<a href=\"");
            v(out, &item.url);
            out.push('"');
            if item.current {
                out.push_str(" aria-current=\"page\"");
            }
            out.push('>');
            numbered_title(out, item.number.as_deref(), &item.title);
            out.push_str("</a>");
            if !item.children.is_empty() {
                let mut label = String::new();
                v(&mut label, t("nav_subpages"));
                label.push(' ');
                v(&mut label, &item.title);
                let _ = write!(
                    out,
                    "\n<details open><summary title=\"{label}\"><span class=\"sr-only\">{label}</span></summary>\n"
                );
                self.nav_tree(&item.children, out);
                if let Some(more) = &item.more {
                    out.push_str("<p class=\"nav-more\"><a href=\"");
                    v(out, &more.url);
                    let _ = write!(out, "\">… {} ", more.count);
                    v(out, t("more"));
                    out.push_str("</a></p>");
                }
                out.push_str("\n</details>");
            }
            out.push_str("\n</li>");
        }
        out.push_str("\n</ul>");
    }

    /// UI word `key` in the site's language: empty when there is no such
    /// word, as `t.key` in a template.
    fn word(&self, key: &str) -> &'static str {
        self.words.get(key).copied().unwrap_or("")
    }

    /// A page of the built-in theme around `content`, with the sidebar
    /// `nav_html`: what `page.html` writes, without the template engine.
    /// `None` when a template is the site's own, or when the page has a
    /// course bar (the templates write those).
    pub fn page_html(
        &self,
        site: &SiteCtx<'_>,
        page: &context::PageCtx,
        nav_html: &str,
        content: &str,
    ) -> Option<String> {
        if !self.builtin || !page.courses.is_empty() {
            return None;
        }
        let html = page::write(self, site, page, nav_html, content);
        Some(match without_nul(&html) {
            Cow::Borrowed(_) => html,
            Cow::Owned(clean) => clean,
        })
    }

    /// Renders template `name` with `ctx`.
    pub fn render(&self, name: &str, ctx: Value) -> Result<String> {
        let html = self.render_raw(name, ctx)?;
        Ok(match without_nul(&html) {
            Cow::Borrowed(_) => html,
            Cow::Owned(clean) => clean,
        })
    }

    fn render_raw(&self, name: &str, ctx: Value) -> Result<String> {
        let template = self.env.get_template(name).map_err(|e| template_error(name, e))?;
        template.render(ctx).map_err(|e| template_error(name, e))
    }

    /// Whether every template is vigie's own: a page's template then writes
    /// `page.content` once, as it is, and reads `nav` only without `nav_html`.
    pub fn builtin(&self) -> bool {
        self.builtin
    }

    /// Renders template `name` with `ctx`, whose page content is
    /// [`CONTENT_MARK`], and puts `content` in the mark's place: the
    /// content, most of a page's bytes, is then copied once rather than
    /// into the template's values and again into its output. `None` when
    /// the output does not hold the mark exactly once.
    pub fn render_around(&self, name: &str, ctx: Value, content: &str) -> Result<Option<String>> {
        let html = self.render_raw(name, ctx)?;
        let Some(at) = html.find(CONTENT_MARK) else {
            return Ok(None);
        };
        let (head, tail) = (&html[..at], &html[at + CONTENT_MARK.len()..]);
        if tail.contains(CONTENT_MARK) {
            return Ok(None);
        }
        let mut out = String::with_capacity(head.len() + content.len() + tail.len());
        for part in [head, content, tail] {
            out.push_str(&without_nul(part));
        }
        Ok(Some(out))
    }

    /// The bytes of asset `name`, from the override folder (`templates/assets/`) or embedded.
    pub fn asset(&self, name: &str) -> Option<Vec<u8>> {
        if let Some(dir) = &self.overrides {
            let path = dir.join("assets").join(name);
            if self.refused(&path) {
                return ASSETS
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, s)| s.as_bytes().to_vec());
            }
            if let Ok(bytes) = std::fs::read(&path) {
                return Some(bytes);
            }
        }
        ASSETS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.as_bytes().to_vec())
    }

    /// Every asset to copy: the embedded ones plus any extra file in `templates/assets/`.
    pub fn asset_names(&self) -> Vec<String> {
        let mut names: Vec<String> = ASSETS.iter().map(|(n, _)| n.to_string()).collect();
        if let Some(dir) = &self.overrides
            && let Ok(entries) = std::fs::read_dir(dir.join("assets"))
        {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().to_string();
                if e.path().is_file() && !names.contains(&n) && !self.refused(&e.path()) {
                    names.push(n);
                }
            }
        }
        names
    }

    pub fn override_dir(&self) -> Option<&Path> {
        self.overrides.as_deref()
    }

    /// What the build reports about the overrides: those not used (errors)
    /// and those used that look wrong (warnings).
    pub fn override_findings(&self) -> impl Iterator<Item = &crate::report::Finding> {
        self.refused.iter().chain(&self.doubtful)
    }

    fn refused(&self, path: &Path) -> bool {
        self.refused.iter().any(|f| path.ends_with(&f.page))
    }
}

/// The files of `templates/` and `templates/assets/` whose real path leaves
/// the knowledge base, as findings naming the link and where it leads.
fn refused_overrides(config: &Config, dir: Option<&Path>) -> Vec<crate::report::Finding> {
    let Some(dir) = dir else { return Vec::new() };
    let mut out = Vec::new();
    for folder in [dir.to_path_buf(), dir.join("assets")] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for e in entries.flatten() {
            if let crate::confine::Reach::Outside(real) = crate::confine::reach(&config.root, &e.path()) {
                out.push(outside_finding(config, &e.path(), &real));
            }
        }
    }
    out.sort_by(|a, b| a.page.cmp(&b.page));
    out
}

/// A warning when the stylesheet `css` colours code with the classes an
/// older vigie wrote (one per atom of the highlighter's scopes, as
/// `.hl-comment`) and not with those it writes now (`.hl-c`): the site's
/// code would show without colours.
fn old_code_colours(config: &Config, css: &Path) -> Option<crate::report::Finding> {
    let text = crate::confine::read_text_limited(css, crate::confine::PAGE_LIMIT, "stylesheet").ok()?;
    let old = text.find(".hl-comment")?;
    // `.hl-c` as a whole class name, not the start of `.hl-comment`.
    let current = text.match_indices(".hl-c").any(|(at, m)| {
        !text[at + m.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_')
    });
    if current {
        return None;
    }
    Some(crate::report::Finding {
        rule: "theme-outdated".into(),
        severity: crate::report::Severity::Warning,
        page: config.display_path(css),
        line: crate::config::line_of(&text, old),
        col: None,
        target: None,
        message: "code colours use class names vigie no longer writes (`.hl-comment`, `.hl-string` …): \
                  code blocks show without colours"
            .into(),
        suggestion: Some(
            "replace the `.hl-*` rules with those of vigie's current `vigie.css` (`.hl-c`, `.hl-s` …)".into(),
        ),
    })
}

fn outside_finding(config: &Config, path: &Path, real: &Path) -> crate::report::Finding {
    crate::report::Finding {
        rule: "outside-root".into(),
        severity: crate::report::Severity::Error,
        page: config.display_path(path),
        line: 1,
        col: None,
        target: Some(real.display().to_string()),
        message: format!(
            "{}; the default theme's file is used instead",
            crate::confine::outside_message(real)
        ),
        suggestion: Some("copy the file into the knowledge base instead of linking to it".into()),
    }
}

fn template_error(name: &str, e: minijinja::Error) -> Error {
    let mut message = e.to_string();
    if let Some(line) = e.line() {
        message = format!("line {line}: {message}");
    }
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Error::Template {
        name: name.to_string(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sidebar written in Rust is the `nav_tree` macro's, byte for byte:
    /// a change to one that is not made to the other fails here.
    #[test]
    fn the_sidebar_is_what_the_macro_writes() {
        use context::{MoreCtx, NavCtx};
        let item = |title: &str, url: &str, children: Vec<NavCtx>| NavCtx {
            title: title.into(),
            url: url.into(),
            number: None,
            current: false,
            open: false,
            part: false,
            has_children: !children.is_empty(),
            children,
            more: None,
        };
        let mut branch = item(
            "Réseau & <IP> \"v6\"",
            "reseau/index.html",
            vec![
                item("Plan", "plan.html", Vec::new()),
                item("Pare-feu", "https://u:p@h/x", Vec::new()),
            ],
        );
        branch.open = true;
        branch.number = Some("2.".into());
        branch.more = Some(MoreCtx {
            count: 7,
            url: "reseau/index.html".into(),
        });
        branch.children[0].current = true;
        let mut part = item("Partie I", "", Vec::new());
        part.part = true;
        let mut empty_number = item("Accueil", "index.html", Vec::new());
        empty_number.number = Some(String::new());
        let nav = vec![part, empty_number, branch];
        for lang in ["fr", "en"] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("vigie.toml"), format!("language = \"{lang}\"\n")).unwrap();
            let config = Config::load(dir.path()).unwrap();
            let theme = Theme::load(&config, false).unwrap();
            // Named `.html`, as the theme's templates: escaped as they are.
            let by_macro = theme
                .env
                .template_from_named_str(
                    "sidebar.html",
                    "{% import \"macros.html\" as m %}{{ m.nav_tree(nav) }}",
                )
                .unwrap()
                .render(minijinja::context! { nav => ser(&nav) })
                .unwrap();
            assert_eq!(theme.nav_html(&nav).unwrap(), by_macro);
        }
    }

    /// A page written in Rust is what `page.html` writes, byte for byte,
    /// with every part it may show and with none of them, in both
    /// languages, with and without the search box: a change to one that is
    /// not made to the other fails here.
    #[test]
    fn a_page_is_what_the_template_writes() {
        use context::{BadgeCtx, ChildCtx, LinkCtx, PageCtx, TocEntry, TranslationCtx};
        let link = |title: &str, url: &str| LinkCtx {
            title: title.into(),
            url: url.into(),
        };
        let full = || PageCtx {
            id: 3,
            title: "Réseau & <IP> \"v6\" l'été\0".into(),
            head_title: Some("Le <réseau> & \"v6\"".into()),
            heading: "Plan du réseau & <IP>".into(),
            title_in_body: true,
            title_id: None,
            url: "reseau/plan.html".into(),
            source: "reseau/plan.md".into(),
            lang: "fr".into(),
            kind: Some("runbook"),
            kind_label: Some("Procédure"),
            owner: Some("équipe <réseau>".into()),
            description: Some("Le plan d'adressage, voir https://u:p@h/x".into()),
            reviewed: Some("2026-01-02".into()),
            reviewed_long: Some("2 janvier 2026".into()),
            reviewed_ago: Some("il y a 11 mois".into()),
            tags: vec![link("ipv6", "../tags/ipv6.html"), link("a&b", "../tags/a-b.html")],
            content: String::new(),
            toc: vec![
                TocEntry {
                    level: 2,
                    id: "plan".into(),
                    text: "Plan <1>".into(),
                },
                TocEntry {
                    level: 3,
                    id: "été".into(),
                    text: "Été".into(),
                },
            ],
            breadcrumbs: vec![link("Accueil", "../index.html"), link("Réseau", "index.html")],
            prev: Some(link("Avant", "avant.html")),
            next: Some(link("Après", "apres.html")),
            number: Some("2.1".into()),
            is_section: true,
            children: vec![
                ChildCtx {
                    title: "Pare-feu".into(),
                    url: "pare-feu.html".into(),
                    kind: Some("architecture"),
                    description: Some("Règles \"nftables\"".into()),
                    is_section: true,
                    count: 4,
                },
                ChildCtx {
                    title: "DNS".into(),
                    url: "dns.html".into(),
                    kind: None,
                    description: None,
                    is_section: false,
                    count: 0,
                },
            ],
            freshness: Some(BadgeCtx {
                status: "contradicted",
                label: "Contredite",
                reasons: vec!["l'image a changé".into(), "<réseau> modifié".into()],
                banner: true,
            }),
            courses: Vec::new(),
            has_quiz: true,
            translations: vec![TranslationCtx {
                lang: "en".into(),
                title: "Network plan".into(),
                url: "../en/reseau/plan.html".into(),
            }],
        };
        let bare = || PageCtx {
            id: 0,
            title: "Accueil".into(),
            head_title: None,
            heading: "Accueil".into(),
            title_in_body: false,
            title_id: Some("accueil".into()),
            url: "index.html".into(),
            source: String::new(),
            lang: "en".into(),
            kind: None,
            kind_label: None,
            owner: Some(String::new()),
            description: None,
            reviewed: None,
            reviewed_long: None,
            reviewed_ago: None,
            tags: Vec::new(),
            content: String::new(),
            toc: vec![TocEntry {
                level: 2,
                id: "seul".into(),
                text: "Seul".into(),
            }],
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            number: Some(String::new()),
            is_section: false,
            children: Vec::new(),
            freshness: Some(BadgeCtx {
                status: "fresh",
                label: "À jour",
                reasons: Vec::new(),
                banner: false,
            }),
            courses: Vec::new(),
            has_quiz: false,
            translations: Vec::new(),
        };
        let nav = "<ul class=\"nav-list\">\n<li class=\"nav-item\">x</li>\n</ul>";
        for lang in ["fr", "en"] {
            for description in ["", "description = \"Le nuage <solidaire>\"\n"] {
                let dir = tempfile::tempdir().unwrap();
                let toml = format!("language = \"{lang}\"\ntitle = \"Nuage & co\"\n{description}");
                std::fs::write(dir.path().join("vigie.toml"), toml).unwrap();
                let config = Config::load(dir.path()).unwrap();
                let site = Site::load(config).unwrap();
                for search in [true, false] {
                    let theme = Theme::load(&site.config, search).unwrap();
                    let pages: [(&dyn Fn() -> PageCtx, &str); 2] = [(&full, "<p>Texte\0</p>"), (&bare, "")];
                    for (make, content) in pages {
                        let page = make();
                        let sc = site_ctx(&site, &page.url);
                        let native = theme.page_html(&sc, &page, nav, content).unwrap();
                        let with_content = PageCtx {
                            content: content.to_string(),
                            ..make()
                        };
                        let by_template = theme
                            .render(
                                "page.html",
                                minijinja::context! { site => ser(&sc), page => ser(&with_content), nav_html => nav },
                            )
                            .unwrap();
                        assert_eq!(native, by_template, "{lang}, search {search}, {}", page.title);
                    }
                }
            }
        }
    }

    /// A page's content goes into the mark's place when the template
    /// writes it once; a template that writes it another way gets `None`
    /// (the caller renders with the content itself), and a site that
    /// overrides a template is not taken for vigie's own.
    #[test]
    fn the_content_goes_where_the_template_wrote_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::load(dir.path()).unwrap();
        let mut theme = Theme::load(&config, false).unwrap();
        assert!(theme.builtin());
        let ctx = minijinja::context! { page => minijinja::context! { content => CONTENT_MARK } };
        for (name, source, want) in [
            (
                "once.html",
                "<main>{{ page.content | safe }}</main>\0",
                Some("<main>a\u{FFFD}b</main>\u{FFFD}"),
            ),
            (
                "twice.html",
                "{{ page.content | safe }}{{ page.content | safe }}",
                None,
            ),
            ("changed.html", "{{ page.content | length }}", None),
        ] {
            theme.env.add_template_owned(name, source).unwrap();
            let got = theme.render_around(name, ctx.clone(), "a\0b").unwrap();
            assert_eq!(got.as_deref(), want, "{name}");
        }
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/page.html"), "{{ page.content }}").unwrap();
        assert!(!Theme::load(&config, false).unwrap().builtin());
    }

    #[test]
    fn asset_names_are_the_embedded_assets() {
        let names: Vec<&str> = ASSETS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ASSET_NAMES);
    }
}
