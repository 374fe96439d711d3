/**
 * The explorer in a real browser (Chromium through Playwright, against the production build served by
 * `vite preview`, see playwright.config.ts): every page loads without console errors and shows eos-lab's own numbers,
 * checked against the library run in Node (test-browser/reference.ts, through tsx: a separate computation from the
 * page's Web Worker and bundle).
 *
 * Thresholds, stated before running:
 * - page 1: after moving the η slider from 0.50 to 0.80, the heat map's pixels change and the median final sharpness
 *   and EoS fraction shown equal Node's `gridStudy` values printed to the same 4 decimals; the downloaded JSON's
 *   summary equals Node's exactly (every field);
 * - page 2 (η = 0.2, width 16, the page's defaults): λ_max reaches 2/η within 3,000 steps, and over the second half
 *   of the sampled steps of the first 3,000, at least 80% of the samples have |λ_max/(2/η) − 1| ≤ 0.1 and none
 *   exceeds 1.5·(2/η) (the criteria of examples/mlp-eos);
 *   Also, the page's streamed run (GD in chunks of 50 steps in a Web Worker) agrees with one `gd` call of 3,000 steps
 *   in Node before the edge (steps k < 800; Node's run first reaches 2/η at k = 890): losses to a relative 1e-9,
 *   λ_max samples to a relative 1e-5 (Lanczos stops at a relative residual of 1e-6). A finding: the first version of
 *   this check asked for the whole run to agree (losses to 1e-12) and failed — relative loss differences up to 19
 *   after the edge. Chromium 150's Math.tanh differs from Node 20's in the last bit for a few inputs in 10⁵ (checked
 *   by hand: 46 of 200,000), the losses first differ in the last bit at step 39, and GD at the edge of stability
 *   amplifies such differences until the two runs are different oscillations around the same edge. So the
 *   trajectories are compared only before the edge (where the differences stay at 1e-15), and the edge statistics
 *   above after it;
 * - page 3: the KKT points shown at η = 0.08 and η = 0.1 equal `diagonalNet.kktPoints([1, 4], 2, η)` in Node, to
 *   the table's 6 decimals and within 1e-12 in the page's state.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

interface Reference {
  mlp: { loss: number[]; sharpnessStep: number[]; sharpness: number[] };
  grid: { learningRate: number; summary: { medianSharpnessProxy: number; eosFractionProxy: number; converged: number } & Record<string, unknown> }[];
  kkt: { learningRate: number; points: { w: number[]; branch: string; risk: number; sharpness: number }[] }[];
}

const GRID_RATES = [0.5, 0.8];
const KKT_RATES = [0.08, 0.1];
const MLP_RATE = 0.2;

let reference: Reference;
test.beforeAll(() => {
  const out = execFileSync('npx', ['tsx', 'test-browser/reference.ts', GRID_RATES.join(','), KKT_RATES.join(','), String(MLP_RATE)], { encoding: 'utf8' });
  reference = JSON.parse(out) as Reference;
});

/** Opens a page and collects console errors and uncaught exceptions (none are allowed). */
async function open(page: Page, path: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(path);
  return errors;
}

