// The Vigil viewer: sign in with a key, filter and page through events, open one and check its proof in the browser,
// see the timeline, the security findings and the latest checkpoint, export an evidence bundle. The first load asks
// for one page of events, the timeline aggregate and the checkpoint; never the whole ledger.

import { verifyCheckpoint, verifyEvent } from './proof.js';
import { drawTimeline } from './timeline.js';

// io.vigil.event.Category, in its order (the browser test checks they agree).
const CATEGORIES = ['auth', 'authz', 'admin', 'config', 'rate_limit', 'channel', 'session', 'data', 'security',
  'audit'];
const FILTERS = ['since', 'until', 'category', 'type', 'outcome', 'actor', 'ip', 'resource'];
const PAGE = 50;
const FINDINGS = 10;
// Session storage only: the key lives as long as the tab, is never written to disk by the page, never in a URL.
const KEY = 'vigil.key';

const $ = (id) => document.getElementById(id);
const state = { filters: {}, cursors: [], next: null, rows: [], verifierKey: null, lastFocus: null };

class SignedOut extends Error {
}

function key() {
  return sessionStorage.getItem(KEY);
}

async function api(path) {
  const r = await fetch(path, { headers: { Authorization: 'Bearer ' + key() }, cache: 'no-store' });
  if (r.status === 401) {
    throw new SignedOut('That key was not accepted: it is unknown or revoked.');
  }
  if (r.status === 403) {
    throw new SignedOut('That key lacks the read scope the viewer needs.');
  }
  return r;
}

async function json(path) {
  const r = await api(path);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    throw new Error(body.error || (path + ' answered ' + r.status));
  }
  return body;
}

function message(text, error) {
  const m = $('message');
  m.textContent = text;
  m.classList.toggle('error', Boolean(error));
}

function failed(e) {
  if (e instanceof SignedOut) {
    signOut(e.message);
  } else {
    message(e.message, true);
  }
}

// ---- sign in and out ------------------------------------------------------------------------------------------

function signOut(error) {
  sessionStorage.removeItem(KEY);
  if ($('detail').open) {
    $('detail').close();
  }
  $('app').hidden = true;
  $('badge').hidden = true;
  $('sign-out').hidden = true;
  $('signin').hidden = false;
  const e = $('signin-error');
  e.hidden = !error;
  e.textContent = error || '';
  $('key').value = '';
  $('key').focus();
}

async function signIn(secret) {
  sessionStorage.setItem(KEY, secret);
  $('signin').hidden = true;
  $('signin-error').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  try {
    // The page first: it is what proves the key reads; the rest follows in parallel.
    await loadPage(null);
    await Promise.all([loadBadge(), loadTimeline(), loadFindings()]);
    // When everything of the first view is drawn, in ms since the navigation began: what the benchmark reads.
    document.documentElement.dataset.loadedMs = String(Math.round(performance.now()));
  } catch (e) {
    failed(e);
  }
}

// ---- filters and the table --------------------------------------------------------------------------------------

function normalInstant(text) {
  const t = text.trim();
  if (t === '') {
    return '';
  }
  // A time without a zone is taken as UTC, the zone every time on the page is shown in.
  const withZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(t) ? t : t.replace(' ', 'T') + 'Z';
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) {
    throw new Error("'" + t + "' is not a time such as 2026-01-29T09:00:00Z");
  }
  return new Date(ms).toISOString();
}

function readFilters() {
  const form = $('filters');
  const f = {};
  for (const name of FILTERS) {
    let v = form.elements[name].value.trim();
    if (name === 'since' || name === 'until') {
      v = normalInstant(v);
    }
    if (v !== '') {
      f[name] = v;
    }
  }
  return f;
}

function query(f, extra) {
  const p = new URLSearchParams(f);
  for (const [k, v] of Object.entries(extra || {})) {
    p.set(k, v);
  }
  return p.toString();
}

async function loadPage(cursor) {
  // Newest first: an investigation starts from what just happened.
  const extra = { limit: String(PAGE), order: 'desc' };
  if (cursor) {
    extra.cursor = cursor;
  }
  message('Loading…');
  const page = await json('/v1/events?' + query(state.filters, extra));
  state.next = page.next;
  state.rows = page.events;
  renderRows();
  $('next-page').disabled = !state.next;
  $('prev-page').disabled = state.cursors.length === 0;
  $('first-page').disabled = state.cursors.length === 0;
  const from = state.cursors.length * PAGE;
  $('page-info').textContent = page.events.length === 0 ? '(none match)'
    : `(${from + 1}–${from + page.events.length}${state.next ? ', more on the next page' : ''})`;
  message('');
}

function text(v) {
  return v === undefined || v === null ? '' : String(v);
}

