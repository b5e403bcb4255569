import { describe, expect, it } from "vitest";
import { backendOver, IpcError, toIpcError } from "./ipc";

describe("ipc", () => {
  it("turns an API rejection into a typed IpcError", async () => {
    const backend = backendOver(async () => {
      throw { code: "not_found", message: "tenant t-1 not found" };
    });
    const error = await backend.listTenants().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).code).toBe("not_found");
    expect((error as IpcError).message).toBe("tenant t-1 not found");
  });

  it("maps anything else to an internal error with its text", () => {
    expect(toIpcError("boom")).toMatchObject({ code: "internal", message: "boom" });
    expect(toIpcError(new Error("bad"))).toMatchObject({ code: "internal", message: "bad" });
  });

  it("passes command names and arguments through", async () => {
    const calls: [string, unknown][] = [];
    const backend = backendOver(async <T,>(command: string, args?: Record<string, unknown>) => {
      calls.push([command, args]);
      return { mspDisplayName: "x", volumeTierBounds: [1] } as T;
    });
    await backend.updateSettings({ mspDisplayName: "x", volumeTierBounds: [1] });
    expect(calls).toEqual([["update_settings", { settings: { mspDisplayName: "x", volumeTierBounds: [1] } }]]);
  });
});
