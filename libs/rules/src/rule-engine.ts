import type { Finding, Rule, ScreeningContext } from './context';
import type { RulesConfig } from './rules-config';

/**
 * Runs every enabled rule on one enriched event and returns all findings: one event can raise
 * several alerts (a sanctioned counterparty in a restricted country over the threshold raises
 * three). Pure and synchronous; a rule that throws is a bug and the error propagates.
 */
export class RuleEngine {
  private readonly active: readonly Rule[];

  constructor(
    rules: Rule[],
    /** Public so that enrichment (e.g. `isStructuringCandidate`) uses the very same configuration. */
    readonly config: RulesConfig,
  ) {
    const seen = new Set<string>();
    for (const rule of rules) {
      if (seen.has(rule.id)) throw new Error(`rule ${rule.id} is registered twice`);
      seen.add(rule.id);
    }
    this.active = rules.filter((rule) => config.rules[rule.id].enabled);
  }

  evaluate(ctx: ScreeningContext): Finding[] {
    const findings: Finding[] = [];
    for (const rule of this.active) {
      const found = rule.evaluate(ctx, this.config);
      if (found !== null) findings.push(found);
    }
    return findings;
  }
}
