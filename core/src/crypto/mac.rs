//! SHA-256 and HMAC-SHA256, one-shot and streaming (`update` over chunks of a file).
//!
//! `sha2` picks the SHA-NI / AVX2 code path at run time; tags are checked in constant time by
//! `hmac`'s `verify_truncated_left`, which also accepts tags truncated to their leading bytes
//! (RFC 2104 section 5) down to [`MIN_TAG_LEN`].

use hmac::{KeyInit, Mac};
use sha2::Digest;

use super::CryptoError;

/// Length of a SHA-256 digest and a full HMAC-SHA256 tag.
pub const TAG_LEN: usize = 32;
/// The shortest truncated HMAC-SHA256 tag accepted (128 bits).
pub const MIN_TAG_LEN: usize = 16;

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(data).into()
}

/// Streaming SHA-256.
#[derive(Clone, Default)]
pub struct Sha256(sha2::Sha256);

impl Sha256 {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    pub fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

/// HMAC-SHA256 of `msg` under `key` (any key length).
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new(key);
    mac.update(msg);
    mac.finish()
}

/// Whether `tag` (full, or truncated to at least [`MIN_TAG_LEN`] leading bytes) is the
/// HMAC-SHA256 of `msg` under `key`, compared in constant time.
pub fn hmac_sha256_verify(key: &[u8], msg: &[u8], tag: &[u8]) -> Result<bool, CryptoError> {
    let mut mac = HmacSha256::new(key);
    mac.update(msg);
    mac.verify(tag)
}

/// Streaming HMAC-SHA256.
#[derive(Clone)]
pub struct HmacSha256(hmac::Hmac<sha2::Sha256>);

impl HmacSha256 {
    pub fn new(key: &[u8]) -> Self {
        // HMAC takes keys of any length (long keys are hashed first); this cannot fail.
        match hmac::Hmac::<sha2::Sha256>::new_from_slice(key) {
            Ok(mac) => Self(mac),
            Err(_) => unreachable!("HMAC accepts keys of every length"),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    pub fn finish(self) -> [u8; 32] {
        self.0.finalize().into_bytes().into()
    }

    /// Constant-time check of a full or left-truncated tag (at least [`MIN_TAG_LEN`] bytes).
    pub fn verify(self, tag: &[u8]) -> Result<bool, CryptoError> {
        if !(MIN_TAG_LEN..=TAG_LEN).contains(&tag.len()) {
            return Err(CryptoError::TagLength {
                actual: tag.len(),
                min: MIN_TAG_LEN,
                max: TAG_LEN,
            });
        }
        Ok(self.0.verify_truncated_left(tag).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::to_hex;

    #[test]
    fn sha256_of_abc_is_the_fips_180_example() {
        // FIPS 180-2 appendix B.1.
        assert_eq!(
            to_hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn streaming_equals_one_shot() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7) as u8).collect();
        let mut s = Sha256::new();
        let mut m = HmacSha256::new(b"key");
        for piece in data.chunks(333) {
            s.update(piece);
            m.update(piece);
        }
        assert_eq!(s.finish(), sha256(&data));
        assert_eq!(m.finish(), hmac_sha256(b"key", &data));
    }

    #[test]
    fn verify_rejects_short_tags_and_wrong_bytes() {
        let tag = hmac_sha256(b"k", b"m");
        assert_eq!(hmac_sha256_verify(b"k", b"m", &tag), Ok(true));
        assert_eq!(hmac_sha256_verify(b"k", b"m", &tag[..16]), Ok(true));
        assert!(matches!(
            hmac_sha256_verify(b"k", b"m", &tag[..8]),
            Err(CryptoError::TagLength { actual: 8, .. })
        ));
        let mut bad = tag;
        bad[31] ^= 1;
        assert_eq!(hmac_sha256_verify(b"k", b"m", &bad), Ok(false));
    }
}
