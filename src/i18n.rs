//! UI strings in French and English, from one table. French is written first
//! because it is the language most pages of our users are in.

use std::collections::BTreeMap;

/// (key, French, English)
const STRINGS: &[(&str, &str, &str)] = &[
    ("skip_to_content", "Aller au contenu", "Skip to content"),
    ("other_languages", "Autres langues", "Other languages"),
    ("menu", "Menu", "Menu"),
    ("navigation", "Navigation", "Navigation"),
    ("nav_subpages", "Pages de la section", "Pages of section"),
    ("theme_dark", "Thème sombre", "Dark theme"),
    ("home", "Accueil", "Home"),
    ("search", "Rechercher", "Search"),
    ("search_placeholder", "Rechercher (/)…", "Search (/)…"),
    ("search_no_results", "Aucun résultat", "No results"),
    ("search_type_more", "Continuez à taper…", "Keep typing…"),
    ("search_results", "Résultats", "Results"),
    ("search_all_kinds", "Tous les types", "All kinds"),
    ("search_all_tags", "Toutes les étiquettes", "All tags"),
    ("search_kind", "Type", "Kind"),
    ("search_filters", "Filtres de recherche", "Search filters"),
    ("search_see_all", "Tous les résultats", "All results"),
    ("search_more", "Plus de résultats ({n})", "More results ({n})"),
    ("search_count_one", "1 résultat", "1 result"),
    ("search_count_many", "{n} résultats", "{n} results"),
    (
        "search_needs_js",
        "La recherche a besoin de JavaScript. Le menu de gauche mène à toutes les pages.",
        "Search needs JavaScript. The menu on the left leads to every page.",
    ),
    (
        "search_unavailable",
        "L'index de recherche n'a pas pu être chargé.",
        "The search index could not be loaded.",
    ),
    ("on_this_page", "Sur cette page", "On this page"),
    ("previous", "Précédent", "Previous"),
    ("next", "Suivant", "Next"),
    ("breadcrumbs", "Fil d'Ariane", "Breadcrumbs"),
    ("owner", "Responsable", "Owner"),
    ("reviewed", "Revu", "Reviewed"),
    ("never_reviewed", "Jamais revu", "Never reviewed"),
    ("review_due", "Revue à faire", "Review due"),
    ("tags", "Étiquettes", "Tags"),
    ("tag", "Étiquette", "Tag"),
    ("all_tags", "Toutes les étiquettes", "All tags"),
    ("pages", "pages", "pages"),
    ("sections", "Sections", "Sections"),
    ("in_this_section", "Dans cette section", "In this section"),
    ("recently_reviewed", "Revus récemment", "Recently reviewed"),
    ("due_for_review", "À revoir", "Due for review"),
    ("copy", "Copier", "Copy"),
    ("copied", "Copié !", "Copied!"),
    ("copy_failed", "Échec de la copie", "Copy failed"),
    (
        "theme_toggle",
        "Basculer le thème clair / sombre",
        "Toggle light / dark theme",
    ),
    ("not_found_title", "Page introuvable", "Page not found"),
    (
        "not_found_text",
        "Cette page n'existe pas ou a été déplacée.",
        "This page does not exist or has moved.",
    ),
    ("back_home", "Retour à l'accueil", "Back to the home page"),
    ("more", "autres", "more"),
    ("kind_runbook", "Procédure", "Runbook"),
    ("kind_architecture", "Architecture", "Architecture"),
    ("kind_training", "Formation", "Training"),
    ("kind_guide", "Guide", "Guide"),
    ("fresh", "À jour", "Fresh"),
    ("stale", "Périmé", "Stale"),
    (
        "contradicted",
        "Contredit par la plateforme",
        "Contradicted by the platform",
    ),
    ("freshness", "Fraîcheur", "Freshness"),
    ("dashboard", "Tableau de fraîcheur", "Freshness dashboard"),
    ("freshness_unknown", "Non évalué", "Not assessed"),
    ("needs_attention", "Pages à reprendre", "Pages needing attention"),
    (
        "see_dashboard",
        "Tout le tableau de fraîcheur",
        "The whole freshness dashboard",
    ),
    ("by_owner", "Par responsable", "By owner"),
    ("by_kind", "Par type de page", "By kind of page"),
    ("no_owner", "Sans responsable", "No owner"),
    ("kind", "Type", "Kind"),
    ("kind_none", "Autres pages", "Other pages"),
    ("page", "Page", "Page"),
    ("total", "Total", "Total"),
    ("reasons", "Raisons", "Reasons"),
    (
        "freshness_checked_against",
        "État de la plateforme vérifié contre :",
        "Platform state checked against:",
    ),
    (
        "freshness_no_state",
        "Aucun état de la plateforme n'a été fourni : seules les dates de revue ont été vérifiées.",
        "No platform state was given: only review dates were checked.",
    ),
    ("alerts", "Alertes", "Alerts"),
    ("alert", "Alerte", "Alert"),
    ("alert_severity", "Gravité", "Severity"),
    ("alert_group", "Groupe", "Group"),
    ("alert_runbook", "Runbook", "Runbook"),
    ("alert_no_runbook", "Aucun runbook", "No runbook"),
    (
        "alerts_lead",
        "Chaque alerte mène à son runbook : l'adresse alerts/NOM-DE-L-ALERTE de ce site renvoie vers la bonne page, et la bonne section.",
        "Every alert leads to its runbook: this site's address alerts/ALERT-NAME sends you to the right page, and the right section.",
    ),
    ("alerts_documented", "avec un runbook", "with a runbook"),
    (
        "alerts_see_all",
        "Toutes les alertes et leurs runbooks",
        "Every alert and its runbook",
    ),
    ("courses", "Parcours", "Courses"),
    ("print", "Imprimer", "Print"),
    ("generated_by", "Généré par vigie", "Generated by vigie"),
    ("callout_note", "Remarque", "Note"),
    ("callout_tip", "Astuce", "Tip"),
    ("callout_important", "Important", "Important"),
    ("callout_warning", "Attention", "Warning"),
    ("callout_caution", "Prudence", "Caution"),
    ("callout_danger", "Danger", "Danger"),
    ("footnote_back", "Revenir au texte", "Jump back to the text"),
    ("quiz_label", "Question", "Question"),
    ("quiz_check", "Vérifier", "Check"),
    ("quiz_right", "Bonne réponse !", "Right!"),
    (
        "quiz_wrong",
        "Pas tout à fait : la bonne réponse est surlignée.",
        "Not quite: the right answer is highlighted.",
    ),
    ("quiz_empty", "Choisissez une réponse.", "Pick an answer first."),
    (
        "quiz_several",
        "Plusieurs réponses possibles.",
        "Several answers are right.",
    ),
    ("quiz_explanation", "Explication", "Explanation"),
    ("course", "Parcours", "Course"),
    ("all_courses", "Tous les parcours", "All courses"),
    ("course_audience", "Public", "Audience"),
    ("course_objectives", "Objectifs", "Objectives"),
    ("course_prerequisites", "Prérequis", "Prerequisites"),
    ("course_no_prerequisites", "Aucun", "None"),
    ("course_duration", "Durée", "Duration"),
    ("course_modules", "Modules", "Modules"),
    ("course_module", "Module", "Module"),
    ("course_of", "sur", "of"),
    ("course_start", "Commencer le parcours", "Start the course"),
    ("course_continue", "Reprendre", "Continue"),
    ("course_done_all", "Parcours terminé !", "Course completed!"),
    ("course_progress", "Progression", "Progress"),
    ("course_mark_done", "Marquer comme terminé", "Mark as done"),
    ("course_marked_done", "Terminé ✓", "Done ✓"),
    ("course_print", "Version imprimable", "Printable version"),
    (
        "course_print_now",
        "Imprimer ou enregistrer en PDF",
        "Print or save as PDF",
    ),
    (
        "course_progress_note",
        "Votre progression est gardée dans ce navigateur, rien n'est envoyé.",
        "Your progress is kept in this browser; nothing is sent anywhere.",
    ),
    (
        "course_stale_banner",
        "Ce parcours utilise des pages à relire",
        "This course uses pages that need a review",
    ),
    ("course_module_stale", "à relire", "needs a review"),
    ("course_answer_key", "Corrigé", "Answer key"),
    ("course_print_key", "Imprimer le corrigé", "Print the answer key"),
    ("course_key_question", "question", "question"),
    ("course_key_right", "Réponse", "Answer"),
    ("course_key_right_many", "Réponses", "Answers"),
    ("course_contents", "Sommaire", "Contents"),
    ("course_printed", "Version du", "Version of"),
    ("course_source", "Source", "Source"),
    ("course_none", "Aucun parcours pour l'instant.", "No course yet."),
    ("course_minutes", "min", "min"),
    ("unknown_review", "Revue inconnue", "Review unknown"),
    ("colon", " :", ":"),
    ("course_back", "Retour au parcours", "Back to the course"),
    ("course_total", "Durée totale", "Total duration"),
    ("digest_title", "Pages à revoir", "Pages to review"),
    ("digest_one", "1 page à revoir", "1 page to review"),
    ("digest_many", "{n} pages à revoir", "{n} pages to review"),
    ("digest_since", "depuis le", "since"),
    ("digest_no_owner", "Sans responsable", "No owner"),
    (
        "digest_nothing",
        "Rien à revoir : aucune page n'est en retard ni contredite.",
        "Nothing to review: no page is overdue or contradicted.",
    ),
    (
        "course_estimated",
        "durée estimée d'après la longueur de la page",
        "estimated from the page's length",
    ),
];

