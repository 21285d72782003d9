//! No secret in any message: the one redactor every error, report and page
//! quoting configuration or a URL goes through. It hides, by their shape,
//! credentials in URLs (`https://admin:PASS@host`), `Authorization` headers
//! and bearer tokens, and the values of secret-looking keys (`token:`,
//! `password =`, `client-key-data:`, `"application_credential_secret":` …)
//! in quoted configuration; and, by their value, every secret a live source
//! was given ([`Redactor`]).

use std::borrow::Cow;
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;

/// What a hidden secret is replaced with.
pub const HIDDEN: &str = "***";

static USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    // scheme://user:password@ or scheme://token@ : everything before the @
    Regex::new(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@?#]+@").expect("valid regex")
});

static AUTHORIZATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(authorization["']?\s*[:=]\s*["']?)[^"'\r\n]+|\b(bearer|basic)\s+([A-Za-z0-9._~+/=\-]{6,})"#,
    )
    .expect("valid regex")
});

static SECRET_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)((?:^|[\s{,"'\[(])[\w\-]*(?:token|password|passwd|secret|client-key-data|private[-_]?key|api[-_]?key|credentials?)[\w\-]*["']?\s*[:=]\s*)("[^"\r\n]*"|'[^'\r\n]*'|[^\s,}\]\r\n]+)"#,
    )
    .expect("valid regex")
});

/// `text` with URL credentials, `Authorization` headers and bearer tokens
/// hidden: safe for any text (a page title, a link), as it leaves prose alone.
pub fn urls(text: &str) -> Cow<'_, str> {
    // Every template value of every page comes through here: most hold
    // nothing either pattern could match, which a byte scan tells.
    if !may_hold_credentials(text) {
        return Cow::Borrowed(text);
    }
    let out = USERINFO.replace_all(text, format!("${{1}}{HIDDEN}@"));
    let out = AUTHORIZATION.replace_all(&out, |c: &regex::Captures| match c.get(1) {
        Some(key) => format!("{}{HIDDEN}", key.as_str()),
        // "Basic troubleshooting", "an invalid basic string": prose, not a
        // credential after a scheme's name.
        None if is_word(&c[3]) => c[0].to_string(),
        None => format!("{} {HIDDEN}", &c[2]),
    });
    Cow::Owned(out.into_owned())
}

/// Whether `token`, met after `basic` or `bearer` with no `Authorization`
/// before it, reads as prose: letters, capitalised at most on the first,
/// words joined by hyphens (`set-up`), a full stop at the end of a
/// sentence. A credential (base64, a JWT, a token) has digits, other signs
/// or capitals inside.
fn is_word(token: &str) -> bool {
    let token = token.strip_suffix('.').unwrap_or(token);
    let mut chars = token.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_lowercase() || c == '-')
        && token.split('-').all(|w| !w.is_empty())
}

/// Whether `text` has what [`USERINFO`] or [`AUTHORIZATION`] needs: an `@`
/// after a `://`, or one of the words `authorization`, `bearer`, `basic` in
/// any case (the long `ſ` folds to `s`).
fn may_hold_credentials(text: &str) -> bool {
    let b = text.as_bytes();
    let at =
        |i: usize, word: &[u8]| b.len() - i >= word.len() && b[i..i + word.len()].eq_ignore_ascii_case(word);
    // One pass: it runs on every value of every page. Most bytes are none
    // of those the patterns start with, which one table look-up tells.
    let mut scheme = false;
    for (i, &c) in b.iter().enumerate() {
        if !WATCHED[usize::from(c)] {
            continue;
        }
        let found = match c {
            b'a' | b'A' => at(i, b"authorization"),
            b'b' | b'B' => at(i, b"bearer") || at(i, b"basic"),
            b':' => {
                scheme = scheme || b[i + 1..].starts_with(b"//");
                false
            }
            b'@' => scheme,
            // The first byte of `ſ` in UTF-8.
            0xC5 => b.get(i + 1) == Some(&0xBF),
            _ => false,
        };
        if found {
            return true;
        }
    }
    false
}

/// The bytes [`may_hold_credentials`] looks at more closely.
static WATCHED: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    let bytes = b"aAbB:@\xC5";
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

/// `text` (a message, a report, a snippet of configuration) with every
/// secret-shaped thing hidden: what [`urls`] hides, and the values of keys
/// named like secrets.
pub fn redact(text: &str) -> String {
    let out = urls(text);
    SECRET_KEY
        .replace_all(&out, |c: &regex::Captures| {
            if c[2].trim_matches(['"', '\'']) == HIDDEN {
                c[0].to_string()
            } else {
                format!("{}{HIDDEN}", &c[1])
            }
        })
        .into_owned()
}

