use super::super::preprocess;
use super::*;

fn run(s: &str) -> String {
    preprocess(s, &[], "en", true).text
}

#[test]
fn heads_read_as_python_markdown_reads_them() {
    assert_eq!(
        head("!!! warning \"Do not\""),
        Some(Head::Admonition {
            kind: "warning".into(),
            title: Some("Do not".into())
        })
    );
    assert_eq!(
        head("!!!Note"),
        Some(Head::Admonition {
            kind: "note".into(),
            title: None
        })
    );
    assert_eq!(
        head("!!! danger highlight \"\""),
        Some(Head::Admonition {
            kind: "danger".into(),
            title: Some(String::new())
        })
    );
    assert_eq!(
        head("???+ tip"),
        Some(Head::Details {
            kind: "tip".into(),
            title: None,
            open: true
        })
    );
    assert_eq!(
        head("===! \"Linux\""),
        Some(Head::Tab {
            title: "Linux".into(),
            new_set: true
        })
    );
    // not constructs: no type, a bare setext underline, a sentence
    assert_eq!(head("!!! \"Title only\""), None);
    assert_eq!(head("==="), None);
    assert_eq!(head("!!! this is great!"), None);
}

#[test]
fn admonition_in_a_list_item_stays_in_it() {
    let out = run(
        "1. Configure.\n\n    !!! note \"Mapping\"\n        Not supported.\n\n    Still step 1.\n2. Next\n",
    );
    assert!(
        out.contains(
            "\n    <div class=\"callout callout-note\" role=\"note\"><p class=\"callout-title\">Mapping</p>\n"
        ),
        "{out}"
    );
    assert!(out.contains("\n    Not supported.\n"), "{out}");
    assert!(out.contains("\n    </div>\n"), "{out}");
    assert!(!out.contains("!!!"), "{out}");
}

#[test]
fn indented_code_is_left_alone() {
    let src = "Text\n\n    !!! note\n        not an admonition\n    {{< callout >}}\n";
    assert_eq!(run(src), src);
    // code under a list item is indented four more than the item's content
    let src = "1. Step\n\n        !!! note\n";
    assert_eq!(run(src), src);
}

#[test]
fn nested_admonitions_and_line_map() {
    let p = preprocess(
        "!!! note\n    Outer\n\n    !!! warning \"Inner\"\n        Deep **text**\n\nAfter\n",
        &[],
        "fr",
        true,
    );
    let out = &p.text;
    assert!(out.contains("<p class=\"callout-title\">Remarque</p>"), "{out}");
    assert!(out.contains("<p class=\"callout-title\">Inner</p>"), "{out}");
    assert_eq!(out.matches("</div>").count(), 2, "{out}");
    let at = out.find("Deep **text**").expect("inner body");
    assert_eq!(p.lines.line(at), 5);
    let after = out.find("After").expect("after");
    assert_eq!(p.lines.line(after), 7);
}

#[test]
fn admonition_in_a_block_quote() {
    let out = run("> Quoted.\n>\n> !!! note\n>     In a quote.\n\nAfter\n");
    assert!(
        out.contains("> Quoted.\n>\n>\n> <div class=\"callout callout-note\""),
        "{out}"
    );
    assert!(out.contains("> In a quote.\n>\n> </div>\n"), "{out}");
    assert!(!out.contains("!!!"), "{out}");
    // a quote without constructs is left as written
    let src = "> a\n> b\n";
    assert_eq!(run(src), src);
}

#[test]
fn tabs_form_one_set_until_a_bang() {
    let out = run("=== \"Debian\"\n    apt\n\n=== \"Alpine\"\n\n    apk\n\n===! \"Other\"\n    x\n\nText\n");
    assert_eq!(out.matches("<div class=\"tabs\">").count(), 2, "{out}");
    assert!(out.contains("data-tab=\"Debian\""), "{out}");
    assert!(out.contains("data-tab=\"Alpine\""), "{out}");
    assert!(out.contains("\napk\n"), "{out}");
    assert!(!out.contains("==="), "{out}");
    assert!(out.trim_end().ends_with("Text"), "{out}");
}

