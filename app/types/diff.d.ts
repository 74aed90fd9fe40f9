// The part of jsdiff 5 (no bundled types) that version comparison uses.
declare module "diff" {
  export type ArrayChange<T> = { value: T[]; count?: number; added?: boolean; removed?: boolean };
  export function diffArrays<T>(oldArr: T[], newArr: T[]): ArrayChange<T>[];
}
