// The recorded activity of one port (or of every port) as a Markdown document, newest first, with what
// looks unusual. Every recorded string is untrusted: escaped here.
import { markdownText } from '../../core/displayText';
import type { Protocol } from '../../core/types';
import { describeEvent } from './describe';
import type { ActivityLog } from './activityLog';
import { findUnusualActivity } from './unusual';

/** The activity of one port (or of all ports), newest first, as a Markdown document. */
export function activityMarkdown(activity: ActivityLog, port?: number, protocol?: Protocol, now = Date.now()): string {
  const events = (port === undefined ? activity.events() : activity.forPort(port, protocol)).slice().reverse().slice(0, 500);
  const title = port === undefined ? 'Port activity' : `Port activity: ${port}${protocol ? `/${protocol}` : ''}`;
  const lines = [`# ${title}`, ''];
  if (events.length === 0) {
    lines.push('No activity recorded yet. Port Inspector records openings and closings while it scans (while one of its views is visible, or watched ports are set).');
  }
  for (const e of events) {
    lines.push(`- ${markdownText(describeEvent(e, now), 400)}`);
  }
  const unusual = findUnusualActivity(port === undefined ? activity.events() : activity.forPort(port, protocol));
  if (unusual.length > 0) {
    lines.push('', '## Unusual', '');
    for (const u of unusual.slice(0, 50)) {
      lines.push(`- ${markdownText(JSON.stringify(u).slice(0, 300), 300)}`);
    }
  }
  return lines.join('\n');
}
