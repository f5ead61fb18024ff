// Course evaluations. The administrator makes a course of this run's own and schedules a
// class; a person registers and another is made its instructor; the class's sessions are
// then moved into the past in the database (no journey ends a class in a test's time). The
// attendee sees the dashboard's request, sends the form once with a rating missing (the
// message appears next to that item and every other answer stays), then complete, reads the
// thanks, and finds no way to send it again. The instructor sees the figures; the
// administrator publishes the comment and it appears on the course page. JavaScript on and off.
import { expect, test, type Page } from '@playwright/test';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, CAN_SEED, forgetSession, newPerson, open, ready, scheduleClass, seedSql, shot, signIn, signUp,
} from './helpers';

const CONTENT = 'The content was clear, accurate and well organised.';
const PRESENTERS = 'The presenters knew the subject and explained it well.';
const BALANCE = 'The class had a good balance of lecture and time for questions.';
const RELEVANCE = 'What I learned is relevant to my work.';
const OVERALL = 'Overall, how would you rate this class?';

/** An instant `hours` from now as the server stores it (RFC 3339, seconds, UTC). */
function instant(hours: number): string {
  return new Date(Date.now() + hours * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The radio button `label` of the item whose statement is `legend`. */
function choice(page: Page, legend: string, label: string) {
  return page.getByRole('group', { name: legend, exact: true }).getByLabel(label, { exact: true });
}

test('an attendee evaluates an ended class once; its instructor sees the figures; the admin publishes the comment', async ({ page }, testInfo) => {
  test.skip(!CAN_SEED, 'needs `cargo xtask test` (it says which database the server uses)');
  test.setTimeout(240_000);
  const tag = `${testInfo.project.name === 'js-on' ? 'J' : 'N'}${Date.now().toString(36).slice(-5).toUpperCase()}`;
  const code = `EV${tag}`;
  const course = `Crisis call practice ${tag}`;
  const comment = `The role plays with real calls were the best part (${tag}).`;

  // The administrator makes a course and schedules a class of it.
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, '/admin/courses/new');
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByLabel('Title', { exact: true }).fill(course);
  await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Training' });
  await page.getByLabel('One-sentence summary', { exact: true }).fill('Practice with crisis calls.');
  await page.getByLabel('Description (Markdown)', { exact: true }).fill('Scenario-based practice.');
  await page.getByLabel('Hours of instruction', { exact: true }).fill('8');
  await page.getByLabel('Fee in dollars', { exact: true }).fill('0');
  await page.getByLabel('Format', { exact: true }).fill('Online, live');
  await page.getByLabel('Topics, one per line', { exact: true }).fill('Call management');
  await page.getByRole('button', { name: 'Save the course', exact: true }).click();
  await expect(page).not.toHaveURL(/\/admin\/courses\/new$/);
  const id = await scheduleClass(page, testInfo, { course });
  await forgetSession(page);

  // Its instructor-to-be and its attendee sign up; the attendee registers.
  const teacher = newPerson(testInfo, 'teacher');
  await signUp(page, testInfo, teacher);
  await forgetSession(page);
  const person = newPerson(testInfo, 'evaluator');
  await signUp(page, testInfo, person);
  await open(page, testInfo, `/offerings/${id}`);
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));

  // The class took place three and two days ago; the teacher is its instructor.
  const meeting = (pick: string) => `(SELECT ${pick}(id) FROM meetings WHERE offering_id = ${id})`;
  seedSql(
    `UPDATE meetings SET starts_at = '${instant(-72)}', ends_at = '${instant(-68)}' WHERE id = ${meeting('MIN')}; `
      + `UPDATE meetings SET starts_at = '${instant(-48)}', ends_at = '${instant(-44)}' WHERE id = ${meeting('MAX')}; `
      + `UPDATE users SET role = 'instructor' WHERE email = '${teacher.email}'; `
      + `INSERT INTO offering_instructors (offering_id, user_id) SELECT ${id}, id FROM users WHERE email = '${teacher.email}'`,
  );

  // The dashboard asks for the evaluation.
  await open(page, testInfo, '/dashboard');
  const prompt = page.getByRole('region', { name: 'Tell us how your class went', exact: true });
  await shot(page, testInfo, 'evaluation-prompt');
  await prompt.getByRole('link', { name: `Evaluate ${course}`, exact: true }).click();
  await expect(page).toHaveURL(/\/registrations\/\d+\/evaluation$/);
  await ready(page, testInfo);
  const form = page.url();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Evaluate ${course}`);
  await expect(page.getByText(`“Jordan, ${person.agency}”`)).toBeVisible();

  // Every answer but the presenters' rating: refused next to that item, the rest kept.
  await choice(page, CONTENT, 'Agree').check();
  await choice(page, BALANCE, 'Neutral').check();
  await choice(page, RELEVANCE, 'Strongly agree').check();
  await choice(page, OVERALL, 'Excellent').check();
  await page.getByLabel('Comment (optional)', { exact: true }).fill(comment);
  await page.getByLabel('You may publish my comment on the course page', { exact: true }).check();
  await page.getByRole('button', { name: 'Send my evaluation', exact: true }).click();
  const presenters = page.getByRole('group', { name: PRESENTERS, exact: true });
  await expect(presenters.getByText('Choose a rating for “Presenters”.')).toBeVisible();
  await ready(page, testInfo);
  await expect(page.getByText('Choose a rating for')).toHaveCount(1);
  await expect(choice(page, CONTENT, 'Agree')).toBeChecked();
  await expect(choice(page, BALANCE, 'Neutral')).toBeChecked();
  await expect(choice(page, RELEVANCE, 'Strongly agree')).toBeChecked();
  await expect(choice(page, OVERALL, 'Excellent')).toBeChecked();
  await expect(page.getByLabel('Comment (optional)', { exact: true })).toHaveValue(comment);
  await expect(page.getByLabel('You may publish my comment on the course page', { exact: true })).toBeChecked();
  await shot(page, testInfo, 'evaluation-refused');

  // Complete: sent, thanked, and no way to send it again.
  await choice(page, PRESENTERS, 'Strongly agree').check();
  await page.getByRole('button', { name: 'Send my evaluation', exact: true }).click();
  await expect(page).toHaveURL(/\/registrations\/\d+\/evaluation\?sent=1$/);
  await ready(page, testInfo);
  await expect(page.getByRole('status').filter({ hasText: 'Thank you: your evaluation was sent.' })).toBeVisible();
  await expect(page.getByText(/You sent your evaluation on /)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send my evaluation' })).toHaveCount(0);
  await shot(page, testInfo, 'evaluation-sent');
  await open(page, testInfo, new URL(form).pathname);
  await expect(page.getByText(/You sent your evaluation on /)).toBeVisible();
  await expect(page.getByRole('radio')).toHaveCount(0);
  await open(page, testInfo, '/dashboard');
  await expect(page.getByRole('region', { name: 'Tell us how your class went' })).toHaveCount(0);
  await forgetSession(page);

  // The instructor: one response of one seat, the means and counts, the comment without a name.
  await signIn(page, testInfo, teacher.email, teacher.password);
  await open(page, testInfo, `/teach/offerings/${id}`);
  await page.getByRole('link', { name: 'Course evaluations', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/teach/offerings/${id}/evaluations$`));
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Evaluations: ${course}`);
  await expect(page.locator('.facts')).toContainText('1 of 1 (100%)');
  const means = page.getByRole('table', { name: 'Mean rating of each item, from 1 to 5' });
  for (const [item, mean] of [['Content', '4.00'], ['Presenters', '5.00'], ['Balance of lecture and questions', '3.00'], ['Relevance to my work', '5.00'], ['Overall', '5.00']]) {
    await expect(means.getByRole('row', { name: new RegExp(`^${item} `) })).toContainText(mean);
  }
  const content = page.getByRole('table', { name: 'Content (table)', exact: true });
  await expect(content.getByRole('row', { name: /^Agree / })).toContainText('1');
  await expect(content.getByRole('row', { name: /^Strongly agree / })).toContainText('0');
  await expect(page.getByRole('img', { name: /^Content/ })).toBeVisible();
  await expect(page.getByText(comment)).toBeVisible();
  await expect(page.getByText(person.name)).toHaveCount(0);
  await shot(page, testInfo, 'evaluation-results');
  await forgetSession(page);

  // The administrator publishes the comment from the course's results: it shows on the course page.
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, '/admin/courses');
  await page.getByRole('link', { name: `Evaluations of ${course}`, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/teach/courses/${code}/evaluations$`));
  await ready(page, testInfo);
  await expect(page.getByRole('table', { name: 'Responses and mean ratings of each class' })).toContainText('1 of 1 (100%)');
  await page.getByRole('button', { name: /^Publish on the course page/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Published on the course page.' })).toBeVisible();
  await ready(page, testInfo);
  await expect(page.getByRole('button', { name: /^Withdraw from the course page/ })).toBeVisible();
  await forgetSession(page);
  await open(page, testInfo, `/courses/${code}`);
  const testimonials = page.getByRole('region', { name: 'What participants say', exact: true });
  await expect(testimonials).toContainText(comment);
  await expect(testimonials).toContainText(`— Jordan, ${person.agency}`);
  await shot(page, testInfo, 'testimonial');
});
