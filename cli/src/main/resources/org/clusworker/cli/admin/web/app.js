// The clusworker web status page. Reads GET /v1/resources once (and again on a resync), then follows
// the host's event stream (GET /v1/events, an EventSource: no reload, no polling). Authenticated by
// the session cookie (HttpOnly: this script never sees it); a POST carries the session's CSRF token,
// which GET /v1/session gives. Everything shown is set with textContent, never as HTML.
'use strict';

const STATE_NAMES = { UNKNOWN: 'Unknown', ONLINE: 'Online', OFFLINE: 'Offline', FAILED: 'Failed',
  ONLINE_PENDING: 'OnlinePending', OFFLINE_PENDING: 'OfflinePending' };
const EVENT_KINDS = ['transition', 'progress', 'failure', 'retry', 'host', 'resync'];
const TIMELINE_MAX = 60;
const SVG = 'http://www.w3.org/2000/svg';

const page = {
  csrf: null,
  resources: new Map(), // name -> status (as StatusJson), in configuration order
  lastEventId: 0,
  source: null,
  loggedOut: false,
};

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function duration(ms) {
  let s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400); s %= 86400;
  const h = Math.floor(s / 3600); s %= 3600;
  const m = Math.floor(s / 60); s %= 60;
  if (d) return d + 'd ' + h + 'h';
  if (h) return h + 'h ' + m + 'm';
  if (m) return m + 'm ' + s + 's';
  return s + 's';
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour12: false });
}

function notice(text, isError) {
  const n = document.getElementById('notice');
  n.textContent = text;
  n.className = isError ? 'error' : '';
  n.hidden = !text;
}

function connection(text, cls) {
  const c = document.getElementById('connection');
  c.textContent = text;
  c.className = 'conn ' + cls;
}

function loggedOut() {
  page.loggedOut = true;
  if (page.source) page.source.close();
  connection('logged out', 'conn-down');
  notice('The session has ended (or the host restarted). Run "clusworker open" and open the address it prints.', true);
  document.querySelectorAll('button').forEach(b => { b.disabled = true; });
}

async function getJson(path) {
  const r = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
  if (r.status === 401) { loggedOut(); throw new Error('logged out'); }
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}

// --- the table ---------------------------------------------------------------------------------

function pendingText(s) {
  const parts = [];
  if (s.state === 'ONLINE_PENDING' || s.state === 'OFFLINE_PENDING') {
    parts.push(s.progress ? s.progress : 'pending');
  }
  if (s.nextAttempt) {
    parts.push('next attempt in ' + duration(new Date(s.nextAttempt) - Date.now()) + ' (' + clock(s.nextAttempt) + ')');
  }
  return parts.join('; ');
}

function renderRow(s) {
  const tbody = document.querySelector('#resources tbody');
  let row = tbody.querySelector('tr[data-resource="' + CSS.escape(s.name) + '"]');
  if (!row) {
    row = el('tr', { 'data-resource': s.name });
    for (const cls of ['name', 'type', 'state', 'since', 'restarts num', 'failure', 'pending', 'deps', 'actions']) {
      row.append(el('td', { class: cls }));
    }
    const on = el('button', { class: 'online', type: 'button' }, 'Online');
    const off = el('button', { class: 'offline', type: 'button' }, 'Offline');
    on.addEventListener('click', () => request(s.name, 'online'));
    off.addEventListener('click', () => request(s.name, 'offline'));
    row.querySelector('.actions').append(on, off);
    tbody.append(row);
  }
  row.querySelector('.name').textContent = s.name;
  row.querySelector('.type').textContent = s.type;
  const state = row.querySelector('.state');
  state.replaceChildren(el('span', { class: 'badge s-' + s.state, 'data-state': s.state }, STATE_NAMES[s.state] || s.state));
  row.querySelector('.since').textContent = s.since ? duration(Date.now() - new Date(s.since)) : '';
  row.querySelector('.restarts').textContent = String(s.restarts);
  row.querySelector('.failure').textContent = s.lastFailure || '';
  row.querySelector('.pending').textContent = pendingText(s);
  row.querySelector('.deps').textContent = (s.dependsOn || []).join(', ');
  row.querySelector('button.online').disabled = page.loggedOut || s.state === 'ONLINE' || s.state === 'ONLINE_PENDING';
  row.querySelector('button.offline').disabled = page.loggedOut || s.state === 'OFFLINE';
}

