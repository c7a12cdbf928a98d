// One app under pm2 as `npm start` and `npm run cluster` run them (scripts/pm2.config.cjs,
// scripts/pm2.cluster.config.cjs): restarted with a growing delay whatever made it exit, its output in one log file.
const path = require('node:path');

const root = path.join(__dirname, '..');

/** Settings every app shares; one file per app for stdout and stderr together (as before pm2). */
function app(logs, name, script, extra = {}) {
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
    ...extra,
    env: { NO_COLOR: '1', ...extra.env },
  };
}

module.exports = { app };
