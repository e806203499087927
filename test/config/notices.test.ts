// Warnings logged on every preview (config/notices.ts): expiring and expired tokens, revocable retiring
// generations, unprotected variables, adoptions, and a stack that declares no token.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { stackNotices, type Notice } from "../../config/notices";
import type { ConsumerSpec, PushTokenSpec, RetiringSpec } from "../../config/schema";
import type { StackSettings } from "../../config/validate";

const TODAY = "2026-11-25";
const MIDNIGHT = new Date(`${TODAY}T00:00:00Z`);
/** Far enough from TODAY that no expiry warning fires with the default 30-day window. */
const FAR_EXPIRY = "2027-06-01";

function consumer(overrides: Partial<ConsumerSpec> = {}): ConsumerSpec {
  return { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", protected: true, masked: true, hidden: false, environmentScope: "*", adopt: false, ...overrides };
}

type TokenOverrides = Partial<Omit<PushTokenSpec, "retiring">> & { retiring?: { expiresAt: string; revokeAfter: string } & Partial<RetiringSpec> };

function token({ retiring, ...overrides }: TokenOverrides = {}): PushTokenSpec {
  const spec: PushTokenSpec = {
    name: "GITLAB_CI_PUSHER",
    project: "xlink/xlink-k8s-gitops",
    accessLevel: "developer",
    scopes: ["write_repository"],
    expiresAt: FAR_EXPIRY,
    consumers: [consumer()],
    ...overrides,
  };
  return retiring ? { ...spec, retiring: { accessLevel: spec.accessLevel, scopes: spec.scopes, name: spec.name, ...retiring } } : spec;
}

function settings(pushTokens: PushTokenSpec[], expiryWarningDays = 30): StackSettings {
  return { gitlab: { baseUrl: "https://gitlab.com/api/v4/", maxTokenLifetimeDays: 365, version: "17.7" }, expiryWarningDays, pushTokens };
}

const ofKind = (notices: Notice[], kind: Notice["kind"]) => notices.filter((notice) => notice.kind === kind);

/** Asserts there is exactly one notice, of `kind`, about pushTokens[tokenIndex], and returns it. */
function onlyNotice(notices: Notice[], kind: Notice["kind"], tokenIndex = 0): Notice {
  assert.equal(notices.length, 1, JSON.stringify(notices));
  const [notice] = notices;
  assert.equal(notice.kind, kind);
  assert.equal(notice.tokenIndex, tokenIndex);
  return notice;
}

describe("stackNotices: a healthy stack", () => {
  it("has nothing to say", () => {
    const retiring = { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" };
    assert.deepEqual(stackNotices(settings([token(), token({ name: "OTHER", retiring })]), MIDNIGHT), []);
  });
});

describe("stackNotices: expiring tokens", () => {
  it("warns when exactly expiryWarningDays (30) are left, naming the token, project, date and days left", () => {
    const notices = stackNotices(settings([token({ expiresAt: "2026-12-25" })]), MIDNIGHT);
    const notice = onlyNotice(notices, "expiring");
    assert.ok(notice.message.includes("token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops"), notice.message);
    assert.ok(notice.message.includes("expires on 2026-12-25, in 30 days"), notice.message);
    assert.match(notice.message, /rotate/);
  });

  it("does not warn with one more day left (31)", () => {
    assert.deepEqual(stackNotices(settings([token({ expiresAt: "2026-12-26" })]), MIDNIGHT), []);
  });

  it("counts calendar days in UTC: late on the same UTC day still leaves 30 days", () => {
    const lateToday = new Date(`${TODAY}T23:59:59Z`);
    const notices = stackNotices(settings([token({ expiresAt: "2026-12-25" })]), lateToday);
    assert.equal(notices.length, 1);
    assert.ok(notices[0].message.includes("in 30 days"), notices[0].message);
  });

  it('says "1 day", in the singular, the day before expiry', () => {
    const [notice] = stackNotices(settings([token({ expiresAt: "2026-11-26" })]), MIDNIGHT);
    assert.equal(notice.kind, "expiring");
    assert.ok(notice.message.includes("in 1 day:"), notice.message);
  });

  it("follows a custom expiryWarningDays", () => {
    const week = (expiresAt: string) => stackNotices(settings([token({ expiresAt })], 7), MIDNIGHT);
    const [notice] = week("2026-12-02");
    assert.equal(notice.kind, "expiring");
    assert.ok(notice.message.includes("expires on 2026-12-02, in 7 days"), notice.message);
    assert.deepEqual(week("2026-12-03"), []);
    assert.deepEqual(week("2026-12-25"), [], "30 days left is outside a 7-day window");
  });

  it("reports the index of the token it is about", () => {
    const notices = stackNotices(settings([token(), token({ name: "RELEASE_TAGGER", project: "xlink/xlink-charts", expiresAt: "2026-12-01" })]), MIDNIGHT);
    assert.equal(notices.length, 1);
    assert.equal(notices[0].tokenIndex, 1);
    assert.ok(notices[0].message.includes("token RELEASE_TAGGER in xlink/xlink-charts"), notices[0].message);
    assert.ok(notices[0].message.includes("in 6 days"), notices[0].message);
  });
});

describe("stackNotices: the command that rotates", () => {
  it("names rotate for the stack, then the merge, and keeps the manual recipe as the alternative", () => {
    const [notice] = stackNotices(settings([token({ expiresAt: "2026-12-01" })]), MIDNIGHT, "dev");
    assert.equal(
      notice.message,
      "token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops expires on 2026-12-01, in 6 days: rotate it now so that pipelines never hold an expired token: npm run rotate -- --stack dev, then merge the change (by hand: move expiresAt under retiring with a revokeAfter, and set a new expiresAt)",
    );
  });
});

describe("stackNotices: a token that has expired", () => {
  // Not a config error: the stack's own token ran out. The warning is the whole story: what broke,
  // the one command that fixes it, what pulumi up does meanwhile, and the case of a token never created.
  it("is a due rotation naming the command, never the advice to move the date under retiring", () => {
    const notice = onlyNotice(stackNotices(settings([token({ expiresAt: "2026-11-01" })]), MIDNIGHT, "acme"), "expired");
    assert.equal(
      notice.message,
      "token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops expired on 2026-11-01, 24 days ago: its variables hold a dead token and their pipelines cannot push. Rotate it now: npm run rotate -- --stack acme, then merge the change, and pulumi up creates the new token and updates the variables (until then pulumi up changes nothing and the token stays expired). If this token is new, not yet in GitLab, give it a future expiresAt instead: it would be created already expired",
    );
    assert.doesNotMatch(notice.message, /move (it|this date|expiresAt) under retiring/);
  });

  it("sends its expired retiring generation with the rotation, not to a removal of its own", () => {
    const notices = stackNotices(settings([token({ expiresAt: "2026-11-20", retiring: { expiresAt: "2026-11-01", revokeAfter: "2026-10-01T00:00:00Z" } })]), MIDNIGHT, "dev");
    assert.deepEqual(
      notices.map((notice) => notice.kind),
      ["expired", "revocable"],
    );
    assert.equal(notices[1].message, "the retiring generation of token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops (expires 2026-11-01) has expired: npm run rotate -- --stack dev drops it with the rotation of the token, which has expired too");
  });

  it("says today and 1 day in words, whatever the window", () => {
    assert.match(onlyNotice(stackNotices(settings([token({ expiresAt: TODAY })], 1), MIDNIGHT), "expired").message, /expired on 2026-11-25 \(today\): /);
    assert.match(onlyNotice(stackNotices(settings([token({ expiresAt: "2026-11-24" })], 1), MIDNIGHT), "expired").message, /expired on 2026-11-24, 1 day ago: /);
  });
});

describe("stackNotices: a stack without tokens", () => {
  it("warns, about the whole stack, that pulumi up revokes every token it holds", () => {
    assert.deepEqual(stackNotices(settings([]), MIDNIGHT), [
      {
        kind: "noTokens",
        message:
          "pushTokens is empty: this stack declares no token, so pulumi up revokes every token it created and deletes every variable it wrote (their pipelines can no longer push). Intended only for a stack being retired or not yet filled; otherwise restore the list",
      },
    ]);
  });
});

describe("stackNotices: revocable retiring generations", () => {
  const retiringAtNoon = (revokeAfter: string) => settings([token({ retiring: { expiresAt: "2026-12-20", revokeAfter } })]);
  const second = 1000;

  it("does not warn one second before revokeAfter", () => {
    const now = new Date(Date.UTC(2026, 10, 27, 12) - second);
    assert.deepEqual(stackNotices(retiringAtNoon("2026-11-27T12:00:00Z"), now), []);
  });

  it("warns at the revokeAfter instant, naming the token, its expiry and revokeAfter", () => {
    const notices = stackNotices(retiringAtNoon("2026-11-27T12:00:00Z"), new Date(Date.UTC(2026, 10, 27, 12)));
    const notice = onlyNotice(notices, "revocable");
    assert.ok(notice.message.includes("token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops"), notice.message);
    assert.ok(notice.message.includes("expires 2026-12-20"), notice.message);
    assert.ok(notice.message.includes("is past its revokeAfter (2026-11-27T12:00:00Z)"), notice.message);
    assert.match(notice.message, /remove the retiring block/);
  });

  it("compares instants, not wall-clock text, when revokeAfter has an offset", () => {
    const settingsWithOffset = retiringAtNoon("2026-11-27T14:00:00+02:00");
    assert.deepEqual(stackNotices(settingsWithOffset, new Date(Date.UTC(2026, 10, 27, 12) - second)), []);
    assert.deepEqual(
      stackNotices(settingsWithOffset, new Date(Date.UTC(2026, 10, 27, 12))).map((notice) => notice.kind),
      ["revocable"],
    );
  });

  it("warns when the retiring generation has already expired, even before revokeAfter", () => {
    const expiredToday = settings([token({ retiring: { expiresAt: TODAY, revokeAfter: "2026-12-31T00:00:00Z" } })]);
    const notices = stackNotices(expiredToday, MIDNIGHT);
    const notice = onlyNotice(notices, "revocable");
    assert.ok(notice.message.includes("(expires 2026-11-25) has expired"), notice.message);
  });

  it("does not call a generation expiring tomorrow expired", () => {
    const expiresTomorrow = settings([token({ retiring: { expiresAt: "2026-11-26", revokeAfter: "2026-12-31T00:00:00Z" } })]);
    assert.deepEqual(stackNotices(expiresTomorrow, new Date(`${TODAY}T23:59:59Z`)), []);
  });
});

describe("stackNotices: unprotected consumers", () => {
  it("warns once per unprotected variable, naming its key, its project and the token's project", () => {
    const notices = stackNotices(
      settings([
        token(),
        token({
          name: "RELEASE_TAGGER",
          project: "xlink/xlink-charts",
          consumers: [consumer({ project: "xlink/xlink-release", key: "CHARTS_PUSH_TOKEN" }), consumer({ project: "xlink/xlink-docs", key: "DOCS_PUSH_TOKEN", protected: false })],
        }),
      ]),
      MIDNIGHT,
    );
    const notice = onlyNotice(notices, "unprotected", 1);
    assert.ok(notice.message.includes("variable DOCS_PUSH_TOKEN in xlink/xlink-docs is not protected"), notice.message);
    assert.ok(notice.message.includes("push token for xlink/xlink-charts"), notice.message);
    assert.ok(!notice.message.includes("CHARTS_PUSH_TOKEN"), "the protected variable is not mentioned");
  });
});

describe("stackNotices: several at once", () => {
  it("lists a token's expiring, revocable and unprotected notices together", () => {
    const troubled = token({
      expiresAt: "2026-12-01",
      retiring: { expiresAt: TODAY, revokeAfter: "2026-11-20T00:00:00Z" },
      consumers: [consumer({ protected: false })],
    });
    const notices = stackNotices(settings([token(), troubled]), MIDNIGHT);
    assert.deepEqual(
      notices.map(({ kind, tokenIndex }) => ({ kind, tokenIndex })),
      [
        { kind: "expiring", tokenIndex: 1 },
        { kind: "revocable", tokenIndex: 1 },
        { kind: "unprotected", tokenIndex: 1 },
      ],
    );
    assert.equal(ofKind(notices, "revocable").length, 1, "one notice per retiring generation, even when both reasons apply");
  });
});

describe("stackNotices: tokens that cannot push", () => {
  it("warns when a token lacks write_repository", () => {
    const [notice] = ofKind(stackNotices(settings([token(), token({ name: "READER", scopes: ["read_repository"] })]), MIDNIGHT), "readOnly");
    assert.equal(notice.tokenIndex, 1);
    assert.match(notice.message, /token READER in xlink\/xlink-k8s-gitops has no write_repository scope/);
  });
});

describe("stackNotices: a scope that adds nothing", () => {
  it("warns that read_repository beside write_repository adds nothing (write_repository grants pull), and how to drop it", () => {
    const notice = onlyNotice(stackNotices(settings([token(), token({ name: "CLONER", scopes: ["read_repository", "write_repository"] })]), MIDNIGHT), "redundantScope", 1);
    assert.equal(
      notice.message,
      "token CLONER in xlink/xlink-k8s-gitops lists read_repository beside write_repository, which already grants read (pull) access, so it adds nothing; remove read_repository (as a rotation: a changed scope replaces, i.e. revokes, the token)",
    );
  });

  it("says nothing of write_repository alone, nor of a retiring generation's scopes", () => {
    assert.deepEqual(ofKind(stackNotices(settings([token({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-12-02T12:00:00Z", scopes: ["read_repository", "write_repository"] } })]), MIDNIGHT), "redundantScope"), []);
  });
});

describe("adoption notices", () => {
  const handMade = { expiresAt: "2026-12-20", revokeAfter: "2026-12-02T12:00:00Z", tokenId: 8812, name: "gitops pusher" };

  it("shouts a hand-made token's broader scopes and role, naming the token and its revokeAfter", () => {
    const notice = onlyNotice(stackNotices(settings([token({ retiring: { ...handMade, accessLevel: "owner", scopes: ["api", "write_repository"] } })]), MIDNIGHT), "broadRetiring");
    assert.equal(
      notice.message,
      "hand-made token 8812 (gitops pusher) in xlink/xlink-k8s-gitops has scope api and role owner, far more than pushing needs: it stays valid until its retiring block is removed after 2026-12-02T12:00:00Z; keep that short",
    );
  });

  it("says nothing of a hand-made token that is as narrow as a push token", () => {
    assert.deepEqual(stackNotices(settings([token({ retiring: { ...handMade, accessLevel: "maintainer", scopes: ["read_repository", "write_repository"] } })]), MIDNIGHT), []);
  });

  it("names each adopted variable, and the hand-made token when no retiring block names it", () => {
    const notices = stackNotices(settings([token({ consumers: [consumer({ adopt: true }), consumer({ project: "xlink/xlink-worker" })] })]), MIDNIGHT);
    assert.deepEqual(notices.map((notice) => notice.kind), ["adopting", "handMadeTokenUndeclared"]);
    assert.match(notices[0].message, /^variable GITLAB_PUSHER_TOKEN in xlink\/xlink-app is marked adopt: true\./);
    assert.match(notices[1].message, /^token GITLAB_CI_PUSHER in xlink\/xlink-k8s-gitops adopts variables .* no retiring\.tokenId names that token/);
  });

  it("does not ask for the hand-made token once the retiring block names it", () => {
    const notices = stackNotices(settings([token({ consumers: [consumer({ adopt: true })], retiring: handMade })]), MIDNIGHT);
    assert.deepEqual(notices.map((notice) => notice.kind), ["adopting"]);
  });
});
