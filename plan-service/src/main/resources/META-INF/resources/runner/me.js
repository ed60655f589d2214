/*
 * Strideback, the runner's own page (issue 18). Plain JavaScript; no build step.
 * Routes: "/me" (the athlete named by the token) and "/me/{athleteId}" (the link a clinic hands out).
 * Data: plan-service on this origin, intake and the load monitor cross-origin (CORS), all with the
 * runner's own `athlete` token, kept in localStorage so the page and its queue survive a reload.
 * Posts carry an Idempotency-Key and go through a queue in localStorage: when Strideback cannot be
 * reached they wait there (visible) and are sent when it can, under the same key, so never twice.
 */
(function () {
  'use strict';

  const TOKEN_KEY = 'strideback.me.token';
  const POLL_MS = 5000;
  const DAY = 86400000;
  const PLAN = '';
  const INTAKE = document.querySelector('meta[name="strideback-intake"]').content;
  const LOAD_MONITOR = document.querySelector('meta[name="strideback-load-monitor"]').content;

  const $ = (id) => document.getElementById(id);
  const main = $('main');

  // ---------------------------------------------------------------- small helpers

  const {h, fill, words} = window.StridebackDom; // /shared/dom.js

  const dateFmt = new Intl.DateTimeFormat('en-GB', {weekday: 'short', day: 'numeric', month: 'short'});
  const timeFmt = new Intl.DateTimeFormat('en-GB', {hour: '2-digit', minute: '2-digit'});
  const when = (ms) => dateFmt.format(new Date(ms)) + ', ' + timeFmt.format(new Date(ms));
  const km = (v) => (Math.round(v * 10) / 10) + ' km';
  const localDay = (ms) => {
    const d = new Date(ms);
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY;
  };

  function say(text) {
    $('live').textContent = text;
  }

  function alertBox(text) {
    const a = $('alert');
    a.textContent = text || '';
    a.hidden = !text;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const x = Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
    return x.slice(0, 8) + '-' + x.slice(8, 12) + '-' + x.slice(12, 16) + '-' + x.slice(16, 20) + '-' + x.slice(20);
  }

  // ---------------------------------------------------------------- token, athlete and API

  function token() {
    return localStorage.getItem(TOKEN_KEY);
  }

  function claims(t) {
    try {
      const part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(decodeURIComponent(escape(atob(part))));
    } catch (e) {
      return {};
    }
  }

  /** The athlete of the link (/me/{id}), else the one the token names (athlete_id, else sub). */
  function athleteId() {
    const m = window.location.pathname.match(/^\/me\/([^/]+)\/?$/);
    if (m) return decodeURIComponent(m[1]);
    const c = claims(token() || '');
    return c.athlete_id || c.sub || null;
  }

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail || ('HTTP ' + status));
      this.status = status;
    }
  }

  async function api(base, path, options) {
    const opts = Object.assign({headers: {}}, options || {});
    opts.headers = Object.assign({Accept: 'application/json', Authorization: 'Bearer ' + token()}, opts.headers);
    let res;
    try {
      res = await fetch(base + path, opts);
    } catch (e) {
      throw new ApiError(0, 'Strideback cannot be reached');
    }
    const text = await res.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const err = new ApiError(res.status, body && (body.detail || body.title));
      err.problem = body;
      throw err;
    }
    return body;
  }

  const athletePath = () => '/api/v1/athletes/' + encodeURIComponent(athleteId());

  // ---------------------------------------------------------------- the queue of posts (localStorage)

  const queueKey = () => 'strideback.me.queue.' + athleteId();

  function queue() {
    try {
      return JSON.parse(localStorage.getItem(queueKey()) || '[]');
    } catch (e) {
      return [];
    }
  }

  function saveQueue(items) {
    localStorage.setItem(queueKey(), JSON.stringify(items));
    renderQueue();
  }

  /** Adds a post to the queue (with the Idempotency-Key it keeps for every try) and tries to send it. */
  function enqueue(kind, label, body) {
    const items = queue();
    items.push({key: uuid(), kind: kind, label: label, body: body, queuedAt: new Date().toISOString()});
    saveQueue(items);
    return flush();
  }

  let flushing = null;

  /** Sends the queue in order; stops at the first post Strideback cannot take now (offline, 503). */
  function flush() {
    if (flushing) return flushing;
    flushing = (async () => {
      let sent = 0;
      let waiting = false;
      for (const item of queue()) {
        if (item.refused) continue;
        const path = athletePath() + '/' + item.kind;
        try {
          await api(INTAKE, path, {
            method: 'POST',
            headers: {'Content-Type': 'application/json', 'Idempotency-Key': item.key},
            body: JSON.stringify(item.body)
          });
          saveQueue(queue().filter((q) => q.key !== item.key));
          sent++;
        } catch (e) {
          if (e.status === 0 || e.status === 503 || e.status === 429 || e.status >= 500) {
            waiting = true;
            break; // keep the order: later posts wait behind this one
          }
          if (e.status === 401) {
            waiting = true;
            showSignIn('Your sign-in has expired: ask your clinic for a new one. What you logged is kept on this phone.');
            break;
          }
          // Refused for good (400, 404, 422): kept and shown, never dropped silently.
          const detail = e.problem && e.problem.errors && e.problem.errors.length
            ? e.problem.errors.map((x) => x.field + ' ' + x.message).join('; ') : e.message;
          saveQueue(queue().map((q) => (q.key === item.key ? Object.assign({}, q, {refused: detail}) : q)));
        }
      }
      if (sent) {
        say(sent === 1 ? 'Sent.' : sent + ' sent.');
        refresh();
      } else if (waiting && queue().length) {
        say('No connection: saved on this phone, it will be sent when you are back online.');
      }
      return sent;
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  function renderQueue() {
    const items = queue();
    $('queue').hidden = items.length === 0;
    $('queue-count').textContent = String(items.length);
    $('queue').dataset.count = String(items.length);
    fill($('queue-list'), items.map((q) => h('li', {'data-key': q.key, class: q.refused ? 'refused' : null},
      h('span', null, q.label + ' · saved ' + when(Date.parse(q.queuedAt))),
      q.refused ? [h('span', {class: 'field-error'}, ' Not accepted: ' + q.refused + ' '),
        h('button', {type: 'button', class: 'secondary small', onclick: () => saveQueue(queue().filter((x) => x.key !== q.key))},
          'Remove')] : null)));
  }

  // ---------------------------------------------------------------- Today

  const INTENSITY_WORDS = {
    EASY: 'easy: a pace at which you can talk in full sentences',
    STEADY: 'steady at most: no faster than a comfortable training pace',
    TEMPO: 'up to tempo (comfortably hard)',
    INTERVALS: 'intervals allowed',
    SPRINT: 'any pace'
  };

  function lastRunAt(timeline) {
    let last = null;
    (timeline && timeline.sessions || []).forEach((s) => {
      if (s.type === 'RUN') {
        const t = Date.parse(s.startedAt);
        if (last === null || t > last) last = t;
      }
    });
    return last;
  }

  function urgentReason(plan) {
    const a = (plan.adjustments || []).filter((x) => x.type === 'URGENT_REFERRAL' && x.status === 'APPLIED').pop();
    return a ? plain(a.reason) : null;
  }

  /** A plan reason without the clinician's source note at its end ("(load monitor, pattern RED_FLAG)."). */
  function plain(reason) {
    return reason ? reason.replace(/\s*\((?:load monitor|approved by)[^()]*\)\.\s*$/, '.') : reason;
  }

  /**
   * The plan's reasons a runner needs: the latest applied change of each kind, without the ones that
   * changed nothing yet ("Recorded without a change") and without the clinician's source note
   * ("(load monitor, pattern ...)") at the end.
   */
  function runnerReasons(adjustments) {
    const latest = new Map();
    adjustments.filter((a) => a.status === 'APPLIED' && a.reason && !/^Recorded without a change/.test(a.reason))
      .forEach((a) => {
        latest.delete(a.type);
        latest.set(a.type, {type: a.type, text: plain(a.reason)});
      });
    return Array.from(latest.values()).reverse();
  }

  function renderToday(plan, timeline) {
    const c = plan.constraints || {};
    const urgent = $('today-urgent');
    const verdict = $('today-verdict');
    let canRun;
    if (plan.flags && plan.flags.urgentReferral) {
      canRun = false;
      fill(urgent, h('strong', null, 'Contact your clinic today.'),
        ' Do not run or load the calf until a clinician has seen you.',
        urgentReason(plan) ? h('span', {class: 'why'}, ' ' + urgentReason(plan)) : null);
      urgent.hidden = false;
      urgent.dataset.kind = 'referral';
      fill(verdict, 'No running today.');
    } else if (c.runningPaused) {
      canRun = false;
      const pause = (plan.adjustments || []).filter((x) => x.type === 'PAUSE_RUNNING' && x.status === 'APPLIED').pop();
      fill(urgent, h('strong', null, 'Running is paused' + (c.pausedUntil ? ' until ' + c.pausedUntil : '') + '.'),
        ' Keep to your exercises.', pause && pause.reason ? h('span', {class: 'why'}, ' ' + plain(pause.reason)) : null);
      urgent.hidden = false;
      urgent.dataset.kind = 'pause';
      fill(verdict, 'No running today.');
    } else {
      urgent.hidden = true;
      urgent.dataset.kind = '';
      const last = lastRunAt(timeline);
      const rest = c.minRestDaysBetweenRuns || 0;
      const daysSince = last === null ? null : localDay(Date.now()) - localDay(last);
      if (plan.phase === 'PROTECT' || plan.phase === 'RESTORE_CAPACITY') {
        canRun = false;
        fill(verdict, 'No running yet: this phase builds the calf up first (' + words(plan.phase).toLowerCase() + ').');
      } else if (daysSince !== null && daysSince <= rest) {
        canRun = false;
        fill(verdict, 'Rest day today: your last run was ' + (daysSince === 0 ? 'today' : daysSince === 1 ? 'yesterday' : daysSince + ' days ago')
          + ', and your plan keeps ' + rest + ' rest day' + (rest === 1 ? '' : 's') + ' between runs.');
      } else {
        canRun = true;
        fill(verdict, 'Yes, you may run today.');
      }
    }
    verdict.dataset.canRun = String(canRun);
    const facts = [];
    const fact = (k, v) => facts.push(h('dt', null, k), h('dd', null, v));
    fact('How far', c.maxDistanceKm === null || c.maxDistanceKm === undefined ? 'No distance cap' : 'Up to ' + km(c.maxDistanceKm));
    fact('How fast', c.maxIntensity ? words(INTENSITY_WORDS[c.maxIntensity] || c.maxIntensity) : 'Any pace');
    fact('Rest days', (c.minRestDaysBetweenRuns || 0) === 0 ? 'No rest day needed between runs'
      : 'At least ' + c.minRestDaysBetweenRuns + ' rest day' + (c.minRestDaysBetweenRuns === 1 ? '' : 's') + ' between runs');
    if (c.recoveryDayBeforeIntense) fact('Before a hard run', 'An easy or rest day first');
    if (c.cadenceTargetSpm) fact('Step rate', 'About ' + c.cadenceTargetSpm + ' steps a minute');
    fact('Phase', words(plan.phase));
    fill($('today-facts'), facts);
    $('today-facts').dataset.maxDistanceKm = c.maxDistanceKm === null || c.maxDistanceKm === undefined ? '' : String(c.maxDistanceKm);

    fill($('today-exercises'), (plan.exercises || []).map((e) => h('li', {'data-exercise': e.name},
      h('strong', null, words(e.name)), ' · ',
      [e.sets ? e.sets + (e.sets === 1 ? ' set' : ' sets') : null, e.reps ? e.reps + ' reps' : null, e.load, e.frequency].filter(Boolean).join(', '),
      e.why ? h('span', {class: 'why'}, e.why) : null)));
    const reasons = runnerReasons(plan.adjustments || []);
    fill($('today-reasons'), reasons.length ? reasons.map((a) => h('li', {'data-type': a.type}, a.text))
      : [h('li', null, 'Your plan is the standard one for your injury and phase; nothing has changed it yet.')]);
    const pending = (plan.adjustments || []).filter((a) => a.status === 'PENDING').length;
    if (pending) {
      $('today-reasons').appendChild(h('li', {'data-type': 'PENDING'}, 'Your clinician is reviewing ' + pending + ' suggested change'
        + (pending === 1 ? '' : 's') + ' to your plan; Today follows once they decide.'));
    }
    if (plan.flags && plan.flags.clinicianReview) {
      $('today-reasons').appendChild(h('li', {'data-type': 'CLINICIAN_REVIEW'}, 'Your clinician has been asked to look at your plan.'));
    }
    $('today-updated').textContent = 'Plan version ' + plan.version + '. Updates by itself.';
    $('today').dataset.version = String(plan.version);
    $('today').dataset.urgentReferral = String(!!(plan.flags && plan.flags.urgentReferral));
    if (!document.querySelector('input[name="side"]:checked') && plan.side) {
      const side = document.querySelector('input[name="side"][value="' + plan.side + '"]');
      if (side) side.checked = true;
    }
    fillExerciseChoices(plan.exercises || []);
  }

  // ---------------------------------------------------------------- My flare-ups

  const CONTEXT_WORDS = {
    DURING_RUN: 'during a run', AFTER_RUN: 'after a run', DURING_STRENGTH: 'during exercises', WALKING: 'while walking',
    AT_REST: 'at rest', NIGHT: 'at night', MORNING: 'in the morning'
  };

  /** The load monitor's classification and evidence, said in plain words. */
  function explain(e, symptomFreeKm) {
    const ev = e.evidence || {};
    const run = ev.triggeringRunKm ? 'a ' + km(ev.triggeringRunKm) + (ev.intensity ? ' ' + String(ev.intensity).toLowerCase() : '') + ' run' : 'a run';
    if (e.classification === 'RUNNING_TRIGGERED') {
      let s;
      if (e.rule === 'ONSET_DURING_RUN') s = 'Came during ' + run;
      else if (e.rule === 'ONSET_AFTER_RUN') s = 'Came after ' + run;
      else s = 'Came within a day of ' + run;
      const longer = ev.triggeringRunKm && symptomFreeKm && ev.triggeringRunKm > symptomFreeKm;
      if (longer) s += ', longer than the ' + km(symptomFreeKm) + ' you run without symptoms';
      else if (ev.intensity && ev.intensity !== 'EASY') s += ', faster than easy';
      if (ev.spikeRatio && ev.spikeRatio > 1.1) s += (longer ? ' and ' : ', ') + Math.round((ev.spikeRatio - 1) * 100) + '% longer than your longest run of the month before';
      return s + '. This flare-up comes from running: your plan manages the running load.';
    }
    const ctx = ev.onsetContext || (e.rule || '').replace(/^RANDOM_/, '');
    return 'Came ' + (CONTEXT_WORDS[ctx] || 'on its own') + ', not after a run. Flare-ups that come "at random" are worth '
      + 'showing your clinician: they can point beyond the calf.';
  }

  function renderFlareUps(flareUps, load) {
    const episodes = (flareUps && flareUps.episodes || []).slice().sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
    const free = load && load.symptomFreeDistanceKm;
    $('flare-ups-empty').hidden = episodes.length > 0;
    $('flare-up-list').dataset.count = String(episodes.length);
    fill($('flare-up-list'), episodes.map((e) => h('li', {'data-episode-id': e.episodeId, 'data-classification': e.classification},
      h('strong', null, when(Date.parse(e.startedAt)) + (e.endedAt ? ' to ' + when(Date.parse(e.endedAt)) : ' (not settled yet)')),
      h('span', {class: 'pain-badge'}, 'Pain up to ' + e.peakPain + '/10'),
      h('p', {class: 'explanation'}, explain(e, free)))));
  }

  // ---------------------------------------------------------------- loading and polling

  let loaded = false;

  async function refresh() {
    if (!token()) return;
    const base = athletePath();
    try {
      const [plan, timeline, flareUps, load] = await Promise.all([
        api(PLAN, base + '/plan'),
        api(LOAD_MONITOR, base + '/timeline').catch(() => null),
        api(LOAD_MONITOR, base + '/flare-ups').catch(() => null),
        api(LOAD_MONITOR, base + '/load').catch(() => null)
      ]);
      const versionBefore = $('today').dataset.version;
      renderToday(plan, timeline);
      renderFlareUps(flareUps, load);
      if (loaded && versionBefore && versionBefore !== String(plan.version)) say('Your plan has changed.');
      loaded = true;
      alertBox('');
      $('me').hidden = false;
      $('sign-in').hidden = true;
      $('me-nav').hidden = false;
      $('sign-out').hidden = false;
      main.dataset.state = 'ready';
    } catch (e) {
      if (e.status === 401) {
        showSignIn('This sign-in code was not accepted (expired, or not for Strideback). Ask your clinic for a new one.');
      } else if (e.status === 404 || e.status === 403) {
        // Another athlete's page, or not a runner's sign-in: show nothing of anyone.
        clearData();
        $('me').hidden = true;
        alertBox('Nothing to show here: this page shows only your own plan. Open the link your clinic gave you.');
        main.dataset.state = 'error';
      } else if (e.status === 0) {
        say('No connection: showing what was last loaded.');
      } else {
        alertBox('Strideback could not load your plan (' + e.message + '). It will try again.');
      }
    }
  }

  function clearData() {
    ['today-facts', 'today-exercises', 'today-reasons', 'flare-up-list'].forEach((id) => fill($(id)));
    fill($('today-verdict'));
    $('today-urgent').hidden = true;
    delete $('today').dataset.version;
    loaded = false;
  }

  function showSignIn(message) {
    clearData();
    $('me').hidden = true;
    $('me-nav').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    alertBox(message || '');
    main.dataset.state = 'sign-in';
    $('token').focus();
  }

  // ---------------------------------------------------------------- the forms

  function buildPainScale() {
    const scale = $('pain-scale');
    for (let i = 0; i <= 10; i++) {
      scale.appendChild(h('label', {class: 'pain-step', 'data-pain': i},
        h('input', {type: 'radio', name: 'pain', value: String(i), required: true}), h('span', null, String(i))));
    }
    const rpe = $('session-rpe');
    for (let i = 0; i <= 10; i++) {
      rpe.appendChild(h('option', {value: String(i), selected: i === 4 ? true : null},
        i + (i === 0 ? ' (rest)' : i <= 2 ? ' (very easy)' : i <= 4 ? ' (easy)' : i <= 6 ? ' (moderate)' : i <= 8 ? ' (hard)' : ' (maximal)')));
    }
  }

  function checked(form, name) {
    return Array.from(form.querySelectorAll('input[name="' + name + '"]:checked')).map((i) => i.value);
  }

  function wireCalfPicture() {
    const picture = $('calf-picture');
    const sync = () => {
      const chosen = (document.querySelector('input[name="location"]:checked') || {}).value;
      picture.querySelectorAll('.region').forEach((r) => r.classList.toggle('chosen', r.dataset.location === chosen));
    };
    picture.querySelectorAll('.region').forEach((r) => r.addEventListener('click', () => {
      const input = document.querySelector('input[name="location"][value="' + r.dataset.location + '"]');
      input.checked = true;
      input.focus();
      sync();
    }));
    document.querySelectorAll('input[name="location"]').forEach((i) => i.addEventListener('change', sync));
  }

  function redFlagsTicked() {
    return checked($('symptom-form'), 'redFlags');
  }

  function onRedFlagChange() {
    $('red-flag-message').hidden = redFlagsTicked().length === 0;
  }

  function fieldError(id, text) {
    $(id).textContent = text || '';
    $(id).hidden = !text;
  }

  async function sendSymptom(ev) {
    ev.preventDefault();
    const form = $('symptom-form');
    const pain = checked(form, 'pain')[0];
    const side = checked(form, 'side')[0];
    const location = checked(form, 'location')[0];
    const context = checked(form, 'context')[0];
    const missing = [!pain && 'the pain (0-10)', !side && 'which calf', !location && 'where it hurts', !context && 'when you noticed it'].filter(Boolean);
    if (missing.length) {
      fieldError('symptom-error', 'Please choose ' + missing.join(', ') + '.');
      form.querySelector(!pain ? 'input[name="pain"]' : !side ? 'input[name="side"]' : !location ? 'input[name="location"]' : 'input[name="context"]').focus();
      return;
    }
    fieldError('symptom-error', '');
    const flags = redFlagsTicked();
    const body = {observedAt: new Date().toISOString(), pain: Number(pain), side: side, location: location,
      character: checked(form, 'character'), context: context, redFlags: flags};
    const note = $('symptom-note').value.trim();
    if (note) body.note = note;
    form.reset();
    onRedFlagChange();
    form.querySelectorAll('.region').forEach((r) => r.classList.remove('chosen'));
    say('Saving how it feels…');
    await enqueue('symptoms', 'How it feels: pain ' + pain + '/10', body);
    if (flags.length) {
      // A red flag: the message stays up whatever the connection, and Today shows the referral once it applies.
      $('red-flag-message').hidden = false;
      $('red-flag-message').focus();
    }
  }

  function exerciseRow(names) {
    const n = $('exercise-rows').children.length + 1;
    const id = (f) => 'ex-' + n + '-' + f;
    return h('li', {class: 'exercise-row'},
      h('div', {class: 'full'}, h('label', {for: id('name')}, 'Exercise ' + n),
        h('select', {id: id('name'), name: 'exercise'}, names.map((x) => h('option', {value: x}, words(x))))),
      h('div', null, h('label', {for: id('sets')}, 'Sets'), h('input', {id: id('sets'), name: 'sets', type: 'number', inputmode: 'numeric', min: 1, max: 20, value: 3})),
      h('div', null, h('label', {for: id('reps')}, 'Reps'), h('input', {id: id('reps'), name: 'reps', type: 'number', inputmode: 'numeric', min: 1, max: 100, value: 12})),
      h('div', null, h('label', {for: id('load')}, 'Load (kg)'), h('input', {id: id('load'), name: 'loadKg', type: 'number', inputmode: 'decimal', min: 0, max: 300, step: 0.5, value: 0})));
  }

  let exerciseNames = [];

  function fillExerciseChoices(exercises) {
    const names = exercises.map((e) => e.name);
    if (names.join() === exerciseNames.join()) return;
    exerciseNames = names.length ? names : ['SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE'];
    if ($('exercise-rows').children.length === 0) $('exercise-rows').appendChild(exerciseRow(exerciseNames));
  }

  function onTypeChange() {
    const type = checked($('session-form'), 'type')[0];
    $('run-fields').hidden = type !== 'RUN';
    $('strength-fields').hidden = type !== 'STRENGTH';
  }

  async function sendSession(ev) {
    ev.preventDefault();
    const form = $('session-form');
    const type = checked(form, 'type')[0];
    const rpe = Number($('session-rpe').value);
    let body;
    let label;
    if (type === 'RUN') {
      const distance = parseFloat($('run-distance').value);
      const minutes = parseFloat($('run-time').value);
      if (!(distance > 0) || !(minutes > 0)) {
        fieldError('session-error', 'Please give the distance and the time of the run.');
        (distance > 0 ? $('run-time') : $('run-distance')).focus();
        return;
      }
      body = {type: 'RUN', startedAt: new Date(Date.now() - minutes * 60000).toISOString(), durationMin: minutes, rpe: rpe,
        run: {distanceKm: distance, intensity: $('run-intensity').value}, source: {kind: 'MANUAL'}};
      label = 'Run: ' + km(distance) + ' in ' + minutes + ' min';
    } else {
      const minutes = parseFloat($('strength-time').value);
      if (!(minutes > 0)) {
        fieldError('session-error', 'Please give how long the exercises took.');
        $('strength-time').focus();
        return;
      }
      const exercises = Array.from($('exercise-rows').children).map((row) => ({
        name: row.querySelector('[name="exercise"]').value,
        sets: Number(row.querySelector('[name="sets"]').value),
        reps: Number(row.querySelector('[name="reps"]').value),
        loadKg: Number(row.querySelector('[name="loadKg"]').value || 0),
        rpe: rpe
      }));
      body = {type: 'STRENGTH', startedAt: new Date(Date.now() - minutes * 60000).toISOString(), durationMin: minutes, rpe: rpe,
        strength: {exercises: exercises}, source: {kind: 'MANUAL'}};
      label = 'Strength: ' + exercises.length + ' exercise' + (exercises.length === 1 ? '' : 's');
    }
    fieldError('session-error', '');
    form.reset();
    onTypeChange();
    say('Saving the session…');
    await enqueue('sessions', label, body);
  }

  // ---------------------------------------------------------------- start

  function start() {
    // A clinic's link may carry the sign-in in its fragment (never sent to a server): keep it, then hide it.
    const m = window.location.hash.match(/(?:^#|&)token=([^&]+)/);
    if (m) {
      localStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, '', window.location.pathname);
    }
    buildPainScale();
    wireCalfPicture();
    document.querySelectorAll('input[name="redFlags"]').forEach((i) => i.addEventListener('change', onRedFlagChange));
    document.querySelectorAll('input[name="type"]').forEach((i) => i.addEventListener('change', onTypeChange));
    $('symptom-form').addEventListener('submit', sendSymptom);
    $('session-form').addEventListener('submit', sendSession);
    $('add-exercise').addEventListener('click', () => {
      const row = exerciseRow(exerciseNames);
      $('exercise-rows').appendChild(row);
      row.querySelector('select').focus();
    });
    $('queue-send').addEventListener('click', () => flush());
    $('sign-in-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const t = $('token').value.trim();
      if (!t) return;
      localStorage.setItem(TOKEN_KEY, t);
      $('token').value = '';
      main.dataset.state = 'loading';
      refresh().then(() => flush());
    });
    $('sign-out').addEventListener('click', () => {
      localStorage.removeItem(TOKEN_KEY);
      showSignIn('Signed out. What waits to be sent stays on this phone.');
    });
    window.addEventListener('online', () => flush());
    renderQueue();
    if (!token()) {
      showSignIn('');
    } else {
      refresh().then(() => flush());
    }
    setInterval(() => {
      if (!token()) return;
      refresh();
      if (queue().some((q) => !q.refused)) flush();
    }, POLL_MS);
    window.strideback = {queue: queue, flush: flush, athleteId: athleteId};
  }

  start();
})();
