//! A page of vigie's own theme written without the template engine: byte
//! for byte what `page.html` (extending `base.html`) writes, as the sidebar
//! is for `macros.html`. The template engine was a sixth of a 1,000-page
//! build. A site that overrides any template, and a page with a course bar,
//! go through the templates; `tests` renders the demo both ways.

use std::fmt::Write;

use super::context::PageCtx;
use super::{SiteCtx, Theme, numbered_title, value_into};

/// Writes `page` around `content` (its rendered Markdown), with the sidebar
/// `nav_html`, in `theme`'s words and with its search box (or without).
pub(super) fn write(
    theme: &Theme,
    site: &SiteCtx<'_>,
    page: &PageCtx,
    nav_html: &str,
    content: &str,
) -> String {
    let mut out = String::with_capacity(content.len() + nav_html.len() + 4096);
    let o = &mut out;
    let t = |key: &str| theme.word(key);
    let search = theme.search;
    let root = site.root.as_str();
    o.push_str("<!doctype html>\n<html lang=\"");
    v(o, site.lang);
    o.push_str("\" data-root=\"");
    v(o, root);
    o.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    match &page.head_title {
        Some(whole) => v(o, whole),
        None => {
            v(o, &page.title);
            o.push_str(" · ");
            v(o, site.title);
        }
    }
    o.push_str("</title>");
    let description = page
        .description
        .as_deref()
        .filter(|d| !d.is_empty())
        .or(site.description.filter(|d| !d.is_empty()));
    if let Some(d) = description {
        o.push_str("\n<meta name=\"description\" content=\"");
        v(o, d);
        o.push_str("\">");
    }
    o.push_str("\n<meta name=\"generator\" content=\"");
    v(o, site.generator);
    o.push_str("\">\n<link rel=\"stylesheet\" href=\"");
    v(o, root);
    o.push_str("assets/vigie.css\">");
    for href in &site.css {
        o.push_str("\n<link rel=\"stylesheet\" href=\"");
        v(o, href);
        o.push_str("\">");
    }
    o.push('\n');
    o.push_str(THEME_SCRIPT);
    o.push_str("\n\n</head>\n<body class=\"page-");
    v(o, page.kind.filter(|k| !k.is_empty()).unwrap_or("page"));
    o.push_str("\" data-copy=\"");
    v(o, t("copy"));
    o.push_str("\" data-copied=\"");
    v(o, t("copied"));
    o.push_str("\" data-copy-failed=\"");
    v(o, t("copy_failed"));
    o.push_str("\">\n<a class=\"skip-link\" href=\"#content\">");
    v(o, t("skip_to_content"));
    o.push_str("</a>\n<header class=\"topbar\">\n  <button type=\"button\" class=\"nav-toggle\" aria-controls=\"sidebar\" aria-expanded=\"false\" title=\"");
    v(o, t("menu"));
    o.push_str("\"><span aria-hidden=\"true\">☰</span><span class=\"sr-only\">");
    v(o, t("menu"));
    o.push_str("</span></button>\n  <a class=\"brand\" href=\"");
    v(o, root);
    o.push_str("index.html\">");
    v(o, site.title);
    o.push_str("</a>");
    if search {
        o.push_str("\n  <form class=\"search-form\" role=\"search\" action=\"");
        v(o, root);
        o.push_str("search.html\" method=\"get\"");
        for (attr, key) in [
            ("data-no-results", "search_no_results"),
            ("data-type-more", "search_type_more"),
            ("data-see-all", "search_see_all"),
            ("data-more", "search_more"),
            ("data-count-one", "search_count_one"),
            ("data-count-many", "search_count_many"),
            ("data-unavailable", "search_unavailable"),
        ] {
            let _ = write!(o, " {attr}=\"");
            v(o, t(key));
            o.push('"');
        }
        o.push_str(">\n    <label class=\"sr-only\" for=\"search-input\">");
        v(o, t("search"));
        o.push_str("</label>\n    <input id=\"search-input\" class=\"search-input\" type=\"search\" name=\"q\" placeholder=\"");
        v(o, t("search_placeholder"));
        o.push_str("\" autocomplete=\"off\" spellcheck=\"false\" role=\"combobox\" aria-controls=\"search-listbox\" aria-autocomplete=\"list\" aria-expanded=\"false\">\n    <div id=\"search-results\" class=\"search-results\" hidden>\n      <div id=\"search-listbox\" role=\"listbox\" aria-label=\"");
        v(o, t("search_results"));
        o.push_str("\"></div>\n      <div class=\"search-more\"></div>\n    </div>\n    <p id=\"search-count\" class=\"sr-only\" role=\"status\"></p>\n  </form>");
    }
    o.push_str("\n  <button type=\"button\" class=\"theme-toggle\" title=\"");
    v(o, t("theme_toggle"));
    o.push_str("\" aria-pressed=\"false\"><span aria-hidden=\"true\">◐</span><span class=\"sr-only\">");
    v(o, t("theme_dark"));
    o.push_str("</span></button>\n</header>\n<div class=\"layout\">\n<nav id=\"sidebar\" class=\"sidebar\" aria-label=\"");
    v(o, t("navigation"));
    o.push_str("\">\n");
    o.push_str(nav_html);
    o.push_str(
        "\n</nav>\n<div class=\"nav-backdrop\" hidden></div>\n<main id=\"content\" tabindex=\"-1\">\n",
    );
    main_content(o, &t, page, content);
    o.push_str("\n</main>\n</div>\n<footer class=\"site-footer\"><p>");
    v(o, site.title);
    o.push_str(" · ");
    v(o, t("generated_by"));
    o.push_str("</p></footer>\n<script src=\"");
    v(o, root);
    o.push_str("assets/vigie.js\"></script>");
    if search {
        o.push_str("\n<script src=\"");
        v(o, root);
        o.push_str("assets/search.js\"></script>\n<script src=\"");
        v(o, root);
        o.push_str("search/index.js\" async></script>");
    }
    for js in &site.js {
        o.push_str("\n<script src=\"");
        v(o, &js.src);
        o.push('"');
        if js.module {
            o.push_str(" type=\"module\"");
        }
        if js.defer {
            o.push_str(" defer");
        }
        if js.is_async {
            o.push_str(" async");
        }
        o.push_str("></script>");
    }
    o.push('\n');
    if page.has_quiz {
        o.push_str("<script src=\"");
        v(o, root);
        o.push_str("assets/course.js\"></script>");
    }
    o.push_str("\n</body>\n</html>");
    out
}

