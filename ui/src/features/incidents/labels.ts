// Display names for the API's codes.
export const kindLabel: Record<string, string> = {
  active_compromise: "Active compromise",
  past_compromise: "Past compromise",
  leftover_persistence: "Leftover persistence",
};

export const statusLabel: Record<string, string> = {
  unpublished: "Unpublished",
  active: "Active",
  remediated: "Remediated",
};

export const artifactLabel: Record<string, string> = {
  inbox_rule: "Inbox rule",
  mailbox_forwarding: "Mailbox forwarding",
  oauth_grant: "OAuth consent",
  service_principal: "Enterprise app",
  application: "App registration",
  device: "Device",
  auth_method: "MFA method",
  inbound_connector: "Inbound connector",
  transport_rule: "Transport rule",
  mailbox_permission: "Mailbox permission",
};

export function when(iso: string | null): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
