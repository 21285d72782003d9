//! Self-check questions: a block quote opened by `[!QUIZ]`, a task list of
//! answers (`- [x]` marks the right ones) and an optional explanation after
//! the list, rendered as an interactive question that needs no server.
//!
//! ```markdown
//! > [!QUIZ] Le pod `nova-api` redémarre en boucle. Les instances s'arrêtent-elles ?
//! > - [ ] Oui, toutes.
//! > - [x] Non, seules les opérations de gestion sont indisponibles.
//! >
//! > Explication : l'API ne fait que recevoir les demandes.
//! ```
//!
//! The pass runs on the event stream after links were resolved, so Markdown
//! inside questions and answers (code, links, emphasis) renders as anywhere
//! else. The theme's `course.js` checks the answers in the browser. The pass
//! also hands back each question with its right answers and explanation as
//! HTML ([`QuestionKey`]), for the answer key of a printable course.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::shortcodes::esc;
use crate::i18n::t;

const MARKER: &str = "[!QUIZ]";

/// One question of a page as an answer key shows it, each part rendered to
/// HTML with links already resolved for the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionKey {
    /// The question itself (inline HTML, without the `[!QUIZ]` marker).
    pub question: String,
    /// Each right answer (inline HTML), in the order written.
    pub right: Vec<String>,
    /// The explanation (block HTML, its label left out), when there is one.
    pub explanation: Option<String>,
}

/// What the pass did to one page.
#[derive(Debug, Default)]
pub struct Quizzes<'a> {
    pub events: Vec<Event<'a>>,
    /// Every question rendered, in document order (question `n` is `keys[n - 1]`).
    pub keys: Vec<QuestionKey>,
    /// (1-based source line, message) for questions that cannot work.
    pub warnings: Vec<(usize, String)>,
}

/// Turns `[!QUIZ]` block quotes of `events` into questions. `quote_lines`
/// holds the source line of every plain block quote, in document order.
pub fn rewrite<'a>(events: Vec<Event<'a>>, lang: &str, quote_lines: &[usize]) -> Quizzes<'a> {
    // Questions are quotes: most pages have none, and then no text is searched.
    let has_quote = events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::BlockQuote(None))));
    if !has_quote || !events.iter().any(is_marker_start) {
        return Quizzes {
            events,
            ..Quizzes::default()
        };
    }
    let mut out = Quizzes::default();
    let mut quote = 0usize;
    let mut i = 0;
    while i < events.len() {
        if !matches!(events[i], Event::Start(Tag::BlockQuote(None))) {
            out.events.push(events[i].clone());
            i += 1;
            continue;
        }
        let line = quote_lines.get(quote).copied().unwrap_or(1);
        quote += 1;
        let end = matching_end(&events, i);
        match question(&events[i + 1..end]) {
            Some(q) => {
                quote += events[i + 1..end]
                    .iter()
                    .filter(|e| matches!(e, Event::Start(Tag::BlockQuote(None))))
                    .count();
                out.keys.push(q.key());
                if q.answers.is_empty() {
                    out.warnings.push((
                        line,
                        "self-check question without answers: list them as `- [ ]` / `- [x]` lines in the quote"
                            .into(),
                    ));
                } else if !q.answers.iter().any(|a| a.correct) {
                    out.warnings.push((
                        line,
                        "self-check question without a right answer: mark it `- [x]`".into(),
                    ));
                }
                q.emit(out.keys.len(), lang, &mut out.events);
                i = end + 1;
            }
            None => {
                out.events.push(events[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// Cheap test that a page may hold a question, so most pages skip the pass.
fn is_marker_start(e: &Event<'_>) -> bool {
    matches!(e, Event::Text(t) if t.contains("QUIZ") || t.contains("quiz") || t.contains("Quiz"))
}

/// Index of the `End` event matching the container opened at `start`.
fn matching_end(events: &[Event<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, e) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

struct Answer<'a> {
    correct: bool,
    inline: Vec<Event<'a>>,
}

struct Question<'a> {
    /// Inline content of the question's first paragraph.
    title: Vec<Event<'a>>,
    /// Blocks of the question after its first paragraph (a code block, a table).
    body: Vec<Event<'a>>,
    answers: Vec<Answer<'a>>,
    explanation: Vec<Event<'a>>,
}

/// Reads the inside of a block quote as a question, if it starts with `[!QUIZ]`.
fn question<'a>(inner: &[Event<'a>]) -> Option<Question<'a>> {
    if !matches!(inner.first(), Some(Event::Start(Tag::Paragraph))) {
        return None;
    }
    // The marker may arrive split over several text events (`[`, `!QUIZ`, `]`).
    let mut head = String::new();
    for e in &inner[1..] {
        match e {
            Event::Text(t) if head.len() < MARKER.len() => head.push_str(t),
            _ => break,
        }
    }
    if !head.to_ascii_uppercase().starts_with(MARKER) {
        return None;
    }
    let first_end = matching_end(inner, 0);
    let mut title = strip_marker(&inner[1..first_end]);
    let mut rest = &inner[first_end + 1..];
    if title.is_empty() && matches!(rest.first(), Some(Event::Start(Tag::Paragraph))) {
        // `> [!QUIZ]` alone, the question in the next paragraph.
        let end = matching_end(rest, 0);
        title = rest[1..end].to_vec();
        rest = &rest[end + 1..];
    }
    let mut body = Vec::new();
    let mut answers = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let end = matching_end(rest, i);
        if answers.is_empty() && is_task_list(&rest[i..=end]) {
            answers = read_answers(&rest[i + 1..end]);
            i = end + 1;
            break;
        }
        body.extend_from_slice(&rest[i..=end]);
        i = end + 1;
    }
    let explanation = if answers.is_empty() {
        Vec::new()
    } else {
        strip_label(&rest[i..])
    };
    Some(Question {
        title,
        body,
        answers,
        explanation,
    })
}

