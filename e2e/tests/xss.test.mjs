// XSS in a real browser: a document whose body, title and change note carry the payload corpus
// (tests/xss/payloads.txt) is opened with the page's Content-Security-Policy switched off, so the
// sanitiser alone must stop every payload: no dialog may open and no script, frame or event
// handler may reach the DOM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, api as call } from '../lib.mjs';

const BASE = process.env.BASE_URL;
const TOKEN = process.env.E2E_TOKEN;
assert.ok(BASE && TOKEN, 'run through e2e/run.sh');
const PAYLOADS = readFileSync(new URL('../../tests/xss/payloads.txt', import.meta.url), 'utf8')
  .split('\n').filter((l) => l.trim());
const api = (method, url, body) => call(BASE, TOKEN, method, url, body);

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('no payload runs in the browser, even with the CSP switched off', async () => {
  const body = PAYLOADS.map((p) => `## Avsnitt\n\n${p}\n`).join('\n');
  const doc = await api('POST', '/api/v1/documents', {
    kind: 'fact_sheet', number: '77', language: 'nb', title: `XSS-prøve ${PAYLOADS[0]}`, body,
  });
  await api('POST', `/api/v1/documents/${doc.id}/publish`, { change_kind: 'substantive', change_note: PAYLOADS[2] });
  await api('POST', `/api/v1/documents/${doc.id}/drafts`, { body: `${body}\n\nny ${PAYLOADS[1]}` });
  await api('POST', `/api/v1/documents/${doc.id}/publish`, { change_kind: 'substantive', change_note: PAYLOADS[3] });

  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const pages = ['/faktaark/77', '/faktaark/77/versjon/1.0', '/faktaark/77/sammenlign?fra=1.0&til=2.0',
    '/endringer', '/faktaark', `/sok?q=${encodeURIComponent(PAYLOADS[2])}`, '/sok?q=avsnitt'];
  for (const url of pages) {
    const res = await page.goto(BASE + url);
    assert.ok(res.status() < 400, `${url}: ${res.status()}`);
    await page.waitForTimeout(200);
    const bad = await page.evaluate(() => {
      const found = [];
      for (const el of document.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        // The page's JSON-LD is a data block, never run.
        const jsonLd = tag === 'script' && el.type === 'application/ld+json' && el.parentElement === document.head;
        // The document's timeline is drawn by the server, outside the body's markup.
        const timeline = tag === 'svg' && el.classList.contains('timeline') && el.parentElement.matches('figure#tidslinje > .timeline-scroll');
        if (['script', 'iframe', 'object', 'embed', 'svg', 'math', 'base'].includes(tag) && !jsonLd && !timeline) found.push(`<${tag}>`);
        for (const a of el.attributes) {
          if (a.name.startsWith('on')) found.push(`${tag}[${a.name}]`);
          if (/^\s*(javascript|vbscript|data):/i.test(a.value) && ['href', 'src', 'action', 'formaction'].includes(a.name)) {
            found.push(`${tag}[${a.name}=${a.value}]`);
          }
        }
      }
      return found;
    });
    assert.deepEqual(bad, [], `${url} carries ${bad.join(', ')}`);
  }
  assert.deepEqual(dialogs, [], 'a payload opened a dialog');
  await context.close();
});
