/**
 * Bounded top-N selection (pure): keeps the `limit` best items of a stream under a comparator, in O(limit) memory
 * and O(log limit) per item — how the streaming scans keep only the rows they answer with.
 */
export class TopN<T> {
  /** Max-heap on "worse": heap[0] is the worst item kept, the first to go. */
  private readonly heap: T[] = [];

  /**
   * @param limit how many items to keep (≥ 0)
   * @param compare negative when `a` sorts before (is better than) `b`; must be a total order for stable answers
   */
  constructor(
    readonly limit: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  /** Number of items kept. */
  get size(): number {
    return this.heap.length;
  }

  /** The worst item kept (undefined when empty). */
  get worst(): T | undefined {
    return this.heap[0];
  }

  /**
   * Offers an item; returns true when it was kept.
   * @example const t = new TopN<number>(2, (a, b) => b - a); [5, 1, 9, 7].forEach((x) => t.offer(x)); t.sorted() → [9, 7]
   */
  offer(item: T): boolean {
    const h = this.heap;
    if (h.length < this.limit) {
      h.push(item);
      this.up(h.length - 1);
      return true;
    }
    if (this.limit === 0 || this.compare(item, h[0]) >= 0) return false;
    h[0] = item;
    this.down(0);
    return true;
  }

  /** The kept items, best first. */
  sorted(): T[] {
    return [...this.heap].sort(this.compare);
  }

  // Heap order: a parent sorts after (is worse than or equal to) its children.
  private worse(i: number, j: number): boolean {
    return this.compare(this.heap[i], this.heap[j]) > 0;
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i];
    this.heap[i] = this.heap[j];
    this.heap[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < n && this.worse(l, w)) w = l;
      if (r < n && this.worse(r, w)) w = r;
      if (w === i) return;
      this.swap(i, w);
      i = w;
    }
  }
}
