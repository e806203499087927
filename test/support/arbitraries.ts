// fast-check arbitraries for the stack config: random VALID configs (unique identities by
// construction), the model of what the program must make of them (defaults applied), and a catalogue
// of single mutations that each turn a valid config into an invalid one at a known config path.

import fc from "fast-check";
import { addDays, dayNumber } from "../../config/dates";
import { GITLAB_ROLES, PROJECT_ACCESS_TOKEN_SCOPES } from "../../config/gitlabVocabulary";

type Fields = Record<string, unknown>;

/** A generated stack: what `evaluate(pushTokens, {today, extra, secretKeys})` takes. */
export interface GeneratedStack {
  /** The day the program runs on (YYYY-MM-DD). */
  readonly today: string;
  /** The raw `pushTokens` list, exactly as the stack file would hold it. */
  readonly pushTokens: Fields[];
  /** Other keys of the project's namespace (`gitlab`, `expiryWarningDays`, …). */
  readonly extra: Fields;
  /** Keys of `extra` passed as secrets. */
  readonly secretKeys: readonly string[];
}

/** The effective maximum token lifetime of a generated stack. */
export const maxLifetimeOf = (stack: GeneratedStack): number => {
  const gitlab = stack.extra.gitlab as Fields | undefined;
  return typeof gitlab?.maxTokenLifetimeDays === "number" ? gitlab.maxTokenLifetimeDays : 365;
};

// --- identities, compared the way validate.ts compares them ---------------------------------

/** GitLab paths are case-insensitive; a numeric ID is the same project as a number or a string. */
export const projectIdentity = (project: unknown): string => String(project).toLowerCase();
const tokenIdentity = (token: Fields) => `${projectIdentity(token.project)}\n${String(token.name).toLowerCase()}`;
const variableIdentity = (consumer: Fields) =>
  `${projectIdentity(consumer.project)}\n${String(consumer.key)}\n${typeof consumer.environmentScope === "string" ? consumer.environmentScope : "*"}`;

// --- field arbitraries ---------------------------------------------------------------------

const pathSegment = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}$/);
const projectPath = fc
  .array(pathSegment, { minLength: 2, maxLength: 4 })
  .map((segments) => segments.join("/"))
  .filter((path) => !/\.(git|atom)$/.test(path));
