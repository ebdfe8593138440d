// The toykafka console: views of the broker's logs and groups, kept live by one long poll (/console/api/watch).
// Every value shown comes from the broker's HTTP API and is put on the page as text, never as HTML.
'use strict';

const API = '/console/api';
const WATCH_RETRY_MS = 1000;
// On a busy partition every watch answers at once: a page redraws at most this often, however fast records come.
const MIN_REDRAW_MS = 500;
const TAIL_RECORDS_KEPT = 300;
// A tail that follows a busy log shows its newest records: it reads this much at a time, from no further back
// than FOLLOW_BACK records, and starts afresh when it has fallen further behind.
const FOLLOW_BYTES = 4 * 1024;
const FOLLOW_BACK = 50;
const LAG_SAMPLES_KEPT = 60;
// Rates are averaged over this long, as Kafka's own metrics are over metrics.sample.window.ms (30 s by default):
// a producer that writes in bursts shows its rate between them, not 0 at every quiet redraw.
const RATE_WINDOW_MS = 30 * 1000;

const state = {
  clusterId: null,
  token: -1,
  view: null,
  overview: null,
  samples: [],             // overviews of the last RATE_WINDOW_MS, oldest first, for rates
  lagHistory: new Map(),   // group id -> [{ at, lag }, ...], oldest first
};

// ---- small helpers ----

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attributes, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.message || (response.status + ' from ' + path));
  }
  return body;
}

/** A write: the page's own origin goes with it, which the broker's cross-site checks let through. */
async function postJson(path, body) {
  const response = await fetch(path, { method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' } });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(answer.message || (response.status + ' from ' + path));
  }
  return answer;
}

/** A line that says how a write went: the broker's refusal, word for word, when it was refused. */
function outcome(id) {
  const line = el('p', { role: 'status', class: 'note', id });
  line.say = (ok, text) => {
    line.className = ok ? 'note' : 'error';
    line.textContent = text;
  };
  return line;
}

/** Runs a write from a form, saying on its line what came of it. */
async function attempt(line, write, done) {
  try {
    done(await write());
    refresh();
  } catch (failure) {
    line.say(false, 'refused: ' + failure.message);
  }
}

function link(href, text) {
  return el('a', { href, text });
}

function table(caption, headings, rows, attributes) {
  return el('table', attributes || {},
    el('caption', { text: caption }),
    el('thead', {}, el('tr', {}, headings.map(h => el('th', { scope: 'col', class: h.number ? 'number' : null,
      text: h.text || h })))),
    el('tbody', {}, rows));
}

function cell(value, number) {
  return el('td', { class: number ? 'number' : null }, value === null || value === undefined ? '—' : value);
}

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.flatMap(([term, value]) => [el('dt', { text: term }),
    el('dd', {}, value === null || value === undefined ? '—' : value)]));
}

function duration(ms) {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return (h ? h + ' h ' : '') + (h || m ? m + ' min ' : '') + (s % 60) + ' s';
}

/** Keeps the overviews of the last RATE_WINDOW_MS; a broker that restarted, its counts back at 0, starts afresh. */
function sample(overview) {
  const last = state.samples[state.samples.length - 1];
  const total = o => o.topics.reduce((sum, t) => sum + t.records_in + t.records_out, 0);
  if (last && (overview.now_ms < last.now_ms || total(overview) < total(last) || overview.cluster_id !== last.cluster_id)) {
    state.samples = [];
  }
  if (last && overview.now_ms === last.now_ms) state.samples.pop(); // no time between them: the newer counts
  state.samples.push(overview);
  while (overview.now_ms - state.samples[0].now_ms > RATE_WINDOW_MS) state.samples.shift();
}

/** How long the rates are averaged over now: the window, or less while the page has not been open that long. */
function rateSpan() {
  const samples = state.samples;
  return samples.length < 2 ? 0 : samples[samples.length - 1].now_ms - samples[0].now_ms;
}

/** A count's rate per second over the window, for one topic or for every topic of the user's; null while measuring. */
function perSecond(field, topicName) {
  const span = rateSpan();
  if (span < 1000) return null;
  const pick = o => o.topics.filter(t => topicName ? t.name === topicName : !t.internal)
    .reduce((sum, t) => sum + t[field], 0);
  const newest = state.samples[state.samples.length - 1];
  return ((pick(newest) - pick(state.samples[0])) * 1000 / span).toFixed(1);
}

function rateNote() {
  const span = rateSpan();
  return span < 1000 ? 'Rates: measuring…'
    : 'Rates are per second, averaged over the last ' + Math.round(span / 1000) + ' s (up to '
      + RATE_WINDOW_MS / 1000 + ' s, as Kafka\'s metrics average over metrics.sample.window.ms), so a burst'
      + ' shows for that long after it.';
}

/** A segment's time range, first record to newest, in UTC; what is not known is left out. */
function timeRange(first, newest) {
  if (newest === null || newest === undefined) return null;
  return first === null || first === undefined ? 'to ' + utc(newest) : utc(first) + ' to ' + utc(newest);
}

/** A time as typed, with the page's own "2026-11-26 10:00:00Z" taken as the ISO-8601 the broker reads. */
function isoTime(text) {
  return text.trim().replace(/^(\d{4}-\d\d-\d\d) /, '$1T');
}

