//! `vigie check links`: internal links against the site model, external links
//! through lychee-lib.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::report::Format;

/// `vigie check links [ROOT] [--offline] [--format …] [--include REGEX] [--exclude REGEX]`
#[derive(clap::Args, Debug)]
pub struct LinksArgs {
    /// Knowledge-base root (default: the current folder).
    pub root: Option<PathBuf>,
    /// Check internal links only.
    #[arg(long)]
    pub offline: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only check links matching this regular expression.
    #[arg(long)]
    pub include: Vec<String>,
    /// Skip links matching this regular expression.
    #[arg(long)]
    pub exclude: Vec<String>,
}

/// Runs `vigie check links`.
pub fn run(_args: LinksArgs) -> Result<i32> {
    Err(Error::Usage("vigie check links is not available yet".into()))
}