/// The question's inline events without the `[!QUIZ]` marker and the line break after it.
fn strip_marker<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let mut left = MARKER.len();
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.iter().peekable();
    while left > 0 {
        match iter.next() {
            Some(Event::Text(t)) if t.len() <= left => left -= t.len(),
            Some(Event::Text(t)) => {
                let rest = t[left..].trim_start();
                if !rest.is_empty() {
                    out.push(Event::Text(CowStr::from(rest.to_string())));
                }
                left = 0;
            }
            _ => return out,
        }
    }
    while out.is_empty() && matches!(iter.peek(), Some(Event::SoftBreak | Event::HardBreak)) {
        iter.next();
    }
    if out.is_empty()
        && let Some(Event::Text(t)) = iter.peek()
    {
        out.push(Event::Text(CowStr::from(t.trim_start().to_string())));
        iter.next();
    }
    out.extend(iter.cloned());
    out
}

fn is_task_list(events: &[Event<'_>]) -> bool {
    matches!(events.first(), Some(Event::Start(Tag::List(_))))
        && events
            .iter()
            .take(4)
            .any(|e| matches!(e, Event::TaskListMarker(_)))
}

/// Answers from the items of a list (the list's own start and end left out).
fn read_answers<'a>(items: &[Event<'a>]) -> Vec<Answer<'a>> {
    let mut answers = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let end = matching_end(items, i);
        if matches!(items[i], Event::Start(Tag::Item)) {
            let mut answer = Answer {
                correct: false,
                inline: Vec::new(),
            };
            for e in &items[i + 1..end] {
                match e {
                    Event::TaskListMarker(checked) => answer.correct = *checked,
                    Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                    other => answer.inline.push(other.clone()),
                }
            }
            answers.push(answer);
        }
        i = end + 1;
    }
    answers
}

