// The certification test against the clock, and against a slow network. The attempt's
// deadline is moved in the database (`seedSql`) so that minutes pass in seconds: warnings at
// 10, 5 and 1 minute, then 0:00 on an open question (locked, submitted, the result shown).
// Without JavaScript, a request for the attempt after its deadline leads to the result. A
// choice made on the server-rendered page before the application takes over is kept and
// saved.
import { type Page, type TestInfo, expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CAN_SEED, CITC, answer, eligibleAttendee, forgetSession, jsOn, open, ready, scheduleClass, seedSql, shot, signIn } from './helpers';

test.skip(!CAN_SEED, 'E2E_DATABASE_URL is not set (the deadline is moved in the database)');

/** A new eligible attendee starts the CITC test; returns the attempt's id. */
async function startTest(page: Page, testInfo: TestInfo, tag: string): Promise<number> {
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo);
  await forgetSession(page);
  const person = await eligibleAttendee(page, testInfo, id, tag);
  await signIn(page, testInfo, person.email, person.password);
  await page.getByRole('link', { name: `Go to the test for ${CITC}`, exact: true }).click();
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Start the test', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  await ready(page, testInfo);
  return Number(/\/attempts\/(\d+)$/.exec(page.url())?.[1]);
}

/** Test-only: attempt `id` ends `seconds` from now. */
function endIn(id: number, seconds: number): void {
  const at = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  seedSql(`UPDATE attempts SET deadline_at = '${at}' WHERE id = ${id}`);
}

test('warnings come at 10, 5 and 1 minute, and at 0:00 the answers lock and go in', async ({ page }, testInfo) => {
  test.skip(!jsOn(testInfo), 'the countdown is the live application');
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const attempt = await startTest(page, testInfo, 'clock');
  const countdown = page.locator('.countdown-left');
  const live = page.locator('[aria-live="polite"]').filter({ hasText: /minutes? left/ });

  // Hours read as hours.
  await expect(countdown).toHaveText(/^\d+ h \d+ min left$|^\d+:\d\d left$/);

  // 10 minutes: crossed a few seconds after the page loads, shown and announced once.
  endIn(attempt, 603);
  await page.reload();
  await ready(page, testInfo);
  await expect(live).toHaveText(/^10 minutes left\./, { timeout: 15_000 });
  await expect(page.locator('.time-warning')).toHaveText(/^10 minutes left\./);
  await expect(countdown).toHaveText(/^(9|10):\d\d left$/);
  await shot(page, testInfo, 'test-time-10-minutes');

  endIn(attempt, 303);
  await page.reload();
  await ready(page, testInfo);
  await expect(live).toHaveText(/^5 minutes left\./, { timeout: 15_000 });

  // The last minute: a choice made now is saved, then the time runs out on the open question.
  endIn(attempt, 63);
  await page.reload();
  await ready(page, testInfo);
  await expect(live).toHaveText(/^1 minute left\./, { timeout: 15_000 });
  await answer(page);
  await expect(page.getByRole('status').filter({ hasText: /^Saved \d/ })).toBeVisible();
  await shot(page, testInfo, 'test-time-last-minute');
  // The page says the time is up, locks the question and submits; the result follows at
  // once (too fast to catch the message reliably, so the result is what is checked).
  await expect(page).toHaveURL(new RegExp(`/attempts/${attempt}/result$`), { timeout: 80_000 });
  await ready(page, testInfo);
  await expect(page.getByText('Your time ran out, so the answers you had saved were submitted for you.')).toBeVisible();
  await expect(page.locator('.result')).toContainText(/Passed: \d+%|Not passed: \d+%|Submitted\./);
  await shot(page, testInfo, 'test-time-result');
  expect(errors).toEqual([]);
});

test('after the deadline, the attempt leads to its result', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const attempt = await startTest(page, testInfo, 'late');
  await answer(page);
  await page.getByRole('button', { name: 'Save and next', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Question 2 of \d+$/);
  // Past the deadline and its grace: any request for the attempt leads to the result.
  endIn(attempt, -120);
  for (const path of [`/attempts/${attempt}`, `/attempts/${attempt}?q=1`, `/attempts/${attempt}/review`]) {
    await open(page, testInfo, path);
    await expect(page).toHaveURL(new RegExp(`/attempts/${attempt}/result$`));
    await expect(page.getByText('Your time ran out, so the answers you had saved were submitted for you.')).toBeVisible();
  }
  await shot(page, testInfo, 'test-time-late');
});

test('a choice made before the application takes over is kept and saved', async ({ page }, testInfo) => {
  test.skip(!jsOn(testInfo), 'hydration is the live application');
  test.setTimeout(180_000);
  const attempt = await startTest(page, testInfo, 'slow');
  // A slow link (about 1.6 Mbit/s): the page is readable long before its application runs.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: 200 * 1024, uploadThroughput: 100 * 1024,
  });
  await page.goto(`/attempts/${attempt}`, { waitUntil: 'domcontentloaded' });
  // The first question drawn may be a choice or a typed answer.
  const field = page.locator('form.test-form fieldset.question input').nth(1);
  const typed = page.locator('#answer-text');
  const choice = (await typed.count()) === 0;
  const act = () => (choice ? field.check() : typed.fill('Kept before hydration'));
  const kept = () => (choice ? expect(field).toBeChecked() : expect(typed).toHaveValue('Kept before hydration'));
  await act();
  expect(await page.locator('html').getAttribute('data-hydrated'), 'changed before hydration').toBeNull();
  await ready(page, testInfo);
  await kept();
  await expect(page.getByRole('status').filter({ hasText: /^Saved \d/ })).toBeVisible({ timeout: 20_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  // The server has it: a fresh load shows it chosen.
  await page.reload();
  await ready(page, testInfo);
  await kept();
});
