export { PollScheduler } from './poll.scheduler';
export { SchedulerModule } from './scheduler.module';
