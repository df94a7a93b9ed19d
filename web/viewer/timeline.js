// Who appears when: the file's detections (GET .../detections, in windows
// of at most 10 000 frames, every page) folded into runs per identity (or
// per unnamed trace), drawn as one lane each under the player. Marks are
// buttons: clicking one (or Enter on it) seeks to the run's first frame.
// Under each identity's marks, a strip of its scenes (the scenes JSON, which
// arrives long before a film's detections), and over every lane the
// storyboard tile of the hovered time (storyboard.js).
import { file_path, get_all } from './api.js';
import { clear, el } from './dom.js';
import { StoryboardHover } from './storyboard.js';

const k_window = 10000;

// Loads every detection of `file`. Returns {lanes, by_trace, by_frame}:
// lanes keyed by identity_uuid (or "trace:ID"), each {key, name,
// identity_uuid, runs: [{first, last, trace_id}]}; by_trace maps trace_id ->
// [{frame, bbox}]; by_frame maps a frame -> [{trace_id, bbox, name}].
// `on_progress(presence)` sees the result so far after each window, so a
// long film's timeline fills in as it loads.
export async function load_presence(file, on_progress = () => {}) {
  const lanes = new Map();
  const by_trace = new Map();
  const by_frame = new Map();
  // Frames closer than half a second join one run: marks stay readable.
  const join_gap = Math.max(1, Math.round(file.fps / 2));
  for (let start = 0; start < file.frame_count; start += k_window) {
    const end = Math.min(file.frame_count - 1, start + k_window - 1);
    const frames = await get_all(`${file_path(file.file_uuid)}/detections?start_frame=${start}&end_frame=${end}`, 'frames');
    for (const frame of frames) {
      for (const d of frame.detections) {
        const key = d.identity_uuid || `trace:${d.trace_id}`;
        let lane = lanes.get(key);
        if (!lane) {
          const name = d.name || `${d.label || 'trace'} #${d.trace_id}`;
          lane = { key, name, identity_uuid: d.identity_uuid, runs: [] };
          lanes.set(key, lane);
        }
        const last = lane.runs[lane.runs.length - 1];
        if (last && frame.frame_number - last.last <= join_gap) last.last = frame.frame_number;
        else lane.runs.push({ first: frame.frame_number, last: frame.frame_number, trace_id: d.trace_id });
        if (!by_trace.has(d.trace_id)) by_trace.set(d.trace_id, []);
        by_trace.get(d.trace_id).push({ frame: frame.frame_number, bbox: d.bbox });
      }
      by_frame.set(frame.frame_number, frame.detections.map((d) => ({
        trace_id: d.trace_id, bbox: d.bbox, name: d.name || `${d.label || 'trace'} #${d.trace_id}` })));
    }
    if (end < file.frame_count - 1) on_progress({ lanes: [...lanes.values()], by_trace, by_frame });
  }
  return { lanes: [...lanes.values()], by_trace, by_frame };
}

export class Timeline {
  // `on_seek(frame, lane)` is called when a mark is chosen.
  constructor(file, on_seek) {
    this.file = file;
    this.on_seek = on_seek;
    this.root = el('div', { class: 'timeline', role: 'group', 'aria-label': 'Where each person appears' },
      el('p', { class: 'note' }, 'Loading detections…'));
    this.heads = [];
    this.selected = null;
    this.presence = new Map();  // identity_uuid -> scenes JSON
    this.lanes = [];
    this.hover = new StoryboardHover(file);
    this.hover.attach(this.root);
  }

  // `identity`'s scenes (with `name`) become its presence strip; until the
  // detections arrive, a lane of its own.
  set_presence(identity, list) {
    this.presence.set(identity.identity_uuid, { name: identity.name, list });
    this.render(this.lanes);
  }

  // The strip of `list`'s scenes, inside a lane bar.
  presence_strip(identity_uuid, list) {
    const strip = el('div', { class: 'presence', 'data-identity': identity_uuid, 'aria-hidden': 'true' });
    for (const scene of list.scenes) {
      const span = el('span', { class: 'scene-span', 'data-start-frame': scene.start_frame, 'data-end-frame': scene.end_frame });
      span.style.left = `${this.percent(scene.start_frame)}%`;
      span.style.width = `${this.percent(scene.end_frame - scene.start_frame + 1)}%`;
      strip.append(span);
    }
    return strip;
  }

  percent(frame) {
    return (100 * frame) / Math.max(1, this.file.frame_count);
  }

  render(lanes) {
    this.lanes = lanes;
    clear(this.root).append(this.hover.tip);
    this.heads = [];
    // Identities whose detections have not arrived yet: a lane from their scenes.
    const all = [...lanes];
    for (const [identity_uuid, p] of this.presence) {
      if (!all.some((l) => l.identity_uuid === identity_uuid)) all.push({ key: identity_uuid, name: p.name, identity_uuid, runs: [] });
    }
    if (all.length === 0) {
      this.root.append(el('p', { class: 'note' }, 'No detections in this file.'));
      return;
    }
    for (const lane of all) {
      const bar = el('div', { class: 'lane-bar' });
      for (const run of lane.runs) {
        const frames = run.first === run.last ? `frame ${run.first}` : `frames ${run.first}–${run.last}`;
        const mark = el('button', { type: 'button', class: 'mark', title: `${lane.name}: ${frames}`,
          'aria-label': `${lane.name}, ${frames}`, 'data-first': run.first });
        mark.style.left = `${this.percent(run.first)}%`;
        mark.style.width = `${this.percent(run.last - run.first + 1)}%`;
        mark.addEventListener('click', () => this.on_seek(run.first, lane));
        bar.append(mark);
      }
      const p = lane.identity_uuid ? this.presence.get(lane.identity_uuid) : null;
      if (p) bar.append(this.presence_strip(lane.identity_uuid, p.list));
      const head = el('div', { class: 'playhead', 'aria-hidden': 'true' });
      this.heads.push(head);
      bar.append(head);
      this.root.append(el('div', { class: 'lane', 'data-key': lane.key },
        el('span', { class: 'lane-name', title: lane.name }, lane.name), bar));
    }
    this.select(this.selected);
  }

  // Highlights the lane of `key` (an identity_uuid), or none.
  select(key) {
    this.selected = key;
    for (const lane of this.root.querySelectorAll('.lane')) {
      lane.classList.toggle('selected', key !== null && lane.dataset.key === key);
    }
  }

  show_frame(frame) {
    for (const head of this.heads) head.style.left = `${this.percent(frame + 0.5)}%`;
  }

  show_error(message) {
    clear(this.root).append(el('p', { class: 'error' }, 'Detections could not be loaded: ', message));
  }
}
