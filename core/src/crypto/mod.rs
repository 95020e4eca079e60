//! Cryptography: Argon2id password hashing, AES-256-GCM envelopes, HMAC-SHA256 and SHA-256.
//!
//! Everything here is pure: no randomness, clock or I/O. Nonces and salts come in from the caller
//! (the native binary draws them from the OS, the WASM package from `crypto.getRandomValues`), so
//! the same inputs always give the same bytes, and the module builds for `wasm32-unknown-unknown`.
//!
//! The primitives are RustCrypto's (`aes-gcm`, `argon2`, `hmac`, `sha2`), which are reviewed,
//! constant-time and select AES-NI/PCLMULQDQ/SHA-NI at run time on x86-64. Written here is only
//! the glue that makes the safe way the easy way:
//! - [`password`]: Argon2id v19 PHC strings with bounded parameters, batch hash/verify within a
//!   memory budget.
//! - [`envelope`]: a versioned, documented AES-256-GCM envelope (docs/crypto.md) sealed as a STREAM
//!   of chunks, so truncation, reordering and appended data are detected, with a key commitment
//!   that tells a wrong key apart from tampering. Its chunk cipher is pluggable
//!   ([`envelope::ChunkCipher`]): the native binary passes ring's interleaved AES-GCM assembly,
//!   about five times RustCrypto's two-pass `aes-gcm` at 1 MiB (docs/crypto.md, "Speed").
//! - [`aead`]: raw AES-256-GCM (any tested nonce length), used by the envelope and the test vectors.
//! - [`mac`]: SHA-256 and HMAC-SHA256, one-shot and streaming, with constant-time tag checks.
//!
//! Secrets held here (derived keys, Argon2 memory) are zeroized on drop.

pub mod aead;
pub mod envelope;
pub mod mac;
pub mod password;

use std::fmt;

/// Everything that can go wrong in [`crate::crypto`]. Messages say what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CryptoError {
    /// A key has the wrong length.
    KeyLength {
        expected: &'static str,
        actual: usize,
    },
    /// A nonce length this build does not support (GCM forbids empty nonces).
    NonceLength { actual: usize },
    /// A message or associated data longer than AES-GCM allows.
    MessageTooLong { len: u64 },
    /// AES-GCM authentication failed (raw AEAD).
    AuthenticationFailed,
    /// A MAC tag with an unusable length.
    TagLength {
        actual: usize,
        min: usize,
        max: usize,
    },
    /// Text that should be hexadecimal is not.
    Hex {
        position: usize,
        reason: &'static str,
    },
    /// A PHC password-hash string that cannot be parsed.
    MalformedHash { field: &'static str, reason: String },
    /// Argon2 parameters that are invalid.
    InvalidParams { reason: String },
    /// Argon2 parameters above the configured limit (raise the limit or force).
    ParamsTooCostly {
        what: &'static str,
        value: u64,
        limit: u64,
    },
    /// Memory for Argon2 could not be reserved.
    OutOfMemory { kib: u64 },
    /// The bytes do not start with the envelope magic.
    NotAnEnvelope,
    /// An envelope of a version this build does not read.
    UnknownVersion { version: u8 },
    /// An envelope header field with an invalid value.
    MalformedHeader { field: &'static str, reason: String },
    /// The envelope was sealed with a passphrase but a key was given, or the reverse.
    KeyModeMismatch {
        sealed_with: &'static str,
        given: &'static str,
    },
    /// The key commitment does not match: wrong key or passphrase (or an altered header).
    WrongKey,
    /// A chunk failed authentication: the data was altered, reordered or cut mid-chunk.
    Tampered { chunk: u64 },
    /// The envelope ends early.
    Truncated { reason: String },
    /// Data follows the final chunk.
    TrailingData { after_chunk: u64 },
    /// A chunk handed to the sealer has the wrong size, or sealing continued after the last chunk.
    ChunkMisuse { reason: String },
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KeyLength { expected, actual } => {
                write!(f, "key is {actual} bytes; expected {expected}")
            }
            Self::NonceLength { actual } => {
                write!(f, "AES-GCM nonce of {actual} bytes is not supported")
            }
            Self::MessageTooLong { len } => {
                write!(f, "{len} bytes exceed the AES-GCM limit for one message")
            }
            Self::AuthenticationFailed => write!(f, "AES-GCM authentication failed"),
            Self::TagLength { actual, min, max } => {
                write!(f, "tag is {actual} bytes; expected {min} to {max}")
            }
            Self::Hex { position, reason } => write!(f, "hex, character {position}: {reason}"),
            Self::MalformedHash { field, reason } => {
                write!(f, "malformed password hash, {field}: {reason}")
            }
            Self::InvalidParams { reason } => write!(f, "invalid Argon2 parameters: {reason}"),
            Self::ParamsTooCostly { what, value, limit } => {
                write!(f, "Argon2 {what} = {value} is above the limit {limit}")
            }
            Self::OutOfMemory { kib } => write!(f, "cannot reserve {kib} KiB for Argon2"),
            Self::NotAnEnvelope => write!(f, "not a conclave envelope (bad magic bytes)"),
            Self::UnknownVersion { version } => write!(
                f,
                "envelope version {version} is not supported (this build reads version {})",
                envelope::VERSION
            ),
            Self::MalformedHeader { field, reason } => {
                write!(f, "malformed envelope header, {field}: {reason}")
            }
            Self::KeyModeMismatch { sealed_with, given } => write!(
                f,
                "the envelope was sealed with a {sealed_with}, but a {given} was given"
            ),
            Self::WrongKey => write!(
                f,
                "wrong key or passphrase (the key commitment in the header does not match)"
            ),
            Self::Tampered { chunk } => write!(
                f,
                "chunk {chunk} failed authentication: the data was altered, reordered, or cut inside this chunk"
            ),
            Self::Truncated { reason } => write!(f, "truncated envelope: {reason}"),
            Self::TrailingData { after_chunk } => {
                write!(f, "data appended after the final chunk {after_chunk}")
            }
            Self::ChunkMisuse { reason } => write!(f, "envelope sealing misuse: {reason}"),
        }
    }
}

impl std::error::Error for CryptoError {}

/// Lowercase hexadecimal of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Decodes hexadecimal (either case, no separators).
pub fn from_hex(text: &str) -> Result<Vec<u8>, CryptoError> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(CryptoError::Hex {
            position: bytes.len(),
            reason: "odd number of digits",
        });
    }
    let digit = |i: usize| -> Result<u8, CryptoError> {
        let c = bytes[i];
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(CryptoError::Hex {
                position: i + 1,
                reason: "not a hex digit",
            }),
        }
    };
    (0..bytes.len() / 2)
        .map(|k| Ok((digit(2 * k)? << 4) | digit(2 * k + 1)?))
        .collect()
}

/// Constant-time equality of two byte strings (the lengths are not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use ctutils::CtEq;
    a.len() == b.len() && a.ct_eq(b).to_bool()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_errors() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(from_hex(&to_hex(&bytes)).unwrap(), bytes);
        assert_eq!(from_hex("ABcd").unwrap(), vec![0xab, 0xcd]);
        assert!(matches!(from_hex("abc"), Err(CryptoError::Hex { .. })));
        assert_eq!(
            from_hex("a g0"),
            Err(CryptoError::Hex {
                position: 2,
                reason: "not a hex digit"
            })
        );
    }

    #[test]
    fn ct_eq_compares_length_and_content() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
