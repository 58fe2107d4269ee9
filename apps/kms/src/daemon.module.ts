import { Module } from '@nestjs/common';
import { SchedulerModule } from '@kms/scheduler';
import { SigningModule } from '@kms/signing';
import { StorageModule } from '@kms/storage';
import { DaemonCommand } from './commands/daemon.command';

/** The daemon's part of the container: the signing pipeline, the poll scheduler and the command. */
@Module({ imports: [SigningModule, SchedulerModule, StorageModule], providers: [DaemonCommand] })
export class DaemonModule {}
