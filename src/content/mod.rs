//! Content: pages, front matter, and the site tree, loaded from a folder tree,
//! a Hugo site or an mdBook book.

pub mod frontmatter;
mod hugo;
mod include;
pub mod lang;
mod load;
mod mdbook;
mod mkdocs;
pub mod page;
pub mod resolve;
pub mod site;

pub use frontmatter::{FrontMatter, Kind};
pub use load::source_url;
pub use page::{BodyLines, InFile, NavItem, NavLink, Page, PageId};
pub use site::Site;

use crate::report::Finding;

/// Whether loading keeps every page's body in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Every page holds its body (`serve`, and the commands that read
    /// pages more than once).
    Kept,
    /// A body that is the file's own text after the front matter is left
    /// in the file and read again when the page is rendered, so that a
    /// large site is not held whole in memory. A body that includes were
    /// expanded into, or that MkDocs' snippets may change, is kept.
    InFiles,
}

/// Runs `load` with its parallel work on a pool of more threads than the
/// machine has cores. Loading is mostly waiting for files: when the sources
/// are not in the system's file cache (a fresh checkout, or a large site
/// that the last build's output pushed out of it), two threads leave the
/// disk idle between reads, and a 10,000-page site took twice as long to
/// load as with eight reads in flight. When the files are cached, the extra
/// threads cost nothing measurable. Without such a pool (the system refused
/// the threads), the work runs where it is.
pub(crate) fn reading<T: Send>(load: impl FnOnce() -> T + Send) -> T {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    // A pool of its own, gone with its threads once the site is loaded:
    // what they freed goes back to the threads that render.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads((4 * cores).clamp(8, 32))
        .thread_name(|i| format!("vigie-read-{i}"))
        .build();
    match pool {
        Ok(pool) => pool.install(load),
        Err(_) => load(),
    }
}

/// What a loader hands to [`Site::assemble`].
pub(crate) struct Loaded {
    pub pages: Vec<Page>,
    pub nav: Vec<NavItem>,
    pub home: PageId,
    pub warnings: Vec<Finding>,
    /// Files pulled into pages by include directives (as found on disk).
    pub included: Vec<std::path::PathBuf>,
}

/// Title from the body's first level-1 heading (`# Title`, or `Title` over
/// a line of `=`), if the body starts with one (blank lines and HTML
/// comments, on one line or several, aside).
pub fn leading_h1(body: &str) -> Option<String> {
    let mut lines = body.lines().peekable();
    let mut in_comment = false;
    while let Some(line) = lines.next() {
        let t = line.trim();
        if in_comment {
            in_comment = !t.contains("-->");
            continue;
        }
        if let Some(comment) = t.strip_prefix("<!--") {
            in_comment = !comment.contains("-->");
            continue;
        }
        if t.is_empty() || t.starts_with("{{#title") {
            continue;
        }
        let setext = lines
            .peek()
            .map(|next| next.trim())
            .is_some_and(|next| !next.is_empty() && next.chars().all(|c| c == '='));
        if setext && !line.starts_with("    ") && !t.starts_with('#') {
            return Some(strip_inline_markup(t));
        }
        let rest = t.strip_prefix("# ")?;
        let rest = rest.trim().trim_end_matches('#').trim();
        // `# Title {#custom-id}` keeps its title without the attribute block.
        let rest = match rest.rfind(" {") {
            Some(i) if rest.ends_with('}') => &rest[..i],
            _ => rest,
        };
        return (!rest.is_empty()).then(|| strip_inline_markup(rest));
    }
    None
}

/// Drops the most common inline Markdown from a heading used as a title.
fn strip_inline_markup(s: &str) -> String {
    s.replace(['`', '*'], "").replace("\\_", "_")
}

