import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, tick, unmount } from "svelte";
import TenantList from "./TenantList.svelte";
import { setBackend } from "../../lib/ipc";
import { fakeBackend } from "../../lib/fakeBackend";

let component: ReturnType<typeof mount> | null = null;

async function render() {
  document.body.innerHTML = "";
  component = mount(TenantList, { target: document.body });
  flushSync();
  for (let i = 0; i < 5; i++) await tick();
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
    setBackend(
      fakeBackend([
        {
          id: "t-1",
          displayName: '<img src=x onerror="alert(1)">Evil Corp',
          defaultDomain: "evil.onmicrosoft.com",
          responseEnabled: true,
          paused: false,
          scanOnly: false,
        },
      ]),
    );
    await render();
    const cell = document.querySelector("#tenant-table tbody td");
    expect(cell?.textContent).toBe('<img src=x onerror="alert(1)">Evil Corp');
    expect(document.querySelector("#tenant-table img")).toBeNull();
  });
});
