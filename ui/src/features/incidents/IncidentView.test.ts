import { describe, expect, it } from "vitest";
import { flushSync, mount, tick } from "svelte";
import IncidentView from "./IncidentView.svelte";
import { setBackend } from "../../lib/ipc";
import { fakeBackend, incident } from "../../lib/fakeBackend";

async function settle() {
  flushSync();
  for (let i = 0; i < 8; i++) await tick();
}

describe("IncidentView", () => {
  it("shows reasons, persistence and timeline as inert text and publishes", async () => {
    const hostile = '<script>alert("x")</script><b>Rule</b>';
    setBackend(
      fakeBackend([], [], [
        incident({}, { persistence: [{ type: "inbox_rule", id: "r1", summary: hostile }] }),
      ]),
    );
    document.body.innerHTML = "";
    mount(IncidentView, { target: document.body, props: { incidentId: "inc_1" } });
    await settle();
    expect(document.querySelector("#incident-heading")?.textContent).toBe("jane@contoso.example");
    expect(document.querySelector("#incident-reasons")?.textContent).toContain("adversary-in-the-middle");
    expect(document.querySelector("#incident-persistence")?.textContent).toContain(hostile);
    expect(document.querySelector("#incident-persistence b")).toBeNull();
    expect(document.querySelector("#incident-persistence script")).toBeNull();
    expect(document.querySelector("#incident-status")?.textContent).toBe("Unpublished");
    document.querySelector<HTMLButtonElement>("#publish-incident")!.click();
    await settle();
    expect(document.querySelector("#incident-status")?.textContent).toBe("Active");
    expect(document.querySelector("#publish-incident")).toBeNull();
  });
});

describe("Exchange log", () => {
  it("tags a message with Mark as Phish, shows the badge and enables step 2", async () => {
    setBackend(fakeBackend([], [], [incident({ status: "active" })]));
    document.body.innerHTML = "";
    mount(IncidentView, { target: document.body, props: { incidentId: "inc_1" } });
    await settle();
    expect(document.querySelector("#no-phish")).not.toBeNull();
    expect(document.querySelector("#step-2-run")).toBeNull();
    document.querySelector<HTMLButtonElement>('tr[data-message-id="m-1"] .mark-phish')!.click();
    await settle();
    expect(document.querySelector('tr[data-message-id="m-1"] .phish-badge')?.textContent).toBe("Phish");
    expect(document.querySelector('tr[data-message-id="m-2"] .phish-badge')).toBeNull();
    expect(document.querySelector("#step-2-run")).not.toBeNull();
  });
});
