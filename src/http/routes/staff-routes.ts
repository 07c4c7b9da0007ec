import { Router } from 'express';
import Joi from 'joi';
import { PRINTABLE_TEXT } from '../../domain/printable-text';
import type { Services } from '../../services';
import { createStaff, publicAccount, updateStaff, type NewStaff } from '../../use-cases/manage-staff';
import { staffWith } from '../authenticate';
import { USERNAME, validate } from '../validate';

const role = Joi.string().valid('clerk', 'reviewer', 'province-reviewer', 'admin');
const createSchema = Joi.object({
  username: USERNAME.required(),
  name: Joi.string().trim().min(1).max(100).pattern(PRINTABLE_TEXT, 'printable text').required(),
  role: role.required(),
  jurisdiction: Joi.string().pattern(/^\d{6}$/).required(),
  password: Joi.string().min(8).max(256).required(),
});
const updateSchema = Joi.object({
  name: Joi.string().trim().min(1).max(100).pattern(PRINTABLE_TEXT, 'printable text'),
  role,
  jurisdiction: Joi.string().pattern(/^\d{6}$/),
  password: Joi.string().min(8).max(256),
  active: Joi.boolean(),
}).min(1);

/** Staff accounts, managed by admins. */
export function staffRoutes(services: Services): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    staffWith(req, ['admin']);
    res.json({ items: (await services.staff.list()).map(publicAccount) });
  });
  router.post('/', async (req, res) => {
    staffWith(req, ['admin']);
    res.status(201).json(await createStaff(services, validate<NewStaff>(createSchema, req.body, 'staff account')));
  });
  router.patch('/:username', async (req, res) => {
    staffWith(req, ['admin']);
    res.json(await updateStaff(services, req.params.username, validate(updateSchema, req.body, 'staff account')));
  });
  return router;
}
