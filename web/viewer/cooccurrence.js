// Two people together: pick two identities and see their first shared frame
// with both faces, how many frames they share, and a jump to it
// (GET .../identities/:a/co-occur-with/:b); or every scene they share,
// listed and played one after another ("Scenes together", scenes.js).
import { file_path, get_json, media_url } from './api.js';
import { clear, el } from './dom.js';
import { lazy_image } from './images.js';
import { ScenePlayer, load_scenes, scene_list, scenes_base } from './scenes.js';

export class Cooccurrence {
  // `seek(frame)` jumps the player.
  constructor(file, identities, seek) {
    this.file = file;
    this.seek = seek;
    const options = () => identities.map((i) => el('option', { value: i.identity_uuid }, i.name || i.identity_uuid));
    this.a = el('select', { id: 'co-a' }, options());
    this.b = el('select', { id: 'co-b' }, options());
    if (identities.length > 1) this.b.selectedIndex = 1;
    this.result = el('div', { class: 'co-result', 'aria-live': 'polite' });
    const go = el('button', { type: 'button', id: 'co-go' }, 'Find');
    go.addEventListener('click', () => this.find());
    const together = el('button', { type: 'button', id: 'co-scenes' }, 'Scenes together');
    together.addEventListener('click', () => this.scenes_together());
    this.player = null;
    this.root = el('section', { class: 'co', 'aria-label': 'Two people together' },
      el('h2', {}, 'Two people together'),
      identities.length < 2
        ? el('p', { class: 'note' }, 'This file has fewer than two named people.')
        : el('div', { class: 'co-form' },
          el('label', { for: 'co-a' }, 'First'), this.a, el('label', { for: 'co-b' }, 'Second'), this.b, el('div', { class: 'co-actions' }, go, together)),
      this.result);
  }

  // Preselects `identity_uuid` as the first person.
  prefer(identity_uuid) {
    if (identity_uuid) this.a.value = identity_uuid;
    if (this.a.value === this.b.value) this.b.selectedIndex = this.a.selectedIndex === 0 ? 1 : 0;
  }

  close_player() {
    if (this.player) this.player.destroy();
    this.player = null;
  }

  // Every scene the two share: a list to jump the main player to, and the
  // scene video.
  async scenes_together() {
    this.close_player();
    clear(this.result).append(el('p', { class: 'note' }, 'Looking…'));
    const names = [this.a, this.b].map((s) => s.options[s.selectedIndex].textContent);
    let list;
    try {
      list = await load_scenes(this.file, this.a.value, this.b.value);
    } catch (e) {
      clear(this.result).append(el('p', { class: 'error' }, e.message));
      return;
    }
    if (list.scenes.length === 0) {
      clear(this.result).append(el('p', { class: 'note co-none' }, `${names[0]} and ${names[1]} never appear together.`));
      return;
    }
    this.player = new ScenePlayer(this.file, list, `${names[0]} and ${names[1]} together`,
      scenes_base(this.file, this.a.value, this.b.value));
    clear(this.result).append(
      el('p', { class: 'co-summary' }, `${list.scenes.length} scene${list.scenes.length === 1 ? '' : 's'} together, ${list.duration_secs.toFixed(1)} s.`),
      this.player.root, scene_list(this.file, list, this.seek));
    this.player.video.play().catch(() => {});
  }

  async find() {
    this.close_player();
    clear(this.result).append(el('p', { class: 'note' }, 'Looking…'));
    const path = `${file_path(this.file.file_uuid)}/identities/${encodeURIComponent(this.a.value)}/co-occur-with/${encodeURIComponent(this.b.value)}`;
    let co;
    try {
      co = await get_json(path);
    } catch (e) {
      clear(this.result).append(el('p', { class: 'error' }, e.message));
      return;
    }
    const first = co.first_cooccurrence;
    const face = (f, name) => el('figure', {},
      lazy_image(media_url(f.crop_url, { width: 96, height: 96 }), `${name}'s face`, 96),
      el('figcaption', {}, name));
    const jump = el('button', { type: 'button', class: 'co-jump', 'data-frame': first.frame_number }, `Jump to frame ${first.frame_number}`);
    jump.addEventListener('click', () => this.seek(first.frame_number));
    const shared_secs = first.total_cooccurrence_frames / (this.file.fps || 25);
    clear(this.result).append(
      el('p', { class: 'co-summary' },
        `${co.identity_a.name} and ${co.identity_b.name} first appear together at frame ${first.frame_number} (${first.timestamp_secs.toFixed(2)} s); `,
        el('strong', { class: 'co-total' }, String(first.total_cooccurrence_frames)),
        ` shared frames (${shared_secs.toFixed(1)} s).`),
      el('div', { class: 'co-faces' },
        face(first.representative_face_a, co.identity_a.name), face(first.representative_face_b, co.identity_b.name),
        el('img', { class: 'co-frame', src: media_url(`${file_path(this.file.file_uuid)}/thumbnail`, { frame: first.frame_number, width: 320 }),
          alt: `frame ${first.frame_number}`, width: 320, height: Math.round((320 * this.file.height) / this.file.width) })),
      jump);
  }
}
