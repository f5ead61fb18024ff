// The WebAssembly client hydrates the page: proof, and no console errors (such as CSP
// violations) on the way.
import { expect, test, type ConsoleMessage } from '@playwright/test';
import { jsOn, open, shot } from './helpers';

test('the hydrated client runs: "Show password" reveals the password', async ({ page }, testInfo) => {
  test.skip(!jsOn(testInfo), 'needs JavaScript');
  const problems: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico')) {
      problems.push(`console: ${msg.text()} (${msg.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

  for (const path of ['/', '/courses', '/courses/CITC']) {
    await open(page, testInfo, path);
  }
  await open(page, testInfo, '/signup');
  const password = page.getByLabel('Password', { exact: true });
  const toggle = page.getByRole('button', { name: 'Show password' });
  await password.fill('Maple-Orbit-Kettle-42');
  await expect(password).toHaveAttribute('type', 'password');
  await toggle.click();
  await expect(password).toHaveAttribute('type', 'text');
  // Found by its state: its label may change to "Hide password".
  const pressed = page.locator('button[aria-pressed="true"]');
  await expect(pressed).toHaveCount(1);
  await shot(page, testInfo, 'signup-password-shown');
  await pressed.click();
  await expect(password).toHaveAttribute('type', 'password');

  expect(problems, 'console errors').toEqual([]);
});

test('without JavaScript "Show password" does nothing and the form still works', async ({ page }, testInfo) => {
  test.skip(jsOn(testInfo), 'the contrast case runs with JavaScript off');
  await open(page, testInfo, '/signup');
  await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
  const password = page.getByLabel('Password', { exact: true });
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(page).toHaveURL(/\/signup$/);
  await expect(password).toHaveAttribute('type', 'password');
});
