// The certification test, start to result: an attendee whose attendance was taken and whose
// fee was waived opens the test from the dashboard, answers every question of the seeded
// bank, comes back to a saved answer after leaving the page, reviews and submits.
// With JavaScript on (each change saved at once, with a visible acknowledgement) and off.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CITC, forgetSession, newPerson, open, ready, scheduleClass, shot, signIn, signUp, jsOn } from './helpers';

/** The admin takes the roll of both sessions, waives the fee and opens the test window. */
async function makeEligible(page: Page, testInfo: TestInfo, id: number, name: string): Promise<void> {
  for (const session of [1, 2]) {
    await open(page, testInfo, `/teach/offerings/${id}`);
    await page.getByRole('link', { name: `Roll call for session ${session}`, exact: true }).click();
    await ready(page, testInfo);
    await page.getByRole('button', { name: 'Mark everyone not yet marked as present', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  }
  await open(page, testInfo, `/admin/offerings/${id}`);
  await page.getByLabel(`Payment status for ${name}`, { exact: true }).selectOption({ label: 'Waived' });
  await page.getByRole('button', { name: `Save payment for ${name}`, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Payment recorded.' })).toBeVisible();
  await open(page, testInfo, `/teach/offerings/${id}`);
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByLabel('Test opens on', { exact: true }).fill(yesterday < today ? yesterday : today);
  await page.getByLabel('Test closes after', { exact: true }).fill(later);
  await page.getByRole('button', { name: 'Save the test window', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Test window saved.' })).toBeVisible();
}

/** Answers the question on screen with its first option or a short text. */
async function answer(page: Page): Promise<void> {
  const form = page.locator('form.test-form');
  const radios = form.getByRole('radio');
  const boxes = form.locator('fieldset.question').getByRole('checkbox');
  if ((await radios.count()) > 0) {
    await radios.first().check();
  } else if ((await boxes.count()) > 0) {
    await boxes.first().check();
  } else {
    // A typed answer is saved when the person leaves the field (the change event).
    const field = form.getByLabel('Your answer', { exact: true });
    await field.fill('Crisis Intervention Team');
    await field.blur();
  }
}

test('an eligible attendee takes the test, resumes a saved answer, reviews and submits', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo);
  await forgetSession(page);

  const person = newPerson(testInfo, 'exam');
  await signUp(page, testInfo, person);
  await open(page, testInfo, `/offerings/${id}`);
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await forgetSession(page);

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await makeEligible(page, testInfo, id, person.name);
  await forgetSession(page);

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

  await answer(page);
  if (jsOn(testInfo)) {
    // Saved at once, before any button is pressed.
    await expect(page.getByRole('status').filter({ hasText: /^Saved \d/ })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Save and next', exact: true }).click();
  await expect(heading).toHaveText(`Question 2 of ${total}`);
  await ready(page, testInfo);

  // Leaving and coming back: question 1 still holds the saved answer.
  await open(page, testInfo, '/dashboard');
  await open(page, testInfo, attemptUrl);
  await expect(heading).toHaveText('Question 1 of ' + total);
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
});
