// The remediation steps in the order that actually evicts an attacker.
import type { ArtifactAction, ArtifactStep, RemovalChoice, StepRequest } from "../../lib/ipc";

export interface StepInfo {
  number: number;
  title: string;
  explanation: string;
  available: boolean;
}

export const STEPS: StepInfo[] = [
  {
    number: 1,
    title: "Revoke Sessions and Lock Account",
    explanation:
      "Signs the attacker out everywhere and disables the account. Synced and hybrid accounts also get a Conditional Access block, since Entra Connect would re-enable them.",
    available: true,
  },
  {
    number: 2,
    title: "Retract Phishing Emails",
    explanation:
      "Moves the incident's phishing mail (same Message-ID, or same sender and subject) to Deleted Items: every copy in the tenant at once, or the copies you select, here and in your other tenants.",
    available: true,
  },
  {
    number: 3,
    title: "Disable Persistence Mechanisms",
    explanation:
      "Removes what the attacker left behind. Only deleting an inbox rule clears leftover persistence: a disabled rule can be switched back on.",
    available: true,
  },
  {
    number: 4,
    title: "Reset Password",
    explanation: "Sets a strong generated password, shown once. Call the user to give it to them.",
    available: true,
  },
  { number: 5, title: "Re-enable Account", explanation: "Re-enables the account and removes the step-1 block policy.", available: true },
  { number: 6, title: "Mark as Remediated", explanation: "Closes the incident; it stays as the audit trail.", available: true },
];

export function request(step: number, overrides: Partial<StepRequest> = {}): StepRequest {
  return {
    step,
    items: [],
    messages: [],
    deleteInboxRules: true,
    deleteDevices: false,
    removeMailFlowRules: false,
    removals: [],
    confirmRemoveOnlyMethod: false,
    overrideGuard: false,
    freshPasswordReset: false,
    dryRun: false,
    ...overrides,
  };
}

// Step 3, per artifact: whether to include it and, where its kind offers a choice, how.
export interface ArtifactChoice {
  include: boolean;
  removal: RemovalChoice;
}

export const artifactKey = (artifact: ArtifactStep) => `${artifact.type}:${artifact.id}`;

/** Inbox rules are deleted (a disabled rule can be switched back on); the rest disabled. */
export function defaultRemoval(artifact: ArtifactStep): RemovalChoice {
  const offered = artifact.actions.map((a) => a.removal);
  if (artifact.type === "inbox_rule" && offered.includes("delete")) return "delete";
  if (offered.includes("disable")) return "disable";
  return offered[0] ?? "delete";
}

/** The current choices, with defaults (included, default removal) for artifacts new to the list. */
export function withDefaults(
  artifacts: ArtifactStep[],
  current: Record<string, ArtifactChoice>,
): Record<string, ArtifactChoice> {
  const next: Record<string, ArtifactChoice> = {};
  for (const artifact of artifacts) {
    const key = artifactKey(artifact);
    next[key] = current[key] ?? { include: true, removal: defaultRemoval(artifact) };
  }
  return next;
}

/** The action the choice selects (the artifact's only one when its kind offers no choice). */
export function chosenAction(artifact: ArtifactStep, choice: ArtifactChoice | undefined) {
  return artifact.actions.find((a) => a.removal === choice?.removal) ?? artifact.actions[0];
}

/** What a step-3 run sends: the included artifacts' action keys and their removals. */
export function persistenceRequest(
  artifacts: ArtifactStep[],
  choices: Record<string, ArtifactChoice>,
  confirmRemoveOnlyMethod: boolean,
): Pick<StepRequest, "items" | "removals" | "confirmRemoveOnlyMethod"> {
  const included = artifacts.filter((a) => choices[artifactKey(a)]?.include);
  const items: string[] = [];
  const removals: StepRequest["removals"] = [];
  for (const artifact of included) {
    const action = chosenAction(artifact, choices[artifactKey(artifact)]);
    if (!action) continue;
    items.push(action.key);
    if (artifact.actions.length > 1) removals.push({ artifactId: artifact.id, removal: action.removal });
  }
  return { items, removals, confirmRemoveOnlyMethod };
}

/** How a choice reads: mail-flow rules are "removed", the rest "deleted". */
export function removalLabel(type: string, removal: RemovalChoice): string {
  if (removal === "disable") return "Disable";
  return type === "inbound_connector" || type === "transport_rule" ? "Remove" : "Delete";
}

/** What step 3 does to kinds that offer no choice. */
export const fixedAction: Record<string, string> = {
  mailbox_forwarding: "Clear forwarding",
  oauth_grant: "Delete grant",
  service_principal: "Disable app",
  application: "Remove attacker credentials",
  auth_method: "Delete method",
  mailbox_permission: "Remove permission",
};

const doneLabel: Record<string, string> = {
  mailbox_forwarding: "Cleared",
  application: "Credentials removed",
  mailbox_permission: "Removed",
};

/**
 * What the action log shows for the artifact, or null when step 3 never acted on it. A failure
 * or skip of the chosen action is shown first (that is what Run retries), then the strongest
 * finished removal (a rule disabled and later deleted reads "Deleted").
 */
export function artifactStatus(
  artifact: ArtifactStep,
  choice: ArtifactChoice | undefined,
): { text: string; done: boolean } | null {
  const finished = (a: ArtifactAction) => a.outcome === "succeeded" || a.outcome === "already_done";
  const problem = (a: ArtifactAction) => {
    const what = a.outcome === "failed" ? "Failed" : a.outcome === "skipped" ? "Skipped" : (a.outcome ?? "");
    return { text: a.message ? `${what}: ${a.message}` : what, done: false };
  };
  const chosen = chosenAction(artifact, choice);
  if (chosen && chosen.outcome !== null && !finished(chosen)) return problem(chosen);
  const done = [...artifact.actions].reverse().find(finished);
  if (done) return { text: doneLabel[artifact.type] ?? `${removalLabel(artifact.type, done.removal)}d`, done: true };
  const other = artifact.actions.find((a) => a.outcome !== null);
  return other ? problem(other) : null;
}

/** The only-method guard stopped an included MFA method: deleting it needs confirmation. */
export function needsOnlyMethodConfirmation(artifacts: ArtifactStep[], choices: Record<string, ArtifactChoice>): boolean {
  return artifacts.some((a) => choices[artifactKey(a)]?.include && a.actions.some((x) => x.needsConfirmation));
}