/** Moves a range input (the spec is compiled without the DOM library: the element is typed by hand). */
async function setRange(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(selector).evaluate((el, v) => {
    const input = el as unknown as { value: string; dispatchEvent(e: unknown): boolean };
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

/** The canvas's pixels as a data URL. */
const pixels = (page: Page, selector: string): Promise<string> =>
  page.locator(selector).evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());

/** What the page shows (the "download JSON" content), from `window.explorer.state()`. */
const pageState = (page: Page): Promise<unknown> =>
  page.evaluate(() => (globalThis as unknown as { explorer: { state: () => unknown } }).explorer.state());

test('index page loads without console errors', async ({ page }) => {
  const errors = await open(page, 'index.html');
  await expect(page.getByRole('link', { name: /grid study/i }).first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('page 1: the η slider changes the heat map and the median equals Node gridStudy', async ({ page }) => {
  const errors = await open(page, 'grid.html');
  const map = page.locator('#map');
  await expect(map).toHaveAttribute('data-eta', '0.50', { timeout: 30_000 });
  const at = (eta: number) => reference.grid.find((g) => g.learningRate === eta)!.summary;
  await expect(page.locator('#median')).toHaveText(at(0.5).medianSharpnessProxy.toFixed(4));
  await expect(page.locator('#eos-fraction')).toHaveText(at(0.5).eosFractionProxy.toFixed(4));
  const before = await pixels(page, '#map');

  await setRange(page, '#eta', '0.80');
  await expect(map).toHaveAttribute('data-eta', '0.80', { timeout: 30_000 });
  await expect(page.locator('#median')).toHaveText(at(0.8).medianSharpnessProxy.toFixed(4));
  await expect(page.locator('#eos-fraction')).toHaveText(at(0.8).eosFractionProxy.toFixed(4));
  const after = await pixels(page, '#map');
  expect(after).not.toEqual(before);

  // "Download JSON" saves what is shown: the summary at full precision, equal to Node's bit for bit (the grid study
  // uses + − × ÷ only, which every engine rounds alike).
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
  expect(download.suggestedFilename()).toBe('grid-study-eta-0.80.json');
  const saved = JSON.parse(readFileSync(await download.path(), 'utf8')) as { learningRate: number; summary: Reference['grid'][number]['summary'] };
  expect(saved.learningRate).toBe(0.8);
  expect(saved.summary).toEqual(at(0.8));

  // A click on the map shows that start's GD path.
  const box = (await map.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.45);
  await expect(page.locator('#path-status')).toHaveText(/^(converged|diverged|max-steps), \d+$/, { timeout: 30_000 });
  // The keyboard does the same: focus the map, move the cursor, Enter.
  const shown = await page.locator('#path-start').textContent();
  await map.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(page.locator('#path-start')).not.toHaveText(shown ?? '', { timeout: 30_000 });
  expect(errors).toEqual([]);
});

test('page 2: λ_max reaches 2/η and hovers there (η = 0.2, width 16, 3,000 steps)', async ({ page }) => {
  const errors = await open(page, 'eos.html');
  await page.locator('#pace').selectOption('0');
  await page.locator('#restart').click();
  await expect(page.locator('body')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const state = (await pageState(page)) as {
    settings: { learningRate: number; width: number; steps: number };
    stabilityLimit: number;
    status: string;
    loss: number[];
    sharpnessStep: number[];
    sharpness: number[];
  };
  expect(state.settings).toMatchObject({ learningRate: 0.2, width: 16, steps: 3000 });
  expect(state.loss).toHaveLength(3001);
  const limit = 2 / 0.2;
  const ratios = state.sharpness.map((s) => s / limit);
  expect(ratios[0]).toBeLessThan(0.9); // starts below the edge: the rise is progressive sharpening
  const reach = ratios.findIndex((r) => r >= 1);
  console.log(`page 2: λ_max(θ₀)/(2/η) = ${ratios[0].toFixed(4)}, first reaches 2/η at step ${state.sharpnessStep[reach]}`);
  expect(reach).toBeGreaterThan(0);
  const late = ratios.filter((_, j) => state.sharpnessStep[j] >= 1500);
  const inBand = late.filter((r) => Math.abs(r - 1) <= 0.1).length / late.length;
  console.log(`page 2: late samples ${late.length}, in band ${inBand.toFixed(4)}, max ratio ${Math.max(...late).toFixed(4)}`);
  expect(inBand).toBeGreaterThanOrEqual(0.8);
  expect(Math.max(...late)).toBeLessThanOrEqual(1.5);
  // The same run as one gd call in Node, before the edge.
  const relErr = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(b[i])));
  expect(state.sharpnessStep).toEqual(reference.mlp.sharpnessStep);
  const before = state.sharpnessStep.findIndex((k) => k >= 800);
  const lossError = relErr(state.loss.slice(0, 800), reference.mlp.loss.slice(0, 800));
  const sharpnessError = relErr(state.sharpness.slice(0, before), reference.mlp.sharpness.slice(0, before));
  console.log(`page 2 vs Node, steps < 800: loss rel. err. ${lossError.toExponential(2)}, λ_max rel. err. ${sharpnessError.toExponential(2)}`);
  expect(lossError).toBeLessThanOrEqual(1e-9);
  expect(sharpnessError).toBeLessThanOrEqual(1e-5);
  // The readout shows the last sample.
  await expect(page.locator('#lambda')).toHaveText(state.sharpness.at(-1)!.toFixed(4));
  expect(errors).toEqual([]);
});

test('page 3: the KKT points shown equal diagonalNet.kktPoints in Node', async ({ page }) => {
  const errors = await open(page, 'norm.html');
  await expect(page.locator('#status')).toHaveText(/Sweep of \d+ learning rates/, { timeout: 60_000 });
  for (const eta of KKT_RATES) {
    await setRange(page, '#eta', eta.toFixed(3));
    await expect(page.locator('#plane')).toHaveAttribute('data-eta', eta.toFixed(3), { timeout: 30_000 });
    const expected = reference.kkt.find((k) => k.learningRate === eta)!.points;
    expect(expected.length).toBeGreaterThan(0);
    const rows = await page.locator('#kkt tbody tr').evaluateAll((trs) =>
      trs.map((tr) => Array.from((tr as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells, (c) => c.textContent ?? '')),
    );
    expect(rows).toEqual(expected.map((p) => [p.w[0].toFixed(6), p.w[1].toFixed(6), p.branch, p.risk.toFixed(6), p.sharpness.toFixed(6)]));
    const state = (await pageState(page)) as { path: { learningRate: number; kkt: { w: number[]; risk: number }[] } };
    expect(state.path.learningRate).toBe(eta);
    state.path.kkt.forEach((k, i) => {
      expect(Math.abs(k.w[0] - expected[i].w[0])).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(k.w[1] - expected[i].w[1])).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(k.risk - expected[i].risk)).toBeLessThanOrEqual(1e-12);
    });
  }
  expect(errors).toEqual([]);
});

/** Screenshots of each page, for readers without a browser: out/explorer/*.png (`npm run explorer:screenshots`). */
test('screenshots of the three pages @screenshot', async ({ page }) => {
  mkdirSync('out/explorer', { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto('grid.html');
  await expect(page.locator('#map')).toHaveAttribute('data-eta', '0.50', { timeout: 30_000 });
  await setRange(page, '#eta', '0.30');
  await expect(page.locator('#map')).toHaveAttribute('data-eta', '0.30', { timeout: 30_000 });
  const box = (await page.locator('#map').boundingBox())!;
  // The start (2.75, 0.25): gradient flow would end at sharpness √(δ² + 4) ≈ 7.8 > 2/η, so GD oscillates at the edge.
  const half = 3 + 3 / 140; // the map's half-width: radius plus half a lattice cell
  await page.mouse.click(box.x + 56 + (530 * (2.75 + half)) / (2 * half), box.y + 8 + (530 * (half - 0.25)) / (2 * half));
  await expect(page.locator('#path-status')).toHaveText(/^(converged|diverged|max-steps), \d+$/, { timeout: 30_000 });
  await page.screenshot({ path: 'out/explorer/grid.png' });

  await page.goto('eos.html');
  await page.locator('#topk').check();
  await expect(page.locator('body')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await page.screenshot({ path: 'out/explorer/eos.png' });

  await page.goto('norm.html');
  await expect(page.locator('#status')).toHaveText(/Sweep of \d+ learning rates/, { timeout: 60_000 });
  await expect(page.locator('#plane')).toHaveAttribute('data-eta', '0.100', { timeout: 30_000 });
  await page.screenshot({ path: 'out/explorer/norm.png' });
});
