// Accessibility (issue 10): axe-core checks every page of the app against WCAG 2.1 A and AA,
// with JavaScript on and off, as the role that can see it, and in the states that matter
// (a form showing errors next to its fields, an empty list, a refusal, a 404).
//
// PAGES below is the one list of what is checked. It names each page by its route pattern as
// written in app/src/lib.rs, and the first test fails when a route there has no entry here,
// so a new page cannot be left out unnoticed.
//
// One person goes through the whole life of a certificate so that every page has real data:
// the administrator publishes a library page and makes a small certification course (a
// single-choice question and an essay), schedules a class and makes the person eligible; the
// person takes the test; the administrator grades the essay, which passes and certifies them.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, CAN_SEED, type Person, createCourseWithTest, eligibleAttendee, emailedLink, forgetSession, jsOn, mailDir, open, ready,
  scheduleClass, seedSql, signIn,
} from './helpers';

// No trace: with JavaScript off each check opens a browser context of its own (see `axe`),
// and Playwright's trace recorder, which follows every context, failed writing its zip twice.
test.use({ trace: 'off' });

/** The rule sets of WCAG 2.1 level AA (axe tags each rule with the level that asks for it). */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The moments of the journey at which pages are checked, in order, and who is signed in. */
const STAGES = {
  visitor: 'visitor (signed out)',
  attendee: 'attendee, before the test',
  testing: 'attendee, test running',
  submitted: 'attendee, test submitted',
  evaluating: 'attendee, class ended',
  staff: 'administrator, before grading',
  graded: 'administrator, after grading',
  certified: 'certified coordinator',
  public: 'visitor (signed out), certificate issued',
} as const;
type Stage = keyof typeof STAGES;

/** What the journey made: ids and paths the pages are opened with. */
interface World {
  person: Person;
  code: string;
  title: string;
  offering: number;
  verifyEmailLink: string;
  resetLink: string;
  registration: number;
  attempt: number;
  meeting: number;
  question: number;
  scenarioBank: string;
  scenario: number;
  gradeItem: string;
  staffAttempt: string;
  resource: number;
  certificate: number;
  verification: string;
}

interface Visit {
  /** The route pattern exactly as in app/src/lib.rs (`*` for the not-found fallback). */
  route: string;
  stage: Stage;
  path: (w: World) => string;
  status?: number;
  /** The state the page is checked in, when it is not simply the page as opened. */
  state?: string;
  /** Brings the page into that state. */
  reach?: (page: Page, w: World) => Promise<void>;
}

