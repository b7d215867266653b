// End-to-end tests of the registry's web pages in a real browser (Debian's chromium through
// playwright-core) against the real server started by e2e/run.sh. The tests run in order: the
// editor's work is what the visitor then finds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BASE = process.env.BASE_URL;
const USER = process.env.E2E_USER;
const PASSWORD = process.env.E2E_PASSWORD;
const SHOTS = process.env.SCREENSHOTS;
assert.ok(BASE && USER && PASSWORD && SHOTS, 'run through e2e/run.sh');

const TITLE = 'Prøveark for nettlesertester';
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

/** A fresh visitor: no cookies. Pages run no script; axe is injected past the CSP. */
async function newPage() {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'nb-NO' });
  return context.newPage();
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Runs axe-core at WCAG 2.1 A and AA and returns the violations. */
async function axe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const res = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

async function expectStatus(page, url, status) {
  const res = await page.goto(BASE + url);
  assert.equal(res.status(), status, `${url}: status ${res.status()}`);
  return res;
}

test('an editor creates Faktaark 99, publishes 1.0 and 2.0, translates 1.0 and withdraws it', async () => {
  const page = await newPage();
  await page.goto(BASE + '/redaksjon');
  assert.match(page.url(), /\/redaksjon\/logg-inn/);
  await page.getByLabel('Brukernavn').fill(USER);
  await page.getByLabel('Passord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByRole('heading', { name: 'Redaksjonens oversikt' }).waitFor();
  await screenshot(page, 'redaksjon-oversikt');

  // The steering group's decision to retire the sheet, recorded first.
  await page.goto(BASE + '/redaksjon/vedtak/ny');
  await page.getByLabel('Saksnummer').fill('30/26');
  await page.getByLabel('Møtedato').fill('2026-03-10');
  await page.getByLabel('Sakens tittel').fill('Sanering av faktaark 99');
  await page.getByRole('button', { name: 'Registrer vedtak' }).click();
  await page.getByText('Sak 30/26 er registrert.').waitFor();

  // A validation error keeps the input.
  await page.goto(BASE + '/redaksjon/dokumenter/ny');
  await page.getByLabel('Nummer').fill('99');
  await page.getByLabel('Tekst (Markdown)').fill('# Innledning\n\nDette er første versjon. Virksomheten skal ha rutiner for tilgang.\n');
  await page.getByRole('button', { name: 'Opprett utkast' }).click();
  await page.getByText('Det er noe som må rettes').waitFor();
  assert.equal(await page.getByLabel('Nummer').inputValue(), '99');
  await screenshot(page, 'redaksjon-skjema-med-feil');
  await page.getByLabel('Tittel', { exact: true }).fill(TITLE);
  await page.getByRole('button', { name: 'Forhåndsvis' }).click();
  await page.getByRole('heading', { name: 'Forhåndsvisning' }).waitFor();
  await page.getByRole('button', { name: 'Opprett utkast' }).click();
  await page.getByText('Dokumentet er opprettet som utkast.').waitFor();

  // 1.0
  await page.getByRole('link', { name: 'Publiser utkast (Norsk bokmål)' }).click();
  await page.getByLabel(/^Faglig endring/).check();
  await page.getByLabel('Endringer i denne versjonen').fill('Første versjon');
  await page.getByRole('button', { name: 'Publiser' }).click();
  await page.getByText('Versjon 1.0 er publisert.').waitFor();

  // 2.0, a substantive change
  await page.getByRole('link', { name: 'Ny versjon (utkast)' }).click();
  await page.getByLabel('Tekst (Markdown)').fill(
    '# Innledning\n\nDette er andre versjon. Virksomheten skal ha skriftlige rutiner for tilgang og jevnlig opplæring.\n\n# Opplæring\n\nAlle ansatte må gjennomføre opplæring hvert år.\n');
  await page.getByRole('button', { name: 'Lagre utkast' }).click();
  await page.getByText('Utkastet er lagret.').waitFor();
  await page.getByRole('link', { name: 'Publiser utkast (Norsk bokmål)' }).click();
  await page.getByLabel(/^Faglig endring/).check();
  await page.getByLabel('Endringer i denne versjonen').fill('Krav om skriftlige rutiner og opplæring');
  await page.getByRole('button', { name: 'Publiser' }).click();
  await page.getByText('Versjon 2.0 er publisert.').waitFor();

  // An English translation of 1.0: outdated at once, because 2.0 is substantive.
  await page.getByRole('link', { name: 'Legg til oversettelse' }).click();
  await page.getByLabel('English').check();
  await page.getByLabel('Oversatt fra versjon').selectOption('1.0');
  await page.getByLabel('Tittel', { exact: true }).fill('Test sheet for browser tests');
  await page.getByLabel('Tekst (Markdown)').fill('# Introduction\n\nThis is the first version. The organisation shall have access routines.\n');
  await page.getByRole('button', { name: 'Lagre oversettelse som utkast' }).click();
  await page.getByText('Oversettelsen (English) er lagret som utkast.').waitFor();
  await page.getByRole('link', { name: 'Publiser utkast (English)' }).click();
  await page.getByLabel(/^Faglig endring/).check();
  await page.getByLabel('Endringer i denne versjonen').fill('Translation of version 1.0');
  await page.getByRole('button', { name: 'Publiser' }).click();
  await page.getByText('er publisert.').waitFor();
  assert.ok(await page.getByText('Utdatert').first().isVisible(), 'the translation shows as outdated in the workspace');

  const visitor = await newPage();
  await expectStatus(visitor, '/faktaark/99?lang=en', 200);
  assert.equal(await visitor.getAttribute('html', 'lang'), 'en');
  await visitor.getByText('This translation is based on version').waitFor();
  await visitor.getByText('has changed substantively').waitFor();
  await screenshot(visitor, 'oversettelse-utdatert');
  await visitor.context().close();

  // Withdraw with a reason, the decision and a successor.
  await page.getByRole('link', { name: 'Trekk tilbake (utgått)' }).click();
  await page.getByLabel('Begrunnelse').fill('Innholdet er tatt inn i Faktaark 37');
  await page.getByLabel('Vedtak (valgfritt)').selectOption('30/26');
  await page.getByLabel('Erstattet av (valgfritt)').fill('/faktaark/37');
  await page.getByRole('button', { name: 'Trekk tilbake' }).click();
  await page.getByText('Dokumentet er trukket tilbake og merket utgått.').waitFor();
  await screenshot(page, 'redaksjon-dokument-utgatt');
  await page.context().close();
});

test('a visitor finds the sheet only through the withdrawn toggle, sees the banner and compares 1.0 with 2.0', async () => {
  const page = await newPage();
  await expectStatus(page, '/', 200);
  await page.getByLabel('Søk i veiledningsmateriellet').fill(TITLE);
  await page.getByRole('button', { name: 'Søk' }).click();
  await page.waitForURL(/\/sok\?/);
  assert.equal(await page.locator('.hits a[href="/faktaark/99"]').count(), 0, 'withdrawn sheet shown by default');
  await page.getByText(/(utgått|utgåtte) treff:/i).waitFor();
  await page.locator('.toggle-withdrawn a').click();
  await page.waitForURL(/utgatte=1/);
  const hit = page.locator('.hits a[href="/faktaark/99"]');
  await hit.waitFor();
  await screenshot(page, 'sok-med-utgatte');

  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/faktaark/99')), hit.click()]);
  assert.equal(response.status(), 200);
  const banner = page.locator('.banner-withdrawn');
  await banner.waitFor();
  const text = await banner.innerText();
  assert.match(text, /utgått/i);
  assert.match(text, /Innholdet er tatt inn i Faktaark 37/);
  assert.match(text, /30\/26/);
  assert.ok(await banner.locator('a[href="/faktaark/37"]').isVisible(), 'successor link');

  await page.getByRole('link', { name: '1.0', exact: true }).click();
  await page.waitForURL(/\/faktaark\/99\/versjon\/1\.0$/);
  await page.locator('.banner-withdrawn').waitFor();
  await page.getByText('Dette er en eldre versjon. Gjeldende versjon er').waitFor();
  await screenshot(page, 'gammel-versjon');
  await page.getByRole('link', { name: /Sammenlign med gjeldende versjon/ }).click();
  await page.waitForURL(/sammenlign\?fra=1\.0&til=2\.0/);
  assert.ok((await page.locator('.diff ins').count()) > 0, 'insertions marked');
  assert.ok((await page.locator('.diff del').count()) > 0, 'deletions marked');
  await page.context().close();
});

const AXE_PAGES = [
  ['forside', '/'],
  ['sok', '/sok?q=tilgang&utgatte=1'],
  ['dokument', '/faktaark/37'],
  ['dokument-utgatt', '/faktaark/99'],
  ['sammenligning', '/faktaark/99/sammenlign?fra=1.0&til=2.0'],
  ['sammenligning-side-om-side', '/faktaark/99/sammenlign?fra=1.0&til=2.0&visning=side'],
  ['oversettelse', '/faktaark/99?lang=en'],
  ['logg-inn', '/redaksjon/logg-inn'],
  ['faktaark-liste', '/faktaark'],
  ['utgatt-materiell', '/utgatt'],
  ['oppdateringsstatus', '/oppdateringsstatus'],
  ['gammel-versjon-axe', '/faktaark/99/versjon/1.0'],
  ['veiledere', '/veiledere'],
  ['endringslogg', '/endringer'],
  ['normen', '/normen/normen'],
  ['en-faktaark', '/faktaark?lang=en'],
  ['en-veiledere', '/veiledere?lang=en'],
  ['en-utgatt', '/utgatt?lang=en'],
  ['en-endringer', '/endringer?lang=en'],
  ['en-sok', '/sok?q=tilgang&utgatte=1&lang=en'],
  ['per-dato', '/per/2025-01-01'],
  ['en-forside', '/?lang=en'],
  ['en-per-dato', '/per/2025-01-01?lang=en'],
];

for (const [name, url] of AXE_PAGES) {
  test(`axe: ${name} (${url}) has no WCAG 2.1 AA violations`, async () => {
    const page = await newPage();
    await expectStatus(page, url, 200);
    await screenshot(page, name);
    const violations = await axe(page);
    await page.context().close();
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  });
}

// The timeline is drawn by the server; it must fit the column at every width.
for (const width of [320, 375, 1280]) {
  test(`timeline: a document's life fits at ${width} px`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'nb-NO' });
    const page = await context.newPage();
    await expectStatus(page, '/faktaark/99', 200);
    const figure = page.locator('figure#tidslinje');
    assert.equal(await figure.count(), 1, 'a timeline on a document with two versions');
    const box = await page.locator('svg.timeline').boundingBox();
    assert.ok(box && box.width > 100 && box.x + box.width <= width, `timeline box ${JSON.stringify(box)}`);
    assert.ok(await page.locator('svg.timeline circle').count() >= 2, 'a mark per version');
    await figure.screenshot({ path: path.join(SHOTS, `tidslinje-${width}.png`) });
    await context.close();
  });
}

