//! The `[links]` table of `vigie.toml`, `.lycheeignore`, and the
//! `--include` / `--exclude` options folded into one [`LinkFilter`].

use std::path::Path;
use std::time::Duration;

use regex::RegexSet;
use serde::Deserialize;

use crate::config::Config;
use crate::error::{Error, Result};

/// `[links]` as written in `vigie.toml`. Every key is optional.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LinksConfig {
    /// Regular expressions of URLs never checked.
    pub exclude: Vec<String>,
    /// HTTP status codes counted as valid, besides 2xx.
    pub accept: Vec<u16>,
    /// How long a cached result is trusted (`1d`, `12h`, `30m`); `0` disables the cache.
    pub cache_max_age: Option<DurationText>,
    /// Per request (`20s`).
    pub timeout: Option<DurationText>,
    /// Retries with exponential back-off after a timeout, a 5xx or a 429.
    pub retries: Option<u64>,
    /// First wait between retries (`1s`), doubled each time.
    pub retry_wait: Option<DurationText>,
    /// Requests in flight overall.
    pub max_concurrency: Option<usize>,
    /// Requests in flight per host.
    pub max_per_host: Option<usize>,
    /// Report redirects as warnings (default `true`).
    pub warn_redirects: Option<bool>,
    /// `User-Agent` header sent to websites.
    pub user_agent: Option<String>,
}

/// A duration as written: `"20s"`, or a bare number of seconds (`20`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DurationText {
    Seconds(u64),
    Text(String),
}

impl DurationText {
    fn text(&self) -> String {
        match self {
            DurationText::Seconds(n) => n.to_string(),
            DurationText::Text(t) => t.clone(),
        }
    }
}

/// External-check settings with defaults applied and durations parsed.
#[derive(Debug, Clone)]
pub struct LinkSettings {
    /// Accepted status codes beyond 2xx.
    pub accept: Vec<u16>,
    pub cache_max_age: Duration,
    pub timeout: Duration,
    pub retries: u64,
    pub retry_wait: Duration,
    pub max_concurrency: usize,
    pub max_per_host: usize,
    pub warn_redirects: bool,
    pub user_agent: String,
}

impl Default for LinkSettings {
    fn default() -> Self {
        LinkSettings {
            accept: Vec::new(),
            cache_max_age: Duration::from_secs(24 * 3600),
            timeout: Duration::from_secs(20),
            retries: 3,
            retry_wait: Duration::from_secs(1),
            max_concurrency: 32,
            max_per_host: 4,
            warn_redirects: true,
            user_agent: concat!("vigie/", env!("CARGO_PKG_VERSION"), " (link checker)").into(),
        }
    }
}

impl LinkSettings {
    /// Reads `[links]` of `config`; a bad value names `vigie.toml` and its line.
    pub fn load(config: &Config) -> Result<(LinkSettings, LinksConfig)> {
        let raw: LinksConfig = config.section("links")?;
        let bad = |key: &str, message: String| Error::Config {
            path: config
                .file
                .clone()
                .unwrap_or_else(|| config.root.join("vigie.toml")),
            line: config
                .file
                .as_ref()
                .and_then(|f| std::fs::read_to_string(f).ok())
                .and_then(|text| key_line(&text, key))
                .unwrap_or(1),
            message: format!("[links] {key}: {message}"),
        };
        let mut s = LinkSettings::default();
        let duration = |key: &str, v: &Option<DurationText>, into: &mut Duration| -> Result<()> {
            if let Some(text) = v {
                *into = parse_duration(&text.text()).map_err(|m| bad(key, m))?;
            }
            Ok(())
        };
        duration("cache_max_age", &raw.cache_max_age, &mut s.cache_max_age)?;
        duration("timeout", &raw.timeout, &mut s.timeout)?;
        duration("retry_wait", &raw.retry_wait, &mut s.retry_wait)?;
        for &code in &raw.accept {
            if !(100..=999).contains(&code) {
                return Err(bad("accept", format!("{code} is not an HTTP status code")));
            }
        }
        s.accept = raw.accept.clone();
        if let Some(r) = raw.retries {
            s.retries = r;
        }
        if let Some(n) = raw.max_concurrency {
            if n == 0 {
                return Err(bad("max_concurrency", "must be at least 1".into()));
            }
            s.max_concurrency = n;
        }
        if let Some(n) = raw.max_per_host {
            if n == 0 {
                return Err(bad("max_per_host", "must be at least 1".into()));
            }
            s.max_per_host = n;
        }
        if s.timeout.is_zero() {
            return Err(bad("timeout", "must be more than 0s".into()));
        }
        if let Some(w) = raw.warn_redirects {
            s.warn_redirects = w;
        }
        if let Some(ua) = &raw.user_agent {
            s.user_agent = ua.clone();
        }
        Ok((s, raw))
    }
}

