// The clinicians' workbench. The page holds no data of its own: every view is a call to the
// service's API with the bearer token taken from the URL fragment (#token=..., never a query
// string, so it is not sent to the server or logged), pasted once and kept in sessionStorage, or
// none where a proxy in front adds the Authorization header. Text from the service is only ever
// set as text (textContent), never parsed as HTML.
'use strict';

const TOKEN_KEY = 'workbench.token';
const OUTCOME_ORDER = ['EMERGENCY', 'URGENT_ASSESSMENT', 'CONTACT_THERAPIST', 'SELF_CARE'];
const state = { token: null, vocabulary: null, rules: null, openFile: null, fileTag: null, fileOriginal: null };

// ---------- small helpers ----------

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.substring(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function clear(node, ...children) {
  node.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  return node;
}

function $(id) { return document.getElementById(id); }

function humanize(constant) {
  if (!constant) return '';
  const s = constant.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.substring(1);
}

function when(instant) {
  if (!instant) return '–';
  const d = new Date(instant);
  return isNaN(d) ? instant : d.toLocaleString();
}

function outcomeBadge(outcome) {
  if (!outcome) return el('span', { class: 'badge', text: 'no outcome' });
  return el('span', { class: 'badge o-' + outcome, text: humanize(outcome) });
}

function urgency(outcome) {
  const o = (state.vocabulary?.outcomes || []).find(x => x.outcome === outcome);
  return o ? o.urgency : OUTCOME_ORDER.length - OUTCOME_ORDER.indexOf(outcome);
}

// ---------- the API ----------

/** Which role each part of the API needs, to say so on a 401 or 403. */
function roleFor(path) {
  if (path.startsWith('/api/v1/decisions/') && path.endsWith('/replay')) return 'auditor or rules-admin';
  if (path.startsWith('/api/v1/decisions')) return 'auditor';
  if (path.startsWith('/api/v1/rulesets')) return 'rules-admin or auditor';
  if (path.startsWith('/api/v1/vocabulary')) return 'triage-client, rules-admin or auditor';
  return 'rules-admin';
}

class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem?.detail || problem?.title || ('HTTP ' + status));
    this.status = status;
    this.problem = problem;
    this.path = path;
  }
}

async function api(method, path, options = {}) {
  const headers = Object.assign({ 'Accept': 'application/json' }, options.headers || {});
  if (state.token) headers['Authorization'] = 'Bearer ' + state.token;
  let body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    body = options.text;
  }
  const response = await fetch(path, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  const type = response.headers.get('Content-Type') || '';
  const payload = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new ApiError(response.status, typeof payload === 'object' ? payload : { detail: payload }, path);
  }
  return { status: response.status, body: payload, headers: response.headers };
}

/** A failed call, in words: what went wrong and what to do. */
function describeError(e) {
  if (!(e instanceof ApiError)) return 'The service could not be reached (' + e.message + ').';
  if (e.status === 401) {
    return 'The service did not accept the access token (401). Open the link printed at start-up, or paste a token'
      + ' with the role ' + roleFor(e.path) + ' above.';
  }
  if (e.status === 403) {
    return 'Your token does not have the role this needs (403): ' + roleFor(e.path) + '.';
  }
  const fields = (e.problem?.errors || []).map(f => f.field + ': ' + f.detail).join('; ');
  return (e.problem?.detail || e.problem?.title || ('HTTP ' + e.status)) + (fields ? ' (' + fields + ')' : '');
}

function showAlert(message) {
  const alert = $('alert');
  if (!message) {
    alert.hidden = true;
    alert.textContent = '';
    return;
  }
  alert.textContent = message;
  alert.hidden = false;
}

/** Runs a view's work; a failure becomes a message at the top, never an error in the console. */
async function guarded(work) {
  try {
    showAlert(null);
    await work();
  } catch (e) {
    showAlert(describeError(e));
  }
}

// ---------- token ----------

