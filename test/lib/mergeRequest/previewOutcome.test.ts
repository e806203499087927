// What became of a preview and what stopped it: the verdict from the engine, the exit code or the
// errors; each error told to be the program's or a provider's, with the resource it belongs to; and
// the errors pulumi preview prints only on stderr.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readEventStream } from "../../../lib/mergeRequest/previewEvents";
import { toPreviewDocument } from "../../../lib/mergeRequest/previewDocument";
import { previewOutcome, stderrErrors } from "../../../lib/mergeRequest/previewOutcome";
import { componentUrn, EventStream, PROVIDER_URN, STACK_URN, TOKEN_TYPE, tokenState, tokenUrn } from "../../support/engineEvents";

const GENERATION = "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-03-01";
const outcomeOf = (stream: EventStream, extra = {}) => previewOutcome(readEventStream(stream.text()), extra);
const error = (message: string, urn?: string) => ({ ...(urn && { urn }), prefix: "error: ", message: `${message}\n`, severity: "error" });

describe("previewOutcome: the verdict", () => {
  it("succeeded: the engine says so, nothing failed", () => {
    assert.deepEqual(outcomeOf(new EventStream().end({ create: 1 })), { status: "succeeded", blocking: [], errors: [], bare: [] });
  });

  it("failed: the engine says so, or pulumi exited non-zero, even when the output says nothing else", () => {
    assert.equal(outcomeOf(new EventStream().end({}, "failed")).status, "failed");
    assert.equal(outcomeOf(new EventStream().end({}), { exitCode: 255 }).status, "failed");
    assert.equal(outcomeOf(new EventStream().end({}), { exitCode: 0 }).status, "succeeded");
    // The classic document has no verdict: an error is one.
    assert.equal(previewOutcome(toPreviewDocument({ diagnostics: [error("preview failed")] }, "x")).status, "failed");
    assert.equal(previewOutcome(toPreviewDocument({ steps: [] }, "x")).status, "succeeded");
  });

  it("canceled: the engine says so", () => {
    assert.equal(outcomeOf(new EventStream().end({}, "canceled")).status, "canceled");
  });

  it("a mandatory violation blocks; an advisory or excepted one does not", () => {
    const outcome = outcomeOf(
      new EventStream()
        .violation({ urn: tokenUrn(GENERATION), policy: "least-privilege", message: "api" })
        .violation({ urn: tokenUrn(GENERATION), policy: "consumed", message: "unheld", level: "advisory" })
        .violation({ urn: tokenUrn(GENERATION), policy: "create-first", message: "x", exceptions: [{ id: "EXC-1", reason: "r" }] })
        .end({}, "failed"),
    );
    assert.deepEqual(outcome.blocking.map((violation) => violation.policy), ["least-privilege"]);
    assert.equal(outcomeOf(new EventStream().violation({ policy: "p", message: "m", level: "advisory" }).end({})).status, "succeeded");
  });

  it("sets apart the errors that only say it failed: the engine's and the Automation API's", () => {
    const outcome = outcomeOf(new EventStream().diagnostic(error("preview failed")).diagnostic(error("One or more errors occurred. Check logs for more details")).diagnostic({ message: "error: update failed\n", severity: "error" }).end({}, "failed"));
    assert.equal(outcome.errors.length, 0);
    assert.equal(outcome.bare.length, 3);
  });
});