/// The explanation without a leading "Explication :" label (the theme shows its own).
fn strip_label<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let mut out = events.to_vec();
    if let (Some(Event::Start(Tag::Paragraph)), Some(Event::Text(t))) = (out.first(), out.get(1)) {
        for label in ["explication", "explanation", "réponse", "answer"] {
            let head = t.get(..label.len()).filter(|h| h.to_lowercase() == label);
            if let Some(after) = head.and_then(|_| t[label.len()..].trim_start().strip_prefix(':')) {
                out[1] = Event::Text(after.trim_start().to_string().into());
                break;
            }
        }
    }
    out
}

/// HTML of `events`, as the page would show them.
fn to_html<'a>(events: impl IntoIterator<Item = &'a Event<'a>>) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter().cloned());
    html
}

impl<'a> Question<'a> {
    fn key(&self) -> QuestionKey {
        QuestionKey {
            question: to_html(&self.title),
            right: self
                .answers
                .iter()
                .filter(|a| a.correct)
                .map(|a| to_html(&a.inline))
                .collect(),
            explanation: (!self.explanation.is_empty()).then(|| to_html(&self.explanation)),
        }
    }

    fn emit(self, n: usize, lang: &str, out: &mut Vec<Event<'a>>) {
        let several = self.answers.iter().filter(|a| a.correct).count() > 1;
        let kind = if several { "checkbox" } else { "radio" };
        let html = |s: String| Event::Html(CowStr::from(s));
        out.push(html(format!(
            "<div class=\"quiz\" data-quiz data-right=\"{}\" data-wrong=\"{}\" data-empty=\"{}\">\n<fieldset>\n<legend class=\"quiz-question\"><span class=\"quiz-label\">{}</span> ",
            esc(t(lang, "quiz_right")),
            esc(t(lang, "quiz_wrong")),
            esc(t(lang, "quiz_empty")),
            esc(t(lang, "quiz_label")),
        )));
        out.extend(self.title);
        out.push(html("</legend>\n".into()));
        if several {
            out.push(html(format!(
                "<p class=\"quiz-hint\">{}</p>\n",
                esc(t(lang, "quiz_several"))
            )));
        }
        if !self.body.is_empty() {
            out.push(html("<div class=\"quiz-body\">\n".into()));
            out.extend(self.body);
            out.push(html("</div>\n".into()));
        }
        if !self.answers.is_empty() {
            out.push(html("<ul class=\"quiz-answers\">\n".into()));
            for (k, a) in self.answers.into_iter().enumerate() {
                let correct = if a.correct { " data-correct" } else { "" };
                out.push(html(format!(
                    "<li class=\"quiz-answer\"><label><input type=\"{kind}\" name=\"quiz-{n}\" value=\"{k}\"{correct}> <span>"
                )));
                out.extend(a.inline);
                out.push(html("</span></label></li>\n".into()));
            }
            out.push(html("</ul>\n".into()));
        }
        out.push(html(format!(
            "</fieldset>\n<p class=\"quiz-actions\"><button type=\"button\" class=\"quiz-check\" hidden>{}</button> <span class=\"quiz-feedback\" role=\"status\" aria-live=\"polite\"></span></p>\n",
            esc(t(lang, "quiz_check"))
        )));
        if !self.explanation.is_empty() {
            out.push(html(format!(
                "<details class=\"quiz-explanation\"><summary>{}</summary>\n",
                esc(t(lang, "quiz_explanation"))
            )));
            out.extend(self.explanation);
            out.push(html("</details>\n".into()));
        }
        out.push(html("</div>\n".into()));
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;

    fn render(md: &str) -> (String, Quizzes<'_>) {
        let events: Vec<Event> =
            Parser::new_ext(md, Options::ENABLE_TASKLISTS | Options::ENABLE_GFM).collect();
        let q = rewrite(events, "fr", &[3, 9]);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, q.events.iter().cloned());
        (html, q)
    }

