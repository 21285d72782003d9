//! Sites as they are: every knowledge base of ../shared/corpora builds
//! unchanged (exit 0), no source syntax of its tool is left in the HTML, every
//! entry of its navigation file is a page, and its link findings are exactly
//! the recorded ones in tests/compat/, each of which was checked by hand (a
//! false positive gets fixed, never recorded). Then small fixtures: an MkDocs
//! project and a French Hugo site with a repeated front-matter key.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Source syntax that must never reach a page outside code.
const RAW: &[&str] = &["{{<", "{{%", "!!!", "???", "===", "--8<--", "{{#", "{!"];

struct Built {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    findings: Vec<serde_json::Value>,
}

fn build_corpus(root: &Path) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(root, &out, &["--format", "json", "--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{} does not build:\n{err}",
        root.display()
    );
    let end = err.rfind("}\n").map(|i| i + 2).expect("a JSON report");
    let report: serde_json::Value = serde_json::from_str(&err[..end]).expect("JSON report");
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    Built {
        _tmp: tmp,
        out,
        findings,
    }
}

/// The HTML of `html` outside `<pre>`, `<code>`, `<script>`, `<style>`.
fn outside_code(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    'scan: while !rest.is_empty() {
        for tag in ["pre", "code", "script", "style", "textarea"] {
            let open = format!("<{tag}");
            if rest.starts_with(&open)
                && rest[open.len()..].starts_with(|c: char| c == '>' || c.is_whitespace())
            {
                let close = format!("</{tag}>");
                match rest.find(&close) {
                    Some(i) => rest = &rest[i + close.len()..],
                    None => rest = "",
                }
                continue 'scan;
            }
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Pages (relative paths) holding raw syntax outside code, with the token,
/// except where the build reported a missing include on that page (the tool
/// leaves those as written too).
fn raw_syntax(b: &Built) -> Vec<String> {
    let excused: Vec<String> = b
        .findings
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.contains("include")))
        .filter_map(|f| f["page"].as_str())
        .map(|p| {
            p.rsplit('/')
                .next()
                .unwrap_or(p)
                .trim_end_matches(".md")
                .to_string()
        })
        .collect();
    let mut found = Vec::new();
    for file in files_under(&b.out) {
        if !file.ends_with(".html") {
            continue;
        }
        let stem = file
            .rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches(".html")
            .to_string();
        let html = outside_code(&read(b.out.join(&file)));
        for token in RAW {
            if html.contains(token) && !excused.contains(&stem) {
                found.push(format!("{file}: {token}"));
            }
        }
    }
    found
}

/// `page:line rule target` for every link finding, sorted.
fn link_findings(b: &Built) -> Vec<String> {
    let mut out: Vec<String> = b
        .findings
        .iter()
        .filter(|f| {
            f["rule"]
                .as_str()
                .is_some_and(|r| r.starts_with("broken-") || r == "unknown-scheme")
        })
        .map(|f| {
            format!(
                "{}:{} {} {}",
                f["page"].as_str().unwrap_or(""),
                f["line"],
                f["rule"].as_str().unwrap_or(""),
                f["target"].as_str().unwrap_or("")
            )
        })
        .collect();
    out.sort();
    out
}

/// The recorded link findings of `name` (tests/compat/NAME.findings: one per
/// line, then ` -- ` and why it is truly broken; `#` lines are comments).
fn recorded(name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/compat/{name}.findings"));
    let mut out: Vec<String> = read(&path)
        .lines()
        .map(|l| l.split(" -- ").next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    out.sort();
    out
}

fn check_corpus(name: &str, dir: &str) -> Option<Built> {
    let root = corpus(dir)?;
    let b = build_corpus(&root);
    assert_eq!(
        raw_syntax(&b),
        Vec::<String>::new(),
        "{name}: source syntax left in the HTML"
    );
    assert_eq!(
        link_findings(&b),
        recorded(name),
        "{name}: link findings differ from tests/compat/{name}.findings"
    );
    Some(b)
}

/// The output page of a source path as vigie writes it.
fn page_of(rel: &str) -> String {
    let (dir, file) = rel
        .rsplit_once('/')
        .map(|(d, f)| (format!("{d}/"), f))
        .unwrap_or((String::new(), rel));
    match file {
        "index.md" | "README.md" | "_index.md" => format!("{dir}index.html"),
        f => format!("{dir}{}.html", f.trim_end_matches(".md")),
    }
}

#[test]
fn argo_cd_docs_build_as_mkdocs_builds_them() {
    let Some(b) = check_corpus("argo-cd-docs", "argo-cd-docs") else {
        return;
    };
    let root = corpus("argo-cd-docs").unwrap();
    let yml = read(root.join("mkdocs.yml"));
    let mut missing = Vec::new();
    let mut entries = 0;
    for line in yml.lines() {
        let t = line.trim().trim_start_matches("- ");
        let path = t.rsplit(": ").next().unwrap_or(t).trim();
        if path.ends_with(".md") && !path.contains("://") {
            entries += 1;
            if !b.out.join(page_of(path)).is_file() {
                missing.push(path.to_string());
            }
        }
    }
    assert!(entries > 200, "{entries} nav entries read");
    assert_eq!(missing, Vec::<String>::new(), "nav entries without a page");
    // the four proposals whose front matter MkDocs ignores are built too
    let ignored: Vec<&str> = b
        .findings
        .iter()
        .filter(|f| f["rule"] == "ignored-front-matter")
        .filter_map(|f| f["page"].as_str())
        .collect();
    assert_eq!(ignored.len(), 4, "{ignored:?}");
    assert!(b.out.join("proposals/headless-argocd.html").is_file());
    // site_name is the title
    let home = read(b.out.join("index.html"));
    assert!(home.contains("Argo CD - Declarative GitOps CD for Kubernetes"));
    // an English project without a language speaks English
    assert!(home.contains("<html lang=\"en\""));
    // `- Overview: operator-manual/high_availability.md`: the page keeps its
    // own `# High Availability` as its heading, the nav label is the
    // sidebar's and the tab's, and the home page listed first in `nav`
    // (`- Overview: index.md`) does not hold the sidebar again
    let ha = read(b.out.join("operator-manual/high_availability.html"));
    assert_eq!(ha.matches("<h1").count(), 1, "one heading");
    assert!(ha.contains(">High Availability</h1>"), "the page's own heading");
    assert!(ha.contains("<title>Overview · "), "the nav label in the tab");
    let sidebar = &ha[ha.find("id=\"sidebar\"").unwrap()..ha.find("</nav>").unwrap()];
    assert_eq!(
        sidebar.matches("high_availability.html\"").count(),
        1,
        "listed once"
    );
    // `- User Guide: [user-guide/index.md, …]`: the group is that page, not
    // a listing made up beside it at user-guide/user-guide/
    assert!(!b.out.join("user-guide/user-guide").exists());
    assert!(!b.out.join("operator-manual-2").exists());
    // `- Blog ⧉: https://blog.argoproj.io/`: listed where nav lists it
    assert!(
        sidebar.contains("href=\"https://blog.argoproj.io/\">Blog ⧉</a>"),
        "{sidebar}"
    );
}

#[test]
fn mdbook_guide_builds_unchanged() {
    let Some(b) = check_corpus("mdbook-guide", "mdbook-guide/guide") else {
        return;
    };
    let root = corpus("mdbook-guide/guide").unwrap();
    let summary = read(root.join("src/SUMMARY.md"));
    for link in summary.split("](").skip(1) {
        let target = link.split(')').next().unwrap();
        if target.ends_with(".md") {
            assert!(
                b.out.join(page_of(target)).is_file(),
                "SUMMARY.md entry {target} has no page"
            );
        }
    }
    // `- [build](cli/build.md)`: the chapter shows its own `# The build
    // command`, once, as mdBook does; SUMMARY's name is the tab's
    let build = read(b.out.join("cli/build.html"));
    assert_eq!(build.matches("<h1").count(), 1, "one heading");
    assert!(
        build.contains("The build command</h1>"),
        "the chapter's own heading"
    );
    assert!(build.contains("<title>build · "));
}

#[test]
fn openshift_runbooks_build_unchanged() {
    check_corpus("openshift-runbooks", "openshift-runbooks");
}

#[test]
fn prometheus_operator_runbooks_build_unchanged() {
    check_corpus("prometheus-operator-runbooks", "prometheus-operator-runbooks");
}

#[test]
fn an_mkdocs_project_is_read_from_its_mkdocs_yml() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("mkdocs-project"), &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // docs_dir, site_name, theme.language
    let home = read(out.join("index.html"));
    assert!(home.contains("Plateforme de l&#39;association") || home.contains("Plateforme de l'association"));
    assert!(home.contains("lang=\"fr\""), "the theme's language is the site's");
    // nav: the titled section is a page listing its entries in nav order,
    // with the titles nav gives
    let section = read(out.join("exploitation/index.html"));
    let a = section.find("Redémarrer un service").expect("first entry");
    let b = section
        .find("Sauvegardes nocturnes")
        .expect("second entry, titled by nav");
    assert!(a < b, "nav order");
    // pages outside nav are still built; front matter that is not valid
    // YAML does not stop the page: it is its text, as MkDocs shows it
    assert!(out.join("extras/hors-nav.html").is_file());
    let backups = read(out.join("exploitation/sauvegardes.html"));
    assert!(backups.contains("Les sauvegardes tournent la nuit."));
    assert!(backups.contains("<hr />"), "{backups}");
    assert!(
        err.contains(
            "documentation/exploitation/sauvegardes.md:5 warning: the `---` block at the top is not valid YAML front matter"
        ),
        "{err}"
    );
    // snippets are expanded from inside the project
    let page = read(out.join("exploitation/redemarrer.html"));
    assert!(page.contains("prévenir l&#39;astreinte") || page.contains("prévenir l'astreinte"));
    assert!(!page.contains("--8&lt;--") && !page.contains("--8<--"));
    // what vigie does not render, and nav entries that name nothing, are one warning each
    // (`pymdownx.emoji`, line 14, is rendered: no warning)
    assert!(!err.contains("`pymdownx.emoji`"), "{err}");
    assert!(
        err.contains("mkdocs.yml:16 warning: Markdown extension `custom_tables.extension`"),
        "{err}"
    );
    assert!(
        err.contains("mkdocs.yml:23 warning: `nav` names absent.md"),
        "{err}"
    );
}

