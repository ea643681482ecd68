/**
 * Offsets ↔ line/character positions, counted as VS Code counts them: lines end at `\r\n`, `\n`
 * or a lone `\r`; characters are UTF-16 code units (JavaScript string indices); out-of-range
 * input is clamped instead of rejected.
 */

export interface Position {
  /** 0-based line. */
  readonly line: number;
  /** 0-based UTF-16 code unit within the line. */
  readonly character: number;
}

export class LineIndex {
  /** Offset where each line begins; always starts with 0. */
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10 /* \n */) {
        starts.push(i + 1);
      } else if (code === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Offset of the first character of `line` (clamped to the existing lines). */
  lineStart(line: number): number {
    return this.lineStarts[clamp(line, 0, this.lineStarts.length - 1)];
  }

  /** Offset just before the line break that ends `line` (the text length on the last line). */
  lineEnd(line: number): number {
    const index = clamp(line, 0, this.lineStarts.length - 1);
    if (index === this.lineStarts.length - 1) return this.text.length;
    let end = this.lineStarts[index + 1];
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  positionAt(offset: number): Position {
    const target = clamp(Math.floor(offset), 0, this.text.length);
    // Last line whose start is <= target.
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= target) low = mid;
      else high = mid - 1;
    }
    // An offset inside a line break (between \r and \n) belongs to the end of its line.
    const character = Math.min(target, this.lineEnd(low)) - this.lineStarts[low];
    return { line: low, character };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    return start + clamp(position.character, 0, this.lineEnd(position.line) - start);
  }
}

export function offsetToPosition(text: string, offset: number): Position {
  return new LineIndex(text).positionAt(offset);
}

export function positionToOffset(text: string, position: Position): number {
  return new LineIndex(text).offsetAt(position);
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
