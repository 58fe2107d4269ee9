import { Inject } from '@nestjs/common';

/**
 * Where a library tells the user something worth knowing that is not an error (a weak backup was
 * kept, a setting is unsafe): the running command decides how it is shown (the CLI: a `Warning:` line
 * on stderr). Never a secret.
 */
export interface Notices {
  warn(message: string): void;
}

export const NOTICES = Symbol('NOTICES');
export const InjectNotices = (): ParameterDecorator => Inject(NOTICES);
