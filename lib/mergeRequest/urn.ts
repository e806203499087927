// Pulumi URNs (`urn:pulumi:<stack>::<project>::<type chain>::<name>`) and the short type names the
// note shows. Pure.

export interface ParsedUrn {
  /** The stack the resource belongs to. */
  readonly stack: string;
  /** The Pulumi project. */
  readonly project: string;
  /** The resource's own type: the last element of the `$`-separated chain of parent types. */
  readonly type: string;
  /** Types of the resource's parents, outermost first (the root stack's type is never in a URN). */
  readonly parentTypes: readonly string[];
  /** The logical name; may itself contain `::`. */
  readonly name: string;
}

const PREFIX = "urn:pulumi:";

/** The parts of `urn`, or undefined when it is not a Pulumi resource URN. */
export function parseUrn(urn: string): ParsedUrn | undefined {
  if (!urn.startsWith(PREFIX)) return undefined;
  const parts = urn.slice(PREFIX.length).split("::");
  if (parts.length < 4) return undefined;
  const [stack, project, typeChain, ...nameParts] = parts;
  const types = typeChain.split("$");
  const type = types[types.length - 1];
  if (stack === "" || project === "" || type === "") return undefined;
  return { stack, project, type, parentTypes: types.slice(0, -1), name: nameParts.join("::") };
}

/**
 * A type token `package:module:Type` shortened for a table:
 * - the module is dropped when it is `index` or repeats the package: `gitlab:index/projectAccessToken:ProjectAccessToken`
 *   → `gitlab:ProjectAccessToken`, `pulumi:pulumi:Stack` → `pulumi:Stack`;
 * - otherwise only the module's first path segment is kept: `aws:s3/bucket:Bucket` → `aws:s3/Bucket`,
 *   `command:local:Command` → `command:local/Command`;
 * - providers read `pulumi:providers:aws` → `provider:aws`;
 * - anything not of that shape is shown as it is.
 */
export function shortType(type: string): string {
  const parts = type.split(":");
  if (parts.length !== 3 || parts.some((part) => part === "")) return type;
  const [pkg, module, name] = parts;
  if (pkg === "pulumi" && module === "providers") return `provider:${name}`;
  const moduleRoot = module.split("/")[0];
  if (moduleRoot === "index" || moduleRoot === pkg) return `${pkg}:${name}`;
  return `${pkg}:${moduleRoot}/${name}`;
}
