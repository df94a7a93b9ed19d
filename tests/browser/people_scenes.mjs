// Browsing a film by its people, in headless chromium: hovering the
// timeline shows the storyboard tile of the hovered time (the JSON's tile
// for that time, its pixels those of /thumbnail of the frame the JSON says
// it shows); each person's presence strip is drawn from the scenes JSON;
// hovering a face in the people grid plays the trace's preview; a lead with
// 120 traces gets a page of scenes and traces ten at a time. With the extra
// argument "scene-video": "Play every scene" plays the scene video through
// hls.js, and a jump to its third scene shows that scene's first film frame
// (the picture closest to /thumbnail of the start_frame the scenes JSON
// names); "Scenes together" plays the two people's. A screenshot per step.
// Usage: node people_scenes.mjs URL KEY FILE_UUID ARTIFACTS ROOT LEAD SECOND [scene-video]
import { check, closest_frame, compare_pictures, launch, number_corner, open_page, parse_args, run, screenshot, video_settled } from './support.mjs';

const { url, key, file_uuid, artifacts, extra } = parse_args();
const [root, lead, second, mode] = extra;
const scene_video = mode === 'scene-video';

async function api(page, path) {
  return page.evaluate(async ({ path, key }) => {
    const res = await fetch(path, { headers: { 'X-API-Key': key } });
    return { status: res.status, body: await res.json() };
  }, { path, key });
}

// The storyboard tile covering `secs`, as the JSON lays the tiles out.
function json_tile(storyboard, secs) {
  let found = storyboard.tiles[0];
  for (const t of storyboard.tiles) if (t.start_secs <= secs) found = t;
  return found;
}

