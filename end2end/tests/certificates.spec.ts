// Passing issues a certificate that anyone can verify. The administrator makes a small
// coordinator course of its own (membership included; one single-choice question, pass mark
// 50%), schedules a class and makes an attendee eligible; the attendee passes, finds the
// certificate under Certificates and downloads its PDF; an anonymous visitor then verifies it
// by its code (typed in lower case) and by its number and the holder's last name, and never
// sees the holder's email. With JavaScript on and off.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createCourseWithTest, eligibleAttendee, forgetSession, open, ready, scheduleClass, shot, signIn } from './helpers';

const GIFT = `$CATEGORY: Partnerships

::Partners::Who belongs on a CIT steering committee?
{=Police, 911, mental-health partners and people with lived experience ~Police only ~Nobody}
`;

test('an attendee passes, downloads the certificate, and a visitor verifies it', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const tag = `${testInfo.project.name === 'js-on' ? 'J' : 'N'}${Date.now().toString(36).slice(-5).toUpperCase()}`;
  const code = `CE${tag}`;
  const title = `Coordinator practice ${tag}`;

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await createCourseWithTest(page, testInfo, { code, title, topic: 'Partnerships', gift: GIFT, questions: 1, passMark: 50, certification: true });

  const id = await scheduleClass(page, testInfo, { course: title });
  await forgetSession(page);
  const person = await eligibleAttendee(page, testInfo, id, 'certified');

  // The attendee passes.
  await signIn(page, testInfo, person.email, person.password);
  await page.getByRole('link', { name: `Go to the test for ${title}`, exact: true }).click();
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Start the test', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  await ready(page, testInfo);
  await page.getByLabel('Police, 911, mental-health partners and people with lived experience', { exact: true }).check();
  await page.getByRole('button', { name: 'Save and review before submitting', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+\/review$/);
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Submit the test', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+\/result$/);
  await expect(page.locator('.result')).toContainText('Passed: 100%');
  // The result names the certificate, its PDF and the membership it carries.
  const earned = page.getByRole('region', { name: 'Your certificate' });
  await expect(earned).toContainText(/Certificate CITC-\d{4}-\d{6} is yours\. It is valid until \w+ \d+, \d{4}, and with it you are a member/);
  await expect(earned.getByRole('link', { name: 'Download the certificate (PDF)', exact: true })).toHaveAttribute('href', /^\/certificates\/\d+\/certificate\.pdf$/);
  await expect(earned.getByRole('link', { name: 'Your certificates', exact: true })).toBeVisible();
  await shot(page, testInfo, 'certificates-result-passed');
  const testPage = (await page.getByRole('link', { name: /Certification test$/ }).getAttribute('href')) ?? '';
  expect(testPage).toMatch(/^\/registrations\/\d+\/test$/);

  // Certified: the dashboard shows the membership and no longer offers the test, and the
  // test page refuses a new attempt.
  await open(page, testInfo, '/dashboard');
  await expect(page.getByRole('region', { name: 'Membership' })).toContainText(/Member through \w+ \d+, \d{4}/);
  await expect(page.getByText(/^You are certified: certificate CITC-\d{4}-\d{6}, valid through /)).toBeVisible();
  await expect(page.getByRole('link', { name: `Go to the test for ${title}`, exact: true })).toHaveCount(0);
  await shot(page, testInfo, 'certificates-dashboard-certified');
  await open(page, testInfo, testPage);
  await expect(page.getByText(/you hold an active certificate for this course and do not sit its test again/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start the test', exact: true })).toHaveCount(0);

  // Certificates: the new one, with its PDF.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificates', exact: true }).click();
  await expect(page).toHaveURL(/\/certificates$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your certificates');
  const card = page.getByRole('region', { name: 'Certified CIT Coordinator' });
  await expect(card).toContainText(title);
  await expect(card).toContainText('Active');
  const number = (await card.locator('dt:text-is("Number") + dd').textContent())?.trim() ?? '';
  expect(number).toMatch(/^CITC-\d{4}-\d{6}$/);
  const verificationCode = (await card.locator('code').textContent())?.trim() ?? '';
  expect(verificationCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await shot(page, testInfo, 'certificates-holder');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('link', { name: `Download certificate ${number} (PDF)`, exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  const pdf = readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await forgetSession(page);

  // An anonymous visitor verifies it by its code, typed in lower case with dashes.
  await open(page, testInfo, '/');
  await page.getByRole('link', { name: 'Verify a certificate', exact: true }).click();
  await expect(page).toHaveURL(/\/verify$/);
  await ready(page, testInfo);
  await page.getByLabel('Verification code', { exact: true }).fill(verificationCode.toLowerCase());
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const found = page.getByRole('region', { name: 'Certificate found' });
  await expect(found).toBeVisible();
  await expect(found).toContainText(person.name);
  await expect(found).toContainText(number);
  await expect(found).toContainText('Active');
  await expect(page.locator('body')).not.toContainText(person.email);
  await shot(page, testInfo, 'certificates-verified');

  // By number and last name; a wrong code is a plain "not found".
  await open(page, testInfo, '/verify');
  await page.getByLabel('Certificate number', { exact: true }).fill(number);
  await page.getByLabel("Holder's last name", { exact: true }).fill(person.name.split(' ').pop() ?? '');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Certificate found' })).toContainText(person.name);
  await open(page, testInfo, '/verify/0000000000000000', 404);
  await expect(page.getByRole('region', { name: 'Not found' })).toContainText('No certificate has that verification code.');
});
