import Joi from 'joi';
import path from 'node:path';

/** Every setting of the service: a default, the environment variable it comes from, and what it does. */
const SETTINGS = {
  port: { env: 'PORT', schema: Joi.number().integer().min(0).max(65535).default(3000), doc: 'HTTP port (0 picks a free one).' },
  host: { env: 'HOST', schema: Joi.string().default('127.0.0.1'), doc: 'Address the HTTP server binds to.' },
  mongodbUri: { env: 'MONGODB_URI', schema: Joi.string().uri({ scheme: ['mongodb', 'mongodb+srv'] }).allow(''), doc: 'MongoDB connection string; empty starts the embedded default store.' },
  dbName: { env: 'DB_NAME', schema: Joi.string().pattern(/^[A-Za-z0-9_-]+$/).default('permit_engine'), doc: 'Database name.' },
  storeTimeoutMs: {
    env: 'STORE_TIMEOUT_MS',
    schema: Joi.number().integer().min(200).max(60_000).default(2000),
    doc: 'How long a request waits to reach the store before it answers 503 STORE_UNAVAILABLE (server selection and connect; a running command may take 4 times as long).',
  },
  dataDir: { env: 'DATA_DIR', schema: Joi.string().default('.data'), doc: 'Folder for the embedded store, the local mail and SMS folders and (without S3_BUCKET) the files folder.' },
  configDir: { env: 'CONFIG_DIR', schema: Joi.string().default('config'), doc: 'Folder with the catalog, jurisdictions and calendars.' },
  tokenSecret: { env: 'TOKEN_SECRET', schema: Joi.string().min(32).allow(''), doc: 'Secret that signs login tokens; empty keeps a generated one in the store.' },
  tokenTtlMinutes: { env: 'TOKEN_TTL_MINUTES', schema: Joi.number().integer().min(1).default(480), doc: 'How long a login token is valid.' },
  assignment: { env: 'ASSIGNMENT', schema: Joi.string().valid('chief', 'round_robin').default('chief'), doc: '分办 of review-chain items: the chief assigns each accepted case (chief), or the routed body\'s active reviewers get them in turn (round_robin); the chief may reassign either way.' },
  demoAccounts: { env: 'DEMO_ACCOUNTS', schema: Joi.string().valid('auto', 'on', 'off').default('auto'), doc: 'Create the demo staff accounts: auto = only on the embedded store.' },
  uploadMaxFileMb: { env: 'UPLOAD_MAX_FILE_MB', schema: Joi.number().integer().min(1).max(1024).default(20), doc: 'Largest file a material takes, in MiB; a larger upload is refused with 413 and nothing is stored.' },
  uploadMaxApplicationMb: {
    env: 'UPLOAD_MAX_APPLICATION_MB',
    schema: Joi.number().integer().min(1).max(100_000).default(200),
    doc: 'Most file bytes one application holds, all materials and versions together, in MiB; an upload past it is refused with 413.',
  },
  s3Bucket: { env: 'S3_BUCKET', schema: Joi.string().pattern(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/).allow(''), doc: 'S3 bucket that keeps file bytes; empty keeps them in <DATA_DIR>/files.' },
  s3Endpoint: { env: 'S3_ENDPOINT', schema: Joi.string().uri({ scheme: ['http', 'https'] }).allow(''), doc: 'Endpoint of an S3-compatible object store (e.g. http://127.0.0.1:9000); empty uses the AWS endpoint of S3_REGION.' },
  s3Region: { env: 'S3_REGION', schema: Joi.string().pattern(/^[a-z0-9-]{2,40}$/).default('us-east-1'), doc: 'Region of the S3 bucket.' },
  s3AccessKeyId: { env: 'S3_ACCESS_KEY_ID', schema: Joi.string().allow(''), doc: 'S3 access key; empty uses the AWS SDK\'s default credential chain.' },
  s3SecretAccessKey: { env: 'S3_SECRET_ACCESS_KEY', schema: Joi.string().allow(''), doc: 'S3 secret key, with S3_ACCESS_KEY_ID.' },
  s3ForcePathStyle: { env: 'S3_FORCE_PATH_STYLE', schema: Joi.boolean().truthy('on').falsy('off').default(false), doc: 'Address the bucket in the path (http://host/bucket/key), as most S3-compatible servers need.' },
  smtpUrl: { env: 'SMTP_URL', schema: Joi.string().allow(''), doc: 'Nodemailer connection URL, e.g. smtp://127.0.0.1:2525; empty writes mails to <DATA_DIR>/mail.' },
  mailFrom: { env: 'MAIL_FROM', schema: Joi.string().default('应急管理局政务服务 <no-reply@permit-engine.local>'), doc: 'Sender of notices and reminders.' },
  smsGatewayUrl: {
    env: 'SMS_GATEWAY_URL',
    schema: Joi.string().uri({ scheme: ['http', 'https'] }).allow(''),
    doc: 'HTTP endpoint of the SMS platform: each SMS is one JSON POST (README: SMS), 2xx meaning accepted; empty writes SMS to <DATA_DIR>/sms.',
  },
  smsGatewayToken: { env: 'SMS_GATEWAY_TOKEN', schema: Joi.string().allow(''), doc: 'Bearer token sent to SMS_GATEWAY_URL; empty sends none.' },
  evaluationAtAcceptance: { env: 'EVALUATION_AT_ACCEPTANCE', schema: Joi.boolean().truthy('on').falsy('off').default(false), doc: '好差评: also invite the applicant to rate the service once the application is accepted (受理), beside the invitation after completion (办结).' },
  evaluationWindowDays: { env: 'EVALUATION_WINDOW_DAYS', schema: Joi.number().integer().min(1).max(365).default(15), doc: '好差评: calendar days after the invitation during which the applicant may rate; later it counts as not rated (never as a rating).' },
  rectificationDays: { env: 'RECTIFICATION_DAYS', schema: Joi.number().integer().min(1).max(60).default(5), doc: '整改: working days the responsible office has to reply to a 不满意/非常不满意 rating and call the applicant back.' },
  rectificationWarningDays: { env: 'RECTIFICATION_WARNING_DAYS', schema: Joi.number().integer().min(0).max(30).default(1), doc: '整改: the task shows yellow from this many working days before its deadline, red once overdue.' },
  scheduler: { env: 'SCHEDULER', schema: Joi.boolean().truthy('on').falsy('off').default(true), doc: 'Run the timer and reminder schedules in this process.' },
  timerCron: { env: 'TIMER_CRON', schema: Joi.string().default('*/30 * * * * *'), doc: 'node-cron expression of the timer tick (fires due legal deadlines).' },
  reminderCron: { env: 'REMINDER_CRON', schema: Joi.string().default('0 0 * * * *'), doc: 'node-cron expression of the expiry reminder run (整点预报).' },
  reminderRetryCron: { env: 'REMINDER_RETRY_CRON', schema: Joi.string().default('30 */5 * * * *'), doc: 'node-cron expression of the retry run for reminder mails that failed (each waits out its backoff).' },
  timeZone: { env: 'TIME_ZONE', schema: Joi.string().default('Asia/Shanghai'), doc: 'Time zone of the schedules and of dates people read.' },
  loginRateLimit: { env: 'LOGIN_RATE_LIMIT', schema: Joi.number().integer().min(1).default(10), doc: 'Sign-in attempts per minute per address and username.' },
  publicRateLimit: { env: 'PUBLIC_RATE_LIMIT', schema: Joi.number().integer().min(1).default(60), doc: 'Public lookups and online submissions per minute per address.' },
  trustProxy: {
    env: 'TRUST_PROXY',
    schema: Joi.string().pattern(/^[0-9A-Za-z.:/, ]+$/).allow(''),
    doc: 'Reverse proxies whose X-Forwarded-For is believed (Express "trust proxy": a hop count, or addresses/subnets such as loopback, 10.0.0.0/8); empty trusts none.',
  },
  metricsToken: { env: 'METRICS_TOKEN', schema: Joi.string().min(16).allow(''), doc: 'Bearer token /metrics requires; empty leaves it open (it binds with HOST, 127.0.0.1 by default).' },
  publicUrl: {
    env: 'PUBLIC_URL',
    schema: Joi.string().uri({ scheme: ['http', 'https'] }).allow(''),
    doc: 'Address the public reaches the service at, printed in the certificate\'s QR code (its verification link); empty: http://HOST:PORT.',
  },
  logLevel: { env: 'LOG_LEVEL', schema: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'), doc: 'Log level.' },
} as const;

export interface AppConfig {
  port: number;
  host: string;
  mongodbUri: string;
  dbName: string;
  storeTimeoutMs: number;
  dataDir: string;
  configDir: string;
  tokenSecret: string;
  tokenTtlMinutes: number;
  demoAccounts: 'auto' | 'on' | 'off';
  assignment: 'chief' | 'round_robin';
  uploadMaxFileMb: number;
  uploadMaxApplicationMb: number;
  s3Bucket: string;
  s3Endpoint: string;
  s3Region: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
  s3ForcePathStyle: boolean;
  smtpUrl: string;
  mailFrom: string;
  smsGatewayUrl: string;
  smsGatewayToken: string;
  evaluationAtAcceptance: boolean;
  evaluationWindowDays: number;
  rectificationDays: number;
  rectificationWarningDays: number;
  scheduler: boolean;
  timerCron: string;
  reminderCron: string;
  reminderRetryCron: string;
  timeZone: string;
  loginRateLimit: number;
  publicRateLimit: number;
  trustProxy: string;
  metricsToken: string;
  publicUrl: string;
  logLevel: string;
}

/** Reads the configuration from the environment; an invalid value stops the start, naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const raw = key in overrides ? overrides[key as keyof AppConfig] : env[setting.env];
    const { value, error } = (setting.schema as Joi.Schema).validate(raw === undefined ? undefined : raw);
    if (error) throw new Error(`Invalid configuration ${setting.env}: ${error.message.replace('"value"', 'value')}`);
    out[key] = value ?? '';
  }
  const config = out as unknown as AppConfig;
  return { ...config, dataDir: path.resolve(config.dataDir), configDir: path.resolve(config.configDir) };
}

/** The configuration reference, for the README and `--help`. */
export function describeSettings(): { env: string; doc: string; default: unknown }[] {
  return Object.values(SETTINGS).map((s) => ({ env: s.env, doc: s.doc, default: ((s.schema as Joi.Schema).describe().flags as { default?: unknown } | undefined)?.default }));
}
