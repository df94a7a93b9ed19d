// The viewer's scene player (web/viewer/scenes.js) on an HLS playlist
// whose clock maps to film frames as a scene video's does: the file's own
// /video?format=hls, with three "scenes" at 0, 8 and 16 s (start_frame =
// start_secs x fps). hls.js plays it; a jump to the third scene shows that
// scene's first film frame (closest to /thumbnail of its start_frame) and
// the player names that frame. The scene video itself is tested by
// people_scenes.mjs with "scene-video".
// Usage: node scene_player.mjs URL KEY FILE_UUID ARTIFACTS ROOT
import { check, closest_frame, launch, number_corner, open_page, parse_args, run, screenshot, video_settled } from './support.mjs';

const { url, key, file_uuid, artifacts, extra } = parse_args();
const [root] = extra;

await run(async (keep) => {
  const browser = await launch(root);
  keep(browser);
  const page = await open_page(browser);
  await page.goto(url + '/', { waitUntil: 'load' });
  await page.waitForFunction(() => window.Hls !== undefined);
  const file = await page.evaluate(async ({ uuid, key }) => {
    sessionStorage.setItem('frameserve.credential', key);
    return (await (await fetch(`/api/v1/file/${uuid}`, { headers: { 'X-API-Key': key } })).json()).file;
  }, { uuid: file_uuid, key });
  const scenes = [0, 8, 16].map((s) => ({ start_frame: Math.round(s * file.fps), end_frame: Math.round((s + 8) * file.fps) - 1,
    start_secs: s, duration_secs: 8, trace_ids: [] }));
  await page.evaluate(async ({ file, scenes }) => {
    const { ScenePlayer } = await import('/ui/scenes.js');
    const player = new ScenePlayer(file, { scenes, duration_secs: 24 }, 'Scenes', `/api/v1/file/${file.file_uuid}`);
    document.getElementById('app').replaceChildren(player.root);
  }, { file, scenes });
  await page.waitForFunction(() => ['ready', 'failed'].includes(document.querySelector('.scene-player').dataset.state));
  const state = await page.getAttribute('.scene-player', 'data-state');
  check(state === 'ready', `the scene player loads its playlist through hls.js (${state}: ${await page.textContent('.scene-now')})`);
  if (state !== 'ready') return;
  const jumps = await page.locator('.scene-jump').count();
  check(jumps === 3, `it lists the three scenes to jump to (${jumps})`);
  await page.click('.scene-jump >> nth=2');
  await page.waitForFunction(({ s, fps }) => {
    const v = document.querySelector('.scene-video');
    return v.paused && !v.seeking && v.readyState >= 2 && Math.abs(v.currentTime - s) < 1 / fps;
  }, { s: scenes[2].start_secs, fps: file.fps });
  await video_settled(page, '.scene-video');
  const target = scenes[2].start_frame;
  const shown = await closest_frame(page, '.scene-video', file, key, target, number_corner(file));
  check(shown.best === target, `a jump to the third scene shows its first frame ${target} (closest /thumbnail: ${shown.best}; ${shown.text})`);
  await page.waitForFunction((f) => document.querySelector('.scene-player').dataset.filmFrame === String(f), target);
  const now = await page.textContent('.scene-now');
  check(/Scene 3 of 3/.test(now) && now.includes(`film frame ${target}`), `the player names the scene and film frame ("${now}")`);
  await page.waitForFunction(() => document.querySelector('.scene-still').complete && !document.querySelector('.scene-still').hidden);
  check(await page.getAttribute('.scene-jump >> nth=2', 'aria-current') === 'true', 'the third scene is marked current');
  await screenshot(page, artifacts, 'scene-player-third-scene');
});
