/**
 * The building blocks of the scenario schema and the type inference over them: the schema is the one
 * definition of a scenario (fields, defaults, ranges, enums, labels and docs), and `Infer` turns it into
 * the TypeScript type, so the two can never drift apart.
 */

/** Which fields a newcomer sees first; the rest sit under "Advanced". */
export type FieldLevel = 'basic' | 'advanced';

interface FieldInfo {
  /** Human label, e.g. "Guest writes per second". */
  label: string;
  /** One or two sentences: what it means and where its default comes from. */
  doc: string;
  level: FieldLevel;
}

export interface NumField extends FieldInfo {
  t: 'num';
  def: number;
  min: number;
  max: number;
  int: boolean;
  unit: string;
}
export interface BoolField extends FieldInfo {
  t: 'bool';
  def: boolean;
}
export interface EnumField<O extends string = string> extends FieldInfo {
  t: 'enum';
  def: O;
  options: readonly O[];
  /** Human name of each option. */
  optionLabels: Readonly<Record<O, string>>;
}
export interface StrField extends FieldInfo {
  t: 'str';
  def: string;
  maxLength: number;
}
export type FieldMap = { readonly [key: string]: Field };
export interface ObjField<M extends FieldMap = FieldMap> extends FieldInfo {
  t: 'obj';
  fields: M;
  /** Optional whole-object check after the fields resolve; returns an error message or null. */
  check?: (value: Record<string, unknown>) => string | null;
}
export interface ArrField<O extends ObjField = ObjField> extends FieldInfo {
  t: 'arr';
  of: O;
  min: number;
  max: number;
  /** Default elements; element i of the input is resolved over `def[i]` (or the last one). */
  def: Record<string, unknown>[];
}
export type Field = NumField | BoolField | EnumField | StrField | ObjField | ArrField;

/** The value type a field describes. */
export type Infer<F> = F extends NumField
  ? number
  : F extends BoolField
    ? boolean
    : F extends EnumField<infer O>
      ? O
      : F extends StrField
        ? string
        : F extends ArrField<infer O>
          ? Infer<O>[]
          : F extends ObjField<infer M>
            ? { -readonly [K in keyof M]: Infer<M[K]> }
            : never;

type Info = Partial<Pick<FieldInfo, 'level'>> & Pick<FieldInfo, 'label' | 'doc'>;

export const num = (def: number, min: number, max: number, unit: string, info: Info, int = false): NumField => ({
  t: 'num', def, min, max, unit, int, level: 'advanced', ...info,
});
export const int = (def: number, min: number, max: number, unit: string, info: Info): NumField => num(def, min, max, unit, info, true);
export const bool = (def: boolean, info: Info): BoolField => ({ t: 'bool', def, level: 'advanced', ...info });
export const str = (def: string, maxLength: number, info: Info): StrField => ({ t: 'str', def, maxLength, level: 'advanced', ...info });
export const oneOf = <const O extends string>(def: NoInfer<O>, optionLabels: Readonly<Record<O, string>>, info: Info): EnumField<O> => ({
  t: 'enum', def, options: Object.keys(optionLabels) as O[], optionLabels, level: 'advanced', ...info,
});
export const obj = <const M extends FieldMap>(fields: M, info: Info, check?: ObjField['check']): ObjField<M> => ({
  t: 'obj', fields, level: 'advanced', ...info, ...(check ? { check } : {}),
});
export const arr = <O extends ObjField>(of: O, min: number, max: number, def: Record<string, unknown>[], info: Info): ArrField<O> => ({
  t: 'arr', of, min, max, def, level: 'advanced', ...info,
});

/** A field per key, built by one function: `{ free: f('free'), zero: f('zero'), … }`, keeping the key types. */
export function fieldPerKey<const K extends string, F extends Field>(keys: readonly K[], make: (key: K) => F): Record<K, F> {
  return Object.fromEntries(keys.map((k) => [k, make(k)])) as Record<K, F>;
}

/** The field at a dotted path (`destinations.0.speed`), or undefined. Array indexes select `of`. */
export function fieldAt(root: ObjField, path: string): Field | undefined {
  let f: Field | undefined = root;
  for (const part of path.split('.')) {
    if (f?.t === 'obj') f = Object.hasOwn(f.fields, part) ? f.fields[part] : undefined;
    else if (f?.t === 'arr') f = /^\d+$/.test(part) ? f.of : undefined;
    else return undefined;
  }
  return f;
}
