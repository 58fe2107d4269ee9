/** One readiness check's verdict; `detail` says what is wrong (never a secret). */
export interface CheckResult {
  ok: boolean;
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: { store: CheckResult; cycle: CheckResult; api: CheckResult };
}

/**
 * What `/readyz` answers: ready only when the wallet store is unlocked and readable, the last cycle
 * ended within `maxCycleAgeMs` (3 periods plus the time its calls may take), and that cycle reached the
 * Tatum API. The daemon reports into it; nothing here does I/O.
 */
export class Readiness {
  private storeProblem?: string = 'not unlocked yet';
  private apiProblem?: string = 'not reached yet';
  private lastCycleEnd?: number;

  constructor(
    private readonly maxCycleAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  storeUnlocked(): void {
    this.storeProblem = undefined;
  }

  /** The store cannot be read any more (password changed by another process, damaged file...). */
  storeFailed(detail: string): void {
    this.storeProblem = detail;
  }

  /** A cycle ended; `apiProblem` is why it could not reach the Tatum API, if it could not. */
  cycleEnded(apiProblem?: string): void {
    this.lastCycleEnd = this.now();
    this.apiProblem = apiProblem;
  }

  report(): ReadinessReport {
    const age = this.lastCycleEnd === undefined ? undefined : this.now() - this.lastCycleEnd;
    const checks = {
      store: result(this.storeProblem),
      cycle: result(
        age === undefined
          ? 'no cycle has ended yet'
          : age > this.maxCycleAgeMs
            ? `the last cycle ended ${Math.round(age / 1000)} s ago (more than ${Math.round(this.maxCycleAgeMs / 1000)} s)`
            : undefined,
      ),
      api: result(this.apiProblem),
    };
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  }
}

function result(problem: string | undefined): CheckResult {
  return problem === undefined ? { ok: true } : { ok: false, detail: problem };
}
