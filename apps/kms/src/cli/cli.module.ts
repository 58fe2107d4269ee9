import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PROMPTER, Prompter } from '@kms/common';
import { CLI_IO, type CliIo } from './cli-io';
import { CliOutput } from './cli-output';

/** Releases stdin when the application shuts down, so the process can exit. */
class PrompterLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PROMPTER) private readonly prompter: Prompter) {}
  onApplicationShutdown(): void {
    this.prompter.close();
  }
}

/** The run's process boundary for every module (global): CLI_IO, its CliOutput and the PROMPTER on its stdin. */
@Module({})
export class CliModule {
  static forRoot(io: CliIo, output: CliOutput): DynamicModule {
    return {
      module: CliModule,
      global: true,
      providers: [
        { provide: CLI_IO, useValue: io },
        { provide: CliOutput, useValue: output },
        { provide: PROMPTER, useFactory: () => new Prompter(io.stdin, io.stderr) },
        PrompterLifecycle,
      ],
      exports: [CLI_IO, CliOutput, PROMPTER],
    };
  }
}
