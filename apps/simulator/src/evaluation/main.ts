import { obdDataDir } from '#app/config';
import { InvalidArgumentError } from '../cli/invalid-argument.error.js';
import { EVALUATION_USAGE, parseEvaluationOptions } from './evaluation-options.js';
import { runMaintenanceEvaluation } from './maintenance-evaluation.runner.js';

// npm run eval:maintenance -- --seed 7 --vehicles 120 (add --vins EVAL0007000000039 to replay one car of it). Progress goes to stderr; stdout is the report
// and, as its very last line, one JSON object for scripts.
async function main(): Promise<void> {
  let options;
  try {
    options = parseEvaluationOptions(process.argv.slice(2), obdDataDir());
  } catch (error) {
    if (!(error instanceof InvalidArgumentError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`${error.message}\n${EVALUATION_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  let outcome;
  try {
    outcome = await runMaintenanceEvaluation(options, (message) => process.stderr.write(`${message}\n`));
  } catch (error) {
    // A --vins name that is not in the plan: known only once the fleet is planned.
    if (!(error instanceof InvalidArgumentError)) throw error;
    process.stderr.write(`${error.message}\n${EVALUATION_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`evaluation took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  process.stdout.write(outcome.output);
}

await main();
