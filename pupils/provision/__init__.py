"""The costed provision map: a school's catalogue of interventions, who gets them, and what they cost."""
