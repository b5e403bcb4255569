import { describe, expect, it } from "vitest";
import { flushSync, mount, tick } from "svelte";
import IncidentView from "../incidents/IncidentView.svelte";
import { setBackend } from "../../lib/ipc";
import { fakeBackend, incident, tenant } from "../../lib/fakeBackend";

async function settle() {
  flushSync();
  for (let i = 0; i < 10; i++) await tick();
}

async function click(css: string) {
  const element = document.querySelector<HTMLElement>(css);
  if (!element) throw new Error(`${css} not found`);
  element.click();
  await settle();
}

const text = (css: string) => document.querySelector(css)?.textContent ?? "";

async function openIncident() {
  const phish = { internetMessageId: "<a@x>", sender: "jane@contoso.example", subject: "Invoice overdue", sent: "2026-11-02T09:00:00Z", taggedBy: "technician" };
  setBackend(fakeBackend([], [], [incident({ status: "active" }, { phish })]));
  document.body.innerHTML = "";
  mount(IncidentView, { target: document.body, props: { incidentId: "inc_1" } });
  await settle();
}

describe("Phish copies in step 2", () => {
  it("lists this tenant's copies and moves only the selected ones", async () => {
    await openIncident();
    await click("#phish-copies-search");
    const boxes = [...document.querySelectorAll<HTMLInputElement>("#phish-copies .select-copy")];
    expect(boxes.map((b) => b.checked)).toEqual([true, true]);
    expect(text("#phish-copies")).toContain("amy@contoso.example · Junk Email");
    boxes[1]?.click();
    await settle();
    expect(text("#phish-copies-retract")).toBe("Move 1 selected to Deleted Items");
    await click("#phish-copies-retract");
    expect(text("#phish-copies-outcomes")).toContain("bob@contoso.example");
    expect(text("#phish-copies-outcomes")).not.toContain("amy@contoso.example");
    // The search runs again: what is left is the copy that was not selected.
    expect([...document.querySelectorAll("#phish-copies .copy-mailbox")].map((e) => e.textContent)).toEqual(["amy@contoso.example"]);
  });

  it("shows other tenants' copies per tenant, inert, selectable as a whole tenant", async () => {
    await openIncident();
    await click("#cross-tenant-search");
    const group = document.querySelector('#cross-tenant [data-tenant-id="t-2"]');
    expect(group?.textContent).toContain("Fabrikam");
    expect(group?.textContent).toContain("3 mailboxes affected");
    // Only the same Message-ID is ticked for you; the same sender and subject is offered.
    const ticks = [...document.querySelectorAll<HTMLInputElement>('#cross-tenant [data-tenant-id="t-2"] .select-copy')];
    expect(ticks.map((t) => t.checked)).toEqual([true, true, false]);
    expect(document.querySelectorAll("#cross-tenant .likely-copy").length).toBe(1);
    expect(group?.textContent).toContain('<img src=x onerror="window.pwned=1">Invoice overdue');
    expect(document.querySelector("#cross-tenant img")).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
    expect(document.querySelector('#cross-tenant [data-tenant-id="t-3"]')).toBeNull();
    expect(document.querySelector('#cross-tenant [data-tenant-id="t-1"]')).toBeNull();

    expect(text("#cross-tenant-retract")).toBe("Move 2 selected to Deleted Items");
    // The tenant's box selects all of it (the likely copy too), and clears all of it.
    await click('#cross-tenant [data-tenant-id="t-2"] .select-tenant');
    expect(text("#cross-tenant-retract")).toBe("Move 3 selected to Deleted Items");
    await click('#cross-tenant [data-tenant-id="t-2"] .select-tenant');
    expect(document.querySelector<HTMLButtonElement>("#cross-tenant-retract")?.disabled).toBe(true);
    await click('#cross-tenant [data-tenant-id="t-2"] .select-tenant');
    await click("#cross-tenant-retract");
    expect(document.querySelectorAll("#cross-tenant-outcomes .outcome-succeeded").length).toBe(3);
    expect(text("#cross-tenant-none")).toContain("None of your other tenants");
  });

  it("is not offered before the phish is known", async () => {
    setBackend(fakeBackend([], [], [incident({ status: "active" })]));
    document.body.innerHTML = "";
    mount(IncidentView, { target: document.body, props: { incidentId: "inc_1" } });
    await settle();
    expect(document.querySelector("#no-phish")).not.toBeNull();
    expect(document.querySelector("#cross-tenant-search")).toBeNull();
  });
});

describe("Action log of a cross-tenant retraction", () => {
  it("names the other tenant an action touched", async () => {
    const base = fakeBackend([tenant({ id: "t-2", displayName: "Fabrikam" })], [], [incident({ status: "active" })]);
    const move = (sequence: number, tenantId: string) => ({
      sequence,
      time: "2026-12-03T10:00:00Z",
      actor: "tech@msp.example",
      tenantId,
      step: 2,
      target: 'message "Invoice overdue" in li@fabrikam.example (Inbox)',
      request: "POST /v1.0/users/{id}/messages/{id}/move deleteditems",
      result: "succeeded",
    });
    setBackend({
      ...base,
      remediationState: async () => ({
        completedSteps: [],
        unresolvedPersistence: 0,
        actions: [move(1, "t-1"), move(2, "t-2")],
        tampered: null,
        persistence: [],
      }),
    });
    document.body.innerHTML = "";
    mount(IncidentView, { target: document.body, props: { incidentId: "inc_1" } });
    await settle();
    const rows = [...document.querySelectorAll("#action-log tbody tr")];
    expect(rows[0]?.querySelector(".other-tenant")).toBeNull();
    expect(rows[1]?.querySelector(".other-tenant")?.textContent?.trim()).toBe("in Fabrikam");
  });
});
