import { parseArgs } from "node:util";
import { signMemberToken } from "@o2o/gateway/auth";
import { demoMemberId, isId } from "@o2o/runtime";

/**
 * `npm run token -- --member aiko [--ttl 3600]`: a member token for the Authorization header.
 * Needs O2O_MEMBER_TOKEN_SECRET to match the gateway's (the embedded start prints its own tokens).
 * Partners and staff use API keys instead: `npm run keys -- create …`.
 */
const { values } = parseArgs({ options: { member: { type: "string" }, ttl: { type: "string", default: "3600" } } });
if (!values.member) {
  console.error("usage: npm run token -- --member <aiko|wei|minh|sofia|member UUID> [--ttl seconds]\n(API keys for partners and staff: npm run keys -- create …)");
  process.exit(2);
}
if (!process.env.O2O_MEMBER_TOKEN_SECRET) console.error("warning: O2O_MEMBER_TOKEN_SECRET is not set; this token only works for a gateway started with the same secret");
console.log(signMemberToken(isId(values.member) ? values.member : demoMemberId(values.member), Number(values.ttl)));
