//! External links, checked with lychee-lib: one request per distinct URL, at
//! most `max_concurrency` in flight overall and `max_per_host` per host,
//! retries with exponential back-off after a timeout, a 5xx or a 429 (whose
//! `Retry-After` lychee's host pool waits out), accepted status codes from
//! `[links] accept`, redirects followed and reported with their final URL.
//! Good results go to the persistent [`Cache`] and are not asked again while
//! they are younger than `cache_max_age`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use lychee_lib::{ClientBuilder, ErrorKind, Request, Status};
use reqwest::StatusCode;

use super::cache::Cache;
use super::settings::LinkSettings;
use crate::error::{Error, Result};

/// What a URL answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An accepted status, without redirects.
    Ok,
    /// An accepted status at the end of redirects, at `to`.
    Redirected { to: String },
    /// A status that is not accepted, or no answer at all.
    Broken { status: Option<u16>, message: String },
    /// No answer within the timeout, retries included.
    Timeout,
    /// Still `429 Too Many Requests` after the retries: not known either way.
    RateLimited,
    /// Not checked (a scheme lychee does not check).
    Skipped,
}

/// The result for one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub outcome: Outcome,
    /// Taken from `.vigie/links-cache.json` rather than asked.
    pub cached: bool,
}

/// Checks `urls` (distinct, without fragment). Results come from `cache` when
/// fresh; the others are requested and good ones are added to `cache`.
pub fn check_urls(
    urls: &[String],
    settings: &LinkSettings,
    cache: &mut Cache,
    progress: bool,
) -> Result<HashMap<String, Checked>> {
    let mut results = HashMap::new();
    let mut todo = Vec::new();
    for url in urls {
        match cache.get(url) {
            Some(entry) => {
                let outcome = match &entry.redirected_to {
                    Some(to) => Outcome::Redirected { to: to.clone() },
                    None => Outcome::Ok,
                };
                results.insert(
                    url.clone(),
                    Checked {
                        outcome,
                        cached: true,
                    },
                );
            }
            None => todo.push(url.clone()),
        }
    }
    if todo.is_empty() {
        return Ok(results);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Network(format!("cannot start the link checker: {e}")))?;
    let client = client(settings)?;
    let bar = progress_bar(progress, todo.len());
    let max = settings.max_concurrency;
    let (retries, wait) = (settings.retries, settings.retry_wait);
    let fetched = runtime.block_on(async move {
        let limit = Arc::new(tokio::sync::Semaphore::new(max));
        let mut tasks = tokio::task::JoinSet::new();
        for url in todo {
            let client = client.clone();
            let limit = limit.clone();
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await;
                let (outcome, status) = check_with_retries(&client, &url, retries, wait).await;
                (url, outcome, status)
            });
        }
        let mut out = Vec::new();
        while let Some(done) = tasks.join_next().await {
            if let Ok(r) = done {
                out.push(r);
            }
            if let Some(b) = &bar {
                b.inc(1);
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        out
    });
    for (url, outcome, status) in fetched {
        match (&outcome, status) {
            (Outcome::Ok, Some(code)) => cache.put(&url, code, None),
            (Outcome::Redirected { to }, Some(code)) => cache.put(&url, code, Some(to.clone())),
            _ => cache.forget(&url),
        }
        results.insert(
            url,
            Checked {
                outcome,
                cached: false,
            },
        );
    }
    Ok(results)
}

fn client(settings: &LinkSettings) -> Result<lychee_lib::Client> {
    let mut accepted: HashSet<StatusCode> =
        (200..=299).filter_map(|c| StatusCode::from_u16(c).ok()).collect();
    accepted.extend(
        settings
            .accept
            .iter()
            .filter_map(|&c| StatusCode::from_u16(c).ok()),
    );
    let rate = lychee_lib::ratelimit::RateLimitConfig {
        concurrency: settings.max_per_host,
        ..Default::default()
    };
    ClientBuilder::builder()
        .max_retries(settings.retries)
        .retry_wait_time(settings.retry_wait)
        .timeout(settings.timeout)
        .accepted(accepted)
        .user_agent(settings.user_agent.clone())
        .schemes(HashSet::from(["http".to_string(), "https".to_string()]))
        .rate_limit_config(rate)
        .build()
        .client()
        .map_err(|e| Error::Network(format!("cannot build the HTTP client: {e}")))
}

/// Checks one URL, retrying server errors. lychee retries timeouts, network
/// errors and 429 itself (waiting out `Retry-After`), but takes a `5xx`
/// status as final; a `502`/`503` during a deployment is not a broken link.
async fn check_with_retries(
    client: &lychee_lib::Client,
    url: &str,
    retries: u64,
    wait: std::time::Duration,
) -> (Outcome, Option<u16>) {
    let mut wait = wait;
    let mut attempt = 0;
    loop {
        let (outcome, status) = check_one(client, url).await;
        let server_error = matches!(
            outcome,
            Outcome::Broken {
                status: Some(500..=599),
                ..
            }
        );
        if !server_error || attempt >= retries {
            return (outcome, status);
        }
        attempt += 1;
        tokio::time::sleep(wait).await;
        wait = wait.saturating_mul(2);
    }
}

/// Checks one URL; also returns the final status code of a good answer (for the cache).
async fn check_one(client: &lychee_lib::Client, url: &str) -> (Outcome, Option<u16>) {
    let request = match Request::try_from(url) {
        Ok(r) => r,
        Err(e) => {
            return (
                Outcome::Broken {
                    status: None,
                    message: format!("not a valid URL: {e}"),
                },
                None,
            );
        }
    };
    let response = match client.check(request).await {
        Ok(r) => r,
        Err(e) => {
            return (
                Outcome::Broken {
                    status: None,
                    message: e.to_string(),
                },
                None,
            );
        }
    };
    let final_url = response.redirects().and_then(final_url);
    let status = response.status();
    let outcome = match status {
        Status::Ok(_) | Status::Cached(lychee_lib::CacheStatus::Ok(_)) => match &final_url {
            Some(to) if to != url => Outcome::Redirected { to: to.clone() },
            _ => Outcome::Ok,
        },
        Status::Error(ErrorKind::RejectedStatusCode(c)) if *c == StatusCode::TOO_MANY_REQUESTS => {
            Outcome::RateLimited
        }
        Status::Timeout(_) => Outcome::Timeout,
        Status::Excluded | Status::UnknownMailStatus(_) => Outcome::Skipped,
        other => {
            let code = other.code();
            let mut message = match code {
                Some(c) => format!("HTTP {} {}", c.as_u16(), c.canonical_reason().unwrap_or(""))
                    .trim_end()
                    .to_string(),
                None => other.details(),
            };
            if let Some(to) = &final_url {
                message.push_str(&format!(" (after redirects to `{to}`)"));
            }
            Outcome::Broken {
                status: code.map(|c| c.as_u16()),
                message,
            }
        }
    };
    (outcome, status.code().map(|c| c.as_u16()))
}

/// The last URL of a redirect chain.
fn final_url(redirects: &lychee_lib::Redirects) -> Option<String> {
    if redirects.count() == 0 {
        return None;
    }
    let v = serde_json::to_value(redirects).ok()?;
    v.get("redirects")?
        .as_array()?
        .last()?
        .get("url")?
        .as_str()
        .map(String::from)
}

fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} checking {pos}/{len} external links {wide_bar} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}
