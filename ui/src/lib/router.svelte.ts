// The app's views. A single window with no URLs to share, so plain state is the router.
export type Route =
  | { name: "tenants" }
  | { name: "tenant"; tenantId: string }
  | { name: "incidents" }
  | { name: "incident"; incidentId: string }
  | { name: "settings" };

export const router = $state<{ route: Route }>({ route: { name: "tenants" } });

export function go(route: Route): void {
  router.route = route;
}
