// The viewer's entry point: sign-in, the file list and a file's page
// (player, frame tools, timeline, people, two people together), routed by
// the URL's hash (#file=UUID&frame=N links to a frame; no credential in it).
import { ApiError, clear_credential, credential, file_path, get_all, get_json, media_url, set_credential } from './api.js';
import { append, clear, el, format_clock, parse_frame } from './dom.js';
import { Cooccurrence } from './cooccurrence.js';
import { People } from './people.js';
import { Player } from './player.js';
import { load_scenes } from './scenes.js';
import { Timeline, load_presence } from './timeline.js';

const app = document.getElementById('app');
const crumbs = document.getElementById('crumbs');
const sign_out = document.getElementById('sign-out');
let page = null;  // the open file page, kept while only its frame changes

// The hash's file and frame (either may be null).
function route() {
  const params = new URLSearchParams(location.hash.slice(1));
  return { file: params.get('file'), frame: parse_frame(params.get('frame')) };
}

// "Files › …" in the header.
function set_crumbs(...items) {
  append(clear(crumbs), [el('a', { href: '#' }, 'Files'), items.map((i) => [' › ', i])]);
}

// Replaces the page with `message`.
function show_error(message) {
  clear(app).append(el('p', { class: 'error', role: 'alert' }, message));
}

// A 401 anywhere means the stored credential no longer works: ask again.
function handle_error(e) {
  if (e instanceof ApiError && e.status === 401) {
    clear_credential();
    render_sign_in(`Your key or token was refused: ${e.message}`);
    return;
  }
  show_error(e.message);
}

