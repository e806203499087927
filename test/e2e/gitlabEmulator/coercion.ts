// Grape's declared-parameter checks, which run before an endpoint's code: `requires`/`optional`,
// type coercion (String, Boolean, Integer, Date, Array[String]) and `values:` lists. Failures are
// collected in declaration order and answered as one `{"error": "a is missing, b is invalid"}`.

import { isIsoDate } from "../../../config/dates";
import type { Params } from "./routing";

// dry-types' Params::Bool, which Grape uses for Boolean.
const TRUE_WORDS = new Set(["1", "on", "t", "true", "y", "yes"]);
const FALSE_WORDS = new Set(["0", "off", "f", "false", "n", "no"]);

export class DeclaredParams {
  readonly errors: string[] = [];

  constructor(private readonly params: Params) {}

  has(name: string): boolean {
    return this.params[name] !== undefined && this.params[name] !== null;
  }

  string(name: string, rule: { required?: boolean } = {}): string | undefined {
    const raw = this.present(name, rule.required);
    if (raw === undefined) return undefined;
    if (typeof raw === "string") return raw;
    if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
    return this.invalid(name);
  }

  /** A string that must be one of `values`. */
  choice(name: string, values: readonly string[], rule: { required?: boolean } = {}): string | undefined {
    const value = this.string(name, rule);
    if (value === undefined || values.includes(value)) return value;
    this.errors.push(`${name} does not have a valid value`);
    return undefined;
  }

  boolean(name: string): boolean | undefined {
    const raw = this.present(name, false);
    if (raw === undefined) return undefined;
    if (typeof raw === "boolean") return raw;
    const word = String(raw).toLowerCase();
    if (typeof raw !== "object" && TRUE_WORDS.has(word)) return true;
    if (typeof raw !== "object" && FALSE_WORDS.has(word)) return false;
    return this.invalid(name);
  }

  integer(name: string, rule: { values?: readonly number[] } = {}): number | undefined {
    const raw = this.present(name, false);
    if (raw === undefined) return undefined;
    const value = typeof raw === "number" && Number.isInteger(raw) ? raw : typeof raw === "string" && /^[-+]?\d+$/.test(raw.trim()) ? Number(raw) : undefined;
    if (value === undefined) return this.invalid(name);
    if (rule.values && !rule.values.includes(value)) {
      this.errors.push(`${name} does not have a valid value`);
      return undefined;
    }
    return value;
  }

  /** A date as YYYY-MM-DD (a date-time is cut to its date, as Ruby's Date.parse does). */
  date(name: string): string | undefined {
    const raw = this.present(name, false);
    if (raw === undefined) return undefined;
    if (typeof raw !== "string") return this.invalid(name);
    const date = raw.trim().slice(0, 10);
    const rest = raw.trim().slice(10);
    if (!isIsoDate(date) || (rest !== "" && !/^[T ]/.test(rest))) return this.invalid(name);
    return date;
  }

  stringArray(name: string, rule: { required?: boolean; values?: readonly string[] } = {}): string[] | undefined {
    const raw = this.present(name, rule.required);
    if (raw === undefined) return undefined;
    if (!Array.isArray(raw) || raw.some((item) => typeof item === "object" && item !== null)) return this.invalid(name);
    const values = raw.map((item) => String(item));
    if (rule.values && values.some((value) => !rule.values!.includes(value))) {
      this.errors.push(`${name} does not have a valid value`);
      return undefined;
    }
    return values;
  }

  /** A nested hash parameter such as `filter`, read as strings. */
  hash(name: string): Record<string, string> | undefined {
    const raw = this.present(name, false);
    if (raw === undefined) return undefined;
    if (typeof raw !== "object" || Array.isArray(raw)) return this.invalid(name);
    return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([key, value]) => [key, String(value)]));
  }

  private present(name: string, required: boolean | undefined): unknown {
    const raw = this.params[name];
    if (raw === undefined || raw === null) {
      if (required) this.errors.push(`${name} is missing`);
      return undefined;
    }
    return raw;
  }

  private invalid(name: string): undefined {
    this.errors.push(`${name} is invalid`);
    return undefined;
  }
}
