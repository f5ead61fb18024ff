// Roll call: an instructor (here the administrator) marks a session, a bad entry is refused
// next to its field, "mark everyone present" fills the next session, and the attendee sees
// their standing for the certification test change once the fee is paid. Self check-in: an
// attendee checks in to each session while it is on, without a meeting link, and those
// check-ins alone open the test.
// With JavaScript on and off. Each run schedules its own class; sessions are moved in time
// in the database (roll call is refused before a session starts).
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, CAN_SEED, CITC, forgetSession, moveSession, newPerson, open, ready, scheduleClass, shot, signIn,
  signUp, startClass,
} from './helpers';

async function standing(page: Page, testInfo: TestInfo): Promise<string> {
  await open(page, testInfo, '/dashboard');
  const summary = page.locator('.attendance-summary').filter({ has: page.getByRole('heading', { name: CITC, exact: true }) });
  await expect(summary).toHaveCount(1);
  return (await summary.textContent()) ?? '';
}

test('roll call marks a session, refuses a bad entry, and the attendee sees the test open up', async ({ page }, testInfo) => {
  test.skip(!CAN_SEED, 'moves the class into the present through the database (cargo xtask test sets E2E_DATABASE_URL)');
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo, { seats: 10 });
  await forgetSession(page);

  const person = newPerson(testInfo, 'roll');
  await signUp(page, testInfo, person);
  await open(page, testInfo, `/offerings/${id}`);
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await ready(page, testInfo);
  let text = await standing(page, testInfo);
  expect(text).toContain('You may not sit the test yet');
  expect(text).toContain('The course fee is not yet paid or waived.');
  expect(text).toContain('Session 1: attendance is not recorded yet.');
  await shot(page, testInfo, 'standing-before');
  await forgetSession(page);

  // The class is on now; its attendance page, then session 1's roll call.
  startClass(id);
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/admin/offerings/${id}`);
  await page.getByRole('link', { name: 'Sessions, roll calls and attendance' }).click();
  await expect(page).toHaveURL(new RegExp(`/teach/offerings/${id}$`));
  await ready(page, testInfo);
  await page.getByRole('link', { name: 'Roll call for session 1', exact: true }).click();
  await expect(page).toHaveURL(/\/teach\/meetings\/\d+$/);
  await ready(page, testInfo);
  const rollUrl = page.url();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Roll call');

  // "Late" needs the minutes: refused next to the field, nothing saved.
  await page.getByLabel(`Status of ${person.name}`, { exact: true }).selectOption({ label: 'Late' });
  await page.getByRole('button', { name: 'Save the roll call', exact: true }).click();
  await ready(page, testInfo);
  await expect(page.getByText('Enter the minutes attended.')).toBeVisible();
  await shot(page, testInfo, 'roll-call-refused');

  await open(page, testInfo, new URL(rollUrl).pathname);
  await page.getByLabel(`Status of ${person.name}`, { exact: true }).selectOption({ label: 'Late' });
  await page.getByLabel(`Minutes attended by ${person.name}`, { exact: true }).fill('225');
  await page.getByLabel(`Note about ${person.name}`, { exact: true }).fill('Joined at 9:15');
  await page.getByRole('button', { name: 'Save the roll call', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await ready(page, testInfo);
  await expect(page.getByLabel(`Minutes attended by ${person.name}`, { exact: true })).toHaveValue('225');
  await expect(page.getByRole('row').filter({ hasText: person.name })).toContainText('Roll call');
  await shot(page, testInfo, 'roll-call-saved');

  // Session 2: everyone not yet marked becomes present.
  await open(page, testInfo, `/teach/offerings/${id}`);
  await page.getByRole('link', { name: 'Roll call for session 2', exact: true }).click();
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Mark everyone not yet marked as present', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await ready(page, testInfo);
  await expect(page.getByLabel(`Status of ${person.name}`, { exact: true }).locator('option:checked')).toHaveText('Present');

  // The grid shows both sessions.
  await open(page, testInfo, `/teach/offerings/${id}`);
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(person.name) }) });
  await expect(row).toContainText('Late · 225 min');
  await expect(row).toContainText('Present · 240 min');
  await expect(row).toContainText('The course fee is not yet paid or waived.');
  await shot(page, testInfo, 'attendance-grid');

  // The fee is paid.
  await open(page, testInfo, `/admin/offerings/${id}`);
  await page.getByLabel(`Payment status for ${person.name}`, { exact: true }).selectOption({ label: 'Paid' });
  await page.getByLabel(`Payment method for ${person.name}`, { exact: true }).selectOption({ label: 'Check' });
  await page.getByRole('button', { name: `Save payment for ${person.name}`, exact: true }).click();
  // A check needs its number, said next to the person's payment.
  await expect(page.getByText('Enter the check or purchase-order number.')).toBeVisible();
  await ready(page, testInfo);
  await page.getByLabel(`Payment status for ${person.name}`, { exact: true }).selectOption({ label: 'Paid' });
  await page.getByLabel(`Payment method for ${person.name}`, { exact: true }).selectOption({ label: 'Check' });
  await page.getByLabel(`Payment reference for ${person.name}`, { exact: true }).fill('2051');
  await page.getByRole('button', { name: `Save payment for ${person.name}`, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Payment recorded.' })).toBeVisible();
  await forgetSession(page);

  await signIn(page, testInfo, person.email, person.password);
  text = await standing(page, testInfo);
  expect(text).toContain('You may sit the certification test.');
  await shot(page, testInfo, 'standing-after');
});

test('self check-ins count: checked in to both sessions without a meeting link, the attendee may sit the test', async ({ page }, testInfo) => {
  test.skip(!CAN_SEED, 'moves the sessions into the present through the database (cargo xtask test sets E2E_DATABASE_URL)');
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo, { seats: 10 });
  await forgetSession(page);

  const person = newPerson(testInfo, 'checkin');
  await signUp(page, testInfo, person);
  await open(page, testInfo, `/offerings/${id}`);
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await forgetSession(page);

  // The fee is waived.
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/admin/offerings/${id}`);
  await page.getByLabel(`Payment status for ${person.name}`, { exact: true }).selectOption({ label: 'Waived' });
  await page.getByRole('button', { name: `Save payment for ${person.name}`, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Payment recorded.' })).toBeVisible();
  await forgetSession(page);

  // Session 1 began five minutes ago. The class has no video-meeting link: no "Join session",
  // but "Check in".
  moveSession(id, 1, -5);
  await signIn(page, testInfo, person.email, person.password);
  await open(page, testInfo, '/dashboard');
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: CITC }) });
  await expect(row.getByRole('link', { name: /^Join session/ })).toHaveCount(0);
  await shot(page, testInfo, 'check-in-offered');
  await row.getByRole('button', { name: `Check in to session 1 of ${CITC}`, exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard\?checked_in=\d+$/);
  await ready(page, testInfo);
  await expect(page.getByRole('status').filter({ hasText: 'You are checked in to this session.' })).toBeVisible();
  await expect(row).toContainText('Checked in at');
  await expect(row.getByRole('button', { name: /^Check in/ })).toHaveCount(0);
  const summary = page.locator('.attendance-summary').filter({ has: page.getByRole('heading', { name: CITC, exact: true }) });
  await expect(summary).toContainText('Session 1: Present · 240 min (self check-in)');
  await expect(summary).toContainText('Session 2: attendance is not recorded yet.');
  await shot(page, testInfo, 'checked-in');

  // The next day: session 1 is over, session 2 began five minutes ago.
  moveSession(id, 1, -24 * 60 - 5);
  moveSession(id, 2, -5);
  await open(page, testInfo, '/dashboard');
  await row.getByRole('button', { name: `Check in to session 2 of ${CITC}`, exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard\?checked_in=\d+$/);
  await ready(page, testInfo);
  await expect(summary).toContainText('Session 2: Present · 240 min (self check-in)');
  await expect(summary).toContainText('You may sit the certification test.');
  await shot(page, testInfo, 'check-ins-counted');
  await forgetSession(page);

  // The instructor's grid says which marks are self check-ins.
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/teach/offerings/${id}`);
  const gridRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(person.name) }) });
  await expect(gridRow).toContainText('Present · 240 min (self check-in)');
});
