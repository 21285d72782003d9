//! Module durations: written (`20m`, `1h30`, `45`) or estimated from the
//! page's length, and shown for people (`1 h 30`, `45 min`).

/// Reading speed used for modules without a written duration. French prose
/// with commands to try reads at about 200 words a minute.
pub const WORDS_PER_MINUTE: usize = 200;

/// Minutes written as `20m`, `20 min`, `1h`, `1h30`, `1 h 30 min`, `90` (minutes).
pub fn parse_duration(s: &str) -> Option<u32> {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let s = s.strip_suffix("utes").unwrap_or(&s); // minutes
    let s = s.strip_suffix("ute").unwrap_or(s); // minute
    let (hours, rest) = match s.split_once('h') {
        Some((h, rest)) => (Some(h.parse::<u32>().ok()?), rest),
        None => (None, s),
    };
    let rest = ["min", "mn", "m"]
        .iter()
        .find_map(|u| rest.strip_suffix(u))
        .unwrap_or(rest);
    let minutes = if rest.is_empty() {
        hours?;
        0
    } else {
        rest.parse::<u32>().ok()?
    };
    if hours.is_some() && minutes >= 60 {
        return None;
    }
    let total = hours.unwrap_or(0).checked_mul(60)?.checked_add(minutes)?;
    (total > 0).then_some(total)
}

/// Estimated reading time of a Markdown body, in whole minutes (at least 1).
pub fn reading_minutes(body: &str) -> u32 {
    let words = body.split_whitespace().count();
    words.div_ceil(WORDS_PER_MINUTE).max(1) as u32
}

/// `45 min`, `2 h`, `1 h 30` (French) / `1 h 30 min` (English).
pub fn format_duration(minutes: u32, lang: &str) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) if lang == "fr" => format!("{h} h {m:02}"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// Compact form for the command line: `45m`, `2h`, `1h30`.
pub fn format_compact(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_durations() {
        assert_eq!(parse_duration("20m"), Some(20));
        assert_eq!(parse_duration("20 min"), Some(20));
        assert_eq!(parse_duration("1h30"), Some(90));
        assert_eq!(parse_duration("1 h 30 min"), Some(90));
        assert_eq!(parse_duration("2h"), Some(120));
        assert_eq!(parse_duration("45"), Some(45));
        assert_eq!(parse_duration("90 minutes"), Some(90));
        assert_eq!(parse_duration("1h75"), None);
        assert_eq!(parse_duration("0m"), None);
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes(&"mot ".repeat(200)), 1);
        assert_eq!(reading_minutes(&"mot ".repeat(201)), 2);
    }

    #[test]
    fn shown_durations() {
        assert_eq!(format_duration(45, "fr"), "45 min");
        assert_eq!(format_duration(120, "fr"), "2 h");
        assert_eq!(format_duration(185, "fr"), "3 h 05");
        assert_eq!(format_duration(90, "en"), "1 h 30 min");
        assert_eq!(format_compact(185), "3h05");
        assert_eq!(format_compact(20), "20m");
    }
}
