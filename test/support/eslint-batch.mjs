// One ESLint process for a spec's lint work (ESLint's own start-up is most of a small lint's cost).
// stdin: {"texts": [{"filePath", "code"}], "patterns": ["glob", ...]}; stdout: {"texts": [messages per
// text], "files": [{"filePath", "messages"}]} with each message's ruleId, message and line. Paths are
// relative to the working directory, whose eslint.config.mjs applies.
import { ESLint } from 'eslint';

const input = JSON.parse(await new Response(process.stdin).text());
const eslint = new ESLint({ cwd: process.cwd() });
const brief = (messages) => messages.map(({ ruleId, message, line }) => ({ ruleId, message, line }));
const texts = [];
for (const { filePath, code } of input.texts ?? []) {
  const [result] = await eslint.lintText(code, { filePath });
  texts.push(brief(result.messages));
}
const files = (input.patterns?.length ? await eslint.lintFiles(input.patterns) : [])
  .filter((result) => result.messages.length > 0)
  .map((result) => ({ filePath: result.filePath, messages: brief(result.messages) }));
process.stdout.write(JSON.stringify({ texts, files }));
