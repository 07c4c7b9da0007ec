import { parseArgs } from 'node:util';
import Joi from 'joi';
import { loadConfig } from '../src/config/app-config';
import { createLogger } from '../src/logger';
import { startRuntime } from '../src/runtime';
import { createStaff, publicAccount, updateStaff, type NewStaff } from '../src/use-cases/manage-staff';

const USAGE = `Usage (staff accounts; works before any account exists, e.g. the first admin on MONGODB_URI):
  npm run staff -- create --username <u> --name <name> --role <clerk|reviewer|province-reviewer|admin> --jurisdiction <6-digit code> --password <p>
  npm run staff -- list
  npm run staff -- update <username> [--name <n>] [--role <r>] [--jurisdiction <code>] [--password <p>] [--active true|false]`;

const roles = ['clerk', 'reviewer', 'province-reviewer', 'admin'];
const createSchema = Joi.object({
  username: Joi.string().pattern(/^[a-z0-9._-]{2,40}$/).required(),
  name: Joi.string().min(1).max(100).required(),
  role: Joi.string().valid(...roles).required(),
  jurisdiction: Joi.string().pattern(/^\d{6}$/).required(),
  password: Joi.string().min(8).required(),
});

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' },
      jurisdiction: { type: 'string' }, password: { type: 'string' }, active: { type: 'string' },
    },
  });
  const [command, target] = positionals;
  if (!['create', 'list', 'update'].includes(command ?? '')) throw new Error(USAGE);
  const config = loadConfig();
  const runtime = await startRuntime(config, { http: false, scheduler: false, log: createLogger('warn') });
  try {
    const { services } = runtime;
    if (command === 'list') {
      for (const a of (await services.staff.list()).map(publicAccount)) console.log(`${a.username}\t${a.role}\t${a.jurisdiction}\t${a.active ? 'active' : 'disabled'}\t${a.name}`);
    } else if (command === 'create') {
      const { value, error } = createSchema.validate(values, { allowUnknown: true });
      if (error) throw new Error(`${error.message}\n${USAGE}`);
      const account = await createStaff(services, value as NewStaff);
      console.log(`created ${account.username} (${account.role}, ${account.jurisdiction})`);
    } else {
      if (!target) throw new Error(USAGE);
      const changes = {
        ...(values.name && { name: values.name }),
        ...(values.role && { role: values.role as NewStaff['role'] }),
        ...(values.jurisdiction && { jurisdiction: values.jurisdiction }),
        ...(values.password && { password: values.password }),
        ...(values.active && { active: values.active === 'true' }),
      };
      const account = await updateStaff(services, target, changes);
      console.log(`updated ${account.username} (${account.role}, ${account.jurisdiction}, ${account.active ? 'active' : 'disabled'})`);
    }
  } finally {
    await runtime.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
