/**
 * The Redis limiter's Lua scripts: one per operation, each doing its check and its writes in a
 * single atomic step across every scope of the request, so replicas never interleave a
 * read-modify-write. They mirror token-bucket.ts and memory-limiter.ts; the shared contract suite
 * holds both backends to the same answers.
 *
 * Per scope, two keys: a hash `s:<scope>` (rd/rt and td/tt = request and token bucket debt and
 * timestamp, spent and reserved in micro-units, r:<admission> = that admission's cost reservation,
 * a:<fraction> = budget an alert was reported for) and a sorted set `l:<scope>` of admission ids
 * scored by lease expiry (in-flight count = its size after sweeping expired leases).
 *
 * ARGV[1] is the clock: epoch ms, or -1 to use the Redis server's TIME, which all replicas share.
 * Numbers are written with %.0f: Lua 5.1's tostring switches to exponent form above 1e14.
 */

const PRELUDE = `
local W = 60000
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function fmt(x) return string.format('%.0f', x) end
local function drained(debt, ts, limit)
  local elapsed = now - ts
  if elapsed < 0 then elapsed = 0 end
  local d = debt - limit * elapsed
  if d < 0 then d = 0 end
  return d
end
`;

/**
 * KEYS: s:<scope>, l:<scope> per scope. ARGV: now, admission id, lease ms, key ttl ms, estimated
 * tokens, estimated cost (micro), then per scope rpm, tpm, max concurrency, budget (micro); -1 = none.
 * Returns {2, now, scope indexes whose spend is unknown} without committing anything, or
 * {1 admitted | 0 refused, now, then per scope: refusal bits, request debt, token debt, spent
 * (-1 unknown), reserved, in flight} — after the commit when admitted. `now` is the clock the
 * script judged by (a refusal's retry-after until a budget period ends is measured from it).
 */
export const ADMIT_LUA = `${PRELUDE}
local id, leaseMs, ttl = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local estT, estC = tonumber(ARGV[5]), tonumber(ARGV[6])
local n = #KEYS / 2
local scopes, missing, refusedAny = {}, {}, false
for i = 1, n do
  local a = 7 + (i - 1) * 4
  local s = { h = KEYS[2 * i - 1], z = KEYS[2 * i], rpm = tonumber(ARGV[a]), tpm = tonumber(ARGV[a + 1]),
    mc = tonumber(ARGV[a + 2]), budget = tonumber(ARGV[a + 3]) }
  local expired = redis.call('ZRANGEBYSCORE', s.z, '-inf', fmt(now))
  if #expired > 0 then
    local freed = 0
    for _, lid in ipairs(expired) do
      local c = redis.call('HGET', s.h, 'r:' .. lid)
      if c then
        freed = freed + tonumber(c)
        redis.call('HDEL', s.h, 'r:' .. lid)
      end
    end
    redis.call('ZREMRANGEBYSCORE', s.z, '-inf', fmt(now))
    if freed > 0 then redis.call('HINCRBY', s.h, 'reserved', fmt(-freed)) end
  end
  local f = redis.call('HMGET', s.h, 'rd', 'rt', 'td', 'tt', 'spent', 'reserved')
  s.rt, s.tt = tonumber(f[2]) or 0, tonumber(f[4]) or 0
  s.rd, s.td = 0, 0
  if s.rpm > 0 then s.rd = drained(tonumber(f[1]) or 0, s.rt, s.rpm) end
  if s.tpm > 0 then s.td = drained(tonumber(f[3]) or 0, s.tt, s.tpm) end
  s.spent, s.reserved = tonumber(f[5]), tonumber(f[6]) or 0
  s.inflight = redis.call('ZCARD', s.z)
  local r = 0
  if s.budget >= 0 then
    if s.spent == nil then
      missing[#missing + 1] = i
    elseif s.spent >= s.budget or s.spent + s.reserved + estC > s.budget then
      r = r + 1
    end
  end
  if s.tpm > 0 then
    if estT > s.tpm then r = r + 2 elseif s.td + estT * W > s.tpm * W then r = r + 16 end
  end
  if s.mc > 0 and s.inflight >= s.mc then r = r + 4 end
  if s.rpm > 0 and s.rd + W > s.rpm * W then r = r + 8 end
  s.refused = r
  if r > 0 then refusedAny = true end
  scopes[i] = s
end
if #missing > 0 then
  table.insert(missing, 1, now)
  table.insert(missing, 1, 2)
  return missing
end
if not refusedAny then
  for i = 1, n do
    local s = scopes[i]
    -- One HSET for every plain field this commit writes (the money stays on HINCRBY: exact int64).
    local fields = {}
    if s.rpm > 0 then
      s.rd = s.rd + W
      fields[#fields + 1] = 'rd'; fields[#fields + 1] = fmt(s.rd)
      fields[#fields + 1] = 'rt'; fields[#fields + 1] = fmt(math.max(s.rt, now))
    end
    if s.tpm > 0 and estT > 0 then
      s.td = s.td + estT * W
      fields[#fields + 1] = 'td'; fields[#fields + 1] = fmt(s.td)
      fields[#fields + 1] = 'tt'; fields[#fields + 1] = fmt(math.max(s.tt, now))
    end
    local reserves = s.budget >= 0 and estC > 0
    if reserves then
      fields[#fields + 1] = 'r:' .. id; fields[#fields + 1] = fmt(estC)
    end
    if #fields > 0 then redis.call('HSET', s.h, unpack(fields)) end
    if reserves then
      redis.call('HINCRBY', s.h, 'reserved', fmt(estC))
      s.reserved = s.reserved + estC
    end
    redis.call('ZADD', s.z, fmt(now + leaseMs), id)
    s.inflight = s.inflight + 1
    redis.call('PEXPIRE', s.h, ttl)
    redis.call('PEXPIRE', s.z, ttl)
  end
end
local out = { refusedAny and 0 or 1, now }
for i = 1, n do
  local s = scopes[i]
  local spent = s.spent
  if spent == nil then spent = -1 end
  for _, v in ipairs({ s.refused, s.rd, s.td, spent, s.reserved, s.inflight }) do out[#out + 1] = v end
end
return out
`;

