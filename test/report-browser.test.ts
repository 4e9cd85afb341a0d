// The HTML report in a real browser: headless Chromium from the system's package, driven by
// playwright-core. Skipped, with the reason printed, only where no Chromium is installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../packages/cli/src/main.js';
import { ROOT } from './helpers.js';

/** The system's Chromium: $CHROMIUM_PATH, else the first of the usual names on PATH. */
function findChromium(): string | undefined {
  const env = process.env['CHROMIUM_PATH'];
  if (env !== undefined && existsSync(env)) return env;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (path !== '') return path;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

const executablePath = findChromium();
if (executablePath === undefined)
  console.warn(
    'report browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)',
  );

const quiet = { out: () => undefined, err: (s: string) => void process.stderr.write(s) };
const tmp = () => mkdtempSync(join(tmpdir(), 'contagion-browser-'));
const EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>';

async function report(scenario: string, dir: string): Promise<string> {
  expect(await main(['run', scenario, '--out', dir, '--no-progress'], quiet)).toBe(0);
  expect(await main(['report', dir], quiet)).toBe(0);
  return pathToFileURL(join(dir, 'report.html')).href;
}

interface Watched {
  page: Page;
  problems: string[];
  requests: string[];
  dialogs: string[];
}

describe.skipIf(executablePath === undefined)('the HTML report in Chromium', () => {
  let browser: Browser;
  let defaultUrl: string;
  let evilUrl: string;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: executablePath!,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    defaultUrl = await report(join(ROOT, 'scenarios/default.yaml'), tmp());
    const evil = join(tmp(), 'evil.yaml');
    writeFileSync(
      evil,
      readFileSync(join(ROOT, 'scenarios/small.yaml'), 'utf8').replace(
        /^name: .*$/m,
        `name: ${JSON.stringify(EVIL)}`,
      ),
    );
    evilUrl = await report(evil, tmp());
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function open(url: string): Promise<Watched> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const w: Watched = { page, problems: [], requests: [], dialogs: [] };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        w.problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => w.problems.push(`page error: ${e.message}`));
    page.on('request', (r) => w.requests.push(r.url()));
    page.on('dialog', (d) => {
      w.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url);
    return w;
  }

  /** Fill, scale and visibility of every node of the drawn network. */
  const drawn = (page: Page) =>
    page.$$eval('#net-wrap g.node', (gs) =>
      gs.map((g) => {
        const p = g.querySelector('path')!;
        return `${g.getAttribute('visibility') ?? ''}|${p.getAttribute('fill')}|${p.getAttribute('transform')}|${p.getAttribute('stroke')}`;
      }),
    );

  it('loads with no console errors and no request beyond the file itself', async () => {
    const w = await open(defaultUrl);
    expect(w.problems).toEqual([]);
    expect(w.requests).toEqual([defaultUrl]);
    expect(await w.page.locator('#step-out').textContent()).toBe('step 48 of 48');
    expect(await w.page.locator('#summary table').count()).toBe(3);
    expect(await w.page.locator('#charts svg').count()).toBe(3);
    await w.page.close();
  });

  it('redraws the network, its title and the chart markers when the slider moves', async () => {
    const w = await open(defaultUrl);
    const end = await drawn(w.page);
    const marker = () => w.page.locator('.step-marker').first().getAttribute('x1');
    const markerEnd = await marker();
    await w.page.locator('#step').fill('0');
    expect(await w.page.locator('#step-out').textContent()).toBe('step 0 of 48');
    expect(await w.page.locator('#step-label').textContent()).toContain('step 0 of 48');
    const start = await drawn(w.page);
    expect(start).toHaveLength(end.length);
    const changed = start.filter((s, i) => s !== end[i]).length;
    expect(changed).toBeGreaterThan(5);
    expect(await marker()).not.toBe(markerEnd);
    // Contagion marks: none before the shock, some at the end.
    const marks = () =>
      w.page.$$eval(
        '#net-wrap g.marks path',
        (ps) => ps.filter((p) => p.getAttribute('data-mark') !== '').length,
      );
    expect(await marks()).toBe(0);
    await w.page.locator('#step').fill('48');
    expect(await marks()).toBeGreaterThan(0);
    expect(w.problems).toEqual([]);
    await w.page.close();
  });

  it('plays the cascade and pauses it', async () => {
    const w = await open(defaultUrl);
    await w.page.locator('#step').fill('0');
    await w.page.locator('#play').click();
    expect(await w.page.locator('#play').textContent()).toBe('Pause');
    await w.page.waitForFunction(
      () => Number((document.getElementById('step') as HTMLInputElement).value) >= 2,
    );
    await w.page.locator('#play').click();
    const paused = await w.page.locator('#step').inputValue();
    await w.page.waitForTimeout(900);
    expect(await w.page.locator('#step').inputValue()).toBe(paused);
    expect(await w.page.locator('#play').textContent()).toBe('Play');
    await w.page.close();
  });

  it("shows a node's figures at the step shown on hover", async () => {
    const w = await open(defaultUrl);
    const tip = w.page.locator('#tooltip');
    await expect.poll(() => tip.isHidden()).toBe(true);
    await w.page.locator('#net-wrap g.node-lending').first().hover();
    expect(await tip.isVisible()).toBe(true);
    const text = await tip.textContent();
    expect(text).toContain('lendA (lending market)');
    expect(text).toContain('bad debt');
    await w.page.close();
  });

  it('keeps a hostile scenario name as text: no dialog, no injected element', async () => {
    const w = await open(evilUrl);
    expect(await w.page.title()).toBe(`${EVIL} · contagion report`);
    expect(await w.page.locator('h1').textContent()).toBe(EVIL);
    expect(await w.page.locator('.title text').first().textContent()).toBe(EVIL);
    expect(await w.page.locator('img').count()).toBe(0);
    expect(await w.page.locator('script').count()).toBe(2);
    await w.page.waitForTimeout(200);
    expect(w.dialogs).toEqual([]);
    expect(w.problems).toEqual([]);
    await w.page.close();
  });

  it('renders the expected nodes in colour (checked on the screenshot pixels)', async () => {
    const w = await open(defaultUrl);
    await w.page.locator('#step').fill('1');
    const frames = JSON.parse((await w.page.locator('#frames').textContent()) as string) as {
      nodes: string[];
      frames: { n: [number, string, string, number, string, number][] }[];
    };
    const present = frames.frames[1]!.n.filter((n) => n[0] > 0);
    expect(await w.page.locator('#net-wrap g.node:not([visibility="hidden"])').count()).toBe(
      present.length,
    );
    // Solid fills (a cluster's inner disc, any other node's shape) of large nodes must show up as
    // pixels of that exact colour in a screenshot; a cluster's outer disc is translucent.
    const clusters = new Set(
      await w.page.$$eval('#net-wrap g.node-cluster', (gs) => gs.map((g) => g.id)),
    );
    const solid = frames.frames[1]!.n.map((n, i) => (clusters.has(frames.nodes[i]!) ? n[5] : n[0]));
    const big = [
      ...new Set(frames.frames[1]!.n.filter((_, i) => solid[i]! >= 10).map((n) => n[1])),
    ];
    expect(big.length).toBeGreaterThanOrEqual(3);
    const png = await w.page.locator('#net-wrap svg').screenshot();
    const decoder = await browser.newPage();
    const counts = await decoder.evaluate(
      async ({ b64, colours }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const want = colours.map((h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)));
        const n = want.map(() => 0);
        for (let i = 0; i < d.length; i += 4)
          want.forEach((w, j) => {
            if (
              Math.abs(d[i]! - w[0]!) <= 2 &&
              Math.abs(d[i + 1]! - w[1]!) <= 2 &&
              Math.abs(d[i + 2]! - w[2]!) <= 2
            )
              n[j]!++;
          });
        return n;
      },
      { b64: png.toString('base64'), colours: big.map((c) => rgbHex(c)) },
    );
    counts.forEach((n, j) => expect(n, `pixels of ${big[j]}`).toBeGreaterThan(20));
    await decoder.close();
    await w.page.close();
  });
});

/** `#rrggbb` from `#rrggbb` or d3's `rgb(r, g, b)`. */
function rgbHex(c: string): string {
  const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(c);
  if (m === null) return c;
  return `#${[m[1], m[2], m[3]].map((x) => Number(x).toString(16).padStart(2, '0')).join('')}`;
}
