import Joi from 'joi';
import { PRINTABLE_TEXT } from '../../domain/printable-text';
import { STAFF_ROLES } from '../../auth/tokens';
import { createStaff, publicAccount, updateStaff, type NewStaff } from '../../use-cases/manage-staff';
import { E404, arr, error, json, obj, ref } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';
import { USERNAME } from '../validate';

const role = Joi.string().valid(...STAFF_ROLES);
// 科室: one of the catalog's departments (checked against the catalog when saved).
const DEPARTMENT = Joi.string().trim().min(1).max(100).pattern(PRINTABLE_TEXT, 'printable text').description('科室 / the section: a department of the catalog; a chief with one sees only its cases');
const createSchema = Joi.object<NewStaff, true>({
  username: USERNAME.required(),
  name: Joi.string().trim().min(1).max(100).pattern(PRINTABLE_TEXT, 'printable text').required(),
  role: role.required(),
  jurisdiction: Joi.string().pattern(/^\d{6}$/).required(),
  department: DEPARTMENT,
  password: Joi.string().min(8).max(256).required(),
});
const updateSchema = Joi.object<Parameters<typeof updateStaff>[2]>({
  name: Joi.string().trim().min(1).max(100).pattern(PRINTABLE_TEXT, 'printable text'),
  role,
  jurisdiction: Joi.string().pattern(/^\d{6}$/),
  department: DEPARTMENT,
  password: Joi.string().min(8).max(256),
  active: Joi.boolean(),
}).min(1).description('At least one field');
const byUsername = Joi.object<{ username: string }>({ username: Joi.string().required().description('Username') });

/** Staff accounts, managed by admins. */
export const staffRoutes: RouteGroup = {
  base: '/staff',
  tag: 'staff',
  routes: [
    defineRoute({
      method: 'get',
      path: '/',
      summary: '工作人员账号 / Staff accounts (admin)',
      auth: ['admin'],
      responses: { 200: json(obj({ items: arr(ref('StaffAccount')) })) },
      handler: async ({ services, res }) => {
        res.json({ items: (await services.staff.list()).map(publicAccount) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/',
      summary: '新建账号 / Create a staff account (admin)',
      auth: ['admin'],
      body: { name: 'NewStaffAccount', what: 'staff account', schema: createSchema, example: { username: 'clerk-zhifu', name: '李娜', role: 'clerk', jurisdiction: '370600', password: 'long-enough-password' } },
      responses: { 201: json(ref('StaffAccount'), 'Created'), 409: error('用户名已存在 / DUPLICATE') },
      handler: async ({ services, res, body }) => {
        res.status(201).json(await createStaff(services, body));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/:username',
      summary: '修改账号 / Change a staff account (admin)',
      auth: ['admin'],
      params: byUsername,
      body: { name: 'StaffAccountChange', what: 'staff account', schema: updateSchema, example: { name: '张伟' } },
      responses: { 200: json(ref('StaffAccount')), 404: E404 },
      handler: async ({ services, res, params, body }) => {
        res.json(await updateStaff(services, params.username, body));
      },
    }),
  ],
};