function readToken() {
  const match = location.hash.match(/(?:^#|&)token=([^&]+)/);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    // Out of the address bar and the history, so it is not shared by copying the link.
    history.replaceState(null, '', location.pathname + location.search);
  }
  state.token = sessionStorage.getItem(TOKEN_KEY);
  $('token-state').textContent = state.token ? 'Token set for this tab.' : 'No token: calls go without one (a proxy may add it).';
}

// ---------- navigation ----------

const VIEWS = { rules: showRules, try: showTry, status: showStatus, files: showFiles, pending: showPending, lookup: showLookup };

function go(view) {
  for (const b of document.querySelectorAll('nav button')) {
    if (b.dataset.view === view) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
  }
  for (const s of document.querySelectorAll('section.view')) s.hidden = s.id !== 'view-' + view;
  // Says when the view has its data (for people using assistive technology and for the page's tests).
  document.body.dataset.ready = '';
  document.body.setAttribute('aria-busy', 'true');
  return guarded(VIEWS[view]).finally(() => {
    document.body.dataset.ready = view;
    document.body.removeAttribute('aria-busy');
  });
}

async function loadBasics() {
  if (!state.vocabulary) state.vocabulary = (await api('GET', '/api/v1/vocabulary')).body;
  state.rules = (await api('GET', '/api/v1/rules')).body;
  $('serving').textContent = 'Serving rule set ' + state.rules.version + ' since ' + when(state.rules.loadedAt)
    + (state.rules.pendingVersion ? '; ' + state.rules.pendingVersion + ' waits for approval' : '');
}

// ---------- 1. rules ----------

function citationList(citations) {
  if (!citations || !citations.length) return null;
  return el('ul', { class: 'citations' }, citations.map(c => el('li', {},
    el('strong', { text: '[' + c.id + '] ' }),
    c.url ? el('a', { href: c.url, rel: 'noopener noreferrer', target: '_blank', text: c.title }) : c.title,
    c.strength ? ' (' + humanize(c.strength) + ')' : '',
    c.note ? el('div', { class: 'hint', text: c.note }) : null)));
}

function concludes(rule) {
  const parts = [];
  if (rule.outcome) parts.push(el('span', {}, 'outcome ', outcomeBadge(rule.outcome)));
  if (rule.advice?.length) parts.push(el('span', {}, ' advice ' + rule.advice.join(', ')));
  if (rule.missingFacts?.length) parts.push(el('span', {}, ' asks for ' + rule.missingFacts.join(', ')));
  return parts.length ? parts : ['nothing on its own'];
}

async function showRules() {
  await loadBasics();
  const list = $('rules-list');
  const groups = OUTCOME_ORDER.map(o => ({ title: humanize(o), outcome: o, rules: [] }));
  const other = { title: 'Advice and questions (no outcome of their own)', outcome: null, rules: [] };
  for (const r of state.rules.rules) {
    (groups.find(g => g.outcome === r.outcome) || other).rules.push(r);
  }
  const fired = state.rules.firedSinceStart || {};
  // From the decision store, so across restarts; null when the store cannot be read.
  const overridden = state.rules.overriddenByClinicians;
  clear(list, [...groups, other].filter(g => g.rules.length).map(g => el('div', { class: 'group' },
    el('h3', { class: 'group' }, g.outcome ? outcomeBadge(g.outcome) : '', ' ', g.title + ' – ' + g.rules.length + ' rules'),
    g.rules.map(r => el('article', { class: 'rule', id: 'rule-' + r.id },
      el('h4', { text: r.name }),
      el('dl', {},
        el('dt', { text: 'Concludes' }), el('dd', {}, concludes(r)),
        el('dt', { text: 'Source' }), el('dd', {}, el('blockquote', { text: r.source || '–' }), citationList(r.citations)),
        el('dt', { text: 'Fired since start' }), el('dd', { class: 'fired', text: String(fired[r.id] ?? 0) }),
        el('dt', { text: 'Overridden by clinicians' }), el('dd', { class: 'overridden',
          text: overridden ? String(overridden[r.id] ?? 0) : '– (the decision store cannot be read)' }),
        el('dt', { text: 'File' }), el('dd', { text: (r.file || '–') + (r.line ? ':' + r.line : '') })))))));
}

// ---------- 2. try a case ----------

function buildTryForm() {
  const box = $('try-fields');
  if (box.dataset.built) return;
  const symptoms = Object.fromEntries((state.vocabulary.symptoms || []).map(s => [s.symptom, s.question]));
  for (const f of state.vocabulary.facts) {
    const id = 'f-' + f.name;
    if (f.kind === 'WHOLE_NUMBER') {
      box.append(el('div', { class: 'field' },
        el('label', { for: id, text: f.description + ' (' + f.min + ' to ' + f.max + ')' }),
        el('input', { id, name: f.name, type: 'number', min: f.min, max: f.max, step: 1, inputmode: 'numeric',
          'aria-describedby': id + '-hint' }),
        el('div', { class: 'hint', id: id + '-hint', text: 'Leave empty if the patient was not asked.' })));
    } else if (f.kind === 'ONE_OF') {
      box.append(el('div', { class: 'field' },
        el('label', { for: id, text: f.description }),
        el('select', { id, name: f.name }, el('option', { value: '', text: 'Not asked' }),
          f.values.map(v => el('option', { value: v, text: humanize(v) })))));
    } else if (f.kind === 'SET_OF') {
      box.append(el('fieldset', { id },
        el('legend', { text: f.description.split(';')[0] }),
        el('div', { class: 'field' },
          el('label', { for: id + '-asked', text: 'Were these asked?' }),
          el('select', { id: id + '-asked', name: f.name + '-asked' },
            el('option', { value: '', text: 'Not asked' }),
            el('option', { value: 'asked', text: 'Asked: tick each the patient has (none ticked means none of these)' }))),
        f.values.map(v => el('div', { class: 'symptom' },
          el('input', { type: 'checkbox', id: id + '-' + v, name: f.name, value: v, disabled: true }),
          el('label', { for: id + '-' + v }, el('strong', { text: humanize(v) + ': ' }), symptoms[v] || '')))));
      $(id + '-asked').addEventListener('change', e => {
        for (const c of box.querySelectorAll('input[name="' + f.name + '"]')) c.disabled = e.target.value !== 'asked';
      });
    } else if (f.kind === 'FLAGS') {
      box.append(el('fieldset', { id },
        el('legend', { text: f.description.split(';')[0] }),
        f.flags.map(flag => el('div', { class: 'flag' },
          el('label', { for: id + '-' + flag.name, text: flag.description }),
          el('select', { id: id + '-' + flag.name, name: f.name + '.' + flag.name },
            el('option', { value: '', text: 'Not asked' }), el('option', { value: 'true', text: 'Yes' }),
            el('option', { value: 'false', text: 'No' }))))));
    }
  }
  box.dataset.built = 'yes';
}

/** The facts as a booking system would send them: only what was asked. */
function factsFromForm() {
  const facts = {};
  for (const f of state.vocabulary.facts) {
    const id = 'f-' + f.name;
    if (f.kind === 'WHOLE_NUMBER') {
      const v = $(id).value.trim();
      if (v !== '') facts[f.name] = Number(v);
    } else if (f.kind === 'ONE_OF') {
      if ($(id).value) facts[f.name] = $(id).value;
    } else if (f.kind === 'SET_OF') {
      if ($(id + '-asked').value === 'asked') {
        facts[f.name] = [...document.querySelectorAll('input[name="' + f.name + '"]:checked')].map(c => c.value);
      }
    } else if (f.kind === 'FLAGS') {
      const flags = {};
      for (const flag of f.flags) {
        const v = $(id + '-' + flag.name).value;
        if (v) flags[flag.name] = v === 'true';
      }
      if (Object.keys(flags).length) facts[f.name] = flags;
    }
  }
  return facts;
}

async function fillVersions(select, includeActive) {
  const keep = select.value;
  const options = [];
  if (includeActive) options.push(el('option', { value: '', text: 'Active rules (' + state.rules.version + ')' }));
  if (state.rules.pendingVersion) {
    options.push(el('option', { value: state.rules.pendingVersion, text: 'Waiting for approval (' + state.rules.pendingVersion + ')' }));
  }
  try {
    const page = (await api('GET', '/api/v1/rulesets?limit=50')).body;
    for (const item of page.items) {
      if (item.version === state.rules.version && includeActive) continue;
      options.push(el('option', { value: item.version, text: item.version + (item.active ? ' (active)' : '')
          + ', last active ' + when(item.lastActivatedAt) }));
    }
  } catch (e) {
    if (!(e instanceof ApiError) || e.status >= 500) throw e; // no history kept: the active rules only
  }
  clear(select, options);
  if ([...select.options].some(o => o.value === keep)) select.value = keep;
}

async function showTry() {
  await loadBasics();
  buildTryForm();
  await fillVersions($('try-version'), true);
}

function reasonList(reasons) {
  return el('ol', { class: 'reasons' }, reasons.map(r => el('li', {},
    el('strong', { text: r.rule }), ' ', r.outcome ? outcomeBadge(r.outcome) : '',
    r.advice?.length ? el('div', { class: 'hint', text: 'Advice: ' + r.advice.join(', ') }) : null,
    el('blockquote', { text: r.source || '' }), citationList(r.citations))));
}

async function tryCase(event) {
  event.preventDefault();
  await guarded(async () => {
    const version = $('try-version').value || undefined;
    const answer = (await api('POST', '/api/v1/rules/simulate', { json: { facts: factsFromForm(), version } })).body;
    const which = { ACTIVE: 'the active rules', PENDING: 'the rules waiting for approval', STORED: 'a stored version' }[answer.rules];
    clear($('try-result'), el('div', { class: 'answer', id: 'try-answer' },
      el('h3', {}, 'Outcome: ', outcomeBadge(answer.outcome)),
      // The texts of the rules that answered: a pending edit may have changed the wording.
      el('p', { class: 'meaning', text: answer.outcomeText }),
      el('h4', { text: 'Advice, in order' }),
      answer.adviceTexts.length ? el('ol', { class: 'advice' }, answer.adviceTexts.map(a => el('li', { 'data-key': a.key }, a.text,
        el('span', { class: 'hint', text: ' (' + a.key + ')' })))) : el('p', { text: 'No advice.' }),
      el('h4', { text: 'Why: the rules that concluded' }), reasonList(answer.reasons),
      el('h4', { text: 'Facts the rules need and did not get' }),
      answer.missingFacts.length ? el('ul', { class: 'missing' }, answer.missingFacts.map(m => el('li', { text: m })))
        : el('p', { text: 'None.' }),
      el('p', { class: 'hint', text: 'Answered by ' + which + ' (' + answer.version + '). Not recorded: a try is not a patient decision.' })));
  });
}

// ---------- diagnostics (status and editor) ----------

/** The rules directory's name for a diagnostic's file (relative), when it is one of its files. */
function fileName(path) {
  if (!path) return null;
  const roots = [state.rules?.directory, 'candidate'].filter(Boolean);
  for (const root of roots) {
    if (path.startsWith(root + '/')) return path.substring(root.length + 1);
  }
  return null;
}

function sideBySide(d) {
  if (!d.expected || !d.actual) return null;
  const row = (label, a, b) => {
    const same = JSON.stringify(a) === JSON.stringify(b);
    return el('tr', {}, el('th', { scope: 'row', text: label }), el('td', { text: [].concat(a).join(', ') || '–' }),
      el('td', { class: same ? '' : 'down', text: ([].concat(b).join(', ') || '–') + (same ? '' : '  (differs)') }));
  };
  return el('table', { class: 'comparison' },
    el('caption', { text: 'Scenario ' + d.scenario + ': expected and actual answers' }),
    el('tr', {}, el('th', { text: '' }), el('th', { scope: 'col', text: 'Expected (the row)' }), el('th', { scope: 'col', text: 'Actual (the rules)' })),
    row('Outcome', d.expected.outcome, d.actual.outcome), row('Advice, in order', d.expected.advice, d.actual.advice),
    row('Rules', d.expected.rules, d.actual.rules), row('Missing facts', d.expected.missingFacts, d.actual.missingFacts));
}

/**
 * Each diagnostic at its file, line and column, with the offending line of the file.
 * @param contents file name -> content, for the offending lines
 * @param onJump   called with a line number of the open file, to jump there
 */
function diagnosticList(diagnostics, contents, onJump) {
  return el('div', { class: 'diagnostics' }, diagnostics.map(d => {
    const name = fileName(d.file);
    const text = name && contents[name];
    const offending = text && d.line ? text.split('\n')[d.line - 1] : null;
    const where = (name || d.file || 'the rule set') + (d.line ? ':' + d.line : '') + (d.column ? ':' + d.column : '');
    return el('div', { class: 'diag', 'data-file': name || '', 'data-line': d.line || '' },
      el('div', {}, el('span', { class: 'where', text: where }), ' ', el('span', { class: 'badge', text: humanize(d.kind) }),
        onJump && d.line && name === state.openFile ? el('button', { type: 'button', class: 'secondary',
          onclick: () => onJump(d.line), text: 'Go to line ' + d.line }) : null),
      d.rule ? el('div', { text: 'Rule: ' + d.rule }) : null,
      el('div', { class: 'message', text: d.message }),
      offending !== null && offending !== undefined ? el('pre', { class: 'code' },
        el('span', { class: 'hint', text: 'line ' + d.line + ': ' }), offending) : null,
      sideBySide(d));
  }));
}

async function fileContents(names) {
  const out = {};
  await Promise.all(names.map(async n => {
    out[n] = (await api('GET', '/api/v1/rules/files/' + n.split('/').map(encodeURIComponent).join('/'))).body.content;
  }));
  return out;
}

// ---------- impact ----------

function impactPart(title, part) {
  if (!part) return el('p', { text: title + ': not known (no recorded decisions can be read).' });
  const outcomes = OUTCOME_ORDER.filter(o => part.outcomes[o]);
  const matrix = el('table', { class: 'matrix' },
    el('caption', { text: title + ': outcome before (rows) and after the edit (columns)' }),
    el('tr', {}, el('th', { scope: 'col', text: 'Before \\ After' }), outcomes.map(o => el('th', { scope: 'col', text: humanize(o) }))),
    outcomes.map(before => el('tr', {}, el('th', { scope: 'row', text: humanize(before) }), outcomes.map(after => {
      const n = part.outcomes[before][after] || 0;
      const down = n > 0 && urgency(after) < urgency(before);
      const up = n > 0 && urgency(after) > urgency(before);
      return el('td', { class: 'num' + (down ? ' down' : up ? ' up' : '') },
        String(n), down ? ' ↓ down-triage' : up ? ' ↑ more urgent' : '');
    }))));
  return el('div', { class: 'impact-part' },
    el('h4', { text: title }),
    el('p', {}, part.cases + ' cases; ' + part.outcomeChanged + ' change outcome; ',
      el('strong', { class: part.downTriage ? 'bad' : 'ok', text: part.downTriage + ' down-triaged (answered less urgently)' }),
      part.candidateFailures ? '; ' + part.candidateFailures + ' the edited rules cannot decide' : ''),
    matrix,
    Object.keys(part.adviceAdded || {}).length || Object.keys(part.adviceRemoved || {}).length
      ? el('p', { text: 'Advice added: ' + (Object.entries(part.adviceAdded).map(([k, v]) => k + ' ×' + v).join(', ') || 'none')
        + '. Advice removed: ' + (Object.entries(part.adviceRemoved).map(([k, v]) => k + ' ×' + v).join(', ') || 'none') + '.' }) : null,
    part.missingFactsChanged ? el('p', { text: part.missingFactsChanged + ' cases ask for other facts.' }) : null,
    part.examples?.length ? el('details', {}, el('summary', { text: 'Down-triage examples (' + part.examples.length + ')' }),
      el('table', {}, el('tr', {}, ['Decision', 'Facts', 'Before', 'After', 'Rules before', 'Rules after'].map(h => el('th', { scope: 'col', text: h }))),
        part.examples.map(x => el('tr', {}, el('td', { text: x.decisionId || 'generated' }), el('td', {}, el('code', { text: x.facts })),
          el('td', { text: humanize(x.before) }), el('td', { class: 'down', text: humanize(x.after) + ' ↓' }),
          el('td', { text: x.rulesBefore.join(', ') }), el('td', { text: x.rulesAfter.join(', ') }))))) : null);
}

function impactReport(impact) {
  if (!impact) return el('p', { class: 'hint', text: 'No impact report (nothing was active to compare with).' });
  return el('div', { class: 'impact' },
    el('div', { class: 'result-box ' + (impact.downTriage ? 'bad' : 'ok') },
      impact.downTriage ? 'This edit answers some cases less urgently (down-triage): a second clinician must approve it where approval is on.'
        : 'No case is answered less urgently by this edit.'),
    impactPart('Recorded decisions', impact.recorded), impactPart('Generated boundary cases', impact.generated),
    el('p', { class: 'hint', text: 'Compared with ' + impact.activeVersion + ' in ' + impact.millis + ' ms.' }));
}

// ---------- 3. status ----------

async function showStatus() {
  await loadBasics();
  const r = state.rules;
  let activation = null;
  // Asked only once the history lists it (just after a swap it may not yet): a 404 would be a console error.
  const listed = (await api('GET', '/api/v1/rulesets?limit=5')).body.items.some(i => i.version === r.version);
  if (listed) {
    const detail = (await api('GET', '/api/v1/rulesets/' + encodeURIComponent(r.version))).body;
    activation = detail.activations[detail.activations.length - 1];
  }
  const last = r.lastReload;
  const diagnostics = last?.diagnostics || [];
  const contents = diagnostics.length ? await fileContents([...new Set(diagnostics.map(d => fileName(d.file)).filter(Boolean))]) : {};
  clear($('status-body'),
    el('dl', { class: 'kv' },
      el('dt', { text: 'Active version' }), el('dd', { id: 'status-version', text: r.version }),
      el('dt', { text: 'Active since' }), el('dd', { text: when(r.loadedAt) }),
      el('dt', { text: 'Why' }), el('dd', { text: activation ? humanize(activation.trigger)
        + (activation.requestedBy ? ', asked by ' + activation.requestedBy : '')
        + (activation.approvedBy ? ', approved by ' + activation.approvedBy : '')
        + (activation.approvalComment ? ' (“' + activation.approvalComment + '”)' : '') + ' on ' + (activation.instance || 'this instance')
        : 'not in the history yet' }),
      el('dt', { text: 'Rules directory' }), el('dd', { text: r.directory }),
      el('dt', { text: 'Waiting for approval' }), el('dd', { text: r.pendingVersion || 'nothing' })),
    el('h3', { text: 'Last reload' }),
    last ? el('div', { id: 'status-last', class: 'result-box ' + (last.result === 'REJECTED' ? 'bad' : last.result === 'PENDING_APPROVAL' ? 'warn' : 'ok') },
      el('strong', { text: humanize(last.result) }), ' – ' + humanize(last.trigger) + ' at ' + when(last.at) + ', version '
        + (last.version || '–') + ' (' + last.durationMillis + ' ms). ',
      last.result === 'REJECTED' ? 'The previous rules keep serving.' : '') : el('p', { text: 'None yet.' }),
    diagnostics.length ? diagnosticList(diagnostics, contents, null) : null,
    last?.impact ? impactReport(last.impact) : null);
}

// ---------- 4. check and edit ----------

function renderGutter(marks) {
  const lines = $('editor').value.split('\n').length;
  const gutter = $('editor-gutter');
  const out = [];
  for (let i = 1; i <= lines; i++) {
    out.push(el('span', { class: marks?.has(i) ? 'mark' : 'n', text: (marks?.has(i) ? '! ' : '') + i }));
  }
  clear(gutter, out);
  gutter.scrollTop = $('editor').scrollTop;
}

function jumpTo(line) {
  const editor = $('editor');
  const lines = editor.value.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  editor.focus();
  editor.setSelectionRange(offset, offset + (lines[line - 1] || '').length);
  const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 19;
  editor.scrollTop = Math.max(0, (line - 5) * lineHeight);
  $('editor-gutter').scrollTop = editor.scrollTop;
}

/** Shows the open file's first problem line, without taking the focus from the button just used. */
function scrollToFirst(diagnostics) {
  const lines = [...marksOf(diagnostics)].sort((a, b) => a - b);
  if (!lines.length) return;
  const editor = $('editor');
  const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 19;
  editor.scrollTop = Math.max(0, (lines[0] - 5) * lineHeight);
  $('editor-gutter').scrollTop = editor.scrollTop;
}

async function showFiles() {
  await loadBasics();
  const files = (await api('GET', '/api/v1/rules/files')).body;
  clear($('file-list'), files.files.map(f => el('li', {}, el('button', { type: 'button', 'data-file': f.name,
    'aria-current': f.name === state.openFile ? 'true' : null, onclick: () => guarded(() => openFile(f.name)),
    text: f.name }))));
}

async function openFile(name) {
  const file = (await api('GET', '/api/v1/rules/files/' + name.split('/').map(encodeURIComponent).join('/'))).body;
  state.openFile = name;
  state.fileTag = file.tag;
  state.fileOriginal = file.content;
  for (const b of document.querySelectorAll('#file-list button')) {
    if (b.dataset.file === name) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
  }
  $('editor-title').textContent = name;
  $('editor').value = file.content;
  $('editor-pane').hidden = false;
  clear($('file-result'));
  renderGutter(null);
}

function marksOf(diagnostics) {
  return new Set(diagnostics.filter(d => fileName(d.file) === state.openFile && d.line).map(d => d.line));
}

async function checkFile() {
  const names = (await api('GET', '/api/v1/rules/files')).body.files.map(f => f.name);
  const contents = await fileContents(names);
  contents[state.openFile] = $('editor').value;
  const result = (await api('POST', '/api/v1/rules/validate', { json: { files: contents } })).body;
  renderGutter(marksOf(result.diagnostics));
  scrollToFirst(result.diagnostics);
  clear($('file-result'),
    el('div', { id: 'check-verdict', class: 'result-box ' + (result.valid ? 'ok' : 'bad') },
      result.valid ? 'Valid: ' + result.rules + ' rules, ' + result.scenarios + ' scenario rows pass. Nothing went live.'
        : 'Not valid: ' + result.diagnostics.length + ' problem(s). Nothing went live.'),
    result.diagnostics.length ? diagnosticList(result.diagnostics, contents, jumpTo) : null,
    result.valid ? impactReport(result.impact) : null);
}

async function saveFile() {
  const saved = await api('PUT', '/api/v1/rules/files/' + state.openFile.split('/').map(encodeURIComponent).join('/'),
    { text: $('editor').value, headers: { 'If-Match': '"' + state.fileTag + '"' } });
  const r = saved.body;
  const file = (await api('GET', '/api/v1/rules/files/' + state.openFile.split('/').map(encodeURIComponent).join('/'))).body;
  state.fileTag = file.tag;
  state.fileOriginal = file.content;
  const contents = {};
  contents[state.openFile] = file.content;
  renderGutter(marksOf(r.diagnostics));
  scrollToFirst(r.diagnostics);
  const verdict = {
    ACCEPTED: ['ok', 'Saved and live: version ' + r.version + ' now answers.'],
    REJECTED: ['bad', 'Saved in the rules directory but NOT live: the rules have problems. Version ' + r.activeVersion + ' keeps serving.'],
    PENDING_APPROVAL: ['warn', 'Saved; version ' + r.version + ' waits for a second clinician’s approval (Pending and history). Version '
      + r.activeVersion + ' keeps serving.'],
    UNCHANGED: ['ok', 'Saved; the rules are the ones already serving.']
  }[r.result] || ['warn', r.result];
  clear($('file-result'),
    el('div', { id: 'save-verdict', class: 'result-box ' + verdict[0], 'data-result': r.result }, verdict[1]),
    r.diagnostics.length ? diagnosticList(r.diagnostics, contents, jumpTo) : null,
    r.impact ? impactReport(r.impact) : null);
  await loadBasics();
}

// ---------- 5. pending and history ----------

function diffView(diff) {
  return el('div', { class: 'diff' },
    el('h4', { text: 'Rules changed' }),
    diff.rules.length ? el('table', {}, el('tr', {}, ['Rule', 'Change', 'What changed'].map(h => el('th', { scope: 'col', text: h }))),
      diff.rules.map(c => el('tr', {}, el('td', { text: c.id }), el('td', { text: humanize(c.change) }),
        el('td', { text: (c.changed || []).join(', ') || '–' })))) : el('p', { text: 'No rule changed.' }),
    el('h4', { text: 'Files changed' }),
    diff.files.length ? diff.files.map(f => el('div', {}, el('p', {}, el('strong', { text: f.path }), ' – ' + humanize(f.status)),
      el('pre', { class: 'diff' }, (f.unifiedDiff || '').split('\n').map(line =>
        line.startsWith('+') && !line.startsWith('+++') ? el('ins', { text: line + '\n' })
          : line.startsWith('-') && !line.startsWith('---') ? el('del', { text: line + '\n' }) : line + '\n'))))
      : el('p', { text: 'No file changed.' }));
}

async function decide(version, action) {
  const comment = $('pending-comment').value.trim();
  const r = (await api('POST', '/api/v1/rules/pending/' + encodeURIComponent(version) + '/' + action,
    comment ? { json: { comment } } : {})).body;
  await showPending();
  clear($('pending-outcome'), el('div', { class: 'result-box ok', id: 'decision-verdict' },
    action === 'approve' ? 'Approved: version ' + r.activeVersion + ' now answers.' : 'Rejected: ' + version + ' will not serve.'));
}

async function showPending() {
  await loadBasics();
  const body = $('pending-body');
  if (!state.rules.pendingVersion) {
    clear(body, el('p', { id: 'pending-none', text: 'Nothing waits for approval.' }), el('div', { id: 'pending-outcome' }));
  } else {
    const p = (await api('GET', '/api/v1/rules/pending')).body;
    clear(body, el('div', { id: 'pending' },
      el('h3', { text: 'Waiting for approval: ' + p.version }),
      el('p', { text: humanize(p.trigger) + ' at ' + when(p.at) + (p.requestedBy ? ', submitted by ' + p.requestedBy + ' (who may not approve it)' : '')
        + '. Version ' + p.activeVersion + ' keeps serving meanwhile.' }),
      el('p', { id: 'pending-down' }, el('strong', { text: 'Down-triage: ' + ((p.impact?.recorded?.downTriage || 0) + (p.impact?.generated?.downTriage || 0))
        + ' cases (recorded ' + (p.impact?.recorded?.downTriage ?? 'unknown') + ', generated ' + (p.impact?.generated?.downTriage ?? 0) + ')' })),
      impactReport(p.impact), diffView(p.diff),
      el('div', { class: 'field' }, el('label', { for: 'pending-comment', text: 'Comment (kept with your decision)' }),
        el('textarea', { id: 'pending-comment', rows: 2, cols: 60 })),
      el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'pending-approve', onclick: () => guarded(() => decide(p.version, 'approve')), text: 'Approve and make it live' }),
        el('button', { type: 'button', id: 'pending-reject', class: 'secondary', onclick: () => guarded(() => decide(p.version, 'reject')), text: 'Reject' }))),
      el('div', { id: 'pending-outcome' }));
  }
  await showHistory();
}

