// The status page: reads the operator's REST API with the viewer's Kubernetes bearer token and
// renders it; it holds no data of its own. Values are written with textContent (never as HTML).
(() => {
  'use strict';
  const REFRESH_MILLIS = 2000;
  const params = new URLSearchParams(location.search);
  const state = {
    namespace: params.get('namespace') || sessionStorage.getItem('lifeline.namespace') || '',
    name: params.get('name') || sessionStorage.getItem('lifeline.name') || '',
    token: sessionStorage.getItem('lifeline.token') || '',
    timer: null,
  };
  const $ = (id) => document.getElementById(id);

  function apiPath(suffix) {
    return `/api/v1/namespaces/${encodeURIComponent(state.namespace)}/realtimeplatforms/${encodeURIComponent(state.name)}/${suffix}`;
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function call(method, suffix) {
    const response = await fetch(apiPath(suffix), {
      method, headers: { Authorization: `Bearer ${state.token}`, Accept: 'application/json' },
    });
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = { message: text }; }
    if (!response.ok) {
      throw new ApiError(response.status, (body && body.message) || `${response.status} ${response.statusText}`);
    }
    return body;
  }

  /** GET that answers null on 404 (no self-healing step or no drill yet). */
  async function optional(suffix) {
    try { return await call('GET', suffix); } catch (e) {
      if (e.status === 404) { return null; }
      throw e;
    }
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text === undefined || text === null ? '—' : String(text);
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  function millis(value) {
    return value === undefined || value === null ? '—' : `${(value / 1000).toFixed(1)} s`;
  }

  function renderRegions(regions, health) {
    const body = $('regions').querySelector('tbody');
    body.replaceChildren();
    for (const region of regions) {
      const row = document.createElement('tr');
      row.dataset.region = region.name;
      cell(row, region.name).dataset.field = 'name';
      const healthName = region.health || (health && health.regions && health.regions[region.name]);
      cell(row, healthName, `health-${healthName}`).dataset.field = 'health';
      const weight = cell(row, region.dnsWeight);
      weight.dataset.field = 'weight';
      if (region.dnsWeight === undefined || region.dnsWeight === null) {
        weight.title = "Set by that region's own operator; see its status page.";
      }
      const breakers = (region.breakers || []).map((b) => `${b.component}: ${b.state}`).join(', ');
      cell(row, breakers || 'none').dataset.field = 'breakers';
      // Sessions and capacity as the latest self-healing step read them (the regions' heartbeats).
      const heartbeat = (health && health.load && health.load[region.name]) || {};
      const sessions = region.activeSessions ?? heartbeat.sessions;
      const capacity = region.capacity ?? heartbeat.capacity;
      const load = sessions === undefined && capacity === undefined ? null : `${sessions ?? '?'} / ${capacity ?? '?'}`;
      cell(row, load).dataset.field = 'sessions';
      cell(row, region.readyReplicas).dataset.field = 'readyReplicas';
      cell(row, region.lastHeartbeat).dataset.field = 'lastHeartbeat';
      if (region.dnsWeight === 0) { row.classList.add('drained'); }
      body.appendChild(row);
    }
  }

  function renderLocal(health) {
    $('phase').textContent = health ? health.phase : 'no self-healing step yet';
    $('quorum').textContent = health
      ? `${health.quorum.live.length} live, down: ${health.quorum.down.join(', ') || 'none'}${health.quorum.isolated ? ', isolated' : ''}`
      : '—';
    $('notes').textContent = health && health.notes && health.notes.length ? `Notes: ${health.notes.join('; ')}` : '';
  }

  function renderTimeline(history) {
    const body = $('timeline').querySelector('tbody');
    body.replaceChildren();
    for (const entry of [...history].reverse()) {
      const row = document.createElement('tr');
      row.dataset.action = entry.action;
      cell(row, entry.time);
      cell(row, entry.action);
      cell(row, entry.region);
      cell(row, entry.component);
      cell(row, entry.outcome);
      cell(row, millis(entry.durationMillis));
      cell(row, entry.reason);
      body.appendChild(row);
    }
  }

  function renderDrill(drill) {
    for (const td of $('drill').querySelectorAll('td[data-field]')) {
      const field = td.dataset.field;
      const value = drill ? drill[field] : null;
      td.textContent = field.endsWith('Millis') ? millis(value)
        : field === 'holdSeconds' && value ? `${value} s` : (value ?? (field === 'id' ? 'none yet' : '—'));
    }
    $('drill').dataset.phase = drill ? drill.phase : '';
  }

  // Each region's operator owns its own DNS weight: this page knows only its own region's.
  function renderSummary(regions, health) {
    if (!health) {
      $('summary').textContent = 'No self-healing step yet in this region.';
      return;
    }
    const healthy = Object.values(health.regions).filter((h) => h === 'Healthy').length;
    $('summary').textContent = `This operator runs in ${health.region}: weight ${health.dnsWeight}, ${health.phase}. `
      + `${healthy} of ${Object.keys(health.regions).length} regions healthy.`;
  }

  async function refresh() {
    try {
      const [regions, health, history, drill, access] = await Promise.all([
        call('GET', 'regions'), optional('health'), call('GET', 'history'), optional('drill'), call('GET', 'access'),
      ]);
      $('error').textContent = '';
      $('user').textContent = access.user;
      $('drill-controls').hidden = !access.startDrill;
      renderSummary(regions, health);
      renderRegions(regions, health);
      renderLocal(health);
      renderTimeline(history || []);
      renderDrill(drill);
      $('updated').textContent = new Date().toLocaleTimeString();
      $('status').hidden = false;
    } catch (e) {
      if (e.status === 401) {
        signOut('The API server did not accept the token (401): sign in again.');
      } else if (e.status === 403) {
        signOut(`Not allowed (403): ${e.message}`);
      } else {
        $('error').textContent = `Could not refresh: ${e.message}`;
      }
    }
  }

  async function startDrill() {
    const hold = $('hold-seconds').value;
    $('start-drill').disabled = true;
    try {
      const started = await call('POST', `drill?holdSeconds=${encodeURIComponent(hold)}`);
      $('drill-result').textContent = `Started ${started.id} in ${started.region}.`;
    } catch (e) {
      $('drill-result').textContent = `Not started (${e.status}): ${e.message}`;
    } finally {
      $('start-drill').disabled = false;
      refresh();
    }
  }

  function show() {
    $('platform-name').textContent = `${state.namespace}/${state.name}`;
    $('sign-in').hidden = true;
    clearInterval(state.timer);
    refresh();
    state.timer = setInterval(refresh, REFRESH_MILLIS);
  }

  function signOut(message) {
    clearInterval(state.timer);
    sessionStorage.removeItem('lifeline.token');
    state.token = '';
    $('status').hidden = true;
    $('namespace').value = state.namespace;
    $('name').value = state.name;
    $('token').value = '';
    $('sign-in-error').textContent = message || '';
    $('sign-in').hidden = false;
  }

  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.namespace = $('namespace').value.trim();
    state.name = $('name').value.trim();
    state.token = $('token').value.trim();
    // Session storage: the token lives as long as the tab, never in the URL or a cookie.
    sessionStorage.setItem('lifeline.namespace', state.namespace);
    sessionStorage.setItem('lifeline.name', state.name);
    sessionStorage.setItem('lifeline.token', state.token);
    show();
  });
  $('start-drill').addEventListener('click', startDrill);
  $('sign-out').addEventListener('click', () => signOut(''));

  if (state.token && state.namespace && state.name) { show(); } else { signOut(''); }
})();
