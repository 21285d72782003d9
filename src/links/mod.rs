//! Links: the internal check that `vigie build` and `vigie check links` share
//! ([`check_internal`], on links the renderer resolved with
//! [`crate::content::resolve`]), "did
//! you mean" suggestions ([`suggest`]), and the external check through
//! lychee-lib ([`external`], with its persistent [`cache`]) behind
//! `vigie check links` ([`check`]).

pub mod cache;
pub mod check;
pub mod external;
pub mod locate;
pub mod settings;
pub mod suggest;

use rayon::prelude::*;

use crate::content::resolve::Target;
use crate::content::{Page, Site};
use crate::markdown::{LinkKind, LinkRef, Rendered, RenderedSite};
use crate::report::{Finding, Report, Severity};
use locate::{SourceText, locate};
use suggest::Suggester;

/// Loading warnings, rendering warnings and broken internal links of `rs`:
/// what `vigie build` reports and `vigie check links` starts from.
pub fn internal_report(rs: &RenderedSite) -> Report {
    let mut findings = rs.site.warnings.clone();
    for r in &rs.rendered {
        findings.extend(r.warnings.iter().cloned());
    }
    findings.extend(check_internal(&rs.site, &rs.rendered));
    Report::new(findings)
}

/// Rendering warnings and broken internal links of pages `ids` only: what
/// [`internal_report`] says of them (`serve` compares them before and after a save).
pub fn pages_findings(rs: &RenderedSite, ids: &[crate::content::PageId]) -> Vec<Finding> {
    let suggester = Suggester::new(&rs.site, &rs.rendered);
    ids.par_iter()
        .flat_map_iter(|&id| {
            let (page, r) = (rs.site.page(id), &rs.rendered[id]);
            let mut found = r.warnings.clone();
            found.extend(page_findings(&rs.site, &suggester, &rs.rendered, page, r));
            found
        })
        .collect()
}

/// Findings for every broken internal link and anchor of the rendered site.
/// `rendered[i]` belongs to `site.pages[i]`.
pub fn check_internal(site: &Site, rendered: &[Rendered]) -> Vec<Finding> {
    let suggester = Suggester::new(site, rendered);
    site.pages
        .par_iter()
        .zip(rendered.par_iter())
        .flat_map_iter(|(page, r)| page_findings(site, &suggester, rendered, page, r))
        .collect()
}

/// Whether the internal check may find something wrong with `link`: a
/// link to a page without an anchor, outside the site or to a file is never
/// reported by it (a build that holds every page's links for the check may
/// drop the others once the page is written).
pub fn may_be_reported(link: &LinkRef) -> bool {
    match &link.target {
        Target::Broken { .. } | Target::Script | Target::SamePage { .. } => true,
        Target::Page { fragment, .. } => fragment.is_some(),
        Target::External | Target::Mail | Target::File { .. } => false,
    }
}

/// What is wrong with one link: rule, message, suggestion.
struct Problem {
    rule: &'static str,
    message: String,
    suggestion: Option<String>,
}

fn page_findings(
    site: &Site,
    suggester: &Suggester<'_>,
    rendered: &[Rendered],
    page: &Page,
    r: &Rendered,
) -> Vec<Finding> {
    let source = SourceText::default();
    let mut out = Vec::new();
    for link in &r.links {
        let Some(p) = problem(site, suggester, rendered, page, r, link) else {
            continue;
        };
        let place = locate(&site.config, page, &source, link.href.trim(), link.line, link.col);
        let message = match &place.included_in {
            Some(by) => format!("{} (in a file included by {by})", p.message),
            None => p.message,
        };
        out.push(Finding {
            rule: p.rule.into(),
            severity: Severity::Error,
            page: place.file,
            line: place.line,
            col: Some(place.col),
            target: Some(link.href.clone()),
            message,
            suggestion: p.suggestion,
        });
    }
    out
}

fn problem(
    site: &Site,
    suggester: &Suggester<'_>,
    rendered: &[Rendered],
    page: &Page,
    r: &Rendered,
    link: &LinkRef,
) -> Option<Problem> {
    let what = match link.kind {
        LinkKind::Image => "image",
        _ => "link",
    };
    let href = &link.href;
    match &link.target {
        Target::Broken { reason, wanted } => {
            let shown = site.config.display_path(&site.config.content_root.join(wanted));
            let message = if wanted.is_empty() {
                format!("{what} `{href}` {reason}")
            } else if reason.starts_with("is ") {
                format!("{what} `{href}`: `{shown}` {reason}")
            } else {
                format!("{what} `{href}`: {reason} (looked for `{shown}`)")
            };
            Some(Problem {
                rule: "broken-link",
                message,
                suggestion: suggester.link(page, href, wanted),
            })
        }
        Target::Script => Some(Problem {
            rule: "javascript-link",
            message: format!(
                "`{}`: `javascript:` links are not allowed (they run code instead of going somewhere)",
                shorten(href)
            ),
            suggestion: Some("link to a page, an anchor or a URL instead".into()),
        }),
        Target::SamePage { fragment } if !anchor_ok(fragment, r) => Some(Problem {
            rule: "broken-anchor",
            message: format!("no anchor `#{fragment}` on this page"),
            suggestion: suggester
                .anchor(fragment, page.id)
                .map(|a| format!("did you mean `#{a}`?")),
        }),
        Target::Page {
            id,
            fragment: Some(fragment),
        } if !anchor_ok(fragment, &rendered[*id]) => {
            let base = href.split('#').next().unwrap_or("");
            Some(Problem {
                rule: "broken-anchor",
                message: format!("no anchor `#{fragment}` in `{}`", site.page(*id).display()),
                suggestion: suggester
                    .anchor(fragment, *id)
                    .map(|a| format!("did you mean `{base}#{a}`?")),
            })
        }
        _ => None,
    }
}

/// Anchors that always exist: the top of the page, footnotes, text fragments.
fn anchor_ok(fragment: &str, r: &Rendered) -> bool {
    fragment.is_empty()
        || fragment == "top"
        || r.anchors.contains(fragment)
        || fragment.starts_with("fn-")
        || fragment.starts_with(":~:")
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(57).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::resolve::Target;

    #[test]
    fn links_said_never_reported_are_not_and_the_others_are_here() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.md"), "# Accueil\n").unwrap();
        std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
        let config = crate::config::Config::load(dir.path()).unwrap();
        let rs = RenderedSite::load(config).unwrap();
        let suggester = Suggester::new(&rs.site, &rs.rendered);
        let page = &rs.site.pages[0];
        let targets = [
            Target::External,
            Target::Mail,
            Target::Script,
            Target::SamePage {
                fragment: "nulle-part".into(),
            },
            Target::Page {
                id: 1,
                fragment: None,
            },
            Target::Page {
                id: 1,
                fragment: Some("nulle-part".into()),
            },
            Target::File {
                rel: "a.png".into(),
                abs: dir.path().join("a.png"),
            },
            Target::Broken {
                reason: "does not exist".into(),
                wanted: "b.md".into(),
            },
        ];
        for target in targets {
            let link = LinkRef {
                href: "x".into(),
                line: 1,
                col: 1,
                kind: LinkKind::Link,
                target,
            };
            let found = problem(&rs.site, &suggester, &rs.rendered, page, &rs.rendered[0], &link);
            // Each target of this list that may be reported is wrong here
            // (a missing anchor, a missing page, a script): both ways hold.
            assert_eq!(found.is_some(), may_be_reported(&link), "{:?}", link.target);
        }
    }
}