async function showHistory() {
  const page = (await api('GET', '/api/v1/rulesets?limit=50')).body;
  clear($('history-body'), el('table', { id: 'history' },
    el('tr', {}, ['Version', 'Last active', 'Rules', 'Scenario rows', ''].map(h => el('th', { scope: 'col', text: h }))),
    page.items.map(i => el('tr', {}, el('td', {}, i.version, i.active ? el('strong', { text: ' (active)' }) : ''),
      el('td', { text: when(i.lastActivatedAt) }), el('td', { class: 'num', text: String(i.rules) }),
      el('td', { class: 'num', text: String(i.scenarios) }),
      el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: () => guarded(() => historyDetail(i.version)),
        text: 'Who and why' }))))));
  for (const select of [$('diff-version'), $('diff-against')]) {
    const keep = select.value;
    clear(select, page.items.map(i => el('option', { value: i.version, text: i.version + (i.active ? ' (active)' : '') })));
    if ([...select.options].some(o => o.value === keep)) select.value = keep;
  }
  if (!$('diff-against').dataset.touched && page.items.length > 1) $('diff-against').value = page.items[1].version;
}

async function historyDetail(version) {
  const d = (await api('GET', '/api/v1/rulesets/' + encodeURIComponent(version))).body;
  clear($('history-detail'), el('h4', { text: 'Activations of ' + version + ' (' + d.activationCount + ' in all)' }),
    el('table', { id: 'activations' }, el('tr', {}, ['When', 'Why', 'Asked by', 'Approved by', 'Comment', 'Instance', 'Replaced']
      .map(h => el('th', { scope: 'col', text: h }))),
      d.activations.map(a => el('tr', {}, el('td', { text: when(a.activatedAt) }), el('td', { text: humanize(a.trigger) }),
        el('td', { text: a.requestedBy || '–' }), el('td', { class: 'approver', text: a.approvedBy || '–' }),
        el('td', { text: a.approvalComment || '–' }), el('td', { text: a.instance || '–' }), el('td', { text: a.previousVersion || '–' })))));
  $('history-detail').scrollIntoView();
}

