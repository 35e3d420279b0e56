//! Account names and passwords.
//!
//! Passwords are checked against the policy of security.md (length, common passwords) when a
//! person chooses one, and stored only as argon2 hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// A login name: 3 to 32 characters of `a-z`, `0-9`, `.`, `_`, `-`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("username must be 3 to 32 characters")]
    Length,
    #[error("username may hold only a-z, 0-9, '.', '_', '-' and must start with a letter")]
    Characters,
}

impl Username {
    pub fn parse(input: &str) -> Result<Self, UsernameError> {
        let s = input.trim().to_ascii_lowercase();
        if !(3..=32).contains(&s.len()) {
            return Err(UsernameError::Length);
        }
        let mut bytes = s.bytes();
        let first_ok = bytes.next().is_some_and(|b| b.is_ascii_lowercase());
        if !first_ok || !bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)) {
            return Err(UsernameError::Characters);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password a person has chosen, checked against the policy.
///
/// The value never appears in `Debug` output, so it cannot leak into a log by accident.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password shorter than 12 characters")]
    TooShort,
    #[error("password longer than 128 characters")]
    TooLong,
    #[error("password is too common")]
    TooCommon,
    #[error("password contains the username")]
    ContainsUsername,
}

/// The 10,000 most common passwords of public leaks (`data/common-passwords.txt`, with its
/// source). Most are shorter than twelve characters and fail the length rule first; the list is
/// checked whole all the same, so a longer policy never depends on which ones are short.
const LEAKED_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

fn leaked() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        LEAKED_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Long passwords people here choose often: Vietnamese words, the system's and the province's
/// names, keyboard runs.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456123456",
    "111111111111",
    "000000000000",
    "123123123123",
    "qwertyuiopas",
    "qwerty123456",
    "qwertyuiop123",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "password1234",
    "password123!",
    "passwordpassword",
    "abc123456789",
    "abcdefghijkl",
    "iloveyou1234",
    "matkhau12345",
    "matkhau123456",
    "admin1234567",
    "administrator",
    "welcome12345",
    "changeme1234",
    "letmein12345",
    "danvan123456",
    "daknong12345",
    "123456789abc",
    "asdfghjkl123",
    "zxcvbnm12345",
    "superman1234",
    "football1234",
    "baseball1234",
    "monkey123456",
    "dragon123456",
    "sunshine1234",
    "princess1234",
    "trustno12345",
    "aaaaaaaaaaaa",
    "abcd12345678",
];

impl Password {
    pub fn parse(input: &str, username: &Username) -> Result<Self, PasswordError> {
        let chars = input.chars().count();
        if chars < 12 {
            return Err(PasswordError::TooShort);
        }
        if chars > 128 {
            return Err(PasswordError::TooLong);
        }
        let lower = input.to_lowercase();
        if COMMON_PASSWORDS.contains(&lower.as_str()) || leaked().contains(lower.as_str()) {
            return Err(PasswordError::TooCommon);
        }
        if lower.contains(username.as_str()) {
            return Err(PasswordError::ContainsUsername);
        }
        Ok(Self(input.to_owned()))
    }

    /// A password that skips the policy. Only the demo uses it, for its documented `demo`
    /// logins; nothing a person types reaches it.
    pub fn unchecked_for_demo(input: &str) -> Self {
        Self(input.to_owned())
    }

    /// A random password of 16 characters, for first passwords set by an admin.
    pub fn random(bytes: [u8; 16]) -> Self {
        // No 0/O/1/l/I so that it can be read aloud or copied by hand.
        const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        Self(
            bytes
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect(),
        )
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The argon2id hash in PHC string form.
    pub fn hash(&self) -> String {
        let mut salt_bytes = [0u8; 16];
        getrandom::fill(&mut salt_bytes).expect("the operating system provides random bytes");
        let salt = SaltString::encode_b64(&salt_bytes).expect("16 bytes is a valid salt length");
        Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .expect("argon2 with default parameters accepts any password")
    }
}

/// Checks a typed password against a stored hash; a malformed hash never verifies.
pub fn verify_password(typed: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| Argon2::default().verify_password(typed.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> Username {
        Username::parse("snv").unwrap()
    }

    #[test]
    fn usernames_are_lowercased_and_checked() {
        assert_eq!(Username::parse(" SoNoiVu ").unwrap().as_str(), "sonoivu");
        assert_eq!(Username::parse("ab"), Err(UsernameError::Length));
        assert_eq!(Username::parse("1abc"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("a b c"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("nguyễn"), Err(UsernameError::Characters));
    }

    #[test]
    fn the_leaked_list_holds_at_least_three_thousand_and_refuses_them() {
        assert!(leaked().len() >= 3_000, "{}", leaked().len());
        // Twelve characters or more and on the list: refused whatever the case.
        assert_eq!(
            Password::parse("1QAZ2WSX3EDC", &user()).err(),
            Some(PasswordError::TooCommon)
        );
        assert_eq!(
            Password::parse("123qweasdzxc", &user()).err(),
            Some(PasswordError::TooCommon)
        );
        assert!(Password::parse("Cà phê Đắk Mil sáng thứ hai", &user()).is_ok());
    }

    #[test]
    fn password_policy_cases() {
        for (input, expected) in [
            ("short", Err(PasswordError::TooShort)),
            ("elevenchars", Err(PasswordError::TooShort)),
            ("Password1234", Err(PasswordError::TooCommon)),
            ("mysnvpassword", Err(PasswordError::ContainsUsername)),
            ("đồng-hồ-cát-7", Ok(())),
        ] {
            assert_eq!(Password::parse(input, &user()).map(|_| ()), expected, "{input}");
        }
        let long = "x".repeat(129);
        assert_eq!(Password::parse(&long, &user()).map(|_| ()), Err(PasswordError::TooLong));
        // Long passphrases are not truncated: 128 characters are accepted whole.
        assert!(Password::parse(&"y".repeat(128), &user()).is_ok());
    }

    #[test]
    fn hashes_verify_and_wrong_passwords_do_not() {
        let password = Password::parse("cây-tre-Việt-Nam", &user()).unwrap();
        let hash = password.hash();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("cây-tre-Việt-Nam", &hash));
        assert!(!verify_password("cây-tre-viet-nam", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn passwords_do_not_show_in_debug_output() {
        let password = Password::unchecked_for_demo("demo");
        assert_eq!(format!("{password:?}"), "Password(***)");
    }

    #[test]
    fn random_passwords_have_sixteen_unambiguous_characters() {
        let p = Password::random([255; 16]);
        assert_eq!(p.expose().chars().count(), 16);
        assert!(!p.expose().contains(['0', 'O', '1', 'l', 'I']));
    }
}
