//! The conclave envelope, version 1: AES-256-GCM in a STREAM of chunks (docs/crypto.md has the
//! byte layout for other implementations).
//!
//! ```text
//! header   magic "CNVE" | version 1 | key mode | chunk exponent e | 0 | nonce N (12 bytes)
//!          [key mode 2: m, t, p (u32 big-endian each) | salt (16 bytes)]
//!          key check = HMAC-SHA256(K, "conclave envelope v1 key check" || header so far)
//! chunks   AES-256-GCM(Kp, N xor (counter i || last flag), header || aad, 2^e plaintext bytes)
//! ```
//!
//! K is the caller's 256-bit key (mode 1) or Argon2id(passphrase, salt, m, t, p) (mode 2);
//! Kp = HMAC-SHA256(K, "conclave envelope v1 payload key"). Every message gets a fresh random
//! 96-bit nonce N from the caller; chunk i is sealed under N with the 64-bit counter i xored into
//! bytes 3..11 and the last-chunk flag into byte 11 (STREAM, as in age and Tink), and the whole
//! header is authenticated with every chunk. So dropping chunks at the end, reordering them,
//! appending data or changing any byte is detected, and each is reported as such. The key check
//! commits to K, so a wrong key is told apart from tampered data (and one ciphertext cannot
//! decrypt under two keys). Plaintext is released chunk by chunk only after its tag matched.

use zeroize::{Zeroize, Zeroizing};

use super::aead::{Cipher, NONCE_LEN, TAG_LEN};
use super::mac::{HmacSha256, hmac_sha256};
use super::password::{Limits, Params, RawInput, SALT_LEN, Variant, Workspace, argon2_raw};
use super::{CryptoError, ct_eq};

/// The first four bytes of every envelope.
pub const MAGIC: [u8; 4] = *b"CNVE";
/// The envelope version this build writes and reads.
pub const VERSION: u8 = 1;
/// Default chunk exponent: 64 KiB chunks.
pub const DEFAULT_CHUNK_LOG2: u8 = 16;
/// Smallest and largest chunk exponents (1 KiB to 16 MiB).
pub const MIN_CHUNK_LOG2: u8 = 10;
pub const MAX_CHUNK_LOG2: u8 = 24;
/// Header length with a raw key (mode 1) and with a passphrase (mode 2).
pub const HEADER_LEN_KEY: usize = 20 + 32;
pub const HEADER_LEN_PASSPHRASE: usize = 20 + 12 + SALT_LEN + 32;
/// The longest header; reading this many bytes (or to the end) is enough for [`Header::parse`].
pub const MAX_HEADER_LEN: usize = HEADER_LEN_PASSPHRASE;

const KEY_CHECK_LABEL: &[u8] = b"conclave envelope v1 key check";
const PAYLOAD_KEY_LABEL: &[u8] = b"conclave envelope v1 payload key";

/// How the envelope key is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    /// A raw 256-bit key (byte 1).
    Key,
    /// Argon2id v19 of a passphrase, parameters and salt in the header (byte 2).
    Passphrase {
        params: Params,
        salt: [u8; SALT_LEN],
    },
}

impl KeyMode {
    fn name(&self) -> &'static str {
        match self {
            Self::Key => "key",
            Self::Passphrase { .. } => "passphrase",
        }
    }
}

/// The key for sealing.
#[derive(Debug, Clone, Copy)]
pub enum SealKey<'a> {
    Key(&'a [u8; 32]),
    /// The salt must be fresh random bytes for each message.
    Passphrase {
        passphrase: &'a [u8],
        salt: [u8; SALT_LEN],
        params: Params,
    },
}

/// The key for opening.
#[derive(Debug, Clone, Copy)]
pub enum OpenKey<'a> {
    Key(&'a [u8; 32]),
    Passphrase(&'a [u8]),
}

/// A parsed envelope header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub mode: KeyMode,
    pub chunk_log2: u8,
    pub nonce: [u8; NONCE_LEN],
    bytes: Vec<u8>,
}

