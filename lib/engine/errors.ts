// Every way of not getting a pulumi CLI ends in an EngineError: one message that says what is wrong
// and how to fix it, so `npm test` and the e2e harness can print it as it is and stop.

export class EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineError";
  }
}
