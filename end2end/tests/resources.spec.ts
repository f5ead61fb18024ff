// The certified-only resource area. The administrator publishes a PDF to the library; a
// person who passes a coordinator test (a small certification course of this run's own)
// opens the library and downloads the file; once the certificate has expired, and once it is
// revoked, the same person is refused; so is a person without a certificate, by the page and
// by the file's address (403, no bytes), and is told how to get certified.
// With JavaScript on and off.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, CAN_SEED, createCourseWithTest, dayFromToday, eligibleAttendee, forgetSession, newPerson, open, ready, scheduleClass,
  seedSql, shot, signIn, signUp,
} from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const GIFT = `$CATEGORY: Partnerships

::Partners::Who belongs on a CIT steering committee?
{=Police, 911, mental-health partners and people with lived experience ~Police only ~Nobody}
`;

test('a certified coordinator downloads from the library; an uncertified person is refused', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const tag = `${testInfo.project.name === 'js-on' ? 'J' : 'N'}${Date.now().toString(36).slice(-5).toUpperCase()}`;
  const code = `RL${tag}`;
  const course = `Library practice ${tag}`;
  const resource = `Steering committee charter ${tag}`;

  // The administrator publishes a PDF, and sets up a certification course with a one-question test.
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, '/admin/resources');
  let form = page.getByRole('region', { name: 'Publish a file', exact: true });
  await form.getByLabel('Title', { exact: true }).fill(resource);
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'charter.pdf', mimeType: 'application/pdf', buffer: PDF });
  await form.getByRole('button', { name: 'Upload the file', exact: true }).click();
  await ready(page, testInfo);
  form = page.getByRole('region', { name: 'Publish a file', exact: true });
  await expect(form.getByText('Choose a category.')).toBeVisible();
  await expect(form.getByLabel('Category', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Title', { exact: true }).fill(resource);
  await form.getByLabel('Category', { exact: true }).selectOption({ label: 'Program materials' });
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'charter.pdf', mimeType: 'application/pdf', buffer: PDF });
  await form.getByRole('button', { name: 'Upload the file', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/resources\?added=file$/);
  await ready(page, testInfo);
  await expect(page.getByRole('status')).toHaveText('The file was published.');
  const href = await page.getByRole('table', { name: 'Published resources' }).getByRole('link', { name: resource }).getAttribute('href');
  expect(href).toMatch(/^\/resources\/\d+\/open$/);

  await createCourseWithTest(page, testInfo, { code, title: course, topic: 'Partnerships', gift: GIFT, questions: 1, passMark: 50, certification: true });
  const id = await scheduleClass(page, testInfo, { course });
  await forgetSession(page);

  // Not yet certified: the library is shut, and says how to get certified.
  const person = await eligibleAttendee(page, testInfo, id, 'library');
  await signIn(page, testInfo, person.email, person.password);
  await open(page, testInfo, '/resources', 403);
  await expect(page.getByRole('heading', { name: 'For certified coordinators' })).toBeVisible();
  await expect(page.getByText(resource)).toHaveCount(0);

  // The person passes, and the library opens.
  await page.goto('/dashboard');
  await ready(page, testInfo);
  await page.getByRole('link', { name: `Go to the test for ${course}`, exact: true }).click();
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Start the test', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  await ready(page, testInfo);
  await page.getByLabel('Police, 911, mental-health partners and people with lived experience', { exact: true }).check();
  await page.getByRole('button', { name: 'Save and review before submitting', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+\/review$/);
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Submit the test', exact: true }).click();
  await expect(page.locator('.result')).toContainText('Passed: 100%');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Resources', exact: true }).click();
  await expect(page).toHaveURL(/\/resources$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Resource library');
  await expect(page.getByText(/Your coordinator certificate is valid through/)).toBeVisible();
  const shelf = page.getByRole('region', { name: 'Program materials', exact: true });
  await expect(shelf.getByRole('link', { name: resource })).toBeVisible();
  await shot(page, testInfo, 'resources-library');
  // The search (a GET form) finds it by a word of its title.
  await page.getByLabel('Words in the title or text', { exact: true }).fill(tag.toLowerCase());
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/resources\\?q=${tag.toLowerCase()}`));
  await ready(page, testInfo);
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: resource }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('charter.pdf');
  expect(readFileSync(await download.path())).toEqual(PDF);

  // The same holder once the certificate has lapsed (its last day was two days ago in UTC, so
  // at least yesterday in the organisation's zone; before the expiry job has run), then once it is revoked: the door closes, on the page and on the
  // file's own address, and the page says why. The states are written into the database, as
  // the clock and an administrator would leave them (test-only seeding).
  if (CAN_SEED) {
    const mine = `user_id = (SELECT id FROM users WHERE email = '${person.email}')`;
    const refusedSaying = async (why: RegExp, name: string) => {
      await open(page, testInfo, '/resources', 403);
      await expect(page.getByText(why).first()).toBeVisible();
      await expect(page.getByText(resource)).toHaveCount(0);
      await shot(page, testInfo, name);
      const again = await page.request.get(href ?? '');
      expect(again.status()).toBe(403);
      expect((await again.body()).includes(Buffer.from('%PDF'))).toBe(false);
    };
    // The membership moves with its certificate (the gate reads the membership's standing).
    seedSql(`UPDATE certificates SET expires_on = '${dayFromToday(-2)}' WHERE ${mine}; UPDATE memberships SET ends_on = '${dayFromToday(-2)}' WHERE ${mine}`);
    await refusedSaying(/Your certification has expired/, 'resources-expired');
    seedSql(`UPDATE certificates SET expires_on = '${dayFromToday(400)}', status = 'revoked', revoked_at = '${new Date().toISOString()}', revoked_reason = 'Test' WHERE ${mine}; `
      + `UPDATE memberships SET ends_on = '${dayFromToday(400)}', status = 'ended', ended_at = '${new Date().toISOString()}' WHERE ${mine}`);
    await refusedSaying(/Your certificate was revoked/, 'resources-revoked');
  }
  await forgetSession(page);

  // Someone else, never certified: refused by the page and by the file's own address.
  const stranger = newPerson(testInfo, 'stranger');
  await signUp(page, testInfo, stranger);
  await open(page, testInfo, '/resources', 403);
  await expect(page.getByRole('heading', { name: 'For certified coordinators' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'About the coordinator certification' })).toBeVisible();
  await shot(page, testInfo, 'resources-refused');
  const direct = await page.request.get(href ?? '');
  expect(direct.status()).toBe(403);
  expect((await direct.body()).includes(Buffer.from('%PDF'))).toBe(false);
});
