// The certification test, start to result: an attendee whose attendance was taken and whose
// fee was waived opens the test from the dashboard, answers every question of the seeded
// bank, comes back to a saved answer after leaving the page, reviews and submits.
// With JavaScript on (each change saved at once, with a visible acknowledgement) and off.
import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CITC, answer, eligibleAttendee, forgetSession, jsOn, open, ready, scheduleClass, shot, signIn } from './helpers';

test('an eligible attendee takes the test, resumes a saved answer, reviews and submits', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo);
  await forgetSession(page);

  const person = await eligibleAttendee(page, testInfo, id, 'exam');
  // No error in the browser's console through the whole test (a timer left behind by each
  // move between questions once failed every second).
  const consoleErrors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await signIn(page, testInfo, person.email, person.password);
  await page.getByRole('link', { name: `Go to the test for ${CITC}`, exact: true }).click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Certification test: ${CITC}`);
  await page.getByRole('button', { name: 'Start the test', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  await ready(page, testInfo);
  const attemptUrl = new URL(page.url()).pathname;
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(/^Question 1 of \d+$/);
  const total = Number(/of (\d+)$/.exec((await heading.textContent()) ?? '')?.[1]);
  expect(total).toBeGreaterThan(5);
  await expect(page.getByText(/^Ends at /)).toBeVisible();
  await shot(page, testInfo, 'exam-question-1');
  await page.setViewportSize({ width: 360, height: 780 });
  await shot(page, testInfo, 'exam-question-1-phone');
  await page.setViewportSize({ width: 1280, height: 720 });

  await answer(page);
  if (jsOn(testInfo)) {
    // Saved at once, before any button is pressed.
    await expect(page.getByRole('status').filter({ hasText: /^Saved \d/ })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Save and next', exact: true }).click();
  await expect(heading).toHaveText(`Question 2 of ${total}`);
  await ready(page, testInfo);

  // Leaving and coming back: the person lands on the question they were at (2), and
  // question 1 still holds the saved answer.
  await open(page, testInfo, '/dashboard');
  await open(page, testInfo, attemptUrl);
  await expect(heading).toHaveText('Question 2 of ' + total);
  await page.getByRole('navigation', { name: 'Questions' }).getByRole('button', { name: /^Question 1, answered/ }).click();
  await expect(heading).toHaveText('Question 1 of ' + total);
  await ready(page, testInfo);
  const chosen = page.locator('form.test-form fieldset.question input:checked, form.test-form fieldset.question input[type=text]:not([value=""]), form.test-form fieldset.question textarea');
  await expect(chosen.first()).toBeAttached();

  // Answer the rest, flag one for review.
  await page.getByRole('button', { name: 'Save and next', exact: true }).click();
  for (let n = 2; n <= total; n++) {
    await expect(heading).toHaveText(`Question ${n} of ${total}`);
    await ready(page, testInfo);
    await answer(page);
    if (n === 3) {
      await page.getByLabel('Flag this question to review it before you submit', { exact: true }).check();
    }
    const next = n === total ? 'Save and review before submitting' : 'Save and next';
    await page.getByRole('button', { name: next, exact: true }).click();
  }
  await expect(page).toHaveURL(/\/attempts\/\d+\/review$/);
  await ready(page, testInfo);
  await expect(page.getByText('You answered every question.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Flagged for review (1)' })).toBeVisible();
  await shot(page, testInfo, 'exam-review');
  await page.getByRole('button', { name: 'Submit the test', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+\/result$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your result');
  await expect(page.locator('.result')).toContainText(/Passed: \d+%|Not passed: \d+%|Submitted\./);
  await shot(page, testInfo, 'exam-result');
  expect(consoleErrors, 'errors in the browser console').toEqual([]);
});