#[test]
fn markdown_inside_html() {
    let out =
        run("<div class=\"grid cards\" markdown>\n**a**\n<div markdown=\"1\">\n*b*\n</div>\n</div>\nafter\n");
    assert_eq!(
        out,
        "\n<div class=\"grid cards\">\n\n**a**\n\n<div>\n\n*b*\n\n</div>\n\n\n</div>\n\nafter\n"
    );
    // span elements and other values keep their HTML
    let src = "<p markdown=\"span\">x</p>\n";
    assert_eq!(run(src), src);
    // on one line
    assert_eq!(run("<div markdown>*x*</div>\n"), "\n<div>\n\n*x*\n\n</div>\n\n");
}

#[test]
fn abbreviations_are_collected_and_removed() {
    let p = preprocess(
        "Use HTML.\n\n*[HTML]: Hyper Text Markup Language\n",
        &[],
        "en",
        true,
    );
    assert_eq!(
        p.abbrs,
        vec![("HTML".to_string(), "Hyper Text Markup Language".to_string())]
    );
    assert!(!p.text.contains("*["), "{}", p.text);
}

#[test]
fn attribute_lists_after_links_images_and_emphasis_are_kept_as_markers() {
    let m = |list: &str| crate::markdown::attrs::marker(list);
    assert_eq!(
        strip_attr_lists("[Go](x.md){ .md-button }, **gras**{ .x } and `a](b){ .y }`", true).as_deref(),
        Some(
            format!(
                "[Go](x.md){}, **gras**{} and `a](b){{ .y }}`",
                m("{ .md-button }"),
                m("{ .x }")
            )
            .as_str()
        )
    );
    // One that starts with `{:` anywhere else is left out, as before.
    assert_eq!(
        strip_attr_lists("Texte {: .z } fin", true).as_deref(),
        Some("Texte fin")
    );
}

#[test]
fn attribute_lists_are_dropped_outside_code() {
    assert_eq!(
        strip_attr_lists(
            "[Go](x.md){ .md-button } and ![i](a.png){: width=\"300\" }",
            false
        )
        .as_deref(),
        Some("[Go](x.md) and ![i](a.png)")
    );
    assert_eq!(
        strip_attr_lists("`{: .x }` and ${HOME} and {not attrs}", false),
        None
    );
    assert_eq!(strip_attr_lists("## Title { #id }", false), None);
    assert_eq!(run("Para\n{: .lead }\n"), "Para\n\n");
}

#[test]
fn indentation_helpers() {
    assert_eq!(indent_width("\t  x"), 6);
    assert_eq!(strip_cols("\tx", 2), "  x");
    assert_eq!(strip_cols("        x", 4), "    x");
    assert_eq!(list_marker("- a"), Some(2));
    assert_eq!(list_marker("10. a"), Some(4));
    assert_eq!(list_marker(":   def"), Some(4));
    assert_eq!(list_marker("* * *"), None);
    assert_eq!(list_marker("-flag"), None);
}

