//! Password hashing, secret tokens and the login-throttling rule: plain functions, no I/O.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash password: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Verifying against this costs as much as a real check, so an unknown e-mail address takes as
/// long to reject as a wrong password (no user enumeration by timing).
pub fn dummy_verify(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("dummy password for timing").unwrap_or_default());
    let _ = verify_password(password, hash);
}

/// Server-side strength rule of SPEC §1. Returns the reason when the password is refused.
pub fn check_password_strength(password: &str, email: &str) -> Result<(), &'static str> {
    let len = password.chars().count();
    if len < 12 {
        return Err("must be at least 12 characters long");
    }
    if len > 1024 {
        return Err("must be at most 1024 characters long");
    }
    let lower = password.to_lowercase();
    let email = email.trim().to_lowercase();
    let local_part = email.split('@').next().unwrap_or("");
    if lower == email || (local_part.len() >= 4 && lower.contains(local_part)) {
        return Err("must not be or contain your e-mail address");
    }
    if password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(' '))
    {
        return Err("must not repeat one character");
    }
    Ok(())
}

/// A random secret of 256 bits, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are random and long, so a fast hash is enough to make a stolen database useless.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A generated password for `user create` without stdin: 20 characters from an unambiguous set.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// Limits for failed logins within [`THROTTLE_WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 20;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

pub fn throttle_key_account(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

pub fn throttle_key_ip(ip: &str) -> String {
    format!("ip:{ip}")
}

/// CSRF token bound to a session (or to the anonymous visitor cookie before login).
pub fn csrf_token(secret: &[u8], binding: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| {
        <Hmac<Sha256> as Mac>::new_from_slice(b"unreachable: hmac accepts any key length")
            .expect("static key")
    });
    mac.update(binding.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_argon2id() {
        let h = hash_password("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn strength_rules() {
        assert!(check_password_strength("short", "a@b.ch").is_err());
        assert!(check_password_strength("anna.muster@firma.ch", "anna.muster@firma.ch").is_err());
        assert!(check_password_strength("xxanna.musterxx", "anna.muster@firma.ch").is_err());
        assert!(check_password_strength("aaaaaaaaaaaaaaaa", "a@b.ch").is_err());
        assert!(check_password_strength("Wolken über dem Säntis", "a@b.ch").is_ok());
    }

    #[test]
    fn tokens_are_long_random_and_hash_stably() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(a.len() >= 43, "256 bits in base64: {a}");
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&b));
        assert_eq!(generate_password().len(), 20);
    }

    #[test]
    fn csrf_tokens_depend_on_secret_and_binding() {
        let t = csrf_token(b"secret", "session:1");
        assert!(constant_time_eq(&t, &csrf_token(b"secret", "session:1")));
        assert!(!constant_time_eq(&t, &csrf_token(b"secret", "session:2")));
        assert!(!constant_time_eq(&t, &csrf_token(b"other", "session:1")));
    }
}