describe("previewOutcome: whose error it is", () => {
  const kinds = (stream: EventStream) => outcomeOf(stream.end({}, "failed")).errors.map(({ kind, urn, provider }) => ({ kind, urn, provider }));

  it("the program's: no resource, the stack, or one of the program's own components", () => {
    assert.deepEqual(kinds(new EventStream().diagnostic(error("Invalid gitlab-push-tokens config")).diagnostic(error("boom", STACK_URN)).diagnostic(error("x", componentUrn("xlink/a", "T")))), [
      { kind: "program", urn: undefined, provider: undefined },
      { kind: "program", urn: undefined, provider: undefined },
      { kind: "program", urn: componentUrn("xlink/a", "T"), provider: undefined },
    ]);
  });

  it("a provider's: on the provider itself, on a resource the step says it manages, or of the provider's package", () => {
    const token = tokenState(GENERATION);
    assert.deepEqual(
      kinds(
        new EventStream()
          .diagnostic(error("Preview failed: Failed to configure the GitLab provider", PROVIDER_URN))
          .step({ op: "create", urn: token.urn, type: TOKEN_TYPE, new: token }, { outputs: false })
          .diagnostic(error("property scopes has a problem", token.urn))
          // A Check that refused the inputs: no step is reported for the resource.
          .diagnostic(error("property scopes has a problem", "urn:pulumi:dev::gitlab-push-tokens::gitlab:index/projectAccessToken:ProjectAccessToken::bad")),
      ),
      [
        { kind: "provider", urn: PROVIDER_URN, provider: "gitlab" },
        { kind: "provider", urn: token.urn, provider: "gitlab" },
        { kind: "provider", urn: "urn:pulumi:dev::gitlab-push-tokens::gitlab:index/projectAccessToken:ProjectAccessToken::bad", provider: "gitlab" },
      ],
    );
  });

  it("a step that says the resource is not custom makes it the program's, whatever its package", () => {
    const urn = "urn:pulumi:dev::gitlab-push-tokens::acme:index:Component::c";
    assert.deepEqual(kinds(new EventStream().step({ op: "create", urn, type: "acme:index:Component", new: { type: "acme:index:Component", urn, custom: false } }).diagnostic(error("x", urn))), [{ kind: "program", urn, provider: undefined }]);
  });

  it("an engine error on stderr that names a provider is that provider's, on it", () => {
    const stderr = stderrErrors(
      "error: could not load provider for resource urn:pulumi:dev::gitlab-push-tokens::gitlab-push-tokens:index:PushToken$gitlab:index/projectAccessToken:ProjectAccessToken::x@2027-03-01: could not create provider urn:pulumi:dev::gitlab-push-tokens::pulumi:providers:gitlab::gitlab::c8670f38-067b-44ad-9f85-7670754097dc: configure provider: 500\n",
    );
    const outcome = previewOutcome(readEventStream(new EventStream().end({}, "failed").text()), { stderrErrors: stderr });
    assert.deepEqual(
      outcome.errors.map(({ kind, urn, provider }) => ({ kind, urn, provider })),
      [{ kind: "provider", urn: "urn:pulumi:dev::gitlab-push-tokens::pulumi:providers:gitlab::gitlab::c8670f38-067b-44ad-9f85-7670754097dc", provider: "gitlab" }],
    );
  });
});

describe("previewOutcome: the CLI's own errors", () => {
  it("an error on stderr that names no resource is the CLI's (no stack, no backend, no plugin)", () => {
    const outcome = previewOutcome(readEventStream(new EventStream().end({}, "failed").text()), { stderrErrors: stderrErrors("error: no stack named 'dev' found\n") });
    assert.deepEqual(outcome.errors.map(({ kind, urn }) => ({ kind, urn })), [{ kind: "cli", urn: undefined }]);
  });

  it("an output that stops before the engine's end, with nothing saying it failed, is incomplete", () => {
    assert.equal(outcomeOf(new EventStream().step({ op: "create", urn: STACK_URN, type: "pulumi:pulumi:Stack" })).status, "incomplete");
    assert.equal(outcomeOf(new EventStream().step({ op: "create", urn: STACK_URN, type: "pulumi:pulumi:Stack" }), { exitCode: 1 }).status, "failed");
  });
});

describe("stderrErrors", () => {
  it("takes each `error:` line and the lines that continue it, without colours; nothing else", () => {
    assert.deepEqual(stderrErrors("warning: A new version of Pulumi is available\n\u001b[31merror: \u001b[0mno stack named 'dev' found\n  run pulumi stack ls\nerror: second\n\nunrelated\n"), [
      { message: "no stack named 'dev' found\n  run pulumi stack ls", severity: "error", from: "stderr" },
      { message: "second", severity: "error", from: "stderr" },
    ]);
    assert.deepEqual(stderrErrors(""), []);
    assert.deepEqual(stderrErrors("info: all good\r\n"), []);
  });
});