async function showDiff(event) {
  event.preventDefault();
  await guarded(async () => {
    const version = $('diff-version').value;
    const against = $('diff-against').value;
    const diff = (await api('GET', '/api/v1/rulesets/' + encodeURIComponent(version) + '/diff?against=' + encodeURIComponent(against))).body;
    clear($('diff-result'), el('h4', { text: 'From ' + against + ' to ' + version }), diffView(diff));
  });
}

// ---------- 6. decision lookup ----------

function answerTable(title, a) {
  if (!a) return null;
  return el('div', {}, el('h4', { text: title }), el('dl', { class: 'kv' },
    el('dt', { text: 'Rule set' }), el('dd', { text: a.rulesetVersion }),
    el('dt', { text: 'Outcome' }), el('dd', {}, outcomeBadge(a.outcome)),
    el('dt', { text: 'Advice' }), el('dd', { text: a.advice.join(', ') || '–' }),
    el('dt', { text: 'Reasons' }), el('dd', { text: a.reasons.join(', ') || '–' }),
    el('dt', { text: 'Missing facts' }), el('dd', { text: a.missingFacts.join(', ') || '–' })));
}

async function showLookup() {
  await loadBasics();
}

async function lookUp(event) {
  event.preventDefault();
  await guarded(async () => {
    const id = $('lookup-id').value.trim();
    const r = (await api('POST', '/api/v1/decisions/' + encodeURIComponent(id) + '/replay')).body;
    clear($('lookup-result'),
      el('div', { class: 'result-box ' + (r.reproduced ? 'ok' : 'bad'), id: 'lookup-verdict' },
        r.reproduced ? 'Reproduced exactly under the rules that made it.'
          : 'Not reproduced' + (r.differences?.length ? ': ' + r.differences.join(', ') + ' differ' : '') + (r.why ? ' (' + r.why + ')' : '') + '.'),
      el('div', { class: 'side' }, answerTable('Recorded answer', r.recorded), answerTable('Replayed under its own rules', r.underRecordedRules)),
      answerTable('Under the active rules', r.underActiveRules),
      el('p', { text: r.underActiveRules ? (r.changedUnderActive.length ? 'The active rules answer differently: '
        + r.changedUnderActive.join(', ') + '.' : 'The active rules give the same answer.') : (r.whyNotActive || '') }));
  });
}