/// The `content` block of `page.html`.
fn main_content(o: &mut String, t: &dyn Fn(&str) -> &'static str, page: &PageCtx, content: &str) {
    if !page.breadcrumbs.is_empty() {
        o.push_str("\n<nav class=\"breadcrumbs\" aria-label=\"");
        v(o, t("breadcrumbs"));
        o.push_str("\"><ol>");
        for b in &page.breadcrumbs {
            o.push_str("<li><a href=\"");
            v(o, &b.url);
            o.push_str("\">");
            v(o, &b.title);
            o.push_str("</a></li>");
        }
        o.push_str("\n<li aria-current=\"page\">");
        v(o, &page.title);
        o.push_str("</li></ol></nav>");
    }
    o.push_str("\n<article class=\"page\" lang=\"");
    v(o, &page.lang);
    o.push_str("\">\n<header class=\"page-header\">\n<h1 id=\"");
    v(
        o,
        page.title_id
            .as_deref()
            .filter(|id| !id.is_empty())
            .unwrap_or("top"),
    );
    o.push_str("\">");
    numbered_title(o, page.number.as_deref(), &page.heading);
    o.push_str("</h1>\n<div class=\"page-meta\">\n");
    if let Some(kind) = page.kind.filter(|k| !k.is_empty()) {
        o.push_str("<span class=\"badge kind kind-");
        v(o, kind);
        o.push_str("\">");
        v(o, page.kind_label.unwrap_or("none"));
        o.push_str("</span>");
    }
    if let Some(f) = &page.freshness {
        o.push_str(" <span class=\"badge fresh-");
        v(o, f.status);
        o.push_str("\" title=\"");
        v(o, &f.reasons.join(" · "));
        o.push_str("\">");
        v(o, f.label);
        o.push_str("</span>");
    }
    if let Some(owner) = page.owner.as_deref().filter(|s| !s.is_empty()) {
        o.push_str(" <span class=\"meta-item\"><span class=\"meta-label\">");
        v(o, t("owner"));
        o.push_str("</span> ");
        v(o, owner);
        o.push_str("</span>");
    }
    if let Some(reviewed) = page.reviewed.as_deref().filter(|s| !s.is_empty()) {
        o.push_str(" <span class=\"meta-item\"><span class=\"meta-label\">");
        v(o, t("reviewed"));
        o.push_str("</span> <time datetime=\"");
        v(o, reviewed);
        o.push_str("\" title=\"");
        v(o, opt(&page.reviewed_long));
        o.push_str("\">");
        v(o, opt(&page.reviewed_ago));
        o.push_str("</time></span>");
    }
    if !page.translations.is_empty() {
        o.push_str(" <span class=\"meta-item translations\"><span class=\"meta-label\">");
        v(o, t("other_languages"));
        o.push_str("</span>");
        for l in &page.translations {
            o.push_str(" <a href=\"");
            v(o, &l.url);
            o.push_str("\" hreflang=\"");
            v(o, &l.lang);
            o.push_str("\" lang=\"");
            v(o, &l.lang);
            o.push_str("\" title=\"");
            v(o, &l.title);
            o.push_str("\">");
            v(o, &l.lang.to_uppercase());
            o.push_str("</a>");
        }
        o.push_str("</span>");
    }
    o.push_str("\n</div>");
    if !page.tags.is_empty() {
        o.push_str("\n<ul class=\"tags\" aria-label=\"");
        v(o, t("tags"));
        o.push_str("\">");
        for tag in &page.tags {
            o.push_str("<li><a class=\"tag\" href=\"");
            v(o, &tag.url);
            o.push_str("\">#");
            v(o, &tag.title);
            o.push_str("</a></li>");
        }
        o.push_str("</ul>");
    }
    o.push_str("\n</header>");
    if let Some(f) = page.freshness.as_ref().filter(|f| f.banner) {
        o.push_str("\n<div class=\"freshness-banner fresh-");
        v(o, f.status);
        o.push_str("\" role=\"alert\">\n<p><strong>");
        v(o, f.label);
        o.push_str("</strong></p>\n<ul>");
        for r in &f.reasons {
            o.push_str("<li>");
            v(o, r);
            o.push_str("</li>");
        }
        o.push_str("</ul>\n</div>");
    }
    if page.toc.len() > 1 {
        o.push_str("\n<nav class=\"toc\" aria-label=\"");
        v(o, t("on_this_page"));
        o.push_str("\"><p class=\"toc-title\">");
        v(o, t("on_this_page"));
        o.push_str("</p><ol>");
        for h in &page.toc {
            let _ = write!(o, "<li class=\"toc-h{}\"><a href=\"#", h.level);
            v(o, &h.id);
            o.push_str("\">");
            v(o, &h.text);
            o.push_str("</a></li>");
        }
        o.push_str("\n</ol></nav>");
    }
    o.push_str("\n<div class=\"content\">\n");
    o.push_str(content);
    o.push_str("\n</div>");
    if page.is_section && !page.children.is_empty() {
        o.push_str("\n<section class=\"children\" aria-label=\"");
        v(o, t("in_this_section"));
        o.push_str("\">\n<h2 class=\"children-title\">");
        v(o, t("in_this_section"));
        o.push_str("</h2>\n<ul class=\"cards-list\">");
        for c in &page.children {
            o.push_str("\n<li class=\"child-card\"><a href=\"");
            v(o, &c.url);
            o.push_str("\">");
            v(o, &c.title);
            o.push_str("</a>");
            if let Some(kind) = c.kind.filter(|k| !k.is_empty()) {
                o.push_str(" <span class=\"badge kind kind-");
                v(o, kind);
                o.push_str("\">");
                v(o, t(&format!("kind_{kind}")));
                o.push_str("</span>");
            }
            if c.is_section {
                let _ = write!(o, " <span class=\"muted\">({})</span>", c.count);
            }
            if let Some(d) = c.description.as_deref().filter(|d| !d.is_empty()) {
                o.push_str("<p class=\"muted\">");
                v(o, d);
                o.push_str("</p>");
            }
            o.push_str("</li>");
        }
        o.push_str("\n</ul>\n</section>");
    }
    o.push_str("\n</article>\n<nav class=\"prev-next\" aria-label=\"");
    v(o, t("previous"));
    o.push_str(" / ");
    v(o, t("next"));
    o.push_str("\">");
    match &page.prev {
        Some(p) => {
            o.push_str("<a class=\"prev\" rel=\"prev\" href=\"");
            v(o, &p.url);
            o.push_str("\"><span class=\"muted\">← ");
            v(o, t("previous"));
            o.push_str("</span><br>");
            v(o, &p.title);
            o.push_str("</a>");
        }
        None => o.push_str("<span></span>"),
    }
    if let Some(n) = &page.next {
        o.push_str("<a class=\"next\" rel=\"next\" href=\"");
        v(o, &n.url);
        o.push_str("\"><span class=\"muted\">");
        v(o, t("next"));
        o.push_str(" →</span><br>");
        v(o, &n.title);
        o.push_str("</a>");
    }
    o.push_str("\n</nav>\n");
}

/// The script that applies the reader's light or dark choice before the page shows.
const THEME_SCRIPT: &str = "<script>(function(){var s=null;try{s=localStorage.getItem(\"vigie-theme\")}catch(e){}if(!s){var m=/(?:^|;)vigie-theme=(dark|light)/.exec(window.name);s=m&&m[1]}if(s===\"dark\"||s===\"light\")document.documentElement.dataset.theme=s})()</script>";

/// A value as the template's formatter writes it.
fn v(out: &mut String, s: &str) {
    let _ = value_into(out, s);
}

/// An optional value as the template writes it (`none` when missing).
fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("none")
}