/// The string `key` in `lang` (`fr` or anything else for English); the key itself when unknown.
pub fn t(lang: &str, key: &str) -> &'static str {
    match STRINGS.iter().find(|(k, _, _)| *k == key) {
        Some((_, fr, en)) => {
            if lang == "fr" {
                fr
            } else {
                en
            }
        }
        None => "",
    }
}

/// Every string in `lang`, for templates (`{{ t.on_this_page }}`).
pub fn table(lang: &str) -> BTreeMap<&'static str, &'static str> {
    STRINGS
        .iter()
        .map(|(k, fr, en)| (*k, if lang == "fr" { *fr } else { *en }))
        .collect()
}

/// Default title of a callout of `kind` (`note`, `tip`, `important`, `warning`, `caution`, `danger`).
pub fn callout_title(lang: &str, kind: &str) -> &'static str {
    match kind {
        "tip" => t(lang, "callout_tip"),
        "important" => t(lang, "callout_important"),
        "warning" => t(lang, "callout_warning"),
        "caution" => t(lang, "callout_caution"),
        "danger" => t(lang, "callout_danger"),
        _ => t(lang, "callout_note"),
    }
}

/// "il y a 3 mois" / "3 months ago", for a number of days in the past.
pub fn ago(lang: &str, days: i64) -> String {
    let fr = lang == "fr";
    let (n, unit_fr, unit_en) = if days < 1 {
        return if fr { "aujourd'hui".into() } else { "today".into() };
    } else if days < 14 {
        (days, if days == 1 { "jour" } else { "jours" }, "day")
    } else if days < 60 {
        (days / 7, "semaines", "week")
    } else if days < 730 {
        (days / 30, "mois", "month")
    } else {
        (days / 365, "ans", "year")
    };
    if fr {
        format!("il y a {n} {unit_fr}")
    } else {
        format!("{n} {unit_en}{} ago", if n == 1 { "" } else { "s" })
    }
}

/// A date written for people: "15 janvier 2026" / "15 January 2026".
pub fn long_date(lang: &str, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = date.month0() as usize;
    if lang == "fr" {
        let day = if date.day() == 1 {
            "1er".to_string()
        } else {
            date.day().to_string()
        };
        format!("{day} {} {}", FR[m], date.year())
    } else {
        format!("{} {} {}", date.day(), EN[m], date.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dates_in_both_languages() {
        assert_eq!(ago("fr", 95), "il y a 3 mois");
        assert_eq!(ago("en", 95), "3 months ago");
        assert_eq!(ago("en", 1), "1 day ago");
        assert_eq!(ago("fr", 0), "aujourd'hui");
        assert_eq!(ago("fr", 800), "il y a 2 ans");
    }

    #[test]
    fn long_dates() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(long_date("fr", d), "1er mars 2026");
        assert_eq!(long_date("en", d), "1 March 2026");
    }

    #[test]
    fn every_string_has_both_languages() {
        for (k, fr, en) in STRINGS {
            assert!(!fr.is_empty() && !en.is_empty(), "{k}");
        }
    }
}
