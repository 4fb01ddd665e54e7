import type { Clock } from "../../src/app/index.ts";

/** A clock that moves only when told. */
export class FakeClock implements Clock {
  private current: number;
  constructor(start: string | Date) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }
}