fn truncated(reason: impl Into<String>) -> CryptoError {
    CryptoError::Truncated {
        reason: reason.into(),
    }
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_be_bytes(word)
}

impl Header {
    /// Parses the header at the start of `prefix` (at least [`MAX_HEADER_LEN`] bytes, or the whole
    /// envelope if shorter).
    pub fn parse(prefix: &[u8]) -> Result<Self, CryptoError> {
        let magic_len = prefix.len().min(4);
        if prefix[..magic_len] != MAGIC[..magic_len] {
            return Err(CryptoError::NotAnEnvelope);
        }
        if prefix.len() < 5 {
            return Err(truncated(format!(
                "{} bytes, shorter than the envelope header",
                prefix.len()
            )));
        }
        if prefix[4] != VERSION {
            return Err(CryptoError::UnknownVersion { version: prefix[4] });
        }
        if prefix.len() < 20 {
            return Err(truncated(format!(
                "{} bytes, shorter than the envelope header",
                prefix.len()
            )));
        }
        let header_len = match prefix[5] {
            1 => HEADER_LEN_KEY,
            2 => HEADER_LEN_PASSPHRASE,
            other => {
                return Err(CryptoError::MalformedHeader {
                    field: "key mode (byte 5)",
                    reason: format!("{other} (expected 1 = key, 2 = passphrase)"),
                });
            }
        };
        let chunk_log2 = prefix[6];
        if !(MIN_CHUNK_LOG2..=MAX_CHUNK_LOG2).contains(&chunk_log2) {
            return Err(CryptoError::MalformedHeader {
                field: "chunk exponent (byte 6)",
                reason: format!("{chunk_log2} (expected {MIN_CHUNK_LOG2} to {MAX_CHUNK_LOG2})"),
            });
        }
        if prefix[7] != 0 {
            return Err(CryptoError::MalformedHeader {
                field: "reserved (byte 7)",
                reason: format!("{} (expected 0)", prefix[7]),
            });
        }
        if prefix.len() < header_len {
            return Err(truncated(format!(
                "{} bytes, shorter than the {header_len}-byte header",
                prefix.len()
            )));
        }
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&prefix[8..20]);
        let mode = if prefix[5] == 1 {
            KeyMode::Key
        } else {
            let mut salt = [0u8; SALT_LEN];
            salt.copy_from_slice(&prefix[32..48]);
            KeyMode::Passphrase {
                params: Params {
                    m_kib: be32(prefix, 20),
                    t: be32(prefix, 24),
                    p: be32(prefix, 28),
                },
                salt,
            }
        };
        Ok(Self {
            mode,
            chunk_log2,
            nonce,
            bytes: prefix[..header_len].to_vec(),
        })
    }

    /// The header's length in bytes: the payload starts here.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always false: a header has at least 52 bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The header bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Plaintext bytes per chunk.
    pub fn chunk_size(&self) -> usize {
        1 << self.chunk_log2
    }
}

fn new_header(mode: KeyMode, chunk_log2: u8, nonce: &[u8; NONCE_LEN]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(MAX_HEADER_LEN);
    bytes.extend_from_slice(&MAGIC);
    bytes.push(VERSION);
    bytes.push(match mode {
        KeyMode::Key => 1,
        KeyMode::Passphrase { .. } => 2,
    });
    bytes.push(chunk_log2);
    bytes.push(0);
    bytes.extend_from_slice(nonce);
    if let KeyMode::Passphrase { params, salt } = mode {
        bytes.extend_from_slice(&params.m_kib.to_be_bytes());
        bytes.extend_from_slice(&params.t.to_be_bytes());
        bytes.extend_from_slice(&params.p.to_be_bytes());
        bytes.extend_from_slice(&salt);
    }
    bytes
}

fn key_check(key: &[u8; 32], header_before_check: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new(key);
    mac.update(KEY_CHECK_LABEL);
    mac.update(header_before_check);
    mac.finish()
}

