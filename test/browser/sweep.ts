/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { NARROW, SCREENSHOTS, WIDE, fullPageScreenshot } from './browser';

/** WCAG 2.0, 2.1 and 2.2, levels A and AA: the rules axe-core tags with these. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * The rules whose answer can change with the theme: colours, and what borders and sizes do
 * to targets and scrolling. A theme only swaps CSS variables and borders, never the markup
 * or what is displayed, so every other rule gives the same answer in each theme and runs in
 * the first one only. Every rule runs at both widths: a narrow screen shows other elements.
 */
export const THEME_RULES = ['color-contrast', 'link-in-text-block', 'target-size', 'scrollable-region-focusable', 'css-orientation-lock', 'p-as-heading', 'avoid-inline-spacing'];

export const SWEEP_SCREENSHOTS = path.join(SCREENSHOTS, 'sweep');

const WIDTHS = [
  ['wide', WIDE],
  ['narrow', NARROW],
] as const;

export interface Violation {
  page: string;
  theme: string;
  width: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Looks at every page it is shown, at both widths: a full-page screenshot and one axe-core
 * run each. The page is loaded once and the viewport resized, since the widths differ only
 * in CSS; the violations are collected, so that one run lists all of them.
 */
export class Sweep {
  readonly violations: Violation[] = [];
  pages = 0;
  /** Milliseconds spent on screenshots and on axe-core, for the report of the run. */
  readonly spent = { screenshots: 0, axe: 0 };

  constructor(
    /** The theme, or theme and language ("light-de"), that names the screenshots. */
    readonly variant: string,
    /** Which axe-core rules run: every WCAG A/AA rule, the theme rules only, or none (screenshots only). */
    readonly options: { axe: 'all' | 'theme' | 'none' } = { axe: 'all' },
  ) {
    fs.mkdirSync(SWEEP_SCREENSHOTS, { recursive: true });
  }

  async check(page: Page, name: string): Promise<void> {
    this.pages += 1;
    for (const [width, viewport] of WIDTHS) {
      await page.setViewportSize(viewport);
      const shot = Date.now();
      await fullPageScreenshot(page, path.join(SWEEP_SCREENSHOTS, `${name}-${this.variant}-${width}.png`));
      this.spent.screenshots += Date.now() - shot;
      if (this.options.axe === 'none') continue;
      const audit = Date.now();
      // Legacy mode runs axe.run() in the page itself; the default opens a blank page for every
      // run to merge the results of cross-origin frames, which these pages do not have. Only
      // violations are collected in full: the passes of a long page cost time and say nothing.
      const builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).setLegacyMode();
      const { violations } = await (this.options.axe === 'all' ? builder.withTags(WCAG_TAGS) : builder.withRules(THEME_RULES)).analyze();
      this.spent.axe += Date.now() - audit;
      for (const v of violations) {
        this.violations.push({ page: name, theme: this.variant, width, rule: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) });
      }
    }
  }

  /** Opens `url` (a path) and checks it; a page that fails to load (4xx, 5xx) fails the sweep unless `status` says so. */
  async visit(page: Page, baseUrl: string, url: string, name: string, status = 200): Promise<void> {
    const response = await page.goto(`${baseUrl}${url}`);
    if (response?.status() !== status) throw new Error(`${url} answered ${response?.status()} (expected ${status}) in ${this.variant}`);
    await this.check(page, name);
  }

  /**
   * The form's error state: the form matching `form` posted with every field empty and
   * every box unticked (its `novalidate` lets the browser send it), then checked.
   */
  async postEmpty(page: Page, form: string, name: string): Promise<void> {
    const navigated = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
    await page.evaluate((selector) => {
      const element = document.querySelector<HTMLFormElement>(selector);
      if (!element) throw new Error(`No form ${selector}`);
      for (const field of Array.from(element.elements)) {
        if (field instanceof HTMLInputElement && ['checkbox', 'radio'].includes(field.type)) field.checked = false;
        else if ((field instanceof HTMLInputElement && !['hidden', 'submit', 'button'].includes(field.type)) || field instanceof HTMLTextAreaElement) field.value = '';
      }
      element.noValidate = true;
      element.requestSubmit();
    }, form);
    await navigated;
    await page.waitForLoadState('load');
    if ((await page.locator('.error-summary, .field--error').count()) === 0) throw new Error(`Posting ${form} empty showed no error (${page.url()})`);
    await this.check(page, `${name}-error`);
  }
}

/** One line for the log: how many pages, and where the time went. */
export function summarize(sweep: Sweep, started: number): string {
  return `Sweep ${sweep.variant}: ${sweep.pages} pages at two widths in ${((Date.now() - started) / 1000).toFixed(1)} s (screenshots ${(sweep.spent.screenshots / 1000).toFixed(1)} s, axe ${(sweep.spent.axe / 1000).toFixed(1)} s), ${sweep.violations.length} violations`;
}

/** Every violation, one line each, for the failure message and the report. */
export function describeViolations(violations: Violation[]): string {
  return violations.map((v) => `${v.rule} (${v.impact}) on ${v.page}, ${v.theme}, ${v.width}: ${v.help}\n    ${v.targets.join('\n    ')}`).join('\n');
}

/** Writes the violations as JSON beside the screenshots, for whoever fixes them. */
export function saveViolations(file: string, violations: Violation[]): void {
  fs.writeFileSync(path.join(SWEEP_SCREENSHOTS, file), `${JSON.stringify(violations, null, 2)}\n`);
}
