//! Markdown → HTML. One pass per page returns everything later stages need:
//! the HTML, headings and anchors, links with their resolved targets and
//! positions, code blocks (for freshness references) and plain text by section
//! (for search). Nothing downstream parses Markdown again.

pub mod highlight;
pub mod quiz;
mod render;
pub mod shortcodes;
pub mod slug;

pub use render::{
    CodeBlock, Heading, LinkKind, LinkRef, RenderOptions, Rendered, TextSection, render, render_with,
};
