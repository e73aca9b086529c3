// The operator dashboard. Plain DOM, no framework, one chart library served by this server (ECharts, from a
// webjar). Every value from the server is inserted as text (textContent or text nodes), never parsed as markup,
// so a lead's or client's strings cannot inject script. All times are shown in UTC, labelled.
'use strict';

(function () {
  const TOKEN_KEY = 'pbwebhook.adminToken';
  const RUNS_PER_CLIENT = 5;
  const SUMMARY_LIMIT = 50;
  const LIVE_REFRESH_MS = 5000;
  const HEALTH_MAX_AGE_MS = 60000;
  const MAX_ERRORS_SHOWN = 20;
  const LEADS_LIMIT = 1000;
  const DEAD_LIMIT = 200;
  /** A trigger's answer stays this long at least, then goes once the client has no run going. */
  const TRIGGER_MESSAGE_MIN_MS = 5000;
  const PAGES = ['overview', 'trends', 'leads', 'inbox', 'dead', 'clients'];
  /** Field names of the master base's Execution Summary table (store/schema/ExecutionSummary.java). */
  const SUMMARY = {
    executionId: 'Execution ID', date: 'Date', time: 'Time', clientId: 'Client ID', clientName: 'Client Name',
    processType: 'Process Type', status: 'Status', processed: 'Leads Processed', successful: 'Leads Successful',
    failed: 'Leads Failed', successRate: 'Success Rate', duration: 'Duration', tokens: 'Tokens Used',
    errorCount: 'Error Count',
  };
  /** Field names of a client's Leads table (store/schema/Leads.java). */
  const LEAD = {
    url: 'LinkedIn Profile URL', first: 'First Name', last: 'Last Name', headline: 'Headline',
    status: 'Scoring Status', score: 'AI Score', breakdown: 'AI Attribute Breakdown',
    assessment: 'AI Profile Assessment', postsScore: 'Posts Relevance Score', postsEvaluation: 'Posts AI Evaluation',
    topPost: 'Top Scoring Post', dateScored: 'Date Scored',
  };

  let refreshTimer = null;
  let loading = false;
  let reloadRequested = false;
  let clientsCache = [];
  /** clientId -> {text, ok, at}: the last trigger answer per client, kept across re-renders. */
  const triggerResults = new Map();
  /** "clientId/kind" of triggers waiting for their answer. */
  const pendingTriggers = new Set();
  /** runIds whose error list the operator opened, so a refresh does not fold it away. */
  const openErrorLists = new Set();
  /** clientId -> {at, reply} of the last health check. */
  const healthCache = new Map();
  const charts = {};
  let leadsRows = [];

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

  /**
   * Replaces a container's content. Keyboard focus survives: the focused element's data-focus-key is looked up in
   * the new content and focused again, so a refresh never throws the operator out of a button or a field.
   */
  function show(containerId, ...nodes) {
    const active = document.activeElement;
    const focusKey = active && active.dataset ? active.dataset.focusKey : null;
    const container = byId(containerId);
    const hadFocus = focusKey && container.contains(active);
    container.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined && n !== false));
    if (hadFocus) {
      const again = container.querySelector('[data-focus-key="' + CSS.escape(focusKey) + '"]');
      if (again) again.focus();
    }
  }

  function setMessage(text, isError) {
    const m = byId('message');
    m.textContent = text || '';
    m.className = isError ? 'error' : '';
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  /** One API call; never throws. Resolves to {status, body, error} (error null on 2xx; status 0: no answer). */
  async function api(method, path, jsonBody) {
    const headers = { Accept: 'application/json' };
    if (token()) headers.Authorization = 'Bearer ' + token();
    const init = { method, headers, cache: 'no-store', credentials: 'same-origin' };
    if (jsonBody !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(jsonBody);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      return { status: 0, body: null, error: 'the server is not answering' };
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

  const number = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '–');
  const usd = (n) => (typeof n === 'number' ? '$' + n.toFixed(4) : '–');

  /** An instant as "YYYY-MM-DD HH:MM:SS UTC": one zone everywhere on the page. */
  function when(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
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
    if (s.includes('error') || s.includes('fail') || s === 'dead' || s === 'paused') return 'badge bad';
    if (s.startsWith('completed') || s.startsWith('success') || s === 'active' || s === 'scored') return 'badge ok';
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

  /** What a section shows when its data could not be read: the server down is not an access problem. */
  function unreadable(what, reply) {
    if (reply.status === 0) return el('p', { class: 'error', text: 'Server not reachable: ' + what + ' unknown.' });
    if (reply.status === 401 || reply.status === 403) return el('p', { class: 'muted', text: 'Needs admin access.' });
    return el('p', { class: 'error', text: what + ' not readable: ' + reply.error });
  }

  // ---- overview: clients and runs ----

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
      numeric(usd(run.estimatedCostUsd)),
      numeric(duration(run.durationSeconds)),
      errorsCell(run),
    ];
  }

  function triggerButton(clientId, kind, label) {
    const key = clientId + '/' + kind;
    return el('button', {
      type: 'button',
      disabled: pendingTriggers.has(key),
      'data-focus-key': 'trigger:' + key,
      onclick: () => trigger(clientId, kind),
      text: label,
    });
  }

  function healthLine(clientId) {
    const cached = healthCache.get(clientId);
    if (!cached) return el('p', { class: 'muted health', text: 'Health: checking…' });
    const r = cached.reply;
    const b = r.body || {};
    if (r.status === 0) return el('p', { class: 'error health', text: 'Health: server not reachable' });
    if (r.status === 401 || r.status === 403) return null;
    const gaps = [];
    (b.missingTables || []).forEach((t) => gaps.push('table ' + t));
    Object.entries(b.missingFields || {}).forEach(([t, fs]) => fs.forEach((f) => gaps.push(t + '.' + f)));
    const optional = [];
    Object.entries(b.missingOptional || {}).forEach(([t, fs]) => (Array.isArray(fs) ? fs : [fs]).forEach((f) => optional.push(t + '.' + f)));
    if (b.healthy) {
      return el('p', { class: 'health ok-text' }, 'Health: healthy',
        optional.length ? el('span', { class: 'muted', text: ' (optional fields missing: ' + optional.join(', ') + ')' }) : null);
    }
    return el('p', { class: 'health error',
      text: 'Health: ' + (b.reachable === false ? 'base not reachable' : 'needs attention')
        + (gaps.length ? ' · missing ' + gaps.join(', ') : '') + (b.error ? ' · ' + b.error : '') });
  }

  function usageLine(detail) {
    const u = detail && detail.body && detail.body.usage;
    if (!u) return null;
    const budget = typeof u.budgetTokens === 'number' ? u.budgetTokens : null;
    const share = budget ? Math.min(100, Math.round((u.tokens / budget) * 100)) : null;
    return el('p', { class: 'usage' },
      'Tokens this month (' + (u.month || '') + '): ' + number(u.tokens) + (budget ? ' of ' + number(budget) : ' (no budget)')
        + ' · ' + usd(u.estimatedCostUsd),
      budget ? el('progress', { max: 100, value: share, 'aria-label': 'budget used ' + share + ' %' }) : null);
  }

  function clientCard(client, runsReply, detail) {
    const id = client.clientId;
    const result = triggerResults.get(id);
    const runs = runsReply.error ? null : runsReply.body.runs || [];
    const lastError = (runs || []).flatMap((r) => r.errors || [])[0];
    return el('article', { class: 'client' },
      el('div', { class: 'client-head' },
        el('h3', null, client.clientName || id, ' ', el('span', { class: 'muted', text: '(' + id + ')' })),
        badge(client.status),
        client.owner ? el('span', { class: 'muted', text: 'owner ' + client.owner }) : null,
        el('span', { class: 'actions' },
          triggerButton(id, 'leads', 'Score leads'),
          triggerButton(id, 'posts', 'Score posts'))),
      result ? el('p', { class: result.ok ? 'trigger ok-text' : 'trigger error', role: 'status', text: result.text }) : null,
      healthLine(id),
      usageLine(detail),
      lastError ? el('p', { class: 'muted', text: 'Last error: ' + lastError }) : null,
      runs === null
        ? unreadable('Runs', runsReply)
        : table(['Started (UTC) / run id', 'Kind', 'Status', 'Progress', 'Processed · ok · failed · skipped', 'Tokens',
          'Est. cost', 'Duration', 'Errors'], runs.map(runRow), 'No runs in the last 7 days.'));
  }

  async function trigger(clientId, kind) {
    const key = clientId + '/' + kind;
    if (pendingTriggers.has(key)) return;
    const path = (kind === 'posts' ? '/run-post-batch-score' : '/run-batch-score') + '?clientId=' + encodeURIComponent(clientId);
    pendingTriggers.add(key);
    triggerResults.set(clientId, { ok: true, text: 'Starting ' + kind + ' run…', at: Date.now() });
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
    triggerResults.set(clientId, { ok: r.status === 202, text, at: Date.now() });
    refresh();
  }

  /** A trigger's answer is about a run: once the client has no run going (and it was seen a moment), it goes. */
  function forgetStaleTriggerResults(list, runs) {
    list.forEach((c, i) => {
      const result = triggerResults.get(c.clientId);
      if (!result || pendingTriggers.has(c.clientId + '/leads') || pendingTriggers.has(c.clientId + '/posts')) return;
      const running = !runs[i].error && (runs[i].body.runs || []).some((run) => run.status === 'running');
      if (!running && Date.now() - result.at > TRIGGER_MESSAGE_MIN_MS) triggerResults.delete(c.clientId);
    });
  }

  async function refreshHealth(list) {
    const stale = list.filter((c) => {
      const h = healthCache.get(c.clientId);
      return !h || Date.now() - h.at > HEALTH_MAX_AGE_MS;
    });
    const replies = await Promise.all(stale.map((c) => api('GET', '/api/clients/' + encodeURIComponent(c.clientId) + '/health')));
    stale.forEach((c, i) => healthCache.set(c.clientId, { at: Date.now(), reply: replies[i] }));
  }

  function renderSummary(reply) {
    if (reply.error) {
      show('summary', unreadable('Execution Summary', reply));
      return;
    }
    const b = reply.body;
    if (!b.available) {
      show('summary', el('p', { class: 'muted', text: 'Not available: ' + (b.reason || 'no Execution Summary table') }));
      return;
    }
    const showEmpty = byId('show-empty-runs').checked;
    const records = (b.records || []).filter((r) => showEmpty || ((r.fields || {})[SUMMARY.processed] || 0) > 0);
    const rows = records.map((r) => {
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
    const hidden = (b.records || []).length - records.length;
    show('summary',
      table(['Date / time (UTC)', 'Client', 'Process', 'Status', 'Processed', 'Successful', 'Failed',
        'Success rate', 'Duration', 'Tokens', 'Errors', 'Execution ID'], rows, 'No runs recorded yet.'),
      hidden > 0 ? el('p', { class: 'muted', text: hidden + ' run(s) that processed no lead hidden.' }) : null);
  }

  async function refreshOverview(list) {
    const [runs, details, summary] = await Promise.all([
      Promise.all(list.map((c) => api('GET', '/api/runs?clientId=' + encodeURIComponent(c.clientId) + '&limit=' + RUNS_PER_CLIENT))),
      Promise.all(list.map((c) => api('GET', '/api/clients/' + encodeURIComponent(c.clientId)))),
      api('GET', '/api/execution-summary?limit=' + SUMMARY_LIMIT),
      refreshHealth(list),
    ]);
    forgetStaleTriggerResults(list, runs);
    show('clients', ...(list.length === 0
      ? [el('p', { class: 'muted', text: 'No clients in the Clients table.' })]
      : list.map((c, i) => clientCard(c, runs[i], details[i]))));
    renderSummary(summary);
    return runs.some((r) => !r.error && (r.body.runs || []).some((run) => run.status === 'running'));
  }

  // ---- trends ----

  function fillClientSelect(select, list, withAll) {
    const current = select.value;
    const options = list.map((c) => el('option', { value: c.clientId, text: (c.clientName || c.clientId) + ' (' + c.clientId + ')' }));
    select.replaceChildren(...(withAll ? [el('option', { value: '', text: 'All clients' })] : []), ...options);
    if ([...select.options].some((o) => o.value === current)) select.value = current;
  }

  function lineChart(id, days, series, valueFormatter) {
    if (!window.echarts) {
      show(id, el('p', { class: 'error', text: 'The chart library did not load.' }));
      return;
    }
    const node = byId(id);
    if (!charts[id]) charts[id] = window.echarts.init(node, null, { renderer: 'canvas' });
    charts[id].setOption({
      animation: false,
      grid: { left: 56, right: 16, top: 28, bottom: 28 },
      tooltip: { trigger: 'axis', valueFormatter },
      legend: { top: 0, type: 'scroll' },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value' },
      series: series.map((s) => ({ name: s.name, type: 'line', data: s.data, connectNulls: false, showSymbol: days.length <= 31 })),
    }, true);
    charts[id].resize();
  }

  async function refreshTrends(list) {
    fillClientSelect(byId('trends-client'), list, true);
    const clientId = byId('trends-client').value;
    const days = byId('trends-days').value;
    const q = '&days=' + encodeURIComponent(days) + (clientId ? '&clientId=' + encodeURIComponent(clientId) : '');
    const [trends, byClient] = await Promise.all([
      api('GET', '/api/execution-summary?view=trends' + q),
      api('GET', '/api/execution-summary?view=by-client' + q),
    ]);
    if (trends.error || !trends.body.available) {
      show('by-client', trends.error ? unreadable('Trends', trends)
        : el('p', { class: 'muted', text: 'Not available: ' + (trends.body.reason || '') }));
      return;
    }
    const points = trends.body.points || [];
    const dayList = [...new Set(points.map((p) => p.date))];
    const clientIds = [...new Set(points.map((p) => p.clientId))];
    const seriesOf = (field) => clientIds.map((cid) => ({
      name: cid,
      data: dayList.map((d) => {
        const p = points.find((x) => x.date === d && x.clientId === cid);
        return p ? p[field] : null;
      }),
    }));
    lineChart('chart-leads', dayList, seriesOf('leadsProcessed'), (v) => number(v));
    lineChart('chart-success', dayList, seriesOf('successRate'), (v) => (v === null || v === undefined ? '–' : v + ' %'));
    lineChart('chart-tokens', dayList, seriesOf('tokens'), (v) => number(v));
    lineChart('chart-cost', dayList, seriesOf('estimatedCostUsd'), (v) => usd(v));
    const rows = (byClient.error ? [] : byClient.body.clients || []).map((c) => [
      c.clientName || c.clientId, numeric(number(c.runs)), numeric(number(c.leadsProcessed)),
      numeric(c.successRate === null || c.successRate === undefined ? '–' : c.successRate + ' %'),
      numeric(number(c.tokens)), numeric(usd(c.estimatedCostUsd)), numeric(number(c.errors))]);
    show('by-client', table(['Client', 'Runs', 'Leads processed', 'Success rate', 'Tokens', 'Est. cost', 'Errors'],
      rows, 'No runs in this period.'));
  }

  // ---- leads ----

  const leadName = (f) => [f[LEAD.first], f[LEAD.last]].filter(Boolean).join(' ') || '(no name)';

  function renderLeads() {
    const q = byId('leads-search').value.trim().toLowerCase();
    const sort = byId('leads-sort').value;
    const score = (r) => (typeof r.fields[LEAD.score] === 'number' ? r.fields[LEAD.score] : -1);
    const rows = leadsRows
      .filter((r) => !q || leadName(r.fields).toLowerCase().includes(q) || String(r.fields[LEAD.url] || '').toLowerCase().includes(q))
      .sort((a, b) => (sort === 'score-asc' ? score(a) - score(b)
        : sort === 'newest' ? String(b.createdTime).localeCompare(String(a.createdTime)) : score(b) - score(a)));
    show('leads', el('p', { class: 'muted', text: rows.length + ' of ' + leadsRows.length + ' leads' }),
      table(['Name', 'LinkedIn URL', 'Scoring Status', 'AI Score', 'Posts score', ''], rows.map((r) => [
        leadName(r.fields),
        el('td', { class: 'url', text: r.fields[LEAD.url] || '' }),
        el('td', null, badge(r.fields[LEAD.status])),
        numeric(typeof r.fields[LEAD.score] === 'number' ? r.fields[LEAD.score] : '–'),
        numeric(typeof r.fields[LEAD.postsScore] === 'number' ? r.fields[LEAD.postsScore] : '–'),
        el('td', null, el('button', { type: 'button', 'data-focus-key': 'lead:' + r.id, onclick: () => openLead(r.id), text: 'Open' })),
      ]), 'No lead matches.'));
  }

  async function refreshLeads(list) {
    fillClientSelect(byId('leads-client'), list, false);
    const clientId = byId('leads-client').value;
    if (!clientId) {
      show('leads', el('p', { class: 'muted', text: 'No clients yet.' }));
      return;
    }
    const status = byId('leads-status').value;
    const r = await api('GET', '/api/clients/' + encodeURIComponent(clientId) + '/leads?limit=' + LEADS_LIMIT
      + (status ? '&status=' + encodeURIComponent(status) : ''));
    if (r.error) {
      leadsRows = [];
      show('leads', unreadable('Leads', r));
      return;
    }
    leadsRows = (r.body.leads || r.body.records || []).map((x) => ({ id: x.id, createdTime: x.createdTime, fields: x.fields || {} }));
    renderLeads();
  }

  async function openLead(recordId) {
    const clientId = byId('leads-client').value;
    const r = await api('GET', '/api/clients/' + encodeURIComponent(clientId) + '/leads/' + encodeURIComponent(recordId));
    if (r.error) {
      show('lead-detail', unreadable('Lead', r));
      return;
    }
    const f = r.body.fields || {};
    const block = (label, value, pre) => el('div', { class: 'field' }, el('h4', { text: label }),
      value === undefined || value === null || value === '' ? el('p', { class: 'muted', text: '–' })
        : el(pre ? 'pre' : 'p', { text: value }));
    show('lead-detail', el('article', { class: 'lead-detail', 'aria-label': 'lead ' + leadName(f) },
      el('h3', { text: leadName(f) }),
      el('p', { class: 'url', text: f[LEAD.url] || '' }),
      el('p', null, 'AI Score: ', el('strong', { class: 'lead-score', text: typeof f[LEAD.score] === 'number' ? f[LEAD.score] : '–' }),
        ' · ', badge(f[LEAD.status]), f[LEAD.dateScored] ? ' · scored ' + f[LEAD.dateScored] : ''),
      block('AI Attribute Breakdown', f[LEAD.breakdown], true),
      block('AI Profile Assessment', f[LEAD.assessment]),
      block('Posts Relevance Score', f[LEAD.postsScore]),
      block('Top Scoring Post', f[LEAD.topPost], true),
      block('Posts AI Evaluation', f[LEAD.postsEvaluation], true)));
  }

  // ---- inbox and dead letters ----

  function stat(label, value, cls) {
    return el('div', { class: 'stat' + (cls ? ' ' + cls : '') }, el('span', { class: 'stat-value', text: value }),
      el('span', { class: 'stat-label', text: label }));
  }

  async function refreshInbox() {
    const reply = await api('GET', '/api/inbox');
    if (reply.error) {
      show('inbox', unreadable('Inbox', reply));
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
      el('h3', { text: 'Retrying' }),
      table(['Inbox id', 'Client', 'Kind', 'Attempts', 'Last error', 'Next attempt (UTC)'], retrying, 'Nothing is being retried.'));
  }

  async function replay(inboxId) {
    const r = await api('POST', '/api/inbox/dead/' + encodeURIComponent(inboxId) + '/replay');
    setMessage(r.error ? 'Replay of ' + inboxId + ' refused: ' + r.error : 'Replayed ' + inboxId + ': back in the delivery queue.', !!r.error);
    refresh();
  }

  async function refreshDead() {
    const reply = await api('GET', '/api/inbox/dead?limit=' + DEAD_LIMIT);
    if (reply.error) {
      show('dead', unreadable('Dead letters', reply));
      return;
    }
    const rows = (reply.body.entries || []).map((d) => [
      el('code', { text: d.inboxId }), d.clientId, d.kind, when(d.receivedAt), when(d.deadAt), numeric(number(d.attempts)),
      d.reason, el('td', null, el('button', { type: 'button', 'data-focus-key': 'replay:' + d.inboxId, onclick: () => replay(d.inboxId), text: 'Replay' })),
    ]);
    show('dead', el('p', { class: 'muted', text: number(reply.body.count) + ' dead letter(s)' }),
      table(['Inbox id', 'Client', 'Kind', 'Received (UTC)', 'Dead since (UTC)', 'Attempts', 'Reason', ''], rows, 'No dead letters.'));
  }

  // ---- clients (tenant management) ----

  function showSecretOnce(clientId, secret) {
    show('client-secret', el('div', { class: 'secret-once' },
      el('p', { text: 'Webhook secret of ' + clientId + ' (shown this once; copy it into LinkedHelper and PhantomBuster):' }),
      el('code', { class: 'secret', text: secret })));
  }

  async function clientAction(label, method, path, body, clientId) {
    const r = await api(method, path, body);
    if (r.error) {
      setMessage(label + ' refused: ' + r.error, true);
    } else {
      setMessage(label + ': done.', false);
      if (r.body && r.body.webhookSecret) showSecretOnce(clientId || r.body.clientId, r.body.webhookSecret);
      if (r.body && (r.body.tablesCreated || r.body.fieldsCreated)) {
        setMessage(label + ': created tables ' + JSON.stringify(r.body.tablesCreated || []) + ', fields ' + JSON.stringify(r.body.fieldsCreated || {}), false);
      }
    }
    healthCache.clear();
    refresh();
  }

  function renderClientsAdmin(list) {
    const rows = list.map((c) => {
      const id = encodeURIComponent(c.clientId);
      const paused = String(c.status).toLowerCase() === 'paused';
      return [
        c.clientName || c.clientId, el('code', { text: c.clientId }), el('td', null, badge(c.status)), c.baseId || '–',
        el('td', { class: 'actions' },
          el('button', { type: 'button', 'data-focus-key': 'status:' + c.clientId, text: paused ? 'Resume' : 'Pause',
            onclick: () => clientAction((paused ? 'Resume ' : 'Pause ') + c.clientId, 'PATCH', '/api/clients/' + id,
              { status: paused ? 'Active' : 'Paused' }) }),
          el('button', { type: 'button', 'data-focus-key': 'rotate:' + c.clientId, text: 'Rotate webhook secret',
            onclick: () => clientAction('Rotate the secret of ' + c.clientId, 'POST', '/api/clients/' + id + '/webhook-secret', {}, c.clientId) }),
          el('button', { type: 'button', 'data-focus-key': 'repair:' + c.clientId, text: 'Repair schema',
            onclick: () => clientAction('Repair the schema of ' + c.clientId, 'POST', '/api/clients/' + id + '/schema/repair', {}) })),
      ];
    });
    show('clients-admin', table(['Name', 'Client id', 'Status', 'Base', 'Actions'], rows, 'No clients yet.'));
  }

  function addClient(event) {
    event.preventDefault();
    const body = { clientName: byId('add-client-name').value.trim(), provision: byId('add-client-provision').checked };
    const id = byId('add-client-id').value.trim();
    const budget = byId('add-client-budget').value.trim();
    if (id) body.clientId = id;
    if (budget) body.monthlyTokenBudget = Number(budget);
    clientAction('Add ' + body.clientName, 'POST', '/api/clients', body);
  }

  // ---- navigation and the refresh loop ----

  function currentPage() {
    const p = location.hash.replace('#', '');
    return PAGES.includes(p) ? p : 'overview';
  }

  function showPage() {
    const page = currentPage();
    PAGES.forEach((p) => {
      byId('page-' + p).hidden = p !== page;
      const link = document.querySelector('nav a[data-page="' + p + '"]');
      if (p === page) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
  }

  function showAccessProblem(reply) {
    if (reply.status === 0) {
      setMessage('The server is not answering; retrying on Refresh.', true);
      return;
    }
    const hint = reply.status === 401
      ? (token() ? 'The admin token was refused; enter the right one.' : 'This server needs the admin token.')
      : reply.error;
    setMessage(hint, true);
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
    const page = currentPage();
    try {
      const clients = await api('GET', '/api/clients');
      if (clients.error) {
        showAccessProblem(clients);
        const section = { overview: 'clients', trends: 'by-client', leads: 'leads', inbox: 'inbox', dead: 'dead', clients: 'clients-admin' }[page];
        show(section, unreadable('Clients', clients));
        byId('refresh-state').textContent = '';
        return;
      }
      if (byId('message').className === 'error') setMessage('');
      clientsCache = (clients.body && clients.body.clients) || [];
      if (page === 'overview') anyRunning = await refreshOverview(clientsCache);
      else if (page === 'trends') await refreshTrends(clientsCache);
      else if (page === 'leads') await refreshLeads(clientsCache);
      else if (page === 'inbox') await refreshInbox();
      else if (page === 'dead') await refreshDead();
      else if (page === 'clients') renderClientsAdmin(clientsCache);
      byId('refresh-state').textContent = 'Updated ' + when(new Date().toISOString())
        + (anyRunning ? ' · a run is going: refreshing every 5 s' : '');
    } finally {
      loading = false;
      if (reloadRequested) {
        reloadRequested = false;
        refresh();
      } else if (anyRunning && currentPage() === 'overview') {
        refreshTimer = setTimeout(refresh, LIVE_REFRESH_MS);
      }
    }
  }

  async function showTokenState() {
    if (token()) {
      byId('token').placeholder = 'a token is set for this tab';
      return;
    }
    const health = await api('GET', '/health?detail=true');
    const demo = health.body && health.body.demoMode === true;
    byId('token').placeholder = demo ? 'not needed in demo mode from 127.0.0.1' : 'paste ADMIN_TOKEN';
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
    byId('show-empty-runs').addEventListener('change', () => refresh());
    byId('trends-form').addEventListener('change', () => refresh());
    byId('leads-client').addEventListener('change', () => show('lead-detail'));
    ['leads-client', 'leads-status'].forEach((id) => byId(id).addEventListener('change', () => refresh()));
    byId('leads-sort').addEventListener('change', renderLeads);
    byId('leads-search').addEventListener('input', renderLeads);
    byId('leads-form').addEventListener('submit', (event) => event.preventDefault());
    byId('trends-form').addEventListener('submit', (event) => event.preventDefault());
    byId('add-client').addEventListener('submit', addClient);
    window.addEventListener('hashchange', () => {
      showPage();
      refresh();
    });
    window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
    showPage();
    refresh();
  }

  start();
})();
