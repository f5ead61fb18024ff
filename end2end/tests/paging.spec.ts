// A long list, paged and sorted. Sixty certificates of this run's own are seeded (holders
// named in one order, issued in the other, all expired long ago so that a filter on the
// expiry isolates them); the administrator opens the filtered list (newest first), clicks the
// holder's column heading and sees the order change, then goes to the next page and sees the
// rest, still sorted by holder and still filtered. With JavaScript on and off.
import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CAN_SEED, open, ready, seedSql, shot, signIn } from './helpers';

const ROWS = 60;

test('an administrator sorts a long list by a column and pages through it', async ({ page }, testInfo) => {
  test.skip(!CAN_SEED, 'needs E2E_DATABASE_URL to seed rows');
  const tag = `${testInfo.project.name === 'js-on' ? 'J' : 'N'}${Date.now().toString(36).slice(-5).toUpperCase()}`;
  // Each project (and each retry) its own years, earlier than any other certificate, so the
  // filter "valid through a day before" selects this run's rows only.
  const year = (testInfo.project.name === 'js-on' ? 1900 : 1800) - 40 * testInfo.retry;
  const bound = `${year + 5}-01-01`;
  const pad = (i: number) => i.toString().padStart(2, '0');
  const holder = (i: number) => `Paging Holder ${tag} ${pad(i)}`;
  const now = new Date().toISOString();
  const rows = Array.from({ length: ROWS }, (_, i) => {
    // Holder i was issued on day i: by holder the order is the reverse of newest first. They
    // are long expired (stored so: a person holds one active certificate per course at most).
    const issued = new Date(Date.UTC(year, 0, 1 + i)).toISOString().slice(0, 10);
    const expires = `${year + 3}-12-31`;
    return (
      'INSERT INTO certificates (number, verification_code, user_id, course_id, kind, holder_name, issued_on, expires_on, status, issued_at, mailed_at, status_index) VALUES ('
      + `'PG-${tag}-${pad(i)}', 'PGCODE${tag}${pad(i)}', (SELECT id FROM users WHERE email = '${ADMIN_EMAIL}'), (SELECT id FROM courses WHERE code = 'CITC'), `
      + `'coordinator', '${holder(i)}', '${issued}', '${expires}', 'expired', '${now}', '${now}', `
      + "(SELECT next_index FROM status_list_counter WHERE list = 'revocation')); "
      + "UPDATE status_list_counter SET next_index = next_index + 1 WHERE list = 'revocation'"
    );
  });
  seedSql(rows.join('; '));

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/admin/certificates?expires_before=${bound}`);
  await expect(page.getByRole('heading', { name: `Certificates (${ROWS})`, exact: true })).toBeVisible();
  const body = page.locator('table tbody tr');
  await expect(body).toHaveCount(50);
  await expect(body.first()).toContainText(holder(ROWS - 1));
  await expect(page.getByRole('columnheader', { name: /^Issued/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByRole('columnheader', { name: /^Name and email/ })).not.toHaveAttribute('aria-sort', /.*/);

  // Sort by holder: the first holder by name comes first.
  await page.getByRole('link', { name: /^Name and email\s*\(sort by this, ascending\)$/ }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/certificates\\?expires_before=${bound}&sort=holder&dir=asc$`));
  await ready(page, testInfo);
  await expect(page.getByRole('columnheader', { name: /^Name and email/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByRole('columnheader', { name: /^Issued/ })).not.toHaveAttribute('aria-sort', /.*/);
  await expect(body.first()).toContainText(holder(0));
  await expect(body.nth(49)).toContainText(holder(49));
  await expect(page.getByText(`Rows 1–50 of ${ROWS}`)).toBeVisible();
  await shot(page, testInfo, 'paging-sorted-by-holder');

  // The next page: the rest, still by holder, still filtered.
  await page.getByRole('link', { name: 'Next page', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/certificates\\?expires_before=${bound}&sort=holder&dir=asc&page=2$`));
  await ready(page, testInfo);
  await expect(body).toHaveCount(ROWS - 50);
  await expect(body.first()).toContainText(holder(50));
  await expect(body.last()).toContainText(holder(ROWS - 1));
  await expect(page.getByText(`Rows 51–${ROWS} of ${ROWS}`)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Page 2', exact: true })).toHaveAttribute('aria-current', 'page');
  await shot(page, testInfo, 'paging-page-two');

  // Once more on the sorted column: the other way round, back on the first page.
  await page.getByRole('link', { name: /^Name and email\s*\(sorted ascending; sort descending\)$/ }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/certificates\\?expires_before=${bound}&sort=holder&dir=desc$`));
  await ready(page, testInfo);
  await expect(page.getByRole('columnheader', { name: /^Name and email/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(body.first()).toContainText(holder(ROWS - 1));
  await expect(body).toHaveCount(50);
});
