// What every browser test shares: the fixture tests/tests/browser.rs made, a headless
// Chromium, and axe-core's check of a page.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

export const fixture = JSON.parse(process.env.LAPOR_BROWSER_FIXTURE ?? "{}");

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** A headless Chromium as this machine runs it (no sandbox as root, no network beyond the app). */
export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** A fresh browser profile, with JavaScript on or off, that fails on any error the page logs. */
export async function visitor(browser, javaScriptEnabled) {
  const context = await browser.newContext({ baseURL: fixture.base, javaScriptEnabled });
  const page = await context.newPage();
  // What went wrong on the page: a script error, a CSP refusal, an asset that failed to load
  // (a page answering 404 on purpose is the test's to check).
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("response", (r) => {
    if (r.request().resourceType() !== "document" && r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  page.problems = problems;
  page.javaScriptEnabled = javaScriptEnabled;
  return page;
}

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is: no violation. Run through the
 * DevTools protocol, which the page's Content-Security-Policy does not govern.
 */
export async function accessible(page) {
  // A page without JavaScript cannot run axe: its HTML is checked in a page that can, at the
  // same address (so that its stylesheet loads as it did).
  let checked = page;
  if (!page.javaScriptEnabled) {
    const html = await page.content();
    const context = await page.context().browser().newContext({ baseURL: fixture.base });
    checked = await context.newPage();
    await checked.goto(new URL(page.url()).origin + "/manifest.webmanifest");
    await checked.setContent(html, { waitUntil: "load" });
  }
  try {
    return await check(checked, page.url());
  } finally {
    if (checked !== page) await checked.context().close();
  }
}

async function check(page, url) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
  assert.deepEqual(found, [], `axe found on ${url}`);
}

/** The page's one `<h1>`. */
export async function heading(page) {
  const headings = page.locator("h1");
  assert.equal(await headings.count(), 1, `one h1 on ${page.url()}`);
  return (await headings.textContent()).trim();
}