fn passphrase_key(
    passphrase: &[u8],
    salt: &[u8; SALT_LEN],
    params: Params,
    limits: &Limits,
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    params.check(limits)?;
    let mut key = Zeroizing::new([0u8; 32]);
    argon2_raw(
        &RawInput {
            variant: Variant::Argon2id,
            version: 19,
            params,
            password: passphrase,
            salt,
            secret: &[],
            associated: &[],
        },
        &mut key[..],
        &mut Workspace::new(),
    )?;
    Ok(key)
}

/// AES-256-GCM for the envelope's chunks: 96-bit nonces, 16-byte tags. [`Cipher`] (RustCrypto,
/// portable, AES-NI + PCLMULQDQ by run-time detection) is the default; a native build may pass a
/// faster implementation through [`CipherFactory`] (the CLI passes ring's stitched assembly). Any
/// implementation must produce the same bytes: the envelope format does not depend on it.
pub trait ChunkCipher {
    /// Encrypts `buf` in place and returns the tag.
    fn seal_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<[u8; TAG_LEN], CryptoError>;

    /// Writes the plaintext of `ciphertext` to `out` (same length) if `tag` matches; returns
    /// whether it matched. `out`'s contents are unspecified when it did not.
    fn open_to(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; TAG_LEN],
        out: &mut [u8],
    ) -> Result<bool, CryptoError>;
}

impl ChunkCipher for Cipher {
    fn seal_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<[u8; TAG_LEN], CryptoError> {
        Cipher::seal_in_place(self, nonce, aad, buf)
    }

    fn open_to(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; TAG_LEN],
        out: &mut [u8],
    ) -> Result<bool, CryptoError> {
        Cipher::open_to(self, nonce, aad, ciphertext, tag, out)
    }
}

/// Makes the chunk cipher from the payload key.
pub type CipherFactory = fn(&[u8; 32]) -> Box<dyn ChunkCipher>;

/// The portable [`CipherFactory`]: RustCrypto's `aes-gcm`.
pub fn portable_cipher(key: &[u8; 32]) -> Box<dyn ChunkCipher> {
    Box::new(Cipher::new(key))
}

/// State shared by sealing and opening: the payload cipher, nonce, AAD and chunk counter.
struct Stream {
    cipher: Box<dyn ChunkCipher>,
    nonce: [u8; NONCE_LEN],
    aad: Vec<u8>,
    chunk_size: usize,
    counter: u64,
    finished: bool,
}

impl Stream {
    fn new(
        key: &[u8; 32],
        header: &[u8],
        nonce: [u8; NONCE_LEN],
        chunk_log2: u8,
        aad: &[u8],
        make: CipherFactory,
    ) -> Self {
        let mut payload_key = hmac_sha256(key, PAYLOAD_KEY_LABEL);
        let cipher = make(&payload_key);
        payload_key.zeroize();
        let mut full_aad = Vec::with_capacity(header.len() + aad.len());
        full_aad.extend_from_slice(header);
        full_aad.extend_from_slice(aad);
        Self {
            cipher,
            nonce,
            aad: full_aad,
            chunk_size: 1 << chunk_log2,
            counter: 0,
            finished: false,
        }
    }

    fn chunk_nonce(&self, last: bool) -> [u8; NONCE_LEN] {
        let mut nonce = self.nonce;
        for (n, c) in nonce[3..11].iter_mut().zip(self.counter.to_be_bytes()) {
            *n ^= c;
        }
        nonce[11] ^= u8::from(last);
        nonce
    }
}

/// Seals a message chunk by chunk.
pub struct Sealer {
    stream: Stream,
}

impl Sealer {
    /// Starts a message; returns the sealer and the header to write first. `nonce` must be fresh
    /// random bytes for every message.
    pub fn new(
        key: SealKey<'_>,
        nonce: [u8; NONCE_LEN],
        chunk_log2: u8,
        aad: &[u8],
        limits: &Limits,
    ) -> Result<(Self, Vec<u8>), CryptoError> {
        Self::new_with(key, nonce, chunk_log2, aad, limits, portable_cipher)
    }

