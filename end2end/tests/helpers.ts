// Shared steps of the CIT Academy browser tests.
import { expect, type Page, type TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A password the strength check accepts. */
export const GOOD_PASSWORD = 'Maple-Orbit-Kettle-42';

export const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL || 'admin@e2e.test';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD || 'Correct-Horse-Battery-9';

/** Whether this test runs in the project with JavaScript (and so the hydrated app). */
export function jsOn(testInfo: TestInfo): boolean {
  return testInfo.project.name === 'js-on';
}

/** An email address no other test (or earlier run on the same database) uses. */
export function uniqueEmail(testInfo: TestInfo, tag: string): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${tag}.${Date.now()}.${random}.${testInfo.project.name}@e2e.test`;
}

/** With JavaScript on, waits until the WebAssembly app has hydrated the page. */
export async function ready(page: Page, testInfo: TestInfo): Promise<void> {
  if (jsOn(testInfo)) {
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  }
}

/** Opens a path, checks its HTTP status, waits for hydration. */
export async function open(page: Page, testInfo: TestInfo, path: string, status = 200): Promise<void> {
  const response = await page.goto(path);
  expect(response, `no response for ${path}`).not.toBeNull();
  expect(response?.status(), `HTTP status of ${path}`).toBe(status);
  await ready(page, testInfo);
}

/** Keeps a full-page screenshot of the page as `<name>.png` in the test's artifact folder. */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

export interface Person {
  name: string;
  email: string;
  password: string;
  agency: string;
  agencyType: string;
}

/** A new person with a unique email. */
export function newPerson(testInfo: TestInfo, tag: string): Person {
  return {
    name: `Jordan Rivera ${Math.random().toString(36).slice(2, 6).toUpperCase()}`,
    email: uniqueEmail(testInfo, tag),
    password: GOOD_PASSWORD,
    agency: 'Pueblo County Sheriff',
    agencyType: 'Law enforcement',
  };
}

/** Fills in and sends the sign-up form (does not check the outcome). */
export async function submitSignup(page: Page, testInfo: TestInfo, person: Person): Promise<void> {
  await open(page, testInfo, '/signup');
  await page.getByLabel('Full name', { exact: true }).fill(person.name);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByLabel('Agency', { exact: true }).fill(person.agency);
  await page.getByLabel('Agency type', { exact: true }).selectOption({ label: person.agencyType });
  await shot(page, testInfo, `signup-filled-${person.email.split('.')[0]}`);
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
}

/** What every accepted sign-up shows, whether or not the address already had an account. */
export async function expectCheckInbox(page: Page, testInfo: TestInfo): Promise<void> {
  await expect(page).toHaveURL(/\/signup\?sent=1$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your inbox');
}

/**
 * Signs a new person up (the page says to check the inbox: sign-up signs nobody in), then
 * signs them in and checks that they land on their dashboard.
 */
export async function signUp(page: Page, testInfo: TestInfo, person: Person): Promise<void> {
  await submitSignup(page, testInfo, person);
  await expectCheckInbox(page, testInfo);
  await signIn(page, testInfo, person.email, person.password);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.name}`);
}

