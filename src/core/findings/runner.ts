/** A memoizing headless runner: findings share scenarios (the same baseline serves many checks). */
import { mustResolve } from '../resolve-scenario';
import type { ScenarioInput } from '../scenario-types';
import { simulate } from '../simulate';
import type { Runner } from './finding';

export function runner(): Runner {
  const memo = new Map<string, ReturnType<Runner>>();
  return (input: ScenarioInput) => {
    const key = JSON.stringify(input);
    let m = memo.get(key);
    if (!m) memo.set(key, (m = simulate(mustResolve(input), { trace: false }).metrics));
    return m;
  };
}
