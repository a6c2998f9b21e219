// The timeline chart, drawn as inline SVG by hand: a stacked bar chart of a few dozen buckets needs no library, and
// without one the viewer has nothing to build, fetch or keep up to date. Events stack upwards by category, failures
// downwards, on one time axis; a click on a bucket filters the table to its time.

const SVG = 'http://www.w3.org/2000/svg';

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) {
    e.setAttribute(k, String(v));
  }
  if (parent) {
    parent.appendChild(e);
  }
  return e;
}

function label(instant) {
  return instant.slice(0, 16).replace('T', ' ');
}

/**
 * Draws timeline (the answer of GET /v1/timeline) into container; categories gives their order and colours (CSS
 * classes cat-NAME). onPick(start, end) is called with ISO instants when a bucket is chosen.
 */
export function drawTimeline(container, legend, timeline, categories, onPick) {
  container.replaceChildren();
  legend.replaceChildren();
  const since = Date.parse(timeline.since);
  const width = timeline.bucketSeconds * 1000;
  const count = Math.max(1, Math.ceil((Date.parse(timeline.until) - since) / width));
  const up = Array.from({ length: count }, () => ({}));
  const down = Array.from({ length: count }, () => ({}));
  const seen = new Set();
  let events = 0;
  let failures = 0;
  for (const b of timeline.buckets) {
    const i = Math.min(count - 1, Math.floor((Date.parse(b.start) - since) / width));
    up[i][b.category] = (up[i][b.category] || 0) + b.events;
    down[i][b.category] = (down[i][b.category] || 0) + b.failures;
    seen.add(b.category);
    events += b.events;
    failures += b.failures;
  }
  const total = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  const maxUp = Math.max(1, ...up.map(total));
  const maxDown = Math.max(1, ...down.map(total));
  const W = 720;
  const H = 170;
  const axis = Math.round(H * (0.15 + 0.7 * maxUp / (maxUp + maxDown)));
  const scale = Math.min((axis - 4) / maxUp, (H - axis - 4) / maxDown);
  const bar = W / count;
  const svg = el('svg', {
    viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'chart-svg', role: 'img',
    'aria-label': `${events} events, ${failures} failures from ${label(timeline.since)} to ${label(timeline.until)}`
  }, container);
  el('line', { x1: 0, x2: W, y1: axis, y2: axis, class: 'axis' }, svg);
  for (let i = 0; i < count; i++) {
    const g = el('g', { class: 'bucket' }, svg);
    const start = new Date(since + i * width).toISOString();
    const end = new Date(since + (i + 1) * width).toISOString();
    el('title', {}, g).textContent = `${label(start)}: ${total(up[i])} events, ${total(down[i])} failures`;
    el('rect', { x: i * bar, y: 0, width: bar, height: H, class: 'hit' }, g);
    let y = axis;
    let yd = axis;
    for (const c of categories) {
      const n = up[i][c] || 0;
      if (n > 0) {
        const h = Math.max(1, n * scale);
        y -= h;
        el('rect', { x: i * bar + 1, y, width: Math.max(1, bar - 2), height: h, class: 'cat-' + c }, g);
      }
      const f = down[i][c] || 0;
      if (f > 0) {
        const h = Math.max(1, f * scale);
        el('rect', { x: i * bar + 1, y: yd, width: Math.max(1, bar - 2), height: h, class: 'fail cat-' + c }, g);
        yd += h;
      }
    }
    g.addEventListener('click', () => onPick(start, end));
  }
  // The time axis in HTML, so the bars may stretch to the panel's width without stretching its text.
  const ticks = document.createElement('div');
  ticks.className = 'ticks';
  for (const t of [timeline.since, timeline.until]) {
    const span = document.createElement('span');
    span.textContent = label(t) + ' UTC';
    ticks.appendChild(span);
  }
  container.appendChild(ticks);
  for (const c of categories.filter((x) => seen.has(x))) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch cat-' + c;
    li.append(sw, document.createTextNode(c));
    legend.appendChild(li);
  }
  return { events, failures };
}
