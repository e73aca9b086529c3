// The operator dashboard. Plain DOM, no framework. Every value from the server is inserted as text
// (textContent or text nodes), never parsed as markup, so a lead's or client's strings cannot inject script.
'use strict';

(function () {
  const TOKEN_KEY = 'pbwebhook.adminToken';
  const RUNS_PER_CLIENT = 5;
  const SUMMARY_LIMIT = 50;
  const LIVE_REFRESH_MS = 5000;
  const MAX_ERRORS_SHOWN = 20;
  /** Field names of the master base's Execution Summary table (store/schema/ExecutionSummary.java). */
  const SUMMARY = {
    executionId: 'Execution ID', date: 'Date', time: 'Time', clientId: 'Client ID', clientName: 'Client Name',
    processType: 'Process Type', status: 'Status', processed: 'Leads Processed', successful: 'Leads Successful',
    failed: 'Leads Failed', successRate: 'Success Rate', duration: 'Duration', tokens: 'Tokens Used',
    errorCount: 'Error Count',
  };

  let refreshTimer = null;
  let loading = false;
  let reloadRequested = false;
  /** clientId -> {text, ok}: the last trigger answer per client, kept across re-renders. */
  const triggerResults = new Map();
  /** "clientId/kind" of triggers waiting for their answer. */
  const pendingTriggers = new Set();
  /** runIds whose error list the operator opened, so a refresh does not fold it away. */
  const openErrorLists = new Set();

  const byId = (id) => document.getElementById(id);

  /** Builds an element; props: class, text, on<event>, or attributes. Children: nodes or strings (as text). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function show(containerId, ...nodes) {
    byId(containerId).replaceChildren(...nodes.filter((n) => n !== null && n !== undefined && n !== false));
  }

  function setMessage(text, isError) {
    const m = byId('message');
    m.textContent = text || '';
    m.className = isError ? 'error' : '';
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  /** One admin API call; never throws. Resolves to {status, body, error} (error null on 2xx). */
  async function api(method, path) {
    const headers = { Accept: 'application/json' };
    if (token()) headers.Authorization = 'Bearer ' + token();
    let response;
    try {
      response = await fetch(path, { method, headers, cache: 'no-store', credentials: 'same-origin' });
    } catch (e) {
      return { status: 0, body: null, error: 'the server did not answer (' + e.message + ')' };
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    const error = response.ok ? null : (body && body.error) || 'HTTP ' + response.status;
    return { status: response.status, body, error };
  }

  // ---- formatting ----

  const number = (n) => (typeof n === 'number' ? n.toLocaleString() : '–');

  function when(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
  }

  function duration(seconds) {
    if (typeof seconds !== 'number') return '–';
    if (seconds < 60) return seconds + ' s';
    return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
  }

  function bytes(n) {
    if (typeof n !== 'number') return '–';
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
    return (n / 1024 / 1024).toFixed(1) + ' MB';
  }

  /** A CSS class from a fixed list, so a status string from the data never becomes an arbitrary class name. */
  function statusClass(status) {
    const s = String(status || '').toLowerCase();
    if (s === 'running') return 'badge running';
    if (s.includes('error') || s.includes('fail') || s === 'dead') return 'badge bad';
    if (s.startsWith('completed') || s.startsWith('success') || s === 'active') return 'badge ok';
    return 'badge neutral';
  }

  const badge = (status) => el('span', { class: statusClass(status), text: status || 'unknown' });

  function table(headings, rows, emptyText) {
    if (rows.length === 0) return el('p', { class: 'muted', text: emptyText });
    return el('div', { class: 'table-wrap' },
      el('table', null,
        el('thead', null, el('tr', null, ...headings.map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', null, ...rows.map((cells) => el('tr', null, ...cells.map((c) =>
          c instanceof Node && c.tagName === 'TD' ? c : el('td', null, c)))))));
  }

  const numeric = (value) => el('td', { class: 'num' }, value);

  // ---- clients and runs ----

  function progressCell(run) {
    const p = run.progress || {};
    const done = p.done || 0;
    const total = p.total || 0;
    const bar = el('progress', { max: Math.max(total, 1) });
    // no value = an indeterminate bar, while a running batch has not counted its leads yet
    if (total > 0 || run.status !== 'running') bar.value = total > 0 ? done : 1;
    bar.setAttribute('aria-label', 'progress ' + done + ' of ' + total);
    return el('td', { class: 'progress' }, bar, el('span', { class: 'progress-text', text: done + '/' + total }));
  }

  function countsCell(run) {
    const c = run.counts || {};
    return el('td', { class: 'num' },
      number(c.processed) + ' · ',
      el('span', { class: 'good', title: 'successful', text: number(c.successful) }), ' · ',
      el('span', { class: 'bad-text', title: 'failed', text: number(c.failed) }), ' · ',
      el('span', { class: 'muted', title: 'skipped', text: number(c.skipped) }));
  }

  function errorsCell(run) {
    const errors = run.errors || [];
    if (errors.length === 0) return el('td', { class: 'muted', text: 'none' });
    const details = el('details', {
      ontoggle: () => (details.open ? openErrorLists.add(run.runId) : openErrorLists.delete(run.runId)),
    },
    el('summary', { text: errors.length + (errors.length === 1 ? ' error' : ' errors') }),
    el('ul', null, ...errors.slice(0, MAX_ERRORS_SHOWN).map((e) => el('li', { text: e }))),
    errors.length > MAX_ERRORS_SHOWN ? el('p', { class: 'muted', text: '…and ' + (errors.length - MAX_ERRORS_SHOWN) + ' more' }) : null);
    details.open = openErrorLists.has(run.runId);
    return el('td', { class: 'errors' }, details);
  }

  function runRow(run) {
    const tokens = run.tokens || {};
    return [
      el('td', null, el('div', { text: when(run.startedAt) }), el('code', { class: 'run-id', text: run.runId || '' })),
      run.kind === 'posts' ? 'posts' : 'leads',
      el('td', null, badge(run.status)),
      progressCell(run),
      countsCell(run),
      numeric(number(tokens.total)),
      numeric(typeof run.estimatedCostUsd === 'number' ? '$' + run.estimatedCostUsd.toFixed(4) : '–'),
      numeric(duration(run.durationSeconds)),
      errorsCell(run),
    ];
  }

  function triggerButton(clientId, kind, label) {
    const key = clientId + '/' + kind;
    return el('button', {
      type: 'button',
      disabled: pendingTriggers.has(key),
      onclick: () => trigger(clientId, kind),
      text: label,
    });
  }

  function clientCard(client, runsReply) {
    const id = client.clientId;
    const result = triggerResults.get(id);
    const runs = runsReply.error ? null : runsReply.body.runs || [];
    return el('article', { class: 'client' },
      el('div', { class: 'client-head' },
        el('h3', null, client.clientName || id, ' ', el('span', { class: 'muted', text: '(' + id + ')' })),
        badge(client.status),
        el('span', { class: 'actions' },
          triggerButton(id, 'leads', 'Score leads'),
          triggerButton(id, 'posts', 'Score posts'))),
      result ? el('p', { class: result.ok ? 'trigger ok-text' : 'trigger error', role: 'status', text: result.text }) : null,
      runs === null
        ? el('p', { class: 'error', text: 'Runs not readable: ' + runsReply.error })
        : table(['Started / run id', 'Kind', 'Status', 'Progress', 'Processed · ok · failed · skipped', 'Tokens',
          'Est. cost', 'Duration', 'Errors'], runs.map(runRow), 'No runs in the last 7 days.'));
  }

  async function trigger(clientId, kind) {
    const key = clientId + '/' + kind;
    if (pendingTriggers.has(key)) return;
    const path = (kind === 'posts' ? '/run-post-batch-score' : '/run-batch-score') + '?clientId=' + encodeURIComponent(clientId);
    pendingTriggers.add(key);
    triggerResults.set(clientId, { ok: true, text: 'Starting ' + kind + ' run…' });
    refresh();
    const r = await api('POST', path);
    pendingTriggers.delete(key);
    let text;
    if (r.status === 202) {
      const run = ((r.body && r.body.runs) || [])[0] || {};
      text = '202 Accepted: ' + kind + ' run ' + (run.runId || '') + ' started';
    } else if (r.status === 409) {
      text = '409 Conflict: ' + r.error + (r.body && r.body.runId ? ' (running: ' + r.body.runId + ')' : '');
    } else {
      text = (r.status || 'no answer') + ': ' + r.error;
    }
    triggerResults.set(clientId, { ok: r.status === 202, text });
    refresh();
  }

  // ---- inbox ----

  function stat(label, value, cls) {
    return el('div', { class: 'stat' + (cls ? ' ' + cls : '') }, el('span', { class: 'stat-value', text: value }),
      el('span', { class: 'stat-label', text: label }));
  }

  function renderInbox(reply) {
    if (reply.error) {
      show('inbox', el('p', { class: 'error', text: 'Inbox not readable: ' + reply.error }));
      return;
    }
    const b = reply.body;
    const perClient = Object.entries(b.clients || {}).map(([id, c]) =>
      [id, numeric(number(c.pending)), numeric(number(c.delivered)), numeric(number(c.dead))]);
    const retrying = (b.retrying || []).map((r) =>
      [el('code', { text: r.inboxId }), r.clientId, r.kind, numeric(number(r.attempts)), r.lastError, when(r.nextAttemptAt)]);
    show('inbox',
      el('div', { class: 'stats' },
        stat('pending', number(b.pending), b.pending > 0 ? 'warn' : null),
        stat('in flight', number(b.inFlight)),
        stat('delivered', number(b.delivered)),
        stat('dead', number(b.dead), b.dead > 0 ? 'bad' : null),
        stat('oldest pending', when(b.oldestPendingAt)),
        stat('journal on disk', bytes(b.diskBytes))),
      table(['Client', 'Pending', 'Delivered', 'Dead'], perClient, 'No webhooks in the retention window.'),
      retrying.length > 0 ? el('h3', { text: 'Retrying' }) : null,
      retrying.length > 0 ? table(['Inbox id', 'Client', 'Kind', 'Attempts', 'Last error', 'Next attempt'], retrying, '') : null);
  }

  // ---- execution summary ----

  function renderSummary(reply) {
    if (reply.error) {
      show('summary', el('p', { class: 'error', text: 'Execution Summary not readable: ' + reply.error }));
      return;
    }
    const b = reply.body;
    if (!b.available) {
      show('summary', el('p', { class: 'muted', text: 'Not available: ' + (b.reason || 'no Execution Summary table') }));
      return;
    }
    const rows = (b.records || []).map((r) => {
      const f = r.fields || {};
      return [
        (f[SUMMARY.date] || '') + ' ' + (f[SUMMARY.time] || ''),
        f[SUMMARY.clientName] || f[SUMMARY.clientId] || '',
        f[SUMMARY.processType] || '',
        el('td', null, badge(f[SUMMARY.status])),
        numeric(number(f[SUMMARY.processed])),
        numeric(number(f[SUMMARY.successful])),
        numeric(number(f[SUMMARY.failed])),
        numeric(typeof f[SUMMARY.successRate] === 'number' ? f[SUMMARY.successRate] + ' %' : '–'),
        numeric(duration(f[SUMMARY.duration])),
        numeric(number(f[SUMMARY.tokens])),
        numeric(number(f[SUMMARY.errorCount])),
        el('td', null, el('code', { class: 'run-id', text: f[SUMMARY.executionId] || '' })),
      ];
    });
    show('summary', table(['Date / time (UTC)', 'Client', 'Process', 'Status', 'Processed', 'Successful', 'Failed',
      'Success rate', 'Duration', 'Tokens', 'Errors', 'Execution ID'], rows, 'No runs recorded yet.'));
  }

  // ---- refresh loop ----

  function showAccessProblem(reply) {
    const hint = reply.status === 401
      ? (token() ? 'The admin token was refused; enter the right one.' : 'This server needs the admin token.')
      : reply.error;
    setMessage(hint, true);
    const placeholder = () => el('p', { class: 'muted', text: 'Needs admin access.' });
    show('clients', placeholder());
    show('inbox', placeholder());
    show('summary', placeholder());
  }

  async function refresh() {
    if (loading) {
      reloadRequested = true;
      return;
    }
    loading = true;
    clearTimeout(refreshTimer);
    refreshTimer = null;
    let anyRunning = false;
    try {
      const clients = await api('GET', '/api/clients');
      if (clients.error) {
        showAccessProblem(clients);
        byId('refresh-state').textContent = '';
        return;
      }
      setMessage('');
      const list = (clients.body && clients.body.clients) || [];
      const [runs, inbox, summary] = await Promise.all([
        Promise.all(list.map((c) => api('GET', '/api/runs?clientId=' + encodeURIComponent(c.clientId) + '&limit=' + RUNS_PER_CLIENT))),
        api('GET', '/api/inbox'),
        api('GET', '/api/execution-summary?limit=' + SUMMARY_LIMIT),
      ]);
      anyRunning = runs.some((r) => !r.error && (r.body.runs || []).some((run) => run.status === 'running'));
      show('clients', ...(list.length === 0
        ? [el('p', { class: 'muted', text: 'No clients in the Clients table.' })]
        : list.map((c, i) => clientCard(c, runs[i]))));
      renderInbox(inbox);
      renderSummary(summary);
      byId('refresh-state').textContent = 'Updated ' + new Date().toLocaleTimeString()
        + (anyRunning ? ' · a run is going: refreshing every 5 s' : '');
    } finally {
      loading = false;
      if (reloadRequested) {
        reloadRequested = false;
        refresh();
      } else if (anyRunning) {
        refreshTimer = setTimeout(refresh, LIVE_REFRESH_MS);
      }
    }
  }

  function showTokenState() {
    byId('token').placeholder = token() ? 'a token is set for this tab' : 'not needed in demo mode from 127.0.0.1';
  }

  function start() {
    byId('token').value = '';
    showTokenState();
    byId('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = byId('token').value.trim();
      if (value) sessionStorage.setItem(TOKEN_KEY, value);
      else sessionStorage.removeItem(TOKEN_KEY);
      byId('token').value = '';
      showTokenState();
      refresh();
    });
    byId('forget-token').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      showTokenState();
      refresh();
    });
    byId('refresh').addEventListener('click', () => refresh());
    refresh();
  }

  start();
})();
