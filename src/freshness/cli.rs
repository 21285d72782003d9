//! `vigie check freshness` and `vigie state dump`.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::report::Format;

/// Where live or recorded platform state comes from (shared by `build`, `check freshness`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct StateArgs {
    /// A state snapshot (kubectl `-o json` list, OpenStack API JSON, or `vigie state dump` output). Repeatable.
    #[arg(long = "state")]
    pub states: Vec<PathBuf>,
    /// Check against this live Kubernetes context (kubeconfig).
    #[arg(long)]
    pub kube_context: Option<String>,
    /// Check against this live OpenStack cloud (clouds.yaml).
    #[arg(long)]
    pub os_cloud: Option<String>,
}

/// `vigie check freshness [ROOT] [--state FILE]… [--kube-context CTX] [--os-cloud NAME] [--now D] [--fail-on L] [--format F]`
#[derive(clap::Args, Debug)]
pub struct FreshnessArgs {
    /// Knowledge-base root (default: the current folder).
    pub root: Option<PathBuf>,
    #[command(flatten)]
    pub state: StateArgs,
    /// The day to judge review ages on (YYYY-MM-DD, default today).
    #[arg(long)]
    pub now: Option<String>,
    /// Lowest severity that fails the check (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Warn,
    Error,
}

/// `vigie state dump [--kube-context CTX] [--os-cloud NAME] -o FILE`
#[derive(clap::Args, Debug)]
pub struct DumpArgs {
    /// Knowledge-base root whose pages say what to record (default: the current folder).
    #[arg(long)]
    pub root: Option<PathBuf>,
    #[arg(long)]
    pub kube_context: Option<String>,
    #[arg(long)]
    pub os_cloud: Option<String>,
    /// Where to write the snapshot.
    #[arg(short, long)]
    pub out: PathBuf,
}

pub fn run_check(_args: FreshnessArgs) -> Result<i32> {
    Err(Error::Usage("vigie check freshness is not available yet".into()))
}

pub fn run_dump(_args: DumpArgs) -> Result<i32> {
    Err(Error::Usage("vigie state dump is not available yet".into()))
}
