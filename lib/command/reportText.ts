// How the stack commands lay out what they print: aligned plain-text tables and counted nouns.

/** Rows under a header, each column as wide as its widest cell, two spaces apart; "none" when empty. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return ["  none"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  return [header, ...rows].map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column])).join("  ")}`.trimEnd());
}

/** `1 token`, `2 tokens`. */
export const count = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? "" : "s"}`;
