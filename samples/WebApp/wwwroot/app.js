// app.js — the draw-a-digit page: strokes drawn with pointer events (mouse, pen or finger) on the canvas, sent as a PNG
// to POST /api/digits while drawing (at most one request in flight, one every 120 ms at most) and when a stroke ends;
// the answer and the ten probabilities are shown as bars. The server prepares the PNG as it prepares any photo
// (NormalizeDigit: ink, crop, fit 20 × 20, centre by mass in 28 × 28), so the page needs no image code of its own.
'use strict';
(() => {
  const pad = document.getElementById('pad');
  const ink = pad.getContext('2d');
  const result = document.getElementById('result');
  const digit = document.getElementById('digit');
  const probability = document.getElementById('probability');
  const runnerUp = document.getElementById('runner-up');
  const error = document.getElementById('error');
  const bars = document.getElementById('bars');
  const THROTTLE_MS = 120;

  // One row per digit: label, bar, percentage.
  const rows = Array.from({ length: 10 }, (_, d) => {
    const li = document.createElement('li');
    li.innerHTML = `<span>${d}</span><span class="track"><span class="fill"></span></span><span class="value"></span>`;
    bars.append(li);
    return { li, fill: li.querySelector('.fill'), value: li.querySelector('.value') };
  });

  let stroke = null;        // { id, x, y } of the pointer drawing now
  let hasInk = false;
  let generation = 0;       // bumped by Clear: answers to older drawings are dropped
  let inFlight = false, again = false, timer = 0;

  const percent = p => p > 0 && p < 0.0005 ? '< 0.1 %' : `${(100 * p).toFixed(1)} %`;

  function setState(state) { result.dataset.state = state; }

  function blank() {
    ink.fillStyle = '#fff';
    ink.fillRect(0, 0, pad.width, pad.height);
    ink.strokeStyle = ink.fillStyle = '#111';
    ink.lineWidth = pad.width / 14;   // MNIST's strokes are about a tenth of the digit's height
    ink.lineCap = ink.lineJoin = 'round';
    hasInk = false;
    digit.textContent = '?';
    probability.textContent = 'Draw one digit, 0 to 9, in the box.';
    runnerUp.textContent = error.textContent = '';
    for (const row of rows) { row.fill.style.width = '0'; row.value.textContent = ''; row.li.classList.remove('top'); }
    setState('idle');
  }

  function at(e) {
    const box = pad.getBoundingClientRect();
    return { x: (e.clientX - box.left) * pad.width / box.width, y: (e.clientY - box.top) * pad.height / box.height };
  }

  pad.addEventListener('pointerdown', e => {
    if (stroke) return;   // one stroke at a time: a second finger is ignored
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    stroke = { id: e.pointerId, ...at(e) };
    ink.beginPath();
    ink.arc(stroke.x, stroke.y, ink.lineWidth / 2, 0, 2 * Math.PI);
    ink.fill();
    changed(false);
  });

  pad.addEventListener('pointermove', e => {
    if (!stroke || e.pointerId !== stroke.id) return;
    const moves = e.getCoalescedEvents?.() ?? [];
    ink.beginPath();
    ink.moveTo(stroke.x, stroke.y);
    for (const m of moves.length ? moves : [e]) {
      const p = at(m);
      ink.lineTo(p.x, p.y);
      stroke.x = p.x; stroke.y = p.y;
    }
    ink.stroke();
    changed(false);
  });

  const end = e => {
    if (!stroke || e.pointerId !== stroke.id) return;
    stroke = null;
    changed(true);
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);

  document.getElementById('clear').addEventListener('click', () => { generation++; again = false; clearTimeout(timer); timer = 0; blank(); });

  // Asks for an answer now (a stroke ended) or within THROTTLE_MS (still drawing).
  function changed(now) {
    hasInk = true;
    setState('busy');
    if (now) { clearTimeout(timer); timer = 0; send(); }
    else if (!timer) timer = setTimeout(send, THROTTLE_MS);
  }

  function send() {
    timer = 0;
    if (!hasInk) return;
    if (inFlight) { again = true; return; }
    inFlight = true;
    const asked = generation;
    pad.toBlob(async png => {
      try {
        const response = await fetch('api/digits', { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: png });
        // An error is problem details (RFC 9457): its "detail" is the one line that says what was wrong.
        const body = await response.json().catch(() => ({}));
        if (asked === generation) response.ok ? show(body) : fail(body.detail ?? body.title ?? `${response.status} ${response.statusText}`);
      } catch (e) {
        if (asked === generation) fail(`the service did not answer (${e.message})`);
      } finally {
        inFlight = false;
        if (again) { again = false; send(); }
        else if (asked === generation && hasInk && !stroke && !timer) setState('done');
      }
    }, 'image/png');
  }

  function show(answer) {
    digit.textContent = answer.digit;
    probability.textContent = `probability ${percent(answer.probability)}`;
    runnerUp.textContent = `runner-up ${answer.runnerUp.digit} (${percent(answer.runnerUp.probability)})`;
    error.textContent = '';
    answer.probabilities.forEach((p, d) => {
      rows[d].fill.style.width = `${(100 * p).toFixed(1)}%`;
      rows[d].value.textContent = percent(p);
      rows[d].li.classList.toggle('top', d === answer.digit);
    });
  }

  function fail(message) {
    digit.textContent = '!';
    error.textContent = message;
  }

  // The footer names the model, or says it is still loading.
  async function model() {
    const footer = document.getElementById('model');
    try {
      const response = await fetch('health');
      const health = await response.json();
      // /health names the file, never its folder; its SHA-256 (which model answers) is the tooltip.
      footer.textContent = response.ok ? `model: ${health.model}` : 'the service is not ready';
      footer.title = response.ok ? `SHA-256 ${health.sha256}` : '';
      if (!response.ok) setTimeout(model, 1000);
    } catch {
      footer.textContent = 'the service does not answer';
    }
  }

  blank();
  model();
})();
