"""EHC needs assessments and plans: requests, advice, drafts and final plans (domain.md 1)."""
