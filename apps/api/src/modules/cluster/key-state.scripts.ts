/**
 * Lua scripts of the shared key-state store. Each runs atomically on Redis, so two replicas never both
 * take the last unit of a key's rpm/tpm/daily limit or both claim a breaker's single half-open probe.
 * Times come from the caller (`now`): replicas are expected to run NTP-synced clocks, and the balancer
 * computes cooldowns and day boundaries from the same clock.
 */

/** Reads the `until` part of a stored cooldown (`until|kind|explicit`). */
const COOLDOWN_UNTIL = `
local function cooldownUntil(k)
  local v = redis.call('GET', k)
  if not v then return 0, false end
  return tonumber(string.match(v, '^[^|]+')) or 0, v
end`;

/**
 * KEYS: invalid, cooldown, model cooldown, rpm zset, tpm zset, day hash, probe.
 * ARGV: now, dayStart, rpmLimit, tpmLimit, dailyLimit (-1 = none), probe (1|0), member, probeTtlMs.
 * Returns {1} when reserved, else {0, reason, retryAt (-1 = unknown), keyCooldown, modelCooldown}.
 */
export const RESERVE = `
${COOLDOWN_UNTIL}
local now = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, 'invalid', -1} end
local keyUntil, keyRaw = cooldownUntil(KEYS[2])
local modelUntil, modelRaw = cooldownUntil(KEYS[3])
local cd = math.max(keyUntil, modelUntil)
if cd > now then return {0, 'cooldown', cd, keyRaw or '', modelRaw or ''} end
local minuteAgo = now - 60000
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', minuteAgo)
local rpm = tonumber(ARGV[3])
if rpm >= 0 then
  local count = redis.call('ZCARD', KEYS[4])
  if count >= rpm then
    local retryAt = now + 60000
    if rpm > 0 then
      local edge = redis.call('ZRANGE', KEYS[4], count - rpm, count - rpm, 'WITHSCORES')
      retryAt = tonumber(edge[2]) + 60000
    end
    return {0, 'limit', retryAt}
  end
end
local tpm = tonumber(ARGV[4])
if tpm >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', minuteAgo)
  local entries = redis.call('ZRANGE', KEYS[5], 0, -1, 'WITHSCORES')
  local sum = 0
  local first = nil
  for i = 1, #entries, 2 do
    sum = sum + (tonumber(string.match(entries[i], '^(%d+):')) or 0)
    if not first then first = tonumber(entries[i + 1]) end
  end
  if sum >= tpm then return {0, 'limit', (first or now) + 60000} end
end
local dayStart = tonumber(ARGV[2])
local storedStart = tonumber(redis.call('HGET', KEYS[6], 'start') or '0')
if storedStart < dayStart then
  redis.call('HSET', KEYS[6], 'start', dayStart, 'count', 0)
end
local daily = tonumber(ARGV[5])
if daily >= 0 and tonumber(redis.call('HGET', KEYS[6], 'count') or '0') >= daily then
  return {0, 'limit', -1}
end
if ARGV[6] == '1' then
  if not redis.call('SET', KEYS[7], ARGV[7], 'NX', 'PX', tonumber(ARGV[8])) then
    return {0, 'probe_taken', -1}
  end
end
-- Only keys with an rpm limit keep a request log: unlimited keys would pay for a window nobody reads.
if rpm >= 0 then
  redis.call('ZADD', KEYS[4], now, ARGV[7])
  redis.call('PEXPIRE', KEYS[4], 61000)
end
redis.call('HINCRBY', KEYS[6], 'count', 1)
redis.call('PEXPIRE', KEYS[6], 172800000)
return {1}
`;

/**
 * Ends an attempt. KEYS: probe, tpm zset. ARGV: probe token, now, tokens, member.
 * Frees the probe slot only if this attempt holds it.
 */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local tokens = tonumber(ARGV[3])
if tokens > 0 then
  redis.call('ZADD', KEYS[2], tonumber(ARGV[2]), tokens .. ':' .. ARGV[4])
  redis.call('PEXPIRE', KEYS[2], 61000)
end
return 1
`;

/**
 * Health counters over a fixed window plus consecutive failures. KEYS: health hash.
 * ARGV: now, failure (1|0), windowMs. Returns {consecutiveFailures, windowFailures, windowTotal}.
 */
export const RECORD_RESULT = `
local now = tonumber(ARGV[1])
local win = tonumber(ARGV[3])
local start = tonumber(redis.call('HGET', KEYS[1], 'ws') or '0')
if now - start >= win then
  redis.call('HSET', KEYS[1], 'ws', now, 'wf', 0, 'wt', 0)
end
redis.call('HINCRBY', KEYS[1], 'wt', 1)
if ARGV[2] == '1' then
  redis.call('HINCRBY', KEYS[1], 'wf', 1)
  redis.call('HINCRBY', KEYS[1], 'cf', 1)
else
  redis.call('HSET', KEYS[1], 'cf', 0)
end
redis.call('PEXPIRE', KEYS[1], math.max(win * 2, 600000))
local h = redis.call('HMGET', KEYS[1], 'cf', 'wf', 'wt')
return {tonumber(h[1] or '0'), tonumber(h[2] or '0'), tonumber(h[3] or '0')}
`;

/**
 * Cooldown that only ever moves later. KEYS: cooldown. ARGV: now, until, encoded value.
 * Returns the stored encoded value after the call.
 */
export const EXTEND_COOLDOWN = `
${COOLDOWN_UNTIL}
local now = tonumber(ARGV[1])
local wanted = tonumber(ARGV[2])
local current, raw = cooldownUntil(KEYS[1])
if wanted > current and wanted > now then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', wanted - now)
  return ARGV[3]
end
return raw or ''
`;

/**
 * Distinct keys of an upstream that failed within the window. KEYS: failures zset.
 * ARGV: now, keyId, windowMs. Returns the count.
 */
export const NOTE_UPSTREAM_FAILURE = `
local now = tonumber(ARGV[1])
local win = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - win)
redis.call('PEXPIRE', KEYS[1], win)
return redis.call('ZCARD', KEYS[1])
`;
