"""A policy shared by the communities of one repository (``communities/_shared/policy.yaml``).

Each community's ``ledger/policy.yaml`` then holds what differs: its keys are
laid over the shared file's, mapping into mapping (``late_fee: {rate: …}``
changes the rate and keeps the rest), anything else replaced whole (a list of
``fees`` or ``stages`` written in the community replaces the shared list).
Every value keeps the position of the file it was written in, so an error
in a shared value is reported at ``../_shared/policy.yaml:line:col``.
"""
from __future__ import annotations

import yaml

from generator.reading.fields import SharedReader
from generator.reading.specs import read_policy
from generator.reading.yamlsource import MappingNode, ScalarNode, compose


def laid_over(shared, own):
    """``own``'s mapping laid over ``shared``'s: shared keys first in their order, then the community's new keys."""
    if type(shared) is not MappingNode or type(own) is not MappingNode:
        return own if own is not None else shared
    own_values = {k.value: (k, v) for k, v in own.value if type(k) is ScalarNode}
    merged, used = [], set()
    for key, value in shared.value:
        name = key.value if type(key) is ScalarNode else None
        if name in own_values and name not in used:
            used.add(name)
            own_key, own_value = own_values[name]
            merged.append((own_key, laid_over(value, own_value)))
        else:
            merged.append((key, value))
    merged.extend((k, v) for k, v in own.value if not (type(k) is ScalarNode and k.value in used))
    return MappingNode(own.tag, merged, own.start_mark, own.end_mark, flow_style=own.flow_style)


def _ids(node, found: set[int]) -> set[int]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        found.add(id(current))
        if type(current) is MappingNode:
            for key, value in current.value:
                stack.extend((key, value))
        elif type(current) is yaml.SequenceNode:
            stack.extend(current.value)
    return found


def read_shared_policy(path: str, shared_path: str, shared_raw: bytes, own_raw: bytes | None):
    """(policy or None, problems) of the community's policy file laid over the shared one.

    ``own_raw`` None: the community has no policy file of its own and takes the shared one as it is.
    """
    shared, problems = compose(shared_path, shared_raw)
    own_node = None
    if own_raw is not None:
        own, own_problems = compose(path, own_raw)
        problems = problems + own_problems
        own_node = own.node
        if own.node is None and own_problems:
            return None, problems
    if shared.node is None and problems:
        return None, problems
    reader = SharedReader(path, shared_path, _ids(shared.node, set()))
    record = read_policy(reader, laid_over(shared.node, own_node))
    return record, list(problems) + list(reader.problems)

