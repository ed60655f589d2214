/*
 * Strideback clinician pages. Plain JavaScript and Chart.js; no build step.
 * Routes: "/" and "/athletes" (clinic overview), "/athletes/{athleteId}" (athlete timeline).
 * Data: plan-service on this origin, the load monitor cross-origin (CORS), both with the bearer
 * token the clinician entered (kept in sessionStorage). Polls the read APIs every few seconds.
 */
(function () {
  'use strict';

  const TOKEN_KEY = 'strideback.token';
  const POLL_MS = 5000;
  const DAY = 86400000;
  const PLAN = '';
  const LOAD_MONITOR = document.querySelector('meta[name="strideback-load-monitor"]').content;

  const COLORS = {
    RUNNING_TRIGGERED: '#e69f00',
    RANDOM: '#0072b2',
    RED_FLAG: '#c00000',
    NONE: '#8a949e',
    span: {
      RUNNING_TRIGGERED: 'rgba(230,159,0,0.16)',
      RANDOM: 'rgba(0,114,178,0.14)',
      RED_FLAG: 'rgba(192,0,0,0.16)'
    },
    intensity: {EASY: '#a8dcd1', STEADY: '#5fb8a6', TEMPO: '#2a8f7c', INTERVALS: '#17655a', SPRINT: '#073b33'},
    strength: '#795548',
    cap: '#1d2329',
    plan: '#5b2a86'
  };
  const INTENSITIES = ['EASY', 'STEADY', 'TEMPO', 'INTERVALS', 'SPRINT'];
  const CLASS_LABEL = {RUNNING_TRIGGERED: 'running-triggered', RANDOM: 'random', RED_FLAG: 'red flag', NONE: 'no flare-up'};

  const $ = (id) => document.getElementById(id);
  const main = $('main');

  // ---------------------------------------------------------------- small helpers

  const {h, fill, words} = window.StridebackDom; // /shared/dom.js

  const dateFmt = new Intl.DateTimeFormat('en-GB', {day: 'numeric', month: 'short', timeZone: 'UTC'});
  const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC'
  });
  const day = (ms) => dateFmt.format(new Date(ms));
  const when = (ms) => dateTimeFmt.format(new Date(ms));
  const km = (v) => (v === null || v === undefined ? 'none' : (Math.round(v * 100) / 100) + ' km');
  const num = (v, digits) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : Number(v).toFixed(digits));

  function wrap(text, width) {
    const out = [];
    let line = '';
    String(text || '').split(/\s+/).forEach((w) => {
      if ((line + ' ' + w).trim().length > width && line) {
        out.push(line);
        line = w;
      } else {
        line = (line + ' ' + w).trim();
      }
    });
    if (line) out.push(line);
    return out;
  }

  function say(text) {
    $('live').textContent = text;
  }

  function alertBox(text) {
    const a = $('alert');
    a.textContent = text || '';
    a.hidden = !text;
  }

  // ---------------------------------------------------------------- token and API

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function claims(t) {
    try {
      const part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(decodeURIComponent(escape(atob(part))));
    } catch (e) {
      return {};
    }
  }

  class ApiError extends Error {
    constructor(status, detail, body) {
      super(detail || ('HTTP ' + status));
      this.status = status;
      this.body = body || null;
    }
  }

  async function api(base, path, options) {
    const opts = Object.assign({headers: {}}, options || {});
    opts.headers = Object.assign({Accept: 'application/json', Authorization: 'Bearer ' + token()}, opts.headers);
    let res;
    try {
      res = await fetch(base + path, opts);
    } catch (e) {
      throw new ApiError(0, 'cannot reach ' + (base || window.location.origin) + ': ' + e.message);
    }
    const text = await res.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (!res.ok) throw new ApiError(res.status, body && (body.detail || body.title), body);
    return body;
  }

  /** Turns an API failure into what the clinician reads; true when the page must show no data. */
  function explain(err, what) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn('Your token was not accepted (expired, or not signed for this platform). Sign in again.');
    } else if (err.status === 403) {
      alertBox('This token may not read clinical data: it is not a clinician\'s token.');
    } else if (err.status === 404) {
      alertBox('No ' + what + ' in your clinic.');
    } else if (err.status === 0) {
      alertBox('Strideback cannot be reached right now (' + err.message + '). Retrying.');
      return false;
    } else {
      alertBox('Strideback answered ' + err.status + ': ' + err.message + '. Retrying.');
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- routing and sign-in

  let stopPolling = () => {};

  function route() {
    const path = window.location.pathname.replace(/\/+$/, '');
    const m = path.match(/^\/athletes\/([^/]+)$/);
    return m ? {page: 'athlete', athleteId: decodeURIComponent(m[1])} : {page: 'overview'};
  }

  function showOnly(id) {
    ['sign-in', 'overview', 'athlete'].forEach((s) => { $(s).hidden = s !== id; });
  }

  function showSignIn(message) {
    stopPolling();
    showOnly('sign-in');
    $('who').hidden = true;
    alertBox(message || '');
    main.dataset.state = 'signed-out';
    $('token').focus();
  }

  function start() {
    const t = token();
    if (!t) {
      showSignIn();
      return;
    }
    const c = claims(t);
    $('who-clinic').textContent = c.clinic || '?';
    $('who').hidden = false;
    alertBox('');
    const r = route();
    if (r.page === 'athlete') athletePage(r.athleteId);
    else overviewPage();
  }

  $('sign-in-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('token').value.trim().replace(/^Bearer\s+/i, '');
    if (value.split('.').length !== 3) {
      alertBox('That does not look like a token (three parts separated by dots).');
      $('token').focus();
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    start();
  });

  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn('Signed out.');
  });

  function poll(fn) {
    stopPolling();
    let busy = false;
    let stopped = false;
    const tick = async () => {
      if (busy || stopped || document.hidden) return;
      busy = true;
      try {
        await fn();
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(tick, POLL_MS);
    stopPolling = () => {
      stopped = true;
      clearInterval(timer);
    };
    return tick();
  }

  // ---------------------------------------------------------------- clinic overview

  function attention(a) {
    const badges = [];
    if (a.urgentReferral) badges.push(['danger', 'Urgent referral']);
    if (a.redFlag) badges.push(['danger', 'Red flag reported']);
    if (a.pending > 0) badges.push(['warn', a.pending + ' waiting for approval']);
    if (a.openEpisode) badges.push(['warn', 'Flare-up ongoing']);
    if (a.recent > 0) badges.push(['info', a.recent + ' recent flare-up' + (a.recent > 1 ? 's' : '')]);
    if (a.clinicianReview) badges.push(['info', 'Review requested']);
    return badges;
  }

  function tier(a) {
    if (a.urgentReferral || a.redFlag) return 0;
    if (a.pending > 0) return 1;
    if (a.recent > 0 || a.openEpisode) return 2;
    if (a.clinicianReview) return 3;
    return 4;
  }

  function overviewPage() {
    showOnly('overview');
    main.dataset.state = 'loading';
    let last = null;
    return poll(async () => {
      let plans, monitor;
      try {
        [plans, monitor] = await Promise.all([
          api(PLAN, '/api/v1/athletes'),
          api(LOAD_MONITOR, '/api/v1/athletes')
        ]);
      } catch (err) {
        if (explain(err, 'data')) {
          $('overview-rows').replaceChildren();
          main.dataset.state = 'error';
        }
        return;
      }
      alertBox('');
      const byId = new Map();
      const get = (id) => {
        if (!byId.has(id)) {
          byId.set(id, {athleteId: id, pending: 0, recent: 0, episodes: 0, lastEpisodeAt: null});
        }
        return byId.get(id);
      };
      plans.athletes.forEach((p) => Object.assign(get(p.athleteId), {
        displayName: p.displayName || null, phase: p.phase, diagnosis: p.diagnosis, pending: p.pendingAdjustments,
        urgentReferral: p.flags && p.flags.urgentReferral, clinicianReview: p.flags && p.flags.clinicianReview,
        cap: p.constraints ? p.constraints.maxDistanceKm : null, paused: p.constraints && p.constraints.runningPaused
      }));
      monitor.athletes.forEach((m) => Object.assign(get(m.athleteId), {
        recent: m.recentEpisodes, episodes: m.episodes, lastEpisodeAt: m.lastEpisodeAt, redFlag: m.redFlag,
        openEpisode: m.openEpisode, diagnosis: get(m.athleteId).diagnosis || m.diagnosis
      }));
      const rows = [...byId.values()].sort((a, b) =>
        tier(a) - tier(b) || b.pending - a.pending || b.recent - a.recent
        || (Date.parse(b.lastEpisodeAt || 0) - Date.parse(a.lastEpisodeAt || 0))
        || a.athleteId.localeCompare(b.athleteId));
      const fingerprint = JSON.stringify(rows);
      if (fingerprint === last) return;
      const first = last === null;
      last = fingerprint;
      // data-label: the column's name, shown beside each value when the rows stack on a phone.
      const cell = (label, attrs, ...content) => h('td', Object.assign({role: 'cell', 'data-label': label}, attrs), ...content);
      fill($('overview-rows'), rows.map((a) => h('tr', {role: 'row', 'data-athlete-id': a.athleteId, 'data-tier': tier(a)},
        // The name from enrolment first (issue 18), the id as a secondary line.
        h('th', {scope: 'row', role: 'rowheader'},
          h('a', {href: '/athletes/' + encodeURIComponent(a.athleteId), class: 'athlete-name'}, a.displayName || a.athleteId),
          a.displayName ? h('span', {class: 'secondary-id'}, a.athleteId) : null,
          a.diagnosis ? h('span', {class: 'why'}, words(a.diagnosis)) : null),
        cell('Needs attention', {}, attention(a).length
          ? h('span', {class: 'badges'}, attention(a).map(([kind, text]) => h('span', {class: 'badge ' + kind}, text))) : 'nothing'),
        cell('Waiting for approval', {class: 'num'}, String(a.pending || 0)),
        cell('Flare-ups, last 14 days', {class: 'num'}, String(a.recent || 0)),
        cell('Last flare-up', {}, a.lastEpisodeAt ? day(Date.parse(a.lastEpisodeAt)) : 'none'),
        cell('Phase', {}, words(a.phase) || 'no plan yet'),
        cell('Run cap', {class: 'num'}, km(a.cap) + (a.paused ? ', paused' : '')))));
      $('overview-empty').hidden = rows.length > 0;
      main.dataset.state = 'ready';
      say(first ? rows.length + ' athletes.' : 'Updated ' + when(Date.now()) + '.');
    });
  }

  // ---------------------------------------------------------------- athlete page: the model

  /** Everything the chart, the table and the summary show, computed once per change of the data. */
  function model(d) {
    const now = Date.now();
    const timeOf = new Map();
    d.timeline.sessions.forEach((s) => timeOf.set(s.eventId, Date.parse(s.startedAt)));
    d.timeline.symptoms.forEach((s) => timeOf.set(s.eventId, Date.parse(s.observedAt)));
    const symptomById = new Map(d.timeline.symptoms.map((s) => [s.eventId, s]));

    const episodes = d.flareUps.episodes.map((e) => {
      const redFlag = (e.eventIds || []).some((id) => {
        const s = symptomById.get(id);
        return s && s.redFlags && s.redFlags.length > 0;
      });
      return Object.assign({}, e, {
        start: Date.parse(e.startedAt), end: e.endedAt ? Date.parse(e.endedAt) : now, redFlag: redFlag,
        shade: redFlag ? 'RED_FLAG' : e.classification
      });
    });
    const episodeOf = new Map();
    episodes.forEach((e) => (e.eventIds || []).forEach((id) => episodeOf.set(id, e)));

    // Daily run distance, coloured by the day's most intense run.
    const days = new Map();
    const strength = [];
    d.timeline.sessions.forEach((s) => {
      const t = Date.parse(s.startedAt);
      if (s.type === 'RUN' && s.run) {
        const key = s.startedAt.slice(0, 10);
        const dd = days.get(key) || {x: Date.parse(key + 'T12:00:00Z'), km: 0, runs: 0, intensity: 'EASY'};
        dd.km += s.run.distanceKm || 0;
        dd.runs += 1;
        if (INTENSITIES.indexOf(s.run.intensity) > INTENSITIES.indexOf(dd.intensity)) dd.intensity = s.run.intensity;
        days.set(key, dd);
      } else if (s.type === 'STRENGTH') {
        strength.push({x: t, y: 0, session: s});
      }
    });

    const symptoms = d.timeline.symptoms.map((s) => {
      const e = episodeOf.get(s.eventId);
      const kind = s.redFlags && s.redFlags.length ? 'RED_FLAG' : (e ? e.classification : 'NONE');
      return {x: Date.parse(s.observedAt), y: s.pain, symptom: s, episode: e, kind: kind};
    });

    // Plan changes, placed in event time: a change the rules proposed sits where its latest evidence
    // happened; a clinician's decision (approval, rejection, phase) where it was made; the plan's
    // creation at the start, as the baseline.
    const allTimes = [...timeOf.values(), ...episodes.map((e) => e.start)];
    const first = allTimes.length ? Math.min(...allTimes) : now - 7 * DAY;
    const xmin = Math.floor(first / DAY) * DAY - DAY;
    const xmax = Math.ceil(Math.max(now, ...allTimes) / DAY) * DAY + DAY / 2;
    const proposedBefore = new Set();
    const changes = d.history.events.map((ev) => {
      const adj = ev.adjustment || null;
      const at = Date.parse(ev.occurredAt);
      let x;
      let decidedByClinician = false;
      if (ev.type === 'plan.created') {
        x = Math.min(at, xmin + DAY / 2);
      } else if (adj && ev.type === 'plan.adjustment-withdrawn') {
        x = at; // the monitor's withdrawal: when late data changed the findings
      } else if (adj && ev.type === 'plan.adjusted' && proposedBefore.has(adj.adjustmentId)) {
        x = at;
        decidedByClinician = true;
      } else if (adj && ev.type !== 'plan.adjustment-rejected') {
        const evidence = (adj.evidenceEventIds || []).map((id) => timeOf.get(id)).filter((t) => t !== undefined);
        x = evidence.length ? Math.max(...evidence) : at;
      } else {
        x = at;
        decidedByClinician = ev.type !== 'plan.assessment-noted';
      }
      if (adj) proposedBefore.add(adj.adjustmentId);
      const c = ev.constraints || {};
      return {
        x: x, sequence: ev.sequence, type: ev.type, reason: ev.reason, adjustment: adj, occurredAt: at,
        decidedByClinician: decidedByClinician, cap: c.maxDistanceKm === undefined ? null : c.maxDistanceKm,
        paused: !!c.runningPaused, phase: ev.phase, unmetCriteria: ev.unmetCriteria || null,
        overrideGates: !!ev.overrideGates
      };
    });
    const ordered = changes.slice().sort((a, b) => a.x - b.x || a.sequence - b.sequence);
    const plan = d.plan;
    const capNow = plan.constraints.maxDistanceKm === undefined ? null : plan.constraints.maxDistanceKm;
    const capSteps = [];
    if (ordered.length) capSteps.push({x: xmin, y: ordered[0].cap, paused: ordered[0].paused});
    ordered.forEach((c) => capSteps.push({x: Math.max(c.x, xmin), y: c.cap, paused: c.paused}));
    capSteps.push({x: xmax, y: capNow, paused: !!plan.constraints.runningPaused});

    const pending = d.pending.adjustments.filter((p) => p.athleteId === plan.athleteId).map((p) => p.adjustment);
    const count = (cls) => episodes.filter((e) => e.classification === cls).length;
    return {
      xmin: xmin, xmax: xmax, days: [...days.values()].sort((a, b) => a.x - b.x), strength: strength,
      symptoms: symptoms, episodes: episodes, changes: changes, capSteps: capSteps, capNow: capNow, plan: plan,
      pending: pending, load: d.load, timeline: d.timeline,
      counts: {
        RUNNING_TRIGGERED: count('RUNNING_TRIGGERED'), RANDOM: count('RANDOM'),
        RED_FLAG: episodes.filter((e) => e.redFlag).length
      }
    };
  }

  // ---------------------------------------------------------------- athlete page: the chart

  /** Shaded spans for the flare-up episodes, drawn under the datasets. */
  const episodeSpans = {
    id: 'episodeSpans',
    beforeDatasetsDraw(chart, args, opts) {
      const spans = opts.spans || [];
      const x = chart.scales.x;
      const area = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      spans.forEach((s) => {
        const legendIndex = chart.data.datasets.findIndex((ds) => ds.spanKind === s.shade);
        if (legendIndex >= 0 && !chart.isDatasetVisible(legendIndex)) return;
        const x1 = Math.max(x.getPixelForValue(s.start), area.left);
        const x2 = Math.min(x.getPixelForValue(s.end), area.right);
        if (x2 <= x1) return;
        ctx.fillStyle = COLORS.span[s.shade];
        ctx.fillRect(x1, area.top, Math.max(x2 - x1, 2), area.bottom - area.top);
        ctx.strokeStyle = COLORS[s.shade];
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(x1 + 0.5, area.top);
        ctx.lineTo(x1 + 0.5, area.bottom);
        ctx.stroke();
      });
      ctx.restore();
    }
  };

  function datasets(m) {
    const out = [];
    INTENSITIES.forEach((i) => {
      const data = m.days.filter((dd) => dd.intensity === i).map((dd) => ({x: dd.x, y: Math.round(dd.km * 100) / 100, day: dd}));
      if (!data.length) return;
      out.push({
        type: 'bar', label: 'Run km, ' + i.toLowerCase(), data: data, yAxisID: 'km', grouped: false,
        backgroundColor: COLORS.intensity[i], borderColor: '#0b3a33', borderWidth: 1, maxBarThickness: 14, kind: 'run', order: 3
      });
    });
    out.push({
      type: 'scatter', label: 'Strength session', data: m.strength, yAxisID: 'km', kind: 'strength',
      pointStyle: 'rect', pointRadius: 5, backgroundColor: COLORS.strength, borderColor: COLORS.strength, clip: false, order: 2
    });
    ['RUNNING_TRIGGERED', 'RANDOM', 'RED_FLAG', 'NONE'].forEach((k) => {
      const data = m.symptoms.filter((s) => s.kind === k);
      if (!data.length && k !== 'RUNNING_TRIGGERED' && k !== 'RANDOM') return;
      out.push({
        type: 'scatter', label: k === 'NONE' ? 'Pain, no flare-up' : 'Pain, ' + CLASS_LABEL[k] + ' flare-up',
        data: data, yAxisID: 'pain', kind: 'pain', painKind: k,
        pointStyle: {RUNNING_TRIGGERED: 'circle', RANDOM: 'triangle', RED_FLAG: 'rectRot', NONE: 'circle'}[k],
        pointRadius: k === 'NONE' ? 3 : 6, pointHoverRadius: 8,
        backgroundColor: COLORS[k], borderColor: k === 'NONE' ? COLORS.NONE : '#1d2329', borderWidth: 1, order: 1
      });
    });
    ['RUNNING_TRIGGERED', 'RANDOM', 'RED_FLAG'].forEach((k) => {
      if (k === 'RED_FLAG' && !m.episodes.some((e) => e.redFlag)) return;
      out.push({
        type: 'bar', label: 'Flare-up episode, ' + CLASS_LABEL[k], data: [], spanKind: k, yAxisID: 'km',
        backgroundColor: COLORS.span[k], borderColor: COLORS[k], borderWidth: 1, kind: 'span'
      });
    });
    out.push({
      type: 'line', label: 'Distance cap (plan; dotted while running is paused)', data: m.capSteps, yAxisID: 'km',
      kind: 'cap', stepped: true, borderColor: COLORS.cap, borderWidth: 2, borderDash: [8, 4], pointRadius: 0,
      pointHitRadius: 0, spanGaps: false, fill: false, order: 0,
      segment: {borderDash: (ctx) => (ctx.p0.raw && ctx.p0.raw.paused ? [2, 3] : [8, 4])}
    });
    out.push({
      type: 'scatter', label: 'Plan change', yAxisID: 'pain', kind: 'plan', order: 0,
      data: m.changes.map((c) => ({x: c.x, y: 10.8, change: c})),
      pointStyle: 'rectRounded', pointRadius: 7, pointHoverRadius: 9, borderWidth: 2, borderColor: COLORS.plan,
      backgroundColor: m.changes.map((c) => (c.adjustment && c.adjustment.status === 'PENDING' ? '#ffffff' : COLORS.plan)),
      clip: false
    });
    return out;
  }

  function tooltipLines(item) {
    const ds = item.dataset;
    const r = item.raw;
    if (ds.kind === 'run') {
      return [r.day.runs + ' run' + (r.day.runs > 1 ? 's' : '') + ', ' + km(r.day.km) + ', ' + r.day.intensity.toLowerCase()];
    }
    if (ds.kind === 'strength') {
      const ex = (r.session.strength && r.session.strength.exercises) || [];
      return ['Strength, ' + r.session.durationMin + ' min: ' + ex.map((e) => words(e.name) + ' ' + e.sets + 'x' + e.reps).join('; ')];
    }
    if (ds.kind === 'pain') {
      const s = r.symptom;
      const lines = ['Pain ' + s.pain + '/10, ' + words(s.context).toLowerCase() + ', ' + words(s.location).toLowerCase()];
      if (s.character && s.character.length) lines.push(s.character.map((c) => c.toLowerCase()).join(', '));
      if (s.redFlags && s.redFlags.length) lines.push('Red flags: ' + s.redFlags.map((f) => words(f).toLowerCase()).join(', '));
      if (r.episode) lines.push(CLASS_LABEL[r.episode.classification] + ' flare-up (' + r.episode.rule + ')');
      if (s.note) lines.push('"' + s.note + '"');
      return lines;
    }
    if (ds.kind === 'plan') {
      const c = r.change;
      const a = c.adjustment;
      const head = 'v' + c.sequence + ' ' + c.type + (a ? ' ' + a.type + ' [' + a.status + ']' : '');
      const lines = [head].concat(wrap(c.reason, 64));
      if (c.type === 'plan.created') lines.push('(drawn at the start: the plan the athlete began with)');
      else if (c.x !== c.occurredAt) lines.push('(drawn at ' + when(c.x) + ', when its latest evidence happened)');
      return lines;
    }
    if (ds.kind === 'cap') return ['Cap ' + km(r.y)];
    return [];
  }

  let chart = null;

  function drawChart(m) {
    if (typeof Chart === 'undefined') return;
    const phone = window.matchMedia('(max-width: 700px)').matches;
    const kmMax = Math.max(2, ...m.days.map((dd) => dd.km), ...m.capSteps.map((c) => c.y || 0)) * 1.15;
    const data = {datasets: datasets(m)};
    const options = {
      responsive: true, maintainAspectRatio: false, animation: false, normalized: true,
      interaction: {mode: 'nearest', intersect: true},
      scales: {
        x: {
          type: 'linear', min: m.xmin, max: m.xmax, offset: false,
          ticks: {stepSize: (m.xmax - m.xmin > 70 * DAY ? 14 : 7) * DAY, callback: (v) => day(v), maxRotation: 0, autoSkip: true, includeBounds: false},
          grid: {color: '#eef1f4'}
        },
        km: {type: 'linear', position: 'left', min: 0, max: Math.ceil(kmMax * 2) / 2, title: {display: true, text: 'Run distance, km'}},
        pain: {
          type: 'linear', position: 'right', min: 0, max: 11.5, grid: {drawOnChartArea: false},
          ticks: {stepSize: 1, callback: (v) => (v <= 10 ? v : '')}, title: {display: true, text: 'Pain 0-10'}
        }
      },
      plugins: {
        legend: {
          position: 'bottom',
          labels: {usePointStyle: true, boxWidth: phone ? 8 : 12, font: {size: phone ? 10 : 12}, sort: (a, b) => a.datasetIndex - b.datasetIndex}
        },
        tooltip: {
          callbacks: {
            title: (items) => (!items.length ? ''
              : items[0].dataset.kind === 'plan' ? 'Plan change, ' + when(items[0].raw.change.occurredAt)
                : when(items[0].raw.x)),
            label: (item) => tooltipLines(item)
          }
        },
        episodeSpans: {spans: m.episodes}
      }
    };
    if (chart) {
      chart.data = data;
      chart.options = options;
      chart.update('none');
    } else {
      chart = new Chart($('timeline-chart'), {type: 'bar', data: data, options: options, plugins: [episodeSpans]});
    }
  }

  // ---------------------------------------------------------------- athlete page: text around the chart

  function summary(m) {
    const el = $('athlete-summary');
    const c = m.counts;
    const total = m.episodes.length;
    el.dataset.episodes = String(total);
    el.dataset.episodesRunningTriggered = String(c.RUNNING_TRIGGERED);
    el.dataset.episodesRandom = String(c.RANDOM);
    el.dataset.episodesRedFlag = String(c.RED_FLAG);
    el.dataset.capKm = m.capNow === null || m.capNow === undefined ? '' : String(m.capNow);
    el.dataset.planVersion = String(m.plan.version);
    el.dataset.pending = String(m.pending.length);
    fill(el,
      h('span', {class: 'badge rt'}, c.RUNNING_TRIGGERED + ' running-triggered'),
      h('span', {class: 'badge rd'}, c.RANDOM + ' random'),
      c.RED_FLAG ? h('span', {class: 'badge danger'}, c.RED_FLAG + ' with a red flag') : null,
      ' ',
      total + ' flare-up episodes: ' + c.RUNNING_TRIGGERED + ' running-triggered, ' + c.RANDOM + ' random'
      + (c.RED_FLAG ? ', ' + c.RED_FLAG + ' with a red flag' : '') + '. '
      + 'Distance cap now ' + km(m.capNow) + (m.plan.constraints.runningPaused ? ', running paused for now' : '') + '. '
      + m.timeline.sessions.length + ' sessions, ' + m.timeline.symptoms.length + ' symptom reports, '
      + m.changes.length + ' plan changes. ACWR ' + num(m.load.acwr, 2) + ' (context only).');
  }

  function planCard(m) {
    const p = m.plan;
    const c = p.constraints;
    const flags = [];
    if (p.flags.urgentReferral) flags.push(h('span', {class: 'badge danger'}, 'Urgent referral'));
    if (p.flags.clinicianReview) flags.push(h('span', {class: 'badge warn'}, 'Clinician review requested'));
    const facts = [
      ['Max run distance', km(c.maxDistanceKm) + (c.runningPaused ? ', running paused' + (c.pausedUntil ? ' until ' + c.pausedUntil : ' for now') : '')],
      ['Max intensity', c.maxIntensity ? words(c.maxIntensity) : 'any'],
      ['Rest days between runs', String(c.minRestDaysBetweenRuns)],
      ['Recovery day before intense runs', c.recoveryDayBeforeIntense ? 'yes' : 'no'],
      ['Cadence target', c.cadenceTargetSpm ? c.cadenceTargetSpm + ' spm' : 'none'],
      ['Max progression', c.maxProgressionPercent ? '+' + c.maxProgressionPercent + '% a run (over the longest of 30 days)' : 'none']
    ];
    const gate = p.gate;
    fill($('plan-body'),
      h('p', {id: 'plan-version', 'data-version': p.version}, 'Version ' + p.version + ' · phase ',
        h('strong', {id: 'plan-phase'}, words(p.phase)), ' · ' + words(p.diagnosis).toLowerCase()),
      flags.length ? h('p', {}, flags) : null,
      gate ? [h('h3', {}, 'Gate into ' + words(gate.gateFor).toLowerCase()),
        gate.missing.length
          ? h('ul', {class: 'unmet', id: 'gate-missing', 'data-gate': gate.gateFor}, gate.missing.map((c) =>
            h('li', {'data-criterion': c.name}, h('strong', {}, words(c.name)), ': ' + c.requirement + ', '
              + (c.observed === 'not recorded' ? 'not recorded' : 'measured ' + c.observed))))
          : h('p', {id: 'gate-met', 'data-gate': gate.gateFor}, 'Every criterion is met by the latest assessment.')] : null,
      h('h3', {}, 'Constraints'),
      h('dl', {class: 'facts', id: 'plan-constraints'}, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h('h3', {}, 'Exercises (' + p.exercises.length + ')'),
      h('ul', {class: 'exercises', id: 'exercise-list'}, p.exercises.map((e) => h('li', {'data-exercise': e.name},
        h('strong', {}, words(e.name)), ' ' + e.sets + ' × ' + e.reps + (e.load ? ', ' + e.load : '') + (e.frequency ? ', ' + e.frequency : ''),
        e.why ? h('span', {class: 'why'}, e.why) : null))),
      adjustmentList(p.adjustments || []));
    $('referral-form').hidden = !p.flags.urgentReferral;
    $('phase-to').value = $('phase-to').dataset.touched ? $('phase-to').value : p.phase;
  }

  /**
   * Every adjustment the plan has seen, newest first. One the load monitor withdrew (DOMAIN.md
   * "Convergence") is struck through with the reason it was withdrawn.
   */
  function adjustmentList(list) {
    if (!list.length) return null;
    const statusWords = {APPLIED: 'in force', PENDING: 'waiting for approval', REJECTED: 'rejected', WITHDRAWN: 'withdrawn'};
    return [h('h3', {}, 'Adjustments (' + list.length + ')'),
      h('ul', {class: 'adjustments plain', id: 'adjustment-list'}, list.slice().reverse().map((a) => {
        const name = words(a.type) + (a.parameters && a.parameters.exercise ? ': ' + words(a.parameters.exercise).toLowerCase() : '');
        const withdrawn = a.status === 'WITHDRAWN';
        return h('li', {'data-adjustment-id': a.adjustmentId, 'data-status': a.status, class: withdrawn ? 'withdrawn' : null},
          withdrawn ? h('del', {}, name) : h('strong', {}, name),
          ' ', h('span', {class: 'badge ' + (withdrawn || a.status === 'REJECTED' ? 'muted' : a.status === 'PENDING' ? 'warn' : 'info')},
            statusWords[a.status] || a.status),
          h('span', {class: 'why'}, (withdrawn ? 'Withdrawn: ' : '') + (a.reason || '')));
      }))];
  }

  function parametersText(p) {
    return Object.entries(p || {}).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
      .map(([k, v]) => k.replace(/([A-Z])/g, ' $1').toLowerCase() + ' ' + (typeof v === 'string' ? words(v).toLowerCase() : v))
      .join(' · ');
  }

  function pendingCard(m, athleteId) {
    $('pending-count').textContent = String(m.pending.length);
    $('pending-empty').hidden = m.pending.length > 0;
    fill($('pending-list'), m.pending.map((a) => {
      const reasonId = 'reason-' + a.adjustmentId;
      const name = words(a.type) + (a.parameters && a.parameters.exercise ? ': ' + words(a.parameters.exercise).toLowerCase() : '');
      const decide = (verb) => async (ev) => {
        const li = ev.target.closest('li');
        li.querySelectorAll('button').forEach((b) => { b.disabled = true; });
        say((verb === 'approve' ? 'Approving ' : 'Rejecting ') + name + '...');
        let outcome;
        try {
          const answer = await api(PLAN, '/api/v1/adjustments/' + encodeURIComponent(a.adjustmentId) + '/' + verb, {
            method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'
          });
          outcome = (verb === 'approve' ? 'Approved: ' : 'Rejected: ') + name + '. The plan is now version '
            + answer.plan.version + '.';
        } catch (err) {
          if (err instanceof ApiError && err.status === 409) outcome = name + ' was already decided.';
          else if (explain(err, 'such adjustment')) return;
          else outcome = name + ' could not be decided; try again.';
        }
        await refreshAthlete(athleteId, true, true);
        say(outcome);
        $('pending-title').setAttribute('tabindex', '-1');
        $('pending-title').focus();
      };
      return h('li', {'data-adjustment-id': a.adjustmentId, 'data-type': a.type},
        h('h3', {}, name),
        h('p', {id: reasonId}, a.reason),
        parametersText(a.parameters) ? h('p', {class: 'params'}, parametersText(a.parameters)) : null,
        h('p', {class: 'params'}, (a.evidenceEventIds || []).length + ' evidence events'),
        h('div', {class: 'actions'},
          h('button', {type: 'button', class: 'approve', 'aria-describedby': reasonId, onclick: decide('approve')},
            'Approve', h('span', {class: 'vh'}, ' ' + name)),
          h('button', {type: 'button', class: 'reject', 'aria-describedby': reasonId, onclick: decide('reject')},
            'Reject', h('span', {class: 'vh'}, ' ' + name))));
    }));
  }

  function loadCard(m) {
    const l = m.load || {};
    const facts = [
      ['ACWR (7/28-day EWMA)', num(l.acwr, 2)],
      ['Acute load', num(l.acuteLoad, 0)],
      ['Chronic load', num(l.chronicLoad, 0)],
      ['Symptom-free distance', km(l.symptomFreeDistanceKm)],
      ['Longest run, 30 days', km(l.longestRunLast30DaysKm)]
    ];
    $('load-body').dataset.acwr = l.acwr === null || l.acwr === undefined ? '' : String(l.acwr);
    fill($('load-body'), facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  }

  /** DOMAIN.md "over the plan": which limit a logged run was outside. */
  const ADHERENCE_LABEL = {
    OVER_DISTANCE_CAP: 'longer than the cap',
    OVER_INTENSITY: 'harder than allowed',
    DURING_PAUSE: 'ran during a pause'
  };

  function timelineTable(m) {
    const rows = [];
    m.timeline.sessions.forEach((s) => rows.push([Date.parse(s.startedAt), s.type === 'RUN' ? 'Run' : words(s.type),
      s.run ? km(s.run.distanceKm) + ', ' + s.run.intensity.toLowerCase() + ', ' + s.durationMin + ' min, RPE ' + s.rpe
        : s.durationMin + ' min, RPE ' + s.rpe]));
    m.symptoms.forEach((s) => rows.push([s.x, 'Symptom, pain ' + s.y + '/10',
      words(s.symptom.context).toLowerCase() + ', ' + words(s.symptom.location).toLowerCase()
      + (s.kind !== 'NONE' ? '; ' + CLASS_LABEL[s.kind] + (s.kind === 'RED_FLAG' ? '' : ' flare-up') : '')]));
    m.episodes.forEach((e) => rows.push([e.start, 'Flare-up starts: ' + CLASS_LABEL[e.classification],
      'peak ' + e.peakPain + '/10, rule ' + e.rule + (e.endedAt ? ', ended ' + when(e.end) : ', ongoing')
      + (e.evidence && e.evidence.triggeringRunKm ? ', after a ' + km(e.evidence.triggeringRunKm) + ' run' : '')]));
    m.changes.forEach((c) => rows.push([c.x, 'Plan change v' + c.sequence + (c.adjustment ? ': ' + words(c.adjustment.type) + ' [' + c.adjustment.status + ']' : ': ' + c.type),
      c.reason + (c.cap !== null && c.cap !== undefined ? ' (cap ' + km(c.cap) + ')' : '')
      + (c.unmetCriteria && c.unmetCriteria.length ? '. Gate criteria unmet' + (c.overrideGates ? ' (overridden)' : '') + ': '
        + c.unmetCriteria.map(unmetText).join('; ') : '')]));
    (m.adherence || []).forEach((f) => rows.push([Date.parse(f.sessionAt), 'Over the plan: ' + ADHERENCE_LABEL[f.breach],
      f.reason + ' A finding for you; the plan is not changed by it.']));
    rows.sort((a, b) => a[0] - b[0]);
    fill($('timeline-rows'), rows.map(([t, what, detail]) =>
      h('tr', {}, h('td', {}, when(t)), h('td', {}, what), h('td', {}, detail))));
  }

  // ---------------------------------------------------------------- athlete page: loading and polling

  let lastAthlete = null;
  let lastCounts = null;

  /** Reads everything the page shows; redraws when it changed (or when forced); announces what is new unless quiet. */
  async function refreshAthlete(athleteId, force, quiet) {
    const id = encodeURIComponent(athleteId);
    let parts;
    try {
      parts = await Promise.all([
        api(PLAN, '/api/v1/athletes/' + id + '/plan'),
        api(PLAN, '/api/v1/athletes/' + id + '/plan/history'),
        api(PLAN, '/api/v1/adjustments?status=PENDING'),
        api(LOAD_MONITOR, '/api/v1/athletes/' + id + '/timeline'),
        api(LOAD_MONITOR, '/api/v1/athletes/' + id + '/flare-ups'),
        api(LOAD_MONITOR, '/api/v1/athletes/' + id + '/load'),
        // DOMAIN.md "over the plan": runs outside the plan in force at their time (findings, no plan change).
        api(LOAD_MONITOR, '/api/v1/athletes/' + id + '/adherence').catch(() => ({findings: []}))
      ]);
    } catch (err) {
      if (explain(err, 'athlete "' + athleteId + '"')) clearAthlete();
      return;
    }
    const [plan, history, pending, timeline, flareUps, load, adherence] = parts;
    const fingerprint = JSON.stringify(parts);
    if (!force && fingerprint === lastAthlete) return;
    lastAthlete = fingerprint;
    alertBox('');
    $('athlete').hidden = false;
    const m = model({plan: plan, history: history, pending: pending, timeline: timeline, flareUps: flareUps, load: load});
    m.adherence = (adherence && adherence.findings) || [];
    athleteName(plan);
    summary(m);
    drawChart(m);
    planCard(m);
    pendingCard(m, athleteId);
    loadCard(m);
    timelineTable(m);
    const counts = {
      sessions: timeline.sessions.length, symptoms: timeline.symptoms.length, episodes: m.episodes.length,
      changes: m.changes.length
    };
    if (lastCounts) {
      const news = [];
      if (counts.sessions > lastCounts.sessions) news.push((counts.sessions - lastCounts.sessions) + ' new session(s)');
      if (counts.symptoms > lastCounts.symptoms) news.push((counts.symptoms - lastCounts.symptoms) + ' new symptom report(s)');
      if (counts.episodes !== lastCounts.episodes) news.push(counts.episodes + ' flare-up episodes now');
      if (counts.changes > lastCounts.changes) news.push((counts.changes - lastCounts.changes) + ' new plan change(s)');
      if (news.length && !quiet) say('Updated ' + when(Date.now()) + ': ' + news.join(', ') + '.');
    } else {
      say('Loaded ' + counts.sessions + ' sessions, ' + counts.symptoms + ' symptom reports, '
        + counts.episodes + ' flare-ups and ' + counts.changes + ' plan changes.');
    }
    lastCounts = counts;
    main.dataset.state = 'ready';
    main.dataset.updatedAt = String(Date.now());
  }

  function clearAthlete() {
    if (chart) {
      chart.destroy();
      chart = null;
    }
    lastAthlete = null;
    lastCounts = null;
    $('athlete').hidden = true;
    $('referral-form').hidden = true;
    ['plan-body', 'pending-list', 'load-body', 'timeline-rows', 'athlete-summary'].forEach((x) => $(x).replaceChildren());
    const s = $('athlete-summary');
    Object.keys(s.dataset).forEach((k) => delete s.dataset[k]);
    main.dataset.state = 'error';
  }

  /** The name from enrolment as the heading, the id as a secondary line (issue 18). */
  function athleteName(plan) {
    const name = plan && plan.displayName;
    $('athlete-name').textContent = name || 'Athlete';
    $('athlete-id').textContent = plan ? plan.athleteId : $('athlete-id').textContent;
    document.title = (name || plan.athleteId) + ' · Strideback';
  }

  function unmetText(u) {
    return words(u.gate ? u.gate : '').toLowerCase() + (u.gate ? ' gate, ' : '') + words(u.name).toLowerCase() + ': '
      + u.requirement + (u.observed === 'not recorded' ? ', not recorded' : ', measured ' + u.observed);
  }

  let currentAthlete = null;

  async function decideOnPlan(path, body, done) {
    let answer;
    try {
      answer = await api(PLAN, '/api/v1/athletes/' + encodeURIComponent(currentAthlete) + path, {
        method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)
      });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // A refusal (a gate not met, no referral to clear, bad input) is the clinician's to read where they asked.
      if (err.status !== 400 && err.status !== 409 && err.status !== 422) explain(err, 'plan');
      return err;
    }
    await refreshAthlete(currentAthlete, true, true);
    say(done(answer));
    return null;
  }

  $('referral-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const reason = $('referral-reason').value.trim();
    if (!reason) {
      say('Say why the referral can be cleared.');
      $('referral-reason').focus();
      return;
    }
    $('referral-clear').disabled = true;
    try {
      const err = await decideOnPlan('/plan/referral/clear', {reason: reason},
        (plan) => 'Urgent referral cleared. The plan is now version ' + plan.version + '.');
      if (err) say('The referral could not be cleared: ' + err.message);
      else $('referral-reason').value = '';
    } finally {
      $('referral-clear').disabled = false;
    }
  });

  $('phase-to').addEventListener('change', () => { $('phase-to').dataset.touched = 'yes'; });

  $('phase-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {phase: $('phase-to').value, reason: $('phase-reason').value.trim()};
    if (!body.reason) {
      // The service refuses a phase change without its reason (CONTRACT v2): say so before sending.
      say('Say why the phase changes.');
      $('phase-reason').focus();
      return;
    }
    if ($('phase-override').checked) body.overrideGates = true;
    $('phase-change').disabled = true;
    try {
      const err = await decideOnPlan('/plan/phase', body,
        (plan) => 'The plan is now in ' + words(plan.phase).toLowerCase() + ', version ' + plan.version + '.');
      const box = $('phase-unmet');
      if (err && err.status === 409 && err.body && err.body.unmetCriteria) {
        // DOMAIN.md "Gates are enforced": the 409 names each unmet criterion.
        fill(box, h('p', {}, err.message),
          h('ul', {id: 'phase-unmet-list'}, err.body.unmetCriteria.map((u) => h('li', {'data-criterion': u.name}, unmetText(u)))));
        box.hidden = false;
      } else if (err) {
        fill(box, h('p', {}, err.message));
        box.hidden = false;
      } else {
        box.hidden = true;
        box.replaceChildren();
        $('phase-reason').value = '';
        $('phase-override').checked = false;
        delete $('phase-to').dataset.touched;
      }
    } finally {
      $('phase-change').disabled = false;
    }
  });

  function athletePage(athleteId) {
    showOnly('athlete');
    $('athlete').hidden = true;
    currentAthlete = athleteId;
    $('athlete-name').textContent = 'Athlete';
    $('athlete-id').textContent = athleteId;
    document.title = athleteId + ' · Strideback';
    main.dataset.state = 'loading';
    return poll(() => refreshAthlete(athleteId, false));
  }

  // Expose the chart for tests and the curious (read-only use).
  window.strideback = {chart: () => chart};

  if (typeof Chart === 'undefined') {
    alertBox('The chart library did not load; the tables below still show the data.');
  }
  start();
})();
