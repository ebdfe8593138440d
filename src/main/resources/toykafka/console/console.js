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

const state = {
  clusterId: null,
  token: -1,
  view: null,
  previous: null,          // the overview before the last one, for rates
  lagHistory: new Map(),   // group id -> [total lag, ...], oldest first
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

function svg(tag, attributes) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
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

function link(href, text) {
  return el('a', { href, text });
}

function table(caption, headings, rows) {
  return el('table', {},
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

function perSecond(now, before, field, topicName) {
  if (!before || now.now_ms <= before.now_ms) return null;
  const pick = o => o.topics.filter(t => topicName ? t.name === topicName : !t.internal)
    .reduce((sum, t) => sum + t[field], 0);
  return ((pick(now) - pick(before)) * 1000 / (now.now_ms - before.now_ms)).toFixed(1);
}

/** A segment's time range, first record to newest, in UTC; what is not known is left out. */
function timeRange(first, newest) {
  const time = ms => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  if (newest === null || newest === undefined) return null;
  return first === null || first === undefined ? 'to ' + time(newest) : time(first) + ' to ' + time(newest);
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

function groupPath(group) {
  return '/v3/clusters/' + encodeURIComponent(state.clusterId) + '/consumer-groups/' + encodeURIComponent(group);
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
      live.replaceChildren(
        facts([['cluster id', el('code', { text: o.cluster_id })], ['node id', o.node_id],
          ['HTTP listener', o.http], ['Kafka listener', o.kafka || 'off, or on a port chosen at start'],
          ['storage', o.storage], ['up for', duration(o.now_ms - o.started_ms)],
          ['topics', o.topics.filter(t => !t.internal).length],
          ['records in per second', perSecond(o, state.previous, 'records_in') ?? 'measuring…'],
          ['records out per second', perSecond(o, state.previous, 'records_out') ?? 'measuring…'],
          ['bytes in per second', perSecond(o, state.previous, 'bytes_in') ?? 'measuring…'],
          ['bytes out per second', perSecond(o, state.previous, 'bytes_out') ?? 'measuring…']]));
    },
  };
}

function topicsView() {
  const live = el('div');
  return {
    needsOverview: true,
    title: 'Topics',
    mount: main => main.append(el('h2', { text: 'Topics' }), live),
    refresh: async () => {
      const o = state.overview;
      const rows = o.topics.map(t => el('tr', {},
        el('td', {}, link('#/topics/' + encodeURIComponent(t.name), t.name)),
        cell(t.partitions.length, true),
        cell(t.partitions.reduce((sum, p) => sum + records(p), 0), true),
        cell(t.cleanup_policy), cell(t.retention_ms, true), cell(t.compression_type),
        cell(perSecond(o, state.previous, 'records_in', t.name), true),
        cell(perSecond(o, state.previous, 'records_out', t.name), true)));
      live.replaceChildren(table('Every topic, internal ones included', ['topic', { text: 'partitions', number: true },
        { text: 'records', number: true }, 'cleanup.policy', { text: 'retention.ms', number: true },
        'compression.type', { text: 'in/s', number: true }, { text: 'out/s', number: true }], rows));
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

function topicView(topic) {
  const live = el('div');
  return {
    needsOverview: true,
    title: topic,
    mount: main => main.append(el('h2', { text: 'Topic ' + topic }), live, ...produceForm(topic, null)),
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
    },
  };
}

/** The offsets from 0 to the high watermark as a strip: deleted ones grey, each segment a box, the active one green. */
function strip(p) {
  const width = 960, top = 18, height = 34;
  const end = Math.max(p.high_watermark, 1);
  const x = offset => Math.round(offset * width / end);
  const drawing = svg('svg', { class: 'strip', viewBox: '0 0 ' + (width + 2) + ' 74', role: 'img',
    'aria-label': 'offsets 0 to ' + p.high_watermark + ': deleted below ' + p.log_start_offset + ', '
      + p.segments.length + ' segments' });
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
      const name = svg('text', { x: x(segment.base_offset) + 5, y: top + 21 });
      name.textContent = segment.base_offset;
      drawing.append(name);
    }
  }
  const label = (at, text, y) => { const t = svg('text', { x: Math.min(x(at), width - 120), y }); t.textContent = text; return t; };
  drawing.append(label(p.log_start_offset, 'log start ' + p.log_start_offset, 12),
    label(p.high_watermark, 'high watermark ' + p.high_watermark, 68));
  return drawing;
}

function partitionView(topic, partition) {
  const live = el('div');
  const tail = el('div', { id: 'tail' });
  const tailState = { next: null, batches: [] };
  const from = el('select', { id: 'tail-from', name: 'from' },
    el('option', { value: 'earliest', text: 'earliest' }), el('option', { value: 'latest', text: 'latest' }),
    el('option', { value: 'offset', text: 'offset' }), el('option', { value: 'timestamp', text: 'time (ms)' }));
  const at = el('input', { id: 'tail-at', name: 'at', inputmode: 'numeric', placeholder: 'offset or epoch ms' });
  const follow = el('input', { id: 'tail-follow', type: 'checkbox', checked: true });
  const hex = el('input', { id: 'tail-hex', type: 'checkbox' });
  const base = API + '/partitions/' + encodeURIComponent(topic) + '/' + partition;

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

  function drawTail() {
    const rows = [];
    for (const b of tailState.batches) {
      rows.push(el('tr', { class: 'batch' }, el('td', { colspan: 5, text: 'batch ' + b.base_offset + '–' + b.last_offset
        + ', ' + b.bytes + ' bytes, ' + b.compression + ', producer id ' + b.producer_id + ' epoch ' + b.producer_epoch
        + ' first sequence ' + b.base_sequence + (b.control ? ', control' : '') })));
      for (const r of b.records) {
        rows.push(el('tr', { class: 'record' }, cell(r.offset, true), cell(new Date(r.timestamp).toISOString()),
          el('td', {}, shown(r.key, r.key_hex)), el('td', {}, shown(r.value, r.value_hex)),
          cell(r.headers.map(h => h.key + '=' + (h.value ?? '…')).join(', ') || null)));
      }
    }
    tail.replaceChildren(table('Records from the log, batch by batch', [{ text: 'offset', number: true }, 'timestamp',
      'key', 'value', 'headers'], rows));
  }

  const seek = el('form', { class: 'inline', 'aria-label': 'Where to read from' },
    el('label', {}, 'read from', from), el('label', {}, 'offset or time', at),
    el('button', { type: 'submit', id: 'tail-go', text: 'Read' }),
    el('label', {}, 'follow new records', follow), el('label', {}, 'show as hex', hex));
  seek.addEventListener('submit', event => {
    event.preventDefault();
    const query = from.value === 'offset' ? 'offset=' + encodeURIComponent(at.value)
      : from.value === 'timestamp' ? 'timestamp=' + encodeURIComponent(at.value) : 'offset=' + from.value;
    load(query, false).catch(failure => tail.replaceChildren(el('p', { class: 'error', text: failure.message })));
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

  function cleaning(c) {
    if (!c) return null;
    const headings = ['file', { text: 'base offset', number: true }, { text: 'next offset', number: true },
      { text: 'bytes', number: true }, { text: 'index entries', number: true }, 'records written', ''];
    return el('section', { 'aria-label': 'The last cleaner pass' }, el('h3', { text: 'The last cleaner pass' }),
      facts([['when', new Date(c.at_ms).toISOString()], ['records read', c.records_read],
        ['records removed', c.records_removed], ['bytes', c.bytes_before + ' → ' + c.bytes_after]]),
      table('Segments before the pass', headings, segmentRows(c.before, false)),
      table('Segments after it: the same base offsets, fewer records, gaps where the older values were', headings,
        segmentRows(c.after, false)));
  }

  return {
    title: topic + '-' + partition,
    mount: main => main.append(el('h2', { text: 'Partition ' + topic + '-' + partition }), live, index,
      el('h3', { text: 'Tail' }), seek, tail, ...produceForm(topic, partition)),
    refresh: async () => {
      const p = await getJson(base);
      live.replaceChildren(
        facts([['log start offset', p.log_start_offset], ['high watermark', p.high_watermark],
          ['records', p.high_watermark - p.log_start_offset], ['storage', p.storage]]),
        strip(p),
        p.segments.length ? table('Segments on disk, oldest first', ['file', { text: 'base offset', number: true },
          { text: 'next offset', number: true }, { text: 'bytes', number: true }, { text: 'index entries', number: true },
          'records written', '', 'sparse index'], segmentRows(p.segments, true))
          : el('p', { class: 'note', text: 'Kept in memory: no segments on disk.' }),
        cleaning(p.last_cleaning));
      if (tailState.next === null) await load('offset=earliest', false);
      else if (follow.checked && p.high_watermark > tailState.next) {
        const from = Math.max(tailState.next, p.high_watermark - FOLLOW_BACK);
        await load('offset=' + from + '&max_bytes=' + FOLLOW_BYTES + '&max_records=' + FOLLOW_BACK,
          from === tailState.next);
      }
    },
  };
}

function groupsView() {
  const live = el('div');
  return {
    title: 'Groups',
    mount: main => main.append(el('h2', { text: 'Consumer groups' }), live),
    refresh: async () => {
      const groups = (await getJson('/v3/clusters/' + encodeURIComponent(state.clusterId) + '/consumer-groups')).data;
      live.replaceChildren(groups.length ? table('Every group the coordinator knows', ['group', 'state',
        { text: 'generation', number: true }, 'assignor'], groups.map(g => el('tr', {},
        el('td', {}, link('#/groups/' + encodeURIComponent(g.consumer_group_id), g.consumer_group_id)),
        cell(g.state), cell(g.generation, true), cell(g.partition_assignor || null))))
        : el('p', { class: 'note', text: 'No groups yet: start a consumer with a group.id.' }));
    },
  };
}

function lagSparkline(samples) {
  const width = 240, height = 32, max = Math.max(1, ...samples);
  const points = samples.map((lag, i) => (i * width / Math.max(1, LAG_SAMPLES_KEPT - 1)).toFixed(1) + ','
    + (height - 2 - lag * (height - 4) / max).toFixed(1)).join(' ');
  const drawing = svg('svg', { class: 'spark', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
    'aria-label': 'total lag over the last ' + samples.length + ' updates, now ' + samples[samples.length - 1] });
  drawing.append(svg('polyline', { points }));
  return drawing;
}

function groupView(group) {
  const live = el('div');
  return {
    title: group,
    mount: main => main.append(el('h2', { text: 'Group ' + group }), live),
    refresh: async () => {
      const g = await getJson(groupPath(group));
      const consumers = (await getJson(groupPath(group) + '/consumers')).data;
      const owned = await Promise.all(consumers.map(c => getJson(groupPath(group) + '/consumers/'
        + encodeURIComponent(c.consumer_id) + '/assignments').then(a => a.data)));
      const lags = (await getJson(groupPath(group) + '/lags')).data.sort((a, b) =>
        a.topic_name.localeCompare(b.topic_name) || a.partition_id - b.partition_id);
      const total = lags.reduce((sum, l) => sum + l.lag, 0);
      const history = state.lagHistory.get(group) || [];
      history.push(total);
      if (history.length > LAG_SAMPLES_KEPT) history.shift();
      state.lagHistory.set(group, history);
      live.replaceChildren(
        facts([['state', g.state], ['generation', g.generation], ['assignor', g.partition_assignor || null],
          ['members', consumers.length], ['total lag', total], ['lag over time', lagSparkline(history)]]),
        table('Members and the partitions each owns', ['client id', 'member id', 'partitions'],
          consumers.map((c, i) => el('tr', {}, cell(c.client_id), cell(el('code', { text: c.consumer_id })),
            cell(owned[i].map(a => a.topic_name + '-' + a.partition_id).join(', ') || 'none')))),
        table('Committed offsets against the end of each partition', ['partition', { text: 'committed', number: true },
          { text: 'log end offset', number: true }, { text: 'lag', number: true }, 'owner'],
          lags.map(l => el('tr', {}, cell(l.topic_name + '-' + l.partition_id), cell(l.current_offset, true),
            cell(l.log_end_offset, true), cell(l.lag, true), cell(l.client_id || null)))));
    },
  };
}

// ---- routing, refreshing, and the watch ----

function viewFor(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'topics' && parts.length === 3) return partitionView(parts[1], Number(parts[2]));
  if (parts[0] === 'topics' && parts.length === 2) return topicView(parts[1]);
  if (parts[0] === 'topics') return topicsView();
  if (parts[0] === 'groups' && parts.length === 2) return groupView(parts[1]);
  if (parts[0] === 'groups') return groupsView();
  return clusterView();
}

function show() {
  const main = document.getElementById('view');
  state.view = viewFor(location.hash);
  main.replaceChildren();
  state.view.mount(main);
  document.title = state.view.title + ' · toykafka console';
  const section = (location.hash.match(/^#\/(topics|groups)/) || [null, 'cluster'])[1];
  for (const name of ['cluster', 'topics', 'groups']) {
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
        state.previous = state.overview;
        state.overview = overview;
        state.clusterId = overview.cluster_id;
      }
      await view.refresh();
      if (!performance.getEntriesByName('first-view').length) performance.mark('first-view'); // for its tests
    } catch (failure) {
      if (view === state.view) {
        document.getElementById('view').append(el('p', { class: 'error', role: 'alert', text: failure.message }));
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
