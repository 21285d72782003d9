//! `vigie check freshness` (pages, then the courses that use them) and `vigie state dump`.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::assess::{Assessment, assess_with, page_inputs};
use super::config::FreshnessConfig;
use super::sources::Configured;
use super::sources::snapshot::{FORMAT_VERSION, Snapshot, SnapshotScope};
use super::state;
use crate::build::RenderedSite;
use crate::config::Config;
use crate::course::Courses;
use crate::error::{Error, Result};
use crate::report::{Finding, Format, Severity};

/// Where live or recorded platform state comes from (shared by `build`, `check freshness`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct StateArgs {
    /// A state snapshot (`vigie state dump` output, `kubectl get … -o json`, OpenStack API JSON);
    /// `NAME=FILE` says which cluster or cloud it describes. Repeatable.
    #[arg(long = "state", value_name = "FILE")]
    pub states: Vec<PathBuf>,
    /// Check against this live Kubernetes context of the kubeconfig (`current`: the current
    /// context, `in-cluster`: the pod's service account). Repeatable.
    #[arg(long, value_name = "CTX")]
    pub kube_context: Vec<String>,
    /// Check against this live OpenStack cloud (a clouds.yaml entry; else the OS_* variables). Repeatable.
    #[arg(long, value_name = "NAME")]
    pub os_cloud: Vec<String>,
}

impl StateArgs {
    /// True when the command line names no source (vigie.toml's `[freshness] state` then applies).
    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && self.kube_context.is_empty() && self.os_cloud.is_empty()
    }
}

/// `vigie check freshness [ROOT] [--state FILE]… [--kube-context CTX] [--os-cloud NAME] [--now D] [--fail-on L] [--format F]`
#[derive(clap::Args, Debug)]
pub struct FreshnessArgs {
    /// Knowledge-base root (default: the current folder).
    pub root: Option<PathBuf>,
    #[command(flatten)]
    pub state: StateArgs,
    /// The day to judge review ages on (YYYY-MM-DD, default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub now: Option<String>,
    /// Lowest severity that fails the check (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print where the time went on stderr.
    #[arg(long, hide = true)]
    pub timings: bool,
    /// List every claim and reference found (page:line, origin, resource) instead of checking.
    #[arg(long)]
    pub list_references: bool,
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
    /// Live Kubernetes context to record (`current`, `in-cluster`). Repeatable.
    #[arg(long, value_name = "CTX")]
    pub kube_context: Vec<String>,
    /// Live OpenStack cloud to record (clouds.yaml entry or OS_* variables). Repeatable.
    #[arg(long, value_name = "NAME")]
    pub os_cloud: Vec<String>,
    /// Where to write the snapshot.
    #[arg(short, long)]
    pub out: PathBuf,
}

/// `--now YYYY-MM-DD`, or today.
pub fn parse_now(now: Option<&str>) -> Result<NaiveDate> {
    match now {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| Error::Usage(format!("--now {s:?}: write the date as YYYY-MM-DD"))),
    }
}

