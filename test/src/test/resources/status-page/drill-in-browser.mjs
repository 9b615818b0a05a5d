// Drives the operator's status page in a real Chromium through playwright-core, as a person
// would: signs in with a token, reads the regions, starts a drill with the button, and watches the
// region drain and come back. Each step waits for what the page shows (Playwright's own waiting,
// no sleeps); a step that never shows fails the script. Prints one JSON line per observation on
// stdout for StatusPageIT, and writes screenshots into SCREENSHOTS.
//
// Environment: PLAYWRIGHT_DIR (where playwright-core is installed), CHROMIUM (the browser),
// PAGE_URL, NAMESPACE, NAME, REGION (the region this operator runs, which the drill drains),
// PEER (another region), DRILL_TOKEN (may get and patch), VIEWER_TOKEN (may only get),
// SCREENSHOTS (a directory), TIMEOUT_MS (per step).
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const env = (name) => {
  const value = process.env[name];
  if (!value) { throw new Error(`${name} is not set`); }
  return value;
};
const { chromium } = await import(pathToFileURL(path.join(env('PLAYWRIGHT_DIR'), 'node_modules/playwright-core/index.mjs')).href);
const region = env('REGION');
const timeout = Number(process.env.TIMEOUT_MS || 120000);
const shots = env('SCREENSHOTS');
const observe = (step, values) => console.log(JSON.stringify({ step, ...values }));

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  // Root in a container has no user namespaces for Chromium's sandbox.
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  async function signIn(token) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.goto(env('PAGE_URL'));
    await page.fill('#namespace', env('NAMESPACE'));
    await page.fill('#name', env('NAME'));
    await page.fill('#token', token);
    await page.click('#sign-in-button');
    return page;
  }
  const weightCell = (name) => `#regions tr[data-region="${name}"] td[data-field="weight"]`;
  const weight = (page, name) => page.locator(weightCell(name));
  const health = (page, name) => page.locator(`#regions tr[data-region="${name}"] td[data-field="health"]`);
  // The page re-renders its tables on every refresh: look the cell up afresh each time.
  async function waitForWeight(page, name, expected) {
    await page.waitForFunction(([selector, text]) => {
      const cell = document.querySelector(selector);
      return cell !== null && cell.textContent.trim() === text;
    }, [weightCell(name), expected], { timeout });
  }

  // Someone who may only read: the page shows the regions, and no drill button.
  const viewer = await signIn(env('VIEWER_TOKEN'));
  await waitForWeight(viewer, region, '100');
  await viewer.locator('#user').filter({ hasText: 'viewer' }).waitFor();
  observe('viewer', {
    user: await viewer.textContent('#user'),
    drillButtonVisible: await viewer.isVisible('#start-drill'),
    weight: await weight(viewer, region).textContent(),
    health: await health(viewer, region).textContent(),
  });
  await viewer.screenshot({ path: path.join(shots, '1-viewer-no-drill-button.png'), fullPage: true });
  await viewer.context().close();

  // Someone who may start drills: the button is there; pressing it drains this region.
  const page = await signIn(env('DRILL_TOKEN'));
  await waitForWeight(page, region, '100');
  await page.locator('#start-drill').waitFor({ state: 'visible' });
  observe('before', {
    user: await page.textContent('#user'),
    weight: await weight(page, region).textContent(),
    peerHealth: await health(page, env('PEER')).textContent(),
    summary: await page.textContent('#summary'),
  });
  await page.screenshot({ path: path.join(shots, '2-before-drill.png'), fullPage: true });

  await page.fill('#hold-seconds', '10');
  await page.click('#start-drill');
  await page.locator('#drill-result').filter({ hasText: 'Started drill-' }).waitFor();
  const started = await page.textContent('#drill-result');

  await waitForWeight(page, region, '0');
  await page.locator(`#regions tr.drained[data-region="${region}"]`).waitFor();
  await page.locator('#drill td[data-field="phase"]').filter({ hasText: /Draining|Restoring/ }).waitFor();
  observe('drained', {
    started,
    weight: await weight(page, region).textContent(),
    drillId: await page.textContent('#drill td[data-field="id"]'),
    drillPhase: await page.textContent('#drill td[data-field="phase"]'),
    summary: await page.textContent('#summary'),
  });
  await page.screenshot({ path: path.join(shots, '3-region-drained.png'), fullPage: true });

  // The drill ends: weight back to 100, its measured times shown, the steps in the timeline.
  await page.locator('#drill td[data-field="phase"]').filter({ hasText: 'Completed' }).waitFor();
  await waitForWeight(page, region, '100');
  observe('completed', {
    weight: await weight(page, region).textContent(),
    drillId: await page.textContent('#drill td[data-field="id"]'),
    drainSubmitted: await page.textContent('#drill td[data-field="drainSubmittedMillis"]'),
    drainInSync: await page.textContent('#drill td[data-field="drainInSyncMillis"]'),
    restored: await page.textContent('#drill td[data-field="restoredMillis"]'),
    timeline: await page.locator('#timeline tbody tr').evaluateAll((rows) => rows.map((r) =>
      Array.from(r.cells).map((c) => c.textContent).join(' | '))),
  });
  await page.screenshot({ path: path.join(shots, '4-drill-completed.png'), fullPage: true });
} finally {
  await browser.close();
}
