//! `vigie state dump`'s work: what the pages of a knowledge base name, listed
//! on live sources and kept as a [`Snapshot`] that later checks read offline.

use super::assess::{Asked, observe, page_inputs};
use super::config::FreshnessConfig;
use super::sources::snapshot::{FORMAT_VERSION, Snapshot, SnapshotScope};
use super::sources::{self, Configured, StateSpec};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::markdown::{RenderOptions, RenderedSite};

/// A snapshot and what went into it.
pub struct Recorded {
    pub snapshot: Snapshot,
    /// Objects and lists recorded.
    pub objects: usize,
    pub lists: usize,
    /// Names of the sources read.
    pub sources: Vec<String>,
    /// What the sources could not read.
    pub notes: Vec<String>,
}

/// Lists, on the live sources `spec` names (else the clusters and clouds of
/// `vigie.toml`), every kind and namespace the pages of the knowledge base
/// of `config` name.
pub fn record(config: Config, spec: &StateSpec, recorded_at: String) -> Result<Recorded> {
    let fc = FreshnessConfig::load(&config)?;
    if spec.kube_context.is_empty()
        && spec.os_cloud.is_empty()
        && fc.clusters.is_empty()
        && fc.clouds.is_empty()
    {
        return Err(Error::Usage(
            "vigie state dump records live state: give --kube-context CTX and/or --os-cloud NAME, or name clusters and clouds in vigie.toml ([freshness.clusters.NAME], [freshness.clouds.NAME])".into(),
        ));
    }
    // Code blocks and claims are all it reads: no need to highlight anything.
    let rs = RenderedSite::load_with(config, &RenderOptions::checks())?;
    let opened = sources::open(spec, &fc, &rs.site.config, Configured::Live)?;
    let inputs = page_inputs(&rs, &fc)?;
    let mut recorded = Recorded {
        snapshot: Snapshot {
            vigie_state: FORMAT_VERSION,
            recorded_at: Some(recorded_at),
            sources: Vec::new(),
        },
        objects: 0,
        lists: 0,
        sources: opened.sources.iter().map(|s| s.name().to_string()).collect(),
        notes: Vec::new(),
    };
    for observed in observe(&opened, &inputs, Asked::Every)? {
        recorded.notes.extend(observed.notes);
        recorded.lists += observed.listings.len();
        recorded.objects += observed.listings.iter().map(|l| l.items.len()).sum::<usize>();
        recorded.snapshot.sources.push(SnapshotScope {
            platform: observed.source.platform(),
            name: observed.source.scope().to_string(),
            lists: observed.listings,
        });
    }
    Ok(recorded)
}
