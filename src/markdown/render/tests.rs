//! Markdown in, HTML fragments out, through the whole rendering pass.

use super::*;
use crate::config::{Config, Layout};

/// Renders `body` as the only page of a plain tree (or an MkDocs project).
fn render_page(body: &str, layout: Layout) -> Rendered {
    render_page_with(body, layout, "")
}

/// As [`render_page`], with `vigie_toml` as the site's vigie.toml.
fn render_page_with(body: &str, layout: Layout, vigie_toml: &str) -> Rendered {
    let dir = tempfile::tempdir().expect("temp dir");
    if !vigie_toml.is_empty() {
        std::fs::write(dir.path().join("vigie.toml"), vigie_toml).expect("write vigie.toml");
    }
    std::fs::write(dir.path().join("page.md"), body).expect("write page");
    if layout == Layout::MkDocs {
        std::fs::write(dir.path().join("mkdocs.yml"), "site_name: t\ndocs_dir: .\n")
            .expect("write mkdocs.yml");
    }
    if layout == Layout::MdBook {
        std::fs::write(
            dir.path().join("book.toml"),
            "[book]\ntitle = \"t\"\nsrc = \".\"\n",
        )
        .expect("write book.toml");
        std::fs::write(dir.path().join("SUMMARY.md"), "# Summary\n\n- [Page](page.md)\n")
            .expect("write SUMMARY.md");
    }
    let config = Config::load(dir.path()).expect("config");
    assert_eq!(config.layout, layout);
    let site = Site::load(config).expect("site");
    let id = site.by_rel("page.md").expect("the page");
    render(&site, site.page(id))
}

fn html(body: &str) -> String {
    render_page(body, Layout::Folder).html
}

#[test]
fn admonition_indented_under_a_numbered_step() {
    let h = html(
        "1. Copy the URL.\n\n2. Configure mappings.\n\n    !!! note \"Group mapping\"\n        Not **officially** supported.\n\n    Still step 2.\n\n3. Third.\n",
    );
    let step2 = h.find("Configure mappings").expect("step 2");
    let note = h.find("<div class=\"callout callout-note\"").expect("the note");
    let still = h.find("Still step 2").expect("rest of step 2");
    let third = h.find("Third").expect("step 3");
    assert!(step2 < note && note < still && still < third, "{h}");
    assert!(
        h.contains("<p>Not <strong>officially</strong> supported.</p>"),
        "{h}"
    );
    // one list, the note inside its second item
    assert_eq!(h.matches("<ol>").count(), 1, "{h}");
    assert!(!h[note..still].contains("</li>"), "{h}");
    assert!(!h.contains("!!!"), "{h}");
}

#[test]
fn details_and_nested_admonitions() {
    let h = html("??? tip \"Closed\"\n    Hidden.\n\n???+ example\n    !!! danger\n        Inside.\n");
    assert!(
        h.contains("<details class=\"callout callout-tip\"><summary class=\"callout-title\">Closed</summary>\n<p>Hidden.</p>\n</details>"),
        "{h}"
    );
    assert!(
        h.contains(
            "<details class=\"callout callout-note\" open><summary class=\"callout-title\">Example</summary>"
        ),
        "{h}"
    );
    assert!(
        h.contains("<p class=\"callout-title\">Danger</p>\n<p>Inside.</p>"),
        "{h}"
    );
    assert!(!h.contains("???"), "{h}");
}

#[test]
fn admonition_without_title_bar() {
    let h = html("!!! note \"\"\n    Just text.\n");
    assert!(
        h.contains("<div class=\"callout callout-note\" role=\"note\">\n<p>Just text.</p>"),
        "{h}"
    );
    assert!(!h.contains("callout-title"), "{h}");
}

#[test]
fn tabs_become_headed_sections() {
    let h = html(
        "=== \"Debian\"\n\n    ```bash\n    apt install x\n    ```\n\n=== \"Alpine\"\n    apk add *x*\n",
    );
    assert!(h.contains("<div class=\"tabs\">\n<section class=\"tab\" data-tab=\"Debian\"><p class=\"tab-title\">Debian</p>"), "{h}");
    assert!(h.contains("<pre class=\"code\" data-lang=\"bash\">"), "{h}");
    assert!(h.contains("<p>apk add <em>x</em></p>\n</section>\n</div>"), "{h}");
    assert!(!h.contains("==="), "{h}");
}