/// 1-based line of `key` inside the `[links]` table of a `vigie.toml` text.
fn key_line(text: &str, key: &str) -> Option<usize> {
    let start = text.lines().position(|l| l.trim() == "[links]")?;
    text.lines()
        .enumerate()
        .skip(start + 1)
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|(i, _)| i + 1)
}

/// `90s`, `20m`, `12h`, `1d`, `2w`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let t = text.trim();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let (n, unit) = t.split_at(digits);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (write e.g. `20s`, `30m`, `1d`)"))?;
    let secs = match unit.trim() {
        "" | "s" => 1,
        "ms" => return Ok(Duration::from_millis(n)),
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => {
            return Err(format!(
                "`{text}` is not a duration (write e.g. `20s`, `30m`, `1d`)"
            ));
        }
    };
    Ok(Duration::from_secs(n.saturating_mul(secs)))
}

/// Which links `vigie check links` looks at: `--include` keeps only matching
/// links; `--exclude`, `[links] exclude` and `.lycheeignore` drop links.
/// Patterns match the link as written (`../x.md#a`, `https://…`).
#[derive(Debug, Default)]
pub struct LinkFilter {
    include: Option<RegexSet>,
    exclude: Option<RegexSet>,
}

impl LinkFilter {
    /// Builds the filter; `origin` names each pattern's source for errors.
    pub fn new(include: &[(String, String)], exclude: &[(String, String)]) -> Result<LinkFilter> {
        let set = |patterns: &[(String, String)]| -> Result<Option<RegexSet>> {
            if patterns.is_empty() {
                return Ok(None);
            }
            for (p, origin) in patterns {
                if let Err(e) = regex::Regex::new(p) {
                    return Err(Error::Usage(format!(
                        "{origin}: bad regular expression `{p}`: {e}"
                    )));
                }
            }
            RegexSet::new(patterns.iter().map(|(p, _)| p))
                .map(Some)
                .map_err(|e| Error::Usage(format!("link patterns: {e}")))
        };
        Ok(LinkFilter {
            include: set(include)?,
            exclude: set(exclude)?,
        })
    }

    /// True when the link written `href` is to be checked.
    pub fn wants(&self, href: &str) -> bool {
        if let Some(inc) = &self.include
            && !inc.is_match(href)
        {
            return false;
        }
        !self.exclude.as_ref().is_some_and(|ex| ex.is_match(href))
    }
}

/// Patterns of `ROOT/.lycheeignore` (one regular expression a line, `#` comments),
/// each with its `file:line` for error messages.
pub fn lycheeignore(config: &Config) -> Result<Vec<(String, String)>> {
    read_patterns(&config.root.join(".lycheeignore"), config)
}

fn read_patterns(path: &Path, config: &Config) -> Result<Vec<(String, String)>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::read(path, e)),
    };
    let shown = config.display_path(path);
    Ok(text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let l = l.trim();
            (!l.is_empty() && !l.starts_with('#')).then(|| (l.to_string(), format!("{shown}:{}", i + 1)))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("20s"), Ok(Duration::from_secs(20)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(43_200)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3 days").is_err());
    }

    #[test]
    fn keys_are_found_in_their_table() {
        let text = "timeout = 1\n[links]\nretries = 2\ntimeout = \"soon\"\n[review]\nmax_per_host = 1\n";
        assert_eq!(key_line(text, "timeout"), Some(4));
        assert_eq!(key_line(text, "max_per_host"), None);
    }

    #[test]
    fn include_narrows_and_exclude_drops() {
        let f = LinkFilter::new(
            &[("^https://".into(), "--include".into())],
            &[("intranet".into(), "--exclude".into())],
        )
        .unwrap();
        assert!(f.wants("https://example.org/"));
        assert!(!f.wants("https://intranet.example.org/"));
        assert!(!f.wants("../x.md"));
        assert!(LinkFilter::default().wants("../x.md"));
    }

    #[test]
    fn bad_pattern_names_its_origin() {
        let err = LinkFilter::new(&[], &[("(".into(), ".lycheeignore:3".into())]).unwrap_err();
        assert!(err.to_string().contains(".lycheeignore:3"), "{err}");
    }
}
