// Vigil web console: one view per address (/, /alerts/<id>, /people, /mode, /status), drawn from the API.
import { ApiError, call, el, get, session, signIn, signOut, when } from './api.js';

const main = document.getElementById('main');
const TYPES = ['unknown_face', 'known_person', 'suspected_match', 'unidentifiable_face', 'visit_update', 'motion',
  'budget_reached', 'summary'];
const POLL_MS = 5000;
let poll = null;

const label = (type) => (type || '').replace(/_/g, ' ');
// An alert as the history API answers it (GET /api/alerts): id, type, severity, reason, camera, cameraName,
// person, personName, similarity, observedAt, visit {id, firstFrame, lastFrame, frames, bestBox}, deliveries
// {channel: {outcome, reason}}, marks [{kind, person}], face and snapshot (whether the JPEGs exist).
const personName = (a) => a.personName || a.person || (a.type === 'unknown_face' ? 'Unknown person' : 'Someone');
const cameraName = (a) => a.cameraName || a.camera || '';

function show(title, ...nodes) {
  document.title = `${title} · Vigil`;
  main.replaceChildren(el('h1', {}, title), ...nodes);
}

function message(node, text, ok = false) {
  node.className = ok ? 'ok' : 'error';
  node.textContent = text;
}

function failure(err) {
  if (err instanceof ApiError && err.status === 401) { drawSignIn(); return null; }
  return el('p', { class: 'error', role: 'alert' }, `Could not load: ${err.message}`);
}

// ---- sign-in ----
function drawSignIn(note) {
  clearInterval(poll);
  document.getElementById('nav').hidden = true;
  const secret = el('input', { id: 'secret', name: 'secret', type: 'password', autocomplete: 'current-password', required: true });
  const error = el('p', { id: 'sign-in-error', role: 'alert' });
  const form = el('form', { class: 'signin', 'aria-labelledby': 'sign-in-title' },
    el('h1', { id: 'sign-in-title' }, 'Sign in to Vigil'),
    note ? el('p', { class: 'muted' }, note) : null,
    el('div', { class: 'field' }, el('label', { for: 'secret' }, 'API token or household password'), secret),
    el('button', { type: 'submit', id: 'sign-in' }, 'Sign in'), error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await signIn(secret.value);
      start();
    } catch (err) {
      message(error, err.status === 429 ? err.message : 'Wrong token or password.');
    }
  });
  document.title = 'Sign in · Vigil';
  main.replaceChildren(form);
  secret.focus();
}

// ---- timeline ----
function alertImage(a) {
  if (!a.face && !a.snapshot) return el('div', { class: 'noimg' }, 'no image');
  return el('img', { src: `/api/alerts/${a.id}/${a.face ? 'face' : 'snapshot'}.jpg`, alt: `${personName(a)} at ${cameraName(a)}`,
    loading: 'lazy', width: 96, height: 96 });
}

function outcomesOf(a) {
  return Object.entries(a.deliveries || {}).map(([channel, d]) => [channel, String(d.outcome || '').toLowerCase().replace(/_/g, ' ')]);
}

function alertItem(a) {
  return el('li', { class: 'alert', 'data-alert': a.id },
    alertImage(a),
    el('div', {},
      el('a', { href: `/alerts/${a.id}` }, `${personName(a)} — ${label(a.type)}`),
      el('div', { class: 'meta' },
        el('span', { class: `badge sev-${a.severity}` }, a.severity),
        el('span', {}, cameraName(a)),
        el('time', { datetime: a.observedAt }, when(a.observedAt))),
      el('ul', { class: 'outcomes', 'aria-label': 'Delivery' },
        outcomesOf(a).map(([channel, outcome]) => el('li', {}, `${channel}: ${outcome}`)))));
}

function groupByVisit(alerts) {
  const visits = new Map();
  for (const a of alerts) {
    const key = (a.visit && a.visit.id) || a.id;
    if (!visits.has(key)) visits.set(key, []);
    visits.get(key).push(a);
  }
  return [...visits.values()];
}

