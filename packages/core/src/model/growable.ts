// A Float64Array / Int32Array that grows by doubling, for building columns of unknown length.

/** Growable column of numbers. */
export class GrowableColumn<T extends Float64Array | Int32Array> {
  private data: T;
  length = 0;
  constructor(
    private readonly make: (n: number) => T,
    capacity = 16,
  ) {
    this.data = make(capacity);
  }
  /** Append one value; returns its index. */
  push(x: number): number {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = x;
    return this.length++;
  }
  /** Add to an existing entry. */
  add(i: number, x: number): void {
    this.data[i] = (this.data[i] as number) + x;
  }
  /** The filled part, without copying (valid until the next push). */
  finishView(): T {
    return this.data.subarray(0, this.length) as T;
  }
  /** A right-sized copy. */
  finish(): T {
    return this.data.slice(0, this.length) as T;
  }
}
