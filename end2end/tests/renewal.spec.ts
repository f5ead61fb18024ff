// Renewal by continuing education. A coordinator in the third year of their certificate
// (seeded as an import of someone certified two years ago would be: no journey reaches that
// state in a test's time) registers for a CE class of this run's own; the administrator takes
// the roll of its sessions; the coordinator sees their CE hours reach the requirement, renews,
// and sees the new expiry date, three years after the old one. With JavaScript on and off.
import { expect, test } from '@playwright/test';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, CAN_SEED, addYears, dayFromToday, forgetSession, longDate, newPerson, open, ready,
  scheduleClass, seedCoordinatorCertificate, shot, signIn, signUp, takeRoll,
} from './helpers';

test('a coordinator in year three attends CE, renews, and sees the new expiry', async ({ page }, testInfo) => {
  test.skip(!CAN_SEED, 'needs `cargo xtask test` (it says which database the server uses)');
  test.setTimeout(180_000);
  const tag = `${testInfo.project.name === 'js-on' ? 'J' : 'N'}${Date.now().toString(36).slice(-5).toUpperCase()}`;
  const code = `CE${tag}`;
  const course = `De-escalation update ${tag}`;

  // The administrator sets up a four-hour CE course and schedules a class of it soon.
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, '/admin/courses/new');
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByLabel('Title', { exact: true }).fill(course);
  await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Continuing education' });
  await page.getByLabel('One-sentence summary', { exact: true }).fill('Continuing education for certified coordinators.');
  await page.getByLabel('Description (Markdown)', { exact: true }).fill('What changed in crisis response this year.');
  await page.getByLabel('Hours of instruction', { exact: true }).fill('8');
  await page.getByLabel('Fee in dollars', { exact: true }).fill('0');
  await page.getByLabel('Who may register', { exact: true }).selectOption({ label: 'Holds an active coordinator certificate' });
  await page.getByLabel('Continuing-education hours earned (CE courses)', { exact: true }).fill('4');
  await page.getByLabel('Format', { exact: true }).fill('Online, live');
  await page.getByLabel('Topics, one per line', { exact: true }).fill('Crisis intervention strategies');
  await page.getByRole('button', { name: 'Save the course', exact: true }).click();
  await expect(page).not.toHaveURL(/\/admin\/courses\/new$/);
  // Soon, so that the class falls inside the coordinator's renewal window.
  const id = await scheduleClass(page, testInfo, { course, firstDay: dayFromToday(2) });
  await forgetSession(page);

  // A coordinator whose certificate was issued two years and ten days ago: the renewal
  // window opened ten days ago.
  const person = newPerson(testInfo, 'renewer');
  await signUp(page, testInfo, person);
  const issuedOn = addYears(dayFromToday(-10), -2);
  const oldExpiry = seedCoordinatorCertificate(person.email, person.name, issuedOn);
  const newExpiry = addYears(oldExpiry, 3);
  await open(page, testInfo, '/dashboard');
  const panel = page.getByRole('region', { name: 'Your certification', exact: true });
  await expect(panel.locator('.certification-line')).toHaveText(
    `Certified through ${longDate(oldExpiry)} · renewal window opened ${longDate(addYears(issuedOn, 2))} · CE hours 0 of 4`,
  );
  await expect(panel.getByRole('button', { name: 'Renew my certification' })).toHaveCount(0);
  // The class that would count is offered; the coordinator registers for it.
  await panel.getByRole('link', { name: course, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}$`));
  await ready(page, testInfo);
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await forgetSession(page);

  // The administrator takes the roll of both sessions.
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await takeRoll(page, testInfo, id);
  await forgetSession(page);

  // The hours are there: the coordinator renews, and sees the new date.
  await signIn(page, testInfo, person.email, person.password);
  await expect(panel.locator('.certification-line')).toContainText('CE hours 4 of 4');
  await shot(page, testInfo, 'renewal-ready');
  await panel.getByRole('button', { name: 'Renew my certification', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard\?renewed=1$/);
  await ready(page, testInfo);
  await expect(page.getByRole('status').filter({ hasText: 'Your certification is renewed.' })).toBeVisible();
  await expect(panel.locator('.certification-line')).toContainText(`Certified through ${longDate(newExpiry)}`);
  await expect(panel.getByText('renewed once')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Renew my certification' })).toHaveCount(0);
  await shot(page, testInfo, 'renewal-done');
  await open(page, testInfo, '/certificates');
  await expect(page.getByText(longDate(newExpiry)).first()).toBeVisible();
});
