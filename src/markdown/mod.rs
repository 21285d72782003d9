//! Markdown → HTML. One pass per page returns everything later stages need:
//! the HTML, headings and anchors, links with their resolved targets and
//! positions, code blocks (for freshness references), plain text by section
//! (for search) and self-check questions with their answers (for a course's
//! answer key). Nothing downstream parses Markdown again.

mod attrs;
mod autolink;
mod emoji;
pub mod highlight;
mod marks;
pub mod quiz;
mod render;
pub mod shortcodes;
mod site;
pub mod slug;
mod symbols;
mod tasks;

pub use quiz::QuestionKey;
pub use render::{
    CodeBlock, Heading, LinkKind, LinkRef, RenderOptions, Rendered, TextSection, render, render_body,
    render_with,
};
pub use site::RenderedSite;
