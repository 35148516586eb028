// The shared session page: follows the engine's events and counts down from its deadlines.
//
// Time: the server sends each step's deadline on the engine's clock. At every (re)connection
// the page measures the offset between that clock and its own monotonic clock
// (performance.now) from a few round trips, and shows deadline - (now + offset): nothing is
// counted, so nothing drifts. Every word comes from the server and is set with textContent.
"use strict";

const HEARTBEAT_LIMIT = 25000; // ms without a message or ping: the connection is dead
const TICK_STALE = 0.3; // s: a tick heard later than this would mark the wrong second
const FOLLOW_GAP = 0.05; // s of silence between "exercise done" and the next cue
const SPEECH_AFTER_CUE = 0.6; // s: speech waits for its cue, never longer than this

const $ = (id) => document.getElementById(id);
let offset = 0; // engine clock minus local clock, in seconds
let state = null; // the last state message
let source = null;
let lastSeen = 0;
let audio = null;
const buffers = new Map();
let muted = false;
let soundWanted = false;
let ended = false;
const shown = new Map();

function localNow() {
  return performance.now() / 1000;
}

function engineNow() {
  return localNow() + offset;
}

function setText(id, text) {
  // Only when it changed: the countdown repaints every frame.
  const value = text || "";
  if (shown.get(id) === value) return;
  shown.set(id, value);
  const node = $(id);
  node.textContent = value;
  node.hidden = value === "";
}

// Replaces a list's children when its items changed; `build` makes each item's nodes.
function setList(id, items, build) {
  const key = JSON.stringify(items || []);
  if (shown.get(id) === key) return;
  shown.set(id, key);
  const node = $(id);
  node.replaceChildren(...(items || []).flatMap(build));
  node.hidden = !(items && items.length);
}

function textNode(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

function setLines(id, lines, className) {
  setList(id, lines, (line) => [textNode("p", className, line)]);
}

// The summary's rows, one cell a column (word, name, time), so they line up in any font.
function setRows(id, rows) {
  setList(id, rows, (row) =>
    row.map((cell, column) => textNode("span", `summary-cell summary-col-${column}`, cell)),
  );
}

// The terminal's clock format: m:ss (h:mm:ss past the hour), a partial second rounded up.
function clock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - 1e-9));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

async function measureOffset() {
  let best = null;
  for (let i = 0; i < 5; i++) {
    const before = localNow();
    const reply = await fetch("clock", { cache: "no-store" });
    const body = await reply.json();
    const after = localNow();
    const trip = after - before;
    if (best === null || trip < best.trip) {
      best = { trip, offset: body.now - (before + after) / 2 };
    }
  }
  offset = best.offset;
}

async function connect() {
  if (ended) return;
  if (source !== null) source.close();
  source = null;
  setText("link", "connecting…");
  try {
    await measureOffset();
  } catch (error) {
    setText("link", "offline, retrying…");
    setTimeout(connect, 1000);
    return;
  }
  source = new EventSource("events");
  lastSeen = Date.now();
  let opened = false;
  source.onopen = () => {
    setText("link", "live");
    // Back after a drop: the stream starts with the whole state; the clock is checked again.
    if (opened) measureOffset().catch(() => {});
    opened = true;
  };
  source.onerror = () => {
    // EventSource tries again by itself; the offset is measured again when it is back.
    setText("link", "reconnecting…");
    if (source !== null && source.readyState === EventSource.CLOSED) setTimeout(connect, 1000);
  };
  source.onmessage = (event) => {
    lastSeen = Date.now();
    onMessage(JSON.parse(event.data));
  };
  source.addEventListener("ping", () => {
    lastSeen = Date.now();
  });
}

function onMessage(message) {
  const first = state === null;
  state = message;
  render();
  if (first) loadCues(); // sound was enabled before the names of the cues came
  else play(message);
  if (message.final) {
    ended = true;
    if (source !== null) source.close();
    setText("link", "");
  }
}

