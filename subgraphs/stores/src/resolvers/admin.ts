import { forbidden, isPlatformKey, isService, requireScope, type Caller } from "@o2o/runtime";

/** Key administration: platform keys with `admin` only (the gateway checks the scope first; this is the owner's check). */
export function requireAdmin(caller: Caller): void {
  requireScope(caller, "admin");
  if (!isPlatformKey(caller)) throw forbidden("Only platform keys with the admin scope manage API keys.");
}

/** The credential lookup answers the gateway alone. */
export function requireGateway(caller: Caller): void {
  if (!isService(caller, "gateway")) throw forbidden("Only the gateway looks up API keys.");
}