/**
 * Settle or release one admission. KEYS as for admit. ARGV: now, admission id, key ttl ms,
 * token delta (actual − estimated; −estimated on release), actual cost (micro; 0 on release),
 * report alerts (1/0), then per scope tpm (-1 = none), budget (micro, -1 = none), threshold count,
 * and that many (fraction label, level micro) pairs.
 * The lease is removed with ZREM, so its slot and reservation are freed exactly once even if it
 * already expired and an admit swept it. Spend is added only where the scope holds a seeded spend:
 * an expired scope is reloaded from metering, which will include this request.
 * Returns alerts as flat triples: scope index, threshold index (1-based), spent (micro).
 */
export const FINISH_LUA = `${PRELUDE}
local id, ttl = ARGV[2], tonumber(ARGV[3])
local delta, cost, report = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6] == '1'
local n = #KEYS / 2
local out = {}
local a = 7
for i = 1, n do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  local tpm, budget, nt = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  a = a + 3
  local alerting = report and budget >= 0
  -- Every field this step reads, in one HMGET: the reservation, the token bucket, the spend, and
  -- each threshold's alert marker.
  local names = { 'r:' .. id, 'td', 'tt', 'spent' }
  if alerting then
    for k = 1, nt do names[#names + 1] = 'a:' .. ARGV[a + 2 * (k - 1)] end
  end
  local f = redis.call('HMGET', h, unpack(names))
  if redis.call('ZREM', z, id) == 1 and f[1] then
    redis.call('HINCRBY', h, 'reserved', fmt(-tonumber(f[1])))
    redis.call('HDEL', h, 'r:' .. id)
  end
  local fields = {}
  if tpm > 0 and delta ~= 0 then
    local tt = tonumber(f[3]) or 0
    local td = drained(tonumber(f[2]) or 0, tt, tpm) + delta * W
    if td < 0 then td = 0 end
    fields[#fields + 1] = 'td'; fields[#fields + 1] = fmt(td)
    fields[#fields + 1] = 'tt'; fields[#fields + 1] = fmt(math.max(tt, now))
  end
  local spent = f[4]
  if spent then
    spent = tonumber(spent)
    if cost > 0 then spent = redis.call('HINCRBY', h, 'spent', fmt(cost)) end
    if alerting then
      for k = 1, nt do
        local label, level = ARGV[a + 2 * (k - 1)], tonumber(ARGV[a + 2 * (k - 1) + 1])
        if spent >= level and f[4 + k] ~= fmt(budget) then
          fields[#fields + 1] = 'a:' .. label; fields[#fields + 1] = fmt(budget)
          out[#out + 1] = i
          out[#out + 1] = k
          out[#out + 1] = spent
        end
      end
    end
  end
  if #fields > 0 then redis.call('HSET', h, unpack(fields)) end
  a = a + 2 * nt
  redis.call('PEXPIRE', h, ttl)
  redis.call('PEXPIRE', z, ttl)
end
return out
`;

/**
 * Read-only view of one scope, consistent with in-flight scripts. KEYS: s:<scope>, l:<scope>.
 * ARGV: now. Returns {spent micro (-1 unknown), reserved micro of live leases, live lease count}.
 */
export const INSPECT_LUA = `${PRELUDE}
local live = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. fmt(now), '+inf')
local reserved = 0
for _, lid in ipairs(live) do
  local c = redis.call('HGET', KEYS[1], 'r:' .. lid)
  if c then reserved = reserved + tonumber(c) end
end
local spent = redis.call('HGET', KEYS[1], 'spent')
if spent then spent = tonumber(spent) else spent = -1 end
return { spent, reserved, #live }
`;

/**
 * `script` (ADMIT_LUA or FINISH_LUA) run for many requests in one call. KEYS: every request's keys
 * in turn. ARGV: the request count, then per request its key count, its argument count and its
 * arguments, exactly as the one-request script takes them. Returns one entry per request: the
 * one-request script's answer, or {-1, message} when that request's step raised an error, which
 * leaves the other requests' steps standing (each one is still atomic: the whole call is).
 */
export function batchedScript(script: string): string {
  return `
local function one(KEYS, ARGV)
${script}
end
local results = {}
local k, a = 0, 2
for r = 1, tonumber(ARGV[1]) do
  local nk, na = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  local keys, args = {}, {}
  for i = 1, nk do keys[i] = KEYS[k + i] end
  for i = 1, na do args[i] = ARGV[a + 1 + i] end
  local ok, res = pcall(one, keys, args)
  if ok then
    results[r] = res
  elseif type(res) == 'table' and res.err then
    results[r] = { -1, tostring(res.err) }
  else
    results[r] = { -1, tostring(res) }
  end
  k, a = k + nk, a + 2 + na
end
return results
`;
}
