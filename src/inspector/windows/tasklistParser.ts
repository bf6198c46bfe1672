// Parses `tasklist /FO CSV /NH`: one quoted CSV record per process, "Image Name","PID","Session Name",
// "Session#","Mem Usage". The memory column carries the locale's thousands separator inside its quotes
// ("12,345 K", "12.345 K"), so the record must be split as CSV, never on every comma.

/** One process as tasklist lists it. */
export interface TasklistProcess {
  pid: number;
  /** Image name (`node.exe`). Untrusted text. */
  name: string;
  sessionName: string;
  session?: number;
}

/** Parses tasklist CSV output into processes keyed by pid; records without a numeric pid (an INFO
 *  line, garbage) are skipped. */
export function parseTasklistCsv(output: string): Map<number, TasklistProcess> {
  const result = new Map<number, TasklistProcess>();
  for (const line of output.split(/\r?\n|\r/)) {
    const fields = splitCsvRecord(line);
    if (fields.length < 2 || !/^\d+$/.test(fields[1]) || fields[0] === '') {
      continue;
    }
    const proc: TasklistProcess = { pid: Number(fields[1]), name: fields[0], sessionName: fields[2] ?? '' };
    if (fields[3] !== undefined && /^\d+$/.test(fields[3])) {
      proc.session = Number(fields[3]);
    }
    result.set(proc.pid, proc);
  }
  return result;
}

/** Splits one CSV record: fields optionally quoted, `""` inside quotes is a quote. */
export function splitCsvRecord(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let sawAny = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    sawAny = true;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  if (sawAny) {
    fields.push(field);
  }
  return fields;
}
