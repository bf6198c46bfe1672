// The end of a program's output, kept while it runs: the failure message is at the end, and keeping only
// the last OUTPUT_TAIL characters bounds the memory and the matching whatever the program prints.
import { OUTPUT_TAIL } from './matchConflicts';

export class OutputTail {
  private text = '';

  push(chunk: string): void {
    this.text += chunk;
    // Trimmed at twice the tail, so the copying per chunk stays constant however long the program runs.
    if (this.text.length > 2 * OUTPUT_TAIL) {
      this.text = this.text.slice(this.text.length - OUTPUT_TAIL);
    }
  }

  value(): string {
    return this.text.length > OUTPUT_TAIL ? this.text.slice(this.text.length - OUTPUT_TAIL) : this.text;
  }
}
