/**
 * What a run started, stopped in reverse order however the run ended: a step that fails (a serve
 * that does not stop, say) must not leave the later ones running, or a listening fake keeps the
 * benchmark's process alive after it reported the failure.
 */
export class Teardown {
  private readonly steps: (() => unknown)[] = [];

  add<T>(thing: T, stop: (t: T) => unknown): T {
    this.steps.push(() => stop(thing));
    return thing;
  }

  /** Runs every step; the first failure is rethrown once all have run. */
  async run(): Promise<void> {
    let failure: { error: unknown } | null = null;
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        // Said at once: a failure of the run itself may be the one reported in the end.
        process.stderr.write(`teardown: ${error instanceof Error ? error.message : String(error)}\n`);
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
