// The apps `npm start` runs, under pm2 (a maintained supervisor): an app that exits for any reason, a crash we
// did not foresee included, is started again with a growing delay, and its output is kept in one log file.
// scripts/start.sh starts them with PM2_HOME inside the checkout's state folder, so two checkouts never share
// a daemon. CommonJS: pm2 loads its ecosystem file with require().
//
// Read from the environment start.sh prepares: CARHEALTH_STATE (logs), SMTP_PORT and CARHEALTH_MAIL_DIR (the
// mail sink), CARHEALTH_SIMULATOR_ARGS (the demo fleet's arguments, a JSON array). Every other variable
// (DATABASE_URL, JWT_SECRET, ...) reaches the apps because pm2 passes the environment it is started from.
const path = require('node:path');
const { app: supervised } = require('./pm2-app.cjs');

const state = process.env.CARHEALTH_STATE;
if (!state) throw new Error('CARHEALTH_STATE is not set: start the apps with `npm start`');
const logs = path.join(state, 'logs');
const app = (name, script, extra) => supervised(logs, name, script, extra);

module.exports = {
  apps: [
    app('mail-sink', 'dist/apps/mail-sink/src/main.js', {
      args: ['--port', process.env.SMTP_PORT || '2525', '--dir', process.env.CARHEALTH_MAIL_DIR || path.join(state, 'mail')],
      kill_timeout: 5_000,
    }),
    app('api', 'dist/apps/api/src/main.js'),
    app('ingestion', 'dist/apps/ingestion/src/main.js'),
    app('worker', 'dist/apps/worker/src/main.js'),
    app('simulator', 'dist/apps/simulator/src/main.js', {
      args: JSON.parse(process.env.CARHEALTH_SIMULATOR_ARGS || '[]'),
      kill_timeout: 5_000,
    }),
  ],
};
