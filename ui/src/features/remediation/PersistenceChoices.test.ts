import { describe, expect, it } from "vitest";
import { flushSync, mount, tick } from "svelte";
import IncidentView from "../incidents/IncidentView.svelte";
import { setBackend } from "../../lib/ipc";
import { fakeBackend, incident, type FakeBackend } from "../../lib/fakeBackend";
import { artifactStatus, defaultRemoval, request } from "./steps";

async function settle() {
  flushSync();
  for (let i = 0; i < 10; i++) await tick();
}

const hostile = '<img src=x onerror="alert(1)"><b>bold</b><script>alert(2)</script>';

const artifacts = [
  { type: "inbox_rule", id: "rule-a", summary: `Inbox rule "${hostile}"` },
  { type: "inbox_rule", id: "rule-b", summary: 'Inbox rule "."' },
  { type: "device", id: "dev-1", summary: "Device DESKTOP-EVIL" },
  { type: "transport_rule", id: "BCC all", summary: "Transport rule BCC all" },
  { type: "oauth_grant", id: "grant-1", summary: "Consent to Mail Sync" },
  { type: "auth_method", id: "only-m1", summary: "Authenticator on attacker phone" },
];

async function open(): Promise<FakeBackend> {
  const fake = fakeBackend([], [], [incident({ status: "active" }, { persistence: artifacts })]);
  setBackend(fake);
  document.body.innerHTML = "";
  mount(IncidentView, { target: document.body, props: { incidentId: "inc_1" } });
  await settle();
  return fake;
}

const row = (id: string) => {
  const element = document.querySelector<HTMLLIElement>(`#step-3-artifacts li[data-artifact-id="${id}"]`);
  if (!element) throw new Error(`no row for ${id}`);
  return element;
};
const select = (id: string) => row(id).querySelector<HTMLSelectElement>("select.artifact-removal");
const include = (id: string) => row(id).querySelector<HTMLInputElement>("input.include-artifact")!;
const runButton = () => document.querySelector<HTMLButtonElement>("#step-3-run")!;
const status = (id: string) => row(id).querySelector(".artifact-status")?.textContent;

async function choose(id: string, value: string) {
  const element = select(id)!;
  element.value = value;
  element.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
}

async function toggle(id: string) {
  include(id).click();
  await settle();
}