function renderRows() {
  const body = document.querySelector('#events tbody');
  body.replaceChildren();
  state.rows.forEach((e, i) => {
    const tr = document.createElement('tr');
    tr.tabIndex = i === 0 ? 0 : -1;
    tr.dataset.id = e.id;
    tr.classList.toggle('failed', e.outcome !== 'success');
    tr.classList.toggle('finding', e.category === 'security');
    tr.classList.toggle('severe', e.severity === 'high' || e.severity === 'critical');
    const actor = e.actor || {};
    const target = e.target ? text(e.target.type) + (e.target.id ? ':' + e.target.id : '') : '';
    for (const v of [e.timestamp.replace('T', ' '), e.seq, e.type, e.outcome, actor.id, actor.ip, target]) {
      const td = document.createElement('td');
      td.textContent = text(v);
      tr.appendChild(td);
    }
    tr.cells[3].className = 'outcome-' + e.outcome;
    tr.addEventListener('click', () => openDetail(e.id, tr));
    body.appendChild(tr);
  });
}

function moveFocus(tr, delta) {
  const rows = Array.from(document.querySelectorAll('#events tbody tr'));
  const i = rows.indexOf(tr) + delta;
  if (i >= 0 && i < rows.length) {
    rows.forEach((r) => { r.tabIndex = -1; });
    rows[i].tabIndex = 0;
    rows[i].focus();
  }
}

async function applyFilters(f) {
  state.filters = f;
  state.cursors = [];
  await loadPage(null);
}

// ---- event detail and its proof --------------------------------------------------------------------------------

async function openDetail(id, from) {
  state.lastFocus = from || document.activeElement;
  const dialog = $('detail');
  $('detail-title').textContent = 'Event ' + id;
  $('integrity').textContent = 'Checking in your browser…';
  $('integrity').className = 'integrity';
  $('steps').replaceChildren();
  $('entry-json').textContent = '';
  if (!dialog.open) {
    dialog.showModal();
  }
  try {
    const [event, verifierKey] = await Promise.all([json('/v1/events/' + encodeURIComponent(id)), serverKey()]);
    $('detail-title').textContent = event.entry.type + ' · seq ' + event.entry.seq;
    $('entry-json').textContent = JSON.stringify(event.entry, null, 2);
    const result = await verifyEvent(event.entry, event.proof, verifierKey);
    for (const s of result.steps) {
      const li = document.createElement('li');
      li.className = 'step ' + s.status;
      li.dataset.step = s.name;
      const head = document.createElement('strong');
      head.textContent = s.status + ': ' + s.title;
      const detail = document.createElement('span');
      detail.textContent = s.detail;
      li.append(head, detail);
      $('steps').appendChild(li);
    }
    const bad = result.steps.filter((s) => s.status === 'failed');
    $('integrity').textContent = result.ok ? 'Verified in your browser'
        + (result.steps.some((s) => s.status === 'skipped') ? ' (hash not re-checkable: keyed ledger)' : '')
      : 'NOT verified: ' + bad.map((s) => s.title.toLowerCase()).join('; ') + ' failed';
    $('integrity').className = 'integrity ' + (result.ok ? 'passed' : 'failed');
  } catch (e) {
    if (e instanceof SignedOut) {
      failed(e);
      return;
    }
    $('integrity').textContent = 'Could not check: ' + e.message;
    $('integrity').className = 'integrity failed';
  }
}

async function serverKey() {
  if (!state.verifierKey) {
    state.verifierKey = (await json('/v1/checkpoints/latest')).verifierKey;
  }
  return state.verifierKey;
}

// ---- badge, timeline, findings ----------------------------------------------------------------------------------

async function loadBadge() {
  const badge = $('badge');
  badge.hidden = false;
  badge.textContent = 'Checkpoint: loading…';
  const r = await api('/v1/checkpoints/latest');
  if (r.status === 404) {
    badge.textContent = 'No checkpoint yet: the ledger is empty';
    return;
  }
  const cp = await r.json();
  if (!r.ok) {
    throw new Error(cp.error || 'the checkpoint answered ' + r.status);
  }
  state.verifierKey = cp.verifierKey;
  const parts = [`Checkpoint ${cp.size.toLocaleString('en')} entries`, 'root ' + cp.root.slice(0, 12) + '…'];
  if (cp.time) {
    parts.push(cp.time.slice(0, 19).replace('T', ' ') + 'Z');
  }
  badge.className = 'badge';
  try {
    const checked = await verifyCheckpoint(cp.note, cp.verifierKey);
    if (checked.root !== cp.root || checked.size !== String(cp.size)) {
      throw new Error('the note signs another root or size');
    }
    parts.push('signature verified in your browser');
    badge.classList.add('passed');
  } catch (e) {
    parts.push('SIGNATURE NOT VERIFIED: ' + e.message);
    badge.classList.add('failed');
  }
  badge.title = 'Verifier key ' + cp.verifierKey + ' — compare it with the server.pub you hold';
  // Server-side full verification, when the server offers a record of one; anything but 200 means none on record.
  let last = 'no server verification on record';
  try {
    const v = await api('/v1/verify');
    if (v.status === 200) {
      const body = await v.json();
      if (body.last) {
        const rep = body.last.report || {};
        last = `server verified ${text(body.last.at).slice(0, 19).replace('T', ' ')}Z: `
          + (rep.intact ? `intact, ${text(rep.entries)} entries` : 'NOT intact');
        if (!rep.intact) {
          badge.classList.add('failed');
        }
      }
    }
  } catch (e) {
    if (e instanceof SignedOut) {
      throw e;
    }
  }
  parts.push(last);
  badge.textContent = parts.join(' · ');
}

