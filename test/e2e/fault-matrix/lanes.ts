// A small counting semaphore: how many cells (each a sandbox, a workspace and terraform processes) run at once.
export class Lanes {
  private free: number;
  private readonly queue: Array<() => void> = [];

  constructor(count: number) {
    this.free = Math.max(1, count);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.free++;
    }
  }
}
