// A small evaluator of GitLab CI/CD variable expressions (`rules:if`, `workflow:rules:if`), exactly as
// gitlabhq documents them in doc/ci/jobs/job_rules.md ("CI/CD variable expressions"), so tests can ask
// what the real .gitlab-ci.yml does in a given pipeline. Only the documented forms are accepted, and
// anything else is a syntax error, so an expression the file starts to use unmodelled fails the test
// rather than being guessed:
//   $VAR                   true when the variable is defined and not empty
//   $VAR == "x"  != 'x'    compare with a string (single or double quotes)
//   $A == $B     != $B     compare two variables' values
//   $VAR == null != null   whether the variable is defined ("" is defined)
//   $VAR =~ /re/i  !~      RE2 match (a JavaScript RegExp on the RE2 subset used: no lookaround, no
//                          backreference); a variable on the right holding "/re/" is a pattern too,
//                          its own variables unresolved; a single-character pattern such as /./ is
//                          GitLab's "invalid expression syntax"
//   && before ||, parentheses first (Ruby's precedence, as the page says)
// An undefined variable's value is null: null == null, null != "", null never matches a pattern.

export type Variables = Readonly<Record<string, string | undefined>>;

type Token =
  | { readonly kind: "variable"; readonly name: string }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "null" }
  | { readonly kind: "pattern"; readonly source: string; readonly flags: string }
  | { readonly kind: "operator"; readonly value: "==" | "!=" | "=~" | "!~" }
  | { readonly kind: "and" | "or" | "open" | "close" };

export class ExpressionSyntaxError extends Error {
  override readonly name = "ExpressionSyntaxError";
}

/** Each token's form, tried in order; the first that matches at the cursor is taken. */
const TOKEN_FORMS: readonly [RegExp, (match: RegExpExecArray) => Token][] = [
  [/^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/, (m) => ({ kind: "variable", name: m[1] })],
  [/^\$([A-Za-z_][A-Za-z0-9_]*)/, (m) => ({ kind: "variable", name: m[1] })],
  [/^"([^"]*)"/, (m) => ({ kind: "string", value: m[1] })],
  [/^'([^']*)'/, (m) => ({ kind: "string", value: m[1] })],
  [/^null\b/, () => ({ kind: "null" })],
  [/^(==|!=|=~|!~)/, (m) => ({ kind: "operator", value: m[1] as "==" | "!=" | "=~" | "!~" })],
  [/^&&/, () => ({ kind: "and" })],
  [/^\|\|/, () => ({ kind: "or" })],
  [/^\(/, () => ({ kind: "open" })],
  [/^\)/, () => ({ kind: "close" })],
  [/^\/((?:\\.|[^\\/])*)\/([a-z]*)/, (m) => ({ kind: "pattern", source: m[1], flags: m[2] })],
];

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < expression.length) {
    const rest = expression.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const form = TOKEN_FORMS.map(([pattern, make]) => [pattern.exec(rest), make] as const).find(([match]) => match !== null);
    if (!form) throw new ExpressionSyntaxError(`invalid expression syntax at ${at} in ${JSON.stringify(expression)}: unexpected ${JSON.stringify(rest[0])}`);
    const [match, make] = form as [RegExpExecArray, (match: RegExpExecArray) => Token];
    tokens.push(make(match));
    at += match[0].length;
  }
  return tokens;
}

type Node =
  | { readonly kind: "or" | "and"; readonly left: Node; readonly right: Node }
  | { readonly kind: "compare"; readonly operator: "==" | "!=" | "=~" | "!~"; readonly left: Token; readonly right: Token }
  | { readonly kind: "present"; readonly operand: Token };

