//! Protection against cross-site request forgery for the workspace's forms: every form carries
//! its session's random token in a hidden `csrf_token` field, and a POST is refused unless the
//! field matches (compared in constant time). Requests the browser marks as cross-site are
//! refused before that. The session cookie is also `SameSite=Lax`.
//!
//! The sign-in form has no session (none is stored before someone signs in), so it uses a
//! signed double submit: a short-lived cookie holds a random nonce and when it was issued, and
//! the form's token is an HMAC of both under a server key every process shares. A forger can
//! neither read the cookie nor compute the token for a nonce of their own choosing.

use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};

/// Name of the hidden form field.
pub const FIELD: &str = "csrf_token";

/// Compares the session's token with the submitted one in constant time.
pub fn tokens_match(expected: &str, submitted: &str) -> bool {
    if expected.is_empty() || expected.len() != submitted.len() {
        return false;
    }
    expected
        .bytes()
        .zip(submitted.bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// Whether the browser says the request comes from another site: `Sec-Fetch-Site:
/// cross-site`, or an `Origin` whose host is not the one asked.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"));
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(|o| o.split_once("://").map_or(o, |(_, rest)| rest).trim_end_matches('/'));
    let foreign_origin = matches!((origin_host, host), (Some(o), Some(h)) if !o.eq_ignore_ascii_case(h));
    fetch_site || foreign_origin
}

/// Name of the sign-in form's nonce cookie.
pub const LOGIN_COOKIE: &str = "nr_login";
/// The nonce cookie is only sent to the sign-in form.
pub const LOGIN_COOKIE_PATH: &str = "/redaksjon/logg-inn";
/// How long a sign-in form stays usable.
pub const LOGIN_FORM_TTL_SECS: i64 = 60 * 60;

/// HMAC-SHA256 (RFC 2104) of `msg` under `key`.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(msg).finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// The nonce cookie of one sign-in form: 32 random bytes (hex) and the Unix time it was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginNonce {
    pub nonce: String,
    pub issued_at: i64,
}

impl LoginNonce {
    /// A fresh nonce issued at `now` (Unix seconds).
    pub fn fresh(now: i64) -> Self {
        LoginNonce {
            nonce: crate::session::random_token(),
            issued_at: now,
        }
    }

    /// Reads a cookie value; `None` unless it is exactly a nonce and a time.
    pub fn parse(value: &str) -> Option<Self> {
        let (nonce, issued) = value.split_once('.')?;
        if nonce.len() != 64 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) || issued.len() > 12 {
            return None;
        }
        Some(LoginNonce {
            nonce: nonce.to_string(),
            issued_at: issued.parse().ok()?,
        })
    }

    /// The cookie value.
    pub fn value(&self) -> String {
        format!("{}.{}", self.nonce, self.issued_at)
    }

    /// Whether the form is still usable at `now`; a little clock skew between processes is allowed.
    pub fn is_live(&self, now: i64) -> bool {
        self.issued_at <= now + 60 && now - self.issued_at < LOGIN_FORM_TTL_SECS
    }

    /// The token the form carries: HMAC of the nonce and its time under the server key.
    pub fn token(&self, key: &[u8; 32]) -> String {
        let msg = format!("nr-login-csrf\0{}\0{}", self.nonce, self.issued_at);
        hex::encode(hmac_sha256(key, msg.as_bytes()))
    }

    /// Whether a submitted token belongs to this nonce and it is still live.
    pub fn verify(&self, key: &[u8; 32], submitted: &str, now: i64) -> bool {
        self.is_live(now) && tokens_match(&self.token(key), submitted)
    }

    /// The `Set-Cookie` value: HttpOnly, SameSite=Lax, only for the sign-in form.
    pub fn set_cookie(&self, secure: bool) -> HeaderValue {
        login_cookie_header(&self.value(), LOGIN_FORM_TTL_SECS, secure)
    }
}

/// Reads the sign-in nonce cookie from the request.
pub fn login_nonce(headers: &HeaderMap) -> Option<LoginNonce> {
    crate::session::cookie_named(headers, LOGIN_COOKIE).and_then(|v| LoginNonce::parse(&v))
}

/// The `Set-Cookie` value that removes the nonce cookie (after signing in).
pub fn clear_login_cookie(secure: bool) -> HeaderValue {
    login_cookie_header("", 0, secure)
}

fn login_cookie_header(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text =
        format!("{LOGIN_COOKIE}={value}; Path={LOGIN_COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("nr_login=; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "ab"));
        assert!(!tokens_match("", ""));
    }

    #[test]
    fn cross_site_requests() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("registry.example"));
        assert!(!is_cross_site(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://registry.example"));
        assert!(!is_cross_site(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(is_cross_site(&h));
        h.remove(header::ORIGIN);
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(is_cross_site(&h));
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 of RFC 4231.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block is hashed first.
        let mac = hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First");
        assert_eq!(
            hex::encode(mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn login_tokens_are_bound_to_nonce_key_and_time() {
        let key = [7u8; 32];
        let n = LoginNonce::fresh(1_000_000);
        let token = n.token(&key);
        assert!(n.verify(&key, &token, 1_000_010));
        assert!(!n.verify(&[8u8; 32], &token, 1_000_010), "another key");
        assert!(
            !LoginNonce::fresh(1_000_000).verify(&key, &token, 1_000_010),
            "another nonce"
        );
        assert!(!n.verify(&key, &token, 1_000_000 + LOGIN_FORM_TTL_SECS), "expired");
        assert!(!n.verify(&key, "", 1_000_010));
        let forged = LoginNonce {
            issued_at: 1_000_005,
            ..n.clone()
        };
        assert!(!forged.verify(&key, &token, 1_000_010), "the time is signed too");
        assert_eq!(LoginNonce::parse(&n.value()), Some(n));
        for bad in ["", "abc.1", &format!("{}.x", "a".repeat(64)), &"a".repeat(64)] {
            assert_eq!(LoginNonce::parse(bad), None, "{bad}");
        }
    }
}
