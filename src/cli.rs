//! The command line: parsing, running a command, and the exit-code contract
//! (0 clean, 1 findings at or above the failing level, 2 usage, configuration
//! or input error).

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::build::{BuildOptions, build};
use crate::config::{BrokenLinks, Config};
use crate::course::CourseListArgs;
use crate::error::Error;
use crate::freshness::cli::{DumpArgs, FreshnessArgs, StateArgs};
use crate::links::check::LinksArgs;
use crate::report::Format;
use crate::search::SearchArgs;
use crate::serve::ServeArgs;

#[derive(Parser, Debug)]
#[command(
    name = "vigie",
    version,
    about = "Knowledge base generator: static site, search, link and freshness checks"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the static site (default output: ROOT/site).
    Build {
        /// Knowledge-base root (default: the current folder).
        root: Option<PathBuf>,
        /// Output folder.
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// What a broken internal link does to the build.
        #[arg(long, value_enum)]
        broken_links: Option<BrokenLinks>,
        /// Report format for the findings printed on stderr.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        state: StateArgs,
    },
    /// Live preview: rebuilds what changed, reloads the browser, serves the search API.
    Serve(ServeArgs),
    /// Search the knowledge base from the command line.
    Search(SearchArgs),
    /// Checks for CI: links and freshness.
    #[command(subcommand)]
    Check(CheckCommand),
    /// Record live platform state as a snapshot.
    #[command(subcommand)]
    State(StateCommand),
    /// Courses.
    #[command(subcommand)]
    Course(CourseCommand),
}

#[derive(Subcommand, Debug)]
pub enum CheckCommand {
    /// Check internal and external links.
    Links(LinksArgs),
    /// Check review ages and claims against the live platform or snapshots.
    Freshness(FreshnessArgs),
}

#[derive(Subcommand, Debug)]
pub enum StateCommand {
    /// Record live Kubernetes / OpenStack state into a snapshot file.
    Dump(DumpArgs),
}

#[derive(Subcommand, Debug)]
pub enum CourseCommand {
    /// Courses with module count, total duration and freshness.
    List(CourseListArgs),
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
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ERROR
        }
    }
}

fn root_or_cwd(root: Option<PathBuf>) -> PathBuf {
    root.unwrap_or_else(|| PathBuf::from("."))
}

fn run(cli: Cli) -> Result<i32, Error> {
    match cli.command {
        Command::Build {
            root,
            out,
            broken_links,
            format,
            state,
        } => {
            let config = Config::load(&root_or_cwd(root))?;
            let opts = BuildOptions {
                out,
                broken_links,
                today: None,
                progress: true,
                state,
                keep_search_cache: false,
            };
            let outcome = build(config, &opts)?;
            let report = &outcome.report;
            if !report.findings.is_empty() || format != Format::Text {
                let text = report.render(format, "build");
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(text.as_bytes());
            }
            match &outcome.written {
                Some(path) => {
                    eprintln!(
                        "built {} pages in {:.2}s → {}",
                        outcome.pages,
                        outcome.elapsed.as_secs_f64(),
                        path.join("index.html").display()
                    );
                    Ok(CLEAN)
                }
                None => {
                    eprintln!(
                        "build failed: broken internal links (previous site left as it was). Fix them, or pass --broken-links warn"
                    );
                    Ok(FINDINGS)
                }
            }
        }
        Command::Serve(args) => crate::serve::run(args),
        Command::Search(args) => crate::search::run(args),
        Command::Check(CheckCommand::Links(args)) => crate::links::check::run(args),
        Command::Check(CheckCommand::Freshness(args)) => crate::freshness::cli::run_check(args),
        Command::State(StateCommand::Dump(args)) => crate::freshness::cli::run_dump(args),
        Command::Course(CourseCommand::List(args)) => crate::course::run_list(args),
    }
}

/// The root given on the command line, or the current folder.
pub fn root_arg(root: Option<PathBuf>) -> PathBuf {
    root_or_cwd(root)
}
