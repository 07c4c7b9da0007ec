/**
 * Child process of `npm run bench`: the baseline of the status lookup, a bare Express handler doing the
 * raw reads that find an application by its number with the driver: the number's entry, then the document,
 * both by `_id` (a filter on `applicationNo` would scan every application on FerretDB). Reports its URL over IPC.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import mongoose from 'mongoose';
import { serveUntilParentLeaves } from './serve-child';

const client = new mongoose.mongo.MongoClient(process.env.MONGODB_URI!);
await client.connect();
const db = client.db(process.env.DB_NAME);
const applications = db.collection('applications');
const numbers = db.collection<{ _id: string; applicationId: string }>('application_numbers');

const app = express();
app.get('/status', async (req, res) => {
  const entry = await numbers.findOne({ _id: String(req.query.applicationNo) });
  const doc = entry && (await applications.findOne({ _id: entry.applicationId as never }));
  if (!doc) return void res.status(404).json({ error: 'not found' });
  res.json({ applicationNo: doc.applicationNo, status: doc.status, state: doc.state, version: doc.version });
});
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
serveUntilParentLeaves(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, async () => {
  await new Promise((resolve) => server.close(resolve));
  await client.close();
});
