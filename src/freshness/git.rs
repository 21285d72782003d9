//! Last-commit dates, the review date of pages without `reviewed`: one
//! `git log` for the whole knowledge base (newest first, the first date seen
//! for a file is its last change), never one call per page.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;

/// Last commit date of every file under a folder, and the repository's top.
#[derive(Debug, Default)]
pub struct GitDates {
    /// Absolute path → date of its last commit.
    dates: HashMap<PathBuf, NaiveDate>,
    /// Top of the repository, when `root` is in one.
    pub top: Option<PathBuf>,
}

impl GitDates {
    /// Reads the history of `root`. Not a repository, or no `git`: no dates.
    pub fn load(root: &Path) -> GitDates {
        let top = Command::new("git")
            .args(["rev-parse", "--show-toplevel"])
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
        let Some(top) = top else {
            return GitDates::default();
        };
        let out = Command::new("git")
            .args([
                "-c",
                "core.quotePath=false",
                "log",
                "--format=%x1e%cs",
                "--name-only",
                "--no-renames",
                "--relative",
                "--",
                ".",
            ])
            .current_dir(root)
            .output();
        let mut dates = HashMap::new();
        if let Ok(out) = out
            && out.status.success()
        {
            let text = String::from_utf8_lossy(&out.stdout);
            let mut current: Option<NaiveDate> = None;
            for line in text.lines() {
                if let Some(d) = line.strip_prefix('\u{1e}') {
                    current = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok();
                } else if !line.is_empty()
                    && let Some(d) = current
                {
                    dates.entry(root.join(line)).or_insert(d);
                }
            }
        }
        GitDates {
            dates,
            top: Some(top),
        }
    }

    /// Date of the last commit that touched `path` (absolute).
    pub fn date(&self, path: &Path) -> Option<NaiveDate> {
        self.dates.get(path).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_commit_dates_in_one_call() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let git = |args: &[&str], date: &str| {
            let ok = Command::new("git")
                .args(args)
                .current_dir(root)
                .env("GIT_AUTHOR_DATE", date)
                .env("GIT_COMMITTER_DATE", date)
                .env("GIT_AUTHOR_NAME", "t")
                .env("GIT_AUTHOR_EMAIL", "t@example.org")
                .env("GIT_COMMITTER_NAME", "t")
                .env("GIT_COMMITTER_EMAIL", "t@example.org")
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            assert!(ok, "git {args:?}");
        };
        git(&["init", "-q"], "2026-01-01T10:00:00Z");
        std::fs::create_dir(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/a.md"), "a").unwrap();
        std::fs::write(root.join("docs/b.md"), "b").unwrap();
        git(&["add", "."], "2026-01-01T10:00:00Z");
        git(&["commit", "-qm", "one"], "2026-01-01T10:00:00Z");
        std::fs::write(root.join("docs/b.md"), "b2").unwrap();
        git(&["commit", "-qam", "two"], "2026-03-05T10:00:00Z");
        let root = root.canonicalize().unwrap();
        let dates = GitDates::load(&root.join("docs"));
        assert_eq!(
            dates.date(&root.join("docs/a.md")),
            NaiveDate::from_ymd_opt(2026, 1, 1)
        );
        assert_eq!(
            dates.date(&root.join("docs/b.md")),
            NaiveDate::from_ymd_opt(2026, 3, 5)
        );
    }
}