function parse(expression: string): Node {
  const tokens = tokenize(expression);
  let at = 0;
  const fail = (why: string): never => {
    throw new ExpressionSyntaxError(`invalid expression syntax in ${JSON.stringify(expression)}: ${why}`);
  };
  const peek = () => tokens[at];
  const orExpression = (): Node => {
    let left = andExpression();
    while (peek()?.kind === "or") {
      at++;
      left = { kind: "or", left, right: andExpression() };
    }
    return left;
  };
  const andExpression = (): Node => {
    let left = primary();
    while (peek()?.kind === "and") {
      at++;
      left = { kind: "and", left, right: primary() };
    }
    return left;
  };
  const operand = (): Token => {
    const token = tokens[at++];
    if (!token || !["variable", "string", "null", "pattern"].includes(token.kind)) fail(`expected a variable, string, null or pattern, got ${token?.kind ?? "the end"}`);
    return token;
  };
  const primary = (): Node => {
    if (peek()?.kind === "open") {
      at++;
      const inner = orExpression();
      if (tokens[at++]?.kind !== "close") fail("missing )");
      return inner;
    }
    const left = operand();
    const next = peek();
    if (next?.kind !== "operator") {
      if (left.kind !== "variable") fail("a string, null or pattern alone is not an expression");
      return { kind: "present", operand: left };
    }
    at++;
    const right = operand();
    // "The variable has to be on the left side of the comparison."
    if (left.kind !== "variable") fail("the left side of a comparison must be a variable");
    const matching = next.value === "=~" || next.value === "!~";
    if (matching && right.kind !== "pattern" && right.kind !== "variable") fail(`${next.value} takes a /pattern/ or a variable holding one`);
    if (!matching && right.kind === "pattern") fail(`${next.value} compares with a string, a variable or null, not a pattern`);
    if (right.kind === "pattern") compilePattern(right.source, right.flags);
    return { kind: "compare", operator: next.value, left, right };
  };
  const tree = orExpression();
  if (at !== tokens.length) fail(`unexpected ${tokens[at].kind} after a complete expression`);
  return tree;
}

/** An RE2 pattern as a JavaScript RegExp, refusing what RE2 has not (lookaround, backreferences) and GitLab's one-character patterns. */
function compilePattern(source: string, flags: string): RegExp {
  if (source.length <= 1) throw new ExpressionSyntaxError(`invalid expression syntax: single-character pattern /${source}/ (GitLab refuses it)`);
  if (/\(\?[=!<]|\\[1-9]/.test(source)) throw new ExpressionSyntaxError(`/${source}/ uses lookaround or a backreference, which RE2 has not`);
  if (!/^[im]*$/.test(flags)) throw new ExpressionSyntaxError(`/${source}/${flags}: unsupported flag`);
  return new RegExp(source, flags);
}

function valueOf(token: Token, variables: Variables): string | null {
  if (token.kind === "variable") return variables[token.name] ?? null;
  if (token.kind === "string") return token.value;
  return null;
}

function patternOf(token: Token, variables: Variables): RegExp | undefined {
  if (token.kind === "pattern") return compilePattern(token.source, token.flags);
  // A variable on the right of =~ is read as a pattern when it holds one, its own variables unresolved.
  const held = valueOf(token, variables);
  const literal = held === null ? undefined : /^\/(.*)\/([a-z]*)$/s.exec(held);
  return literal ? compilePattern(literal[1], literal[2]) : undefined;
}

function evaluateNode(node: Node, variables: Variables): boolean {
  switch (node.kind) {
    case "or":
      return evaluateNode(node.left, variables) || evaluateNode(node.right, variables);
    case "and":
      return evaluateNode(node.left, variables) && evaluateNode(node.right, variables);
    case "present": {
      const value = valueOf(node.operand, variables);
      return value !== null && value !== "";
    }
    case "compare": {
      const left = valueOf(node.left, variables);
      if (node.operator === "==" || node.operator === "!=") {
        const equal = left === valueOf(node.right, variables);
        return node.operator === "==" ? equal : !equal;
      }
      const pattern = patternOf(node.right, variables);
      // A right side that is no pattern: GitLab then checks for a substring, which the docs say not
      // to rely on; the file must not, so it is refused.
      if (!pattern) throw new ExpressionSyntaxError(`the right side of ${node.operator} holds no /pattern/ (${JSON.stringify(valueOf(node.right, variables))})`);
      const matches = left !== null && pattern.test(left);
      return node.operator === "=~" ? matches : !matches;
    }
  }
}

/** Whether `expression` holds for `variables`; throws ExpressionSyntaxError for anything undocumented. */
export function evaluateRuleIf(expression: string, variables: Variables): boolean {
  return evaluateNode(parse(expression), variables);
}

/** The variables `expression` reads, for checks that a rule uses only what a pipeline defines. */
export function variablesIn(expression: string): string[] {
  return [...new Set(tokenize(expression).flatMap((token) => (token.kind === "variable" ? [token.name] : [])))];
}