const PAGES: Visit[] = [
  // Visitor
  { route: '', stage: 'visitor', path: () => '/' },
  { route: '/courses', stage: 'visitor', path: () => '/courses' },
  { route: '/courses/:code', stage: 'visitor', path: () => '/courses/CITC' },
  { route: '/offerings/:id', stage: 'visitor', path: (w) => `/offerings/${w.offering}` },
  { route: '/signup', stage: 'visitor', path: () => '/signup' },
  {
    route: '/signup', stage: 'visitor', path: () => '/signup', state: 'sent empty: an error next to each field',
    reach: async (page) => {
      await page.getByRole('button', { name: 'Create account', exact: true }).click();
      await expect(page.locator('.field-error').first()).toBeVisible();
    },
  },
  { route: '/signin', stage: 'visitor', path: () => '/signin' },
  {
    route: '/signin', stage: 'visitor', path: () => '/signin', state: 'wrong password',
    reach: async (page, w) => {
      await page.getByLabel('Email', { exact: true }).fill(w.person.email);
      await page.getByLabel('Password', { exact: true }).fill('Not-The-Password-1');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  { route: '/forgot-password', stage: 'visitor', path: () => '/forgot-password' },
  { route: '/reset-password/:token', stage: 'visitor', path: (w) => w.resetLink },
  {
    route: '/reset-password/:token', stage: 'visitor', path: (w) => w.resetLink, state: 'the two passwords differ',
    reach: async (page) => {
      await page.getByLabel('New password', { exact: true }).fill('Quartz-Meadow-Lantern-71');
      await page.getByLabel('New password, again', { exact: true }).fill('Quartz-Meadow-Lantern-72');
      await page.getByRole('button', { name: 'Set the new password', exact: true }).click();
      await expect(page.getByText(/The two passwords differ/)).toBeVisible();
    },
  },
  { route: '/verify-email/:token', stage: 'visitor', path: (w) => w.verifyEmailLink },
  {
    route: '/verify-email/:token', stage: 'visitor', path: (w) => w.verifyEmailLink, state: 'no password given',
    reach: async (page) => {
      await page.getByRole('button', { name: 'Confirm my email address', exact: true }).click();
      await expect(page.getByText('Enter the password of your CIT Academy account.')).toBeVisible();
    },
  },
  { route: '/verify', stage: 'visitor', path: () => '/verify' },
  { route: '/verify/:code', stage: 'visitor', path: () => '/verify/0000000000000000', status: 404, state: 'no such certificate' },
  { route: '*', stage: 'visitor', path: () => '/no/such/page', status: 404, state: 'not found' },

  // Attendee
  { route: '/dashboard', stage: 'attendee', path: () => '/dashboard' },
  {
    // The class is on now (the roll call moved it there): "Check in" is offered.
    route: '/dashboard', stage: 'attendee', path: () => '/dashboard', state: 'checked in to the session on now',
    reach: async (page) => {
      await page.getByRole('button', { name: /^Check in to session/ }).first().click();
      await expect(page.getByText('You are checked in to this session.')).toBeVisible();
    },
  },
  { route: '/settings', stage: 'attendee', path: () => '/settings' },
  { route: '/certificates', stage: 'attendee', path: () => '/certificates', state: 'no certificates yet' },
  { route: '/resources', stage: 'attendee', path: () => '/resources', status: 403, state: 'not certified: refused' },
  {
    route: '/registrations/:id/invoice', stage: 'attendee', path: (w) => `/registrations/${w.registration}/invoice`,
    state: 'fee waived: a confirmation, not an invoice',
    reach: async (page) => {
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Fee waived');
    },
  },
  { route: '/registrations/:id/test', stage: 'attendee', path: (w) => `/registrations/${w.registration}/test` },
  { route: '/attempts/:id', stage: 'testing', path: (w) => `/attempts/${w.attempt}`, state: 'a question of a running test' },
  { route: '/attempts/:id/review', stage: 'testing', path: (w) => `/attempts/${w.attempt}/review`, state: 'nothing answered yet' },
  { route: '/attempts/:id/result', stage: 'submitted', path: (w) => `/attempts/${w.attempt}/result`, state: 'waiting for grading' },
  { route: '/registrations/:id/evaluation', stage: 'attendee', path: (w) => `/registrations/${w.registration}/evaluation`, state: 'the class has not ended' },

  // Attendee, once the class is over (its sessions moved into the past in the database)
  { route: '/dashboard', stage: 'evaluating', path: () => '/dashboard', state: 'asked to evaluate the class' },
  { route: '/registrations/:id/evaluation', stage: 'evaluating', path: (w) => `/registrations/${w.registration}/evaluation`, state: 'the form' },
  {
    route: '/registrations/:id/evaluation', stage: 'evaluating', path: (w) => `/registrations/${w.registration}/evaluation`, state: 'sent without ratings: the error next to the first item',
    reach: async (page) => {
      await page.getByRole('button', { name: 'Send my evaluation', exact: true }).click();
      await expect(page.locator('.field-error').first()).toBeVisible();
    },
  },
  {
    route: '/registrations/:id/evaluation', stage: 'evaluating', path: (w) => `/registrations/${w.registration}/evaluation`, state: 'sent: thanks',
    reach: async (page) => {
      for (const group of await page.getByRole('group').all()) {
        await group.getByRole('radio').last().check();
      }
      await page.getByLabel('Comment (optional)', { exact: true }).fill('Clear and practical.');
      await page.getByRole('button', { name: 'Send my evaluation', exact: true }).click();
      await expect(page.getByText('Thank you: your evaluation was sent.')).toBeVisible();
    },
  },

  // Instructor's pages, seen by the administrator
  { route: '/teach/offerings/:id', stage: 'staff', path: (w) => `/teach/offerings/${w.offering}` },
  { route: '/teach/meetings/:id', stage: 'staff', path: (w) => `/teach/meetings/${w.meeting}` },
  { route: '/teach/meetings/:id/import', stage: 'staff', path: (w) => `/teach/meetings/${w.meeting}/import` },
  {
    route: '/teach/meetings/:id/import', stage: 'staff', path: (w) => `/teach/meetings/${w.meeting}/import`,
    state: 'a report of another day: refused next to the field',
    reach: async (page) => {
      const report = 'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n'
        + 'Old Friend,old@example.org,01/05/2026 09:00:00 AM,01/05/2026 01:00:00 PM,240,No\n';
      await page.getByLabel('Participant report', { exact: true }).setInputFiles({ name: 'old.csv', mimeType: 'text/csv', buffer: Buffer.from(report) });
      await page.getByRole('button', { name: 'Upload and preview', exact: true }).click();
      await expect(page.locator('#report-error')).toContainText('This report is of a meeting on Monday, January 5, 2026');
    },
  },
  { route: '/teach/offerings/:id/materials', stage: 'staff', path: (w) => `/teach/offerings/${w.offering}/materials`, state: 'no materials yet' },
  { route: '/teach/offerings/:id/gradebook', stage: 'staff', path: (w) => `/teach/offerings/${w.offering}/gradebook` },
  { route: '/teach/offerings/:id/grading', stage: 'staff', path: (w) => `/teach/offerings/${w.offering}/grading` },
  { route: '/teach/grading/:id', stage: 'staff', path: (w) => w.gradeItem },
  {
    route: '/teach/grading/:id', stage: 'staff', path: (w) => w.gradeItem, state: 'too many points',
    reach: async (page) => {
      await page.getByLabel('Points (0 to 1)', { exact: true }).fill('5');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(page.getByText('This question is worth 1 point; enter at most that.')).toBeVisible();
    },
  },
  { route: '/teach/attempts/:id', stage: 'staff', path: (w) => w.staffAttempt },
  { route: '/teach/bank/:code', stage: 'staff', path: (w) => `/teach/bank/${w.code}` },
  { route: '/teach/bank/:code/preview', stage: 'staff', path: (w) => `/teach/bank/${w.code}/preview` },
  { route: '/teach/bank/:code/analysis', stage: 'staff', path: (w) => `/teach/bank/${w.code}/analysis` },
  { route: '/teach/bank/:code/questions/new', stage: 'staff', path: (w) => `/teach/bank/${w.code}/questions/new` },
  { route: '/teach/bank/:code/questions/:id', stage: 'staff', path: (w) => `/teach/bank/${w.code}/questions/${w.question}` },
  { route: '/teach/bank/:code/questions/:id/regrade', stage: 'staff', path: (w) => `/teach/bank/${w.code}/questions/${w.question}/regrade` },
  { route: '/teach/bank/:code/scenarios/new', stage: 'staff', path: (w) => `/teach/bank/${w.code}/scenarios/new` },
  { route: '/teach/bank/:code/scenarios/:id', stage: 'staff', path: (w) => `/teach/bank/${w.scenarioBank}/scenarios/${w.scenario}` },
  { route: '/admin/courses/:code/test', stage: 'staff', path: (w) => `/admin/courses/${w.code}/test` },

  // Administration
  { route: '/dashboard', stage: 'staff', path: () => '/dashboard', state: 'an administrator who teaches: sessions ahead, grading, not yet eligible' },
  { route: '/admin/courses', stage: 'staff', path: () => '/admin/courses' },
  { route: '/admin/courses/new', stage: 'staff', path: () => '/admin/courses/new' },
  {
    route: '/admin/courses/new', stage: 'staff', path: () => '/admin/courses/new', state: 'sent empty: an error next to each field',
    reach: async (page) => {
      await page.getByRole('button', { name: 'Save the course', exact: true }).click();
      await expect(page.locator('.field-error').first()).toBeVisible();
    },
  },
  { route: '/admin/courses/:code/edit', stage: 'staff', path: (w) => `/admin/courses/${w.code}/edit` },
  {
    route: '/admin/courses/:code/edit', stage: 'staff', path: (w) => `/admin/courses/${w.code}/edit`,
    state: 'deleting a topic in use: refused next to its state',
    reach: async (page) => {
      const row = page.getByRole('group', { name: 'Topic 1: Opening the call' });
      await row.getByLabel('State', { exact: true }).selectOption('delete');
      await page.getByRole('button', { name: 'Save the course', exact: true }).click();
      await expect(page.locator('.field-error').filter({ hasText: 'cannot be deleted' })).toBeVisible();
    },
  },
  { route: '/admin/offerings', stage: 'staff', path: () => '/admin/offerings' },
  { route: '/admin/offerings/new', stage: 'staff', path: () => '/admin/offerings/new' },
  { route: '/admin/offerings/:id', stage: 'staff', path: (w) => `/admin/offerings/${w.offering}` },
  { route: '/admin/registrations', stage: 'staff', path: () => '/admin/registrations' },
  { route: '/admin/users', stage: 'staff', path: () => '/admin/users' },
  { route: '/admin/resources', stage: 'staff', path: () => '/admin/resources' },
  { route: '/admin/ce', stage: 'staff', path: () => '/admin/ce' },
  { route: '/admin/certificates/import', stage: 'staff', path: () => '/admin/certificates/import' },
  { route: '/admin/reports', stage: 'graded', path: () => '/admin/reports' },
  { route: '/admin/audit', stage: 'graded', path: () => '/admin/audit' },
  { route: '/teach/offerings/:id/grading', stage: 'graded', path: (w) => `/teach/offerings/${w.offering}/grading`, state: 'nothing left to grade' },
  { route: '/admin/certificates', stage: 'graded', path: () => '/admin/certificates' },
  { route: '/admin/members', stage: 'graded', path: () => '/admin/members' },
  { route: '/admin/certificates/:id', stage: 'graded', path: (w) => `/admin/certificates/${w.certificate}` },
  { route: '/admin/shipments', stage: 'graded', path: () => '/admin/shipments' },
  { route: '/teach/offerings/:id/evaluations', stage: 'graded', path: (w) => `/teach/offerings/${w.offering}/evaluations` },
  { route: '/teach/courses/:code/evaluations', stage: 'graded', path: (w) => `/teach/courses/${w.code}/evaluations` },

  // Certified coordinator
  { route: '/dashboard', stage: 'certified', path: () => '/dashboard', state: 'with the certification and renewal panel' },
  { route: '/certificates', stage: 'certified', path: () => '/certificates' },
  { route: '/resources', stage: 'certified', path: () => '/resources' },
  { route: '/resources', stage: 'certified', path: () => '/resources?q=zzzz-nothing-matches', state: 'a search that finds nothing' },
  { route: '/resources/:id', stage: 'certified', path: (w) => `/resources/${w.resource}` },
  { route: '/verify/:code', stage: 'public', path: (w) => `/verify/${w.verification}`, state: 'certificate found' },
];

/** The route patterns of app/src/lib.rs, plus `*` for its fallback. */
function appRoutes(): string[] {
  const source = fs.readFileSync(path.join(__dirname, '..', '..', 'app', 'src', 'lib.rs'), 'utf8');
  const routes = [...source.matchAll(/<Route\s+path=path!\("([^"]*)"\)/g)].map((m) => m[1]);
  if (source.includes('fallback=')) routes.push('*');
  return routes;
}

test('every route of the app is on the accessibility list', () => {
  const routes = appRoutes();
  expect(routes.length, 'routes found in app/src/lib.rs').toBeGreaterThan(30);
  const listed = new Set(PAGES.map((p) => p.route));
  expect(routes.filter((r) => !listed.has(r)), 'routes missing from PAGES').toEqual([]);
  expect(PAGES.map((p) => p.route).filter((r) => !routes.includes(r)), 'PAGES entries for routes that do not exist').toEqual([]);
});

// The check itself can fail: faults put into a real page on purpose are found, with
// JavaScript on and off (where axe looks at a copy of the page).
test('the check finds faults put into a page on purpose', async ({ page }, testInfo) => {
  await open(page, testInfo, '/');
  await page.evaluate(() => {
    const main = document.querySelector('main');
    const faint = document.createElement('p');
    faint.textContent = 'Faint text';
    faint.style.color = '#c8c8c8';
    const field = document.createElement('input');
    field.type = 'text';
    const link = document.createElement('a');
    link.href = '/courses';
    main?.append(faint, field, link);
  });
  const ids = (await axe(page, testInfo)).violations.map((v) => v.id);
  expect(ids).toEqual(expect.arrayContaining(['color-contrast', 'label', 'link-name']));
});

/**
 * axe limited to WCAG 2.2 A and AA (2.2 adds the target size of 24 px). Legacy mode runs it inside the page alone (the app has no
 * frames), without the blank page the default mode opens per run to merge frame results.
 */
function checker(page: Page): AxeBuilder {
  return new AxeBuilder({ page }).withTags(WCAG_AA).setLegacyMode(true);
}

/** axe's findings on the page as it is now. */
async function axe(page: Page, testInfo: TestInfo): Promise<AxeResults> {
  if (jsOn(testInfo)) {
    return checker(page).analyze();
  }
  // With JavaScript off, Chromium runs no timers or promise callbacks in the page, and axe
  // needs both. So axe checks a copy: this page's document exactly as the browser holds it,
  // at the same address (so the same stylesheet), in a page that may run scripts, with the
  // app's own scripts taken out so that nothing hydrates or changes it.
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const browser = page.context().browser();
  expect(browser, 'the browser behind this page').not.toBeNull();
  const context = await (browser as Browser).newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  try {
    const copy = await context.newPage();
    await copy.route('**/*', (route) =>
      route.request().resourceType() === 'document'
        ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
        : route.continue(),
    );
    await copy.goto(page.url());
    // The stylesheet must apply, or contrast would be judged on the browser's defaults.
    await expect(copy.locator('body')).toHaveCSS('background-color', 'rgb(244, 246, 248)');
    return await checker(copy).analyze();
  } finally {
    await context.close();
  }
}

/** Runs axe on the page as it is now; records (softly) every WCAG 2.1 AA violation. */
async function audit(page: Page, testInfo: TestInfo, label: string): Promise<void> {
  const { violations } = await axe(page, testInfo);
  const report = violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `      at ${n.target.join(' ')}\n         ${(n.failureSummary ?? '').replace(/\n\s*/g, ' ')}`);
      return `  ${v.id} [${v.impact ?? 'no impact given'}] ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`;
    })
    .join('\n');
  expect.soft(violations.map((v) => v.id), `WCAG 2.1 AA violations on ${label}:\n${report}`).toEqual([]);
}

