//! The rendered site: a loaded [`Site`] and one [`Rendered`] per page, what
//! every later stage (links, search, freshness, courses, the build) reads.

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

impl RenderedSite {
    /// Loads and renders the knowledge base of `config` (parallel rendering).
    pub fn load(config: Config) -> Result<RenderedSite> {
        RenderedSite::load_with(config, &RenderOptions::default())
    }

    /// [`RenderedSite::load`] with rendering options (no highlighting for checks).
    pub fn load_with(config: Config, opts: &RenderOptions) -> Result<RenderedSite> {
        Ok(Self::render(Site::load(config)?, opts))
    }

    /// Renders every page of a loaded `site`, in parallel.
    pub fn render(site: Site, opts: &RenderOptions) -> RenderedSite {
        let rendered = site
            .pages
            .par_iter()
            .map(|p| render_with(&site, p, opts))
            .collect();
        RenderedSite { site, rendered }
    }
}
