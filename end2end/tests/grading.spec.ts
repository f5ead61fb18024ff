// Grading an essay changes the attendee's result. The administrator makes a small course of
// its own (one topic; a single-choice question and an essay, both drawn, options in written
// order), schedules a class, and makes an attendee eligible; the attendee answers and
// submits and is told an instructor will grade. The administrator grades the essay from the
// anonymous queue ("Save and grade next"), and the attendee's result now shows a pass.
// With JavaScript on and off.
import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createCourseWithTest, eligibleAttendee, forgetSession, open, ready, scheduleClass, shot, signIn } from './helpers';

const GIFT = `$CATEGORY: Opening the call

::Calm voice::What helps most in the first minute of a crisis call?
{=A calm, slow voice and your name ~Questions about insurance ~Silence}

::Opening::Describe how you would open a call with a person in crisis. {}
`;

test('an instructor grades an essay and the attendee sees the result change', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const tag = `${testInfo.project.name === 'js-on' ? 'J' : 'N'}${Date.now().toString(36).slice(-5).toUpperCase()}`;
  const code = `GR${tag}`;
  const title = `Grading practice ${tag}`;

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createCourseWithTest(page, testInfo, { code, title, topic: 'Opening the call', gift: GIFT, questions: 2, passMark: 75, fixedOptions: true });

  const id = await scheduleClass(page, testInfo, { course: title });
  await forgetSession(page);

  const person = await eligibleAttendee(page, testInfo, id, 'graded');

  // The attendee: the right option, an essay, submit.
  await signIn(page, testInfo, person.email, person.password);
  await page.getByRole('link', { name: `Go to the test for ${title}`, exact: true }).click();
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Start the test', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  await ready(page, testInfo);
  const heading = page.getByRole('heading', { level: 1 });
  for (const n of [1, 2]) {
    await expect(heading).toHaveText(`Question ${n} of 2`);
    await ready(page, testInfo);
    const radios = page.locator('form.test-form').getByRole('radio');
    if ((await radios.count()) > 0) {
      await page.getByLabel('A calm, slow voice and your name', { exact: true }).check();
    } else {
      const field = page.getByLabel('Your answer', { exact: true });
      await field.fill('I would say my name, slow down, and ask how they are safe right now.');
      await field.blur();
    }
    const next = n === 2 ? 'Save and review before submitting' : 'Save and next';
    await page.getByRole('button', { name: next, exact: true }).click();
  }
  await expect(page).toHaveURL(/\/attempts\/\d+\/review$/);
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Submit the test', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+\/result$/);
  const result = new URL(page.url()).pathname;
  await expect(page.locator('.result')).toContainText('Some answers are graded by an instructor');
  await forgetSession(page);

  // The grader: the queue shows a code, not the name; grade the essay full marks.
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/teach/offerings/${id}`);
  await page.getByRole('link', { name: 'Grading queue', exact: true }).click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Grading: ${title}`);
  await expect(page.locator('main')).not.toContainText(person.name);
  await shot(page, testInfo, 'grading-queue');
  await page.getByRole('link', { name: /^Grade the first of 1 waiting answer$/ }).click();
  await ready(page, testInfo);
  await expect(page.getByText('ask how they are safe right now')).toBeVisible();
  await page.getByLabel('Points (0 to 1)', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Save and grade next', exact: true }).click();
  await expect(page.getByText('This question is worth 1 point; enter at most that.')).toBeVisible();
  await page.getByLabel('Points (0 to 1)', { exact: true }).fill('1');
  await page.getByLabel('Feedback to the attendee (optional)', { exact: true }).fill('A safe, warm opening.');
  await page.getByRole('button', { name: 'Save and grade next', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Every waiting answer is graded.' })).toBeVisible();
  await ready(page, testInfo);
  await shot(page, testInfo, 'grading-done');
  await forgetSession(page);

  await signIn(page, testInfo, person.email, person.password);
  await open(page, testInfo, result);
  await expect(page.locator('.result')).toContainText('Passed: 100%');
  await expect(page.getByText('A safe, warm opening.')).toBeVisible();
});
