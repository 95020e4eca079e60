//! Argon2id password hashing in PHC string form, with bounded parameters and batch hash/verify
//! within a memory budget.
//!
//! Hashing always uses Argon2id v19 (RFC 9106), 16-byte salts from the caller and 32-byte tags:
//! `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<tag>` (B64 without padding). Verifying reads the
//! algorithm (argon2id, argon2i, argon2d), version (19, or 16 when `v=` is absent) and parameters
//! from the string, refuses parameters above [`Limits`] before allocating anything, and compares
//! tags in constant time. The PHC string is parsed here rather than by `password-hash` so that a
//! malformed hash says which field is wrong.
//!
//! Argon2 memory is reserved fallibly (an absurd `m` is an error, never an abort) and zeroized
//! after use. Batches run `concurrency` workers, each reusing one memory area, so peak memory is
//! `concurrency x m` KiB: [`concurrency_for_budget`] picks `concurrency` from a budget.

use argon2::{Algorithm, Argon2, AssociatedData, Block, ParamsBuilder, Version};
use base64ct::{Base64Unpadded, Encoding};
use zeroize::Zeroize;

use super::CryptoError;

/// Salt length used when hashing.
pub const SALT_LEN: usize = 16;
/// Tag length used when hashing.
pub const OUTPUT_LEN: usize = 32;

/// Argon2 cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes over memory.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl Params {
    /// OWASP's Argon2id recommendation: 19 MiB, 2 passes, 1 lane.
    pub const DEFAULT: Self = Self {
        m_kib: 19_456,
        t: 2,
        p: 1,
    };

    /// Refuses parameters Argon2 rejects, and parameters above `limits`.
    pub fn check(&self, limits: &Limits) -> Result<(), CryptoError> {
        if self.p == 0 || self.p > 0x00FF_FFFF {
            return Err(CryptoError::InvalidParams {
                reason: format!("p = {} (lanes must be 1 to 16777215)", self.p),
            });
        }
        if self.t == 0 {
            return Err(CryptoError::InvalidParams {
                reason: "t = 0 (at least one pass)".into(),
            });
        }
        if u64::from(self.m_kib) < 8 * u64::from(self.p) {
            return Err(CryptoError::InvalidParams {
                reason: format!("m = {} KiB is below 8 x p = {}", self.m_kib, 8 * self.p),
            });
        }
        for (what, value, limit) in [
            ("memory m (KiB)", self.m_kib, limits.max_m_kib),
            ("passes t", self.t, limits.max_t),
            ("lanes p", self.p, limits.max_p),
        ] {
            if value > limit {
                return Err(CryptoError::ParamsTooCostly {
                    what,
                    value: u64::from(value),
                    limit: u64::from(limit),
                });
            }
        }
        Ok(())
    }
}

impl Default for Params {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Upper bounds on parameters read from a hash or given by a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_m_kib: u32,
    pub max_t: u32,
    pub max_p: u32,
}

impl Limits {
    /// 1 GiB, 64 passes, 64 lanes: above any published recommendation.
    pub const DEFAULT: Self = Self {
        max_m_kib: 1 << 20,
        max_t: 64,
        max_p: 64,
    };
    /// No limit beyond Argon2's own (for `--force`).
    pub const NONE: Self = Self {
        max_m_kib: u32::MAX,
        max_t: u32::MAX,
        max_p: 0x00FF_FFFF,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The Argon2 variant named in a PHC string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Argon2d,
    Argon2i,
    Argon2id,
}

impl Variant {
    pub fn name(self) -> &'static str {
        match self {
            Self::Argon2d => "argon2d",
            Self::Argon2i => "argon2i",
            Self::Argon2id => "argon2id",
        }
    }

    fn algorithm(self) -> Algorithm {
        match self {
            Self::Argon2d => Algorithm::Argon2d,
            Self::Argon2i => Algorithm::Argon2i,
            Self::Argon2id => Algorithm::Argon2id,
        }
    }
}

