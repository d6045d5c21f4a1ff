// Opens suanpan's HTML report from disk in headless Chromium, with every request that is not
// the page itself refused, and uses it as a reader would: the overview table, sorting by a
// column, filtering by rule, severity and search, the marked figure of the SP0105 excerpt,
// then screenshots of the screen and of print media, and the page printed to PDF (A4).
//
// Usage (tests/browser.rs runs it): node report.mjs CHROMIUM REPORT.html RUN.jsonl OUTDIR
// RUN.jsonl is `suanpan check --format jsonl` of the same paths: the findings and reports the
// page must show. Exits 1 with the failed assertions listed, 0 when all hold.

import puppeteer from 'puppeteer-core';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [chromium, reportPath, jsonlPath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node report.mjs CHROMIUM REPORT.html RUN.jsonl OUTDIR');
  process.exit(2);
}

const failures = [];
function check(ok, what) {
  if (ok) {
    console.log(`ok   ${what}`);
  } else {
    console.log(`FAIL ${what}`);
    failures.push(what);
  }
}

// What the page must show, from the same run's JSON lines.
const lines = readFileSync(jsonlPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const diagnostics = lines.filter((l) => l.code);
const reports = lines.filter((l) => l.report !== undefined && !l.code);
const byRule = {};
for (const d of diagnostics) byRule[d.code] = (byRule[d.code] || 0) + 1;

const profile = mkdtempSync(join(tmpdir(), 'suanpan-chromium-'));
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  userDataDir: profile,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
  ],
});

