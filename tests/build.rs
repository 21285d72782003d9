//! `vigie build` on fixture knowledge bases: what a user gets on disk.

mod common;

use common::*;

#[test]
fn folder_tree_gives_every_page_and_site_file() {
    let (tmp, kb) = copy_fixture("folder-tree");
    let out = tmp.path().join("out");
    let o = build(&kb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "index.html",
        "404.html",
        "assets/vigie.css",
        "assets/vigie.js",
        "runbooks/index.html",
        "runbooks/nova/index.html",
        "runbooks/nova/redemarrer-nova.html",
        "runbooks/ceph/osd-down.html",
        "architecture/reseau.html",
        "architecture/img/schema.svg",
        "sans-index/index.html",
        "sans-index/sous/index.html",
        "sans-index/sous/page.html",
        "tags/index.html",
        "tags/nova.html",
        "tags/réseau.html",
        "anciens/redemarrer-nova/index.html",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    assert!(
        !out.join("brouillons/idee.html").exists(),
        "a draft page was published"
    );
    // no base_url: no sitemap (it would hold relative addresses), and a note says so
    assert!(!out.join("sitemap.xml").exists());
    assert!(stderr(&o).contains("note: no sitemap.xml"), "{}", stderr(&o));
    // nothing but OUT appeared beside it
    let beside: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
}

#[test]
fn markdown_anchors_links_and_escaping() {
    let (tmp, kb) = copy_fixture("folder-tree");
    let out = tmp.path().join("out");
    assert!(build(&kb, &out, &[]).status.success());
    let html = read(out.join("runbooks/nova/redemarrer-nova.html"));
    // accented anchors kept, duplicates numbered
    assert!(html.contains(r#"<h2 id="durée-de-rétention">"#), "{html}");
    assert!(html.contains(r#"<h2 id="étapes">"#));
    assert!(html.contains(r#"<h2 id="étapes-1">"#));
    // .md and Hugo-style links rewritten to output pages, relative
    assert!(html.contains(r#"href="../ceph/osd-down.html#diagnostic""#));
    assert!(html.contains(r#"href="../../architecture/reseau.html#plan-dadressage""#));
    assert!(html.contains(r#"<a href="../ceph/osd-down.html">lien HTML brut</a>"#));
    assert!(html.contains(r#"src="../../architecture/img/schema.svg""#));
    // template syntax in code is never touched
    assert!(html.contains("{{ .Values.image.repository }}:{{ .Values.image.tag }}"));
    assert!(html.contains("<code>{{ .Release.Name }}</code>"));
    // GFM
    assert!(html.contains(r#"<label class="task"><input disabled="" type="checkbox" checked=""/> "#));
    assert!(html.contains("<del>barré</del>"));
    assert!(html.contains(r#"class="table-wrap""#));
    // footnotes at the end, linked both ways (Python-Markdown's and Hugo's ids)
    assert!(html.contains(r##"<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>"##));
    assert!(html.contains(r#"<li id="fn:1">"#));
    assert!(html.contains(r##"class="footnote-backref" href="#fnref:1""##));
    // front matter values are escaped
    assert!(html.contains("<title>Redémarrer &lt;nova-compute&gt; &amp; co"));
    assert!(!html.contains("<nova-compute>"));
    // header: owner, review, tags, breadcrumbs, current page in the sidebar, previous/next
    assert!(html.contains("equipe-openstack"));
    assert!(html.contains(r#"datetime="2026-10-01""#));
    assert!(html.contains(r##"href="../../tags/nova.html">#nova</a>"##));
    assert!(html.contains(r#"aria-current="page">Redémarrer &lt;nova-compute&gt; &amp; co</a>"#));
    assert!(html.contains(r#"rel="prev""#) && html.contains(r#"rel="next""#));
    // weight orders the section: "Évacuer" (weight 1) before "Redémarrer" (weight 2)
    let section = read(out.join("runbooks/nova/index.html"));
    let a = section.find("Évacuer un hyperviseur").unwrap();
    let b = section.find("Redémarrer &lt;nova-compute&gt;").unwrap();
    assert!(a < b);
    // English page gets English callout titles, French site UI
    let osd = read(out.join("runbooks/ceph/osd-down.html"));
    assert!(osd.contains(
        r#"<div class="callout callout-warning" role="note"><p class="callout-title">Warning</p>"#
    ));
    assert!(osd.contains(r#"<html lang="fr""#) && osd.contains(r#"lang="en""#));
}

#[test]
fn the_site_is_self_contained() {
    let (tmp, kb) = copy_fixture("hugo-site");
    let out = tmp.path().join("out");
    assert!(build(&kb, &out, &[]).status.success());
    for f in files_under(&out) {
        if f.ends_with(".html") || f.ends_with(".css") || f.ends_with(".js") {
            let text = read(out.join(&f));
            for bad in [
                "<script src=\"http",
                "<link rel=\"stylesheet\" href=\"http",
                "@import url(http",
                "fonts.googleapis",
            ] {
                assert!(!text.contains(bad), "{f} loads something from outside: {bad}");
            }
        }
    }
}

#[test]
fn mdbook_book_through_the_mdbook_crates() {
    let (tmp, kb) = copy_fixture("mdbook-book");
    let out = tmp.path().join("out");
    let o = build(&kb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !kb.join("preprocessor-ran.txt").exists(),
        "a book.toml preprocessor command was run"
    );
    assert!(!kb.join("src/preprocessor-ran.txt").exists());
    let intro = read(out.join("index.html"));
    // README.md is the home page: titled by the book alone, its chapters by chapter and book
    assert!(
        intro.contains("<title>Livre d&#39;essai</title>"),
        "book title from book.toml"
    );
    assert!(intro.contains("<h1>Introduction</h1>"));
    assert!(
        intro.contains("Première partie") && intro.contains("Seconde partie"),
        "part titles in the sidebar"
    );
    assert!(
        intro.contains(r#"<span class="nav-number">1.</span>"#),
        "numbering"
    );
    assert!(!intro.contains("Brouillon\n") && !out.join("brouillon.html").exists());
    let un = text_of(&read(out.join("chapitre/un.html")));
    assert!(
        un.contains("ligne deux") && un.contains("ligne trois"),
        "include with a line range"
    );
    assert!(!un.contains("#!/bin/sh"), "line range honoured");
    assert!(un.contains("rm -rf /tmp/essai"), "include by anchor");
    assert!(!un.contains("ANCHOR"), "anchor markers stripped");
    assert!(
        un.contains("{{#include ../code/exemple.sh}}"),
        "escaped include written literally"
    );
    let deux = read(out.join("deux.html"));
    assert!(deux.contains("<title>Chapitre deux · Livre d&#39;essai</title>"));
    // non-ASCII fragments are percent-encoded in href, which browsers decode
    assert!(
        deux.contains(r#"href="chapitre/un.html#r%C3%A9glages-avanc%C3%A9s""#),
        "{deux}"
    );
    let nested = read(out.join("chapitre/imbrique.html"));
    assert!(
        nested.contains(r#"href="../index.html""#),
        "README.md is the book's index.html"
    );
    assert!(
        nested.contains("equipe-doc"),
        "front matter in a chapter is read, not shown"
    );
    assert!(!nested.contains("owner: equipe-doc"));
}

#[test]
fn mdbook_draft_chapters_and_front_matter_errors_in_summary_order() {
    let (tmp, kb) = copy_fixture("mdbook-book");
    let out = tmp.path().join("out");
    // (Links to the drafted chapter are broken meanwhile: warnings.)
    let warn = ["--broken-links", "warn"];
    // A chapter marked draft leaves the book with its sub-chapters, whatever they hold.
    let imbrique = kb.join("src/chapitre/imbrique.md");
    std::fs::write(&imbrique, "---\nkind: inconnu\n---\nTexte.\n").unwrap();
    let un = kb.join("src/chapitre/un.md");
    std::fs::write(&un, format!("---\ndraft: true\n---\n{}", read(&un))).unwrap();
    let o = build(&kb, &out, &warn);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join("chapitre/un.html").exists());
    assert!(!out.join("chapitre/imbrique.html").exists());
    // Published again: the first bad front matter in SUMMARY.md order is the one named.
    std::fs::write(&un, "# Chapitre un\n").unwrap();
    let deux = kb.join("src/deux.md");
    std::fs::write(&deux, "---\nweight: beaucoup\n---\nTexte.\n").unwrap();
    let o = build(&kb, &out, &warn);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("chapitre/imbrique.md:2"), "{}", stderr(&o));
    // A block that is not valid YAML is the chapter's text, as mdBook
    // (which has no front matter) shows it, and said at its line.
    std::fs::write(&imbrique, "---\ntitle: [pas fermé\n---\nTexte.\n").unwrap();
    std::fs::write(&deux, "---\n\nUne règle, puis du texte.\n").unwrap();
    let o = build(&kb, &out, &warn);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "chapitre/imbrique.md:2 warning: the `---` block at the top is not valid YAML front matter"
        ),
        "{}",
        stderr(&o)
    );
    let html = read(out.join("chapitre/imbrique.html"));
    assert!(html.contains("<hr />") && html.contains("pas fermé"), "{html}");
    assert!(read(out.join("deux.html")).contains("<p>Une règle, puis du texte.</p>"));
}

#[test]
fn mdbook_missing_chapter_is_an_error_and_is_not_created() {
    let (tmp, kb) = copy_fixture("mdbook-book");
    let summary = kb.join("src/SUMMARY.md");
    let text = read(&summary) + "- [Manquant](manquant.md)\n";
    std::fs::write(&summary, text).unwrap();
    let o = build(&kb, &tmp.path().join("out"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("SUMMARY.md"), "{}", stderr(&o));
    assert!(
        !kb.join("src/manquant.md").exists(),
        "vigie wrote into the user's book"
    );
}

#[test]
fn mdbook_include_outside_the_book_is_refused() {
    let (tmp, kb) = copy_fixture("mdbook-book");
    std::fs::write(tmp.path().join("secret.txt"), "MOT-DE-PASSE-SECRET").unwrap();
    let chapter = kb.join("src/deux.md");
    std::fs::write(&chapter, read(&chapter) + "\n{{#include ../../secret.txt}}\n").unwrap();
    let out = tmp.path().join("out");
    let o = build(&kb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("src/deux.md:5"), "{}", stderr(&o));
    assert!(stderr(&o).contains("include-outside-root"));
    for f in files_under(&out) {
        assert!(
            !read(out.join(&f)).contains("MOT-DE-PASSE-SECRET"),
            "{f} leaked a file outside the book"
        );
    }
}

#[test]
fn hugo_site_with_shortcodes() {
    let (tmp, kb) = copy_fixture("hugo-site");
    let out = tmp.path().join("out");
    let o = build(&kb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("content/doc/composants.md:44 warning: unknown shortcode `mystere`"),
        "{err}"
    );
    let home = read(out.join("index.html"));
    assert!(
        home.contains("<title>Site Hugo d&#39;essai</title>"),
        "title from hugo.toml"
    );
    assert!(home.contains(r#"<html lang="fr""#), "language from hugo.toml");
    let c = read(out.join("doc/composants.html"));
    assert!(c.contains(
        r#"<div class="callout callout-warning" role="note"><p class="callout-title">Attention</p>"#
    ));
    assert!(
        c.contains("Ne <strong>jamais</strong>"),
        "inner Markdown rendered"
    );
    assert!(c.contains(r#"<div class="steps">"#));
    assert!(c.contains(r#"data-tab="Debian""#) && c.contains(r#"data-tab="Alpine""#));
    assert!(c.contains(r#"<div class="card">"#) && c.contains(r#"href="bien-commencer/index.html""#));
    assert!(c.contains("<summary>Plus de détails</summary>"));
    assert!(c.contains(r#"callout callout-note"#), "hint info");
    assert!(
        c.contains("Contenu <strong>gardé</strong>"),
        "unknown shortcode keeps its inner Markdown"
    );
    assert!(c.contains("Astuce de pro"), "!!! admonition");
    assert!(c.contains(r#"href="composants.html""#), "relref");
    assert!(c.contains("{{ .Values.image }}"), "code untouched");
    assert!(c.contains("{{&lt; callout &gt;}}"), "shortcode in code untouched");
    let start = read(out.join("doc/bien-commencer/index.html"));
    assert!(
        start.contains("https://git.example.org/docs"),
        "param from hugo.toml"
    );
    assert!(
        out.join("doc/bien-commencer/logo.svg").is_file(),
        "page bundle resource copied"
    );
    assert!(out.join("images/statique.svg").is_file(), "static/ copied");
    let doc = read(out.join("doc/index.html"));
    assert!(
        doc.contains(r#"href="bien-commencer/index.html""#),
        "Hugo-style relative link"
    );
}

#[test]
fn broken_link_fails_and_keeps_the_previous_site() {
    let (tmp, kb) = copy_fixture("folder-tree");
    let out = tmp.path().join("out");
    assert!(build(&kb, &out, &[]).status.success());
    let before = read(out.join("index.html"));
    let page = kb.join("runbooks/nova/evacuer.md");
    std::fs::write(
        &page,
        read(&page) + "\nVoir [la procédure](../ceph/osd-dwn.md) et [ici](redemarrer-nova.md#etapes).\n",
    )
    .unwrap();
    std::fs::write(kb.join("_index.md"), "---\ntitle: Changé\n---\nNouveau.\n").unwrap();
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("runbooks/nova/evacuer.md:8:6 error: link `../ceph/osd-dwn.md`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `../ceph/osd-down.md` (OSD down)?"),
        "{err}"
    );
    assert!(err.contains("did you mean `redemarrer-nova.md#étapes`?"), "{err}");
    assert_eq!(
        read(out.join("index.html")),
        before,
        "the previous site was replaced"
    );
    // the same build as a warning
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(read(out.join("index.html")).contains("Nouveau."));
}

#[test]
fn bad_front_matter_is_exit_2_with_file_and_line() {
    let (tmp, kb) = copy_fixture("folder-tree");
    let out = tmp.path().join("out");
    assert!(build(&kb, &out, &[]).status.success());
    let before = read(out.join("index.html"));
    std::fs::write(
        kb.join("runbooks/ceph/osd-down.md"),
        "---\ntitle: OSD\nreviewed: hier\n---\nx\n",
    )
    .unwrap();
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("runbooks/ceph/osd-down.md:3: invalid front matter: `reviewed`"),
        "{err}"
    );
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    assert_eq!(read(out.join("index.html")), before);
    // unclosed YAML
    std::fs::write(
        kb.join("runbooks/ceph/osd-down.md"),
        "---\ntitle: [oops\n---\nx\n",
    )
    .unwrap();
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("runbooks/ceph/osd-down.md:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let (tmp, kb) = copy_fixture("folder-tree");
    let precious = tmp.path().join("precious");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("thesis.odt"), "years of work").unwrap();
    let o = build(&kb, &precious, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not written by vigie"), "{}", stderr(&o));
    assert_eq!(read(precious.join("thesis.odt")), "years of work");
}

#[test]
fn usage_errors_are_exit_2() {
    assert_eq!(vigie(&["build", "/definitely/not/here"]).status.code(), Some(2));
    assert_eq!(vigie(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(vigie(&["--version"]).status.code(), Some(0));
}

#[test]
fn build_report_snapshot() {
    let (tmp, kb) = copy_fixture("folder-tree");
    let page = kb.join("architecture/reseau.md");
    std::fs::write(
        &page,
        read(&page) + "\n[x](nulle-part.md) [y](#plan-d-adressage)\n",
    )
    .unwrap();
    let o = build(&kb, &tmp.path().join("out"), &[]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&o));
}

#[test]
fn material_syntax_renders_without_leftovers() {
    let (tmp, kb) = copy_fixture("material-syntax");
    let out = tmp.path().join("out");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // a link inside a details block inside an admonition inside a list item
    // is reported at its own line of the source file
    assert!(
        stderr(&o).contains("upgrade.md:13:71 "),
        "the broken link names its line: {}",
        stderr(&o)
    );
    let html = read(out.join("upgrade.html"));
    let content = &html
        [html.find("<div class=\"content\">").expect("content")..html.find("</main>").expect("end of main")];
    // outside code, no source syntax is left
    let mut outside_code = String::new();
    for (i, part) in content.split("<pre").enumerate() {
        let part = if i == 0 {
            part
        } else {
            part.split_once("</pre>").map_or("", |(_, rest)| rest)
        };
        for (j, piece) in part.split("<code").enumerate() {
            outside_code.push_str(if j == 0 {
                piece
            } else {
                piece.split_once("</code>").map_or("", |(_, rest)| rest)
            });
        }
    }
    for raw in ["!!!", "???", "===", "markdown>", "{ #"] {
        assert!(!outside_code.contains(raw), "`{raw}` left in: {content}");
    }
    // the admonition stays in step 1, with step 1's last paragraph after it
    let step1 = content.find("Back up the database").expect("step 1");
    let warning = content.find("callout callout-warning").expect("the warning");
    let details = content
        .find("<details class=\"callout callout-note\">")
        .expect("the details");
    let then = content.find("Then run the dump").expect("rest of step 1");
    let step2 = content.find("Pick your platform").expect("step 2");
    assert!(
        step1 < warning && warning < details && details < then && then < step2,
        "{content}"
    );
    assert_eq!(content.matches("<ol>").count(), 1, "one list: {content}");
    // tabs, md_in_html, definition list, heading id, literal syntax in code
    assert!(content.contains("data-tab=\"Debian\"") && content.contains("data-tab=\"Alpine\""));
    assert!(content.contains("<div class=\"grid\">\n<p><strong>Queues</strong> are drained first.</p>"));
    assert!(content.contains("<dt>Queue</dt>"));
    assert!(content.contains("<h2 id=\"workers-and-queues\">"));
    assert!(content.contains("!!! note\n    Written literally."));
    assert!(content.contains("<code>!!! note</code>"));
}

#[test]
fn an_overridden_navigation_macro_writes_the_navigation() {
    // The sidebar is written without the template engine, as the theme's
    // own `nav_tree` macro writes it; a site with its own `macros.html`
    // gets its own macro's navigation.
    let (tmp, kb) = copy_fixture("folder-tree");
    let theirs = std::fs::read_to_string("templates/macros.html")
        .unwrap()
        .replacen(
            "<ul class=\"nav-list\">",
            "<ul class=\"nav-list\" data-theirs=\"yes\">",
            1,
        );
    std::fs::create_dir_all(kb.join("templates")).unwrap();
    std::fs::write(kb.join("templates/macros.html"), theirs).unwrap();
    let out = tmp.path().join("out");
    let o = build(&kb, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = read(out.join("runbooks/nova/evacuer.html"));
    assert!(
        page.contains("<ul class=\"nav-list\" data-theirs=\"yes\">"),
        "{page}"
    );
    let home = read(out.join("index.html"));
    assert!(home.contains("data-theirs=\"yes\""), "{home}");
}

#[test]
fn a_stylesheet_with_the_old_code_classes_is_a_warning() {
    // A copy of `vigie.css` from before code got one class per kind of
    // token still builds, and says why its code has no colours; a copy of
    // the current file says nothing.
    let (tmp, kb) = copy_fixture("folder-tree");
    std::fs::create_dir_all(kb.join("templates/assets")).unwrap();
    let css = kb.join("templates/assets/vigie.css");
    std::fs::write(
        &css,
        ":root { --accent: #8a1538; }\n\n.hl-comment { color: gray; }\n.hl-string { color: green; }\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = build(&kb, &out, &[]);
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{text}");
    assert!(text.contains("templates/assets/vigie.css:3"), "{text}");
    assert!(text.contains("[theme-outdated]"), "{text}");
    std::fs::copy("templates/assets/vigie.css", &css).unwrap();
    let o = build(&kb, &out, &[]);
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{text}");
    assert!(!text.contains("theme-outdated"), "{text}");
}

#[test]
fn timings_name_every_stage_with_its_time_processor_and_memory() {
    let (tmp, kb) = copy_fixture("folder-tree");
    let out = tmp.path().join("out");
    let o = build(&kb, &out, &["--timings"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    for stage in [
        "load pages",
        "theme, courses, freshness set-up",
        "render and write pages",
        "check links",
        "freshness",
        "write the rest and the search index",
        "total",
    ] {
        let line = err
            .lines()
            .find(|l| l.starts_with(stage))
            .unwrap_or_else(|| panic!("no `{stage}` line in:\n{err}"));
        assert!(line.contains(" s "), "{line}");
        if stage != "total" {
            assert!(line.trim_end().ends_with("MB"), "memory after the stage: {line}");
        }
    }
    assert!(
        err.lines().any(|l| l.starts_with("total") && l.contains("peak")),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("stage") && l.contains("CPU") && l.contains("cores")),
        "{err}"
    );
    // Rendering and the whole build say the processor time they took; a
    // stage that ran beside another (`of which …`) says its wall time only.
    let seconds = |stage: &str| -> Vec<f64> {
        let line = err.lines().find(|l| l.starts_with(stage)).unwrap();
        let words: Vec<&str> = line[stage.len()..].split_whitespace().collect();
        words
            .windows(2)
            .filter(|w| w[1] == "s")
            .map(|w| w[0].parse().unwrap())
            .collect()
    };
    for stage in ["render and write pages", "total"] {
        let times = seconds(stage);
        assert_eq!(times.len(), 2, "wall and CPU on `{stage}`:\n{err}");
        assert!(times[1] > 0.0, "CPU of `{stage}`:\n{err}");
        // Then the cores kept busy: CPU over wall, as printed (rounded).
        let line = err.lines().find(|l| l.starts_with(stage)).unwrap();
        let cores: f64 = line[stage.len()..]
            .split_whitespace()
            .nth(4)
            .unwrap()
            .parse()
            .unwrap();
        if times[0] >= 0.01 {
            let ratio = times[1] / times[0];
            assert!(
                (cores - ratio).abs() <= 0.05 * ratio + 0.1,
                "cores {cores} for {ratio}: {line}"
            );
        }
    }
    assert_eq!(seconds("  of which pages").len(), 1, "{err}");
    assert!(!String::from_utf8_lossy(&build(&kb, &out, &[]).stderr).contains("render and write pages"));
}

/// A build cuts each section's text to what results show once analysed; one
/// that refreshes the `vigie search` cache keeps it all. The browser's index
/// is the same either way.
#[test]
fn the_search_index_does_not_depend_on_the_text_a_build_keeps() {
    let (tmp, kb) = copy_fixture("search-kb");
    let files = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir.join("search"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        out.sort();
        out
    };
    let cut = tmp.path().join("cut");
    assert!(build(&kb, &cut, &[]).status.success());
    std::fs::create_dir_all(kb.join(".vigie/search-index")).unwrap();
    let whole = tmp.path().join("whole");
    assert!(build(&kb, &whole, &[]).status.success());
    let cache = std::fs::read_dir(kb.join(".vigie/search-index")).unwrap().count();
    assert!(cache > 0, "the second build refreshed the vigie search cache");
    let (a, b) = (files(&cut), files(&whole));
    assert!(a.len() > 3, "{a:?}");
    assert_eq!(a.len(), b.len());
    for ((name_a, bytes_a), (name_b, bytes_b)) in a.iter().zip(&b) {
        assert_eq!(name_a, name_b);
        assert!(bytes_a == bytes_b, "{name_a} differs");
    }
}

#[test]
fn files_beside_the_pages_are_published_as_mkdocs_and_mdbook_publish_them() {
    let tmp = tempfile::tempdir().unwrap();
    // MkDocs: every file of the docs folder that is not Markdown.
    let mk = tmp.path().join("mk");
    std::fs::create_dir_all(mk.join("docs/assets")).unwrap();
    std::fs::create_dir_all(mk.join("docs/.git")).unwrap();
    std::fs::write(
        mk.join("mkdocs.yml"),
        "site_name: Docs\nextra_css:\n  - assets/extra.css\n",
    )
    .unwrap();
    std::fs::write(
        mk.join("docs/index.md"),
        "# Home\n\nThe home page of the documentation.\n",
    )
    .unwrap();
    std::fs::write(mk.join("docs/CNAME"), "docs.example.org\n").unwrap();
    std::fs::write(mk.join("docs/robots.txt"), "User-agent: *\n").unwrap();
    std::fs::write(mk.join("docs/assets/extra.css"), "body {}\n").unwrap();
    std::fs::write(mk.join("docs/.git/config"), "[core]\n").unwrap();
    std::fs::write(mk.join("docs/index.html"), "<p>old</p>\n").unwrap();
    let out = tmp.path().join("mk-out");
    let o = build(&mk, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(out.join("CNAME")), "docs.example.org\n");
    assert!(out.join("robots.txt").is_file() && out.join("assets/extra.css").is_file());
    assert!(!out.join(".git").exists(), "hidden folders stay out");
    // A file at a page's address: the page wins, and that is said.
    assert!(read(out.join("index.html")).contains("The home page"));
    assert!(
        stderr(&o).contains("docs/index.html:1 warning: `index.html` is the address of a page"),
        "{}",
        stderr(&o)
    );
    // mdBook: every file of src/ that is not Markdown.
    let book = tmp.path().join("book");
    std::fs::create_dir_all(book.join("src")).unwrap();
    std::fs::write(book.join("book.toml"), "[book]\ntitle = \"B\"\n").unwrap();
    std::fs::write(book.join("src/SUMMARY.md"), "# Summary\n\n- [C](c.md)\n").unwrap();
    std::fs::write(book.join("src/c.md"), "# C\n").unwrap();
    std::fs::write(book.join("src/CNAME"), "book.example.org\n").unwrap();
    let out = tmp.path().join("book-out");
    let o = build(&book, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(out.join("CNAME")), "book.example.org\n");
    assert!(!out.join("SUMMARY.md").exists() && !out.join("c.md").exists());
}

#[test]
fn an_include_inside_an_include_that_is_missing_or_goes_round_is_said() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    std::fs::create_dir_all(book.join("src")).unwrap();
    std::fs::write(book.join("book.toml"), "[book]\ntitle = \"I\"\n").unwrap();
    std::fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [A](a.md)\n- [B](b.md)\n",
    )
    .unwrap();
    std::fs::write(book.join("src/a.md"), "# A\n\n{{#include frag.md}}\n").unwrap();
    std::fs::write(book.join("src/frag.md"), "Fragment.\n\n{{#include nothere.md}}\n").unwrap();
    std::fs::write(book.join("src/b.md"), "# B\n\n{{#include c.md}}\n").unwrap();
    std::fs::write(book.join("src/c.md"), "Texte de C.\n\n{{#include b.md}}\n").unwrap();
    let out = tmp.path().join("out");
    let o = build(&book, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("src/a.md:3 warning: `{{#include frag.md}}`: src/frag.md includes src/nothere.md, which does not exist"),
        "{err}"
    );
    assert!(
        err.contains("src/b.md:3 warning: `{{#include c.md}}` leads back to src/b.md"),
        "{err}"
    );
    assert!(read(out.join("a.html")).contains("Fragment."));
    assert_eq!(
        read(out.join("b.html")).matches("Texte de C").count(),
        0,
        "not repeated"
    );
}

#[test]
fn a_book_toml_value_of_the_wrong_type_is_named_at_its_own_line() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    std::fs::create_dir_all(book.join("src")).unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[output.html]\nmathjax-support = true\n\n[preprocessor.foo]\ncommand = \"foo\"\n\n[book]\ntitle = \"T\"\nauthors = \"moi\"\n",
    )
    .unwrap();
    std::fs::write(book.join("src/SUMMARY.md"), "# Summary\n\n- [C](c.md)\n").unwrap();
    std::fs::write(book.join("src/c.md"), "# C\n").unwrap();
    let o = build(&book, &tmp.path().join("out"), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("book.toml:9: invalid configuration: a list (`[\"a\", \"b\"]`) is expected here, not the text \"moi\""),
        "{err}"
    );
}

#[test]
fn a_book_redirect_is_written_where_no_page_is_and_said_when_it_leads_nowhere() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    std::fs::create_dir_all(book.join("src/guide")).unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"T\"\n\n[output.html.redirect]\n\"/old/setup.html\" = \"../guide/setup.html#steps\"\n\"/gone.html\" = \"guide/nothing.html\"\n\"/guide/setup.html\" = \"../index.html\"\n\"/old/setup.html#x\" = \"../guide/setup.html#y\"\n",
    )
    .unwrap();
    std::fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [Intro](README.md)\n- [Setup](guide/setup.md)\n",
    )
    .unwrap();
    std::fs::write(book.join("src/README.md"), "# Intro\n").unwrap();
    std::fs::write(book.join("src/guide/setup.md"), "# Setup\n\n## Steps\n").unwrap();
    let out = tmp.path().join("out");
    let o = build(&book, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let moved = read(out.join("old/setup.html"));
    assert!(moved.contains("url=../guide/setup.html#steps"), "{moved}");
    assert!(read(out.join("gone.html")).contains("url=guide/nothing.html"));
    // The page there stays; each problem is said at its line.
    assert!(read(out.join("guide/setup.html")).contains("Steps"));
    assert!(err.contains("book.toml:6 warning: redirect `/gone.html` leads to `guide/nothing.html`, which is no page of the site"), "{err}");
    assert!(
        err.contains(
            "book.toml:7 warning: redirect `/guide/setup.html` is the address of src/guide/setup.md"
        ),
        "{err}"
    );
    assert!(!err.contains("/old/setup.html"), "{err}");
}

#[test]
fn a_chapter_title_directive_is_the_whole_browser_title_as_mdbook_writes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    std::fs::create_dir_all(book.join("src")).unwrap();
    std::fs::write(book.join("book.toml"), "[book]\ntitle = \"Livre\"\n").unwrap();
    std::fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [A](a.md)\n- [B](b.md)\n",
    )
    .unwrap();
    std::fs::write(
        book.join("src/a.md"),
        "{{#title Astreinte <nuit>}}\n# A\n\nTexte.\n",
    )
    .unwrap();
    std::fs::write(book.join("src/b.md"), "# B\n").unwrap();
    let out = tmp.path().join("out");
    let o = build(&book, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let a = read(out.join("a.html"));
    assert!(a.contains("<title>Astreinte &lt;nuit&gt;</title>"), "{a}");
    assert!(!a.contains("{{#title"), "{a}");
    assert!(read(out.join("b.html")).contains("<title>B · Livre</title>"));
}