/// A parsed PHC string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhcHash {
    pub variant: Variant,
    /// 19 (0x13) or 16 (0x10).
    pub version: u32,
    pub params: Params,
    pub salt: Vec<u8>,
    pub tag: Vec<u8>,
}

fn malformed(field: &'static str, reason: impl Into<String>) -> CryptoError {
    CryptoError::MalformedHash {
        field,
        reason: reason.into(),
    }
}

impl PhcHash {
    /// Parses `$argon2id$v=19$m=..,t=..,p=..$<salt>$<tag>`.
    pub fn parse(text: &str) -> Result<Self, CryptoError> {
        let text = text.trim();
        let Some(rest) = text.strip_prefix('$') else {
            return Err(malformed("start", "a PHC string starts with `$`"));
        };
        let fields: Vec<&str> = rest.split('$').collect();
        let (variant, version, params, salt, tag) = match fields.as_slice() {
            [a, v, p, s, h] if v.starts_with("v=") => (*a, Some(*v), *p, *s, *h),
            [a, p, s, h] if !p.starts_with("v=") => (*a, None, *p, *s, *h),
            _ => {
                return Err(malformed(
                    "structure",
                    format!(
                        "{} `$`-separated fields; expected $alg$v=19$params$salt$hash",
                        fields.len()
                    ),
                ));
            }
        };
        let variant = match variant {
            "argon2id" => Variant::Argon2id,
            "argon2i" => Variant::Argon2i,
            "argon2d" => Variant::Argon2d,
            other => {
                return Err(malformed(
                    "algorithm",
                    format!("`{other}` is not argon2id, argon2i or argon2d"),
                ));
            }
        };
        let version = match version {
            None => 16,
            Some("v=19") => 19,
            Some("v=16") => 16,
            Some(other) => {
                return Err(malformed(
                    "version",
                    format!("`{other}` (expected v=19 or v=16)"),
                ));
            }
        };
        let params = parse_params(params)?;
        let salt = Base64Unpadded::decode_vec(salt)
            .map_err(|e| malformed("salt", format!("invalid B64: {e}")))?;
        if !(8..=64).contains(&salt.len()) {
            return Err(malformed(
                "salt",
                format!("{} bytes (expected 8 to 64)", salt.len()),
            ));
        }
        let tag = Base64Unpadded::decode_vec(tag)
            .map_err(|e| malformed("hash", format!("invalid B64: {e}")))?;
        if !(4..=64).contains(&tag.len()) {
            return Err(malformed(
                "hash",
                format!("{} bytes (expected 4 to 64)", tag.len()),
            ));
        }
        Ok(Self {
            variant,
            version,
            params,
            salt,
            tag,
        })
    }

    /// The PHC string.
    pub fn encode(&self) -> String {
        let version = if self.version == 16 {
            String::new()
        } else {
            format!("v={}$", self.version)
        };
        format!(
            "${}${version}m={},t={},p={}${}${}",
            self.variant.name(),
            self.params.m_kib,
            self.params.t,
            self.params.p,
            Base64Unpadded::encode_string(&self.salt),
            Base64Unpadded::encode_string(&self.tag)
        )
    }
}

fn parse_params(text: &str) -> Result<Params, CryptoError> {
    let mut values = [None::<u32>; 3];
    for (k, part) in text.split(',').enumerate() {
        let Some((name, value)) = part.split_once('=') else {
            return Err(malformed(
                "parameters",
                format!("item {} `{part}` is not name=value", k + 1),
            ));
        };
        let slot = match name {
            "m" => 0,
            "t" => 1,
            "p" => 2,
            other => {
                return Err(malformed(
                    "parameters",
                    format!("unknown parameter `{other}` (expected m, t, p)"),
                ));
            }
        };
        if slot != k {
            return Err(malformed(
                "parameters",
                format!("`{name}` out of order (expected m, t, p)"),
            ));
        }
        // PHC decimals: no sign, no leading zero, at most 10 digits.
        let valid = !value.is_empty()
            && value.len() <= 10
            && value.bytes().all(|b| b.is_ascii_digit())
            && (value == "0" || !value.starts_with('0'));
        let parsed = value.parse::<u32>().ok().filter(|_| valid);
        values[slot] = Some(parsed.ok_or_else(|| {
            malformed("parameters", format!("{name} = `{value}` is not a decimal"))
        })?);
    }
    match values {
        [Some(m_kib), Some(t), Some(p)] => Ok(Params { m_kib, t, p }),
        _ => Err(malformed("parameters", "expected m=..,t=..,p=..")),
    }
}

