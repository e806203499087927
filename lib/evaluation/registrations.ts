// What the program registered, by kind of resource. The harness loads the program and knows its
// resource types, so what reads an evaluation (the plan report, adoption, the tests) asks here rather
// than reaching into infra/ for them.

import { GITLAB_TYPES } from "../../infra/gitlab/wire";
import type { Evaluation, Registration } from "./evaluate";

export type RegistrationKind = keyof typeof GITLAB_TYPES;

/** The registrations of one kind (the provider, the tokens' generations, the variables), in registration order. */
export function registrationsOf(run: { readonly registrations: readonly Registration[] }, kind: RegistrationKind): Registration[] {
  return run.registrations.filter((registration) => registration.type === GITLAB_TYPES[kind]);
}

/** One token of the program's `inventory` output. */
export type InventoryToken = NonNullable<Evaluation["outputs"]>["inventory"][number];
