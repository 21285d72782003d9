//! The rules, applied to one page: `review-overdue` (error past twice the
//! interval, unless `[freshness.severity]` sets it), `missing-owner`, `resource-missing`, `resource-drift`,
//! `changed-since-review`, `invalid-claim`, `invalid-review-interval`.
//! Each finding also becomes a [`Reason`] for the page's [`Status`], unless
//! its rule is turned off.

use chrono::NaiveDate;
use serde_json::Value;

use super::claims::BadClaim;
use super::config::{FreshnessConfig, PageOptOut};
use super::expect::{self, PINS};
use super::git::GitDates;
use super::owners::Owners;
use super::references::{Origin, Reference};
use super::resource::Platform;
use super::review::{ReviewConfig, parse_interval};
use super::state::{Object, Observation, State};
use super::status::{Reason, Status};
use crate::content::Page;
use crate::report::{Finding, Severity};

/// What a page says, extracted once.
#[derive(Debug, Default)]
pub struct PageInput {
    pub refs: Vec<Reference>,
    pub bad_claims: Vec<BadClaim>,
    pub opt: Option<PageOptOut>,
    /// References of a page already judged, counted and let go (see [`PageInput::judged`]).
    pub counted: usize,
}

impl PageInput {
    /// What the summary still needs of the input of a page judged already:
    /// how many references it names. A large build drops the rest (on
    /// 10,000 runbooks, 15 MB of references held until the end for a count).
    pub fn judged(self) -> PageInput {
        PageInput {
            counted: self.ref_count(),
            ..PageInput::default()
        }
    }

    /// The references the page names, counted ones included.
    pub fn ref_count(&self) -> usize {
        self.refs.len() + self.counted
    }
}

/// The verdict on one page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageFreshness {
    pub status: Status,
    pub owner: Option<String>,
    /// `reviewed` from the front matter, else the last commit date.
    pub reviewed: Option<NaiveDate>,
    pub reviewed_from_git: bool,
    pub due: Option<NaiveDate>,
    /// The review interval that applies, in days (`review_every`, else the kind's default).
    pub interval_days: Option<i64>,
    pub reasons: Vec<Reason>,
    /// References and claims checked against a source.
    pub checked: usize,
    /// References no source could answer for.
    pub unchecked: usize,
}

/// Everything the rules read besides the page.
pub struct Rules<'a> {
    pub fc: &'a FreshnessConfig,
    pub review: &'a ReviewConfig,
    pub state: &'a State,
    /// Clusters (clouds) a reference that names none is checked against.
    pub default_clusters: &'a [String],
    pub default_clouds: &'a [String],
    pub today: NaiveDate,
    pub git: &'a GitDates,
    pub owners: &'a Owners,
}

/// A finding about to be recorded, with the reason it gives the page.
#[derive(Default)]
struct Hit {
    rule: &'static str,
    /// `None`: the rule's severity. `Some`: the rule's default escalation for
    /// this case, which a severity set in `[freshness.severity]` replaces.
    severity: Option<Severity>,
    line: usize,
    target: Option<String>,
    message: String,
    suggestion: Option<String>,
    reason: Option<Reason>,
}

struct Out<'a> {
    rules: &'a Rules<'a>,
    page: String,
    findings: Vec<Finding>,
    reasons: Vec<Reason>,
    /// Objects already reported by `changed-since-review` on this page.
    changed_seen: std::collections::HashSet<usize>,
}

impl Out<'_> {
    /// Records a finding (unless its rule is turned off) and the reason it gives the page.
    fn add(&mut self, hit: Hit) {
        let severity = match hit.severity {
            None => self.rules.fc.severity(hit.rule),
            Some(escalated) => self.rules.fc.escalated_severity(hit.rule, escalated),
        };
        let Some(severity) = severity else {
            return;
        };
        self.findings.push(Finding {
            rule: hit.rule.to_string(),
            severity,
            page: self.page.clone(),
            line: hit.line,
            col: None,
            target: hit.target,
            message: hit.message,
            suggestion: hit.suggestion,
        });
        if let Some(r) = hit.reason {
            self.reasons.push(r);
        }
    }
}

