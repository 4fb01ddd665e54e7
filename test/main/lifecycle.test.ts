import { describe, expect, it } from "vitest";
import { Lifecycle } from "../../src/main/lifecycle.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe("Lifecycle", () => {
  it("closes in reverse order of registration, once, even when one closer fails or hangs", async () => {
    const closed: string[] = [];
    const lifecycle = new Lifecycle(silent, 400);
    lifecycle.add("database", async () => void closed.push("database"));
    lifecycle.add("workers", () => new Promise(() => undefined)); // never settles
    lifecycle.add("redis", async () => {
      closed.push("redis");
      throw new Error("already closed");
    });
    lifecycle.add("http", async () => void closed.push("http"));

    await Promise.all([lifecycle.shutdown("test"), lifecycle.shutdown("again")]);
    expect(closed).toEqual(["http", "redis", "database"]);
    await lifecycle.shutdown("third");
    expect(closed).toHaveLength(3);
  });
});
