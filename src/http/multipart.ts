import type { Request, RequestHandler } from 'express';
import multer, { MulterError } from 'multer';
import type { AppConfig } from '../config/app-config';
import { AppError } from '../errors';
import { MIB, type Upload } from '../files/file-store';


/** The largest file the settings let a material take, in bytes. */
export const maxFileBytes = (config: AppConfig) => config.uploadMaxFileMb * MIB;

/**
 * Parses a multipart/form-data body with multer: files stay in memory, every limit is set (a file over
 * UPLOAD_MAX_FILE_MB is 413 before anything is stored), and names are read as UTF-8, since browsers send
 * 中文 names as raw UTF-8 bytes, which busboy would otherwise decode as latin1.
 */
export function multipartBody(config: AppConfig, options: { maxFiles: number; fields: number }): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: { fileSize: maxFileBytes(config), files: options.maxFiles, fields: options.fields, fieldSize: 64 * 1024, parts: options.maxFiles + options.fields, headerPairs: 100 },
  }).any();
  return (req, res, next) => parse(req, res, (err?: unknown) => next(err ? multipartError(err, config) : undefined));
}

function multipartError(err: unknown, config: AppConfig): AppError {
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') {
      return new AppError('PAYLOAD_TOO_LARGE', `文件 ${err.field ?? ''} 超过 ${config.uploadMaxFileMb} MiB，未保存 / File ${err.field ?? ''} is larger than ${config.uploadMaxFileMb} MiB; nothing was stored`, { field: err.field ?? null, maxBytes: maxFileBytes(config) });
    }
    if (err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_PART_COUNT' || err.code === 'LIMIT_FIELD_COUNT' || err.code === 'LIMIT_FIELD_VALUE') {
      return new AppError('PAYLOAD_TOO_LARGE', `表单的文件或字段过多或过大 / Too many or too large parts in the form (${err.code})`, { code: err.code });
    }
    return new AppError('VALIDATION_FAILED', `表单有误 / Malformed multipart form: ${err.message}`, [{ field: err.field ?? 'body', message: err.message }]);
  }
  // busboy's own parse errors (a truncated body, a bad part header) are the client's.
  return new AppError('VALIDATION_FAILED', `表单有误 / Malformed multipart form: ${(err as Error).message}`, [{ field: 'body', message: (err as Error).message }]);
}

/** The files multer read from the request, by field name and UTF-8 name. */
export function uploadsOf(req: Request): Upload[] {
  const files = (req.files as Express.Multer.File[] | undefined) ?? [];
  return files.map((f) => ({ field: f.fieldname, name: f.originalname, bytes: f.buffer }));
}

/** True when the request carries a multipart body. */
export const isMultipart = (req: Request) => req.is('multipart/form-data') === 'multipart/form-data';

/** A file part of an online submission names its material: `files[M01]`. */
export const ONLINE_FILE_FIELD = /^files\[([A-Za-z0-9_-]{1,32})\]$/;
// An online submission carries at most this many files; each material may take several.
const ONLINE_MAX_FILES = 50;

/**
 * The online submission as a form: the application, as JSON in the part `application`, becomes the body the route
 * validates as usual; the files stay on the request. A JSON request passes untouched.
 */
export function onlineForm(services: { config: AppConfig }, part = 'application'): RequestHandler {
  const parse = multipartBody(services.config, { maxFiles: ONLINE_MAX_FILES, fields: 1 });
  return (req, res, next) => {
    if (!isMultipart(req)) return next();
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      const stray = uploadsOf(req).find((u) => !ONLINE_FILE_FIELD.test(u.field));
      if (stray) return next(formError(stray.field, `文件字段名应为 files[材料编码] / A file part is named files[<material code>], not ${stray.field}`));
      const raw = (req.body as Record<string, unknown>)[part];
      if (typeof raw !== 'string') return next(formError(part, `缺少 ${part} 字段（JSON）/ The part ${part} (the submission as JSON) is missing`));
      try {
        req.body = JSON.parse(raw);
      } catch (e) {
        return next(formError(part, `${part} 不是合法 JSON / The part ${part} is not valid JSON: ${(e as Error).message}`));
      }
      next();
    });
  };
}

const formError = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field, message }]);

/** The files of an online submission, each with the material its part names. */
export const onlineUploads = (req: Request): { material: string; upload: Upload }[] =>
  uploadsOf(req).map((upload) => ({ material: ONLINE_FILE_FIELD.exec(upload.field)![1], upload }));