/** Fills in and sends the sign-in form (does not check the outcome). */
export async function submitSignin(page: Page, testInfo: TestInfo, email: string, password: string): Promise<void> {
  await open(page, testInfo, '/signin');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in and checks that the dashboard opens. */
export async function signIn(page: Page, testInfo: TestInfo, email: string, password: string): Promise<void> {
  await submitSignin(page, testInfo, email, password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await ready(page, testInfo);
}

/** Forgets the session, as a new browser would. */
export async function forgetSession(page: Page): Promise<void> {
  await page.context().clearCookies();
}

export const CITC = 'CIT Coordinator Certification';

/** A day a year or two ahead, different per run and project, as YYYY-MM-DD. */
export function farDay(testInfo: TestInfo): string {
  const offset = 350 + (testInfo.project.name === 'js-on' ? 0 : 60) + Math.floor(Math.random() * 400);
  return new Date(Date.now() + offset * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/**
 * The signed-in administrator schedules a two-day day class of `course` (default: coordinator) (9:00 am-1:00 pm,
 * Denver) with `seats` seats from `firstDay` (default: a far day); returns its id.
 */
export async function scheduleClass(
  page: Page,
  testInfo: TestInfo,
  { firstDay, seats = 5, course = CITC }: { firstDay?: string; seats?: number; course?: string } = {},
): Promise<number> {
  await open(page, testInfo, '/admin/offerings/new');
  await page.getByLabel('Course', { exact: true }).selectOption({ label: course });
  await page.getByLabel('First day', { exact: true }).fill(firstDay ?? farDay(testInfo));
  await page.getByLabel('Number of consecutive days', { exact: true }).fill('2');
  await page.getByLabel('Class time', { exact: true }).selectOption('day');
  await page.getByLabel('Seats', { exact: true }).fill(String(seats));
  await page.getByRole('button', { name: 'Schedule the class' }).click();
  await expect(page).toHaveURL(/\/admin\/offerings\/\d+\?created=1$/);
  await ready(page, testInfo);
  const id = Number(/\/admin\/offerings\/(\d+)/.exec(page.url())?.[1]);
  expect(id, 'the new class id').toBeGreaterThan(0);
  return id;
}

/** The whole minute `minutes` from now, in milliseconds. */
export function minuteFromNow(minutes: number): number {
  return Math.floor(Date.now() / 60_000 + minutes) * 60_000;
}

/** `ms` as the database stores an instant: `2026-12-07T14:00:00+00:00`. */
function dbInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Test-only (through `seedSql`): moves meeting `meeting` (an id, or a query for one) to start at `startMs` and last four hours. */
export function moveMeetingTo(meeting: number | string, startMs: number): void {
  seedSql(
    `UPDATE meetings SET starts_at = '${dbInstant(startMs)}', ends_at = '${dbInstant(startMs + 240 * 60_000)}' WHERE id = ${meeting}`,
  );
}

/** Moves session `number` (1 or 2, by id) of class `id` to start at `startMs` (see `moveMeetingTo`). */
export function moveSessionTo(id: number, number: 1 | 2, startMs: number): void {
  moveMeetingTo(`(SELECT ${number === 1 ? 'MIN' : 'MAX'}(id) FROM meetings WHERE offering_id = ${id})`, startMs);
}

/** Moves session `number` of class `id` to start `startMinutes` from now (see `moveSessionTo`). */
export function moveSession(id: number, number: 1 | 2, startMinutes: number): void {
  moveSessionTo(id, number, minuteFromNow(startMinutes));
}

/**
 * Test-only: class `id` is on now: session 1 started three hours ago, session 2 two hours ago,
 * neither has ended. Roll call and meeting reports are refused before a session starts, and a
 * session that had ended would be marked absent by the end-of-session job under the test's feet.
 */
export function startClass(id: number): void {
  moveSession(id, 1, -180);
  moveSession(id, 2, -120);
}

/**
 * The signed-in instructor or admin takes the roll of both sessions of class `id`: everyone
 * present. The class is moved to be on now first (see `startClass`).
 */
export async function takeRoll(page: Page, testInfo: TestInfo, id: number): Promise<void> {
  startClass(id);
  for (const session of [1, 2]) {
    await open(page, testInfo, `/teach/offerings/${id}`);
    await page.getByRole('link', { name: `Roll call for session ${session}`, exact: true }).click();
    await ready(page, testInfo);
    await page.getByRole('button', { name: 'Mark everyone not yet marked as present', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  }
}

/** The admin takes the roll of both sessions, waives the fee and opens the test window. */
export async function makeEligible(page: Page, testInfo: TestInfo, id: number, name: string): Promise<void> {
  await takeRoll(page, testInfo, id);
  await open(page, testInfo, `/admin/offerings/${id}`);
  await page.getByLabel(`Payment status for ${name}`, { exact: true }).selectOption({ label: 'Waived' });
  await page.getByRole('button', { name: `Save payment for ${name}`, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Payment recorded.' })).toBeVisible();
  await open(page, testInfo, `/teach/offerings/${id}`);
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByLabel('Test opens on', { exact: true }).fill(yesterday < today ? yesterday : today);
  await page.getByLabel('Test closes after', { exact: true }).fill(later);
  await page.getByRole('button', { name: 'Save the test window', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Test window saved.' })).toBeVisible();
}

/** Answers the question on screen with its first option or a short text. */
export async function answer(page: Page): Promise<void> {
  const form = page.locator('form.test-form');
  const radios = form.getByRole('radio');
  const boxes = form.locator('fieldset.question').getByRole('checkbox');
  if ((await radios.count()) > 0) {
    await radios.first().check();
  } else if ((await boxes.count()) > 0) {
    await boxes.first().check();
  } else {
    // A typed answer is saved when the person leaves the field (the change event).
    const field = form.getByLabel('Your answer', { exact: true });
    await field.fill('Crisis Intervention Team');
    await field.blur();
  }
}

/**
 * A new person (signed up here) registers for class `id`, and the administrator makes them
 * eligible for the test. Ends signed out; returns the person.
 */
export async function eligibleAttendee(page: Page, testInfo: TestInfo, id: number, tag: string): Promise<Person> {
  const person = newPerson(testInfo, tag);
  await signUp(page, testInfo, person);
  await open(page, testInfo, `/offerings/${id}`);
  await page.getByRole('region', { name: 'Registration', exact: true }).getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/offerings/${id}\\?registered=1$`));
  await forgetSession(page);

  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  await makeEligible(page, testInfo, id, person.name);
  await forgetSession(page);
  return person;
}

/** `YYYY-MM-DD` of `d` (UTC). */
function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `day` plus `years` calendar years; 29 February goes to 28 February, as the app's rule does. */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const shifted = new Date(Date.UTC(y + years, m - 1, d));
  return shifted.getUTCMonth() === m - 1 ? isoDay(shifted) : isoDay(new Date(Date.UTC(y + years, m - 1, 28)));
}

/** "June 18, 2029", as the app writes dates. */
export function longDate(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

/** Whether the test run says which database the server uses (`cargo xtask test` does). */
export const CAN_SEED = !!process.env.E2E_DATABASE_URL;

/**
 * Test-only seeding: runs `sql` on the server's database with its command-line client
 * (`sqlite3` or `psql`), for states no journey can reach in a test's time, such as a
 * certificate issued two years ago. Nothing in the app offers this.
 */
export function seedSql(sql: string): void {
  const url = process.env.E2E_DATABASE_URL ?? '';
  if (url.startsWith('sqlite://')) {
    const file = url.slice('sqlite://'.length).split('?')[0];
    execFileSync('sqlite3', ['-cmd', '.timeout 10000', file, `BEGIN IMMEDIATE; ${sql}; COMMIT;`]);
  } else {
    execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `BEGIN; ${sql}; COMMIT;`]);
  }
}

/**
 * Gives the account `email` an active coordinator certificate issued on `issuedOn` (valid
 * three years) and its membership, as an import of someone certified before the platform
 * existed would. Returns the expiry day.
 */
export function seedCoordinatorCertificate(email: string, name: string, issuedOn: string): string {
  const expiresOn = addYears(issuedOn, 3);
  const random = () => Math.floor(Math.random() * 1e8).toString().padStart(8, '0');
  const number = `CITC-E2E-${random()}`;
  const code = `${random()}${random()}`;
  const now = new Date().toISOString();
  const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;
  seedSql(
    'INSERT INTO certificates (number, verification_code, user_id, course_id, kind, holder_name, issued_on, expires_on, status, issued_at, mailed_at, status_index) VALUES ('
      + `${quoted(number)}, ${quoted(code)}, (SELECT id FROM users WHERE email = ${quoted(email)}), (SELECT id FROM courses WHERE code = 'CITC'), `
      + `'coordinator', ${quoted(name)}, ${quoted(issuedOn)}, ${quoted(expiresOn)}, 'active', ${quoted(now)}, ${quoted(now)}, `
      + "(SELECT next_index FROM status_list_counter WHERE list = 'revocation')); "
      + "UPDATE status_list_counter SET next_index = next_index + 1 WHERE list = 'revocation'; "
      + 'INSERT INTO memberships (user_id, certificate_id, starts_on, ends_on, status) '
      + `SELECT user_id, id, issued_on, expires_on, 'active' FROM certificates WHERE number = ${quoted(number)}`,
  );
  return expiresOn;
}

/** A day `days` days from today (negative: ago), as YYYY-MM-DD. */
export function dayFromToday(days: number): string {
  return isoDay(new Date(Date.now() + days * 24 * 3600 * 1000));
}

/** Where the server drops its mail as .eml files (no SMTP in the browser tests), if known. */
export const mailDir = process.env.E2E_MAIL_DIR;

/** The newest link with `prefix` in a message to `to`, read from the .eml files. */
export async function emailedLink(to: string, prefix: string): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(
      () => {
        const files = fs
          .readdirSync(mailDir as string)
          .filter((f) => f.endsWith('.eml'))
          .map((f) => path.join(mailDir as string, f))
          .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
        for (const file of files.reverse()) {
          // Quoted-printable: join soft line breaks, decode =XX.
          const text = fs
            .readFileSync(file, 'utf8')
            .replace(/=\r?\n/g, '')
            .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
          if (!text.includes(`To: ${to}`)) continue;
          const match = text.match(new RegExp(`https?://[^\\s]+(${prefix}[A-Za-z0-9_-]+)`));
          if (match) {
            found = match[1];
            return true;
          }
        }
        return false;
      },
      { timeout: 20_000, message: `an email to ${to} with ${prefix}` },
    )
    .toBe(true);
  return found as string;
}

/** A small course of a test's own, with a question bank and a published test drawing from it. */
export interface CourseWithTest {
  code: string;
  title: string;
  /** The one topic; the GIFT's `$CATEGORY`. */
  topic: string;
  gift: string;
  /** How many questions the GIFT holds (all drawn). */
  questions: number;
  passMark: number;
  /** A certification whose tuition includes membership (else the default kind). */
  certification?: boolean;
  /** Keep options in written order. */
  fixedOptions?: boolean;
}

/**
 * The signed-in administrator creates `course`, imports its questions as active, and publishes
 * a test that draws every one of them.
 */
export async function createCourseWithTest(page: Page, testInfo: TestInfo, course: CourseWithTest): Promise<void> {
  await open(page, testInfo, '/admin/courses/new');
  await page.getByLabel('Code', { exact: true }).fill(course.code);
  await page.getByLabel('Title', { exact: true }).fill(course.title);
  if (course.certification) {
    await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Certification' });
  }
  await page.getByLabel('One-sentence summary', { exact: true }).fill('A short course of a browser test.');
  await page.getByLabel('Description (Markdown)', { exact: true }).fill('Practice.');
  await page.getByLabel('Hours of instruction', { exact: true }).fill('8');
  await page.getByLabel('Fee in dollars', { exact: true }).fill('0');
  await page.getByLabel('Format', { exact: true }).fill('Online, live');
  await page.getByLabel('Topics, one per line', { exact: true }).fill(course.topic);
  if (course.certification) {
    await page.getByLabel('Tuition includes membership', { exact: true }).check();
  }
  await page.getByRole('button', { name: 'Save the course', exact: true }).click();
  await expect(page).not.toHaveURL(/\/admin\/courses\/new$/);

  await open(page, testInfo, `/teach/bank/${course.code}`);
  await page.getByLabel('Questions in GIFT format', { exact: true }).fill(course.gift);
  await page.getByLabel('Make them and their scenario groups active at once (otherwise they are saved as drafts)', { exact: true }).check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const imported = `${course.questions} question${course.questions === 1 ? '' : 's'} imported.`;
  await expect(page.getByRole('status').filter({ hasText: imported })).toBeVisible();

  await open(page, testInfo, `/admin/courses/${course.code}/test`);
  await page.getByLabel('Pass mark (%)', { exact: true }).fill(String(course.passMark));
  await page.getByLabel(course.topic, { exact: true }).fill(String(course.questions));
  if (course.fixedOptions) {
    await page.getByLabel("Shuffle each question's options (unless its author pinned them)", { exact: true }).uncheck();
  }
  await page.getByRole('button', { name: 'Save the settings', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await page.getByRole('button', { name: 'Publish the test', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The test is published.' })).toBeVisible();
}
