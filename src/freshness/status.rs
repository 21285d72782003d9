//! A page's freshness as readers see it: a [`Status`] (fresh, review due,
//! stale, contradicted) and the [`Reason`]s behind it, written in the site's
//! language for badges, banners and the dashboard.

use chrono::NaiveDate;
use serde::Serialize;

use crate::i18n;

/// How fresh a page is, from best to worst: the freshness checks give it to
/// pages, and courses take their worst module's (see [`crate::course::status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Nothing to judge by (no review date, no claim checked).
    Unknown,
    Fresh,
    /// Review overdue, or the platform changed since the review.
    Due,
    /// Out of date: review overdue by more than twice its interval, or (for
    /// courses judged on review dates alone) past its review date.
    Stale,
    /// The platform contradicts the page: a resource is missing or differs.
    Contradicted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unknown => "unknown",
            Status::Fresh => "fresh",
            Status::Due => "due",
            Status::Stale => "stale",
            Status::Contradicted => "contradicted",
        }
    }

    /// The badge text in `lang`.
    pub fn label(self, lang: &str) -> &'static str {
        match self {
            Status::Unknown => i18n::t(lang, "freshness_unknown"),
            Status::Fresh => i18n::t(lang, "fresh"),
            Status::Due => i18n::t(lang, "review_due"),
            Status::Stale => i18n::t(lang, "stale"),
            Status::Contradicted => i18n::t(lang, "contradicted"),
        }
    }

    /// True when the page needs someone's attention.
    pub fn needs_attention(self) -> bool {
        self >= Status::Due
    }

    /// True when the page is out of date: stale or contradicted. Such pages
    /// carry a banner, and a course using one is stale.
    pub fn is_stale(self) -> bool {
        self >= Status::Stale
    }
}

/// Why a page has its status.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Reason {
    ReviewDue {
        due: NaiveDate,
    },
    ReviewStale {
        reviewed: NaiveDate,
    },
    Missing {
        target: String,
        scope: String,
    },
    KindNotServed {
        target: String,
        scope: String,
    },
    Drift {
        target: String,
        field: String,
        expected: String,
        actual: String,
    },
    StillThere {
        target: String,
        scope: String,
    },
    Changed {
        target: String,
        on: Option<NaiveDate>,
        detail: Option<String>,
    },
}

impl Reason {
    /// The status this reason gives a page.
    pub fn status(&self) -> Status {
        match self {
            Reason::ReviewDue { .. } | Reason::Changed { .. } => Status::Due,
            Reason::ReviewStale { .. } => Status::Stale,
            Reason::Missing { .. }
            | Reason::KindNotServed { .. }
            | Reason::Drift { .. }
            | Reason::StillThere { .. } => Status::Contradicted,
        }
    }

    /// One line for readers, in `lang` (`fr` or English).
    pub fn text(&self, lang: &str) -> String {
        let fr = lang == "fr";
        let date = |d: &NaiveDate| i18n::long_date(lang, *d);
        match self {
            Reason::ReviewDue { due } if fr => format!("revue attendue depuis le {}", date(due)),
            Reason::ReviewDue { due } => format!("review due since {}", date(due)),
            Reason::ReviewStale { reviewed } if fr => {
                format!(
                    "pas revue depuis le {}, plus de deux fois l'intervalle de revue",
                    date(reviewed)
                )
            }
            Reason::ReviewStale { reviewed } => {
                format!(
                    "not reviewed since {}, more than twice the review interval",
                    date(reviewed)
                )
            }
            Reason::Missing { target, scope } if fr => format!("{target} n'existe pas sur le {scope}"),
            Reason::Missing { target, scope } => format!("{target} does not exist on {scope}"),
            Reason::KindNotServed { target, scope } if fr => {
                format!("{target} : ce type de ressource n'existe pas sur le {scope}")
            }
            Reason::KindNotServed { target, scope } => {
                format!("{target}: {scope} has no such kind of resource")
            }
            Reason::Drift {
                target,
                field,
                expected,
                actual,
            } if fr => format!("{target} : {field} vaut {actual}, la page indique {expected}"),
            Reason::Drift {
                target,
                field,
                expected,
                actual,
            } => format!("{target}: {field} is {actual}, the page says {expected}"),
            Reason::StillThere { target, scope } if fr => {
                format!("{target} existe toujours sur le {scope}, la page le dit supprimé")
            }
            Reason::StillThere { target, scope } => {
                format!("{target} still exists on {scope}, the page says it is gone")
            }
            Reason::Changed { target, on, detail } => {
                let when = on.map(|d| date(&d));
                match (fr, when, detail) {
                    (true, Some(w), _) => format!("{target} a changé le {w}, après la dernière revue"),
                    (true, None, Some(d)) => format!("{target} a changé depuis la dernière revue ({d})"),
                    (true, None, None) => format!("{target} a changé depuis la dernière revue"),
                    (false, Some(w), _) => format!("{target} changed on {w}, after the last review"),
                    (false, None, Some(d)) => format!("{target} changed since the last review ({d})"),
                    (false, None, None) => format!("{target} changed since the last review"),
                }
            }
        }
    }
}
