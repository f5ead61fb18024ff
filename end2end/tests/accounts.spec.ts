// Signing up, signing in and out, with JavaScript on and off.
import { expect, test } from '@playwright/test';
import {
  expectCheckInbox,
  forgetSession,
  newPerson,
  open,
  ready,
  shot,
  signIn,
  signUp,
  submitSignin,
  submitSignup,
} from './helpers';

test('a new person signs up and reaches the dashboard', async ({ page }, testInfo) => {
  const person = newPerson(testInfo, 'signup');
  await signUp(page, testInfo, person);
  await expect(page.locator('main').getByText('Attendee').first()).toBeVisible();
  const nav = page.getByRole('navigation').first();
  await expect(nav.getByRole('link', { name: 'Dashboard', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Users', exact: true })).toHaveCount(0);
  await shot(page, testInfo, 'dashboard-new-attendee');
});

test('sign-up answers the same for a taken address, and errors appear next to the fields', async ({ page }, testInfo) => {
  const first = newPerson(testInfo, 'dup');
  await signUp(page, testInfo, first);
  await forgetSession(page);

  // The same email again: the same answer as for a new address (the form does not tell who
  // has an account; the owner is told by email), and nobody is signed in.
  await submitSignup(page, testInfo, { ...first, name: 'Someone Else' });
  await expectCheckInbox(page, testInfo);
  await expect(page.getByText(/already exists/)).toHaveCount(0);
  await shot(page, testInfo, 'signup-duplicate-email');

  // A password that is too easy to guess.
  await submitSignup(page, testInfo, { ...newPerson(testInfo, 'weak'), password: 'password123' });
  await expect(page.getByText(/too easy to guess/)).toBeVisible();
  const password = page.getByLabel('Password', { exact: true });
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(/too easy to guess/);
  await expect(page).toHaveURL(/\/signup/);
  await shot(page, testInfo, 'signup-weak-password');
});

test('sign in refuses a wrong password and an unknown email, then accepts the right one', async ({ page }, testInfo) => {
  const person = newPerson(testInfo, 'signin');
  await signUp(page, testInfo, person);
  await forgetSession(page);

  await submitSignin(page, testInfo, person.email, 'Not-The-Password-7');
  await expect(page.getByText('Email or password is incorrect.')).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
  await shot(page, testInfo, 'signin-wrong-password');

  await submitSignin(page, testInfo, `nobody.${Date.now()}@e2e.test`, person.password);
  await expect(page.getByText('Email or password is incorrect.')).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);

  await signIn(page, testInfo, person.email, person.password);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.name}`);
  await shot(page, testInfo, 'signin-dashboard');
});

test('signing out ends the session', async ({ page }, testInfo) => {
  const person = newPerson(testInfo, 'signout');
  await signUp(page, testInfo, person);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await ready(page, testInfo);
  const nav = page.getByRole('navigation').first();
  await expect(nav.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  await shot(page, testInfo, 'signed-out-home');

  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/signin/);
  await shot(page, testInfo, 'dashboard-after-sign-out');
});
