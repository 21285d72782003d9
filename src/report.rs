//! Findings and reports. A broken link, an overdue review or a drifted resource
//! is a [`Finding`]: data, not an error. A [`Report`] renders them as text,
//! JSON (stable, see DESIGN.md), JUnit XML or GitHub Actions annotations.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One thing a check found.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Finding {
    /// Rule name: `broken-link`, `broken-anchor`, `review-overdue`, …
    pub rule: String,
    pub severity: Severity,
    /// Source file relative to the knowledge-base root.
    pub page: String,
    /// 1-based line in that file.
    pub line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub col: Option<usize>,
    /// What the finding is about: a link, a resource, a module path.
    pub target: Option<String>,
    pub message: String,
    /// A fix the user can apply, when one is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl Finding {
    /// `file:line[:col]`; the page alone when there is no line (0: a live
    /// object, not a file).
    pub fn location(&self) -> String {
        match self.col {
            _ if self.line == 0 => self.page.clone(),
            Some(c) => format!("{}:{}:{}", self.page, self.line, c),
            None => format!("{}:{}", self.page, self.line),
        }
    }
}

/// The findings of `after` not in `before`, and those of `before` not in
/// `after` (a finding counted as often as it occurs), in their order.
pub fn difference(after: &[Finding], before: &[Finding]) -> (Vec<Finding>, Vec<Finding>) {
    (only_in(after, before), only_in(before, after))
}

/// The findings of `list` left once each finding of `other` took away one equal to it.
fn only_in(list: &[Finding], other: &[Finding]) -> Vec<Finding> {
    let mut left: std::collections::HashMap<&Finding, usize> = std::collections::HashMap::new();
    for f in other {
        *left.entry(f).or_default() += 1;
    }
    list.iter()
        .filter(|f| match left.get_mut(f) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Junit,
    Github,
}

/// The findings of one check, sorted by file and line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Extra counters a check wants in the summary (`links_checked`, `pages`, …).
    #[serde(skip)]
    pub counters: BTreeMap<String, usize>,
}

/// `text` with control characters (ANSI escapes, NUL) written as escapes.
pub fn printable(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Summary<'a> {
    errors: usize,
    warnings: usize,
    infos: usize,
    #[serde(flatten)]
    counters: &'a BTreeMap<String, usize>,
}

impl Report {
    pub fn new(mut findings: Vec<Finding>) -> Report {
        findings.sort_by(|a, b| (&a.page, a.line, a.col, &a.rule).cmp(&(&b.page, b.line, b.col, &b.rule)));
        findings.dedup();
        Report {
            findings,
            counters: BTreeMap::new(),
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// True when some finding is at or above `level`.
    pub fn fails(&self, level: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= level)
    }

    /// Human text, grouped by file.
    pub fn text(&self) -> String {
        self.shown().text_shown()
    }

    /// `{"findings": […], "summary": {…}}`, keys in the documented order.
    pub fn json(&self) -> String {
        self.shown().json_shown()
    }

    /// JUnit XML, one test case per finding.
    pub fn junit(&self, suite: &str) -> String {
        self.shown().junit_shown(suite)
    }

    /// GitHub Actions workflow commands, one per finding.
    pub fn github(&self) -> String {
        self.shown().github_shown()
    }

    /// The report as it may be shown: no secret (see [`crate::redact`]) and
    /// no terminal control character (a file name holding an ANSI escape is
    /// printed escaped, not obeyed).
    fn shown(&self) -> Report {
        let clean = |s: &str| printable(&crate::redact::redact(s));
        Report {
            findings: self
                .findings
                .iter()
                .map(|f| Finding {
                    page: printable(&f.page),
                    target: f.target.as_deref().map(clean),
                    message: clean(&f.message),
                    suggestion: f.suggestion.as_deref().map(clean),
                    ..f.clone()
                })
                .collect(),
            counters: self.counters.clone(),
        }
    }

    pub fn render(&self, format: Format, suite: &str) -> String {
        match format {
            Format::Text => self.text(),
            Format::Json => self.json(),
            Format::Junit => self.junit(suite),
            Format::Github => self.github(),
        }
    }

    fn summary(&self) -> Summary<'_> {
        Summary {
            errors: self.count(Severity::Error),
            warnings: self.count(Severity::Warning),
            infos: self.count(Severity::Info),
            counters: &self.counters,
        }
    }

    /// The findings as [`Report::text`] shows them, without the summary line.
    pub fn text_findings(&self) -> String {
        self.shown().findings_shown()
    }

    fn text_shown(&self) -> String {
        let mut out = self.findings_shown();
        let s = self.summary();
        if !self.findings.is_empty() {
            out.push('\n');
        }
        let _ = write!(out, "{} error(s), {} warning(s)", s.errors, s.warnings);
        for (k, v) in &self.counters {
            let _ = write!(out, ", {v} {}", k.replace('_', " "));
        }
        out.push('\n');
        out
    }

