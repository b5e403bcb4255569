// An in-memory backend with the same contract as the Rust API, for UI tests.
import { IpcError, type Backend, type Settings, type TenantSummary } from "./ipc";

export function fakeBackend(initial: TenantSummary[] = []): Backend & { saved: Settings[] } {
  let settings: Settings = { mspDisplayName: "", volumeTierBounds: [250, 1000, 5000, 20000] };
  let tenants = structuredClone(initial);
  const saved: Settings[] = [];
  const find = (id: string) => {
    const tenant = tenants.find((t) => t.id === id);
    if (!tenant) throw new IpcError("not_found", `tenant ${id} not found`);
    return tenant;
  };
  return {
    saved,
    appInfo: async () => ({ version: "0.0.0-test", dataDir: "/tmp/parapet-test", demo: false }),
    listTenants: async () => {
      const billableUsers = tenants.reduce((sum, t) => sum + t.billableUsers, 0);
      const index = settings.volumeTierBounds.findIndex((b) => billableUsers <= b);
      const volumeTier = index === -1 ? settings.volumeTierBounds.length + 1 : index + 1;
      return structuredClone({ tenants, billableUsers, volumeTier });
    },
    setTenantFlags: async (id, flags) => {
      const tenant = find(id);
      tenant.flags = { ...flags };
      return structuredClone(tenant);
    },
    removeTenant: async (id) => {
      find(id);
      tenants = tenants.filter((t) => t.id !== id);
    },
    getSettings: async () => structuredClone(settings),
    updateSettings: async (next) => {
      const bounds = next.volumeTierBounds;
      if (bounds.length === 0 || bounds.some((b, i) => i > 0 && b <= (bounds[i - 1] ?? 0))) {
        throw new IpcError("invalid_input", "volume tier bounds must be positive and strictly ascending");
      }
      settings = structuredClone(next);
      saved.push(settings);
      return structuredClone(settings);
    },
  };
}

/** A tenant row with sensible defaults, for tests. */
export function tenant(overrides: Partial<TenantSummary> = {}): TenantSummary {
  return {
    id: "t-1",
    displayName: "Contoso",
    defaultDomain: "contoso.onmicrosoft.com",
    flags: { responseEnabled: false, paused: false, scanOnly: false },
    entraLicence: "p1",
    memberUsers: 40,
    billableUsers: 31,
    lastVerifiedAt: null,
    ...overrides,
  };
}
