// Importing a Zoom participants export into a session's attendance: a wrong file is refused
// next to the field, the preview shows who was found, a phone without an email is matched
// by hand, applying records the marks, and the same file again changes nothing. A report of
// another day is refused next to the field, naming both days.
// With JavaScript on and off. Each run schedules its own class, and moves its first session
// to have begun three hours ago in the database (a report is refused before a session starts).
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, CAN_SEED, forgetSession, minuteFromNow, moveMeetingTo, newPerson, open, ready, scheduleClass, shot, signIn, signUp,
  type Person,
} from './helpers';

async function register(page: Page, testInfo: TestInfo, person: Person, id: number): Promise<void> {
  await signUp(page, testInfo, person);
  await open(page, testInfo, `/offerings/${id}`);
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await ready(page, testInfo);
  await forgetSession(page);
}

/** `ms` as Zoom writes it in Denver: `12/07/2026 07:58:00 AM`. */
function zoomTime(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Denver', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: true,
  }).formatToParts(new Date(ms));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('month')}/${part('day')}/${part('year')} ${part('hour')}:${part('minute')}:${part('second')} ${part('dayPeriod')}`;
}

/** `ms` as a long day in Denver: `Monday, December 7, 2026`. */
function denverDay(ms: number): string {
  return new Date(ms).toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'America/Denver' });
}

/**
 * A Zoom export of the session starting at `start` (ms), moved by `shiftDays`: the first
 * person by email, the second on a phone.
 */
function zoomReport(start: number, byEmail: Person, shiftDays = 0): string {
  const at = (minutes: number) => zoomTime(start + (shiftDays * 24 * 60 + minutes) * 60_000);
  return [
    'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest',
    `${byEmail.name},${byEmail.email.toUpperCase()},${at(-2)},${at(90)},92,No`,
    `${byEmail.name},${byEmail.email},${at(91)},${at(239)},148,No`,
    `Phone 3035550199,,${at(20)},${at(245)},225,Yes`,
    '',
  ].join('\n');
}

async function upload(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel('Participant report', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: 'Upload and preview', exact: true }).click();
}

test('an instructor imports a Zoom report, matches a phone by hand, and applies it once', async ({ page }, testInfo) => {
  test.skip(!CAN_SEED, 'moves the session into the past through the database (cargo xtask test sets E2E_DATABASE_URL)');
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo);
  await forgetSession(page);
  const ana = newPerson(testInfo, 'import-email');
  const dee = newPerson(testInfo, 'import-phone');
  await register(page, testInfo, ana, id);
  await register(page, testInfo, dee, id);

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/admin/offerings/${id}`);
  const meeting = await page.locator('input[name="meeting_id"]').first().getAttribute('value');
  // That session began three hours ago.
  const start = minuteFromNow(-180);
  moveMeetingTo(Number(meeting), start);
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

  const report = zoomReport(start, ana);
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

test('a report of another day is refused next to the field, naming both days', async ({ page }, testInfo) => {
  test.skip(!CAN_SEED, 'moves the session into the past through the database (cargo xtask test sets E2E_DATABASE_URL)');
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo);
  await forgetSession(page);
  const ana = newPerson(testInfo, 'wrong-day');
  await register(page, testInfo, ana, id);

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/admin/offerings/${id}`);
  const meeting = await page.locator('input[name="meeting_id"]').first().getAttribute('value');
  // That session began three hours ago.
  const start = minuteFromNow(-180);
  moveMeetingTo(Number(meeting), start);
  await open(page, testInfo, `/teach/meetings/${meeting}/import`);

  // Yesterday's report, uploaded for today's session.
  await upload(page, 'participants.csv', zoomReport(start, ana, -1));
  await ready(page, testInfo);
  await expect(page).toHaveURL(new RegExp(`/teach/meetings/${meeting}/import`));
  await expect(page).not.toHaveURL(/draft=/);
  const field = page.getByLabel('Participant report', { exact: true });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  const error = page.locator('#report-error');
  await expect(error).toContainText(`This report is of a meeting on ${denverDay(start - 24 * 3600 * 1000)}`);
  await expect(error).toContainText(`but this session is on ${denverDay(start)}`);
  await shot(page, testInfo, 'import-wrong-day');

  // Nothing was recorded: the roll call has no marks.
  await open(page, testInfo, `/teach/meetings/${meeting}`);
  await expect(page.getByLabel(`Status of ${ana.name}`, { exact: true }).locator('option:checked')).toHaveText('Not marked');
});
