"""Annual reviews, amendments and phase transfers of EHC plans (domain.md 2)."""
