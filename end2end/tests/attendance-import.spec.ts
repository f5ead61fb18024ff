// Importing a Zoom participants export into a session's attendance: a wrong file is refused
// next to the field, the preview shows who was found, a phone without an email is matched
// by hand, applying records the marks, and the same file again changes nothing.
// With JavaScript on and off. Each run schedules its own class.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, farDay, forgetSession, newPerson, open, ready, scheduleClass, shot, signIn, signUp, type Person } from './helpers';

async function register(page: Page, testInfo: TestInfo, person: Person, id: number): Promise<void> {
  await signUp(page, testInfo, person);
  await open(page, testInfo, `/offerings/${id}`);
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await ready(page, testInfo);
  await forgetSession(page);
}

/** A Zoom export of the first session: the first person by email, the second on a phone. */
function zoomReport(firstDay: string, byEmail: Person): string {
  const [year, month, day] = firstDay.split('-');
  const at = (time: string) => `${month}/${day}/${year} ${time}`;
  return [
    'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest',
    `${byEmail.name},${byEmail.email.toUpperCase()},${at('08:58:00 AM')},${at('10:30:00 AM')},92,No`,
    `${byEmail.name},${byEmail.email},${at('10:31:00 AM')},${at('12:59:00 PM')},148,No`,
    `Phone 3035550199,,${at('09:20:00 AM')},${at('01:05:00 PM')},225,Yes`,
    '',
  ].join('\n');
}

async function upload(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel('Participant report', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: 'Upload and preview', exact: true }).click();
}

test('an instructor imports a Zoom report, matches a phone by hand, and applies it once', async ({ page }, testInfo) => {
  const firstDay = farDay(testInfo);
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo, { firstDay });
  await forgetSession(page);
  const ana = newPerson(testInfo, 'import-email');
  const dee = newPerson(testInfo, 'import-phone');
  await register(page, testInfo, ana, id);
  await register(page, testInfo, dee, id);

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/admin/offerings/${id}`);
  const meeting = await page.locator('input[name="meeting_id"]').first().getAttribute('value');
  const importPage = `/teach/meetings/${meeting}/import`;
  await open(page, testInfo, importPage);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import attendance from a meeting report');

  // A file of something else: refused next to the field, nothing kept.
  await upload(page, 'invoices.csv', 'Invoice,Amount\n1001,450.00\n');
  await ready(page, testInfo);
  const field = page.getByLabel('Participant report', { exact: true });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#report-error')).toContainText('This does not look like a Zoom participants export');
  await shot(page, testInfo, 'import-wrong-file');

  const report = zoomReport(firstDay, ana);
  await upload(page, 'participants.csv', report);
  await expect(page).toHaveURL(/\/import\?draft=[\w-]+$/);
  await ready(page, testInfo);
  const people = page.getByRole('table', { name: 'People in the report' });
  // The phone's row lists the roster in its select: find Ana's by its header.
  const anaRow = people.getByRole('row').filter({ has: page.getByRole('rowheader', { name: ana.email }) });
  await expect(anaRow).toContainText(`${ana.name} (by email)`);
  await expect(anaRow.getByRole('cell')).toHaveText(['Present · 238 min', `${ana.name} (by email)`, 'Not recorded', 'Will change']);
  await expect(people.getByRole('row').filter({ hasText: 'Phone 3035550199' })).toContainText('Late · 220 min');
  const notFound = page.getByRole('table', { name: 'On the roster, not in the report' });
  await expect(notFound).toContainText(dee.name);
  await page.getByLabel('Match Phone 3035550199 to someone on the roster', { exact: true }).selectOption({ label: `${dee.name} (${dee.email})` });
  await shot(page, testInfo, 'import-preview');
  await page.getByRole('button', { name: 'Apply to the attendance record', exact: true }).click();
  await expect(page).toHaveURL(/\/import\?applied=\d+$/);
  await ready(page, testInfo);
  await expect(page.getByRole('status')).toContainText('2 marks changed.');
  await shot(page, testInfo, 'import-applied');

  // The same file again: the preview says it was applied, and nothing changes.
  await upload(page, 'participants.csv', report);
  await expect(page).toHaveURL(/\/import\?draft=[\w-]+$/);
  await ready(page, testInfo);
  await expect(page.getByRole('note')).toContainText('This file was applied to this session on');
  await expect(anaRow.getByRole('cell')).toHaveText(['Present · 238 min', `${ana.name} (by email)`, 'Present · 238 min', 'No change']);
  await page.getByLabel('Match Phone 3035550199 to someone on the roster', { exact: true }).selectOption({ label: `${dee.name} (${dee.email})` });
  await page.getByRole('button', { name: 'Apply to the attendance record', exact: true }).click();
  await expect(page).toHaveURL(/\/import\?applied=\d+$/);
  await ready(page, testInfo);
  await expect(page.getByRole('status')).toContainText('No changes: this report matches what is recorded.');
});
