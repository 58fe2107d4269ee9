import { Module } from '@nestjs/common';
import { SchedulerModule } from '@kms/scheduler';
import { SigningModule } from '@kms/signing';
import { StorageModule } from '@kms/storage';
import { TatumModule } from '@kms/tatum';
import { DaemonCommand } from './commands/daemon.command';

/** The daemon's part of the container: the signing pipeline, the poll scheduler, the API client and the command. */
@Module({ imports: [SigningModule, SchedulerModule, StorageModule, TatumModule], providers: [DaemonCommand] })
export class DaemonModule {}
