/**
 * How every bench server process talks to the orchestrator: it announces its port as one stdout
 * line, and it exits when the orchestrator goes away (stdin closes) or asks it to (SIGTERM), so a
 * crashed or interrupted bench never leaves servers running. Closing through `close` instead of
 * dying on the signal also lets `--cpu-prof` write its profile.
 */

export function announcePort(port: number): void {
  process.stdout.write(`listening ${port}\n`);
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
