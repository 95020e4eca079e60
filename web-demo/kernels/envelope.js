// conclave's AES-256-GCM envelope, version 1, written and read with WebCrypto (`crypto.subtle`)
// from docs/crypto.md alone: the JS side of the demo's AES-GCM kernel. Raw-key envelopes (key
// mode 1) only: WebCrypto has no Argon2id, so a passphrase envelope (mode 2) is refused by name.
//
//   header  "CNVE" | 01 | 01 (key) | e | 00 | nonce N (12) | C = HMAC-SHA256(K, "conclave envelope v1 key check" || header[0..20])
//   Kp      HMAC-SHA256(K, "conclave envelope v1 payload key")
//   chunk i AES-256-GCM(Kp, N xor (00 00 00 || i as 8 bytes big-endian || last), header || aad, P_i)
//
// Every chunk but the last holds 2^e plaintext bytes; an empty plaintext is one empty last chunk.
// `seal` draws N from crypto.getRandomValues, as the npm package's `encrypt` does, unless a nonce
// is given (the demo re-seals with the nonce of a WASM envelope to compare the bytes).

const MAGIC = [0x43, 0x4e, 0x56, 0x45];
const HEADER_LEN = 52;
const NONCE_AT = 8;
const CHECK_AT = 20;
const TAG = 16;
const DEFAULT_CHUNK_LOG2 = 16;
const ascii = (s) => new TextEncoder().encode(s);
const KEY_CHECK = ascii("conclave envelope v1 key check");
const PAYLOAD_KEY = ascii("conclave envelope v1 payload key");

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function hmac(key, data) {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, data));
}

/** The AES-GCM key Kp for K (32 bytes). */
async function payloadKey(key) {
  const kp = await hmac(key, PAYLOAD_KEY);
  const k = await crypto.subtle.importKey("raw", kp, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  kp.fill(0);
  return k;
}

/** nonce_i = N xor (00 00 00 || i (8 bytes, big-endian) || last). */
function chunkNonce(n, i, last) {
  const out = n.slice();
  const hi = Math.floor(i / 2 ** 32);
  const lo = i >>> 0;
  const word = [hi >>> 24, (hi >>> 16) & 255, (hi >>> 8) & 255, hi & 255, lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255];
  for (let k = 0; k < 8; k++) out[3 + k] ^= word[k];
  if (last) out[11] ^= 1;
  return out;
}

function checkKey(key) {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new Error("the key must be 32 bytes");
}

/**
 * Seals `data` (Uint8Array) under the 32-byte `key` with associated data `aad` (bytes): the
 * envelope bytes. Options: `chunkLog2` (10..24, default 16), `nonce` (12 bytes; default random).
 * All chunks are handed to WebCrypto at once (it may run them off this thread), then collected.
 */
export async function seal(key, data, aad = new Uint8Array(0), { chunkLog2 = DEFAULT_CHUNK_LOG2, nonce } = {}) {
  checkKey(key);
  if (!(chunkLog2 >= 10 && chunkLog2 <= 24)) throw new Error(`chunkLog2 must be 10..24, got ${chunkLog2}`);
  const n = nonce ?? crypto.getRandomValues(new Uint8Array(12));
  if (n.length !== 12) throw new Error("the nonce must be 12 bytes");
  const header = new Uint8Array(HEADER_LEN);
  header.set(MAGIC, 0);
  header.set([1, 1, chunkLog2, 0], 4);
  header.set(n, NONCE_AT);
  header.set(await hmac(key, concat(KEY_CHECK, header.subarray(0, CHECK_AT))), CHECK_AT);
  const kp = await payloadKey(key);
  const additionalData = concat(header, aad);
  const size = 2 ** chunkLog2;
  const chunks = Math.max(1, Math.ceil(data.length / size));
  const sealed = [];
  for (let i = 0; i < chunks; i++) {
    const piece = data.subarray(i * size, Math.min(data.length, (i + 1) * size));
    const iv = chunkNonce(n, i, i + 1 === chunks);
    sealed.push(crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData, tagLength: 128 }, kp, piece));
  }
  const out = new Uint8Array(HEADER_LEN + data.length + TAG * chunks);
  out.set(header, 0);
  let at = HEADER_LEN;
  for (const c of await Promise.all(sealed)) {
    out.set(new Uint8Array(c), at);
    at += c.byteLength;
  }
  return out;
}

