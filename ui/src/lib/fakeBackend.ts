// An in-memory backend with the same contract as the Rust API, for UI tests.
import {
  IpcError,
  type ArtifactStep,
  type Backend,
  type CustomerTenant,
  type IncidentDetail,
  type PartnerStatus,
  type PhishCopy,
  type RemovalChoice,
  type Settings,
  type StepRequest,
  type TenantSummary,
} from "./ipc";

export interface FakeBackend extends Backend {
  saved: Settings[];
  opened: string[];
  /** Every remediation step request, in order. */
  requests: StepRequest[];
}

// As parapet-remediate: kinds with a choice, the one thing done to the others, and keys.
const CHOICE_KINDS = ["inbox_rule", "device", "inbound_connector", "transport_rule"];
const offered = (type: string): RemovalChoice[] =>
  CHOICE_KINDS.includes(type) ? ["disable", "delete"] : type === "service_principal" ? ["disable"] : ["delete"];
const persistenceKey = (type: string, id: string, removal: RemovalChoice) =>
  CHOICE_KINDS.includes(type) ? `3:${type}:${removal}:${id}` : `3:${type}:${id}`;
/** The guard message of the engine; a fake MFA method whose id starts with "only-" is the user's only one. */
export const ONLY_METHOD_GUARD =
  "this is the user's only multifactor method besides the password; deleting it needs the technician's explicit confirmation";

