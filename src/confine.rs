//! What vigie reads stays inside the knowledge base: a file whose real path
//! (symbolic links followed) leaves the root is never read, copied, served
//! or used as a template; and input files are read with a size limit, so a
//! `/dev/zero` or a runaway file is an error rather than memory exhaustion.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where a path really leads, seen from the knowledge-base root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Inside the root (its real path).
    Inside(PathBuf),
    /// Outside the root: the real path it leads to (through a symbolic link).
    Outside(PathBuf),
    /// Nothing there (or unreadable).
    Missing,
}

/// Where `path` really leads, relative to `root` (both resolved through
/// symbolic links). `root` may be given as written: it is resolved too.
pub fn reach(root: &Path, path: &Path) -> Reach {
    let Ok(real) = path.canonicalize() else {
        return Reach::Missing;
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if real.starts_with(&root) {
        Reach::Inside(real)
    } else {
        Reach::Outside(real)
    }
}

/// The message of a finding or error about `path`, a link out of the root
/// leading to `real`.
pub fn outside_message(real: &Path) -> String {
    format!(
        "is a symbolic link to `{}`, outside the knowledge base: it is not published",
        real.display()
    )
}

/// Largest state snapshot vigie reads (a `kubectl get -o json` of a big
/// cluster is tens of MB).
pub const STATE_LIMIT: u64 = 128 * 1024 * 1024;
/// Largest page (or included file) vigie reads.
pub const PAGE_LIMIT: u64 = 64 * 1024 * 1024;

/// In tests, each file [`read_limited`] read and the thread that read it:
/// what shows which threads a caller's reads ran on.
#[cfg(test)]
pub(crate) static READS: std::sync::Mutex<Vec<(std::path::PathBuf, Option<String>)>> =
    std::sync::Mutex::new(Vec::new());

/// Reads at most `limit` bytes of `path`; a longer file is an error naming it
/// and the limit (`what` says what the file is: "state file", "page").
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    #[cfg(test)]
    READS.lock().unwrap_or_else(|p| p.into_inner()).push((
        path.to_path_buf(),
        std::thread::current().name().map(String::from),
    ));
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    // Sized from the file's length, as fs::read does: no regrowing while reading.
    let hint = file.metadata().map(|m| m.len().min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0) + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::read(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::read(
            path,
            std::io::Error::other(format!(
                "the {what} is larger than {}: vigie does not read it (is it the right file?)",
                size(limit)
            )),
        ));
    }
    Ok(bytes)
}

/// Like [`read_limited`], as UTF-8 text; invalid UTF-8 is an error naming
/// the line where it starts.
pub fn read_text_limited(path: &Path, limit: u64, what: &str) -> Result<String> {
    let bytes = read_limited(path, limit, what)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::input(
            path,
            line,
            "is not valid UTF-8 text: save the file as UTF-8".to_string(),
        )
    })
}

/// `50 MB`, `1 GB`: a limit as a person reads it.
pub fn size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= 1024 * MB && bytes.is_multiple_of(1024 * MB) {
        format!("{} GB", bytes / (1024 * MB))
    } else if bytes >= MB {
        format!("{} MB", bytes / MB)
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_out_of_the_root_is_seen() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("kb");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(tmp.path().join("secret"), "s").unwrap();
        std::fs::write(root.join("ok.txt"), "x").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), root.join("p.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("ok.txt"), root.join("inner.txt")).unwrap();
        assert!(matches!(reach(&root, &root.join("ok.txt")), Reach::Inside(_)));
        assert!(matches!(reach(&root, &root.join("inner.txt")), Reach::Inside(_)));
        let Reach::Outside(real) = reach(&root, &root.join("p.txt")) else {
            panic!("outside not seen")
        };
        assert!(real.ends_with("secret"));
        assert_eq!(reach(&root, &root.join("nope")), Reach::Missing);
    }

    #[test]
    fn reads_are_bounded() {
        let e = read_limited(Path::new("/dev/zero"), 1024, "state file").unwrap_err();
        assert!(e.to_string().contains("larger than 1 kB"), "{e}");
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("t.md");
        std::fs::write(&f, b"a\nb\n\xff").unwrap();
        let e = read_text_limited(&f, 1024, "page").unwrap_err();
        assert!(e.to_string().contains(":3:"), "{e}");
    }
}
