"""Tables (and later plots) that read a results Dataset only — never a Pyomo model."""
