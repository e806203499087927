// Keeps a note under a size limit by showing fewer rows of its tables and lists, replacing the rest
// with one line that says how many were cut. Pure; lengths are JavaScript string lengths (UTF-16 code
// units), never fewer than the characters GitLab counts.

/** A part of the note that is always shown whole. */
export interface FixedBlock {
  /** Tells the block kinds apart. */
  readonly kind: "fixed";
  /** The Markdown. */
  readonly text: string;
}

/** A table or list whose rows may be cut. */
export interface RowsBlock {
  /** Tells the block kinds apart. */
  readonly kind: "rows";
  /** What comes before the rows (a heading, a table's header). */
  readonly head: string;
  /** The rows, one line each, in the order they are shown. */
  readonly rows: readonly string[];
  /** What comes after the rows, even when some are cut (e.g. a closing `</details>`). */
  readonly tail?: string;
  /** Lower is cut first. */
  readonly cutOrder: number;
  /** What the cut line counts: "row" for tables, "item" for lists. */
  readonly unit: "row" | "item";
}

export type Block = FixedBlock | RowsBlock;

/**
 * The note: blocks separated by blank lines, ending with a newline, at most `maxLength` long. Rows are
 * cut from the end of the block with the lowest cutOrder first, moving to the next block only once a
 * block shows no rows. Throws a RangeError when even the fixed parts do not fit.
 */
export function fitBlocks(blocks: readonly Block[], maxLength: number): string {
  const shown = blocks.map((block) => (block.kind === "rows" ? block.rows.length : 0));
  const total = () => blocks.reduce((sum, block, index) => sum + blockLength(block, shown[index], maxLength), 0) + separatorsLength(blocks.length);
  const cutSequence = blocks
    .map((block, index) => ({ block, index }))
    .filter((entry): entry is { block: RowsBlock; index: number } => entry.block.kind === "rows")
    .sort((a, b) => a.block.cutOrder - b.block.cutOrder || a.index - b.index);

  for (const { block, index } of cutSequence) {
    if (total() <= maxLength) break;
    const room = maxLength - (total() - blockLength(block, shown[index], maxLength));
    shown[index] = mostRowsWithin(block, room, maxLength);
  }
  const length = total();
  if (length > maxLength) throw new RangeError(`a note limit of ${maxLength} characters is too small: the parts that are never cut need ${length}`);
  return `${blocks.map((block, index) => renderBlock(block, shown[index], maxLength)).join("\n\n")}\n`;
}

/** The line that replaces `cut` rows. */
function cutLine(cut: number, unit: RowsBlock["unit"], maxLength: number): string {
  return `_${cut} more ${unit}${cut === 1 ? "" : "s"} not shown: the note would exceed GitLab's limit (${maxLength} characters here)._`;
}

function renderBlock(block: Block, shown: number, maxLength: number): string {
  if (block.kind === "fixed") return block.text;
  let text = block.head;
  if (shown > 0) text += `\n${block.rows.slice(0, shown).join("\n")}`;
  // A blank line ends a table, so the cut line is not read as one more row.
  if (shown < block.rows.length) text += `\n\n${cutLine(block.rows.length - shown, block.unit, maxLength)}`;
  if (block.tail !== undefined) text += `\n\n${block.tail}`;
  return text;
}

function blockLength(block: Block, shown: number, maxLength: number): number {
  if (block.kind === "fixed") return block.text.length;
  let length = block.head.length;
  for (let i = 0; i < shown; i++) length += 1 + block.rows[i].length;
  if (shown < block.rows.length) length += 2 + cutLine(block.rows.length - shown, block.unit, maxLength).length;
  if (block.tail !== undefined) length += 2 + block.tail.length;
  return length;
}

// The largest number of rows (fewer than all) whose block fits in `room`; 0 when none does.
function mostRowsWithin(block: RowsBlock, room: number, maxLength: number): number {
  let best = 0;
  let rowsLength = 0;
  for (let shown = 1; shown < block.rows.length; shown++) {
    rowsLength += 1 + block.rows[shown - 1].length;
    const length = block.head.length + rowsLength + 2 + cutLine(block.rows.length - shown, block.unit, maxLength).length + (block.tail !== undefined ? 2 + block.tail.length : 0);
    if (length <= room) best = shown;
    else break;
  }
  return best;
}

function separatorsLength(blockCount: number): number {
  // "\n\n" between blocks and the final "\n".
  return Math.max(0, blockCount - 1) * 2 + 1;
}
