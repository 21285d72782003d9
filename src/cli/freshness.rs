//! `vigie check freshness [ROOT] [--state FILE]… [--kube-context CTX] [--os-cloud NAME]
//! [--now D] [--fail-on L] [--format F|digest] [--notify URL [--notify-state FILE] [--dry-run]]
//! [--list-references]`: pages, then the courses that use them; then the owners told.
//!
//! `--format` takes the report formats of every check plus `digest`, which is
//! not a report of findings but the pages grouped by owner: it belongs to
//! freshness alone, so it is a variant of this command's [`Output`], not of
//! the shared `report::Format`.

use std::path::PathBuf;

use super::{CLEAN, ERROR, FailOn, StateArgs, exit_code, one_of, parse_now, print, root_arg};
use crate::config::Config;
use crate::error::Result;
use crate::freshness::Assessment;
use crate::freshness::assess::{assess_with, page_inputs};
use crate::freshness::config::FreshnessConfig;
use crate::freshness::digest::{Digest, digest};
use crate::freshness::notify::{self, NotifyConfig, NotifyState};
use crate::freshness::references::Origin;
use crate::freshness::sources::Configured;
use crate::markdown::{RenderOptions, RenderedSite};
use crate::report::Format;

#[derive(clap::Args, Debug)]
pub struct FreshnessArgs {
    /// Knowledge-base root (default: the current folder).
    pub(super) root: Option<PathBuf>,
    #[command(flatten)]
    state: StateArgs,
    /// The day to judge review ages on (YYYY-MM-DD, default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    now: Option<String>,
    /// Lowest severity that fails the check (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Report format, or `digest`: the pages needing attention, one Markdown section per owner.
    #[arg(long, value_parser = one_of(FORMATS), default_value = "text")]
    format: Output,
    /// Post each owner's digest to this chat webhook (Slack-compatible or Matrix: `[notify]`
    /// in vigie.toml), only for what is new or still open after `remind_after`.
    #[arg(long, value_name = "URL")]
    notify: Option<String>,
    /// The file that remembers what was told when (default: `[notify] state`).
    #[arg(long, value_name = "FILE", requires = "notify")]
    notify_state: Option<PathBuf>,
    /// With --notify: print the messages instead of the report, send nothing, remember nothing.
    #[arg(long, requires = "notify")]
    dry_run: bool,
    /// Print where the time went on stderr.
    #[arg(long, hide = true)]
    timings: bool,
    /// List every claim and reference found (page:line, origin, resource) instead of checking.
    #[arg(long)]
    list_references: bool,
}

/// What `check freshness` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Report(Format),
    /// One section per owner ([`crate::freshness::digest`]).
    Digest,
}

const FORMATS: &[(&str, Output)] = &[
    ("text", Output::Report(Format::Text)),
    ("json", Output::Report(Format::Json)),
    ("junit", Output::Report(Format::Junit)),
    ("github", Output::Report(Format::Github)),
    ("digest", Output::Digest),
];

/// Why nothing is checked, for notes.
const DISABLED: &str = "freshness is disabled in vigie.toml ([freshness] enabled = false)";

pub fn run(args: FreshnessArgs) -> Result<i32> {
    let today = parse_now(args.now.as_deref())?;
    let config = Config::load(&root_arg(args.root))?;
    // Code blocks and claims are all it reads: no need to highlight anything.
    let rs = RenderedSite::load_with(config, &RenderOptions::checks())?;
    if args.list_references {
        return list_references(&rs);
    }
    let fc = FreshnessConfig::load(&rs.site.config)?;
    let started = std::time::Instant::now();
    let mut a = assess_with(&rs, &args.state.spec(), today, Configured::Live)?;
    let courses = crate::course::course_findings(&rs.site, &a, &fc, today)?;
    a.findings.extend(courses);
    let report = a.report();
    let owners = match (args.format, &args.notify) {
        (Output::Report(_), None) => None,
        _ => Some(Owners::load(&rs, &a, today, args.notify_state.as_deref())?),
    };
    match (args.format, &owners) {
        _ if args.dry_run => {}
        (Output::Digest, Some(o)) => print(&o.digest.markdown()),
        (format, _) => print(&report.render(format_of(format), "freshness")),
    }
    let mut code = exit_code(&report, args.fail_on);
    if let (Some(url), Some(o)) = (&args.notify, &owners)
        && !o.notify(url, args.dry_run)
    {
        code = ERROR;
    }
    for note in &a.notes {
        eprintln!("note: {}", crate::redact::redact(note));
    }
    if a.disabled {
        eprintln!("note: {DISABLED}: nothing was checked");
    } else if a.sources.is_empty() {
        // On standard error in every format: a CI log shows it beside the report.
        eprintln!(
            "note: no platform state (--state, --kube-context, --os-cloud): only review ages and owners were checked"
        );
    } else if args.format == Output::Report(Format::Text) {
        eprintln!(
            "checked against: {}",
            crate::redact::redact(&a.sources.join("; "))
        );
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
    Ok(code)
}

/// The report format of `format` (a digest is printed by [`Owners`], never as a report).
fn format_of(format: Output) -> Format {
    match format {
        Output::Report(f) => f,
        Output::Digest => Format::Text,
    }
}

/// Everything needed to tell the owners.
struct Owners {
    digest: Digest,
    config: NotifyConfig,
    state: NotifyState,
    state_path: PathBuf,
}

impl Owners {
    fn load(
        rs: &RenderedSite,
        a: &Assessment,
        today: chrono::NaiveDate,
        flag: Option<&std::path::Path>,
    ) -> Result<Owners> {
        let config = NotifyConfig::load(&rs.site.config)?;
        let state_path = config.state_path(&rs.site.config, flag);
        let state = NotifyState::load(&state_path)?;
        let digest = digest(&rs.site, a, today, &|key| state.first_seen(key));
        Ok(Owners {
            digest,
            config,
            state,
            state_path,
        })
    }

    /// Posts each owner's message (or prints them, `dry_run`) and remembers what
    /// went through; false when a message failed (each failure printed).
    fn notify(&self, url: &str, dry_run: bool) -> bool {
        let messages = notify::plan(&self.digest, &self.state, &self.config);
        if dry_run {
            let mut out = String::new();
            for m in &messages {
                out.push_str(&format!(
                    "would send to {} ({}) at {}:\n{}\n\n",
                    m.owner.as_deref().unwrap_or("pages without an owner"),
                    m.channel.as_deref().unwrap_or("the webhook's own channel"),
                    notify::shown(url),
                    serde_json::to_string_pretty(&m.payload).unwrap_or_default()
                ));
            }
            out.push_str(&format!(
                "{} message(s) would be sent; nothing sent, nothing remembered\n",
                messages.len()
            ));
            print(&out);
            return true;
        }
        let results = notify::send(url, &self.config, &messages, self.digest.today);
        let mut sent = Vec::new();
        let mut ok = true;
        for (m, r) in messages.iter().zip(results) {
            match r {
                Ok(()) => sent.push(m),
                Err(e) => {
                    eprintln!("error: {e}");
                    ok = false;
                }
            }
        }
        let next = notify::next_state(&self.digest, &self.state, &sent);
        if let Err(e) = next.save(&self.state_path) {
            eprintln!("error: {e}");
            ok = false;
        }
        eprintln!(
            "notify: {} of {} message(s) sent to {}",
            sent.len(),
            messages.len(),
            notify::shown(url)
        );
        ok
    }
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
