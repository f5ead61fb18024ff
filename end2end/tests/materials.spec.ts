// Course materials: an administrator adds a link and a file to a class (a wrong link and a
// disallowed file are refused next to their fields); a registered attendee sees them on the
// class page and downloads the file; someone not registered sees no materials and gets 404
// for the file's address. With JavaScript on and off. Each run schedules its own class.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CITC, forgetSession, newPerson, open, ready, scheduleClass, shot, signIn, signUp } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('staff add a link and a file; a registered attendee downloads them; others see nothing', async ({ page }, testInfo) => {
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo);
  const materialsPage = `/teach/offerings/${id}/materials`;
  await open(page, testInfo, materialsPage);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Class materials');
  await expect(page.getByText('No materials yet.')).toBeVisible();

  // A link: plain http is refused next to the field, https is added for the first session.
  let form = page.getByRole('region', { name: 'Add a link', exact: true });
  await form.getByLabel('Title', { exact: true }).fill('Crisis line guide');
  await form.getByLabel('Address', { exact: true }).fill('http://cit.example/guide');
  await form.getByRole('button', { name: 'Add the link', exact: true }).click();
  await ready(page, testInfo);
  form = page.getByRole('region', { name: 'Add a link', exact: true });
  await expect(form.getByText('Enter the full address of the page, starting with https://')).toBeVisible();
  await expect(form.getByLabel('Address', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await shot(page, testInfo, 'materials-link-refused');
  await form.getByLabel('Title', { exact: true }).fill('Crisis line guide');
  await form.getByLabel('Address', { exact: true }).fill('https://cit.example/guide');
  await form.getByLabel('For', { exact: true }).selectOption({ index: 1 });
  await form.getByRole('button', { name: 'Add the link', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('The link was added.');
  await ready(page, testInfo);

  // A file: a disallowed type is refused next to the field, a PDF is added for the whole class.
  form = page.getByRole('region', { name: 'Add a file', exact: true });
  await form.getByLabel('Title', { exact: true }).fill('Installer');
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00') });
  await form.getByRole('button', { name: 'Upload the file', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${materialsPage}\\?refused=type#add-file$`));
  await ready(page, testInfo);
  form = page.getByRole('region', { name: 'Add a file', exact: true });
  await expect(form.getByText('That type of file cannot be added.')).toBeVisible();
  await expect(form.getByLabel('File', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await shot(page, testInfo, 'materials-file-refused');
  await form.getByLabel('Title', { exact: true }).fill('Pre-reading: the CIT model');
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'pre-reading.pdf', mimeType: 'application/pdf', buffer: PDF });
  await form.getByRole('button', { name: 'Upload the file', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${materialsPage}\\?added=file$`));
  await ready(page, testInfo);
  await expect(page.getByRole('status')).toHaveText('The file was added.');
  const table = page.getByRole('table', { name: 'Materials of this class' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row', { name: /Crisis line guide/ })).toContainText('Session 1 · ');
  await expect(table.getByRole('row', { name: /Pre-reading/ })).toContainText('Whole class');
  await shot(page, testInfo, 'materials-staff');
  await forgetSession(page);

  // A registered attendee sees both on the class page and downloads the file.
  const attendee = newPerson(testInfo, 'materials');
  await signUp(page, testInfo, attendee);
  await open(page, testInfo, `/offerings/${id}`);
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await ready(page, testInfo);
  const section = page.getByRole('region', { name: 'Class materials', exact: true });
  await expect(section.getByRole('link', { name: 'Crisis line guide', exact: true })).toBeVisible();
  await expect(section).toContainText('Link · cit.example');
  const fileLink = section.getByRole('link', { name: 'Pre-reading: the CIT model', exact: true });
  await expect(fileLink).toBeVisible();
  await shot(page, testInfo, 'materials-attendee');
  const fileHref = (await fileLink.getAttribute('href')) ?? '';
  const linkHref = (await section.getByRole('link', { name: 'Crisis line guide', exact: true }).getAttribute('href')) ?? '';
  expect(fileHref).toMatch(/^\/materials\/\d+$/);
  const downloading = page.waitForEvent('download');
  await fileLink.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('pre-reading.pdf');
  expect(await readFile(await download.path())).toEqual(PDF);
  const link = await page.request.get(linkHref, { maxRedirects: 0 });
  expect(link.status()).toBe(303);
  expect(link.headers()['location']).toBe('https://cit.example/guide');
  await forgetSession(page);

  // Someone not registered: no section, and the file's address answers 404.
  await signUp(page, testInfo, newPerson(testInfo, 'materials-outsider'));
  await open(page, testInfo, `/offerings/${id}`);
  await expect(page.getByRole('heading', { name: 'Sessions', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Class materials', exact: true })).toHaveCount(0);
  await expect(page.getByText('Pre-reading: the CIT model')).toHaveCount(0);
  const refused = await page.goto(fileHref);
  expect(refused?.status()).toBe(404);
  expect((await page.request.get(linkHref, { maxRedirects: 0 })).status()).toBe(404);
  await forgetSession(page);

  // Staff remove the link; the attendee's page no longer lists it.
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, materialsPage);
  await page.getByRole('button', { name: 'Remove Crisis line guide', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('The material was removed.');
  await expect(page.getByRole('table', { name: 'Materials of this class' }).getByRole('row')).toHaveCount(2);
  await shot(page, testInfo, 'materials-removed');
});
