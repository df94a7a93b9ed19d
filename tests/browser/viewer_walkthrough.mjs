// The viewer as a person uses it, in headless chromium: a wrong key is
// refused plainly, sign in (keyboard only), the file list, a file's people,
// a person's traces, play a trace, seek to a face, step one frame (the
// number shown is the one asked for and the picture is /thumbnail's), two
// people together, and the page at phone width. A screenshot per step.
// Usage: node viewer_walkthrough.mjs URL KEY FILE_UUID ARTIFACTS ROOT IDENTITY_A IDENTITY_B FIRST_SHARED_FRAME
import { check, closest_frame, compare_pictures, launch, number_corner, open_page, parse_args, run, screenshot, video_settled } from './support.mjs';

const { url, key, file_uuid, artifacts, extra } = parse_args();
const [root, identity_a, identity_b, first_shared] = extra;

// Waits until the player's badge says it shows exactly `frame`.
async function shown_frame(page, frame) {
  await page.waitForFunction((f) => document.querySelector('.badge').dataset.frame === String(f), frame);
  return page.evaluate(() => ({
    badge: document.querySelector('.badge').textContent,
    still: new URL(document.querySelector('.still').src).searchParams.get('frame'),
    still_visible: !document.querySelector('.still').hidden,
  }));
}

