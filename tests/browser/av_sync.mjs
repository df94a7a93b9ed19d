// Issue 8's second player: A/V sync as Chromium's Media Source Extensions
// play our streams (libavformat's verdict is tests/test_integration_av_sync).
// For each stream of the flashbeep fixture (white flash frames, a 100 ms
// 1 kHz beep starting at each flash's instant) the scenario finds
//  - every flash's media time, by stepping the paused <video> in half-frame
//    seeks and reading each presented frame (requestVideoFrameCallback's
//    mediaTime, its pixels on a canvas), and
//  - every beep's media time as Chromium plays it: the element's audio goes
//    through WebAudio to an AudioWorklet that records the samples Chromium
//    renders, while the element plays from the start and is paused several
//    times inside each beep. After pause(), currentTime is the media time of
//    the end of the last rendered sample (or up to one 128-sample quantum
//    less: the largest reading counts), so the onset is that time minus the
//    samples played since the onset (the pauses' silent gaps left out).
// Playing from the start matters: Chromium's audio clock counts rendered
// samples and does not honour gaps in audio timestamps, which is how a
// fragmented MP4 without an edit list plays 45 ms early while its
// timestamps (and a seek into a beep) look right. Checked against ffmpeg
// 5.1's variants: without an edit list -45.4 ms, +negative_cts_offsets
// +21.4 ms, +delay_moov 0.0 ms, repeatably to 0.01 ms.
//
// Usage: node av_sync.mjs URL KEY FLASHBEEP_UUID ARTIFACTS ROOT
//        'NAME|PATH@FLASHES' ...
// PATH is a stream of the file (relative to /api/v1/file/UUID), FLASHES the
// number of flashes it holds; a PATH with format=hls plays through hls.js.
import { check, launch, open_page, parse_args, run } from './support.mjs';

const { url, key, file_uuid, artifacts, extra } = parse_args();
const [root, ...streams] = extra;
const k_limit_ms = 5;

await run(async (keep) => {
  const browser = await launch(root, { audible: true });
  keep(browser);
  for (const spec of streams) {
    const name = spec.slice(0, spec.indexOf('|'));
    const rest = spec.slice(spec.indexOf('|') + 1);
    const at = rest.lastIndexOf('@');
    const path = rest.slice(0, at);
    const expected = Number(rest.slice(at + 1));
    // The recorder is a blob: AudioWorklet, which the viewer's CSP refuses.
    const page = await open_page(browser, { width: 480, height: 360 }, { bypass_csp: true });
    await page.goto(url + '/', { waitUntil: 'load' });
    await page.waitForFunction(() => window.Hls !== undefined);
    const stream = `/api/v1/file/${file_uuid}${path}${path.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(key)}`;
    const r = await page.evaluate(measure_in_page, { stream, hls: /format=hls/.test(path) });
    console.log(`info ${name}: flashes at ${r.flashes.map((t) => t.toFixed(4)).join(', ')} s; audio minus video ${r.offsets.map((o) => o.toFixed(2)).join(', ')} ms (${r.pauses} pauses)`);
    check(r.flashes.length === expected, `${name}: chromium shows the ${expected} flashes of the stream (saw ${r.flashes.length})`);
    check(r.offsets.length === r.flashes.length, `${name}: a beep was measured for every flash (${r.offsets.length} of ${r.flashes.length})`);
    const worst = r.offsets.reduce((m, o) => Math.max(m, Math.abs(o)), 0);
    check(r.offsets.length > 0 && worst <= k_limit_ms,
      `${name}: every beep within ${k_limit_ms} ms of its flash in chromium's MSE (worst ${worst.toFixed(2)} ms)`);
    await page.close();
  }
}, 600000);

