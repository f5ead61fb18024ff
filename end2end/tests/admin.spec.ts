// Administration of users, and who may not see it.
import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CITC, forgetSession, newPerson, open, ready, scheduleClass, shot, signIn, signUp } from './helpers';

test('an admin makes a new user an instructor, and that user sees it', async ({ page }, testInfo) => {
  const person = newPerson(testInfo, 'promote');
  await signUp(page, testInfo, person);
  await forgetSession(page);

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(page.locator('main').getByText('Administrator').first()).toBeVisible();
  await shot(page, testInfo, 'dashboard-admin');
  const nav = page.getByRole('navigation').first();
  await expect(nav.getByRole('link', { name: 'Users', exact: true })).toBeVisible();

  await open(page, testInfo, '/admin/users');
  await expect(page.locator('table')).toBeVisible();
  const role = page.getByLabel(`Role for ${person.email}`, { exact: true });
  await expect(role.locator('option:checked')).toHaveText('Attendee');
  await role.selectOption({ label: 'Instructor' });
  await page.getByRole('button', { name: `Save role for ${person.email}`, exact: true }).click();
  await expect(page.getByText('Role updated.')).toBeVisible();
  await expect(page.getByLabel(`Role for ${person.email}`, { exact: true }).locator('option:checked')).toHaveText(
    'Instructor',
  );
  await shot(page, testInfo, 'admin-users-role-updated');

  await forgetSession(page);
  await signIn(page, testInfo, person.email, person.password);
  await expect(page.locator('main').getByText('Instructor').first()).toBeVisible();
  await expect(page.getByText('No classes are assigned to you yet.')).toBeVisible();
  await shot(page, testInfo, 'dashboard-instructor');

  // Assigned to a new class, the instructor's dashboard lists its sessions with the roster.
  await forgetSession(page);
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo, { seats: 7 });
  await page.getByLabel('Instructors (emails, comma-separated)', { exact: true }).fill(person.email);
  await page.getByRole('button', { name: 'Save changes', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/offerings/${id}\\?updated`));
  await ready(page, testInfo);
  await forgetSession(page);
  await signIn(page, testInfo, person.email, person.password);
  const ahead = page.getByRole('region', { name: 'Your sessions ahead' });
  const rows = ahead.getByRole('row').filter({ has: page.getByRole('rowheader', { name: CITC }) });
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Session 1 of 2');
  await expect(rows.first()).toContainText('0 of 7 seats taken');
  await expect(page.getByRole('region', { name: 'Waiting for your grade' })).toContainText('No answers are waiting to be graded.');
  await shot(page, testInfo, 'dashboard-instructor-class');
  await rows.first().getByRole('link', { name: /^Roll call for / }).click();
  await expect(page).toHaveURL(/\/teach\/meetings\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Roll call');
});

test('an attendee is refused the user administration page', async ({ page }, testInfo) => {
  await signUp(page, testInfo, newPerson(testInfo, 'refused'));
  await open(page, testInfo, '/admin/users', 403);
  await expect(page.getByText('You do not have permission to view this page.')).toBeVisible();
  await expect(page.locator('table')).toHaveCount(0);
  await shot(page, testInfo, 'admin-users-forbidden');
});
