// An administrator edits a live course, one whose topics have questions and a published test
// (issue 21): the fee and the topics change in place, a topic in use cannot be deleted (the
// refusal is next to its state), an unused one can, and a retired one leaves the catalog while
// its questions keep it. With JavaScript on and off.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createCourseWithTest, open, shot, signIn } from './helpers';

const GIFT = `$CATEGORY: Opening the call

::Calm voice::What helps most in the first minute of a crisis call?
{=A calm, slow voice and your name ~Questions about insurance ~Silence}

::Name::Should you tell the caller your name? {T}
`;

/** The form's row for the topic now at `place` and titled `title`. */
function topicRow(page: Page, place: number, title: string, retired = false) {
  return page.getByRole('group', { name: `Topic ${place}: ${title}${retired ? ' (retired)' : ''}`, exact: true });
}

async function saveCourse(page: Page, code: string): Promise<void> {
  await page.getByRole('button', { name: 'Save the course', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/courses/${code}\\?saved=1$`));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

test('an administrator edits a course that has questions: fee, rename, reorder, add, retire, delete', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const tag = `${testInfo.project.name === 'js-on' ? 'J' : 'N'}${Date.now().toString(36).slice(-5).toUpperCase()}`;
  const code = `TP${tag}`;
  const title = `Live course ${tag}`;
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createCourseWithTest(page, testInfo, { code, title, topic: 'Opening the call', gift: GIFT, questions: 2, passMark: 50 });

  // Fee, a rename and two new topics, in one save.
  await open(page, testInfo, `/admin/courses/${code}/edit`);
  const first = topicRow(page, 1, 'Opening the call');
  await expect(first).toContainText('2 question version(s) use it');
  await shot(page, testInfo, 'course-edit-topics');
  await page.getByLabel('Fee in dollars', { exact: true }).fill('475');
  await first.getByLabel('Title', { exact: true }).fill('Opening a crisis call');
  await page.getByLabel('Add topics, one per line', { exact: true }).fill('Closing the call\nA topic added by mistake');
  await saveCourse(page, code);
  const topics = page.locator('ol').filter({ hasText: 'Opening a crisis call' }).locator(':scope > li');
  await expect(topics).toHaveText(['Opening a crisis call', 'Closing the call', 'A topic added by mistake']);
  await expect(page.getByText('$475').first()).toBeVisible();

  // Deleting the topic the questions are on is refused next to its state; nothing changes.
  await open(page, testInfo, `/admin/courses/${code}/edit`);
  await page.getByLabel('Fee in dollars', { exact: true }).fill('500');
  const inUse = topicRow(page, 1, 'Opening a crisis call');
  await inUse.getByLabel('State', { exact: true }).selectOption({ label: 'Delete (only when nothing uses it)' });
  await page.getByRole('button', { name: 'Save the course', exact: true }).click();
  const refusal = page.locator('.field-error').filter({ hasText: '“Opening a crisis call” cannot be deleted' });
  await expect(refusal).toBeVisible();
  await expect(topicRow(page, 1, 'Opening a crisis call').getByLabel('State', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await shot(page, testInfo, 'course-edit-topic-in-use-refused');
  await open(page, testInfo, `/courses/${code}`);
  await expect(page.getByText('$475').first()).toBeVisible();
  await expect(page.getByText('$500')).toHaveCount(0);

  // Move the new topic first, retire the one in use, delete the unused one.
  await open(page, testInfo, `/admin/courses/${code}/edit`);
  await topicRow(page, 2, 'Closing the call').getByLabel('Place in the list', { exact: true }).fill('1');
  await topicRow(page, 1, 'Opening a crisis call').getByLabel('State', { exact: true }).selectOption('retired');
  await topicRow(page, 3, 'A topic added by mistake').getByLabel('State', { exact: true }).selectOption('delete');
  await saveCourse(page, code);
  await expect(page.locator('main')).toContainText('Closing the call');
  await expect(page.locator('main')).not.toContainText('Opening a crisis call');
  await expect(page.locator('main')).not.toContainText('A topic added by mistake');

  // The form keeps the retired topic (it can come back), in its new place; the bank still
  // names it for its questions.
  await open(page, testInfo, `/admin/courses/${code}/edit`);
  await expect(topicRow(page, 1, 'Closing the call')).toBeVisible();
  await expect(topicRow(page, 2, 'Opening a crisis call', true)).toBeVisible();
  await expect(page.getByRole('group', { name: /A topic added by mistake/ })).toHaveCount(0);
  await shot(page, testInfo, 'course-edit-topics-after');
  await open(page, testInfo, `/teach/bank/${code}`);
  await expect(page.locator('main')).toContainText('Opening a crisis call');
});
