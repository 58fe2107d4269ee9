import { PromptCancelledError, type Prompter } from '@kms/common';
import { PasswordMismatchError, PromptPasswordSource } from './prompt-password.source';

/** A prompter answering from a list, on a terminal or not; it records the questions. */
function prompter(answers: Array<string | Error>, interactive: boolean) {
  const questions: string[] = [];
  const fake = {
    interactive,
    secret: async (question: string) => {
      questions.push(question);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer ?? '';
    },
  } as unknown as Prompter;
  return { fake, questions };
}

describe('PromptPasswordSource', () => {
  const isNew = async () => true;

  it('asks the password of a new store twice on a terminal, and returns it when both agree', async () => {
    const { fake, questions } = prompter(['pw-1', 'pw-1'], true);
    await expect(new PromptPasswordSource(fake, isNew).password()).resolves.toBe('pw-1');
    expect(questions).toEqual([
      'Enter password to access wallet store: ',
      'Repeat the password of the new wallet store: ',
    ]);
  });

  it('refuses two different answers with PASSWORD_MISMATCH, quoting neither', async () => {
    const { fake } = prompter(['pw-1', 'pw-2'], true);
    const error = await new PromptPasswordSource(fake, isNew).password().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PasswordMismatchError);
    expect((error as Error).message).not.toMatch(/pw-/);
  });

  it('asks once for an existing store, and once when answers are piped', async () => {
    const existing = prompter(['pw-1'], true);
    await expect(new PromptPasswordSource(existing.fake, async () => false).password()).resolves.toBe('pw-1');
    expect(existing.questions).toHaveLength(1);
    const piped = prompter(['pw-1'], false);
    const told = jest.fn(isNew);
    await expect(new PromptPasswordSource(piped.fake, told).password()).resolves.toBe('pw-1');
    expect(piped.questions).toHaveLength(1);
    expect(told).not.toHaveBeenCalled();
  });

  it('lets Ctrl-C at the second question through as PROMPT_CANCELLED', async () => {
    const cancelled = new PromptCancelledError('Repeat the password of the new wallet store: ');
    const { fake } = prompter(['pw-1', cancelled], true);
    await expect(new PromptPasswordSource(fake, isNew).password()).rejects.toMatchObject({
      code: 'PROMPT_CANCELLED',
    });
  });
});
