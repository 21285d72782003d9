//! Task-list items (`- [x] done`) as labelled checkboxes: the checkbox and
//! the item's first line go in one `<label>`, so a screen reader names the
//! box by its task ("checkbox, checked, Open the incident channel").

use pulldown_cmark::{Event, Tag, TagEnd};

/// `events` with every task-list marker opening a `<label>` that ends where
/// the item's first run of inline content ends (a label holds phrasing
/// content only: a nested list, a code block or a second paragraph stays
/// outside it).
pub(super) fn label(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events.iter().any(|e| matches!(e, Event::TaskListMarker(_))) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut open = false;
    for event in events {
        if let Event::TaskListMarker(checked) = event {
            let checked = if checked { " checked=\"\"" } else { "" };
            out.push(Event::InlineHtml(
                format!("<label class=\"task\"><input disabled=\"\" type=\"checkbox\"{checked}/> ").into(),
            ));
            open = true;
            continue;
        }
        if open && ends_inline_run(&event) {
            out.push(Event::InlineHtml("</label>".into()));
            open = false;
        }
        out.push(event);
    }
    if open {
        out.push(Event::InlineHtml("</label>".into()));
    }
    out
}

/// Whether `event` starts or ends a block (anything but phrasing content).
fn ends_inline_run(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => !matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        Event::Html(_) | Event::Rule | Event::DisplayMath(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser, html};

    fn render(md: &str) -> String {
        let events: Vec<_> = Parser::new_ext(md, Options::ENABLE_TASKLISTS).collect();
        let mut out = String::new();
        html::push_html(&mut out, super::label(events).into_iter());
        out
    }

    #[test]
    fn each_checkbox_is_named_by_its_task() {
        let html = render("- [x] Ouvrir le salon **#astreinte**\n- [ ] Prévenir l'équipe\n");
        assert!(html.contains(
            "<li><label class=\"task\"><input disabled=\"\" type=\"checkbox\" checked=\"\"/> Ouvrir le salon <strong>#astreinte</strong></label></li>"
        ), "{html}");
        assert!(html.contains(
            "<li><label class=\"task\"><input disabled=\"\" type=\"checkbox\"/> Prévenir l'équipe</label></li>"
        ), "{html}");
    }

    #[test]
    fn the_label_ends_before_a_nested_list_or_a_second_paragraph() {
        let html = render("- [ ] Vérifier\n  - le quorum\n");
        assert!(
            html.contains("Vérifier</label>\n<ul>") || html.contains("Vérifier</label><ul>"),
            "{html}"
        );
        let html = render("- [ ] Premier\n\n  Second paragraphe\n");
        assert!(html.contains("Premier</label></p>"), "{html}");
        assert_eq!(html.matches("<label").count(), html.matches("</label>").count());
    }
}
