// Every scene of a person, or of two people together: the scenes JSON
// (GET .../identities/:id/scenes, .../co-occur-with/:b/scenes) and the
// scene video (.../video?format=hls: the scenes one after another, scene i
// starting at its start_secs) played through hls.js, with the film frame on
// screen and a list of scenes to jump to.
import { file_path, get_json, media_url } from './api.js';
import { el, format_clock } from './dom.js';

// The API path of the scenes of `a` (and `b`, when given), without suffix.
export function scenes_base(file, a, b = null) {
  const base = `${file_path(file.file_uuid)}/identities/${encodeURIComponent(a)}`;
  return b ? `${base}/co-occur-with/${encodeURIComponent(b)}` : base;
}

export async function load_scenes(file, a, b = null) {
  return get_json(`${scenes_base(file, a, b)}/scenes`);
}

// "frames 120–480 · 0:04 (14.4 s)"
export function scene_text(file, scene) {
  return `frames ${scene.start_frame}–${scene.end_frame} · ${format_clock(scene.start_frame / (file.fps || 25))} (${scene.duration_secs.toFixed(1)} s)`;
}

// The scene playing at `secs` of the scene video (index), or -1.
export function scene_index_at(scenes, secs) {
  let found = -1;
  for (let i = 0; i < scenes.length; ++i) if (scenes[i].start_secs <= secs + 1e-6) found = i;
  return found;
}

export class ScenePlayer {
  // `title`: what plays; `on_film_frame(frame)`: the film frame on screen, when paused.
  constructor(file, list, title, base_path, on_film_frame = () => {}) {
    this.file = file;
    this.list = list;
    this.on_film_frame = on_film_frame;
    this.hls = null;
    this.video = el('video', { class: 'scene-video', controls: true, muted: true, playsinline: true, preload: 'auto' });
    this.video.muted = true;
    this.now = el('p', { class: 'scene-now', 'aria-live': 'polite' }, 'Loading the scene video…');
    this.still = el('img', { class: 'scene-still', alt: '', width: 160, height: Math.round((160 * file.height) / Math.max(1, file.width)), hidden: true });
    this.jumps = el('ol', { class: 'scene-jumps', 'aria-label': 'Scenes' });
    list.scenes.forEach((scene, i) => {
      const b = el('button', { type: 'button', class: 'scene-jump', 'data-index': i, 'data-start-frame': scene.start_frame,
        'data-start-secs': scene.start_secs }, `${i + 1}. ${scene_text(file, scene)}`);
      b.addEventListener('click', () => this.jump(i));
      this.jumps.append(el('li', {}, b));
    });
    this.root = el('section', { class: 'scene-player', 'aria-label': title },
      el('h3', {}, title), this.video, el('div', { class: 'scene-film' }, this.still, this.now), this.jumps);
    this.video.addEventListener('timeupdate', () => this.update());
    this.video.addEventListener('seeked', () => this.update(true));
    this.video.addEventListener('pause', () => this.update(true));
    this.load(media_url(`${base_path}/video`, { format: 'hls' }));
  }

  load(url) {
    const fail = (why) => { this.now.textContent = `The scene video could not be played: ${why}`; this.root.dataset.state = 'failed'; };
    if (window.Hls && window.Hls.isSupported()) {
      this.mode = 'hls.js';
      this.hls = new window.Hls({ enableWorker: false });
      this.hls.on(window.Hls.Events.ERROR, (event, data) => {
        if (!data.fatal) return;
        fail(data.response && data.response.code ? `HTTP ${data.response.code}` : data.details);
        this.destroy();
      });
      this.hls.loadSource(url);
      this.hls.attachMedia(this.video);
    } else if (this.video.canPlayType('application/vnd.apple.mpegurl')) {
      this.mode = 'native';
      this.video.src = url;
    } else {
      fail('this browser plays no HLS');
      return;
    }
    this.video.addEventListener('loadeddata', () => { this.root.dataset.state = 'ready'; this.update(true); }, { once: true });
  }

  // Scene `i` from its first frame: half a frame in, so the decoder lands on it.
  jump(i) {
    const scene = this.list.scenes[i];
    this.video.currentTime = scene.start_secs + 0.5 / (this.file.fps || 25);
  }

  // The film frame on screen: scene i's start_frame plus the frames since its start_secs.
  film_frame() {
    const t = this.video.currentTime;
    const i = scene_index_at(this.list.scenes, t);
    if (i < 0) return null;
    const scene = this.list.scenes[i];
    const frame = Math.min(scene.end_frame, scene.start_frame + Math.floor((t - scene.start_secs) * (this.file.fps || 25) + 1e-3));
    return { index: i, frame };
  }

  update(settled = false) {
    const at = this.film_frame();
    if (!at) return;
    const n = this.list.scenes.length;
    this.now.textContent = `Scene ${at.index + 1} of ${n} · film frame ${at.frame} (${format_clock(at.frame / (this.file.fps || 25))})`;
    this.root.dataset.scene = String(at.index);
    this.root.dataset.filmFrame = String(at.frame);
    for (const b of this.jumps.querySelectorAll('.scene-jump')) b.setAttribute('aria-current', String(Number(b.dataset.index) === at.index));
    if (settled) {
      this.still.hidden = false;
      this.still.src = media_url(`${file_path(this.file.file_uuid)}/thumbnail`, { frame: at.frame, width: 160 });
      this.still.alt = `film frame ${at.frame}`;
      this.on_film_frame(at.frame);
    }
  }

  destroy() {
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
  }
}

// A list of scenes as buttons that call `seek(start_frame)`.
export function scene_list(file, list, seek) {
  const ol = el('ol', { class: 'scenes', 'aria-label': 'Scenes' });
  if (list.scenes.length === 0) return el('p', { class: 'note' }, 'No scenes.');
  list.scenes.forEach((scene, i) => {
    const b = el('button', { type: 'button', class: 'scene', 'data-start-frame': scene.start_frame, 'data-end-frame': scene.end_frame },
      `Scene ${i + 1} · ${scene_text(file, scene)} · ${scene.trace_ids.length} trace${scene.trace_ids.length === 1 ? '' : 's'}`);
    b.addEventListener('click', () => seek(scene.start_frame));
    ol.append(el('li', {}, b));
  });
  return ol;
}