await run(async (keep) => {
  const browser = await launch(root);
  keep(browser);
  const page = await open_page(browser, { width: 1280, height: 900 });
  const base = `/api/v1/file/${file_uuid}`;
  const previews = [];
  page.on('response', (r) => {
    if (r.url().includes('/preview?')) previews.push({ status: r.status(), type: r.headers()['content-type'] || '' });
  });

  await page.goto(url + '/', { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#credential');
  await page.fill('#credential', key);
  await page.keyboard.press('Enter');
  await page.waitForSelector('a.file-link');
  await page.goto(`${url}/#file=${file_uuid}`);
  await page.waitForSelector('.person-card');

  const file = (await api(page, base)).body.file;
  const scenes = (await api(page, `${base}/identities/${lead}/scenes`)).body;
  check(scenes.scenes.length === 4, `the lead has four scenes (${scenes.scenes.length})`);

  // Presence strips: one span per scene of the JSON, where the scene is.
  await page.waitForFunction((n) => document.querySelectorAll(`.presence .scene-span`).length >= n, scenes.scenes.length);
  const spans = await page.evaluate((id) => [...document.querySelectorAll(`.presence[data-identity="${id}"] .scene-span`)].map((s) => ({
    start: Number(s.dataset.startFrame), end: Number(s.dataset.endFrame), left: parseFloat(s.style.left), width: parseFloat(s.style.width) })), lead);
  check(spans.length === scenes.scenes.length, `the lead's presence strip has a span per scene (${spans.length})`);
  spans.forEach((s, i) => {
    const sc = scenes.scenes[i];
    check(sc && s.start === sc.start_frame && s.end === sc.end_frame &&
      Math.abs(s.left - (100 * sc.start_frame) / file.frame_count) < 0.01 &&
      Math.abs(s.width - (100 * (sc.end_frame - sc.start_frame + 1)) / file.frame_count) < 0.01,
      `presence span ${i} is scene ${i} of the scenes JSON (frames ${s.start}-${s.end} at ${s.left.toFixed(2)}%)`);
  });
  const second_spans = await page.locator(`.presence[data-identity="${second}"] .scene-span`).count();
  const second_scenes = (await api(page, `${base}/identities/${second}/scenes`)).body.scenes.length;
  check(second_spans === second_scenes, `the second person's strip has their ${second_scenes} scenes (${second_spans})`);

  // Storyboard tiles on hover, at three places of the lead's lane.
  await page.waitForSelector(`.lane[data-key="${lead}"] .lane-bar`);
  const storyboard = (await api(page, `${base}/storyboard`)).body;
  const bar = await page.locator(`.lane[data-key="${lead}"] .lane-bar`).boundingBox();
  for (const fraction of [0.13, 0.37, 0.71]) {
    const x = bar.x + fraction * bar.width;
    await page.mouse.move(x, bar.y + bar.height / 2);
    await page.waitForFunction(() => {
      const tip = document.querySelector('.storyboard-tip');
      return tip && !tip.hidden && tip.dataset.state === 'shown';
    });
    const tip = await page.evaluate(() => ({ ...document.querySelector('.storyboard-tip').dataset }));
    const hovered = ((x - bar.x) / bar.width) * file.duration_secs;
    const expected = json_tile(storyboard, hovered);
    check(Number(tip.frame) === expected.frame_number && Number(tip.x) === expected.x && Number(tip.y) === expected.y && tip.url === expected.url,
      `hovering ${(hovered).toFixed(2)} s shows the JSON's tile for that time (frame ${tip.frame}, expected ${expected.frame_number} at ${expected.x},${expected.y} of ${expected.url})`);
    const size = { width: expected.width, height: expected.height };
    const same = await compare_pictures(page, { selector: '.storyboard-tip canvas' },
      { url: `${base}/thumbnail?frame=${expected.frame_number}&width=${expected.width}&height=${expected.height}` }, key, size);
    const other_frame = (expected.frame_number + 10 * Math.round(file.fps)) % file.frame_count;
    const other = await compare_pictures(page, { selector: '.storyboard-tip canvas' },
      { url: `${base}/thumbnail?frame=${other_frame}&width=${expected.width}&height=${expected.height}` }, key, size);
    check(same.mean_abs_diff < 8 && same.mean_abs_diff < other.mean_abs_diff,
      `the tile shown is frame ${expected.frame_number}'s picture (mean difference ${same.mean_abs_diff.toFixed(2)}; to frame ${other_frame}: ${other.mean_abs_diff.toFixed(2)})`);
    if (fraction === 0.37) await screenshot(page, artifacts, 'storyboard-hover');
  }
  await page.mouse.move(5, 5);
  check(await page.locator('.storyboard-tip').isHidden(), 'the tile goes when the pointer leaves the timeline');

  // The people grid plays the trace preview on hover.
  const card = `.person-card[data-identity="${lead}"]`;
  await page.waitForFunction((c) => document.querySelector(`${c} img`)?.dataset.state === 'loaded', card);
  await page.hover(card);
  await page.waitForFunction((c) => document.querySelector(`${c} img`).dataset.preview === 'playing', card);
  const preview = await page.evaluate((c) => {
    const img = document.querySelector(`${c} img`);
    return { src: img.getAttribute('src'), width: img.naturalWidth, height: img.naturalHeight, trace: img.dataset.trace };
  }, card);
  check(/\/trace\/\d+\/preview\?/.test(preview.src) && preview.width === 160,
    `hovering the lead's face loads trace ${preview.trace}'s preview (${preview.src.split('?')[0]}, ${preview.width}x${preview.height})`);
  check(previews.length > 0 && previews.every((p) => p.status === 200 && p.type === 'image/webp'),
    `the preview is an animated WebP (${JSON.stringify(previews)})`);
  await screenshot(page, artifacts, 'grid-preview');
  await page.mouse.move(5, 5);
  await page.waitForFunction((c) => !document.querySelector(`${c} img`).dataset.preview, card);
  check(/\/thumbnail\?/.test(await page.getAttribute(`${card} img`, 'src')), 'leaving the face puts its still back');

  // The lead's page: their scenes, and their traces ten at a time.
  await page.click(card);
  await page.waitForSelector('.person-scenes .scene');
  const listed = await page.locator('.person-scenes .scene').count();
  check(listed === scenes.scenes.length, `the person's page lists their ${scenes.scenes.length} scenes (${listed})`);
  await page.waitForFunction(() => document.querySelectorAll('.trace-list .trace').length === 10);
  const first_page = await page.evaluate(() => [...document.querySelectorAll('.trace-list .trace')].map((t) => Number(t.dataset.trace)));
  check(JSON.stringify(first_page) === JSON.stringify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), `the first page holds traces 1-10 (${first_page})`);
  check(await page.locator('#more-traces').isVisible(), 'a "More traces" button offers the next page');
  const tall = await page.evaluate(() => document.querySelector('.person').getBoundingClientRect().height);
  check(tall < 2600, `the page of a person with 120 traces stays short (${Math.round(tall)} px)`);
  await screenshot(page, artifacts, 'person-page');
  await page.click('#more-traces');
  await page.waitForFunction(() => document.querySelectorAll('.trace-list .trace').length === 20);
  const two_pages = await page.evaluate(() => [...document.querySelectorAll('.trace-list .trace')].map((t) => Number(t.dataset.trace)));
  check(two_pages.every((t, i) => t === i + 1), `"More traces" appends traces 11-20 (${two_pages.slice(10)})`);
  // A scene of the list moves the main player to its first frame.
  await page.click('.person-scenes .scene >> nth=1');
  await page.waitForFunction((f) => document.querySelector('.badge').dataset.frame === String(f), scenes.scenes[1].start_frame);
  check(true, `choosing scene 2 shows its first frame ${scenes.scenes[1].start_frame}`);
  await screenshot(page, artifacts, 'person-second-page');

  if (!scene_video) return;

  // Play every scene: hls.js plays the scene video; a jump to the third
  // scene shows its first film frame.
  await page.click('#play-scenes');
  await page.waitForFunction(() => ['ready', 'failed'].includes(document.querySelector('.person .scene-player')?.dataset.state));
  const state = await page.getAttribute('.person .scene-player', 'data-state');
  check(state === 'ready', `the scene video loads through hls.js (${state}: ${await page.textContent('.person .scene-now')})`);
  if (state !== 'ready') return;
  const third = scenes.scenes[2];
  // Paused first, so the picture after the jump is the jump's, not a later one.
  await page.evaluate(() => document.querySelector('.person .scene-video').pause());
  await page.click('.person .scene-jump >> nth=2');
  await page.waitForFunction(({ s, fps }) => {
    const v = document.querySelector('.person .scene-video');
    return v && v.paused && !v.seeking && v.readyState >= 2 && Math.abs(v.currentTime - s) < 1 / fps;
  }, { s: third.start_secs, fps: file.fps });
  await video_settled(page, '.person .scene-video');
  const shown = await closest_frame(page, '.person .scene-video', file, key, third.start_frame, number_corner(file));
  check(shown.best === third.start_frame,
    `a jump to the third scene shows its first frame ${third.start_frame} (closest /thumbnail: ${shown.best}; ${shown.text})`);
  const said = await page.getAttribute('.person .scene-player', 'data-film-frame');
  check(Number(said) === third.start_frame, `the player names film frame ${third.start_frame} (${said})`);
  await screenshot(page, artifacts, 'scene-video-third-scene');

  // Scenes together.
  await page.selectOption('#co-a', lead);
  await page.selectOption('#co-b', second);
  await page.click('#co-scenes');
  const together = (await api(page, `${base}/identities/${lead}/co-occur-with/${second}/scenes`)).body;
  await page.waitForFunction(() => ['ready', 'failed'].includes(document.querySelector('.co .scene-player')?.dataset.state));
  check(await page.getAttribute('.co .scene-player', 'data-state') === 'ready', 'the scenes together play through hls.js');
  const jumps = await page.locator('.co .scene-jump').count();
  check(jumps === together.scenes.length, `"Scenes together" lists their ${together.scenes.length} shared scenes (${jumps})`);
  await screenshot(page, artifacts, 'scenes-together');
});