#[test]
fn the_quick_check_sees_every_mark_where_a_line_can_start_it() {
    // The rule spelled out: a mark where only indentation or `>` precedes it.
    let rule = |body: &str| {
        let starts = |m: &str| {
            body.match_indices(m).any(|(i, _)| {
                let line = body[..i].rfind('\n').map_or(0, |n| n + 1);
                body[line..i].bytes().all(|c| matches!(c, b' ' | b'\t' | b'>'))
            })
        };
        ["!!!", "???", "===", "*["].iter().any(|m| starts(m))
            || ["{:", "{#", "{.", "{ #", "{ .", "){"]
                .iter()
                .any(|m| body.contains(m))
            || [" markdown>", " markdown=", " markdown "]
                .iter()
                .any(|m| body.contains(m))
    };
    let pieces = [
        "",
        "\n",
        " ",
        "\t",
        "> ",
        "x",
        "!!!",
        "!!",
        "???",
        "===",
        "==",
        "*[",
        "*",
        "{",
        ":",
        "#",
        ".",
        " ",
        ")",
        " markdown",
        ">",
        "=",
        "é",
        "\r\n",
    ];
    let mut checked = 0;
    for a in pieces {
        for b in pieces {
            for c in pieces {
                let body = format!("{a}{b}{c}");
                assert_eq!(may_hold_syntax(&body), rule(&body), "{body:?}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, pieces.len().pow(3));
    assert!(may_hold_syntax("text\n  > !!! note\n    body"));
    assert!(!may_hold_syntax("a != b !!! not at a line start, {x}, (y) { no"));
}

#[test]
fn admonish_fences_are_admonitions_in_a_book_that_runs_admonish() {
    let body = "```admonish warning title=\"Ne pas redémarrer\"\nLe **quorum** tombe.\n```\n\n```admonish\nNote.\n```\n\n```admonish tip collapsible=true\nCaché.\n```\n\n1. Étape\n\n   ```admonish danger title=\"\"\n   Dans une liste.\n   ```\n\n```admonishment\nx\n```\nFin.\n";
    let p = super::super::preprocess_with(body, &[], "fr", false, true, false);
    let t = &p.text;
    assert!(
        t.contains("<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Ne pas redémarrer</p>\n\nLe **quorum** tombe.\n"),
        "{t}"
    );
    // No kind: a note, titled in the page's language.
    assert!(
        t.contains("<p class=\"callout-title\">Remarque</p>\n\nNote.\n"),
        "{t}"
    );
    assert!(
        t.contains("<details class=\"callout callout-tip\"><summary class=\"callout-title\">Astuce</summary>\n\nCaché.\n"),
        "{t}"
    );
    // Inside a list item, at its indentation; `title=""`: no title.
    assert!(
        t.contains("   <div class=\"callout callout-danger\" role=\"note\">\n\n   Dans une liste.\n"),
        "{t}"
    );
    // Another language's fence is code, and what follows is read.
    assert!(t.contains("```admonishment\nx\n```\nFin."), "{t}");
    // The body's lines keep their source lines.
    let at = t.find("Dans une liste").unwrap();
    assert_eq!(p.lines.line(at), 16);
    // A book that does not run it: code, as mdBook shows it.
    let p = super::super::preprocess_with(body, &[], "fr", false, false, false);
    assert_eq!(p.text, body);
}

#[test]
fn slash_blocks_are_admonitions_and_details() {
    let body = "/// admonition | Ne pas redémarrer\n    type: warning\n\nLe **quorum** tombe.\n///\n\n/// details | Plus\n    open: true\n\nCaché.\n///\n\n/// tip\nAstuce seule.\n///\n\n/// caption\nTexte.\n///\n\n/// html | div.grid.cards#liste\n\n- **un**\n///\n\n/// html | div[x]\ny\n///\n\nFin.\n";
    let p = super::super::preprocess(body, &[], "fr", true);
    let t = &p.text;
    assert!(
        t.contains("<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Ne pas redémarrer</p>\n\nLe **quorum** tombe.\n"),
        "{t}"
    );
    assert!(
        t.contains("<details class=\"callout callout-note\" open><summary class=\"callout-title\">Plus</summary>\n\nCaché.\n"),
        "{t}"
    );
    assert!(t.contains("<div class=\"callout callout-tip\" role=\"note\"><p class=\"callout-title\">Astuce</p>\n\nAstuce seule.\n"), "{t}");
    // A block it does not know is left as written; the options are no text.
    assert!(t.contains("/// caption\nTexte.\n///\n"), "{t}");
    // An element, its inside Markdown; one that is no selector stays as written.
    assert!(
        t.contains("<div class=\"grid cards\" id=\"liste\">\n\n- **un**\n\n</div>"),
        "{t}"
    );
    assert!(t.contains("/// html | div[x]\ny\n///\n\nFin."), "{t}");
    assert!(!t.contains("type: warning") && !t.contains("open: true"), "{t}");
    let at = t.find("Caché").unwrap();
    assert_eq!(p.lines.line(at), 10);
}

#[test]
fn slash_tabs_are_a_tab_set_as_equals_tabs_are() {
    let slashes = "/// tab | Debian\n\n    apt install x\n\n///\n\n/// tab | Alpine\nRien.\n///\n\n/// tab | Autre\n    new: true\n\nSeul.\n///\nFin.\n";
    let equals = "=== \"Debian\"\n\n        apt install x\n\n=== \"Alpine\"\n    Rien.\n\n===! \"Autre\"\n\n    Seul.\n\nFin.\n";
    let a = super::super::preprocess(slashes, &[], "fr", true).text;
    let b = super::super::preprocess(equals, &[], "fr", true).text;
    let shape = |t: &str| {
        t.lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(shape(&a), shape(&b), "{a}\n----\n{b}");
    assert!(a.contains("Debian") && a.contains("Fin."), "{a}");
}
