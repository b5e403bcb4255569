// The remediation steps in the order that actually evicts an attacker.
import type { StepRequest } from "../../lib/ipc";

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
    confirmRemoveOnlyMethod: false,
    overrideGuard: false,
    freshPasswordReset: false,
    dryRun: false,
    ...overrides,
  };
}
