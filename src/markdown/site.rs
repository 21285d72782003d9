//! The rendered site: a loaded [`Site`] and one [`Rendered`] per page, what
//! every later stage (links, search, freshness, courses, the build) reads.
//! [`RenderCache`] keeps rendered pages between builds for `vigie serve`.

use rayon::prelude::*;

use super::{RenderOptions, Rendered, render_with};
use crate::config::Config;
use crate::content::Site;
use crate::error::Result;

/// A site loaded and rendered: what every later step reads.
pub struct RenderedSite {
    pub site: Site,
    pub rendered: Vec<Rendered>,
}

/// Rendered pages kept between builds (`vigie serve`): a page is rendered again
/// only when its own text changed or the site's structure (pages, titles,
/// addresses) did, since links are resolved against it.
#[derive(Default)]
pub struct RenderCache {
    /// Off for one-shot builds: keeping every page twice would double memory.
    enabled: bool,
    structure: u64,
    pages: std::collections::HashMap<String, (u64, Rendered)>,
}

impl RenderCache {
    /// A cache that keeps rendered pages between builds.
    pub fn enabled() -> RenderCache {
        RenderCache {
            enabled: true,
            ..RenderCache::default()
        }
    }
}

fn hash_of(parts: &[&str]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

impl RenderedSite {
    /// Loads and renders the knowledge base of `config` (parallel rendering).
    pub fn load(config: Config) -> Result<RenderedSite> {
        RenderedSite::load_with(config, &RenderOptions::default())
    }

    /// [`RenderedSite::load`] with rendering options (no highlighting for checks).
    pub fn load_with(config: Config, opts: &RenderOptions) -> Result<RenderedSite> {
        Self::load_cached(config, opts, &mut RenderCache::default()).map(|(rs, _)| rs)
    }

    /// Like [`RenderedSite::load_with`], reusing what `cache` holds; returns how
    /// many pages were rendered again.
    pub fn load_cached(
        config: Config,
        opts: &RenderOptions,
        cache: &mut RenderCache,
    ) -> Result<(RenderedSite, usize)> {
        let site = Site::load(config)?;
        let mut structure = Vec::with_capacity(site.pages.len() * 3);
        for p in &site.pages {
            structure.extend([p.rel.as_str(), p.url.as_str(), p.title.as_str()]);
        }
        let structure = hash_of(&structure);
        if structure != cache.structure {
            cache.pages.clear();
            cache.structure = structure;
        }
        let keys: Vec<u64> = site
            .pages
            .par_iter()
            .map(|p| hash_of(&[&p.body, &p.lang, &p.body_line.to_string(), &p.shown]))
            .collect();
        let rendered: Vec<(Rendered, bool)> = site
            .pages
            .par_iter()
            .zip(&keys)
            .map(|(p, key)| match cache.pages.get(&p.rel) {
                Some((k, r)) if k == key => (r.clone(), false),
                _ => (render_with(&site, p, opts), true),
            })
            .collect();
        let mut fresh = 0;
        let mut out = Vec::with_capacity(rendered.len());
        for ((r, new), (p, key)) in rendered.into_iter().zip(site.pages.iter().zip(keys)) {
            if new {
                fresh += 1;
                if cache.enabled {
                    cache.pages.insert(p.rel.clone(), (key, r.clone()));
                }
            }
            out.push(r);
        }
        Ok((RenderedSite { site, rendered: out }, fresh))
    }
}
