import type { HttpResponse } from './http-transport';
import { TatumApiError } from './tatum.errors';

/** A 2xx answer; its JSON is parsed on first use, and a parse failure is a malformed answer. */
export class ApiAnswer {
  private parsed?: { value: unknown };

  constructor(
    private readonly label: string,
    private readonly response: HttpResponse,
  ) {}

  get json(): unknown {
    if (!this.parsed) {
      try {
        this.parsed = { value: JSON.parse(this.response.body) };
      } catch {
        // No cause: the parser's message quotes the body.
        throw this.malformed('the body is not JSON');
      }
    }
    return this.parsed.value;
  }

  /** The answer as a JSON object, or a malformed-answer error. */
  object(): Record<string, unknown> {
    const value = this.json;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw this.malformed('the answer is not a JSON object');
    return value as Record<string, unknown>;
  }

  malformed(detail: string): TatumApiError {
    return new TatumApiError(
      this.label,
      'malformed-response',
      `HTTP ${this.response.status}: ${detail}`,
      this.response.status,
    );
  }
}
