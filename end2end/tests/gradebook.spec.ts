// The gradebook: an administrator opens a class's gradebook from its teaching page, sorts it
// by best score with a plain link, and downloads it as CSV, whose header and the registered
// person's row are checked. With JavaScript on and off. Each run schedules its own class.
import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CITC, forgetSession, newPerson, open, ready, scheduleClass, shot, signIn, signUp } from './helpers';

const HEADER =
  'Name,Email,Agency,Registration status,Attendance,Attendance rule met,Why not,Attempts used,Attempts allowed,Best score (%),Passed,Last attempt';

test('an administrator opens a class gradebook, sorts it and downloads it as CSV', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo);
  await forgetSession(page);

  const person = newPerson(testInfo, 'gradebook');
  await signUp(page, testInfo, person);
  await open(page, testInfo, `/offerings/${id}`);
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await forgetSession(page);

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/teach/offerings/${id}`);
  await page.getByRole('link', { name: 'Gradebook', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/teach/offerings/${id}/gradebook$`));
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Gradebook: ${CITC}`);
  const table = page.getByRole('table', { name: 'People and their results, by name' });
  const row = table.getByRole('row', { name: new RegExp(person.name) });
  await expect(row.getByRole('rowheader')).toContainText(person.email);
  await expect(row.getByRole('cell', { name: '0 of 2 sessions, 0%', exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: 'No (not attempted)', exact: true })).toBeVisible();
  await shot(page, testInfo, 'gradebook');

  // Sorting is a plain link (a GET), so it works without JavaScript too.
  await page.getByRole('link', { name: 'Sort by best score', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/teach/offerings/${id}/gradebook\\?sort=score$`));
  await ready(page, testInfo);
  await expect(page.getByRole('table', { name: 'People and their results, best score first' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Best score' })).toHaveAttribute('aria-sort', 'descending');

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the gradebook (CSV)', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`gradebook-${id}.csv`);
  const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split(/\r?\n/);
  expect(lines[0]).toBe(HEADER);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(
    new RegExp(`^${person.name},${person.email.replace(/\./g, '\\.')},${person.agency},Confirmed,"0 of 2 sessions, 0%",No,.+,0,\\d+,,No \\(not attempted\\),$`),
  );
});