#[test]
fn syntax_in_code_is_kept_as_written() {
    let h = html("```text\n!!! note\n=== \"x\"\n??? tip\n```\n\nUse `!!! note` to write one.\n");
    assert!(
        h.contains("!!! note\n=== &quot;x&quot;\n??? tip\n</code></pre>"),
        "{h}"
    );
    assert!(h.contains("<code>!!! note</code>"), "{h}");
}

#[test]
fn heading_attribute_lists() {
    let r = render_page(
        "## Install { #setup .big }\n\n### Other {: #other }\n",
        Layout::MkDocs,
    );
    assert!(
        r.html.contains("<h2 id=\"setup\" class=\"big\">Install"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h3 id=\"other\">Other"), "{}", r.html);
    assert!(r.anchors.contains("setup") && r.anchors.contains("other"));
}

#[test]
fn footnotes_at_the_end_linked_both_ways() {
    let r = render_page(
        "Text[^a] and more[^2].\n\n[^a]: First.\n[^2]: Second.\n\n## After\n",
        Layout::Folder,
    );
    let h = &r.html;
    assert!(
        h.contains("Text<sup id=\"fnref:a\"><a class=\"footnote-ref\" href=\"#fn:a\">1</a></sup>"),
        "{h}"
    );
    assert!(h.contains("href=\"#fn:2\">2</a>"), "{h}");
    let after = h.find("After").expect("heading");
    let notes = h.find("<div class=\"footnote\">").expect("footnotes");
    assert!(after < notes, "definitions go to the end: {h}");
    assert!(
        h.contains("<li id=\"fn:a\">\n<p>First.&#160;<a class=\"footnote-backref\" href=\"#fnref:a\""),
        "{h}"
    );
    for a in ["fn:a", "fnref:a", "fn:2", "fnref:2"] {
        assert!(r.anchors.contains(a), "{a}");
    }
}

#[test]
fn definition_lists() {
    let h = html("Term\n:   The definition.\n\n    !!! note\n        In it.\n");
    assert!(
        h.contains("<dl>\n<dt>Term</dt>\n<dd>\n<p>The definition.</p>"),
        "{h}"
    );
    let dd_end = h.find("</dd>").expect("end of definition");
    let note = h.find("callout-note").expect("note");
    assert!(note < dd_end, "{h}");
}

#[test]
fn abbreviations_become_abbr() {
    let h = html("HTML and XHTML, not `HTML` nor ![HTML](x.png).\n\n*[HTML]: Hyper Text Markup Language\n");
    assert!(
        h.contains(
            "<p><abbr title=\"Hyper Text Markup Language\">HTML</abbr> and XHTML, not <code>HTML</code>"
        ),
        "{h}"
    );
    assert!(h.contains("alt=\"HTML\""), "{h}");
    assert!(!h.contains("*["), "{h}");
}

#[test]
fn markdown_in_html_blocks() {
    let h = html("<div class=\"grid\" markdown>\n**bold** inside\n</div>\n");
    assert!(
        h.contains("<div class=\"grid\">\n<p><strong>bold</strong> inside</p>\n</div>"),
        "{h}"
    );
}

#[test]
fn mkdocs_projects_get_mkdocs_anchors() {
    let r = render_page(
        "# Guide\n\n## Upgrade / Downgrade\n\n## Durée de rétention\n\n## Étapes\n\n## Étapes\n",
        Layout::MkDocs,
    );
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "guide",
            "upgrade-downgrade",
            "duree-de-retention",
            "etapes",
            "etapes_1"
        ]
    );
    let r = render_page(
        "## Upgrade / Downgrade\n\n## Étapes\n\n## Étapes\n",
        Layout::Folder,
    );
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["upgrade--downgrade", "étapes", "étapes-1"]);
}

#[test]
fn a_colon_first_on_a_line_is_text_but_where_mdbook_makes_it_a_definition() {
    let body = "Redémarrer le service.\n\n:warning: Jamais les deux nœuds.\n\nTerme\n: Définition\n";
    for layout in [Layout::Folder, Layout::MkDocs] {
        let r = render_page(body, layout);
        assert!(
            r.html.contains("<p>:warning: Jamais les deux nœuds.</p>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<dt>Terme</dt>"), "{}", r.html);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }
    // mdBook renders it as its parser does (ours), and this says so.
    let r = render_page(body, Layout::MdBook);
    assert!(r.html.contains("<dt>Redémarrer le service.</dt>"), "{}", r.html);
    let said: Vec<(&str, usize)> = r.warnings.iter().map(|w| (w.rule.as_str(), w.line)).collect();
    assert_eq!(said, [("colon-definition", 3)]);
    assert!(
        r.warnings[0].message.contains("`:warning:`"),
        "{}",
        r.warnings[0].message
    );
}

