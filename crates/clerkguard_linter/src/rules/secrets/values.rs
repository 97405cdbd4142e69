//! Recognising Clerk keys in text: secret keys, webhook signing secrets and publishable keys,
//! with placeholders told apart from real values, and masking for messages.

use clerkguard_project::env_files::{EnvFile, env_file_paths};

/// Env variables whose values must never reach the browser.
pub const SECRET_ENV_NAMES: [&str; 6] = [
    "CLERK_SECRET_KEY",
    "CLERK_WEBHOOK_SIGNING_SECRET",
    "CLERK_WEBHOOK_SECRET",
    "CLERK_ENCRYPTION_KEY",
    "CLERK_MACHINE_SECRET_KEY",
    "CLERK_API_KEY",
];

/// Services other than Clerk whose keys share the `sk_live_` / `whsec_` shapes.
const OTHER_SERVICES: [&str; 6] = ["stripe", "resend", "lemon", "paddle", "openai", "svix_app"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretKind {
    SecretKey { live: bool },
    WebhookSecret,
}

impl SecretKind {
    /// The env variable that should hold it.
    pub fn env_name(self) -> &'static str {
        match self {
            Self::SecretKey { .. } => "CLERK_SECRET_KEY",
            Self::WebhookSecret => "CLERK_WEBHOOK_SIGNING_SECRET",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::SecretKey { live: true } => "a production Clerk secret key",
            Self::SecretKey { live: false } => "a development Clerk secret key",
            Self::WebhookSecret => "a webhook signing secret",
        }
    }
}

/// A secret inside a larger text: byte range and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundSecret {
    pub start: usize,
    pub end: usize,
    pub kind: SecretKind,
}

/// Real-looking Clerk secrets in `text` (placeholders such as `sk_live_xxx` or
/// `whsec_your_secret` are skipped).
pub fn find_secrets(text: &str) -> Vec<FoundSecret> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let prefix = [
            ("sk_live_", SecretKind::SecretKey { live: true }),
            ("sk_test_", SecretKind::SecretKey { live: false }),
            ("whsec_", SecretKind::WebhookSecret),
        ]
        .into_iter()
        .find(|(p, _)| bytes[i..].starts_with(p.as_bytes()));
        let Some((prefix, kind)) = prefix else {
            i += 1;
            continue;
        };
        if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
            i += 1;
            continue;
        }
        let tail_start = i + prefix.len();
        let tail_len = bytes[tail_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'_' | b'-'))
            .count();
        let end = tail_start + tail_len;
        if looks_real(&text[tail_start..end]) {
            out.push(FoundSecret { start: i, end, kind });
        }
        i = end.max(i + 1);
    }
    out
}

/// Real keys are long random strings; placeholders are short, repetitive or spelled out.
fn looks_real(tail: &str) -> bool {
    if tail.len() < 20 {
        return false;
    }
    let lower = tail.to_ascii_lowercase();
    if [
        "xxxx",
        "your",
        "here",
        "example",
        "placeholder",
        "replace",
        "changeme",
        "dummy",
        "secret_key",
        "insert",
        "redacted",
        "fake",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return false;
    }
    let distinct: std::collections::HashSet<char> = tail.chars().collect();
    let has_digit = tail.chars().any(|c| c.is_ascii_digit());
    let has_alpha = tail.chars().any(|c| c.is_ascii_alphabetic());
    distinct.len() >= 10 && has_digit && has_alpha
}

/// `sk_live_…9f2c`: prefix, an ellipsis and the last four characters (none for short tails).
pub fn mask(secret: &str) -> String {
    let prefix_len = ["sk_live_", "sk_test_", "whsec_", "pk_live_", "pk_test_"]
        .iter()
        .find(|p| secret.starts_with(**p))
        .map_or(0, |p| p.len());
    let tail = &secret[prefix_len..];
    let visible = if tail.len() >= 12 { &tail[tail.len() - 4..] } else { "" };
    format!("{}…{visible}", &secret[..prefix_len])
}

/// Whether a variable / key name or the line around a value says the key is another service's.
pub fn names_other_service(context: &str) -> bool {
    let lower = context.to_ascii_lowercase();
    OTHER_SERVICES.iter().any(|s| lower.contains(s))
}

/// `NEXT_PUBLIC_CLERK_SECRET_KEY` and friends: a public name for a Clerk secret.
pub fn is_public_secret_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("NEXT_PUBLIC_") else { return false };
    SECRET_ENV_NAMES.contains(&rest)
        || (rest.contains("CLERK") && (rest.contains("SECRET") || rest.contains("ENCRYPTION")))
}

/// A Clerk publishable key: kind (live?) and the Frontend API host it encodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishableKey {
    pub live: bool,
    pub host: String,
}

/// Decodes `pk_(test|live)_<base64 of "<host>$">`; `None` for anything that is not one.
pub fn decode_publishable_key(value: &str) -> Option<PublishableKey> {
    let (live, encoded) = if let Some(rest) = value.strip_prefix("pk_live_") {
        (true, rest)
    } else {
        (false, value.strip_prefix("pk_test_")?)
    };
    let decoded = base64_decode(encoded)?;
    let text = String::from_utf8(decoded).ok()?;
    let host = text.strip_suffix('$')?;
    (host.contains('.') && !host.contains('$')).then(|| PublishableKey { live, host: host.to_string() })
}

fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        })
    };
    let input = input.trim_end_matches('=');
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for &c in input.as_bytes() {
        buffer = (buffer << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The project's env files (read through the index, so open buffers count), parsed.
pub fn project_env_files(index: &crate::ProjectIndex, root: &std::path::Path) -> Vec<(std::path::PathBuf, EnvFile)> {
    env_file_paths(root).into_iter().filter_map(|p| Some((p.clone(), EnvFile::parse(&index.read(&p)?)))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_real_secrets_not_placeholders() {
        let real = "sk_live_4eC39HqLyjWDarjtT1zdp7dc9f2c";
        assert_eq!(find_secrets(&format!("KEY=\"{real}\"")).len(), 1);
        assert!(find_secrets("sk_live_xxxxxxxxxxxxxxxxxxxxxxxx").is_empty());
        assert!(find_secrets("whsec_your_webhook_secret_here").is_empty());
        assert!(find_secrets("task_test_abcdefghijklmnopqrstuvwxyz0123").is_empty());
        assert_eq!(mask(real), "sk_live_…9f2c");
        assert_eq!(mask("sk_live_abc"), "sk_live_…");
    }

    #[test]
    fn decodes_publishable_keys() {
        let key = decode_publishable_key("pk_test_Y2hlZXJmdWwtY2F0LTE4LmNsZXJrLmFjY291bnRzLmRldiQ").unwrap();
        assert_eq!(key, PublishableKey { live: false, host: "cheerful-cat-18.clerk.accounts.dev".into() });
        assert!(decode_publishable_key("pk_live_notbase64!").is_none());
        assert!(decode_publishable_key("pk_test_aGVsbG8").is_none());
    }

    #[test]
    fn public_secret_names() {
        assert!(is_public_secret_name("NEXT_PUBLIC_CLERK_SECRET_KEY"));
        assert!(is_public_secret_name("NEXT_PUBLIC_CLERK_WEBHOOK_SECRET"));
        assert!(!is_public_secret_name("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"));
        assert!(!is_public_secret_name("CLERK_SECRET_KEY"));
    }
}
