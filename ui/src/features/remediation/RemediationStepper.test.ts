import { describe, expect, it } from "vitest";
import { flushSync, mount, tick } from "svelte";
import IncidentView from "../incidents/IncidentView.svelte";
import { setBackend } from "../../lib/ipc";
import { fakeBackend, incident } from "../../lib/fakeBackend";

async function settle() {
  flushSync();
  for (let i = 0; i < 10; i++) await tick();
}

const click = async (css: string) => {
  const element = document.querySelector<HTMLElement>(css);
  if (!element) throw new Error(`${css} not found`);
  element.click();
  await settle();
};

describe("Remediation stepper", () => {
  it("guards the reset, shows the password once, and collapses when remediated", async () => {
    setBackend(fakeBackend([], [], [incident({ status: "active" })]));
    document.body.innerHTML = "";
    mount(IncidentView, { target: document.body, props: { incidentId: "inc_1" } });
    await settle();
    await click("#step-1-run");
    expect(document.querySelector('[data-step="1"] .step-done')).not.toBeNull();
    expect(document.querySelector("#password-guard")?.textContent).toContain("1 unresolved");
    await click("#step-3-run");
    expect(document.querySelector("#password-guard")).toBeNull();
    await click("#step-4-run");
    expect(document.querySelector("#new-password")?.textContent).toBe("Fake-Pa55word-Once!");
    await click("#dismiss-password");
    expect(document.querySelector("#new-password")).toBeNull();
    expect(document.body.textContent).not.toContain("Fake-Pa55word-Once!");
    // Running the step again repeats nothing; a fresh reset gives a new password, once.
    await click("#step-4-run");
    expect(document.querySelector("#new-password")).toBeNull();
    expect(document.querySelector("#fresh-reset-note")?.textContent).toContain("set a fresh one");
    await click("#step-4-fresh");
    expect(document.querySelector("#new-password")?.textContent).toBe("Fake-Fresh-Pa55word-2!");
    await click("#dismiss-password");
    await click("#step-5-run");
    await click("#step-6-run");
    expect(document.querySelector("#incident-status")?.textContent).toBe("Remediated");
    expect(document.querySelector<HTMLDetailsElement>("#remediation-panel")?.open).toBe(false);
  });
});