#[test]
fn shortcodes_indented_in_a_list_item_stay_in_it() {
    let h = html(
        "1. Redémarrer :\n\n   {{< highlight bash >}}\n   systemctl restart nginx\n   {{< /highlight >}}\n\n2. Vérifier :\n\n   {{% notice warning %}}\n   Prudence **ici**.\n   {{% /notice %}}\n\n3. Fini.\n",
    );
    // One list, the code and the callout inside their steps.
    assert_eq!(h.matches("<ol>").count(), 1, "{h}");
    let code = h
        .find("<pre class=\"code\" data-lang=\"bash\"><code class=\"language-bash\">systemctl")
        .expect("the code, its indentation gone");
    let callout = h
        .find("<div class=\"callout callout-warning\"")
        .expect("the callout");
    let (second, third) = (h.find("Vérifier").unwrap(), h.find("Fini").unwrap());
    assert!(code < second && second < callout && callout < third, "{h}");
    assert!(h.contains("<p>Prudence <strong>ici</strong>.</p>"), "{h}");
    assert!(
        !h[code..second].contains("</ol>") && !h[callout..third].contains("</ol>"),
        "{h}"
    );
}

#[test]
fn an_mdbook_hides_the_hidden_lines_of_rust_blocks_as_mdbook_does() {
    let body = "# Page\n\n```rust,ignore\n# fn main() {\nlet x = 5;\n    ## not hidden\n#\n#[derive(Debug)]\n# }\n```\n\n```bash\n# a comment\n```\n";
    let h = render_page(body, Layout::MdBook).html;
    assert!(!h.contains("main"), "{h}");
    assert!(
        h.contains("not hidden") && !h.contains("##") && !h.contains("\n#\n") && h.contains("derive"),
        "{h}"
    );
    assert!(h.contains("a comment"), "other languages keep their lines: {h}");
    // Elsewhere a Rust block is shown as written.
    assert!(html(body).contains("main"));
}

#[test]
fn param_reads_the_page_then_the_site_and_says_a_missing_one() {
    let site = "[params]\nversion = \"1.2.3\"\n[params.social]\ngithub = \"https://git.example/x\"\n";
    let body = "---\nversion: 9.9.9\n---\nV {{< param version >}}, {{< param social.github >}}, [{{< param absent >}}].\n";
    let r = render_page_with(body, Layout::Folder, site);
    assert!(
        r.html.contains("V 9.9.9, ") && r.html.contains(">https://git.example/x</a>, []."),
        "{}",
        r.html
    );
    let said: Vec<(&str, usize)> = r.warnings.iter().map(|w| (w.rule.as_str(), w.line)).collect();
    assert_eq!(said, [("unknown-param", 4)]);
}

#[test]
fn lines_a_fence_marks_are_emphasised_where_the_tool_does_it() {
    let marked = |info: &str| Fence::read(info).marked;
    assert_eq!(marked("py hl_lines=\"2 4-6\""), [(2, 2), (4, 6)]);
    assert_eq!(
        marked("go {linenos=table,hl_lines=[8,\"15-17\"]}"),
        [(8, 8), (15, 17)]
    );
    assert_eq!(marked("{ .py hl_lines='1' title=\"a\" }"), [(1, 1)]);
    assert_eq!(marked("go {hl_lines=3}"), [(3, 3)]);
    assert!(marked("py title=\"x\"").is_empty());
    assert!(marked("py hl_lines=\"0 5-2 x\"").is_empty());
    let code = "```text hl_lines=\"2 3\"\none\ntwo <b>\nthree\nfour\n```\n";
    let h = html(code);
    assert!(
        h.contains("one\n<span class=\"hl-line\">two &lt;b&gt;</span>\n<span class=\"hl-line\">three</span>\nfour\n</code>"),
        "{h}"
    );
    // highlighted code: the spans of a line stay inside its mark
    let h = html("```bash hl_lines=\"1\"\necho \"$HOME\" # x\nls\n```\n");
    let first = h.split("<code").nth(1).unwrap().split('\n').next().unwrap();
    assert!(
        first.contains("<span class=\"hl-line\">") && first.ends_with("</span></span>"),
        "{h}"
    );
    // mdBook has no such option
    let h = render_page(code, Layout::MdBook).html;
    assert!(!h.contains("hl-line"), "{h}");
}

