import type { Scheduler } from "../../../bots/zalo/types.ts";
import type { FakeClock } from "../../fakes/clock.ts";

/** Lets promise callbacks, setImmediate work and quick file I/O run. */
export async function settle(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 2));
}

/** Waits (real time, at most `ms`) until `check` holds. */
export async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

/**
 * Timers on a FakeClock. `auto`: every sleep moves the clock forward at once (pacing tests).
 * Otherwise sleeps wait until `advance` passes their moment.
 */
export class FakeScheduler implements Scheduler {
  readonly requested: number[] = [];
  private pending: { at: number; resolve: () => void }[] = [];

  constructor(
    private readonly clock: FakeClock,
    private readonly auto = false,
  ) {}

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.requested.push(ms);
    if (signal?.aborted) return Promise.resolve();
    if (this.auto) {
      this.clock.advance(ms);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const entry = { at: this.clock.now().getTime() + ms, resolve };
      this.pending.push(entry);
      signal?.addEventListener(
        "abort",
        () => {
          this.pending = this.pending.filter((p) => p !== entry);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Moves time forward, waking each sleeper at its moment, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now().getTime() + ms;
    for (;;) {
      await settle();
      const due = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      if (due.at > this.clock.now().getTime()) this.clock.set(new Date(due.at));
      due.resolve();
    }
    this.clock.set(new Date(target));
    await settle();
  }

  /** Sleeps still waiting, as delays from now. */
  waiting(): number[] {
    const now = this.clock.now().getTime();
    return this.pending.map((p) => p.at - now).sort((a, b) => a - b);
  }
}