async function drawTimeline() {
  const params = new URLSearchParams(location.search);
  const filters = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter alerts' },
    field('camera', 'Camera', el('input', { id: 'camera', name: 'camera', value: params.get('camera') || '' })),
    field('person', 'Person', el('input', { id: 'person', name: 'person', value: params.get('person') || '' })),
    field('type', 'Type', el('select', { id: 'type', name: 'type' }, el('option', { value: '' }, 'any'),
      TYPES.map((t) => el('option', { value: t, selected: params.get('type') === t }, label(t))))),
    field('day', 'Day', el('input', { id: 'day', name: 'day', type: 'date', value: params.get('day') || '' })),
    el('button', { type: 'submit' }, 'Filter'));
  const list = el('div', { id: 'timeline', 'aria-live': 'polite' });
  show('Timeline', filters, list);
  const query = new URLSearchParams();
  for (const key of ['camera', 'person', 'type']) if (params.get(key)) query.set(key, params.get(key));
  if (params.get('day')) {
    const start = new Date(`${params.get('day')}T00:00:00`);
    query.set('since', start.toISOString());
    query.set('until', new Date(start.getTime() + 86400000).toISOString());
  }
  query.set('limit', '100');
  let newest = null;
  const refresh = async () => {
    try {
      const data = await get(`/api/alerts?${query}`);
      const alerts = data.alerts || data.items || [];
      const shown = alerts.map((a) => a.id + a.severity + Object.keys(a.deliveries || {}).length).join();
      if (shown === newest) return; // nothing new: keep the page as it is (focus, scroll)
      newest = shown;
      list.replaceChildren(alerts.length ? '' : el('p', { class: 'muted' }, 'No alerts yet.'),
        ...groupByVisit(alerts).map((group) => el('section', { class: 'visit', 'aria-label': `Visit at ${cameraName(group[0])}` },
          el('h2', {}, `${cameraName(group[0])}, ${when(group[group.length - 1].observedAt)}`),
          el('ul', { class: 'alerts' }, group.map(alertItem)))));
    } catch (err) {
      clearInterval(poll);
      const note = failure(err);
      if (note) list.replaceChildren(note);
    }
  };
  await refresh();
  poll = setInterval(refresh, POLL_MS);
}

function field(id, text, input) {
  return el('div', { class: 'field' }, el('label', { for: id }, text), input);
}

// ---- alert page ----
async function drawAlert(id) {
  let a;
  try {
    a = await get(`/api/alerts/${encodeURIComponent(id)}`);
  } catch (err) {
    const note = failure(err);
    if (note) show('Alert', note);
    return;
  }
  const box = a.visit && a.visit.bestBox;
  const picture = a.snapshot || a.face ? el('div', { class: 'snapshot' },
    el('img', { id: 'snapshot', src: `/api/alerts/${a.id}/${a.snapshot ? 'snapshot' : 'face'}.jpg`,
      alt: `Camera frame: ${personName(a)} at ${cameraName(a)}` }),
    box && a.snapshot ? el('div', { class: 'facebox', 'aria-hidden': 'true', 'data-box': `${box.left},${box.top},${box.width},${box.height}` }) : null)
    : el('p', { class: 'muted' }, 'No image was kept for this alert.');
  const clip = a.clip && a.clip.url; // private deployments only; the history keeps no clip URL today
  const facts = el('table', {}, el('tbody', {},
    row('Camera', cameraName(a)),
    row('When', when(a.observedAt)),
    row('Who', a.person ? `${personName(a)}${a.similarity ? ` (${Number(a.similarity).toFixed(1)}%)` : ''}` : 'not recognised'),
    row('Type', label(a.type)),
    row('Severity', a.severity),
    a.visit ? row('Visit', `${a.visit.frames} frames, ${when(a.visit.firstFrame)} – ${when(a.visit.lastFrame)}`) : null,
    row('Delivery', outcomesOf(a).map(([c, o]) => `${c}: ${o}`).join(', ') || 'not sent to any channel'),
    (a.marks || []).length ? row('Corrections', a.marks.map((m) => (m.kind === 'TAUGHT' ? `taught as ${m.person}` : `not ${m.person}`)).join(', ')) : null));
  const reasons = String(a.reason || '').split('; ').filter((r) => r && !r.startsWith('seen '));
  show(`${personName(a)} at ${cameraName(a)}`,
    el('div', { class: 'detail' },
      el('div', {}, picture, clip ? el('p', {}, el('a', { href: clip, rel: 'noreferrer' }, 'Watch the clip')) : null),
      el('div', {}, facts,
        el('h2', {}, 'Why'), el('ul', { id: 'reasons' }, reasons.map((r) => el('li', {}, r))),
        seenBefore(a), await actions(a))));
  placeBox();
}

function row(key, value) {
  return el('tr', {}, el('th', { scope: 'row' }, key), el('td', {}, value));
}

function placeBox() {
  const box = main.querySelector('.facebox');
  if (!box) return;
  const [left, top, width, height] = box.dataset.box.split(',').map(Number);
  Object.assign(box.style, { left: `${left * 100}%`, top: `${top * 100}%`, width: `${width * 100}%`, height: `${height * 100}%` });
}

/** Stranger recurrence: the decision says "seen N times in the last 7 days, first on ..." (docs/teaching.md). */
function seenBefore(a) {
  const seen = String(a.reason || '').split('; ').find((r) => r.startsWith('seen '));
  if (!seen) return null;
  return el('section', { id: 'seen-before' }, el('h2', {}, 'Seen before'), el('p', {}, `This face was ${seen}.`),
    el('p', {}, el('a', { href: `/?type=unknown_face&camera=${encodeURIComponent(a.camera || '')}` }, 'Earlier unknown faces at this camera')));
}