#[test]
fn a_snippet_outside_the_project_is_not_read() {
    let (_tmp, kb) = copy_fixture("mkdocs-project");
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "SECRET-CANARY\n").unwrap();
    let page = kb.join("documentation/extras/hors-nav.md");
    std::fs::write(
        &page,
        format!(
            "# Hors nav\n\n--8<-- \"{}\"\n\n--8<-- \"../../../etc/hostname\"\n",
            secret.path().display()
        ),
    )
    .unwrap();
    let out = kb.join("../site");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!read(out.join("extras/hors-nav.html")).contains("SECRET-CANARY"));
    assert!(err.contains("[missing-include]"), "{err}");
}

#[test]
fn a_finding_below_a_snippet_names_its_own_line_and_one_inside_names_the_snippet_line() {
    let (_tmp, kb) = copy_fixture("mkdocs-project");
    std::fs::write(
        kb.join("snippets/etapes.md"),
        "Étape un.\n\nÉtape deux : [voir](absente-dedans.md).\n\nÉtape trois.\n",
    )
    .unwrap();
    // line 3: the snippet (five lines); line 5: a link below it
    std::fs::write(
        kb.join("documentation/extras/hors-nav.md"),
        "# Hors nav\n\n--8<-- \"snippets/etapes.md\"\n\nVoir [la suite](absente-dessous.md).\n",
    )
    .unwrap();
    let out = kb.join("../site");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(read(out.join("extras/hors-nav.html")).contains("Étape trois."));
    assert!(
        err.contains("documentation/extras/hors-nav.md:5:6 warning: link `absente-dessous.md`"),
        "{err}"
    );
    // the link inside the snippet is shown where it is written
    assert!(
        err.contains("snippets/etapes.md:3:14 warning: link `absente-dedans.md`"),
        "{err}"
    );
}

#[test]
fn a_finding_below_an_mdbook_include_names_its_own_line() {
    let (_tmp, kb) = copy_fixture("mdbook-book");
    std::fs::write(
        kb.join("src/partage.md"),
        "Un.\n\nDeux : [voir](absente-dedans.md).\n\nTrois.\n",
    )
    .unwrap();
    // front matter on lines 1-3; line 6: the include (five lines), with a
    // code block's include on line 9; line 12: a link below them; line
    // 15: a line that makes the one above it a definition list term
    std::fs::write(
        kb.join("src/deux.md"),
        "---\nowner: equipe\n---\n# Chapitre deux\n\n{{#include partage.md}}\n\n```sh\n{{#include code/exemple.sh}}\n```\n\nVoir [la suite](absente-dessous.md).\n\nTexte.\n:bulb: astuce\n",
    )
    .unwrap();
    let out = kb.join("../book");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(read(out.join("deux.html")).contains("Trois."));
    assert!(
        err.contains("src/deux.md:12:6 warning: link `absente-dessous.md`"),
        "{err}"
    );
    assert!(
        err.contains("src/deux.md:15 warning: `:bulb:` at the start"),
        "{err}"
    );
    assert!(
        err.contains("src/partage.md:3:8 warning: link `absente-dedans.md`")
            && err.contains("included by src/deux.md"),
        "{err}"
    );
}

#[test]
fn a_finding_below_a_hugo_readfile_names_its_own_line() {
    let (tmp, kb) = small_site(&[
        ("hugo.toml", "title = \"H\"\n"),
        ("content/includes/steps.md", "One.\n\nTwo.\n\nThree.\n\nFour.\n"),
    ]);
    // line 4: the file read (seven lines); line 6: a shortcode nobody defined; line 8: a broken link
    std::fs::write(
        kb.join("content/a.md"),
        "---\ntitle: A\n---\n{{< readfile file=\"/includes/steps.md\" >}}\n\n{{< nobody >}}\n\nSee [gone](/gone/).\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(read(out.join("a.html")).contains("<p>Four.</p>"));
    assert!(err.contains("content/a.md:6 warning: "), "{err}");
    assert!(err.contains("content/a.md:8:5 warning: link `/gone/`"), "{err}");
}

#[test]
fn the_sites_own_stylesheets_and_scripts_are_copied_and_loaded_after_the_themes() {
    // MkDocs: `extra_css` and `extra_javascript` from the docs folder, and URLs as they are
    let (_tmp, kb) = copy_fixture("mkdocs-project");
    std::fs::create_dir_all(kb.join("documentation/stylesheets")).unwrap();
    std::fs::create_dir_all(kb.join("documentation/javascripts")).unwrap();
    std::fs::write(
        kb.join("documentation/stylesheets/extra.css"),
        ".badge { color: red }\n",
    )
    .unwrap();
    std::fs::write(kb.join("documentation/javascripts/extra.js"), "console.log(1);\n").unwrap();
    std::fs::write(kb.join("documentation/javascripts/init.mjs"), "export {};\n").unwrap();
    let yml = std::fs::read_to_string(kb.join("mkdocs.yml")).unwrap();
    std::fs::write(
        kb.join("mkdocs.yml"),
        format!(
            "{yml}extra_css:\n  - stylesheets/extra.css\n  - https://cdn.example.org/fonts.css\n  - stylesheets/absent.css\n\
             extra_javascript:\n  - javascripts/extra.js\n  - path: javascripts/init.mjs\n  - path: https://cdn.example.org/diagrams.js\n    defer: true\n  - javascripts/absent.js\n"
        ),
    )
    .unwrap();
    let out = kb.join("../site");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(read(out.join("stylesheets/extra.css")), ".badge { color: red }\n");
    let page = read(out.join("exploitation/redemarrer.html"));
    let theme = page.find("assets/vigie.css").expect("the theme's stylesheet");
    let own = page
        .find("<link rel=\"stylesheet\" href=\"../stylesheets/extra.css\">")
        .expect("the site's stylesheet, from the page's folder");
    assert!(theme < own, "the site's rules come after the theme's");
    assert!(page.contains("<link rel=\"stylesheet\" href=\"https://cdn.example.org/fonts.css\">"));
    assert!(!page.contains("absent.css"), "{page}");
    let line = yml.lines().count() + 4;
    assert!(
        err.contains(&format!(
            "mkdocs.yml:{line} warning: stylesheet `documentation/stylesheets/absent.css` does not exist"
        )),
        "{err}"
    );
    // the site's scripts after the theme's, each as its entry says
    assert_eq!(read(out.join("javascripts/extra.js")), "console.log(1);\n");
    let theme = page.find("assets/vigie.js").expect("the theme's script");
    let own = page
        .find("<script src=\"../javascripts/extra.js\"></script>")
        .expect("the site's script, from the page's folder");
    assert!(theme < own, "the site's scripts run after the theme's");
    assert!(page.contains("<script src=\"../javascripts/init.mjs\" type=\"module\"></script>"));
    assert!(page.contains("<script src=\"https://cdn.example.org/diagrams.js\" defer></script>"));
    assert!(!page.contains("absent.js"), "{page}");
    // pages of the templates too
    assert!(read(out.join("404.html")).contains("javascripts/extra.js\"></script>"));
    assert!(
        err.contains(&format!(
            "mkdocs.yml:{} warning: script `documentation/javascripts/absent.js` does not exist",
            line + 6
        )),
        "{err}"
    );

    // mdBook: `additional-css`, a path from the book's root, written there
    let (_tmp, kb) = copy_fixture("mdbook-book");
    std::fs::create_dir_all(kb.join("theme")).unwrap();
    std::fs::write(kb.join("theme/custom.css"), "h1 { color: teal }\n").unwrap();
    let toml = std::fs::read_to_string(kb.join("book.toml")).unwrap();
    std::fs::write(
        kb.join("book.toml"),
        toml.replace(
            "[output.html]\n",
            "[output.html]\nadditional-css = [\"theme/custom.css\"]\nadditional-js = [\"theme/custom.js\"]\n",
        ),
    )
    .unwrap();
    std::fs::write(kb.join("theme/custom.js"), "console.log(2);\n").unwrap();
    let out = kb.join("../book");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(out.join("theme/custom.css")), "h1 { color: teal }\n");
    assert!(read(out.join("index.html")).contains("<link rel=\"stylesheet\" href=\"theme/custom.css\">"));
    assert_eq!(read(out.join("theme/custom.js")), "console.log(2);\n");
    assert!(read(out.join("index.html")).contains("<script src=\"theme/custom.js\"></script>"));
}

