import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NOTICES, PROMPTER, Prompter, type Notices } from '@kms/common';
import type { KmsFlags } from '@kms/config';
import { CLI_IO, type CliIo } from './cli-io';
import { CliOutput } from './cli-output';

/** Releases stdin when the application shuts down, so the process can exit. */
class PrompterLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PROMPTER) private readonly prompter: Prompter) {}
  onApplicationShutdown(): void {
    this.prompter.close();
  }
}

/** The flags of the command line (KmsFlags), for commands with flags of their own (migrate --from/--to). */
export const CLI_FLAGS = Symbol('CLI_FLAGS');

/**
 * The run's process boundary for every module (global): CLI_IO, its CliOutput, the PROMPTER on its
 * stdin, NOTICES (warning lines on stderr), and the command line's flags.
 */
@Module({})
export class CliModule {
  static forRoot(io: CliIo, output: CliOutput, flags: KmsFlags): DynamicModule {
    return {
      module: CliModule,
      global: true,
      providers: [
        { provide: CLI_IO, useValue: io },
        { provide: CliOutput, useValue: output },
        { provide: CLI_FLAGS, useValue: Object.freeze({ ...flags }) },
        { provide: PROMPTER, useFactory: () => new Prompter(io.stdin, io.stderr) },
        {
          provide: NOTICES,
          useValue: { warn: (message) => output.notice(`Warning: ${message}`) } satisfies Notices,
        },
        PrompterLifecycle,
      ],
      exports: [CLI_IO, CliOutput, PROMPTER, NOTICES, CLI_FLAGS],
    };
  }
}
