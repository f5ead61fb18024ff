// A server crash in the middle of a test loses nothing. The attendee takes the test on a
// second server (same database) that this test starts itself, answers four questions, and
// the server is killed with SIGKILL, without warning. With JavaScript on, an answer changed
// while it is down shows the "not saved yet" banner and is sent again on its own once the
// server is back. After the restart, opening the test again lands on the question the
// person was at, with every acknowledged answer in place.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CITC, answer, eligibleAttendee, forgetSession, jsOn, open, ready, scheduleClass, shot, signIn } from './helpers';

const SERVER = process.env.E2E_SERVER_BIN;

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** `cit-academy serve` on `port`, on the suite's database; resolves once /healthz answers. */
async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(SERVER ?? '', ['serve', '--bind', `127.0.0.1:${port}`], {
    // The repository root: the server finds the client's files under target/site there.
    cwd: path.resolve(process.cwd(), '..'),
    env: {
      ...process.env,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      CIT_DATA_DIR: process.env.E2E_DATA_DIR,
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the second server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the second server did not become healthy in 30 s');
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

/** The answer `answer()` gives is on screen: the first option ticked, or the typed text. */
async function expectAnswered(page: Page): Promise<void> {
  const form = page.locator('form.test-form');
  const radios = form.getByRole('radio');
  const boxes = form.locator('fieldset.question').getByRole('checkbox');
  if ((await radios.count()) > 0) {
    await expect(radios.first()).toBeChecked();
  } else if ((await boxes.count()) > 0) {
    await expect(boxes.first()).toBeChecked();
  } else {
    await expect(form.getByLabel('Your answer', { exact: true })).toHaveValue('Crisis Intervention Team');
  }
}

test.describe('a server killed in the middle of a test', () => {
  test.skip(!SERVER || !process.env.E2E_DATABASE_URL, 'needs `cargo xtask test` (it says which server and database to use)');

  let server: ChildProcess | undefined;
  test.afterEach(async () => {
    if (server) await kill(server);
    server = undefined;
  });

  test('the attempt resumes at the same question with every acknowledged answer', async ({ page }, testInfo: TestInfo) => {
    test.setTimeout(180_000);
    await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
    const id = await scheduleClass(page, testInfo);
    await forgetSession(page);

    const person = await eligibleAttendee(page, testInfo, id, 'resume');

    // Signed in on the main server; the session lives in the database, so the second
    // server (the same host, another port: the cookie goes to both) knows the person too.
    await signIn(page, testInfo, person.email, person.password);
    await page.getByRole('link', { name: `Go to the test for ${CITC}`, exact: true }).click();
    await ready(page, testInfo);
    const testPage = new URL(page.url()).pathname;

    const port = await freePort();
    const other = `http://127.0.0.1:${port}`;
    server = await startServer(port);
    await open(page, testInfo, `${other}${testPage}`);
    await page.getByRole('button', { name: 'Start the test', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`^${other}/attempts/\\d+$`));
    await ready(page, testInfo);
    const attempt = new URL(page.url()).pathname;
    const heading = page.getByRole('heading', { level: 1 });
    const total = Number(/of (\d+)$/.exec((await heading.textContent()) ?? '')?.[1]);
    expect(total).toBeGreaterThan(5);

    // Questions 1 to 3, each saved by "Save and next".
    for (let n = 1; n <= 3; n++) {
      await expect(heading).toHaveText(`Question ${n} of ${total}`);
      await ready(page, testInfo);
      await answer(page);
      await page.getByRole('button', { name: 'Save and next', exact: true }).click();
    }
    await expect(heading).toHaveText(`Question 4 of ${total}`);
    await ready(page, testInfo);
    await answer(page);
    let at = 4;
    if (jsOn(testInfo)) {
      // Acknowledged without pressing anything.
      await expect(page.getByRole('status').filter({ hasText: /^Saved \d/ })).toBeVisible();
    } else {
      await page.getByRole('button', { name: 'Save and next', exact: true }).click();
      await expect(heading).toHaveText(`Question 5 of ${total}`);
      at = 5;
    }

    await kill(server);
    server = undefined;

    const flag = page.getByLabel('Flag this question to review it before you submit', { exact: true });
    if (jsOn(testInfo)) {
      // A change while the server is down: kept on the page, announced, sent again later.
      await flag.check();
      await expect(page.getByRole('alert').filter({ hasText: 'Not saved yet' })).toBeVisible();
      await shot(page, testInfo, 'resume-not-saved-yet');
    }

    server = await startServer(port);
    if (jsOn(testInfo)) {
      // The retry (after 2, 4, then 8 s) reaches the restarted server.
      await expect(page.getByRole('status').filter({ hasText: /^Saved \d/ })).toBeVisible({ timeout: 20_000 });
      await expect(page.getByRole('alert').filter({ hasText: 'Not saved yet' })).toHaveCount(0);
    }

    // As after a closed tab: the test's address without a question number.
    await open(page, testInfo, `${other}${attempt}`);
    await expect(heading).toHaveText(`Question ${at} of ${total}`);
    if (jsOn(testInfo)) {
      await expect(flag).toBeChecked();
    }
    for (let n = 1; n <= 4; n++) {
      await open(page, testInfo, `${other}${attempt}?q=${n - 1}`);
      await expect(heading).toHaveText(`Question ${n} of ${total}`);
      await expectAnswered(page);
    }
    await expect(page.getByRole('navigation', { name: 'Questions' }).getByRole('button', { name: /^Question 4, answered/ })).toBeVisible();
    await shot(page, testInfo, 'resume-after-restart');
  });
});
