// The action plan's board in a real browser: the demo's 2026-H1 board, an item added through
// the form, moved to 2026-H2 with a reason (both boards show it), and axe on every page.
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

async function signedIn() {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'nb-NO' });
  const page = await context.newPage();
  await page.goto(BASE + '/redaksjon');
  await page.getByLabel('Brukernavn').fill(USER);
  await page.getByLabel('Passord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByRole('heading', { name: 'Redaksjonens oversikt' }).waitFor();
  return page;
}

test('an item is added to the board through its form and moved to the next half-year', async () => {
  const page = await signedIn();
  await page.getByRole('link', { name: 'Handlingsplan', exact: true }).click();
  await page.getByRole('heading', { name: 'Handlingsplan', exact: true }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.getByRole('link', { name: 'Handlingsplan 2026-H1' }).click();
  await page.getByRole('heading', { name: 'Handlingsplan 2026-H1' }).waitFor();
  await page.getByText('Faktaark om KI', { exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Prioritet 2' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'redaksjon-handlingsplan.png'), fullPage: true });
  assert.deepEqual(await axe(page), []);

  const title = `Kartlegging av små virksomheter ${Date.now()}`;
  await page.getByRole('link', { name: 'Nytt punkt' }).click();
  await page.getByRole('heading', { name: 'Nytt punkt i handlingsplan 2026-H1' }).waitFor();
  assert.deepEqual(await axe(page), []);
  // A missing title comes back with the message by the field.
  await page.getByRole('button', { name: 'Legg til punktet' }).click();
  await page.getByText('Skriv en tittel').first().waitFor();
  assert.deepEqual(await axe(page), []);
  await page.getByLabel('Tittel').fill(title);
  await page.getByLabel('Type arbeid').selectOption('project');
  await page.getByLabel('Prioritet 1 (høyest)').check();
  await page.getByRole('button', { name: 'Legg til punktet' }).click();
  await page.getByText(`«${title}» er lagt til i handlingsplan 2026-H1.`).waitFor();

  await page.getByRole('link', { name: `Flytt «${title}»` }).click();
  await page.getByRole('heading', { name: 'Flytt punktet til en annen periode' }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.getByLabel('Ny periode').fill('2026-H2');
  await page.getByLabel('Begrunnelse').fill('Utsatt: mangler kapasitet');
  await page.getByRole('button', { name: 'Flytt punktet' }).click();
  await page.getByText(`«${title}» er flyttet til handlingsplan 2026-H2.`).waitFor();
  await page.getByText('Flyttet til 2026-H2: Utsatt: mangler kapasitet').waitFor();
  assert.deepEqual(await axe(page), []);

  await page.getByRole('link', { name: 'Se ny periode' }).click();
  await page.getByRole('heading', { name: 'Handlingsplan 2026-H2' }).waitFor();
  await page.getByText(title, { exact: true }).waitFor();
  await page.getByText('Flyttet hit fra 2026-H1').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'redaksjon-handlingsplan-flyttet.png'), fullPage: true });
  assert.deepEqual(await axe(page), []);
  await page.context().close();
});
