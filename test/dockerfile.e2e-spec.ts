import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The image cannot be built on the CI machine (no Docker engine), so its rules are checked here, on
 * the Dockerfile's text, against what CI really runs (.ci/run) and what the README tells users.
 */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions in order: comments dropped, `\` continuations joined. */
function parseDockerfile(text: string): Instruction[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return logical.map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

/** The instructions of each stage (split at FROM), the ARGs before the first FROM as stage -1. */
function stages(instructions: Instruction[]): { globals: Instruction[]; stages: Instruction[][] } {
  const result: Instruction[][] = [];
  const globals: Instruction[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') result.push([instruction]);
    else (result.at(-1) ?? globals).push(instruction);
  }
  return { globals, stages: result };
}

describe('Dockerfile', () => {
  const instructions = parseDockerfile(read('Dockerfile'));
  const {
    globals,
    stages: [build, runtime, ...more],
  } = stages(instructions);
  const ci = read('.ci/run');
  const args = (stage: Instruction[], keyword: string) =>
    stage.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);

  it('has two stages, both on one pinned Node.js slim image of the line CI tests on', () => {
    expect(more).toEqual([]);
    const image = /^NODE_IMAGE=(node:(\d+)\.\d+\.\d+-bookworm-slim)$/.exec(args(globals, 'ARG')[0] ?? '');
    expect(image).not.toBeNull();
    const ciMajor = /^NODE_MAJOR=(\d+)$/m.exec(ci)?.[1];
    expect(image![2]).toBe(ciMajor);
    const engines = JSON.parse(read('package.json')).engines.node as string;
    expect(Number(image![2])).toBeGreaterThanOrEqual(Number(/(\d+)/.exec(engines)![1]));
    expect(build[0].args).toBe('${NODE_IMAGE} AS build');
    expect(runtime[0].args).toBe('${NODE_IMAGE}');
  });

  it('installs exactly the committed lock, as CI does, and never with `npm install`', () => {
    const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.join('\n')).not.toMatch(/npm (install|i)\b/);
    const ciInstall = /^npm ci .*$/m.exec(ci)?.[0];
    expect(ciInstall).toBeDefined();
    expect(args(build, 'RUN')).toContain(ciInstall);
    expect(args(build, 'RUN')).toContain('npm run build');
    expect(args(runtime, 'RUN').some((run) => /^npm ci --omit=dev\b/.test(run))).toBe(true);
  });

  it('ships only the compiled app and production dependencies', () => {
    const copies = args(runtime, 'COPY');
    expect(copies).toContain('--from=build /app/dist ./dist');
    for (const copy of copies)
      expect(copy).toMatch(/^(package\.json package-lock\.json \.\/|--from=build \/app\/dist \.\/dist)$/);
    expect(args(runtime, 'ENV')).toContain('NODE_ENV=production');
    const ignored = read('.dockerignore').split('\n');
    for (const path of ['node_modules', 'dist', 'test', 'bench', '.git']) expect(ignored).toContain(path);
  });

  it('runs unprivileged under an init, stops on SIGTERM, keeps the wallet folder in a volume', () => {
    expect(args(runtime, 'USER')).toEqual(['node']);
    expect(args(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
    expect(args(runtime, 'RUN').join('\n')).toMatch(/apt-get install -y --no-install-recommends tini/);
    expect(JSON.parse(args(runtime, 'ENTRYPOINT')[0])).toEqual(['/usr/bin/tini', '--', 'node', 'dist/main']);
    expect(JSON.parse(args(runtime, 'CMD')[0])).toEqual(['daemon']);
    expect(JSON.parse(args(runtime, 'VOLUME')[0])).toEqual(['/home/node/.tatumrc']);
  });

  it('checks its health on /readyz with the compiled probe, which reads the metrics port', () => {
    const [check] = args(runtime, 'HEALTHCHECK');
    expect(check).toMatch(/^--interval=\d+s --timeout=\d+s --start-period=\d+s --retries=\d+ CMD /);
    const command = JSON.parse(check.replace(/^.* CMD /, '')) as string[];
    expect(command.slice(0, 1)).toEqual(['node']);
    // the probe is part of the compiled app the runtime stage copies
    expect(command[1]).toBe('dist/apps/kms/src/healthcheck.js');
    expect(read('apps/kms/src/healthcheck.ts')).toMatch(/TATUM_KMS_METRICS_PORT[\s\S]*\/readyz/);
    expect(read('README.md')).toMatch(/HEALTHCHECK[\s\S]{0,400}TATUM_KMS_METRICS_PORT/);
  });

  it('the README runs the image as the Dockerfile defines it', () => {
    const readme = read('README.md');
    const [volume] = JSON.parse(args(runtime, 'VOLUME')[0]) as string[];
    const runs = readme.match(/^docker run .*$/gm) ?? [];
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(run).toContain(`:${volume}`);
    expect(readme).toMatch(/^docker build -t kms \.$/m);
    expect(readme).toMatch(/docker stop -t 150/);
  });
});
