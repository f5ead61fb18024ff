// Roll call: an instructor (here the administrator) marks a session, a bad entry is refused
// next to its field, "mark everyone present" fills the next session, and the attendee sees
// their standing for the certification test change once the fee is paid.
// With JavaScript on and off. Each run schedules its own class.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CITC, forgetSession, newPerson, open, ready, scheduleClass, shot, signIn, signUp } from './helpers';

async function standing(page: Page, testInfo: TestInfo): Promise<string> {
  await open(page, testInfo, '/dashboard');
  const summary = page.locator('.attendance-summary').filter({ has: page.getByRole('heading', { name: CITC, exact: true }) });
  await expect(summary).toHaveCount(1);
  return (await summary.textContent()) ?? '';
}

test('roll call marks a session, refuses a bad entry, and the attendee sees the test open up', async ({ page }, testInfo) => {
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

  // The class's attendance page, then session 1's roll call.
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