    fn findings_shown(&self) -> String {
        let mut out = String::new();
        let mut current: Option<&str> = None;
        for f in &self.findings {
            if current != Some(f.page.as_str()) {
                if current.is_some() {
                    out.push('\n');
                }
                let _ = writeln!(out, "{}", f.page);
                current = Some(&f.page);
            }
            let _ = writeln!(
                out,
                "  {} {}: {} [{}]",
                f.location(),
                f.severity.as_str(),
                f.message,
                f.rule
            );
            if let Some(s) = &f.suggestion {
                let _ = writeln!(out, "      help: {s}");
            }
        }
        out
    }

    fn json_shown(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            findings: &'a [Finding],
            summary: Summary<'a>,
        }
        let json = Json {
            findings: &self.findings,
            summary: self.summary(),
        };
        serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
    }

    fn junit_shown(&self, suite: &str) -> String {
        let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &self.findings {
            by_file.entry(&f.page).or_default().push(f);
        }
        let failures = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"vigie\" tests=\"{}\" failures=\"{failures}\">",
            self.findings.len().max(1)
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">",
            xml(suite),
            self.findings.len().max(1)
        );
        if self.findings.is_empty() {
            let _ = writeln!(out, "    <testcase name=\"{}\" classname=\"vigie\"/>", xml(suite));
        }
        for (file, findings) in by_file {
            for f in findings {
                // `rule: target`, or the rule alone for a finding about the page itself
                let name = match &f.target {
                    Some(t) => format!("{}: {t}", f.rule),
                    None => f.rule.clone(),
                };
                let _ = write!(
                    out,
                    "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"",
                    xml(&name),
                    xml(file),
                    xml(file),
                    f.line
                );
                let tag = if f.severity == Severity::Error {
                    "failure"
                } else {
                    "system-out"
                };
                let mut body = format!("{}: {}", f.location(), f.message);
                if let Some(s) = &f.suggestion {
                    let _ = write!(body, " (help: {s})");
                }
                if tag == "failure" {
                    let _ = writeln!(
                        out,
                        ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                        xml(&f.rule),
                        xml(&f.message),
                        xml(&body)
                    );
                } else {
                    let _ = writeln!(
                        out,
                        ">\n      <system-out>{}</system-out>\n    </testcase>",
                        xml(&body)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }

    fn github_shown(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = f.message.clone();
            if let Some(s) = &f.suggestion {
                let _ = write!(message, " — {s}");
            }
            let col = f.col.map(|c| format!(",col={c}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "::{level} file={},line={}{col},title={}::{}",
                gh_property(&f.page),
                f.line,
                gh_property(&f.rule),
                gh_data(&message)
            );
        }
        out
    }
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn gh_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(page: &str, line: usize, severity: Severity) -> Finding {
        Finding {
            rule: "broken-link".into(),
            severity,
            page: page.into(),
            line,
            col: Some(3),
            target: Some("x.md#a".into()),
            message: "no page x.md".into(),
            suggestion: Some("did you mean y.md?".into()),
        }
    }

    #[test]
    fn github_annotations_escape_and_locate() {
        let r = Report::new(vec![finding("a,b.md", 4, Severity::Error)]);
        assert_eq!(
            r.github(),
            "::error file=a%2Cb.md,line=4,col=3,title=broken-link::no page x.md — did you mean y.md?\n"
        );
    }

    #[test]
    fn json_has_findings_and_summary() {
        let r = Report::new(vec![
            finding("a.md", 1, Severity::Warning),
            finding("a.md", 2, Severity::Error),
        ]);
        let v: serde_json::Value = serde_json::from_str(&r.json()).unwrap();
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(v["summary"]["warnings"], 1);
        assert_eq!(v["findings"][0]["line"], 1);
        assert_eq!(v["findings"][1]["rule"], "broken-link");
        assert!(r.fails(Severity::Error));
    }

    #[test]
    fn junit_marks_errors_as_failures() {
        let r = Report::new(vec![
            finding("a.md", 1, Severity::Error),
            finding("b.md", 1, Severity::Warning),
        ]);
        let x = r.junit("links");
        assert_eq!(x.matches("<failure").count(), 1);
        assert!(x.contains("failures=\"1\""));
    }

    #[test]
    fn junit_names_a_finding_without_target_after_its_rule_alone() {
        let mut page_wide = finding("a.md", 5, Severity::Warning);
        page_wide.rule = "review-overdue".into();
        page_wide.target = None;
        let x = Report::new(vec![page_wide, finding("b.md", 1, Severity::Error)]).junit("freshness");
        assert!(x.contains("<testcase name=\"review-overdue\" "), "{x}");
        assert!(x.contains("<testcase name=\"broken-link: x.md#a\" "), "{x}");
    }
}
