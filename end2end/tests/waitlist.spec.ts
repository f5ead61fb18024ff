// A full class: the second person joins the waitlist and moves up, automatically, when the
// first cancels. And an administrator moves one of the class's sessions to another day.
// With JavaScript on and off. Each run schedules its own one-seat class.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CITC, farDay, forgetSession, newPerson, open, ready, scheduleClass, shot, signIn, signUp, type Person } from './helpers';

/** The admin schedules a one-seat coordinator class and signs out; returns its id. */
async function scheduleOneSeatClass(page: Page, testInfo: TestInfo, firstDay: string): Promise<number> {
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo, { firstDay, seats: 1 });
  await forgetSession(page);
  return id;
}

async function register(page: Page, testInfo: TestInfo, person: Person, id: number, button: string): Promise<void> {
  await signUp(page, testInfo, person);
  await open(page, testInfo, `/offerings/${id}`);
  const panel = page.getByRole('region', { name: 'Registration', exact: true });
  await panel.getByRole('button', { name: button, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await ready(page, testInfo);
}

async function dashboardStatus(page: Page, testInfo: TestInfo): Promise<string> {
  await open(page, testInfo, '/dashboard');
  const row = page
    .getByRole('region', { name: 'Your registrations', exact: true })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: CITC, exact: true }) });
  await expect(row).toHaveCount(1);
  return (await row.getByRole('cell').nth(1).textContent()) ?? '';
}

test('a full class puts the next person on the waitlist, and a cancellation promotes them', async ({ page }, testInfo) => {
  const id = await scheduleOneSeatClass(page, testInfo, farDay(testInfo));

  const first = newPerson(testInfo, 'wait-first');
  await register(page, testInfo, first, id, 'Register');
  await expect(page.getByRole('region', { name: 'Registration', exact: true })).toContainText('You are registered for this class: Confirmed');
  await forgetSession(page);

  const second = newPerson(testInfo, 'wait-second');
  await signUp(page, testInfo, second);
  await open(page, testInfo, `/offerings/${id}`);
  await expect(page.getByText('This class is full. Join the waitlist')).toBeVisible();
  await shot(page, testInfo, 'offering-full');
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Join the waitlist', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await ready(page, testInfo);
  expect(await dashboardStatus(page, testInfo)).toBe('On the waitlist');
  await shot(page, testInfo, 'dashboard-waitlisted');
  await forgetSession(page);

  // The first person cancels from the dashboard.
  await signIn(page, testInfo, first.email, first.password);
  const row = page.getByRole('region', { name: 'Your registrations', exact: true }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: CITC, exact: true }) });
  await row.getByRole('button', { name: new RegExp(`^Cancel registration for ${CITC} on `) }).click();
  await expect(page).toHaveURL(/\/dashboard(\?cancelled=1)?$/);
  await ready(page, testInfo);
  await expect(row.getByRole('cell').nth(1)).toHaveText('Cancelled');
  await forgetSession(page);

  // The second person has the seat now.
  await signIn(page, testInfo, second.email, second.password);
  expect(await dashboardStatus(page, testInfo)).toBe('Confirmed');
  await shot(page, testInfo, 'dashboard-promoted');
});

test('an administrator moves a session to another day, and the attendee sees the new date', async ({ page }, testInfo) => {
  const firstDay = farDay(testInfo);
  const id = await scheduleOneSeatClass(page, testInfo, firstDay);
  const person = newPerson(testInfo, 'moved');
  await register(page, testInfo, person, id, 'Register');
  await forgetSession(page);

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/admin/offerings/${id}`);
  const sessions = page.getByRole('region', { name: 'Sessions', exact: true });
  await expect(sessions.getByRole('listitem')).toHaveCount(2);
  await sessions.getByText('Move or remove session 2').click();
  // A week after the first day, in the evening: no longer consecutive.
  const later = new Date(`${firstDay}T12:00:00Z`);
  later.setUTCDate(later.getUTCDate() + 7);
  const day = later.toISOString().slice(0, 10);
  await sessions.getByLabel('Session 2 day', { exact: true }).fill(day);
  await sessions.getByLabel('Session 2 starts', { exact: true }).fill('16:00');
  await sessions.getByLabel('Session 2 ends', { exact: true }).fill('15:00');
  await sessions.getByRole('button', { name: 'Move session 2', exact: true }).click();
  await ready(page, testInfo);
  // The end before the start is refused next to the field.
  await expect(page.getByText('The end time must be after the start time.')).toBeVisible();
  await shot(page, testInfo, 'session-move-refused');

  const panel = page.getByRole('region', { name: 'Sessions', exact: true });
  if (!(await panel.getByLabel('Session 2 day', { exact: true }).isVisible())) {
    await panel.getByText('Move or remove session 2').click();
  }
  await panel.getByLabel('Session 2 day', { exact: true }).fill(day);
  await panel.getByLabel('Session 2 starts', { exact: true }).fill('16:00');
  await panel.getByLabel('Session 2 ends', { exact: true }).fill('20:00');
  await panel.getByRole('button', { name: 'Move session 2', exact: true }).click();
  await expect(panel.getByRole('status')).toContainText('Everyone registered has been told');
  const label = later.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  await expect(panel.getByRole('listitem').nth(1)).toContainText(`Session 2: ${label} · 4:00 pm-8:00 pm`);
  await shot(page, testInfo, 'session-moved');
  await forgetSession(page);

  await signIn(page, testInfo, person.email, person.password);
  await open(page, testInfo, `/offerings/${id}`);
  const monthDay = later.toLocaleDateString('en-US', { month: 'long', day: 'numeric', timeZone: 'UTC' });
  await expect(page.locator('main')).toContainText(monthDay);
});
