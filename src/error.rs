//! The library's error type: "could not do the job" (bad input, unreadable file,
//! bad configuration). Findings such as a broken link are not errors: they are
//! data in a [`crate::report::Report`].

use std::path::PathBuf;

/// Everything that stops vigie from doing its job. Variants carry the file and,
/// when known, the line, so the message can point the user at the fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: cannot write: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}: invalid front matter: {message}", path.display())]
    FrontMatter {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}:{line}: invalid configuration: {message}", path.display())]
    Config {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}:{line}: {message}", path.display())]
    Input {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    Book { path: PathBuf, message: String },
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Read {
            path: path.into(),
            source,
        }
    }

    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Write {
            path: path.into(),
            source,
        }
    }

    pub fn input(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
