/*
 * The OSTRC-O2 weekly line of the athlete timeline page (issue 17): the severity score (0-100) a week, substantial
 * problems marked, and the same numbers in a table. Reads plan-service's /api/v1/athletes/{id}/ostrc-o2 with the
 * token app.js keeps in sessionStorage, every 5 s like the rest of the page.
 */
(function () {
  'use strict';

  const match = window.location.pathname.match(/^\/athletes\/([^/]+)$/);
  if (!match) return;
  const athleteId = decodeURIComponent(match[1]);
  let chart = null;
  let last = null;

  function cell(text) {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  function draw(weeks) {
    const rows = document.getElementById('ostrc-rows');
    rows.replaceChildren(...weeks.map((w) => {
      const tr = document.createElement('tr');
      tr.dataset.week = w.week;
      tr.append(cell(w.week), cell(String(w.score)), cell(w.substantialProblem ? 'yes' : 'no'));
      return tr;
    }));
    document.getElementById('ostrc-empty').hidden = weeks.length > 0;
    document.getElementById('ostrc-card').dataset.weeks = String(weeks.length);
    if (typeof Chart === 'undefined') return;
    const data = {
      labels: weeks.map((w) => w.week),
      datasets: [{
        label: 'OSTRC-O2 severity (0-100)',
        data: weeks.map((w) => w.score),
        borderColor: '#5b2a86',
        pointBackgroundColor: weeks.map((w) => (w.substantialProblem ? '#c00000' : '#5b2a86')),
        pointRadius: weeks.map((w) => (w.substantialProblem ? 6 : 3)),
        tension: 0
      }]
    };
    if (chart) {
      chart.data = data;
      chart.update('none');
      return;
    }
    chart = new Chart(document.getElementById('ostrc-chart'), {
      type: 'line',
      data: data,
      options: {
        animation: false,
        scales: {y: {min: 0, max: 100, title: {display: true, text: 'severity'}}},
        plugins: {legend: {display: false}}
      }
    });
  }

  async function refresh() {
    const token = sessionStorage.getItem('strideback.token');
    if (!token) return;
    try {
      const res = await fetch('/api/v1/athletes/' + encodeURIComponent(athleteId) + '/ostrc-o2', {
        headers: {Authorization: 'Bearer ' + token, Accept: 'application/json'}
      });
      if (!res.ok) return; // the rest of the page explains sign-in and unknown athletes
      const body = await res.json();
      const fingerprint = JSON.stringify(body.weeks);
      if (fingerprint === last) return;
      last = fingerprint;
      draw(body.weeks);
    } catch (e) {
      // A failed poll leaves the last weeks shown; the next one tries again.
    }
  }

  refresh();
  setInterval(refresh, 5000);
})();
