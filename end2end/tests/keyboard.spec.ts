// Accessibility (issue 10): the whole certification test taken with the keyboard alone.
// An eligible coordinator (set up as in exam.spec.ts) goes from the dashboard to the result
// using only Tab, Shift+Tab, Enter, Space, arrow keys and typing: no clicks. Every element
// that Tab reaches must show a focus indicator (an outline or a box shadow). The skip link is
// used on every question to jump past the header. With JavaScript on and off.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, CITC, eligibleAttendee, forgetSession, ready, scheduleClass, shot, signIn } from './helpers';

/** What has the keyboard focus, as the person would perceive it. */
interface Focus {
  tag: string;
  type: string;
  name: string;
  inQuestion: boolean;
  checked: boolean;
  value: string;
  /** A visible focus indicator: a non-zero outline or a box shadow. */
  ring: boolean;
}

async function focus(page: Page): Promise<Focus | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== '' && style.boxShadow !== 'none';
    const input = el as HTMLInputElement;
    const label = input.labels && input.labels.length > 0 ? input.labels[0].innerText : '';
    const name = el.getAttribute('aria-label') || label || el.innerText || '';
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type') ?? '',
      name: name.replace(/\s+/g, ' ').trim(),
      inQuestion: el.closest('fieldset.question') !== null,
      checked: input.checked === true,
      value: input.value ?? '',
      ring: outline || shadow,
    };
  });
}

function show(f: Focus | null): string {
  return f ? `<${f.tag}${f.type ? ` type=${f.type}` : ''}> "${f.name}"` : 'nothing';
}

/**
 * Presses Tab (or Shift+Tab) until the focused element satisfies `wanted`, checking at every
 * stop that the focus is visible. Returns what has the focus.
 */
async function tabTo(page: Page, what: string, wanted: (f: Focus) => boolean, back = false): Promise<Focus> {
  for (let presses = 0; presses < 150; presses++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focus(page);
    if (f === null) continue; // past the last element, before wrapping round
    expect(f.ring, `a visible focus indicator on ${show(f)} at ${page.url()}`).toBe(true);
    if (wanted(f)) return f;
  }
  throw new Error(`${what}: not reached with ${back ? 'Shift+Tab' : 'Tab'} on ${page.url()}`);
}

const named = (name: string | RegExp) => (f: Focus) => (typeof name === 'string' ? f.name === name : name.test(f.name));

/** Tab to the control called `name` and press Enter. */
async function activate(page: Page, name: string | RegExp): Promise<void> {
  await tabTo(page, `the control "${name}"`, named(name));
  await page.keyboard.press('Enter');
}

/** Tab to the skip link, follow it, and check that the next Tab starts in the main content. */
async function skipToMain(page: Page): Promise<void> {
  await tabTo(page, 'the skip link', named('Skip to main content'));
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
}

/** Answers the question on screen from the keyboard; returns what was chosen or typed. */
async function answerByKeyboard(page: Page, useArrows: boolean): Promise<string> {
  const first = await tabTo(page, 'the first answer field', (f) => f.inQuestion);
  if (first.type === 'radio') {
    // Tab enters the group on its first option; Space chooses it; an arrow key moves the
    // choice to the next option, as in any radio group.
    await page.keyboard.press('Space');
    if (useArrows) await page.keyboard.press('ArrowDown');
    const now = await focus(page);
    expect(now?.checked, `the option ${show(now)} is chosen`).toBe(true);
    return now?.value ?? '';
  }
  if (first.type === 'checkbox') {
    await page.keyboard.press('Space');
    expect((await focus(page))?.checked, `the box ${show(first)} is ticked`).toBe(true);
    return first.value;
  }
  await page.keyboard.type('Crisis Intervention Team');
  return 'Crisis Intervention Team';
}

async function onQuestion(page: Page, testInfo: TestInfo, n: number, total: number): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Question ${n} of ${total}`);
  await ready(page, testInfo);
}

test('a coordinator takes the whole certification test with the keyboard alone', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await signIn(page, testInfo, ADMIN_EMAIL, ADMIN_PASSWORD);
  const id = await scheduleClass(page, testInfo);
  await forgetSession(page);
  const person = await eligibleAttendee(page, testInfo, id, 'keyboard');
  await signIn(page, testInfo, person.email, person.password);

  // From here on, the keyboard only.
  await activate(page, `Go to the test for ${CITC}`);
  await expect(page).toHaveURL(/\/registrations\/\d+\/test$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Certification test: ${CITC}`);
  await activate(page, 'Start the test');
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  await ready(page, testInfo);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(/^Question 1 of \d+$/);
  const total = Number(/of (\d+)$/.exec((await heading.textContent()) ?? '')?.[1]);
  expect(total).toBeGreaterThan(3);

  let firstAnswer = '';
  for (let n = 1; n <= total; n++) {
    await onQuestion(page, testInfo, n, total);
    await skipToMain(page);
    const given = await answerByKeyboard(page, n === 1);
    if (n === 1) {
      firstAnswer = given;
      await shot(page, testInfo, 'keyboard-question-1');
    }
    if (n === 2) {
      // Back to question 1 through the question map: its answer is still there.
      await activate(page, /^Question 1, answered/);
      await onQuestion(page, testInfo, 1, total);
      const chosen = page.locator('form.test-form fieldset.question input:checked, form.test-form fieldset.question input[type=text], form.test-form fieldset.question textarea');
      if (/^\d+$/.test(firstAnswer)) {
        await expect(page.locator(`form.test-form fieldset.question input[value="${firstAnswer}"]`)).toBeChecked();
      } else {
        await expect(chosen.first()).toBeAttached();
      }
      await activate(page, 'Save and next');
      await onQuestion(page, testInfo, 2, total);
    }
    if (n === 3) {
      // Shift+Tab from the buttons back to the flag, and flag the question for review.
      await tabTo(page, 'Save and next', named('Save and next'));
      await tabTo(page, 'the flag', named('Flag this question to review it before you submit'), true);
      await page.keyboard.press('Space');
      expect((await focus(page))?.checked, 'the question is flagged').toBe(true);
    }
    await activate(page, n === total ? 'Save and review before submitting' : 'Save and next');
  }

  await expect(page).toHaveURL(/\/attempts\/\d+\/review$/);
  await ready(page, testInfo);
  await expect(page.getByText('You answered every question.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Flagged for review (1)' })).toBeVisible();
  await shot(page, testInfo, 'keyboard-review');
  await activate(page, 'Submit the test');
  await expect(page).toHaveURL(/\/attempts\/\d+\/result$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your result');
  await expect(page.locator('.result')).toContainText(/Passed: \d+%|Not passed: \d+%|Submitted\./);
  await shot(page, testInfo, 'keyboard-result');
});
