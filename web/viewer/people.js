// The file's people: a grid of identities (representative face, name,
// traces, screen time), and one person's traces as strips of faces cut
// from their detections. Images are lazy, sized boxes: nothing jumps while
// they load, and the browser caches them (the API sends Cache-Control).
import { file_path, media_url } from './api.js';
import { clear, el, format_screen_time } from './dom.js';
import { lazy_image } from './images.js';

const k_strip_faces = 8;

// The square around `bbox` (its larger side + 20 %), moved inside the picture.
function face_square(file, bbox) {
  const side = Math.min(Math.round(Math.max(bbox.width, bbox.height) * 1.2), file.width, file.height);
  const cx = bbox.x + bbox.width / 2;
  const cy = bbox.y + bbox.height / 2;
  const x = Math.min(Math.max(0, Math.round(cx - side / 2)), file.width - side);
  const y = Math.min(Math.max(0, Math.round(cy - side / 2)), file.height - side);
  return { x, y, w: side, h: side };
}

export class People {
  // `actions`: {select(identity), seek(frame), play_trace(trace)}.
  constructor(file, identities, traces, actions) {
    this.file = file;
    this.identities = identities;
    this.traces = traces;
    this.actions = actions;
    this.grid = el('ul', { class: 'people', 'aria-label': 'People in this file' });
    this.detail = el('section', { class: 'person', 'aria-live': 'polite', hidden: true });
    this.render_grid();
  }

  traces_of(identity) {
    return this.traces.filter((t) => t.identity_uuid === identity.identity_uuid);
  }

  render_grid() {
    clear(this.grid);
    if (this.identities.length === 0) {
      this.grid.append(el('li', { class: 'note' }, 'No named people in this file.'));
      return;
    }
    for (const identity of this.identities) {
      const traces = this.traces_of(identity);
      // The face of the person's longest trace stands for them.
      const best = traces.reduce((a, b) => (b.face_count > (a ? a.face_count : -1) ? b : a), null);
      const face = best
        ? lazy_image(media_url(`${file_path(this.file.file_uuid)}/trace/${best.trace_id}/thumbnail`, { size: 160 }), '', 96)
        : el('span', { class: 'face' });
      const secs = identity.detection_count / (this.file.fps || 25);
      const button = el('button', { type: 'button', class: 'person-card', 'data-identity': identity.identity_uuid, title: identity.name || null },
        face,
        el('span', { class: 'name' }, identity.name || 'unnamed'),
        el('span', { class: 'meta' }, `${identity.trace_ids.length} trace${identity.trace_ids.length === 1 ? '' : 's'} · ${format_screen_time(secs)}`));
      button.addEventListener('click', () => this.actions.select(identity));
      this.grid.append(el('li', {}, button));
    }
  }

  // Shows `identity`'s traces; `presence.by_trace` (from the timeline's
  // load) gives each trace's boxes, from which the strip's faces are cut.
  show(identity, presence) {
    for (const card of this.grid.querySelectorAll('.person-card')) {
      card.setAttribute('aria-pressed', String(identity !== null && card.dataset.identity === identity.identity_uuid));
    }
    if (identity === null) {
      this.detail.hidden = true;
      return;
    }
    clear(this.detail).append(el('h2', {}, identity.name || 'unnamed'));
    this.detail.hidden = false;
    for (const trace of this.traces_of(identity)) {
      const play = el('button', { type: 'button', class: 'play-trace', 'data-trace': trace.trace_id }, `Play trace #${trace.trace_id}`);
      play.addEventListener('click', () => this.actions.play_trace(trace));
      const strip = el('ol', { class: 'strip', 'aria-label': `Faces of trace ${trace.trace_id}` });
      const boxes = presence ? presence.by_trace.get(trace.trace_id) || [] : [];
      const count = Math.min(k_strip_faces, boxes.length);
      for (let i = 0; i < count; ++i) {
        const d = boxes[Math.floor((i * (boxes.length - 1)) / Math.max(1, count - 1))];
        const sq = face_square(this.file, d.bbox);
        const url = media_url(`${file_path(this.file.file_uuid)}/thumbnail`, { frame: d.frame, ...sq, width: 80, height: 80 });
        const face = el('button', { type: 'button', class: 'strip-face', 'data-frame': d.frame, 'aria-label': `frame ${d.frame}` },
          lazy_image(url, '', 64), el('span', {}, String(d.frame)));
        face.addEventListener('click', () => this.actions.seek(d.frame, trace));
        strip.append(el('li', {}, face));
      }
      if (count === 0) strip.append(el('li', { class: 'note' }, presence ? 'no faces' : 'loading faces…'));
      this.detail.append(el('div', { class: 'trace' },
        el('div', { class: 'trace-head' },
          el('span', {}, `Trace #${trace.trace_id} · frames ${trace.first_frame}–${trace.last_frame} · ${trace.face_count} faces`), play),
        strip));
    }
  }
}
