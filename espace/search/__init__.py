"""Search over the insured's vocabulary: thesaurus and helpers for French queries."""
