//! `vigie build [ROOT] [-o OUT] [--broken-links error|warn] [--format F] [--state FILE]…`

use std::io::Write;
use std::path::PathBuf;

use super::{CLEAN, FINDINGS, REPORT_FORMATS, StateArgs, one_of, parse_now, root_arg};
use crate::build::{BuildOptions, build};
use crate::config::{BrokenLinks, Config};
use crate::error::Result;
use crate::report::Format;

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Knowledge-base root (default: the current folder).
    pub(super) root: Option<PathBuf>,
    /// Output folder.
    #[arg(short, long)]
    out: Option<PathBuf>,
    /// What a broken internal link does to the build.
    #[arg(long, value_parser = one_of(&[("error", BrokenLinks::Error), ("warn", BrokenLinks::Warn)]))]
    broken_links: Option<BrokenLinks>,
    /// Report format for the findings printed on stderr.
    #[arg(long, value_parser = one_of(REPORT_FORMATS), default_value = "text")]
    format: Format,
    #[command(flatten)]
    state: StateArgs,
    /// The day to judge review ages on, for the badges (YYYY-MM-DD, default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    now: Option<String>,
    /// Print how long each stage took and the memory in use after it.
    #[arg(long)]
    timings: bool,
}

pub fn run(args: BuildArgs) -> Result<i32> {
    let today = args.now.as_deref().map(|d| parse_now(Some(d))).transpose()?;
    let config = Config::load(&root_arg(args.root))?;
    let no_sitemap = !config.base_url.as_deref().is_some_and(|b| b.contains("://"));
    let opts = BuildOptions {
        out: args.out,
        broken_links: args.broken_links,
        today,
        progress: true,
        state: args.state.spec(),
        keep_search_cache: false,
    };
    let outcome = build(config, &opts)?;
    let report = &outcome.report;
    if !report.findings.is_empty() || args.format != Format::Text {
        // Findings go to stderr; a closed stderr is no reason to fail the build.
        let text = report.render(args.format, "build");
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
    if args.timings {
        print_timings(&outcome);
    }
    match &outcome.written {
        Some(path) => {
            eprintln!(
                "built {} pages in {:.2}s → {}",
                outcome.pages,
                outcome.elapsed.as_secs_f64(),
                path.join("index.html").display()
            );
            if no_sitemap {
                eprintln!(
                    "note: no sitemap.xml: a sitemap lists absolute addresses; set base_url in vigie.toml to get one"
                );
            }
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

/// `--timings`: one line a stage, on stderr: its wall time, the processor
/// time of all threads in it and how many cores that kept busy on average
/// (what is left to gain by running in parallel), the memory after it.
fn print_timings(outcome: &crate::build::BuildOutcome) {
    let mb = |b: u64| b / (1024 * 1024);
    let stages = &outcome.timings.stages;
    let mut out = format!(
        "{:<36} {:>7}  {:>7}  {:>5}  memory after\n",
        "stage", "wall", "CPU", "cores"
    );
    for s in stages {
        let wall = s.wall.as_secs_f64();
        let cpu = cpu_columns(s.cpu, wall);
        let memory = if s.resident > 0 {
            format!("{:>6} MB", mb(s.resident))
        } else {
            String::new()
        };
        out.push_str(&format!("{:<36} {wall:>5.3} s  {cpu}  {memory}\n", s.name));
    }
    let elapsed = outcome.elapsed.as_secs_f64();
    // The stages one after the other: together, the whole build.
    let cpu = cpu_columns(stages.iter().filter_map(|s| s.cpu).reduce(|a, b| a + b), elapsed);
    out.push_str(&format!(
        "{:<36} {elapsed:>5.3} s  {cpu}  peak {} MB\n",
        "total",
        mb(crate::build::peak_resident_bytes())
    ));
    let _ = std::io::stderr().lock().write_all(out.as_bytes());
}

/// The processor time of a stage of `wall` seconds and the cores it kept
/// busy on average; blank when unknown.
fn cpu_columns(cpu: Option<std::time::Duration>, wall: f64) -> String {
    let Some(cpu) = cpu.map(|c| c.as_secs_f64()) else {
        return format!("{:>7}  {:>5}", "", "");
    };
    let cores = if wall < 0.0005 {
        String::new()
    } else {
        format!("{:.2}", cpu / wall)
    };
    format!("{cpu:>5.3} s  {cores:>5}")
}
