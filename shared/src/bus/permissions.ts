/**
 * What each kind of bus user may do (DESIGN §5): the one place the subjects of a cluster's isolation are
 * written. The hub's account carries these as the templates of its scoped signing keys, with the
 * cluster's name as `{{name()}}`, so a user minted for cluster C can only ever touch C's subjects,
 * whatever the minting code puts in its JWT. Tests compare them with the concrete subjects a real
 * server lets through (test/src/integration/bus-isolation.test.ts).
 */
import { DIFF_SUBJECT_PREFIX } from "./diff.js";
import { DESIRED_BUCKET, STATUS_BUCKET, inboxPrefix } from "./keys.js";

/** Registration and credential renewal: request/reply on `flotilla.register.<cluster>`. */
export const REGISTER_SUBJECT_PREFIX = "flotilla.register";
export const registerSubject = (cluster: string): string => `${REGISTER_SUBJECT_PREFIX}.${cluster}`;
/** Inbox prefix of an agent holding only bootstrap credentials (disjoint from its joined inbox). */
export const bootstrapInboxPrefix = (cluster: string): string => `${inboxPrefix(cluster)}_join`;

export interface SubjectPermissions {
  pub: { allow: string[] };
  sub: { allow: string[] };
  /** Replies to requests received (diff answers): at most `max` replies within `ttl` nanoseconds. */
  resp?: { max: number; ttl: number };
}

/** Per-connection limits, so one agent cannot exhaust the server (NATS user limits). */
export interface UserLimits {
  /** Most subscriptions at once. */
  subs: number;
  /** Largest message published, bytes. */
  payload: number;
}

export interface BusRole {
  permissions: SubjectPermissions;
  limits: UserLimits;
}

const directGet = (bucket: string, key: string): string => `$JS.API.DIRECT.GET.KV_${bucket}.$KV.${bucket}.${key}`;
const kvSubjects = (bucket: string, cluster: string): string[] => [`$KV.${bucket}.${cluster}`, `$KV.${bucket}.${cluster}.>`];

/**
 * A joined agent: direct get of its own desired keys (never the stream's message-get API, which takes
 * any subject in its body), puts of its own status, presence and agent info, hints on its own desired
 * keys, its own inbox, its diff subject, and renewal of its own credentials. No `$JS.API.>`, no
 * consumers, no streams.
 */
export function agentRole(cluster: string): BusRole {
  return {
    permissions: {
      pub: {
        allow: [
          directGet(DESIRED_BUCKET, cluster),
          directGet(DESIRED_BUCKET, `${cluster}.>`),
          ...kvSubjects(STATUS_BUCKET, cluster),
          registerSubject(cluster),
        ],
      },
      sub: {
        allow: [`${inboxPrefix(cluster)}.>`, ...kvSubjects(DESIRED_BUCKET, cluster), `${DIFF_SUBJECT_PREFIX}.${cluster}`],
      },
      // one answer per diff request, within a minute of it
      resp: { max: 1, ttl: 60_000_000_000 },
    },
    // hints (2), diff (1), the inbox (1) and a few to spare; the largest put is a status report
    limits: { subs: 32, payload: 512 * 1024 },
  };
}

/** An agent holding only bootstrap credentials: its registration request and the reply, nothing else. */
export function bootstrapRole(cluster: string): BusRole {
  return {
    permissions: {
      pub: { allow: [registerSubject(cluster)] },
      sub: { allow: [`${bootstrapInboxPrefix(cluster)}.>`] },
    },
    limits: { subs: 4, payload: 16 * 1024 },
  };
}

export const BUS_ROLES = { agent: agentRole, bootstrap: bootstrapRole } as const;
export type BusRoleName = keyof typeof BUS_ROLES;