async function actions(alert) {
  let people = [];
  try { people = (await get('/api/people')).people || []; } catch (err) { /* the form still works with a typed name */ }
  const status = el('p', { id: 'action-result', role: 'status' });
  const name = el('input', { id: 'teach-person', name: 'person', list: 'people-list', required: true, autocomplete: 'off' });
  const teach = el('form', { 'aria-label': 'Teach who this is' },
    el('div', {}, el('label', { for: 'teach-person' }, 'This is …'), name,
      el('datalist', { id: 'people-list' }, people.map((p) => el('option', { value: p.id })))),
    el('button', { type: 'submit', id: 'teach' }, 'Teach'));
  teach.addEventListener('submit', async (event) => {
    event.preventDefault();
    const person = name.value.trim();
    try {
      if (!people.some((p) => p.id === person)) {
        await call('POST', '/api/people', { id: person });
        people.push({ id: person });
      }
      await call('POST', `/api/alerts/${alert.id}/teach`, { person });
      message(status, `Taught: this is ${person}.`, true);
    } catch (err) { message(status, err.message); }
  });
  const not = alert.person && alert.person !== 'forgotten person' ? el('button', { type: 'button', class: 'secondary', id: 'not-person' }, `Not ${personName(alert)}`) : null;
  if (not) {
    not.addEventListener('click', async () => {
      try {
        await call('POST', `/api/alerts/${alert.id}/not`, { person: alert.person });
        message(status, `Recorded: this was not ${personName(alert)}.`, true);
      } catch (err) { message(status, err.message); }
    });
  }
  return el('section', { class: 'actions', 'aria-label': 'Actions' }, el('h2', {}, 'Correct Vigil'), teach,
    not ? el('div', { class: 'row' }, not) : null, status);
}

// ---- people ----
async function drawPeople() {
  let data;
  try { data = await get('/api/people'); } catch (err) { const n = failure(err); if (n) show('People', n); return; }
  const people = data.people || [];
  const fm = (p) => p.falseMatches || {};
  const rate = (p) => (fm(p).alertsNaming ? `${Math.round(fm(p).rate * 100)}% of ${fm(p).alertsNaming} alerts` : '—');
  const table = el('table', { id: 'people' },
    el('thead', {}, el('tr', {}, ['Person', 'Enrolled faces', 'False matches', 'False-match rate', ''].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, people.map((p) => el('tr', { 'data-person': p.id },
      el('td', {}, p.name ? `${p.name} (${p.id})` : p.id, p.runtimeAdded ? el('span', { class: 'muted' }, ' added here') : null),
      el('td', { class: 'faces' }, p.faces ?? 0),
      el('td', { class: 'false-matches' }, fm(p).count ?? 0),
      el('td', {}, rate(p)),
      el('td', {}, el('button', { type: 'button', class: 'danger', 'data-forget': p.id, onclick: () => confirmForget(p, data.collection) }, `Forget ${p.id}`))))));
  const person = el('input', { id: 'enrol-person', name: 'person', required: true, autocomplete: 'off' });
  const photo = el('input', { id: 'enrol-photo', name: 'photo', type: 'file', accept: 'image/jpeg,image/png', required: true });
  const result = el('p', { id: 'enrol-result', role: 'status' });
  const enrol = el('form', { class: 'filters', 'aria-label': 'Enrol a photo' },
    field('enrol-person', 'Person', person), field('enrol-photo', 'Photo (JPEG or PNG, up to 5 MB)', photo),
    el('button', { type: 'submit' }, 'Enrol'));
  enrol.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const file = photo.files[0];
      const answer = await call('POST', `/api/people/${encodeURIComponent(person.value.trim())}/faces`, file);
      message(result, `Enrolled ${answer.indexed.length} face(s) of ${answer.person}.`, true);
      setTimeout(drawPeople, 800);
    } catch (err) { message(result, err.message); }
  });
  show('People', table, el('h2', {}, 'Enrol a photo'), enrol, result);
}