    /// [`Sealer::new`] with the chunk cipher made by `make`.
    pub fn new_with(
        key: SealKey<'_>,
        nonce: [u8; NONCE_LEN],
        chunk_log2: u8,
        aad: &[u8],
        limits: &Limits,
        make: CipherFactory,
    ) -> Result<(Self, Vec<u8>), CryptoError> {
        if !(MIN_CHUNK_LOG2..=MAX_CHUNK_LOG2).contains(&chunk_log2) {
            return Err(CryptoError::ChunkMisuse {
                reason: format!(
                    "chunk exponent {chunk_log2} (expected {MIN_CHUNK_LOG2} to {MAX_CHUNK_LOG2})"
                ),
            });
        }
        let (mode, derived);
        let key: &[u8; 32] = match key {
            SealKey::Key(key) => {
                mode = KeyMode::Key;
                key
            }
            SealKey::Passphrase {
                passphrase,
                salt,
                params,
            } => {
                mode = KeyMode::Passphrase { params, salt };
                derived = passphrase_key(passphrase, &salt, params, limits)?;
                &derived
            }
        };
        let mut header = new_header(mode, chunk_log2, &nonce);
        let check = key_check(key, &header);
        header.extend_from_slice(&check);
        let stream = Stream::new(key, &header, nonce, chunk_log2, aad, make);
        Ok((Self { stream }, header))
    }

    /// Plaintext bytes per chunk: every chunk but the last must be exactly this long.
    pub fn chunk_size(&self) -> usize {
        self.stream.chunk_size
    }

    /// Encrypts the plaintext chunk in `buf` in place and appends its tag. Every chunk before the
    /// last holds exactly [`Self::chunk_size`] bytes; the last holds up to that many, and is empty
    /// only when the whole message is.
    pub fn seal_chunk(&mut self, buf: &mut Vec<u8>, last: bool) -> Result<(), CryptoError> {
        let s = &mut self.stream;
        if s.finished {
            return Err(CryptoError::ChunkMisuse {
                reason: "a chunk after the last one".into(),
            });
        }
        let size_ok = if last {
            buf.len() <= s.chunk_size && (!buf.is_empty() || s.counter == 0)
        } else {
            buf.len() == s.chunk_size
        };
        if !size_ok {
            return Err(CryptoError::ChunkMisuse {
                reason: format!(
                    "chunk {} has {} bytes (chunk size {}, last: {last})",
                    s.counter,
                    buf.len(),
                    s.chunk_size
                ),
            });
        }
        let nonce = s.chunk_nonce(last);
        let tag = s.cipher.seal_in_place(&nonce, &s.aad, buf)?;
        buf.extend_from_slice(&tag);
        s.counter += 1;
        s.finished = last;
        Ok(())
    }
}

/// Opens a message chunk by chunk.
pub struct Opener {
    stream: Stream,
}

impl Opener {
    /// Derives the key (Argon2id for a passphrase envelope, bounded by `limits`) and checks it
    /// against the header's key commitment.
    pub fn new(
        header: &Header,
        key: OpenKey<'_>,
        aad: &[u8],
        limits: &Limits,
    ) -> Result<Self, CryptoError> {
        Self::new_with(header, key, aad, limits, portable_cipher)
    }

    /// [`Opener::new`] with the chunk cipher made by `make`.
    pub fn new_with(
        header: &Header,
        key: OpenKey<'_>,
        aad: &[u8],
        limits: &Limits,
        make: CipherFactory,
    ) -> Result<Self, CryptoError> {
        let derived;
        let key: &[u8; 32] = match (key, header.mode) {
            (OpenKey::Key(key), KeyMode::Key) => key,
            (OpenKey::Passphrase(passphrase), KeyMode::Passphrase { params, salt }) => {
                derived = passphrase_key(passphrase, &salt, params, limits)?;
                &derived
            }
            (given, mode) => {
                return Err(CryptoError::KeyModeMismatch {
                    sealed_with: mode.name(),
                    given: match given {
                        OpenKey::Key(_) => "key",
                        OpenKey::Passphrase(_) => "passphrase",
                    },
                });
            }
        };
        let split = header.len() - 32;
        let expected = key_check(key, &header.bytes[..split]);
        if !ct_eq(&expected, &header.bytes[split..]) {
            return Err(CryptoError::WrongKey);
        }
        Ok(Self {
            stream: Stream::new(
                key,
                &header.bytes,
                header.nonce,
                header.chunk_log2,
                aad,
                make,
            ),
        })
    }

