// The player: one view of a file (plain, with boxes, or one trace) in a
// <video>, through hls.js when the server offers format=hls, else as the
// progressive stream. Frame numbers are exact where it matters: a paused
// player shows the frame /thumbnail extracts for the number it displays,
// and every seek or step lands on (and shows) that exact frame.
import { file_path, media_url } from './api.js';
import { el } from './dom.js';

// True when `url` answers with an HLS playlist. A server without format=hls
// answers 400, or (ignoring the parameter) starts the stream itself: the
// request is aborted after the headers, so no stream is ever downloaded.
async function playlist_available(url) {
  const controller = new AbortController();
  try {
    const res = await fetch(url, { signal: controller.signal });
    const type = res.headers.get('Content-Type') || '';
    controller.abort();
    return res.status === 200 && /mpegurl/i.test(type);
  } catch (e) {
    return false;
  }
}

export class Player {
  // `file` is the /api/v1/file/:uuid object; `on_frame(frame)` is called
  // whenever the current frame changes (playing, seeking or stepping),
  // `on_view(view)` whenever another view is loaded.
  constructor(file, on_frame, on_view) {
    this.file = file;
    this.fps = file.fps > 0 ? file.fps : 25;
    this.on_frame = on_frame;
    this.on_view = on_view;
    this.frame = 0;
    this.view = { kind: 'video', trace_id: null, start: 0, end: file.frame_count - 1 };
    // The frame at time 0 of what the <video> plays: the view's start, or
    // where a progressive stream was restarted.
    this.offset = 0;
    this.mode = 'none';
    this.hls = null;
    this.generation = 0;
    this.video = el('video', { class: 'video', preload: 'auto', playsinline: true, 'aria-label': 'Video' });
    this.still = el('img', { class: 'still', alt: '', hidden: true });
    this.badge = el('div', { class: 'badge', 'aria-live': 'polite' }, 'frame 0');
    // Over the still of a view with boxes: that frame's detections, drawn
    // from the detections API (the still itself is the plain frame).
    this.boxes = el('div', { class: 'boxes', hidden: true, 'aria-hidden': 'true' });
    this.box_list = [];
    this.status = el('span', { class: 'mode' });
    this.stage = el('div', { class: 'stage', tabindex: '0', 'aria-label': 'Player: space plays or pauses, arrow keys step one frame' },
      this.video, this.still, this.boxes, this.badge);
    this.stage.style.aspectRatio = `${file.width} / ${file.height}`;
    // While playing, the badge follows each presented frame
    // (requestVideoFrameCallback); timeupdate (4 times a second) otherwise.
    if ('requestVideoFrameCallback' in HTMLVideoElement.prototype) {
      const presented = (now, meta) => {
        this.follow_playback(meta.mediaTime);
        this.video.requestVideoFrameCallback(presented);
      };
      this.video.requestVideoFrameCallback(presented);
    } else {
      this.video.addEventListener('timeupdate', () => this.follow_playback(this.video.currentTime));
    }
    this.video.addEventListener('play', () => this.hide_still());
    // Say so when the browser cannot play what it got (the still still works).
    this.video.addEventListener('error', () => {
      if (!this.video.getAttribute('src') && !this.hls) return;
      const error = this.video.error;
      this.status.textContent = `cannot play this view here${error && error.message ? `: ${error.message}` : ''}`;
    });
    this.still.addEventListener('load', () => this.still_loaded());
    this.stage.addEventListener('click', () => this.toggle());
    new ResizeObserver(() => this.place_boxes()).observe(this.stage);
  }

  // Frame -> time in the current view's stream, at the frame's middle so
  // rounding never lands on a neighbour (constant frame rate assumed; the
  // still shown when paused is exact regardless).
  time_of(frame) {
    return (frame - this.offset + 0.5) / this.fps;
  }

  // Time in the current stream -> frame, kept within the view.
  frame_at(time) {
    const f = this.offset + Math.floor(time * this.fps + 1e-6);
    return Math.min(Math.max(f, this.view.start), this.view.end);
  }

