// The workspace pages of keeping material current, in a real browser: a draft submitted by one
// editor is approved by another on its approval page, and axe checks every new workspace page
// (approval, dashboard with the waiting list, reviews, corrections, a law change form).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, axe, api as call } from '../lib.mjs';

const BASE = process.env.BASE_URL;
const USER = process.env.E2E_USER;
const PASSWORD = process.env.E2E_PASSWORD;
const TOKEN = process.env.E2E_TOKEN;
const SHOTS = process.env.SCREENSHOTS;
assert.ok(BASE && USER && PASSWORD && TOKEN && SHOTS, 'run through e2e/run.sh');
const api = (method, url, body) => call(BASE, TOKEN, method, url, body);

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

test('a draft submitted by one editor is approved by another on its approval page', async () => {
  const doc = await api('POST', '/api/v1/documents', {
    kind: 'guide', language: 'nb', title: 'Veileder for godkjenningsprøve',
    body: '# Innledning\n\nUtkast til godkjenning.\n\n# Tilgang\n\nTilgang etter tjenstlig behov.\n',
  });
  await api('POST', `/api/v1/documents/${doc.id}/drafts/nb/submit`, { note: 'Klar' });
  const page = await signedIn();
  await page.getByRole('heading', { name: /Venter på godkjenning \(1\)/ }).waitFor();
  await page.getByRole('link', { name: /Veileder for godkjenningsprøve/ }).first().click();
  await page.getByRole('heading', { name: /Godkjenning av utkastet/ }).waitFor();
  await page.getByLabel('Avsnitt').selectOption('Tilgang');
  await page.getByLabel('Kommentar', { exact: true }).fill('Vis til Normen kapittel 5.');
  await page.getByRole('button', { name: 'Lagre kommentar' }).click();
  await page.getByText('Kommentaren er lagret.').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'redaksjon-godkjenning.png'), fullPage: true });
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'Godkjenn', exact: true }).click();
  await page.getByText('Utkastet er godkjent og kan publiseres.').waitFor();
  await page.getByText('godkjent', { exact: true }).waitFor();
  await page.context().close();
});

const PAGES = [
  ['redaksjon-vurderinger', '/redaksjon/vurderinger'],
  ['redaksjon-oppdateringsstatus', '/redaksjon/oppdateringsstatus'],
  ['redaksjon-kilde', '/redaksjon/kilder/ny'],
  ['redaksjon-revisjonsbehov', '/redaksjon/revisjonsbehov'],
  ['redaksjon-vedtak', '/redaksjon/vedtak'],
  ['redaksjon-vedtak-rett', '/redaksjon/vedtak/1/rediger'],
];

for (const [name, url] of PAGES) {
  test(`axe: ${name} (${url}) has no WCAG 2.1 AA violations`, async () => {
    const page = await signedIn();
    const res = await page.goto(BASE + url);
    assert.equal(res.status(), 200, `${url}: ${res.status()}`);
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    const violations = await axe(page);
    await page.context().close();
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  });
}
