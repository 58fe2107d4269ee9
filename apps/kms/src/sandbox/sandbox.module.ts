import { Module } from '@nestjs/common';
import { SandboxCommand } from './sandbox.command';

/** The `sandbox` command; loaded only when it runs or help is shown (it boots the daemon's modules itself). */
@Module({ providers: [SandboxCommand] })
export class SandboxModule {}
