/**
 * Attempt limits with backoff (sign-in, link codes): pure rules over a counter the store keeps
 * atomically. Within a window the first `free` attempts pass; each one after that passes but
 * makes the next wait (base·2^k, capped), so a stranger's guessing slows to a crawl while the
 * real owner, after a short wait, still gets in. `hardLimit` refuses outright past a count.
 */
export interface AttemptPolicy {
  /** The counter starts again after this long. */
  windowMs: number;
  /** Attempts that pass without any wait in one window. */
  free: number;
  /** The first wait after the free attempts (doubling each time), and its cap; 0 = no waits. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Past this many attempts in the window, refuse until the window ends. */
  hardLimit?: number;
}

export interface AttemptState {
  count: number;
  windowStart: Date;
  blockedUntil: Date | null;
}

export interface AttemptDecision {
  allowed: boolean;
  /** When the next attempt may come (refused now, or a wait set for the next one). */
  retryAt: Date | null;
  /** The state to store. */
  next: AttemptState;
}

/**
 * @example
 * const policy = { windowMs: 3_600_000, free: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };
 * decideAttempt(null, now, policy).allowed // true: a fresh counter
 */
export function decideAttempt(state: AttemptState | null, now: Date, policy: AttemptPolicy): AttemptDecision {
  const fresh = !state || now.getTime() - state.windowStart.getTime() >= policy.windowMs;
  const current: AttemptState = fresh ? { count: 0, windowStart: now, blockedUntil: null } : state;
  if (current.blockedUntil && current.blockedUntil.getTime() > now.getTime()) {
    return { allowed: false, retryAt: current.blockedUntil, next: current };
  }
  if (policy.hardLimit !== undefined && current.count >= policy.hardLimit) {
    const until = new Date(current.windowStart.getTime() + policy.windowMs);
    return { allowed: false, retryAt: until, next: { ...current, blockedUntil: until } };
  }
  const count = current.count + 1;
  let blockedUntil: Date | null = null;
  const base = policy.baseDelayMs ?? 0;
  if (base > 0 && count >= policy.free) {
    const delay = Math.min(base * 2 ** (count - policy.free), policy.maxDelayMs ?? Number.MAX_SAFE_INTEGER);
    blockedUntil = new Date(now.getTime() + delay);
  }
  return { allowed: true, retryAt: blockedUntil, next: { count, windowStart: current.windowStart, blockedUntil } };
}
