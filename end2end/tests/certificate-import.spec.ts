// Importing coordinators certified before the platform: an administrator uploads a CSV with
// one bad row and sees the problem in that row (nothing can be imported yet), uploads the
// fixed file, confirms, and an anonymous visitor then verifies one imported certificate.
// With JavaScript on and off. Each run uses its own numbers and emails.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, forgetSession, open, ready, shot, signIn, uniqueEmail } from './helpers';

async function upload(page: Page, text: string): Promise<void> {
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'coordinators.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: 'Upload and preview', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/certificates\/import\?draft=[\w-]+$/);
}

test('an administrator imports certified coordinators from CSV, and the public verifies one', async ({ page }, testInfo) => {
  // Numbers no other run on this database uses: a random year before the platform, a random sequence.
  const year = 2015 + Math.floor(Math.random() * 6);
  const sequence = () => String(100000 + Math.floor(Math.random() * 900000));
  const tag = Math.random().toString(36).slice(2, 7).toUpperCase();
  const ana = { name: `Ana Ruiz${tag}`, email: uniqueEmail(testInfo, 'imported-ana'), number: `CITC-${year}-${sequence()}` };
  const bo = { name: `Bo Chen${tag}`, email: uniqueEmail(testInfo, 'imported-bo'), number: `CITC-${year}-${sequence()}` };
  const header = 'name,email,number,issued,expires';
  // Ana's certificate runs through a day far ahead, so that it is active whenever this runs.
  const anaLine = `${ana.name},${ana.email},${ana.number},${year}-03-15,03/15/2099`;
  const badBo = `${bo.name},${bo.email},${bo.number},${year}-06-01,${year}-05-01`;
  const goodBo = `${bo.name},${bo.email},${bo.number},${year}-06-01,${year + 3}-06-01`;

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, '/admin/certificates');
  await page.getByRole('link', { name: 'Import certified coordinators from a CSV file', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/certificates\/import$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import certified coordinators');

  // One bad row: its problem is shown in its own row, and there is nothing to confirm.
  await upload(page, [header, anaLine, badBo, ''].join('\n'));
  await ready(page, testInfo);
  const table = page.getByRole('table', { name: 'Rows in the file' });
  const boRow = table.getByRole('row').filter({ hasText: bo.email });
  await expect(boRow).toContainText('The expiry date must be after the issue date.');
  await expect(table.getByRole('row').filter({ hasText: ana.email })).toContainText('None');
  await expect(page.getByText('2 rows, 1 with a problem.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Import \d+ certificates?$/ })).toHaveCount(0);
  await shot(page, testInfo, 'certificate-import-problem');

  // The fixed file: no problems, two new accounts; confirm.
  await upload(page, [header, anaLine, goodBo, ''].join('\n'));
  await ready(page, testInfo);
  await expect(page.getByText('2 rows, none with a problem; 2 new accounts.')).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: bo.email })).toContainText('New account');
  await shot(page, testInfo, 'certificate-import-preview');
  await page.getByRole('button', { name: 'Import 2 certificates', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/certificates\/import\?imported=2&created=2&pending=0$/);
  await ready(page, testInfo);
  await expect(page.getByRole('status')).toContainText('2 certificates imported.');
  await shot(page, testInfo, 'certificate-import-done');
  await forgetSession(page);

  // An anonymous visitor finds Ana's certificate by its number and her last name.
  await open(page, testInfo, '/verify');
  await page.getByLabel('Certificate number', { exact: true }).fill(ana.number);
  await page.getByLabel("Holder's last name", { exact: true }).fill(`Ruiz${tag}`);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const found = page.getByRole('region', { name: 'Certificate found' });
  await expect(found).toContainText(ana.name);
  await expect(found).toContainText(ana.number);
  await expect(found).toContainText('Active');
  await expect(page.locator('body')).not.toContainText(ana.email);
  await shot(page, testInfo, 'certificate-import-verified');
});
