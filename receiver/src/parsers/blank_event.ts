import type { Event, EventKind } from '../model/event.js';

/**
 * A line's event before its parser fills in what it read: every parsed field at its "absent"
 * value (0 or ''), the identity and origin blank for the pipeline to fill in on this same object
 * (one object a line), `raw` the line, and no positions in it. The one literal every format
 * starts from, so all events share one shape and the code reading them stays monomorphic.
 */
export function blankEvent(kind: EventKind, raw: string): Event {
  return {
    kind,
    ts: 0,
    vhost: '',
    client: '',
    user: '',
    method: '',
    path: '',
    section: '',
    status: 0,
    protocol: '',
    bytes: 0,
    referer: '',
    userAgent: '',
    direction: '',
    durationMs: 0,
    eventId: 0n,
    receivedAt: 0,
    source: '',
    file: '',
    offset: -1,
    raw,
    pathAt: -1,
    refererAt: -1,
    userAgentAt: -1,
  };
}
