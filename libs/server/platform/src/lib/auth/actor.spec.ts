import { Role } from '@dxtrain/shared/contracts';
import { Actor } from './actor';

const P = '/p/';
const D1 = '/p/d1/';
const C1 = '/p/d1/c1/';
const D10 = '/p/d10/';

describe('Actor scope', () => {
  it('covers a unit and its whole subtree, for the granted role only', () => {
    const manager = new Actor('u', 'm', null, [{ role: Role.UnitManager, orgUnitId: 'd1', path: D1 }]);
    expect(manager.covers(D1, [Role.UnitManager])).toBe(true);
    expect(manager.covers(C1, [Role.UnitManager])).toBe(true);
    expect(manager.covers(P, [Role.UnitManager])).toBe(false);
    expect(manager.covers(C1, [Role.Admin])).toBe(false);
  });

  it('does not mistake a sibling whose id starts the same for a descendant', () => {
    const manager = new Actor('u', 'm', null, [{ role: Role.UnitManager, orgUnitId: 'd1', path: '/p/d1/' }]);
    expect(manager.covers(D10, [Role.UnitManager])).toBe(false);
  });

  it('folds nested grants into the top paths, per role set', () => {
    const actor = new Actor('u', 'a', null, [
      { role: Role.Hr, orgUnitId: 'c1', path: C1 },
      { role: Role.Organiser, orgUnitId: 'd1', path: D1 },
      { role: Role.Learner, orgUnitId: 'p', path: P },
      { role: Role.Hr, orgUnitId: 'd10', path: D10 },
    ]);
    expect(actor.scopePaths([Role.Hr, Role.Organiser])).toEqual([D1, D10]);
    expect(actor.scopePaths([Role.Hr])).toEqual([C1, D10]);
    expect(actor.scopePaths([Role.Admin])).toEqual([]);
    expect(actor.hasRole(Role.Learner)).toBe(true);
    expect(actor.hasRole(Role.Admin, Role.UnitManager)).toBe(false);
  });
});