/** Opens and checks every page of `stage`. */
async function checkStage(page: Page, testInfo: TestInfo, stage: Stage, w: World): Promise<void> {
  for (const visit of PAGES.filter((p) => p.stage === stage)) {
    const where = visit.path(w);
    const label = `${visit.route || '/'} as ${STAGES[stage]}${visit.state ? `, ${visit.state}` : ''} (${where})`;
    await test.step(label, async () => {
      await open(page, testInfo, where, visit.status ?? 200);
      if (visit.reach) {
        await visit.reach(page, w);
        await ready(page, testInfo);
      }
      await audit(page, testInfo, label);
    });
  }
}

/**
 * The first link in the page's main content whose address matches `pattern`; returns its
 * path. Waits for it: with JavaScript on, a page reached by client-side navigation fills in
 * its data after it appears.
 */
async function linkMatching(page: Page, pattern: RegExp): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(async () => {
      const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      found = hrefs.find((h) => pattern.test(h));
      return found !== undefined;
    }, { message: `a link matching ${pattern} on ${page.url()}` })
    .toBe(true);
  return found as string;
}

/** The first number in `text` after `prefix`, e.g. the id in `/teach/meetings/12`. */
function idAfter(prefix: string, text: string): number {
  const id = Number(new RegExp(`${prefix}(\\d+)`).exec(text)?.[1]);
  expect(id, `an id after ${prefix} in ${text}`).toBeGreaterThan(0);
  return id;
}

