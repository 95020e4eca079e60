//! Raw AES-256-GCM: [`seal`] / [`open`] with any supported nonce length, and [`Cipher`], the
//! 96-bit-nonce form with the key schedule kept, used by the envelope.
//!
//! `aes-gcm` fixes the nonce length in the type, so [`seal`] and [`open`] pick the type from the
//! nonce's length: 12 bytes (the standard, and the only length the envelope uses), 1 to 16, and
//! 20, 32, 64, 128 and 257 bytes (longer nonces are hashed with GHASH by the GCM spec; these are
//! the lengths of the Wycheproof vectors). An empty nonce is refused: GCM with it leaks the
//! authentication key (CVE-2017-7822).

use aes_gcm::aead::array::{Array, ArraySize};
use aes_gcm::aead::consts::{
    U1, U2, U3, U4, U5, U6, U7, U8, U9, U10, U11, U12, U13, U14, U15, U16, U20, U32, U64, U128,
    U257,
};
use aes_gcm::aead::inout::InOutBuf;
use aes_gcm::aes::Aes256;
use aes_gcm::{AeadInOut, AesGcm, KeyInit};

use super::CryptoError;

/// Length of a GCM tag.
pub const TAG_LEN: usize = 16;
/// Length of the standard GCM nonce.
pub const NONCE_LEN: usize = 12;

/// The largest plaintext one GCM invocation takes (NIST SP 800-38D: 2^39 - 256 bits).
const P_MAX: u64 = (1 << 36) - 32;

macro_rules! by_nonce_len {
    ($len:expr, $f:ident $args:tt; $($n:literal => $ty:ty),*) => {
        match $len {
            $($n => $f::<$ty> $args,)*
            other => Err(CryptoError::NonceLength { actual: other }),
        }
    };
}

/// Encrypts `plaintext`: returns the ciphertext followed by the 16-byte tag.
pub fn seal(
    key: &[u8; 32],
    nonce: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    by_nonce_len!(nonce.len(), seal_n (key, nonce, aad, plaintext);
        12 => U12, 1 => U1, 2 => U2, 3 => U3, 4 => U4, 5 => U5, 6 => U6, 7 => U7, 8 => U8,
        9 => U9, 10 => U10, 11 => U11, 13 => U13, 14 => U14, 15 => U15, 16 => U16, 20 => U20,
        32 => U32, 64 => U64, 128 => U128, 257 => U257)
}

/// Checks and decrypts `sealed` (ciphertext followed by the 16-byte tag).
pub fn open(
    key: &[u8; 32],
    nonce: &[u8],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    by_nonce_len!(nonce.len(), open_n (key, nonce, aad, sealed);
        12 => U12, 1 => U1, 2 => U2, 3 => U3, 4 => U4, 5 => U5, 6 => U6, 7 => U7, 8 => U8,
        9 => U9, 10 => U10, 11 => U11, 13 => U13, 14 => U14, 15 => U15, 16 => U16, 20 => U20,
        32 => U32, 64 => U64, 128 => U128, 257 => U257)
}

fn check_lengths(aad: &[u8], text: usize) -> Result<(), CryptoError> {
    // AAD may be up to 2^61 - 1 bytes; no slice in memory comes close.
    let _ = aad;
    if text as u64 > P_MAX {
        return Err(CryptoError::MessageTooLong { len: text as u64 });
    }
    Ok(())
}

fn seal_n<N: ArraySize>(
    key: &[u8; 32],
    nonce: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    check_lengths(aad, plaintext.len())?;
    let cipher = AesGcm::<Aes256, N>::new(&Array::from(*key));
    let nonce = Array::<u8, N>::try_from(nonce).map_err(|_| CryptoError::NonceLength {
        actual: nonce.len(),
    })?;
    let mut out = plaintext.to_vec();
    let tag = cipher
        .encrypt_inout_detached(&nonce, aad, InOutBuf::from(out.as_mut_slice()))
        .map_err(|_| CryptoError::MessageTooLong {
            len: plaintext.len() as u64,
        })?;
    out.extend_from_slice(&tag);
    Ok(out)
}

