// An in-memory backend with the same contract as the Rust API, for UI tests.
import { IpcError, type Backend, type Settings, type TenantSummary } from "./ipc";

export function fakeBackend(tenants: TenantSummary[] = []): Backend & { saved: Settings[] } {
  let settings: Settings = { mspDisplayName: "", volumeTierBounds: [250, 1000, 5000, 20000] };
  const saved: Settings[] = [];
  return {
    saved,
    appInfo: async () => ({ version: "0.0.0-test", dataDir: "/tmp/parapet-test", demo: false }),
    listTenants: async () => structuredClone(tenants),
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
