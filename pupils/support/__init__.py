"""SEN support plans (assess, plan, do, review) and parents' meetings: a sub-app of pupils."""
