// app.js — the draw-a-digit page: strokes drawn with pointer events (mouse, pen or finger) on the canvas, sent as a PNG
// to POST /api/digits while drawing (at most one request in flight, one every 120 ms at most) and when a stroke ends;
// the answer and the ten probabilities are shown as bars. The server prepares the PNG as it prepares any photo
// (NormalizeDigit: ink, crop, fit 20 × 20, centre by mass in 28 × 28), so the page needs no image code of its own.
// "Write a number" (shown when /health says a reader is configured): a wide canvas with the same drawing code
// (drawingPad), sent as a PNG to POST /api/numbers by its button; the number is shown with uncertain digits as '?' and
// each digit's confidence.
'use strict';
(() => {
  // A canvas to draw on with a mouse, pen or finger: white paper, dark round strokes about a fourteenth of its height
  // (MNIST's strokes are about a tenth of the digit's height). onInk(ended) is called as ink is added, with ended true
  // when a stroke ends. Returns clear() and the state: hasInk, drawing.
  function drawingPad(canvas, onInk) {
    const ink = canvas.getContext('2d');
    const state = { hasInk: false, drawing: false, clear };
    let stroke = null;        // { id, x, y } of the pointer drawing now

    function clear() {
      ink.fillStyle = '#fff';
      ink.fillRect(0, 0, canvas.width, canvas.height);
      ink.strokeStyle = ink.fillStyle = '#111';
      ink.lineWidth = canvas.height / 14;
      ink.lineCap = ink.lineJoin = 'round';
      state.hasInk = false;
    }

    function at(e) {
      const box = canvas.getBoundingClientRect();
      return { x: (e.clientX - box.left) * canvas.width / box.width, y: (e.clientY - box.top) * canvas.height / box.height };
    }

    canvas.addEventListener('pointerdown', e => {
      if (stroke) return;   // one stroke at a time: a second finger is ignored
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      stroke = { id: e.pointerId, ...at(e) };
      state.drawing = state.hasInk = true;
      ink.beginPath();
      ink.arc(stroke.x, stroke.y, ink.lineWidth / 2, 0, 2 * Math.PI);
      ink.fill();
      onInk(false);
    });

    canvas.addEventListener('pointermove', e => {
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
      onInk(false);
    });

    const end = e => {
      if (!stroke || e.pointerId !== stroke.id) return;
      stroke = null;
      state.drawing = false;
      onInk(true);
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    clear();
    return state;
  }

  const pad = document.getElementById('pad');
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

  let generation = 0;       // bumped by Clear: answers to older drawings are dropped
  let inFlight = false, again = false, timer = 0;

  const percent = p => p > 0 && p < 0.0005 ? '< 0.1 %' : `${(100 * p).toFixed(1)} %`;

  function setState(state) { result.dataset.state = state; }

  const drawn = drawingPad(pad, ended => changed(ended));

  function blank() {
    drawn.clear();
    digit.textContent = '?';
    probability.textContent = 'Draw one digit, 0 to 9, in the box.';
    runnerUp.textContent = error.textContent = '';
    for (const row of rows) { row.fill.style.width = '0'; row.value.textContent = ''; row.li.classList.remove('top'); }
    setState('idle');
  }

  document.getElementById('clear').addEventListener('click', () => { generation++; again = false; clearTimeout(timer); timer = 0; blank(); });

  // Asks for an answer now (a stroke ended) or within THROTTLE_MS (still drawing).
  function changed(now) {
    setState('busy');
    if (now) { clearTimeout(timer); timer = 0; send(); }
    else if (!timer) timer = setTimeout(send, THROTTLE_MS);
  }

  function send() {
    timer = 0;
    if (!drawn.hasInk) return;
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
        else if (asked === generation && drawn.hasInk && !drawn.drawing && !timer) setState('done');
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

  // "Write a number": drawn on the wide canvas, read when the button is pressed.
  const numbers = document.getElementById('numbers');
  const line = document.getElementById('line');
  const number = document.getElementById('number');
  const numberNote = document.getElementById('number-note');
  const numberError = document.getElementById('number-error');
  const numberDigits = document.getElementById('number-digits');
  const readButton = document.getElementById('read');
  let numberGeneration = 0;
  const written = drawingPad(line, () => { readButton.disabled = false; });

  function blankNumber() {
    numberGeneration++;
    written.clear();
    readButton.disabled = true;
    number.textContent = '…';
    numberNote.textContent = 'Write a number in the box, then press Read.';
    numberError.textContent = '';
    numberDigits.replaceChildren();
  }

  readButton.addEventListener('click', () => {
    if (!written.hasInk) return;
    const asked = ++numberGeneration;
    readButton.disabled = true;
    numberNote.textContent = 'reading…';
    line.toBlob(async png => {
      try {
        const response = await fetch('api/numbers', { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: png });
        const body = await response.json().catch(() => ({}));
        if (asked !== numberGeneration) return;
        if (response.ok) showNumber(body);
        else failNumber(body.detail ?? body.title ?? `${response.status} ${response.statusText}`);
      } catch (e) {
        if (asked === numberGeneration) failNumber(`the service did not answer (${e.message})`);
      } finally {
        if (asked === numberGeneration) readButton.disabled = !written.hasInk;
      }
    }, 'image/png');
  });
  document.getElementById('clear-line').addEventListener('click', blankNumber);

  function showNumber(answer) {
    number.textContent = answer.number;
    numberNote.textContent = answer.certain ? 'every digit is certain'
      : `'?' marks a digit less sure than ${percent(answer.uncertainBelow)}; its best guess: ${answer.text}`;
    numberError.textContent = '';
    numberDigits.replaceChildren(...answer.digits.map(d => {
      const li = document.createElement('li');
      li.textContent = `${d.value} ${percent(d.confidence)}`;
      li.classList.toggle('uncertain', d.uncertain);
      return li;
    }));
  }

  function failNumber(message) {
    number.textContent = '!';
    numberNote.textContent = '';
    numberError.textContent = message;
    numberDigits.replaceChildren();
  }

  // The footer names the model (and the reader, when one is configured), or says it is still loading; the number mode
  // is shown only when a reader is configured.
  async function model() {
    const footer = document.getElementById('model');
    try {
      const response = await fetch('health');
      const health = await response.json();
      // /health names the file, never its folder; its SHA-256 (which model answers) is the tooltip.
      const reader = response.ok && health.reader?.configured ? health.reader : null;
      footer.textContent = response.ok ? `model: ${health.model}${reader ? ` · reader: ${reader.model}` : ''}` : 'the service is not ready';
      footer.title = response.ok ? `SHA-256 ${health.sha256}${reader ? `; reader SHA-256 ${reader.sha256}` : ''}` : '';
      numbers.hidden = !reader;
      if (!response.ok) setTimeout(model, 1000);
    } catch {
      footer.textContent = 'the service does not answer';
    }
  }

  blank();
  blankNumber();
  model();
})();
