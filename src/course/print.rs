//! The printable course: every module's rendered HTML placed in one page.
//! Headings go down one level (the module title is the `h2`), anchors get a
//! per-module prefix so they stay unique, links between modules point inside
//! the printable page, and other relative links are rebased on its folder.
//! The page ends with the answer key: each module's questions
//! (`Rendered::questions`), their HTML placed the same way.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::{Captures, Regex};
use serde::Serialize;

use super::duration::format_duration;
use super::status::status_label;
use super::write::{Ctx, module_title, print_url};
use crate::content::resolve::{join, percent_decode, relative_url};
use crate::error::Result;
use crate::i18n::long_date;
use crate::markdown::RenderedSite;
use crate::markdown::shortcodes::esc;
use crate::output::Staging;
use crate::theme::Theme;
use crate::theme::context::kind_label;
use crate::theme::{ser, site_ctx};

/// What a module's HTML needs to know to move into the printable page.
pub struct Placement<'a> {
    /// Output path of the module's own page (`runbooks/nova/x.html`).
    pub module_url: &'a str,
    /// Output path of the printable page.
    pub print_url: &'a str,
    /// Anchor prefix of this module (`m3`).
    pub prefix: &'a str,
    /// Output path of every module page → its anchor prefix.
    pub modules: &'a HashMap<String, String>,
}

/// A module as it appears in the printable course.
#[derive(Serialize)]
struct PrintModule {
    position: usize,
    anchor: String,
    title_id: String,
    title: String,
    duration: String,
    kind_label: Option<&'static str>,
    stale: bool,
    status_label: &'static str,
    content: String,
}

/// The questions of one module in the answer key of the printable course.
#[derive(Serialize)]
struct KeyModule {
    position: usize,
    title: String,
    /// Anchor of the module's section in the printable page.
    anchor: String,
    questions: Vec<KeyQuestion>,
}

/// One question in the answer key: its HTML placed like the module's, so its
/// links work from the printable page.
#[derive(Serialize)]
struct KeyQuestion {
    /// 1-based number of the question within its module.
    number: usize,
    question: String,
    right: Vec<String>,
    explanation: Option<String>,
}

/// Writes the printable page of course `ci`, ending with the answer key when
/// its modules hold questions.
pub(super) fn write(
    rs: &RenderedSite,
    ctx: &Ctx<'_>,
    ci: usize,
    theme: &Theme,
    staging: &Staging,
) -> Result<()> {
    let site = ctx.site;
    let course = &ctx.courses.list[ci];
    let print = print_url(site, site.page(course.page));
    let prefixes: HashMap<String, String> = course
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| (site.page(m.page).url.clone(), format!("m{}", i + 1)))
        .collect();
    let lang = ctx.lang();
    let mut modules = Vec::with_capacity(course.modules.len());
    let mut answer_key = Vec::new();
    for (i, m) in course.modules.iter().enumerate() {
        let p = site.page(m.page);
        let rendered = &rs.rendered[m.page];
        let anchor = format!("m{}", i + 1);
        let status = (ctx.status_of)(m.page);
        let placement = Placement {
            module_url: &p.url,
            print_url: &print,
            prefix: &anchor,
            modules: &prefixes,
        };
        let title = module_title(site, course, i);
        if !rendered.questions.is_empty() {
            answer_key.push(KeyModule {
                position: i + 1,
                title: title.clone(),
                anchor: anchor.clone(),
                questions: rendered
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(n, q)| KeyQuestion {
                        number: n + 1,
                        question: copy(&q.question, &placement),
                        right: q.right.iter().map(|r| copy(r, &placement)).collect(),
                        explanation: q.explanation.as_deref().map(|e| copy(e, &placement)),
                    })
                    .collect(),
            });
        }
        modules.push(PrintModule {
            position: i + 1,
            title_id: format!("{anchor}-{}", rendered.title_id.as_deref().unwrap_or("top")),
            content: place(&rendered.html, &placement),
            anchor,
            title,
            duration: format_duration(m.minutes, lang),
            kind_label: kind_label(lang, p.kind),
            stale: status.is_stale(),
            status_label: status_label(status, lang),
        });
    }
    let html = theme.render(
        "course-print.html",
        minijinja::context! { site => ser(&site_ctx(site, &print)), course => ser(&ctx.course(ci, &print)), modules => ser(&modules), answer_key => ser(&answer_key), printed => long_date(lang, ctx.today) },
    )?;
    staging.write(&print, html.as_bytes())
}

fn tag_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // Only real tags: text and code content has `<` escaped as `&lt;`.
    RE.get_or_init(|| {
        Regex::new(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\x22']|\x22[^\x22]*\x22|'[^']*')*)>").unwrap()
    })
}

fn attr_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(\s)(id|for|name|href|src|aria-labelledby|aria-describedby|aria-controls)="([^"]*)""#)
            .unwrap()
    })
}

/// `html` of one module, rewritten for the printable page.
pub fn place(html: &str, at: &Placement<'_>) -> String {
    tag_re()
        .replace_all(html, |c: &Captures<'_>| {
            let (close, name, attrs) = (&c[1], &c[2], &c[3]);
            let name = relevel(name);
            if close == "/" || attrs.is_empty() {
                return format!("<{close}{name}{attrs}>");
            }
            let attrs = attr_re().replace_all(attrs, |a: &Captures<'_>| {
                let value = rewrite_attr(&a[2], &a[3], at);
                format!("{}{}=\"{}\"", &a[1], &a[2], value)
            });
            format!("<{name}{attrs}>")
        })
        .into_owned()
}

