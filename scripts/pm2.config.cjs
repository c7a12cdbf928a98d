// The apps `npm start` runs, under pm2 (a maintained supervisor): an app that exits for any reason, a crash we
// did not foresee included, is started again with a growing delay, and its output is kept in one log file.
// scripts/start.sh starts them with PM2_HOME inside the checkout's state folder, so two checkouts never share
// a daemon. CommonJS: pm2 loads its ecosystem file with require().
//
// Read from the environment start.sh prepares: CARHEALTH_STATE (logs), SMTP_PORT and CARHEALTH_MAIL_DIR (the
// mail sink), CARHEALTH_SIMULATOR_ARGS (the demo fleet's arguments, a JSON array). Every other variable
// (DATABASE_URL, JWT_SECRET, ...) reaches the apps because pm2 passes the environment it is started from.
const path = require('node:path');

const state = process.env.CARHEALTH_STATE;
if (!state) throw new Error('CARHEALTH_STATE is not set: start the apps with `npm start`');
const logs = path.join(state, 'logs');
const root = path.join(__dirname, '..');

/** Settings every app shares; one file per app for stdout and stderr together (as before pm2). */
function app(name, script, extra = {}) {
  const log = path.join(logs, `${name}.log`);
  return {
    name,
    script: path.join(root, script),
    cwd: root,
    exec_mode: 'fork',
    autorestart: true,
    // 100 ms after the first crash, then x1.5 each time up to pm2's ceiling of 15 s; reset once the app has
    // stayed up for 30 s. A crash loop (say, the database down at start) then costs little and heals by itself.
    exp_backoff_restart_delay: 100,
    // Never give up: with the backoff above an app that cannot start retries every 15 s until it can,
    // rather than pm2 leaving it stopped after 16 quick failures (its default).
    max_restarts: 1_000_000,
    // Our apps shut down cleanly on SIGTERM (ingestion commits and acknowledges what it holds): give them the
    // time compose gives them before pm2 sends SIGKILL.
    kill_signal: 'SIGTERM',
    kill_timeout: 30_000,
    out_file: log,
    error_file: log,
    log_date_format: 'YYYY-MM-DDTHH:mm:ss.SSSZ',
    env: { NO_COLOR: '1' },
    ...extra,
  };
}

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