  // The endpoint of a view: /video, /video/bbox or /trace/:id/video.
  view_path(view) {
    const base = file_path(this.file.file_uuid);
    if (view.kind === 'bbox') return base + '/video/bbox';
    if (view.kind === 'trace') return base + '/trace/' + encodeURIComponent(view.trace_id) + '/video';
    return base + '/video';
  }

  // Range parameters of a view; the whole plain file goes without any, so
  // the browser gets the file itself with Range (seekable everywhere).
  view_params(view, offset) {
    const whole = offset === 0 && view.end === this.file.frame_count - 1;
    if (view.kind === 'video' && whole) return {};
    return { start_frame: offset, end_frame: view.end };
  }

  // True when the browser plays the registered file itself (H.264, VP8/9 or
  // AV1 outside MPEG-TS): the plain view then costs no encoding at all.
  plays_file_itself() {
    const codecs = ['h264', 'vp8', 'vp9', 'av1'];
    return codecs.includes(this.file.video_codec) && !/mpegts/.test(this.file.container || '');
  }

  // Loads `view` and shows frame `at` (exactly, paused). Uses hls.js when
  // the server offers its playlist (except for a plain file the browser
  // plays itself); a 400 (no format=hls on this server) or any other answer
  // falls back to the progressive stream.
  // `offset` (default: the view's start) is where the stream begins.
  async load(view, at = view.start, offset = view.start) {
    const generation = ++this.generation;
    this.teardown();
    this.view = { ...view };
    this.offset = offset;
    const path = this.view_path(view);
    const params = this.view_params(view, offset);
    const direct = Object.keys(params).length === 0 && this.plays_file_itself();
    const use_hls = !direct && window.Hls && window.Hls.isSupported() &&
      (await playlist_available(media_url(path, { ...params, format: 'hls' })));
    if (generation !== this.generation) return;
    if (use_hls) {
      this.mode = 'hls';
      this.hls = new window.Hls({ enableWorker: false });
      this.hls.loadSource(media_url(path, { ...params, format: 'hls' }));
      this.hls.attachMedia(this.video);
      // A playlist that cannot be played falls back to the progressive stream.
      this.hls.on(window.Hls.Events.ERROR, (event, data) => {
        if (!data.fatal || generation !== this.generation) return;
        this.hls.destroy();
        this.hls = null;
        this.mode = Object.keys(params).length === 0 ? 'file' : 'stream';
        this.status.textContent = `progressive stream (HLS failed: ${data.details})`;
        this.stage.dataset.mode = this.mode;
        this.video.src = media_url(path, params);
        this.show_frame(this.frame);
      });
    } else {
      // A plain whole file is seekable through Range; a generated stream is
      // not seekable at all (see seek_frame).
      this.mode = Object.keys(params).length === 0 ? 'file' : 'stream';
      this.video.src = media_url(path, params);
    }
    this.status.textContent = this.mode === 'hls' ? 'HLS (hls.js)' : this.mode === 'file' ? 'file' : 'progressive stream';
    this.stage.dataset.mode = this.mode;
    this.on_view(this.view);
    this.show_frame(at);
  }

  // Stops whatever plays and lets go of its stream (the server's ffmpeg ends
  // with the connection).
  teardown() {
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
    this.video.pause();
    this.video.removeAttribute('src');
    this.video.load();
  }

  // True when `frame` lies in the loaded view's range.
  in_view(frame) {
    return frame >= this.view.start && frame <= this.view.end;
  }

  // Seeks to `frame` and shows it exactly, paused. A frame outside the view
  // switches to the plain view of the whole file. A progressive stream
  // cannot seek at all (no Range: the browser's seekable range is empty),
  // so there only the still moves; playing restarts the stream there.
  async seek_frame(frame) {
    frame = Math.min(Math.max(0, frame), this.file.frame_count - 1);
    if (!this.in_view(frame)) {
      await this.load({ kind: 'video', trace_id: null, start: 0, end: this.file.frame_count - 1 }, frame);
      return;
    }
    this.show_frame(frame);
  }

