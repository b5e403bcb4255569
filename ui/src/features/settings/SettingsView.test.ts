import { describe, expect, it } from "vitest";
import { flushSync, mount, tick } from "svelte";
import SettingsView from "./SettingsView.svelte";
import { setBackend } from "../../lib/ipc";
import { fakeBackend } from "../../lib/fakeBackend";

async function settle() {
  flushSync();
  for (let i = 0; i < 5; i++) await tick();
}

describe("SettingsView", () => {
  it("saves valid settings and reports invalid tier bounds", async () => {
    const fake = fakeBackend();
    setBackend(fake);
    document.body.innerHTML = "";
    mount(SettingsView, { target: document.body, props: { info: null } });
    await settle();
    const name = document.querySelector<HTMLInputElement>("#msp-name")!;
    const bounds = document.querySelector<HTMLInputElement>("#tier-bounds")!;
    expect(bounds.value).toBe("250, 1000, 5000, 20000");

    name.value = "Bastion IT";
    name.dispatchEvent(new Event("input"));
    document.querySelector<HTMLButtonElement>("#save-settings")!.click();
    await settle();
    expect(fake.saved.at(-1)?.mspDisplayName).toBe("Bastion IT");
    expect(document.body.textContent).toContain("Settings saved.");

    bounds.value = "500, 100";
    bounds.dispatchEvent(new Event("input"));
    document.querySelector<HTMLButtonElement>("#save-settings")!.click();
    await settle();
    expect(document.querySelector('[role="alert"]')?.textContent).toContain("strictly ascending");
    expect(fake.saved).toHaveLength(1);
  });
});
