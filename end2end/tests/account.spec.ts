// Account settings and "forgot your password?", with JavaScript on and off.
import { expect, test } from '@playwright/test';
import { newPerson, open, ready, shot, signIn, signUp } from './helpers';

test('settings save the profile and show errors next to the field', async ({ page }, testInfo) => {
  const person = newPerson(testInfo, 'settings');
  await signUp(page, testInfo, person);
  await expect(page.getByRole('heading', { name: 'Please verify your email address' })).toBeVisible();
  await page.getByRole('navigation').first().getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await ready(page, testInfo);

  const name = page.getByLabel('Full name', { exact: true });
  await expect(name).toHaveValue(person.name);
  await name.fill('');
  await page.getByRole('button', { name: 'Save details', exact: true }).click();
  await expect(page.getByText('Enter your full name.')).toBeVisible();
  await expect(page.getByLabel('Full name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await shot(page, testInfo, 'settings-name-missing');

  await page.getByLabel('Full name', { exact: true }).fill('Morgan Settings');
  await page.getByRole('button', { name: 'Save details', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Your details' }).getByText('Saved.')).toBeVisible();
  await expect(page.getByRole('navigation').first().getByText('Morgan Settings')).toBeVisible();

  await page.getByLabel('Your time zone', { exact: true }).selectOption({ value: 'other' });
  await page.getByLabel(/Other time zone/).fill('Mars/Olympus');
  await page.getByRole('button', { name: 'Save time zone', exact: true }).click();
  await expect(page.getByText(/not a time zone we know/)).toBeVisible();
  await expect(page.getByLabel(/Other time zone/)).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Your time zone', { exact: true }).selectOption({ value: 'America/Phoenix' });
  await page.getByRole('button', { name: 'Save time zone', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Time zone' }).getByText('Saved.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Your details' }).getByText('Saved.')).toHaveCount(0);
  await open(page, testInfo, '/settings');
  await expect(page.getByLabel('Your time zone', { exact: true })).toHaveValue('America/Phoenix');
  await expect(page.getByLabel('Full name', { exact: true })).toHaveValue('Morgan Settings');
  await shot(page, testInfo, 'settings-saved');
});

test('changing the password keeps this browser signed in and signs the other out', async ({ page, browser }, testInfo) => {
  const person = newPerson(testInfo, 'password');
  await signUp(page, testInfo, person);
  const other = await browser.newContext({ javaScriptEnabled: testInfo.project.name === 'js-on' });
  const otherPage = await other.newPage();
  await signIn(otherPage, testInfo, person.email, person.password);

  await open(page, testInfo, '/settings');
  const newPassword = 'Harbor-Violet-Compass-58';
  await page.getByLabel('Current password', { exact: true }).fill(person.password);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('New password, again', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Change password', exact: true }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await shot(page, testInfo, 'settings-password-changed');

  await open(page, testInfo, '/dashboard');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.name}`);
  await otherPage.goto('/dashboard');
  await expect(otherPage).toHaveURL(/\/signin/);
  await other.close();
});

test('forgot password answers the same for any address', async ({ page }, testInfo) => {
  await open(page, testInfo, '/signin');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await ready(page, testInfo);
  await page.getByLabel('Email', { exact: true }).fill(`nobody.${Date.now()}@e2e.test`);
  await page.getByRole('button', { name: 'Send the link', exact: true }).click();
  await expect(page.getByText(/If an account exists for that address, we have sent a link/)).toBeVisible();
  await shot(page, testInfo, 'forgot-password-sent');
});
