// infra/sdkDebugLog.ts: the scrubber in front of the SDK's log.debug, installed by importing the
// program, and its refusal to run on an SDK it cannot reach. That the SDK's own files see it is shown
// through the real cmd/run in test/infra/pulumiHostLoad.test.ts and the real CLI in test/e2e/rotation.test.ts.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { version as sdkVersion } from "@pulumi/pulumi/version";
import pushTokenStack = require("../../infra/index");
import { CHECKED_SDK_VERSIONS, installDebugScrub } from "../../infra/sdkDebugLog";
import { WITHHELD } from "../../infra/sdkDebugText";

const ANSWER = "RegisterResource RPC finished: resource:a[gitlab:index/projectAccessToken:ProjectAccessToken]; err: null, resp: urn:x,id,token,,,glpat-abcdefghijklmnop,,";
const SCRUBBED = `RegisterResource RPC finished: resource:a[gitlab:index/projectAccessToken:ProjectAccessToken]; err: null, resp: ${WITHHELD}`;

/** A log module shaped as @pulumi/pulumi 3.276.0's, whose debug records what it is given. */
function fakeLog() {
  const received: unknown[][] = [];
  const debug = (...args: unknown[]) => {
    received.push(args);
    return Promise.resolve();
  };
  const log: { __esModule?: boolean; debug: unknown } = { debug };
  Object.defineProperty(log, "__esModule", { value: true });
  return { log, debug, received };
}

describe("installed by the program", () => {
  it("is in front of the SDK's own log.debug once infra/index.ts is loaded", () => {
    assert.equal(typeof pushTokenStack, "function");
    const debug = require("@pulumi/pulumi/log").debug as (msg: string) => Promise<void>;
    assert.equal(debug, pulumi.log.debug);
    assert.equal(debug.name, "debugScrubbed");
  });

  it("was checked against the SDK installed here", () => {
    assert.deepEqual(CHECKED_SDK_VERSIONS, [sdkVersion]);
  });
});

describe("installDebugScrub", () => {
  it("scrubs each message and passes the rest of the call on", async () => {
    const { log, received } = fakeLog();
    installDebugScrub({ log, exportedLog: log, version: sdkVersion });
    const resource = { urn: "a resource" };
    await (log.debug as (...args: unknown[]) => Promise<void>)(ANSWER, resource, 3, true);
    await (log.debug as (...args: unknown[]) => Promise<void>)("Registering resource: t=x, name=y, custom=true, remote=false");
    assert.deepEqual(received, [[SCRUBBED, resource, 3, true], ["Registering resource: t=x, name=y, custom=true, remote=false"]]);
  });

  it("wraps once, however often it is installed", async () => {
    const { log, received } = fakeLog();
    installDebugScrub({ log, exportedLog: log, version: sdkVersion });
    const first = log.debug;
    installDebugScrub({ log, exportedLog: log, version: sdkVersion });
    assert.equal(log.debug, first);
    await (log.debug as (msg: string) => Promise<void>)(ANSWER);
    assert.deepEqual(received, [[SCRUBBED]]);
  });

  it("refuses an SDK version it was not checked against, saying what to check", () => {
    const { log, debug } = fakeLog();
    assert.throws(
      () => installDebugScrub({ log, exportedLog: log, version: "3.300.0" }),
      (error: unknown) => {
        assert.ok(pulumi.RunError.isInstance(error));
        assert.equal(
          (error as Error).message,
          "gitlab-push-tokens cannot keep token values out of the Pulumi SDK's debug log with @pulumi/pulumi 3.300.0: the scrubber was checked against 3.276.0 only; " +
            "nothing was registered. Fix: check that node_modules/@pulumi/pulumi/runtime/resource.js and runtime/invoke.js of 3.300.0 " +
            "still log each RPC through `log.debug` of the shared `../log` module, wording its body as infra/sdkDebugText.ts expects " +
            "(`… RPC finished: <label>; err: <error>, resp: <body>`); adapt infra/sdkDebugText.ts and infra/sdkDebugLog.ts to it, " +
            "then run test/infra/pulumiHostLoad.test.ts and test/e2e/rotation.test.ts before adding 3.300.0 to CHECKED_SDK_VERSIONS in infra/sdkDebugLog.ts.",
        );
        // Stackless, as cmd/run shows a RunError: the message is all there is.
        assert.equal((error as Error).stack, `RunError: ${(error as Error).message}`);
        return true;
      },
    );
    assert.equal(log.debug, debug, "nothing replaced");
  });

  const refusals: Array<{ name: string; problem: string; shape: () => { log: object; exportedLog: unknown } }> = [
    {
      name: "a log module no longer marked __esModule (each SDK file would hold a copy)",
      problem: "@pulumi/pulumi/log is no longer marked __esModule, so the SDK's own files would not see a replaced debug",
      shape: () => {
        const log = { debug: () => Promise.resolve() };
        return { log, exportedLog: log };
      },
    },
    {
      name: "an SDK whose `log` export is another object",
      problem: "the SDK's `log` export is not the @pulumi/pulumi/log module",
      shape: () => ({ log: fakeLog().log, exportedLog: fakeLog().log }),
    },
    {
      name: "a log module without debug",
      problem: "@pulumi/pulumi/log has no debug function (found undefined)",
      shape: () => {
        const { log } = fakeLog();
        delete (log as { debug?: unknown }).debug;
        return { log, exportedLog: log };
      },
    },
    {
      name: "a debug that cannot be replaced",
      problem: "@pulumi/pulumi/log's debug cannot be replaced (Cannot assign to read only property 'debug' of object '#<Object>')",
      shape: () => {
        const { log } = fakeLog();
        Object.defineProperty(log, "debug", { writable: false });
        return { log, exportedLog: log };
      },
    },
    {
      name: "a debug that ignores the replacement",
      problem: "@pulumi/pulumi/log's debug did not take the replacement",
      shape: () => {
        const { log, debug } = fakeLog();
        Object.defineProperty(log, "debug", { get: () => debug, set: () => undefined });
        return { log, exportedLog: log };
      },
    },
  ];
  for (const { name, problem, shape } of refusals) {
    it(`refuses ${name}`, () => {
      const { log, exportedLog } = shape();
      assert.throws(
        () => installDebugScrub({ log, exportedLog, version: sdkVersion }),
        (error: unknown) => {
          assert.ok(pulumi.RunError.isInstance(error));
          assert.ok(
            (error as Error).message.startsWith(`gitlab-push-tokens cannot keep token values out of the Pulumi SDK's debug log with @pulumi/pulumi ${sdkVersion}: ${problem}; nothing was registered. Fix: `),
            (error as Error).message,
          );
          return true;
        },
      );
    });
  }
});
