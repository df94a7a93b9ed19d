// Names come from imports: a name full of markup must show as the text it
// is, everywhere the viewer shows names (grid, person, timeline, pickers),
// and never run or create anything. Signed in with a JWT (the credential is
// placed where the sign-in form keeps it), opened by a link to frame 5.
// Usage: node hostile_names.mjs URL KEY FILE_UUID ARTIFACTS ROOT NAME
import { check, launch, open_page, parse_args, run, screenshot } from './support.mjs';

const { url, key, file_uuid, artifacts, extra } = parse_args();
const [root, name] = extra;

await run(async (keep) => {
  const browser = await launch(root);
  keep(browser);
  const page = await open_page(browser);
  await page.addInitScript((k) => sessionStorage.setItem('frameserve.credential', k), key);
  await page.goto(`${url}/#file=${file_uuid}&frame=5`);
  await page.waitForFunction(() => document.querySelector('.badge') && document.querySelector('.badge').dataset.frame === '5');
  check(await page.textContent('.badge') === 'frame 5', 'a link to frame 5 opens the file on frame 5');
  await page.waitForSelector('.person-card');
  await page.waitForSelector('.timeline .lane');
  await page.click('.person-card');
  await page.waitForSelector('.person h2');
  const shown = await page.evaluate(() => ({
    card: document.querySelector('.person-card .name').textContent,
    heading: document.querySelector('.person h2').textContent,
    lane: document.querySelector('.lane-name').textContent,
    option: document.querySelector('#co-a option') ? document.querySelector('#co-a option').textContent : null,
    injected: document.querySelectorAll('main img[src="x"], main b, main script').length,
    ran: window.__frameserve_xss === true,
  }));
  check(shown.card === name, `the grid shows the name as text (${JSON.stringify(shown.card)})`);
  check(shown.heading === name, 'the person heading shows it as text');
  check(shown.lane === name, 'the timeline lane shows it as text');
  check(shown.option === null || shown.option === name, 'the co-occurrence picker shows it as text');
  check(shown.injected === 0, `no element was made from the name (${shown.injected})`);
  check(!shown.ran, 'no script from the name ran');
  await screenshot(page, artifacts, 'hostile-name');
});