    /// Sealed bytes per full chunk (chunk size + 16-byte tag): read this many at a time.
    pub fn sealed_chunk_len(&self) -> usize {
        self.stream.chunk_size + TAG_LEN
    }

    /// Checks and decrypts one sealed chunk into `out` (replacing its contents). `at_end` says
    /// whether the envelope ends right after this chunk; every chunk not at the end must be
    /// [`Self::sealed_chunk_len`] bytes. On error `out` is left empty.
    pub fn open_chunk(
        &mut self,
        chunk: &[u8],
        at_end: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), CryptoError> {
        out.clear();
        let s = &mut self.stream;
        let index = s.counter;
        if s.finished {
            return Err(CryptoError::TrailingData {
                after_chunk: index.saturating_sub(1),
            });
        }
        let full = s.chunk_size + TAG_LEN;
        if chunk.len() > full || (!at_end && chunk.len() != full) {
            return Err(CryptoError::ChunkMisuse {
                reason: format!(
                    "chunk {index} handed over with {} bytes (full chunks are {full})",
                    chunk.len()
                ),
            });
        }
        let Some(split) = chunk.len().checked_sub(TAG_LEN) else {
            return Err(truncated(format!(
                "chunk {index} has {} bytes, fewer than its {TAG_LEN}-byte tag",
                chunk.len()
            )));
        };
        let (ciphertext, tag_bytes) = chunk.split_at(split);
        let mut tag = [0u8; TAG_LEN];
        tag.copy_from_slice(tag_bytes);
        out.resize(split, 0);
        if s.cipher
            .open_to(&s.chunk_nonce(at_end), &s.aad, ciphertext, &tag, out)?
        {
            s.counter += 1;
            s.finished = at_end;
            return Ok(());
        }
        // Tell the failure apart: a chunk that opens with the other last-chunk flag means the
        // envelope was cut at a chunk boundary (at the end) or has data appended (not at the end).
        let other = s
            .cipher
            .open_to(&s.chunk_nonce(!at_end), &s.aad, ciphertext, &tag, out)?;
        out.zeroize();
        out.clear();
        Err(match (other, at_end) {
            (true, true) => truncated(format!(
                "the envelope ends after chunk {index}, which is not the final chunk"
            )),
            (true, false) => CryptoError::TrailingData { after_chunk: index },
            (false, _) => CryptoError::Tampered { chunk: index },
        })
    }

    /// Confirms that the final chunk was seen.
    pub fn finish(&self) -> Result<(), CryptoError> {
        if self.stream.finished {
            Ok(())
        } else if self.stream.counter == 0 {
            Err(truncated("no chunks after the header"))
        } else {
            Err(truncated(format!(
                "the envelope ends after chunk {}, which is not the final chunk",
                self.stream.counter - 1
            )))
        }
    }
}