#[test]
fn lines_a_fence_numbers_are_numbered_where_the_tool_does_it() {
    let numbered = |info: &str| Fence::read(info).numbered;
    assert_eq!(numbered("{ .py linenums=\"1\" }"), Some(Some(1)));
    assert_eq!(numbered("py linenums=\"12 2\" hl_lines=\"1\""), Some(Some(12)));
    assert_eq!(numbered("go {linenos=table,hl_lines=[8]}"), Some(Some(1)));
    assert_eq!(numbered("go {linenos=inline, linenostart=199}"), Some(Some(199)));
    assert_eq!(numbered("go {linenos=false}"), Some(None));
    assert_eq!(numbered("py title=\"linenums=3\""), None);
    assert_eq!(numbered("py"), None);
    let code = "```text linenums=\"9\" hl_lines=\"2\"\none\ntwo\n```\n";
    let h = html(code);
    assert!(
        h.contains(
            "<code class=\"language-text\"><span class=\"ln\" aria-hidden=\"true\">9</span>one\n<span class=\"ln\" aria-hidden=\"true\">10</span><span class=\"hl-line\">two</span>\n</code>"
        ),
        "{h}"
    );
    // the search reads the code, not its numbers
    let page = render_page(code, Layout::MkDocs);
    assert!(
        !page.sections.iter().any(|s| s.text.contains('9')),
        "{:?}",
        page.sections
    );
    // mdBook has no such option
    let h = render_page(code, Layout::MdBook).html;
    assert!(!h.contains("class=\"ln\""), "{h}");
}

#[test]
fn a_fence_gives_its_language_and_title_in_each_form() {
    let read = |info: &str| {
        let f = Fence::read(info);
        (f.lang, f.title)
    };
    let some = |s: &str| Some(s.to_string());
    assert_eq!(read("bash"), ("bash".into(), None));
    assert_eq!(read("rust,ignore"), ("rust".into(), None));
    assert_eq!(read("go {linenos=table,hl_lines=[8]}"), ("go".into(), None));
    assert_eq!(read("{.python}"), ("python".into(), None));
    assert_eq!(
        read("{ .py title=\"a b.py\" linenums=\"1\" }"),
        ("py".into(), some("a b.py"))
    );
    assert_eq!(
        read("py title='sort.py' hl_lines=\"2 3\""),
        ("py".into(), some("sort.py"))
    );
    assert_eq!(read("sh subtitle=\"no\""), ("sh".into(), None));
    assert_eq!(read("sh title=\"\""), ("sh".into(), None));
    assert_eq!(read(""), (String::new(), None));
    let h = html("```{.bash title=\"restart.sh\"}\necho <ok>\n```\n");
    assert!(
        h.contains("<p class=\"code-title\">restart.sh</p>\n<pre class=\"code\" data-lang=\"bash\">"),
        "{h}"
    );
    assert!(h.contains("&lt;</span>ok"), "escaped: {h}");
}

#[test]
fn a_table_of_contents_marker_is_left_out_where_the_tool_reads_it() {
    let body = "# T\n\n[TOC]\n\n## Un\n\n  [[_TOC_]]  \n\n## Deux\n";
    for layout in [Layout::Folder, Layout::MkDocs] {
        let r = render_page(body, layout);
        assert!(!r.html.contains("TOC"), "{layout:?}: {}", r.html);
        assert!(!r.sections.iter().any(|s| s.text.contains("TOC")), "{layout:?}");
        assert_eq!(r.headings.len(), 3, "{layout:?}");
    }
    // A marker inside a sentence is text.
    let r = render_page("Avant [TOC] après.\n", Layout::Folder);
    assert!(r.html.contains("Avant [TOC] après."), "{}", r.html);
    // mdBook shows it as written.
    let r = render_page("[TOC]\n\n[[_TOC_]]\n", Layout::MdBook);
    assert!(r.html.contains("<p>[TOC]</p>"), "{}", r.html);
}
