//! Property tests: the parsers that read what contributors write never
//! panic, and the URLs vigie generates are never read as a script link,
//! whatever the input. Each property runs 256 cases by default; a longer
//! run (see SECURITY.md):
//!
//! ```sh
//! PROPTEST_CASES=20000 cargo test --release --test properties
//! ```

use std::path::Path;

use proptest::prelude::*;
use vigie::content::resolve::{relative_url, unsafe_url};

/// Text made of the pieces that matter to the parsers, and anything else.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_string()),
        Just("+++\n".to_string()),
        Just("title: ".to_string()),
        Just("tags: [a, b]\n".to_string()),
        Just("{{< callout warning >}}".to_string()),
        Just("{{< /callout >}}".to_string()),
        Just("{{% steps %}}".to_string()),
        Just("{{% /steps %}}".to_string()),
        Just("{{< tabs >}}{{< tab \"A\" >}}".to_string()),
        Just("{{< ref \"/nope/\" >}}".to_string()),
        Just("{{< param x >}}".to_string()),
        Just("!!! note \"Titre\"\n".to_string()),
        Just("??? warning\n".to_string()),
        Just("    indenté\n".to_string()),
        Just("> [!WARNING]\n".to_string()),
        Just("```yaml\n".to_string()),
        Just("```\n".to_string()),
        Just("\n".to_string()),
        Just("é".to_string()),
        Just("\0".to_string()),
        "[ -~]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// A path segment from characters that matter to URLs.
fn segment() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9:._%#?\"<> éà-]{1,10}"
}

/// The scheme of a URL as a browser reads it (WHATWG URL: a letter, then
/// letters, digits, `+`, `-`, `.`, then `:`), if any.
fn browser_scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let name = &url[..colon];
    let mut chars = name.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(name)
}

proptest! {
    #[test]
    fn front_matter_splitting_never_panics_and_keeps_the_body(text in markdownish()) {
        use vigie::content::frontmatter::{Invalid, split};
        if let Ok(s) = split(Path::new("p.md"), &text, Invalid::Error) {
            prop_assert!(text.ends_with(s.body), "the body is the end of the file");
            prop_assert!(s.body_line >= 1);
        }
        // Read as MkDocs and mdBook read it, too.
        for invalid in [Invalid::Text, Invalid::Rule] {
            if let Ok(s) = split(Path::new("p.md"), &text, invalid) {
                prop_assert!(text.ends_with(s.body));
            }
        }
    }

    #[test]
    fn shortcodes_and_admonitions_never_panic(text in markdownish(), fr in any::<bool>()) {
        let out = vigie::markdown::shortcodes::preprocess(&text, &[], if fr { "fr" } else { "en" }, fr);
        let lines = text.lines().count() + 1;
        for (line, _) in &out.warnings {
            prop_assert!(*line >= 1 && *line <= lines + 1, "warning at line {line} of {lines}");
        }
    }

    #[test]
    fn slugs_are_stable_and_safe_in_an_attribute(text in any::<String>()) {
        let slug = vigie::markdown::slug::slugify(&text);
        prop_assert_eq!(&slug, &vigie::markdown::slug::slugify(&text));
        prop_assert!(!slug.chars().any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '#' | '\'')), "{slug:?}");
    }

    #[test]
    fn reference_extraction_never_panics(text in markdownish(), lang in prop_oneof![Just("bash"), Just("yaml"), Just("")]) {
        let text = text.replace("title: ", "kubectl get deployment/nova-api -n openstack ");
        let blocks = [vigie::markdown::CodeBlock { lang: lang.to_string(), text, line: 1 }];
        let _ = vigie::freshness::references::extract(&blocks);
    }

    #[test]
    fn generated_urls_are_never_script_links(
        from in prop::collection::vec(segment(), 1..4),
        to in prop::collection::vec(segment(), 1..4),
    ) {
        let (from, to) = (from.join("/") + ".html", to.join("/") + ".html");
        if unsafe_url(&to).is_none() {
            let href = relative_url(&from, &to);
            prop_assert!(browser_scheme(&href).is_none(), "{from} -> {to}: {href}");
            prop_assert!(!href.contains(['"', '<', '>']), "{href}");
        } else {
            // what is refused really could have gone wrong somewhere
            let reason = unsafe_url(&to).unwrap();
            prop_assert!(
                to.contains(['"', '<', '>', '\\', '`', '?', '#']) || to.chars().any(char::is_control)
                    || to.split('/').any(|s| browser_scheme(s).is_some()),
                "{to}: {reason}"
            );
        }
    }
}

/// Heading anchors are unique within a page, whatever the headings say.
#[test]
fn anchors_are_unique_per_page() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 24,
        ..ProptestConfig::default()
    });
    let headings = prop::collection::vec(
        prop_oneof![
            Just("Étapes".to_string()),
            Just("étapes".to_string()),
            Just("Étapes 1".to_string()),
            "[a-zA-Z éà!-]{0,8}"
        ],
        1..12,
    );
    runner
        .run(&headings, |headings| {
            let tmp = tempfile::tempdir().unwrap();
            let body: String = headings.iter().map(|h| format!("## {h}\n\ntexte\n\n")).collect();
            std::fs::write(tmp.path().join("index.md"), format!("# Accueil\n\n{body}")).unwrap();
            let config = vigie::config::Config::load(tmp.path()).unwrap();
            let rs = vigie::markdown::RenderedSite::load(config).unwrap();
            let ids: Vec<&str> = rs.rendered[rs.site.home]
                .headings
                .iter()
                .map(|h| h.id.as_str())
                .collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), ids.len(), "{:?}", ids);
            Ok(())
        })
        .unwrap();
}
