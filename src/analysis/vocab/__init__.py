"""The vocabulary: what words and codes mean (reference tables, the researcher's mappings,
translations and number formats)."""
