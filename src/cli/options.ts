import { parseArgs } from 'node:util';

/** Flags shared by commands that read the configuration (DESIGN.md §2, §2a). */
export interface CommonOptions {
  config?: string;
  port?: number;
  host?: string;
  data: string;
}

export function parseCommonOptions(argv: string[], env: Record<string, string | undefined>): CommonOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      data: { type: 'string', short: 'd' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: '${values.port}' is not a valid port number.`);
  }
  return {
    config: values.config ?? env.BAIMO_CONFIG ?? undefined,
    port,
    host: values.host,
    data: values.data ?? env.BAIMO_DATA_DIR ?? './.baimo',
  };
}