impl Rules<'_> {
    /// Applies every rule to `page`.
    pub fn evaluate(&self, page: &Page, input: &PageInput) -> (PageFreshness, Vec<Finding>) {
        let opt = input.opt.unwrap_or(PageOptOut {
            review: true,
            claims: true,
            references: true,
        });
        let mut out = Out {
            rules: self,
            page: page.display().to_string(),
            findings: Vec::new(),
            reasons: Vec::new(),
            changed_seen: Default::default(),
        };
        let fm = &page.front_matter;
        let git_date = || page.source.as_deref().and_then(|p| self.git.date(p));
        let reviewed = fm.reviewed.or_else(git_date);
        let (mut due, mut interval_days) = (None, None);
        if opt.review {
            (interval_days, due) = self.review_age(page, reviewed, &mut out);
        }
        let owner = fm
            .owner
            .clone()
            .or_else(|| page.source.as_deref().and_then(|p| self.owners.of(p)));
        if owner.is_none() && opt.review {
            out.add(Hit {
                rule: "missing-owner",
                line: 1,
                message: "the page has no owner".into(),
                suggestion: Some(
                    "add `owner:` to the front matter, or an OWNERS / CODEOWNERS file to its folder".into(),
                ),
                ..Hit::default()
            });
        }
        for bad in &input.bad_claims {
            out.add(Hit {
                rule: "invalid-claim",
                line: bad.line,
                message: bad.message.clone(),
                ..Hit::default()
            });
        }
        let (mut checked, mut unchecked) = (0, 0);
        for r in &input.refs {
            if self.check(r, reviewed, &mut out) {
                checked += 1;
            } else {
                unchecked += 1;
            }
        }
        let mut status = out
            .reasons
            .iter()
            .map(Reason::status)
            .max()
            .unwrap_or(Status::Unknown);
        if status == Status::Unknown && ((opt.review && reviewed.is_some()) || checked > 0) {
            status = Status::Fresh;
        }
        out.reasons.sort_by_key(|r| std::cmp::Reverse(r.status()));
        // a claim and a command naming the same missing thing: one reason for readers
        let mut unique: Vec<Reason> = Vec::with_capacity(out.reasons.len());
        for r in out.reasons.drain(..) {
            if !unique.contains(&r) {
                unique.push(r);
            }
        }
        out.reasons = unique;
        let verdict = PageFreshness {
            status,
            owner,
            reviewed,
            reviewed_from_git: fm.reviewed.is_none() && reviewed.is_some(),
            due,
            interval_days,
            reasons: out.reasons,
            checked,
            unchecked,
        };
        (verdict, out.findings)
    }

    /// The interval in days, and the due date when the page has a review date.
    fn review_age(
        &self,
        page: &Page,
        reviewed: Option<NaiveDate>,
        out: &mut Out,
    ) -> (Option<i64>, Option<NaiveDate>) {
        let fm = &page.front_matter;
        let written = fm.review_every.as_deref();
        let interval = match written.map(|w| (w, parse_interval(w))) {
            Some((_, Some(d))) => Some(d),
            Some((w, None)) => {
                out.add(Hit {
                    rule: "invalid-review-interval",
                    line: fm.line_of("review_every"),
                    message: format!("`review_every: {w}` is not an interval"),
                    suggestion: Some("write it as 90d, 12w, 6m or 1y".into()),
                    ..Hit::default()
                });
                None
            }
            None => None,
        }
        .or_else(|| parse_interval(self.review.interval_for(page.kind)));
        let Some(interval) = interval else {
            return (None, None);
        };
        let Some(reviewed) = reviewed else {
            return (Some(interval.num_days()), None);
        };
        let due = reviewed + interval;
        let line = if fm.reviewed.is_some() {
            fm.line_of("reviewed")
        } else {
            1
        };
        let from = if fm.reviewed.is_some() {
            format!("reviewed on {reviewed}")
        } else {
            format!("last changed in git on {reviewed} (no `reviewed:` date)")
        };
        if self.today >= reviewed + interval * 2 {
            out.add(Hit {
                rule: "review-overdue",
                severity: Some(Severity::Error),
                line,
                message: format!(
                    "{from}: more than twice the review interval ({} days) ago, due since {due}",
                    interval.num_days()
                ),
                suggestion: Some(format!("review the page and set `reviewed: {}`", self.today)),
                reason: Some(Reason::ReviewStale { reviewed }),
                ..Hit::default()
            });
        } else if self.today >= due {
            out.add(Hit {
                rule: "review-overdue",
                line,
                message: format!(
                    "{from}: review due since {due} (every {} days)",
                    interval.num_days()
                ),
                suggestion: Some(format!("review the page and set `reviewed: {}`", self.today)),
                reason: Some(Reason::ReviewDue { due }),
                ..Hit::default()
            });
        }
        (Some(interval.num_days()), Some(due))
    }

    /// Checks one reference in its cluster or cloud, or in every default one;
    /// false when no source knows about it.
    fn check(&self, r: &Reference, reviewed: Option<NaiveDate>, out: &mut Out) -> bool {
        let scopes: &[String] = match (&r.target.scope, r.target.platform) {
            (Some(s), _) => std::slice::from_ref(s),
            (None, Platform::Kubernetes) => self.default_clusters,
            (None, Platform::OpenStack) => self.default_clouds,
        };
        let mut known = false;
        for scope in scopes {
            known |= self.check_in(r, scope, reviewed, out);
        }
        known
    }

    /// Checks one reference in one cluster or cloud; false when no source knows about it.
    fn check_in(&self, r: &Reference, scope: &str, reviewed: Option<NaiveDate>, out: &mut Out) -> bool {
        let shown = r.target.to_string();
        let on = if r.target.platform == Platform::Kubernetes {
            format!("cluster {scope}")
        } else {
            format!("cloud {scope}")
        };
        let claim = r.origin == Origin::Claim;
        let from = match r.origin {
            Origin::Claim => "`applies_to` names",
            Origin::Command => "this command names",
            Origin::Manifest => "this manifest names",
        };
        match self.state.observe(&r.target, scope) {
            Observation::Unknown => false,
            Observation::KindNotServed if !claim => false,
            Observation::KindNotServed => {
                out.add(Hit {
                    rule: "resource-missing",
                    line: r.line,
                    target: Some(shown.clone()),
                    message: format!("{from} {shown}, but {on} serves no `{}` kind", r.target.kind),
                    suggestion: Some(
                        "check the kind's spelling, or whether its operator (CRD) is installed".into(),
                    ),
                    reason: Some(Reason::KindNotServed {
                        target: shown,
                        scope: on.clone(),
                    }),
                    ..Hit::default()
                });
                true
            }
            Observation::Missing if r.absent => true,
            Observation::Missing => {
                let suggestion = self
                    .state
                    .other_kind(&r.target, scope)
                    .map(|k| {
                        let mut other = r.target.clone();
                        other.kind = k.to_string();
                        other.scope = None;
                        format!("there is a {k} of that name: `{other}`")
                    })
                    .or_else(|| {
                        self.state
                            .closest(&r.target, scope)
                            .map(|n| format!("did you mean `{n}`? Otherwise update or remove the reference"))
                    })
                    .or_else(|| {
                        Some(
                            "update the page, or remove the reference if the resource is gone for good"
                                .into(),
                        )
                    });
                out.add(Hit {
                    rule: "resource-missing",
                    line: r.line,
                    target: Some(shown.clone()),
                    message: format!("{from} {shown}, which does not exist on {on}"),
                    suggestion,
                    reason: Some(Reason::Missing {
                        target: shown,
                        scope: on.clone(),
                    }),
                    ..Hit::default()
                });
                true
            }
            Observation::Found(_) if r.absent => {
                out.add(Hit {
                    rule: "resource-drift",
                    line: r.line,
                    target: Some(shown.clone()),
                    message: format!("{from} {shown} as absent (`absent: true`), but it exists on {on}"),
                    reason: Some(Reason::StillThere {
                        target: shown,
                        scope: on.clone(),
                    }),
                    ..Hit::default()
                });
                true
            }
            Observation::Found(obj) => {
                if claim {
                    for m in expect::check(r.target.platform, &r.target.kind, &obj.value, &r.expect) {
                        out.add(Hit {
                            rule: "resource-drift",
                            line: r.line,
                            target: Some(shown.clone()),
                            message: format!(
                                "{shown}: `{}` is {} on {on}, the page expects {}",
                                m.field, m.actual, m.expected
                            ),
                            suggestion: Some(format!(
                                "update `expect.{}` (or the platform) and review the page",
                                m.field
                            )),
                            reason: Some(Reason::Drift {
                                target: shown.clone(),
                                field: m.field,
                                expected: m.expected,
                                actual: m.actual,
                            }),
                            ..Hit::default()
                        });
                    }
                    self.changed(r, obj, reviewed, &shown, out);
                }
                true
            }
        }
    }

    /// `changed-since-review`: the object changed after the page's review
    /// (time of its last change), or its pinned `generation` / `revision_number` moved.
    fn changed(&self, r: &Reference, obj: &Object, reviewed: Option<NaiveDate>, shown: &str, out: &mut Out) {
        // one warning per object and page, however many claims name it
        if !out.changed_seen.insert(obj as *const Object as usize) {
            return;
        }
        for pin in PINS {
            let (Some(want), Some(got)) = (
                r.expect.get(*pin).and_then(as_i64),
                obj.value.pointer(&pin_path(pin)).and_then(as_i64),
            ) else {
                continue;
            };
            if want != got {
                out.add(Hit {
                    rule: "changed-since-review",
                    line: r.line,
                    target: Some(shown.to_string()),
                    message: format!("{shown} is at {pin} {got}; the page was reviewed at {pin} {want}"),
                    suggestion: Some(format!(
                        "review the page against the resource, then set `{pin}: {got}`"
                    )),
                    reason: Some(Reason::Changed {
                        target: shown.to_string(),
                        on: None,
                        detail: Some(format!("{pin} {want} → {got}")),
                    }),
                    ..Hit::default()
                });
                return;
            }
        }
        let Some(reviewed) = reviewed else { return };
        let Some((when, who)) = last_change(r.target.platform, &obj.value) else {
            return;
        };
        if when > reviewed {
            let by = who.map(|w| format!(" by {w}")).unwrap_or_default();
            out.add(Hit {
                rule: "changed-since-review",
                line: r.line,
                target: Some(shown.to_string()),
                message: format!("{shown} changed on {when}{by}, after the page was reviewed on {reviewed}"),
                suggestion: Some("review the page against the resource and update `reviewed:`".into()),
                reason: Some(Reason::Changed {
                    target: shown.to_string(),
                    on: Some(when),
                    detail: None,
                }),
                ..Hit::default()
            });
        }
    }
}

