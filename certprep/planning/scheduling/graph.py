"""Graph walks the scheduler needs, iterative so that a long chain of tasks never hits Python's recursion
limit: loops (strongly connected components) and a topological order (no database)."""

from __future__ import annotations

from collections.abc import Sequence


def loops(size: int, successors: Sequence[Sequence[int]]) -> list[list[int]]:
    """The groups of nodes that reach each other (Tarjan's strongly connected components), of two nodes or
    more, each sorted, in the order of their smallest node."""
    index = [-1] * size
    low = [0] * size
    on_stack = [False] * size
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(size):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            node, position = work[-1]
            nexts = successors[node]
            if position < len(nexts):
                work[-1] = (node, position + 1)
                target = nexts[position]
                if index[target] < 0:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack[target] = True
                    work.append((target, 0))
                elif on_stack[target]:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return sorted(found)


def topological_order(size: int, successors: Sequence[Sequence[int]]) -> list[int]:
    """Nodes so that every edge goes forward (Kahn), the same order for the same graph; the graph must have no
    loop (nodes on one are left out)."""
    incoming = [0] * size
    for nexts in successors:
        for target in nexts:
            incoming[target] += 1
    ready = [node for node in range(size) if incoming[node] == 0]
    ready.reverse()
    order: list[int] = []
    while ready:
        node = ready.pop()
        order.append(node)
        freed = []
        for target in successors[node]:
            incoming[target] -= 1
            if incoming[target] == 0:
                freed.append(target)
        ready.extend(reversed(freed))
    return order
