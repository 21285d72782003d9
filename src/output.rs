//! Writing the site atomically. Everything goes to a staging folder beside OUT
//! (`.OUT.vigie-tmp-PID`); only a complete build is swapped in, so a failed or
//! interrupted build leaves the previous site as it was. Nothing is written
//! outside OUT and its staging folder, and OUT is only ever replaced when it
//! is empty or was written by vigie (it carries a marker file).
//!
//! The swap survives a kill at any step: where the kernel has it, the new
//! site and the old one trade places in one `renameat2(RENAME_EXCHANGE)`;
//! elsewhere OUT is first renamed `.OUT.vigie-old-PID`, and a build that
//! finds OUT missing beside such a folder of a dead process puts it back.
//! Staging and old folders of dead processes are removed by the next build.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// File that marks a folder as vigie's output, safe to replace.
pub const MARKER: &str = ".vigie-site";

/// A site being written.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// Folders of the staging folder made so far: a site's pages share a
    /// few hundred folders, and asking the file system for each page's
    /// folder again costs two calls a page.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Staging {
    /// Prepares a staging folder for `out`. Refuses an OUT that holds the
    /// knowledge base or files vigie did not write.
    pub fn new(out: &Path, root: &Path) -> Result<Staging> {
        let out = absolute(out)?;
        if root.starts_with(&out) {
            return Err(Error::Usage(format!(
                "{}: the output folder would contain the knowledge base; choose another folder with -o",
                out.display()
            )));
        }
        if out.exists() {
            if !out.is_dir() {
                return Err(Error::Usage(format!(
                    "{}: exists and is not a folder",
                    out.display()
                )));
            }
            let empty = std::fs::read_dir(&out)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !empty && !out.join(MARKER).is_file() {
                return Err(Error::Usage(format!(
                    "{}: exists and was not written by vigie; refusing to replace it. Empty it or choose another folder with -o",
                    out.display()
                )));
            }
        }
        let parent = out
            .parent()
            .ok_or_else(|| Error::Usage("output folder has no parent".into()))?;
        std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "site".into());
        recover_beside(parent, &name, &out);
        let dir = parent.join(format!(".{name}{TMP}{}", std::process::id()));
        if dir.exists() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
        Ok(Staging {
            out,
            dir,
            committed: false,
            made: Default::default(),
        })
    }

    /// The staging folder (where files go until [`Staging::commit`]).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at site path `rel` (`a/b.html`). `rel` may not climb out.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(rel)?;
        self.make_parent(&path)?;
        std::fs::write(&path, bytes).map_err(|e| Error::write(&path, e))
    }

    /// Writes at site path `rel` what `fill` writes, as it writes it: a
    /// large file is not held whole first.
    pub fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        use std::io::Write;
        let path = self.path(rel)?;
        self.make_parent(&path)?;
        let file = std::fs::File::create(&path).map_err(|e| Error::write(&path, e))?;
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
        fill(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| Error::write(&path, e))
    }

    /// Copies file `from` to site path `rel`.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let path = self.path(rel)?;
        self.make_parent(&path)?;
        std::fs::copy(from, &path).map_err(|e| Error::read(from, e))?;
        Ok(())
    }

    /// Makes the folder `path` goes in, unless it was made already.
    fn make_parent(&self, path: &Path) -> Result<()> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        let made = || self.made.lock().unwrap_or_else(|p| p.into_inner());
        if made().contains(parent) {
            return Ok(());
        }
        // Not under the lock: two threads may both make a folder, which
        // `create_dir_all` allows.
        std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        made().insert(parent.to_path_buf());
        Ok(())
    }

    fn path(&self, rel: &str) -> Result<PathBuf> {
        let rel = rel.trim_start_matches('/');
        if rel.split('/').any(|s| s == "..") || Path::new(rel).is_absolute() {
            return Err(Error::write(
                self.dir.join(rel),
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "refusing to write outside the output folder",
                ),
            ));
        }
        Ok(self.dir.join(rel))
    }

    /// Swaps the staged site in place of OUT.
    pub fn commit(mut self) -> Result<PathBuf> {
        self.write(
            MARKER,
            b"This folder is written by vigie build; it is replaced on every build.\n",
        )?;
        failpoint("before-swap");
        if !self.out.exists() {
            std::fs::rename(&self.dir, &self.out).map_err(|e| Error::write(&self.out, e))?;
            self.committed = true;
            return Ok(self.out.clone());
        }
        if exchange(&self.dir, &self.out).is_ok() {
            // OUT is the new site; the staging name holds the old one.
            self.committed = true;
            failpoint("after-exchange");
            let _ = std::fs::remove_dir_all(&self.dir);
            return Ok(self.out.clone());
        }
        let old = self.dir.with_file_name(
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().replace(TMP, OLD))
                .unwrap_or_default(),
        );
        std::fs::rename(&self.out, &old).map_err(|e| Error::write(&self.out, e))?;
        failpoint("between-renames");
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            let _ = std::fs::rename(&old, &self.out);
            return Err(Error::write(&self.out, e));
        }
        self.committed = true;
        failpoint("after-renames");
        let _ = std::fs::remove_dir_all(&old);
        Ok(self.out.clone())
    }
}

