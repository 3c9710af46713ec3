"""Large synthetic data sets for benchmarks and capacity figures: `manage.py seed_scale`.

- `county`: one large county LA (20,000 plans, 450 schools, 60,000 pupils on SEN support) with
  their clocks, reviews and provision, and a login per role for the load benchmarks.
- `national`: what the clock sweep reads for all of England (153 LAs, 1.8 million SEN pupils,
  640,000 plans), and `--double-stored` to add as much again that is not due.

Rows are written with PostgreSQL COPY (copyutil.py); every model that keeps history gets its
creation row ('+') in its historical table, by the seeding user, in the same COPY pass.
"""
