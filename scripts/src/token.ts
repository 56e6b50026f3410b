import { parseArgs } from "node:util";
import { signMemberToken, signStaffToken, STAFF_SCOPES, type StaffScope } from "@o2o/gateway/auth";
import { demoMemberId, isId } from "@o2o/runtime";

/**
 * `npm run token -- --member aiko [--ttl 3600]`: a member token for the Authorization header.
 * `npm run token -- --staff counter-1 --scopes store:operate[,loyalty:adjust] [--retailer <id>]`: a staff token.
 * Needs O2O_MEMBER_TOKEN_SECRET to match the gateway's (the embedded start prints its own tokens).
 */
const { values } = parseArgs({
  options: {
    member: { type: "string" },
    staff: { type: "string" },
    scopes: { type: "string", default: "" },
    retailer: { type: "string" },
    ttl: { type: "string", default: "3600" },
  },
});
const usage = `usage: npm run token -- --member <aiko|wei|minh|sofia|member UUID> [--ttl seconds]
       npm run token -- --staff <staff id> --scopes <${Object.keys(STAFF_SCOPES).join("|")},…> [--retailer <retailer UUID>] [--ttl seconds]`;
if (!values.member === !values.staff) {
  console.error(usage);
  process.exit(2);
}
if (!process.env.O2O_MEMBER_TOKEN_SECRET) console.error("warning: O2O_MEMBER_TOKEN_SECRET is not set; this token only works for a gateway started with the same secret");
const ttl = Number(values.ttl);
if (values.member) {
  console.log(signMemberToken(isId(values.member) ? values.member : demoMemberId(values.member), ttl));
} else {
  const scopes = values.scopes.split(",").filter(Boolean);
  const unknown = scopes.filter((s) => !(s in STAFF_SCOPES));
  if (!scopes.length || unknown.length) {
    console.error(`${usage}\n${unknown.length ? `unknown scopes: ${unknown.join(", ")}` : "give at least one scope"}`);
    process.exit(2);
  }
  console.log(signStaffToken({ staffId: values.staff!, scopes: scopes as StaffScope[], retailerId: values.retailer ?? null }, ttl));
}
