// How a failing inline program fails in the harness: as it does under `pulumi up`, not as it would
// inside a long-lived test process.

import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";

/**
 * `program` as the Node.js host's cmd/run runs it: a RunError (how the program reports bad config) is
 * logged as an error, without a stack, and the run fails with that message alone. Thrown instead, it
 * would also reject promises inside the SDK's Stack resource that nothing awaits: harmless in a
 * process that then exits, as cmd/run's does, but in this test process each one becomes an unhandled
 * rejection that fails the whole test file. Any other error is thrown as it is: that is a bug.
 */
export function asCmdRunWould(program: PulumiFn): PulumiFn {
  return async () => {
    try {
      return await program();
    } catch (error) {
      if (!pulumi.RunError.isInstance(error)) throw error;
      await pulumi.log.error(error.message);
      return undefined;
    }
  };
}

