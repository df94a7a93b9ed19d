// The file's people: a grid of identities (representative face, name,
// traces, screen time; hovering a face plays its trace's moving preview,
// GET .../trace/:id/preview), and one person's page: their scenes (the
// scenes JSON) with "Play every scene" (scenes.js), then their traces a
// page at a time (GET .../traces?identity_uuid=&limit=&cursor=), each as a
// strip of faces cut from its detections. A lead actor's hundreds of
// traces never become one endless column. Images are lazy, sized boxes:
// nothing jumps while they load, and the browser caches them (the API
// sends Cache-Control).
import { file_path, get_json, media_url } from './api.js';
import { clear, el, format_screen_time } from './dom.js';
import { lazy_image } from './images.js';
import { ScenePlayer, load_scenes, scene_list, scenes_base } from './scenes.js';

const k_strip_faces = 8;
export const k_traces_page = 10;

// Plays `preview_url` in `img` while the pointer (or focus) is on `target`,
// then puts its still back.
function preview_on_hover(target, img, preview_url) {
  const start = () => {
    if (img.dataset.state !== 'loaded' || img.dataset.preview) return;
    img.dataset.still = img.getAttribute('src');
    img.dataset.preview = 'loading';
    const done = () => { if (img.dataset.preview === 'loading') img.dataset.preview = 'playing'; };
    img.addEventListener('load', done, { once: true });
    img.addEventListener('error', () => { img.dataset.preview = 'failed'; }, { once: true });
    img.src = preview_url;
  };
  const stop = () => {
    if (!img.dataset.preview) return;
    img.src = img.dataset.still;
    delete img.dataset.preview;
  };
  target.addEventListener('pointerenter', start);
  target.addEventListener('focus', start);
  target.addEventListener('pointerleave', stop);
  target.addEventListener('blur', stop);
}

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
      if (best) face.dataset.trace = String(best.trace_id);
      const secs = identity.detection_count / (this.file.fps || 25);
      const button = el('button', { type: 'button', class: 'person-card', 'data-identity': identity.identity_uuid, title: identity.name || null },
        face,
        el('span', { class: 'name' }, identity.name || 'unnamed'),
        el('span', { class: 'meta' }, `${identity.trace_ids.length} trace${identity.trace_ids.length === 1 ? '' : 's'} · ${format_screen_time(secs)}`));
      button.addEventListener('click', () => this.actions.select(identity));
      if (best) preview_on_hover(button, face, media_url(`${file_path(this.file.file_uuid)}/trace/${best.trace_id}/preview`, { width: 160 }));
      this.grid.append(el('li', {}, button));
    }
  }

  // Shows `identity`'s page: scenes, "Play every scene", traces a page at a
  // time. Called again for the same person (when the detections arrived),
  // it only fills the face strips, so a scene video keeps playing.
  show(identity, presence) {
    this.presence = presence;
    for (const card of this.grid.querySelectorAll('.person-card')) {
      card.setAttribute('aria-pressed', String(identity !== null && card.dataset.identity === identity.identity_uuid));
    }
    if (identity === null) {
      this.close_player();
      this.shown = null;
      this.detail.hidden = true;
      return;
    }
    if (this.shown === identity.identity_uuid) {
      for (const node of this.detail.querySelectorAll('.trace')) this.fill_strip(node);
      return;
    }
    this.close_player();
    this.shown = identity.identity_uuid;
    this.cursor = null;
    const n = identity.trace_ids.length;
    this.scenes_box = el('div', { class: 'person-scenes' }, el('p', { class: 'note' }, 'Loading scenes…'));
    this.player_box = el('div', { class: 'scene-player-box' });
    this.trace_list = el('div', { class: 'trace-list' });
    this.more = el('button', { type: 'button', id: 'more-traces', hidden: true }, 'More traces');
    this.more.addEventListener('click', () => this.load_traces(identity));
    this.trace_count = el('span', { class: 'meta' }, '');
    clear(this.detail).append(el('h2', {}, identity.name || 'unnamed'),
      this.scenes_box, this.player_box,
      el('h3', {}, `Traces (${n}) `, this.trace_count), this.trace_list, this.more);
    this.detail.hidden = false;
    this.load_person_scenes(identity);
    this.load_traces(identity);
  }

  close_player() {
    if (this.player) this.player.destroy();
    this.player = null;
  }

  async load_person_scenes(identity) {
    let list;
    try {
      list = await load_scenes(this.file, identity.identity_uuid);
    } catch (e) {
      clear(this.scenes_box).append(el('p', { class: 'error' }, `Scenes could not be loaded: ${e.message}`));
      return;
    }
    if (this.shown !== identity.identity_uuid) return;
    const play = el('button', { type: 'button', id: 'play-scenes', disabled: list.scenes.length === 0 }, 'Play every scene');
    play.addEventListener('click', () => {
      this.close_player();
      this.player = new ScenePlayer(this.file, list, `Every scene of ${identity.name || 'this person'}`,
        scenes_base(this.file, identity.identity_uuid));
      clear(this.player_box).append(this.player.root);
      this.player.video.play().catch(() => {});
    });
    clear(this.scenes_box).append(
      el('div', { class: 'scenes-head' },
        el('span', { class: 'meta' }, `${list.scenes.length} scene${list.scenes.length === 1 ? '' : 's'} · ${list.duration_secs.toFixed(1)} s on screen`), play),
      scene_list(this.file, list, (frame) => this.actions.seek(frame)));
  }

  // The next page of `identity`'s traces.
  async load_traces(identity) {
    this.more.disabled = true;
    const params = new URLSearchParams({ identity_uuid: identity.identity_uuid, limit: String(k_traces_page) });
    if (this.cursor) params.set('cursor', this.cursor);
    let page;
    try {
      page = await get_json(`${file_path(this.file.file_uuid)}/traces?${params}`);
    } catch (e) {
      this.trace_list.append(el('p', { class: 'error' }, `Traces could not be loaded: ${e.message}`));
      return;
    }
    if (this.shown !== identity.identity_uuid) return;
    for (const trace of page.traces) this.trace_list.append(this.trace_row(trace));
    this.cursor = page.next_cursor || null;
    this.more.hidden = !this.cursor;
    this.more.disabled = false;
    const shown = this.trace_list.querySelectorAll('.trace').length;
    this.trace_count.textContent = `showing ${shown}`;
  }

  trace_row(trace) {
    const play = el('button', { type: 'button', class: 'play-trace', 'data-trace': trace.trace_id }, `Play trace #${trace.trace_id}`);
    play.addEventListener('click', () => this.actions.play_trace(trace));
    const strip = el('ol', { class: 'strip', 'aria-label': `Faces of trace ${trace.trace_id}` });
    const row = el('div', { class: 'trace', 'data-trace': trace.trace_id },
      el('div', { class: 'trace-head' },
        el('span', {}, `Trace #${trace.trace_id} · frames ${trace.first_frame}–${trace.last_frame} · ${trace.face_count} faces`), play),
      strip);
    this.fill_strip(row);
    return row;
  }

  // A trace's strip: up to k_strip_faces faces spread over its detections.
  fill_strip(row) {
    const trace_id = Number(row.dataset.trace);
    const strip = clear(row.querySelector('.strip'));
    const presence = this.presence;
    const boxes = presence ? presence.by_trace.get(trace_id) || [] : [];
    const count = Math.min(k_strip_faces, boxes.length);
    for (let i = 0; i < count; ++i) {
      const d = boxes[Math.floor((i * (boxes.length - 1)) / Math.max(1, count - 1))];
      const sq = face_square(this.file, d.bbox);
      const url = media_url(`${file_path(this.file.file_uuid)}/thumbnail`, { frame: d.frame, ...sq, width: 80, height: 80 });
      const face = el('button', { type: 'button', class: 'strip-face', 'data-frame': d.frame, 'aria-label': `frame ${d.frame}` },
        lazy_image(url, '', 64), el('span', {}, String(d.frame)));
      face.addEventListener('click', () => this.actions.seek(d.frame));
      strip.append(el('li', {}, face));
    }
    if (count === 0) strip.append(el('li', { class: 'note' }, presence ? 'no faces' : 'loading faces…'));
  }
}
