// "3 days ago", "5 hours ago" in the browser's language, with its plural rules
// (Intl.RelativeTimeFormat): for Last backup in Settings and the automatic backup's state.

import { language } from './i18n.js';

/** How long ago Unix time `seconds` was, in words: minutes, then hours, then days. */
export function timeAgo(seconds, now = Date.now() / 1000) {
  const words = new Intl.RelativeTimeFormat(language(), { numeric: 'auto' });
  const ago = Math.max(0, now - seconds);
  if (ago < 3600) return words.format(-Math.floor(ago / 60), 'minute');
  if (ago < 86_400) return words.format(-Math.floor(ago / 3600), 'hour');
  return words.format(-Math.floor(ago / 86_400), 'day');
}
