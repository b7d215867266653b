// The steering group's meetings in a real browser: the public case and meeting pages of the
// demo (desktop and phone widths, axe), and the secretary building an agenda in the workspace:
// a new meeting, a case, its outcome, the printable call and minutes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, axe } from '../lib.mjs';

const BASE = process.env.BASE_URL;
const USER = process.env.E2E_USER;
const PASSWORD = process.env.E2E_PASSWORD;
const SHOTS = process.env.SCREENSHOTS;
assert.ok(BASE && USER && PASSWORD && SHOTS, 'run through e2e/run.sh');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function meetingOf(date) {
  const res = await fetch(`${BASE}/api/v1/meetings`);
  const list = await res.json();
  const m = list.items.find((x) => x.date === date);
  assert.ok(m, `the demo holds the meeting of ${date}`);
  return m.id;
}

test('the public case page of 23/25 shows the decision, the meeting and the withdrawn sheet', async () => {
  for (const width of [1280, 375, 320]) {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 }, locale: 'nb-NO' });
    const page = await context.newPage();
    const res = await page.goto(BASE + '/sak/23-25');
    assert.equal(res.status(), 200);
    await page.getByRole('heading', { level: 1, name: /Sak 23\/25/ }).waitFor();
    await page.getByRole('heading', { name: 'Vedtak', exact: true }).waitFor();
    await page.getByRole('link', { name: /Styringsgruppemøte i Normen 16\. september 2025/ }).waitFor();
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= width, `/sak/23-25 is ${scroll} px wide at ${width} px`);
    if (width === 1280) {
      await page.screenshot({ path: path.join(SHOTS, 'sak-23-25.png'), fullPage: true });
      assert.deepEqual(await axe(page), []);
      await page.getByRole('link', { name: /Styringsgruppemøte i Normen 16\. september 2025/ }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Styringsgruppemøte i Normen' }).waitFor();
      await page.getByRole('link', { name: 'Sak 24/25' }).waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'mote-2025-09-16.png'), fullPage: true });
      assert.deepEqual(await axe(page), []);
    }
    await context.close();
  }
});

test('a meeting page links each case to its case page', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const m = await meetingOf('2023-09-27');
  await page.goto(`${BASE}/moter/${m}`);
  await page.getByRole('heading', { name: /Handlingsplan 2024/ }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.getByRole('link', { name: 'Sak 25/23' }).click();
  await page.waitForURL(/\/sak\/25-23$/);
  await page.getByText('Tatt til orientering').first().waitFor();
  await context.close();
});

test('the secretary puts a case on a new meeting, records the outcome and prints the minutes', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'nb-NO' });
  const page = await context.newPage();
  await page.goto(BASE + '/redaksjon');
  await page.getByLabel('Brukernavn').fill(USER);
  await page.getByLabel('Passord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByRole('heading', { name: 'Redaksjonens oversikt' }).waitFor();

  await page.getByRole('link', { name: 'Møter', exact: true }).click();
  await page.getByRole('heading', { name: 'Styringsgruppens møter' }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.getByRole('link', { name: 'Nytt møte' }).click();
  const next = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
  await page.getByLabel('Dato').fill(next);
  await page.getByLabel('Sted').fill('Digitalt møte');
  await page.getByLabel('Fra klokken (valgfritt)').fill('10:00');
  await page.getByLabel('Til klokken (valgfritt)').fill('14:00');
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'Opprett møtet' }).click();
  await page.getByText(/Møtet .* er opprettet\./).waitFor();
  assert.deepEqual(await axe(page), []);

  await page.getByRole('link', { name: 'Ny sak' }).click();
  await page.getByLabel('Beslutningssak').check();
  await page.getByLabel('Sakstittel').fill('Sanering av faktaark 30');
  await page.getByLabel('Bakgrunn (Markdown)').fill('Faktaarket er gammelt.');
  await page.getByLabel('Forslag til vedtak').fill('Faktaark 30 saneres.');
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'Sett saken på dagsordenen' }).click();
  await page.getByText(/er satt på dagsordenen\./).waitFor();
  await page.getByRole('button', { name: 'Marker som innkalt' }).click();
  await page.getByText('Møtet er nå innkalt.').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'redaksjon-mote.png'), fullPage: true });
  assert.deepEqual(await axe(page), []);

  await page.getByRole('link', { name: /Registrer utfall/ }).click();
  await page.getByLabel('Vedtatt', { exact: true }).check();
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'Registrer utfallet' }).click();
  await page.getByText(/er registrert: vedtatt\./).waitFor();
  await page.getByRole('link', { name: 'Referat (utskrift)' }).click();
  await page.getByText('Vedtak: Faktaark 30 saneres.').waitFor();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: path.join(SHOTS, 'redaksjon-referat.png'), fullPage: true });
  await context.close();
});
