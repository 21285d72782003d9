//! The command line, and only it: clap parsing, one file per command, the
//! exit-code contract (0 clean, 1 findings at or above the failing level,
//! 2 usage, configuration or input error) and printing. Nothing below this
//! module knows about clap or exit codes: the library returns reports, hits,
//! listings and snapshots, and the commands here print them.

mod alerts;
mod build;
mod course;
mod freshness;
mod links;
mod search;
mod serve;
mod state;

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};

use crate::error::{Error, Result};
use crate::report::{Format, Report, Severity};

#[derive(Parser, Debug)]
#[command(
    name = "vigie",
    version,
    about = "Knowledge base generator: static site, search, link, freshness and alert checks"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the static site (default output: ROOT/site).
    Build(build::BuildArgs),
    /// Live preview: rebuilds what changed, reloads the browser, serves the search API.
    Serve(serve::ServeArgs),
    /// Search the knowledge base from the command line.
    Search(search::SearchArgs),
    /// Checks for CI: links and freshness.
    #[command(subcommand)]
    Check(CheckCommand),
    /// Record live platform state as a snapshot.
    #[command(subcommand)]
    State(StateCommand),
    /// Courses.
    #[command(subcommand)]
    Course(CourseCommand),
    /// Alerts and their runbooks.
    #[command(subcommand)]
    Alerts(AlertsCommand),
}

#[derive(Subcommand, Debug)]
pub enum AlertsCommand {
    /// The runbook_url each alert should carry (text, JSON or patches; never edits a file).
    Urls(alerts::UrlsArgs),
}

#[derive(Subcommand, Debug)]
pub enum CheckCommand {
    /// Check internal and external links.
    Links(links::LinksArgs),
    /// Check review ages and claims against the live platform or snapshots.
    Freshness(freshness::FreshnessArgs),
    /// Check alerts and runbooks both ways (rule files, PrometheusRule manifests, live cluster).
    Alerts(alerts::CheckAlertsArgs),
}

#[derive(Subcommand, Debug)]
pub enum StateCommand {
    /// Record live Kubernetes / OpenStack state into a snapshot file.
    Dump(state::DumpArgs),
}

#[derive(Subcommand, Debug)]
pub enum CourseCommand {
    /// Courses with module count, total duration and freshness.
    List(course::CourseListArgs),
}

/// Exit codes.
pub const CLEAN: i32 = 0;
pub const FINDINGS: i32 = 1;
pub const ERROR: i32 = 2;

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { ERROR } else { CLEAN };
            let _ = e.print();
            return code;
        }
    };
    // Files in messages are named from the root, as in reports.
    let root = root_arg(match &cli.command {
        Command::Build(a) => a.root.clone(),
        Command::Serve(a) => a.root.clone(),
        Command::Search(a) => a.root.clone(),
        Command::Check(CheckCommand::Links(a)) => a.root.clone(),
        Command::Check(CheckCommand::Freshness(a)) => a.root.clone(),
        Command::State(StateCommand::Dump(a)) => a.root.clone(),
        Command::Course(CourseCommand::List(a)) => a.root.clone(),
        Command::Check(CheckCommand::Alerts(a)) => a.root.clone(),
        Command::Alerts(AlertsCommand::Urls(a)) => a.root.clone(),
    });
    let ran = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Search(args) => search::run(args),
        Command::Check(CheckCommand::Links(args)) => links::run(args),
        Command::Check(CheckCommand::Freshness(args)) => freshness::run(args),
        Command::State(StateCommand::Dump(args)) => state::run(args),
        Command::Course(CourseCommand::List(args)) => course::run(args),
        Command::Check(CheckCommand::Alerts(args)) => alerts::check(args),
        Command::Alerts(AlertsCommand::Urls(args)) => alerts::urls(args),
    };
    match ran {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "error: {}",
                crate::report::printable(&crate::redact::redact(&e.relative_to(&root).to_string()))
            );
            ERROR
        }
    }
}

/// The root given on the command line, or the current folder.
fn root_arg(root: Option<PathBuf>) -> PathBuf {
    root.unwrap_or_else(|| PathBuf::from("."))
}

/// `--now YYYY-MM-DD` (spaces around it ignored), or today.
fn parse_now(now: Option<&str>) -> Result<NaiveDate> {
    match now {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| Error::Usage(format!("--now {s:?}: write the date as YYYY-MM-DD"))),
    }
}

/// Writes `text` on stdout. A closed pipe (`vigie … | head`) is not an error:
/// the rest of the output is dropped, and the exit code is the one the
/// findings give, as if everything had been read.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Lowest severity that fails a check (exit 1).
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum FailOn {
    Warn,
    Error,
}

/// The exit code of a check whose findings are `report`.
fn exit_code(report: &Report, fail_on: FailOn) -> i32 {
    let level = match fail_on {
        FailOn::Warn => Severity::Warning,
        FailOn::Error => Severity::Error,
    };
    if report.fails(level) { FINDINGS } else { CLEAN }
}

/// Every report format (`--format` of the checks and of `build`).
const REPORT_FORMATS: &[(&str, Format)] = &[
    ("text", Format::Text),
    ("json", Format::Json),
    ("junit", Format::Junit),
    ("github", Format::Github),
];

/// Formats of listings (`vigie search`, `vigie course list`).
const LIST_FORMATS: &[(&str, Format)] = &[("text", Format::Text), ("json", Format::Json)];

/// Parses a flag whose values name a library enum (which knows nothing of clap).
fn one_of<T: Clone + Send + Sync + 'static>(
    choices: &'static [(&'static str, T)],
) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(choices.iter().map(|(name, _)| *name)).map(move |name| {
        choices
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| choices[0].1.clone())
    })
}

/// Where live or recorded platform state comes from (shared by `build` and `check freshness`).
#[derive(clap::Args, Debug, Clone, Default)]
struct StateArgs {
    /// A state snapshot (`vigie state dump` output, `kubectl get … -o json`, OpenStack API JSON);
    /// `NAME=FILE` says which cluster or cloud it describes. Repeatable.
    #[arg(long = "state", value_name = "FILE")]
    states: Vec<PathBuf>,
    /// Check against this live Kubernetes context of the kubeconfig (`current`: the current
    /// context, `in-cluster`: the pod's service account); `NAME=CTX` names the cluster in the
    /// report (`prod=in-cluster`). Repeatable.
    #[arg(long, value_name = "CTX")]
    kube_context: Vec<String>,
    /// Check against this live OpenStack cloud (a clouds.yaml entry; else the OS_* variables). Repeatable.
    #[arg(long, value_name = "NAME")]
    os_cloud: Vec<String>,
}

impl StateArgs {
    fn spec(self) -> crate::freshness::StateSpec {
        crate::freshness::StateSpec {
            states: self.states,
            kube_context: self.kube_context,
            os_cloud: self.os_cloud,
        }
    }
}
