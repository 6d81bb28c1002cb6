import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A script sent by SHA once Redis has it, by body when it does not (first use, after a restart or FLUSH). */
export class LuaScript {
  private readonly sha: string;
  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

interface Pending {
  keys: string[];
  args: (string | number)[];
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** Most requests in one script call: Redis runs nothing else while a script runs. */
const MAX_BATCH = 64;

/**
 * Every call of one per-request script made in the same event-loop turn goes to Redis as one call
 * of its batched form (`batchedScript`), run at the end of the turn. At load the bench's requests
 * arrive ~10 to a turn, and each script call costs the gateway an ioredis command (arguments
 * encoded, a reply parsed, a promise) and Redis a script invocation; one call per turn divides
 * both. Each request's step stays atomic, and steps run in the order they were asked for, so the
 * answers are those of the same calls made one by one.
 */
export class ScriptBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly redis: Redis,
    private readonly script: LuaScript,
  ) {}

  run(keys: string[], args: (string | number)[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ keys, args, resolve, reject });
      if (this.queue.length >= MAX_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const keys: string[] = [];
    const args: (string | number)[] = [batch.length];
    for (const call of batch) {
      keys.push(...call.keys);
      args.push(call.keys.length, call.args.length, ...call.args);
    }
    this.script.run(this.redis, keys, args).then(
      (results) => {
        const answers = results as unknown[];
        for (let i = 0; i < batch.length; i++) {
          const answer = answers[i];
          if (Array.isArray(answer) && answer[0] === -1 && typeof answer[1] === 'string') batch[i]!.reject(new Error(`Redis limiter script: ${answer[1]}`));
          else batch[i]!.resolve(answer);
        }
      },
      (err: unknown) => {
        for (const call of batch) call.reject(err);
      },
    );
  }
}