/// Reusable Argon2 memory, zeroized when dropped or resized.
#[derive(Default)]
pub struct Workspace {
    blocks: Vec<Block>,
}

impl Workspace {
    pub fn new() -> Self {
        Self::default()
    }

    fn blocks(&mut self, count: usize, m_kib: u32) -> Result<&mut [Block], CryptoError> {
        if self.blocks.len() != count {
            self.blocks.zeroize();
            self.blocks = Vec::new();
            self.blocks
                .try_reserve_exact(count)
                .map_err(|_| CryptoError::OutOfMemory {
                    kib: u64::from(m_kib),
                })?;
            self.blocks.resize(count, Block::default());
        }
        Ok(&mut self.blocks)
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        self.blocks.zeroize();
    }
}

/// Inputs of a raw Argon2 computation (RFC 9106 section 3.1).
#[derive(Debug, Clone, Copy)]
pub struct RawInput<'a> {
    pub variant: Variant,
    pub version: u32,
    pub params: Params,
    pub password: &'a [u8],
    pub salt: &'a [u8],
    /// Secret value K (up to 32 bytes here).
    pub secret: &'a [u8],
    /// Associated data X (up to 32 bytes here).
    pub associated: &'a [u8],
}

/// Raw Argon2 tag of `out.len()` bytes (no limits applied: check `params` first).
pub fn argon2_raw(
    input: &RawInput<'_>,
    out: &mut [u8],
    workspace: &mut Workspace,
) -> Result<(), CryptoError> {
    let invalid = |e: argon2::Error| CryptoError::InvalidParams {
        reason: e.to_string(),
    };
    let version = match input.version {
        19 => Version::V0x13,
        16 => Version::V0x10,
        other => {
            return Err(CryptoError::InvalidParams {
                reason: format!("version {other} (expected 19 or 16)"),
            });
        }
    };
    let mut builder = ParamsBuilder::new();
    builder
        .m_cost(input.params.m_kib)
        .t_cost(input.params.t)
        .p_cost(input.params.p)
        .output_len(out.len());
    if !input.associated.is_empty() {
        builder.data(AssociatedData::new(input.associated).map_err(invalid)?);
    }
    let params = builder.build().map_err(invalid)?;
    let blocks = workspace.blocks(params.block_count(), input.params.m_kib)?;
    let argon = if input.secret.is_empty() {
        Argon2::new(input.variant.algorithm(), version, params)
    } else {
        Argon2::new_with_secret(input.secret, input.variant.algorithm(), version, params)
            .map_err(invalid)?
    };
    argon
        .hash_password_into_with_memory(input.password, input.salt, out, blocks)
        .map_err(invalid)
}

/// Argon2id v19 of `password` with `salt` (16 bytes): a PHC string.
pub fn hash_password(
    password: &[u8],
    salt: &[u8; SALT_LEN],
    params: Params,
    limits: &Limits,
) -> Result<String, CryptoError> {
    hash_password_with(password, salt, params, limits, &mut Workspace::new())
}

/// [`hash_password`] reusing `workspace`.
pub fn hash_password_with(
    password: &[u8],
    salt: &[u8; SALT_LEN],
    params: Params,
    limits: &Limits,
    workspace: &mut Workspace,
) -> Result<String, CryptoError> {
    params.check(limits)?;
    let mut tag = [0u8; OUTPUT_LEN];
    argon2_raw(
        &RawInput {
            variant: Variant::Argon2id,
            version: 19,
            params,
            password,
            salt,
            secret: &[],
            associated: &[],
        },
        &mut tag,
        workspace,
    )?;
    Ok(PhcHash {
        variant: Variant::Argon2id,
        version: 19,
        params,
        salt: salt.to_vec(),
        tag: tag.to_vec(),
    }
    .encode())
}