function render() {
  const s = state;
  setText("routine", s.routine);
  const t = s.texts || {};
  setText("count", t.count);
  setText("name", t.name);
  setText("phase", t.phase);
  $("phase").className = t.phaseClass ? `phase-${t.phaseClass}` : "";
  setText("side", t.side);
  setText("rep", t.rep);
  setText("move", t.move);
  // Sent again with each second of the count-in, worded as the terminal words it.
  setText("resuming", s.state === "counting-in" ? t.resuming : "");
  setText("exercise-label", s.labels.exercise);
  setText("session-label", s.labels.session);
  setText("next", s.state === "finished" ? "" : t.next);
  setText("notice", s.notice);
  setText("line", s.line);
  setLines("how-to", s.state === "finished" ? [] : t.howTo, "how");
  setLines("cautions", s.state === "finished" ? [] : t.cautions, "caution");
  setLines("summary", s.summary, "summary-line");
  setRows("summary-rows", s.summaryRows);
  setLines("safety", s.safety, "safety-line");
  document.body.classList.toggle("paused", s.state === "paused");
  document.body.classList.toggle("finished", s.state === "finished");
  for (const id of ["back", "skip", "extend"]) {
    setText(id, s.labels[id]);
  }
  document.body.classList.toggle("waiting", Boolean(s.waiting));
  let primary = s.state === "paused" ? s.labels.resume : s.labels.pause;
  if (s.waiting) primary = s.labels.start;
  setText("pause", primary);
  tick();
}

// Each frame: the countdown from the deadline, never from how many frames have passed.
function tick() {
  if (state === null) return;
  const s = state;
  let remaining = s.remaining;
  if (s.state === "running" && s.deadline !== null) {
    // Never above what the engine said when it sent this: a message that arrives within a
    // millisecond or two of a step's start, on a clock offset a millisecond or two off, would
    // otherwise show the step's length plus one (0:09 for 8 s) for a moment.
    remaining = Math.max(0, Math.min(s.remaining, s.deadline - engineNow()));
  }
  setText("countdown", s.state === "finished" ? "" : clock(remaining));
  const left = s.state === "finished" ? 0 : remaining + s.later;
  setText("times", s.state === "finished" ? "" : `${clock(left)} ${s.labels.left}`);
  drawFigure(s, remaining);
  const done = planDone(s, remaining);
  const session = s.total > 0 ? done / s.total : 1;
  $("session-bar").style.width = `${(100 * Math.min(1, Math.max(0, session))).toFixed(2)}%`;
  if (s.exercise && s.exercise.length > 0) {
    const part = (done - s.exercise.start) / s.exercise.length;
    $("exercise-bar").style.width = `${(100 * Math.min(1, Math.max(0, part))).toFixed(2)}%`;
  }
}

// The step's figure. A tempo rep's figure moves into its pose over the step's first `move`
// seconds: the frame is picked from the time the step has run, worked out from the countdown's
// own `remaining`, so it moves with the countdown and stands still whenever the countdown does.
function drawFigure(s, remaining) {
  const f = s.state === "finished" ? null : s.figure;
  const box = $("figure");
  if (!f || !f.frames || f.frames.length === 0) {
    box.hidden = true;
    shown.delete("figure");
    return;
  }
  box.hidden = false;
  let index = f.frames.length - 1;
  if (f.move > 0 && f.frames.length > 1) {
    const share = Math.min(1, Math.max(0, (f.length - remaining) / f.move));
    index = Math.round(share * (f.frames.length - 1));
  }
  const key = `${f.key}/${index}`;
  if (shown.get("figure") === key) return; // repainted only when the frame changes
  shown.set("figure", key);
  const svg = $("figure-svg");
  svg.setAttribute("viewBox", f.viewBox);
  svg.setAttribute("aria-label", f.label);
  const frame = f.frames[index];
  for (const path of svg.querySelectorAll("path[data-layer]")) {
    path.setAttribute("d", frame[path.dataset.layer] || "");
  }
  box.dataset.pose = f.pose;
  box.dataset.frame = String(index);
  box.dataset.mirrored = String(Boolean(f.mirrored));
  setText("figure-side", f.side);
}

// How far through the plan, in planned seconds: the terminal's Progress.done, from the same
// three numbers. A longer step fills the rest of its share more slowly; no bar goes back.
function planDone(s, remaining) {
  const p = s.progress;
  if (!p) return s.state === "finished" ? s.total : 0;
  const ran = p.over > 0 ? Math.min(1, Math.max(0, 1 - remaining / p.over)) : 1;
  return p.start + (p.end - p.start) * ran;
}

