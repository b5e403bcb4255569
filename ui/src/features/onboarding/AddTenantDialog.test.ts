import { describe, expect, it } from "vitest";
import { flushSync, mount, tick } from "svelte";
import TenantList from "../tenants/TenantList.svelte";
import { setBackend } from "../../lib/ipc";
import { fakeBackend } from "../../lib/fakeBackend";

async function settle() {
  flushSync();
  for (let i = 0; i < 12; i++) await tick();
}

describe("Add tenant", () => {
  it("signs in, onboards a Partner Center customer through consent, and lists it", async () => {
    const fake = fakeBackend(
      [],
      [
        { tenantId: "c-1", displayName: "Bayside Dental", defaultDomain: "bayside.example", gdapStatus: "active", onboarded: false },
        { tenantId: "c-2", displayName: "Desert Bloom", defaultDomain: "desert.example", gdapStatus: null, onboarded: false },
      ],
    );
    setBackend(fake);
    document.body.innerHTML = "";
    mount(TenantList, { target: document.body });
    await settle();
    document.querySelector<HTMLButtonElement>("#add-tenant")!.click();
    await settle();
    document.querySelector<HTMLButtonElement>("#sign-in")!.click();
    await settle();
    expect(document.querySelector("#signed-in-as")?.textContent).toContain("tech@msp.example");
    document.querySelector<HTMLButtonElement>('tr[data-customer-id="c-1"] .onboard-customer')!.click();
    await settle();
    expect(fake.opened).toHaveLength(1);
    expect(document.querySelector("#add-tenant-notice")?.textContent).toBe("Onboarded Bayside Dental.");
    expect(document.querySelector('tr[data-customer-id="c-1"]')?.textContent).toContain("Onboarded");
    const names = [...document.querySelectorAll("#tenant-table .tenant-name")].map((e) => e.textContent);
    expect(names).toEqual(["Bayside Dental"]);
  });

  it("creates a consent link for an individual tenant and shows Microsoft's refusal", async () => {
    const fake = fakeBackend([], []);
    setBackend(fake);
    await fake.signIn();
    document.body.innerHTML = "";
    mount(TenantList, { target: document.body });
    await settle();
    document.querySelector<HTMLButtonElement>("#add-tenant")!.click();
    await settle();
    document.querySelector<HTMLButtonElement>("#tab-individual")!.click();
    await settle();
    const input = document.querySelector<HTMLInputElement>("#consent-tenant")!;
    input.value = "unknown.example";
    input.dispatchEvent(new Event("input"));
    await settle();
    document.querySelector<HTMLButtonElement>("#create-consent")!.click();
    await settle();
    // The fake's completeConsent fails: the tenant is not a customer it knows.
    expect(document.querySelector("#add-tenant-error")?.textContent).toContain("not found");
  });
});