// The sign-in form; the credential is tried on /api/v1/files before it is
// kept, and a refusal is shown with the server's reason.
function render_sign_in(problem = '') {
  page = null;
  sign_out.hidden = true;
  clear(crumbs);
  const input = el('input', { id: 'credential', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const message = el('p', { id: 'sign-in-error', class: 'error', role: 'alert' }, problem);
  const form = el('form', { class: 'sign-in' },
    el('h1', {}, 'Sign in'),
    el('label', { for: 'credential' }, 'API key (fsk_…) or JWT'),
    input,
    el('button', { type: 'submit' }, 'Sign in'),
    message,
    el('p', { class: 'note' }, 'Kept for this tab only (sessionStorage).'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    message.textContent = '';
    try {
      await get_json('/api/v1/files?limit=1', value);
    } catch (e) {
      message.textContent = e.status === 401 || e.status === 403
        ? `That key or token was not accepted: ${e.message}`
        : `Could not sign in: ${e.message}`;
      input.focus();
      return;
    }
    set_credential(value);
    render();
  });
  clear(app).append(form);
  input.focus();
}

// The files the credential may see (every page of the list).
async function render_files() {
  page = null;
  set_crumbs();
  clear(app).append(el('p', { class: 'note' }, 'Loading files…'));
  const files = await get_all('/api/v1/files', 'files', 100);
  const rows = files.map((f) => el('tr', {},
    el('td', {}, el('a', { class: 'file-link', href: `#file=${encodeURIComponent(f.file_uuid)}` }, f.name)),
    el('td', { class: 'num' }, format_clock(f.duration_secs)),
    el('td', { class: 'num' }, String(f.frame_count)),
    el('td', { class: 'num' }, `${f.width}×${f.height}`),
    el('td', { class: 'num' }, String(f.identity_count)),
    el('td', { class: 'num' }, String(f.trace_count))));
  clear(app).append(el('h1', {}, 'Files'),
    files.length === 0
      ? el('p', { class: 'note' }, 'No files you may see. Register one with `frameserve file add`.')
      : el('div', { class: 'table-wrap' }, el('table', { class: 'files' },
        el('thead', {}, el('tr', {}, ['Name', 'Duration', 'Frames', 'Size', 'People', 'Traces'].map((h, i) =>
          el('th', { scope: 'col', class: i > 0 ? 'num' : null }, h)))),
        el('tbody', {}, rows))));
}

// A file's page. Everything it shows is wired to one Player.
class FilePage {
  constructor(file, identities, traces) {
    this.file = file;
    this.selection = null;  // {start, end} for the clip download
    this.person = null;
    this.presence = null;
    this.player = new Player(file, (frame) => this.frame_changed(frame), () => {
      this.render_views();
      this.draw_boxes(this.player.frame);
    });
    this.timeline = new Timeline(file, (frame, lane) => this.seek_from_mark(frame, lane));
    this.people = new People(file, identities, traces, {
      select: (identity) => this.select_person(identity),
      seek: (frame) => this.player.seek_frame(frame),
      play_trace: (trace) => this.play_trace(trace),
    });
    this.co = new Cooccurrence(file, identities, (frame) => this.player.seek_frame(frame));
    this.build();
  }

  // A <button> that runs `action` (title: its key, when it has one).
  button(label, id, action, title = '') {
    const b = el('button', { type: 'button', id, title: title || null }, label);
    b.addEventListener('click', action);
    return b;
  }

  // Lays out the page: player, frame tools and timeline; people and two people aside.
  build() {
    const f = this.file;
    this.views = el('div', { class: 'views', role: 'group', 'aria-label': 'View' });
    this.frame_input = el('input', { id: 'frame-input', type: 'number', min: 0, max: f.frame_count - 1, value: 0, inputmode: 'numeric' });
    this.scrub = el('input', { id: 'scrub', type: 'range', min: 0, max: f.frame_count - 1, value: 0, 'aria-label': 'Position (frame)' });
    this.scrub.addEventListener('change', () => this.player.seek_frame(Number(this.scrub.value)));
    const go = el('form', { class: 'goto' }, el('label', { for: 'frame-input' }, 'Frame'), this.frame_input, el('button', { type: 'submit' }, 'Go'));
    go.addEventListener('submit', (e) => {
      e.preventDefault();
      const n = parse_frame(this.frame_input.value);
      if (n !== null) this.player.seek_frame(n);
    });
    this.clip_link = el('a', { id: 'download-clip', class: 'button', download: '' }, 'Download clip');
    this.png_link = el('a', { id: 'download-png', class: 'button', download: '' }, 'Frame as PNG');
    this.selection_text = el('span', { id: 'selection', class: 'meta' });
    this.notice = el('span', { class: 'notice', 'aria-live': 'polite' });
    const tools = el('div', { class: 'tools' },
      this.button('◀', 'step-back', () => this.player.step(-1), 'One frame back (←)'),
      this.button('Play / pause', 'play', () => this.player.toggle(), 'Space'),
      this.button('▶', 'step-forward', () => this.player.step(1), 'One frame forward (→)'),
      go,
      this.button('Mark in', 'mark-in', () => this.mark(true), 'I'),
      this.button('Mark out', 'mark-out', () => this.mark(false), 'O'),
      this.selection_text, this.clip_link, this.png_link,
      this.button('Copy link', 'copy-link', () => this.copy_link(), 'A link to this frame'),
      this.notice);
    const player_pane = el('section', { class: 'player-pane', 'aria-label': 'Player' },
      el('div', { class: 'view-bar' }, this.views, this.player.status),
      this.player.stage, this.scrub, tools,
      el('h2', {}, 'Who appears when'), this.timeline.root);
    const side = el('aside', { class: 'side-pane' },
      el('h2', {}, 'People'), this.people.grid, this.people.detail, this.co.root);
    this.root = el('div', { class: 'file-page' }, player_pane, side);
    this.render_views();
  }

  // The view buttons, the player's current view pressed.
  render_views() {
    const current = this.player.view;
    const choices = [{ kind: 'video', label: 'Plain' }, { kind: 'bbox', label: 'With boxes' }];
    if (current.kind === 'trace') choices.push({ kind: 'trace', label: `Trace #${current.trace_id}` });
    append(clear(this.views), choices.map((c) => {
      const b = this.button(c.label, `view-${c.kind}`, () => {
        if (c.kind !== current.kind) this.load_view({ kind: c.kind, trace_id: null, start: 0, end: this.file.frame_count - 1 }, this.player.frame);
      });
      b.setAttribute('aria-pressed', String(c.kind === current.kind));
      return b;
    }));
  }

  // Loads `view` in the player, showing frame `at`.
  async load_view(view, at) {
    await this.player.load(view, at);
  }

  // The plain view at `frame` (or 0), then the detections for the timeline,
  // boxes and face strips; a failure to load them is said in the timeline.
  async start(frame) {
    await this.load_view({ kind: 'video', trace_id: null, start: 0, end: this.file.frame_count - 1 }, frame ?? 0);
    // Each person's presence strip, from their scenes (cheap, before the detections).
    for (const identity of this.people.identities) {
      load_scenes(this.file, identity.identity_uuid)
        .then((list) => this.timeline.set_presence(identity, list))
        .catch(() => {});
    }
    try {
      this.presence = await load_presence(this.file, (partial) => this.timeline.render(partial.lanes));
      this.timeline.render(this.presence.lanes);
      this.timeline.show_frame(this.player.frame);
      this.draw_boxes(this.player.frame);
      if (this.person) this.people.show(this.person, this.presence);
    } catch (e) {
      this.timeline.show_error(e.message);
    }
  }

  // The player moved: everything that names the current frame follows.
  frame_changed(frame) {
    this.draw_boxes(frame);
    this.frame_input.value = String(frame);
    this.scrub.value = String(frame);
    this.timeline.show_frame(frame);
    this.png_link.href = media_url(`${file_path(this.file.file_uuid)}/thumbnail`, { frame, format: 'png', download: 1 });
    this.update_selection();
  }

  // The still of a view with boxes gets that frame's boxes (the plain view none).
  draw_boxes(frame) {
    const view = this.player.view;
    const list = view.kind === 'video' || !this.presence ? [] : this.presence.by_frame.get(frame) || [];
    this.player.set_boxes(list, view.kind === 'trace' ? view.trace_id : null);
  }

  // Shows `identity`'s traces, highlights their lane, preselects them for
  // two people together; null deselects.
  select_person(identity) {
    this.person = identity;
    this.people.show(identity, this.presence);
    this.timeline.select(identity ? identity.identity_uuid : null);
    this.co.prefer(identity ? identity.identity_uuid : null);
  }

  // A timeline mark: its person is selected and the player goes to `frame`.
  seek_from_mark(frame, lane) {
    if (lane.identity_uuid) {
      const identity = this.people.identities.find((i) => i.identity_uuid === lane.identity_uuid);
      if (identity) this.select_person(identity);
    }
    this.player.seek_frame(frame);
  }

  // Plays `trace`'s own view from its first frame; its span becomes the selection.
  async play_trace(trace) {
    this.selection = { start: trace.first_frame, end: trace.last_frame };
    await this.load_view({ kind: 'trace', trace_id: trace.trace_id, start: trace.first_frame, end: trace.last_frame }, trace.first_frame);
    this.player.video.play().catch(() => {});
  }

  // Marks the current frame as the selection's first (in) or last (out) frame.
  mark(is_in) {
    const frame = this.player.frame;
    const s = this.selection || { start: frame, end: frame };
    if (is_in) this.selection = { start: frame, end: Math.max(frame, s.end) };
    else this.selection = { start: Math.min(frame, s.start), end: frame };
    this.update_selection();
  }

  // The clip: the marked selection, else two seconds from the current frame.
  update_selection() {
    const f = this.file;
    const sel = this.selection || { start: this.player.frame, end: Math.min(f.frame_count - 1, this.player.frame + Math.round(2 * f.fps) - 1) };
    this.selection_text.textContent = `clip: frames ${sel.start}–${sel.end}`;
    this.clip_link.href = media_url(`${file_path(f.file_uuid)}/clip`, { start_frame: sel.start, end_frame: sel.end, download: 1 });
  }

  // Copies a link to this frame (no credential in it); shows it where the
  // clipboard is refused.
  async copy_link() {
    const link = `${location.origin}/#file=${encodeURIComponent(this.file.file_uuid)}&frame=${this.player.frame}`;
    this.root.dataset.link = link;
    try {
      await navigator.clipboard.writeText(link);
      this.notice.textContent = 'Link copied.';
    } catch (e) {
      this.notice.textContent = link;
    }
  }

  // Arrow keys step, space plays, I/O mark — unless typing in a field.
  key(event) {
    const tag = event.target.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const on_button = tag === 'BUTTON' || tag === 'A';
    if (event.key === 'ArrowLeft') this.player.step(-1);
    else if (event.key === 'ArrowRight') this.player.step(1);
    else if (event.key === ' ' && !on_button) this.player.toggle();
    else if (event.key === 'i') this.mark(true);
    else if (event.key === 'o') this.mark(false);
    else return;
    event.preventDefault();
  }
}

// A file's page; the same file again only moves its player to `frame`.
async function render_file(uuid, frame) {
  if (page && page.file.file_uuid === uuid) {
    if (frame !== null) page.player.seek_frame(frame);
    return;
  }
  page = null;
  clear(app).append(el('p', { class: 'note' }, 'Loading…'));
  const base = file_path(uuid);
  const [info, identities, traces] = await Promise.all([
    get_json(base), get_all(`${base}/identities`, 'identities'), get_all(`${base}/traces`, 'traces')]);
  set_crumbs(el('span', {}, info.file.name));
  // The people seen longest first.
  identities.sort((a, b) => b.detection_count - a.detection_count || String(a.name).localeCompare(String(b.name)));
  page = new FilePage(info.file, identities, traces);
  clear(app).append(el('h1', { class: 'file-name' }, info.file.name), page.root);
  await page.start(frame);
}

// Renders what the hash names; any API error is shown (a 401 asks to sign in).
async function render() {
  if (!credential()) {
    render_sign_in();
    return;
  }
  sign_out.hidden = false;
  const { file, frame } = route();
  try {
    if (file) await render_file(file, frame);
    else await render_files();
  } catch (e) {
    handle_error(e);
  }
}

sign_out.addEventListener('click', () => {
  clear_credential();
  location.hash = '';
  render_sign_in();
});
document.addEventListener('keydown', (event) => { if (page) page.key(event); });
window.addEventListener('hashchange', render);
render();
