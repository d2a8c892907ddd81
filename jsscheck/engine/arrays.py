"""The engine reads histories as `ContractTable` columns (model/table.py).

`ContractArrays` was the engine's own copy of those columns; the two are now one type, and
this name stays only so that code written against it keeps working: `ContractArrays` is
`ContractTable`, and `ContractArrays.from_contracts(x)` is `ContractTable.of(x)`.
"""

from __future__ import annotations

from jsscheck.model.table import ContractTable, group_starts

ContractArrays = ContractTable

__all__ = ["ContractArrays", "ContractTable", "group_starts"]
