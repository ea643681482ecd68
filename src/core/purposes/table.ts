// Every plan purpose and its module: what is decided per purpose is looked up here, not switched on.
import type { Plan, PlanPurpose } from '../plan/types';
import { addRegion } from './addRegion';
import { changeDomains } from './changeDomains';
import { globalize } from './globalize';
import type { PurposeModule } from './purpose';

export const PURPOSES: Record<PlanPurpose, PurposeModule> = { globalize, addRegion, changeDomains };

/** The module of the plan's purpose. */
export function purposeOf(plan: Pick<Plan, 'purpose'>): PurposeModule {
  return PURPOSES[plan.purpose];
}
