import { forbidden, isService } from "@o2o/runtime";
import type { MembersContext } from "./context.ts";

/**
 * Guard of the @inaccessible fields (schema/commerce-flows.md): only the named sibling services may call them,
 * never a gateway client — whether a passport is on file is itself PII, and redemptions move money.
 */
export function onlyServices(ctx: MembersContext, ...services: string[]): void {
  if (!isService(ctx.caller, ...services)) throw forbidden(`Internal field: only ${services.join(" or ")} may call it.`);
}