export function fakeBackend(
  initial: TenantSummary[] = [],
  customers: CustomerTenant[] = [],
  incidents: IncidentDetail[] = [],
): FakeBackend {
  let settings: Settings = { mspDisplayName: "", volumeTierBounds: [250, 1000, 5000, 20000] };
  let tenants = structuredClone(initial);
  const saved: Settings[] = [];
  const opened: string[] = [];
  let partner: PartnerStatus = { signedIn: false, partnerTenantId: null, technicianUpn: null, mspAppId: null };
  const consented = new Set<string>();
  const pending = new Map<string, string>();
  const completed = new Set<number>();
  let resets = 0;
  const requests: StepRequest[] = [];
  // Step-3 action key → its latest result, per incident.
  const logged = new Map<string, Map<string, { outcome: string; message: string | null }>>();
  const logOf = (incidentId: string) => {
    const log = logged.get(incidentId) ?? new Map<string, { outcome: string; message: string | null }>();
    logged.set(incidentId, log);
    return log;
  };
  const artifactSteps = (found: IncidentDetail): ArtifactStep[] =>
    found.persistence
      .filter((a, i, all) => all.findIndex((b) => b.type === a.type && b.id === a.id) === i)
      .map((a) => ({
        type: a.type,
        id: a.id,
        summary: a.summary,
        actions: offered(a.type).map((removal) => {
          const key = persistenceKey(a.type, a.id, removal);
          const entry = logOf(found.summary.id).get(key);
          return {
            removal,
            key,
            outcome: entry?.outcome ?? null,
            message: entry?.message ?? null,
            needsConfirmation: entry?.message === ONLY_METHOD_GUARD,
          };
        }),
      }));
  const removePersistence = (found: IncidentDetail, request: StepRequest) => {
    const artifacts = artifactSteps(found);
    for (const choice of request.removals) {
      const named = artifacts.filter((a) => a.id === choice.artifactId);
      if (named.length === 0) throw new IpcError("invalid_input", `the incident has no persistence artifact "${choice.artifactId}" to choose a removal for`);
      const refused = named.find((a) => !offered(a.type).includes(choice.removal));
      if (refused) throw new IpcError("invalid_input", `the ${refused.type} "${refused.id}" cannot be ${choice.removal}d`);
    }
    const kindDefault = (type: string): RemovalChoice => {
      const flag = { inbox_rule: request.deleteInboxRules, device: request.deleteDevices }[type] ?? request.removeMailFlowRules;
      return flag ? "delete" : "disable";
    };
    const log = logOf(found.summary.id);
    return artifacts
      .map((a) => {
        const chosen = request.removals.find((r) => r.artifactId === a.id)?.removal;
        const removal = chosen ?? (CHOICE_KINDS.includes(a.type) ? kindDefault(a.type) : offered(a.type)[0] ?? "delete");
        return { a, key: persistenceKey(a.type, a.id, removal) };
      })
      .filter(({ key }) => request.items.length === 0 || request.items.includes(key))
      .map(({ a, key }) => {
        const before = log.get(key)?.outcome;
        const entry =
          before === "succeeded" || before === "already_done"
            ? { outcome: "already_done", message: "an earlier run finished it" }
            : a.type === "auth_method" && a.id.startsWith("only-") && !request.confirmRemoveOnlyMethod
              ? { outcome: "skipped", message: ONLY_METHOD_GUARD }
              : { outcome: "succeeded", message: null };
        log.set(key, entry);
        return { key, target: `${a.type} ${a.id}`, request: "fake", outcome: entry.outcome, message: entry.message, guidance: null };
      });
  };
  const scans = new Map<string, import("./ipc").ScanSummary>();
  const copies: PhishCopy[] = structuredClone(phishCopies);
  const find = (id: string) => {
    const tenant = tenants.find((t) => t.id === id);
    if (!tenant) throw new IpcError("not_found", `tenant ${id} not found`);
    return tenant;
  };
  const onboard = (tenantId: string): TenantSummary => {
    const customer = customers.find((c) => c.tenantId === tenantId);
    if (!customer) throw new IpcError("invalid_input", `tenant ${tenantId} not found`);
    if (!consented.has(tenantId)) throw new IpcError("not_consented", `the Parapet app is not consented in tenant ${tenantId}`);
    customer.onboarded = true;
    const row = tenant({ id: tenantId, displayName: customer.displayName, defaultDomain: customer.defaultDomain });
    tenants = [...tenants.filter((t) => t.id !== tenantId), row];
    return structuredClone(row);
  };
  return {
    saved,
    opened,
    requests,
    partnerStatus: async () => structuredClone(partner),
    signIn: async () => {
      partner = { signedIn: true, partnerTenantId: "partner", technicianUpn: "tech@msp.example", mspAppId: "app" };
      return structuredClone(partner);
    },
    listCustomers: async () => structuredClone(customers),
    requestConsent: async (tenantId) => {
      const requestId = `req-${pending.size + 1}`;
      pending.set(requestId, tenantId);
      return { requestId, url: `https://login.example/${tenantId}/adminconsent?state=${requestId}` };
    },
    // Opening a consent link stands for the Global Admin accepting it.
    openLink: async (url) => {
      opened.push(url);
      const requestId = new URL(url).searchParams.get("state") ?? "";
      const tenantId = pending.get(requestId);
      if (tenantId) consented.add(tenantId);
    },
    completeConsent: async (requestId) => {
      const tenantId = pending.get(requestId);
      if (!tenantId) throw new IpcError("not_found", "unknown consent request");
      pending.delete(requestId);
      return onboard(tenantId);
    },
    onboardTenant: async (tenantId) => onboard(tenantId),
    listIncidents: async (tenantId) =>
      structuredClone(incidents.map((i) => i.summary).filter((i) => tenantId === null || i.tenantId === tenantId)),
    recentIncidentCount: async () => incidents.length,
    incidentDetail: async (id) => {
      const found = incidents.find((i) => i.summary.id === id);
      if (!found) throw new IpcError("not_found", `incident ${id} not found`);
      return structuredClone(found);
    },
    publishIncident: async (id) => {
      const found = incidents.find((i) => i.summary.id === id);
      if (!found) throw new IpcError("not_found", `incident ${id} not found`);
      if (found.summary.status !== "unpublished") throw new IpcError("invalid_input", "already published");
      found.summary.status = "active";
      return structuredClone(found);
    },
    markPhish: async (id, messageId) => {
      const found = incidents.find((i) => i.summary.id === id);
      const message = found?.mail.find((m) => m.id === messageId);
      if (!found || !message) throw new IpcError("not_found", "that message is not in this incident's Exchange log");
      found.phish = {
        internetMessageId: message.internetMessageId,
        sender: message.sender,
        subject: message.subject,
        sent: message.time,
        taggedBy: "technician",
      };
      return structuredClone(found);
    },
    findPhishCopies: async (id, scope) => {
      const found = incidents.find((i) => i.summary.id === id);
      if (!found) throw new IpcError("not_found", `incident ${id} not found`);
      if (!found.phish) throw new IpcError("invalid_input", "no phishing mail is known for this incident");
      const home = found.summary.tenantId;
      const names = new Map([[home, found.summary.tenantName], ["t-2", "Fabrikam"], ["t-3", "Northwind"]]);
      const inScope = [...names.keys()].filter((t) => (t === home) === (scope === "home"));
      return structuredClone(
        inScope.map((tenantId) => ({
          tenantId,
          tenantName: names.get(tenantId) ?? tenantId,
          home: tenantId === home,
          copies: copies.filter((c) => c.reference.tenantId === tenantId),
          error: null,
        })),
      );
    },
    lastScan: async (tenantId) => scans.get(tenantId) ?? null,
    scanTenant: async (tenantId, onProgress) => {
      for (let done = 0; done <= 3; done++) onProgress({ phase: done === 3 ? "Done" : `Phase ${done + 1}`, done, total: 3, records: done * 10 });
      const summary = {
        tenantId,
        finishedAt: "2026-12-01T10:00:00Z",
        coverageFrom: "2026-06-01T00:00:00Z",
        coverageTo: "2026-12-01T10:00:00Z",
        sources: ["entraSignIns"],
        incidentCount: incidents.filter((i) => i.summary.tenantId === tenantId).length,
        targetedUsers: [{ userPrincipalName: "ceo@contoso.example", failedAttempts: 12 }],
      };
      scans.set(tenantId, summary);
      return structuredClone(summary);
    },
    runRemediationStep: async (incidentId, request) => {
      const found = incidents.find((i) => i.summary.id === incidentId);
      if (!found) throw new IpcError("not_found", `incident ${incidentId} not found`);
      // JSON, not structuredClone: the UI may pass $state proxies, which cannot be cloned.
      requests.push(JSON.parse(JSON.stringify(request)) as StepRequest);
      if (request.step === 2 && request.messages.length > 0) {
        const moved = copies.filter((c) =>
          request.messages.some((m) => m.tenantId === c.reference.tenantId && m.mailboxId === c.reference.mailboxId && m.messageId === c.reference.messageId),
        );
        copies.splice(0, copies.length, ...copies.filter((c) => !moved.includes(c)));
        return {
          step: 2,
          objects: moved.map((c) => ({
            key: `2:message:${c.reference.mailboxId}:${c.reference.messageId}`,
            target: `message "${c.subject}" in ${c.mailbox} (${c.folder})`,
            request: "POST /v1.0/users/{id}/messages/{id}/move deleteditems",
            outcome: "succeeded",
            message: null,
            guidance: null,
          })),
          newPassword: null,
        };
      }
      if (request.step === 4) {
        // As the engine: a finished reset is not repeated unless a fresh one is asked for.
        const again = completed.has(4) && !request.freshPasswordReset;
        completed.add(4);
        resets += again ? 0 : 1;
        return {
          step: 4,
          objects: [{ key: "4:password", target: "password of jane@contoso.example", request: "PATCH /v1.0/users/x", outcome: again ? "already_done" : "succeeded", message: null, guidance: null }],
          newPassword: again ? null : resets === 1 ? "Fake-Pa55word-Once!" : `Fake-Fresh-Pa55word-${resets}!`,
        };
      }
      const objects =
        request.step === 3
          ? removePersistence(found, request)
          : [{ key: `${request.step}:x`, target: "jane@contoso.example", request: "POST /v1.0/x", outcome: "succeeded", message: null, guidance: null }];
      completed.add(request.step);
      if (request.step === 6) found.summary.status = "remediated";
      return { step: request.step, objects, newPassword: null };
    },
    remediationState: async (incidentId) => {
      const found = incidents.find((i) => i.summary.id === incidentId);
      if (!found) throw new IpcError("not_found", `incident ${incidentId} not found`);
      const persistence = artifactSteps(found);
      return {
        completedSteps: [...completed].sort(),
        unresolvedPersistence: persistence.filter(
          (a) => !a.actions.some((x) => x.outcome === "succeeded" || x.outcome === "already_done"),
        ).length,
        actions: [],
        tampered: null,
        persistence,
      };
    },
    appInfo: async () => ({ version: "0.0.0-test", dataDir: "/tmp/parapet-test", demo: false }),
    listTenants: async () => {
      const billableUsers = tenants.reduce((sum, t) => sum + t.billableUsers, 0);
      const index = settings.volumeTierBounds.findIndex((b) => billableUsers <= b);
      const volumeTier = index === -1 ? settings.volumeTierBounds.length + 1 : index + 1;
      return structuredClone({ tenants, billableUsers, volumeTier });
    },
    setTenantFlags: async (id, flags) => {
      const tenant = find(id);
      tenant.flags = { ...flags };
      return structuredClone(tenant);
    },
    removeTenant: async (id) => {
      find(id);
      tenants = tenants.filter((t) => t.id !== id);
    },
    getSettings: async () => structuredClone(settings),
    updateSettings: async (next) => {
      const bounds = next.volumeTierBounds;
      if (bounds.length === 0 || bounds.some((b, i) => i > 0 && b <= (bounds[i - 1] ?? 0))) {
        throw new IpcError("invalid_input", "volume tier bounds must be positive and strictly ascending");
      }
      settings = structuredClone(next);
      saved.push(settings);
      return structuredClone(settings);
    },
  };
}