/// Seals `plaintext` whole into an envelope.
pub fn seal(
    key: SealKey<'_>,
    nonce: [u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
    chunk_log2: u8,
    limits: &Limits,
) -> Result<Vec<u8>, CryptoError> {
    seal_with(
        key,
        nonce,
        aad,
        plaintext,
        chunk_log2,
        limits,
        portable_cipher,
    )
}

/// [`seal`] with the chunk cipher made by `make`.
pub fn seal_with(
    key: SealKey<'_>,
    nonce: [u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
    chunk_log2: u8,
    limits: &Limits,
    make: CipherFactory,
) -> Result<Vec<u8>, CryptoError> {
    let (mut sealer, mut out) = Sealer::new_with(key, nonce, chunk_log2, aad, limits, make)?;
    let size = sealer.chunk_size();
    let chunks = plaintext.len().div_ceil(size).max(1);
    out.reserve(plaintext.len() + chunks * TAG_LEN);
    let mut buf = Vec::with_capacity(size + TAG_LEN);
    for k in 0..chunks {
        let piece = &plaintext[k * size..((k + 1) * size).min(plaintext.len())];
        buf.clear();
        buf.extend_from_slice(piece);
        sealer.seal_chunk(&mut buf, k + 1 == chunks)?;
        out.extend_from_slice(&buf);
    }
    Ok(out)
}

/// Opens a whole envelope. The plaintext is returned only if every chunk is authentic and the
/// envelope is complete.
pub fn open(
    key: OpenKey<'_>,
    envelope: &[u8],
    aad: &[u8],
    limits: &Limits,
) -> Result<Vec<u8>, CryptoError> {
    open_with(key, envelope, aad, limits, portable_cipher)
}

/// [`open`] with the chunk cipher made by `make`.
pub fn open_with(
    key: OpenKey<'_>,
    envelope: &[u8],
    aad: &[u8],
    limits: &Limits,
    make: CipherFactory,
) -> Result<Vec<u8>, CryptoError> {
    let header = Header::parse(envelope)?;
    let mut opener = Opener::new_with(&header, key, aad, limits, make)?;
    let full = opener.sealed_chunk_len();
    let mut plaintext = Vec::with_capacity(envelope.len().saturating_sub(header.len()));
    let mut out = Vec::with_capacity(full);
    let mut pos = header.len();
    while pos < envelope.len() {
        let end = (pos + full).min(envelope.len());
        if let Err(e) = opener.open_chunk(&envelope[pos..end], end == envelope.len(), &mut out) {
            plaintext.zeroize();
            return Err(e);
        }
        plaintext.extend_from_slice(&out);
        pos = end;
    }
    out.zeroize();
    if let Err(e) = opener.finish() {
        plaintext.zeroize();
        return Err(e);
    }
    Ok(plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [0x42; 32];

    fn sealed(len: usize) -> Vec<u8> {
        let plaintext: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        seal(
            SealKey::Key(&KEY),
            [5; 12],
            b"ctx",
            &plaintext,
            10,
            &Limits::DEFAULT,
        )
        .unwrap()
    }

    #[test]
    fn layout_lengths() {
        assert_eq!(sealed(0).len(), HEADER_LEN_KEY + 16);
        assert_eq!(sealed(1024).len(), HEADER_LEN_KEY + 1024 + 16);
        assert_eq!(sealed(1025).len(), HEADER_LEN_KEY + 1025 + 32);
        assert_eq!(&sealed(3)[..8], b"CNVE\x01\x01\x0a\x00");
    }

    #[test]
    fn round_trips_at_chunk_boundaries() {
        for len in [0, 1, 1023, 1024, 1025, 2048, 5000] {
            let plaintext: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let env = sealed(len);
            assert_eq!(
                open(OpenKey::Key(&KEY), &env, b"ctx", &Limits::DEFAULT).unwrap(),
                plaintext
            );
        }
    }

    #[test]
    fn sealer_refuses_misuse() {
        let (mut s, _) =
            Sealer::new(SealKey::Key(&KEY), [0; 12], 10, b"", &Limits::DEFAULT).unwrap();
        assert!(s.seal_chunk(&mut vec![0; 10], false).is_err());
        assert!(s.seal_chunk(&mut vec![0; 1024], false).is_ok());
        assert!(s.seal_chunk(&mut Vec::new(), true).is_err());
        assert!(s.seal_chunk(&mut vec![0; 3], true).is_ok());
        assert!(s.seal_chunk(&mut vec![0; 3], true).is_err());
        assert!(Sealer::new(SealKey::Key(&KEY), [0; 12], 9, b"", &Limits::DEFAULT).is_err());
    }
}
