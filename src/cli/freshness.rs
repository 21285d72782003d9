//! `vigie check freshness [ROOT] [--state FILE]… [--kube-context CTX] [--os-cloud NAME]
//! [--now D] [--fail-on L] [--format F] [--list-references]`: pages, then the
//! courses that use them.

use std::path::PathBuf;

use super::{CLEAN, FailOn, REPORT_FORMATS, StateArgs, exit_code, one_of, parse_now, print, root_arg};
use crate::config::Config;
use crate::error::Result;
use crate::freshness::assess::{assess_with, page_inputs};
use crate::freshness::config::FreshnessConfig;
use crate::freshness::references::Origin;
use crate::freshness::sources::Configured;
use crate::markdown::{RenderOptions, RenderedSite};
use crate::report::Format;

#[derive(clap::Args, Debug)]
pub struct FreshnessArgs {
    /// Knowledge-base root (default: the current folder).
    root: Option<PathBuf>,
    #[command(flatten)]
    state: StateArgs,
    /// The day to judge review ages on (YYYY-MM-DD, default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    now: Option<String>,
    /// Lowest severity that fails the check (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    #[arg(long, value_parser = one_of(REPORT_FORMATS), default_value = "text")]
    format: Format,
    /// Print where the time went on stderr.
    #[arg(long, hide = true)]
    timings: bool,
    /// List every claim and reference found (page:line, origin, resource) instead of checking.
    #[arg(long)]
    list_references: bool,
}

/// Why nothing is checked, for notes.
const DISABLED: &str = "freshness is disabled in vigie.toml ([freshness] enabled = false)";

pub fn run(args: FreshnessArgs) -> Result<i32> {
    let today = parse_now(args.now.as_deref())?;
    let config = Config::load(&root_arg(args.root))?;
    // Code blocks and claims are all it reads: no need to highlight anything.
    let rs = RenderedSite::load_with(config, &RenderOptions { highlight: false })?;
    if args.list_references {
        return list_references(&rs);
    }
    let fc = FreshnessConfig::load(&rs.site.config)?;
    let started = std::time::Instant::now();
    let mut a = assess_with(&rs, &args.state.spec(), today, Configured::Live)?;
    let courses = crate::course::course_findings(&rs.site, &a, &fc, today)?;
    a.findings.extend(courses);
    let report = a.report();
    print(&report.render(args.format, "freshness"));
    for note in &a.notes {
        eprintln!("note: {}", crate::redact::redact(note));
    }
    if a.disabled {
        eprintln!("note: {DISABLED}: nothing was checked");
    } else if args.format == Format::Text {
        if a.sources.is_empty() {
            eprintln!(
                "note: no platform state (--state, --kube-context, --os-cloud): only review ages and owners were checked"
            );
        } else {
            eprintln!(
                "checked against: {}",
                crate::redact::redact(&a.sources.join("; "))
            );
        }
    }
    if args.timings {
        let t = a.timings;
        eprintln!(
            "timings: extract {:.3}s, state {:.3}s, rules {:.3}s, total {:.3}s (after loading and rendering the site)",
            t.extract.as_secs_f64(),
            t.state.as_secs_f64(),
            t.evaluate.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(exit_code(&report, args.fail_on))
}

/// `--list-references`: what the pages name, one per line; nothing when
/// freshness is disabled, since nothing would be checked.
fn list_references(rs: &RenderedSite) -> Result<i32> {
    let fc = FreshnessConfig::load(&rs.site.config)?;
    if !fc.enabled {
        eprintln!("note: {DISABLED}: no claim or reference is checked");
        return Ok(CLEAN);
    }
    let inputs = page_inputs(rs, &fc)?;
    let mut out = String::new();
    for (page, input) in rs.site.pages.iter().zip(&inputs) {
        let Some(input) = input else { continue };
        for r in &input.refs {
            let origin = match r.origin {
                Origin::Claim => "claim",
                Origin::Command => "command",
                Origin::Manifest => "manifest",
            };
            out.push_str(&format!(
                "{}:{}\t{origin}\t{}\n",
                page.display(),
                r.line,
                r.target
            ));
        }
    }
    print(&out);
    Ok(CLEAN)
}
