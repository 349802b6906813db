/**
 * Human names for scenario fields and their values, read from the schema (its labels, units and option
 * names), so a control, an axis title, a legend and an export all say "Memory the program uses (MiB)"
 * and "AES", never "workload.workingSetMiB" and "aes-gcm".
 */
import { fieldAt, HOST_PAIR_FIELD, SCENARIO_SCHEMA, type ObjField } from '../core/index';

const root = SCENARIO_SCHEMA as unknown as ObjField;

/** "Memory the program uses (MiB)": the field's label with its unit. */
export function fieldLabel(path: string): string {
  if (path === HOST_PAIR_FIELD) return 'Host pair (source → destination)';
  const f = fieldAt(root, path);
  if (!f) return path;
  const unit = f.t === 'num' && f.unit && f.unit !== 'fraction' ? ` (${f.unit})` : f.t === 'num' && f.unit === 'fraction' ? ' (share)' : '';
  const section = path.split('.')[0]!;
  const parent = path.includes('.') ? fieldAt(root, section) : undefined;
  const where = path.startsWith('destinations.0') ? 'First destination: ' : parent && f.label.length < 14 ? `${parent.label}: ` : '';
  return `${where}${f.label}${unit}`;
}

/** "AES", "on", "F→S": a categorical value as a learner reads it. */
export function valueLabel(path: string, value: string | boolean | null): string {
  if (value === null) return '';
  const f = fieldAt(root, path);
  if (f?.t === 'enum') return f.optionLabels[String(value)] ?? String(value);
  if (f?.t === 'bool') return `${f.label}: ${value ? 'on' : 'off'}`;
  return String(value);
}