/** A tenant row with sensible defaults, for tests. */
export function tenant(overrides: Partial<TenantSummary> = {}): TenantSummary {
  return {
    id: "t-1",
    displayName: "Contoso",
    defaultDomain: "contoso.onmicrosoft.com",
    flags: { responseEnabled: false, paused: false, scanOnly: false },
    entraLicence: "p1",
    memberUsers: 40,
    billableUsers: 31,
    lastVerifiedAt: null,
    ...overrides,
  };
}

/** An incident with sensible defaults, for tests. */
export function incident(overrides: Partial<IncidentDetail["summary"]> = {}, extra: Partial<IncidentDetail> = {}): IncidentDetail {
  return {
    summary: {
      id: "inc_1",
      tenantId: "t-1",
      tenantName: "Contoso",
      userPrincipalName: "jane@contoso.example",
      kind: "active_compromise",
      severity: "critical",
      confidence: "high",
      status: "unpublished",
      firstSeen: "2026-11-01T08:00:00Z",
      lastSeen: "2026-11-02T09:00:00Z",
      persistenceCount: 1,
      ...overrides,
    },
    reasons: ["The account was taken over through an adversary-in-the-middle phishing page"],
    signals: [{ kind: "aitm", time: "2026-11-01T08:00:00Z", summary: "Sign-in from hosting", evidence: ["s-1"] }],
    persistence: [{ type: "inbox_rule", id: "AQAAAH0s0HQ=", summary: 'Inbox rule "."' }],
    mail: [
      { id: "m-1", internetMessageId: "<a@x>", sender: "jane@contoso.example", subject: "Invoice overdue", time: "2026-11-02T09:00:00Z", mailboxes: 14 },
      { id: "m-2", internetMessageId: "<b@x>", sender: "jane@contoso.example", subject: "Lunch?", time: "2026-11-01T12:00:00Z", mailboxes: 1 },
    ],
    phish: null,
    ...extra,
  };
}

