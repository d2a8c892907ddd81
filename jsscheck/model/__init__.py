"""Value types: the contract, the columnar history, the rule set and its presets, dates as days."""