    #[test]
    fn a_quiz_becomes_an_interactive_question() {
        let (html, q) = render(
            "> [!QUIZ] Quelle commande liste les `pods` ?\n> - [ ] `kubectl logs`\n> - [x] `kubectl get pods`\n>\n> Explication : `get` lit, `logs` lit les journaux.\n",
        );
        assert_eq!(q.keys.len(), 1);
        assert!(q.warnings.is_empty());
        assert!(html.contains("<div class=\"quiz\" data-quiz"), "{html}");
        assert!(
            html.contains("<legend class=\"quiz-question\"><span class=\"quiz-label\">Question</span> Quelle commande liste les <code>pods</code> ?</legend>"),
            "{html}"
        );
        assert!(html.contains("type=\"radio\" name=\"quiz-1\" value=\"0\"> <span><code>kubectl logs</code>"));
        assert!(html.contains("value=\"1\" data-correct> <span><code>kubectl get pods</code>"));
        assert!(
            html.contains("<summary>Explication</summary>\n<p><code>get</code> lit"),
            "{html}"
        );
        assert!(!html.contains("[!QUIZ]") && !html.contains("<blockquote>"));
    }

    #[test]
    fn several_right_answers_use_checkboxes_and_loose_lists_work() {
        let (html, _) = render("> [!QUIZ]\n> Lesquelles ?\n>\n> - [x] a\n>\n> - [x] b\n>\n> - [ ] c\n");
        assert!(html.contains("Question</span> Lesquelles ?</legend>"), "{html}");
        assert_eq!(html.matches("type=\"checkbox\"").count(), 3);
        assert!(html.contains("Plusieurs réponses"));
        assert!(!html.contains("<p>a</p>"), "{html}");
    }

    #[test]
    fn plain_quotes_and_alerts_are_left_alone() {
        let (html, q) = render("> Une citation.\n\n> [!NOTE]\n> Note\n");
        assert_eq!(q.keys.len(), 0);
        assert!(html.contains("<blockquote>"));
    }

    #[test]
    fn a_quiz_without_a_right_answer_warns_with_its_line() {
        let (_, q) = render("> Avant\n\ntexte\n\n> [!QUIZ] Q ?\n> - [ ] a\n> - [ ] b\n");
        assert_eq!(q.keys.len(), 1);
        assert_eq!(q.warnings.len(), 1);
        assert_eq!(q.warnings[0].0, 9, "second plain quote of the page");
        assert!(q.warnings[0].1.contains("- [x]"));
    }

    #[test]
    fn each_question_hands_back_its_right_answers_and_explanation_as_html() {
        let (_, q) = render(concat!(
            "> [!QUIZ] Quelle commande liste les `pods` ?\n",
            "> - [ ] `kubectl logs`\n",
            "> - [x] `kubectl get pods`\n",
            ">\n",
            "> Explication : voir [la doc](https://kubernetes.io/docs/) et *surtout* `get`.\n",
            "\n",
            "> [!QUIZ]\n",
            "> Lesquelles ?\n",
            "> - [x] **a**\n",
            "> - [ ] b\n",
            "> - [x] [c](https://ex.org/c)\n",
        ));
        assert_eq!(
            q.keys,
            [
                QuestionKey {
                    question: "Quelle commande liste les <code>pods</code> ?".into(),
                    right: vec!["<code>kubectl get pods</code>".into()],
                    explanation: Some(
                        "<p>voir <a href=\"https://kubernetes.io/docs/\">la doc</a> et <em>surtout</em> <code>get</code>.</p>\n"
                            .into()
                    ),
                },
                QuestionKey {
                    question: "Lesquelles ?".into(),
                    right: vec![
                        "<strong>a</strong>".into(),
                        "<a href=\"https://ex.org/c\">c</a>".into()
                    ],
                    explanation: None,
                },
            ]
        );
    }
}
