/** Orgs (tenants). */
import type { Org } from "../../domain/index.ts";

/**
 * Orgs (tenants).
 * @example
 * const { org, created } = await store.orgs.ensure({ slug: "phuong-7", name: "Đảng ủy phường 7" });
 */
export interface OrgRepository {
  create(input: { slug: string; name: string; settings?: Record<string, unknown> }): Promise<Org>;
  bySlug(slug: string): Promise<Org | null>;
  all(): Promise<Org[]>;
  /** Returns the org with this slug, creating it first when missing. */
  ensure(input: { slug: string; name: string }): Promise<{ org: Org; created: boolean }>;
  byId(id: string): Promise<Org | null>;
  /** Replaces the org's settings (validated by the app first). */
  setSettings(id: string, settings: Record<string, unknown>): Promise<Org>;
}