function frame() {
  tick();
  if (!ended && source !== null && Date.now() - lastSeen > HEARTBEAT_LIMIT) connect();
  requestAnimationFrame(frame);
}

// -- sound and voice

async function enableSound() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) {
    document.body.dataset.sound = "unsupported";
    return;
  }
  audio = new Context();
  await audio.resume();
  loadCues();
}

// Every cue fetched and decoded ahead of its moment, so none starts late. The outcome is left
// on the page (data-sound: ready or failed) for whoever wonders why nothing plays.
async function loadCues() {
  const names = (state && state.cueNames) || [];
  if (audio === null || names.length === 0) return; // the first message calls again
  document.body.dataset.sound = "loading";
  try {
    await Promise.all(names.map(loadCue));
    document.body.dataset.sound = "ready";
  } catch (error) {
    document.body.dataset.sound = "failed";
  }
}

async function loadCue(name) {
  if (buffers.has(name) || audio === null) return buffers.get(name);
  const loading = fetch(`sounds/${name}.wav`)
    .then((reply) => reply.arrayBuffer())
    .then((data) => audio.decodeAudioData(data));
  buffers.set(name, loading);
  return loading;
}

async function play(message) {
  if (!soundWanted || muted || audio === null) return;
  if (message.cueAt !== null && engineNow() - message.cueAt > TICK_STALE) return;
  let at = audio.currentTime;
  let speechDelay = 0;
  for (const name of message.cues) {
    const buffer = await loadCue(name);
    const node = audio.createBufferSource();
    node.buffer = buffer;
    node.connect(audio.destination);
    node.start(at);
    speechDelay = at - audio.currentTime + Math.min(SPEECH_AFTER_CUE, buffer.duration);
    at += buffer.duration + FOLLOW_GAP;
  }
  if (message.say && "speechSynthesis" in window) {
    const text = message.say;
    setTimeout(() => {
      if (!muted) window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
    }, Math.max(0, speechDelay) * 1000);
  }
  if (message.state === "paused") window.speechSynthesis && window.speechSynthesis.cancel();
}

async function keepAwake() {
  // Where the browser allows it (a secure context), the phone's screen stays on.
  try {
    if ("wakeLock" in navigator) await navigator.wakeLock.request("screen");
  } catch (error) {
    // Not allowed here: the page still works, the screen may dim.
  }
}

function openGate(withSound) {
  soundWanted = withSound;
  $("gate").hidden = true;
  if (withSound) enableSound();
  setMuted(!withSound);
  keepAwake();
}

function setMuted(value) {
  muted = value;
  $("mute").setAttribute("aria-pressed", String(muted));
  $("mute").textContent = muted ? "Unmute" : "Mute";
  if (muted && "speechSynthesis" in window) window.speechSynthesis.cancel();
}

// -- controls

async function send(action) {
  try {
    await fetch("control", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action }),
    });
  } catch (error) {
    setText("link", "offline, retrying…");
  }
}

// The reminders' calendar file, offered where the page opens (the server says whether any
// are set, and the link's words).
async function offerCalendar() {
  try {
    const reply = await fetch("calendar", { cache: "no-store" });
    const offer = await reply.json();
    const link = $("calendar");
    link.textContent = offer.label;
    link.href = offer.file;
    link.hidden = !offer.label;
  } catch (error) {
    // No offer: the page works as before.
  }
}

function setUp() {
  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", () => send(button.dataset.action));
  }
  // One button starts a session that waits for its person, then pauses and resumes it.
  $("pause").addEventListener("click", () => send(state && state.waiting ? "start" : "pause"));
  $("with-sound").addEventListener("click", () => openGate(true));
  $("without-sound").addEventListener("click", () => openGate(false));
  $("mute").addEventListener("click", () => {
    if (audio === null && !soundWanted) {
      soundWanted = true;
      enableSound();
    }
    setMuted(!muted);
  });
  document.addEventListener("visibilitychange", () => {
    // Back from a locked screen: the stream may have died quietly, and the clock offset may
    // have moved while the phone slept; connect afresh, which catches up to the current step.
    if (document.visibilityState === "visible") {
      connect();
      if (soundWanted) keepAwake();
    }
  });
  connect();
  offerCalendar();
  requestAnimationFrame(frame);
}

setUp();