const projectRef: fc.Arbitrary<string | number> = fc.oneof(
  { weight: 4, arbitrary: projectPath },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 99_999_999 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 99_999_999 }).map(String) },
);
const tokenName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,20}$/);
const variableKey = fc.stringMatching(/^[A-Za-z0-9_]{1,30}$/).filter((key) => !key.startsWith("CI_"));
const environmentScope = fc.oneof(fc.constantFrom("*", "production", "review/*", "staging"), fc.stringMatching(/^[a-z*][a-z0-9/*_.-]{0,15}$/));
const pushRole = fc.constantFrom("developer", "maintainer");
const repositoryScopes = fc.shuffledSubarray(["read_repository", "write_repository"], { minLength: 1 });

/** Sets each field of `optional` that fast-check chose to set; absent ones take the program's defaults. */
const optionalFields = (optional: Record<string, fc.Arbitrary<unknown>>) => fc.record(optional, { requiredKeys: [] });

const consumer = fc
  .tuple(
    fc.record({ project: projectRef, key: variableKey }),
    optionalFields({ protected: fc.boolean(), masked: fc.constant(true), hidden: fc.boolean(), environmentScope, adopt: fc.boolean() }),
  )
  .map(([required, optional]): Fields => ({ ...required, ...optional }));

/** An RFC 3339 instant with a random offset and precision, as users write revokeAfter. */
const revokeAfter = fc
  .record({
    at: fc.date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2031-12-31T00:00:00Z"), noInvalidDate: true }),
    offsetMinutes: fc.constantFrom(0, 0, 60, -300, 330, 840, -720),
    precision: fc.constantFrom("minutes", "seconds", "millis"),
  })
  .map(({ at, offsetMinutes, precision }) => {
    const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString();
    const clock = precision === "minutes" ? local.slice(0, 16) : precision === "seconds" ? local.slice(0, 19) : local.slice(0, 23);
    if (offsetMinutes === 0) return `${clock}Z`;
    const sign = offsetMinutes > 0 ? "+" : "-";
    const minutes = Math.abs(offsetMinutes);
    return `${clock}${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  });

/** A retiring block, minus its expiry (set relative to the token's): created here, or hand-made and adopted. */
const retiringDraft = fc.record({
  daysBefore: fc.integer({ min: 1, max: 400 }),
  revokeAfter,
  adoption: fc.option(
    fc.record({
      tokenIdSeed: fc.integer({ min: 1, max: 50_000_000 }),
      optional: optionalFields({
        name: tokenName,
        accessLevel: fc.constantFrom(...GITLAB_ROLES),
        scopes: fc.shuffledSubarray([...PROJECT_ACCESS_TOKEN_SCOPES], { minLength: 1 }),
      }),
    }),
    { freq: 2 },
  ),
  created: optionalFields({ accessLevel: pushRole, scopes: repositoryScopes }),
});

const tokenDraft = fc.record({
  required: fc.record({ name: tokenName, project: projectRef }),
  optional: optionalFields({ accessLevel: pushRole, scopes: repositoryScopes }),
  /** Picks the expiry among the days the instance allows. */
  expirySeed: fc.nat(),
  consumers: fc.uniqueArray(consumer, { minLength: 1, maxLength: 5, selector: variableIdentity }),
  retiring: fc.option(retiringDraft, { freq: 2 }),
});

const MAX_TOKENS = 8;

/** Random valid stacks: 1..8 tokens of 1..5 consumers, with every identity unique by construction. */
export const validStack: fc.Arbitrary<GeneratedStack> = fc
  .record({
    todayOffset: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 5 * 365 })),
    gitlab: fc.option(
      optionalFields({
        maxTokenLifetimeDays: fc.integer({ min: 1, max: 400 }),
        baseUrl: fc.constantFrom("https://gitlab.example.com/api/v4", "https://GitLab.Example.com/api/v4/", "https://gitlab.com/api/v4/"),
      }),
    ),
    expiryWarningDays: fc.option(fc.integer({ min: 1, max: 400 })),
    tokens: fc.uniqueArray(tokenDraft, { minLength: 1, maxLength: MAX_TOKENS, selector: (draft) => tokenIdentity(draft.required) }),
  })
  .map(({ todayOffset, gitlab, expiryWarningDays, tokens }): GeneratedStack => {
    // -1 stands for the day the other suites use, so both meet on the same calendar.
    const today = todayOffset < 0 ? "2026-11-25" : addDays("2026-01-01", todayOffset);
    const maxLifetime = typeof gitlab?.maxTokenLifetimeDays === "number" ? gitlab.maxTokenLifetimeDays : 365;
    const seenVariables = new Set<string>();
    const pushTokens = tokens.map((draft, tokenIndex): Fields => {
      const expiresAt = addDays(today, 1 + (draft.expirySeed % maxLifetime));
      const consumers = draft.consumers.map((generated) => {
        // Unique within a token already; a clash with another token's variable gets a distinct key.
        let unique = generated;
        while (seenVariables.has(variableIdentity(unique))) unique = { ...unique, key: `${String(unique.key)}_${tokenIndex}` };
        seenVariables.add(variableIdentity(unique));
        return unique;
      });
      const token: Fields = { ...draft.required, ...draft.optional, expiresAt, consumers };
      if (draft.retiring) {
        const { daysBefore, revokeAfter: revoke, adoption, created } = draft.retiring;
        const base = { expiresAt: addDays(expiresAt, -daysBefore), revokeAfter: revoke };
        // tokenId ≡ tokenIndex + 1 (mod MAX_TOKENS): distinct tokens never adopt the same hand-made token.
        token.retiring = adoption
          ? { ...base, tokenId: adoption.tokenIdSeed * MAX_TOKENS + tokenIndex + 1, ...adoption.optional }
          : { ...base, ...created };
      }
      return token;
    });
    const extra: Fields = {};
    if (gitlab) extra.gitlab = gitlab;
    // Shorter than the longest lifetime, as validation demands (but for tokens that live a single day).
    if (expiryWarningDays !== null) extra.expiryWarningDays = Math.max(1, Math.min(expiryWarningDays, maxLifetime - 1));
    return { today, pushTokens, extra, secretKeys: [] };
  });

// --- the model: what the program must make of a valid stack -----------------------------------

/** One token of a valid stack with every default applied, as the inventory output must show it. */
export function expectedInventory(stack: GeneratedStack): unknown[] {
  return stack.pushTokens.map((token) => {
    const accessLevel = (token.accessLevel as string | undefined) ?? "developer";
    const scopes = [...((token.scopes as string[] | undefined) ?? ["write_repository"])].sort();
    const retiring = token.retiring as Fields | undefined;
    return {
      project: String(token.project),
      name: token.name,
      accessLevel,
      scopes,
      expiresAt: token.expiresAt,
      retiring: retiring
        ? {
            expiresAt: retiring.expiresAt,
            revokeAfter: retiring.revokeAfter,
            accessLevel: (retiring.accessLevel as string | undefined) ?? accessLevel,
            scopes: retiring.scopes ? [...(retiring.scopes as string[])].sort() : scopes,
            name: (retiring.name as string | undefined) ?? token.name,
            tokenId: (retiring.tokenId as number | undefined) ?? null,
          }
        : null,
      consumers: (token.consumers as Fields[]).map((consumer) => ({
        project: String(consumer.project),
        key: consumer.key,
        environmentScope: consumer.environmentScope ?? "*",
        protected: consumer.protected ?? true,
        masked: true,
        hidden: consumer.hidden ?? false,
        adopt: consumer.adopt ?? false,
      })),
    };
  });
}

/** The days on which every current expiry of `stack` is still valid (inclusive bounds). */
export function validDays(stack: GeneratedStack): { readonly first: string; readonly last: string } {
  const expiries = stack.pushTokens.map((token) => dayNumber(String(token.expiresAt)));
  const first = Math.max(...expiries) - maxLifetimeOf(stack);
  const last = Math.min(...expiries) - 1;
  return { first: addDays("1970-01-01", first), last: addDays("1970-01-01", last) };
}

// --- mutations: one change that makes a valid stack invalid -----------------------------------

/** A mutated stack and the config path its error message must name. */
export interface MutatedStack {
  readonly mutation: string;
  readonly stack: GeneratedStack;
  /** As it appears in the message: `pushTokens[1].consumers[0].key`. */
  readonly path: string;
}

/** Random choices a mutation uses: which token, consumer and variant (reduced modulo what exists). */
export interface MutationPicks {
  readonly token: number;
  readonly consumer: number;
  readonly variant: number;
  readonly other: number;
}

type Mutation = (stack: GeneratedStack, picks: MutationPicks) => { readonly stack: GeneratedStack; readonly path: string };

const pick = <T>(values: readonly T[], seed: number): T => values[seed % values.length];

/** A deep copy of `stack`, for a mutation to change freely. */
function copyOf(stack: GeneratedStack): GeneratedStack {
  return structuredClone(stack);
}

function tokenAt(stack: GeneratedStack, picks: MutationPicks): { token: Fields; t: number; at: string } {
  const t = picks.token % stack.pushTokens.length;
  return { token: stack.pushTokens[t], t, at: `pushTokens[${t}]` };
}

function consumerAt(stack: GeneratedStack, picks: MutationPicks): { consumer: Fields; t: number; c: number; at: string } {
  const { token, t, at } = tokenAt(stack, picks);
  const consumers = token.consumers as Fields[];
  const c = picks.consumer % consumers.length;
  return { consumer: consumers[c], t, c, at: `${at}.consumers[${c}]` };
}

/** The token's retiring block, added (valid, created here) when it has none. */
function retiringOf(token: Fields): Fields {
  if (!token.retiring) token.retiring = { expiresAt: addDays(String(token.expiresAt), -1), revokeAfter: "2026-11-27T12:00:00Z" };
  return token.retiring as Fields;
}

/**
 * A valid token whose identities no generator can produce: its projects' first segment and its name
 * are longer than the generated ones (at most 11 and 21 characters).
 */
const freshToken = (suffix: string, expiresAt: unknown): Fields => ({
  name: `ZZ_MUTATION_ONLY_TOKEN_${suffix}`,
  project: "zz-mutation-only/target",
  expiresAt,
  consumers: [{ project: "zz-mutation-only/consumer", key: `ZZ_MUTATION_ONLY_KEY_${suffix}` }],
});

/** Sets an own property, even `__proto__`, the way JSON.parse would. */
function defineKey(target: Fields, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

const UNKNOWN_KEYS = ["expires_at", "enviromentScope", "__proto__", "constructor", "prototype", "toString", "descripton", "expіresAt"];
const BAD_PROJECTS: unknown[] = ["xlink-app", "a//b", "-a/b", "a/b.git", "a/b c", "a/b/", 0, -5, 1.5, "https://gitlab.com/a/b", "", true, "glpat-abcdefghijklmnopqrst"];
const BAD_KEYS = ["GITLAB-PUSHER", "", "with space", "ключ", "K".repeat(256), "a.b", "$TOKEN"];
const BAD_DATES: unknown[] = ["2027-2-15", "15/02/2027", 20270215, "2027-02-30", "2027-02-15T00:00:00Z", null, "", "tomorrow"];
const BAD_INSTANTS: unknown[] = ["2026-11-27", "2026-11-27T12:00:00", "tomorrow", "2026-13-01T00:00:00Z", 1764244800, "2026-11-27 12:00:00Z", null];
const BAD_TOKEN_IDS: unknown[] = [0, -1, 1.5, "12", "x", true, 2 ** 53, null, [12]];
const FORBIDDEN_SCOPES = ["api", "read_api", "read_registry", "write_registry", "create_runner", "k8s_proxy", "self_rotate", "sudo", "Write_Repository"];
const FORBIDDEN_ROLES = ["guest", "reporter", "owner", "planner", "minimal", "no one", "security_manager", "admin", "Developer"];

/** Wrong-typed values per token field. */
const WRONG_TOKEN_TYPES: readonly (readonly [string, unknown])[] = [
  ["name", 5], ["name", null], ["project", true], ["project", { path: "a/b" }], ["scopes", "write_repository"], ["accessLevel", ["developer"]],
  ["consumers", {}], ["consumers", "a/b"], ["retiring", "2026-12-01"], ["retiring", null], ["expiresAt", 20270215],
];
/** Wrong-typed values per consumer field. */
const WRONG_CONSUMER_TYPES: readonly (readonly [string, unknown])[] = [
  ["protected", "yes"], ["protected", "no"], ["hidden", "off"], ["adopt", "true"], ["environmentScope", 5], ["key", 42], ["masked", "true"], ["project", null],
];

/** Each mutation, by the rule it breaks. */
export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  "forbidden scope": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    const scopes = [...((token.scopes as string[] | undefined) ?? ["write_repository"])];
    const index = picks.other % (scopes.length + 1);
    scopes.splice(index, 0, pick(FORBIDDEN_SCOPES, picks.variant));
    token.scopes = scopes;
    return { stack, path: `${at}.scopes[${index}]` };
  },
  "scope listed twice": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    const scopes = (token.scopes as string[] | undefined) ?? ["write_repository"];
    token.scopes = [...scopes, scopes[0]];
    return { stack, path: `${at}.scopes[${scopes.length}]` };
  },
  "empty scopes": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    token.scopes = [];
    return { stack, path: `${at}.scopes` };
  },
  "forbidden role": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    token.accessLevel = pick(FORBIDDEN_ROLES, picks.variant);
    return { stack, path: `${at}.accessLevel` };
  },
  "a window as long as the longest lifetime": (original, picks) => {
    const stack = copyOf(original);
    const longest = maxLifetimeOf(stack);
    // On an instance whose tokens live a single day no window can be shorter: there is nothing to refuse.
    if (longest === 1) (stack.extra.gitlab = { ...(stack.extra.gitlab as Fields | undefined), maxTokenLifetimeDays: 2 });
    stack.extra.expiryWarningDays = Math.min(400, maxLifetimeOf(stack) + (picks.variant % 3));
    return { stack, path: "expiryWarningDays" };
  },
  "expiry beyond the maximum lifetime": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    token.expiresAt = addDays(stack.today, maxLifetimeOf(stack) + 1 + (picks.variant % 800));
    return { stack, path: `${at}.expiresAt` };
  },
  "expiry not a quoted date": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    token.expiresAt = pick(BAD_DATES, picks.variant);
    return { stack, path: `${at}.expiresAt` };
  },
  "expiry missing": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    delete token.expiresAt;
    return { stack, path: `${at}.expiresAt` };
  },
  "bad variable key": (original, picks) => {
    const stack = copyOf(original);
    const { consumer, at } = consumerAt(stack, picks);
    consumer.key = pick(BAD_KEYS, picks.variant);
    return { stack, path: `${at}.key` };
  },
  "CI_ variable key": (original, picks) => {
    const stack = copyOf(original);
    const { consumer, at } = consumerAt(stack, picks);
    consumer.key = `CI_${String(consumer.key)}`;
    return { stack, path: `${at}.key` };
  },
  "masked false": (original, picks) => {
    const stack = copyOf(original);
    const { consumer, at } = consumerAt(stack, picks);
    consumer.masked = false;
    return { stack, path: `${at}.masked` };
  },
  "hidden without masked": (original, picks) => {
    const stack = copyOf(original);
    const { consumer, at } = consumerAt(stack, picks);
    Object.assign(consumer, { masked: false, hidden: true });
    return { stack, path: `${at}.hidden` };
  },
  "bad environment scope": (original, picks) => {
    const stack = copyOf(original);
    const { consumer, at } = consumerAt(stack, picks);
    consumer.environmentScope = pick(["", "prod env", "tab\there", "x".repeat(256)], picks.variant);
    return { stack, path: `${at}.environmentScope` };
  },
  "no consumers": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    if (picks.variant % 2 === 0) token.consumers = [];
    else delete token.consumers;
    return { stack, path: `${at}.consumers` };
  },
  "duplicate token (project case differs)": (original, picks) => {
    const stack = copyOf(original);
    const { token } = tokenAt(stack, picks);
    const { retiring: _retiring, ...copy } = structuredClone(token);
    const project = typeof copy.project === "string" && picks.variant % 2 === 0 ? swapCase(copy.project) : copy.project;
    stack.pushTokens.push({ ...copy, project, consumers: freshToken("DUPLICATE", copy.expiresAt).consumers });
    return { stack, path: `pushTokens[${stack.pushTokens.length - 1}].name` };
  },
  "duplicate variable (project case differs)": (original, picks) => {
    const stack = copyOf(original);
    const { consumer, t, c } = consumerAt(stack, picks);
    const target = picks.other % stack.pushTokens.length;
    const consumers = stack.pushTokens[target].consumers as Fields[];
    const project = typeof consumer.project === "string" && picks.variant % 2 === 0 ? swapCase(consumer.project) : consumer.project;
    // Scope "*" written out is the same variable as scope left to its default.
    const environmentScope = consumer.environmentScope === undefined && picks.variant % 3 === 0 ? "*" : consumer.environmentScope;
    consumers.push({ ...consumer, project, ...(environmentScope !== undefined && { environmentScope }) });
    // The later declaration in file order is the one reported.
    const path = target < t ? `pushTokens[${t}].consumers[${c}].key` : `pushTokens[${target}].consumers[${consumers.length - 1}].key`;
    return { stack, path };
  },
  "variable both adopted and new": (original, picks) => {
    const stack = copyOf(original);
    const { consumer } = consumerAt(stack, picks);
    const { t } = tokenAt(stack, picks);
    const consumers = stack.pushTokens[t].consumers as Fields[];
    consumers.push({ ...consumer, adopt: consumer.adopt !== true });
    return { stack, path: `pushTokens[${t}].consumers[${consumers.length - 1}].adopt` };
  },
  "bad token project": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    token.project = pick(BAD_PROJECTS, picks.variant);
    return { stack, path: `${at}.project` };
  },
  "bad consumer project": (original, picks) => {
    const stack = copyOf(original);
    const { consumer, at } = consumerAt(stack, picks);
    consumer.project = pick(BAD_PROJECTS, picks.variant);
    return { stack, path: `${at}.project` };
  },
  "bad token name": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    token.name = pick(["", " leading space", "ci:pusher", "a@b", "n".repeat(256), "tab\tname", "emoji 🚀"], picks.variant);
    return { stack, path: `${at}.name` };
  },
  "retiring expiry not before the current one": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    retiringOf(token).expiresAt = addDays(String(token.expiresAt), picks.variant % 30);
    return { stack, path: `${at}.retiring.expiresAt` };
  },
  "bad revokeAfter": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    retiringOf(token).revokeAfter = pick(BAD_INSTANTS, picks.variant);
    return { stack, path: `${at}.retiring.revokeAfter` };
  },
  "bad tokenId": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    retiringOf(token).tokenId = pick(BAD_TOKEN_IDS, picks.variant);
    return { stack, path: `${at}.retiring.tokenId` };
  },
  "hand-made token adopted twice": (original, picks) => {
    const stack = copyOf(original);
    if (stack.pushTokens.length === 1) stack.pushTokens.push(freshToken("TWICE", stack.pushTokens[0].expiresAt));
    const first = picks.token % stack.pushTokens.length;
    const second = (first + 1 + (picks.other % (stack.pushTokens.length - 1))) % stack.pushTokens.length;
    for (const index of [first, second]) retiringOf(stack.pushTokens[index]).tokenId = 4242;
    return { stack, path: `pushTokens[${Math.max(first, second)}].retiring.tokenId` };
  },
  "broader retiring role without tokenId": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    const retiring = retiringOf(token);
    delete retiring.tokenId;
    retiring.accessLevel = pick(["owner", "guest", "reporter"], picks.variant);
    return { stack, path: `${at}.retiring.accessLevel` };
  },
  "retiring name without tokenId": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    const retiring = retiringOf(token);
    delete retiring.tokenId;
    delete retiring.accessLevel;
    delete retiring.scopes;
    retiring.name = "gitops pusher";
    return { stack, path: `${at}.retiring.name` };
  },
  "wrong type in a token": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    const [field, value] = pick(WRONG_TOKEN_TYPES, picks.variant);
    token[field] = value;
    return { stack, path: `${at}.${field}` };
  },
  "wrong type in a consumer": (original, picks) => {
    const stack = copyOf(original);
    const { consumer, at } = consumerAt(stack, picks);
    const [field, value] = pick(WRONG_CONSUMER_TYPES, picks.variant);
    consumer[field] = value;
    return { stack, path: `${at}.${field}` };
  },
  "a token that is not a map": (original, picks) => {
    const stack = copyOf(original);
    const { t, at } = tokenAt(stack, picks);
    stack.pushTokens[t] = pick<unknown>(["GITLAB_CI_PUSHER", 5, null, [], true], picks.variant) as Fields;
    return { stack, path: at };
  },
  "a consumer that is not a map": (original, picks) => {
    const stack = copyOf(original);
    const { t, c, at } = consumerAt(stack, picks);
    (stack.pushTokens[t].consumers as unknown[])[c] = pick<unknown>(["xlink/xlink-app", 7, null, ["a/b"]], picks.variant);
    return { stack, path: at };
  },
  "unknown key in a token": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    const key = pick(UNKNOWN_KEYS, picks.variant);
    defineKey(token, key, "x");
    return { stack, path: `${at}.${key}` };
  },
  "unknown key in a consumer": (original, picks) => {
    const stack = copyOf(original);
    const { consumer, at } = consumerAt(stack, picks);
    const key = pick(UNKNOWN_KEYS, picks.variant);
    defineKey(consumer, key, "x");
    return { stack, path: `${at}.${key}` };
  },
  "unknown key in retiring": (original, picks) => {
    const stack = copyOf(original);
    const { token, at } = tokenAt(stack, picks);
    const key = pick(UNKNOWN_KEYS, picks.variant);
    defineKey(retiringOf(token), key, "x");
    return { stack, path: `${at}.retiring.${key}` };
  },
  "unknown key in gitlab": (original, picks) => {
    const stack = copyOf(original);
    const gitlab = { ...((stack.extra.gitlab as Fields | undefined) ?? {}) };
    const key = pick(UNKNOWN_KEYS, picks.variant);
    defineKey(gitlab, key, "x");
    stack.extra.gitlab = gitlab;
    return { stack, path: `gitlab.${key}` };
  },
  "unknown top-level key": (original, picks) => {
    const stack = copyOf(original);
    const key = pick(["pushToken", "push_tokens", "__proto__", "constructor", "prototype", "expiryWarningDay"], picks.variant);
    defineKey(stack.extra, key, []);
    return { stack, path: key };
  },
  "the default provider's config": (original, picks) => {
    const stack = copyOf(original);
    const key = pick(["gitlab:token", "gitlab:baseUrl", "gitlab:insecure"], picks.variant);
    stack.extra[key] = "x";
    return { stack, path: key };
  },
  "the API token in the stack config": (original) => {
    const stack = copyOf(original);
    stack.extra.gitlabToken = "not-a-secret";
    return { stack, path: "gitlabToken" };
  },
  "bad maxTokenLifetimeDays": (original, picks) => {
    const stack = copyOf(original);
    stack.extra.gitlab = { ...((stack.extra.gitlab as Fields | undefined) ?? {}), maxTokenLifetimeDays: pick<unknown>([0, 401, 1.5, "365", -1, null], picks.variant) };
    return { stack, path: "gitlab.maxTokenLifetimeDays" };
  },
  "bad baseUrl": (original, picks) => {
    const stack = copyOf(original);
    const baseUrl = pick<unknown>(["http://gitlab.example.com/api/v4", "https://gitlab.example.com", "gitlab.example.com/api/v4", "https://u:p@gitlab.example.com/api/v4", "https://gitlab.example.com/api/v4?x=1", 5], picks.variant);
    stack.extra.gitlab = { ...((stack.extra.gitlab as Fields | undefined) ?? {}), baseUrl };
    return { stack, path: "gitlab.baseUrl" };
  },
  "bad expiryWarningDays": (original, picks) => {
    const stack = copyOf(original);
    stack.extra.expiryWarningDays = pick<unknown>([0, 401, 2.5, "soon", true, -3], picks.variant);
    return { stack, path: "expiryWarningDays" };
  },
};

function swapCase(text: string): string {
  return [...text].map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase())).join("");
}

const picks: fc.Arbitrary<MutationPicks> = fc.record({ token: fc.nat(), consumer: fc.nat(), variant: fc.nat(), other: fc.nat() });

/** A valid stack with exactly one mutation from MUTATIONS applied. */
export const mutatedStack: fc.Arbitrary<MutatedStack> = fc
  .tuple(validStack, fc.constantFrom(...Object.keys(MUTATIONS)), picks)
  .map(([stack, mutation, choices]) => ({ mutation, ...MUTATIONS[mutation](stack, choices) }));
