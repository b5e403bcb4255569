import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, tick, unmount } from "svelte";
import TenantList from "./TenantList.svelte";
import { setBackend } from "../../lib/ipc";
import { fakeBackend, tenant } from "../../lib/fakeBackend";

let component: ReturnType<typeof mount> | null = null;

async function settle() {
  flushSync();
  for (let i = 0; i < 8; i++) await tick();
}

async function render() {
  document.body.innerHTML = "";
  component = mount(TenantList, { target: document.body });
  await settle();
}

afterEach(() => {
  if (component) unmount(component);
  component = null;
});

describe("TenantList", () => {
  it("shows the empty state when no tenant is onboarded", async () => {
    setBackend(fakeBackend([]));
    await render();
    expect(document.querySelector("h1")?.textContent).toBe("Tenants");
    expect(document.querySelector("#tenants-empty")?.textContent).toContain("No tenants yet");
  });

  it("renders attacker-controlled names as text, never as markup", async () => {
    setBackend(fakeBackend([tenant({ displayName: '<img src=x onerror="alert(1)">Evil Corp' })]));
    await render();
    expect(document.querySelector(".tenant-name")?.textContent).toBe('<img src=x onerror="alert(1)">Evil Corp');
    expect(document.querySelector("#tenant-table img")).toBeNull();
  });

  it("toggles Response and pause, and sums billable users", async () => {
    const fake = fakeBackend([tenant({ id: "a", billableUsers: 200 }), tenant({ id: "b", displayName: "B", billableUsers: 100 })]);
    setBackend(fake);
    await render();
    expect(document.querySelector("#billing-summary")?.textContent).toContain("300 billable users across 2 tenants");
    expect(document.querySelector("#billing-summary")?.textContent).toContain("volume tier 2");

    document.querySelector<HTMLInputElement>('tr[data-tenant-id="a"] .response-toggle')!.click();
    await settle();
    document.querySelector<HTMLButtonElement>('tr[data-tenant-id="a"] .pause-toggle')!.click();
    await settle();
    const overview = await fake.listTenants();
    expect(overview.tenants.find((t) => t.id === "a")?.flags).toEqual({ responseEnabled: true, paused: true, scanOnly: false });
    expect(document.querySelector('tr[data-tenant-id="a"] .status')?.textContent).toBe("Paused");
  });

  it("removes a tenant only after confirmation", async () => {
    const fake = fakeBackend([tenant({ id: "a" })]);
    setBackend(fake);
    await render();
    document.querySelector<HTMLButtonElement>(".remove-tenant")!.click();
    await settle();
    expect((await fake.listTenants()).tenants).toHaveLength(1);
    document.querySelector<HTMLButtonElement>(".confirm-remove")!.click();
    await settle();
    expect((await fake.listTenants()).tenants).toHaveLength(0);
    expect(document.querySelector("#tenants-empty")).not.toBeNull();
  });
});