describe("Step 3 artifact list", () => {
  it("lists every artifact, included, with its kind's default and choices", async () => {
    await open();
    const rows = [...document.querySelectorAll("#step-3-artifacts li")].map((li) => li.getAttribute("data-artifact-id"));
    expect(rows).toEqual(artifacts.map((a) => a.id));
    for (const a of artifacts) expect(include(a.id).checked).toBe(true);
    // Inbox rules default to Delete and say why; devices and mail-flow rules to Disable.
    expect(select("rule-a")?.value).toBe("delete");
    expect(row("rule-a").querySelector(".rule-note")?.textContent).toContain("clears the leftover persistence");
    expect(select("dev-1")?.value).toBe("disable");
    expect(select("BCC all")?.value).toBe("disable");
    const labels = [...select("BCC all")!.options].map((o) => o.textContent);
    expect(labels).toEqual(["Disable", "Remove"]);
    expect([...select("dev-1")!.options].map((o) => o.textContent)).toEqual(["Disable", "Delete"]);
    // Kinds without a choice say what happens.
    expect(select("grant-1")).toBeNull();
    expect(row("grant-1").querySelector(".fixed-action")?.textContent).toBe("Delete grant");
    expect(row("grant-1").textContent).toContain("OAuth consent");
    await choose("rule-b", "disable");
    expect(row("rule-b").querySelector(".rule-note")?.textContent).toContain("only deletion clears leftover persistence");
    for (const a of artifacts) expect(status(a.id)).toBe("Not done yet");
    // The guard has not stopped anything yet.
    expect(document.querySelector("#confirm-only-method")).toBeNull();
  });

  it("renders hostile summaries as inert text", async () => {
    await open();
    const list = document.querySelector("#step-3-artifacts")!;
    expect(row("rule-a").querySelector(".artifact-summary")?.textContent).toBe(`Inbox rule "${hostile}"`);
    expect(list.querySelector("img, b, script")).toBeNull();
  });

  it("sends only the checked artifacts with their removals, then shows what the log did", async () => {
    const fake = await open();
    await toggle("dev-1");
    await toggle("grant-1");
    await choose("rule-b", "disable");
    await choose("BCC all", "delete");
    runButton().click();
    await settle();
    const sent = fake.requests.at(-1)!;
    expect(sent.step).toBe(3);
    expect(sent.items).toEqual([
      "3:inbox_rule:delete:rule-a",
      "3:inbox_rule:disable:rule-b",
      "3:transport_rule:delete:BCC all",
      "3:auth_method:only-m1",
    ]);
    expect(sent.removals).toEqual([
      { artifactId: "rule-a", removal: "delete" },
      { artifactId: "rule-b", removal: "disable" },
      { artifactId: "BCC all", removal: "delete" },
    ]);
    expect(sent.confirmRemoveOnlyMethod).toBe(false);
    expect(document.querySelector("#step-3-outcomes")?.textContent).toContain("transport_rule BCC all");
    expect(status("rule-a")).toBe("Deleted");
    expect(status("rule-b")).toBe("Disabled");
    expect(status("BCC all")).toBe("Removed");
    expect(status("dev-1")).toBe("Not done yet");
    // The choices survive the refresh.
    expect(include("dev-1").checked).toBe(false);
    expect(select("rule-b")?.value).toBe("disable");
  });

  it("asks to confirm deleting the user's only MFA method once the guard stopped it", async () => {
    const fake = await open();
    runButton().click();
    await settle();
    expect(status("only-m1")).toContain("Skipped: this is the user's only multifactor method");
    const confirm = document.querySelector<HTMLInputElement>("#confirm-only-method");
    expect(confirm).not.toBeNull();
    confirm!.click();
    await settle();
    runButton().click();
    await settle();
    expect(fake.requests.at(-1)?.confirmRemoveOnlyMethod).toBe(true);
    expect(status("only-m1")).toBe("Deleted");
    expect(document.querySelector("#confirm-only-method")).toBeNull();
  });

  it("cannot run with nothing checked", async () => {
    const fake = await open();
    for (const a of artifacts) await toggle(a.id);
    expect(runButton().disabled).toBe(true);
    runButton().click();
    await settle();
    expect(fake.requests).toEqual([]);
    await toggle("grant-1");
    expect(runButton().disabled).toBe(false);
  });

  it("refuses a removal the artifact's kind does not offer, as the api does", async () => {
    const fake = fakeBackend([], [], [incident({ status: "active" }, { persistence: artifacts })]);
    const disableGrant = request(3, { removals: [{ artifactId: "grant-1", removal: "disable" }] });
    await expect(fake.runRemediationStep("inc_1", disableGrant)).rejects.toMatchObject({ code: "invalid_input" });
    const unknown = request(3, { removals: [{ artifactId: "no-such", removal: "delete" }] });
    await expect(fake.runRemediationStep("inc_1", unknown)).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("defaults by kind", () => {
    const step = (type: string, removals: ("disable" | "delete")[]) => ({
      type,
      id: "x",
      summary: "",
      actions: removals.map((removal) => ({ removal, key: `3:${type}:${removal}:x`, outcome: null, message: null, needsConfirmation: false })),
    });
    expect(defaultRemoval(step("inbox_rule", ["disable", "delete"]))).toBe("delete");
    expect(defaultRemoval(step("device", ["disable", "delete"]))).toBe("disable");
    expect(defaultRemoval(step("inbound_connector", ["disable", "delete"]))).toBe("disable");
    expect(defaultRemoval(step("service_principal", ["disable"]))).toBe("disable");
    expect(defaultRemoval(step("mailbox_permission", ["delete"]))).toBe("delete");
  });

  it("reads what the log did: the chosen action's failure first, then the strongest removal", () => {
    const rule = (disable: string | null, remove: string | null, message: string | null = null) => ({
      type: "inbox_rule",
      id: "r",
      summary: "",
      actions: [
        { removal: "disable" as const, key: "3:inbox_rule:disable:r", outcome: disable, message: null, needsConfirmation: false },
        { removal: "delete" as const, key: "3:inbox_rule:delete:r", outcome: remove, message, needsConfirmation: false },
      ],
    });
    const deleting = { include: true, removal: "delete" as const };
    const disabling = { include: true, removal: "disable" as const };
    expect(artifactStatus(rule(null, null), deleting)).toBeNull();
    expect(artifactStatus(rule("succeeded", "succeeded"), disabling)).toEqual({ text: "Deleted", done: true });
    expect(artifactStatus(rule("succeeded", null), deleting)).toEqual({ text: "Disabled", done: true });
    expect(artifactStatus(rule("succeeded", "failed", "Forbidden: no"), deleting)).toEqual({ text: "Failed: Forbidden: no", done: false });
    expect(artifactStatus(rule("already_done", "failed", "Forbidden: no"), disabling)).toEqual({ text: "Disabled", done: true });
    expect(artifactStatus(rule(null, "failed"), disabling)).toEqual({ text: "Failed", done: false });
    const forwarding = {
      type: "mailbox_forwarding",
      id: "u",
      summary: "",
      actions: [{ removal: "delete" as const, key: "3:mailbox_forwarding:u", outcome: "succeeded", message: null, needsConfirmation: false }],
    };
    expect(artifactStatus(forwarding, undefined)).toEqual({ text: "Cleared", done: true });
  });
});