/// Secrets known by their value (tokens, passwords, application-credential
/// secrets a live source was given), removed from a message before it is
/// shown, on top of what [`redact`] hides by shape.
#[derive(Clone, Default)]
pub struct Redactor(Arc<Mutex<Vec<String>>>);

impl Redactor {
    pub fn add(&self, secret: &str) {
        if secret.len() >= 4
            && let Ok(mut v) = self.0.lock()
        {
            v.push(secret.to_string());
        }
    }

    pub fn clean(&self, message: &str) -> String {
        let mut out = message.to_string();
        if let Ok(v) = self.0.lock() {
            for s in v.iter() {
                out = out.replace(s.as_str(), HIDDEN);
            }
        }
        redact(&out)
    }

    /// An error for a source that could not do its job; `message` names the
    /// context or cloud, and loses every secret.
    pub fn error(&self, message: String) -> crate::error::Error {
        crate::error::Error::Platform(self.clean(&message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "CANARY-9f3a";

    #[test]
    fn the_quick_check_lets_through_whatever_the_patterns_match() {
        for text in [
            "https://u:p@host/x",
            "HTTPS://TOKEN@HOST",
            "Authorization: Basic dXNlcjpwYXNz",
            "authorization=abc",
            "BEARER abc123defgh",
            "baſic abc123defgh",
        ] {
            assert!(USERINFO.is_match(text) || AUTHORIZATION.is_match(text), "{text}");
            assert!(may_hold_credentials(text), "{text}");
            assert_ne!(urls(text), text, "{text}");
        }
        for text in [
            "Redémarrer nova-compute",
            "runbooks/nova/index.html",
            "mail@example.org",
        ] {
            assert!(!may_hold_credentials(text), "{text}");
            assert_eq!(urls(text), text);
        }
    }

    #[test]
    fn prose_after_basic_or_bearer_is_left_alone() {
        for text in [
            "Basic troubleshooting",
            "invalid basic string, expected `\"`",
            "Start with basic checks of the network configuration",
            "Bearer tokens expire after an hour",
            "Basic Troubleshooting",
            "Configure basic authentication.",
            "A basic set-up for bearer-token clients",
        ] {
            assert_eq!(urls(text), text);
            assert_eq!(redact(text), text);
        }
        // A credential after the same words is still hidden.
        for text in [
            "basic dXNlcjpwYXNz",
            "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x",
            "basic Q2FuYXJ5OnBhc3M=",
        ] {
            assert!(urls(text).contains(HIDDEN), "{text}");
        }
    }

    #[test]
    fn hides_every_shape_of_secret() {
        for text in [
            "server: https://admin:CANARY-9f3a@k8s.example.org:6443",
            "auth_url: http://user:CANARY-9f3a@keystone:5000/v3",
            "GET https://CANARY-9f3a@api.example.org/x failed",
            "Authorization: Bearer CANARY-9f3a",
            "authorization: Basic CANARY-9f3a",
            "header \"Authorization\": \"CANARY-9f3a\"",
            "sent bearer CANARY-9f3a-abcdef",
            "  3 |     token: CANARY-9f3a\n  4 |   bad: indent",
            "users: [{name: a, user: {token: CANARY-9f3a}}]",
            "password = \"CANARY-9f3a\"",
            "\"password\": \"CANARY-9f3a with spaces\"",
            "client-key-data: CANARY-9f3a",
            "application_credential_secret: 'CANARY-9f3a'",
            "id-token: CANARY-9f3a",
            "kubectl --token=CANARY-9f3a get pods",
        ] {
            let clean = redact(text);
            assert!(!clean.contains(CANARY), "{text:?} -> {clean:?}");
            assert!(clean.contains(HIDDEN), "{text:?} -> {clean:?}");
        }
    }

    #[test]
    fn leaves_prose_and_plain_urls_alone() {
        for text in [
            "https://docs.example.org/runbooks/nova.html#étapes",
            "the token expired: renew it",
            "Mot de passe oublié",
            "link `x.md`: no such page",
            "mailto:ops@example.org",
        ] {
            assert_eq!(urls(text), text);
        }
        assert_eq!(
            redact("the token expired: renew it"),
            "the token expired: renew it"
        );
    }

    #[test]
    fn a_redactor_hides_known_values_anywhere() {
        let r = Redactor::default();
        r.add("hunter2-password");
        assert_eq!(r.clean("login hunter2-password failed"), "login *** failed");
    }
}
