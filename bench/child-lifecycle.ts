/**
 * How every bench server process talks to the orchestrator. On stdout it writes zero or more
 * `announce <name> <value>` lines (facts the orchestrator needs, such as the tenant key Baimo
 * issued itself), then exactly one `listening <port>` line, which means "ready". It exits when
 * the orchestrator goes away (stdin closes) or asks it to (SIGTERM), so a crashed or interrupted
 * bench never leaves servers running. Closing through `close` instead of dying on the signal also
 * lets `--cpu-prof` write its profile.
 */

/** Announce a fact to the orchestrator; must come before `announcePort`. Values are one token. */
export function announce(name: string, value: string): void {
  if (!/^[\w-]+$/.test(name) || !/^\S+$/.test(value)) throw new Error(`cannot announce ${name}=${value}`);
  process.stdout.write(`announce ${name} ${value}\n`);
}

/** The last line a server writes at start: it is listening and ready to be measured. */
export function announcePort(port: number): void {
  process.stdout.write(`listening ${port}\n`);
}

/** Parses one stdout line of the protocol above; undefined for anything else. */
export function parseAnnouncement(line: string): { port: number } | { name: string; value: string } | undefined {
  const listening = /^listening (\d+)$/.exec(line);
  if (listening) return { port: Number(listening[1]) };
  const fact = /^announce ([\w-]+) (\S+)$/.exec(line);
  return fact ? { name: fact[1]!, value: fact[2]! } : undefined;
}

export function exitWithParent(close: () => Promise<void>): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    const hardStop = setTimeout(() => process.exit(1), 5_000);
    hardStop.unref();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

/** Port from argv, e.g. `--upstream 4123`; the orchestrator always passes it. */
export function portArg(name: string): number {
  const i = process.argv.indexOf(`--${name}`);
  const port = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  if (!Number.isInteger(port) || port <= 0) throw new Error(`missing --${name} <port>`);
  return port;
}
