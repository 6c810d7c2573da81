"""Exports for auditors, regulators and Lumen: provenance records, statements of reasons, notices."""