// ---------- start ----------

/** A link to one decision (#lookup=<id>, as a CDS Hooks card carries it): read before the token handling clears the hash. */
function linkedDecision() {
  const match = location.hash.match(/(?:^#|&)lookup=([0-9a-fA-F-]{36})(?:&|$)/);
  return match ? match[1] : null;
}

function start() {
  const linked = linkedDecision();
  readToken();
  for (const b of document.querySelectorAll('nav button')) b.addEventListener('click', () => go(b.dataset.view));
  $('token-form').addEventListener('submit', e => {
    e.preventDefault();
    const value = $('token-input').value.trim();
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    $('token-input').value = '';
    readToken();
    go(document.querySelector('nav button[aria-current="page"]')?.dataset.view || 'rules');
  });
  $('token-forget').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); readToken(); });
  $('try-form').addEventListener('submit', tryCase);
  $('diff-form').addEventListener('submit', showDiff);
  $('diff-against').addEventListener('change', e => { e.target.dataset.touched = 'yes'; });
  $('lookup-form').addEventListener('submit', lookUp);
  $('file-check').addEventListener('click', () => guarded(checkFile));
  $('file-save').addEventListener('click', () => guarded(saveFile));
  $('file-revert').addEventListener('click', () => { $('editor').value = state.fileOriginal || ''; renderGutter(null); });
  $('editor').addEventListener('input', () => renderGutter(null));
  $('editor').addEventListener('scroll', () => { $('editor-gutter').scrollTop = $('editor').scrollTop; });
  window.addEventListener('hashchange', () => { readToken(); });
  if (linked) {
    $('lookup-id').value = linked;
    go('lookup').then(() => lookUp({ preventDefault() {} }));
  } else {
    go('rules');
  }
}

document.addEventListener('DOMContentLoaded', start);