const GIFT = `$CATEGORY: Opening the call

::Calm voice::What helps most in the first minute of a crisis call?
{=A calm, slow voice and your name ~Questions about insurance ~Silence}

::Opening::Describe how you would open a call with a person in crisis. {}
`;

/** The administrator publishes a library page and a one-topic certification course with its test. */
async function prepareCourse(page: Page, testInfo: TestInfo, code: string, title: string): Promise<void> {
  await open(page, testInfo, '/admin/resources');
  const form = page.getByRole('region', { name: 'Publish a page', exact: true });
  await form.getByLabel('Title', { exact: true }).fill(`Steering committee guide ${code}`);
  await form.getByLabel('Category', { exact: true }).selectOption({ index: 1 });
  await form.getByLabel('Text (Markdown)', { exact: true }).fill('## Who sits on it\n\nPolice, 911, mental-health partners.');
  await form.getByRole('button', { name: 'Publish the page', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /published/ })).toBeVisible();

  await createCourseWithTest(page, testInfo, { code, title, topic: 'Opening the call', gift: GIFT, questions: 2, passMark: 75, certification: true });
}

/** The person answers both questions (right, and an essay) and submits. */
async function answerAndSubmit(page: Page, testInfo: TestInfo, attempt: number): Promise<void> {
  await open(page, testInfo, `/attempts/${attempt}`);
  const heading = page.getByRole('heading', { level: 1 });
  for (const n of [1, 2]) {
    await expect(heading).toHaveText(`Question ${n} of 2`);
    await ready(page, testInfo);
    if ((await page.locator('form.test-form').getByRole('radio').count()) > 0) {
      await page.getByLabel('A calm, slow voice and your name', { exact: true }).check();
    } else {
      const field = page.getByLabel('Your answer', { exact: true });
      await field.fill('I would say my name, slow down, and ask how they are safe right now.');
      await field.blur();
    }
    const next = n === 2 ? 'Save and review before submitting' : 'Save and next';
    await page.getByRole('button', { name: next, exact: true }).click();
  }
  await expect(page).toHaveURL(/\/attempts\/\d+\/review$/);
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Submit the test', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+\/result$/);
}