async function loadTimeline() {
  const t = await json('/v1/timeline?buckets=48');
  const totals = drawTimeline($('chart'), $('legend'), t, CATEGORIES, (start, end) => {
    $('filters').elements.since.value = start;
    $('filters').elements.until.value = end;
    applyFilters(readFilters()).catch(failed);
  });
  $('chart').dataset.events = String(totals.events);
}

async function loadFindings() {
  const list = $('findings');
  list.replaceChildren();
  const page = await json('/v1/events?' + query({}, { category: 'security', order: 'desc',
    limit: String(FINDINGS) }));
  if (page.events.length === 0) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = 'No security findings in the ledger.';
    list.appendChild(li);
    return;
  }
  for (const e of page.events) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'finding-item sev-' + e.severity;
    b.textContent = `${e.timestamp.slice(0, 19).replace('T', ' ')} · ${e.severity} · ${e.type}`
      + (e.actor && e.actor.id ? ' · ' + e.actor.id : '');
    b.addEventListener('click', () => openDetail(e.id, b));
    li.appendChild(b);
    list.appendChild(li);
  }
}

// ---- export --------------------------------------------------------------------------------------------------

async function exportBundle() {
  let f;
  try {
    f = readFilters();
  } catch (e) {
    message(e.message, true);
    return;
  }
  message('Exporting an evidence bundle…');
  const r = await api('/v1/export?' + query(f));
  if (!r.ok) {
    const body = await r.json().catch(() => ({}));
    throw new Error(body.error || 'the export answered ' + r.status);
  }
  const blob = await r.blob();
  const disposition = r.headers.get('Content-Disposition') || '';
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = match ? match[1] : 'vigil-evidence.zip';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  message(`Exported ${a.download} (${blob.size.toLocaleString('en')} bytes); check it with vigil verify.`);
}

// ---- wiring ------------------------------------------------------------------------------------------------------

function wire() {
  const select = $('category');
  for (const c of CATEGORIES) {
    const o = document.createElement('option');
    o.textContent = c;
    select.appendChild(o);
  }
  $('signin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const secret = $('key').value.trim();
    $('key').value = '';
    if (secret) {
      signIn(secret);
    }
  });
  $('sign-out').addEventListener('click', () => signOut(null));
  $('filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    let f;
    try {
      f = readFilters();
    } catch (e) {
      message(e.message, true);
      return;
    }
    applyFilters(f).catch(failed);
  });
  $('reset').addEventListener('click', () => {
    $('filters').reset();
    applyFilters({}).catch(failed);
  });
  $('export').addEventListener('click', () => exportBundle().catch(failed));
  $('next-page').addEventListener('click', () => {
    state.cursors.push(state.next);
    loadPage(state.next).catch(failed);
  });
  $('prev-page').addEventListener('click', () => {
    state.cursors.pop();
    loadPage(state.cursors.at(-1) || null).catch(failed);
  });
  $('first-page').addEventListener('click', () => {
    state.cursors = [];
    loadPage(null).catch(failed);
  });
  document.querySelector('#events tbody').addEventListener('keydown', (ev) => {
    const tr = ev.target.closest('tr');
    if (!tr) {
      return;
    }
    if (ev.key === 'Enter') {
      ev.preventDefault();
      openDetail(tr.dataset.id, tr);
    } else if (ev.key === 'j' || ev.key === 'ArrowDown') {
      ev.preventDefault();
      moveFocus(tr, 1);
    } else if (ev.key === 'k' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      moveFocus(tr, -1);
    }
  });
  $('detail-close').addEventListener('click', () => $('detail').close());
  // Esc closes the dialog natively; focus goes back to where the event was opened from.
  $('detail').addEventListener('close', () => {
    if (state.lastFocus && document.contains(state.lastFocus)) {
      state.lastFocus.focus();
    }
  });
  if (key()) {
    signIn(key());
  } else {
    signOut(null);
  }
}

wire();
