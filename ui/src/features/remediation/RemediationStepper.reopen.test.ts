import { describe, expect, it } from "vitest";
import { flushSync, mount, tick } from "svelte";
import IncidentView from "../incidents/IncidentView.svelte";
import { setBackend } from "../../lib/ipc";
import type { ActionView } from "../../lib/bindings/ActionView";
import { fakeBackend, incident } from "../../lib/fakeBackend";

async function settle() {
  flushSync();
  for (let i = 0; i < 10; i++) await tick();
}

const action = (sequence: number, step: number, result: string, request: string): ActionView => ({
  sequence,
  time: "2026-12-03T10:00:00Z",
  actor: step === 0 ? "Parapet scan" : "tech@msp.example",
  tenantId: "t-1",
  step,
  target: step === 0 ? "incident inc_1" : "account jane@contoso.example",
  request,
  result,
});

describe("Action log", () => {
  it("shows a reopen marker as a reason without a step", async () => {
    const reason = "reopened: the attacker was active again after it was remediated (last activity 2026-12-03 09:58 UTC)";
    const base = fakeBackend([], [], [incident({ status: "active" })]);
    setBackend({
      ...base,
      remediationState: async () => ({
        completedSteps: [1],
        unresolvedPersistence: 0,
        actions: [
          action(1, 6, "succeeded", "mark the incident remediated (no Microsoft call)"),
          action(2, 0, "reopened", reason),
          action(3, 1, "succeeded", "PATCH /v1.0/users/u-1 accountEnabled=false"),
        ],
        tampered: null,
        persistence: [],
      }),
    });
    document.body.innerHTML = "";
    mount(IncidentView, { target: document.body, props: { incidentId: "inc_1" } });
    await settle();
    const rows = [...document.querySelectorAll("#action-log tbody tr")];
    const cells = rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.textContent));
    expect(cells.map((c) => c[3])).toEqual(["6", "—", "1"]);
    expect(cells[1]?.[5]).toBe(reason);
    expect(cells[1]?.[6]).toBe("reopened");
    expect(rows.map((row) => row.classList.contains("reopened"))).toEqual([false, true, false]);
    expect(rows[1]?.querySelector("code")).toBeNull();
  });
});
