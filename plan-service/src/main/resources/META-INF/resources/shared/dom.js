/*
 * The DOM helpers the clinician pages (/ui/app.js) and the runner's page (/runner/me.js) both use. Plain
 * JavaScript, no build step: loaded before either script (both are `defer`, so in document order) and
 * handed over as one frozen object. Text always goes in as text nodes, never as HTML.
 */
(function () {
  'use strict';

  /** An element with attributes (`class`, `on<event>` listeners, booleans) and children (text or nodes). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined || v === false) return;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    });
    children.flat(Infinity).forEach((c) => {
      if (c === null || c === undefined || c === false) return;
      el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return el;
  }

  /** Replaces an element's children, leaving out null, undefined and false. */
  function fill(el, ...children) {
    el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)
      .map((c) => (typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c)));
    return el;
  }

  /** A code of the API (RUNNING_TRIGGERED) in words (Running triggered). */
  function words(code) {
    if (code === null || code === undefined) return '';
    const s = String(code).replace(/_/g, ' ').toLowerCase();
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  window.StridebackDom = Object.freeze({h: h, fill: fill, words: words});
})();
