//! Search: one analysis (French and English), two engines — a tantivy index
//! for `vigie search` and `serve`, and a static sharded index for the browser.

use std::path::PathBuf;

use crate::build::RenderedSite;
use crate::error::{Error, Result};
use crate::output::Staging;
use crate::report::Format;

/// `vigie search QUERY [--root ROOT] [--limit N] [--kind K] [--tag T] [--format text|json]`
#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    /// What to look for.
    pub query: String,
    /// Knowledge-base root (default: the current folder).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Number of results.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Only pages of this kind.
    #[arg(long)]
    pub kind: Option<String>,
    /// Only pages with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `vigie search`.
pub fn run(_args: SearchArgs) -> Result<i32> {
    Err(Error::Usage("vigie search is not available yet".into()))
}

/// Writes the browser's search index into the site being built.
pub fn emit(_rs: &RenderedSite, _staging: &Staging) -> Result<()> {
    Ok(())
}
