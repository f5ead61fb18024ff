// Registering for classes: the coordinator course (confirmed at once), the 911 course
// (an administrator approves it, and records the payment), a waived fee (a "Fee waived"
// confirmation, never an invoice), the class page and its calendar file.
// With JavaScript on and off. The server seeds upcoming classes for both courses.
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Person, forgetSession, newPerson, open, ready, shot, signIn, signUp } from './helpers';

const CITC = 'CIT Coordinator Certification';
const CIT911 = 'CIT Support Training for 911';

/**
 * Opens a course page, checks its "Upcoming classes", follows the first "Register" link and
 * returns the class's id (the class page is open when it returns).
 */
async function openFirstClass(page: Page, testInfo: TestInfo, code: string, title: string): Promise<number> {
  await open(page, testInfo, `/courses/${code}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const upcoming = page.getByRole('region', { name: 'Upcoming classes', exact: true });
  await expect(upcoming.getByRole('heading', { name: 'Upcoming classes', exact: true })).toBeVisible();
  // The link's accessible name is "Register for <date>" (the date is visually hidden).
  const register = upcoming.getByRole('link', { name: /^Register for / }).first();
  await expect(register).toBeVisible();
  await shot(page, testInfo, `course-${code}-upcoming`);

  await register.click();
  await expect(page).toHaveURL(/\/offerings\/\d+$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const id = Number(/\/offerings\/(\d+)$/.exec(page.url())?.[1]);
  expect(id, 'offering id in the URL').toBeGreaterThan(0);
  return id;
}

/** Signs `person` up and registers them for the first coordinator class; its id. */
async function registerForFirstCoordinatorClass(page: Page, testInfo: TestInfo, person: Person): Promise<number> {
  await signUp(page, testInfo, person);
  const id = await openFirstClass(page, testInfo, 'CITC', CITC);
  await registrationPanel(page).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await ready(page, testInfo);
  return id;
}

/** The "Registration" panel of a class page. */
function registrationPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'Registration', exact: true });
}

/** The person's row for a course in "Your registrations" on the dashboard. */
function dashboardRow(page: Page, courseTitle: string): Locator {
  return page
    .getByRole('region', { name: 'Your registrations', exact: true })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: courseTitle, exact: true }) });
}

/**
 * What the payment cell of a dashboard row starts with, e.g. "Unpaid · $450" (the cell may go on
 * with a link to the invoice or receipt).
 */
function payment(text: string): RegExp {
  return new RegExp(`^${text.replace(/[$.]/g, '\\$&')}(\\s|$)`);
}

async function openDashboard(page: Page, testInfo: TestInfo): Promise<void> {
  await open(page, testInfo, '/dashboard');
  await expect(page.getByRole('heading', { name: 'Your registrations', exact: true })).toBeVisible();
}

test('a new person registers for a coordinator class, sees it on the dashboard and cancels it', async ({ page }, testInfo) => {
  const person = newPerson(testInfo, 'reg-citc');
  await signUp(page, testInfo, person);
  await expect(page.getByText('You are not registered for a class yet.')).toBeVisible();

  const id = await openFirstClass(page, testInfo, 'CITC', CITC);
  const panel = registrationPanel(page);
  await expect(panel.getByRole('button', { name: 'Register', exact: true })).toBeVisible();
  await shot(page, testInfo, 'offering-before-register');

  await panel.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await ready(page, testInfo);
  await expect(panel.getByRole('status')).toContainText('Your registration was received');
  await expect(panel).toContainText('You are registered for this class: Confirmed');
  await expect(panel.getByRole('button', { name: 'Register', exact: true })).toHaveCount(0);
  await shot(page, testInfo, 'offering-registered');

  await openDashboard(page, testInfo);
  const row = dashboardRow(page, CITC);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(1)).toHaveText('Confirmed');
  await expect(row.getByRole('cell').nth(2)).toHaveText(payment('Unpaid · $450'));
  await shot(page, testInfo, 'dashboard-registered');

  const cancel = row.getByRole('button', { name: new RegExp(`^Cancel registration for ${CITC} on `) });
  await expect(cancel).toBeVisible();
  await cancel.click();
  await expect(page).toHaveURL(/\/dashboard(\?cancelled=1)?$/);
  await ready(page, testInfo);
  await expect(dashboardRow(page, CITC).getByRole('cell').nth(1)).toHaveText('Cancelled');
  await expect(dashboardRow(page, CITC).getByRole('button', { name: /^Cancel registration for / })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await shot(page, testInfo, 'dashboard-cancelled');
});

test('a 911 registration asks for the call center, waits for approval, then an admin approves it and records the payment', async ({ page }, testInfo) => {
  const person = newPerson(testInfo, 'reg-911');
  await signUp(page, testInfo, person);

  const id = await openFirstClass(page, testInfo, 'CIT911', CIT911);
  const panel = registrationPanel(page);
  await expect(panel.getByText('This course is only for people currently employed by an emergency call center.')).toBeVisible();

  // Nothing filled in: the first missing field says so, next to it.
  await panel.getByRole('button', { name: 'Register', exact: true }).click();
  const message = 'Enter the name of your emergency call center.';
  await expect(page.getByText(message)).toBeVisible();
  const callCenter = page.getByLabel('Emergency call center', { exact: true });
  await expect(callCenter).toHaveAttribute('aria-invalid', 'true');
  await expect(callCenter).toHaveAccessibleDescription(/Enter the name of your emergency call center\./);
  // Only the first missing field is reported.
  await expect(page.getByLabel('Your role', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}`));
  await expect(page).not.toHaveURL(/registered=1/);
  await shot(page, testInfo, 'offering-911-missing-call-center');

  await callCenter.fill('Pueblo Emergency Communications');
  await page.getByLabel('Your role', { exact: true }).fill('Dispatcher');
  await page.getByLabel("Supervisor's name and phone or email", { exact: true }).fill('Dana Ortiz, 719-555-0142');
  await shot(page, testInfo, 'offering-911-filled');
  await panel.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await ready(page, testInfo);
  await expect(panel.getByRole('status')).toContainText('Your registration was received');
  await expect(panel).toContainText('You are registered for this class: Waiting for approval');
  await shot(page, testInfo, 'offering-911-registered');

  await openDashboard(page, testInfo);
  await expect(dashboardRow(page, CIT911).getByRole('cell').nth(1)).toHaveText('Waiting for approval');
  await expect(dashboardRow(page, CIT911).getByRole('cell').nth(2)).toHaveText(payment('Unpaid · $250'));
  await shot(page, testInfo, 'dashboard-911-waiting');

  // The admin approves.
  await forgetSession(page);
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, '/admin/registrations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Registrations waiting for approval');
  const card = page.locator('li.card').filter({
    has: page.getByRole('heading', { name: `${person.name} · ${CIT911}`, exact: true }),
  });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(person.email);
  await expect(card).toContainText('Pueblo Emergency Communications');
  await expect(card).toContainText('Dispatcher');
  await expect(card).toContainText('Dana Ortiz, 719-555-0142');
  await shot(page, testInfo, 'admin-approvals');
  await card.getByRole('button', { name: `Approve ${person.name}`, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Decision saved.' })).toBeVisible();
  await ready(page, testInfo);
  await expect(card).toHaveCount(0);
  await shot(page, testInfo, 'admin-approved');

  // The person sees the approval.
  await forgetSession(page);
  await signIn(page, testInfo, person.email, person.password);
  await openDashboard(page, testInfo);
  await expect(dashboardRow(page, CIT911).getByRole('cell').nth(1)).toHaveText('Confirmed');
  await expect(dashboardRow(page, CIT911).getByRole('cell').nth(2)).toHaveText(payment('Unpaid · $250'));
  await shot(page, testInfo, 'dashboard-911-confirmed');

  // The admin records the payment on the class roster.
  await forgetSession(page);
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/admin/offerings/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(CIT911);
  const rosterRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: person.name, exact: true }) });
  await expect(rosterRow).toHaveCount(1);
  await expect(rosterRow).toContainText(person.email);
  await expect(rosterRow).toContainText('Confirmed');
  await page.getByLabel(`Payment status for ${person.name}`, { exact: true }).selectOption({ label: 'Paid' });
  await page.getByLabel(`Payment method for ${person.name}`, { exact: true }).selectOption({ label: 'Check' });
  await page.getByLabel(`Payment reference for ${person.name}`, { exact: true }).fill('1042');
  await shot(page, testInfo, 'admin-roster-payment-filled');
  await page.getByRole('button', { name: `Save payment for ${person.name}`, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Payment recorded.' })).toBeVisible();
  await ready(page, testInfo);
  await expect(page.getByLabel(`Payment status for ${person.name}`, { exact: true }).locator('option:checked')).toHaveText('Paid');
  await expect(page.getByLabel(`Payment method for ${person.name}`, { exact: true }).locator('option:checked')).toHaveText('Check');
  await expect(page.getByLabel(`Payment reference for ${person.name}`, { exact: true })).toHaveValue('1042');
  await shot(page, testInfo, 'admin-roster-paid');

  await forgetSession(page);
  await signIn(page, testInfo, person.email, person.password);
  await openDashboard(page, testInfo);
  await expect(dashboardRow(page, CIT911).getByRole('cell').nth(1)).toHaveText('Confirmed');
  await expect(dashboardRow(page, CIT911).getByRole('cell').nth(2)).toHaveText(payment('Paid · $250'));
  await shot(page, testInfo, 'dashboard-911-paid');
});

