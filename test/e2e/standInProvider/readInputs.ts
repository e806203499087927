// The inputs Read hands back, as the bridge's ExtractInputsFromOutputs computes them. On a refresh (the
// engine sends the old inputs) each old input takes the value GitLab now reports for it, or keeps its
// old value when GitLab reports none (a hidden variable's value), and keeps its secretness. On an
// import (no old inputs) the inputs are rebuilt from what GitLab reports: every input property it has a
// value for. That is what `pulumi import` and the `import` resource option compare the program with.

import type { ResourceModel } from "./model";
import { isSecret, secret, withoutNulls, type WireMap } from "./propertyValues";

export function inputsFromRead(model: ResourceModel, outputs: WireMap, oldInputs: WireMap | undefined): WireMap {
  if (oldInputs && Object.keys(oldInputs).length > 0) {
    const refreshed: WireMap = {};
    for (const [key, old] of Object.entries(oldInputs)) {
      const now = outputs[key];
      const value = now === undefined || now === null ? old : now;
      refreshed[key] = isSecret(old) ? secret(value) : value;
    }
    return refreshed;
  }
  return withoutNulls(Object.fromEntries(model.properties.filter((p) => p.input).map((p) => [p.name, outputs[p.name]])));
}
