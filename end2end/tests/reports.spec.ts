// Reports and the audit log. The administrator makes a course of its own (so its figures are
// known whatever else the database holds), schedules a four-seat class and makes one
// attendee eligible (registration, roll call of both sessions, fee waived). Then the
// administrator opens every report filtered by that course, reads the figures in the tables,
// downloads two CSVs and checks their rows, and filters the audit log by kind of record and
// day, with its CSV. With JavaScript on and off.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, eligibleAttendee, farDay, minuteFromNow, open, scheduleClass, shot, signIn } from './helpers';

const REPORTS = [
  'Registrations per month',
  'Fill rate per class',
  'Attendance rate per class',
  'Pass rate per test',
  'Pass rate over time',
  'Certificates by standing today',
  'Renewals per month',
];

/** "Nov 2026": the month of a day in Denver, as the reports label it. */
function monthLabel(d: Date): string {
  const month = d.toLocaleString('en-US', { timeZone: 'America/Denver', month: 'short' });
  const year = d.toLocaleString('en-US', { timeZone: 'America/Denver', year: 'numeric' });
  return `${month} ${year}`;
}

/** "Mar 6, 2027": a class's first day as the reports label it. */
function dayLabel(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`);
  return d.toLocaleString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });
}

/** Today in Denver, YYYY-MM-DD. */
function denverToday(): string {
  return new Date().toLocaleDateString('en-CA', { timeZone: 'America/Denver' });
}

/** Clicks a download link and returns the file's text. */
async function download(page: Page, name: string): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name, exact: true }).click(),
  ]);
  const path = await file.path();
  expect(path, 'the downloaded file').toBeTruthy();
  return readFileSync(path as string, 'utf8');
}

test('an administrator reads each report, downloads its CSV, and filters the audit log', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const tag = `${testInfo.project.name === 'js-on' ? 'J' : 'N'}${Date.now().toString(36).slice(-5).toUpperCase()}`;
  const code = `RP${tag}`;
  const title = `Reporting practice ${tag}`;

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, '/admin/courses/new');
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Certification' });
  await page.getByLabel('One-sentence summary', { exact: true }).fill('A course for the reports test.');
  await page.getByLabel('Description (Markdown)', { exact: true }).fill('Practice.');
  await page.getByLabel('Hours of instruction', { exact: true }).fill('8');
  await page.getByLabel('Fee in dollars', { exact: true }).fill('0');
  await page.getByLabel('Format', { exact: true }).fill('Online, live');
  await page.getByLabel('Topics, one per line', { exact: true }).fill('Data');
  await page.getByRole('button', { name: 'Save the course', exact: true }).click();
  await expect(page).not.toHaveURL(/\/admin\/courses\/new$/);

  const firstDay = farDay(testInfo);
  const id = await scheduleClass(page, testInfo, { course: title, seats: 4, firstDay });
  await page.context().clearCookies();
  await eligibleAttendee(page, testInfo, id, 'reported');
  // The roll call moved the class to be on now: its first session began three hours ago.
  const classDay = new Date(minuteFromNow(-180)).toLocaleDateString('en-CA', { timeZone: 'America/Denver' });

  // Every report, for this course, from the class's first day to well after it.
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, '/admin/reports');
  await page.getByLabel('Course', { exact: true }).selectOption({ label: title });
  await page.getByLabel('From', { exact: true }).fill(classDay);
  const end = new Date(new Date(`${firstDay}T12:00:00Z`).getTime() + 2 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByLabel('To', { exact: true }).fill(end);
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/reports\\?course=${code}&from=`));
  await open(page, testInfo, page.url().replace(/^https?:\/\/[^/]+/, ''));
  for (const name of REPORTS) {
    const section = page.getByRole('region', { name, exact: true });
    await expect(section).toBeVisible();
    await expect(section.getByRole('img', { name: new RegExp(`^${name}`) })).toBeVisible();
    await expect(section.getByRole('table')).toBeVisible();
  }
  await shot(page, testInfo, 'reports');

  const thisMonth = monthLabel(new Date());
  const registrations = page.getByRole('region', { name: 'Registrations per month', exact: true }).getByRole('table');
  await expect(registrations.getByRole('row', { name: new RegExp(`^${thisMonth} 1$`) })).toBeVisible();
  const classLabel = `${code} ${dayLabel(classDay)}`;
  const fill = page.getByRole('region', { name: 'Fill rate per class', exact: true }).getByRole('table');
  await expect(fill.getByRole('row', { name: `${classLabel} 25% 1 of 4`, exact: true })).toBeVisible();
  const attendance = page.getByRole('region', { name: 'Attendance rate per class', exact: true }).getByRole('table');
  await expect(attendance.getByRole('row', { name: `${classLabel} 100% 2 of 2`, exact: true })).toBeVisible();

  const csv = await download(page, 'Download “Registrations per month” (CSV)');
  const lines = csv.trim().split('\n');
  expect(lines[0]).toBe('Month,Registrations');
  expect(lines).toContain(`${thisMonth},1`);
  expect(lines.filter((l) => l.endsWith(',0')).length).toBe(lines.length - 2);
  const fillCsv = await download(page, 'Download “Fill rate per class” (CSV)');
  expect(fillCsv.trim().split('\n')).toEqual(['Class,Fill rate (%),Part,Whole', `"${classLabel}",25,1,4`]);

  // The audit log: attendance records marked today.
  await open(page, testInfo, '/admin/audit');
  await page.getByLabel('Kind of record', { exact: true }).selectOption('attendance');
  await page.getByLabel('From', { exact: true }).fill(classDay);
  await page.getByLabel('To', { exact: true }).fill(denverToday());
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/audit\?actor=&entity=attendance&from=/);
  await open(page, testInfo, page.url().replace(/^https?:\/\/[^/]+/, ''));
  const rows = page.getByRole('table', { name: 'Audit log entries' }).locator('tbody tr');
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  for (const action of await rows.locator('td:nth-child(3)').allTextContents()) {
    expect(action).toMatch(/^attendance\./);
  }
  await shot(page, testInfo, 'audit');
  const auditCsv = (await download(page, 'Download these entries (CSV)')).trim().split('\n');
  expect(auditCsv[0]).toBe('When (UTC),Who,Action,Kind of record,Record id,Before,After,Entry id');
  expect(auditCsv.length - 1).toBeGreaterThanOrEqual(await rows.count());
  for (const line of auditCsv.slice(1)) {
    expect(line).toMatch(/,attendance\.[a-z_]+,attendance,/);
  }
});