try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Offline: the page itself (a file) is the only thing it may load.
  const url = pathToFileURL(reportPath).href;
  const requests = [];
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (r.url() === url) {
      r.continue();
    } else {
      requests.push(r.url());
      r.abort();
    }
  });
  await page.goto(url, { waitUntil: 'load' });

  // The overview: a row per report, with its counts.
  const rows = await page.$$eval('#list tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  check(rows.length === reports.length, `overview lists every report (${rows.length} rows, ${reports.length} reports)`);
  const heads = await page.$$eval('#list thead th', (ths) => ths.map((th) => th.textContent.trim()));
  const errCol = heads.findIndex((h) => h === '错误' || h === 'errors');
  check(errCol >= 0, `the table has an errors column (${heads.join(' | ')})`);
  const errors = rows.map((r) => Number(r[errCol]));
  const want = reports.map((r) => r.errors).sort((a, b) => a - b);
  check(
    JSON.stringify([...errors].sort((a, b) => a - b)) === JSON.stringify(want),
    `error counts match the run (${errors} vs ${want})`,
  );

  // Sorting: a click on the score heading sorts ascending (a report with no score first), a
  // second descending; the report column sorts as text.
  const scoreCol = heads.findIndex((h) => h === '自评分' || h === 'score');
  check(scoreCol >= 0, 'the table has a score column');
  const column = (i) => page.$$eval('#list tbody tr', (trs, i) => trs.map((tr) => tr.cells[i].textContent.trim()), i);
  const num = (t) => (Number.isNaN(parseFloat(t)) ? -Infinity : parseFloat(t));
  const scores = reports.map((r) => num(r.stated_score || '')).sort((a, b) => a - b);
  check(new Set(scores).size >= 3, `the reports' scores differ, so sorting shows (${scores})`);
  const heading = (i) => `#list thead th:nth-child(${i + 1})`;
  await page.click(`${heading(scoreCol)} button`);
  let col = (await column(scoreCol)).map(num);
  check(JSON.stringify(col) === JSON.stringify(scores), `sorted ascending by score: ${col}`);
  check((await page.$eval(heading(scoreCol), (th) => th.getAttribute('aria-sort'))) === 'ascending', 'the heading says ascending (aria-sort)');
  await page.click(`${heading(scoreCol)} button`);
  col = (await column(scoreCol)).map(num);
  check(JSON.stringify(col) === JSON.stringify([...scores].reverse()), `sorted descending by score: ${col}`);
  await page.click(`${heading(0)} button`);
  const names = await column(0);
  const byName = [...names].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  check(JSON.stringify(names) === JSON.stringify(byName), 'sorted by report name');

  const visibleFindings = () =>
    page.$$eval('article.finding', (as) =>
      as.filter((a) => !a.closest('.hide') && !a.classList.contains('hide')).map((a) => [a.dataset.rule, a.dataset.sev]),
    );
  const visibleRows = () => page.$$eval('#list tbody tr', (trs) => trs.filter((tr) => !tr.classList.contains('hide')).length);

  // Filtering by rule: only that rule's findings stay, and only the reports that have one.
  const rule = 'SP0201';
  check(byRule[rule] > 0, `the run has ${rule} findings to filter on`);
  await page.select('#rule', rule);
  let shown = await visibleFindings();
  check(
    shown.length === byRule[rule] && shown.every(([r]) => r === rule),
    `filtering by ${rule} leaves its ${byRule[rule]} finding(s) only (${shown.length} shown: ${[...new Set(shown.map(([r]) => r))]})`,
  );
  const withRule = new Set(diagnostics.filter((d) => d.code === rule).map((d) => d.file)).size;
  check((await visibleRows()) === withRule, `and the ${withRule} report(s) holding one`);
  await page.screenshot({ path: join(outDir, 'filtered-by-rule.png'), fullPage: true });
  await page.select('#rule', '');
  shown = await visibleFindings();
  check(shown.length === diagnostics.length, `clearing the rule shows all ${diagnostics.length} findings again (${shown.length})`);

  // Filtering by severity: errors unticked.
  await page.click('#sev input[value=error]');
  shown = await visibleFindings();
  const nonErrors = diagnostics.filter((d) => d.severity !== 'error').length;
  check(
    shown.length === nonErrors && shown.every(([, s]) => s !== 'error'),
    `unticking errors hides them (${shown.length} shown, ${nonErrors} expected)`,
  );
  await page.click('#sev input[value=error]');

  // The search box, over titles and paths.
  await page.type('#q', '四川');
  await new Promise((r) => setTimeout(r, 400));
  const titles = await page.$$eval('#list tbody tr', (trs) => trs.filter((tr) => !tr.classList.contains('hide')).map((tr) => tr.dataset.q));
  check(titles.length >= 1 && titles.every((t) => t.includes('四川')), `searching 四川 leaves the matching reports (${titles.length})`);
  await page.$eval('#q', (q) => {
    q.value = '';
    q.dispatchEvent(new Event('input'));
  });
  await new Promise((r) => setTimeout(r, 400));
  check((await visibleRows()) === reports.length, 'clearing the search lists every report again');

  // The SP0105 finding: its report opened, the stated total marked in the excerpt.
  const sp0105 = diagnostics.find((d) => d.code === 'SP0105');
  check(Boolean(sp0105), 'the run has the seed report SP0105 finding');
  const mark = await page.evaluate(() => {
    const a = document.querySelector('article.finding[data-rule=SP0105]');
    if (!a) return null;
    a.closest('details').open = true;
    a.scrollIntoView();
    const m = a.querySelector('pre.excerpt mark.p');
    if (!m) return null;
    const box = m.getBoundingClientRect();
    const style = getComputedStyle(m);
    return { text: m.textContent, width: box.width, height: box.height, background: style.backgroundColor };
  });
  if (sp0105) {
    const primary = sp0105.labels[0];
    const src = readFileSync(primary.file);
    const stated = src.subarray(primary.byte_start, primary.byte_end).toString('utf8');
    check(mark && mark.text === stated, `the SP0105 excerpt marks the stated total "${stated}" (${mark && mark.text})`);
    check(mark && mark.width > 0 && mark.height > 0, 'the mark is laid out and visible');
    check(
      mark && mark.background !== 'rgba(0, 0, 0, 0)' && mark.background !== 'transparent',
      `the mark has a background (${mark && mark.background})`,
    );
  }
  await page.screenshot({ path: join(outDir, 'sp0105.png') });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(outDir, 'screen.png'), fullPage: true });

  // Print: the controls gone, every report open, a page per report.
  await page.emulateMediaType('print');
  const printed = await page.evaluate(() => ({
    controls: getComputedStyle(document.querySelector('.controls')).display,
    overviewFirst:
      document.querySelector('#top').getBoundingClientRect().top <
      document.querySelector('section.report').getBoundingClientRect().top,
  }));
  check(printed.controls === 'none', 'print media hides the controls');
  check(printed.overviewFirst, 'printed, the overview comes before the reports');
  await page.screenshot({ path: join(outDir, 'print-media.png'), fullPage: true });
  // The PDF as Chromium prints it (print media, as a person's "Save as PDF").
  await page.emulateMediaType(null);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  writeFileSync(join(outDir, 'report.pdf'), pdf);
  const pages = (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  check(pages >= reports.length + 1, `printed to PDF: ${pages} A4 pages for the overview and ${reports.length} reports`);

  check(requests.length === 0, `nothing else was requested (${requests.join(', ') || 'none'})`);
  check(problems.length === 0, `no console errors (${problems.join('; ') || 'none'})`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}

if (failures.length) {
  console.log(`\n${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('\nall checks passed');
