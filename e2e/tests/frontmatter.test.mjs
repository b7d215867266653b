// A guide imported with YAML front matter and site markup, as the corpus holds them, seen in a
// real browser: the front matter is metadata (its description is the summary), the site markup
// is hidden, the body's own first heading does not make a second h1, and the page fits a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, axe, api as call } from '../lib.mjs';

const BASE = process.env.BASE_URL;
const TOKEN = process.env.E2E_TOKEN;
const SHOTS = process.env.SCREENSHOTS;
assert.ok(BASE && TOKEN && SHOTS, 'run through e2e/run.sh');
const api = (method, url, body) => call(BASE, TOKEN, method, url, body);

const BODY = `---
title: eFormidling – kom i gang
description: Slik tar virksomheten i bruk eFormidling, steg for steg.
summary: Kort om oppsettet
sidebar: eformidling_sidebar
redirect_from: /eformidling/kom-i-gang
---

* TOC
{:toc}

# Kom i gang

Virksomheten må ha en avtale før oppsettet begynner.

## Tilgang

Tilgang gis per organisasjonsnummer.
{: .note}
`;

let browser;
let url;
before(async () => {
  browser = await launch();
  const doc = await api('POST', '/api/v1/documents', {
    kind: 'guide', language: 'nb', title: 'eFormidling – kom i gang', body: BODY,
  });
  await api('POST', `/api/v1/documents/${doc.id}/publish`, {
    change_kind: 'substantive', change_note: 'Første versjon',
  });
  url = (await api('GET', `/api/v1/documents/${doc.id}`)).url;
  assert.ok(url && url.startsWith('/veileder/'), `the guide's address: ${url}`);
});
after(async () => { await browser?.close(); });

for (const width of [320, 375, 1280]) {
  test(`front matter: metadata, not text, at ${width} px`, async () => {
    // CSP off only so axe can be injected; the page's own markup is what is checked.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 }, locale: 'nb-NO' });
    const page = await context.newPage();
    const res = await page.goto(BASE + url);
    assert.equal(res.status(), 200, url);
    const text = await page.locator('main').innerText();
    for (const markup of ['title:', 'description:', 'sidebar:', 'redirect_from:', '{:toc}', '{: .note}', '* TOC']) {
      assert.ok(!text.includes(markup), `${markup} is shown on ${url}`);
    }
    assert.ok(text.includes('Slik tar virksomheten i bruk eFormidling, steg for steg.'), 'the description is the summary');
    assert.ok(text.includes('Tilgang gis per organisasjonsnummer.'));
    assert.equal(await page.locator('h1').count(), 1, 'one h1');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `${scrollWidth} px wide at ${width} px`);
    await page.screenshot({ path: path.join(SHOTS, `frontmatter-${width}.png`), fullPage: true });
    if (width === 1280) {
      assert.deepEqual(await axe(page), []);
    }
    await context.close();
  });
}