// ---- runs in the page ---------------------------------------------------------------
async function measure_in_page({ stream, hls }) {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const video = document.createElement('video');
  video.width = 320;
  video.height = 240;
  document.body.replaceChildren(video);

  if (hls) {
    const player = new window.Hls({ enableWorker: false });
    const failed = new Promise((_, reject) => player.on(window.Hls.Events.ERROR, (e, d) => { if (d.fatal) reject(new Error(`hls.js: ${d.details}`)); }));
    const buffered_all = new Promise((resolve) => player.on(window.Hls.Events.BUFFER_EOS, resolve));
    player.loadSource(stream);
    player.attachMedia(video);
    await Promise.race([buffered_all, failed]);
  } else {
    const bytes = await (await fetch(stream)).arrayBuffer();
    // The codecs string from the stream's own avcC box (AAC-LC audio).
    const view = new Uint8Array(bytes);
    const text = new TextDecoder('latin1').decode(view.subarray(0, Math.min(view.length, 65536)));
    const avcc = text.indexOf('avcC');
    const hex = (b) => b.toString(16).padStart(2, '0');
    const codecs = [`avc1.${hex(view[avcc + 5])}${hex(view[avcc + 6])}${hex(view[avcc + 7])}`];
    if (text.includes('mp4a')) codecs.push('mp4a.40.2');
    const source = new MediaSource();
    video.src = URL.createObjectURL(source);
    await new Promise((resolve) => source.addEventListener('sourceopen', resolve, { once: true }));
    const buffer = source.addSourceBuffer(`video/mp4; codecs="${codecs.join(',')}"`);
    buffer.appendBuffer(bytes);
    await new Promise((resolve, reject) => { buffer.onupdateend = resolve; buffer.onerror = reject; });
    source.endOfStream();
  }
  if (video.readyState < 1) await new Promise((resolve) => video.addEventListener('loadedmetadata', resolve, { once: true }));

  // ---- the flashes: every presented frame, stepping in half frames
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 24;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  async function frame_at(t) {
    const presented = new Promise((resolve) => video.requestVideoFrameCallback((now, meta) => resolve(meta)));
    const sought = new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
    video.currentTime = t;
    await sought;
    const meta = await Promise.race([presented, sleep(500).then(() => null)]);
    context.drawImage(video, 0, 0, 32, 24);
    const d = context.getImageData(0, 0, 32, 24).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
    return { media_time: meta ? meta.mediaTime : null, luma: sum / (d.length / 4) / 3 };
  }
  const start = video.buffered.start(0);
  const end = video.buffered.end(video.buffered.length - 1);
  const a = await frame_at(start + 0.2);
  const b = await frame_at(start + 0.2 + 0.034);
  let frame = b.media_time - a.media_time;
  if (!(frame > 0.005 && frame < 0.1)) frame = 1001 / 30000;
  const seen = new Map();
  for (let t = start + frame / 2; t < end; t += frame / 2) {
    const f = await frame_at(t);
    if (f.media_time !== null) seen.set(f.media_time.toFixed(6), f);
  }
  const frames = [...seen.values()].sort((x, y) => x.media_time - y.media_time);
  // A flash is a white frame (boxes drawn on it darken it a little).
  const white = frames.filter((f) => f.luma > 200).map((f) => f.media_time);
  const flashes = white.filter((t, i) => i === 0 || t - white[i - 1] > 1.5 * frame);

  // ---- the beeps: what chromium renders, through an AudioWorklet
  const audio = new AudioContext({ sampleRate: 48000 });
  const recorder = `class Recorder extends AudioWorkletProcessor {
    constructor() { super(); this.on = false; this.port.onmessage = (e) => { this.on = e.data; }; }
    process(inputs) { const c = inputs[0] && inputs[0][0]; if (this.on && c) this.port.postMessage(c.slice(0)); return true; } }
    registerProcessor('recorder', Recorder);`;
  await audio.audioWorklet.addModule(URL.createObjectURL(new Blob([recorder], { type: 'application/javascript' })));
  const node = new AudioWorkletNode(audio, 'recorder', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
  const silent = audio.createGain();
  silent.gain.value = 0;
  audio.createMediaElementSource(video).connect(node);
  node.connect(silent);
  silent.connect(audio.destination);
  await audio.resume();
  const rate = audio.sampleRate;
  let chunks = [];
  node.port.onmessage = (e) => chunks.push(e.data);
  const beep = 0.1;

  video.pause();
  await new Promise((resolve) => { video.addEventListener('seeked', resolve, { once: true }); video.currentTime = start > 0.5 ? start : 0; });
  await sleep(100);
  chunks = [];
  node.port.postMessage(true);
  const recorded = () => chunks.length * 128;
  const pauses = [];
  await video.play();
  const began = performance.now();
  for (const flash of flashes) {
    while (video.currentTime < flash - beep - 0.03) {
      await sleep(3);
      if (performance.now() - began > 1000 * (flash + 30)) throw new Error('playback stalled');
    }
    while (video.currentTime < flash + beep + 0.06 && !video.ended) {
      await sleep(4 + Math.random() * 12);
      video.pause();
      await sleep(35);
      pauses.push({ flash, time: video.currentTime, at: recorded() });
      await video.play();
    }
  }
  video.pause();
  await sleep(40);
  node.port.postMessage(false);
  await sleep(20);
  const x = new Float32Array(recorded());
  let k = 0;
  for (const c of chunks) { x.set(c, k); k += c.length; }
  await audio.close();

  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const threshold = 0.25 * peak;
  const loud = (from, to) => {
    for (let i = Math.max(0, from); i < Math.min(x.length, to); i++) if (Math.abs(x[i]) > threshold) return true;
    return false;
  };
  // The pauses' gaps: runs of exact zeros inside a beep.
  const gap = new Uint8Array(x.length);
  for (let i = 0; i < x.length;) {
    if (x[i] !== 0) { i++; continue; }
    let j = i;
    while (j < x.length && x[j] === 0) j++;
    if (j - i >= 16 && loud(i - 48, i) && loud(j, j + 48)) gap.fill(1, i, j);
    i = j;
  }
  const played = new Float64Array(x.length + 1);
  for (let i = 0; i < x.length; i++) played[i + 1] = played[i] + (gap[i] ? 0 : 1);
  const per_flash = new Map();
  for (const p of pauses) {
    let last = -1;
    for (let i = p.at - 1; i >= 0; i--) if (x[i] !== 0) { last = i; break; }
    if (last < 0 || p.at - last < 128 || !loud(last - 24, last + 1)) continue;  // not paused inside a beep
    let onset = last;
    let quiet = 0;
    for (let i = last; i >= 0; i--) {
      if (gap[i]) continue;
      if (Math.abs(x[i]) > threshold) { onset = i; quiet = 0; } else if (++quiet > 0.005 * rate) break;
    }
    const offset_ms = (p.time - (played[last + 1] - played[onset]) / rate - p.flash) * 1000;
    if (!per_flash.has(p.flash)) per_flash.set(p.flash, []);
    per_flash.get(p.flash).push(offset_ms);
  }
  return { flashes, offsets: [...per_flash.values()].map((v) => Math.max(...v)), pauses: pauses.length };
}