await run(async (keep) => {
  const browser = await launch(root);
  keep(browser);
  const page = await open_page(browser);

  const response = await page.goto(url + '/', { waitUntil: 'domcontentloaded' });
  const csp = response.headers()['content-security-policy'] || '';
  check(csp.includes("default-src 'self'") && csp.includes("script-src 'self'"), `the page has a self-only CSP (${csp})`);

  // A wrong key: refused, and the page says so.
  await page.waitForSelector('#credential');
  await page.keyboard.type('fsk_wrong_key_for_the_test');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#sign-in-error').textContent.length > 0);
  const refusal = await page.textContent('#sign-in-error');
  check(/not accepted/.test(refusal), `a wrong key is refused plainly ("${refusal}")`);
  await screenshot(page, artifacts, 'wrong-key');

  // The right key, keyboard only: focus stays in the field after a refusal.
  await page.fill('#credential', '');
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  const link = page.locator(`a.file-link[href="#file=${file_uuid}"]`);
  await link.waitFor();
  check(await link.count() === 1, 'the file list shows the fixture file');
  await screenshot(page, artifacts, 'files');

  // The file: people grid and timeline.
  await link.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.person-card');
  await page.waitForSelector('.timeline .lane');
  const cards = await page.locator('.person-card').count();
  const lanes = await page.locator('.timeline .lane').count();
  check(cards >= 2, `the people grid lists the file's identities (${cards})`);
  check(lanes >= cards, `the timeline has a lane per person (${lanes} lanes)`);
  await page.waitForFunction(() => [...document.querySelectorAll('.person-card img')].every((i) => i.dataset.state === 'loaded'));
  await screenshot(page, artifacts, 'file');

  // Go to a frame by number: the video itself lands on it, under the still.
  const file = await page.evaluate(async ({ uuid, key }) =>
    (await (await fetch(`/api/v1/file/${uuid}`, { headers: { 'X-API-Key': key } })).json()).file, { uuid: file_uuid, key });
  const goto = Math.floor(file.frame_count * 2 / 3);
  await page.fill('#frame-input', String(goto));
  await page.keyboard.press('Enter');
  await shown_frame(page, goto);
  await video_settled(page);
  const landed = await closest_frame(page, 'video', file, key, goto);
  const player_mode = await page.getAttribute('.stage', 'data-mode');
  check(landed.best === goto, `typing frame ${goto} puts the ${player_mode} video on frame ${goto} (closest: ${landed.best}; ${landed.text})`);

  // A person: their traces as face strips.
  await page.click(`.person-card[data-identity="${identity_a}"]`);
  await page.waitForSelector('.strip-face img');
  // Faces load as they come into view, a few at a time: the first ones show.
  await page.waitForFunction(() => [...document.querySelectorAll('.strip-face img')].slice(0, 3).every((i) => i.dataset.state === 'loaded'));
  check(await page.locator(`.lane.selected[data-key="${identity_a}"]`).count() === 1, 'the selected person is highlighted on the timeline');
  const traces = await page.locator('.play-trace').count();
  check(traces >= 1, `the person's traces are listed (${traces})`);
  await screenshot(page, artifacts, 'person');

  // Play their first trace.
  await page.click('.play-trace');
  await page.waitForFunction(() => {
    const v = document.querySelector('video');
    return !v.paused && v.currentTime > 0.3;
  });
  const mode = await page.getAttribute('.stage', 'data-mode');
  check(true, `the trace plays (${mode})`);
  await screenshot(page, artifacts, 'trace-playing');

  // Seek: a face in the strip goes to its exact frame.
  const face = page.locator('.strip-face').nth(2);
  const target = Number(await face.getAttribute('data-frame'));
  await face.click();
  const seek = await shown_frame(page, target);
  check(seek.still === String(target) && seek.badge === `frame ${target}` && seek.still_visible,
    `clicking the face of frame ${target} shows frame ${target} (badge "${seek.badge}", still ${seek.still})`);
  await screenshot(page, artifacts, 'seek');

  // Step one frame forward with the arrow key.
  await page.focus('.stage');
  await page.keyboard.press('ArrowRight');
  const next = target + 1;
  const step = await shown_frame(page, next);
  check(step.still === String(next) && step.badge === `frame ${next}`, `→ shows frame ${next} (badge "${step.badge}")`);
  await page.waitForFunction(() => document.querySelector('.still').complete);
  const thumb = `/api/v1/file/${file_uuid}/thumbnail?frame=`;
  const same = await compare_pictures(page, { selector: '.still' }, { url: thumb + next }, key);
  check(same.mean_abs_diff === 0, `the picture shown is /thumbnail?frame=${next} (mean difference ${same.mean_abs_diff})`);
  const other = await compare_pictures(page, { selector: '.still' }, { url: thumb + target }, key);
  check(other.mean_abs_diff > 0, `and differs from frame ${target} (mean difference ${other.mean_abs_diff.toFixed(2)})`);
  // Under the still, the trace's video stands on that frame too (compared
  // where the frame number is burned in: the trace view draws boxes). A
  // progressive stream cannot seek: it restarts there when played.
  if (mode === 'stream') {
    await page.keyboard.press(' ');
    await page.waitForFunction((f) => {
      const src = document.querySelector('video').src;
      return src !== '' && new URL(src).searchParams.get('start_frame') === String(f);
    }, next);
    await page.waitForFunction(() => !document.querySelector('video').paused);
    check(true, `space plays the progressive trace stream from frame ${next} (start_frame=${next})`);
    await page.keyboard.press(' ');
    await page.waitForFunction(() => document.querySelector('video').paused);
    await page.click(`.strip-face[data-frame="${target}"]`);
    await shown_frame(page, target);
    await page.focus('.stage');
    await page.keyboard.press('ArrowRight');
    await shown_frame(page, next);
  } else {
    await video_settled(page);
    const under = await closest_frame(page, 'video', file, key, next, number_corner(file));
    check(under.best === next, `the ${mode} trace video stands on frame ${next} (closest: ${under.best}; ${under.text})`);
  }
  await page.keyboard.press('ArrowLeft');
  const back = await shown_frame(page, target);
  check(back.badge === `frame ${target}`, `← goes back to frame ${target}`);
  await screenshot(page, artifacts, 'step');

  // The frame's tools: link and downloads point at this frame.
  await page.click('#copy-link');
  await page.waitForFunction(() => document.querySelector('.file-page').dataset.link);
  const copied = await page.evaluate(() => document.querySelector('.file-page').dataset.link);
  check(copied.endsWith(`#file=${file_uuid}&frame=${target}`) && !copied.includes('access_token'),
    `the copied link names the frame and no credential (${copied})`);
  const png = new URL(await page.getAttribute('#download-png', 'href'), url);
  check(png.searchParams.get('frame') === String(target) && png.searchParams.get('format') === 'png', 'the PNG download is this frame');
  const png_res = await page.request.get(png.toString());
  check(png_res.status() === 200 && png_res.headers()['content-type'] === 'image/png', `the PNG download works (${png_res.status()})`);
  const clip = new URL(await page.getAttribute('#download-clip', 'href'), url);
  check(clip.pathname.endsWith('/clip') && clip.searchParams.get('start_frame') !== null, `the clip download is a /clip range (${clip.search.replace(/access_token=[^&]*/, 'access_token=…')})`);

  // Two people together.
  await page.selectOption('#co-a', identity_a);
  await page.selectOption('#co-b', identity_b);
  await page.click('#co-go');
  await page.waitForSelector('.co-jump');
  const jump_frame = await page.getAttribute('.co-jump', 'data-frame');
  check(jump_frame === first_shared, `their first shared frame is ${first_shared} (${jump_frame})`);
  const total = Number(await page.textContent('.co-total'));
  check(total > 0, `they share ${total} frames`);
  await page.waitForFunction(() => [...document.querySelectorAll('.co-result img')].every((i) => i.complete && i.naturalWidth > 0 && i.dataset.state !== 'waiting'));
  await page.click('.co-jump');
  const jumped = await shown_frame(page, Number(first_shared));
  check(jumped.badge === `frame ${first_shared}`, `the jump shows frame ${first_shared}`);
  // Frame 70 lies outside the trace played before: the player says it switched to the plain view.
  const pressed = await page.getAttribute('#view-video', 'aria-pressed');
  check(pressed === 'true', `the view buttons follow the player to the plain view (${pressed})`);
  await screenshot(page, artifacts, 'cooccurrence');

  // The view with boxes: paused, the exact still carries that frame's boxes.
  await page.click('#view-bbox');
  await page.waitForFunction(() => document.querySelector('#view-bbox').getAttribute('aria-pressed') === 'true');
  await shown_frame(page, Number(first_shared));
  const expected = await page.evaluate(async ({ uuid, key, f }) => {
    const res = await fetch(`/api/v1/file/${uuid}/detections?start_frame=${f}&end_frame=${f}`, { headers: { 'X-API-Key': key } });
    const frames = (await res.json()).frames;
    return frames.length ? frames[0].detections.length : 0;
  }, { uuid: file_uuid, key, f: first_shared });
  const drawn = await page.evaluate(() => (document.querySelector('.boxes').hidden ? 0 : document.querySelectorAll('.boxes .box').length));
  check(expected > 0 && drawn === expected, `the still of frame ${first_shared} carries its ${expected} boxes (${drawn} drawn)`);
  await screenshot(page, artifacts, 'boxes');

  // Phone width: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `nothing is wider than a phone screen (overflow ${overflow}px)`);
  await screenshot(page, artifacts, 'phone');
});
