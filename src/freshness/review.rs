//! Review age: `reviewed` + `review_every`, with per-kind defaults from the
//! `[review]` table of `vigie.toml` (runbook 90d, architecture 180d, training 365d).

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use crate::config::Config;
use crate::content::{Kind, Page};
use crate::error::Result;

/// `[review]` in vigie.toml: default intervals per kind. A misspelt kind is
/// an error, not an interval silently never applied.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewConfig {
    pub runbook: String,
    pub architecture: String,
    pub training: String,
    pub guide: String,
    /// Pages without a kind.
    pub default: String,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            runbook: "90d".into(),
            architecture: "180d".into(),
            training: "365d".into(),
            guide: "365d".into(),
            default: "365d".into(),
        }
    }
}

impl ReviewConfig {
    /// Reads `[review]` from the site configuration. An interval that is not one
    /// is an error naming its line: read as "never", it would turn reviews off.
    pub fn load(config: &Config) -> Result<ReviewConfig> {
        let review: ReviewConfig = config.section("review")?;
        for (key, written) in [
            ("runbook", &review.runbook),
            ("architecture", &review.architecture),
            ("training", &review.training),
            ("guide", &review.guide),
            ("default", &review.default),
        ] {
            if parse_interval(written).is_none() {
                return Err(config.error_at(
                    &["review", key],
                    format!("[review] {key} = {written:?} is not a review interval: write it as 90d, 12w, 6m or 1y"),
                ));
            }
        }
        Ok(review)
    }

    /// The interval written for `kind` (or the default).
    pub fn interval_for(&self, kind: Option<Kind>) -> &str {
        match kind {
            Some(Kind::Runbook) => &self.runbook,
            Some(Kind::Architecture) => &self.architecture,
            Some(Kind::Training) => &self.training,
            Some(Kind::Guide) => &self.guide,
            None => &self.default,
        }
    }
}

/// Parses `90d`, `12w`, `6m`, `1y` (days, weeks, months of 30 days, years of 365).
pub fn parse_interval(s: &str) -> Option<Duration> {
    let s = s.trim();
    let unit_at = s.find(|c: char| !c.is_ascii_digit())?;
    let n: i64 = s[..unit_at].parse().ok()?;
    let days = match s[unit_at..].trim() {
        "d" | "j" | "day" | "days" | "jours" => n,
        "w" | "sem" | "week" | "weeks" => n * 7,
        "m" | "mo" | "month" | "months" | "mois" => n * 30,
        "y" | "a" | "year" | "years" | "an" | "ans" => n * 365,
        _ => return None,
    };
    (days > 0).then(|| Duration::days(days))
}

/// When the page is due for review, if it has a review date (`reviewed` or,
/// when given, the date of its last commit).
pub fn due_date(page: &Page, config: &ReviewConfig, fallback: Option<NaiveDate>) -> Option<NaiveDate> {
    let reviewed = page.front_matter.reviewed.or(fallback)?;
    let every = page
        .front_matter
        .review_every
        .as_deref()
        .and_then(parse_interval)
        .or_else(|| parse_interval(config.interval_for(page.kind)))?;
    Some(reviewed + every)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("90d"), Some(Duration::days(90)));
        assert_eq!(parse_interval("6m"), Some(Duration::days(180)));
        assert_eq!(parse_interval("1y"), Some(Duration::days(365)));
        assert_eq!(parse_interval("2w"), Some(Duration::days(14)));
        assert_eq!(parse_interval("soon"), None);
        assert_eq!(parse_interval("0d"), None);
    }

    #[test]
    fn a_bad_interval_in_vigie_toml_is_an_error_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("vigie.toml"),
            "title = \"kb\"\n\n[review]\narchitecture = \"6m\"\nrunbook = \"soon\"\n",
        )
        .unwrap();
        let config = Config::load(dir.path()).unwrap();
        let err = ReviewConfig::load(&config).unwrap_err().to_string();
        assert!(err.contains("vigie.toml:5: "), "{err}");
        assert!(err.contains("runbook = \"soon\""), "{err}");

        std::fs::write(dir.path().join("vigie.toml"), "[review]\nrunbook = \"30d\"\n").unwrap();
        let config = Config::load(dir.path()).unwrap();
        assert_eq!(ReviewConfig::load(&config).unwrap().runbook, "30d");
    }
}