/// `bien-commencer` → `Bien commencer`.
pub fn humanise(stem: &str) -> String {
    let s = stem.replace(['-', '_'], " ");
    let s = s.trim();
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Default kind from the page's top folder.
pub fn kind_from_path(rel: &str) -> Option<Kind> {
    let top = rel.split('/').next()?;
    if !rel.contains('/') {
        return None;
    }
    match top.to_ascii_lowercase().as_str() {
        "runbooks" | "runbook" | "procedures" | "procédures" => Some(Kind::Runbook),
        "architecture" | "archi" => Some(Kind::Architecture),
        "training" | "formation" | "formations" | "courses" => Some(Kind::Training),
        "guides" | "guide" => Some(Kind::Guide),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h1_is_the_title() {
        assert_eq!(
            leading_h1("\n# Redémarrer `nova`\ntext").as_deref(),
            Some("Redémarrer nova")
        );
        assert_eq!(leading_h1("text\n# Later").as_deref(), None);
        assert_eq!(leading_h1("# Titre {#ancre}\n").as_deref(), Some("Titre"));
        // Over a line of `=`; after a comment of several lines.
        assert_eq!(
            leading_h1("Setext Title\n============\n\ntext").as_deref(),
            Some("Setext Title")
        );
        assert_eq!(
            leading_h1("<!--\nsource\n\nhttps://x\n-->\n\n# Commented Two\n").as_deref(),
            Some("Commented Two")
        );
        assert_eq!(leading_h1("<!-- one line -->\n# Un\n").as_deref(), Some("Un"));
        assert_eq!(leading_h1("Some text\nmore text\n").as_deref(), None);
    }

    #[test]
    fn a_build_leaves_the_pages_of_a_folder_in_their_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("runbooks")).expect("folder");
        let text = "---\ntitle: Redémarrer nova\nlang: fr\n---\nÉtapes.\n";
        std::fs::write(dir.path().join("runbooks/nova.md"), text).expect("page");
        let config = crate::config::Config::load(dir.path()).expect("config");
        let site = Site::load_with(config, Bodies::InFiles).expect("site");
        let page = site.page(site.by_rel("runbooks/nova.md").expect("the page"));
        assert_eq!((page.title.as_str(), page.body.as_str()), ("Redémarrer nova", ""));
        assert_eq!(page.markdown().expect("read again"), "Étapes.\n");
        assert_eq!(page.body_line, 5);
    }

    #[test]
    fn loading_keeps_more_reads_in_flight_than_there_are_cores() {
        let (threads, name) = reading(|| {
            (
                rayon::current_num_threads(),
                std::thread::current().name().map(String::from),
            )
        });
        assert!(threads >= 8, "{threads} threads read the pages");
        assert!(name.is_some_and(|n| n.starts_with("vigie-read-")));
    }

    #[test]
    fn a_site_is_read_on_the_loading_pool() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("real path");
        std::fs::create_dir_all(root.join("runbooks")).expect("folder");
        for i in 0..4 {
            std::fs::write(root.join(format!("runbooks/page-{i}.md")), "# Page\n").expect("page");
        }
        let config = crate::config::Config::load(&root).expect("config");
        Site::load_with(config, Bodies::InFiles).expect("site");
        let reads = crate::confine::READS.lock().unwrap_or_else(|p| p.into_inner());
        let threads: Vec<&Option<String>> = reads
            .iter()
            .filter(|(path, _)| path.starts_with(&root))
            .map(|(_, thread)| thread)
            .collect();
        assert_eq!(threads.len(), 4, "{threads:?}");
        assert!(
            threads
                .iter()
                .all(|t| t.as_deref().is_some_and(|n| n.starts_with("vigie-read-"))),
            "{threads:?}"
        );
    }

    #[test]
    fn a_hugo_page_that_reads_a_file_is_loaded_again_not_reread() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("content");
        std::fs::write(dir.path().join("hugo.toml"), "title = \"H\"\n").expect("config");
        std::fs::write(dir.path().join("shared.md"), "Shared steps.\n").expect("shared");
        let page = dir.path().join("content/a.md");
        std::fs::write(&page, "---\ntitle: A\n---\nText.\n").expect("page");
        let site = Site::load(crate::config::Config::load(dir.path()).expect("config")).expect("site");
        let id = site.by_rel("a.md").expect("the page");
        // Text alone changed: read again in place.
        std::fs::write(&page, "---\ntitle: A\n---\nOther text.\n").expect("page");
        assert!(site.reread(id).expect("reread").is_some());
        // A readfile now: only loading the site again expands it.
        std::fs::write(
            &page,
            "---\ntitle: A\n---\n{{< readfile file=\"/shared.md\" >}}\n",
        )
        .expect("page");
        assert!(site.reread(id).expect("reread").is_none());
        let site = Site::load(crate::config::Config::load(dir.path()).expect("config")).expect("site");
        let id = site.by_rel("a.md").expect("the page");
        assert_eq!(site.page(id).body.trim(), "Shared steps.");
    }

    #[test]
    fn without_a_language_the_site_speaks_as_most_of_its_pages() {
        let english =
            "This guide is for the team that runs the platform, and it is kept in the repository.\n";
        let french = "Ce guide est pour les bénévoles qui sont dans l'équipe, et il est dans le dépôt.\n";
        for (pages, toml, want) in [
            (&[english, english, french][..], "", "en"),
            (&[french, english][..], "", "fr"),
            (&[english, english][..], "language = \"fr\"\n", "fr"),
        ] {
            let dir = tempfile::tempdir().expect("temp dir");
            for (i, text) in pages.iter().enumerate() {
                std::fs::write(
                    dir.path().join(format!("page-{i}.md")),
                    format!("# Page\n\n{text}"),
                )
                .expect("page");
            }
            // A page too short to tell takes the site's language.
            std::fs::write(
                dir.path().join("commands.md"),
                "# Commands\n\n`kubectl get pods`\n",
            )
            .expect("page");
            std::fs::write(dir.path().join("vigie.toml"), toml).expect("vigie.toml");
            let config = crate::config::Config::load(dir.path()).expect("config");
            let site = Site::load(config).expect("site");
            assert_eq!(site.config.language, want, "{pages:?} {toml:?}");
            let quiet = site.page(site.by_rel("commands.md").expect("the page"));
            assert_eq!(quiet.lang, want, "{pages:?} {toml:?}");
        }
    }

    #[test]
    fn kind_defaults_from_top_folder() {
        assert_eq!(kind_from_path("runbooks/nova/x.md"), Some(Kind::Runbook));
        assert_eq!(kind_from_path("training/_index.md"), Some(Kind::Training));
        assert_eq!(kind_from_path("alerts/x.md"), None);
    }
}