function confirmForget(p, collection) {
  const result = el('p', { role: 'status' });
  const yes = el('button', { type: 'button', class: 'danger', id: 'confirm-forget' }, `Forget ${p.id}`);
  const no = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const dialog = el('dialog', { 'aria-labelledby': 'forget-title' },
    el('h2', { id: 'forget-title' }, `Forget ${p.id}?`),
    el('p', {}, `This erases ${p.faces ?? 0} enrolled face(s) of ${p.id} from the collection ${collection || ''},`
      + ' the stranger faces taught to them, their face crops and snapshots in the alert history, and replaces their'
      + ' name in alert records with "forgotten person". It cannot be undone.'),
    el('div', { class: 'row' }, yes, no), result);
  no.addEventListener('click', () => { dialog.close(); dialog.remove(); });
  yes.addEventListener('click', async () => {
    try {
      await call('DELETE', `/api/people/${encodeURIComponent(p.id)}`);
      dialog.close();
      dialog.remove();
      drawPeople();
    } catch (err) { message(result, err.message); }
  });
  document.body.append(dialog);
  dialog.showModal();
  no.focus();
}

// ---- mode ----
async function drawMode() {
  let mode; let status;
  try { [mode, status] = await Promise.all([get('/api/mode'), get('/api/status')]); } catch (err) { const n = failure(err); if (n) show('Mode', n); return; }
  const result = el('p', { id: 'mode-result', role: 'status' });
  const current = mode.mode;
  const choices = el('fieldset', { class: 'modes' }, el('legend', {}, 'Arming mode'),
    ['home', 'away', 'night'].map((m) => el('label', {}, el('input', { type: 'radio', name: 'mode', value: m, id: `mode-${m}`, checked: m === current }), m)));
  choices.addEventListener('change', async (event) => {
    try {
      const answer = await call('PUT', '/api/mode', { mode: event.target.value });
      message(result, `Mode is now ${(answer && answer.mode) || event.target.value}.`, true);
    } catch (err) { message(result, err.message); }
  });
  const q = status.policy && status.policy.quietHours;
  show('Mode', choices, result, el('h2', {}, 'Quiet hours'),
    el('p', { id: 'quiet-hours' }, q ? `${q.from}–${q.to} (${status.policy.timeZone}): only ${q.allow} alerts go out.` : 'None set.'));
}

// ---- health ----
async function drawStatus() {
  let s;
  try { s = await get('/api/status'); } catch (err) { const n = failure(err); if (n) show('Health', n); return; }
  const result = el('p', { id: 'redeliver-result', role: 'status' });
  const money = (x) => `$${Number(x || 0).toFixed(3)}`;
  const rek = s.rekognition || {};
  show('Health',
    el('h2', {}, 'Sources'),
    el('ul', { id: 'sources' }, (s.sources || []).map((x) => el('li', {}, `${x.name}: ${x.status}`))),
    el('h2', {}, 'Channels'),
    (s.channels || []).length ? el('table', { id: 'channels' },
      el('thead', {}, el('tr', {}, ['Channel', 'Circuit', 'Dead letters', ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, s.channels.map((c) => el('tr', { 'data-channel': c.name },
        el('td', {}, c.name), el('td', {}, c.circuit + (c.openSince ? ` since ${when(c.openSince)}` : '')),
        el('td', { class: 'dead-letters' }, c.deadLetters),
        el('td', {}, el('button', { type: 'button', class: 'secondary', disabled: !c.deadLetters, 'data-redeliver': c.name,
          onclick: async () => {
            try {
              const r = await call('POST', `/api/channels/${encodeURIComponent(c.name)}/redeliver`);
              message(result, `${c.name}: ${r.sent} of ${r.letters} redelivered.`, r.sent === r.letters);
              setTimeout(drawStatus, 800);
            } catch (err) { message(result, err.message); }
          } }, 'Redeliver'))))))
      : el('p', { class: 'muted' }, 'Only the console channel is configured.'),
    result,
    el('h2', {}, 'Rekognition today'),
    el('p', { id: 'cost' }, `Estimated ${money(rek.spentTodayUsd)} of the household's ${money(rek.householdBudgetUsd)} daily budget.`),
    el('table', {}, el('thead', {}, el('tr', {}, ['Camera', 'Engine', 'Calls', 'Spent', 'Budget'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, (rek.cameras || []).map((c) => el('tr', {}, el('td', {}, c.camera), el('td', {}, c.engine),
        el('td', {}, Object.entries(c.callsToday).map(([k, v]) => `${k} ${v}`).join(', ')),
        el('td', {}, money(c.spentTodayUsd)), el('td', {}, money(c.budgetUsd)))))));
}

// ---- start ----
function route() {
  const path = location.pathname;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('href') === path) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const alert = path.match(/^\/alerts\/([^/]+)$/);
  if (alert) return drawAlert(decodeURIComponent(alert[1]));
  if (path === '/people') return drawPeople();
  if (path === '/mode') return drawMode();
  if (path === '/status') return drawStatus();
  return drawTimeline();
}

async function start() {
  const s = await session();
  if (!s.signedIn) return drawSignIn();
  document.getElementById('nav').hidden = false;
  return route();
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try { await signOut(); } finally { drawSignIn('Signed out.'); }
});
start();
