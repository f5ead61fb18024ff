// What a visitor sees: the home page, the course catalog, course pages, the 404 page.
import { expect, test } from '@playwright/test';
import { open, shot } from './helpers';

test('the home page names the academy and offers sign-in and sign-up', async ({ page }, testInfo) => {
  await open(page, testInfo, '/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('CIT Academy');
  const nav = page.getByRole('navigation').first();
  await expect(nav.getByRole('link', { name: 'Courses', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Create account', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await shot(page, testInfo, 'home');
});

test('the catalog lists both courses with their fees and links', async ({ page }, testInfo) => {
  await open(page, testInfo, '/courses');
  const main = page.locator('main');
  await expect(main.getByText('CIT Coordinator Certification').first()).toBeVisible();
  await expect(main.getByText('CIT Support Training for 911').first()).toBeVisible();
  await expect(main.getByText('$450').first()).toBeVisible();
  await expect(main.getByText('$250').first()).toBeVisible();
  await expect(page.locator('a[href="/courses/CITC"]').first()).toBeVisible();
  await expect(page.locator('a[href="/courses/CIT911"]').first()).toBeVisible();
  await shot(page, testInfo, 'catalog');

  // Following the link works with and without the client-side router.
  await page.locator('a[href="/courses/CITC"]').first().click();
  await expect(page).toHaveURL(/\/courses\/CITC$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('CIT Coordinator Certification');
});

const courses = [
  {
    code: 'CITC',
    title: 'CIT Coordinator Certification',
    fee: '$450',
    topics: 27,
    someTopics: ['Defining the CIT model', 'The 40-hour training week', 'Resources'],
  },
  {
    code: 'CIT911',
    title: 'CIT Support Training for 911',
    fee: '$250',
    topics: 7,
    someTopics: ['Understanding the CIT model', 'Suicide assessment and intervention', 'Scenario-based training'],
  },
];

for (const course of courses) {
  test(`the ${course.code} page shows fee, format and ${course.topics} topics`, async ({ page }, testInfo) => {
    await open(page, testInfo, `/courses/${course.code}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(course.title);
    const main = page.locator('main');
    await expect(main.getByText(course.fee).first()).toBeVisible();
    await expect(main.getByText('8 hours').first()).toBeVisible();
    await expect(main.getByText('Two 4-hour online sessions on consecutive days').first()).toBeVisible();
    const topics = page.locator('ol').filter({ hasText: course.someTopics[0] }).locator(':scope > li');
    await expect(topics).toHaveCount(course.topics);
    for (const topic of course.someTopics) {
      await expect(topics.filter({ hasText: topic })).toHaveCount(1);
    }
    await shot(page, testInfo, `course-${course.code}`);
  });
}

test('an unknown path gets the 404 page', async ({ page }, testInfo) => {
  await open(page, testInfo, '/no/such/page', 404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await shot(page, testInfo, 'not-found');
});
