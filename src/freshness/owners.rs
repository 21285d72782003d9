//! Who owns a page: `owner` in its front matter, else the nearest `OWNERS`
//! file up the tree (Kubernetes/OpenShift style, YAML `approvers:`, else
//! `reviewers:`), else the last matching rule of a `CODEOWNERS` file (at a
//! folder's top, or in its `.github/` or `docs/`). Lookups are cached per
//! folder, so 10,000 pages read each file once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Finds owners from files, up to `top` (the knowledge base root, or the git
/// repository's top when the knowledge base lives inside one).
pub struct Owners {
    top: PathBuf,
    cache: Mutex<HashMap<PathBuf, Option<String>>>,
    codeowners: Mutex<HashMap<PathBuf, Option<CodeOwners>>>,
}

struct CodeOwners {
    /// Folder the patterns are relative to.
    base: PathBuf,
    rules: Vec<(globset::GlobMatcher, String)>,
}

impl Owners {
    pub fn new(top: &Path) -> Owners {
        Owners {
            top: top.to_path_buf(),
            cache: Mutex::new(HashMap::new()),
            codeowners: Mutex::new(HashMap::new()),
        }
    }

    /// The owner of the file at `path` from OWNERS / CODEOWNERS files, if any.
    pub fn of(&self, path: &Path) -> Option<String> {
        let dir = path.parent()?;
        if let Some(o) = self.owners_file_in(dir) {
            return Some(o);
        }
        self.codeowners_of(path)
    }

    fn owners_file_in(&self, dir: &Path) -> Option<String> {
        if let Ok(cache) = self.cache.lock()
            && let Some(hit) = cache.get(dir)
        {
            return hit.clone();
        }
        let here = read_owners(&dir.join("OWNERS"));
        let found = match here {
            Some(o) => Some(o),
            None if dir != self.top && dir.starts_with(&self.top) => {
                dir.parent().and_then(|p| self.owners_file_in(p))
            }
            None => None,
        };
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(dir.to_path_buf(), found.clone());
        }
        found
    }

    fn codeowners_of(&self, path: &Path) -> Option<String> {
        let mut dir = path.parent()?;
        loop {
            let loaded = {
                let mut cache = self.codeowners.lock().ok()?;
                if !cache.contains_key(dir) {
                    cache.insert(dir.to_path_buf(), load_codeowners(dir));
                }
                cache.get(dir).and_then(|c| c.as_ref()).map(|c| c.owner_of(path))
            };
            if let Some(owner) = loaded {
                return owner;
            }
            if dir == self.top || !dir.starts_with(&self.top) {
                return None;
            }
            dir = dir.parent()?;
        }
    }
}

/// `approvers` (else `reviewers`) of an OWNERS file, joined with `, `; a
/// file that has neither is read as a plain list, one owner a line (`#`
/// comments), as many projects write it.
fn read_owners(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let join = |names: Vec<&str>| (!names.is_empty()).then(|| names.join(", "));
    match serde_saphyr::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(v)) => ["approvers", "reviewers"].iter().find_map(|key| {
            join(
                v.get(*key)?
                    .as_array()?
                    .iter()
                    .filter_map(|n| n.as_str())
                    .collect(),
            )
        }),
        Ok(serde_json::Value::Array(list)) => join(list.iter().filter_map(|n| n.as_str()).collect()),
        _ => join(
            text.lines()
                .map(|l| l.split('#').next().unwrap_or("").trim())
                .filter(|l| !l.is_empty())
                .collect(),
        ),
    }
}

fn load_codeowners(dir: &Path) -> Option<CodeOwners> {
    let path = ["CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"]
        .iter()
        .map(|p| dir.join(p))
        .find(|p| p.is_file())?;
    let text = std::fs::read_to_string(&path).ok()?;
    let mut rules = Vec::new();
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or(line).trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(pattern) = parts.next() else { continue };
        let owners: Vec<&str> = parts.collect();
        if let Some(glob) = codeowners_glob(pattern) {
            rules.push((glob, owners.join(", ")));
        }
    }
    Some(CodeOwners {
        base: dir.to_path_buf(),
        rules,
    })
}

/// gitignore-style CODEOWNERS pattern → glob on paths relative to its base.
fn codeowners_glob(pattern: &str) -> Option<globset::GlobMatcher> {
    let anchored = pattern.starts_with('/') || pattern.trim_end_matches('/').contains('/');
    let mut p = pattern.trim_start_matches('/').to_string();
    if p.ends_with('/') {
        p.push_str("**");
    }
    if !anchored && !p.starts_with("**") {
        p = format!("**/{p}");
    }
    let glob = format!("{{{p},{p}/**}}");
    globset::GlobBuilder::new(&glob)
        .literal_separator(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

impl CodeOwners {
    /// The owners of the last matching rule (`Some(None)`-like: a rule with no
    /// owners un-owns the path). `None` when no rule matches.
    fn owner_of(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.base).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        self.rules
            .iter()
            .rev()
            .find(|(g, _)| g.is_match(&rel))
            .map(|(_, o)| o.clone())
            .filter(|o| !o.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_files_up_the_tree_then_codeowners() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("alerts/monitoring/deep")).unwrap();
        std::fs::create_dir_all(root.join("other")).unwrap();
        std::fs::write(
            root.join("alerts/OWNERS"),
            "reviewers:\n- rev\napprovers:\n- alice\n- bob\n",
        )
        .unwrap();
        std::fs::write(
            root.join("CODEOWNERS"),
            "# docs\n*       @platform\n/other/ @team-other\n",
        )
        .unwrap();
        let o = Owners::new(root);
        assert_eq!(
            o.of(&root.join("alerts/monitoring/deep/x.md")).as_deref(),
            Some("alice, bob")
        );
        assert_eq!(o.of(&root.join("other/y.md")).as_deref(), Some("@team-other"));
        assert_eq!(o.of(&root.join("z.md")).as_deref(), Some("@platform"));
    }

    #[test]
    fn a_plain_owners_list_is_read_and_other_yaml_keys_are_not_owners() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (folder, text) in [
            ("plain", "# l'équipe réseau\nalice\nbob\n"),
            ("dashes", "- carol\n"),
            ("emeritus", "emeritus_approvers:\n- old\n"),
        ] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
            std::fs::write(root.join(folder).join("OWNERS"), text).unwrap();
        }
        let o = Owners::new(root);
        assert_eq!(o.of(&root.join("plain/x.md")).as_deref(), Some("alice, bob"));
        assert_eq!(o.of(&root.join("dashes/x.md")).as_deref(), Some("carol"));
        assert_eq!(o.of(&root.join("emeritus/x.md")), None);
    }
}
