/**
 * Child process of `npm run bench`: the baseline of the status lookup, a bare Express handler doing
 * one findOne by application number on the same collection with the driver. Reports its URL over IPC.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import mongoose from 'mongoose';
import { serveUntilParentLeaves } from './serve-child';

const client = new mongoose.mongo.MongoClient(process.env.MONGODB_URI!);
await client.connect();
const applications = client.db(process.env.DB_NAME).collection('applications');

const app = express();
app.get('/status', async (req, res) => {
  const doc = await applications.findOne({ applicationNo: String(req.query.applicationNo) });
  if (!doc) return void res.status(404).json({ error: 'not found' });
  res.json({ applicationNo: doc.applicationNo, status: doc.status, state: doc.state, version: doc.version });
});
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
serveUntilParentLeaves(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, async () => {
  await new Promise((resolve) => server.close(resolve));
  await client.close();
});
