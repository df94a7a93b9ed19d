// Shared by the browser scenarios: launches Debian's chromium through
// playwright-core (no browser download), keeps a screenshot of each step,
// and reports to tests/test_browser_viewer.cpp one line per check:
//   "ok WHAT" / "fail WHAT" / "skip WHY", exit 0 (all ok), 1 (a failure)
//   or 77 (could not run what it needs, said why).
import { createRequire } from 'node:module';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const k_exit_skip = 77;

// argv: URL KEY FILE_UUID ARTIFACT_DIR [EXTRA...]
export function parse_args() {
  const [url, key, file_uuid, artifacts, ...extra] = process.argv.slice(2);
  if (!url || !key || !file_uuid || !artifacts) {
    console.log('fail usage: SCRIPT URL KEY FILE_UUID ARTIFACT_DIR [EXTRA...]');
    process.exit(1);
  }
  // Only this run's screenshots: an earlier run's would mislead.
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  return { url, key, file_uuid, artifacts, extra };
}

let failures = 0;

export function check(condition, what) {
  console.log(`${condition ? 'ok' : 'fail'} ${what}`);
  if (!condition) failures += 1;
  return condition;
}

export function skip(why) {
  console.log(`skip ${why}`);
  process.exit(k_exit_skip);
}

// Launches headless chromium (root needs --no-sandbox); skips when the
// browser or playwright-core cannot be found or started. `audible`: keep
// the audio path unmuted (the A/V sync scenario records what is played).
export async function launch(root_dir, { audible = false } = {}) {
  let chromium;
  try {
    ({ chromium } = require(path.join(root_dir, 'web/node_modules/playwright-core')));
  } catch (e) {
    skip(`playwright-core is not installed in web/node_modules (make build runs npm ci): ${e.message}`);
  }
  try {
    return await chromium.launch({
      executablePath: process.env.FRAMESERVE_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', ...(audible ? [] : ['--mute-audio'])],
    });
  } catch (e) {
    skip(`chromium could not be started: ${e.message.split('\n')[0]}`);
  }
  return null;
}

// A page that fails the scenario on any script error or CSP violation.
// `bypass_csp`: for measuring instruments a scenario injects into the page
// (the viewer's own CSP allows scripts from 'self' only, which refuses a
// blob: AudioWorklet); never for scenarios that test the viewer itself.
export async function open_page(browser, viewport = { width: 1280, height: 800 }, { bypass_csp = false } = {}) {
  const context = await browser.newContext({ viewport, bypassCSP: bypass_csp });
  const page = await context.newPage();
  page.on('pageerror', (e) => check(false, `no script error on the page (${e.message})`));
  page.on('console', (m) => {
    // A refused key is logged by the browser as a failed load: expected.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) check(false, `no console error (${m.text()})`);
  });
  // Generous: CI runs these on 2 busy cores, also against the sanitizer build.
  page.setDefaultTimeout(45000);
  return page;
}

let shot = 0;
export async function screenshot(page, artifacts, name) {
  shot += 1;
  const file = path.join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`info screenshot ${file}`);
}

// Runs `scenario`, turning an exception into a failure, and exits with the
// protocol's code. A watchdog ends a scenario that hangs.
export async function run(scenario, limit_ms = 180000) {
  const watchdog = setTimeout(() => {
    check(false, `the scenario finished within ${limit_ms} ms`);
    process.exit(1);
  }, limit_ms);
  let browser = null;
  try {
    await scenario((b) => { browser = b; });
  } catch (e) {
    check(false, `scenario ran to the end (${e.message.split('\n')[0]})`);
  }
  if (browser) await browser.close().catch(() => {});
  clearTimeout(watchdog);
  process.exit(failures === 0 ? 0 : 1);
}

// In the page: compares two images' decoded pixels. Each source is an
// <img> selector or a URL fetched with the X-API-Key header. Returns
// {width, height, mean_abs_diff} (0 for identical pictures), over `region`
// ({x, y, w, h} after scaling to `size`) or the whole picture.
export async function compare_pictures(page, a, b, key, size = null, region = null) {
  return page.evaluate(async ({ a, b, key, size, region }) => {
    async function pixels(source) {
      let bitmap;
      if (source.selector) {
        bitmap = await createImageBitmap(document.querySelector(source.selector));
      } else if (source.video) {
        bitmap = await createImageBitmap(source.video === true ? document.querySelector('video') : document.querySelector(source.video));
      } else {
        const res = await fetch(source.url, { headers: { 'X-API-Key': key } });
        if (!res.ok) throw new Error(`${source.url}: HTTP ${res.status}`);
        bitmap = await createImageBitmap(await res.blob());
      }
      const w = size ? size.width : bitmap.width;
      const h = size ? size.height : bitmap.height;
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(bitmap, 0, 0, w, h);
      const r = region || { x: 0, y: 0, w, h };
      return { w: r.w, h: r.h, data: ctx.getImageData(r.x, r.y, r.w, r.h).data };
    }
    const pa = await pixels(a);
    const pb = await pixels(b);
    if (pa.w !== pb.w || pa.h !== pb.h) return { width: -1, height: -1, mean_abs_diff: Infinity };
    let sum = 0;
    for (let i = 0; i < pa.data.length; i += 4) {
      sum += Math.abs(pa.data[i] - pb.data[i]) + Math.abs(pa.data[i + 1] - pb.data[i + 1]) + Math.abs(pa.data[i + 2] - pb.data[i + 2]);
    }
    return { width: pa.w, height: pa.h, mean_abs_diff: sum / ((pa.data.length / 4) * 3) };
  }, { a, b, key, size, region });
}

// The corner where the fixtures burn in their frame number ("#120"): no
// box or label of theirs reaches it, so views with boxes compare there.
export function number_corner(file) {
  return { x: 0, y: 0, w: Math.round(file.width / 4), h: Math.round(file.height / 12) };
}

// Which of the frames around `target` the <video> `selector` shows: the one
// whose /thumbnail is closest to its picture (within `region`, else all of
// it). Returns {best, text}.
export async function closest_frame(page, selector, file, key, target, region = null, neighbours = 3) {
  const diffs = [];
  const first = Math.max(0, target - neighbours);
  const last = Math.min(file.frame_count - 1, target + neighbours);
  for (let f = first; f <= last; ++f) {
    const d = await compare_pictures(page, { video: selector },
      { url: `/api/v1/file/${file.file_uuid}/thumbnail?frame=${f}` }, key, { width: file.width, height: file.height }, region);
    diffs.push({ frame: f, diff: d.mean_abs_diff });
  }
  const best = diffs.reduce((a, b) => (b.diff < a.diff ? b : a)).frame;
  return { best, text: diffs.map((d) => `${d.frame}:${d.diff.toFixed(2)}`).join(' ') };
}

// Waits until the <video> `selector` has finished seeking and has a picture.
export async function video_settled(page, selector = 'video') {
  await page.waitForFunction((s) => {
    const v = document.querySelector(s);
    return v && !v.seeking && v.readyState >= 2;
  }, selector);
}
