//! Files a page pulls into its text (MkDocs snippets and `{!file!}`, Hugo
//! themes' `readfile` and `include`): read from the first place they are,
//! never from outside the project, with a warning at the page's line when
//! they are not there.

use std::path::PathBuf;

use super::page::Page;
use crate::config::Config;
use crate::report::{Finding, Severity};

/// The largest file a page includes.
const INCLUDE_LIMIT: u64 = 16 * 1024 * 1024;

/// The text of the first of `candidates` (the places file `name` may be)
/// that is a file, never outside the project; a warning at `line` of the
/// page when none is, or when one leads outside.
pub(super) fn read_first(
    config: &Config,
    page: &Page,
    name: &str,
    candidates: &[PathBuf],
    line: usize,
    warnings: &mut Vec<Finding>,
    pulled: &mut Vec<PathBuf>,
) -> String {
    let root = &config.root;
    for path in candidates {
        let Ok(real) = path.canonicalize() else { continue };
        if !real.starts_with(root) {
            warnings.push(include_warning(
                config,
                page,
                name,
                line,
                "is outside the project: not included",
            ));
            return String::new();
        }
        if real.is_file() {
            pulled.push(real.clone());
            return match crate::confine::read_text_limited(&real, INCLUDE_LIMIT, "included file") {
                Ok(text) if text.ends_with('\n') => text,
                Ok(text) => text + "\n",
                Err(e) => {
                    warnings.push(include_warning(
                        config,
                        page,
                        name,
                        line,
                        &format!("cannot be read: {e}"),
                    ));
                    String::new()
                }
            };
        }
    }
    warnings.push(include_warning(
        config,
        page,
        name,
        line,
        "does not exist: nothing is included",
    ));
    String::new()
}

fn include_warning(config: &Config, page: &Page, name: &str, line: usize, what: &str) -> Finding {
    Finding {
        rule: "missing-include".into(),
        severity: Severity::Warning,
        page: page
            .source
            .as_ref()
            .map(|s| config.display_path(s))
            .unwrap_or_else(|| page.shown.clone()),
        line,
        col: None,
        target: Some(name.to_string()),
        message: format!("included file {name} {what}"),
        suggestion: None,
    }
}
