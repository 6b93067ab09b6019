/**
 * The catch-up batch size, kept so a batch's transaction lasts about `targetMs`: the log's
 * visible head waits for the oldest open transaction in the cluster, so a long batch holds back
 * every reader's view of new events (and read-your-writes) until it commits. A batch over twice
 * the target halves the size, one under half of it doubles it. Halving helps only when the time
 * is the batch's size: when the halved batches are not faster (a loaded machine, a cost per batch
 * whatever its size), the size goes back and stays there until a batch is quick again, instead
 * of shrinking on to batches that take as long for fewer events.
 */
export class AdaptiveBatchSize {
  private size: number;
  /** Below this, halving did not make batches faster. */
  private floor: number;
  /** The size and time before the last halving, until the halved batches show they are faster. */
  private halvedFrom: { readonly size: number; readonly ms: number } | null = null;

  constructor(
    private readonly min: number,
    private readonly max: number,
    private readonly targetMs: number,
  ) {
    this.size = max;
    this.floor = min;
  }

  get value(): number {
    return this.size;
  }

  /** Learns from a batch of `events` that took `ms`. */
  record(events: number, ms: number): void {
    if (events < this.size / 2) return; // a short batch says little
    if (ms > this.targetMs * 2) {
      const tried = this.halvedFrom;
      if (tried && ms >= tried.ms * NOT_FASTER) {
        this.size = tried.size;
        this.floor = tried.size;
        this.halvedFrom = null;
        return;
      }
      const next = Math.max(this.floor, this.min, Math.round(this.size / 2));
      this.halvedFrom = next < this.size ? { size: this.size, ms } : null;
      this.size = next;
      return;
    }
    this.halvedFrom = null;
    if (ms < this.targetMs / 2) {
      this.floor = this.min;
      this.size = Math.min(this.max, this.size * 2);
    }
  }
}

/** Halved batches taking at least this share of the time before did not get faster. */
const NOT_FASTER = 0.75;
