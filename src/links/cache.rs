//! The persistent cache of external results, `ROOT/.vigie/links-cache.json`, so
//! that CI reruns do not hit every website again. Only good results (a status
//! that was accepted, redirects included) are kept: a broken link is checked
//! again on the next run, since it is the one someone is fixing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const VERSION: u32 = 1;

/// One remembered result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When the URL was checked (seconds since the Unix epoch).
    pub checked_at: u64,
    /// The status the URL answered with.
    pub status: u16,
    /// Where redirects ended, when there were any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirected_to: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    entries: BTreeMap<String, Entry>,
}

/// The cache, loaded at the start of a run and saved at its end.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    max_age: Duration,
    entries: BTreeMap<String, Entry>,
    now: u64,
}

impl Cache {
    /// Loads `path`; a missing, unreadable or outdated file is an empty cache
    /// (the cache is an optimisation, never a reason to fail).
    pub fn load(path: &Path, max_age: Duration) -> Cache {
        let now = now();
        let entries = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<File>(&text).ok())
            .filter(|f| f.version == VERSION)
            .map(|f| f.entries)
            .unwrap_or_default();
        let mut cache = Cache {
            path: path.to_path_buf(),
            max_age,
            entries,
            now,
        };
        cache.entries.retain(|_, e| fresh(e, now, max_age));
        cache
    }

    /// True when results are kept at all (`cache_max_age` is not `0`).
    pub fn enabled(&self) -> bool {
        !self.max_age.is_zero()
    }

    /// A result younger than the maximum age.
    pub fn get(&self, url: &str) -> Option<&Entry> {
        if !self.enabled() {
            return None;
        }
        self.entries.get(url).filter(|e| fresh(e, self.now, self.max_age))
    }

    /// Remembers a good result checked now.
    pub fn put(&mut self, url: &str, status: u16, redirected_to: Option<String>) {
        self.entries.insert(
            url.to_string(),
            Entry {
                checked_at: self.now,
                status,
                redirected_to,
            },
        );
    }

    /// Forgets a URL (it failed this time).
    pub fn forget(&mut self, url: &str) {
        self.entries.remove(url);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the cache atomically (temporary file + rename), creating `.vigie/`.
    pub fn save(&self) -> Result<()> {
        if !self.enabled() {
            return Ok(());
        }
        let dir = self.path.parent().unwrap_or(Path::new("."));
        if !dir.exists() {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
            // A cache, not sources: keep it out of git (CI caches keep it between runs).
            let _ = std::fs::write(dir.join(".gitignore"), "# vigie's caches\n*\n");
        }
        let file = File {
            version: VERSION,
            entries: self.entries.clone(),
        };
        let text =
            serde_json::to_string_pretty(&file).map_err(|e| Error::write(&self.path, e.into()))? + "\n";
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::write(dir, e))?;
        std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(|e| Error::write(&self.path, e))?;
        tmp.persist(&self.path)
            .map_err(|e| Error::write(&self.path, e.error))?;
        Ok(())
    }
}

fn fresh(e: &Entry, now: u64, max_age: Duration) -> bool {
    now.saturating_sub(e.checked_at) < max_age.as_secs().max(1)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".vigie/links-cache.json");
        let mut c = Cache::load(&path, Duration::from_secs(3600));
        assert!(c.is_empty());
        c.put("https://a.example/", 200, None);
        c.put("https://b.example/", 200, Some("https://b.example/new".into()));
        c.save().unwrap();
        assert!(dir.path().join(".vigie/.gitignore").is_file(), "kept out of git");

        let c = Cache::load(&path, Duration::from_secs(3600));
        assert_eq!(c.len(), 2);
        assert_eq!(
            c.get("https://b.example/").unwrap().redirected_to.as_deref(),
            Some("https://b.example/new")
        );

        // an entry older than the maximum age is gone
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace(&format!("\"checked_at\": {}", c.now), "\"checked_at\": 1");
        std::fs::write(&path, text).unwrap();
        let c = Cache::load(&path, Duration::from_secs(3600));
        assert!(c.get("https://a.example/").is_none());
    }

    #[test]
    fn garbage_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("links-cache.json");
        std::fs::write(&path, "{not json").unwrap();
        assert!(Cache::load(&path, Duration::from_secs(60)).is_empty());
    }
}
