//! `vigie check alerts [ROOT] [--rules PATH]… [--kube-context CTX]…` and
//! `vigie alerts urls [ROOT] [--rules PATH]… [--format text|json|patch]`.

use std::path::PathBuf;

use super::{CLEAN, FailOn, REPORT_FORMATS, exit_code, one_of, print, root_arg};
use crate::alerts::{Alerts, RuleSources};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::markdown::{RenderOptions, RenderedSite};
use crate::report::Format;

/// Where the alert rules come from (shared by both commands).
#[derive(clap::Args, Debug, Clone, Default)]
struct RulesArgs {
    /// A Prometheus rule file, PrometheusRule manifests (`kubectl get prometheusrules -A -o json`
    /// too), a `vigie state dump` snapshot, or a folder of them. Repeatable. Default: the
    /// `[alerts] rules` of vigie.toml.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Read the PrometheusRule objects of this live Kubernetes context (`current`: the
    /// current context, `in-cluster`: the pod's service account). Repeatable.
    #[arg(long, value_name = "CTX")]
    kube_context: Vec<String>,
}

impl RulesArgs {
    /// The sources named on the command line; `None` to use vigie.toml's.
    fn sources(&self) -> Option<RuleSources> {
        if self.rules.is_empty() && self.kube_context.is_empty() {
            return None;
        }
        Some(RuleSources {
            paths: self
                .rules
                .iter()
                .map(|p| {
                    (
                        p.clone(),
                        p.display().to_string().trim_end_matches('/').to_string(),
                    )
                })
                .collect(),
            kube_contexts: self.kube_context.clone(),
        })
    }
}

/// Loads the site and its alerts; no rules at all is a usage error.
fn load(root: Option<PathBuf>, args: &RulesArgs) -> Result<(RenderedSite, Alerts)> {
    let config = Config::load(&root_arg(root))?;
    let cli = args.sources();
    let rs = RenderedSite::load_with(config, &RenderOptions::checks())?;
    let alerts = Alerts::load(&rs, cli.as_ref())?;
    if cli.is_none() && alerts.config.rules.is_empty() {
        return Err(Error::Usage(
            "no alert rules: give --rules PATH (rule files, PrometheusRule manifests or a folder of them) or --kube-context CTX, or name them in vigie.toml ([alerts] rules = [\"monitoring/rules/\"])".into(),
        ));
    }
    for note in &alerts.rules.notes {
        eprintln!("note: {note}");
    }
    Ok((rs, alerts))
}

#[derive(clap::Args, Debug)]
pub struct CheckAlertsArgs {
    /// Knowledge-base root (default: the current folder).
    pub(super) root: Option<PathBuf>,
    #[command(flatten)]
    rules: RulesArgs,
    /// Lowest severity that fails the check (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    #[arg(long, value_parser = one_of(REPORT_FORMATS), default_value = "text")]
    format: Format,
}

pub fn check(args: CheckAlertsArgs) -> Result<i32> {
    let (rs, alerts) = load(args.root, &args.rules)?;
    let report = alerts.check(&rs);
    print(&report.render(args.format, "alerts"));
    if args.format == Format::Text {
        eprintln!("alert rules read from: {}", alerts.rules.read.join(", "));
        if rs.site.config.base_url.is_none() {
            eprintln!(
                "note: no base URL (base_url in vigie.toml): runbook_url addresses were matched on their path only"
            );
        }
    }
    Ok(exit_code(&report, args.fail_on))
}

/// Output of `vigie alerts urls`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum UrlsFormat {
    Text,
    Json,
    /// JSON patches in YAML, one per PrometheusRule (or rule file) to change.
    Patch,
}

#[derive(clap::Args, Debug)]
pub struct UrlsArgs {
    /// Knowledge-base root (default: the current folder).
    pub(super) root: Option<PathBuf>,
    #[command(flatten)]
    rules: RulesArgs,
    /// Give the site's alert page (`BASE/alerts/NAME`, which follows the runbook when it
    /// moves) rather than the runbook's own address.
    #[arg(long)]
    stable: bool,
    #[arg(long, value_enum, default_value_t = UrlsFormat::Text)]
    format: UrlsFormat,
}

pub fn urls(args: UrlsArgs) -> Result<i32> {
    let (rs, alerts) = load(args.root, &args.rules)?;
    let lines = crate::alerts::urls::lines(&rs, &alerts, args.stable);
    let out = match args.format {
        UrlsFormat::Text => crate::alerts::urls::text(&lines),
        UrlsFormat::Json => crate::alerts::urls::json(&lines),
        UrlsFormat::Patch => crate::alerts::urls::patches(&lines),
    };
    print(&out);
    if args.format != UrlsFormat::Json {
        let changed = lines.iter().filter(|l| l.changed).count();
        let orphans = lines.iter().filter(|l| l.should.is_none()).count();
        eprintln!(
            "{changed} rules to change, {orphans} without a page documenting their alert; no file was changed"
        );
    }
    if rs.site.config.base_url.is_none() {
        eprintln!("note: no base URL (base_url in vigie.toml): addresses start at the site root");
    }
    Ok(CLEAN)
}