/// Where a build writes its files: a [`Staging`] folder, or a site in place.
pub trait Sink {
    /// Writes `bytes` at site path `rel` (`a/b.html`).
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;

    /// Writes at site path `rel` what `fill` writes (a sink that compares
    /// the file with what it holds gathers it first).
    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes).map_err(|e| Error::write(rel, e))?;
        self.write(rel, &bytes)
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        Staging::write_with(self, rel, fill)
    }
}

/// A site updated in place (`serve` after a save): only the files whose
/// bytes change are written, each replaced in one rename so a reader never
/// sees half a file. Names which files it wrote.
pub struct InPlace {
    dir: PathBuf,
    written: std::sync::Mutex<Vec<String>>,
}

impl InPlace {
    /// Updates the site in folder `dir` (which vigie wrote).
    pub fn new(dir: &Path) -> InPlace {
        InPlace {
            dir: dir.to_path_buf(),
            written: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The site paths written so far, in order.
    pub fn written(&self) -> Vec<String> {
        self.written.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Sink for InPlace {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let rel = rel.trim_start_matches('/');
        let path = self.dir.join(rel);
        if rel.split('/').any(|s| s == "..") || Path::new(rel).is_absolute() {
            return Err(Error::write(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "refusing to write outside the output folder",
                ),
            ));
        }
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        let parent = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = parent.join(format!(".vigie-new-{}-{n}", std::process::id()));
        std::fs::write(&tmp, bytes).map_err(|e| Error::write(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::write(&path, e))?;
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(rel.to_string());
        Ok(())
    }
}

/// Middle of a staging folder's name: `.OUT.vigie-tmp-PID`.
const TMP: &str = ".vigie-tmp-";
/// Middle of the name OUT takes during a two-step swap: `.OUT.vigie-old-PID`.
const OLD: &str = ".vigie-old-";

/// Trades the places of `a` and `b` in one step, where the kernel can.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    if std::env::var_os("VIGIE_TEST_NO_EXCHANGE").is_some() {
        return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
    }
    rustix::fs::renameat_with(
        rustix::fs::CWD,
        a,
        rustix::fs::CWD,
        b,
        rustix::fs::RenameFlags::EXCHANGE,
    )
    .map_err(std::io::Error::from)
}

/// Puts back `out` when a swap was cut between its two renames (OUT
/// missing, the old site beside it under a dead process's name), and removes
/// the staging and old folders of dead processes beside it. Every build
/// starts with it, so even a build that fails leaves the previous site.
pub fn recover(out: &Path) {
    let Ok(out) = absolute(out) else { return };
    if let (Some(parent), Some(name)) = (out.parent(), out.file_name()) {
        recover_beside(parent, &name.to_string_lossy(), &out);
    }
}

fn recover_beside(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut dead: Vec<(PathBuf, bool)> = Vec::new();
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        let Some(rest) = file.strip_prefix('.').and_then(|f| f.strip_prefix(name)) else {
            continue;
        };
        let (is_old, pid) = match (rest.strip_prefix(OLD), rest.strip_prefix(TMP)) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        if pid.parse::<u32>().is_ok_and(|pid| !alive(pid)) {
            dead.push((e.path(), is_old));
        }
    }
    if !out.exists()
        && let Some((old, _)) = dead
            .iter()
            .filter(|(p, is_old)| *is_old && p.join(MARKER).is_file())
            .max_by_key(|(p, _)| std::fs::metadata(p).and_then(|m| m.modified()).ok())
    {
        let _ = std::fs::rename(old, out);
    }
    for (dir, _) in dead {
        if dir.exists() {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// Whether process `pid` is running (a process we may not signal is).
pub fn alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else {
        return false;
    };
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

/// For the tests of a kill at each step of the swap: when
/// `VIGIE_TEST_FAILPOINT` names `step`, the process kills itself there, as
/// a power cut or `kill -9` would (no destructor runs).
fn failpoint(step: &str) {
    if std::env::var_os("VIGIE_TEST_FAILPOINT").is_some_and(|v| v == step) {
        let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn absolute(p: &Path) -> Result<PathBuf> {
    if p.is_absolute() {
        return Ok(p.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| Error::read(".", e))?;
    Ok(cwd.join(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_build_keeps_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("kb");
        std::fs::create_dir(&root).unwrap();
        let out = tmp.path().join("site");
        let s = Staging::new(&out, &root).unwrap();
        s.write("index.html", b"v1").unwrap();
        s.commit().unwrap();
        {
            let s = Staging::new(&out, &root).unwrap();
            s.write("index.html", b"v2").unwrap();
            // dropped without commit: a failed build
        }
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"v1");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 2, "only kb/ and site/ remain");
    }

    #[test]
    fn refuses_foreign_folder_and_escapes() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("kb");
        std::fs::create_dir(&root).unwrap();
        let out = tmp.path().join("precious");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("thesis.txt"), "x").unwrap();
        assert!(Staging::new(&out, &root).is_err());
        assert!(
            Staging::new(tmp.path(), &root).is_err(),
            "OUT containing the root"
        );
        let s = Staging::new(&tmp.path().join("site"), &root).unwrap();
        assert!(s.write("../evil.html", b"x").is_err());
    }
}
