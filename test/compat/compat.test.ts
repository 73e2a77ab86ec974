// The compatibility suite: every scenario in test/compat/scenarios/ runs against the real Courier
// (compared with its recorded expectation in test/compat/expected/) and against courier-ts (compared
// with Courier's fresh result, or the recording when Courier cannot run here). Intentional differences
// are listed in the scenario with their reasons. A server that is not built yet is skipped, not passed.
//
// COMPAT_RECORD=1 rewrites the expectations from the real Courier. COMPAT_ONLY=name runs one scenario.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { courierAvailability } from '../support/courier.js';
import { expectedDir, scenariosDir } from '../support/paths.js';
import { compareLines } from './compare.js';
import {
  CourierPool,
  formatExpected,
  parseExpected,
  resultLines,
  runOnCourier,
  runOnOurs,
  type ScenarioResult,
} from './harness.js';
import { loadScenario } from './scenario.js';

const pool = new CourierPool();
after(() => pool.stopAll());

const only = process.env.COMPAT_ONLY;
const files = readdirSync(scenariosDir)
  .filter((f) => f.endsWith('.scenario'))
  .filter((f) => !only || f === `${only}.scenario`)
  .sort();

for (const file of files) {
  const scenario = loadScenario(join(scenariosDir, file));
  const expectedFile = join(expectedDir, `${scenario.name}.txt`);
  let courierResult: ScenarioResult | undefined;

  describe(`compat ${scenario.name} (${scenario.protocol}, ${scenario.transport})`, () => {
    test('real Courier matches the recorded expectation', async (t) => {
      const avail = courierAvailability(scenario.transport === 'network');
      if (!avail.ok) {
        t.skip(`real Courier unavailable: ${avail.reason}`);
        return;
      }
      courierResult = await runOnCourier(scenario, pool);
      const actual = resultLines(courierResult);
      if (process.env.COMPAT_RECORD === '1') {
        writeFileSync(expectedFile, formatExpected(scenario, courierResult));
        t.diagnostic(`recorded ${expectedFile}`);
        return;
      }
      assert.ok(
        existsSync(expectedFile),
        `no recorded expectation ${expectedFile}; record it with COMPAT_RECORD=1`,
      );
      const cmp = compareLines(
        parseExpected(readFileSync(expectedFile, 'utf8')),
        actual,
        [],
        ['recorded', 'courier'],
      );
      assert.ok(
        cmp.equal,
        `real Courier differs from ${expectedFile}:\n${cmp.diff}\n\nCourier log:\n${courierResult.log}`,
      );
    });

    test('courier-ts matches Courier', async (t) => {
      const ours = await runOnOurs(scenario);
      if ('status' in ours) {
        t.skip(`courier-ts server missing: ${ours.reason}`);
        return;
      }
      let reference: string[];
      let label: string;
      if (courierResult) {
        reference = resultLines(courierResult);
        label = 'courier';
      } else {
        assert.ok(existsSync(expectedFile), `no Courier result and no recorded expectation ${expectedFile}`);
        reference = parseExpected(readFileSync(expectedFile, 'utf8'));
        label = 'courier (recorded)';
      }
      const cmp = compareLines(reference, resultLines(ours), scenario.deviations, [label, 'courier-ts']);
      for (const a of cmp.applied)
        t.diagnostic(`deviation /${a.deviation.pattern.source}/ (${a.deviation.reason}): ${a.lines} line(s)`);
      assert.ok(cmp.equal, `courier-ts differs from Courier:\n${cmp.diff}\n\ncourier-ts log:\n${ours.log}`);
      assert.deepEqual(
        cmp.unusedDeviations.map((d) => d.pattern.source),
        [],
        'deviations that no longer match anything: remove them from the scenario',
      );
    });
  });
}
