import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { safeErrorMessage } from '@kms/common';

const JOB = 'kms-poll';

/**
 * Runs a job every `periodMs`, never overlapping: the next run is scheduled only when the previous
 * one has finished (a slow cycle delays the next instead of stacking). A failing run is logged and the
 * loop goes on. `stop()` cancels the next run and resolves once the run in progress has finished.
 * Only the daemon command starts it; CLI commands never do.
 */
@Injectable()
export class PollScheduler {
  private readonly logger = new Logger('PollScheduler');
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly registry: SchedulerRegistry) {}

  start(job: () => Promise<void>, periodMs: number): void {
    this.stopped = false;
    const tick = () => {
      this.removeTimeout();
      this.running = job()
        .catch((error) => this.logger.error(`Cycle failed: ${safeErrorMessage(error)}`))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.registry.addTimeout(JOB, setTimeout(tick, periodMs));
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.removeTimeout();
    await this.running;
  }

  private removeTimeout(): void {
    if (this.registry.doesExist('timeout', JOB)) this.registry.deleteTimeout(JOB);
  }
}