#[test]
fn a_french_hugo_site_with_a_repeated_key_builds_with_a_warning_naming_both_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("hugo-fr"), &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("content/_index.md:6 warning: front matter key `type` is given twice, on lines 3 and 6"),
        "{err}"
    );
    assert!(
        !err.contains("DuplicateKeyPolicy") && !err.contains("Options"),
        "{err}"
    );
    assert!(read(out.join("index.html")).contains("Bienvenue sur la documentation."));
}

#[test]
fn hugo_front_matter_places_and_hides_pages_as_hugo_does() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("hugo-fr"), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // slug and url give the address; links written to the new address resolve
    assert!(out.join("docs/demarrer.html").is_file());
    assert!(!out.join("docs/premiers-pas.html").exists());
    assert!(out.join("procedures/redemarrer/index.html").is_file());
    assert!(read(out.join("docs/demarrer.html")).contains("procedures/redemarrer/"));
    // a headless bundle is not published
    assert!(!files_under(&out).iter().any(|f| f.contains("bundle-cache")));
    // build.list never: published, listed nowhere
    assert!(out.join("docs/interne.html").is_file());
    assert!(!read(out.join("docs/index.html")).contains("Note interne"));
    // cascade: the section's owner reaches the pages below that set none
    assert!(read(out.join("docs/demarrer.html")).contains("equipe-docs"));
    let runbook = read(out.join("procedures/redemarrer/index.html"));
    assert!(runbook.contains("astreinte") && !runbook.contains("equipe-docs"));
}

#[test]
fn hugo_translations_get_their_language_address_and_link_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("hugo-fr"), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // `premiers-pas.en.md` translates `premiers-pas.md`; the French page's
    // `slug` is its own (Hugo does not hand it to translations)
    let en = read(out.join("en/docs/premiers-pas.html"));
    assert!(en.contains("Start here.") && en.contains("lang=\"en\""));
    assert!(
        en.contains("href=\"../../docs/demarrer.html\" hreflang=\"fr\""),
        "link back to French"
    );
    let fr = read(out.join("docs/demarrer.html"));
    assert!(
        fr.contains("href=\"../en/docs/premiers-pas.html\" hreflang=\"en\""),
        "link to English"
    );
    // the navigation lists the default language only
    assert!(!read(out.join("docs/index.html")).contains("Getting started"));
}

#[test]
fn a_hugo_site_with_a_content_folder_per_language_builds_as_hugo_publishes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&fixture("hugo-docsy"), &out, &[]);
    let err = stderr(&o);
    // links written to each language's addresses resolve (`/docs/guide/`, `/fr/docs/guide/`)
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        read(out.join("index.html")).contains("Welcome."),
        "the default language is the site's root"
    );
    let fr = read(out.join("fr/docs/guide.html"));
    assert!(fr.contains("Redémarrer le service.") && fr.contains("lang=\"fr\""));
    assert!(
        fr.contains("href=\"../../docs/guide.html\" hreflang=\"en\""),
        "link to English"
    );
    assert!(read(out.join("docs/guide.html")).contains("href=\"../fr/docs/guide.html\" hreflang=\"fr\""));
    // the navigation lists the default language's pages only
    assert!(!read(out.join("docs/index.html")).contains("Guide de démarrage"));
}

#[test]
fn a_hugo_site_leaves_out_the_html_its_pages_write_unless_its_config_allows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(kb.join("content")).unwrap();
    let config = "baseURL = \"https://example.org/\"\ntitle = \"R\"\nlanguageCode = \"en\"\n";
    std::fs::write(kb.join("hugo.toml"), config).unwrap();
    std::fs::write(
        kb.join("content/u.md"),
        "---\ntitle: U\n---\nHello <script>alert(1)</script> <img src=x onerror=\"alert(2)\">.\n\n<iframe src=\"https://evil.example\"></iframe>\n\nPress {{< kbd Ctrl >}}.\n\n{{% notice info %}}\nInside.\n{{% /notice %}}\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = read(out.join("u.html"));
    // The writer's HTML: left out, in Hugo's words.
    assert!(
        !html.contains("alert(2)") && !html.contains("<script>alert") && !html.contains("evil.example"),
        "{html}"
    );
    assert!(html.contains("<!-- raw HTML omitted -->"), "{html}");
    // What the shortcodes became stays.
    assert!(
        html.contains("<kbd>Ctrl</kbd>") && html.contains("class=\"callout callout-note\""),
        "{html}"
    );
    // `unsafe = true`: published, as Hugo publishes it.
    std::fs::write(
        kb.join("hugo.toml"),
        format!("{config}[markup.goldmark.renderer]\nunsafe = true\n"),
    )
    .unwrap();
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(read(out.join("u.html")).contains("<iframe src=\"https://evil.example\">"));
}

