// Tiny --flag value parser shared by tools/scripts/seed-synthetic.mjs and tools/bench/subtree.mjs:
// unknown flags or bad values print a clear message and the usage, and exit with status 2.

/** Parses `--name value` / `--name=value` pairs according to `spec` (name → converter). */
export function parseArgs(argv, spec, { program, usage }) {
  const fail = (message) => {
    console.error(`${program}: ${message}\n${usage}`);
    process.exit(2);
  };
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      console.log(usage);
      process.exit(0);
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(flag);
    if (!m || !(m[1] in spec)) fail(`unknown argument "${flag}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || (m[2] === undefined && value.startsWith('--'))) fail(`--${m[1]} needs a value`);
    const parsed = spec[m[1]](value);
    if (parsed.error) fail(`--${m[1]} ${parsed.error}, got "${value}"`);
    out[m[1]] = parsed.value;
  }
  return { args: out, fail };
}

/** A positive integer up to `max` (underscores allowed as digit separators: 500_000). */
export const positiveInt = (max) => (value) => {
  const v = value.replace(/_/g, '');
  return /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= max ? { value: Number(v) } : { error: `must be a positive integer up to ${max}` };
};

/** A postgres:// URL naming a database. */
export const postgresUrl = (value) => {
  try {
    const u = new URL(value);
    if (/^postgres(ql)?:$/.test(u.protocol) && u.pathname.length > 1) return { value };
  } catch {
    // fall through
  }
  return { error: 'must be a postgres:// URL with a database name' };
};

/** The URL without its password, for printing. */
export function redact(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** Runs tools/bench/load-synthetic.ts under ts-node (as tools/scripts/typeorm.mjs runs TypeORM) and returns its RESULT. */
export async function loadSynthetic({ databaseUrl, people, units, provinces, quiet = false }) {
  const { spawn } = await import('node:child_process');
  const argv = [
    '-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'tools/bench/load-synthetic.ts',
    '--database-url', databaseUrl, '--people', String(people), '--units', String(units),
    ...(provinces ? ['--provinces', String(provinces)] : []),
    ...(quiet ? ['--quiet'] : []),
  ];
  const env = { ...process.env, TS_NODE_PROJECT: 'tools/tsconfig.tools.json', TS_NODE_TRANSPILE_ONLY: 'true' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'], env });
    let result = null;
    let buffer = '';
    const onLine = (line) => {
      if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7));
      else if (line) console.log(line);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      lines.forEach(onLine);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      onLine(buffer);
      if (code === 0 && result) resolve(result);
      else reject(new Error(`loading synthetic data failed (exit ${code})`));
    });
  });
}
