// Issue 8's real-player check: hls.js (the copy the viewer serves) in
// headless chromium plays /video/bbox?format=hls of a fixture, seeks to
// 80 % of it, and the frame shown there is the right one: the picture is
// closer to /thumbnail of that frame than to any of its neighbours (where
// the fixture burns in its frame number).
// A playlist request answered with anything but 200 and an HLS content
// type is a failure.
// Usage: node hls_seek.mjs URL KEY FILE_UUID ARTIFACTS ROOT
import { check, closest_frame, launch, number_corner, open_page, parse_args, run, screenshot } from './support.mjs';

const { url, key, file_uuid, artifacts, extra } = parse_args();
const [root] = extra;

await run(async (keep) => {
  const browser = await launch(root);
  keep(browser);
  const page = await open_page(browser);
  await page.goto(url + '/', { waitUntil: 'load' });
  await page.waitForFunction(() => window.Hls !== undefined);
  check(await page.evaluate(() => window.Hls.isSupported()), `hls.js ${await page.evaluate(() => window.Hls.version)} is supported in this chromium`);

  const file = await page.evaluate(async ({ uuid, key }) => {
    const res = await fetch(`/api/v1/file/${uuid}`, { headers: { 'X-API-Key': key } });
    return (await res.json()).file;
  }, { uuid: file_uuid, key });
  const playlist = `/api/v1/file/${file_uuid}/video/bbox?format=hls&access_token=${encodeURIComponent(key)}`;
  // Headers only; the server must offer format=hls (a failure, not a skip, when it stops).
  const answer = await page.evaluate(async (p) => {
    const controller = new AbortController();
    const res = await fetch(p, { signal: controller.signal });
    controller.abort();
    return { status: res.status, type: res.headers.get('Content-Type') || '' };
  }, playlist);
  check(answer.status === 200 && /mpegurl/i.test(answer.type),
    `the playlist request answers 200 with an HLS playlist (got ${answer.status} ${answer.type})`);

  // The frame at 80 %, sought at its middle so that rounding cannot pick a neighbour.
  const target = Math.floor(0.8 * file.frame_count);
  const time = (target + 0.5) / file.fps;
  const played = await page.evaluate(async ({ playlist, time }) => {
    const video = document.createElement('video');
    video.muted = true;
    video.id = 'hls-under-test';
    video.style.cssText = '';
    document.body.replaceChildren(video);
    const hls = new window.Hls({ enableWorker: false });
    const failed = new Promise((_, reject) => hls.on(window.Hls.Events.ERROR, (e, d) => { if (d.fatal) reject(new Error(`hls.js: ${d.details}`)); }));
    const event = (name) => new Promise((resolve) => video.addEventListener(name, resolve, { once: true }));
    hls.loadSource(playlist);
    hls.attachMedia(video);
    await Promise.race([event('loadedmetadata'), failed]);
    const duration = video.duration;
    const sought = event('seeked');
    video.currentTime = time;
    await Promise.race([sought, failed]);
    // The frame presented after the seek, and its media time.
    const media_time = await Promise.race([
      new Promise((resolve) => video.requestVideoFrameCallback((now, meta) => resolve(meta.mediaTime))),
      new Promise((resolve) => setTimeout(() => resolve(null), 1000)),
    ]);
    return { duration, current: video.currentTime, media_time, width: video.videoWidth, height: video.videoHeight };
  }, { playlist, time });
  check(Math.abs(played.duration - file.frame_count / file.fps) < 0.2,
    `the playlist's duration is the file's (${played.duration} s for ${file.frame_count} frames at ${file.fps})`);
  check(played.width === file.width && played.height === file.height, `the picture is ${file.width}x${file.height}`);
  if (played.media_time !== null) {
    const presented = Math.floor(played.media_time * file.fps + 1e-6);
    console.log(`info presented mediaTime ${played.media_time} -> frame ${presented} (target ${target})`);
  }
  await screenshot(page, artifacts, 'hls-80-percent');

  // Boxes and labels are drawn over the picture: compare where the fixture
  // burns in its frame number, which they never cover.
  const shown = await closest_frame(page, '#hls-under-test', file, key, target, number_corner(file));
  check(shown.best === target, `the frame shown at 80 % is frame ${target} (closest thumbnail there: ${shown.best}; ${shown.text})`);
});
