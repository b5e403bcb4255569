// Onboarding one tenant: verify directly when it already consented (e.g. through GDAP),
// otherwise open the admin-consent link and wait for the Global Admin's answer.
import { backend, toIpcError, type TenantSummary } from "../../lib/ipc";

export async function onboardCustomer(tenantId: string): Promise<TenantSummary> {
  try {
    return await backend().onboardTenant(tenantId);
  } catch (reason) {
    if (toIpcError(reason).code !== "not_consented") throw reason;
  }
  const request = await backend().requestConsent(tenantId);
  await backend().openLink(request.url);
  return backend().completeConsent(request.requestId);
}
