import ejs from 'ejs';

/**
 * One symbol of the page's icon sprite (views/partials/icons.ejs), as views draw it with
 * `svgIcon('shield')`. A function rather than an include: a page draws dozens, and each
 * include copies every local of the page.
 */
export function svgIcon(name: string, className?: string): string {
  const classes = className ? `icon ${ejs.escapeXML(className)}` : 'icon';
  return `<svg class="${classes}" aria-hidden="true" focusable="false"><use href="#i-${ejs.escapeXML(name)}"/></svg>`;
}