function renderTable() {
  const tbody = document.querySelector('#resources tbody');
  for (const row of [...tbody.children]) {
    if (!page.resources.has(row.dataset.resource)) row.remove();
  }
  for (const s of page.resources.values()) renderRow(s);
}

// the time in state and the next attempt move on with the clock, not with events
function tick() {
  for (const s of page.resources.values()) {
    const row = document.querySelector('#resources tr[data-resource="' + CSS.escape(s.name) + '"]');
    if (!row) continue;
    row.querySelector('.since').textContent = s.since ? duration(Date.now() - new Date(s.since)) : '';
    row.querySelector('.pending').textContent = pendingText(s);
  }
}

// --- the dependency graph ----------------------------------------------------------------------

function depths() {
  const depth = new Map();
  const visiting = new Set();
  const of = name => {
    if (depth.has(name)) return depth.get(name);
    if (visiting.has(name) || !page.resources.has(name)) return 0; // a cycle or an unknown name: no deeper
    visiting.add(name);
    let d = 0;
    for (const dep of page.resources.get(name).dependsOn || []) d = Math.max(d, of(dep) + 1);
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const name of page.resources.keys()) of(name);
  return depth;
}

function renderGraph() {
  const W = 170, H = 46, GX = 70, GY = 18, PAD = 16;
  const depth = depths();
  const columns = [];
  for (const name of page.resources.keys()) {
    const d = depth.get(name);
    (columns[d] = columns[d] || []).push(name);
  }
  const pos = new Map();
  columns.forEach((names, d) => names.forEach((name, i) => {
    pos.set(name, { x: PAD + d * (W + GX), y: PAD + i * (H + GY) });
  }));
  const rows = Math.max(1, ...columns.map(c => (c || []).length));
  const width = PAD * 2 + Math.max(1, columns.length) * (W + GX) - GX;
  const height = PAD * 2 + rows * (H + GY) - GY;
  const root = svg('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img',
    'aria-label': 'dependency graph' });
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7',
    markerHeight: '7', orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#8a8a94' }));
  defs.append(marker);
  root.append(defs);
  for (const [name, s] of page.resources) {
    const from = pos.get(name);
    for (const dep of s.dependsOn || []) {
      const to = pos.get(dep);
      if (!to) continue;
      const x1 = from.x, y1 = from.y + H / 2, x2 = to.x + W, y2 = to.y + H / 2;
      const mx = (x1 + x2) / 2;
      const path = svg('path', { class: 'edge', d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`,
        'marker-end': 'url(#arrow)' });
      const title = svg('title');
      title.textContent = name + ' waits for ' + dep;
      path.append(title);
      root.append(path);
    }
  }
  for (const [name, s] of page.resources) {
    const p = pos.get(name);
    const g = svg('g', { 'data-resource': name });
    g.append(svg('rect', { class: 'node ' + s.state, x: p.x, y: p.y, width: W, height: H, rx: 8 }));
    const label = svg('text', { class: 'node-label', x: p.x + 10, y: p.y + 19 });
    label.textContent = name.length > 20 ? name.slice(0, 19) + '…' : name;
    const st = svg('text', { class: 'node-state', x: p.x + 10, y: p.y + 36 });
    st.textContent = (STATE_NAMES[s.state] || s.state) + ' · ' + s.type;
    const title = svg('title');
    title.textContent = name + ': ' + (STATE_NAMES[s.state] || s.state);
    g.append(title, label, st);
    root.append(g);
  }
  document.getElementById('graph').replaceChildren(root);
}

// --- the timeline ------------------------------------------------------------------------------

function addToTimeline(ev) {
  let text;
  if (ev.kind === 'transition') {
    text = ev.resource + ': ' + (STATE_NAMES[ev.from] || ev.from) + ' → ' + (STATE_NAMES[ev.to] || ev.to)
      + (ev.message ? ' (' + ev.message + ')' : '');
  } else if (ev.kind === 'failure') {
    text = ev.resource + ' failed: ' + (ev.message || '');
  } else if (ev.kind === 'host') {
    text = 'host: ' + (ev.message || '');
  } else {
    return;
  }
  const list = document.getElementById('timeline');
  const item = el('li', { class: 'kind-' + ev.kind, 'data-event-id': String(ev.id) },
    el('time', { datetime: ev.time }, clock(ev.time)), text);
  list.prepend(item);
  while (list.children.length > TIMELINE_MAX) list.lastElementChild.remove();
}

// --- data --------------------------------------------------------------------------------------

async function loadResources() {
  const body = await getJson('/v1/resources');
  document.getElementById('host-name').textContent = '— host ' + body.host;
  document.title = 'clusworker: ' + body.host;
  page.resources = new Map(body.resources.map(s => [s.name, s]));
  renderTable();
  renderGraph();
}

// --- the cluster (when this host is a node of one) ----------------------------------------------

const PHASES = { OFFLINE: 'Offline', ONLINING: 'Onlining', ONLINE: 'Online', OFFLINING: 'Offlining', FAILED: 'Failed', STUCK: 'Stuck' };

function renderCluster(c) {
  document.getElementById('cluster').hidden = false;
  document.getElementById('cluster-name').textContent = '— ' + c.cluster;
  const nodes = document.querySelector('#cluster-nodes tbody');
  nodes.replaceChildren(...c.nodes.map(n => el('tr', { 'data-node': n.name },
    el('td', {}, n.name),
    el('td', {}, el('span', { class: 'badge node-' + n.state.split(' ')[0] }, n.state)),
    el('td', { class: 'num' }, n.pid === undefined ? '-' : String(n.pid)))));
  const groups = document.querySelector('#cluster-groups tbody');
  const others = c.nodes.map(n => n.name);
  groups.replaceChildren(...c.groups.map(g => {
    const move = el('button', { type: 'button' }, 'Move…');
    move.addEventListener('click', () => moveGroup(g.name, g.owner, others));
    return el('tr', { 'data-group': g.name },
      el('td', {}, g.name),
      el('td', {}, g.owner || '-'),
      el('td', { class: 'num' }, String(g.epoch)),
      el('td', {}, el('span', { class: 'badge phase-' + g.phase.toLowerCase() }, PHASES[g.phase] || g.phase)),
      el('td', { class: 'num' }, g.failoversInPeriod + '/' + g.failoverThreshold),
      el('td', {}, g.owner ? (g.ifOwnerFails || '(nowhere)') : '-'),
      el('td', { class: 'reason' }, (g.reason || '') + (g.target ? '; move requested to ' + g.target : '')),
      el('td', { class: 'actions' }, move));
  }));
}

async function loadCluster() {
  const r = await fetch('/v1/cluster', { credentials: 'same-origin', cache: 'no-store' });
  if (r.status === 401) { loggedOut(); return; }
  if (r.status === 404) { document.getElementById('cluster').hidden = true; return; }   // not a cluster node
  const body = await r.json().catch(() => ({}));
  if (!r.ok) { notice('cannot read the cluster: ' + (body.error || 'HTTP ' + r.status), true); return; }
  renderCluster(body);
}

async function moveGroup(group, owner, nodes) {
  const choices = nodes.filter(n => n !== owner);
  const to = window.prompt('Move group "' + group + '" from ' + (owner || 'nowhere') + ' to which node? (' + choices.join(', ')
    + '; empty: the best possible node)', '');
  if (to === null) return;                       // cancelled: nothing changes
  const target = to.trim();
  if (!window.confirm('Move group "' + group + '" to ' + (target || 'the best possible node') + '?')) return;
  try {
    const r = await fetch('/v1/cluster/groups/' + encodeURIComponent(group) + '/move', {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'X-CSRF-Token': page.csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify(target ? { to: target } : {}),
    });
    if (r.status === 401) { loggedOut(); return; }
    const body = await r.json().catch(() => ({}));
    if (r.status === 202) notice(group + ': move requested' + (target ? ' to ' + target : ''), false);
    else notice(group + ': move refused (HTTP ' + r.status + '): ' + (body.error || ''), true);
  } catch (e) {
    notice(group + ': move failed: ' + e.message, true);
  }
}

function onEvent(ev) {
  if (ev.id > page.lastEventId) page.lastEventId = ev.id;
  if (ev.kind === 'host' && typeof ev.message === 'string' && ev.message.startsWith('cluster: ')) {
    loadCluster().catch(e => notice('cannot read the cluster: ' + e.message, true));   // the cluster changed
  }
  if (ev.kind === 'resync') {
    loadResources().catch(e => notice('cannot read the resources: ' + e.message, true));
    return;
  }
  addToTimeline(ev);
  if (ev.resource && ev.status) {
    const known = page.resources.has(ev.resource);
    const old = page.resources.get(ev.resource);
    page.resources.set(ev.resource, ev.status);
    if (!known) {
      loadResources().catch(() => {}); // a resource this page did not know: read them all again
      return;
    }
    renderRow(ev.status);
    if (old.state !== ev.status.state || String(old.dependsOn) !== String(ev.status.dependsOn)) renderGraph();
  }
}

function connect() {
  if (page.loggedOut) return;
  // from event 0: the host replays the events it still holds (the timeline), then the live ones
  const source = new EventSource('/v1/events?lastEventId=' + page.lastEventId);
  page.source = source;
  source.onopen = () => connection('live', 'conn-live');
  for (const kind of EVENT_KINDS) {
    source.addEventListener(kind, m => {
      try {
        onEvent(JSON.parse(m.data));
      } catch (e) {
        console.error('event', m.data, e);
      }
    });
  }
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) {
      // refused (401: logged out) or the host is gone: look, then try again
      connection('disconnected', 'conn-down');
      fetch('/v1/session', { credentials: 'same-origin', cache: 'no-store' })
        .then(r => { if (r.status === 401) loggedOut(); else setTimeout(connect, 2000); })
        .catch(() => setTimeout(connect, 3000));
    } else {
      connection('reconnecting…', 'conn-connecting');
    }
  };
}

// --- actions -----------------------------------------------------------------------------------

async function request(name, verb) {
  if (!window.confirm('Bring resource "' + name + '" ' + verb + '?')) return;
  try {
    const r = await fetch('/v1/resources/' + encodeURIComponent(name) + '/' + verb, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'X-CSRF-Token': page.csrf },
    });
    if (r.status === 401) { loggedOut(); return; }
    const body = await r.json().catch(() => ({}));
    if (r.status === 202) {
      notice(name + ': ' + verb + ' requested', false);
    } else {
      notice(name + ': ' + verb + ' refused (HTTP ' + r.status + '): ' + (body.error || ''), true);
    }
  } catch (e) {
    notice(name + ': ' + verb + ' failed: ' + e.message, true);
  }
}

async function start() {
  try {
    const session = await getJson('/v1/session');
    page.csrf = session.csrf;
    await loadResources();
    await loadCluster();
    connect();
    setInterval(tick, 1000);
  } catch (e) {
    if (!page.loggedOut) notice('cannot load the page: ' + e.message, true);
  }
}

document.addEventListener('DOMContentLoaded', start);
