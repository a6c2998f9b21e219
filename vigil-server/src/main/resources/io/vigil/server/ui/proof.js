// Checks an event's integrity in the browser, with WebCrypto only, as docs/ledger-format.md defines every byte:
//   1. the entry's hash, recomputed from its canonical content (RFC 8785) as the RFC 6962 leaf hash SHA-256(0x00 || C);
//   2. the inclusion proof, from that leaf to the tree's root (RFC 9162 section 2.1.3.2);
//   3. the signed checkpoint: its root and size are the proof's, its Ed25519 signature verifies under the verifier key.
// Nothing here trusts the server's own verdict: the server supplies the data and the key, the browser does the math.

const encoder = new TextEncoder();
const EM_DASH = '\u2014 ';

/** RFC 8785 serialization: members sorted by UTF-16 code units, no whitespace, ECMAScript numbers and strings. */
export function canonicalize(value) {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error('not a JSON number: ' + value);
    }
    // JSON.stringify is exactly RFC 8785 for strings, numbers (shortest round trip, -0 as 0), true, false and null.
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return '[' + value.map(canonicalize).join(',') + ']';
  }
  // Array.prototype.sort compares UTF-16 code units, as RFC 8785 sorts member names.
  const names = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return '{' + names.map((k) => JSON.stringify(k) + ':' + canonicalize(value[k])).join(',') + '}';
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex) {
  if (typeof hex !== 'string' || !/^([0-9a-f]{2})*$/.test(hex)) {
    throw new Error('not lowercase hex: ' + String(hex).slice(0, 80));
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(hex.substr(2 * i, 2), 16);
  }
  return out;
}

function fromBase64(text) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new Error('not standard base64: ' + text.slice(0, 80));
  }
  const raw = atob(text);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equalBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

function requireCrypto() {
  if (!globalThis.crypto || !crypto.subtle) {
    throw new Error('this page has no WebCrypto: open the viewer over HTTPS or on 127.0.0.1/localhost');
  }
}

/** The entry's hash in plain mode: hex(SHA-256(0x00 || C)), C the canonical entry without its hash. */
export async function entryHash(entry) {
  const content = Object.assign({}, entry);
  delete content.hash;
  return toHex(await sha256(concat(Uint8Array.of(0), encoder.encode(canonicalize(content)))));
}

/** The root an inclusion proof leads to from the leaf at leafIndex of a tree of treeSize leaves (RFC 9162). */
export async function rootFromInclusion(leafIndex, treeSize, leaf, path) {
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize) - 1n;
  if (fn < 0n || fn > sn) {
    throw new Error('leaf ' + leafIndex + ' is not in a tree of ' + treeSize);
  }
  let r = leaf;
  for (const hex of path) {
    const p = fromHex(hex);
    if (sn === 0n) {
      throw new Error('the path is longer than a tree of ' + treeSize + ' allows');
    }
    if ((fn & 1n) === 1n || fn === sn) {
      r = await sha256(concat(Uint8Array.of(1), p, r));
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await sha256(concat(Uint8Array.of(1), r, p));
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) {
    throw new Error('the path is shorter than a tree of ' + treeSize + ' needs');
  }
  return r;
}

/** A C2SP note verifier key, name+keyID+base64(0x01 || Ed25519 public key), with its key ID checked. */
export async function parseVerifierKey(text) {
  // The key's base64 may hold '+' too: the name ends at the first '+', the key ID is the next 8 hex digits.
  const parts = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(String(text));
  if (!parts) {
    throw new Error('not a verifier key (name+keyid+key): ' + String(text).slice(0, 80));
  }
  parts.shift();
  const raw = fromBase64(parts[2]);
  if (raw.length !== 33 || raw[0] !== 1) {
    throw new Error('the verifier key is not an Ed25519 key');
  }
  const id = (await sha256(concat(encoder.encode(parts[0] + '\n'), raw))).slice(0, 4);
  if (toHex(id) !== parts[1]) {
    throw new Error('the verifier key\'s ID does not match its name and key');
  }
  return { name: parts[0], id, publicKey: raw.slice(1) };
}

/** A signed checkpoint note: its body (origin, size, root) and signature lines. */
export function parseNote(text) {
  const split = String(text).indexOf('\n\n');
  if (split < 0) {
    throw new Error('not a signed note: no blank line before the signatures');
  }
  const body = text.slice(0, split + 1);
  const lines = body.split('\n');
  if (lines.length < 4 || !/^(0|[1-9][0-9]*)$/.test(lines[1])) {
    throw new Error('not a checkpoint: origin, size and root expected');
  }
  const root = fromBase64(lines[2]);
  if (root.length !== 32) {
    throw new Error('the checkpoint\'s root is not 32 bytes');
  }
  const signatures = text.slice(split + 2).split('\n').filter((l) => l !== '').map((l) => {
    if (!l.startsWith(EM_DASH)) {
      throw new Error('not a signature line: ' + l.slice(0, 80));
    }
    const [name, sig] = l.slice(EM_DASH.length).split(' ');
    return { name, bytes: fromBase64(sig || '') };
  });
  return { body, origin: lines[0], size: lines[1], root, signatures };
}

