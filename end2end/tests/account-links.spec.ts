// Emailed links (verify the address, reset the password), with JavaScript on and off. The
// server must run without SMTP_URL, so that messages land as .eml files, and E2E_MAIL_DIR must
// name that folder (`$CIT_DATA_DIR/outbox`); without it these tests are skipped.
import { expect, test } from '@playwright/test';
import { emailedLink, mailDir, newPerson, open, ready, shot, signUp } from './helpers';

test.skip(!mailDir, 'E2E_MAIL_DIR is not set');

test('the verification link, opened in the account\'s session, confirms the address once', async ({ page }, testInfo) => {
  const person = newPerson(testInfo, 'verify');
  await signUp(page, testInfo, person);
  await expect(page.getByRole('heading', { name: 'Please verify your email address' })).toBeVisible();
  const link = await emailedLink(person.email, '/verify-email/');
  await open(page, testInfo, link);
  // Opening the link changes nothing; the button confirms.
  await expect(page.getByLabel('Password', { exact: true })).toHaveCount(0);
  await shot(page, testInfo, 'verify-link-button');
  await page.getByRole('button', { name: 'Confirm my email address', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard\?verified=1$/);
  await ready(page, testInfo);
  await expect(page.getByText('your email address is verified')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Please verify your email address' })).toHaveCount(0);
  await open(page, testInfo, link, 410);
  await expect(page.getByText(/already been used/)).toBeVisible();
  await shot(page, testInfo, 'verify-link-used');
});

test('a verification link opened elsewhere needs the account\'s password, and signs in', async ({ page }, testInfo) => {
  const person = newPerson(testInfo, 'verify-elsewhere');
  await signUp(page, testInfo, person);
  const link = await emailedLink(person.email, '/verify-email/');
  await page.context().clearCookies();
  await open(page, testInfo, link);
  const password = page.getByLabel('Password', { exact: true });
  await password.fill('not-the-password-at-all');
  await page.getByRole('button', { name: 'Confirm my email address', exact: true }).click();
  await expect(page.getByText('This is not the password of the account this link belongs to.')).toBeVisible();
  await shot(page, testInfo, 'verify-link-wrong-password');
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Confirm my email address', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard\?verified=1$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.name}`);
  await expect(page.getByText('your email address is verified')).toBeVisible();
});

test('a reset link sets a new password and signs the person in', async ({ page, browser }, testInfo) => {
  const person = newPerson(testInfo, 'reset');
  await signUp(page, testInfo, person);
  await page.context().clearCookies();
  await open(page, testInfo, '/forgot-password');
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByRole('button', { name: 'Send the link', exact: true }).click();
  await expect(page.getByText(/If an account exists for that address/)).toBeVisible();

  const link = await emailedLink(person.email, '/reset-password/');
  await open(page, testInfo, link);
  const password = 'Quartz-Meadow-Lantern-71';
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('New password, again', { exact: true }).fill('Quartz-Meadow-Lantern-72');
  await page.getByRole('button', { name: 'Set the new password', exact: true }).click();
  await expect(page.getByText(/The two passwords differ/)).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('New password, again', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Set the new password', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.name}`);
  await shot(page, testInfo, 'reset-signed-in');

  await open(page, testInfo, link, 410);
  await expect(page.getByText(/already been used/)).toBeVisible();
});