test('a waived fee gets a "Fee waived" confirmation with nothing due, never an invoice', async ({ page }, testInfo) => {
  const person = newPerson(testInfo, 'reg-waived');
  const id = await registerForFirstCoordinatorClass(page, testInfo, person);

  // Until the office decides, the fee is owed: an invoice.
  await openDashboard(page, testInfo);
  await expect(dashboardRow(page, CITC).getByRole('link', { name: 'Invoice', exact: true })).toBeVisible();

  await forgetSession(page);
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/admin/offerings/${id}`);
  await page.getByLabel(`Payment status for ${person.name}`, { exact: true }).selectOption({ label: 'Waived' });
  await page.getByRole('button', { name: `Save payment for ${person.name}`, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Payment recorded.' })).toBeVisible();

  await forgetSession(page);
  await signIn(page, testInfo, person.email, person.password);
  await openDashboard(page, testInfo);
  const row = dashboardRow(page, CITC);
  await expect(row.getByRole('link', { name: 'Invoice', exact: true })).toHaveCount(0);
  await row.getByRole('link', { name: 'Fee waived', exact: true }).click();
  await expect(page).toHaveURL(/\/registrations\/\d+\/invoice$/);
  await ready(page, testInfo);
  await expect(page).toHaveTitle(/^Fee waived CIT-\d{4}-\d{6} · CIT Academy$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Fee waived');
  const items = page.getByRole('table', { name: 'Items' });
  await expect(items.getByRole('row', { name: /^Fee waived/ })).toContainText('−$450');
  await expect(items.getByRole('row', { name: /^Amount due/ })).toContainText('$0');
  await expect(page.getByText('Nothing is owed and no payment is needed.')).toBeVisible();
  await expect(page.locator('main')).not.toContainText(/invoice|pay by card/i);
  await shot(page, testInfo, 'fee-waived');
});

test('a class page shows the registered person their status, and its calendar file downloads', async ({ page, request }, testInfo) => {
  const person = newPerson(testInfo, 'reg-page');
  const id = await registerForFirstCoordinatorClass(page, testInfo, person);
  await expect(registrationPanel(page)).toContainText('You are registered for this class: Confirmed');

  // Coming back to the class page later (a fresh page load, no ?registered).
  await open(page, testInfo, '/courses');
  await open(page, testInfo, `/offerings/${id}`);
  const panel = registrationPanel(page);
  await expect(panel).toContainText('You are registered for this class: Confirmed');
  await expect(panel.getByRole('status')).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Register', exact: true })).toHaveCount(0);
  await expect(panel.getByRole('link', { name: 'See your dashboard', exact: true })).toHaveAttribute('href', '/dashboard');
  const calendarLink = page.getByRole('link', { name: 'Add these sessions to your calendar (.ics)', exact: true });
  await expect(calendarLink).toHaveAttribute('href', `/offerings/${id}/calendar.ics`);
  await shot(page, testInfo, 'offering-registered-status');

  // Someone signed out is asked to sign in first.
  await forgetSession(page);
  await open(page, testInfo, `/offerings/${id}`);
  await expect(registrationPanel(page).getByRole('link', { name: 'Sign in to register', exact: true })).toHaveAttribute(
    'href',
    `/signin?next=/offerings/${id}`,
  );
  await expect(registrationPanel(page)).not.toContainText('You are registered');
  await shot(page, testInfo, 'offering-signed-out');

  const ics = await request.get(`/offerings/${id}/calendar.ics`);
  expect(ics.status()).toBe(200);
  expect(ics.headers()['content-type']).toMatch(/^text\/calendar\b/);
  const body = await ics.text();
  expect(body).toMatch(/^BEGIN:VCALENDAR\r?\n/);
  expect(body).toContain('BEGIN:VEVENT');
  expect(body).toContain(`${CITC} (session 1 of`);
  expect(body.trimEnd()).toMatch(/END:VCALENDAR$/);
});