/**
 * Verifies a signed checkpoint note under a verifier key; returns {origin, size, root (hex)} or throws saying why.
 */
export async function verifyCheckpoint(noteText, verifierKey) {
  requireCrypto();
  const key = await parseVerifierKey(verifierKey);
  const note = parseNote(noteText);
  const sig = note.signatures.find((s) => s.name === key.name && s.bytes.length === 68
      && equalBytes(s.bytes.slice(0, 4), key.id));
  if (!sig) {
    throw new Error('the note has no signature by ' + key.name + ' (key ID ' + toHex(key.id) + ')');
  }
  const publicKey = await crypto.subtle.importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']);
  const valid = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, sig.bytes.slice(4),
      encoder.encode(note.body));
  if (!valid) {
    throw new Error('the Ed25519 signature does not verify under ' + key.name);
  }
  return { origin: note.origin, size: note.size, root: toHex(note.root) };
}

async function step(name, title, check) {
  try {
    const detail = await check();
    return { name, title, status: detail.skipped ? 'skipped' : 'passed', detail: detail.text };
  } catch (e) {
    return { name, title, status: 'failed', detail: e.message };
  }
}

/**
 * Checks an event as GET /v1/events/{id} gives it ({entry, proof}) against the server's verifier key. Every step
 * runs, so a failure names each step that failed: {ok, steps: [{name, title, status, detail}]}, status being
 * passed, failed or skipped (a keyed ledger's hash needs its HMAC key, which the browser does not have).
 */
export async function verifyEvent(entry, proof, verifierKey) {
  requireCrypto();
  const steps = [];
  steps.push(await step('hash', 'Entry hash recomputed from its content', async () => {
    if (proof.leafIndex !== entry.seq) {
      throw new Error('the proof is for seq ' + proof.leafIndex + ', the entry is seq ' + entry.seq);
    }
    if (proof.leafHash !== entry.hash) {
      throw new Error('the proof\'s leaf is ' + proof.leafHash + ', the entry\'s hash is ' + entry.hash);
    }
    if (typeof proof.entry === 'string' && canonicalize(entry) !== proof.entry) {
      throw new Error('the entry differs from the ledger\'s stored line');
    }
    if (proof.mode === 'keyed') {
      return { skipped: true, text: 'keyed ledger: the hash is an HMAC and cannot be re-checked without the key' };
    }
    const computed = await entryHash(entry);
    if (computed !== entry.hash) {
      throw new Error('SHA-256(0x00 || content) is ' + computed + ', the entry says ' + entry.hash);
    }
    return { text: 'SHA-256(0x00 || canonical entry) = ' + computed };
  }));
  steps.push(await step('inclusion', 'Inclusion proof from the entry to the root', async () => {
    const root = toHex(await rootFromInclusion(proof.leafIndex, proof.treeSize, fromHex(entry.hash), proof.path));
    if (root !== proof.root) {
      throw new Error('the path leads to ' + root + ', not to the root ' + proof.root);
    }
    return { text: proof.path.length + ' hashes lead from leaf ' + proof.leafIndex + ' to root ' + root
        + ' of ' + proof.treeSize + ' entries' };
  }));
  steps.push(await step('checkpoint', 'Root signed in the checkpoint', async () => {
    if (typeof proof.checkpoint !== 'string') {
      throw new Error('the proof carries no signed checkpoint');
    }
    const cp = await verifyCheckpoint(proof.checkpoint, verifierKey);
    if (cp.root !== proof.root || cp.size !== String(proof.treeSize)) {
      throw new Error('the checkpoint signs root ' + cp.root + ' of ' + cp.size + ' entries, the proof has '
          + proof.root + ' of ' + proof.treeSize);
    }
    if (proof.origin !== undefined && cp.origin !== proof.origin) {
      throw new Error('the checkpoint is of ' + cp.origin + ', the proof of ' + proof.origin);
    }
    return { text: 'Ed25519 signature of ' + cp.origin + ' at size ' + cp.size + ' verifies under '
        + verifierKey.split('+', 2).join('+') };
  }));
  return { ok: steps.every((s) => s.status !== 'failed'), steps };
}
