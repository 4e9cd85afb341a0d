// The report's own script (inlined in the page): the step slider, play/pause, and hover figures.
// Plain browser JavaScript kept as text, so the page needs nothing from outside.

/** Script text. Reads the frame data from `<script id="frames" type="application/json">`. */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('frames').textContent);
  var slider = document.getElementById('step');
  var output = document.getElementById('step-out');
  var play = document.getElementById('play');
  var tip = document.getElementById('tooltip');
  var label = document.getElementById('step-label');
  var nodes = data.nodes.map(function (id) {
    var g = document.getElementById(id);
    return {
      g: g,
      fill: g.querySelectorAll('.fill'),
      outline: g.querySelectorAll('.outline'),
      inner: g.querySelector('.inner')
    };
  });
  var marks = data.edges.map(function (id) { return document.getElementById('m' + id); });
  var edges = data.edges.map(function (id) { return document.getElementById(id); });
  var markers = Array.prototype.slice.call(document.querySelectorAll('.step-marker'));
  var current = data.frames.length - 1;
  var timer = null;

  function show(t) {
    current = t;
    var f = data.frames[t];
    nodes.forEach(function (n, i) {
      var s = f.n[i];
      n.fill.forEach(function (p) { p.setAttribute('fill', s[1]); });
      n.outline.forEach(function (p) {
        p.setAttribute('stroke', s[2]);
        p.setAttribute('stroke-width', s[3]);
      });
      n.fill.forEach(function (p) { p.setAttribute('transform', 'scale(' + s[0] + ')'); });
      n.outline.forEach(function (p) { p.setAttribute('transform', 'scale(' + s[0] + ')'); });
      if (n.inner !== null) {
        n.inner.setAttribute('fill', s[1]);
        n.inner.setAttribute('transform', 'scale(' + s[5] + ')');
      }
      n.g.setAttribute('visibility', s[0] > 0 ? 'visible' : 'hidden');
    });
    marks.forEach(function (m, i) {
      var vis = f.v[i] ? 'visible' : 'hidden';
      m.setAttribute('stroke', f.e[i]);
      m.setAttribute('data-mark', f.m[i]);
      m.setAttribute('visibility', vis);
      edges[i].setAttribute('visibility', vis);
    });
    markers.forEach(function (m) {
      var x = m.getAttribute('data-xs').split(',')[t];
      m.setAttribute('x1', x);
      m.setAttribute('x2', x);
      m.setAttribute('visibility', 'visible');
    });
    label.textContent = data.labels[t];
    output.textContent = 'step ' + t + ' of ' + (data.frames.length - 1);
    slider.value = String(t);
    if (!tip.hidden && tip.dataset.node !== undefined) fill(Number(tip.dataset.node));
  }

  function fill(i) {
    tip.textContent = data.frames[current].n[i][4];
    tip.dataset.node = String(i);
  }

  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = 'Play';
    play.setAttribute('aria-pressed', 'false');
  }

  slider.addEventListener('input', function () { stop(); show(Number(slider.value)); });
  play.addEventListener('click', function () {
    if (timer !== null) { stop(); return; }
    if (current >= data.frames.length - 1) show(0);
    play.textContent = 'Pause';
    play.setAttribute('aria-pressed', 'true');
    timer = setInterval(function () {
      if (current >= data.frames.length - 1) { stop(); return; }
      show(current + 1);
    }, data.interval);
  });
  nodes.forEach(function (n, i) {
    n.g.addEventListener('mouseenter', function () { fill(i); tip.hidden = false; });
    n.g.addEventListener('mousemove', function (ev) {
      tip.style.left = (ev.pageX + 14) + 'px';
      tip.style.top = (ev.pageY + 14) + 'px';
    });
    n.g.addEventListener('mouseleave', function () { tip.hidden = true; });
  });
  show(Number(slider.value));
})();
`;
