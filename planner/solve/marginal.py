"""What one more session in one place adds to the objective, read from the model itself.

The warm start (warm_start.py) needs the cost of a placement given what is already placed. Rather than count the soft
terms again, it reads them off the built model: the objective's coefficient on the place's literal (seats short, day
shape, moves), plus, for each helper of `Variables.counted` the literal is among, how much the helper's value grows
(its weight times fn(n + 1) - fn(n), with n of its literals already true). A helper's weight is its own coefficient
plus that of every `Variables.summed` total it is part of. So every term is defined once, in objectives.py, and the
costs of a programme's placements, added up in any order, are its objective.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from planner.solve.model import Variables


def objective_weights(variables: Variables) -> tuple[int, dict[int, int]]:
    """The objective's offset, and variable index -> its weight in the objective, counting a helper's share of every
    total it is summed into (later totals first, so that a total of totals passes its weight on)."""
    objective = variables.model.proto.objective
    offset = round(objective.offset)
    weight: dict[int, int] = defaultdict(int)
    for ref, coeff in zip(objective.vars, objective.coeffs, strict=True):
        if ref >= 0:
            weight[ref] += coeff
        else:  # a negated literal: coeff * (1 - x)
            offset += coeff
            weight[-ref - 1] -= coeff
    for total, parts in reversed(variables.summed):
        for part in parts:
            weight[part.index] += weight.get(total.index, 0)
    return offset, weight


class Marginal:
    """The objective of what is placed so far, and what placing or removing one literal changes in it.

    Literals are named by their variable index. `cost(literal)` is exact for a literal not yet placed: adding it
    raises `total` by that much, and removing it again lowers `total` by what `cost` then says. So `total` is the
    model's objective for the placed literals (all others false, every counted helper at the value its function
    gives, as a complete hint sets them), whatever the order they were placed in.
    """

    def __init__(self, variables: Variables) -> None:
        offset, weight = objective_weights(variables)
        self.total = offset
        self.direct = {index: w for index, w in weight.items() if w}
        """Variable index -> its weight in the objective (only place literals are ever asked about)."""
        self.weight: list[int] = []
        self.fn: list[Callable[[int], int]] = []
        self.count: list[int] = []
        self.step: list[int] = []
        """Helper -> what one more true literal of it adds now (weight * (fn(n + 1) - fn(n)))."""
        ones: dict[int, list[int]] = defaultdict(list)
        several: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for var, literals, fn in variables.counted:
            if not weight.get(var.index):
                continue
            helper = len(self.weight)
            self.weight.append(weight[var.index])
            self.fn.append(fn)
            self.count.append(0)
            self.step.append(weight[var.index] * (fn(1) - fn(0)))
            indexes = [literal.index for literal in literals]
            if len(set(indexes)) == len(indexes):
                for index in indexes:
                    ones[index].append(helper)
            else:
                for index, times in Counter(indexes).items():
                    if times == 1:
                        ones[index].append(helper)
                    else:
                        several[index].append((helper, times))
        self.partners: dict[str, dict[str, int]] = defaultdict(dict)
        """Session -> the sessions whose running at the same time costs something (Variables.together) -> how much."""
        for var, first, second in variables.together:
            if cost := weight.get(var.index, 0):
                self.partners[first][second] = self.partners[first].get(second, 0) + cost
                self.partners[second][first] = self.partners[second].get(first, 0) + cost
        self.place_of = {
            literal.index: (session, place.blocks)
            for session in self.partners
            for place, literal in variables.chosen(session)
        }
        """Literal index -> its session and blocks, for the sessions with partners."""
        self.placed_in: dict[str, set[str]] = defaultdict(set)
        """Block -> the sessions with partners placed in it."""
        self.ones = {index: tuple(helpers) for index, helpers in ones.items()}
        """Literal index -> the weighted helpers it counts in once."""
        self.several = {index: tuple(helpers) for index, helpers in several.items()}
        """Literal index -> (helper, times) for helpers it counts in more than once (rare: a repeated theme)."""

    def cost(self, literal: int) -> int:
        """What setting this literal (a variable index) true adds to the objective, given what is placed."""
        cost = self.direct.get(literal, 0)
        if helpers := self.ones.get(literal):
            cost += sum(map(self.step.__getitem__, helpers))
        if self.several and literal in self.several:
            for helper, times in self.several[literal]:
                n = self.count[helper]
                cost += self.weight[helper] * (self.fn[helper](n + times) - self.fn[helper](n))
        if self.place_of and (where := self.place_of.get(literal)):
            session, blocks = where
            met = set().union(*(self.placed_in[block] for block in blocks))
            partners = self.partners[session]
            cost += sum(partners.get(other, 0) for other in met if other != session)
        return cost

    def add(self, literal: int) -> None:
        self.total += self.cost(literal)
        self._count(literal, 1)

    def remove(self, literal: int) -> None:
        self._count(literal, -1)
        self.total -= self.cost(literal)

    def _count(self, literal: int, sign: int) -> None:
        if self.place_of and (where := self.place_of.get(literal)):
            for block in where[1]:
                (self.placed_in[block].add if sign > 0 else self.placed_in[block].discard)(where[0])
        changed = [(helper, 1) for helper in self.ones.get(literal, ())] + list(self.several.get(literal, ()))
        for helper, times in changed:
            n = self.count[helper] + sign * times
            self.count[helper] = n
            self.step[helper] = self.weight[helper] * (self.fn[helper](n + 1) - self.fn[helper](n))