/** Copies of the test incident's phish: two at home, three in Fabrikam (a hostile subject; one
 * only by sender and subject). */
export const phishCopies: PhishCopy[] = [
  copy("t-1", "u-1", "m-10", "bob@contoso.example", "Invoice overdue"),
  copy("t-1", "u-2", "m-11", "amy@contoso.example", "Invoice overdue", "Junk Email"),
  copy("t-2", "u-7", "m-20", "li@fabrikam.example", '<img src=x onerror="window.pwned=1">Invoice overdue'),
  copy("t-2", "u-8", "m-21", "raj@fabrikam.example", '<img src=x onerror="window.pwned=1">Invoice overdue'),
  copy("t-2", "u-9", "m-22", "ola@fabrikam.example", '<img src=x onerror="window.pwned=1">Invoice overdue', "Junk Email", "senderAndSubject"),
];

function copy(
  tenantId: string,
  mailboxId: string,
  messageId: string,
  mailbox: string,
  subject: string,
  folder = "Inbox",
  matchedBy: PhishCopy["matchedBy"] = "messageId",
): PhishCopy {
  return {
    reference: { tenantId, mailboxId, messageId },
    mailbox,
    sender: "jane@contoso.example",
    subject,
    received: "2026-11-02T09:00:10Z",
    folder,
    matchedBy,
  };
}