/// Whether `password` matches the PHC string `hash` (Ok(false) on mismatch; Err when the hash is
/// malformed or its parameters exceed `limits`).
pub fn verify_password(password: &[u8], hash: &str, limits: &Limits) -> Result<bool, CryptoError> {
    verify_password_with(password, hash, limits, &mut Workspace::new())
}

/// [`verify_password`] reusing `workspace`.
pub fn verify_password_with(
    password: &[u8],
    hash: &str,
    limits: &Limits,
    workspace: &mut Workspace,
) -> Result<bool, CryptoError> {
    let phc = PhcHash::parse(hash)?;
    phc.params.check(limits)?;
    let mut out = vec![0u8; phc.tag.len()];
    argon2_raw(
        &RawInput {
            variant: phc.variant,
            version: phc.version,
            params: phc.params,
            password,
            salt: &phc.salt,
            secret: &[],
            associated: &[],
        },
        &mut out,
        workspace,
    )?;
    let matched = super::ct_eq(&out, &phc.tag);
    out.zeroize();
    Ok(matched)
}

/// How many Argon2 computations of `m_kib` may run at once within `budget_kib`, at most
/// `threads` and at least one.
pub fn concurrency_for_budget(budget_kib: u64, m_kib: u32, threads: usize) -> usize {
    let fit = budget_kib / u64::from(m_kib.max(1));
    usize::try_from(fit)
        .unwrap_or(usize::MAX)
        .clamp(1, threads.max(1))
}

/// Runs `f(workspace, i)` for `0..count` on `concurrency` workers (worker `w` takes the items
/// `i = w, w + concurrency, ...` with one reused workspace); results in item order.
fn run_batch<T, F>(count: usize, concurrency: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(&mut Workspace, usize) -> T + Sync + Send,
{
    let workers = concurrency.clamp(1, count.max(1));
    let per_worker = crate::par::map_tasks(workers, |w| {
        let mut workspace = Workspace::new();
        (w..count)
            .step_by(workers)
            .map(|i| f(&mut workspace, i))
            .collect::<Vec<T>>()
    });
    let mut iters: Vec<_> = per_worker.into_iter().map(Vec::into_iter).collect();
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        if let Some(item) = iters[i % workers].next() {
            out.push(item);
        }
    }
    out
}

/// Hashes each password with its salt; at most `concurrency` at once (peak memory
/// `concurrency x params.m_kib` KiB). Errors if `salts` and `passwords` differ in length.
pub fn hash_passwords(
    passwords: &[&[u8]],
    salts: &[[u8; SALT_LEN]],
    params: Params,
    limits: &Limits,
    concurrency: usize,
) -> Result<Vec<String>, CryptoError> {
    params.check(limits)?;
    if passwords.len() != salts.len() {
        return Err(CryptoError::InvalidParams {
            reason: format!("{} passwords but {} salts", passwords.len(), salts.len()),
        });
    }
    run_batch(passwords.len(), concurrency, |ws, i| {
        hash_password_with(passwords[i], &salts[i], params, limits, ws)
    })
    .into_iter()
    .collect()
}

