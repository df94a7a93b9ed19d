// Storyboard tiles on hover: the file's storyboard (GET .../storyboard, its
// JSON: every tile's sheet, place and the frame it really shows), loaded on
// the first hover, and a tip that follows the pointer over the timeline and
// shows the tile of the hovered time, drawn from its sheet onto a canvas.
import { file_path, get_json, media_url } from './api.js';
import { el, format_clock } from './dom.js';

// The tile covering `secs` (tiles cover [start_secs, end_secs)), or the last.
export function tile_at(storyboard, secs) {
  const tiles = storyboard.tiles;
  let lo = 0;
  let hi = tiles.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tiles[mid].start_secs <= secs) lo = mid;
    else hi = mid - 1;
  }
  return tiles[lo];
}

export class StoryboardHover {
  constructor(file) {
    this.file = file;
    this.storyboard = null;
    this.loading = null;
    this.sheets = new Map();  // sheet URL -> loaded Image
    this.canvas = el('canvas', { class: 'tile', width: 160, height: 90 });
    this.caption = el('span', { class: 'tile-caption' });
    this.tip = el('div', { class: 'storyboard-tip', hidden: true, 'aria-hidden': 'true' }, this.canvas, this.caption);
    this.shown = null;  // the tile on the canvas
  }

  // Hovering a `.lane-bar` (or the element `track`) inside `area` shows tiles.
  attach(area) {
    area.append(this.tip);
    area.addEventListener('pointermove', (e) => this.move(e, area));
    area.addEventListener('pointerleave', () => this.hide());
  }

  load() {
    if (!this.loading) {
      this.loading = get_json(`${file_path(this.file.file_uuid)}/storyboard`).then((s) => { this.storyboard = s; return s; });
      this.loading.catch(() => { this.loading = null; });
    }
    return this.loading;
  }

  // The sheet of `tile` as a loaded <img> (same origin: the canvas stays readable).
  sheet(tile) {
    const url = new URL(tile.url, `${location.origin}${file_path(this.file.file_uuid)}/`);
    const src = media_url(url.pathname, Object.fromEntries(url.searchParams));
    if (!this.sheets.has(src)) {
      this.sheets.set(src, new Promise((resolve, reject) => {
        const img = new Image();
        img.onload = () => resolve(img);
        img.onerror = () => { this.sheets.delete(src); reject(new Error('sheet not loaded')); };
        img.src = src;
      }));
    }
    return this.sheets.get(src);
  }

  async move(event, area) {
    const bar = event.target.closest('.lane-bar');
    if (!bar) {
      this.hide();
      return;
    }
    const rect = bar.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (event.clientX - rect.left) / Math.max(1, rect.width)));
    const secs = fraction * this.file.duration_secs;
    const area_rect = area.getBoundingClientRect();
    this.tip.style.left = `${Math.round(event.clientX - area_rect.left)}px`;
    this.tip.style.top = `${Math.round(rect.top - area_rect.top)}px`;
    let storyboard;
    try {
      storyboard = await this.load();
    } catch (e) {
      this.caption.textContent = `No storyboard: ${e.message}`;
      this.tip.hidden = false;
      return;
    }
    const tile = tile_at(storyboard, secs);
    this.tip.dataset.hoverSecs = String(secs);
    if (this.shown !== tile) {
      this.shown = tile;
      this.tip.dataset.state = 'loading';
      const sheet = await this.sheet(tile).catch(() => null);
      if (this.shown !== tile) return;  // the pointer moved on meanwhile
      if (!sheet) {
        this.tip.dataset.state = 'failed';
        return;
      }
      this.canvas.width = tile.width;
      this.canvas.height = tile.height;
      this.canvas.getContext('2d').drawImage(sheet, tile.x, tile.y, tile.width, tile.height, 0, 0, tile.width, tile.height);
      this.caption.textContent = `${format_clock(tile.timestamp_secs)} · frame ${tile.frame_number}`;
      Object.assign(this.tip.dataset, { state: 'shown', frame: String(tile.frame_number), x: String(tile.x), y: String(tile.y), url: tile.url });
    }
    this.tip.hidden = false;
  }

  hide() {
    this.tip.hidden = true;
  }
}
