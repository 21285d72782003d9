//! Links: resolution against the site model ([`resolve`]) and the internal
//! check that `vigie build` and `vigie check links` share ([`check_internal`]).

pub mod check;
pub mod resolve;

use crate::content::Site;
use crate::markdown::{LinkKind, Rendered};
use crate::report::{Finding, Severity};
use resolve::{Target, suggest_anchor};

/// Findings for every broken internal link and anchor of the rendered site.
/// `rendered[i]` belongs to `site.pages[i]`.
pub fn check_internal(site: &Site, rendered: &[Rendered]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (page, r) in site.pages.iter().zip(rendered) {
        for link in &r.links {
            let finding =
                |rule: &str, severity: Severity, message: String, suggestion: Option<String>| Finding {
                    rule: rule.into(),
                    severity,
                    page: page.display().to_string(),
                    line: link.line,
                    col: Some(link.col),
                    target: Some(link.href.clone()),
                    message,
                    suggestion,
                };
            let what = match link.kind {
                LinkKind::Image => "image",
                _ => "link",
            };
            match &link.target {
                Target::Broken { reason, suggestion } => findings.push(finding(
                    "broken-link",
                    Severity::Error,
                    format!("{what} `{}`: {reason}", link.href),
                    suggestion.clone(),
                )),
                Target::Script => findings.push(finding(
                    "javascript-link",
                    Severity::Error,
                    format!("`{}`: javascript: links are not allowed", link.href),
                    None,
                )),
                Target::SamePage { fragment } if !anchor_ok(fragment, r) => {
                    findings.push(finding(
                        "broken-anchor",
                        Severity::Error,
                        format!("no heading `#{fragment}` on this page"),
                        suggest_anchor(fragment, r.anchors.iter().map(String::as_str))
                            .map(|a| format!("did you mean `#{a}`?")),
                    ));
                }
                Target::Page {
                    id,
                    fragment: Some(fragment),
                } => {
                    let target = &rendered[*id];
                    if !anchor_ok(fragment, target) {
                        let base = link.href.split('#').next().unwrap_or("");
                        findings.push(finding(
                            "broken-anchor",
                            Severity::Error,
                            format!("`{}` has no heading `#{fragment}`", site.page(*id).display()),
                            suggest_anchor(fragment, target.anchors.iter().map(String::as_str))
                                .map(|a| format!("did you mean `{base}#{a}`?")),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    findings
}

fn anchor_ok(fragment: &str, r: &Rendered) -> bool {
    fragment.is_empty() || fragment == "top" || r.anchors.contains(fragment) || fragment.starts_with("fn-")
}
