import { codedError, ErrorCode, PeerError, type Peers } from "@o2o/runtime";

const QUERY = `query($r: [_Any!]!, $n: String!) { _entities(representations: $r) { ... on Member { passportMatches(number: $n) } } }`;

/**
 * Asks members (which holds the verified passport, logistics never does) whether `number` is the member's.
 * A members that cannot answer is SERVICE_UNAVAILABLE for the handover, never a guess either way.
 */
export async function passportMatches(peers: Peers, memberId: string, number: string): Promise<boolean> {
  try {
    const data = await peers.call<{ _entities: ({ passportMatches?: boolean } | null)[] }>("members", QUERY, { r: [{ __typename: "Member", id: memberId }], n: number });
    return data._entities[0]?.passportMatches === true;
  } catch (error) {
    if (error instanceof PeerError) throw codedError(ErrorCode.SERVICE_UNAVAILABLE, "Passports cannot be checked right now; try again shortly.", { serviceName: "members" });
    throw error;
  }
}
