/**
 * Lua scripts that make check-and-update atomic on Redis, so two replicas can never both take the last
 * unit of a limit. Scripts read the clock with TIME, so replicas with skewed clocks still agree.
 */

/** Milliseconds since the epoch, from the Redis server clock. */
const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Sliding-window log over one or more windows at once (e.g. requests/minute and requests/day).
 * KEYS: one sorted set per window. ARGV[1]: unique member for this hit; then (limit, windowMs) per key.
 * Takes one unit from every window only when all of them have room.
 * Returns { allowed (1|0), waitMs until the tightest window has room, now }.
 */
export const SLIDING_WINDOW_TAKE = `
${NOW}
local member = ARGV[1]
local wait = 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local win = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - win)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local w = win
    if limit > 0 then
      local edge = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
      w = tonumber(edge[2]) + win - now
    end
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, wait, now} end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, member)
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * i + 1]))
end
return {1, 0, now}
`;

/**
 * Counts hits in a sliding window without taking one. KEYS[1]: the sorted set; ARGV[1]: windowMs.
 * Returns { count, now }.
 */
export const SLIDING_WINDOW_COUNT = `
${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
return {redis.call('ZCARD', KEYS[1]), now}
`;

/**
 * Sets an "until" timestamp that may only move later (a second 429 extends a cooldown, never shortens it).
 * KEYS[1]: the key; ARGV[1]: until (epoch ms). Returns the effective until.
 */
export const EXTEND_UNTIL = `
${NOW}
local wanted = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if wanted <= current then return current end
if wanted <= now then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', wanted - now)
return wanted
`;

/**
 * Fixed-window hit counter with a block period, the semantics of @nestjs/throttler's storage.
 * KEYS[1]: hit counter, KEYS[2]: block marker. ARGV: ttlMs, limit, blockMs.
 * Returns { totalHits, ttlLeftMs, blocked (1|0), blockLeftMs }.
 */
export const THROTTLE_HIT = `
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local block = tonumber(ARGV[3])
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return {limit + 1, blockLeft, 1, blockLeft}
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ttl) end
local ttlLeft = redis.call('PTTL', KEYS[1])
if ttlLeft < 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  ttlLeft = ttl
end
if hits > limit then
  if block > 0 then
    redis.call('SET', KEYS[2], '1', 'PX', block)
    -- The window starts afresh once the block is over, as in the in-memory storage.
    redis.call('DEL', KEYS[1])
    return {hits, ttlLeft, 1, block}
  end
  return {hits, ttlLeft, 1, ttlLeft}
end
return {hits, ttlLeft, 0, 0}
`;