function utc(ms) {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** The UTF-8 bytes of a text as hex, as the broker sends them for a value that is not text. */
function hexOf(text) {
  const bytes = new TextEncoder().encode(text);
  const shown = Array.from(bytes.slice(0, 64), b => b.toString(16).padStart(2, '0')).join('');
  return bytes.length > 64 ? shown + '…' : shown;
}

function records(partition) {
  return partition.end_offset - partition.log_start_offset;
}

function topicPath(topic) {
  return '/v3/clusters/' + encodeURIComponent(state.clusterId) + '/topics/' + encodeURIComponent(topic);
}

/** What the broker's internal topics are, said wherever topics are counted. */
function internalNote(internal) {
  return internal.length ? ' (' + internal.join(', ') + ': the broker\'s own, which clients may read but not'
    + ' change)' : '';
}

// ---- views: each mounts its fixed parts once, and refreshes its live parts on every change ----

function clusterView() {
  const live = el('div');
  return {
    needsOverview: true,
    title: 'Cluster',
    mount: main => main.append(el('h2', { text: 'Cluster' }), live),
    refresh: async () => {
      const o = state.overview;
      const internal = o.topics.filter(t => t.internal).map(t => t.name);
      const measuring = value => value ?? 'measuring…';
      live.replaceChildren(
        facts([['cluster id', el('code', { text: o.cluster_id })], ['node id', o.node_id],
          ['HTTP listener', o.http], ['Kafka listener', o.kafka || 'off, or on a port chosen at start'],
          ['storage', o.storage], ['up for', duration(o.now_ms - o.started_ms)],
          ['topics', String(o.topics.length)],
          ['of which yours', String(o.topics.length - internal.length)],
          ['of which internal', internal.length + internalNote(internal)],
          ['records in per second, your topics', measuring(perSecond('records_in'))],
          ['records out per second, your topics', measuring(perSecond('records_out'))],
          ['bytes in per second, your topics', measuring(perSecond('bytes_in'))],
          ['bytes out per second, your topics', measuring(perSecond('bytes_out'))]]),
        el('p', { class: 'note', id: 'rate-note', text: rateNote() }));
    },
  };
}

/** Topic configs typed as name=value, separated by commas or new lines. */
function parseConfigs(text) {
  const configs = {};
  for (const entry of text.split(/[,\n]/).map(part => part.trim()).filter(Boolean)) {
    const at = entry.indexOf('=');
    if (at < 1) throw new Error('config "' + entry + '" is not name=value');
    configs[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return configs;
}

function createTopicForm() {
  const result = outcome('create-result');
  const name = el('input', { name: 'name', id: 'create-name', autocomplete: 'off', required: true });
  const partitions = el('input', { name: 'partitions', id: 'create-partitions', inputmode: 'numeric',
    placeholder: 'num.partitions' });
  const policy = el('select', { id: 'create-cleanup', name: 'cleanup' },
    el('option', { value: '', text: 'the broker\'s default' }), el('option', { value: 'delete', text: 'delete' }),
    el('option', { value: 'compact', text: 'compact' }));
  const more = el('input', { name: 'configs', id: 'create-configs', autocomplete: 'off', size: 44,
    placeholder: 'retention.ms=60000, segment.bytes=1048576' });
  const form = el('form', { class: 'inline', 'aria-label': 'Create a topic' },
    el('label', {}, 'name', name), el('label', {}, 'partitions', partitions),
    el('label', {}, 'cleanup.policy', policy), el('label', {}, 'other configs (name=value, …)', more),
    el('button', { type: 'submit', id: 'create-send', text: 'Create topic' }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    attempt(result, () => {
      const configs = parseConfigs(more.value);
      if (policy.value) configs['cleanup.policy'] = policy.value;
      const body = { name: name.value.trim(), configs };
      if (partitions.value.trim() !== '') body.partitions = Number(partitions.value);
      return postJson(API + '/topics', body);
    }, created => {
      result.say(true, '');
      result.append('created ', link('#/topics/' + encodeURIComponent(created.name), created.name), ' with '
        + created.partitions + (created.partitions === 1 ? ' partition' : ' partitions'));
    });
  });
  const parts = [el('h3', { text: 'Create a topic' }), form, result];
  parts.refresh = overview => { partitions.placeholder = 'num.partitions: ' + overview.num_partitions; };
  return parts;
}

function topicsView() {
  const live = el('div');
  const create = createTopicForm(); // outside the live part: what is typed stays across redraws
  return {
    needsOverview: true,
    title: 'Topics',
    mount: main => main.append(el('h2', { text: 'Topics' }), live, ...create),
    refresh: async () => {
      const o = state.overview;
      create.refresh(o);
      const internal = o.topics.filter(t => t.internal).map(t => t.name);
      const rows = o.topics.map(t => el('tr', {},
        el('td', {}, link('#/topics/' + encodeURIComponent(t.name), t.name)),
        cell(t.internal ? 'internal' : null),
        cell(t.partitions.length, true),
        cell(t.partitions.reduce((sum, p) => sum + records(p), 0), true),
        cell(t.cleanup_policy), cell(t.retention_ms, true), cell(t.compression_type),
        cell(perSecond('records_in', t.name), true),
        cell(perSecond('records_out', t.name), true)));
      live.replaceChildren(table('Every topic, ' + o.topics.length + ': ' + (o.topics.length - internal.length)
        + ' of yours and ' + internal.length + ' internal' + internalNote(internal), ['topic', '',
        { text: 'partitions', number: true }, { text: 'records', number: true }, 'cleanup.policy',
        { text: 'retention.ms', number: true }, 'compression.type', { text: 'in/s', number: true },
        { text: 'out/s', number: true }], rows), el('p', { class: 'note', id: 'rate-note', text: rateNote() }));
    },
  };
}

function produceForm(topic, partition) {
  const result = el('p', { role: 'status', class: 'note' });
  const form = el('form', { class: 'inline', 'aria-label': 'Produce a record' },
    el('label', {}, 'key', el('input', { name: 'key', id: 'produce-key', autocomplete: 'off' })),
    el('label', {}, 'value', el('input', { name: 'value', id: 'produce-value', autocomplete: 'off', required: true })),
    el('label', {}, 'header (name=value)', el('input', { name: 'header', id: 'produce-header', autocomplete: 'off' })),
    el('label', {}, 'partition', el('input', { name: 'partition', id: 'produce-partition', inputmode: 'numeric',
      value: partition ?? '', placeholder: 'by key' })),
    el('button', { type: 'submit', id: 'produce-send', text: 'Produce' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { value: { type: 'STRING', data: data.get('value') } };
    if (data.get('key')) body.key = { type: 'STRING', data: data.get('key') };
    if (data.get('partition') !== '') body.partition_id = Number(data.get('partition'));
    const header = String(data.get('header') || '');
    if (header.includes('=')) {
      const at = header.indexOf('=');
      body.headers = [{ name: header.slice(0, at), value: btoa(header.slice(at + 1)) }];
    }
    try {
      const response = await fetch(topicPath(topic) + '/records', { method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
      const answer = await response.json();
      result.className = answer.error_code === 200 ? 'note' : 'error';
      result.textContent = answer.error_code === 200
        ? 'written at ' + topic + '-' + answer.partition_id + '@' + answer.offset
        : 'refused: ' + answer.message;
    } catch (failure) {
      result.className = 'error';
      result.textContent = 'not sent: ' + failure.message;
    }
  });
  return [el('h3', { text: 'Produce' }), form, result];
}

/** Adding partitions and changing configs, for a topic of the user's: the broker's own are read only. */
function topicAdmin(topic) {
  const base = API + '/topics/' + encodeURIComponent(topic);
  const grown = outcome('partitions-result');
  const count = el('input', { id: 'partitions-count', name: 'partitions', inputmode: 'numeric', required: true });
  const grow = el('form', { class: 'inline', 'aria-label': 'Add partitions' },
    el('label', {}, 'partitions in all', count),
    el('button', { type: 'submit', id: 'partitions-send', text: 'Add partitions' }));
  grow.addEventListener('submit', event => {
    event.preventDefault();
    attempt(grown, () => postJson(base + '/partitions', { partitions: Number(count.value) }),
      answer => grown.say(true, topic + ' has ' + answer.partitions + ' partitions now; the records already written'
        + ' stay where they are, and new keys may hash to the new partitions'));
  });

  const configured = outcome('config-result');
  const name = el('input', { id: 'config-name', name: 'name', list: 'config-names', autocomplete: 'off', required: true });
  const value = el('input', { id: 'config-value', name: 'value', autocomplete: 'off' });
  const names = el('datalist', { id: 'config-names' });
  const reset = el('button', { type: 'button', id: 'config-reset', text: 'Reset to default' });
  const change = el('form', { class: 'inline', 'aria-label': 'Change a config' },
    el('label', {}, 'config', name), names, el('label', {}, 'value', value),
    el('button', { type: 'submit', id: 'config-set', text: 'Set' }), reset);
  const changed = (what) => () => configured.say(true, what);
  change.addEventListener('submit', event => {
    event.preventDefault();
    attempt(configured, () => postJson(base + '/configs', { set: { [name.value.trim()]: value.value } }),
      changed(name.value.trim() + ' set to ' + value.value));
  });
  reset.addEventListener('click', () => attempt(configured, () => postJson(base + '/configs',
    { reset: [name.value.trim()] }), changed(name.value.trim() + ' back to the broker\'s default')));

  const configs = el('div', { id: 'configs' });
  return {
    parts: [el('h3', { text: 'Partitions' }), grow, grown, el('h3', { text: 'Configs' }), change, configured, configs],
    refresh: async () => {
      const described = await getJson(base);
      if (!names.children.length) names.append(...described.configs.map(c => el('option', { value: c.name })));
      if (document.activeElement !== count && !count.value) count.placeholder = 'more than ' + described.partitions;
      configs.replaceChildren(table('Every config: set on the topic, taken from the broker\'s settings, or Kafka\'s'
        + ' default', ['config', 'value', 'from'], described.configs.map(c => el('tr', { 'data-config': c.name },
        cell(el('code', { text: c.name })), cell(c.value), cell(c.source === 'topic' ? 'set on the topic'
          : c.source === 'broker' ? 'the broker\'s setting' : 'default')))));
    },
  };
}

function topicView(topic) {
  const live = el('div');
  const admin = topicAdmin(topic);
  let internal = null;
  const own = el('div');
  return {
    needsOverview: true,
    title: topic,
    mount: main => main.append(el('h2', { text: 'Topic ' + topic }), live, own, ...produceForm(topic, null)),
    refresh: async () => {
      const t = state.overview.topics.find(candidate => candidate.name === topic);
      if (!t) {
        live.replaceChildren(el('p', { class: 'error', text: 'There is no topic ' + topic + ' (any more).' }));
        return;
      }
      live.replaceChildren(table('Partitions, from log start offset to high watermark',
        ['partition', { text: 'log start offset', number: true }, { text: 'high watermark', number: true },
          { text: 'records', number: true }],
        t.partitions.map(p => el('tr', {},
          el('td', {}, link('#/topics/' + encodeURIComponent(topic) + '/' + p.partition, topic + '-' + p.partition)),
          cell(p.log_start_offset, true), cell(p.end_offset, true), cell(records(p), true)))));
      if (internal === null) { // mounted once known: the broker's own topics take no changes
        internal = t.internal;
        own.replaceChildren(...(internal ? [el('p', { class: 'note', text: topic + ' is one of the broker\'s own'
          + ' topics: clients may read it, not change it.' })] : admin.parts));
      }
      if (!internal) await admin.refresh();
    },
  };
}

/**
 * The offsets from 0 to the high watermark as a strip: deleted ones grey, each segment a box, the active one green,
 * and the last stable offset marked beside the high watermark, the offsets between them hatched: what an open
 * transaction holds back from a read_committed consumer.
 */
function strip(p) {
  const width = 960, top = 18, height = 34;
  const end = Math.max(p.high_watermark, 1);
  const x = offset => Math.round(offset * width / end);
  const held = p.high_watermark - p.last_stable_offset;
  const drawing = svg('svg', { class: 'strip', viewBox: '0 0 ' + (width + 2) + ' 88', role: 'img',
    'aria-label': 'offsets 0 to ' + p.high_watermark + ': deleted below ' + p.log_start_offset + ', '
      + p.segments.length + ' segments, last stable offset ' + p.last_stable_offset
      + (held > 0 ? ', ' + held + ' offsets undecided above it' : ', at the high watermark') });
  if (p.log_start_offset > 0) {
    drawing.append(svg('rect', { class: 'deleted', x: 0, y: top, width: x(p.log_start_offset), height }));
  }
  const shown = p.segments.length ? p.segments
    : [{ base_offset: p.log_start_offset, next_offset: p.high_watermark, active: true }];
  for (const segment of shown) {
    const wide = x(segment.next_offset) - x(segment.base_offset);
    drawing.append(svg('rect', { class: 'segment' + (segment.active ? ' active' : ''), x: x(segment.base_offset) + 1,
      y: top, width: Math.max(wide - 1, 2), height }));
    if (wide > 48) { // each segment is named by its base offset, as its files are
      drawing.append(svg('text', { x: x(segment.base_offset) + 5, y: top + 21 }, segment.base_offset));
    }
  }
  if (held > 0) {
    drawing.append(svg('rect', { class: 'undecided', x: x(p.last_stable_offset), y: top,
      width: Math.max(x(p.high_watermark) - x(p.last_stable_offset), 2), height }));
  }
  drawing.append(svg('line', { class: 'lso', x1: x(p.last_stable_offset), y1: top - 4, x2: x(p.last_stable_offset),
    y2: top + height + 20 }));
  // a label on the right half ends at its offset, so a long one stays inside the strip
  const label = (at, text, y, name) => svg('text', { class: name, x: Math.min(x(at), width),
    y, 'text-anchor': x(at) > width / 2 ? 'end' : 'start' }, text);
  drawing.append(label(p.log_start_offset, 'log start ' + p.log_start_offset, 12, 'log-start'),
    label(p.high_watermark, 'high watermark ' + p.high_watermark, 68, 'high-watermark'),
    label(p.last_stable_offset, 'last stable offset ' + p.last_stable_offset + (held > 0
      ? ': a read_committed consumer reads up to here' : ', the high watermark: no transaction holds it back'),
    84, 'last-stable-offset'));
  return drawing;
}

/** Deleting the records below an offset, asked twice: what is deleted is gone for every reader. */
function deleteRecordsForm(topic, partition) {
  const base = API + '/partitions/' + encodeURIComponent(topic) + '/' + partition;
  const result = outcome('delete-result');
  const before = el('input', { id: 'delete-before', name: 'before', inputmode: 'numeric', required: true });
  const confirm = el('p', { id: 'delete-confirm', hidden: true });
  const form = el('form', { class: 'inline', 'aria-label': 'Delete records' },
    el('label', {}, 'delete the records before offset', before),
    el('button', { type: 'submit', id: 'delete-ask', text: 'Delete records…' }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const offset = Number(before.value);
    const yes = el('button', { type: 'button', id: 'delete-yes', text: 'Delete them' });
    const no = el('button', { type: 'button', id: 'delete-no', class: 'quiet', text: 'Cancel' });
    confirm.replaceChildren('Delete every record of ' + topic + '-' + partition + ' below offset ' + before.value
      + '? The log start offset moves up to it; no consumer can read them again (the broker archives them'
      + ' first). ', yes, ' ', no);
    confirm.hidden = false;
    no.addEventListener('click', () => { confirm.hidden = true; });
    yes.addEventListener('click', () => {
      confirm.hidden = true;
      attempt(result, () => postJson(base + '/delete-records', { before: offset }),
        answer => result.say(true, 'the log start offset of ' + topic + '-' + partition + ' is '
          + answer.log_start_offset + ' now'));
    });
  });
  return [el('h3', { text: 'Delete records' }), form, confirm, result];
}

function partitionView(topic, partition) {
  const live = el('div');
  const tail = el('div', { id: 'tail' });
  const tailState = { next: null, batches: [], search: null, partition: null, decided: null };
  const from = el('select', { id: 'tail-from', name: 'from' },
    el('option', { value: 'earliest', text: 'earliest' }), el('option', { value: 'latest', text: 'latest' }),
    el('option', { value: 'offset', text: 'offset' }), el('option', { value: 'timestamp', text: 'time' }));
  const at = el('input', { id: 'tail-at', name: 'at', size: 34,
    placeholder: 'offset, or 2026-11-26T10:00:00Z or ms' });
  const key = el('input', { id: 'tail-key', name: 'key', autocomplete: 'off', placeholder: 'any key' });
  const follow = el('input', { id: 'tail-follow', type: 'checkbox', checked: true });
  const hex = el('input', { id: 'tail-hex', type: 'checkbox' });
  const base = API + '/partitions/' + encodeURIComponent(topic) + '/' + partition;
  const deletion = el('div');
  let internal = null;

  async function load(query, append) {
    const answer = await getJson(base + '/batches?' + query);
    tailState.batches = append ? tailState.batches.concat(answer.batches) : answer.batches;
    while (tailState.batches.reduce((sum, b) => sum + b.records.length, 0) > TAIL_RECORDS_KEPT) tailState.batches.shift();
    tailState.next = answer.next_offset;
    drawTail();
  }

  function shown(text, hexText) {
    if (text === null && hexText === null) return el('span', { class: 'note', text: 'null' });
    return el('code', { text: hex.checked || text === null ? hexText ?? hexOf(text) : text });
  }

  // A transaction marker's record holds two numbers, not text: it is shown as what it says, unless hex is asked for.
  function recordRow(r, fate) {
    const marker = r.marker && !hex.checked;
    return el('tr', { class: 'record' + (fate ? ' txn-' + fate : '') + (r.marker ? ' marker' : '') },
      cell(r.offset, true), cell(new Date(r.timestamp).toISOString()),
      el('td', {}, marker ? r.marker + ' marker' : shown(r.key, r.key_hex)),
      el('td', {}, marker ? 'coordinator epoch ' + r.coordinator_epoch : shown(r.value, r.value_hex)),
      cell(r.headers.map(h => h.key + '=' + (h.value ?? '…')).join(', ') || null));
  }

  /** Which transactional.id a producer id serves, where the partition's transactions name it. */
  function transactionalId(producerId) {
    const p = tailState.partition;
    const known = p && p.open_transactions.concat(p.aborted_transactions)
      .find(t => t.producer_id === producerId && t.transactional_id);
    return known ? known.transactional_id : null;
  }

  /**
   * What became of a transactional batch: committed or aborted by its producer's next marker in the tail; still
   * open while the producer's transaction here began at or before it; aborted in a range the .txnindex files
   * hold; committed below the last stable offset when every aborted range is known. Else not known yet.
   */
  function fate(batch, index) {
    if (!batch.transactional || batch.control) return null;
    const batches = tailState.batches;
    for (let i = index + 1; i < batches.length; i++) {
      if (batches[i].marker && batches[i].producer_id === batch.producer_id) {
        return batches[i].marker === 'COMMIT' ? 'committed' : 'aborted';
      }
    }
    const p = tailState.partition;
    if (!p) return null;
    const mine = t => t.producer_id === batch.producer_id && t.first_offset <= batch.base_offset;
    if (p.open_transactions.some(mine)) return 'open';
    if (p.aborted_transactions.some(t => mine(t) && batch.last_offset < t.last_offset)) return 'aborted';
    const everyAbortKnown = p.storage === 'disk' && p.aborted_transactions_indexed === p.aborted_transactions.length;
    return batch.last_offset < p.last_stable_offset && everyAbortKnown ? 'committed' : null;
  }

  const FATES = { committed: ', transactional: committed', open: ', transactional: still open, so a read_committed'
    + ' consumer waits at the last stable offset', aborted: ', transactional: aborted, so a read_committed consumer'
    + ' skips it' };

  function drawTail() {
    if (tailState.search) return drawSearch();
    const rows = [];
    tailState.batches.forEach((b, index) => {
      const decided = fate(b, index);
      const id = transactionalId(b.producer_id);
      rows.push(el('tr', { class: 'batch' + (decided ? ' txn-' + decided : '') + (b.marker ? ' marker' : '') },
        el('td', { colspan: 5, text: 'batch ' + b.base_offset + '–' + b.last_offset + ', ' + b.bytes + ' bytes, codec '
        + b.compression + ', producer id ' + b.producer_id + (id ? ' (transactional.id ' + id + ')' : '') + ' epoch '
        + b.producer_epoch + (b.control ? '' : ' first sequence ' + b.base_sequence)
        + (b.marker ? ', ' + b.marker + ' marker (coordinator epoch ' + b.coordinator_epoch + ')'
          : b.control ? ', control' : decided ? FATES[decided] : b.transactional ? ', transactional' : '') })));
      for (const r of b.records) rows.push(recordRow(r, decided));
    });
    tail.replaceChildren(table('Records from the log, batch by batch', [{ text: 'offset', number: true }, 'timestamp',
      'key', 'value', 'headers'], rows));
  }

  // A search reads the log as a consumer would, a slice at a time, and keeps the records whose key matches.
  function drawSearch() {
    const s = tailState.search;
    const more = el('button', { type: 'button', id: 'search-on', text: 'Search on from offset ' + s.next });
    more.addEventListener('click', () => search(s.key, 'offset=' + s.next, true).catch(showFailure));
    tail.replaceChildren(
      el('p', { class: 'note', id: 'search-summary', text: s.records.length + (s.records.length === 1 ? ' record'
        : ' records') + ' with key "' + s.key + '" in offsets ' + s.from + ' to ' + (s.next - 1) + ' (' + s.scanned
        + ' read)' + (s.done ? ', the end of the log: the high watermark is ' + s.high_watermark : '') }),
      ...(s.done ? [] : [more]), // replaceChildren would write a null out as the text "null"
      table('Records whose key is "' + s.key + '"', [{ text: 'offset', number: true }, 'timestamp', 'key', 'value',
        'headers'], s.records.map(r => recordRow(r, null)), { id: 'search-results' }));
  }

  async function search(wanted, query, append) {
    const answer = await getJson(base + '/search?key=' + encodeURIComponent(wanted) + '&' + query);
    const before = append && tailState.search ? tailState.search : null;
    tailState.search = { key: wanted, from: before ? before.from : answer.from, next: answer.next_offset,
      done: answer.done, high_watermark: answer.high_watermark, scanned: (before ? before.scanned : 0) + answer.scanned,
      records: (before ? before.records : []).concat(answer.records).slice(-TAIL_RECORDS_KEPT) };
    drawTail();
  }

  function showFailure(failure) {
    tail.replaceChildren(el('p', { class: 'error', role: 'alert', text: failure.message }));
  }

  const seek = el('form', { class: 'inline', 'aria-label': 'Where to read from' },
    el('label', {}, 'read from', from), el('label', {}, 'offset or time', at),
    el('label', {}, 'key is', key),
    el('button', { type: 'submit', id: 'tail-go', text: 'Read' }),
    el('label', {}, 'follow new records', follow), el('label', {}, 'show as hex', hex));
  seek.addEventListener('submit', event => {
    event.preventDefault();
    const query = from.value === 'offset' ? 'offset=' + encodeURIComponent(at.value.trim())
      : from.value === 'timestamp' ? 'timestamp=' + encodeURIComponent(isoTime(at.value)) : 'offset=' + from.value;
    if (key.value !== '') {
      follow.checked = false; // a search's results stay put while new records come
      search(key.value, query, false).catch(showFailure);
    } else {
      tailState.search = null;
      load(query, false).catch(showFailure);
    }
  });
  hex.addEventListener('change', drawTail);

  const index = el('div', { id: 'index' });
  async function showIndex(baseOffset) {
    const answer = await getJson(base + '/segments/' + baseOffset);
    index.replaceChildren(el('h3', { text: 'The sparse index of segment ' + baseOffset }),
      el('p', { class: 'note', text: 'As its .index file holds it: one entry for every index.interval.bytes ('
        + answer.index_interval_bytes + ') of batches, each naming the byte of the .log where a batch starts.'
        + ' The active segment writes its new entries at each flush.' }),
      answer.entries.length ? table('Offset → position in the .log', [{ text: 'offset', number: true },
        { text: 'byte', number: true }], answer.entries.map(e => el('tr', {}, cell(e.offset, true),
        cell(e.position, true)))) : el('p', { class: 'note', text: 'No entries yet: the segment is smaller than'
        + ' index.interval.bytes, so a read scans it from its first byte.' }));
  }
  function segmentRows(segments, withIndex) {
    return segments.map(s => el('tr', {}, cell(el('code', { text: s.name })), cell(s.base_offset, true),
      cell(s.next_offset, true), cell(s.bytes, true), cell(s.index_entries, true),
      cell(timeRange(s.first_timestamp, s.largest_timestamp)),
      cell(s.active ? 'active' : ''), withIndex ? el('td', {}, indexButton(s.base_offset)) : null));
  }

  function indexButton(baseOffset) {
    const button = el('button', { type: 'button', class: 'small', text: 'index',
      'aria-label': 'show the index of segment ' + baseOffset });
    button.addEventListener('click', () => showIndex(baseOffset)
      .catch(failure => index.replaceChildren(el('p', { class: 'error', text: failure.message }))));
    return button;
  }

  /** The last cleaner pass, if the cleaner has passed over this partition since the broker started. */
  function cleaning(c) {
    if (!c) return [];
    const headings = ['file', { text: 'base offset', number: true }, { text: 'next offset', number: true },
      { text: 'bytes', number: true }, { text: 'index entries', number: true }, 'records written', ''];
    return [el('section', { 'aria-label': 'The last cleaner pass' }, el('h3', { text: 'The last cleaner pass' }),
      facts([['when', new Date(c.at_ms).toISOString()], ['records read', c.records_read],
        ['records removed', c.records_removed], ['bytes', c.bytes_before + ' → ' + c.bytes_after]]),
      table('Segments before the pass', headings, segmentRows(c.before, false)),
      table('Segments after it: the same base offsets, fewer records, gaps where the older values were', headings,
        segmentRows(c.after, false)))];
  }

  return {
    title: topic + '-' + partition,
    mount: main => main.append(el('h2', { text: 'Partition ' + topic + '-' + partition }), live, index,
      el('h3', { text: 'Tail' }), seek, tail, deletion, ...produceForm(topic, partition)),
    refresh: async () => {
      const p = await getJson(base);
      live.replaceChildren(
        facts([['log start offset', p.log_start_offset], ['high watermark', p.high_watermark],
          ['last stable offset', p.last_stable_offset],
          ['records', p.high_watermark - p.log_start_offset], ['storage', p.storage]]),
        strip(p),
        ...(p.open_transactions.length ? [table('Open transactions: a read_committed consumer reads up to the first'
          + ' offset of the oldest', ['transactional.id', { text: 'producer id', number: true },
          { text: 'epoch', number: true }, { text: 'first offset', number: true }], p.open_transactions.map(t =>
          el('tr', {}, cell(t.transactional_id), cell(t.producer_id, true), cell(t.producer_epoch, true),
          cell(t.first_offset, true))), { id: 'open-transactions' })] : []),
        ...(p.aborted_transactions.length ? [table('Aborted transactions, as the .txnindex files of the segments hold them: a'
          + ' read_committed consumer skips the records of each from its first offset to its ABORT marker'
          + (p.aborted_transactions_indexed > p.aborted_transactions.length ? ' (the newest '
            + p.aborted_transactions.length + ' of ' + p.aborted_transactions_indexed + ')' : ''),
          ['transactional.id', { text: 'producer id', number: true }, { text: 'first offset', number: true },
            { text: 'ABORT marker at', number: true }], p.aborted_transactions.map(t => el('tr', {},
            cell(t.transactional_id), cell(t.producer_id, true), cell(t.first_offset, true),
            cell(t.last_offset, true))), { id: 'aborted-transactions' })] : []),
        p.segments.length ? table('Segments on disk, oldest first', ['file', { text: 'base offset', number: true },
          { text: 'next offset', number: true }, { text: 'bytes', number: true }, { text: 'index entries', number: true },
          'records written', '', 'sparse index'], segmentRows(p.segments, true))
          : el('p', { class: 'note', text: 'Kept in memory: no segments on disk.' }),
        ...cleaning(p.last_cleaning));
      if (internal === null) {
        internal = p.internal;
        if (!internal) deletion.replaceChildren(...deleteRecordsForm(topic, partition));
      }
      // what decides a tail batch's fate, and its transactional.id: redrawn when it changes, if no read redraws
      const decided = JSON.stringify([p.last_stable_offset, p.open_transactions, p.aborted_transactions]);
      const changed = decided !== tailState.decided;
      tailState.partition = p;
      tailState.decided = decided;
      if (tailState.search) return; // a search's results stay until the next Read
      if (tailState.next === null) await load('offset=earliest', false);
      else if (follow.checked && p.high_watermark > tailState.next) {
        const from = Math.max(tailState.next, p.high_watermark - FOLLOW_BACK);
        await load('offset=' + from + '&max_bytes=' + FOLLOW_BYTES + '&max_records=' + FOLLOW_BACK,
          from === tailState.next);
      } else if (changed) drawTail();
    },
  };
}

/** A lag figure: a number, or why there is none. */
function lagText(lag) {
  return lag === null || lag === undefined ? 'none committed yet' : String(lag);
}

/** The partitions a member owns or is to own, "orders-0, orders-1", or none. */
function partitionsText(partitions) {
  return partitions.map(p => p.topic + '-' + p.partition).join(', ') || 'none';
}

/** A view of a heading over one live part, which every refresh replaces with what draw makes anew. */
function liveView(title, heading, draw) {
  const live = el('div');
  return {
    title,
    mount: main => main.append(el('h2', { text: heading }), live),
    refresh: async () => live.replaceChildren(await draw()),
  };
}

function groupsView() {
  return liveView('Groups', 'Consumer groups', async () => {
    const groups = (await getJson(API + '/groups')).groups;
    return groups.length ? table('Every group the coordinator knows', ['group', 'type', 'state',
      { text: 'members', number: true }, { text: 'total lag', number: true },
      { text: 'generation or epoch', number: true }, 'assignor'], groups.map(g => el('tr', {},
      el('td', {}, link('#/groups/' + encodeURIComponent(g.group_id), g.group_id)), cell(g.type),
      cell(g.state), cell(g.members, true), cell(lagText(g.total_lag), true), cell(g.generation, true),
      cell(g.assignor))))
      : el('p', { class: 'note', text: 'No groups yet: start a consumer with a group.id.' });
  });
}

/** The total lag over the last updates, with its scale: 0 at the bottom, the largest at the top, the time across. */
function lagSparkline(samples) {
  const left = 40, width = 240, height = 48, top = 7, bottom = 17;
  const max = Math.max(1, ...samples.map(s => s.lag));
  const span = samples[samples.length - 1].at - samples[0].at;
  const plot = height - top - bottom;
  const x = s => left + (span ? (s.at - samples[0].at) * width / span : width);
  const y = lag => top + plot - lag * plot / max;
  const now = samples[samples.length - 1].lag;
  const drawing = svg('svg', { class: 'spark', viewBox: '0 0 ' + (left + width + 4) + ' ' + height, role: 'img',
    'aria-label': 'total lag over the last ' + Math.round(span / 1000) + ' s, from 0 to at most ' + max + ', now '
      + now });
  drawing.append(
    svg('line', { class: 'axis', x1: left, y1: top, x2: left, y2: top + plot }),
    svg('line', { class: 'axis', x1: left, y1: top + plot, x2: left + width, y2: top + plot }),
    svg('text', { x: left - 4, y: top + 4, 'text-anchor': 'end' }, String(max)),
    svg('text', { x: left - 4, y: top + plot + 3, 'text-anchor': 'end' }, '0'),
    svg('text', { x: left, y: height - 2 }, Math.round(span / 1000) + ' s ago'),
    svg('text', { x: left + width, y: height - 2, 'text-anchor': 'end' }, 'now'),
    svg('polyline', { points: samples.map(s => x(s).toFixed(1) + ',' + y(s.lag).toFixed(1)).join(' ') }));
  return drawing;
}

/** Who a member is: its member id, which the coordinator gave it, then the client id and host it came with. */
function memberText(member) {
  return el('span', {}, el('code', { text: member.member_id }),
    ' (client id ' + (member.client_id || '—') + ', host ' + (member.client_host || '—') + ')');
}

function resetForm(group) {
  const result = outcome('reset-result');
  const topic = el('input', { id: 'reset-topic', name: 'topic', autocomplete: 'off', size: 28,
    placeholder: 'every partition it committed' });
  const partition = el('input', { id: 'reset-partition', name: 'partition', inputmode: 'numeric', size: 6,
    placeholder: 'all' });
  const to = el('select', { id: 'reset-to', name: 'to' },
    el('option', { value: 'earliest', text: 'the earliest offset' }), el('option', { value: 'latest', text: 'the latest offset' }),
    el('option', { value: 'offset', text: 'an offset' }), el('option', { value: 'timestamp', text: 'a time' }));
  const at = el('input', { id: 'reset-at', name: 'at', size: 34, placeholder: 'offset, or 2026-11-26T10:00:00Z or ms' });
  const plan = el('div', { id: 'reset-plan' });
  const form = el('form', { class: 'inline', 'aria-label': 'Reset the group\'s offsets' },
    el('label', {}, 'topic', topic), el('label', {}, 'partition', partition), el('label', {}, 'to', to),
    el('label', {}, 'offset or time', at), el('button', { type: 'submit', id: 'reset-preview', text: 'Preview' }));

  function body(dryRun) {
    const request = { to: to.value, dry_run: dryRun };
    if (topic.value.trim()) request.topic = topic.value.trim();
    if (partition.value.trim() !== '') request.partition = Number(partition.value);
    if (to.value === 'offset') request.offset = Number(at.value);
    if (to.value === 'timestamp') request.timestamp = /^\d+$/.test(at.value.trim()) ? Number(at.value) : isoTime(at.value);
    return request;
  }
  const path = API + '/groups/' + encodeURIComponent(group) + '/reset-offsets';
  const rows = answer => answer.partitions.map(p => el('tr', {}, cell(p.topic + '-' + p.partition),
    cell(p.from === null ? 'none committed' : p.from, true), cell(p.to, true)));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const request = body(true);
    plan.replaceChildren();
    attempt(result, () => postJson(path, request), answer => {
      result.say(true, 'Nothing is committed yet: this is what the reset would do.');
      const commit = el('button', { type: 'button', id: 'reset-execute', text: 'Reset these offsets' });
      commit.addEventListener('click', () => {
        plan.replaceChildren();
        attempt(result, () => postJson(path, { ...request, dry_run: false }), done => {
          result.say(true, 'committed: the group will resume from these offsets');
          plan.replaceChildren(table('Committed', ['partition', { text: 'was', number: true },
            { text: 'now', number: true }], rows(done)));
        });
      });
      plan.replaceChildren(table('The reset, not yet committed', ['partition', { text: 'committed now', number: true },
        { text: 'would be', number: true }], rows(answer)), commit);
    });
  });
  return [el('h3', { text: 'Reset offsets' }), el('p', { class: 'note', text: 'As kafka-consumer-groups'
    + ' --reset-offsets: only while the group has no members, since a member would go on from its own position'
    + ' and commit over the reset.' }), form, result, plan];
}

function groupView(group) {
  const live = el('div');
  return {
    title: group,
    mount: main => main.append(el('h2', { text: 'Group ' + group }), live, ...resetForm(group)),
    refresh: async () => {
      const g = await getJson(API + '/groups/' + encodeURIComponent(group));
      if (!g.exists) {
        state.lagHistory.delete(group);
        live.replaceChildren(el('p', { class: 'note', id: 'no-group', text: 'There is no group ' + group + ' now: a'
          + ' group exists while it has members or committed offsets, and this one has neither (Kafka describes it'
          + ' as Dead).' }), groupConfigs(group, g.configs));
        return;
      }
      const history = state.lagHistory.get(group) || [];
      if (g.total_lag !== null) {
        history.push({ at: Date.now(), lag: g.total_lag });
        if (history.length > LAG_SAMPLES_KEPT) history.shift();
      }
      state.lagHistory.set(group, history);
      const modern = g.type === 'consumer';
      live.replaceChildren(
        facts([['type', modern ? 'consumer (Kafka 4\'s protocol, KIP-848)' : 'classic'], ['state', g.state],
          [modern ? 'group epoch' : 'generation', g.generation], ['assignor', g.assignor],
          ['members', g.members.length], ['total lag', lagText(g.total_lag)],
          ['lag over time', history.length ? lagSparkline(history) : 'drawn once the group commits']]),
        g.members.length ? table(modern ? 'Members: the partitions each owns now, at its epoch, and its target;'
          + ' upgraded: speaks the consumer protocol (false: still a classic consumer, in a rolling upgrade)'
          : 'Members and the partitions each owns', ['member id', 'group.instance.id', 'client id', 'host',
          ...(modern ? [{ text: 'member epoch', number: true }] : []), 'partitions', ...(modern ? ['target',
          'upgraded'] : [])],
          g.members.map(m => el('tr', {}, cell(el('code', { text: m.member_id })),
          cell(m.group_instance_id || 'none (dynamic)'), cell(m.client_id), cell(m.client_host),
          ...(modern ? [cell(m.member_epoch, true)] : []), cell(partitionsText(m.partitions)),
          ...(modern ? [cell(partitionsText(m.target)), cell(String(m.upgraded))] : []))))
          : el('p', { class: 'note', text: 'No members: its offsets stay committed for a consumer that joins later.' }),
        g.partitions.length ? table('Each partition the group owns or has committed: committed offset against the'
          + ' end of the log', ['partition', { text: 'committed', number: true },
          { text: 'log end offset', number: true }, { text: 'lag', number: true }, 'owner'],
          g.partitions.map(p => el('tr', {}, cell(p.topic + '-' + p.partition),
            cell(p.committed, true), cell(p.log_end_offset, true),
            cell(lagText(p.lag), true), cell(p.owner ? memberText(p.owner) : 'no member'))))
          : el('p', { class: 'note', text: 'No partitions yet: a member owns none, and none is committed.' }),
        groupConfigs(group, g.configs));
    },
  };
}

// ---- share groups (KIP-932): records handed out one by one ----

function shareGroupsView() {
  return liveView('Share groups', 'Share groups', async () => {
    const groups = (await getJson(API + '/share-groups')).groups;
    return groups.length ? table('Every share group: its members share the records of its partitions',
      ['group', 'state', { text: 'members', number: true }, { text: 'share partitions', number: true },
        { text: 'records in flight', number: true }, { text: 'group epoch', number: true }],
      groups.map(g => el('tr', {}, el('td', {}, link('#/share-groups/' + encodeURIComponent(g.group_id), g.group_id)),
        cell(g.state), cell(g.members, true), cell(g.partitions, true), cell(g.in_flight, true),
        cell(g.group_epoch, true))))
      : el('p', { class: 'note', text: 'No share groups yet: start a KafkaShareConsumer, or'
        + ' kafka-console-share-consumer --group <name>.' });
  });
}

/** Who holds a window's acquired records, by client id where the member is known, and how many each. */
function holdersText(acquiredBy, members) {
  const clients = Object.fromEntries(members.map(m => [m.member_id, m.client_id || m.member_id]));
  const names = Object.keys(acquiredBy || {});
  return names.length ? names.map(member => (clients[member] || member) + ' ' + acquiredBy[member]).join(', ')
    : 'nobody';
}

/** How often the records in flight were delivered: "1×: 40, 2×: 3". */
function deliveriesText(counts) {
  const keys = Object.keys(counts || {});
  return keys.length ? keys.map(times => times + '×: ' + counts[times]).join(', ') : 'none in flight';
}

function shareGroupView(group) {
  const live = el('div');
  return {
    title: group,
    mount: main => main.append(el('h2', { text: 'Share group ' + group }), live),
    refresh: async () => {
      const g = await getJson(API + '/share-groups/' + encodeURIComponent(group));
      if (!g.exists) {
        live.replaceChildren(el('p', { class: 'note', id: 'no-share-group', text: 'There is no share group ' + group
          + ' now (' + g.why + ').' }), groupConfigs(group, g.configs));
        return;
      }
      live.replaceChildren(
        facts([['type', 'share (KIP-932): records, not partitions, are handed out'], ['state', g.state],
          ['group epoch', g.group_epoch], ['assignor', g.assignor], ['members', g.members.length]]),
        g.members.length ? table('Members: a partition may be read by several at once', ['member id', 'client id',
          'host', { text: 'member epoch', number: true }, 'topics', 'partitions'], g.members.map(m => el('tr', {},
          cell(el('code', { text: m.member_id })), cell(m.client_id), cell(m.client_host), cell(m.member_epoch, true),
          cell(m.topics.join(', ')), cell(partitionsText(m.partitions)))))
          : el('p', { class: 'note', text: 'No members: what the group has read stays in its share partitions.' }),
        g.partitions.length ? table('Each share partition\'s window: from its start offset to the last offset of'
          + ' the batches it read from the log, whose records not handed out yet count as available', ['partition',
          { text: 'start offset', number: true }, { text: 'window end (last offset read)', number: true },
          { text: 'log end offset', number: true }, { text: 'in flight', number: true },
          { text: 'available', number: true }, { text: 'acquired', number: true },
          { text: 'acknowledged', number: true }, { text: 'archiving', number: true },
          { text: 'archived', number: true }, 'acquired by',
          'delivery counts'], g.partitions.map(p => el('tr', { class: 'share-window' },
          cell(p.topic + '-' + p.partition), cell(p.start_offset, true), cell(p.end_offset, true),
          cell(p.log_end_offset, true), cell(p.in_flight, true), cell(p.available, true), cell(p.acquired, true),
          cell(p.acknowledged, true), cell(p.archiving, true), cell(p.archived, true), cell(holdersText(p.acquired_by, g.members)),
          cell(deliveriesText(p.delivery_counts)))))
          : el('p', { class: 'note', text: 'No share partitions yet: one is made at the group\'s first fetch.' }),
        groupConfigs(group, g.configs));
    },
  };
}

// The configs set on the group itself, which beat the broker's group.* settings for it alone.
function groupConfigs(group, configs) {
  const names = Object.keys(configs || {});
  return names.length ? table('Configs of its own (kafka-configs --entity-type groups): they beat the broker\'s'
    + ' group.* settings for this group', ['config', 'value'], names.map(name => el('tr', { class: 'group-config' },
    cell(el('code', { text: name })), cell(configs[name]))))
    : el('p', { class: 'note', id: 'no-group-configs', text: 'No configs of its own: it takes the broker\'s group.*'
      + ' settings (set one with kafka-configs --alter --entity-type groups --entity-name ' + group + ' --add-config'
      + ' consumer.session.timeout.ms=50000).' });
}

// ---- routing, refreshing, and the watch ----

function viewFor(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'topics' && parts.length === 3) return partitionView(parts[1], Number(parts[2]));
  if (parts[0] === 'topics' && parts.length === 2) return topicView(parts[1]);
  if (parts[0] === 'topics') return topicsView();
  if (parts[0] === 'groups' && parts.length === 2) return groupView(parts[1]);
  if (parts[0] === 'groups') return groupsView();
  if (parts[0] === 'share-groups' && parts.length === 2) return shareGroupView(parts[1]);
  if (parts[0] === 'share-groups') return shareGroupsView();
  return clusterView();
}

function show() {
  const main = document.getElementById('view');
  state.view = viewFor(location.hash);
  state.view.problem = el('p', { class: 'error', role: 'alert', id: 'view-problem', hidden: true });
  main.replaceChildren(state.view.problem);
  state.view.mount(main);
  document.title = state.view.title + ' · toykafka console';
  const section = (location.hash.match(/^#\/(topics|groups|share-groups)/) || [null, 'cluster'])[1];
  for (const name of ['cluster', 'topics', 'groups', 'share-groups']) {
    const nav = document.getElementById('nav-' + name);
    if (name === section) nav.setAttribute('aria-current', 'page'); else nav.removeAttribute('aria-current');
  }
  refresh();
}

let refreshing = Promise.resolve();

function refresh() {
  refreshing = refreshing.then(async () => {
    const view = state.view;
    try {
      if (view.needsOverview || state.clusterId === null) { // a partition or a group view does without it
        const overview = await getJson(API + '/overview');
        state.overview = overview;
        state.clusterId = overview.cluster_id;
        sample(overview);
      }
      await view.refresh();
      view.problem.hidden = true; // one problem shown at a time, and none once it is over
      if (!performance.getEntriesByName('first-view').length) performance.mark('first-view'); // for its tests
    } catch (failure) {
      if (view === state.view) {
        view.problem.textContent = failure.message;
        view.problem.hidden = false;
      }
    }
  });
  return refreshing;
}

function connection(live, text) {
  const status = document.getElementById('connection');
  status.className = live ? 'live' : 'lost';
  status.textContent = text;
}

async function watch() {
  for (;;) {
    try {
      const answer = await getJson(API + '/watch?token=' + state.token);
      connection(true, 'live');
      state.token = answer.watch_token;
      const started = Date.now();
      await refresh(); // after a quiet wait too: rates, uptime and lag move without new records
      await new Promise(resolve => setTimeout(resolve, Math.max(0, started + MIN_REDRAW_MS - Date.now())));
    } catch (failure) {
      connection(false, 'reconnecting to the broker…');
      await new Promise(resolve => setTimeout(resolve, WATCH_RETRY_MS));
    }
  }
}

window.addEventListener('hashchange', show);
document.addEventListener('DOMContentLoaded', () => {
  show();
  watch();
});