fn pin_path(pin: &str) -> String {
    match pin {
        "generation" => "/metadata/generation".into(),
        p => format!("/{p}"),
    }
}

fn as_i64(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn date_of(v: &Value) -> Option<NaiveDate> {
    let s = v.as_str()?;
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// When (and by whom) an object last changed: the newest managed-fields entry
/// that touched more than `status` (controllers rewrite status all the time),
/// else its creation; OpenStack's `updated_at` / `updated`.
pub fn last_change(platform: Platform, v: &Value) -> Option<(NaiveDate, Option<String>)> {
    match platform {
        Platform::Kubernetes => {
            let mut best: Option<(NaiveDate, Option<String>)> = v
                .pointer("/metadata/creationTimestamp")
                .and_then(date_of)
                .map(|d| (d, None));
            for f in v
                .pointer("/metadata/managedFields")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if f.get("subresource").and_then(Value::as_str) == Some("status") {
                    continue;
                }
                let only_status = f
                    .get("fieldsV1")
                    .and_then(Value::as_object)
                    .is_some_and(|m| !m.is_empty() && m.keys().all(|k| k == "f:status"));
                if only_status {
                    continue;
                }
                if let Some(d) = f.get("time").and_then(date_of)
                    && best.as_ref().is_none_or(|(b, _)| d >= *b)
                {
                    best = Some((d, f.get("manager").and_then(Value::as_str).map(String::from)));
                }
            }
            best
        }
        Platform::OpenStack => v
            .get("updated_at")
            .or_else(|| v.get("updated"))
            .and_then(date_of)
            .map(|d| (d, None)),
    }
}