test('keyboard: the first Tab reaches the skip link and it is visible', async () => {
  const page = await newPage();
  await expectStatus(page, '/faktaark/37', 200);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.className);
  assert.equal(focused, 'skip-link');
  const box = await page.locator('.skip-link').boundingBox();
  assert.ok(box && box.x >= 0 && box.width > 0, 'skip link visible on focus');
  await screenshot(page, 'hopp-til-innhold');
  await page.context().close();
});

// Phones: no page may scroll sideways (a visually hidden span once escaped the history table's
// wrapper and made /faktaark/55 644 px wide at 375 px).
const NARROW_PAGES = ['/', '/faktaark', '/faktaark/55', '/faktaark/99', '/faktaark/99/versjon/1.0',
  '/faktaark/99/sammenlign?fra=1.0&til=2.0', '/faktaark/99/sammenlign?fra=1.0&til=2.0&visning=side',
  '/veiledere', '/utgatt', '/endringer', '/sok?q=tilgang&utgatte=1', '/oppdateringsstatus', '/normen/normen',
  '/faktaark?lang=en', '/utgatt?lang=en', '/endringer?lang=en', '/sok?q=tilgang&utgatte=1&lang=en',
  '/per/2025-01-01', '/?lang=en', '/per/2025-01-01?lang=en'];

for (const width of [320, 375]) {
  test(`phones: no page scrolls sideways at ${width} px`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'nb-NO' });
    const page = await context.newPage();
    const wide = [];
    for (const url of NARROW_PAGES) {
      await expectStatus(page, url, 200);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > width) wide.push(`${url}: ${scrollWidth} px`);
    }
    await expectStatus(page, '/faktaark/55', 200);
    await screenshot(page, `mobil-${width}-faktaark-55`);
    await expectStatus(page, '/faktaark/99/sammenlign?fra=1.0&til=2.0&visning=side', 200);
    await screenshot(page, `mobil-${width}-sammenligning`);
    await context.close();
    assert.deepEqual(wide, [], `pages wider than ${width} px`);
  });
}
