//! `vigie check links [ROOT] [--offline] [--format …] [--include REGEX] [--exclude REGEX]`

use std::path::PathBuf;
use std::time::Instant;

use super::{FailOn, REPORT_FORMATS, exit_code, one_of, print, root_arg};
use crate::config::Config;
use crate::content::Site;
use crate::error::Result;
use crate::links::check::{CheckOptions, check, render};
use crate::report::Format;

#[derive(clap::Args, Debug)]
pub struct LinksArgs {
    /// Knowledge-base root (default: the current folder).
    pub(super) root: Option<PathBuf>,
    /// Check internal links only.
    #[arg(long)]
    offline: bool,
    #[arg(long, value_parser = one_of(REPORT_FORMATS), default_value = "text")]
    format: Format,
    /// Only check links matching this regular expression.
    #[arg(long)]
    include: Vec<String>,
    /// Skip links matching this regular expression.
    #[arg(long)]
    exclude: Vec<String>,
}

pub fn run(args: LinksArgs) -> Result<i32> {
    let started = Instant::now();
    let config = Config::load(&root_arg(args.root))?;
    let mut opts = CheckOptions::load(&config, args.offline, &args.include, &args.exclude)?;
    opts.progress = true;
    // Rendered without highlighting or HTML, keeping only what links need.
    let rs = render(Site::load(config)?);
    let report = check(&rs, &opts)?;
    // The process ends here: the system takes the memory back at once, where
    // freeing every rendered page one by one costs a noticeable share of a
    // large site's check.
    std::mem::forget(rs);
    print(&report.render(args.format, "links"));
    if args.format == Format::Text {
        eprintln!("checked in {:.2}s", started.elapsed().as_secs_f64());
    }
    Ok(exit_code(&report, FailOn::Error))
}