/// Verifies each `(password, hash)`; one result per item, at most `concurrency` at once.
pub fn verify_passwords(
    items: &[(&[u8], &str)],
    limits: &Limits,
    concurrency: usize,
) -> Vec<Result<bool, CryptoError>> {
    run_batch(items.len(), concurrency, |ws, i| {
        verify_password_with(items[i].0, items[i].1, limits, ws)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Params = Params {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    #[test]
    fn hash_then_verify() {
        let hash = hash_password(b"hunter2", &[1; 16], SMALL, &Limits::DEFAULT).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$AQEBAQEBAQEBAQEBAQEBAQ$"));
        assert_eq!(
            verify_password(b"hunter2", &hash, &Limits::DEFAULT),
            Ok(true)
        );
        assert_eq!(
            verify_password(b"hunter3", &hash, &Limits::DEFAULT),
            Ok(false)
        );
    }

    #[test]
    fn malformed_hashes_name_the_field() {
        let cases = [
            (
                "argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAA",
                "start",
            ),
            (
                "$argon2x$v=19$m=64,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAA",
                "algorithm",
            ),
            (
                "$argon2id$v=18$m=64,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAA",
                "version",
            ),
            (
                "$argon2id$v=19$m=64,t=1$AAAAAAAAAAA$AAAAAAAAAAA",
                "parameters",
            ),
            (
                "$argon2id$v=19$t=1,m=64,p=1$AAAAAAAAAAA$AAAAAAAAAAA",
                "parameters",
            ),
            (
                "$argon2id$v=19$m=064,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAA",
                "parameters",
            ),
            ("$argon2id$v=19$m=64,t=1,p=1$AA!A$AAAAAAAAAAA", "salt"),
            ("$argon2id$v=19$m=64,t=1,p=1$AAAA$AAAAAAAAAAA", "salt"),
            ("$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAA$AA", "hash"),
            ("$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAA", "structure"),
        ];
        for (text, field) in cases {
            match PhcHash::parse(text) {
                Err(CryptoError::MalformedHash { field: f, .. }) => assert_eq!(f, field, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn limits_refuse_absurd_parameters_before_allocating() {
        let huge = "$argon2id$v=19$m=4294967295,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAA";
        assert!(matches!(
            verify_password(b"x", huge, &Limits::DEFAULT),
            Err(CryptoError::ParamsTooCostly {
                what: "memory m (KiB)",
                ..
            })
        ));
        let params = Params {
            m_kib: 64,
            t: 65,
            p: 1,
        };
        assert!(matches!(
            params.check(&Limits::DEFAULT),
            Err(CryptoError::ParamsTooCostly {
                what: "passes t",
                ..
            })
        ));
        assert!(params.check(&Limits::NONE).is_ok());
        assert!(matches!(
            Params {
                m_kib: 8,
                t: 1,
                p: 2
            }
            .check(&Limits::DEFAULT),
            Err(CryptoError::InvalidParams { .. })
        ));
    }

    #[test]
    fn batch_equals_one_by_one_at_any_concurrency() {
        let passwords: Vec<Vec<u8>> = (0..7).map(|i| format!("pw{i}").into_bytes()).collect();
        let refs: Vec<&[u8]> = passwords.iter().map(Vec::as_slice).collect();
        let salts: Vec<[u8; 16]> = (0..7).map(|i| [i as u8; 16]).collect();
        let one: Vec<String> = (0..7)
            .map(|i| hash_password(refs[i], &salts[i], SMALL, &Limits::DEFAULT).unwrap())
            .collect();
        for concurrency in [1, 2, 3, 16] {
            let batch = hash_passwords(&refs, &salts, SMALL, &Limits::DEFAULT, concurrency);
            assert_eq!(batch.as_ref(), Ok(&one));
            let items: Vec<(&[u8], &str)> = (0..7)
                .map(|i| (refs[(i + (i % 2)) % 7], one[i].as_str()))
                .collect();
            let verdicts = verify_passwords(&items, &Limits::DEFAULT, concurrency);
            let expected: Vec<Result<bool, CryptoError>> = (0..7).map(|i| Ok(i % 2 == 0)).collect();
            assert_eq!(verdicts, expected);
        }
    }

    #[test]
    fn budget_bounds_concurrency() {
        assert_eq!(concurrency_for_budget(1 << 20, 19_456, 8), 8);
        assert_eq!(concurrency_for_budget(40_000, 19_456, 8), 2);
        assert_eq!(concurrency_for_budget(1, 19_456, 8), 1);
    }
}
