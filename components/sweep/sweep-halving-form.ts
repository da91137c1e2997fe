// The settings form's part for successive halving: η and the minimum budget (each with its error
// beside it, through the form's numberField), and the plan in words. Apart from
// sp-sweep-settings.ts to keep that file readable; it renders inside the form's grid.
import { html, nothing, type TemplateResult } from 'lit';
import { SWEEP_LIMITS, type SweepConfig } from '../../src/config/sweep.ts';
import { EXPERIMENT_LIMITS } from '../../src/config/experiment.ts';
import { halvingPlan, sweepProblem } from './sweep-checks.ts';

/** The form's number field: id (also the test id), label, value, the ConfigError field it shows, and its change handler. */
export type NumberField = (
  id: string,
  label: string,
  value: number,
  field: string,
  onChange: (v: number) => void,
  attrs?: { min?: number; max?: number },
) => TemplateResult;

/** η and minimum epochs a sweep gets when a person picks successive halving: three rungs of the experiment's epochs when it has 9 or more. */
export function halvingStart(epochs: number): Pick<SweepConfig, 'eta' | 'minEpochs'> {
  return { eta: 3, minEpochs: Math.max(1, Math.min(epochs - 1, Math.round(epochs / 9))) };
}

/** The plan in words: "rungs 3 → 9 → 27 epochs (27, 9, 3 configurations), 189 of 729 model-epochs". */
export function planText(sweep: SweepConfig, epochs: number): string | null {
  // A plan of settings the form refuses (η 17) would say what will never run.
  const plan = sweepProblem(sweep) ? null : halvingPlan(sweep, epochs);
  if (!plan || 'message' in plan) return null;
  const n = (v: number) => v.toLocaleString('en');
  return `rungs ${plan.rungs.map((r) => r.epochs).join(' → ')} epochs (${plan.rungs.map((r) => r.configurations).join(', ')} configurations), ${n(plan.planned)} of ${n(plan.full)} model-epochs (${Math.round((100 * plan.planned) / plan.full)}% of the full grid)`;
}

/** η, the minimum budget and the plan, for a sweep of mode halving; nothing for another mode. */
export function halvingFields(sweep: SweepConfig, epochs: number, field: NumberField, edit: (patch: Partial<SweepConfig>) => void) {
  if (sweep.mode !== 'halving') return nothing;
  const plan = planText(sweep, epochs);
  return html`${field('sweep-eta', `η: keep the best 1/η at each rung (2–${SWEEP_LIMITS.maxEta})`, sweep.eta ?? NaN, 'sweep.eta', (v) => edit({ eta: v }), {
      min: 2,
      max: SWEEP_LIMITS.maxEta,
    })}
    ${field(
      'sweep-min-epochs',
      `Minimum budget (epochs before the first cut; the experiment trains ${epochs})`,
      sweep.minEpochs ?? NaN,
      'sweep.minEpochs',
      (v) => edit({ minEpochs: v }),
      {
        min: 1,
        max: Math.min(EXPERIMENT_LIMITS.maxEpochs, Math.max(1, epochs - 1)),
      },
    )}
    <span>Plan</span>
    <div class="field">
      <span data-testid="sweep-halving-plan" aria-live="polite">${plan ?? 'no plan until the settings above are valid'}</span>
    </div>`;
}
