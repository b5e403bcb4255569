import { describe, expect, it } from "vitest";
import { flushSync, mount, tick } from "svelte";
import TenantDetail from "./TenantDetail.svelte";
import { setBackend } from "../../lib/ipc";
import { fakeBackend, incident, tenant } from "../../lib/fakeBackend";

async function settle() {
  flushSync();
  for (let i = 0; i < 10; i++) await tick();
}

describe("TenantDetail", () => {
  it("scans with progress and shows incidents and failed attacks", async () => {
    setBackend(fakeBackend([tenant({ id: "t-1" })], [], [incident({ tenantId: "t-1" })]));
    document.body.innerHTML = "";
    mount(TenantDetail, { target: document.body, props: { tenantId: "t-1" } });
    await settle();
    expect(document.querySelector("#never-scanned")).not.toBeNull();
    document.querySelector<HTMLButtonElement>("#scan-now")!.click();
    await settle();
    expect(document.querySelector("#scan-progress")).toBeNull();
    expect(document.querySelector("#scan-coverage")?.textContent).toContain("1 incident(s)");
    expect(document.querySelector("#targeted-users")?.textContent).toContain("ceo@contoso.example");
    expect(document.querySelector(".incident-table")?.textContent).toContain("jane@contoso.example");
  });
});