  // One frame back (-1) or forward (+1), paused, shown exactly.
  step(delta) {
    const target = Math.min(Math.max(this.frame + delta, this.view.start), this.view.end);
    this.seek_frame(target);
  }

  // Pauses on `frame`: the still of /thumbnail?frame= covers the video (its
  // number shown once it has loaded), and the video seeks there where it can.
  show_frame(frame) {
    this.video.pause();
    this.set_frame(frame);
    // The exact frame from /thumbnail covers the video until it plays.
    this.still.dataset.frame = String(frame);
    this.still.src = media_url(file_path(this.file.file_uuid) + '/thumbnail', { frame });
    this.badge.textContent = `frame ${frame} …`;
    this.badge.dataset.frame = '';
    if (this.mode === 'stream') return;
    const seek = () => { this.video.currentTime = this.time_of(frame); };
    if (this.video.readyState >= 1) seek();
    else this.video.addEventListener('loadedmetadata', seek, { once: true });
  }

  // Boxes to draw over the still: [{trace_id, bbox, name}]; `highlight` is
  // the trace drawn strongest (the trace view's), null for none.
  set_boxes(list, highlight) {
    this.box_list = list;
    this.boxes.replaceChildren(...list.map((d) => {
      const strong = highlight === null || d.trace_id === highlight;
      const box = el('div', { class: strong ? 'box' : 'box dim' }, strong ? el('span', {}, `${d.name} #${d.trace_id}`) : null);
      box.style.left = `${(100 * d.bbox.x) / this.file.width}%`;
      box.style.top = `${(100 * d.bbox.y) / this.file.height}%`;
      box.style.width = `${(100 * d.bbox.width) / this.file.width}%`;
      box.style.height = `${(100 * d.bbox.height) / this.file.height}%`;
      return box;
    }));
    this.boxes.hidden = this.still.hidden || list.length === 0;
  }

  // The boxes' layer covers the picture as shown (object-fit: contain).
  place_boxes() {
    const w = this.stage.clientWidth;
    const h = this.stage.clientHeight;
    const scale = Math.min(w / this.file.width, h / this.file.height);
    const pw = this.file.width * scale;
    const ph = this.file.height * scale;
    Object.assign(this.boxes.style, { left: `${(w - pw) / 2}px`, top: `${(h - ph) / 2}px`, width: `${pw}px`, height: `${ph}px` });
  }

  // The still has arrived: show it (unless playback started meanwhile).
  still_loaded() {
    if (!this.still.dataset.frame || this.video.paused === false) return;
    this.still.hidden = false;
    this.place_boxes();
    this.boxes.hidden = this.box_list.length === 0;
    this.badge.textContent = `frame ${this.still.dataset.frame}`;
    this.badge.dataset.frame = this.still.dataset.frame;
  }

  // Playing: the video shows itself, the still and its boxes go.
  hide_still() {
    this.still.hidden = true;
    this.boxes.hidden = true;
    this.still.dataset.frame = '';
    this.badge.dataset.frame = '';
  }

  // A frame was presented at `time` while playing: the number follows it.
  follow_playback(time) {
    if (this.video.paused) return;
    this.set_frame(this.frame_at(time));
    this.badge.textContent = `frame ${this.frame}`;
  }

  // Records the current frame and tells on_frame (once per change).
  set_frame(frame) {
    if (frame === this.frame && this.reported) return;
    this.frame = frame;
    this.reported = true;
    this.on_frame(frame);
  }

  // Plays from the frame shown (restarting a progressive stream there), or
  // pauses on the frame playing. A refused play() (autoplay rules) is ignored:
  // the user presses again.
  async toggle() {
    if (this.video.paused) {
      if (this.mode === 'stream' && this.frame !== this.frame_at(this.video.currentTime)) {
        await this.load(this.view, this.frame, this.frame);
      } else if (this.mode !== 'stream') {
        this.video.currentTime = this.time_of(this.frame);
      }
      this.video.play().catch(() => {});
    } else {
      this.video.pause();
      this.show_frame(this.frame_at(this.video.currentTime));
    }
  }
}
