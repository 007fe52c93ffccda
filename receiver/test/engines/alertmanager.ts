import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EngineProcess, freeLoopbackPort, requireBinary } from './engine_process.js';

/**
 * Starts Debian's Alertmanager (0.25) on a free loopback port with a temp storage directory and
 * clustering off, for tests of routing and notification texts.
 */
export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';
export const AMTOOL_BIN = '/usr/bin/amtool';

/** The repository's alertmanager/ folder. */
export const ALERTMANAGER_REPO_DIR = new URL('../../../alertmanager/', import.meta.url).pathname;

export interface AlertmanagerHandle {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Posts alerts to /api/v2/alerts, as Prometheus does. */
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  stop(): Promise<void>;
}

export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** ISO-8601. */
  startsAt?: string;
  /** ISO-8601; in the past for a resolved alert. */
  endsAt?: string;
  generatorURL?: string;
}

/** `files` by relative path, at least `alertmanager.yml`. */
export async function startAlertmanager(files: Record<string, string>): Promise<AlertmanagerHandle> {
  const bin = requireBinary(ALERTMANAGER_BIN, 'prometheus-alertmanager');
  const dir = await mkdtemp(join(tmpdir(), 'logpulse-alertmanager-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const process = new EngineProcess(
    'alertmanager',
    bin,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    join(dir, 'alertmanager.log'),
  );
  await process.waitReadyOrDiscard(`${url}/-/ready`, dir);
  return {
    url,
    port,
    dir,
    async postAlerts(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (response.status !== 200) throw new Error(`alertmanager: post alerts: HTTP ${response.status}: ${await response.text()}`);
    },
    async stop() {
      await process.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface LogpulseAlertmanagerOptions {
  /** Port of a local SMTP server (see smtp_catcher.ts) that receives the e-mails. */
  smtpPort: number;
  /** Where the webhook receiver posts. */
  webhookUrl: string;
  /** Replaces the route's group_wait / group_interval, so a test sees recoveries in seconds. @default 1 */
  groupSeconds?: number;
}

/**
 * The repository's alertmanager.yml and templates, with the mail relay and webhook pointed at
 * local test servers and shorter grouping times. Receivers, grouping labels and templates are
 * the real ones.
 */
export async function logpulseAlertmanagerFiles(options: LogpulseAlertmanagerOptions): Promise<Record<string, string>> {
  const { parse, stringify } = await import('yaml');
  const config = parse(readFileSync(join(ALERTMANAGER_REPO_DIR, 'alertmanager.yml'), 'utf8')) as {
    global: Record<string, unknown>;
    route: Record<string, unknown>;
    receivers: Array<{ webhook_configs?: Array<{ url: string }> }>;
  };
  config.global['smtp_smarthost'] = `127.0.0.1:${options.smtpPort}`;
  config.global['smtp_require_tls'] = false;
  // The local SMTP server offers no AUTH, so Alertmanager never reads the password file.
  const seconds = `${options.groupSeconds ?? 1}s`;
  config.route['group_wait'] = seconds;
  config.route['group_interval'] = seconds;
  for (const receiver of config.receivers) {
    for (const webhook of receiver.webhook_configs ?? []) webhook.url = options.webhookUrl;
  }
  return {
    'alertmanager.yml': stringify(config),
    'templates/logpulse.tmpl': readFileSync(join(ALERTMANAGER_REPO_DIR, 'templates', 'logpulse.tmpl'), 'utf8'),
  };
}

/** Resolves with the first item of `items` (a growing array) matching `match`, or fails after `timeoutMs`. */
export async function waitForItem<T>(items: T[], match: (item: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = items.find(match);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; got ${items.length} other(s)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface CaughtMail {
  from: string;
  to: string[];
  subject: string;
  /** The text/plain part, decoded. */
  text: string;
  /** The text/html part, decoded. */
  html: string;
}

export interface Catcher<T> {
  readonly port: number;
  readonly received: T[];
  close(): Promise<void>;
}

/** Quoted-printable (RFC 2045) to text; `body` holds one byte per char (read as latin1). */
function decodeQuotedPrintable(body: string): string {
  const soft = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(soft.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

function parseMail(from: string, to: string[], data: string): CaughtMail {
  const [head = '', ...rest] = data.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  const header = (name: string, text: string): string =>
    new RegExp(`^${name}:\\s*(.*(?:\\r\\n[ \\t].*)*)`, 'im').exec(text)?.[1]?.replace(/\r\n[ \t]/g, ' ') ?? '';
  const mail: CaughtMail = { from, to, subject: header('Subject', head), text: '', html: '' };
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(header('Content-Type', head))?.[1];
  const parts = boundary === undefined ? [`${head}\r\n\r\n${body}`] : body.split(`--${boundary}`).slice(1, -1);
  for (const part of parts) {
    const split = part.indexOf('\r\n\r\n');
    const partHead = part.slice(0, split);
    let partBody = part.slice(split + 4).replace(/\r\n$/, '');
    if (/quoted-printable/i.test(header('Content-Transfer-Encoding', partHead))) partBody = decodeQuotedPrintable(partBody);
    if (/text\/html/i.test(header('Content-Type', partHead))) mail.html = partBody;
    else if (/text\/plain/i.test(header('Content-Type', partHead))) mail.text = partBody;
  }
  return mail;
}

/**
 * A minimal SMTP server on loopback standing in for the mail relay (no relay runs on these
 * machines): it accepts every message without AUTH or TLS and keeps it, decoded, in `received`.
 */
export async function startSmtpCatcher(): Promise<Catcher<CaughtMail>> {
  const { createServer } = await import('node:net');
  const received: CaughtMail[] = [];
  const server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let from = '';
    let to: string[] = [];
    socket.write('220 localhost ESMTP logpulse-test\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          received.push(parseMail(from, to, buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.')));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 OK\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-localhost\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') {
          from = /<(.*)>/.exec(line)?.[1] ?? '';
          to = [];
          socket.write('250 OK\r\n');
        } else if (verb === 'RCPT') {
          to.push(/<(.*)>/.exec(line)?.[1] ?? '');
          socket.write('250 OK\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') socket.end('221 Bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Alertmanager's webhook payload (the fields tests read). */
export interface WebhookPayload {
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: Array<{
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
  }>;
}

/** An HTTP server on loopback standing in for the chat bridge the webhook receiver posts to. */
export async function startWebhookCatcher(): Promise<Catcher<WebhookPayload> & { url: string }> {
  const { createServer } = await import('node:http');
  const received: WebhookPayload[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `http://127.0.0.1:${port}/alerts`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