#[test]
fn a_page_that_nav_names_twice_keeps_its_first_place_and_title() {
    let (tmp, kb) = small_site(&[
        (
            "mkdocs.yml",
            "site_name: S\nnav:\n  - Home: index.md\n  - '2024': news.md\n  - Again: news.md\n",
        ),
        ("docs/index.md", "# Home\n\nThe home page of the site.\n"),
        ("docs/news.md", "# News\n\nThe news of the year.\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let news = read(out.join("news.html"));
    assert!(news.contains("<title>2024 · S"), "{news}");
    assert!(!news.contains(">Again<"), "{news}");
}

#[test]
fn links_nav_lists_inside_a_group_keep_their_place_in_the_sidebar() {
    let (tmp, kb) = small_site(&[
        (
            "mkdocs.yml",
            "site_name: S\nnav:\n  - Home: index.md\n  - Guide:\n    - Forge: https://forge.example/asso/\n    - guide/a.md\n    - API: api/\n    - Statut: /status/\n    - guide/b.md\n    - Chat: https://chat.example/\n  - Blog: https://blog.example/\n",
        ),
        ("docs/index.md", "# Home\n\nThe home page.\n"),
        ("docs/guide/a.md", "# Page A\n\nFirst page.\n"),
        ("docs/guide/b.md", "# Page B\n\nSecond page.\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // In the group's order, on a page of the group (its group is open):
    // addresses with a scheme or from the domain's root as written, the
    // others from the site's root.
    let a = read(out.join("guide/a.html"));
    let nav = &a[a
        .find("href=\"https://forge.example/asso/\">Forge")
        .expect("the first link of the group")..];
    let order = [
        "Page A",
        "href=\"../api/\"",
        "href=\"/status/\"",
        "Page B",
        "href=\"https://chat.example/\"",
        "href=\"https://blog.example/\"",
    ];
    assert_in_order(nav, &order);
    // MkDocs says it of a relative address it has no file for; not of the others.
    assert!(err.contains("mkdocs.yml:7 warning: `nav` names api/"), "{err}");
    assert!(
        !err.contains("/status/") && !err.contains("forge.example"),
        "{err}"
    );
}

#[test]
fn inline_marks_are_read_where_the_sites_extensions_turn_them_on() {
    let tmp = tempfile::tempdir().unwrap();
    let text =
        "# Marks\n\nUn ==point clé==, du ^^texte ajouté^^, H~2~O, 2^10^, ~~barré~~ et ++ctrl+alt+del++.\n";
    // MkDocs: pymdownx.mark, caret, tilde, keys
    let kb = tmp.path().join("mkdocs");
    std::fs::create_dir_all(kb.join("docs")).unwrap();
    std::fs::write(
        kb.join("mkdocs.yml"),
        "site_name: S\nmarkdown_extensions:\n  - pymdownx.mark\n  - pymdownx.caret\n  - pymdownx.tilde\n  - pymdownx.keys\n",
    )
    .unwrap();
    std::fs::write(kb.join("docs/index.md"), text).unwrap();
    let out = tmp.path().join("mkdocs-site");
    let o = build(&kb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("unknown-extension") && !err.contains("not one vigie renders"),
        "{err}"
    );
    let page = read(out.join("index.html"));
    for want in [
        "<mark>point clé</mark>",
        "<ins>texte ajouté</ins>",
        "H<sub>2</sub>O",
        "2<sup>10</sup>",
        "<del>barré</del>",
        "<span class=\"keys\"><kbd>Ctrl</kbd><span>+</span><kbd>Alt</kbd><span>+</span><kbd>Del</kbd></span>",
    ] {
        assert!(page.contains(want), "{want} in {page}");
    }
    // Hugo: goldmark's extras, each where the config turns it on
    let kb = tmp.path().join("hugo");
    std::fs::create_dir_all(kb.join("content")).unwrap();
    std::fs::write(
        kb.join("hugo.toml"),
        "title = \"S\"\n[markup.goldmark.extensions.extras.insert]\nenable = true\n[markup.goldmark.extensions.extras.mark]\nenable = true\n",
    )
    .unwrap();
    std::fs::write(
        kb.join("content/_index.md"),
        "---\ntitle: Marks\n---\n\nUn ==point clé==, du ++texte ajouté++ et H~2~O.\n",
    )
    .unwrap();
    let out = tmp.path().join("hugo-site");
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = read(out.join("index.html"));
    assert!(page.contains("<mark>point clé</mark>"), "{page}");
    assert!(page.contains("<ins>texte ajouté</ins>"), "{page}");
    assert!(page.contains("H~2~O"), "subscript is not turned on: {page}");
}

#[test]
fn a_site_that_numbers_every_code_block_has_them_numbered() {
    let tmp = tempfile::tempdir().unwrap();
    // MkDocs: `pymdownx.highlight: linenums: true`
    let kb = tmp.path().join("mkdocs");
    std::fs::create_dir_all(kb.join("docs")).unwrap();
    std::fs::write(
        kb.join("mkdocs.yml"),
        "site_name: S\nmarkdown_extensions:\n  - pymdownx.highlight:\n      linenums: true\n  - pymdownx.superfences\n",
    )
    .unwrap();
    std::fs::write(kb.join("docs/index.md"), "# Code\n\n```text\none\ntwo\n```\n").unwrap();
    let out = tmp.path().join("mkdocs-site");
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = read(out.join("index.html"));
    assert!(
        page.contains("<span class=\"ln\" aria-hidden=\"true\">2</span>two"),
        "{page}"
    );
    // Hugo: `[markup.highlight] lineNos = true, lineNoStart = 5`; a fence's `linenos=false` wins
    let kb = tmp.path().join("hugo");
    std::fs::create_dir_all(kb.join("content")).unwrap();
    std::fs::write(
        kb.join("hugo.toml"),
        "title = \"S\"\n[markup.highlight]\nlineNos = true\nlineNoStart = 5\n",
    )
    .unwrap();
    std::fs::write(
        kb.join("content/_index.md"),
        "---\ntitle: Code\n---\n\n```text\nfirst\n```\n\n```text {linenos=false}\nplain\n```\n",
    )
    .unwrap();
    let out = tmp.path().join("hugo-site");
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = read(out.join("index.html"));
    assert!(
        page.contains("<span class=\"ln\" aria-hidden=\"true\">5</span>first"),
        "{page}"
    );
    assert!(page.contains("><code class=\"language-text\">plain"), "{page}");
}

#[test]
fn an_absolute_link_under_the_site_url_path_reaches_its_page() {
    let (tmp, kb) = small_site(&[
        ("mkdocs.yml", "site_name: S\nsite_url: https://ex.org/docs/\n"),
        (
            "docs/index.md",
            "# Home\n\nSee [install](/docs/guide/install/) and [gone](/docs/guide/gone/).\n",
        ),
        ("docs/guide/install.md", "# Install\n\nThe steps.\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // Once deployed under /docs/, the browser reads it as the guide's page.
    assert!(!err.contains("/docs/guide/install/"), "{err}");
    assert!(err.contains("link `/docs/guide/gone/`"), "{err}");
    assert!(read(out.join("index.html")).contains("href=\"guide/install.html\""));
}

#[test]
fn quotes_and_dashes_turn_typographic_where_the_sites_tool_turns_them() {
    let tmp = tempfile::tempdir().unwrap();
    let page = "# L'équipe\n\nPrévenir l'astreinte \"de nuit\" -- ou pas...\n\n## L'opérateur -- \"N1\"\n\n`l'code`\n\nLe mot << de garde >>, `<<code>>`.\n";
    let build_page = |name: &str, files: &[(&str, &str)], page_at: &str, html_at: &str| {
        let kb = tmp.path().join(name);
        for (path, text) in files.iter().chain([(page_at, page)].iter()) {
            let path = kb.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let out = tmp.path().join(format!("{name}-site"));
        let o = build(&kb, &out, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        read(out.join(html_at))
    };
    let smart = "Prévenir l’astreinte “de nuit” – ou pas…";
    let summary = ("src/SUMMARY.md", "# Summary\n\n- [L'équipe](t.md)\n");
    // mdBook 0.5: on unless `smart-punctuation = false`; anchors from the text shown.
    let html = build_page(
        "book",
        &[("book.toml", "[book]\ntitle = \"B\"\n"), summary],
        "src/t.md",
        "t.html",
    );
    assert!(html.contains(smart), "{html}");
    assert!(html.contains("Le mot &lt;&lt; de garde &gt;&gt;, "), "{html}");
    // The page's own title heading too, as mdBook renders it.
    assert!(html.contains("L’équipe</h1>"), "{html}");
    assert!(html.contains("id=\"lopérateur--n1\""), "{html}");
    assert!(
        html.contains("<code>l'code</code>"),
        "code stays as written: {html}"
    );
    let off = (
        "book.toml",
        "[book]\ntitle = \"B\"\n[output.html]\nsmart-punctuation = false\n",
    );
    let html = build_page("book-off", &[off, summary], "src/t.md", "t.html");
    assert!(
        html.contains("Prévenir l'astreinte \"de nuit\" -- ou pas..."),
        "{html}"
    );
    // Hugo: on unless the typographer is disabled; anchors from the text as written.
    let hugo = ("hugo.toml", "title = \"H\"\nlanguageCode = \"fr\"\n");
    let html = build_page("hugo", &[hugo], "content/t.md", "t.html");
    assert!(html.contains(smart), "{html}");
    assert!(html.contains("id=\"lopérateur----n1\""), "{html}");
    // and angle quotes, as Goldmark's typographer writes them (not in code)
    assert!(
        html.contains("Le mot « de garde », <code>&lt;&lt;code&gt;&gt;</code>."),
        "{html}"
    );
    let off = (
        "hugo.toml",
        "title = \"H\"\n[markup.goldmark.extensions.typographer]\ndisable = true\n",
    );
    let html = build_page("hugo-off", &[off], "content/t.md", "t.html");
    assert!(html.contains("Prévenir l'astreinte"), "{html}");
    // MkDocs: only with Python-Markdown's `smarty`.
    let html = build_page(
        "mkdocs",
        &[("mkdocs.yml", "site_name: M\n")],
        "docs/index.md",
        "index.html",
    );
    assert!(html.contains("Prévenir l'astreinte"), "{html}");
    let smarty = ("mkdocs.yml", "site_name: M\nmarkdown_extensions:\n  - smarty\n");
    let html = build_page("mkdocs-smarty", &[smarty], "docs/index.md", "index.html");
    assert!(html.contains(smart), "{html}");
    assert!(html.contains("id=\"loperateur-n1\""), "{html}");
}

#[test]
fn a_hugo_figure_keeps_its_title_caption_and_attribution() {
    let (tmp, kb) = small_site(&[
        ("hugo.toml", "title = \"H\"\n"),
        ("content/img/a.png", "png"),
        (
            "content/u.md",
            "---\ntitle: U\n---\n{{< figure src=\"img/a.png\" alt=\"Plan\" title=\"Réseau\" caption=\"Vue **globale**\" attr=\"Équipe\" attrlink=\"https://ex.org/t\" >}}\n\n{{< figure src=\"img/gone.png\" caption=\"Perdue\" >}}\n\n{{< figure src=\"img/a.png\" alt=\"Seule\" >}}\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let html = read(out.join("u.html"));
    assert!(
        html.contains("<figcaption>\n<h4>Réseau</h4>\n<p>Vue <strong>globale</strong> <a href=\"https://ex.org/t\">Équipe</a></p>\n</figcaption>"),
        "{html}"
    );
    assert!(html.contains("<img src=\"img/a.png\" alt=\"Plan\" />"), "{html}");
    assert!(html.contains("<p>Perdue</p>"), "{html}");
    // Without a caption, the image alone; a captioned figure's image is still checked.
    assert_eq!(html.matches("<figure>").count(), 2, "{html}");
    assert!(err.contains("u.md:6:") && err.contains("img/gone.png"), "{err}");
}

#[test]
fn a_hugo_link_title_names_the_page_in_the_navigation_and_breadcrumbs() {
    let (tmp, kb) = small_site(&[
        ("hugo.toml", "title = \"H\"\n"),
        (
            "content/ops/_index.md",
            "---\ntitle: Opérations\nlinkTitle: Ops\n---\nIndex.\n",
        ),
        (
            "content/ops/nova.md",
            "---\ntitle: Redémarrer Nova après une panne\nlinktitle: Nova\n---\nTexte.\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = read(out.join("ops/nova.html"));
    let sidebar = &html[html.find("id=\"sidebar\"").unwrap()..];
    let sidebar = &sidebar[..sidebar.find("</nav>").unwrap()];
    assert!(
        sidebar.contains(">Nova<") && sidebar.contains(">Ops<"),
        "{sidebar}"
    );
    assert!(!sidebar.contains("après une panne"), "{sidebar}");
    let crumbs = &html[html.find("class=\"breadcrumbs\"").unwrap()..];
    assert!(
        crumbs[..crumbs.find("</nav>").unwrap()].contains(">Ops</a>"),
        "{crumbs}"
    );
    // The page itself keeps its full title.
    assert!(html.contains("<title>Redémarrer Nova après une panne"), "{html}");
}

#[test]
fn a_hugo_page_dated_in_the_future_or_expired_is_left_out_as_hugo_leaves_it() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(kb.join("content")).unwrap();
    let page = |name: &str, fm: &str| {
        std::fs::write(
            kb.join(format!("content/{name}.md")),
            format!("---\ntitle: {name}\n{fm}---\nText.\n"),
        )
        .unwrap();
    };
    page("future", "date: 2999-01-01\n");
    page("expired", "expiryDate: 2001-01-01T00:00:00Z\n");
    page("published", "date: 2999-01-01\npublishDate: 2020-01-01\n");
    page("past", "date: 2020-01-01\nexpiryDate: 2999-01-01\n");
    std::fs::write(
        kb.join("content/_index.md"),
        "---\ntitle: Home\n---\nSee [later](future.md).\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    std::fs::write(kb.join("hugo.toml"), "title = \"H\"\n").unwrap();
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!out.join("future.html").exists() && !out.join("expired.html").exists());
    assert!(out.join("published.html").exists() && out.join("past.html").exists());
    assert!(err.contains("dated in the future or expired"), "{err}");
    // buildFuture and buildExpired publish them, as Hugo does.
    std::fs::write(
        kb.join("hugo.toml"),
        "title = \"H\"\nbuildFuture = true\nbuildExpired = true\n",
    )
    .unwrap();
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("future.html").exists() && out.join("expired.html").exists());
}

#[test]
fn docsy_readfile_and_relearn_include_put_the_file_in_the_page() {
    let (tmp, kb) = small_site(&[
        ("hugo.toml", "title = \"H\"\n"),
        ("content/includes/common.md", "Shared **steps**.\n"),
        ("content/ops/beside.md", "---\ntitle: Beside\n---\nNext to it.\n"),
        ("snippets/cmd.sh", "kubectl get pods\n"),
        (
            "content/ops/a.md",
            "---\ntitle: A\n---\n{{< readfile file=\"/includes/common.md\" >}}\n\n{{% readfile \"beside.md\" %}}\n\n{{% include \"snippets/cmd.sh\" %}}\n\n{{< readfile file=\"/snippets/cmd.sh\" code=\"true\" lang=\"bash\" >}}\n\n{{< readfile file=\"gone.md\" >}}\n\n{{< readfile file=\"../../../outside.md\" >}}\n",
        ),
    ]);
    std::fs::write(tmp.path().join("outside.md"), "SECRET\n").unwrap();
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let html = read(out.join("ops/a.html"));
    assert!(html.contains("<p>Shared <strong>steps</strong>.</p>"), "{html}");
    assert!(html.contains("<p>Next to it.</p>"), "{html}");
    assert!(html.contains("<p>kubectl get pods</p>"), "{html}");
    assert!(html.contains("<code class=\"language-bash\">"), "{html}");
    assert!(!html.contains("SECRET") && !html.contains("readfile"), "{html}");
    assert!(
        err.contains("a.md:12 warning: included file gone.md does not exist"),
        "{err}"
    );
    assert!(
        err.contains("a.md:14 warning: included file ../../../outside.md is outside the project"),
        "{err}"
    );
}

#[test]
fn a_hugo_page_with_json_front_matter_or_blank_lines_above_it_is_read_as_hugo_reads_it() {
    let (tmp, kb) = small_site(&[
        ("hugo.toml", "title = \"H\"\n"),
        (
            "content/json.md",
            "{\n  \"title\": \"Redémarrer nova\",\n  \"tags\": [\"nova\"]\n}\n\nCorps, [lien](absente.md).\n",
        ),
        (
            "content/blank.md",
            "\n\n---\ntitle: Vide avant\n---\nTexte, [lien](absente.md).\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let json = read(out.join("json.html"));
    assert!(json.contains("<h1 id=\"top\">Redémarrer nova</h1>"), "{json}");
    assert!(!json.contains("&quot;title&quot;"), "{json}");
    let blank = read(out.join("blank.html"));
    assert!(blank.contains("<h1 id=\"top\">Vide avant</h1>"), "{blank}");
    assert!(!blank.contains("<hr"), "{blank}");
    // Findings name the lines of the file as written.
    assert!(err.contains("content/json.md:6:"), "{err}");
    assert!(err.contains("content/blank.md:6:"), "{err}");

    // JSON that Hugo refuses stops the build at its line, the site left as it was.
    std::fs::write(
        kb.join("content/json.md"),
        "{\n  \"title\": \"A\"\n  \"tags\": []\n}\n",
    )
    .unwrap();
    let o = build(&kb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("content/json.md:3:") && err.contains("JSON"),
        "{err}"
    );
    assert!(read(out.join("json.html")).contains("Redémarrer nova"));
}

#[test]
fn emoji_shortcodes_become_emoji_where_the_sites_tool_turns_them_on() {
    let page = "# Page\n\nFait :white_check_mark: :+1:, [:rocket: lancer](index.md), `code :smile:`.\n\nBouton :material-check: ici, std::fmt::Display à 12:30:00.\n";
    let mkdocs = (
        "mkdocs.yml",
        "site_name: T\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n",
        "docs/index.md",
    );
    let hugo = (
        "hugo.toml",
        "title = \"H\"\nenableEmoji = true\n",
        "content/_index.md",
    );
    for (config, text, file) in [mkdocs, hugo] {
        let tmp = tempfile::tempdir().unwrap();
        let kb = tmp.path().join("kb");
        std::fs::create_dir_all(kb.join(file).parent().unwrap()).unwrap();
        std::fs::write(kb.join(config), text).unwrap();
        std::fs::write(kb.join(file), page).unwrap();
        let out = tmp.path().join("site");
        let o = build(&kb, &out, &["--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{config}: {}", stderr(&o));
        let html = read(out.join("index.html"));
        assert!(
            html.contains("Fait ✅ 👍, <a href=\"index.html\">🚀 lancer</a>, <code>code :smile:</code>."),
            "{config}: {html}"
        );
        assert!(
            html.contains("Bouton :material-check: ici, std::fmt::Display à 12:30:00."),
            "{config}: {html}"
        );
        let err = stderr(&o);
        let end = err.rfind("}\n").map(|i| i + 2).expect("a JSON report");
        let report: serde_json::Value = serde_json::from_str(&err[..end]).expect("JSON report");
        let findings: Vec<(String, u64, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap_or(0),
                    f["target"].as_str().unwrap_or("").to_string(),
                )
            })
            .filter(|f| f.0 == "unknown-emoji" || f.0 == "unknown-extension")
            .collect();
        assert_eq!(
            findings,
            [("unknown-emoji".to_string(), 5, ":material-check:".to_string())],
            "{config}"
        );
    }
    // Without the extension, shortcodes are text, as the tool shows them.
    let (tmp, kb) = small_site(&[("hugo.toml", "title = \"H\"\n"), ("content/_index.md", page)]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = read(out.join("index.html"));
    assert!(html.contains("Fait :white_check_mark: :+1:"), "{html}");
    assert!(!stderr(&o).contains("unknown-emoji"), "{}", stderr(&o));
}

#[test]
fn an_mkdocs_project_leaves_out_what_exclude_docs_says_and_writes_its_redirects() {
    let (tmp, kb) = small_site(&[
        (
            "mkdocs.yml",
            "site_name: T\nexclude_docs: |\n  *.py\n  /drafts/\n  !/drafts/garde.md\ndraft_docs: |\n  *-brouillon.md\nplugins:\n  - search\n  - macros\n  - redirects:\n      redirect_maps:\n        'ancien.md': 'drafts/garde.md'\n        'vieux/page.md': 'index.md#suite'\n        'perdu.md': 'nulle-part.md'\n",
        ),
        (
            "docs/index.md",
            "# Accueil\n\n[wip](drafts/wip.md), [script](scripts/outil.py), [notes](notes-brouillon.md), [garde](drafts/garde.md).\n\n## Suite\n",
        ),
        ("docs/drafts/wip.md", "# WIP\n"),
        ("docs/drafts/garde.md", "# Garde\n"),
        ("docs/notes-brouillon.md", "# Notes\n"),
        ("docs/scripts/outil.py", "print(1)\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // Left out, the page kept back by `!` stays; links to what is left out are broken.
    assert!(!out.join("drafts/wip.html").exists());
    assert!(!out.join("notes-brouillon.html").exists());
    assert!(!out.join("scripts/outil.py").exists());
    assert!(out.join("drafts/garde.html").is_file());
    for (col, target) in [
        (1, "drafts/wip.md"),
        (23, "scripts/outil.py"),
        (51, "notes-brouillon.md"),
    ] {
        assert!(
            err.contains(&format!(
                "docs/index.md:3:{col} warning: link `{target}`: `docs/{target}` is left out of the site by `exclude_docs` or `draft_docs` in mkdocs.yml"
            )),
            "{target}: {err}"
        );
    }
    assert!(!err.contains("did you mean `scripts/outil.py`"), "{err}");
    // Redirects, relative to where the old page was.
    assert!(read(out.join("ancien.html")).contains("url=drafts/garde.html\""));
    assert!(read(out.join("vieux/page.html")).contains("url=../index.html#suite\""));
    // One that leads to no page is said, and not written.
    assert!(!out.join("perdu.html").exists());
    assert!(
        err.contains("mkdocs.yml:15 warning: redirect `perdu.md` leads to `nulle-part.md`, which is no page of the site"),
        "{err}"
    );
    // A plugin that changes pages in ways vigie does not: said once, at its line.
    assert!(
        err.contains("mkdocs.yml:10 warning: plugin `macros` fills pages with values and macros"),
        "{err}"
    );
    assert!(
        !err.contains("plugin `search`") && !err.contains("plugin `redirects`"),
        "{err}"
    );
}

#[test]
fn a_book_that_runs_mdbook_admonish_shows_its_fences_as_admonitions() {
    let page = "# Chap\n\n```admonish warning title=\"Ne pas redémarrer\"\nLe **quorum** tombe, voir [x](absente.md).\n```\n";
    for (with, admonition) in [(true, true), (false, false)] {
        let tmp = tempfile::tempdir().unwrap();
        let kb = tmp.path().join("kb");
        std::fs::create_dir_all(kb.join("src")).unwrap();
        let preprocessor = if with {
            "\n[preprocessor.admonish]\ncommand = \"mdbook-admonish\"\n"
        } else {
            ""
        };
        std::fs::write(
            kb.join("book.toml"),
            format!("[book]\ntitle = \"B\"\n{preprocessor}"),
        )
        .unwrap();
        std::fs::write(kb.join("src/SUMMARY.md"), "# Summary\n\n- [Chap](chap.md)\n").unwrap();
        std::fs::write(kb.join("src/chap.md"), page).unwrap();
        let out = tmp.path().join("site");
        let o = build(&kb, &out, &["--broken-links", "warn"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        let html = read(out.join("chap.html"));
        assert_eq!(
            html.contains("<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Ne pas redémarrer</p>\n<p>Le <strong>quorum</strong> tombe"),
            admonition,
            "{html}"
        );
        assert_eq!(html.contains("language-admonish"), !admonition, "{html}");
        // A link inside is checked at its line.
        assert_eq!(err.contains("src/chap.md:4:"), with, "{err}");
    }
}

#[test]
fn typed_symbols_become_characters_where_smartsymbols_is_on() {
    let page = "# S\n\nÉquipe(tm) (c) 2026, 5 +/- 1, a --> b, 1/2 journée, `(c) en code`.\n";
    for (extensions, want) in [
        (
            "markdown_extensions:\n  - pymdownx.smartsymbols\n  - pymdownx.betterem\n",
            "Équipe™ © 2026, 5 ± 1, a → b, ½ journée, <code>(c) en code</code>.",
        ),
        (
            "",
            "Équipe(tm) (c) 2026, 5 +/- 1, a --&gt; b, 1/2 journée, <code>(c) en code</code>.",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let kb = tmp.path().join("kb");
        std::fs::create_dir_all(kb.join("docs")).unwrap();
        std::fs::write(kb.join("mkdocs.yml"), format!("site_name: T\n{extensions}")).unwrap();
        std::fs::write(kb.join("docs/index.md"), page).unwrap();
        let out = tmp.path().join("site");
        let o = build(&kb, &out, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        let html = read(out.join("index.html"));
        assert!(html.contains(want), "{extensions}: {html}");
        assert!(!err.contains("unknown-extension"), "{err}");
    }
}

#[test]
fn an_mkdocs_project_without_nav_lists_its_files_by_name_as_mkdocs_does() {
    let (tmp, kb) = small_site(&[
        ("mkdocs.yml", "site_name: T\n"),
        ("docs/index.md", "# Accueil\n"),
        ("docs/01-install.md", "# Zèbre installation\n"),
        ("docs/02-configure.md", "# Configurer\n"),
        ("docs/10-dernier.md", "# Mmm\n"),
        ("docs/sub/a.md", "# Zzz\n"),
        ("docs/sub/b.md", "# Aaa sous\n"),
        ("docs/aaa/x.md", "# Dossier aaa\n"),
        ("docs/bien-demarrer/index.md", "# Bienvenue à bord\n"),
        ("docs/bien-demarrer/etape.md", "# Étape\n"),
        ("docs/zzz.md", "# Fichier zzz\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = read(out.join("index.html"));
    // As `mkdocs build` lists them: the home page, the files 01, 02, 10,
    // zzz, then the folders aaa and sub; a, b inside sub.
    assert_in_order(
        &sidebar(out.join("index.html")),
        &[
            ">Accueil<",
            ">Zèbre installation<",
            ">Configurer<",
            ">Mmm<",
            ">Fichier zzz<",
            ">Aaa<",
            ">Bien demarrer<",
            ">Sub<",
        ],
    );
    // A folder with an index page is shown by its name, as MkDocs shows
    // it; the index page keeps its own title.
    let index = read(out.join("bien-demarrer/index.html"));
    assert!(index.contains("<title>Bienvenue à bord · T"), "{index}");
    assert!(!html.contains(">Bienvenue à bord<"), "{html}");
    let etape = read(out.join("bien-demarrer/etape.html"));
    assert!(
        etape.contains("<a href=\"index.html\">Bien demarrer</a>"),
        "{etape}"
    );
    let sub = read(out.join("sub/index.html"));
    assert!(
        sub.find(">Zzz<").unwrap() < sub.find(">Aaa sous<").unwrap(),
        "{sub}"
    );
}

#[test]
fn awesome_pages_files_order_title_and_hide_the_folders_of_an_mkdocs_project() {
    let (tmp, kb) = small_site(&[
        (
            "mkdocs.yml",
            "site_name: Asso\nplugins:\n  - search\n  - awesome-pages\n  - section-index\n",
        ),
        ("docs/index.md", "# Accueil\n"),
        (
            "docs/.pages",
            "nav:\n  - index.md\n  - guide\n  - Astreinte: runbooks\n  - ...\n  - Forge: https://forge.example/\n",
        ),
        (
            "docs/guide/.pages",
            "title: Guide de démarrage\nnav:\n  - installer.md\n  - ...\n  - Premiers pas: demarrer.md\n  - absent.md\n",
        ),
        ("docs/guide/demarrer.md", "# Démarrer\n"),
        ("docs/guide/installer.md", "# Installer\n"),
        ("docs/guide/autre.md", "# Autre\n"),
        ("docs/runbooks/.pages", "order: desc\nsort_type: natural\n"),
        ("docs/runbooks/2-ceph.md", "# Ceph\n"),
        ("docs/runbooks/10-nova.md", "# Nova\n"),
        ("docs/runbooks/1-rabbit.md", "# Rabbit\n"),
        ("docs/archives/.pages", "hide: true\n"),
        ("docs/archives/vieux.md", "# Vieux\n"),
        ("docs/seul/.pages", "collapse: true\n"),
        ("docs/seul/page.md", "# Seule\n"),
        ("docs/zeta.md", "# Zeta\n"),
        ("docs/alpha.md", "# Alpha\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // The home page's sidebar: in the order of the root `.pages`, its `...`
    // in MkDocs' order (the files by name, then the folders), the hidden
    // folder left out, the folder of one page collapsed into that page,
    // then the link (as `mkdocs build` with the plugin lists them).
    let home = read(out.join("index.html"));
    let order = [
        ">Guide de démarrage<",
        ">Astreinte<",
        ">Alpha<",
        ">Zeta<",
        ">Seule<",
        "href=\"https://forge.example/\"",
    ];
    assert_in_order(&home, &order);
    assert!(
        !home.contains(">Vieux<") && !home.contains(">Archives<"),
        "{home}"
    );
    // Inside a folder: its `.pages` order and titles; a natural order, reversed.
    let guide = read(out.join("guide/installer.html"));
    let at = |html: &str, s: &str| html.find(s).unwrap_or_else(|| panic!("{s}: {html}"));
    assert!(at(&guide, ">Installer<") < at(&guide, ">Autre<"));
    assert!(at(&guide, ">Autre<") < at(&guide, ">Premiers pas<"));
    let nova = read(out.join("runbooks/10-nova.html"));
    assert!(at(&nova, ">Nova<") < at(&nova, ">Ceph<"));
    assert!(at(&nova, ">Ceph<") < at(&nova, ">Rabbit<"));
    // A hidden folder's pages are built all the same; a missing entry is
    // said where it is written, and the plugin is no longer one vigie skips.
    assert!(out.join("archives/vieux.html").is_file());
    assert!(
        err.contains("docs/guide/.pages:6 warning: `nav` names absent.md"),
        "{err}"
    );
    assert!(
        !err.contains("unknown-plugin") && !err.contains("plugin `awesome-pages`"),
        "{err}"
    );
}

#[test]
fn the_three_dots_of_an_mkdocs_nav_list_what_it_does_not_name_with_awesome_pages() {
    let (tmp, kb) = small_site(&[
        (
            "mkdocs.yml",
            "site_name: Asso\nplugins:\n  - awesome-pages\nnav:\n  - Accueil: index.md\n  - Important: guide/b.md\n  - ...\n",
        ),
        ("docs/index.md", "# Home\n"),
        ("docs/guide/a.md", "# Page A\n"),
        ("docs/guide/b.md", "# Page B\n"),
        ("docs/c.md", "# Page C\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("..."), "{err}");
    // `nav`'s own entries first, then the rest by name (`c.md`, then the
    // folder `guide`): page B not twice.
    assert_in_order(
        &sidebar(out.join("guide/a.html")),
        &[">Important<", ">Page C<", ">Guide<", ">Page A<"],
    );
    let a = read(out.join("guide/a.html"));
    assert_eq!(a.matches(">Page B<").count(), 0, "{a}");
}

#[test]
fn three_dots_written_twice_in_an_mkdocs_nav_are_said() {
    // `mkdocs build` refuses it ("Duplicate rest entry"): vigie lists the
    // rest at the first and says where the second is.
    let (tmp, kb) = small_site(&[
        (
            "mkdocs.yml",
            "site_name: Asso\nplugins:\n  - awesome-pages\nnav:\n  - ...\n  - index.md\n  - Groupe:\n    - \"...\"\n",
        ),
        ("docs/index.md", "# Home\n"),
        ("docs/a.md", "# Page A\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("mkdocs.yml:8 warning: `...` is written twice in `nav`: the second lists nothing"),
        "{err}"
    );
    assert_in_order(&sidebar(out.join("a.html")), &[">Page A<", ">Home<"]);
}

#[test]
fn the_three_dots_of_an_mkdocs_nav_share_what_it_does_not_name_by_their_filters() {
    // As `mkdocs build` with awesome-pages lists them: each page goes to
    // the first `...` whose filter its path matches (filters first, `*`
    // within one folder), the plain `...` has the rest, `flat` drops the
    // folder.
    let (tmp, kb) = small_site(&[
        (
            "mkdocs.yml",
            "site_name: Asso\nplugins:\n  - awesome-pages\nnav:\n  - index.md\n  - ... | glob=a-*\n  - Important: guide/x.md\n  - ... | regex=c-\n  - Groupe:\n    - ... | flat | glob=guide/y*\n  - ...\n",
        ),
        ("docs/index.md", "# Home\n"),
        ("docs/a-one.md", "# Page A\n"),
        ("docs/b-two.md", "# Page B\n"),
        ("docs/c-three.md", "# Page C\n"),
        ("docs/guide/index.md", "# Guide index\n"),
        ("docs/guide/x.md", "# Page X\n"),
        ("docs/guide/y.md", "# Page Y\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let nav = &sidebar(out.join("guide/y.html"));
    // The folder by its name, as MkDocs shows it.
    let order = [
        ">Home<",
        ">Page A<",
        ">Important<",
        ">Page C<",
        ">Groupe<",
        ">Page Y<",
        ">Page B<",
        ">Guide<",
    ];
    assert_in_order(nav, &order);
    // Page Y in the group, not in a folder of its own.
    let depth = |s: &str| nav_depth(nav, s.trim_matches(['>', '<']));
    assert_eq!(
        (depth(">Groupe<"), depth(">Page Y<"), depth(">Guide<")),
        (1, 2, 1)
    );
    assert_eq!(nav.matches(">Page X<").count(), 0, "{nav}");
}

#[test]
fn attribute_lists_give_links_images_and_emphasis_their_attributes_where_attr_list_is_on() {
    let page = "# Accueil\n\n[S'abonner](guide.md){ .md-button .md-button--primary }\n\n![Schéma](schema.png){ width=\"300\" #plan }\n\nVoir [la forge](https://forge.example/){ target=_blank onclick=\"alert(1)\" }, **important**{ .x }, [le plan](#plan).\n";
    for (extensions, kept) in [("  - attr_list\n", true), ("  - admonition\n", false)] {
        let (tmp, kb) = small_site(&[
            (
                "mkdocs.yml",
                &format!("site_name: S\nmarkdown_extensions:\n{extensions}"),
            ),
            ("docs/index.md", page),
            ("docs/guide.md", "# Guide\n"),
            ("docs/schema.png", "png"),
        ]);
        let out = tmp.path().join("site");
        // With `attr_list`, the image's id is an anchor `#plan` reaches;
        // without it, that link is broken.
        let o = build(&kb, &out, &["--broken-links", "warn"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert_eq!(err.contains("#plan"), !kept, "{err}");
        let html = read(out.join("index.html"));
        // As `mkdocs build` writes them with `attr_list` (but for the event
        // handler); without it, the list is left out as before.
        let with = [
            "<a href=\"guide.html\" class=\"md-button md-button--primary\">S'abonner</a>",
            "<img src=\"schema.png\" alt=\"Schéma\" width=\"300\" id=\"plan\" />",
            "<a href=\"https://forge.example/\" target=\"_blank\">la forge</a>",
            "<strong class=\"x\">important</strong>",
        ];
        for want in with {
            assert_eq!(html.contains(want), kept, "{want}: {html}");
        }
        assert!(
            !html.contains("onclick") && !html.contains("{ .") && !html.contains("{ width"),
            "{html}"
        );
        if !kept {
            assert!(html.contains("<a href=\"guide.html\">S'abonner</a>"), "{html}");
        }
    }
}

#[test]
fn a_literate_nav_summary_is_the_navigation_of_an_mkdocs_project() {
    let (tmp, kb) = small_site(&[
        ("mkdocs.yml", "site_name: S\nplugins:\n  - literate-nav\n"),
        (
            "docs/SUMMARY.md",
            "# Sommaire\n\n- pas cette liste\n\n* [Accueil](index.md)\n* Bien démarrer\n    * [Installer](guide/install.md)\n    * guide/*.md\n* [Opérations](ops/)\n* [Référence](ref/index.md)\n    * [Zeta](ref/zeta.md)\n* [Forge](https://forge.example/)\n* [Perdue](perdue.md)\n* Rien\n* *.md\n* aucun/*.md\n",
        ),
        ("docs/index.md", "# Home\n"),
        ("docs/guide/install.md", "# Install\n"),
        ("docs/guide/config.md", "# Config\n"),
        ("docs/guide/alpha.md", "# Alpha guide\n"),
        (
            "docs/ops/SUMMARY.md",
            "* [Redémarrer](restart.md)\n* [Le reste](sub/)\n",
        ),
        ("docs/ops/restart.md", "# Restart\n"),
        ("docs/ops/backup.md", "# Backup\n"),
        ("docs/ops/sub/deep.md", "# Deep\n"),
        ("docs/ref/index.md", "# Ref index\n"),
        ("docs/ref/zeta.md", "# Zeta ref\n"),
        ("docs/loose.md", "# Loose\n"),
        ("docs/about.md", "# About\n"),
    ]);
    let out = tmp.path().join("site");
    // SUMMARY.md is a page too, as MkDocs builds it: its link to a
    // missing page is a broken link besides.
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // As `mkdocs build` with the plugin lists them: the last list of the
    // file; a folder's own SUMMARY.md; a pattern's pages by name, but for
    // those named already; the root's other pages last, by name.
    let nav = |file: &str| sidebar(out.join(file));
    let home = nav("index.html");
    assert_in_order(
        &home,
        &[
            ">Accueil<",
            ">Bien démarrer<",
            ">Opérations<",
            ">Référence<",
            "https://forge.example/",
            ">About<",
            ">Loose<",
        ],
    );
    assert!(
        !home.contains("pas cette liste") && !home.contains(">Backup<"),
        "{home}"
    );
    assert_in_order(
        &nav("guide/install.html"),
        &[">Installer<", ">Alpha guide<", ">Config<"],
    );
    assert_in_order(&nav("ops/restart.html"), &[">Redémarrer<", ">Le reste<"]);
    assert!(!nav("ops/restart.html").contains(">Backup<"));
    // Pages left out of the list are built all the same; what names no
    // page is said at its line.
    assert!(out.join("ops/backup.html").is_file());
    assert!(
        err.contains(
            "docs/SUMMARY.md:13 warning: the navigation names perdue.md, which is not in the docs folder"
        ),
        "{err}"
    );
    assert!(
        err.contains("docs/SUMMARY.md:14 warning: `Rien` in the navigation is no page nor group"),
        "{err}"
    );
    // As `mkdocs build` says it.
    assert!(
        err.contains(
            "docs/SUMMARY.md:16 warning: the navigation's pattern `aucun/*.md` matches no page or folder in the docs folder"
        ),
        "{err}"
    );
    assert!(!err.contains("pattern `*.md`"), "{err}");
    assert!(!err.contains("unknown-plugin"), "{err}");
}

#[test]
fn literate_nav_reads_the_folders_and_patterns_of_an_mkdocs_yml_nav() {
    // As `mkdocs build` with the plugin lists it: a titled folder is its
    // nav file (or its pages) under that title, a pattern its pages that
    // `nav` names nowhere else, in order; a group left empty goes.
    let (tmp, kb) = small_site(&[
        (
            "mkdocs.yml",
            "site_name: S\nplugins:\n  - literate-nav\nnav:\n  - index.md\n  - Les T: \"t*.md\"\n  - Guide: guide/\n  - Ops: ops/\n  - Deux:\n    - guide/*.md\n  - \"*.md\"\n  - absent/\n",
        ),
        ("docs/index.md", "# Home\n"),
        ("docs/t1.md", "# Tome 1\n"),
        ("docs/t2.md", "# Tome 2\n"),
        ("docs/loose.md", "# Loose\n"),
        ("docs/guide/index.md", "# Guide index\n"),
        ("docs/guide/a.md", "# Guide A\n"),
        ("docs/ops/SUMMARY.md", "* [Sauvegarder](x.md)\n"),
        ("docs/ops/x.md", "# Backup\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let nav = |file: &str| sidebar(out.join(file));
    assert_in_order(
        &nav("t1.html"),
        &[
            ">Home<", ">Les T<", ">Tome 1<", ">Tome 2<", ">Guide<", ">Ops<", ">Loose<",
        ],
    );
    assert_in_order(&nav("guide/a.html"), &[">Guide<", ">Guide A<", ">Ops<"]);
    assert_in_order(&nav("ops/x.html"), &[">Ops<", ">Sauvegarder<", ">Loose<"]);
    assert!(!nav("t1.html").contains(">Deux<"), "{}", nav("t1.html"));
    assert!(
        err.contains("mkdocs.yml:12 warning: `nav` names absent/, which is not in the docs folder"),
        "{err}"
    );
    assert!(!err.contains("t*.md") && !err.contains("guide/"), "{err}");
}

#[test]
fn a_literate_nav_list_indented_by_two_spaces_is_read_as_mkdocs_reads_it() {
    // Python-Markdown nests a list in another only when it is indented by
    // the plugin's `tab_length` (4): `mkdocs build` shows Alpha and Beta
    // beside Gamma, Delta beside Epsilon under Zeta, and stops at the group
    // that is left with nothing under it.
    let summary = "* [Gamma](gamma.md)\n  * [Alpha](a.md)\n  * [Beta](b.md)\n* Groupe\n  * [Eta](eta.md)\n* Zeta\n    * [Epsilon](e.md)\n      * [Delta](d.md)\n";
    for (config, nested) in [
        ("site_name: S\nplugins:\n  - literate-nav\n", false),
        (
            "site_name: S\nplugins:\n  - literate-nav:\n      tab_length: 2\n",
            true,
        ),
    ] {
        let mut files = vec![
            ("mkdocs.yml", config),
            ("docs/SUMMARY.md", summary),
            ("docs/index.md", "# Home\n"),
        ];
        for (file, title) in [
            ("docs/gamma.md", "# Gamma\n"),
            ("docs/a.md", "# Alpha\n"),
            ("docs/b.md", "# Beta\n"),
            ("docs/eta.md", "# Eta\n"),
            ("docs/e.md", "# Epsilon\n"),
            ("docs/d.md", "# Delta\n"),
        ] {
            files.push((file, title));
        }
        let (tmp, kb) = small_site(&files);
        let out = tmp.path().join("site");
        let o = build(&kb, &out, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        // How deep an entry is in the navigation of `file`: 1 at the top.
        let depth = |file: &str, title: &str| nav_depth(&sidebar(out.join(file)), title);
        if nested {
            assert_eq!(depth("a.html", "Alpha"), 2);
            assert_eq!(depth("eta.html", "Eta"), 2);
            assert_eq!(depth("d.html", "Delta"), 3);
            assert!(!err.contains("indented"), "{err}");
        } else {
            for (page, title) in [("a.html", "Alpha"), ("b.html", "Beta"), ("eta.html", "Eta")] {
                assert_eq!(depth(page, title), 1, "{page}");
            }
            assert_eq!(depth("d.html", "Delta"), 2);
            assert_eq!(depth("e.html", "Epsilon"), 2);
            assert!(
                err.contains("docs/SUMMARY.md:2 warning: `Alpha` is indented by 2 space(s) under `Gamma`: MkDocs' literate-nav nests a list only when it is indented by 4, so it shows `Alpha` beside `Gamma`"),
                "{err}"
            );
            assert!(
                err.contains("docs/SUMMARY.md:4 warning: `Groupe` in the navigation has no page and nothing under it: the list below it is indented by 2 space(s)"),
                "{err}"
            );
            assert!(
                err.contains("docs/SUMMARY.md:8 warning: `Delta` is indented by 2 space(s) under `Epsilon`"),
                "{err}"
            );
        }
    }
}

#[test]
fn line_breaks_are_kept_where_the_sites_tool_keeps_them() {
    let text = "Ligne une\nligne deux.\n";
    for (files, kept) in [
        (
            [
                ("mkdocs.yml", "site_name: S\nmarkdown_extensions:\n  - nl2br\n"),
                ("docs/index.md", text),
            ],
            true,
        ),
        (
            [
                ("mkdocs.yml", "site_name: S\nmarkdown_extensions:\n  - toc\n"),
                ("docs/index.md", text),
            ],
            false,
        ),
        (
            [
                (
                    "hugo.toml",
                    "title = \"H\"\n[markup.goldmark.renderer]\nhardWraps = true\n",
                ),
                ("content/_index.md", text),
            ],
            true,
        ),
        (
            [("hugo.toml", "title = \"H\"\n"), ("content/_index.md", text)],
            false,
        ),
    ] {
        let (tmp, kb) = small_site(&files);
        let out = tmp.path().join("site");
        let o = build(&kb, &out, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(!err.contains("nl2br"), "{err}");
        let html = read(out.join("index.html"));
        let want = if kept {
            "Ligne une<br />\nligne deux."
        } else {
            "Ligne une\nligne deux."
        };
        assert!(html.contains(want), "{}: {html}", files[0].1);
    }
}

#[test]
fn a_hugo_site_gets_the_heading_anchors_its_auto_heading_id_type_makes() {
    // The link is a broken anchor (exit 1) unless the heading gets that anchor.
    let page = "---\ntitle: A\n---\n## Réseau : privé\n\nVoir [le réseau](#{anchor}).\n";
    for (kind, anchor) in [
        ("", "réseau--privé"),
        (
            "[markup.goldmark.parser]\nautoHeadingIDType = \"github-ascii\"\n",
            "reseau--prive",
        ),
        (
            "[markup.goldmark.parser]\nautoHeadingIDType = \"blackfriday\"\n",
            "réseau-privé",
        ),
    ] {
        let config = format!("title = \"H\"\n{kind}");
        let text = page.replace("{anchor}", anchor);
        let (tmp, kb) = small_site(&[("hugo.toml", config.as_str()), ("content/a.md", text.as_str())]);
        let out = tmp.path().join("site");
        let o = build(&kb, &out, &[]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", stderr(&o));
        let html = read(out.join("a.html"));
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{kind}: {html}");
    }
}

#[test]
fn french_angle_quotes_around_a_word_are_quotes_on_a_hugo_site_not_html() {
    let (tmp, kb) = small_site(&[
        ("hugo.toml", "title = \"H\"\n"),
        (
            "content/a.md",
            "---\ntitle: A\n---\nUn <<mot>> et <<un mot>>, puis a <<b>> c <<d>>. Seul <<ouvert> fin. Et <b>gras</b> brut.\n\n## Titre <<cité>>\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = read(out.join("a.html"));
    // As Hugo's typographer reads them (checked with Hugo 0.111): the word
    // stays, where the parser alone would take `<mot>` for HTML and leave it out.
    for want in [
        "Un «mot» et «un mot», puis a «b» c «d». Seul «ouvert&gt; fin. Et <!-- raw HTML omitted -->gras<!-- raw HTML omitted --> brut.",
        "id=\"titre-cité\"",
        "Titre «cité»",
    ] {
        assert!(html.contains(want), "{want}: {html}");
    }
}

#[test]
fn inline_code_that_names_its_language_shows_the_code_where_inlinehilite_is_on() {
    let page = "# A\n\nLancer `#!python print(\"x\")`, `:::bash ls -l` ou `#!/bin/bash`.\n";
    for (extensions, shown) in [
        (
            "  - pymdownx.inlinehilite\n",
            "<code>print(\"x\")</code>, <code>ls -l</code> ou <code>#!/bin/bash</code>",
        ),
        (
            "  - toc\n",
            "<code>#!python print(\"x\")</code>, <code>:::bash ls -l</code> ou <code>#!/bin/bash</code>",
        ),
    ] {
        let config = format!("site_name: S\nmarkdown_extensions:\n{extensions}");
        let (tmp, kb) = small_site(&[("mkdocs.yml", config.as_str()), ("docs/index.md", page)]);
        let out = tmp.path().join("site");
        let o = build(&kb, &out, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let html = read(out.join("index.html"));
        assert!(html.contains(shown), "{extensions}: {html}");
    }
}

#[test]
fn a_hugo_ref_from_a_translated_page_leads_to_the_page_in_its_language() {
    let config =
        "title: H\ndefaultContentLanguage: fr\nlanguages:\n  fr:\n    weight: 1\n  en:\n    weight: 2\n";
    let (tmp, kb) = small_site(&[
        ("hugo.yaml", config),
        ("content/a.md", "---\ntitle: Accueil A\n---\nTexte.\n"),
        ("content/a.en.md", "---\ntitle: Home A\n---\nText.\n"),
        (
            "content/b.md",
            "---\ntitle: B\n---\nVoir [A]({{< ref \"a.md\" >}}).\n",
        ),
        (
            "content/b.en.md",
            "---\ntitle: B en\n---\nSee [A]({{< ref \"a.md\" >}}).\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let o = build(&kb, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // As Hugo's `ref` finds it: the page in the language of the page that
    // asks.
    let fr = read(out.join("b.html"));
    assert!(fr.contains("href=\"a.html\">A</a>"), "{fr}");
    let en = read(out.join("en/b.html"));
    assert!(en.contains("href=\"a.html\">A</a>"), "{en}");
}

#[test]
fn an_mkdocs_group_names_its_section_and_its_index_page_keeps_its_title() {
    // As `mkdocs build` (Material) shows `- Guide: [guide/index.md, …]`:
    // "Guide" in the navigation and the breadcrumbs, the page's own title
    // in its tab, or the title its own entry gives it (`- Intro:
    // notes/index.md`). With section-index, an index page its entry does
    // not title becomes the section, under the group's title.
    for (plugins, guide_tab) in [("", "Overview"), ("plugins:\n  - section-index\n", "Guide")] {
        let config = format!(
            "site_name: Asso\n{plugins}nav:\n  - index.md\n  - Guide:\n    - guide/index.md\n    - guide/a.md\n  - Notes:\n    - Intro: notes/index.md\n    - notes/b.md\n"
        );
        let (tmp, kb) = small_site(&[
            ("mkdocs.yml", config.as_str()),
            ("docs/index.md", "# Home\n"),
            ("docs/guide/index.md", "# Overview\n"),
            ("docs/guide/a.md", "# Page A\n"),
            ("docs/notes/index.md", "# Notes index\n"),
            ("docs/notes/b.md", "# Page B\n"),
        ]);
        let out = tmp.path().join("site");
        let o = build(&kb, &out, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let guide = read(out.join("guide/index.html"));
        assert!(
            guide.contains(&format!("<title>{guide_tab} · Asso")),
            "{plugins}: {guide}"
        );
        assert!(
            guide.contains(">Overview</h1>"),
            "{plugins}: the page's own heading"
        );
        let notes = read(out.join("notes/index.html"));
        assert!(notes.contains("<title>Intro · Asso"), "{plugins}: {notes}");
        let a = read(out.join("guide/a.html"));
        let crumbs = &a[a.find("breadcrumbs").expect("breadcrumbs")..];
        assert!(
            crumbs[..crumbs.find("</nav>").unwrap()].contains(">Guide<"),
            "{plugins}: {crumbs}"
        );
        let nav = sidebar(out.join("guide/a.html"));
        assert_in_order(&nav, &[">Home<", ">Guide<", ">Page A<", ">Notes<"]);
    }
}
