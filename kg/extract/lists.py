"""Relations stated by a list: an introducing sentence ending in ":" and one party per item below it.

    The agencies that put their names to it are:
    - the European Asylum Support Office (EASO);
    - the European Police Office (Europol);

The introducing phrases are the ``objects: list`` rules of ``kg/rules/cues.yaml``;
each item line (starting with "-", "–", "•", "*" or "1." / "1)") gives the first
mention of an allowed class on it, a gazetteer entity before a new name (the
item's acronym in brackets often names the known body: "European Agency for ... (eu-LISA)").
Source: the list layout of press releases in the dev corpus (d030) and the
annotation guide ("Delegations from A, B and C attended" gives each a triple).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .relations import LIST_ITEM as _ITEM
from .relations import KeyFact, load_cue_rules

if TYPE_CHECKING:
    from .pipeline import DocState
    from .relations import _Ctx


def list_facts(state: "DocState", contexts: list["_Ctx"], out: list[KeyFact]) -> None:
    """Append the facts that introduced lists state about each item.

    Args:
        state: the document being extracted (sentences, mentions).
        contexts: the per-sentence contexts of the relation pass, in sentence order
            (event and instrument in scope at each sentence).
        out: the fact list to extend (in place).
    """
    rules = [r for r in load_cue_rules() if r.objects == "list"]
    if not rules:
        return
    by_index = {c.index: c for c in contexts}
    sentences = state.sentences
    for s in sentences:
        if not s.text.rstrip().endswith(":"):
            continue
        c = by_index.get(s.index)
        if c is None:
            continue
        matched = [r for r in rules if r.cue.search(s.text)]
        if not matched:
            continue
        items = []
        k = s.index + 1
        while k < len(sentences) and _ITEM.match(sentences[k].text):
            items.append(sentences[k])
            k += 1
        if not items:
            continue
        for rule in matched:
            if rule.subject == "event":
                subject = c.own_event or c.event
            else:
                here = [m for m in c.mentions if m.cls == "Instrument"]
                subject = here[-1].key if here else c.last_instrument
            if subject is None:
                continue
            for item in items:
                ms = sorted((m for m in state.mentions if item.start <= m.start < item.end
                             and m.cls in rule.object_classes),
                            key=lambda m: (not m.key.startswith("reg:"), m.start))  # a known party first
                if ms and ms[0].key != subject:
                    out.append(KeyFact(ms[0].key, rule.predicate, subject, item.index, rule.id, rule.confidence)
                               if rule.predicate in {"participatedIn", "observerAt"} else
                               KeyFact(subject, rule.predicate, ms[0].key, item.index, rule.id, rule.confidence))


__all__ = ["list_facts"]