fn open_n<N: ArraySize>(
    key: &[u8; 32],
    nonce: &[u8],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let Some(split) = sealed.len().checked_sub(TAG_LEN) else {
        return Err(CryptoError::AuthenticationFailed);
    };
    check_lengths(aad, split)?;
    let cipher = AesGcm::<Aes256, N>::new(&Array::from(*key));
    let nonce = Array::<u8, N>::try_from(nonce).map_err(|_| CryptoError::NonceLength {
        actual: nonce.len(),
    })?;
    let (ciphertext, tag) = sealed.split_at(split);
    let tag = Array::try_from(tag).map_err(|_| CryptoError::AuthenticationFailed)?;
    let mut out = ciphertext.to_vec();
    cipher
        .decrypt_inout_detached(&nonce, aad, InOutBuf::from(out.as_mut_slice()), &tag)
        .map_err(|_| CryptoError::AuthenticationFailed)?;
    Ok(out)
}

/// AES-256-GCM with 96-bit nonces and the key schedule computed once. Zeroized on drop.
#[derive(Clone)]
pub struct Cipher(aes_gcm::Aes256Gcm);

impl Cipher {
    pub fn new(key: &[u8; 32]) -> Self {
        Self(aes_gcm::Aes256Gcm::new(&Array::from(*key)))
    }

    /// Encrypts `buf` in place and returns the tag.
    pub fn seal_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<[u8; TAG_LEN], CryptoError> {
        check_lengths(aad, buf.len())?;
        let len = buf.len() as u64;
        let tag = self
            .0
            .encrypt_inout_detached(&Array::from(*nonce), aad, InOutBuf::from(buf))
            .map_err(|_| CryptoError::MessageTooLong { len })?;
        Ok(tag.into())
    }

    /// Checks `tag` over `ciphertext` and, only if it matches, writes the plaintext to `out`
    /// (same length as `ciphertext`). Returns whether the tag matched; `ciphertext` is untouched.
    pub fn open_to(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; TAG_LEN],
        out: &mut [u8],
    ) -> Result<bool, CryptoError> {
        check_lengths(aad, ciphertext.len())?;
        let out_len = out.len();
        let buf = InOutBuf::new(ciphertext, out).map_err(|_| CryptoError::ChunkMisuse {
            reason: format!(
                "output of {out_len} bytes for {} bytes of ciphertext",
                ciphertext.len()
            ),
        })?;
        Ok(self
            .0
            .decrypt_inout_detached(&Array::from(*nonce), aad, buf, &Array::from(*tag))
            .is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_for_every_supported_nonce_length() {
        let key = [7u8; 32];
        for len in [
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 32, 64, 128, 257,
        ] {
            let nonce = vec![len as u8; len];
            let sealed = seal(&key, &nonce, b"aad", b"hello").unwrap();
            assert_eq!(sealed.len(), 5 + TAG_LEN);
            assert_eq!(open(&key, &nonce, b"aad", &sealed).unwrap(), b"hello");
            assert_eq!(
                open(&key, &nonce, b"aaD", &sealed),
                Err(CryptoError::AuthenticationFailed)
            );
        }
        assert_eq!(
            seal(&key, &[], b"", b"x"),
            Err(CryptoError::NonceLength { actual: 0 })
        );
        assert_eq!(
            open(&key, &[0; 12], b"", &[0; 15]),
            Err(CryptoError::AuthenticationFailed)
        );
    }

    #[test]
    fn cipher_matches_one_shot() {
        let key = [3u8; 32];
        let nonce = [9u8; 12];
        let mut buf = b"some plaintext".to_vec();
        let cipher = Cipher::new(&key);
        let tag = cipher.seal_in_place(&nonce, b"h", &mut buf).unwrap();
        let mut sealed = buf.clone();
        sealed.extend_from_slice(&tag);
        assert_eq!(sealed, seal(&key, &nonce, b"h", b"some plaintext").unwrap());
        let mut out = vec![0; buf.len()];
        assert!(cipher.open_to(&nonce, b"h", &buf, &tag, &mut out).unwrap());
        assert_eq!(out, b"some plaintext");
        let mut bad = tag;
        bad[0] ^= 1;
        assert!(!cipher.open_to(&nonce, b"h", &buf, &bad, &mut out).unwrap());
    }
}