/** The nonce N of an envelope (bytes 8..20), for re-sealing the same plaintext byte for byte. */
export const envelopeNonce = (envelope) => envelope.slice(NONCE_AT, NONCE_AT + 12);

/**
 * Opens an envelope sealed under the 32-byte `key` with `aad`: the plaintext, only if the key
 * check matches, every chunk is authentic and the last chunk is the final one. Errors name the
 * failure as docs/crypto.md's reader does (not an envelope, version, wrong key, chunk N, truncated,
 * appended data).
 */
export async function open(key, envelope, aad = new Uint8Array(0)) {
  checkKey(key);
  if (!(envelope instanceof Uint8Array)) throw new Error("the envelope must be a Uint8Array");
  if (MAGIC.some((b, i) => i < envelope.length && envelope[i] !== b)) throw new Error("not a conclave envelope");
  if (envelope.length < 8) throw new Error("truncated envelope: shorter than the header");
  if (envelope[4] !== 1) throw new Error(`envelope version ${envelope[4]} is not supported`);
  if (envelope[5] === 2) throw new Error("a passphrase envelope: WebCrypto has no Argon2id, so the JS reader opens raw-key envelopes only");
  const e = envelope[6];
  if (envelope[5] !== 1 || e < 10 || e > 24 || envelope[7] !== 0) throw new Error("malformed envelope header");
  if (envelope.length < HEADER_LEN) throw new Error("truncated envelope: shorter than the header");
  const header = envelope.subarray(0, HEADER_LEN);
  const check = await hmac(key, concat(KEY_CHECK, header.subarray(0, CHECK_AT)));
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= check[i] ^ header[CHECK_AT + i];
  if (diff !== 0) throw new Error("wrong key or passphrase");
  const kp = await payloadKey(key);
  const additionalData = concat(header, aad);
  const n = header.slice(NONCE_AT, NONCE_AT + 12);
  const full = 2 ** e + TAG;
  const pieces = [];
  for (let pos = HEADER_LEN, i = 0; pos < envelope.length || i === 0; pos += full, i++) {
    const end = Math.min(envelope.length, pos + full);
    if (end - pos < TAG) throw new Error(`truncated envelope: chunk ${i} is shorter than its tag`);
    pieces.push({ i, last: end === envelope.length, bytes: envelope.subarray(pos, end) });
  }
  const opened = pieces.map(({ i, last, bytes }) =>
    crypto.subtle.decrypt({ name: "AES-GCM", iv: chunkNonce(n, i, last), additionalData, tagLength: 128 }, kp, bytes).then(
      (p) => new Uint8Array(p),
      async () => {
        // Which failure: the same bytes opening with the other last-chunk flag tell truncation
        // (a final piece sealed as not-last) and appended data (a not-final piece sealed as last).
        const other = { name: "AES-GCM", iv: chunkNonce(n, i, !last), additionalData, tagLength: 128 };
        const flipped = await crypto.subtle.decrypt(other, kp, bytes).then(() => true, () => false);
        if (flipped && last) throw new Error(`truncated envelope: the envelope ends after chunk ${i}, which is not the final chunk`);
        if (flipped) throw new Error(`data appended after the final chunk ${i}`);
        throw new Error(`chunk ${i} failed authentication`);
      },
    ),
  );
  // Settle all, then report the first failing chunk in chunk order (and leave no rejection unheard).
  const settled = await Promise.allSettled(opened);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return concat(...settled.map((r) => r.value));
}
