/** Step-by-step progress for long work (deploy, seed, upload, verify): `[2/6] Deploying … done (3.1 s)`. */
export class Progress {
  #step = 0;
  readonly #total: number;
  readonly #out: NodeJS.WritableStream;

  constructor(total: number, out: NodeJS.WritableStream = process.stdout) {
    this.#total = total;
    this.#out = out;
  }

  async step<T>(label: string, work: (note: (detail: string) => void) => Promise<T>): Promise<T> {
    this.#step += 1;
    const prefix = `[${this.#step}/${this.#total}] ${label}`;
    this.#out.write(`${prefix} …\n`);
    const started = performance.now();
    const note = (detail: string) => this.#out.write(`      ${detail}\n`);
    try {
      const result = await work(note);
      this.#out.write(`      done (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      return result;
    } catch (error) {
      this.#out.write(`      FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
      throw error;
    }
  }
}