/// Runs `vigie check freshness`.
pub fn run_check(args: FreshnessArgs) -> Result<i32> {
    let today = parse_now(args.now.as_deref())?;
    let config = Config::load(&crate::cli::root_arg(args.root))?;
    // Code blocks and claims are all it reads: no need to highlight anything.
    let rs = RenderedSite::load_with(config, &crate::markdown::RenderOptions { highlight: false })?;
    if args.list_references {
        return list_references(&rs);
    }
    let fc = FreshnessConfig::load(&rs.site.config)?;
    let started = std::time::Instant::now();
    let mut a = assess_with(&rs, &args.state, today, Configured::Live)?;
    a.findings.extend(course_findings(&rs, &a, &fc, today)?);
    let report = a.report();
    let text = report.render(args.format, "freshness");
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(text.as_bytes()).is_err() {
        return Ok(crate::cli::CLEAN);
    }
    for note in &a.notes {
        eprintln!("note: {note}");
    }
    if a.disabled {
        eprintln!("note: {DISABLED}: nothing was checked");
    } else if args.format == Format::Text {
        if a.sources.is_empty() {
            eprintln!(
                "note: no platform state (--state, --kube-context, --os-cloud): only review ages and owners were checked"
            );
        } else {
            eprintln!("checked against: {}", a.sources.join("; "));
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
    let level = match args.fail_on {
        FailOn::Warn => Severity::Warning,
        FailOn::Error => Severity::Error,
    };
    Ok(if report.fails(level) {
        crate::cli::FINDINGS
    } else {
        crate::cli::CLEAN
    })
}

/// `course-stale`: courses with a stale or contradicted module, judged as the
/// site judges them (review due, or the page contradicted by the platform).
fn course_findings(
    rs: &RenderedSite,
    a: &Assessment,
    fc: &FreshnessConfig,
    today: NaiveDate,
) -> Result<Vec<Finding>> {
    let site = &rs.site;
    if a.disabled {
        return Ok(Vec::new());
    }
    let courses = Courses::load(site)?;
    if courses.is_empty() {
        return Ok(Vec::new());
    }
    let due = crate::course::review_due_dates(site, a.git.as_ref())?;
    let statuses = crate::course::module_statuses(&due, a, today);
    Ok(crate::course::stale_findings(
        site,
        &courses,
        |id| statuses[id],
        fc,
    ))
}

/// Why nothing is checked, for notes.
const DISABLED: &str = "freshness is disabled in vigie.toml ([freshness] enabled = false)";

/// `--list-references`: what the pages name, one per line; nothing when
/// freshness is disabled, since nothing would be checked.
fn list_references(rs: &RenderedSite) -> Result<i32> {
    let fc = FreshnessConfig::load(&rs.site.config)?;
    if !fc.enabled {
        eprintln!("note: {DISABLED}: no claim or reference is checked");
        return Ok(crate::cli::CLEAN);
    }
    let inputs = page_inputs(rs, &fc)?;
    let mut out = String::new();
    for (page, input) in rs.site.pages.iter().zip(&inputs) {
        let Some(input) = input else { continue };
        for r in &input.refs {
            let origin = match r.origin {
                super::references::Origin::Claim => "claim",
                super::references::Origin::Command => "command",
                super::references::Origin::Manifest => "manifest",
            };
            out.push_str(&format!(
                "{}:{}\t{origin}\t{}\n",
                page.display(),
                r.line,
                r.target
            ));
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(crate::cli::CLEAN)
}

/// Runs `vigie state dump`: lists, on the live sources, what the pages of the
/// knowledge base name, and writes it as a snapshot.
pub fn run_dump(args: DumpArgs) -> Result<i32> {
    let config = Config::load(&crate::cli::root_arg(args.root))?;
    let fc = FreshnessConfig::load(&config)?;
    if args.kube_context.is_empty()
        && args.os_cloud.is_empty()
        && fc.clusters.is_empty()
        && fc.clouds.is_empty()
    {
        return Err(Error::Usage(
            "vigie state dump records live state: give --kube-context CTX and/or --os-cloud NAME, or name clusters and clouds in vigie.toml ([freshness.clusters.NAME], [freshness.clouds.NAME])".into(),
        ));
    }
    // Code blocks and claims are all it reads: no need to highlight anything.
    let rs = RenderedSite::load_with(config, &crate::markdown::RenderOptions { highlight: false })?;
    let state_args = StateArgs {
        states: Vec::new(),
        kube_context: args.kube_context,
        os_cloud: args.os_cloud,
    };
    let opened = super::sources::open(&state_args, &fc, &rs.site.config, Configured::Live)?;
    let inputs = page_inputs(&rs, &fc)?;
    let default_scopes = |p| opened.default_scopes(p).to_vec();
    let plan = state::plan(
        inputs.iter().flatten().flat_map(|i| i.refs.iter()),
        &default_scopes,
    );
    let mut snapshot = Snapshot {
        vigie_state: FORMAT_VERSION,
        recorded_at: Some(chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        sources: Vec::new(),
    };
    let (mut objects, mut lists) = (0, 0);
    for source in &opened.sources {
        let queries = plan
            .get(&(source.platform(), source.scope().to_string()))
            .cloned()
            .unwrap_or_default();
        let listed = source.list(&queries)?;
        for note in source.notes() {
            eprintln!("note: {note}");
        }
        lists += listed.len();
        objects += listed.iter().map(|l| l.items.len()).sum::<usize>();
        snapshot.sources.push(SnapshotScope {
            platform: source.platform(),
            name: source.scope().to_string(),
            lists: listed,
        });
    }
    let json = serde_json::to_string_pretty(&snapshot).map_err(|e| Error::Other(e.to_string()))? + "\n";
    let out = &args.out;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::write(out, e))?;
    tmp.write_all(json.as_bytes()).map_err(|e| Error::write(out, e))?;
    tmp.persist(out).map_err(|e| Error::write(out, e.error))?;
    eprintln!(
        "recorded {objects} objects in {lists} lists from {} → {}",
        opened
            .sources
            .iter()
            .map(|s| s.name().to_string())
            .collect::<Vec<_>>()
            .join("; "),
        out.display()
    );
    Ok(crate::cli::CLEAN)
}