/// A second copy of some of a module's HTML (the answer key), placed like
/// the module but without its `id`s: the page has them once, in the module,
/// where the key's links lead.
fn copy(html: &str, at: &Placement<'_>) -> String {
    static ID: OnceLock<Regex> = OnceLock::new();
    let id = ID.get_or_init(|| Regex::new(r#"\sid="[^"]*""#).unwrap());
    let placed = place(html, at);
    tag_re()
        .replace_all(&placed, |c: &Captures<'_>| id.replace_all(&c[0], "").into_owned())
        .into_owned()
}

/// `h1` → `h2` … `h5` → `h6`; `h6` stays.
fn relevel(name: &str) -> String {
    match name.as_bytes() {
        [b'h' | b'H', d @ b'1'..=b'5'] => format!("h{}", (d - b'0') + 1),
        _ => name.to_string(),
    }
}

/// New value of attribute `attr` (its value is HTML-escaped as written).
fn rewrite_attr(attr: &str, value: &str, at: &Placement<'_>) -> String {
    match attr {
        "id" | "for" | "name" | "aria-labelledby" | "aria-describedby" | "aria-controls" => value
            .split_whitespace()
            .map(|v| format!("{}-{v}", at.prefix))
            .collect::<Vec<_>>()
            .join(" "),
        _ => rewrite_url(value, at),
    }
}

fn rewrite_url(value: &str, at: &Placement<'_>) -> String {
    let raw = value.replace("&amp;", "&");
    if let Some(fragment) = raw.strip_prefix('#') {
        return esc(&anchor(at.prefix, fragment));
    }
    if raw.starts_with('/') || raw.contains("://") || raw.starts_with("data:") || has_scheme(&raw) {
        return value.to_string();
    }
    let (path, fragment) = match raw.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (raw.as_str(), None),
    };
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let dir = at.module_url.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let Some(site_path) = join(dir, &percent_decode(path)) else {
        return value.to_string();
    };
    if let Some(prefix) = at.modules.get(&site_path) {
        return esc(&match fragment {
            Some(f) if !f.is_empty() => anchor(prefix, f),
            _ => format!("#{prefix}"),
        });
    }
    let mut out = relative_url(at.print_url, &site_path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    esc(&out)
}

/// `#m2-vérifier`: the fragment decoded, as the prefixed `id` is written.
fn anchor(prefix: &str, fragment: &str) -> String {
    if fragment.is_empty() {
        format!("#{prefix}")
    } else {
        format!("#{prefix}-{}", percent_decode(fragment))
    }
}

fn has_scheme(s: &str) -> bool {
    s.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && !scheme.contains('/')
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '+')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(modules: &'a HashMap<String, String>) -> Placement<'a> {
        Placement {
            module_url: "runbooks/nova/redemarrer.html",
            print_url: "training/c/print.html",
            prefix: "m2",
            modules,
        }
    }

    #[test]
    fn the_answer_key_copy_has_no_ids_but_its_links_lead_to_the_module() {
        let modules = HashMap::new();
        let html = "<p>Voir <span id=\"fn-1\">la note</span> et <a href=\"#vérifier\">Vérifier</a> : <code>id=\"x\"</code></p>";
        let out = copy(html, &at(&modules));
        assert_eq!(
            out,
            "<p>Voir <span>la note</span> et <a href=\"#m2-vérifier\">Vérifier</a> : <code>id=\"x\"</code></p>"
        );
    }

    #[test]
    fn headings_anchors_and_links_move_into_the_printable_page() {
        let mut modules = HashMap::new();
        modules.insert("training/c/01-a.html".to_string(), "m1".to_string());
        modules.insert("runbooks/nova/redemarrer.html".to_string(), "m2".to_string());
        let html = concat!(
            "<h2 id=\"vérifier\">Vérifier<a class=\"anchor\" href=\"#vérifier\">#</a></h2>\n",
            "<p>Voir <a href=\"../../training/c/01-a.html#acc%C3%A8s\">l'accueil</a>, ",
            "<a href=\"../ceph/osd.html#x\">OSD</a>, <a href=\"https://ex.org/a\">ext</a>, ",
            "<a href=\"redemarrer.html\">ici</a>.</p>\n",
            "<img src=\"img/schema.svg\" alt=\"a > b\">\n",
            "<pre class=\"code\"><code>&lt;h2 id=&quot;no&quot;&gt;</code></pre>\n",
            "<input type=\"radio\" name=\"quiz-1\" value=\"0\">",
        );
        let out = place(html, &at(&modules));
        assert!(
            out.starts_with(
                "<h3 id=\"m2-vérifier\">Vérifier<a class=\"anchor\" href=\"#m2-vérifier\">#</a></h3>"
            ),
            "{out}"
        );
        assert!(out.contains("href=\"#m1-accès\""), "{out}");
        assert!(out.contains("href=\"../../runbooks/ceph/osd.html#x\""), "{out}");
        assert!(out.contains("href=\"https://ex.org/a\""));
        assert!(out.contains("href=\"#m2\""));
        assert!(
            out.contains("src=\"../../runbooks/nova/img/schema.svg\" alt=\"a > b\""),
            "{out}"
        );
        assert!(
            out.contains("&lt;h2 id=&quot;no&quot;&gt;"),
            "code is untouched: {out}"
        );
        assert!(out.contains("name=\"m2-quiz-1\""));
    }
}
