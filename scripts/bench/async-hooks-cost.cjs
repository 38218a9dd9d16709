#!/usr/bin/env node
'use strict';
// What AsyncLocalStorage costs a grpc-js server per unary call (the reason src/common/session.ts hands the session
// down explicitly): a server process answering 2.3 kB echoes, with and without every handler run inside
// AsyncLocalStorage.run, its own CPU time per call measured over 5000 calls made 10 at a time, as Terraform does.
// Usage: node scripts/bench/async-hooks-cost.cjs
const grpc = require('@grpc/grpc-js');
const { AsyncLocalStorage } = require('node:async_hooks');
const { fork } = require('node:child_process');

const CALLS = 5000;
const WIDTH = 10;
const raw = (b) => b;
const service = {
  Echo: { path: '/bench.Bench/Echo', requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw },
};

function serve(withStorage) {
  const storage = new AsyncLocalStorage();
  const server = new grpc.Server({ 'grpc.enable_channelz': 0 });
  const handler = async (_call, callback) => {
    await null;
    callback(null, Buffer.alloc(2300, 1));
  };
  server.addService(service, { Echo: withStorage ? (call, callback) => storage.run({}, () => handler(call, callback)) : handler });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (_error, port) => process.send({ port }));
  let started;
  process.on('message', (message) => {
    if (message === 'start') started = process.cpuUsage();
    else {
      const used = process.cpuUsage(started);
      process.send({ cpuUs: used.user + used.system });
    }
  });
}

async function measure(mode) {
  const child = fork(__filename, ['--serve', mode]);
  const next = () => new Promise((resolve) => child.once('message', resolve));
  const { port } = await next();
  const client = new (grpc.makeGenericClientConstructor(service))(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = () => new Promise((resolve, reject) => client.Echo(Buffer.alloc(2300, 2), (e, r) => (e ? reject(e) : resolve(r))));
  const round = async (n) => {
    for (let i = 0; i < n / WIDTH; i++) await Promise.all(Array.from({ length: WIDTH }, call));
  };
  await round(2000); // JIT warm-up
  child.send('start');
  await round(CALLS);
  child.send('stop');
  const { cpuUs } = await next();
  client.close();
  child.kill();
  return cpuUs / CALLS;
}

if (process.argv[2] === '--serve') serve(process.argv[3] === 'storage');
else
  (async () => {
    const results = { plain: [], storage: [] };
    for (let i = 0; i < 3; i++) for (const mode of ['plain', 'storage']) results[mode].push(await measure(mode));
    const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
    const [plain, storage] = [median(results.plain), median(results.storage)];
    console.log(`server CPU per call: ${plain.toFixed(0)} µs plain, ${storage.toFixed(0)} µs in AsyncLocalStorage.run (+${((storage / plain - 1) * 100).toFixed(0)} %)`);
  })();