test('every page meets WCAG 2.1 AA, for every role, in its key states', async ({ page }, testInfo) => {
  test.skip(!mailDir, 'E2E_MAIL_DIR is not set (the reset and verification links come from the outbox)');
  test.setTimeout(600_000);
  const tag = `${testInfo.project.name === 'js-on' ? 'J' : 'N'}${Date.now().toString(36).slice(-5).toUpperCase()}`;
  const w = { code: `AX${tag}`, title: `Accessible practice ${tag}`, scenarioBank: 'CIT911' } as World;

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await prepareCourse(page, testInfo, w.code, w.title);
  w.offering = await scheduleClass(page, testInfo, { course: w.title });
  // The administrator teaches the class too, so that their dashboard shows the teaching overview.
  await page.getByLabel('Instructors (emails, comma-separated)', { exact: true }).fill(ADMIN_EMAIL);
  await page.getByRole('button', { name: 'Save changes', exact: true }).click();
  await expect(page).toHaveURL(/\?updated=1$/);
  await forgetSession(page);
  w.person = await eligibleAttendee(page, testInfo, w.offering, 'a11y');
  w.verifyEmailLink = await emailedLink(w.person.email, '/verify-email/');
  await open(page, testInfo, '/forgot-password');
  await page.getByLabel('Email', { exact: true }).fill(w.person.email);
  await page.getByRole('button', { name: 'Send the link', exact: true }).click();
  await expect(page.getByText(/If an account exists for that address/)).toBeVisible();
  w.resetLink = await emailedLink(w.person.email, '/reset-password/');
  await checkStage(page, testInfo, 'visitor', w);

  await signIn(page, testInfo, w.person.email, w.person.password);
  w.registration = idAfter('/registrations/', await linkMatching(page, /^\/registrations\/\d+\/test$/));
  await checkStage(page, testInfo, 'attendee', w);

  await open(page, testInfo, `/registrations/${w.registration}/test`);
  await page.getByRole('button', { name: 'Start the test', exact: true }).click();
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  w.attempt = idAfter('/attempts/', page.url());
  await checkStage(page, testInfo, 'testing', w);
  await answerAndSubmit(page, testInfo, w.attempt);
  await checkStage(page, testInfo, 'submitted', w);
  if (CAN_SEED) {
    // The class is over: its sessions took place three and two days ago.
    const at = (hours: number) => new Date(Date.now() + hours * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const meeting = (pick: string) => `(SELECT ${pick}(id) FROM meetings WHERE offering_id = ${w.offering})`;
    seedSql(
      `UPDATE meetings SET starts_at = '${at(-72)}', ends_at = '${at(-68)}' WHERE id = ${meeting('MIN')}; `
        + `UPDATE meetings SET starts_at = '${at(-48)}', ends_at = '${at(-44)}' WHERE id = ${meeting('MAX')}`,
    );
    await checkStage(page, testInfo, 'evaluating', w);
  }
  await forgetSession(page);

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, testInfo, `/teach/offerings/${w.offering}`);
  w.meeting = idAfter('/teach/meetings/', await linkMatching(page, /^\/teach\/meetings\/\d+$/));
  await open(page, testInfo, `/teach/offerings/${w.offering}/grading`);
  w.gradeItem = await linkMatching(page, /^\/teach\/grading\/\d+/);
  w.staffAttempt = await linkMatching(page, /^\/teach\/attempts\/\d+$/);
  await open(page, testInfo, `/teach/bank/${w.code}`);
  w.question = idAfter(`/questions/`, await linkMatching(page, /\/questions\/\d+$/));
  await open(page, testInfo, `/teach/bank/${w.scenarioBank}`);
  w.scenario = idAfter('/scenarios/', await linkMatching(page, /\/scenarios\/\d+$/));
  await open(page, testInfo, '/admin/resources');
  w.resource = idAfter('/resources/', await linkMatching(page, /^\/resources\/\d+$/));
  await checkStage(page, testInfo, 'staff', w);

  // Full marks for the essay: the result is final, passed, and certifies the person.
  await open(page, testInfo, w.gradeItem);
  await page.getByLabel('Points (0 to 1)', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Save and grade next', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Every waiting answer is graded.' })).toBeVisible();
  await open(page, testInfo, '/admin/certificates');
  const row = page.getByRole('row').filter({ hasText: w.person.email });
  w.certificate = idAfter('/admin/certificates/', (await row.getByRole('link').getAttribute('href')) ?? '');
  await checkStage(page, testInfo, 'graded', w);
  await forgetSession(page);

  await signIn(page, testInfo, w.person.email, w.person.password);
  await open(page, testInfo, '/certificates');
  w.verification = ((await page.locator('main code').first().textContent()) ?? '').trim();
  expect(w.verification, 'the verification code on the certificate').toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await checkStage(page, testInfo, 'certified', w);
  await forgetSession(page);
  await checkStage(page, testInfo, 'public', w);
});
