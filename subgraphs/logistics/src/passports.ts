import type { Peers } from "@o2o/runtime";

/** Asks members whether a presented passport is the one verified for the member (members keeps only its hash). */
export async function passportMatches(peers: Peers, memberId: string, number: string): Promise<boolean> {
  const data = await peers.call<{ _entities: ({ passportMatches: boolean } | null)[] }>(
    "members",
    `query($r: [_Any!]!, $n: String!) { _entities(representations: $r) { ... on Member { passportMatches(number: $n) } } }`,
    { r: [{ __typename: "Member", id: memberId }], n: number },
  );
  return data._entities[0]?.passportMatches ?? false;
}
