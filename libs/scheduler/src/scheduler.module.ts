import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PollScheduler } from './poll.scheduler';

/** Provides the PollScheduler; nothing is scheduled until the daemon command starts it. */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [PollScheduler],
  exports: [PollScheduler],
})
export class SchedulerModule {}
